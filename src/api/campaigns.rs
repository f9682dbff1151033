//! Campaign banners: the ones 首页 shows, and officers managing theirs.

use super::*;
use unioncard_api::campaigns::{CampaignInput, CampaignView};
use unioncard_api::join::Page;

/// The banners showing today for whoever is asking.
pub async fn campaigns() -> Result<Page<CampaignView>, Failure> {
    get("/api/campaigns").await
}

/// The banners of the officer's unions.
pub async fn staff_campaigns() -> Result<Page<CampaignView>, Failure> {
    get("/api/staff/campaigns").await
}

/// Publishes a banner for the officer's union.
pub async fn publish_campaign(input: &CampaignInput) -> Result<CampaignView, Failure> {
    post("/api/staff/campaigns", input).await
}

/// Takes a banner down.
pub async fn end_campaign(id: i64) -> Result<CampaignView, Failure> {
    post(&format!("/api/staff/campaigns/{id}/end"), &Empty {}).await
}
