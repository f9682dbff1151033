//! Model workers (劳模) and their monthly allowances (劳模津补贴): a union
//! keeps the register of its model workers (national, provincial or city
//! honours) and a standing allowance per level; each month a batch of the
//! allowances is prepared from it for a second officer to approve
//! (`payments`); the model worker sees the allowance on the phone.

use serde::{Deserialize, Serialize};

use crate::error::{FieldProblem, FieldProblems, Refusal, Refused};
use crate::identity::Date;
use crate::Lang;

/// The honour's level.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ModelLevel {
    /// 全国劳动模范.
    National,
    /// 省部级劳动模范.
    Provincial,
    /// 市级劳动模范.
    City,
}

impl ModelLevel {
    /// Every level.
    pub const ALL: [ModelLevel; 3] = [
        ModelLevel::National,
        ModelLevel::Provincial,
        ModelLevel::City,
    ];

    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            ModelLevel::National => "national",
            ModelLevel::Provincial => "provincial",
            ModelLevel::City => "city",
        }
    }

    /// Parses the stored name.
    pub fn from_db(s: &str) -> Option<ModelLevel> {
        ModelLevel::ALL.into_iter().find(|l| l.as_str() == s)
    }

    /// As people say it.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            ModelLevel::National => lang.pick("全国劳动模范", "National model worker"),
            ModelLevel::Provincial => lang.pick("省部级劳动模范", "Provincial model worker"),
            ModelLevel::City => lang.pick("市级劳动模范", "City model worker"),
        }
    }
}

/// The most a month's allowance may be: ¥10,000.00.
pub const MAX_MONTHLY_FEN: i64 = 1_000_000;

/// A union's standing allowance per level, a month.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Rates {
    /// 全国劳模, fen a month.
    pub national_fen: i64,
    /// 省部级劳模.
    pub provincial_fen: i64,
    /// 市级劳模.
    pub city_fen: i64,
}

impl Rates {
    /// The allowance for a level.
    pub fn for_level(self, level: ModelLevel) -> i64 {
        match level {
            ModelLevel::National => self.national_fen,
            ModelLevel::Provincial => self.provincial_fen,
            ModelLevel::City => self.city_fen,
        }
    }

    /// Each from ¥0 (not paid) to [`MAX_MONTHLY_FEN`], at least one paid.
    pub fn check(self) -> Result<Rates, FieldProblems> {
        let mut p = FieldProblems::default();
        for (field, fen) in [
            ("national_fen", self.national_fen),
            ("provincial_fen", self.provincial_fen),
            ("city_fen", self.city_fen),
        ] {
            if fen < 0 {
                p.0.push((field, FieldProblem::Negative));
            } else if fen > MAX_MONTHLY_FEN {
                p.0.push((field, FieldProblem::TooLarge));
            }
        }
        if p.is_empty() && [self.national_fen, self.provincial_fen, self.city_fen] == [0, 0, 0] {
            p.0.push(("national_fen", FieldProblem::Required));
        }
        if p.is_empty() {
            Ok(self)
        } else {
            Err(p)
        }
    }
}

/// A month as the ledger names it: `2026-12`.
pub fn month_of(day: Date) -> String {
    format!("{:04}-{:02}", day.year, day.month)
}

/// Reads `YYYY-MM`.
pub fn parse_month(s: &str) -> Option<(u16, u8)> {
    let (y, m) = s.split_once('-')?;
    if y.len() != 4 || m.len() != 2 {
        return None;
    }
    let (y, m): (u16, u8) = (y.parse().ok()?, m.parse().ok()?);
    Date::new(y, m, 1).map(|_| (y, m))
}

/// The title of a month's allowance batch: `2026年12月劳模津补贴`.
pub fn batch_title(month: &str) -> String {
    match parse_month(month) {
        Some((y, m)) => format!("{y}年{m}月劳模津补贴"),
        None => format!("{month} 劳模津补贴"),
    }
}

/// `POST /api/staff/model-workers`: a member put on the register.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ModelWorkerInput {
    /// The member's ID number (the roster finds them).
    pub id_number: String,
    /// The honour's level.
    pub level: Option<ModelLevel>,
    /// The honour as awarded, e.g. `2015年全国劳动模范`.
    pub honour: String,
}

/// A model worker on the register.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ModelWorkerView {
    /// The register entry.
    pub id: i64,
    /// The member's name.
    pub name: String,
    /// Their ID number, masked.
    pub id_number_masked: String,
    /// Their workplace union.
    pub union_name: String,
    /// The level.
    pub level: ModelLevel,
    /// The honour as awarded.
    pub honour: String,
    /// The allowance a month by the union's standing rates (`None` when
    /// no union above them has set any).
    pub monthly_fen: Option<i64>,
}

/// The rates an officer's union has set, if any.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RatesView {
    /// The union whose rates they are.
    pub union_name: String,
    /// The rates.
    #[serde(flatten)]
    pub rates: Rates,
    /// Who set them (the batches prepared from them are in their name).
    pub set_by: String,
}

/// Why the register said no.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ModelWorkerRefusal {
    /// No member of the officer's unions has that ID number.
    NotInRoster,
    /// Already on the register.
    AlreadyListed,
    /// Taken off the register already.
    NotListed,
}

impl Refused for ModelWorkerRefusal {
    fn code(&self) -> &'static str {
        match self {
            ModelWorkerRefusal::NotInRoster => "not_in_roster",
            ModelWorkerRefusal::AlreadyListed => "already_listed",
            ModelWorkerRefusal::NotListed => "not_listed",
        }
    }

    fn refusal(&self) -> Refusal {
        match self {
            ModelWorkerRefusal::NotInRoster => Refusal::Unprocessable,
            _ => Refusal::Conflict,
        }
    }

    fn message(&self, lang: Lang) -> String {
        match self {
            ModelWorkerRefusal::NotInRoster => lang.pick(
                "本工会及下级的会员名册中没有这个身份证号",
                "No member of your unions has this ID number",
            ),
            ModelWorkerRefusal::AlreadyListed => lang.pick(
                "这位会员已在劳模名册中",
                "This member is already on the register",
            ),
            ModelWorkerRefusal::NotListed => lang.pick(
                "这位会员已不在劳模名册中",
                "This member is no longer on the register",
            ),
        }
        .into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::checks::assert_refusals;

    #[test]
    fn rates_are_bounded_and_pay_someone() {
        let r = Rates {
            national_fen: 80_000,
            provincial_fen: 50_000,
            city_fen: 30_000,
        };
        assert_eq!(r.check(), Ok(r));
        assert_eq!(r.for_level(ModelLevel::Provincial), 50_000);
        assert!(Rates { city_fen: -1, ..r }.check().is_err());
        assert!(Rates {
            national_fen: MAX_MONTHLY_FEN + 1,
            ..r
        }
        .check()
        .is_err());
        assert!(Rates {
            national_fen: 0,
            provincial_fen: 0,
            city_fen: 0
        }
        .check()
        .is_err());
    }

    #[test]
    fn months_are_named_and_read() {
        let d = Date::new(2026, 12, 3).unwrap();
        assert_eq!(month_of(d), "2026-12");
        assert_eq!(parse_month("2026-12"), Some((2026, 12)));
        assert_eq!(parse_month("2026-13"), None);
        assert_eq!(parse_month("26-1"), None);
        assert_eq!(batch_title("2026-03"), "2026年3月劳模津补贴");
    }

    #[test]
    fn refusals_are_worded() {
        assert_refusals(&[
            ModelWorkerRefusal::NotInRoster,
            ModelWorkerRefusal::AlreadyListed,
            ModelWorkerRefusal::NotListed,
        ]);
        for l in ModelLevel::ALL {
            assert_eq!(ModelLevel::from_db(l.as_str()), Some(l));
        }
    }
}
