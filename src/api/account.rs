//! Signing in and out, registering, the password, and officers switching accounts on and off.

use super::*;
use unioncard_api::auth::{
    AccountAccess, CurrentSession, LoginRequest, Me, PasswordChange, RegisterRequest,
};

/// The signed-in person, or `None` when nobody is.
pub async fn me() -> Result<Option<Me>, Failure> {
    // `/api/session` answers a guest with `null` (200), where `/api/me`
    // would answer 401: no failed request on every start of a guest's app.
    Ok(get::<CurrentSession>("/api/session").await?.me)
}

/// Signs in.
pub async fn login(req: &LoginRequest) -> Result<Me, Failure> {
    post("/api/auth/login", req).await
}

/// Registers a roster member (and signs them in).
pub async fn register(req: &RegisterRequest) -> Result<Me, Failure> {
    post("/api/auth/register", req).await
}

/// Signs out.
pub async fn logout() -> Result<(), Failure> {
    post::<_, ()>("/api/auth/logout", &Empty {}).await
}

/// An officer disables a member's or cashier's account (`enabled = false`),
/// or enables it again.
pub async fn set_account_access(id: i64, enabled: bool) -> Result<(), Failure> {
    post(
        &format!("/api/staff/accounts/{id}/access"),
        &AccountAccess { enabled },
    )
    .await
}

/// The signed-in account changes its password; its other sessions end.
pub async fn change_password(req: &PasswordChange) -> Result<(), Failure> {
    post("/api/me/password", req).await
}
