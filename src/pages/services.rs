//! 服务: the protections and services the union provides to members.

use leptos::prelude::*;

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
            <ul class="service-list">
                // Discounts have their own tab.
                {move || benefits(i18n.t(), i18n.lang.get()).into_iter().skip(1).map(|b| {
                    let inner = view! {
                        <span class="benefit-icon" aria-hidden="true">{b.icon}</span>
                        <div>
                            <h3>{b.title}</h3>
                            <p>{b.body}</p>
                        </div>
                    };
                    match b.href {
                        Some(href) => view! {
                            <li><a href=href class="panel service link" data-test=b.test>
                                {inner}<span class="chevron" aria-hidden="true">"›"</span>
                            </a></li>
                        }.into_any(),
                        None => view! { <li class="panel service">{inner}</li> }.into_any(),
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}
