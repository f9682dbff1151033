//! A merchant's page: in one screen, what you get, how much a typical bill
//! saves, how to redeem, and the one-time code for the cashier; plus a way to
//! tell the union when the merchant refuses.

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_params_map;
use unioncard_api::offers::{yuan, ComplaintRequest, MerchantView, OfferView, RedemptionCode};

use crate::api;
use crate::clock::today;
use crate::components::qr::Qr;
use crate::components::shell::SignInFor;
use crate::components::status::loaded;
use crate::i18n::{both, tr};
use crate::i18n::{use_i18n, Strings};
use crate::pages::format_date;
use crate::session::use_session;

/// `/merchants/:id`.
#[component]
pub fn MerchantPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|v| v.parse::<i64>().ok()).unwrap_or(0));
    let merchant = LocalResource::new(move || api::merchant(id()));
    view! {
        <section class="page">
            {loaded(merchant, move |m| {
                view! { <Merchant m=m/> }.into_any()
            })}
        </section>
    }
}

/// The offer's conditions after its dates (which the view draws, each date
/// kept on one line).
fn conditions(s: &Strings, o: &OfferView) -> Vec<String> {
    let mut out = Vec::new();
    if o.weekdays == 0b110_0000 {
        out.push(s.weekends_only.into());
    }
    if let Some(l) = o.limit {
        let per = match l.period {
            unioncard_api::offers::LimitPeriod::Day => s.limit_per_day,
            unioncard_api::offers::LimitPeriod::Month => s.limit_per_month,
        };
        // "1 times" reads wrong: one use is "once" in English ("1 次" in Chinese).
        let times = if l.count == 1 { s.time_once } else { s.times };
        out.push(format!("{per} {} {times}", l.count));
    }
    out
}

#[component]
fn Merchant(m: MerchantView) -> impl IntoView {
    let i18n = use_i18n();
    let merchant_id = m.id;
    let typical = m.typical_bill_fen;
    let tel = format!("tel:{}", m.phone.replace([' ', '-'], ""));
    let category = m.category;
    view! {
        <h2>{m.name.clone()}</h2>
        <p class="merchant-meta">{move || category.label(i18n.lang.get())}" · "{m.district.clone()}</p>
        <ul class="offers">
            {m.offers.into_iter().map(|o| {
                let saving = o.typical_saving_fen;
                // The saving is worked on a bill the offer takes (the minimum
                // spend when the typical bill is below it): say that bill.
                let bill = o.example_bill_fen.max(typical);
                let conds = o.clone();
                let usable = o.usable_on(today());
                let unavailable = usable.is_err();
                view! {
                    <li class="panel offer" class:unavailable=unavailable data-test="offer">
                        <h3>{o.title.clone()}</h3>
                        <p class="offer-line">{o.summary.clone()}</p>
                        {(saving > 0).then(|| view! {
                            <p class="saving-line big" data-test="saving-line">{move || format!("{} {} {} {}", i18n.t().typical_saving, yuan(bill), i18n.t().typical_saving_mid, yuan(saving))}</p>
                        })}
                        <ul class="conditions">
                            <li>{both("有效期", "Valid")}" "<span class="date">{let d = o.valid_from.clone(); move || format_date(&d, i18n.lang.get())}</span>
                                " – "<span class="date">{let d = o.valid_to.clone(); move || format_date(&d, i18n.lang.get())}</span></li>
                            {move || conditions(i18n.t(), &conds).into_iter().map(|c| view! { <li>{c}</li> }).collect_view()}
                        </ul>
                        {match usable {
                            Ok(()) => view! { <Redeem offer_id=o.id/> }.into_any(),
                            Err(why) => view! {
                                <p class="unavailable-note" data-test="offer-unavailable">{move || why.message(i18n.lang.get())}</p>
                            }.into_any(),
                        }}
                    </li>
                }
            }).collect_view()}
        </ul>
        <section class="panel">
            <h3>{both("怎么用", "How to use it")}</h3>
            <ol class="steps">
                {move || i18n.t().offers_how_steps.iter().map(|s| view! { <li>{*s}</li> }).collect_view()}
            </ol>
            <dl class="facts">
                <dt>{tr(|s| s.address)}</dt><dd>{m.address.clone()}</dd>
                <dt>{tr(|s| s.hours)}</dt><dd>{m.hours.clone()}</dd>
                <dt>{both("电话", "Phone")}</dt><dd><a href=tel>{m.phone.clone()}</a></dd>
            </dl>
        </section>
        <Complain merchant_id=merchant_id redemption_id=None/>
    }
}

/// 使用优惠: get the one-time code, show it with a QR and its remaining time.
#[component]
fn Redeem(offer_id: i64) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let code = RwSignal::new(None::<RedemptionCode>);
    let message = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);
    let guest_tapped = RwSignal::new(false);
    // One key per tap: a retry of the same tap returns the same code.
    let key = StoredValue::new(api::new_key());
    let get_code = move |_| {
        if session.me().is_none() {
            // A guest is asked to sign in, and brought back here after.
            guest_tapped.set(true);
            return;
        }
        if pending.get_untracked() {
            return;
        }
        pending.set(true);
        message.set(None);
        spawn_local(async move {
            let r = api::redeem(offer_id, &key.get_value()).await;
            pending.set(false);
            match r {
                Ok(c) => code.set(Some(c)),
                Err(f) => message.set(Some(f.message())),
            }
        });
    };
    view! {
        {move || match code.get() {
            None => view! {
                <button type="button" class="btn btn-primary btn-block" data-test="use-offer" disabled=move || pending.get() on:click=get_code>
                    {move || if pending.get() { i18n.t().getting_code } else { i18n.t().use_offer }}
                </button>
            }.into_any(),
            Some(c) => view! { <OfferCode c=c on_expired=Callback::new(move |_| { code.set(None); key.set_value(api::new_key()); })/> }.into_any(),
        }}
        {move || guest_tapped.get().then(|| view! { <SignInFor why=both("领取优惠码要先登录会员账号，登录后会回到这家商户。", "Sign in to get a discount code; you will come back to this merchant.")/> })}
        <p class="form-message" role="alert">{move || message.get()}</p>
    }
}

#[component]
fn OfferCode(c: RedemptionCode, on_expired: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let expires = parse_rfc3339(&c.expires_at);
    let left = RwSignal::new(expires - now());
    if let Ok(handle) =
        set_interval_with_handle(move || left.set(expires - now()), Duration::from_secs(1))
    {
        on_cleanup(move || handle.clear());
    }
    Effect::new(move |_| {
        if left.get() <= 0 {
            on_expired.run(());
        }
    });
    let digits = c.code.clone();
    let grouped = format!(
        "{} {} {}",
        &digits[..3.min(digits.len())],
        &digits[3.min(digits.len())..7.min(digits.len())],
        &digits[7.min(digits.len())..]
    );
    view! {
        <div class="offer-code" role="region" aria-label=tr(|s| s.offer_code_title)>
            <p class="hint">{both("请把优惠码出示给收银员，10 分钟内有效，只能使用一次。", "Show this code to the cashier. It works once, within 10 minutes.")}</p>
            <div class="qr-box"><Qr text=Signal::derive(move || digits.clone()) label=Signal::derive(move || i18n.t().offer_code_title.to_string())/></div>
            <p class="code-digits big" data-test="offer-code">{grouped}</p>
            <p class="countdown">{move || { let s = left.get().max(0); format!("{}:{:02} {}", s / 60, s % 60, i18n.t().expires_in) }}</p>
        </div>
    }
}

/// Seconds since the epoch, now.
fn now() -> i64 {
    (js_sys::Date::now() / 1000.0) as i64
}

/// Unix seconds of an RFC 3339 instant (the server always sends +08:00).
fn parse_rfc3339(s: &str) -> i64 {
    js_sys::Date::parse(s) as i64 / 1000
}

/// 反映问题: a one-tap report to the union about this merchant.
#[component]
pub fn Complain(merchant_id: i64, redemption_id: Option<i64>) -> impl IntoView {
    let i18n = use_i18n();
    let open = RwSignal::new(false);
    // No reason is chosen for the member: they say what happened.
    let kind = RwSignal::new(String::new());
    let text = RwSignal::new(String::new());
    let sent = RwSignal::new(false);
    let message = RwSignal::new(None::<String>);
    let photo = NodeRef::<leptos::html::Input>::new();
    let send = move |_| {
        if kind.get_untracked().is_empty() {
            message.set(Some(i18n.t().complaint_choose_kind.into()));
            return;
        }
        let req = ComplaintRequest {
            merchant_id,
            kind: kind.get_untracked(),
            text: text.get_untracked(),
            redemption_id,
        };
        let file = photo
            .get_untracked()
            .and_then(|i| i.files())
            .and_then(|f| f.get(0));
        spawn_local(async move {
            match api::complain(&req).await {
                Ok(c) => {
                    // The report stands even if the photo fails; say so.
                    if let Some(file) = file {
                        if let Err(f) = api::complaint_photo(c.id, file).await {
                            message.set(Some(f.message()));
                        }
                    }
                    sent.set(true)
                }
                Err(f) => message.set(Some(f.message())),
            }
        });
    };
    let radio = move |value: &'static str, label: fn(&Strings) -> &'static str| {
        view! {
            <label class="check">
                <input type="radio" name=format!("kind-{merchant_id}-{}", redemption_id.unwrap_or(0)) value=value
                    prop:checked=move || kind.get() == value on:change=move |_| kind.set(value.into())/>
                {move || label(i18n.t())}
            </label>
        }
    };
    let text_id = StoredValue::new(format!(
        "complaint-text-{merchant_id}-{}",
        redemption_id.unwrap_or(0)
    ));
    view! {
        <div class="complain">
            <Show when=move || !sent.get() fallback=move || view! {
                <p class="done panel" role="status">{both("已提交，工会会核实处理。处理结果可在“我的”中查看。", "Sent. The union will look into it; see the outcome on your Me page.")}</p>
                <p class="form-message" role="alert">{move || message.get()}</p>
            }>
                <Show when=move || open.get() fallback=move || view! {
                    <button type="button" class="btn btn-link" data-test="report-problem" on:click=move |_| open.set(true)>
                        {both("反映问题", "Report a problem")}
                    </button>
                }>
                    <div class="panel" data-test="complaint-form">
                        <h3>{both("向工会反映商户问题", "Tell the union about this merchant")}</h3>
                        <fieldset class="choice">
                            <legend>{both("遇到了什么问题", "What happened")}</legend>
                            {radio("refused", |s| s.complaint_refused)}
                            {radio("wrong_discount", |s| s.complaint_wrong)}
                            {radio("other", |s| s.complaint_other)}
                        </fieldset>
                        <label for=move || text_id.get_value()>{both("说明（选填）", "What happened (optional)")}</label>
                        <textarea id=move || text_id.get_value() rows="3" maxlength="500" prop:value=move || text.get()
                            on:input=move |ev| text.set(event_target_value(&ev))></textarea>
                        <label for=move || format!("{}-photo", text_id.get_value())>{both("照片（选填）", "Photo (optional)")}</label>
                        <input type="file" accept="image/jpeg,image/png" capture="environment" node_ref=photo
                            id=move || format!("{}-photo", text_id.get_value())/>
                        <p class="form-message" role="alert">{move || message.get()}</p>
                        <div class="actions">
                            <button type="button" class="btn btn-primary" data-test="send-complaint" on:click=send>{tr(|s| s.send)}</button>
                            <button type="button" class="btn btn-secondary" on:click=move |_| open.set(false)>{tr(|s| s.cancel)}</button>
                        </div>
                    </div>
                </Show>
            </Show>
        </div>
    }
}
