//! Officers find a card by its number (or its holder's ID number) and
//! freeze, unfreeze or replace it (补卡: a lost card under a new number,
//! its history kept). Each is audited. The number travels in the body, never in the URL, so it stays
//! out of access logs and proxies' logs. A frozen card's codes still scan, so the cashier sees "frozen"
//! rather than a puzzling error; a lost card's codes stop working entirely.

use axum::extract::State;
use serde_json::json;
use unioncard_api::audit::AuditAction;
use unioncard_api::card::{
    mask_card_no, CardLookup, CardNumber, CardReplaced, CardStatus, FreezeRefusal, StaffCardView,
};
use unioncard_api::identity::IdNumber;
use unioncard_api::inbox::Letter;
use unioncard_api::ErrorBody;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::audit::{self, Entry};
use crate::error::{AppError, AppResult};
use crate::extract::{Json, Officer};
use crate::scope::Scope;
use crate::store::cards::StaffCardRow;
use crate::{store, time, AppState};

/// The card routes for officers.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(find_card))
        .routes(routes!(freeze))
        .routes(routes!(unfreeze))
        .routes(routes!(replace))
}

struct Found {
    row: StaffCardRow,
    id: i64,
    union_id: i64,
    status: CardStatus,
    before_freeze: Option<String>,
    activated_at: Option<i64>,
    view: StaffCardView,
}

/// The card a typed number names: a card number, or else its holder's ID
/// number; `None` when it is neither or there is no such card.
async fn locate(
    state: &AppState,
    conn: &mut sqlx::AnyConnection,
    typed: &str,
) -> AppResult<Option<StaffCardRow>> {
    if let Ok(card_no) = CardNumber::parse(typed) {
        let found = store::cards::by_number(conn, card_no.as_str()).await?;
        // An 18-digit ID number passes a card number's check one time in
        // ten: no such card, then it is read as the ID number it may be.
        if found.is_some() {
            return Ok(found);
        }
    }
    match IdNumber::parse(typed) {
        Ok(id) => {
            let hash = state.crypto.lookup_hash("id", id.expose());
            store::cards::by_id_hash(conn, &hash).await
        }
        Err(_) => Ok(None),
    }
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
        before_freeze: row.status_before_freeze.clone(),
        activated_at: row.activated_at,
        row,
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
    let row = locate(&state, &mut *state.db.reader().await?, &req.card_no).await?;
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
    let card = found(locate(state, &mut tx, card_no).await?, scope)?;
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
    let row = store::cards::by_number(&mut *state.db.reader().await?, &card.row.card_no).await?;
    Ok(axum::Json(found(row, scope)?.view))
}

/// Replaces a card reported lost (补卡): a new number, issued for its
/// holder to activate; the old number, its codes and its phones stop
/// working; its savings, payments and history stay with the member, and
/// payments the bank refused for the lost card can be paid again. The
/// holder is told in their inbox.
#[utoipa::path(
    post, path = "/api/staff/cards/replace", operation_id = "replace_card", tag = "staff",
    request_body = CardLookup,
    responses(
        (status = 200, description = "Replaced; the new number whole, once", body = CardReplaced),
        (status = 404, description = "No such card in your unions", body = ErrorBody),
        (status = 409, description = "`card_not_lost`: only a lost card is replaced", body = ErrorBody),
    )
)]
async fn replace(
    State(state): State<AppState>,
    Officer { user, scope }: Officer,
    Json(req): Json<CardLookup>,
) -> AppResult<axum::Json<CardReplaced>> {
    let mut tx = state.db.begin().await?;
    let card = found(locate(&state, &mut tx, &req.card_no).await?, &scope)?;
    if card.status != CardStatus::Lost {
        return Err(FreezeRefusal::NotLost.into());
    }
    let new_no = store::roster::allocate_card_numbers(&mut tx, 1)
        .await?
        .pop()
        .ok_or_else(|| AppError::internal("no card serial"))?;
    let now = time::now();
    if !store::cards::replace(&mut tx, &card.row, &new_no, user.id, now).await? {
        return Err(FreezeRefusal::ChangedMeanwhile.into());
    }
    store::cards::revoke_devices(&mut tx, card.id, now).await?;
    // Payments not yet with the bank go to the new card.
    store::payments::follow_new_card(&mut tx, card.row.roster_id, &new_no).await?;
    audit::record(
        &mut tx,
        Entry {
            actor: Some(user.id),
            union_id: Some(card.union_id),
            action: AuditAction::CardReplace,
            target: format!("card:{}", card.id),
            before: Some(json!({"status": "lost", "card": mask_card_no(&card.row.card_no)})),
            after: Some(json!({"status": "issued", "card": mask_card_no(&new_no)})),
        },
    )
    .await?;
    let last4 = &new_no[new_no.len() - 4..];
    let letter = Letter::card_replaced(last4, &card.row.union_name);
    store::inbox::send_to_member(&mut tx, card.row.roster_id, user.id, &letter, now).await?;
    tx.commit().await?;
    let row = store::cards::by_number(&mut *state.db.reader().await?, &new_no).await?;
    Ok(axum::Json(CardReplaced {
        card: found(row, &scope)?.view,
        new_card_no: new_no,
    }))
}
