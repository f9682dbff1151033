//! The officers' side of training: courses and sessions of their unions,
//! a session's roster, attendance, certificates, and the roster as CSV.

use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use unioncard_api::audit::AuditAction;
use unioncard_api::join::Page;
use unioncard_api::training::{
    AttendanceInput, CourseInput, CourseProblem, SessionInput, SessionRoster, SessionTimes,
    SessionView, SignupStatus, StaffCourse, TrainingRefusal,
};
use unioncard_api::ErrorBody;
use unioncard_api::Lang;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::audit::{self, Entry};
use crate::error::{AppError, AppResult};
use crate::extract::{Json, Officer};
use crate::scope::Scope;
use crate::{store, time, AppState};

/// The officers' training routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_courses, create_course))
        .routes(routes!(update_course))
        .routes(routes!(add_session))
        .routes(routes!(update_session))
        .routes(routes!(session_roster))
        .routes(routes!(roster_csv))
        .routes(routes!(mark_attendance))
        .routes(routes!(issue_certificate))
}

/// 422 with every problem of the course, in the shared crate's words.
fn check_course(input: &CourseInput) -> AppResult<()> {
    let problems = input.problems();
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.into_iter().fold(validation_failed(), with_problem))
    }
}

/// The contract's `validation_failed`, its fields to be added one by one.
fn validation_failed() -> AppError {
    AppError::invalid(&Default::default())
}

fn with_problem(err: AppError, p: CourseProblem) -> AppError {
    err.with_field(p.field(), p.message(Lang::Zh), p.message(Lang::En))
}

/// Courses of the officer's unions.
#[utoipa::path(get, path = "/api/staff/courses", operation_id = "list_courses_managed", tag = "staff",
    responses((status = 200, description = "Courses", body = Page<StaffCourse>)))]
async fn list_courses(
    State(state): State<AppState>,
    Officer { scope, .. }: Officer,
) -> AppResult<axum::Json<Page<StaffCourse>>> {
    let mut conn = state.db.reader().await?;
    let rows = store::training::courses_in(&mut conn, &scope.like()).await?;
    // One read for every course's sessions (it was one per course).
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let sessions = store::training::sessions_of(&mut conn, &ids).await?;
    let now = time::now();
    let items = rows
        .into_iter()
        .map(|r| {
            let mine = store::training::sessions_by_course(&sessions, r.id, now)?;
            Ok(r.into_staff(mine))
        })
        .collect::<AppResult<Vec<_>>>()?;
    Ok(axum::Json(Page::whole(items)))
}

/// Creates a course in the officer's own union.
#[utoipa::path(post, path = "/api/staff/courses", tag = "staff", request_body = CourseInput,
    responses((status = 201, description = "Created", body = StaffCourse), (status = 422, description = "Invalid", body = ErrorBody)))]
async fn create_course(
    State(state): State<AppState>,
    Officer { user, scope }: Officer,
    Json(input): Json<CourseInput>,
) -> AppResult<(StatusCode, axum::Json<StaffCourse>)> {
    check_course(&input)?;
    let mut tx = state.db.begin().await?;
    let id = store::training::create_course(&mut tx, scope.union_id, &input, time::now()).await?;
    audit::record(
        &mut tx,
        Entry {
            actor: Some(user.id),
            union_id: Some(scope.union_id),
            action: AuditAction::CourseCreate,
            target: format!("course:{id}"),
            before: None,
            after: Some(serde_json::to_value(&input).unwrap_or_default()),
        },
    )
    .await?;
    tx.commit().await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(StaffCourse::from_input(id, input)),
    ))
}

/// The course's union path (404 outside the officer's scope).
async fn course_in_scope(state: &AppState, scope: &Scope, id: i64) -> AppResult<i64> {
    match store::training::course_union(&mut *state.db.reader().await?, id).await? {
        Some((union_id, path)) if scope.covers(&path) => Ok(union_id),
        _ => Err(AppError::not_found()),
    }
}

/// Edits a course.
#[utoipa::path(put, path = "/api/staff/courses/{id}", tag = "staff", params(("id" = i64, Path, description = "Course id")),
    request_body = CourseInput,
    responses((status = 200, description = "Saved", body = StaffCourse), (status = 404, description = "Not in your unions", body = ErrorBody)))]
async fn update_course(
    State(state): State<AppState>,
    Officer { user, scope }: Officer,
    Path(id): Path<i64>,
    Json(input): Json<CourseInput>,
) -> AppResult<axum::Json<StaffCourse>> {
    let union_id = course_in_scope(&state, &scope, id).await?;
    check_course(&input)?;
    let mut tx = state.db.begin().await?;
    store::training::update_course(&mut tx, id, &input).await?;
    audit::record(
        &mut tx,
        Entry {
            actor: Some(user.id),
            union_id: Some(union_id),
            action: AuditAction::CourseUpdate,
            target: format!("course:{id}"),
            before: None,
            after: Some(serde_json::to_value(&input).unwrap_or_default()),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(axum::Json(StaffCourse::from_input(id, input)))
}

/// Adds a session to a course.
#[utoipa::path(post, path = "/api/staff/courses/{id}/sessions", tag = "staff", params(("id" = i64, Path, description = "Course id")),
    request_body = SessionInput,
    responses((status = 201, description = "Added", body = SessionView), (status = 422, description = "Invalid times or capacity", body = ErrorBody)))]
async fn add_session(
    State(state): State<AppState>,
    Officer { user, scope }: Officer,
    Path(id): Path<i64>,
    Json(input): Json<SessionInput>,
) -> AppResult<(StatusCode, axum::Json<SessionView>)> {
    let union_id = course_in_scope(&state, &scope, id).await?;
    let times = checked_session(&input)?;
    let mut tx = state.db.begin().await?;
    let sid = store::training::add_session(&mut tx, id, times, &input, time::now()).await?;
    audit::record(
        &mut tx,
        Entry {
            actor: Some(user.id),
            union_id: Some(union_id),
            action: AuditAction::SessionCreate,
            target: format!("session:{sid}"),
            before: None,
            after: Some(serde_json::to_value(&input).unwrap_or_default()),
        },
    )
    .await?;
    tx.commit().await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(session_view(&state, sid).await?),
    ))
}

/// A session as the officer's screens show it.
async fn session_view(state: &AppState, id: i64) -> AppResult<SessionView> {
    store::training::session(&mut *state.db.reader().await?, id)
        .await?
        .ok_or_else(AppError::not_found)?
        .view(time::now())
}

/// Edits a session. Seats cannot drop below the people already confirmed.
#[utoipa::path(put, path = "/api/staff/sessions/{id}", tag = "staff", params(("id" = i64, Path, description = "Session id")),
    request_body = SessionInput,
    responses((status = 200, description = "Saved", body = SessionView), (status = 404, description = "Not in your unions", body = ErrorBody),
        (status = 422, description = "Invalid times, or fewer seats than people confirmed", body = ErrorBody)))]
async fn update_session(
    State(state): State<AppState>,
    Officer { user, scope }: Officer,
    Path(id): Path<i64>,
    Json(input): Json<SessionInput>,
) -> AppResult<axum::Json<SessionView>> {
    let course_id = store::training::session(&mut *state.db.reader().await?, id)
        .await?
        .ok_or_else(AppError::not_found)?
        .course_id;
    let union_id = course_in_scope(&state, &scope, course_id).await?;
    let times = checked_session(&input)?;
    let mut tx = state.db.begin().await?;
    // The seat count cannot undercut people already holding a seat.
    if !store::training::update_session(&mut tx, id, times, &input).await? {
        return Err(TrainingRefusal::SeatsBelowConfirmed.into());
    }
    audit::record(
        &mut tx,
        Entry {
            actor: Some(user.id),
            union_id: Some(union_id),
            action: AuditAction::SessionUpdate,
            target: format!("session:{id}"),
            before: None,
            after: Some(serde_json::to_value(&input).unwrap_or_default()),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(axum::Json(session_view(&state, id).await?))
}

/// Checks a session's times, seats and place, for adding and editing alike.
fn checked_session(input: &SessionInput) -> AppResult<SessionTimes> {
    input
        .times()
        .map_err(|p| with_problem(validation_failed(), p))
}

async fn load_roster(state: &AppState, scope: &Scope, session_id: i64) -> AppResult<SessionRoster> {
    let mut conn = state.db.reader().await?;
    let held = store::training::session_with_course(&mut conn, session_id)
        .await?
        .filter(|h| scope.covers(&h.path))
        .ok_or_else(AppError::not_found)?;
    let people = store::training::roster(&mut conn, session_id).await?;
    Ok(SessionRoster {
        session: held.session.view(time::now())?,
        course_title: held.course_title,
        people,
    })
}

/// A session's roster: confirmed, then waiting by position.
#[utoipa::path(get, path = "/api/staff/sessions/{id}/roster", tag = "staff", params(("id" = i64, Path, description = "Session id")),
    responses((status = 200, description = "The roster", body = SessionRoster), (status = 404, description = "Not in your unions", body = ErrorBody)))]
async fn session_roster(
    State(state): State<AppState>,
    Officer { scope, .. }: Officer,
    Path(id): Path<i64>,
) -> AppResult<axum::Json<SessionRoster>> {
    Ok(axum::Json(load_roster(&state, &scope, id).await?))
}

/// The roster as CSV (UTF-8 with a BOM, so Excel opens it right).
#[utoipa::path(get, path = "/api/staff/sessions/{id}/roster.csv", tag = "staff", params(("id" = i64, Path, description = "Session id")),
    responses((status = 200, description = "CSV", content_type = "text/csv"), (status = 404, description = "Not in your unions", body = ErrorBody)))]
async fn roster_csv(
    State(state): State<AppState>,
    Officer { scope, .. }: Officer,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let roster = load_roster(&state, &scope, id).await?;
    let mut out = String::from("\u{feff}name,phone,status,position,attended,certificate_no\r\n");
    for p in &roster.people {
        // One cell writer for every CSV: quoting, and no formula injection.
        let name = unioncard_api::stats::csv_field(&p.name);
        out.push_str(&format!(
            "{name},{},{},{},{},{}\r\n",
            p.phone_masked,
            p.status.as_str(),
            p.position.map(|x| x.to_string()).unwrap_or_default(),
            p.attended
                .map(|a| if a { "yes" } else { "no" })
                .unwrap_or(""),
            p.certificate_no.clone().unwrap_or_default()
        ));
    }
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"session-{id}-roster.csv\""),
            ),
        ],
        out,
    )
        .into_response())
}

async fn signup_in_scope(
    state: &AppState,
    scope: &Scope,
    signup_id: i64,
) -> AppResult<store::training::SignupForStaff> {
    store::training::signup_for_staff(&mut *state.db.reader().await?, signup_id)
        .await?
        .filter(|g| scope.covers(&g.path))
        .ok_or_else(AppError::not_found)
}

/// Marks whether a confirmed person attended.
#[utoipa::path(post, path = "/api/staff/signups/{id}/attendance", tag = "staff", params(("id" = i64, Path, description = "Sign-up id")),
    request_body = AttendanceInput,
    responses((status = 200, description = "The roster", body = SessionRoster), (status = 409, description = "Not a confirmed sign-up", body = ErrorBody)))]
async fn mark_attendance(
    State(state): State<AppState>,
    Officer { user, scope }: Officer,
    Path(id): Path<i64>,
    Json(input): Json<AttendanceInput>,
) -> AppResult<axum::Json<SessionRoster>> {
    let signup = signup_in_scope(&state, &scope, id).await?;
    if signup.status()? != SignupStatus::Confirmed {
        return Err(TrainingRefusal::NotConfirmed.into());
    }
    let (before, session_id, union_id) = (signup.attended, signup.session_id, signup.union_id);
    let mut tx = state.db.begin().await?;
    // Still confirmed when written: a cancellation in between is not marked.
    if !store::training::mark_attendance(&mut tx, id, input.attended).await? {
        return Err(TrainingRefusal::NotConfirmed.into());
    }
    audit::record(
        &mut tx,
        Entry {
            actor: Some(user.id),
            union_id: Some(union_id),
            action: AuditAction::SignupAttendance,
            target: format!("signup:{id}"),
            before: Some(json!({"attended": before})),
            after: Some(json!({"attended": input.attended})),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(axum::Json(load_roster(&state, &scope, session_id).await?))
}

/// Issues a certificate to someone who attended.
#[utoipa::path(post, path = "/api/staff/signups/{id}/certificate", tag = "staff", params(("id" = i64, Path, description = "Sign-up id")),
    responses((status = 200, description = "The roster", body = SessionRoster),
        (status = 409, description = "Already issued", body = ErrorBody), (status = 422, description = "Did not attend", body = ErrorBody)))]
async fn issue_certificate(
    State(state): State<AppState>,
    Officer { user, scope }: Officer,
    Path(id): Path<i64>,
) -> AppResult<axum::Json<SessionRoster>> {
    let signup = signup_in_scope(&state, &scope, id).await?;
    if signup.certificate_no.is_some() {
        return Err(TrainingRefusal::AlreadyIssued.into());
    }
    if signup.attended != Some(1) {
        return Err(TrainingRefusal::NotAttended.into());
    }
    let (session_id, union_id) = (signup.session_id, signup.union_id);
    let number = format!("WHPX-{}-{id:06}", &time::today_iso(time::now())[..4]);
    let mut tx = state.db.begin().await?;
    if !store::training::issue_certificate(&mut tx, id, &number).await? {
        return Err(TrainingRefusal::AlreadyIssued.into());
    }
    audit::record(
        &mut tx,
        Entry {
            actor: Some(user.id),
            union_id: Some(union_id),
            action: AuditAction::SignupCertificate,
            target: format!("signup:{id}"),
            before: None,
            after: Some(json!({"certificate_no": number})),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(axum::Json(load_roster(&state, &scope, session_id).await?))
}
