//! The audit log: who did what, when, what it was before and after. Written
//! in the same transaction as the change it records, so neither can exist
//! without the other.

use serde_json::Value;
use sqlx::AnyConnection;

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
