//! The member service card (工会会员服务卡).

use serde::{Deserialize, Serialize};

/// Where a card is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CardStatus {
    /// Printed and handed out, not yet activated by its holder.
    Issued,
    /// Activated: discounts and benefits work.
    Active,
    /// Frozen by an officer.
    Frozen,
    /// Reported lost by its holder.
    Lost,
}

impl CardStatus {
    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            CardStatus::Issued => "issued",
            CardStatus::Active => "active",
            CardStatus::Frozen => "frozen",
            CardStatus::Lost => "lost",
        }
    }

    /// Parses the stored name.
    pub fn from_db(s: &str) -> Option<CardStatus> {
        Some(match s {
            "issued" => CardStatus::Issued,
            "active" => CardStatus::Active,
            "frozen" => CardStatus::Frozen,
            "lost" => CardStatus::Lost,
            _ => return None,
        })
    }
}

/// A card as shown to its holder: the number masked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CardSummary {
    /// `6222 **** **** ***0 014`-style masked number: first four and last four digits.
    pub card_no_masked: String,
    /// The co-branding bank, e.g. `中国工商银行`.
    pub bank: String,
    /// Where the card is in its life.
    pub status: CardStatus,
}

/// Masks a card number, keeping the first four and last four digits.
pub fn mask_card_no(card_no: &str) -> String {
    let n = card_no.len();
    if n < 8 || !card_no.is_ascii() {
        return "*".repeat(card_no.chars().count());
    }
    format!(
        "{}{}{}",
        &card_no[..4],
        "*".repeat(n - 8),
        &card_no[n - 4..]
    )
}

/// The Luhn check digit for the digits before it (card numbers end with one).
///
/// ```
/// assert_eq!(unioncard_api::card::luhn_check_digit("622202020000000001"), 4);
/// ```
pub fn luhn_check_digit(body: &str) -> u8 {
    let sum: u32 = body
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 0 {
                let x = d * 2;
                if x > 9 {
                    x - 9
                } else {
                    x
                }
            } else {
                d
            }
        })
        .sum();
    ((10 - sum % 10) % 10) as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_card_numbers_carry_their_luhn_digit() {
        for card in [
            "6222020200000000014",
            "6222020200000000022",
            "6222020200000000998",
        ] {
            let (body, last) = card.split_at(card.len() - 1);
            assert_eq!(luhn_check_digit(body).to_string(), last, "{card}");
        }
    }

    #[test]
    fn card_numbers_are_masked() {
        assert_eq!(mask_card_no("6222020200000000014"), "6222***********0014");
    }

    #[test]
    fn statuses_round_trip() {
        for s in [
            CardStatus::Issued,
            CardStatus::Active,
            CardStatus::Frozen,
            CardStatus::Lost,
        ] {
            assert_eq!(CardStatus::from_db(s.as_str()), Some(s));
        }
    }
}
