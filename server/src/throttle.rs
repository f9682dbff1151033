//! Limits on attempts that cost us (a password hash) or could guess
//! something (an ID number on a roster), counted in the database so every
//! instance counts the same attempts.
//!
//! Each key has one row. An attempt is let through by one conditional update
//! that counts it, so forty requests at once cannot all pass a limit of
//! five: the database serialises the updates on the row. Past the limit the
//! key is locked for a step that doubles (1, 2, 4, 8, then 15 minutes); when
//! a step ends one more attempt is let through (and the next step begins at
//! once), so a correct password still gets in after the lock period however
//! many wrong ones a stranger sends. A day without attempts forgets the key.

use crate::error::{AppError, AppResult};
use crate::{store, AppState};

/// After this long without an attempt, a key starts again from zero.
const FORGET_AFTER: i64 = 24 * 3600;

/// A limit: attempts let through freely before the stepped lock begins.
#[derive(Clone, Copy, Debug)]
pub struct Limit {
    /// Attempts before the lock.
    pub free: i64,
}

/// Failed sign-ins per phone.
pub const SIGN_IN_PER_PHONE: Limit = Limit { free: 5 };
/// Failed sign-ins per client (a shared office or carrier NAT puts many
/// people behind one address).
pub const SIGN_IN_PER_CLIENT: Limit = Limit { free: 50 };
/// Anonymous look-ups of one ID number (join, registration, lookup).
pub const PROBES_PER_ID: Limit = Limit { free: 10 };
/// Anonymous look-ups by ID number from one client.
pub const PROBES_PER_CLIENT: Limit = Limit { free: 30 };
/// Partner checks (an ID number against the roster) per signed-in member.
pub const PARTNER_CHECKS_PER_MEMBER: Limit = Limit { free: 30 };

/// The lock after the `n`-th attempt (1-based) under `limit`: none before
/// the limit, then 1, 2, 4, 8 and at most 15 minutes.
pub fn step_after(limit: Limit, n: i64) -> i64 {
    if n < limit.free {
        return 0;
    }
    let doublings = (n - limit.free).clamp(0, 4) as u32;
    (60i64 << doublings).min(15 * 60)
}

/// Counts an attempt against `key`; 429 with `Retry-After` while it is locked.
pub async fn take(state: &AppState, key: &str, limit: Limit, now: i64) -> AppResult<()> {
    let mut conn = state.db.writer().await?;
    store::throttle::ensure(&mut conn, key, now).await?;
    // One statement decides and counts: the row lock (or SQLite's single
    // writer) makes parallel attempts take their turn.
    let ladder = (0..=5)
        .map(|k| {
            let n = limit.free + k;
            format!("WHEN hits + 1 = {n} THEN $2 + {}", step_after(limit, n))
        })
        .collect::<Vec<_>>()
        .join(" ");
    let sql = format!(
        "UPDATE throttle SET
            hits = CASE WHEN last_at <= $2 - {FORGET_AFTER} THEN 1 ELSE hits + 1 END,
            locked_until = CASE WHEN last_at <= $2 - {FORGET_AFTER} OR hits + 1 < {free} THEN 0
                                {ladder} ELSE $2 + {max} END,
            last_at = $2
          WHERE key = $1 AND (hits < {free} OR locked_until <= $2 OR last_at <= $2 - {FORGET_AFTER})",
        free = limit.free,
        max = 15 * 60,
    );
    if store::throttle::count(&mut conn, &sql, key, now).await? {
        return Ok(());
    }
    let until = store::throttle::locked_until(&mut conn, key).await?;
    Err(AppError::too_many((until - now).max(1) as u64))
}

/// The attempt succeeded (the right password): the key starts again.
pub async fn clear(state: &AppState, key: &str) -> AppResult<()> {
    store::throttle::clear(&mut *state.db.writer().await?, key).await
}

/// The attempt does not count after all (a client's successful sign-in).
pub async fn forgive(state: &AppState, key: &str) -> AppResult<()> {
    store::throttle::forgive(&mut *state.db.writer().await?, key).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lock_steps_up_from_a_minute_to_a_quarter_hour() {
        let l = Limit { free: 5 };
        let steps: Vec<i64> = (1..=11).map(|n| step_after(l, n)).collect();
        assert_eq!(steps, vec![0, 0, 0, 0, 60, 120, 240, 480, 900, 900, 900]);
    }
}
