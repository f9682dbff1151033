//! The officers' figures: what the records give directly (the smaller
//! programmes: loans, hardship, union money, rights cases, counselling,
//! moves), per union and period; and the counts of their review queues.
//! The large ones (cards, redemptions, enrolments, claims paid, sign-ups,
//! who used the card) are kept as they happen: [`super::figures`].

use sqlx::AnyConnection;
use unioncard_api::stats::{Counts, QUEUE_COUNT_CAP};

use crate::error::AppResult;

/// How much waits in each review queue.
#[derive(Debug, Clone, Copy)]
pub struct QueueCounts {
    /// Join requests pending.
    pub join_requests: i64,
    /// Aid claims submitted, under review or waiting for documents.
    pub claims: i64,
    /// Loan applications waiting for a review, a guarantee or a payout.
    pub loans: i64,
    /// Open complaints about merchants.
    pub complaints: i64,
}

/// What waits in each review queue of the unions under this path pattern,
/// each counted up to [`QUEUE_COUNT_CAP`]. Unions first (SQLite keeps a
/// cross join's order): each union's waiting rows come from an index by
/// union (migration 0030), where the other order read every waiting claim
/// of the city to count one district's (0.75 → 0.05 ms over 100,000
/// members).
pub async fn queues(conn: &mut AnyConnection, path_like: &str) -> AppResult<QueueCounts> {
    Ok(QueueCounts {
        join_requests: count(
            conn,
            path_like,
            "SELECT 1 FROM unions u CROSS JOIN join_requests j
              WHERE j.union_id = u.id AND u.path LIKE $1 AND j.status = 'pending'",
        )
        .await?,
        claims: count(
            conn,
            path_like,
            "SELECT 1 FROM unions u CROSS JOIN aid_claims c
              WHERE c.union_id = u.id AND u.path LIKE $1 AND c.status IN ('submitted', 'under_review', 'documents_requested')",
        )
        .await?,
        loans: count(
            conn,
            path_like,
            "SELECT 1 FROM unions u CROSS JOIN loan_applications l
              WHERE l.union_id = u.id AND u.path LIKE $1 AND l.status IN ('submitted', 'union_approved', 'guaranteed')",
        )
        .await?,
        complaints: count(
            conn,
            path_like,
            "SELECT 1 FROM complaints c JOIN merchants m ON m.id = c.merchant_id JOIN unions u ON u.id = m.union_id
              WHERE u.path LIKE $1 AND c.status = 'open'",
        )
        .await?,
    })
}

/// How many rows a query whose `$1` is the path pattern gives, up to
/// [`QUEUE_COUNT_CAP`]: the count stops reading there.
async fn count(conn: &mut AnyConnection, path_like: &str, sql: &'static str) -> AppResult<i64> {
    Ok(sqlx::query_scalar::<_, i64>(&format!(
        "SELECT COUNT(*) FROM ({sql} LIMIT {QUEUE_COUNT_CAP}) AS waiting"
    ))
    .bind(path_like)
    .fetch_one(conn)
    .await?)
}

/// A period as the figure queries take it.
#[derive(Debug, Clone, Copy)]
pub struct Period<'a> {
    /// The first instant (Unix seconds).
    pub start: i64,
    /// The instant after the last.
    pub end: i64,
    /// The first day, `YYYY-MM-DD`.
    pub from: &'a str,
    /// The last day, `YYYY-MM-DD`.
    pub to: &'a str,
}

/// Where a figure query's two numbers go.
type Put = fn(&mut Counts, i64, i64);

/// Each figure: the SQL, and where its two numbers go.
fn queries() -> Vec<(String, Put)> {
    // Every query takes the same five parameters and PostgreSQL wants each
    // one used, hence the `$n = $n` and `$4 <> ''` terms that change nothing.
    let in_scope =
        "JOIN unions u ON u.id = r.union_id WHERE u.path LIKE $1 AND $4 <> '' AND $5 <> ''";
    vec![
        (
            format!("SELECT r.union_id, COUNT(*), CAST(COALESCE(SUM(r.amount_fen), 0) AS BIGINT) FROM loan_applications r {in_scope}
                AND r.disbursed_on >= $4 AND r.disbursed_on <= $5 AND $2 = $2 AND $3 = $3 GROUP BY r.union_id"),
            |c, n, fen| {
                c.loans = n;
                c.loans_fen = fen;
            },
        ),
        (
            // Households on file on the period's last day.
            format!("SELECT r.union_id, COUNT(DISTINCT f.roster_id), 0 FROM hardship_files f
                JOIN roster_entries r ON r.id = f.roster_id {in_scope}
                AND f.status = 'approved' AND f.valid_until >= $5 AND f.decided_at < $3 AND $2 = $2
                GROUP BY r.union_id"),
            |c, n, _| c.hardship_households = n,
        ),
        (
            credited("'hardship', 'relief'"),
            |c, n, fen| {
                c.relief_people = n;
                c.relief_fen = fen;
            },
        ),
        (
            credited("'education'"),
            |c, n, fen| {
                c.education_students = n;
                c.education_fen = fen;
            },
        ),
        (
            credited("'allowance'"),
            |c, n, fen| {
                c.allowance_people = n;
                c.allowance_fen = fen;
            },
        ),
        (
            format!("SELECT r.union_id, COUNT(*), CAST(COALESCE(SUM(r.workers), 0) AS BIGINT) FROM rights_cases r {in_scope}
                AND r.created_at >= $2 AND r.created_at < $3 GROUP BY r.union_id"),
            |c, n, workers| {
                c.rights_cases = n;
                c.rights_workers = workers;
            },
        ),
        (
            format!("SELECT r.union_id, COUNT(*), 0 FROM rights_cases r {in_scope}
                AND r.workers > 1 AND r.created_at >= $2 AND r.created_at < $3 GROUP BY r.union_id"),
            |c, n, _| c.rights_collective = n,
        ),
        (
            format!("SELECT r.union_id, COUNT(*), 0 FROM rights_cases r {in_scope}
                AND r.status = 'closed' AND r.closed_at >= $2 AND r.closed_at < $3 GROUP BY r.union_id"),
            |c, n, _| c.rights_closed = n,
        ),
        (
            format!("SELECT r.union_id, COUNT(*), CAST(COALESCE(SUM(s.recovered_fen), 0) AS BIGINT)
                FROM rights_case_steps s JOIN rights_cases r ON r.id = s.case_id {in_scope}
                AND s.recovered_fen > 0 AND s.at >= $2 AND s.at < $3 GROUP BY r.union_id"),
            |c, _, fen| c.rights_recovered_fen = fen,
        ),
        (
            format!("SELECT r.union_id, COUNT(*), 0 FROM counselling_bookings b
                JOIN counselling_slots r ON r.id = b.slot_id {in_scope}
                AND b.status <> 'cancelled' AND b.booked_at >= $2 AND b.booked_at < $3 GROUP BY r.union_id"),
            |c, n, _| c.counselling_bookings = n,
        ),
    ]
}

/// Accepted transfers decided in `[start, end)` into or out of the unions
/// matching `path_like`: (from union, to union, how many). Whether a move
/// counts as in or out depends on the level it is summed at (a move between
/// two districts of one city is neither for the city), so the caller sums.
pub async fn moves(
    conn: &mut AnyConnection,
    path_like: &str,
    start: i64,
    end: i64,
) -> AppResult<Vec<(i64, i64, i64)>> {
    Ok(sqlx::query_as(
        "SELECT t.from_union_id, t.to_union_id, COUNT(*) FROM transfer_requests t
           JOIN unions f ON f.id = t.from_union_id JOIN unions tu ON tu.id = t.to_union_id
          WHERE (f.path LIKE $1 OR tu.path LIKE $1) AND t.status = 'accepted'
            AND t.decided_at >= $2 AND t.decided_at < $3
          GROUP BY t.from_union_id, t.to_union_id",
    )
    .bind(path_like)
    .bind(start)
    .bind(end)
    .fetch_all(conn)
    .await?)
}

/// How long each rights case closed in `[start, end)` took, in seconds,
/// with the union handling it: the medians are not sums, so the caller
/// takes them per union from these.
pub async fn rights_close_times(
    conn: &mut AnyConnection,
    path_like: &str,
    start: i64,
    end: i64,
) -> AppResult<Vec<(i64, i64)>> {
    Ok(sqlx::query_as(
        "SELECT c.union_id, c.closed_at - c.created_at FROM rights_cases c JOIN unions u ON u.id = c.union_id
          WHERE u.path LIKE $1 AND c.status = 'closed' AND c.closed_at >= $2 AND c.closed_at < $3",
    )
    .bind(path_like)
    .bind(start)
    .bind(end)
    .fetch_all(conn)
    .await?)
}

/// Rights cases reported in `[start, end)` by kind and status.
pub async fn rights_by_kind(
    conn: &mut AnyConnection,
    path_like: &str,
    start: i64,
    end: i64,
) -> AppResult<Vec<(String, String, i64)>> {
    Ok(sqlx::query_as(
        "SELECT c.kind, c.status, COUNT(*) FROM rights_cases c JOIN unions u ON u.id = c.union_id
          WHERE u.path LIKE $1 AND c.created_at >= $2 AND c.created_at < $3 GROUP BY c.kind, c.status",
    )
    .bind(path_like)
    .bind(start)
    .bind(end)
    .fetch_all(conn)
    .await?)
}

/// Union money credited in the period for some programmes (an SQL list of
/// their names): the people paid and the sum, per member union.
fn credited(programmes: &str) -> String {
    format!(
        "SELECT r.union_id, COUNT(DISTINCT l.roster_id), CAST(COALESCE(SUM(l.amount_fen), 0) AS BIGINT)
           FROM payment_lines l JOIN payment_batches b ON b.id = l.batch_id
           JOIN roster_entries r ON r.id = l.roster_id
           JOIN unions u ON u.id = r.union_id WHERE u.path LIKE $1 AND $4 <> '' AND $5 <> ''
            AND l.status = 'credited' AND l.credited_at >= $2 AND l.credited_at < $3
            AND b.programme IN ({programmes}) GROUP BY r.union_id"
    )
}

/// Every figure per member union: one grouped query per figure, each row a
/// member union's id and its [`Counts`] with only that figure set (to be
/// added up by the caller). `$1` is the path pattern, `$2` and `$3` the
/// period's first and after-last instants, `$4` and `$5` its first and last
/// days.
pub async fn figures_by_union(
    conn: &mut AnyConnection,
    path_like: &str,
    period: Period<'_>,
) -> AppResult<Vec<(i64, Counts)>> {
    let mut out = Vec::new();
    for (sql, put) in queries() {
        let rows: Vec<(i64, i64, Option<i64>)> = sqlx::query_as(&sql)
            .bind(path_like)
            .bind(period.start)
            .bind(period.end)
            .bind(period.from)
            .bind(period.to)
            .fetch_all(&mut *conn)
            .await?;
        for (member_union, a, b) in rows {
            let mut one = Counts::default();
            put(&mut one, a, b.unwrap_or(0));
            out.push((member_union, one));
        }
    }
    Ok(out)
}
