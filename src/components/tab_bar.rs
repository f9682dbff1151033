//! The bottom tab bar. Each tab is a real link (works with a screen reader and
//! without JavaScript routing), marked current for assistive technology, on
//! its own screen and on every screen below it.

use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::i18n::{use_i18n, Strings};

/// The tab a screen belongs to: 首页 only for itself; 优惠 for the offers and
/// a merchant; 服务 for training, aid and loans; 我的 for the account screens.
/// The cashier's screen belongs to none.
pub fn tab_of(path: &str) -> Option<&'static str> {
    let under = |prefix: &str| path == prefix || path.starts_with(&format!("{prefix}/"));
    if path == "/" || path == "/search" {
        Some("/")
    } else if under("/offers") || under("/merchants") {
        Some("/offers")
    } else if under("/services")
        || under("/training")
        || under("/aid")
        || under("/loans")
        || under("/hardship")
        || under("/education")
        || under("/centres")
    {
        Some("/services")
    } else if under("/me") || under("/login") || under("/register") || under("/join") {
        Some("/me")
    } else {
        None
    }
}

/// The four tabs.
#[component]
pub fn TabBar() -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    let current = Memo::new(move |_| location.pathname.with(|p| tab_of(p)));
    let tab = move |href: &'static str, icon: &'static str, label: fn(&Strings) -> &'static str| {
        view! {
            <a href=href class="tab" aria-current=move || (current.get() == Some(href)).then_some("page")>
                <span class="tab-icon" aria-hidden="true">{icon}</span>
                <span class="tab-label">{move || label(i18n.t())}</span>
            </a>
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
