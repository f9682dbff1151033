//! The store: every SQL statement the server runs, one module per feature,
//! named as the feature is (`store::training::sign_up`). Handlers in
//! `routes/` parse, authorise, call these functions and the shared rules in
//! `unioncard_api`, and answer; they hold no SQL.
//!
//! How a store function looks:
//! - its first argument is `conn: &mut AnyConnection`: a pooled connection
//!   for a read ([`Db::reader`]), or the transaction ([`Db::begin`]) when
//!   steps must hold together; the caller decides the transaction, so a rule
//!   checked between two store calls sees what the second will change;
//! - rows are `#[derive(FromRow)]` structs read with `query_as`, turned into
//!   the wire types of `unioncard_api` beside them;
//! - a change of state is a conditional update from the states it may leave
//!   (`... WHERE id = $1 AND status IN (...)`) and says whether it happened;
//!   what that means for the user (404, 409) is the handler's answer.
//!
//! Every query is written once, in the SQL both engines share, with `$1`-style
//! parameters (sqlx's SQLite driver reads `$N` as the N-th argument) and only
//! the types the `Any` driver carries: BIGINT for integers, money, instants
//! (Unix seconds) and booleans (0/1); TEXT for the rest.
//!
//! SQLite allows one writer at a time and answers a second with "database is
//! locked" instead of waiting when a read transaction tries to become a write.
//! So on SQLite writes go through a pool of exactly one connection, which
//! queues them fairly, while reads use a wider pool; in WAL mode the readers
//! never wait for the writer. On PostgreSQL both are the same pool.

pub mod accounts;
pub mod aid;
pub mod allowances;
pub mod audit;
pub mod campaigns;
pub mod cards;
pub mod cases;
pub mod centres;
pub mod counselling;
pub mod documents;
pub mod education;
pub mod figures;
pub mod geo;
pub mod hardship;
pub mod idempotency;
pub mod inbox;
pub mod join;
pub mod keys;
pub mod loans;
pub mod merchants;
pub mod offers;
pub mod partitions;
pub mod payments;
#[cfg(test)]
mod query_plans;
pub mod rights;
pub mod roster;
pub mod search;
pub mod seed;
pub mod sessions;
pub mod stats;
pub mod throttle;
pub mod training;
pub mod transfers;
pub mod unions;
pub mod uses;

use std::str::FromStr;
use std::time::Duration;

use anyhow::Context;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::pool::PoolConnection;
use sqlx::{Any, AnyConnection, AnyPool, ConnectOptions, Executor, Transaction};

/// A connection, pooled or inside a transaction: what every store function takes.
pub type Conn = AnyConnection;

/// A transaction on the writers' pool.
pub type Tx = Transaction<'static, Any>;

/// Which engine is behind the pool: only the schema's few type names differ.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    /// The embedded default.
    Sqlite,
    /// PostgreSQL and Postgres-wire engines.
    Postgres,
}

/// The database: a pool for reads and one for writes, and one for reads
/// that may lag (a PostgreSQL standby's, when there is one).
#[derive(Clone, Debug)]
pub struct Db {
    read: AnyPool,
    write: AnyPool,
    lagging: AnyPool,
    dialect: Dialect,
}

/// The schema, in order. Each runs once, recorded in `schema_migrations`.
const MIGRATIONS: &[(i64, &str, &str)] = &[
    (
        1,
        "foundation",
        include_str!("../../migrations/0001_foundation.sql"),
    ),
    (2, "card", include_str!("../../migrations/0002_card.sql")),
    (
        3,
        "discounts",
        include_str!("../../migrations/0003_discounts.sql"),
    ),
    (
        4,
        "training",
        include_str!("../../migrations/0004_training.sql"),
    ),
    (5, "aid", include_str!("../../migrations/0005_aid.sql")),
    (6, "loans", include_str!("../../migrations/0006_loans.sql")),
    (
        7,
        "accounts",
        include_str!("../../migrations/0007_accounts.sql"),
    ),
    (
        8,
        "hardening",
        include_str!("../../migrations/0008_hardening.sql"),
    ),
    (
        9,
        "case_file",
        include_str!("../../migrations/0009_case_file.sql"),
    ),
    (10, "inbox", include_str!("../../migrations/0010_inbox.sql")),
    (
        11,
        "campaigns",
        include_str!("../../migrations/0011_campaigns.sql"),
    ),
    (
        12,
        "officer_english",
        include_str!("../../migrations/0012_officer_english.sql"),
    ),
    (
        13,
        "contributions",
        include_str!("../../migrations/0013_contributions.sql"),
    ),
    (
        14,
        "plan_notices",
        include_str!("../../migrations/0014_plan_notices.sql"),
    ),
    (
        15,
        "hardship",
        include_str!("../../migrations/0015_hardship.sql"),
    ),
    (
        16,
        "payments",
        include_str!("../../migrations/0016_payments.sql"),
    ),
    (
        17,
        "education",
        include_str!("../../migrations/0017_education.sql"),
    ),
    (
        18,
        "model_workers",
        include_str!("../../migrations/0018_model_workers.sql"),
    ),
    (
        19,
        "claim_payments",
        include_str!("../../migrations/0019_claim_payments.sql"),
    ),
    (
        20,
        "card_replacements",
        include_str!("../../migrations/0020_card_replacements.sql"),
    ),
    (
        21,
        "service_centres",
        include_str!("../../migrations/0021_service_centres.sql"),
    ),
    (
        22,
        "transfers",
        include_str!("../../migrations/0022_transfers.sql"),
    ),
    (
        23,
        "rights",
        include_str!("../../migrations/0023_rights.sql"),
    ),
    (
        24,
        "figures",
        include_str!("../../migrations/0024_figures.sql"),
    ),
    (
        25,
        "search_grams",
        include_str!("../../migrations/0025_search_grams.sql"),
    ),
    (
        26,
        "code_book",
        include_str!("../../migrations/0026_code_book.sql"),
    ),
    (
        27,
        "queue_order",
        include_str!("../../migrations/0027_queue_order.sql"),
    ),
    (
        28,
        "figure_months",
        include_str!("../../migrations/0028_figure_months.sql"),
    ),
    (
        29,
        "month_partitions",
        include_str!("../../migrations/0029_month_partitions.sql"),
    ),
    (
        30,
        "waiting_by_union",
        include_str!("../../migrations/0030_waiting_by_union.sql"),
    ),
    (
        31,
        "credited_lines",
        include_str!("../../migrations/0031_credited_lines.sql"),
    ),
    (
        32,
        "use_spans",
        include_str!("../../migrations/0032_use_spans.sql"),
    ),
    (
        33,
        "use_counts",
        include_str!("../../migrations/0033_use_counts.sql"),
    ),
];

/// The first line of a migration that only PostgreSQL runs (SQLite records
/// it as applied and moves on).
const POSTGRES_ONLY: &str = "-- PostgreSQL only";

impl Db {
    /// Connects to `sqlite://PATH` (creating the file and its folder) or `postgres://...`.
    pub async fn connect(url: &str) -> anyhow::Result<Db> {
        sqlx::any::install_default_drivers();
        if let Some(path) = url.strip_prefix("sqlite://") {
            let path = path.split('?').next().unwrap_or(path);
            if let Some(dir) = std::path::Path::new(path).parent() {
                if !dir.as_os_str().is_empty() {
                    std::fs::create_dir_all(dir)
                        .with_context(|| format!("creating {}", dir.display()))?;
                }
            }
            let url = if url.contains('?') {
                url.to_string()
            } else {
                format!("{url}?mode=rwc")
            };
            let opts = AnyConnectOptions::from_str(&url)?.disable_statement_logging();
            // Reads through a map of the file (`mmap_size`, 1 GiB of address
            // space, not memory: the pages are the system's file cache).
            // SQLite's own cache is 2 MB a connection; at a million members
            // the figures' bitmaps outgrew it, and each page came back
            // through a read() call (a profile of the city's figures showed
            // the kernel copying pages; the quarter and five years read
            // 1.1-1.2x the small city's time with the map, up to 1.8x
            // without).
            const EVERY_CONNECTION: &str = "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=10000; \
                                            PRAGMA mmap_size=1073741824;";
            // The file's journal, set once by the one writer.
            const WRITER: &str = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;";
            // A file's connection cannot go stale the way a network one
            // can, so the pool does not ping the connection's thread before
            // handing it out (a round trip of two thread wake-ups a request).
            let write = AnyPoolOptions::new()
                .max_connections(1)
                .test_before_acquire(false)
                .acquire_timeout(Duration::from_secs(30))
                .after_connect(move |conn, _| {
                    Box::pin(async move {
                        conn.execute(WRITER).await?;
                        conn.execute(EVERY_CONNECTION).await?;
                        Ok(())
                    })
                })
                .connect_with(opts.clone())
                .await
                .with_context(|| format!("opening {url}"))?;
            let read = AnyPoolOptions::new()
                .max_connections(8)
                .test_before_acquire(false)
                .after_connect(move |conn, _| {
                    Box::pin(async move {
                        conn.execute(EVERY_CONNECTION).await?;
                        Ok(())
                    })
                })
                .connect_with(opts)
                .await?;
            Ok(Db {
                lagging: read.clone(),
                read,
                write,
                dialect: Dialect::Sqlite,
            })
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let pool = postgres_pool(url).await?;
            Ok(Db {
                read: pool.clone(),
                lagging: pool.clone(),
                write: pool,
                dialect: Dialect::Postgres,
            })
        } else {
            anyhow::bail!("DATABASE_URL must start with sqlite:// or postgres://")
        }
    }

    /// Reads that may lag the last writes by a moment go to this standby
    /// (`--database-replica`): the directory, the courses and centres, the
    /// officers' figures. What a person reads of their own records stays
    /// on the primary, so they always see what they just did.
    pub async fn with_replica(mut self, url: &str) -> anyhow::Result<Db> {
        if self.dialect != Dialect::Postgres || !url.starts_with("postgres") {
            anyhow::bail!("a replica is a PostgreSQL standby of a PostgreSQL primary");
        }
        self.lagging = postgres_pool(url).await.context("the replica")?;
        Ok(self)
    }

    /// A connection for reads that may lag the last writes by a moment:
    /// the replica's when there is one, else a reader.
    pub async fn lagging(&self) -> sqlx::Result<PoolConnection<Any>> {
        self.lagging.acquire().await
    }

    /// The pool for queries that only read.
    pub fn read(&self) -> &AnyPool {
        &self.read
    }

    /// The pool for transactions that write.
    pub fn write(&self) -> &AnyPool {
        &self.write
    }

    /// A connection for reads (on SQLite, from the readers' pool).
    pub async fn reader(&self) -> sqlx::Result<PoolConnection<Any>> {
        self.read.acquire().await
    }

    /// A connection on the writers' pool, for a change that is one statement
    /// (it commits by itself).
    pub async fn writer(&self) -> sqlx::Result<PoolConnection<Any>> {
        self.write.acquire().await
    }

    /// A transaction on the writers' pool, for changes of several steps.
    pub async fn begin(&self) -> sqlx::Result<Transaction<'static, Any>> {
        self.write.begin().await
    }

    /// Which engine this is.
    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    /// Applies the migrations not yet applied, each in its own transaction.
    pub async fn migrate(&self) -> anyhow::Result<()> {
        self.migrate_up_to(i64::MAX).await
    }

    /// Applies the migrations not yet applied up to version `last` (a test
    /// puts rows in an older schema this way and then migrates them).
    pub async fn migrate_up_to(&self, last: i64) -> anyhow::Result<()> {
        let mut conn = self.write.acquire().await?;
        sqlx::raw_sql(
            "CREATE TABLE IF NOT EXISTS schema_migrations (
                version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)",
        )
        .execute(&mut *conn)
        .await?;
        for (version, name, sql) in MIGRATIONS {
            let done: Option<i64> =
                sqlx::query_scalar("SELECT version FROM schema_migrations WHERE version = $1")
                    .bind(version)
                    .fetch_optional(&mut *conn)
                    .await?;
            if done.is_some() || *version > last {
                continue;
            }
            let skip = self.dialect != Dialect::Postgres && sql.starts_with(POSTGRES_ONLY);
            let mut tx = sqlx::Connection::begin(&mut *conn).await?;
            if !skip {
                sqlx::raw_sql(&self.render_schema(sql))
                    .execute(&mut *tx)
                    .await
                    .with_context(|| format!("migration {version} {name}"))?;
            }
            sqlx::query(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
            )
            .bind(version)
            .bind(*name)
            .bind(crate::time::now())
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            tracing::info!(version, name, "migration applied");
        }
        Ok(())
    }

    /// The schema is written once; only the auto-numbered key, the binary
    /// column type, SQLite's `WITHOUT ROWID` and the month of a day number
    /// differ.
    fn render_schema(&self, sql: &str) -> String {
        let (id, blob) = match self.dialect {
            Dialect::Sqlite => ("INTEGER PRIMARY KEY AUTOINCREMENT", "BLOB"),
            Dialect::Postgres => (
                "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
                "BYTEA",
            ),
        };
        // A table that is all key (the search grams) is its key's B-tree
        // alone on SQLite, not a second copy beside the rows.
        let without_rowid = match self.dialect {
            Dialect::Sqlite => " WITHOUT ROWID",
            Dialect::Postgres => "",
        };
        sql.replace("{{ID}}", id)
            .replace("{{BLOB}}", blob)
            .replace("{{WITHOUT_ROWID}}", without_rowid)
            .replace(
                "{{MONTH_OF_DAY}}",
                figures::month_of_day_sql(self.dialect == Dialect::Postgres),
            )
    }

    /// True when the database answers.
    pub async fn ping(&self) -> bool {
        sqlx::query("SELECT 1").execute(&self.read).await.is_ok()
    }
}

/// A pool of PostgreSQL connections.
async fn postgres_pool(url: &str) -> anyhow::Result<AnyPool> {
    let opts = AnyConnectOptions::from_str(url)?.disable_statement_logging();
    AnyPoolOptions::new()
        .max_connections(16)
        .acquire_timeout(Duration::from_secs(30))
        .connect_with(opts)
        .await
        .context("connecting to PostgreSQL")
}

/// `(1, 2, 3)`-style placeholder lists for multi-row inserts: `rows` groups of
/// `cols` parameters, numbered from `$1`.
pub fn values_placeholders(rows: usize, cols: usize) -> String {
    let mut out = String::with_capacity(rows * cols * 5);
    for r in 0..rows {
        if r > 0 {
            out.push(',');
        }
        out.push('(');
        for c in 0..cols {
            if c > 0 {
                out.push(',');
            }
            out.push('$');
            out.push_str(&(r * cols + c + 1).to_string());
        }
        out.push(')');
    }
    out
}

/// Tables whose rows a transaction may lock with [`lock_row`].
const LOCKABLE: [&str; 13] = [
    "cards",
    "rights_cases",
    "counselling_slots",
    "hardship_files",
    "education_applications",
    "aid_enrolments",
    "aid_plans",
    "loan_applications",
    "aid_claims",
    "users",
    "merchants",
    "offers",
    "join_requests",
];

/// Takes the write lock on one row for the rest of the transaction, so that
/// a check and the change it guards (a per-day limit, the year's stay count,
/// a draft's state) cannot interleave with another request doing the same.
/// On PostgreSQL a no-op update holds the row lock until commit; on SQLite
/// the single writer already serialises, and the update costs one index
/// probe. Returns whether the row exists.
pub async fn lock_row(
    tx: &mut AnyConnection,
    table: &'static str,
    id: i64,
) -> Result<bool, sqlx::Error> {
    debug_assert!(LOCKABLE.contains(&table), "lock_row on {table}");
    let done = sqlx::query(&format!("UPDATE {table} SET id = id WHERE id = $1"))
        .bind(id)
        .execute(tx)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// The error of a write the caller judges itself (a unique violation is the
/// user's 409, not a 500): see [`is_unique_violation`].
pub type DbError = sqlx::Error;

/// True when the error is a unique-constraint violation on either engine.
pub fn is_unique_violation(e: &DbError) -> bool {
    match e {
        DbError::Database(db) => {
            db.is_unique_violation()
                || db
                    .code()
                    .is_some_and(|c| c == "23505" || c == "2067" || c == "1555")
                || db.message().contains("UNIQUE constraint failed")
        }
        _ => false,
    }
}

/// The longest search text taken (a name, a street, a course title).
pub const MAX_SEARCH_CHARS: usize = 50;

/// `1,2,3` for an `IN (...)` list. Only for ids the server read itself,
/// never a client's text: the list is written into the statement.
pub fn id_list(ids: &[i64]) -> String {
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}

/// A search word as a `LIKE ... ESCAPE '\'` pattern matching it anywhere:
/// trimmed, lowercased, `%`, `_` and `\` taken literally (a search for `%`
/// finds a percent sign, not every row). `None` for an empty search; 400 for
/// one longer than [`MAX_SEARCH_CHARS`].
pub fn contains_pattern(q: Option<&str>) -> crate::error::AppResult<Option<String>> {
    let Some(w) = q.map(str::trim).filter(|w| !w.is_empty()) else {
        return Ok(None);
    };
    if w.chars().count() > MAX_SEARCH_CHARS {
        return Err(crate::error::AppError::bad_param("q"));
    }
    let mut p = String::with_capacity(w.len() + 2);
    p.push('%');
    for c in w.to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(c);
    }
    p.push('%');
    Ok(Some(p))
}

#[cfg(test)]
mod tests {
    use super::contains_pattern;

    #[test]
    fn search_words_are_taken_literally_and_bounded() {
        assert_eq!(
            contains_pattern(Some("  超市 ")).unwrap().unwrap(),
            "%超市%"
        );
        assert_eq!(contains_pattern(Some("%")).unwrap().unwrap(), "%\\%%");
        assert_eq!(
            contains_pattern(Some("a_b\\")).unwrap().unwrap(),
            "%a\\_b\\\\%"
        );
        assert_eq!(contains_pattern(Some("   ")).unwrap(), None);
        assert!(contains_pattern(Some(&"字".repeat(51))).is_err());
    }

    #[test]
    fn placeholders_number_rows_then_columns() {
        assert_eq!(super::values_placeholders(2, 3), "($1,$2,$3),($4,$5,$6)");
    }
}
