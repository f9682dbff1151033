//! Counselling's SQL: slots a counsellor publishes, the free ones members
//! see, bookings (one live per slot and per member, by partial unique
//! keys), cancelling up to two hours before, and the reminders' queue.
//! Nothing of a conversation is stored.

use sqlx::{AnyConnection, FromRow};

use crate::error::AppResult;

/// Whether the counsellor has a live slot overlapping `[start, end)`.
pub async fn overlaps(
    conn: &mut AnyConnection,
    counsellor: i64,
    start: i64,
    end: i64,
) -> AppResult<bool> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM counselling_slots
          WHERE counsellor_id = $1 AND withdrawn_at IS NULL AND starts_at < $3 AND ends_at > $2",
    )
    .bind(counsellor)
    .bind(start)
    .bind(end)
    .fetch_one(conn)
    .await?;
    Ok(n > 0)
}

/// A slot about to be written.
pub struct NewSlot<'a> {
    pub counsellor: i64,
    pub union_id: i64,
    pub starts_at: i64,
    pub minutes: i64,
    pub mode: &'a str,
    pub centre_id: Option<i64>,
}

/// Writes a slot.
pub async fn insert_slot(tx: &mut AnyConnection, s: &NewSlot<'_>, now: i64) -> AppResult<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO counselling_slots (counsellor_id, union_id, starts_at, ends_at, mode, centre_id, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(s.counsellor)
    .bind(s.union_id)
    .bind(s.starts_at)
    .bind(s.starts_at + s.minutes * 60)
    .bind(s.mode)
    .bind(s.centre_id)
    .bind(now)
    .fetch_one(tx)
    .await?)
}

const SLOT: &str = "SELECT s.id, s.counsellor_id, s.starts_at, s.ends_at, s.mode, s.withdrawn_at,
        c.name AS centre_name, c.address AS centre_address, us.name AS counsellor,
        b.id AS booking_id, m.name AS member, m.phone_masked AS member_phone
   FROM counselling_slots s JOIN users us ON us.id = s.counsellor_id
   JOIN unions u ON u.id = s.union_id
   LEFT JOIN service_centres c ON c.id = s.centre_id
   LEFT JOIN counselling_bookings b ON b.slot_id = s.id AND b.status = 'booked'
   LEFT JOIN users m ON m.id = b.user_id";

/// A slot with its centre, counsellor and live booking.
#[derive(Debug, FromRow)]
pub struct SlotRow {
    pub id: i64,
    pub counsellor_id: i64,
    pub starts_at: i64,
    pub ends_at: i64,
    pub mode: String,
    pub withdrawn_at: Option<i64>,
    pub centre_name: Option<String>,
    pub centre_address: Option<String>,
    pub counsellor: String,
    pub booking_id: Option<i64>,
    pub member: Option<String>,
    pub member_phone: Option<String>,
}

/// Free slots starting after `now` and before `until`, soonest first.
pub async fn free(
    conn: &mut AnyConnection,
    now: i64,
    until: i64,
    limit: i64,
) -> AppResult<Vec<SlotRow>> {
    Ok(sqlx::query_as(&format!(
        "{SLOT} WHERE s.withdrawn_at IS NULL AND s.starts_at > $1 AND s.starts_at < $2
            AND b.id IS NULL ORDER BY s.starts_at, s.id LIMIT {limit}"
    ))
    .bind(now)
    .bind(until)
    .fetch_all(conn)
    .await?)
}

/// One slot.
pub async fn slot(conn: &mut AnyConnection, id: i64) -> AppResult<Option<SlotRow>> {
    Ok(sqlx::query_as(&format!("{SLOT} WHERE s.id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await?)
}

/// The live slots starting in `[from, to)`: one counsellor's, or (for an
/// administrator) those of the unions matching `like`.
pub async fn of_day(
    conn: &mut AnyConnection,
    counsellor: Option<i64>,
    like: &str,
    from: i64,
    to: i64,
) -> AppResult<Vec<SlotRow>> {
    let who = match counsellor {
        Some(c) => format!("s.counsellor_id = {c} AND u.path LIKE $3"),
        None => "u.path LIKE $3".to_string(),
    };
    Ok(sqlx::query_as(&format!(
        "{SLOT} WHERE {who} AND s.withdrawn_at IS NULL AND s.starts_at >= $1 AND s.starts_at < $2
          ORDER BY s.starts_at, s.id LIMIT 500"
    ))
    .bind(from)
    .bind(to)
    .bind(like)
    .fetch_all(conn)
    .await?)
}

/// Withdraws a counsellor's free slot; `false` when it is booked, not
/// theirs or withdrawn already.
pub async fn withdraw(
    tx: &mut AnyConnection,
    id: i64,
    counsellor: Option<i64>,
    now: i64,
) -> AppResult<bool> {
    let done = sqlx::query(
        "UPDATE counselling_slots SET withdrawn_at = $1
          WHERE id = $2 AND withdrawn_at IS NULL AND ($3 = 0 OR counsellor_id = $3)
            AND NOT EXISTS (SELECT 1 FROM counselling_bookings b
                             WHERE b.slot_id = counselling_slots.id AND b.status = 'booked')",
    )
    .bind(now)
    .bind(id)
    .bind(counsellor.unwrap_or(0))
    .execute(tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Marks the member's bookings whose time has come as past, so the next
/// one may be made (the one-live-booking key counts only `booked`).
pub async fn retire_past(tx: &mut AnyConnection, user_id: i64, now: i64) -> AppResult<()> {
    sqlx::query(
        "UPDATE counselling_bookings SET status = 'past'
          WHERE user_id = $1 AND status = 'booked'
            AND slot_id IN (SELECT id FROM counselling_slots WHERE starts_at <= $2)",
    )
    .bind(user_id)
    .bind(now)
    .execute(tx)
    .await?;
    Ok(())
}

/// Whether the member holds a live booking.
pub async fn has_live(conn: &mut AnyConnection, user_id: i64) -> AppResult<bool> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM counselling_bookings WHERE user_id = $1 AND status = 'booked'",
    )
    .bind(user_id)
    .fetch_one(conn)
    .await?;
    Ok(n > 0)
}

/// Books a slot; a unique violation means the slot or the member already
/// has a live booking.
pub async fn book(
    tx: &mut AnyConnection,
    slot_id: i64,
    user_id: i64,
    now: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO counselling_bookings (slot_id, user_id, status, booked_at)
         VALUES ($1, $2, 'booked', $3) RETURNING id",
    )
    .bind(slot_id)
    .bind(user_id)
    .bind(now)
    .fetch_one(tx)
    .await
}

/// Cancels the member's live booking while its slot starts at least
/// `before` seconds after `now`; `false` otherwise.
pub async fn cancel(
    tx: &mut AnyConnection,
    id: i64,
    user_id: i64,
    now: i64,
    before: i64,
) -> AppResult<bool> {
    let done = sqlx::query(
        "UPDATE counselling_bookings SET status = 'cancelled', cancelled_at = $1
          WHERE id = $2 AND user_id = $3 AND status = 'booked'
            AND slot_id IN (SELECT id FROM counselling_slots WHERE starts_at >= $4)",
    )
    .bind(now)
    .bind(id)
    .bind(user_id)
    .bind(now + before)
    .execute(tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A member's booking with its slot.
#[derive(Debug, FromRow)]
pub struct BookingRow {
    pub id: i64,
    pub slot_id: i64,
    pub status: String,
    pub booked_at: i64,
}

/// The member's bookings, newest first.
pub async fn of_member(conn: &mut AnyConnection, user_id: i64) -> AppResult<Vec<BookingRow>> {
    Ok(sqlx::query_as(
        "SELECT id, slot_id, status, booked_at FROM counselling_bookings
          WHERE user_id = $1 ORDER BY id DESC LIMIT 50",
    )
    .bind(user_id)
    .fetch_all(conn)
    .await?)
}

/// One of the member's bookings.
pub async fn booking(
    conn: &mut AnyConnection,
    id: i64,
    user_id: i64,
) -> AppResult<Option<BookingRow>> {
    Ok(sqlx::query_as(
        "SELECT id, slot_id, status, booked_at FROM counselling_bookings WHERE id = $1 AND user_id = $2",
    )
    .bind(id)
    .bind(user_id)
    .fetch_optional(conn)
    .await?)
}

/// A booking due a reminder.
#[derive(Debug, FromRow)]
pub struct DueReminder {
    pub id: i64,
    pub user_id: i64,
    pub starts_at: i64,
    pub mode: String,
    pub centre_name: Option<String>,
}

/// Live bookings starting in `(now, until]` not yet reminded.
pub async fn due_reminders(
    conn: &mut AnyConnection,
    now: i64,
    until: i64,
    limit: i64,
) -> AppResult<Vec<DueReminder>> {
    Ok(sqlx::query_as(&format!(
        "SELECT b.id, b.user_id, s.starts_at, s.mode, c.name AS centre_name
           FROM counselling_bookings b JOIN counselling_slots s ON s.id = b.slot_id
           LEFT JOIN service_centres c ON c.id = s.centre_id
          WHERE b.status = 'booked' AND b.reminded_at IS NULL AND s.starts_at > $1 AND s.starts_at <= $2
          ORDER BY s.starts_at LIMIT {limit}"
    ))
    .bind(now)
    .bind(until)
    .fetch_all(conn)
    .await?)
}

/// Marks a booking reminded; `false` when another server did first.
pub async fn mark_reminded(tx: &mut AnyConnection, id: i64, now: i64) -> AppResult<bool> {
    let done = sqlx::query(
        "UPDATE counselling_bookings SET reminded_at = $1 WHERE id = $2 AND reminded_at IS NULL",
    )
    .bind(now)
    .bind(id)
    .execute(tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// One slot of the unions matching `like`.
pub async fn of_slot_scope(
    conn: &mut AnyConnection,
    id: i64,
    like: &str,
) -> AppResult<Option<SlotRow>> {
    Ok(
        sqlx::query_as(&format!("{SLOT} WHERE s.id = $1 AND u.path LIKE $2"))
            .bind(id)
            .bind(like)
            .fetch_optional(conn)
            .await?,
    )
}

/// The name and encrypted phone of the member holding a slot.
pub async fn holder_contact(
    conn: &mut AnyConnection,
    slot_id: i64,
) -> AppResult<Option<(String, String)>> {
    Ok(sqlx::query_as(
        "SELECT m.name, m.phone_enc FROM counselling_bookings b JOIN users m ON m.id = b.user_id
          WHERE b.slot_id = $1 AND b.status = 'booked'",
    )
    .bind(slot_id)
    .fetch_optional(conn)
    .await?)
}
