//! The data key's check value, so a server started with the wrong key
//! refuses to run instead of failing every sign-in (see [`crate::crypto`]).

use sqlx::AnyConnection;

/// The check value recorded for the data key, if one was.
pub async fn check_value(conn: &mut AnyConnection) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar("SELECT check_value FROM key_checks WHERE name = 'data'")
        .fetch_optional(conn)
        .await
}

/// One encrypted phone number, to test a key against a database written
/// before check values were recorded.
pub async fn encrypted_sample(conn: &mut AnyConnection) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar("SELECT phone_enc FROM users WHERE phone_enc <> 'x' ORDER BY id LIMIT 1")
        .fetch_optional(conn)
        .await
}

/// Records the key's check value (the first one recorded stays).
pub async fn record_check_value(
    conn: &mut AnyConnection,
    value: &str,
    now: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO key_checks (name, check_value, created_at) VALUES ('data', $1, $2)
         ON CONFLICT (name) DO NOTHING",
    )
    .bind(value)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}
