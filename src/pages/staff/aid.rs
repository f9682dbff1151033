//! Aid claim review: the queue for the officer's unions (oldest first), and a
//! claim with its documents and the computed estimate beside the figures
//! claimed, with the decisions.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use unioncard_api::aid::{ClaimStatus, ClaimView};
use unioncard_api::join::Decision;
use unioncard_api::offers::yuan;

use crate::api;
use crate::components::case_file::{Case, Documents, Step, Timeline};
use crate::components::status::loaded;
use crate::i18n::{both, tr, use_i18n};
use crate::pages::aid::bill::EstimateSteps;
use crate::pages::format_date;
use unioncard_api::money::parse_yuan;
use unioncard_api::payments::LineStatus;

const FILTERS: [&str; 4] = ["open", "approved", "rejected", "paid"];

/// `/staff/aid`.
#[component]
pub fn AidQueuePage() -> impl IntoView {
    let i18n = use_i18n();
    let status = RwSignal::new("open");
    let queue = LocalResource::new(move || api::staff_claims(status.get()));
    view! {
        <section class="page">
            <h2>{tr(|s| s.staff_aid)}</h2>
            <div class="chips" role="group" aria-label=tr(|s| s.status)>
                {FILTERS.into_iter().map(|f| view! {
                    <button type="button" class="chip" aria-pressed=move || (status.get() == f).to_string() on:click=move |_| status.set(f)>
                        {move || match ClaimStatus::from_db(f) {
                            Some(s) => s.label(i18n.lang.get()),
                            None => i18n.t().queue_open,
                        }}
                    </button>
                }).collect_view()}
            </div>
            {loaded(queue, move |v| match v {
                p if p.items.is_empty() => view! { <p class="panel">{both("没有待处理的申请", "Nothing waiting")}</p> }.into_any(),
                p => view! {
                    <ul class="queue" data-test="claim-queue">
                        {p.items.into_iter().map(|c| view! { <QueueItem c=c/> }).collect_view()}
                    </ul>
                }.into_any(),
            })}
        </section>
    }
}

#[component]
fn QueueItem(c: ClaimView) -> impl IntoView {
    let i18n = use_i18n();
    let member = c.member.clone();
    let st = c.status;
    view! {
        <li class="panel request" data-test="claim">
            <h3>{member.as_ref().map(|m| m.name.clone())}" · "{c.plan_name.clone()}</h3>
            <p class="hint">{member.as_ref().map(|m| m.union_name.clone())}</p>
            <p>{c.hospital_name.clone()}" · "{move || format_date(&c.admitted_on, i18n.lang.get())}</p>
            <p>
                <span class=format!("status-pill {}", st.as_str())>{move || st.label(i18n.lang.get())}</span>" "
                {both("系统测算", "Computed estimate")}" "<strong>{yuan(c.estimate.payout_fen)}</strong>
            </p>
            <A href=format!("/staff/aid/{}", c.id) attr:class="btn btn-primary">{both("打开", "Open")}</A>
        </li>
    }
}

/// `/staff/aid/:id`.
#[component]
pub fn ClaimReviewPage() -> impl IntoView {
    let params = use_params_map();
    let claim = LocalResource::new(move || {
        let id = params.with(|p| p.get("id").and_then(|v| v.parse().ok()).unwrap_or(0));
        api::staff_claim(id)
    });
    let reload = Callback::new(move |_| claim.refetch());
    view! {
        <section class="page">
            <A href="/staff/aid" attr:class="back-link">"‹ "{tr(|s| s.staff_aid)}</A>
            {loaded(claim, move |c| view! { <Review c=c reload=reload/> }.into_any())}
        </section>
    }
}

#[component]
fn Review(c: ClaimView, reload: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let id = c.id;
    let st = c.status;
    let estimate = c.estimate.payout_fen;
    let amount = RwSignal::new(format!("{}.{:02}", estimate / 100, estimate % 100));
    let note = RwSignal::new(String::new());
    let message = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);
    let run = move |f: std::pin::Pin<
        Box<dyn std::future::Future<Output = Result<ClaimView, api::Failure>>>,
    >| {
        pending.set(true);
        message.set(None);
        spawn_local(async move {
            match f.await {
                Ok(_) => reload.run(()),
                Err(e) => message.set(Some(e.message())),
            }
            pending.set(false);
        });
    };
    let decide = move |decision: &'static str| {
        let amount_fen = if decision == "approve" {
            match parse_yuan(&amount.get_untracked())
                .or((amount.get_untracked().trim() == "0").then_some(0))
            {
                Some(f) => Some(f),
                None => {
                    message.set(Some(i18n.t().bad_amount.into()));
                    return;
                }
            }
        } else {
            None
        };
        let d = Decision {
            decision: decision.into(),
            amount_fen,
            note: note.get_untracked(),
        };
        run(Box::pin(async move { api::decide_claim(id, &d).await }));
    };
    let member = c.member.clone();
    let b = c.bill.clone();
    view! {
        <h2>{member.as_ref().map(|m| m.name.clone())}" · "{c.plan_name.clone()}</h2>
        <p class="hint">{member.as_ref().map(|m| format!("{} · {}", m.union_name, m.id_number_masked))}</p>
        <p><span class=format!("status-pill {}", st.as_str()) data-test="review-status">{move || st.label(i18n.lang.get())}</span></p>
        <div class="review-grid">
            <dl class="facts panel">
                <dt>{both("申报费用", "Figures claimed")}</dt><dd></dd>
                <dt>{tr(|s| s.hospital_name)}</dt><dd>{c.hospital_name.clone()}</dd>
                <dt>{tr(|s| s.admitted_on)}</dt>
                <dd>{move || format_date(&c.admitted_on, i18n.lang.get())}" – "{move || format_date(&c.discharged_on, i18n.lang.get())}</dd>
                {b.hospital_grade.map(|g| view! { <dt>{tr(|s| s.hospital_grade)}</dt><dd>{move || g.label(i18n.lang.get())}</dd> })}
                <dt>{tr(|s| s.stay_number)}</dt><dd>{b.stay_number}</dd>
                {(b.hospital_days > 0).then(|| view! { <dt>{tr(|s| s.hospital_days)}</dt><dd>{b.hospital_days}</dd> })}
                {(b.total_cost_fen > 0).then(|| view! {
                    <dt>{tr(|s| s.total_cost)}</dt><dd>{yuan(b.total_cost_fen)}</dd>
                    <dt>{tr(|s| s.insurance_paid)}</dt><dd>{yuan(b.insurance_paid_fen)}</dd>
                    <dt>{tr(|s| s.self_pay)}</dt><dd>{yuan(b.self_pay_fen)}</dd>
                })}
                {b.disease_group.clone().map(|g| view! { <dt>{tr(|s| s.disease_group)}</dt><dd>{g}</dd> })}
                {member.as_ref().and_then(|m| m.cap_left_fen).map(|left| view! { <dt>{both("年度封顶剩余", "Left of the yearly cap")}</dt><dd>{yuan(left)}</dd> })}
                <dt>{both("最晚申请日期", "Claim by")}</dt><dd>{move || format_date(&c.deadline, i18n.lang.get())}</dd>
            </dl>
            <div>
                <h3>{both("系统测算", "Computed estimate")}</h3>
                <EstimateSteps estimate=c.estimate.clone()/>
            </div>
        </div>
        <h3>{tr(|s| s.documents)}</h3>
        <Documents case=Case::Claim(id) docs=c.documents.clone() can_add=false can_remove=false reload=reload/>
        {st.is_open().then(|| view! {
            <div class="panel decision">
                {(st == ClaimStatus::Submitted).then(|| view! {
                    <button type="button" class="btn btn-secondary btn-block" data-test="start-review"
                        disabled=move || pending.get() on:click=move |_| run(Box::pin(async move { api::review_claim(id).await }))>
                        {both("开始审核", "Start review")}
                    </button>
                })}
                <div class="field">
                    <label for="amount">{both("核准金额（元）", "Amount to approve (yuan)")}</label>
                    <input id="amount" inputmode="decimal" prop:value=move || amount.get() on:input=move |ev| amount.set(event_target_value(&ev))/>
                </div>
                <div class="field">
                    <label for="decision_note">{tr(|s| s.decision_note)}</label>
                    <span class="hint" id="decision_note-hint">{both("金额与测算不同、不予通过或要求补充材料时必填", "Required when the amount differs from the estimate, to reject, or to ask for documents")}</span>
                    <textarea id="decision_note" rows="3" aria-describedby="decision_note-hint" prop:value=move || note.get()
                        on:input=move |ev| note.set(event_target_value(&ev))></textarea>
                </div>
                <p class="form-message" role="alert">{move || message.get()}</p>
                <div class="actions">
                    <button type="button" class="btn btn-primary" data-test="approve" disabled=move || pending.get() on:click=move |_| decide("approve")>{both("通过", "Approve")}</button>
                    <button type="button" class="btn btn-secondary" data-test="request-documents" disabled=move || pending.get() on:click=move |_| decide("request_documents")>{both("要求补充材料", "Ask for documents")}</button>
                    <button type="button" class="btn btn-danger" data-test="reject" disabled=move || pending.get() on:click=move |_| decide("reject")>{both("不予通过", "Reject")}</button>
                </div>
            </div>
        })}
        {(st == ClaimStatus::Approved).then(|| match c.payment.filter(|p| *p != LineStatus::Failed) {
            // A batch pays it: the bank's answer marks it paid.
            Some(p) => view! {
                <p class="panel hint" data-test="claim-in-batch">
                    {both("已列入资金发放批次：", "In a payment batch: ")}{move || p.label(i18n.lang.get())}
                    " · "<A href="/staff/payments">{both("资金发放", "Payments onto cards")}</A>
                </p>
            }.into_any(),
            None => view! {
                <p class="hint">{both(
                    "可在“资金发放”中把已核准的互助金批量发放到会员卡；已在别处打款的，在此登记。",
                    "Approved claims can be paid onto cards in a batch at 资金发放; one paid some other way is recorded here.",
                )}</p>
                <p class="form-message" role="alert">{move || message.get()}</p>
                <button type="button" class="btn btn-primary btn-block" data-test="mark-paid" disabled=move || pending.get()
                    on:click=move |_| run(Box::pin(async move { api::mark_claim_paid(id).await }))>{both("登记已打款", "Mark as paid")}</button>
            }.into_any(),
        })}
        <h3>{both("进度", "Progress")}</h3>
        <Timeline steps=Step::all(c.timeline)/>
    }
}
