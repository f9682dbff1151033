//! Claims: the form (fitted to the plan's kind, with the live estimate),
//! saved as a draft; then the claim's page: documents, sending, and the
//! timeline of what happened and what comes next.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use unioncard_api::aid::{
    check_claim_dates, CapUse, ClaimInput, ClaimStatus, ClaimView, DateRefusal, EnrolmentView,
    PlanView,
};
use unioncard_api::identity::Date;
use unioncard_api::offers::yuan;

use super::bill::{BillFields, BillForm, EstimateSteps, LiveEstimate};
use crate::api::{self, Failure};
use crate::components::case_file::{Case, Documents, Step, Timeline};
use crate::components::field::{InputKind, TextField};
use crate::components::status::loaded;
use crate::i18n::{both, tr, use_i18n, Strings};
use crate::pages::format_date;

/// What the claim form needs: the cover, its plan, and the claim when editing.
async fn load_form(
    enrolment_id: i64,
    claim_id: Option<i64>,
) -> Result<(EnrolmentView, PlanView, Option<ClaimView>), Failure> {
    let claim = match claim_id {
        Some(id) => Some(api::claim(id).await?),
        None => None,
    };
    let enrolment_id = claim
        .as_ref()
        .map(|c| c.enrolment_id)
        .unwrap_or(enrolment_id);
    let e = api::enrolment(enrolment_id).await?;
    let p = api::aid_plan(e.plan_id).await?;
    Ok((e, p, claim))
}

/// `/aid/claims/new?enrolment=ID`.
#[component]
pub fn NewClaimPage() -> impl IntoView {
    let query = use_query_map();
    let data = LocalResource::new(move || {
        let id = query.with(|q| q.get("enrolment").and_then(|v| v.parse().ok()).unwrap_or(0));
        load_form(id, None)
    });
    form_page(data)
}

/// `/aid/claims/:id/edit`: finishing a draft.
#[component]
pub fn EditClaimPage() -> impl IntoView {
    let params = use_params_map();
    let data = LocalResource::new(move || {
        let id = params.with(|p| p.get("id").and_then(|v| v.parse().ok()).unwrap_or(0));
        load_form(0, Some(id))
    });
    form_page(data)
}

type FormData = Result<(EnrolmentView, PlanView, Option<ClaimView>), Failure>;

fn form_page(data: LocalResource<FormData>) -> impl IntoView {
    view! {
        <section class="page">
            <h2>{both("申请互助金", "Claim a payout")}</h2>
            {loaded(data, move |(e, p, c)| {
                view! { <ClaimForm enrolment=e plan=p existing=c/> }.into_any()
            })}
        </section>
    }
}

#[component]
fn ClaimForm(
    enrolment: EnrolmentView,
    plan: PlanView,
    existing: Option<ClaimView>,
) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let form = existing
        .as_ref()
        .map(|c| BillForm::from_bill(&c.bill))
        .unwrap_or_default();
    let admitted = RwSignal::new(
        existing
            .as_ref()
            .map(|c| c.admitted_on.clone())
            .unwrap_or_default(),
    );
    let discharged = RwSignal::new(
        existing
            .as_ref()
            .map(|c| c.discharged_on.clone())
            .unwrap_or_default(),
    );
    let hospital = RwSignal::new(
        existing
            .as_ref()
            .map(|c| c.hospital_name.clone())
            .unwrap_or_default(),
    );
    let existing_id = existing.as_ref().map(|c| c.id);
    // The server counts the stay; the phone counts the same way for its estimate.
    let stay = existing
        .as_ref()
        .map(|c| c.bill.stay_number)
        .unwrap_or_else(|| {
            1 + enrolment
                .claims
                .iter()
                .filter(|c| !matches!(c.status, ClaimStatus::Draft | ClaimStatus::Rejected))
                .count() as i64
        });
    let own = existing.as_ref().and_then(|c| c.approved_fen).unwrap_or(0);
    let cap = CapUse {
        yearly_cap_fen: enrolment.yearly_cap_fen,
        used_fen: enrolment.used_fen - own,
    };
    let is_stay = plan.kind.is_stay();
    let rule = plan.rule.clone();
    // The cover's dates are checked here as soon as the dates are typed (the
    // same rule the server applies): a stay the plan does not take is said
    // at once, with no estimate beside it and nothing to save.
    // The days in hospital follow from the dates: filled in from them (the
    // member may still correct it), never asked again after the dates.
    if is_stay && rule.needs_days() {
        Effect::new(move |_| {
            let (Some(a), Some(d)) = (
                Date::parse_iso(&admitted.get()),
                Date::parse_iso(&discharged.get()),
            ) else {
                return;
            };
            if d >= a {
                form.days
                    .set((d.to_days() - a.to_days()).max(1).to_string());
            }
        });
    }
    let cover = enrolment.cover();
    let deadline_days = plan.claim_deadline_days;
    let date_refusal = Memo::new(move |_| -> Option<DateRefusal> {
        let admitted_on = Date::parse_iso(&admitted.get())?;
        let discharged_on = if is_stay {
            Date::parse_iso(&discharged.get())?
        } else {
            admitted_on
        };
        if discharged_on < admitted_on {
            return None;
        }
        check_claim_dates(
            cover?,
            admitted_on,
            discharged_on,
            deadline_days,
            crate::clock::today(),
        )
        .err()
    });
    let pending = RwSignal::new(false);
    let message = RwSignal::new(None::<String>);
    let key = api::new_key();
    let enrolment_id = enrolment.id;
    let err =
        move |field: &'static str| Signal::derive(move || form.errors.get().get(field).cloned());
    let clear = move |field: &'static str| {
        Callback::new(move |_| {
            form.errors.update(|e| {
                e.remove(field);
            })
        })
    };
    let rule_for_save = rule.clone();
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let bill = match form.bill(&rule_for_save) {
            Ok(b) => b,
            Err(bad) => {
                form.errors.set(bad);
                message.set(Some(i18n.t().form_has_errors.into()));
                return;
            }
        };
        let admitted_on = admitted.get_untracked();
        let input = ClaimInput {
            enrolment_id,
            discharged_on: if is_stay {
                discharged.get_untracked()
            } else {
                admitted_on.clone()
            },
            admitted_on,
            hospital_name: hospital.get_untracked(),
            bill,
            draft: true,
        };
        pending.set(true);
        message.set(None);
        let navigate = navigate.clone();
        let key = key.clone();
        spawn_local(async move {
            let answer = match existing_id {
                Some(id) => api::update_claim(id, &input).await,
                None => api::create_claim(&input, &key).await,
            };
            match answer {
                Ok(c) => navigate(&format!("/aid/claims/{}", c.id), Default::default()),
                Err(f) => {
                    form.errors.set(f.fields());
                    message.set(Some(f.message()));
                    pending.set(false);
                }
            }
        });
    };
    view! {
        <p class="intro">{plan.name.clone()}</p>
        <form class="panel" on:submit=save novalidate>
            {if is_stay {
                view! {
                    <TextField id="admitted_on" label=tr(|s| s.admitted_on) hint=Signal::derive(|| "") value=admitted
                        error=err("admitted_on") kind=InputKind::DATE on_input=clear("admitted_on")/>
                    <TextField id="discharged_on" label=tr(|s| s.discharged_on) hint=Signal::derive(|| "") value=discharged
                        error=err("discharged_on") kind=InputKind::DATE on_input=clear("discharged_on")/>
                }.into_any()
            } else {
                view! {
                    <TextField id="admitted_on" label=both("确诊日期", "Diagnosed on") hint=Signal::derive(|| "") value=admitted
                        error=err("admitted_on") kind=InputKind::DATE on_input=clear("admitted_on")/>
                }.into_any()
            }}
            <TextField id="hospital_name" label=tr(|s| s.hospital_name) hint=Signal::derive(|| "") value=hospital
                error=err("hospital_name") kind=InputKind::TEXT on_input=clear("hospital_name")/>
            {move || date_refusal.get().map(|r| view! {
                <p class="panel warn-note" role="alert" data-test="claim-dates-refusal">{r.message(i18n.lang.get())}</p>
            })}
            <BillFields form=form rule=rule.clone() stay_fixed=stay/>
            <Show when=move || date_refusal.get().is_none()>
                <LiveEstimate form=form rule=rule.clone() cap=cap stay_fixed=stay/>
            </Show>
            <p class="form-message" role="alert">{move || message.get()}</p>
            <button type="submit" class="btn btn-primary btn-block" data-test="save-claim"
                disabled=move || pending.get() || date_refusal.get().is_some()>
                {both("保存，下一步上传材料", "Save, then add documents")}
            </button>
        </form>
    }
}

/// `/aid/claims/:id`.
#[component]
pub fn ClaimPage() -> impl IntoView {
    let params = use_params_map();
    let claim = LocalResource::new(move || {
        let id = params.with(|p| p.get("id").and_then(|v| v.parse().ok()).unwrap_or(0));
        api::claim(id)
    });
    let reload = Callback::new(move |_| claim.refetch());
    view! {
        <section class="page">
            {loaded(claim, move |c| view! { <ClaimDetail c=c reload=reload/> }.into_any())}
        </section>
    }
}

fn next_step(status: ClaimStatus, t: &Strings) -> &'static str {
    match status {
        ClaimStatus::Draft => t.next_draft,
        ClaimStatus::Submitted => t.next_submitted,
        ClaimStatus::UnderReview => t.next_under_review,
        ClaimStatus::DocumentsRequested => t.next_documents,
        ClaimStatus::Approved => t.next_approved,
        ClaimStatus::Rejected => t.next_rejected,
        ClaimStatus::Paid => t.next_paid,
    }
}

#[component]
fn ClaimDetail(c: ClaimView, reload: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let status = c.status;
    let id = c.id;
    let editable = status.member_may_edit();
    let can_add = editable || status.is_open();
    let pending = RwSignal::new(false);
    let message = RwSignal::new(None::<String>);
    let send = move |_| {
        if pending.get_untracked() {
            return;
        }
        pending.set(true);
        spawn_local(async move {
            match api::submit_claim(id).await {
                Ok(_) => reload.run(()),
                Err(f) => {
                    message.set(Some(f.message()));
                    pending.set(false);
                }
            }
        });
    };
    let last_note = c.timeline.iter().rev().find_map(|t| t.note.clone());
    view! {
        <h2>{c.plan_name.clone()}</h2>
        <div class=format!("panel status-banner {}", status.as_str()) data-test="claim-status">
            <strong>{move || status.label(i18n.lang.get())}</strong>
            {c.approved_fen.map(|a| view! { <span>" · "{both("核准金额", "Approved amount")}" "<strong data-test="approved-amount">{yuan(a)}</strong></span> })}
            <p>{move || next_step(status, i18n.t())}</p>
            {(status == ClaimStatus::DocumentsRequested || status == ClaimStatus::Rejected)
                .then(|| last_note.clone().map(|n| view! { <p class="note" data-test="officer-note">{n}</p> }))}
        </div>
        <dl class="facts panel">
            <dt>{tr(|s| s.hospital_name)}</dt><dd>{c.hospital_name.clone()}</dd>
            <dt>{tr(|s| s.admitted_on)}</dt>
            <dd>{move || format_date(&c.admitted_on, i18n.lang.get())}" – "{move || format_date(&c.discharged_on, i18n.lang.get())}</dd>
            {(c.bill.self_pay_fen > 0).then(|| view! {
                <dt>{tr(|s| s.self_pay)}</dt><dd>{yuan(c.bill.self_pay_fen)}</dd>
            })}
            {editable.then(|| view! {
                <dt>{both("最晚申请日期", "Claim by")}</dt><dd>{move || format_date(&c.deadline, i18n.lang.get())}</dd>
            })}
        </dl>
        {(!c.estimate.steps.is_empty()).then(|| view! { <EstimateSteps estimate=c.estimate.clone()/> })}
        <h3>{tr(|s| s.documents)}</h3>
        <p class="hint">{both("请拍照上传：互助金申请表、身份证、住院费用结算单、出院小结、银行卡。照片会先在手机上压缩再上传。", "Photograph the claim form, ID card, hospital settlement sheet, discharge summary and bank card. Photos are shrunk on the phone before upload.")}</p>
        <Documents case=Case::Claim(id) docs=c.documents.clone() can_add=can_add can_remove=editable reload=reload/>
        {editable.then(|| view! {
            <p class="form-message" role="alert">{move || message.get()}</p>
            <button type="button" class="btn btn-primary btn-block" data-test="submit-claim" on:click=send
                disabled=move || pending.get()>{both("提交申请", "Send the claim")}</button>
            {(status == ClaimStatus::Draft).then(|| view! {
                <A href=format!("/aid/claims/{id}/edit") attr:class="btn btn-secondary btn-block">{both("修改", "Edit")}</A>
            })}
        })}
        <h3>{both("进度", "Progress")}</h3>
        <Timeline steps=Step::all(c.timeline)/>
        <A href="/aid/mine" attr:class="btn btn-secondary btn-block">{both("我的保障", "My cover")}</A>
    }
}
