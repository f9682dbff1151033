//! The audit log: who did what, when, what it was before and after. Written
//! in the same transaction as the change it records, so neither can exist
//! without the other.

use serde_json::Value;
use sqlx::{AnyConnection, FromRow};

use crate::error::AppResult;
use crate::time;

/// One audit entry.
pub struct Entry {
    /// The account acting (none for the system itself).
    pub actor: Option<i64>,
    /// The union the change belongs to (for officers' scope).
    pub union_id: Option<i64>,
    /// What was done (stored as its name, e.g. `card.activate`).
    pub action: unioncard_api::audit::AuditAction,
    /// What it was done to, e.g. `card:17`.
    pub target: String,
    /// The state before.
    pub before: Option<Value>,
    /// The state after.
    pub after: Option<Value>,
}

/// Records an entry inside the caller's transaction.
pub async fn record(tx: &mut AnyConnection, e: Entry) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO audit_log (at, actor_id, union_id, action, target, before_json, after_json)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(time::now())
    .bind(e.actor)
    .bind(e.union_id)
    .bind(e.action.as_str())
    .bind(e.target)
    .bind(e.before.map(|v| v.to_string()))
    .bind(e.after.map(|v| v.to_string()))
    .execute(tx)
    .await?;
    Ok(())
}

// ---- reading it ----

/// Which audit entries.
#[derive(Debug)]
pub struct AuditFilter<'a> {
    /// The unions' path pattern.
    pub path_like: &'a str,
    /// Entries without a union (the system's) too: administrators only.
    pub with_system: bool,
    /// Entries with ids below this.
    pub before_id: i64,
    /// From this instant.
    pub from: i64,
    /// Before this instant.
    pub to: i64,
    /// A `LIKE` pattern for the action.
    pub action: &'a str,
    /// One target, or `""` for any.
    pub target: &'a str,
    /// At most this many.
    pub limit: i64,
}

/// An audit entry with the name of who made it.
#[derive(Debug, FromRow)]
pub struct AuditRow {
    pub id: i64,
    pub at: i64,
    pub action: String,
    pub target: String,
    pub before_json: Option<String>,
    pub after_json: Option<String>,
    /// The account's name; `None` for the system.
    pub actor: Option<String>,
}

/// Audit entries, newest first: `$1` the unions' path pattern, `$2` 1 to
/// include the system's, below the id `$3`, at from `$4` to before `$5`,
/// action `LIKE $6`, target `$7` (or `''` for any), `$8` of them.
pub(crate) const ENTRIES: &str =
    "SELECT a.id, a.at, a.action, a.target, a.before_json, a.after_json, us.name AS actor
   FROM audit_log a LEFT JOIN unions u ON u.id = a.union_id LEFT JOIN users us ON us.id = a.actor_id
  WHERE (u.path LIKE $1 OR (a.union_id IS NULL AND $2 = 1))
    AND a.id < $3 AND a.at >= $4 AND a.at < $5 AND a.action LIKE $6 AND ($7 = '' OR a.target = $7)
  ORDER BY a.id DESC LIMIT $8";

/// Audit entries matching the filter, newest first.
pub async fn entries(conn: &mut AnyConnection, f: &AuditFilter<'_>) -> AppResult<Vec<AuditRow>> {
    Ok(sqlx::query_as(ENTRIES)
        .bind(f.path_like)
        .bind(i64::from(f.with_system))
        .bind(f.before_id)
        .bind(f.from)
        .bind(f.to)
        .bind(f.action)
        .bind(f.target)
        .bind(f.limit)
        .fetch_all(conn)
        .await?)
}
