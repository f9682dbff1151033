//! The tables that grow with every day of use, `redemptions` and
//! `audit_log`, split by China month on PostgreSQL (migration 0029), and the
//! book of one-time codes that keeps a code given once on both engines.

use reqwest::StatusCode;
use unioncard_api::offers::MyRedemptions;
use unioncard_server::store::{self, offers::NewCode, partitions};

use crate::both_databases;
use crate::support::{fresh_postgres_database, spawn_postgres, spawn_with, TestApp};

/// The China month of an instant, as the parts are named (`YYYYMM`).
fn china_month(at: i64) -> String {
    let t = chrono::DateTime::from_timestamp(at + 8 * 3600, 0).unwrap();
    t.format("%Y%m").to_string()
}

/// The part of `table` a row is in.
async fn part_of(app: &TestApp, table: &str, key: &str, value: i64) -> String {
    sqlx::query_scalar(&format!(
        "SELECT tableoid::regclass::text FROM {table} WHERE {key} = $1"
    ))
    .bind(value)
    .fetch_one(app.state.db.read())
    .await
    .unwrap()
}

/// The demo's half year of uses lies in month parts, none in the default
/// part; the months ahead are made; a code given today is in this month's
/// part and is still confirmed exactly once; an entry of a month with no
/// part yet waits in the default part and moves into its own when the
/// part is made, with nothing lost.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_keeps_each_month_in_its_own_part() {
    let Some(app) = spawn_postgres().await else {
        return;
    };
    let db = &app.state.db;
    let now = unioncard_server::time::now();
    let mut conn = db.reader().await.unwrap();
    let parts = partitions::parts(&mut conn, "redemptions").await.unwrap();
    let names: Vec<&str> = parts.iter().map(|(n, _)| n.as_str()).collect();
    for at in [
        now - 180 * 86_400,
        now - 90 * 86_400,
        now,
        now + 85 * 86_400,
    ] {
        let name = format!("redemptions_{}", china_month(at));
        assert!(
            names.contains(&name.as_str()),
            "{name} missing in {names:?}"
        );
    }
    let default = parts.iter().find(|(n, _)| n == "redemptions_default");
    assert_eq!(default, Some(&("redemptions_default".to_string(), 0)));
    let in_parts: i64 = parts.iter().map(|(_, rows)| rows).sum();
    let all: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM redemptions")
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    assert!(all >= 1_500, "the demo's history: {all}");
    assert_eq!(in_parts, all);
    drop(conn);

    // A code given now: this month's part, confirmed once, refused after.
    let li = app.signed_in("13800000002").await;
    let found = li
        .merchants("q=%E6%A5%9A%E5%A4%A9%E4%BC%98%E9%80%89%E8%B6%85%E5%B8%82")
        .await
        .into_body();
    let code = li
        .redeem(found.items[0].offers[0].id)
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(
        part_of(&app, "redemptions", "id", code.id).await,
        format!("redemptions_{}", china_month(now))
    );
    let till = app.signed_in("13900000001").await;
    assert_eq!(till.confirm(&code.code, 8_800).await.status, StatusCode::OK);
    let again = till.confirm(&code.code, 8_800).await;
    assert_eq!(
        (again.status, again.code()),
        (StatusCode::CONFLICT, "already_used")
    );
    let history = li
        .get_as::<MyRedemptions>("/api/me/redemptions")
        .await
        .expect(StatusCode::OK);
    assert_eq!(history.items[0].id, code.id, "the use heads her history");

    // An entry two years ahead, a month nobody made: the default part
    // holds it until its part is made, then its part does.
    let later = now + 2 * 365 * 86_400;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO audit_log (at, action, target) VALUES ($1, 'test.future', 'x') RETURNING id",
    )
    .bind(later)
    .fetch_one(db.write())
    .await
    .unwrap();
    assert_eq!(
        part_of(&app, "audit_log", "id", id).await,
        "audit_log_default"
    );
    let made = partitions::ensure(&mut db.writer().await.unwrap(), later, later)
        .await
        .unwrap();
    assert_eq!(made, 2, "that month's part of each split table");
    assert_eq!(
        part_of(&app, "audit_log", "id", id).await,
        format!("audit_log_{}", china_month(later))
    );
    let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log_default")
        .fetch_one(db.read())
        .await
        .unwrap();
    assert_eq!(left, 0);
    // Made once: a second call (another instance's) makes nothing.
    let again = partitions::ensure(&mut db.writer().await.unwrap(), later, later)
        .await
        .unwrap();
    assert_eq!(again, 0);
}

/// A database from before the split: its uses and audit entries are all
/// there after migration 0029, each in its month's part, with their ids;
/// the codes' book holds every code; new rows are numbered after the old.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_splits_the_rows_already_there() {
    if std::env::var("TEST_POSTGRES_URL").is_err() {
        return;
    }
    let url = fresh_postgres_database().await;
    let dir = tempfile::tempdir().unwrap();
    let config = unioncard_server::config::Config::for_tests(url, dir.path().join("data"));
    let old = store::Db::connect(&config.database).await.unwrap();
    // Every migration before the split: the demo's loader writes to them.
    old.migrate_up_to(28).await.unwrap();
    // Today's loader also writes the use spans of migrations 0032 and
    // 0033: the old database gets those columns as they add them, and both
    // are recorded as done, so that 0029 to 0031 are what the start below
    // applies.
    for sql in [
        "ALTER TABLE use_days ADD COLUMN to_date BYTEA",
        "ALTER TABLE use_days ADD COLUMN to_end BYTEA",
        "ALTER TABLE use_months ADD COLUMN to_date BYTEA",
        "ALTER TABLE use_months ADD COLUMN to_end BYTEA",
        "ALTER TABLE use_months ADD COLUMN used BIGINT NOT NULL DEFAULT 0",
        "INSERT INTO schema_migrations (version, name, applied_at) VALUES (32, 'use_spans', 0)",
        "ALTER TABLE use_days ADD COLUMN to_date_used BIGINT NOT NULL DEFAULT 0",
        "ALTER TABLE use_months ADD COLUMN to_date_used BIGINT NOT NULL DEFAULT 0",
        "INSERT INTO schema_migrations (version, name, applied_at) VALUES (33, 'use_counts', 0)",
    ] {
        sqlx::query(sql).execute(old.write()).await.unwrap();
    }
    let crypto = unioncard_server::crypto::Crypto::load(&config).unwrap();
    let size = unioncard_server::demo::Size {
        members: config.members,
        merchants: config.merchants,
        history: config.history,
        claims: config.claims,
    };
    unioncard_server::demo::seed_if_empty(&old, &crypto, size, &dir.path().join("uploads"))
        .await
        .unwrap();
    let sums = "SELECT COUNT(*), CAST(COALESCE(SUM(id), 0) AS BIGINT), MAX(id) FROM ";
    let before_uses: (i64, i64, i64) = sqlx::query_as(&format!("{sums} redemptions"))
        .fetch_one(old.read())
        .await
        .unwrap();
    let before_audit: (i64, i64, i64) = sqlx::query_as(&format!("{sums} audit_log"))
        .fetch_one(old.read())
        .await
        .unwrap();
    assert!(before_uses.0 >= 1_500 && before_audit.0 > 0);
    old.write().close().await;

    let app = spawn_with(config, dir).await;
    let db = &app.state.db;
    let after_uses: (i64, i64, i64) = sqlx::query_as(&format!("{sums} redemptions"))
        .fetch_one(db.read())
        .await
        .unwrap();
    let after_audit: (i64, i64, i64) = sqlx::query_as(&format!("{sums} audit_log"))
        .fetch_one(db.read())
        .await
        .unwrap();
    assert_eq!(after_uses, before_uses);
    assert_eq!(after_audit, before_audit);
    let split: Vec<String> = sqlx::query_scalar(
        "SELECT c.relname::text FROM pg_partitioned_table t JOIN pg_class c ON c.oid = t.partrelid ORDER BY 1",
    )
    .fetch_all(db.read())
    .await
    .unwrap();
    assert_eq!(split, ["audit_log", "redemptions"]);
    let mut conn = db.reader().await.unwrap();
    // Half a year of uses (seven months) and this month's entries, each
    // with the three months ahead and the default part.
    for (table, least) in [("redemptions", 11), ("audit_log", 5)] {
        let parts = partitions::parts(&mut conn, table).await.unwrap();
        assert!(parts.len() >= least, "{table}: {parts:?}");
        let default = parts.iter().find(|(n, _)| n == &format!("{table}_default"));
        assert_eq!(default.map(|d| d.1), Some(0), "{table}: {parts:?}");
    }
    let unbooked: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM redemptions r WHERE NOT EXISTS
           (SELECT 1 FROM redemption_codes k WHERE k.code = r.code AND k.created_at = r.created_at)",
    )
    .fetch_one(&mut *conn)
    .await
    .unwrap();
    assert_eq!(unbooked, 0);
    drop(conn);

    // A new code is numbered after the old ones and found by its digits.
    let li = app.signed_in("13800000002").await;
    let found = li
        .merchants("q=%E6%A5%9A%E5%A4%A9%E4%BC%98%E9%80%89%E8%B6%85%E5%B8%82")
        .await
        .into_body();
    let code = li
        .redeem(found.items[0].offers[0].id)
        .await
        .expect(StatusCode::CREATED);
    assert!(code.id > before_uses.2);
    let till = app.signed_in("13900000001").await;
    let seen = till.till("preview", &code.code, 5_000).await;
    assert_eq!(seen.status, StatusCode::OK, "{}", seen.answer.body);
}

/// A code drawn a second time is refused by the book without spoiling the
/// transaction it was drawn in: the next draw in the same transaction is
/// written (on PostgreSQL, a unique violation would have aborted it).
async fn a_code_given_before_is_drawn_again(app: &TestApp) {
    let db = &app.state.db;
    let (card_id, user_id): (i64, i64) = sqlx::query_as(
        "SELECT c.id, u.id FROM users u JOIN cards c ON c.roster_id = u.roster_id LIMIT 1",
    )
    .fetch_one(db.read())
    .await
    .unwrap();
    let (offer_id, merchant_id): (i64, i64) =
        sqlx::query_as("SELECT id, merchant_id FROM offers ORDER BY id LIMIT 1")
            .fetch_one(db.read())
            .await
            .unwrap();
    let taken: String = sqlx::query_scalar("SELECT code FROM redemption_codes LIMIT 1")
        .fetch_one(db.read())
        .await
        .unwrap();
    let now = unioncard_server::time::now();
    let code = |code| NewCode {
        code,
        offer_id,
        merchant_id,
        card_id,
        user_id,
        created_at: now,
        expires_at: now + 600,
    };
    let before: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM redemptions")
        .fetch_one(db.read())
        .await
        .unwrap();
    let mut tx = db.begin().await.unwrap();
    let first = store::offers::issue_code(&mut tx, &code(&taken))
        .await
        .unwrap();
    assert_eq!(first, None, "a code given before is not given again");
    let second = store::offers::issue_code(&mut tx, &code("0000000042"))
        .await
        .unwrap();
    assert!(second.is_some());
    tx.commit().await.unwrap();
    let after: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM redemptions")
        .fetch_one(db.read())
        .await
        .unwrap();
    assert_eq!(after, before + 1);
}
both_databases!(a_code_given_before_is_drawn_again);
