//! Joining the union and the roster: applications, their status, the officers' queue, roster import; moving to another union (转会).

use super::*;
use crate::i18n::current_lang;
use unioncard_api::join::{
    Decision, JoinApplication, JoinLookup, JoinRequestView, Page, WorkplaceUnion,
};
use unioncard_api::roster::ImportReport;
use unioncard_api::transfers::{TransferInput, TransferView};
use unioncard_api::ErrorBody;

/// Workplace unions matching a search.
pub async fn workplace_unions(q: &str) -> Result<Page<WorkplaceUnion>, Failure> {
    get(&format!(
        "/api/unions?q={}",
        js_sys::encode_uri_component(q)
    ))
    .await
}

/// Applies to join.
pub async fn apply_to_join(req: &JoinApplication) -> Result<JoinRequestView, Failure> {
    post("/api/join-requests", req).await
}

/// Looks up an application's outcome.
pub async fn join_lookup(req: &JoinLookup) -> Result<JoinRequestView, Failure> {
    post("/api/join-requests/lookup", req).await
}

/// The officer's queue of applications.
pub async fn join_queue(status: &str) -> Result<Page<JoinRequestView>, Failure> {
    get(&format!(
        "/api/staff/join-requests?status={status}&limit=100"
    ))
    .await
}

/// An officer's decision on an application.
pub async fn decide_join(id: i64, decision: &Decision) -> Result<JoinRequestView, Failure> {
    post(&format!("/api/staff/join-requests/{id}/decision"), decision).await
}

/// Uploads a roster file, reporting upload progress (0.0-1.0) as it goes.
/// Uses XMLHttpRequest because fetch cannot report upload progress.
pub async fn import_roster(
    file: web_sys::File,
    on_progress: impl Fn(f64) + 'static,
) -> Result<ImportReport, Failure> {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    let xhr = web_sys::XmlHttpRequest::new().map_err(|_| Failure::Network)?;
    xhr.open("POST", "/api/staff/roster")
        .map_err(|_| Failure::Network)?;
    let _ = xhr.set_request_header("X-Requested-With", "unioncard");
    let _ = xhr.set_request_header("Accept-Language", current_lang().tag());
    let _ = xhr.set_request_header("Content-Type", "text/csv; charset=utf-8");
    let progress =
        Closure::<dyn Fn(web_sys::ProgressEvent)>::new(move |e: web_sys::ProgressEvent| {
            if e.length_computable() && e.total() > 0.0 {
                on_progress(e.loaded() / e.total());
            }
        });
    if let Ok(upload) = xhr.upload() {
        upload.set_onprogress(Some(progress.as_ref().unchecked_ref()));
    }
    let done = js_sys::Promise::new(&mut |resolve, _reject| {
        let r = resolve.clone();
        let cb = Closure::once_into_js(move || {
            let _ = r.call0(&wasm_bindgen::JsValue::NULL);
        });
        xhr.set_onloadend(Some(cb.unchecked_ref()));
    });
    xhr.send_with_opt_blob(Some(&file))
        .map_err(|_| Failure::Network)?;
    let _ = wasm_bindgen_futures::JsFuture::from(done).await;
    drop(progress);
    let status = xhr.status().unwrap_or(0);
    let text = xhr.response_text().ok().flatten().unwrap_or_default();
    if status == 0 {
        return Err(Failure::Network);
    }
    if (200..300).contains(&status) {
        return serde_json::from_str(&text).map_err(|_| server_failure(status));
    }
    match serde_json::from_str::<ErrorBody>(&text) {
        Ok(body) => Err(Failure::Api {
            status,
            code: body.error.code,
            message: body.error.message,
            fields: body.error.fields,
        }),
        Err(_) => Err(server_failure(status)),
    }
}

/// The member's transfer requests (转会), newest first.
pub async fn my_transfers() -> Result<Page<TransferView>, Failure> {
    get("/api/me/transfers").await
}

/// Asks to move to another workplace union.
pub async fn ask_transfer(input: &TransferInput) -> Result<TransferView, Failure> {
    post("/api/me/transfers", input).await
}

/// Takes back a waiting transfer request.
pub async fn withdraw_transfer(id: i64) -> Result<TransferView, Failure> {
    post(
        &format!("/api/me/transfers/{id}/withdraw"),
        &serde_json::json!({}),
    )
    .await
}

/// Transfers into and out of the officer's unions.
pub async fn staff_transfers() -> Result<Page<TransferView>, Failure> {
    get("/api/staff/transfers").await
}

/// The new union's decision on a transfer.
pub async fn decide_transfer(id: i64, d: &Decision) -> Result<TransferView, Failure> {
    post(&format!("/api/staff/transfers/{id}/decision"), d).await
}
