//! Who may see what. An officer sees their own union and every union below it
//! (the union hierarchy's `path` makes that one prefix test); anything else
//! answers 404, exactly as if it did not exist. Administrators see everything
//! below the union they belong to (the province).

use unioncard_api::auth::{AccessRefusal, Role};

use crate::error::{AppError, AppResult};
use crate::extract::CurrentUser;
use crate::{store, AppState};

/// The unions an officer may see.
#[derive(Clone, Debug)]
pub struct Scope {
    /// The officer's own union.
    pub union_id: i64,
    /// Its path, e.g. `/1/2/7/`.
    pub path: String,
    /// Its level: `province`, `city`, `district` or `workplace`.
    pub level: String,
}

impl Scope {
    /// The scope of a signed-in officer or administrator; 403 for anyone else.
    pub async fn of(state: &AppState, user: &CurrentUser) -> AppResult<Scope> {
        if !matches!(user.role, Role::Officer | Role::Admin) {
            return Err(AccessRefusal::OfficersOnly.into());
        }
        let union_id = user
            .union_id
            .ok_or_else(|| AppError::internal("officer without a union"))?;
        let place = store::unions::place(&mut *state.db.reader().await?, union_id)
            .await?
            .ok_or_else(|| AppError::internal("officer of a union that does not exist"))?;
        Ok(Scope {
            union_id,
            path: place.path,
            level: place.level,
        })
    }

    /// 403 unless the officer's union runs mutual aid plans (province, city).
    pub fn require_runs_aid_plans(&self) -> AppResult<()> {
        if unioncard_api::auth::level_runs_aid_plans(&self.level) {
            Ok(())
        } else {
            Err(AccessRefusal::AidPlansCityLevel.into())
        }
    }

    /// 403 unless the officer's union signs merchants (province, city, district).
    pub fn require_signs_merchants(&self) -> AppResult<()> {
        if unioncard_api::auth::level_signs_merchants(&self.level) {
            Ok(())
        } else {
            Err(AccessRefusal::MerchantsDistrictLevel.into())
        }
    }

    /// True when a union (by its path) is this one or below it.
    pub fn covers(&self, union_path: &str) -> bool {
        union_path.starts_with(&self.path)
    }

    /// The `LIKE` pattern matching the paths in scope.
    pub fn like(&self) -> String {
        format!("{}%", self.path)
    }

    /// Checks one union; 404 when outside.
    pub async fn require_union(&self, state: &AppState, union_id: i64) -> AppResult<()> {
        match store::unions::place(&mut *state.db.reader().await?, union_id).await? {
            Some(place) if self.covers(&place.path) => Ok(()),
            _ => Err(AppError::not_found()),
        }
    }
}
