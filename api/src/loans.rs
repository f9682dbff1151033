//! Micro guaranteed loans (小额担保贷款): who qualifies and for how much, and
//! the repayment schedule with the interest subsidy. The figures a union
//! would change (caps, terms, the subsidy, the county quota) are a
//! [`LoanRules`] value, not code; the phone runs the same check for its
//! instant pre-check as the server runs on an application.
//!
//! Money is integer fen; rates are basis points a year.

use serde::{Deserialize, Serialize};

use crate::error::{FieldProblem, FieldProblems};
use crate::identity::{Date, Gender, IdNumber, PersonName};
use crate::offers::yuan;
use crate::Lang;

/// How the interest is subsidised.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Subsidy {
    /// The government pays all the interest.
    Full,
    /// The member pays interest at this rate; the government pays the rest
    /// (e.g. one-year LPR minus 1.5 points).
    MemberRate {
        /// The member's rate, basis points a year.
        member_rate_bp: i64,
    },
}

/// The scheme's figures.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoanRules {
    /// Cap for college graduates.
    pub cap_graduate_fen: i64,
    /// Cap for women.
    pub cap_women_fen: i64,
    /// Cap for everyone else.
    pub cap_other_fen: i64,
    /// Each woman in a partnership may count up to this.
    pub partner_woman_cap_fen: i64,
    /// No partnership above this in total.
    pub partnership_total_fen: i64,
    /// The longest term.
    pub max_term_months: i64,
    /// How long the business must have run.
    pub min_business_months: i64,
    /// Years of residence needed without local household registration.
    pub min_residence_years: i64,
    /// The bank's rate.
    pub annual_rate_bp: i64,
    /// Who pays the interest.
    pub subsidy: Subsidy,
    /// A county's yearly total of guarantees.
    pub county_quota_fen: i64,
}

impl Default for LoanRules {
    /// The provincial scheme's figures (DOMAIN.md): 100,000 / 80,000 / 50,000
    /// yuan, women partners 100,000 each, partnerships at most 500,000, two
    /// years, a county quota of 1,300,000 a year; the bank lends at 3.45% and
    /// the member pays one-year LPR (3.0%) minus 1.5 points, the government
    /// the rest.
    fn default() -> Self {
        LoanRules {
            cap_graduate_fen: 10_000_000,
            cap_women_fen: 8_000_000,
            cap_other_fen: 5_000_000,
            partner_woman_cap_fen: 10_000_000,
            partnership_total_fen: 50_000_000,
            max_term_months: 24,
            min_business_months: 12,
            min_residence_years: 1,
            annual_rate_bp: 345,
            subsidy: Subsidy::MemberRate {
                member_rate_bp: 150,
            },
            county_quota_fen: 130_000_000,
        }
    }
}

/// What the applicant does for a living now.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum EmploymentStatus {
    /// 登记失业.
    #[default]
    RegisteredUnemployed,
    /// 困难职工.
    Hardship,
    /// 困难职工家庭成员.
    HardshipFamily,
    /// Employed (not eligible).
    Employed,
}

impl EmploymentStatus {
    /// Every status, in display order.
    pub const ALL: [EmploymentStatus; 4] = [
        EmploymentStatus::RegisteredUnemployed,
        EmploymentStatus::Hardship,
        EmploymentStatus::HardshipFamily,
        EmploymentStatus::Employed,
    ];

    /// Wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            EmploymentStatus::RegisteredUnemployed => "registered_unemployed",
            EmploymentStatus::Hardship => "hardship",
            EmploymentStatus::HardshipFamily => "hardship_family",
            EmploymentStatus::Employed => "employed",
        }
    }

    /// Parses the wire name.
    pub fn from_db(s: &str) -> Option<EmploymentStatus> {
        EmploymentStatus::ALL.into_iter().find(|e| e.as_str() == s)
    }

    /// What people call it.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            EmploymentStatus::RegisteredUnemployed => {
                lang.pick("登记失业人员", "Registered unemployed")
            }
            EmploymentStatus::Hardship => lang.pick("困难职工", "Member in hardship"),
            EmploymentStatus::HardshipFamily => {
                lang.pick("困难职工家庭成员", "From a hardship family")
            }
            EmploymentStatus::Employed => lang.pick("在职在岗", "Employed"),
        }
    }
}

/// The small businesses the scheme funds (the "五小" projects), or other.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum BusinessKind {
    /// 小餐饮.
    #[default]
    Catering,
    /// 小作坊.
    Workshop,
    /// 小商店.
    Shop,
    /// 小种养.
    Farming,
    /// 小运输.
    Transport,
    /// Anything else (not eligible).
    Other,
}

impl BusinessKind {
    /// Every kind, in display order.
    pub const ALL: [BusinessKind; 6] = [
        BusinessKind::Catering,
        BusinessKind::Workshop,
        BusinessKind::Shop,
        BusinessKind::Farming,
        BusinessKind::Transport,
        BusinessKind::Other,
    ];

    /// Wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            BusinessKind::Catering => "catering",
            BusinessKind::Workshop => "workshop",
            BusinessKind::Shop => "shop",
            BusinessKind::Farming => "farming",
            BusinessKind::Transport => "transport",
            BusinessKind::Other => "other",
        }
    }

    /// Parses the wire name.
    pub fn from_db(s: &str) -> Option<BusinessKind> {
        BusinessKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// What people call it.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            BusinessKind::Catering => lang.pick("小餐饮", "Small catering"),
            BusinessKind::Workshop => lang.pick("小作坊", "Small workshop"),
            BusinessKind::Shop => lang.pick("小商店", "Small shop"),
            BusinessKind::Farming => lang.pick("小种养", "Small-scale farming"),
            BusinessKind::Transport => lang.pick("小运输", "Small transport"),
            BusinessKind::Other => lang.pick("其他", "Other"),
        }
    }
}

/// A partner in a partnership. Its ID number is personal data: the server
/// stores it encrypted and answers with the masked form; `Debug` masks too.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Partner {
    /// Name as on the ID card.
    pub name: String,
    /// 18-character ID number.
    pub id_number: String,
}

/// `POST /api/loans/eligibility`, and the core of an application.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EligibilityInput {
    /// What the applicant does now.
    pub employment_status: EmploymentStatus,
    /// A college graduate (higher cap).
    #[serde(default)]
    pub college_graduate: bool,
    /// Local household registration (户籍) here.
    #[serde(default)]
    pub local_hukou: bool,
    /// Years lived here (when not registered locally).
    #[serde(default)]
    pub residence_years: i64,
    /// The business.
    pub business_kind: BusinessKind,
    /// When it started (`YYYY-MM-DD`).
    #[serde(default)]
    pub business_started_on: String,
    /// The amount asked for.
    #[serde(default)]
    pub amount_fen: i64,
    /// Months to repay.
    #[serde(default)]
    pub term_months: i64,
    /// Partners, for a partnership.
    #[serde(default)]
    pub partners: Vec<Partner>,
}

/// Why an application does not qualify, each with a stable code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LoanRefusal {
    /// Plain employed members are not in the scheme.
    Employment,
    /// Neither local registration nor enough years of residence.
    Residence(i64),
    /// Not one of the five small kinds.
    BusinessKind,
    /// The business has not run long enough.
    BusinessTooNew(i64),
    /// More than the cap for this applicant (or partnership).
    OverCap(i64),
    /// Longer than the longest term.
    TermTooLong(i64),
    /// A partner's ID number does not check out.
    PartnerId,
    /// A partner is not in a union roster (checked by the server).
    PartnerNotMember,
    /// An application or loan is still open (checked by the server).
    OpenLoan,
}

impl LoanRefusal {
    /// Stable reason code.
    pub fn code(self) -> &'static str {
        match self {
            LoanRefusal::Employment => "employment_status",
            LoanRefusal::Residence(_) => "residence",
            LoanRefusal::BusinessKind => "business_kind",
            LoanRefusal::BusinessTooNew(_) => "business_too_new",
            LoanRefusal::OverCap(_) => "over_cap",
            LoanRefusal::TermTooLong(_) => "term_too_long",
            LoanRefusal::PartnerId => "partner_id_invalid",
            LoanRefusal::PartnerNotMember => "partner_not_member",
            LoanRefusal::OpenLoan => "open_loan",
        }
    }

    /// The input field the refusal is about.
    pub fn field(self) -> &'static str {
        match self {
            LoanRefusal::Employment => "employment_status",
            LoanRefusal::Residence(_) => "residence_years",
            LoanRefusal::BusinessKind => "business_kind",
            LoanRefusal::BusinessTooNew(_) => "business_started_on",
            LoanRefusal::OverCap(_) => "amount_fen",
            LoanRefusal::TermTooLong(_) => "term_months",
            LoanRefusal::PartnerId | LoanRefusal::PartnerNotMember => "partners",
            LoanRefusal::OpenLoan => "amount_fen",
        }
    }

    /// A plain sentence: what is wrong and what to change.
    pub fn message(self, lang: Lang) -> String {
        let zh = lang == Lang::Zh;
        match self {
            LoanRefusal::Employment if zh => {
                "在职在岗职工不在扶持范围内；登记失业、困难职工或困难职工家庭成员可以申请".into()
            }
            LoanRefusal::Employment => "Employed members are not covered; registered unemployed members, members in hardship and their families are".into(),
            LoanRefusal::Residence(y) if zh => format!("需要本地户籍，或在本地居住满 {y} 年"),
            LoanRefusal::Residence(y) => format!("You need local registration or {y} year(s) living here"),
            LoanRefusal::BusinessKind if zh => "仅支持小餐饮、小作坊、小商店、小种养、小运输五类项目".into(),
            LoanRefusal::BusinessKind => "Only small catering, workshops, shops, farming and transport qualify".into(),
            LoanRefusal::BusinessTooNew(m) if zh => format!("项目需合法经营满 {m} 个月"),
            LoanRefusal::BusinessTooNew(m) => format!("The business must have run for {m} months"),
            LoanRefusal::OverCap(max) if zh => format!("最多可以申请 {}，请调低金额", yuan(max)),
            LoanRefusal::OverCap(max) => format!("You can borrow at most {}; lower the amount", yuan(max)),
            LoanRefusal::TermTooLong(m) if zh => format!("期限最长 {m} 个月"),
            LoanRefusal::TermTooLong(m) => format!("The term is at most {m} months"),
            LoanRefusal::PartnerId if zh => "合伙人的姓名或身份证号有误".into(),
            LoanRefusal::PartnerId => "A partner's name or ID number is wrong".into(),
            LoanRefusal::PartnerNotMember if zh => "合伙人需是工会会员（在会员名册中）".into(),
            LoanRefusal::PartnerNotMember => "Every partner must be a union member on a roster".into(),
            LoanRefusal::OpenLoan if zh => "您还有未结清的贷款或正在办理的申请".into(),
            LoanRefusal::OpenLoan => "You already have an open loan or application".into(),
        }
    }
}

/// `POST /api/loans/eligibility` answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EligibilityAnswer {
    /// Whether it qualifies as asked.
    pub eligible: bool,
    /// The most this applicant (or partnership) may borrow.
    pub max_amount_fen: i64,
    /// Refusal codes.
    pub reasons: Vec<String>,
    /// The same, in plain words.
    pub messages: Vec<String>,
}

/// Gender from a partner's ID number, if it parses. A masked number (as the
/// server returns a saved partner, `4201**********1234`) keeps its sex digit,
/// so a resumed draft's cap on the phone stays true; the server substitutes
/// the stored number before it judges anything.
fn partner_gender(p: &Partner) -> Option<Gender> {
    PersonName::parse(&p.name).ok()?;
    match IdNumber::parse(&p.id_number) {
        Ok(id) => Some(id.gender()),
        Err(_) if p.is_masked() => crate::identity::gender_of_masked(&p.id_number),
        Err(_) => None,
    }
}

impl std::fmt::Debug for Partner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Partner")
            .field("name", &self.name)
            .field(
                "id_number",
                &crate::identity::mask_id_number(&self.id_number),
            )
            .finish()
    }
}

impl Partner {
    /// Whether the ID number is the masked form the server answers with
    /// (18 characters, the middle ten starred), not one a person typed.
    pub fn is_masked(&self) -> bool {
        let c: Vec<char> = self.id_number.trim().chars().collect();
        c.len() == 18 && c[4..14].iter().all(|&x| x == '*')
    }
}

impl LoanRules {
    /// One person's own cap.
    pub fn individual_cap(&self, gender: Gender, graduate: bool) -> i64 {
        let mut cap = self.cap_other_fen;
        if graduate {
            cap = cap.max(self.cap_graduate_fen);
        }
        if gender == Gender::Female {
            cap = cap.max(self.cap_women_fen);
        }
        cap
    }

    /// The most the application may ask: the applicant's cap, or for a
    /// partnership the sum of each partner's share (women up to the partner
    /// cap each), never above the partnership total.
    pub fn max_amount(&self, applicant: Gender, input: &EligibilityInput) -> i64 {
        let own = self.individual_cap(applicant, input.college_graduate);
        if input.partners.is_empty() {
            return own;
        }
        let share = |g: Gender, graduate: bool| {
            if g == Gender::Female {
                self.partner_woman_cap_fen
                    .max(self.individual_cap(g, graduate))
            } else {
                self.individual_cap(g, graduate)
            }
        };
        let mut total = share(applicant, input.college_graduate);
        for p in &input.partners {
            // A partner whose ID does not parse counts for nothing (and is refused).
            if let Some(g) = partner_gender(p) {
                total += share(g, false);
            }
        }
        total.min(self.partnership_total_fen)
    }

    /// Every reason the input does not qualify, given the applicant's gender
    /// and today's date (empty: it qualifies). Missing or malformed fields are
    /// [`check_fields`]'s business.
    pub fn refusals(
        &self,
        applicant: Gender,
        input: &EligibilityInput,
        today: Date,
    ) -> Vec<LoanRefusal> {
        let mut out = Vec::new();
        if input.employment_status == EmploymentStatus::Employed {
            out.push(LoanRefusal::Employment);
        }
        if !input.local_hukou && input.residence_years < self.min_residence_years {
            out.push(LoanRefusal::Residence(self.min_residence_years));
        }
        if input.business_kind == BusinessKind::Other {
            out.push(LoanRefusal::BusinessKind);
        }
        if let Some(started) = Date::parse_iso(&input.business_started_on) {
            let months = u32::try_from(self.min_business_months).unwrap_or(0);
            if started.add_months(months) > today {
                out.push(LoanRefusal::BusinessTooNew(self.min_business_months));
            }
        }
        if input.partners.iter().any(|p| partner_gender(p).is_none()) {
            out.push(LoanRefusal::PartnerId);
        }
        let max = self.max_amount(applicant, input);
        if input.amount_fen > max {
            out.push(LoanRefusal::OverCap(max));
        }
        if input.term_months > self.max_term_months {
            out.push(LoanRefusal::TermTooLong(self.max_term_months));
        }
        out
    }
}

/// The pre-check's answers so far: `None` is a question not yet answered.
/// Nothing is presumed, so a person is never told they qualify (or shown a
/// cap) on an answer they did not give.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PreCheckAnswers {
    /// What the applicant does now.
    pub employment_status: Option<EmploymentStatus>,
    /// A college graduate (a checkbox: unticked is an answer).
    pub college_graduate: bool,
    /// Registered here (户籍).
    pub local_hukou: Option<bool>,
    /// Years lived here, asked only without local registration.
    pub residence_years: Option<i64>,
    /// The business.
    pub business_kind: Option<BusinessKind>,
    /// When it started.
    pub business_started_on: Option<Date>,
    /// The amount asked for, fen.
    pub amount_fen: Option<i64>,
    /// Partners typed so far.
    pub partners: Vec<Partner>,
}

/// What the pre-check can say from the answers given so far.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PreCheckVerdict {
    /// No answer refuses yet, but these questions (field names, in the
    /// order asked) are still open.
    Open(Vec<&'static str>),
    /// An answer already given refuses; more answers cannot change that.
    No(Vec<LoanRefusal>),
    /// Every question is answered and none refuses: the most this person
    /// (or partnership) may borrow.
    Yes {
        /// The cap, fen.
        max_amount_fen: i64,
    },
}

impl PreCheckAnswers {
    /// How many of the deciding questions are answered (the effort figure).
    pub fn answered(&self) -> usize {
        [
            self.employment_status.is_some(),
            self.local_hukou.is_some(),
            self.residence_years.is_some(),
            self.business_kind.is_some(),
            self.business_started_on.is_some(),
            self.amount_fen.is_some(),
        ]
        .into_iter()
        .filter(|&a| a)
        .count()
    }
}

impl LoanRules {
    /// Decides as early as the answers allow: a refusal as soon as one
    /// answer refuses (the first question can decide it), a yes with the cap
    /// only once every question is answered. Unanswered questions are judged
    /// with an answer that never refuses, so they cannot cause a refusal.
    pub fn precheck(&self, applicant: Gender, a: &PreCheckAnswers, today: Date) -> PreCheckVerdict {
        let mut open = Vec::new();
        if a.employment_status.is_none() {
            open.push("employment_status");
        }
        match (a.local_hukou, a.residence_years) {
            (None, _) => open.push("local_hukou"),
            (Some(false), None) => open.push("residence_years"),
            _ => {}
        }
        if a.business_kind.is_none() {
            open.push("business_kind");
        }
        if a.business_started_on.is_none() {
            open.push("business_started_on");
        }
        if a.amount_fen.is_none_or(|f| f <= 0) {
            open.push("amount_fen");
        }
        let input = EligibilityInput {
            employment_status: a
                .employment_status
                .unwrap_or(EmploymentStatus::RegisteredUnemployed),
            college_graduate: a.college_graduate,
            local_hukou: a.local_hukou.unwrap_or(true) || a.residence_years.is_none(),
            residence_years: a.residence_years.unwrap_or(0),
            business_kind: a.business_kind.unwrap_or(BusinessKind::Catering),
            business_started_on: a.business_started_on.map(|d| d.iso()).unwrap_or_default(),
            amount_fen: a.amount_fen.unwrap_or(0),
            term_months: self.max_term_months,
            partners: a.partners.clone(),
        };
        let refusals = self.refusals(applicant, &input, today);
        if !refusals.is_empty() {
            PreCheckVerdict::No(refusals)
        } else if !open.is_empty() {
            PreCheckVerdict::Open(open)
        } else {
            PreCheckVerdict::Yes {
                max_amount_fen: self.max_amount(applicant, &input),
            }
        }
    }
}

/// Checks the fields' shapes (before any rule), collecting every problem.
pub fn check_fields(input: &EligibilityInput, today: Date) -> Result<(), FieldProblems> {
    let mut p = FieldProblems::default();
    match Date::parse_iso(&input.business_started_on) {
        None => p.0.push(("business_started_on", FieldProblem::DateFormat)),
        Some(d) if d > today => p.0.push(("business_started_on", FieldProblem::DateFormat)),
        _ => {}
    }
    if input.amount_fen <= 0 {
        p.0.push(("amount_fen", FieldProblem::Required));
    } else if input.amount_fen > crate::aid::MAX_FEN {
        p.0.push(("amount_fen", FieldProblem::TooLarge));
    }
    if input.term_months <= 0 {
        p.0.push(("term_months", FieldProblem::Required));
    } else if input.term_months > 120 {
        p.0.push(("term_months", FieldProblem::TooLarge));
    }
    if !(0..=100).contains(&input.residence_years) {
        p.0.push(("residence_years", FieldProblem::Negative));
    }
    if input.partners.len() > 9 {
        p.0.push(("partners", FieldProblem::TooLong));
    }
    if p.is_empty() {
        Ok(())
    } else {
        Err(p)
    }
}

/// Where an application stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum LoanStatus {
    /// Being filled in, step by step.
    Draft,
    /// Sent to the union.
    Submitted,
    /// The union found the project feasible.
    UnionApproved,
    /// The guarantee is given (county quota taken).
    Guaranteed,
    /// The bank paid the loan out.
    Disbursed,
    /// Repayments have started.
    Repaying,
    /// Repaid.
    Closed,
    /// Refused at a review, with a reason.
    Rejected,
}

impl LoanStatus {
    /// Every status.
    pub const ALL: [LoanStatus; 8] = [
        LoanStatus::Draft,
        LoanStatus::Submitted,
        LoanStatus::UnionApproved,
        LoanStatus::Guaranteed,
        LoanStatus::Disbursed,
        LoanStatus::Repaying,
        LoanStatus::Closed,
        LoanStatus::Rejected,
    ];

    /// Wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            LoanStatus::Draft => "draft",
            LoanStatus::Submitted => "submitted",
            LoanStatus::UnionApproved => "union_approved",
            LoanStatus::Guaranteed => "guaranteed",
            LoanStatus::Disbursed => "disbursed",
            LoanStatus::Repaying => "repaying",
            LoanStatus::Closed => "closed",
            LoanStatus::Rejected => "rejected",
        }
    }

    /// Parses the wire name.
    pub fn from_db(s: &str) -> Option<LoanStatus> {
        LoanStatus::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// The stage "approve" moves to; `None` where approving is not a step.
    pub fn next(self) -> Option<LoanStatus> {
        match self {
            LoanStatus::Submitted => Some(LoanStatus::UnionApproved),
            LoanStatus::UnionApproved => Some(LoanStatus::Guaranteed),
            LoanStatus::Guaranteed => Some(LoanStatus::Disbursed),
            LoanStatus::Disbursed => Some(LoanStatus::Repaying),
            LoanStatus::Repaying => Some(LoanStatus::Closed),
            _ => None,
        }
    }

    /// Whether a review may still reject it (before the money is paid out).
    pub fn may_reject(self) -> bool {
        matches!(
            self,
            LoanStatus::Submitted | LoanStatus::UnionApproved | LoanStatus::Guaranteed
        )
    }

    /// Whether it counts as an open loan (no second application meanwhile).
    pub fn is_open(self) -> bool {
        !matches!(self, LoanStatus::Closed | LoanStatus::Rejected)
    }

    /// What the member reads.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            LoanStatus::Draft => lang.pick("草稿（未提交）", "Draft (not sent)"),
            LoanStatus::Submitted => {
                lang.pick("已提交，等待工会审核", "Sent; waiting for the union")
            }
            LoanStatus::UnionApproved => lang.pick("工会审核通过", "Approved by the union"),
            LoanStatus::Guaranteed => lang.pick("已提供担保", "Guarantee given"),
            LoanStatus::Disbursed => lang.pick("已放款", "Paid out"),
            LoanStatus::Repaying => lang.pick("还款中", "Repaying"),
            LoanStatus::Closed => lang.pick("已结清", "Repaid"),
            LoanStatus::Rejected => lang.pick("未通过", "Rejected"),
        }
    }

    /// What happens next, in a sentence.
    pub fn next_step(self, lang: Lang) -> &'static str {
        match self {
            LoanStatus::Draft => lang.pick("填完各步并上传材料后提交，县级工会才会收到。", "Finish the steps, add the documents and send it: only then does the county union receive it."),
            LoanStatus::Submitted => lang.pick("县级工会将在 10 个工作日内审核项目可行性，可能会电话或上门了解。", "The county union checks the project within 10 working days, perhaps by phone or a visit."),
            LoanStatus::UnionApproved => lang.pick("工会正在为您办理担保。", "The union is arranging the guarantee."),
            LoanStatus::Guaranteed => lang.pick("银行将审核并放款，请留意银行来电。", "The bank reviews and pays out; expect its call."),
            LoanStatus::Disbursed => lang.pick("贷款已到账，请按还款计划按时还款，工会会回访项目经营情况。", "The loan is paid out; repay on schedule. The union will follow up on the business."),
            LoanStatus::Repaying => lang.pick("请按还款计划按时还款，贴息部分由财政承担。", "Repay on schedule; the subsidised interest is paid by the government."),
            LoanStatus::Closed => lang.pick("贷款已结清，感谢守信。", "The loan is repaid. Thank you."),
            LoanStatus::Rejected => lang.pick("如有疑问，请联系县级工会。", "If anything is unclear, call the county union."),
        }
    }

    /// Whether the member may still add documents: until the bank has it.
    pub fn takes_documents(self) -> bool {
        matches!(
            self,
            LoanStatus::Draft | LoanStatus::Submitted | LoanStatus::UnionApproved
        )
    }
}

/// One month of a repayment schedule.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Installment {
    /// 1, 2, …
    pub number: i64,
    /// Due date.
    pub due_on: String,
    /// Principal repaid.
    pub principal_fen: i64,
    /// Interest at the bank's rate.
    pub interest_fen: i64,
    /// The part of the interest the government pays.
    pub subsidy_fen: i64,
    /// What the member pays: principal plus their part of the interest.
    pub member_pays_fen: i64,
    /// Principal still owed afterwards.
    pub remaining_fen: i64,
}

/// `GET /api/loans/{id}/schedule`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Schedule {
    /// The amount lent.
    pub amount_fen: i64,
    /// The bank's yearly rate.
    pub annual_rate_bp: i64,
    /// Who pays the interest.
    pub subsidy: Subsidy,
    /// Month by month.
    pub installments: Vec<Installment>,
    /// Interest in all.
    pub total_interest_fen: i64,
    /// Subsidy in all.
    pub total_subsidy_fen: i64,
    /// What the member pays in all.
    pub total_member_pays_fen: i64,
}

/// A month's interest on `balance` at a yearly rate, to the nearest fen.
fn monthly_interest(balance: i64, rate_bp: i64) -> i64 {
    (i128::from(balance) * i128::from(rate_bp) + 60_000).div_euclid(120_000) as i64
}

/// Equal principal each month (等额本金): the fen that do not divide evenly
/// go one each to the first months, so the principal adds up exactly to the
/// amount; interest is on the balance before each payment; the subsidy is the
/// difference between the bank's interest and the member's.
pub fn schedule(
    amount_fen: i64,
    term_months: i64,
    disbursed_on: Date,
    rules: &LoanRules,
) -> Schedule {
    let n = term_months.max(1);
    let base = amount_fen / n;
    let extra = amount_fen % n;
    let mut balance = amount_fen;
    let mut installments = Vec::with_capacity(n as usize);
    for i in 1..=n {
        let principal = base + i64::from(i <= extra);
        let interest = monthly_interest(balance, rules.annual_rate_bp);
        let member_interest = match rules.subsidy {
            Subsidy::Full => 0,
            Subsidy::MemberRate { member_rate_bp } => {
                monthly_interest(balance, member_rate_bp.min(rules.annual_rate_bp))
            }
        };
        balance -= principal;
        installments.push(Installment {
            number: i,
            due_on: disbursed_on.add_months(i as u32).iso(),
            principal_fen: principal,
            interest_fen: interest,
            subsidy_fen: interest - member_interest,
            member_pays_fen: principal + member_interest,
            remaining_fen: balance,
        });
    }
    let sum = |f: fn(&Installment) -> i64| installments.iter().map(f).sum::<i64>();
    Schedule {
        amount_fen,
        annual_rate_bp: rules.annual_rate_bp,
        subsidy: rules.subsidy,
        total_interest_fen: sum(|i| i.interest_fen),
        total_subsidy_fen: sum(|i| i.subsidy_fen),
        total_member_pays_fen: sum(|i| i.member_pays_fen),
        installments,
    }
}

/// `POST /api/loans` and `PUT /api/loans/{id}` (a draft).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoanInput {
    /// The eligibility answers.
    #[serde(flatten)]
    pub facts: EligibilityInput,
    /// The business's name.
    #[serde(default)]
    pub business_name: String,
    /// Where it runs.
    #[serde(default)]
    pub business_address: String,
    /// What the money is for.
    #[serde(default)]
    pub purpose: String,
    /// Save as a draft (after each step) instead of sending.
    #[serde(default)]
    pub draft: bool,
}

impl LoanInput {
    /// Checks a draft: anything may still be missing, but nothing may be out
    /// of bounds (amounts, term, lengths, number of partners), so a draft can
    /// never store what a sent application could not hold.
    pub fn check_draft(&self) -> Result<(), FieldProblems> {
        let mut p = FieldProblems::default();
        let f = &self.facts;
        if !crate::money::in_bounds(f.amount_fen) {
            p.0.push(("amount_fen", FieldProblem::TooLarge));
        }
        if !(0..=120).contains(&f.term_months) {
            p.0.push(("term_months", FieldProblem::TooLarge));
        }
        if !(0..=100).contains(&f.residence_years) {
            p.0.push(("residence_years", FieldProblem::Negative));
        }
        if f.business_started_on.chars().count() > 10 {
            p.0.push(("business_started_on", FieldProblem::DateFormat));
        }
        if f.partners.len() > 9
            || f.partners
                .iter()
                .any(|x| x.name.chars().count() > 30 || x.id_number.chars().count() > 18)
        {
            p.0.push(("partners", FieldProblem::TooLong));
        }
        for (field, value, max) in [
            ("business_name", &self.business_name, 60),
            ("business_address", &self.business_address, 120),
            ("purpose", &self.purpose, 500),
        ] {
            if value.trim().chars().count() > max {
                p.0.push((field, FieldProblem::TooLong));
            }
        }
        if p.is_empty() {
            Ok(())
        } else {
            Err(p)
        }
    }

    /// Checks every field for sending, collecting all problems.
    pub fn check(&self, today: Date) -> Result<(), FieldProblems> {
        let mut p = match check_fields(&self.facts, today) {
            Ok(()) => FieldProblems::default(),
            Err(p) => p,
        };
        for (field, value, max) in [
            ("business_name", &self.business_name, 60),
            ("business_address", &self.business_address, 120),
            ("purpose", &self.purpose, 500),
        ] {
            let n = value.trim().chars().count();
            if n == 0 {
                p.0.push((field, FieldProblem::Required));
            } else if n > max {
                p.0.push((field, FieldProblem::TooLong));
            }
        }
        if p.is_empty() {
            Ok(())
        } else {
            Err(p)
        }
    }
}

/// One step of a loan's history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoanEvent {
    /// The status it moved to (or stayed in, for a follow-up note).
    pub status: LoanStatus,
    /// When (RFC 3339).
    pub at: String,
    /// Who (the officer's name, or the member).
    pub by: String,
    /// The note.
    pub note: Option<String>,
}

/// An application as its member or an officer sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoanView {
    /// Application id.
    pub id: i64,
    /// Where it stands.
    pub status: LoanStatus,
    /// What was asked.
    #[serde(flatten)]
    pub input: LoanInput,
    /// The most it may be (as the rules say today).
    pub max_amount_fen: i64,
    /// The applicant's name (masked for the member's own view).
    pub applicant: String,
    /// The county union handling it.
    pub county: String,
    /// Its phone, for questions.
    pub county_phone: String,
    /// When the money was paid out.
    pub disbursed_on: Option<String>,
    /// Documents.
    pub documents: Vec<crate::aid::DocumentView>,
    /// What happened, oldest first.
    pub timeline: Vec<LoanEvent>,
    /// What happens next.
    pub next_step: String,
}

/// One county's guarantees this year.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuotaView {
    /// The county (district) union.
    pub county_id: i64,
    /// Its name.
    pub county: String,
    /// The year.
    pub year: i64,
    /// The quota.
    pub quota_fen: i64,
    /// Guaranteed so far.
    pub used_fen: i64,
    /// What is left.
    pub left_fen: i64,
}

impl crate::case_file::CaseStatus for LoanStatus {
    const DRAFT: Self = LoanStatus::Draft;

    fn all() -> &'static [Self] {
        &LoanStatus::ALL
    }

    fn as_str(self) -> &'static str {
        LoanStatus::as_str(self)
    }

    fn label(self, lang: Lang) -> &'static str {
        LoanStatus::label(self, lang)
    }

    /// Sent from a draft; one stage forward at a time; rejected by a review
    /// before the money is paid out.
    fn may_move(self, to: Self) -> bool {
        match to {
            LoanStatus::Submitted => self == LoanStatus::Draft,
            LoanStatus::Rejected => self.may_reject(),
            _ => self.next() == Some(to),
        }
    }

    fn takes_documents(self) -> bool {
        LoanStatus::takes_documents(self)
    }

    /// A loan application is the member's to change only as a draft.
    fn member_may_edit(self) -> bool {
        self == LoanStatus::Draft
    }

    fn action(self) -> crate::audit::AuditAction {
        use crate::audit::AuditAction;
        match self {
            LoanStatus::Draft => AuditAction::LoanDraft,
            LoanStatus::Submitted => AuditAction::LoanSubmit,
            LoanStatus::Rejected => AuditAction::LoanReject,
            _ => AuditAction::LoanAdvance,
        }
    }
}

/// `POST /api/staff/loans/{id}/notes`: a follow-up note.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FollowUp {
    /// What the officer saw or heard.
    pub note: String,
}

/// Why a step on an application (the member's or an officer's) was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LoanStepRefusal {
    /// The member edits or sends an application already sent.
    AlreadySent,
    /// A schedule asked for before the money is paid out.
    NotDisbursed,
    /// A decision that is not a move from where the application stands.
    IllegalTransition(LoanStatus),
    /// An officer's note over 1,000 characters.
    NoteTooLong,
    /// A decision other than approve or reject.
    BadDecision,
    /// The guarantee and the payout by a union other than the county's.
    CountyUnionOnly,
    /// The county's guarantee quota for the year is used up.
    CountyQuotaExceeded,
    /// A document added to an application already paid out or stopped.
    LoanDecided,
}

impl crate::error::Refused for LoanStepRefusal {
    fn code(&self) -> &'static str {
        match self {
            LoanStepRefusal::AlreadySent => "already_sent",
            LoanStepRefusal::NotDisbursed => "not_disbursed",
            LoanStepRefusal::IllegalTransition(_) => "illegal_transition",
            LoanStepRefusal::NoteTooLong => "note_too_long",
            LoanStepRefusal::BadDecision => "bad_decision",
            LoanStepRefusal::CountyUnionOnly => "county_union_only",
            LoanStepRefusal::CountyQuotaExceeded => "county_quota_exceeded",
            LoanStepRefusal::LoanDecided => "loan_decided",
        }
    }

    fn refusal(&self) -> crate::error::Refusal {
        use crate::error::Refusal;
        match self {
            LoanStepRefusal::AlreadySent
            | LoanStepRefusal::NotDisbursed
            | LoanStepRefusal::IllegalTransition(_)
            | LoanStepRefusal::LoanDecided => Refusal::Conflict,
            LoanStepRefusal::CountyUnionOnly => Refusal::Forbidden,
            LoanStepRefusal::NoteTooLong
            | LoanStepRefusal::BadDecision
            | LoanStepRefusal::CountyQuotaExceeded => Refusal::Unprocessable,
        }
    }

    fn message(&self, lang: Lang) -> String {
        match self {
            LoanStepRefusal::AlreadySent => lang.pick(
                "申请已提交，不能再修改",
                "This application has been sent and can no longer be changed",
            ),
            LoanStepRefusal::NotDisbursed => lang.pick(
                "贷款尚未发放，还没有还款计划",
                "The loan has not been paid out yet",
            ),
            LoanStepRefusal::IllegalTransition(_) => lang.pick(
                "该申请当前的状态不能这样办理",
                "That step is not possible from this stage",
            ),
            LoanStepRefusal::NoteTooLong => lang.pick("备注太长", "The note is too long"),
            LoanStepRefusal::LoanDecided => lang.pick(
                "该申请已办理完毕，不能再添加材料",
                "Documents can no longer be added",
            ),
            LoanStepRefusal::BadDecision => lang.pick(
                "请选择通过（进入下一步）或不予通过",
                "Choose approve (next stage) or reject",
            ),
            LoanStepRefusal::CountyUnionOnly => lang.pick(
                "担保和放款由申请人所在县（区）总工会办理",
                "The guarantee and the payout are the county (district) union's steps",
            ),
            LoanStepRefusal::CountyQuotaExceeded => lang.pick(
                "本县（区）今年的担保额度已用完，无法提供担保",
                "The county's guarantee quota for this year is used up",
            ),
        }
        .to_string()
    }

    fn field(&self, lang: Lang) -> Option<(&'static str, String)> {
        match self {
            LoanStepRefusal::IllegalTransition(from) => Some((
                "decision",
                match lang {
                    Lang::Zh => format!("当前状态：{}", from.label(Lang::Zh)),
                    Lang::En => format!("Current stage: {}", from.label(Lang::En)),
                },
            )),
            LoanStepRefusal::NoteTooLong => Some((
                "note",
                lang.pick("最多 1000 字", "At most 1000 characters")
                    .to_string(),
            )),
            LoanStepRefusal::BadDecision => Some((
                "decision",
                lang.pick("请选择一项", "Choose one").to_string(),
            )),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> Date {
        Date::parse_iso("2026-11-24").unwrap()
    }

    fn ask(amount_yuan: i64) -> EligibilityInput {
        EligibilityInput {
            employment_status: EmploymentStatus::RegisteredUnemployed,
            college_graduate: false,
            local_hukou: true,
            residence_years: 0,
            business_kind: BusinessKind::Catering,
            business_started_on: "2024-06-01".into(),
            amount_fen: amount_yuan * 100,
            term_months: 24,
            partners: vec![],
        }
    }

    #[test]
    fn the_precheck_presumes_nothing_and_decides_as_soon_as_it_can() {
        let rules = LoanRules::default();
        let mut a = PreCheckAnswers::default();
        // Nothing answered: no verdict, no cap.
        assert!(matches!(
            rules.precheck(Gender::Male, &a, today()),
            PreCheckVerdict::Open(ref q) if q.len() == 5
        ));
        // An employed member is told after the first answer.
        a.employment_status = Some(EmploymentStatus::Employed);
        assert_eq!(a.answered(), 1);
        assert_eq!(
            rules.precheck(Gender::Male, &a, today()),
            PreCheckVerdict::No(vec![LoanRefusal::Employment])
        );
        // Without local registration, the years decide; none given yet is open.
        a.employment_status = Some(EmploymentStatus::Hardship);
        a.local_hukou = Some(false);
        assert!(matches!(
            rules.precheck(Gender::Male, &a, today()),
            PreCheckVerdict::Open(ref q) if q[0] == "residence_years"
        ));
        a.residence_years = Some(0);
        assert_eq!(
            rules.precheck(Gender::Male, &a, today()),
            PreCheckVerdict::No(vec![LoanRefusal::Residence(1)])
        );
        a.residence_years = Some(3);
        a.business_kind = Some(BusinessKind::Shop);
        a.business_started_on = Date::parse_iso("2024-06-01");
        assert!(matches!(
            rules.precheck(Gender::Male, &a, today()),
            PreCheckVerdict::Open(ref q) if q == &vec!["amount_fen"]
        ));
        a.amount_fen = Some(6_000_000);
        assert_eq!(
            rules.precheck(Gender::Male, &a, today()),
            PreCheckVerdict::No(vec![LoanRefusal::OverCap(5_000_000)])
        );
        a.amount_fen = Some(5_000_000);
        assert_eq!(
            rules.precheck(Gender::Male, &a, today()),
            PreCheckVerdict::Yes {
                max_amount_fen: 5_000_000
            }
        );
        // A woman's cap is hers.
        assert_eq!(
            rules.precheck(Gender::Female, &a, today()),
            PreCheckVerdict::Yes {
                max_amount_fen: 8_000_000
            }
        );
        // A business too new refuses before the amount is given.
        a.amount_fen = None;
        a.business_started_on = Date::parse_iso("2026-10-01");
        assert_eq!(
            rules.precheck(Gender::Male, &a, today()),
            PreCheckVerdict::No(vec![LoanRefusal::BusinessTooNew(12)])
        );
    }

    #[test]
    fn a_draft_may_be_unfinished_but_never_out_of_bounds() {
        let empty = LoanInput::default();
        assert!(empty.check_draft().is_ok());
        let huge = LoanInput {
            facts: EligibilityInput {
                amount_fen: crate::money::MAX_FEN + 1,
                ..ask(1)
            },
            purpose: "很".repeat(501),
            ..LoanInput::default()
        };
        let fields: Vec<&str> = huge
            .check_draft()
            .unwrap_err()
            .0
            .iter()
            .map(|p| p.0)
            .collect();
        assert_eq!(fields, vec!["amount_fen", "purpose"]);
    }

    #[test]
    fn a_masked_partner_keeps_the_cap_the_whole_number_gives() {
        let r = LoanRules::default();
        let whole = Partner {
            name: "李娜".into(),
            id_number: "420106199207082342".into(),
        };
        let masked = Partner {
            id_number: crate::identity::mask_id_number(&whole.id_number),
            ..whole.clone()
        };
        assert!(masked.is_masked() && !whole.is_masked());
        let with = |p: Partner| EligibilityInput {
            partners: vec![p],
            ..ask(1)
        };
        assert_eq!(
            r.max_amount(Gender::Male, &with(masked)),
            r.max_amount(Gender::Male, &with(whole))
        );
    }

    #[test]
    fn caps_by_who_is_asking() {
        let r = LoanRules::default();
        assert_eq!(r.max_amount(Gender::Male, &ask(1)), 5_000_000);
        assert_eq!(r.max_amount(Gender::Female, &ask(1)), 8_000_000);
        let graduate = EligibilityInput {
            college_graduate: true,
            ..ask(1)
        };
        assert_eq!(r.max_amount(Gender::Male, &graduate), 10_000_000);
        assert_eq!(r.max_amount(Gender::Female, &graduate), 10_000_000);
        assert!(r.refusals(Gender::Male, &ask(50_000), today()).is_empty());
        assert_eq!(
            r.refusals(Gender::Male, &ask(50_001), today()),
            vec![LoanRefusal::OverCap(5_000_000)]
        );
        assert_eq!(
            LoanRefusal::OverCap(5_000_000).message(Lang::Zh),
            "最多可以申请 ¥50,000.00，请调低金额"
        );
    }

    fn partner(id: &str) -> Partner {
        Partner {
            name: "合伙人".into(),
            id_number: id.into(),
        }
    }

    #[test]
    fn partnerships_add_up_to_at_most_half_a_million() {
        let r = LoanRules::default();
        // 李娜 (a woman) and 王芳 (a woman): 100,000 each.
        let women = EligibilityInput {
            partners: vec![partner("420103199501010009")],
            ..ask(200_000)
        };
        assert_eq!(r.max_amount(Gender::Female, &women), 20_000_000);
        assert!(r.refusals(Gender::Female, &women, today()).is_empty());
        // A man with a woman partner: 50,000 + 100,000.
        assert_eq!(r.max_amount(Gender::Male, &women), 15_000_000);
        // Nine women partners would be 1,000,000: the total stops at 500,000.
        let many = EligibilityInput {
            partners: vec![partner("420103199501010009"); 9],
            ..ask(500_000)
        };
        assert_eq!(r.max_amount(Gender::Female, &many), 50_000_000);
        let bad = EligibilityInput {
            partners: vec![partner("420103199501010008")],
            ..ask(10_000)
        };
        assert_eq!(
            r.refusals(Gender::Male, &bad, today()),
            vec![LoanRefusal::PartnerId]
        );
    }

    #[test]
    fn every_refusal_has_a_code_and_a_sentence() {
        let r = LoanRules::default();
        let all_wrong = EligibilityInput {
            employment_status: EmploymentStatus::Employed,
            local_hukou: false,
            residence_years: 0,
            business_kind: BusinessKind::Other,
            business_started_on: "2026-03-01".into(),
            term_months: 36,
            ..ask(90_000)
        };
        let got = r.refusals(Gender::Male, &all_wrong, today());
        let codes: Vec<&str> = got.iter().map(|x| x.code()).collect();
        assert_eq!(
            codes,
            vec![
                "employment_status",
                "residence",
                "business_kind",
                "business_too_new",
                "over_cap",
                "term_too_long"
            ]
        );
        for x in got {
            assert!(!x.message(Lang::Zh).is_empty() && !x.message(Lang::En).is_empty());
        }
        // A year's residence is enough without local registration; a
        // business started exactly a year ago qualifies.
        let newcomer = EligibilityInput {
            local_hukou: false,
            residence_years: 1,
            business_started_on: "2025-11-24".into(),
            ..ask(10_000)
        };
        assert!(r.refusals(Gender::Male, &newcomer, today()).is_empty());
    }

    #[test]
    fn fields_are_checked_before_the_rules() {
        let blank = EligibilityInput {
            business_started_on: String::new(),
            amount_fen: 0,
            term_months: 0,
            ..ask(0)
        };
        let fields: Vec<&str> = check_fields(&blank, today())
            .unwrap_err()
            .0
            .iter()
            .map(|(f, _)| *f)
            .collect();
        assert_eq!(
            fields,
            vec!["business_started_on", "amount_fen", "term_months"]
        );
    }

    #[test]
    fn the_schedule_repays_the_principal_exactly_with_the_subsidy() {
        let rules = LoanRules::default();
        let s = schedule(
            5_000_000,
            24,
            Date::parse_iso("2026-01-31").unwrap(),
            &rules,
        );
        assert_eq!(s.installments.len(), 24);
        let principal: i64 = s.installments.iter().map(|i| i.principal_fen).sum();
        assert_eq!(principal, 5_000_000);
        let first = &s.installments[0];
        assert_eq!(first.due_on, "2026-02-28");
        // ¥50,000 at 3.45% for a month: ¥143.75; the member's 1.5%: ¥62.50.
        assert_eq!(first.interest_fen, 14_375);
        assert_eq!(first.subsidy_fen, 14_375 - 6_250);
        assert_eq!(first.principal_fen, 208_334);
        assert_eq!(first.member_pays_fen, 208_334 + 6_250);
        assert_eq!(s.installments[23].remaining_fen, 0);
        assert_eq!(
            s.total_interest_fen,
            s.total_subsidy_fen + s.total_member_pays_fen - 5_000_000
        );
        // With a full subsidy the member repays the principal only.
        let full = LoanRules {
            subsidy: Subsidy::Full,
            ..rules
        };
        let s = schedule(10_000_001, 7, Date::parse_iso("2026-03-15").unwrap(), &full);
        assert_eq!(s.total_member_pays_fen, 10_000_001);
        assert_eq!(s.installments[0].principal_fen, 1_428_572);
        assert_eq!(s.installments[6].principal_fen, 1_428_571);
    }

    #[test]
    fn the_pipeline_moves_one_stage_at_a_time() {
        let mut s = LoanStatus::Submitted;
        let mut seen = vec![s];
        while let Some(n) = s.next() {
            s = n;
            seen.push(s);
        }
        assert_eq!(
            seen.iter().map(|s| s.as_str()).collect::<Vec<_>>(),
            vec![
                "submitted",
                "union_approved",
                "guaranteed",
                "disbursed",
                "repaying",
                "closed"
            ]
        );
        assert!(LoanStatus::Guaranteed.may_reject());
        assert!(!LoanStatus::Disbursed.may_reject());
        assert_eq!(LoanStatus::Rejected.next(), None);
    }
}
