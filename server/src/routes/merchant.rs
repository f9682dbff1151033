//! The cashier's side: checking a member's e-card code at the till.

use axum::extract::{Path, State};
use unioncard_api::card::{mask_card_no, CardCheckRequest, CardCheckResult, CardStatus};
use unioncard_api::ecard::{self, EcardCode, EcardRefusal, Verdict};
use unioncard_api::error::FieldProblems;
use unioncard_api::identity::mask_name;
use unioncard_api::offers::{
    CashierDay, CashierRedemption, ConfirmRequest, OfferRefusal, RedemptionStatus, TillRefusal,
    Worked,
};
use unioncard_api::ErrorBody;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{AppError, AppResult};
use crate::extract::{Cashier, Json};
use crate::routes::card::decrypt_secret;
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
        None => Err(EcardRefusal::Invalid),
        Some(row) if row.revoked_at.is_some() => Err(EcardRefusal::Invalid),
        Some(row) => {
            let secret = decrypt_secret(&state, &row.secret_enc)?;
            match code.verify(&secret, ecard::step_at(now as u64)) {
                Verdict::Valid => Ok(()),
                Verdict::Expired => Err(EcardRefusal::Expired),
                Verdict::Invalid => Err(EcardRefusal::Invalid),
            }
        }
    };
    let card_id: Option<i64> = row.as_ref().map(|r| r.card_id);
    let result = match outcome {
        Ok(()) => "valid",
        Err(EcardRefusal::Expired) => "expired",
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
        return Err(TillRefusal::OtherMerchant.into());
    }
    if !row.status()?.may_confirm() {
        return Err(TillRefusal::AlreadyUsed.into());
    }
    if row.expires_at <= now {
        return Err(TillRefusal::CodeExpired.into());
    }
    if CardStatus::from_db(&row.card_status) != Some(CardStatus::Active) {
        return Err(TillRefusal::CardNotActive.into());
    }
    Ok(())
}

/// The offer's discount on this bill; 422 when the bill does not qualify.
fn worked_out(row: &TillRow, amount_fen: i64) -> AppResult<Worked> {
    let terms = row.terms.terms()?;
    // A bill that gets no discount is refused on `amount_fen`, with the words
    // NoDiscount carries.
    Ok(terms.apply(amount_fen)?)
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
        .ok_or(TillRefusal::UnknownCode)?;
    check_code(&row, merchant_id, now)?;
    let limit = row.terms.limit();
    if let Some(period) =
        store::offers::limit_reached(&mut conn, limit, row.card_id, row.offer_id, now).await?
    {
        return Err(OfferRefusal::LimitReached(period).into());
    }
    let worked = worked_out(&row, req.amount_fen)?;
    Ok(axum::Json(row.view(worked)?))
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
        .ok_or(TillRefusal::UnknownCode)?;
    check_code(&row, merchant_id, now)?;
    // Serialise on the card: two live codes of one member confirmed at once
    // must not both pass a once-a-day limit (PostgreSQL would let both
    // counts run before either insert commits).
    store::lock_row(&mut tx, "cards", row.card_id).await?;
    let limit = row.terms.limit();
    if let Some(period) =
        store::offers::limit_reached(&mut tx, limit, row.card_id, row.offer_id, now).await?
    {
        return Err(OfferRefusal::LimitReached(period).into());
    }
    let worked = worked_out(&row, req.amount_fen)?;
    if !store::offers::confirm(&mut tx, &row, user.id, worked, now).await? {
        return Err(TillRefusal::AlreadyUsed.into());
    }
    tx.commit().await?;
    let mut view = row.view(worked)?;
    view.status = RedemptionStatus::Confirmed;
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
    let items = rows
        .iter()
        .map(|r| r.view(r.worked()))
        .collect::<AppResult<Vec<CashierRedemption>>>()?;
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
