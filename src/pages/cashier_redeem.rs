//! The cashier's side of a discount: type (or scan) the member's offer code,
//! enter the bill, see the discount, confirm; and today's confirmed uses.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use unioncard_api::money::parse_yuan;
use unioncard_api::offers::{yuan, CashierRedemption};

use crate::api;
use crate::components::field::{InputKind, TextField};
use crate::i18n::{both, tr, use_i18n};
use crate::pages::format_date_time;

/// Confirm a code, then the day's list.
#[component]
pub fn RedeemDesk() -> impl IntoView {
    let i18n = use_i18n();
    let code = RwSignal::new(String::new());
    let amount = RwSignal::new(String::new());
    let preview = RwSignal::new(None::<CashierRedemption>);
    let done = RwSignal::new(None::<CashierRedemption>);
    let message = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);
    let today = LocalResource::new(api::cashier_today);
    let no_error = Signal::derive(|| None::<String>);
    let amount_error = Signal::derive(move || {
        let a = amount.get();
        (!a.is_empty() && parse_yuan(&a).is_none()).then(|| i18n.t().bad_amount.to_string())
    });
    let run = move |confirm: bool| {
        let Some(fen) = parse_yuan(&amount.get_untracked()) else {
            message.set(Some(i18n.t().bad_amount.into()));
            return;
        };
        if pending.get_untracked() {
            return;
        }
        pending.set(true);
        message.set(None);
        let c = code.get_untracked();
        spawn_local(async move {
            let r = api::cashier_redeem(&c, fen, confirm).await;
            pending.set(false);
            match r {
                Ok(r) if confirm => {
                    preview.set(None);
                    done.set(Some(r));
                    code.set(String::new());
                    amount.set(String::new());
                    today.refetch();
                }
                Ok(r) => preview.set(Some(r)),
                Err(f) => message.set(Some(f.message())),
            }
        });
    };
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        run(false);
    };
    let video = NodeRef::<leptos::html::Video>::new();
    let scanning = RwSignal::new(false);
    let can_scan = crate::scan::has_barcode_detector();
    let scan = move |_| {
        scanning.set(true);
        spawn_local(async move {
            let Some(v) = video.get_untracked() else {
                return;
            };
            match crate::scan::scan_qr(&v).await {
                Ok(text) => code.set(text.as_string().unwrap_or_default()),
                Err(_) => message.set(Some(i18n.t().camera_unavailable.into())),
            }
            scanning.set(false);
        });
    };
    let reset = Callback::new(move |_| {
        preview.set(None);
        done.set(None);
        message.set(None);
    });
    view! {
        <section class="panel">
            <h3>{both("确认优惠码", "Confirm an offer code")}</h3>
            <form on:submit=on_submit novalidate data-test="redeem-form">
                <TextField id="offer_code" label=Signal::derive(move || i18n.t().offer_code_input)
                    hint=Signal::derive(move || i18n.t().offer_code_input_hint) value=code error=no_error
                    kind=InputKind::MEMBER_CODE on_input=reset/>
                <TextField id="bill_amount" label=Signal::derive(move || i18n.t().bill_amount)
                    hint=Signal::derive(move || i18n.t().bill_amount_hint) value=amount error=amount_error
                    kind=InputKind::MONEY on_input=reset/>
                <div class="actions">
                    <button type="submit" class="btn btn-secondary" disabled=move || pending.get()>{both("计算优惠", "Work out the discount")}</button>
                    {can_scan.then(|| view! {
                        <button type="button" class="btn btn-secondary" on:click=scan>{both("扫码", "Scan")}</button>
                    })}
                </div>
            </form>
            <div class="scanner" class:hidden=move || !scanning.get()>
                <video node_ref=video playsinline muted></video>
            </div>
            <p class="form-message" role="alert" data-test="redeem-message">{move || message.get()}</p>
            {move || preview.get().map(|p| view! {
                <div class="worked" data-test="preview">
                    <dl class="facts">
                        <dt>{tr(|s| s.holder)}</dt><dd>{p.member_masked.clone()}</dd>
                        <dt>{tr(|s| s.offer_code_title)}</dt><dd>{p.offer_title.clone()}</dd>
                        <dt>{tr(|s| s.bill)}</dt><dd>{yuan(p.worked.bill_fen)}</dd>
                        <dt>{both("优惠", "Discount")}</dt><dd class="minus">{format!("-{}", yuan(p.worked.discount_fen))}</dd>
                        <dt>{both("应付", "To pay")}</dt><dd class="pay">{yuan(p.worked.pay_fen)}</dd>
                    </dl>
                    <button type="button" class="btn btn-primary btn-block" data-test="confirm-redemption" disabled=move || pending.get()
                        on:click=move |_| run(true)>{both("确认核销", "Confirm")}</button>
                </div>
            })}
            {move || done.get().map(|d| view! {
                <div class="panel check-result ok" role="status" data-test="confirmed">
                    <p class="verdict">{both("已核销，优惠已生效", "Confirmed: the discount applies")}</p>
                    <p>{d.member_masked.clone()}" · "{both("优惠", "Discount")}" "{yuan(d.worked.discount_fen)}" · "{both("应付", "To pay")}" "{yuan(d.worked.pay_fen)}</p>
                </div>
            })}
        </section>
        <section class="panel">
            <h3>{both("今日核销", "Today's confirmed uses")}</h3>
            {move || today.get().and_then(Result::ok).map(|day| view! {
                {day.items.is_empty().then(|| view! { <p class="hint">{both("今天还没有核销记录", "None yet today")}</p> })}
                <ul class="today" data-test="today">
                    {day.items.into_iter().map(|r| view! {
                        <li>
                            <span>{r.confirmed_at.as_deref().map(format_date_time).unwrap_or_default()}" "{r.member_masked.clone()}</span>
                            <span>{yuan(r.worked.bill_fen)}" / -"{yuan(r.worked.discount_fen)}</span>
                        </li>
                    }).collect_view()}
                </ul>
                <p class="today-total"><strong>{tr(|s| s.total)}</strong>" "{yuan(day.bills_fen)}" / -"{yuan(day.discounts_fen)}</p>
            })}
        </section>
    }
}
