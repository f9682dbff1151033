//! Complaints about merchants: officers see those against merchants under
//! their unions, with a count per merchant, and resolve them with a note.

use axum::extract::{Path, Query, State};
use serde::Deserialize;
use serde_json::json;
use unioncard_api::audit::AuditAction;
use unioncard_api::inbox::Letter;
use unioncard_api::join::NoteNeeded;
use unioncard_api::join::{Decision, Page};
use unioncard_api::offers::{ComplaintRefusal, ComplaintStatus, ComplaintView};
use unioncard_api::request::RequestRefusal;
use unioncard_api::ErrorBody;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::audit::{self, Entry};
use crate::error::{AppError, AppResult};
use crate::extract::{Json, Officer};
use crate::{store, time, AppState};

/// The complaint queue routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(queue))
        .routes(routes!(decide))
}

/// Queue filter.
#[derive(Debug, Deserialize, IntoParams)]
pub struct ComplaintQuery {
    /// `open` (default) or `resolved`.
    pub status: Option<String>,
}

/// Complaints against merchants under the officer's unions, oldest first.
#[utoipa::path(
    get, path = "/api/staff/complaints", operation_id = "complaint_queue", tag = "staff",
    params(ComplaintQuery),
    responses(
        (status = 200, description = "Complaints", body = Page<ComplaintView>),
        (status = 403, description = "Not an officer", body = ErrorBody),
    )
)]
async fn queue(
    State(state): State<AppState>,
    Officer { scope, .. }: Officer,
    Query(q): Query<ComplaintQuery>,
) -> AppResult<axum::Json<Page<ComplaintView>>> {
    let status = match q.status.as_deref() {
        None => ComplaintStatus::Open,
        Some(name) => ComplaintStatus::from_db(name).ok_or(RequestRefusal::BadStatus)?,
    };
    let rows =
        store::merchants::complaints_in(&mut *state.db.reader().await?, &scope.like(), status)
            .await?;
    Ok(axum::Json(Page::whole(
        rows.into_iter()
            .map(ComplaintView::try_from)
            .collect::<AppResult<_>>()?,
    )))
}

/// Resolves a complaint: `approve` (upheld, the merchant was told) or `reject` (not upheld), with a note.
#[utoipa::path(
    post, path = "/api/staff/complaints/{id}/decision", operation_id = "decide_complaint", tag = "staff",
    params(("id" = i64, Path, description = "Complaint id")),
    request_body = Decision,
    responses(
        (status = 200, description = "Resolved", body = ComplaintView),
        (status = 404, description = "Not under your unions", body = ErrorBody),
        (status = 409, description = "Already resolved", body = ErrorBody),
        (status = 422, description = "No note, or an unknown decision", body = ErrorBody),
    )
)]
async fn decide(
    State(state): State<AppState>,
    Officer { user, scope }: Officer,
    Path(id): Path<i64>,
    Json(d): Json<Decision>,
) -> AppResult<axum::Json<ComplaintView>> {
    if !matches!(d.decision.as_str(), "approve" | "reject") {
        return Err(ComplaintRefusal::BadDecision.into());
    }
    let note = d.note.trim().to_string();
    if note.is_empty() {
        return Err(NoteNeeded::ComplaintOutcome.into());
    }
    let mut tx = state.db.begin().await?;
    let row = store::merchants::scoped_complaint(&mut tx, id)
        .await?
        .ok_or_else(AppError::not_found)?;
    if !scope.covers(&row.path) {
        return Err(AppError::not_found());
    }
    let written = format!(
        "{}{}",
        if d.decision == "approve" {
            "属实："
        } else {
            "不属实："
        },
        note
    );
    if !store::merchants::resolve_complaint(&mut tx, id, &written, user.id, time::now()).await? {
        return Err(ComplaintRefusal::AlreadyDecided.into());
    }
    let letter = Letter::complaint_resolved(
        &row.complaint.merchant_name,
        Some(&written),
        row.complaint.merchant_id,
    );
    store::inbox::send_to_complaint_author(&mut tx, id, &letter, time::now()).await?;
    audit::record(
        &mut tx,
        Entry {
            actor: Some(user.id),
            union_id: row.union_id,
            action: AuditAction::ComplaintResolve,
            target: format!("complaint:{id}"),
            before: Some(json!({"status": ComplaintStatus::Open})),
            after: Some(
                json!({"status": ComplaintStatus::Resolved, "decision": d.decision, "note": note}),
            ),
        },
    )
    .await?;
    tx.commit().await?;
    let resolved = store::merchants::complaint(&mut *state.db.reader().await?, id)
        .await?
        .ok_or_else(AppError::not_found)?;
    Ok(axum::Json(resolved.try_into()?))
}
