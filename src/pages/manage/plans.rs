//! 互助计划管理: the plans the officer's unions run, closing one to new
//! enrolments, and a new plan with its payout rule (checked by the same
//! shared rules the estimator uses).

use leptos::prelude::*;
use leptos::task::spawn_local;
use unioncard_api::aid::{
    DiseaseGroup, Payer, PayoutRule, PlanEligibility, PlanInput, PlanKind, PlanStatus, StayTier,
};
use unioncard_api::identity::Gender;
use unioncard_api::offers::yuan;

use crate::api;
use crate::components::choice::{Check, Choice};
use crate::components::field::{InputKind, TextField};
use crate::components::status::loaded;
use crate::i18n::{both, tr, use_i18n};
use unioncard_api::money::parse_yuan;

/// `/manage/plans`.
#[component]
pub fn PlansPage() -> impl IntoView {
    let i18n = use_i18n();
    let plans = LocalResource::new(api::staff_plans);
    let reload = Callback::new(move |_| plans.refetch());
    view! {
        <section class="page">
            <h2>{tr(|s| s.manage_plans)}</h2>
            {loaded(plans, move |p| {
                view! {
                    <ul class="queue" data-test="plans">
                        {p.items.into_iter().map(|plan| {
                            let id = plan.id;
                            let status = plan.status;
                            let active = status == PlanStatus::Active;
                            let kind = plan.kind;
                            let flip = move |_| spawn_local(async move {
                                let _ = api::plan_status(id, status.toggled()).await;
                                reload.run(());
                            });
                            view! {
                                <li class="panel request">
                                    <h3>{plan.name.clone()}</h3>
                                    <p class="hint">{move || kind.label(i18n.lang.get())}" · "{plan.starts_on.clone()}" – "{plan.ends_on.clone()}
                                        " · "{yuan(plan.contribution_fen)}</p>
                                    <ul class="rule-lines">{move || plan.rule.describe(i18n.lang.get()).into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}</ul>
                                    <button type="button" class="btn btn-secondary" on:click=flip>
                                        {move || if active { i18n.t().close_plan } else { i18n.t().reopen_plan }}
                                    </button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            })}
            <NewPlan reload=reload/>
        </section>
    }
}

fn fen(s: &str) -> i64 {
    parse_yuan(s).unwrap_or(0)
}

/// A percentage typed as "70" to basis points.
fn bp(s: &str) -> i64 {
    s.trim()
        .parse::<f64>()
        .map(|p| (p * 100.0).round() as i64)
        .unwrap_or(-1)
}

#[component]
fn NewPlan(reload: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let s = |v: &str| RwSignal::new(v.to_string());
    let name = s("");
    let kind = s("hospital_stay");
    let summary = s("");
    let name_en = s("");
    let summary_en = s("");
    let contribution = s("");
    let payer = s("member");
    let share = s("");
    let term = s("12");
    let starts = s("");
    let window_from = s("");
    let window_to = s("");
    let waiting = s("90");
    let deadline = s("60");
    let gender = s("");
    let min_age = s("");
    let max_age = s("");
    let active_card = RwSignal::new(true);
    let cap = s("");
    let rule = s("self_pay_share");
    let (a, b, c, d, e) = (s(""), s(""), s(""), s(""), s(""));
    let groups = s("");
    let errors = RwSignal::new(std::collections::BTreeMap::<String, String>::new());
    let message = RwSignal::new(None::<String>);
    let saved = RwSignal::new(false);
    let err = move |f: &'static str| Signal::derive(move || errors.get().get(f).cloned());
    let blank = Signal::derive(|| "");
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let g = |v: RwSignal<String>| v.get_untracked();
        let payout = match g(rule).as_str() {
            "flat_by_grade" => PayoutRule::FlatByGrade {
                tertiary_fen: fen(&g(a)),
                secondary_fen: fen(&g(b)),
                primary_fen: fen(&g(c)),
            },
            "daily_allowance" => PayoutRule::DailyAllowance {
                per_day_fen: fen(&g(a)),
                groups: Vec::new(),
                max_days: g(b).trim().parse().unwrap_or(0),
                per_claim_cap_fen: None,
            },
            "fixed_by_group" => PayoutRule::FixedByGroup {
                // One group a line: "第一组：乳腺癌、宫颈癌,6000".
                groups: g(groups)
                    .lines()
                    .filter_map(|l| l.rsplit_once([',', '，']))
                    .enumerate()
                    .map(|(i, (n, amount))| DiseaseGroup {
                        code: format!("group{}", i + 1),
                        name_zh: n.trim().into(),
                        name_en: n.trim().into(),
                        amount_fen: fen(amount),
                    })
                    .collect(),
            },
            _ => PayoutRule::SelfPayShare {
                deductible_fen: parse_yuan(&g(a)).unwrap_or(0),
                stays: [(g(b), g(c)), (g(d), g(e))]
                    .into_iter()
                    .filter(|(share, _)| !share.trim().is_empty())
                    .map(|(share, cap)| StayTier {
                        share_bp: bp(&share),
                        cap_fen: parse_yuan(&cap),
                    })
                    .collect(),
            },
        };
        let age = |v: RwSignal<String>| v.get_untracked().trim().parse().ok();
        let input = PlanInput {
            name: g(name),
            kind: PlanKind::from_db(&g(kind)).unwrap_or(PlanKind::HospitalStay),
            summary: g(summary),
            name_en: g(name_en),
            summary_en: g(summary_en),
            contribution_fen: parse_yuan(&g(contribution)).unwrap_or(0),
            payer: Payer::from_db(&g(payer)).unwrap_or(Payer::Member),
            workplace_share_bp: if g(share).trim().is_empty() {
                0
            } else {
                bp(&g(share))
            },
            term_months: g(term).trim().parse().unwrap_or(0),
            starts_on: g(starts),
            window_from: g(window_from),
            window_to: g(window_to),
            waiting_days: g(waiting).trim().parse().unwrap_or(-1),
            claim_deadline_days: g(deadline).trim().parse().unwrap_or(0),
            eligibility: PlanEligibility {
                gender: match g(gender).as_str() {
                    "female" => Some(Gender::Female),
                    "male" => Some(Gender::Male),
                    _ => None,
                },
                min_age: age(min_age),
                max_age: age(max_age),
                active_card: active_card.get_untracked(),
            },
            rule: payout,
            yearly_cap_fen: parse_yuan(&g(cap)),
        };
        spawn_local(async move {
            match api::create_plan(&input).await {
                Ok(_) => {
                    errors.set(Default::default());
                    message.set(None);
                    saved.set(true);
                    reload.run(());
                }
                Err(f) => {
                    errors.set(f.fields());
                    saved.set(false);
                    message.set(Some(f.message()));
                }
            }
        });
    };
    let t = move || i18n.t();
    view! {
        <form class="panel" on:submit=save novalidate data-test="plan-form">
            <h3>{both("新开互助计划", "New aid plan")}</h3>
            <TextField id="plan_name" label=tr(|s| s.plan_name) hint=blank value=name error=err("name") kind=InputKind::TEXT/>
            <Choice id="plan_kind" label=both("优惠方式", "Kind") value=kind
                options=PlanKind::ALL.into_iter().map(|k| (k.as_str(), Signal::derive(move || k.label(i18n.lang.get()).to_string()))).collect()/>
            <TextField id="plan_summary" label=both("简介", "Summary") hint=blank value=summary error=err("summary") kind=InputKind::TEXT/>
            <TextField id="plan_name_en" label=both("计划名称（英文，可不填）", "Plan name in English (optional)") hint=blank value=name_en error=err("name_en") kind=InputKind::TEXT/>
            <TextField id="plan_summary_en" label=both("说明（英文，可不填）", "Summary in English (optional)") hint=blank value=summary_en error=err("summary_en") kind=InputKind::TEXT/>
            <TextField id="plan_contribution" label=both("每期缴费（元）", "Contribution per term (yuan)") hint=blank value=contribution error=err("contribution_fen") kind=InputKind::MONEY/>
            <Choice id="plan_payer" label=both("缴费方式", "Who pays") value=payer
                options=vec![
                    ("member", Signal::derive(move || t().payer_member.to_string())),
                    ("workplace", Signal::derive(move || t().payer_workplace.to_string())),
                    ("split", Signal::derive(move || t().payer_split.to_string())),
                ]/>
            <TextField id="plan_share" label=both("单位承担比例（%，分摊时填）", "Workplace share (%, when split)") hint=blank value=share error=err("workplace_share_bp") kind=InputKind::MONEY/>
            <TextField id="plan_term" label=both("期限（月）", "Term (months)") hint=blank value=term error=err("term_months") kind=InputKind::COUNT/>
            <TextField id="plan_starts" label=both("保障开始日期", "Cover starts") hint=blank value=starts error=err("starts_on") kind=InputKind::DATE/>
            <TextField id="plan_window_from" label=both("参加开始日期", "Enrolment opens") hint=blank value=window_from error=err("window_from") kind=InputKind::DATE/>
            <TextField id="plan_window_to" label=both("参加截止日期", "Enrolment closes") hint=blank value=window_to error=err("window_to") kind=InputKind::DATE/>
            <TextField id="plan_waiting" label=both("等待期", "Waiting period") hint=both("天", "days") value=waiting error=err("waiting_days") kind=InputKind::COUNT/>
            <TextField id="plan_deadline" label=both("出院（确诊）后多少天内申请", "Claim within (days after discharge or diagnosis)") hint=both("天", "days") value=deadline error=err("claim_deadline_days") kind=InputKind::COUNT/>
            <Choice id="plan_gender" label=both("参加条件", "Who may join") value=gender
                options=vec![
                    ("", Signal::derive(move || t().any_member.to_string())),
                    ("female", Signal::derive(move || t().women_members.to_string())),
                    ("male", Signal::derive(move || t().men_members.to_string())),
                ]/>
            <TextField id="plan_min_age" label=both("最低年龄（周岁，可不填）", "Youngest age (optional)") hint=blank value=min_age error=err("eligibility") kind=InputKind::COUNT/>
            <TextField id="plan_max_age" label=both("最高年龄（周岁，可不填）", "Oldest age (optional)") hint=blank value=max_age error=err("eligibility") kind=InputKind::COUNT/>
            <Check id="plan_active_card" label=tr(|s| s.active_card_needed) value=active_card/>
            <TextField id="plan_cap" label=both("年度封顶", "Yearly cap") hint=blank value=cap error=err("yearly_cap_fen") kind=InputKind::MONEY/>
            <Choice id="plan_rule" label=both("怎么给付", "How it pays") value=rule
                options=vec![
                    ("self_pay_share", Signal::derive(move || t().rule_share.to_string())),
                    ("flat_by_grade", Signal::derive(move || t().rule_flat.to_string())),
                    ("daily_allowance", Signal::derive(move || t().rule_daily.to_string())),
                    ("fixed_by_group", Signal::derive(move || t().rule_groups.to_string())),
                ]/>
            {move || match rule.get().as_str() {
                "flat_by_grade" => view! {
                    <TextField id="rule_a" label=both("三级医院每次（元）", "Grade 3 hospital, per stay (yuan)") hint=blank value=a error=err("rule") kind=InputKind::MONEY/>
                    <TextField id="rule_b" label=both("二级医院每次（元）", "Grade 2 hospital, per stay (yuan)") hint=blank value=b error=err("rule") kind=InputKind::MONEY/>
                    <TextField id="rule_c" label=both("一级医院每次（元）", "Grade 1 hospital, per stay (yuan)") hint=blank value=c error=err("rule") kind=InputKind::MONEY/>
                }.into_any(),
                "daily_allowance" => view! {
                    <TextField id="rule_a" label=both("每天（元）", "Per day (yuan)") hint=blank value=a error=err("rule") kind=InputKind::MONEY/>
                    <TextField id="rule_b" label=both("每次最多天数", "Most days a claim") hint=blank value=b error=err("rule") kind=InputKind::COUNT/>
                }.into_any(),
                "fixed_by_group" => view! {
                    <div class="field" class:invalid=move || err("rule").get().is_some()>
                        <label for="rule_groups">{both("每行一个病种：名称,金额（元）", "One group a line: name,amount (yuan)")}</label>
                        <textarea id="rule_groups" rows="4" prop:value=move || groups.get() on:input=move |ev| groups.set(event_target_value(&ev))></textarea>
                        <span class="field-error" aria-live="polite">{move || err("rule").get()}</span>
                    </div>
                }.into_any(),
                _ => view! {
                    <TextField id="rule_a" label=both("起付线（元）", "Deductible (yuan)") hint=blank value=a error=err("rule") kind=InputKind::MONEY/>
                    <TextField id="rule_b" label=both("第一次住院给付比例（%）", "First stay share (%)") hint=blank value=b error=err("rule") kind=InputKind::MONEY/>
                    <TextField id="rule_c" label=both("第一次住院最高（元）", "First stay cap (yuan)") hint=blank value=c error=err("rule") kind=InputKind::MONEY/>
                    <TextField id="rule_d" label=both("第二次及以后给付比例（%，可不填）", "Later stays share (%, optional)") hint=blank value=d error=err("rule") kind=InputKind::MONEY/>
                    <TextField id="rule_e" label=both("第二次及以后最高（元）", "Later stays cap (yuan)") hint=blank value=e error=err("rule") kind=InputKind::MONEY/>
                }.into_any(),
            }}
            <p class="form-message" role="alert">{move || message.get()}</p>
            <p class="ok-text" role="status">{move || saved.get().then(|| i18n.t().saved_note)}</p>
            <button type="submit" class="btn btn-primary btn-block" data-test="save-plan">{both("新开互助计划", "New aid plan")}</button>
        </form>
    }
}
