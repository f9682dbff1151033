//! Answers the page asked for before the app's code arrived.
//!
//! On a signed-in phone `index.html` starts `GET /api/session` (and, for a
//! member with a card on 首页 or 我的, `GET /api/card`) while the app's code
//! is still downloading, and leaves the promises in `window.ucEarly` with
//! the time it asked. The app's first ask for one of those paths takes the
//! promise instead of asking again: on a slow network that is a round trip
//! or two less before the member's card. Each answer is used once, and only
//! while the page is young: a later ask wants the server's answer of then.

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// How long after the page asked an answer may still stand for a fresh
/// one, in milliseconds (the app starts within a few seconds even on a
/// weak network).
const FRESH_MS: f64 = 15_000.0;

/// The page's answer for `path`, once; `None` when there is none (or it
/// failed: the caller then asks the usual way).
pub async fn take(path: &str) -> Option<gloo_net::http::Response> {
    let window: JsValue = web_sys::window()?.into();
    let name = JsValue::from_str("ucEarly");
    let early = js_sys::Reflect::get(&window, &name).ok()?;
    if !early.is_object() {
        return None;
    }
    let asked_at = js_sys::Reflect::get(&early, &JsValue::from_str("at"))
        .ok()
        .and_then(|v| v.as_f64())?;
    if js_sys::Date::now() - asked_at > FRESH_MS {
        let _ = js_sys::Reflect::delete_property(window.unchecked_ref::<js_sys::Object>(), &name);
        return None;
    }
    let key = JsValue::from_str(path);
    let promise = js_sys::Reflect::get(&early, &key).ok()?;
    let _ = js_sys::Reflect::delete_property(early.unchecked_ref::<js_sys::Object>(), &key);
    let promise: js_sys::Promise = promise.dyn_into().ok()?;
    let resp: JsValue = JsFuture::from(promise).await.ok()?;
    resp.dyn_into::<web_sys::Response>().ok().map(Into::into)
}
