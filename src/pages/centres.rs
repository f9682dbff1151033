//! 服务站点 on the phone (`/centres`): the union's service centres and help
//! stations, nearest first from the phone's position (or by district when
//! it is not given), narrowed to one service; each with its hours, a tap to
//! call and a tap to open the way in the phone's map app. Anyone may look:
//! a worker in trouble may not be a member yet.
//!
//! Its words are written here in both languages (`both`): the screen lives
//! in its own chunk, so the first load never carries them.

use leptos::prelude::*;
use unioncard_api::centres::{distance_text, map_link, tel_link, CentreView, Service};

use crate::api;
use crate::components::hotline::Hotline;
use crate::components::status::loaded;
use crate::i18n::{both, use_i18n};

/// `/centres`.
#[component]
pub fn CentresPage() -> impl IntoView {
    let i18n = use_i18n();
    let service = RwSignal::new(None::<Service>);
    let near = RwSignal::new(None::<(f64, f64)>);
    let locating = RwSignal::new(false);
    let notice = RwSignal::new(None::<String>);
    let list = LocalResource::new(move || {
        let (n, s) = (near.get(), service.get());
        async move { api::centres(n, s).await }
    });
    let locate =
        move |_| crate::scan::toggle_near(near, locating, notice, i18n.t().location_denied);
    let chip = move |s: Option<Service>| {
        view! {
            <button type="button" class="chip" aria-pressed=move || (service.get() == s).to_string()
                on:click=move |_| service.set(s)>
                {move || match s {
                    Some(s) => s.label(i18n.lang.get()),
                    None => i18n.lang.get().pick("全部服务", "Every service"),
                }}
            </button>
        }
    };
    view! {
        <section class="page">
            <h2>{both("服务站点", "Service centres")}</h2>
            <p class="intro">{both(
                "工会职工服务中心和街道、社区、企业服务站：维权咨询、困难帮扶、就业、培训和心理咨询。职工维权热线 12351。",
                "The union's service centres and the help stations in streets, communities and workplaces: rights advice, hardship aid, jobs, training and counselling. The workers' rights hotline is 12351.",
            )}</p>
            <Hotline/>
            <div class="chips" role="group" aria-label=both("服务", "Service")>
                {chip(None)}
                {Service::ALL.into_iter().map(|s| chip(Some(s))).collect_view()}
            </div>
            <button type="button" class="btn btn-secondary near-btn" aria-pressed=move || near.get().is_some().to_string()
                on:click=locate data-test="near-me">
                {move || if locating.get() { i18n.t().locating } else { i18n.t().near_me }}
            </button>
            <p class="hint" role="status">{move || notice.get()}</p>
            <div class="load-slot">
                {loaded(list, move |p| match p.items.is_empty() {
                    true => view! { <p class="panel">{both("没有符合条件的站点", "No centre offers this")}</p> }.into_any(),
                    false => view! {
                        <ul class="centre-list" data-test="centres">
                            {p.items.into_iter().map(|c| view! { <CentreCard c=c/> }).collect_view()}
                        </ul>
                    }.into_any(),
                })}
            </div>
        </section>
    }
}

/// One centre: what and where, how far, when open, what it offers, and the
/// two taps a member needs (call, go).
#[component]
fn CentreCard(c: CentreView) -> impl IntoView {
    let i18n = use_i18n();
    let (level, distance, services) = (c.level, c.distance_m, c.services.clone());
    let tel = tel_link(&c.phone);
    let map = map_link(c.lat, c.lng, &c.name);
    let name = c.name.clone();
    view! {
        <li class="panel centre" data-test="centre">
            <h3>{c.name.clone()}</h3>
            <p class="hint">
                {move || level.label(i18n.lang.get())}
                {distance.map(|d| view! { " · "<span class="num" data-test="centre-distance">{move || distance_text(d, i18n.lang.get())}</span> })}
            </p>
            <dl class="facts">
                <dt>{both("地址", "Address")}</dt><dd>{c.address.clone()}</dd>
                <dt>{both("开放时间", "Hours")}</dt><dd>{c.hours.clone()}</dd>
                <dt>{both("电话", "Phone")}</dt><dd><span class="num">{c.phone.clone()}</span></dd>
            </dl>
            <ul class="tags" aria-label=both("提供服务", "Services")>
                {services.into_iter().map(|s| view! { <li class="tag">{move || s.label(i18n.lang.get())}</li> }).collect_view()}
            </ul>
            <div class="actions two">
                <a class="btn btn-primary" href=tel data-test="centre-call"
                    aria-label=move || format!("{}{}", i18n.lang.get().pick("拨打", "Call "), name)>{both("拨打电话", "Call")}</a>
                <a class="btn btn-secondary" href=map data-test="centre-map">{both("地图导航", "Directions")}</a>
            </div>
        </li>
    }
}
