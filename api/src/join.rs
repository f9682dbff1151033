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
}

#[cfg(test)]
mod tests {
    use super::*;

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
