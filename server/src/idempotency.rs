//! `Idempotency-Key`: a retry of a creating request with the same key from the
//! same user to the same route gets the first answer again instead of acting
//! twice. Keys live in the database, so a retry that lands on another instance
//! is recognised.
//!
//! A key is scoped by user and route (a key used for a claim means nothing to
//! a loan), remembers a hash of the body (the same key with a different body
//! is a client bug or a forgery: 422, nothing done), and expires after a day
//! (a phone that retries later acts anew).

use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use sha2::Digest;
use sqlx::Row;

use crate::error::{AppError, AppResult};
use crate::{time, AppState};

/// How long a key is remembered.
pub const TTL_SECONDS: i64 = 24 * 3600;

/// A request's key, scoped to its route, with the hash of its body.
#[derive(Clone, Debug)]
pub struct Key {
    /// `route key`, as stored.
    stored: String,
    /// SHA-256 of the body as the handler parsed it.
    body_hash: String,
}

/// The request's key, if it sent one (at most 200 characters are kept),
/// for `route` (e.g. `POST /api/loans`, or with the path's id) and `body`.
pub fn key(headers: &HeaderMap, route: &str, body: &impl serde::Serialize) -> Option<Key> {
    let raw = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(|k| k.trim().chars().take(200).collect::<String>())
        .filter(|k| !k.is_empty())?;
    let json = serde_json::to_string(body).unwrap_or_default();
    Some(Key {
        stored: format!("{route} {raw}"),
        body_hash: hex::encode(sha2::Sha256::digest(json.as_bytes())),
    })
}

fn reused() -> AppError {
    AppError::unprocessable(
        "idempotency_key_reused",
        "这个请求编号已用于另一份内容，请重新提交",
        "This Idempotency-Key was used with a different request; send it again",
    )
}

/// The first answer given to this user for this key, if any (and not expired).
pub async fn replay(
    state: &AppState,
    user_id: i64,
    key: Option<&Key>,
) -> AppResult<Option<Response>> {
    let Some(key) = key else { return Ok(None) };
    let row = sqlx::query(
        "SELECT status, body, body_hash, created_at FROM idempotency_keys WHERE user_id = $1 AND key = $2",
    )
    .bind(user_id)
    .bind(&key.stored)
    .fetch_optional(state.db.read())
    .await?;
    let Some(r) = row else { return Ok(None) };
    if r.try_get::<i64, _>("created_at")? <= time::now() - TTL_SECONDS {
        // Expired: forget it, so this request acts anew.
        sqlx::query(
            "DELETE FROM idempotency_keys WHERE user_id = $1 AND key = $2 AND created_at <= $3",
        )
        .bind(user_id)
        .bind(&key.stored)
        .bind(time::now() - TTL_SECONDS)
        .execute(state.db.write())
        .await?;
        return Ok(None);
    }
    if r.try_get::<String, _>("body_hash")? != key.body_hash {
        return Err(reused());
    }
    let status = StatusCode::from_u16(r.try_get::<i64, _>("status").unwrap_or(200) as u16)
        .unwrap_or(StatusCode::OK);
    let body: String = r.try_get("body").unwrap_or_default();
    Ok(Some(
        (
            status,
            [(axum::http::header::CONTENT_TYPE, "application/json")],
            body,
        )
            .into_response(),
    ))
}

/// Remembers the answer for the key (the first writer wins).
pub async fn remember(
    state: &AppState,
    user_id: i64,
    key: Option<&Key>,
    status: StatusCode,
    body: &impl serde::Serialize,
) -> AppResult<()> {
    let Some(key) = key else { return Ok(()) };
    sqlx::query(
        "INSERT INTO idempotency_keys (user_id, key, status, body, created_at, body_hash)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (user_id, key) DO NOTHING",
    )
    .bind(user_id)
    .bind(&key.stored)
    .bind(i64::from(status.as_u16()))
    .bind(serde_json::to_string(body).unwrap_or_default())
    .bind(time::now())
    .bind(&key.body_hash)
    .execute(state.db.write())
    .await?;
    Ok(())
}

/// Inside a creating request's transaction: takes the key for this request.
/// `false` means another request with the same key got there first (its
/// answer can then be replayed once it commits). Two at once cannot both
/// take it: the second insert waits on the first's row (PostgreSQL) or on
/// the single writer (SQLite), then finds it.
async fn reserve(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    user_id: i64,
    key: Option<&Key>,
) -> AppResult<bool> {
    let Some(key) = key else { return Ok(true) };
    let done = sqlx::query(
        "INSERT INTO idempotency_keys (user_id, key, status, body, created_at, body_hash)
         VALUES ($1, $2, 0, '', $3, $4) ON CONFLICT (user_id, key) DO NOTHING",
    )
    .bind(user_id)
    .bind(&key.stored)
    .bind(time::now())
    .bind(&key.body_hash)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Inside the same transaction: the answer to replay for the reserved key.
pub async fn store(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    user_id: i64,
    key: Option<&Key>,
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
    .bind(&key.stored)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// How a creating request that may carry an `Idempotency-Key` begins.
pub enum Start {
    /// Go ahead: the key (if any) is taken inside this transaction, so its
    /// answer is stored with the change or not at all.
    Act(sqlx::Transaction<'static, sqlx::Any>),
    /// Answer with this: the first answer given to the same key.
    Replay(Response),
}

/// Begins a creating request. The key is taken before anything is checked,
/// so a twin request (a double tap, a retry racing the original) waits for
/// the first one to finish and then gets its answer, rather than being
/// judged against what the first one just created.
pub async fn start(state: &AppState, user_id: i64, key: Option<&Key>) -> AppResult<Start> {
    if let Some(replayed) = replay(state, user_id, key).await? {
        return Ok(Start::Replay(replayed));
    }
    let mut tx = state.db.write().begin().await?;
    if reserve(&mut tx, user_id, key).await? {
        return Ok(Start::Act(tx));
    }
    tx.rollback().await?;
    match replay(state, user_id, key).await? {
        Some(replayed) => Ok(Start::Replay(replayed)),
        None => Err(AppError::conflict(
            "in_progress",
            "正在提交，请稍候",
            "Already being sent; please wait",
        )),
    }
}
