//! Skills training: browse courses and sessions, sign up (a seat while there
//! are seats, then a place on a fair waiting list), cancel (the head of the
//! list moves up in the same transaction), and a calendar file per sign-up.
//!
//! How seats stay honest when many sign up at once is told in
//! [`crate::store::training`].

use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use unioncard_api::join::Page;
use unioncard_api::training::{
    self, CourseCategory, CourseView, Eligibility, MemberFacts, SignupView, TrainingRefusal,
};
use unioncard_api::ErrorBody;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{AppError, AppResult};
use crate::extract::{CurrentUser, Member};
use crate::store::is_unique_violation;
use crate::{store, time, AppState};

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

/// What the eligibility rules need to know of the caller; `None` for a guest
/// or anyone without a roster entry.
async fn member_facts(
    state: &AppState,
    user: Option<&CurrentUser>,
) -> AppResult<Option<MemberFacts>> {
    match user.and_then(|u| u.roster_id) {
        Some(roster_id) => Ok(Some(
            store::training::member_facts(&mut *state.db.reader().await?, roster_id).await?,
        )),
        None => Ok(None),
    }
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
    let category = match q.category.as_deref().filter(|c| !c.is_empty()) {
        Some(c) => Some(CourseCategory::from_db(c).ok_or_else(|| AppError::bad_param("category"))?),
        None => None,
    };
    let filter = store::training::CourseFilter {
        category,
        words: store::search::Words::parse(q.q.as_deref())?,
        after,
        limit: limit + 1,
    };
    let facts = member_facts(&state, user.as_ref()).await?;
    // The course list may lag the last write by a moment: a replica's read.
    let mut conn = state.db.lagging().await?;
    let mut rows = store::training::courses(&mut conn, &filter).await?;
    let next_cursor = if rows.len() as i64 > limit {
        rows.truncate(limit as usize);
        rows.last().map(|r| r.id.to_string())
    } else {
        None
    };
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let sessions = store::training::sessions_of(&mut conn, &ids).await?;
    let now = time::now();
    let items = rows
        .into_iter()
        .map(|r| {
            let mine = store::training::sessions_by_course(&sessions, r.id, now)?;
            r.into_view(mine, facts)
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
    let facts = member_facts(&state, user.as_ref()).await?;
    let mut conn = state.db.reader().await?;
    let course = store::training::course(&mut conn, id)
        .await?
        .ok_or_else(AppError::not_found)?;
    let sessions = store::training::sessions_of(&mut conn, &[id]).await?;
    let sessions = store::training::sessions_by_course(&sessions, id, time::now())?;
    Ok(axum::Json(course.into_view(sessions, facts)?))
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
    member: Member,
    Path(session_id): Path<i64>,
) -> AppResult<(StatusCode, axum::Json<SignupView>)> {
    let user = &member.user;
    let mut conn = state.db.reader().await?;
    let terms = store::training::session_terms(&mut conn, session_id)
        .await?
        .ok_or_else(AppError::not_found)?;
    let now = time::now();
    if !terms.takes_signups(now)? {
        return Err(TrainingRefusal::SignupClosed.into());
    }
    let eligibility = Eligibility::from_db(&terms.eligibility).unwrap_or(Eligibility::All);
    let facts = store::training::member_facts(&mut conn, member.roster_id).await?;
    drop(conn);
    if !eligibility.admits(facts) {
        return Err(TrainingRefusal::NotEligible(eligibility).into());
    }
    let mut tx = state.db.begin().await?;
    store::training::hold_session(&mut tx, session_id).await?;
    if store::training::already_signed_up(&mut tx, session_id, user.id).await? {
        return Err(TrainingRefusal::AlreadySignedUp.into());
    }
    if let Some(title) =
        store::training::overlapping_title(&mut tx, user.id, terms.starts_at, terms.ends_at).await?
    {
        return Err(TrainingRefusal::Overlap(title).into());
    }
    let placed = store::training::take_place(&mut tx, session_id).await?;
    let id = match store::training::insert_signup(&mut tx, session_id, user.id, placed, now).await {
        Ok(id) => id,
        Err(e) if is_unique_violation(&e) => return Err(TrainingRefusal::AlreadySignedUp.into()),
        Err(e) => return Err(e.into()),
    };
    tx.commit().await?;
    let signup = store::training::signup(&mut *state.db.reader().await?, id)
        .await?
        .ok_or_else(|| AppError::internal("a sign-up vanished after its commit"))?;
    Ok((StatusCode::CREATED, axum::Json(signup.try_into()?)))
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
    let session_id =
        store::training::session_of_live_signup(&mut *state.db.reader().await?, id, user.id)
            .await?
            .ok_or_else(AppError::not_found)?;
    let mut tx = state.db.begin().await?;
    store::training::hold_session(&mut tx, session_id).await?;
    if !store::training::cancel(&mut tx, id, session_id, time::now()).await? {
        return Err(AppError::not_found());
    }
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
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
    let rows = store::training::signups_of(&mut *state.db.reader().await?, user.id).await?;
    Ok(axum::Json(Page::whole(
        rows.into_iter()
            .map(SignupView::try_from)
            .collect::<AppResult<_>>()?,
    )))
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
    let signup = store::training::live_signup_of(&mut *state.db.reader().await?, id, user.id)
        .await?
        .ok_or_else(AppError::not_found)?;
    let text = training::ics(
        &format!("signup-{id}@unioncard"),
        &signup.title,
        &signup.place,
        signup.starts_at,
        signup.ends_at,
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
