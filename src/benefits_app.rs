//! Mutual medical aid and micro-loans as an app of their own (`/aid`, `/loans`).
//! Same session, language, widgets and client as the member app; a separate
//! download, so the card and discounts a member opens at the till load fast.
//! Links to the member app's screens are full page loads (`rel="external"`).

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::components::tab_bar::TabBar;
use crate::components::top_bar::TopBar;
use crate::i18n::tr;
use crate::pages::aid::claim::{ClaimPage, EditClaimPage, NewClaimPage};
use crate::pages::aid::cover::{CertificatePage, MyCoverPage};
use crate::pages::aid::{plan::PlanPage, AidPage};
use crate::pages::loans::{apply::ApplyPage, detail::LoanPage, LoansPage};
use crate::pages::not_found::NotFound;

/// The benefits app.
#[component]
pub fn BenefitsApp() -> impl IntoView {
    crate::components::shell::start();
    view! {
        <Router>
            <a class="skip-link" href="#main">{tr(|s| s.aid_title)}</a>
            <TopBar/>
            <main id="main" class="screen" tabindex="-1">
                <Routes fallback=|| view! { <NotFound/> }>
                    <Route path=path!("/aid") view=AidPage/>
                    <Route path=path!("/aid/mine") view=MyCoverPage/>
                    <Route path=path!("/aid/plans/:id") view=PlanPage/>
                    <Route path=path!("/aid/enrolments/:id") view=CertificatePage/>
                    <Route path=path!("/aid/claims/new") view=NewClaimPage/>
                    <Route path=path!("/aid/claims/:id") view=ClaimPage/>
                    <Route path=path!("/aid/claims/:id/edit") view=EditClaimPage/>
                    <Route path=path!("/loans") view=LoansPage/>
                    <Route path=path!("/loans/:id") view=LoanPage/>
                    <Route path=path!("/loans/:id/apply") view=ApplyPage/>
                </Routes>
            </main>
            <TabBar external=true/>
        </Router>
    }
}
