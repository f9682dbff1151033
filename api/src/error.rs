//! The error body every endpoint answers with, and the problems a single field
//! can have. The phone shows the same words the server would send, because
//! both take them from here.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::Lang;

/// `{"error": {...}}`: the body of every non-2xx answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    /// What went wrong.
    pub error: ApiError,
}

/// What went wrong: a stable code for programs, a sentence for people, and
/// per-field explanations when the input was the problem.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiError {
    /// A snake_case code such as `not_in_roster` or `validation_failed`.
    pub code: String,
    /// A human sentence in the language the client asked for.
    pub message: String,
    /// For each field at fault, what is wrong with it.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub fields: BTreeMap<String, String>,
}

/// Something wrong with one input field. Parsing a domain type yields one of
/// these; the form shows it next to the field, the server returns it in
/// `fields`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldProblem {
    /// Nothing was entered.
    Required,
    /// An ID number that is not 18 characters.
    IdNumberLength,
    /// An ID number with characters other than 17 digits and a final digit or X.
    IdNumberFormat,
    /// An ID number whose birth date does not exist.
    IdNumberBirthDate,
    /// An ID number whose check character does not match.
    IdNumberChecksum,
    /// A phone number that is not 11 digits starting with 1.
    PhoneFormat,
    /// A name that is too long or contains digits or symbols.
    NameInvalid,
    /// A password shorter than 8 characters.
    PasswordTooShort,
    /// A password longer than 128 characters.
    PasswordTooLong,
    /// A password without both letters and digits.
    PasswordTooWeak,
    /// A card number that is not 16-19 digits.
    CardNumberFormat,
    /// A card number whose last (Luhn) digit does not match.
    CardNumberChecksum,
    /// An e-card code that is not 20 digits.
    EcardCodeFormat,
    /// Text too long for the field.
    TooLong,
    /// A money amount or count below zero.
    Negative,
    /// A money amount beyond any plausible bill (over ¥100,000,000).
    TooLarge,
    /// A date that is not a real `YYYY-MM-DD` date.
    DateFormat,
    /// An end date before its start date.
    EndBeforeStart,
    /// Insurance and self-paid parts that add up to more than the bill.
    PartsExceedTotal,
    /// A choice the rule needs (hospital grade, disease group) is missing or unknown.
    ChooseOne,
    /// A new password the same as the one it replaces.
    SameAsBefore,
    /// A date outside the year it belongs to (an admission for this year's round).
    OutsideYear,
    /// A unified social credit code whose characters or check character
    /// are wrong.
    CreditCode,
    /// Shorter than the least that says anything.
    TooShort,
    /// A time that has already come.
    NotInFuture,
    /// A date after today where only a past one makes sense.
    InFuture,
}

impl FieldProblem {
    /// A short stable code, used in tests and logs.
    pub fn code(self) -> &'static str {
        match self {
            FieldProblem::Required => "required",
            FieldProblem::IdNumberLength => "id_number_length",
            FieldProblem::IdNumberFormat => "id_number_format",
            FieldProblem::IdNumberBirthDate => "id_number_birth_date",
            FieldProblem::IdNumberChecksum => "id_number_checksum",
            FieldProblem::PhoneFormat => "phone_format",
            FieldProblem::NameInvalid => "name_invalid",
            FieldProblem::PasswordTooShort => "password_too_short",
            FieldProblem::PasswordTooLong => "password_too_long",
            FieldProblem::PasswordTooWeak => "password_too_weak",
            FieldProblem::CardNumberFormat => "card_number_format",
            FieldProblem::CardNumberChecksum => "card_number_checksum",
            FieldProblem::EcardCodeFormat => "ecard_code_format",
            FieldProblem::TooLong => "too_long",
            FieldProblem::Negative => "negative",
            FieldProblem::TooLarge => "too_large",
            FieldProblem::DateFormat => "date_format",
            FieldProblem::EndBeforeStart => "end_before_start",
            FieldProblem::PartsExceedTotal => "parts_exceed_total",
            FieldProblem::ChooseOne => "choose_one",
            FieldProblem::SameAsBefore => "same_as_before",
            FieldProblem::OutsideYear => "outside_year",
            FieldProblem::CreditCode => "credit_code",
            FieldProblem::TooShort => "too_short",
            FieldProblem::NotInFuture => "not_in_future",
            FieldProblem::InFuture => "in_future",
        }
    }

    /// What to tell the person, in their language.
    pub fn message(self, lang: Lang) -> &'static str {
        match self {
            FieldProblem::Required => lang.pick("必填", "Required"),
            FieldProblem::IdNumberLength => {
                lang.pick("身份证号应为 18 位", "An ID number has 18 characters")
            }
            FieldProblem::IdNumberFormat => lang.pick(
                "身份证号应为 17 位数字加 1 位数字或 X",
                "17 digits followed by a digit or X",
            ),
            FieldProblem::IdNumberBirthDate => lang.pick(
                "身份证号中的出生日期不存在",
                "The birth date in this ID number does not exist",
            ),
            FieldProblem::IdNumberChecksum => lang.pick(
                "身份证号校验位不对，请核对每一位",
                "The check character does not match; please check each digit",
            ),
            FieldProblem::PhoneFormat => lang.pick(
                "手机号应为 1 开头的 11 位数字",
                "A mobile number has 11 digits starting with 1",
            ),
            FieldProblem::NameInvalid => {
                lang.pick("请填写身份证上的姓名", "Enter the name as on your ID card")
            }
            FieldProblem::PasswordTooShort => lang.pick("密码至少 8 位", "At least 8 characters"),
            FieldProblem::PasswordTooLong => lang.pick("密码最多 128 位", "At most 128 characters"),
            FieldProblem::PasswordTooWeak => {
                lang.pick("密码需同时包含字母和数字", "Use both letters and digits")
            }
            FieldProblem::CardNumberFormat => lang.pick(
                "卡号应为 16 到 19 位数字",
                "A card number has 16 to 19 digits",
            ),
            FieldProblem::CardNumberChecksum => lang.pick(
                "卡号有误，请对照卡面逐位核对",
                "This card number is mistyped; check it digit by digit against the card",
            ),
            FieldProblem::EcardCodeFormat => {
                lang.pick("会员码应为 20 位数字", "A member code has 20 digits")
            }
            FieldProblem::TooLong => lang.pick("内容太长", "Too long"),
            FieldProblem::Negative => lang.pick("不能小于 0", "Cannot be below zero"),
            FieldProblem::TooLarge => lang.pick("数额太大，请核对", "Too large; please check"),
            FieldProblem::DateFormat => lang.pick("请选择日期", "Choose a date"),
            FieldProblem::EndBeforeStart => {
                lang.pick("不能早于开始日期", "Cannot be before the start date")
            }
            FieldProblem::PartsExceedTotal => lang.pick(
                "医保报销与自付之和不能超过总费用",
                "Insurance and self-paid parts cannot exceed the total bill",
            ),
            FieldProblem::ChooseOne => lang.pick("请选择一项", "Choose one"),
            FieldProblem::OutsideYear => {
                lang.pick("应在本年度之内", "Must fall within the round's year")
            }
            FieldProblem::CreditCode => lang.pick(
                "统一社会信用代码应为 18 位，请对照营业执照逐位核对",
                "A unified social credit code has 18 characters; check it against the business licence",
            ),
            FieldProblem::TooShort => lang.pick("请多写几句，说清楚经过", "Say a little more about what happened"),
            FieldProblem::NotInFuture => lang.pick("应晚于现在", "Must be later than now"),
            FieldProblem::InFuture => lang.pick("不能晚于今天", "Cannot be after today"),
            FieldProblem::SameAsBefore => lang.pick(
                "新密码不能与原密码相同",
                "The new password must differ from the old one",
            ),
        }
    }
}

/// What kind of "no" a refusal is; the server maps it to a status code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The request itself could not be read (400).
    BadRequest,
    /// Not signed in, or the credentials are wrong (401).
    Unauthorized,
    /// Not theirs to do (403).
    Forbidden,
    /// Nothing of theirs by that name (404).
    NotFound,
    /// It was true, but the state has moved on (409).
    Conflict,
    /// It was good once, but its time ran out (410).
    Gone,
    /// The body or file is too large (413).
    TooLarge,
    /// Well-formed, but the rules say no (422).
    Unprocessable,
    /// Too many in too short a time (429); the server adds when to try again.
    TooMany,
}

impl Refusal {
    /// The HTTP status code the contract gives this kind of refusal.
    pub fn status(self) -> u16 {
        match self {
            Refusal::BadRequest => 400,
            Refusal::Unauthorized => 401,
            Refusal::Forbidden => 403,
            Refusal::NotFound => 404,
            Refusal::Conflict => 409,
            Refusal::Gone => 410,
            Refusal::TooLarge => 413,
            Refusal::Unprocessable => 422,
            Refusal::TooMany => 429,
        }
    }
}

/// A feature's refusal, declared once beside the feature's rules: a stable
/// code for programs, its kind, and its words in both languages (and the
/// field at fault, when there is one), so the phone and the server say the
/// same thing and one code never gets two wordings.
pub trait Refused {
    /// The snake_case code, e.g. `signup_closed`.
    fn code(&self) -> &'static str;
    /// What kind of refusal.
    fn refusal(&self) -> Refusal;
    /// The sentence to show.
    fn message(&self, lang: Lang) -> String;
    /// The field at fault and what to say beside it.
    fn field(&self, lang: Lang) -> Option<(&'static str, String)> {
        let _ = lang;
        None
    }
}

/// Field problems gathered while parsing a whole form.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FieldProblems(pub Vec<(&'static str, FieldProblem)>);

impl FieldProblems {
    /// Records the outcome of parsing one field, keeping the value when it parsed.
    pub fn check<T>(&mut self, field: &'static str, parsed: Result<T, FieldProblem>) -> Option<T> {
        match parsed {
            Ok(value) => Some(value),
            Err(problem) => {
                self.0.push((field, problem));
                None
            }
        }
    }

    /// True when every field parsed.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The problems as the `fields` map of an [`ApiError`].
    pub fn to_map(&self, lang: Lang) -> BTreeMap<String, String> {
        self.0
            .iter()
            .map(|(field, problem)| (field.to_string(), problem.message(lang).to_string()))
            .collect()
    }
}

/// Checks shared by every refusal enum's unit tests.
#[cfg(test)]
pub(crate) mod checks {
    use super::Refused;
    use crate::Lang;

    /// Every sample has a snake_case code, a sentence in each language that
    /// differs between them, and, when it names a field, the same field with
    /// words in both languages.
    pub(crate) fn assert_worded<R: Refused + std::fmt::Debug>(samples: &[R]) {
        for r in samples {
            let code = r.code();
            assert!(
                !code.is_empty()
                    && code
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
                "{r:?}: code {code:?} is not snake_case"
            );
            let (zh, en) = (r.message(Lang::Zh), r.message(Lang::En));
            assert!(!zh.trim().is_empty(), "{r:?}: no Chinese words");
            assert!(!en.trim().is_empty(), "{r:?}: no English words");
            assert!(!zh.is_ascii(), "{r:?}: the Chinese words are not Chinese");
            assert_ne!(zh, en, "{r:?}: one text for both languages");
            match (r.field(Lang::Zh), r.field(Lang::En)) {
                (None, None) => {}
                (Some((fz, hz)), Some((fe, he))) => {
                    assert_eq!(fz, fe, "{r:?}: the field differs by language");
                    assert!(
                        !hz.trim().is_empty() && !he.trim().is_empty(),
                        "{r:?}: empty hint"
                    );
                }
                _ => panic!("{r:?}: a field in one language only"),
            }
        }
    }

    /// Different variants never share a code (samples of one variant, e.g.
    /// with different details, may).
    pub(crate) fn assert_codes_unique<R: Refused + std::fmt::Debug>(samples: &[R]) {
        for (i, a) in samples.iter().enumerate() {
            for b in &samples[i + 1..] {
                if std::mem::discriminant(a) != std::mem::discriminant(b) {
                    assert_ne!(a.code(), b.code(), "{a:?} and {b:?} share a code");
                }
            }
        }
    }

    /// Both of the above.
    pub(crate) fn assert_refusals<R: Refused + std::fmt::Debug>(samples: &[R]) {
        assert_worded(samples);
        assert_codes_unique(samples);
    }
}
