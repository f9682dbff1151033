//! One module per screen, named as the user names it.

pub mod account;
pub mod aid;
pub mod card;
pub mod cashier;
pub mod cashier_redeem;
pub mod centres;
pub mod counselling;
pub mod education;
pub mod hardship;
pub mod home;
pub mod inbox;
pub mod join;
pub mod loans;
pub mod manage;
pub mod merchant;
pub mod not_found;
pub mod offers;
pub mod payments;
pub mod rights;
pub mod savings;
pub mod search;
pub mod services;
pub mod staff;
pub mod training;
pub mod transfer;

/// An RFC 3339 instant as people write it in the language chosen when it is
/// drawn: `2026年11月23日 09:30` in Chinese, `2026-11-23 09:30` in English
/// (the words of a date are the shared crate's, through [`format_date`]).
/// Inside a closure of a view it follows the language switch (it reads the
/// language signal when there is one).
pub fn format_date_time(rfc3339: &str) -> String {
    let (date, rest) = rfc3339.split_once('T').unwrap_or((rfc3339, ""));
    let lang = leptos::prelude::use_context::<crate::i18n::I18n>()
        .map(|i| leptos::prelude::Get::get(&i.lang))
        .unwrap_or_else(crate::i18n::current_lang);
    format!(
        "{} {}",
        format_date(date, lang),
        rest.get(..5).unwrap_or("")
    )
}

/// An ISO date as people write it: `2026年11月24日` in Chinese, as it is in English.
pub fn format_date(iso: &str, lang: crate::i18n::Lang) -> String {
    match (unioncard_api::identity::Date::parse_iso(iso), lang) {
        (Some(d), crate::i18n::Lang::Zh) => d.to_string(),
        _ => iso.to_string(),
    }
}
