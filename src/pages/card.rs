//! The member's card on 首页: the e-card with its rotating QR code when the
//! card is active (also with no network), the activation form when it was
//! only issued, and what to do when it is frozen or lost.

use std::time::Duration;

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use unioncard_api::card::{ActivateRequest, CardNumber, CardStatus, CardSummary, CardView};
use unioncard_api::ecard::seconds_to_next;
use unioncard_api::identity::IdNumber;

use crate::api::{self, Failure};
use crate::components::card_face::CardFace;
use crate::components::field::{InputKind, TextField};
use crate::components::qr::Qr;
use crate::components::status::loaded_or;
use crate::ecard::{self, StoredEcard};
use crate::i18n::{tr, use_i18n};
use crate::pages::account::{field_error, focus_first_invalid};
use crate::session::use_session;

fn summary(card: &CardView) -> CardSummary {
    CardSummary {
        card_no_masked: card.card_no_masked.clone(),
        bank: card.bank.clone(),
        status: card.status,
    }
}

/// The signed-in member's card, fetched live.
#[component]
pub fn MemberCard() -> impl IntoView {
    let card = LocalResource::new(api::card);
    // No answer from the server: show what this phone kept.
    let kept = |f: &Failure| match ecard::load() {
        Some(stored) if f.status().is_none() => {
            Some(view! { <Ecard stored=stored offline=true/> }.into_any())
        }
        _ => None,
    };
    loaded_or(card, kept, move |c: CardView| {
        match c.status {
            CardStatus::Active => view! { <ActiveCard card=c/> }.into_any(),
            CardStatus::Issued => view! {
                <CardFace card=summary(&c) holder=c.holder_masked.clone() union_name=Some(c.union_name.clone())/>
                <ActivateForm on_done=Callback::new(move |_| card.refetch())/>
            }.into_any(),
            _ => {
                // A frozen or lost card shows no code, and this phone forgets its secret.
                ecard::clear();
                view! {
                    <CardFace card=summary(&c) holder=c.holder_masked.clone() union_name=Some(c.union_name.clone())/>
                }.into_any()
            }
        }
    })
}

/// The card's face at once, then its codes once this phone can make them
/// (on a first visit that is one more request: the face need not wait).
#[component]
fn ActiveCard(card: CardView) -> impl IntoView {
    let face = view! {
        <CardFace card=summary(&card) holder=card.holder_masked.clone() union_name=Some(card.union_name.clone())/>
    };
    let stored = LocalResource::new(move || {
        let card = card.clone();
        async move { ecard::ensure(&card).await }
    });
    // Not set up afresh (no network, or the server refused): a secret this
    // phone kept still makes codes.
    let kept = |_: &Failure| {
        ecard::load().map(|s| view! { <EcardCode stored=s offline=true/> }.into_any())
    };
    view! {
        {face}
        {loaded_or(stored, kept, |s| view! { <EcardCode stored=s offline=false/> })}
    }
}

/// The e-card: card face, QR code, the digits, a countdown, full screen.
#[component]
pub fn Ecard(stored: StoredEcard, offline: bool) -> impl IntoView {
    let card = stored.card.clone();
    view! {
        <CardFace card=summary(&card) holder=card.holder_masked.clone() union_name=Some(card.union_name.clone())/>
        <EcardCode stored=stored offline=offline/>
    }
}

/// The e-card's codes: QR code, the digits, a countdown, full screen.
#[component]
fn EcardCode(stored: StoredEcard, offline: bool) -> impl IntoView {
    let i18n = use_i18n();
    let tick = RwSignal::new(ecard::phone_now());
    if let Ok(handle) =
        set_interval_with_handle(move || tick.set(ecard::phone_now()), Duration::from_secs(1))
    {
        on_cleanup(move || handle.clear());
    }
    let for_code = stored.clone();
    let code = Memo::new(move |_| {
        tick.get();
        for_code.code().unwrap_or_default()
    });
    let for_secs = stored.clone();
    let secs = Memo::new(move |_| {
        tick.get();
        seconds_to_next(for_secs.now())
    });
    let full = RwSignal::new(false);
    let label = Signal::derive(move || i18n.t().code_label.to_string());
    let card = stored.card.clone();
    let fs_title = format!("{} · {}", card.holder_masked, card.card_no_masked);
    view! {
        <section class="panel ecard" aria-labelledby="ecard-title">
            <h3 id="ecard-title">{tr(|s| s.code_label)}</h3>
            {offline.then(|| view! { <p class="offline-note" role="status">{tr(|s| s.offline_mode)}</p> })}
            <p class="hint">{tr(|s| s.show_code_hint)}</p>
            <div class="qr-box"><Qr text=code label=label/></div>
            <p class="code-digits" data-test="code-digits">{move || ecard::grouped(&code.get())}</p>
            <p class="countdown" aria-live="off">{move || format!("{} {}", secs.get(), i18n.t().refreshes_in)}</p>
            <button type="button" class="btn btn-primary btn-block" data-test="fullscreen" on:click=move |_| full.set(true)>
                {tr(|s| s.fullscreen)}
            </button>
        </section>
        <Show when=move || full.get()>
            <div class="fullscreen" role="dialog" aria-modal="true" aria-label=tr(|s| s.code_label)
                on:keydown=move |ev| if ev.key() == "Escape" { full.set(false) }>
                <p class="fs-holder">{fs_title.clone()}</p>
                <div class="qr-box big"><Qr text=code label=label/></div>
                <p class="code-digits big">{move || ecard::grouped(&code.get())}</p>
                <p class="countdown">{move || format!("{} {}", secs.get(), i18n.t().refreshes_in)}</p>
                <button type="button" class="btn btn-secondary" autofocus on:click=move |_| full.set(false)>
                    {tr(|s| s.close)}
                </button>
            </div>
        </Show>
    }
}

/// Activation: the number on the card and the holder's ID number.
#[component]
fn ActivateForm(on_done: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let card_no = RwSignal::new(String::new());
    let id_number = RwSignal::new(String::new());
    let visited = [RwSignal::new(false), RwSignal::new(false)];
    let server = RwSignal::new(std::collections::BTreeMap::<String, String>::new());
    let message = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);
    let card_error = field_error("card_no", server, visited[0], move || {
        CardNumber::parse(&card_no.get()).map(|_| ())
    });
    let id_error = field_error("id_number", server, visited[1], move || {
        IdNumber::parse(&id_number.get()).map(|_| ())
    });
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        visited.iter().for_each(|v| v.set(true));
        if card_error.get_untracked().is_some() || id_error.get_untracked().is_some() {
            message.set(Some(i18n.t().form_has_errors.into()));
            focus_first_invalid();
            return;
        }
        let req = ActivateRequest {
            card_no: card_no.get_untracked(),
            id_number: id_number.get_untracked(),
        };
        pending.set(true);
        spawn_local(async move {
            let result = api::activate(&req).await;
            pending.set(false);
            match result {
                Ok(_) => {
                    session.refresh();
                    on_done.run(());
                }
                Err(f) => {
                    server.set(f.fields());
                    message.set(Some(f.message()));
                }
            }
        });
    };
    let clear = Callback::new(move |_| {
        server.set(Default::default());
        message.set(None);
    });
    view! {
        <section class="panel">
            <h3>{tr(|s| s.activate_title)}</h3>
            <p class="intro">{tr(|s| s.activate_intro)}</p>
            <form on:submit=on_submit novalidate data-test="activate-form">
                <TextField id="card_no" label=Signal::derive(move || i18n.t().card_no)
                    hint=Signal::derive(move || i18n.t().card_no_hint) value=card_no error=card_error
                    kind=InputKind::CARD_NUMBER on_blur=Callback::new(move |_| visited[0].set(true)) on_input=clear/>
                <TextField id="activate_id_number" label=Signal::derive(move || i18n.t().id_number)
                    hint=Signal::derive(move || i18n.t().id_number_hint) value=id_number error=id_error
                    kind=InputKind::ID_NUMBER on_blur=Callback::new(move |_| visited[1].set(true)) on_input=clear/>
                <p class="form-message" role="alert" data-test="form-message">{move || message.get()}</p>
                <button type="submit" class="btn btn-primary btn-block" disabled=move || pending.get()>
                    {move || if pending.get() { i18n.t().activating } else { i18n.t().activate }}
                </button>
            </form>
        </section>
    }
}
