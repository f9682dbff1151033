//! The screen for a path the app does not know.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::tr;

/// 页面不存在.
#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <section class="page center" data-test="not-found">
            <p class="big-code" aria-hidden="true">"404"</p>
            <h2>{tr(|s| s.not_found_title)}</h2>
            <p>{tr(|s| s.not_found_body)}</p>
            <A href="/" attr:class="btn btn-primary">{tr(|s| s.back_home)}</A>
        </section>
    }
}
