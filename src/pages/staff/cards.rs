//! Card management: find a card by its number or its holder's ID number,
//! freeze or unfreeze it, replace a lost one (补卡), and disable or restore
//! the holder's account (a phone lost or sold). The numbers travel in
//! request bodies, never in a URL.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use unioncard_api::card::{CardNumber, CardStatus, StaffCardView};
use unioncard_api::identity::IdNumber;

use crate::api;
use crate::components::account_access::AccountAccessRow;
use crate::components::card_face::status_text;
use crate::components::field::{InputKind, TextField};
use crate::i18n::{both, tr, use_i18n};

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
    // The new number of a card just replaced, shown once to hand it over.
    let replaced = RwSignal::new(None::<String>);
    let error = crate::pages::account::field_error("card_no", server, visited, move || {
        typed(&number.get()).map(|_| ())
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
        if let Ok(no) = typed(&number.get_untracked()) {
            replaced.set(None);
            load(no);
        }
    };
    let replace = move |_| {
        let Some(no) = shown.get_untracked() else {
            return;
        };
        if pending.get_untracked() {
            return;
        }
        pending.set(true);
        spawn_local(async move {
            let result = api::replace_card(&no).await;
            pending.set(false);
            match result {
                Ok(r) => {
                    found.set(Some(r.card));
                    shown.set(Some(r.new_card_no.clone()));
                    replaced.set(Some(r.new_card_no));
                    message.set(None);
                }
                Err(f) => message.set(Some(f.message())),
            }
        });
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
                <TextField id="staff_card_no" label=Signal::derive(both("卡号或身份证号", "Card number or ID number"))
                    hint=Signal::derive(both("会员卡丢失、记不清卡号时，输入持卡人身份证号", "When the card is lost and its number unknown, the holder's ID number"))
                    value=number error=error kind=InputKind::CARD_OR_ID/>
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
                        {move || replaced.get().map(|no| view! {
                            <p class="panel notice" role="status" data-test="new-card-no">
                                {both("已补办新卡，新卡号：", "Replaced. The new card number: ")}
                                <strong class="num">{group_digits(&no)}</strong><br/>
                                {both("请把新卡交给会员，会员在 App 首页用新卡号和身份证号激活；原卡和原会员码已停用，会员已收到消息。",
                                    "Hand the new card over; the member activates it on the app's home screen with its number and their ID number. The old card and its codes no longer work, and the member has been told.")}
                            </p>
                        })}
                        {lost.then(|| view! {
                            <p class="hint">{both("这张卡已挂失。核对持卡人身份证件后，可补办新卡：卡内优惠记录和到账记录保留，银行退回的款项可重新发放。",
                                "This card is reported lost. Once the holder's ID is checked, a new card can be issued: their history and payments stay, and payments the bank refused can be paid again.")}</p>
                            <button type="button" class="btn btn-primary btn-block" data-test="replace-card"
                                disabled=move || pending.get() on:click=replace>
                                {both("补办新卡", "Replace the card")}
                            </button>
                        })}
                        {(!lost).then(|| view! {
                            <button type="button" class="btn btn-secondary btn-block" data-test="freeze-toggle"
                                disabled=move || pending.get() on:click=move |_| toggle(!frozen)>
                                {move || if frozen { i18n.t().unfreeze } else { i18n.t().freeze }}
                            </button>
                        })}
                        <h3 class="account-heading">{both("持卡人账号", "Cardholder's account")}</h3>
                        {match c.account.clone() {
                            Some(a) => view! { <AccountAccessRow account=a/> }.into_any(),
                            None => view! { <p class="note" data-test="no-account">{both("持卡人还没有注册账号", "The cardholder has not registered an account")}</p> }.into_any(),
                        }}
                    </section>
                }
            })}
        </section>
    }
}

/// What the officer typed, as the server should get it: a card number, or
/// else an ID number; the card number's problem when it is neither.
fn typed(s: &str) -> Result<String, unioncard_api::FieldProblem> {
    match CardNumber::parse(s) {
        Ok(no) => Ok(no.as_str().to_string()),
        Err(e) => IdNumber::parse(s)
            .map(|id| id.expose().to_string())
            .map_err(|_| e),
    }
}

/// A card number in groups of four, as printed on the card.
fn group_digits(no: &str) -> String {
    no.as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}
