//! The officers' desk: queue counts, figures, the audit log.

use super::*;
use unioncard_api::audit::AuditEntry;
use unioncard_api::join::Page;
use unioncard_api::stats::Queues;
use unioncard_api::stats::Stats;

/// The officer's queue counts.
pub async fn staff_queues() -> Result<Queues, Failure> {
    get("/api/staff/queues").await
}

/// The figures; `query` is the URL query (`from=…&to=…&sort=…`).
pub async fn staff_stats(query: &str) -> Result<Stats, Failure> {
    get(&format!("/api/staff/stats?{query}")).await
}

/// A page of the audit log; `query` is the URL query.
pub async fn audit(query: &str) -> Result<Page<AuditEntry>, Failure> {
    get(&format!("/api/staff/audit?{query}")).await
}
