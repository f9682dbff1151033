//! Officers find a card by its number and freeze or unfreeze it. Both are
//! audited. The number travels in the body, never in the URL, so it stays
//! out of access logs and proxies' logs. A frozen card's codes still scan, so the cashier sees "frozen"
//! rather than a puzzling error; a lost card's codes stop working entirely.

use axum::extract::State;
use serde_json::json;
use sqlx::Row;
use unioncard_api::audit::AuditAction;
use unioncard_api::auth::AccountSummary;
use unioncard_api::card::{mask_card_no, CardLookup, CardNumber, CardStatus, StaffCardView};
use unioncard_api::ErrorBody;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::audit::{self, Entry};
use crate::error::{AppError, AppResult};
use crate::extract::{CurrentUser, Json};
use crate::scope::Scope;
use crate::{time, AppState};

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

async fn find(
    state: &AppState,
    scope: &Scope,
    card_no: &str,
    tx: Option<&mut sqlx::Transaction<'_, sqlx::Any>>,
) -> AppResult<Found> {
    let card_no = CardNumber::parse(card_no).map_err(|_| AppError::not_found())?;
    let q = sqlx::query(
        "SELECT c.id, c.card_no, c.status, c.status_before_freeze, c.activated_at, r.name, r.id_masked,
                r.union_id, u.name AS union_name, u.path,
                a.id AS account_id, a.name AS account_name, a.phone_masked, a.disabled_at
           FROM cards c JOIN roster_entries r ON r.id = c.roster_id JOIN unions u ON u.id = r.union_id
           LEFT JOIN users a ON a.roster_id = r.id AND a.role = 'member'
          WHERE c.card_no = $1",
    )
    .bind(card_no.as_str());
    let row = match tx {
        Some(tx) => q.fetch_optional(&mut **tx).await?,
        None => q.fetch_optional(state.db.read()).await?,
    }
    .ok_or_else(AppError::not_found)?;
    if !scope.covers(&row.try_get::<String, _>("path")?) {
        return Err(AppError::not_found());
    }
    let status: String = row.try_get("status")?;
    let status =
        CardStatus::from_db(&status).ok_or_else(|| AppError::internal("unknown card status"))?;
    let activated_at: Option<i64> = row.try_get("activated_at")?;
    Ok(Found {
        id: row.try_get("id")?,
        union_id: row.try_get("union_id")?,
        status,
        before_freeze: row.try_get("status_before_freeze")?,
        activated_at,
        view: StaffCardView {
            card_no_masked: mask_card_no(&row.try_get::<String, _>("card_no")?),
            holder: row.try_get("name")?,
            id_number_masked: row.try_get("id_masked")?,
            union_name: row.try_get("union_name")?,
            status,
            activated_at: activated_at.map(time::rfc3339),
            account: match row.try_get::<Option<i64>, _>("account_id")? {
                Some(id) => Some(AccountSummary {
                    id,
                    name: row.try_get("account_name")?,
                    phone_masked: row.try_get("phone_masked")?,
                    role: "member".into(),
                    disabled: row.try_get::<Option<i64>, _>("disabled_at")?.is_some(),
                }),
                None => None,
            },
        },
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
    user: CurrentUser,
    Json(req): Json<CardLookup>,
) -> AppResult<axum::Json<StaffCardView>> {
    let scope = Scope::of(&state, &user).await?;
    Ok(axum::Json(
        find(&state, &scope, &req.card_no, None).await?.view,
    ))
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
    user: CurrentUser,
    Json(req): Json<CardLookup>,
) -> AppResult<axum::Json<StaffCardView>> {
    change(&state, &user, &req.card_no, true).await
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
    user: CurrentUser,
    Json(req): Json<CardLookup>,
) -> AppResult<axum::Json<StaffCardView>> {
    change(&state, &user, &req.card_no, false).await
}

async fn change(
    state: &AppState,
    user: &CurrentUser,
    card_no: &str,
    freeze: bool,
) -> AppResult<axum::Json<StaffCardView>> {
    let scope = Scope::of(state, user).await?;
    let mut tx = state.db.write().begin().await?;
    let card = find(state, &scope, card_no, Some(&mut tx)).await?;
    let (to, before_freeze) = match (freeze, card.status) {
        (true, CardStatus::Issued | CardStatus::Active) => {
            ("frozen", Some(card.status.as_str().to_string()))
        }
        (true, CardStatus::Frozen) => {
            return Err(AppError::conflict(
                "already_frozen",
                "这张卡已经冻结",
                "This card is already frozen",
            ))
        }
        (true, CardStatus::Lost) | (false, CardStatus::Lost) => {
            return Err(AppError::conflict(
                "card_lost",
                "这张卡已挂失",
                "This card is reported lost",
            ))
        }
        (false, CardStatus::Frozen) => {
            let back = match (card.before_freeze.as_deref(), card.activated_at) {
                (Some("issued"), _) | (None, None) => "issued",
                _ => "active",
            };
            (back, None)
        }
        (false, _) => {
            return Err(AppError::conflict(
                "not_frozen",
                "这张卡没有被冻结",
                "This card is not frozen",
            ))
        }
    };
    let done = sqlx::query(
        "UPDATE cards SET status = $1, status_before_freeze = $2 WHERE id = $3 AND status = $4",
    )
    .bind(to)
    .bind(before_freeze)
    .bind(card.id)
    .bind(card.status.as_str())
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() != 1 {
        return Err(AppError::conflict(
            "changed_meanwhile",
            "卡片状态刚刚发生变化，请刷新",
            "The card changed meanwhile; reload",
        ));
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
    Ok(axum::Json(find(state, &scope, card_no, None).await?.view))
}
