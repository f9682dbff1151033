//! Counselling (咨询预约) at the desk: a counsellor's slots of a day with
//! who booked them, publishing new ones, withdrawing a free one.

use super::*;
use unioncard_api::counselling::{SlotInput, SlotView};
use unioncard_api::join::Page;

/// The slots of a day (`YYYY-MM-DD`): the counsellor's own, or all in an
/// administrator's unions.
pub async fn staff_slots(date: &str) -> Result<Page<SlotView>, Failure> {
    get(&format!(
        "/api/staff/counselling/slots?date={}",
        js_sys::encode_uri_component(date)
    ))
    .await
}

/// Publishes slots; answers the slots made.
pub async fn publish_slots(input: &SlotInput) -> Result<Page<SlotView>, Failure> {
    post("/api/staff/counselling/slots", input).await
}

/// Withdraws a slot nobody has booked.
pub async fn withdraw_slot(id: i64) -> Result<(), Failure> {
    post(
        &format!("/api/staff/counselling/slots/{id}/withdraw"),
        &Empty {},
    )
    .await
}

/// The whole number of the member holding a slot, to call them (audited
/// on the server).
pub async fn slot_contact(id: i64) -> Result<unioncard_api::rights::ContactView, Failure> {
    post(&format!("/api/staff/counselling/slots/{id}/contact"), &()).await
}
