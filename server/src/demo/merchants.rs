//! The demo city's partner merchants: the two the demo cashiers work at
//! (exactly as API.md needs them), then hundreds more over every category and
//! district with plausible names, streets and coordinates, their offers, and a
//! history of past uses by other members.

use super::{failed, Rng, DISTRICTS};
use crate::store::search::{self, Indexed};
use crate::store::seed::{self, NewMerchant, NewOffer, PastUse};
use crate::store::Conn;

/// Rough centres of Wuhan's districts (latitude, longitude), in DISTRICTS order.
pub(super) const CENTRES: [(f64, f64); 13] = [
    (30.6009, 114.3037),
    (30.5823, 114.2700),
    (30.5712, 114.2156),
    (30.5533, 114.2187),
    (30.5537, 114.3162),
    (30.6323, 114.3848),
    (30.4996, 114.3433),
    (30.6202, 114.1372),
    (30.3112, 114.0843),
    (30.5822, 114.0294),
    (30.3548, 114.3223),
    (30.8825, 114.3755),
    (30.8422, 114.8018),
];
pub(super) const STREETS: [&str; 12] = [
    "中山大道",
    "解放大道",
    "建设大道",
    "武珞路",
    "珞喻路",
    "光谷大道",
    "汉阳大道",
    "和平大道",
    "青年路",
    "民族大道",
    "发展大道",
    "友谊大道",
];
const BRANDS: [&str; 16] = [
    "楚天", "江城", "汉正", "东湖", "晴川", "知音", "黄鹤", "长江", "汉江", "珞珈", "归元", "龟山",
    "琴台", "古德", "江滩", "光谷",
];

/// Name patterns, typical bill (fen), and the offer each kind of shop gives.
struct Kind {
    category: &'static str,
    names: &'static [&'static str],
    typical_bill_fen: i64,
    hours: &'static str,
}

const KINDS: [Kind; 6] = [
    Kind {
        category: "shopping",
        names: &["{b}优选超市", "{b}便利店", "{b}百货"],
        typical_bill_fen: 10_000,
        hours: "08:00-22:00",
    },
    Kind {
        category: "dining",
        names: &["{b}热干面馆", "{b}小馆", "{b}汤包", "{b}鱼馆"],
        typical_bill_fen: 8_000,
        hours: "10:00-21:30",
    },
    Kind {
        category: "medical",
        names: &["{b}大药房", "{b}健康体检中心", "{b}口腔诊所"],
        typical_bill_fen: 15_000,
        hours: "08:30-20:00",
    },
    Kind {
        category: "travel",
        names: &["{b}旅行社", "{b}生态园", "{b}游船"],
        typical_bill_fen: 12_000,
        hours: "09:00-17:30",
    },
    Kind {
        category: "culture",
        names: &["{b}影城", "{b}书城", "{b}健身馆"],
        typical_bill_fen: 6_000,
        hours: "10:00-22:00",
    },
    Kind {
        category: "education",
        names: &["{b}职业培训学校", "{b}驾校", "{b}电脑培训中心"],
        typical_bill_fen: 50_000,
        hours: "09:00-18:00",
    },
];

/// An offer's columns: title, kind, basis points, amount, price, min spend, cap, weekdays, limit.
type OfferRow = (
    String,
    &'static str,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    i64,
    Option<i64>,
    i64,
    Option<(i64, &'static str)>,
);

fn offers_for(category: &str, rng: &mut Rng) -> Vec<OfferRow> {
    match category {
        "shopping" => vec![(
            "会员购物 95 折".into(),
            "percent",
            Some(500),
            None,
            None,
            0,
            None,
            127,
            None,
        )],
        "dining" => {
            let bp = [800, 1000, 1200][rng.below(3) as usize];
            vec![
                (
                    format!(
                        "会员就餐 {}",
                        if bp == 1000 {
                            "9 折".into()
                        } else {
                            format!("{} 折", (10_000 - bp) / 100)
                        }
                    ),
                    "percent",
                    Some(bp),
                    None,
                    None,
                    0,
                    Some(5_000),
                    127,
                    None,
                ),
                (
                    "周末满 100 减 10".into(),
                    "amount",
                    None,
                    Some(1_000),
                    None,
                    10_000,
                    None,
                    0b110_0000,
                    Some((1, "day")),
                ),
            ]
        }
        "medical" => vec![(
            "药品及体检 92 折".into(),
            "percent",
            Some(800),
            None,
            None,
            0,
            Some(20_000),
            127,
            Some((4, "month")),
        )],
        "travel" => vec![(
            "门票 85 折".into(),
            "percent",
            Some(1500),
            None,
            None,
            0,
            None,
            127,
            Some((2, "day")),
        )],
        "culture" => vec![(
            "会员观影/购书价 ¥29.90".into(),
            "fixed",
            None,
            None,
            Some(2_990),
            0,
            None,
            127,
            Some((2, "day")),
        )],
        _ => vec![(
            "会员报名立减 ¥200".into(),
            "amount",
            None,
            Some(20_000),
            None,
            100_000,
            None,
            127,
            Some((1, "month")),
        )],
    }
}

/// A merchant's columns: name, category, district index, address, lat, lng, phone, offers.
type MerchantRow = (
    String,
    &'static str,
    usize,
    String,
    f64,
    f64,
    String,
    Vec<OfferRow>,
);

/// Inserts the merchants and their offers; returns their ids, the demo
/// cashiers' supermarket and restaurant first.
pub async fn insert(
    tx: &mut Conn,
    districts: &[(i64, &'static str)],
    count: usize,
    now: i64,
) -> anyhow::Result<Vec<i64>> {
    let mut rng = Rng::new(4_202);
    let union_of = |code: &str| {
        districts
            .iter()
            .find(|d| d.1 == code)
            .map(|d| d.0)
            .expect("district")
    };
    let mut rows: Vec<MerchantRow> = vec![
        (
            "楚天优选超市（江汉路店）".into(),
            "shopping",
            1,
            "武汉市江汉区江汉路 168 号".into(),
            30.5797,
            114.2868,
            "027-8561 2001".into(),
            vec![
                // API.md: the first offer has no minimum spend and no per-member limit.
                (
                    "会员购物 95 折".into(),
                    "percent",
                    Some(500),
                    None,
                    None,
                    0,
                    None,
                    127,
                    None,
                ),
                (
                    "周末满 200 减 15".into(),
                    "amount",
                    None,
                    Some(1_500),
                    None,
                    20_000,
                    None,
                    0b110_0000,
                    Some((1, "day")),
                ),
            ],
        ),
        (
            "汉味小馆（户部巷店）".into(),
            "dining",
            4,
            "武汉市武昌区户部巷 29 号".into(),
            30.5468,
            114.3038,
            "027-8887 3002".into(),
            vec![(
                "会员就餐 9 折".into(),
                "percent",
                Some(1000),
                None,
                None,
                0,
                Some(5_000),
                127,
                None,
            )],
        ),
    ];
    for i in 0..count.saturating_sub(2) {
        let kind = &KINDS[i % KINDS.len()];
        let d = rng.below(DISTRICTS.len() as u64) as usize;
        let brand = rng.pick(&BRANDS);
        let street = rng.pick(&STREETS);
        let base = rng.pick(kind.names).replace("{b}", brand);
        let name = format!("{base}（{street}{}号店）", i / 50 + 1);
        let (clat, clng) = CENTRES[d];
        let lat = clat + (rng.below(4_000) as f64 - 2_000.0) / 100_000.0;
        let lng = clng + (rng.below(4_000) as f64 - 2_000.0) / 100_000.0;
        let address = format!("武汉市{}{}{}号", DISTRICTS[d].0, street, 1 + rng.below(400));
        let phone = format!("027-8{:03} {:04}", rng.below(1000), rng.below(10_000));
        let offers = offers_for(kind.category, &mut rng);
        rows.push((name, kind.category, d, address, lat, lng, phone, offers));
    }
    let merchants: Vec<NewMerchant> = rows
        .iter()
        .map(|(name, category, d, address, lat, lng, phone, offers)| {
            let kind = KINDS
                .iter()
                .find(|k| k.category == *category)
                .expect("kind");
            let titles: Vec<&str> = offers.iter().map(|o| o.0.as_str()).collect();
            let search_text =
                format!("{name} {} {address} {}", DISTRICTS[*d].0, titles.join(" ")).to_lowercase();
            NewMerchant {
                name,
                category,
                district: DISTRICTS[*d].0,
                address,
                union_id: union_of(DISTRICTS[*d].1),
                lat_e6: (lat * 1e6).round() as i64,
                lng_e6: (lng * 1e6).round() as i64,
                hours: kind.hours,
                phone,
                contract_from: "2026-01-01",
                contract_to: "2027-12-31",
                typical_bill_fen: kind.typical_bill_fen,
                search_text,
            }
        })
        .collect();
    let ids = seed::insert_merchants(tx, &merchants).await?;
    drop(merchants);
    let offers: Vec<NewOffer> = rows
        .iter()
        .zip(&ids)
        .flat_map(|(row, id)| {
            row.7.iter().map(move |o| NewOffer {
                merchant_id: *id,
                title: &o.0,
                kind: o.1,
                basis_points: o.2,
                amount_fen: o.3,
                price_fen: o.4,
                min_spend_fen: o.5,
                max_discount_fen: o.6,
                valid_from: "2026-01-01",
                valid_to: "2027-12-31",
                weekdays: o.7,
                limit_count: o.8.map(|l| l.0),
                limit_period: o.8.map(|l| l.1),
                created_at: now,
            })
        })
        .collect();
    seed::insert_offers(tx, &offers).await?;
    // One pass over them all: in key order, far quicker than row by row.
    search::index_all(tx, Indexed::Merchants)
        .await
        .map_err(failed("merchant search"))?;
    Ok(ids)
}

/// Past uses by other members (never 张伟 or 李娜, whom outside checks start clean).
pub async fn insert_history(
    tx: &mut Conn,
    merchants: &[i64],
    uses: usize,
    now: i64,
) -> anyhow::Result<()> {
    // About ten uses a card at most, as a busy year would have.
    let cards = seed::cards_with_history(tx, (uses / 10).max(2_000)).await?;
    if cards.is_empty() || merchants.len() < 3 {
        return Ok(());
    }
    // Other merchants only: the demo cashiers' "today" starts empty.
    let offers = seed::percent_offers_except(tx, [merchants[0], merchants[1]]).await?;
    if offers.is_empty() {
        return Ok(());
    }
    // Half a year back, each month in its own part (PostgreSQL).
    crate::store::partitions::ensure(tx, now - 182 * 86_400, now).await?;
    let mut rng = Rng::new(77);
    let mut done = 0;
    // Written a slice at a time: ten million rows never sit in memory.
    while done < uses {
        let n = (uses - done).min(50_000);
        let rows: Vec<PastUse> = (done..done + n)
            .map(|i| {
                let offer = offers[rng.below(offers.len() as u64) as usize];
                let card = cards[rng.below(cards.len() as u64) as usize];
                let at = now - (1 + rng.below(180) as i64) * 86_400 - rng.below(40_000) as i64;
                let bill = 2_000 + rng.below(30_000) as i64;
                let discount = bill * offer.basis_points / 10_000;
                PastUse {
                    code: format!("9{:09}", i),
                    offer_id: offer.id,
                    merchant_id: offer.merchant_id,
                    card_id: card,
                    at,
                    bill_fen: bill,
                    discount_fen: discount,
                }
            })
            .collect();
        seed::insert_past_uses(tx, &rows).await?;
        done += n;
    }
    Ok(())
}
