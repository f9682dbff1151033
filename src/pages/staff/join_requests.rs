//! The join-request queue: approve, or decline with a reason.

use leptos::prelude::*;
use leptos::task::spawn_local;
use unioncard_api::join::{Decision, JoinRequestView};

use crate::api;
use crate::components::status::loaded;
use crate::i18n::{both, tr};

/// The queue of pending applications.
#[component]
pub fn JoinRequestsPage() -> impl IntoView {
    let queue = LocalResource::new(|| api::join_queue("pending"));
    view! {
        <section class="page">
            <h2>{tr(|s| s.staff_join_requests)}</h2>
            {loaded(queue, move |v| match v {
                page if page.items.is_empty() => view! { <p class="panel">{both("没有待处理的申请", "Nothing waiting")}</p> }.into_any(),
                page => view! {
                    <ul class="queue">
                        {page.items.into_iter().map(|r| view! { <Request r=r on_done=Callback::new(move |_| queue.refetch())/> }).collect_view()}
                    </ul>
                }.into_any(),
            })}
        </section>
    }
}

#[component]
fn Request(r: JoinRequestView, on_done: Callback<()>) -> impl IntoView {
    let rejecting = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    let message = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);
    let id = r.id;
    let decide = move |decision: &'static str| {
        if pending.get_untracked() {
            return;
        }
        pending.set(true);
        let d = Decision {
            decision: decision.into(),
            amount_fen: None,
            note: reason.get_untracked(),
        };
        spawn_local(async move {
            let result = api::decide_join(id, &d).await;
            pending.set(false);
            match result {
                Ok(_) => on_done.run(()),
                Err(f) => message.set(Some(f.message())),
            }
        });
    };
    let reason_id = format!("reason-{id}");
    view! {
        <li class="panel request" data-test="join-request">
            <h3>{r.name.clone()}</h3>
            <dl class="facts">
                <dt>{tr(|s| s.id_number)}</dt><dd>{r.id_number_masked.clone()}</dd>
                <dt>{tr(|s| s.phone)}</dt><dd>{r.phone_masked.clone()}</dd>
                <dt>{tr(|s| s.workplace_union)}</dt><dd>{r.union_name.clone()}</dd>
                <dt>{tr(|s| s.workplace)}</dt><dd>{r.workplace.clone()}</dd>
                <dt>{both("提交时间", "Submitted")}</dt><dd>{crate::pages::format_date_time(&r.created_at)}</dd>
            </dl>
            <Show when=move || rejecting.get()>
                <div class="field">
                    <label for=reason_id.clone()>{both("不予通过的原因", "Reason for declining")}</label>
                    <textarea id=reason_id.clone() rows="2" prop:value=move || reason.get()
                        on:input=move |ev| reason.set(event_target_value(&ev))></textarea>
                </div>
            </Show>
            <p class="form-message" role="alert">{move || message.get()}</p>
            <div class="actions">
                <Show when=move || !rejecting.get() fallback=move || view! {
                    <button type="button" class="btn btn-primary" disabled=move || pending.get()
                        on:click=move |_| decide("reject")>{both("确认", "Confirm")}</button>
                    <button type="button" class="btn btn-secondary" on:click=move |_| rejecting.set(false)>{tr(|s| s.cancel)}</button>
                }>
                    <button type="button" class="btn btn-primary" data-test="approve" disabled=move || pending.get()
                        on:click=move |_| decide("approve")>{both("通过", "Approve")}</button>
                    <button type="button" class="btn btn-secondary" on:click=move |_| rejecting.set(true)>{both("不予通过", "Decline")}</button>
                </Show>
            </div>
        </li>
    }
}
