//! Hardship files (困难职工档案): a member's household on file with the union,
//! reviewed each year (动态管理). The rule the union applies is the
//! household's monthly income per person against the local minimum-living
//! line (低保标准, a per-district figure the city officer sets) and the
//! cause of the hardship. This module proposes a category with its reason
//! in words, the same on the phone (before the member sends the file) and
//! on the server (beside the officer's decision); the officer decides.

use serde::{Deserialize, Serialize};

use crate::aid::DocumentView;
use crate::audit::AuditAction;
use crate::error::{FieldProblem, FieldProblems, Refusal, Refused};
use crate::identity::Date;
use crate::offers::yuan;
use crate::Lang;

/// Why a household is in hardship.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Cause {
    /// Serious illness in the household.
    Illness,
    /// A disability.
    Disability,
    /// The member or their spouse lost their job.
    Unemployment,
    /// An accident or a sudden disaster.
    Accident,
    /// A single parent.
    SingleParent,
    /// Children in education.
    Education,
}

impl Cause {
    /// Every cause, in the order forms list them.
    pub const ALL: [Cause; 6] = [
        Cause::Illness,
        Cause::Disability,
        Cause::Unemployment,
        Cause::Accident,
        Cause::SingleParent,
        Cause::Education,
    ];

    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Cause::Illness => "illness",
            Cause::Disability => "disability",
            Cause::Unemployment => "unemployment",
            Cause::Accident => "accident",
            Cause::SingleParent => "single_parent",
            Cause::Education => "education",
        }
    }

    /// Parses the stored name.
    pub fn from_db(s: &str) -> Option<Cause> {
        Cause::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// What the member reads.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Cause::Illness => lang.pick("患病", "Illness"),
            Cause::Disability => lang.pick("残疾", "Disability"),
            Cause::Unemployment => lang.pick("失业", "Unemployment"),
            Cause::Accident => lang.pick("意外事故", "Accident"),
            Cause::SingleParent => lang.pick("单亲家庭", "Single parent"),
            Cause::Education => lang.pick("子女上学", "Children in education"),
        }
    }
}

/// The categories households are filed under.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// 深度困难: income per person at or below the minimum-living line.
    Deep,
    /// 相对困难: above the line but not far (see [`LocalLine::relative_fen`]),
    /// with a cause.
    Relative,
    /// 意外致困: an accident or sudden disaster pushed the household down.
    Accident,
}

impl Category {
    /// Every category.
    pub const ALL: [Category; 3] = [Category::Deep, Category::Relative, Category::Accident];

    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Deep => "deep",
            Category::Relative => "relative",
            Category::Accident => "accident",
        }
    }

    /// Parses the stored name.
    pub fn from_db(s: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// What officers and members read.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Category::Deep => lang.pick("深度困难", "Deep hardship"),
            Category::Relative => lang.pick("相对困难", "Relative hardship"),
            Category::Accident => lang.pick("意外致困", "Hardship after an accident"),
        }
    }
}

/// A district's minimum-living line, per person per month, as the city
/// officer sets it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LocalLine {
    /// 低保标准, fen per person per month.
    pub minimum_fen: i64,
}

impl LocalLine {
    /// Relative hardship reaches up to this share of the line (basis points).
    pub const RELATIVE_BP: i64 = 15_000;
    /// Hardship after an accident reaches up to this share of the line.
    pub const ACCIDENT_BP: i64 = 20_000;

    /// The most per person a household in relative hardship has.
    pub fn relative_fen(self) -> i64 {
        self.minimum_fen.saturating_mul(Self::RELATIVE_BP) / 10_000
    }

    /// The most per person a household in hardship after an accident has.
    pub fn accident_fen(self) -> i64 {
        self.minimum_fen.saturating_mul(Self::ACCIDENT_BP) / 10_000
    }
}

/// A household as the member describes it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Household {
    /// People living on the household's income, the member included.
    pub size: i64,
    /// Everything the household earns in a month, fen.
    pub monthly_income_fen: i64,
    /// Why it is in hardship.
    pub causes: Vec<Cause>,
}

/// The most people one household may count.
pub const MAX_HOUSEHOLD: i64 = 20;
/// The most a household's monthly income may be (¥1,000,000: a typo guard).
pub const MAX_MONTHLY_INCOME_FEN: i64 = 100_000_000;

/// What the rule proposes for a household, with why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Proposal {
    /// The category, or none: the household is above every line.
    pub category: Option<Category>,
    /// Monthly income per person, fen (rounded down).
    pub per_person_fen: i64,
    /// The reason in the reader's words.
    pub reason: String,
}

impl Household {
    /// Checks what the member typed, every problem at once.
    pub fn check(&self) -> Result<(), FieldProblems> {
        let mut p = FieldProblems::default();
        if self.size < 1 {
            p.0.push(("household_size", FieldProblem::Required));
        } else if self.size > MAX_HOUSEHOLD {
            p.0.push(("household_size", FieldProblem::TooLarge));
        }
        if self.monthly_income_fen < 0 {
            p.0.push(("monthly_income_fen", FieldProblem::Negative));
        } else if self.monthly_income_fen > MAX_MONTHLY_INCOME_FEN {
            p.0.push(("monthly_income_fen", FieldProblem::TooLarge));
        }
        if self.causes.is_empty() {
            p.0.push(("causes", FieldProblem::ChooseOne));
        }
        if p.is_empty() {
            Ok(())
        } else {
            Err(p)
        }
    }

    /// Monthly income per person, fen, rounded down (0 for an empty household).
    pub fn per_person_fen(&self) -> i64 {
        if self.size <= 0 {
            0
        } else {
            self.monthly_income_fen / self.size
        }
    }

    /// The category the rule proposes against `line`, with the reason.
    pub fn propose(&self, line: LocalLine, lang: Lang) -> Proposal {
        let per = self.per_person_fen();
        let has = |c: Cause| self.causes.contains(&c);
        let (category, reason) = if per <= line.minimum_fen {
            (
                Some(Category::Deep),
                match lang {
                    Lang::Zh => format!(
                        "家庭人均月收入 {} 不高于当地低保标准 {}",
                        yuan(per),
                        yuan(line.minimum_fen)
                    ),
                    Lang::En => format!(
                        "Monthly income per person {} is at or below the local minimum-living line {}",
                        yuan(per),
                        yuan(line.minimum_fen)
                    ),
                },
            )
        } else if has(Cause::Accident) && per <= line.accident_fen() {
            (
                Some(Category::Accident),
                match lang {
                    Lang::Zh => format!(
                        "因意外事故致困，家庭人均月收入 {} 不高于低保标准的 2 倍 {}",
                        yuan(per),
                        yuan(line.accident_fen())
                    ),
                    Lang::En => format!(
                        "After an accident, monthly income per person {} is at or below twice the line, {}",
                        yuan(per),
                        yuan(line.accident_fen())
                    ),
                },
            )
        } else if !self.causes.is_empty() && per <= line.relative_fen() {
            let causes: Vec<&str> = self.causes.iter().map(|c| c.label(lang)).collect();
            (
                Some(Category::Relative),
                match lang {
                    Lang::Zh => format!(
                        "家庭人均月收入 {} 不高于低保标准的 1.5 倍 {}，致困原因：{}",
                        yuan(per),
                        yuan(line.relative_fen()),
                        causes.join("、")
                    ),
                    Lang::En => format!(
                        "Monthly income per person {} is at or below 1.5 times the line, {}; causes: {}",
                        yuan(per),
                        yuan(line.relative_fen()),
                        causes.join(", ")
                    ),
                },
            )
        } else {
            let top = if has(Cause::Accident) {
                line.accident_fen()
            } else {
                line.relative_fen()
            };
            (
                None,
                match lang {
                    Lang::Zh => format!(
                        "家庭人均月收入 {} 高于困难标准 {}，暂不符合建档条件",
                        yuan(per),
                        yuan(top)
                    ),
                    Lang::En => format!(
                        "Monthly income per person {} is above the hardship line {}; not eligible for a file",
                        yuan(per),
                        yuan(top)
                    ),
                },
            )
        };
        Proposal {
            category,
            per_person_fen: per,
            reason,
        }
    }
}

/// The longest note a member or officer may write.
pub const NOTE_CHARS: usize = 500;
/// A file is on the union's books for a year from its approval; the member
/// may apply to renew it from this many days before it ends.
pub const RENEW_DAYS: i64 = 30;

/// The last day an approved file is valid: a year from approval.
pub fn valid_until(approved_on: Date) -> Date {
    approved_on.add_months(12).add_days(-1)
}

/// Whether a member holding a file valid until `until` may apply again
/// today (to renew it).
pub fn may_renew(until: Date, today: Date) -> bool {
    today.add_days(RENEW_DAYS) > until
}

/// Where a hardship file stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum HardshipStatus {
    /// Being written (a file is sent as it is created; a draft is only the
    /// moment before).
    Draft,
    /// Sent; waiting for the union's decision.
    Submitted,
    /// On file (建档), in a category, valid for a year.
    Approved,
    /// Not taken on file, with the reason.
    Rejected,
    /// Closed by an officer (the household recovered, moved...), with the reason.
    Closed,
}

impl HardshipStatus {
    /// Every status.
    pub const ALL: [HardshipStatus; 5] = [
        HardshipStatus::Draft,
        HardshipStatus::Submitted,
        HardshipStatus::Approved,
        HardshipStatus::Rejected,
        HardshipStatus::Closed,
    ];

    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            HardshipStatus::Draft => "draft",
            HardshipStatus::Submitted => "submitted",
            HardshipStatus::Approved => "approved",
            HardshipStatus::Rejected => "rejected",
            HardshipStatus::Closed => "closed",
        }
    }

    /// Parses the stored name.
    pub fn from_db(s: &str) -> Option<HardshipStatus> {
        HardshipStatus::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// What members and officers read.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            HardshipStatus::Draft => lang.pick("草稿", "Draft"),
            HardshipStatus::Submitted => lang.pick("已提交，待审核", "Sent, awaiting review"),
            HardshipStatus::Approved => lang.pick("已建档", "On file"),
            HardshipStatus::Rejected => lang.pick("未通过", "Not accepted"),
            HardshipStatus::Closed => lang.pick("已关闭", "Closed"),
        }
    }
}

crate::offers::stored_name!(HardshipStatus);

impl crate::case_file::CaseStatus for HardshipStatus {
    const DRAFT: Self = HardshipStatus::Draft;

    fn all() -> &'static [Self] {
        &HardshipStatus::ALL
    }

    fn as_str(self) -> &'static str {
        HardshipStatus::as_str(self)
    }

    fn label(self, lang: Lang) -> &'static str {
        HardshipStatus::label(self, lang)
    }

    fn may_move(self, to: Self) -> bool {
        use HardshipStatus::*;
        matches!(
            (self, to),
            (Draft, Submitted) | (Submitted, Approved) | (Submitted, Rejected) | (Approved, Closed)
        )
    }

    fn takes_documents(self) -> bool {
        matches!(self, HardshipStatus::Draft | HardshipStatus::Submitted)
    }

    fn member_may_edit(self) -> bool {
        self == HardshipStatus::Draft
    }

    fn action(self) -> AuditAction {
        match self {
            HardshipStatus::Draft => AuditAction::HardshipDraft,
            HardshipStatus::Submitted => AuditAction::HardshipSubmit,
            HardshipStatus::Approved => AuditAction::HardshipApprove,
            HardshipStatus::Rejected => AuditAction::HardshipReject,
            HardshipStatus::Closed => AuditAction::HardshipClose,
        }
    }
}

/// A hardship file as the member (or an officer for them) sends it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HardshipInput {
    /// For an officer filing on a member's behalf: the member's account
    /// (the `id` of `GET /api/me`). Members leave it out.
    #[serde(default)]
    pub member_id: Option<i64>,
    /// People living on the household's income, the member included.
    pub household_size: i64,
    /// The household's income in a month, fen.
    pub monthly_income_fen: i64,
    /// Why the household is in hardship.
    pub causes: Vec<Cause>,
    /// What the member wants the union to know.
    #[serde(default)]
    pub note: String,
}

impl HardshipInput {
    /// The household the rule reads.
    pub fn household(&self) -> Household {
        let mut causes = self.causes.clone();
        causes.sort();
        causes.dedup();
        Household {
            size: self.household_size,
            monthly_income_fen: self.monthly_income_fen,
            causes,
        }
    }

    /// Checks every field at once.
    pub fn check(&self) -> Result<(), FieldProblems> {
        let mut p = match self.household().check() {
            Ok(()) => FieldProblems::default(),
            Err(p) => p,
        };
        if self.note.chars().count() > NOTE_CHARS {
            p.0.push(("note", FieldProblem::TooLong));
        }
        if p.is_empty() {
            Ok(())
        } else {
            Err(p)
        }
    }
}

/// An officer's decision on a sent file.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HardshipDecision {
    /// `approve` or `reject`.
    pub decision: String,
    /// The category to file it under (defaults to the proposed one).
    #[serde(default)]
    pub category: Option<Category>,
    /// The reason (required to reject, or to file under another category
    /// than the proposed one, or with none proposed).
    #[serde(default)]
    pub note: String,
}

/// Closing a file that is on record.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CloseFile {
    /// Why (required).
    pub note: String,
}

/// Why a step on a hardship file was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HardshipRefusal {
    /// The member already has a file waiting for a decision.
    OpenFile,
    /// The member's file is valid beyond the renewal window.
    StillValid,
    /// No minimum-living line is set for the member's district.
    NoLine,
    /// The file was decided (or closed) meanwhile.
    AlreadyDecided,
    /// Not `approve` or `reject`.
    BadDecision,
    /// A decision that needs a reason came without one.
    NoteNeeded,
    /// Approving with no category proposed or chosen.
    CategoryNeeded,
    /// A note over [`NOTE_CHARS`].
    NoteTooLong,
    /// Closing a file that is not on record.
    NotOnFile,
    /// Documents added to a decided file.
    FileDecided,
    /// A line outside ¥1–¥100,000 a month.
    BadLine,
}

impl Refused for HardshipRefusal {
    fn code(&self) -> &'static str {
        match self {
            HardshipRefusal::OpenFile => "open_file",
            HardshipRefusal::StillValid => "file_still_valid",
            HardshipRefusal::NoLine => "no_local_line",
            HardshipRefusal::AlreadyDecided => "already_decided",
            HardshipRefusal::BadDecision => "bad_decision",
            HardshipRefusal::NoteNeeded => "note_required",
            HardshipRefusal::CategoryNeeded => "category_required",
            HardshipRefusal::NoteTooLong => "note_too_long",
            HardshipRefusal::NotOnFile => "not_on_file",
            HardshipRefusal::FileDecided => "file_decided",
            HardshipRefusal::BadLine => "bad_line",
        }
    }

    fn refusal(&self) -> Refusal {
        match self {
            HardshipRefusal::AlreadyDecided
            | HardshipRefusal::NotOnFile
            | HardshipRefusal::FileDecided => Refusal::Conflict,
            _ => Refusal::Unprocessable,
        }
    }

    fn message(&self, lang: Lang) -> String {
        match self {
            HardshipRefusal::OpenFile => lang.pick(
                "您已有一份困难档案申请在审核中",
                "You already have a hardship file waiting for review",
            ),
            HardshipRefusal::StillValid => lang.pick(
                "您的困难档案仍在有效期内，到期前 30 天内可以申请续期",
                "Your hardship file is still valid; you may renew it in its last 30 days",
            ),
            HardshipRefusal::NoLine => lang.pick(
                "您所在地区的困难标准尚未设定，请联系所在工会",
                "Your district's hardship line is not set yet; please contact your union",
            ),
            HardshipRefusal::AlreadyDecided => {
                lang.pick("该档案已经处理过了", "This file has already been decided")
            }
            HardshipRefusal::BadDecision => {
                lang.pick("请选择建档或不予建档", "Choose approve or reject")
            }
            HardshipRefusal::NoteNeeded => lang.pick("请填写理由", "Please give the reason"),
            HardshipRefusal::CategoryNeeded => {
                lang.pick("请选择困难类别", "Choose the hardship category")
            }
            HardshipRefusal::NoteTooLong => lang.pick("说明太长", "The note is too long"),
            HardshipRefusal::NotOnFile => lang.pick(
                "只有已建档的档案才能关闭",
                "Only a file on record can be closed",
            ),
            HardshipRefusal::FileDecided => lang.pick(
                "档案已审结，不能再添加材料",
                "This file is decided; documents can no longer be added",
            ),
            HardshipRefusal::BadLine => lang.pick(
                "低保标准应在每人每月 ¥1 到 ¥100,000 之间",
                "The line must be between ¥1 and ¥100,000 per person a month",
            ),
        }
        .into()
    }
}

/// One step on a file's timeline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HardshipEvent {
    /// The status it moved to.
    pub status: HardshipStatus,
    /// When (RFC 3339).
    pub at: String,
    /// The reason or note.
    pub note: Option<String>,
}

/// Who a file is for, as officers see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HardshipMember {
    /// Name.
    pub name: String,
    /// Masked ID number.
    pub id_number_masked: String,
}

/// A hardship file with the rule's proposal and its timeline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HardshipFileView {
    /// File id.
    pub id: i64,
    /// Where it stands.
    pub status: HardshipStatus,
    /// The household's people.
    pub household_size: i64,
    /// Its monthly income, fen.
    pub monthly_income_fen: i64,
    /// Per person, fen.
    pub per_person_fen: i64,
    /// Why it is in hardship.
    pub causes: Vec<Cause>,
    /// The member's note.
    pub note: String,
    /// The district's minimum-living line the file was judged against.
    pub line_fen: i64,
    /// What the rule proposes.
    pub proposed_category: Option<Category>,
    /// The rule's reason, in the reader's language.
    pub proposal_reason: String,
    /// The category it is on file under, once approved.
    pub category: Option<Category>,
    /// The last day it is valid, once approved.
    pub valid_until: Option<String>,
    /// The member's workplace union.
    pub union_name: String,
    /// The member, for officers.
    pub member: Option<HardshipMember>,
    /// When it was sent (RFC 3339).
    pub filed_at: String,
    /// Every step, oldest first.
    pub events: Vec<HardshipEvent>,
    /// Photos or PDFs of proof.
    pub documents: Vec<DocumentView>,
}

/// A district's line, as the member's phone needs it to propose as they type.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LineView {
    /// The union whose line it is.
    pub union_name: String,
    /// 低保标准, fen per person per month.
    pub minimum_fen: i64,
}

/// Setting a union's line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LineInput {
    /// 低保标准, fen per person per month.
    pub minimum_fen: i64,
}

impl LineInput {
    /// The highest line that is plausible (¥100,000 a month).
    pub const MAX_FEN: i64 = 10_000_000;

    /// Checks it.
    pub fn check(&self) -> Result<LocalLine, HardshipRefusal> {
        if (100..=Self::MAX_FEN).contains(&self.minimum_fen) {
            Ok(LocalLine {
                minimum_fen: self.minimum_fen,
            })
        } else {
            Err(HardshipRefusal::BadLine)
        }
    }
}

/// Households on file in the officer's unions, by category, and files waiting.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HardshipCounts {
    /// 深度困难 on file and valid today.
    pub deep: i64,
    /// 相对困难.
    pub relative: i64,
    /// 意外致困.
    pub accident: i64,
    /// Sent, waiting for a decision.
    pub waiting: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A demo line of ¥1,000.00 per person per month.
    const LINE: LocalLine = LocalLine {
        minimum_fen: 100_000,
    };

    fn household(size: i64, income_yuan: i64, causes: &[Cause]) -> Household {
        Household {
            size,
            monthly_income_fen: income_yuan * 100,
            causes: causes.to_vec(),
        }
    }

    #[test]
    fn at_or_below_the_line_is_deep_hardship() {
        let p = household(3, 3_000, &[Cause::Illness]).propose(LINE, Lang::Zh);
        assert_eq!(p.category, Some(Category::Deep));
        assert_eq!(p.per_person_fen, 100_000);
        assert_eq!(
            p.reason,
            "家庭人均月收入 ¥1,000.00 不高于当地低保标准 ¥1,000.00"
        );
        // No income at all is still a household on file.
        let none = household(2, 0, &[Cause::Unemployment]).propose(LINE, Lang::En);
        assert_eq!(none.category, Some(Category::Deep));
        assert!(none.reason.starts_with("Monthly income per person ¥0.00"));
    }

    #[test]
    fn up_to_half_again_with_a_cause_is_relative_hardship() {
        let p =
            household(4, 6_000, &[Cause::Education, Cause::SingleParent]).propose(LINE, Lang::Zh);
        assert_eq!(p.category, Some(Category::Relative));
        assert_eq!(
            p.reason,
            "家庭人均月收入 ¥1,500.00 不高于低保标准的 1.5 倍 ¥1,500.00，致困原因：子女上学、单亲家庭"
        );
        // One fen a head over the line of relative hardship: none.
        let over = household(1, 1_500, &[Cause::Illness]);
        let over = Household {
            monthly_income_fen: over.monthly_income_fen + 1,
            ..over
        };
        assert_eq!(over.propose(LINE, Lang::Zh).category, None);
    }

    #[test]
    fn an_accident_reaches_twice_the_line() {
        let p = household(2, 3_800, &[Cause::Accident]).propose(LINE, Lang::Zh);
        assert_eq!(p.category, Some(Category::Accident));
        assert!(p.reason.contains("意外事故"), "{}", p.reason);
        let above = household(2, 4_200, &[Cause::Accident]).propose(LINE, Lang::Zh);
        assert_eq!(above.category, None);
        assert_eq!(
            above.reason,
            "家庭人均月收入 ¥2,100.00 高于困难标准 ¥2,000.00，暂不符合建档条件"
        );
    }

    #[test]
    fn a_household_must_have_people_a_plausible_income_and_a_cause() {
        assert_eq!(household(3, 2_000, &[Cause::Illness]).check(), Ok(()));
        let bad = Household {
            size: 0,
            monthly_income_fen: -1,
            causes: vec![],
        };
        assert_eq!(
            bad.check().unwrap_err().0,
            vec![
                ("household_size", FieldProblem::Required),
                ("monthly_income_fen", FieldProblem::Negative),
                ("causes", FieldProblem::ChooseOne)
            ]
        );
        assert_eq!(bad.per_person_fen(), 0);
        let big = Household {
            size: MAX_HOUSEHOLD + 1,
            monthly_income_fen: MAX_MONTHLY_INCOME_FEN + 1,
            causes: vec![Cause::Illness],
        };
        assert_eq!(
            big.check().unwrap_err().0,
            vec![
                ("household_size", FieldProblem::TooLarge),
                ("monthly_income_fen", FieldProblem::TooLarge)
            ]
        );
    }

    #[test]
    fn causes_and_categories_read_back_from_their_names() {
        for c in Cause::ALL {
            assert_eq!(Cause::from_db(c.as_str()), Some(c));
        }
        for c in Category::ALL {
            assert_eq!(Category::from_db(c.as_str()), Some(c));
        }
        assert_eq!(Cause::from_db("laziness"), None);
    }

    #[test]
    fn a_file_moves_only_from_sent_to_decided_and_from_on_file_to_closed() {
        use crate::case_file::CaseStatus;
        use HardshipStatus::*;
        assert_eq!(HardshipStatus::moves_to(Approved), vec![Submitted]);
        assert_eq!(HardshipStatus::moves_to(Closed), vec![Approved]);
        assert!(Rejected.is_final() && Closed.is_final());
        assert!(!Approved.is_final());
        assert!(Submitted.takes_documents() && !Approved.takes_documents());
        for s in HardshipStatus::ALL {
            assert_eq!(HardshipStatus::from_db(s.as_str()), Some(s));
            assert!(s.action().as_str().starts_with("hardship."));
        }
    }

    #[test]
    fn a_file_is_valid_a_year_and_renewable_in_its_last_month() {
        let approved = Date::parse_iso("2026-03-15").unwrap();
        let until = valid_until(approved);
        assert_eq!(until.iso(), "2027-03-14");
        assert!(!may_renew(until, Date::parse_iso("2027-02-12").unwrap()));
        assert!(may_renew(until, Date::parse_iso("2027-02-13").unwrap()));
        assert!(may_renew(until, Date::parse_iso("2027-06-01").unwrap()));
    }

    #[test]
    fn the_input_is_checked_with_its_note_and_causes_counted_once() {
        let input = HardshipInput {
            member_id: None,
            household_size: 3,
            monthly_income_fen: 240_000,
            causes: vec![Cause::Illness, Cause::Illness, Cause::Education],
            note: "很".repeat(NOTE_CHARS + 1),
        };
        assert_eq!(
            input.household().causes,
            vec![Cause::Illness, Cause::Education]
        );
        assert_eq!(
            input.check().unwrap_err().0,
            vec![("note", FieldProblem::TooLong)]
        );
        assert_eq!(
            LineInput { minimum_fen: 0 }.check(),
            Err(HardshipRefusal::BadLine)
        );
        assert_eq!(
            LineInput {
                minimum_fen: 100_000
            }
            .check(),
            Ok(LocalLine {
                minimum_fen: 100_000
            })
        );
    }
}
