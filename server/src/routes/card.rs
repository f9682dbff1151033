//! The member's own card: view it with a live code, activate it, provision a
//! phone for offline codes, report it lost.

use axum::extract::State;
use axum::http::StatusCode;
use rand::RngCore;
use serde_json::json;
use unioncard_api::audit::AuditAction;
use unioncard_api::card::{ActivateRequest, CardRefusal, CardStatus, CardView};
use unioncard_api::ecard::{self, DeviceSecret, EcardCode, EcardRefusal};
use unioncard_api::ErrorBody;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::audit::{self, Entry};
use crate::error::{AppError, AppResult};
use crate::extract::{CurrentUser, Json, Member};
use crate::store::cards::MemberCard;
use crate::{store, time, AppState};

/// Phones one card may have provisioned at once; older ones are revoked.
const MAX_PHONES: i64 = 3;

/// The card routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_card))
        .routes(routes!(activate))
        .routes(routes!(provision_device))
        .routes(routes!(report_lost))
}

/// The signed-in member's card; 403 for accounts that are not members.
pub async fn member_card(state: &AppState, user: &CurrentUser) -> AppResult<MemberCard> {
    my_card(state, user.roster()?).await
}

/// The card of a member's roster entry; 404 when it has none.
async fn my_card(state: &AppState, roster_id: i64) -> AppResult<MemberCard> {
    store::cards::card_of(&mut *state.db.reader().await?, roster_id)
        .await?
        .ok_or_else(AppError::not_found)
}

/// The server-held secret of a card, for codes fetched online (created on first use).
async fn online_device(state: &AppState, card_id: i64) -> AppResult<(i64, Vec<u8>)> {
    let found = store::cards::online_device(&mut *state.db.reader().await?, card_id).await?;
    let row = match found {
        Some(row) => row,
        None => {
            let mut tx = state.db.begin().await?;
            let row = match store::cards::online_device(&mut tx, card_id).await? {
                Some(row) => row,
                None => {
                    let secret = random_secret();
                    let sealed = state.crypto.encrypt(&ecard::to_hex(&secret));
                    store::cards::add_online_device(&mut tx, card_id, &sealed, time::now()).await?
                }
            };
            tx.commit().await?;
            row
        }
    };
    let secret = decrypt_secret(state, &row.secret_enc)?;
    Ok((row.id, secret))
}

/// Decrypts a stored device secret.
pub fn decrypt_secret(state: &AppState, stored: &str) -> AppResult<Vec<u8>> {
    let hex = state.crypto.decrypt(stored)?;
    ecard::from_hex(&hex).ok_or_else(|| AppError::internal("stored device secret is not hex"))
}

fn random_secret() -> [u8; 32] {
    let mut s = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut s);
    s
}

/// A fresh code for an active card, and when it stops being accepted.
async fn live_token(state: &AppState, card: &MemberCard) -> AppResult<Option<(String, i64)>> {
    if card.status != CardStatus::Active {
        return Ok(None);
    }
    let (device_id, secret) = online_device(state, card.id).await?;
    let now = time::now() as u64;
    let code = EcardCode::generate(&secret, device_id as u64, ecard::step_at(now));
    Ok(Some((
        code.digits(),
        (now + ecard::seconds_valid(now)) as i64,
    )))
}

/// The member's card, and a short-lived code for the QR when it is active.
#[utoipa::path(
    get, path = "/api/card", tag = "card",
    responses(
        (status = 200, description = "The card", body = CardView),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not a member", body = ErrorBody),
    )
)]
async fn get_card(
    State(state): State<AppState>,
    member: Member,
) -> AppResult<axum::Json<CardView>> {
    let card = my_card(&state, member.roster_id).await?;
    let token = live_token(&state, &card).await?;
    Ok(axum::Json(card.view(token)))
}

/// The holder activates their own card with its number and their ID number.
#[utoipa::path(
    post, path = "/api/card/activate", tag = "card",
    request_body = ActivateRequest,
    responses(
        (status = 200, description = "Activated", body = CardView),
        (status = 409, description = "Already active, frozen or lost", body = ErrorBody),
        (status = 422, description = "Bad check digit, not this member's card, or wrong ID number", body = ErrorBody),
    )
)]
async fn activate(
    State(state): State<AppState>,
    Member { user, roster_id }: Member,
    Json(req): Json<ActivateRequest>,
) -> AppResult<axum::Json<CardView>> {
    let act = req.parse().map_err(|p| AppError::invalid(&p))?;
    let card = my_card(&state, roster_id).await?;
    // Neither answer tells whether some other card with that number exists.
    if card.card_no != act.card_no.as_str() {
        return Err(CardRefusal::CardMismatch.into());
    }
    if state.crypto.lookup_hash("id", act.id_number.expose()) != card.id_hash {
        return Err(CardRefusal::IdMismatch.into());
    }
    conflict_unless_issued(card.status)?;
    let now = time::now();
    let mut tx = state.db.begin().await?;
    // Only one of two simultaneous activations finds the card still issued.
    if !store::cards::activate(&mut tx, card.id, now).await? {
        return Err(CardRefusal::AlreadyActive.into());
    }
    audit::record(
        &mut tx,
        Entry {
            actor: Some(user.id),
            union_id: Some(card.union_id),
            action: AuditAction::CardActivate,
            target: format!("card:{}", card.id),
            before: Some(json!({"status": "issued"})),
            after: Some(json!({"status": "active"})),
        },
    )
    .await?;
    tx.commit().await?;
    let card = my_card(&state, roster_id).await?;
    let token = live_token(&state, &card).await?;
    Ok(axum::Json(card.view(token)))
}

fn conflict_unless_issued(status: CardStatus) -> Result<(), CardRefusal> {
    match status {
        CardStatus::Issued => Ok(()),
        CardStatus::Active => Err(CardRefusal::AlreadyActive),
        CardStatus::Frozen => Err(CardRefusal::Frozen),
        CardStatus::Lost => Err(CardRefusal::Lost),
    }
}

/// Gives this phone its own secret so it can show fresh codes with no network.
#[utoipa::path(
    post, path = "/api/card/devices", tag = "card",
    responses(
        (status = 201, description = "The phone's secret", body = DeviceSecret),
        (status = 409, description = "The card is not active", body = ErrorBody),
    )
)]
async fn provision_device(
    State(state): State<AppState>,
    Member { user, roster_id }: Member,
) -> AppResult<(StatusCode, axum::Json<DeviceSecret>)> {
    let card = my_card(&state, roster_id).await?;
    if card.status != CardStatus::Active {
        return Err(EcardRefusal::CardNotActive.into());
    }
    let secret = random_secret();
    let now = time::now();
    let mut tx = state.db.begin().await?;
    let sealed = state.crypto.encrypt(&ecard::to_hex(&secret));
    let device_id =
        store::cards::add_phone(&mut tx, card.id, user.id, &user.session_hash, &sealed, now)
            .await?;
    // A member changing phones often should not leave old secrets working.
    store::cards::revoke_older_phones(&mut tx, card.id, MAX_PHONES, now).await?;
    tx.commit().await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(DeviceSecret {
            device_id: device_id as u64,
            secret_hex: ecard::to_hex(&secret),
            step_seconds: ecard::STEP_SECONDS,
            server_time: now as u64,
            card: card.view(None),
        }),
    ))
}

/// The holder reports the card lost: it stops verifying at once.
#[utoipa::path(
    post, path = "/api/card/report-lost", tag = "card",
    responses(
        (status = 200, description = "Reported lost", body = CardView),
        (status = 409, description = "Already reported lost", body = ErrorBody),
    )
)]
async fn report_lost(
    State(state): State<AppState>,
    Member { user, roster_id }: Member,
) -> AppResult<axum::Json<CardView>> {
    let card = my_card(&state, roster_id).await?;
    let now = time::now();
    let mut tx = state.db.begin().await?;
    if !store::cards::report_lost(&mut tx, card.id).await? {
        return Err(CardRefusal::AlreadyLost.into());
    }
    store::cards::revoke_devices(&mut tx, card.id, now).await?;
    audit::record(
        &mut tx,
        Entry {
            actor: Some(user.id),
            union_id: Some(card.union_id),
            action: AuditAction::CardReportLost,
            target: format!("card:{}", card.id),
            before: Some(json!({"status": card.status.as_str()})),
            after: Some(json!({"status": "lost"})),
        },
    )
    .await?;
    tx.commit().await?;
    let card = my_card(&state, roster_id).await?;
    Ok(axum::Json(card.view(None)))
}
