//! The demo city's 金秋助学: its 2026 round (本科 ¥3,000, 专科 ¥2,000,
//! 高职 ¥1,500 — demo figures, not a union's), open the whole year (a
//! union opens it each summer; the demo keeps it open so it can be tried
//! on any day); awards for children of households
//! on file (paid in the demo ledger's first 金秋助学 batch) and a few
//! applications waiting for a decision.

use unioncard_api::education::{EducationStatus, Level, RoundInput};

use super::failed;
use crate::store::cases::{self, NewEvent};
use crate::store::{education as store, seed, Conn};

/// The demo round.
pub fn round(year: i64) -> RoundInput {
    RoundInput {
        year,
        opens_on: format!("{year}-01-01"),
        closes_on: format!("{year}-12-31"),
        bachelor_fen: 300_000,
        college_fen: 200_000,
        vocational_fen: 150_000,
    }
}

/// Children and schools, in turn.
const STUDENTS: [(&str, &str, Level); 7] = [
    ("陈思远", "华中科技大学", Level::Bachelor),
    ("刘雨桐", "武汉职业技术学院", Level::Vocational),
    ("王子涵", "湖北大学", Level::Bachelor),
    ("赵一鸣", "武汉软件工程职业学院", Level::College),
    ("孙可欣", "武汉理工大学", Level::Bachelor),
    ("周浩然", "湖北工业大学", Level::Bachelor),
    ("吴佳怡", "武汉城市职业学院", Level::College),
];

/// Inserts the round and the applications.
pub async fn insert(tx: &mut Conn, city: i64, year: i64, now: i64) -> anyhow::Result<()> {
    let officer = seed::first_officer(tx)
        .await?
        .ok_or_else(|| anyhow::anyhow!("an officer"))?;
    let terms = round(year);
    store::set_round(tx, city, &terms, officer, now)
        .await
        .map_err(failed("education round"))?;
    let round_id: i64 =
        sqlx::query_scalar("SELECT id FROM education_rounds WHERE union_id = $1 AND year = $2")
            .bind(city)
            .bind(year)
            .fetch_one(&mut *tx)
            .await?;
    let today = crate::time::today().iso();
    let families: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT roster_id, union_id FROM hardship_files
          WHERE status = 'approved' AND valid_until >= $1 ORDER BY id LIMIT 7",
    )
    .bind(&today)
    .fetch_all(&mut *tx)
    .await?;
    for (i, ((roster_id, union_id), (student, school, level))) in
        families.into_iter().zip(STUDENTS).enumerate()
    {
        let sent = now - 86_400 * (120 - i as i64 * 3);
        let id = store::insert_draft(
            tx,
            &store::NewApplication {
                round_id,
                roster_id,
                union_id,
                student_name: student,
                school,
                level,
                admitted_on: &format!("{year}-08-{:02}", 10 + i),
                amount_fen: terms.amount(level),
                now: sent,
            },
        )
        .await?;
        // The first five awarded, the last two waiting.
        let mut steps = vec![(EducationStatus::Submitted, None, sent, None)];
        if i < 5 {
            steps.push((
                EducationStatus::Approved,
                Some("录取通知书已核验"),
                sent + 86_400,
                Some(terms.amount(level)),
            ));
        }
        let mut from = EducationStatus::Draft;
        for (status, note, at, amount_fen) in steps {
            let moved = cases::move_status(tx, cases::EDUCATION, id, from, status).await?;
            anyhow::ensure!(moved, "education application {id} did not move");
            from = status;
            cases::add_event(
                tx,
                cases::EDUCATION,
                id,
                NewEvent {
                    status: status.as_str(),
                    at,
                    actor: (status != EducationStatus::Submitted).then_some(officer),
                    note,
                    amount_fen,
                },
            )
            .await
            .map_err(failed("education step"))?;
        }
    }
    Ok(())
}
