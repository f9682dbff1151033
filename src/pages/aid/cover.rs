//! 我的保障: each plan I hold, its dates, what is left of its cap and my
//! claims; and the certificate of one enrolment, to show or save.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};
use unioncard_api::aid::{ClaimSummary, Contribution, EnrolmentView};
use unioncard_api::offers::yuan;

use crate::api;
use crate::components::status::{loaded, AsOf};
use crate::i18n::{both, tr, use_i18n};
use crate::pages::format_date;

/// `/me/aid`.
#[component]
pub fn MyCoverPage() -> impl IntoView {
    let cover = LocalResource::new(api::my_cover);
    view! {
        <section class="page">
            <h2>{both("我的保障", "My cover")}</h2>
            {loaded(cover, move |kept| match kept.value {
                p if p.items.is_empty() => view! {
                    <AsOf as_of=kept.as_of/>
                    <p class="panel">{both("还没有参加任何互助计划", "You have not joined any plan yet")}</p>
                    <A href="/aid" attr:class="btn btn-primary btn-block">{both("看看可以参加的计划", "See the plans")}</A>
                }.into_any(),
                p => view! {
                    <AsOf as_of=kept.as_of/>
                    <ul class="cover-list">
                        {p.items.into_iter().map(|e| view! { <li><CoverCard e=e full=false/></li> }).collect_view()}
                    </ul>
                    <A href="/aid" attr:class="btn btn-secondary btn-block">{both("看看可以参加的计划", "See the plans")}</A>
                }.into_any(),
            })}
        </section>
    }
}

/// `/aid/enrolments/:id`: the certificate.
#[component]
pub fn CertificatePage() -> impl IntoView {
    let params = use_params_map();
    // `?new=1`: the member has just joined; say so on the certificate.
    let new = use_query_map().with_untracked(|q| q.get("new").is_some());
    let e = LocalResource::new(move || {
        let id = params.with(|p| p.get("id").and_then(|v| v.parse().ok()).unwrap_or(0));
        api::enrolment(id)
    });
    view! {
        <section class="page">
            {new.then(|| view! { <p class="panel ok-note" role="status" data-test="enrolled">{both("参加成功，这是您的参保凭证", "You have joined. This is your certificate")}</p> })}
            {loaded(e, move |e| {
                view! { <CoverCard e=e full=true/> }.into_any()
            })}
        </section>
    }
}

/// One enrolment. `full`: the certificate with its number and holder, to
/// show at a counter or print.
#[component]
fn CoverCard(e: EnrolmentView, full: bool) -> impl IntoView {
    let i18n = use_i18n();
    let date = move |iso: String| move || format_date(&iso, i18n.lang.get());
    let id = e.id;
    let claims = e.claims.clone();
    // A claim is offered only once one can be made: after the waiting period.
    let claims_open = e.cover().map(|c| c.claims_open_on());
    view! {
        <article class="panel certificate" data-test="cover">
            {if full {
                view! {
                    <p class="certificate-kicker">{both("参加凭证", "Certificate of cover")}</p>
                    <h2>{e.plan_name.clone()}</h2>
                }.into_any()
            } else {
                view! { <h3><A href=format!("/aid/enrolments/{id}") attr:class="title-link">{e.plan_name.clone()}</A></h3> }.into_any()
            }}
            <dl class="facts">
                {full.then(|| view! {
                    <dt>{both("凭证编号", "Certificate no.")}</dt><dd data-test="certificate-no" class="whole">{e.certificate_no.clone()}</dd>
                    <dt>{both("参加人", "Member")}</dt><dd>{e.member_name.clone()}" · "<span class="whole">{e.id_number_masked.clone()}</span></dd>
                })}
                <dt>{both("保障期", "Cover")}</dt>
                <dd data-test="cover-dates"><span class="date">{date(e.cover_from.clone())}</span>" – "<span class="date">{date(e.cover_to.clone())}</span></dd>
                <dt>{both("起可申请（等待期结束）", "claims accepted from (waiting period over)")}</dt>
                <dd class="date">{date(e.waiting_ends_on.clone())}</dd>
                <dt>{tr(|s| s.you_pay)}</dt>
                <dd>{yuan(e.member_pays_fen)}</dd>
                <dt>{both("缴费情况", "Contribution")}</dt>
                <dd data-test="contribution">{match (e.contribution, e.contribution_paid_on.clone()) {
                    (Contribution::Paid, Some(on)) => view! {
                        <span class="status-pill paid">{move || i18n.t().contribution_paid_on.replace("{date}", &format_date(&on, i18n.lang.get()))}</span>
                    }.into_any(),
                    _ => view! { <span class="status-pill due">{both("待单位工会收取", "Due: your workplace union collects it")}</span> }.into_any(),
                }}</dd>
                {e.left_fen.map(|left| view! {
                    <dt>{both("年度封顶剩余", "Left of the yearly cap")}</dt>
                    <dd data-test="cap-left">{yuan(left)}" / "{yuan(e.yearly_cap_fen.unwrap_or(0))}</dd>
                })}
                <dt>{both("已核准", "Approved so far")}</dt>
                <dd>{yuan(e.used_fen)}</dd>
            </dl>
            {match claims_open {
                Some(from) if crate::clock::today() < from => view! {
                    <p class="hint" data-test="claims-open-from">{move || i18n.t().claims_open_from.replace("{date}", &format_date(&from.iso(), i18n.lang.get()))}</p>
                }.into_any(),
                _ => view! {
                    <A href=format!("/aid/claims/new?enrolment={id}") attr:class="btn btn-primary btn-block" attr:data-test="new-claim">{both("申请互助金", "Claim a payout")}</A>
                }.into_any(),
            }}
            {full.then(|| view! {
                <button type="button" class="btn btn-secondary btn-block no-print" on:click=|_| { let _ = window().print(); }>
                    {both("保存或打印凭证", "Save or print")}
                </button>
            })}
            <h3>{both("申请记录", "Claims")}</h3>
            {if claims.is_empty() {
                view! { <p class="hint">{both("还没有申请", "No claims yet")}</p> }.into_any()
            } else {
                view! { <ul class="claim-list">{claims.into_iter().map(|c| view! { <ClaimLine c=c/> }).collect_view()}</ul> }.into_any()
            }}
        </article>
    }
}

#[component]
fn ClaimLine(c: ClaimSummary) -> impl IntoView {
    let i18n = use_i18n();
    let status = c.status;
    view! {
        <li>
            <A href=format!("/aid/claims/{}", c.id) attr:class="claim-line">
                <span>{c.hospital_name.clone()}<br/><small>{move || format_date(&c.admitted_on, i18n.lang.get())}</small></span>
                <span class="claim-right">
                    <span class=format!("status-pill {}", status.as_str())>{move || status.label(i18n.lang.get())}</span>
                    <span class="num">{yuan(c.payout_fen)}</span>
                </span>
            </A>
        </li>
    }
}
