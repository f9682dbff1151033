//! 创业担保贷款: the pre-check (answered on the phone by the shared rules, no
//! round trip), the application in five short steps saved as a draft after
//! each, and an application's page with its timeline and repayment schedule.

pub mod apply;
pub mod detail;

use std::collections::BTreeMap;

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use unioncard_api::identity::{gender_of_masked, Gender};
use unioncard_api::loans::{
    BusinessKind, EligibilityInput, EmploymentStatus, LoanInput, LoanRules, LoanStatus, LoanView,
    Partner, PreCheckAnswers, PreCheckVerdict,
};
use unioncard_api::offers::yuan;

use crate::api;
use crate::components::choice::{Check, Choice};
use crate::components::field::{InputKind, TextField};
use crate::components::later::Later;
use crate::components::shell::SignInFor;
use crate::components::status::{loaded, AsOf};
use crate::i18n::{both, tr, use_i18n, Strings};
use crate::session::{use_session, SessionState};
use unioncard_api::identity::Date;
use unioncard_api::money::parse_yuan;

/// What the person has answered so far, one signal per field.
#[derive(Clone, Copy)]
pub struct LoanForm {
    /// `registered_unemployed` …
    pub employment: RwSignal<String>,
    /// A college graduate.
    pub graduate: RwSignal<bool>,
    /// Local household registration: `yes`, `no`, or empty (not answered).
    pub hukou: RwSignal<String>,
    /// Years living here.
    pub residence: RwSignal<String>,
    /// `catering` …
    pub kind: RwSignal<String>,
    /// `YYYY-MM-DD`.
    pub started: RwSignal<String>,
    /// Yuan.
    pub amount: RwSignal<String>,
    /// Months.
    pub term: RwSignal<String>,
    /// Partners (name, ID number).
    pub partners: RwSignal<Vec<(RwSignal<String>, RwSignal<String>)>>,
    /// Business name.
    pub name: RwSignal<String>,
    /// Business address.
    pub address: RwSignal<String>,
    /// What the money is for.
    pub purpose: RwSignal<String>,
    /// Problems per field, from the rules here or the server.
    pub errors: RwSignal<BTreeMap<String, String>>,
}

impl Default for LoanForm {
    fn default() -> Self {
        LoanForm {
            // Empty: the person answers; nothing is chosen for them.
            employment: RwSignal::new(String::new()),
            graduate: RwSignal::new(false),
            hukou: RwSignal::new(String::new()),
            residence: RwSignal::new(String::new()),
            kind: RwSignal::new(String::new()),
            started: RwSignal::new(String::new()),
            amount: RwSignal::new(String::new()),
            term: RwSignal::new("24".into()),
            partners: RwSignal::new(Vec::new()),
            name: RwSignal::new(String::new()),
            address: RwSignal::new(String::new()),
            purpose: RwSignal::new(String::new()),
            errors: RwSignal::new(BTreeMap::new()),
        }
    }
}

impl LoanForm {
    /// A form holding an application already saved.
    pub fn from_view(v: &LoanView) -> LoanForm {
        let f = LoanForm::default();
        let x = &v.input.facts;
        f.employment.set(x.employment_status.as_str().into());
        f.graduate.set(x.college_graduate);
        f.hukou.set(if x.local_hukou { "yes" } else { "no" }.into());
        f.residence.set(if x.residence_years == 0 {
            String::new()
        } else {
            x.residence_years.to_string()
        });
        f.kind.set(x.business_kind.as_str().into());
        f.started.set(x.business_started_on.clone());
        f.amount.set(if x.amount_fen == 0 {
            String::new()
        } else {
            (x.amount_fen / 100).to_string()
        });
        f.term.set(x.term_months.max(1).to_string());
        f.partners.set(
            x.partners
                .iter()
                .map(|p| {
                    (
                        RwSignal::new(p.name.clone()),
                        RwSignal::new(p.id_number.clone()),
                    )
                })
                .collect(),
        );
        f.name.set(v.input.business_name.clone());
        f.address.set(v.input.business_address.clone());
        f.purpose.set(v.input.purpose.clone());
        f
    }

    /// The answers as the contract takes them (unparsable numbers as 0, which
    /// the rules then name).
    pub fn input(&self, draft: bool) -> LoanInput {
        LoanInput {
            facts: EligibilityInput {
                employment_status: EmploymentStatus::from_db(&self.employment.get())
                    .unwrap_or_default(),
                college_graduate: self.graduate.get(),
                local_hukou: self.hukou.get() == "yes",
                residence_years: self.residence.get().trim().parse().unwrap_or(0),
                business_kind: BusinessKind::from_db(&self.kind.get()).unwrap_or_default(),
                business_started_on: self.started.get(),
                amount_fen: parse_yuan(&self.amount.get()).unwrap_or(0),
                term_months: self.term.get().parse().unwrap_or(0),
                partners: self.partner_list(),
            },
            business_name: self.name.get(),
            business_address: self.address.get(),
            purpose: self.purpose.get(),
            draft,
        }
    }

    /// The partners as typed.
    fn partner_list(&self) -> Vec<Partner> {
        self.partners
            .get()
            .iter()
            .map(|(n, i)| Partner {
                name: n.get(),
                id_number: i.get(),
            })
            .collect()
    }

    /// The pre-check's answers: only what the person has actually given.
    pub fn answers(&self) -> PreCheckAnswers {
        let hukou = match self.hukou.get().as_str() {
            "yes" => Some(true),
            "no" => Some(false),
            _ => None,
        };
        let residence = self.residence.get();
        PreCheckAnswers {
            employment_status: EmploymentStatus::from_db(&self.employment.get()),
            college_graduate: self.graduate.get(),
            local_hukou: hukou,
            residence_years: (hukou == Some(false))
                .then(|| residence.trim().parse().ok())
                .flatten(),
            business_kind: BusinessKind::from_db(&self.kind.get()),
            business_started_on: Date::parse_iso(&self.started.get()),
            amount_fen: parse_yuan(&self.amount.get()).filter(|&f| f > 0),
            partners: self.partner_list(),
        }
    }

    /// A field's problem, reactive.
    pub fn err(self, field: &'static str) -> Signal<Option<String>> {
        Signal::derive(move || self.errors.get().get(field).cloned())
    }

    /// Clears a field's problem when it is edited.
    pub fn clear(self, field: &'static str) -> Callback<()> {
        Callback::new(move |_| {
            self.errors.update(|e| {
                e.remove(field);
            })
        })
    }
}

/// Step 1: who is applying.
#[component]
pub fn ApplicantFields(form: LoanForm) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Choice id="employment_status" label=tr(|s| s.employment_status) value=form.employment ask=true
            options=EmploymentStatus::ALL.into_iter().map(|e| (e.as_str(), Signal::derive(move || e.label(i18n.lang.get()).to_string()))).collect()/>
        <Check id="college_graduate" label=tr(|s| s.college_graduate)value=form.graduate/>
        <Choice id="local_hukou" label=tr(|s| s.local_hukou) value=form.hukou ask=true
            options=vec![("yes", Signal::derive(move || i18n.t().answer_yes.to_string())), ("no", Signal::derive(move || i18n.t().answer_no.to_string()))]/>
        {move || (form.hukou.get() == "no").then(|| view! {
            <TextField id="residence_years" label=both("在本地居住年数", "Years living here") hint=Signal::derive(|| "") value=form.residence
                error=form.err("residence_years") kind=InputKind::COUNT on_input=form.clear("residence_years")/>
        })}
    }
}

/// Step 2: the business (`full`: with name, address and purpose).
#[component]
pub fn BusinessFields(form: LoanForm, full: bool) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Choice id="business_kind" label=both("项目类型", "Kind of business") value=form.kind ask=true
            options=BusinessKind::ALL.into_iter().map(|k| (k.as_str(), Signal::derive(move || k.label(i18n.lang.get()).to_string()))).collect()/>
        <TextField id="business_started_on" label=both("开始经营日期", "Business started on") hint=Signal::derive(|| "") value=form.started
            error=form.err("business_started_on") kind=InputKind::DATE on_input=form.clear("business_started_on")/>
        {full.then(|| view! {
            <TextField id="business_name" label=both("项目（店铺）名称", "Business name") hint=Signal::derive(|| "") value=form.name
                error=form.err("business_name") kind=InputKind::TEXT on_input=form.clear("business_name")/>
            <TextField id="business_address" label=both("经营地址", "Business address") hint=Signal::derive(|| "") value=form.address
                error=form.err("business_address") kind=InputKind::TEXT on_input=form.clear("business_address")/>
            <div class="field" class:invalid=move || form.err("purpose").get().is_some()>
                <label for="purpose">{both("贷款用途", "What the money is for")}</label>
                <textarea id="purpose" rows="3" aria-describedby="purpose-error" prop:value=move || form.purpose.get()
                    on:input=move |ev| { form.purpose.set(event_target_value(&ev)); form.clear("purpose").run(()); }></textarea>
                <span class="field-error" id="purpose-error" aria-live="polite">{move || form.err("purpose").get()}</span>
            </div>
        })}
    }
}

/// Step 3: how much and how long.
#[component]
pub fn AmountFields(form: LoanForm) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <TextField id="amount_fen" label=both("申请金额（元）", "Amount (yuan)") hint=Signal::derive(|| "") value=form.amount
            error=form.err("amount_fen") kind=InputKind::MONEY on_input=form.clear("amount_fen")/>
        <Choice id="term_months" label=both("期限（月）", "Term (months)")value=form.term
            options=["6", "12", "18", "24"].into_iter().map(|m| (m, Signal::derive(move || format!("{m} {}", i18n.t().months_unit)))).collect()/>
    }
}

/// Step 4: partners, each a roster member.
#[component]
pub fn PartnerFields(form: LoanForm) -> impl IntoView {
    let add = move |_| {
        form.partners
            .update(|p| p.push((RwSignal::new(String::new()), RwSignal::new(String::new()))))
    };
    view! {
        <p class="hint">{both("没有合伙人可以不填；合伙人需是工会会员", "Leave empty without partners; partners must be union members")}</p>
        {move || form.partners.get().into_iter().enumerate().map(|(n, (name, id))| {
            let remove = move |_| form.partners.update(|p| { p.remove(n); });
            view! {
                <fieldset class="partner">
                    <legend>{both("合伙人", "Partners")}" "{n + 1}</legend>
                    <div class="field">
                        <label for=format!("partner_name_{n}")>{both("合伙人姓名", "Partner's name")}</label>
                        <input id=format!("partner_name_{n}") autocomplete="off" prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
                    </div>
                    <div class="field">
                        <label for=format!("partner_id_{n}")>{both("合伙人身份证号", "Partner's ID number")}</label>
                        <input id=format!("partner_id_{n}") autocomplete="off" maxlength="18" prop:value=move || id.get() on:input=move |ev| id.set(event_target_value(&ev))/>
                    </div>
                    <button type="button" class="btn btn-link" on:click=remove>{tr(|s| s.remove)}</button>
                </fieldset>
            }
        }).collect_view()}
        <span class="field-error" aria-live="polite">{move || form.err("partners").get()}</span>
        <button type="button" class="btn btn-secondary btn-block" on:click=add>{both("添加合伙人", "Add a partner")}</button>
    }
}

/// The signed-in member's sex, from the masked ID number the profile carries.
fn my_gender() -> Option<Gender> {
    match use_session().state.get() {
        SessionState::User(me) => me.id_number_masked.as_deref().and_then(gender_of_masked),
        _ => None,
    }
}

/// `/loans`: my applications, and the pre-check.
#[component]
pub fn LoansPage() -> impl IntoView {
    let session = use_session();
    let mine = LocalResource::new(move || {
        // With no signal the session is unknown: the loans this phone kept
        // (if anyone's are kept, theirs) still show.
        let signed_in = matches!(
            session.state.get(),
            SessionState::User(_) | SessionState::Unknown(_)
        );
        async move {
            if signed_in {
                api::my_loans().await.map(Some)
            } else {
                Ok(None)
            }
        }
    });
    view! {
        <section class="page">
            <h2>{both("创业担保贷款", "Micro guaranteed loans")}</h2>
            <p class="intro">{both("工会担保、财政贴息，扶持登记失业人员和困难职工创业。先花一分钟测一测能不能贷、最多贷多少。", "The union guarantees, the government pays the interest: loans for unemployed members and members in hardship starting a small business. Take a minute to see whether you qualify and how much.")}</p>
            {loaded(mine, move |v| match v {
                None => view! { <SignInFor why=both("请先登录：测算会用到会员名册中的信息（如性别），申请也要以会员身份提交。登录后会回到这里。", "Sign in first: the check uses your roster record (such as your sex), and applications are made as a member. You will come back here.")/> }.into_any(),
                Some(kept) => {
                    let p = kept.value;
                    let open = p.items.iter().any(|l| l.status.is_open());
                    view! {
                        <h3 id="mine">{both("我的贷款", "My loans")}</h3>
                        <AsOf as_of=kept.as_of/>
                        {if p.items.is_empty() {
                            view! { <p class="hint" data-test="no-loans">{both("您还没有贷款申请", "You have no loan applications yet")}</p> }.into_any()
                        } else {
                            view! {
                                <ul class="claim-list" data-test="my-loans">
                                    {p.items.into_iter().map(|l| view! { <LoanLine l=l/> }).collect_view()}
                                </ul>
                            }.into_any()
                        }}
                        // The pre-check's form comes below the member's
                        // loans, in a task of its own.
                        {(!open).then(|| view! { <Later><PreCheck/></Later> })}
                    }.into_any()
                }
            })}
        </section>
    }
}

#[component]
fn LoanLine(l: LoanView) -> impl IntoView {
    let i18n = use_i18n();
    let status = l.status;
    let href = if status == LoanStatus::Draft {
        format!("/loans/{}/apply", l.id)
    } else {
        format!("/loans/{}", l.id)
    };
    view! {
        <li>
            <A href=href attr:class="claim-line">
                <span>{l.input.business_name.clone()}<br/><small>{yuan(l.input.facts.amount_fen)}</small></span>
                <span class="claim-right">
                    <span class=format!("status-pill {}", status.as_str())>{move || status.label(i18n.lang.get())}</span>
                    {(status == LoanStatus::Draft).then(|| view! { <span class="num">{both("继续填写", "Continue")}</span> })}
                </span>
            </A>
        </li>
    }
}

/// The pre-check: the shared rules answer on the phone as the member types.
#[component]
fn PreCheck() -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let form = LoanForm::default();
    let rules = LoanRules::default();
    let today = crate::clock::today();
    let answer = Memo::new(move |_| {
        let gender = my_gender().unwrap_or(Gender::Male);
        rules.precheck(gender, &form.answers(), today)
    });
    let pending = RwSignal::new(false);
    let message = RwSignal::new(None::<String>);
    let key = api::new_key();
    let start = move |_| {
        if pending.get_untracked() {
            return;
        }
        pending.set(true);
        let input = form.input(true);
        let navigate = navigate.clone();
        let key = key.clone();
        spawn_local(async move {
            match api::create_loan(&input, &key).await {
                Ok(l) => navigate(&format!("/loans/{}/apply?step=2", l.id), Default::default()),
                Err(f) => {
                    form.errors.set(f.fields());
                    message.set(Some(f.message()));
                    pending.set(false);
                }
            }
        });
    };
    view! {
        <h3>{both("测一测能不能贷", "Can I borrow?")}</h3>
        <form class="panel" on:submit=|ev: leptos::ev::SubmitEvent| ev.prevent_default() data-test="precheck">
            <ApplicantFields form=form/>
            <BusinessFields form=form full=false/>
            <AmountFields form=form/>
            <PartnerFields form=form/>
        </form>
        {move || {
            let t: &Strings = i18n.t();
            let lang = i18n.lang.get();
            match answer.get() {
                PreCheckVerdict::Open(_) => view! {
                    <div class="panel" aria-live="polite" data-test="precheck-answer">
                        <p class="hint">{t.precheck_open}</p>
                    </div>
                }.into_any(),
                PreCheckVerdict::No(reasons) => view! {
                    <div class="panel warn-note" aria-live="polite" data-test="precheck-answer">
                        <p><strong>{t.precheck_no}</strong>" · "{t.what_to_change}</p>
                        <ul>{reasons.into_iter().map(|r| view! { <li>{r.message(lang)}</li> }).collect_view()}</ul>
                    </div>
                }.into_any(),
                PreCheckVerdict::Yes { max_amount_fen } => view! {
                    <div class="panel ok-note" aria-live="polite" data-test="precheck-answer">
                        <p><strong>{t.precheck_ok}</strong></p>
                        <p class="estimate-figure"><span>{t.max_amount}</span><strong class="num" data-test="max-amount">{yuan(max_amount_fen)}</strong></p>
                    </div>
                }.into_any(),
            }
        }}
        <p class="form-message" role="alert">{move || message.get()}</p>
        <button type="button" class="btn btn-primary btn-block" data-test="start-application" on:click=start
            disabled=move || pending.get() || !matches!(answer.get(), PreCheckVerdict::Yes { .. })>{both("开始申请", "Apply")}</button>
    }
}
