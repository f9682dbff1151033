//! Moving to another workplace union (转会): a member who changes job asks
//! the new workplace's union to take them; its officers accept, or decline
//! with a reason. Accepted, the member's roster entry moves to the new
//! union that day: the card, its history and every record stay the
//! member's; records filed before the move stay with the union that handled
//! them, and the old union's officers no longer see what comes after. (So a
//! claim, hardship file or 金秋助学 application open at the move is still
//! decided and paid by the union it was filed with, and a model worker's
//! allowance by the union whose register lists them, until it is moved.)

use serde::{Deserialize, Serialize};

use crate::error::{Refusal, Refused};
use crate::Lang;

/// The longest reason a member gives, in characters.
pub const REASON_CHARS: usize = 200;
/// The longest reason an officer gives for declining, in characters.
pub const NOTE_CHARS: usize = 500;

/// Where a request stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TransferStatus {
    /// Waiting for the new union.
    Pending,
    /// Done: the member belongs to the new union.
    Accepted,
    /// The new union said no, with its reason.
    Declined,
    /// The member took it back.
    Withdrawn,
}

impl TransferStatus {
    /// Every status.
    pub const ALL: [TransferStatus; 4] = [
        TransferStatus::Pending,
        TransferStatus::Accepted,
        TransferStatus::Declined,
        TransferStatus::Withdrawn,
    ];

    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            TransferStatus::Pending => "pending",
            TransferStatus::Accepted => "accepted",
            TransferStatus::Declined => "declined",
            TransferStatus::Withdrawn => "withdrawn",
        }
    }

    /// Parses the stored name.
    pub fn from_db(s: &str) -> Option<TransferStatus> {
        TransferStatus::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// Its name on the screen.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            TransferStatus::Pending => lang.pick("待新单位工会审核", "Waiting for the new union"),
            TransferStatus::Accepted => lang.pick("已转入", "Moved"),
            TransferStatus::Declined => lang.pick("未通过", "Declined"),
            TransferStatus::Withdrawn => lang.pick("已撤回", "Withdrawn"),
        }
    }
}

/// `POST /api/me/transfers`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TransferInput {
    /// The new workplace union (`id` of `GET /api/unions`).
    pub union_id: i64,
    /// Why, in a few words (e.g. `换工作到新单位`); optional.
    #[serde(default)]
    pub reason: String,
    /// The new employer as the member names it (API.md's `workplace`);
    /// optional, at most 60 characters.
    #[serde(default)]
    pub workplace: String,
}

impl TransferInput {
    /// The reason trimmed, within [`REASON_CHARS`].
    pub fn reason(&self) -> Result<String, TransferRefusal> {
        let r = self.reason.trim();
        if r.chars().count() > REASON_CHARS {
            return Err(TransferRefusal::ReasonTooLong);
        }
        Ok(r.to_string())
    }

    /// The workplace trimmed, within 60 characters.
    pub fn workplace(&self) -> Result<String, TransferRefusal> {
        let w = self.workplace.trim();
        if w.chars().count() > 60 {
            return Err(TransferRefusal::ReasonTooLong);
        }
        Ok(w.to_string())
    }
}

/// A union as a transfer names it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnionRef {
    /// The union.
    pub id: i64,
    /// Its name.
    pub name: String,
}

/// A transfer request as its member and the officers of both unions see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TransferView {
    /// The request.
    pub id: i64,
    /// The member's name (officers only: `None` for the member).
    pub member_name: Option<String>,
    /// The member's masked ID number (officers only).
    pub id_number_masked: Option<String>,
    /// The union the member leaves.
    pub from: UnionRef,
    /// The union the member asks to join.
    pub to: UnionRef,
    /// Where it stands.
    pub status: TransferStatus,
    /// The member's reason.
    pub reason: String,
    /// The new employer the member named.
    #[serde(default)]
    pub workplace: String,
    /// The new union's reason for declining.
    pub note: Option<String>,
    /// When it was asked (RFC 3339).
    pub requested_at: String,
    /// When it was decided or withdrawn.
    pub decided_at: Option<String>,
    /// Who decided it.
    pub decided_by: Option<String>,
    /// Whether the asking officer may decide it (an officer over the new
    /// union, while it waits).
    pub you_may_decide: bool,
}

/// Why a transfer was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TransferRefusal {
    /// The union named is not a workplace union.
    UnknownUnion,
    /// The member already belongs to it.
    SameUnion,
    /// The member has a request waiting already.
    Pending,
    /// The reason is over [`REASON_CHARS`].
    ReasonTooLong,
    /// Decided or withdrawn already.
    Decided,
    /// Only the new union's officers decide.
    NotYours,
    /// A decline's reason over [`NOTE_CHARS`].
    NoteTooLong,
}

impl Refused for TransferRefusal {
    fn code(&self) -> &'static str {
        match self {
            TransferRefusal::UnknownUnion => "unknown_union",
            TransferRefusal::SameUnion => "same_union",
            TransferRefusal::Pending => "transfer_pending",
            TransferRefusal::ReasonTooLong => "reason_too_long",
            TransferRefusal::Decided => "transfer_decided",
            TransferRefusal::NotYours => "not_the_new_union",
            TransferRefusal::NoteTooLong => "note_too_long",
        }
    }

    fn refusal(&self) -> Refusal {
        match self {
            TransferRefusal::Pending | TransferRefusal::Decided => Refusal::Conflict,
            TransferRefusal::NotYours => Refusal::Forbidden,
            _ => Refusal::Unprocessable,
        }
    }

    fn message(&self, lang: Lang) -> String {
        match self {
            TransferRefusal::UnknownUnion => lang.pick(
                "请从列表中选择新单位的工会",
                "Choose the new workplace's union from the list",
            ),
            TransferRefusal::SameUnion => {
                lang.pick("您已经是这个工会的会员", "You already belong to this union")
            }
            TransferRefusal::Pending => lang.pick(
                "您已有一份转会申请在审核中，可先撤回再重新申请",
                "You have a transfer waiting; withdraw it first to ask another union",
            ),
            TransferRefusal::ReasonTooLong => lang.pick(
                "原因请控制在 200 字以内",
                "Keep the reason within 200 characters",
            ),
            TransferRefusal::Decided => lang.pick(
                "这份申请已经处理过了",
                "This request has already been dealt with",
            ),
            TransferRefusal::NotYours => lang.pick(
                "转会申请由新单位的工会审核",
                "The new workplace's union decides a transfer",
            ),
            TransferRefusal::NoteTooLong => lang.pick(
                "说明请控制在 500 字以内",
                "Keep the note within 500 characters",
            ),
        }
        .to_string()
    }

    fn field(&self, lang: Lang) -> Option<(&'static str, String)> {
        match self {
            TransferRefusal::UnknownUnion | TransferRefusal::SameUnion => {
                Some(("union_id", self.message(lang)))
            }
            TransferRefusal::ReasonTooLong => Some(("reason", self.message(lang))),
            TransferRefusal::NoteTooLong => Some(("note", self.message(lang))),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::checks::assert_refusals;

    #[test]
    fn refusals_are_worded_with_unique_codes() {
        assert_refusals(&[
            TransferRefusal::UnknownUnion,
            TransferRefusal::SameUnion,
            TransferRefusal::Pending,
            TransferRefusal::ReasonTooLong,
            TransferRefusal::Decided,
            TransferRefusal::NotYours,
            TransferRefusal::NoteTooLong,
        ]);
    }

    #[test]
    fn a_reason_is_trimmed_and_bounded() {
        let input = |r: &str| TransferInput {
            union_id: 1,
            reason: r.into(),
            workplace: String::new(),
        };
        assert_eq!(input("  换工作  ").reason(), Ok("换工作".into()));
        assert_eq!(
            input(&"字".repeat(200)).reason().map(|r| r.chars().count()),
            Ok(200)
        );
        assert_eq!(
            input(&"字".repeat(201)).reason(),
            Err(TransferRefusal::ReasonTooLong)
        );
    }

    #[test]
    fn statuses_round_trip() {
        for s in TransferStatus::ALL {
            assert_eq!(TransferStatus::from_db(s.as_str()), Some(s));
        }
    }
}
