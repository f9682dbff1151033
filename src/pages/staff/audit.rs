//! 操作日志: the audit log of the officer's unions, newest first, filtered by
//! kind of action, target and dates; read-only.

use leptos::prelude::*;

use crate::api;
use crate::components::choice::Choice;
use crate::components::status::Paged;
use crate::i18n::{both, tr, use_i18n};
use crate::pages::format_date_time;
use unioncard_api::audit::AuditEntry;
use unioncard_api::audit::AuditFamily;

/// `/staff/audit`.
#[component]
pub fn AuditPage() -> impl IntoView {
    let i18n = use_i18n();
    let kind = RwSignal::new(String::new());
    let target = RwSignal::new(String::new());
    let applied_target = RwSignal::new(String::new());
    let query = Memo::new(move |_| {
        format!(
            "action={}&target={}",
            js_sys::encode_uri_component(&kind.get()),
            js_sys::encode_uri_component(applied_target.get().trim())
        )
    });
    let entries = Paged::new(
        move || query.get(),
        |q, after| async move {
            match after {
                Some(c) => api::audit(&format!("{q}&cursor={c}")).await,
                None => api::audit(&q).await,
            }
        },
    );
    view! {
        <section class="page">
            <h2>{tr(|s| s.audit_title)}</h2>
            <p class="hint">{tr(|s| s.audit_help)}</p>
            <form class="panel" on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); applied_target.set(target.get_untracked()); }>
                // Every family of action the server records (the shared enum).
                <Choice id="action" label=both("操作类型", "Action") value=kind
                    options=std::iter::once(("", Signal::derive(move || i18n.t().all_actions.to_string())))
                        .chain(AuditFamily::ALL.into_iter().map(|f| (f.prefix(), Signal::derive(move || f.label(i18n.lang.get()).to_string()))))
                        .collect()/>
                <div class="field">
                    <label for="target">{both("对象", "Target")}</label>
                    <input id="target" placeholder="aid_claim:17" prop:value=move || target.get() on:input=move |ev| target.set(event_target_value(&ev))/>
                </div>
                <button type="submit" class="btn btn-primary">{tr(|s| s.search)}</button>
            </form>
            {entries.view(
                |items| (!items.is_empty()).then(|| view! {
                    <ol class="audit" data-test="audit">
                        {items.into_iter().map(|e| view! { <Entry e=e/> }).collect_view()}
                    </ol>
                }),
                |s| s.no_entries,
            )}
        </section>
    }
}

#[component]
fn Entry(e: AuditEntry) -> impl IntoView {
    let show = |v: Option<serde_json::Value>| v.map(|v| v.to_string()).unwrap_or_default();
    let (before, after) = (show(e.before), show(e.after));
    view! {
        <li class="panel">
            <p><strong>{e.action}</strong>" · "{e.target}</p>
            <p class="hint">{format_date_time(&e.at)}" · "{both("操作人", "By")}" "{e.actor}</p>
            {(!before.is_empty()).then(|| view! { <p class="json"><span>{both("之前", "Before")}": "</span><code>{before}</code></p> })}
            {(!after.is_empty()).then(|| view! { <p class="json"><span>{both("之后", "After")}": "</span><code>{after}</code></p> })}
        </li>
    }
}
