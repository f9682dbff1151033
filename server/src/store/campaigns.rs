//! Campaign banners' SQL: publishing, ending, the ones 首页 shows, and an
//! officer's list.

use sqlx::{AnyConnection, FromRow};
use unioncard_api::campaigns::{CampaignInput, CampaignStatus, CampaignView};
use unioncard_api::identity::Date;

use crate::error::{current_lang, AppError, AppResult};

const COLUMNS: &str = "c.id, c.union_id, u.name AS union_name, u.path, c.title, c.title_en, c.link,
    c.starts_on, c.ends_on, c.status";

/// A stored banner with its union.
#[derive(Debug, FromRow)]
pub struct CampaignRow {
    pub id: i64,
    pub union_id: i64,
    pub union_name: String,
    pub path: String,
    pub title: String,
    pub title_en: String,
    pub link: String,
    pub starts_on: String,
    pub ends_on: String,
    pub status: String,
}

impl CampaignRow {
    /// The wire view, its title in the client's language.
    pub fn into_view(self) -> AppResult<CampaignView> {
        let status = CampaignStatus::from_db(&self.status).ok_or_else(|| {
            AppError::internal(format!("campaign {} has status {:?}", self.id, self.status))
        })?;
        Ok(CampaignView {
            id: self.id,
            title: current_lang()
                .written(&self.title, &self.title_en)
                .to_string(),
            union_name: self.union_name,
            link: self.link,
            starts_on: self.starts_on,
            ends_on: self.ends_on,
            status,
        })
    }
}

/// Publishes a banner for a union; its id.
pub async fn publish(
    tx: &mut AnyConnection,
    union_id: i64,
    input: &CampaignInput,
    (starts, ends): (Date, Date),
    by: i64,
    now: i64,
) -> AppResult<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO campaigns (union_id, title, title_en, link, starts_on, ends_on, status, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, 'live', $7, $8) RETURNING id",
    )
    .bind(union_id)
    .bind(input.title.trim())
    .bind(input.title_en.trim())
    .bind(&input.link)
    .bind(starts.iso())
    .bind(ends.iso())
    .bind(by)
    .bind(now)
    .fetch_one(tx)
    .await?)
}

/// One banner with its union (404 is the caller's).
pub async fn get(conn: &mut AnyConnection, id: i64) -> AppResult<Option<CampaignRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM campaigns c JOIN unions u ON u.id = c.union_id WHERE c.id = $1"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await?)
}

/// Ends a live banner; whether it was live.
pub async fn end(tx: &mut AnyConnection, id: i64) -> AppResult<bool> {
    let done =
        sqlx::query("UPDATE campaigns SET status = 'ended' WHERE id = $1 AND status = 'live'")
            .bind(id)
            .execute(tx)
            .await?;
    Ok(done.rows_affected() == 1)
}

/// The banners of the unions under a path pattern, newest first (at most 100).
pub async fn in_unions(conn: &mut AnyConnection, path_like: &str) -> AppResult<Vec<CampaignRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM campaigns c JOIN unions u ON u.id = c.union_id
          WHERE u.path LIKE $1 ORDER BY c.id DESC LIMIT 100"
    ))
    .bind(path_like)
    .fetch_all(conn)
    .await?)
}

/// Who sees a banner on 首页.
pub enum Audience<'a> {
    /// A member of the union at this path: its banners and those above it.
    Member(&'a str),
    /// Anyone else: the province's and the cities' (paths of at most two
    /// levels, `/1/2/`).
    Everyone,
}

/// The banners showing today for this audience, newest first.
pub async fn showing(
    conn: &mut AnyConnection,
    audience: Audience<'_>,
    today: Date,
    limit: i64,
) -> AppResult<Vec<CampaignRow>> {
    let (who, path) = match audience {
        // The member's union path starts with the banner's union path.
        Audience::Member(path) => ("$2 LIKE u.path || '%'", path),
        Audience::Everyone => (
            "LENGTH(u.path) - LENGTH(REPLACE(u.path, '/', '')) <= 3 AND $2 = $2",
            "",
        ),
    };
    Ok(sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM campaigns c JOIN unions u ON u.id = c.union_id
          WHERE c.status = 'live' AND c.starts_on <= $1 AND c.ends_on >= $1 AND {who}
          ORDER BY c.id DESC LIMIT $3"
    ))
    .bind(today.iso())
    .bind(path)
    .bind(limit)
    .fetch_all(conn)
    .await?)
}

/// The path of a member's union (by their roster entry).
pub async fn member_union_path(
    conn: &mut AnyConnection,
    roster_id: i64,
) -> AppResult<Option<String>> {
    Ok(sqlx::query_scalar(
        "SELECT u.path FROM roster_entries r JOIN unions u ON u.id = r.union_id WHERE r.id = $1",
    )
    .bind(roster_id)
    .fetch_optional(conn)
    .await?)
}
