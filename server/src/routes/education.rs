//! 金秋助学: a union sets its round for the year (window, amount per level);
//! a member whose household is on file, or who is on the model-worker
//! register, applies for a child admitted that year, with the admission letter as a document; officers over the
//! member's union award the level's amount or refuse with a reason; one
//! application per student per year (a unique key, so two at once make
//! one). Every step is a case-file step (conditional, on the timeline,
//! audited, told to the member); awards are paid through a payment batch.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;
use unioncard_api::aid::DocumentView;
use unioncard_api::audit::AuditAction;
use unioncard_api::education::{
    EducationDecision, EducationInput, EducationRefusal, EducationStatus, EducationView,
    RoundInput, RoundView,
};
use unioncard_api::join::Page;
use unioncard_api::ErrorBody;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::audit::{self, Entry};
use crate::case_file::{Step, EDUCATION};
use crate::error::{AppError, AppResult};
use crate::extract::{CurrentUser, Json, Member, Officer};
use crate::store::is_unique_violation;
use crate::{idempotency, store, time, AppState};

/// The longest reason an officer gives.
const NOTE_CHARS: usize = 500;

/// The 金秋助学 routes, the member's and the officers'.
pub fn router() -> OpenApiRouter<AppState> {
    // Only the admission letter's upload takes a file.
    let upload = OpenApiRouter::new().routes(routes!(add_document)).layer(
        axum::extract::DefaultBodyLimit::max(crate::uploads::MAX_FILE_BYTES + 64 * 1024),
    );
    OpenApiRouter::new()
        .merge(upload)
        .routes(routes!(my_round))
        .routes(routes!(create))
        .routes(routes!(mine))
        .routes(routes!(one))
        .routes(routes!(document))
        .routes(routes!(queue))
        .routes(routes!(decide))
        .routes(routes!(rounds, set_round))
}

/// The round a signed-in member applies to: the nearest open one of their
/// unions, or the latest one (closed, `open: false`); 404 when none ever ran.
#[utoipa::path(
    get, path = "/api/education-aid/round", operation_id = "my_education_round", tag = "education",
    responses(
        (status = 200, description = "The round", body = RoundView),
        (status = 404, description = "No round in the member's unions", body = ErrorBody),
    )
)]
async fn my_round(
    State(state): State<AppState>,
    Member { roster_id, .. }: Member,
) -> AppResult<axum::Json<RoundView>> {
    let mut conn = state.db.reader().await?;
    let union_id = store::hardship::member_union(&mut conn, roster_id).await?;
    let round = store::education::round_for(&mut conn, union_id, &time::today().iso())
        .await?
        .ok_or_else(AppError::not_found)?;
    Ok(axum::Json(round))
}

/// Sends an application. A retry with the same `Idempotency-Key` gets the
/// first answer.
#[utoipa::path(
    post, path = "/api/education-aid/applications", operation_id = "create_education_application", tag = "education",
    request_body = EducationInput,
    params(("Idempotency-Key" = Option<String>, Header, description = "Same key, same answer")),
    responses(
        (status = 201, description = "Sent", body = EducationView),
        (status = 409, description = "`student_applied`: this student has an application this year", body = ErrorBody),
        (status = 422, description = "Field errors; no_open_round or not_on_file", body = ErrorBody),
    )
)]
async fn create(
    State(state): State<AppState>,
    Member { user, roster_id }: Member,
    headers: HeaderMap,
    Json(input): Json<EducationInput>,
) -> AppResult<Response> {
    let today = time::today().iso();
    let (union_id, round) = {
        let mut conn = state.db.reader().await?;
        let union_id = store::hardship::member_union(&mut conn, roster_id).await?;
        let round = store::education::round_for(&mut conn, union_id, &today)
            .await?
            .filter(|r| r.open)
            .ok_or(EducationRefusal::NoRound)?;
        (union_id, round)
    };
    let (student_name, school, level, admitted) = input
        .check(round.terms.year)
        .map_err(|p| AppError::invalid(&p))?;
    if !store::education::may_apply(&mut *state.db.reader().await?, roster_id, &today).await? {
        return Err(EducationRefusal::NotEligible.into());
    }
    let key = idempotency::key(&headers, "POST /api/education-aid/applications", &input);
    let mut tx = match idempotency::start(&state, user.id, key.as_ref()).await? {
        idempotency::Start::Act(tx) => tx,
        idempotency::Start::Replay(answer) => return Ok(answer),
    };
    let amount_fen = round.terms.amount(level);
    let new = store::education::NewApplication {
        round_id: round.id,
        roster_id,
        union_id,
        student_name: &student_name,
        school: &school,
        level,
        admitted_on: &admitted.iso(),
        amount_fen,
        now: time::now(),
    };
    let id = match store::education::insert_draft(&mut tx, &new).await {
        Ok(id) => id,
        Err(e) if is_unique_violation(&e) => return Err(EducationRefusal::AlreadyApplied.into()),
        Err(e) => return Err(e.into()),
    };
    EDUCATION
        .opened(&mut tx, id, EducationStatus::Submitted, user.id)
        .await?;
    audit::record(
        &mut tx,
        Entry {
            actor: Some(user.id),
            union_id: Some(union_id),
            action: AuditAction::EducationSubmit,
            target: format!("education_application:{id}"),
            before: None,
            after: Some(json!({
                "round_id": round.id,
                "level": level,
                "amount_fen": amount_fen,
            })),
        },
    )
    .await?;
    let view = store::education::view(&mut tx, id, false)
        .await?
        .ok_or_else(AppError::not_found)?;
    idempotency::store(&mut tx, user.id, key.as_ref(), StatusCode::CREATED, &view).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, axum::Json(view)).into_response())
}

/// The member's own applications, newest first.
#[utoipa::path(
    get, path = "/api/me/education-aid/applications", operation_id = "my_education_applications", tag = "education",
    responses((status = 200, description = "My applications", body = Page<EducationView>))
)]
async fn mine(
    State(state): State<AppState>,
    Member { roster_id, .. }: Member,
) -> AppResult<axum::Json<Page<EducationView>>> {
    let items = store::education::mine(&mut *state.db.reader().await?, roster_id).await?;
    Ok(axum::Json(Page::whole(items)))
}

/// One application: for its member and the officers over the member's union.
#[utoipa::path(
    get, path = "/api/education-aid/applications/{id}", operation_id = "get_education_application", tag = "education",
    params(("id" = i64, Path, description = "Application id")),
    responses(
        (status = 200, description = "The application with its timeline", body = EducationView),
        (status = 404, description = "Not one you may see", body = ErrorBody),
    )
)]
async fn one(
    State(state): State<AppState>,
    user: CurrentUser,
    officer: Option<Officer>,
    Path(id): Path<i64>,
) -> AppResult<axum::Json<EducationView>> {
    EDUCATION
        .visible(&state, &user, officer.as_ref(), id)
        .await?;
    let view = store::education::view(&mut *state.db.reader().await?, id, officer.is_some())
        .await?
        .ok_or_else(AppError::not_found)?;
    Ok(axum::Json(view))
}

/// Adds the admission letter (a photo or PDF) while the application waits.
#[utoipa::path(
    post, path = "/api/education-aid/applications/{id}/documents", operation_id = "add_education_document", tag = "education",
    params(("id" = i64, Path, description = "Application id")),
    request_body(content = String, content_type = "multipart/form-data", description = "One file field"),
    responses(
        (status = 201, description = "Stored", body = DocumentView),
        (status = 404, description = "Not your application", body = ErrorBody),
        (status = 409, description = "Decided", body = ErrorBody),
        (status = 413, description = "Over 10 MB", body = ErrorBody),
        (status = 422, description = "Not a JPEG, PNG or PDF; or too many documents", body = ErrorBody),
    )
)]
async fn add_document(
    State(state): State<AppState>,
    Member { roster_id, .. }: Member,
    Path(id): Path<i64>,
    form: axum::extract::Multipart,
) -> AppResult<(StatusCode, axum::Json<DocumentView>)> {
    let doc = EDUCATION.add_document(&state, roster_id, id, form).await?;
    Ok((StatusCode::CREATED, axum::Json(doc)))
}

/// An application's document: for its member and the officers over them.
#[utoipa::path(
    get, path = "/api/education-aid/applications/{id}/documents/{doc}", operation_id = "get_education_document", tag = "education",
    params(("id" = i64, Path, description = "Application id"), ("doc" = i64, Path, description = "Document id")),
    responses(
        (status = 200, description = "The file's bytes"),
        (status = 404, description = "Not one you may see", body = ErrorBody),
    )
)]
async fn document(
    State(state): State<AppState>,
    user: CurrentUser,
    officer: Option<Officer>,
    Path((id, doc)): Path<(i64, i64)>,
) -> AppResult<Response> {
    EDUCATION
        .document(&state, &user, officer.as_ref(), id, doc)
        .await
}

/// Queue filter and paging.
#[derive(Debug, Deserialize, IntoParams)]
pub struct EducationQuery {
    /// One status (default `submitted`); `draft` is never shown.
    pub status: Option<String>,
    /// From the previous page's `next_cursor`.
    pub cursor: Option<String>,
}

/// Applications of members of the officer's unions in one status, oldest
/// first, 50 a page.
#[utoipa::path(
    get, path = "/api/staff/education-aid/applications", operation_id = "education_queue", tag = "staff",
    params(EducationQuery),
    responses(
        (status = 200, description = "Applications", body = Page<EducationView>),
        (status = 400, description = "Unknown status or cursor", body = ErrorBody),
        (status = 403, description = "Not an officer", body = ErrorBody),
    )
)]
async fn queue(
    State(state): State<AppState>,
    Officer { scope, .. }: Officer,
    Query(q): Query<EducationQuery>,
) -> AppResult<axum::Json<Page<EducationView>>> {
    const PAGE: i64 = 50;
    let status = match EducationStatus::from_db(q.status.as_deref().unwrap_or("submitted")) {
        Some(EducationStatus::Draft) | None => return Err(AppError::bad_param("status")),
        Some(s) => s,
    };
    let after = match q.cursor.as_deref() {
        None | Some("") => 0,
        Some(c) => c.parse().map_err(|_| AppError::bad_param("cursor"))?,
    };
    let items = store::education::queue(
        &mut *state.db.reader().await?,
        &scope.like(),
        status,
        after,
        PAGE + 1,
    )
    .await?;
    Ok(axum::Json(Page::from_probe(items, PAGE as usize, |x| x.id)))
}

/// Decides a sent application: `approve` (the round's amount for the
/// level) or `reject` (with a reason).
#[utoipa::path(
    post, path = "/api/staff/education-aid/applications/{id}/decision", operation_id = "decide_education_application", tag = "staff",
    params(("id" = i64, Path, description = "Application id")),
    request_body = EducationDecision,
    responses(
        (status = 200, description = "Decided", body = EducationView),
        (status = 404, description = "No such application in your unions", body = ErrorBody),
        (status = 409, description = "Already decided", body = ErrorBody),
        (status = 422, description = "No reason for a refusal", body = ErrorBody),
    )
)]
async fn decide(
    State(state): State<AppState>,
    Officer { user, scope }: Officer,
    Path(id): Path<i64>,
    Json(d): Json<EducationDecision>,
) -> AppResult<axum::Json<EducationView>> {
    let place = EDUCATION.in_scope(&state, &scope, id).await?;
    let note = d.note.trim();
    let note: String = note.chars().take(NOTE_CHARS).collect();
    let to = match d.decision.as_str() {
        "approve" => EducationStatus::Approved,
        "reject" if note.is_empty() => return Err(EducationRefusal::NoteNeeded.into()),
        "reject" => EducationStatus::Rejected,
        _ => return Err(EducationRefusal::BadDecision.into()),
    };
    let amount = store::education::view(&mut *state.db.reader().await?, id, true)
        .await?
        .ok_or_else(AppError::not_found)?
        .amount_fen;
    let mut tx = state.db.begin().await?;
    let step = Step {
        from: EducationStatus::Submitted,
        to,
        actor: user.id,
        note: Some(&note),
        amount_fen: (to == EducationStatus::Approved).then_some(amount),
    };
    if place.status != EducationStatus::Submitted || !EDUCATION.step(&mut tx, &place, step).await? {
        return Err(EducationRefusal::AlreadyDecided.into());
    }
    store::education::record_decision(&mut tx, id, user.id, time::now()).await?;
    let view = store::education::view(&mut tx, id, true)
        .await?
        .ok_or_else(AppError::not_found)?;
    tx.commit().await?;
    Ok(axum::Json(view))
}

/// The rounds of the officer's unions, newest year first.
#[utoipa::path(
    get, path = "/api/staff/education-aid/rounds", operation_id = "education_rounds", tag = "staff",
    responses(
        (status = 200, description = "Rounds", body = Page<RoundView>),
        (status = 403, description = "Not an officer", body = ErrorBody),
    )
)]
async fn rounds(
    State(state): State<AppState>,
    Officer { scope, .. }: Officer,
) -> AppResult<axum::Json<Page<RoundView>>> {
    let items = store::education::rounds(
        &mut *state.db.reader().await?,
        &scope.like(),
        &time::today().iso(),
    )
    .await?;
    Ok(axum::Json(Page::whole(items)))
}

/// Sets (or changes) the officer's own union's round for a year. An
/// application already sent keeps the amount it was sent with.
#[utoipa::path(
    post, path = "/api/staff/education-aid/rounds", operation_id = "set_education_round", tag = "staff",
    request_body = RoundInput,
    responses(
        (status = 200, description = "Set", body = RoundView),
        (status = 403, description = "Not an officer", body = ErrorBody),
        (status = 422, description = "Dates or amounts out of bounds", body = ErrorBody),
    )
)]
async fn set_round(
    State(state): State<AppState>,
    Officer { user, scope }: Officer,
    Json(r): Json<RoundInput>,
) -> AppResult<axum::Json<RoundView>> {
    r.check().map_err(|p| AppError::invalid(&p))?;
    let mut tx = state.db.begin().await?;
    store::education::set_round(&mut tx, scope.union_id, &r, user.id, time::now()).await?;
    audit::record(
        &mut tx,
        Entry {
            actor: Some(user.id),
            union_id: Some(scope.union_id),
            action: AuditAction::EducationRound,
            target: format!("education_round:{}:{}", scope.union_id, r.year),
            before: None,
            after: Some(serde_json::to_value(&r).unwrap_or_default()),
        },
    )
    .await?;
    tx.commit().await?;
    let round = store::education::rounds(
        &mut *state.db.reader().await?,
        &scope.path,
        &time::today().iso(),
    )
    .await?
    .into_iter()
    .find(|x| x.union_id == scope.union_id && x.terms.year == r.year)
    .ok_or_else(AppError::not_found)?;
    Ok(axum::Json(round))
}
