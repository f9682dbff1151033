//! Hardship files: the member's line, sending a file and its proof, my
//! files; the officers' queue, decisions, closing and counts.

use super::*;
use unioncard_api::aid::DocumentView;
use unioncard_api::hardship::{
    CloseFile, HardshipCounts, HardshipDecision, HardshipFileView, HardshipInput, LineView,
};
use unioncard_api::join::Page;

/// The minimum-living line the signed-in member is judged against.
pub async fn hardship_line() -> Result<LineView, Failure> {
    get("/api/hardship/line").await
}

/// Sends a hardship file (once, however often it is tapped).
pub async fn send_hardship_file(
    input: &HardshipInput,
    key: &str,
) -> Result<HardshipFileView, Failure> {
    post_once("/api/hardship/files", input, key).await
}

/// The member's own files.
pub async fn my_hardship_files() -> Result<Page<HardshipFileView>, Failure> {
    get("/api/me/hardship/files").await
}

/// One file.
pub async fn hardship_file(id: i64) -> Result<HardshipFileView, Failure> {
    get(&format!("/api/hardship/files/{id}")).await
}

/// Adds a photo or PDF of proof.
pub async fn hardship_document(id: i64, file: &web_sys::Blob) -> Result<DocumentView, Failure> {
    upload(&format!("/api/hardship/files/{id}/documents"), "file", file).await
}

/// The officer's queue for one status.
pub async fn staff_hardship_files(status: &str) -> Result<Page<HardshipFileView>, Failure> {
    get(&format!("/api/staff/hardship/files?status={status}")).await
}

/// Households on file by category, and files waiting.
pub async fn hardship_counts() -> Result<HardshipCounts, Failure> {
    get("/api/staff/hardship/counts").await
}

/// Decides a sent file.
pub async fn decide_hardship_file(
    id: i64,
    d: &HardshipDecision,
) -> Result<HardshipFileView, Failure> {
    post(&format!("/api/staff/hardship/files/{id}/decision"), d).await
}

/// Closes a file on record.
pub async fn close_hardship_file(id: i64, c: &CloseFile) -> Result<HardshipFileView, Failure> {
    post(&format!("/api/staff/hardship/files/{id}/close"), c).await
}
