//! 困难帮扶: a member's hardship files, and sending one. The form works the
//! union's rule as the member types (the shared `Household::propose`
//! against their district's line), so what the union will see is said
//! before anything is sent; proof goes up as photos on the file's page.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use unioncard_api::hardship::{
    self, Cause, HardshipFileView, HardshipInput, HardshipStatus, LineView, LocalLine,
};
use unioncard_api::identity::Date;
use unioncard_api::money::parse_yuan;
use unioncard_api::offers::yuan;

use crate::api;
use crate::components::case_file::{Case, Documents, Step, Timeline};
use crate::components::choice::Check;
use crate::components::field::{InputKind, TextField};
use crate::components::shell::SignInFor;
use crate::components::status::loaded;
use crate::i18n::{both, tr, use_i18n, Lang};
use crate::pages::format_date;
use crate::session::{use_session, SessionState};

/// `/hardship`.
#[component]
pub fn HardshipPage() -> impl IntoView {
    let session = use_session();
    let data = LocalResource::new(move || {
        let signed_in = matches!(session.state.get(), SessionState::User(_));
        async move {
            if !signed_in {
                return Ok(None);
            }
            let files = api::my_hardship_files().await?;
            // No line for the district is said on the form, not as an error.
            let line = api::hardship_line().await.ok();
            Ok::<_, api::Failure>(Some((files.items, line)))
        }
    });
    view! {
        <section class="page">
            <h2>{both("困难帮扶", "Hardship aid")}</h2>
            <p class="intro">{both("家庭遇到困难（患病、残疾、失业、意外、单亲、子女上学），可以申请纳入困难职工档案，享受日常帮扶、送温暖和金秋助学。", "If your household is in hardship (illness, disability, unemployment, an accident, single parent, children in education), apply to be on the union's hardship file for daily aid, holiday relief and education aid.")}</p>
            {loaded(data, move |v| match v {
                None => view! { <SignInFor why=both("登录后可以申请困难建档、查看审核进度", "Sign in to apply for a hardship file and follow it")/> }.into_any(),
                Some((files, line)) => view! { <MyFiles files=files line=line/> }.into_any(),
            })}
        </section>
    }
}

/// Whether the member may send a file now: none waiting, and none on
/// record beyond its renewal window.
fn may_apply(files: &[HardshipFileView]) -> bool {
    let today = crate::clock::today();
    files.iter().all(|f| match f.status {
        HardshipStatus::Submitted | HardshipStatus::Draft => false,
        HardshipStatus::Approved => f
            .valid_until
            .as_deref()
            .and_then(Date::parse_iso)
            .is_none_or(|until| hardship::may_renew(until, today)),
        _ => true,
    })
}

#[component]
fn MyFiles(files: Vec<HardshipFileView>, line: Option<LineView>) -> impl IntoView {
    let can_apply = may_apply(&files);
    view! {
        {(!files.is_empty()).then(|| view! {
            <h3>{both("我的困难档案", "My hardship files")}</h3>
            <ul class="claim-list" data-test="my-hardship-files">
                {files.into_iter().map(|f| view! { <FileLine f=f/> }).collect_view()}
            </ul>
        })}
        {match (can_apply, line) {
            (true, Some(line)) => view! { <FileForm line=line/> }.into_any(),
            (true, None) => view! { <p class="panel" data-test="no-line">{both("您所在地区的困难标准尚未设定，请联系所在工会。", "Your district's hardship line is not set yet; please contact your union.")}</p> }.into_any(),
            (false, _) => view! { <p class="hint" data-test="cannot-apply">{both("您的档案正在审核或仍在有效期内；到期前 30 天可以申请续期。", "Your file is under review or still valid; you may renew it in its last 30 days.")}</p> }.into_any(),
        }}
    }
}

#[component]
fn FileLine(f: HardshipFileView) -> impl IntoView {
    let i18n = use_i18n();
    let status = f.status;
    let category = f.category.or(f.proposed_category);
    let filed = f.filed_at.clone();
    view! {
        <li>
            <A href=format!("/hardship/files/{}", f.id) attr:class="claim-line">
                <span>
                    {move || category.map(|c| c.label(i18n.lang.get())).unwrap_or(i18n.t().hardship_no_category)}
                    <br/><small class="date">{move || format_date(filed.get(..10).unwrap_or(""), i18n.lang.get())}</small>
                </span>
                <span class="claim-right">
                    <span class=format!("status-pill {}", status.as_str())>{move || status.label(i18n.lang.get())}</span>
                </span>
            </A>
        </li>
    }
}

/// What the rule says of the figures typed so far, in the member's words.
#[component]
fn Proposal(household: Signal<Option<hardship::Household>>, line: LocalLine) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        household.get().map(|h| {
            let lang = i18n.lang.get();
            let p = h.propose(line, lang);
            let verdict = match p.category {
                Some(c) => c.label(lang),
                None => i18n.t().hardship_no_category,
            };
            view! {
                <div class="panel ok-note" aria-live="polite" data-test="hardship-proposal">
                    <strong>{i18n.t().hardship_proposal}" "{verdict}</strong>
                    <p>{p.reason}</p>
                </div>
            }
        })
    }
}

/// A household's income as typed: an amount, or nothing at all (0).
fn income_fen(typed: &str) -> Option<i64> {
    parse_yuan(typed).or_else(|| (typed.trim() == "0").then_some(0))
}

#[component]
fn FileForm(line: LineView) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let size = RwSignal::new(String::new());
    let income = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let causes: Vec<(Cause, RwSignal<bool>)> = Cause::ALL
        .iter()
        .map(|&c| (c, RwSignal::new(false)))
        .collect();
    let causes = StoredValue::new(causes);
    let errors = RwSignal::new(std::collections::BTreeMap::<String, String>::new());
    let message = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);
    // One key for this form: a double tap or a retry sends one file.
    let key = StoredValue::new(api::new_key());
    let local = LocalLine {
        minimum_fen: line.minimum_fen,
    };
    let input = move || HardshipInput {
        member_id: None,
        household_size: size.get().trim().parse().unwrap_or(0),
        monthly_income_fen: income_fen(&income.get()).unwrap_or(-1),
        causes: causes.with_value(|cs| {
            cs.iter()
                .filter(|(_, on)| on.get())
                .map(|(c, _)| *c)
                .collect()
        }),
        note: note.get(),
    };
    // The proposal shows once the figures it needs are typed and make sense.
    let household = Signal::derive(move || {
        let i = input();
        let h = i.household();
        (h.check().is_ok()).then_some(h)
    });
    let err = move |f: &'static str| Signal::derive(move || errors.get().get(f).cloned());
    let clear = move |f: &'static str| {
        Callback::new(move |_| {
            errors.update(|e| {
                e.remove(f);
            })
        })
    };
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let body = input();
        if let Err(p) = body.check() {
            let lang = i18n.lang.get_untracked();
            let mut found: std::collections::BTreeMap<String, String> =
                p.0.iter()
                    .map(|(f, problem)| (f.to_string(), problem.message(lang).to_string()))
                    .collect();
            // An income left empty or typed in words is not "below zero".
            let typed = income.get_untracked();
            if income_fen(&typed).is_none() {
                let said = if typed.trim().is_empty() {
                    unioncard_api::error::FieldProblem::Required.message(lang)
                } else {
                    i18n.t().bad_amount
                };
                found.insert("monthly_income_fen".into(), said.to_string());
            }
            errors.set(found);
            message.set(Some(i18n.t().form_has_errors.into()));
            return;
        }
        pending.set(true);
        let navigate = navigate.clone();
        spawn_local(async move {
            match api::send_hardship_file(&body, &key.get_value()).await {
                Ok(f) => navigate(
                    &format!("/hardship/files/{}?new=1", f.id),
                    Default::default(),
                ),
                Err(f) => {
                    errors.set(f.fields());
                    message.set(Some(f.message()));
                    pending.set(false);
                }
            }
        });
    };
    view! {
        <form class="panel" on:submit=send novalidate data-test="hardship-form">
            <h3>{both("申请困难建档", "Apply for a hardship file")}</h3>
            <p class="hint">{move || i18n.t().hardship_line_is.replace("{union}", &line.union_name).replace("{amount}", &yuan(line.minimum_fen))}</p>
            <TextField id="household_size" label=tr(|s| s.household_size) hint=both("共同生活、靠家庭收入生活的人数，含本人", "Everyone living on the household's income, you included")
                value=size error=err("household_size") kind=InputKind::COUNT on_input=clear("household_size")/>
            <TextField id="monthly_income" label=both("家庭月收入（元）", "Household income a month (yuan)") hint=both("工资、养老金、经营收入等全家合计", "Wages, pensions, business income: the whole household")
                value=income error=err("monthly_income_fen") kind=InputKind::MONEY on_input=clear("monthly_income_fen")/>
            <fieldset class="field" aria-describedby="causes-error">
                <legend>{both("致困原因（可多选）", "Causes (choose all that apply)")}</legend>
                {causes.with_value(|cs| cs.iter().map(|&(c, on)| view! {
                    <Check id=c.as_str() label=Signal::derive(move || c.label(i18n.lang.get())) value=on/>
                }).collect_view())}
                <p id="causes-error" class="field-error" role="alert">{move || errors.get().get("causes").cloned()}</p>
            </fieldset>
            <TextField id="hardship_note" label=both("情况说明", "What happened") hint=both("选填，最多 500 字", "Optional, up to 500 characters")
                value=note error=err("note") kind=InputKind::TEXT on_input=clear("note")/>
            <Proposal household=household line=local/>
            <p class="form-message" role="alert" data-test="hardship-message">{move || message.get()}</p>
            <button type="submit" class="btn btn-primary btn-block" data-test="send-hardship" disabled=move || pending.get()>
                {both("提交申请", "Send")}
            </button>
        </form>
    }
}

/// `/hardship/files/:id`: a file, where it stands, its proof and timeline.
#[component]
pub fn HardshipFilePage() -> impl IntoView {
    let params = use_params_map();
    let new = use_query_map().with_untracked(|q| q.get("new").is_some());
    let file = LocalResource::new(move || {
        let id = params.with(|p| p.get("id").and_then(|v| v.parse().ok()).unwrap_or(0));
        api::hardship_file(id)
    });
    let reload = Callback::new(move |_| file.refetch());
    view! {
        <section class="page">
            {new.then(|| view! { <p class="panel ok-note" role="status" data-test="hardship-sent">{both("已提交。请上传证明材料（如诊断证明、残疾证、失业证明）的照片，工会核实后答复。", "Sent. Please add photos of proof (a diagnosis, a disability card, proof of unemployment); the union will check and answer.")}</p> })}
            {loaded(file, move |f| view! { <HardshipFile f=f reload=reload/> }.into_any())}
        </section>
    }
}

/// A file, for its member or (on the desk) an officer.
#[component]
pub fn HardshipFile(f: HardshipFileView, reload: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let status = f.status;
    let causes = f.causes.clone();
    let category = f.category;
    let proposed = f.proposed_category;
    let until = f.valid_until.clone();
    let next = move |lang: Lang| {
        match status {
        HardshipStatus::Submitted | HardshipStatus::Draft => lang.pick(
            "工会将入户或电话核实，一般在 15 个工作日内答复。请上传证明材料。",
            "The union will check by a visit or a call, usually within 15 working days. Please add proof.",
        ),
        HardshipStatus::Approved => lang.pick(
            "已纳入困难职工档案，可享受日常帮扶和节日慰问；到期前 30 天可申请续期。",
            "On file: you can receive hardship aid and holiday relief; renew in the last 30 days.",
        ),
        HardshipStatus::Rejected => lang.pick(
            "未纳入档案，理由见下方记录。情况变化后可以重新申请。",
            "Not taken on file; the reason is below. Apply again if things change.",
        ),
        HardshipStatus::Closed => lang.pick("档案已关闭，理由见下方记录。", "The file is closed; the reason is below."),
    }
    };
    view! {
        <h2>{both("困难档案", "Hardship file")}</h2>
        <div class=format!("panel status-banner {}", status.as_str()) data-test="hardship-status">
            <strong>{move || status.label(i18n.lang.get())}</strong>
            <p>{move || next(i18n.lang.get())}</p>
        </div>
        <dl class="facts panel">
            {f.member.clone().map(|m| view! {
                <dt>{both("参加人", "Member")}</dt><dd>{m.name}" · "<span class="whole">{m.id_number_masked}</span></dd>
                <dt>{both("所在工会", "Union")}</dt><dd>{f.union_name.clone()}</dd>
            })}
            <dt>{tr(|s| s.household_size)}</dt><dd class="num">{f.household_size}</dd>
            <dt>{both("家庭月收入（元）", "Household income a month (yuan)")}</dt><dd class="num">{yuan(f.monthly_income_fen)}</dd>
            <dt>{both("家庭人均月收入", "Income per person a month")}</dt><dd class="num" data-test="per-person">{yuan(f.per_person_fen)}</dd>
            <dt>{both("致困原因", "Causes")}</dt>
            <dd>{move || causes.iter().map(|c| c.label(i18n.lang.get())).collect::<Vec<_>>().join(i18n.lang.get().pick("、", ", "))}</dd>
            {(!f.note.is_empty()).then(|| view! { <dt>{both("情况说明", "What happened")}</dt><dd>{f.note.clone()}</dd> })}
            <dt>{both("建议类别", "Proposed category")}</dt>
            <dd data-test="proposed">{move || proposed.map(|c| c.label(i18n.lang.get())).unwrap_or(i18n.t().hardship_no_category)}<br/><small>{f.proposal_reason.clone()}</small></dd>
            {category.map(|c| view! {
                <dt>{both("建档类别", "Category on file")}</dt><dd data-test="category"><strong>{move || c.label(i18n.lang.get())}</strong></dd>
            })}
            {until.map(|u| view! {
                <dt>{tr(|s| s.valid_until)}</dt><dd class="date" data-test="valid-until">{move || format_date(&u, i18n.lang.get())}</dd>
            })}
        </dl>
        <h3>{both("证明材料", "Proof")}</h3>
        <Documents case=Case::Hardship(f.id) docs=f.documents.clone()
            can_add=f.member.is_none() && status == HardshipStatus::Submitted can_remove=false reload=reload/>
        <h3>{both("办理记录", "History")}</h3>
        <Timeline steps=Step::all(f.events.clone())/>
    }
}
