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
use unioncard_api::request::IdempotencyRefusal;

use crate::error::AppResult;
use crate::{store, time, AppState};

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

/// The first answer given to this user for this key, if any (and not expired).
pub async fn replay(
    state: &AppState,
    user_id: i64,
    key: Option<&Key>,
) -> AppResult<Option<Response>> {
    let Some(key) = key else { return Ok(None) };
    let Some(saved) =
        store::idempotency::saved(&mut *state.db.reader().await?, user_id, &key.stored).await?
    else {
        return Ok(None);
    };
    let expired_before = time::now() - TTL_SECONDS;
    if saved.created_at <= expired_before {
        // Expired: forget it, so this request acts anew.
        store::idempotency::forget_older(
            &mut *state.db.writer().await?,
            user_id,
            &key.stored,
            expired_before,
        )
        .await?;
        return Ok(None);
    }
    if saved.body_hash != key.body_hash {
        return Err(IdempotencyRefusal::KeyReused.into());
    }
    let status = StatusCode::from_u16(saved.status as u16).unwrap_or(StatusCode::OK);
    let body = saved.body;
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
    store::idempotency::insert(
        &mut *state.db.writer().await?,
        user_id,
        &key.stored,
        &key.body_hash,
        status.as_u16(),
        &serde_json::to_string(body).unwrap_or_default(),
        time::now(),
    )
    .await?;
    Ok(())
}

/// Inside a creating request's transaction: takes the key for this request.
/// `false` means another request with the same key got there first (its
/// answer can then be replayed once it commits). Two at once cannot both
/// take it: the second insert waits on the first's row (PostgreSQL) or on
/// the single writer (SQLite), then finds it.
async fn reserve(tx: &mut store::Conn, user_id: i64, key: Option<&Key>) -> AppResult<bool> {
    let Some(key) = key else { return Ok(true) };
    store::idempotency::insert(tx, user_id, &key.stored, &key.body_hash, 0, "", time::now()).await
}

/// Inside the same transaction: the answer to replay for the reserved key.
pub async fn store(
    tx: &mut store::Conn,
    user_id: i64,
    key: Option<&Key>,
    status: StatusCode,
    body: &impl serde::Serialize,
) -> AppResult<()> {
    let Some(key) = key else { return Ok(()) };
    let body = serde_json::to_string(body).unwrap_or_default();
    store::idempotency::answer(tx, user_id, &key.stored, status.as_u16(), &body).await
}

/// How a creating request that may carry an `Idempotency-Key` begins.
pub enum Start {
    /// Go ahead: the key (if any) is taken inside this transaction, so its
    /// answer is stored with the change or not at all.
    Act(store::Tx),
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
    let mut tx = state.db.begin().await?;
    if reserve(&mut tx, user_id, key).await? {
        return Ok(Start::Act(tx));
    }
    tx.rollback().await?;
    match replay(state, user_id, key).await? {
        Some(replayed) => Ok(Start::Replay(replayed)),
        None => Err(IdempotencyRefusal::InProgress.into()),
    }
}
