//! Joining the union: join requests and their review, roster entries found by ID.

use sqlx::{AnyConnection, FromRow};
use unioncard_api::join::{JoinRequestView, JoinStatus};

use crate::error::{AppError, AppResult};
use crate::store::DbError;
use crate::time;

/// The SELECT behind [`JoinRow`].
const REQUEST_SELECT: &str =
    "SELECT j.id, j.name, j.id_masked, j.phone_masked, j.workplace, j.status, j.note,
        j.created_at, j.decided_at, j.union_id, u.name AS union_name, u.path
   FROM join_requests j JOIN unions u ON u.id = j.union_id";

/// An application with its union's name and path.
#[derive(Debug, FromRow)]
pub struct JoinRow {
    pub id: i64,
    pub name: String,
    pub id_masked: String,
    pub phone_masked: String,
    pub workplace: String,
    pub status: String,
    pub note: Option<String>,
    pub created_at: i64,
    pub decided_at: Option<i64>,
    pub union_id: i64,
    pub union_name: String,
    pub path: String,
}

impl JoinRow {
    /// The application as shown (the name whole: callers mask it for the public).
    pub fn into_view(self) -> AppResult<JoinRequestView> {
        Ok(JoinRequestView {
            id: self.id,
            name: self.name,
            id_number_masked: self.id_masked,
            phone_masked: self.phone_masked,
            union_name: self.union_name,
            workplace: self.workplace,
            status: JoinStatus::from_db(&self.status)
                .ok_or_else(|| AppError::internal("unknown join status"))?,
            note: self.note,
            created_at: time::rfc3339(self.created_at),
            decided_at: self.decided_at.map(time::rfc3339),
        })
    }
}

/// One application by id (no scope check: callers check).
pub async fn request(conn: &mut AnyConnection, id: i64) -> AppResult<Option<JoinRow>> {
    Ok(sqlx::query_as(&format!("{REQUEST_SELECT} WHERE j.id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await?)
}

/// Applications in this status to the unions under this path pattern, with
/// ids after `after`, oldest first, at most `limit`.
pub async fn requests_in(
    conn: &mut AnyConnection,
    path_like: &str,
    status: &str,
    after: i64,
    limit: i64,
) -> AppResult<Vec<JoinRow>> {
    Ok(sqlx::query_as(&format!(
        "{REQUEST_SELECT} WHERE u.path LIKE $1 AND j.status = $2 AND j.id > $3 ORDER BY j.id LIMIT $4"
    ))
    .bind(path_like)
    .bind(status)
    .bind(after)
    .bind(limit)
    .fetch_all(conn)
    .await?)
}

/// The roster entry with this ID-number hash, if any.
pub async fn roster_id_with_id_hash(
    conn: &mut AnyConnection,
    id_hash: &str,
) -> AppResult<Option<i64>> {
    Ok(
        sqlx::query_scalar("SELECT id FROM roster_entries WHERE id_hash = $1")
            .bind(id_hash)
            .fetch_optional(conn)
            .await?,
    )
}

/// The pending application with this ID-number hash, if any.
pub async fn pending_with_id_hash(
    conn: &mut AnyConnection,
    id_hash: &str,
) -> AppResult<Option<i64>> {
    Ok(
        sqlx::query_scalar(
            "SELECT id FROM join_requests WHERE id_hash = $1 AND status = 'pending'",
        )
        .bind(id_hash)
        .fetch_optional(conn)
        .await?,
    )
}

/// An application as the applicant gave it, personal data encrypted, hashed
/// and masked.
#[derive(Debug)]
pub struct NewRequest<'a> {
    pub union_id: i64,
    pub name: &'a str,
    pub id_enc: &'a str,
    pub id_hash: &'a str,
    pub id_masked: &'a str,
    pub phone_enc: &'a str,
    pub phone_hash: &'a str,
    pub phone_masked: &'a str,
    pub workplace: &'a str,
}

/// Writes a pending application; a second pending one for the same ID number
/// meets the one-pending key as a unique violation (the caller's 409).
pub async fn insert_request(
    conn: &mut AnyConnection,
    r: &NewRequest<'_>,
    now: i64,
) -> Result<i64, DbError> {
    sqlx::query_scalar(
        "INSERT INTO join_requests (union_id, name, id_enc, id_hash, id_masked, phone_enc, phone_hash,
             phone_masked, workplace, status, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'pending', $10) RETURNING id",
    )
    .bind(r.union_id)
    .bind(r.name)
    .bind(r.id_enc)
    .bind(r.id_hash)
    .bind(r.id_masked)
    .bind(r.phone_enc)
    .bind(r.phone_hash)
    .bind(r.phone_masked)
    .bind(r.workplace)
    .bind(now)
    .fetch_one(conn)
    .await
}

/// The latest application made with this ID number and phone (by hashes).
pub async fn latest_request(
    conn: &mut AnyConnection,
    id_hash: &str,
    phone_hash: &str,
) -> AppResult<Option<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT id FROM join_requests WHERE id_hash = $1 AND phone_hash = $2 ORDER BY id DESC LIMIT 1",
    )
    .bind(id_hash)
    .bind(phone_hash)
    .fetch_optional(conn)
    .await?)
}

/// What approval needs of an application beyond its view.
#[derive(Debug, FromRow)]
pub struct Secrets {
    /// The ID number, encrypted.
    pub id_enc: String,
    /// The phone, encrypted.
    pub phone_enc: String,
    /// The ID number's keyed hash.
    pub id_hash: String,
}

/// An application's encrypted ID number and phone, and the ID's hash (it must exist).
pub async fn secrets(conn: &mut AnyConnection, id: i64) -> AppResult<Secrets> {
    Ok(
        sqlx::query_as("SELECT id_enc, phone_enc, id_hash FROM join_requests WHERE id = $1")
            .bind(id)
            .fetch_one(conn)
            .await?,
    )
}

/// An officer's decision on an application.
#[derive(Debug)]
pub struct Decided<'a> {
    /// `approved` or `rejected`.
    pub status: &'a str,
    /// The officer's note (`None` for none).
    pub note: Option<&'a str>,
    /// The officer.
    pub by: i64,
    /// When.
    pub at: i64,
    /// The roster entry an approval made.
    pub roster_id: Option<i64>,
}

/// Records the decision on a pending application; `false` when it was no
/// longer pending (decided meanwhile).
pub async fn decide(conn: &mut AnyConnection, id: i64, d: &Decided<'_>) -> AppResult<bool> {
    let done = sqlx::query(
        "UPDATE join_requests SET status = $1, note = $2, decided_by = $3, decided_at = $4, roster_id = $5
          WHERE id = $6 AND status = 'pending'",
    )
    .bind(d.status)
    .bind(d.note)
    .bind(d.by)
    .bind(d.at)
    .bind(d.roster_id)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

// ---- roster import ----

/// A roster entry already there, as the import compares it with a line.
#[derive(Debug, FromRow)]
pub struct ExistingEntry {
    pub id: i64,
    pub id_hash: String,
    pub name: String,
    pub phone_enc: Option<String>,
    pub workplace: String,
    pub union_id: i64,
    /// Its union's path.
    pub path: String,
}

/// The roster entries with these ID-number hashes (at most a
/// [`crate::roster::BATCH`] of them: one query).
pub async fn entries_with_id_hashes(
    conn: &mut AnyConnection,
    hashes: &[String],
) -> AppResult<Vec<ExistingEntry>> {
    let placeholders: Vec<String> = (1..=hashes.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "SELECT r.id, r.id_hash, r.name, r.phone_enc, r.workplace, r.union_id, u.path
           FROM roster_entries r JOIN unions u ON u.id = r.union_id
          WHERE r.id_hash IN ({})",
        placeholders.join(",")
    );
    let mut q = sqlx::query_as::<_, ExistingEntry>(&sql);
    for h in hashes {
        q = q.bind(h);
    }
    Ok(q.fetch_all(conn).await?)
}

/// A roster entry's new details from an import line.
#[derive(Debug)]
pub struct EntryUpdate<'a> {
    pub name: &'a str,
    pub phone_enc: &'a str,
    pub phone_masked: &'a str,
    pub workplace: &'a str,
    pub union_id: i64,
}

/// Rewrites a roster entry's details.
pub async fn update_entry(
    conn: &mut AnyConnection,
    id: i64,
    e: &EntryUpdate<'_>,
    now: i64,
) -> AppResult<()> {
    sqlx::query(
        "UPDATE roster_entries SET name = $1, phone_enc = $2, phone_masked = $3, workplace = $4,
                union_id = $5, updated_at = $6 WHERE id = $7",
    )
    .bind(e.name)
    .bind(e.phone_enc)
    .bind(e.phone_masked)
    .bind(e.workplace)
    .bind(e.union_id)
    .bind(now)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}
