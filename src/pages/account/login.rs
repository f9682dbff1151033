//! 登录: phone and password, checked on the phone before they are sent.

use std::collections::BTreeMap;

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use unioncard_api::auth::{LoginRequest, Role};
use unioncard_api::error::FieldProblem;
use unioncard_api::identity::Phone;

use super::{field_error, focus_first_invalid};
use crate::api;
use crate::components::field::{InputKind, TextField};
use crate::i18n::{both, tr, use_i18n};
use crate::session::use_session;

/// The sign-in screen.
#[component]
pub fn Login() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    let query = leptos_router::hooks::use_query_map();
    let phone = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let reveal = RwSignal::new(false);
    let phone_visited = RwSignal::new(false);
    let password_visited = RwSignal::new(false);
    let server_fields = RwSignal::new(BTreeMap::<String, String>::new());
    let message = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);

    let phone_error = field_error("phone", server_fields, phone_visited, move || {
        Phone::parse(&phone.get()).map(|_| ())
    });
    let password_error = field_error("password", server_fields, password_visited, move || {
        if password.get().is_empty() {
            Err(FieldProblem::Required)
        } else {
            Ok(())
        }
    });

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        phone_visited.set(true);
        password_visited.set(true);
        if phone_error.get_untracked().is_some() || password_error.get_untracked().is_some() {
            message.set(Some(i18n.t().form_has_errors.to_string()));
            focus_first_invalid();
            return;
        }
        let req = LoginRequest {
            phone: phone.get_untracked(),
            password: password.get_untracked(),
        };
        pending.set(true);
        message.set(None);
        let navigate = navigate.clone();
        spawn_local(async move {
            let result = api::login(&req).await;
            pending.set(false);
            match result {
                Ok(me) => {
                    // A union lawyer or a counsellor works only at the desk.
                    let desk_only = (me.has(Role::Lawyer) || me.has(Role::Counsellor))
                        && !me.has(Role::Officer)
                        && !me.has(Role::Admin);
                    session.signed_in(me);
                    // Back to where the sign-in was asked for; else 首页 (the
                    // desk for those who work only there).
                    let next = query.with_untracked(|q| q.get("next")).unwrap_or_default();
                    match unioncard_api::auth::return_path(&next) {
                        // The desk and management are other apps: a page load.
                        Some(p) if p.starts_with("/staff") || p.starts_with("/manage") => {
                            let _ = window().location().set_href(p);
                        }
                        Some(p) => navigate(p, Default::default()),
                        None if desk_only => {
                            let _ = window().location().set_href("/staff/");
                        }
                        None => navigate("/", Default::default()),
                    }
                }
                Err(failure) => {
                    server_fields.set(failure.fields());
                    message.set(Some(failure.message()));
                }
            }
        });
    };
    let clear_server = Callback::new(move |_| {
        server_fields.set(BTreeMap::new());
        message.set(None);
    });

    view! {
        <section class="page narrow">
            <h2>{both("登录", "Sign in")}</h2>
            <form on:submit=on_submit novalidate data-test="login-form">
                <TextField
                    id="phone"
                    label=Signal::derive(move || i18n.t().phone)
                    hint=Signal::derive(move || i18n.t().phone_hint)
                    value=phone
                    error=phone_error
                    kind=InputKind::PHONE
                    on_blur=Callback::new(move |_| phone_visited.set(true))
                    on_input=clear_server
                />
                <TextField
                    id="password"
                    label=Signal::derive(move || i18n.t().password)
                    hint=Signal::derive(|| "")
                    value=password
                    error=password_error
                    kind=InputKind::PASSWORD
                    reveal=reveal
                    on_input=clear_server
                />
                <label class="check">
                    <input type="checkbox" prop:checked=reveal on:change=move |ev| reveal.set(event_target_checked(&ev))/>
                    {both("显示密码", "Show password")}
                </label>
                <p class="form-message" role="alert" data-test="form-message">{move || message.get()}</p>
                <button type="submit" class="btn btn-primary btn-block" disabled=move || pending.get()>
                    {move || if pending.get() { i18n.t().signing_in } else { i18n.t().sign_in }}
                </button>
            </form>
            <p class="switch-form">
                {both("还没有账号？", "No account yet?")}" "
                <A href="/register">{tr(|s| s.register)}</A>
            </p>
        </section>
    }
}
