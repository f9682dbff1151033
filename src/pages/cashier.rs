//! The cashier's screen: read the member's code with the camera (where the
//! browser can) or type it, and see at once whether the discount applies.

use leptos::ev::SubmitEvent;
use leptos::html::Video;
use leptos::prelude::*;
use leptos::task::spawn_local;
use unioncard_api::card::{CardCheckResult, CardStatus};
use unioncard_api::ecard::EcardCode;

use crate::api;
use crate::components::card_face::status_text;
use crate::components::field::{InputKind, TextField};
use crate::i18n::{both, tr, use_i18n};
use crate::scan;

/// The card check.
#[component]
pub fn CashierPage() -> impl IntoView {
    let i18n = use_i18n();
    let code = RwSignal::new(String::new());
    let visited = RwSignal::new(false);
    let server = RwSignal::new(std::collections::BTreeMap::<String, String>::new());
    let result = RwSignal::new(None::<Result<CardCheckResult, String>>);
    let pending = RwSignal::new(false);
    let scanning = RwSignal::new(false);
    let video = NodeRef::<Video>::new();
    let can_scan = scan::has_barcode_detector();
    let error = crate::pages::account::field_error("token", server, visited, move || {
        EcardCode::parse(&code.get()).map(|_| ())
    });

    let check = move || {
        if pending.get_untracked() {
            return;
        }
        visited.set(true);
        if error.get_untracked().is_some() {
            return;
        }
        pending.set(true);
        result.set(None);
        let token: String = code
            .get_untracked()
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        spawn_local(async move {
            let r = api::check_card(&token).await;
            pending.set(false);
            match r {
                Ok(ok) => result.set(Some(Ok(ok))),
                Err(f) => {
                    server.set(f.fields());
                    result.set(Some(Err(f.message())));
                }
            }
        });
    };
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        check();
    };
    let start_scan = move |_| {
        scanning.set(true);
        spawn_local(async move {
            // Let the video element render first.
            gloo_timers_next_frame().await;
            let Some(v) = video.get_untracked() else {
                return;
            };
            match scan::scan_qr(&v).await {
                Ok(text) => {
                    scanning.set(false);
                    code.set(text.as_string().unwrap_or_default());
                    check();
                }
                Err(_) => {
                    scanning.set(false);
                    result.set(Some(Err(i18n.t().camera_unavailable.into())));
                }
            }
        });
    };
    let stop = move |_| {
        if let Some(v) = video.get_untracked() {
            scan::stop_scan(&v);
        }
        scanning.set(false);
    };

    view! {
        <section class="page narrow">
            <h2>{both("核验会员卡", "Check a member card")}</h2>
            // Say "scan" only where there is a camera button to scan with.
            <p class="intro">{move || if can_scan { i18n.t().cashier_intro } else { i18n.t().cashier_intro_type }}</p>
            <form on:submit=on_submit novalidate data-test="check-form">
                <TextField id="member_code" label=Signal::derive(move || i18n.t().code_label)
                    hint=Signal::derive(move || i18n.t().code_hint) value=code error=error
                    kind=InputKind::MEMBER_CODE
                    on_input=Callback::new(move |_| { server.set(Default::default()); result.set(None); })/>
                <div class="actions">
                    <button type="submit" class="btn btn-primary" disabled=move || pending.get()>
                        {move || if pending.get() { i18n.t().checking } else { i18n.t().check }}
                    </button>
                    {can_scan.then(|| view! {
                        <button type="button" class="btn btn-secondary" on:click=start_scan>{both("扫码", "Scan")}</button>
                    })}
                </div>
            </form>
            <Show when=move || scanning.get()>
                <div class="scanner">
                    <p>{both("请将会员码对准摄像头", "Point the camera at the member code")}</p>
                    <video node_ref=video playsinline muted></video>
                    <button type="button" class="btn btn-secondary" on:click=stop>{tr(|s| s.cancel)}</button>
                </div>
            </Show>
            <div aria-live="polite" data-test="check-result">
                {move || result.get().map(|r| match r {
                    Ok(c) => {
                        let ok = c.card_status == CardStatus::Active;
                        view! {
                            <div class="panel check-result" class:ok=ok class:bad=!ok>
                                <p class="verdict">{move || if ok { i18n.t().check_valid } else { i18n.t().check_not_valid }}</p>
                                <dl class="facts">
                                    <dt>{tr(|s| s.holder)}</dt><dd data-test="check-holder">{c.holder_masked.clone()}</dd>
                                    <dt>{tr(|s| s.union)}</dt><dd>{c.union_name.clone()}</dd>
                                    <dt>{tr(|s| s.card_number)}</dt><dd>{c.card_no_masked.clone()}</dd>
                                    <dt>{tr(|s| s.status)}</dt><dd>{move || status_text(i18n.t(), c.card_status)}</dd>
                                </dl>
                            </div>
                        }.into_any()
                    }
                    Err(msg) => view! { <div class="error-box" role="alert">{msg}</div> }.into_any(),
                })}
            </div>
            <crate::pages::cashier_redeem::RedeemDesk/>
        </section>
    }
}

/// Resolves after the browser has painted once.
async fn gloo_timers_next_frame() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 50);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
