//! `GET /api/me`: the signed-in person's profile, personal data masked.

use axum::extract::State;
use unioncard_api::audit::AuditAction;
use unioncard_api::auth::{AuthRefusal, CurrentSession, Me, PasswordChange};
use unioncard_api::ErrorBody;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{AppError, AppResult};
use crate::extract::CurrentUser;
use crate::{store, AppState};

/// The profile route.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(me))
        .routes(routes!(session))
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
    let stored = store::accounts::password_hash(&mut *state.db.reader().await?, user.id).await?;
    if !crate::routes::auth::verify_password(req.current_password.clone(), stored).await? {
        // 422, not 401: the session is fine, a field is wrong.
        return Err(AuthRefusal::WrongPassword.into());
    }
    crate::throttle::clear(&state, &key).await?;
    let hash = crate::routes::auth::hash_password(new.expose().to_string()).await?;
    let mut tx = state.db.begin().await?;
    store::accounts::set_password(&mut tx, user.id, &hash).await?;
    store::sessions::end_all_of(
        &mut tx,
        user.id,
        Some(&user.session_hash),
        crate::time::now(),
    )
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

/// Who is signed in on this device: the profile, or `null` for a guest (a
/// missing, ended or expired session). Costs one cookie check for a guest.
#[utoipa::path(
    get, path = "/api/session", tag = "auth",
    responses((status = 200, description = "The profile, or null for a guest", body = CurrentSession))
)]
async fn session(
    State(state): State<AppState>,
    user: Option<CurrentUser>,
) -> AppResult<axum::Json<CurrentSession>> {
    let me = match user {
        Some(user) => Some(load_me(&state, user.id).await?),
        None => None,
    };
    Ok(axum::Json(CurrentSession { me }))
}

/// Builds the profile of an account: its union (a member's workplace union,
/// an officer's own) and a member's card.
pub async fn load_me(state: &AppState, user_id: i64) -> AppResult<Me> {
    let mut conn = state.db.reader().await?;
    let row = store::accounts::profile(&mut conn, user_id)
        .await?
        .ok_or_else(AppError::unauthorized)?;
    let union = match row.union_shown() {
        Some(id) => store::unions::summary(&mut conn, id).await?,
        None => None,
    };
    row.into_me(union)
}
