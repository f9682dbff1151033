//! 申请入会: for people no roster knows. No account needed; the outcome is
//! looked up with the phone and ID number given.

use std::collections::BTreeMap;

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use unioncard_api::identity::{IdNumber, PersonName, Phone};
use unioncard_api::join::{
    parse_workplace, JoinApplication, JoinLookup, JoinRequestView, JoinStatus, WorkplaceUnion,
};

use crate::api;
use crate::components::field::{InputKind, TextField};
use crate::components::union_picker::UnionPicker;
use crate::i18n::both;
use crate::i18n::{use_i18n, Strings};
use crate::pages::account::{field_error, focus_first_invalid};

fn status_text(s: &Strings, status: JoinStatus) -> &'static str {
    match status {
        JoinStatus::Pending => s.join_pending,
        JoinStatus::Approved => s.join_approved,
        JoinStatus::Rejected => s.join_rejected,
    }
}

/// The join screen: the application, then the lookup.
#[component]
pub fn JoinPage() -> impl IntoView {
    view! {
        <section class="page narrow">
            <h2>{both("申请入会", "Apply to join")}</h2>
            <p class="intro">{both("不在工会会员名册中？填写以下信息申请加入所在单位工会。审核通过后即可注册。", "Not in a union roster? Apply to join your workplace union here. Once approved, you can register.")}</p>
            <Application/>
            <Lookup/>
        </section>
    }
}

#[component]
fn Application() -> impl IntoView {
    let i18n = use_i18n();
    let name = RwSignal::new(String::new());
    let id_number = RwSignal::new(String::new());
    let phone = RwSignal::new(String::new());
    let workplace = RwSignal::new(String::new());
    let chosen = RwSignal::new(None::<WorkplaceUnion>);
    let visited: [RwSignal<bool>; 4] = std::array::from_fn(|_| RwSignal::new(false));
    let server = RwSignal::new(BTreeMap::<String, String>::new());
    let message = RwSignal::new(None::<String>);
    let sent = RwSignal::new(false);
    let pending = RwSignal::new(false);
    let name_error = field_error("name", server, visited[0], move || {
        PersonName::parse(&name.get()).map(|_| ())
    });
    let id_error = field_error("id_number", server, visited[1], move || {
        IdNumber::parse(&id_number.get()).map(|_| ())
    });
    let phone_error = field_error("phone", server, visited[2], move || {
        Phone::parse(&phone.get()).map(|_| ())
    });
    let workplace_error = field_error("workplace", server, visited[3], move || {
        parse_workplace(&workplace.get()).map(|_| ())
    });
    let errors = [name_error, id_error, phone_error, workplace_error];

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        visited.iter().for_each(|v| v.set(true));
        let Some(union) = chosen.get_untracked() else {
            message.set(Some(i18n.t().choose_union_first.into()));
            return;
        };
        if errors.iter().any(|e| e.get_untracked().is_some()) {
            message.set(Some(i18n.t().form_has_errors.into()));
            focus_first_invalid();
            return;
        }
        let req = JoinApplication {
            name: name.get_untracked(),
            id_number: id_number.get_untracked(),
            phone: phone.get_untracked(),
            union_id: union.id,
            workplace: workplace.get_untracked(),
        };
        pending.set(true);
        message.set(None);
        spawn_local(async move {
            let r = api::apply_to_join(&req).await;
            pending.set(false);
            match r {
                Ok(_) => sent.set(true),
                Err(f) => {
                    server.set(f.fields());
                    message.set(Some(f.message()));
                }
            }
        });
    };
    let clear = Callback::new(move |_| {
        server.set(Default::default());
        message.set(None);
    });
    let blur = move |i: usize| Callback::new(move |_| visited[i].set(true));
    view! {
        <Show when=move || !sent.get() fallback=move || view! {
            <div class="panel done" role="status" data-test="application-sent">{both("申请已提交。工会审核后，可用手机号和身份证号在下方查询结果。", "Application received. Once the union decides, look up the outcome below with your phone and ID number.")}</div>
        }>
            <form on:submit=on_submit novalidate data-test="join-form">
                <TextField id="name" label=Signal::derive(move || i18n.t().name) hint=Signal::derive(move || i18n.t().name_hint)
                    value=name error=name_error kind=InputKind::NAME on_blur=blur(0) on_input=clear/>
                <TextField id="id_number" label=Signal::derive(move || i18n.t().id_number)
                    hint=Signal::derive(move || i18n.t().id_number_hint) value=id_number error=id_error
                    kind=InputKind::ID_NUMBER on_blur=blur(1) on_input=clear/>
                <TextField id="phone" label=Signal::derive(move || i18n.t().phone) hint=Signal::derive(move || i18n.t().phone_hint)
                    value=phone error=phone_error kind=InputKind::PHONE on_blur=blur(2) on_input=clear/>
                <UnionPicker chosen=chosen label=Signal::derive(move || i18n.t().workplace_union)
                    hint=Signal::derive(move || i18n.t().workplace_union_hint)/>
                <TextField id="workplace" label=Signal::derive(move || i18n.t().workplace)
                    hint=Signal::derive(move || i18n.t().workplace_hint) value=workplace error=workplace_error
                    kind=InputKind::TEXT on_blur=blur(3) on_input=clear/>
                <p class="form-message" role="alert" data-test="form-message">{move || message.get()}</p>
                <button type="submit" class="btn btn-primary btn-block" disabled=move || pending.get()>
                    {move || if pending.get() { i18n.t().submitting } else { i18n.t().submit_application }}
                </button>
            </form>
        </Show>
    }
}

#[component]
fn Lookup() -> impl IntoView {
    let i18n = use_i18n();
    let phone = RwSignal::new(String::new());
    let id_number = RwSignal::new(String::new());
    let result = RwSignal::new(None::<Result<JoinRequestView, String>>);
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let req = JoinLookup {
            phone: phone.get_untracked(),
            id_number: id_number.get_untracked(),
        };
        spawn_local(async move {
            result.set(Some(api::join_lookup(&req).await.map_err(|f| f.message())));
        });
    };
    let no_error = Signal::derive(|| None::<String>);
    view! {
        <section class="panel">
            <h3>{both("查询申请结果", "Check your application")}</h3>
            <form on:submit=on_submit novalidate data-test="lookup-form">
                <TextField id="lookup_phone" label=Signal::derive(move || i18n.t().phone)
                    hint=Signal::derive(|| "") value=phone error=no_error kind=InputKind::PHONE/>
                <TextField id="lookup_id_number" label=Signal::derive(move || i18n.t().id_number)
                    hint=Signal::derive(|| "") value=id_number error=no_error kind=InputKind::ID_NUMBER/>
                <button type="submit" class="btn btn-secondary btn-block">{both("查询", "Look up")}</button>
            </form>
            <div aria-live="polite" data-test="lookup-result">
                {move || result.get().map(|r| match r {
                    Ok(v) => view! {
                        <p class=format!("join-status join-{}", v.status.as_str())>
                            <strong>{move || status_text(i18n.t(), v.status)}</strong>
                            {v.note.clone().map(|n| view! { <span>{format!("（{n}）")}</span> })}
                        </p>
                        <p class="hint">{v.union_name.clone()}</p>
                    }.into_any(),
                    Err(m) => view! { <p class="error-box" role="alert">{m}</p> }.into_any(),
                })}
            </div>
        </section>
    }
}
