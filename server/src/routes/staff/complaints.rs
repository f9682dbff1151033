//! Complaints about merchants: officers see those against merchants under
//! their unions, with a count per merchant, and resolve them with a note.

use axum::extract::{Path, Query, State};
use serde::Deserialize;
use serde_json::json;
use sqlx::Row;
use unioncard_api::audit::AuditAction;
use unioncard_api::join::{Decision, Page};
use unioncard_api::offers::ComplaintView;
use unioncard_api::ErrorBody;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::audit::{self, Entry};
use crate::error::{AppError, AppResult};
use crate::extract::{CurrentUser, Json};
use crate::routes::offers::{complaint_from_row, load_complaint};
use crate::scope::Scope;
use crate::{time, AppState};

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

const SCOPED: &str = "SELECT c.id, c.merchant_id, m.name AS merchant_name, c.kind, c.text, c.status, c.note, c.created_at,
        c.photo_name, c.photo_kind,
        (SELECT COUNT(*) FROM complaints o WHERE o.merchant_id = c.merchant_id AND o.status = 'open') AS open_count,
        u.path, m.union_id
   FROM complaints c JOIN merchants m ON m.id = c.merchant_id JOIN unions u ON u.id = m.union_id";

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
    user: CurrentUser,
    Query(q): Query<ComplaintQuery>,
) -> AppResult<axum::Json<Page<ComplaintView>>> {
    let scope = Scope::of(&state, &user).await?;
    let status = q.status.unwrap_or_else(|| "open".into());
    if !matches!(status.as_str(), "open" | "resolved") {
        return Err(AppError::bad_request(
            "bad_status",
            "状态参数不正确",
            "Unknown status",
        ));
    }
    let rows = sqlx::query(&format!(
        "{SCOPED} WHERE u.path LIKE $1 AND c.status = $2 ORDER BY c.id LIMIT 100"
    ))
    .bind(scope.like())
    .bind(&status)
    .fetch_all(state.db.read())
    .await?;
    let items = rows
        .iter()
        .map(complaint_from_row)
        .collect::<AppResult<Vec<_>>>()?;
    Ok(axum::Json(Page::whole(items)))
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
    user: CurrentUser,
    Path(id): Path<i64>,
    Json(d): Json<Decision>,
) -> AppResult<axum::Json<ComplaintView>> {
    let scope = Scope::of(&state, &user).await?;
    if !matches!(d.decision.as_str(), "approve" | "reject") {
        return Err(AppError::unprocessable(
            "bad_decision",
            "投诉只能认定属实或不属实",
            "A complaint is upheld (approve) or not (reject)",
        ));
    }
    let note = d.note.trim().to_string();
    if note.is_empty() {
        return Err(AppError::unprocessable(
            "note_required",
            "请写明处理结果",
            "Write down what was done",
        )
        .with_field("note", "请填写", "Required"));
    }
    let mut tx = state.db.write().begin().await?;
    let row = sqlx::query(&format!("{SCOPED} WHERE c.id = $1"))
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(AppError::not_found)?;
    if !scope.covers(&row.try_get::<String, _>("path")?) {
        return Err(AppError::not_found());
    }
    let done = sqlx::query("UPDATE complaints SET status = 'resolved', note = $1, resolved_by = $2, resolved_at = $3 WHERE id = $4 AND status = 'open'")
        .bind(format!("{}{}", if d.decision == "approve" { "属实：" } else { "不属实：" }, note))
        .bind(user.id)
        .bind(time::now())
        .bind(id)
        .execute(&mut *tx)
        .await?;
    if done.rows_affected() != 1 {
        return Err(AppError::conflict(
            "already_decided",
            "这条投诉已经处理过了",
            "This complaint was already resolved",
        ));
    }
    audit::record(
        &mut tx,
        Entry {
            actor: Some(user.id),
            union_id: row.try_get("union_id")?,
            action: AuditAction::ComplaintResolve,
            target: format!("complaint:{id}"),
            before: Some(json!({"status": "open"})),
            after: Some(json!({"status": "resolved", "decision": d.decision, "note": note})),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(axum::Json(load_complaint(&state, id).await?))
}
