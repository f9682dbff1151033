//! Mutual medical aid (职工医疗互助): plans as data, who may enrol, the dates a
//! claim must fall in, and the payout arithmetic, which explains itself step
//! by step. The phone runs the same function for its live estimate as the
//! server runs on a claim, so the figure a member sees is the figure filed.
//!
//! Money is integer fen. Every percentage is in basis points (7000 = 70%) and
//! rounds to the nearest fen with halves going to the member.

use serde::{Deserialize, Serialize};

use crate::error::{FieldProblem, FieldProblems};
use crate::identity::{Date, Gender};
use crate::offers::yuan;
use crate::Lang;

/// The four kinds of plan unions run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PlanKind {
    /// 住院医疗互助.
    HospitalStay,
    /// 女职工特殊疾病互助.
    WomenSpecial,
    /// 重大疾病互助.
    MajorDisease,
    /// 意外伤害互助.
    Accident,
}

impl PlanKind {
    /// Every kind, in display order.
    pub const ALL: [PlanKind; 4] = [
        PlanKind::HospitalStay,
        PlanKind::WomenSpecial,
        PlanKind::MajorDisease,
        PlanKind::Accident,
    ];

    /// Stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            PlanKind::HospitalStay => "hospital_stay",
            PlanKind::WomenSpecial => "women_special",
            PlanKind::MajorDisease => "major_disease",
            PlanKind::Accident => "accident",
        }
    }

    /// Parses the stored name.
    pub fn from_db(s: &str) -> Option<PlanKind> {
        PlanKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// What people call it.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            PlanKind::HospitalStay => lang.pick("住院医疗互助", "Hospital stay"),
            PlanKind::WomenSpecial => lang.pick("女职工特殊疾病互助", "Women's special diseases"),
            PlanKind::MajorDisease => lang.pick("重大疾病互助", "Major diseases"),
            PlanKind::Accident => lang.pick("意外伤害互助", "Accidents"),
        }
    }

    /// Whether a claim is about a hospital stay (dates and bill) rather than
    /// a diagnosis (a date and a disease group).
    pub fn is_stay(self) -> bool {
        matches!(self, PlanKind::HospitalStay | PlanKind::Accident)
    }
}

/// Hospital grade (医院等级), as printed on the hospital's sign.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum HospitalGrade {
    /// 一级医院 (community hospitals).
    Primary,
    /// 二级医院.
    Secondary,
    /// 三级医院.
    Tertiary,
}

impl HospitalGrade {
    /// Every grade, lowest first.
    pub const ALL: [HospitalGrade; 3] = [
        HospitalGrade::Primary,
        HospitalGrade::Secondary,
        HospitalGrade::Tertiary,
    ];

    /// Stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            HospitalGrade::Primary => "primary",
            HospitalGrade::Secondary => "secondary",
            HospitalGrade::Tertiary => "tertiary",
        }
    }

    /// Parses the stored name.
    pub fn from_db(s: &str) -> Option<HospitalGrade> {
        HospitalGrade::ALL.into_iter().find(|g| g.as_str() == s)
    }

    /// What people call it.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            HospitalGrade::Primary => lang.pick("一级医院", "Grade 1 hospital"),
            HospitalGrade::Secondary => lang.pick("二级医院", "Grade 2 hospital"),
            HospitalGrade::Tertiary => lang.pick("三级医院", "Grade 3 hospital"),
        }
    }
}

/// The share and cap of one hospital stay in a year (the first, the second…).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StayTier {
    /// Share of the self-paid cost above the deductible, basis points.
    pub share_bp: i64,
    /// The most one stay of this number pays.
    pub cap_fen: Option<i64>,
}

/// A disease group of a plan and its amount (a fixed sum, or a daily rate).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DiseaseGroup {
    /// Stable code, e.g. `group1`.
    pub code: String,
    /// Chinese name, e.g. `第一组：乳腺癌、宫颈癌`.
    pub name_zh: String,
    /// English name.
    pub name_en: String,
    /// The sum (fixed-sum plans) or the daily rate (daily allowances).
    pub amount_fen: i64,
}

impl DiseaseGroup {
    /// The name in a language.
    pub fn name(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.name_zh,
            Lang::En => &self.name_en,
        }
    }
}

/// How a plan pays: the kinds of rule published plans use.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PayoutRule {
    /// A share of the patient's own (self-paid) cost above a deductible; the
    /// share and cap depend on which stay of the year it is (the last tier
    /// applies to every later stay).
    SelfPayShare {
        /// The part of the self-paid cost the member carries (起付线).
        deductible_fen: i64,
        /// Tier 1 for the first stay, tier 2 for the second…
        stays: Vec<StayTier>,
    },
    /// A flat sum per stay by hospital grade.
    FlatByGrade {
        /// 一级医院.
        primary_fen: i64,
        /// 二级医院.
        secondary_fen: i64,
        /// 三级医院.
        tertiary_fen: i64,
    },
    /// A sum per day in hospital; some disease groups get a higher daily rate.
    DailyAllowance {
        /// The ordinary daily rate.
        per_day_fen: i64,
        /// Groups with their own daily rate (e.g. cancer).
        groups: Vec<DiseaseGroup>,
        /// The most days one claim counts.
        max_days: i64,
        /// The most one claim pays.
        per_claim_cap_fen: Option<i64>,
    },
    /// A fixed sum on first diagnosis of a disease in one of the groups.
    FixedByGroup {
        /// The groups and their sums.
        groups: Vec<DiseaseGroup>,
    },
}

impl PayoutRule {
    /// The disease groups a claim chooses from (empty when the rule has none).
    pub fn groups(&self) -> &[DiseaseGroup] {
        match self {
            PayoutRule::DailyAllowance { groups, .. } | PayoutRule::FixedByGroup { groups } => {
                groups
            }
            _ => &[],
        }
    }

    /// Whether the bill's hospital grade matters.
    pub fn needs_grade(&self) -> bool {
        matches!(self, PayoutRule::FlatByGrade { .. })
    }

    /// Whether a disease group must be chosen (fixed sums); daily allowances
    /// take one optionally.
    pub fn needs_group(&self) -> bool {
        matches!(self, PayoutRule::FixedByGroup { .. })
    }

    /// Whether the bill's costs matter.
    pub fn needs_costs(&self) -> bool {
        matches!(self, PayoutRule::SelfPayShare { .. })
    }

    /// Whether days in hospital matter.
    pub fn needs_days(&self) -> bool {
        matches!(self, PayoutRule::DailyAllowance { .. })
    }

    /// Checks a rule an officer entered: amounts and shares in range, at least
    /// one tier or group.
    pub fn is_sound(&self) -> bool {
        let money = |v: i64| (0..=MAX_FEN).contains(&v);
        match self {
            PayoutRule::SelfPayShare {
                deductible_fen,
                stays,
            } => {
                money(*deductible_fen)
                    && !stays.is_empty()
                    && stays
                        .iter()
                        .all(|t| (0..=10_000).contains(&t.share_bp) && t.cap_fen.is_none_or(money))
            }
            PayoutRule::FlatByGrade {
                primary_fen,
                secondary_fen,
                tertiary_fen,
            } => money(*primary_fen) && money(*secondary_fen) && money(*tertiary_fen),
            PayoutRule::DailyAllowance {
                per_day_fen,
                groups,
                max_days,
                per_claim_cap_fen,
            } => {
                money(*per_day_fen)
                    && (1..=366).contains(max_days)
                    && per_claim_cap_fen.is_none_or(money)
                    && groups.iter().all(|g| money(g.amount_fen))
            }
            PayoutRule::FixedByGroup { groups } => {
                !groups.is_empty() && groups.iter().all(|g| money(g.amount_fen))
            }
        }
    }
}

impl PayoutRule {
    /// The rule in plain words, one line per term, for the plan's page.
    pub fn describe(&self, lang: Lang) -> Vec<String> {
        let zh = lang == Lang::Zh;
        match self {
            PayoutRule::SelfPayShare {
                deductible_fen,
                stays,
            } => {
                let mut out = Vec::new();
                if *deductible_fen > 0 {
                    out.push(if zh {
                        format!("自付费用先扣除起付线 {}", yuan(*deductible_fen))
                    } else {
                        format!(
                            "A deductible of {} comes off the self-paid cost",
                            yuan(*deductible_fen)
                        )
                    });
                }
                let last = stays.len();
                for (i, t) in stays.iter().enumerate() {
                    let n = i + 1;
                    let which = match (zh, n == last && last > 1) {
                        (true, true) => format!("第 {n} 次及以后住院"),
                        (true, false) if last == 1 => "每次".to_string(),
                        (true, false) => format!("第 {n} 次住院"),
                        (false, true) => format!("Stay {n} and later"),
                        (false, false) if last == 1 => "Each claim".to_string(),
                        (false, false) => format!("Stay {n}"),
                    };
                    let cap = match (t.cap_fen, zh) {
                        (Some(c), true) => format!("，最高 {}", yuan(c)),
                        (Some(c), false) => format!(", at most {}", yuan(c)),
                        (None, _) => String::new(),
                    };
                    out.push(if zh {
                        format!("{which}给付 {}{cap}", percent(t.share_bp))
                    } else {
                        format!("{which}: {} paid{cap}", percent(t.share_bp))
                    });
                }
                out
            }
            PayoutRule::FlatByGrade {
                primary_fen,
                secondary_fen,
                tertiary_fen,
            } => [
                (HospitalGrade::Tertiary, tertiary_fen),
                (HospitalGrade::Secondary, secondary_fen),
                (HospitalGrade::Primary, primary_fen),
            ]
            .into_iter()
            .map(|(g, fen)| {
                if zh {
                    format!("{}每次住院 {}", g.label(lang), yuan(*fen))
                } else {
                    format!("{}: {} a stay", g.label(lang), yuan(*fen))
                }
            })
            .collect(),
            PayoutRule::DailyAllowance {
                per_day_fen,
                groups,
                max_days,
                per_claim_cap_fen,
            } => {
                let mut out = vec![if zh {
                    format!("住院每天 {}", yuan(*per_day_fen))
                } else {
                    format!("{} a day in hospital", yuan(*per_day_fen))
                }];
                for g in groups {
                    out.push(if zh {
                        format!("{}每天 {}", g.name(lang), yuan(g.amount_fen))
                    } else {
                        format!("{}: {} a day", g.name(lang), yuan(g.amount_fen))
                    });
                }
                out.push(if zh {
                    format!("每次最多计 {max_days} 天")
                } else {
                    format!("At most {max_days} days a claim")
                });
                if let Some(c) = per_claim_cap_fen {
                    out.push(if zh {
                        format!("每次最高 {}", yuan(*c))
                    } else {
                        format!("At most {} a claim", yuan(*c))
                    });
                }
                out
            }
            PayoutRule::FixedByGroup { groups } => groups
                .iter()
                .map(|g| {
                    let colon = if zh { "：" } else { ": " };
                    format!("{}{colon}{}", g.name(lang), yuan(g.amount_fen))
                })
                .collect(),
        }
    }
}

/// The largest amount anywhere in a bill or rule: the product's one ceiling.
pub use crate::money::MAX_FEN;

/// A hospital bill (or a diagnosis) as the estimator and a claim take it.
/// Which fields matter depends on the plan's rule; the rest may be left out.
/// Its `Default` is what a body that leaves everything out parses as (the
/// first stay of the year), so code building one cannot send another.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Bill {
    /// `primary`, `secondary` or `tertiary` (flat sums by grade).
    #[serde(default)]
    pub hospital_grade: Option<HospitalGrade>,
    /// 1 for the first stay this year (on a claim the server counts it).
    #[serde(default = "first_stay")]
    pub stay_number: i64,
    /// Days in hospital (daily allowances).
    #[serde(default)]
    pub hospital_days: i64,
    /// The whole bill.
    #[serde(default)]
    pub total_cost_fen: i64,
    /// What basic medical insurance paid.
    #[serde(default)]
    pub insurance_paid_fen: i64,
    /// What the patient paid themselves (自付).
    #[serde(default)]
    pub self_pay_fen: i64,
    /// A disease group code (fixed sums, special daily rates).
    #[serde(default)]
    pub disease_group: Option<String>,
}

fn first_stay() -> i64 {
    1
}

impl Default for Bill {
    fn default() -> Bill {
        Bill {
            hospital_grade: None,
            stay_number: first_stay(),
            hospital_days: 0,
            total_cost_fen: 0,
            insurance_paid_fen: 0,
            self_pay_fen: 0,
            disease_group: None,
        }
    }
}

/// One step of a payout, in words and the running figure after it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Step {
    /// What this step does, e.g. `自付部分 ¥8,000.00 × 70%`.
    pub label: String,
    /// The figure after this step.
    pub amount_fen: i64,
}

/// A computed payout.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Estimate {
    /// What the plan pays.
    pub payout_fen: i64,
    /// How, step by step; the last step is the payout.
    pub steps: Vec<Step>,
}

/// The yearly cap and how much of it earlier claims used.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CapUse {
    /// The plan's cap over the cover year (none: no cap).
    pub yearly_cap_fen: Option<i64>,
    /// Approved on earlier claims of the same cover.
    pub used_fen: i64,
}

impl CapUse {
    /// What is left of the cap (none: no cap).
    pub fn left_fen(self) -> Option<i64> {
        self.yearly_cap_fen.map(|c| (c - self.used_fen).max(0))
    }
}

/// `amount × share`, to the nearest fen, halves to the member.
pub fn share_of(amount_fen: i64, bp: i64) -> i64 {
    (i128::from(amount_fen) * i128::from(bp) + 5_000).div_euclid(10_000) as i64
}

/// A share in basis points as people write it: `70%`, `62.5%`.
pub fn percent(bp: i64) -> String {
    if bp % 100 == 0 {
        format!("{}%", bp / 100)
    } else {
        let s = format!("{}.{:02}", bp / 100, bp % 100);
        format!("{}%", s.trim_end_matches('0'))
    }
}

impl Bill {
    /// Checks the fields the rule uses, collecting every problem.
    pub fn check(&self, rule: &PayoutRule) -> Result<(), FieldProblems> {
        let mut p = FieldProblems::default();
        let money = |v: i64| {
            if v < 0 {
                Err(FieldProblem::Negative)
            } else if v > MAX_FEN {
                Err(FieldProblem::TooLarge)
            } else {
                Ok(())
            }
        };
        if !(1..=99).contains(&self.stay_number) {
            p.0.push(("stay_number", FieldProblem::Negative));
        }
        if rule.needs_costs() {
            p.check("total_cost_fen", money(self.total_cost_fen));
            p.check("insurance_paid_fen", money(self.insurance_paid_fen));
            p.check("self_pay_fen", money(self.self_pay_fen));
            if p.is_empty()
                && self.insurance_paid_fen + self.self_pay_fen > self.total_cost_fen
                && self.total_cost_fen > 0
            {
                p.0.push(("self_pay_fen", FieldProblem::PartsExceedTotal));
            }
        }
        if rule.needs_days() {
            if self.hospital_days < 0 {
                p.0.push(("hospital_days", FieldProblem::Negative));
            } else if self.hospital_days > 366 {
                p.0.push(("hospital_days", FieldProblem::TooLarge));
            }
        }
        if rule.needs_grade() && self.hospital_grade.is_none() {
            p.0.push(("hospital_grade", FieldProblem::ChooseOne));
        }
        let group_known = |code: &str| rule.groups().iter().any(|g| g.code == code);
        match self.disease_group.as_deref().filter(|g| !g.is_empty()) {
            None if rule.needs_group() => p.0.push(("disease_group", FieldProblem::ChooseOne)),
            Some(g) if !group_known(g) => p.0.push(("disease_group", FieldProblem::ChooseOne)),
            _ => {}
        }
        if p.is_empty() {
            Ok(())
        } else {
            Err(p)
        }
    }
}

/// Computes what a plan pays on a bill, each step explained in `lang`.
/// The bill must have passed [`Bill::check`] for this rule.
pub fn estimate(rule: &PayoutRule, cap: CapUse, bill: &Bill, lang: Lang) -> Estimate {
    let zh = lang == Lang::Zh;
    let mut steps: Vec<Step> = Vec::new();
    let mut step = |label: String, amount_fen: i64| steps.push(Step { label, amount_fen });
    let group = bill
        .disease_group
        .as_deref()
        .and_then(|code| rule.groups().iter().find(|g| g.code == code));
    let mut amount = match rule {
        PayoutRule::SelfPayShare {
            deductible_fen,
            stays,
        } => {
            let n = bill.stay_number.max(1);
            let tier = &stays[(n as usize - 1).min(stays.len() - 1)];
            let mut base = bill.self_pay_fen;
            let mut what = if zh {
                format!("自付部分 {}", yuan(base))
            } else {
                format!("Self-paid {}", yuan(base))
            };
            if *deductible_fen > 0 {
                base = (base - deductible_fen).max(0);
                step(
                    if zh {
                        format!("{what} − 起付线 {}", yuan(*deductible_fen))
                    } else {
                        format!("{what} − deductible {}", yuan(*deductible_fen))
                    },
                    base,
                );
                what = yuan(base);
            }
            let mut paid = share_of(base, tier.share_bp);
            step(
                if zh {
                    format!("{what} × {}（本年度第 {n} 次住院）", percent(tier.share_bp))
                } else {
                    format!("{what} × {} (stay {n} this year)", percent(tier.share_bp))
                },
                paid,
            );
            if let Some(c) = tier.cap_fen.filter(|c| paid > *c) {
                paid = c;
                step(
                    if zh {
                        format!("第 {n} 次住院最多 {}", yuan(c))
                    } else {
                        format!("Stay {n} pays at most {}", yuan(c))
                    },
                    paid,
                );
            }
            paid
        }
        PayoutRule::FlatByGrade {
            primary_fen,
            secondary_fen,
            tertiary_fen,
        } => {
            let grade = bill.hospital_grade.unwrap_or(HospitalGrade::Primary);
            let sum = match grade {
                HospitalGrade::Primary => *primary_fen,
                HospitalGrade::Secondary => *secondary_fen,
                HospitalGrade::Tertiary => *tertiary_fen,
            };
            step(
                if zh {
                    format!("{}住院定额", grade.label(lang))
                } else {
                    format!("Flat sum for a stay in a {}", grade.label(lang))
                },
                sum,
            );
            sum
        }
        PayoutRule::DailyAllowance {
            per_day_fen,
            max_days,
            per_claim_cap_fen,
            ..
        } => {
            let rate = group.map(|g| g.amount_fen).unwrap_or(*per_day_fen);
            let days = bill.hospital_days.clamp(0, *max_days);
            // Days past the limit are said in the same step, which stays in money.
            let counted = if bill.hospital_days > *max_days {
                if zh {
                    format!(
                        "{days} 天（住院 {} 天，每次最多计 {max_days} 天）",
                        bill.hospital_days
                    )
                } else {
                    format!(
                        "{days} days ({} in hospital; at most {max_days} count)",
                        bill.hospital_days
                    )
                }
            } else if zh {
                format!("{days} 天")
            } else {
                format!("{days} days")
            };
            let mut paid = days * rate;
            let rate_text = match group {
                Some(g) => format!(
                    "{}/{}（{}）",
                    yuan(rate),
                    lang.pick("天", "day"),
                    g.name(lang)
                ),
                None => format!("{}/{}", yuan(rate), lang.pick("天", "day")),
            };
            step(format!("{counted} × {rate_text}"), paid);
            if let Some(c) = per_claim_cap_fen.filter(|c| paid > *c) {
                paid = c;
                step(
                    if zh {
                        format!("每次最多 {}", yuan(c))
                    } else {
                        format!("A claim pays at most {}", yuan(c))
                    },
                    paid,
                );
            }
            paid
        }
        PayoutRule::FixedByGroup { .. } => {
            let (name, sum) = group
                .map(|g| (g.name(lang), g.amount_fen))
                .unwrap_or(("", 0));
            step(
                if zh {
                    format!("{name} 定额")
                } else {
                    format!("Fixed sum: {name}")
                },
                sum,
            );
            sum
        }
    };
    if let (Some(total), Some(left)) = (cap.yearly_cap_fen, cap.left_fen()) {
        if amount > left {
            amount = left;
            step(
                if zh {
                    format!(
                        "年度封顶 {}，已赔付 {}，剩余 {}",
                        yuan(total),
                        yuan(cap.used_fen),
                        yuan(left)
                    )
                } else {
                    format!(
                        "Yearly cap {}, {} already paid, {} left",
                        yuan(total),
                        yuan(cap.used_fen),
                        yuan(left)
                    )
                },
                amount,
            );
        }
    }
    step(
        lang.pick("预计互助金", "Estimated payout").to_string(),
        amount,
    );
    Estimate {
        payout_fen: amount,
        steps,
    }
}

/// Who pays the contribution.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Payer {
    /// The member pays it all.
    Member,
    /// The workplace union pays it all.
    Workplace,
    /// Split: the workplace pays `workplace_share_bp` of it.
    Split,
}

impl Payer {
    /// Stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Payer::Member => "member",
            Payer::Workplace => "workplace",
            Payer::Split => "split",
        }
    }

    /// Parses the stored name.
    pub fn from_db(s: &str) -> Option<Payer> {
        [Payer::Member, Payer::Workplace, Payer::Split]
            .into_iter()
            .find(|p| p.as_str() == s)
    }

    /// The member's part of a contribution.
    pub fn member_part(self, contribution_fen: i64, workplace_share_bp: i64) -> i64 {
        match self {
            Payer::Member => contribution_fen,
            Payer::Workplace => 0,
            Payer::Split => contribution_fen - share_of(contribution_fen, workplace_share_bp),
        }
    }
}

/// Who may enrol in a plan.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlanEligibility {
    /// Only this sex (women's plans).
    pub gender: Option<Gender>,
    /// Youngest age on the day of enrolment.
    pub min_age: Option<i64>,
    /// Oldest age on the day of enrolment.
    pub max_age: Option<i64>,
    /// Only members whose card is activated.
    pub active_card: bool,
}

/// What enrolment needs to know about a member.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Applicant {
    /// From the ID number.
    pub gender: Gender,
    /// From the ID number.
    pub birth_date: Date,
    /// Whether their card is active.
    pub card_active: bool,
}

/// Why a member may not enrol.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The plan is for the other sex only.
    Gender(Gender),
    /// Younger than the plan's youngest age.
    TooYoung(i64),
    /// Older than the plan's oldest age.
    TooOld(i64),
    /// The card has not been activated (or is frozen or lost).
    CardNotActive,
    /// The enrolment window has not opened yet.
    WindowNotOpen(Date),
    /// The enrolment window has closed.
    WindowClosed(Date),
    /// The term ends today or has ended: cover begins the day after
    /// enrolling, so there would be no day left to cover (a window may run
    /// past its term's end).
    TermOver(Date),
}

impl Refusal {
    /// The stable reason code.
    pub fn code(self) -> &'static str {
        match self {
            Refusal::Gender(_) => "gender",
            Refusal::TooYoung(_) => "too_young",
            Refusal::TooOld(_) => "too_old",
            Refusal::CardNotActive => "card_not_active",
            Refusal::WindowNotOpen(_) => "window_not_open",
            Refusal::WindowClosed(_) => "window_closed",
            Refusal::TermOver(_) => "term_over",
        }
    }

    /// The reason in plain words.
    pub fn message(self, lang: Lang) -> String {
        let zh = lang == Lang::Zh;
        match self {
            Refusal::Gender(Gender::Female) => lang
                .pick(
                    "本计划仅限女职工参加",
                    "This plan is for women members only",
                )
                .into(),
            Refusal::Gender(Gender::Male) => lang
                .pick("本计划仅限男职工参加", "This plan is for men members only")
                .into(),
            Refusal::TooYoung(age) if zh => format!("本计划要求年满 {age} 周岁"),
            Refusal::TooYoung(age) => format!("You must be at least {age} to join"),
            Refusal::TooOld(age) if zh => format!("本计划仅限 {age} 周岁及以下会员参加"),
            Refusal::TooOld(age) => format!("This plan is for members aged {age} or under"),
            Refusal::CardNotActive => lang
                .pick(
                    "请先激活会员服务卡再参加互助",
                    "Activate your member card before joining",
                )
                .into(),
            Refusal::WindowNotOpen(d) if zh => format!("{d}起才能参加"),
            Refusal::WindowNotOpen(d) => format!("Enrolment opens on {}", d.iso()),
            Refusal::WindowClosed(d) if zh => format!("参加时间已于{d}截止"),
            Refusal::WindowClosed(d) => format!("Enrolment closed on {}", d.iso()),
            Refusal::TermOver(d) if zh => {
                format!("本期保障到{d}为止，已没有可保障的日子，请参加下一期")
            }
            Refusal::TermOver(d) => format!(
                "This term's cover ends on {}, with no day left to cover: join the next term",
                d.iso()
            ),
        }
    }
}

/// A plan's term and windows, as dates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PlanDates {
    /// Cover starts (for members enrolled before it).
    pub starts_on: Date,
    /// Last day of cover.
    pub ends_on: Date,
    /// First day of the enrolment window.
    pub window_from: Date,
    /// Last day of the enrolment window.
    pub window_to: Date,
    /// Days after cover starts before illnesses are covered (accidents too,
    /// when the plan says so).
    pub waiting_days: i64,
    /// Days after leaving hospital (or diagnosis) a claim may still be filed.
    pub claim_deadline_days: i64,
}

/// The dates of one member's cover.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cover {
    /// First day covered.
    pub from: Date,
    /// Last day covered.
    pub to: Date,
    /// First day an illness is covered (the waiting period's end).
    pub waiting_ends_on: Date,
}

impl PlanDates {
    /// Every reason the applicant may not enrol today (empty: they may).
    pub fn refusals(&self, rules: &PlanEligibility, who: &Applicant, today: Date) -> Vec<Refusal> {
        let mut out = Vec::new();
        if let Some(g) = rules.gender.filter(|g| *g != who.gender) {
            out.push(Refusal::Gender(g));
        }
        let age = today.years_since(who.birth_date);
        if let Some(min) = rules.min_age.filter(|m| age < *m) {
            out.push(Refusal::TooYoung(min));
        }
        if let Some(max) = rules.max_age.filter(|m| age > *m) {
            out.push(Refusal::TooOld(max));
        }
        if rules.active_card && !who.card_active {
            out.push(Refusal::CardNotActive);
        }
        if today < self.window_from {
            out.push(Refusal::WindowNotOpen(self.window_from));
        } else if today > self.window_to {
            out.push(Refusal::WindowClosed(self.window_to));
        } else if self.cover_for(today).from > self.ends_on {
            out.push(Refusal::TermOver(self.ends_on));
        }
        out
    }

    /// The cover a member who enrols today gets: from the term's start, or
    /// from the day after enrolling when the term has begun; the waiting
    /// period counts from the first day covered.
    pub fn cover_for(&self, enrolled_on: Date) -> Cover {
        let from = self.starts_on.max(enrolled_on.add_days(1));
        Cover {
            from,
            to: self.ends_on,
            waiting_ends_on: from.add_days(self.waiting_days),
        }
    }
}

impl Cover {
    /// The first day a claim can be made: a stay must begin after the
    /// waiting period (and inside the cover), so before that day there is
    /// nothing to claim for, and the phone says from when instead.
    pub fn claims_open_on(&self) -> Date {
        self.waiting_ends_on.max(self.from)
    }
}

impl PlanView {
    /// The plan's dates, parsed (None only if the server sent a bad date).
    pub fn dates(&self) -> Option<PlanDates> {
        Some(PlanDates {
            starts_on: Date::parse_iso(&self.starts_on)?,
            ends_on: Date::parse_iso(&self.ends_on)?,
            window_from: Date::parse_iso(&self.window_from)?,
            window_to: Date::parse_iso(&self.window_to)?,
            waiting_days: self.waiting_days,
            claim_deadline_days: self.claim_deadline_days,
        })
    }
}

impl EnrolmentView {
    /// This member's cover, parsed, for the phone's own date checks.
    pub fn cover(&self) -> Option<Cover> {
        Some(Cover {
            from: Date::parse_iso(&self.cover_from)?,
            to: Date::parse_iso(&self.cover_to)?,
            waiting_ends_on: Date::parse_iso(&self.waiting_ends_on)?,
        })
    }
}

/// Why a claim's dates are not accepted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateRefusal {
    /// The stay began before cover started, or after it ended.
    OutsideCover(Cover),
    /// The stay began inside the waiting period.
    WaitingPeriod(Date),
    /// The deadline after leaving hospital has passed.
    PastDeadline(Date),
}

impl DateRefusal {
    /// The stable reason code.
    pub fn code(self) -> &'static str {
        match self {
            DateRefusal::OutsideCover(_) => "outside_cover",
            DateRefusal::WaitingPeriod(_) => "waiting_period",
            DateRefusal::PastDeadline(_) => "past_deadline",
        }
    }

    /// The reason in plain words.
    pub fn message(self, lang: Lang) -> String {
        match (self, lang) {
            (DateRefusal::OutsideCover(c), Lang::Zh) => {
                format!("入院日期不在保障期内（{}至{}）", c.from, c.to)
            }
            (DateRefusal::OutsideCover(c), Lang::En) => format!(
                "The admission date is outside your cover ({} to {})",
                c.from.iso(),
                c.to.iso()
            ),
            (DateRefusal::WaitingPeriod(d), Lang::Zh) => {
                format!("入院日期在等待期内，{d}起入院才能申请")
            }
            (DateRefusal::WaitingPeriod(d), Lang::En) => format!(
                "The admission falls in the waiting period; stays from {} are covered",
                d.iso()
            ),
            (DateRefusal::PastDeadline(d), Lang::Zh) => {
                format!("已超过申请期限（最晚{d}），无法申请")
            }
            (DateRefusal::PastDeadline(d), Lang::En) => {
                format!("The deadline to claim passed on {}", d.iso())
            }
        }
    }
}

/// The last day a claim may be filed for a stay that ended (or a diagnosis
/// made) on `ended_on`.
pub fn claim_deadline(ended_on: Date, deadline_days: i64) -> Date {
    ended_on.add_days(deadline_days)
}

/// Checks a claim's dates against the member's cover: the stay must begin
/// inside the cover and after the waiting period, and the claim must be filed
/// by the deadline. Date order itself is a field problem checked first.
pub fn check_claim_dates(
    cover: Cover,
    admitted_on: Date,
    discharged_on: Date,
    deadline_days: i64,
    today: Date,
) -> Result<(), DateRefusal> {
    if admitted_on < cover.from || admitted_on > cover.to {
        return Err(DateRefusal::OutsideCover(cover));
    }
    if admitted_on < cover.waiting_ends_on {
        return Err(DateRefusal::WaitingPeriod(cover.waiting_ends_on));
    }
    let deadline = claim_deadline(discharged_on, deadline_days);
    if today > deadline {
        return Err(DateRefusal::PastDeadline(deadline));
    }
    Ok(())
}

/// Where a claim stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ClaimStatus {
    /// Saved by the member, not yet sent.
    Draft,
    /// Sent, waiting for an officer.
    Submitted,
    /// An officer is looking at it.
    UnderReview,
    /// The officer asked for more documents.
    DocumentsRequested,
    /// Approved with an amount.
    Approved,
    /// Rejected with a reason.
    Rejected,
    /// Paid onto the card.
    Paid,
}

impl ClaimStatus {
    /// Every status, in the order a claim moves through them.
    pub const ALL: [ClaimStatus; 7] = [
        ClaimStatus::Draft,
        ClaimStatus::Submitted,
        ClaimStatus::UnderReview,
        ClaimStatus::DocumentsRequested,
        ClaimStatus::Approved,
        ClaimStatus::Rejected,
        ClaimStatus::Paid,
    ];

    /// Stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            ClaimStatus::Draft => "draft",
            ClaimStatus::Submitted => "submitted",
            ClaimStatus::UnderReview => "under_review",
            ClaimStatus::DocumentsRequested => "documents_requested",
            ClaimStatus::Approved => "approved",
            ClaimStatus::Rejected => "rejected",
            ClaimStatus::Paid => "paid",
        }
    }

    /// Parses the stored name.
    pub fn from_db(s: &str) -> Option<ClaimStatus> {
        ClaimStatus::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// What the member reads.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            ClaimStatus::Draft => lang.pick("草稿（未提交）", "Draft (not sent)"),
            ClaimStatus::Submitted => lang.pick("已提交", "Submitted"),
            ClaimStatus::UnderReview => lang.pick("审核中", "Under review"),
            ClaimStatus::DocumentsRequested => lang.pick("需补充材料", "More documents needed"),
            ClaimStatus::Approved => lang.pick("已核准", "Approved"),
            ClaimStatus::Rejected => lang.pick("未通过", "Rejected"),
            ClaimStatus::Paid => lang.pick("已打款到卡", "Paid onto your card"),
        }
    }

    /// The statuses in which an officer may still decide a claim: the
    /// officers' queue.
    pub const OPEN: [ClaimStatus; 3] = [
        ClaimStatus::Submitted,
        ClaimStatus::UnderReview,
        ClaimStatus::DocumentsRequested,
    ];

    /// Whether an officer may still decide it.
    pub fn is_open(self) -> bool {
        Self::OPEN.contains(&self)
    }

    /// The statuses an officer's decision may move a claim out of, to `to`:
    /// approval and rejection only from a claim the officer has in hand
    /// (sent, or under review); while documents are awaited the claim is the
    /// member's, so it can only be rejected (the documents never came), not
    /// approved on papers the officer has not seen. Asking for documents
    /// again while waiting for them changes nothing, so it is refused too.
    pub fn decided_from(to: ClaimStatus) -> &'static [ClaimStatus] {
        match to {
            ClaimStatus::Approved | ClaimStatus::DocumentsRequested => {
                &[ClaimStatus::Submitted, ClaimStatus::UnderReview]
            }
            ClaimStatus::Rejected => &[
                ClaimStatus::Submitted,
                ClaimStatus::UnderReview,
                ClaimStatus::DocumentsRequested,
            ],
            ClaimStatus::UnderReview => &[ClaimStatus::Submitted],
            ClaimStatus::Paid => &[ClaimStatus::Approved],
            ClaimStatus::Submitted => &[ClaimStatus::Draft, ClaimStatus::DocumentsRequested],
            ClaimStatus::Draft => &[],
        }
    }

    /// The SQL list of [`ClaimStatus::decided_from`], for a conditional
    /// update (`... AND status IN ('submitted', 'under_review')`).
    pub fn sql_list(all: &[ClaimStatus]) -> String {
        let names: Vec<String> = all.iter().map(|s| format!("'{}'", s.as_str())).collect();
        format!("({})", names.join(", "))
    }

    /// The statuses in which the claim is the member's to edit, and to add
    /// documents to or remove them from.
    pub const MEMBER_EDITABLE: [ClaimStatus; 2] =
        [ClaimStatus::Draft, ClaimStatus::DocumentsRequested];

    /// Whether the member may still edit it and add documents.
    pub fn member_may_edit(self) -> bool {
        Self::MEMBER_EDITABLE.contains(&self)
    }

    /// Whether the member may still add documents: while it is theirs to
    /// edit, and while officers have it open (a receipt found later).
    pub fn takes_documents(self) -> bool {
        self.member_may_edit() || self.is_open()
    }

    /// Whether approved amounts of a claim in this status count against the cap.
    pub fn uses_cap(self) -> bool {
        matches!(self, ClaimStatus::Approved | ClaimStatus::Paid)
    }
}

/// A plan as `GET /api/aid/plans` lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlanView {
    /// Plan id.
    pub id: i64,
    /// Name, e.g. `职工住院医疗互助`.
    pub name: String,
    /// Kind.
    pub kind: PlanKind,
    /// What it is for, in a sentence or two.
    pub summary: String,
    /// The yearly (per term) contribution.
    pub contribution_fen: i64,
    /// Who pays it.
    pub payer: Payer,
    /// The workplace's share when split, basis points.
    pub workplace_share_bp: i64,
    /// What the member pays.
    pub member_pays_fen: i64,
    /// Term length.
    pub term_months: i64,
    /// First day of the term.
    pub starts_on: String,
    /// Last day of the term.
    pub ends_on: String,
    /// Enrolment window: first day.
    pub window_from: String,
    /// Enrolment window: last day.
    pub window_to: String,
    /// Waiting period after cover starts.
    pub waiting_days: i64,
    /// Days after leaving hospital to claim.
    pub claim_deadline_days: i64,
    /// Who may enrol.
    pub eligibility: PlanEligibility,
    /// How it pays.
    pub rule: PayoutRule,
    /// The most it pays over a cover year.
    pub yearly_cap_fen: Option<i64>,
    /// For a signed-in member: whether they may enrol and why not.
    pub you: Option<PlanForYou>,
    /// Open to enrolment, or closed to new enrolments.
    #[serde(default)]
    pub status: PlanStatus,
}

/// Whether a plan takes new enrolments. Closing a plan ends only its
/// enrolment: cover already bought runs to its end and claims on it go on.
/// An officer may close a plan and open it again.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PlanStatus {
    /// Members may enrol (within its window).
    #[default]
    Active,
    /// Closed to new enrolments.
    Closed,
}

impl PlanStatus {
    /// Every status.
    pub const ALL: [PlanStatus; 2] = [PlanStatus::Active, PlanStatus::Closed];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            PlanStatus::Active => "active",
            PlanStatus::Closed => "closed",
        }
    }

    /// Parses the stored name.
    pub fn from_db(s: &str) -> Option<PlanStatus> {
        PlanStatus::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// The other one: what the desk's close / open-again button sets.
    pub fn toggled(self) -> PlanStatus {
        match self {
            PlanStatus::Active => PlanStatus::Closed,
            PlanStatus::Closed => PlanStatus::Active,
        }
    }
}

crate::offers::stored_name!(PlanStatus);

#[cfg(test)]
mod plan_status_tests {
    use super::*;
    use crate::offers::status_checks::assert_stored_names;

    #[test]
    fn a_plan_closes_and_opens_again_under_its_stored_names() {
        assert_stored_names(
            &PlanStatus::ALL,
            PlanStatus::as_str,
            PlanStatus::from_db,
            "ended",
        );
        for s in PlanStatus::ALL {
            assert_ne!(s.toggled(), s);
            assert_eq!(s.toggled().toggled(), s);
        }
        // A view written before plans could close reads as open.
        assert_eq!(PlanStatus::default(), PlanStatus::Active);
    }
}

/// A plan from the signed-in member's side.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlanForYou {
    /// Whether they may enrol now.
    pub can_enrol: bool,
    /// Why not, each a code and a sentence.
    pub reasons: Vec<Reason>,
    /// Their enrolment in this plan's term, if any.
    pub enrolment_id: Option<i64>,
}

/// A refusal's code and sentence.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Reason {
    /// Stable code, e.g. `gender`.
    pub code: String,
    /// Plain words.
    pub message: String,
}

/// `POST /api/aid/estimate`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EstimateRequest {
    /// The plan.
    pub plan_id: i64,
    /// The bill.
    #[serde(flatten)]
    pub bill: Bill,
}

/// `POST /api/aid/enrolments`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EnrolRequest {
    /// The plan.
    pub plan_id: i64,
}

/// An enrolment: the certificate and "my cover" in one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EnrolmentView {
    /// Enrolment id.
    pub id: i64,
    /// Certificate number, e.g. `HZ2026-00000017`.
    pub certificate_no: String,
    /// The plan.
    pub plan_id: i64,
    /// Its name.
    pub plan_name: String,
    /// Its kind.
    pub plan_kind: PlanKind,
    /// The member's masked name.
    pub member_name: String,
    /// The member's masked ID number.
    pub id_number_masked: String,
    /// First day covered.
    pub cover_from: String,
    /// Last day covered.
    pub cover_to: String,
    /// First day an illness is covered.
    pub waiting_ends_on: String,
    /// When they enrolled (RFC 3339).
    pub enrolled_at: String,
    /// What the member pays.
    pub member_pays_fen: i64,
    /// The yearly cap.
    pub yearly_cap_fen: Option<i64>,
    /// Approved so far.
    pub used_fen: i64,
    /// What is left of the cap.
    pub left_fen: Option<i64>,
    /// Whether the contribution has reached the plan.
    pub contribution: Contribution,
    /// The day the workplace union recorded it paid.
    pub contribution_paid_on: Option<String>,
    /// Claims so far, newest first.
    pub claims: Vec<ClaimSummary>,
}

/// Where an enrolment's contribution stands. Members do not pay on the
/// phone: the workplace union collects the members' parts (and adds its
/// own share), pays the plan, and records it; until then it is due.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Contribution {
    /// Not yet paid to the plan.
    #[default]
    Due,
    /// Paid; the day is on the enrolment.
    Paid,
}

impl Contribution {
    /// Every status.
    pub const ALL: [Contribution; 2] = [Contribution::Due, Contribution::Paid];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Contribution::Due => "due",
            Contribution::Paid => "paid",
        }
    }

    /// Parses the stored name.
    pub fn from_db(s: &str) -> Option<Contribution> {
        Contribution::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

crate::offers::stored_name!(Contribution);

/// One workplace union's members in one plan whose contributions are due:
/// what the union collects and pays in one transfer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContributionGroup {
    /// The plan.
    pub plan_id: i64,
    /// Its name.
    pub plan_name: String,
    /// The workplace (or other) union the members belong to.
    pub union_id: i64,
    /// Its name.
    pub union_name: String,
    /// The whole contribution of one member (member's and workplace's parts).
    pub contribution_fen: i64,
    /// The member's part of it.
    pub member_pays_fen: i64,
    /// Members whose contribution is due.
    pub due_count: i64,
    /// The newest of those enrolments: recording covers it and the older
    /// ones, never one that arrived after the officer looked.
    pub through_id: i64,
}

impl ContributionGroup {
    /// What the union pays for all of them.
    pub fn due_fen(&self) -> i64 {
        self.due_count.saturating_mul(self.contribution_fen)
    }

    /// Of that, what the members pay.
    pub fn members_fen(&self) -> i64 {
        self.due_count.saturating_mul(self.member_pays_fen)
    }

    /// The request that records this group paid, as the officer saw it.
    pub fn record(&self) -> RecordContributions {
        RecordContributions {
            plan_id: self.plan_id,
            union_id: self.union_id,
            through_id: self.through_id,
            count: self.due_count,
            total_fen: self.due_fen(),
        }
    }
}

/// Records one group's contributions paid. The count and total are what the
/// officer confirmed; the server changes nothing unless exactly that many
/// enrolments, at that total, are still due.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecordContributions {
    /// The plan.
    pub plan_id: i64,
    /// The union.
    pub union_id: i64,
    /// The newest enrolment the officer saw.
    pub through_id: i64,
    /// How many members.
    pub count: i64,
    /// The sum received.
    pub total_fen: i64,
}

impl RecordContributions {
    /// The most members one transfer may cover (a large workplace union).
    pub const MAX_COUNT: i64 = 100_000;

    /// Checks the request against the plan's contribution per member.
    pub fn check(&self, contribution_fen: i64) -> Result<(), AidRefusal> {
        if self.count <= 0 || self.count > Self::MAX_COUNT {
            Err(AidRefusal::ContributionCount)
        } else if self.count.checked_mul(contribution_fen) != Some(self.total_fen) {
            Err(AidRefusal::ContributionTotal)
        } else {
            Ok(())
        }
    }
}

#[cfg(test)]
mod contribution_tests {
    use super::*;
    use crate::offers::status_checks::assert_stored_names;

    fn group() -> ContributionGroup {
        ContributionGroup {
            plan_id: 1,
            plan_name: "职工住院医疗互助".into(),
            union_id: 7,
            union_name: "武汉钢铁工会".into(),
            contribution_fen: 9_000,
            member_pays_fen: 2_700,
            due_count: 12,
            through_id: 4_711,
        }
    }

    #[test]
    fn a_group_is_recorded_at_what_its_members_owe() {
        let g = group();
        assert_eq!(g.due_fen(), 108_000);
        assert_eq!(g.members_fen(), 32_400);
        let r = g.record();
        assert_eq!((r.count, r.total_fen, r.through_id), (12, 108_000, 4_711));
        assert_eq!(r.check(9_000), Ok(()));
    }

    #[test]
    fn a_sum_or_count_that_does_not_add_up_is_refused() {
        let r = group().record();
        let short = RecordContributions {
            total_fen: 107_999,
            ..r.clone()
        };
        assert_eq!(short.check(9_000), Err(AidRefusal::ContributionTotal));
        // The plan's contribution is the server's, not the request's.
        assert_eq!(r.check(6_000), Err(AidRefusal::ContributionTotal));
        for count in [0, -3, RecordContributions::MAX_COUNT + 1] {
            let bad = RecordContributions { count, ..r.clone() };
            assert_eq!(bad.check(9_000), Err(AidRefusal::ContributionCount));
        }
        // No overflow into a plausible sum.
        let huge = RecordContributions {
            count: 3,
            total_fen: i64::MAX,
            ..r
        };
        assert_eq!(huge.check(i64::MAX / 2), Err(AidRefusal::ContributionTotal));
    }

    #[test]
    fn a_contribution_is_due_until_recorded_paid() {
        assert_stored_names(
            &Contribution::ALL,
            Contribution::as_str,
            Contribution::from_db,
            "pending",
        );
        assert_eq!(Contribution::default(), Contribution::Due);
    }
}

/// What was recorded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContributionsRecorded {
    /// Members now paid.
    pub count: i64,
    /// The sum.
    pub total_fen: i64,
    /// The day recorded.
    pub paid_on: String,
}

/// A claim in a list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClaimSummary {
    /// Claim id.
    pub id: i64,
    /// Where it stands.
    pub status: ClaimStatus,
    /// Hospital (or where diagnosed).
    pub hospital_name: String,
    /// Admission (or diagnosis) date.
    pub admitted_on: String,
    /// The estimate when filed, or the approved amount once approved.
    pub payout_fen: i64,
}

/// `POST /api/aid/claims` and `PUT /api/aid/claims/{id}` (a draft).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClaimInput {
    /// The cover claimed on.
    pub enrolment_id: i64,
    /// Admission date (or date of diagnosis).
    pub admitted_on: String,
    /// Discharge date (the diagnosis date again for a diagnosis).
    pub discharged_on: String,
    /// The hospital.
    pub hospital_name: String,
    /// The bill.
    #[serde(flatten)]
    pub bill: Bill,
    /// Save as a draft to finish later instead of sending it now.
    #[serde(default)]
    pub draft: bool,
}

/// Checked claim fields.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClaimFields {
    /// Admission.
    pub admitted_on: Date,
    /// Discharge.
    pub discharged_on: Date,
    /// Hospital, trimmed.
    pub hospital_name: String,
}

impl ClaimInput {
    /// Checks the dates, hospital and bill, collecting every problem.
    pub fn check(&self, rule: &PayoutRule) -> Result<ClaimFields, FieldProblems> {
        let mut p = FieldProblems::default();
        let date = |s: &str| Date::parse_iso(s).ok_or(FieldProblem::DateFormat);
        let admitted = p.check("admitted_on", date(&self.admitted_on));
        let discharged = p.check("discharged_on", date(&self.discharged_on));
        if let (Some(a), Some(d)) = (admitted, discharged) {
            if d < a {
                p.0.push(("discharged_on", FieldProblem::EndBeforeStart));
            }
        }
        let hospital = self.hospital_name.trim();
        if hospital.is_empty() {
            p.0.push(("hospital_name", FieldProblem::Required));
        } else if hospital.chars().count() > 60 {
            p.0.push(("hospital_name", FieldProblem::TooLong));
        }
        if let Err(bill) = self.bill.check(rule) {
            p.0.extend(bill.0);
        }
        match (admitted, discharged) {
            (Some(admitted_on), Some(discharged_on)) if p.is_empty() => Ok(ClaimFields {
                admitted_on,
                discharged_on,
                hospital_name: hospital.to_string(),
            }),
            _ => Err(p),
        }
    }
}

/// One entry of a claim's timeline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClaimEvent {
    /// The status it moved to.
    pub status: ClaimStatus,
    /// When (RFC 3339).
    pub at: String,
    /// The officer's note or reason.
    pub note: Option<String>,
    /// The amount approved, on approval.
    pub amount_fen: Option<i64>,
}

/// A document attached to a claim.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DocumentView {
    /// Document id.
    pub id: i64,
    /// `image/jpeg`, `image/png` or `application/pdf`.
    pub mime: String,
    /// Size in bytes.
    pub bytes: i64,
    /// Uploaded (RFC 3339).
    pub uploaded_at: String,
    /// Where to fetch it (only its member and officers over it may).
    pub url: String,
}

/// A claim with its timeline, as its member or an officer sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClaimView {
    /// Claim id.
    pub id: i64,
    /// The cover.
    pub enrolment_id: i64,
    /// The plan's name.
    pub plan_name: String,
    /// The plan's kind.
    pub plan_kind: PlanKind,
    /// Where it stands.
    pub status: ClaimStatus,
    /// Admission (or diagnosis) date.
    pub admitted_on: String,
    /// Discharge date.
    pub discharged_on: String,
    /// Hospital.
    pub hospital_name: String,
    /// The bill as filed (`stay_number` as counted by the server).
    pub bill: Bill,
    /// The payout the plan's rules give now, step by step.
    pub estimate: Estimate,
    /// The estimate, or the amount approved once approved.
    pub payout_fen: i64,
    /// The amount approved.
    pub approved_fen: Option<i64>,
    /// The last day to file it.
    pub deadline: String,
    /// Documents.
    pub documents: Vec<DocumentView>,
    /// What happened, oldest first.
    pub timeline: Vec<ClaimEvent>,
    /// For officers: the member's name and union.
    pub member: Option<ClaimMember>,
    /// How its payment through a batch stands (`None` when no batch pays
    /// it: not approved yet, or marked paid by hand).
    #[serde(default)]
    pub payment: Option<crate::payments::LineStatus>,
}

/// Who filed a claim (officers only).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClaimMember {
    /// Name.
    pub name: String,
    /// Masked ID number.
    pub id_number_masked: String,
    /// Their workplace union.
    pub union_name: String,
    /// What is left of the cap before this claim.
    pub cap_left_fen: Option<i64>,
}

impl crate::case_file::CaseStatus for ClaimStatus {
    const DRAFT: Self = ClaimStatus::Draft;

    fn all() -> &'static [Self] {
        &ClaimStatus::ALL
    }

    fn as_str(self) -> &'static str {
        ClaimStatus::as_str(self)
    }

    fn label(self, lang: Lang) -> &'static str {
        ClaimStatus::label(self, lang)
    }

    fn may_move(self, to: Self) -> bool {
        ClaimStatus::decided_from(to).contains(&self)
    }

    fn takes_documents(self) -> bool {
        ClaimStatus::takes_documents(self)
    }

    fn member_may_edit(self) -> bool {
        ClaimStatus::member_may_edit(self)
    }

    fn action(self) -> crate::audit::AuditAction {
        use crate::audit::AuditAction;
        match self {
            ClaimStatus::Draft => AuditAction::AidClaimDraft,
            ClaimStatus::Submitted => AuditAction::AidClaimSubmit,
            ClaimStatus::UnderReview => AuditAction::AidClaimReview,
            ClaimStatus::Approved => AuditAction::AidClaimApprove,
            ClaimStatus::Rejected => AuditAction::AidClaimReject,
            ClaimStatus::DocumentsRequested => AuditAction::AidClaimRequestDocuments,
            ClaimStatus::Paid => AuditAction::AidClaimPaid,
        }
    }
}

/// Why a step on a claim (the member's or an officer's) was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AidRefusal {
    /// The member already holds this plan's term.
    AlreadyEnrolled,
    /// Five unsent drafts already.
    TooManyDrafts,
    /// The member edits a claim already sent.
    ClaimNotEditable,
    /// An officer decides a claim that was decided meanwhile.
    AlreadyDecided,
    /// An officer opens a claim that is not waiting for review.
    NotWaiting,
    /// An officer's note over 500 characters.
    NoteTooLong,
    /// Approval while the member's documents are awaited.
    AwaitingDocuments,
    /// An amount beyond any plausible payout.
    AmountTooLarge,
    /// An amount below zero.
    NegativeAmount,
    /// More than is left of the yearly cap.
    OverYearlyCap,
    /// A decision other than approve, reject or request_documents.
    BadDecision,
    /// Marking paid a claim that is not approved.
    NotApproved,
    /// A document added to a claim already decided.
    ClaimDecided,
    /// Contributions recorded for no members, or more than one transfer covers.
    ContributionCount,
    /// A contributions sum that is not the members times the contribution.
    ContributionTotal,
    /// Some of the contributions were recorded (or members joined) since
    /// the list was read.
    ContributionsChanged,
}

impl crate::error::Refused for AidRefusal {
    fn code(&self) -> &'static str {
        match self {
            AidRefusal::AlreadyEnrolled => "already_enrolled",
            AidRefusal::TooManyDrafts => "too_many_drafts",
            AidRefusal::ClaimNotEditable => "claim_not_editable",
            AidRefusal::AlreadyDecided => "already_decided",
            AidRefusal::NotWaiting => "not_waiting",
            AidRefusal::NoteTooLong => "note_too_long",
            AidRefusal::AwaitingDocuments => "awaiting_documents",
            AidRefusal::AmountTooLarge => "amount_too_large",
            AidRefusal::NegativeAmount => "bad_amount",
            AidRefusal::OverYearlyCap => "over_yearly_cap",
            AidRefusal::BadDecision => "bad_decision",
            AidRefusal::NotApproved => "not_approved",
            AidRefusal::ClaimDecided => "claim_decided",
            AidRefusal::ContributionCount => "contribution_count",
            AidRefusal::ContributionTotal => "contribution_total",
            AidRefusal::ContributionsChanged => "contributions_changed",
        }
    }

    fn refusal(&self) -> crate::error::Refusal {
        use crate::error::Refusal;
        match self {
            AidRefusal::AlreadyEnrolled
            | AidRefusal::ClaimNotEditable
            | AidRefusal::AlreadyDecided
            | AidRefusal::NotWaiting
            | AidRefusal::AwaitingDocuments
            | AidRefusal::NotApproved
            | AidRefusal::ClaimDecided
            | AidRefusal::ContributionsChanged => Refusal::Conflict,
            _ => Refusal::Unprocessable,
        }
    }

    fn message(&self, lang: Lang) -> String {
        match self {
            AidRefusal::AlreadyEnrolled => lang.pick(
                "您已参加本期计划",
                "You are already enrolled in this plan's term",
            ),
            AidRefusal::TooManyDrafts => lang.pick(
                "未提交的草稿已有 5 份，请先把已有的草稿填完提交",
                "You have 5 unsent drafts; finish and send one first",
            ),
            AidRefusal::ClaimNotEditable => lang.pick(
                "申请已提交，不能再修改",
                "This claim has been sent and can no longer be changed",
            ),
            AidRefusal::AlreadyDecided => {
                lang.pick("该申请已经处理过了", "This claim has already been decided")
            }
            AidRefusal::NotWaiting => lang.pick(
                "该申请不在待审核状态",
                "This claim is not waiting for review",
            ),
            AidRefusal::NoteTooLong => lang.pick("备注太长", "The note is too long"),
            AidRefusal::AwaitingDocuments => lang.pick(
                "正在等待会员补充材料，收到材料后才能核准",
                "Waiting for the member's documents; approve once they are sent",
            ),
            AidRefusal::AmountTooLarge => {
                lang.pick("金额超出上限", "The amount is above the limit")
            }
            AidRefusal::NegativeAmount => {
                lang.pick("金额不能小于 0", "The amount cannot be below zero")
            }
            AidRefusal::OverYearlyCap => lang.pick(
                "超过年度封顶剩余额度",
                "More than is left of the yearly cap",
            ),
            AidRefusal::BadDecision => lang.pick(
                "请选择核准、不予通过或补充材料",
                "Choose approve, reject or request_documents",
            ),
            AidRefusal::ContributionCount => {
                lang.pick("人数不对", "The number of members is wrong")
            }
            AidRefusal::ContributionTotal => lang.pick(
                "金额应为人数乘以每人缴费额",
                "The sum must be the members times the contribution",
            ),
            AidRefusal::ContributionsChanged => lang.pick(
                "名单已有变化（可能已有人登记过），请刷新后核对",
                "The list has changed (someone may have recorded it); refresh and check",
            ),
            AidRefusal::ClaimDecided => lang.pick(
                "申请已审结，不能再添加材料",
                "This claim is decided; documents can no longer be added",
            ),
            AidRefusal::NotApproved => lang.pick(
                "只有已核准的申请才能登记打款",
                "Only an approved claim can be marked paid",
            ),
        }
        .to_string()
    }

    fn field(&self, lang: Lang) -> Option<(&'static str, String)> {
        let (field, zh, en) = match self {
            AidRefusal::NoteTooLong => ("note", "最多 500 字", "At most 500 characters"),
            AidRefusal::AmountTooLarge => ("amount_fen", "金额过大", "Amount too large"),
            AidRefusal::NegativeAmount => ("amount_fen", "不能小于 0", "Cannot be below zero"),
            AidRefusal::OverYearlyCap => (
                "amount_fen",
                "超过年度封顶剩余额度",
                "More than is left of the yearly cap",
            ),
            AidRefusal::BadDecision => ("decision", "请选择一项", "Choose one"),
            _ => return None,
        };
        Some((field, lang.pick(zh, en).to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_default_bill_is_what_an_empty_body_means() {
        let parsed: Bill = serde_json::from_str("{}").unwrap();
        assert_eq!(parsed, Bill::default());
        assert_eq!(Bill::default().stay_number, 1);
    }

    #[test]
    fn a_claim_awaiting_documents_cannot_be_approved() {
        let from = ClaimStatus::decided_from(ClaimStatus::Approved);
        assert!(!from.contains(&ClaimStatus::DocumentsRequested));
        assert!(from.contains(&ClaimStatus::UnderReview));
        assert!(ClaimStatus::decided_from(ClaimStatus::Rejected)
            .contains(&ClaimStatus::DocumentsRequested));
        assert_eq!(
            ClaimStatus::sql_list(ClaimStatus::decided_from(ClaimStatus::Approved)),
            "('submitted', 'under_review')"
        );
    }

    fn hospital_plan() -> PayoutRule {
        PayoutRule::SelfPayShare {
            deductible_fen: 50_000,
            stays: vec![
                StayTier {
                    share_bp: 7_000,
                    cap_fen: Some(2_000_000),
                },
                StayTier {
                    share_bp: 4_000,
                    cap_fen: Some(1_000_000),
                },
            ],
        }
    }

    fn cap(total: i64, used: i64) -> CapUse {
        CapUse {
            yearly_cap_fen: Some(total),
            used_fen: used,
        }
    }

    fn bill(self_pay_fen: i64, stay_number: i64) -> Bill {
        Bill {
            stay_number,
            total_cost_fen: self_pay_fen * 3,
            insurance_paid_fen: self_pay_fen * 2,
            self_pay_fen,
            ..Bill::default()
        }
    }

    fn labels(e: &Estimate) -> Vec<(&str, i64)> {
        e.steps
            .iter()
            .map(|s| (s.label.as_str(), s.amount_fen))
            .collect()
    }

    #[test]
    fn first_stay_pays_seventy_percent_above_the_deductible() {
        let e = estimate(
            &hospital_plan(),
            cap(3_000_000, 0),
            &bill(850_000, 1),
            Lang::Zh,
        );
        assert_eq!(e.payout_fen, 560_000);
        assert_eq!(
            labels(&e),
            vec![
                ("自付部分 ¥8,500.00 − 起付线 ¥500.00", 800_000),
                ("¥8,000.00 × 70%（本年度第 1 次住院）", 560_000),
                ("预计互助金", 560_000),
            ]
        );
    }

    #[test]
    fn a_second_stay_pays_the_second_share_and_its_own_cap() {
        let e = estimate(
            &hospital_plan(),
            cap(3_000_000, 0),
            &bill(850_000, 2),
            Lang::En,
        );
        assert_eq!(e.payout_fen, 320_000);
        assert_eq!(e.steps[1].label, "¥8,000.00 × 40% (stay 2 this year)");
        // A third stay uses the last tier; a big bill stops at its cap.
        let e = estimate(
            &hospital_plan(),
            cap(3_000_000, 0),
            &bill(5_050_000, 3),
            Lang::Zh,
        );
        assert_eq!(e.steps[1].amount_fen, 2_000_000);
        assert_eq!(
            e.steps[2],
            Step {
                label: "第 3 次住院最多 ¥10,000.00".into(),
                amount_fen: 1_000_000
            }
        );
        assert_eq!(e.payout_fen, 1_000_000);
    }

    #[test]
    fn the_yearly_cap_limits_what_is_left() {
        let e = estimate(
            &hospital_plan(),
            cap(3_000_000, 2_700_000),
            &bill(850_000, 2),
            Lang::Zh,
        );
        assert_eq!(e.payout_fen, 300_000);
        assert_eq!(
            e.steps[2].label,
            "年度封顶 ¥30,000.00，已赔付 ¥27,000.00，剩余 ¥3,000.00"
        );
        let spent = estimate(
            &hospital_plan(),
            cap(3_000_000, 3_000_000),
            &bill(850_000, 1),
            Lang::Zh,
        );
        assert_eq!(spent.payout_fen, 0);
    }

    #[test]
    fn a_bill_under_the_deductible_pays_nothing() {
        let e = estimate(
            &hospital_plan(),
            CapUse::default(),
            &bill(40_000, 1),
            Lang::Zh,
        );
        assert_eq!(e.payout_fen, 0);
    }

    #[test]
    fn flat_sums_by_hospital_grade() {
        let rule = PayoutRule::FlatByGrade {
            primary_fen: 16_000,
            secondary_fen: 22_000,
            tertiary_fen: 30_000,
        };
        let mut b = Bill {
            hospital_grade: Some(HospitalGrade::Tertiary),
            stay_number: 1,
            ..Bill::default()
        };
        let e = estimate(&rule, cap(150_000, 0), &b, Lang::Zh);
        assert_eq!(labels(&e)[0], ("三级医院住院定额", 30_000));
        assert_eq!(e.payout_fen, 30_000);
        b.hospital_grade = None;
        let problems = b.check(&rule).unwrap_err();
        assert_eq!(
            problems.0,
            vec![("hospital_grade", FieldProblem::ChooseOne)]
        );
    }

    fn allowance() -> PayoutRule {
        PayoutRule::DailyAllowance {
            per_day_fen: 6_000,
            groups: vec![DiseaseGroup {
                code: "cancer".into(),
                name_zh: "恶性肿瘤".into(),
                name_en: "Cancer".into(),
                amount_fen: 12_000,
            }],
            max_days: 90,
            per_claim_cap_fen: None,
        }
    }

    #[test]
    fn a_daily_allowance_counts_at_most_ninety_days_and_the_yearly_cap() {
        let b = Bill {
            hospital_days: 12,
            stay_number: 1,
            ..Bill::default()
        };
        let e = estimate(&allowance(), cap(1_080_000, 0), &b, Lang::Zh);
        assert_eq!(labels(&e)[0], ("12 天 × ¥60.00/天", 72_000));
        let long = Bill {
            hospital_days: 120,
            disease_group: Some("cancer".into()),
            ..b.clone()
        };
        let e = estimate(&allowance(), cap(1_080_000, 0), &long, Lang::Zh);
        assert_eq!(
            labels(&e)[0],
            (
                "90 天（住院 120 天，每次最多计 90 天） × ¥120.00/天（恶性肿瘤）",
                1_080_000
            )
        );
        assert_eq!(e.payout_fen, 1_080_000);
        let e = estimate(&allowance(), cap(1_080_000, 500_000), &long, Lang::Zh);
        assert_eq!(e.payout_fen, 580_000);
    }

    #[test]
    fn fixed_sums_by_disease_group() {
        let groups = [(1, 600_000), (2, 300_000), (3, 200_000), (4, 100_000)]
            .into_iter()
            .map(|(n, fen)| DiseaseGroup {
                code: format!("group{n}"),
                name_zh: format!("第{n}组"),
                name_en: format!("Group {n}"),
                amount_fen: fen,
            })
            .collect();
        let rule = PayoutRule::FixedByGroup { groups };
        let b = Bill {
            disease_group: Some("group2".into()),
            stay_number: 1,
            ..Bill::default()
        };
        assert!(b.check(&rule).is_ok());
        let e = estimate(&rule, CapUse::default(), &b, Lang::Zh);
        assert_eq!(
            labels(&e),
            vec![("第2组 定额", 300_000), ("预计互助金", 300_000)]
        );
        let unknown = Bill {
            disease_group: Some("group9".into()),
            ..b
        };
        assert!(unknown.check(&rule).is_err());
    }

    #[test]
    fn bills_are_checked_before_computing() {
        let b = Bill {
            stay_number: 1,
            total_cost_fen: 100_000,
            insurance_paid_fen: 60_000,
            self_pay_fen: 50_000,
            ..Bill::default()
        };
        assert_eq!(
            b.check(&hospital_plan()).unwrap_err().0,
            vec![("self_pay_fen", FieldProblem::PartsExceedTotal)]
        );
        let negative = Bill {
            self_pay_fen: -1,
            ..b
        };
        assert_eq!(
            negative.check(&hospital_plan()).unwrap_err().0,
            vec![("self_pay_fen", FieldProblem::Negative)]
        );
    }

    #[test]
    fn rules_describe_themselves() {
        assert_eq!(
            hospital_plan().describe(Lang::Zh),
            vec![
                "自付费用先扣除起付线 ¥500.00",
                "第 1 次住院给付 70%，最高 ¥20,000.00",
                "第 2 次及以后住院给付 40%，最高 ¥10,000.00"
            ]
        );
        assert_eq!(
            allowance().describe(Lang::En),
            vec![
                "¥60.00 a day in hospital",
                "Cancer: ¥120.00 a day",
                "At most 90 days a claim"
            ]
        );
    }

    #[test]
    fn shares_round_halves_to_the_member() {
        assert_eq!(share_of(1, 5_000), 1);
        assert_eq!(share_of(3, 3_333), 1);
        assert_eq!(share_of(800_000, 7_000), 560_000);
        assert_eq!(percent(7_000), "70%");
        assert_eq!(percent(6_250), "62.5%");
        assert_eq!(Payer::Split.member_part(9_000, 7_000), 2_700);
    }

    fn d(s: &str) -> Date {
        Date::parse_iso(s).unwrap()
    }

    #[test]
    fn claims_open_when_the_waiting_period_ends() {
        let cover = term().cover_for(Date::parse_iso("2026-01-10").unwrap());
        // Enrolled after the term began: cover from the next day, and
        // claims from the end of the waiting period counted from there.
        assert_eq!(cover.claims_open_on(), cover.waiting_ends_on);
        assert!(cover.claims_open_on() > cover.from);
        let no_wait = Cover {
            waiting_ends_on: cover.from,
            ..cover
        };
        assert_eq!(no_wait.claims_open_on(), cover.from);
    }

    fn term() -> PlanDates {
        PlanDates {
            starts_on: d("2026-01-01"),
            ends_on: d("2026-12-31"),
            window_from: d("2025-12-01"),
            window_to: d("2026-12-15"),
            waiting_days: 90,
            claim_deadline_days: 60,
        }
    }

    #[test]
    fn cover_starts_with_the_term_or_the_day_after_enrolling() {
        let early = term().cover_for(d("2025-12-10"));
        assert_eq!(early.from, d("2026-01-01"));
        assert_eq!(early.waiting_ends_on, d("2026-04-01"));
        let late = term().cover_for(d("2026-11-24"));
        assert_eq!(late.from, d("2026-11-25"));
        assert_eq!(late.to, d("2026-12-31"));
    }

    #[test]
    fn claims_inside_cover_after_waiting_and_before_the_deadline() {
        let cover = term().cover_for(d("2025-12-10"));
        let ok = check_claim_dates(cover, d("2026-05-01"), d("2026-05-10"), 60, d("2026-06-01"));
        assert_eq!(ok, Ok(()));
        let waiting =
            check_claim_dates(cover, d("2026-03-01"), d("2026-03-05"), 60, d("2026-03-10"));
        assert_eq!(waiting, Err(DateRefusal::WaitingPeriod(d("2026-04-01"))));
        assert_eq!(
            waiting.unwrap_err().message(Lang::Zh),
            "入院日期在等待期内，2026年4月1日起入院才能申请"
        );
        let outside =
            check_claim_dates(cover, d("2027-01-02"), d("2027-01-05"), 60, d("2027-01-06"));
        assert_eq!(outside.unwrap_err().code(), "outside_cover");
        let late = check_claim_dates(cover, d("2026-05-01"), d("2026-05-10"), 60, d("2026-07-10"));
        assert_eq!(late, Err(DateRefusal::PastDeadline(d("2026-07-09"))));
    }

    #[test]
    fn a_man_is_refused_the_womens_plan_with_a_reason() {
        let rules = PlanEligibility {
            gender: Some(Gender::Female),
            min_age: Some(16),
            max_age: Some(60),
            active_card: true,
        };
        let man = Applicant {
            gender: Gender::Male,
            birth_date: d("1988-03-15"),
            card_active: true,
        };
        let refusals = term().refusals(&rules, &man, d("2026-11-24"));
        assert_eq!(refusals, vec![Refusal::Gender(Gender::Female)]);
        assert_eq!(refusals[0].message(Lang::Zh), "本计划仅限女职工参加");
        let woman = Applicant {
            gender: Gender::Female,
            ..man
        };
        assert!(term().refusals(&rules, &woman, d("2026-11-24")).is_empty());
        let old = Applicant {
            birth_date: d("1960-01-01"),
            card_active: false,
            ..woman
        };
        assert_eq!(
            term().refusals(&rules, &old, d("2026-12-20")),
            vec![
                Refusal::TooOld(60),
                Refusal::CardNotActive,
                Refusal::WindowClosed(d("2026-12-15"))
            ]
        );
    }

    #[test]
    fn no_one_joins_a_term_on_its_last_day() {
        // The window runs past the term: on the term's last day the cover
        // would start the day after it ended.
        let open_late = PlanDates {
            window_to: d("2030-12-31"),
            ..term()
        };
        let rules = PlanEligibility {
            gender: None,
            min_age: None,
            max_age: None,
            active_card: false,
        };
        let who = Applicant {
            gender: Gender::Female,
            birth_date: d("1988-03-15"),
            card_active: true,
        };
        assert!(open_late.refusals(&rules, &who, d("2026-12-30")).is_empty());
        let last_day = open_late.refusals(&rules, &who, d("2026-12-31"));
        assert_eq!(last_day, vec![Refusal::TermOver(d("2026-12-31"))]);
        assert_eq!(last_day[0].code(), "term_over");
        assert_eq!(
            open_late.refusals(&rules, &who, d("2027-02-01")),
            vec![Refusal::TermOver(d("2026-12-31"))]
        );
    }
}

/// `POST /api/staff/aid/plans`: a new plan (one term of it).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlanInput {
    /// Name, e.g. `职工住院医疗互助`.
    pub name: String,
    /// Kind.
    pub kind: PlanKind,
    /// A sentence or two for members.
    #[serde(default)]
    pub summary: String,
    /// The name in English (optional: English readers see the Chinese
    /// one without it).
    #[serde(default)]
    pub name_en: String,
    /// The summary in English (optional).
    #[serde(default)]
    pub summary_en: String,
    /// The contribution per term.
    pub contribution_fen: i64,
    /// Who pays it.
    pub payer: Payer,
    /// The workplace's share when split, basis points.
    #[serde(default)]
    pub workplace_share_bp: i64,
    /// Term length in months.
    pub term_months: i64,
    /// First day of cover.
    pub starts_on: String,
    /// Enrolment window: first day.
    pub window_from: String,
    /// Enrolment window: last day.
    pub window_to: String,
    /// Waiting period in days.
    #[serde(default)]
    pub waiting_days: i64,
    /// Days after discharge (or diagnosis) to claim.
    pub claim_deadline_days: i64,
    /// Who may join.
    #[serde(default)]
    pub eligibility: PlanEligibility,
    /// How it pays.
    pub rule: PayoutRule,
    /// The most it pays in a cover year.
    #[serde(default)]
    pub yearly_cap_fen: Option<i64>,
}

impl PlanInput {
    /// Checks every field; the term's last day when they are all right.
    pub fn check(&self) -> Result<Date, FieldProblems> {
        let mut p = FieldProblems::default();
        let n = self.name.trim().chars().count();
        if n == 0 {
            p.0.push(("name", FieldProblem::Required));
        } else if n > 60 {
            p.0.push(("name", FieldProblem::TooLong));
        }
        if self.summary.chars().count() > 300 {
            p.0.push(("summary", FieldProblem::TooLong));
        }
        if self.name_en.trim().chars().count() > 120 {
            p.0.push(("name_en", FieldProblem::TooLong));
        }
        if self.summary_en.chars().count() > 600 {
            p.0.push(("summary_en", FieldProblem::TooLong));
        }
        if !(0..=10_000_000).contains(&self.contribution_fen) {
            p.0.push(("contribution_fen", FieldProblem::Negative));
        }
        if !(0..=10_000).contains(&self.workplace_share_bp) {
            p.0.push(("workplace_share_bp", FieldProblem::TooLarge));
        }
        if !(1..=60).contains(&self.term_months) {
            p.0.push(("term_months", FieldProblem::TooLarge));
        }
        let starts = Date::parse_iso(&self.starts_on);
        if starts.is_none() {
            p.0.push(("starts_on", FieldProblem::DateFormat));
        }
        let (from, to) = (
            Date::parse_iso(&self.window_from),
            Date::parse_iso(&self.window_to),
        );
        match (from, to) {
            (None, _) => p.0.push(("window_from", FieldProblem::DateFormat)),
            (_, None) => p.0.push(("window_to", FieldProblem::DateFormat)),
            (Some(a), Some(b)) if b < a => p.0.push(("window_to", FieldProblem::EndBeforeStart)),
            _ => {}
        }
        if !(0..=365).contains(&self.waiting_days) {
            p.0.push(("waiting_days", FieldProblem::TooLarge));
        }
        if !(1..=365).contains(&self.claim_deadline_days) {
            p.0.push(("claim_deadline_days", FieldProblem::TooLarge));
        }
        let e = &self.eligibility;
        let age_ok = |a: Option<i64>| a.is_none_or(|a| (16..=100).contains(&a));
        if !age_ok(e.min_age)
            || !age_ok(e.max_age)
            || matches!((e.min_age, e.max_age), (Some(a), Some(b)) if b < a)
        {
            p.0.push(("eligibility", FieldProblem::ChooseOne));
        }
        if !self.rule.is_sound() {
            p.0.push(("rule", FieldProblem::ChooseOne));
        }
        if self
            .yearly_cap_fen
            .is_some_and(|c| !(1..=MAX_FEN).contains(&c))
        {
            p.0.push(("yearly_cap_fen", FieldProblem::Negative));
        }
        match starts {
            Some(s) if p.is_empty() => Ok(s.add_months(self.term_months as u32).add_days(-1)),
            _ => Err(p),
        }
    }
}
