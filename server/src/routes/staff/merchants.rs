//! Managing partner merchants and their offers: create, edit, pause, end a
//! contract; offers added, edited, paused. Officers manage the merchants of
//! their unions (404 outside); every change is audited with before and after
//! in its own transaction, and the directory's search text follows.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::json;
use unioncard_api::audit::AuditAction;
use unioncard_api::join::Page;
use unioncard_api::offers::{
    MerchantDeskRefusal, MerchantInput, MerchantStatus, Named, OfferInput, OfferStatus,
    StaffMerchant, StatusChange, UnknownStatus,
};
use unioncard_api::ErrorBody;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::audit::{self, Entry};
use crate::error::{AppError, AppResult};
use crate::extract::{CurrentUser, Json, Officer};
use crate::scope::Scope;
use crate::{store, time, AppState};

/// The merchant management routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get_one, update))
        .routes(routes!(set_status))
        .routes(routes!(cashiers))
        .routes(routes!(add_offer))
        .routes(routes!(update_offer))
        .routes(routes!(set_offer_status))
}

/// Search.
#[derive(Debug, Deserialize, IntoParams)]
pub struct MerchantSearch {
    /// Words from the name, district or address.
    pub q: Option<String>,
}

/// A merchant's cashier accounts, to disable one who left.
#[utoipa::path(
    get, path = "/api/staff/merchants/{id}/cashiers", tag = "staff",
    params(("id" = i64, Path, description = "Merchant id")),
    responses(
        (status = 200, description = "Its cashier accounts", body = Page<unioncard_api::auth::AccountSummary>),
        (status = 404, description = "No such merchant in your unions", body = ErrorBody),
    )
)]
async fn cashiers(
    State(state): State<AppState>,
    Officer { scope, .. }: Officer,
    Path(id): Path<i64>,
) -> AppResult<axum::Json<Page<unioncard_api::auth::AccountSummary>>> {
    scoped(&state, &scope, id).await?;
    let out = store::merchants::cashiers_of(&mut *state.db.reader().await?, id).await?;
    Ok(axum::Json(Page::whole(out)))
}

/// The merchant's union, checked against the officer's scope (404 outside).
async fn scoped(state: &AppState, scope: &Scope, merchant: i64) -> AppResult<i64> {
    let union_id = store::merchants::union_of(&mut *state.db.reader().await?, merchant).await?;
    let union_id = union_id.ok_or_else(AppError::not_found)?;
    scope.require_union(state, union_id).await?;
    scope.require_signs_merchants()?;
    Ok(union_id)
}

fn record(
    user: &CurrentUser,
    union_id: i64,
    action: AuditAction,
    target: String,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
) -> Entry {
    Entry {
        actor: Some(user.id),
        union_id: Some(union_id),
        action,
        target,
        before,
        after,
    }
}

/// The merchants of the officer's unions (paused and ended ones too).
#[utoipa::path(
    get, path = "/api/staff/merchants", operation_id = "list_merchants_managed", tag = "staff",
    params(MerchantSearch),
    responses(
        (status = 200, description = "Merchants", body = Page<StaffMerchant>),
        (status = 403, description = "Not an officer", body = ErrorBody),
    )
)]
async fn list(
    State(state): State<AppState>,
    Officer { scope, .. }: Officer,
    Query(q): Query<MerchantSearch>,
) -> AppResult<axum::Json<Page<StaffMerchant>>> {
    let words = format!(
        "%{}%",
        q.q.unwrap_or_default()
            .trim()
            .to_lowercase()
            .replace(['%', '_'], "")
    );
    let items =
        store::merchants::managed_in(&mut *state.db.reader().await?, &scope.like(), &words).await?;
    Ok(axum::Json(Page::whole(items)))
}

/// Adds a partner merchant to one of the officer's unions.
#[utoipa::path(
    post, path = "/api/staff/merchants", operation_id = "create_merchant", tag = "staff",
    request_body = MerchantInput,
    responses(
        (status = 201, description = "Created", body = StaffMerchant),
        (status = 404, description = "A union outside your scope", body = ErrorBody),
        (status = 422, description = "A field is wrong", body = ErrorBody),
    )
)]
async fn create(
    State(state): State<AppState>,
    Officer { user, scope }: Officer,
    Json(input): Json<MerchantInput>,
) -> AppResult<(StatusCode, axum::Json<StaffMerchant>)> {
    scope.require_signs_merchants()?;
    input.check().map_err(|p| AppError::invalid(&p))?;
    let union_id = input.union_id.unwrap_or(scope.union_id);
    scope.require_union(&state, union_id).await?;
    // The merchant belongs to the union that signs it: a city or district.
    let level = store::merchants::union_level(&mut *state.db.reader().await?, union_id).await?;
    if !unioncard_api::auth::level_signs_merchants(&level) {
        return Err(MerchantDeskRefusal::UnionLevel.into());
    }
    let mut tx = state.db.begin().await?;
    let id = store::merchants::create(&mut tx, &input, union_id).await?;
    store::merchants::refresh_search(&mut tx, id).await?;
    let created = store::merchants::managed(&mut tx, id)
        .await?
        .ok_or_else(AppError::not_found)?;
    audit::record(
        &mut tx,
        record(
            &user,
            union_id,
            AuditAction::MerchantCreate,
            format!("merchant:{id}"),
            None,
            Some(json!(created.input)),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, axum::Json(created)))
}

/// One merchant of the officer's unions, with all its offers.
#[utoipa::path(
    get, path = "/api/staff/merchants/{id}", tag = "staff",
    params(("id" = i64, Path, description = "Merchant id")),
    responses(
        (status = 200, description = "The merchant", body = StaffMerchant),
        (status = 404, description = "No such merchant in your unions", body = ErrorBody),
    )
)]
async fn get_one(
    State(state): State<AppState>,
    Officer { scope, .. }: Officer,
    Path(id): Path<i64>,
) -> AppResult<axum::Json<StaffMerchant>> {
    scoped(&state, &scope, id).await?;
    let merchant = store::merchants::managed(&mut *state.db.reader().await?, id)
        .await?
        .ok_or_else(AppError::not_found)?;
    Ok(axum::Json(merchant))
}

/// Edits a merchant.
#[utoipa::path(
    put, path = "/api/staff/merchants/{id}", tag = "staff",
    params(("id" = i64, Path, description = "Merchant id")),
    request_body = MerchantInput,
    responses(
        (status = 200, description = "Saved", body = StaffMerchant),
        (status = 404, description = "No such merchant in your unions", body = ErrorBody),
        (status = 422, description = "A field is wrong", body = ErrorBody),
    )
)]
async fn update(
    State(state): State<AppState>,
    Officer { user, scope }: Officer,
    Path(id): Path<i64>,
    Json(input): Json<MerchantInput>,
) -> AppResult<axum::Json<StaffMerchant>> {
    let union_id = scoped(&state, &scope, id).await?;
    input.check().map_err(|p| AppError::invalid(&p))?;
    let new_union = input.union_id.unwrap_or(union_id);
    scope.require_union(&state, new_union).await?;
    let mut tx = state.db.begin().await?;
    let before = store::merchants::managed(&mut tx, id)
        .await?
        .ok_or_else(AppError::not_found)?;
    store::merchants::update(&mut tx, id, &input, new_union).await?;
    store::merchants::refresh_search(&mut tx, id).await?;
    let after = store::merchants::managed(&mut tx, id)
        .await?
        .ok_or_else(AppError::not_found)?;
    audit::record(
        &mut tx,
        record(
            &user,
            new_union,
            AuditAction::MerchantUpdate,
            format!("merchant:{id}"),
            Some(json!(before.input)),
            Some(json!(after.input)),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(axum::Json(after))
}

/// Pauses a merchant (its offers stop showing and redeeming), makes it
/// active again, or ends its contract (today).
#[utoipa::path(
    post, path = "/api/staff/merchants/{id}/status", operation_id = "set_merchant_status", tag = "staff",
    params(("id" = i64, Path, description = "Merchant id")),
    request_body = StatusChange<MerchantStatus>,
    responses(
        (status = 200, description = "Changed", body = StaffMerchant),
        (status = 404, description = "No such merchant in your unions", body = ErrorBody),
        (status = 409, description = "The contract has ended", body = ErrorBody),
        (status = 422, description = "Unknown status", body = ErrorBody),
    )
)]
async fn set_status(
    State(state): State<AppState>,
    Officer { user, scope }: Officer,
    Path(id): Path<i64>,
    Json(change): Json<StatusChange<Named<MerchantStatus>>>,
) -> AppResult<axum::Json<StaffMerchant>> {
    let union_id = scoped(&state, &scope, id).await?;
    let to = change.status.known().ok_or(UnknownStatus::Merchant)?;
    let contract_ended = || AppError::from(MerchantDeskRefusal::ContractEnded);
    let mut tx = state.db.begin().await?;
    // Read and change under the row's lock: a pause racing an end cannot
    // bring an ended merchant back, and the audit's "before" is the truth.
    store::lock_row(&mut tx, "merchants", id).await?;
    let before = store::merchants::status(&mut tx, id).await?;
    if before.is_final() {
        return Err(contract_ended());
    }
    let today = time::today().iso();
    if !store::merchants::set_status(&mut tx, id, to, &today).await? {
        return Err(contract_ended());
    }
    audit::record(
        &mut tx,
        record(
            &user,
            union_id,
            AuditAction::MerchantStatus,
            format!("merchant:{id}"),
            Some(json!({"status": before})),
            Some(json!({"status": to})),
        ),
    )
    .await?;
    let after = store::merchants::managed(&mut tx, id)
        .await?
        .ok_or_else(AppError::not_found)?;
    tx.commit().await?;
    Ok(axum::Json(after))
}

/// Adds an offer to a merchant.
#[utoipa::path(
    post, path = "/api/staff/merchants/{id}/offers", tag = "staff",
    params(("id" = i64, Path, description = "Merchant id")),
    request_body = OfferInput,
    responses(
        (status = 201, description = "Added", body = StaffMerchant),
        (status = 404, description = "No such merchant in your unions", body = ErrorBody),
        (status = 422, description = "A field is wrong", body = ErrorBody),
    )
)]
async fn add_offer(
    State(state): State<AppState>,
    Officer { user, scope }: Officer,
    Path(id): Path<i64>,
    Json(offer): Json<OfferInput>,
) -> AppResult<(StatusCode, axum::Json<StaffMerchant>)> {
    let union_id = scoped(&state, &scope, id).await?;
    offer.check().map_err(|p| AppError::invalid(&p))?;
    let mut tx = state.db.begin().await?;
    let offer_id = store::offers::add_offer(&mut tx, id, &offer, time::now()).await?;
    store::merchants::refresh_search(&mut tx, id).await?;
    audit::record(
        &mut tx,
        record(
            &user,
            union_id,
            AuditAction::OfferCreate,
            format!("offer:{offer_id}"),
            None,
            Some(json!(offer)),
        ),
    )
    .await?;
    let after = store::merchants::managed(&mut tx, id)
        .await?
        .ok_or_else(AppError::not_found)?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, axum::Json(after)))
}

/// The merchant of an offer, in scope.
async fn offer_scoped(state: &AppState, scope: &Scope, offer: i64) -> AppResult<(i64, i64)> {
    let merchant = store::offers::merchant_of_offer(&mut *state.db.reader().await?, offer)
        .await?
        .ok_or_else(AppError::not_found)?;
    let union_id = scoped(state, scope, merchant).await?;
    Ok((merchant, union_id))
}

/// Edits an offer (codes already given keep the terms they were given with
/// until they expire; new codes get the new terms).
#[utoipa::path(
    put, path = "/api/staff/offers/{id}", tag = "staff",
    params(("id" = i64, Path, description = "Offer id")),
    request_body = OfferInput,
    responses(
        (status = 200, description = "Saved", body = StaffMerchant),
        (status = 404, description = "No such offer in your unions", body = ErrorBody),
        (status = 422, description = "A field is wrong", body = ErrorBody),
    )
)]
async fn update_offer(
    State(state): State<AppState>,
    Officer { user, scope }: Officer,
    Path(id): Path<i64>,
    Json(offer): Json<OfferInput>,
) -> AppResult<axum::Json<StaffMerchant>> {
    let (merchant, union_id) = offer_scoped(&state, &scope, id).await?;
    offer.check().map_err(|p| AppError::invalid(&p))?;
    let mut tx = state.db.begin().await?;
    let before = store::merchants::managed(&mut tx, merchant)
        .await?
        .ok_or_else(AppError::not_found)?;
    store::offers::update_offer(&mut tx, id, &offer).await?;
    store::merchants::refresh_search(&mut tx, merchant).await?;
    audit::record(
        &mut tx,
        record(
            &user,
            union_id,
            AuditAction::OfferUpdate,
            format!("offer:{id}"),
            before
                .offers
                .iter()
                .find(|o| o.id == id)
                .map(|o| json!(o.input)),
            Some(json!(offer)),
        ),
    )
    .await?;
    let after = store::merchants::managed(&mut tx, merchant)
        .await?
        .ok_or_else(AppError::not_found)?;
    tx.commit().await?;
    Ok(axum::Json(after))
}

/// Pauses or resumes an offer.
#[utoipa::path(
    post, path = "/api/staff/offers/{id}/status", tag = "staff",
    params(("id" = i64, Path, description = "Offer id")),
    request_body = StatusChange<OfferStatus>,
    responses(
        (status = 200, description = "Changed", body = StaffMerchant),
        (status = 404, description = "No such offer in your unions", body = ErrorBody),
        (status = 422, description = "Unknown status", body = ErrorBody),
    )
)]
async fn set_offer_status(
    State(state): State<AppState>,
    Officer { user, scope }: Officer,
    Path(id): Path<i64>,
    Json(change): Json<StatusChange<Named<OfferStatus>>>,
) -> AppResult<axum::Json<StaffMerchant>> {
    let (merchant, union_id) = offer_scoped(&state, &scope, id).await?;
    let to = change.status.known().ok_or(UnknownStatus::Offer)?;
    let mut tx = state.db.begin().await?;
    store::lock_row(&mut tx, "offers", id).await?;
    let before = store::offers::offer_status(&mut tx, id).await?;
    store::offers::set_offer_status(&mut tx, id, to).await?;
    store::merchants::refresh_search(&mut tx, merchant).await?;
    audit::record(
        &mut tx,
        record(
            &user,
            union_id,
            AuditAction::OfferStatus,
            format!("offer:{id}"),
            Some(json!({"status": before})),
            Some(json!({"status": to})),
        ),
    )
    .await?;
    let after = store::merchants::managed(&mut tx, merchant)
        .await?
        .ok_or_else(AppError::not_found)?;
    tx.commit().await?;
    Ok(axum::Json(after))
}
