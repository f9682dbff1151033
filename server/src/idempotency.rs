//! `Idempotency-Key`: a retry of a creating request with the same key from the
//! same user gets the first answer again instead of acting twice. Keys live
//! in the database, so a retry that lands on another instance is recognised.

use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use sqlx::Row;

use crate::error::AppResult;
use crate::{time, AppState};

/// The request's key, if it sent one (at most 200 characters are kept).
pub fn key(headers: &HeaderMap) -> Option<String> {
    headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(|k| k.trim().chars().take(200).collect::<String>())
        .filter(|k| !k.is_empty())
}

/// The first answer given to this user for this key, if any.
pub async fn replay(
    state: &AppState,
    user_id: i64,
    key: Option<&str>,
) -> AppResult<Option<Response>> {
    let Some(key) = key else { return Ok(None) };
    let row =
        sqlx::query("SELECT status, body FROM idempotency_keys WHERE user_id = $1 AND key = $2")
            .bind(user_id)
            .bind(key)
            .fetch_optional(state.db.read())
            .await?;
    Ok(row.map(|r| {
        let status = StatusCode::from_u16(r.try_get::<i64, _>("status").unwrap_or(200) as u16)
            .unwrap_or(StatusCode::OK);
        let body: String = r.try_get("body").unwrap_or_default();
        (
            status,
            [(axum::http::header::CONTENT_TYPE, "application/json")],
            body,
        )
            .into_response()
    }))
}

/// Remembers the answer for the key (the first writer wins).
pub async fn remember(
    state: &AppState,
    user_id: i64,
    key: Option<&str>,
    status: StatusCode,
    body: &impl serde::Serialize,
) -> AppResult<()> {
    let Some(key) = key else { return Ok(()) };
    sqlx::query(
        "INSERT INTO idempotency_keys (user_id, key, status, body, created_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (user_id, key) DO NOTHING",
    )
    .bind(user_id)
    .bind(key)
    .bind(i64::from(status.as_u16()))
    .bind(serde_json::to_string(body).unwrap_or_default())
    .bind(time::now())
    .execute(state.db.write())
    .await?;
    Ok(())
}

/// Inside a creating request's transaction: takes the key for this request.
/// `false` means another request with the same key got there first (its
/// answer can then be replayed once it commits). Two at once cannot both
/// take it: the second insert waits on the first's row (PostgreSQL) or on
/// the single writer (SQLite), then finds it.
pub async fn reserve(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    user_id: i64,
    key: Option<&str>,
) -> AppResult<bool> {
    let Some(key) = key else { return Ok(true) };
    let done = sqlx::query(
        "INSERT INTO idempotency_keys (user_id, key, status, body, created_at) VALUES ($1, $2, 0, '', $3)
         ON CONFLICT (user_id, key) DO NOTHING",
    )
    .bind(user_id)
    .bind(key)
    .bind(time::now())
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Inside the same transaction: the answer to replay for the reserved key.
pub async fn store(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    user_id: i64,
    key: Option<&str>,
    status: StatusCode,
    body: &impl serde::Serialize,
) -> AppResult<()> {
    let Some(key) = key else { return Ok(()) };
    sqlx::query(
        "UPDATE idempotency_keys SET status = $1, body = $2 WHERE user_id = $3 AND key = $4",
    )
    .bind(i64::from(status.as_u16()))
    .bind(serde_json::to_string(body).unwrap_or_default())
    .bind(user_id)
    .bind(key)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
