//! The history the benchmarks load (`--claims`, `--history`): a city's past
//! claims, each with the timeline and audit entries its officer's steps
//! wrote, read back as officers read them, a page at a time.

use std::collections::HashSet;

use reqwest::StatusCode;
use unioncard_api::aid::ClaimView;
use unioncard_api::audit::AuditEntry;
use unioncard_api::join::Page;
use unioncard_server::config::Config;

use crate::support::{fresh_postgres_database, spawn_with, Backend, TestApp};

/// The demo city with `claims` past claims beyond the demo's own.
async fn city_with_claims(backend: Backend, claims: usize) -> Option<TestApp> {
    let dir = tempfile::tempdir().unwrap();
    let url = match backend {
        Backend::Sqlite => format!("sqlite://{}/test.db", dir.path().display()),
        Backend::Postgres if std::env::var("TEST_POSTGRES_URL").is_ok() => {
            fresh_postgres_database().await
        }
        Backend::Postgres => return None,
    };
    let mut config = Config::for_tests(url, dir.path().join("data"));
    config.members = 1_500;
    config.claims = claims;
    Some(spawn_with(config, dir).await)
}

async fn past_claims_read_as_officers_read_them(backend: Backend) {
    let Some(app) = city_with_claims(backend, 1_000).await else {
        return;
    };
    let db = app.state.db.read();
    let count = |sql: &'static str| async move {
        sqlx::query_scalar::<_, i64>(sql)
            .fetch_one(db)
            .await
            .unwrap()
    };
    assert!(count("SELECT COUNT(*) FROM aid_claims").await >= 1_000);
    // What approvals took of each yearly cap is the sum approved.
    let off = count(
        "SELECT COUNT(*) FROM aid_enrolments e WHERE e.used_fen <>
           (SELECT COALESCE(SUM(c.approved_fen), 0) FROM aid_claims c
             WHERE c.enrolment_id = e.id AND c.status IN ('approved', 'paid'))",
    )
    .await;
    assert_eq!(off, 0);

    // The city's officer pages through every waiting claim: each once.
    let city = app.signed_in("13700000001").await;
    let waiting = count("SELECT COUNT(*) FROM aid_claims WHERE status = 'submitted'").await;
    assert!(waiting >= 20, "two in a hundred wait: {waiting}");
    let mut seen = HashSet::new();
    let mut cursor = String::new();
    for _ in 0..100 {
        let page: Page<ClaimView> = city
            .claim_queue(&format!("status=submitted&limit=7{cursor}"))
            .await
            .expect(StatusCode::OK);
        for c in &page.items {
            assert!(seen.insert(c.id), "claim {} twice", c.id);
        }
        match page.next_cursor {
            Some(next) => cursor = format!("&cursor={next}"),
            None => break,
        }
    }
    assert_eq!(seen.len() as i64, waiting);

    // A paid claim's audit trail: the officer's review, approval and
    // payment, newest first, each with the status it left.
    let paid: i64 = count(
        "SELECT MAX(c.id) FROM aid_claims c WHERE c.status = 'paid'
            AND (SELECT COUNT(*) FROM aid_claim_events e WHERE e.claim_id = c.id) = 4",
    )
    .await;
    let trail: Page<AuditEntry> = city
        .get_as(&format!("/api/staff/audit?target=aid_claim:{paid}"))
        .await
        .expect(StatusCode::OK);
    let actions: Vec<&str> = trail.items.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        ["aid.claim.paid", "aid.claim.approve", "aid.claim.review"]
    );
    assert!(trail.items.iter().all(|e| e.actor != "system"));
    assert_eq!(
        trail.items[0].before.as_ref().unwrap()["status"],
        "approved"
    );
    // The member's own claim reads as the officer decided it.
    let claim: ClaimView = city
        .get_as(&format!("/api/staff/aid/claims/{paid}"))
        .await
        .expect(StatusCode::OK);
    assert_eq!(claim.timeline.len(), 4);
    assert_eq!(claim.approved_fen, claim.timeline[3].amount_fen);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn past_claims_read_as_officers_read_them_sqlite() {
    past_claims_read_as_officers_read_them(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn past_claims_read_as_officers_read_them_postgres() {
    past_claims_read_as_officers_read_them(Backend::Postgres).await;
}
