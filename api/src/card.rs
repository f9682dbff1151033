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

/// The bank that issues the cards UnionCard gives (a roster import, an
/// approved join request); the demo city also holds older cards of others.
pub const ISSUING_BANK: &str = "中国工商银行";

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

/// A card number (16-19 digits) whose last digit is its Luhn check digit.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct CardNumber(String);

impl CardNumber {
    /// Parses what a person typed; spaces between groups are ignored.
    pub fn parse(input: &str) -> Result<CardNumber, crate::FieldProblem> {
        use crate::FieldProblem;
        let digits: String = crate::identity::to_half_width(input)
            .chars()
            .filter(|c| !matches!(c, ' ' | '-' | '\u{3000}'))
            .collect();
        if digits.is_empty() {
            return Err(FieldProblem::Required);
        }
        if !(16..=19).contains(&digits.len()) || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(FieldProblem::CardNumberFormat);
        }
        let (body, last) = digits.split_at(digits.len() - 1);
        if luhn_check_digit(body).to_string() != last {
            return Err(FieldProblem::CardNumberChecksum);
        }
        Ok(CardNumber(digits))
    }

    /// The digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The masked form: first four and last four digits.
    pub fn masked(&self) -> String {
        mask_card_no(&self.0)
    }
}

impl std::fmt::Debug for CardNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "CardNumber({})", self.masked())
    }
}

/// `POST /api/card/activate`: the holder proves the card is theirs.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActivateRequest {
    /// The number printed on the card.
    pub card_no: String,
    /// The holder's ID number.
    pub id_number: String,
}

/// An activation whose fields parsed.
#[derive(Debug)]
pub struct Activation {
    /// The card number.
    pub card_no: CardNumber,
    /// The ID number.
    pub id_number: crate::identity::IdNumber,
}

impl ActivateRequest {
    /// Parses both fields, collecting every problem.
    pub fn parse(&self) -> Result<Activation, crate::error::FieldProblems> {
        let mut problems = crate::error::FieldProblems::default();
        let card_no = problems.check("card_no", CardNumber::parse(&self.card_no));
        let id_number = problems.check(
            "id_number",
            crate::identity::IdNumber::parse(&self.id_number),
        );
        match (card_no, id_number) {
            (Some(card_no), Some(id_number)) => Ok(Activation { card_no, id_number }),
            _ => Err(problems),
        }
    }
}

/// `GET /api/card`: the member's card, with a short-lived code for the QR
/// when it is active.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CardView {
    /// Where the card is in its life.
    pub status: CardStatus,
    /// First and last four digits.
    pub card_no_masked: String,
    /// The co-branding bank.
    pub bank: String,
    /// The holder's masked name, as a cashier sees it.
    pub holder_masked: String,
    /// The holder's full name (only ever sent to the holder).
    pub holder: String,
    /// The workplace union.
    pub union_name: String,
    /// When the card was activated (RFC 3339).
    pub activated_at: Option<String>,
    /// The e-card code for the QR (20 digits); only when active.
    pub token: Option<String>,
    /// When that code stops being accepted (RFC 3339).
    pub token_expires_at: Option<String>,
}

/// `POST /api/merchant/card-checks`: a cashier checks a member's e-card code.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CardCheckRequest {
    /// The 20-digit code from the member's QR or screen.
    pub token: String,
}

/// What a cashier learns from a valid code: enough to serve the member, no more.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CardCheckResult {
    /// `*伟`.
    pub holder_masked: String,
    /// The member's workplace union.
    pub union_name: String,
    /// The card's status: only `active` cards get discounts.
    pub card_status: CardStatus,
    /// First and last four digits.
    pub card_no_masked: String,
    /// When the check was made (RFC 3339).
    pub checked_at: String,
}

#[cfg(test)]
mod card_number_tests {
    use super::*;
    use crate::FieldProblem;

    #[test]
    fn card_numbers_are_checked_by_their_luhn_digit() {
        assert!(CardNumber::parse("6222 0202 0000 0000 014").is_ok());
        assert_eq!(
            CardNumber::parse("6222020200000000015"),
            Err(FieldProblem::CardNumberChecksum)
        );
        assert_eq!(
            CardNumber::parse("62220202"),
            Err(FieldProblem::CardNumberFormat)
        );
        assert_eq!(
            CardNumber::parse("6222a20200000000014"),
            Err(FieldProblem::CardNumberFormat)
        );
        assert_eq!(CardNumber::parse(""), Err(FieldProblem::Required));
    }

    #[test]
    fn a_swap_of_two_neighbouring_digits_is_caught() {
        // Luhn catches every single-digit error and most transpositions.
        assert_eq!(
            CardNumber::parse("6222020200000000104"),
            Err(FieldProblem::CardNumberChecksum)
        );
    }
}

/// A card as an officer sees it when freezing or unfreezing it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffCardView {
    /// First and last four digits.
    pub card_no_masked: String,
    /// The holder's name.
    pub holder: String,
    /// The holder's masked ID number.
    pub id_number_masked: String,
    /// The holder's workplace union.
    pub union_name: String,
    /// Where the card is in its life.
    pub status: CardStatus,
    /// When it was activated (RFC 3339).
    pub activated_at: Option<String>,
    /// The holder's account, when they have registered (to disable it).
    #[serde(default)]
    pub account: Option<crate::auth::AccountSummary>,
}

/// `POST /api/staff/cards/lookup`, `/freeze`, `/unfreeze`, `/replace`: the
/// card number travels in the body, never in a URL (URLs end up in access
/// logs).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CardLookup {
    /// The full card number, or the holder's ID number (a member who lost
    /// their card seldom knows its number; they bring their ID card).
    pub card_no: String,
}

/// `POST /api/staff/cards/replace` answered: the card as it now is, and
/// its new number whole, once, for the officer who hands it over (the
/// holder activates it with this number and their ID number).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CardReplaced {
    /// The card, now issued under its new number.
    pub card: StaffCardView,
    /// The new number, whole.
    pub new_card_no: String,
}

/// Why the holder's step on their own card was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CardRefusal {
    /// Activation with a number that is not the holder's card (neither this
    /// nor [`CardRefusal::IdMismatch`] tells whether some other card exists).
    CardMismatch,
    /// Activation with an ID number that is not the holder's.
    IdMismatch,
    /// Activating a card that is active already.
    AlreadyActive,
    /// Activating a card the union froze.
    Frozen,
    /// Activating a card reported lost.
    Lost,
    /// Reporting lost a card reported lost already.
    AlreadyLost,
}

impl crate::error::Refused for CardRefusal {
    fn code(&self) -> &'static str {
        match self {
            CardRefusal::CardMismatch => "card_mismatch",
            CardRefusal::IdMismatch => "id_mismatch",
            CardRefusal::AlreadyActive => "already_active",
            CardRefusal::Frozen => "card_frozen",
            CardRefusal::Lost => "card_lost",
            CardRefusal::AlreadyLost => "already_lost",
        }
    }

    fn refusal(&self) -> crate::error::Refusal {
        use crate::error::Refusal;
        match self {
            CardRefusal::CardMismatch | CardRefusal::IdMismatch => Refusal::Unprocessable,
            _ => Refusal::Conflict,
        }
    }

    fn message(&self, lang: crate::Lang) -> String {
        match self {
            CardRefusal::CardMismatch => lang.pick(
                "卡号与您名下的会员卡不符，请对照卡面核对",
                "This is not the number of the card issued to you; check it against the card",
            ),
            CardRefusal::IdMismatch => lang.pick(
                "身份证号与持卡人不符",
                "The ID number does not match the card holder",
            ),
            CardRefusal::AlreadyActive => lang.pick(
                "这张卡已经激活，可以直接使用",
                "This card is already active",
            ),
            CardRefusal::Frozen => lang.pick(
                "这张卡已被工会冻结，请联系所在单位工会",
                "This card is frozen by the union; contact your workplace union",
            ),
            CardRefusal::Lost => lang.pick(
                "这张卡已挂失，请联系所在单位工会补办",
                "This card is reported lost; your workplace union can reissue it",
            ),
            CardRefusal::AlreadyLost => {
                lang.pick("这张卡已经挂失", "This card is already reported lost")
            }
        }
        .to_string()
    }

    fn field(&self, lang: crate::Lang) -> Option<(&'static str, String)> {
        let (field, zh, en) = match self {
            CardRefusal::CardMismatch => (
                "card_no",
                "卡号与您名下的会员卡不符",
                "Not the number of your card",
            ),
            CardRefusal::IdMismatch => (
                "id_number",
                "身份证号与持卡人不符",
                "Does not match the card holder",
            ),
            _ => return None,
        };
        Some((field, lang.pick(zh, en).to_string()))
    }
}

/// Why an officer could not freeze or unfreeze a card. (The words are the
/// officer's: a holder told their card is lost is also told where to go.)
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FreezeRefusal {
    /// Freezing a frozen card.
    AlreadyFrozen,
    /// Freezing or unfreezing a card reported lost.
    Lost,
    /// Unfreezing a card that is not frozen.
    NotFrozen,
    /// The card's status changed between reading and writing it.
    ChangedMeanwhile,
    /// Replacing a card not reported lost (a damaged one is reported lost
    /// first, so its codes stop before the new one is made).
    NotLost,
}

impl crate::error::Refused for FreezeRefusal {
    fn code(&self) -> &'static str {
        match self {
            FreezeRefusal::AlreadyFrozen => "already_frozen",
            FreezeRefusal::Lost => "card_lost",
            FreezeRefusal::NotFrozen => "not_frozen",
            FreezeRefusal::ChangedMeanwhile => "changed_meanwhile",
            FreezeRefusal::NotLost => "card_not_lost",
        }
    }

    fn refusal(&self) -> crate::error::Refusal {
        crate::error::Refusal::Conflict
    }

    fn message(&self, lang: crate::Lang) -> String {
        match self {
            FreezeRefusal::AlreadyFrozen => {
                lang.pick("这张卡已经冻结", "This card is already frozen")
            }
            FreezeRefusal::Lost => lang.pick("这张卡已挂失", "This card is reported lost"),
            FreezeRefusal::NotFrozen => lang.pick("这张卡没有被冻结", "This card is not frozen"),
            FreezeRefusal::ChangedMeanwhile => lang.pick(
                "卡片状态刚刚发生变化，请刷新",
                "The card changed meanwhile; reload",
            ),
            FreezeRefusal::NotLost => lang.pick(
                "只有已挂失的卡才能补办；卡片损坏的，请会员先挂失",
                "Only a card reported lost is replaced; a damaged card is reported lost first",
            ),
        }
        .to_string()
    }
}

#[cfg(test)]
mod refusal_tests {
    use super::*;
    use crate::error::checks::assert_refusals;

    #[test]
    fn every_card_refusal_has_its_own_code_and_words_in_both_languages() {
        use CardRefusal::*;
        assert_refusals(&[
            CardMismatch,
            IdMismatch,
            AlreadyActive,
            Frozen,
            Lost,
            AlreadyLost,
        ]);
        assert_refusals(&[
            FreezeRefusal::AlreadyFrozen,
            FreezeRefusal::Lost,
            FreezeRefusal::NotFrozen,
            FreezeRefusal::ChangedMeanwhile,
            FreezeRefusal::NotLost,
        ]);
    }
}
