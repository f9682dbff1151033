//! Rows of documents attached to a record (an aid claim, a loan
//! application); the files themselves are in the uploads folder.

use sqlx::{AnyConnection, FromRow};

use crate::error::AppResult;

/// Where one kind of record keeps its documents. The names are constants of
/// the program, never the client's text.
pub struct Table {
    /// The table of the records (locked while a document is counted in).
    pub record: &'static str,
    /// The table of document rows.
    pub table: &'static str,
    /// Its column naming the record.
    pub owner: &'static str,
}

/// A document row.
#[derive(Debug, FromRow)]
pub struct DocumentRow {
    pub id: i64,
    pub mime: String,
    pub bytes: i64,
    pub uploaded_at: i64,
}

/// The record's stored status; `None` when there is no such record.
pub async fn record_status(
    conn: &mut AnyConnection,
    t: &Table,
    owner_id: i64,
) -> AppResult<Option<String>> {
    Ok(
        sqlx::query_scalar(&format!("SELECT status FROM {} WHERE id = $1", t.record))
            .bind(owner_id)
            .fetch_optional(conn)
            .await?,
    )
}

/// How many documents the record has.
pub async fn count(conn: &mut AnyConnection, t: &Table, owner_id: i64) -> AppResult<i64> {
    Ok(sqlx::query_scalar(&format!(
        "SELECT COUNT(*) FROM {} WHERE {} = $1",
        t.table, t.owner
    ))
    .bind(owner_id)
    .fetch_one(conn)
    .await?)
}

/// Attaches a stored file to the record; its id.
pub async fn insert(
    conn: &mut AnyConnection,
    t: &Table,
    owner_id: i64,
    file_name: &str,
    mime: &str,
    bytes: i64,
    now: i64,
) -> AppResult<i64> {
    Ok(sqlx::query_scalar(&format!(
        "INSERT INTO {} ({}, file_name, mime, bytes, uploaded_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        t.table, t.owner
    ))
    .bind(owner_id)
    .bind(file_name)
    .bind(mime)
    .bind(bytes)
    .bind(now)
    .fetch_one(conn)
    .await?)
}

/// A document row with the record it belongs to.
#[derive(Debug, FromRow)]
pub struct OwnedDocumentRow {
    pub owner_id: i64,
    #[sqlx(flatten)]
    pub document: DocumentRow,
}

/// The documents of these records (one query for all of them), oldest first.
pub async fn of_many(
    conn: &mut AnyConnection,
    t: &Table,
    owner_ids: &[i64],
) -> AppResult<Vec<OwnedDocumentRow>> {
    if owner_ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(sqlx::query_as(&format!(
        "SELECT {owner} AS owner_id, id, mime, bytes, uploaded_at FROM {table} WHERE {owner} IN ({list}) ORDER BY id",
        owner = t.owner,
        table = t.table,
        list = super::id_list(owner_ids)
    ))
    .fetch_all(conn)
    .await?)
}

/// The stored file name and type of one of the record's documents.
pub async fn file(
    conn: &mut AnyConnection,
    t: &Table,
    owner_id: i64,
    id: i64,
) -> AppResult<Option<(String, String)>> {
    Ok(sqlx::query_as(&format!(
        "SELECT file_name, mime FROM {} WHERE id = $1 AND {} = $2",
        t.table, t.owner
    ))
    .bind(id)
    .bind(owner_id)
    .fetch_optional(conn)
    .await?)
}

/// Removes a document's row while its record stands in one of `editable`
/// (stored names); whether it did. A record sent in between keeps every
/// document it was sent with.
pub async fn remove(
    conn: &mut AnyConnection,
    t: &Table,
    owner_id: i64,
    id: i64,
    editable: &[&'static str],
) -> AppResult<bool> {
    if editable.is_empty() {
        return Ok(false);
    }
    let names: Vec<String> = editable.iter().map(|s| format!("'{s}'")).collect();
    let done = sqlx::query(&format!(
        "DELETE FROM {table} WHERE id = $1 AND {owner} = $2
            AND EXISTS (SELECT 1 FROM {record} WHERE id = $2 AND status IN ({names}))",
        table = t.table,
        owner = t.owner,
        record = t.record,
        names = names.join(", ")
    ))
    .bind(id)
    .bind(owner_id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}
