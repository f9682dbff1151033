//! The demo city's partner merchants: the two the demo cashiers work at
//! (exactly as API.md needs them), then hundreds more over every category and
//! district with plausible names, streets and coordinates, their offers, and a
//! history of past uses by other members.

use anyhow::Context;
use sqlx::{Any, Transaction};

use super::{Rng, DISTRICTS};
use crate::roster::BATCH;
use crate::store::values_placeholders;

/// Rough centres of Wuhan's districts (latitude, longitude), in DISTRICTS order.
const CENTRES: [(f64, f64); 13] = [
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
const STREETS: [&str; 12] = [
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
    tx: &mut Transaction<'_, Any>,
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
    let mut ids = Vec::with_capacity(rows.len());
    for chunk in rows.chunks(BATCH) {
        let sql = format!(
            "INSERT INTO merchants (name, category, district, address, union_id, lat_e6, lng_e6, hours, phone,
                 contract_from, contract_to, status, typical_bill_fen, search_text) VALUES {} RETURNING id",
            values_placeholders(chunk.len(), 14)
        );
        let mut q = sqlx::query_scalar::<_, i64>(&sql);
        for (name, category, d, address, lat, lng, phone, offers) in chunk {
            let kind = KINDS
                .iter()
                .find(|k| k.category == *category)
                .expect("kind");
            let titles: Vec<&str> = offers.iter().map(|o| o.0.as_str()).collect();
            let search =
                format!("{name} {} {address} {}", DISTRICTS[*d].0, titles.join(" ")).to_lowercase();
            q = q
                .bind(name.clone())
                .bind(*category)
                .bind(DISTRICTS[*d].0)
                .bind(address.clone())
                .bind(union_of(DISTRICTS[*d].1))
                .bind((lat * 1e6).round() as i64)
                .bind((lng * 1e6).round() as i64)
                .bind(kind.hours)
                .bind(phone.clone())
                .bind("2026-01-01")
                .bind("2027-12-31")
                .bind("active")
                .bind(kind.typical_bill_fen)
                .bind(search);
        }
        // RETURNING order follows VALUES order on both engines for a plain insert.
        let mut got = q.fetch_all(&mut **tx).await.context("merchant batch")?;
        got.sort_unstable();
        ids.extend(got);
    }
    let offers: Vec<(i64, &OfferRow)> = rows
        .iter()
        .zip(&ids)
        .flat_map(|(row, id)| row.7.iter().map(move |o| (*id, o)))
        .collect();
    for chunk in offers.chunks(BATCH) {
        let sql = format!(
            "INSERT INTO offers (merchant_id, title, kind, basis_points, amount_fen, price_fen, min_spend_fen,
                 max_discount_fen, valid_from, valid_to, weekdays, limit_count, limit_period, status, created_at)
             VALUES {}",
            values_placeholders(chunk.len(), 15)
        );
        let mut q = sqlx::query(&sql);
        for (mid, o) in chunk {
            q = q
                .bind(*mid)
                .bind(o.0.clone())
                .bind(o.1)
                .bind(o.2)
                .bind(o.3)
                .bind(o.4)
                .bind(o.5)
                .bind(o.6)
                .bind("2026-01-01")
                .bind("2027-12-31")
                .bind(o.7)
                .bind(o.8.map(|l| l.0))
                .bind(o.8.map(|l| l.1))
                .bind("active")
                .bind(now);
        }
        q.execute(&mut **tx).await.context("offer batch")?;
    }
    Ok(ids)
}

/// Past uses by other members (never 张伟 or 李娜, whom outside checks start clean).
pub async fn insert_history(
    tx: &mut Transaction<'_, Any>,
    merchants: &[i64],
    now: i64,
) -> anyhow::Result<()> {
    let cards: Vec<i64> = sqlx::query_scalar(
        "SELECT c.id FROM cards c JOIN roster_entries r ON r.id = c.roster_id
          WHERE c.status = 'active' AND c.card_no NOT IN ('6222020200000000014', '6222020200000000022')
          ORDER BY c.id LIMIT 2000",
    )
    .fetch_all(&mut **tx)
    .await?;
    if cards.is_empty() || merchants.len() < 3 {
        return Ok(());
    }
    // Other merchants only: the demo cashiers' "today" starts empty.
    let offers: Vec<(i64, i64, i64)> = sqlx::query_as(
        "SELECT id, merchant_id, COALESCE(basis_points, 0) FROM offers WHERE kind = 'percent' AND merchant_id NOT IN ($1, $2)",
    )
    .bind(merchants[0])
    .bind(merchants[1])
    .fetch_all(&mut **tx)
    .await?;
    if offers.is_empty() {
        return Ok(());
    }
    let mut rng = Rng::new(77);
    let uses = cards.len().min(1_500);
    let rows: Vec<(String, i64, i64, i64, i64, i64, i64)> = (0..uses)
        .map(|i| {
            let (offer, merchant, bp) = offers[rng.below(offers.len() as u64) as usize];
            let card = cards[rng.below(cards.len() as u64) as usize];
            let at = now - (1 + rng.below(180) as i64) * 86_400 - rng.below(40_000) as i64;
            let bill = 2_000 + rng.below(30_000) as i64;
            let discount = bill * bp / 10_000;
            (
                format!("9{:09}", i),
                offer,
                merchant,
                card,
                at,
                bill,
                discount,
            )
        })
        .collect();
    for chunk in rows.chunks(BATCH) {
        let sql = format!(
            "INSERT INTO redemptions (code, offer_id, merchant_id, card_id, created_at, confirmed_at, bill_fen,
                 discount_fen, status, expires_at, pay_fen) SELECT v.column1, v.column2, v.column3, v.column4,
                 v.column5, v.column5, v.column6, v.column7, 'confirmed', v.column5 + 600, v.column6 - v.column7
               FROM (VALUES {}) AS v",
            values_placeholders(chunk.len(), 7)
        );
        let mut q = sqlx::query(&sql);
        for r in chunk {
            q = q
                .bind(r.0.clone())
                .bind(r.1)
                .bind(r.2)
                .bind(r.3)
                .bind(r.4)
                .bind(r.5)
                .bind(r.6);
        }
        q.execute(&mut **tx).await.context("history batch")?;
    }
    Ok(())
}
