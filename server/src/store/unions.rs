//! The union hierarchy: paths and levels that scopes are made of.

use sqlx::{AnyConnection, FromRow};

use crate::error::AppResult;

/// Where a union stands in the hierarchy.
#[derive(Debug, FromRow)]
pub struct Place {
    /// Its path, e.g. `/1/2/7/`.
    pub path: String,
    /// `province`, `city`, `district` or `workplace`.
    pub level: String,
}

/// A union's path and level; `None` when there is no such union.
pub async fn place(conn: &mut AnyConnection, union_id: i64) -> AppResult<Option<Place>> {
    Ok(
        sqlx::query_as("SELECT path, level FROM unions WHERE id = $1")
            .bind(union_id)
            .fetch_optional(conn)
            .await?,
    )
}
