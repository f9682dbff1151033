//! Hardship files (困难职工档案): a member sends their household's figures
//! and causes (or an officer sends them for a member without a phone), the
//! shared rule proposes a category against the district's line, proof is
//! added as photos, and an officer over the member's union decides: on file
//! for a year in a category, or not, with the reason; a file on record may
//! be closed with a reason. Every step is a case-file step (`case_file`):
//! conditional, on the timeline, audited, and told to the member.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;
use unioncard_api::aid::DocumentView;
use unioncard_api::audit::AuditAction;
use unioncard_api::auth::Role;
use unioncard_api::hardship::{
    self, CloseFile, HardshipCounts, HardshipDecision, HardshipFileView, HardshipInput,
    HardshipRefusal, HardshipStatus, LineInput, LineView, LocalLine,
};
use unioncard_api::identity::Date;
use unioncard_api::join::Page;
use unioncard_api::ErrorBody;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::audit::{self, Entry};
use crate::case_file::{Step, HARDSHIP};
use crate::error::{current_lang, AppError, AppResult};
use crate::extract::{CurrentUser, Json, Member, Officer};
use crate::store::is_unique_violation;
use crate::{idempotency, store, time, AppState};

/// The hardship routes, the member's and the officers'.
pub fn router() -> OpenApiRouter<AppState> {
    // Only the proof upload takes a file; JSON bodies keep the 1 MiB limit.
    let upload = OpenApiRouter::new().routes(routes!(add_document)).layer(
        axum::extract::DefaultBodyLimit::max(crate::uploads::MAX_FILE_BYTES + 64 * 1024),
    );
    OpenApiRouter::new()
        .merge(upload)
        .routes(routes!(my_line))
        .routes(routes!(create))
        .routes(routes!(mine))
        .routes(routes!(one))
        .routes(routes!(document))
        .routes(routes!(queue))
        .routes(routes!(decide))
        .routes(routes!(close))
        .routes(routes!(counts))
        .routes(routes!(set_line))
}

/// The line the signed-in member is judged against (the phone proposes as
/// they type with it).
#[utoipa::path(
    get, path = "/api/hardship/line", operation_id = "my_hardship_line", tag = "hardship",
    responses(
        (status = 200, description = "The district's line", body = LineView),
        (status = 422, description = "No line set for the member's district", body = ErrorBody),
    )
)]
async fn my_line(
    State(state): State<AppState>,
    Member { roster_id, .. }: Member,
) -> AppResult<axum::Json<LineView>> {
    let mut conn = state.db.reader().await?;
    let union_id = store::hardship::member_union(&mut conn, roster_id).await?;
    let line = store::hardship::line_for(&mut conn, union_id)
        .await?
        .ok_or(HardshipRefusal::NoLine)?;
    Ok(axum::Json(line))
}

/// Who a new file is for: the member themself, or the member an officer
/// names (`member_id`, an account in the officer's unions).
async fn applicant(
    state: &AppState,
    user: &CurrentUser,
    officer: Option<&Officer>,
    input: &HardshipInput,
) -> AppResult<(i64, i64)> {
    match (user.role, input.member_id, officer) {
        (Role::Member, None, _) => {
            let roster_id = user.roster_id.ok_or_else(not_for_you)?;
            let union_id =
                store::hardship::member_union(&mut *state.db.reader().await?, roster_id).await?;
            Ok((roster_id, union_id))
        }
        (_, Some(member), Some(o)) => {
            let place = store::hardship::member_place(&mut *state.db.reader().await?, member)
                .await?
                .ok_or_else(AppError::not_found)?;
            if !o.scope.covers(&place.path) {
                return Err(AppError::not_found());
            }
            Ok((place.roster_id, place.union_id))
        }
        _ => Err(not_for_you()),
    }
}

/// A file is sent by a member for themself, or by an officer for a member.
fn not_for_you() -> AppError {
    AppError::forbidden(
        "members_only",
        "困难档案由会员本人或所在工会代为提交",
        "A hardship file is sent by the member, or by their union for them",
    )
}

/// Sends a hardship file. A retry with the same `Idempotency-Key` gets the
/// first answer; two at once make one file.
#[utoipa::path(
    post, path = "/api/hardship/files", operation_id = "create_hardship_file", tag = "hardship",
    request_body = HardshipInput,
    params(("Idempotency-Key" = Option<String>, Header, description = "Same key, same answer")),
    responses(
        (status = 201, description = "Sent, with the rule's proposal", body = HardshipFileView),
        (status = 404, description = "No such member in your unions", body = ErrorBody),
        (status = 422, description = "Field errors; open_file, file_still_valid or no_local_line", body = ErrorBody),
    )
)]
async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    officer: Option<Officer>,
    headers: HeaderMap,
    Json(input): Json<HardshipInput>,
) -> AppResult<Response> {
    input.check().map_err(|p| AppError::invalid(&p))?;
    let (roster_id, union_id) = applicant(&state, &user, officer.as_ref(), &input).await?;
    let today = time::today();
    {
        let mut conn = state.db.reader().await?;
        if let Some(until) = store::hardship::valid_until(&mut conn, roster_id).await? {
            let until = Date::parse_iso(&until).ok_or_else(|| AppError::internal("valid_until"))?;
            if !hardship::may_renew(until, today) {
                return Err(HardshipRefusal::StillValid.into());
            }
        }
    }
    let line = store::hardship::line_for(&mut *state.db.reader().await?, union_id)
        .await?
        .ok_or(HardshipRefusal::NoLine)?;
    let line = LocalLine {
        minimum_fen: line.minimum_fen,
    };
    let household = input.household();
    let proposed = household.propose(line, current_lang()).category;
    let key = idempotency::key(&headers, "POST /api/hardship/files", &input);
    let mut tx = match idempotency::start(&state, user.id, key.as_ref()).await? {
        idempotency::Start::Act(tx) => tx,
        idempotency::Start::Replay(answer) => return Ok(answer),
    };
    let new = store::hardship::NewFile {
        roster_id,
        union_id,
        household: &household,
        note: input.note.trim(),
        line,
        proposed,
        filed_by: Some(user.id),
        now: time::now(),
    };
    let id = match store::hardship::insert_draft(&mut tx, &new).await {
        Ok(id) => id,
        Err(e) if is_unique_violation(&e) => return Err(HardshipRefusal::OpenFile.into()),
        Err(e) => return Err(e.into()),
    };
    HARDSHIP
        .opened(&mut tx, id, HardshipStatus::Submitted, user.id)
        .await?;
    audit::record(
        &mut tx,
        Entry {
            actor: Some(user.id),
            union_id: Some(union_id),
            action: AuditAction::HardshipSubmit,
            target: format!("hardship_file:{id}"),
            before: None,
            after: Some(json!({
                "household_size": household.size,
                "monthly_income_fen": household.monthly_income_fen,
                "causes": household.causes,
                "proposed_category": proposed,
                "for_member": input.member_id.is_some(),
            })),
        },
    )
    .await?;
    let view = store::hardship::view(&mut tx, id, officer.is_some())
        .await?
        .ok_or_else(AppError::not_found)?;
    idempotency::store(&mut tx, user.id, key.as_ref(), StatusCode::CREATED, &view).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, axum::Json(view)).into_response())
}

/// The member's own files, newest first.
#[utoipa::path(
    get, path = "/api/me/hardship/files", operation_id = "my_hardship_files", tag = "hardship",
    responses((status = 200, description = "My files", body = Page<HardshipFileView>))
)]
async fn mine(
    State(state): State<AppState>,
    Member { roster_id, .. }: Member,
) -> AppResult<axum::Json<Page<HardshipFileView>>> {
    let files = store::hardship::files_of(&mut *state.db.reader().await?, roster_id).await?;
    Ok(axum::Json(Page::whole(files)))
}

/// One file: for its member and the officers over the member's union.
#[utoipa::path(
    get, path = "/api/hardship/files/{id}", operation_id = "get_hardship_file", tag = "hardship",
    params(("id" = i64, Path, description = "File id")),
    responses(
        (status = 200, description = "The file with its timeline", body = HardshipFileView),
        (status = 404, description = "Not one you may see", body = ErrorBody),
    )
)]
async fn one(
    State(state): State<AppState>,
    user: CurrentUser,
    officer: Option<Officer>,
    Path(id): Path<i64>,
) -> AppResult<axum::Json<HardshipFileView>> {
    HARDSHIP
        .visible(&state, &user, officer.as_ref(), id)
        .await?;
    let view = store::hardship::view(&mut *state.db.reader().await?, id, officer.is_some())
        .await?
        .ok_or_else(AppError::not_found)?;
    Ok(axum::Json(view))
}

/// Adds a photo or PDF of proof to the member's own file while it waits.
#[utoipa::path(
    post, path = "/api/hardship/files/{id}/documents", operation_id = "add_hardship_document", tag = "hardship",
    params(("id" = i64, Path, description = "File id")),
    request_body(content = String, content_type = "multipart/form-data", description = "One file field"),
    responses(
        (status = 201, description = "Stored", body = DocumentView),
        (status = 404, description = "Not your file", body = ErrorBody),
        (status = 409, description = "The file is decided", body = ErrorBody),
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
    let doc = HARDSHIP.add_document(&state, roster_id, id, form).await?;
    Ok((StatusCode::CREATED, axum::Json(doc)))
}

/// A file's document: for its member and the officers over the member's union.
#[utoipa::path(
    get, path = "/api/hardship/files/{id}/documents/{doc}", operation_id = "get_hardship_document", tag = "hardship",
    params(("id" = i64, Path, description = "File id"), ("doc" = i64, Path, description = "Document id")),
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
    HARDSHIP
        .document(&state, &user, officer.as_ref(), id, doc)
        .await
}

/// Queue filter and paging.
#[derive(Debug, Deserialize, IntoParams)]
pub struct HardshipQuery {
    /// One status (default `submitted`); `draft` is never shown.
    pub status: Option<String>,
    /// From the previous page's `next_cursor`.
    pub cursor: Option<String>,
}

/// Files of members of the officer's unions in one status, oldest first,
/// 50 a page.
#[utoipa::path(
    get, path = "/api/staff/hardship/files", operation_id = "hardship_queue", tag = "staff",
    params(HardshipQuery),
    responses(
        (status = 200, description = "Files", body = Page<HardshipFileView>),
        (status = 400, description = "Unknown status or cursor", body = ErrorBody),
        (status = 403, description = "Not an officer", body = ErrorBody),
    )
)]
async fn queue(
    State(state): State<AppState>,
    Officer { scope, .. }: Officer,
    Query(q): Query<HardshipQuery>,
) -> AppResult<axum::Json<Page<HardshipFileView>>> {
    const PAGE: i64 = 50;
    let status = match HardshipStatus::from_db(q.status.as_deref().unwrap_or("submitted")) {
        Some(HardshipStatus::Draft) | None => return Err(AppError::bad_param("status")),
        Some(s) => s,
    };
    let after = match q.cursor.as_deref() {
        None | Some("") => 0,
        Some(c) => c.parse().map_err(|_| AppError::bad_param("cursor"))?,
    };
    let items = store::hardship::queue(
        &mut *state.db.reader().await?,
        &scope.like(),
        status,
        after,
        PAGE + 1,
    )
    .await?;
    Ok(axum::Json(Page::from_probe(items, PAGE as usize, |x| x.id)))
}

/// Decides a sent file: `approve` (on file for a year, in the proposed
/// category unless another is chosen with a reason) or `reject` (with a reason).
#[utoipa::path(
    post, path = "/api/staff/hardship/files/{id}/decision", operation_id = "decide_hardship_file", tag = "staff",
    params(("id" = i64, Path, description = "File id")),
    request_body = HardshipDecision,
    responses(
        (status = 200, description = "Decided", body = HardshipFileView),
        (status = 404, description = "No such file in your unions", body = ErrorBody),
        (status = 409, description = "Already decided", body = ErrorBody),
        (status = 422, description = "A reason or category is missing", body = ErrorBody),
    )
)]
async fn decide(
    State(state): State<AppState>,
    Officer { user, scope }: Officer,
    Path(id): Path<i64>,
    Json(d): Json<HardshipDecision>,
) -> AppResult<axum::Json<HardshipFileView>> {
    let place = HARDSHIP.in_scope(&state, &scope, id).await?;
    let note = d.note.trim();
    if note.chars().count() > hardship::NOTE_CHARS {
        return Err(HardshipRefusal::NoteTooLong.into());
    }
    let proposed = store::hardship::proposed(&mut *state.db.reader().await?, id).await?;
    let (to, category) = match d.decision.as_str() {
        "approve" => {
            let category = d
                .category
                .or(proposed)
                .ok_or(HardshipRefusal::CategoryNeeded)?;
            // Filing against the rule's proposal is the officer's call, said why.
            if Some(category) != proposed && note.is_empty() {
                return Err(HardshipRefusal::NoteNeeded.into());
            }
            (HardshipStatus::Approved, Some(category))
        }
        "reject" if note.is_empty() => return Err(HardshipRefusal::NoteNeeded.into()),
        "reject" => (HardshipStatus::Rejected, None),
        _ => return Err(HardshipRefusal::BadDecision.into()),
    };
    let now = time::now();
    let until = category.map(|_| hardship::valid_until(time::today()).iso());
    let mut tx = state.db.begin().await?;
    let step = Step {
        from: HardshipStatus::Submitted,
        to,
        actor: user.id,
        note: Some(note),
        amount_fen: None,
    };
    if place.status != HardshipStatus::Submitted || !HARDSHIP.step(&mut tx, &place, step).await? {
        return Err(HardshipRefusal::AlreadyDecided.into());
    }
    store::hardship::record_decision(&mut tx, id, category, until.as_deref(), Some(user.id), now)
        .await?;
    let view = store::hardship::view(&mut tx, id, true)
        .await?
        .ok_or_else(AppError::not_found)?;
    tx.commit().await?;
    Ok(axum::Json(view))
}

/// Closes a file on record (the household recovered, moved away...), with the reason.
#[utoipa::path(
    post, path = "/api/staff/hardship/files/{id}/close", operation_id = "close_hardship_file", tag = "staff",
    params(("id" = i64, Path, description = "File id")),
    request_body = CloseFile,
    responses(
        (status = 200, description = "Closed", body = HardshipFileView),
        (status = 404, description = "No such file in your unions", body = ErrorBody),
        (status = 409, description = "Not on record", body = ErrorBody),
        (status = 422, description = "No reason", body = ErrorBody),
    )
)]
async fn close(
    State(state): State<AppState>,
    Officer { user, scope }: Officer,
    Path(id): Path<i64>,
    Json(c): Json<CloseFile>,
) -> AppResult<axum::Json<HardshipFileView>> {
    let place = HARDSHIP.in_scope(&state, &scope, id).await?;
    let note = c.note.trim();
    if note.is_empty() {
        return Err(HardshipRefusal::NoteNeeded.into());
    }
    if note.chars().count() > hardship::NOTE_CHARS {
        return Err(HardshipRefusal::NoteTooLong.into());
    }
    let mut tx = state.db.begin().await?;
    let step = Step {
        from: HardshipStatus::Approved,
        to: HardshipStatus::Closed,
        actor: user.id,
        note: Some(note),
        amount_fen: None,
    };
    if !HARDSHIP.step(&mut tx, &place, step).await? {
        return Err(HardshipRefusal::NotOnFile.into());
    }
    let view = store::hardship::view(&mut tx, id, true)
        .await?
        .ok_or_else(AppError::not_found)?;
    tx.commit().await?;
    Ok(axum::Json(view))
}

/// Households on file (valid today) in the officer's unions by category,
/// and files waiting.
#[utoipa::path(
    get, path = "/api/staff/hardship/counts", operation_id = "hardship_counts", tag = "staff",
    responses(
        (status = 200, description = "Counts", body = HardshipCounts),
        (status = 403, description = "Not an officer", body = ErrorBody),
    )
)]
async fn counts(
    State(state): State<AppState>,
    Officer { scope, .. }: Officer,
) -> AppResult<axum::Json<HardshipCounts>> {
    let today = time::today().iso();
    let counts =
        store::hardship::counts(&mut *state.db.reader().await?, &scope.like(), &today).await?;
    Ok(axum::Json(counts))
}

/// Sets the minimum-living line of a union in the officer's scope (a
/// district); members below it are judged against it from now on.
#[utoipa::path(
    put, path = "/api/staff/hardship/lines/{union_id}", operation_id = "set_hardship_line", tag = "staff",
    params(("union_id" = i64, Path, description = "Union id")),
    request_body = LineInput,
    responses(
        (status = 200, description = "Set", body = LineView),
        (status = 404, description = "Not one of your unions", body = ErrorBody),
        (status = 422, description = "Outside ¥1–¥100,000", body = ErrorBody),
    )
)]
async fn set_line(
    State(state): State<AppState>,
    Officer { user, scope }: Officer,
    Path(union_id): Path<i64>,
    Json(input): Json<LineInput>,
) -> AppResult<axum::Json<LineView>> {
    scope.require_union(&state, union_id).await?;
    let line = input.check()?;
    let mut tx = state.db.begin().await?;
    let before = store::hardship::line_for(&mut tx, union_id).await?;
    store::hardship::set_line(&mut tx, union_id, line, Some(user.id), time::now()).await?;
    audit::record(
        &mut tx,
        Entry {
            actor: Some(user.id),
            union_id: Some(union_id),
            action: AuditAction::HardshipLine,
            target: format!("union:{union_id}"),
            before: before.map(|l| json!({"minimum_fen": l.minimum_fen})),
            after: Some(json!({"minimum_fen": line.minimum_fen})),
        },
    )
    .await?;
    let view = store::hardship::line_for(&mut tx, union_id)
        .await?
        .ok_or_else(|| AppError::internal("a line just set"))?;
    tx.commit().await?;
    Ok(axum::Json(view))
}
