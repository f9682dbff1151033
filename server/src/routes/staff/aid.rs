//! Officers' review of aid claims: a queue for their unions (oldest first),
//! the claim with its documents and the computed estimate beside the figures
//! claimed, and decisions. Approving takes the amount out of the member's
//! yearly cap with a conditional update, so two approvals at once can never
//! pay past it; a decided claim cannot be decided again (409).

use axum::extract::{Path, Query, State};
use serde::Deserialize;
use serde_json::json;
use sqlx::Row;
use unioncard_api::aid::{ClaimStatus, ClaimView};
use unioncard_api::audit::AuditAction;
use unioncard_api::join::{Decision, Page};
use unioncard_api::ErrorBody;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::audit::{self, Entry};
use crate::error::{AppError, AppResult};
use crate::extract::{CurrentUser, Json};
use crate::routes::aid::{claim_view, event};
use crate::scope::Scope;
use crate::{time, AppState};

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
    user: CurrentUser,
    Query(q): Query<ClaimQuery>,
) -> AppResult<axum::Json<Page<ClaimView>>> {
    let scope = Scope::of(&state, &user).await?;
    let statuses: Vec<&str> = match q.status.as_deref().unwrap_or("open") {
        "open" => vec!["submitted", "under_review", "documents_requested"],
        s => match ClaimStatus::from_db(s) {
            Some(ClaimStatus::Draft) | None => return Err(AppError::bad_param("status")),
            Some(st) => vec![st.as_str()],
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
    let list = statuses
        .iter()
        .map(|s| format!("'{s}'"))
        .collect::<Vec<_>>()
        .join(",");
    let rows = sqlx::query(&format!(
        "SELECT c.id, c.submitted_at FROM aid_claims c JOIN unions u ON u.id = c.union_id
          WHERE u.path LIKE $1 AND c.status IN ({list})
            AND (c.submitted_at > $2 OR (c.submitted_at = $2 AND c.id > $3))
          ORDER BY c.submitted_at, c.id LIMIT $4"
    ))
    .bind(scope.like())
    .bind(after_at)
    .bind(after_id)
    .bind(limit + 1)
    .fetch_all(state.db.read())
    .await?;
    let more = rows.len() as i64 > limit;
    let mut conn = state.db.read().acquire().await?;
    let mut items = Vec::new();
    let mut next_cursor = None;
    for r in rows.iter().take(limit as usize) {
        let id: i64 = r.try_get("id")?;
        items.push(claim_view(&mut conn, id, true).await?);
        if more {
            next_cursor = Some(format!("{}.{id}", r.try_get::<i64, _>("submitted_at")?));
        }
    }
    Ok(axum::Json(Page { items, next_cursor }))
}

/// The claim's union, checked against the officer's scope (404 outside).
async fn scoped(state: &AppState, user: &CurrentUser, id: i64) -> AppResult<(Scope, i64)> {
    let scope = Scope::of(state, user).await?;
    let row = sqlx::query(
        "SELECT c.union_id, u.path FROM aid_claims c JOIN unions u ON u.id = c.union_id
          WHERE c.id = $1 AND c.status <> 'draft'",
    )
    .bind(id)
    .fetch_optional(state.db.read())
    .await?
    .ok_or_else(AppError::not_found)?;
    if !scope.covers(&row.try_get::<String, _>("path")?) {
        return Err(AppError::not_found());
    }
    let union_id = row.try_get("union_id")?;
    Ok((scope, union_id))
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
    user: CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<axum::Json<ClaimView>> {
    scoped(&state, &user, id).await?;
    let mut conn = state.db.read().acquire().await?;
    Ok(axum::Json(claim_view(&mut conn, id, true).await?))
}

fn already_decided() -> AppError {
    AppError::conflict(
        "already_decided",
        "该申请已经处理过了",
        "This claim has already been decided",
    )
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
    user: CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<axum::Json<ClaimView>> {
    let (_, union_id) = scoped(&state, &user, id).await?;
    let mut tx = state.db.write().begin().await?;
    let moved = sqlx::query(
        "UPDATE aid_claims SET status = 'under_review' WHERE id = $1 AND status = 'submitted'",
    )
    .bind(id)
    .execute(&mut *tx)
    .await?;
    if moved.rows_affected() != 1 {
        return Err(AppError::conflict(
            "not_waiting",
            "该申请不在待审核状态",
            "This claim is not waiting for review",
        ));
    }
    record(
        &mut tx,
        &user,
        union_id,
        id,
        ClaimStatus::UnderReview,
        None,
        None,
    )
    .await?;
    let view = claim_view(&mut tx, id, true).await?;
    tx.commit().await?;
    Ok(axum::Json(view))
}

async fn record(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    user: &CurrentUser,
    union_id: i64,
    id: i64,
    to: ClaimStatus,
    note: Option<&str>,
    amount_fen: Option<i64>,
) -> AppResult<()> {
    event(tx, id, to, user.id, note, amount_fen).await?;
    audit::record(
        tx,
        Entry {
            actor: Some(user.id),
            union_id: Some(union_id),
            action: match to {
                ClaimStatus::UnderReview => AuditAction::AidClaimReview,
                ClaimStatus::Approved => AuditAction::AidClaimApprove,
                ClaimStatus::Rejected => AuditAction::AidClaimReject,
                ClaimStatus::DocumentsRequested => AuditAction::AidClaimRequestDocuments,
                ClaimStatus::Paid => AuditAction::AidClaimPaid,
                // Never recorded from here (the member's own steps), named
                // for completeness of the match.
                ClaimStatus::Draft => AuditAction::AidClaimDraft,
                ClaimStatus::Submitted => AuditAction::AidClaimSubmit,
            },
            target: format!("aid_claim:{id}"),
            before: None,
            after: Some(json!({"status": to.as_str(), "note": note, "amount_fen": amount_fen})),
        },
    )
    .await?;
    Ok(())
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
    user: CurrentUser,
    Path(id): Path<i64>,
    Json(d): Json<Decision>,
) -> AppResult<axum::Json<ClaimView>> {
    let (_, union_id) = scoped(&state, &user, id).await?;
    let note = d.note.trim();
    if note.chars().count() > 500 {
        return Err(
            AppError::unprocessable("note_too_long", "备注太长", "The note is too long")
                .with_field("note", "最多 500 字", "At most 500 characters"),
        );
    }
    let needs_note = |zh: &'static str, en: &'static str| {
        AppError::unprocessable("note_required", zh, en).with_field("note", zh, en)
    };
    let mut tx = state.db.write().begin().await?;
    // Read the claim inside the write transaction: on SQLite this is the one
    // writer, on PostgreSQL the conditional update below re-checks the status.
    let current = claim_view(&mut tx, id, true).await?;
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
            return Err(AppError::conflict(
                "awaiting_documents",
                "正在等待会员补充材料，收到材料后才能核准",
                "Waiting for the member's documents; approve once they are sent",
            ));
        }
    }
    let (to, amount) = match d.decision.as_str() {
        "approve" => {
            let estimate = current.estimate.payout_fen;
            let amount = d.amount_fen.unwrap_or(estimate);
            if amount > unioncard_api::money::MAX_FEN {
                return Err(AppError::unprocessable(
                    "amount_too_large",
                    "金额超出上限",
                    "The amount is above the limit",
                )
                .with_field("amount_fen", "金额过大", "Amount too large"));
            }
            if amount < 0 {
                return Err(AppError::unprocessable(
                    "bad_amount",
                    "金额不能小于 0",
                    "The amount cannot be below zero",
                )
                .with_field("amount_fen", "不能小于 0", "Cannot be below zero"));
            }
            if amount != estimate && note.is_empty() {
                return Err(needs_note(
                    "金额与测算不同，请说明原因",
                    "Explain why the amount differs from the estimate",
                ));
            }
            // Take the amount out of the yearly cap, only if it fits.
            let fits = sqlx::query(
                "UPDATE aid_enrolments SET used_fen = used_fen + $1
                  WHERE id = $2 AND used_fen + $1 <= COALESCE(
                    (SELECT p.yearly_cap_fen FROM aid_plans p WHERE p.id = aid_enrolments.plan_id),
                    9000000000000000000)",
            )
            .bind(amount)
            .bind(current.enrolment_id)
            .execute(&mut *tx)
            .await?;
            if fits.rows_affected() != 1 {
                return Err(AppError::unprocessable(
                    "over_yearly_cap",
                    "超过年度封顶剩余额度",
                    "More than is left of the yearly cap",
                )
                .with_field(
                    "amount_fen",
                    "超过年度封顶剩余额度",
                    "More than is left of the yearly cap",
                ));
            }
            (ClaimStatus::Approved, Some(amount))
        }
        "reject" if note.is_empty() => {
            return Err(needs_note(
                "请填写不予通过的原因",
                "Give the reason for rejecting",
            ))
        }
        "reject" => (ClaimStatus::Rejected, None),
        "request_documents" if note.is_empty() => {
            return Err(needs_note(
                "请写明需要补充哪些材料",
                "Say which documents are needed",
            ))
        }
        "request_documents" => (ClaimStatus::DocumentsRequested, None),
        _ => {
            return Err(AppError::unprocessable(
                "bad_decision",
                "请选择核准、不予通过或补充材料",
                "Choose approve, reject or request_documents",
            )
            .with_field("decision", "请选择一项", "Choose one"))
        }
    };
    let final_decision = matches!(to, ClaimStatus::Approved | ClaimStatus::Rejected);
    let from = ClaimStatus::sql_list(ClaimStatus::decided_from(to));
    let moved = sqlx::query(&format!(
        "UPDATE aid_claims SET status = $1, approved_fen = $2, decided_by = $3, decided_at = $4
          WHERE id = $5 AND status IN {from}"
    ))
    .bind(to.as_str())
    .bind(amount)
    .bind(final_decision.then_some(user.id))
    .bind(final_decision.then(time::now))
    .bind(id)
    .execute(&mut *tx)
    .await?;
    if moved.rows_affected() != 1 {
        return Err(already_decided());
    }
    record(
        &mut tx,
        &user,
        union_id,
        id,
        to,
        (!note.is_empty()).then_some(note),
        amount,
    )
    .await?;
    let view = claim_view(&mut tx, id, true).await?;
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
        (status = 409, description = "Not approved, or already paid", body = ErrorBody),
    )
)]
async fn mark_paid(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<axum::Json<ClaimView>> {
    let (_, union_id) = scoped(&state, &user, id).await?;
    let mut tx = state.db.write().begin().await?;
    let moved =
        sqlx::query("UPDATE aid_claims SET status = 'paid' WHERE id = $1 AND status = 'approved'")
            .bind(id)
            .execute(&mut *tx)
            .await?;
    if moved.rows_affected() != 1 {
        return Err(AppError::conflict(
            "not_approved",
            "只有已核准的申请才能登记打款",
            "Only an approved claim can be marked paid",
        ));
    }
    let amount: Option<i64> =
        sqlx::query_scalar("SELECT approved_fen FROM aid_claims WHERE id = $1")
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
    record(
        &mut tx,
        &user,
        union_id,
        id,
        ClaimStatus::Paid,
        None,
        amount,
    )
    .await?;
    let view = claim_view(&mut tx, id, true).await?;
    tx.commit().await?;
    Ok(axum::Json(view))
}
