//! Mutual medical aid, the member's side: plans and the estimator (open to
//! anyone), enrolment with its certificate, "my cover", and claims with
//! documents and a timeline. Officers' review lives in `staff::aid`.
//!
//! Plans are rows whose payout rule and eligibility are JSON read by the
//! shared crate, so the arithmetic here is the same code the phone runs.
//! Records belong to the roster entry (a workplace union may enrol members
//! who have no account yet).

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use unioncard_api::aid::AidRefusal;
use unioncard_api::aid::{
    self, Bill, CapUse, ClaimFields, ClaimInput, ClaimStatus, ClaimView, DocumentView,
    EnrolRequest, EnrolmentView, Estimate, EstimateRequest, PlanForYou, PlanView, Reason,
};
use unioncard_api::audit::AuditAction;
use unioncard_api::join::Page;
use unioncard_api::ErrorBody;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::audit::{self, Entry};
use crate::case_file::{Place, Step, CLAIMS};
use crate::error::{current_lang, AppError, AppResult};
use crate::extract::{CurrentUser, Json, Member, Officer};
use crate::store::aid::{member_side, Cover, MemberSide, Plan, Plans};
use crate::store::is_unique_violation;
use crate::{idempotency, store, time, uploads, AppState};

/// The member-side aid routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_plans))
        .routes(routes!(get_plan))
        .routes(routes!(estimate))
        .routes(routes!(enrol))
        .routes(routes!(my_enrolments))
        .routes(routes!(get_enrolment))
        .routes(routes!(create_claim))
        .routes(routes!(get_claim, update_claim))
        .routes(routes!(submit_claim))
        .routes(routes!(add_document))
        .routes(routes!(get_document, delete_document))
        .layer(axum::extract::DefaultBodyLimit::max(
            uploads::MAX_FILE_BYTES + 64 * 1024,
        ))
}

/// One plan by id (404 when there is none).
async fn load_plan(state: &AppState, id: i64, which: Plans) -> AppResult<Plan> {
    store::aid::plan(&mut *state.db.reader().await?, id, which)
        .await?
        .ok_or_else(AppError::not_found)
}

fn outside_plan_union(lang: unioncard_api::Lang) -> String {
    lang.pick(
        "本计划由其他地区的工会举办，仅限该工会所属会员参加",
        "This plan is run by another region's union, for its own members only",
    )
    .to_string()
}

fn reasons(refusals: &[aid::Refusal]) -> Vec<Reason> {
    let lang = current_lang();
    refusals
        .iter()
        .map(|r| Reason {
            code: r.code().into(),
            message: r.message(lang),
        })
        .collect()
}

fn plan_for_you(plan: &Plan, m: &MemberSide) -> PlanForYou {
    let enrolment_id = m.enrolment_in(plan);
    let mut why = reasons(&m.refusals(plan, time::today()));
    if !m.under(plan) {
        why.insert(
            0,
            Reason {
                code: "outside_plan_union".into(),
                message: outside_plan_union(current_lang()),
            },
        );
    }
    PlanForYou {
        can_enrol: why.is_empty() && enrolment_id.is_none(),
        reasons: why,
        enrolment_id,
    }
}

/// Every plan open now, with, for a signed-in member, whether they may join.
#[utoipa::path(
    get, path = "/api/aid/plans", tag = "aid",
    responses((status = 200, description = "Plans", body = Page<PlanView>))
)]
async fn list_plans(
    State(state): State<AppState>,
    user: Option<CurrentUser>,
) -> AppResult<axum::Json<Page<PlanView>>> {
    let plans = store::aid::open_plans(&mut *state.db.reader().await?).await?;
    let member = match user.as_ref().map(CurrentUser::roster) {
        Some(Ok(roster_id)) => Some(member_side(&mut *state.db.reader().await?, roster_id).await?),
        _ => None,
    };
    let mut items = Vec::with_capacity(plans.len());
    for mut plan in plans {
        if let Some(m) = &member {
            // A member is shown the plans of the unions over them only.
            if !m.over.contains(&plan.union_id) {
                continue;
            }
            plan.view.you = Some(plan_for_you(&plan, m));
        }
        items.push(plan.view);
    }
    Ok(axum::Json(Page::whole(items)))
}

/// One plan.
#[utoipa::path(
    get, path = "/api/aid/plans/{id}", tag = "aid",
    params(("id" = i64, Path, description = "Plan id")),
    responses(
        (status = 200, description = "The plan", body = PlanView),
        (status = 404, description = "No such plan", body = ErrorBody),
    )
)]
async fn get_plan(
    State(state): State<AppState>,
    user: Option<CurrentUser>,
    Path(id): Path<i64>,
) -> AppResult<axum::Json<PlanView>> {
    let mut plan = load_plan(&state, id, Plans::Open).await?;
    if let Some(Ok(roster_id)) = user.as_ref().map(CurrentUser::roster) {
        let m = member_side(&mut *state.db.reader().await?, roster_id).await?;
        plan.view.you = Some(plan_for_you(&plan, &m));
    }
    Ok(axum::Json(plan.view))
}

/// What a plan would pay on a bill, step by step. No sign-in needed.
#[utoipa::path(
    post, path = "/api/aid/estimate", tag = "aid",
    request_body = EstimateRequest,
    responses(
        (status = 200, description = "The payout and its steps", body = Estimate),
        (status = 404, description = "No such plan", body = ErrorBody),
        (status = 422, description = "A bill field is wrong", body = ErrorBody),
    )
)]
async fn estimate(
    State(state): State<AppState>,
    Json(req): Json<EstimateRequest>,
) -> AppResult<axum::Json<Estimate>> {
    let plan = load_plan(&state, req.plan_id, Plans::Open).await?;
    req.bill
        .check(&plan.view.rule)
        .map_err(|p| AppError::invalid(&p))?;
    let cap = CapUse {
        yearly_cap_fen: plan.view.yearly_cap_fen,
        used_fen: 0,
    };
    Ok(axum::Json(aid::estimate(
        &plan.view.rule,
        cap,
        &req.bill,
        current_lang(),
    )))
}

/// Enrols the signed-in member in a plan for its current term.
#[utoipa::path(
    post, path = "/api/aid/enrolments", tag = "aid",
    request_body = EnrolRequest,
    responses(
        (status = 201, description = "Enrolled: the certificate", body = EnrolmentView),
        (status = 404, description = "No such plan", body = ErrorBody),
        (status = 409, description = "Already enrolled for this term", body = ErrorBody),
        (status = 422, description = "Not eligible; the code names the first reason", body = ErrorBody),
    )
)]
async fn enrol(
    State(state): State<AppState>,
    Member { user, roster_id }: Member,
    Json(req): Json<EnrolRequest>,
) -> AppResult<(StatusCode, axum::Json<EnrolmentView>)> {
    let plan = load_plan(&state, req.plan_id, Plans::Open).await?;
    let mut conn = state.db.reader().await?;
    let applicant = store::aid::applicant(&mut conn, roster_id).await?;
    let (who, union_id) = (applicant.applicant()?, applicant.union_id);
    let over = store::aid::unions_over(&mut conn, union_id).await?;
    drop(conn);
    if !over.contains(&plan.union_id) {
        let (zh, en) = (
            outside_plan_union(unioncard_api::Lang::Zh),
            outside_plan_union(unioncard_api::Lang::En),
        );
        return Err(AppError::unprocessable_text("outside_plan_union", zh, en));
    }
    let today = time::today();
    let already = || AppError::from(AidRefusal::AlreadyEnrolled);
    let refusals = plan.dates.refusals(&plan.view.eligibility, &who, today);
    if let Some(first) = refusals.first() {
        let zh: Vec<String> = refusals
            .iter()
            .map(|r| r.message(unioncard_api::Lang::Zh))
            .collect();
        let en: Vec<String> = refusals
            .iter()
            .map(|r| r.message(unioncard_api::Lang::En))
            .collect();
        return Err(AppError::unprocessable_text(
            first.code(),
            zh.join("；"),
            en.join("; "),
        ));
    }
    let cover = plan.dates.cover_for(today);
    let mut tx = state.db.begin().await?;
    let id = store::aid::enrol(&mut tx, &plan.view, roster_id, union_id, cover, time::now())
        .await
        .map_err(|e| {
            if is_unique_violation(&e) {
                already()
            } else {
                e.into()
            }
        })?
        .ok_or_else(AppError::not_found)?;
    audit::record(
        &mut tx,
        Entry {
            actor: Some(user.id),
            union_id: Some(union_id),
            action: AuditAction::AidEnrol,
            target: format!("aid_enrolment:{id}"),
            before: None,
            after: Some(json!({"plan_id": plan.view.id, "cover_from": cover.from.iso(), "cover_to": cover.to.iso()})),
        },
    )
    .await?;
    tx.commit().await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(enrolment_view(&state, id).await?),
    ))
}

/// The signed-in member's cover: every enrolment with its dates, what is left
/// of its cap and its claims.
#[utoipa::path(
    get, path = "/api/me/aid/enrolments", tag = "aid",
    responses((status = 200, description = "My cover", body = Page<EnrolmentView>))
)]
async fn my_enrolments(
    State(state): State<AppState>,
    Member { roster_id, .. }: Member,
) -> AppResult<axum::Json<Page<EnrolmentView>>> {
    let items = store::aid::enrolments_of(&mut *state.db.reader().await?, roster_id).await?;
    Ok(axum::Json(Page::whole(items)))
}

/// One enrolment: the certificate. Only its member sees it.
#[utoipa::path(
    get, path = "/api/aid/enrolments/{id}", tag = "aid",
    params(("id" = i64, Path, description = "Enrolment id")),
    responses(
        (status = 200, description = "The certificate and cover", body = EnrolmentView),
        (status = 404, description = "Not yours", body = ErrorBody),
    )
)]
async fn get_enrolment(
    State(state): State<AppState>,
    Member { roster_id, .. }: Member,
    Path(id): Path<i64>,
) -> AppResult<axum::Json<EnrolmentView>> {
    let owner = store::aid::enrolment_owner(&mut *state.db.reader().await?, id).await?;
    if owner != Some(roster_id) {
        return Err(AppError::not_found());
    }
    Ok(axum::Json(enrolment_view(&state, id).await?))
}

/// An enrolment with its plan, its holder and its claims.
async fn enrolment_view(state: &AppState, id: i64) -> AppResult<EnrolmentView> {
    store::aid::enrolment_view(&mut *state.db.reader().await?, id)
        .await?
        .ok_or_else(AppError::not_found)
}

/// A claim's enrolment with its plan (404 when there is none).
async fn load_cover(state: &AppState, enrolment_id: i64) -> AppResult<Cover> {
    store::aid::cover(&mut *state.db.reader().await?, enrolment_id)
        .await?
        .ok_or_else(AppError::not_found)
}

/// Checks fields and dates of a claim about to be sent; 422 saying which.
fn check_for_sending(c: &Cover, input: &ClaimInput) -> AppResult<ClaimFields> {
    let fields = input
        .check(&c.plan.view.rule)
        .map_err(|p| AppError::invalid(&p))?;
    aid::check_claim_dates(
        c.cover,
        fields.admitted_on,
        fields.discharged_on,
        c.plan.dates.claim_deadline_days,
        time::today(),
    )
    .map_err(|r| {
        AppError::unprocessable_text(
            r.code(),
            r.message(unioncard_api::Lang::Zh),
            r.message(unioncard_api::Lang::En),
        )
        .with_field_text(
            "admitted_on",
            r.message(unioncard_api::Lang::Zh),
            r.message(unioncard_api::Lang::En),
        )
    })?;
    Ok(fields)
}

/// Unsent claim drafts one member may keep.
pub const MAX_DRAFTS: i64 = 5;

/// Files a claim on the member's own cover (or saves it as a draft to finish
/// later). A retry with the same `Idempotency-Key` gets the first answer.
#[utoipa::path(
    post, path = "/api/aid/claims", tag = "aid",
    request_body = ClaimInput,
    params(("Idempotency-Key" = Option<String>, Header, description = "Same key, same answer")),
    responses(
        (status = 201, description = "Filed (or saved as a draft)", body = ClaimView),
        (status = 404, description = "Not your cover", body = ErrorBody),
        (status = 422, description = "A field is wrong; or outside_cover, waiting_period, past_deadline", body = ErrorBody),
    )
)]
async fn create_claim(
    State(state): State<AppState>,
    Member { user, roster_id }: Member,
    headers: HeaderMap,
    Json(input): Json<ClaimInput>,
) -> AppResult<Response> {
    let key = idempotency::key(&headers, "POST /api/aid/claims", &input);
    let mut tx = match idempotency::start(&state, user.id, key.as_ref()).await? {
        idempotency::Start::Act(tx) => tx,
        idempotency::Start::Replay(answer) => return Ok(answer),
    };
    let c = load_cover(&state, input.enrolment_id).await?;
    if c.roster_id != roster_id {
        return Err(AppError::not_found());
    }
    // A draft is judged on its dates as a claim would be: a stay the cover
    // does not take is refused now, never kept with an estimate beside it.
    check_for_sending(&c, &input)?;
    if input.draft {
        // Unsent drafts are bounded per member (counted under the cover's
        // lock, so a burst cannot pass the bound together).
        store::lock_row(&mut tx, "aid_enrolments", input.enrolment_id).await?;
        let drafts = store::aid::drafts_of(&mut tx, roster_id).await?;
        if drafts >= MAX_DRAFTS {
            return Err(AidRefusal::TooManyDrafts.into());
        }
    }
    let id = store::aid::new_claim(
        &mut tx,
        input.enrolment_id,
        roster_id,
        c.union_id,
        time::now(),
    )
    .await?;
    if input.draft {
        let n = store::aid::stay_number(&mut tx, input.enrolment_id, id).await?;
        let bill = Bill {
            stay_number: n,
            ..input.bill.clone()
        };
        let e = aid::estimate(&c.plan.view.rule, c.cap(0), &bill, current_lang());
        store::aid::write_fields(&mut tx, id, &input, e.payout_fen).await?;
    } else if !store::aid::send(&mut tx, &c, id, &input).await? {
        return Err(not_editable());
    }
    let status = if input.draft {
        ClaimStatus::Draft
    } else {
        ClaimStatus::Submitted
    };
    if !CLAIMS.opened(&mut tx, id, status, user.id).await? {
        return Err(not_editable());
    }
    audit::record(
        &mut tx,
        Entry {
            actor: Some(user.id),
            union_id: Some(c.union_id),
            action: if input.draft {
                AuditAction::AidClaimDraft
            } else {
                AuditAction::AidClaimSubmit
            },
            target: format!("aid_claim:{id}"),
            before: None,
            after: Some(
                json!({"enrolment_id": input.enrolment_id, "hospital": input.hospital_name.trim()}),
            ),
        },
    )
    .await?;
    let view = store::aid::claim_view(&mut tx, id, false)
        .await?
        .ok_or_else(AppError::not_found)?;
    idempotency::store(&mut tx, user.id, key.as_ref(), StatusCode::CREATED, &view).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, axum::Json(view)).into_response())
}

/// The member's own claim and its cover; 404 for anyone else's.
async fn own_claim(
    state: &AppState,
    roster_id: i64,
    id: i64,
) -> AppResult<(i64, Place<ClaimStatus>)> {
    let place = CLAIMS.own(state, roster_id, id).await?;
    let enrolment_id = store::aid::claim_enrolment(&mut *state.db.reader().await?, id)
        .await?
        .ok_or_else(AppError::not_found)?;
    Ok((enrolment_id, place))
}

fn not_editable() -> AppError {
    AidRefusal::ClaimNotEditable.into()
}

/// A claim with its timeline: its member sees it.
#[utoipa::path(
    get, path = "/api/aid/claims/{id}", operation_id = "get_my_claim", tag = "aid",
    params(("id" = i64, Path, description = "Claim id")),
    responses(
        (status = 200, description = "The claim and its timeline", body = ClaimView),
        (status = 404, description = "Not your claim", body = ErrorBody),
    )
)]
async fn get_claim(
    State(state): State<AppState>,
    Member { roster_id, .. }: Member,
    Path(id): Path<i64>,
) -> AppResult<axum::Json<ClaimView>> {
    own_claim(&state, roster_id, id).await?;
    let mut conn = state.db.reader().await?;
    Ok(axum::Json(
        store::aid::claim_view(&mut conn, id, false)
            .await?
            .ok_or_else(AppError::not_found)?,
    ))
}

/// Changes a draft (or a claim sent back for documents) before sending it.
#[utoipa::path(
    put, path = "/api/aid/claims/{id}", tag = "aid",
    params(("id" = i64, Path, description = "Claim id")),
    request_body = ClaimInput,
    responses(
        (status = 200, description = "Saved", body = ClaimView),
        (status = 404, description = "Not your claim", body = ErrorBody),
        (status = 409, description = "Already sent", body = ErrorBody),
        (status = 422, description = "A field is wrong", body = ErrorBody),
    )
)]
async fn update_claim(
    State(state): State<AppState>,
    Member { roster_id, .. }: Member,
    Path(id): Path<i64>,
    Json(input): Json<ClaimInput>,
) -> AppResult<axum::Json<ClaimView>> {
    let (enrolment_id, place) = own_claim(&state, roster_id, id).await?;
    let status = place.status;
    if !status.member_may_edit() {
        return Err(not_editable());
    }
    let input = ClaimInput {
        enrolment_id,
        ..input
    };
    let c = load_cover(&state, enrolment_id).await?;
    // A draft, or a claim back for documents, stays one that could be sent:
    // cover, waiting period and deadline.
    check_for_sending(&c, &input)?;
    let mut tx = state.db.begin().await?;
    let n = store::aid::stay_number(&mut tx, enrolment_id, id).await?;
    let bill = Bill {
        stay_number: n,
        ..input.bill.clone()
    };
    let e = aid::estimate(&c.plan.view.rule, c.cap(0), &bill, current_lang());
    if !store::aid::write_fields(&mut tx, id, &input, e.payout_fen).await? {
        return Err(not_editable());
    }
    let view = store::aid::claim_view(&mut tx, id, false)
        .await?
        .ok_or_else(AppError::not_found)?;
    tx.commit().await?;
    Ok(axum::Json(view))
}

/// Sends a draft, or sends a claim back after adding the documents asked for.
#[utoipa::path(
    post, path = "/api/aid/claims/{id}/submit", tag = "aid",
    params(("id" = i64, Path, description = "Claim id")),
    responses(
        (status = 200, description = "Sent", body = ClaimView),
        (status = 404, description = "Not your claim", body = ErrorBody),
        (status = 409, description = "Already sent", body = ErrorBody),
        (status = 422, description = "outside_cover, waiting_period or past_deadline", body = ErrorBody),
    )
)]
async fn submit_claim(
    State(state): State<AppState>,
    Member { user, roster_id }: Member,
    Path(id): Path<i64>,
) -> AppResult<axum::Json<ClaimView>> {
    let (enrolment_id, place) = own_claim(&state, roster_id, id).await?;
    let status = place.status;
    if !status.member_may_edit() {
        return Err(not_editable());
    }
    let c = load_cover(&state, enrolment_id).await?;
    let mut tx = state.db.begin().await?;
    // Only one send wins: the status must still be the one we read. From
    // here the row is this request's, so it is judged as it now is (an edit
    // that landed first is what gets checked; one that comes later finds
    // it sent).
    if !CLAIMS.hold(&mut tx, id, status).await? {
        return Err(not_editable());
    }
    let current = store::aid::claim_view(&mut tx, id, false)
        .await?
        .ok_or_else(AppError::not_found)?;
    let input = ClaimInput {
        enrolment_id,
        admitted_on: current.admitted_on,
        discharged_on: current.discharged_on,
        hospital_name: current.hospital_name,
        bill: current.bill,
        draft: false,
    };
    check_for_sending(&c, &input)?;
    let sent = Step {
        from: status,
        to: ClaimStatus::Submitted,
        actor: user.id,
        note: None,
        amount_fen: None,
    };
    if !store::aid::send(&mut tx, &c, id, &input).await?
        || !CLAIMS.step(&mut tx, &place, sent).await?
    {
        return Err(not_editable());
    }
    let view = store::aid::claim_view(&mut tx, id, false)
        .await?
        .ok_or_else(AppError::not_found)?;
    tx.commit().await?;
    Ok(axum::Json(view))
}

/// Adds a document (JPEG, PNG or PDF, at most 10 MB) to the member's own
/// claim while it is open.
#[utoipa::path(
    post, path = "/api/aid/claims/{id}/documents", operation_id = "add_claim_document", tag = "aid",
    params(("id" = i64, Path, description = "Claim id")),
    request_body(content = String, content_type = "multipart/form-data", description = "One file field"),
    responses(
        (status = 201, description = "Stored", body = DocumentView),
        (status = 404, description = "Not your claim", body = ErrorBody),
        (status = 409, description = "The claim is decided", body = ErrorBody),
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
    let doc = CLAIMS.add_document(&state, roster_id, id, form).await?;
    Ok((StatusCode::CREATED, axum::Json(doc)))
}

/// A claim's document: for its member and the officers over the member's union.
#[utoipa::path(
    get, path = "/api/aid/claims/{id}/documents/{doc}", operation_id = "get_claim_document", tag = "aid",
    params(
        ("id" = i64, Path, description = "Claim id"),
        ("doc" = i64, Path, description = "Document id"),
    ),
    responses(
        (status = 200, description = "The file", content_type = "application/octet-stream"),
        (status = 404, description = "No document you may see", body = ErrorBody),
    )
)]
async fn get_document(
    State(state): State<AppState>,
    user: CurrentUser,
    officer: Option<Officer>,
    Path((id, doc)): Path<(i64, i64)>,
) -> AppResult<Response> {
    CLAIMS
        .document(&state, &user, officer.as_ref(), id, doc)
        .await
}

/// Removes a document from a claim the member can still change.
#[utoipa::path(
    delete, path = "/api/aid/claims/{id}/documents/{doc}", tag = "aid",
    params(
        ("id" = i64, Path, description = "Claim id"),
        ("doc" = i64, Path, description = "Document id"),
    ),
    responses(
        (status = 204, description = "Removed"),
        (status = 404, description = "No such document of yours", body = ErrorBody),
        (status = 409, description = "The claim has been sent", body = ErrorBody),
    )
)]
async fn delete_document(
    State(state): State<AppState>,
    Member { roster_id, .. }: Member,
    Path((id, doc)): Path<(i64, i64)>,
) -> AppResult<StatusCode> {
    CLAIMS.remove_document(&state, roster_id, id, doc).await?;
    Ok(StatusCode::NO_CONTENT)
}
