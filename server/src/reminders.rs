//! What the server tells members by itself, not in answer to anyone's
//! decision: today, that a training session they hold a seat in starts
//! soon. A task runs [`send_due`] every few minutes; each reminder is sent
//! once, however many server instances run it (the sign-up is marked in
//! the same transaction as the message, from "not yet reminded" only).

use std::time::Duration;

use unioncard_api::inbox::Letter;

use crate::error::AppResult;
use crate::store::{self, Db};

/// How far ahead a session counts as "soon": the day before, whatever the
/// hour it starts.
pub const AHEAD_SECS: i64 = 36 * 3600;

/// At most this many reminders per run, so one run stays short.
const BATCH: i64 = 200;

/// How often the task looks.
const EVERY: Duration = Duration::from_secs(300);

/// Sends the reminders due at `now`; how many were sent.
pub async fn send_due(db: &Db, now: i64) -> AppResult<usize> {
    let mut tx = db.begin().await?;
    let due = store::training::due_reminders(&mut tx, now, now + AHEAD_SECS, BATCH).await?;
    let mut sent = 0;
    for d in due {
        if !store::training::mark_reminded(&mut tx, d.signup_id, now).await? {
            continue;
        }
        let starts = crate::time::minute(d.starts_at);
        let letter = Letter::session_soon(&d.course_title, &starts, &d.place, d.course_id);
        store::inbox::send_to_signup_holder(&mut tx, d.signup_id, &letter, now).await?;
        sent += 1;
    }
    tx.commit().await?;
    Ok(sent)
}

/// Starts the task that sends reminders as they fall due.
pub fn spawn(db: Db) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(EVERY);
        loop {
            tick.tick().await;
            match send_due(&db, crate::time::now()).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(sent = n, "training reminders sent"),
                Err(e) => tracing::warn!("training reminders: {e:?}"),
            }
        }
    });
}
