//! 服务: the protections and services the union provides to members.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::{tr, use_i18n};
use crate::pages::home::benefits;

/// The services screen.
#[component]
pub fn Services() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="page">
            <h2>{tr(|s| s.services_title)}</h2>
            <p class="intro">{tr(|s| s.services_intro)}</p>
            <A href="/training" attr:class="panel saving-total link" attr:data-test="training-link">
                <span>{tr(|s| s.training_title)}</span>
                <span aria-hidden="true">"›"</span>
            </A>
            // Aid (and loans) are a download of their own: a full page load.
            <a href="/aid" rel="external" class="panel saving-total link" data-test="aid-link">
                <span>{tr(|s| s.aid_title)}</span>
                <span aria-hidden="true">"›"</span>
            </a>
            <a href="/loans" rel="external" class="panel saving-total link" data-test="loans-link">
                <span>{tr(|s| s.loans_title)}</span>
                <span aria-hidden="true">"›"</span>
            </a>
            <ul class="service-list">
                {move || benefits(i18n.t()).into_iter().skip(1).map(|(icon, title, body)| view! {
                    <li class="panel service">
                        <span class="benefit-icon" aria-hidden="true">{icon}</span>
                        <div>
                            <h3>{title}</h3>
                            <p>{body}</p>
                        </div>
                    </li>
                }).collect_view()}
            </ul>
        </section>
    }
}
