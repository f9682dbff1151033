//! The router and the phone layout: a top bar, the screen, and the bottom tab
//! bar (首页 / 优惠 / 服务 / 我的) within reach of one thumb. Every member
//! screen is here, aid and loans included, so the header and the tab bar stay
//! while the screens change; the screens behind the tabs come in chunks of
//! their own ([`crate::sections`]).

use leptos::prelude::*;
use leptos_router::components::{FlatRoutes, Route, Router};
use leptos_router::path;

use unioncard_app::components::later::Later;
use unioncard_app::components::skip_link::SkipLink;
use unioncard_app::components::tab_bar::TabBar;
use unioncard_app::components::top_bar::TopBar;
use unioncard_app::pages::{home::Home, not_found::NotFound};

use crate::sections::{Lazy, Screen};

/// The whole app.
#[component]
pub fn App() -> impl IntoView {
    crate::sections::english_on_demand();
    unioncard_app::components::shell::start();
    unioncard_app::session::Unread::provide();
    let lazy = |screen: Screen| move || view! { <Lazy screen/> };
    view! {
        <Router>
            // The mount draws only the router; the top bar, the screen's
            // routes and the tab bar follow in three tasks of their own, in
            // that order (one long task made four short ones). The page's
            // first paint stays over them until all are drawn
            // (`shell::start`), so nothing moves.
            <Later>
                <SkipLink/>
                <TopBar bell=ViewFn::from(move || view! { <Lazy screen=Screen::Bell quiet=true/> })/>
            </Later>
            <main id="main" class="screen" tabindex="-1">
                <Later>
                <FlatRoutes fallback=|| view! { <NotFound/> }>
                    <Route path=path!("/") view=move || view! {
                        <Home
                            cashier=move || view! { <Lazy screen=Screen::Cashier/> }
                            reminder=move || view! { <Lazy screen=Screen::TrainingReminder quiet=true/> }
                            hub=move || view! { <Lazy screen=Screen::Hub quiet=true/> }
                        />
                    }/>
                    <Route path=path!("/services") view=lazy(Screen::Services)/>
                    <Route path=path!("/me") view=lazy(Screen::Me)/>
                    <Route path=path!("/offers") view=lazy(Screen::Offers)/>
                    <Route path=path!("/merchants/:id") view=lazy(Screen::Merchant)/>
                    <Route path=path!("/me/savings") view=lazy(Screen::Savings)/>
                    <Route path=path!("/training") view=lazy(Screen::Training)/>
                    <Route path=path!("/training/courses/:id") view=lazy(Screen::Course)/>
                    <Route path=path!("/me/training") view=lazy(Screen::MyTraining)/>
                    <Route path=path!("/aid") view=lazy(Screen::Aid)/>
                    <Route path=path!("/aid/mine") view=lazy(Screen::MyCover)/>
                    <Route path=path!("/aid/plans/:id") view=lazy(Screen::Plan)/>
                    <Route path=path!("/aid/enrolments/:id") view=lazy(Screen::Certificate)/>
                    <Route path=path!("/aid/claims/new") view=lazy(Screen::NewClaim)/>
                    <Route path=path!("/aid/claims/:id") view=lazy(Screen::Claim)/>
                    <Route path=path!("/aid/claims/:id/edit") view=lazy(Screen::EditClaim)/>
                    <Route path=path!("/loans") view=lazy(Screen::Loans)/>
                    <Route path=path!("/loans/:id") view=lazy(Screen::Loan)/>
                    <Route path=path!("/loans/:id/apply") view=lazy(Screen::ApplyLoan)/>
                    <Route path=path!("/login") view=lazy(Screen::Login)/>
                    <Route path=path!("/register") view=lazy(Screen::Register)/>
                    <Route path=path!("/me/password") view=lazy(Screen::Password)/>
                    <Route path=path!("/me/messages") view=lazy(Screen::Inbox)/>
                    <Route path=path!("/me/payments") view=lazy(Screen::MyPayments)/>
                    <Route path=path!("/me/transfer") view=lazy(Screen::Transfer)/>
                    <Route path=path!("/join") view=lazy(Screen::Join)/>
                    <Route path=path!("/cashier") view=lazy(Screen::Cashier)/>
                    <Route path=path!("/search") view=lazy(Screen::Search)/>
                    <Route path=path!("/hardship") view=lazy(Screen::Hardship)/>
                    <Route path=path!("/hardship/files/:id") view=lazy(Screen::HardshipFile)/>
                    <Route path=path!("/education") view=lazy(Screen::Education)/>
                    <Route path=path!("/centres") view=lazy(Screen::Centres)/>
                    <Route path=path!("/rights") view=lazy(Screen::Rights)/>
                    // Before `/rights/:id`: the first route that matches is drawn.
                    <Route path=path!("/rights/join") view=lazy(Screen::RightsJoin)/>
                    <Route path=path!("/rights/:id") view=lazy(Screen::RightsCase)/>
                    <Route path=path!("/counselling") view=lazy(Screen::Counselling)/>
                    <Route path=path!("/education/applications/:id") view=lazy(Screen::EducationApplication)/>
                </FlatRoutes>
                </Later>
            </main>
            <Later><TabBar/></Later>
        </Router>
    }
}
