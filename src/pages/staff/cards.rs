//! Card management: find a card by number, freeze or unfreeze it, and
//! disable or restore the holder's account (a phone lost or sold). The card
//! number travels in request bodies, never in a URL.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use unioncard_api::card::{CardNumber, CardStatus, StaffCardView};

use crate::api;
use crate::components::account_access::AccountAccessRow;
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
    // The number of the card on screen: what the buttons act on, even if the
    // field has been edited since.
    let shown = RwSignal::new(None::<String>);
    let message = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);
    let error = crate::pages::account::field_error("card_no", server, visited, move || {
        CardNumber::parse(&number.get()).map(|_| ())
    });
    let load = move |no: String| {
        pending.set(true);
        spawn_local(async move {
            let result = api::staff_card(&no).await;
            pending.set(false);
            match result {
                Ok(c) => {
                    found.set(Some(c));
                    shown.set(Some(no));
                    message.set(None);
                }
                Err(f) => {
                    found.set(None);
                    shown.set(None);
                    message.set(Some(f.message()));
                }
            }
        });
    };
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        visited.set(true);
        if error.get_untracked().is_some() || pending.get_untracked() {
            return;
        }
        if let Ok(no) = CardNumber::parse(&number.get_untracked()) {
            load(no.as_str().to_string());
        }
    };
    let toggle = move |freeze: bool| {
        let Some(no) = shown.get_untracked() else {
            return;
        };
        if pending.get_untracked() {
            return;
        }
        pending.set(true);
        spawn_local(async move {
            let result = api::set_frozen(&no, freeze).await;
            pending.set(false);
            match result {
                Ok(c) => {
                    found.set(Some(c));
                    message.set(None);
                }
                Err(f) => message.set(Some(f.message())),
            }
        });
    };
    view! {
        <section class="page narrow">
            <h2>{tr(|s| s.staff_cards)}</h2>
            <form on:submit=on_submit novalidate data-test="card-lookup">
                <TextField id="staff_card_no" label=Signal::derive(move || i18n.t().card_no)
                    hint=Signal::derive(move || i18n.t().card_no_hint) value=number error=error kind=InputKind::CARD_NUMBER/>
                <button type="submit" class="btn btn-primary btn-block" disabled=move || pending.get()>{tr(|s| s.find)}</button>
            </form>
            <p class="form-message" role="alert" data-test="form-message">{move || message.get()}</p>
            {move || found.get().map(|c| {
                let frozen = c.status == CardStatus::Frozen;
                let lost = c.status == CardStatus::Lost;
                view! {
                    <section class="panel" data-test="staff-card">
                        <dl class="facts">
                            <dt>{tr(|s| s.holder)}</dt><dd>{c.holder.clone()}</dd>
                            <dt>{tr(|s| s.id_number)}</dt><dd><span class="num">{c.id_number_masked.clone()}</span></dd>
                            <dt>{tr(|s| s.union)}</dt><dd>{c.union_name.clone()}</dd>
                            <dt>{tr(|s| s.card_number)}</dt><dd><span class="num">{c.card_no_masked.clone()}</span></dd>
                            <dt>{tr(|s| s.status)}</dt><dd data-test="staff-card-status">{move || status_text(i18n.t(), c.status)}</dd>
                        </dl>
                        {(!lost).then(|| view! {
                            <button type="button" class="btn btn-secondary btn-block" data-test="freeze-toggle"
                                disabled=move || pending.get() on:click=move |_| toggle(!frozen)>
                                {move || if frozen { i18n.t().unfreeze } else { i18n.t().freeze }}
                            </button>
                        })}
                        <h3 class="account-heading">{tr(|s| s.holder_account)}</h3>
                        {match c.account.clone() {
                            Some(a) => view! { <AccountAccessRow account=a/> }.into_any(),
                            None => view! { <p class="note" data-test="no-account">{tr(|s| s.no_holder_account)}</p> }.into_any(),
                        }}
                    </section>
                }
            })}
        </section>
    }
}
