//! 优惠: the kinds of partner-merchant discounts and how redeeming works.

use leptos::prelude::*;

use crate::i18n::use_i18n;

/// The offers screen.
#[component]
pub fn Offers() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="page">
            <h2>{move || i18n.t().offers_title}</h2>
            <p class="intro">{move || i18n.t().offers_intro}</p>
            <ul class="category-grid">
                {move || i18n.t().categories.iter().map(|(name, desc)| view! {
                    <li class="category">
                        <strong>{*name}</strong>
                        <span>{*desc}</span>
                    </li>
                }).collect_view()}
            </ul>
            <section class="panel">
                <h3>{move || i18n.t().offers_how_title}</h3>
                <ol class="steps">
                    {move || i18n.t().offers_how_steps.iter().map(|s| view! { <li>{*s}</li> }).collect_view()}
                </ol>
            </section>
        </section>
    }
}
