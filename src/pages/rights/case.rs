//! One rights case (`/rights/:id`, and inline on `/rights` for a worker
//! without an account): where it stands and what happens next, who has it,
//! the lawyer's or the office's number to call, what was recovered, the join
//! code of a collective case, its evidence and its timeline.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};
use unioncard_api::centres::tel_link;
use unioncard_api::offers::yuan;
use unioncard_api::rights::CaseView;

use crate::api;
use crate::components::case_file::{Case, Documents, Step, Timeline};
use crate::components::shell::SignInFor;
use crate::components::status::loaded_or;
use crate::i18n::{both, use_i18n};
use crate::pages::{format_date, format_date_time};

/// `/rights/:id`: a case the signed-in worker is on.
#[component]
pub fn RightsCasePage() -> impl IntoView {
    let params = use_params_map();
    let new = use_query_map().with_untracked(|q| q.get("new").is_some());
    let case = LocalResource::new(move || {
        let id = params.with(|p| p.get("id").and_then(|v| v.parse().ok()).unwrap_or(0));
        api::rights_case(id)
    });
    let reload = Callback::new(move |_| case.refetch());
    let signed_out = |f: &api::Failure| {
        (f.status() == Some(401)).then(|| {
            view! { <SignInFor why=both("登录后查看您的维权案件", "Sign in to see your rights case")/> }
                .into_any()
        })
    };
    view! {
        <section class="page">
            <h2>{both("维权案件", "Rights case")}</h2>
            {new.then(|| view! {
                <p class="panel ok-note" role="status" data-test="case-sent">{both(
                    "已提交，工会会尽快联系您。请上传证据材料的照片：劳动合同、工资条、考勤记录、聊天记录、工伤诊断等。",
                    "Sent: the union will contact you soon. Please add photos of your evidence: the contract, pay slips, time records, messages, an injury diagnosis.",
                )}</p>
            })}
            <div class="load-slot">
                {loaded_or(case, signed_out, move |c| view! { <CaseDetail c=c worker=true reload=reload/> })}
            </div>
            <p><A href="/rights" attr:class="btn btn-link">{both("‹ 维权求助", "‹ Help with your rights")}</A></p>
        </section>
    }
}

/// A case as its worker reads it. `worker`: a signed-in worker on the case,
/// who may add evidence while it is open (someone without an account gives
/// it to the union instead).
#[component]
pub fn CaseDetail(
    c: CaseView,
    #[prop(optional)] worker: bool,
    #[prop(optional)] reload: Option<Callback<()>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let (status, kind) = (c.status, c.kind);
    let reload = reload.unwrap_or_else(|| Callback::new(|_| ()));
    let (recovered, workers, joined) = (c.recovered_fen, c.workers, c.joined);
    let dispute_on = c.dispute_on.clone();
    let created = c.created_at.clone();
    let join_code = c
        .join_code
        .clone()
        .filter(|_| c.collective && status.is_open());
    let join_path = format!("/rights/join?case={}", c.id);
    let join_url = format!(
        "{}{join_path}",
        window().location().origin().unwrap_or_default()
    );
    let lawyer = c
        .lawyer_name
        .clone()
        .map(|name| (name, c.lawyer_phone.clone()));
    let referral = c
        .referred_to
        .clone()
        .map(|office| (office, c.referred_phone.clone()));
    view! {
        <article class="case" data-test="case">
            <p class="case-head">
                <strong class="num" data-test="case-number">{c.number.clone()}</strong>
                " · "{move || kind.label(i18n.lang.get())}
            </p>
            <div class=format!("panel status-banner {}", status.as_str()) data-test="case-status"
                data-status=status.as_str()>
                <strong>{move || status.label(i18n.lang.get())}</strong>
                <p data-test="case-next">{move || status.next(i18n.lang.get())}</p>
                {c.decline_reason.clone().map(|r| view! {
                    <p data-test="case-decline">{both("原因：", "Why: ")}{r}</p>
                })}
            </div>
            {referral.map(|(office, phone)| view! {
                <section class="panel" data-test="case-referral">
                    <h3>{both("受理机构", "Where to go")}</h3>
                    <p><strong>{office}</strong>
                        {phone.clone().map(|p| view! { " · "<span class="num">{p}</span> })}</p>
                    {phone.map(|p| view! {
                        <a class="btn btn-primary btn-block" href=tel_link(&p) data-test="call-referral">
                            {both("拨打受理机构电话", "Call the office")}
                        </a>
                    })}
                </section>
            })}
            {lawyer.map(|(name, phone)| view! {
                <section class="panel" data-test="case-lawyer">
                    <h3>{both("工会律师 / 调解员", "Union lawyer or mediator")}</h3>
                    <p><strong>{name}</strong>
                        {phone.clone().map(|p| view! { " · "<span class="num">{p}</span> })}</p>
                    {phone.map(|p| view! {
                        <a class="btn btn-primary btn-block" href=tel_link(&p) data-test="call-lawyer">
                            {both("拨打律师电话", "Call the lawyer")}
                        </a>
                    })}
                </section>
            })}
            {(recovered > 0).then(|| view! {
                <section class="panel ok-note">
                    <p>{both("已追回 ", "Recovered ")}<strong class="num" data-test="case-recovered">{yuan(recovered)}</strong></p>
                    {(c.collective && workers > 1).then(|| view! {
                        <p class="hint">
                            {both("按 ", "Over ")}<span class="num">{workers}</span>
                            {both(" 人计，人均 ", " workers: each ")}
                            <span class="num" data-test="case-recovered-each">{yuan(recovered / workers)}</span>
                        </p>
                    })}
                </section>
            })}
            {join_code.map(|code| view! {
                <section class="panel" data-test="join-block">
                    <h3>{both("工友加入码", "Join code for co-workers")}</h3>
                    <p class="code-digits big" data-test="join-code">{code}</p>
                    <p>{both(
                        "把案件编号和加入码发给一起维权的工友，他们在下面的页面加入：",
                        "Send the case number and this join code to the co-workers in it with you; they join on this page:",
                    )}</p>
                    <p><a href=join_path data-test="join-link" class="inline-target join-url">{join_url}</a></p>
                    <p class="hint" data-test="case-joined">
                        {both("已有 ", "")}<span class="num">{joined}</span>
                        {both(" 人加入，共涉及 ", " of ")}<span class="num">{workers}</span>
                        {both(" 人", " workers have joined")}
                    </p>
                </section>
            })}
            <dl class="facts panel">
                <dt>{both("受理工会", "Handled by")}</dt>
                <dd data-test="case-union">{c.union_name.clone()}</dd>
                <dt>{both("用人单位", "Employer")}</dt>
                <dd>{c.employer_name.clone()}
                    {c.employer_credit_code.clone().map(|k| view! { <br/><small class="whole">{k}</small> })}</dd>
                {c.district.clone().map(|d| view! { <dt>{both("所在区", "District")}</dt><dd>{d}</dd> })}
                {(!c.address.is_empty()).then(|| view! { <dt>{both("地址", "Address")}</dt><dd>{c.address.clone()}</dd> })}
                <dt>{both("涉及人数", "Workers affected")}</dt>
                <dd><span class="num">{workers}</span></dd>
                {c.amount_fen.map(|a| view! {
                    <dt>{both("涉及金额", "Money at stake")}</dt><dd class="num">{yuan(a)}</dd>
                })}
                {dispute_on.map(|d| view! {
                    <dt>{both("争议发生日期", "Began on")}</dt>
                    <dd class="date">{move || format_date(&d, i18n.lang.get())}</dd>
                })}
                <dt>{both("提交时间", "Reported")}</dt>
                <dd class="date">{move || format_date_time(&created)}</dd>
                <dt>{both("发生了什么", "What happened")}</dt>
                <dd class="facts-text">{c.facts.clone()}</dd>
            </dl>
            <h3>{both("证据材料", "Evidence")}</h3>
            {if worker {
                view! {
                    <Documents case=Case::Rights(c.id) docs=c.documents.clone()
                        can_add=status.is_open() can_remove=false reload=reload/>
                }.into_any()
            } else {
                let count = c.documents.len();
                view! {
                    <p class="hint" data-test="evidence-offline">
                        {both("已有材料 ", "Documents on file: ")}<span class="num">{count}</span>{both(" 份。", ".")}
                        {both(
                            "没有账号的职工，请把证据材料交给受理工会；会员登录后可以在这里上传。",
                            "Without an account, give your evidence to the union handling the case; members can add it here once signed in.",
                        )}
                    </p>
                }.into_any()
            }}
            <h3>{both("办理进度", "Progress")}</h3>
            <Timeline steps=Step::all(c.steps) test_id="case-steps"/>
        </article>
    }
}
