//! The member card as it looks in the hand: union, bank, masked number, status.

use leptos::prelude::*;
use unioncard_api::card::{CardStatus, CardSummary};

use crate::i18n::tr;
use crate::i18n::{use_i18n, Strings};

/// The words for a card status.
pub fn status_text(s: &Strings, status: CardStatus) -> &'static str {
    match status {
        CardStatus::Issued => s.card_status_issued,
        CardStatus::Active => s.card_status_active,
        CardStatus::Frozen => s.card_status_frozen,
        CardStatus::Lost => s.card_status_lost,
    }
}

/// What a status means for the holder.
pub fn status_help(s: &Strings, status: CardStatus) -> &'static str {
    match status {
        CardStatus::Issued => s.card_issued_help,
        CardStatus::Active => s.card_active_help,
        CardStatus::Frozen => s.card_frozen_help,
        CardStatus::Lost => s.card_lost_help,
    }
}

/// The card face. `holder` is the masked name: the face is what a cashier sees.
#[component]
pub fn CardFace(card: CardSummary, holder: String, union_name: Option<String>) -> impl IntoView {
    let i18n = use_i18n();
    let status = card.status;
    // As banks print a masked number: the first and last four digits.
    let no = &card.card_no_masked;
    let grouped = if no.len() > 8 && no.is_ascii() {
        format!("{} **** **** {}", &no[..4], &no[no.len() - 4..])
    } else {
        no.clone()
    };
    view! {
        <section class="card-face" class:inactive=status != CardStatus::Active data-test="card-face">
            <div class="card-top">
                <span class="card-title">{tr(|s| s.card_title)}</span>
                <span class=format!("card-status status-{}", status.as_str()) data-test="card-status">
                    {move || status_text(i18n.t(), status)}
                </span>
            </div>
            <p class="card-union">{union_name.unwrap_or_default()}</p>
            <p class="card-no" aria-label=tr(|s| s.card_number)>{grouped}</p>
            <div class="card-bottom">
                <span class="card-holder">{holder}</span>
                <span class="card-bank">{card.bank}</span>
            </div>
        </section>
        <p class="card-help">{move || status_help(i18n.t(), status)}</p>
    }
}
