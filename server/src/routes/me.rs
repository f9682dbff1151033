//! `GET /api/me`: the signed-in person's profile, personal data masked.

use axum::extract::State;
use sqlx::Row;
use unioncard_api::audit::AuditAction;
use unioncard_api::auth::{Me, PasswordChange, Role, UnionSummary};
use unioncard_api::card::{mask_card_no, CardStatus, CardSummary};
use unioncard_api::ErrorBody;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{AppError, AppResult};
use crate::extract::CurrentUser;
use crate::AppState;

/// The profile route.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(me))
        .routes(routes!(change_password))
}

/// Changes the account's password. Every other session of the account ends
/// (and the e-card secrets they provisioned); this one stays. The current
/// password is checked under the same per-phone limit as sign-in.
#[utoipa::path(
    post, path = "/api/me/password", tag = "auth",
    request_body = PasswordChange,
    responses(
        (status = 204, description = "Changed; other sessions ended"),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 422, description = "`wrong_password` (the current one), or the new one does not meet the policy", body = ErrorBody),
        (status = 429, description = "Too many wrong current passwords; see Retry-After", body = ErrorBody),
    )
)]
async fn change_password(
    State(state): State<AppState>,
    user: CurrentUser,
    crate::extract::Json(req): crate::extract::Json<PasswordChange>,
) -> AppResult<axum::http::StatusCode> {
    let new = req.check().map_err(|p| AppError::invalid(&p))?;
    let key = format!("password:user:{}", user.id);
    crate::throttle::take(
        &state,
        &key,
        crate::throttle::SIGN_IN_PER_PHONE,
        crate::time::now(),
    )
    .await?;
    let stored: String = sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1")
        .bind(user.id)
        .fetch_one(state.db.read())
        .await?;
    if !crate::routes::auth::verify_password(req.current_password.clone(), stored).await? {
        let msg = ("当前密码不正确", "The current password is wrong");
        // 422, not 401: the session is fine, a field is wrong.
        return Err(
            AppError::unprocessable("wrong_password", msg.0, msg.1).with_field(
                "current_password",
                msg.0,
                msg.1,
            ),
        );
    }
    crate::throttle::clear(&state, &key).await?;
    let hash = crate::routes::auth::hash_password(new.expose().to_string()).await?;
    let mut tx = state.db.write().begin().await?;
    sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
        .bind(&hash)
        .bind(user.id)
        .execute(&mut *tx)
        .await?;
    crate::routes::staff::accounts::end_sessions(&mut tx, user.id, Some(&user.session_hash))
        .await?;
    crate::audit::record(
        &mut tx,
        crate::audit::Entry {
            actor: Some(user.id),
            union_id: None,
            action: AuditAction::AccountPassword,
            target: format!("user:{}", user.id),
            before: None,
            after: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}

/// The signed-in person.
#[utoipa::path(
    get, path = "/api/me", tag = "auth",
    responses(
        (status = 200, description = "The profile", body = Me),
        (status = 401, description = "Not signed in", body = ErrorBody),
    )
)]
async fn me(State(state): State<AppState>, user: CurrentUser) -> AppResult<axum::Json<Me>> {
    Ok(axum::Json(load_me(&state, user.id).await?))
}

/// Builds the profile of an account: its union (a member's workplace union,
/// an officer's own) and a member's card.
pub async fn load_me(state: &AppState, user_id: i64) -> AppResult<Me> {
    let row = sqlx::query(
        "SELECT u.id, u.name, u.phone_masked, u.role, u.union_id, u.merchant_id,
                r.id_masked, r.union_id AS member_union, c.card_no, c.bank, c.status
           FROM users u
           LEFT JOIN roster_entries r ON r.id = u.roster_id
           LEFT JOIN cards c ON c.roster_id = r.id
          WHERE u.id = $1",
    )
    .bind(user_id)
    .fetch_optional(state.db.read())
    .await?
    .ok_or_else(AppError::unauthorized)?;
    let role_name: String = row.try_get("role")?;
    let role = Role::from_db(&role_name).ok_or_else(|| AppError::internal("unknown role"))?;
    let union_id: Option<i64> = row.try_get("union_id")?;
    let member_union: Option<i64> = row.try_get("member_union")?;
    let union = match member_union.or(union_id) {
        Some(id) => union_summary(state, id).await?,
        None => None,
    };
    let card_no: Option<String> = row.try_get("card_no")?;
    let card = match card_no {
        Some(no) => {
            let status: String = row.try_get("status")?;
            Some(CardSummary {
                card_no_masked: mask_card_no(&no),
                bank: row.try_get("bank")?,
                status: CardStatus::from_db(&status)
                    .ok_or_else(|| AppError::internal("unknown card status"))?,
            })
        }
        None => None,
    };
    Ok(Me {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        phone_masked: row.try_get("phone_masked")?,
        id_number_masked: row.try_get("id_masked")?,
        roles: vec![role],
        union,
        card,
        merchant_id: row.try_get("merchant_id")?,
        union_id,
    })
}

/// One union as shown to a person.
pub async fn union_summary(state: &AppState, id: i64) -> AppResult<Option<UnionSummary>> {
    let row = sqlx::query("SELECT id, code, name, level FROM unions WHERE id = $1")
        .bind(id)
        .fetch_optional(state.db.read())
        .await?;
    row.map(|r| {
        Ok(UnionSummary {
            id: r.try_get("id")?,
            code: r.try_get("code")?,
            name: r.try_get("name")?,
            level: r.try_get("level")?,
        })
    })
    .transpose()
}
