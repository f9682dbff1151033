//! A member's or cashier's account as an officer sees it: the name, the
//! masked phone, 正常 or 已停用, and the button that disables it (after an
//! inline confirmation, since it signs the person out everywhere) or restores
//! it. Used by the desk's card screen and management's merchant page.

use leptos::prelude::*;
use leptos::task::spawn_local;
use unioncard_api::auth::AccountSummary;

use crate::api;
use crate::i18n::{tr, use_i18n};

/// One account with its disable / restore button. The row keeps the
/// account's state itself once the server took a change, says so in a status
/// line (read out by screen readers) and puts the focus on the button that
/// undoes it, so keyboard and screen-reader users are never left on nothing.
#[component]
pub fn AccountAccessRow(account: AccountSummary) -> impl IntoView {
    let i18n = use_i18n();
    let AccountSummary {
        id,
        name,
        phone_masked,
        disabled,
        ..
    } = account;
    let disabled = RwSignal::new(disabled);
    let confirming = RwSignal::new(false);
    let pending = RwSignal::new(false);
    let message = RwSignal::new(None::<String>);
    let done = RwSignal::new(None::<bool>);
    let enable_ref = NodeRef::<leptos::html::Button>::new();
    let disable_ref = NodeRef::<leptos::html::Button>::new();
    let confirm_ref = NodeRef::<leptos::html::Button>::new();
    // The tapped button gives way to the question: the focus goes to its
    // answer, not to the page.
    let ask = move |_| {
        confirming.set(true);
        request_animation_frame(move || {
            if let Some(b) = confirm_ref.get_untracked() {
                let _ = b.focus();
            }
        });
    };
    let who_id = format!("account-{id}-who");
    let send = move |enabled: bool| {
        if pending.get_untracked() {
            return;
        }
        pending.set(true);
        message.set(None);
        done.set(None);
        spawn_local(async move {
            let result = api::set_account_access(id, enabled).await;
            pending.set(false);
            match result {
                Ok(()) => {
                    confirming.set(false);
                    disabled.set(!enabled);
                    done.set(Some(enabled));
                    // The button that undoes it, once it is on screen.
                    request_animation_frame(move || {
                        let target = if enabled { disable_ref } else { enable_ref };
                        if let Some(b) = target.get_untracked() {
                            let _ = b.focus();
                        }
                    });
                }
                Err(f) => message.set(Some(f.message())),
            }
        });
    };
    let who_for_enable = who_id.clone();
    let who_for_disable = who_id.clone();
    view! {
        <div class="account-access" data-test="account" data-account-id=id>
            <p class="account-line">
                <span id=who_id.clone()>{name}" · "<span data-test="account-phone">{phone_masked}</span></span>
                <span class=move || if disabled.get() { "status-pill account-disabled" } else { "status-pill account-enabled" }
                    data-test="account-status">
                    {move || if disabled.get() { i18n.t().disabled_label } else { i18n.t().account_active }}
                </span>
            </p>
            {move || if disabled.get() {
                view! {
                    <button type="button" class="btn btn-secondary" data-test="enable-account" node_ref=enable_ref
                        aria-describedby=who_for_enable.clone() disabled=move || pending.get() on:click=move |_| send(true)>
                        {tr(|s| s.enable_account_full)}
                    </button>
                }.into_any()
            } else {
                let who = who_for_disable.clone();
                view! {
                    <Show when=move || confirming.get() fallback=move || view! {
                        <button type="button" class="btn btn-secondary" data-test="disable-account" node_ref=disable_ref
                            aria-describedby=who.clone() on:click=ask>
                            {tr(|s| s.disable_account_full)}
                        </button>
                    }>
                        <p class="warn" role="alert">{tr(|s| s.disable_account_confirm)}</p>
                        <div class="actions">
                            <button type="button" class="btn btn-danger" data-test="confirm-disable" node_ref=confirm_ref
                                disabled=move || pending.get() on:click=move |_| send(false)>
                                {tr(|s| s.confirm_disable)}
                            </button>
                            <button type="button" class="btn btn-secondary" on:click=move |_| confirming.set(false)>
                                {tr(|s| s.cancel)}
                            </button>
                        </div>
                    </Show>
                }.into_any()
            }}
            <p class="ok-text" role="status" data-test="account-done">
                {move || done.get().map(|enabled| if enabled {
                    i18n.t().account_enabled_done
                } else {
                    i18n.t().account_disabled_done
                })}
            </p>
            <p class="form-message" role="alert">{move || message.get()}</p>
        </div>
    }
}
