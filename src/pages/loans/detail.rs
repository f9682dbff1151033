//! An application's page: where it stands and what happens next, who to
//! call, its timeline (who, when, notes), and once paid out the repayment
//! schedule as a table and a small chart drawn here.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use unioncard_api::aid::percent;
use unioncard_api::loans::{LoanView, Schedule, Subsidy};
use unioncard_api::offers::yuan;

use crate::api;
use crate::components::case_file::{Case, Documents, Step, Timeline};
use crate::components::status::loaded;
use crate::i18n::{both, tr, use_i18n};
use crate::pages::format_date;

/// `/loans/:id`.
#[component]
pub fn LoanPage() -> impl IntoView {
    let params = use_params_map();
    let loan = LocalResource::new(move || {
        let id = params.with(|p| p.get("id").and_then(|v| v.parse().ok()).unwrap_or(0));
        async move {
            let l = api::loan(id).await?;
            let schedule = if l.disbursed_on.is_some() {
                Some(api::loan_schedule(id).await?)
            } else {
                None
            };
            Ok::<_, api::Failure>((l, schedule))
        }
    });
    let reload = Callback::new(move |_| loan.refetch());
    view! {
        <section class="page">
            {loaded(loan, move |(l, s)| view! { <LoanDetail l=l schedule=s reload=reload/> }.into_any())}
        </section>
    }
}

/// The application, for its member or (on the desk) an officer.
#[component]
pub fn LoanDetail(l: LoanView, schedule: Option<Schedule>, reload: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let status = l.status;
    let x = l.input.facts.clone();
    let tel = format!("tel:{}", l.county_phone.replace(['-', ' '], ""));
    view! {
        <h2>{l.input.business_name.clone()}</h2>
        <div class=format!("panel status-banner {}", status.as_str()) data-test="loan-status">
            <strong>{move || status.label(i18n.lang.get())}</strong>
            <p>{l.next_step.clone()}</p>
            {(!l.county_phone.is_empty()).then(|| view! {
                <a class="btn btn-secondary" href=tel>{both("联系县级工会", "Call the county union")}" · "{l.county.clone()}" "{l.county_phone.clone()}</a>
            })}
        </div>
        <dl class="facts panel">
            <dt>{both("申请人", "Applicant")}</dt><dd>{l.applicant.clone()}</dd>
            <dt>{both("申请金额（元）", "Amount (yuan)")}</dt><dd data-test="loan-amount">{yuan(x.amount_fen)}</dd>
            <dt>{both("期限（月）", "Term (months)")}</dt><dd>{x.term_months}</dd>
            <dt>{both("项目类型", "Kind of business")}</dt><dd>{move || x.business_kind.label(i18n.lang.get())}</dd>
            <dt>{tr(|s| s.employment_status)}</dt><dd>{move || x.employment_status.label(i18n.lang.get())}</dd>
            <dt>{both("经营地址", "Business address")}</dt><dd>{l.input.business_address.clone()}</dd>
            <dt>{both("贷款用途", "What the money is for")}</dt><dd>{l.input.purpose.clone()}</dd>
            {(!x.partners.is_empty()).then(|| view! {
                <dt>{both("合伙人", "Partners")}</dt>
                <dd>{x.partners.iter().map(|p| p.name.clone()).collect::<Vec<_>>().join("、")}</dd>
            })}
            <dt>{tr(|s| s.max_amount)}</dt><dd>{yuan(l.max_amount_fen)}</dd>
        </dl>
        <h3>{tr(|s| s.documents)}</h3>
        <Documents case=Case::Loan(l.id) docs=l.documents.clone() can_add=false can_remove=false reload=reload/>
        {schedule.map(|s| view! { <ScheduleView s=s/> })}
        <h3>{both("进度", "Progress")}</h3>
        <Timeline steps=Step::all(l.timeline.clone()) test_id="loan-timeline"/>
    }
}

/// The schedule: a stacked bar per month (principal, the member's interest,
/// the subsidy) drawn as SVG, and the table with the same numbers.
#[component]
fn ScheduleView(s: Schedule) -> impl IntoView {
    let i18n = use_i18n();
    let rows = s.installments.clone();
    let n = rows.len().max(1) as f64;
    let top = rows
        .iter()
        .map(|r| r.principal_fen + r.interest_fen)
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let (w, h) = (320.0, 120.0);
    let bar = w / n;
    let bars = rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let x = i as f64 * bar + bar * 0.15;
            let bw = bar * 0.7;
            let member_interest = r.member_pays_fen - r.principal_fen;
            let hp = r.principal_fen as f64 / top * h;
            let hm = member_interest as f64 / top * h;
            let hs = r.subsidy_fen as f64 / top * h;
            view! {
                <g>
                    <rect x=x y=h - hp width=bw height=hp class="bar-principal"/>
                    <rect x=x y=h - hp - hm width=bw height=hm class="bar-interest"/>
                    <rect x=x y=h - hp - hm - hs width=bw height=hs class="bar-subsidy"/>
                </g>
            }
        })
        .collect_view();
    let rate = s.annual_rate_bp;
    let subsidy = s.subsidy;
    view! {
        <h3>{both("还款计划", "Repayment schedule")}</h3>
        <p class="hint">{both("年利率", "Yearly rate")}" "{percent(rate)}" · "
            {move || match subsidy {
                Subsidy::Full => i18n.t().subsidy_full.to_string(),
                Subsidy::MemberRate { member_rate_bp } => format!("{} {}", i18n.t().subsidy_member_rate, percent(member_rate_bp)),
            }}
        </p>
        <figure class="panel chart">
            <svg viewBox=format!("0 0 {w} {h}") role="img" aria-label=both("每月还款构成", "What each month's payment is made of") preserveAspectRatio="none">{bars}</svg>
            <figcaption class="legend">
                <span class="key bar-principal"></span>{both("本金", "Principal")}
                <span class="key bar-interest"></span>{both("利息", "Interest")}
                <span class="key bar-subsidy"></span>{tr(|s| s.subsidy)}
            </figcaption>
        </figure>
        <div class="table-scroll" tabindex="0" role="region" aria-label=both("还款计划", "Repayment schedule")>
            <table class="schedule" data-test="schedule">
                <thead><tr>
                    <th scope="col">"#"</th>
                    <th scope="col">{tr(|s| s.due_on)}</th>
                    <th scope="col">{both("本金", "Principal")}</th>
                    <th scope="col">{both("利息", "Interest")}</th>
                    <th scope="col">{tr(|s| s.subsidy)}</th>
                    <th scope="col">{both("个人应还", "You pay")}</th>
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|r| view! {
                        <tr>
                            <td>{r.number}</td>
                            <td>{move || format_date(&r.due_on, i18n.lang.get())}</td>
                            <td class="num">{yuan(r.principal_fen)}</td>
                            <td class="num">{yuan(r.interest_fen)}</td>
                            <td class="num">{yuan(r.subsidy_fen)}</td>
                            <td class="num">{yuan(r.member_pays_fen)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
                <tfoot><tr>
                    <th scope="row" colspan="2">{tr(|s| s.total)}</th>
                    <td class="num">{yuan(s.amount_fen)}</td>
                    <td class="num">{yuan(s.total_interest_fen)}</td>
                    <td class="num">{yuan(s.total_subsidy_fen)}</td>
                    <td class="num" data-test="total-member-pays">{yuan(s.total_member_pays_fen)}</td>
                </tr></tfoot>
            </table>
        </div>
    }
}
