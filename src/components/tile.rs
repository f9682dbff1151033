//! A tile on a desk's home: a large link with what the work is and, where
//! there is one, a count of what waits.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::{use_i18n, Strings};

/// Picks a text from the strings.
pub type Text = fn(&Strings) -> &'static str;

/// One tile. Children (a count) follow the title.
#[component]
pub fn Tile(
    href: &'static str,
    title: Text,
    help: Text,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <li><A href=href attr:class="tile">
            <strong>{move || title(i18n.t())}{children.map(|c| c())}</strong>
            <span>{move || help(i18n.t())}</span>
        </A></li>
    }
}
