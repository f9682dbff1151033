//! Skills training: browse courses and sessions, sign up (a seat while there
//! are seats, then a place on a fair waiting list), cancel (the head of the
//! list moves up in the same transaction), and a calendar file per sign-up.
//!
//! Every sign-up and cancellation first updates its session's row. That row
//! update takes PostgreSQL's row lock and, on SQLite, happens on the single
//! writer, so for one session they run one at a time on either engine: seats
//! are never over-booked and waiting-list positions have no gaps or repeats.

use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use sqlx::Row;
use unioncard_api::auth::Role;
use unioncard_api::join::Page;
use unioncard_api::training::{
    self, CourseCategory, CourseView, Eligibility, MemberFacts, SessionView, SignupView,
};
use unioncard_api::ErrorBody;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{AppError, AppResult};
use crate::extract::CurrentUser;
use crate::routes::auth::is_unique_violation;
use crate::{time, AppState};

/// The training routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_courses))
        .routes(routes!(get_course))
        .routes(routes!(sign_up))
        .routes(routes!(cancel))
        .routes(routes!(my_signups))
        .routes(routes!(calendar))
}

/// Course filters.
#[derive(Debug, Deserialize, IntoParams)]
pub struct CourseQuery {
    /// `electrician`, `fitter`, `computer`, `welding`, `housekeeping`, `construction`, `entrepreneurship`.
    pub category: Option<String>,
    /// Words from the title, provider or district.
    pub q: Option<String>,
    /// From the previous page's `next_cursor`.
    pub cursor: Option<String>,
    /// Page size (default 20, max 100).
    pub limit: Option<i64>,
}

const COURSE_COLUMNS: &str =
    "id, title, category, provider, description, fee_fen, eligibility, certificate";
pub const SESSION_COLUMNS: &str =
    "id, course_id, starts_at, ends_at, place, address, capacity, signup_deadline, status, confirmed, waiting";

pub fn session_view(r: &sqlx::any::AnyRow, now: i64) -> AppResult<SessionView> {
    let capacity: i64 = r.try_get("capacity")?;
    let confirmed: i64 = r.try_get("confirmed")?;
    let deadline: i64 = r.try_get("signup_deadline")?;
    let stored: String = r.try_get("status")?;
    let status = if stored == "cancelled" {
        "cancelled"
    } else if now > deadline {
        "closed"
    } else {
        "open"
    };
    Ok(SessionView {
        id: r.try_get("id")?,
        course_id: r.try_get("course_id")?,
        starts_at: time::rfc3339(r.try_get("starts_at")?),
        ends_at: time::rfc3339(r.try_get("ends_at")?),
        place: r.try_get("place")?,
        address: r.try_get("address")?,
        capacity,
        seats_left: (capacity - confirmed).max(0),
        waiting: r.try_get("waiting")?,
        signup_deadline: time::rfc3339(deadline),
        status: status.into(),
    })
}

async fn member_facts(state: &AppState, user: &CurrentUser) -> AppResult<Option<MemberFacts>> {
    let Some(roster_id) = user.roster_id else {
        return Ok(None);
    };
    let row = sqlx::query("SELECT migrant_worker, unemployed FROM roster_entries WHERE id = $1")
        .bind(roster_id)
        .fetch_one(state.db.read())
        .await?;
    Ok(Some(MemberFacts {
        migrant_worker: row.try_get::<i64, _>("migrant_worker")? != 0,
        unemployed: row.try_get::<i64, _>("unemployed")? != 0,
    }))
}

fn course_view(
    r: &sqlx::any::AnyRow,
    sessions: Vec<SessionView>,
    facts: Option<MemberFacts>,
) -> AppResult<CourseView> {
    let category: String = r.try_get("category")?;
    let eligibility: String = r.try_get("eligibility")?;
    let eligibility = Eligibility::from_db(&eligibility)
        .ok_or_else(|| AppError::internal("unknown eligibility"))?;
    Ok(CourseView {
        id: r.try_get("id")?,
        title: r.try_get("title")?,
        category: CourseCategory::from_db(&category)
            .ok_or_else(|| AppError::internal("unknown category"))?,
        provider: r.try_get("provider")?,
        description: r.try_get("description")?,
        fee_fen: r.try_get("fee_fen")?,
        eligible: facts.map(|f| eligibility.admits(f)),
        eligibility,
        certificate: r.try_get("certificate")?,
        sessions,
    })
}

async fn sessions_of(
    state: &AppState,
    course_ids: &[i64],
    now: i64,
) -> AppResult<Vec<(i64, SessionView)>> {
    if course_ids.is_empty() {
        return Ok(Vec::new());
    }
    let list: Vec<String> = course_ids.iter().map(i64::to_string).collect();
    let rows = sqlx::query(&format!(
        "SELECT {SESSION_COLUMNS} FROM training_sessions WHERE course_id IN ({}) ORDER BY starts_at",
        list.join(",")
    ))
    .fetch_all(state.db.read())
    .await?;
    rows.iter()
        .map(|r| Ok((r.try_get("course_id")?, session_view(r, now)?)))
        .collect()
}

/// Courses with their sessions, seats left, and whether the member is eligible.
#[utoipa::path(
    get, path = "/api/courses", tag = "training",
    params(CourseQuery),
    responses((status = 200, description = "A page of courses", body = Page<CourseView>))
)]
async fn list_courses(
    State(state): State<AppState>,
    user: Option<CurrentUser>,
    Query(q): Query<CourseQuery>,
) -> AppResult<axum::Json<Page<CourseView>>> {
    let limit = q.limit.unwrap_or(20).clamp(1, 100);
    let after: i64 = match q.cursor.as_deref().filter(|c| !c.is_empty()) {
        Some(c) => c.parse().map_err(|_| AppError::bad_param("cursor"))?,
        None => 0,
    };
    let mut filters = vec!["status = 'active'".to_string(), format!("id > {after}")];
    let mut binds: Vec<String> = Vec::new();
    if let Some(c) = q.category.as_deref().filter(|c| !c.is_empty()) {
        let c = CourseCategory::from_db(c).ok_or_else(|| AppError::bad_param("category"))?;
        binds.push(c.as_str().into());
        filters.push(format!("category = ${}", binds.len()));
    }
    if let Some(w) = crate::db::contains_pattern(q.q.as_deref())? {
        binds.push(w);
        filters.push(format!("search_text LIKE ${} ESCAPE '\\'", binds.len()));
    }
    let sql = format!(
        "SELECT {COURSE_COLUMNS} FROM courses WHERE {} ORDER BY id LIMIT {}",
        filters.join(" AND "),
        limit + 1
    );
    let mut query = sqlx::query(&sql);
    for b in &binds {
        query = query.bind(b);
    }
    let mut rows = query.fetch_all(state.db.read()).await?;
    let next_cursor = if rows.len() as i64 > limit {
        rows.truncate(limit as usize);
        rows.last()
            .and_then(|r| r.try_get::<i64, _>("id").ok())
            .map(|id| id.to_string())
    } else {
        None
    };
    let facts = match &user {
        Some(u) => member_facts(&state, u).await?,
        None => None,
    };
    let ids: Vec<i64> = rows
        .iter()
        .map(|r| r.try_get("id"))
        .collect::<Result<_, _>>()?;
    let mut sessions = sessions_of(&state, &ids, time::now()).await?;
    let items = rows
        .iter()
        .map(|r| {
            let id: i64 = r.try_get("id")?;
            let mine: Vec<SessionView> = sessions
                .iter()
                .filter(|(c, _)| *c == id)
                .map(|(_, s)| s.clone())
                .collect();
            sessions.retain(|(c, _)| *c != id);
            course_view(r, mine, facts)
        })
        .collect::<AppResult<Vec<_>>>()?;
    Ok(axum::Json(Page { items, next_cursor }))
}

/// One course with its sessions.
#[utoipa::path(
    get, path = "/api/courses/{id}", tag = "training",
    params(("id" = i64, Path, description = "Course id")),
    responses(
        (status = 200, description = "The course", body = CourseView),
        (status = 404, description = "No such course", body = ErrorBody),
    )
)]
async fn get_course(
    State(state): State<AppState>,
    user: Option<CurrentUser>,
    Path(id): Path<i64>,
) -> AppResult<axum::Json<CourseView>> {
    let row = sqlx::query(&format!(
        "SELECT {COURSE_COLUMNS} FROM courses WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(state.db.read())
    .await?
    .ok_or_else(AppError::not_found)?;
    let facts = match &user {
        Some(u) => member_facts(&state, u).await?,
        None => None,
    };
    let sessions = sessions_of(&state, &[id], time::now())
        .await?
        .into_iter()
        .map(|(_, s)| s)
        .collect();
    Ok(axum::Json(course_view(&row, sessions, facts)?))
}

const SIGNUP_SELECT: &str = "SELECT g.id, g.session_id, g.status, g.position, g.attended, g.certificate_no, c.title,
        s.starts_at, s.ends_at, s.place
   FROM signups g JOIN training_sessions s ON s.id = g.session_id JOIN courses c ON c.id = s.course_id";

fn signup_view(r: &sqlx::any::AnyRow) -> AppResult<SignupView> {
    Ok(SignupView {
        id: r.try_get("id")?,
        session_id: r.try_get("session_id")?,
        status: r.try_get("status")?,
        position: r.try_get("position")?,
        course_title: r.try_get("title")?,
        starts_at: time::rfc3339(r.try_get("starts_at")?),
        ends_at: time::rfc3339(r.try_get("ends_at")?),
        place: r.try_get("place")?,
        attended: r.try_get::<Option<i64>, _>("attended")?.map(|a| a != 0),
        certificate_no: r.try_get("certificate_no")?,
    })
}

async fn load_signup(state: &AppState, id: i64) -> AppResult<SignupView> {
    let row = sqlx::query(&format!("{SIGNUP_SELECT} WHERE g.id = $1"))
        .bind(id)
        .fetch_one(state.db.read())
        .await?;
    signup_view(&row)
}

fn members_only(user: &CurrentUser) -> AppResult<()> {
    if user.role == Role::Member && user.roster_id.is_some() {
        Ok(())
    } else {
        Err(AppError::forbidden(
            "members_only",
            "仅工会会员可以报名",
            "Only union members can sign up",
        ))
    }
}

/// Signs the member up: a seat while there are seats, otherwise a place on the waiting list.
#[utoipa::path(
    post, path = "/api/sessions/{id}/signups", tag = "training",
    params(("id" = i64, Path, description = "Session id")),
    responses(
        (status = 201, description = "`confirmed`, or `waitlisted` with `position`", body = SignupView),
        (status = 404, description = "No such session", body = ErrorBody),
        (status = 409, description = "Already signed up for this session", body = ErrorBody),
        (status = 422, description = "Sign-up closed, not eligible, or overlaps another session", body = ErrorBody),
    )
)]
async fn sign_up(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(session_id): Path<i64>,
) -> AppResult<(StatusCode, axum::Json<SignupView>)> {
    members_only(&user)?;
    let row = sqlx::query(
        "SELECT s.starts_at, s.ends_at, s.signup_deadline, s.status, c.eligibility
           FROM training_sessions s JOIN courses c ON c.id = s.course_id WHERE s.id = $1",
    )
    .bind(session_id)
    .fetch_optional(state.db.read())
    .await?
    .ok_or_else(AppError::not_found)?;
    let now = time::now();
    let (starts, ends): (i64, i64) = (row.try_get("starts_at")?, row.try_get("ends_at")?);
    if row.try_get::<String, _>("status")? != "open"
        || now > row.try_get::<i64, _>("signup_deadline")?
    {
        return Err(AppError::unprocessable(
            "signup_closed",
            "这期培训已截止报名",
            "Sign-up for this session has closed",
        ));
    }
    let eligibility =
        Eligibility::from_db(&row.try_get::<String, _>("eligibility")?).unwrap_or(Eligibility::All);
    let facts = member_facts(&state, &user).await?.unwrap_or_default();
    if !eligibility.admits(facts) {
        let mut err = AppError::unprocessable(
            "not_eligible",
            "这门课程不面向您开放",
            "This course is not open to you",
        );
        err = err.with_field(
            "eligibility",
            match eligibility {
                Eligibility::MigrantWorkers => "仅限农民工会员报名",
                Eligibility::Unemployed => "仅限登记失业会员报名",
                Eligibility::All => "",
            },
            eligibility.label(unioncard_api::Lang::En),
        );
        return Err(err);
    }
    let mut tx = state.db.write().begin().await?;
    // Take the session's row first: sign-ups for one session queue here.
    sqlx::query("UPDATE training_sessions SET confirmed = confirmed WHERE id = $1")
        .bind(session_id)
        .execute(&mut *tx)
        .await?;
    let already: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM signups WHERE session_id = $1 AND user_id = $2 AND status <> 'cancelled'",
    )
    .bind(session_id)
    .bind(user.id)
    .fetch_optional(&mut *tx)
    .await?;
    if already.is_some() {
        return Err(AppError::conflict(
            "already_signed_up",
            "您已报名这期培训",
            "You have already signed up for this session",
        ));
    }
    let clash: Option<String> = sqlx::query_scalar(
        "SELECT c.title FROM signups g JOIN training_sessions s ON s.id = g.session_id JOIN courses c ON c.id = s.course_id
          WHERE g.user_id = $1 AND g.status <> 'cancelled' AND s.starts_at < $2 AND $3 < s.ends_at LIMIT 1",
    )
    .bind(user.id)
    .bind(ends)
    .bind(starts)
    .fetch_optional(&mut *tx)
    .await?;
    if let Some(title) = clash {
        return Err(AppError::unprocessable(
            "overlap",
            "与您已报名的另一期培训时间冲突",
            "This overlaps a session you already signed up for",
        )
        .with_field_text(
            "session",
            format!("与《{title}》时间冲突"),
            format!("Overlaps “{title}”"),
        ));
    }
    let counts =
        sqlx::query("SELECT capacity, confirmed, waiting FROM training_sessions WHERE id = $1")
            .bind(session_id)
            .fetch_one(&mut *tx)
            .await?;
    let (capacity, confirmed, waiting): (i64, i64, i64) = (
        counts.try_get("capacity")?,
        counts.try_get("confirmed")?,
        counts.try_get("waiting")?,
    );
    let (status, position) = if confirmed < capacity {
        sqlx::query("UPDATE training_sessions SET confirmed = confirmed + 1 WHERE id = $1")
            .bind(session_id)
            .execute(&mut *tx)
            .await?;
        ("confirmed", None)
    } else {
        sqlx::query("UPDATE training_sessions SET waiting = waiting + 1 WHERE id = $1")
            .bind(session_id)
            .execute(&mut *tx)
            .await?;
        ("waitlisted", Some(waiting + 1))
    };
    let inserted = sqlx::query_scalar::<_, i64>(
        "INSERT INTO signups (session_id, user_id, status, position, created_at, confirmed_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(session_id)
    .bind(user.id)
    .bind(status)
    .bind(position)
    .bind(now)
    .bind((status == "confirmed").then_some(now))
    .fetch_one(&mut *tx)
    .await;
    let id = match inserted {
        Ok(id) => id,
        Err(e) if is_unique_violation(&e) => {
            return Err(AppError::conflict(
                "already_signed_up",
                "您已报名这期培训",
                "You have already signed up for this session",
            ))
        }
        Err(e) => return Err(e.into()),
    };
    tx.commit().await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(load_signup(&state, id).await?),
    ))
}

/// Cancels a sign-up; the head of the waiting list takes the seat.
#[utoipa::path(
    delete, path = "/api/signups/{id}", tag = "training",
    params(("id" = i64, Path, description = "Sign-up id")),
    responses(
        (status = 204, description = "Cancelled"),
        (status = 404, description = "No such sign-up of yours", body = ErrorBody),
    )
)]
async fn cancel(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<StatusCode> {
    let session_id: i64 = sqlx::query_scalar(
        "SELECT session_id FROM signups WHERE id = $1 AND user_id = $2 AND status <> 'cancelled'",
    )
    .bind(id)
    .bind(user.id)
    .fetch_optional(state.db.read())
    .await?
    .ok_or_else(AppError::not_found)?;
    let now = time::now();
    let mut tx = state.db.write().begin().await?;
    sqlx::query("UPDATE training_sessions SET confirmed = confirmed WHERE id = $1")
        .bind(session_id)
        .execute(&mut *tx)
        .await?;
    let row =
        sqlx::query("SELECT status, position FROM signups WHERE id = $1 AND status <> 'cancelled'")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(AppError::not_found)?;
    let (status, position): (String, Option<i64>) =
        (row.try_get("status")?, row.try_get("position")?);
    sqlx::query(
        "UPDATE signups SET status = 'cancelled', position = NULL, cancelled_at = $1 WHERE id = $2",
    )
    .bind(now)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    if status == "confirmed" {
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
                close_up(&mut tx, session_id, 0).await?;
            }
            None => {
                sqlx::query("UPDATE training_sessions SET confirmed = confirmed - 1 WHERE id = $1")
                    .bind(session_id)
                    .execute(&mut *tx)
                    .await?;
            }
        }
    } else {
        close_up(&mut tx, session_id, position.unwrap_or(0)).await?;
    }
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Moves everyone waiting behind `after` up one place.
async fn close_up(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    session_id: i64,
    after: i64,
) -> AppResult<()> {
    sqlx::query("UPDATE signups SET position = position - 1 WHERE session_id = $1 AND status = 'waitlisted' AND position > $2")
        .bind(session_id)
        .bind(after)
        .execute(&mut **tx)
        .await?;
    sqlx::query("UPDATE training_sessions SET waiting = waiting - 1 WHERE id = $1")
        .bind(session_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The member's live sign-ups, earliest session first.
#[utoipa::path(
    get, path = "/api/me/signups", tag = "training",
    responses((status = 200, description = "Sign-ups", body = Page<SignupView>))
)]
async fn my_signups(
    State(state): State<AppState>,
    user: CurrentUser,
) -> AppResult<axum::Json<Page<SignupView>>> {
    let rows = sqlx::query(&format!(
        "{SIGNUP_SELECT} WHERE g.user_id = $1 AND g.status <> 'cancelled' ORDER BY s.starts_at"
    ))
    .bind(user.id)
    .fetch_all(state.db.read())
    .await?;
    let items = rows
        .iter()
        .map(signup_view)
        .collect::<AppResult<Vec<_>>>()?;
    Ok(axum::Json(Page::whole(items)))
}

/// The sign-up's session as a calendar file.
#[utoipa::path(
    get, path = "/api/signups/{id}/calendar.ics", tag = "training",
    params(("id" = i64, Path, description = "Sign-up id")),
    responses(
        (status = 200, description = "An iCalendar file", content_type = "text/calendar"),
        (status = 404, description = "No such sign-up of yours", body = ErrorBody),
    )
)]
async fn calendar(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let row = sqlx::query(&format!(
        "{SIGNUP_SELECT} WHERE g.id = $1 AND g.user_id = $2 AND g.status <> 'cancelled'"
    ))
    .bind(id)
    .bind(user.id)
    .fetch_optional(state.db.read())
    .await?
    .ok_or_else(AppError::not_found)?;
    let text = training::ics(
        &format!("signup-{id}@unioncard"),
        &row.try_get::<String, _>("title")?,
        &row.try_get::<String, _>("place")?,
        row.try_get("starts_at")?,
        row.try_get("ends_at")?,
        time::now(),
    );
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "text/calendar; charset=utf-8".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"training-{id}.ics\""),
            ),
        ],
        text,
    )
        .into_response())
}
