//! A member's or cashier's account as an officer sees it: the name, the
//! masked phone, 正常 or 已停用, and the button that disables it (after an
//! inline confirmation, since it signs the person out everywhere) or restores
//! it. Used by the desk's card screen and management's merchant page.

use leptos::prelude::*;
use leptos::task::spawn_local;
use unioncard_api::auth::AccountSummary;

use crate::api;
use crate::i18n::{tr, use_i18n};

/// One account with its disable / restore button. `on_changed` runs after
/// the server took the change, to reload what the account was shown from.
#[component]
pub fn AccountAccessRow(account: AccountSummary, on_changed: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let AccountSummary {
        id,
        name,
        phone_masked,
        disabled,
        ..
    } = account;
    let confirming = RwSignal::new(false);
    let pending = RwSignal::new(false);
    let message = RwSignal::new(None::<String>);
    let who_id = format!("account-{id}-who");
    let send = move |enabled: bool| {
        if pending.get_untracked() {
            return;
        }
        pending.set(true);
        message.set(None);
        spawn_local(async move {
            let result = api::set_account_access(id, enabled).await;
            pending.set(false);
            match result {
                Ok(()) => {
                    confirming.set(false);
                    on_changed.run(());
                }
                Err(f) => message.set(Some(f.message())),
            }
        });
    };
    let pill = if disabled {
        "status-pill account-disabled"
    } else {
        "status-pill account-enabled"
    };
    view! {
        <div class="account-access" data-test="account" data-account-id=id>
            <p class="account-line">
                <span id=who_id.clone()>{name}" · "<span data-test="account-phone">{phone_masked}</span></span>
                <span class=pill data-test="account-status">
                    {move || if disabled { i18n.t().disabled_label } else { i18n.t().account_active }}
                </span>
            </p>
            {if disabled {
                view! {
                    <button type="button" class="btn btn-secondary" data-test="enable-account"
                        aria-describedby=who_id disabled=move || pending.get() on:click=move |_| send(true)>
                        {tr(|s| s.enable_account_full)}
                    </button>
                }.into_any()
            } else {
                view! {
                    <Show when=move || confirming.get() fallback=move || view! {
                        <button type="button" class="btn btn-secondary" data-test="disable-account"
                            aria-describedby=who_id.clone() on:click=move |_| confirming.set(true)>
                            {tr(|s| s.disable_account_full)}
                        </button>
                    }>
                        <p class="warn" role="alert">{tr(|s| s.disable_account_confirm)}</p>
                        <div class="actions">
                            <button type="button" class="btn btn-danger" data-test="confirm-disable"
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
            <p class="form-message" role="alert">{move || message.get()}</p>
        </div>
    }
}
