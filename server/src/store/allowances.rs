//! Model workers' SQL: the register, each union's standing rates (a worker
//! is paid by the nearest rates at their union or above it), who a month's
//! allowance batch pays, and which unions' standing orders are due.

use sqlx::{AnyConnection, FromRow};
use unioncard_api::allowances::{ModelLevel, ModelWorkerView, Rates, RatesView};

use super::payments::Payee;
use crate::error::{AppError, AppResult};

/// The allowance a worker of union `u` at level `w.level` gets a month, by
/// the nearest rates at `u` or above: a scalar subquery both engines run.
const MONTHLY: &str = "(SELECT CASE w.level WHEN 'national' THEN a.national_fen
                                    WHEN 'provincial' THEN a.provincial_fen ELSE a.city_fen END
           FROM unions p JOIN allowance_rates a ON a.union_id = p.id
          WHERE u.path LIKE p.path || '%' ORDER BY LENGTH(p.path) DESC LIMIT 1)";

/// The union's own rates, if it set any.
pub async fn own_rates(conn: &mut AnyConnection, union_id: i64) -> AppResult<Option<RatesView>> {
    let row: Option<(String, i64, i64, i64, String)> = sqlx::query_as(
        "SELECT u.name, a.national_fen, a.provincial_fen, a.city_fen, s.name
           FROM allowance_rates a JOIN unions u ON u.id = a.union_id JOIN users s ON s.id = a.set_by
          WHERE a.union_id = $1",
    )
    .bind(union_id)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(
        |(union_name, national_fen, provincial_fen, city_fen, set_by)| RatesView {
            union_name,
            rates: Rates {
                national_fen,
                provincial_fen,
                city_fen,
            },
            set_by,
        },
    ))
}

/// Sets (or changes) a union's standing rates.
pub async fn set_rates(
    tx: &mut AnyConnection,
    union_id: i64,
    r: Rates,
    by: i64,
    now: i64,
) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO allowance_rates (union_id, national_fen, provincial_fen, city_fen, set_by, set_at)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (union_id) DO UPDATE SET national_fen = $2, provincial_fen = $3, city_fen = $4,
            set_by = $5, set_at = $6",
    )
    .bind(union_id)
    .bind(r.national_fen)
    .bind(r.provincial_fen)
    .bind(r.city_fen)
    .bind(by)
    .bind(now)
    .execute(tx)
    .await?;
    Ok(())
}

/// The roster entry with this ID-number hash in the unions matching
/// `like`: (entry, its union).
pub async fn member_by_id_hash(
    conn: &mut AnyConnection,
    id_hash: &str,
    like: &str,
) -> AppResult<Option<(i64, i64)>> {
    Ok(sqlx::query_as(
        "SELECT r.id, r.union_id FROM roster_entries r JOIN unions u ON u.id = r.union_id
          WHERE r.id_hash = $1 AND u.path LIKE $2",
    )
    .bind(id_hash)
    .bind(like)
    .fetch_optional(conn)
    .await?)
}

/// Puts a member on the register (again, if they were taken off); false
/// when they are on it already.
pub async fn add(
    tx: &mut AnyConnection,
    roster_id: i64,
    union_id: i64,
    level: ModelLevel,
    honour: &str,
    by: i64,
    now: i64,
) -> AppResult<Option<i64>> {
    let back: Option<i64> = sqlx::query_scalar(
        "UPDATE model_workers SET level = $2, honour = $3, union_id = $4, added_by = $5,
                added_at = $6, ended_at = NULL
          WHERE roster_id = $1 AND ended_at IS NOT NULL RETURNING id",
    )
    .bind(roster_id)
    .bind(level.as_str())
    .bind(honour)
    .bind(union_id)
    .bind(by)
    .bind(now)
    .fetch_optional(&mut *tx)
    .await?;
    if back.is_some() {
        return Ok(back);
    }
    let new = sqlx::query_scalar(
        "INSERT INTO model_workers (roster_id, union_id, level, honour, added_by, added_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(roster_id)
    .bind(union_id)
    .bind(level.as_str())
    .bind(honour)
    .bind(by)
    .bind(now)
    .fetch_one(&mut *tx)
    .await;
    match new {
        Ok(id) => Ok(Some(id)),
        Err(e) if super::is_unique_violation(&e) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// Takes a worker off the register; false when they were off already.
pub async fn end(tx: &mut AnyConnection, id: i64, now: i64) -> AppResult<bool> {
    Ok(
        sqlx::query("UPDATE model_workers SET ended_at = $2 WHERE id = $1 AND ended_at IS NULL")
            .bind(id)
            .bind(now)
            .execute(tx)
            .await?
            .rows_affected()
            == 1,
    )
}

/// The path of a register entry's union (for scope), if it exists.
pub async fn path_of(conn: &mut AnyConnection, id: i64) -> AppResult<Option<(String, i64)>> {
    Ok(sqlx::query_as(
        "SELECT u.path, w.union_id FROM model_workers w JOIN unions u ON u.id = w.union_id WHERE w.id = $1",
    )
    .bind(id)
    .fetch_optional(conn)
    .await?)
}

#[derive(FromRow)]
struct WorkerRow {
    id: i64,
    name: String,
    id_masked: String,
    union_name: String,
    level: String,
    honour: String,
    monthly: Option<i64>,
}

impl WorkerRow {
    fn view(self) -> AppResult<ModelWorkerView> {
        Ok(ModelWorkerView {
            id: self.id,
            name: self.name,
            id_number_masked: self.id_masked,
            union_name: self.union_name,
            level: ModelLevel::from_db(&self.level).ok_or_else(|| AppError::internal("level"))?,
            honour: self.honour,
            monthly_fen: self.monthly,
        })
    }
}

fn select() -> String {
    format!(
        "SELECT w.id, r.name, r.id_masked, u.name AS union_name, w.level, w.honour, {MONTHLY} AS monthly
           FROM model_workers w JOIN roster_entries r ON r.id = w.roster_id
           JOIN unions u ON u.id = w.union_id"
    )
}

/// The register of the unions matching `like` (those on it now).
pub async fn list(conn: &mut AnyConnection, like: &str) -> AppResult<Vec<ModelWorkerView>> {
    let rows: Vec<WorkerRow> = sqlx::query_as(&format!(
        "{} WHERE u.path LIKE $1 AND w.ended_at IS NULL ORDER BY w.id LIMIT 500",
        select()
    ))
    .bind(like)
    .fetch_all(conn)
    .await?;
    rows.into_iter().map(WorkerRow::view).collect()
}

/// The member's own entry, if they are on the register.
pub async fn mine(conn: &mut AnyConnection, roster_id: i64) -> AppResult<Option<ModelWorkerView>> {
    let row: Option<WorkerRow> = sqlx::query_as(&format!(
        "{} WHERE w.roster_id = $1 AND w.ended_at IS NULL",
        select()
    ))
    .bind(roster_id)
    .fetch_optional(conn)
    .await?;
    row.map(WorkerRow::view).transpose()
}

/// Who a month's allowance batch pays: every worker on the register in the
/// unions matching `like`, with a card and an allowance above zero, not
/// paid for `month` yet (nor in another live batch).
pub async fn payees(conn: &mut AnyConnection, like: &str, month: &str) -> AppResult<Vec<Payee>> {
    let rows: Vec<(i64, i64, String, String, Option<i64>)> = sqlx::query_as(&format!(
        "SELECT w.id, r.id, c.card_no, r.name, {MONTHLY}
           FROM model_workers w JOIN roster_entries r ON r.id = w.roster_id
           JOIN cards c ON c.roster_id = r.id JOIN unions u ON u.id = w.union_id
          WHERE w.ended_at IS NULL AND u.path LIKE $1
            AND NOT EXISTS (SELECT 1 FROM payment_lines l WHERE l.roster_id = r.id
                             AND l.allowance_month = $2 AND l.status <> 'failed' AND l.status <> 'cancelled')
          ORDER BY w.id"
    ))
    .bind(like)
    .bind(month)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, roster_id, card_no, holder_name, monthly)| {
            monthly.filter(|m| *m > 0).map(|amount_fen| Payee {
                roster_id,
                card_no,
                holder_name,
                amount_fen,
                source: Some(format!("model_worker:{id}")),
                allowance_month: Some(month.to_string()),
                ..Default::default()
            })
        })
        .collect())
}

/// The unions with standing rates, with who set them and their path.
pub async fn standing_orders(conn: &mut AnyConnection) -> AppResult<Vec<(i64, i64, String)>> {
    Ok(sqlx::query_as(
        "SELECT a.union_id, a.set_by, u.path FROM allowance_rates a JOIN unions u ON u.id = a.union_id
          ORDER BY a.union_id",
    )
    .fetch_all(conn)
    .await?)
}
