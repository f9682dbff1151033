//! Who a person is: resident ID numbers, mobile numbers, names and passwords.
//! Each is a type that can only be built by parsing, so past the edge of the
//! program nothing holds an unchecked string. ID numbers and phone numbers are
//! personal information (PIPL): [`IdNumber::masked`] and [`Phone::masked`] are
//! the only forms that may reach a screen or a log.

use std::fmt;

use chrono::{Datelike, Month, Months, NaiveDate};

use crate::error::FieldProblem;

/// The weights of GB 11643-1999 (ISO 7064 MOD 11-2) for the first 17 digits.
const ID_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/// The check character for each remainder of the weighted sum modulo 11.
const ID_CHECK: [u8; 11] = *b"10X98765432";

/// A person's sex as encoded in the 17th character of their ID number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Gender {
    /// Odd sequence digit.
    Male,
    /// Even sequence digit.
    Female,
}

/// A calendar date (proleptic Gregorian), as found in an ID number.
///
/// The fields are what screens and rules read; the calendar itself (month
/// lengths, leap years, day counts) is chrono's [`NaiveDate`]. Build one with
/// [`Date::new`], [`Date::parse_iso`] or [`Date::from_days`]: a literal must
/// name a day that exists, or the arithmetic below panics.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Year, e.g. 1988.
    pub year: u16,
    /// Month 1-12.
    pub month: u8,
    /// Day 1-31.
    pub day: u8,
}

impl Date {
    /// Builds a date, or `None` when it does not exist (30 February, month 13).
    pub fn new(year: u16, month: u8, day: u8) -> Option<Date> {
        // chrono knows which days exist; the fields are kept as given rather
        // than read back, which would bring its day-of-year tables to screens
        // that only check dates.
        NaiveDate::from_ymd_opt(year.into(), month.into(), day.into())?;
        Some(Date { year, month, day })
    }

    /// ISO 8601, as the contract writes dates: `1988-03-15`.
    pub fn iso(&self) -> String {
        // Written by hand rather than with chrono's formatter, whose machinery
        // would weigh more in the phone's bundle than this line.
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    /// Reads an ISO 8601 date (`2026-11-24`); `None` for anything else.
    pub fn parse_iso(s: &str) -> Option<Date> {
        // Only the contract's one form, read by hand: chrono's parser accepts
        // more (signs, short fields) and brings its format machinery along.
        let s = s.trim();
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let year = s[0..4].parse().ok()?;
        let month = s[5..7].parse().ok()?;
        let day = s[8..10].parse().ok()?;
        Date::new(year, month, day)
    }

    /// Days since 1970-01-01, for counting days between dates.
    pub fn to_days(self) -> i64 {
        self.naive().to_epoch_days().into()
    }

    /// The date a count of days after 1970-01-01. Counts beyond chrono's
    /// range (about 262,000 years either way) stop at its first or last day.
    pub fn from_days(days: i64) -> Date {
        let date = i32::try_from(days)
            .ok()
            .and_then(NaiveDate::from_epoch_days);
        Date::from_naive(date.unwrap_or(if days < 0 {
            NaiveDate::MIN
        } else {
            NaiveDate::MAX
        }))
    }

    /// This date moved by a number of days.
    pub fn add_days(self, days: i64) -> Date {
        Date::from_days(self.to_days() + days)
    }

    /// The same day some months later, clamped to the month's end
    /// (31 January + 1 month = 28 or 29 February).
    pub fn add_months(self, months: u32) -> Date {
        // chrono clamps to the month's end the same way.
        let date = self.naive().checked_add_months(Months::new(months));
        Date::from_naive(date.unwrap_or(NaiveDate::MAX))
    }

    /// Whole years from a birth date to this date (a person's age on it).
    /// Negative when the birth date is later, so an age check refuses it.
    pub fn years_since(self, birth: Date) -> i64 {
        // chrono's `NaiveDate::years_since` has no answer for a later birth
        // date; this comparison of fields gives one and is the same otherwise.
        let mut years = i64::from(self.year) - i64::from(birth.year);
        if (self.month, self.day) < (birth.month, birth.day) {
            years -= 1;
        }
        years
    }

    /// The same day as chrono's date, for its arithmetic.
    fn naive(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year.into(), self.month.into(), self.day.into())
            .expect("a Date names a day that exists")
    }

    /// The fields of chrono's date. A year outside `u16` wraps, as it did
    /// before chrono; no date in this product comes near.
    fn from_naive(date: NaiveDate) -> Date {
        Date {
            year: date.year() as u16,
            month: date.month() as u8,
            day: date.day() as u8,
        }
    }
}

impl fmt::Display for Date {
    /// As people in China write a date: `1988年3月15日`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}年{}月{}日", self.year, self.month, self.day)
    }
}

// Only the tests still ask; days_in_month takes February's length from chrono.
#[cfg(test)]
fn is_leap(year: u16) -> bool {
    NaiveDate::from_ymd_opt(year.into(), 1, 1).is_some_and(|d| d.leap_year())
}

/// Days in a month of a year, leap years included; 0 for a month that is not 1-12.
pub fn days_in_month(year: u16, month: u8) -> u8 {
    Month::try_from(month)
        .ok()
        .and_then(|m| m.num_days(year.into()))
        .unwrap_or(0)
}

/// An 18-character resident ID number (居民身份证号码) whose check character,
/// birth date and region prefix are valid.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct IdNumber(String);

impl IdNumber {
    /// Parses what a person typed: surrounding spaces are ignored and a final
    /// lower-case `x` is accepted as `X`.
    pub fn parse(input: &str) -> Result<IdNumber, FieldProblem> {
        let s = to_half_width(input.trim()).to_ascii_uppercase();
        if s.is_empty() {
            return Err(FieldProblem::Required);
        }
        if s.chars().count() != 18 {
            return Err(FieldProblem::IdNumberLength);
        }
        let bytes = s.as_bytes();
        let body_ok = bytes[..17].iter().all(u8::is_ascii_digit);
        let last_ok = bytes[17].is_ascii_digit() || bytes[17] == b'X';
        // The first digit is a region (1 north China ... 8 Hong Kong, Macao, Taiwan).
        if !body_ok || !last_ok || !(b'1'..=b'8').contains(&bytes[0]) {
            return Err(FieldProblem::IdNumberFormat);
        }
        let num = |range: std::ops::Range<usize>| -> u16 {
            bytes[range]
                .iter()
                .fold(0u16, |acc, b| acc * 10 + u16::from(b - b'0'))
        };
        let (year, month, day) = (num(6..10), num(10..12) as u8, num(12..14) as u8);
        if !(1900..=2099).contains(&year) || Date::new(year, month, day).is_none() {
            return Err(FieldProblem::IdNumberBirthDate);
        }
        if check_character(&bytes[..17]) != bytes[17] {
            return Err(FieldProblem::IdNumberChecksum);
        }
        Ok(IdNumber(s))
    }

    /// The full number. Only for encryption and keyed hashing: never display it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The birth date encoded in characters 7-14.
    pub fn birth_date(&self) -> Date {
        let b = self.0.as_bytes();
        let n = |r: std::ops::Range<usize>| -> u16 {
            b[r].iter().fold(0u16, |a, c| a * 10 + u16::from(c - b'0'))
        };
        Date {
            year: n(6..10),
            month: n(10..12) as u8,
            day: n(12..14) as u8,
        }
    }

    /// The sex encoded by the parity of the 17th character.
    pub fn gender(&self) -> Gender {
        if (self.0.as_bytes()[16] - b'0') % 2 == 1 {
            Gender::Male
        } else {
            Gender::Female
        }
    }

    /// The administrative region code: the first six digits.
    pub fn region(&self) -> &str {
        &self.0[..6]
    }

    /// The masked form shown on screen: `4201**********1234`.
    pub fn masked(&self) -> String {
        mask_id_number(&self.0)
    }
}

/// Turns full-width digits and letters (what a Chinese input method often
/// types: `４２０１…Ｘ`) into their ASCII forms; leaves everything else alone.
pub fn to_half_width(input: &str) -> String {
    input
        .chars()
        .map(|c| match c {
            '\u{FF10}'..='\u{FF19}' | '\u{FF21}'..='\u{FF3A}' | '\u{FF41}'..='\u{FF5A}' => {
                char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
            }
            _ => c,
        })
        .collect()
}

/// Computes the GB 11643 check character for the first 17 digits.
///
/// ```
/// assert_eq!(unioncard_api::identity::check_character(b"11010519491231002"), b'X');
/// ```
pub fn check_character(first17: &[u8]) -> u8 {
    let sum: u32 = first17
        .iter()
        .zip(ID_WEIGHTS)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    ID_CHECK[(sum % 11) as usize]
}

/// The sex encoded in a masked ID number: masking keeps the last four
/// characters, and the 17th is the sex digit (odd for men).
pub fn gender_of_masked(masked: &str) -> Option<Gender> {
    let c = masked.chars().nth(16)?;
    let d = c.to_digit(10)?;
    Some(if d % 2 == 1 {
        Gender::Male
    } else {
        Gender::Female
    })
}
/// Masks an ID number, keeping the first and last four characters.
pub fn mask_id_number(id: &str) -> String {
    let chars: Vec<char> = id.chars().collect();
    if chars.len() < 8 {
        return "*".repeat(chars.len());
    }
    let head: String = chars[..4].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(chars.len() - 8))
}

impl fmt::Debug for IdNumber {
    /// Debug output is masked too, so a stray `{:?}` never leaks a number.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "IdNumber({})", self.masked())
    }
}

/// A mainland mobile number: 11 digits, starting with 1 and a second digit 3-9.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Phone(String);

impl Phone {
    /// Parses a mobile number, ignoring spaces and dashes people type between groups.
    pub fn parse(input: &str) -> Result<Phone, FieldProblem> {
        let digits: String = to_half_width(input)
            .chars()
            .filter(|c| !matches!(c, ' ' | '-' | '\u{3000}'))
            .collect();
        if digits.is_empty() {
            return Err(FieldProblem::Required);
        }
        let b = digits.as_bytes();
        if b.len() != 11 || !b.iter().all(u8::is_ascii_digit) || b[0] != b'1' || b[1] < b'3' {
            return Err(FieldProblem::PhoneFormat);
        }
        Ok(Phone(digits))
    }

    /// The full number. Only for encryption, keyed hashing and sending messages.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The masked form shown on screen: `138****0001`.
    pub fn masked(&self) -> String {
        mask_phone(&self.0)
    }
}

/// Masks a phone number, keeping the first three and last four digits.
pub fn mask_phone(phone: &str) -> String {
    if phone.len() != 11 || !phone.is_ascii() {
        return "*".repeat(phone.chars().count());
    }
    format!("{}****{}", &phone[..3], &phone[7..])
}

impl fmt::Debug for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Phone({})", self.masked())
    }
}

/// A person's name as on their ID card: Chinese names, and names written in
/// letters with spaces or the middle dot of minority and foreign names.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PersonName(String);

impl PersonName {
    /// Parses a name; surrounding spaces are dropped.
    pub fn parse(input: &str) -> Result<PersonName, FieldProblem> {
        let s = input.trim();
        if s.is_empty() {
            return Err(FieldProblem::Required);
        }
        let ok_char = |c: char| c.is_alphabetic() || matches!(c, '·' | '•' | ' ' | '.' | '-');
        if s.chars().count() > 30 || !s.chars().all(ok_char) {
            return Err(FieldProblem::NameInvalid);
        }
        Ok(PersonName(s.to_string()))
    }

    /// The name as entered.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The masked form shown to others, e.g. a cashier: `*伟`, `李*`, `欧**华`.
    pub fn masked(&self) -> String {
        mask_name(&self.0)
    }
}

/// Masks a name: two characters keep the last, longer names keep the first and last.
pub fn mask_name(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    match chars.len() {
        0 => String::new(),
        1 => "*".into(),
        2 => format!("*{}", chars[1]),
        n => format!("{}{}{}", chars[0], "*".repeat(n - 2), chars[n - 1]),
    }
}

/// A new password that meets the policy: 8-128 characters, letters and digits.
/// Existing passwords are never parsed with this: a sign-in just compares.
#[derive(Clone, PartialEq, Eq)]
pub struct NewPassword(String);

impl NewPassword {
    /// Checks a new password against the policy.
    pub fn parse(input: &str) -> Result<NewPassword, FieldProblem> {
        let n = input.chars().count();
        if n == 0 {
            return Err(FieldProblem::Required);
        }
        if n < 8 {
            return Err(FieldProblem::PasswordTooShort);
        }
        if n > 128 {
            return Err(FieldProblem::PasswordTooLong);
        }
        let letters = input.chars().any(char::is_alphabetic);
        let digits = input.chars().any(|c| c.is_ascii_digit());
        if !(letters && digits) {
            return Err(FieldProblem::PasswordTooWeak);
        }
        Ok(NewPassword(input.to_string()))
    }

    /// The password itself, for hashing.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NewPassword(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn demo_members_id_numbers_are_valid() {
        for id in [
            "420102198803151236",
            "420106199207082342",
            "420103199501010009",
        ] {
            assert!(IdNumber::parse(id).is_ok(), "{id}");
        }
        let zhang = IdNumber::parse("420102198803151236").unwrap();
        assert_eq!(zhang.gender(), Gender::Male);
        assert_eq!(zhang.birth_date(), Date::new(1988, 3, 15).unwrap());
        let li = IdNumber::parse("420106199207082342").unwrap();
        assert_eq!(li.gender(), Gender::Female);
        assert_eq!(li.region(), "420106");
    }

    #[test]
    fn an_id_ending_in_x_is_accepted_in_either_case() {
        // The standard's own example: 11010519491231002X.
        let upper = IdNumber::parse("11010519491231002X").unwrap();
        let lower = IdNumber::parse(" 11010519491231002x ").unwrap();
        assert_eq!(upper, lower);
        assert_eq!(upper.expose(), "11010519491231002X");
        assert_eq!(upper.gender(), Gender::Female);
    }

    #[test]
    fn full_width_input_from_chinese_keyboards_is_accepted() {
        let id = IdNumber::parse("１１０１０５１９４９１２３１００２ｘ").unwrap();
        assert_eq!(id.expose(), "11010519491231002X");
        assert_eq!(
            Phone::parse("１３８　００００　０００１").unwrap().expose(),
            "13800000001"
        );
    }

    #[test]
    fn a_wrong_check_character_is_refused() {
        assert_eq!(
            IdNumber::parse("420102198803151237"),
            Err(FieldProblem::IdNumberChecksum)
        );
        assert_eq!(
            IdNumber::parse("110105194912310021"),
            Err(FieldProblem::IdNumberChecksum)
        );
    }

    #[test]
    fn impossible_birth_dates_are_refused() {
        // 30 February, 29 February in a common year, month 13, year 1850.
        for first17 in [
            "42010219880230123",
            "42010219890229123",
            "42010219881301123",
            "42010218500101123",
        ] {
            let check = check_character(first17.as_bytes()) as char;
            let id = format!("{first17}{check}");
            assert_eq!(
                IdNumber::parse(&id),
                Err(FieldProblem::IdNumberBirthDate),
                "{id}"
            );
        }
        // 29 February in a leap year exists.
        let leap = "42010219880229123";
        let id = format!("{leap}{}", check_character(leap.as_bytes()) as char);
        assert!(IdNumber::parse(&id).is_ok());
    }

    #[test]
    fn malformed_id_numbers_say_what_is_wrong() {
        assert_eq!(IdNumber::parse(""), Err(FieldProblem::Required));
        assert_eq!(
            IdNumber::parse("4201021988"),
            Err(FieldProblem::IdNumberLength)
        );
        assert_eq!(
            IdNumber::parse("42010219880315123A"),
            Err(FieldProblem::IdNumberFormat)
        );
        assert_eq!(
            IdNumber::parse("4201021988031512X6"),
            Err(FieldProblem::IdNumberFormat)
        );
        assert_eq!(
            IdNumber::parse("020102198803151236"),
            Err(FieldProblem::IdNumberFormat)
        );
        assert_eq!(
            IdNumber::parse("四二0102198803151236"),
            Err(FieldProblem::IdNumberFormat)
        );
    }

    #[test]
    fn id_numbers_are_masked_and_never_debug_printed_whole() {
        let id = IdNumber::parse("420102198803151236").unwrap();
        assert_eq!(id.masked(), "4201**********1236");
        assert!(!format!("{id:?}").contains("19880315"));
    }

    #[test]
    fn phones_parse_and_mask() {
        assert_eq!(
            Phone::parse("138 0000 0001").unwrap().masked(),
            "138****0001"
        );
        assert_eq!(Phone::parse("12800000001"), Err(FieldProblem::PhoneFormat));
        assert_eq!(Phone::parse("1380000000"), Err(FieldProblem::PhoneFormat));
        assert_eq!(Phone::parse("23800000001"), Err(FieldProblem::PhoneFormat));
        assert_eq!(Phone::parse(""), Err(FieldProblem::Required));
        assert!(!format!("{:?}", Phone::parse("13800000001").unwrap()).contains("0000000"));
    }

    #[test]
    fn names_parse_and_mask() {
        assert_eq!(PersonName::parse(" 王芳 ").unwrap().as_str(), "王芳");
        assert_eq!(
            PersonName::parse("买买提·艾力").unwrap().masked(),
            "买****力"
        );
        assert_eq!(PersonName::parse("张伟").unwrap().masked(), "*伟");
        assert_eq!(PersonName::parse("王2芳"), Err(FieldProblem::NameInvalid));
        assert_eq!(PersonName::parse("  "), Err(FieldProblem::Required));
    }

    #[test]
    fn password_policy() {
        assert!(NewPassword::parse("Demo@2026").is_ok());
        assert_eq!(
            NewPassword::parse("abc123"),
            Err(FieldProblem::PasswordTooShort)
        );
        assert_eq!(
            NewPassword::parse("abcdefghij"),
            Err(FieldProblem::PasswordTooWeak)
        );
        assert_eq!(
            NewPassword::parse("1234567890"),
            Err(FieldProblem::PasswordTooWeak)
        );
        assert_eq!(
            NewPassword::parse(&"a1".repeat(65)),
            Err(FieldProblem::PasswordTooLong)
        );
    }

    proptest! {
        /// Any 17 valid digits completed with their check character parse, and
        /// changing the check character to anything else is refused.
        #[test]
        fn every_valid_body_with_its_check_character_parses(
            region in 110000u32..659999,
            days in 0u32..(365 * 100),
            seq in 0u32..1000,
            wrong in 0usize..11,
        ) {
            let (y, m, d) = date_from_offset(days);
            let body = format!("{region:06}{y:04}{m:02}{d:02}{seq:03}");
            let check = check_character(body.as_bytes());
            let id = format!("{body}{}", check as char);
            prop_assert!(IdNumber::parse(&id).is_ok());
            let other = ID_CHECK[wrong];
            if other != check {
                let bad = format!("{body}{}", other as char);
                prop_assert_eq!(IdNumber::parse(&bad), Err(FieldProblem::IdNumberChecksum));
            }
        }

        /// Masking never reveals the birth date, whatever the input.
        #[test]
        fn masking_hides_the_middle(s in "[0-9]{17}[0-9X]") {
            let masked = mask_id_number(&s);
            prop_assert_eq!(masked.len(), 18);
            prop_assert_eq!(&masked[4..14], "**********");
        }
    }

    #[test]
    fn the_sex_digit_survives_masking() {
        assert_eq!(gender_of_masked("4201**********1236"), Some(Gender::Male));
        assert_eq!(gender_of_masked("4201**********2342"), Some(Gender::Female));
        assert_eq!(gender_of_masked("4201****"), None);
    }

    #[test]
    fn dates_count_days_and_months() {
        let d = Date::parse_iso("2026-11-24").unwrap();
        assert_eq!(Date::from_days(d.to_days()), d);
        assert_eq!(Date::new(1970, 1, 1).unwrap().to_days(), 0);
        assert_eq!(d.add_days(38).iso(), "2027-01-01");
        assert_eq!(
            Date::new(2026, 1, 31).unwrap().add_months(1).iso(),
            "2026-02-28"
        );
        assert_eq!(
            Date::new(2027, 12, 15).unwrap().add_months(24).iso(),
            "2029-12-15"
        );
        assert_eq!(d.years_since(Date::new(1992, 7, 8).unwrap()), 34);
        assert_eq!(d.years_since(Date::new(1992, 11, 25).unwrap()), 33);
        assert_eq!(Date::parse_iso("2026-02-30"), None);
        assert_eq!(Date::parse_iso("2026/02/01"), None);
    }

    proptest! {
        #[test]
        fn day_counts_round_trip(days in -40_000i64..60_000) {
            let d = Date::from_days(days);
            prop_assert_eq!(d.to_days(), days);
            prop_assert_eq!(Date::parse_iso(&d.iso()), Some(d));
        }
    }

    fn date_from_offset(mut days: u32) -> (u16, u8, u8) {
        let mut year = 1920u16;
        loop {
            let len = if is_leap(year) { 366 } else { 365 };
            if days < len {
                break;
            }
            days -= len;
            year += 1;
        }
        let mut month = 1u8;
        while days >= u32::from(days_in_month(year, month)) {
            days -= u32::from(days_in_month(year, month));
            month += 1;
        }
        (year, month, days as u8 + 1)
    }
}
