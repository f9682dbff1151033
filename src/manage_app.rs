//! Management as an app of its own under `/manage`: the forms officers and
//! administrators use at a desk, kept out of the review desk's download.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::components::shell::SignedIn;
use crate::components::skip_link::SkipLink;
use crate::components::top_bar::TopBar;
use crate::i18n::{both, tr};
use crate::pages::manage::campaigns::CampaignsPage;
use crate::pages::manage::contributions::ContributionsPage;
use crate::pages::manage::merchants::{MerchantPage, MerchantsPage};
use crate::pages::manage::{plans::PlansPage, unions::UnionsPage, ManageHome};
use crate::pages::not_found::NotFound;

/// The management app.
#[component]
pub fn ManageApp() -> impl IntoView {
    crate::components::shell::start();
    view! {
        <Router>
            <SkipLink/>
            <TopBar/>
            <nav class="staff-nav" aria-label=both("管理", "Management")>
                <a href="/manage">{both("管理", "Management")}</a>
                <a href="/staff" rel="external">{tr(|s| s.staff_title)}</a>
            </nav>
            <main id="main" class="screen staff-screen" tabindex="-1">
                <SignedIn>
                    <Routes fallback=|| view! { <NotFound/> }>
                        <Route path=path!("/manage") view=ManageHome/>
                        <Route path=path!("/manage/merchants") view=MerchantsPage/>
                        <Route path=path!("/manage/merchants/new") view=MerchantPage/>
                        <Route path=path!("/manage/merchants/:id") view=MerchantPage/>
                        <Route path=path!("/manage/unions") view=UnionsPage/>
                        <Route path=path!("/manage/plans") view=PlansPage/>
                        <Route path=path!("/manage/campaigns") view=CampaignsPage/>
                        <Route path=path!("/manage/contributions") view=ContributionsPage/>
                        <Route path=path!("/manage/centres") view=crate::pages::manage::centres::CentresPage/>
                    </Routes>
                </SignedIn>
            </main>
        </Router>
    }
}
