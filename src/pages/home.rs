//! 首页: a member's card first; for a guest, what the card carries and how to start.

use leptos::prelude::*;
use leptos_router::components::A;

use unioncard_api::auth::Role;

use crate::api::Failure;
use crate::components::status::session_known;
use crate::i18n::tr;
use crate::i18n::{use_i18n, Lang, Strings};
use crate::pages::card::{Ecard, MemberCard};
use crate::session::{use_session, SessionState};

/// One thing the card carries: its icon, name, a line about it, and the
/// screen where it is used (`None`: no screen yet, so never a link).
pub struct Benefit {
    pub icon: &'static str,
    pub title: &'static str,
    pub body: &'static str,
    pub href: Option<&'static str>,
    pub test: &'static str,
}

/// The benefits the card carries, in the order members ask about them.
/// The last two name themselves in `lang` (few words, kept out of the
/// shared table).
pub fn benefits(s: &Strings, lang: Lang) -> [Benefit; 9] {
    let b = |icon, title, body, href, test| Benefit {
        icon,
        title,
        body,
        href,
        test,
    };
    [
        b(
            "¥",
            s.benefit_discounts,
            s.benefit_discounts_body,
            Some("/offers"),
            "offers-link",
        ),
        b(
            "✚",
            s.benefit_aid,
            s.benefit_aid_body,
            Some("/aid"),
            "aid-link",
        ),
        b(
            "◎",
            s.benefit_loans,
            s.benefit_loans_body,
            Some("/loans"),
            "loans-link",
        ),
        b(
            "✎",
            s.benefit_training,
            s.benefit_training_body,
            Some("/training"),
            "training-link",
        ),
        b(
            "♥",
            s.benefit_hardship,
            s.benefit_hardship_body,
            Some("/hardship"),
            "hardship-link",
        ),
        b(
            "✦",
            s.benefit_education,
            s.benefit_education_body,
            Some("/education"),
            "education-link",
        ),
        b(
            "◆",
            s.benefit_centres,
            s.benefit_centres_body,
            Some("/centres"),
            "centres-link",
        ),
        b(
            "★",
            lang.pick("维权求助", "Rights help"),
            lang.pick(
                "欠薪、工伤、劳动合同纠纷，工会帮您维权",
                "Unpaid wages, injury, contracts: the union stands with you",
            ),
            Some("/rights"),
            "rights-link",
        ),
        b(
            "☎",
            lang.pick("咨询预约", "Counselling"),
            lang.pick(
                "预约心理或法律咨询，到站面谈或电话",
                "Book a counsellor, in person or by phone",
            ),
            Some("/counselling"),
            "counselling-link",
        ),
    ]
}

/// 首页's grid of the services: each one a tap to where it is used.
#[component]
pub fn Benefits() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="home-services" aria-labelledby="home-services-title">
            <h3 id="home-services-title">{tr(|s| s.benefits_title)}</h3>
            <ul class="service-grid" data-test="service-grid">
                {move || benefits(i18n.t(), i18n.lang.get()).into_iter().filter_map(|b| b.href.map(|href| view! {
                    <li>
                        <a href=href class="service-tile" data-test=format!("home-{}", b.test)>
                            <span class="benefit-icon" aria-hidden="true">{b.icon}</span>
                            <strong>{b.title}</strong>
                            <small>{b.body}</small>
                        </a>
                    </li>
                })).collect_view()}
            </ul>
        </section>
    }
}

/// Below the card: what the union is running now, one search, and the
/// services.
#[component]
pub fn Hub() -> impl IntoView {
    view! {
        <Campaigns/>
        <crate::pages::search::SearchBox/>
        <Benefits/>
    }
}

/// The unions' campaign banners showing today (the member's union and those
/// above it; for a guest, the province's and the cities'). Nothing when
/// there are none or the network is down: it is news, not a screen.
#[component]
fn Campaigns() -> impl IntoView {
    let i18n = use_i18n();
    let session = crate::session::use_session();
    let banners = LocalResource::new(move || {
        // Asked again when the person or the language changes.
        let _ = (session.me().map(|m| m.name), i18n.lang.get());
        crate::api::campaigns()
    });
    move || {
        let items = banners
            .get()
            .and_then(Result::ok)
            .map(|p| p.items)
            .unwrap_or_default();
        (!items.is_empty()).then(|| view! {
            <ul class="campaigns" aria-label=tr(|s| s.campaigns_label) data-test="campaigns">
                {items.into_iter().map(|c| view! {
                    <li>
                        <a href=c.link.clone() class="campaign-banner" data-test="campaign-banner">
                            <strong>{c.title.clone()}</strong>
                            <small>{c.union_name.clone()}" · "{tr(|s| s.campaign_until)}" "
                                <span class="date">{let d = c.ends_on.clone(); move || crate::pages::format_date(&d, i18n.lang.get())}</span></small>
                        </a>
                    </li>
                }).collect_view()}
            </ul>
        })
    }
}

/// No network: a member's phone still shows the kept e-card.
fn kept_ecard(f: &Failure) -> Option<AnyView> {
    let stored = crate::ecard::load().filter(|_| f.status().is_none())?;
    Some(view! { <Ecard stored=stored offline=true/> }.into_any())
}

/// The home screen. The cashier's redeem desk, the training reminder and
/// the hub below the card (the search and the services, [`Hub`]) are drawn
/// by the member app, which fetches their code in chunks (`src/sections.rs`):
/// they come after the card, below it, so nothing above them moves.
#[component]
pub fn Home(
    #[prop(into)] cashier: ViewFn,
    #[prop(into)] reminder: ViewFn,
    #[prop(into)] hub: ViewFn,
) -> impl IntoView {
    let session = use_session();
    view! {
        <div class="page">
            // A phone with no sign of a session draws the guest's screen at
            // once (as the page did before the code came), not after asking.
            {session_known(move || if session.probably_guest() { SessionState::Guest } else { session.state.get() }, kept_ecard, move |who| match who {
                None => view! {
                    <section class="hero">
                        <h2>{tr(|s| s.home_guest_title)}</h2>
                        <p>{tr(|s| s.home_guest_body)}</p>
                        <div class="actions">
                            <A href="/login" attr:class="btn btn-primary">{tr(|s| s.sign_in)}</A>
                            <A href="/register" attr:class="btn btn-light">{tr(|s| s.register)}</A>
                        </div>
                    </section>
                }.into_any(),
                // A cashier's redeem desk is a chunk of its own: members never fetch it.
                Some(me) if me.has(Role::Cashier) => cashier.run(),
                // The desk is its own download: members never fetch officer screens.
                Some(me) if [Role::Officer, Role::Admin, Role::Lawyer, Role::Counsellor].into_iter().any(|r| me.has(r)) => view! {
                    <section class="panel">
                        <h2>{tr(|s| s.staff_title)}</h2>
                        <p>{tr(|s| s.staff_intro)}</p>
                        <a href="/staff" rel="external" class="btn btn-primary btn-block" data-test="open-desk">
                            {tr(|s| s.open_desk)}
                        </a>
                    </section>
                }.into_any(),
                // The card keeps the first screen's height while it loads,
                // and a training reminder comes after it, so nothing the
                // member already sees is pushed down (it was: CLS 0.52).
                Some(me) => view! {
                    <h2 class="greeting">{tr(|s| s.welcome)}{me.name.clone()}</h2>
                    <div class="card-slot"><MemberCard/></div>
                    {reminder.run()}
                }.into_any(),
            })}
            // What the card carries matters to members and guests, not at the
            // till or the desk; shown once the session is known, below what
            // the session decides, never above it while it is being asked.
            {move || {
                let known = !matches!(session.state.get(), SessionState::Checking) || session.probably_guest();
                (known && session.me().is_none_or(|me| me.has(Role::Member))).then(|| hub.run())
            }}
        </div>
    }
}
