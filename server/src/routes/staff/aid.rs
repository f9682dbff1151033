//! Officers' review of aid claims: a queue for their unions (oldest first),
//! the claim with its documents and the computed estimate beside the figures
//! claimed, and decisions. Approving takes the amount out of the member's
//! yearly cap with a conditional update, so two approvals at once can never
//! pay past it; a decided claim cannot be decided again (409).

use axum::extract::{Path, Query, State};
use serde::Deserialize;
use unioncard_api::aid::AidRefusal;
use unioncard_api::aid::{ClaimStatus, ClaimView};
use unioncard_api::join::NoteNeeded;
use unioncard_api::join::{Decision, Page};
use unioncard_api::payments::PaymentRefusal;
use unioncard_api::ErrorBody;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::case_file::{Step, CLAIMS};
use crate::error::{AppError, AppResult};
use crate::extract::{Json, Officer};
use crate::{store, time, AppState};

/// The claim review routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(queue))
        .routes(routes!(get_claim))
        .routes(routes!(start_review))
        .routes(routes!(decide))
        .routes(routes!(mark_paid))
}

/// Queue filter.
#[derive(Debug, Deserialize, IntoParams)]
pub struct ClaimQuery {
    /// `open` (default: submitted, under review, documents requested) or one status.
    pub status: Option<String>,
    /// From the previous page's `next_cursor`.
    pub cursor: Option<String>,
    /// Page size (default 20, max 100).
    pub limit: Option<i64>,
}

/// Claims from members of the officer's unions, oldest first.
#[utoipa::path(
    get, path = "/api/staff/aid/claims", operation_id = "claim_queue", tag = "staff",
    params(ClaimQuery),
    responses(
        (status = 200, description = "Claims", body = Page<ClaimView>),
        (status = 400, description = "Unknown status or cursor", body = ErrorBody),
        (status = 403, description = "Not an officer", body = ErrorBody),
    )
)]
async fn queue(
    State(state): State<AppState>,
    Officer { scope, .. }: Officer,
    Query(q): Query<ClaimQuery>,
) -> AppResult<axum::Json<Page<ClaimView>>> {
    let statuses: Vec<ClaimStatus> = match q.status.as_deref().unwrap_or("open") {
        "open" => ClaimStatus::OPEN.to_vec(),
        s => match ClaimStatus::from_db(s) {
            Some(ClaimStatus::Draft) | None => return Err(AppError::bad_param("status")),
            Some(st) => vec![st],
        },
    };
    let limit = q.limit.unwrap_or(20).clamp(1, 100);
    // Cursor: the last item's (submitted_at, id).
    let (after_at, after_id) = match q.cursor.as_deref() {
        None | Some("") => (i64::MIN, 0),
        Some(c) => c
            .split_once('.')
            .and_then(|(a, b)| Some((a.parse().ok()?, b.parse().ok()?)))
            .ok_or_else(|| AppError::bad_param("cursor"))?,
    };
    let mut conn = state.db.reader().await?;
    let mut rows = store::aid::review_queue(
        &mut conn,
        &scope.like(),
        &statuses,
        (after_at, after_id),
        limit + 1,
    )
    .await?;
    let more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    let next_cursor = match rows.last() {
        Some(last) if more => Some(format!(
            "{}.{}",
            last.submitted_at
                .ok_or_else(|| AppError::internal("a sent claim without submitted_at"))?,
            last.id
        )),
        _ => None,
    };
    let items = store::aid::claim_views(&mut conn, rows, true).await?;
    Ok(axum::Json(Page { items, next_cursor }))
}

/// One claim with the member, documents, estimate and timeline.
#[utoipa::path(
    get, path = "/api/staff/aid/claims/{id}", operation_id = "get_claim_for_review", tag = "staff",
    params(("id" = i64, Path, description = "Claim id")),
    responses(
        (status = 200, description = "The claim", body = ClaimView),
        (status = 404, description = "No such claim in your unions", body = ErrorBody),
    )
)]
async fn get_claim(
    State(state): State<AppState>,
    Officer { scope, .. }: Officer,
    Path(id): Path<i64>,
) -> AppResult<axum::Json<ClaimView>> {
    CLAIMS.in_scope(&state, &scope, id).await?;
    let mut conn = state.db.reader().await?;
    Ok(axum::Json(
        store::aid::claim_view(&mut conn, id, true)
            .await?
            .ok_or_else(AppError::not_found)?,
    ))
}

fn already_decided() -> AppError {
    AidRefusal::AlreadyDecided.into()
}

/// Moves a claim from the queue to "under review" by this officer.
#[utoipa::path(
    post, path = "/api/staff/aid/claims/{id}/review", tag = "staff",
    params(("id" = i64, Path, description = "Claim id")),
    responses(
        (status = 200, description = "Under review", body = ClaimView),
        (status = 404, description = "No such claim in your unions", body = ErrorBody),
        (status = 409, description = "Not waiting for review", body = ErrorBody),
    )
)]
async fn start_review(
    State(state): State<AppState>,
    Officer { user, scope }: Officer,
    Path(id): Path<i64>,
) -> AppResult<axum::Json<ClaimView>> {
    let place = CLAIMS.in_scope(&state, &scope, id).await?;
    let mut tx = state.db.begin().await?;
    let review = Step {
        from: place.status,
        to: ClaimStatus::UnderReview,
        actor: user.id,
        note: None,
        amount_fen: None,
    };
    if !CLAIMS.step(&mut tx, &place, review).await? {
        return Err(AidRefusal::NotWaiting.into());
    }
    let view = store::aid::claim_view(&mut tx, id, true)
        .await?
        .ok_or_else(AppError::not_found)?;
    tx.commit().await?;
    Ok(axum::Json(view))
}

/// Approves (amount defaults to the estimate; another amount needs a note),
/// rejects (with a reason) or asks the member for more documents.
#[utoipa::path(
    post, path = "/api/staff/aid/claims/{id}/decision", operation_id = "decide_claim", tag = "staff",
    params(("id" = i64, Path, description = "Claim id")),
    request_body = Decision,
    responses(
        (status = 200, description = "Decided", body = ClaimView),
        (status = 404, description = "No such claim in your unions", body = ErrorBody),
        (status = 409, description = "Already decided", body = ErrorBody),
        (status = 422, description = "A reason or note is missing, or the amount is past the yearly cap", body = ErrorBody),
    )
)]
async fn decide(
    State(state): State<AppState>,
    Officer { user, scope }: Officer,
    Path(id): Path<i64>,
    Json(d): Json<Decision>,
) -> AppResult<axum::Json<ClaimView>> {
    let place = CLAIMS.in_scope(&state, &scope, id).await?;
    let note = d.note.trim();
    if note.chars().count() > 500 {
        return Err(AidRefusal::NoteTooLong.into());
    }
    let mut tx = state.db.begin().await?;
    // Read the claim inside the write transaction: on SQLite this is the one
    // writer, on PostgreSQL the conditional update below re-checks the status.
    let current = store::aid::claim_view(&mut tx, id, true)
        .await?
        .ok_or_else(AppError::not_found)?;
    if !current.status.is_open() {
        return Err(already_decided());
    }
    let to_of = match d.decision.as_str() {
        "approve" => Some(ClaimStatus::Approved),
        "reject" => Some(ClaimStatus::Rejected),
        "request_documents" => Some(ClaimStatus::DocumentsRequested),
        _ => None,
    };
    if let Some(to) = to_of {
        if !ClaimStatus::decided_from(to).contains(&current.status) {
            return Err(AidRefusal::AwaitingDocuments.into());
        }
    }
    let (to, amount) = match d.decision.as_str() {
        "approve" => {
            let estimate = current.estimate.payout_fen;
            let amount = d.amount_fen.unwrap_or(estimate);
            if amount > unioncard_api::money::MAX_FEN {
                return Err(AidRefusal::AmountTooLarge.into());
            }
            if amount < 0 {
                return Err(AidRefusal::NegativeAmount.into());
            }
            if amount != estimate && note.is_empty() {
                return Err(NoteNeeded::AmountDiffers.into());
            }
            // Take the amount out of the yearly cap, only if it fits.
            if !store::aid::take_from_cap(&mut tx, current.enrolment_id, amount).await? {
                return Err(AidRefusal::OverYearlyCap.into());
            }
            (ClaimStatus::Approved, Some(amount))
        }
        "reject" if note.is_empty() => return Err(NoteNeeded::DeclineReason.into()),
        "reject" => (ClaimStatus::Rejected, None),
        "request_documents" if note.is_empty() => return Err(NoteNeeded::DocumentsWanted.into()),
        "request_documents" => (ClaimStatus::DocumentsRequested, None),
        _ => return Err(AidRefusal::BadDecision.into()),
    };
    // The step lands only from the status read in this transaction.
    let decision = Step {
        from: current.status,
        to,
        actor: user.id,
        note: Some(note),
        amount_fen: amount,
    };
    if !CLAIMS.step(&mut tx, &place, decision).await? {
        return Err(already_decided());
    }
    let final_decision = matches!(to, ClaimStatus::Approved | ClaimStatus::Rejected);
    store::aid::record_decision(
        &mut tx,
        id,
        amount,
        final_decision.then_some(user.id),
        final_decision.then(time::now),
    )
    .await?;
    let view = store::aid::claim_view(&mut tx, id, true)
        .await?
        .ok_or_else(AppError::not_found)?;
    tx.commit().await?;
    Ok(axum::Json(view))
}

/// Records that an approved amount was paid onto the member's card.
#[utoipa::path(
    post, path = "/api/staff/aid/claims/{id}/paid", tag = "staff",
    params(("id" = i64, Path, description = "Claim id")),
    responses(
        (status = 200, description = "Paid", body = ClaimView),
        (status = 404, description = "No such claim in your unions", body = ErrorBody),
        (status = 409, description = "Not approved, already paid, or in a payment batch (`in_another_batch`)", body = ErrorBody),
    )
)]
async fn mark_paid(
    State(state): State<AppState>,
    Officer { user, scope }: Officer,
    Path(id): Path<i64>,
) -> AppResult<axum::Json<ClaimView>> {
    let place = CLAIMS.in_scope(&state, &scope, id).await?;
    let mut tx = state.db.begin().await?;
    // The claim's row first (a batch being prepared takes it too, so the
    // two take turns), then: paid by a payment batch already (or on its
    // way)? The bank's answer marks it paid, not a second hand.
    if !CLAIMS.hold(&mut tx, id, ClaimStatus::Approved).await? {
        return Err(AidRefusal::NotApproved.into());
    }
    if store::payments::claim_in_ledger(&mut tx, id).await? {
        return Err(PaymentRefusal::PaidElsewhere.into());
    }
    let amount = store::aid::approved_amount(&mut tx, id).await?;
    let paid = Step {
        from: ClaimStatus::Approved,
        to: ClaimStatus::Paid,
        actor: user.id,
        note: None,
        amount_fen: amount,
    };
    if !CLAIMS.step(&mut tx, &place, paid).await? {
        return Err(AidRefusal::NotApproved.into());
    }
    let view = store::aid::claim_view(&mut tx, id, true)
        .await?
        .ok_or_else(AppError::not_found)?;
    tx.commit().await?;
    Ok(axum::Json(view))
}
