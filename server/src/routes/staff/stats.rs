//! The officer's home counts and the figures: computed from the records on
//! every request (never kept as counters that could drift). Each figure is
//! one grouped query per member union; the rows are rolled up here to the
//! unions directly below the one asked about.

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use sqlx::Row;
use unioncard_api::identity::Date;
use unioncard_api::stats::{self, Counts, MonthRow, SortKey, Stats, UnionRow};
use unioncard_api::ErrorBody;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{current_lang, AppError, AppResult};
use crate::extract::CurrentUser;
use crate::scope::Scope;
use crate::{time, AppState};

/// The figures routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(queues))
        .routes(routes!(figures))
        .routes(routes!(figures_csv))
}

/// How much is waiting in each review queue.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Queues {
    /// Join requests pending.
    pub join_requests: i64,
    /// Aid claims submitted, under review or waiting for documents.
    pub claims: i64,
    /// Loan applications waiting for a review, a guarantee or a payout.
    pub loans: i64,
    /// Open complaints about merchants.
    pub complaints: i64,
}

/// The officer's home: what waits in each queue, for their unions only.
#[utoipa::path(
    get, path = "/api/staff/queues", tag = "staff",
    responses(
        (status = 200, description = "Counts per queue", body = Queues),
        (status = 403, description = "Not an officer", body = ErrorBody),
    )
)]
async fn queues(State(state): State<AppState>, user: CurrentUser) -> AppResult<axum::Json<Queues>> {
    let scope = Scope::of(&state, &user).await?;
    let like = scope.like();
    let count = |sql: &'static str| {
        let like = like.clone();
        let state = state.clone();
        async move {
            sqlx::query_scalar::<_, i64>(sql)
                .bind(like)
                .fetch_one(state.db.read())
                .await
        }
    };
    Ok(axum::Json(Queues {
        join_requests: count(
            "SELECT COUNT(*) FROM join_requests j JOIN unions u ON u.id = j.union_id
              WHERE u.path LIKE $1 AND j.status = 'pending'",
        )
        .await?,
        claims: count(
            "SELECT COUNT(*) FROM aid_claims c JOIN unions u ON u.id = c.union_id
              WHERE u.path LIKE $1 AND c.status IN ('submitted', 'under_review', 'documents_requested')",
        )
        .await?,
        loans: count(
            "SELECT COUNT(*) FROM loan_applications l JOIN unions u ON u.id = l.union_id
              WHERE u.path LIKE $1 AND l.status IN ('submitted', 'union_approved', 'guaranteed')",
        )
        .await?,
        complaints: count(
            "SELECT COUNT(*) FROM complaints c JOIN merchants m ON m.id = c.merchant_id JOIN unions u ON u.id = m.union_id
              WHERE u.path LIKE $1 AND c.status = 'open'",
        )
        .await?,
    }))
}

/// Which figures.
#[derive(Debug, Deserialize, IntoParams)]
pub struct StatsQuery {
    /// A union in the officer's scope (default: their own).
    pub union: Option<i64>,
    /// First day (default: 1 January this year).
    pub from: Option<String>,
    /// Last day (default: today).
    pub to: Option<String>,
    /// `name`, `issued`, `activation_rate` (default), `usage_rate`, `redemptions`.
    pub sort: Option<String>,
    /// `true`: the weakest units first.
    pub weakest_first: Option<bool>,
}

/// A per-union query: `(union_id, a, b)`; `$1` is the path pattern, `$2`
/// and `$3` the period's first and after-last instants, `$4` and `$5` the
/// period's first and last days.
async fn per_union(
    state: &AppState,
    sql: &str,
    like: &str,
    period: (i64, i64, &str, &str),
) -> AppResult<Vec<(i64, i64, i64)>> {
    let rows = sqlx::query(sql)
        .bind(like)
        .bind(period.0)
        .bind(period.1)
        .bind(period.2)
        .bind(period.3)
        .fetch_all(state.db.read())
        .await?;
    rows.iter()
        .map(|r| {
            Ok((
                r.try_get::<i64, _>(0)?,
                r.try_get::<i64, _>(1)?,
                r.try_get::<Option<i64>, _>(2)?.unwrap_or(0),
            ))
        })
        .collect()
}

/// The members who used their card in the period (any of the five things).
const USED: &str = "SELECT c.roster_id FROM redemptions x JOIN cards c ON c.id = x.card_id
        WHERE x.status = 'confirmed' AND x.confirmed_at >= $2 AND x.confirmed_at < $3
      UNION SELECT roster_id FROM aid_enrolments WHERE created_at >= $2 AND created_at < $3
      UNION SELECT roster_id FROM aid_claims WHERE submitted_at >= $2 AND submitted_at < $3
      UNION SELECT roster_id FROM loan_applications WHERE submitted_at >= $2 AND submitted_at < $3
      UNION SELECT us.roster_id FROM signups s JOIN users us ON us.id = s.user_id
        WHERE s.created_at >= $2 AND s.created_at < $3 AND us.roster_id IS NOT NULL";

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
            // Issued and activated in one pass over the cards.
            format!("SELECT r.union_id, COUNT(*),
                    CAST(SUM(CASE WHEN c.activated_at IS NOT NULL AND c.activated_at < $3 THEN 1 ELSE 0 END) AS BIGINT)
                FROM cards c JOIN roster_entries r ON r.id = c.roster_id {in_scope}
                AND c.issued_at < $3 AND $2 = $2 GROUP BY r.union_id"),
            |c, issued, activated| {
                c.issued = issued;
                c.activated = activated;
            },
        ),
        (
            format!("SELECT r.union_id, COUNT(*), 0 FROM roster_entries r {in_scope} AND r.id IN ({USED}) GROUP BY r.union_id"),
            |c, n, _| c.used = n,
        ),
        (
            format!("SELECT r.union_id, COUNT(*), CAST(COALESCE(SUM(x.discount_fen), 0) AS BIGINT) FROM redemptions x JOIN cards c ON c.id = x.card_id
                JOIN roster_entries r ON r.id = c.roster_id {in_scope}
                AND x.status = 'confirmed' AND x.confirmed_at >= $2 AND x.confirmed_at < $3 GROUP BY r.union_id"),
            |c, n, fen| {
                c.redemptions = n;
                c.savings_fen = fen;
            },
        ),
        (
            format!("SELECT r.union_id, COUNT(*), 0 FROM aid_enrolments r {in_scope}
                AND r.created_at >= $2 AND r.created_at < $3 GROUP BY r.union_id"),
            |c, n, _| c.enrolments = n,
        ),
        (
            format!("SELECT r.union_id, COUNT(*), CAST(COALESCE(SUM(r.approved_fen), 0) AS BIGINT) FROM aid_claim_events e JOIN aid_claims r ON r.id = e.claim_id
                {in_scope} AND e.status = 'paid' AND e.at >= $2 AND e.at < $3 GROUP BY r.union_id"),
            |c, n, fen| {
                c.claims = n;
                c.claims_paid_fen = fen;
            },
        ),
        (
            format!("SELECT r.union_id, COUNT(*), CAST(COALESCE(SUM(r.amount_fen), 0) AS BIGINT) FROM loan_applications r {in_scope}
                AND r.disbursed_on >= $4 AND r.disbursed_on <= $5 AND $2 = $2 AND $3 = $3 GROUP BY r.union_id"),
            |c, n, fen| {
                c.loans = n;
                c.loans_fen = fen;
            },
        ),
        (
            format!("SELECT r.union_id, COUNT(*), 0 FROM signups s JOIN users us ON us.id = s.user_id
                JOIN roster_entries r ON r.id = us.roster_id {in_scope}
                AND s.created_at >= $2 AND s.created_at < $3 GROUP BY r.union_id"),
            |c, n, _| c.signups = n,
        ),
    ]
}

/// Reads the period; 400 for dates that are not dates or out of order.
fn period(q: &StatsQuery) -> AppResult<(Date, Date)> {
    let today = time::today();
    let parse = |v: &Option<String>, field: &str, default: Date| match v.as_deref() {
        None | Some("") => Ok(default),
        Some(s) => Date::parse_iso(s).ok_or_else(|| AppError::bad_param(field)),
    };
    let from = parse(
        &q.from,
        "from",
        Date::new(today.year, 1, 1).unwrap_or(today),
    )?;
    let to = parse(&q.to, "to", today)?;
    if to < from || to.to_days() - from.to_days() > 366 * 5 {
        return Err(AppError::bad_param("to"));
    }
    Ok((from, to))
}

/// Computes the figures.
async fn compute(state: &AppState, user: &CurrentUser, q: &StatsQuery) -> AppResult<Stats> {
    let scope = Scope::of(state, user).await?;
    let union_id = q.union.unwrap_or(scope.union_id);
    scope.require_union(state, union_id).await?;
    let (from, to) = period(q)?;
    let key = match q.sort.as_deref() {
        None | Some("") => SortKey::ActivationRate,
        Some(s) => SortKey::parse(s).ok_or_else(|| AppError::bad_param("sort"))?,
    };
    let top = sqlx::query("SELECT name, path FROM unions WHERE id = $1")
        .bind(union_id)
        .fetch_one(state.db.read())
        .await?;
    let top_path: String = top.try_get("path")?;
    let like = format!("{top_path}%");
    // Every union below, mapped to the one directly below the top (by path).
    let depth = top_path.trim_matches('/').split('/').count();
    let unions = sqlx::query("SELECT id, name, path, parent_id FROM unions WHERE path LIKE $1")
        .bind(&like)
        .fetch_all(state.db.read())
        .await?;
    let mut child_of: HashMap<i64, i64> = HashMap::new();
    let mut rows: Vec<UnionRow> = Vec::new();
    for u in &unions {
        let id: i64 = u.try_get("id")?;
        let path: String = u.try_get("path")?;
        let child = path
            .trim_matches('/')
            .split('/')
            .nth(depth)
            .and_then(|s| s.parse::<i64>().ok());
        if let Some(child) = child {
            child_of.insert(id, child);
        }
        if u.try_get::<Option<i64>, _>("parent_id")? == Some(union_id) {
            rows.push(UnionRow {
                union_id: id,
                name: u.try_get("name")?,
                counts: Counts::default(),
            });
        }
    }
    let start = time::day_start(from.to_days());
    let end = time::day_start(to.to_days() + 1);
    let (from_iso, to_iso) = (from.iso(), to.iso());
    let mut totals = Counts::default();
    let mut by_child: HashMap<i64, Counts> = HashMap::new();
    for (sql, put) in queries() {
        for (member_union, a, b) in
            per_union(state, &sql, &like, (start, end, &from_iso, &to_iso)).await?
        {
            let mut one = Counts::default();
            put(&mut one, a, b);
            totals.add(&one);
            if let Some(child) = child_of.get(&member_union) {
                by_child.entry(*child).or_default().add(&one);
            }
        }
    }
    for r in &mut rows {
        r.counts = by_child.remove(&r.union_id).unwrap_or_default().finish();
    }
    stats::sort_rows(&mut rows, key, q.weakest_first.unwrap_or(false));
    Ok(Stats {
        union_id,
        name: top.try_get("name")?,
        from: from_iso,
        to: to_iso,
        totals: totals.finish(),
        unions: rows,
        months: months(state, &like, from, to).await?,
    })
}

/// Month by month: cards issued, activated and used, redemptions and savings.
/// Counted per day in SQL (plain integer arithmetic on both engines), then
/// summed into months here.
async fn months(state: &AppState, like: &str, from: Date, to: Date) -> AppResult<Vec<MonthRow>> {
    let start = time::day_start(from.to_days());
    let end = time::day_start(to.to_days() + 1);
    let mut out: Vec<MonthRow> = Vec::new();
    let mut d = Date::new(from.year, from.month, 1).unwrap_or(from);
    while d <= to && out.len() < 61 {
        out.push(MonthRow {
            month: format!("{:04}-{:02}", d.year, d.month),
            issued: 0,
            activated: 0,
            used: 0,
            redemptions: 0,
            savings_fen: 0,
        });
        d = d.add_months(1);
    }
    let month_of = |instant: i64| {
        let day = Date::from_days(time::china_day(instant));
        format!("{:04}-{:02}", day.year, day.month)
    };
    let index: HashMap<String, usize> = out
        .iter()
        .enumerate()
        .map(|(i, m)| (m.month.clone(), i))
        .collect();
    // Per day: issued, activated, redemptions (count and savings).
    let per_day = [
        ("SELECT (c.issued_at + 28800) / 86400 AS d, COUNT(*), 0 FROM cards c JOIN roster_entries r ON r.id = c.roster_id
            JOIN unions u ON u.id = r.union_id WHERE u.path LIKE $1 AND c.issued_at >= $2 AND c.issued_at < $3 GROUP BY d", 0),
        ("SELECT (c.activated_at + 28800) / 86400 AS d, COUNT(*), 0 FROM cards c JOIN roster_entries r ON r.id = c.roster_id
            JOIN unions u ON u.id = r.union_id WHERE u.path LIKE $1 AND c.activated_at >= $2 AND c.activated_at < $3 GROUP BY d", 1),
        ("SELECT (x.confirmed_at + 28800) / 86400 AS d, COUNT(*), CAST(COALESCE(SUM(x.discount_fen), 0) AS BIGINT) FROM redemptions x
            JOIN cards c ON c.id = x.card_id JOIN roster_entries r ON r.id = c.roster_id JOIN unions u ON u.id = r.union_id
            WHERE u.path LIKE $1 AND x.status = 'confirmed' AND x.confirmed_at >= $2 AND x.confirmed_at < $3 GROUP BY d", 2),
    ];
    for (sql, what) in per_day {
        let rows = sqlx::query(sql)
            .bind(like)
            .bind(start)
            .bind(end)
            .fetch_all(state.db.read())
            .await?;
        for r in rows {
            let day: i64 = r.try_get(0)?;
            let n: i64 = r.try_get(1)?;
            let fen: i64 = r.try_get::<Option<i64>, _>(2)?.unwrap_or(0);
            let Some(&i) = index.get(&month_of(time::day_start(day))) else {
                continue;
            };
            match what {
                0 => out[i].issued += n,
                1 => out[i].activated += n,
                _ => {
                    out[i].redemptions += n;
                    out[i].savings_fen += fen;
                }
            }
        }
    }
    // Used: distinct members per month, from the same events as the totals.
    let used_sql =         "SELECT e.roster_id, e.at FROM (
            SELECT c.roster_id, x.confirmed_at AS at FROM redemptions x JOIN cards c ON c.id = x.card_id
              WHERE x.status = 'confirmed' AND x.confirmed_at >= $2 AND x.confirmed_at < $3
            UNION ALL SELECT roster_id, created_at FROM aid_enrolments WHERE created_at >= $2 AND created_at < $3
            UNION ALL SELECT roster_id, submitted_at FROM aid_claims WHERE submitted_at >= $2 AND submitted_at < $3
            UNION ALL SELECT roster_id, submitted_at FROM loan_applications WHERE submitted_at >= $2 AND submitted_at < $3
            UNION ALL SELECT us.roster_id, s.created_at FROM signups s JOIN users us ON us.id = s.user_id
              WHERE s.created_at >= $2 AND s.created_at < $3 AND us.roster_id IS NOT NULL
         ) e JOIN roster_entries r ON r.id = e.roster_id JOIN unions u ON u.id = r.union_id WHERE u.path LIKE $1";
    let rows = sqlx::query(used_sql)
        .bind(like)
        .bind(start)
        .bind(end)
        .fetch_all(state.db.read())
        .await?;
    let mut seen: std::collections::HashSet<(usize, i64)> = std::collections::HashSet::new();
    for r in rows {
        let roster: i64 = r.try_get(0)?;
        let at: i64 = r.try_get(1)?;
        if let Some(&i) = index.get(&month_of(at)) {
            if seen.insert((i, roster)) {
                out[i].used += 1;
            }
        }
    }
    Ok(out)
}

/// The figures for a union and the unions directly below it, for a period,
/// with the monthly trend.
#[utoipa::path(
    get, path = "/api/staff/stats", tag = "staff",
    params(StatsQuery),
    responses(
        (status = 200, description = "The figures", body = Stats),
        (status = 400, description = "A malformed date or sort", body = ErrorBody),
        (status = 403, description = "Not an officer", body = ErrorBody),
        (status = 404, description = "A union outside your scope", body = ErrorBody),
    )
)]
async fn figures(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<StatsQuery>,
) -> AppResult<axum::Json<Stats>> {
    Ok(axum::Json(compute(&state, &user, &q).await?))
}

/// The same figures as a CSV file (one row per union below, then the total).
#[utoipa::path(
    get, path = "/api/staff/stats.csv", tag = "staff",
    params(StatsQuery),
    responses(
        (status = 200, description = "CSV, UTF-8 with a byte-order mark", content_type = "text/csv"),
        (status = 404, description = "A union outside your scope", body = ErrorBody),
    )
)]
async fn figures_csv(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<StatsQuery>,
) -> AppResult<Response> {
    let s = compute(&state, &user, &q).await?;
    let name = format!("unioncard-figures-{}-{}-{}.csv", s.union_id, s.from, s.to);
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        stats::csv(&s, current_lang()),
    )
        .into_response())
}
