//! The account: sign-in, registration, the 我的 page and the password change.

pub mod login;
pub mod me;
pub mod password;
pub mod register;

use std::collections::BTreeMap;

use leptos::prelude::*;
use unioncard_api::error::FieldProblem;

use crate::i18n::use_i18n;

/// The error to show for one field: the server's word when it gave one,
/// otherwise the shared crate's check once the field was visited.
pub fn field_error(
    field: &'static str,
    server: RwSignal<BTreeMap<String, String>>,
    visited: RwSignal<bool>,
    check: impl Fn() -> Result<(), FieldProblem> + Send + Sync + 'static,
) -> Signal<Option<String>> {
    let i18n = use_i18n();
    Signal::derive(move || {
        if let Some(msg) = server.with(|f| f.get(field).cloned()) {
            return Some(msg);
        }
        if !visited.get() {
            return None;
        }
        check()
            .err()
            .map(|p| p.message(i18n.lang.get()).to_string())
    })
}

/// Moves focus to the first invalid input, so a screen reader reads its error.
pub fn focus_first_invalid() {
    if let Ok(Some(el)) = document().query_selector("[aria-invalid='true']") {
        use leptos::wasm_bindgen::JsCast;
        if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
            let _ = el.focus();
        }
    }
}
