//! The demo city's micro-loans: applications in every stage from members
//! across the districts (never 张伟 or 李娜), each with its timeline, the
//! payout date of those paid out, and each county's quota used accordingly.

use unioncard_api::identity::Date;
use unioncard_api::loans::{BusinessKind, EmploymentStatus, LoanRules, LoanStatus};

use super::{failed, Rng};
use crate::store::cases::{self, NewEvent};
use crate::store::loans as store;
use crate::store::seed::{self, PastLoan};
use crate::store::Conn;
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
pub async fn insert(tx: &mut Conn, now: i64) -> anyhow::Result<()> {
    // Each county union gets a phone members can call about their loan.
    let districts = seed::district_unions(tx).await?;
    for (i, id) in districts.iter().enumerate() {
        let phone = format!("027-8{:03}{:04}", 560 + i, 1000 + i * 37);
        seed::set_union_phone(tx, *id, &phone).await?;
    }
    let last_named = seed::last_named_member(tx).await?;
    // Members from the middle of the roster (others than the aid demo's).
    let members = seed::loan_members(tx, last_named).await?;
    let officer = seed::first_officer(tx).await?;
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
    for (i, roster_id) in members.into_iter().enumerate() {
        // Their union and the county union over it, as an application finds them.
        let applicant = store::applicant(tx, roster_id)
            .await
            .map_err(failed("loan applicant"))?;
        let county_id = applicant.county_id;
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
        let id = seed::insert_loan(
            tx,
            &PastLoan {
                roster_id,
                union_id: applicant.union_id,
                county_id,
                status,
                employment_status: EmploymentStatus::ALL[i % 3].as_str(),
                college_graduate: i % 5 == 0,
                business_kind: kind.as_str(),
                business_started_on: today.add_days(-started_days).iso(),
                amount_fen: amount,
                term_months: term,
                business_name: name,
                business_address: "武汉市（演示地址）",
                purpose,
                disbursed_on: disbursed.map(|d| d.iso()),
                created_at: created,
            },
        )
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
            let at = created + 86_400 * n as i64;
            // The member sent it; officers took every later step.
            let event = NewEvent {
                status: st.as_str(),
                at,
                actor: officer.filter(|_| st != LoanStatus::Submitted),
                note,
                amount_fen: None,
            };
            cases::add_event(tx, cases::LOANS, id, event)
                .await
                .map_err(failed("loan step"))?;
        }
        // Guarantees given this year count against the county's quota, as a
        // guarantee draws on it (the demo's few always fit).
        if matches!(
            status,
            LoanStatus::Guaranteed | LoanStatus::Disbursed | LoanStatus::Repaying
        ) {
            let quota = LoanRules::default().county_quota_fen;
            let fits = store::draw_quota(tx, county_id, year, quota, amount)
                .await
                .map_err(failed("county quota"))?;
            anyhow::ensure!(fits, "loan {id} exceeds the county's quota");
        }
    }
    Ok(())
}
