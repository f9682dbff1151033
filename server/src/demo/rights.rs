//! The demo's rights cases and counselling week: five cases in every state
//! (one collective wage case nearing its arbitration deadline, a work
//! injury with the city's union lawyer, a closed dismissal case with money
//! recovered, a referral and a decline), reported by made-up workers with
//! no account; and the city counsellor's slots for the coming week.

use unioncard_api::identity::{check_character, Date};
use unioncard_api::rights::{CaseKind, CaseStatus};

use super::failed;
use crate::crypto::Crypto;
use crate::store::counselling::NewSlot;
use crate::store::rights::{NewCase, NewWorker};
use crate::store::{counselling, rights, Conn};
use crate::time;

/// One demo case: where it goes, what it is, and how far it got.
struct DemoCase {
    district: &'static str,
    kind: CaseKind,
    employer: &'static str,
    facts: &'static str,
    amount_fen: Option<i64>,
    workers: i64,
    reported_days_ago: i64,
    dispute_days_ago: i64,
    reporter: &'static str,
    end: CaseStatus,
}

const CASES: [DemoCase; 5] = [
    DemoCase {
        district: "武昌区",
        kind: CaseKind::UnpaidWages,
        employer: "武汉鑫达装饰工程有限公司",
        facts: "去年年底完工后，公司一直拖欠我们 8 名装修工人的工资，老板电话打不通",
        amount_fen: Some(9_600_000),
        workers: 8,
        reported_days_ago: 2,
        dispute_days_ago: 345,
        reporter: "黄建军",
        end: CaseStatus::Submitted,
    },
    DemoCase {
        district: "武昌区",
        kind: CaseKind::WorkInjury,
        employer: "武汉顺丰达物流有限公司",
        facts: "送货途中摔伤左腿，公司不肯申报工伤，也不报销医药费",
        amount_fen: Some(4_500_000),
        workers: 1,
        reported_days_ago: 40,
        dispute_days_ago: 120,
        reporter: "马晓东",
        end: CaseStatus::InProgress,
    },
    DemoCase {
        district: "江岸区",
        kind: CaseKind::Contract,
        employer: "武汉美佳餐饮管理有限公司",
        facts: "怀孕后被公司以调岗为由辞退，没有任何补偿",
        amount_fen: Some(1_800_000),
        workers: 1,
        reported_days_ago: 75,
        dispute_days_ago: 90,
        reporter: "刘芳",
        end: CaseStatus::Closed,
    },
    DemoCase {
        district: "洪山区",
        kind: CaseKind::SocialInsurance,
        employer: "武汉宏图电子科技有限公司",
        facts: "入职两年公司一直没有给我们缴社保，共 3 人",
        amount_fen: None,
        workers: 3,
        reported_days_ago: 20,
        dispute_days_ago: 30,
        reporter: "周磊",
        end: CaseStatus::Referred,
    },
    DemoCase {
        district: "江汉区",
        kind: CaseKind::Overtime,
        employer: "武汉某商场",
        facts: "节假日加班没有加班费，想咨询怎么办",
        amount_fen: None,
        workers: 1,
        reported_days_ago: 12,
        dispute_days_ago: 25,
        reporter: "陈静怡",
        end: CaseStatus::Declined,
    },
];

/// Inserts the cases and the counselling week.
pub async fn insert(tx: &mut Conn, crypto: &Crypto, now: i64) -> anyhow::Result<()> {
    let lawyer: (i64, String) = sqlx::query_as(
        "SELECT id, name FROM users WHERE role = 'lawyer' AND name = '王律师' LIMIT 1",
    )
    .fetch_one(&mut *tx)
    .await?;
    let today = time::today();
    for (i, c) in CASES.iter().enumerate() {
        let union_id = rights::route(tx, c.employer, Some(c.district))
            .await
            .map_err(failed("rights route"))?
            .ok_or_else(|| anyhow::anyhow!("no union for {}", c.district))?;
        let union_name: String = sqlx::query_scalar("SELECT name FROM unions WHERE id = $1")
            .bind(union_id)
            .fetch_one(&mut *tx)
            .await?;
        let at = now - c.reported_days_ago * 86_400;
        let id = rights::insert_case(
            tx,
            &NewCase {
                union_id,
                kind: c.kind.as_str(),
                employer_name: c.employer,
                credit_code: None,
                district: Some(c.district),
                address: "",
                facts: c.facts,
                amount_fen: c.amount_fen,
                workers: c.workers,
                dispute_on: Some(Date::add_days(today, -c.dispute_days_ago).iso()),
                join_code: &crate::routes::rights::join_code(),
            },
            at,
        )
        .await
        .map_err(failed("rights case"))?;
        let first17 = format!("42010619900{}01{:03}", i + 1, 310 + i);
        let id_number = format!("{first17}{}", check_character(first17.as_bytes()) as char);
        let phone = format!("1398800{:04}", i + 1);
        rights::insert_worker(
            tx,
            id,
            &NewWorker {
                user_id: None,
                name: c.reporter,
                id_enc: &crypto.encrypt(&id_number),
                id_hash: &crypto.lookup_hash("id", &id_number),
                id_masked: &unioncard_api::identity::mask_id_number(&id_number),
                phone_enc: &crypto.encrypt(&phone),
                phone_hash: &crypto.lookup_hash("phone", &phone),
                phone_masked: &unioncard_api::identity::mask_phone(&phone),
            },
            true,
            at,
        )
        .await?;
        rights::add_step(tx, id, "submitted", "提交维权申请", 0, None, at)
            .await
            .map_err(failed("rights step"))?;
        let by = Some((lawyer.0, union_name.as_str()));
        let later = at + 86_400;
        match c.end {
            CaseStatus::Submitted => {}
            CaseStatus::Referred => {
                let office = format!("{}劳动保障监察大队", c.district);
                rights::triage(
                    tx,
                    id,
                    CaseStatus::Referred,
                    Some((&office, "027-12333")),
                    None,
                    later,
                )
                .await
                .map_err(failed("rights referral"))?;
                let note = format!("已转交{office}（电话 027-12333）");
                rights::add_step(tx, id, "referred", &note, 0, None, later)
                    .await
                    .map_err(failed("rights step"))?;
            }
            CaseStatus::Declined => {
                let reason = "属于政策咨询，已电话解答；如公司拒付加班费可再次申请";
                rights::triage(tx, id, CaseStatus::Declined, None, Some(reason), later)
                    .await
                    .map_err(failed("rights decline"))?;
                rights::add_step(
                    tx,
                    id,
                    "declined",
                    &format!("不予受理：{reason}"),
                    0,
                    None,
                    later,
                )
                .await
                .map_err(failed("rights step"))?;
            }
            CaseStatus::InProgress | CaseStatus::Closed => {
                rights::triage(tx, id, CaseStatus::InProgress, None, None, later)
                    .await
                    .map_err(failed("rights accept"))?;
                rights::add_step(
                    tx,
                    id,
                    "accepted",
                    &format!("{union_name}已受理"),
                    0,
                    None,
                    later,
                )
                .await
                .map_err(failed("rights step"))?;
                rights::assign(tx, id, lawyer.0, later)
                    .await
                    .map_err(failed("rights assign"))?;
                let note = format!("工会律师 {} 承办", lawyer.1);
                rights::add_step(tx, id, "assigned", &note, 0, by, later)
                    .await
                    .map_err(failed("rights step"))?;
                let call = later + 86_400;
                rights::add_step(
                    tx,
                    id,
                    "call",
                    "已与职工和公司人事电话沟通，约定调解时间",
                    0,
                    by,
                    call,
                )
                .await
                .map_err(failed("rights step"))?;
                if c.end == CaseStatus::Closed {
                    let done = at + 40 * 86_400;
                    rights::book_step(tx, id, 1_200_000, i64::MAX, false, false, done)
                        .await
                        .map_err(failed("rights recovery"))?;
                    rights::add_step(
                        tx,
                        id,
                        "mediation",
                        "调解成功，公司支付经济补偿金",
                        1_200_000,
                        by,
                        done,
                    )
                    .await
                    .map_err(failed("rights step"))?;
                    rights::book_step(tx, id, 0, i64::MAX, false, true, done)
                        .await
                        .map_err(failed("rights close"))?;
                    rights::add_step(tx, id, "closed", "补偿金已到账，案件办结", 0, by, done)
                        .await
                        .map_err(failed("rights step"))?;
                }
            }
        }
    }
    counselling_week(tx, now).await
}

/// The city counsellor's coming week: mornings at the city's centre,
/// afternoons by phone.
async fn counselling_week(tx: &mut Conn, now: i64) -> anyhow::Result<()> {
    let (counsellor, union_id): (i64, i64) =
        sqlx::query_as("SELECT id, union_id FROM users WHERE role = 'counsellor' LIMIT 1")
            .fetch_one(&mut *tx)
            .await?;
    let centre: i64 =
        sqlx::query_scalar("SELECT id FROM service_centres WHERE name = '武汉市职工服务中心'")
            .fetch_one(&mut *tx)
            .await?;
    let today = time::china_day(now);
    for d in 1..=7 {
        let start = time::day_start(today + d);
        for (hour_min, centre_id) in [
            (9 * 60 + 30, Some(centre)),
            (10 * 60 + 30, Some(centre)),
            (14 * 60 + 30, None),
            (15 * 60 + 30, None),
        ] {
            counselling::insert_slot(
                tx,
                &NewSlot {
                    counsellor,
                    union_id,
                    starts_at: start + hour_min * 60,
                    minutes: 45,
                    mode: if centre_id.is_some() {
                        "centre"
                    } else {
                        "phone"
                    },
                    centre_id,
                },
                now,
            )
            .await
            .map_err(failed("counselling slot"))?;
        }
    }
    Ok(())
}
