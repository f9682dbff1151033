//! The member's own card: view it with a live code, activate it, provision a
//! phone for offline codes, report it lost.

use axum::extract::State;
use axum::http::StatusCode;
use rand::RngCore;
use serde_json::json;
use sqlx::Row;
use unioncard_api::audit::AuditAction;
use unioncard_api::auth::Role;
use unioncard_api::card::{mask_card_no, ActivateRequest, CardStatus, CardView};
use unioncard_api::ecard::{self, DeviceSecret, EcardCode};
use unioncard_api::identity::mask_name;
use unioncard_api::ErrorBody;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::audit::{self, Entry};
use crate::error::{AppError, AppResult};
use crate::extract::{CurrentUser, Json};
use crate::{time, AppState};

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

/// A member's card as stored.
pub struct MemberCard {
    /// Card id.
    pub id: i64,
    /// Full card number.
    pub card_no: String,
    /// Bank.
    pub bank: String,
    /// Status.
    pub status: CardStatus,
    /// Activation time.
    pub activated_at: Option<i64>,
    /// Holder's name.
    pub holder: String,
    /// Keyed hash of the holder's ID number.
    pub id_hash: String,
    /// Workplace union.
    pub union_id: i64,
    /// Its name.
    pub union_name: String,
}

const CARD_SELECT: &str =
    "SELECT c.id, c.card_no, c.bank, c.status, c.activated_at, r.name, r.id_hash,
        r.union_id, u.name AS union_name
   FROM cards c JOIN roster_entries r ON r.id = c.roster_id JOIN unions u ON u.id = r.union_id";

fn card_from_row(row: &sqlx::any::AnyRow) -> AppResult<MemberCard> {
    let status: String = row.try_get("status")?;
    Ok(MemberCard {
        id: row.try_get("id")?,
        card_no: row.try_get("card_no")?,
        bank: row.try_get("bank")?,
        status: CardStatus::from_db(&status)
            .ok_or_else(|| AppError::internal("unknown card status"))?,
        activated_at: row.try_get("activated_at")?,
        holder: row.try_get("name")?,
        id_hash: row.try_get("id_hash")?,
        union_id: row.try_get("union_id")?,
        union_name: row.try_get("union_name")?,
    })
}

/// The signed-in member's card; 403 for accounts that are not members.
pub async fn member_card(state: &AppState, user: &CurrentUser) -> AppResult<MemberCard> {
    let roster_id = match (user.role, user.roster_id) {
        (Role::Member, Some(id)) => id,
        _ => {
            return Err(AppError::forbidden(
                "members_only",
                "仅工会会员可以使用",
                "Only union members can do this",
            ))
        }
    };
    let row = sqlx::query(&format!("{CARD_SELECT} WHERE r.id = $1"))
        .bind(roster_id)
        .fetch_optional(state.db.read())
        .await?
        .ok_or_else(AppError::not_found)?;
    card_from_row(&row)
}

/// The card as its holder sees it, with a code when active.
pub fn view(card: &MemberCard, token: Option<(String, i64)>) -> CardView {
    CardView {
        status: card.status,
        card_no_masked: mask_card_no(&card.card_no),
        bank: card.bank.clone(),
        holder_masked: mask_name(&card.holder),
        holder: card.holder.clone(),
        union_name: card.union_name.clone(),
        activated_at: card.activated_at.map(time::rfc3339),
        token_expires_at: token.as_ref().map(|(_, exp)| time::rfc3339(*exp)),
        token: token.map(|(t, _)| t),
    }
}

/// The server-held secret of a card, for codes fetched online (created on first use).
async fn online_device(state: &AppState, card_id: i64) -> AppResult<(i64, Vec<u8>)> {
    let find = || {
        sqlx::query(
            "SELECT id, secret_enc FROM card_devices
              WHERE card_id = $1 AND kind = 'online' AND revoked_at IS NULL ORDER BY id LIMIT 1",
        )
        .bind(card_id)
    };
    let row = match find().fetch_optional(state.db.read()).await? {
        Some(row) => row,
        None => {
            let mut tx = state.db.write().begin().await?;
            let row = match find().fetch_optional(&mut *tx).await? {
                Some(row) => row,
                None => {
                    let secret = random_secret();
                    sqlx::query(
                        "INSERT INTO card_devices (card_id, kind, secret_enc, created_at)
                         VALUES ($1, 'online', $2, $3) RETURNING id, secret_enc",
                    )
                    .bind(card_id)
                    .bind(state.crypto.encrypt(&ecard::to_hex(&secret)))
                    .bind(time::now())
                    .fetch_one(&mut *tx)
                    .await?
                }
            };
            tx.commit().await?;
            row
        }
    };
    let secret = decrypt_secret(state, &row.try_get::<String, _>("secret_enc")?)?;
    Ok((row.try_get("id")?, secret))
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
    user: CurrentUser,
) -> AppResult<axum::Json<CardView>> {
    let card = member_card(&state, &user).await?;
    let token = live_token(&state, &card).await?;
    Ok(axum::Json(view(&card, token)))
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
    user: CurrentUser,
    Json(req): Json<ActivateRequest>,
) -> AppResult<axum::Json<CardView>> {
    let act = req.parse().map_err(|p| AppError::invalid(&p))?;
    let card = member_card(&state, &user).await?;
    // Neither answer tells whether some other card with that number exists.
    if card.card_no != act.card_no.as_str() {
        return Err(AppError::unprocessable(
            "card_mismatch",
            "卡号与您名下的会员卡不符，请对照卡面核对",
            "This is not the number of the card issued to you; check it against the card",
        )
        .with_field(
            "card_no",
            "卡号与您名下的会员卡不符",
            "Not the number of your card",
        ));
    }
    if state.crypto.lookup_hash("id", act.id_number.expose()) != card.id_hash {
        return Err(AppError::unprocessable(
            "id_mismatch",
            "身份证号与持卡人不符",
            "The ID number does not match the card holder",
        )
        .with_field(
            "id_number",
            "身份证号与持卡人不符",
            "Does not match the card holder",
        ));
    }
    conflict_unless_issued(card.status)?;
    let now = time::now();
    let mut tx = state.db.write().begin().await?;
    // Only one of two simultaneous activations finds the card still issued.
    let done = sqlx::query(
        "UPDATE cards SET status = 'active', activated_at = $1 WHERE id = $2 AND status = 'issued'",
    )
    .bind(now)
    .bind(card.id)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() != 1 {
        return Err(already_active());
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
    let card = member_card(&state, &user).await?;
    let token = live_token(&state, &card).await?;
    Ok(axum::Json(view(&card, token)))
}

fn already_active() -> AppError {
    AppError::conflict(
        "already_active",
        "这张卡已经激活，可以直接使用",
        "This card is already active",
    )
}

fn conflict_unless_issued(status: CardStatus) -> AppResult<()> {
    match status {
        CardStatus::Issued => Ok(()),
        CardStatus::Active => Err(already_active()),
        CardStatus::Frozen => Err(AppError::conflict(
            "card_frozen",
            "这张卡已被工会冻结，请联系所在单位工会",
            "This card is frozen by the union; contact your workplace union",
        )),
        CardStatus::Lost => Err(AppError::conflict(
            "card_lost",
            "这张卡已挂失，请联系所在单位工会补办",
            "This card is reported lost; your workplace union can reissue it",
        )),
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
    user: CurrentUser,
) -> AppResult<(StatusCode, axum::Json<DeviceSecret>)> {
    let card = member_card(&state, &user).await?;
    if card.status != CardStatus::Active {
        return Err(AppError::conflict(
            "card_not_active",
            "会员卡激活后才能出示电子卡",
            "The e-card works once the card is active",
        ));
    }
    let secret = random_secret();
    let now = time::now();
    let mut tx = state.db.write().begin().await?;
    let device_id: i64 = sqlx::query_scalar(
        "INSERT INTO card_devices (card_id, user_id, session_hash, kind, secret_enc, created_at)
         VALUES ($1, $2, $3, 'phone', $4, $5) RETURNING id",
    )
    .bind(card.id)
    .bind(user.id)
    .bind(&user.session_hash)
    .bind(state.crypto.encrypt(&ecard::to_hex(&secret)))
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    // A member changing phones often should not leave old secrets working.
    sqlx::query(
        "UPDATE card_devices SET revoked_at = $1
          WHERE card_id = $2 AND kind = 'phone' AND revoked_at IS NULL AND id NOT IN (
              SELECT id FROM card_devices WHERE card_id = $2 AND kind = 'phone' AND revoked_at IS NULL
              ORDER BY id DESC LIMIT $3)",
    )
    .bind(now)
    .bind(card.id)
    .bind(MAX_PHONES)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(DeviceSecret {
            device_id: device_id as u64,
            secret_hex: ecard::to_hex(&secret),
            step_seconds: ecard::STEP_SECONDS,
            server_time: now as u64,
            card: view(&card, None),
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
    user: CurrentUser,
) -> AppResult<axum::Json<CardView>> {
    let card = member_card(&state, &user).await?;
    let now = time::now();
    let mut tx = state.db.write().begin().await?;
    let done = sqlx::query("UPDATE cards SET status = 'lost' WHERE id = $1 AND status <> 'lost'")
        .bind(card.id)
        .execute(&mut *tx)
        .await?;
    if done.rows_affected() != 1 {
        return Err(AppError::conflict(
            "already_lost",
            "这张卡已经挂失",
            "This card is already reported lost",
        ));
    }
    revoke_devices(&mut tx, card.id, now).await?;
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
    let card = member_card(&state, &user).await?;
    Ok(axum::Json(view(&card, None)))
}

/// Revokes every secret of a card, so none of its codes verify any more.
pub async fn revoke_devices(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    card_id: i64,
    now: i64,
) -> AppResult<()> {
    sqlx::query(
        "UPDATE card_devices SET revoked_at = $1 WHERE card_id = $2 AND revoked_at IS NULL",
    )
    .bind(now)
    .bind(card_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
