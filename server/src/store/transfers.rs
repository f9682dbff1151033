//! Transfers' SQL: a request, its views (the member's, the officers' of
//! both unions), and the conditional steps: accept (which moves the roster
//! entry), decline, withdraw.

use sqlx::{AnyConnection, FromRow};
use unioncard_api::transfers::{TransferStatus, TransferView, UnionRef};

use crate::error::{AppError, AppResult};
use crate::time;

const SELECT: &str = "SELECT t.id, t.roster_id, t.status, t.reason, t.workplace, t.note, t.requested_at, t.decided_at,
        r.name AS member_name, r.id_masked, t.from_union_id, fu.name AS from_name, fu.path AS from_path,
        t.to_union_id, tu.name AS to_name, tu.path AS to_path, d.name AS decider
   FROM transfer_requests t JOIN roster_entries r ON r.id = t.roster_id
   JOIN unions fu ON fu.id = t.from_union_id JOIN unions tu ON tu.id = t.to_union_id
   LEFT JOIN users d ON d.id = t.decided_by";

/// A request as stored, with its member and both unions.
#[derive(Debug, FromRow)]
pub struct TransferRow {
    pub id: i64,
    pub roster_id: i64,
    pub status: String,
    reason: String,
    workplace: String,
    note: Option<String>,
    requested_at: i64,
    decided_at: Option<i64>,
    member_name: String,
    id_masked: String,
    pub from_union_id: i64,
    pub from_name: String,
    /// The old union's path (its officers see the request).
    pub from_path: String,
    pub to_union_id: i64,
    pub to_name: String,
    /// The new union's path (its officers decide).
    pub to_path: String,
    decider: Option<String>,
}

impl TransferRow {
    /// Its status; an unknown stored value is an internal error.
    pub fn status(&self) -> AppResult<TransferStatus> {
        TransferStatus::from_db(&self.status)
            .ok_or_else(|| AppError::internal("unknown transfer status"))
    }

    /// The view; `officer` names the member and says whether they may
    /// decide it.
    pub fn view(self, officer: Option<bool>) -> AppResult<TransferView> {
        let status = self.status()?;
        Ok(TransferView {
            id: self.id,
            member_name: officer.map(|_| self.member_name),
            id_number_masked: officer.map(|_| self.id_masked),
            from: UnionRef {
                id: self.from_union_id,
                name: self.from_name,
            },
            to: UnionRef {
                id: self.to_union_id,
                name: self.to_name,
            },
            status,
            reason: self.reason,
            workplace: self.workplace,
            note: self.note,
            requested_at: time::rfc3339(self.requested_at),
            decided_at: self.decided_at.map(time::rfc3339),
            decided_by: self.decider,
            you_may_decide: officer == Some(true) && status == TransferStatus::Pending,
        })
    }
}

/// One request.
pub async fn one(conn: &mut AnyConnection, id: i64) -> AppResult<Option<TransferRow>> {
    Ok(sqlx::query_as(&format!("{SELECT} WHERE t.id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await?)
}

/// The member's requests, newest first.
pub async fn of_member(conn: &mut AnyConnection, roster_id: i64) -> AppResult<Vec<TransferRow>> {
    Ok(sqlx::query_as(&format!(
        "{SELECT} WHERE t.roster_id = $1 ORDER BY t.id DESC LIMIT 50"
    ))
    .bind(roster_id)
    .fetch_all(conn)
    .await?)
}

/// The requests into or out of the unions matching `like`: waiting ones
/// first, then newest first; at most `limit`.
pub async fn of_unions(
    conn: &mut AnyConnection,
    like: &str,
    limit: i64,
) -> AppResult<Vec<TransferRow>> {
    Ok(sqlx::query_as(&format!(
        "{SELECT} WHERE tu.path LIKE $1 OR fu.path LIKE $1
          ORDER BY CASE WHEN t.status = 'pending' THEN 0 ELSE 1 END, t.id DESC LIMIT {limit}"
    ))
    .bind(like)
    .fetch_all(conn)
    .await?)
}

/// Writes a waiting request. A unique violation means one waits already.
pub async fn insert(
    tx: &mut AnyConnection,
    roster_id: i64,
    from: i64,
    to: i64,
    reason: &str,
    workplace: &str,
    now: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO transfer_requests (roster_id, from_union_id, to_union_id, status, reason, workplace,
            requested_at) VALUES ($1, $2, $3, 'pending', $4, $5, $6) RETURNING id",
    )
    .bind(roster_id)
    .bind(from)
    .bind(to)
    .bind(reason)
    .bind(workplace)
    .bind(now)
    .fetch_one(tx)
    .await
}

/// Moves a waiting request to `to` (accepted, declined, withdrawn) with
/// who did it and the note; `false` when it no longer waits.
pub async fn close(
    tx: &mut AnyConnection,
    id: i64,
    to: TransferStatus,
    by: Option<i64>,
    note: Option<&str>,
    now: i64,
) -> AppResult<bool> {
    let done = sqlx::query(
        "UPDATE transfer_requests SET status = $1, decided_by = $2, note = $3, decided_at = $4
          WHERE id = $5 AND status = 'pending'",
    )
    .bind(to.as_str())
    .bind(by)
    .bind(note)
    .bind(now)
    .bind(id)
    .execute(tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Moves the member's roster entry from union `from` to `to` on `at`, their
/// card counting for the new union from that day; `false` when it is no
/// longer in `from` (moved meanwhile by an import or another transfer).
pub async fn move_member(
    tx: &mut AnyConnection,
    roster_id: i64,
    from: i64,
    to: i64,
    at: i64,
) -> AppResult<bool> {
    let done =
        sqlx::query("UPDATE roster_entries SET union_id = $1 WHERE id = $2 AND union_id = $3")
            .bind(to)
            .bind(roster_id)
            .bind(from)
            .execute(&mut *tx)
            .await?;
    if done.rows_affected() != 1 {
        return Ok(false);
    }
    crate::store::figures::card_moved(tx, roster_id, from, to, at).await?;
    Ok(true)
}
