//! The service card and e-card: activation, the device secret, reporting it lost; the cashier's check and the officers' card desk.

use super::*;
use unioncard_api::card::{
    ActivateRequest, CardCheckRequest, CardCheckResult, CardLookup, CardReplaced, CardView,
    StaffCardView,
};
use unioncard_api::ecard::DeviceSecret;

/// The member's card with a live code.
pub async fn card() -> Result<CardView, Failure> {
    get("/api/card").await
}

/// Activates the member's card.
pub async fn activate(req: &ActivateRequest) -> Result<CardView, Failure> {
    post("/api/card/activate", req).await
}

/// Gives this phone its own secret for offline codes.
pub async fn provision_device() -> Result<DeviceSecret, Failure> {
    post("/api/card/devices", &Empty {}).await
}

/// Reports the card lost.
pub async fn report_lost() -> Result<CardView, Failure> {
    post("/api/card/report-lost", &Empty {}).await
}

/// A cashier checks a member code.
pub async fn check_card(token: &str) -> Result<CardCheckResult, Failure> {
    post(
        "/api/merchant/card-checks",
        &CardCheckRequest {
            token: token.to_string(),
        },
    )
    .await
}

/// An officer finds a card. The number goes in the body, never in the URL
/// (URLs end up in access logs).
pub async fn staff_card(card_no: &str) -> Result<StaffCardView, Failure> {
    post(
        "/api/staff/cards/lookup",
        &CardLookup {
            card_no: card_no.to_string(),
        },
    )
    .await
}

/// An officer freezes (`true`) or unfreezes a card.
pub async fn set_frozen(card_no: &str, freeze: bool) -> Result<StaffCardView, Failure> {
    let path = if freeze {
        "/api/staff/cards/freeze"
    } else {
        "/api/staff/cards/unfreeze"
    };
    post(
        path,
        &CardLookup {
            card_no: card_no.to_string(),
        },
    )
    .await
}

/// An officer replaces a lost card (补卡); the answer carries the new number.
pub async fn replace_card(card_no: &str) -> Result<CardReplaced, Failure> {
    post(
        "/api/staff/cards/replace",
        &CardLookup {
            card_no: card_no.to_string(),
        },
    )
    .await
}
