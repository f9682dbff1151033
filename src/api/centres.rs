//! Service centres: the directory, and officers keeping their unions' centres.

use super::*;
use unioncard_api::centres::{CentreInput, CentreOpen, CentreView, Service};
use unioncard_api::join::Page;

/// Open centres: nearest first from a position, or by district; only those
/// offering `service` when one is named.
pub async fn centres(
    near: Option<(f64, f64)>,
    service: Option<Service>,
) -> Result<Page<CentreView>, Failure> {
    let mut url = String::from("/api/service-centres?limit=50");
    if let Some((lat, lng)) = near {
        url = format!("/api/service-centres?limit=20&near={lat:.6},{lng:.6}");
    }
    if let Some(s) = service {
        url.push_str(&format!("&service={}", s.as_str()));
    }
    get(&url).await
}

/// The centres of the officer's unions, closed ones too.
pub async fn staff_centres() -> Result<Page<CentreView>, Failure> {
    get("/api/staff/centres").await
}

/// Adds a centre (`id` none) or rewrites one.
pub async fn save_centre(id: Option<i64>, input: &CentreInput) -> Result<CentreView, Failure> {
    match id {
        Some(id) => put(&format!("/api/staff/centres/{id}"), input).await,
        None => post("/api/staff/centres", input).await,
    }
}

/// Closes or reopens a centre.
pub async fn set_centre_open(id: i64, open: bool) -> Result<CentreView, Failure> {
    post(
        &format!("/api/staff/centres/{id}/status"),
        &CentreOpen { open },
    )
    .await
}
