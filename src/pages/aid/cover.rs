//! 我的保障: each plan I hold, its dates, what is left of its cap and my
//! claims; and the certificate of one enrolment, to show or save.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};
use unioncard_api::aid::{ClaimSummary, Contribution, EnrolmentView};
use unioncard_api::offers::yuan;

use crate::api;
use crate::components::status::{loaded, AsOf};
use crate::i18n::{tr, use_i18n};
use crate::pages::format_date;

/// `/me/aid`.
#[component]
pub fn MyCoverPage() -> impl IntoView {
    let cover = LocalResource::new(api::my_cover);
    view! {
        <section class="page">
            <h2>{tr(|s| s.my_cover)}</h2>
            {loaded(cover, move |kept| match kept.value {
                p if p.items.is_empty() => view! {
                    <AsOf as_of=kept.as_of/>
                    <p class="panel">{tr(|s| s.no_cover)}</p>
                    <A href="/aid" attr:class="btn btn-primary btn-block">{tr(|s| s.see_plans)}</A>
                }.into_any(),
                p => view! {
                    <AsOf as_of=kept.as_of/>
                    <ul class="cover-list">
                        {p.items.into_iter().map(|e| view! { <li><CoverCard e=e full=false/></li> }).collect_view()}
                    </ul>
                    <A href="/aid" attr:class="btn btn-secondary btn-block">{tr(|s| s.see_plans)}</A>
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
            {new.then(|| view! { <p class="panel ok-note" role="status" data-test="enrolled">{tr(|s| s.enrolled_ok)}</p> })}
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
                    <p class="certificate-kicker">{tr(|s| s.aid_certificate)}</p>
                    <h2>{e.plan_name.clone()}</h2>
                }.into_any()
            } else {
                view! { <h3><A href=format!("/aid/enrolments/{id}") attr:class="title-link">{e.plan_name.clone()}</A></h3> }.into_any()
            }}
            <dl class="facts">
                {full.then(|| view! {
                    <dt>{tr(|s| s.aid_certificate_no)}</dt><dd data-test="certificate-no" class="whole">{e.certificate_no.clone()}</dd>
                    <dt>{tr(|s| s.member_label)}</dt><dd>{e.member_name.clone()}" · "<span class="whole">{e.id_number_masked.clone()}</span></dd>
                })}
                <dt>{tr(|s| s.cover_term)}</dt>
                <dd data-test="cover-dates"><span class="date">{date(e.cover_from.clone())}</span>" – "<span class="date">{date(e.cover_to.clone())}</span></dd>
                <dt>{tr(|s| s.claims_from)}</dt>
                <dd class="date">{date(e.waiting_ends_on.clone())}</dd>
                <dt>{tr(|s| s.you_pay)}</dt>
                <dd>{yuan(e.member_pays_fen)}</dd>
                <dt>{tr(|s| s.contribution_status)}</dt>
                <dd data-test="contribution">{match (e.contribution, e.contribution_paid_on.clone()) {
                    (Contribution::Paid, Some(on)) => view! {
                        <span class="status-pill paid">{move || i18n.t().contribution_paid_on.replace("{date}", &format_date(&on, i18n.lang.get()))}</span>
                    }.into_any(),
                    _ => view! { <span class="status-pill due">{tr(|s| s.contribution_due)}</span> }.into_any(),
                }}</dd>
                {e.left_fen.map(|left| view! {
                    <dt>{tr(|s| s.cap_left)}</dt>
                    <dd data-test="cap-left">{yuan(left)}" / "{yuan(e.yearly_cap_fen.unwrap_or(0))}</dd>
                })}
                <dt>{tr(|s| s.paid_so_far)}</dt>
                <dd>{yuan(e.used_fen)}</dd>
            </dl>
            {match claims_open {
                Some(from) if crate::clock::today() < from => view! {
                    <p class="hint" data-test="claims-open-from">{move || i18n.t().claims_open_from.replace("{date}", &format_date(&from.iso(), i18n.lang.get()))}</p>
                }.into_any(),
                _ => view! {
                    <A href=format!("/aid/claims/new?enrolment={id}") attr:class="btn btn-primary btn-block" attr:data-test="new-claim">{tr(|s| s.new_claim)}</A>
                }.into_any(),
            }}
            {full.then(|| view! {
                <button type="button" class="btn btn-secondary btn-block no-print" on:click=|_| { let _ = window().print(); }>
                    {tr(|s| s.print_certificate)}
                </button>
            })}
            <h3>{tr(|s| s.claims_so_far)}</h3>
            {if claims.is_empty() {
                view! { <p class="hint">{tr(|s| s.no_claims)}</p> }.into_any()
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
