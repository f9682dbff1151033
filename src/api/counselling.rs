//! Counselling appointments (咨询预约): the free slots, booking one, the
//! member's bookings and cancelling.

use super::*;
use unioncard_api::counselling::{BookingInput, BookingView, SlotView};
use unioncard_api::join::Page;

/// Free slots to come, a page at a time (`None`: the first page).
pub async fn counselling_slots(cursor: Option<String>) -> Result<Page<SlotView>, Failure> {
    match cursor {
        Some(c) => {
            let c = String::from(js_sys::encode_uri_component(&c));
            get(&format!("/api/counselling/slots?cursor={c}")).await
        }
        None => get("/api/counselling/slots").await,
    }
}

/// Books a slot for the signed-in member.
pub async fn book_slot(slot_id: i64) -> Result<BookingView, Failure> {
    post("/api/counselling/bookings", &BookingInput { slot_id }).await
}

/// The member's bookings: the open one, past and cancelled ones.
pub async fn my_bookings() -> Result<Page<BookingView>, Failure> {
    get("/api/me/counselling").await
}

/// Cancels a booking (more than two hours before it starts).
pub async fn cancel_booking(id: i64) -> Result<BookingView, Failure> {
    post(&format!("/api/me/counselling/{id}/cancel"), &Empty {}).await
}
