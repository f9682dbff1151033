//! The desk's screens that are fetched when first opened, one chunk per
//! kind of work, cut out by `wasm-split-cli` at the `#[wasm_split]`
//! functions here (as the member app's, `src/sections.rs`): an officer who
//! reviews claims never downloads the training roster or the audit log,
//! and the desk's first load is its home and router only. A page opened at
//! a section's path preloads that section's files (`xtask/src/app.rs`,
//! `DESK_SECTION_PATHS`).

// A split function is called across the chunk boundary with the "C" ABI, but
// both sides are this crate, built together: Rust types pass unchanged.
#![allow(improper_ctypes, improper_ctypes_definitions)]

use leptos::prelude::*;
use leptos::wasm_split::wasm_split;

use unioncard_app::components::lazy::{LazyView, Loaded, NotLoaded};
use unioncard_app::i18n::Strings;

/// Every desk screen that lives in a section chunk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    AidQueue,
    ClaimReview,
    LoanQueue,
    LoanReview,
    JoinRequests,
    Complaints,
    Transfers,
    Roster,
    Cards,
    Training,
    SessionRoster,
    Figures,
    Audit,
    HardshipQueue,
    HardshipReview,
    Payments,
    Batch,
    EducationQueue,
    EducationReview,
    ModelWorkers,
    RightsQueue,
    RightsCase,
    Counselling,
}

#[wasm_split(desk_aid, wasm_split_path = ::leptos::wasm_split, fallible)]
fn aid_screen(screen: Screen) -> Loaded {
    use unioncard_app::pages::staff::aid::{AidQueuePage, ClaimReviewPage};
    Ok(match screen {
        Screen::ClaimReview => view! { <ClaimReviewPage/> }.into_any(),
        _ => view! { <AidQueuePage/> }.into_any(),
    })
}

#[wasm_split(desk_loans, wasm_split_path = ::leptos::wasm_split, fallible)]
fn loans_screen(screen: Screen) -> Loaded {
    use unioncard_app::pages::staff::loans::{LoanQueuePage, LoanReviewPage};
    Ok(match screen {
        Screen::LoanReview => view! { <LoanReviewPage/> }.into_any(),
        _ => view! { <LoanQueuePage/> }.into_any(),
    })
}

// Requests from people: joining, and complaints about merchants.
#[wasm_split(desk_requests, wasm_split_path = ::leptos::wasm_split, fallible)]
fn requests_screen(screen: Screen) -> Loaded {
    use unioncard_app::pages::staff::{
        complaints::ComplaintsPage, join_requests::JoinRequestsPage,
    };
    Ok(match screen {
        Screen::Complaints => view! { <ComplaintsPage/> }.into_any(),
        Screen::Transfers => {
            view! { <unioncard_app::pages::staff::transfers::TransfersPage/> }.into_any()
        }
        _ => view! { <JoinRequestsPage/> }.into_any(),
    })
}

// The roster and its cards.
#[wasm_split(desk_members, wasm_split_path = ::leptos::wasm_split, fallible)]
fn members_screen(screen: Screen) -> Loaded {
    use unioncard_app::pages::staff::{cards::CardsPage, roster::RosterPage};
    Ok(match screen {
        Screen::Cards => view! { <CardsPage/> }.into_any(),
        _ => view! { <RosterPage/> }.into_any(),
    })
}

#[wasm_split(desk_training, wasm_split_path = ::leptos::wasm_split, fallible)]
fn training_screen(screen: Screen) -> Loaded {
    use unioncard_app::pages::staff::training::{SessionRosterPage, StaffTrainingPage};
    Ok(match screen {
        Screen::SessionRoster => view! { <SessionRosterPage/> }.into_any(),
        _ => view! { <StaffTrainingPage/> }.into_any(),
    })
}

#[wasm_split(desk_hardship, wasm_split_path = ::leptos::wasm_split, fallible)]
fn hardship_screen(screen: Screen) -> Loaded {
    use unioncard_app::pages::staff::hardship::{HardshipQueuePage, HardshipReviewPage};
    Ok(match screen {
        Screen::HardshipReview => view! { <HardshipReviewPage/> }.into_any(),
        _ => view! { <HardshipQueuePage/> }.into_any(),
    })
}

#[wasm_split(desk_education, wasm_split_path = ::leptos::wasm_split, fallible)]
fn education_screen(screen: Screen) -> Loaded {
    use unioncard_app::pages::staff::education::{EducationQueuePage, EducationReviewPage};
    Ok(match screen {
        Screen::EducationReview => view! { <EducationReviewPage/> }.into_any(),
        _ => view! { <EducationQueuePage/> }.into_any(),
    })
}

#[wasm_split(desk_model_workers, wasm_split_path = ::leptos::wasm_split, fallible)]
fn model_workers_screen(_screen: Screen) -> Loaded {
    use unioncard_app::pages::staff::model_workers::ModelWorkersPage;
    Ok(view! { <ModelWorkersPage/> }.into_any())
}

// Rights cases: the queue, and one case (triage, lawyer, steps, evidence)
// in a chunk of its own (together they passed 60 KB).
#[wasm_split(desk_rights, wasm_split_path = ::leptos::wasm_split, fallible)]
fn rights_screen(_screen: Screen) -> Loaded {
    use unioncard_app::pages::staff::rights::RightsQueuePage;
    Ok(view! { <RightsQueuePage/> }.into_any())
}

#[wasm_split(desk_rights_case, wasm_split_path = ::leptos::wasm_split, fallible)]
fn rights_case_screen(_screen: Screen) -> Loaded {
    use unioncard_app::pages::staff::rights::RightsCasePage;
    Ok(view! { <RightsCasePage/> }.into_any())
}

// A counsellor's day and slots: the only screen a counsellor opens.
#[wasm_split(desk_counselling, wasm_split_path = ::leptos::wasm_split, fallible)]
fn counselling_screen(_screen: Screen) -> Loaded {
    Ok(view! { <unioncard_app::pages::staff::counselling::CounsellingDeskPage/> }.into_any())
}

// Money onto cards, in two chunks (together they pass a chunk's budget):
// the batches with a new one's form, and one batch (approval, the bank's
// files, its lines).
#[wasm_split(desk_payments, wasm_split_path = ::leptos::wasm_split, fallible)]
fn payments_screen(_screen: Screen) -> Loaded {
    Ok(view! { <unioncard_app::pages::staff::payments::PaymentsPage/> }.into_any())
}

#[wasm_split(desk_batch, wasm_split_path = ::leptos::wasm_split, fallible)]
fn batch_screen(_screen: Screen) -> Loaded {
    Ok(view! { <unioncard_app::pages::staff::payments::BatchPage/> }.into_any())
}

// What officers read rather than decide: the figures and the audit log.
#[wasm_split(desk_figures, wasm_split_path = ::leptos::wasm_split, fallible)]
fn figures_screen(screen: Screen) -> Loaded {
    use unioncard_app::pages::staff::{audit::AuditPage, figures::FiguresPage};
    Ok(match screen {
        Screen::Audit => view! { <AuditPage/> }.into_any(),
        _ => view! { <FiguresPage/> }.into_any(),
    })
}

#[wasm_split(english, wasm_split_path = ::leptos::wasm_split, fallible)]
fn english_strings() -> Result<&'static Strings, NotLoaded> {
    Ok(unioncard_app::i18n::english_table())
}

/// Where the desk's English comes from: a chunk of its own.
pub fn english_on_demand() {
    unioncard_app::i18n::english_from(|| Box::pin(async { english_strings().await.ok() }));
}

/// Fetches (once) the chunk that holds `screen` and draws it.
async fn load(screen: Screen) -> Loaded {
    use Screen::*;
    match screen {
        AidQueue | ClaimReview => aid_screen(screen).await,
        LoanQueue | LoanReview => loans_screen(screen).await,
        JoinRequests | Complaints | Transfers => requests_screen(screen).await,
        Roster | Cards => members_screen(screen).await,
        Training | SessionRoster => training_screen(screen).await,
        Figures | Audit => figures_screen(screen).await,
        HardshipQueue | HardshipReview => hardship_screen(screen).await,
        Payments => payments_screen(screen).await,
        Batch => batch_screen(screen).await,
        EducationQueue | EducationReview => education_screen(screen).await,
        ModelWorkers => model_workers_screen(screen).await,
        RightsQueue => rights_screen(screen).await,
        RightsCase => rights_case_screen(screen).await,
        Counselling => counselling_screen(screen).await,
    }
}

/// A desk screen from its section chunk (see [`LazyView`]).
#[component]
pub fn Lazy(screen: Screen) -> impl IntoView {
    view! { <LazyView load=move || load(screen)/> }
}
