//! Management (管理): officers manage the partner merchants and offers of
//! their unions; administrators the unions and officer accounts. A bundle
//! of its own under `/manage`, used at a desk.

pub mod campaigns;
pub mod centres;
pub mod contributions;
pub mod merchants;
pub mod plans;
pub mod unions;

use leptos::prelude::*;

use crate::components::tile::Tile;
use leptos_router::components::A;

use crate::i18n::both;

/// `/manage`.
#[component]
pub fn ManageHome() -> impl IntoView {
    view! {
        <section class="page">
            <h2>{both("管理", "Management")}</h2>
            <ul class="tiles">
                <Tile href="/manage/merchants" title=|s| s.manage_merchants help=|s| s.manage_merchants_help/>
                <Tile href="/manage/plans" title=|s| s.manage_plans help=|s| s.manage_plans_help/>
                <Tile href="/manage/contributions" title=|s| s.manage_contributions help=|s| s.manage_contributions_help/>
                <Tile href="/manage/campaigns" title=|s| s.manage_campaigns help=|s| s.manage_campaigns_help/>
                <Tile href="/manage/unions" title=|s| s.manage_unions help=|s| s.manage_unions_help/>
                <li><A href="/manage/centres" attr:class="tile">
                    <strong>{both("服务站点", "Service centres")}</strong>
                    <span>{both("职工服务中心和服务站：地址、开放时间、电话和服务", "Service centres and help stations: address, hours, phone, services")}</span>
                </A></li>
            </ul>
        </section>
    }
}
