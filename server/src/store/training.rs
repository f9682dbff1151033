//! Skills training: courses, sessions, sign-ups and the fair waiting list, attendance.
//!
//! Every sign-up and cancellation first updates its session's row
//! ([`hold_session`]). That row update takes PostgreSQL's row lock and, on
//! SQLite, happens on the single writer, so for one session they run one at
//! a time on either engine: seats are never over-booked and waiting-list
//! positions have no gaps or repeats.

use sqlx::{AnyConnection, FromRow};
use unioncard_api::identity::mask_phone;
use unioncard_api::inbox::Letter;
use unioncard_api::training::{
    CourseCategory, CourseInput, CourseView, Eligibility, MemberFacts, RosterLine, SessionInput,
    SessionStatus, SessionTimes, SessionView, SignupStatus, SignupView, StaffCourse,
};

use crate::error::{AppError, AppResult};
use crate::store::figures::{self, Tally};
use crate::store::search::{self, Indexed, Words};
use crate::time;

const COURSE_COLUMNS: &str =
    "id, title, category, provider, description, fee_fen, eligibility, certificate";
const SESSION_COLUMNS: &str = "id, course_id, starts_at, ends_at, place, address, capacity, \
     signup_deadline, status, confirmed, waiting";

/// A course as stored.
#[derive(Debug, FromRow)]
pub struct CourseRow {
    pub id: i64,
    pub title: String,
    pub category: String,
    pub provider: String,
    pub description: String,
    pub fee_fen: i64,
    pub eligibility: String,
    pub certificate: String,
}

impl CourseRow {
    /// Who may sign up; an unknown value in the database is an internal error.
    pub fn eligibility(&self) -> AppResult<Eligibility> {
        Eligibility::from_db(&self.eligibility)
            .ok_or_else(|| AppError::internal("unknown eligibility"))
    }

    /// The member's view, with its sessions and, for a member, whether they may sign up.
    pub fn into_view(
        self,
        sessions: Vec<SessionView>,
        facts: Option<MemberFacts>,
    ) -> AppResult<CourseView> {
        let eligibility = self.eligibility()?;
        Ok(CourseView {
            id: self.id,
            title: self.title,
            category: CourseCategory::from_db(&self.category)
                .ok_or_else(|| AppError::internal("unknown category"))?,
            provider: self.provider,
            description: self.description,
            fee_fen: self.fee_fen,
            eligible: facts.map(|f| eligibility.admits(f)),
            eligibility,
            certificate: self.certificate,
            sessions,
        })
    }

    /// The officers' view.
    pub fn into_staff(self, sessions: Vec<SessionView>) -> StaffCourse {
        StaffCourse {
            id: self.id,
            title: self.title,
            category: self.category,
            eligibility: self.eligibility,
            provider: self.provider,
            description: self.description,
            fee_fen: self.fee_fen,
            certificate: self.certificate,
            sessions,
        }
    }
}

/// A session as stored, with its seat counters.
#[derive(Debug, FromRow)]
pub struct SessionRow {
    pub id: i64,
    pub course_id: i64,
    pub starts_at: i64,
    pub ends_at: i64,
    pub place: String,
    pub address: String,
    pub capacity: i64,
    pub signup_deadline: i64,
    pub status: String,
    pub confirmed: i64,
    pub waiting: i64,
}

/// A session's stored status (`open` or `cancelled`); an unknown one is an
/// internal error.
fn session_status(stored: &str) -> AppResult<SessionStatus> {
    SessionStatus::from_db(stored).ok_or_else(|| AppError::internal("unknown session status"))
}

/// A sign-up's stored status; an unknown one is an internal error.
fn signup_status(stored: &str) -> AppResult<SignupStatus> {
    SignupStatus::from_db(stored).ok_or_else(|| AppError::internal("unknown sign-up status"))
}

impl SessionRow {
    /// The view at `now`: an open session past its deadline reads `closed`
    /// ([`SessionStatus::at`]).
    pub fn view(&self, now: i64) -> AppResult<SessionView> {
        Ok(SessionView {
            id: self.id,
            course_id: self.course_id,
            starts_at: time::rfc3339(self.starts_at),
            ends_at: time::rfc3339(self.ends_at),
            place: self.place.clone(),
            address: self.address.clone(),
            capacity: self.capacity,
            seats_left: (self.capacity - self.confirmed).max(0),
            waiting: self.waiting,
            signup_deadline: time::rfc3339(self.signup_deadline),
            status: session_status(&self.status)?.at(now, self.signup_deadline),
        })
    }
}

/// The filters of the course directory.
#[derive(Debug, Default)]
pub struct CourseFilter {
    /// Only this category.
    pub category: Option<CourseCategory>,
    /// Words in the search text (title and provider).
    pub words: Option<Words>,
    /// Courses after this id (keyset paging).
    pub after: i64,
    /// At most this many.
    pub limit: i64,
}

/// Active courses matching the filter, by id. Words are found through
/// their grams ([`search`]) and checked by `LIKE`.
pub async fn courses(conn: &mut AnyConnection, f: &CourseFilter) -> AppResult<Vec<CourseRow>> {
    let mut filters = vec!["status = 'active'".to_string()];
    let mut binds: Vec<String> = Vec::new();
    if let Some(c) = f.category {
        binds.push(c.as_str().into());
        filters.push(format!("category = ${}", binds.len()));
    }
    let select = format!("SELECT {COURSE_COLUMNS} FROM courses");
    if let Some(w) = &f.words {
        return match search::candidates(&mut *conn, Indexed::Courses, w).await? {
            Some(c) => {
                let mut rows: Vec<CourseRow> = c
                    .matching(conn, &select, &filters, &binds, f.after, f.limit as usize)
                    .await?;
                rows.truncate(f.limit as usize);
                Ok(rows)
            }
            None => Ok(Vec::new()),
        };
    }
    binds.push(f.after.to_string());
    filters.push(format!("id > CAST(${} AS BIGINT)", binds.len()));
    let sql = format!(
        "{select} WHERE {} ORDER BY id LIMIT {}",
        filters.join(" AND "),
        f.limit
    );
    let mut query = sqlx::query_as(&sql);
    for b in &binds {
        query = query.bind(b);
    }
    Ok(query.fetch_all(conn).await?)
}

/// One course, whatever its status.
pub async fn course(conn: &mut AnyConnection, id: i64) -> AppResult<Option<CourseRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COURSE_COLUMNS} FROM courses WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await?)
}

/// The sessions of these courses (one query for all of them), earliest first.
pub async fn sessions_of(
    conn: &mut AnyConnection,
    course_ids: &[i64],
) -> AppResult<Vec<SessionRow>> {
    if course_ids.is_empty() {
        return Ok(Vec::new());
    }
    // Ids are integers the server read itself, never the client's text.
    let list: Vec<String> = course_ids.iter().map(i64::to_string).collect();
    Ok(sqlx::query_as(&format!(
        "SELECT {SESSION_COLUMNS} FROM training_sessions WHERE course_id IN ({}) ORDER BY starts_at",
        list.join(",")
    ))
    .fetch_all(conn)
    .await?)
}

/// Splits sessions read by [`sessions_of`] among their courses, in order.
pub fn sessions_by_course(
    sessions: &[SessionRow],
    course_id: i64,
    now: i64,
) -> AppResult<Vec<SessionView>> {
    sessions
        .iter()
        .filter(|s| s.course_id == course_id)
        .map(|s| s.view(now))
        .collect()
}

/// One session.
pub async fn session(conn: &mut AnyConnection, id: i64) -> AppResult<Option<SessionRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {SESSION_COLUMNS} FROM training_sessions WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await?)
}

/// What the eligibility rules need to know of a member.
pub async fn member_facts(conn: &mut AnyConnection, roster_id: i64) -> AppResult<MemberFacts> {
    let (migrant, unemployed): (i64, i64) =
        sqlx::query_as("SELECT migrant_worker, unemployed FROM roster_entries WHERE id = $1")
            .bind(roster_id)
            .fetch_one(conn)
            .await?;
    Ok(MemberFacts {
        migrant_worker: migrant != 0,
        unemployed: unemployed != 0,
    })
}

/// A session with what signing up to it checks.
#[derive(Debug, FromRow)]
pub struct SessionTerms {
    pub starts_at: i64,
    pub ends_at: i64,
    pub signup_deadline: i64,
    pub status: String,
    pub eligibility: String,
}

impl SessionTerms {
    /// Whether a member may sign up at `now`: the session is open and its
    /// deadline has not passed ([`SessionStatus::at`]).
    pub fn takes_signups(&self, now: i64) -> AppResult<bool> {
        Ok(session_status(&self.status)?
            .at(now, self.signup_deadline)
            .takes_signups())
    }
}

/// A session's times, status and its course's eligibility.
pub async fn session_terms(
    conn: &mut AnyConnection,
    session_id: i64,
) -> AppResult<Option<SessionTerms>> {
    Ok(sqlx::query_as(
        "SELECT s.starts_at, s.ends_at, s.signup_deadline, s.status, c.eligibility
           FROM training_sessions s JOIN courses c ON c.id = s.course_id WHERE s.id = $1",
    )
    .bind(session_id)
    .fetch_optional(conn)
    .await?)
}

/// Takes the session's row for the rest of the transaction: sign-ups and
/// cancellations of one session queue here.
pub async fn hold_session(tx: &mut AnyConnection, session_id: i64) -> AppResult<()> {
    sqlx::query("UPDATE training_sessions SET confirmed = confirmed WHERE id = $1")
        .bind(session_id)
        .execute(tx)
        .await?;
    Ok(())
}

/// Whether the member holds a live sign-up for the session.
pub async fn already_signed_up(
    tx: &mut AnyConnection,
    session_id: i64,
    user_id: i64,
) -> AppResult<bool> {
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM signups WHERE session_id = $1 AND user_id = $2 AND status <> 'cancelled'",
    )
    .bind(session_id)
    .bind(user_id)
    .fetch_optional(tx)
    .await?;
    Ok(found.is_some())
}

/// The title of a course the member is signed up for whose session overlaps `[starts, ends)`.
pub async fn overlapping_title(
    tx: &mut AnyConnection,
    user_id: i64,
    starts: i64,
    ends: i64,
) -> AppResult<Option<String>> {
    Ok(sqlx::query_scalar(
        "SELECT c.title FROM signups g JOIN training_sessions s ON s.id = g.session_id JOIN courses c ON c.id = s.course_id
          WHERE g.user_id = $1 AND g.status <> 'cancelled' AND s.starts_at < $2 AND $3 < s.ends_at LIMIT 1",
    )
    .bind(user_id)
    .bind(ends)
    .bind(starts)
    .fetch_optional(tx)
    .await?)
}

/// What a new sign-up became.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placed {
    /// A seat.
    Confirmed,
    /// A place on the waiting list.
    Waitlisted(i64),
}

/// Takes a seat while there are seats, otherwise the next place on the
/// waiting list; the session must be held ([`hold_session`]).
pub async fn take_place(tx: &mut AnyConnection, session_id: i64) -> AppResult<Placed> {
    let (capacity, confirmed, waiting): (i64, i64, i64) =
        sqlx::query_as("SELECT capacity, confirmed, waiting FROM training_sessions WHERE id = $1")
            .bind(session_id)
            .fetch_one(&mut *tx)
            .await?;
    if confirmed < capacity {
        sqlx::query("UPDATE training_sessions SET confirmed = confirmed + 1 WHERE id = $1")
            .bind(session_id)
            .execute(tx)
            .await?;
        Ok(Placed::Confirmed)
    } else {
        sqlx::query("UPDATE training_sessions SET waiting = waiting + 1 WHERE id = $1")
            .bind(session_id)
            .execute(tx)
            .await?;
        Ok(Placed::Waitlisted(waiting + 1))
    }
}

/// Writes the sign-up; the unique index on live sign-ups answers a second
/// one with a unique violation (the caller's 409).
pub async fn insert_signup(
    tx: &mut AnyConnection,
    session_id: i64,
    user_id: i64,
    placed: Placed,
    now: i64,
) -> Result<i64, sqlx::Error> {
    let (status, position, confirmed_at) = match placed {
        Placed::Confirmed => (SignupStatus::Confirmed, None, Some(now)),
        Placed::Waitlisted(p) => (SignupStatus::Waitlisted, Some(p), None),
    };
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO signups (session_id, user_id, status, position, created_at, confirmed_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(session_id)
    .bind(user_id)
    .bind(status.as_str())
    .bind(position)
    .bind(now)
    .bind(confirmed_at)
    .fetch_one(&mut *tx)
    .await?;
    let roster_id: Option<i64> = sqlx::query_scalar("SELECT roster_id FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_one(&mut *tx)
        .await?;
    if let Some(roster_id) = roster_id {
        figures::member_used(tx, roster_id, now, Tally::Signup, 0).await?;
    }
    Ok(id)
}

const SIGNUP_SELECT: &str = "SELECT g.id, g.session_id, g.status, g.position, g.attended, g.certificate_no, c.title,
        s.starts_at, s.ends_at, s.place
   FROM signups g JOIN training_sessions s ON s.id = g.session_id JOIN courses c ON c.id = s.course_id";

/// A sign-up with its course and session.
#[derive(Debug, FromRow)]
pub struct SignupRow {
    pub id: i64,
    pub session_id: i64,
    pub status: String,
    pub position: Option<i64>,
    pub attended: Option<i64>,
    pub certificate_no: Option<String>,
    pub title: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub place: String,
}

impl TryFrom<SignupRow> for SignupView {
    type Error = AppError;
    fn try_from(r: SignupRow) -> AppResult<SignupView> {
        Ok(SignupView {
            id: r.id,
            session_id: r.session_id,
            status: signup_status(&r.status)?,
            position: r.position,
            course_title: r.title,
            starts_at: time::rfc3339(r.starts_at),
            ends_at: time::rfc3339(r.ends_at),
            place: r.place,
            attended: r.attended.map(|a| a != 0),
            certificate_no: r.certificate_no,
        })
    }
}

/// One sign-up, whoever holds it.
pub async fn signup(conn: &mut AnyConnection, id: i64) -> AppResult<Option<SignupRow>> {
    Ok(sqlx::query_as(&format!("{SIGNUP_SELECT} WHERE g.id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await?)
}

/// One live sign-up of this member.
pub async fn live_signup_of(
    conn: &mut AnyConnection,
    id: i64,
    user_id: i64,
) -> AppResult<Option<SignupRow>> {
    Ok(sqlx::query_as(&format!(
        "{SIGNUP_SELECT} WHERE g.id = $1 AND g.user_id = $2 AND g.status <> 'cancelled'"
    ))
    .bind(id)
    .bind(user_id)
    .fetch_optional(conn)
    .await?)
}

/// The member's live sign-ups, earliest session first.
pub async fn signups_of(conn: &mut AnyConnection, user_id: i64) -> AppResult<Vec<SignupRow>> {
    Ok(sqlx::query_as(&format!(
        "{SIGNUP_SELECT} WHERE g.user_id = $1 AND g.status <> 'cancelled' ORDER BY s.starts_at"
    ))
    .bind(user_id)
    .fetch_all(conn)
    .await?)
}

/// Cancels a live sign-up inside a transaction that holds its session, and
/// gives a freed seat to the head of the waiting list (or closes the gap a
/// waiting place leaves). `false` when there was no live sign-up.
pub async fn cancel(tx: &mut AnyConnection, id: i64, session_id: i64, now: i64) -> AppResult<bool> {
    let Some((status, position)): Option<(String, Option<i64>)> = sqlx::query_as(
        "SELECT status, position FROM signups WHERE id = $1 AND status <> 'cancelled'",
    )
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?
    else {
        return Ok(false);
    };
    sqlx::query(
        "UPDATE signups SET status = 'cancelled', position = NULL, cancelled_at = $1 WHERE id = $2",
    )
    .bind(now)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    if signup_status(&status)? == SignupStatus::Confirmed {
        let head: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM signups WHERE session_id = $1 AND status = 'waitlisted' ORDER BY position LIMIT 1",
        )
        .bind(session_id)
        .fetch_optional(&mut *tx)
        .await?;
        match head {
            Some(head) => {
                sqlx::query("UPDATE signups SET status = 'confirmed', position = NULL, confirmed_at = $1 WHERE id = $2")
                    .bind(now)
                    .bind(head)
                    .execute(&mut *tx)
                    .await?;
                close_up(tx, session_id, 0).await?;
                // The member moved up hears of it with the seat, in this transaction.
                let (title, course_id, starts_at): (String, i64, i64) = sqlx::query_as(
                    "SELECT c.title, c.id, s.starts_at FROM training_sessions s
                       JOIN courses c ON c.id = s.course_id WHERE s.id = $1",
                )
                .bind(session_id)
                .fetch_one(&mut *tx)
                .await?;
                let starts = crate::time::minute(starts_at);
                let letter = Letter::waitlist_place(&title, &starts, course_id);
                crate::store::inbox::send_to_signup_holder(tx, head, &letter, now).await?;
            }
            None => {
                sqlx::query("UPDATE training_sessions SET confirmed = confirmed - 1 WHERE id = $1")
                    .bind(session_id)
                    .execute(tx)
                    .await?;
            }
        }
    } else {
        close_up(tx, session_id, position.unwrap_or(0)).await?;
    }
    Ok(true)
}

/// Moves everyone waiting behind `after` up one place.
async fn close_up(tx: &mut AnyConnection, session_id: i64, after: i64) -> AppResult<()> {
    sqlx::query("UPDATE signups SET position = position - 1 WHERE session_id = $1 AND status = 'waitlisted' AND position > $2")
        .bind(session_id)
        .bind(after)
        .execute(&mut *tx)
        .await?;
    sqlx::query("UPDATE training_sessions SET waiting = waiting - 1 WHERE id = $1")
        .bind(session_id)
        .execute(tx)
        .await?;
    Ok(())
}

/// The session of a member's live sign-up.
pub async fn session_of_live_signup(
    conn: &mut AnyConnection,
    id: i64,
    user_id: i64,
) -> AppResult<Option<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT session_id FROM signups WHERE id = $1 AND user_id = $2 AND status <> 'cancelled'",
    )
    .bind(id)
    .bind(user_id)
    .fetch_optional(conn)
    .await?)
}

// ---- the officers' side ----

/// Courses of the unions under this path pattern (at most 200), by id.
pub async fn courses_in(conn: &mut AnyConnection, path_like: &str) -> AppResult<Vec<CourseRow>> {
    Ok(sqlx::query_as(
        "SELECT c.id, c.title, c.category, c.provider, c.description, c.fee_fen, c.eligibility, c.certificate
           FROM courses c JOIN unions u ON u.id = c.union_id
          WHERE u.path LIKE $1 ORDER BY c.id LIMIT 200",
    )
    .bind(path_like)
    .fetch_all(conn)
    .await?)
}

/// Adds an active course to a union, found by its words at once.
pub async fn create_course(
    tx: &mut AnyConnection,
    union_id: i64,
    input: &CourseInput,
    now: i64,
) -> AppResult<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO courses (union_id, title, category, provider, description, fee_fen, eligibility, certificate,
             status, search_text, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'active', $9, $10) RETURNING id",
    )
    .bind(union_id)
    .bind(input.title.trim())
    .bind(&input.category)
    .bind(input.provider.trim())
    .bind(input.description.trim())
    .bind(input.fee_fen)
    .bind(&input.eligibility)
    .bind(input.certificate.trim())
    .bind(search_text(input))
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    search::index_row(tx, Indexed::Courses, id).await?;
    Ok(id)
}

/// What a course is found by.
fn search_text(input: &CourseInput) -> String {
    format!("{} {}", input.title, input.provider).to_lowercase()
}

/// Rewrites a course's description, and what it is found by.
pub async fn update_course(tx: &mut AnyConnection, id: i64, input: &CourseInput) -> AppResult<()> {
    search::forget_row(&mut *tx, Indexed::Courses, id).await?;
    sqlx::query(
        "UPDATE courses SET title = $1, category = $2, provider = $3, description = $4, fee_fen = $5, eligibility = $6,
                certificate = $7, search_text = $8 WHERE id = $9",
    )
    .bind(input.title.trim())
    .bind(&input.category)
    .bind(input.provider.trim())
    .bind(input.description.trim())
    .bind(input.fee_fen)
    .bind(&input.eligibility)
    .bind(input.certificate.trim())
    .bind(search_text(input))
    .bind(id)
    .execute(&mut *tx)
    .await?;
    search::index_row(tx, Indexed::Courses, id).await
}

/// A course's union and that union's path.
pub async fn course_union(conn: &mut AnyConnection, id: i64) -> AppResult<Option<(i64, String)>> {
    Ok(sqlx::query_as(
        "SELECT c.union_id, u.path FROM courses c JOIN unions u ON u.id = c.union_id WHERE c.id = $1",
    )
    .bind(id)
    .fetch_optional(conn)
    .await?)
}

/// Adds an open session to a course.
pub async fn add_session(
    tx: &mut AnyConnection,
    course_id: i64,
    t: SessionTimes,
    input: &SessionInput,
    now: i64,
) -> AppResult<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO training_sessions (course_id, starts_at, ends_at, place, address, capacity, signup_deadline, status, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'open', $8) RETURNING id",
    )
    .bind(course_id)
    .bind(t.starts)
    .bind(t.ends)
    .bind(input.place.trim())
    .bind(input.address.trim())
    .bind(input.capacity)
    .bind(t.deadline)
    .bind(now)
    .fetch_one(tx)
    .await?)
}

/// Rewrites a session; `false` (nothing changed) when the new seat count
/// would undercut the people already holding a seat.
pub async fn update_session(
    tx: &mut AnyConnection,
    id: i64,
    t: SessionTimes,
    input: &SessionInput,
) -> AppResult<bool> {
    let done = sqlx::query(
        "UPDATE training_sessions SET starts_at = $1, ends_at = $2, signup_deadline = $3, place = $4, address = $5, capacity = $6
          WHERE id = $7 AND confirmed <= $6",
    )
    .bind(t.starts)
    .bind(t.ends)
    .bind(t.deadline)
    .bind(input.place.trim())
    .bind(input.address.trim())
    .bind(input.capacity)
    .bind(id)
    .execute(tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A session with its course's title and union path.
#[derive(Debug, FromRow)]
pub struct HeldSession {
    #[sqlx(flatten)]
    pub session: SessionRow,
    pub course_title: String,
    pub path: String,
}

/// One session with its course's title and union's path.
pub async fn session_with_course(
    conn: &mut AnyConnection,
    id: i64,
) -> AppResult<Option<HeldSession>> {
    Ok(sqlx::query_as(&format!(
        "SELECT s.{}, c.title AS course_title, u.path FROM training_sessions s JOIN courses c ON c.id = s.course_id
           JOIN unions u ON u.id = c.union_id WHERE s.id = $1",
        SESSION_COLUMNS.replace(", ", ", s.")
    ))
    .bind(id)
    .fetch_optional(conn)
    .await?)
}

#[derive(Debug, FromRow)]
struct RosterRow {
    id: i64,
    status: String,
    position: Option<i64>,
    attended: Option<i64>,
    certificate_no: Option<String>,
    name: String,
    phone_masked: String,
}

/// The people of a session: confirmed, then waiting by position.
pub async fn roster(conn: &mut AnyConnection, session_id: i64) -> AppResult<Vec<RosterLine>> {
    let rows: Vec<RosterRow> = sqlx::query_as(
        "SELECT g.id, g.status, g.position, g.attended, g.certificate_no, u.name, u.phone_masked
           FROM signups g JOIN users u ON u.id = g.user_id
          WHERE g.session_id = $1 AND g.status <> 'cancelled'
          ORDER BY CASE WHEN g.status = 'confirmed' THEN 0 ELSE 1 END, g.position, g.id",
    )
    .bind(session_id)
    .fetch_all(conn)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(RosterLine {
                signup_id: r.id,
                name: r.name,
                // Accounts made before phones were stored masked carry the whole number.
                phone_masked: if r.phone_masked.contains('*') {
                    r.phone_masked
                } else {
                    mask_phone(&r.phone_masked)
                },
                status: signup_status(&r.status)?,
                position: r.position,
                attended: r.attended.map(|a| a != 0),
                certificate_no: r.certificate_no,
            })
        })
        .collect()
}

/// A sign-up as the officers' steps see it.
#[derive(Debug, FromRow)]
pub struct SignupForStaff {
    pub status: String,
    pub attended: Option<i64>,
    pub certificate_no: Option<String>,
    pub session_id: i64,
    pub union_id: i64,
    pub path: String,
}

impl SignupForStaff {
    /// Where the sign-up stands.
    pub fn status(&self) -> AppResult<SignupStatus> {
        signup_status(&self.status)
    }
}

/// A sign-up with its course's union and that union's path.
pub async fn signup_for_staff(
    conn: &mut AnyConnection,
    id: i64,
) -> AppResult<Option<SignupForStaff>> {
    Ok(sqlx::query_as(
        "SELECT g.status, g.attended, g.certificate_no, g.session_id, c.union_id, u.path
           FROM signups g JOIN training_sessions s ON s.id = g.session_id JOIN courses c ON c.id = s.course_id
           JOIN unions u ON u.id = c.union_id WHERE g.id = $1",
    )
    .bind(id)
    .fetch_optional(conn)
    .await?)
}

/// Marks attendance of a confirmed sign-up; `false` when it is not (or no longer) confirmed.
pub async fn mark_attendance(tx: &mut AnyConnection, id: i64, attended: bool) -> AppResult<bool> {
    let done =
        sqlx::query("UPDATE signups SET attended = $1 WHERE id = $2 AND status = 'confirmed'")
            .bind(i64::from(attended))
            .bind(id)
            .execute(tx)
            .await?;
    Ok(done.rows_affected() == 1)
}

/// Writes a certificate number on a sign-up that has none; `false` when one was already issued.
pub async fn issue_certificate(tx: &mut AnyConnection, id: i64, number: &str) -> AppResult<bool> {
    let done = sqlx::query(
        "UPDATE signups SET certificate_no = $1 WHERE id = $2 AND certificate_no IS NULL",
    )
    .bind(number)
    .bind(id)
    .execute(tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A confirmed seat in a session that starts soon, not yet reminded.
#[derive(Debug, FromRow)]
pub struct DueReminder {
    pub signup_id: i64,
    pub course_id: i64,
    pub course_title: String,
    pub place: String,
    pub starts_at: i64,
}

/// Confirmed seats in sessions (not cancelled) starting after `from` and by
/// `to`, whose holders have not been reminded; at most `limit`.
pub async fn due_reminders(
    conn: &mut AnyConnection,
    from: i64,
    to: i64,
    limit: i64,
) -> AppResult<Vec<DueReminder>> {
    Ok(sqlx::query_as(
        "SELECT g.id AS signup_id, c.id AS course_id, c.title AS course_title, s.place, s.starts_at
           FROM training_sessions s
           JOIN signups g ON g.session_id = s.id
           JOIN courses c ON c.id = s.course_id
          WHERE s.starts_at > $1 AND s.starts_at <= $2 AND s.status <> 'cancelled'
            AND g.status = 'confirmed' AND g.reminded_at IS NULL
          ORDER BY g.id LIMIT $3",
    )
    .bind(from)
    .bind(to)
    .bind(limit)
    .fetch_all(conn)
    .await?)
}

/// Marks a sign-up reminded, only if it was not: whether this call did.
pub async fn mark_reminded(tx: &mut AnyConnection, signup_id: i64, now: i64) -> AppResult<bool> {
    let done =
        sqlx::query("UPDATE signups SET reminded_at = $1 WHERE id = $2 AND reminded_at IS NULL")
            .bind(now)
            .bind(signup_id)
            .execute(tx)
            .await?;
    Ok(done.rows_affected() == 1)
}
