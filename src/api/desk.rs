//! The officers' desk: queue counts, figures, the audit log.

use super::*;
use unioncard_api::join::Page;
use unioncard_api::stats::Stats;

/// What waits in each of the officer's queues.
#[derive(Clone, Debug, PartialEq, serde::Deserialize)]
pub struct Queues {
    /// Join requests.
    pub join_requests: i64,
    /// Aid claims.
    pub claims: i64,
    /// Loan applications.
    pub loans: i64,
    /// Complaints.
    pub complaints: i64,
}

/// The officer's queue counts.
pub async fn staff_queues() -> Result<Queues, Failure> {
    get("/api/staff/queues").await
}

/// The figures; `query` is the URL query (`from=…&to=…&sort=…`).
pub async fn staff_stats(query: &str) -> Result<Stats, Failure> {
    get(&format!("/api/staff/stats?{query}")).await
}

/// One audit entry.
#[derive(Clone, Debug, PartialEq, serde::Deserialize)]
pub struct AuditEntry {
    /// When.
    pub at: String,
    /// Who.
    pub actor: String,
    /// What.
    pub action: String,
    /// To what.
    pub target: String,
    /// Before.
    pub before: Option<serde_json::Value>,
    /// After.
    pub after: Option<serde_json::Value>,
}

/// A page of the audit log; `query` is the URL query.
pub async fn audit(query: &str) -> Result<Page<AuditEntry>, Failure> {
    get(&format!("/api/staff/audit?{query}")).await
}
