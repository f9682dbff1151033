//! Merchant complaints: the officer sees each with the merchant's open count,
//! and resolves it as upheld or not, with what was done.

use leptos::prelude::*;
use leptos::task::spawn_local;
use unioncard_api::join::Decision;
use unioncard_api::offers::ComplaintView;

use crate::api;
use crate::components::status::loaded;
use crate::i18n::{both, tr, use_i18n};
use crate::pages::format_date_time;

/// `/staff/complaints`.
#[component]
pub fn ComplaintsPage() -> impl IntoView {
    let queue = LocalResource::new(api::staff_complaints);
    view! {
        <section class="page">
            <h2>{tr(|s| s.staff_complaints)}</h2>
            {loaded(queue, move |v| match v {
                p if p.items.is_empty() => view! { <p class="panel">{both("没有待处理的投诉", "No open reports")}</p> }.into_any(),
                p => view! {
                    <ul class="queue">
                        {p.items.into_iter().map(|c| view! { <Item c=c on_done=Callback::new(move |_| queue.refetch())/> }).collect_view()}
                    </ul>
                }.into_any(),
            })}
        </section>
    }
}

#[component]
fn Item(c: ComplaintView, on_done: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let note = RwSignal::new(String::new());
    let message = RwSignal::new(None::<String>);
    let id = c.id;
    let decide = move |decision: &'static str| {
        let d = Decision {
            decision: decision.into(),
            amount_fen: None,
            note: note.get_untracked(),
        };
        spawn_local(async move {
            match api::resolve_complaint(id, &d).await {
                Ok(_) => on_done.run(()),
                Err(f) => message.set(Some(f.message())),
            }
        });
    };
    let kind = c.kind.clone();
    let note_id = format!("note-{id}");
    view! {
        <li class="panel request" data-test="complaint">
            <h3>{c.merchant_name.clone()}</h3>
            <p>
                <strong>{move || match kind.as_str() {
                    "refused" => i18n.t().complaint_refused,
                    "wrong_discount" => i18n.t().complaint_wrong,
                    _ => i18n.t().complaint_other,
                }}</strong>
                " · "{format_date_time(&c.created_at)}
            </p>
            {(!c.text.is_empty()).then(|| view! { <p>{c.text.clone()}</p> })}
            {c.has_photo.then(|| view! {
                <img class="complaint-photo" src=format!("/api/complaints/{id}/photo") alt=both("照片（选填）", "Photo (optional)") loading="lazy"/>
            })}
            <p class="hint">{both("该商户待处理投诉", "Open reports on this merchant")}": "{c.merchant_open_complaints}</p>
            <div class="field">
                <label for=note_id.clone()>{both("处理结果", "What was done")}</label>
                <textarea id=note_id.clone() rows="2" prop:value=move || note.get() on:input=move |ev| note.set(event_target_value(&ev))></textarea>
            </div>
            <p class="form-message" role="alert">{move || message.get()}</p>
            <div class="actions">
                <button type="button" class="btn btn-primary" data-test="uphold" on:click=move |_| decide("approve")>{both("属实", "Upheld")}</button>
                <button type="button" class="btn btn-secondary" on:click=move |_| decide("reject")>{both("不属实", "Not upheld")}</button>
            </div>
        </li>
    }
}
