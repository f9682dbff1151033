//! 维权求助 (`/rights`): the 12351 hotline, reporting a dispute with an
//! employer (a member signed in, or any worker with name, mobile and ID
//! number), and then the worker's cases: 我的维权案件 when signed in, a
//! look-up by mobile and ID number otherwise. One case is [`case`], joining
//! a co-worker's collective case is [`join`].
//!
//! Its words are written here in both languages (`both`): the screens live
//! in the `rights` chunk, so the first load never carries them.

pub mod case;
pub mod join;

use std::collections::BTreeMap;

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use unioncard_api::identity::{IdNumber, PersonName, Phone};
use unioncard_api::money::parse_yuan;
use unioncard_api::rights::{CaseInput, CaseKind, CaseLookup, CaseView, FACTS_CHARS};

use crate::api;
use crate::components::field::{InputKind, TextField};
use crate::components::hotline::Hotline;
use crate::components::status::{loaded, session_known};
use crate::i18n::{both, tr, use_i18n, Lang};
use crate::session::use_session;
use case::CaseDetail;

/// A form's problems by field: the phone's own checks first, then what the
/// server said (a 422's `fields`).
#[derive(Clone, Copy)]
struct Problems(RwSignal<BTreeMap<String, String>>);

impl Problems {
    fn new() -> Problems {
        Problems(RwSignal::new(BTreeMap::new()))
    }

    /// The problem with one field, if any.
    fn of(self, field: &'static str) -> Signal<Option<String>> {
        Signal::derive(move || self.0.with(|m| m.get(field).cloned()))
    }

    /// Forgets a field's problem once it is edited.
    fn clear(self, field: &'static str) -> Callback<()> {
        Callback::new(move |_| {
            self.0.update(|m| {
                m.remove(field);
            })
        })
    }

    fn set(self, found: BTreeMap<String, String>) {
        self.0.set(found);
    }
}

/// Text typed into a field, `None` when left blank.
fn given(s: RwSignal<String>) -> Option<String> {
    Some(s.get_untracked().trim().to_string()).filter(|s| !s.is_empty())
}

/// Who a worker without an account is: what the union reaches them by.
#[derive(Clone, Copy)]
struct Identity {
    name: RwSignal<String>,
    phone: RwSignal<String>,
    id_number: RwSignal<String>,
}

impl Identity {
    fn new() -> Identity {
        Identity {
            name: RwSignal::new(String::new()),
            phone: RwSignal::new(String::new()),
            id_number: RwSignal::new(String::new()),
        }
    }

    /// Adds what the shared rules find wrong with the three to `found`.
    fn check(self, lang: Lang, found: &mut BTreeMap<String, String>) {
        let problems = [
            ("name", PersonName::parse(&self.name.get_untracked()).err()),
            ("phone", Phone::parse(&self.phone.get_untracked()).err()),
            (
                "id_number",
                IdNumber::parse(&self.id_number.get_untracked()).err(),
            ),
        ];
        for (field, p) in problems {
            if let Some(p) = p {
                found.insert(field.into(), p.message(lang).into());
            }
        }
    }

    /// Name, mobile and ID number as sent (none for someone signed in).
    fn sent(self, signed_in: bool) -> [Option<String>; 3] {
        if signed_in {
            return [None, None, None];
        }
        [given(self.name), given(self.phone), given(self.id_number)]
    }
}

/// Name, mobile and ID number, for a worker without an account.
#[component]
fn IdentityFields(who: Identity, problems: Problems) -> impl IntoView {
    view! {
        <fieldset class="choice" data-test="identity">
            <legend>{both("您的联系方式", "How the union reaches you")}</legend>
            <p class="hint">{both(
                "不需要注册账号。工会用这些信息联系您、核实身份；身份证号加密保存。",
                "You need no account. The union uses these to reach you and to check who you are; your ID number is stored encrypted.",
            )}</p>
            <TextField id="name" label=tr(|s| s.name) hint=tr(|s| s.name_hint) value=who.name
                error=problems.of("name") kind=InputKind::NAME on_input=problems.clear("name")/>
            <TextField id="phone" label=tr(|s| s.phone) hint=tr(|s| s.phone_hint) value=who.phone
                error=problems.of("phone") kind=InputKind::PHONE on_input=problems.clear("phone")/>
            <TextField id="id_number" label=tr(|s| s.id_number) hint=tr(|s| s.id_number_hint) value=who.id_number
                error=problems.of("id_number") kind=InputKind::ID_NUMBER on_input=problems.clear("id_number")/>
        </fieldset>
    }
}

/// `/rights`.
#[component]
pub fn RightsPage() -> impl IntoView {
    let session = use_session();
    view! {
        <section class="page">
            <h2>{both("维权求助", "Help with your rights")}</h2>
            <p class="intro">{both(
                "被拖欠工资、受了工伤、被违法解除劳动合同、单位不交社保？工会帮职工维权，会员和非会员都可以求助，不收费用。情况紧急请直接拨打 12351。",
                "Wages unpaid, hurt at work, dismissed unlawfully, no social insurance paid? The union stands with workers, members or not, free of charge. If it is urgent, call 12351.",
            )}</p>
            <Hotline primary=true/>
            <div class="load-slot">
                {session_known(move || session.state.get(), |_| None, |who| {
                    let signed_in = who.is_some();
                    view! {
                        <ReportForm signed_in=signed_in/>
                        {if signed_in {
                            view! { <MyCases/> }.into_any()
                        } else {
                            view! { <Lookup/> }.into_any()
                        }}
                        <p><A href="/rights/join" attr:class="btn btn-secondary btn-block" attr:data-test="join-case-link">
                            {both("工友发来了加入码？加入集体案件", "Got a join code from a co-worker? Join their case")}
                        </A></p>
                    }
                })}
            </div>
        </section>
    }
}

/// A credit code: 18 letters and digits, a text keyboard.
const CREDIT_CODE: InputKind = InputKind {
    input_type: "text",
    inputmode: "text",
    autocomplete: "off",
    maxlength: 18,
};

/// An address: longer than a name.
const ADDRESS: InputKind = InputKind {
    input_type: "text",
    inputmode: "text",
    autocomplete: "off",
    maxlength: 200,
};

/// The report: what, against whom, where, what happened, how much, how many,
/// since when; and who, for someone not signed in.
#[component]
fn ReportForm(signed_in: bool) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let districts = LocalResource::new(api::rights_districts);
    let kind = RwSignal::new(None::<CaseKind>);
    let employer = RwSignal::new(String::new());
    let credit_code = RwSignal::new(String::new());
    let district = RwSignal::new(String::new());
    let address = RwSignal::new(String::new());
    let facts = RwSignal::new(String::new());
    let amount = RwSignal::new(String::new());
    let workers = RwSignal::new("1".to_string());
    let dispute_on = RwSignal::new(String::new());
    let who = Identity::new();
    let problems = Problems::new();
    let message = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);
    let reported = RwSignal::new(None::<CaseView>);
    // One key per report: a double tap or a retry after a dropped answer
    // files one case; a refusal takes a new one (the fields will change).
    let key = StoredValue::new(api::new_key());
    let today = crate::clock::today();
    let collective = move || workers.get().trim().parse::<i64>().is_ok_and(|n| n > 1);

    let send = move |ev: SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let lang = i18n.lang.get_untracked();
        let typed_amount = amount.get_untracked();
        let [name, phone, id_number] = who.sent(signed_in);
        let input = CaseInput {
            kind: kind
                .get_untracked()
                .map(|k| k.as_str().to_string())
                .unwrap_or_default(),
            employer_name: employer.get_untracked(),
            employer_credit_code: given(credit_code),
            district: given(district),
            address: given(address),
            facts: facts.get_untracked(),
            amount_fen: parse_yuan(&typed_amount),
            workers: workers.get_untracked().trim().parse().unwrap_or(0),
            dispute_on: given(dispute_on),
            name,
            phone,
            id_number,
        };
        // The shared rules first, every problem named at once.
        let mut found = match input.parse(today) {
            Ok(_) => BTreeMap::new(),
            Err(p) => p.to_map(lang),
        };
        if !typed_amount.trim().is_empty() && input.amount_fen.is_none() {
            found.insert("amount_fen".into(), i18n.t().bad_amount.into());
        }
        if !signed_in {
            who.check(lang, &mut found);
        }
        if !found.is_empty() {
            problems.set(found);
            message.set(Some(i18n.t().form_has_errors.into()));
            crate::pages::account::focus_first_invalid();
            return;
        }
        problems.set(BTreeMap::new());
        message.set(None);
        pending.set(true);
        let navigate = navigate.clone();
        spawn_local(async move {
            match api::report_case(&input, &key.get_value()).await {
                Ok(c) if signed_in => {
                    navigate(&format!("/rights/{}?new=1", c.id), Default::default())
                }
                Ok(c) => {
                    reported.set(Some(c));
                    pending.set(false);
                    window().scroll_to_with_x_and_y(0.0, 0.0);
                }
                Err(f) => {
                    if f.status().is_some() {
                        key.set_value(api::new_key());
                    }
                    problems.set(f.fields());
                    message.set(Some(f.message()));
                    pending.set(false);
                }
            }
        });
    };

    let kind_chip = move |k: CaseKind| {
        view! {
            <button type="button" class="chip" aria-pressed=move || (kind.get() == Some(k)).to_string()
                data-test=format!("kind-{}", k.as_str())
                on:click=move |_| {
                    kind.set(Some(k));
                    problems.clear("kind").run(());
                }>
                {move || k.label(i18n.lang.get())}
            </button>
        }
    };
    let invalid = move |field: &'static str| move || problems.0.with(|m| m.contains_key(field));

    view! {
        {move || reported.get().map(|c| view! {
            <div class="panel ok-note" role="status" data-test="case-reported">
                <p><strong>{both("已提交，工会会尽快联系您", "Sent: the union will contact you soon")}</strong></p>
                <p>{both(
                    "请记下案件编号。以后在本页用手机号和身份证号查询进度。",
                    "Note the case number. Later, look it up on this page with your mobile and ID numbers.",
                )}</p>
            </div>
            <CaseDetail c=c/>
        })}
        // Once sent (without an account) the case shows instead.
        <form class="panel" on:submit=send novalidate data-test="rights-form" hidden=move || reported.get().is_some()>
            <h3>{both("我要求助", "Ask for help")}</h3>
            <fieldset class="field choice" class:invalid=invalid("kind") aria-describedby="kind-error">
                <legend>{both("遇到了什么问题", "What is it about")}</legend>
                <div class="chips wrap" data-test="case-kind">
                    {CaseKind::ALL.into_iter().map(kind_chip).collect_view()}
                </div>
                <span class="field-error" id="kind-error" aria-live="polite">{problems.of("kind")}</span>
            </fieldset>
            <TextField id="employer_name" label=both("用人单位名称", "Employer")
                hint=both("营业执照或劳动合同上的名称", "As on its business licence or your contract")
                value=employer error=problems.of("employer_name") kind=InputKind::TEXT
                on_input=problems.clear("employer_name")/>
            <TextField id="employer_credit_code" label=both("统一社会信用代码（选填）", "Unified social credit code (optional)")
                hint=both("18 位，印在营业执照上", "18 characters, printed on the business licence")
                value=credit_code error=problems.of("employer_credit_code") kind=CREDIT_CODE
                on_input=problems.clear("employer_credit_code")/>
            <div class="field" class:invalid=invalid("district")>
                <label for="district">{both("用人单位所在区", "District of the employer")}</label>
                <span class="hint" id="district-hint">{both("工会按所在区安排受理", "The union of that district takes the case up")}</span>
                <select id="district" data-test="district" aria-describedby="district-hint district-error"
                    aria-invalid=move || invalid("district")().to_string()
                    prop:value=move || district.get()
                    on:change=move |ev| {
                        district.set(event_target_value(&ev));
                        problems.clear("district").run(());
                    }>
                    <option value="">{tr(|s| s.choose)}</option>
                    {move || districts.get().and_then(Result::ok).unwrap_or_default().into_iter().map(|d| {
                        let selected = district.get_untracked() == d;
                        let value = d.clone();
                        view! { <option value=value selected=selected>{d}</option> }
                    }).collect_view()}
                </select>
                <span class="field-error" id="district-error" aria-live="polite">{problems.of("district")}</span>
            </div>
            <TextField id="address" label=both("用人单位地址（选填）", "Employer's address (optional)")
                hint=Signal::derive(|| "") value=address error=problems.of("address") kind=ADDRESS
                on_input=problems.clear("address")/>
            <div class="field" class:invalid=invalid("facts")>
                <label for="facts">{both("发生了什么", "What happened")}</label>
                <span class="hint" id="facts-hint">{both(
                    "至少 10 个字：什么时间、什么事、现在怎样",
                    "At least 10 characters: when, what, and where it stands now",
                )}</span>
                <textarea id="facts" rows="5" maxlength=FACTS_CHARS.to_string() data-test="facts"
                    aria-describedby="facts-hint facts-error" aria-invalid=move || invalid("facts")().to_string()
                    prop:value=move || facts.get()
                    on:input=move |ev| {
                        facts.set(event_target_value(&ev));
                        problems.clear("facts").run(());
                    }></textarea>
                <span class="field-error" id="facts-error" aria-live="polite">{problems.of("facts")}</span>
            </div>
            <TextField id="amount" label=both("涉及金额（元，选填）", "Money at stake (yuan, optional)")
                hint=both("如被拖欠的工资合计", "e.g. the wages owed in all")
                value=amount error=problems.of("amount_fen") kind=InputKind::MONEY
                on_input=problems.clear("amount_fen")/>
            <TextField id="workers" label=both("涉及人数", "Workers affected")
                hint=both("包括您自己", "You included")
                value=workers error=problems.of("workers") kind=InputKind::COUNT
                on_input=problems.clear("workers")/>
            <Show when=collective>
                <p class="panel ok-note" data-test="collective-note">{both(
                    "集体案件：提交后您会得到一个加入码，工友可凭加入码加入",
                    "A collective case: once sent, you get a join code your co-workers join with",
                )}</p>
            </Show>
            <div class="field" class:invalid=invalid("dispute_on")>
                <label for="dispute_on">{both("争议发生日期（选填）", "When it began (optional)")}</label>
                <span class="hint" id="dispute_on-hint">{both(
                    "如应发工资的日子、受伤的日子；申请劳动仲裁须在一年内",
                    "e.g. the payday missed or the day of the injury; arbitration must be claimed within a year",
                )}</span>
                <input id="dispute_on" type="date" max=today.iso() data-test="dispute-on"
                    aria-describedby="dispute_on-hint dispute_on-error"
                    aria-invalid=move || invalid("dispute_on")().to_string()
                    prop:value=move || dispute_on.get()
                    on:input=move |ev| {
                        dispute_on.set(event_target_value(&ev));
                        problems.clear("dispute_on").run(());
                    }/>
                <span class="field-error" id="dispute_on-error" aria-live="polite">{problems.of("dispute_on")}</span>
            </div>
            {(!signed_in).then(|| view! { <IdentityFields who=who problems=problems/> })}
            <p class="form-message" role="alert" data-test="rights-message">{move || message.get()}</p>
            <button type="submit" class="btn btn-primary btn-block" data-test="rights-submit" disabled=move || pending.get()>
                {move || if pending.get() { i18n.t().submitting } else { i18n.lang.get().pick("提交求助", "Send") }}
            </button>
        </form>
    }
}

/// A case in a list: its number, kind, employer and where it stands.
#[component]
fn CaseSummary(c: CaseView) -> impl IntoView {
    let i18n = use_i18n();
    let (kind, status) = (c.kind, c.status);
    view! {
        <span>
            <strong class="num">{c.number.clone()}</strong>" · "{move || kind.label(i18n.lang.get())}
            <br/><small>{c.employer_name.clone()}</small>
        </span>
        <span class="claim-right">
            <span class=format!("status-pill {}", status.as_str()) data-test="case-line-status">
                {move || status.label(i18n.lang.get())}
            </span>
        </span>
    }
}

/// 我的维权案件: the cases the member reported or joined.
#[component]
fn MyCases() -> impl IntoView {
    let cases = LocalResource::new(api::my_rights_cases);
    view! {
        <section class="panel" data-test="my-cases-section">
            <h3>{both("我的维权案件", "My rights cases")}</h3>
            {loaded(cases, |p| {
                if p.items.is_empty() {
                    view! { <p class="hint" data-test="no-cases">{both("还没有维权案件", "No cases yet")}</p> }.into_any()
                } else {
                    view! {
                        <ul class="claim-list" data-test="my-cases">
                            {p.items.into_iter().map(|c| view! {
                                <li><A href=format!("/rights/{}", c.id) attr:class="claim-line" attr:data-test="case-line">
                                    <CaseSummary c=c/>
                                </A></li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }
            })}
        </section>
    }
}

/// Someone without an account finds their cases with the mobile and ID
/// numbers they gave; a case found opens here.
#[component]
fn Lookup() -> impl IntoView {
    let i18n = use_i18n();
    let phone = RwSignal::new(String::new());
    let id_number = RwSignal::new(String::new());
    let problems = Problems::new();
    let found = RwSignal::new(None::<Result<Vec<CaseView>, String>>);
    let open = RwSignal::new(None::<i64>);
    let pending = RwSignal::new(false);
    let send = move |ev: SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let lang = i18n.lang.get_untracked();
        let mut wrong = BTreeMap::new();
        if let Err(p) = Phone::parse(&phone.get_untracked()) {
            wrong.insert("phone".to_string(), p.message(lang).to_string());
        }
        if let Err(p) = IdNumber::parse(&id_number.get_untracked()) {
            wrong.insert("id_number".to_string(), p.message(lang).to_string());
        }
        let empty = wrong.is_empty();
        problems.set(wrong);
        if !empty {
            return;
        }
        let input = CaseLookup {
            phone: phone.get_untracked(),
            id_number: id_number.get_untracked(),
        };
        pending.set(true);
        spawn_local(async move {
            let r = api::lookup_cases(&input).await;
            pending.set(false);
            match r {
                Ok(p) => {
                    // One case found: open it at once.
                    open.set((p.items.len() == 1).then(|| p.items[0].id));
                    found.set(Some(Ok(p.items)));
                }
                Err(f) => {
                    problems.set(f.fields());
                    found.set(Some(Err(f.message())));
                }
            }
        });
    };
    view! {
        <section class="panel">
            <h3>{both("查询我的维权案件", "Find my cases")}</h3>
            <p class="hint">{both(
                "没有账号也能查：填写求助时留的手机号和身份证号",
                "No account needed: the mobile and ID numbers you gave when you asked for help",
            )}</p>
            <form on:submit=send novalidate data-test="lookup-form">
                <TextField id="lookup_phone" label=tr(|s| s.phone) hint=Signal::derive(|| "")
                    value=phone error=problems.of("phone") kind=InputKind::PHONE on_input=problems.clear("phone")/>
                <TextField id="lookup_id_number" label=tr(|s| s.id_number) hint=Signal::derive(|| "")
                    value=id_number error=problems.of("id_number") kind=InputKind::ID_NUMBER
                    on_input=problems.clear("id_number")/>
                <button type="submit" class="btn btn-secondary btn-block" data-test="lookup-submit" disabled=move || pending.get()>
                    {both("查询", "Look up")}
                </button>
            </form>
            <div aria-live="polite" data-test="lookup-result">
                {move || found.get().map(|r| match r {
                    Err(m) => view! { <p class="error-box" role="alert">{m}</p> }.into_any(),
                    Ok(cases) => view! {
                        <ul class="claim-list" data-test="found-cases">
                            {cases.into_iter().map(|c| {
                                let id = c.id;
                                let shown = move || open.get() == Some(id);
                                let detail = c.clone();
                                view! {
                                    <li>
                                        <button type="button" class="claim-line" data-test="case-line"
                                            aria-expanded=move || shown().to_string()
                                            on:click=move |_| open.set(if shown() { None } else { Some(id) })>
                                            <CaseSummary c=c/>
                                        </button>
                                        <Show when=shown>
                                            <CaseDetail c=detail.clone()/>
                                        </Show>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                })}
            </div>
        </section>
    }
}
