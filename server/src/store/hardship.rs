//! Hardship files' SQL: the district lines, a new file, decisions, the
//! views (with timelines and documents read in one query each), the queue
//! and the counts per category.

use std::collections::HashMap;

use sqlx::{AnyConnection, FromRow};
use unioncard_api::hardship::{
    Category, Cause, HardshipEvent, HardshipFileView, HardshipMember, HardshipStatus, Household,
    LineView, LocalLine,
};

use super::cases;
use crate::documents;
use crate::error::{current_lang, AppError, AppResult};
use crate::time;

/// The line a member of `union_id` is judged against: the nearest one set
/// at their union or above it.
pub async fn line_for(conn: &mut AnyConnection, union_id: i64) -> AppResult<Option<LineView>> {
    let row: Option<(String, i64)> = sqlx::query_as(
        "SELECT p.name, l.minimum_fen
           FROM unions m JOIN unions p ON m.path LIKE p.path || '%'
           JOIN poverty_lines l ON l.union_id = p.id
          WHERE m.id = $1 ORDER BY LENGTH(p.path) DESC LIMIT 1",
    )
    .bind(union_id)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|(union_name, minimum_fen)| LineView {
        union_name,
        minimum_fen,
    }))
}

/// Sets (or changes) a union's line.
pub async fn set_line(
    tx: &mut AnyConnection,
    union_id: i64,
    line: LocalLine,
    by: Option<i64>,
    now: i64,
) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO poverty_lines (union_id, minimum_fen, set_by, set_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (union_id) DO UPDATE SET minimum_fen = $2, set_by = $3, set_at = $4",
    )
    .bind(union_id)
    .bind(line.minimum_fen)
    .bind(by)
    .bind(now)
    .execute(tx)
    .await?;
    Ok(())
}

/// The last day of the member's latest file on record, if they have one.
pub async fn valid_until(conn: &mut AnyConnection, roster_id: i64) -> AppResult<Option<String>> {
    Ok(sqlx::query_scalar(
        "SELECT MAX(valid_until) FROM hardship_files WHERE roster_id = $1 AND status = 'approved'",
    )
    .bind(roster_id)
    .fetch_one(conn)
    .await?)
}

/// The member's files on record ending by `by` whose member has not been
/// told yet: (file, last day).
pub async fn files_ending(
    conn: &mut AnyConnection,
    roster_id: i64,
    by: &str,
) -> AppResult<Vec<(i64, String)>> {
    Ok(sqlx::query_as(
        "SELECT id, valid_until FROM hardship_files
          WHERE roster_id = $1 AND status = 'approved' AND renewal_told_at IS NULL AND valid_until <= $2",
    )
    .bind(roster_id)
    .bind(by)
    .fetch_all(conn)
    .await?)
}

/// Marks the member told that the file ends soon; false when another
/// request told them first.
pub async fn mark_renewal_told(tx: &mut AnyConnection, id: i64, now: i64) -> AppResult<bool> {
    Ok(sqlx::query(
        "UPDATE hardship_files SET renewal_told_at = $2 WHERE id = $1 AND renewal_told_at IS NULL",
    )
    .bind(id)
    .bind(now)
    .execute(tx)
    .await?
    .rows_affected()
        == 1)
}

/// A file as it is written.
#[derive(Debug)]
pub struct NewFile<'a> {
    pub roster_id: i64,
    pub union_id: i64,
    pub household: &'a Household,
    pub note: &'a str,
    pub line: LocalLine,
    pub proposed: Option<Category>,
    pub filed_by: Option<i64>,
    pub now: i64,
}

/// The causes as stored: their names, comma-separated.
fn causes_text(causes: &[Cause]) -> String {
    causes
        .iter()
        .map(|c| c.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

/// Writes a file as a draft (the case file then moves it on); the
/// one-waiting-file key refuses a second with a unique violation.
pub async fn insert_draft(tx: &mut AnyConnection, f: &NewFile<'_>) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO hardship_files (roster_id, union_id, status, household_size, monthly_income_fen,
            causes, note, line_fen, proposed_category, filed_by, created_at, submitted_at)
         VALUES ($1, $2, 'draft', $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id",
    )
    .bind(f.roster_id)
    .bind(f.union_id)
    .bind(f.household.size)
    .bind(f.household.monthly_income_fen)
    .bind(causes_text(&f.household.causes))
    .bind(f.note)
    .bind(f.line.minimum_fen)
    .bind(f.proposed.map(|c| c.as_str()))
    .bind(f.filed_by)
    .bind(f.now)
    .fetch_one(tx)
    .await
}

/// Records who decided and, on approval, the category and last valid day.
pub async fn record_decision(
    tx: &mut AnyConnection,
    id: i64,
    category: Option<Category>,
    valid_until: Option<&str>,
    by: Option<i64>,
    now: i64,
) -> AppResult<()> {
    sqlx::query(
        "UPDATE hardship_files SET category = $2, valid_until = $3, decided_by = $4, decided_at = $5
          WHERE id = $1",
    )
    .bind(id)
    .bind(category.map(|c| c.as_str()))
    .bind(valid_until)
    .bind(by)
    .bind(now)
    .execute(tx)
    .await?;
    Ok(())
}

/// What the proposal was, as stored.
pub async fn proposed(conn: &mut AnyConnection, id: i64) -> AppResult<Option<Category>> {
    let name: Option<String> =
        sqlx::query_scalar("SELECT proposed_category FROM hardship_files WHERE id = $1")
            .bind(id)
            .fetch_one(conn)
            .await?;
    Ok(name.as_deref().and_then(Category::from_db))
}

const FILE_SELECT: &str = "SELECT f.id, f.status, f.household_size, f.monthly_income_fen, f.causes, f.note,
        f.line_fen, f.proposed_category, f.category, f.valid_until, f.created_at, f.submitted_at,
        u.name AS union_name, r.name AS member_name, r.id_masked
   FROM hardship_files f JOIN unions u ON u.id = f.union_id JOIN roster_entries r ON r.id = f.roster_id";

/// A file as read.
#[derive(Debug, FromRow)]
pub struct FileRow {
    id: i64,
    status: String,
    household_size: i64,
    monthly_income_fen: i64,
    causes: String,
    note: String,
    line_fen: i64,
    proposed_category: Option<String>,
    category: Option<String>,
    valid_until: Option<String>,
    created_at: i64,
    submitted_at: Option<i64>,
    union_name: String,
    member_name: String,
    id_masked: String,
}

fn status(s: &str) -> AppResult<HardshipStatus> {
    HardshipStatus::from_db(s).ok_or_else(|| AppError::internal(format!("hardship status {s:?}")))
}

impl FileRow {
    fn into_view(
        self,
        events: Vec<HardshipEvent>,
        documents: Vec<unioncard_api::aid::DocumentView>,
        for_officer: bool,
    ) -> AppResult<HardshipFileView> {
        let causes: Vec<Cause> = self
            .causes
            .split(',')
            .filter(|c| !c.is_empty())
            .map(|c| Cause::from_db(c).ok_or_else(|| AppError::internal("unknown cause")))
            .collect::<AppResult<_>>()?;
        let household = Household {
            size: self.household_size,
            monthly_income_fen: self.monthly_income_fen,
            causes: causes.clone(),
        };
        // The proposal is the rule's, worked again in the reader's words on
        // the figures and line the file was judged with.
        let proposal = household.propose(
            LocalLine {
                minimum_fen: self.line_fen,
            },
            current_lang(),
        );
        Ok(HardshipFileView {
            id: self.id,
            status: status(&self.status)?,
            household_size: self.household_size,
            monthly_income_fen: self.monthly_income_fen,
            per_person_fen: proposal.per_person_fen,
            causes,
            note: self.note,
            line_fen: self.line_fen,
            proposed_category: self
                .proposed_category
                .as_deref()
                .and_then(Category::from_db),
            proposal_reason: proposal.reason,
            category: self.category.as_deref().and_then(Category::from_db),
            valid_until: self.valid_until,
            union_name: self.union_name,
            member: for_officer.then_some(HardshipMember {
                name: self.member_name,
                id_number_masked: self.id_masked,
            }),
            filed_at: time::rfc3339(self.submitted_at.unwrap_or(self.created_at)),
            events,
            documents,
        })
    }
}

/// The views of these files, timelines and documents in one query each.
async fn views(
    conn: &mut AnyConnection,
    rows: Vec<FileRow>,
    for_officer: bool,
) -> AppResult<Vec<HardshipFileView>> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut timelines: HashMap<i64, Vec<HardshipEvent>> = HashMap::new();
    for (id, events) in cases::events_of(&mut *conn, cases::HARDSHIP, &ids).await? {
        let timeline = events
            .into_iter()
            .map(|e| {
                Ok(HardshipEvent {
                    status: status(&e.status)?,
                    at: time::rfc3339(e.at),
                    note: e.note,
                })
            })
            .collect::<AppResult<Vec<_>>>()?;
        timelines.insert(id, timeline);
    }
    let mut docs = documents::HARDSHIP.list_many(&mut *conn, &ids).await?;
    rows.into_iter()
        .map(|r| {
            let id = r.id;
            r.into_view(
                timelines.remove(&id).unwrap_or_default(),
                docs.remove(&id).unwrap_or_default(),
                for_officer,
            )
        })
        .collect()
}

/// One file; `None` when there is none.
pub async fn view(
    conn: &mut AnyConnection,
    id: i64,
    for_officer: bool,
) -> AppResult<Option<HardshipFileView>> {
    let rows: Vec<FileRow> = sqlx::query_as(&format!("{FILE_SELECT} WHERE f.id = $1"))
        .bind(id)
        .fetch_all(&mut *conn)
        .await?;
    Ok(views(conn, rows, for_officer).await?.pop())
}

/// The member's files, newest first.
pub async fn files_of(
    conn: &mut AnyConnection,
    roster_id: i64,
) -> AppResult<Vec<HardshipFileView>> {
    let rows: Vec<FileRow> = sqlx::query_as(&format!(
        "{FILE_SELECT} WHERE f.roster_id = $1 ORDER BY f.id DESC LIMIT 50"
    ))
    .bind(roster_id)
    .fetch_all(&mut *conn)
    .await?;
    views(conn, rows, false).await
}

/// Files in a status in the unions whose path matches `like`, oldest sent
/// first, after file `after` (keyset), at most `limit`.
pub async fn queue(
    conn: &mut AnyConnection,
    like: &str,
    status: HardshipStatus,
    after: i64,
    limit: i64,
) -> AppResult<Vec<HardshipFileView>> {
    let rows: Vec<FileRow> = sqlx::query_as(&format!(
        "{FILE_SELECT} WHERE f.status = $1 AND u.path LIKE $2 AND f.id > $3 ORDER BY f.id LIMIT $4"
    ))
    .bind(status.as_str())
    .bind(like)
    .bind(after)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    views(conn, rows, true).await
}

/// Households on file and valid on `today` per category, and files
/// waiting, in the unions whose path matches `like`.
pub async fn counts(
    conn: &mut AnyConnection,
    like: &str,
    today: &str,
) -> AppResult<unioncard_api::hardship::HardshipCounts> {
    let rows: Vec<(Option<String>, String, i64)> = sqlx::query_as(
        "SELECT f.category, f.status, COUNT(*)
           FROM hardship_files f JOIN unions u ON u.id = f.union_id
          WHERE u.path LIKE $1
            AND (f.status = 'submitted' OR (f.status = 'approved' AND f.valid_until >= $2))
          GROUP BY f.category, f.status",
    )
    .bind(like)
    .bind(today)
    .fetch_all(conn)
    .await?;
    let mut out = unioncard_api::hardship::HardshipCounts::default();
    for (category, status, n) in rows {
        match (
            status.as_str(),
            category.as_deref().and_then(Category::from_db),
        ) {
            ("submitted", _) => out.waiting += n,
            (_, Some(Category::Deep)) => out.deep += n,
            (_, Some(Category::Relative)) => out.relative += n,
            (_, Some(Category::Accident)) => out.accident += n,
            _ => {}
        }
    }
    Ok(out)
}

/// A member's workplace union.
pub async fn member_union(conn: &mut AnyConnection, roster_id: i64) -> AppResult<i64> {
    Ok(
        sqlx::query_scalar("SELECT union_id FROM roster_entries WHERE id = $1")
            .bind(roster_id)
            .fetch_one(conn)
            .await?,
    )
}

/// A member account's roster entry, union and that union's path; `None`
/// when the account is not a member's.
#[derive(Debug, FromRow)]
pub struct MemberPlace {
    pub roster_id: i64,
    pub union_id: i64,
    pub path: String,
}

/// Where the member with this account belongs.
pub async fn member_place(
    conn: &mut AnyConnection,
    user_id: i64,
) -> AppResult<Option<MemberPlace>> {
    Ok(sqlx::query_as(
        "SELECT r.id AS roster_id, r.union_id, n.path
           FROM users a JOIN roster_entries r ON r.id = a.roster_id JOIN unions n ON n.id = r.union_id
          WHERE a.id = $1 AND a.role = 'member'",
    )
    .bind(user_id)
    .fetch_optional(conn)
    .await?)
}
