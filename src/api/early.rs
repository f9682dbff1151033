//! Answers the page asked for before the app's code arrived.
//!
//! On a signed-in phone `index.html` starts `GET /api/session` (and, for a
//! member with a card on 首页 or 我的, `GET /api/card`) while the app's code
//! is still downloading. The app's first ask for one of those paths takes
//! the page's answer through `window.ucTake` instead of asking again: on a
//! slow network that is a round trip or two less before the member's card.
//! The page hands each answer out once, and only while the page is young
//! (a later ask wants the server's answer of then). The bookkeeping is the
//! page's, in a few lines of script, so it costs the wasm one import.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen]
extern "C" {
    /// The page's pending answer for a path, or `null`; absent on pages
    /// that ask nothing early (the desks'), which the `catch` turns into
    /// an error.
    #[wasm_bindgen(catch, js_name = ucTake)]
    fn uc_take(path: &str) -> Result<JsValue, JsValue>;
}

/// The page's answer for `path`, once; `None` when there is none (or it
/// failed: the caller then asks the usual way).
pub async fn take(path: &str) -> Option<gloo_net::http::Response> {
    let promise: js_sys::Promise = uc_take(path).ok()?.dyn_into().ok()?;
    let resp: JsValue = JsFuture::from(promise).await.ok()?;
    resp.dyn_into::<web_sys::Response>().ok().map(Into::into)
}
