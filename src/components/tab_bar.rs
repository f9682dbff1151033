//! The bottom tab bar. Each tab is a real link (works with a screen reader and
//! without JavaScript routing), marked current for assistive technology.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::{use_i18n, Strings};

/// The four tabs. `external`: in a bundle other than the member app's (aid
/// and loans), the tabs lead out of it with a full page load; 服务 stays
/// marked as where the person is.
#[component]
pub fn TabBar(#[prop(optional)] external: bool) -> impl IntoView {
    let i18n = use_i18n();
    let tab = move |href: &'static str, icon: &'static str, label: fn(&Strings) -> &'static str| {
        if external {
            view! {
                <a href=href rel="external" class="tab" aria-current=(href == "/services").then_some("page")>
                    <span class="tab-icon" aria-hidden="true">{icon}</span>
                    <span class="tab-label">{move || label(i18n.t())}</span>
                </a>
            }
            .into_any()
        } else {
            view! {
                <A href=href exact=true attr:class="tab">
                    <span class="tab-icon" aria-hidden="true">{icon}</span>
                    <span class="tab-label">{move || label(i18n.t())}</span>
                </A>
            }
            .into_any()
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
