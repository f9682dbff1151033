//! 医疗互助: the plans (with whether I may join each), a plan's page with the
//! estimator and enrolment, my cover and certificates, and claims with their
//! documents and timeline. The estimate is computed on the phone by the
//! shared crate, the same function the server runs on a claim.

pub mod bill;
pub mod claim;
pub mod cover;
pub mod plan;

use leptos::prelude::*;
use leptos_router::components::A;
use unioncard_api::aid::{Payer, PlanEligibility, PlanView};
use unioncard_api::identity::Gender;
use unioncard_api::offers::yuan;

use crate::api;
use crate::components::status::loaded;
use crate::i18n::{both, tr, use_i18n, Lang, Strings};
use crate::pages::format_date;
use crate::session::{use_session, SessionState};

/// `/aid`: every plan, each with what it costs me and whether I may join.
#[component]
pub fn AidPage() -> impl IntoView {
    let session = use_session();
    let i18n = use_i18n();
    // Refetched when the session settles (so "may I join" follows sign-in)
    // and when the language changes (the reasons come from the server).
    let plans = LocalResource::new(move || {
        let _ = (session.state.get(), i18n.lang.get());
        api::aid_plans()
    });
    view! {
        <section class="page">
            <h2>{both("医疗互助", "Mutual medical aid")}</h2>
            <p class="intro">{both("每年交一点，住院、大病时工会帮一把。先算一算能领多少，再决定参加。", "Pay a little each year; the union helps when you are in hospital or seriously ill. Estimate first, then join.")}</p>
            {move || matches!(session.state.get(), SessionState::User(_)).then(|| view! {
                <A href="/aid/mine" attr:class="btn btn-secondary" attr:data-test="my-cover-link">{both("我的保障", "My cover")}</A>
            })}
            {loaded(plans, move |p| {
                view! {
                    <ul class="merchant-list" data-test="plan-list">
                        {p.items.into_iter().map(|plan| view! { <PlanCard plan=plan/> }).collect_view()}
                    </ul>
                }.into_any()
            })}
        </section>
    }
}

#[component]
fn PlanCard(plan: PlanView) -> impl IntoView {
    let i18n = use_i18n();
    let kind = plan.kind;
    let you = plan.you.clone();
    let pays = plan.member_pays_fen;
    view! {
        <li>
            <A href=format!("/aid/plans/{}", plan.id) attr:class="merchant-card">
                <span class="merchant-name">{plan.name.clone()}</span>
                <span class="merchant-meta">{move || kind.label(i18n.lang.get())}" · "
                    <span class="date">{move || format_date(&plan.starts_on, i18n.lang.get())}</span>" – "<span class="date">{move || format_date(&plan.ends_on, i18n.lang.get())}</span></span>
                <span class="offer-line">{tr(|s| s.you_pay)}" "{yuan(pays)}</span>
                {you.map(|y| {
                    let enrolled = y.enrolment_id.is_some();
                    let ok = enrolled || y.can_enrol;
                    let first = y.reasons.first().map(|r| r.message.clone()).unwrap_or_default();
                    view! {
                        <span class=if ok { "badge ok" } else { "badge warn" }>{move || {
                            let t = i18n.t();
                            if enrolled { t.plan_enrolled.to_string() }
                            else if ok { t.plan_can_enrol.to_string() }
                            else { format!("{}：{first}", t.plan_cannot_enrol) }
                        }}</span>
                    }
                })}
            </A>
        </li>
    }
}

/// Who pays the contribution, in words.
pub fn payer_text(plan: &PlanView, t: &Strings) -> String {
    match plan.payer {
        Payer::Member => t.payer_member.to_string(),
        Payer::Workplace => t.payer_workplace.to_string(),
        Payer::Split => format!(
            "{} {}，{} {}",
            t.payer_split,
            unioncard_api::aid::percent(plan.workplace_share_bp),
            t.you_pay,
            yuan(plan.member_pays_fen)
        ),
    }
}

/// Who may join, in words: "女职工 · 16-60 周岁 · 会员卡已激活".
pub fn eligibility_text(e: &PlanEligibility, t: &Strings, lang: Lang) -> String {
    let mut parts = vec![match e.gender {
        Some(Gender::Female) => t.women_members.to_string(),
        Some(Gender::Male) => t.men_members.to_string(),
        None => t.any_member.to_string(),
    }];
    let sep = if lang == Lang::Zh { "" } else { " " };
    match (e.min_age, e.max_age) {
        (Some(a), Some(b)) => parts.push(format!("{a}-{b}{sep}{}", t.years_old)),
        (Some(a), None) => parts.push(format!("≥{a}{sep}{}", t.years_old)),
        (None, Some(b)) => parts.push(format!("≤{b}{sep}{}", t.years_old)),
        (None, None) => {}
    }
    if e.active_card {
        parts.push(t.active_card_needed.to_string());
    }
    parts.join(" · ")
}
