//! Rights cases (维权) at the desk: the queue of the officer's unions (or a
//! lawyer's own cases), triage, assigning a lawyer and the steps. One case
//! and its evidence are read and added through the same calls as the
//! worker's (`rights.rs`: `rights_case`, `rights_document`); the server
//! decides what each account may see.

use super::*;
use unioncard_api::join::Page;
use unioncard_api::rights::{
    AssignInput, CaseView, ContactView, LawyerView, StepInput, TriageInput,
};

/// A page of the desk's cases: `status` one of the case statuses or empty
/// for all, `warn` only those whose arbitration deadline is near or past,
/// `cursor` the page after the one that gave it.
pub async fn staff_cases(
    status: &str,
    warn: bool,
    cursor: Option<String>,
) -> Result<Page<CaseView>, Failure> {
    let mut url = format!(
        "/api/staff/rights/cases?status={}",
        js_sys::encode_uri_component(status)
    );
    if warn {
        url.push_str("&warn=true");
    }
    if let Some(c) = cursor {
        url.push_str(&format!("&cursor={}", js_sys::encode_uri_component(&c)));
    }
    get(&url).await
}

/// Takes a waiting case up, refers it on, or declines it.
pub async fn triage_case(id: i64, input: &TriageInput) -> Result<CaseView, Failure> {
    post(&format!("/api/staff/rights/cases/{id}/triage"), input).await
}

/// The union lawyers and mediators an officer may assign.
pub async fn rights_lawyers() -> Result<Vec<LawyerView>, Failure> {
    get("/api/staff/rights/lawyers").await
}

/// Assigns a lawyer or mediator to a case in hand.
pub async fn assign_lawyer(id: i64, lawyer_id: i64) -> Result<CaseView, Failure> {
    post(
        &format!("/api/staff/rights/cases/{id}/assign"),
        &AssignInput { lawyer_id },
    )
    .await
}

/// Records a step (`closed` closes the case).
pub async fn record_case_step(id: i64, input: &StepInput) -> Result<CaseView, Failure> {
    post(&format!("/api/staff/rights/cases/{id}/steps"), input).await
}

/// The reporter's whole number, to call them (audited on the server).
pub async fn case_contact(id: i64) -> Result<ContactView, Failure> {
    post(&format!("/api/staff/rights/cases/{id}/contact"), &()).await
}
