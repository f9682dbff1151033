//! 维权案件 at the desk (`/staff/rights`, `/staff/rights/:id`): the cases
//! reported to the officer's unions and those below (a union lawyer or
//! mediator sees only those assigned to them), with the one-year
//! arbitration deadline counted down in red when it is near; and one case
//! whole: triage (take it up, refer it on, or decline it, each with what it
//! needs), assigning a lawyer, recording each step and what was recovered,
//! the timeline and the evidence. Its words are written here (`both`): the
//! screens live in their own chunk.

use std::collections::BTreeMap;

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use unioncard_api::centres::tel_link;
use unioncard_api::money::parse_yuan;
use unioncard_api::offers::yuan;
use unioncard_api::rights::{
    CaseStatus, CaseView, Deadline, LawyerView, StepInput, StepKind, TriageInput,
};
use unioncard_api::Lang;

use super::{desk_role, DeskRole};
use crate::api::{self, Failure};
use crate::components::case_file::{Case, Documents, Step, Timeline};
use crate::components::reveal_phone::RevealPhone;
use crate::components::status::{loaded, Paged};
use crate::i18n::{both, tr, use_i18n};
use crate::pages::{format_date, format_date_time};
use crate::session::{use_session, SessionState};

/// Problems by field, as the server's 422 and the shared checks give them.
type Fields = BTreeMap<String, String>;

/// What the queue shows: one status, the cases whose arbitration deadline
/// is near or past, or every case.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Filter {
    Status(CaseStatus),
    Warn,
    All,
}

impl Filter {
    fn label(self, lang: Lang) -> &'static str {
        match self {
            Filter::Status(s) => s.label(lang),
            Filter::Warn => lang.pick("仲裁时效预警", "Arbitration deadline near"),
            Filter::All => lang.pick("全部", "All"),
        }
    }
}

/// An officer's chips: what waits for triage first.
const OFFICER_FILTERS: [Filter; 7] = [
    Filter::Status(CaseStatus::Submitted),
    Filter::Status(CaseStatus::InProgress),
    Filter::Warn,
    Filter::Status(CaseStatus::Referred),
    Filter::Status(CaseStatus::Declined),
    Filter::Status(CaseStatus::Closed),
    Filter::All,
];

/// A lawyer's: their cases are assigned once taken up, so in hand or closed.
const LAWYER_FILTERS: [Filter; 4] = [
    Filter::Status(CaseStatus::InProgress),
    Filter::Warn,
    Filter::Status(CaseStatus::Closed),
    Filter::All,
];

/// The pill colour of a status, from the stylesheet's shared ones.
fn status_class(s: CaseStatus) -> &'static str {
    match s {
        CaseStatus::Submitted => "status-pill documents_requested",
        CaseStatus::InProgress | CaseStatus::Referred => "status-pill",
        CaseStatus::Declined => "status-pill rejected",
        CaseStatus::Closed => "status-pill closed",
    }
}

/// The deadline warning as the officer reads it: the days and the last
/// day each kept whole on one line.
fn deadline_text(d: &Deadline, lang: Lang) -> AnyView {
    if d.days_left < 0 {
        return lang
            .pick("已超过仲裁时效", "The arbitration deadline has passed")
            .into_any();
    }
    let day = format_date(&d.last_day, lang);
    let days = view! { <span class="num">{d.days_left}</span> };
    let day = view! { <span class="date">{day}</span> };
    match lang {
        Lang::Zh => view! { "距仲裁时效届满还有 "{days}" 天（"{day}"）" }.into_any(),
        Lang::En => {
            view! { {days}" days left to file for arbitration (last day "{day}")" }.into_any()
        }
    }
}

/// The red warning of a case whose arbitration deadline is near or past.
#[component]
fn DeadlineWarning(deadline: Option<Deadline>) -> impl IntoView {
    let i18n = use_i18n();
    deadline.filter(|d| d.warn).map(|d| {
        view! {
            <span class="status-pill rejected" data-test="deadline-warning">
                {move || deadline_text(&d, i18n.lang.get())}
            </span>
        }
    })
}

/// The 集体 (collective) badge.
fn collective_badge(collective: bool) -> impl IntoView {
    collective.then(|| view! { <span class="badge warn" data-test="collective">{both("集体", "Collective")}</span> })
}

/// How many workers a case speaks for.
fn workers_text(n: i64, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{n} 人"),
        Lang::En if n == 1 => "1 worker".into(),
        Lang::En => format!("{n} workers"),
    }
}

/// Whether the account reading is a lawyer or mediator (and no officer):
/// read once, as the screen is drawn (the desk is signed in by then).
fn is_lawyer() -> bool {
    use_session().state.with_untracked(
        |s| matches!(s, SessionState::User(me) if desk_role(Some(me)) == DeskRole::Lawyer),
    )
}

/// `/staff/rights`.
#[component]
pub fn RightsQueuePage() -> impl IntoView {
    let i18n = use_i18n();
    let lawyer = is_lawyer();
    let filters: &'static [Filter] = if lawyer {
        &LAWYER_FILTERS
    } else {
        &OFFICER_FILTERS
    };
    let filter = RwSignal::new(filters[0]);
    let cases = Paged::new(
        move || filter.get(),
        |f, after| async move {
            match f {
                Filter::Status(s) => api::staff_cases(s.as_str(), false, after).await,
                Filter::Warn => api::staff_cases("", true, after).await,
                Filter::All => api::staff_cases("", false, after).await,
            }
        },
    );
    view! {
        <section class="page">
            <h2>{if lawyer { both("分配给我的案件", "Cases assigned to me") } else { both("维权案件", "Rights cases") }}</h2>
            <p class="intro">{both(
                "职工反映的劳动争议：按时受理、转交或说明不予受理的原因；劳动仲裁须在争议发生之日起一年内申请，临近届满的案件标红提醒。",
                "Disputes workers have reported: take each up, refer it on, or say why not. Arbitration must be claimed within a year of the dispute; cases near that deadline are marked in red.",
            )}</p>
            <div class="chips" role="group" aria-label=tr(|s| s.status)>
                {filters.iter().map(|&f| {
                    let test = if f == Filter::Warn { "filter-warn" } else { "filter" };
                    view! {
                    <button type="button" class="chip" aria-pressed=move || (filter.get() == f).to_string()
                        data-test=test on:click=move |_| filter.set(f)>
                        {move || f.label(i18n.lang.get())}
                    </button>
                    }
                }).collect_view()}
            </div>
            {cases.view(
                |items| (!items.is_empty()).then(|| view! {
                    <ul class="queue" data-test="rights-queue">
                        {items.into_iter().map(|c| view! { <CaseRow c=c/> }).collect_view()}
                    </ul>
                }),
                |s| s.no_entries,
            )}
        </section>
    }
}

#[component]
fn CaseRow(c: CaseView) -> impl IntoView {
    let i18n = use_i18n();
    let (kind, status, workers) = (c.kind, c.status, c.workers);
    let href = format!("/staff/rights/{}", c.id);
    view! {
        <li class="panel request" data-test="case-row">
            <h3><span class="num">{c.number.clone()}</span>" · "{move || kind.label(i18n.lang.get())}</h3>
            <p>{c.employer_name.clone()}</p>
            <p class="hint">{c.union_name.clone()}{c.district.clone().map(|d| format!(" · {d}"))}" · "{format_date_time(&c.created_at)}</p>
            <p>
                <span class=status_class(status) data-test="case-status">{move || status.label(i18n.lang.get())}</span>" "
                <span class="num">{move || workers_text(workers, i18n.lang.get())}</span>" "
                {collective_badge(c.collective)}" "
                <DeadlineWarning deadline=c.deadline.clone()/>
            </p>
            <A href=href attr:class="btn btn-primary">{both("查看案件", "Open the case")}</A>
        </li>
    }
}

/// `/staff/rights/:id`.
#[component]
pub fn RightsCasePage() -> impl IntoView {
    let params = use_params_map();
    let case = LocalResource::new(move || {
        let id = params.with(|p| p.get("id").and_then(|v| v.parse().ok()).unwrap_or(0));
        api::rights_case(id)
    });
    let reload = Callback::new(move |_| case.refetch());
    let back = if is_lawyer() {
        both("分配给我的案件", "Cases assigned to me")
    } else {
        both("维权案件", "Rights cases")
    };
    view! {
        <section class="page">
            <A href="/staff/rights" attr:class="back-link">"‹ "{back}</A>
            {loaded(case, move |c| view! { <CaseDesk c=c reload=reload/> }.into_any())}
        </section>
    }
}

/// One case whole, with what the account may do to it now.
#[component]
fn CaseDesk(c: CaseView, reload: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let id = c.id;
    let (kind, status, workers, joined) = (c.kind, c.status, c.workers, c.joined);
    let may = c.you_may;
    let last_day = c.deadline.as_ref().map(|d| d.last_day.clone());
    let dispute_on = c.dispute_on.clone();
    let can_add = status.is_open() && (may.triage || may.assign || may.record);
    view! {
        <h2><span class="num">{c.number.clone()}</span>" · "{move || kind.label(i18n.lang.get())}</h2>
        <p class="actions">
            <span class=status_class(status) data-test="case-status">{move || status.label(i18n.lang.get())}</span>
            {collective_badge(c.collective)}
            <DeadlineWarning deadline=c.deadline.clone()/>
        </p>
        <dl class="facts panel" data-test="case-facts">
            <dt>{both("用人单位", "Employer")}</dt><dd>{c.employer_name.clone()}</dd>
            {c.employer_credit_code.clone().map(|code| view! {
                <dt>{both("统一社会信用代码", "Credit code")}</dt><dd class="num">{code}</dd>
            })}
            {c.district.clone().map(|d| view! { <dt>{both("所在区", "District")}</dt><dd>{d}</dd> })}
            {(!c.address.is_empty()).then(|| view! { <dt>{both("地址", "Address")}</dt><dd>{c.address.clone()}</dd> })}
            <dt>{both("涉及职工", "Workers")}</dt>
            <dd>
                {move || workers_text(workers, i18n.lang.get())}
                {move || match i18n.lang.get() {
                    Lang::Zh => format!("，已有 {joined} 人在线加入"),
                    Lang::En => format!(", {joined} joined in the app"),
                }}
            </dd>
            {c.amount_fen.map(|a| view! { <dt>{both("涉及金额", "At stake")}</dt><dd class="num">{yuan(a)}</dd> })}
            {dispute_on.map(|d| view! { <dt>{both("争议发生日", "Dispute arose")}</dt><dd>{move || format_date(&d, i18n.lang.get())}</dd> })}
            {last_day.map(|d| view! { <dt>{both("仲裁时效届满日", "Last day to claim arbitration")}</dt><dd>{move || format_date(&d, i18n.lang.get())}</dd> })}
            {c.reporter.clone().map(|r| view! {
                <dt>{both("反映人", "Reported by")}</dt>
                <dd>{r}{c.reporter_phone.clone().map(|p| format!(" · {p}"))}" "<RevealPhone fetch=move || api::case_contact(id) test="reporter-phone"/></dd>
            })}
            <dt>{both("承办工会", "Union")}</dt><dd>{c.union_name.clone()}</dd>
            {c.lawyer_name.clone().map(|l| view! {
                <dt>{both("律师·调解员", "Lawyer or mediator")}</dt>
                <dd data-test="case-lawyer">{l}{c.lawyer_phone.clone().map(|p| view! { " · "<a href=tel_link(&p)>{p.clone()}</a> })}</dd>
            })}
            {c.referred_to.clone().map(|o| view! {
                <dt>{both("转交机构", "Referred to")}</dt>
                <dd>{o}{c.referred_phone.clone().map(|p| view! { " · "<a href=tel_link(&p)>{p.clone()}</a> })}</dd>
            })}
            {c.decline_reason.clone().map(|r| view! { <dt>{both("不予受理原因", "Why not taken up")}</dt><dd>{r}</dd> })}
            <dt>{both("已追回", "Recovered")}</dt><dd class="num" data-test="case-recovered">{yuan(c.recovered_fen)}</dd>
            <dt>{both("反映时间", "Reported")}</dt><dd>{format_date_time(&c.created_at)}</dd>
        </dl>
        <h3>{both("事实经过", "What happened")}</h3>
        <p class="note" data-test="case-facts-text">{c.facts.clone()}</p>
        {may.triage.then(|| view! { <TriageForm id=id reload=reload/> })}
        {may.assign.then(|| view! { <AssignForm id=id reload=reload has_lawyer=c.lawyer_name.is_some()/> })}
        {may.record.then(|| view! { <StepForm id=id reload=reload/> })}
        <h3>{both("办理进度", "Progress")}</h3>
        <Timeline steps=Step::all(c.steps.clone()) test_id="case-timeline"/>
        <h3>{both("证据材料", "Evidence")}</h3>
        <Documents case=Case::Rights(id) docs=c.documents.clone() can_add=can_add can_remove=false reload=reload/>
    }
}

/// A field's problem under it, read out with it.
fn field_error(errors: RwSignal<Fields>, field: &'static str, id: &'static str) -> impl IntoView {
    view! {
        <span class="field-error" id=id aria-live="polite">{move || errors.get().get(field).cloned()}</span>
    }
}

/// Whether a field has a problem (for `class:invalid` and `aria-invalid`).
fn invalid(errors: RwSignal<Fields>, field: &'static str) -> impl Fn() -> bool + Copy {
    move || errors.with(|e| e.contains_key(field))
}

/// Sends one of the desk's requests on a case: the reload when it went
/// through, the message and the fields at fault when not.
fn send(
    pending: RwSignal<bool>,
    message: RwSignal<Option<String>>,
    errors: RwSignal<Fields>,
    reload: Callback<()>,
    request: impl std::future::Future<Output = Result<CaseView, Failure>> + 'static,
) {
    pending.set(true);
    message.set(None);
    spawn_local(async move {
        match request.await {
            Ok(_) => reload.run(()),
            Err(f) => {
                errors.set(f.fields());
                message.set(Some(f.message()));
            }
        }
        pending.set(false);
    });
}

/// Triage: take the case up (nothing more needed), refer it to the office
/// that handles it (its name and phone, which the worker is shown), or
/// decline it (the reason, which the worker reads).
#[component]
fn TriageForm(id: i64, reload: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let office = RwSignal::new(String::new());
    let office_phone = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let errors = RwSignal::new(Fields::new());
    let message = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);
    let triage = move |action: &'static str| {
        if pending.get_untracked() {
            return;
        }
        let input = TriageInput {
            action: action.into(),
            office: (action == "refer").then(|| office.get_untracked()),
            office_phone: (action == "refer").then(|| office_phone.get_untracked()),
            reason: (action == "decline").then(|| reason.get_untracked()),
        };
        // The shared rule says at once what a choice still needs.
        if let Err(p) = input.parse() {
            errors.set(p.to_map(i18n.lang.get_untracked()));
            message.set(None);
            return;
        }
        errors.set(Fields::new());
        send(pending, message, errors, reload, async move {
            api::triage_case(id, &input).await
        });
    };
    view! {
        <div class="panel decision" data-test="triage">
            <h3>{both("受理审查", "Triage")}</h3>
            <p class="hint">{both(
                "请在 3 个工作日内作出处理：受理后指派律师或调解员办理；不属工会办理范围的，转交劳动保障监察或仲裁机构；不予受理的须说明原因。职工会收到通知。",
                "Decide within 3 working days: take it up and assign a lawyer or mediator; refer what is not the union's to the labour inspectorate or arbitration; a decline needs its reason. The worker is told.",
            )}</p>
            <fieldset class="checks">
                <legend>{both("受理", "Take it up")}</legend>
                <p class="hint">{both("无需填写其他内容；受理后可指派律师或调解员。", "Nothing more is needed; a lawyer or mediator is assigned next.")}</p>
                <button type="button" class="btn btn-primary btn-block" data-test="triage-accept"
                    disabled=move || pending.get() on:click=move |_| triage("accept")>{both("受理", "Take it up")}</button>
            </fieldset>
            <fieldset class="checks">
                <legend>{both("转交", "Refer it on")}</legend>
                <p class="hint">{both("填写受理机构名称和电话，职工会看到并自行联系。", "Give the office's name and phone: the worker is shown them.")}</p>
                <div class="field" class:invalid=invalid(errors, "office")>
                    <label for="triage-office">{both("受理机构", "Office")}</label>
                    <input id="triage-office" data-test="triage-office" maxlength="500" placeholder="武昌区劳动保障监察大队"
                        aria-invalid=move || invalid(errors, "office")().to_string() aria-describedby="triage-office-error"
                        prop:value=move || office.get() on:input=move |ev| office.set(event_target_value(&ev))/>
                    {field_error(errors, "office", "triage-office-error")}
                </div>
                <div class="field" class:invalid=invalid(errors, "office_phone")>
                    <label for="triage-office-phone">{both("机构电话", "Office phone")}</label>
                    <input id="triage-office-phone" data-test="triage-office-phone" type="tel" inputmode="tel" maxlength="20" placeholder="027-12333"
                        aria-invalid=move || invalid(errors, "office_phone")().to_string() aria-describedby="triage-office-phone-error"
                        prop:value=move || office_phone.get() on:input=move |ev| office_phone.set(event_target_value(&ev))/>
                    {field_error(errors, "office_phone", "triage-office-phone-error")}
                </div>
                <button type="button" class="btn btn-secondary btn-block" data-test="triage-refer"
                    disabled=move || pending.get() on:click=move |_| triage("refer")>{both("转交", "Refer it on")}</button>
            </fieldset>
            <fieldset class="checks">
                <legend>{both("不予受理", "Decline")}</legend>
                <div class="field" class:invalid=invalid(errors, "reason")>
                    <label for="triage-reason">{both("原因（职工会看到）", "Why (the worker reads it)")}</label>
                    <textarea id="triage-reason" data-test="triage-reason" rows="3" maxlength="500"
                        aria-invalid=move || invalid(errors, "reason")().to_string() aria-describedby="triage-reason-error"
                        prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev))></textarea>
                    {field_error(errors, "reason", "triage-reason-error")}
                </div>
                <button type="button" class="btn btn-danger btn-block" data-test="triage-decline"
                    disabled=move || pending.get() on:click=move |_| triage("decline")>{both("不予受理", "Decline")}</button>
            </fieldset>
            <p class="form-message" role="alert" data-test="triage-message">{move || message.get()}</p>
        </div>
    }
}

/// Assigning (or changing) the union lawyer or mediator of a case in hand.
#[component]
fn AssignForm(id: i64, reload: Callback<()>, has_lawyer: bool) -> impl IntoView {
    let i18n = use_i18n();
    let lawyers = LocalResource::new(api::rights_lawyers);
    let chosen = RwSignal::new(String::new());
    let errors = RwSignal::new(Fields::new());
    let message = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);
    let assign = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let Ok(lawyer_id) = chosen.get_untracked().parse::<i64>() else {
            message.set(Some(
                i18n.lang
                    .get_untracked()
                    .pick("请选择律师或调解员", "Choose a lawyer or mediator")
                    .into(),
            ));
            return;
        };
        send(pending, message, errors, reload, async move {
            api::assign_lawyer(id, lawyer_id).await
        });
    };
    let option = move |l: LawyerView| {
        let n = l.open_cases;
        view! {
            <option value=l.id.to_string()>
                {l.name}" · "{l.union_name}" · "
                {move || match i18n.lang.get() {
                    Lang::Zh => format!("在办 {n} 件"),
                    Lang::En => format!("{n} open"),
                }}
            </option>
        }
    };
    view! {
        <form class="panel decision" on:submit=assign novalidate data-test="assign">
            <h3>{if has_lawyer { both("更换律师或调解员", "Change the lawyer or mediator") } else { both("指派律师或调解员", "Assign a lawyer or mediator") }}</h3>
            {loaded(lawyers, move |list: Vec<LawyerView>| match list.is_empty() {
                true => view! {
                    <p class="hint">{both(
                        "还没有工会律师或调解员账号，请联系系统管理员开设。",
                        "There are no union lawyer or mediator accounts yet; ask an administrator to open one.",
                    )}</p>
                }.into_any(),
                false => view! {
                    <div class="field" class:invalid=invalid(errors, "lawyer_id")>
                        <label for="assign-lawyer">{both("律师·调解员", "Lawyer or mediator")}</label>
                        <select id="assign-lawyer" data-test="assign-lawyer" aria-describedby="assign-lawyer-error"
                            prop:value=move || chosen.get() on:change=move |ev| chosen.set(event_target_value(&ev))>
                            <option value="" disabled=true>{tr(|s| s.choose)}</option>
                            {list.into_iter().map(option).collect_view()}
                        </select>
                        {field_error(errors, "lawyer_id", "assign-lawyer-error")}
                    </div>
                    <button type="submit" class="btn btn-primary btn-block" data-test="assign-submit"
                        disabled=move || pending.get()>{both("指派", "Assign")}</button>
                }.into_any(),
            })}
            <p class="form-message" role="alert" data-test="assign-message">{move || message.get()}</p>
        </form>
    }
}

/// Recording a step: a call, a mediation, an arbitration claim filed (which
/// stops the deadline warning), an award, a note, or the outcome (which
/// closes the case); with what it recovered for the workers.
#[component]
fn StepForm(id: i64, reload: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let kind = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let recovered = RwSignal::new(String::new());
    let errors = RwSignal::new(Fields::new());
    let message = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);
    let closing = move || kind.get() == StepKind::Closed.as_str();
    let record = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let lang = i18n.lang.get_untracked();
        let typed = recovered.get_untracked();
        let recovered_fen = match typed.trim() {
            "" | "0" => None,
            t => match parse_yuan(t) {
                Some(fen) => Some(fen),
                None => {
                    let mut e = Fields::new();
                    e.insert(
                        "recovered_fen".into(),
                        lang.pick(
                            "金额请填写数字，例如 3800 或 3800.50",
                            "Type an amount, e.g. 3800 or 3800.50",
                        )
                        .into(),
                    );
                    errors.set(e);
                    return;
                }
            },
        };
        let input = StepInput {
            kind: kind.get_untracked(),
            note: note.get_untracked(),
            recovered_fen,
        };
        if let Err(p) = input.parse() {
            errors.set(p.to_map(lang));
            message.set(None);
            return;
        }
        errors.set(Fields::new());
        send(pending, message, errors, reload, async move {
            api::record_case_step(id, &input).await
        });
    };
    view! {
        <form class="panel decision" on:submit=record novalidate data-test="record-step">
            <h3>{both("记录办理进展", "Record a step")}</h3>
            <div class="field" class:invalid=invalid(errors, "kind")>
                <label for="step-kind">{both("进展类型", "Kind of step")}</label>
                <select id="step-kind" data-test="step-kind" aria-describedby="step-kind-error"
                    prop:value=move || kind.get() on:change=move |ev| kind.set(event_target_value(&ev))>
                    <option value="" disabled=true>{tr(|s| s.choose)}</option>
                    {StepKind::ALL.into_iter().map(|k| view! {
                        <option value=k.as_str()>{move || k.label(i18n.lang.get())}</option>
                    }).collect_view()}
                </select>
                {field_error(errors, "kind", "step-kind-error")}
            </div>
            <Show when=closing>
                <p class="warn-note panel" data-test="step-closes">{both(
                    "选择“办结”将结案：请在说明中写明结果，结案后不能再记录进展。",
                    "Closed ends the case: write the outcome in the note; no step can be recorded after.",
                )}</p>
            </Show>
            <div class="field" class:invalid=invalid(errors, "note")>
                <label for="step-note">{both("情况说明（职工会看到）", "What happened (the workers read it)")}</label>
                <textarea id="step-note" data-test="step-note" rows="3" maxlength="500" aria-describedby="step-note-error"
                    aria-invalid=move || invalid(errors, "note")().to_string()
                    prop:value=move || note.get() on:input=move |ev| note.set(event_target_value(&ev))></textarea>
                {field_error(errors, "note", "step-note-error")}
            </div>
            <div class="field" class:invalid=invalid(errors, "recovered_fen")>
                <label for="step-recovered">{both("本次追回金额（元，可不填）", "Recovered by this step (yuan, optional)")}</label>
                <span class="hint" id="step-recovered-hint">{both("为职工追回的工资、补偿等", "Wages, compensation and the like won back for the workers")}</span>
                <input id="step-recovered" data-test="step-recovered" type="text" inputmode="decimal" maxlength="14" autocomplete="off"
                    aria-describedby="step-recovered-hint step-recovered-error"
                    aria-invalid=move || invalid(errors, "recovered_fen")().to_string()
                    prop:value=move || recovered.get() on:input=move |ev| recovered.set(event_target_value(&ev))/>
                {field_error(errors, "recovered_fen", "step-recovered-error")}
            </div>
            <p class="form-message" role="alert" data-test="step-message">{move || message.get()}</p>
            <button type="submit" class="btn btn-primary btn-block" data-test="step-submit" disabled=move || pending.get()>
                {move || if closing() { both("记录并结案", "Record and close")() } else { both("记录", "Record")() }}
            </button>
        </form>
    }
}
