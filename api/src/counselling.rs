//! Counselling appointments (心理咨询与法律咨询窗口): counsellors publish
//! time slots, at a service centre or by phone; a member books one. One
//! open booking per member, one member per slot; a booking may be cancelled
//! up to two hours before. Nothing of what is discussed is stored, and a
//! booking is seen only by its member, its counsellor and administrators.

use serde::{Deserialize, Serialize};

use crate::error::{FieldProblem, FieldProblems, Refusal, Refused};
use crate::Lang;

/// The latest a member may cancel, in seconds before the slot starts.
pub const CANCEL_BEFORE_SECS: i64 = 2 * 3600;
/// How far ahead a slot may be published, in days.
pub const AHEAD_DAYS: i64 = 60;
/// The shortest and longest slot, in minutes.
pub const MINUTES: std::ops::RangeInclusive<i64> = 15..=180;
/// The most slots one request publishes (a week of half hours).
pub const MAX_SLOTS_AT_ONCE: usize = 50;

/// Where the conversation happens.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// At a service centre.
    Centre,
    /// The counsellor calls the member.
    Phone,
}

impl Mode {
    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Centre => "centre",
            Mode::Phone => "phone",
        }
    }

    /// Parses the stored name.
    pub fn from_db(s: &str) -> Option<Mode> {
        [Mode::Centre, Mode::Phone]
            .into_iter()
            .find(|m| m.as_str() == s)
    }

    /// Its name on the screen.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Mode::Centre => lang.pick("到站面谈", "In person"),
            Mode::Phone => lang.pick("电话咨询", "By phone"),
        }
    }
}

/// `POST /api/staff/counselling/slots`: one slot, or the same hour on
/// several days.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SlotInput {
    /// Start times (RFC 3339, China time), each in the future and within
    /// [`AHEAD_DAYS`].
    pub starts: Vec<String>,
    /// Length in minutes.
    pub minutes: i64,
    /// `centre` or `phone`.
    pub mode: String,
    /// The centre, when in person (`id` of `GET /api/service-centres`).
    #[serde(default)]
    pub centre_id: Option<i64>,
}

/// A slot input whose fields passed the rules.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParsedSlots {
    /// Start times, Unix seconds, ascending, no repeats.
    pub starts: Vec<i64>,
    /// Minutes.
    pub minutes: i64,
    /// Mode.
    pub mode: Mode,
    /// Centre, for in person.
    pub centre_id: Option<i64>,
}

impl SlotInput {
    /// Checks the slots against `now` (Unix seconds).
    pub fn parse(&self, now: i64) -> Result<ParsedSlots, FieldProblems> {
        let mut p = FieldProblems::default();
        let mut starts = Vec::new();
        if self.starts.is_empty() {
            p.0.push(("starts", FieldProblem::Required));
        } else if self.starts.len() > MAX_SLOTS_AT_ONCE {
            p.0.push(("starts", FieldProblem::TooLong));
        } else {
            for s in &self.starts {
                match chrono::DateTime::parse_from_rfc3339(s.trim()) {
                    Err(_) => {
                        p.0.push(("starts", FieldProblem::DateFormat));
                        break;
                    }
                    Ok(t) if t.timestamp() <= now => {
                        p.0.push(("starts", FieldProblem::NotInFuture));
                        break;
                    }
                    Ok(t) if t.timestamp() > now + AHEAD_DAYS * 86_400 => {
                        p.0.push(("starts", FieldProblem::TooLarge));
                        break;
                    }
                    Ok(t) => starts.push(t.timestamp()),
                }
            }
        }
        starts.sort_unstable();
        starts.dedup();
        let minutes = p.check(
            "minutes",
            if MINUTES.contains(&self.minutes) {
                Ok(self.minutes)
            } else {
                Err(FieldProblem::TooLarge)
            },
        );
        let mode = p.check(
            "mode",
            Mode::from_db(&self.mode).ok_or(FieldProblem::ChooseOne),
        );
        if mode == Some(Mode::Centre) && self.centre_id.is_none() {
            p.0.push(("centre_id", FieldProblem::Required));
        }
        match (minutes, mode) {
            (Some(minutes), Some(mode)) if p.is_empty() => Ok(ParsedSlots {
                starts,
                minutes,
                mode,
                centre_id: self.centre_id.filter(|_| mode == Mode::Centre),
            }),
            _ => Err(p),
        }
    }
}

/// A slot as members (free ones) and its counsellor see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SlotView {
    /// The slot.
    pub id: i64,
    /// Start (RFC 3339, China time).
    pub starts_at: String,
    /// Minutes.
    pub minutes: i64,
    /// Mode.
    pub mode: Mode,
    /// The centre's name, in person.
    pub centre_name: Option<String>,
    /// The centre's address.
    pub centre_address: Option<String>,
    /// The counsellor's name.
    pub counsellor: String,
    /// Whether a member holds it (counsellor's view).
    pub booked: bool,
    /// The member holding it (counsellor's view: name, masked phone).
    pub member: Option<String>,
    /// Their masked phone (the counsellor calls through the desk).
    pub member_phone: Option<String>,
}

/// `POST /api/counselling/bookings`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BookingInput {
    /// The slot.
    pub slot_id: i64,
}

/// Where a booking stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum BookingStatus {
    /// Booked, its time still ahead.
    Booked,
    /// Its time has passed.
    Past,
    /// Cancelled by the member.
    Cancelled,
}

impl BookingStatus {
    /// Its name on the screen.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            BookingStatus::Booked => lang.pick("已预约", "Booked"),
            BookingStatus::Past => lang.pick("已结束", "Past"),
            BookingStatus::Cancelled => lang.pick("已取消", "Cancelled"),
        }
    }
}

/// A member's booking.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BookingView {
    /// The booking.
    pub id: i64,
    /// Its slot.
    pub slot: SlotView,
    /// Where it stands.
    pub status: BookingStatus,
    /// Whether it may still be cancelled (more than two hours ahead).
    pub may_cancel: bool,
    /// When it was booked (RFC 3339).
    pub booked_at: String,
}

/// Whether a booking of a slot starting at `starts` may be cancelled at `now`.
pub fn may_cancel(starts: i64, now: i64) -> bool {
    starts - now >= CANCEL_BEFORE_SECS
}

/// Why a counselling request was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CounsellingRefusal {
    /// The member has an open booking already.
    HasBooking,
    /// Someone else took the slot, or it was withdrawn or has begun.
    Taken,
    /// Less than two hours before.
    TooLate,
    /// Cancelled or past already.
    NotOpen,
    /// The centre is not an open one.
    UnknownCentre,
    /// The counsellor already has a slot at one of these times.
    Overlap,
}

impl Refused for CounsellingRefusal {
    fn code(&self) -> &'static str {
        match self {
            CounsellingRefusal::HasBooking => "booking_open",
            CounsellingRefusal::Taken => "slot_taken",
            CounsellingRefusal::TooLate => "too_late_to_cancel",
            CounsellingRefusal::NotOpen => "booking_not_open",
            CounsellingRefusal::UnknownCentre => "unknown_centre",
            CounsellingRefusal::Overlap => "slot_overlap",
        }
    }

    fn refusal(&self) -> Refusal {
        match self {
            CounsellingRefusal::UnknownCentre => Refusal::Unprocessable,
            _ => Refusal::Conflict,
        }
    }

    fn message(&self, lang: Lang) -> String {
        match self {
            CounsellingRefusal::HasBooking => lang.pick(
                "您已有一个预约，取消后才能再约",
                "You have a booking already; cancel it to book another",
            ),
            CounsellingRefusal::Taken => lang.pick(
                "这个时段刚被约走了，请换一个时段",
                "Someone has just taken this time; choose another",
            ),
            CounsellingRefusal::TooLate => lang.pick(
                "开始前 2 小时内不能在线取消，请致电服务站点",
                "Within two hours of the start, call the centre to cancel",
            ),
            CounsellingRefusal::NotOpen => lang.pick(
                "这个预约已经取消或结束",
                "This booking is cancelled or over",
            ),
            CounsellingRefusal::UnknownCentre => {
                lang.pick("请选择一个服务站点", "Choose a service centre")
            }
            CounsellingRefusal::Overlap => lang.pick(
                "这些时段与您已发布的时段重叠",
                "These times overlap slots you have published",
            ),
        }
        .to_string()
    }

    fn field(&self, lang: Lang) -> Option<(&'static str, String)> {
        match self {
            CounsellingRefusal::UnknownCentre => Some(("centre_id", self.message(lang))),
            CounsellingRefusal::Overlap => Some(("starts", self.message(lang))),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::checks::assert_refusals;

    const NOW: i64 = 1_796_000_000;

    fn at(secs_from_now: i64) -> String {
        let t = chrono::DateTime::from_timestamp(NOW + secs_from_now, 0).unwrap();
        use chrono::{Datelike, Timelike};
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            t.year(),
            t.month(),
            t.day(),
            t.hour(),
            t.minute(),
            t.second()
        )
    }

    #[test]
    fn slots_are_in_the_future_and_within_bounds() {
        let input =
            |starts: Vec<String>, minutes: i64, mode: &str, centre: Option<i64>| SlotInput {
                starts,
                minutes,
                mode: mode.into(),
                centre_id: centre,
            };
        let ok = input(vec![at(7200), at(3600), at(3600)], 45, "centre", Some(3))
            .parse(NOW)
            .unwrap();
        assert_eq!(ok.starts, vec![NOW + 3600, NOW + 7200]);
        assert_eq!(ok.centre_id, Some(3));
        let phone = input(vec![at(3600)], 30, "phone", Some(3))
            .parse(NOW)
            .unwrap();
        assert_eq!(phone.centre_id, None);
        assert_eq!(
            input(vec![at(-60)], 30, "phone", None)
                .parse(NOW)
                .unwrap_err()
                .0,
            vec![("starts", FieldProblem::NotInFuture)]
        );
        assert_eq!(
            input(vec![at(61 * 86_400)], 300, "centre", None)
                .parse(NOW)
                .unwrap_err()
                .0,
            vec![
                ("starts", FieldProblem::TooLarge),
                ("minutes", FieldProblem::TooLarge),
                ("centre_id", FieldProblem::Required)
            ]
        );
    }

    #[test]
    fn cancelling_closes_two_hours_before() {
        assert!(may_cancel(NOW + CANCEL_BEFORE_SECS, NOW));
        assert!(!may_cancel(NOW + CANCEL_BEFORE_SECS - 1, NOW));
        assert_refusals(&[
            CounsellingRefusal::HasBooking,
            CounsellingRefusal::Taken,
            CounsellingRefusal::TooLate,
            CounsellingRefusal::NotOpen,
            CounsellingRefusal::UnknownCentre,
            CounsellingRefusal::Overlap,
        ]);
    }
}
