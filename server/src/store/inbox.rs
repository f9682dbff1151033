//! The inbox's SQL: sending (inside the caller's transaction), a page,
//! the unread count, and marking read. Every read and change names the
//! member's own account, so no one reaches another's messages.

use sqlx::{AnyConnection, FromRow};
use unioncard_api::inbox::Letter;

use crate::error::AppResult;

const SEND: &str =
    "INSERT INTO messages (user_id, kind, title_zh, title_en, body_zh, body_en, link, sent_at)";

/// Sends a message to each account `who` selects (one column of user ids,
/// `$1` the only parameter), inside the caller's transaction.
async fn send_to(
    tx: &mut AnyConnection,
    who: &str,
    key: i64,
    l: &Letter,
    now: i64,
) -> AppResult<()> {
    sqlx::query(&format!(
        "{SEND} SELECT w.user_id, $2, $3, $4, $5, $6, $7, $8 FROM ({who}) w"
    ))
    .bind(key)
    .bind(l.kind.as_str())
    .bind(&l.title_zh)
    .bind(&l.title_en)
    .bind(&l.body_zh)
    .bind(&l.body_en)
    .bind(&l.link)
    .bind(now)
    .execute(tx)
    .await?;
    Ok(())
}

/// Sends a message to the account of a roster entry; nothing when the
/// member has no account yet (no inbox to read it in), or when that account
/// is `actor` (a member acting on their own case is not told what they
/// just did).
pub async fn send_to_member(
    tx: &mut AnyConnection,
    roster_id: i64,
    actor: i64,
    l: &Letter,
    now: i64,
) -> AppResult<()> {
    let who = format!("SELECT id AS user_id FROM users WHERE roster_id = $1 AND id <> {actor}");
    send_to(tx, &who, roster_id, l, now).await
}

/// Sends a message to every worker on a rights case who has an account,
/// except `actor`.
pub async fn send_to_case_workers(
    tx: &mut AnyConnection,
    case_id: i64,
    actor: i64,
    l: &Letter,
    now: i64,
) -> AppResult<()> {
    let who = format!(
        "SELECT DISTINCT user_id FROM rights_case_workers
          WHERE case_id = $1 AND user_id IS NOT NULL AND user_id <> {actor}"
    );
    send_to(tx, &who, case_id, l, now).await
}

/// Sends a message to whoever applied to join (the account with the
/// application's phone; nothing if they have none yet).
pub async fn send_to_join_applicant(
    tx: &mut AnyConnection,
    join_id: i64,
    l: &Letter,
    now: i64,
) -> AppResult<()> {
    let who = "SELECT u.id AS user_id FROM users u JOIN join_requests j ON j.phone_hash = u.phone_hash WHERE j.id = $1";
    send_to(tx, who, join_id, l, now).await
}

/// Sends a message to the author of a complaint.
pub async fn send_to_complaint_author(
    tx: &mut AnyConnection,
    complaint_id: i64,
    l: &Letter,
    now: i64,
) -> AppResult<()> {
    send_to(
        tx,
        "SELECT user_id FROM complaints WHERE id = $1",
        complaint_id,
        l,
        now,
    )
    .await
}

/// Sends a message to the holder of a training sign-up.
pub async fn send_to_signup_holder(
    tx: &mut AnyConnection,
    signup_id: i64,
    l: &Letter,
    now: i64,
) -> AppResult<()> {
    send_to(
        tx,
        "SELECT user_id FROM signups WHERE id = $1",
        signup_id,
        l,
        now,
    )
    .await
}

/// A stored message.
#[derive(Debug, FromRow)]
pub struct MessageRow {
    pub id: i64,
    pub kind: String,
    pub title_zh: String,
    pub title_en: String,
    pub body_zh: String,
    pub body_en: String,
    pub link: String,
    pub sent_at: i64,
    pub read_at: Option<i64>,
}

/// An account's (`$1`) messages below the id `$2`, newest first, `$3` of them.
pub(crate) const PAGE: &str =
    "SELECT id, kind, title_zh, title_en, body_zh, body_en, link, sent_at, read_at
   FROM messages WHERE user_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3";

/// Up to `limit` of the account's messages with ids below `before_id`,
/// newest first.
pub async fn page(
    conn: &mut AnyConnection,
    user_id: i64,
    before_id: i64,
    limit: i64,
) -> AppResult<Vec<MessageRow>> {
    Ok(sqlx::query_as(PAGE)
        .bind(user_id)
        .bind(before_id)
        .bind(limit)
        .fetch_all(conn)
        .await?)
}

/// How many of the account's messages are unread.
pub async fn unread(conn: &mut AnyConnection, user_id: i64) -> AppResult<i64> {
    Ok(
        sqlx::query_scalar("SELECT COUNT(*) FROM messages WHERE user_id = $1 AND read_at IS NULL")
            .bind(user_id)
            .fetch_one(conn)
            .await?,
    )
}

/// Marks one of the account's messages read (once: the first time stays).
/// Whether the account has such a message.
pub async fn mark_read(
    conn: &mut AnyConnection,
    user_id: i64,
    id: i64,
    now: i64,
) -> AppResult<bool> {
    sqlx::query(
        "UPDATE messages SET read_at = $3 WHERE id = $1 AND user_id = $2 AND read_at IS NULL",
    )
    .bind(id)
    .bind(user_id)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    let mine: Option<i64> =
        sqlx::query_scalar("SELECT id FROM messages WHERE id = $1 AND user_id = $2")
            .bind(id)
            .bind(user_id)
            .fetch_optional(conn)
            .await?;
    Ok(mine.is_some())
}

/// Marks every unread message of the account read.
pub async fn mark_all_read(conn: &mut AnyConnection, user_id: i64, now: i64) -> AppResult<()> {
    sqlx::query("UPDATE messages SET read_at = $2 WHERE user_id = $1 AND read_at IS NULL")
        .bind(user_id)
        .bind(now)
        .execute(conn)
        .await?;
    Ok(())
}

/// The plans this account has already been considered for.
pub async fn plans_noticed(conn: &mut AnyConnection, user_id: i64) -> AppResult<Vec<i64>> {
    Ok(
        sqlx::query_scalar("SELECT plan_id FROM plan_notices WHERE user_id = $1")
            .bind(user_id)
            .fetch_all(conn)
            .await?,
    )
}

/// Records that this account was considered for this plan (`sent`: it was
/// told); false when it already was (another request got there first).
pub async fn notice_plan(
    tx: &mut AnyConnection,
    user_id: i64,
    plan_id: i64,
    sent: bool,
    now: i64,
) -> AppResult<bool> {
    Ok(sqlx::query(
        "INSERT INTO plan_notices (user_id, plan_id, sent, at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (user_id, plan_id) DO NOTHING",
    )
    .bind(user_id)
    .bind(plan_id)
    .bind(i64::from(sent))
    .bind(now)
    .execute(tx)
    .await?
    .rows_affected()
        == 1)
}

/// Sends a message to one account, inside the caller's transaction.
pub async fn send_to_account(
    tx: &mut AnyConnection,
    user_id: i64,
    l: &Letter,
    now: i64,
) -> AppResult<()> {
    send_to(tx, "SELECT $1 AS user_id", user_id, l, now).await
}
