//! The month parts of the tables that grow with every day of use
//! (`redemptions` by when a code was given, `audit_log` by when an entry
//! was written), on PostgreSQL only: migration 0029 splits them and
//! defines `uc_month_partitions`, which this calls. SQLite keeps them whole.
//!
//! A row whose month has no part yet lands in the table's default part and
//! is moved into its own when the part is made, so a write never fails for
//! want of one; the parts are made ahead so that this stays rare.

use sqlx::AnyConnection;

/// The split tables and the column each is split on.
pub const SPLIT: [(&str, &str); 2] = [("redemptions", "created_at"), ("audit_log", "at")];

/// How far ahead the server keeps the parts made: this month and the next
/// three (it checks at start and with every round of reminders).
pub const AHEAD_SECONDS: i64 = 92 * 86_400;

/// Makes the month parts of every split table for the months from `from` to
/// `to` (seconds since the epoch) that do not have one yet; how many it
/// made. Nothing on SQLite, nor on a PostgreSQL schema from before the
/// split (the demo loaded into it is split when migration 0029 comes).
pub async fn ensure(conn: &mut AnyConnection, from: i64, to: i64) -> sqlx::Result<i64> {
    if conn.backend_name() != "PostgreSQL" {
        return Ok(0);
    }
    let split: bool = sqlx::query_scalar("SELECT to_regproc('uc_month_partitions') IS NOT NULL")
        .fetch_one(&mut *conn)
        .await?;
    if !split {
        return Ok(0);
    }
    let mut made = 0;
    for (table, column) in SPLIT {
        let n: i32 = sqlx::query_scalar("SELECT uc_month_partitions($1, $2, $3, $4)")
            .bind(table)
            .bind(column)
            .bind(from)
            .bind(to)
            .fetch_one(&mut *conn)
            .await?;
        made += i64::from(n);
    }
    Ok(made)
}

/// The parts of `table` (PostgreSQL), oldest first: their names and rows.
pub async fn parts(conn: &mut AnyConnection, table: &str) -> sqlx::Result<Vec<(String, i64)>> {
    let names: Vec<String> = sqlx::query_scalar(
        "SELECT c.relname::text FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
          JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = $1 ORDER BY c.relname",
    )
    .bind(table)
    .fetch_all(&mut *conn)
    .await?;
    let mut out = Vec::with_capacity(names.len());
    for name in names {
        // The names come from the catalogue and are this module's own
        // pattern (`table_YYYYMM`, `table_default`).
        let rows: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM \"{name}\""))
            .fetch_one(&mut *conn)
            .await?;
        out.push((name, rows));
    }
    Ok(out)
}
