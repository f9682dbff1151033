//! What every case file's store shares (an aid claim, a loan application,
//! and the programmes built the same way): where a case stands, moving it
//! from one status to another only the way its programme's rule allows
//! ([`unioncard_api::case_file::CaseStatus`]), and its timeline, one row
//! shape for every programme.

use std::collections::HashMap;

use sqlx::{AnyConnection, FromRow};
use unioncard_api::case_file::CaseStatus;

use super::id_list;
use crate::error::AppResult;

/// Where one programme's case files are stored. The names are the
/// program's constants, never a client's text.
#[derive(Clone, Copy, Debug)]
pub struct CaseTables {
    /// The cases, with `status`, `roster_id` and `union_id` columns.
    pub cases: &'static str,
    /// Their timelines.
    pub events: &'static str,
    /// The timeline's column naming its case.
    pub owner: &'static str,
}

/// Aid claims.
pub const CLAIMS: CaseTables = CaseTables {
    cases: "aid_claims",
    events: "aid_claim_events",
    owner: "claim_id",
};

/// Loan applications.
pub const LOANS: CaseTables = CaseTables {
    cases: "loan_applications",
    events: "loan_events",
    owner: "loan_id",
};

/// Hardship files.
pub const HARDSHIP: CaseTables = CaseTables {
    cases: "hardship_files",
    events: "hardship_file_events",
    owner: "file_id",
};

/// 金秋助学 applications.
pub const EDUCATION: CaseTables = CaseTables {
    cases: "education_applications",
    events: "education_events",
    owner: "application_id",
};

/// Where a case belongs and stands.
#[derive(Debug, FromRow)]
pub struct PlaceRow {
    /// The member's roster entry.
    pub roster_id: i64,
    /// The member's union.
    pub union_id: i64,
    /// The union's path (for officers' scopes).
    pub path: String,
    /// The stored status.
    pub status: String,
}

/// A case's member, union, the union's path and its status; `None` when
/// there is no such case.
pub async fn place(
    conn: &mut AnyConnection,
    t: CaseTables,
    id: i64,
) -> AppResult<Option<PlaceRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT c.roster_id, c.union_id, u.path, c.status FROM {} c JOIN unions u ON u.id = c.union_id
          WHERE c.id = $1",
        t.cases
    ))
    .bind(id)
    .fetch_optional(conn)
    .await?)
}

/// Moves the case from `from` to `to` if it still stands at `from` and the
/// rule allows the move: one conditional update, so two officers (or a
/// double tap, or a page left open on a stage already passed) cannot both
/// move it. Whether it moved. The error is the database's own, so a caller
/// can tell a unique key's refusal (a second open case) from a failure.
pub async fn move_status<S: CaseStatus>(
    tx: &mut AnyConnection,
    t: CaseTables,
    id: i64,
    from: S,
    to: S,
) -> Result<bool, sqlx::Error> {
    if !from.may_move(to) {
        return Ok(false);
    }
    let done = sqlx::query(&format!(
        "UPDATE {} SET status = $1 WHERE id = $2 AND status = $3",
        t.cases
    ))
    .bind(to.as_str())
    .bind(id)
    .bind(from.as_str())
    .execute(tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// One step of a case's timeline, as written.
#[derive(Debug)]
pub struct NewEvent<'a> {
    /// The status it moved to (or stayed in, for a note).
    pub status: &'static str,
    /// When (Unix seconds).
    pub at: i64,
    /// Who: an officer, the member; `None` for nobody on the staff.
    pub actor: Option<i64>,
    /// The note or reason.
    pub note: Option<&'a str>,
    /// The amount the step fixed (approved, paid out).
    pub amount_fen: Option<i64>,
}

/// Adds a step to a case's timeline.
pub async fn add_event(
    tx: &mut AnyConnection,
    t: CaseTables,
    case_id: i64,
    e: NewEvent<'_>,
) -> AppResult<()> {
    sqlx::query(&format!(
        "INSERT INTO {} ({}, status, at, actor_id, note, amount_fen) VALUES ($1, $2, $3, $4, $5, $6)",
        t.events, t.owner
    ))
    .bind(case_id)
    .bind(e.status)
    .bind(e.at)
    .bind(e.actor)
    .bind(e.note)
    .bind(e.amount_fen)
    .execute(&mut *tx)
    .await?;
    // A claim paid counts in the figures of the claim's union, with the
    // amount approved, in the transaction that pays it.
    if t.events == CLAIMS.events && e.status == "paid" {
        let (union_id, fen): (i64, Option<i64>) =
            sqlx::query_as("SELECT union_id, approved_fen FROM aid_claims WHERE id = $1")
                .bind(case_id)
                .fetch_one(&mut *tx)
                .await?;
        super::figures::add(
            tx,
            union_id,
            e.at,
            super::figures::Tally::ClaimPaid,
            1,
            fen.unwrap_or(0),
        )
        .await?;
    }
    Ok(())
}

/// One step of a case's timeline, as read, with who took it.
#[derive(Debug, FromRow)]
pub struct EventRow {
    /// The case.
    pub case_id: i64,
    /// The stored status it moved to.
    pub status: String,
    /// When (Unix seconds).
    pub at: i64,
    /// The note or reason.
    pub note: Option<String>,
    /// The amount the step fixed.
    pub amount_fen: Option<i64>,
    /// The name of who took it; `None` for nobody on record.
    pub actor_name: Option<String>,
    /// Their role.
    pub actor_role: Option<String>,
}

/// The timelines of these cases (one query for all), each oldest first.
pub async fn events_of(
    conn: &mut AnyConnection,
    t: CaseTables,
    ids: &[i64],
) -> AppResult<HashMap<i64, Vec<EventRow>>> {
    let mut out: HashMap<i64, Vec<EventRow>> = HashMap::new();
    if ids.is_empty() {
        return Ok(out);
    }
    let rows: Vec<EventRow> = sqlx::query_as(&format!(
        "SELECT e.{owner} AS case_id, e.status, e.at, e.note, e.amount_fen,
                a.name AS actor_name, a.role AS actor_role
           FROM {events} e LEFT JOIN users a ON a.id = e.actor_id
          WHERE e.{owner} IN ({list}) ORDER BY e.id",
        owner = t.owner,
        events = t.events,
        list = id_list(ids)
    ))
    .fetch_all(conn)
    .await?;
    for r in rows {
        out.entry(r.case_id).or_default().push(r);
    }
    Ok(out)
}

/// Takes the case for this transaction if it still stands at `status` (a
/// no-op update: the row is then this transaction's until it ends, so what
/// is judged next is the row as it is); whether it did.
pub async fn hold<S: CaseStatus>(
    tx: &mut AnyConnection,
    t: CaseTables,
    id: i64,
    status: S,
) -> AppResult<bool> {
    let done = sqlx::query(&format!(
        "UPDATE {} SET id = id WHERE id = $1 AND status = $2",
        t.cases
    ))
    .bind(id)
    .bind(status.as_str())
    .execute(tx)
    .await?;
    Ok(done.rows_affected() == 1)
}
