//! Managing aid plans: a new plan (one term), and closing one to new
//! enrolments (existing cover runs to its end). The rule and eligibility
//! are checked by the shared crate; every change is audited.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde_json::json;
use unioncard_api::aid::{PlanInput, PlanView};
use unioncard_api::audit::AuditAction;
use unioncard_api::join::Page;
use unioncard_api::offers::StatusChange;
use unioncard_api::ErrorBody;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::audit::{self, Entry};
use crate::error::{AppError, AppResult};
use crate::extract::{CurrentUser, Json};
use crate::routes::aid::{all_plans, load_plan, Plans};
use crate::scope::Scope;
use crate::{time, AppState};

/// The plan management routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(set_status))
}

/// The plans run by the officer's unions, closed ones too.
#[utoipa::path(
    get, path = "/api/staff/aid/plans", operation_id = "list_aid_plans_managed", tag = "staff",
    responses(
        (status = 200, description = "Plans", body = Page<PlanView>),
        (status = 403, description = "Not an officer", body = ErrorBody),
    )
)]
async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
) -> AppResult<axum::Json<Page<PlanView>>> {
    let scope = Scope::of(&state, &user).await?;
    Ok(axum::Json(Page::whole(all_plans(&state, &scope).await?)))
}

/// Opens a new plan (one term) run by the officer's union.
#[utoipa::path(
    post, path = "/api/staff/aid/plans", operation_id = "create_aid_plan", tag = "staff",
    request_body = PlanInput,
    responses(
        (status = 201, description = "Created", body = PlanView),
        (status = 422, description = "A field is wrong", body = ErrorBody),
    )
)]
async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    Json(input): Json<PlanInput>,
) -> AppResult<(StatusCode, axum::Json<PlanView>)> {
    let scope = Scope::of(&state, &user).await?;
    scope.require_runs_aid_plans()?;
    let ends = input.check().map_err(|p| AppError::invalid(&p))?;
    let mut tx = state.db.write().begin().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO aid_plans (union_id, name, kind, summary, contribution_fen, payer, workplace_share_bp,
            term_months, starts_on, ends_on, window_from, window_to, waiting_days, claim_deadline_days,
            eligibility_json, rule_json, yearly_cap_fen, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) RETURNING id",
    )
    .bind(scope.union_id)
    .bind(input.name.trim())
    .bind(input.kind.as_str())
    .bind(input.summary.trim())
    .bind(input.contribution_fen)
    .bind(input.payer.as_str())
    .bind(input.workplace_share_bp)
    .bind(input.term_months)
    .bind(&input.starts_on)
    .bind(ends.iso())
    .bind(&input.window_from)
    .bind(&input.window_to)
    .bind(input.waiting_days)
    .bind(input.claim_deadline_days)
    .bind(serde_json::to_string(&input.eligibility).map_err(AppError::internal)?)
    .bind(serde_json::to_string(&input.rule).map_err(AppError::internal)?)
    .bind(input.yearly_cap_fen)
    .bind(time::now())
    .fetch_one(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        Entry {
            actor: Some(user.id),
            union_id: Some(scope.union_id),
            action: AuditAction::AidPlanCreate,
            target: format!("aid_plan:{id}"),
            before: None,
            after: Some(json!(input)),
        },
    )
    .await?;
    tx.commit().await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(load_plan(&state, id, Plans::All).await?.view),
    ))
}

/// Closes a plan to new enrolments (`closed`) or opens it again (`active`).
#[utoipa::path(
    post, path = "/api/staff/aid/plans/{id}/status", operation_id = "set_aid_plan_status", tag = "staff",
    params(("id" = i64, Path, description = "Plan id")),
    request_body = StatusChange,
    responses(
        (status = 200, description = "Changed", body = PlanView),
        (status = 404, description = "No such plan run by your unions", body = ErrorBody),
        (status = 422, description = "Unknown status", body = ErrorBody),
    )
)]
async fn set_status(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Json(change): Json<StatusChange>,
) -> AppResult<axum::Json<PlanView>> {
    let scope = Scope::of(&state, &user).await?;
    let union_id: i64 = sqlx::query_scalar("SELECT union_id FROM aid_plans WHERE id = $1")
        .bind(id)
        .fetch_optional(state.db.read())
        .await?
        .ok_or_else(AppError::not_found)?;
    scope.require_union(&state, union_id).await?;
    // (after the scope test, so a plan outside it stays a 404)
    scope.require_runs_aid_plans()?;
    if !matches!(change.status.as_str(), "active" | "closed") {
        return Err(AppError::unprocessable(
            "bad_status",
            "计划只能是开放或关闭",
            "A plan is active or closed",
        )
        .with_field("status", "请选择一项", "Choose one"));
    }
    let mut tx = state.db.write().begin().await?;
    let before: String = sqlx::query_scalar("SELECT status FROM aid_plans WHERE id = $1")
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
    sqlx::query("UPDATE aid_plans SET status = $1 WHERE id = $2")
        .bind(&change.status)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    audit::record(
        &mut tx,
        Entry {
            actor: Some(user.id),
            union_id: Some(union_id),
            action: AuditAction::AidPlanStatus,
            target: format!("aid_plan:{id}"),
            before: Some(json!({"status": before})),
            after: Some(json!({"status": change.status})),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(axum::Json(load_plan(&state, id, Plans::All).await?.view))
}
