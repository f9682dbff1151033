//! 金秋助学 on the desk: the union's round for the year (window, amount per
//! level), the applications of its members by status, and one application
//! with its admission letter: award the level's amount, or refuse with a
//! reason. Awards are paid from 资金发放 (a batch of every award not paid).
//! Its words are written here (`both`): the screen is its own chunk.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use unioncard_api::education::{
    EducationDecision, EducationStatus, EducationView, RoundInput, RoundView,
};
use unioncard_api::join::Page;
use unioncard_api::money::parse_yuan;
use unioncard_api::offers::yuan;

use crate::api;
use crate::components::status::loaded;
use crate::i18n::{both, use_i18n};
use crate::pages::education::EducationFile;

const FILTERS: [EducationStatus; 3] = [
    EducationStatus::Submitted,
    EducationStatus::Approved,
    EducationStatus::Rejected,
];

/// `/staff/education`.
#[component]
pub fn EducationQueuePage() -> impl IntoView {
    let i18n = use_i18n();
    let status = RwSignal::new(EducationStatus::Submitted);
    let queue = LocalResource::new(move || api::staff_education(status.get().as_str()));
    let rounds = LocalResource::new(api::education_rounds);
    view! {
        <section class="page">
            <h2>{both("金秋助学", "Autumn education aid")}</h2>
            {loaded(rounds, move |p: Page<RoundView>| view! { <Rounds rounds=p.items reload=Callback::new(move |_| rounds.refetch())/> }.into_any())}
            <h3>{both("申请", "Applications")}</h3>
            <div class="chips" role="group" aria-label=both("状态", "Status")>
                {FILTERS.into_iter().map(|f| view! {
                    <button type="button" class="chip" aria-pressed=move || (status.get() == f).to_string() on:click=move |_| status.set(f)>
                        {move || f.label(i18n.lang.get())}
                    </button>
                }).collect_view()}
            </div>
            {loaded(queue, move |p| match p.items.is_empty() {
                true => view! { <p class="panel">{both("没有这一状态的申请", "None in this status")}</p> }.into_any(),
                false => view! {
                    <ul class="queue" data-test="education-queue">
                        {p.items.into_iter().map(|a| view! { <QueueItem a=a/> }).collect_view()}
                    </ul>
                }.into_any(),
            })}
        </section>
    }
}

#[component]
fn QueueItem(a: EducationView) -> impl IntoView {
    let i18n = use_i18n();
    let (st, level) = (a.status, a.level);
    view! {
        <li class="panel request" data-test="education-application">
            <h3>{a.member_name.clone()}" · "{a.student_name.clone()}</h3>
            <p class="hint">{a.union_name.clone()}</p>
            <p>
                <span class=format!("status-pill {}", st.as_str())>{move || st.label(i18n.lang.get())}</span>" "
                {a.school.clone()}" · "{move || level.label(i18n.lang.get())}" · "<strong class="num">{yuan(a.amount_fen)}</strong>
            </p>
            <A href=format!("/staff/education/{}", a.id) attr:class="btn btn-primary">{both("查看申请", "Open")}</A>
        </li>
    }
}

/// The rounds in the officer's unions, and setting their own for a year.
#[component]
fn Rounds(rounds: Vec<RoundView>, reload: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    // The union's year is China's, whatever the browser's clock zone.
    let year = i64::from(crate::clock::today().year);
    let opens = RwSignal::new(format!("{year}-07-01"));
    let closes = RwSignal::new(format!("{year}-09-30"));
    let amounts = [
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    ];
    let message = RwSignal::new(None::<String>);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let fen = |s: RwSignal<String>| parse_yuan(&s.get_untracked()).unwrap_or(0);
        let r = RoundInput {
            year,
            opens_on: opens.get_untracked(),
            closes_on: closes.get_untracked(),
            bachelor_fen: fen(amounts[0]),
            college_fen: fen(amounts[1]),
            vocational_fen: fen(amounts[2]),
        };
        if let Err(p) = r.check() {
            let lang = i18n.lang.get_untracked();
            message.set(Some(
                p.to_map(lang).into_values().collect::<Vec<_>>().join("；"),
            ));
            return;
        }
        spawn_local(async move {
            match api::set_education_round(&r).await {
                Ok(_) => {
                    message.set(None);
                    reload.run(());
                }
                Err(e) => message.set(Some(e.message())),
            }
        });
    };
    let levels = unioncard_api::education::Level::ALL;
    view! {
        <ul class="queue" data-test="education-rounds">
            {rounds.into_iter().map(|r| view! {
                <li class="panel">
                    <strong>{format!("{} · {}", r.union_name, r.terms.year)}</strong>" "
                    {r.open.then(|| view! { <span class="status-pill approved">{both("申请中", "Open")}</span> })}
                    <p class="num">{levels.iter().map(|&l| format!("{} {}", l.label(i18n.lang.get_untracked()), yuan(r.terms.amount(l)))).collect::<Vec<_>>().join(" · ")}</p>
                </li>
            }).collect_view()}
        </ul>
        <details class="panel">
            <summary>{both("设置本单位今年的金秋助学", "Set your union's round for this year")}</summary>
            <form on:submit=save data-test="round-form">
                <div class="field">
                    <label for="round_opens">{both("开始日期", "Opens")}</label>
                    <input id="round_opens" type="date" prop:value=move || opens.get() on:input=move |ev| opens.set(event_target_value(&ev))/>
                </div>
                <div class="field">
                    <label for="round_closes">{both("截止日期", "Closes")}</label>
                    <input id="round_closes" type="date" prop:value=move || closes.get() on:input=move |ev| closes.set(event_target_value(&ev))/>
                </div>
                {levels.into_iter().zip(amounts).map(|(l, v)| {
                    let id = format!("round_{}", l.as_str());
                    view! {
                        <div class="field">
                            <label for=id.clone()>{move || l.label(i18n.lang.get())}</label>
                            <input id=id inputmode="decimal" placeholder="¥" prop:value=move || v.get() on:input=move |ev| v.set(event_target_value(&ev))/>
                        </div>
                    }
                }).collect_view()}
                <p class="form-message" role="alert">{move || message.get()}</p>
                <button type="submit" class="btn btn-secondary btn-block">{both("保存", "Save")}</button>
            </form>
        </details>
    }
}

/// `/staff/education/:id`.
#[component]
pub fn EducationReviewPage() -> impl IntoView {
    let params = use_params_map();
    let app = LocalResource::new(move || {
        let id = params.with(|p| p.get("id").and_then(|v| v.parse().ok()).unwrap_or(0));
        api::education_application(id)
    });
    let reload = Callback::new(move |_| app.refetch());
    view! {
        <section class="page">
            <A href="/staff/education" attr:class="back-link">"‹ "{both("金秋助学", "Autumn education aid")}</A>
            {loaded(app, move |a| view! {
                <EducationFile a=a.clone() reload=reload/>
                <Decide a=a reload=reload/>
            }.into_any())}
        </section>
    }
}

#[component]
fn Decide(a: EducationView, reload: Callback<()>) -> impl IntoView {
    let id = a.id;
    let note = RwSignal::new(String::new());
    let message = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);
    let decide = move |decision: &'static str| {
        pending.set(true);
        message.set(None);
        let d = EducationDecision {
            decision: decision.into(),
            note: note.get_untracked(),
        };
        spawn_local(async move {
            match api::decide_education(id, &d).await {
                Ok(_) => reload.run(()),
                Err(e) => message.set(Some(e.message())),
            }
            pending.set(false);
        });
    };
    (a.status == EducationStatus::Submitted).then(|| view! {
        <div class="panel decision" data-test="education-decision">
            <div class="field">
                <label for="education_note">{both("说明", "Note")}</label>
                <span class="hint" id="education_note-hint">{both("不予核准时必须填写理由，会员会看到", "Required to refuse; the member reads it")}</span>
                <textarea id="education_note" rows="3" aria-describedby="education_note-hint" prop:value=move || note.get()
                    on:input=move |ev| note.set(event_target_value(&ev))></textarea>
            </div>
            <p class="form-message" role="alert" data-test="decision-message">{move || message.get()}</p>
            <div class="actions">
                <button type="button" class="btn btn-primary" data-test="award" disabled=move || pending.get() on:click=move |_| decide("approve")>
                    {both("核准资助", "Award")}" "{yuan(a.amount_fen)}
                </button>
                <button type="button" class="btn btn-danger" data-test="refuse" disabled=move || pending.get() on:click=move |_| decide("reject")>{both("不予核准", "Refuse")}</button>
            </div>
        </div>
    })
}
