//! The officers' side of training: courses and sessions of their unions,
//! a session's roster, attendance, certificates, and the roster as CSV.

use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use sqlx::Row;
use unioncard_api::audit::AuditAction;
use unioncard_api::identity::mask_phone;
use unioncard_api::join::Page;
use unioncard_api::training::StaffCourse;
use unioncard_api::training::{
    parse_local_minute, AttendanceInput, CourseCategory, CourseInput, Eligibility, RosterLine,
    SessionInput, SessionRoster, SessionView,
};
use unioncard_api::ErrorBody;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::audit::{self, Entry};
use crate::error::{AppError, AppResult};
use crate::extract::{CurrentUser, Json};
use crate::routes::training::{session_view, SESSION_COLUMNS};
use crate::scope::Scope;
use crate::{time, AppState};

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

fn check_course(input: &CourseInput) -> AppResult<()> {
    let mut err = None;
    let mut add = |field: &str, zh: &'static str, en: &'static str| {
        let e = err.take().unwrap_or_else(|| {
            AppError::unprocessable(
                "validation_failed",
                "请检查标出的内容",
                "Please check the marked fields",
            )
        });
        err = Some(e.with_field(field, zh, en));
    };
    if input.title.trim().is_empty() || input.title.chars().count() > 60 {
        add(
            "title",
            "请填写课程名称（60 字以内）",
            "A title of at most 60 characters",
        );
    }
    if CourseCategory::from_db(&input.category).is_none() {
        add("category", "请选择类别", "Choose a category");
    }
    if Eligibility::from_db(&input.eligibility).is_none() {
        add("eligibility", "请选择报名条件", "Choose who may sign up");
    }
    if input.provider.trim().is_empty() {
        add("provider", "请填写培训机构", "Name the provider");
    }
    if input.fee_fen < 0 {
        add("fee_fen", "费用不能为负", "The fee cannot be negative");
    }
    err.map_or(Ok(()), Err)
}

/// Courses of the officer's unions.
#[utoipa::path(get, path = "/api/staff/courses", operation_id = "list_courses_managed", tag = "staff",
    responses((status = 200, description = "Courses", body = Page<StaffCourse>)))]
async fn list_courses(
    State(state): State<AppState>,
    user: CurrentUser,
) -> AppResult<axum::Json<Page<StaffCourse>>> {
    let scope = Scope::of(&state, &user).await?;
    let rows = sqlx::query(
        "SELECT c.id, c.title, c.category, c.eligibility, c.provider, c.description, c.fee_fen, c.certificate
           FROM courses c JOIN unions u ON u.id = c.union_id
          WHERE u.path LIKE $1 ORDER BY c.id LIMIT 200",
    )
    .bind(scope.like())
    .fetch_all(state.db.read())
    .await?;
    let now = time::now();
    let mut items = Vec::new();
    for r in &rows {
        let id: i64 = r.try_get("id")?;
        let sessions = sqlx::query(&format!("SELECT {SESSION_COLUMNS} FROM training_sessions WHERE course_id = $1 ORDER BY starts_at"))
            .bind(id)
            .fetch_all(state.db.read())
            .await?
            .iter()
            .map(|s| session_view(s, now))
            .collect::<AppResult<Vec<_>>>()?;
        items.push(StaffCourse {
            id,
            title: r.try_get("title")?,
            category: r.try_get("category")?,
            eligibility: r.try_get("eligibility")?,
            provider: r.try_get("provider")?,
            description: r.try_get("description")?,
            fee_fen: r.try_get("fee_fen")?,
            certificate: r.try_get("certificate")?,
            sessions,
        });
    }
    Ok(axum::Json(Page::whole(items)))
}

/// Creates a course in the officer's own union.
#[utoipa::path(post, path = "/api/staff/courses", tag = "staff", request_body = CourseInput,
    responses((status = 201, description = "Created", body = StaffCourse), (status = 422, description = "Invalid", body = ErrorBody)))]
async fn create_course(
    State(state): State<AppState>,
    user: CurrentUser,
    Json(input): Json<CourseInput>,
) -> AppResult<(StatusCode, axum::Json<StaffCourse>)> {
    let scope = Scope::of(&state, &user).await?;
    check_course(&input)?;
    let mut tx = state.db.write().begin().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO courses (union_id, title, category, provider, description, fee_fen, eligibility, certificate,
             status, search_text, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'active', $9, $10) RETURNING id",
    )
    .bind(scope.union_id)
    .bind(input.title.trim())
    .bind(&input.category)
    .bind(input.provider.trim())
    .bind(input.description.trim())
    .bind(input.fee_fen)
    .bind(&input.eligibility)
    .bind(input.certificate.trim())
    .bind(format!("{} {}", input.title, input.provider).to_lowercase())
    .bind(time::now())
    .fetch_one(&mut *tx)
    .await?;
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
    let row = sqlx::query("SELECT c.union_id, u.path FROM courses c JOIN unions u ON u.id = c.union_id WHERE c.id = $1")
        .bind(id)
        .fetch_optional(state.db.read())
        .await?
        .ok_or_else(AppError::not_found)?;
    if !scope.covers(&row.try_get::<String, _>("path")?) {
        return Err(AppError::not_found());
    }
    Ok(row.try_get("union_id")?)
}

/// Edits a course.
#[utoipa::path(put, path = "/api/staff/courses/{id}", tag = "staff", params(("id" = i64, Path, description = "Course id")),
    request_body = CourseInput,
    responses((status = 200, description = "Saved", body = StaffCourse), (status = 404, description = "Not in your unions", body = ErrorBody)))]
async fn update_course(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Json(input): Json<CourseInput>,
) -> AppResult<axum::Json<StaffCourse>> {
    let scope = Scope::of(&state, &user).await?;
    let union_id = course_in_scope(&state, &scope, id).await?;
    check_course(&input)?;
    let mut tx = state.db.write().begin().await?;
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
    .bind(format!("{} {}", input.title, input.provider).to_lowercase())
    .bind(id)
    .execute(&mut *tx)
    .await?;
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
    user: CurrentUser,
    Path(id): Path<i64>,
    Json(input): Json<SessionInput>,
) -> AppResult<(StatusCode, axum::Json<SessionView>)> {
    let scope = Scope::of(&state, &user).await?;
    let union_id = course_in_scope(&state, &scope, id).await?;
    let (starts, ends, deadline) = checked_session(&input)?;
    let mut tx = state.db.write().begin().await?;
    let sid: i64 = sqlx::query_scalar(
        "INSERT INTO training_sessions (course_id, starts_at, ends_at, place, address, capacity, signup_deadline, status, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'open', $8) RETURNING id",
    )
    .bind(id)
    .bind(starts)
    .bind(ends)
    .bind(input.place.trim())
    .bind(input.address.trim())
    .bind(input.capacity)
    .bind(deadline)
    .bind(time::now())
    .fetch_one(&mut *tx)
    .await?;
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
    let row = sqlx::query(&format!(
        "SELECT {SESSION_COLUMNS} FROM training_sessions WHERE id = $1"
    ))
    .bind(sid)
    .fetch_one(state.db.read())
    .await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(session_view(&row, time::now())?),
    ))
}

/// Edits a session. Seats cannot drop below the people already confirmed.
#[utoipa::path(put, path = "/api/staff/sessions/{id}", tag = "staff", params(("id" = i64, Path, description = "Session id")),
    request_body = SessionInput,
    responses((status = 200, description = "Saved", body = SessionView), (status = 404, description = "Not in your unions", body = ErrorBody),
        (status = 422, description = "Invalid times, or fewer seats than people confirmed", body = ErrorBody)))]
async fn update_session(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Json(input): Json<SessionInput>,
) -> AppResult<axum::Json<SessionView>> {
    let scope = Scope::of(&state, &user).await?;
    let course_id: i64 =
        sqlx::query_scalar("SELECT course_id FROM training_sessions WHERE id = $1")
            .bind(id)
            .fetch_optional(state.db.read())
            .await?
            .ok_or_else(AppError::not_found)?;
    let union_id = course_in_scope(&state, &scope, course_id).await?;
    let (starts, ends, deadline) = checked_session(&input)?;
    let mut tx = state.db.write().begin().await?;
    // The seat count cannot undercut people already holding a seat.
    let done = sqlx::query(
        "UPDATE training_sessions SET starts_at = $1, ends_at = $2, signup_deadline = $3, place = $4, address = $5, capacity = $6
          WHERE id = $7 AND confirmed <= $6",
    )
    .bind(starts)
    .bind(ends)
    .bind(deadline)
    .bind(input.place.trim())
    .bind(input.address.trim())
    .bind(input.capacity)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() != 1 {
        return Err(AppError::unprocessable(
            "validation_failed",
            "请检查标出的内容",
            "Please check the marked fields",
        )
        .with_field(
            "capacity",
            "名额不能少于已确认的人数",
            "Seats cannot be fewer than people already confirmed",
        ));
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
    let row = sqlx::query(&format!(
        "SELECT {SESSION_COLUMNS} FROM training_sessions WHERE id = $1"
    ))
    .bind(id)
    .fetch_one(state.db.read())
    .await?;
    Ok(axum::Json(session_view(&row, time::now())?))
}

/// Checks a session's times, seats and place, for adding and editing alike;
/// returns start, end and sign-up deadline as Unix seconds.
fn checked_session(input: &SessionInput) -> AppResult<(i64, i64, i64)> {
    let invalid = |field: &str, zh: &'static str, en: &'static str| {
        AppError::unprocessable(
            "validation_failed",
            "请检查标出的内容",
            "Please check the marked fields",
        )
        .with_field(field, zh, en)
    };
    let time = |field: &'static str, value: &str| {
        parse_local_minute(value).ok_or_else(|| invalid(field, "时间格式不对", "Not a valid time"))
    };
    let starts = time("starts_at", &input.starts_at)?;
    let ends = time("ends_at", &input.ends_at)?;
    let deadline = time("signup_deadline", &input.signup_deadline)?;
    if ends <= starts {
        return Err(invalid(
            "ends_at",
            "结束时间应晚于开始时间",
            "The end must be after the start",
        ));
    }
    if deadline > starts {
        return Err(invalid(
            "signup_deadline",
            "报名截止应不晚于开班时间",
            "Sign-up must close before the start",
        ));
    }
    if !(1..=1000).contains(&input.capacity) {
        return Err(invalid(
            "capacity",
            "名额应在 1 到 1000 之间",
            "Between 1 and 1000 seats",
        ));
    }
    if input.place.trim().is_empty() {
        return Err(invalid("place", "请填写上课地点", "Say where"));
    }
    Ok((starts, ends, deadline))
}

async fn load_roster(state: &AppState, scope: &Scope, session_id: i64) -> AppResult<SessionRoster> {
    let row = sqlx::query(&format!(
        "SELECT s.{}, c.title AS course_title, u.path FROM training_sessions s JOIN courses c ON c.id = s.course_id
           JOIN unions u ON u.id = c.union_id WHERE s.id = $1",
        SESSION_COLUMNS.replace(", ", ", s.")
    ))
    .bind(session_id)
    .fetch_optional(state.db.read())
    .await?
    .ok_or_else(AppError::not_found)?;
    if !scope.covers(&row.try_get::<String, _>("path")?) {
        return Err(AppError::not_found());
    }
    let people = sqlx::query(
        "SELECT g.id, g.status, g.position, g.attended, g.certificate_no, u.name, u.phone_masked
           FROM signups g JOIN users u ON u.id = g.user_id
          WHERE g.session_id = $1 AND g.status <> 'cancelled'
          ORDER BY CASE WHEN g.status = 'confirmed' THEN 0 ELSE 1 END, g.position, g.id",
    )
    .bind(session_id)
    .fetch_all(state.db.read())
    .await?
    .iter()
    .map(|r| {
        Ok(RosterLine {
            signup_id: r.try_get("id")?,
            name: r.try_get("name")?,
            phone_masked: r.try_get::<String, _>("phone_masked").map(|p| {
                if p.contains('*') {
                    p
                } else {
                    mask_phone(&p)
                }
            })?,
            status: r.try_get("status")?,
            position: r.try_get("position")?,
            attended: r.try_get::<Option<i64>, _>("attended")?.map(|a| a != 0),
            certificate_no: r.try_get("certificate_no")?,
        })
    })
    .collect::<AppResult<Vec<_>>>()?;
    Ok(SessionRoster {
        course_title: row.try_get("course_title")?,
        session: session_view(&row, time::now())?,
        people,
    })
}

/// A session's roster: confirmed, then waiting by position.
#[utoipa::path(get, path = "/api/staff/sessions/{id}/roster", tag = "staff", params(("id" = i64, Path, description = "Session id")),
    responses((status = 200, description = "The roster", body = SessionRoster), (status = 404, description = "Not in your unions", body = ErrorBody)))]
async fn session_roster(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<axum::Json<SessionRoster>> {
    let scope = Scope::of(&state, &user).await?;
    Ok(axum::Json(load_roster(&state, &scope, id).await?))
}

/// The roster as CSV (UTF-8 with a BOM, so Excel opens it right).
#[utoipa::path(get, path = "/api/staff/sessions/{id}/roster.csv", tag = "staff", params(("id" = i64, Path, description = "Session id")),
    responses((status = 200, description = "CSV", content_type = "text/csv"), (status = 404, description = "Not in your unions", body = ErrorBody)))]
async fn roster_csv(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let scope = Scope::of(&state, &user).await?;
    let roster = load_roster(&state, &scope, id).await?;
    let mut out = String::from("\u{feff}name,phone,status,position,attended,certificate_no\r\n");
    for p in &roster.people {
        // One cell writer for every CSV: quoting, and no formula injection.
        let name = unioncard_api::stats::csv_field(&p.name);
        out.push_str(&format!(
            "{name},{},{},{},{},{}\r\n",
            p.phone_masked,
            p.status,
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
) -> AppResult<(String, Option<i64>, Option<String>, i64, i64)> {
    let row = sqlx::query(
        "SELECT g.status, g.attended, g.certificate_no, g.session_id, c.union_id, u.path
           FROM signups g JOIN training_sessions s ON s.id = g.session_id JOIN courses c ON c.id = s.course_id
           JOIN unions u ON u.id = c.union_id WHERE g.id = $1",
    )
    .bind(signup_id)
    .fetch_optional(state.db.read())
    .await?
    .ok_or_else(AppError::not_found)?;
    if !scope.covers(&row.try_get::<String, _>("path")?) {
        return Err(AppError::not_found());
    }
    Ok((
        row.try_get("status")?,
        row.try_get("attended")?,
        row.try_get("certificate_no")?,
        row.try_get("session_id")?,
        row.try_get("union_id")?,
    ))
}

/// Marks whether a confirmed person attended.
#[utoipa::path(post, path = "/api/staff/signups/{id}/attendance", tag = "staff", params(("id" = i64, Path, description = "Sign-up id")),
    request_body = AttendanceInput,
    responses((status = 200, description = "The roster", body = SessionRoster), (status = 409, description = "Not a confirmed sign-up", body = ErrorBody)))]
async fn mark_attendance(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Json(input): Json<AttendanceInput>,
) -> AppResult<axum::Json<SessionRoster>> {
    let scope = Scope::of(&state, &user).await?;
    let (status, before, _, session_id, union_id) = signup_in_scope(&state, &scope, id).await?;
    if status != "confirmed" {
        return Err(AppError::conflict(
            "not_confirmed",
            "只有已确认的学员可以记考勤",
            "Only confirmed people can be marked",
        ));
    }
    let mut tx = state.db.write().begin().await?;
    sqlx::query("UPDATE signups SET attended = $1 WHERE id = $2")
        .bind(i64::from(input.attended))
        .bind(id)
        .execute(&mut *tx)
        .await?;
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
    user: CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<axum::Json<SessionRoster>> {
    let scope = Scope::of(&state, &user).await?;
    let (_, attended, existing, session_id, union_id) = signup_in_scope(&state, &scope, id).await?;
    if existing.is_some() {
        return Err(AppError::conflict(
            "already_issued",
            "证书已经发放",
            "The certificate was already issued",
        ));
    }
    if attended != Some(1) {
        return Err(AppError::unprocessable(
            "not_attended",
            "学员未到课，不能发证",
            "Only people who attended get a certificate",
        ));
    }
    let number = format!("WHPX-{}-{id:06}", &time::today_iso(time::now())[..4]);
    let mut tx = state.db.write().begin().await?;
    let done = sqlx::query(
        "UPDATE signups SET certificate_no = $1 WHERE id = $2 AND certificate_no IS NULL",
    )
    .bind(&number)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() != 1 {
        return Err(AppError::conflict(
            "already_issued",
            "证书已经发放",
            "The certificate was already issued",
        ));
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
