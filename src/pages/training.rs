//! 技能培训: courses by category, a course's sessions with seats left and the
//! sign-up (or the waiting list), and 我的培训 with calendar files and cancel.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use unioncard_api::offers::yuan;
use unioncard_api::training::{CourseCategory, CourseView, SessionView, SignupView};

use crate::api;
use crate::components::status::{fetched, loaded, AsOf};
use crate::i18n::{both, tr, use_i18n};
use crate::pages::format_date_time;

/// `/training`: the course list.
#[component]
pub fn TrainingPage() -> impl IntoView {
    let i18n = use_i18n();
    let category = RwSignal::new(None::<CourseCategory>);
    let words = RwSignal::new(String::new());
    let query = RwSignal::new(String::new());
    let courses = LocalResource::new(move || {
        let (c, q) = (category.get(), query.get());
        async move { api::courses(c.map(|c| c.as_str()), &q).await }
    });
    let chip = move |c: Option<CourseCategory>| {
        view! {
            <button type="button" class="chip" aria-pressed=move || (category.get() == c).to_string()
                on:click=move |_| category.set(c)>
                {move || match c { Some(c) => c.label(i18n.lang.get()), None => i18n.t().all_categories }}
            </button>
        }
    };
    view! {
        <section class="page">
            <h2>{both("技能培训", "Skills training")}</h2>
            <p class="intro">{both("工会组织的职业技能和创业培训，很多对会员免费。", "Skills and entrepreneurship courses from the union; many are free for members.")}</p>
            <A href="/me/training" attr:class="btn btn-secondary">{both("我的培训", "My training")}</A>
            <form class="search-row" role="search" on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                query.set(words.get_untracked());
            }>
                <input type="search" id="course_search" aria-label=tr(|s| s.search) prop:value=move || words.get()
                    on:input=move |ev| words.set(event_target_value(&ev))/>
                <button type="submit" class="btn btn-primary">{tr(|s| s.search)}</button>
            </form>
            <div class="chips" role="group" aria-label=both("技能培训", "Skills training")>
                {chip(None)}
                {CourseCategory::ALL.into_iter().map(|c| chip(Some(c))).collect_view()}
            </div>
            {loaded(courses, move |v| match v {
                p if p.items.is_empty() => view! { <p class="panel">{both("没有找到培训课程", "No courses found")}</p> }.into_any(),
                p => view! {
                    <ul class="merchant-list" data-test="course-list">
                        {p.items.into_iter().map(|c| view! { <CourseCard c=c/> }).collect_view()}
                    </ul>
                }.into_any(),
            })}
        </section>
    }
}

#[component]
fn CourseCard(c: CourseView) -> impl IntoView {
    let i18n = use_i18n();
    let next = c
        .sessions
        .iter()
        .find(|s| s.status.takes_signups())
        .cloned();
    let category = c.category;
    let fee = c.fee_fen;
    view! {
        <li>
            <A href=format!("/training/courses/{}", c.id) attr:class="merchant-card">
                <span class="merchant-name">{c.title.clone()}</span>
                <span class="merchant-meta">{move || category.label(i18n.lang.get())}" · "{c.provider.clone()}</span>
                <span class="offer-line">{move || if fee == 0 { i18n.t().free.to_string() } else { yuan(fee) }}</span>
                {next.map(|s| view! {
                    <span class="saving-line"><span class="date">{let v = s.starts_at.clone(); move || format_date_time(&v)}</span>" · "
                        {seats_text(s.seats_left)}</span>
                })}
            </A>
        </li>
    }
}

/// `/training/courses/:id`.
#[component]
pub fn CoursePage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|v| v.parse::<i64>().ok()).unwrap_or(0));
    let course = LocalResource::new(move || api::course(id()));
    let mine = LocalResource::new(api::my_signups);
    let reload = Callback::new(move |_| {
        course.refetch();
        mine.refetch();
    });
    view! {
        <section class="page">
            // A retry fetches the member's sign-ups again too: the sessions show them.
            {fetched(move || course.get(), reload, |_| None, move |c: CourseView| {
                let signups: Vec<SignupView> = mine.get().and_then(Result::ok).map(|k| k.value.items).unwrap_or_default();
                let eligible = c.eligible;
                let elig = c.eligibility;
                let fee = c.fee_fen;
                view! {
                    <h2>{c.title.clone()}</h2>
                    <p class="intro">{c.description.clone()}</p>
                    <dl class="facts panel">
                        <dt>{tr(|s| s.provider)}</dt><dd>{c.provider.clone()}</dd>
                        <dt>{both("费用", "Fee")}</dt><dd>{move || if fee == 0 { use_i18n().t().free.to_string() } else { yuan(fee) }}</dd>
                        <dt>{tr(|s| s.certificate)}</dt><dd>{c.certificate.clone()}</dd>
                        <dt>{tr(|s| s.status)}</dt><dd>{move || elig.label(use_i18n().lang.get())}</dd>
                    </dl>
                    {(eligible == Some(false)).then(|| view! { <p class="error-box" role="note">{both("您暂不符合这门课程的报名条件", "You are not eligible for this course")}</p> })}
                    <h3>{tr(|s| s.sessions)}</h3>
                    <ul class="offers">
                        // Open sessions first (soonest first), then the closed ones.
                        {sorted_sessions(c.sessions).into_iter().map(|s| {
                            let mine = signups.iter().find(|g| g.session_id == s.id).cloned();
                            view! { <Session s=s mine=mine on_change=reload/> }
                        }).collect_view()}
                    </ul>
                }.into_any()
            })}
        </section>
    }
}

#[component]
fn Session(s: SessionView, mine: Option<SignupView>, on_change: Callback<()>) -> impl IntoView {
    let message = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);
    let id = s.id;
    let status = s.status;
    let open = status.takes_signups();
    let full = s.seats_left == 0;
    let session = crate::session::use_session();
    let guest_tapped = RwSignal::new(false);
    let sign_up = move |_| {
        if session.me().is_none() {
            // A guest is asked to sign in, and brought back to this course.
            guest_tapped.set(true);
            return;
        }
        if pending.get_untracked() {
            return;
        }
        pending.set(true);
        spawn_local(async move {
            let r = api::sign_up(id).await;
            pending.set(false);
            match r {
                Ok(_) => on_change.run(()),
                Err(f) => message.set(Some(f.message())),
            }
        });
    };
    view! {
        <li class="panel offer" data-test="session">
            <p class="merchant-name">{let v = s.starts_at.clone(); move || format_date_time(&v)}" – "{s.ends_at.get(11..16).unwrap_or("").to_string()}</p>
            <p class="merchant-meta">{s.place.clone()}" · "{s.address.clone()}</p>
            <p>
                {if full {
                    view! { <span class="status-pill rejected" data-test="session-full">{tr(|s| s.session_full)}</span> }.into_any()
                } else {
                    view! { <span>{tr(|s| s.seats_left)}": "<strong class="num">{s.seats_left}</strong>" / "{s.capacity}</span> }.into_any()
                }}
               " · "{tr(|s| s.signup_deadline)}" "<span class="date">{let v = s.signup_deadline.clone(); move || format_date_time(&v)}</span></p>
            {match mine {
                Some(g) => view! { <p class="chosen" data-test="signup-status">{status_text(&g)}</p> }.into_any(),
                None if !open => view! { <p class="hint">{move || status.label(use_i18n().lang.get())}</p> }.into_any(),
                None => view! {
                    <button type="button" class="btn btn-primary btn-block" data-test="sign-up" disabled=move || pending.get() on:click=sign_up>
                        {move || if full { use_i18n().t().join_waitlist } else { use_i18n().t().sign_up }}
                    </button>
                }.into_any(),
            }}
            {move || guest_tapped.get().then(|| view! { <crate::components::shell::SignInFor why=both("报名培训要先登录会员账号，登录后会回到这门课程。", "Sign in to sign up; you will come back to this course.")/> })}
            <p class="form-message" role="alert">{move || message.get()}</p>
        </li>
    }
}

/// "剩余名额 3", or "已满，可排队候补" when none is left (never a bare 0).
fn seats_text(left: i64) -> impl IntoView + use<> {
    move || {
        let t = use_i18n().t();
        if left <= 0 {
            t.session_full.to_string()
        } else {
            format!("{} {left}", t.seats_left)
        }
    }
}

/// Sessions as a member wants them: the ones still open first, soonest
/// first, then the closed ones (a past October session never heads the list).
fn sorted_sessions(mut all: Vec<SessionView>) -> Vec<SessionView> {
    all.sort_by(|a, b| {
        (!a.status.takes_signups(), &a.starts_at).cmp(&(!b.status.takes_signups(), &b.starts_at))
    });
    all
}

/// `已报名`, or the waiting-list place, in the language chosen.
fn status_text(g: &SignupView) -> impl IntoView + use<> {
    let (status, position) = (g.status, g.position);
    move || status.standing(position, use_i18n().lang.get())
}

/// `/me/training`: upcoming sign-ups with a calendar file and cancel.
#[component]
pub fn MyTrainingPage() -> impl IntoView {
    let mine = LocalResource::new(api::my_signups);
    view! {
        <section class="page">
            <h2>{both("我的培训", "My training")}</h2>
            {loaded(mine, move |kept| match kept.value {
                p if p.items.is_empty() => view! {
                    <AsOf as_of=kept.as_of/>
                    <p class="panel">{both("还没有报名培训。", "No sign-ups yet.")}" "<A href="/training" attr:class="inline-target">{both("查看培训课程", "See courses")}</A></p>
                }.into_any(),
                p => {
                    let now = js_sys::Date::now();
                    let (past, upcoming): (Vec<SignupView>, Vec<SignupView>) =
                        p.items.into_iter().partition(|g| js_sys::Date::parse(&g.ends_at) < now);
                    let reload = Callback::new(move |_| mine.refetch());
                    view! {
                        <AsOf as_of=kept.as_of.clone()/>
                        <ul class="history" data-test="my-signups">
                            {upcoming.into_iter().map(|g| view! { <MySignup g=g past=false on_change=reload/> }).collect_view()}
                        </ul>
                        {(!past.is_empty()).then(|| view! {
                            <h3>{both("已结束的培训", "Past sessions")}</h3>
                            <ul class="history" data-test="past-signups">
                                {past.into_iter().map(|g| view! { <MySignup g=g past=true on_change=reload/> }).collect_view()}
                            </ul>
                        })}
                    }.into_any()
                }
            })}
        </section>
    }
}

#[component]
fn MySignup(g: SignupView, past: bool, on_change: Callback<()>) -> impl IntoView {
    let confirming = RwSignal::new(false);
    let id = g.id;
    let cancel = move |_| {
        spawn_local(async move {
            if api::cancel_signup(id).await.is_ok() {
                on_change.run(());
            }
        });
    };
    view! {
        <li class="panel">
            <strong>{g.course_title.clone()}</strong>
            <span class="hint">{let v = g.starts_at.clone(); move || format_date_time(&v)}" · "{g.place.clone()}</span>
            <span class="chosen" data-test="signup-status">{status_text(&g)}</span>
            {g.attended.map(|a| view! { <span>{move || if a { use_i18n().t().attended } else { use_i18n().t().absent }}</span> })}
            {g.certificate_no.clone().map(|n| view! {
                <span data-test="my-certificate">{tr(|s| s.certificate_no)}": "{n}</span>
            })}
            <div class="actions" class:hidden=past>
                <a class="btn btn-secondary" href=format!("/api/signups/{id}/calendar.ics") download="training.ics" data-test="ics" rel="external">
                    {both("加入日历", "Add to calendar")}
                </a>
                <Show when=move || confirming.get() fallback=move || view! {
                    <button type="button" class="btn btn-link" data-test="cancel-signup" on:click=move |_| confirming.set(true)>{both("取消报名", "Cancel sign-up")}</button>
                }>
                    <p class="warn">{both("确认取消？名额将让给候补的会员。", "Cancel? Your seat goes to the next person waiting.")}</p>
                    <button type="button" class="btn btn-danger" data-test="confirm-cancel" on:click=cancel>{both("确认", "Confirm")}</button>
                </Show>
            </div>
        </li>
    }
}

/// 首页 reminder: sessions starting in the next three days.
#[component]
pub fn TrainingReminder() -> impl IntoView {
    let mine = LocalResource::new(api::my_signups);
    view! {
        {move || {
            let soon: Vec<SignupView> = mine
                .get()
                .and_then(Result::ok)
                .map(|k| k.value.items)
                .unwrap_or_default()
                .into_iter()
                .filter(|g| g.position.is_none() && starts_within_days(&g.starts_at, 3.0))
                .collect();
            (!soon.is_empty()).then(|| view! {
                <section class="panel reminder" role="status" data-test="training-reminder">
                    <h3>{both("近期培训提醒", "Coming up")}</h3>
                    <ul class="conditions">
                        {soon.into_iter().map(|g| view! { <li>{let v = g.starts_at.clone(); move || format_date_time(&v)}" "{g.course_title.clone()}</li> }).collect_view()}
                    </ul>
                </section>
            })
        }}
    }
}

fn starts_within_days(rfc3339: &str, days: f64) -> bool {
    let at = js_sys::Date::parse(rfc3339);
    let now = js_sys::Date::now();
    at >= now && at - now <= days * 86_400_000.0
}
