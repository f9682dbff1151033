//! The bottom tab bar. Each tab is a real link (works with a screen reader and
//! without JavaScript routing), marked current for assistive technology.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::{use_i18n, Strings};

/// The four tabs.
#[component]
pub fn TabBar() -> impl IntoView {
    let i18n = use_i18n();
    let tab = |href: &'static str, icon: &'static str, label: fn(&Strings) -> &'static str| {
        view! {
            <A href=href exact=true attr:class="tab">
                <span class="tab-icon" aria-hidden="true">{icon}</span>
                <span class="tab-label">{move || label(i18n.t())}</span>
            </A>
        }
    };
    view! {
        <nav class="tab-bar" aria-label=move || i18n.t().nav_label>
            {tab("/", "⌂", |s| s.tab_home)}
            {tab("/offers", "¥", |s| s.tab_offers)}
            {tab("/services", "✚", |s| s.tab_services)}
            {tab("/me", "☺", |s| s.tab_me)}
        </nav>
    }
}
