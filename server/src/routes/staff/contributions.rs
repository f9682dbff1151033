//! Collecting aid contributions: the workplace union collects its members'
//! parts, pays the plan, and records it here for all of them at once. The
//! queue lists what is due per union and plan; recording changes exactly
//! the enrolments the officer saw and confirmed, or nothing.

use axum::extract::State;
use serde_json::json;
use unioncard_api::aid::{
    AidRefusal, ContributionGroup, ContributionsRecorded, RecordContributions,
};
use unioncard_api::audit::AuditAction;
use unioncard_api::join::Page;
use unioncard_api::ErrorBody;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::audit::{self, Entry};
use crate::error::{AppError, AppResult};
use crate::extract::{Json, Officer};
use crate::store::aid::Plans;
use crate::{store, time, AppState};

/// The most groups one answer lists (the largest first).
const QUEUE_LIMIT: i64 = 200;

/// The contribution routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(due, record))
}

/// What the officer's unions have still to pay, per union and plan,
/// largest first.
#[utoipa::path(
    get, path = "/api/staff/aid/contributions", operation_id = "list_due_contributions", tag = "staff",
    responses(
        (status = 200, description = "Due contributions", body = Page<ContributionGroup>),
        (status = 403, description = "Not an officer", body = ErrorBody),
    )
)]
async fn due(
    State(state): State<AppState>,
    Officer { scope, .. }: Officer,
) -> AppResult<axum::Json<Page<ContributionGroup>>> {
    let groups =
        store::aid::due_contributions(&mut *state.db.reader().await?, &scope.like(), QUEUE_LIMIT)
            .await?;
    Ok(axum::Json(Page::whole(groups)))
}

/// Records one union's due contributions to one plan paid, today.
#[utoipa::path(
    post, path = "/api/staff/aid/contributions", operation_id = "record_contributions", tag = "staff",
    request_body = RecordContributions,
    responses(
        (status = 200, description = "Recorded", body = ContributionsRecorded),
        (status = 404, description = "No such plan, or the union is not yours", body = ErrorBody),
        (status = 409, description = "The list changed since it was read; nothing was recorded", body = ErrorBody),
        (status = 422, description = "The count or sum does not add up", body = ErrorBody),
    )
)]
async fn record(
    State(state): State<AppState>,
    Officer { user, scope }: Officer,
    Json(r): Json<RecordContributions>,
) -> AppResult<axum::Json<ContributionsRecorded>> {
    scope.require_union(&state, r.union_id).await?;
    let plan = store::aid::plan(&mut *state.db.reader().await?, r.plan_id, Plans::All)
        .await?
        .ok_or_else(AppError::not_found)?;
    r.check(plan.view.contribution_fen)?;
    let paid_on = time::today().iso();
    let mut tx = state.db.begin().await?;
    let changed = store::aid::record_contributions(&mut tx, &r, &paid_on, user.id).await?;
    // Exactly the members confirmed, or nothing: a second click, a second
    // officer or a member who joined since would make the sum untrue.
    if changed != r.count {
        return Err(AidRefusal::ContributionsChanged.into());
    }
    audit::record(
        &mut tx,
        Entry {
            actor: Some(user.id),
            union_id: Some(r.union_id),
            action: AuditAction::AidContributions,
            target: format!("aid_plan:{}", r.plan_id),
            before: None,
            after: Some(json!({
                "union_id": r.union_id,
                "count": r.count,
                "total_fen": r.total_fen,
                "paid_on": paid_on,
            })),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(axum::Json(ContributionsRecorded {
        count: r.count,
        total_fen: r.total_fen,
        paid_on,
    }))
}
