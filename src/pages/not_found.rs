//! The screen for a path the app does not know.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::use_i18n;

/// 页面不存在.
#[component]
pub fn NotFound() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="page center" data-test="not-found">
            <p class="big-code" aria-hidden="true">"404"</p>
            <h2>{move || i18n.t().not_found_title}</h2>
            <p>{move || i18n.t().not_found_body}</p>
            <A href="/" attr:class="btn btn-primary">{move || i18n.t().back_home}</A>
        </section>
    }
}
