//! Skills training (职工技能培训): courses, their sessions, who may sign up,
//! overlapping sessions, and the calendar file a phone adds to its calendar.

use serde::{Deserialize, Serialize};

use crate::Lang;

/// What a course trains for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CourseCategory {
    /// 电工.
    Electrician,
    /// 钳工.
    Fitter,
    /// 计算机操作员.
    Computer,
    /// 焊工.
    Welding,
    /// 家政.
    Housekeeping,
    /// 建筑工.
    Construction,
    /// 创业培训.
    Entrepreneurship,
}

impl CourseCategory {
    /// Every category, in display order.
    pub const ALL: [CourseCategory; 7] = [
        CourseCategory::Electrician,
        CourseCategory::Fitter,
        CourseCategory::Computer,
        CourseCategory::Welding,
        CourseCategory::Housekeeping,
        CourseCategory::Construction,
        CourseCategory::Entrepreneurship,
    ];

    /// Stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            CourseCategory::Electrician => "electrician",
            CourseCategory::Fitter => "fitter",
            CourseCategory::Computer => "computer",
            CourseCategory::Welding => "welding",
            CourseCategory::Housekeeping => "housekeeping",
            CourseCategory::Construction => "construction",
            CourseCategory::Entrepreneurship => "entrepreneurship",
        }
    }

    /// Parses the stored name.
    pub fn from_db(s: &str) -> Option<CourseCategory> {
        CourseCategory::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// What people call it.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            CourseCategory::Electrician => lang.pick("电工", "Electrician"),
            CourseCategory::Fitter => lang.pick("钳工", "Fitter"),
            CourseCategory::Computer => lang.pick("计算机操作员", "Computer operator"),
            CourseCategory::Welding => lang.pick("焊工", "Welding"),
            CourseCategory::Housekeeping => lang.pick("家政", "Housekeeping"),
            CourseCategory::Construction => lang.pick("建筑工", "Construction trades"),
            CourseCategory::Entrepreneurship => lang.pick("创业培训", "Entrepreneurship"),
        }
    }
}

/// Who a course is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Eligibility {
    /// Every member.
    All,
    /// Migrant workers (农民工) only.
    MigrantWorkers,
    /// Registered unemployed members only.
    Unemployed,
}

/// What the roster says about a member, as far as eligibility goes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MemberFacts {
    /// A migrant worker.
    pub migrant_worker: bool,
    /// Registered unemployed.
    pub unemployed: bool,
}

impl Eligibility {
    /// Stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Eligibility::All => "all",
            Eligibility::MigrantWorkers => "migrant_workers",
            Eligibility::Unemployed => "unemployed",
        }
    }

    /// Parses the stored name.
    pub fn from_db(s: &str) -> Option<Eligibility> {
        [
            Eligibility::All,
            Eligibility::MigrantWorkers,
            Eligibility::Unemployed,
        ]
        .into_iter()
        .find(|e| e.as_str() == s)
    }

    /// Whether a member may sign up.
    pub fn admits(self, m: MemberFacts) -> bool {
        match self {
            Eligibility::All => true,
            Eligibility::MigrantWorkers => m.migrant_worker,
            Eligibility::Unemployed => m.unemployed,
        }
    }

    /// Who it is for, in words.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Eligibility::All => lang.pick("面向全体会员", "Open to every member"),
            Eligibility::MigrantWorkers => lang.pick("仅限农民工会员", "Migrant workers only"),
            Eligibility::Unemployed => {
                lang.pick("仅限登记失业会员", "Registered unemployed members only")
            }
        }
    }
}

/// Whether two time ranges (start inclusive, end exclusive) share any moment.
pub fn overlaps(a: (i64, i64), b: (i64, i64)) -> bool {
    a.0 < b.1 && b.0 < a.1
}

/// An instant as an iCalendar UTC stamp, `20261123T013000Z`.
fn utc_stamp(unix: i64) -> String {
    let secs = unix.rem_euclid(86_400);
    let date = crate::identity::Date::from_days(unix.div_euclid(86_400));
    let (y, m, d) = (date.year, date.month, date.day);
    format!(
        "{y:04}{m:02}{d:02}T{:02}{:02}{:02}Z",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

/// Escapes text for an iCalendar property value.
fn ics_text(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace('\n', "\\n")
}

/// A calendar file (RFC 5545) for one session, to add to the phone's calendar.
pub fn ics(uid: &str, title: &str, place: &str, starts_at: i64, ends_at: i64, now: i64) -> String {
    [
        "BEGIN:VCALENDAR".to_string(),
        "VERSION:2.0".into(),
        "PRODID:-//UnionCard//Training//ZH".into(),
        "BEGIN:VEVENT".into(),
        format!("UID:{uid}"),
        format!("DTSTAMP:{}", utc_stamp(now)),
        format!("DTSTART:{}", utc_stamp(starts_at)),
        format!("DTEND:{}", utc_stamp(ends_at)),
        format!("SUMMARY:{}", ics_text(title)),
        format!("LOCATION:{}", ics_text(place)),
        "BEGIN:VALARM".into(),
        "TRIGGER:-P1D".into(),
        "ACTION:DISPLAY".into(),
        format!("DESCRIPTION:{}", ics_text(title)),
        "END:VALARM".into(),
        "END:VEVENT".into(),
        "END:VCALENDAR".into(),
        String::new(),
    ]
    .join("\r\n")
}

/// A session of a course.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionView {
    /// Session id.
    pub id: i64,
    /// Its course.
    pub course_id: i64,
    /// Start (RFC 3339).
    pub starts_at: String,
    /// End (RFC 3339).
    pub ends_at: String,
    /// Where.
    pub place: String,
    /// Street address.
    pub address: String,
    /// Seats.
    pub capacity: i64,
    /// Seats not yet confirmed.
    pub seats_left: i64,
    /// People on the waiting list.
    pub waiting: i64,
    /// Last moment to sign up (RFC 3339).
    pub signup_deadline: String,
    /// Open for sign-up, closed (deadline passed) or cancelled.
    pub status: SessionStatus,
}

/// Whether a session takes sign-ups. Only `open` and `cancelled` are
/// stored; `closed` is what an open session shows once its sign-up deadline
/// has passed ([`SessionStatus::at`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SessionStatus {
    /// Taking sign-ups (and the waiting list when full).
    Open,
    /// The sign-up deadline has passed.
    Closed,
    /// The session will not take place.
    Cancelled,
}

impl SessionStatus {
    /// Every status.
    pub const ALL: [SessionStatus; 3] = [
        SessionStatus::Open,
        SessionStatus::Closed,
        SessionStatus::Cancelled,
    ];

    /// The stored (and wire) name.
    pub fn as_str(self) -> &'static str {
        match self {
            SessionStatus::Open => "open",
            SessionStatus::Closed => "closed",
            SessionStatus::Cancelled => "cancelled",
        }
    }

    /// Parses the stored name.
    pub fn from_db(s: &str) -> Option<SessionStatus> {
        SessionStatus::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// What a session with this stored status shows at `now`, given its
    /// sign-up `deadline` (both Unix seconds): an open session closes once
    /// the deadline has passed; the others stay as they are.
    pub fn at(self, now: i64, deadline: i64) -> SessionStatus {
        match self {
            SessionStatus::Open if now > deadline => SessionStatus::Closed,
            s => s,
        }
    }

    /// Whether a member may sign up (or join its waiting list).
    pub fn takes_signups(self) -> bool {
        self == SessionStatus::Open
    }

    /// What the member reads of a session they cannot sign up to.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            SessionStatus::Open => lang.pick("报名中", "Open"),
            SessionStatus::Closed => lang.pick("已截止", "Closed"),
            SessionStatus::Cancelled => lang.pick("已取消", "Cancelled"),
        }
    }
}

/// Where a sign-up stands. A member's sign-up is confirmed while seats are
/// left, otherwise waitlisted with a place; when a confirmed member cancels,
/// the head of the waiting list is confirmed. Cancelled sign-ups are kept
/// for the record, and lists leave them out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SignupStatus {
    /// Holds a seat.
    Confirmed,
    /// On the waiting list, at its `position`.
    Waitlisted,
    /// Given up by the member.
    Cancelled,
}

impl SignupStatus {
    /// Every status.
    pub const ALL: [SignupStatus; 3] = [
        SignupStatus::Confirmed,
        SignupStatus::Waitlisted,
        SignupStatus::Cancelled,
    ];

    /// The stored (and wire) name.
    pub fn as_str(self) -> &'static str {
        match self {
            SignupStatus::Confirmed => "confirmed",
            SignupStatus::Waitlisted => "waitlisted",
            SignupStatus::Cancelled => "cancelled",
        }
    }

    /// Parses the stored name.
    pub fn from_db(s: &str) -> Option<SignupStatus> {
        SignupStatus::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// The statuses a sign-up in this one may move to: a waiting member is
    /// confirmed when a seat frees up, and a live sign-up may be cancelled;
    /// a cancelled one is final (signing up again is a new sign-up).
    pub fn next(self) -> &'static [SignupStatus] {
        match self {
            SignupStatus::Confirmed => &[SignupStatus::Cancelled],
            SignupStatus::Waitlisted => &[SignupStatus::Confirmed, SignupStatus::Cancelled],
            SignupStatus::Cancelled => &[],
        }
    }

    /// Whether it still counts: it holds a seat or a waiting-list place.
    pub fn is_live(self) -> bool {
        self != SignupStatus::Cancelled
    }

    /// The status in words.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            SignupStatus::Confirmed => lang.pick("已报名", "Signed up"),
            SignupStatus::Waitlisted => lang.pick("候补中", "On the waiting list"),
            SignupStatus::Cancelled => lang.pick("已取消", "Cancelled"),
        }
    }

    /// What the member and the roster read: `已报名`, or a waiting member's
    /// place (`候补第3位`).
    pub fn standing(self, position: Option<i64>, lang: Lang) -> String {
        match (self, position) {
            (SignupStatus::Waitlisted, Some(p)) => match lang {
                Lang::Zh => format!("候补第{p}位"),
                Lang::En => format!("Waiting list place {p}"),
            },
            (s, _) => s.label(lang).to_string(),
        }
    }
}

crate::offers::stored_name!(SessionStatus, SignupStatus);

/// A course with its sessions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CourseView {
    /// Course id.
    pub id: i64,
    /// Title.
    pub title: String,
    /// Category.
    pub category: CourseCategory,
    /// Who teaches it.
    pub provider: String,
    /// What it covers.
    pub description: String,
    /// Fee in fen (0 = free for members).
    pub fee_fen: i64,
    /// Who may sign up.
    pub eligibility: Eligibility,
    /// The certificate awarded, if any.
    pub certificate: String,
    /// Whether the signed-in member may sign up (absent when not signed in).
    pub eligible: Option<bool>,
    /// Sessions, earliest first.
    pub sessions: Vec<SessionView>,
}

/// `POST /api/sessions/{id}/signups` and `GET /api/me/signups` items.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignupView {
    /// Sign-up id.
    pub id: i64,
    /// The session.
    pub session_id: i64,
    /// Confirmed or waitlisted.
    pub status: SignupStatus,
    /// Place on the waiting list (1 = next), when waitlisted.
    pub position: Option<i64>,
    /// The course.
    pub course_title: String,
    /// Start (RFC 3339).
    pub starts_at: String,
    /// End (RFC 3339).
    pub ends_at: String,
    /// Where.
    pub place: String,
    /// Attendance, once an officer marked it.
    pub attended: Option<bool>,
    /// Certificate number, once issued.
    pub certificate_no: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eligibility_by_member_facts() {
        let plain = MemberFacts::default();
        let migrant = MemberFacts {
            migrant_worker: true,
            unemployed: false,
        };
        assert!(Eligibility::All.admits(plain));
        assert!(!Eligibility::MigrantWorkers.admits(plain));
        assert!(Eligibility::MigrantWorkers.admits(migrant));
        assert!(!Eligibility::Unemployed.admits(migrant));
    }

    #[test]
    fn session_and_signup_statuses_are_their_stored_names() {
        use crate::offers::status_checks::{assert_labelled, assert_stored_names};
        assert_stored_names(
            &SessionStatus::ALL,
            SessionStatus::as_str,
            SessionStatus::from_db,
            "full",
        );
        assert_stored_names(
            &SignupStatus::ALL,
            SignupStatus::as_str,
            SignupStatus::from_db,
            "pending",
        );
        assert_labelled(&SessionStatus::ALL, SessionStatus::label);
        assert_labelled(&SignupStatus::ALL, SignupStatus::label);
    }

    #[test]
    fn an_open_session_closes_at_its_deadline() {
        let deadline = 1_000;
        assert_eq!(
            SessionStatus::Open.at(deadline, deadline),
            SessionStatus::Open
        );
        assert_eq!(
            SessionStatus::Open.at(deadline + 1, deadline),
            SessionStatus::Closed
        );
        assert_eq!(
            SessionStatus::Cancelled.at(0, deadline),
            SessionStatus::Cancelled
        );
        let taking: Vec<SessionStatus> = SessionStatus::ALL
            .into_iter()
            .filter(|s| s.takes_signups())
            .collect();
        assert_eq!(taking, [SessionStatus::Open]);
    }

    #[test]
    fn a_waiting_member_moves_up_and_a_cancelled_sign_up_stays_cancelled() {
        assert!(SignupStatus::Waitlisted
            .next()
            .contains(&SignupStatus::Confirmed));
        assert!(!SignupStatus::Confirmed
            .next()
            .contains(&SignupStatus::Waitlisted));
        assert!(SignupStatus::Cancelled.next().is_empty());
        for s in SignupStatus::ALL {
            assert_eq!(s.is_live(), !s.next().is_empty());
            assert!(!s.next().contains(&s));
        }
        assert_eq!(SignupStatus::Confirmed.standing(None, Lang::Zh), "已报名");
        assert_eq!(
            SignupStatus::Waitlisted.standing(Some(1), Lang::Zh),
            "候补第1位"
        );
        assert_eq!(
            SignupStatus::Waitlisted.standing(Some(3), Lang::En),
            "Waiting list place 3"
        );
    }

    #[test]
    fn overlapping_sessions() {
        assert!(overlaps((10, 20), (15, 25)));
        assert!(overlaps((10, 20), (0, 30)));
        assert!(!overlaps((10, 20), (20, 30)), "back to back is fine");
        assert!(!overlaps((10, 20), (30, 40)));
    }

    #[test]
    fn a_calendar_file_for_a_session() {
        // 2026-12-01 09:00 Beijing = 01:00 UTC.
        let start = 1_796_086_800;
        let text = ics(
            "signup-7@unioncard",
            "电工培训, 初级",
            "江岸区职业培训中心",
            start,
            start + 3 * 3600,
            start - 86_400,
        );
        assert!(text.starts_with("BEGIN:VCALENDAR\r\n"));
        assert!(text.contains("DTSTART:20261201T010000Z\r\n"), "{text}");
        assert!(text.contains("DTEND:20261201T040000Z\r\n"));
        assert!(text.contains("SUMMARY:电工培训\\, 初级\r\n"));
        assert!(text.ends_with("END:VCALENDAR\r\n"));
    }
}

/// `POST /api/staff/courses`, `PUT /api/staff/courses/{id}`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CourseInput {
    /// Title.
    pub title: String,
    /// Category name, e.g. `electrician`.
    pub category: String,
    /// Provider.
    pub provider: String,
    /// Description.
    #[serde(default)]
    pub description: String,
    /// Fee in fen (0 = free).
    #[serde(default)]
    pub fee_fen: i64,
    /// `all`, `migrant_workers` or `unemployed`.
    pub eligibility: String,
    /// Certificate awarded.
    #[serde(default)]
    pub certificate: String,
}

/// `POST /api/staff/courses/{id}/sessions`. Times as `YYYY-MM-DDTHH:MM` in China time.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionInput {
    /// Start.
    pub starts_at: String,
    /// End.
    pub ends_at: String,
    /// Where.
    pub place: String,
    /// Street address.
    #[serde(default)]
    pub address: String,
    /// Seats.
    pub capacity: i64,
    /// Last moment to sign up.
    pub signup_deadline: String,
}

/// A course as officers manage it (`GET /api/staff/courses`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffCourse {
    /// Course id.
    pub id: i64,
    /// Title.
    pub title: String,
    /// Category name.
    pub category: String,
    /// Eligibility name.
    pub eligibility: String,
    /// Provider.
    pub provider: String,
    /// Description.
    pub description: String,
    /// Fee in fen.
    pub fee_fen: i64,
    /// Certificate awarded.
    pub certificate: String,
    /// Sessions, earliest first.
    pub sessions: Vec<SessionView>,
}

impl StaffCourse {
    /// A course just saved from an input, before it has sessions.
    pub fn from_input(id: i64, input: CourseInput) -> StaffCourse {
        StaffCourse {
            id,
            title: input.title,
            category: input.category,
            eligibility: input.eligibility,
            provider: input.provider,
            description: input.description,
            fee_fen: input.fee_fen,
            certificate: input.certificate,
            sessions: Vec::new(),
        }
    }

    /// The input that would save this course as it is (for the edit form).
    pub fn to_input(&self) -> CourseInput {
        CourseInput {
            title: self.title.clone(),
            category: self.category.clone(),
            provider: self.provider.clone(),
            description: self.description.clone(),
            fee_fen: self.fee_fen,
            eligibility: self.eligibility.clone(),
            certificate: self.certificate.clone(),
        }
    }
}

/// One person on a session's roster.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RosterLine {
    /// Sign-up id.
    pub signup_id: i64,
    /// Name.
    pub name: String,
    /// Masked phone.
    pub phone_masked: String,
    /// Confirmed or waitlisted.
    pub status: SignupStatus,
    /// Waiting-list place.
    pub position: Option<i64>,
    /// Attendance, once marked.
    pub attended: Option<bool>,
    /// Certificate number, once issued.
    pub certificate_no: Option<String>,
}

/// `GET /api/staff/sessions/{id}/roster`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionRoster {
    /// The course.
    pub course_title: String,
    /// The session.
    pub session: SessionView,
    /// Confirmed and waiting, in that order (waiting by position).
    pub people: Vec<RosterLine>,
}

/// `POST /api/staff/signups/{id}/attendance`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AttendanceInput {
    /// Whether the person came.
    pub attended: bool,
}

/// Parses `YYYY-MM-DDTHH:MM` (optionally `:SS`) in China time into Unix seconds.
pub fn parse_local_minute(s: &str) -> Option<i64> {
    let s = s.trim();
    let (date, time) = s.split_once('T').or_else(|| s.split_once(' '))?;
    let mut d = date.split('-').map(|p| p.parse::<i64>().ok());
    let (y, m, day) = (d.next()??, d.next()??, d.next()??);
    let mut t = time
        .split(':')
        .map(|p| p.get(..2).unwrap_or(p).parse::<i64>().ok());
    let (hh, mm) = (t.next()??, t.next()??);
    let date = crate::identity::Date::new(
        u16::try_from(y).ok()?,
        u8::try_from(m).ok()?,
        u8::try_from(day).ok()?,
    )?;
    if !(0..24).contains(&hh) || !(0..60).contains(&mm) {
        return None;
    }
    let days = date.to_days();
    Some(days * 86_400 + hh * 3600 + mm * 60 - 8 * 3600)
}

/// Why signing up, cancelling, marking attendance or issuing a certificate
/// was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TrainingRefusal {
    /// The session is cancelled or past its sign-up deadline.
    SignupClosed,
    /// The course is for other members.
    NotEligible(Eligibility),
    /// The member already holds a seat or a place on the list.
    AlreadySignedUp,
    /// It overlaps another session the member signed up for (its course's title).
    Overlap(String),
    /// Only confirmed people can be marked present or absent.
    NotConfirmed,
    /// The certificate was issued already.
    AlreadyIssued,
    /// Only people who attended get a certificate.
    NotAttended,
    /// Fewer seats than people already confirmed.
    SeatsBelowConfirmed,
}

impl crate::error::Refused for TrainingRefusal {
    fn code(&self) -> &'static str {
        match self {
            TrainingRefusal::SignupClosed => "signup_closed",
            TrainingRefusal::NotEligible(_) => "not_eligible",
            TrainingRefusal::AlreadySignedUp => "already_signed_up",
            TrainingRefusal::Overlap(_) => "overlap",
            TrainingRefusal::NotConfirmed => "not_confirmed",
            TrainingRefusal::AlreadyIssued => "already_issued",
            TrainingRefusal::NotAttended => "not_attended",
            TrainingRefusal::SeatsBelowConfirmed => "validation_failed",
        }
    }

    fn refusal(&self) -> crate::error::Refusal {
        use crate::error::Refusal;
        match self {
            TrainingRefusal::AlreadySignedUp
            | TrainingRefusal::NotConfirmed
            | TrainingRefusal::AlreadyIssued => Refusal::Conflict,
            _ => Refusal::Unprocessable,
        }
    }

    fn message(&self, lang: Lang) -> String {
        match self {
            TrainingRefusal::SignupClosed => {
                lang.pick("这期培训已截止报名", "Sign-up for this session has closed")
            }
            TrainingRefusal::NotEligible(_) => {
                lang.pick("这门课程不面向您开放", "This course is not open to you")
            }
            TrainingRefusal::AlreadySignedUp => lang.pick(
                "您已报名这期培训",
                "You have already signed up for this session",
            ),
            TrainingRefusal::Overlap(_) => lang.pick(
                "与您已报名的另一期培训时间冲突",
                "This overlaps a session you already signed up for",
            ),
            TrainingRefusal::NotConfirmed => lang.pick(
                "只有已确认的学员可以记考勤",
                "Only confirmed people can be marked",
            ),
            TrainingRefusal::AlreadyIssued => {
                lang.pick("证书已经发放", "The certificate was already issued")
            }
            TrainingRefusal::NotAttended => lang.pick(
                "学员未到课，不能发证",
                "Only people who attended get a certificate",
            ),
            TrainingRefusal::SeatsBelowConfirmed => {
                lang.pick("请检查标出的内容", "Please check the marked fields")
            }
        }
        .to_string()
    }

    fn field(&self, lang: Lang) -> Option<(&'static str, String)> {
        match self {
            TrainingRefusal::NotEligible(e) => Some((
                "eligibility",
                match (lang, e) {
                    (Lang::Zh, Eligibility::MigrantWorkers) => "仅限农民工会员报名",
                    (Lang::Zh, Eligibility::Unemployed) => "仅限登记失业会员报名",
                    (Lang::Zh, Eligibility::All) => "",
                    (Lang::En, e) => e.label(Lang::En),
                }
                .to_string(),
            )),
            TrainingRefusal::Overlap(title) => Some((
                "session",
                match lang {
                    Lang::Zh => format!("与《{title}》时间冲突"),
                    Lang::En => format!("Overlaps “{title}”"),
                },
            )),
            TrainingRefusal::SeatsBelowConfirmed => Some((
                "capacity",
                lang.pick(
                    "名额不能少于已确认的人数",
                    "Seats cannot be fewer than people already confirmed",
                )
                .to_string(),
            )),
            _ => None,
        }
    }
}

/// What can be wrong with a course or session an officer enters. The form
/// shows the same words beside the field as the server sends back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CourseProblem {
    /// No title, or one over 60 characters.
    Title,
    /// No known category.
    Category,
    /// No known rule of who may sign up.
    Eligibility,
    /// No provider.
    Provider,
    /// A fee below zero.
    NegativeFee,
    /// A start that is not a date and time.
    StartsAt,
    /// An end that is not a date and time.
    EndsAt,
    /// A sign-up deadline that is not a date and time.
    Deadline,
    /// An end at or before the start.
    EndBeforeStart,
    /// Sign-up closing after the session starts.
    DeadlineAfterStart,
    /// Seats outside 1 to 1000.
    Seats,
    /// No place.
    Place,
}

impl CourseProblem {
    /// The input field at fault.
    pub fn field(self) -> &'static str {
        match self {
            CourseProblem::Title => "title",
            CourseProblem::Category => "category",
            CourseProblem::Eligibility => "eligibility",
            CourseProblem::Provider => "provider",
            CourseProblem::NegativeFee => "fee_fen",
            CourseProblem::StartsAt => "starts_at",
            CourseProblem::EndsAt | CourseProblem::EndBeforeStart => "ends_at",
            CourseProblem::Deadline | CourseProblem::DeadlineAfterStart => "signup_deadline",
            CourseProblem::Seats => "capacity",
            CourseProblem::Place => "place",
        }
    }

    /// What to tell the officer.
    pub fn message(self, lang: Lang) -> &'static str {
        match self {
            CourseProblem::Title => lang.pick(
                "请填写课程名称（60 字以内）",
                "A title of at most 60 characters",
            ),
            CourseProblem::Category => lang.pick("请选择类别", "Choose a category"),
            CourseProblem::Eligibility => lang.pick("请选择报名条件", "Choose who may sign up"),
            CourseProblem::Provider => lang.pick("请填写培训机构", "Name the provider"),
            CourseProblem::NegativeFee => lang.pick("费用不能为负", "The fee cannot be negative"),
            CourseProblem::StartsAt | CourseProblem::EndsAt | CourseProblem::Deadline => {
                lang.pick("时间格式不对", "Not a valid time")
            }
            CourseProblem::EndBeforeStart => {
                lang.pick("结束时间应晚于开始时间", "The end must be after the start")
            }
            CourseProblem::DeadlineAfterStart => lang.pick(
                "报名截止应不晚于开班时间",
                "Sign-up must close before the start",
            ),
            CourseProblem::Seats => {
                lang.pick("名额应在 1 到 1000 之间", "Between 1 and 1000 seats")
            }
            CourseProblem::Place => lang.pick("请填写上课地点", "Say where"),
        }
    }
}

impl CourseInput {
    /// Every problem of the course as entered (none: it may be saved).
    pub fn problems(&self) -> Vec<CourseProblem> {
        let mut out = Vec::new();
        if self.title.trim().is_empty() || self.title.chars().count() > 60 {
            out.push(CourseProblem::Title);
        }
        if CourseCategory::from_db(&self.category).is_none() {
            out.push(CourseProblem::Category);
        }
        if Eligibility::from_db(&self.eligibility).is_none() {
            out.push(CourseProblem::Eligibility);
        }
        if self.provider.trim().is_empty() {
            out.push(CourseProblem::Provider);
        }
        if self.fee_fen < 0 {
            out.push(CourseProblem::NegativeFee);
        }
        out
    }
}

/// A session's start, end and sign-up deadline, in Unix seconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SessionTimes {
    /// Start.
    pub starts: i64,
    /// End.
    pub ends: i64,
    /// Last moment to sign up.
    pub deadline: i64,
}

impl SessionInput {
    /// The session's times when everything entered holds; otherwise the
    /// first problem, in the order the form reads.
    pub fn times(&self) -> Result<SessionTimes, CourseProblem> {
        let starts = parse_local_minute(&self.starts_at).ok_or(CourseProblem::StartsAt)?;
        let ends = parse_local_minute(&self.ends_at).ok_or(CourseProblem::EndsAt)?;
        let deadline = parse_local_minute(&self.signup_deadline).ok_or(CourseProblem::Deadline)?;
        if ends <= starts {
            return Err(CourseProblem::EndBeforeStart);
        }
        if deadline > starts {
            return Err(CourseProblem::DeadlineAfterStart);
        }
        if !(1..=1000).contains(&self.capacity) {
            return Err(CourseProblem::Seats);
        }
        if self.place.trim().is_empty() {
            return Err(CourseProblem::Place);
        }
        Ok(SessionTimes {
            starts,
            ends,
            deadline,
        })
    }
}

#[cfg(test)]
mod input_tests {
    use super::*;

    #[test]
    fn china_time_minutes_parse() {
        assert_eq!(parse_local_minute("2026-12-01T09:00"), Some(1_796_086_800));
        assert_eq!(
            parse_local_minute("2026-12-01 09:00:00"),
            Some(1_796_086_800)
        );
        assert_eq!(parse_local_minute("2026-02-30T09:00"), None);
        assert_eq!(parse_local_minute("2026-12-01T25:00"), None);
        assert_eq!(parse_local_minute("tomorrow"), None);
    }

    fn course() -> CourseInput {
        CourseInput {
            title: "电工上岗证培训".into(),
            category: "electrician".into(),
            provider: "武汉市职工技能培训中心".into(),
            description: String::new(),
            fee_fen: 0,
            eligibility: "all".into(),
            certificate: String::new(),
        }
    }

    fn session() -> SessionInput {
        SessionInput {
            starts_at: "2026-12-10T09:00".into(),
            ends_at: "2026-12-10T17:00".into(),
            place: "武昌区职工服务中心".into(),
            address: String::new(),
            capacity: 30,
            signup_deadline: "2026-12-08T18:00".into(),
        }
    }

    #[test]
    fn a_course_is_checked_field_by_field() {
        assert!(course().problems().is_empty());
        let bad = CourseInput {
            title: "课".repeat(61),
            category: "juggling".into(),
            provider: " ".into(),
            fee_fen: -1,
            eligibility: "everyone".into(),
            ..course()
        };
        assert_eq!(
            bad.problems(),
            vec![
                CourseProblem::Title,
                CourseProblem::Category,
                CourseProblem::Eligibility,
                CourseProblem::Provider,
                CourseProblem::NegativeFee
            ]
        );
        assert_eq!(CourseProblem::NegativeFee.field(), "fee_fen");
    }

    #[test]
    fn a_session_needs_times_in_order_seats_and_a_place() {
        let t = session().times().unwrap();
        assert!(t.deadline <= t.starts && t.starts < t.ends);
        let late = SessionInput {
            signup_deadline: "2026-12-10T10:00".into(),
            ..session()
        };
        assert_eq!(late.times(), Err(CourseProblem::DeadlineAfterStart));
        let backwards = SessionInput {
            ends_at: "2026-12-10T08:00".into(),
            ..session()
        };
        assert_eq!(backwards.times(), Err(CourseProblem::EndBeforeStart));
        let crowd = SessionInput {
            capacity: 1001,
            ..session()
        };
        assert_eq!(crowd.times(), Err(CourseProblem::Seats));
        let garbled = SessionInput {
            starts_at: "12/10 9am".into(),
            ..session()
        };
        assert_eq!(garbled.times().unwrap_err().field(), "starts_at");
        let nowhere = SessionInput {
            place: "  ".into(),
            ..session()
        };
        assert_eq!(nowhere.times(), Err(CourseProblem::Place));
    }

    #[test]
    fn each_refusal_has_one_code_and_words_in_both_languages() {
        use crate::error::{Refusal, Refused};
        let all = [
            TrainingRefusal::SignupClosed,
            TrainingRefusal::NotEligible(Eligibility::MigrantWorkers),
            TrainingRefusal::AlreadySignedUp,
            TrainingRefusal::Overlap("电工上岗证培训".into()),
            TrainingRefusal::NotConfirmed,
            TrainingRefusal::AlreadyIssued,
            TrainingRefusal::NotAttended,
            TrainingRefusal::SeatsBelowConfirmed,
        ];
        for r in &all {
            assert!(!r.message(Lang::Zh).is_empty() && !r.message(Lang::En).is_empty());
            assert_ne!(r.message(Lang::Zh), r.message(Lang::En));
        }
        assert_eq!(
            TrainingRefusal::Overlap("电工".into()).field(Lang::Zh),
            Some(("session", "与《电工》时间冲突".to_string()))
        );
        assert_eq!(
            TrainingRefusal::AlreadySignedUp.refusal(),
            Refusal::Conflict
        );
    }
}
