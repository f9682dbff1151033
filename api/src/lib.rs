//! UnionCard's shared crate: the wire types of the REST contract and the rules
//! both sides apply. It has no I/O, so it compiles to wasm for the phone (instant
//! feedback) and natively for the server (the authoritative check).
//!
//! Modules are named after what the user deals with:
//! - [`aid`]: mutual medical aid plans, eligibility, claim dates and payouts;
//! - [`allowances`]: model workers (劳模), their register and monthly allowances;
//! - [`audit`]: the actions the audit log records and their families;
//! - [`identity`]: ID numbers (GB 11643-1999), phone numbers, names, passwords,
//!   and how each is masked on screen;
//! - [`error`]: the error body every endpoint answers with, field problems,
//!   and [`error::Refused`], which each feature's refusal enum implements beside
//!   its rules (its code, status kind and words in both languages);
//! - [`auth`]: sign-in, registration and the profile (`/api/me`);
//! - [`campaigns`]: the campaign banners unions publish on 首页;
//! - [`card`]: the member card, its number, status and activation;
//! - [`ecard`]: the electronic card's rotating code that works offline;
//! - [`education`]: 金秋助学, rounds, applications and awards;
//! - [`join`]: applying to join a union;
//! - [`loans`]: micro guaranteed loans: eligibility, caps and repayment schedules;
//! - [`money`]: the one ceiling on amounts, and sums that never wrap;
//! - [`offers`]: partner-merchant discounts and their arithmetic;
//! - [`request`]: how any request must be sent (JSON body, CSRF header,
//!   query parameters, uploads, `Idempotency-Key`) and its refusals;
//! - [`roster`]: roster import by officers;
//! - [`stats`]: the figures officers are judged on, rates and CSV;
//! - [`training`]: courses, sessions, eligibility and calendar files;
//! - [`payments`]: union money paid onto cards: batches, four eyes, the bank's files;
//! - [`inbox`]: the messages a member is sent about their affairs;
//! - [`i18n`]: the languages the product speaks.

pub mod aid;
pub mod allowances;
pub mod audit;
pub mod auth;
pub mod campaigns;
pub mod card;
pub mod case_file;
pub mod centres;
pub mod counselling;
pub mod ecard;
pub mod education;
pub mod error;
pub mod hardship;
pub mod i18n;
pub mod identity;
pub mod inbox;
pub mod join;
pub mod loans;
pub mod money;
pub mod offers;
pub mod payments;
pub mod request;
pub mod rights;
pub mod roster;
pub mod stats;
pub mod training;
pub mod transfers;

pub use error::{ApiError, ErrorBody, FieldProblem};
pub use i18n::Lang;
