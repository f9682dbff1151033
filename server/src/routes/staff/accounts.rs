//! Officers disable (or enable again) the accounts of members and cashiers
//! in their unions: a phone that was lost or sold, a cashier who left. The
//! account's sessions and e-card secrets end at once; sign-in then answers
//! like a wrong password. Officers' own accounts are the administrators'
//! (`/api/admin/officers/{id}/access`).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde_json::json;
use sqlx::Row;
use unioncard_api::audit::AuditAction;
use unioncard_api::auth::AccountAccess;
use unioncard_api::ErrorBody;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::audit::{self, Entry};
use crate::error::{AppError, AppResult};
use crate::extract::{CurrentUser, Json};
use crate::scope::Scope;
use crate::{time, AppState};

/// The account routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(set_access))
}

/// Ends every session of an account and revokes the e-card secrets those
/// sessions provisioned (in the caller's transaction).
pub async fn end_sessions(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    user_id: i64,
    keep: Option<&str>,
) -> AppResult<()> {
    let keep = keep.unwrap_or("");
    sqlx::query(
        "UPDATE card_devices SET revoked_at = $1 WHERE revoked_at IS NULL AND session_hash IN
           (SELECT token_hash FROM sessions WHERE user_id = $2 AND token_hash <> $3)",
    )
    .bind(time::now())
    .bind(user_id)
    .bind(keep)
    .execute(&mut **tx)
    .await?;
    sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
        .bind(user_id)
        .bind(keep)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Disables a member's or cashier's account in the officer's unions, or
/// enables it again. Audited.
#[utoipa::path(
    post, path = "/api/staff/accounts/{id}/access", tag = "staff",
    params(("id" = i64, Path, description = "Account id")),
    request_body = AccountAccess,
    responses(
        (status = 204, description = "Changed"),
        (status = 403, description = "Not an officer", body = ErrorBody),
        (status = 404, description = "No such member or cashier account in your unions", body = ErrorBody),
    )
)]
async fn set_access(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Json(access): Json<AccountAccess>,
) -> AppResult<StatusCode> {
    let scope = Scope::of(&state, &user).await?;
    // A member's union is their roster entry's; a cashier's, their merchant's.
    let row = sqlx::query(
        "SELECT u.role, COALESCE(r.union_id, m.union_id) AS union_id FROM users u
           LEFT JOIN roster_entries r ON r.id = u.roster_id AND u.role = 'member'
           LEFT JOIN merchants m ON m.id = u.merchant_id AND u.role = 'cashier'
          WHERE u.id = $1 AND u.role IN ('member', 'cashier')",
    )
    .bind(id)
    .fetch_optional(state.db.read())
    .await?
    .ok_or_else(AppError::not_found)?;
    let role: String = row.try_get("role")?;
    let union_id: Option<i64> = row.try_get("union_id")?;
    let union_id = union_id.ok_or_else(AppError::not_found)?;
    scope.require_union(&state, union_id).await?;
    change_access(
        &state,
        Change {
            actor: user.id,
            account: id,
            union_id,
            enabled: access.enabled,
            actions: (AuditAction::AccountEnable, AuditAction::AccountDisable),
            role: &role,
        },
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// One account's access changing, as [`change_access`] takes it.
pub struct Change<'a> {
    /// Who changes it.
    pub actor: i64,
    /// The account.
    pub account: i64,
    /// The union the change belongs to (the audit's scope).
    pub union_id: i64,
    /// `true` enables, `false` disables.
    pub enabled: bool,
    /// The audit actions for enabling and for disabling.
    pub actions: (AuditAction, AuditAction),
    /// The account's role, recorded with the change.
    pub role: &'a str,
}

/// Disables an account (its sessions and e-card secrets end at once) or
/// enables it, from the state it may leave (enabled → disabled, disabled →
/// enabled), audited in the same transaction; asking for the state it is
/// already in changes nothing. Officers' accounts (by administrators) and
/// members' and cashiers' (by officers) go through here.
pub async fn change_access(state: &AppState, c: Change<'_>) -> AppResult<()> {
    let mut tx = state.db.write().begin().await?;
    let done = if c.enabled {
        sqlx::query("UPDATE users SET disabled_at = NULL WHERE id = $1 AND disabled_at IS NOT NULL")
            .bind(c.account)
            .execute(&mut *tx)
            .await?
    } else {
        sqlx::query("UPDATE users SET disabled_at = $1 WHERE id = $2 AND disabled_at IS NULL")
            .bind(time::now())
            .bind(c.account)
            .execute(&mut *tx)
            .await?
    };
    if done.rows_affected() == 1 {
        if !c.enabled {
            end_sessions(&mut tx, c.account, None).await?;
        }
        audit::record(
            &mut tx,
            Entry {
                actor: Some(c.actor),
                union_id: Some(c.union_id),
                action: if c.enabled { c.actions.0 } else { c.actions.1 },
                target: format!("user:{}", c.account),
                before: Some(json!({"role": c.role, "enabled": !c.enabled})),
                after: Some(json!({"enabled": c.enabled})),
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}
