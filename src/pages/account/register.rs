//! 会员注册: a roster member creates an account with name, ID number, phone
//! and password. Every field is checked on the phone by the same rules the
//! server applies, and the server's own field errors land next to their fields.

use std::collections::BTreeMap;

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use unioncard_api::auth::RegisterRequest;
use unioncard_api::identity::{IdNumber, NewPassword, PersonName, Phone};

use super::{field_error, focus_first_invalid};
use crate::api;
use crate::components::field::{InputKind, TextField};
use crate::i18n::{both, tr, use_i18n};
use crate::session::use_session;

/// The registration screen.
#[component]
pub fn Register() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    let name = RwSignal::new(String::new());
    let id_number = RwSignal::new(String::new());
    let phone = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let reveal = RwSignal::new(false);
    let visited: [RwSignal<bool>; 4] = std::array::from_fn(|_| RwSignal::new(false));
    let server_fields = RwSignal::new(BTreeMap::<String, String>::new());
    let message = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);

    let name_error = field_error("name", server_fields, visited[0], move || {
        PersonName::parse(&name.get()).map(|_| ())
    });
    let id_error = field_error("id_number", server_fields, visited[1], move || {
        IdNumber::parse(&id_number.get()).map(|_| ())
    });
    let phone_error = field_error("phone", server_fields, visited[2], move || {
        Phone::parse(&phone.get()).map(|_| ())
    });
    let password_error = field_error("password", server_fields, visited[3], move || {
        NewPassword::parse(&password.get()).map(|_| ())
    });
    let errors = [name_error, id_error, phone_error, password_error];

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
        let req = RegisterRequest {
            phone: phone.get_untracked(),
            password: password.get_untracked(),
            name: name.get_untracked(),
            id_number: id_number.get_untracked(),
        };
        pending.set(true);
        message.set(None);
        let navigate = navigate.clone();
        spawn_local(async move {
            let result = api::register(&req).await;
            pending.set(false);
            match result {
                Ok(me) => {
                    session.signed_in(me);
                    navigate("/me", Default::default());
                }
                Err(failure) => {
                    server_fields.set(failure.fields());
                    message.set(Some(failure.message()));
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
        <section class="page narrow">
            <h2>{both("会员注册", "Member registration")}</h2>
            <p class="intro">{both("请填写与工会会员名册一致的姓名和身份证号。注册后即可查看您的会员卡。", "Enter your name and ID number exactly as your union's roster has them. Once registered you can see your member card.")}</p>
            <form on:submit=on_submit novalidate data-test="register-form">
                <TextField id="name" label=Signal::derive(move || i18n.t().name)
                    hint=Signal::derive(move || i18n.t().name_hint)
                    value=name error=name_error kind=InputKind::NAME
                    on_blur=blur(0) on_input=clear_server/>
                <TextField id="id_number" label=Signal::derive(move || i18n.t().id_number)
                    hint=Signal::derive(move || i18n.t().id_number_hint)
                    value=id_number error=id_error kind=InputKind::ID_NUMBER
                    on_blur=blur(1) on_input=clear_server/>
                <TextField id="phone" label=Signal::derive(move || i18n.t().phone)
                    hint=Signal::derive(move || i18n.t().phone_hint)
                    value=phone error=phone_error kind=InputKind::PHONE
                    on_blur=blur(2) on_input=clear_server/>
                <TextField id="password" label=Signal::derive(move || i18n.t().password)
                    hint=Signal::derive(move || i18n.t().password_hint)
                    value=password error=password_error kind=InputKind::NEW_PASSWORD
                    reveal=reveal on_blur=blur(3) on_input=clear_server/>
                <label class="check">
                    <input type="checkbox" prop:checked=reveal on:change=move |ev| reveal.set(event_target_checked(&ev))/>
                    {both("显示密码", "Show password")}
                </label>
                <p class="form-message" role="alert" data-test="form-message">{move || message.get()}</p>
                <button type="submit" class="btn btn-primary btn-block" disabled=move || pending.get()>
                    {move || if pending.get() { i18n.t().registering } else { i18n.t().register }}
                </button>
            </form>
            <p class="switch-form">
                {both("已有账号？", "Already registered?")}" "
                <A href="/login">{tr(|s| s.sign_in)}</A>
            </p>
            <p class="switch-form">
                <A href="/join">{both("不在名册中？申请入会", "Not in the roster? Apply to join")}</A>
            </p>
        </section>
    }
}
