//! The demo city's hardship files: the city's minimum-living line (a demo
//! figure of ¥1,000 per person a month, which every district below it
//! uses until its own is set), 张伟's application waiting for a decision,
//! and members across the districts with files in every category and
//! status (never 李娜), each with its timeline.

use unioncard_api::hardship::{self, Category, Cause, HardshipStatus, Household, LocalLine};
use unioncard_api::identity::Date;
use unioncard_api::Lang;

use super::failed;
use crate::crypto::Crypto;
use crate::store::cases::{self, NewEvent};
use crate::store::hardship as store;
use crate::store::seed;
use crate::store::Conn;
use crate::time;

/// The demo line, fen per person per month.
const LINE: LocalLine = LocalLine {
    minimum_fen: 100_000,
};

/// One demo file: its household and where it ends.
struct Demo {
    size: i64,
    income_fen: i64,
    causes: &'static [Cause],
    note: &'static str,
    status: HardshipStatus,
    officer_note: Option<&'static str>,
}

const FILES: [Demo; 6] = [
    Demo {
        size: 3,
        income_fen: 240_000,
        causes: &[Cause::Illness],
        note: "爱人患尿毒症长期透析",
        status: HardshipStatus::Approved,
        officer_note: Some("入户核实属实"),
    },
    Demo {
        size: 4,
        income_fen: 560_000,
        causes: &[Cause::Education, Cause::SingleParent],
        note: "单亲，两个孩子在读",
        status: HardshipStatus::Approved,
        officer_note: Some("材料齐全"),
    },
    Demo {
        size: 2,
        income_fen: 360_000,
        causes: &[Cause::Accident],
        note: "家中失火，财物损失严重",
        status: HardshipStatus::Approved,
        officer_note: Some("社区证明属实"),
    },
    Demo {
        size: 3,
        income_fen: 270_000,
        causes: &[Cause::Disability],
        note: "本人肢体残疾",
        status: HardshipStatus::Submitted,
        officer_note: None,
    },
    Demo {
        size: 2,
        income_fen: 400_000,
        causes: &[Cause::Education],
        note: "孩子上大学学费压力大",
        status: HardshipStatus::Rejected,
        officer_note: Some("家庭人均收入高于困难标准，可申请金秋助学"),
    },
    Demo {
        size: 3,
        income_fen: 290_000,
        causes: &[Cause::Unemployment],
        note: "夫妻二人同时失业",
        status: HardshipStatus::Closed,
        officer_note: Some("二人均已再就业，家庭收入恢复"),
    },
];

/// Inserts the line and the files.
pub async fn insert(
    tx: &mut Conn,
    crypto: &Crypto,
    city_union: i64,
    now: i64,
) -> anyhow::Result<()> {
    store::set_line(tx, city_union, LINE, None, now)
        .await
        .map_err(failed("hardship line"))?;
    let today = Date::from_days(time::china_day(now));
    let officer = seed::first_officer(tx).await?;
    // 张伟: out of work, two children at school; waiting for a decision.
    let zhang = seed::roster_place(tx, &crypto.lookup_hash("id", "420102198803151236")).await?;
    let waiting = Demo {
        size: 4,
        income_fen: 320_000,
        causes: &[Cause::Unemployment, Cause::Education],
        note: "本人失业，两个孩子上学",
        status: HardshipStatus::Submitted,
        officer_note: None,
    };
    file(
        tx,
        zhang.id,
        zhang.union_id,
        &waiting,
        now - 3 * 86_400,
        today,
        officer,
    )
    .await?;
    let last_named = seed::last_named_member(tx).await?;
    for (i, roster_id) in seed::hardship_members(tx, last_named)
        .await?
        .into_iter()
        .enumerate()
    {
        let union_id = store::member_union(tx, roster_id)
            .await
            .map_err(failed("hardship member"))?;
        let demo = &FILES[i % FILES.len()];
        // Decided over the past year: some files near their end, to renew.
        let sent = now - 86_400 * (2 + (i as i64 * 29) % 350);
        file(tx, roster_id, union_id, demo, sent, today, officer).await?;
    }
    Ok(())
}

/// One file sent at `sent` and, a day later, taken where `demo` ends.
async fn file(
    tx: &mut Conn,
    roster_id: i64,
    union_id: i64,
    demo: &Demo,
    sent: i64,
    today: Date,
    officer: Option<i64>,
) -> anyhow::Result<()> {
    let household = Household {
        size: demo.size,
        monthly_income_fen: demo.income_fen,
        causes: demo.causes.to_vec(),
    };
    let proposed = household.propose(LINE, Lang::Zh).category;
    let id = store::insert_draft(
        tx,
        &store::NewFile {
            roster_id,
            union_id,
            household: &household,
            note: demo.note,
            line: LINE,
            proposed,
            filed_by: officer,
            now: sent,
        },
    )
    .await?;
    let mut steps = vec![(HardshipStatus::Submitted, None, sent)];
    let decided = sent + 86_400;
    match demo.status {
        HardshipStatus::Submitted | HardshipStatus::Draft => {}
        HardshipStatus::Closed => {
            steps.push((HardshipStatus::Approved, Some("入户核实属实"), decided));
            steps.push((
                HardshipStatus::Closed,
                demo.officer_note,
                decided + 86_400 * 20,
            ));
        }
        status => steps.push((status, demo.officer_note, decided)),
    }
    let mut from = HardshipStatus::Draft;
    for (status, note, at) in steps {
        let moved = cases::move_status(tx, cases::HARDSHIP, id, from, status).await?;
        anyhow::ensure!(moved, "hardship file {id} did not move to {status:?}");
        from = status;
        let event = NewEvent {
            status: status.as_str(),
            at,
            actor: officer.filter(|_| status != HardshipStatus::Submitted),
            note,
            amount_fen: None,
        };
        cases::add_event(tx, cases::HARDSHIP, id, event)
            .await
            .map_err(failed("hardship step"))?;
    }
    if matches!(
        demo.status,
        HardshipStatus::Approved | HardshipStatus::Closed
    ) {
        let category = proposed.or(Some(Category::Relative));
        let decided_on = Date::from_days(time::china_day(decided).min(today.to_days()));
        let until = hardship::valid_until(decided_on).iso();
        store::record_decision(tx, id, category, Some(&until), officer, decided)
            .await
            .map_err(failed("hardship decision"))?;
    } else if demo.status == HardshipStatus::Rejected {
        store::record_decision(tx, id, None, None, officer, decided)
            .await
            .map_err(failed("hardship decision"))?;
    }
    Ok(())
}
