//! 会员卡为我省钱: each use with merchant, date, bill and saving, what the card
//! saved this year, and the reports the member made.

use leptos::prelude::*;
use leptos_router::components::A;
use unioncard_api::offers::{yuan, ComplaintStatus};

use crate::api;
use crate::components::status::loaded;
use crate::i18n::{both, tr, use_i18n};
use crate::pages::format_date_time;
use crate::pages::merchant::Complain;

/// `/me/savings`.
#[component]
pub fn SavingsPage() -> impl IntoView {
    let i18n = use_i18n();
    let history = LocalResource::new(api::my_redemptions);
    let complaints = LocalResource::new(api::my_complaints);
    view! {
        <section class="page">
            <h2>{both("会员卡为我省钱", "What my card saved")}</h2>
            {loaded(history, move |h| {
                view! {
                    <div class="panel saving-total">
                        <span>{both("今年已省", "Saved this year")}</span>
                        <strong data-test="year-saving">{yuan(h.year_saving_fen)}</strong>
                    </div>
                    <h3>{tr(|s| s.history)}</h3>
                    {h.items.is_empty().then(|| view! { <p class="panel">{both("还没有使用记录。去“优惠”看看附近的商户吧。", "No uses yet. See the Offers tab for merchants near you.")}</p> })}
                    <ul class="history" data-test="history">
                        {h.items.into_iter().map(|u| view! {
                            <li class="panel">
                                <A href=format!("/merchants/{}", u.merchant_id) attr:class="history-merchant">{u.merchant_name.clone()}</A>
                                <span class="hint">{u.offer_title.clone()}" · "{format_date_time(&u.at)}</span>
                                <span class="history-figures">
                                    {tr(|s| s.bill)}" "{yuan(u.bill_fen)}" · "
                                    <strong>{both("省", "Saved")}" "{yuan(u.saving_fen)}</strong>
                                </span>
                                <Complain merchant_id=u.merchant_id redemption_id=Some(u.id)/>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            })}
            {move || complaints.get().and_then(Result::ok).filter(|p| !p.items.is_empty()).map(|p| view! {
                <h3>{both("我的反映", "My reports")}</h3>
                <ul class="history">
                    {p.items.into_iter().map(|c| {
                        let status = c.status;
                        let open = status == ComplaintStatus::Open;
                        view! {
                            <li class="panel">
                                <strong>{c.merchant_name.clone()}</strong>
                                <span class="hint">{format_date_time(&c.created_at)}</span>
                                <span class=if open { "status-issued" } else { "status-active" }>
                                    {move || status.label(i18n.lang.get())}
                                </span>
                                {c.note.clone().map(|n| view! { <p>{n}</p> })}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            })}
        </section>
    }
}
