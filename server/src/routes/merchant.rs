//! The cashier's side: checking a member's e-card code at the till.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use sqlx::Row;
use unioncard_api::auth::Role;
use unioncard_api::card::{mask_card_no, CardCheckRequest, CardCheckResult, CardStatus};
use unioncard_api::ecard::{self, EcardCode, Verdict};
use unioncard_api::error::FieldProblems;
use unioncard_api::identity::mask_name;
use unioncard_api::offers::{CashierDay, CashierRedemption, ConfirmRequest, NoDiscount, Worked};
use unioncard_api::ErrorBody;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{AppError, AppResult};
use crate::extract::{CurrentUser, Json};
use crate::routes::card::decrypt_secret;
use crate::{time, AppState};

/// The cashier routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(check_card))
        .routes(routes!(preview_redemption))
        .routes(routes!(confirm_redemption))
        .routes(routes!(today))
}

/// The signed-in cashier's merchant; 403 for anyone else.
pub fn cashier_merchant(user: &CurrentUser) -> AppResult<i64> {
    match (user.role, user.merchant_id) {
        (Role::Cashier, Some(m)) => Ok(m),
        _ => Err(AppError::forbidden(
            "cashiers_only",
            "仅合作商户收银员可以使用",
            "Only partner merchants' cashiers can do this",
        )),
    }
}

fn invalid_code() -> AppError {
    AppError::unprocessable(
        "invalid_code",
        "会员码无效，请让会员刷新后重新出示",
        "This member code is not valid; ask the member to show a fresh one",
    )
}

/// Checks a member's e-card code: who they are (masked) and whether the card is active.
#[utoipa::path(
    post, path = "/api/merchant/card-checks", tag = "merchant",
    request_body = CardCheckRequest,
    responses(
        (status = 200, description = "The card behind the code", body = CardCheckResult),
        (status = 403, description = "Not a cashier", body = ErrorBody),
        (status = 410, description = "The code expired (a screenshot, or shown too long)", body = ErrorBody),
        (status = 422, description = "Forged, mistyped, or from a revoked phone", body = ErrorBody),
    )
)]
async fn check_card(
    State(state): State<AppState>,
    user: CurrentUser,
    Json(req): Json<CardCheckRequest>,
) -> AppResult<axum::Json<CardCheckResult>> {
    let merchant_id = cashier_merchant(&user)?;
    let code = EcardCode::parse(&req.token).map_err(|p| {
        let mut problems = FieldProblems::default();
        problems.0.push(("token", p));
        AppError::invalid(&problems)
    })?;
    let row = sqlx::query(
        "SELECT d.secret_enc, d.revoked_at, c.id AS card_id, c.card_no, c.status, r.name, u.name AS union_name
           FROM card_devices d JOIN cards c ON c.id = d.card_id
           JOIN roster_entries r ON r.id = c.roster_id JOIN unions u ON u.id = r.union_id
          WHERE d.id = $1",
    )
    .bind(code.device_id as i64)
    .fetch_optional(state.db.read())
    .await?;
    let now = time::now();
    let outcome = match &row {
        None => Err(invalid_code()),
        Some(row) if row.try_get::<Option<i64>, _>("revoked_at")?.is_some() => Err(invalid_code()),
        Some(row) => {
            let secret = decrypt_secret(&state, &row.try_get::<String, _>("secret_enc")?)?;
            match code.verify(&secret, ecard::step_at(now as u64)) {
                Verdict::Valid => Ok(()),
                Verdict::Expired => Err(AppError::new(
                    StatusCode::GONE,
                    "code_expired",
                    "会员码已过期，请让会员刷新后重新出示",
                    "This member code has expired; ask the member to show a fresh one",
                )),
                Verdict::Invalid => Err(invalid_code()),
            }
        }
    };
    let card_id: Option<i64> = match &row {
        Some(r) => r.try_get("card_id")?,
        None => None,
    };
    let result = match &outcome {
        Ok(()) => "valid",
        Err(e) if e.status() == StatusCode::GONE => "expired",
        Err(_) => "invalid",
    };
    sqlx::query("INSERT INTO card_checks (card_id, merchant_id, cashier_id, result, at) VALUES ($1, $2, $3, $4, $5)")
        .bind(card_id)
        .bind(merchant_id)
        .bind(user.id)
        .bind(result)
        .bind(now)
        .execute(state.db.write())
        .await?;
    outcome?;
    let row = row.expect("a valid code has a device");
    let status: String = row.try_get("status")?;
    Ok(axum::Json(CardCheckResult {
        holder_masked: mask_name(&row.try_get::<String, _>("name")?),
        union_name: row.try_get("union_name")?,
        card_status: CardStatus::from_db(&status)
            .ok_or_else(|| AppError::internal("unknown card status"))?,
        card_no_masked: mask_card_no(&row.try_get::<String, _>("card_no")?),
        checked_at: time::rfc3339(now),
    }))
}

const REDEMPTION_SELECT: &str = "SELECT r.id, r.code, r.offer_id, r.merchant_id, r.card_id, r.status, r.expires_at,
        r.confirmed_at, r.bill_fen, r.discount_fen, r.pay_fen, c.status AS card_status, p.name AS member_name,
        o.title, o.kind, o.basis_points, o.amount_fen, o.price_fen, o.min_spend_fen, o.max_discount_fen,
        o.limit_count, o.limit_period
   FROM redemptions r JOIN offers o ON o.id = r.offer_id JOIN cards c ON c.id = r.card_id
   JOIN roster_entries p ON p.id = c.roster_id";

fn cashier_view(r: &sqlx::any::AnyRow, worked: Worked) -> AppResult<CashierRedemption> {
    Ok(CashierRedemption {
        code: r.try_get("code")?,
        offer_title: r.try_get("title")?,
        member_masked: mask_name(&r.try_get::<String, _>("member_name")?),
        worked,
        status: r.try_get("status")?,
        confirmed_at: r
            .try_get::<Option<i64>, _>("confirmed_at")?
            .map(time::rfc3339),
    })
}

/// Everything that must hold before a code may be confirmed, in the order a
/// cashier needs the answer: unknown 404, another merchant's 403, used 409,
/// expired 410, then the member's card, limit and the bill (422).
async fn checked_redemption(
    state: &AppState,
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    merchant_id: i64,
    code: &str,
    amount_fen: i64,
    now: i64,
) -> AppResult<(sqlx::any::AnyRow, Worked)> {
    let _ = state;
    let code: String = code.chars().filter(|c| c.is_ascii_digit()).collect();
    let row = sqlx::query(&format!("{REDEMPTION_SELECT} WHERE r.code = $1"))
        .bind(&code)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or_else(|| {
            AppError::new(
                StatusCode::NOT_FOUND,
                "unknown_code",
                "没有这个优惠码，请核对",
                "No such offer code; check it",
            )
        })?;
    if row.try_get::<i64, _>("merchant_id")? != merchant_id {
        return Err(AppError::forbidden(
            "other_merchant",
            "这是其他商户的优惠码，不能在本店使用",
            "This code is for another merchant's offer",
        ));
    }
    if row.try_get::<String, _>("status")? == "confirmed" {
        return Err(AppError::conflict(
            "already_used",
            "这个优惠码已经使用过了",
            "This code has already been used",
        ));
    }
    if row.try_get::<i64, _>("expires_at")? <= now {
        return Err(AppError::new(
            StatusCode::GONE,
            "code_expired",
            "优惠码已过期，请会员重新获取",
            "This code has expired; the member can get a new one",
        ));
    }
    if row.try_get::<String, _>("card_status")? != "active" {
        return Err(AppError::unprocessable(
            "card_not_active",
            "会员卡不可用（已冻结或挂失），不能享受优惠",
            "The member's card is frozen or lost",
        ));
    }
    // Serialise on the card: two live codes of one member confirmed at once
    // must not both pass a once-a-day limit (PostgreSQL would let both
    // counts run before either insert commits).
    crate::store::lock_row(tx, "cards", row.try_get("card_id")?).await?;
    crate::routes::offers::check_limit(
        tx,
        crate::routes::offers::limit_from_row(&row)?,
        row.try_get("card_id")?,
        row.try_get("offer_id")?,
        now,
    )
    .await?;
    let terms = crate::routes::offers::terms_from_row(&row)?;
    let worked = terms.apply(amount_fen).map_err(|e| match e {
        NoDiscount::EmptyBill => {
            AppError::unprocessable("bad_amount", "请输入账单金额", "Enter the bill amount")
                .with_field("amount_fen", "请输入账单金额", "Enter the bill amount")
        }
        NoDiscount::BillTooLarge => AppError::unprocessable(
            "amount_too_large",
            "账单金额超出上限（¥100,000,000.00）",
            "The bill is above the limit (¥100,000,000.00)",
        )
        .with_field("amount_fen", "金额过大", "Amount too large"),
        NoDiscount::BelowMinimum { .. } => AppError::unprocessable(
            "below_minimum",
            "账单未达到这项优惠的最低消费",
            "The bill is below this offer's minimum spend",
        )
        .with_field("amount_fen", "未达到最低消费", "Below the minimum spend"),
    })?;
    Ok((row, worked))
}

/// Shows the cashier the discount on a bill before confirming.
#[utoipa::path(
    post, path = "/api/merchant/redemptions/{code}/preview", tag = "merchant",
    params(("code" = String, Path, description = "The member's 10-digit code")),
    request_body = ConfirmRequest,
    responses(
        (status = 200, description = "What the discount would be", body = CashierRedemption),
        (status = 403, description = "Not a cashier, or another merchant's code", body = ErrorBody),
        (status = 404, description = "Unknown code", body = ErrorBody),
        (status = 409, description = "Already used", body = ErrorBody),
        (status = 410, description = "Expired", body = ErrorBody),
        (status = 422, description = "Card not active, limit reached, bill below minimum", body = ErrorBody),
    )
)]
async fn preview_redemption(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(code): Path<String>,
    Json(req): Json<ConfirmRequest>,
) -> AppResult<axum::Json<CashierRedemption>> {
    let merchant_id = cashier_merchant(&user)?;
    let mut tx = state.db.read().begin().await?;
    let (row, worked) = checked_redemption(
        &state,
        &mut tx,
        merchant_id,
        &code,
        req.amount_fen,
        time::now(),
    )
    .await?;
    tx.rollback().await?;
    Ok(axum::Json(cashier_view(&row, worked)?))
}

/// Confirms a member's code with the bill: applies the discount, exactly once.
#[utoipa::path(
    post, path = "/api/merchant/redemptions/{code}/confirm", tag = "merchant",
    params(("code" = String, Path, description = "The member's 10-digit code")),
    request_body = ConfirmRequest,
    responses(
        (status = 200, description = "Confirmed with the discount applied", body = CashierRedemption),
        (status = 403, description = "Not a cashier, or another merchant's code", body = ErrorBody),
        (status = 404, description = "Unknown code", body = ErrorBody),
        (status = 409, description = "Already used", body = ErrorBody),
        (status = 410, description = "Expired", body = ErrorBody),
        (status = 422, description = "Card not active, limit reached, bill below minimum", body = ErrorBody),
    )
)]
async fn confirm_redemption(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(code): Path<String>,
    Json(req): Json<ConfirmRequest>,
) -> AppResult<axum::Json<CashierRedemption>> {
    let merchant_id = cashier_merchant(&user)?;
    let now = time::now();
    let mut tx = state.db.write().begin().await?;
    let (row, worked) =
        checked_redemption(&state, &mut tx, merchant_id, &code, req.amount_fen, now).await?;
    // The one place a code changes state: only a request that still finds it
    // 'issued' wins, however many cashiers, taps or retries arrive at once.
    let done = sqlx::query(
        "UPDATE redemptions SET status = 'confirmed', confirmed_at = $1, cashier_id = $2, bill_fen = $3,
                discount_fen = $4, pay_fen = $5
          WHERE id = $6 AND status = 'issued' AND expires_at > $1",
    )
    .bind(now)
    .bind(user.id)
    .bind(worked.bill_fen)
    .bind(worked.discount_fen)
    .bind(worked.pay_fen)
    .bind(row.try_get::<i64, _>("id")?)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() != 1 {
        return Err(AppError::conflict(
            "already_used",
            "这个优惠码已经使用过了",
            "This code has already been used",
        ));
    }
    tx.commit().await?;
    let mut view = cashier_view(&row, worked)?;
    view.status = "confirmed".into();
    view.confirmed_at = Some(time::rfc3339(now));
    Ok(axum::Json(view))
}

/// Today's confirmed uses at the cashier's merchant, with totals.
#[utoipa::path(
    get, path = "/api/merchant/today", tag = "merchant",
    responses(
        (status = 200, description = "Today's uses and totals", body = CashierDay),
        (status = 403, description = "Not a cashier", body = ErrorBody),
    )
)]
async fn today(
    State(state): State<AppState>,
    user: CurrentUser,
) -> AppResult<axum::Json<CashierDay>> {
    let merchant_id = cashier_merchant(&user)?;
    let since = time::day_start(time::china_day(time::now()));
    let rows = sqlx::query(&format!(
        "{REDEMPTION_SELECT} WHERE r.merchant_id = $1 AND r.status = 'confirmed' AND r.confirmed_at >= $2
          ORDER BY r.confirmed_at DESC LIMIT 500"
    ))
    .bind(merchant_id)
    .bind(since)
    .fetch_all(state.db.read())
    .await?;
    let items = rows
        .iter()
        .map(|r| {
            let worked = Worked {
                bill_fen: r.try_get::<Option<i64>, _>("bill_fen")?.unwrap_or(0),
                discount_fen: r.try_get::<Option<i64>, _>("discount_fen")?.unwrap_or(0),
                pay_fen: r.try_get::<Option<i64>, _>("pay_fen")?.unwrap_or(0),
            };
            cashier_view(r, worked)
        })
        .collect::<AppResult<Vec<_>>>()?;
    // Totals never wrap, whatever the rows hold (rows written before the
    // money ceiling existed could be near the 64-bit limit).
    let bills_fen = unioncard_api::money::sum(items.iter().map(|i| i.worked.bill_fen));
    let discounts_fen = unioncard_api::money::sum(items.iter().map(|i| i.worked.discount_fen));
    Ok(axum::Json(CashierDay {
        items,
        bills_fen,
        discounts_fen,
    }))
}
