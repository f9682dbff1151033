//! Guaranteed micro-loans: the pre-check, applications, schedules; the officers' pipeline and quotas.

use super::*;
use unioncard_api::aid::DocumentView;
use unioncard_api::join::{Decision, Page};
use unioncard_api::loans::FollowUp;
use unioncard_api::loans::QuotaView;
use unioncard_api::loans::{EligibilityAnswer, EligibilityInput, LoanInput, LoanView, Schedule};

/// The server's answer to the pre-check (the phone also computes it itself).
pub async fn loan_eligibility(input: &EligibilityInput) -> Result<EligibilityAnswer, Failure> {
    post("/api/loans/eligibility", input).await
}

/// Creates an application (a draft, or sent at once); retried with the same key, answered once.
pub async fn create_loan(input: &LoanInput, idempotency_key: &str) -> Result<LoanView, Failure> {
    post_once("/api/loans", input, idempotency_key).await
}

/// Saves a step of a draft.
pub async fn update_loan(id: i64, input: &LoanInput) -> Result<LoanView, Failure> {
    put(&format!("/api/loans/{id}"), input).await
}

/// Sends a draft (again is harmless: it is sent once).
pub async fn submit_loan(id: i64) -> Result<LoanView, Failure> {
    post(&format!("/api/loans/{id}/submit"), &Empty {}).await
}

/// One application.
pub async fn loan(id: i64) -> Result<LoanView, Failure> {
    get(&format!("/api/loans/{id}")).await
}

/// The member's applications.
pub async fn my_loans() -> Result<kept::Kept<Page<LoanView>>, Failure> {
    kept::get_kept("/api/me/loans").await
}

/// A paid-out loan's schedule.
pub async fn loan_schedule(id: i64) -> Result<Schedule, Failure> {
    get(&format!("/api/loans/{id}/schedule")).await
}

/// Attaches a document to an application.
pub async fn loan_document(id: i64, file: &web_sys::Blob) -> Result<DocumentView, Failure> {
    upload(&format!("/api/loans/{id}/documents"), "file", file).await
}

/// The officer's queue for one stage.
pub async fn staff_loans(status: &str) -> Result<Page<LoanView>, Failure> {
    get(&format!("/api/staff/loans?status={status}")).await
}

/// Moves an application on, or rejects it.
pub async fn decide_loan(id: i64, decision: &Decision) -> Result<LoanView, Failure> {
    post(&format!("/api/staff/loans/{id}/decision"), decision).await
}

/// A follow-up note on a paid-out loan.
pub async fn loan_note(id: i64, note: &str) -> Result<LoanView, Failure> {
    post(
        &format!("/api/staff/loans/{id}/notes"),
        &FollowUp { note: note.into() },
    )
    .await
}

/// The quotas of the counties in the officer's scope.
pub async fn loan_quotas() -> Result<Vec<QuotaView>, Failure> {
    get("/api/staff/loans/quota").await
}
