//! The union officer's desk (工会工作台) and its screens.

pub mod aid;
pub mod cards;
pub mod complaints;
pub mod join_requests;
pub mod loans;
pub mod roster;
pub mod training;

use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::{tr, use_i18n};

/// The officer's home: one tile per kind of work.
#[component]
pub fn StaffHome() -> impl IntoView {
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
            <h2>{tr(|s| s.staff_title)}</h2>
            <p class="intro">{tr(|s| s.staff_intro)}</p>
            <ul class="tiles">
                {tile("/staff/join-requests", |s| s.staff_join_requests, |s| s.staff_join_requests_help)}
                {tile("/staff/roster", |s| s.staff_roster, |s| s.staff_roster_help)}
                {tile("/staff/cards", |s| s.staff_cards, |s| s.staff_cards_help)}
                {tile("/staff/aid", |s| s.staff_aid, |s| s.staff_aid_help)}
                {tile("/staff/loans", |s| s.staff_loans, |s| s.staff_loans_help)}
                {tile("/staff/complaints", |s| s.staff_complaints, |s| s.staff_complaints_help)}
                {tile("/staff/training", |s| s.staff_training, |s| s.staff_training_help)}
            </ul>
        </section>
    }
}
