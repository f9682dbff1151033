//! The top bar: the product's name and the language switch.

use leptos::prelude::*;
use unioncard_api::Lang;

use crate::i18n::{tr, use_i18n};

/// The bar at the top of every screen.
#[component]
pub fn TopBar() -> impl IntoView {
    let i18n = use_i18n();
    let toggle = move |_| {
        i18n.choose(if i18n.lang.get_untracked() == Lang::Zh {
            Lang::En
        } else {
            Lang::Zh
        });
    };
    view! {
        <header class="top-bar">
            <span class="brand" aria-hidden="true">"工"</span>
            <h1 class="top-title">{tr(|s| s.app_name)}</h1>
            <button
                type="button"
                class="lang-switch"
                data-test="lang-switch"
                aria-label=tr(|s| s.switch_lang_label)
                lang=move || if i18n.lang.get() == Lang::Zh { "en" } else { "zh-CN" }
                on:click=toggle
            >
                {tr(|s| s.switch_lang)}
            </button>
        </header>
    }
}
