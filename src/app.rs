//! The router and the phone layout: a top bar, the screen, and the bottom tab
//! bar (首页 / 优惠 / 服务 / 我的) within reach of one thumb.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::components::tab_bar::TabBar;
use crate::components::top_bar::TopBar;
use crate::pages::account::{login::Login, me::MePage, password::PasswordPage, register::Register};
use crate::pages::training::{CoursePage, MyTrainingPage, TrainingPage};
use crate::pages::{
    cashier::CashierPage, home::Home, join::JoinPage, not_found::NotFound, offers::Offers,
    services::Services,
};
use crate::pages::{merchant::MerchantPage, savings::SavingsPage};

/// The whole app.
#[component]
pub fn App() -> impl IntoView {
    crate::components::shell::start();
    view! {
        <Router>
            <a class="skip-link" href="#main">{move || crate::i18n::use_i18n().t().app_name}</a>
            <TopBar/>
            <main id="main" class="screen" tabindex="-1">
                <Routes fallback=|| view! { <NotFound/> }>
                    <Route path=path!("/") view=Home/>
                    <Route path=path!("/offers") view=Offers/>
                    <Route path=path!("/services") view=Services/>
                    <Route path=path!("/me") view=MePage/>
                    <Route path=path!("/login") view=Login/>
                    <Route path=path!("/register") view=Register/>
                    <Route path=path!("/join") view=JoinPage/>
                    <Route path=path!("/cashier") view=CashierPage/>
                    <Route path=path!("/merchants/:id") view=MerchantPage/>
                    <Route path=path!("/me/savings") view=SavingsPage/>
                    <Route path=path!("/me/password") view=PasswordPage/>
                    <Route path=path!("/training") view=TrainingPage/>
                    <Route path=path!("/training/courses/:id") view=CoursePage/>
                    <Route path=path!("/me/training") view=MyTrainingPage/>
                </Routes>
            </main>
            <TabBar/>
        </Router>
    }
}
