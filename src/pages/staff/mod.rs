//! The union officer's desk (工会工作台) and its screens.

pub mod aid;
pub mod audit;
pub mod cards;
pub mod complaints;
pub mod counselling;
pub mod education;
pub mod figures;
pub mod hardship;
pub mod join_requests;
pub mod loans;
pub mod model_workers;
pub mod payments;
pub mod rights;
pub mod roster;
pub mod training;
pub mod transfers;

use leptos::prelude::*;
use leptos_router::components::A;
use unioncard_api::auth::{Me, Role};

use crate::components::tile::Tile;
use crate::i18n::{both, tr, use_i18n};
use crate::session::use_session;

/// What an account does at the desk, which decides its home.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeskRole {
    /// Manages unions and accounts, and sees every kind of work.
    Admin,
    /// A union officer (and anyone else who opens the desk: the server
    /// refuses what they may not do).
    Officer,
    /// A union lawyer or mediator: only the rights cases assigned to them.
    Lawyer,
    /// A counsellor: only their own consultation slots.
    Counsellor,
}

/// The desk role of the signed-in account (the widest it holds).
pub fn desk_role(me: Option<&Me>) -> DeskRole {
    let has = |r: Role| me.is_some_and(|m| m.has(r));
    if has(Role::Admin) {
        DeskRole::Admin
    } else if has(Role::Officer) {
        DeskRole::Officer
    } else if has(Role::Lawyer) {
        DeskRole::Lawyer
    } else if has(Role::Counsellor) {
        DeskRole::Counsellor
    } else {
        DeskRole::Officer
    }
}

/// The desk's home: an officer's tiles, or the one kind of work a lawyer
/// or a counsellor does.
#[component]
pub fn StaffHome() -> impl IntoView {
    let session = use_session();
    let role = Memo::new(move |_| desk_role(session.me().as_ref()));
    move || {
        match role.get() {
            DeskRole::Lawyer => view! {
                <OneTile href="/staff/rights"
                    title=both("分配给我的案件", "Cases assigned to me")
                    help=both("工会指派给您的维权案件：记录进展与追回金额、上传材料、办结", "Rights cases the union assigned to you: record steps and what was recovered, add evidence, close them")/>
            }
            .into_any(),
            DeskRole::Counsellor => view! {
                <OneTile href="/staff/counselling"
                    title=both("咨询预约", "Counselling")
                    help=both("发布咨询时段，查看每天的预约", "Publish your slots and see each day's bookings")/>
            }
            .into_any(),
            DeskRole::Admin => view! { <OfficerHome admin=true/> }.into_any(),
            DeskRole::Officer => view! { <OfficerHome admin=false/> }.into_any(),
        }
    }
}

/// The home of an account with one kind of work at the desk.
#[component]
fn OneTile(
    href: &'static str,
    #[prop(into)] title: Signal<&'static str>,
    #[prop(into)] help: Signal<&'static str>,
) -> impl IntoView {
    view! {
        <section class="page">
            <h2>{tr(|s| s.staff_title)}</h2>
            <ul class="tiles" data-test="desk-tiles">
                <li><A href=href attr:class="tile">
                    <strong>{title}</strong>
                    <span>{help}</span>
                </A></li>
            </ul>
        </section>
    }
}

/// The officer's home: one tile per kind of work, with what waits in each
/// review queue of the officer's unions.
#[component]
fn OfficerHome(admin: bool) -> impl IntoView {
    let i18n = use_i18n();
    let counts = LocalResource::new(crate::api::staff_queues);
    let waiting = move |pick: fn(&unioncard_api::stats::Queues) -> i64| {
        move || {
            counts
                .get()
                .and_then(Result::ok)
                .map(|q| pick(&q))
                .filter(|n| *n > 0)
                .map(|n| {
                    // Counted up to a cap: past it the badge says "999+",
                    // and a screen reader says so in words.
                    let over = n >= unioncard_api::stats::QUEUE_COUNT_CAP;
                    let over_label = both("待办超过 999 件", "More than 999 waiting");
                    let label = move || if over { over_label().to_string() } else { format!("{} {n}", i18n.t().waiting_label) };
                    view! { <span class="count" aria-label=label>{unioncard_api::stats::queue_badge(n)}</span> }
                })
        }
    };
    view! {
        <section class="page">
            <h2>{tr(|s| s.staff_title)}</h2>
            <p class="intro">{tr(|s| s.staff_intro)}</p>
            <ul class="tiles" data-test="desk-tiles">
                <Tile href="/staff/figures" title=|s| s.figures_title help=|s| s.figures_help/>
                <Tile href="/staff/join-requests" title=|s| s.staff_join_requests help=|s| s.staff_join_requests_help>{waiting(|q| q.join_requests)}</Tile>
                <Tile href="/staff/aid" title=|s| s.staff_aid help=|s| s.staff_aid_help>{waiting(|q| q.claims)}</Tile>
                <Tile href="/staff/loans" title=|s| s.staff_loans help=|s| s.staff_loans_help>{waiting(|q| q.loans)}</Tile>
                <li><A href="/staff/rights" attr:class="tile">
                    <strong>{both("维权案件", "Rights cases")}</strong>
                    <span>{both("职工反映的劳动争议：受理、指派律师、记录进展，仲裁时效预警", "Disputes workers reported: triage, lawyers, steps, arbitration deadlines")}</span>
                </A></li>
                {admin.then(|| view! {
                    <li><A href="/staff/counselling" attr:class="tile">
                        <strong>{both("咨询预约", "Counselling")}</strong>
                        <span>{both("咨询师的时段与预约", "Counsellors' slots and bookings")}</span>
                    </A></li>
                })}
                <Tile href="/staff/hardship" title=|s| s.staff_hardship help=|s| s.staff_hardship_help/>
                <li><leptos_router::components::A href="/staff/education" attr:class="tile">
                    <strong>{crate::i18n::both("金秋助学", "Education aid")}</strong>
                    <span>{crate::i18n::both("本年度资助标准、子女助学申请审核", "The year's amounts; reviewing applications")}</span>
                </leptos_router::components::A></li>
                <li><leptos_router::components::A href="/staff/model-workers" attr:class="tile">
                    <strong>{crate::i18n::both("劳模津补贴", "Model workers")}</strong>
                    <span>{crate::i18n::both("劳模名册、津补贴标准与每月发放", "The register, rates and monthly allowances")}</span>
                </leptos_router::components::A></li>
                // Its words live with its chunk (`both`), not in the member app's table.
                <li><leptos_router::components::A href="/staff/payments" attr:class="tile">
                    <strong>{crate::i18n::both("资金发放", "Payments onto cards")}</strong>
                    <span>{crate::i18n::both("送温暖、帮扶金发放批次，复核与银行回盘", "Relief and aid batches, approval and the bank's answers")}</span>
                </leptos_router::components::A></li>
                <li><leptos_router::components::A href="/staff/transfers" attr:class="tile">
                    <strong>{crate::i18n::both("转会", "Transfers")}</strong>
                    <span>{crate::i18n::both("会员换工作转入、转出本单位工会", "Members moving into or out of your unions")}</span>
                </leptos_router::components::A></li>
                <Tile href="/staff/complaints" title=|s| s.staff_complaints help=|s| s.staff_complaints_help>{waiting(|q| q.complaints)}</Tile>
                <Tile href="/staff/roster" title=|s| s.staff_roster help=|s| s.staff_roster_help/>
                <Tile href="/staff/cards" title=|s| s.staff_cards help=|s| s.staff_cards_help/>
                <Tile href="/staff/training" title=|s| s.staff_training help=|s| s.staff_training_help/>
                <Tile href="/staff/audit" title=|s| s.audit_title help=|s| s.audit_help/>
                // Management is its own download: a full page load.
                <li><a href="/manage" rel="external" class="tile">
                    <strong>{both("管理", "Management")}</strong>
                    <span>{tr(|s| s.manage_merchants_help)}</span>
                </a></li>
            </ul>
        </section>
    }
}
