//! Management (管理): officers manage the partner merchants and offers of
//! their unions; administrators the unions and officer accounts. A bundle
//! of its own under `/manage`, used at a desk.

pub mod merchants;
pub mod plans;
pub mod unions;

use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::{tr, use_i18n};

/// `/manage`.
#[component]
pub fn ManageHome() -> impl IntoView {
    let i18n = use_i18n();
    let tile = move |href: &'static str,
                     title: fn(&crate::i18n::Strings) -> &'static str,
                     help: fn(&crate::i18n::Strings) -> &'static str| {
        view! {
            <li><A href=href attr:class="tile">
                <strong>{move || title(i18n.t())}</strong>
                <span>{move || help(i18n.t())}</span>
            </A></li>
        }
    };
    view! {
        <section class="page">
            <h2>{tr(|s| s.manage_title)}</h2>
            <ul class="tiles">
                {tile("/manage/merchants", |s| s.manage_merchants, |s| s.manage_merchants_help)}
                {tile("/manage/plans", |s| s.manage_plans, |s| s.manage_plans_help)}
                {tile("/manage/unions", |s| s.manage_unions, |s| s.manage_unions_help)}
            </ul>
        </section>
    }
}
