//! The demo data set: one realistic city (Wuhan) generated from a fixed seed,
//! so every run, every test and every outside check sees the same people.
//!
//! It always holds the accounts API.md names, with exactly the details given
//! there, plus a roster of `members` people (5,000 by default; millions for
//! load tests) spread over the city's districts and workplace unions.
//! It is loaded once, into an empty database, in one transaction.

mod aid;
mod allowances;
mod centres;
mod education;
mod hardship;
mod loans;
mod merchants;
mod payments;
mod rights;
mod training;

use std::collections::HashSet;
use unioncard_api::auth::Role;

use anyhow::Context;
use unioncard_api::card::CardStatus;
use unioncard_api::identity::{check_character, days_in_month, IdNumber, Phone};

use crate::crypto::Crypto;
use crate::error::AppError;
use crate::roster::{card_number, insert_entries, NewEntry, BATCH};
use crate::routes::auth::hash_password;
use crate::store::accounts::{self, NewAccount};
use crate::store::{join, seed, unions as union_store, Conn, Db};
use crate::time;

/// The demo password of every demo account.
pub const DEMO_PASSWORD: &str = "Demo@2026";

/// Wuhan's districts: name, short code, and the region code that starts the
/// ID numbers of people registered there.
pub const DISTRICTS: &[(&str, &str, &str)] = &[
    ("江岸区", "JA", "420102"),
    ("江汉区", "JH", "420103"),
    ("硚口区", "QK", "420104"),
    ("汉阳区", "HY", "420105"),
    ("武昌区", "WC", "420106"),
    ("青山区", "QS", "420107"),
    ("洪山区", "HS", "420111"),
    ("东西湖区", "DXH", "420112"),
    ("汉南区", "HN", "420113"),
    ("蔡甸区", "CD", "420114"),
    ("江夏区", "JX", "420115"),
    ("黄陂区", "HP", "420116"),
    ("新洲区", "XZ", "420117"),
];

const BRANDS: &[&str] = &[
    "长江", "楚天", "汉江", "东湖", "黄鹤", "晴川", "珞珈", "光谷", "江城", "汉正", "龟山", "知音",
];
const TRADES: &[&str] = &[
    "物流有限公司",
    "机械制造有限公司",
    "商贸有限公司",
    "建筑工程有限公司",
    "食品有限公司",
    "电子科技有限公司",
    "纺织服装有限公司",
    "家政服务有限公司",
    "出租汽车有限公司",
    "餐饮管理有限公司",
    "物业服务有限公司",
    "汽车零部件有限公司",
];
const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾",
    "肖", "田", "董", "袁", "潘", "蒋", "蔡", "余", "杜", "叶", "程", "魏", "苏", "吕", "丁", "任",
];
const GIVEN_MALE: &[&str] = &[
    "伟", "强", "磊", "军", "勇", "杰", "涛", "斌", "超", "明", "刚", "平", "辉", "鹏", "华", "飞",
    "鑫", "波", "宇", "浩", "俊", "帆", "建国", "志强", "海涛", "国华", "文博", "子轩", "晓东",
    "建华",
];
const GIVEN_FEMALE: &[&str] = &[
    "芳", "娜", "敏", "静", "丽", "艳", "娟", "霞", "燕", "玲", "婷", "雪", "琳", "慧", "颖", "倩",
    "洁", "红", "萍", "梅", "秀英", "桂英", "晓燕", "丽娟", "雨婷", "欣怡", "思琪", "佳怡", "春梅",
    "海燕",
];
const BANKS: &[(&str, u64)] = &[
    ("中国工商银行", 70),
    ("中国银行", 12),
    ("汉口银行", 10),
    ("湖北农信", 8),
];

/// A small deterministic generator (SplitMix64): the same seed gives the same
/// city on every machine and every version of every dependency.
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }

    /// One element of a slice.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

/// How big a demo city to make.
#[derive(Debug, Clone, Copy)]
pub struct Size {
    /// People on the roster, each with a card.
    pub members: usize,
    /// Partner merchants.
    pub merchants: usize,
    /// Redemptions in the past half year.
    pub history: usize,
    /// Mutual-aid claims beyond the demo's own ([`aid::insert_many_claims`]).
    pub claims: usize,
}

/// Loads the demo data unless the database already holds unions.
pub async fn seed_if_empty(
    db: &Db,
    crypto: &Crypto,
    size: Size,
    uploads: &std::path::Path,
) -> anyhow::Result<()> {
    let Size {
        members,
        merchants,
        history,
        claims,
    } = size;
    if seed::has_unions(&mut *db.reader().await?).await? {
        return Ok(());
    }
    let started = std::time::Instant::now();
    let password_hash = hash_password(DEMO_PASSWORD.to_string())
        .await
        .map_err(|e| anyhow::anyhow!("{:?}", e.status()))?;
    let mut tx = db.begin().await?;
    let unions = insert_unions(&mut tx).await?;
    let now = time::now();
    let mut rng = Rng::new(20_261_122);

    // The named demo people first, exactly as API.md describes them.
    let ja_work = unions.workplace("JA", 0);
    let wc_work = unions.workplace("WC", 0);
    let jh_work = unions.workplace("JH", 0);
    let named = vec![
        named_person(
            ja_work.0,
            &ja_work.1,
            "张伟",
            "420102198803151236",
            "13800000001",
            "6222020200000000014",
            CardStatus::Issued,
            now,
        ),
        named_person(
            wc_work.0,
            &wc_work.1,
            "李娜",
            "420106199207082342",
            "13800000002",
            "6222020200000000022",
            CardStatus::Active,
            now,
        ),
        named_person(
            jh_work.0,
            &jh_work.1,
            "王芳",
            "420103199501010009",
            "13800000003",
            "6222020200000000998",
            CardStatus::Issued,
            now,
        ),
    ];
    let mut seen_ids: HashSet<String> = named
        .iter()
        .map(|p| p.id_number.expose().to_string())
        .collect();
    let mut seen_phones: HashSet<String> =
        named.iter().map(|p| p.phone.expose().to_string()).collect();
    insert_entries(&mut tx, crypto, &named, now).await?;

    // Then the city's roster, in batches.
    let mut serial = 1_000i64;
    let mut batch = Vec::with_capacity(BATCH);
    for _ in 0..members {
        let person = random_person(
            &mut rng,
            &unions,
            &mut seen_ids,
            &mut seen_phones,
            &mut serial,
            now,
        );
        batch.push(person);
        if batch.len() == BATCH {
            insert_entries(&mut tx, crypto, &batch, now).await?;
            batch.clear();
        }
    }
    insert_entries(&mut tx, crypto, &batch, now).await?;
    // New cards (imports, approved join requests) continue after the demo's.
    seed::set_card_serial(&mut tx, serial).await?;

    let district_unions: Vec<(i64, &str)> = unions.districts.clone();
    let merchant_ids = merchants::insert(&mut tx, &district_unions, merchants, now).await?;
    insert_accounts(&mut tx, crypto, &password_hash, &unions, &merchant_ids, now).await?;
    merchants::insert_history(&mut tx, &merchant_ids, history, now).await?;
    training::insert(&mut tx, &district_unions, now).await?;
    centres::insert(&mut tx, unions.city, &district_unions, now).await?;
    training::waiting_lists(&mut tx, crypto, &password_hash, now).await?;
    aid::insert(&mut tx, crypto, unions.city, uploads, now).await?;
    aid::insert_many_claims(&mut tx, claims, now).await?;
    loans::insert(&mut tx, now).await?;
    hardship::insert(&mut tx, crypto, unions.city, now).await?;
    let year = i64::from(time::today().year);
    education::insert(&mut tx, unions.city, year, now).await?;
    let city_officer = seed::first_officer(&mut tx)
        .await?
        .context("the city's officer")?;
    allowances::insert(&mut tx, unions.city, city_officer, now).await?;
    payments::insert(&mut tx, crypto, unions.city, unions.district("WC"), now).await?;
    rights::insert(&mut tx, crypto, now).await?;
    tx.commit().await?;
    tracing::info!(
        members,
        elapsed_ms = started.elapsed().as_millis() as u64,
        "demo data loaded"
    );
    Ok(())
}

/// The unions created, by level.
struct Unions {
    province: i64,
    city: i64,
    districts: Vec<(i64, &'static str)>,
    /// (union id, district code, name)
    workplaces: Vec<(i64, &'static str, String)>,
}

impl Unions {
    fn workplace(&self, district: &str, nth: usize) -> (i64, String) {
        let w = self
            .workplaces
            .iter()
            .filter(|w| w.1 == district)
            .nth(nth)
            .expect("each district has workplace unions");
        (w.0, w.2.clone())
    }

    fn district(&self, code: &str) -> i64 {
        let i = DISTRICTS
            .iter()
            .position(|d| d.1 == code)
            .expect("known district");
        self.districts[i].0
    }
}

async fn insert_union(
    tx: &mut Conn,
    parent: Option<(i64, &str)>,
    code: &str,
    name: &str,
    level: &str,
    district: Option<&str>,
) -> anyhow::Result<(i64, String)> {
    let id = match parent {
        // The unions below the top one, as an administrator adds them.
        Some((parent_id, _)) => union_store::insert(
            tx,
            &union_store::NewUnion {
                parent_id,
                code,
                name,
                level,
                district,
            },
        )
        .await
        .map_err(anyhow::Error::from),
        None => seed::insert_top_union(tx, code, name, level).await,
    }
    .with_context(|| format!("union {code}"))?;
    let path = format!("{}{id}/", parent.map(|p| p.1).unwrap_or("/"));
    union_store::set_path(tx, id, &path)
        .await
        .map_err(failed("union path"))?;
    Ok((id, path))
}

async fn insert_unions(tx: &mut Conn) -> anyhow::Result<Unions> {
    let province = insert_union(tx, None, "HB", "湖北省总工会", "province", None).await?;
    let city = insert_union(
        tx,
        Some((province.0, &province.1)),
        "WH",
        "武汉市总工会",
        "city",
        None,
    )
    .await?;
    let mut districts = Vec::new();
    let mut workplaces = Vec::new();
    let mut rng = Rng::new(7);
    for (i, (name, code, _)) in DISTRICTS.iter().enumerate() {
        let d = insert_union(
            tx,
            Some((city.0, &city.1)),
            &format!("WH-{code}"),
            &format!("武汉市{name}总工会"),
            "district",
            Some(name),
        )
        .await?;
        // Central districts have more workplaces than the outer ones.
        let count = if i < 7 { 6 } else { 4 };
        for n in 0..count {
            let brand = BRANDS[(i * 5 + n * 7) % BRANDS.len()];
            let trade = rng.pick(TRADES);
            let company = format!("武汉{brand}{trade}");
            let w = insert_union(
                tx,
                Some((d.0, &d.1)),
                &format!("WH-{code}-{:03}", n + 1),
                &format!("{company}工会"),
                "workplace",
                Some(name),
            )
            .await?;
            workplaces.push((w.0, *code, company));
        }
        districts.push((d.0, *code));
    }
    Ok(Unions {
        province: province.0,
        city: city.0,
        districts,
        workplaces,
    })
}

#[allow(clippy::too_many_arguments)]
fn named_person(
    union_id: i64,
    workplace: &str,
    name: &str,
    id: &str,
    phone: &str,
    card_no: &str,
    status: CardStatus,
    now: i64,
) -> NewEntry {
    let issued_at = now - 120 * 86_400;
    NewEntry {
        union_id,
        name: name.into(),
        id_number: IdNumber::parse(id).expect("demo ID numbers are valid"),
        phone: Phone::parse(phone).expect("demo phones are valid"),
        workplace: workplace.into(),
        card_no: card_no.into(),
        bank: unioncard_api::card::ISSUING_BANK,
        status,
        issued_at,
        activated_at: (status == CardStatus::Active).then_some(issued_at + 9 * 86_400),
    }
}

fn random_person(
    rng: &mut Rng,
    unions: &Unions,
    seen_ids: &mut HashSet<String>,
    seen_phones: &mut HashSet<String>,
    serial: &mut i64,
    now: i64,
) -> NewEntry {
    let (workplace_id, district, company) = rng.pick(&unions.workplaces).clone();
    let region = DISTRICTS
        .iter()
        .find(|d| d.1 == district)
        .expect("district")
        .2;
    let male = rng.below(2) == 0;
    let name = format!(
        "{}{}",
        rng.pick(SURNAMES),
        if male {
            rng.pick(GIVEN_MALE)
        } else {
            rng.pick(GIVEN_FEMALE)
        }
    );
    let id_number = loop {
        let year = 1966 + rng.below(38) as u16;
        let month = 1 + rng.below(12) as u8;
        let day = 1 + rng.below(u64::from(days_in_month(year, month))) as u8;
        // The 17th digit's parity is the sex: odd for men.
        let seq = rng.below(50) * 20 + rng.below(5) * 2 + u64::from(male);
        let body = format!("{region}{year:04}{month:02}{day:02}{seq:03}");
        let id = format!("{body}{}", check_character(body.as_bytes()) as char);
        if seen_ids.insert(id.clone()) {
            break IdNumber::parse(&id).expect("generated ID numbers are valid");
        }
    };
    let phone = loop {
        let second = *rng.pick(&[3u64, 5, 7, 8, 9]);
        let p = format!("1{second}{:09}", rng.below(1_000_000_000));
        // Keep clear of the demo accounts' numbers.
        let demo_range = p.starts_with("13") && &p[3..10] == "0000000";
        if !demo_range && seen_phones.insert(p.clone()) {
            break Phone::parse(&p).expect("generated phones are valid");
        }
    };
    *serial += 1;
    let card_no = card_number(*serial);
    let roll = rng.below(100);
    let status = match roll {
        0..=51 => CardStatus::Active,
        52..=91 => CardStatus::Issued,
        92..=96 => CardStatus::Frozen,
        _ => CardStatus::Lost,
    };
    let issued_at = now - (30 + rng.below(700) as i64) * 86_400;
    let activated_at =
        (status != CardStatus::Issued).then(|| issued_at + (1 + rng.below(90) as i64) * 86_400);
    let bank_roll = rng.below(100);
    let mut acc = 0;
    let bank = BANKS
        .iter()
        .find(|(_, w)| {
            acc += w;
            bank_roll < acc
        })
        .map(|(b, _)| *b)
        .unwrap_or(BANKS[0].0);
    NewEntry {
        union_id: workplace_id,
        name,
        id_number,
        phone,
        workplace: company,
        card_no,
        bank,
        status,
        issued_at,
        activated_at: activated_at.filter(|t| *t < now),
    }
}

async fn insert_accounts(
    tx: &mut Conn,
    crypto: &Crypto,
    password_hash: &str,
    unions: &Unions,
    merchants: &[i64],
    now: i64,
) -> anyhow::Result<()> {
    // Members 张伟 and 李娜 have accounts; 王芳 deliberately does not.
    for (phone, id_number, name) in [
        ("13800000001", "420102198803151236", "张伟"),
        ("13800000002", "420106199207082342", "李娜"),
    ] {
        let roster_id = join::roster_id_with_id_hash(tx, &crypto.lookup_hash("id", id_number))
            .await
            .map_err(failed("roster entry"))?
            .with_context(|| format!("roster entry of {name}"))?;
        insert_account(
            tx,
            crypto,
            password_hash,
            phone,
            name,
            Holder::Member(roster_id),
            now,
        )
        .await?;
    }
    let wuchang = unions.district("WC");
    let staff = [
        ("13900000001", "陈静（收银）", Holder::Cashier(merchants[0])),
        ("13900000002", "刘洋（收银）", Holder::Cashier(merchants[1])),
        ("13700000001", "周建国", Holder::Officer(unions.city)),
        ("13700000002", "吴晓燕", Holder::Officer(wuchang)),
        // The city's second officer: approves what 周建国 prepares (four eyes).
        ("13700000003", "孙丽", Holder::Officer(unions.city)),
        // The city's 职工律师团 lawyer, a 武昌 mediator, and the city's
        // counsellor.
        (
            "13500000001",
            "王律师",
            Holder::Staff(Role::Lawyer, unions.city),
        ),
        (
            "13500000003",
            "刘调解员",
            Holder::Staff(Role::Lawyer, wuchang),
        ),
        (
            "13500000002",
            "陈咨询师",
            Holder::Staff(Role::Counsellor, unions.city),
        ),
        ("13600000001", "系统管理员", Holder::Admin(unions.province)),
    ];
    for (phone, name, holder) in staff {
        insert_account(tx, crypto, password_hash, phone, name, holder, now).await?;
    }
    Ok(())
}

/// Whose account it is.
enum Holder {
    /// A member, for a roster entry.
    Member(i64),
    /// An officer of a union.
    Officer(i64),
    /// A union lawyer or counsellor, placed at a union.
    Staff(Role, i64),
    /// A cashier at a merchant.
    Cashier(i64),
    /// An administrator, placed at a union.
    Admin(i64),
}

/// A demo phone as accounts store it: keyed hash, encrypted, masked.
struct Login {
    hash: String,
    enc: String,
    masked: String,
}

impl Login {
    fn new(crypto: &Crypto, phone: &Phone) -> Login {
        Login {
            hash: crypto.lookup_hash("phone", phone.expose()),
            enc: crypto.encrypt(phone.expose()),
            masked: phone.masked(),
        }
    }

    /// The account to write for `name` with this phone.
    fn account<'a>(&'a self, password_hash: &'a str, name: &'a str) -> NewAccount<'a> {
        NewAccount {
            phone_hash: &self.hash,
            phone_enc: &self.enc,
            phone_masked: &self.masked,
            password_hash,
            name,
        }
    }
}

/// Writes an account: members and officers as the product signs them up,
/// cashiers and the administrator (whom the product has no sign-up for)
/// through the seed.
async fn insert_account(
    tx: &mut Conn,
    crypto: &Crypto,
    password_hash: &str,
    phone: &str,
    name: &str,
    holder: Holder,
    now: i64,
) -> anyhow::Result<()> {
    let phone = Phone::parse(phone).expect("demo phones are valid");
    let login = Login::new(crypto, &phone);
    let a = login.account(password_hash, name);
    match holder {
        Holder::Member(roster_id) => accounts::insert_member(tx, &a, roster_id, now)
            .await
            .map(drop)
            .map_err(anyhow::Error::from),
        Holder::Officer(union_id) => accounts::insert_officer(tx, &a, Role::Officer, union_id, now)
            .await
            .map(drop)
            .map_err(anyhow::Error::from),
        Holder::Staff(role, union_id) => accounts::insert_officer(tx, &a, role, union_id, now)
            .await
            .map(drop)
            .map_err(anyhow::Error::from),
        Holder::Cashier(merchant_id) => {
            seed::insert_account(tx, &a, "cashier", None, Some(merchant_id), now).await
        }
        Holder::Admin(union_id) => {
            seed::insert_account(tx, &a, "admin", Some(union_id), None, now).await
        }
    }
    .with_context(|| format!("account {}", phone.masked()))
}

/// Turns a store function's error (an `AppError`, which logs its cause as
/// it is made) into the loading's error, saying what was being written.
fn failed(what: &'static str) -> impl FnOnce(AppError) -> anyhow::Error {
    move |e| anyhow::anyhow!("{what}: {e:?}")
}

#[cfg(test)]
mod tests {
    use super::Rng;

    #[test]
    fn the_generator_is_deterministic() {
        let a: Vec<u64> = (0..5)
            .scan(Rng::new(1), |r, _| Some(r.next_u64()))
            .collect();
        let b: Vec<u64> = (0..5)
            .scan(Rng::new(1), |r, _| Some(r.next_u64()))
            .collect();
        assert_eq!(a, b);
        assert_ne!(a[0], a[1]);
    }
}
