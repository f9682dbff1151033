//! Managing partner merchants and their offers: create, edit, pause, end a
//! contract; offers added, edited, paused. Officers manage the merchants of
//! their unions (404 outside); every change is audited with before and after
//! in its own transaction, and the directory's search text follows.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::json;
use sqlx::{Any, Row, Transaction};
use unioncard_api::audit::AuditAction;
use unioncard_api::join::Page;
use unioncard_api::offers::{MerchantInput, OfferInput, StaffMerchant, StaffOffer, StatusChange};
use unioncard_api::ErrorBody;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::audit::{self, Entry};
use crate::error::{AppError, AppResult};
use crate::extract::{CurrentUser, Json};
use crate::scope::Scope;
use crate::{time, AppState};

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

const COLUMNS: &str =
    "m.id, m.name, m.category, m.district, m.address, m.lat_e6, m.lng_e6, m.hours, m.phone,
    m.contract_from, m.contract_to, m.typical_bill_fen, m.status, m.union_id";

async fn load(conn: &mut sqlx::AnyConnection, id: i64) -> AppResult<StaffMerchant> {
    let r = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM merchants m WHERE m.id = $1"
    ))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(AppError::not_found)?;
    let offers = sqlx::query(
        "SELECT id, title, kind, basis_points, amount_fen, price_fen, min_spend_fen, max_discount_fen, valid_from,
                valid_to, weekdays, limit_count, limit_period, status FROM offers WHERE merchant_id = $1 ORDER BY id",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|o| {
        Ok(StaffOffer {
            id: o.try_get("id")?,
            status: o.try_get("status")?,
            input: OfferInput {
                title: o.try_get("title")?,
                kind: o.try_get("kind")?,
                basis_points: o.try_get("basis_points")?,
                amount_fen: o.try_get("amount_fen")?,
                price_fen: o.try_get("price_fen")?,
                min_spend_fen: o.try_get("min_spend_fen")?,
                max_discount_fen: o.try_get("max_discount_fen")?,
                valid_from: o.try_get("valid_from")?,
                valid_to: o.try_get("valid_to")?,
                weekdays: o.try_get("weekdays")?,
                limit_count: o.try_get("limit_count")?,
                limit_period: o.try_get("limit_period")?,
            },
        })
    })
    .collect::<AppResult<Vec<_>>>()?;
    Ok(StaffMerchant {
        id,
        status: r.try_get("status")?,
        input: MerchantInput {
            name: r.try_get("name")?,
            category: r.try_get("category")?,
            district: r.try_get("district")?,
            address: r.try_get("address")?,
            lat: r.try_get::<i64, _>("lat_e6")? as f64 / 1e6,
            lng: r.try_get::<i64, _>("lng_e6")? as f64 / 1e6,
            hours: r.try_get("hours")?,
            phone: r.try_get("phone")?,
            contract_from: r.try_get("contract_from")?,
            contract_to: r.try_get("contract_to")?,
            typical_bill_fen: r.try_get("typical_bill_fen")?,
            union_id: r.try_get("union_id")?,
        },
        offers,
    })
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
    user: CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<axum::Json<Page<unioncard_api::auth::AccountSummary>>> {
    scoped(&state, &user, id).await?;
    let rows = sqlx::query(
        "SELECT id, name, phone_masked, disabled_at FROM users
          WHERE role = 'cashier' AND merchant_id = $1 ORDER BY id",
    )
    .bind(id)
    .fetch_all(state.db.read())
    .await?;
    let out = rows
        .iter()
        .map(|r| {
            Ok(unioncard_api::auth::AccountSummary {
                id: r.try_get("id")?,
                name: r.try_get("name")?,
                phone_masked: r.try_get("phone_masked")?,
                role: "cashier".into(),
                disabled: r.try_get::<Option<i64>, _>("disabled_at")?.is_some(),
            })
        })
        .collect::<AppResult<Vec<_>>>()?;
    Ok(axum::Json(Page::whole(out)))
}

/// The merchant's union, checked against the officer's scope (404 outside).
async fn scoped(state: &AppState, user: &CurrentUser, merchant: i64) -> AppResult<(Scope, i64)> {
    let scope = Scope::of(state, user).await?;
    let union_id: Option<i64> = sqlx::query_scalar("SELECT union_id FROM merchants WHERE id = $1")
        .bind(merchant)
        .fetch_optional(state.db.read())
        .await?
        .flatten();
    let union_id = union_id.ok_or_else(AppError::not_found)?;
    scope.require_union(state, union_id).await?;
    scope.require_signs_merchants()?;
    Ok((scope, union_id))
}

/// Keeps the directory's one search column in step with the merchant.
async fn refresh_search(tx: &mut Transaction<'_, Any>, id: i64) -> AppResult<()> {
    let m = load(tx, id).await?;
    let titles: Vec<&str> = m
        .offers
        .iter()
        .filter(|o| o.status == "active")
        .map(|o| o.input.title.as_str())
        .collect();
    let text = format!(
        "{} {} {} {}",
        m.input.name,
        m.input.district,
        m.input.address,
        titles.join(" ")
    )
    .to_lowercase();
    sqlx::query("UPDATE merchants SET search_text = $1 WHERE id = $2")
        .bind(text)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
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

type AnyQuery<'q> = sqlx::query::Query<'q, Any, sqlx::any::AnyArguments<'q>>;

/// Binds a merchant's twelve fields as `$1`…`$12`, in the order both the
/// INSERT and the UPDATE name them.
fn bind_fields<'q>(q: AnyQuery<'q>, input: &'q MerchantInput, union_id: i64) -> AnyQuery<'q> {
    q.bind(input.name.trim())
        .bind(input.category.as_str())
        .bind(input.district.trim())
        .bind(input.address.trim())
        .bind(union_id)
        .bind((input.lat * 1e6).round() as i64)
        .bind((input.lng * 1e6).round() as i64)
        .bind(input.hours.trim())
        .bind(input.phone.trim())
        .bind(input.contract_from.as_str())
        .bind(input.contract_to.as_str())
        .bind(input.typical_bill_fen)
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
    user: CurrentUser,
    Query(q): Query<MerchantSearch>,
) -> AppResult<axum::Json<Page<StaffMerchant>>> {
    let scope = Scope::of(&state, &user).await?;
    let words = format!(
        "%{}%",
        q.q.unwrap_or_default()
            .trim()
            .to_lowercase()
            .replace(['%', '_'], "")
    );
    let ids: Vec<i64> = sqlx::query_scalar(
        "SELECT m.id FROM merchants m JOIN unions u ON u.id = m.union_id
          WHERE u.path LIKE $1 AND m.search_text LIKE $2 ORDER BY m.id DESC LIMIT 30",
    )
    .bind(scope.like())
    .bind(words)
    .fetch_all(state.db.read())
    .await?;
    let mut conn = state.db.read().acquire().await?;
    let mut items = Vec::with_capacity(ids.len());
    for id in ids {
        items.push(load(&mut conn, id).await?);
    }
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
    user: CurrentUser,
    Json(input): Json<MerchantInput>,
) -> AppResult<(StatusCode, axum::Json<StaffMerchant>)> {
    let scope = Scope::of(&state, &user).await?;
    scope.require_signs_merchants()?;
    input.check().map_err(|p| AppError::invalid(&p))?;
    let union_id = input.union_id.unwrap_or(scope.union_id);
    scope.require_union(&state, union_id).await?;
    // The merchant belongs to the union that signs it: a city or district.
    let level: String = sqlx::query_scalar("SELECT level FROM unions WHERE id = $1")
        .bind(union_id)
        .fetch_one(state.db.read())
        .await?;
    if !unioncard_api::auth::level_signs_merchants(&level) {
        return Err(AppError::unprocessable(
            "merchant_union_level",
            "商户应归属签约的市或区总工会",
            "A merchant belongs to the city or district union that signs it",
        )
        .with_field(
            "union_id",
            "请选择市或区总工会",
            "Choose a city or district union",
        ));
    }
    let mut tx = state.db.write().begin().await?;
    let id: i64 = bind_fields(
        sqlx::query(
            "INSERT INTO merchants (name, category, district, address, union_id, lat_e6, lng_e6, hours, phone,
                contract_from, contract_to, status, typical_bill_fen, search_text)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'active', $12, '') RETURNING id",
        ),
        &input,
        union_id,
    )
    .fetch_one(&mut *tx)
    .await?
    .try_get(0)?;
    refresh_search(&mut tx, id).await?;
    let created = load(&mut tx, id).await?;
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
    user: CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<axum::Json<StaffMerchant>> {
    scoped(&state, &user, id).await?;
    let mut conn = state.db.read().acquire().await?;
    Ok(axum::Json(load(&mut conn, id).await?))
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
    user: CurrentUser,
    Path(id): Path<i64>,
    Json(input): Json<MerchantInput>,
) -> AppResult<axum::Json<StaffMerchant>> {
    let (scope, union_id) = scoped(&state, &user, id).await?;
    input.check().map_err(|p| AppError::invalid(&p))?;
    let new_union = input.union_id.unwrap_or(union_id);
    scope.require_union(&state, new_union).await?;
    let mut tx = state.db.write().begin().await?;
    let before = load(&mut tx, id).await?;
    bind_fields(
        sqlx::query(
            "UPDATE merchants SET name = $1, category = $2, district = $3, address = $4, union_id = $5, lat_e6 = $6,
                lng_e6 = $7, hours = $8, phone = $9, contract_from = $10, contract_to = $11, typical_bill_fen = $12
              WHERE id = $13",
        ),
        &input,
        new_union,
    )
    .bind(id)
    .execute(&mut *tx)
    .await?;
    refresh_search(&mut tx, id).await?;
    let after = load(&mut tx, id).await?;
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
    request_body = StatusChange,
    responses(
        (status = 200, description = "Changed", body = StaffMerchant),
        (status = 404, description = "No such merchant in your unions", body = ErrorBody),
        (status = 409, description = "The contract has ended", body = ErrorBody),
        (status = 422, description = "Unknown status", body = ErrorBody),
    )
)]
async fn set_status(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Json(change): Json<StatusChange>,
) -> AppResult<axum::Json<StaffMerchant>> {
    let (_, union_id) = scoped(&state, &user, id).await?;
    if !matches!(change.status.as_str(), "active" | "paused" | "ended") {
        return Err(AppError::unprocessable(
            "bad_status",
            "状态只能是合作中、暂停或终止合作",
            "The status is active, paused or ended",
        )
        .with_field("status", "请选择一项", "Choose one"));
    }
    let mut tx = state.db.write().begin().await?;
    let before: String = sqlx::query_scalar("SELECT status FROM merchants WHERE id = $1")
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
    if before == "ended" {
        return Err(AppError::conflict(
            "contract_ended",
            "合作已终止，如需恢复请重新签约录入",
            "The contract has ended; enter a new one to resume",
        ));
    }
    let today = time::today().iso();
    sqlx::query(
        "UPDATE merchants SET status = $1, contract_to = CASE WHEN $1 = 'ended' THEN $2 ELSE contract_to END
          WHERE id = $3",
    )
    .bind(&change.status)
    .bind(&today)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        record(
            &user,
            union_id,
            AuditAction::MerchantStatus,
            format!("merchant:{id}"),
            Some(json!({"status": before})),
            Some(json!({"status": change.status})),
        ),
    )
    .await?;
    let after = load(&mut tx, id).await?;
    tx.commit().await?;
    Ok(axum::Json(after))
}

/// Runs an offer's INSERT (`$14` is the time it was created) or UPDATE
/// (no `$14`): the same thirteen fields either way, `$1` the merchant or
/// the offer.
async fn write_offer(
    tx: &mut Transaction<'_, Any>,
    sql: &str,
    first: i64,
    o: &OfferInput,
    created_at: Option<i64>,
) -> AppResult<i64> {
    // Only the figure the kind uses is kept.
    let figure = |kind: &str, v: Option<i64>| if o.kind == kind { v } else { None };
    let mut q = sqlx::query(sql)
        .bind(first)
        .bind(o.title.trim())
        .bind(&o.kind)
        .bind(figure("percent", o.basis_points))
        .bind(figure("amount", o.amount_fen))
        .bind(figure("fixed", o.price_fen))
        .bind(o.min_spend_fen)
        .bind(o.max_discount_fen)
        .bind(&o.valid_from)
        .bind(&o.valid_to)
        .bind(o.weekdays)
        .bind(o.limit_count)
        .bind(o.limit_period.as_deref());
    if let Some(at) = created_at {
        q = q.bind(at);
    }
    let row = q.fetch_one(&mut **tx).await?;
    Ok(row.try_get(0)?)
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
    user: CurrentUser,
    Path(id): Path<i64>,
    Json(offer): Json<OfferInput>,
) -> AppResult<(StatusCode, axum::Json<StaffMerchant>)> {
    let (_, union_id) = scoped(&state, &user, id).await?;
    offer.check().map_err(|p| AppError::invalid(&p))?;
    let mut tx = state.db.write().begin().await?;
    let offer_id = write_offer(
        &mut tx,
        "INSERT INTO offers (merchant_id, title, kind, basis_points, amount_fen, price_fen, min_spend_fen,
            max_discount_fen, valid_from, valid_to, weekdays, limit_count, limit_period, status, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 'active', $14) RETURNING id",
        id,
        &offer,
        Some(time::now()),
    )
    .await?;
    refresh_search(&mut tx, id).await?;
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
    let after = load(&mut tx, id).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, axum::Json(after)))
}

/// The merchant of an offer, in scope.
async fn offer_scoped(state: &AppState, user: &CurrentUser, offer: i64) -> AppResult<(i64, i64)> {
    let merchant: i64 = sqlx::query_scalar("SELECT merchant_id FROM offers WHERE id = $1")
        .bind(offer)
        .fetch_optional(state.db.read())
        .await?
        .ok_or_else(AppError::not_found)?;
    let (_, union_id) = scoped(state, user, merchant).await?;
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
    user: CurrentUser,
    Path(id): Path<i64>,
    Json(offer): Json<OfferInput>,
) -> AppResult<axum::Json<StaffMerchant>> {
    let (merchant, union_id) = offer_scoped(&state, &user, id).await?;
    offer.check().map_err(|p| AppError::invalid(&p))?;
    let mut tx = state.db.write().begin().await?;
    let before = load(&mut tx, merchant).await?;
    write_offer(
        &mut tx,
        "UPDATE offers SET title = $2, kind = $3, basis_points = $4, amount_fen = $5, price_fen = $6,
            min_spend_fen = $7, max_discount_fen = $8, valid_from = $9, valid_to = $10, weekdays = $11,
            limit_count = $12, limit_period = $13
          WHERE id = $1 RETURNING id",
        id,
        &offer,
        None,
    )
    .await?;
    refresh_search(&mut tx, merchant).await?;
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
    let after = load(&mut tx, merchant).await?;
    tx.commit().await?;
    Ok(axum::Json(after))
}

/// Pauses or resumes an offer.
#[utoipa::path(
    post, path = "/api/staff/offers/{id}/status", tag = "staff",
    params(("id" = i64, Path, description = "Offer id")),
    request_body = StatusChange,
    responses(
        (status = 200, description = "Changed", body = StaffMerchant),
        (status = 404, description = "No such offer in your unions", body = ErrorBody),
        (status = 422, description = "Unknown status", body = ErrorBody),
    )
)]
async fn set_offer_status(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Json(change): Json<StatusChange>,
) -> AppResult<axum::Json<StaffMerchant>> {
    let (merchant, union_id) = offer_scoped(&state, &user, id).await?;
    if !matches!(change.status.as_str(), "active" | "paused") {
        return Err(AppError::unprocessable(
            "bad_status",
            "优惠只能是生效或暂停",
            "An offer is active or paused",
        )
        .with_field("status", "请选择一项", "Choose one"));
    }
    let mut tx = state.db.write().begin().await?;
    let before: String = sqlx::query_scalar("SELECT status FROM offers WHERE id = $1")
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
    sqlx::query("UPDATE offers SET status = $1 WHERE id = $2")
        .bind(&change.status)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    refresh_search(&mut tx, merchant).await?;
    audit::record(
        &mut tx,
        record(
            &user,
            union_id,
            AuditAction::OfferStatus,
            format!("offer:{id}"),
            Some(json!({"status": before})),
            Some(json!({"status": change.status})),
        ),
    )
    .await?;
    let after = load(&mut tx, merchant).await?;
    tx.commit().await?;
    Ok(axum::Json(after))
}
