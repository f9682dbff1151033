//! Rights cases' SQL: routing a report to its union, the case and its
//! workers, the timeline, the officers' and lawyers' queues, and the
//! conditional steps (triage from `submitted`, assignment and steps while
//! `in_progress`).

use sqlx::{AnyConnection, FromRow};
use unioncard_api::rights::CaseStatus;

use crate::error::{AppError, AppResult};

/// The union a report goes to: the union over the employer's workplace
/// union when the employer has one (named as the union is, with or without
/// its trailing 工会), else the district union of `district`.
pub async fn route(
    conn: &mut AnyConnection,
    employer: &str,
    district: Option<&str>,
) -> AppResult<Option<i64>> {
    let over_workplace: Option<Option<i64>> = sqlx::query_scalar(
        "SELECT parent_id FROM unions WHERE level = 'workplace' AND (name = $1 OR name = $2)
          ORDER BY id LIMIT 1",
    )
    .bind(employer)
    .bind(format!("{employer}工会"))
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(Some(parent)) = over_workplace {
        return Ok(Some(parent));
    }
    let Some(district) = district else {
        return Ok(None);
    };
    Ok(sqlx::query_scalar(
        "SELECT id FROM unions WHERE level = 'district' AND district = $1 ORDER BY id LIMIT 1",
    )
    .bind(district)
    .fetch_optional(conn)
    .await?)
}

/// The districts that have a district union, for the report's list.
pub async fn districts(conn: &mut AnyConnection) -> AppResult<Vec<String>> {
    Ok(sqlx::query_scalar(
        "SELECT DISTINCT district FROM unions WHERE level = 'district' AND district IS NOT NULL
          ORDER BY district LIMIT 500",
    )
    .fetch_all(conn)
    .await?)
}

/// A case about to be written.
pub struct NewCase<'a> {
    pub union_id: i64,
    pub kind: &'a str,
    pub employer_name: &'a str,
    pub credit_code: Option<&'a str>,
    pub district: Option<&'a str>,
    pub address: &'a str,
    pub facts: &'a str,
    pub amount_fen: Option<i64>,
    pub workers: i64,
    pub dispute_on: Option<String>,
    pub join_code: &'a str,
}

/// Writes a case waiting for triage.
pub async fn insert_case(tx: &mut AnyConnection, c: &NewCase<'_>, now: i64) -> AppResult<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO rights_cases (union_id, kind, status, employer_name, credit_code, district,
            address, facts, amount_fen, workers, dispute_on, join_code, created_at, updated_at)
         VALUES ($1, $2, 'submitted', $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id",
    )
    .bind(c.union_id)
    .bind(c.kind)
    .bind(c.employer_name)
    .bind(c.credit_code)
    .bind(c.district)
    .bind(c.address)
    .bind(c.facts)
    .bind(c.amount_fen)
    .bind(c.workers)
    .bind(&c.dispute_on)
    .bind(c.join_code)
    .bind(now)
    .fetch_one(tx)
    .await?)
}

/// A worker about to be put on a case (identity already encrypted).
pub struct NewWorker<'a> {
    pub user_id: Option<i64>,
    pub name: &'a str,
    pub id_enc: &'a str,
    pub id_hash: &'a str,
    pub id_masked: &'a str,
    pub phone_enc: &'a str,
    pub phone_hash: &'a str,
    pub phone_masked: &'a str,
}

/// Puts a worker on a case; a unique violation means they are on it.
/// Joining raises the case's count of workers when more have joined than
/// were reported.
pub async fn insert_worker(
    tx: &mut AnyConnection,
    case_id: i64,
    w: &NewWorker<'_>,
    reporter: bool,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO rights_case_workers (case_id, user_id, name, id_enc, id_hash, id_masked,
            phone_enc, phone_hash, phone_masked, reporter, joined_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(case_id)
    .bind(w.user_id)
    .bind(w.name)
    .bind(w.id_enc)
    .bind(w.id_hash)
    .bind(w.id_masked)
    .bind(w.phone_enc)
    .bind(w.phone_hash)
    .bind(w.phone_masked)
    .bind(i32::from(reporter))
    .bind(now)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "UPDATE rights_cases SET workers = (SELECT COUNT(*) FROM rights_case_workers WHERE case_id = $1)
          WHERE id = $1 AND workers < (SELECT COUNT(*) FROM rights_case_workers WHERE case_id = $1)",
    )
    .bind(case_id)
    .execute(tx)
    .await?;
    Ok(())
}

/// A step on the timeline.
pub async fn add_step(
    tx: &mut AnyConnection,
    case_id: i64,
    kind: &str,
    note: &str,
    recovered_fen: i64,
    by: Option<(i64, &str)>,
    now: i64,
) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO rights_case_steps (case_id, kind, note, recovered_fen, by_user, by_name, at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(case_id)
    .bind(kind)
    .bind(note)
    .bind(recovered_fen)
    .bind(by.map(|b| b.0))
    .bind(by.map(|b| b.1))
    .bind(now)
    .execute(tx)
    .await?;
    Ok(())
}

const SELECT: &str = "SELECT c.id, c.union_id, u.name AS union_name, u.path AS union_path, c.kind, c.status,
        c.employer_name, c.credit_code, c.district, c.address, c.facts, c.amount_fen, c.workers,
        c.dispute_on, c.join_code, c.lawyer_id, l.name AS lawyer_name, l.phone_enc AS lawyer_phone_enc,
        c.referred_to, c.referred_phone, c.decline_reason, c.recovered_fen, c.arbitration_filed,
        c.created_at,
        (SELECT COUNT(*) FROM rights_case_workers w WHERE w.case_id = c.id) AS joined
   FROM rights_cases c JOIN unions u ON u.id = c.union_id LEFT JOIN users l ON l.id = c.lawyer_id";

/// A case as stored, with its union and lawyer.
#[derive(Debug, FromRow)]
pub struct CaseRow {
    pub id: i64,
    pub union_id: i64,
    pub union_name: String,
    pub union_path: String,
    pub kind: String,
    pub status: String,
    pub employer_name: String,
    pub credit_code: Option<String>,
    pub district: Option<String>,
    pub address: String,
    pub facts: String,
    pub amount_fen: Option<i64>,
    pub workers: i64,
    pub dispute_on: Option<String>,
    pub join_code: String,
    pub lawyer_id: Option<i64>,
    pub lawyer_name: Option<String>,
    pub lawyer_phone_enc: Option<String>,
    pub referred_to: Option<String>,
    pub referred_phone: Option<String>,
    pub decline_reason: Option<String>,
    pub recovered_fen: i64,
    pub arbitration_filed: i32,
    pub created_at: i64,
    pub joined: i64,
}

impl CaseRow {
    /// Its status; an unknown stored value is an internal error.
    pub fn status(&self) -> AppResult<CaseStatus> {
        CaseStatus::from_db(&self.status).ok_or_else(|| AppError::internal("unknown case status"))
    }
}

/// One case.
pub async fn one(conn: &mut AnyConnection, id: i64) -> AppResult<Option<CaseRow>> {
    Ok(sqlx::query_as(&format!("{SELECT} WHERE c.id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await?)
}

/// A step as stored.
#[derive(Debug, FromRow)]
pub struct StepRow {
    pub kind: String,
    pub note: String,
    pub recovered_fen: i64,
    pub by_name: Option<String>,
    pub at: i64,
}

/// A case's timeline, oldest first.
pub async fn steps(conn: &mut AnyConnection, case_id: i64) -> AppResult<Vec<StepRow>> {
    Ok(sqlx::query_as(
        "SELECT kind, note, recovered_fen, by_name, at FROM rights_case_steps
          WHERE case_id = $1 ORDER BY id DESC LIMIT 500",
    )
    .bind(case_id)
    .fetch_all(conn)
    .await
    .map(|mut v: Vec<StepRow>| {
        // The newest 500, oldest first: a case joined by thousands still
        // shows its last steps.
        v.reverse();
        v
    })?)
}

/// The reporter: name and masked phone (for the desk).
pub async fn reporter(
    conn: &mut AnyConnection,
    case_id: i64,
) -> AppResult<Option<(String, String)>> {
    Ok(sqlx::query_as(
        "SELECT name, phone_masked FROM rights_case_workers WHERE case_id = $1 AND reporter = 1",
    )
    .bind(case_id)
    .fetch_optional(conn)
    .await?)
}

/// The reporter's name and encrypted phone.
pub async fn reporter_contact(
    conn: &mut AnyConnection,
    case_id: i64,
) -> AppResult<Option<(String, String)>> {
    Ok(sqlx::query_as(
        "SELECT name, phone_enc FROM rights_case_workers WHERE case_id = $1 AND reporter = 1",
    )
    .bind(case_id)
    .fetch_optional(conn)
    .await?)
}

/// Whether the account is one of the case's workers.
pub async fn is_worker(conn: &mut AnyConnection, case_id: i64, user_id: i64) -> AppResult<bool> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM rights_case_workers WHERE case_id = $1 AND user_id = $2",
    )
    .bind(case_id)
    .bind(user_id)
    .fetch_one(conn)
    .await?;
    Ok(n > 0)
}

/// The cases a member's account is on, newest first.
pub async fn of_member(conn: &mut AnyConnection, user_id: i64) -> AppResult<Vec<CaseRow>> {
    Ok(sqlx::query_as(&format!(
        "{SELECT} WHERE c.id IN (SELECT case_id FROM rights_case_workers WHERE user_id = $1)
          ORDER BY c.id DESC LIMIT 50"
    ))
    .bind(user_id)
    .fetch_all(conn)
    .await?)
}

/// Whether cases reported without an account carry this ID number and
/// phone and wait to be tied to the member's account.
pub async fn has_unclaimed(
    conn: &mut AnyConnection,
    id_hash: &str,
    phone_hash: &str,
) -> AppResult<bool> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM rights_case_workers
          WHERE id_hash = $1 AND phone_hash = $2 AND user_id IS NULL",
    )
    .bind(id_hash)
    .bind(phone_hash)
    .fetch_one(conn)
    .await?;
    Ok(n > 0)
}

/// Ties to a member's account the cases they reported or joined before
/// they had one: the same ID number and the same phone as the account's.
pub async fn claim_for_member(
    tx: &mut AnyConnection,
    user_id: i64,
    id_hash: &str,
    phone_hash: &str,
) -> AppResult<()> {
    sqlx::query(
        "UPDATE rights_case_workers SET user_id = $1
          WHERE id_hash = $2 AND phone_hash = $3 AND user_id IS NULL",
    )
    .bind(user_id)
    .bind(id_hash)
    .bind(phone_hash)
    .execute(tx)
    .await?;
    Ok(())
}

/// The cases someone without an account is on (phone and ID number both
/// match), newest first.
pub async fn of_person(
    conn: &mut AnyConnection,
    id_hash: &str,
    phone_hash: &str,
) -> AppResult<Vec<CaseRow>> {
    Ok(sqlx::query_as(&format!(
        "{SELECT} WHERE c.id IN (SELECT case_id FROM rights_case_workers
                                   WHERE id_hash = $1 AND phone_hash = $2)
          ORDER BY c.id DESC LIMIT 50"
    ))
    .bind(id_hash)
    .bind(phone_hash)
    .fetch_all(conn)
    .await?)
}

/// What a desk queue asks for.
pub struct QueueFilter {
    /// Unions in scope (`LIKE` on the path), for officers.
    pub like: Option<String>,
    /// Only this lawyer's cases.
    pub lawyer: Option<i64>,
    /// Only this status.
    pub status: Option<CaseStatus>,
    /// Only open cases with nothing filed whose dispute arose on or before
    /// this day (`YYYY-MM-DD`): the deadline warning's candidates.
    pub disputed_by: Option<String>,
    /// Cases with a smaller id than this (the next page).
    pub before: Option<i64>,
    /// How many.
    pub limit: i64,
}

/// A desk queue, newest first (keyset on id).
pub async fn queue(conn: &mut AnyConnection, f: &QueueFilter) -> AppResult<Vec<CaseRow>> {
    let mut filters = Vec::new();
    let mut binds: Vec<String> = Vec::new();
    if let Some(like) = &f.like {
        binds.push(like.clone());
        filters.push(format!("u.path LIKE ${}", binds.len()));
    }
    if let Some(lawyer) = f.lawyer {
        filters.push(format!("c.lawyer_id = {lawyer}"));
    }
    if let Some(s) = f.status {
        binds.push(s.as_str().to_string());
        filters.push(format!("c.status = ${}", binds.len()));
    }
    if let Some(d) = &f.disputed_by {
        binds.push(d.clone());
        filters.push(format!(
            "c.status IN ('submitted', 'in_progress') AND c.arbitration_filed = 0
             AND c.dispute_on IS NOT NULL AND c.dispute_on <= ${}",
            binds.len()
        ));
    }
    if let Some(b) = f.before {
        filters.push(format!("c.id < {b}"));
    }
    let sql = format!(
        "{SELECT} WHERE {} ORDER BY c.id DESC LIMIT {}",
        if filters.is_empty() {
            "1 = 1".to_string()
        } else {
            filters.join(" AND ")
        },
        f.limit
    );
    let mut q = sqlx::query_as::<_, CaseRow>(&sql);
    for b in &binds {
        q = q.bind(b);
    }
    Ok(q.fetch_all(conn).await?)
}

/// Moves a waiting case to its triage outcome; `false` when it no longer
/// waits.
pub async fn triage(
    tx: &mut AnyConnection,
    id: i64,
    to: CaseStatus,
    referral: Option<(&str, &str)>,
    reason: Option<&str>,
    now: i64,
) -> AppResult<bool> {
    let closed = (!to.is_open()).then_some(now);
    let done = sqlx::query(
        "UPDATE rights_cases SET status = $1, referred_to = $2, referred_phone = $3,
                decline_reason = $4, updated_at = $5, closed_at = $6
          WHERE id = $7 AND status = 'submitted'",
    )
    .bind(to.as_str())
    .bind(referral.map(|r| r.0))
    .bind(referral.map(|r| r.1))
    .bind(reason)
    .bind(now)
    .bind(closed)
    .bind(id)
    .execute(tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Assigns a lawyer to a case in hand; `false` when it is not in hand.
pub async fn assign(tx: &mut AnyConnection, id: i64, lawyer: i64, now: i64) -> AppResult<bool> {
    let done = sqlx::query(
        "UPDATE rights_cases SET lawyer_id = $1, updated_at = $2
          WHERE id = $3 AND status = 'in_progress'",
    )
    .bind(lawyer)
    .bind(now)
    .bind(id)
    .execute(tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Books a step on a case in hand: adds what it recovered (only while the
/// total stays within `max_total`), marks arbitration filed, closes the
/// case for an outcome. `false` when the case is not in hand or the total
/// would pass the bound (the caller tells which).
pub async fn book_step(
    tx: &mut AnyConnection,
    id: i64,
    recovered_fen: i64,
    max_total: i64,
    filed: bool,
    close: bool,
    now: i64,
) -> AppResult<bool> {
    let done = sqlx::query(
        "UPDATE rights_cases SET recovered_fen = recovered_fen + $1,
                arbitration_filed = CASE WHEN $2 = 1 THEN 1 ELSE arbitration_filed END,
                status = CASE WHEN $3 = 1 THEN 'closed' ELSE status END,
                closed_at = CASE WHEN $3 = 1 THEN $4 ELSE closed_at END,
                updated_at = $4
          WHERE id = $5 AND status = 'in_progress' AND recovered_fen + $1 <= $6",
    )
    .bind(recovered_fen)
    .bind(i32::from(filed))
    .bind(i32::from(close))
    .bind(now)
    .bind(id)
    .bind(max_total)
    .execute(tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A lawyer an officer may assign.
#[derive(Debug, FromRow)]
pub struct LawyerRow {
    pub id: i64,
    pub name: String,
    pub union_name: String,
    pub open_cases: i64,
}

/// The lawyers an officer whose union has `path` may assign: those of the
/// officer's union and the unions below it, and of the unions above it (a
/// city's 职工律师团 serves its districts). Enabled accounts only.
pub async fn lawyers(conn: &mut AnyConnection, path: &str) -> AppResult<Vec<LawyerRow>> {
    Ok(sqlx::query_as(
        "SELECT us.id, us.name, u.name AS union_name,
                (SELECT COUNT(*) FROM rights_cases c
                  WHERE c.lawyer_id = us.id AND c.status IN ('submitted', 'in_progress')) AS open_cases
           FROM users us JOIN unions u ON u.id = us.union_id
          WHERE us.role = 'lawyer' AND us.disabled_at IS NULL
            AND (u.path LIKE $1 OR $2 LIKE u.path || '%')
          ORDER BY u.path, us.name, us.id LIMIT 200",
    )
    .bind(format!("{path}%"))
    .bind(path)
    .fetch_all(conn)
    .await?)
}

/// A member's identity as a case records it: the roster's name and ID
/// number (already encrypted and hashed) and the account's phone.
#[derive(Debug, FromRow)]
pub struct MemberIdentity {
    pub name: String,
    pub id_enc: String,
    pub id_hash: String,
    pub id_masked: String,
    pub phone_enc: String,
    pub phone_hash: String,
    pub phone_masked: String,
}

/// The identity of a member's account; `None` for an account without a
/// roster entry.
pub async fn member_identity(
    conn: &mut AnyConnection,
    user_id: i64,
) -> AppResult<Option<MemberIdentity>> {
    Ok(sqlx::query_as(
        "SELECT r.name, r.id_enc, r.id_hash, r.id_masked, u.phone_enc, u.phone_hash, u.phone_masked
           FROM users u JOIN roster_entries r ON r.id = u.roster_id WHERE u.id = $1",
    )
    .bind(user_id)
    .fetch_optional(conn)
    .await?)
}

/// Whether `lawyer` is a lawyer an officer whose union has `path` may
/// assign (see [`lawyers`]).
pub async fn may_assign(conn: &mut AnyConnection, path: &str, lawyer: i64) -> AppResult<bool> {
    Ok(lawyers(conn, path).await?.iter().any(|l| l.id == lawyer))
}
