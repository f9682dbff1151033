//! The demo city's mutual medical aid: the four plan kinds with figures from
//! published plans (DOMAIN.md), 李娜 in the hospital-stay plan (cover through
//! today, waiting period over, no claims), and other members' enrolments and
//! claims in every status, each with a document the officers can open.

use std::path::Path;

use unioncard_api::aid::{
    self, Bill, CapUse, ClaimStatus, Cover, DiseaseGroup, HospitalGrade, Payer, PayoutRule,
    PlanEligibility, PlanInput, PlanKind, PlanView, StayTier,
};
use unioncard_api::identity::{Date, Gender};
use unioncard_api::Lang;

use super::{failed, Rng};
use crate::crypto::{random_token, Crypto};
use crate::store::aid::{self as store, Plans};
use crate::store::cases::{self, NewEvent};
use crate::store::seed::{self, PastClaim};
use crate::store::{documents, Conn};
use crate::time;

fn group(code: &str, zh: &str, en: &str, yuan: i64) -> DiseaseGroup {
    DiseaseGroup {
        code: code.into(),
        name_zh: zh.into(),
        name_en: en.into(),
        amount_fen: yuan * 100,
    }
}

/// One demo plan.
struct DemoPlan {
    name: &'static str,
    name_en: &'static str,
    kind: PlanKind,
    summary: &'static str,
    summary_en: &'static str,
    contribution_yuan: i64,
    payer: Payer,
    workplace_share_bp: i64,
    term_months: u32,
    waiting_days: i64,
    deadline_days: i64,
    eligibility: PlanEligibility,
    rule: PayoutRule,
    yearly_cap_yuan: Option<i64>,
}

fn plans() -> Vec<DemoPlan> {
    let active = PlanEligibility {
        active_card: true,
        ..PlanEligibility::default()
    };
    vec![
        DemoPlan {
            name: "职工住院医疗互助",
            name_en: "Workers' hospital-stay mutual aid",
            kind: PlanKind::HospitalStay,
            summary: "住院自付费用扣除起付线 500 元后，第一次住院按 70%、第二次及以后按 40% 给付，年度最高 3 万元。单位承担 70%，个人承担 30%。",
            summary_en: "After a 500-yuan deductible, pays 70% of the self-paid cost of the first stay and 40% of later stays, up to 30,000 yuan a year. The employer pays 70% of the contribution, the member 30%.",
            contribution_yuan: 90,
            payer: Payer::Split,
            workplace_share_bp: 7_000,
            term_months: 12,
            waiting_days: 90,
            deadline_days: 60,
            eligibility: PlanEligibility {
                max_age: Some(65),
                ..active.clone()
            },
            rule: PayoutRule::SelfPayShare {
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
            },
            yearly_cap_yuan: Some(30_000),
        },
        DemoPlan {
            name: "住院津贴互助",
            name_en: "Hospital daily allowance",
            kind: PlanKind::HospitalStay,
            summary: "住院期间每天补助 60 元，恶性肿瘤每天 120 元，每次最多 90 天，年度最高 10,800 元。",
            summary_en: "60 yuan a day in hospital (120 for cancer), at most 90 days a stay, up to 10,800 yuan a year.",
            contribution_yuan: 60,
            payer: Payer::Member,
            workplace_share_bp: 0,
            term_months: 12,
            waiting_days: 90,
            deadline_days: 60,
            eligibility: active.clone(),
            rule: PayoutRule::DailyAllowance {
                per_day_fen: 6_000,
                groups: vec![group("cancer", "恶性肿瘤", "Cancer", 120)],
                max_days: 90,
                per_claim_cap_fen: None,
            },
            yearly_cap_yuan: Some(10_800),
        },
        DemoPlan {
            name: "住院定额补助",
            name_en: "Flat sum per hospital stay",
            kind: PlanKind::HospitalStay,
            summary: "每次住院按医院等级定额补助：三级医院 300 元、二级医院 220 元、一级医院 160 元，年度最高 1,500 元。费用由单位工会承担。",
            summary_en: "A flat sum per stay by hospital grade: 300 yuan at a tertiary, 220 at a secondary, 160 at a primary hospital, up to 1,500 yuan a year. Paid for by the workplace union.",
            contribution_yuan: 30,
            payer: Payer::Workplace,
            workplace_share_bp: 10_000,
            term_months: 12,
            waiting_days: 30,
            deadline_days: 60,
            eligibility: active.clone(),
            rule: PayoutRule::FlatByGrade {
                primary_fen: 16_000,
                secondary_fen: 22_000,
                tertiary_fen: 30_000,
            },
            yearly_cap_yuan: Some(1_500),
        },
        DemoPlan {
            name: "女职工特殊疾病互助",
            name_en: "Women's special-disease mutual aid",
            kind: PlanKind::WomenSpecial,
            summary: "女职工首次确诊所列特殊疾病，按病种分组一次性给付 6,000 / 3,000 / 2,000 / 1,000 元。每人 25 元，保障两年。",
            summary_en: "On a first diagnosis of a listed disease, a one-off sum by group: 6,000 / 3,000 / 2,000 / 1,000 yuan. 25 yuan for two years of cover.",
            contribution_yuan: 25,
            payer: Payer::Member,
            workplace_share_bp: 0,
            term_months: 24,
            waiting_days: 180,
            deadline_days: 90,
            eligibility: PlanEligibility {
                gender: Some(Gender::Female),
                min_age: Some(16),
                max_age: Some(60),
                active_card: true,
            },
            rule: PayoutRule::FixedByGroup {
                groups: vec![
                    group("group1", "第一组：乳腺癌、宫颈癌", "Group 1: breast or cervical cancer", 6_000),
                    group("group2", "第二组：卵巢癌、子宫内膜癌", "Group 2: ovarian or endometrial cancer", 3_000),
                    group("group3", "第三组：输卵管癌、外阴癌、阴道癌", "Group 3: fallopian tube, vulvar or vaginal cancer", 2_000),
                    group("group4", "第四组：乳腺及宫颈原位癌", "Group 4: carcinoma in situ", 1_000),
                ],
            },
            yearly_cap_yuan: Some(6_000),
        },
        DemoPlan {
            name: "重大疾病互助",
            name_en: "Major-disease mutual aid",
            kind: PlanKind::MajorDisease,
            summary: "首次确诊恶性肿瘤、急性心肌梗死、脑中风后遗症等 25 种重大疾病，一次性给付 10,000 元。每人 100 元，保障三年。",
            summary_en: "10,000 yuan on a first diagnosis of one of 25 major diseases (cancer, heart attack, stroke after-effects and others). 100 yuan for three years of cover.",
            contribution_yuan: 100,
            payer: Payer::Member,
            workplace_share_bp: 0,
            term_months: 36,
            waiting_days: 180,
            deadline_days: 90,
            eligibility: PlanEligibility {
                max_age: Some(60),
                ..active.clone()
            },
            rule: PayoutRule::FixedByGroup {
                groups: vec![group(
                    "major",
                    "25 种重大疾病（恶性肿瘤、急性心肌梗死、脑中风后遗症等）",
                    "25 major diseases (cancer, heart attack, stroke sequelae…)",
                    10_000,
                )],
            },
            yearly_cap_yuan: Some(10_000),
        },
        DemoPlan {
            name: "职工意外伤害互助",
            name_en: "Accident mutual aid",
            kind: PlanKind::Accident,
            summary: "因意外伤害就医，自付费用扣除 100 元后按 80% 给付，每次最高 5,000 元，年度最高 10,000 元。没有等待期。",
            summary_en: "After a 100-yuan deductible, pays 80% of the self-paid cost of treating an injury, up to 5,000 yuan a time and 10,000 a year. No waiting period.",
            contribution_yuan: 20,
            payer: Payer::Member,
            workplace_share_bp: 0,
            term_months: 12,
            waiting_days: 0,
            deadline_days: 60,
            eligibility: active,
            rule: PayoutRule::SelfPayShare {
                deductible_fen: 10_000,
                stays: vec![StayTier {
                    share_bp: 8_000,
                    cap_fen: Some(500_000),
                }],
            },
            yearly_cap_yuan: Some(10_000),
        },
    ]
}

const HOSPITALS: [(&str, HospitalGrade); 8] = [
    (
        "华中科技大学同济医学院附属同济医院",
        HospitalGrade::Tertiary,
    ),
    ("武汉大学人民医院", HospitalGrade::Tertiary),
    ("武汉市中心医院", HospitalGrade::Tertiary),
    ("武汉市第一医院", HospitalGrade::Tertiary),
    ("湖北省中医院", HospitalGrade::Tertiary),
    ("武汉市第九医院", HospitalGrade::Secondary),
    ("武汉市汉口医院", HospitalGrade::Secondary),
    ("江岸区西马街社区卫生服务中心", HospitalGrade::Primary),
];

/// A past hospital stay drawn for a demo or bench claim in `status`: the
/// hospital, the stay and its bill, the estimate under `rule` and what was
/// approved. Open claims left hospital recently (inside the 60-day
/// deadline), decided ones early in the term starting `start`, after the
/// waiting period. Who claimed and when are the caller's to fill; the day
/// of discharge comes beside it.
fn past_stay(
    rng: &mut Rng,
    status: ClaimStatus,
    today: Date,
    start: Date,
    rule: &PayoutRule,
    cap: CapUse,
) -> (PastClaim<'static>, Date) {
    let (hospital, grade) = HOSPITALS[rng.below(HOSPITALS.len() as u64) as usize];
    let discharged = if status.is_open() || status == ClaimStatus::Draft {
        today.add_days(-(3 + rng.below(40) as i64))
    } else {
        start.add_days(100 + rng.below(60) as i64)
    };
    let days = 3 + rng.below(15) as i64;
    let total = (8_000 + rng.below(40_000) as i64) * 100;
    let self_pay = total * (25 + rng.below(20) as i64) / 100;
    let bill = Bill {
        hospital_grade: Some(grade),
        stay_number: 1,
        hospital_days: days,
        total_cost_fen: total,
        insurance_paid_fen: total - self_pay,
        self_pay_fen: self_pay,
        disease_group: None,
    };
    let estimate = aid::estimate(rule, cap, &bill, Lang::Zh).payout_fen;
    let claim = PastClaim {
        enrolment_id: 0,
        roster_id: 0,
        union_id: 0,
        status,
        admitted_on: discharged.add_days(-days).iso(),
        discharged_on: discharged.iso(),
        hospital_name: hospital,
        hospital_grade: grade.as_str(),
        hospital_days: days,
        total_cost_fen: total,
        insurance_paid_fen: total - self_pay,
        self_pay_fen: self_pay,
        estimate_fen: estimate,
        approved_fen: matches!(status, ClaimStatus::Approved | ClaimStatus::Paid)
            .then_some(estimate),
        created_at: 0,
        submitted_at: None,
        decided_by: None,
        decided_at: None,
    };
    (claim, discharged)
}

/// The first day of the month `days` ago: every demo term began about half
/// a year before the demo was loaded, so it runs through today.
fn term_start(today: Date) -> Date {
    let d = today.add_days(-200);
    Date::new(d.year, d.month, 1).expect("the first of a month exists")
}

/// Inserts the plans, 李娜's cover and the other members' enrolments and
/// claims. Returns nothing: everything is found again by query.
pub async fn insert(
    tx: &mut Conn,
    crypto: &Crypto,
    city_union: i64,
    uploads: &Path,
    now: i64,
) -> anyhow::Result<()> {
    let today = Date::from_days(time::china_day(now));
    let start = term_start(today);
    let demo = plans();
    // Opened as the city union's officer opens a plan, then read back as
    // members' enrolments see it.
    let mut plan_views = Vec::new();
    for p in &demo {
        let ends = start.add_months(p.term_months).add_days(-1);
        let input = PlanInput {
            name: p.name.into(),
            name_en: p.name_en.into(),
            kind: p.kind,
            summary: p.summary.into(),
            summary_en: p.summary_en.into(),
            contribution_fen: p.contribution_yuan * 100,
            payer: p.payer,
            workplace_share_bp: p.workplace_share_bp,
            term_months: i64::from(p.term_months),
            starts_on: start.iso(),
            window_from: start.add_days(-30).iso(),
            // Late enrolment stays open for the demo, so every screen can be tried.
            window_to: today.add_days(45).min(ends).iso(),
            waiting_days: p.waiting_days,
            claim_deadline_days: p.deadline_days,
            eligibility: p.eligibility.clone(),
            rule: p.rule.clone(),
            yearly_cap_fen: p.yearly_cap_yuan.map(|y| y * 100),
        };
        let id = store::create_plan(tx, city_union, &input, ends, now)
            .await
            .map_err(failed("aid plan"))?;
        let plan = store::plan(tx, id, Plans::All)
            .await
            .map_err(failed("aid plan"))?
            .ok_or_else(|| anyhow::anyhow!("aid plan {id} just written"))?;
        plan_views.push(plan.view);
    }

    // 李娜: the hospital-stay plan, enrolled before the term began.
    let li_na = seed::roster_place(tx, &crypto.lookup_hash("id", "420106199207082342")).await?;
    enrol(
        tx,
        &demo[0],
        &plan_views[0],
        li_na.id,
        li_na.union_id,
        start,
        today,
        now,
    )
    .await?;

    // Other members: a few hundred with active cards, some with claims.
    let last_named = seed::last_named_member(tx).await?;
    let rows = seed::aid_members(tx, last_named).await?;
    let officer = seed::first_officer(tx).await?;
    // Every past claim's estimate is made against the whole yearly cap.
    let claim_cap = CapUse {
        yearly_cap_fen: demo[0].yearly_cap_yuan.map(|y| y * 100),
        used_fen: 0,
    };
    let mut rng = Rng::new(5_060_789);
    // Claims in every status, oldest decided first.
    let statuses = [
        ClaimStatus::Paid,
        ClaimStatus::Paid,
        ClaimStatus::Rejected,
        ClaimStatus::Approved,
        ClaimStatus::DocumentsRequested,
        ClaimStatus::UnderReview,
        ClaimStatus::Submitted,
        ClaimStatus::Submitted,
        ClaimStatus::Draft,
    ];
    let mut claims = 0usize;
    for (i, r) in rows.iter().enumerate() {
        let roster_id = r.id;
        let union_id = r.union_id;
        let female = r.gender == "female";
        // Everyone here holds the hospital-stay plan; some more.
        let main = enrol(
            tx,
            &demo[0],
            &plan_views[0],
            roster_id,
            union_id,
            start,
            today,
            now,
        )
        .await?;
        if i % 3 == 0 {
            enrol(
                tx,
                &demo[1],
                &plan_views[1],
                roster_id,
                union_id,
                start,
                today,
                now,
            )
            .await?;
        }
        if female && i % 2 == 0 {
            enrol(
                tx,
                &demo[3],
                &plan_views[3],
                roster_id,
                union_id,
                start,
                today,
                now,
            )
            .await?;
        }
        if i % 5 == 0 {
            enrol(
                tx,
                &demo[5],
                &plan_views[5],
                roster_id,
                union_id,
                start,
                today,
                now,
            )
            .await?;
        }
        // Every fourth member has claimed on the hospital-stay plan.
        if i % 4 != 1 {
            continue;
        }
        let status = statuses[claims % statuses.len()];
        claims += 1;
        let (stay, _) = past_stay(&mut rng, status, today, start, &demo[0].rule, claim_cap);
        let approved = stay.approved_fen;
        let created = now - 86_400 * (1 + rng.below(20) as i64);
        let claim_id = seed::insert_claim(
            tx,
            &PastClaim {
                enrolment_id: main,
                roster_id,
                union_id,
                created_at: created,
                submitted_at: (status != ClaimStatus::Draft).then_some(created),
                decided_by: approved.and(officer),
                decided_at: approved.map(|_| created + 86_400),
                ..stay
            },
        )
        .await?;
        if let Some(amount) = approved {
            // As an approval takes it: the estimate was made against the
            // whole yearly cap, so it always fits.
            let fits = store::take_from_cap(tx, main, amount)
                .await
                .map_err(failed("yearly cap"))?;
            anyhow::ensure!(fits, "claim {claim_id} exceeds its yearly cap");
        }
        timeline(tx, claim_id, status, created, officer, approved).await?;
        document(tx, uploads, claim_id, created).await?;
    }
    // Paid by the workplace unions before the term, but a few still due.
    seed::pay_contributions(tx, &start.add_days(-5).iso(), li_na.id).await?;
    Ok(())
}

/// Enrols a roster entry on the term's first day (or before it), as a
/// member enrols.
#[allow(clippy::too_many_arguments)]
async fn enrol(
    tx: &mut Conn,
    plan: &DemoPlan,
    view: &PlanView,
    roster_id: i64,
    union_id: i64,
    start: Date,
    today: Date,
    now: i64,
) -> anyhow::Result<i64> {
    let ends = start.add_months(plan.term_months).add_days(-1);
    let cover = Cover {
        from: start,
        to: ends,
        waiting_ends_on: start.add_days(plan.waiting_days),
    };
    let enrolled_at = now - 86_400 * (today.to_days() - start.to_days() + 10);
    store::enrol(tx, view, roster_id, union_id, cover, enrolled_at)
        .await?
        .ok_or_else(|| anyhow::anyhow!("aid plan {} is not open", view.id))
}

/// The steps a claim took to reach `status`, each with the officer's note.
fn steps_to(status: ClaimStatus) -> Vec<(ClaimStatus, Option<&'static str>)> {
    use ClaimStatus::*;
    match status {
        Draft => vec![(Draft, None)],
        Submitted => vec![(Submitted, None)],
        UnderReview => vec![(Submitted, None), (UnderReview, None)],
        DocumentsRequested => vec![
            (Submitted, None),
            (UnderReview, None),
            (DocumentsRequested, Some("请补充出院小结和住院费用总清单")),
        ],
        Approved => vec![(Submitted, None), (UnderReview, None), (Approved, None)],
        Rejected => vec![
            (Submitted, None),
            (UnderReview, None),
            (Rejected, Some("住院原因为美容整形，不属于互助范围")),
        ],
        Paid => vec![
            (Submitted, None),
            (UnderReview, None),
            (Approved, None),
            (Paid, None),
        ],
    }
}

/// The steps a claim in `status` went through to get there.
async fn timeline(
    tx: &mut Conn,
    claim_id: i64,
    status: ClaimStatus,
    created: i64,
    officer: Option<i64>,
    approved: Option<i64>,
) -> anyhow::Result<()> {
    use ClaimStatus::*;
    let steps = steps_to(status);
    for (n, (s, note)) in steps.into_iter().enumerate() {
        let by_officer = !matches!(s, Draft | Submitted);
        let event = NewEvent {
            status: s.as_str(),
            at: created + 3_600 * 7 * n as i64,
            actor: if by_officer { officer } else { None },
            note,
            amount_fen: if matches!(s, Approved | Paid) {
                approved
            } else {
                None
            },
        };
        cases::add_event(tx, cases::CLAIMS, claim_id, event)
            .await
            .map_err(failed("claim step"))?;
    }
    Ok(())
}

/// A one-page PDF standing in for a scanned settlement sheet, attached as a
/// member attaches one.
async fn document(tx: &mut Conn, uploads: &Path, claim_id: i64, at: i64) -> anyhow::Result<()> {
    let pdf = demo_pdf(&[
        "UnionCard demo document",
        &format!("Hospital settlement sheet for claim {claim_id}"),
        "(sample data, not a real record)",
    ]);
    tokio::fs::create_dir_all(uploads).await?;
    let name = random_token(24);
    tokio::fs::write(uploads.join(&name), &pdf).await?;
    documents::insert(
        tx,
        &seed::CLAIM_DOCUMENTS,
        claim_id,
        &name,
        "application/pdf",
        pdf.len() as i64,
        at,
    )
    .await
    .map_err(failed("claim document"))?;
    Ok(())
}

/// Writes a minimal valid PDF (one A5 page of Helvetica text lines).
fn demo_pdf(lines: &[&str]) -> Vec<u8> {
    let mut text = String::from("BT /F1 14 Tf 40 520 Td 20 TL\n");
    for l in lines {
        let escaped = l
            .replace('\\', "\\\\")
            .replace('(', "\\(")
            .replace(')', "\\)");
        text.push_str(&format!("({escaped}) Tj T*\n"));
    }
    text.push_str("ET");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 420 595] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>".to_string(),
        format!("<< /Length {} >>\nstream\n{text}\nendstream", text.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
    ];
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for o in offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

/// The bench's history of claims (`--claims N`): `n` more members, after
/// the demo's own, each enrolled in the hospital-stay plan with one claim
/// this term, in the demo's mix of statuses but mostly decided (paid or
/// rejected) weeks ago and a few still in the officers' queue; each with
/// its timeline and the audit entries its officer's steps wrote. Written
/// in slices of 5,000, set-based where it can be: a million claims are a
/// few million rows.
pub async fn insert_many_claims(tx: &mut Conn, n: usize, now: i64) -> anyhow::Result<()> {
    if n == 0 {
        return Ok(());
    }
    let today = Date::from_days(time::china_day(now));
    let start = term_start(today);
    let demo = plans();
    let hospital_plan = &demo[0];
    let plan_id = seed::plan_named(tx, hospital_plan.name).await?;
    let plan = store::plan(tx, plan_id, Plans::All)
        .await
        .map_err(failed("aid plan"))?
        .ok_or_else(|| anyhow::anyhow!("the demo's hospital-stay plan"))?;
    let plan = (plan_id, plan.view.member_pays_fen);
    let ends = start.add_months(hospital_plan.term_months).add_days(-1);
    let waiting = start.add_days(hospital_plan.waiting_days);
    let officer = seed::first_officer(tx).await?;
    let first = seed::last_enrolment(tx).await?;
    let after_named = seed::last_named_member(tx).await?;
    let enrolled = seed::bulk_enrol(
        tx,
        plan.0,
        after_named,
        n as i64,
        [&start.iso(), &ends.iso(), &waiting.iso()],
        plan.1,
        &start.add_days(-5).iso(),
        time::day_start(start.add_days(-10).to_days()),
    )
    .await?;
    let cap = CapUse {
        yearly_cap_fen: hospital_plan.yearly_cap_yuan.map(|y| y * 100),
        used_fen: 0,
    };
    let mut rng = Rng::new(1_000_003);
    let mut after = first;
    let mut made = 0u64;
    while made < enrolled {
        let slice = seed::enrolments_after(tx, plan.0, after, 5_000).await?;
        let Some(last) = slice.last().map(|e| e.id) else {
            break;
        };
        let mut claims = Vec::with_capacity(slice.len());
        for (i, e) in slice.iter().enumerate() {
            // Of a hundred: 89 paid, 6 rejected, one approved and waiting
            // for its batch, one asked for documents, one under review,
            // two waiting for an officer.
            let status = match (made as usize + i) % 100 {
                0 | 1 => ClaimStatus::Submitted,
                2 => ClaimStatus::UnderReview,
                3 => ClaimStatus::DocumentsRequested,
                4 => ClaimStatus::Approved,
                5..=10 => ClaimStatus::Rejected,
                _ => ClaimStatus::Paid,
            };
            let (stay, discharged) =
                past_stay(&mut rng, status, today, start, &hospital_plan.rule, cap);
            let approved = stay.approved_fen;
            // Sent a few days after leaving hospital, never after now.
            let sent = time::day_start(discharged.add_days(1 + rng.below(5) as i64).to_days())
                .min(now - 3_600 * 24);
            claims.push(PastClaim {
                enrolment_id: e.id,
                roster_id: e.roster_id,
                union_id: e.union_id,
                created_at: sent,
                submitted_at: Some(sent),
                decided_by: approved.and(officer),
                decided_at: approved.map(|_| sent + 3_600 * 14),
                ..stay
            });
        }
        let ids = seed::insert_claims(tx, &claims).await?;
        let by_enrolment: std::collections::HashMap<i64, i64> =
            ids.into_iter().map(|(id, e)| (e, id)).collect();
        let mut steps = Vec::with_capacity(claims.len() * 4);
        for c in &claims {
            let claim_id = by_enrolment[&c.enrolment_id];
            let mut from = None;
            for (k, (to, note)) in steps_to(c.status).into_iter().enumerate() {
                let by_officer = !matches!(to, ClaimStatus::Draft | ClaimStatus::Submitted);
                steps.push(seed::PastStep {
                    claim_id,
                    union_id: c.union_id,
                    from,
                    to,
                    at: c.created_at + 3_600 * 7 * k as i64,
                    actor: if by_officer { officer } else { None },
                    note,
                    amount_fen: if matches!(to, ClaimStatus::Approved | ClaimStatus::Paid) {
                        c.approved_fen
                    } else {
                        None
                    },
                });
                from = Some(to);
            }
        }
        seed::insert_claim_steps(tx, &steps).await?;
        seed::settle_caps(tx, plan.0, after + 1, last).await?;
        made += slice.len() as u64;
        after = last;
    }
    Ok(())
}
