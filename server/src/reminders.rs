//! What the server tells members by itself, not in answer to anyone's
//! decision: that a training session they hold a seat in starts soon, and
//! that an aid plan they may join closes to new members soon.
//!
//! Training and counselling: a task runs [`send_due`] every few minutes; each reminder is
//! sent once, however many server instances run it (the sign-up is marked
//! in the same transaction as the message, from "not yet reminded" only).
//!
//! Model-worker allowances: each union's month is prepared as a payment
//! batch from its standing rates (`ledger::prepare_month_allowances`).
//!
//! Hardship files ending: [`tell_of_files_ending`], the same way, once per
//! file (`renewal_told_at`).
//!
//! Closing plans: a plan is open to every member under its union (a city's
//! million), so nothing is broadcast. [`tell_of_closing_plans`] runs when a
//! member looks at their inbox or its count: it costs one query of the few
//! open plans when none closes soon, one more when the member has been
//! considered for each that does, and the member's facts otherwise; each
//! account is considered once per plan (its key in `plan_notices`).

use std::time::Duration;

use unioncard_api::hardship;
use unioncard_api::identity::Date;
use unioncard_api::inbox::Letter;

use crate::error::AppResult;
use crate::extract::CurrentUser;
use crate::store::{self, Db};
use crate::time;

/// A plan's enrolment window "closes soon" in its last this-many days.
pub const CLOSING_DAYS: i64 = 7;

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
    // Counselling bookings: the same "the day before", once each.
    let due = store::counselling::due_reminders(&mut tx, now, now + AHEAD_SECS, BATCH).await?;
    for d in due {
        if !store::counselling::mark_reminded(&mut tx, d.id, now).await? {
            continue;
        }
        let when = crate::time::minute(d.starts_at);
        let (place_zh, place_en) = match d.centre_name.as_deref() {
            Some(c) if d.mode == "centre" => (format!("地点：{c}"), format!("at {c}")),
            _ => (
                "咨询师将来电".to_string(),
                "the counsellor will call you".to_string(),
            ),
        };
        let letter = Letter::counselling_soon((&when, &when), (&place_zh, &place_en));
        store::inbox::send_to_account(&mut tx, d.user_id, &letter, now).await?;
        sent += 1;
    }
    tx.commit().await?;
    Ok(sent)
}

/// Tells a member, once, of each aid plan they may join and have not whose
/// window closes within [`CLOSING_DAYS`] (today included).
pub async fn tell_of_closing_plans(db: &Db, user: &CurrentUser, now: i64) -> AppResult<()> {
    let Some(roster_id) = user.roster_id else {
        return Ok(());
    };
    let today = time::today();
    let mut conn = db.reader().await?;
    let closing: Vec<_> = store::aid::open_plans(&mut conn)
        .await?
        .into_iter()
        .filter(|p| {
            let d = &p.dates;
            d.window_from <= today
                && today <= d.window_to
                && d.window_to <= today.add_days(CLOSING_DAYS - 1)
        })
        .collect();
    if closing.is_empty() {
        return Ok(());
    }
    let noticed = store::inbox::plans_noticed(&mut conn, user.id).await?;
    let new: Vec<_> = closing
        .into_iter()
        .filter(|p| !noticed.contains(&p.view.id))
        .collect();
    if new.is_empty() {
        return Ok(());
    }
    let member = store::aid::member_side(&mut conn, roster_id).await?;
    drop(conn);
    let mut tx = db.begin().await?;
    for plan in new {
        let tell = member.may_join(&plan, today);
        // Only the request that records the notice sends it.
        if store::inbox::notice_plan(&mut tx, user.id, plan.view.id, tell, now).await? && tell {
            let names = (plan.names.0.as_str(), plan.names.1.as_str());
            let letter = Letter::plan_closing(
                names,
                plan.dates.window_to,
                plan.view.member_pays_fen,
                plan.view.id,
            );
            store::inbox::send_to_account(&mut tx, user.id, &letter, now).await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

/// Tells a member, once per file, that their hardship file on record ends
/// within [`hardship::RENEW_DAYS`] (when they may renew it). One indexed
/// read when there is nothing to tell.
pub async fn tell_of_files_ending(db: &Db, user: &CurrentUser, now: i64) -> AppResult<()> {
    let Some(roster_id) = user.roster_id else {
        return Ok(());
    };
    let by = time::today().add_days(hardship::RENEW_DAYS).iso();
    let ending = store::hardship::files_ending(&mut *db.reader().await?, roster_id, &by).await?;
    if ending.is_empty() {
        return Ok(());
    }
    let mut tx = db.begin().await?;
    for (id, until) in ending {
        let Some(last_day) = Date::parse_iso(&until) else {
            continue;
        };
        if store::hardship::mark_renewal_told(&mut tx, id, now).await? {
            let letter = Letter::hardship_renew(last_day);
            store::inbox::send_to_account(&mut tx, user.id, &letter, now).await?;
        }
    }
    tx.commit().await?;
    Ok(())
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
            // The months ahead of the tables split by month (PostgreSQL).
            let now = crate::time::now();
            let made = match db.writer().await {
                Ok(mut conn) => {
                    let to = now + crate::store::partitions::AHEAD_SECONDS;
                    crate::store::partitions::ensure(&mut conn, now, to).await
                }
                Err(e) => Err(e),
            };
            match made {
                Ok(0) => {}
                Ok(n) => tracing::info!(parts = n, "month parts made"),
                Err(e) => tracing::warn!("month parts: {e:?}"),
            }
            // This month's model-worker allowances, from each union's
            // standing rates, once (the month is a key of every line).
            match crate::ledger::prepare_month_allowances(&db, crate::time::now()).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(batches = n, "allowance batches prepared"),
                Err(e) => tracing::warn!("allowance batches: {e:?}"),
            }
        }
    });
}
