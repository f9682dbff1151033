//! Union officers' work: roster import, the join-request queue, freezing cards.
//! Every handler starts from the officer's [`Scope`](crate::scope::Scope).

pub mod accounts;
pub mod aid;
pub mod audit;
pub mod cards;
pub mod complaints;
pub mod contributions;
pub mod join_requests;
pub mod loans;
pub mod merchants;
pub mod plans;
pub mod roster;
pub mod stats;
pub mod training;

use utoipa_axum::router::OpenApiRouter;

use crate::AppState;

/// The officers' routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(roster::router())
        .merge(join_requests::router())
        .merge(cards::router())
        .merge(accounts::router())
        .merge(complaints::router())
        .merge(training::router())
        .merge(aid::router())
        .merge(loans::router())
        .merge(stats::router())
        .merge(audit::router())
        .merge(merchants::router())
        .merge(plans::router())
        .merge(contributions::router())
}
