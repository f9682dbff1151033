//! The demo register: ten model workers across the city (two national, three
//! provincial, five city honours), the city's standing allowance (¥800,
//! ¥500, ¥300 a month: demo figures, not a union's), set by 周建国.
//! The ledger's demo (`payments.rs`) pays last month's allowances and
//! leaves this month's prepared for 孙丽 to approve.

use unioncard_api::allowances::{ModelLevel, Rates};

use super::failed;
use crate::store::{allowances as store, Conn};

/// The city's standing rates.
pub const RATES: Rates = Rates {
    national_fen: 80_000,
    provincial_fen: 50_000,
    city_fen: 30_000,
};

/// Honours, in turn.
const HONOURS: [(ModelLevel, &str); 10] = [
    (ModelLevel::National, "2015年全国劳动模范"),
    (ModelLevel::National, "2020年全国劳动模范"),
    (ModelLevel::Provincial, "2017年湖北省劳动模范"),
    (ModelLevel::Provincial, "2019年湖北省劳动模范"),
    (ModelLevel::Provincial, "2022年湖北省劳动模范"),
    (ModelLevel::City, "2016年武汉市劳动模范"),
    (ModelLevel::City, "2018年武汉市劳动模范"),
    (ModelLevel::City, "2021年武汉市劳动模范"),
    (ModelLevel::City, "2023年武汉市劳动模范"),
    (ModelLevel::City, "2024年武汉市劳动模范"),
];

/// Inserts the rates and the register.
pub async fn insert(tx: &mut Conn, city: i64, officer: i64, now: i64) -> anyhow::Result<()> {
    store::set_rates(tx, city, RATES, officer, now - 200 * 86_400)
        .await
        .map_err(failed("allowance rates"))?;
    // Members with cards, spread over the roster (never 张伟 or 李娜).
    let members: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT r.id, r.union_id FROM roster_entries r JOIN cards c ON c.roster_id = r.id
          WHERE c.status IN ('issued', 'active') AND r.id > 3 ORDER BY r.id LIMIT 400",
    )
    .fetch_all(&mut *tx)
    .await?;
    // Spread over the roster (a small test city has few members).
    let every = (members.len() / HONOURS.len()).max(1);
    let picked = members.into_iter().step_by(every);
    for ((roster_id, union_id), (level, honour)) in picked.zip(HONOURS) {
        store::add(
            tx,
            roster_id,
            union_id,
            level,
            honour,
            officer,
            now - 200 * 86_400,
        )
        .await
        .map_err(failed("model worker"))?;
    }
    Ok(())
}
