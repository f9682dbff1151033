//! Applying to join a union, for people no roster knows, without an account;
//! and finding out the outcome with the phone and ID number given.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use serde::Deserialize;
use unioncard_api::identity::{mask_name, IdNumber, Phone};
use unioncard_api::join::{
    JoinApplication, JoinLookup, JoinRefusal, JoinRequestView, Page, WorkplaceUnion,
};
use unioncard_api::ErrorBody;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{AppError, AppResult};
use crate::extract::{ClientAddr, Json};
use crate::store::join::NewRequest;
use crate::{store, time, AppState};

/// The joining routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_workplaces))
        .routes(routes!(apply))
        .routes(routes!(lookup))
}

/// Search parameters for workplace unions.
#[derive(Debug, Deserialize, IntoParams)]
pub struct UnionQuery {
    /// Part of the union's name or district.
    pub q: Option<String>,
    /// At most this many (default 20, max 100).
    pub limit: Option<i64>,
}

/// Workplace unions a person can apply to, searchable by name.
#[utoipa::path(
    get, path = "/api/unions", tag = "join",
    params(UnionQuery),
    responses((status = 200, description = "Workplace unions", body = Page<WorkplaceUnion>))
)]
async fn list_workplaces(
    State(state): State<AppState>,
    Query(q): Query<UnionQuery>,
) -> AppResult<axum::Json<Page<WorkplaceUnion>>> {
    let limit = q.limit.unwrap_or(20).clamp(1, 100);
    let pattern = crate::store::contains_pattern(q.q.as_deref())?.unwrap_or_else(|| "%".into());
    let rows = store::unions::workplaces(&mut *state.db.reader().await?, &pattern, limit).await?;
    let items = rows.into_iter().map(WorkplaceUnion::from).collect();
    Ok(axum::Json(Page::whole(items)))
}

/// Applies to join a workplace union.
#[utoipa::path(
    post, path = "/api/join-requests", tag = "join",
    request_body = JoinApplication,
    responses(
        (status = 201, description = "Received; an officer will decide", body = JoinRequestView),
        (status = 409, description = "`already_known`: on a roster or already applied (one answer for both)", body = ErrorBody),
        (status = 429, description = "Too many applications from this client or for this ID number", body = ErrorBody),
        (status = 422, description = "Invalid fields or unknown union", body = ErrorBody),
    )
)]
async fn apply(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    Json(req): Json<JoinApplication>,
) -> AppResult<(StatusCode, axum::Json<JoinRequestView>)> {
    let app = req.parse().map_err(|p| AppError::invalid(&p))?;
    let place = store::unions::place(&mut *state.db.reader().await?, req.union_id).await?;
    if place.map(|p| p.level).as_deref() != Some("workplace") {
        return Err(JoinRefusal::UnknownUnion.into());
    }
    let id_hash = state.crypto.lookup_hash("id", app.id_number.expose());
    crate::routes::auth::probe(&state, &addr, &id_hash).await?;
    let mut tx = state.db.begin().await?;
    let in_roster = store::join::roster_id_with_id_hash(&mut tx, &id_hash).await?;
    // On a roster or already applied: one answer for both, so this form
    // does not tell a stranger which ID numbers are on a roster.
    if in_roster.is_some() {
        return Err(JoinRefusal::AlreadyKnown.into());
    }
    if store::join::pending_with_id_hash(&mut tx, &id_hash)
        .await?
        .is_some()
    {
        return Err(JoinRefusal::AlreadyKnown.into());
    }
    let now = time::now();
    let id: i64 = store::join::insert_request(
        &mut tx,
        &NewRequest {
            union_id: req.union_id,
            name: app.name.as_str(),
            id_enc: &state.crypto.encrypt(app.id_number.expose()),
            id_hash: &id_hash,
            id_masked: &app.id_number.masked(),
            phone_enc: &state.crypto.encrypt(app.phone.expose()),
            phone_hash: &state.crypto.lookup_hash("phone", app.phone.expose()),
            phone_masked: &app.phone.masked(),
            workplace: &app.workplace,
        },
        now,
    )
    .await
    .map_err(|e| {
        // Two identical requests at once: the one-pending key keeps one.
        if crate::store::is_unique_violation(&e) {
            AppError::from(JoinRefusal::AlreadyKnown)
        } else {
            e.into()
        }
    })?;
    tx.commit().await?;
    let mut view = load_request(&state, id).await?;
    view.name = mask_name(&view.name);
    Ok((StatusCode::CREATED, axum::Json(view)))
}

/// The latest application made with this phone and ID number.
#[utoipa::path(
    post, path = "/api/join-requests/lookup", tag = "join",
    request_body = JoinLookup,
    responses(
        (status = 200, description = "The application and its outcome", body = JoinRequestView),
        (status = 404, description = "No application with this phone and ID number", body = ErrorBody),
        (status = 429, description = "Too many look-ups from this client or for this ID number", body = ErrorBody),
    )
)]
async fn lookup(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    Json(req): Json<JoinLookup>,
) -> AppResult<axum::Json<JoinRequestView>> {
    // Malformed input cannot match anything: the same 404, nothing learned.
    let (Ok(phone), Ok(id)) = (Phone::parse(&req.phone), IdNumber::parse(&req.id_number)) else {
        return Err(AppError::not_found());
    };
    crate::routes::auth::probe(&state, &addr, &state.crypto.lookup_hash("id", id.expose())).await?;
    let id = store::join::latest_request(
        &mut *state.db.reader().await?,
        &state.crypto.lookup_hash("id", id.expose()),
        &state.crypto.lookup_hash("phone", phone.expose()),
    )
    .await?;
    let mut view = load_request(&state, id.ok_or_else(AppError::not_found)?).await?;
    view.name = mask_name(&view.name);
    Ok(axum::Json(view))
}

/// One application by id (no scope check: callers check).
async fn load_request(state: &AppState, id: i64) -> AppResult<JoinRequestView> {
    store::join::request(&mut *state.db.reader().await?, id)
        .await?
        .ok_or_else(AppError::not_found)?
        .into_view()
}
