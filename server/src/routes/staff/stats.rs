//! The officer's home counts and the figures. The large figures are kept
//! per union and day as their events happen (`store::figures`), the small
//! programmes' counted from their records (`store::stats`); each comes as
//! rows per member union, rolled up here to the unions directly below the
//! one asked about.

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use unioncard_api::identity::Date;
use unioncard_api::rights::{CaseKind, CaseStatus};
use unioncard_api::stats::Queues;
use unioncard_api::stats::{self, Counts, MonthRow, RightsKindRow, SortKey, Stats, UnionRow};
use unioncard_api::ErrorBody;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{current_lang, AppError, AppResult};
use crate::extract::Officer;
use crate::scope::Scope;
use crate::store::figures::MonthSums;
use crate::store::stats::Period;
use crate::{store, time, AppState};

/// The figures routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(queues))
        .routes(routes!(figures))
        .routes(routes!(figures_csv))
}

/// The officer's home: what waits in each queue, for their unions only.
#[utoipa::path(
    get, path = "/api/staff/queues", tag = "staff",
    responses(
        (status = 200, description = "Counts per queue, each up to 1,000 (1,000 means 1,000 or more)", body = Queues),
        (status = 403, description = "Not an officer", body = ErrorBody),
    )
)]
async fn queues(
    State(state): State<AppState>,
    Officer { scope, .. }: Officer,
) -> AppResult<axum::Json<Queues>> {
    let q = store::stats::queues(&mut *state.db.reader().await?, &scope.like()).await?;
    Ok(axum::Json(Queues {
        join_requests: q.join_requests,
        claims: q.claims,
        loans: q.loans,
        complaints: q.complaints,
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
async fn compute(state: &AppState, scope: &Scope, q: &StatsQuery) -> AppResult<Stats> {
    let union_id = q.union.unwrap_or(scope.union_id);
    scope.require_union(state, union_id).await?;
    let (from, to) = period(q)?;
    let key = match q.sort.as_deref() {
        None | Some("") => SortKey::ActivationRate,
        Some(s) => SortKey::parse(s).ok_or_else(|| AppError::bad_param("sort"))?,
    };
    // Figures may lag a moment behind the last write: a replica's read.
    let mut conn = state.db.lagging().await?;
    let top = store::unions::name_and_path(&mut conn, union_id).await?;
    let like = format!("{}%", top.path);
    // Every union below, mapped to the one directly below the top (by path).
    let depth = top.path.trim_matches('/').split('/').count();
    let unions = store::unions::under(&mut conn, &like).await?;
    let in_scope: std::collections::HashSet<i64> = unions.iter().map(|u| u.id).collect();
    let mut child_of: HashMap<i64, i64> = HashMap::new();
    let mut rows: Vec<UnionRow> = Vec::new();
    for u in unions {
        let child = u
            .path
            .trim_matches('/')
            .split('/')
            .nth(depth)
            .and_then(|s| s.parse::<i64>().ok());
        if let Some(child) = child {
            child_of.insert(u.id, child);
        }
        if u.parent_id == Some(union_id) {
            rows.push(UnionRow {
                union_id: u.id,
                name: u.name,
                counts: Counts::default(),
            });
        }
    }
    let start = time::day_start(from.to_days());
    let end = time::day_start(to.to_days() + 1);
    let (from_iso, to_iso) = (from.iso(), to.iso());
    let mut totals = Counts::default();
    let mut by_child: HashMap<i64, Counts> = HashMap::new();
    let period = Period {
        start,
        end,
        from: &from_iso,
        to: &to_iso,
    };
    let (from_day, to_day) = (from.to_days(), to.to_days());
    let mut per_union = store::stats::figures_by_union(&mut conn, &like, period).await?;
    for s in store::figures::sums(&mut conn, &like, from_day, to_day).await? {
        let one = Counts {
            issued: s.issued,
            activated: s.activated,
            redemptions: s.redemptions,
            savings_fen: s.savings_fen,
            enrolments: s.enrolments,
            claims: s.claims,
            claims_paid_fen: s.claims_fen,
            signups: s.signups,
            ..Counts::default()
        };
        per_union.push((s.union_id, one));
    }
    let used = store::uses::used(&mut conn, &like, from_day, to_day).await?;
    for (union_id, n) in &used.by_union {
        per_union.push((
            *union_id,
            Counts {
                used: *n,
                ..Counts::default()
            },
        ));
    }
    for (member_union, one) in per_union {
        totals.add(&one);
        if let Some(child) = child_of.get(&member_union) {
            by_child.entry(*child).or_default().add(&one);
        }
    }
    // Moves (转会): in or out only across the line being summed: a move
    // between two districts is one out and one in for them, nothing for
    // their city.
    for (from_u, to_u, n) in store::stats::moves(&mut conn, &like, start, end).await? {
        let (inside_from, inside_to) = (in_scope.contains(&from_u), in_scope.contains(&to_u));
        if inside_to && !inside_from {
            totals.transfers_in += n;
        }
        if inside_from && !inside_to {
            totals.transfers_out += n;
        }
        let (cf, ct) = (child_of.get(&from_u).copied(), child_of.get(&to_u).copied());
        if cf != ct {
            if let Some(c) = ct {
                by_child.entry(c).or_default().transfers_in += n;
            }
            if let Some(c) = cf {
                by_child.entry(c).or_default().transfers_out += n;
            }
        }
    }
    // Medians of days to close: of all cases, and of each union's below.
    let times = store::stats::rights_close_times(&mut conn, &like, start, end).await?;
    totals.rights_median_days =
        stats::median_days(&mut times.iter().map(|t| t.1).collect::<Vec<_>>());
    let mut times_of: HashMap<i64, Vec<i64>> = HashMap::new();
    for (u, secs) in times {
        if let Some(child) = child_of.get(&u) {
            times_of.entry(*child).or_default().push(secs);
        }
    }
    for r in &mut rows {
        r.counts = by_child.remove(&r.union_id).unwrap_or_default().finish();
        r.counts.rights_median_days = stats::median_days(
            times_of
                .get_mut(&r.union_id)
                .map_or(&mut [][..], |v| &mut v[..]),
        );
    }
    let mut rights_by_kind: Vec<RightsKindRow> = Vec::new();
    for (kind, status, n) in store::stats::rights_by_kind(&mut conn, &like, start, end).await? {
        let (Some(kind), Some(status)) = (CaseKind::from_db(&kind), CaseStatus::from_db(&status))
        else {
            continue;
        };
        match rights_by_kind.iter_mut().find(|r| r.kind == kind) {
            Some(r) => r.count(status, n),
            None => {
                let mut r = RightsKindRow::new(kind);
                r.count(status, n);
                rights_by_kind.push(r);
            }
        }
    }
    rights_by_kind.sort_by_key(|r| CaseKind::ALL.iter().position(|k| *k == r.kind));
    stats::sort_rows(&mut rows, key, q.weakest_first.unwrap_or(false));
    let sums = store::figures::per_month(&mut conn, &like, from_day, to_day).await?;
    Ok(Stats {
        union_id,
        name: top.name,
        from: from_iso,
        to: to_iso,
        totals: totals.finish(),
        unions: rows,
        months: months(from, to, &sums, &used.by_month),
        rights_by_kind,
    })
}

/// Month by month: cards issued, activated and used, redemptions and savings,
/// from the figures' months and the members who used their card each month.
fn months(from: Date, to: Date, sums: &[MonthSums], used: &[(i64, i64)]) -> Vec<MonthRow> {
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
    // Months are numbered as the figures number them: year × 12 + month − 1.
    let first = i64::from(from.year) * 12 + i64::from(from.month) - 1;
    let len = out.len();
    let slot = |month: i64| usize::try_from(month - first).ok().filter(|i| *i < len);
    for c in sums {
        if let Some(i) = slot(c.month) {
            out[i].issued += c.issued;
            out[i].activated += c.activated;
            out[i].redemptions += c.redemptions;
            out[i].savings_fen += c.savings_fen;
        }
    }
    for (month, n) in used {
        if let Some(i) = slot(*month) {
            out[i].used += n;
        }
    }
    out
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
    Officer { scope, .. }: Officer,
    Query(q): Query<StatsQuery>,
) -> AppResult<axum::Json<Stats>> {
    Ok(axum::Json(compute(&state, &scope, &q).await?))
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
    Officer { scope, .. }: Officer,
    Query(q): Query<StatsQuery>,
) -> AppResult<Response> {
    let s = compute(&state, &scope, &q).await?;
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
