//! Attempt counters (the rules of counting and locking are in
//! [`crate::throttle`]).

use sqlx::AnyConnection;

use crate::error::AppResult;

/// Makes sure the key has its row (a first attempt starts at zero hits).
pub async fn ensure(conn: &mut AnyConnection, key: &str, now: i64) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO throttle (key, hits, last_at, locked_until) VALUES ($1, 0, $2, 0)
         ON CONFLICT (key) DO NOTHING",
    )
    .bind(key)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// Runs the counting update the rules wrote (`$1` the key, `$2` now);
/// whether it let the attempt through.
pub async fn count(
    conn: &mut AnyConnection,
    update_sql: &str,
    key: &str,
    now: i64,
) -> AppResult<bool> {
    let done = sqlx::query(update_sql)
        .bind(key)
        .bind(now)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Until when the key is locked.
pub async fn locked_until(conn: &mut AnyConnection, key: &str) -> AppResult<i64> {
    Ok(
        sqlx::query_scalar("SELECT locked_until FROM throttle WHERE key = $1")
            .bind(key)
            .fetch_one(conn)
            .await?,
    )
}

/// Forgets the key.
pub async fn clear(conn: &mut AnyConnection, key: &str) -> AppResult<()> {
    sqlx::query("DELETE FROM throttle WHERE key = $1")
        .bind(key)
        .execute(conn)
        .await?;
    Ok(())
}

/// Takes one attempt back.
pub async fn forgive(conn: &mut AnyConnection, key: &str) -> AppResult<()> {
    sqlx::query("UPDATE throttle SET hits = hits - 1 WHERE key = $1 AND hits > 0")
        .bind(key)
        .execute(conn)
        .await?;
    Ok(())
}
