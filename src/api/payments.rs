//! Union money onto cards: the member's 到账记录; the officers' batches,
//! approval, the bank's payment file and its answer.

use super::*;
use gloo_net::http::Request;
use unioncard_api::allowances::{ModelWorkerInput, ModelWorkerView, Rates, RatesView};
use unioncard_api::join::Page;
use unioncard_api::payments::{
    BatchCreated, BatchInput, BatchStep, BatchView, MyPayments, PaymentLineView, ResultImported,
};

/// The member's credits and this year's total.
pub async fn my_payments() -> Result<MyPayments, Failure> {
    get("/api/me/payments").await
}

/// The officer's batches, newest first.
pub async fn payment_batches(cursor: Option<String>) -> Result<Page<BatchView>, Failure> {
    match cursor {
        Some(c) => get(&format!("/api/staff/payments/batches?cursor={c}")).await,
        None => get("/api/staff/payments/batches").await,
    }
}

/// Prepares a batch (once, however often it is tapped).
pub async fn prepare_batch(input: &BatchInput, key: &str) -> Result<BatchCreated, Failure> {
    post_once("/api/staff/payments/batches", input, key).await
}

/// One batch.
pub async fn payment_batch(id: i64) -> Result<BatchView, Failure> {
    get(&format!("/api/staff/payments/batches/{id}")).await
}

/// A page of a batch's lines: all, `failed` or `flagged`.
pub async fn payment_lines(
    id: i64,
    only: &str,
    cursor: Option<String>,
) -> Result<Page<PaymentLineView>, Failure> {
    let cursor = cursor.map(|c| format!("&cursor={c}")).unwrap_or_default();
    get(&format!(
        "/api/staff/payments/batches/{id}/lines?only={only}{cursor}"
    ))
    .await
}

/// Approves a batch holding the total the officer confirmed.
pub async fn approve_batch(id: i64, total_fen: i64) -> Result<BatchView, Failure> {
    post(
        &format!("/api/staff/payments/batches/{id}/approve"),
        &BatchStep {
            total_fen: Some(total_fen),
        },
    )
    .await
}

/// Withdraws a batch before approval.
pub async fn cancel_batch(id: i64) -> Result<BatchView, Failure> {
    post(
        &format!("/api/staff/payments/batches/{id}/cancel"),
        &BatchStep::default(),
    )
    .await
}

/// Sends the bank's result file as it came from the bank.
pub async fn import_bank_result(id: i64, file: &web_sys::File) -> Result<ResultImported, Failure> {
    let req = with_headers(Request::post(&format!(
        "/api/staff/payments/batches/{id}/bank-result"
    )))
    .header("Content-Type", "text/csv; charset=utf-8")
    .body(wasm_bindgen::JsValue::from(file.clone()))
    .map_err(|_| Failure::Network)?;
    read(req.send().await).await
}

/// The signed-in member's entry on the model-worker register.
pub async fn my_model_worker() -> Result<ModelWorkerView, Failure> {
    get("/api/me/model-worker").await
}

/// The register of the officer's unions.
pub async fn model_workers() -> Result<Page<ModelWorkerView>, Failure> {
    get("/api/staff/model-workers").await
}

/// Puts a member on the register.
pub async fn add_model_worker(input: &ModelWorkerInput) -> Result<ModelWorkerView, Failure> {
    post("/api/staff/model-workers", input).await
}

/// Takes a worker off the register.
pub async fn end_model_worker(id: i64) -> Result<(), Failure> {
    post::<_, ()>(&format!("/api/staff/model-workers/{id}/end"), &Empty {}).await
}

/// The officer's union's standing rates.
pub async fn allowance_rates() -> Result<RatesView, Failure> {
    get("/api/staff/allowance-rates").await
}

/// Sets them.
pub async fn set_allowance_rates(r: &Rates) -> Result<RatesView, Failure> {
    put("/api/staff/allowance-rates", r).await
}
