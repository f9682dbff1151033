//! A plan's page: what it costs and pays, who may join, the estimator, and
//! joining (or why not).

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};
use unioncard_api::aid::{CapUse, PlanView};
use unioncard_api::offers::yuan;

use super::bill::{BillFields, BillForm, LiveEstimate};
use super::{eligibility_text, payer_text};
use crate::api;
use crate::components::shell::SignInFor;
use crate::components::status::loaded;
use crate::i18n::{both, tr, use_i18n};
use crate::pages::format_date;
use crate::session::{use_session, SessionState};

/// `/aid/plans/:id`.
#[component]
pub fn PlanPage() -> impl IntoView {
    let params = use_params_map();
    let session = use_session();
    let i18n = use_i18n();
    let plan = LocalResource::new(move || {
        let id = params.with(|p| p.get("id").and_then(|v| v.parse().ok()).unwrap_or(0));
        let _ = (session.state.get(), i18n.lang.get());
        api::aid_plan(id)
    });
    view! {
        <section class="page">
            {loaded(plan, move |p| {
                view! { <PlanDetail plan=p/> }.into_any()
            })}
        </section>
    }
}

#[component]
fn PlanDetail(plan: PlanView) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let form = BillForm::default();
    let cap = CapUse {
        yearly_cap_fen: plan.yearly_cap_fen,
        used_fen: 0,
    };
    let p = StoredValue::new(plan.clone());
    let date = move |iso: &str| format_date(iso, i18n.lang.get());
    let rule = plan.rule.clone();
    view! {
        <h2>{plan.name.clone()}</h2>
        <p class="intro">{plan.summary.clone()}</p>
        <dl class="facts panel">
            <dt>{tr(|s| s.you_pay)}</dt>
            <dd data-test="you-pay">{yuan(plan.member_pays_fen)}" · "{move || p.with_value(|p| payer_text(p, i18n.t()))}</dd>
            <dt>{both("保障期", "Cover")}</dt>
            <dd><span class="date">{move || p.with_value(|p| date(&p.starts_on))}</span>" – "<span class="date">{move || p.with_value(|p| date(&p.ends_on))}</span></dd>
            <dt>{both("参加时间", "Enrolment window")}</dt>
            <dd><span class="date">{move || p.with_value(|p| date(&p.window_from))}</span>" – "<span class="date">{move || p.with_value(|p| date(&p.window_to))}</span></dd>
            <dt>{both("等待期", "Waiting period")}</dt>
            <dd>{plan.waiting_days}" "{both("天", "days")}</dd>
            <dt>{both("出院（确诊）后多少天内申请", "Claim within (days after discharge or diagnosis)")}</dt>
            <dd>{plan.claim_deadline_days}" "{both("天", "days")}</dd>
            <dt>{both("参加条件", "Who may join")}</dt>
            <dd>{move || p.with_value(|p| eligibility_text(&p.eligibility, i18n.t(), i18n.lang.get()))}</dd>
            <dt>{both("年度封顶", "Yearly cap")}</dt>
            <dd>{move || p.with_value(|p| p.yearly_cap_fen.map(yuan).unwrap_or_else(|| i18n.t().no_cap.into()))}</dd>
        </dl>
        <h3>{both("怎么给付", "How it pays")}</h3>
        <ul class="rule-lines">
            {move || p.with_value(|p| p.rule.describe(i18n.lang.get())).into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}
        </ul>
        <Enrol plan=plan.clone()/>
        <h3 id="estimate">{both("算一算能领多少", "Estimate your payout")}</h3>
        <form class="panel" on:submit=|ev: leptos::ev::SubmitEvent| ev.prevent_default()>
            <BillFields form=form rule=rule.clone()/>
        </form>
        <LiveEstimate form=form rule=rule cap=cap/>
        {move || matches!(session.state.get(), SessionState::User(_)).then(|| view! {
            <A href="/aid/mine" attr:class="btn btn-secondary btn-block">{both("我的保障", "My cover")}</A>
        })}
    }
}

/// Joining: the button when allowed, the reasons when not, the certificate
/// link when already in.
#[component]
fn Enrol(plan: PlanView) -> impl IntoView {
    let navigate = use_navigate();
    let session = use_session();
    let pending = RwSignal::new(false);
    let message = RwSignal::new(None::<String>);
    let id = plan.id;
    // One tap opens the summary; only "确认参加" enrols.
    let confirming = RwSignal::new(false);
    let join = move |_| {
        if pending.get_untracked() {
            return;
        }
        pending.set(true);
        let navigate = navigate.clone();
        spawn_local(async move {
            match api::enrol(id).await {
                Ok(e) => navigate(
                    &format!("/aid/enrolments/{}?new=1", e.id),
                    Default::default(),
                ),
                Err(f) => {
                    message.set(Some(f.message()));
                    pending.set(false);
                }
            }
        });
    };
    let summary = StoredValue::new(plan.clone());
    let you = plan.you.clone();
    view! {
        {move || match (&you, session.state.get()) {
            (Some(y), _) if y.enrolment_id.is_some() => view! {
                <p class="panel ok-note">{tr(|s| s.plan_enrolled)}" · "
                    <A href=format!("/aid/enrolments/{}", y.enrolment_id.unwrap_or(0)) attr:class="inline-target" attr:data-test="certificate-link">{both("查看凭证", "View certificate")}</A></p>
            }.into_any(),
            (Some(y), _) if y.can_enrol && confirming.get() => view! {
                {summary.with_value(|p| view! { <EnrolSummary plan=p.clone()/> })}
                <p class="form-message" role="alert">{move || message.get()}</p>
                <button type="button" class="btn btn-primary btn-block" data-test="confirm-enrol" on:click=join.clone()
                    disabled=move || pending.get()>{both("确认参加", "Join")}</button>
                <button type="button" class="btn btn-secondary btn-block" on:click=move |_| confirming.set(false)>{both("再想想", "Not now")}</button>
            }.into_any(),
            (Some(y), _) if y.can_enrol => view! {
                <button type="button" class="btn btn-primary btn-block" data-test="enrol" on:click=move |_| confirming.set(true)>
                    {both("参加此计划", "Join this plan")}</button>
            }.into_any(),
            (Some(y), _) => view! {
                <div class="panel warn-note" data-test="not-eligible">
                    <strong>{tr(|s| s.plan_cannot_enrol)}</strong>
                    <ul>{y.reasons.iter().map(|r| view! { <li data-code=r.code.clone()>{r.message.clone()}</li> }).collect_view()}</ul>
                </div>
            }.into_any(),
            (None, SessionState::Guest) => view! {
                <SignInFor why=both("参加互助计划要先登录会员账号，登录后会回到这个计划。", "Sign in to join a plan; you will come back to this plan.")/>
            }.into_any(),
            (None, _) => ().into_any(),
        }}
    }
}

/// What joining means, before the member confirms: what they pay and who
/// collects it, the cover they would get if they join today, when claims
/// open and how long they have to claim.
#[component]
fn EnrolSummary(plan: PlanView) -> impl IntoView {
    let i18n = use_i18n();
    let cover = plan.dates().map(|d| d.cover_for(crate::clock::today()));
    let date = move |d: unioncard_api::identity::Date| format_date(&d.iso(), i18n.lang.get());
    let member_pays = plan.member_pays_fen;
    let p = StoredValue::new(plan.clone());
    view! {
        <div class="panel confirm-box" role="region" aria-labelledby="enrol-summary-title" data-test="enrol-summary">
            <h3 id="enrol-summary-title">{both("参加前请确认", "Before you join")}</h3>
            <dl class="facts">
                <dt>{tr(|s| s.you_pay)}</dt>
                <dd><strong class="num">{yuan(member_pays)}</strong>" · "{move || p.with_value(|p| payer_text(p, i18n.t()))}</dd>
                <dt>{both("怎么缴费", "How it is paid")}</dt>
                <dd>{move || if member_pays == 0 { i18n.t().nothing_to_pay } else { i18n.t().collected_by_workplace }}</dd>
                {cover.map(|c| view! {
                    <dt>{both("保障期", "Cover")}</dt>
                    <dd data-test="summary-cover"><span class="date">{move || date(c.from)}</span>" – "<span class="date">{move || date(c.to)}</span></dd>
                    <dt>{both("等待期", "Waiting period")}</dt>
                    <dd>{move || i18n.t().claims_open_from.replace("{date}", &date(c.claims_open_on()))}</dd>
                })}
                <dt>{both("出院（确诊）后多少天内申请", "Claim within (days after discharge or diagnosis)")}</dt>
                <dd>{plan.claim_deadline_days}" "{both("天", "days")}</dd>
            </dl>
        </div>
    }
}
