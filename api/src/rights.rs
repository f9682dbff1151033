//! Rights cases (维权, the 12351 hotline in the app): a worker, member or
//! not yet, reports a dispute with an employer; co-workers join a
//! collective case; the union over the employer's workplace (or the
//! district union where the employer is) triages it, assigns a union lawyer
//! or mediator, records each step and what was recovered. A labour
//! arbitration claim must be filed within one year of the dispute (劳动争议
//! 调解仲裁法 art. 27), so the desk counts the days left.

use serde::{Deserialize, Serialize};

use crate::error::{FieldProblem, FieldProblems, Refusal, Refused};
use crate::identity::Date;
use crate::money;
use crate::Lang;

/// The longest account of what happened, in characters.
pub const FACTS_CHARS: usize = 2000;
/// The shortest account that says anything.
pub const FACTS_MIN_CHARS: usize = 10;
/// The longest employer name.
pub const EMPLOYER_CHARS: usize = 60;
/// The longest address, office name or step note.
pub const NOTE_CHARS: usize = 500;
/// The most workers one case speaks for (a large factory's shift).
pub const MAX_WORKERS: i64 = 5000;
/// Days before the arbitration deadline when the desk starts warning.
pub const DEADLINE_WARNING_DAYS: i64 = 30;
/// A co-worker's join code: characters shown to the reporter to pass on.
pub const JOIN_CODE_CHARS: usize = 6;

/// What the dispute is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CaseKind {
    /// 拖欠工资.
    UnpaidWages,
    /// 工伤.
    WorkInjury,
    /// 劳动合同、解除.
    Contract,
    /// 社会保险.
    SocialInsurance,
    /// 加班、休息休假.
    Overtime,
    /// 其他.
    Other,
}

impl CaseKind {
    /// Every kind, in the order the form offers them.
    pub const ALL: [CaseKind; 6] = [
        CaseKind::UnpaidWages,
        CaseKind::WorkInjury,
        CaseKind::Contract,
        CaseKind::SocialInsurance,
        CaseKind::Overtime,
        CaseKind::Other,
    ];

    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            CaseKind::UnpaidWages => "unpaid_wages",
            CaseKind::WorkInjury => "work_injury",
            CaseKind::Contract => "contract",
            CaseKind::SocialInsurance => "social_insurance",
            CaseKind::Overtime => "overtime",
            CaseKind::Other => "other",
        }
    }

    /// Parses the stored name.
    pub fn from_db(s: &str) -> Option<CaseKind> {
        CaseKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Its name on the screen.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            CaseKind::UnpaidWages => lang.pick("拖欠工资", "Unpaid wages"),
            CaseKind::WorkInjury => lang.pick("工伤", "Work injury"),
            CaseKind::Contract => lang.pick("劳动合同与解除", "Contract or dismissal"),
            CaseKind::SocialInsurance => lang.pick("社会保险", "Social insurance"),
            CaseKind::Overtime => lang.pick("加班与休假", "Overtime and leave"),
            CaseKind::Other => lang.pick("其他", "Other"),
        }
    }
}

/// Where a case stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CaseStatus {
    /// Waiting for the union to triage it.
    Submitted,
    /// Accepted: the union (its lawyer or mediator) is working on it.
    InProgress,
    /// Sent on to the labour inspectorate or arbitration.
    Referred,
    /// Not taken up, with the reason.
    Declined,
    /// Finished, with its outcome.
    Closed,
}

impl CaseStatus {
    /// Every status.
    pub const ALL: [CaseStatus; 5] = [
        CaseStatus::Submitted,
        CaseStatus::InProgress,
        CaseStatus::Referred,
        CaseStatus::Declined,
        CaseStatus::Closed,
    ];

    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            CaseStatus::Submitted => "submitted",
            CaseStatus::InProgress => "in_progress",
            CaseStatus::Referred => "referred",
            CaseStatus::Declined => "declined",
            CaseStatus::Closed => "closed",
        }
    }

    /// Parses the stored name.
    pub fn from_db(s: &str) -> Option<CaseStatus> {
        CaseStatus::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Whether the case is still being worked on (so its deadline matters,
    /// co-workers may join and documents may be added).
    pub fn is_open(self) -> bool {
        matches!(self, CaseStatus::Submitted | CaseStatus::InProgress)
    }

    /// Its name on the screen.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            CaseStatus::Submitted => lang.pick("待受理", "Waiting for the union"),
            CaseStatus::InProgress => lang.pick("办理中", "In hand"),
            CaseStatus::Referred => lang.pick("已转交", "Referred"),
            CaseStatus::Declined => lang.pick("不予受理", "Not taken up"),
            CaseStatus::Closed => lang.pick("已办结", "Closed"),
        }
    }

    /// What happens next, as the worker reads it.
    pub fn next(self, lang: Lang) -> &'static str {
        match self {
            CaseStatus::Submitted => lang.pick(
                "工会将在 3 个工作日内联系您，请保持电话畅通",
                "The union will call you within 3 working days; keep your phone on",
            ),
            CaseStatus::InProgress => lang.pick(
                "工会律师或调解员正在办理，有进展会通知您",
                "A union lawyer or mediator has it; you will be told of each step",
            ),
            CaseStatus::Referred => lang.pick(
                "请带上证据材料联系下方的受理机构",
                "Take your evidence to the office below",
            ),
            CaseStatus::Declined => lang.pick(
                "可拨打 12351 职工维权热线咨询",
                "You can call the 12351 rights hotline for advice",
            ),
            CaseStatus::Closed => lang.pick("案件已办结", "The case is closed"),
        }
    }
}

/// A step recorded on a case.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum StepKind {
    /// A call with the worker or the employer.
    Call,
    /// A mediation meeting.
    Mediation,
    /// An arbitration claim filed (stops the deadline warning).
    ArbitrationFiled,
    /// An award or a judgment.
    Judgment,
    /// Anything else worth writing down.
    Note,
    /// The outcome: the case is closed.
    Closed,
}

impl StepKind {
    /// Every kind.
    pub const ALL: [StepKind; 6] = [
        StepKind::Call,
        StepKind::Mediation,
        StepKind::ArbitrationFiled,
        StepKind::Judgment,
        StepKind::Note,
        StepKind::Closed,
    ];

    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            StepKind::Call => "call",
            StepKind::Mediation => "mediation",
            StepKind::ArbitrationFiled => "arbitration_filed",
            StepKind::Judgment => "judgment",
            StepKind::Note => "note",
            StepKind::Closed => "closed",
        }
    }

    /// Parses the stored name.
    pub fn from_db(s: &str) -> Option<StepKind> {
        StepKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Its name on the screen.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            StepKind::Call => lang.pick("电话沟通", "Call"),
            StepKind::Mediation => lang.pick("调解", "Mediation"),
            StepKind::ArbitrationFiled => lang.pick("申请劳动仲裁", "Arbitration filed"),
            StepKind::Judgment => lang.pick("裁决或判决", "Award or judgment"),
            StepKind::Note => lang.pick("备注", "Note"),
            StepKind::Closed => lang.pick("办结", "Closed"),
        }
    }
}

/// Whether a unified social credit code (统一社会信用代码, GB 32100-2015)
/// is well formed: 18 characters from the standard's 31 (digits and capital
/// letters without I, O, S, V, Z), the last one the check character of the
/// first 17 (weights 3^i mod 31). Lower case and full-width input are read
/// as the capitals and digits they stand for.
pub fn parse_credit_code(input: &str) -> Result<String, FieldProblem> {
    const CHARSET: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
    let code: String = crate::identity::to_half_width(input.trim()).to_ascii_uppercase();
    let values: Option<Vec<usize>> = code
        .bytes()
        .map(|b| CHARSET.iter().position(|&c| c == b))
        .collect();
    let Some(values) = values.filter(|v| v.len() == 18) else {
        return Err(FieldProblem::CreditCode);
    };
    let mut weight = 1usize;
    let mut sum = 0usize;
    for v in &values[..17] {
        sum += v * weight;
        weight = weight * 3 % 31;
    }
    let check = (31 - sum % 31) % 31;
    if values[17] != check {
        return Err(FieldProblem::CreditCode);
    }
    Ok(code)
}

/// `POST /api/rights/cases`: a member signed in, or anyone with `name`,
/// `phone` and `id_number` (as joining a union works).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseInput {
    /// What the dispute is about (`unpaid_wages`, `work_injury`, `contract`,
    /// `social_insurance`, `overtime`, `other`).
    pub kind: String,
    /// The employer as the worker names it.
    pub employer_name: String,
    /// Its unified social credit code, when known (checked).
    #[serde(default)]
    pub employer_credit_code: Option<String>,
    /// The district where the employer is (e.g. `武昌区`), for routing when
    /// the employer is not on a roster.
    #[serde(default)]
    pub district: Option<String>,
    /// Where the employer is, as the worker knows it.
    #[serde(default)]
    pub address: Option<String>,
    /// What happened.
    pub facts: String,
    /// What is at stake, in fen, when it is money.
    #[serde(default)]
    pub amount_fen: Option<i64>,
    /// How many workers are affected (more than one: a collective case).
    pub workers: i64,
    /// When the dispute arose (`YYYY-MM-DD`); the one-year arbitration
    /// deadline runs from it.
    #[serde(default)]
    pub dispute_on: Option<String>,
    /// Someone without an account: their name.
    #[serde(default)]
    pub name: Option<String>,
    /// Someone without an account: their mobile number.
    #[serde(default)]
    pub phone: Option<String>,
    /// Someone without an account: their ID number.
    #[serde(default)]
    pub id_number: Option<String>,
}

/// A case report whose fields passed the shared rules.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParsedCase {
    /// The kind.
    pub kind: CaseKind,
    /// Employer name, trimmed.
    pub employer_name: String,
    /// Credit code, when given.
    pub credit_code: Option<String>,
    /// District, trimmed, when given.
    pub district: Option<String>,
    /// Address, trimmed.
    pub address: String,
    /// The facts, trimmed.
    pub facts: String,
    /// Amount at stake.
    pub amount_fen: Option<i64>,
    /// Workers affected.
    pub workers: i64,
    /// When the dispute arose.
    pub dispute_on: Option<Date>,
}

/// Reads optional text: trimmed, `None` when blank, at most `max` characters.
fn optional_text(s: Option<&str>, max: usize) -> Result<Option<String>, FieldProblem> {
    let Some(s) = s.map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok(None);
    };
    if s.chars().count() > max {
        return Err(FieldProblem::TooLong);
    }
    Ok(Some(s.to_string()))
}

/// Reads a date that must not be after `today`.
pub fn parse_past_date(s: &str, today: Date) -> Result<Date, FieldProblem> {
    let d = Date::parse_iso(s.trim()).ok_or(FieldProblem::DateFormat)?;
    if d > today {
        return Err(FieldProblem::InFuture);
    }
    Ok(d)
}

impl CaseInput {
    /// Checks every field against the shared rules, naming each one at
    /// fault. `today` is the date in China (a dispute cannot start later).
    pub fn parse(&self, today: Date) -> Result<ParsedCase, FieldProblems> {
        let mut p = FieldProblems::default();
        let kind = p.check(
            "kind",
            CaseKind::from_db(self.kind.trim()).ok_or(FieldProblem::ChooseOne),
        );
        let employer = self.employer_name.trim();
        let employer_name = p.check(
            "employer_name",
            if employer.is_empty() {
                Err(FieldProblem::Required)
            } else if employer.chars().count() > EMPLOYER_CHARS {
                Err(FieldProblem::TooLong)
            } else {
                Ok(employer.to_string())
            },
        );
        let credit_code = p.check(
            "employer_credit_code",
            match self.employer_credit_code.as_deref().map(str::trim) {
                None | Some("") => Ok(None),
                Some(c) => parse_credit_code(c).map(Some),
            },
        );
        let district = p.check("district", optional_text(self.district.as_deref(), 20));
        let address = p.check(
            "address",
            optional_text(self.address.as_deref(), NOTE_CHARS),
        );
        let facts = self.facts.trim();
        let facts = p.check(
            "facts",
            if facts.is_empty() {
                Err(FieldProblem::Required)
            } else if facts.chars().count() < FACTS_MIN_CHARS {
                Err(FieldProblem::TooShort)
            } else if facts.chars().count() > FACTS_CHARS {
                Err(FieldProblem::TooLong)
            } else {
                Ok(facts.to_string())
            },
        );
        let amount_fen = p.check(
            "amount_fen",
            match self.amount_fen {
                None => Ok(None),
                Some(a) if a < 0 => Err(FieldProblem::Negative),
                Some(a) if !money::in_bounds(a) => Err(FieldProblem::TooLarge),
                Some(a) => Ok(Some(a)),
            },
        );
        let workers = p.check(
            "workers",
            match self.workers {
                w if w < 1 => Err(FieldProblem::Required),
                w if w > MAX_WORKERS => Err(FieldProblem::TooLarge),
                w => Ok(w),
            },
        );
        let dispute_on = p.check(
            "dispute_on",
            match self.dispute_on.as_deref().map(str::trim) {
                None | Some("") => Ok(None),
                Some(d) => parse_past_date(d, today).map(Some),
            },
        );
        match (
            kind,
            employer_name,
            credit_code,
            district,
            address,
            facts,
            amount_fen,
            workers,
            dispute_on,
        ) {
            (
                Some(kind),
                Some(employer_name),
                Some(credit_code),
                Some(district),
                Some(address),
                Some(facts),
                Some(amount_fen),
                Some(workers),
                Some(dispute_on),
            ) if p.is_empty() => Ok(ParsedCase {
                kind,
                employer_name,
                credit_code,
                district,
                address: address.unwrap_or_default(),
                facts,
                amount_fen,
                workers,
                dispute_on,
            }),
            _ => Err(p),
        }
    }

    /// Whether the report carries the identity of someone without an
    /// account (any of the three fields given).
    pub fn is_anonymous(&self) -> bool {
        [&self.name, &self.phone, &self.id_number]
            .iter()
            .any(|f| f.as_deref().is_some_and(|s| !s.trim().is_empty()))
    }
}

/// `POST /api/rights/cases/{id}/join`: a co-worker joins a collective case
/// with the code the reporter passed on; signed in as a member, or with
/// `name`, `phone` and `id_number`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JoinCaseInput {
    /// The case's join code.
    pub code: String,
    /// Without an account: name.
    #[serde(default)]
    pub name: Option<String>,
    /// Without an account: mobile number.
    #[serde(default)]
    pub phone: Option<String>,
    /// Without an account: ID number.
    #[serde(default)]
    pub id_number: Option<String>,
}

/// `POST /api/rights/cases/lookup`: someone without an account finds the
/// cases they reported or joined.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseLookup {
    /// Mobile number given on the case.
    pub phone: String,
    /// ID number given on the case.
    pub id_number: String,
}

/// Triage: `POST /api/staff/rights/cases/{id}/triage`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TriageInput {
    /// `accept`, `refer` or `decline`.
    pub action: String,
    /// Referral: the office's name (e.g. `武昌区劳动保障监察大队`).
    #[serde(default)]
    pub office: Option<String>,
    /// Referral: the office's phone.
    #[serde(default)]
    pub office_phone: Option<String>,
    /// Decline: the reason the worker reads.
    #[serde(default)]
    pub reason: Option<String>,
}

/// What triage decided, read from [`TriageInput`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Triage {
    /// Take it up.
    Accept,
    /// Send it on.
    Refer {
        /// Office.
        office: String,
        /// Its phone.
        phone: String,
    },
    /// Do not take it up.
    Decline {
        /// Why.
        reason: String,
    },
}

impl Triage {
    /// The status the case moves to.
    pub fn status(&self) -> CaseStatus {
        match self {
            Triage::Accept => CaseStatus::InProgress,
            Triage::Refer { .. } => CaseStatus::Referred,
            Triage::Decline { .. } => CaseStatus::Declined,
        }
    }
}

/// A phone number as an office gives it: digits with an optional area-code
/// dash, 5 to 20 characters (12351, 027-12333, a mobile).
pub fn parse_office_phone(s: &str) -> Result<String, FieldProblem> {
    let s = s.trim();
    if s.is_empty() {
        return Err(FieldProblem::Required);
    }
    let ok = (5..=20).contains(&s.len())
        && s.chars().all(|c| c.is_ascii_digit() || c == '-')
        && s.chars().next().is_some_and(|c| c.is_ascii_digit());
    if ok {
        Ok(s.to_string())
    } else {
        Err(FieldProblem::PhoneFormat)
    }
}

impl TriageInput {
    /// Checks the decision and what it needs.
    pub fn parse(&self) -> Result<Triage, FieldProblems> {
        let mut p = FieldProblems::default();
        let required = |s: Option<&str>| match optional_text(s, NOTE_CHARS) {
            Ok(None) => Err(FieldProblem::Required),
            Ok(Some(s)) => Ok(s),
            Err(e) => Err(e),
        };
        let out = match self.action.as_str() {
            "accept" => Some(Triage::Accept),
            "refer" => {
                let office = p.check("office", required(self.office.as_deref()));
                let phone = p.check(
                    "office_phone",
                    parse_office_phone(self.office_phone.as_deref().unwrap_or("")),
                );
                office
                    .zip(phone)
                    .map(|(office, phone)| Triage::Refer { office, phone })
            }
            "decline" => p
                .check("reason", required(self.reason.as_deref()))
                .map(|reason| Triage::Decline { reason }),
            _ => {
                p.0.push(("action", FieldProblem::ChooseOne));
                None
            }
        };
        out.filter(|_| p.is_empty()).ok_or(p)
    }
}

/// `POST /api/staff/rights/cases/{id}/assign`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AssignInput {
    /// The lawyer's account (`id` of `GET /api/staff/rights/lawyers`).
    pub lawyer_id: i64,
}

/// `POST /api/staff/rights/cases/{id}/steps`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StepInput {
    /// `call`, `mediation`, `arbitration_filed`, `judgment`, `note` or
    /// `closed` (the outcome: closes the case).
    pub kind: String,
    /// What happened.
    pub note: String,
    /// Money recovered for the workers by this step, in fen.
    #[serde(default)]
    pub recovered_fen: Option<i64>,
}

/// A step whose fields passed the rules.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParsedStep {
    /// Kind.
    pub kind: StepKind,
    /// Note, trimmed.
    pub note: String,
    /// Recovered, in fen (0 when none).
    pub recovered_fen: i64,
}

impl StepInput {
    /// Checks the step.
    pub fn parse(&self) -> Result<ParsedStep, FieldProblems> {
        let mut p = FieldProblems::default();
        let kind = p.check(
            "kind",
            StepKind::from_db(self.kind.trim()).ok_or(FieldProblem::ChooseOne),
        );
        let note = p.check(
            "note",
            match optional_text(Some(&self.note), NOTE_CHARS) {
                Ok(None) => Err(FieldProblem::Required),
                Ok(Some(n)) => Ok(n),
                Err(e) => Err(e),
            },
        );
        let recovered = p.check(
            "recovered_fen",
            match self.recovered_fen {
                None => Ok(0),
                Some(a) if a < 0 => Err(FieldProblem::Negative),
                Some(a) if !money::in_bounds(a) => Err(FieldProblem::TooLarge),
                Some(a) => Ok(a),
            },
        );
        match (kind, note, recovered) {
            (Some(kind), Some(note), Some(recovered_fen)) if p.is_empty() => Ok(ParsedStep {
                kind,
                note,
                recovered_fen,
            }),
            _ => Err(p),
        }
    }
}

/// Where a case stands against the one-year arbitration deadline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Deadline {
    /// The last day to file (`YYYY-MM-DD`): one year after the dispute.
    pub last_day: String,
    /// Days from today to it (negative once past).
    pub days_left: i64,
    /// Whether the desk warns: open, nothing filed yet, and at most
    /// [`DEADLINE_WARNING_DAYS`] left (or already past).
    pub warn: bool,
}

/// The arbitration deadline of a case whose dispute arose on `dispute_on`.
/// No warning once arbitration is filed or the case is no longer open.
pub fn arbitration_deadline(
    dispute_on: Date,
    today: Date,
    status: CaseStatus,
    filed: bool,
) -> Deadline {
    let last_day = dispute_on.add_months(12);
    let days_left = last_day.to_days() - today.to_days();
    Deadline {
        last_day: last_day.iso(),
        days_left,
        warn: status.is_open() && !filed && days_left <= DEADLINE_WARNING_DAYS,
    }
}

/// A union lawyer or mediator an officer may assign.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LawyerView {
    /// Account.
    pub id: i64,
    /// Name.
    pub name: String,
    /// The union they serve.
    pub union_name: String,
    /// Open cases assigned to them now.
    pub open_cases: i64,
}

/// A step on a case's timeline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StepView {
    /// The step (`submitted`, `accepted`, `referred`, `declined`,
    /// `assigned`, `joined`, or a [`StepKind`] name).
    pub kind: String,
    /// What the worker reads.
    pub note: String,
    /// Recovered by this step, in fen.
    pub recovered_fen: i64,
    /// Who wrote it (the union's or lawyer's name; none for the worker's own).
    pub by: Option<String>,
    /// When (RFC 3339).
    pub at: String,
}

/// A case as its workers, its union's officers and its lawyer see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseView {
    /// The case.
    pub id: i64,
    /// Its number as said on the phone, e.g. `WQ2026-000123`.
    pub number: String,
    /// Kind.
    pub kind: CaseKind,
    /// Status.
    pub status: CaseStatus,
    /// The employer.
    pub employer_name: String,
    /// Its credit code, when given.
    pub employer_credit_code: Option<String>,
    /// District given.
    pub district: Option<String>,
    /// Address given.
    pub address: String,
    /// What happened.
    pub facts: String,
    /// At stake, in fen.
    pub amount_fen: Option<i64>,
    /// Workers affected, as reported.
    pub workers: i64,
    /// Workers who joined the case in the app, the reporter included.
    pub joined: i64,
    /// Collective: more than one worker affected.
    pub collective: bool,
    /// When the dispute arose.
    pub dispute_on: Option<String>,
    /// The union handling it.
    pub union_name: String,
    /// The assigned lawyer or mediator.
    pub lawyer_name: Option<String>,
    /// Their phone, for the workers to call.
    pub lawyer_phone: Option<String>,
    /// A referral's office.
    pub referred_to: Option<String>,
    /// Its phone.
    pub referred_phone: Option<String>,
    /// A decline's reason.
    pub decline_reason: Option<String>,
    /// The total recovered so far, in fen.
    pub recovered_fen: i64,
    /// The code co-workers join with (shown to the case's workers only).
    pub join_code: Option<String>,
    /// The reporter's name (staff only; masked ID and phone beside it).
    pub reporter: Option<String>,
    /// The reporter's masked phone (staff only).
    pub reporter_phone: Option<String>,
    /// The arbitration deadline (staff only, when the dispute date is known).
    pub deadline: Option<Deadline>,
    /// The timeline, oldest first.
    pub steps: Vec<StepView>,
    /// Evidence: photos and PDFs (the shared document rules).
    pub documents: Vec<crate::aid::DocumentView>,
    /// When it was reported (RFC 3339).
    pub created_at: String,
    /// What the asking officer or lawyer may do now.
    pub you_may: CaseActions,
}

/// What the account reading a case may do with it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseActions {
    /// Triage (an officer of its union, while it waits).
    pub triage: bool,
    /// Assign a lawyer (an officer, while in hand).
    pub assign: bool,
    /// Record steps (an officer or the assigned lawyer, while in hand).
    pub record: bool,
}

/// `POST /api/staff/rights/cases/{id}/contact`: the reporter's whole
/// number, for the officer or lawyer about to call (each look is audited).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContactView {
    /// The reporter's name.
    pub name: String,
    /// Their mobile number, whole.
    pub phone: String,
}

/// Why a rights request was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RightsRefusal {
    /// A signed-in member also sent someone else's identity, or someone
    /// without an account left one of the three out.
    Identity,
    /// The district is not one the unions know.
    UnknownDistrict,
    /// The join code does not match (or the case is not open).
    WrongCode,
    /// Already on the case.
    AlreadyJoined,
    /// The case has moved on (triaged, closed).
    Moved,
    /// Not an account that may be assigned.
    NotALawyer,
    /// A case's recovered total would pass the shared maximum.
    TooMuch,
}

impl Refused for RightsRefusal {
    fn code(&self) -> &'static str {
        match self {
            RightsRefusal::Identity => "identity_needed",
            RightsRefusal::UnknownDistrict => "unknown_district",
            RightsRefusal::WrongCode => "wrong_join_code",
            RightsRefusal::AlreadyJoined => "already_joined",
            RightsRefusal::Moved => "case_moved",
            RightsRefusal::NotALawyer => "not_a_lawyer",
            RightsRefusal::TooMuch => "recovered_too_much",
        }
    }

    fn refusal(&self) -> Refusal {
        match self {
            RightsRefusal::AlreadyJoined | RightsRefusal::Moved => Refusal::Conflict,
            RightsRefusal::WrongCode => Refusal::NotFound,
            _ => Refusal::Unprocessable,
        }
    }

    fn message(&self, lang: Lang) -> String {
        match self {
            RightsRefusal::Identity => lang.pick(
                "未登录时请填写姓名、手机号和身份证号，以便工会联系您",
                "Without signing in, give your name, mobile number and ID number so the union can reach you",
            ),
            RightsRefusal::UnknownDistrict => lang.pick(
                "请选择用人单位所在的区",
                "Choose the district where the employer is",
            ),
            RightsRefusal::WrongCode => lang.pick(
                "案件编号或加入码不对，请向发起人核对",
                "The case or its join code is wrong; check with whoever reported it",
            ),
            RightsRefusal::AlreadyJoined => {
                lang.pick("您已经在这个案件中", "You are on this case already")
            }
            RightsRefusal::Moved => lang.pick(
                "案件状态已经变化，请刷新后再看",
                "The case has moved on; reload to see where it stands",
            ),
            RightsRefusal::NotALawyer => lang.pick(
                "请从列表中选择工会律师或调解员",
                "Choose a union lawyer or mediator from the list",
            ),
            RightsRefusal::TooMuch => lang.pick(
                "追回金额合计超出上限，请核对",
                "The recovered total would pass the limit; please check",
            ),
        }
        .to_string()
    }

    fn field(&self, lang: Lang) -> Option<(&'static str, String)> {
        match self {
            RightsRefusal::UnknownDistrict => Some(("district", self.message(lang))),
            RightsRefusal::WrongCode => Some(("code", self.message(lang))),
            RightsRefusal::NotALawyer => Some(("lawyer_id", self.message(lang))),
            RightsRefusal::TooMuch => Some(("recovered_fen", self.message(lang))),
            _ => None,
        }
    }
}

/// A case's number as said on the phone: `WQ` (维权), the year, the id.
pub fn case_number(year: i32, id: i64) -> String {
    format!("WQ{year}-{id:06}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::checks::assert_refusals;

    /// A code built with its check character, to test against.
    fn with_check(first17: &str) -> String {
        const CHARSET: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
        let mut w = 1usize;
        let mut sum = 0usize;
        for b in first17.bytes() {
            sum += CHARSET.iter().position(|&c| c == b).unwrap() * w;
            w = w * 3 % 31;
        }
        format!("{first17}{}", CHARSET[(31 - sum % 31) % 31] as char)
    }

    #[test]
    fn credit_codes_are_checked() {
        // A published code (a Shenzhen company's licence).
        assert_eq!(
            parse_credit_code("91440300708461136T"),
            Ok("91440300708461136T".into())
        );
        let good = with_check("91420100MA4K0000X");
        assert_eq!(parse_credit_code(&good.to_lowercase()), Ok(good.clone()));
        // One character changed: the check fails.
        let bad = good.replacen('9', "8", 1);
        assert_eq!(parse_credit_code(&bad), Err(FieldProblem::CreditCode));
        // Letters the standard leaves out, and the wrong length.
        assert_eq!(
            parse_credit_code("91420100MA4K0000I1"),
            Err(FieldProblem::CreditCode)
        );
        assert_eq!(parse_credit_code("9142"), Err(FieldProblem::CreditCode));
    }

    fn input() -> CaseInput {
        CaseInput {
            kind: "unpaid_wages".into(),
            employer_name: " 武汉某建筑劳务公司 ".into(),
            facts: "三个月工资没有发放，共 12 人".into(),
            amount_fen: Some(3_800_000),
            workers: 12,
            dispute_on: Some("2026-09-01".into()),
            district: Some("武昌区".into()),
            ..CaseInput::default()
        }
    }

    #[test]
    fn a_case_is_read_with_every_field_checked() {
        let today = Date::new(2026, 12, 3).unwrap();
        let c = input().parse(today).unwrap();
        assert_eq!(c.employer_name, "武汉某建筑劳务公司");
        assert_eq!(c.workers, 12);
        let bad = CaseInput {
            kind: "strike".into(),
            employer_credit_code: Some("91440300708461136X".into()),
            facts: "欠薪".into(),
            amount_fen: Some(money::MAX_FEN + 1),
            workers: 0,
            dispute_on: Some("2026-12-04".into()),
            ..input()
        };
        let fields: Vec<_> = bad.parse(today).unwrap_err().0;
        assert_eq!(
            fields,
            vec![
                ("kind", FieldProblem::ChooseOne),
                ("employer_credit_code", FieldProblem::CreditCode),
                ("facts", FieldProblem::TooShort),
                ("amount_fen", FieldProblem::TooLarge),
                ("workers", FieldProblem::Required),
                ("dispute_on", FieldProblem::InFuture),
            ]
        );
    }

    #[test]
    fn the_deadline_warns_within_thirty_days_until_filed() {
        let dispute = Date::new(2025, 12, 20).unwrap();
        let today = Date::new(2026, 11, 25).unwrap();
        let d = arbitration_deadline(dispute, today, CaseStatus::InProgress, false);
        assert_eq!(d.last_day, "2026-12-20");
        assert_eq!(d.days_left, 25);
        assert!(d.warn);
        assert!(!arbitration_deadline(dispute, today, CaseStatus::InProgress, true).warn);
        assert!(!arbitration_deadline(dispute, today, CaseStatus::Closed, false).warn);
        let early = Date::new(2026, 11, 19).unwrap();
        assert_eq!(
            arbitration_deadline(dispute, early, CaseStatus::Submitted, false).days_left,
            31
        );
        assert!(!arbitration_deadline(dispute, early, CaseStatus::Submitted, false).warn);
    }

    #[test]
    fn triage_needs_what_each_decision_says() {
        let t = |action: &str, office: Option<&str>, phone: Option<&str>, reason: Option<&str>| {
            TriageInput {
                action: action.into(),
                office: office.map(Into::into),
                office_phone: phone.map(Into::into),
                reason: reason.map(Into::into),
            }
            .parse()
        };
        assert_eq!(t("accept", None, None, None), Ok(Triage::Accept));
        assert_eq!(
            t(
                "refer",
                Some("武昌区劳动人事争议仲裁院"),
                Some("027-87654321"),
                None
            ),
            Ok(Triage::Refer {
                office: "武昌区劳动人事争议仲裁院".into(),
                phone: "027-87654321".into()
            })
        );
        assert_eq!(
            t("refer", Some("仲裁院"), Some("call us"), None)
                .unwrap_err()
                .0,
            vec![("office_phone", FieldProblem::PhoneFormat)]
        );
        assert_eq!(
            t("decline", None, None, Some(" ")).unwrap_err().0,
            vec![("reason", FieldProblem::Required)]
        );
        assert!(t("ignore", None, None, None).is_err());
    }

    #[test]
    fn steps_are_bounded() {
        let s = |kind: &str, note: &str, fen: Option<i64>| {
            StepInput {
                kind: kind.into(),
                note: note.into(),
                recovered_fen: fen,
            }
            .parse()
        };
        assert_eq!(
            s("mediation", "调解成功", Some(3_800_000))
                .unwrap()
                .recovered_fen,
            3_800_000
        );
        assert_eq!(
            s("mediation", "调解", Some(-1)).unwrap_err().0,
            vec![("recovered_fen", FieldProblem::Negative)]
        );
        assert_eq!(
            s("mediation", "", Some(money::MAX_FEN + 1)).unwrap_err().0,
            vec![
                ("note", FieldProblem::Required),
                ("recovered_fen", FieldProblem::TooLarge)
            ]
        );
    }

    #[test]
    fn names_round_trip_and_refusals_are_worded() {
        for k in CaseKind::ALL {
            assert_eq!(CaseKind::from_db(k.as_str()), Some(k));
        }
        for s in CaseStatus::ALL {
            assert_eq!(CaseStatus::from_db(s.as_str()), Some(s));
        }
        for s in StepKind::ALL {
            assert_eq!(StepKind::from_db(s.as_str()), Some(s));
        }
        assert_eq!(case_number(2026, 123), "WQ2026-000123");
        assert_refusals(&[
            RightsRefusal::Identity,
            RightsRefusal::UnknownDistrict,
            RightsRefusal::WrongCode,
            RightsRefusal::AlreadyJoined,
            RightsRefusal::Moved,
            RightsRefusal::NotALawyer,
            RightsRefusal::TooMuch,
        ]);
    }
}
