//! A person's whole phone number behind a tap, for the officer, lawyer or
//! counsellor about to call them: answers show numbers masked, and the
//! server records each look (`rights.contact`, `counselling.contact`).

use std::future::Future;

use leptos::prelude::*;
use leptos::task::spawn_local;
use unioncard_api::rights::ContactView;

use crate::api::Failure;
use crate::i18n::both;

/// "查看完整号码", then "拨打 138…" as a `tel:` link; `test` names the
/// button (`show-…`) and the link (`call-…`) for the browser tests.
#[component]
pub fn RevealPhone<F, Fut>(fetch: F, test: &'static str) -> impl IntoView
where
    F: Fn() -> Fut + Copy + Send + Sync + 'static,
    Fut: Future<Output = Result<ContactView, Failure>> + 'static,
{
    let phone = RwSignal::new(None::<String>);
    let message = RwSignal::new(None::<String>);
    let show = move |_| {
        spawn_local(async move {
            match fetch().await {
                Ok(c) => phone.set(Some(c.phone)),
                Err(f) => message.set(Some(f.message())),
            }
        });
    };
    view! {
        {move || match phone.get() {
            Some(p) => view! {
                <a class="btn btn-primary" href=unioncard_api::centres::tel_link(&p) data-test=format!("call-{test}")>
                    {both("拨打 ", "Call ")}<span class="num">{p.clone()}</span>
                </a>
            }.into_any(),
            None => view! {
                <button type="button" class="btn btn-secondary" data-test=format!("show-{test}") on:click=show>
                    {both("查看完整号码", "Show the whole number")}
                </button>
            }.into_any(),
        }}
        <span class="form-message" role="alert">{move || message.get()}</span>
    }
}
