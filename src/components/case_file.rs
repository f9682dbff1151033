//! The widgets of a case file (an aid claim, a loan application, and the
//! programmes built the same way): its documents and its timeline, on the
//! member's pages and on the officers' desk alike.

use leptos::prelude::*;
use leptos::task::spawn_local;
use unioncard_api::aid::{ClaimEvent, DocumentView};
use unioncard_api::hardship::HardshipEvent;
use unioncard_api::loans::LoanEvent;
use unioncard_api::offers::yuan;
use unioncard_api::rights::{StepKind, StepView};
use unioncard_api::Lang;

use crate::api;
use crate::i18n::{tr, use_i18n};
use crate::pages::format_date_time;

/// Which case a widget belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Case {
    /// An aid claim, by id.
    Claim(i64),
    /// A loan application, by id.
    Loan(i64),
    /// A hardship file, by id.
    Hardship(i64),
    /// A 金秋助学 application, by id.
    Education(i64),
    /// A rights case (维权), by id.
    Rights(i64),
}

/// One step of a case's history, whatever the programme: the status it
/// reached (in both languages, so the switch needs no reload), when, who
/// took it, an amount and a note.
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    /// The status, Chinese and English.
    pub label: (&'static str, &'static str),
    /// When (RFC 3339).
    pub at: String,
    /// Who, when the programme names them.
    pub by: Option<String>,
    /// An amount decided at this step.
    pub amount_fen: Option<i64>,
    /// What the amount is, Chinese and English (`("追回 ", "Recovered ")`);
    /// empty: the amount alone.
    pub amount_is: (&'static str, &'static str),
    /// The note or reason.
    pub note: Option<String>,
}

impl Step {
    /// A programme's events as steps, in their order.
    pub fn all<E: Into<Step>>(events: Vec<E>) -> Vec<Step> {
        events.into_iter().map(Into::into).collect()
    }
}

impl From<ClaimEvent> for Step {
    fn from(e: ClaimEvent) -> Step {
        Step {
            label: (e.status.label(Lang::Zh), e.status.label(Lang::En)),
            at: e.at,
            by: None,
            amount_fen: e.amount_fen,
            amount_is: ("", ""),
            note: e.note,
        }
    }
}

impl From<HardshipEvent> for Step {
    fn from(e: HardshipEvent) -> Step {
        Step {
            label: (e.status.label(Lang::Zh), e.status.label(Lang::En)),
            at: e.at,
            by: None,
            amount_fen: None,
            amount_is: ("", ""),
            note: e.note,
        }
    }
}

impl From<unioncard_api::education::EducationEvent> for Step {
    fn from(e: unioncard_api::education::EducationEvent) -> Step {
        Step {
            label: (e.status.label(Lang::Zh), e.status.label(Lang::En)),
            at: e.at,
            by: None,
            amount_fen: None,
            amount_is: ("", ""),
            note: e.note,
        }
    }
}

impl From<LoanEvent> for Step {
    fn from(e: LoanEvent) -> Step {
        Step {
            label: (e.status.label(Lang::Zh), e.status.label(Lang::En)),
            at: e.at,
            by: Some(e.by),
            amount_fen: None,
            amount_is: ("", ""),
            note: e.note,
        }
    }
}

impl From<StepView> for Step {
    fn from(e: StepView) -> Step {
        let label = match StepKind::from_db(&e.kind) {
            Some(k) => (k.label(Lang::Zh), k.label(Lang::En)),
            None => match e.kind.as_str() {
                "submitted" => ("提交求助", "Reported"),
                "accepted" => ("工会受理", "Taken up by the union"),
                "referred" => ("转交受理机构", "Referred"),
                "declined" => ("不予受理", "Not taken up"),
                "assigned" => ("指派律师或调解员", "Lawyer or mediator assigned"),
                "joined" => ("工友加入", "A co-worker joined"),
                _ => ("记录", "Entry"),
            },
        };
        Step {
            label,
            at: e.at,
            by: e.by,
            amount_fen: (e.recovered_fen > 0).then_some(e.recovered_fen),
            amount_is: ("追回 ", "Recovered "),
            note: (!e.note.is_empty()).then_some(e.note),
        }
    }
}

/// What happened to a case, oldest first.
#[component]
pub fn Timeline(
    #[prop(into)] steps: Vec<Step>,
    /// The `data-test` name the page's tests find it by.
    #[prop(default = "timeline")]
    test_id: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <ol class="timeline" data-test=test_id>
            {steps.into_iter().map(|t| {
                let (zh, en) = t.label;
                let (is_zh, is_en) = t.amount_is;
                view! {
                    <li>
                        <strong>{move || i18n.lang.get().pick(zh, en)}</strong>
                        <span class="hint">{format_date_time(&t.at)}{t.by.map(|b| format!(" · {b}"))}</span>
                        {t.amount_fen.map(|a| view! { <span class="num">{move || i18n.lang.get().pick(is_zh, is_en)}{yuan(a)}</span> })}
                        {t.note.map(|n| view! { <span class="note">{n}</span> })}
                    </li>
                }
            }).collect_view()}
        </ol>
    }
}

/// A case's documents, and adding one (a photo is shrunk first).
#[component]
pub fn Documents(
    case: Case,
    docs: Vec<DocumentView>,
    can_add: bool,
    can_remove: bool,
    reload: Callback<()>,
) -> impl IntoView {
    let input = NodeRef::<leptos::html::Input>::new();
    let busy = RwSignal::new(false);
    let message = RwSignal::new(None::<String>);
    let chosen = move |_| {
        let Some(el) = input.get_untracked() else {
            return;
        };
        let Some(files) = el.files() else { return };
        let list: Vec<web_sys::File> = (0..files.length()).filter_map(|i| files.get(i)).collect();
        if list.is_empty() {
            return;
        }
        busy.set(true);
        message.set(None);
        spawn_local(async move {
            for file in list {
                let blob = crate::photo::for_upload(&file).await;
                let stored = match case {
                    Case::Loan(id) => api::loan_document(id, &blob).await,
                    Case::Claim(id) => api::claim_document(id, &blob).await,
                    Case::Hardship(id) => api::hardship_document(id, &blob).await,
                    Case::Education(id) => api::education_document(id, &blob).await,
                    Case::Rights(id) => api::rights_document(id, &blob).await,
                };
                if let Err(f) = stored {
                    message.set(Some(f.message()));
                    break;
                }
            }
            if let Some(el) = input.get_untracked() {
                el.set_value("");
            }
            busy.set(false);
            // Reloading draws the list anew (and this message with it): a
            // failure stays said instead; what did go up shows on the next load.
            if message.get_untracked().is_none() {
                reload.run(());
            }
        });
    };
    let remove = move |doc: i64| {
        // Only a claim's documents can be taken back (a loan's stay on file).
        let Case::Claim(claim_id) = case else { return };
        spawn_local(async move {
            match api::delete_document(claim_id, doc).await {
                Ok(()) => reload.run(()),
                Err(f) => message.set(Some(f.message())),
            }
        });
    };
    let none = docs.is_empty() && !can_add;
    view! {
        {none.then(|| view! { <p class="hint">{tr(|s| s.no_documents)}</p> })}
        <ul class="documents" data-test="documents">
            {docs.into_iter().enumerate().map(|(n, d)| {
                let is_image = d.mime.starts_with("image/");
                let doc = d.id;
                view! {
                    <li>
                        {if is_image {
                            view! { <a href=d.url.clone() target="_blank"><img src=d.url.clone() alt=move || format!("{} {}", tr(|s| s.documents)(), n + 1) loading="lazy"/></a> }.into_any()
                        } else {
                            view! { <a href=d.url.clone() target="_blank" class="pdf">{tr(|s| s.document_pdf)}" "{n + 1}</a> }.into_any()
                        }}
                        <span class="hint">{format!("{} KB", (d.bytes + 1023) / 1024)}</span>
                        {can_remove.then(|| view! {
                            <button type="button" class="btn btn-link" on:click=move |_| remove(doc)>{tr(|s| s.remove)}</button>
                        })}
                    </li>
                }
            }).collect_view()}
        </ul>
        {can_add.then(|| view! {
            <label class="btn btn-secondary btn-block file-button" class:busy=move || busy.get()>
                {move || if busy.get() { tr(|s| s.uploading)() } else { tr(|s| s.add_document)() }}
                <input type="file" accept="image/jpeg,image/png,application/pdf" multiple node_ref=input
                    data-test="document-input" class="sr-only" on:change=chosen disabled=move || busy.get()/>
            </label>
            <p class="form-message" role="alert">{move || message.get()}</p>
        })}
    }
}
