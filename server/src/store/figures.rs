//! The officers' figures kept as the events happen (migration 0024).
//!
//! Counting every card and every redemption on each look took seconds at a
//! million members. Instead, each write that makes a figure adds to one row
//! per union and day ([`add`]) and marks who used their card ([`card_used`])
//! in the same transaction as the event itself, so the figures are never
//! behind and a rolled-back write leaves no trace. A look then sums a few
//! rows per union and day and joins a few bitmaps (`store::uses`).
//!
//! [`rebuild`] counts all of it again from the records: once for a database
//! that held events before these tables existed, after the demo's bulk load,
//! and in tests as the check that the running tally equals a recount.
//!
//! Every read of a period goes `unions u CROSS JOIN <figure table>`: SQLite keeps a
//! cross join's order, so it finds the unions under the path first and
//! reads each one's rows for the period from the (union, day) key. Given
//! the tables in the other order, and no statistics (the server keeps
//! none: `ANALYZE` sped these up but made the audit log 400 times slower),
//! it read the whole table in key order to save a sort, and that table
//! grows with the days and unions that ever had an event (2.6 → 0.4 ms a
//! query over 100,000 members). PostgreSQL plans it as any join.
//!
//! Events count for the union the member (or the case) belonged to when
//! they happened: a member who moves (转会) takes their card along from the
//! day they move, and last year's figures of the union they left stay as
//! they were.

use std::collections::HashMap;

use sqlx::AnyConnection;

use crate::error::AppResult;
use crate::time;

/// What a figure row counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Tally {
    /// A card issued.
    Issued,
    /// A card activated.
    Activated,
    /// Cards a union gained (+) or lost (−) by members moving.
    CardsMoved,
    /// Active cards gained or lost by moves, or lost by a replacement.
    ActiveMoved,
    /// A discount redeemed (`fen`: the saving).
    Redemption,
    /// An aid enrolment.
    Enrolment,
    /// An aid claim paid (`fen`: the approved amount).
    ClaimPaid,
    /// A training sign-up.
    Signup,
}

impl Tally {
    /// The count's column and, for money, the amount's.
    fn columns(self) -> (&'static str, Option<&'static str>) {
        match self {
            Tally::Issued => ("issued", None),
            Tally::Activated => ("activated", None),
            Tally::CardsMoved => ("cards_moved", None),
            Tally::ActiveMoved => ("active_moved", None),
            Tally::Redemption => ("redemptions", Some("savings_fen")),
            Tally::Enrolment => ("enrolments", None),
            Tally::ClaimPaid => ("claims", Some("claims_fen")),
            Tally::Signup => ("signups", None),
        }
    }
}

/// The China day of an instant, as the figure rows are keyed.
pub fn day_of(at: i64) -> i64 {
    time::china_day(at)
}

/// The month number of a day (`year * 12 + month - 1`), as the monthly
/// bitmaps are keyed.
pub fn month_of_day(day: i64) -> i64 {
    let (y, m, _) = time::civil_from_days(day);
    y * 12 + i64::from(m) - 1
}

/// The month number ([`month_of_day`]) of the column `day` in SQL: each
/// engine has its own calendar functions.
pub fn month_of_day_sql(postgres: bool) -> &'static str {
    if postgres {
        "(CAST(EXTRACT(YEAR FROM to_timestamp(day * 86400) AT TIME ZONE 'UTC') AS BIGINT) * 12
          + CAST(EXTRACT(MONTH FROM to_timestamp(day * 86400) AT TIME ZONE 'UTC') AS BIGINT) - 1)"
    } else {
        "(CAST(strftime('%Y', day * 86400, 'unixepoch') AS INTEGER) * 12
          + CAST(strftime('%m', day * 86400, 'unixepoch') AS INTEGER) - 1)"
    }
}

/// Adds `n` (and `fen`) to a union's figure for the day of `at`, and to
/// its month's.
pub async fn add(
    conn: &mut AnyConnection,
    union_id: i64,
    at: i64,
    tally: Tally,
    n: i64,
    fen: i64,
) -> sqlx::Result<()> {
    let (col, money) = tally.columns();
    let day = day_of(at);
    for (table, key, when) in [
        ("figure_days", "day", day),
        ("figure_months", "month", month_of_day(day)),
    ] {
        let sql = match money {
            None => format!(
                "INSERT INTO {table} (union_id, {key}, {col}) VALUES ($1, $2, $3)
                 ON CONFLICT (union_id, {key}) DO UPDATE SET {col} = {table}.{col} + excluded.{col}"
            ),
            Some(m) => format!(
                "INSERT INTO {table} (union_id, {key}, {col}, {m}) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (union_id, {key}) DO UPDATE SET {col} = {table}.{col} + excluded.{col},
                     {m} = {table}.{m} + excluded.{m}"
            ),
        };
        let mut q = sqlx::query(&sql).bind(union_id).bind(when).bind(n);
        if money.is_some() {
            q = q.bind(fen);
        }
        q.execute(&mut *conn).await?;
    }
    let held = match tally {
        Tally::Issued | Tally::CardsMoved => "held",
        Tally::Activated | Tally::ActiveMoved => "active",
        _ => return Ok(()),
    };
    sqlx::query(&format!(
        "INSERT INTO figure_cards (union_id, {held}) VALUES ($1, $2)
         ON CONFLICT (union_id) DO UPDATE SET {held} = figure_cards.{held} + excluded.{held}"
    ))
    .bind(union_id)
    .bind(n)
    .execute(conn)
    .await?;
    Ok(())
}

/// Adds to the figure of the member's union now (a card, a redemption, a
/// sign-up count for the member's union).
pub async fn add_for_member(
    conn: &mut AnyConnection,
    roster_id: i64,
    at: i64,
    tally: Tally,
    fen: i64,
) -> sqlx::Result<()> {
    if let Some(union_id) = union_of(conn, roster_id).await? {
        add(conn, union_id, at, tally, 1, fen).await?;
    }
    Ok(())
}

async fn union_of(conn: &mut AnyConnection, roster_id: i64) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar("SELECT union_id FROM roster_entries WHERE id = $1")
        .bind(roster_id)
        .fetch_optional(conn)
        .await
}

/// Marks the member as having used their card on the day of `at` (a
/// redemption, an enrolment, a claim or loan application sent, a training
/// sign-up), in their union's day and month bitmaps.
pub async fn card_used(conn: &mut AnyConnection, roster_id: i64, at: i64) -> sqlx::Result<()> {
    if let Some(union_id) = union_of(conn, roster_id).await? {
        super::uses::mark(conn, roster_id, union_id, at).await?;
    }
    Ok(())
}

/// A member's use of the card that is also a figure of their union (a
/// redemption, a sign-up): the union looked up once for both.
pub async fn member_used(
    conn: &mut AnyConnection,
    roster_id: i64,
    at: i64,
    tally: Tally,
    fen: i64,
) -> sqlx::Result<()> {
    if let Some(union_id) = union_of(conn, roster_id).await? {
        add(conn, union_id, at, tally, 1, fen).await?;
        super::uses::mark(conn, roster_id, union_id, at).await?;
    }
    Ok(())
}

/// A card whose member moved from one union to another on `at`: it counts
/// for the new union from that day (and its activation with it).
pub async fn card_moved(
    conn: &mut AnyConnection,
    roster_id: i64,
    from: i64,
    to: i64,
    at: i64,
) -> sqlx::Result<()> {
    let card: Option<(Option<i64>,)> =
        sqlx::query_as("SELECT activated_at FROM cards WHERE roster_id = $1")
            .bind(roster_id)
            .fetch_optional(&mut *conn)
            .await?;
    let Some((activated_at,)) = card else {
        return Ok(());
    };
    add(conn, from, at, Tally::CardsMoved, -1, 0).await?;
    add(conn, to, at, Tally::CardsMoved, 1, 0).await?;
    if activated_at.is_some() {
        add(conn, from, at, Tally::ActiveMoved, -1, 0).await?;
        add(conn, to, at, Tally::ActiveMoved, 1, 0).await?;
    }
    Ok(())
}

/// Whether the figures were counted from the records once.
pub async fn is_built(conn: &mut AnyConnection) -> sqlx::Result<bool> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM figures_built")
        .fetch_one(conn)
        .await?;
    Ok(n > 0)
}

/// Each counted figure from the records, per union and day: its column,
/// its amount's column if it has one, and the query giving union, day,
/// count and amount.
const RECOUNTS: [(&str, Option<&str>, &str); 6] = [
    (
        "issued",
        None,
        "SELECT r.union_id, (c.issued_at + 28800) / 86400, COUNT(*), 0 FROM cards c
           JOIN roster_entries r ON r.id = c.roster_id
          GROUP BY r.union_id, (c.issued_at + 28800) / 86400",
    ),
    (
        "activated",
        None,
        "SELECT r.union_id, (c.activated_at + 28800) / 86400, COUNT(*), 0 FROM cards c
           JOIN roster_entries r ON r.id = c.roster_id WHERE c.activated_at IS NOT NULL
          GROUP BY r.union_id, (c.activated_at + 28800) / 86400",
    ),
    (
        "redemptions",
        Some("savings_fen"),
        "SELECT r.union_id, (x.confirmed_at + 28800) / 86400, COUNT(*),
                CAST(COALESCE(SUM(x.discount_fen), 0) AS BIGINT)
           FROM redemptions x JOIN cards c ON c.id = x.card_id JOIN roster_entries r ON r.id = c.roster_id
          WHERE x.status = 'confirmed' GROUP BY r.union_id, (x.confirmed_at + 28800) / 86400",
    ),
    (
        "enrolments",
        None,
        "SELECT union_id, (created_at + 28800) / 86400, COUNT(*), 0 FROM aid_enrolments
          GROUP BY union_id, (created_at + 28800) / 86400",
    ),
    (
        "claims",
        Some("claims_fen"),
        "SELECT c.union_id, (e.at + 28800) / 86400, COUNT(*), CAST(COALESCE(SUM(c.approved_fen), 0) AS BIGINT)
           FROM aid_claim_events e JOIN aid_claims c ON c.id = e.claim_id WHERE e.status = 'paid'
          GROUP BY c.union_id, (e.at + 28800) / 86400",
    ),
    (
        "signups",
        None,
        "SELECT r.union_id, (s.created_at + 28800) / 86400, COUNT(*), 0 FROM signups s
           JOIN users us ON us.id = s.user_id JOIN roster_entries r ON r.id = us.roster_id
          GROUP BY r.union_id, (s.created_at + 28800) / 86400",
    ),
];

/// Counts every figure again from the records, replacing what was kept, in
/// the caller's transaction. The running tally ([`add`], [`card_used`])
/// must equal this for events that stayed with their union.
pub async fn rebuild(conn: &mut AnyConnection) -> sqlx::Result<()> {
    for table in [
        "figure_days",
        "figure_months",
        "figure_cards",
        "use_days",
        "use_months",
        "use_numbers",
        "use_number_next",
        "figures_built",
    ] {
        sqlx::query(&format!("DELETE FROM {table}"))
            .execute(&mut *conn)
            .await?;
    }
    for (col, money, sql) in RECOUNTS {
        let rows: Vec<(i64, i64, i64, Option<i64>)> =
            sqlx::query_as(sql).fetch_all(&mut *conn).await?;
        let (cols, width, set) = match money {
            None => (
                col.to_string(),
                3,
                format!("{col} = figure_days.{col} + excluded.{col}"),
            ),
            Some(m) => (
                format!("{col}, {m}"),
                4,
                format!(
                    "{col} = figure_days.{col} + excluded.{col}, {m} = figure_days.{m} + excluded.{m}"
                ),
            ),
        };
        for chunk in rows.chunks(super::roster::BATCH) {
            let sql = format!(
                "INSERT INTO figure_days (union_id, day, {cols}) VALUES {}
                 ON CONFLICT (union_id, day) DO UPDATE SET {set}",
                super::values_placeholders(chunk.len(), width)
            );
            let mut q = sqlx::query(&sql);
            for (u, d, n, fen) in chunk {
                q = q.bind(*u).bind(*d).bind(*n);
                if money.is_some() {
                    q = q.bind(fen.unwrap_or(0));
                }
            }
            q.execute(&mut *conn).await?;
        }
    }
    let month = month_of_day_sql(conn.backend_name() == "PostgreSQL");
    sqlx::query(&format!(
        "INSERT INTO figure_months (union_id, month, issued, activated, cards_moved, active_moved,
             redemptions, savings_fen, enrolments, claims, claims_fen, signups)
         SELECT union_id, {month}, SUM(issued), SUM(activated), SUM(cards_moved), SUM(active_moved),
             SUM(redemptions), SUM(savings_fen), SUM(enrolments), SUM(claims), SUM(claims_fen), SUM(signups)
           FROM figure_days GROUP BY union_id, {month}"
    ))
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO figure_cards (union_id, held, active)
         SELECT union_id, CAST(SUM(issued + cards_moved) AS BIGINT), CAST(SUM(activated + active_moved) AS BIGINT)
           FROM figure_days GROUP BY union_id",
    )
    .execute(&mut *conn)
    .await?;
    super::uses::rebuild(conn).await?;
    sqlx::query("INSERT INTO figures_built (id, built_at) VALUES (1, $1)")
        .bind(time::now())
        .execute(conn)
        .await?;
    Ok(())
}

/// The summed figures of one union up to a day.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, sqlx::FromRow)]
pub struct Sums {
    /// The union.
    pub union_id: i64,
    /// Cards it held by the end of the last day (0 on a row of the
    /// period's events: [`sums`] gives the cards on rows of their own).
    pub issued: i64,
    /// Active cards it held by then.
    pub activated: i64,
    /// Redemptions in the period.
    pub redemptions: i64,
    /// Their savings.
    pub savings_fen: i64,
    /// Aid enrolments in the period.
    pub enrolments: i64,
    /// Aid claims paid in the period.
    pub claims: i64,
    /// Their amount.
    pub claims_fen: i64,
    /// Training sign-ups in the period.
    pub signups: i64,
}

/// Per union under the path pattern: cards held at the end of day `to`,
/// and what happened in days `from..=to`.
pub async fn sums(
    conn: &mut AnyConnection,
    path_like: &str,
    from: i64,
    to: i64,
) -> AppResult<Vec<Sums>> {
    // Whole months from their rows, the days at either end from theirs.
    let mut events: HashMap<i64, Sums> = HashMap::new();
    for span in split(from, to) {
        let (table, key, a, b) = span.rows();
        let rows: Vec<Sums> = sqlx::query_as(&format!(
            "SELECT f.union_id, 0 AS issued, 0 AS activated,
                    CAST(SUM(f.redemptions) AS BIGINT) AS redemptions, CAST(SUM(f.savings_fen) AS BIGINT) AS savings_fen,
                    CAST(SUM(f.enrolments) AS BIGINT) AS enrolments, CAST(SUM(f.claims) AS BIGINT) AS claims,
                    CAST(SUM(f.claims_fen) AS BIGINT) AS claims_fen, CAST(SUM(f.signups) AS BIGINT) AS signups
               FROM unions u CROSS JOIN {table} f
              WHERE f.union_id = u.id AND u.path LIKE $1 AND f.{key} >= $2 AND f.{key} <= $3 GROUP BY f.union_id"
        ))
        .bind(path_like)
        .bind(a)
        .bind(b)
        .fetch_all(&mut *conn)
        .await?;
        for r in rows {
            let e = events.entry(r.union_id).or_insert(Sums {
                union_id: r.union_id,
                ..Sums::default()
            });
            e.redemptions += r.redemptions;
            e.savings_fen += r.savings_fen;
            e.enrolments += r.enrolments;
            e.claims += r.claims;
            e.claims_fen += r.claims_fen;
            e.signups += r.signups;
        }
    }
    let mut out: Vec<Sums> = events.into_values().collect();
    // Cards: held now, less what changed after the period's last day.
    let held: Vec<(i64, i64, i64)> = sqlx::query_as(
        "SELECT c.union_id, c.held, c.active FROM figure_cards c JOIN unions u ON u.id = c.union_id
          WHERE u.path LIKE $1",
    )
    .bind(path_like)
    .fetch_all(&mut *conn)
    .await?;
    let since: Vec<(i64, i64, i64)> = sqlx::query_as(
        "SELECT f.union_id, CAST(SUM(f.issued + f.cards_moved) AS BIGINT),
                CAST(SUM(f.activated + f.active_moved) AS BIGINT)
           FROM unions u CROSS JOIN figure_days f
          WHERE f.union_id = u.id AND u.path LIKE $1 AND f.day > $2 GROUP BY f.union_id",
    )
    .bind(path_like)
    .bind(to)
    .fetch_all(&mut *conn)
    .await?;
    let mut cards: HashMap<i64, (i64, i64)> =
        held.into_iter().map(|(u, h, a)| (u, (h, a))).collect();
    for (u, h, a) in since {
        let e = cards.entry(u).or_default();
        e.0 -= h;
        e.1 -= a;
    }
    for (union_id, (issued, activated)) in cards {
        out.push(Sums {
            union_id,
            issued,
            activated,
            ..Sums::default()
        });
    }
    Ok(out)
}

/// One month's figures of the unions under a path pattern, for the trend.
#[derive(Debug, Clone, Copy, Default, sqlx::FromRow)]
pub struct MonthSums {
    /// The month number ([`month_of_day`]).
    pub month: i64,
    /// Cards issued.
    pub issued: i64,
    /// Cards activated.
    pub activated: i64,
    /// Redemptions.
    pub redemptions: i64,
    /// Their savings.
    pub savings_fen: i64,
}

/// Cards issued and activated and redemptions per month of days
/// `from..=to` (the months at either end only for their days inside).
pub async fn per_month(
    conn: &mut AnyConnection,
    path_like: &str,
    from: i64,
    to: i64,
) -> AppResult<Vec<MonthSums>> {
    let mut months: HashMap<i64, MonthSums> = HashMap::new();
    for span in split(from, to) {
        let (table, key, a, b) = span.rows();
        let rows: Vec<MonthSums> = sqlx::query_as(&format!(
            "SELECT f.{key} AS month, CAST(SUM(f.issued) AS BIGINT) AS issued,
                    CAST(SUM(f.activated) AS BIGINT) AS activated, CAST(SUM(f.redemptions) AS BIGINT) AS redemptions,
                    CAST(SUM(f.savings_fen) AS BIGINT) AS savings_fen
               FROM unions u CROSS JOIN {table} f
              WHERE f.union_id = u.id AND u.path LIKE $1 AND f.{key} >= $2 AND f.{key} <= $3 GROUP BY f.{key}"
        ))
        .bind(path_like)
        .bind(a)
        .bind(b)
        .fetch_all(&mut *conn)
        .await?;
        for r in rows {
            // A day row's "month" is its day.
            let month = match span {
                Span::Months(..) => r.month,
                Span::Days(..) => month_of_day(r.month),
            };
            let m = months.entry(month).or_insert(MonthSums {
                month,
                ..MonthSums::default()
            });
            m.issued += r.issued;
            m.activated += r.activated;
            m.redemptions += r.redemptions;
            m.savings_fen += r.savings_fen;
        }
    }
    let mut out: Vec<MonthSums> = months.into_values().collect();
    out.sort_by_key(|m| m.month);
    Ok(out)
}

/// A stretch of a period: months it covers whole (by month number), or
/// days (by day number) of a month it covers in part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Span {
    Months(i64, i64),
    Days(i64, i64),
}

impl Span {
    /// The figure table, its key column and the key's range.
    fn rows(self) -> (&'static str, &'static str, i64, i64) {
        match self {
            Span::Months(a, b) => ("figure_months", "month", a, b),
            Span::Days(a, b) => ("figure_days", "day", a, b),
        }
    }
}

/// Days `from..=to` as the months they cover whole and the days at either
/// end: a long period reads a row per union and month, and at most the
/// days of two months.
fn split(from: i64, to: i64) -> Vec<Span> {
    if from > to {
        return Vec::new();
    }
    let (first_month, last_month) = (month_of_day(from), month_of_day(to));
    let whole_from = if month_of_day(from - 1) == first_month {
        first_month + 1
    } else {
        first_month
    };
    let whole_to = if month_of_day(to + 1) == last_month {
        last_month - 1
    } else {
        last_month
    };
    if whole_from > whole_to {
        return vec![Span::Days(from, to)];
    }
    let mut out = vec![Span::Months(whole_from, whole_to)];
    if whole_from != first_month {
        out.push(Span::Days(from, first_day_of_month(whole_from) - 1));
    }
    if whole_to != last_month {
        out.push(Span::Days(first_day_of_month(whole_to + 1), to));
    }
    out
}

/// The first day of a month number.
pub(super) fn first_day_of_month(month: i64) -> i64 {
    time::days_from_civil(month.div_euclid(12), (month.rem_euclid(12) + 1) as u32, 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_are_numbered_and_start_where_the_calendar_says() {
        let day = time::days_from_civil(2026, 2, 28);
        assert_eq!(month_of_day(day), 2026 * 12 + 1);
        assert_eq!(month_of_day(day + 1), 2026 * 12 + 2);
        assert_eq!(first_day_of_month(2026 * 12 + 2), day + 1);
        assert_eq!(
            first_day_of_month(2024 * 12 + 1) + 28,
            time::days_from_civil(2024, 2, 29)
        );
    }

    #[test]
    fn a_period_splits_into_whole_months_and_the_days_at_its_ends() {
        let day = |m, d| time::days_from_civil(2026, m, d);
        let month = |m: i64| 2026 * 12 + m - 1;
        // 15 March to 14 June: the days of March and June, April and May whole.
        assert_eq!(
            split(day(3, 15), day(6, 14)),
            [
                Span::Months(month(4), month(5)),
                Span::Days(day(3, 15), day(3, 31)),
                Span::Days(day(6, 1), day(6, 14)),
            ]
        );
        // Whole months only; a part of one month; one day; nothing.
        assert_eq!(
            split(day(1, 1), day(2, 28)),
            [Span::Months(month(1), month(2))]
        );
        assert_eq!(
            split(day(5, 2), day(5, 30)),
            [Span::Days(day(5, 2), day(5, 30))]
        );
        assert_eq!(
            split(day(5, 2), day(5, 2)),
            [Span::Days(day(5, 2), day(5, 2))]
        );
        assert!(split(day(5, 3), day(5, 2)).is_empty());
        // Across a year's end.
        assert_eq!(
            split(time::days_from_civil(2025, 12, 31), day(1, 31)),
            [
                Span::Months(month(1), month(1)),
                Span::Days(
                    time::days_from_civil(2025, 12, 31),
                    time::days_from_civil(2025, 12, 31)
                ),
            ]
        );
    }
}
