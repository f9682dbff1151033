//! 金秋助学: each summer a union opens a round for members' children
//! admitted to college that year, with an amount per level it sets; a
//! member whose household is on file (a valid hardship file) applies with
//! the student, school, level, admission date and a photo of the admission
//! letter; officers over the member's union approve the level's amount or
//! refuse with a reason; one award per student per year; approved awards
//! are paid through a payment batch (`payments`).

use serde::{Deserialize, Serialize};

use crate::audit::AuditAction;
use crate::error::{FieldProblem, FieldProblems, Refusal, Refused};
use crate::identity::Date;
use crate::Lang;

/// The student's level of study.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// 本科.
    Bachelor,
    /// 专科.
    College,
    /// 高职.
    Vocational,
}

impl Level {
    /// Every level.
    pub const ALL: [Level; 3] = [Level::Bachelor, Level::College, Level::Vocational];

    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Bachelor => "bachelor",
            Level::College => "college",
            Level::Vocational => "vocational",
        }
    }

    /// Parses the stored name.
    pub fn from_db(s: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|l| l.as_str() == s)
    }

    /// As people say it.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Level::Bachelor => lang.pick("本科", "Bachelor's"),
            Level::College => lang.pick("专科", "Junior college"),
            Level::Vocational => lang.pick("高职", "Higher vocational"),
        }
    }
}

/// The most a round may give one student: ¥20,000.00.
pub const MAX_AWARD_FEN: i64 = 2_000_000;

/// A union's round for a year: its window and the amount per level.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoundInput {
    /// The admission year, e.g. 2026.
    pub year: i64,
    /// The first day applications are taken (`YYYY-MM-DD`).
    pub opens_on: String,
    /// The last day.
    pub closes_on: String,
    /// For a 本科 student, fen.
    pub bachelor_fen: i64,
    /// For a 专科 student, fen.
    pub college_fen: i64,
    /// For a 高职 student, fen.
    pub vocational_fen: i64,
}

impl RoundInput {
    /// Checks every field at once: dates that read, in order, within the
    /// year; amounts from ¥1 to [`MAX_AWARD_FEN`].
    pub fn check(&self) -> Result<(Date, Date), FieldProblems> {
        let mut p = FieldProblems::default();
        if !(2000..=2100).contains(&self.year) {
            p.0.push(("year", FieldProblem::DateFormat));
        }
        let opens = p.check(
            "opens_on",
            Date::parse_iso(&self.opens_on).ok_or(FieldProblem::DateFormat),
        );
        let closes = p.check(
            "closes_on",
            Date::parse_iso(&self.closes_on).ok_or(FieldProblem::DateFormat),
        );
        if let (Some(o), Some(c)) = (opens, closes) {
            if i64::from(o.year) != self.year {
                p.0.push(("opens_on", FieldProblem::OutsideYear));
            } else if c < o {
                p.0.push(("closes_on", FieldProblem::EndBeforeStart));
            }
        }
        for (field, fen) in [
            ("bachelor_fen", self.bachelor_fen),
            ("college_fen", self.college_fen),
            ("vocational_fen", self.vocational_fen),
        ] {
            if fen < 100 {
                p.0.push((field, FieldProblem::Required));
            } else if fen > MAX_AWARD_FEN {
                p.0.push((field, FieldProblem::TooLarge));
            }
        }
        match (opens, closes, p.is_empty()) {
            (Some(o), Some(c), true) => Ok((o, c)),
            _ => Err(p),
        }
    }

    /// The amount for a level.
    pub fn amount(&self, level: Level) -> i64 {
        match level {
            Level::Bachelor => self.bachelor_fen,
            Level::College => self.college_fen,
            Level::Vocational => self.vocational_fen,
        }
    }
}

/// A round as members and officers read it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoundView {
    /// The round.
    pub id: i64,
    /// The union running it.
    pub union_id: i64,
    /// Its name.
    pub union_name: String,
    /// Its window and amounts.
    #[serde(flatten)]
    pub terms: RoundInput,
    /// Whether it takes applications today.
    pub open: bool,
}

/// Where an application stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum EducationStatus {
    /// The moment before it is sent.
    Draft,
    /// Sent; waiting for the union.
    Submitted,
    /// Awarded the level's amount; paid in a batch.
    Approved,
    /// Refused, with the reason.
    Rejected,
}

impl EducationStatus {
    /// Every status.
    pub const ALL: [EducationStatus; 4] = [
        EducationStatus::Draft,
        EducationStatus::Submitted,
        EducationStatus::Approved,
        EducationStatus::Rejected,
    ];

    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            EducationStatus::Draft => "draft",
            EducationStatus::Submitted => "submitted",
            EducationStatus::Approved => "approved",
            EducationStatus::Rejected => "rejected",
        }
    }

    /// Parses the stored name.
    pub fn from_db(s: &str) -> Option<EducationStatus> {
        EducationStatus::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// What members and officers read.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            EducationStatus::Draft => lang.pick("草稿", "Draft"),
            EducationStatus::Submitted => lang.pick("已提交，待审核", "Sent, awaiting review"),
            EducationStatus::Approved => lang.pick("已核准", "Awarded"),
            EducationStatus::Rejected => lang.pick("未通过", "Not awarded"),
        }
    }
}

crate::offers::stored_name!(EducationStatus);

impl crate::case_file::CaseStatus for EducationStatus {
    const DRAFT: Self = EducationStatus::Draft;

    fn all() -> &'static [Self] {
        &EducationStatus::ALL
    }

    fn as_str(self) -> &'static str {
        EducationStatus::as_str(self)
    }

    fn label(self, lang: Lang) -> &'static str {
        EducationStatus::label(self, lang)
    }

    fn may_move(self, to: Self) -> bool {
        use EducationStatus::*;
        matches!(
            (self, to),
            (Draft, Submitted) | (Submitted, Approved) | (Submitted, Rejected)
        )
    }

    fn takes_documents(self) -> bool {
        matches!(self, EducationStatus::Draft | EducationStatus::Submitted)
    }

    fn member_may_edit(self) -> bool {
        self == EducationStatus::Draft
    }

    fn action(self) -> AuditAction {
        match self {
            EducationStatus::Draft | EducationStatus::Submitted => AuditAction::EducationSubmit,
            EducationStatus::Approved => AuditAction::EducationApprove,
            EducationStatus::Rejected => AuditAction::EducationReject,
        }
    }
}

/// The longest student name and school name, in characters.
pub const NAME_CHARS: usize = 20;
/// The longest school name.
pub const SCHOOL_CHARS: usize = 60;

/// `POST /api/education-aid/applications`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EducationInput {
    /// The student's name.
    pub student_name: String,
    /// The school admitting them.
    pub school: String,
    /// `bachelor`, `college` or `vocational`.
    pub level: Option<Level>,
    /// The admission date on the letter (`YYYY-MM-DD`).
    pub admitted_on: String,
}

impl EducationInput {
    /// Checks every field at once; the admission must fall in the round's
    /// year (a student admitted another year belongs to that year's round).
    pub fn check(&self, year: i64) -> Result<(String, String, Level, Date), FieldProblems> {
        let mut p = FieldProblems::default();
        let name = self.student_name.trim();
        let school = self.school.trim();
        if name.chars().count() < 2 {
            p.0.push(("student_name", FieldProblem::Required));
        } else if name.chars().count() > NAME_CHARS {
            p.0.push(("student_name", FieldProblem::TooLong));
        }
        if school.chars().count() < 2 {
            p.0.push(("school", FieldProblem::Required));
        } else if school.chars().count() > SCHOOL_CHARS {
            p.0.push(("school", FieldProblem::TooLong));
        }
        if self.level.is_none() {
            p.0.push(("level", FieldProblem::ChooseOne));
        }
        let admitted = match Date::parse_iso(&self.admitted_on) {
            None if self.admitted_on.trim().is_empty() => {
                p.0.push(("admitted_on", FieldProblem::Required));
                None
            }
            Some(d) if i64::from(d.year) == year => Some(d),
            Some(_) => {
                p.0.push(("admitted_on", FieldProblem::OutsideYear));
                None
            }
            None => {
                p.0.push(("admitted_on", FieldProblem::DateFormat));
                None
            }
        };
        match (self.level, admitted, p.is_empty()) {
            (Some(level), Some(d), true) => Ok((name.to_string(), school.to_string(), level, d)),
            _ => Err(p),
        }
    }
}

/// An officer's decision.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EducationDecision {
    /// `approve` or `reject`.
    pub decision: String,
    /// The reason (required to refuse).
    #[serde(default)]
    pub note: String,
}

/// One step on an application's timeline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EducationEvent {
    /// The status it moved to.
    pub status: EducationStatus,
    /// When (RFC 3339).
    pub at: String,
    /// The reason or note.
    pub note: Option<String>,
}

/// An application as its member and officers read it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EducationView {
    /// The application.
    pub id: i64,
    /// Where it stands.
    pub status: EducationStatus,
    /// The round's year.
    pub year: i64,
    /// The student.
    pub student_name: String,
    /// The school.
    pub school: String,
    /// The level.
    pub level: Level,
    /// The admission date.
    pub admitted_on: String,
    /// The round's amount for the level (what an award pays).
    pub amount_fen: i64,
    /// The member's name, for officers.
    pub member_name: Option<String>,
    /// The member's workplace union.
    pub union_name: String,
    /// When it was sent (RFC 3339).
    pub filed_at: String,
    /// How its payment stands, once it is in a batch.
    pub payment: Option<crate::payments::LineStatus>,
    /// Every step, oldest first.
    pub events: Vec<EducationEvent>,
    /// The admission letter and other proof.
    pub documents: Vec<crate::aid::DocumentView>,
}

/// Why 金秋助学 said no.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EducationRefusal {
    /// No round of the member's unions takes applications today.
    NoRound,
    /// The member's household is not on file and the member is not a
    /// model worker on the register.
    NotEligible,
    /// The student has an application this year already.
    AlreadyApplied,
    /// Decided already.
    AlreadyDecided,
    /// A refusal needs its reason.
    NoteNeeded,
    /// Neither approve nor reject.
    BadDecision,
    /// Decided; documents are closed.
    Decided,
}

impl Refused for EducationRefusal {
    fn code(&self) -> &'static str {
        match self {
            EducationRefusal::NoRound => "no_open_round",
            EducationRefusal::NotEligible => "not_on_file",
            EducationRefusal::AlreadyApplied => "student_applied",
            EducationRefusal::AlreadyDecided => "already_decided",
            EducationRefusal::NoteNeeded => "note_required",
            EducationRefusal::BadDecision => "bad_decision",
            EducationRefusal::Decided => "application_decided",
        }
    }

    fn refusal(&self) -> Refusal {
        match self {
            EducationRefusal::AlreadyApplied
            | EducationRefusal::AlreadyDecided
            | EducationRefusal::Decided => Refusal::Conflict,
            _ => Refusal::Unprocessable,
        }
    }

    fn message(&self, lang: Lang) -> String {
        match self {
            EducationRefusal::NoRound => lang.pick(
                "您所在工会目前没有开放金秋助学申请",
                "Your union has no 金秋助学 round open now",
            ),
            EducationRefusal::NotEligible => lang.pick(
                "金秋助学面向建档困难职工家庭和劳模的子女：请先申请困难帮扶建档，或联系所在工会",
                "金秋助学 is for children of households on the hardship file and of model workers: apply for a hardship file first, or ask your union",
            ),
            EducationRefusal::AlreadyApplied => lang.pick(
                "这位学生今年已经申请过金秋助学",
                "This student has already applied this year",
            ),
            EducationRefusal::AlreadyDecided => {
                lang.pick("该申请已经处理过了", "This application has already been decided")
            }
            EducationRefusal::NoteNeeded => lang.pick("请填写理由", "Please give the reason"),
            EducationRefusal::BadDecision => {
                lang.pick("请选择核准或不予核准", "Choose approve or reject")
            }
            EducationRefusal::Decided => lang.pick(
                "申请已审结，不能再添加材料",
                "This application is decided; documents can no longer be added",
            ),
        }
        .into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::checks::assert_refusals;

    fn round() -> RoundInput {
        RoundInput {
            year: 2026,
            opens_on: "2026-07-01".into(),
            closes_on: "2026-09-30".into(),
            bachelor_fen: 300_000,
            college_fen: 200_000,
            vocational_fen: 150_000,
        }
    }

    #[test]
    fn a_round_has_its_window_in_its_year_and_bounded_amounts() {
        assert!(round().check().is_ok());
        let back = RoundInput {
            closes_on: "2026-06-30".into(),
            ..round()
        };
        assert_eq!(
            back.check().unwrap_err().0,
            vec![("closes_on", FieldProblem::EndBeforeStart)]
        );
        let rich = RoundInput {
            bachelor_fen: MAX_AWARD_FEN + 1,
            ..round()
        };
        assert!(rich.check().is_err());
        assert_eq!(round().amount(Level::College), 200_000);
    }

    #[test]
    fn an_application_names_the_student_and_an_admission_in_the_year() {
        let good = EducationInput {
            student_name: " 张小明 ".into(),
            school: "武汉大学".into(),
            level: Some(Level::Bachelor),
            admitted_on: "2026-08-20".into(),
        };
        let (name, _, level, _) = good.check(2026).unwrap();
        assert_eq!((name.as_str(), level), ("张小明", Level::Bachelor));
        let last_year = EducationInput {
            admitted_on: "2025-08-20".into(),
            ..good.clone()
        };
        assert_eq!(
            last_year.check(2026).unwrap_err().0,
            vec![("admitted_on", FieldProblem::OutsideYear)]
        );
        let empty = EducationInput::default().check(2026).unwrap_err();
        let fields: Vec<&str> = empty.0.iter().map(|(f, _)| *f).collect();
        assert_eq!(fields, ["student_name", "school", "level", "admitted_on"]);
    }

    #[test]
    fn only_the_rule_s_moves_exist() {
        use crate::case_file::CaseStatus;
        use EducationStatus::*;
        assert!(Submitted.may_move(Approved) && Submitted.may_move(Rejected));
        assert!(!Approved.may_move(Rejected) && !Rejected.may_move(Approved));
        for l in Level::ALL {
            assert_eq!(Level::from_db(l.as_str()), Some(l));
        }
    }

    #[test]
    fn refusals_are_worded() {
        assert_refusals(&[
            EducationRefusal::NoRound,
            EducationRefusal::NotEligible,
            EducationRefusal::AlreadyApplied,
            EducationRefusal::AlreadyDecided,
            EducationRefusal::NoteNeeded,
            EducationRefusal::BadDecision,
            EducationRefusal::Decided,
        ]);
    }
}
