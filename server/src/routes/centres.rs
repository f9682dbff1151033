//! Service centres: the members' directory (anyone may read it: a worker
//! who is not a member yet looks for help too), nearest first from a
//! position or by district and service; and the officers' side, where
//! they keep their unions' centres (add, edit, close, reopen), audited.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::json;
use unioncard_api::audit::AuditAction;
use unioncard_api::centres::{CentreInput, CentreOpen, CentreView, Service};
use unioncard_api::join::Page;
use unioncard_api::ErrorBody;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::audit::{self, Entry};
use crate::error::{AppError, AppResult};
use crate::extract::{Json, Officer};
use crate::routes::offers::parse_near;
use crate::scope::Scope;
use crate::store::centres::{CentreFilter, CentreRow};
use crate::{store, time, AppState};

/// The centre routes, the directory's and the officers'.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(directory))
        .routes(routes!(one))
        .routes(routes!(list_mine, create))
        .routes(routes!(update))
        .routes(routes!(set_open))
}

/// The directory's filters.
#[derive(Debug, Deserialize, IntoParams)]
pub struct CentreQuery {
    /// `lat,lng`: nearest first from here, each with its distance.
    pub near: Option<String>,
    /// Only centres offering this: `rights`, `hardship`, `jobs`,
    /// `training` or `counselling`.
    pub service: Option<String>,
    /// Only this district's, e.g. `武昌区`.
    pub district: Option<String>,
    /// Words in the name or address, e.g. `江汉` or `职工服务`.
    pub q: Option<String>,
    /// How many (1-50, default 20).
    pub limit: Option<usize>,
    /// From the previous page's `next_cursor`.
    pub cursor: Option<String>,
}

/// The furthest a cursor pages (a province has under 2,000 centres; a
/// member wants the nearest few): a forged cursor cannot make one request
/// sort the whole table.
const MAX_OFFSET: usize = 2_000;

/// Open service centres: nearest first from `near`, or by district and
/// name. One page: a member wants the few nearest, a district has dozens.
#[utoipa::path(
    get, path = "/api/service-centres", operation_id = "service_centres", tag = "centres",
    params(CentreQuery),
    responses(
        (status = 200, description = "Centres", body = Page<CentreView>),
        (status = 400, description = "A filter that does not read", body = ErrorBody),
    )
)]
async fn directory(
    State(state): State<AppState>,
    Query(q): Query<CentreQuery>,
) -> AppResult<axum::Json<Page<CentreView>>> {
    let service = match q.service.as_deref().filter(|s| !s.is_empty()) {
        Some(s) => Some(Service::from_db(s).ok_or_else(|| AppError::bad_param("service"))?),
        None => None,
    };
    let district = q
        .district
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .map(str::to_string);
    if district.as_ref().is_some_and(|d| d.chars().count() > 20) {
        return Err(AppError::bad_param("district"));
    }
    let offset: usize = match q.cursor.as_deref().filter(|c| !c.is_empty()) {
        Some(c) => c
            .parse()
            .ok()
            .filter(|o| *o <= MAX_OFFSET)
            .ok_or_else(|| AppError::bad_param("cursor"))?,
        None => 0,
    };
    let limit = q.limit.unwrap_or(20).clamp(1, 50);
    let filter = CentreFilter {
        service,
        district,
        words: crate::store::contains_pattern(q.q.as_deref())?,
        near: q.near.as_deref().map(parse_near).transpose()?,
        offset,
        // One more than asked, to know whether a next page exists.
        limit: limit + 1,
    };
    let mut rows = store::centres::directory(&mut *state.db.lagging().await?, &filter).await?;
    let next_cursor = (rows.len() > limit).then(|| (offset + limit).to_string());
    rows.truncate(limit);
    let items = rows
        .into_iter()
        .map(|(r, d)| r.view(d))
        .collect::<AppResult<_>>()?;
    Ok(axum::Json(Page { items, next_cursor }))
}

/// One open centre.
#[utoipa::path(
    get, path = "/api/service-centres/{id}", operation_id = "service_centre", tag = "centres",
    params(("id" = i64, Path, description = "The centre")),
    responses(
        (status = 200, description = "The centre", body = CentreView),
        (status = 404, description = "No such open centre", body = ErrorBody),
    )
)]
async fn one(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> AppResult<axum::Json<CentreView>> {
    let view = store::centres::one(&mut *state.db.reader().await?, id)
        .await?
        .ok_or_else(AppError::not_found)?
        .view(None)?;
    if !view.open {
        return Err(AppError::not_found());
    }
    Ok(axum::Json(view))
}

/// The centres of the officer's unions, closed ones too.
#[utoipa::path(
    get, path = "/api/staff/centres", operation_id = "staff_service_centres", tag = "centres",
    responses((status = 200, description = "Centres", body = Page<CentreView>))
)]
async fn list_mine(
    State(state): State<AppState>,
    Officer { scope, .. }: Officer,
) -> AppResult<axum::Json<Page<CentreView>>> {
    let rows = store::centres::of_unions(&mut *state.db.reader().await?, &scope.like()).await?;
    let items = rows
        .into_iter()
        .map(|r| r.view(None))
        .collect::<AppResult<_>>()?;
    Ok(axum::Json(Page::whole(items)))
}

/// The union a centre is written under: the one named, in the officer's
/// scope, or the officer's own.
async fn union_for(state: &AppState, scope: &Scope, named: Option<i64>) -> AppResult<i64> {
    let id = named.unwrap_or(scope.union_id);
    store::unions::place(&mut *state.db.reader().await?, id)
        .await?
        .filter(|p| scope.covers(&p.path))
        .map(|_| id)
        .ok_or_else(AppError::not_found)
}

/// A centre of the officer's unions; 404 otherwise.
async fn scoped(state: &AppState, scope: &Scope, id: i64) -> AppResult<CentreRow> {
    store::centres::one(&mut *state.db.reader().await?, id)
        .await?
        .filter(|c| scope.covers(&c.path))
        .ok_or_else(AppError::not_found)
}

/// Adds a centre.
#[utoipa::path(
    post, path = "/api/staff/centres", operation_id = "create_service_centre", tag = "centres",
    request_body = CentreInput,
    responses(
        (status = 201, description = "Added", body = CentreView),
        (status = 404, description = "The union is not yours", body = ErrorBody),
        (status = 422, description = "Field errors", body = ErrorBody),
    )
)]
async fn create(
    State(state): State<AppState>,
    Officer { user, scope }: Officer,
    Json(input): Json<CentreInput>,
) -> AppResult<(StatusCode, axum::Json<CentreView>)> {
    input.check().map_err(|p| AppError::invalid(&p))?;
    let union_id = union_for(&state, &scope, input.union_id).await?;
    let mut tx = state.db.begin().await?;
    let id = store::centres::insert(&mut tx, union_id, &input, Some(user.id), time::now()).await?;
    audit::record(
        &mut tx,
        Entry {
            actor: Some(user.id),
            union_id: Some(union_id),
            action: AuditAction::CentreCreate,
            target: format!("centre:{id}"),
            before: None,
            after: Some(json!(input)),
        },
    )
    .await?;
    tx.commit().await?;
    let view = scoped(&state, &scope, id).await?.view(None)?;
    Ok((StatusCode::CREATED, axum::Json(view)))
}

/// Rewrites a centre's details.
#[utoipa::path(
    put, path = "/api/staff/centres/{id}", operation_id = "update_service_centre", tag = "centres",
    params(("id" = i64, Path, description = "The centre")),
    request_body = CentreInput,
    responses(
        (status = 200, description = "Saved", body = CentreView),
        (status = 404, description = "No such centre in your unions", body = ErrorBody),
        (status = 422, description = "Field errors", body = ErrorBody),
    )
)]
async fn update(
    State(state): State<AppState>,
    Officer { user, scope }: Officer,
    Path(id): Path<i64>,
    Json(input): Json<CentreInput>,
) -> AppResult<axum::Json<CentreView>> {
    let before = scoped(&state, &scope, id).await?.view(None)?;
    input.check().map_err(|p| AppError::invalid(&p))?;
    let union_id = union_for(&state, &scope, input.union_id.or(Some(before.union_id))).await?;
    let mut tx = state.db.begin().await?;
    if !store::centres::update(&mut tx, id, union_id, &input, user.id, time::now()).await? {
        return Err(AppError::not_found());
    }
    audit::record(
        &mut tx,
        Entry {
            actor: Some(user.id),
            union_id: Some(union_id),
            action: AuditAction::CentreUpdate,
            target: format!("centre:{id}"),
            before: Some(json!(before)),
            after: Some(json!(input)),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(axum::Json(scoped(&state, &scope, id).await?.view(None)?))
}

/// Closes a centre (kept for the record, gone from the directory) or
/// opens it again; 409 when it already is so.
#[utoipa::path(
    post, path = "/api/staff/centres/{id}/status", operation_id = "service_centre_status", tag = "centres",
    params(("id" = i64, Path, description = "The centre")),
    request_body = CentreOpen,
    responses(
        (status = 200, description = "Changed", body = CentreView),
        (status = 404, description = "No such centre in your unions", body = ErrorBody),
        (status = 409, description = "Already open, or already closed", body = ErrorBody),
    )
)]
async fn set_open(
    State(state): State<AppState>,
    Officer { user, scope }: Officer,
    Path(id): Path<i64>,
    Json(req): Json<CentreOpen>,
) -> AppResult<axum::Json<CentreView>> {
    let row = scoped(&state, &scope, id).await?;
    let union_id = row.union_id;
    let mut tx = state.db.begin().await?;
    if !store::centres::set_open(&mut tx, id, req.open, user.id, time::now()).await? {
        return Err(if req.open {
            AppError::conflict(
                "centre_unchanged",
                "这个站点已在开放",
                "This centre is open already",
            )
        } else {
            AppError::conflict(
                "centre_unchanged",
                "这个站点已经关闭",
                "This centre is closed already",
            )
        });
    }
    audit::record(
        &mut tx,
        Entry {
            actor: Some(user.id),
            union_id: Some(union_id),
            action: AuditAction::CentreStatus,
            target: format!("centre:{id}"),
            before: Some(json!({"open": !req.open})),
            after: Some(json!({"open": req.open})),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(axum::Json(scoped(&state, &scope, id).await?.view(None)?))
}
