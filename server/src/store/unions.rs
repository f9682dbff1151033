//! The union hierarchy: paths and levels that scopes are made of.

use sqlx::{AnyConnection, FromRow};
use unioncard_api::auth::{UnionSummary, UnionView};
use unioncard_api::join::WorkplaceUnion;

use crate::error::AppResult;
use crate::store::DbError;

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

/// A union as shown to a person.
#[derive(Debug, FromRow)]
struct SummaryRow {
    id: i64,
    code: String,
    name: String,
    level: String,
}

/// One union as shown to a person; `None` when there is no such union.
pub async fn summary(conn: &mut AnyConnection, id: i64) -> AppResult<Option<UnionSummary>> {
    let row: Option<SummaryRow> =
        sqlx::query_as("SELECT id, code, name, level FROM unions WHERE id = $1")
            .bind(id)
            .fetch_optional(conn)
            .await?;
    Ok(row.map(|r| UnionSummary {
        id: r.id,
        code: r.code,
        name: r.name,
        level: r.level,
    }))
}

/// A union with the number of unions directly below it.
#[derive(Debug, FromRow)]
pub struct UnionRow {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub code: String,
    pub name: String,
    pub level: String,
    pub children: i64,
}

impl From<UnionRow> for UnionView {
    fn from(r: UnionRow) -> UnionView {
        UnionView {
            id: r.id,
            parent_id: r.parent_id,
            code: r.code,
            name: r.name,
            level: r.level,
            children: r.children,
        }
    }
}

/// A union and the unions directly below it: the union first, then its
/// children by id.
pub async fn with_children(conn: &mut AnyConnection, parent: i64) -> AppResult<Vec<UnionRow>> {
    Ok(sqlx::query_as(
        "SELECT u.id, u.parent_id, u.code, u.name, u.level,
                (SELECT COUNT(*) FROM unions c WHERE c.parent_id = u.id) AS children
           FROM unions u WHERE u.id = $1 OR u.parent_id = $1 ORDER BY (u.id <> $1), u.id",
    )
    .bind(parent)
    .fetch_all(conn)
    .await?)
}

/// One union with its number of children (it must exist).
pub async fn view(conn: &mut AnyConnection, id: i64) -> AppResult<UnionRow> {
    Ok(sqlx::query_as(
        "SELECT id, parent_id, code, name, level, (SELECT COUNT(*) FROM unions c WHERE c.parent_id = $1) AS children
           FROM unions WHERE id = $1",
    )
    .bind(id)
    .fetch_one(conn)
    .await?)
}

/// What a new union takes from the one above it.
#[derive(Debug, FromRow)]
pub struct ParentTerms {
    /// The parent's level (the new union's is the one below).
    pub level: String,
    /// The parent's path (the new union's starts with it).
    pub path: String,
    /// The parent's district, the default for the new union.
    pub district: Option<String>,
}

/// The level, path and district of a union (it must exist).
pub async fn parent_terms(conn: &mut AnyConnection, id: i64) -> AppResult<ParentTerms> {
    Ok(
        sqlx::query_as("SELECT level, path, district FROM unions WHERE id = $1")
            .bind(id)
            .fetch_one(conn)
            .await?,
    )
}

/// A new union, as the administrator gave it.
#[derive(Debug)]
pub struct NewUnion<'a> {
    pub parent_id: i64,
    pub code: &'a str,
    pub name: &'a str,
    pub level: &'a str,
    pub district: Option<&'a str>,
}

/// Writes a union (its path still empty: [`set_path`] once the id is known);
/// a code already used meets the unique index (the caller's 409).
pub async fn insert(conn: &mut AnyConnection, u: &NewUnion<'_>) -> Result<i64, DbError> {
    sqlx::query_scalar(
        "INSERT INTO unions (parent_id, code, name, level, district) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(u.parent_id)
    .bind(u.code)
    .bind(u.name)
    .bind(u.level)
    .bind(u.district)
    .fetch_one(conn)
    .await
}

/// Sets a union's path.
pub async fn set_path(conn: &mut AnyConnection, id: i64, path: &str) -> AppResult<()> {
    sqlx::query("UPDATE unions SET path = $1 WHERE id = $2")
        .bind(path)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// A union's name (it must exist).
pub async fn name_of(conn: &mut AnyConnection, id: i64) -> AppResult<String> {
    Ok(sqlx::query_scalar("SELECT name FROM unions WHERE id = $1")
        .bind(id)
        .fetch_one(conn)
        .await?)
}

/// Renames a union.
pub async fn rename(conn: &mut AnyConnection, id: i64, name: &str) -> AppResult<()> {
    sqlx::query("UPDATE unions SET name = $1 WHERE id = $2")
        .bind(name)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// A workplace union one can apply to.
#[derive(Debug, FromRow)]
pub struct WorkplaceRow {
    pub id: i64,
    pub name: String,
    pub district: Option<String>,
}

impl From<WorkplaceRow> for WorkplaceUnion {
    fn from(r: WorkplaceRow) -> WorkplaceUnion {
        WorkplaceUnion {
            id: r.id,
            name: r.name,
            district: r.district.unwrap_or_default(),
        }
    }
}

/// Workplace unions whose name or district matches the pattern (a `LIKE ...
/// ESCAPE '\'` pattern, lowercase), by district then name, at most `limit`.
pub async fn workplaces(
    conn: &mut AnyConnection,
    pattern: &str,
    limit: i64,
) -> AppResult<Vec<WorkplaceRow>> {
    Ok(sqlx::query_as(
        "SELECT id, name, district FROM unions
          WHERE level = 'workplace' AND (LOWER(name) LIKE $1 ESCAPE '\\' OR LOWER(district) LIKE $1 ESCAPE '\\')
          ORDER BY district, name LIMIT $2",
    )
    .bind(pattern)
    .bind(limit)
    .fetch_all(conn)
    .await?)
}

/// A union's name and path.
#[derive(Debug, FromRow)]
pub struct NamePath {
    pub name: String,
    pub path: String,
}

/// A union's name and path (it must exist).
pub async fn name_and_path(conn: &mut AnyConnection, id: i64) -> AppResult<NamePath> {
    Ok(
        sqlx::query_as("SELECT name, path FROM unions WHERE id = $1")
            .bind(id)
            .fetch_one(conn)
            .await?,
    )
}

/// A union in the hierarchy, as the figures roll up.
#[derive(Debug, FromRow)]
pub struct Node {
    pub id: i64,
    pub name: String,
    pub path: String,
    pub parent_id: Option<i64>,
}

/// Every union whose path matches the pattern.
pub async fn under(conn: &mut AnyConnection, path_like: &str) -> AppResult<Vec<Node>> {
    Ok(
        sqlx::query_as("SELECT id, name, path, parent_id FROM unions WHERE path LIKE $1")
            .bind(path_like)
            .fetch_all(conn)
            .await?,
    )
}

/// A union found by its code.
#[derive(Debug, FromRow)]
pub struct Coded {
    pub id: i64,
    pub code: String,
    pub path: String,
}

/// The unions with these codes (codes no union has are left out), read
/// [`crate::roster::BATCH`] codes per query.
pub async fn by_codes(conn: &mut AnyConnection, codes: &[String]) -> AppResult<Vec<Coded>> {
    let mut out = Vec::with_capacity(codes.len());
    for chunk in codes.chunks(crate::roster::BATCH) {
        let placeholders: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
        let sql = format!(
            "SELECT id, code, path FROM unions WHERE code IN ({})",
            placeholders.join(",")
        );
        let mut q = sqlx::query_as::<_, Coded>(&sql);
        for code in chunk {
            q = q.bind(code);
        }
        out.extend(q.fetch_all(&mut *conn).await?);
    }
    Ok(out)
}
