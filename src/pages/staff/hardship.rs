//! 困难建档 on the desk: households on file in the officer's unions by
//! category, the files waiting (oldest first) and those decided, and one
//! file with the rule's proposal beside the decision: on file in a category
//! (another than the proposed one only with a reason), not, or closed.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use unioncard_api::hardship::{
    Category, CloseFile, HardshipDecision, HardshipFileView, HardshipStatus,
};
use unioncard_api::offers::yuan;

use crate::api;
use crate::components::choice::Choice;
use crate::components::status::loaded;
use crate::i18n::{both, tr, use_i18n};
use crate::pages::hardship::HardshipFile;

const FILTERS: [HardshipStatus; 4] = [
    HardshipStatus::Submitted,
    HardshipStatus::Approved,
    HardshipStatus::Rejected,
    HardshipStatus::Closed,
];

/// `/staff/hardship`.
#[component]
pub fn HardshipQueuePage() -> impl IntoView {
    let i18n = use_i18n();
    let status = RwSignal::new(HardshipStatus::Submitted);
    let queue = LocalResource::new(move || api::staff_hardship_files(status.get().as_str()));
    let counts = LocalResource::new(api::hardship_counts);
    view! {
        <section class="page">
            <h2>{tr(|s| s.staff_hardship)}</h2>
            {loaded(counts, move |c| view! {
                <dl class="facts panel counts" data-test="hardship-counts">
                    <dt>{move || Category::Deep.label(i18n.lang.get())}</dt><dd class="num">{c.deep}</dd>
                    <dt>{move || Category::Relative.label(i18n.lang.get())}</dt><dd class="num">{c.relative}</dd>
                    <dt>{move || Category::Accident.label(i18n.lang.get())}</dt><dd class="num">{c.accident}</dd>
                    <dt>{tr(|s| s.waiting_label)}</dt><dd class="num">{c.waiting}</dd>
                </dl>
            }.into_any())}
            <div class="chips" role="group" aria-label=tr(|s| s.status)>
                {FILTERS.into_iter().map(|f| view! {
                    <button type="button" class="chip" aria-pressed=move || (status.get() == f).to_string() on:click=move |_| status.set(f)>
                        {move || f.label(i18n.lang.get())}
                    </button>
                }).collect_view()}
            </div>
            {loaded(queue, move |p| match p {
                p if p.items.is_empty() => view! { <p class="panel">{both("没有待处理的申请", "Nothing waiting")}</p> }.into_any(),
                p => view! {
                    <ul class="queue" data-test="hardship-queue">
                        {p.items.into_iter().map(|f| view! { <QueueItem f=f/> }).collect_view()}
                    </ul>
                }.into_any(),
            })}
        </section>
    }
}

#[component]
fn QueueItem(f: HardshipFileView) -> impl IntoView {
    let i18n = use_i18n();
    let proposed = f.proposed_category;
    let st = f.status;
    view! {
        <li class="panel request" data-test="hardship-file">
            <h3>{f.member.as_ref().map(|m| m.name.clone())}</h3>
            <p class="hint">{f.union_name.clone()}</p>
            <p>
                <span class=format!("status-pill {}", st.as_str())>{move || st.label(i18n.lang.get())}</span>" "
                {both("家庭人均月收入", "Income per person a month")}" "<strong class="num">{yuan(f.per_person_fen)}</strong>" · "
                {move || proposed.map(|c| c.label(i18n.lang.get())).unwrap_or(i18n.t().hardship_no_category)}
            </p>
            <A href=format!("/staff/hardship/{}", f.id) attr:class="btn btn-primary">{both("查看档案", "Open the file")}</A>
        </li>
    }
}

/// `/staff/hardship/:id`.
#[component]
pub fn HardshipReviewPage() -> impl IntoView {
    let params = use_params_map();
    let file = LocalResource::new(move || {
        let id = params.with(|p| p.get("id").and_then(|v| v.parse().ok()).unwrap_or(0));
        api::hardship_file(id)
    });
    let reload = Callback::new(move |_| file.refetch());
    view! {
        <section class="page">
            <A href="/staff/hardship" attr:class="back-link">"‹ "{tr(|s| s.staff_hardship)}</A>
            {loaded(file, move |f| view! {
                <HardshipFile f=f.clone() reload=reload/>
                <Decide f=f reload=reload/>
            }.into_any())}
        </section>
    }
}

/// The decision on a waiting file, or closing one on record.
#[component]
fn Decide(f: HardshipFileView, reload: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let id = f.id;
    let st = f.status;
    let category = RwSignal::new(
        f.proposed_category
            .map(|c| c.as_str().to_string())
            .unwrap_or_default(),
    );
    let note = RwSignal::new(String::new());
    let message = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);
    let done = move |r: Result<HardshipFileView, api::Failure>| {
        match r {
            Ok(_) => reload.run(()),
            Err(e) => message.set(Some(e.message())),
        }
        pending.set(false);
    };
    let decide = move |decision: &'static str| {
        pending.set(true);
        message.set(None);
        let d = HardshipDecision {
            decision: decision.into(),
            category: Category::from_db(&category.get_untracked()),
            note: note.get_untracked(),
        };
        spawn_local(async move { done(api::decide_hardship_file(id, &d).await) });
    };
    let close = move |_| {
        pending.set(true);
        message.set(None);
        let c = CloseFile {
            note: note.get_untracked(),
        };
        spawn_local(async move { done(api::close_hardship_file(id, &c).await) });
    };
    let note_field = move || {
        view! {
            <div class="field">
                <label for="decision_note">{tr(|s| s.decision_note)}</label>
                <span class="hint" id="decision_note-hint">{both("不予建档、关闭档案，或选择与建议不同的类别时，请写明理由（会员可见）", "A reason is needed to reject, to close, or to file under another category than proposed (the member sees it)")}</span>
                <textarea id="decision_note" rows="3" aria-describedby="decision_note-hint" prop:value=move || note.get()
                    on:input=move |ev| note.set(event_target_value(&ev))></textarea>
            </div>
            <p class="form-message" role="alert" data-test="decision-message">{move || message.get()}</p>
        }
    };
    match st {
        HardshipStatus::Submitted => view! {
            <div class="panel decision" data-test="hardship-decision">
                <Choice id="hardship_category" label=both("建档类别", "Category on file") value=category ask=true
                    options=Category::ALL.iter().map(|&c| (c.as_str(), Signal::derive(move || c.label(i18n.lang.get()).to_string()))).collect()/>
                {note_field()}
                <div class="actions">
                    <button type="button" class="btn btn-primary" data-test="approve" disabled=move || pending.get() on:click=move |_| decide("approve")>{both("纳入档案", "Put on file")}</button>
                    <button type="button" class="btn btn-danger" data-test="reject" disabled=move || pending.get() on:click=move |_| decide("reject")>{both("不予建档", "Do not file")}</button>
                </div>
            </div>
        }.into_any(),
        HardshipStatus::Approved => view! {
            <div class="panel decision" data-test="hardship-close">
                {note_field()}
                <button type="button" class="btn btn-secondary btn-block" data-test="close-file" disabled=move || pending.get() on:click=close>{both("关闭档案", "Close the file")}</button>
            </div>
        }.into_any(),
        _ => ().into_any(),
    }
}
