//! The cashier's side: checking a member's e-card code at the till.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use unioncard_api::card::{mask_card_no, CardCheckRequest, CardCheckResult, CardStatus};
use unioncard_api::ecard::{self, EcardCode, Verdict};
use unioncard_api::error::FieldProblems;
use unioncard_api::identity::mask_name;
use unioncard_api::offers::{CashierDay, CashierRedemption, ConfirmRequest, NoDiscount, Worked};
use unioncard_api::ErrorBody;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{AppError, AppResult};
use crate::extract::{Cashier, Json};
use crate::routes::card::decrypt_secret;
use crate::routes::offers::limit_reached;
use crate::store::offers::TillRow;
use crate::{store, time, AppState};

/// The cashier routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(check_card))
        .routes(routes!(preview_redemption))
        .routes(routes!(confirm_redemption))
        .routes(routes!(today))
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
    Cashier { user, merchant_id }: Cashier,
    Json(req): Json<CardCheckRequest>,
) -> AppResult<axum::Json<CardCheckResult>> {
    let code = EcardCode::parse(&req.token).map_err(|p| {
        let mut problems = FieldProblems::default();
        problems.0.push(("token", p));
        AppError::invalid(&problems)
    })?;
    let row =
        store::merchants::device_for_check(&mut *state.db.reader().await?, code.device_id as i64)
            .await?;
    let now = time::now();
    let outcome = match &row {
        None => Err(invalid_code()),
        Some(row) if row.revoked_at.is_some() => Err(invalid_code()),
        Some(row) => {
            let secret = decrypt_secret(&state, &row.secret_enc)?;
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
    let card_id: Option<i64> = row.as_ref().map(|r| r.card_id);
    let result = match &outcome {
        Ok(()) => "valid",
        Err(e) if e.status() == StatusCode::GONE => "expired",
        Err(_) => "invalid",
    };
    store::merchants::record_card_check(
        &mut *state.db.writer().await?,
        card_id,
        merchant_id,
        user.id,
        result,
        now,
    )
    .await?;
    outcome?;
    let row = row.expect("a valid code has a device");
    Ok(axum::Json(CardCheckResult {
        holder_masked: mask_name(&row.name),
        union_name: row.union_name,
        card_status: CardStatus::from_db(&row.status)
            .ok_or_else(|| AppError::internal("unknown card status"))?,
        card_no_masked: mask_card_no(&row.card_no),
        checked_at: time::rfc3339(now),
    }))
}

fn unknown_code() -> AppError {
    AppError::new(
        StatusCode::NOT_FOUND,
        "unknown_code",
        "没有这个优惠码，请核对",
        "No such offer code; check it",
    )
}

/// The code's digits, whatever else the cashier typed.
fn digits(code: &str) -> String {
    code.chars().filter(|c| c.is_ascii_digit()).collect()
}

/// Everything about the code itself that must hold before it may be
/// confirmed, in the order a cashier needs the answer: unknown 404 (the
/// caller's), another merchant's 403, used 409, expired 410, then the
/// member's card (422); the limit ([`store::offers::limit_reached`]) and the
/// bill ([`worked_out`]) follow.
fn check_code(row: &TillRow, merchant_id: i64, now: i64) -> AppResult<()> {
    if row.merchant_id != merchant_id {
        return Err(AppError::forbidden(
            "other_merchant",
            "这是其他商户的优惠码，不能在本店使用",
            "This code is for another merchant's offer",
        ));
    }
    if row.status == "confirmed" {
        return Err(AppError::conflict(
            "already_used",
            "这个优惠码已经使用过了",
            "This code has already been used",
        ));
    }
    if row.expires_at <= now {
        return Err(AppError::new(
            StatusCode::GONE,
            "code_expired",
            "优惠码已过期，请会员重新获取",
            "This code has expired; the member can get a new one",
        ));
    }
    if row.card_status != "active" {
        return Err(AppError::unprocessable(
            "card_not_active",
            "会员卡不可用（已冻结或挂失），不能享受优惠",
            "The member's card is frozen or lost",
        ));
    }
    Ok(())
}

/// The offer's discount on this bill; 422 when the bill does not qualify.
fn worked_out(row: &TillRow, amount_fen: i64) -> AppResult<Worked> {
    let terms = row.terms.terms()?;
    terms.apply(amount_fen).map_err(|e| match e {
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
    })
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
    Cashier { merchant_id, .. }: Cashier,
    Path(code): Path<String>,
    Json(req): Json<ConfirmRequest>,
) -> AppResult<axum::Json<CashierRedemption>> {
    let now = time::now();
    // A preview only reads: the confirmation runs every check again under
    // the card's lock and is the one that counts. (Taking that lock here, on
    // a reader's connection, made SQLite refuse the preview whenever a write
    // landed between its read and the lock.)
    let mut conn = state.db.reader().await?;
    let row = store::offers::redemption_by_code(&mut conn, &digits(&code))
        .await?
        .ok_or_else(unknown_code)?;
    check_code(&row, merchant_id, now)?;
    let limit = row.terms.limit();
    if let Some(period) =
        store::offers::limit_reached(&mut conn, limit, row.card_id, row.offer_id, now).await?
    {
        return Err(limit_reached(period));
    }
    let worked = worked_out(&row, req.amount_fen)?;
    Ok(axum::Json(row.view(worked)))
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
    Cashier { user, merchant_id }: Cashier,
    Path(code): Path<String>,
    Json(req): Json<ConfirmRequest>,
) -> AppResult<axum::Json<CashierRedemption>> {
    let now = time::now();
    let mut tx = state.db.begin().await?;
    let row = store::offers::redemption_by_code(&mut tx, &digits(&code))
        .await?
        .ok_or_else(unknown_code)?;
    check_code(&row, merchant_id, now)?;
    // Serialise on the card: two live codes of one member confirmed at once
    // must not both pass a once-a-day limit (PostgreSQL would let both
    // counts run before either insert commits).
    store::lock_row(&mut tx, "cards", row.card_id).await?;
    let limit = row.terms.limit();
    if let Some(period) =
        store::offers::limit_reached(&mut tx, limit, row.card_id, row.offer_id, now).await?
    {
        return Err(limit_reached(period));
    }
    let worked = worked_out(&row, req.amount_fen)?;
    if !store::offers::confirm(&mut tx, row.id, user.id, worked, now).await? {
        return Err(AppError::conflict(
            "already_used",
            "这个优惠码已经使用过了",
            "This code has already been used",
        ));
    }
    tx.commit().await?;
    let mut view = row.view(worked);
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
    Cashier { merchant_id, .. }: Cashier,
) -> AppResult<axum::Json<CashierDay>> {
    let since = time::day_start(time::china_day(time::now()));
    let rows = store::offers::confirmed_at_merchant_since(
        &mut *state.db.reader().await?,
        merchant_id,
        since,
    )
    .await?;
    let items: Vec<CashierRedemption> = rows.iter().map(|r| r.view(r.worked())).collect();
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
