//! The member app's sections that are fetched when first opened: the screens
//! behind 优惠, 服务 (training, aid, loans), 我的 and the account forms, the
//! cashier's desk, and the English strings. The first screen (首页 with the
//! card, and 服务) is in the first download; each section below is a chunk
//! of its own, cut out of the build by
//! `wasm-split-cli` (`xtask/src/app.rs`) at the `#[wasm_split]` functions
//! here, fetched the first time one of its screens opens. The service worker
//! downloads every chunk in the background after the first visit (so the
//! next tap is served from the phone, online or not); nothing compiles a
//! chunk before its screen is opened: doing that for all of them at start
//! cost 1.5 s of blocked main thread in Lighthouse's 4× slowed CPU. A page
//! opened at a section's path (a deep link, a reload) preloads that
//! section's files from its first bytes (the script xtask writes into it).
//!
//! Code that several sections share comes out as one small shared chunk per
//! combination of sections sharing it (about 150 for these eleven; `/aid`
//! waits on 87). Fewer sections would mean fewer chunks, but each merge
//! tried broke the 60 KB budget of a chunk.
//!
//! A chunk that cannot be fetched (a weak signal) is not a panic: the split
//! functions are `fallible`, and [`Lazy`] shows the network error with a
//! retry, which fetches again.

// A split function is called across the chunk boundary with the "C" ABI, but
// both sides are this crate, built together: Rust types pass unchanged.
#![allow(improper_ctypes, improper_ctypes_definitions)]

use leptos::prelude::*;
use leptos::wasm_split::wasm_split;

use unioncard_app::components::lazy::{LazyView, Loaded, NotLoaded};
use unioncard_app::i18n::Strings;

/// Every screen that lives in a section chunk, named as the router names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Offers,
    Merchant,
    Savings,
    Training,
    /// The reminder of a coming session, on 首页.
    TrainingReminder,
    Course,
    MyTraining,
    Aid,
    MyCover,
    Plan,
    Certificate,
    NewClaim,
    Claim,
    EditClaim,
    Loans,
    Loan,
    ApplyLoan,
    Me,
    Login,
    Register,
    Password,
    /// 消息, the bell's screen.
    Inbox,
    /// 到账记录: union money onto the card.
    MyPayments,
    /// 转会: moving to another workplace union.
    Transfer,
    Join,
    Cashier,
    /// 搜索, from 首页.
    Search,
    /// 首页's search box and services grid, below the card.
    Hub,
    /// 服务, the tab: the same services as 首页's grid, so with them.
    Services,
    /// The messages bell in the top bar.
    Bell,
    /// 困难帮扶: my files and sending one.
    Hardship,
    /// One hardship file.
    HardshipFile,
    /// 金秋助学: the round, my applications, applying.
    Education,
    /// One 金秋助学 application.
    EducationApplication,
    /// 服务站点: the service centres nearest first.
    Centres,
    /// 维权求助: the hotline, reporting a case, my cases or the look-up.
    Rights,
    /// One rights case.
    RightsCase,
    /// Joining a co-worker's collective case.
    RightsJoin,
    /// 咨询预约: free times, my booking.
    Counselling,
}

#[wasm_split(offers, wasm_split_path = ::leptos::wasm_split, fallible)]
fn offers_screen(_screen: Screen) -> Loaded {
    Ok(view! { <unioncard_app::pages::offers::Offers/> }.into_any())
}

#[wasm_split(merchant, wasm_split_path = ::leptos::wasm_split, fallible)]
fn merchant_screen(screen: Screen) -> Loaded {
    use unioncard_app::pages::{merchant::MerchantPage, savings::SavingsPage};
    Ok(match screen {
        Screen::Savings => view! { <SavingsPage/> }.into_any(),
        _ => view! { <MerchantPage/> }.into_any(),
    })
}

#[wasm_split(training, wasm_split_path = ::leptos::wasm_split, fallible)]
fn training_screen(screen: Screen) -> Loaded {
    use unioncard_app::pages::training::{CoursePage, MyTrainingPage, TrainingPage};
    Ok(match screen {
        Screen::Course => view! { <CoursePage/> }.into_any(),
        Screen::MyTraining => view! { <MyTrainingPage/> }.into_any(),
        _ => view! { <TrainingPage/> }.into_any(),
    })
}

#[wasm_split(aid, wasm_split_path = ::leptos::wasm_split, fallible)]
fn aid_screen(screen: Screen) -> Loaded {
    use unioncard_app::pages::aid::cover::{CertificatePage, MyCoverPage};
    use unioncard_app::pages::aid::{plan::PlanPage, AidPage};
    Ok(match screen {
        Screen::MyCover => view! { <MyCoverPage/> }.into_any(),
        Screen::Plan => view! { <PlanPage/> }.into_any(),
        Screen::Certificate => view! { <CertificatePage/> }.into_any(),
        _ => view! { <AidPage/> }.into_any(),
    })
}

#[wasm_split(claims, wasm_split_path = ::leptos::wasm_split, fallible)]
fn claims_screen(screen: Screen) -> Loaded {
    use unioncard_app::pages::aid::claim::{ClaimPage, EditClaimPage, NewClaimPage};
    Ok(match screen {
        Screen::EditClaim => view! { <EditClaimPage/> }.into_any(),
        Screen::Claim => view! { <ClaimPage/> }.into_any(),
        _ => view! { <NewClaimPage/> }.into_any(),
    })
}

#[wasm_split(loans, wasm_split_path = ::leptos::wasm_split, fallible)]
fn loans_screen(_screen: Screen) -> Loaded {
    Ok(view! { <unioncard_app::pages::loans::LoansPage/> }.into_any())
}

#[wasm_split(loan, wasm_split_path = ::leptos::wasm_split, fallible)]
fn loan_screen(screen: Screen) -> Loaded {
    use unioncard_app::pages::loans::{apply::ApplyPage, detail::LoanPage};
    Ok(match screen {
        Screen::ApplyLoan => view! { <ApplyPage/> }.into_any(),
        _ => view! { <LoanPage/> }.into_any(),
    })
}

#[wasm_split(me, wasm_split_path = ::leptos::wasm_split, fallible)]
fn me_screen(screen: Screen) -> Loaded {
    use unioncard_app::pages::account::{me::MePage, password::PasswordPage};
    use unioncard_app::pages::inbox::InboxPage;
    Ok(match screen {
        Screen::Password => view! { <PasswordPage/> }.into_any(),
        Screen::Inbox => view! { <InboxPage/> }.into_any(),
        Screen::MyPayments => {
            view! { <unioncard_app::pages::payments::MyPaymentsPage/> }.into_any()
        }
        _ => view! { <MePage/> }.into_any(),
    })
}

#[wasm_split(account, wasm_split_path = ::leptos::wasm_split, fallible)]
fn account_screen(screen: Screen) -> Loaded {
    use unioncard_app::pages::account::{login::Login, register::Register};
    use unioncard_app::pages::join::JoinPage;
    Ok(match screen {
        Screen::Register => view! { <Register/> }.into_any(),
        Screen::Join => view! { <JoinPage/> }.into_any(),
        _ => view! { <Login/> }.into_any(),
    })
}

#[wasm_split(cashier, wasm_split_path = ::leptos::wasm_split, fallible)]
fn cashier_screen(_screen: Screen) -> Loaded {
    Ok(view! { <unioncard_app::pages::cashier::CashierPage/> }.into_any())
}

#[wasm_split(hardship, wasm_split_path = ::leptos::wasm_split, fallible)]
fn hardship_screen(screen: Screen) -> Loaded {
    use unioncard_app::pages::hardship::{HardshipFilePage, HardshipPage};
    Ok(match screen {
        Screen::HardshipFile => view! { <HardshipFilePage/> }.into_any(),
        _ => view! { <HardshipPage/> }.into_any(),
    })
}

// 转会 on its own: with the union search it would pass the `me` chunk's budget.
#[wasm_split(transfer, wasm_split_path = ::leptos::wasm_split, fallible)]
fn transfer_screen(_screen: Screen) -> Loaded {
    Ok(view! { <unioncard_app::pages::transfer::TransferPage/> }.into_any())
}

#[wasm_split(centres, wasm_split_path = ::leptos::wasm_split, fallible)]
fn centres_screen(_screen: Screen) -> Loaded {
    Ok(view! { <unioncard_app::pages::centres::CentresPage/> }.into_any())
}

// 维权求助 and 咨询预约 are chunks of their own, fetched only by those who
// need them.
#[wasm_split(rights, wasm_split_path = ::leptos::wasm_split, fallible)]
fn rights_screen(_screen: Screen) -> Loaded {
    Ok(view! { <unioncard_app::pages::rights::RightsPage/> }.into_any())
}

// One case and joining one: a chunk of their own (with the report form
// they passed 60 KB).
#[wasm_split(rights_case, wasm_split_path = ::leptos::wasm_split, fallible)]
fn rights_case_screen(screen: Screen) -> Loaded {
    use unioncard_app::pages::rights::{case::RightsCasePage, join::JoinCasePage};
    Ok(match screen {
        Screen::RightsJoin => view! { <JoinCasePage/> }.into_any(),
        _ => view! { <RightsCasePage/> }.into_any(),
    })
}

#[wasm_split(counselling, wasm_split_path = ::leptos::wasm_split, fallible)]
fn counselling_screen(_screen: Screen) -> Loaded {
    Ok(view! { <unioncard_app::pages::counselling::CounsellingPage/> }.into_any())
}

#[wasm_split(education, wasm_split_path = ::leptos::wasm_split, fallible)]
fn education_screen(screen: Screen) -> Loaded {
    use unioncard_app::pages::education::{EducationApplicationPage, EducationPage};
    Ok(match screen {
        Screen::EducationApplication => view! { <EducationApplicationPage/> }.into_any(),
        _ => view! { <EducationPage/> }.into_any(),
    })
}

#[wasm_split(search, wasm_split_path = ::leptos::wasm_split, fallible)]
fn search_screen(_screen: Screen) -> Loaded {
    Ok(view! { <unioncard_app::pages::search::SearchPage/> }.into_any())
}

// 首页's parts below the card, the bell and the 服务 tab (the same list
// of services as 首页's grid): small, fetched right after the first screen
// (quietly: nothing shows until they are here; on 服务 the page's heading
// and introduction stay meanwhile). The training
// reminder is here, not with the training screens: on a member's 首页 it
// fetched all of training's code (a hundred KB) beside the card.
#[wasm_split(hub, wasm_split_path = ::leptos::wasm_split, fallible)]
fn hub_parts(screen: Screen) -> Loaded {
    use unioncard_app::components::top_bar::Bell;
    use unioncard_app::pages::home::Hub;
    use unioncard_app::pages::services::Services;
    use unioncard_app::pages::training::TrainingReminder;
    Ok(match screen {
        Screen::Bell => view! { <Bell/> }.into_any(),
        Screen::Services => view! { <Services/> }.into_any(),
        Screen::TrainingReminder => view! { <TrainingReminder/> }.into_any(),
        _ => view! { <Hub/> }.into_any(),
    })
}

#[wasm_split(english, wasm_split_path = ::leptos::wasm_split, fallible)]
fn english_strings() -> Result<&'static Strings, NotLoaded> {
    Ok(unioncard_app::i18n::english_table())
}

/// Where the member app's English comes from: a chunk of its own.
pub fn english_on_demand() {
    unioncard_app::i18n::english_from(|| Box::pin(async { english_strings().await.ok() }));
}

/// Fetches (once) the chunk that holds `screen` and draws it.
async fn load(screen: Screen) -> Loaded {
    use Screen::*;
    match screen {
        Offers => offers_screen(screen).await,
        Merchant | Savings => merchant_screen(screen).await,
        Training | Course | MyTraining => training_screen(screen).await,
        Aid | MyCover | Plan | Certificate => aid_screen(screen).await,
        NewClaim | Claim | EditClaim => claims_screen(screen).await,
        Loans => loans_screen(screen).await,
        Loan | ApplyLoan => loan_screen(screen).await,
        Me | Password | Inbox | MyPayments => me_screen(screen).await,
        Transfer => transfer_screen(screen).await,
        Login | Register | Join => account_screen(screen).await,
        Cashier => cashier_screen(screen).await,
        Search => search_screen(screen).await,
        Hub | Bell | TrainingReminder | Services => hub_parts(screen).await,
        Hardship | HardshipFile => hardship_screen(screen).await,
        Education | EducationApplication => education_screen(screen).await,
        Centres => centres_screen(screen).await,
        Rights => rights_screen(screen).await,
        RightsCase | RightsJoin => rights_case_screen(screen).await,
        Counselling => counselling_screen(screen).await,
    }
}

/// A screen from a section chunk (see [`LazyView`]).
#[component]
pub fn Lazy(screen: Screen, #[prop(optional)] quiet: bool) -> impl IntoView {
    view! { <LazyView load=move || load(screen) quiet=quiet/> }
}
