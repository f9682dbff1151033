//! Campaign banners: `GET /api/campaigns` for 首页 (anyone: a member sees
//! their union's and those above it, a guest the province's and the
//! cities'), and officers publishing and ending their union's banners.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde_json::json;
use unioncard_api::audit::AuditAction;
use unioncard_api::campaigns::{CampaignInput, CampaignRefusal, CampaignView, ON_HOME};
use unioncard_api::join::Page;
use unioncard_api::ErrorBody;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::audit::{self, Entry};
use crate::error::{AppError, AppResult};
use crate::extract::{CurrentUser, Json, Officer};
use crate::store::campaigns::Audience;
use crate::{store, time, AppState};

/// The campaign routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(showing))
        .routes(routes!(list, publish))
        .routes(routes!(end))
}

/// Stored banners as the wire shows them.
fn views(rows: Vec<store::campaigns::CampaignRow>) -> AppResult<Vec<CampaignView>> {
    rows.into_iter().map(|r| r.into_view()).collect()
}

/// The banners 首页 shows today (at most three, newest first).
#[utoipa::path(
    get, path = "/api/campaigns", operation_id = "campaigns_showing", tag = "campaigns",
    responses((status = 200, description = "Banners showing today", body = Page<CampaignView>))
)]
async fn showing(
    State(state): State<AppState>,
    user: Option<CurrentUser>,
) -> AppResult<axum::Json<Page<CampaignView>>> {
    let mut conn = state.db.reader().await?;
    let path = match user.and_then(|u| u.roster_id) {
        Some(roster_id) => store::campaigns::member_union_path(&mut conn, roster_id).await?,
        None => None,
    };
    let audience = match path.as_deref() {
        Some(p) => Audience::Member(p),
        None => Audience::Everyone,
    };
    let rows = store::campaigns::showing(&mut conn, audience, time::today(), ON_HOME).await?;
    Ok(axum::Json(Page::whole(views(rows)?)))
}

/// The banners of the officer's unions, ended ones too, newest first.
#[utoipa::path(
    get, path = "/api/staff/campaigns", operation_id = "list_campaigns_managed", tag = "campaigns",
    responses(
        (status = 200, description = "Banners", body = Page<CampaignView>),
        (status = 403, description = "Not an officer", body = ErrorBody),
    )
)]
async fn list(
    State(state): State<AppState>,
    Officer { scope, .. }: Officer,
) -> AppResult<axum::Json<Page<CampaignView>>> {
    let rows = store::campaigns::in_unions(&mut *state.db.reader().await?, &scope.like()).await?;
    Ok(axum::Json(Page::whole(views(rows)?)))
}

/// Publishes a banner for the officer's own union.
#[utoipa::path(
    post, path = "/api/staff/campaigns", operation_id = "publish_campaign", tag = "campaigns",
    request_body = CampaignInput,
    responses(
        (status = 201, description = "Published", body = CampaignView),
        (status = 403, description = "Not an officer", body = ErrorBody),
        (status = 422, description = "A field is wrong", body = ErrorBody),
    )
)]
async fn publish(
    State(state): State<AppState>,
    Officer { user, scope }: Officer,
    Json(input): Json<CampaignInput>,
) -> AppResult<(StatusCode, axum::Json<CampaignView>)> {
    let dates = input
        .check(time::today())
        .map_err(|p| AppError::invalid(&p))?;
    let mut tx = state.db.begin().await?;
    let id =
        store::campaigns::publish(&mut tx, scope.union_id, &input, dates, user.id, time::now())
            .await?;
    audit::record(
        &mut tx,
        Entry {
            actor: Some(user.id),
            union_id: Some(scope.union_id),
            action: AuditAction::CampaignPublish,
            target: format!("campaign:{id}"),
            before: None,
            after: Some(json!({
                "title": input.title.trim(), "link": input.link,
                "starts_on": dates.0.iso(), "ends_on": dates.1.iso(),
            })),
        },
    )
    .await?;
    let view = store::campaigns::get(&mut tx, id)
        .await?
        .ok_or_else(AppError::not_found)?
        .into_view()?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, axum::Json(view)))
}

/// Takes a banner down before its last day (its unions' officers only).
#[utoipa::path(
    post, path = "/api/staff/campaigns/{id}/end", operation_id = "end_campaign", tag = "campaigns",
    params(("id" = i64, Path, description = "Campaign id")),
    responses(
        (status = 200, description = "Ended", body = CampaignView),
        (status = 404, description = "No such banner in your unions", body = ErrorBody),
        (status = 409, description = "Already ended", body = ErrorBody),
    )
)]
async fn end(
    State(state): State<AppState>,
    Officer { user, scope }: Officer,
    Path(id): Path<i64>,
) -> AppResult<axum::Json<CampaignView>> {
    let mut tx = state.db.begin().await?;
    let row = store::campaigns::get(&mut tx, id)
        .await?
        .filter(|r| scope.covers(&r.path))
        .ok_or_else(AppError::not_found)?;
    if !store::campaigns::end(&mut tx, id).await? {
        return Err(CampaignRefusal::AlreadyEnded.into());
    }
    audit::record(
        &mut tx,
        Entry {
            actor: Some(user.id),
            union_id: Some(row.union_id),
            action: AuditAction::CampaignEnd,
            target: format!("campaign:{id}"),
            before: Some(json!({"status": "live"})),
            after: Some(json!({"status": "ended"})),
        },
    )
    .await?;
    let view = store::campaigns::get(&mut tx, id)
        .await?
        .ok_or_else(AppError::not_found)?
        .into_view()?;
    tx.commit().await?;
    Ok(axum::Json(view))
}
