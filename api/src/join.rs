//! Applying to join a union (入会申请): for people no roster knows yet.

use serde::{Deserialize, Serialize};

use crate::error::{FieldProblem, FieldProblems};
use crate::identity::{IdNumber, PersonName, Phone};

/// `POST /api/join-requests`: no account needed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JoinApplication {
    /// Name as on the ID card.
    pub name: String,
    /// 18-character ID number.
    pub id_number: String,
    /// Mobile number, to look up the outcome and to register afterwards.
    pub phone: String,
    /// The workplace union chosen from `GET /api/unions`.
    pub union_id: i64,
    /// The employer or workplace, as the applicant names it.
    pub workplace: String,
}

/// A join application whose fields parsed.
#[derive(Debug)]
pub struct ParsedApplication {
    /// Name.
    pub name: PersonName,
    /// ID number.
    pub id_number: IdNumber,
    /// Phone.
    pub phone: Phone,
    /// Workplace text, trimmed.
    pub workplace: String,
}

/// Checks a workplace name: present and at most 60 characters.
pub fn parse_workplace(input: &str) -> Result<String, FieldProblem> {
    let s = input.trim();
    if s.is_empty() {
        Err(FieldProblem::Required)
    } else if s.chars().count() > 60 {
        Err(FieldProblem::TooLong)
    } else {
        Ok(s.to_string())
    }
}

impl JoinApplication {
    /// Parses every field, collecting all problems.
    pub fn parse(&self) -> Result<ParsedApplication, FieldProblems> {
        let mut p = FieldProblems::default();
        let name = p.check("name", PersonName::parse(&self.name));
        let id_number = p.check("id_number", IdNumber::parse(&self.id_number));
        let phone = p.check("phone", Phone::parse(&self.phone));
        let workplace = p.check("workplace", parse_workplace(&self.workplace));
        match (name, id_number, phone, workplace) {
            (Some(name), Some(id_number), Some(phone), Some(workplace)) => Ok(ParsedApplication {
                name,
                id_number,
                phone,
                workplace,
            }),
            _ => Err(p),
        }
    }
}

/// `POST /api/join-requests/lookup`: the applicant asks for the outcome.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JoinLookup {
    /// The phone given in the application.
    pub phone: String,
    /// The ID number given in the application.
    pub id_number: String,
}

/// Where an application stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum JoinStatus {
    /// Waiting for an officer.
    Pending,
    /// Accepted: the person is in the roster with an issued card and can register.
    Approved,
    /// Declined, with a reason.
    Rejected,
}

impl JoinStatus {
    /// Stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            JoinStatus::Pending => "pending",
            JoinStatus::Approved => "approved",
            JoinStatus::Rejected => "rejected",
        }
    }

    /// Parses the stored name.
    pub fn from_db(s: &str) -> Option<JoinStatus> {
        Some(match s {
            "pending" => JoinStatus::Pending,
            "approved" => JoinStatus::Approved,
            "rejected" => JoinStatus::Rejected,
            _ => return None,
        })
    }
}

/// An application as its applicant or an officer sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JoinRequestView {
    /// Application id.
    pub id: i64,
    /// Applicant's name (officers) or masked name (lookup).
    pub name: String,
    /// Masked ID number.
    pub id_number_masked: String,
    /// Masked phone.
    pub phone_masked: String,
    /// The chosen workplace union.
    pub union_name: String,
    /// The workplace as the applicant wrote it.
    pub workplace: String,
    /// Where it stands.
    pub status: JoinStatus,
    /// The officer's note (the reason when declined).
    pub note: Option<String>,
    /// Submitted (RFC 3339).
    pub created_at: String,
    /// Decided (RFC 3339).
    pub decided_at: Option<String>,
}

/// A workplace union a person can apply to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WorkplaceUnion {
    /// Union id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// District.
    pub district: String,
}

/// `POST /api/staff/{kind}/{id}/decision`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Decision {
    /// `approve`, `reject` or `request_documents`.
    pub decision: String,
    /// An amount, where the decision grants money.
    pub amount_fen: Option<i64>,
    /// The officer's note; required to reject.
    #[serde(default)]
    pub note: String,
}

impl Decision {
    /// A yes-or-no decision read: `approve` (true) or `reject` (false, which
    /// needs its reason), with the note trimmed; `None` for another word.
    pub fn approve_or_decline(&self) -> Result<Option<(bool, String)>, NoteNeeded> {
        let note = self.note.trim().to_string();
        match self.decision.as_str() {
            "approve" => Ok(Some((true, note))),
            "reject" if !note.is_empty() => Ok(Some((false, note))),
            "reject" => Err(NoteNeeded::DeclineReason),
            _ => Ok(None),
        }
    }
}

/// A page of a list: `{"items": [...], "next_cursor": ...}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Page<T> {
    /// The items.
    pub items: Vec<T>,
    /// Pass as `cursor` for the next page; `null` at the end.
    pub next_cursor: Option<String>,
}

impl<T> Page<T> {
    /// A list that fits on one page (no cursor).
    pub fn whole(items: Vec<T>) -> Page<T> {
        Page {
            items,
            next_cursor: None,
        }
    }

    /// A keyset page from a read of one more than `size` items: the first
    /// `size`, and, when the extra one was there, the cursor of the last
    /// kept (its `key`).
    pub fn from_probe(mut items: Vec<T>, size: usize, key: impl Fn(&T) -> i64) -> Page<T> {
        let more = items.len() > size;
        items.truncate(size);
        let next_cursor = more
            .then(|| items.last().map(|i| key(i).to_string()))
            .flatten();
        Page { items, next_cursor }
    }
}

/// A decision that needs the officer's words: the kind of note it needs.
/// One code (`note_required`); the sentence, shown at the desk and beside
/// the note, says what this note is for, and is written only here.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoteNeeded {
    /// Declining a join request, a claim or a loan: the reason.
    DeclineReason,
    /// Approving a claim for other than the estimate: why.
    AmountDiffers,
    /// Asking for more documents: which.
    DocumentsWanted,
    /// A union's approval of a loan: the feasibility assessment.
    Feasibility,
    /// A loan's follow-up visit: what it found (at most 1,000 characters).
    FollowUp,
    /// Closing a complaint: what was done.
    ComplaintOutcome,
}

impl crate::error::Refused for NoteNeeded {
    fn code(&self) -> &'static str {
        "note_required"
    }

    fn refusal(&self) -> crate::error::Refusal {
        crate::error::Refusal::Unprocessable
    }

    fn message(&self, lang: crate::Lang) -> String {
        self.field(lang).map(|(_, hint)| hint).unwrap_or_default()
    }

    fn field(&self, lang: crate::Lang) -> Option<(&'static str, String)> {
        let hint = match self {
            NoteNeeded::DeclineReason => {
                lang.pick("请填写不予通过的原因", "Give the reason for declining")
            }
            NoteNeeded::AmountDiffers => lang.pick(
                "金额与测算不同，请说明原因",
                "Explain why the amount differs from the estimate",
            ),
            NoteNeeded::DocumentsWanted => {
                lang.pick("请写明需要补充哪些材料", "Say which documents are needed")
            }
            NoteNeeded::Feasibility => {
                lang.pick("请填写项目可行性意见", "Write the feasibility assessment")
            }
            NoteNeeded::FollowUp => lang.pick(
                "请填写回访情况（1 到 1000 字）",
                "Write what the follow-up found (1 to 1000 characters)",
            ),
            NoteNeeded::ComplaintOutcome => lang.pick("请写明处理结果", "Write down what was done"),
        };
        Some(("note", hint.to_string()))
    }
}

/// Why applying to join, or an officer's decision on an application, was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JoinRefusal {
    /// The union chosen is not a workplace union.
    UnknownUnion,
    /// The ID number is on a roster or has applied: one answer for both, so
    /// the form does not tell a stranger which ID numbers are on a roster.
    AlreadyKnown,
    /// An officer's decision other than approve or reject.
    BadDecision,
    /// An officer decides an application decided meanwhile.
    AlreadyDecided,
    /// An officer approves someone who reached a roster meanwhile.
    AlreadyInRoster,
}

impl crate::error::Refused for JoinRefusal {
    fn code(&self) -> &'static str {
        match self {
            JoinRefusal::UnknownUnion => "unknown_union",
            JoinRefusal::AlreadyKnown => "already_known",
            JoinRefusal::BadDecision => "bad_decision",
            JoinRefusal::AlreadyDecided => "already_decided",
            JoinRefusal::AlreadyInRoster => "already_in_roster",
        }
    }

    fn refusal(&self) -> crate::error::Refusal {
        use crate::error::Refusal;
        match self {
            JoinRefusal::UnknownUnion | JoinRefusal::BadDecision => Refusal::Unprocessable,
            _ => Refusal::Conflict,
        }
    }

    fn message(&self, lang: crate::Lang) -> String {
        match self {
            JoinRefusal::UnknownUnion => {
                lang.pick("请选择所在单位工会", "Choose your workplace union")
            }
            JoinRefusal::AlreadyKnown => lang.pick(
                "该身份证号已在会员名册中或已提交入会申请：已是会员的请直接注册；已申请的可用手机号和身份证号查询进度",
                "This ID number is already on a roster or has applied: members can register directly; applicants can look up their application with phone and ID number",
            ),
            JoinRefusal::BadDecision => lang.pick(
                "入会申请只能通过或不予通过",
                "A join request can only be approved or rejected",
            ),
            JoinRefusal::AlreadyDecided => lang.pick(
                "这份申请已经处理过了",
                "This application was already decided",
            ),
            JoinRefusal::AlreadyInRoster => {
                lang.pick("此人已在会员名册中", "This person is already in a roster")
            }
        }
        .to_string()
    }

    fn field(&self, lang: crate::Lang) -> Option<(&'static str, String)> {
        match self {
            // Beside the union picker, the same sentence.
            JoinRefusal::UnknownUnion => Some(("union_id", self.message(lang))),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::checks::{assert_refusals, assert_worded};
    use crate::error::Refused;

    #[test]
    fn every_join_refusal_has_its_own_code_and_words_in_both_languages() {
        use JoinRefusal::*;
        assert_refusals(&[
            UnknownUnion,
            AlreadyKnown,
            BadDecision,
            AlreadyDecided,
            AlreadyInRoster,
        ]);
    }

    #[test]
    fn every_note_a_decision_needs_is_one_code_worded_on_the_note() {
        use NoteNeeded::*;
        let all = [
            DeclineReason,
            AmountDiffers,
            DocumentsWanted,
            Feasibility,
            FollowUp,
            ComplaintOutcome,
        ];
        assert_worded(&all);
        assert!(all.iter().all(|n| n.code() == "note_required"));
    }

    #[test]
    fn an_application_reports_every_bad_field() {
        let app = JoinApplication {
            name: "".into(),
            id_number: "42010319950101000".into(),
            phone: "1380000000".into(),
            union_id: 1,
            workplace: " ".into(),
        };
        let fields: Vec<_> = app.parse().unwrap_err().0.iter().map(|(f, _)| *f).collect();
        assert_eq!(fields, vec!["name", "id_number", "phone", "workplace"]);
    }
}
