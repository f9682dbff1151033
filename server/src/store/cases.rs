//! What every case file's store shares: moving a case from one status to
//! another, only from the statuses its programme's rule allows
//! ([`unioncard_api::case_file::CaseStatus`]).

use sqlx::AnyConnection;
use unioncard_api::case_file::{guard, CaseStatus};

use crate::error::AppResult;

/// The tables of case files.
const CASE_TABLES: [&str; 2] = ["aid_claims", "loan_applications"];

/// Moves the case to `to` if it stands where the rule allows that move; one
/// conditional update, so two officers (or a double tap) cannot both move it.
/// Whether it moved.
pub async fn move_status<S: CaseStatus>(
    tx: &mut AnyConnection,
    table: &'static str,
    id: i64,
    to: S,
) -> AppResult<bool> {
    debug_assert!(CASE_TABLES.contains(&table), "move_status on {table}");
    let done = sqlx::query(&format!(
        "UPDATE {table} SET status = $1 WHERE id = $2 AND {}",
        guard(to)
    ))
    .bind(to.as_str())
    .bind(id)
    .execute(tx)
    .await?;
    Ok(done.rows_affected() == 1)
}
