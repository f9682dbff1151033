//! The first thing a keyboard or a screen reader reaches on every screen.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::i18n::tr;

/// "跳到正文": a link, shown only while focused, that moves the focus to the
/// screen (`#main`), past the top bar and its buttons. Moved by hand: the
/// router takes every click on a link, and for `#main` it only changed the
/// address, leaving the focus on the link.
#[component]
pub fn SkipLink() -> impl IntoView {
    let skip = move |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        if let Some(main) = document()
            .get_element_by_id("main")
            .and_then(|m| m.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = main.focus();
        }
    };
    view! { <a class="skip-link" href="#main" on:click=skip>{tr(|s| s.skip_to_content)}</a> }
}
