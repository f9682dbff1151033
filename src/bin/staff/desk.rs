//! The officers' desk (工会工作台) as its own app under `/staff`. It shares the
//! session, language, widgets and API client with the member app, but is a
//! separate download, so a member's phone never fetches officer screens.
//! Links between the two apps are full page loads (`rel="external"`).

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::components::shell::SignedIn;
use crate::components::top_bar::TopBar;
use crate::i18n::tr;
use crate::pages::not_found::NotFound;
use crate::pages::staff::aid::{AidQueuePage, ClaimReviewPage};
use crate::pages::staff::loans::{LoanQueuePage, LoanReviewPage};
use crate::pages::staff::training::{SessionRosterPage, StaffTrainingPage};
use crate::pages::staff::{audit::AuditPage, figures::FiguresPage};
use crate::pages::staff::{
    cards::CardsPage, complaints::ComplaintsPage, join_requests::JoinRequestsPage,
    roster::RosterPage, StaffHome,
};

/// The officers' desk.
#[component]
pub fn StaffApp() -> impl IntoView {
    crate::components::shell::start();
    view! {
        <Router>
            <a class="skip-link" href="#main">{tr(|s| s.staff_title)}</a>
            <TopBar/>
            <nav class="staff-nav" aria-label=tr(|s| s.staff_title)>
                <a href="/staff">{tr(|s| s.staff_title)}</a>
                <a href="/me" rel="external">{tr(|s| s.back_to_app)}</a>
            </nav>
            <main id="main" class="screen staff-screen" tabindex="-1">
                <SignedIn>
                    <Routes fallback=|| view! { <NotFound/> }>
                        <Route path=path!("/staff") view=StaffHome/>
                        <Route path=path!("/staff/join-requests") view=JoinRequestsPage/>
                        <Route path=path!("/staff/roster") view=RosterPage/>
                        <Route path=path!("/staff/cards") view=CardsPage/>
                        <Route path=path!("/staff/complaints") view=ComplaintsPage/>
                        <Route path=path!("/staff/aid") view=AidQueuePage/>
                        <Route path=path!("/staff/aid/:id") view=ClaimReviewPage/>
                        <Route path=path!("/staff/loans") view=LoanQueuePage/>
                        <Route path=path!("/staff/figures") view=FiguresPage/>
                        <Route path=path!("/staff/audit") view=AuditPage/>
                        <Route path=path!("/staff/loans/:id") view=LoanReviewPage/>
                        <Route path=path!("/staff/training") view=StaffTrainingPage/>
                        <Route path=path!("/staff/sessions/:id") view=SessionRosterPage/>
                    </Routes>
                </SignedIn>
            </main>
        </Router>
    }
}
