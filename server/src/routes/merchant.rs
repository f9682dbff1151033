//! The cashier's side: checking a member's e-card code at the till.

use axum::extract::State;
use axum::http::StatusCode;
use sqlx::Row;
use unioncard_api::auth::Role;
use unioncard_api::card::{mask_card_no, CardCheckRequest, CardCheckResult, CardStatus};
use unioncard_api::ecard::{self, EcardCode, Verdict};
use unioncard_api::error::FieldProblems;
use unioncard_api::identity::mask_name;
use unioncard_api::ErrorBody;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{AppError, AppResult};
use crate::extract::{CurrentUser, Json};
use crate::routes::card::decrypt_secret;
use crate::{time, AppState};

/// The cashier routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(check_card))
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
