//! Officers disable (or enable again) the accounts of members and cashiers
//! in their unions: a phone that was lost or sold, a cashier who left. The
//! account's sessions and e-card secrets end at once; sign-in then answers
//! like a wrong password. Officers' own accounts are the administrators'
//! (`/api/admin/officers/{id}/access`).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde_json::json;
use unioncard_api::audit::AuditAction;
use unioncard_api::auth::AccountAccess;
use unioncard_api::ErrorBody;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::audit::{self, Entry};
use crate::error::{AppError, AppResult};
use crate::extract::{Json, Officer};
use crate::{store, time, AppState};

/// The account routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(set_access))
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
    Officer { user, scope }: Officer,
    Path(id): Path<i64>,
    Json(access): Json<AccountAccess>,
) -> AppResult<StatusCode> {
    // A member's union is their roster entry's; a cashier's, their merchant's.
    let row = store::accounts::member_or_cashier_account(&mut *state.db.reader().await?, id)
        .await?
        .ok_or_else(AppError::not_found)?;
    let role = row.role;
    let union_id = row.union_id.ok_or_else(AppError::not_found)?;
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
    let mut tx = state.db.begin().await?;
    let done = if c.enabled {
        store::accounts::enable(&mut tx, c.account).await?
    } else {
        store::accounts::disable(&mut tx, c.account, time::now()).await?
    };
    if done {
        if !c.enabled {
            store::sessions::end_all_of(&mut tx, c.account, None, time::now()).await?;
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
