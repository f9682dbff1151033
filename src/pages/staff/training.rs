//! 培训管理: the officer's courses and sessions, new courses and sessions,
//! and each session's roster with attendance, certificates and CSV export.

use std::collections::BTreeMap;

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use unioncard_api::training::{
    CourseCategory, CourseInput, SessionInput, SessionRoster, SignupStatus,
};
use wasm_bindgen::JsCast;

use unioncard_api::training::StaffCourse;

use crate::api::{self, Failure};
use crate::components::status::{fetched, loaded};
use crate::i18n::{both, current_lang, tr, use_i18n};
use crate::pages::format_date_time;

/// `/staff/training`.
#[component]
pub fn StaffTrainingPage() -> impl IntoView {
    let courses = LocalResource::new(api::staff_courses);
    let reload = Callback::new(move |_| courses.refetch());
    view! {
        <section class="page">
            <h2>{tr(|s| s.staff_training)}</h2>
            <NewCourse on_done=reload/>
            {loaded(courses, move |p| {
                view! {
                    <ul class="queue" data-test="staff-courses">
                        {p.items.into_iter().rev().map(|c| view! { <Course c=c on_done=reload/> }).collect_view()}
                    </ul>
                }.into_any()
            })}
        </section>
    }
}

fn field_msg(
    errors: RwSignal<BTreeMap<String, String>>,
    name: &'static str,
) -> impl Fn() -> String + Copy {
    move || errors.with(|e| e.get(name).cloned().unwrap_or_default())
}

#[component]
fn NewCourse(on_done: Callback<()>) -> impl IntoView {
    view! {
        <details class="panel">
            <summary><strong>{both("新建课程", "New course")}</strong></summary>
            <CourseForm existing=None on_done=on_done/>
        </details>
    }
}

/// The course form: creates a course, or edits `existing` (id and current values).
#[component]
fn CourseForm(existing: Option<(i64, CourseInput)>, on_done: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let start = existing
        .clone()
        .map(|(_, c)| c)
        .unwrap_or_else(|| CourseInput {
            category: "electrician".into(),
            eligibility: "all".into(),
            ..CourseInput::default()
        });
    let edit_id = existing.map(|(id, _)| id);
    let prefix = edit_id.map(|id| format!("c{id}-")).unwrap_or_default();
    let title = RwSignal::new(start.title.clone());
    let category = RwSignal::new(start.category.clone());
    let provider = RwSignal::new(start.provider.clone());
    let eligibility = RwSignal::new(start.eligibility.clone());
    let certificate = RwSignal::new(start.certificate.clone());
    let fee = RwSignal::new(format!("{}", start.fee_fen / 100));
    let errors = RwSignal::new(BTreeMap::<String, String>::new());
    let message = RwSignal::new(None::<String>);
    let focus_prefix = prefix.clone();
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let fee_fen = unioncard_api::money::parse_yuan(&fee.get_untracked()).unwrap_or(0);
        let input = CourseInput {
            title: title.get_untracked(),
            category: category.get_untracked(),
            provider: provider.get_untracked(),
            description: String::new(),
            fee_fen,
            eligibility: eligibility.get_untracked(),
            certificate: certificate.get_untracked(),
        };
        // The shared rules answer at once, with the server's own words.
        let problems = input.problems();
        if let Some(first) = problems.first() {
            let lang = current_lang();
            errors.set(
                problems
                    .iter()
                    .map(|p| (p.field().to_string(), p.message(lang).to_string()))
                    .collect(),
            );
            // Said beside the button too, and the first field at fault takes
            // the focus, so the officer sees what to fix from where they tapped.
            message.set(Some(first.message(lang).to_string()));
            if let Some(el) =
                document().get_element_by_id(&format!("{focus_prefix}{}", first.field()))
            {
                if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
                    let _ = el.focus();
                }
            }
            return;
        }
        spawn_local(async move {
            let saved = match edit_id {
                Some(id) => api::update_course(id, &input).await,
                None => api::create_course(&input).await,
            };
            match saved {
                Ok(_) => {
                    if edit_id.is_none() {
                        title.set(String::new());
                    }
                    errors.set(BTreeMap::new());
                    message.set(None);
                    on_done.run(());
                }
                Err(f) => {
                    errors.set(f.fields());
                    message.set(Some(f.message()));
                }
            }
        });
    };
    let text = {
        let prefix = prefix.clone();
        move |id: &'static str,
              label: fn(&crate::i18n::Strings) -> &'static str,
              value: RwSignal<String>| {
            let dom_id = format!("{prefix}{id}");
            view! {
                <div class="field">
                    <label for=dom_id.clone()>{tr(label)}</label>
                    <input id=dom_id type="text" prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))/>
                    <span class="field-error">{field_msg(errors, id)}</span>
                </div>
            }
        }
    };
    let category_id = format!("{prefix}category");
    let eligibility_id = format!("{prefix}eligibility");
    view! {
            <form on:submit=submit novalidate data-test="course-form">
                {text("title", |s| s.course_title, title)}
                <div class="field">
                    <label for=category_id.clone()>{both("类别", "Category")}</label>
                    <select id=category_id on:change=move |ev| category.set(event_target_value(&ev))>
                        {CourseCategory::ALL.into_iter().map(|c| view! {
                            <option value=c.as_str() selected=move || category.get() == c.as_str()>{move || c.label(i18n.lang.get())}</option>
                        }).collect_view()}
                    </select>
                </div>
                {text("provider", |s| s.provider, provider)}
                <div class="field">
                    <label for=eligibility_id.clone()>{both("报名条件", "Who may sign up")}</label>
                    <select id=eligibility_id on:change=move |ev| eligibility.set(event_target_value(&ev))>
                        {[
                            unioncard_api::training::Eligibility::All,
                            unioncard_api::training::Eligibility::MigrantWorkers,
                            unioncard_api::training::Eligibility::Unemployed,
                        ].into_iter().map(|e| view! {
                            <option value=e.as_str() selected=move || eligibility.get() == e.as_str()>{move || e.label(i18n.lang.get())}</option>
                        }).collect_view()}
                    </select>
                </div>
                {text("certificate", |s| s.certificate, certificate)}
                {text("fee", |s| s.fee_yuan, fee)}
                <p class="form-message" role="alert">{move || message.get()}</p>
                <button type="submit" class="btn btn-primary">{both("保存", "Save")}</button>
            </form>
    }
}

#[component]
fn Course(c: StaffCourse, on_done: Callback<()>) -> impl IntoView {
    let id = c.id;
    let current = c.to_input();
    view! {
        <li class="panel" data-test="staff-course">
            <h3>{c.title.clone()}</h3>
            <details>
                <summary>{both("修改", "Edit")}</summary>
                <CourseForm existing=Some((id, current)) on_done=on_done/>
            </details>
            <ul class="today">
                {c.sessions.into_iter().map(|s| {
                    let current = SessionInput {
                        starts_at: s.starts_at.chars().take(16).collect(),
                        ends_at: s.ends_at.chars().take(16).collect(),
                        place: s.place.clone(),
                        address: s.address.clone(),
                        capacity: s.capacity,
                        signup_deadline: s.signup_deadline.chars().take(16).collect(),
                    };
                    view! {
                        <li class="session-line">
                            <A href=format!("/staff/sessions/{}", s.id)>{format_date_time(&s.starts_at)}</A>
                            <span>{tr(|s| s.capacity)}" "{s.capacity - s.seats_left}"/"{s.capacity}" · "{both("候补", "Waiting")}" "{s.waiting}</span>
                            <details>
                                <summary>{both("修改", "Edit")}</summary>
                                <SessionForm course_id=id existing=Some((s.id, current)) on_done=on_done/>
                            </details>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <details>
                <summary>{both("添加开班", "Add a session")}</summary>
                <SessionForm course_id=id existing=None on_done=on_done/>
            </details>
        </li>
    }
}

/// The session form: adds a session to a course, or edits `existing`.
#[component]
fn SessionForm(
    course_id: i64,
    existing: Option<(i64, SessionInput)>,
    on_done: Callback<()>,
) -> impl IntoView {
    let edit_id = existing.as_ref().map(|(id, _)| *id);
    let start = existing.map(|(_, s)| s).unwrap_or(SessionInput {
        capacity: 30,
        ..SessionInput::default()
    });
    let starts = RwSignal::new(start.starts_at.clone());
    let ends = RwSignal::new(start.ends_at.clone());
    let deadline = RwSignal::new(start.signup_deadline.clone());
    let place = RwSignal::new(start.place.clone());
    let capacity = RwSignal::new(start.capacity.to_string());
    let message = RwSignal::new(None::<String>);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let input = SessionInput {
            starts_at: starts.get_untracked(),
            ends_at: ends.get_untracked(),
            place: place.get_untracked(),
            address: String::new(),
            capacity: capacity.get_untracked().trim().parse().unwrap_or(0),
            signup_deadline: deadline.get_untracked(),
        };
        if let Err(p) = input.times() {
            message.set(Some(p.message(current_lang()).to_string()));
            return;
        }
        spawn_local(async move {
            let saved = match edit_id {
                Some(id) => api::update_session(id, &input).await,
                None => api::add_session(course_id, &input).await,
            };
            match saved {
                Ok(_) => on_done.run(()),
                Err(f) => message.set(Some(
                    f.fields()
                        .into_values()
                        .next()
                        .map(|m| format!("{} {m}", f.message()))
                        .unwrap_or_else(|| f.message()),
                )),
            }
        });
    };
    let input = move |label: fn(&crate::i18n::Strings) -> &'static str,
                      kind: &'static str,
                      value: RwSignal<String>,
                      name: &'static str| {
        let id = format!("{name}-{course_id}");
        view! {
            <div class="field">
                <label for=id.clone()>{tr(label)}</label>
                <input id=id type=kind prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))/>
            </div>
        }
    };
    view! {
            <form on:submit=submit novalidate data-test="session-form">
                {input(|s| s.starts_at, "datetime-local", starts, "starts")}
                {input(|s| s.ends_at, "datetime-local", ends, "ends")}
                {input(|s| s.signup_deadline, "datetime-local", deadline, "deadline")}
                {input(|s| s.place, "text", place, "place")}
                {input(|s| s.capacity, "number", capacity, "capacity")}
                <p class="form-message" role="alert">{move || message.get()}</p>
                <button type="submit" class="btn btn-secondary">{both("保存", "Save")}</button>
            </form>
    }
}

/// `/staff/sessions/:id`: the roster.
#[component]
pub fn SessionRosterPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|v| v.parse::<i64>().ok()).unwrap_or(0));
    // A signal, not a resource: the roster's buttons answer with the new roster.
    let roster = RwSignal::new(None::<Result<SessionRoster, Failure>>);
    let load = move || {
        let id = id();
        spawn_local(async move { roster.set(Some(api::session_roster(id).await)) });
    };
    Effect::new(move |_| load());
    let act = move |fut: std::pin::Pin<
        Box<dyn std::future::Future<Output = Result<SessionRoster, Failure>>>,
    >| {
        spawn_local(async move { roster.set(Some(fut.await)) });
    };
    view! {
        <section class="page">
            {fetched(move || roster.get(), Callback::new(move |_| load()), |_| None, move |r: SessionRoster| {
                let sid = r.session.id;
                view! {
                    <h2>{r.course_title.clone()}</h2>
                    <p class="intro">{format_date_time(&r.session.starts_at)}" · "{r.session.place.clone()}</p>
                    <a class="btn btn-secondary" href=format!("/api/staff/sessions/{sid}/roster.csv") download="roster.csv" rel="external" data-test="export-csv">
                        {both("导出 CSV", "Export CSV")}
                    </a>
                    <h3>{both("学员名单", "Roster")}</h3>
                    {r.people.is_empty().then(|| view! { <p class="panel">{both("还没有人报名", "Nobody has signed up yet")}</p> })}
                    // A certificate number never breaks across lines: the
                    // table scrolls sideways on a narrow phone instead.
                    <div class="table-scroll" tabindex="0" role="region" aria-label=both("学员名单", "Roster")>
                    <table class="report-table" data-test="roster">
                        <thead><tr>
                            <th scope="col">{tr(|s| s.name)}</th>
                            <th scope="col">{tr(|s| s.status)}</th>
                            <th scope="col">{tr(|s| s.attended)}</th>
                            <th scope="col">{tr(|s| s.certificate_no)}</th>
                        </tr></thead>
                        <tbody>
                            {r.people.into_iter().map(|p| {
                                let sid = p.signup_id;
                                let status = p.status;
                                let position = p.position;
                                let confirmed = status == SignupStatus::Confirmed;
                                let attended = p.attended;
                                view! {
                                    <tr>
                                        <td>{p.name.clone()}<br/><small>{p.phone_masked.clone()}</small></td>
                                        <td class="nowrap">{move || status.standing(position, use_i18n().lang.get())}</td>
                                        <td>{confirmed.then(|| view! {
                                            <button type="button" class="btn btn-secondary" data-test="attend"
                                                aria-pressed=(attended == Some(true)).to_string()
                                                on:click=move |_| act(Box::pin(api::mark_attendance(sid, attended != Some(true))))>
                                                {move || if attended == Some(true) { use_i18n().t().attended } else { use_i18n().t().absent }}
                                            </button>
                                        })}</td>
                                        <td>{match p.certificate_no.clone() {
                                            Some(n) => view! { <span class="nowrap" data-test="certificate">{n}</span> }.into_any(),
                                            None if attended == Some(true) => view! {
                                                <button type="button" class="btn btn-primary" data-test="issue"
                                                    on:click=move |_| act(Box::pin(api::issue_certificate(sid)))>{both("发证", "Issue certificate")}</button>
                                            }.into_any(),
                                            None => view! { <span>"—"</span> }.into_any(),
                                        }}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                    </div>
                }.into_any()
            })}
        </section>
    }
}
