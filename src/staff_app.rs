//! The officers' desk (工会工作台) as its own app under `/staff`. It shares the
//! session, language, widgets and API client with the member app, but is a
//! separate download, so a member's phone never fetches officer screens.
//! Links between the two apps are full page loads (`rel="external"`).

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::components::status::Loading;
use crate::components::top_bar::TopBar;
use crate::i18n::{tr, I18n};
use crate::pages::not_found::NotFound;
use crate::pages::staff::aid::{AidQueuePage, ClaimReviewPage};
use crate::pages::staff::loans::{LoanQueuePage, LoanReviewPage};
use crate::pages::staff::training::{SessionRosterPage, StaffTrainingPage};
use crate::pages::staff::{audit::AuditPage, figures::FiguresPage};
use crate::pages::staff::{
    cards::CardsPage, complaints::ComplaintsPage, join_requests::JoinRequestsPage,
    roster::RosterPage, StaffHome,
};
use crate::session::{use_session, Session, SessionState};

/// The officers' desk.
#[component]
pub fn StaffApp() -> impl IntoView {
    I18n::provide();
    Session::provide();
    if let Some(boot) = document().get_element_by_id("boot") {
        boot.remove();
    }
    let session = use_session();
    view! {
        <Router>
            <a class="skip-link" href="#main">{tr(|s| s.staff_title)}</a>
            <TopBar/>
            <nav class="staff-nav" aria-label=tr(|s| s.staff_title)>
                <a href="/staff">{tr(|s| s.staff_title)}</a>
                <a href="/me" rel="external">{tr(|s| s.back_to_app)}</a>
            </nav>
            <main id="main" class="screen staff-screen" tabindex="-1">
                {move || match session.state.get() {
                    SessionState::Checking => view! { <Loading/> }.into_any(),
                    SessionState::User(_) => view! {
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
                    }.into_any(),
                    _ => view! {
                        <section class="page panel">
                            <p>{tr(|s| s.me_guest)}</p>
                            <a href="/login" rel="external" class="btn btn-primary">{tr(|s| s.sign_in)}</a>
                        </section>
                    }.into_any(),
                }}
            </main>
        </Router>
    }
}
