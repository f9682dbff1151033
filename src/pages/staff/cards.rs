//! Card management: find a card by number, freeze or unfreeze it.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use unioncard_api::card::{CardNumber, CardStatus, StaffCardView};

use crate::api;
use crate::components::card_face::status_text;
use crate::components::field::{InputKind, TextField};
use crate::i18n::{tr, use_i18n};

/// The card screen.
#[component]
pub fn CardsPage() -> impl IntoView {
    let i18n = use_i18n();
    let number = RwSignal::new(String::new());
    let visited = RwSignal::new(false);
    let server = RwSignal::new(Default::default());
    let found = RwSignal::new(None::<StaffCardView>);
    let message = RwSignal::new(None::<String>);
    let error = crate::pages::account::field_error("card_no", server, visited, move || {
        CardNumber::parse(&number.get()).map(|_| ())
    });
    let normalized = move || {
        CardNumber::parse(&number.get_untracked())
            .map(|c| c.as_str().to_string())
            .unwrap_or_default()
    };
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        visited.set(true);
        if error.get_untracked().is_some() {
            return;
        }
        let no = normalized();
        spawn_local(async move {
            match api::staff_card(&no).await {
                Ok(c) => {
                    found.set(Some(c));
                    message.set(None);
                }
                Err(f) => {
                    found.set(None);
                    message.set(Some(f.message()));
                }
            }
        });
    };
    let toggle = move |freeze: bool| {
        let no = normalized();
        spawn_local(async move {
            match api::set_frozen(&no, freeze).await {
                Ok(c) => found.set(Some(c)),
                Err(f) => message.set(Some(f.message())),
            }
        });
    };
    view! {
        <section class="page narrow">
            <h2>{tr(|s| s.staff_cards)}</h2>
            <form on:submit=on_submit novalidate>
                <TextField id="staff_card_no" label=Signal::derive(move || i18n.t().card_no)
                    hint=Signal::derive(move || i18n.t().card_no_hint) value=number error=error kind=InputKind::CARD_NUMBER/>
                <button type="submit" class="btn btn-primary btn-block">{tr(|s| s.find)}</button>
            </form>
            <p class="form-message" role="alert">{move || message.get()}</p>
            {move || found.get().map(|c| {
                let frozen = c.status == CardStatus::Frozen;
                let lost = c.status == CardStatus::Lost;
                view! {
                    <section class="panel" data-test="staff-card">
                        <dl class="facts">
                            <dt>{tr(|s| s.holder)}</dt><dd>{c.holder.clone()}</dd>
                            <dt>{tr(|s| s.id_number)}</dt><dd>{c.id_number_masked.clone()}</dd>
                            <dt>{tr(|s| s.union)}</dt><dd>{c.union_name.clone()}</dd>
                            <dt>{tr(|s| s.card_number)}</dt><dd>{c.card_no_masked.clone()}</dd>
                            <dt>{tr(|s| s.status)}</dt><dd data-test="staff-card-status">{move || status_text(i18n.t(), c.status)}</dd>
                        </dl>
                        {(!lost).then(|| view! {
                            <button type="button" class="btn btn-secondary btn-block" on:click=move |_| toggle(!frozen)>
                                {move || if frozen { i18n.t().unfreeze } else { i18n.t().freeze }}
                            </button>
                        })}
                    </section>
                }
            })}
        </section>
    }
}
