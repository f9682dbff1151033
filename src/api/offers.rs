//! Discounts: the directory, one-time codes, savings, complaints; the cashier's till; officers' merchants and offers.

use super::*;
use unioncard_api::auth::AccountSummary;
use unioncard_api::join::{Decision, Page};
use unioncard_api::offers::{
    CashierDay, CashierRedemption, ComplaintRequest, ComplaintView, ConfirmRequest, MerchantInput,
    MerchantStatus, MerchantView, MyRedemptions, OfferInput, OfferStatus, RedemptionCode,
    StaffMerchant, StatusChange,
};

/// A page of the merchant directory.
pub async fn merchants(
    category: Option<&str>,
    q: &str,
    near: Option<(f64, f64)>,
    cursor: Option<&str>,
) -> Result<Page<MerchantView>, Failure> {
    let mut url = String::from("/api/merchants?limit=20");
    if let Some(c) = category {
        url.push_str(&format!("&category={c}"));
    }
    if !q.trim().is_empty() {
        url.push_str(&format!("&q={}", js_sys::encode_uri_component(q.trim())));
    }
    if let Some((lat, lng)) = near {
        url.push_str(&format!("&near={lat:.6},{lng:.6}"));
    }
    if let Some(c) = cursor {
        url.push_str(&format!("&cursor={}", js_sys::encode_uri_component(c)));
    }
    get(&url).await
}

/// One merchant.
pub async fn merchant(id: i64) -> Result<MerchantView, Failure> {
    get(&format!("/api/merchants/{id}")).await
}

/// A one-time code for an offer. The key makes a retry of this tap harmless.
pub async fn redeem(offer_id: i64, idempotency_key: &str) -> Result<RedemptionCode, Failure> {
    post_once(
        &format!("/api/offers/{offer_id}/redemptions"),
        &Empty {},
        idempotency_key,
    )
    .await
}

/// The member's history and this year's saving.
pub async fn my_redemptions() -> Result<MyRedemptions, Failure> {
    get("/api/me/redemptions?limit=100").await
}

/// Reports a merchant.
pub async fn complain(req: &ComplaintRequest) -> Result<ComplaintView, Failure> {
    post("/api/complaints", req).await
}

/// The member's reports.
pub async fn my_complaints() -> Result<Page<ComplaintView>, Failure> {
    get("/api/me/complaints").await
}

/// The cashier previews (`confirm = false`) or confirms a code with the bill.
pub async fn cashier_redeem(
    code: &str,
    amount_fen: i64,
    confirm: bool,
) -> Result<CashierRedemption, Failure> {
    let action = if confirm { "confirm" } else { "preview" };
    let code: String = code.chars().filter(|c| c.is_ascii_digit()).collect();
    post(
        &format!("/api/merchant/redemptions/{code}/{action}"),
        &ConfirmRequest { amount_fen },
    )
    .await
}

/// The cashier's day.
pub async fn cashier_today() -> Result<CashierDay, Failure> {
    get("/api/merchant/today").await
}

/// The officer's complaint queue.
pub async fn staff_complaints() -> Result<Page<ComplaintView>, Failure> {
    get("/api/staff/complaints?status=open").await
}

/// An officer resolves a complaint.
pub async fn resolve_complaint(id: i64, decision: &Decision) -> Result<ComplaintView, Failure> {
    post(&format!("/api/staff/complaints/{id}/decision"), decision).await
}

/// Attaches a photo to the member's complaint.
pub async fn complaint_photo(id: i64, file: web_sys::File) -> Result<ComplaintView, Failure> {
    upload(&format!("/api/complaints/{id}/photo"), "photo", &file).await
}

/// The officer's merchants matching some words.
pub async fn staff_merchants(q: &str) -> Result<Page<StaffMerchant>, Failure> {
    get(&format!(
        "/api/staff/merchants?q={}",
        js_sys::encode_uri_component(q.trim())
    ))
    .await
}

/// One of the officer's merchants.
pub async fn staff_merchant(id: i64) -> Result<StaffMerchant, Failure> {
    get(&format!("/api/staff/merchants/{id}")).await
}

/// Adds a merchant.
pub async fn create_merchant(input: &MerchantInput) -> Result<StaffMerchant, Failure> {
    post("/api/staff/merchants", input).await
}

/// Saves a merchant.
pub async fn update_merchant(id: i64, input: &MerchantInput) -> Result<StaffMerchant, Failure> {
    put(&format!("/api/staff/merchants/{id}"), input).await
}

/// Pauses, resumes or ends a merchant.
pub async fn merchant_status(id: i64, to: MerchantStatus) -> Result<StaffMerchant, Failure> {
    post(
        &format!("/api/staff/merchants/{id}/status"),
        &StatusChange { status: to },
    )
    .await
}

/// A merchant's cashier accounts.
pub async fn merchant_cashiers(id: i64) -> Result<Vec<AccountSummary>, Failure> {
    let page: Page<AccountSummary> = get(&format!("/api/staff/merchants/{id}/cashiers")).await?;
    Ok(page.items)
}

/// Adds an offer.
pub async fn add_offer(merchant: i64, input: &OfferInput) -> Result<StaffMerchant, Failure> {
    post(&format!("/api/staff/merchants/{merchant}/offers"), input).await
}

/// Pauses or resumes an offer.
pub async fn offer_status(id: i64, to: OfferStatus) -> Result<StaffMerchant, Failure> {
    post(
        &format!("/api/staff/offers/{id}/status"),
        &StatusChange { status: to },
    )
    .await
}
