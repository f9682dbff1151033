//! The top bar: the product's name, the member's bell (messages) and the
//! language switch.

use leptos::prelude::*;
use unioncard_api::auth::Role;
use unioncard_api::inbox::badge;
use unioncard_api::Lang;

use crate::i18n::{tr, use_i18n};
use crate::session::{use_session, use_unread};

/// The bar at the top of every screen. `bell`: the member app's messages
/// bell, drawn into a slot of fixed size (its code comes in a chunk, so
/// nothing moves when it arrives); the desk apps have none.
#[component]
pub fn TopBar(#[prop(optional, into)] bell: Option<ViewFn>) -> impl IntoView {
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
            {bell.map(|bell| view! { <span class="bell-slot">{bell.run()}</span> })}
            // 大字: one tap from every screen, not only at the bottom of 我的.
            <button
                type="button"
                class="elder-switch"
                data-test="elder-switch"
                aria-label=tr(|s| s.elder_mode)
                aria-pressed=move || if i18n.elder.get() { "true" } else { "false" }
                on:click=move |_| i18n.elder.update(|on| *on = !*on)
            >
                {tr(|s| s.elder_switch)}
            </button>
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

/// 消息: a bell with the unread count, for signed-in members (its slot is
/// kept for everyone by [`TopBar`], so the bar does not shift).
#[component]
pub fn Bell() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let unread = use_unread();
    let location = leptos_router::hooks::use_location();
    // Each new screen asks again (a decision may have arrived meanwhile).
    Effect::new(move |before: Option<String>| {
        let now = location.pathname.get();
        if before.is_some_and(|b| b != now) {
            unread.refresh();
        }
        now
    });
    let label = move || match unread.count.get() {
        0 => i18n.t().inbox_title.to_string(),
        n => i18n.t().bell_unread.replace("{n}", &n.to_string()),
    };
    view! {
            {move || session.me().filter(|me| me.has(Role::Member)).map(|_| view! {
                <a href="/me/messages" class="bell" data-test="bell" aria-label=label>
                    <svg viewBox="0 0 24 24" width="24" height="24" aria-hidden="true">
                        <path fill="currentColor" d="M12 2.5a1.5 1.5 0 0 0-1.5 1.5v.7A6 6 0 0 0 6 10.5V15l-2 2.5V19h16v-1.5L18 15v-4.5a6 6 0 0 0-4.5-5.8V4A1.5 1.5 0 0 0 12 2.5zM9.5 20a2.5 2.5 0 0 0 5 0z"/>
                    </svg>
                    {move || badge(unread.count.get()).map(|b| view! { <span class="badge" aria-hidden="true" data-test="bell-count">{b}</span> })}
                </a>
            })}
    }
}
