//! Administration: unions and officers.

use super::*;
use unioncard_api::auth::AccountAccess;
use unioncard_api::auth::{OfficerInput, OfficerView, UnionInput, UnionView};
use unioncard_api::join::Page;

/// A union and those directly below it.
pub async fn admin_unions(parent: Option<i64>) -> Result<Page<UnionView>, Failure> {
    match parent {
        Some(p) => get(&format!("/api/admin/unions?parent={p}")).await,
        None => get("/api/admin/unions").await,
    }
}

/// Adds a union.
pub async fn create_union(input: &UnionInput) -> Result<UnionView, Failure> {
    post("/api/admin/unions", input).await
}

/// The officer accounts.
pub async fn admin_officers() -> Result<Page<OfficerView>, Failure> {
    get("/api/admin/officers").await
}

/// Opens an officer account.
pub async fn create_officer(input: &OfficerInput) -> Result<OfficerView, Failure> {
    post("/api/admin/officers", input).await
}

/// Disables an officer account, or enables it again.
pub async fn set_officer_access(id: i64, enabled: bool) -> Result<(), Failure> {
    post(
        &format!("/api/admin/officers/{id}/access"),
        &AccountAccess { enabled },
    )
    .await
}
