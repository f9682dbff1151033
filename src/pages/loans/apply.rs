//! The application in five short steps (applicant, business, loan, partners,
//! documents). Each "next" saves the draft, so it can be finished another
//! day; the last step sends it once.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use unioncard_api::loans::{LoanStatus, LoanView};

use super::{AmountFields, ApplicantFields, BusinessFields, LoanForm, PartnerFields};
use crate::api;
use crate::components::case_file::{Case, Documents};
use crate::components::status::loaded;
use crate::i18n::{both, tr, use_i18n, Strings};

/// The steps, in order.
const STEPS: [fn(&Strings) -> &'static str; 5] = [
    |s| s.step_applicant,
    |s| s.step_business,
    |s| s.step_loan,
    |s| s.step_partners,
    |s| s.step_documents,
];

/// `/loans/:id/apply?step=N`.
#[component]
pub fn ApplyPage() -> impl IntoView {
    let params = use_params_map();
    let loan = LocalResource::new(move || {
        let id = params.with(|p| p.get("id").and_then(|v| v.parse().ok()).unwrap_or(0));
        api::loan(id)
    });
    view! {
        <section class="page">
            <h2>{both("创业担保贷款", "Micro guaranteed loans")}</h2>
            {loaded(loan, move |l| {
                view! { <Steps l=l reload=Callback::new(move |_| loan.refetch())/> }.into_any()
            })}
        </section>
    }
}

#[component]
fn Steps(l: LoanView, reload: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let query = use_query_map();
    let form = LoanForm::from_view(&l);
    let id = l.id;
    let sent = l.status != LoanStatus::Draft;
    let step = Memo::new(move |_| {
        query
            .with(|q| q.get("step").and_then(|v| v.parse::<usize>().ok()))
            .unwrap_or(1)
            .clamp(1, STEPS.len())
    });
    let pending = RwSignal::new(false);
    let message = RwSignal::new(None::<String>);
    let go = {
        let navigate = navigate.clone();
        move |n: usize| navigate(&format!("/loans/{id}/apply?step={n}"), Default::default())
    };
    let save_and_next = {
        let go = go.clone();
        move |_| {
            if pending.get_untracked() {
                return;
            }
            pending.set(true);
            message.set(None);
            let input = form.input(true);
            let next = step.get_untracked() + 1;
            let go = go.clone();
            spawn_local(async move {
                match api::update_loan(id, &input).await {
                    Ok(_) => go(next),
                    Err(f) => {
                        form.errors.set(f.fields());
                        message.set(Some(f.message()));
                    }
                }
                pending.set(false);
            });
        }
    };
    let send = move |_| {
        if pending.get_untracked() {
            return;
        }
        pending.set(true);
        message.set(None);
        let navigate = navigate.clone();
        spawn_local(async move {
            match api::submit_loan(id).await {
                Ok(_) => navigate(&format!("/loans/{id}"), Default::default()),
                Err(f) => {
                    form.errors.set(f.fields());
                    message.set(Some(f.message()));
                    pending.set(false);
                }
            }
        });
    };
    let docs = l.documents.clone();
    view! {
        <ol class="stepper" aria-label=both("创业担保贷款", "Micro guaranteed loans")>
            {STEPS.iter().enumerate().map(|(i, label)| {
                let label = *label;
                let go = go.clone();
                view! {
                    <li aria-current=move || (step.get() == i + 1).then_some("step")>
                        <button type="button" class="btn-link" on:click=move |_| go(i + 1)>{i + 1}". "{tr(label)}</button>
                    </li>
                }
            }).collect_view()}
        </ol>
        {sent.then(|| view! {
            <p class="panel warn-note"><a href=format!("/loans/{id}")>{move || l.status.label(i18n.lang.get())}</a></p>
        })}
        <form class="panel" data-test="loan-step" on:submit=|ev: leptos::ev::SubmitEvent| ev.prevent_default()>
            <h3>{move || tr(STEPS[step.get() - 1])()}</h3>
            {move || match step.get() {
                1 => view! { <ApplicantFields form=form/> }.into_any(),
                2 => view! { <BusinessFields form=form full=true/> }.into_any(),
                3 => view! { <AmountFields form=form/> }.into_any(),
                4 => view! { <PartnerFields form=form/> }.into_any(),
                _ => view! {
                    <p class="hint">{both("请上传：身份证、营业执照、失业登记证或困难证明、经营场所照片。照片会先在手机上压缩再上传。", "Add your ID card, business licence, unemployment or hardship certificate and photos of the premises. Photos are shrunk on the phone first.")}</p>
                    <Documents case=Case::Loan(id) docs=docs.clone() can_add=true can_remove=false reload=reload/>
                }.into_any(),
            }}
        </form>
        <p class="form-message" role="alert">{move || message.get()}</p>
        {move || if step.get() < STEPS.len() {
            view! {
                <button type="button" class="btn btn-primary btn-block" data-test="next-step" on:click=save_and_next.clone()
                    disabled=move || pending.get()>{both("保存，下一步", "Save and continue")}</button>
            }.into_any()
        } else {
            view! {
                <button type="button" class="btn btn-primary btn-block" data-test="submit-loan" on:click=send.clone()
                    disabled=move || pending.get()>{both("提交申请", "Send the application")}</button>
            }.into_any()
        }}
    }
}
