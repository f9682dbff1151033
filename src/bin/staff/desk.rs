//! The officers' desk (工会工作台) as its own app under `/staff`. It shares the
//! session, language, widgets and API client with the member app, but is a
//! separate download, so a member's phone never fetches officer screens.
//! Links between the two apps are full page loads (`rel="external"`).

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use unioncard_app::components::shell::SignedIn;
use unioncard_app::components::skip_link::SkipLink;
use unioncard_app::components::top_bar::TopBar;
use unioncard_app::i18n::{both, tr};
use unioncard_app::pages::not_found::NotFound;
use unioncard_app::pages::staff::StaffHome;

use crate::sections::{Lazy, Screen};

/// The officers' desk.
#[component]
pub fn StaffApp() -> impl IntoView {
    unioncard_app::components::shell::start();
    let lazy = |screen: Screen| move || view! { <Lazy screen/> };
    view! {
        <Router>
            <SkipLink/>
            <TopBar/>
            <nav class="staff-nav" aria-label=tr(|s| s.staff_title)>
                <a href="/staff">{tr(|s| s.staff_title)}</a>
                <a href="/me" rel="external">{both("返回会员服务", "Back to the member app")}</a>
            </nav>
            <main id="main" class="screen staff-screen" tabindex="-1">
                <SignedIn>
                    <Routes fallback=|| view! { <NotFound/> }>
                        <Route path=path!("/staff") view=StaffHome/>
                        <Route path=path!("/staff/join-requests") view=lazy(Screen::JoinRequests)/>
                        <Route path=path!("/staff/roster") view=lazy(Screen::Roster)/>
                        <Route path=path!("/staff/cards") view=lazy(Screen::Cards)/>
                        <Route path=path!("/staff/complaints") view=lazy(Screen::Complaints)/>
                        <Route path=path!("/staff/transfers") view=lazy(Screen::Transfers)/>
                        <Route path=path!("/staff/aid") view=lazy(Screen::AidQueue)/>
                        <Route path=path!("/staff/aid/:id") view=lazy(Screen::ClaimReview)/>
                        <Route path=path!("/staff/loans") view=lazy(Screen::LoanQueue)/>
                        <Route path=path!("/staff/loans/:id") view=lazy(Screen::LoanReview)/>
                        <Route path=path!("/staff/figures") view=lazy(Screen::Figures)/>
                        <Route path=path!("/staff/audit") view=lazy(Screen::Audit)/>
                        <Route path=path!("/staff/training") view=lazy(Screen::Training)/>
                        <Route path=path!("/staff/sessions/:id") view=lazy(Screen::SessionRoster)/>
                        <Route path=path!("/staff/hardship") view=lazy(Screen::HardshipQueue)/>
                        <Route path=path!("/staff/hardship/:id") view=lazy(Screen::HardshipReview)/>
                        <Route path=path!("/staff/education") view=lazy(Screen::EducationQueue)/>
                        <Route path=path!("/staff/education/:id") view=lazy(Screen::EducationReview)/>
                        <Route path=path!("/staff/model-workers") view=lazy(Screen::ModelWorkers)/>
                        <Route path=path!("/staff/payments") view=lazy(Screen::Payments)/>
                        <Route path=path!("/staff/payments/:id") view=lazy(Screen::Batch)/>
                        <Route path=path!("/staff/rights") view=lazy(Screen::RightsQueue)/>
                        <Route path=path!("/staff/rights/:id") view=lazy(Screen::RightsCase)/>
                        <Route path=path!("/staff/counselling") view=lazy(Screen::Counselling)/>
                    </Routes>
                </SignedIn>
            </main>
        </Router>
    }
}
