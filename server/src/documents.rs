//! Documents attached to a record (an aid claim, a loan application): the
//! files live in the uploads folder under random names (`uploads.rs`), the
//! rows here say whose they are. Handlers check who may see the record
//! before calling these.

use axum::extract::Multipart;
use sqlx::Row;
use unioncard_api::aid::DocumentView;

use crate::error::{AppError, AppResult};
use crate::uploads::{self, FileKind};
use crate::{time, AppState};

/// The most documents one record may carry.
pub const MAX_PER_RECORD: i64 = 20;

/// One kind of record that carries documents.
pub struct Documents {
    /// The table of the records (locked while a document is counted in).
    record: &'static str,
    /// The table of document rows.
    table: &'static str,
    /// Its column naming the record.
    owner: &'static str,
    /// The record's URL, under which its documents are served.
    url: &'static str,
}

/// Aid claims' documents.
pub const CLAIMS: Documents = Documents {
    record: "aid_claims",
    table: "aid_documents",
    owner: "claim_id",
    url: "/api/aid/claims",
};

/// Loan applications' documents.
pub const LOANS: Documents = Documents {
    record: "loan_applications",
    table: "loan_documents",
    owner: "loan_id",
    url: "/api/loans",
};

impl Documents {
    fn view(&self, owner_id: i64, id: i64, mime: String, bytes: i64, at: i64) -> DocumentView {
        DocumentView {
            id,
            mime,
            bytes,
            uploaded_at: time::rfc3339(at),
            url: format!("{}/{owner_id}/documents/{id}", self.url),
        }
    }

    /// Receives a JPEG, PNG or PDF (checked by content, at most 10 MB) and
    /// attaches it; 422 past [`MAX_PER_RECORD`], also when many arrive at
    /// once (the count and the insert hold the record's row lock).
    pub async fn attach(
        &self,
        state: &AppState,
        form: Multipart,
        owner_id: i64,
    ) -> AppResult<DocumentView> {
        let too_many = || {
            AppError::unprocessable(
                "too_many_documents",
                "最多上传 20 份材料",
                "At most 20 documents",
            )
        };
        let count_sql = format!(
            "SELECT COUNT(*) FROM {} WHERE {} = $1",
            self.table, self.owner
        );
        // A cheap early answer before reading 10 MB; the decisive count is
        // below, under the lock.
        let count: i64 = sqlx::query_scalar(&count_sql)
            .bind(owner_id)
            .fetch_one(state.db.read())
            .await?;
        if count >= MAX_PER_RECORD {
            return Err(too_many());
        }
        let stored =
            uploads::receive(state, form, &[FileKind::Jpeg, FileKind::Png, FileKind::Pdf]).await?;
        let mut tx = state.db.write().begin().await?;
        crate::store::lock_row(&mut tx, self.record, owner_id).await?;
        let count: i64 = sqlx::query_scalar(&count_sql)
            .bind(owner_id)
            .fetch_one(&mut *tx)
            .await?;
        if count >= MAX_PER_RECORD {
            return Err(too_many());
        }
        let now = time::now();
        let sql = format!(
            "INSERT INTO {} ({}, file_name, mime, bytes, uploaded_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
            self.table, self.owner
        );
        let id: i64 = sqlx::query_scalar(&sql)
            .bind(owner_id)
            .bind(&stored.name)
            .bind(stored.kind.mime())
            .bind(stored.bytes as i64)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
        tx.commit().await?;
        let view = self.view(
            owner_id,
            id,
            stored.kind.mime().into(),
            stored.bytes as i64,
            now,
        );
        stored.keep();
        Ok(view)
    }

    /// A record's documents, oldest first.
    pub async fn list(
        &self,
        conn: &mut sqlx::AnyConnection,
        owner_id: i64,
    ) -> AppResult<Vec<DocumentView>> {
        let sql = format!(
            "SELECT id, mime, bytes, uploaded_at FROM {} WHERE {} = $1 ORDER BY id",
            self.table, self.owner
        );
        sqlx::query(&sql)
            .bind(owner_id)
            .fetch_all(&mut *conn)
            .await?
            .iter()
            .map(|d| {
                Ok(self.view(
                    owner_id,
                    d.try_get("id")?,
                    d.try_get("mime")?,
                    d.try_get("bytes")?,
                    d.try_get("uploaded_at")?,
                ))
            })
            .collect()
    }

    /// Serves one of a record's documents; 404 when it is not the record's.
    pub async fn serve(
        &self,
        state: &AppState,
        owner_id: i64,
        id: i64,
    ) -> AppResult<axum::response::Response> {
        let sql = format!(
            "SELECT file_name, mime FROM {} WHERE id = $1 AND {} = $2",
            self.table, self.owner
        );
        let row = sqlx::query(&sql)
            .bind(id)
            .bind(owner_id)
            .fetch_optional(state.db.read())
            .await?
            .ok_or_else(AppError::not_found)?;
        uploads::serve(
            state,
            &row.try_get::<String, _>("file_name")?,
            &row.try_get::<String, _>("mime")?,
        )
        .await
    }
}
