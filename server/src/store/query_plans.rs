//! The reads that must stay quick however long the history grows (issue
//! 16), checked against each engine's plan: a member's uses and saving, the
//! inbox, a code at the till, the officers' claim and loan queues, the
//! audit log. A test fails when a plan would read a whole table that grows
//! with members or with time. The tables here are empty, so on PostgreSQL
//! sequential scans are switched off for the check: the planner then still
//! chooses one only where no index can serve (SQLite plans from the schema
//! alone, as it does until `ANALYZE`).

use sqlx::{AnyConnection, Connection};
use unioncard_api::aid::ClaimStatus;

use super::{aid, audit, inbox, loans, offers, Db};

/// A bound value of a checked query.
#[derive(Clone, Copy)]
enum Arg {
    I(i64),
    S(&'static str),
}

/// A checked read: its name, its SQL and values for its parameters, and
/// whether an index gives its rows in the page's order (a queue or a log
/// read a page at a time must not sort all its rows for each page).
struct Read {
    name: &'static str,
    sql: String,
    args: Vec<Arg>,
    in_order: bool,
}

/// Tables that grow with members or with time (and their parts).
const GROWING: [&str; 11] = [
    "redemptions",
    "redemption_codes",
    "messages",
    "aid_claims",
    "aid_claim_events",
    "aid_enrolments",
    "loan_applications",
    "audit_log",
    "roster_entries",
    "cards",
    "payment_lines",
];

fn reads(postgres: bool) -> Vec<Read> {
    use Arg::{I, S};
    vec![
        Read {
            name: "a member's uses",
            sql: offers::HISTORY.into(),
            args: vec![I(7), I(i64::MAX), I(21)],
            in_order: false,
        },
        Read {
            name: "a member's saving this year",
            sql: offers::SAVING_SINCE.into(),
            args: vec![I(7), I(1_767_196_800)],
            in_order: false,
        },
        Read {
            name: "a code at the till",
            sql: offers::by_code_sql(),
            args: vec![S("1234567890")],
            in_order: false,
        },
        Read {
            name: "a member's inbox",
            sql: inbox::PAGE.into(),
            args: vec![I(7), I(i64::MAX), I(21)],
            in_order: true,
        },
        Read {
            name: "the claims waiting",
            sql: aid::review_queue_sql(&ClaimStatus::OPEN, !postgres),
            args: vec![S("/1/%"), I(i64::MIN), I(0), I(21)],
            in_order: true,
        },
        Read {
            name: "the paid claims",
            sql: aid::review_queue_sql(&[ClaimStatus::Paid], !postgres),
            args: vec![S("/1/%"), I(i64::MIN), I(0), I(21)],
            in_order: true,
        },
        Read {
            name: "the loan queue",
            sql: loans::queue_sql(),
            args: vec![S("/1/%"), S("submitted")],
            in_order: true,
        },
        Read {
            name: "the audit log",
            sql: audit::ENTRIES.into(),
            args: vec![
                S("/1/%"),
                I(0),
                I(i64::MAX),
                I(0),
                I(i64::MAX),
                S("%"),
                S(""),
                I(51),
            ],
            in_order: true,
        },
    ]
}

/// The lines of a read's plan.
async fn plan(conn: &mut AnyConnection, postgres: bool, read: &Read) -> Vec<String> {
    let sql = if postgres {
        format!("EXPLAIN {}", read.sql)
    } else {
        format!("EXPLAIN QUERY PLAN {}", read.sql)
    };
    let mut q = sqlx::query(&sql);
    for a in &read.args {
        q = match *a {
            Arg::I(v) => q.bind(v),
            Arg::S(v) => q.bind(v),
        };
    }
    let rows = q.fetch_all(&mut *conn).await.expect(read.name);
    use sqlx::Row;
    rows.iter()
        .map(|r| {
            if postgres {
                r.get::<String, _>(0)
            } else {
                r.get::<String, _>(3)
            }
        })
        .collect()
}

/// The growing table a plan line reads whole, if any.
fn full_read(line: &str, postgres: bool) -> Option<&'static str> {
    let line = line.trim_start_matches([' ', '-', '>']);
    let target = if postgres {
        line.strip_prefix("Seq Scan on ")?
    } else {
        // `SCAN t` reads t whole; `SCAN t USING [COVERING] INDEX i` walks
        // an index whole (both are full reads); `SEARCH` is a lookup.
        line.strip_prefix("SCAN ")?
    };
    let name = target.split_whitespace().next()?;
    GROWING.into_iter().find(|t| {
        name == *t
            || name
                .strip_prefix(t)
                .is_some_and(|rest| rest.starts_with('_'))
    })
}

/// Whether a plan line sorts the rows it read (SQLite's sort of the ties
/// of an ordered index, `RIGHT PART OF ORDER BY`, is a page's own).
fn sorts(line: &str, postgres: bool) -> bool {
    if postgres {
        // A node's line, not its `Sort Key:` detail.
        let node = line.trim_start_matches([' ', '-', '>']);
        node.starts_with("Sort  (") || node.starts_with("Incremental Sort  (")
    } else {
        line.trim() == "USE TEMP B-TREE FOR ORDER BY"
    }
}

/// Checks every read's plan on one engine; SQLite names its tables by alias
/// in plans, so the check reads its plans against the aliases' tables.
async fn check(db: &Db) {
    let postgres = db.dialect() == super::Dialect::Postgres;
    let mut conn = db.writer().await.unwrap();
    if postgres {
        sqlx::query("SET enable_seqscan = off")
            .execute(&mut *conn)
            .await
            .unwrap();
    }
    let mut bad = Vec::new();
    for read in reads(postgres) {
        let lines = plan(&mut conn, postgres, &read).await;
        if std::env::var("UC_SHOW_PLANS").is_ok() {
            eprintln!("{}:\n  {}", read.name, lines.join("\n  "));
        }
        for line in &lines {
            let line = if postgres {
                line.clone()
            } else {
                unalias(line, &read.sql)
            };
            if full_read(&line, postgres).is_some() || (read.in_order && sorts(&line, postgres)) {
                bad.push(format!(
                    "{}: {line}\n    {}",
                    read.name,
                    lines.join("\n    ")
                ));
            }
        }
    }
    if postgres {
        sqlx::query("RESET enable_seqscan")
            .execute(&mut *conn)
            .await
            .unwrap();
    }
    assert!(
        bad.is_empty(),
        "full reads of growing tables:\n{}",
        bad.join("\n")
    );
}

/// SQLite's plan line with an alias (`SCAN r`) replaced by its table
/// (`SCAN redemptions`), as the query's `FROM`/`JOIN` clauses name them.
fn unalias(line: &str, sql: &str) -> String {
    let words: Vec<&str> = sql.split_whitespace().collect();
    let mut out = line.to_string();
    for w in words.windows(2) {
        let (table, alias) = (w[0], w[1]);
        if GROWING.contains(&table) {
            for verb in ["SCAN ", "SEARCH "] {
                let from = format!("{verb}{alias} ");
                let whole = format!("{verb}{alias}");
                if out.starts_with(&from) || out == whole {
                    out = out.replacen(&format!("{verb}{alias}"), &format!("{verb}{table}"), 1);
                }
            }
        }
    }
    out
}

#[test]
fn full_reads_are_told_from_lookups() {
    assert_eq!(full_read("SCAN redemptions", false), Some("redemptions"));
    assert_eq!(
        full_read("SCAN audit_log USING INDEX audit_union_at", false),
        Some("audit_log")
    );
    assert_eq!(full_read("SCAN unions", false), None);
    assert_eq!(
        full_read(
            "SEARCH redemptions USING INDEX redemptions_card (card_id=?)",
            false
        ),
        None
    );
    assert_eq!(
        full_read(
            "  ->  Seq Scan on redemptions_202612 r_1  (cost=0.00..1.00 rows=1)",
            true
        ),
        Some("redemptions")
    );
    assert_eq!(
        full_read("->  Seq Scan on redemption_codes k", true),
        Some("redemption_codes")
    );
    assert_eq!(
        full_read("->  Index Scan using messages_by_user on messages", true),
        None
    );
    assert_eq!(
        unalias("SCAN r", "FROM redemptions r JOIN"),
        "SCAN redemptions"
    );
}

#[tokio::test]
async fn history_reads_use_indexes_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::connect(&format!("sqlite://{}/plans.db", dir.path().display()))
        .await
        .unwrap();
    db.migrate().await.unwrap();
    check(&db).await;
}

#[tokio::test]
async fn history_reads_use_indexes_on_postgres() {
    let Ok(admin) = std::env::var("TEST_POSTGRES_URL") else {
        return;
    };
    let name = format!("uc_plans_{}", std::process::id());
    let mut conn = sqlx::postgres::PgConnection::connect(&admin).await.unwrap();
    sqlx::Executor::execute(
        &mut conn,
        format!("DROP DATABASE IF EXISTS {name}").as_str(),
    )
    .await
    .unwrap();
    sqlx::Executor::execute(&mut conn, format!("CREATE DATABASE {name}").as_str())
        .await
        .unwrap();
    let (prefix, _) = admin.rsplit_once('/').unwrap();
    let db = Db::connect(&format!("{prefix}/{name}")).await.unwrap();
    db.migrate().await.unwrap();
    check(&db).await;
}
