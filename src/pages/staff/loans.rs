//! Loan applications on the desk: a queue per stage for the officer's
//! unions, each county's quota used and left, and an application with its
//! documents, decisions (one stage on, or reject) and follow-up notes.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use unioncard_api::join::Decision;
use unioncard_api::loans::{LoanStatus, LoanView};
use unioncard_api::offers::yuan;

use crate::api;
use crate::components::status::loaded;
use crate::i18n::{both, tr, use_i18n};
use crate::pages::loans::detail::LoanDetail;

const STAGES: [LoanStatus; 7] = [
    LoanStatus::Submitted,
    LoanStatus::UnionApproved,
    LoanStatus::Guaranteed,
    LoanStatus::Disbursed,
    LoanStatus::Repaying,
    LoanStatus::Closed,
    LoanStatus::Rejected,
];

/// `/staff/loans`.
#[component]
pub fn LoanQueuePage() -> impl IntoView {
    let i18n = use_i18n();
    let stage = RwSignal::new(LoanStatus::Submitted);
    let queue = LocalResource::new(move || api::staff_loans(stage.get().as_str()));
    let quotas = LocalResource::new(api::loan_quotas);
    view! {
        <section class="page">
            <h2>{tr(|s| s.staff_loans)}</h2>
            <div class="chips" role="group" aria-label=tr(|s| s.status)>
                {STAGES.into_iter().map(|st| view! {
                    <button type="button" class="chip" aria-pressed=move || (stage.get() == st).to_string() on:click=move |_| stage.set(st)>
                        {move || st.label(i18n.lang.get())}
                    </button>
                }).collect_view()}
            </div>
            {loaded(queue, move |v| match v {
                p if p.items.is_empty() => view! { <p class="panel">{both("没有待处理的申请", "Nothing waiting")}</p> }.into_any(),
                p => view! {
                    <ul class="queue" data-test="loan-queue">
                        {p.items.into_iter().map(|l| view! { <QueueItem l=l/> }).collect_view()}
                    </ul>
                }.into_any(),
            })}
            <h3>{both("本年度担保额度", "Guarantee quota this year")}</h3>
            {move || match quotas.get() {
                Some(Ok(q)) => view! {
                    <div class="table-scroll" tabindex="0" role="region" aria-label=both("本年度担保额度", "Guarantee quota this year")>
                        <table class="schedule" data-test="quotas">
                            <thead><tr>
                                <th scope="col">{tr(|s| s.union)}</th>
                                <th scope="col">{both("已核准", "Approved so far")}</th>
                                <th scope="col">{both("剩余", "Left")}</th>
                            </tr></thead>
                            <tbody>
                                {q.into_iter().map(|c| view! {
                                    <tr><td>{c.county}</td><td class="num">{yuan(c.used_fen)}</td><td class="num">{yuan(c.left_fen)}" / "{yuan(c.quota_fen)}</td></tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any(),
                _ => ().into_any(),
            }}
        </section>
    }
}

#[component]
fn QueueItem(l: LoanView) -> impl IntoView {
    let i18n = use_i18n();
    let kind = l.input.facts.business_kind;
    view! {
        <li class="panel request" data-test="loan">
            <h3>{l.applicant.clone()}" · "{l.input.business_name.clone()}</h3>
            <p class="hint">{l.county.clone()}" · "{move || kind.label(i18n.lang.get())}</p>
            <p><strong>{yuan(l.input.facts.amount_fen)}</strong>" · "{l.input.facts.term_months}" "{tr(|s| s.months_unit)}</p>
            <A href=format!("/staff/loans/{}", l.id) attr:class="btn btn-primary">{both("打开", "Open")}</A>
        </li>
    }
}

/// `/staff/loans/:id`.
#[component]
pub fn LoanReviewPage() -> impl IntoView {
    let params = use_params_map();
    let loan = LocalResource::new(move || {
        let id = params.with(|p| p.get("id").and_then(|v| v.parse().ok()).unwrap_or(0));
        async move {
            let l = api::loan(id).await?;
            let s = if l.disbursed_on.is_some() {
                Some(api::loan_schedule(id).await?)
            } else {
                None
            };
            Ok::<_, api::Failure>((l, s))
        }
    });
    let reload = Callback::new(move |_| loan.refetch());
    view! {
        <section class="page">
            <A href="/staff/loans" attr:class="back-link">"‹ "{tr(|s| s.staff_loans)}</A>
            {loaded(loan, move |(l, s)| {
                // The application first, then the decision on it.
                view! {
                    <LoanDetail l=l.clone() schedule=s reload=reload/>
                    <Decide l=l reload=reload/>
                }.into_any()
            })}
        </section>
    }
}

#[component]
fn Decide(l: LoanView, reload: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let id = l.id;
    let st = l.status;
    let note = RwSignal::new(String::new());
    let message = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);
    let act = move |what: &'static str| {
        if pending.get_untracked() {
            return;
        }
        pending.set(true);
        message.set(None);
        let text = note.get_untracked();
        spawn_local(async move {
            let done = match what {
                "note" => api::loan_note(id, &text).await,
                d => {
                    let d = Decision {
                        decision: d.into(),
                        amount_fen: None,
                        note: text,
                    };
                    api::decide_loan(id, &d).await
                }
            };
            match done {
                Ok(_) => reload.run(()),
                Err(f) => message.set(Some(f.message())),
            }
            pending.set(false);
        });
    };
    let next = st.next();
    let follow_up = matches!(
        st,
        LoanStatus::Disbursed | LoanStatus::Repaying | LoanStatus::Closed
    );
    (next.is_some() || follow_up).then(|| view! {
        <div class="panel decision">
            <p><span class=format!("status-pill {}", st.as_str()) data-test="review-status">{move || st.label(i18n.lang.get())}</span></p>
            <div class="field">
                <label for="loan_note">{move || if follow_up { i18n.t().follow_up_note } else { i18n.t().decision_note }}</label>
                <span class="hint" id="loan_note-hint">{both("工会审核通过时请填写项目可行性意见；不予通过时填写原因", "Write the feasibility assessment when approving the review; the reason when rejecting")}</span>
                <textarea id="loan_note" rows="3" aria-describedby="loan_note-hint" prop:value=move || note.get()
                    on:input=move |ev| note.set(event_target_value(&ev))></textarea>
            </div>
            <p class="form-message" role="alert">{move || message.get()}</p>
            <div class="actions">
                {next.map(|n| view! {
                    <button type="button" class="btn btn-primary" data-test="advance" disabled=move || pending.get()
                        on:click=move |_| act("approve")>{both("通过，进入下一环节", "Approve: next stage")}" → "{move || n.label(i18n.lang.get())}</button>
                })}
                {follow_up.then(|| view! {
                    <button type="button" class="btn btn-secondary" data-test="add-note" disabled=move || pending.get()
                        on:click=move |_| act("note")>{both("记录回访", "Add the note")}</button>
                })}
                {st.may_reject().then(|| view! {
                    <button type="button" class="btn btn-danger" data-test="reject-loan" disabled=move || pending.get()
                        on:click=move |_| act("reject")>{both("不予通过", "Reject")}</button>
                })}
            </div>
        </div>
    })
}
