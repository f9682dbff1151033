//! 金秋助学: the member's round, applying and the admission letter, my
//! applications; the officers' queue, decisions and rounds.

use super::*;
use unioncard_api::aid::DocumentView;
use unioncard_api::education::{
    EducationDecision, EducationInput, EducationView, RoundInput, RoundView,
};
use unioncard_api::join::Page;

/// The round the signed-in member applies to.
pub async fn education_round() -> Result<RoundView, Failure> {
    get("/api/education-aid/round").await
}

/// Sends an application (once, however often it is tapped).
pub async fn send_education_application(
    input: &EducationInput,
    key: &str,
) -> Result<EducationView, Failure> {
    post_once("/api/education-aid/applications", input, key).await
}

/// The member's applications.
pub async fn my_education_applications() -> Result<Page<EducationView>, Failure> {
    get("/api/me/education-aid/applications").await
}

/// One application.
pub async fn education_application(id: i64) -> Result<EducationView, Failure> {
    get(&format!("/api/education-aid/applications/{id}")).await
}

/// Adds the admission letter.
pub async fn education_document(id: i64, file: &web_sys::Blob) -> Result<DocumentView, Failure> {
    upload(
        &format!("/api/education-aid/applications/{id}/documents"),
        "file",
        file,
    )
    .await
}

/// The officer's queue for one status.
pub async fn staff_education(status: &str) -> Result<Page<EducationView>, Failure> {
    get(&format!(
        "/api/staff/education-aid/applications?status={status}"
    ))
    .await
}

/// Decides an application.
pub async fn decide_education(id: i64, d: &EducationDecision) -> Result<EducationView, Failure> {
    post(
        &format!("/api/staff/education-aid/applications/{id}/decision"),
        d,
    )
    .await
}

/// The rounds of the officer's unions.
pub async fn education_rounds() -> Result<Page<RoundView>, Failure> {
    get("/api/staff/education-aid/rounds").await
}

/// Sets the officer's union's round for a year.
pub async fn set_education_round(r: &RoundInput) -> Result<RoundView, Failure> {
    post("/api/staff/education-aid/rounds", r).await
}
