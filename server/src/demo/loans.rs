//! The demo city's micro-loans: applications in every stage from members
//! across the districts (never 张伟 or 李娜), each with its timeline, the
//! payout date of those paid out, and each county's quota used accordingly.

use sqlx::{Any, Row, Transaction};
use unioncard_api::identity::Date;
use unioncard_api::loans::{BusinessKind, EmploymentStatus, LoanStatus};

use super::Rng;
use crate::time;

const BUSINESSES: [(&str, BusinessKind, &str); 8] = [
    (
        "老王热干面馆",
        BusinessKind::Catering,
        "添置炉灶、冷柜，扩大早餐经营",
    ),
    ("巧手裁缝铺", BusinessKind::Workshop, "购买工业缝纫机两台"),
    ("社区便民小超市", BusinessKind::Shop, "进货周转资金"),
    ("江夏蔬菜大棚", BusinessKind::Farming, "新建两个蔬菜大棚"),
    ("顺达货运", BusinessKind::Transport, "购买一辆轻型厢式货车"),
    ("豆皮早点铺", BusinessKind::Catering, "店面装修和设备更新"),
    ("家电维修部", BusinessKind::Workshop, "购买检测仪器和配件"),
    ("水产养殖场", BusinessKind::Farming, "购买鱼苗和饲料"),
];

const NOTES: [&str; 3] = [
    "已实地查看经营场所，项目有稳定客源，具备还款能力",
    "经营一年以上，流水正常，同意推荐担保",
    "项目可行，申请人信用良好",
];

/// Inserts the applications.
pub async fn insert(tx: &mut Transaction<'_, Any>, now: i64) -> anyhow::Result<()> {
    // Each county union gets a phone members can call about their loan.
    let districts: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM unions WHERE level = 'district' ORDER BY id")
            .fetch_all(&mut **tx)
            .await?;
    for (i, id) in districts.iter().enumerate() {
        sqlx::query("UPDATE unions SET phone = $1 WHERE id = $2")
            .bind(format!("027-8{:03}{:04}", 560 + i, 1000 + i * 37))
            .bind(id)
            .execute(&mut **tx)
            .await?;
    }
    let named_max: i64 = sqlx::query_scalar("SELECT MIN(id) + 2 FROM roster_entries")
        .fetch_one(&mut **tx)
        .await?;
    // Members from the middle of the roster (others than the aid demo's).
    let rows = sqlx::query(
        "SELECT r.id, r.union_id, u.path FROM roster_entries r JOIN unions u ON u.id = r.union_id
          WHERE r.id > $1 ORDER BY r.id DESC LIMIT 48",
    )
    .bind(named_max)
    .fetch_all(&mut **tx)
    .await?;
    let officer: Option<i64> =
        sqlx::query_scalar("SELECT id FROM users WHERE role = 'officer' ORDER BY id LIMIT 1")
            .fetch_optional(&mut **tx)
            .await?;
    let stages = [
        LoanStatus::Submitted,
        LoanStatus::UnionApproved,
        LoanStatus::Guaranteed,
        LoanStatus::Disbursed,
        LoanStatus::Repaying,
        LoanStatus::Closed,
        LoanStatus::Rejected,
        LoanStatus::Submitted,
    ];
    let today = Date::from_days(time::china_day(now));
    let year = i64::from(today.year);
    let mut rng = Rng::new(2_026_112_406);
    for (i, r) in rows.iter().enumerate() {
        let roster_id: i64 = r.try_get("id")?;
        let union_id: i64 = r.try_get("union_id")?;
        let path: String = r.try_get("path")?;
        let county: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM unions WHERE level = 'district' AND $1 LIKE path || '%' LIMIT 1",
        )
        .bind(&path)
        .fetch_optional(&mut **tx)
        .await?;
        let Some(county_id) = county else { continue };
        let status = stages[i % stages.len()];
        // Not in step with the stage, so each queue shows a mix of businesses.
        let (name, kind, purpose) = BUSINESSES[(i * 3 + i / 8) % BUSINESSES.len()];
        let amount = (2 + rng.below(4) as i64) * 1_000_000;
        let term = [12, 18, 24][i % 3];
        let created = now - 86_400 * (5 + rng.below(20) as i64);
        let started_days = 400 + rng.below(900) as i64;
        // Paid out a few months ago (a closed one: long enough to be repaid).
        let disbursed = match status {
            LoanStatus::Disbursed => Some(today.add_days(-10)),
            LoanStatus::Repaying => Some(today.add_days(-(60 + rng.below(120) as i64))),
            LoanStatus::Closed => Some(today.add_days(-(400 + rng.below(200) as i64))),
            _ => None,
        };
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO loan_applications (roster_id, union_id, county_id, status, employment_status,
                college_graduate, local_hukou, residence_years, business_kind, business_started_on, amount_fen,
                term_months, business_name, business_address, purpose, disbursed_on, created_at, submitted_at,
                updated_at) VALUES ($1, $2, $3, $4, $5, $6, 1, 0, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15, $15)
             RETURNING id",
        )
        .bind(roster_id)
        .bind(union_id)
        .bind(county_id)
        .bind(status.as_str())
        .bind(EmploymentStatus::ALL[i % 3].as_str())
        .bind(i64::from(i % 5 == 0))
        .bind(kind.as_str())
        .bind(today.add_days(-started_days).iso())
        .bind(amount)
        .bind(term)
        .bind(name)
        .bind("武汉市（演示地址）")
        .bind(purpose)
        .bind(disbursed.map(|d| d.iso()))
        .bind(created)
        .fetch_one(&mut **tx)
        .await?;
        // The steps it went through, a day or two apart.
        let mut steps = vec![(LoanStatus::Submitted, None)];
        let mut s = LoanStatus::Submitted;
        let target = if status == LoanStatus::Rejected {
            LoanStatus::UnionApproved
        } else {
            status
        };
        while s != target {
            let Some(next) = s.next() else { break };
            let note = (next == LoanStatus::UnionApproved).then(|| NOTES[i % NOTES.len()]);
            steps.push((next, note));
            s = next;
        }
        if status == LoanStatus::Rejected {
            steps.push((LoanStatus::Rejected, Some("银行征信审核未通过")));
        }
        if matches!(status, LoanStatus::Repaying | LoanStatus::Closed) {
            steps.push((status, Some("回访：店面正常经营，按月还款")));
        }
        for (n, (st, note)) in steps.into_iter().enumerate() {
            sqlx::query(
                "INSERT INTO loan_events (loan_id, status, at, actor_id, note) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(id)
            .bind(st.as_str())
            .bind(created + 86_400 * n as i64)
            .bind(if st == LoanStatus::Submitted { None } else { officer })
            .bind(note)
            .execute(&mut **tx)
            .await?;
        }
        // Guarantees given this year count against the county's quota.
        if matches!(
            status,
            LoanStatus::Guaranteed | LoanStatus::Disbursed | LoanStatus::Repaying
        ) {
            sqlx::query(
                "INSERT INTO loan_quotas (county_id, year, quota_fen, used_fen) VALUES ($1, $2, $3, 0)
                 ON CONFLICT (county_id, year) DO NOTHING",
            )
            .bind(county_id)
            .bind(year)
            .bind(unioncard_api::loans::LoanRules::default().county_quota_fen)
            .execute(&mut **tx)
            .await?;
            sqlx::query(
                "UPDATE loan_quotas SET used_fen = used_fen + $1 WHERE county_id = $2 AND year = $3",
            )
            .bind(amount)
            .bind(county_id)
            .bind(year)
            .execute(&mut **tx)
            .await?;
        }
    }
    Ok(())
}
