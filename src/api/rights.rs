//! Rights cases (维权求助): the districts, reporting a case, co-workers
//! joining it, a worker's cases (signed in, or found by phone and ID
//! number), one case, and its evidence.

use super::*;
use unioncard_api::aid::DocumentView;
use unioncard_api::join::Page;
use unioncard_api::rights::{CaseInput, CaseLookup, CaseView, JoinCaseInput};

/// The districts a case may name (`江岸区`…), for anyone.
pub async fn rights_districts() -> Result<Vec<String>, Failure> {
    get("/api/rights/districts").await
}

/// Reports a case (once, however often it is tapped).
pub async fn report_case(input: &CaseInput, key: &str) -> Result<CaseView, Failure> {
    post_once("/api/rights/cases", input, key).await
}

/// Joins a collective case with the code its reporter passed on.
pub async fn join_case(id: i64, input: &JoinCaseInput) -> Result<CaseView, Failure> {
    post(&format!("/api/rights/cases/{id}/join"), input).await
}

/// The signed-in worker's cases: reported or joined.
pub async fn my_rights_cases() -> Result<Page<CaseView>, Failure> {
    get("/api/me/rights/cases").await
}

/// One case the signed-in worker is on.
pub async fn rights_case(id: i64) -> Result<CaseView, Failure> {
    get(&format!("/api/rights/cases/{id}")).await
}

/// Someone without an account finds their cases by phone and ID number.
pub async fn lookup_cases(input: &CaseLookup) -> Result<Page<CaseView>, Failure> {
    post("/api/rights/cases/lookup", input).await
}

/// Adds a photo or PDF of evidence.
pub async fn rights_document(id: i64, file: &web_sys::Blob) -> Result<DocumentView, Failure> {
    upload(&format!("/api/rights/cases/{id}/documents"), "file", file).await
}
