//! Management as an app of its own under `/manage`: the forms officers and
//! administrators use at a desk, kept out of the review desk's download.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::components::status::Loading;
use crate::components::top_bar::TopBar;
use crate::i18n::{tr, I18n};
use crate::pages::manage::merchants::{MerchantPage, MerchantsPage};
use crate::pages::manage::{plans::PlansPage, unions::UnionsPage, ManageHome};
use crate::pages::not_found::NotFound;
use crate::session::{use_session, Session, SessionState};

/// The management app.
#[component]
pub fn ManageApp() -> impl IntoView {
    I18n::provide();
    Session::provide();
    if let Some(boot) = document().get_element_by_id("boot") {
        boot.remove();
    }
    let session = use_session();
    view! {
        <Router>
            <a class="skip-link" href="#main">{tr(|s| s.manage_title)}</a>
            <TopBar/>
            <nav class="staff-nav" aria-label=tr(|s| s.manage_title)>
                <a href="/manage">{tr(|s| s.manage_title)}</a>
                <a href="/staff" rel="external">{tr(|s| s.staff_title)}</a>
            </nav>
            <main id="main" class="screen staff-screen" tabindex="-1">
                {move || match session.state.get() {
                    SessionState::Checking => view! { <Loading/> }.into_any(),
                    SessionState::User(_) => view! {
                        <Routes fallback=|| view! { <NotFound/> }>
                            <Route path=path!("/manage") view=ManageHome/>
                            <Route path=path!("/manage/merchants") view=MerchantsPage/>
                            <Route path=path!("/manage/merchants/new") view=MerchantPage/>
                            <Route path=path!("/manage/merchants/:id") view=MerchantPage/>
                            <Route path=path!("/manage/unions") view=UnionsPage/>
                            <Route path=path!("/manage/plans") view=PlansPage/>
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
