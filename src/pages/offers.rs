//! 优惠: the partner-merchant directory. Categories, a search over names,
//! districts and offers, "nearest to me" from the phone's position, and more
//! merchants as the list is scrolled.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::components::A;
use unioncard_api::offers::{yuan, Category, MerchantView};

use crate::api;
use crate::components::status::Paged;
use crate::i18n::{both, tr, use_i18n};

/// A distance as people say it: `850 米`, `2.4 公里`.
pub fn distance_text(m: i64, km: &str, metres: &str) -> String {
    if m < 1000 {
        format!("{m} {metres}")
    } else {
        format!("{:.1} {km}", m as f64 / 1000.0)
    }
}

/// The directory.
#[component]
pub fn Offers() -> impl IntoView {
    let i18n = use_i18n();
    let category = RwSignal::new(None::<Category>);
    let words = RwSignal::new(String::new());
    let query = RwSignal::new(String::new());
    let near = RwSignal::new(None::<(f64, f64)>);
    let locating = RwSignal::new(false);
    let notice = RwSignal::new(None::<String>);
    // The first page whenever the filters change; more as asked or scrolled.
    let merchants = Paged::new(
        move || (category.get(), query.get(), near.get()),
        |(c, q, n), after| async move {
            api::merchants(c.map(|c| c.as_str()), &q, n, after.as_deref()).await
        },
    );
    // Infinite scroll: the next page as the end of the list comes into view.
    let handle = window_event_listener(leptos::ev::scroll, move |_| {
        let Some(w) = web_sys::window() else { return };
        let bottom = w
            .inner_height()
            .ok()
            .and_then(|h| h.as_f64())
            .unwrap_or(0.0)
            + w.scroll_y().unwrap_or(0.0);
        let height = document()
            .body()
            .map(|b| b.scroll_height() as f64)
            .unwrap_or(0.0);
        if bottom > height - 600.0 && merchants.can_load_more() {
            merchants.more();
        }
    });
    on_cleanup(move || handle.remove());

    let on_search = move |ev: SubmitEvent| {
        ev.prevent_default();
        query.set(words.get_untracked());
    };
    let locate =
        move |_| crate::scan::toggle_near(near, locating, notice, i18n.t().location_denied);
    let chip = move |c: Option<Category>| {
        view! {
            <button type="button" class="chip" aria-pressed=move || (category.get() == c).to_string()
                on:click=move |_| category.set(c)>
                {move || match c { Some(c) => c.label(i18n.lang.get()), None => i18n.t().all_categories }}
            </button>
        }
    };
    view! {
        <section class="page">
            <h2>{both("会员优惠", "Member offers")}</h2>
            <p class="intro">{both("签约商户给会员的折扣：购物、餐饮、看病、出行、文化教育。结账前先领一次性优惠码。", "Discounts for members at partner merchants: shopping, meals, medical care, travel, culture and education. Get a one-time code before you pay.")}</p>
            <form class="search-row" role="search" on:submit=on_search>
                <input type="search" id="merchant_search" aria-label=both("搜索商户、地区或优惠", "Search merchants, districts, offers")
                    placeholder=both("搜索商户、地区或优惠", "Search merchants, districts, offers")
                    prop:value=move || words.get() on:input=move |ev| words.set(event_target_value(&ev))/>
                <button type="submit" class="btn btn-primary">{tr(|s| s.search)}</button>
            </form>
            <div class="chips" role="group" aria-label=move || i18n.t().categories[0].0>
                {chip(None)}
                {Category::ALL.into_iter().map(|c| chip(Some(c))).collect_view()}
            </div>
            <button type="button" class="btn btn-secondary near-btn" aria-pressed=move || near.get().is_some().to_string()
                on:click=locate data-test="near-me">
                {move || if locating.get() { i18n.t().locating } else { i18n.t().near_me }}
            </button>
            <p class="hint" role="status">{move || notice.get()}</p>
            // Holds a screen's height while the first page loads, so the
            // how-to below does not jump when the list arrives.
            <div class="load-slot">
                {merchants.view(
                    |items| view! {
                        <ul class="merchant-list" data-test="merchant-list">
                            {items.into_iter().map(|m| view! { <MerchantCard m=m/> }).collect_view()}
                        </ul>
                    },
                    |s| s.no_merchants,
                )}
            </div>
            <section class="panel">
                <h3>{both("怎么使用优惠", "How to use an offer")}</h3>
                <ol class="steps">
                    {move || i18n.t().offers_how_steps.iter().map(|s| view! { <li>{*s}</li> }).collect_view()}
                </ol>
            </section>
        </section>
    }
}

/// One merchant in the list: what, where, how far, and what you save.
#[component]
fn MerchantCard(m: MerchantView) -> impl IntoView {
    let i18n = use_i18n();
    let href = format!("/merchants/{}", m.id);
    let best = m.offers.first().cloned();
    let category = m.category;
    let distance = m.distance_m;
    let typical = m.typical_bill_fen;
    view! {
        <li>
            <A href=href attr:class="merchant-card">
                <span class="merchant-name">{m.name.clone()}</span>
                <span class="merchant-meta">
                    {move || category.label(i18n.lang.get())}" · "{m.district.clone()}
                    {move || distance.map(|d| format!(" · {}", distance_text(d, i18n.t().km_away, i18n.t().m_away)))}
                </span>
                {best.map(|o| {
                    let saving = o.typical_saving_fen;
                    let bill = o.example_bill_fen.max(typical);
                    let usable = o.usable_on(crate::clock::today());
                    view! {
                        <span class="offer-line">{o.summary.clone()}</span>
                        {match usable {
                            Err(why) => Some(view! {
                                <span class="unavailable-note" data-test="offer-unavailable">{move || why.message(i18n.lang.get())}</span>
                            }.into_any()),
                            Ok(()) if saving > 0 => Some(view! {
                                <span class="saving-line">{move || format!("{} {} {} {}", i18n.t().typical_saving, yuan(bill), i18n.t().typical_saving_mid, yuan(saving))}</span>
                            }.into_any()),
                            Ok(()) => None,
                        }}
                    }
                })}
            </A>
        </li>
    }
}
