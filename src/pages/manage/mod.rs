//! Management (管理): officers manage the partner merchants and offers of
//! their unions; administrators the unions and officer accounts. A bundle
//! of its own under `/manage`, used at a desk.

pub mod campaigns;
pub mod contributions;
pub mod merchants;
pub mod plans;
pub mod unions;

use leptos::prelude::*;

use crate::components::tile::Tile;
use crate::i18n::tr;

/// `/manage`.
#[component]
pub fn ManageHome() -> impl IntoView {
    view! {
        <section class="page">
            <h2>{tr(|s| s.manage_title)}</h2>
            <ul class="tiles">
                <Tile href="/manage/merchants" title=|s| s.manage_merchants help=|s| s.manage_merchants_help/>
                <Tile href="/manage/plans" title=|s| s.manage_plans help=|s| s.manage_plans_help/>
                <Tile href="/manage/contributions" title=|s| s.manage_contributions help=|s| s.manage_contributions_help/>
                <Tile href="/manage/campaigns" title=|s| s.manage_campaigns help=|s| s.manage_campaigns_help/>
                <Tile href="/manage/unions" title=|s| s.manage_unions help=|s| s.manage_unions_help/>
            </ul>
        </section>
    }
}
