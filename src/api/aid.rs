//! Mutual medical aid: plans, cover, claims and their documents; the officers' review and plans.

use super::*;
use gloo_net::http::Request;
use unioncard_api::aid::{
    ClaimInput, ClaimView, ContributionGroup, ContributionsRecorded, DocumentView, EnrolRequest,
    EnrolmentView, PlanInput, PlanStatus, PlanView, RecordContributions,
};
use unioncard_api::join::{Decision, Page};
use unioncard_api::offers::StatusChange;

/// The aid plans, with whether the signed-in member may join each.
pub async fn aid_plans() -> Result<Page<PlanView>, Failure> {
    get("/api/aid/plans").await
}

/// One aid plan.
pub async fn aid_plan(id: i64) -> Result<PlanView, Failure> {
    get(&format!("/api/aid/plans/{id}")).await
}

/// Joins a plan; the answer is the certificate.
pub async fn enrol(plan_id: i64) -> Result<EnrolmentView, Failure> {
    post("/api/aid/enrolments", &EnrolRequest { plan_id }).await
}

/// The member's cover.
pub async fn my_cover() -> Result<kept::Kept<Page<EnrolmentView>>, Failure> {
    kept::get_kept("/api/me/aid/enrolments").await
}

/// One enrolment (the certificate).
pub async fn enrolment(id: i64) -> Result<EnrolmentView, Failure> {
    get(&format!("/api/aid/enrolments/{id}")).await
}

/// Files (or saves as a draft) a claim; a retry with the same key is answered once.
pub async fn create_claim(input: &ClaimInput, idempotency_key: &str) -> Result<ClaimView, Failure> {
    post_once("/api/aid/claims", input, idempotency_key).await
}

/// Saves changes to a draft.
pub async fn update_claim(id: i64, input: &ClaimInput) -> Result<ClaimView, Failure> {
    put(&format!("/api/aid/claims/{id}"), input).await
}

/// One of the member's claims.
pub async fn claim(id: i64) -> Result<ClaimView, Failure> {
    get(&format!("/api/aid/claims/{id}")).await
}

/// Sends a draft (or sends it back with the documents asked for).
pub async fn submit_claim(id: i64) -> Result<ClaimView, Failure> {
    post(&format!("/api/aid/claims/{id}/submit"), &Empty {}).await
}

/// Attaches a document (a photo already shrunk on the phone, or a PDF).
pub async fn claim_document(id: i64, file: &web_sys::Blob) -> Result<DocumentView, Failure> {
    upload(&format!("/api/aid/claims/{id}/documents"), "file", file).await
}

/// Removes a document from a draft.
pub async fn delete_document(id: i64, doc: i64) -> Result<(), Failure> {
    let req = with_headers(Request::delete(&format!(
        "/api/aid/claims/{id}/documents/{doc}"
    )));
    read(req.send().await).await
}

/// The officer's claim queue (`open` or one status).
pub async fn staff_claims(status: &str) -> Result<Page<ClaimView>, Failure> {
    get(&format!("/api/staff/aid/claims?status={status}&limit=50")).await
}

/// One claim for review.
pub async fn staff_claim(id: i64) -> Result<ClaimView, Failure> {
    get(&format!("/api/staff/aid/claims/{id}")).await
}

/// Takes a claim for review.
pub async fn review_claim(id: i64) -> Result<ClaimView, Failure> {
    post(&format!("/api/staff/aid/claims/{id}/review"), &Empty {}).await
}

/// Approves, rejects or asks for documents.
pub async fn decide_claim(id: i64, decision: &Decision) -> Result<ClaimView, Failure> {
    post(&format!("/api/staff/aid/claims/{id}/decision"), decision).await
}

/// Records the payment onto the card.
pub async fn mark_claim_paid(id: i64) -> Result<ClaimView, Failure> {
    post(&format!("/api/staff/aid/claims/{id}/paid"), &Empty {}).await
}

/// The plans the officer's unions run, closed ones too.
pub async fn staff_plans() -> Result<Page<PlanView>, Failure> {
    get("/api/staff/aid/plans").await
}

/// Opens a plan.
pub async fn create_plan(input: &PlanInput) -> Result<PlanView, Failure> {
    post("/api/staff/aid/plans", input).await
}

/// Closes a plan to new enrolments, or opens it again.
pub async fn plan_status(id: i64, to: PlanStatus) -> Result<PlanView, Failure> {
    post(
        &format!("/api/staff/aid/plans/{id}/status"),
        &StatusChange { status: to },
    )
    .await
}

/// The contributions the officer's unions have still to pay, per union and plan.
pub async fn due_contributions() -> Result<Page<ContributionGroup>, Failure> {
    get("/api/staff/aid/contributions").await
}

/// Records one union's due contributions to one plan paid.
pub async fn record_contributions(
    r: &RecordContributions,
) -> Result<ContributionsRecorded, Failure> {
    post("/api/staff/aid/contributions", r).await
}
