//! 金秋助学 on the phone (`/education`): the round of the member's unions
//! (amount per level, when it takes applications), the member's
//! applications, and the form for a child admitted this year; one
//! application's page (`/education/applications/:id`) with its status,
//! amount, payment, the admission letter to add, and its history.
//!
//! Its words are written here in both languages (`both`): the screen lives
//! in its own chunk, so the first load never carries them.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};
use unioncard_api::education::{EducationInput, EducationView, Level, RoundView};
use unioncard_api::offers::yuan;
use unioncard_api::payments::LineStatus;

use crate::api;
use crate::components::case_file::{Case, Documents, Step, Timeline};
use crate::components::choice::Choice;
use crate::components::shell::SignInFor;
use crate::components::status::loaded;
use crate::i18n::{both, use_i18n, Lang};
use crate::pages::format_date;
use crate::session::{use_session, SessionState};

/// `/education`.
#[component]
pub fn EducationPage() -> impl IntoView {
    let session = use_session();
    let data = LocalResource::new(move || {
        let signed_in = matches!(session.state.get(), SessionState::User(_));
        async move {
            if !signed_in {
                return Ok(None);
            }
            let mine = api::my_education_applications().await?;
            // No round at all is said on the page, not as an error.
            let round = api::education_round().await.ok();
            Ok::<_, api::Failure>(Some((mine.items, round)))
        }
    });
    view! {
        <section class="page">
            <h2>{both("金秋助学", "Autumn education aid")}</h2>
            <p class="intro">{both(
                "每年秋季，工会资助建档困难职工家庭和劳模当年考上大学的子女，按本科、专科、高职定额发放到会员卡。",
                "Each autumn the union helps children of households on the hardship file and of model workers who start college that year: a set amount by level, paid onto the card.",
            )}</p>
            {loaded(data, move |v| match v {
                None => view! { <SignInFor why=both("登录后申请金秋助学", "Sign in to apply")/> }.into_any(),
                Some((mine, round)) => view! {
                    {round.clone().map(|r| view! { <RoundTerms r=r/> })}
                    {(!mine.is_empty()).then(|| view! {
                        <h3>{both("我的申请", "My applications")}</h3>
                        <ul class="claim-list" data-test="my-education">
                            {mine.into_iter().map(|a| view! { <ApplicationLine a=a/> }).collect_view()}
                        </ul>
                    })}
                    {match round {
                        Some(r) if r.open => view! { <ApplyForm year=r.terms.year/> }.into_any(),
                        _ => view! { <p class="panel" data-test="no-round">{both(
                            "目前没有开放的金秋助学申请。工会每年夏季开放，届时会在首页通知。",
                            "No round is open now. Your union opens one each summer and announces it on 首页.",
                        )}</p> }.into_any(),
                    }}
                }.into_any(),
            })}
        </section>
    }
}

#[component]
fn RoundTerms(r: RoundView) -> impl IntoView {
    let i18n = use_i18n();
    let t = r.terms.clone();
    let (opens, closes) = (t.opens_on.clone(), t.closes_on.clone());
    view! {
        <dl class="facts panel" data-test="education-round">
            <dt>{both("资助单位", "Paid by")}</dt><dd>{format!("{} · {}", r.union_name, t.year)}</dd>
            {Level::ALL.into_iter().map(|l| view! {
                <dt>{move || l.label(i18n.lang.get())}</dt><dd class="num">{yuan(t.amount(l))}</dd>
            }).collect_view()}
            <dt>{both("申请时间", "Applications")}</dt>
            <dd>
                <span class="date">{move || format_date(&opens, i18n.lang.get())}</span>
                " – "
                <span class="date">{move || format_date(&closes, i18n.lang.get())}</span>
            </dd>
        </dl>
    }
}

/// How an application's money stands, in words.
fn payment_label(p: Option<LineStatus>, lang: Lang) -> Option<&'static str> {
    match p? {
        LineStatus::Credited => Some(lang.pick("已发放到会员卡", "Paid onto your card")),
        LineStatus::Failed => Some(lang.pick(
            "银行未能入账，工会将重新发放",
            "The bank refused it; the union pays it again",
        )),
        LineStatus::Cancelled => None,
        _ => Some(lang.pick("发放中", "On its way")),
    }
}

#[component]
fn ApplicationLine(a: EducationView) -> impl IntoView {
    let i18n = use_i18n();
    let (status, level, payment) = (a.status, a.level, a.payment);
    view! {
        <li>
            <A href=format!("/education/applications/{}", a.id) attr:class="claim-line">
                <span>
                    <strong>{a.student_name.clone()}</strong>" · "{move || level.label(i18n.lang.get())}
                    <br/><small>{a.school.clone()}</small>
                </span>
                <span class="claim-right">
                    <strong class="num">{yuan(a.amount_fen)}</strong>
                    <span class=format!("status-pill {}", status.as_str())>{move || {
                        let lang = i18n.lang.get();
                        payment_label(payment, lang).unwrap_or(status.label(lang))
                    }}</span>
                </span>
            </A>
        </li>
    }
}

#[component]
fn ApplyForm(year: i64) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let name = RwSignal::new(String::new());
    let school = RwSignal::new(String::new());
    let level = RwSignal::new(String::new());
    let admitted = RwSignal::new(String::new());
    let message = RwSignal::new(None::<String>);
    let errors = RwSignal::new(std::collections::BTreeMap::<String, String>::new());
    let pending = RwSignal::new(false);
    // A level chosen answers what was said of it.
    Effect::new(move |_| {
        level.track();
        errors.update(|e| {
            e.remove("level");
        });
    });
    // One key for this form: a double tap or a retry sends one application.
    let key = StoredValue::new(api::new_key());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let input = EducationInput {
            student_name: name.get_untracked(),
            school: school.get_untracked(),
            level: Level::from_db(&level.get_untracked()),
            admitted_on: admitted.get_untracked(),
        };
        // The shared rule first: every missing answer named at once.
        if let Err(p) = input.check(year) {
            errors.set(p.to_map(i18n.lang.get_untracked()));
            message.set(Some(i18n.t().form_has_errors.into()));
            return;
        }
        errors.set(Default::default());
        message.set(None);
        pending.set(true);
        let navigate = navigate.clone();
        spawn_local(async move {
            match api::send_education_application(&input, &key.get_value()).await {
                Ok(a) => navigate(
                    &format!("/education/applications/{}", a.id),
                    Default::default(),
                ),
                Err(e) => {
                    message.set(Some(e.message()));
                    pending.set(false);
                }
            }
        });
    };
    let error = move |field: &'static str| move || errors.with(|e| e.get(field).cloned());
    let text_field = move |id: &'static str,
                           label: Signal<&'static str>,
                           value: RwSignal<String>,
                           kind: &'static str| {
        view! {
            <div class="field">
                <label for=id>{label}</label>
                <input id=id type=kind aria-describedby=format!("{id}-error") aria-invalid=move || error(id)().is_some().to_string()
                    prop:value=move || value.get() on:input=move |ev| {
                        value.set(event_target_value(&ev));
                        // What was wrong with it is no longer known to be.
                        errors.update(|e| { e.remove(id); });
                    }/>
                <span class="field-error" id=format!("{id}-error")>{error(id)}</span>
            </div>
        }
    };
    view! {
        <form class="panel" data-test="education-form" on:submit=submit novalidate=true>
            <h3>{both("为子女申请", "Apply for your child")}</h3>
            {text_field("student_name", Signal::derive(both("学生姓名", "Student's name")), name, "text")}
            {text_field("school", Signal::derive(both("录取学校", "School admitting them")), school, "text")}
            <Choice id="level" label=both("录取层次", "Level") value=level ask=true
                options=Level::ALL.iter().map(|&l| (l.as_str(), Signal::derive(move || l.label(i18n.lang.get()).to_string()))).collect()/>
            <span class="field-error">{error("level")}</span>
            {text_field("admitted_on", Signal::derive(both("录取通知书上的日期", "Date on the admission letter")), admitted, "date")}
            <p class="hint">{both(
                "提交后请上传录取通知书照片；审核通过后，助学金发放到您的会员卡。",
                "After sending, add a photo of the admission letter; once awarded, the money is paid onto your card.",
            )}</p>
            <p class="form-message" role="alert" data-test="education-message">{move || message.get()}</p>
            <button type="submit" class="btn btn-primary btn-block" data-test="send-education" disabled=move || pending.get()>
                {both("提交申请", "Send")}
            </button>
        </form>
    }
}

/// `/education/applications/:id`.
#[component]
pub fn EducationApplicationPage() -> impl IntoView {
    let params = use_params_map();
    let app = LocalResource::new(move || {
        let id = params.with(|p| p.get("id").and_then(|v| v.parse().ok()).unwrap_or(0));
        api::education_application(id)
    });
    let reload = Callback::new(move |_| app.refetch());
    view! {
        <section class="page">
            <A href="/education" attr:class="back-link">"‹ "{both("金秋助学", "Autumn education aid")}</A>
            {loaded(app, move |a| view! { <EducationFile a=a reload=reload/> }.into_any())}
        </section>
    }
}

/// An application as its member and the desk read it.
#[component]
pub fn EducationFile(a: EducationView, reload: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let (status, level, payment) = (a.status, a.level, a.payment);
    let admitted = a.admitted_on.clone();
    let waiting = status == unioncard_api::education::EducationStatus::Submitted;
    view! {
        <h2>{a.student_name.clone()}</h2>
        <p><span class=format!("status-pill {}", status.as_str()) data-test="education-status">{move || status.label(i18n.lang.get())}</span></p>
        <dl class="facts panel">
            {a.member_name.clone().map(|m| view! { <dt>{both("会员", "Member")}</dt><dd>{m}</dd> })}
            <dt>{both("所在工会", "Union")}</dt><dd>{a.union_name.clone()}</dd>
            <dt>{both("录取学校", "School")}</dt><dd>{a.school.clone()}</dd>
            <dt>{both("录取层次", "Level")}</dt><dd>{move || level.label(i18n.lang.get())}</dd>
            <dt>{both("录取日期", "Admitted")}</dt><dd class="date">{move || format_date(&admitted, i18n.lang.get())}</dd>
            <dt>{both("资助金额", "Amount")}</dt><dd class="num" data-test="education-amount">{yuan(a.amount_fen)}</dd>
            {payment_label(payment, Lang::Zh).map(|_| view! {
                <dt>{both("发放", "Payment")}</dt>
                <dd data-test="education-payment">{move || payment_label(payment, i18n.lang.get())}</dd>
            })}
        </dl>
        <h3>{both("录取通知书", "Admission letter")}</h3>
        <Documents case=Case::Education(a.id) docs=a.documents.clone()
            can_add=waiting && a.member_name.is_none() can_remove=false reload=reload/>
        <h3>{both("办理经过", "History")}</h3>
        <Timeline steps=Step::all(a.events.clone())/>
    }
}
