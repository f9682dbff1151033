//! The discount directory and a member's side of redeeming: merchants near
//! me, a one-time code for an offer, what the card saved, complaints.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use rand::Rng;
use serde::Deserialize;
use sqlx::Row;
use unioncard_api::card::CardStatus;
use unioncard_api::join::Page;
use unioncard_api::offers::{
    distance_m, on_weekday, weekday_of, Category, ComplaintRequest, ComplaintView, DiscountRule,
    HistoryItem, Limit, LimitPeriod, MerchantView, MyRedemptions, OfferView, RedemptionCode, Terms,
};
use unioncard_api::ErrorBody;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{current_lang, AppError, AppResult};
use crate::extract::{CurrentUser, Json};
use crate::routes::auth::is_unique_violation;
use crate::routes::card::member_card;
use crate::{idempotency, time, AppState};

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

const MERCHANT_COLUMNS: &str =
    "id, name, category, district, address, hours, phone, lat_e6, lng_e6, typical_bill_fen";
const OFFER_COLUMNS: &str =
    "id, merchant_id, title, kind, basis_points, amount_fen, price_fen, min_spend_fen,
    max_discount_fen, valid_from, valid_to, weekdays, limit_count, limit_period, status";

/// An offer with its merchant's name and status.
pub const OFFER_WITH_MERCHANT: &str = "SELECT o.id, o.merchant_id, o.title, o.kind, o.basis_points, o.amount_fen,
        o.price_fen, o.min_spend_fen, o.max_discount_fen, o.valid_from, o.valid_to, o.weekdays, o.limit_count,
        o.limit_period, o.status, m.name AS merchant_name, m.status AS merchant_status
   FROM offers o JOIN merchants m ON m.id = o.merchant_id";

/// An offer's terms from its row.
pub fn terms_from_row(r: &sqlx::any::AnyRow) -> AppResult<Terms> {
    let kind: String = r.try_get("kind")?;
    let rule = match kind.as_str() {
        "percent" => DiscountRule::PercentOff {
            basis_points: r.try_get::<Option<i64>, _>("basis_points")?.unwrap_or(0),
        },
        "amount" => DiscountRule::AmountOff {
            amount_fen: r.try_get::<Option<i64>, _>("amount_fen")?.unwrap_or(0),
        },
        "fixed" => DiscountRule::FixedPrice {
            price_fen: r.try_get::<Option<i64>, _>("price_fen")?.unwrap_or(0),
        },
        _ => return Err(AppError::internal("unknown offer kind")),
    };
    Ok(Terms {
        rule,
        min_spend_fen: r.try_get("min_spend_fen")?,
        max_discount_fen: r.try_get("max_discount_fen")?,
    })
}

/// An offer's per-member limit from its row.
pub fn limit_from_row(r: &sqlx::any::AnyRow) -> AppResult<Option<Limit>> {
    let count: Option<i64> = r.try_get("limit_count")?;
    let period: Option<String> = r.try_get("limit_period")?;
    Ok(match (count, period.as_deref()) {
        (Some(count), Some("day")) => Some(Limit {
            count,
            period: LimitPeriod::Day,
        }),
        (Some(count), Some("month")) => Some(Limit {
            count,
            period: LimitPeriod::Month,
        }),
        _ => None,
    })
}

fn offer_view(r: &sqlx::any::AnyRow, typical_bill_fen: i64) -> AppResult<OfferView> {
    let terms = terms_from_row(r)?;
    let typical_saving_fen = terms
        .apply(typical_bill_fen.max(terms.min_spend_fen))
        .map(|w| w.discount_fen)
        .unwrap_or(0);
    Ok(OfferView {
        id: r.try_get("id")?,
        title: r.try_get("title")?,
        summary: terms.describe(current_lang()),
        terms,
        valid_from: r.try_get("valid_from")?,
        valid_to: r.try_get("valid_to")?,
        weekdays: r.try_get("weekdays")?,
        limit: limit_from_row(r)?,
        status: r.try_get("status")?,
        typical_saving_fen,
    })
}

fn merchant_view(
    r: &sqlx::any::AnyRow,
    offers: Vec<OfferView>,
    distance: Option<i64>,
) -> AppResult<MerchantView> {
    let category: String = r.try_get("category")?;
    Ok(MerchantView {
        id: r.try_get("id")?,
        name: r.try_get("name")?,
        category: Category::from_db(&category)
            .ok_or_else(|| AppError::internal("unknown category"))?,
        district: r.try_get("district")?,
        address: r.try_get("address")?,
        hours: r.try_get("hours")?,
        phone: r.try_get("phone")?,
        lat: r.try_get::<i64, _>("lat_e6")? as f64 / 1e6,
        lng: r.try_get::<i64, _>("lng_e6")? as f64 / 1e6,
        distance_m: distance,
        typical_bill_fen: r.try_get("typical_bill_fen")?,
        offers,
    })
}

/// The active offers of some merchants, by merchant.
async fn offers_of(
    state: &AppState,
    merchants: &[(i64, i64)],
) -> AppResult<HashMap<i64, Vec<OfferView>>> {
    if merchants.is_empty() {
        return Ok(HashMap::new());
    }
    let typical: HashMap<i64, i64> = merchants.iter().copied().collect();
    let list: Vec<String> = merchants.iter().map(|(id, _)| id.to_string()).collect();
    // Ids are integers we produced: safe to inline, and it keeps one statement.
    let rows = sqlx::query(&format!(
        "SELECT {OFFER_COLUMNS} FROM offers WHERE status = 'active' AND merchant_id IN ({}) ORDER BY id",
        list.join(",")
    ))
    .fetch_all(state.db.read())
    .await?;
    let mut out: HashMap<i64, Vec<OfferView>> = HashMap::new();
    for r in &rows {
        let mid: i64 = r.try_get("merchant_id")?;
        out.entry(mid)
            .or_default()
            .push(offer_view(r, typical.get(&mid).copied().unwrap_or(0))?);
    }
    Ok(out)
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
    let words = crate::store::contains_pattern(q.q.as_deref())?;
    let near = match q.near.as_deref() {
        Some(n) => {
            let (a, b) = n
                .split_once(',')
                .ok_or_else(|| AppError::bad_param("near"))?;
            let (lat, lng): (f64, f64) = (
                a.trim().parse().map_err(|_| AppError::bad_param("near"))?,
                b.trim().parse().map_err(|_| AppError::bad_param("near"))?,
            );
            if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lng) {
                return Err(AppError::bad_param("near"));
            }
            Some((lat, lng))
        }
        None => None,
    };
    let after: i64 = match q.cursor.as_deref().filter(|c| !c.is_empty()) {
        Some(c) => c.parse().map_err(|_| AppError::bad_param("cursor"))?,
        None => 0,
    };
    // Nearest-first pages are positions in a sorted list: bounded, so a
    // forged cursor cannot make one request sort a whole region.
    if near.is_some() && !(0..=MAX_NEAR_OFFSET).contains(&after) {
        return Err(AppError::bad_param("cursor"));
    }
    let mut filters = vec!["status = 'active'".to_string()];
    let mut binds: Vec<String> = Vec::new();
    if let Some(c) = category {
        binds.push(c.as_str().into());
        filters.push(format!("category = ${}", binds.len()));
    }
    if let Some(w) = &words {
        binds.push(w.clone());
        filters.push(format!("search_text LIKE ${} ESCAPE '\\'", binds.len()));
    }
    let (rows, distances, next_cursor) = if let Some((lat, lng)) = near {
        // Nearest first. A box around the point narrows the search in SQL; it
        // starts at about 1 km and doubles until the nearest `start + limit + 1`
        // merchants are certainly inside it (their distance is within the
        // box's half-width), so a dense city centre never loads the whole city.
        let (la, ln) = ((lat * 1e6) as i64, (lng * 1e6) as i64);
        let want = after.max(0) as usize + limit as usize + 1;
        let mut half_e6: i64 = 10_000;
        let mut found: Vec<(i64, i64)>;
        loop {
            let mut f = filters.clone();
            f.push(format!(
                "lat_e6 BETWEEN {} AND {} AND lng_e6 BETWEEN {} AND {}",
                la - half_e6,
                la + half_e6,
                ln - half_e6,
                ln + half_e6
            ));
            let sql = format!(
                "SELECT id, lat_e6, lng_e6 FROM merchants WHERE {}",
                f.join(" AND ")
            );
            let mut query = sqlx::query(&sql);
            for b in &binds {
                query = query.bind(b);
            }
            found = query
                .fetch_all(state.db.read())
                .await?
                .iter()
                .map(|r| {
                    let (a, b): (i64, i64) = (
                        r.try_get("lat_e6").unwrap_or(0),
                        r.try_get("lng_e6").unwrap_or(0),
                    );
                    (
                        r.try_get("id").unwrap_or(0),
                        distance_m(lat, lng, a as f64 / 1e6, b as f64 / 1e6).round() as i64,
                    )
                })
                .collect();
            // The smallest distance the box is sure to cover (longitude degrees shrink with latitude).
            let covered_m = half_e6 as f64 / 1e6 * 111_000.0 * lat.to_radians().cos();
            let inside = found
                .iter()
                .filter(|(_, d)| (*d as f64) <= covered_m)
                .count();
            if inside >= want || half_e6 >= 640_000 {
                break;
            }
            half_e6 *= 2;
        }
        found.sort_by_key(|(id, d)| (*d, *id));
        let start = after.max(0) as usize;
        let page: Vec<(i64, i64)> = found
            .iter()
            .skip(start)
            .take(limit as usize)
            .copied()
            .collect();
        let next = (found.len() > start + page.len()).then(|| (start + page.len()).to_string());
        let list: Vec<String> = page.iter().map(|(id, _)| id.to_string()).collect();
        let rows = if list.is_empty() {
            Vec::new()
        } else {
            sqlx::query(&format!(
                "SELECT {MERCHANT_COLUMNS} FROM merchants WHERE id IN ({})",
                list.join(",")
            ))
            .fetch_all(state.db.read())
            .await?
        };
        (rows, page.into_iter().collect::<HashMap<i64, i64>>(), next)
    } else {
        binds.push(after.to_string());
        filters.push(format!("id > CAST(${} AS BIGINT)", binds.len()));
        let sql = format!(
            "SELECT {MERCHANT_COLUMNS} FROM merchants WHERE {} ORDER BY id LIMIT {}",
            filters.join(" AND "),
            limit + 1
        );
        let mut query = sqlx::query(&sql);
        for b in &binds {
            query = query.bind(b);
        }
        let mut rows = query.fetch_all(state.db.read()).await?;
        let next = if rows.len() as i64 > limit {
            rows.truncate(limit as usize);
            rows.last()
                .and_then(|r| r.try_get::<i64, _>("id").ok())
                .map(|id| id.to_string())
        } else {
            None
        };
        (rows, HashMap::new(), next)
    };
    let keys: Vec<(i64, i64)> = rows
        .iter()
        .map(|r| Ok((r.try_get("id")?, r.try_get("typical_bill_fen")?)))
        .collect::<AppResult<_>>()?;
    let mut offers = offers_of(&state, &keys).await?;
    let mut items = rows
        .iter()
        .map(|r| {
            let id: i64 = r.try_get("id")?;
            merchant_view(
                r,
                offers.remove(&id).unwrap_or_default(),
                distances.get(&id).copied(),
            )
        })
        .collect::<AppResult<Vec<_>>>()?;
    if near.is_some() {
        items.sort_by_key(|m| (m.distance_m, m.id));
    }
    Ok(axum::Json(Page { items, next_cursor }))
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
    let row = sqlx::query(&format!(
        // A paused or ended partner is not shown, as in the directory.
        "SELECT {MERCHANT_COLUMNS} FROM merchants WHERE id = $1 AND status = 'active'"
    ))
    .bind(id)
    .fetch_optional(state.db.read())
    .await?
    .ok_or_else(AppError::not_found)?;
    let mut offers = offers_of(&state, &[(id, row.try_get("typical_bill_fen")?)]).await?;
    Ok(axum::Json(merchant_view(
        &row,
        offers.remove(&id).unwrap_or_default(),
        None,
    )?))
}

/// Whether an offer can be used today; the reason in plain words when not.
pub fn offer_usable_today(r: &sqlx::any::AnyRow, now: i64) -> AppResult<()> {
    let today = time::today_iso(now);
    let from: String = r.try_get("valid_from")?;
    let to: String = r.try_get("valid_to")?;
    let status: String = r.try_get("status")?;
    if status != "active" || today < from || today > to {
        return Err(AppError::unprocessable(
            "offer_not_available",
            "这项优惠目前不可用",
            "This offer is not available now",
        ));
    }
    if !on_weekday(r.try_get("weekdays")?, weekday_of(time::china_day(now))) {
        return Err(AppError::unprocessable(
            "not_today",
            "这项优惠今天不适用，请留意适用日期",
            "This offer does not apply today",
        ));
    }
    Ok(())
}

/// Whether the member has used up the offer's limit for this period.
pub async fn check_limit(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    limit: Option<Limit>,
    card_id: i64,
    offer_id: i64,
    now: i64,
) -> AppResult<()> {
    let Some(limit) = limit else { return Ok(()) };
    let since = match limit.period {
        LimitPeriod::Day => time::day_start(time::china_day(now)),
        LimitPeriod::Month => time::month_start(now),
    };
    let used: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM redemptions WHERE card_id = $1 AND offer_id = $2 AND status = 'confirmed' AND confirmed_at >= $3",
    )
    .bind(card_id)
    .bind(offer_id)
    .bind(since)
    .fetch_one(&mut **tx)
    .await?;
    if used >= limit.count {
        let (zh, en) = match limit.period {
            LimitPeriod::Day => (
                "这项优惠今天的次数已用完，明天再来吧",
                "You have used this offer as often as allowed today",
            ),
            LimitPeriod::Month => (
                "这项优惠本月的次数已用完",
                "You have used this offer as often as allowed this month",
            ),
        };
        return Err(AppError::unprocessable("limit_reached", zh, en));
    }
    Ok(())
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
    let offer = sqlx::query(&format!("{OFFER_WITH_MERCHANT} WHERE o.id = $1"))
        .bind(offer_id)
        .fetch_optional(state.db.read())
        .await?
        .ok_or_else(AppError::not_found)?;
    if card.status != CardStatus::Active {
        return Err(AppError::unprocessable(
            "card_not_active",
            "会员卡激活后才能使用优惠",
            "Activate your card to use offers",
        ));
    }
    let now = time::now();
    offer_usable_today(&offer, now)?;
    if offer.try_get::<String, _>("merchant_status")? != "active" {
        return Err(AppError::unprocessable(
            "offer_not_available",
            "这家商户目前暂停合作",
            "This merchant is not taking part now",
        ));
    }
    let mut tx = state.db.write().begin().await?;
    check_limit(&mut tx, limit_from_row(&offer)?, card.id, offer_id, now).await?;
    // A double tap gets the code already waiting, not a second one.
    let waiting = sqlx::query("SELECT id, code, expires_at FROM redemptions WHERE card_id = $1 AND offer_id = $2 AND status = 'issued' AND expires_at > $3 ORDER BY id DESC LIMIT 1")
        .bind(card.id)
        .bind(offer_id)
        .bind(now + 60)
        .fetch_optional(&mut *tx)
        .await?;
    let (id, code, expires_at) = match waiting {
        Some(r) => (
            r.try_get::<i64, _>("id")?,
            r.try_get::<String, _>("code")?,
            r.try_get::<i64, _>("expires_at")?,
        ),
        None => {
            let merchant_id: i64 = offer.try_get("merchant_id")?;
            let mut attempt = 0;
            loop {
                let code = format!("{:010}", rand::thread_rng().gen_range(0..10_000_000_000u64));
                let inserted = sqlx::query_scalar::<_, i64>(
                    "INSERT INTO redemptions (code, offer_id, merchant_id, card_id, user_id, status, created_at, expires_at)
                     VALUES ($1, $2, $3, $4, $5, 'issued', $6, $7) RETURNING id",
                )
                .bind(&code)
                .bind(offer_id)
                .bind(merchant_id)
                .bind(card.id)
                .bind(user.id)
                .bind(now)
                .bind(now + CODE_SECONDS)
                .fetch_one(&mut *tx)
                .await;
                match inserted {
                    Ok(id) => break (id, code, now + CODE_SECONDS),
                    Err(e) if is_unique_violation(&e) && attempt < 5 => attempt += 1,
                    Err(e) => return Err(e.into()),
                }
            }
        }
    };
    tx.commit().await?;
    let body = RedemptionCode {
        id,
        code,
        expires_at: time::rfc3339(expires_at),
        offer_title: offer.try_get("title")?,
        merchant_name: offer.try_get("merchant_name")?,
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
    let mut rows = sqlx::query(
        "SELECT r.id, r.merchant_id, m.name AS merchant_name, o.title, r.confirmed_at, r.bill_fen, r.discount_fen
           FROM redemptions r JOIN merchants m ON m.id = r.merchant_id JOIN offers o ON o.id = r.offer_id
          WHERE r.card_id = $1 AND r.status = 'confirmed' AND r.id < $2 ORDER BY r.id DESC LIMIT $3",
    )
    .bind(card.id)
    .bind(before)
    .bind(limit + 1)
    .fetch_all(state.db.read())
    .await?;
    let next_cursor = if rows.len() as i64 > limit {
        rows.truncate(limit as usize);
        rows.last()
            .and_then(|r| r.try_get::<i64, _>("id").ok())
            .map(|id| id.to_string())
    } else {
        None
    };
    let items = rows
        .iter()
        .map(|r| {
            Ok(HistoryItem {
                id: r.try_get("id")?,
                merchant_id: r.try_get("merchant_id")?,
                merchant_name: r.try_get("merchant_name")?,
                offer_title: r.try_get("title")?,
                at: time::rfc3339(r.try_get::<Option<i64>, _>("confirmed_at")?.unwrap_or(0)),
                bill_fen: r.try_get::<Option<i64>, _>("bill_fen")?.unwrap_or(0),
                saving_fen: r.try_get::<Option<i64>, _>("discount_fen")?.unwrap_or(0),
            })
        })
        .collect::<AppResult<Vec<_>>>()?;
    let year_saving_fen: i64 = sqlx::query_scalar(
        "SELECT CAST(COALESCE(SUM(discount_fen), 0) AS BIGINT) FROM redemptions
          WHERE card_id = $1 AND status = 'confirmed' AND confirmed_at >= $2",
    )
    .bind(card.id)
    .bind(time::year_start(time::now()))
    .fetch_one(state.db.read())
    .await?;
    Ok(axum::Json(MyRedemptions {
        items,
        next_cursor,
        year_saving_fen,
    }))
}

const COMPLAINT_SELECT: &str = "SELECT c.id, c.merchant_id, m.name AS merchant_name, c.kind, c.text, c.status, c.note, c.created_at,
        c.photo_name, c.photo_kind, c.user_id,
        (SELECT COUNT(*) FROM complaints o WHERE o.merchant_id = c.merchant_id AND o.status = 'open') AS open_count
   FROM complaints c JOIN merchants m ON m.id = c.merchant_id";

/// A complaint from a row of [`COMPLAINT_SELECT`].
pub fn complaint_from_row(r: &sqlx::any::AnyRow) -> AppResult<ComplaintView> {
    Ok(ComplaintView {
        id: r.try_get("id")?,
        merchant_id: r.try_get("merchant_id")?,
        merchant_name: r.try_get("merchant_name")?,
        kind: r.try_get("kind")?,
        text: r.try_get("text")?,
        status: r.try_get("status")?,
        note: r.try_get("note")?,
        created_at: time::rfc3339(r.try_get("created_at")?),
        merchant_open_complaints: r.try_get("open_count")?,
        has_photo: r.try_get::<Option<String>, _>("photo_name")?.is_some(),
    })
}

/// Loads one complaint.
pub async fn load_complaint(state: &AppState, id: i64) -> AppResult<ComplaintView> {
    let row = sqlx::query(&format!("{COMPLAINT_SELECT} WHERE c.id = $1"))
        .bind(id)
        .fetch_optional(state.db.read())
        .await?
        .ok_or_else(AppError::not_found)?;
    complaint_from_row(&row)
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
        return Err(AppError::unprocessable(
            "bad_kind",
            "请选择问题类型",
            "Choose what went wrong",
        )
        .with_field("kind", "请选择", "Choose one"));
    }
    let text = req.text.trim().to_string();
    if text.chars().count() > 500 {
        return Err(AppError::unprocessable(
            "too_long",
            "描述最多 500 字",
            "At most 500 characters",
        )
        .with_field("text", "最多 500 字", "At most 500 characters"));
    }
    let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM merchants WHERE id = $1")
        .bind(req.merchant_id)
        .fetch_optional(state.db.read())
        .await?;
    exists.ok_or_else(AppError::not_found)?;
    // A member has a few complaints a day at most; past that it is a flood.
    let today: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM complaints WHERE user_id = $1 AND created_at > $2",
    )
    .bind(user.id)
    .bind(time::now() - 86_400)
    .fetch_one(state.db.read())
    .await?;
    if today >= MAX_COMPLAINTS_PER_DAY {
        return Err(AppError::too_many_with(
            "too_many_complaints",
            "今天已提交多次投诉，请明天再试或拨打工会服务热线 12351",
            "You have sent many complaints today; try tomorrow or call the union hotline 12351",
            3600,
        ));
    }
    if let Some(rid) = req.redemption_id {
        let own: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM redemptions WHERE id = $1 AND card_id = $2 AND merchant_id = $3",
        )
        .bind(rid)
        .bind(card.id)
        .bind(req.merchant_id)
        .fetch_optional(state.db.read())
        .await?;
        own.ok_or_else(AppError::not_found)?;
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO complaints (merchant_id, user_id, redemption_id, kind, text, status, created_at)
         VALUES ($1, $2, $3, $4, $5, 'open', $6) RETURNING id",
    )
    .bind(req.merchant_id)
    .bind(user.id)
    .bind(req.redemption_id)
    .bind(&req.kind)
    .bind(&text)
    .bind(time::now())
    .fetch_one(state.db.write())
    .await?;
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
    let rows = sqlx::query(&format!(
        "{COMPLAINT_SELECT} WHERE c.user_id = $1 ORDER BY c.id DESC LIMIT 100"
    ))
    .bind(user.id)
    .fetch_all(state.db.read())
    .await?;
    let items = rows
        .iter()
        .map(complaint_from_row)
        .collect::<AppResult<Vec<_>>>()?;
    Ok(axum::Json(Page::whole(items)))
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
    let owner: Option<i64> = sqlx::query_scalar("SELECT user_id FROM complaints WHERE id = $1")
        .bind(id)
        .fetch_optional(state.db.read())
        .await?;
    if owner != Some(user.id) {
        return Err(AppError::not_found());
    }
    let exists = || {
        AppError::conflict(
            "photo_exists",
            "已经上传过照片",
            "A photo is already attached",
        )
    };
    let has: Option<String> = sqlx::query_scalar("SELECT photo_name FROM complaints WHERE id = $1")
        .bind(id)
        .fetch_one(state.db.read())
        .await?;
    if has.is_some() {
        return Err(exists());
    }
    use crate::uploads::{receive, FileKind};
    let stored = receive(&state, form, &[FileKind::Jpeg, FileKind::Png]).await?;
    // Two uploads at once: the loser's file is deleted when `stored` drops.
    let done = sqlx::query("UPDATE complaints SET photo_name = $1, photo_kind = $2 WHERE id = $3 AND photo_name IS NULL")
        .bind(&stored.name)
        .bind(stored.kind.as_str())
        .bind(id)
        .execute(state.db.write())
        .await?;
    if done.rows_affected() != 1 {
        return Err(exists());
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
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let row = sqlx::query(
        "SELECT c.user_id, c.photo_name, c.photo_kind, u.path FROM complaints c
           JOIN merchants m ON m.id = c.merchant_id JOIN unions u ON u.id = m.union_id WHERE c.id = $1",
    )
    .bind(id)
    .fetch_optional(state.db.read())
    .await?
    .ok_or_else(AppError::not_found)?;
    let owner: i64 = row.try_get("user_id")?;
    let allowed = owner == user.id
        || match crate::scope::Scope::of(&state, &user).await {
            Ok(scope) => scope.covers(&row.try_get::<String, _>("path")?),
            Err(_) => false,
        };
    let name: Option<String> = row.try_get("photo_name")?;
    match (allowed, name) {
        (true, Some(name)) => {
            let mime = if row.try_get::<Option<String>, _>("photo_kind")?.as_deref() == Some("png")
            {
                "image/png"
            } else {
                "image/jpeg"
            };
            crate::uploads::serve(&state, &name, mime).await
        }
        _ => Err(AppError::not_found()),
    }
}
