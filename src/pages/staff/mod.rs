//! The union officer's desk (工会工作台) and its screens.

pub mod aid;
pub mod audit;
pub mod cards;
pub mod complaints;
pub mod figures;
pub mod join_requests;
pub mod loans;
pub mod roster;
pub mod training;

use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::{tr, use_i18n};

/// The officer's home: one tile per kind of work, with what waits in each
/// review queue of the officer's unions.
#[component]
pub fn StaffHome() -> impl IntoView {
    let i18n = use_i18n();
    let counts = LocalResource::new(crate::api::staff_queues);
    let waiting = move |pick: fn(&crate::api::Queues) -> i64| {
        move || {
            counts
                .get()
                .and_then(Result::ok)
                .map(|q| pick(&q))
                .filter(|n| *n > 0)
                .map(|n| view! { <span class="count" aria-label=move || format!("{} {n}", i18n.t().waiting_label)>{n}</span> })
        }
    };
    let tile = move |href: &'static str,
                     title: fn(&crate::i18n::Strings) -> &'static str,
                     help: fn(&crate::i18n::Strings) -> &'static str,
                     count: Option<fn(&crate::api::Queues) -> i64>| {
        view! {
            <li><A href=href attr:class="tile">
                <strong>{move || title(i18n.t())}{count.map(waiting)}</strong>
                <span>{move || help(i18n.t())}</span>
            </A></li>
        }
    };
    view! {
        <section class="page">
            <h2>{tr(|s| s.staff_title)}</h2>
            <p class="intro">{tr(|s| s.staff_intro)}</p>
            <ul class="tiles" data-test="desk-tiles">
                {tile("/staff/figures", |s| s.figures_title, |s| s.figures_help, None)}
                {tile("/staff/join-requests", |s| s.staff_join_requests, |s| s.staff_join_requests_help, Some(|q| q.join_requests))}
                {tile("/staff/aid", |s| s.staff_aid, |s| s.staff_aid_help, Some(|q| q.claims))}
                {tile("/staff/loans", |s| s.staff_loans, |s| s.staff_loans_help, Some(|q| q.loans))}
                {tile("/staff/complaints", |s| s.staff_complaints, |s| s.staff_complaints_help, Some(|q| q.complaints))}
                {tile("/staff/roster", |s| s.staff_roster, |s| s.staff_roster_help, None)}
                {tile("/staff/cards", |s| s.staff_cards, |s| s.staff_cards_help, None)}
                {tile("/staff/training", |s| s.staff_training, |s| s.staff_training_help, None)}
                {tile("/staff/audit", |s| s.audit_title, |s| s.audit_help, None)}
                // Management is its own download: a full page load.
                <li><a href="/manage" rel="external" class="tile">
                    <strong>{tr(|s| s.manage_title)}</strong>
                    <span>{tr(|s| s.manage_merchants_help)}</span>
                </a></li>
            </ul>
        </section>
    }
}
