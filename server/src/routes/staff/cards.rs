//! Officers find a card by its number and freeze or unfreeze it. Both are
//! audited. The number travels in the body, never in the URL, so it stays
//! out of access logs and proxies' logs. A frozen card's codes still scan, so the cashier sees "frozen"
//! rather than a puzzling error; a lost card's codes stop working entirely.

use axum::extract::State;
use serde_json::json;
use unioncard_api::audit::AuditAction;
use unioncard_api::card::{CardLookup, CardNumber, CardStatus, FreezeRefusal, StaffCardView};
use unioncard_api::ErrorBody;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::audit::{self, Entry};
use crate::error::{AppError, AppResult};
use crate::extract::{Json, Officer};
use crate::scope::Scope;
use crate::store::cards::StaffCardRow;
use crate::{store, AppState};

/// The card routes for officers.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(find_card))
        .routes(routes!(freeze))
        .routes(routes!(unfreeze))
}

struct Found {
    id: i64,
    union_id: i64,
    status: CardStatus,
    before_freeze: Option<String>,
    activated_at: Option<i64>,
    view: StaffCardView,
}

/// A card number as typed; 404 when it cannot be one.
fn card_number(card_no: &str) -> AppResult<CardNumber> {
    CardNumber::parse(card_no).map_err(|_| AppError::not_found())
}

/// The card read by [`store::cards::by_number`] when it is in the officer's
/// unions; 404 for an unknown card or one outside the scope.
fn found(row: Option<StaffCardRow>, scope: &Scope) -> AppResult<Found> {
    let row = row.ok_or_else(AppError::not_found)?;
    if !scope.covers(&row.path) {
        return Err(AppError::not_found());
    }
    let status = row.status()?;
    Ok(Found {
        id: row.id,
        union_id: row.union_id,
        status,
        view: row.view(status),
        before_freeze: row.status_before_freeze,
        activated_at: row.activated_at,
    })
}

/// A card of a member of the officer's unions, by its number.
#[utoipa::path(
    post, path = "/api/staff/cards/lookup", tag = "staff",
    request_body = CardLookup,
    responses(
        (status = 200, description = "The card", body = StaffCardView),
        (status = 404, description = "No such card in your unions", body = ErrorBody),
    )
)]
async fn find_card(
    State(state): State<AppState>,
    Officer { scope, .. }: Officer,
    Json(req): Json<CardLookup>,
) -> AppResult<axum::Json<StaffCardView>> {
    let card_no = card_number(&req.card_no)?;
    let row = store::cards::by_number(&mut *state.db.reader().await?, card_no.as_str()).await?;
    Ok(axum::Json(found(row, &scope)?.view))
}

/// Freezes a card (from issued or active).
#[utoipa::path(
    post, path = "/api/staff/cards/freeze", tag = "staff",
    request_body = CardLookup,
    responses(
        (status = 200, description = "Frozen", body = StaffCardView),
        (status = 404, description = "No such card in your unions", body = ErrorBody),
        (status = 409, description = "Already frozen, or lost", body = ErrorBody),
    )
)]
async fn freeze(
    State(state): State<AppState>,
    officer: Officer,
    Json(req): Json<CardLookup>,
) -> AppResult<axum::Json<StaffCardView>> {
    change(&state, &officer, &req.card_no, true).await
}

/// Unfreezes a card, back to what it was before.
#[utoipa::path(
    post, path = "/api/staff/cards/unfreeze", tag = "staff",
    request_body = CardLookup,
    responses(
        (status = 200, description = "Unfrozen", body = StaffCardView),
        (status = 404, description = "No such card in your unions", body = ErrorBody),
        (status = 409, description = "Not frozen", body = ErrorBody),
    )
)]
async fn unfreeze(
    State(state): State<AppState>,
    officer: Officer,
    Json(req): Json<CardLookup>,
) -> AppResult<axum::Json<StaffCardView>> {
    change(&state, &officer, &req.card_no, false).await
}

async fn change(
    state: &AppState,
    Officer { user, scope }: &Officer,
    card_no: &str,
    freeze: bool,
) -> AppResult<axum::Json<StaffCardView>> {
    let mut tx = state.db.begin().await?;
    let card_no = card_number(card_no)?;
    let card = found(
        store::cards::by_number(&mut tx, card_no.as_str()).await?,
        scope,
    )?;
    let (to, before_freeze) = match (freeze, card.status) {
        (true, CardStatus::Issued | CardStatus::Active) => {
            ("frozen", Some(card.status.as_str().to_string()))
        }
        (true, CardStatus::Frozen) => return Err(FreezeRefusal::AlreadyFrozen.into()),
        (true, CardStatus::Lost) | (false, CardStatus::Lost) => {
            return Err(FreezeRefusal::Lost.into())
        }
        (false, CardStatus::Frozen) => {
            let back = match (card.before_freeze.as_deref(), card.activated_at) {
                (Some("issued"), _) | (None, None) => "issued",
                _ => "active",
            };
            (back, None)
        }
        (false, _) => return Err(FreezeRefusal::NotFrozen.into()),
    };
    if !store::cards::set_status(&mut tx, card.id, card.status, to, before_freeze).await? {
        return Err(FreezeRefusal::ChangedMeanwhile.into());
    }
    audit::record(
        &mut tx,
        Entry {
            actor: Some(user.id),
            union_id: Some(card.union_id),
            action: if freeze {
                AuditAction::CardFreeze
            } else {
                AuditAction::CardUnfreeze
            },
            target: format!("card:{}", card.id),
            before: Some(json!({"status": card.status.as_str()})),
            after: Some(json!({"status": to})),
        },
    )
    .await?;
    tx.commit().await?;
    let row = store::cards::by_number(&mut *state.db.reader().await?, card_no.as_str()).await?;
    Ok(axum::Json(found(row, scope)?.view))
}
