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
                {move || {
                    // Where each benefit is used; payments have no screen yet.
                    let links: [(Option<&str>, &str); 4] = [
                        (Some("/aid"), "aid-link"),
                        (Some("/loans"), "loans-link"),
                        (Some("/training"), "training-link"),
                        (None, ""),
                    ];
                    benefits(i18n.t()).into_iter().skip(1).zip(links).map(|((icon, title, body), (href, test))| {
                        let inner = view! {
                            <span class="benefit-icon" aria-hidden="true">{icon}</span>
                            <div>
                                <h3>{title}</h3>
                                <p>{body}</p>
                            </div>
                        };
                        match href {
                            Some(href) => view! {
                                <li><a href=href class="panel service link" data-test=test>
                                    {inner}<span class="chevron" aria-hidden="true">"›"</span>
                                </a></li>
                            }.into_any(),
                            None => view! { <li class="panel service">{inner}</li> }.into_any(),
                        }
                    }).collect_view()
                }}
            </ul>
        </section>
    }
}
