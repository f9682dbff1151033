//! The bill fields a plan's rule needs (and only those), shared by the
//! estimator and the claim form, and the estimate drawn step by step.

use std::collections::BTreeMap;

use leptos::prelude::*;
use unioncard_api::aid::{self, Bill, CapUse, Estimate, HospitalGrade, PayoutRule};
use unioncard_api::offers::yuan;

use crate::components::field::{InputKind, TextField};
use crate::i18n::{both, tr, use_i18n};
use unioncard_api::money::parse_yuan;

/// What the person typed, as text, one signal per field.
#[derive(Clone, Copy)]
pub struct BillForm {
    /// `primary`, `secondary`, `tertiary` or empty.
    pub grade: RwSignal<String>,
    /// "1", "2", "3".
    pub stay: RwSignal<String>,
    /// Days in hospital.
    pub days: RwSignal<String>,
    /// Yuan.
    pub total: RwSignal<String>,
    /// Yuan.
    pub insurance: RwSignal<String>,
    /// Yuan.
    pub self_pay: RwSignal<String>,
    /// A disease group code or empty.
    pub group: RwSignal<String>,
    /// Problems per field (from parsing here, or from the server).
    pub errors: RwSignal<BTreeMap<String, String>>,
}

/// Yuan text to fen; empty is zero.
fn fen(s: &str) -> Option<i64> {
    let t = s.trim();
    if t.is_empty()
        || t.trim_start_matches('0')
            .trim_start_matches('.')
            .trim_start_matches('0')
            .is_empty()
    {
        Some(0)
    } else {
        parse_yuan(t)
    }
}

fn yuan_text(fen: i64) -> String {
    if fen == 0 {
        String::new()
    } else if fen % 100 == 0 {
        (fen / 100).to_string()
    } else {
        format!("{}.{:02}", fen / 100, fen % 100)
    }
}

impl Default for BillForm {
    /// An empty form (first stay).
    fn default() -> BillForm {
        BillForm {
            grade: RwSignal::new(String::new()),
            stay: RwSignal::new("1".into()),
            days: RwSignal::new(String::new()),
            total: RwSignal::new(String::new()),
            insurance: RwSignal::new(String::new()),
            self_pay: RwSignal::new(String::new()),
            group: RwSignal::new(String::new()),
            errors: RwSignal::new(BTreeMap::new()),
        }
    }
}

impl BillForm {
    /// A form holding a bill already filed.
    pub fn from_bill(b: &Bill) -> BillForm {
        let f = BillForm::default();
        f.grade.set(
            b.hospital_grade
                .map(|g| g.as_str().to_string())
                .unwrap_or_default(),
        );
        f.stay.set(b.stay_number.to_string());
        f.days.set(if b.hospital_days == 0 {
            String::new()
        } else {
            b.hospital_days.to_string()
        });
        f.total.set(yuan_text(b.total_cost_fen));
        f.insurance.set(yuan_text(b.insurance_paid_fen));
        f.self_pay.set(yuan_text(b.self_pay_fen));
        f.group.set(b.disease_group.clone().unwrap_or_default());
        f
    }

    /// The bill, or the fields that are wrong (with the words to show).
    pub fn bill(&self, rule: &PayoutRule) -> Result<Bill, BTreeMap<String, String>> {
        let t = crate::i18n::strings(crate::i18n::current_lang());
        let mut bad = BTreeMap::new();
        let mut money = |field: &str, s: &str| {
            fen(s).unwrap_or_else(|| {
                bad.insert(field.to_string(), t.bad_amount.to_string());
                0
            })
        };
        let total = money("total_cost_fen", &self.total.get());
        let insurance = money("insurance_paid_fen", &self.insurance.get());
        let self_pay = money("self_pay_fen", &self.self_pay.get());
        let days_text = self.days.get();
        let days = if days_text.trim().is_empty() {
            0
        } else {
            days_text.trim().parse().unwrap_or_else(|_| {
                bad.insert("hospital_days".into(), t.bad_count.to_string());
                0
            })
        };
        let group = self.group.get();
        let bill = Bill {
            hospital_grade: HospitalGrade::from_db(&self.grade.get()),
            stay_number: self.stay.get().parse().unwrap_or(1),
            hospital_days: days,
            total_cost_fen: total,
            insurance_paid_fen: insurance,
            self_pay_fen: self_pay,
            disease_group: (!group.is_empty()).then_some(group),
        };
        if let Err(p) = bill.check(rule) {
            for (field, problem) in p.0 {
                bad.entry(field.to_string())
                    .or_insert_with(|| problem.message(crate::i18n::current_lang()).to_string());
            }
        }
        if bad.is_empty() {
            Ok(bill)
        } else {
            Err(bad)
        }
    }

    /// Whether the person has typed anything that matters yet.
    pub fn touched(&self) -> bool {
        !(self.self_pay.get().is_empty()
            && self.days.get().is_empty()
            && self.grade.get().is_empty()
            && self.group.get().is_empty())
    }
}

/// The inputs a rule needs. `stay_fixed`: the claim form, where the server
/// counts the stay, shows it instead of asking.
#[component]
pub fn BillFields(
    form: BillForm,
    rule: PayoutRule,
    #[prop(optional)] stay_fixed: Option<i64>,
) -> impl IntoView {
    let i18n = use_i18n();
    let err =
        move |field: &'static str| Signal::derive(move || form.errors.get().get(field).cloned());
    let clear = move |field: &'static str| {
        Callback::new(move |_| {
            form.errors.update(|e| {
                e.remove(field);
            })
        })
    };
    let groups = rule.groups().to_vec();
    let is_share = matches!(rule, PayoutRule::SelfPayShare { .. });
    let needs_grade = rule.needs_grade();
    let needs_days = rule.needs_days();
    let needs_costs = rule.needs_costs();
    let needs_group = rule.needs_group();
    let group_select = (!groups.is_empty()).then(|| {
        view! {
            <div class="field" class:invalid=move || err("disease_group").get().is_some()>
                <label for="disease_group">{tr(|s| s.disease_group)}</label>
                <select id="disease_group" prop:value=move || form.group.get()
                    aria-describedby="disease_group-error"
                    on:change=move |ev| { form.group.set(event_target_value(&ev)); clear("disease_group").run(()); }>
                    // Optional groups (a daily allowance's higher rate): the
                    // empty choice says what it means, not a bare dash.
                    <option value="">{move || if needs_group { i18n.t().choose } else { i18n.t().no_group }}</option>
                    {groups.into_iter().map(|g| {
                        let code = g.code.clone();
                        view! { <option value=code>{move || format!("{} ({})", g.name(i18n.lang.get()), yuan(g.amount_fen))}</option> }
                    }).collect_view()}
                </select>
                <span class="field-error" id="disease_group-error" aria-live="polite">{move || err("disease_group").get()}</span>
            </div>
        }
    });
    view! {
        {needs_grade.then(|| view! {
            <div class="field" class:invalid=move || err("hospital_grade").get().is_some()>
                <label for="hospital_grade">{tr(|s| s.hospital_grade)}</label>
                <select id="hospital_grade" prop:value=move || form.grade.get()
                    aria-describedby="hospital_grade-error"
                    on:change=move |ev| { form.grade.set(event_target_value(&ev)); clear("hospital_grade").run(()); }>
                    <option value="">{tr(|s| s.choose)}</option>
                    {HospitalGrade::ALL.into_iter().rev().map(|g| view! {
                        <option value=g.as_str()>{move || g.label(i18n.lang.get())}</option>
                    }).collect_view()}
                </select>
                <span class="field-error" id="hospital_grade-error" aria-live="polite">{move || err("hospital_grade").get()}</span>
            </div>
        })}
        {group_select}
        {is_share.then(|| match stay_fixed {
            Some(n) => view! {
                <p class="hint">{move || i18n.t().stay_number_fixed.replace("{n}", &n.to_string())}</p>
            }.into_any(),
            None => view! {
                <div class="field">
                    <label for="stay_number">{tr(|s| s.stay_number)}</label>
                    <select id="stay_number" prop:value=move || form.stay.get() on:change=move |ev| form.stay.set(event_target_value(&ev))>
                        <option value="1">"1"</option>
                        <option value="2">"2"</option>
                        <option value="3">"3+"</option>
                    </select>
                </div>
            }.into_any(),
        })}
        {needs_days.then(|| view! {
            <TextField id="hospital_days" label=tr(|s| s.hospital_days) hint=Signal::derive(|| "") value=form.days
                error=err("hospital_days") kind=InputKind::COUNT on_input=clear("hospital_days")/>
        })}
        {needs_costs.then(|| view! {
            <TextField id="total_cost_fen" label=tr(|s| s.total_cost) hint=Signal::derive(|| "") value=form.total
                error=err("total_cost_fen") kind=InputKind::MONEY on_input=clear("total_cost_fen")/>
            <TextField id="insurance_paid_fen" label=tr(|s| s.insurance_paid) hint=Signal::derive(|| "") value=form.insurance
                error=err("insurance_paid_fen") kind=InputKind::MONEY on_input=clear("insurance_paid_fen")/>
            <TextField id="self_pay_fen" label=tr(|s| s.self_pay) hint=both("结算单上“个人自付”一栏", "The “self-paid” line of the settlement sheet") value=form.self_pay
                error=err("self_pay_fen") kind=InputKind::MONEY on_input=clear("self_pay_fen")/>
        })}
    }
}

/// What a bill field is called on the form.
fn field_label(t: &crate::i18n::Strings, field: &str) -> &'static str {
    match field {
        "hospital_grade" => t.hospital_grade,
        "disease_group" => t.disease_group,
        "hospital_days" => t.hospital_days,
        "total_cost_fen" => t.total_cost,
        "insurance_paid_fen" => t.insurance_paid,
        "self_pay_fen" => t.self_pay,
        _ => t.stay_number,
    }
}

/// The payout and how it is worked out, live as the person types.
#[component]
pub fn LiveEstimate(
    form: BillForm,
    rule: PayoutRule,
    cap: CapUse,
    #[prop(optional)] stay_fixed: Option<i64>,
) -> impl IntoView {
    let i18n = use_i18n();
    // What the bill gives, or what is still missing or wrong for it: an
    // answer never vanishes without a word (e.g. "十天" typed as the days).
    let estimate = Memo::new(move |_| {
        let lang = i18n.lang.get();
        form.bill(&rule).map(|b| {
            let b = Bill {
                stay_number: stay_fixed.unwrap_or(b.stay_number),
                ..b
            };
            aid::estimate(&rule, cap, &b, lang)
        })
    });
    view! {
        {move || match estimate.get() {
            Ok(e) if form.touched() => view! { <EstimateSteps estimate=e/> }.into_any(),
            Err(bad) if form.touched() => view! {
                <div class="panel warn-note" aria-live="polite" data-test="estimate-blocked">
                    <p><strong>{both("还差这些才能测算：", "To work it out, this is still needed:")}</strong></p>
                    <ul>{bad.into_iter().map(|(field, m)| {
                        let label = field_label(i18n.t(), &field);
                        view! { <li>{label}"："{m}</li> }
                    }).collect_view()}</ul>
                </div>
            }.into_any(),
            _ => view! { <p class="hint">{both("测算仅供参考，以工会审核结果为准", "An estimate only; the union's review decides")}</p> }.into_any(),
        }}
    }
}

/// An estimate's figure and its steps.
#[component]
pub fn EstimateSteps(estimate: Estimate) -> impl IntoView {
    let steps = estimate.steps.len();
    view! {
        <div class="panel estimate" aria-live="polite" data-test="estimate">
            <p class="estimate-figure"><span>{both("预计可领", "Estimated payout")}</span>
                <strong data-test="payout">{yuan(estimate.payout_fen)}</strong></p>
            <ol class="steps" aria-label=both("测算明细", "How it is worked out")>
                {estimate.steps.into_iter().take(steps.saturating_sub(1)).map(|s| view! {
                    <li><span>{s.label}</span><span class="num">{yuan(s.amount_fen)}</span></li>
                }).collect_view()}
            </ol>
            <p class="hint">{both("测算仅供参考，以工会审核结果为准", "An estimate only; the union's review decides")}</p>
        </div>
    }
}
