//! 搜索 (`/search?q=`): one box on 首页 over the merchants, the courses and
//! the aid plans, each group with its first few matches and a way on.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use unioncard_api::aid::PlanView;
use unioncard_api::join::Page;
use unioncard_api::offers::MerchantView;
use unioncard_api::training::CourseView;

use crate::api::{self, Failure};
use crate::components::status::loaded;
use crate::i18n::{both, tr, use_i18n};

/// How many of each kind the results show.
const FIRST: usize = 5;

/// The search box (on 首页 and atop the results).
#[component]
pub fn SearchBox(#[prop(optional, into)] words: String) -> impl IntoView {
    let navigate = use_navigate();
    let words = RwSignal::new(words);
    let go = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let q = words.get_untracked();
        if q.trim().is_empty() {
            return;
        }
        navigate(
            &format!(
                "/search?q={}",
                String::from(js_sys::encode_uri_component(q.trim()))
            ),
            Default::default(),
        );
    };
    view! {
        <form class="search-row" role="search" on:submit=go data-test="home-search">
            <input type="search" id="home_search" aria-label=both("搜商户、课程、互助计划", "Shops, courses, plans") placeholder=both("搜商户、课程、互助计划", "Shops, courses, plans")
                prop:value=move || words.get() on:input=move |ev| words.set(event_target_value(&ev))/>
            <button type="submit" class="btn btn-primary">{tr(|s| s.search)}</button>
        </form>
    }
}

/// Everything that matches, fetched together.
type Found = (Page<MerchantView>, Page<CourseView>, Vec<PlanView>);

async fn find(q: String) -> Result<Found, Failure> {
    let merchants = api::merchants(None, &q, None, None).await?;
    let courses = api::courses(None, &q).await?;
    // Plans are few: matched here on their name and summary.
    let needle = q.trim().to_lowercase();
    let plans = api::aid_plans()
        .await?
        .items
        .into_iter()
        .filter(|p| {
            p.name.to_lowercase().contains(&needle) || p.summary.to_lowercase().contains(&needle)
        })
        .collect();
    Ok((merchants, courses, plans))
}

/// `/search?q=`.
#[component]
pub fn SearchPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let q = Memo::new(move |_| query.with(|m| m.get("q")).unwrap_or_default());
    let found = LocalResource::new(move || {
        i18n.lang.track();
        find(q.get())
    });
    view! {
        <section class="page">
            <h2>{both("搜索", "Search")}</h2>
            {move || view! { <SearchBox words=q.get()/> }}
            {loaded(found, move |(merchants, courses, plans): Found| {
                if merchants.items.is_empty() && courses.items.is_empty() && plans.is_empty() {
                    return view! { <p class="panel" data-test="search-nothing">{both("没有找到。换个词试试，比如“超市”“电工”“住院”。", "Nothing found. Try another word, such as \"supermarket\", \"electrician\" or \"hospital\".")}</p> }.into_any();
                }
                let more_merchants = merchants.items.len() > FIRST || merchants.next_cursor.is_some();
                view! {
                    {(!merchants.items.is_empty()).then(|| view! {
                        <h3>{tr(|s| s.tab_offers)}</h3>
                        <ul class="result-list" data-test="found-merchants">
                            {merchants.items.into_iter().take(FIRST).map(|m| view! {
                                <li><A href=format!("/merchants/{}", m.id) attr:class="result">
                                    <strong>{m.name}</strong>
                                    <small>{m.offers.first().map(|o| o.summary.clone())}</small>
                                </A></li>
                            }).collect_view()}
                        </ul>
                        {more_merchants.then(|| view! { <A href="/offers" attr:class="more-link">{both("查看全部商户优惠", "See all discounts")}</A> })}
                    })}
                    {(!courses.items.is_empty()).then(|| view! {
                        <h3>{both("技能培训", "Skills training")}</h3>
                        <ul class="result-list" data-test="found-courses">
                            {courses.items.into_iter().take(FIRST).map(|c| view! {
                                <li><A href=format!("/training/courses/{}", c.id) attr:class="result">
                                    <strong>{c.title}</strong>
                                    <small>{c.provider}</small>
                                </A></li>
                            }).collect_view()}
                        </ul>
                    })}
                    {(!plans.is_empty()).then(|| view! {
                        <h3>{tr(|s| s.benefit_aid)}</h3>
                        <ul class="result-list" data-test="found-plans">
                            {plans.into_iter().take(FIRST).map(|p| view! {
                                <li><A href=format!("/aid/plans/{}", p.id) attr:class="result">
                                    <strong>{p.name}</strong>
                                    <small>{p.summary}</small>
                                </A></li>
                            }).collect_view()}
                        </ul>
                    })}
                }.into_any()
            })}
        </section>
    }
}
