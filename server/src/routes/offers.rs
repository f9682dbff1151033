//! The discount directory and a member's side of redeeming: merchants near
//! me, a one-time code for an offer, what the card saved, complaints.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use rand::Rng;
use serde::Deserialize;
use unioncard_api::card::CardStatus;
use unioncard_api::join::Page;
use unioncard_api::offers::{
    usable_on, Category, ComplaintRefusal, ComplaintRequest, ComplaintView, HistoryItem,
    MerchantStatus, MerchantView, MyRedemptions, NotUsable, OfferRefusal, OfferStatus,
    RedemptionCode, Unavailable,
};
use unioncard_api::ErrorBody;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{AppError, AppResult};
use crate::extract::{CurrentUser, Json, Officer};
use crate::routes::card::member_card;
use crate::{idempotency, store, time, AppState};

/// How long a redemption code works.
pub const CODE_SECONDS: i64 = 10 * 60;

/// The directory and redemption routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_merchants))
        .routes(routes!(get_merchant))
        .routes(routes!(create_redemption))
        .routes(routes!(my_redemptions))
        .routes(routes!(create_complaint))
        .routes(routes!(my_complaints))
        .routes(routes!(add_photo, get_photo))
        .layer(axum::extract::DefaultBodyLimit::max(
            crate::uploads::MAX_FILE_BYTES + 64 * 1024,
        ))
}

/// Directory filters.
#[derive(Debug, Deserialize, IntoParams)]
pub struct MerchantQuery {
    /// `shopping`, `dining`, `medical`, `travel`, `culture` or `education`.
    pub category: Option<String>,
    /// Words from the name, district, address or offers.
    pub q: Option<String>,
    /// `LAT,LNG`: sort by distance from here.
    pub near: Option<String>,
    /// From the previous page's `next_cursor`.
    pub cursor: Option<String>,
    /// Page size (default 20, max 100).
    pub limit: Option<i64>,
}

/// Partner merchants with their offers: by category, by words, or nearest first.
#[utoipa::path(
    get, path = "/api/merchants", tag = "offers",
    params(MerchantQuery),
    responses(
        (status = 200, description = "A page of merchants", body = Page<MerchantView>),
        (status = 400, description = "Malformed parameters", body = ErrorBody),
    )
)]
async fn list_merchants(
    State(state): State<AppState>,
    Query(q): Query<MerchantQuery>,
) -> AppResult<axum::Json<Page<MerchantView>>> {
    let limit = q.limit.unwrap_or(20).clamp(1, 100);
    let category = match q.category.as_deref().filter(|c| !c.is_empty()) {
        Some(c) => Some(Category::from_db(c).ok_or_else(|| AppError::bad_param("category"))?),
        None => None,
    };
    let words = store::search::Words::parse(q.q.as_deref())?;
    let near = q.near.as_deref().map(parse_near).transpose()?;
    let after: i64 = match q.cursor.as_deref().filter(|c| !c.is_empty()) {
        Some(c) => c.parse().map_err(|_| AppError::bad_param("cursor"))?,
        None => 0,
    };
    // Nearest-first pages are positions in a sorted list: bounded, so a
    // forged cursor cannot make one request sort a whole region.
    if near.is_some() && !(0..=MAX_NEAR_OFFSET).contains(&after) {
        return Err(AppError::bad_param("cursor"));
    }
    let filter = store::merchants::MerchantFilter {
        category,
        words,
        near,
        after,
        limit,
    };
    // The directory may lag the last write by a moment: a replica's read.
    let mut conn = state.db.lagging().await?;
    let page = store::merchants::directory(&mut conn, &filter).await?;
    let typical: HashMap<i64, i64> = page
        .rows
        .iter()
        .map(|r| (r.id, r.typical_bill_fen))
        .collect();
    let ids: Vec<i64> = page.rows.iter().map(|r| r.id).collect();
    let offers = store::offers::active_offers_of(&mut conn, &ids).await?;
    let mut offers = store::offers::views_by_merchant(offers, &typical)?;
    let distances = page.distances;
    let mut items = page
        .rows
        .into_iter()
        .map(|r| {
            let id = r.id;
            r.into_view(
                offers.remove(&id).unwrap_or_default(),
                distances.get(&id).copied(),
            )
        })
        .collect::<AppResult<Vec<_>>>()?;
    if near.is_some() {
        items.sort_by_key(|m| (m.distance_m, m.id));
    }
    Ok(axum::Json(Page {
        items,
        next_cursor: page.next_cursor,
    }))
}

/// One merchant with its offers.
#[utoipa::path(
    get, path = "/api/merchants/{id}", tag = "offers",
    params(("id" = i64, Path, description = "Merchant id")),
    responses(
        (status = 200, description = "The merchant", body = MerchantView),
        (status = 404, description = "No such merchant", body = ErrorBody),
    )
)]
async fn get_merchant(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> AppResult<axum::Json<MerchantView>> {
    let mut conn = state.db.reader().await?;
    let row = store::merchants::active_merchant(&mut conn, id)
        .await?
        .ok_or_else(AppError::not_found)?;
    let offers = store::offers::active_offers_of(&mut conn, &[id]).await?;
    let typical = HashMap::from([(id, row.typical_bill_fen)]);
    let mut offers = store::offers::views_by_merchant(offers, &typical)?;
    Ok(axum::Json(
        row.into_view(offers.remove(&id).unwrap_or_default(), None)?,
    ))
}

/// Whether an offer can be used today; the reason in plain words when not.
pub fn offer_usable_today(offer: &store::offers::OfferRow, now: i64) -> AppResult<()> {
    if offer.status()? != OfferStatus::Active {
        return Err(OfferRefusal::NotAvailable(Unavailable::Offer).into());
    }
    let today = unioncard_api::identity::Date::from_days(time::china_day(now));
    match usable_on(&offer.valid_from, &offer.valid_to, offer.weekdays, today) {
        Ok(()) => Ok(()),
        Err(NotUsable::NotThisWeekday(_)) => Err(OfferRefusal::NotToday.into()),
        Err(_) => Err(OfferRefusal::NotAvailable(Unavailable::Offer).into()),
    }
}

/// A one-time code for an offer, valid for ten minutes.
#[utoipa::path(
    post, path = "/api/offers/{id}/redemptions", tag = "offers",
    params(("id" = i64, Path, description = "Offer id"), ("Idempotency-Key" = Option<String>, Header, description = "Replays the first answer")),
    responses(
        (status = 201, description = "The code for the cashier", body = RedemptionCode),
        (status = 404, description = "No such offer", body = ErrorBody),
        (status = 422, description = "Card not active, limit reached, or offer not usable today", body = ErrorBody),
    )
)]
async fn create_redemption(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(offer_id): Path<i64>,
) -> AppResult<Response> {
    let key = idempotency::key(
        &headers,
        &format!("POST /api/offers/{offer_id}/redemptions"),
        &(),
    );
    if let Some(first) = idempotency::replay(&state, user.id, key.as_ref()).await? {
        return Ok(first);
    }
    let card = member_card(&state, &user).await?;
    let found =
        store::offers::offer_with_merchant(&mut *state.db.reader().await?, offer_id).await?;
    let offer = found.ok_or_else(AppError::not_found)?;
    if card.status != CardStatus::Active {
        return Err(OfferRefusal::CardNotActive.into());
    }
    let now = time::now();
    offer_usable_today(&offer.offer, now)?;
    if offer.merchant_status()? != MerchantStatus::Active {
        return Err(OfferRefusal::NotAvailable(Unavailable::Merchant).into());
    }
    let mut tx = state.db.begin().await?;
    let limit = offer.offer.terms.limit();
    if let Some(period) =
        store::offers::limit_reached(&mut tx, limit, card.id, offer_id, now).await?
    {
        return Err(OfferRefusal::LimitReached(period).into());
    }
    // A double tap gets the code already waiting, not a second one.
    let waiting = store::offers::waiting_code(&mut tx, card.id, offer_id, now).await?;
    let (id, code, expires_at) = match waiting {
        Some(w) => (w.id, w.code, w.expires_at),
        None => {
            let mut attempt = 0;
            loop {
                let code = format!("{:010}", rand::thread_rng().gen_range(0..10_000_000_000u64));
                let new = store::offers::NewCode {
                    code: &code,
                    offer_id,
                    merchant_id: offer.offer.merchant_id,
                    card_id: card.id,
                    user_id: user.id,
                    created_at: now,
                    expires_at: now + CODE_SECONDS,
                };
                match store::offers::issue_code(&mut tx, &new).await? {
                    Some(id) => break (id, code, now + CODE_SECONDS),
                    // Given before (one in ten billion a draw): draw again.
                    None if attempt < 5 => attempt += 1,
                    None => return Err(AppError::internal("no free one-time code")),
                }
            }
        }
    };
    tx.commit().await?;
    let body = RedemptionCode {
        id,
        code,
        expires_at: time::rfc3339(expires_at),
        offer_title: offer.offer.title,
        merchant_name: offer.merchant_name,
    };
    idempotency::remember(&state, user.id, key.as_ref(), StatusCode::CREATED, &body).await?;
    Ok((StatusCode::CREATED, axum::Json(body)).into_response())
}

/// Paging for a member's history.
#[derive(Debug, Deserialize, IntoParams)]
pub struct HistoryQuery {
    /// From the previous page's `next_cursor`.
    pub cursor: Option<String>,
    /// Page size (default 20, max 100).
    pub limit: Option<i64>,
}

/// The member's confirmed uses, newest first, and what the card saved this year.
#[utoipa::path(
    get, path = "/api/me/redemptions", tag = "offers",
    params(HistoryQuery),
    responses((status = 200, description = "History and this year's saving", body = MyRedemptions))
)]
async fn my_redemptions(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<HistoryQuery>,
) -> AppResult<axum::Json<MyRedemptions>> {
    let card = member_card(&state, &user).await?;
    let limit = q.limit.unwrap_or(20).clamp(1, 100);
    let before: i64 = match q.cursor.as_deref().filter(|c| !c.is_empty()) {
        Some(c) => c.parse().map_err(|_| AppError::bad_param("cursor"))?,
        None => i64::MAX,
    };
    let mut conn = state.db.reader().await?;
    let mut rows = store::offers::history(&mut conn, card.id, before, limit + 1).await?;
    let next_cursor = if rows.len() as i64 > limit {
        rows.truncate(limit as usize);
        rows.last().map(|r| r.id.to_string())
    } else {
        None
    };
    let items = rows.into_iter().map(HistoryItem::from).collect();
    let year_saving_fen =
        store::offers::saving_since(&mut conn, card.id, time::year_start(time::now())).await?;
    Ok(axum::Json(MyRedemptions {
        items,
        next_cursor,
        year_saving_fen,
    }))
}

/// Loads one complaint.
async fn load_complaint(state: &AppState, id: i64) -> AppResult<ComplaintView> {
    let row = store::merchants::complaint(&mut *state.db.reader().await?, id)
        .await?
        .ok_or_else(AppError::not_found)?;
    row.try_into()
}

/// A position as `near=lat,lng` gives it; 400 `near` for anything else.
pub(crate) fn parse_near(n: &str) -> AppResult<(f64, f64)> {
    let bad = || AppError::bad_param("near");
    let (a, b) = n.split_once(',').ok_or_else(bad)?;
    let (lat, lng): (f64, f64) = (
        a.trim().parse().map_err(|_| bad())?,
        b.trim().parse().map_err(|_| bad())?,
    );
    if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lng) {
        return Err(bad());
    }
    Ok((lat, lng))
}

/// How far down a nearest-first list a phone may page (500 merchants).
const MAX_NEAR_OFFSET: i64 = 500;

/// Complaints one member may send in 24 hours.
pub const MAX_COMPLAINTS_PER_DAY: i64 = 10;

/// A member reports a merchant that refused or got the discount wrong.
#[utoipa::path(
    post, path = "/api/complaints", tag = "offers",
    request_body = ComplaintRequest,
    responses(
        (status = 201, description = "Filed; the merchant's union will look into it", body = ComplaintView),
        (status = 404, description = "No such merchant or use", body = ErrorBody),
        (status = 422, description = "Unknown kind or text too long", body = ErrorBody),
    )
)]
async fn create_complaint(
    State(state): State<AppState>,
    user: CurrentUser,
    Json(req): Json<ComplaintRequest>,
) -> AppResult<(StatusCode, axum::Json<ComplaintView>)> {
    let card = member_card(&state, &user).await?;
    if !matches!(req.kind.as_str(), "refused" | "wrong_discount" | "other") {
        return Err(ComplaintRefusal::BadKind.into());
    }
    let text = req.text.trim().to_string();
    if text.chars().count() > 500 {
        return Err(ComplaintRefusal::TooLong.into());
    }
    let mut conn = state.db.reader().await?;
    if !store::merchants::exists(&mut conn, req.merchant_id).await? {
        return Err(AppError::not_found());
    }
    if let Some(rid) = req.redemption_id {
        if !store::offers::is_card_use_at(&mut conn, rid, card.id, req.merchant_id).await? {
            return Err(AppError::not_found());
        }
    }
    drop(conn);
    // A member has a few complaints a day at most; past that it is a flood.
    // Counted and filed under the account's row lock, so a burst sent at
    // once cannot all pass the count.
    let mut tx = state.db.begin().await?;
    store::lock_row(&mut tx, "users", user.id).await?;
    let today =
        store::merchants::complaints_sent_since(&mut tx, user.id, time::now() - 86_400).await?;
    if today >= MAX_COMPLAINTS_PER_DAY {
        return Err(AppError::refused_retry(&ComplaintRefusal::TooMany, 3600));
    }
    let new = store::merchants::NewComplaint {
        merchant_id: req.merchant_id,
        user_id: user.id,
        redemption_id: req.redemption_id,
        kind: &req.kind,
        text: &text,
    };
    let id = store::merchants::file_complaint(&mut tx, &new, time::now()).await?;
    tx.commit().await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(load_complaint(&state, id).await?),
    ))
}

/// The member's own complaints and what became of them.
#[utoipa::path(
    get, path = "/api/me/complaints", tag = "offers",
    responses((status = 200, description = "The member's complaints, newest first", body = Page<ComplaintView>))
)]
async fn my_complaints(
    State(state): State<AppState>,
    user: CurrentUser,
) -> AppResult<axum::Json<Page<ComplaintView>>> {
    let rows = store::merchants::complaints_of(&mut *state.db.reader().await?, user.id).await?;
    Ok(axum::Json(Page::whole(
        rows.into_iter()
            .map(ComplaintView::try_from)
            .collect::<AppResult<_>>()?,
    )))
}

/// Adds a photo (JPEG or PNG, at most 10 MB) to the member's own complaint.
#[utoipa::path(
    post, path = "/api/complaints/{id}/photo", tag = "offers",
    params(("id" = i64, Path, description = "Complaint id")),
    request_body(content = String, content_type = "multipart/form-data", description = "One file field"),
    responses(
        (status = 201, description = "Stored", body = ComplaintView),
        (status = 404, description = "Not your complaint", body = ErrorBody),
        (status = 409, description = "It already has a photo", body = ErrorBody),
        (status = 413, description = "Over 10 MB", body = ErrorBody),
        (status = 422, description = "Not a JPEG or PNG image", body = ErrorBody),
    )
)]
async fn add_photo(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    form: axum::extract::Multipart,
) -> AppResult<(StatusCode, axum::Json<ComplaintView>)> {
    let mut conn = state.db.reader().await?;
    let owner = store::merchants::complaint_sender(&mut conn, id).await?;
    if owner != Some(user.id) {
        return Err(AppError::not_found());
    }
    let has = store::merchants::complaint_photo_name(&mut conn, id).await?;
    drop(conn);
    if has.is_some() {
        return Err(ComplaintRefusal::PhotoExists.into());
    }
    use crate::uploads::{receive, FileKind};
    let stored = receive(&state, form, &[FileKind::Jpeg, FileKind::Png]).await?;
    // Two uploads at once: the loser's file is deleted when `stored` drops.
    let attached = store::merchants::attach_photo(
        &mut *state.db.writer().await?,
        id,
        &stored.name,
        stored.kind.as_str(),
    )
    .await?;
    if !attached {
        return Err(ComplaintRefusal::PhotoExists.into());
    }
    stored.keep();
    Ok((
        StatusCode::CREATED,
        axum::Json(load_complaint(&state, id).await?),
    ))
}

/// A complaint's photo, for the member who sent it and officers over the merchant.
#[utoipa::path(
    get, path = "/api/complaints/{id}/photo", tag = "offers",
    params(("id" = i64, Path, description = "Complaint id")),
    responses(
        (status = 200, description = "The image", content_type = "image/jpeg"),
        (status = 404, description = "No photo you may see", body = ErrorBody),
    )
)]
async fn get_photo(
    State(state): State<AppState>,
    user: CurrentUser,
    officer: Option<Officer>,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let photo = store::merchants::complaint_photo(&mut *state.db.reader().await?, id)
        .await?
        .ok_or_else(AppError::not_found)?;
    let allowed = photo.user_id == user.id || officer.is_some_and(|o| o.scope.covers(&photo.path));
    match (allowed, photo.photo_name) {
        (true, Some(name)) => {
            let mime = if photo.photo_kind.as_deref() == Some("png") {
                "image/png"
            } else {
                "image/jpeg"
            };
            crate::uploads::serve(&state, &name, mime).await
        }
        _ => Err(AppError::not_found()),
    }
}
