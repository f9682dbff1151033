//! Idempotency keys: the first answer given to a key, kept for a day (the
//! rules of when a key replays are in [`crate::idempotency`]).

use sqlx::{AnyConnection, FromRow};

use crate::error::AppResult;

/// An answer remembered for a key (status 0 while its request is running).
#[derive(Debug, FromRow)]
pub struct Saved {
    pub status: i64,
    pub body: String,
    pub body_hash: String,
    pub created_at: i64,
}

/// The answer remembered for this user's key.
pub async fn saved(conn: &mut AnyConnection, user_id: i64, key: &str) -> AppResult<Option<Saved>> {
    Ok(sqlx::query_as(
        "SELECT status, body, body_hash, created_at FROM idempotency_keys WHERE user_id = $1 AND key = $2",
    )
    .bind(user_id)
    .bind(key)
    .fetch_optional(conn)
    .await?)
}

/// Forgets the key if it was made at or before `before`.
pub async fn forget_older(
    conn: &mut AnyConnection,
    user_id: i64,
    key: &str,
    before: i64,
) -> AppResult<()> {
    sqlx::query(
        "DELETE FROM idempotency_keys WHERE user_id = $1 AND key = $2 AND created_at <= $3",
    )
    .bind(user_id)
    .bind(key)
    .bind(before)
    .execute(conn)
    .await?;
    Ok(())
}

/// Writes the key with its answer unless it is already there (`status` 0 and
/// an empty body reserve it for a request still running). Whether this call
/// wrote it: a second insert of the same key waits on the first's row
/// (PostgreSQL) or on the single writer (SQLite), then finds it.
pub async fn insert(
    conn: &mut AnyConnection,
    user_id: i64,
    key: &str,
    body_hash: &str,
    status: u16,
    body: &str,
    now: i64,
) -> AppResult<bool> {
    let done = sqlx::query(
        "INSERT INTO idempotency_keys (user_id, key, status, body, created_at, body_hash)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (user_id, key) DO NOTHING",
    )
    .bind(user_id)
    .bind(key)
    .bind(i64::from(status))
    .bind(body)
    .bind(now)
    .bind(body_hash)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Writes the answer of a reserved key.
pub async fn answer(
    conn: &mut AnyConnection,
    user_id: i64,
    key: &str,
    status: u16,
    body: &str,
) -> AppResult<()> {
    sqlx::query(
        "UPDATE idempotency_keys SET status = $1, body = $2 WHERE user_id = $3 AND key = $4",
    )
    .bind(i64::from(status))
    .bind(body)
    .bind(user_id)
    .bind(key)
    .execute(conn)
    .await?;
    Ok(())
}
