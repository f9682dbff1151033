//! Sign-in sessions: finding the one behind a cookie, idle timeouts, ending them.

use sqlx::{AnyConnection, FromRow};

use crate::error::AppResult;

/// A live session and the account behind it.
#[derive(Debug, FromRow)]
pub struct SessionRow {
    /// Account id.
    pub id: i64,
    /// The account's role as stored.
    pub role: String,
    /// Display name.
    pub name: String,
    /// A member's roster entry.
    pub roster_id: Option<i64>,
    /// An officer's union.
    pub union_id: Option<i64>,
    /// A cashier's merchant.
    pub merchant_id: Option<i64>,
    /// When the session was last used (Unix seconds).
    pub last_seen_at: i64,
}

/// The unexpired session with this token hash, of an account that is not
/// disabled.
pub async fn live(
    conn: &mut AnyConnection,
    token_hash: &str,
    now: i64,
) -> AppResult<Option<SessionRow>> {
    Ok(sqlx::query_as(
        "SELECT u.id, u.role, u.name, u.roster_id, u.union_id, u.merchant_id, s.last_seen_at
           FROM sessions s JOIN users u ON u.id = s.user_id
          WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.disabled_at IS NULL",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(conn)
    .await?)
}

/// Ends one session.
pub async fn end(conn: &mut AnyConnection, token_hash: &str) -> AppResult<()> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(token_hash)
        .execute(conn)
        .await?;
    Ok(())
}

/// Notes that a session was used now.
pub async fn touch(conn: &mut AnyConnection, token_hash: &str, now: i64) -> AppResult<()> {
    sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
        .bind(now)
        .bind(token_hash)
        .execute(conn)
        .await?;
    Ok(())
}

/// Opens a session for an account from now, for `lasts` seconds.
pub async fn create(
    conn: &mut AnyConnection,
    token_hash: &str,
    user_id: i64,
    now: i64,
    lasts: i64,
) -> AppResult<()> {
    sqlx::query("INSERT INTO sessions (token_hash, user_id, created_at, expires_at, last_seen_at) VALUES ($1, $2, $3, $4, $3)")
        .bind(token_hash)
        .bind(user_id)
        .bind(now)
        .bind(now + lasts)
        .execute(conn)
        .await?;
    Ok(())
}

/// Deletes an account's expired sessions.
pub async fn purge_expired_of(conn: &mut AnyConnection, user_id: i64, now: i64) -> AppResult<()> {
    sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND expires_at <= $2")
        .bind(user_id)
        .bind(now)
        .execute(conn)
        .await?;
    Ok(())
}

/// Revokes the e-card secrets a session provisioned (they go with it).
pub async fn revoke_devices_of(
    conn: &mut AnyConnection,
    token_hash: &str,
    now: i64,
) -> AppResult<()> {
    sqlx::query(
        "UPDATE card_devices SET revoked_at = $1 WHERE session_hash = $2 AND revoked_at IS NULL",
    )
    .bind(now)
    .bind(token_hash)
    .execute(conn)
    .await?;
    Ok(())
}

/// Ends every session of an account but `keep` (when given) and revokes the
/// e-card secrets those sessions provisioned.
pub async fn end_all_of(
    conn: &mut AnyConnection,
    user_id: i64,
    keep: Option<&str>,
    now: i64,
) -> AppResult<()> {
    let keep = keep.unwrap_or("");
    sqlx::query(
        "UPDATE card_devices SET revoked_at = $1 WHERE revoked_at IS NULL AND session_hash IN
           (SELECT token_hash FROM sessions WHERE user_id = $2 AND token_hash <> $3)",
    )
    .bind(now)
    .bind(user_id)
    .bind(keep)
    .execute(&mut *conn)
    .await?;
    sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
        .bind(user_id)
        .bind(keep)
        .execute(conn)
        .await?;
    Ok(())
}
