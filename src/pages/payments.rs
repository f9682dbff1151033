//! 到账记录 (`/me/payments`): union money paid onto the member's card
//! (hardship aid, holiday relief, 金秋助学, allowances), newest first, with
//! this year's credited total; a payment the bank refused says why and
//! that the union pays it again. Its words are written here (`both`): the
//! screen lives in the `me` chunk, not in the first load.

use leptos::prelude::*;
use unioncard_api::allowances::ModelWorkerView;
use unioncard_api::offers::yuan;
use unioncard_api::payments::{LineStatus, MyPayment, MyPayments};

use crate::api;
use crate::components::shell::SignInFor;
use crate::components::status::loaded;
use crate::i18n::{both, use_i18n};
use crate::pages::format_date;
use crate::session::{use_session, SessionState};

/// `/me/payments`.
#[component]
pub fn MyPaymentsPage() -> impl IntoView {
    let session = use_session();
    let data = LocalResource::new(move || {
        let signed_in = matches!(session.state.get(), SessionState::User(_));
        async move {
            if !signed_in {
                return Ok(None);
            }
            let payments = api::my_payments().await?;
            // Not on the register is the usual answer, not an error.
            let worker = api::my_model_worker().await.ok();
            Ok(Some((payments, worker)))
        }
    });
    view! {
        <section class="page">
            <h2>{both("到账记录", "Money onto my card")}</h2>
            <p class="intro">{both(
                "工会发放到您会员卡上的帮扶金、慰问金、助学金和劳模津贴。",
                "Hardship aid, relief, education aid and allowances your union paid onto your card.",
            )}</p>
            {loaded(data, move |v| match v {
                None => view! { <SignInFor why=both("登录后查看发放到您会员卡上的钱", "Sign in to see the money paid onto your card")/> }.into_any(),
                Some((p, worker)) => view! {
                    {worker.map(|w| view! { <ModelWorker w=w/> })}
                    <Payments p=p/>
                }.into_any(),
            })}
        </section>
    }
}

/// A model worker's honour and monthly allowance.
#[component]
fn ModelWorker(w: ModelWorkerView) -> impl IntoView {
    let i18n = use_i18n();
    let level = w.level;
    view! {
        <div class="panel" data-test="model-worker">
            <strong>{move || level.label(i18n.lang.get())}</strong>
            <p class="hint">{w.honour.clone()}</p>
            {w.monthly_fen.map(|m| view! {
                <p>{both("每月津补贴 ", "Allowance a month ")}<strong class="num">{yuan(m)}</strong></p>
            })}
        </div>
    }
}

#[component]
fn Payments(p: MyPayments) -> impl IntoView {
    view! {
        <div class="panel saving-total">
            <span>{both("今年已到账", "Credited this year")}</span>
            <strong class="num" data-test="year-credited">{yuan(p.year_total_fen)}</strong>
        </div>
        {if p.items.is_empty() {
            view! { <p class="panel" data-test="no-payments">{both(
                "还没有到账记录。工会发放的钱到账后会显示在这里，并给您发消息。",
                "Nothing yet. When your union pays money onto your card it shows here, and you get a message.",
            )}</p> }.into_any()
        } else {
            view! {
                <ul class="claim-list" data-test="my-payments">
                    {p.items.into_iter().map(|i| view! { <PaymentLine p=i/> }).collect_view()}
                </ul>
            }.into_any()
        }}
    }
}

#[component]
fn PaymentLine(p: MyPayment) -> impl IntoView {
    let i18n = use_i18n();
    let (programme, status) = (p.programme, p.status);
    let day = p.at.get(..10).unwrap_or("").to_string();
    let pill = match status {
        LineStatus::Credited => "approved",
        LineStatus::Failed => "rejected",
        _ => "submitted",
    };
    view! {
        <li class="claim-line" data-test="payment">
            <span>
                <strong>{move || programme.label(i18n.lang.get())}</strong>
                <br/><small>{p.title.clone()}</small>
                <br/><small class="date">{move || format_date(&day, i18n.lang.get())}</small>
                {p.reason.clone().map(|r| view! {
                    <br/><small class="warn-note">{move || match i18n.lang.get() {
                        crate::i18n::Lang::Zh => format!("未能到账：{r}。补办或解冻会员卡后，工会将重新发放"),
                        crate::i18n::Lang::En => format!("Not credited: {r}. Once your card is replaced or unfrozen the union pays it again"),
                    }}</small>
                })}
            </span>
            <span class="claim-right">
                <strong class="num">{yuan(p.amount_fen)}</strong>
                <span class=format!("status-pill {pill}")>{move || status.label(i18n.lang.get())}</span>
            </span>
        </li>
    }
}
