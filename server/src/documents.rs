//! Documents attached to a record (an aid claim, a loan application): the
//! files live in the uploads folder under random names (`uploads.rs`), the
//! rows here say whose they are. Handlers check who may see the record
//! before calling these.

use std::collections::HashMap;

use axum::extract::Multipart;
use unioncard_api::aid::{AidRefusal, ClaimStatus, DocumentView};
use unioncard_api::case_file::CaseStatus;
use unioncard_api::hardship::{HardshipRefusal, HardshipStatus};
use unioncard_api::loans::{LoanStatus, LoanStepRefusal};
use unioncard_api::request::UploadRefusal;

use crate::error::{AppError, AppResult};
use crate::store::documents::Table;
use crate::uploads::{self, FileKind};
use crate::{store, time, AppState};

/// The most documents one record may carry.
pub const MAX_PER_RECORD: i64 = unioncard_api::request::MAX_DOCUMENTS;

/// One kind of record that carries documents.
pub struct Documents {
    /// Where they are stored.
    table: Table,
    /// The record's URL, under which its documents are served.
    url: &'static str,
    /// Whether a record in this (stored) status still takes documents.
    takes: fn(&str) -> bool,
    /// The answer when it does not.
    closed: fn() -> AppError,
}

/// Whether a record stored in status `name` still takes documents, by its
/// programme's rule.
fn takes_documents<S: CaseStatus>(name: &str) -> bool {
    S::parse(name).is_some_and(S::takes_documents)
}

/// Aid claims' documents.
pub const CLAIMS: Documents = Documents {
    table: Table {
        record: "aid_claims",
        table: "aid_documents",
        owner: "claim_id",
    },
    url: "/api/aid/claims",
    takes: takes_documents::<ClaimStatus>,
    closed: || AidRefusal::ClaimDecided.into(),
};

/// Loan applications' documents.
pub const LOANS: Documents = Documents {
    table: Table {
        record: "loan_applications",
        table: "loan_documents",
        owner: "loan_id",
    },
    url: "/api/loans",
    takes: takes_documents::<LoanStatus>,
    closed: || LoanStepRefusal::LoanDecided.into(),
};

/// Hardship files' proof.
pub const HARDSHIP: Documents = Documents {
    table: Table {
        record: "hardship_files",
        table: "hardship_documents",
        owner: "file_id",
    },
    url: "/api/hardship/files",
    takes: takes_documents::<HardshipStatus>,
    closed: || HardshipRefusal::FileDecided.into(),
};

/// 金秋助学 applications' admission letters.
pub const EDUCATION: Documents = Documents {
    table: Table {
        record: "education_applications",
        table: "education_documents",
        owner: "application_id",
    },
    url: "/api/education-aid/applications",
    takes: takes_documents::<unioncard_api::education::EducationStatus>,
    closed: || unioncard_api::education::EducationRefusal::Decided.into(),
};

/// Rights cases' evidence.
pub const RIGHTS: Documents = Documents {
    table: Table {
        record: "rights_cases",
        table: "rights_documents",
        owner: "case_id",
    },
    url: "/api/rights/cases",
    takes: |s| unioncard_api::rights::CaseStatus::from_db(s).is_some_and(|s| s.is_open()),
    closed: || unioncard_api::rights::RightsRefusal::Moved.into(),
};

impl Documents {
    /// Where they are stored.
    pub fn table(&self) -> &Table {
        &self.table
    }

    /// The answer when the record no longer takes documents.
    pub fn closed(&self) -> AppError {
        (self.closed)()
    }

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
        let too_many = || AppError::from(UploadRefusal::TooManyDocuments);
        // A cheap early answer before reading 10 MB; the decisive count is
        // below, under the lock.
        let count =
            store::documents::count(&mut *state.db.reader().await?, &self.table, owner_id).await?;
        if count >= MAX_PER_RECORD {
            return Err(too_many());
        }
        let stored =
            uploads::receive(state, form, &[FileKind::Jpeg, FileKind::Png, FileKind::Pdf]).await?;
        let mut tx = state.db.begin().await?;
        store::lock_row(&mut tx, self.table.record, owner_id).await?;
        // Decided while the file was arriving: it is not attached.
        let status = store::documents::record_status(&mut tx, &self.table, owner_id).await?;
        if !status.as_deref().is_some_and(self.takes) {
            return Err((self.closed)());
        }
        if store::documents::count(&mut tx, &self.table, owner_id).await? >= MAX_PER_RECORD {
            return Err(too_many());
        }
        let now = time::now();
        let id = store::documents::insert(
            &mut tx,
            &self.table,
            owner_id,
            &stored.name,
            stored.kind.mime(),
            stored.bytes as i64,
            now,
        )
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

    /// The documents of many records (one query), by record.
    pub async fn list_many(
        &self,
        conn: &mut store::Conn,
        owner_ids: &[i64],
    ) -> AppResult<HashMap<i64, Vec<DocumentView>>> {
        let mut out: HashMap<i64, Vec<DocumentView>> = HashMap::new();
        for r in store::documents::of_many(conn, &self.table, owner_ids).await? {
            let d = r.document;
            out.entry(r.owner_id).or_default().push(self.view(
                r.owner_id,
                d.id,
                d.mime,
                d.bytes,
                d.uploaded_at,
            ));
        }
        Ok(out)
    }

    /// Serves one of a record's documents; 404 when it is not the record's.
    pub async fn serve(
        &self,
        state: &AppState,
        owner_id: i64,
        id: i64,
    ) -> AppResult<axum::response::Response> {
        let (file_name, mime) =
            store::documents::file(&mut *state.db.reader().await?, &self.table, owner_id, id)
                .await?
                .ok_or_else(AppError::not_found)?;
        uploads::serve(state, &file_name, &mime).await
    }
}
