//! Managing aid plans: a new plan (one term), and closing one to new
//! enrolments (existing cover runs to its end). The rule and eligibility
//! are checked by the shared crate; every change is audited.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde_json::json;
use unioncard_api::aid::{PlanInput, PlanStatus, PlanView};
use unioncard_api::audit::AuditAction;
use unioncard_api::join::Page;
use unioncard_api::offers::{Named, StatusChange, UnknownStatus};
use unioncard_api::ErrorBody;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::audit::{self, Entry};
use crate::error::{AppError, AppResult};
use crate::extract::{Json, Officer};
use crate::store::aid::Plans;
use crate::{store, time, AppState};

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
    Officer { scope, .. }: Officer,
) -> AppResult<axum::Json<Page<PlanView>>> {
    let plans = store::aid::plans_in(&mut *state.db.reader().await?, &scope.like()).await?;
    Ok(axum::Json(Page::whole(
        plans.into_iter().map(|p| p.view).collect(),
    )))
}

/// One plan, closed ones too (404 when there is none).
async fn plan_view(state: &AppState, id: i64) -> AppResult<PlanView> {
    Ok(
        store::aid::plan(&mut *state.db.reader().await?, id, Plans::All)
            .await?
            .ok_or_else(AppError::not_found)?
            .view,
    )
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
    Officer { user, scope }: Officer,
    Json(input): Json<PlanInput>,
) -> AppResult<(StatusCode, axum::Json<PlanView>)> {
    scope.require_runs_aid_plans()?;
    let ends = input.check().map_err(|p| AppError::invalid(&p))?;
    let mut tx = state.db.begin().await?;
    let id = store::aid::create_plan(&mut tx, scope.union_id, &input, ends, time::now()).await?;
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
        axum::Json(plan_view(&state, id).await?),
    ))
}

/// Closes a plan to new enrolments (`closed`) or opens it again (`active`).
#[utoipa::path(
    post, path = "/api/staff/aid/plans/{id}/status", operation_id = "set_aid_plan_status", tag = "staff",
    params(("id" = i64, Path, description = "Plan id")),
    request_body = StatusChange<PlanStatus>,
    responses(
        (status = 200, description = "Changed", body = PlanView),
        (status = 404, description = "No such plan run by your unions", body = ErrorBody),
        (status = 422, description = "Unknown status", body = ErrorBody),
    )
)]
async fn set_status(
    State(state): State<AppState>,
    Officer { user, scope }: Officer,
    Path(id): Path<i64>,
    Json(change): Json<StatusChange<Named<PlanStatus>>>,
) -> AppResult<axum::Json<PlanView>> {
    let union_id = store::aid::plan_union(&mut *state.db.reader().await?, id)
        .await?
        .ok_or_else(AppError::not_found)?;
    scope.require_union(&state, union_id).await?;
    // (after the scope test, so a plan outside it stays a 404)
    scope.require_runs_aid_plans()?;
    let to = change.status.known().ok_or(UnknownStatus::Plan)?;
    let mut tx = state.db.begin().await?;
    // Under the row's lock, so the audit's "before" is what was changed.
    store::lock_row(&mut tx, "aid_plans", id).await?;
    let before = store::aid::plan_status(&mut tx, id).await?;
    store::aid::set_plan_status(&mut tx, id, to).await?;
    audit::record(
        &mut tx,
        Entry {
            actor: Some(user.id),
            union_id: Some(union_id),
            action: AuditAction::AidPlanStatus,
            target: format!("aid_plan:{id}"),
            before: Some(json!({"status": before})),
            after: Some(json!({"status": to})),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(axum::Json(plan_view(&state, id).await?))
}
