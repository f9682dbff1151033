//! 修改密码: any signed-in account changes its password. The shared crate's
//! check (the same policy the server applies) runs as the person types, the
//! confirmation is compared here, and the server's own field errors land next
//! to their fields. The server then ends every other session of the account.

use std::collections::BTreeMap;

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use unioncard_api::auth::PasswordChange;
use unioncard_api::error::FieldProblem;

use super::me::GuestPrompt;
use super::{field_error, focus_first_invalid};
use crate::api;
use crate::components::field::{InputKind, TextField};
use crate::components::status::session_known;
use crate::i18n::{both, tr, use_i18n};
use crate::session::use_session;

/// Where 我的 is told that the password was just changed (it says so).
pub const CHANGED_PATH: &str = "/me?changed=password";

/// `/me/password`.
#[component]
pub fn PasswordPage() -> impl IntoView {
    let session = use_session();
    // Only a change of who is signed in redraws the form (not a refresh
    // that finds the same person), so typed passwords are not lost.
    let state = Memo::new(move |_| session.state.get());
    view! {
        <section class="page narrow">
            <A href="/me" attr:class="back-link">"‹ "{both("我的", "Me")}</A>
            <h2>{tr(|s| s.change_password)}</h2>
            {session_known(move || state.get(), |_| None, |who| match who {
                None => view! { <GuestPrompt/> }.into_any(),
                Some(_) => view! { <PasswordForm/> }.into_any(),
            })}
        </section>
    }
}

#[component]
fn PasswordForm() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let again = RwSignal::new(String::new());
    let reveal = RwSignal::new(false);
    let visited: [RwSignal<bool>; 3] = std::array::from_fn(|_| RwSignal::new(false));
    let server_fields = RwSignal::new(BTreeMap::<String, String>::new());
    let message = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);

    // The shared check's first word on one field.
    let problem = move |field: &'static str| {
        move || {
            let req = PasswordChange {
                current_password: current.get(),
                new_password: new.get(),
            };
            match req.check() {
                Ok(_) => Ok(()),
                Err(p) => {
                    p.0.into_iter()
                        .find(|(f, _)| *f == field)
                        .map_or(Ok(()), |(_, e)| Err(e))
                }
            }
        }
    };
    let current_error = field_error(
        "current_password",
        server_fields,
        visited[0],
        problem("current_password"),
    );
    let new_error = field_error(
        "new_password",
        server_fields,
        visited[1],
        problem("new_password"),
    );
    // The confirmation never leaves the phone: it is checked here only.
    let again_error = Signal::derive(move || {
        if !visited[2].get() {
            return None;
        }
        let typed = again.get();
        if typed.is_empty() {
            Some(FieldProblem::Required.message(i18n.lang.get()).to_string())
        } else if typed != new.get() {
            Some(i18n.t().password_mismatch.to_string())
        } else {
            None
        }
    });
    let errors = [current_error, new_error, again_error];

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        visited.iter().for_each(|v| v.set(true));
        if errors.iter().any(|e| e.get_untracked().is_some()) {
            message.set(Some(i18n.t().form_has_errors.to_string()));
            focus_first_invalid();
            return;
        }
        let req = PasswordChange {
            current_password: current.get_untracked(),
            new_password: new.get_untracked(),
        };
        pending.set(true);
        message.set(None);
        let navigate = navigate.clone();
        spawn_local(async move {
            let result = api::change_password(&req).await;
            pending.set(false);
            match result {
                Ok(()) => navigate(CHANGED_PATH, Default::default()),
                // Signed out meanwhile (elsewhere, or disabled): the page
                // shows the sign-in prompt.
                Err(f) if f.status() == Some(401) => session.refresh(),
                Err(f) => {
                    server_fields.set(f.fields());
                    message.set(Some(f.message()));
                    focus_first_invalid();
                }
            }
        });
    };
    let clear_server = Callback::new(move |_| {
        server_fields.set(BTreeMap::new());
        message.set(None);
    });
    let blur = |i: usize| Callback::new(move |_| visited[i].set(true));

    view! {
        <p class="intro">{both("修改后，其他手机和电脑上的登录会退出，这台手机保持登录。", "Once it is changed, you are signed out on other phones and computers; this one stays signed in.")}</p>
        <form on:submit=on_submit novalidate data-test="password-form">
            <TextField id="current_password" label=both("当前密码", "Current password")
                hint=Signal::derive(|| "")
                value=current error=current_error kind=InputKind::PASSWORD
                reveal=reveal on_blur=blur(0) on_input=clear_server/>
            <TextField id="new_password" label=both("新密码", "New password")
                hint=tr(|s| s.password_hint)
                value=new error=new_error kind=InputKind::NEW_PASSWORD
                reveal=reveal on_blur=blur(1) on_input=clear_server/>
            <TextField id="new_password_again" label=both("再次输入新密码", "New password again")
                hint=both("与上面的新密码相同", "The same as the new password above")
                value=again error=again_error kind=InputKind::NEW_PASSWORD
                reveal=reveal on_blur=blur(2) on_input=clear_server/>
            <label class="check">
                <input type="checkbox" prop:checked=reveal on:change=move |ev| reveal.set(event_target_checked(&ev))/>
                {both("显示密码", "Show password")}
            </label>
            <p class="form-message" role="alert" data-test="form-message">{move || message.get()}</p>
            <button type="submit" class="btn btn-primary btn-block" data-test="change-password-submit"
                disabled=move || pending.get()>
                {move || if pending.get() { i18n.t().changing_password } else { i18n.t().change_password }}
            </button>
        </form>
    }
}
