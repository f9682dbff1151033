//! The demo city's mutual medical aid: the four plan kinds with figures from
//! published plans (DOMAIN.md), 李娜 in the hospital-stay plan (cover through
//! today, waiting period over, no claims), and other members' enrolments and
//! claims in every status, each with a document the officers can open.

use std::path::Path;

use sqlx::{Any, Row, Transaction};
use unioncard_api::aid::{
    self, Bill, CapUse, ClaimStatus, DiseaseGroup, HospitalGrade, Payer, PayoutRule,
    PlanEligibility, StayTier,
};
use unioncard_api::identity::{Date, Gender};
use unioncard_api::Lang;

use super::Rng;
use crate::crypto::{random_token, Crypto};
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
    kind: &'static str,
    summary: &'static str,
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
            kind: "hospital_stay",
            summary: "住院自付费用扣除起付线 500 元后，第一次住院按 70%、第二次及以后按 40% 给付，年度最高 3 万元。单位承担 70%，个人承担 30%。",
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
            kind: "hospital_stay",
            summary: "住院期间每天补助 60 元，恶性肿瘤每天 120 元，每次最多 90 天，年度最高 10,800 元。",
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
            kind: "hospital_stay",
            summary: "每次住院按医院等级定额补助：三级医院 300 元、二级医院 220 元、一级医院 160 元，年度最高 1,500 元。费用由单位工会承担。",
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
            kind: "women_special",
            summary: "女职工首次确诊所列特殊疾病，按病种分组一次性给付 6,000 / 3,000 / 2,000 / 1,000 元。每人 25 元，保障两年。",
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
            kind: "major_disease",
            summary: "首次确诊恶性肿瘤、急性心肌梗死、脑中风后遗症等 25 种重大疾病，一次性给付 10,000 元。每人 100 元，保障三年。",
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
            kind: "accident",
            summary: "因意外伤害就医，自付费用扣除 100 元后按 80% 给付，每次最高 5,000 元，年度最高 10,000 元。没有等待期。",
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

/// The first day of the month `days` ago: every demo term began about half
/// a year before the demo was loaded, so it runs through today.
fn term_start(today: Date) -> Date {
    let d = today.add_days(-200);
    Date::new(d.year, d.month, 1).expect("the first of a month exists")
}

/// Inserts the plans, 李娜's cover and the other members' enrolments and
/// claims. Returns nothing: everything is found again by query.
pub async fn insert(
    tx: &mut Transaction<'_, Any>,
    crypto: &Crypto,
    city_union: i64,
    uploads: &Path,
    now: i64,
) -> anyhow::Result<()> {
    let today = Date::from_days(time::china_day(now));
    let start = term_start(today);
    let mut plan_ids = Vec::new();
    let demo = plans();
    for p in &demo {
        let ends = start.add_months(p.term_months).add_days(-1);
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO aid_plans (union_id, name, kind, summary, contribution_fen, payer, workplace_share_bp,
                term_months, starts_on, ends_on, window_from, window_to, waiting_days, claim_deadline_days,
                eligibility_json, rule_json, yearly_cap_fen, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) RETURNING id",
        )
        .bind(city_union)
        .bind(p.name)
        .bind(p.kind)
        .bind(p.summary)
        .bind(p.contribution_yuan * 100)
        .bind(p.payer.as_str())
        .bind(p.workplace_share_bp)
        .bind(i64::from(p.term_months))
        .bind(start.iso())
        .bind(ends.iso())
        .bind(start.add_days(-30).iso())
        // Late enrolment stays open for the demo, so every screen can be tried.
        .bind(today.add_days(45).min(ends).iso())
        .bind(p.waiting_days)
        .bind(p.deadline_days)
        .bind(serde_json::to_string(&p.eligibility)?)
        .bind(serde_json::to_string(&p.rule)?)
        .bind(p.yearly_cap_yuan.map(|y| y * 100))
        .bind(now)
        .fetch_one(&mut **tx)
        .await?;
        plan_ids.push(id);
    }

    // 李娜: the hospital-stay plan, enrolled before the term began.
    let li_na: (i64, i64) = {
        let row = sqlx::query("SELECT id, union_id FROM roster_entries WHERE id_hash = $1")
            .bind(crypto.lookup_hash("id", "420106199207082342"))
            .fetch_one(&mut **tx)
            .await?;
        (row.try_get("id")?, row.try_get("union_id")?)
    };
    enrol(
        tx,
        &demo[0],
        plan_ids[0],
        li_na.0,
        li_na.1,
        start,
        today,
        now,
    )
    .await?;

    // Other members: a few hundred with active cards, some with claims.
    let named_max: i64 = sqlx::query_scalar("SELECT MIN(id) + 2 FROM roster_entries")
        .fetch_one(&mut **tx)
        .await?;
    let rows = sqlx::query(
        "SELECT r.id, r.union_id, r.gender FROM roster_entries r JOIN cards c ON c.roster_id = r.id
          WHERE c.status = 'active' AND r.id > $1 ORDER BY r.id LIMIT 400",
    )
    .bind(named_max)
    .fetch_all(&mut **tx)
    .await?;
    let officer: Option<i64> =
        sqlx::query_scalar("SELECT id FROM users WHERE role = 'officer' ORDER BY id LIMIT 1")
            .fetch_optional(&mut **tx)
            .await?;
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
        let roster_id: i64 = r.try_get("id")?;
        let union_id: i64 = r.try_get("union_id")?;
        let female = r.try_get::<String, _>("gender")? == "female";
        // Everyone here holds the hospital-stay plan; some more.
        let main = enrol(
            tx,
            &demo[0],
            plan_ids[0],
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
                plan_ids[1],
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
                plan_ids[3],
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
                plan_ids[5],
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
        let (hospital, grade) = HOSPITALS[rng.below(HOSPITALS.len() as u64) as usize];
        // Open claims left hospital recently (inside the 60-day deadline);
        // decided ones earlier in the term, after the waiting period.
        let discharged = if status.is_open() || status == ClaimStatus::Draft {
            today.add_days(-(3 + rng.below(40) as i64))
        } else {
            start.add_days(100 + rng.below(60) as i64)
        };
        let days = 3 + rng.below(15) as i64;
        let admitted = discharged.add_days(-days);
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
        let cap = CapUse {
            yearly_cap_fen: demo[0].yearly_cap_yuan.map(|y| y * 100),
            used_fen: 0,
        };
        let estimate = aid::estimate(&demo[0].rule, cap, &bill, Lang::Zh).payout_fen;
        let approved =
            matches!(status, ClaimStatus::Approved | ClaimStatus::Paid).then_some(estimate);
        let created = now - 86_400 * (1 + rng.below(20) as i64);
        let claim_id: i64 = sqlx::query_scalar(
            "INSERT INTO aid_claims (enrolment_id, roster_id, union_id, status, admitted_on, discharged_on,
                hospital_name, hospital_grade, stay_number, hospital_days, total_cost_fen, insurance_paid_fen,
                self_pay_fen, estimate_fen, approved_fen, created_at, submitted_at, decided_by, decided_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) RETURNING id",
        )
        .bind(main)
        .bind(roster_id)
        .bind(union_id)
        .bind(status.as_str())
        .bind(admitted.iso())
        .bind(discharged.iso())
        .bind(hospital)
        .bind(grade.as_str())
        .bind(days)
        .bind(total)
        .bind(total - self_pay)
        .bind(self_pay)
        .bind(estimate)
        .bind(approved)
        .bind(created)
        .bind((status != ClaimStatus::Draft).then_some(created))
        .bind(approved.and(officer))
        .bind(approved.map(|_| created + 86_400))
        .fetch_one(&mut **tx)
        .await?;
        if let Some(amount) = approved {
            sqlx::query("UPDATE aid_enrolments SET used_fen = used_fen + $1 WHERE id = $2")
                .bind(amount)
                .bind(main)
                .execute(&mut **tx)
                .await?;
        }
        timeline(tx, claim_id, status, created, officer, approved).await?;
        document(tx, uploads, claim_id, created).await?;
    }
    Ok(())
}

/// Enrols a roster entry on the term's first day (or before it).
#[allow(clippy::too_many_arguments)]
async fn enrol(
    tx: &mut Transaction<'_, Any>,
    plan: &DemoPlan,
    plan_id: i64,
    roster_id: i64,
    union_id: i64,
    start: Date,
    today: Date,
    now: i64,
) -> anyhow::Result<i64> {
    let ends = start.add_months(plan.term_months).add_days(-1);
    let cover_from = start;
    let enrolled_at = now - 86_400 * (today.to_days() - start.to_days() + 10);
    let id = sqlx::query_scalar(
        "INSERT INTO aid_enrolments (plan_id, roster_id, union_id, cover_from, cover_to, waiting_ends_on,
            member_pays_fen, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(plan_id)
    .bind(roster_id)
    .bind(union_id)
    .bind(cover_from.iso())
    .bind(ends.iso())
    .bind(cover_from.add_days(plan.waiting_days).iso())
    .bind(
        plan.payer
            .member_part(plan.contribution_yuan * 100, plan.workplace_share_bp),
    )
    .bind(enrolled_at)
    .fetch_one(&mut **tx)
    .await?;
    Ok(id)
}

/// The steps a claim in `status` went through to get there.
async fn timeline(
    tx: &mut Transaction<'_, Any>,
    claim_id: i64,
    status: ClaimStatus,
    created: i64,
    officer: Option<i64>,
    approved: Option<i64>,
) -> anyhow::Result<()> {
    use ClaimStatus::*;
    let steps: Vec<(ClaimStatus, Option<&str>)> = match status {
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
    };
    for (n, (s, note)) in steps.into_iter().enumerate() {
        let by_officer = !matches!(s, Draft | Submitted);
        sqlx::query(
            "INSERT INTO aid_claim_events (claim_id, status, at, actor_id, note, amount_fen)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(claim_id)
        .bind(s.as_str())
        .bind(created + 3_600 * 7 * n as i64)
        .bind(if by_officer { officer } else { None })
        .bind(note)
        .bind(if matches!(s, Approved | Paid) {
            approved
        } else {
            None
        })
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// A one-page PDF standing in for a scanned settlement sheet.
async fn document(
    tx: &mut Transaction<'_, Any>,
    uploads: &Path,
    claim_id: i64,
    at: i64,
) -> anyhow::Result<()> {
    let pdf = demo_pdf(&[
        "UnionCard demo document",
        &format!("Hospital settlement sheet for claim {claim_id}"),
        "(sample data, not a real record)",
    ]);
    tokio::fs::create_dir_all(uploads).await?;
    let name = random_token(24);
    tokio::fs::write(uploads.join(&name), &pdf).await?;
    sqlx::query(
        "INSERT INTO aid_documents (claim_id, file_name, mime, bytes, uploaded_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(claim_id)
    .bind(name)
    .bind("application/pdf")
    .bind(pdf.len() as i64)
    .bind(at)
    .execute(&mut **tx)
    .await?;
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
