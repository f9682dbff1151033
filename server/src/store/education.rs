//! 金秋助学's SQL: rounds (per union and year), whether a member may apply
//! (household on file, or on the model-worker register), a new application, decisions, and the views with their timelines,
//! documents and how their payment stands.

use std::collections::HashMap;

use sqlx::{AnyConnection, FromRow};
use unioncard_api::education::{
    EducationEvent, EducationStatus, EducationView, Level, RoundInput, RoundView,
};
use unioncard_api::payments::LineStatus;

use super::cases;
use crate::documents;
use crate::error::{AppError, AppResult};
use crate::time;

#[derive(Debug, FromRow)]
struct RoundRow {
    id: i64,
    union_id: i64,
    union_name: String,
    year: i64,
    opens_on: String,
    closes_on: String,
    bachelor_fen: i64,
    college_fen: i64,
    vocational_fen: i64,
}

impl RoundRow {
    fn view(self, today: &str) -> RoundView {
        let open = self.opens_on.as_str() <= today && today <= self.closes_on.as_str();
        RoundView {
            id: self.id,
            union_id: self.union_id,
            union_name: self.union_name,
            terms: RoundInput {
                year: self.year,
                opens_on: self.opens_on,
                closes_on: self.closes_on,
                bachelor_fen: self.bachelor_fen,
                college_fen: self.college_fen,
                vocational_fen: self.vocational_fen,
            },
            open,
        }
    }
}

const ROUND_SELECT: &str =
    "SELECT r.id, r.union_id, p.name AS union_name, r.year, r.opens_on, r.closes_on,
        r.bachelor_fen, r.college_fen, r.vocational_fen
   FROM education_rounds r JOIN unions p ON p.id = r.union_id";

/// The round a member of `union_id` applies to today: the nearest one at
/// their union or above it that is open; else the latest of those unions'
/// (closed, to say when it ran).
pub async fn round_for(
    conn: &mut AnyConnection,
    union_id: i64,
    today: &str,
) -> AppResult<Option<RoundView>> {
    let rows: Vec<RoundRow> = sqlx::query_as(&format!(
        "{ROUND_SELECT} JOIN unions m ON m.path LIKE p.path || '%'
          WHERE m.id = $1
          ORDER BY CASE WHEN r.opens_on <= $2 AND r.closes_on >= $2 THEN 0 ELSE 1 END,
                   r.year DESC, LENGTH(p.path) DESC LIMIT 1"
    ))
    .bind(union_id)
    .bind(today)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().next().map(|r| r.view(today)))
}

/// The rounds of the unions matching `like`, newest year first.
pub async fn rounds(
    conn: &mut AnyConnection,
    like: &str,
    today: &str,
) -> AppResult<Vec<RoundView>> {
    let rows: Vec<RoundRow> = sqlx::query_as(&format!(
        "{ROUND_SELECT} WHERE p.path LIKE $1 ORDER BY r.year DESC, r.id DESC LIMIT 50"
    ))
    .bind(like)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|r| r.view(today)).collect())
}

/// Sets (or changes) a union's round for a year.
pub async fn set_round(
    tx: &mut AnyConnection,
    union_id: i64,
    r: &RoundInput,
    by: i64,
    now: i64,
) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO education_rounds (union_id, year, opens_on, closes_on, bachelor_fen, college_fen,
            vocational_fen, set_by, set_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (union_id, year) DO UPDATE SET opens_on = $3, closes_on = $4,
            bachelor_fen = $5, college_fen = $6, vocational_fen = $7, set_by = $8, set_at = $9",
    )
    .bind(union_id)
    .bind(r.year)
    .bind(&r.opens_on)
    .bind(&r.closes_on)
    .bind(r.bachelor_fen)
    .bind(r.college_fen)
    .bind(r.vocational_fen)
    .bind(by)
    .bind(now)
    .execute(tx)
    .await?;
    Ok(())
}

/// Whether the member's children may apply today: the household is on
/// file (a hardship file approved and still valid), or the member is on the
/// union's model-worker register (the plan names model workers' children
/// among those the union lists besides hardship households).
pub async fn may_apply(conn: &mut AnyConnection, roster_id: i64, today: &str) -> AppResult<bool> {
    let n: i64 = sqlx::query_scalar(
        "SELECT (SELECT COUNT(*) FROM hardship_files
                  WHERE roster_id = $1 AND status = 'approved' AND valid_until >= $2)
              + (SELECT COUNT(*) FROM model_workers WHERE roster_id = $1 AND ended_at IS NULL)",
    )
    .bind(roster_id)
    .bind(today)
    .fetch_one(conn)
    .await?;
    Ok(n > 0)
}

/// An application as it is written.
pub struct NewApplication<'a> {
    pub round_id: i64,
    pub roster_id: i64,
    pub union_id: i64,
    pub student_name: &'a str,
    pub school: &'a str,
    pub level: Level,
    pub admitted_on: &'a str,
    pub amount_fen: i64,
    pub now: i64,
}

/// Writes an application as a draft (the case file then sends it); a
/// second for the same student this year is a unique violation.
pub async fn insert_draft(
    tx: &mut AnyConnection,
    a: &NewApplication<'_>,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO education_applications (round_id, roster_id, union_id, status, student_name,
            school, level, admitted_on, amount_fen, created_at)
         VALUES ($1, $2, $3, 'draft', $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(a.round_id)
    .bind(a.roster_id)
    .bind(a.union_id)
    .bind(a.student_name)
    .bind(a.school)
    .bind(a.level.as_str())
    .bind(a.admitted_on)
    .bind(a.amount_fen)
    .bind(a.now)
    .fetch_one(tx)
    .await
}

/// Records who decided.
pub async fn record_decision(tx: &mut AnyConnection, id: i64, by: i64, now: i64) -> AppResult<()> {
    sqlx::query("UPDATE education_applications SET decided_by = $2, decided_at = $3 WHERE id = $1")
        .bind(id)
        .bind(by)
        .bind(now)
        .execute(tx)
        .await?;
    Ok(())
}

const APPLICATION_SELECT: &str = "SELECT a.id, a.status, r.year, a.student_name, a.school, a.level, a.admitted_on,
        a.amount_fen, a.created_at, u.name AS union_name, m.name AS member_name,
        (SELECT l.status FROM payment_lines l WHERE l.education_id = a.id ORDER BY l.id DESC LIMIT 1) AS payment
   FROM education_applications a JOIN education_rounds r ON r.id = a.round_id
   JOIN unions u ON u.id = a.union_id JOIN roster_entries m ON m.id = a.roster_id";

#[derive(Debug, FromRow)]
struct ApplicationRow {
    id: i64,
    status: String,
    year: i64,
    student_name: String,
    school: String,
    level: String,
    admitted_on: String,
    amount_fen: i64,
    created_at: i64,
    union_name: String,
    member_name: String,
    payment: Option<String>,
}

fn status(s: &str) -> AppResult<EducationStatus> {
    EducationStatus::from_db(s).ok_or_else(|| AppError::internal(format!("education status {s:?}")))
}

/// The views of these applications, timelines and documents in one query each.
async fn views(
    conn: &mut AnyConnection,
    rows: Vec<ApplicationRow>,
    for_officer: bool,
) -> AppResult<Vec<EducationView>> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut timelines: HashMap<i64, Vec<EducationEvent>> = HashMap::new();
    for (id, events) in cases::events_of(&mut *conn, cases::EDUCATION, &ids).await? {
        let timeline = events
            .into_iter()
            .map(|e| {
                Ok(EducationEvent {
                    status: status(&e.status)?,
                    at: time::rfc3339(e.at),
                    note: e.note,
                })
            })
            .collect::<AppResult<Vec<_>>>()?;
        timelines.insert(id, timeline);
    }
    let mut docs = documents::EDUCATION.list_many(&mut *conn, &ids).await?;
    rows.into_iter()
        .map(|r| {
            Ok(EducationView {
                id: r.id,
                status: status(&r.status)?,
                year: r.year,
                student_name: r.student_name,
                school: r.school,
                level: Level::from_db(&r.level).ok_or_else(|| AppError::internal("level"))?,
                admitted_on: r.admitted_on,
                amount_fen: r.amount_fen,
                member_name: for_officer.then_some(r.member_name),
                union_name: r.union_name,
                filed_at: time::rfc3339(r.created_at),
                payment: r.payment.as_deref().and_then(LineStatus::from_db),
                events: timelines.remove(&r.id).unwrap_or_default(),
                documents: docs.remove(&r.id).unwrap_or_default(),
            })
        })
        .collect()
}

/// One application; `None` when there is none.
pub async fn view(
    conn: &mut AnyConnection,
    id: i64,
    for_officer: bool,
) -> AppResult<Option<EducationView>> {
    let rows: Vec<ApplicationRow> =
        sqlx::query_as(&format!("{APPLICATION_SELECT} WHERE a.id = $1"))
            .bind(id)
            .fetch_all(&mut *conn)
            .await?;
    Ok(views(conn, rows, for_officer).await?.pop())
}

/// The member's applications, newest first.
pub async fn mine(conn: &mut AnyConnection, roster_id: i64) -> AppResult<Vec<EducationView>> {
    let rows: Vec<ApplicationRow> = sqlx::query_as(&format!(
        "{APPLICATION_SELECT} WHERE a.roster_id = $1 AND a.status <> 'draft' ORDER BY a.id DESC LIMIT 50"
    ))
    .bind(roster_id)
    .fetch_all(&mut *conn)
    .await?;
    views(conn, rows, false).await
}

/// Applications in a status in the unions matching `like`, oldest first,
/// after `after` (keyset), at most `limit`.
pub async fn queue(
    conn: &mut AnyConnection,
    like: &str,
    status: EducationStatus,
    after: i64,
    limit: i64,
) -> AppResult<Vec<EducationView>> {
    let rows: Vec<ApplicationRow> = sqlx::query_as(&format!(
        "{APPLICATION_SELECT} WHERE a.status = $1 AND u.path LIKE $2 AND a.id > $3 ORDER BY a.id LIMIT $4"
    ))
    .bind(status.as_str())
    .bind(like)
    .bind(after)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    views(conn, rows, true).await
}
