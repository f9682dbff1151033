//! Campaign banners on 首页: what a union is running now ("医疗互助 2027
//! 年度参保开始"), with the dates it shows and the screen a tap opens. An
//! officer publishes one for their own union; a member sees those of their
//! union and of the unions above it, a guest those of the province and the
//! cities. The rules for a banner's fields are here, for the management
//! form and the server alike.

use serde::{Deserialize, Serialize};

use crate::error::{FieldProblem, FieldProblems, Refusal, Refused};
use crate::identity::Date;
use crate::Lang;

/// A banner's title, at most this many characters (it is one line on a phone).
pub const TITLE_CHARS: usize = 30;

/// A banner shows for at most this many days.
pub const MAX_DAYS: i64 = 366;

/// At most this many banners on 首页 at once.
pub const ON_HOME: i64 = 3;

/// The member screens a banner may open: a fixed list of sections, or one
/// aid plan, merchant or course by its id.
pub const SECTIONS: [(&str, &str, &str); 5] = [
    ("/aid", "职工医疗互助", "Mutual medical aid"),
    ("/offers", "商户优惠", "Discounts"),
    ("/training", "技能培训", "Training"),
    ("/loans", "创业担保贷款", "Micro-loans"),
    ("/services", "服务", "Services"),
];

/// Whether a banner may open this path: one of [`SECTIONS`], or
/// `/aid/plans/N`, `/merchants/N`, `/training/courses/N`. Never another site.
pub fn link_ok(link: &str) -> bool {
    if SECTIONS.iter().any(|(p, _, _)| *p == link) {
        return true;
    }
    ["/aid/plans/", "/merchants/", "/training/courses/"]
        .iter()
        .any(|prefix| {
            link.strip_prefix(prefix).is_some_and(|id| {
                !id.is_empty() && id.len() <= 12 && id.bytes().all(|b| b.is_ascii_digit())
            })
        })
}

/// Whether a campaign is shown (in its dates) or was ended by an officer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CampaignStatus {
    /// Shown from its first to its last day.
    Live,
    /// Taken down before its last day.
    Ended,
}

impl CampaignStatus {
    /// The stored (and wire) name.
    pub fn as_str(self) -> &'static str {
        match self {
            CampaignStatus::Live => "live",
            CampaignStatus::Ended => "ended",
        }
    }

    /// Parses the stored name.
    pub fn from_db(s: &str) -> Option<CampaignStatus> {
        [CampaignStatus::Live, CampaignStatus::Ended]
            .into_iter()
            .find(|c| c.as_str() == s)
    }
}

/// `POST /api/staff/campaigns`: a banner for the officer's own union.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CampaignInput {
    /// The title in Chinese, e.g. `医疗互助 2027 年度参保开始`.
    pub title: String,
    /// The title in English (optional: members reading English see the
    /// Chinese one without it).
    #[serde(default)]
    pub title_en: String,
    /// The member screen a tap opens ([`link_ok`]).
    pub link: String,
    /// First day shown (`YYYY-MM-DD`).
    pub starts_on: String,
    /// Last day shown.
    pub ends_on: String,
}

impl CampaignInput {
    /// Checks every field, collecting each problem; the dates when sound.
    /// A banner may start in the past (published late) but not end there.
    pub fn check(&self, today: Date) -> Result<(Date, Date), FieldProblems> {
        let mut p = FieldProblems::default();
        let title = self.title.trim();
        if title.is_empty() {
            p.0.push(("title", FieldProblem::Required));
        } else if title.chars().count() > TITLE_CHARS {
            p.0.push(("title", FieldProblem::TooLong));
        }
        if self.title_en.trim().chars().count() > TITLE_CHARS * 3 {
            p.0.push(("title_en", FieldProblem::TooLong));
        }
        if !link_ok(&self.link) {
            p.0.push(("link", FieldProblem::ChooseOne));
        }
        let starts = Date::parse_iso(&self.starts_on);
        let ends = Date::parse_iso(&self.ends_on);
        if starts.is_none() {
            p.0.push(("starts_on", FieldProblem::DateFormat));
        }
        match (starts, ends) {
            (_, None) => p.0.push(("ends_on", FieldProblem::DateFormat)),
            (Some(s), Some(e)) if e < s => p.0.push(("ends_on", FieldProblem::EndBeforeStart)),
            (Some(s), Some(e)) if e.to_days() - s.to_days() > MAX_DAYS => {
                p.0.push(("ends_on", FieldProblem::TooLarge))
            }
            (_, Some(e)) if e < today => p.0.push(("ends_on", FieldProblem::EndBeforeStart)),
            _ => {}
        }
        match (starts, ends) {
            (Some(s), Some(e)) if p.is_empty() => Ok((s, e)),
            _ => Err(p),
        }
    }
}

/// Why a change to a banner is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CampaignRefusal {
    /// It was ended already.
    AlreadyEnded,
}

impl Refused for CampaignRefusal {
    fn code(&self) -> &'static str {
        "already_ended"
    }

    fn refusal(&self) -> Refusal {
        Refusal::Conflict
    }

    fn message(&self, lang: Lang) -> String {
        lang.pick("这条活动已经下线", "This campaign has already ended")
            .into()
    }
}

/// A banner.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CampaignView {
    /// Campaign id.
    pub id: i64,
    /// The union running it.
    pub union_name: String,
    /// The title in the client's language (Chinese when it has no English).
    pub title: String,
    /// The member screen a tap opens.
    pub link: String,
    /// First day shown.
    pub starts_on: String,
    /// Last day shown.
    pub ends_on: String,
    /// Shown, or ended early.
    pub status: CampaignStatus,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse_iso(s).unwrap()
    }

    fn input(title: &str, link: &str, from: &str, to: &str) -> CampaignInput {
        CampaignInput {
            title: title.into(),
            title_en: String::new(),
            link: link.into(),
            starts_on: from.into(),
            ends_on: to.into(),
        }
    }

    #[test]
    fn a_banner_opens_only_a_member_screen_of_this_site() {
        assert!(link_ok("/aid"));
        assert!(link_ok("/aid/plans/12"));
        assert!(link_ok("/merchants/3"));
        assert!(!link_ok("/aid/plans/"));
        assert!(!link_ok("/aid/plans/1x"));
        assert!(!link_ok("https://evil.example"));
        assert!(!link_ok("//evil.example"));
        assert!(!link_ok("/staff"));
        assert!(!link_ok(""));
    }

    #[test]
    fn every_field_is_checked_at_once() {
        let today = d("2026-12-02");
        let ok = input(
            "医疗互助 2027 年度参保开始",
            "/aid",
            "2026-12-01",
            "2027-01-31",
        );
        assert_eq!(ok.check(today), Ok((d("2026-12-01"), d("2027-01-31"))));
        let bad = input(
            &"长".repeat(TITLE_CHARS + 1),
            "/staff",
            "2026-12-10",
            "2026-12-01",
        );
        let fields: Vec<&str> = bad
            .check(today)
            .unwrap_err()
            .0
            .iter()
            .map(|(f, _)| *f)
            .collect();
        assert_eq!(fields, vec!["title", "link", "ends_on"]);
        // Over: it would never show.
        assert!(input("x", "/aid", "2026-11-01", "2026-11-30")
            .check(today)
            .is_err());
        // Longer than a year.
        assert!(input("x", "/aid", "2026-12-01", "2028-01-01")
            .check(today)
            .is_err());
        assert!(input("", "/aid", "2026-12-01", "2026-12-31")
            .check(today)
            .is_err());
    }

    #[test]
    fn english_falls_back_to_chinese() {
        assert_eq!(Lang::En.written("参保开始", ""), "参保开始");
        assert_eq!(
            Lang::En.written("参保开始", "Enrolment open"),
            "Enrolment open"
        );
        assert_eq!(Lang::Zh.written("参保开始", "Enrolment open"), "参保开始");
    }
}
