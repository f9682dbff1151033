//! Who used their card, kept as the uses happen (migrations 0024, 0032,
//! 0033).
//!
//! "Used in a period" counts distinct members, which no sum can give. Each
//! union numbers its members at their first use ([`use_number`]) and keeps
//! a compressed bitmap (Roaring) of those numbers for every day and every
//! month it saw a use. Joining the bitmaps of a period gives its users.
//!
//! Joining one bitmap per day and month made the work grow with the
//! members: a quarter from mid-month to mid-month joined 60 day bitmaps of
//! every union, five years sixty month bitmaps. So each row of a group (the
//! days of a month, the months of a year) also holds who used the card
//! from the group's start up to it (`to_date`) and from it to the group's
//! end (`to_end`). A period is then a few bitmaps per union ([`pieces`]):
//! this year is the months up to last month's `to_date` and this month's
//! days up to today's; a quarter is one `to_end`, the months between and
//! one `to_date`.
//!
//! From January 1st to a day after a union's last use (this year, as the
//! officers' figures open), its users are its latest month's `to_date`,
//! whose size is kept beside it (`to_date_used`): no bitmap is read at all
//! ([`year_to_date`]).
//!
//! `to_date` is kept with every use: a use today adds its bit to today's
//! row, which starts from the last row's. `to_end` would change every
//! earlier row of the month on a member's first use, so it is made for a
//! group once, when the union first uses a later one ([`close`]), and only
//! kept after that; a group without it is read row by row.
//!
//! Uses are written one at a time per union (a lock on its numbering row),
//! so two at once cannot both miss each other's bit in a row they copy.

use std::collections::{BTreeMap, HashMap};

use futures_util::TryStreamExt;
use roaring::{MultiOps, RoaringBitmap};
use sqlx::AnyConnection;

use super::figures::{day_of, first_day_of_month, month_of_day};
use crate::error::AppResult;

/// A union's bitmaps of one kind: its days, grouped in months, or its
/// months, grouped in years.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Level {
    Days,
    Months,
}

impl Level {
    /// The table and its key column.
    fn table(self) -> (&'static str, &'static str) {
        match self {
            Level::Days => ("use_days", "day"),
            Level::Months => ("use_months", "month"),
        }
    }

    /// The first and the last key of the group `key` is in.
    fn group(self, key: i64) -> (i64, i64) {
        match self {
            Level::Days => {
                let month = month_of_day(key);
                (first_day_of_month(month), first_day_of_month(month + 1) - 1)
            }
            Level::Months => {
                let january = key.div_euclid(12) * 12;
                (january, january + 11)
            }
        }
    }
}

/// A stretch of a period and the bitmaps that say who used the card in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Piece {
    /// Keys `a..=b`, each row's bitmap.
    Each(Level, i64, i64),
    /// `a` starts its group: the `to_date` of the last row in `a..=b`.
    ToDate(Level, i64, i64),
    /// `b` ends its group: the `to_end` of the first row in `a..=b` (each
    /// row's bitmap where the group has none yet).
    ToEnd(Level, i64, i64),
}

impl Piece {
    fn range(self) -> (Level, i64, i64) {
        match self {
            Piece::Each(l, a, b) | Piece::ToDate(l, a, b) | Piece::ToEnd(l, a, b) => (l, a, b),
        }
    }
}

/// Days `from..=to` as pieces: the days at either end inside their month,
/// then the whole months between, as the months at either end inside their
/// year and the whole years between.
fn pieces(from: i64, to: i64) -> Vec<Piece> {
    if from > to {
        return Vec::new();
    }
    let (first, last) = (month_of_day(from), month_of_day(to));
    let starts = first_day_of_month(first) == from;
    let ends = first_day_of_month(last + 1) - 1 == to;
    if first == last {
        return vec![match (starts, ends) {
            (true, true) => Piece::Each(Level::Months, first, first),
            (true, false) => Piece::ToDate(Level::Days, from, to),
            (false, true) => Piece::ToEnd(Level::Days, from, to),
            (false, false) => Piece::Each(Level::Days, from, to),
        }];
    }
    let mut out = Vec::new();
    let (mut whole_from, mut whole_to) = (first, last);
    if !starts {
        out.push(Piece::ToEnd(
            Level::Days,
            from,
            first_day_of_month(first + 1) - 1,
        ));
        whole_from += 1;
    }
    if !ends {
        out.push(Piece::ToDate(Level::Days, first_day_of_month(last), to));
        whole_to -= 1;
    }
    out.extend(month_pieces(whole_from, whole_to));
    out
}

/// Whole months `from..=to` as pieces.
fn month_pieces(from: i64, to: i64) -> Vec<Piece> {
    if from > to {
        return Vec::new();
    }
    let january = |year: i64| year * 12;
    let (first, last) = (from.div_euclid(12), to.div_euclid(12));
    if first == last {
        return vec![if from == january(first) {
            Piece::ToDate(Level::Months, from, to)
        } else if to == january(first) + 11 {
            Piece::ToEnd(Level::Months, from, to)
        } else {
            Piece::Each(Level::Months, from, to)
        }];
    }
    let mut out = vec![if from == january(first) {
        Piece::ToDate(Level::Months, from, january(first) + 11)
    } else {
        Piece::ToEnd(Level::Months, from, january(first) + 11)
    }];
    for year in first + 1..last {
        out.push(Piece::ToDate(
            Level::Months,
            january(year),
            january(year) + 11,
        ));
    }
    out.push(Piece::ToDate(Level::Months, january(last), to));
    out
}

/// Who used their card in a period.
#[derive(Debug, Default)]
pub struct Used {
    /// Per union: the members who used it in the period.
    pub by_union: Vec<(i64, i64)>,
    /// Per month (`year * 12 + month - 1`) of the period: the members who
    /// used it in that month (within the period), summed over the unions.
    pub by_month: Vec<(i64, i64)>,
}

/// The members who used their card in days `from..=to`, per union under
/// the path pattern and per month.
pub async fn used(
    conn: &mut AnyConnection,
    path_like: &str,
    from: i64,
    to: i64,
) -> AppResult<Used> {
    if let Some(used) = year_to_date(conn, path_like, from, to).await? {
        return Ok(used);
    }
    let mut per_union: HashMap<i64, Vec<RoaringBitmap>> = HashMap::new();
    let mut by_month: HashMap<i64, i64> = HashMap::new();
    let mut whole_months: Option<(i64, i64)> = None;
    for piece in pieces(from, to) {
        let (level, a, b) = piece.range();
        for (union_id, bits) in read(conn, piece, path_like).await? {
            if level == Level::Days {
                *by_month.entry(month_of_day(a)).or_default() += bits.len() as i64;
            }
            per_union.entry(union_id).or_default().push(bits);
        }
        if level == Level::Months {
            whole_months = Some(whole_months.map_or((a, b), |(x, y)| (x.min(a), y.max(b))));
        }
    }
    if let Some((a, b)) = whole_months {
        whole_months_used(conn, path_like, a, b, &mut by_month).await?;
    }
    Ok(Used {
        by_union: per_union
            .into_iter()
            .map(|(u, parts)| (u, parts.union().len() as i64))
            .collect(),
        by_month: by_month.into_iter().collect(),
    })
}

/// Adds each whole month's users in months `a..=b`, summed over the
/// unions, to `by_month`: a month's users are its bitmap's size, kept
/// beside it.
async fn whole_months_used(
    conn: &mut AnyConnection,
    path_like: &str,
    a: i64,
    b: i64,
    by_month: &mut HashMap<i64, i64>,
) -> AppResult<()> {
    let rows: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT t.month, CAST(SUM(t.used) AS BIGINT) FROM unions u CROSS JOIN use_months t
          WHERE t.union_id = u.id AND u.path LIKE $1 AND t.month >= $2 AND t.month <= $3
          GROUP BY t.month",
    )
    .bind(path_like)
    .bind(a)
    .bind(b)
    .fetch_all(&mut *conn)
    .await?;
    for (month, n) in rows {
        *by_month.entry(month).or_default() += n;
    }
    Ok(())
}

/// A union, its users from January (none if it has no month row yet), its
/// users this month so far, and its first use after the period's end in
/// that month.
type YearToDateRow = (i64, Option<i64>, Option<i64>, Option<i64>);

/// A period from January 1st to a day of the same year, from the sizes
/// kept beside the bitmaps (migration 0033), reading none: a union's users
/// from January up to its last use are its latest month's `to_date_used`,
/// and this month's users so far its latest day's. That holds for the
/// period when the union has no use after `to` in `to`'s month (later
/// months start their own `to_date`); `None` when the period is not such a
/// stretch or some union used the card later in that month (a past period
/// ending mid-month), which the bitmaps answer.
async fn year_to_date(
    conn: &mut AnyConnection,
    path_like: &str,
    from: i64,
    to: i64,
) -> AppResult<Option<Used>> {
    let month = month_of_day(to);
    let january = month.div_euclid(12) * 12;
    if from != first_day_of_month(january) {
        return Ok(None);
    }
    let (month_start, month_end) = Level::Days.group(to);
    // Per union: its latest month's span from January, its latest day's
    // span from the 1st of `to`'s month, and its first use after `to` in
    // that month, each one probe of the (union, key) index.
    let rows: Vec<YearToDateRow> = sqlx::query_as(
        "SELECT u.id,
           (SELECT m.to_date_used FROM use_months m WHERE m.union_id = u.id AND m.month =
              (SELECT MAX(x.month) FROM use_months x
                WHERE x.union_id = u.id AND x.month >= $2 AND x.month <= $3)),
           (SELECT d.to_date_used FROM use_days d WHERE d.union_id = u.id AND d.day =
              (SELECT MAX(y.day) FROM use_days y
                WHERE y.union_id = u.id AND y.day >= $4 AND y.day <= $5)),
           (SELECT MIN(z.day) FROM use_days z WHERE z.union_id = u.id AND z.day > $5 AND z.day <= $6)
         FROM unions u WHERE u.path LIKE $1",
    )
    .bind(path_like)
    .bind(january)
    .bind(month)
    .bind(month_start)
    .bind(to)
    .bind(month_end)
    .fetch_all(&mut *conn)
    .await?;
    if rows.iter().any(|r| r.3.is_some()) {
        return Ok(None);
    }
    let mut used = Used::default();
    let mut this_month = 0;
    for (union_id, year, days, _) in rows {
        if let Some(n) = year {
            used.by_union.push((union_id, n));
        }
        this_month += days.unwrap_or(0);
    }
    let mut by_month: HashMap<i64, i64> = HashMap::new();
    if month > january {
        whole_months_used(conn, path_like, january, month - 1, &mut by_month).await?;
    }
    by_month.insert(month, this_month);
    used.by_month = by_month.into_iter().collect();
    Ok(Some(used))
}

/// Each union's users in one piece of a period.
async fn read(
    conn: &mut AnyConnection,
    piece: Piece,
    path_like: &str,
) -> AppResult<Vec<(i64, RoaringBitmap)>> {
    let (level, a, b) = piece.range();
    let (column, pick) = match piece {
        Piece::Each(..) => return each(conn, level, path_like, a, b, None).await,
        Piece::ToDate(..) => ("to_date", "MAX"),
        Piece::ToEnd(..) => ("to_end", "MIN"),
    };
    let (table, key) = level.table();
    // Per union, the one row: its key found from the (union, key) index.
    let rows: Vec<(i64, Option<Vec<u8>>)> = sqlx::query_as(&format!(
        "SELECT t.union_id, t.{column} FROM unions u CROSS JOIN {table} t
          WHERE t.union_id = u.id AND u.path LIKE $1
            AND t.{key} = (SELECT {pick}(x.{key}) FROM {table} x
                            WHERE x.union_id = u.id AND x.{key} >= $2 AND x.{key} <= $3)"
    ))
    .bind(path_like)
    .bind(a)
    .bind(b)
    .fetch_all(&mut *conn)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    let mut unmade = Vec::new();
    for (union_id, bytes) in rows {
        match bytes {
            Some(bytes) => out.push((union_id, decode(&bytes))),
            None => unmade.push(union_id),
        }
    }
    if !unmade.is_empty() {
        out.extend(each(conn, level, path_like, a, b, Some(&unmade)).await?);
    }
    Ok(out)
}

/// Each union's users in keys `a..=b`, joining its rows' bitmaps (of the
/// given unions only, if any are given).
async fn each(
    conn: &mut AnyConnection,
    level: Level,
    path_like: &str,
    a: i64,
    b: i64,
    only: Option<&[i64]>,
) -> AppResult<Vec<(i64, RoaringBitmap)>> {
    let (table, key) = level.table();
    // Union ids are numbers from the database, never the caller's text.
    let only = only.map_or(String::new(), |ids| {
        let ids: Vec<String> = ids.iter().map(i64::to_string).collect();
        format!(" AND t.union_id IN ({})", ids.join(","))
    });
    let rows: Vec<(i64, Vec<u8>)> = sqlx::query_as(&format!(
        "SELECT t.union_id, t.members FROM unions u CROSS JOIN {table} t
          WHERE t.union_id = u.id AND u.path LIKE $1 AND t.{key} >= $2 AND t.{key} <= $3{only}"
    ))
    .bind(path_like)
    .bind(a)
    .bind(b)
    .fetch_all(&mut *conn)
    .await?;
    // `MultiOps::union` joins many at once: one by one re-copied a growing
    // sorted array each time.
    let mut parts: HashMap<i64, Vec<RoaringBitmap>> = HashMap::new();
    for (union_id, bytes) in rows {
        parts.entry(union_id).or_default().push(decode(&bytes));
    }
    Ok(parts.into_iter().map(|(u, p)| (u, p.union())).collect())
}

/// Marks the member as having used their card on the day of `at`, in
/// their union's day and month bitmaps.
pub async fn mark(
    conn: &mut AnyConnection,
    roster_id: i64,
    union_id: i64,
    at: i64,
) -> sqlx::Result<()> {
    let seq = use_number(conn, roster_id, union_id).await?;
    // One use of the union at a time (on PostgreSQL a no-op update holds
    // the row until commit): a new day's row copies the last one's
    // `to_date`, which must not be missing a use that commits meanwhile.
    sqlx::query("UPDATE use_number_next SET next_seq = next_seq WHERE union_id = $1")
        .bind(union_id)
        .execute(&mut *conn)
        .await?;
    let day = day_of(at);
    let month = month_of_day(day);
    let new_month = add(conn, Level::Months, union_id, month, seq).await?;
    add(conn, Level::Days, union_id, day, seq).await?;
    if new_month {
        // The union's first use this month: its last month (and, in a new
        // year, its last year) is over.
        close(conn, Level::Days, union_id, first_day_of_month(month)).await?;
        close(conn, Level::Months, union_id, month.div_euclid(12) * 12).await?;
    }
    Ok(())
}

/// The member's number in the union's bitmaps, given at the first use.
async fn use_number(conn: &mut AnyConnection, roster_id: i64, union_id: i64) -> sqlx::Result<u32> {
    const FIND: &str = "SELECT seq FROM use_numbers WHERE roster_id = $1 AND union_id = $2";
    let found: Option<i64> = sqlx::query_scalar(FIND)
        .bind(roster_id)
        .bind(union_id)
        .fetch_optional(&mut *conn)
        .await?;
    let seq = match found {
        Some(seq) => seq,
        None => {
            let next: i64 = sqlx::query_scalar(
                "INSERT INTO use_number_next (union_id, next_seq) VALUES ($1, 1)
                 ON CONFLICT (union_id) DO UPDATE SET next_seq = use_number_next.next_seq + 1
                 RETURNING next_seq",
            )
            .bind(union_id)
            .fetch_one(&mut *conn)
            .await?;
            // Two first uses of one member at once: the second finds the
            // first's number once it commits (the number it drew is a gap).
            sqlx::query(
                "INSERT INTO use_numbers (roster_id, union_id, seq) VALUES ($1, $2, $3)
                 ON CONFLICT (roster_id, union_id) DO NOTHING",
            )
            .bind(roster_id)
            .bind(union_id)
            .bind(next - 1)
            .execute(&mut *conn)
            .await?;
            sqlx::query_scalar(FIND)
                .bind(roster_id)
                .bind(union_id)
                .fetch_one(&mut *conn)
                .await?
        }
    };
    Ok(u32::try_from(seq).unwrap_or(u32::MAX))
}

/// A row's bitmaps as stored: who used the card on it, from its group's
/// start to it, and from it to its group's end (once made).
type Stored = (Vec<u8>, Option<Vec<u8>>, Option<Vec<u8>>);

/// Adds `seq` to the union's row `key` (made if new) and to the later
/// rows' `to_date` and earlier rows' `to_end` of its group. Whether the
/// row was new.
async fn add(
    conn: &mut AnyConnection,
    level: Level,
    union_id: i64,
    key: i64,
    seq: u32,
) -> sqlx::Result<bool> {
    let (table, key_col) = level.table();
    let (first, last) = level.group(key);
    let row: Option<Stored> = sqlx::query_as(&format!(
        "SELECT members, to_date, to_end FROM {table} WHERE union_id = $1 AND {key_col} = $2"
    ))
    .bind(union_id)
    .bind(key)
    .fetch_optional(&mut *conn)
    .await?;
    let made = row.is_none();
    let to_end = match row {
        Some((members, to_date, to_end)) => {
            let mut members = decode(&members);
            if !members.insert(seq) {
                // Already marked here, so in every span that holds this row.
                return Ok(false);
            }
            let mut to_date = to_date.map_or_else(RoaringBitmap::new, |b| decode(&b));
            to_date.insert(seq);
            let to_end = to_end.map(|b| {
                let mut e = decode(&b);
                e.insert(seq);
                e
            });
            let sql = format!(
                "UPDATE {table} SET members = $1, to_date = $2, to_end = $3, to_date_used = $4{used}
                  WHERE union_id = $5 AND {key_col} = $6",
                used = if level == Level::Months {
                    ", used = $7"
                } else {
                    ""
                }
            );
            let mut q = sqlx::query(&sql)
                .bind(encode(&members))
                .bind(encode(&to_date))
                .bind(to_end.as_ref().map(encode))
                .bind(to_date.len() as i64)
                .bind(union_id)
                .bind(key);
            if level == Level::Months {
                q = q.bind(members.len() as i64);
            }
            q.execute(&mut *conn).await?;
            to_end
        }
        None => {
            let members: RoaringBitmap = std::iter::once(seq).collect();
            let (before, after) = neighbours(conn, level, union_id, key).await?;
            let to_date = before
                .as_ref()
                .and_then(|(d, _)| d.as_deref())
                .map_or_else(RoaringBitmap::new, decode)
                | &members;
            // A group whose `to_end` is made keeps it for a row added late;
            // a group begun late, behind a later one, is closed at once.
            let made_ends = match (&before, &after) {
                (None, None) => later_group(conn, level, union_id, last).await?,
                _ => {
                    before.as_ref().is_some_and(|(_, e)| e.is_some())
                        || after.as_ref().is_some_and(Option::is_some)
                }
            };
            let to_end = made_ends.then(|| {
                after
                    .flatten()
                    .map_or_else(RoaringBitmap::new, |b| decode(&b))
                    | &members
            });
            let sql = format!(
                "INSERT INTO {table} (union_id, {key_col}, members, to_date, to_end, to_date_used{used_col})
                 VALUES ($1, $2, $3, $4, $5, $6{used})",
                used_col = if level == Level::Months { ", used" } else { "" },
                used = if level == Level::Months { ", $7" } else { "" }
            );
            let mut q = sqlx::query(&sql)
                .bind(union_id)
                .bind(key)
                .bind(encode(&members))
                .bind(encode(&to_date))
                .bind(to_end.as_ref().map(encode))
                .bind(to_date.len() as i64);
            if level == Level::Months {
                q = q.bind(1_i64);
            }
            q.execute(&mut *conn).await?;
            to_end
        }
    };
    // A use on a day before the group's last row (a late write): the later
    // rows' spans from the start now hold it too. Up to the first that
    // already does: a member in one holds in all after it.
    spread(conn, level, union_id, seq, "to_date", key + 1, last, false).await?;
    if to_end.is_some() {
        spread(conn, level, union_id, seq, "to_end", first, key - 1, true).await?;
    }
    Ok(made)
}

/// The rows either side of `key` in its group: the one before (its
/// `to_date` and `to_end`) and the one after (its `to_end`).
#[allow(clippy::type_complexity)]
async fn neighbours(
    conn: &mut AnyConnection,
    level: Level,
    union_id: i64,
    key: i64,
) -> sqlx::Result<(
    Option<(Option<Vec<u8>>, Option<Vec<u8>>)>,
    Option<Option<Vec<u8>>>,
)> {
    let (table, key_col) = level.table();
    let (first, last) = level.group(key);
    let before: Option<(Option<Vec<u8>>, Option<Vec<u8>>)> = sqlx::query_as(&format!(
        "SELECT to_date, to_end FROM {table} WHERE union_id = $1 AND {key_col} =
           (SELECT MAX({key_col}) FROM {table} WHERE union_id = $1 AND {key_col} >= $2 AND {key_col} < $3)"
    ))
    .bind(union_id)
    .bind(first)
    .bind(key)
    .fetch_optional(&mut *conn)
    .await?;
    let after: Option<(Option<Vec<u8>>,)> = sqlx::query_as(&format!(
        "SELECT to_end FROM {table} WHERE union_id = $1 AND {key_col} =
           (SELECT MIN({key_col}) FROM {table} WHERE union_id = $1 AND {key_col} > $2 AND {key_col} <= $3)"
    ))
    .bind(union_id)
    .bind(key)
    .bind(last)
    .fetch_optional(&mut *conn)
    .await?;
    Ok((before, after.map(|(e,)| e)))
}

/// Whether the union has a row after key `last` (in a later group).
async fn later_group(
    conn: &mut AnyConnection,
    level: Level,
    union_id: i64,
    last: i64,
) -> sqlx::Result<bool> {
    let (table, key_col) = level.table();
    let next: Option<i64> = sqlx::query_scalar(&format!(
        "SELECT MIN({key_col}) FROM {table} WHERE union_id = $1 AND {key_col} > $2"
    ))
    .bind(union_id)
    .bind(last)
    .fetch_one(&mut *conn)
    .await?;
    Ok(next.is_some())
}

/// Adds `seq` to `column` of the union's rows `a..=b`, nearest to the new
/// use first (`backwards` from `b`, else forwards from `a`), until a row
/// already holds it.
#[allow(clippy::too_many_arguments)]
async fn spread(
    conn: &mut AnyConnection,
    level: Level,
    union_id: i64,
    seq: u32,
    column: &str,
    a: i64,
    b: i64,
    backwards: bool,
) -> sqlx::Result<()> {
    if a > b {
        return Ok(());
    }
    let (table, key_col) = level.table();
    let order = if backwards { "DESC" } else { "ASC" };
    let keys: Vec<i64> = sqlx::query_scalar(&format!(
        "SELECT {key_col} FROM {table} WHERE union_id = $1 AND {key_col} >= $2 AND {key_col} <= $3
          ORDER BY {key_col} {order}"
    ))
    .bind(union_id)
    .bind(a)
    .bind(b)
    .fetch_all(&mut *conn)
    .await?;
    for key in keys {
        let bytes: Option<Vec<u8>> = sqlx::query_scalar(&format!(
            "SELECT {column} FROM {table} WHERE union_id = $1 AND {key_col} = $2"
        ))
        .bind(union_id)
        .bind(key)
        .fetch_one(&mut *conn)
        .await?;
        let mut bits = bytes.map_or_else(RoaringBitmap::new, |b| decode(&b));
        if !bits.insert(seq) {
            break;
        }
        // A span from the group's start keeps its size beside it.
        let size = if column == "to_date" {
            ", to_date_used = $4"
        } else {
            ""
        };
        let sql = format!(
            "UPDATE {table} SET {column} = $1{size} WHERE union_id = $2 AND {key_col} = $3"
        );
        let mut q = sqlx::query(&sql)
            .bind(encode(&bits))
            .bind(union_id)
            .bind(key);
        if column == "to_date" {
            q = q.bind(bits.len() as i64);
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

/// Makes the `to_end` of the union's last group before key `before`, if
/// it has none yet: the union has moved on to a later one.
async fn close(
    conn: &mut AnyConnection,
    level: Level,
    union_id: i64,
    before: i64,
) -> sqlx::Result<()> {
    let (table, key_col) = level.table();
    let last: Option<(i64, i64)> = sqlx::query_as(&format!(
        "SELECT {key_col}, CAST(CASE WHEN to_end IS NULL THEN 0 ELSE 1 END AS BIGINT) FROM {table}
          WHERE union_id = $1 AND {key_col} =
            (SELECT MAX({key_col}) FROM {table} WHERE union_id = $1 AND {key_col} < $2)"
    ))
    .bind(union_id)
    .bind(before)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((key, 0)) = last else {
        return Ok(());
    };
    let (first, last) = level.group(key);
    let rows: Vec<(i64, Vec<u8>)> = sqlx::query_as(&format!(
        "SELECT {key_col}, members FROM {table}
          WHERE union_id = $1 AND {key_col} >= $2 AND {key_col} <= $3 ORDER BY {key_col}"
    ))
    .bind(union_id)
    .bind(first)
    .bind(last)
    .fetch_all(&mut *conn)
    .await?;
    let keys: Vec<i64> = rows.iter().map(|(k, _)| *k).collect();
    let maps: Vec<RoaringBitmap> = rows.iter().map(|(_, b)| decode(b)).collect();
    for (key, end) in keys.into_iter().zip(to_ends(&maps)) {
        sqlx::query(&format!(
            "UPDATE {table} SET to_end = $1 WHERE union_id = $2 AND {key_col} = $3"
        ))
        .bind(encode(&end))
        .bind(union_id)
        .bind(key)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// The running joins of a group's bitmaps (in key order) from its start.
fn to_dates(maps: &[RoaringBitmap]) -> Vec<RoaringBitmap> {
    let mut acc = RoaringBitmap::new();
    maps.iter()
        .map(|m| {
            acc |= m;
            acc.clone()
        })
        .collect()
}

/// The running joins of a group's bitmaps (in key order) to its end.
fn to_ends(maps: &[RoaringBitmap]) -> Vec<RoaringBitmap> {
    let mut acc = RoaringBitmap::new();
    let mut out: Vec<RoaringBitmap> = maps
        .iter()
        .rev()
        .map(|m| {
            acc |= m;
            acc.clone()
        })
        .collect();
    out.reverse();
    out
}

/// The card uses as the figures define them (a redemption confirmed, an
/// aid enrolment, a claim or loan application sent, a training sign-up):
/// the member's union, the member, the day. Not sorted or made distinct in
/// SQL: ten million rows stream straight into the bitmaps.
const USES: &str = "SELECT r.union_id, e.roster_id, (e.at + 28800) / 86400 AS d FROM (
        SELECT c.roster_id, x.confirmed_at AS at FROM redemptions x JOIN cards c ON c.id = x.card_id
          WHERE x.status = 'confirmed'
        UNION ALL SELECT roster_id, created_at FROM aid_enrolments
        UNION ALL SELECT roster_id, submitted_at FROM aid_claims WHERE submitted_at IS NOT NULL
        UNION ALL SELECT roster_id, submitted_at FROM loan_applications WHERE submitted_at IS NOT NULL
        UNION ALL SELECT us.roster_id, s.created_at FROM signups s JOIN users us ON us.id = s.user_id
          WHERE us.roster_id IS NOT NULL
     ) e JOIN roster_entries r ON r.id = e.roster_id";

/// The use bitmaps from the records, numbering members in each union in
/// the order they are met, into emptied tables. Every group but a union's
/// last gets its `to_end`, as [`close`] would have made it.
pub async fn rebuild(conn: &mut AnyConnection) -> sqlx::Result<()> {
    let mut days: BTreeMap<(i64, i64), RoaringBitmap> = BTreeMap::new();
    let mut months: BTreeMap<(i64, i64), RoaringBitmap> = BTreeMap::new();
    let mut seqs: HashMap<(i64, i64), u32> = HashMap::new();
    let mut next: HashMap<i64, u32> = HashMap::new();
    {
        let mut rows = sqlx::query_as::<_, (i64, i64, i64)>(USES).fetch(&mut *conn);
        while let Some((union_id, roster_id, day)) = rows.try_next().await? {
            let seq = *seqs.entry((union_id, roster_id)).or_insert_with(|| {
                let n = next.entry(union_id).or_insert(0);
                *n += 1;
                *n - 1
            });
            days.entry((union_id, day)).or_default().insert(seq);
            months
                .entry((union_id, month_of_day(day)))
                .or_default()
                .insert(seq);
        }
    }
    let numbers: Vec<(i64, i64, i64)> = seqs
        .into_iter()
        .map(|((u, r), s)| (r, u, i64::from(s)))
        .collect();
    for chunk in numbers.chunks(super::roster::BATCH) {
        let sql = format!(
            "INSERT INTO use_numbers (roster_id, union_id, seq) VALUES {}",
            super::values_placeholders(chunk.len(), 3)
        );
        let mut q = sqlx::query(&sql);
        for (r, u, s) in chunk {
            q = q.bind(*r).bind(*u).bind(*s);
        }
        q.execute(&mut *conn).await?;
    }
    for (union_id, n) in next {
        sqlx::query("INSERT INTO use_number_next (union_id, next_seq) VALUES ($1, $2)")
            .bind(union_id)
            .bind(i64::from(n))
            .execute(&mut *conn)
            .await?;
    }
    write_level(conn, Level::Days, days).await?;
    write_level(conn, Level::Months, months).await
}

/// Writes a level's bitmaps, with their spans, group by group.
async fn write_level(
    conn: &mut AnyConnection,
    level: Level,
    maps: BTreeMap<(i64, i64), RoaringBitmap>,
) -> sqlx::Result<()> {
    // Each union's groups, in key order (the map's).
    let mut groups: Vec<(i64, Vec<(i64, RoaringBitmap)>)> = Vec::new();
    for ((union_id, key), bits) in maps {
        let start = level.group(key).0;
        match groups.last_mut() {
            Some((u, rows)) if *u == union_id && level.group(rows[0].0).0 == start => {
                rows.push((key, bits));
            }
            _ => groups.push((union_id, vec![(key, bits)])),
        }
    }
    let mut pending: Vec<(
        i64,
        i64,
        RoaringBitmap,
        RoaringBitmap,
        Option<RoaringBitmap>,
    )> = Vec::new();
    for (i, (union_id, rows)) in groups.iter().enumerate() {
        let last_of_union = groups.get(i + 1).is_none_or(|(u, _)| u != union_id);
        let maps: Vec<RoaringBitmap> = rows.iter().map(|(_, b)| b.clone()).collect();
        let dates = to_dates(&maps);
        let ends: Vec<Option<RoaringBitmap>> = if last_of_union {
            vec![None; maps.len()]
        } else {
            to_ends(&maps).into_iter().map(Some).collect()
        };
        for (((key, bits), date), end) in rows.iter().zip(dates).zip(ends) {
            pending.push((*union_id, *key, bits.clone(), date, end));
        }
        // Bitmaps can be large: fewer to a statement than plain rows.
        if pending.len() >= 100 || i + 1 == groups.len() {
            insert_rows(conn, level, std::mem::take(&mut pending)).await?;
        }
    }
    Ok(())
}

/// Inserts rows of a level with their spans.
async fn insert_rows(
    conn: &mut AnyConnection,
    level: Level,
    rows: Vec<(
        i64,
        i64,
        RoaringBitmap,
        RoaringBitmap,
        Option<RoaringBitmap>,
    )>,
) -> sqlx::Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let (table, key_col) = level.table();
    let months = level == Level::Months;
    let width = if months { 7 } else { 6 };
    let sql = format!(
        "INSERT INTO {table} (union_id, {key_col}, members, to_date, to_end, to_date_used{}) VALUES {}",
        if months { ", used" } else { "" },
        super::values_placeholders(rows.len(), width)
    );
    let mut q = sqlx::query(&sql);
    for (union_id, key, bits, date, end) in &rows {
        q = q
            .bind(*union_id)
            .bind(*key)
            .bind(encode(bits))
            .bind(encode(date))
            .bind(end.as_ref().map(encode))
            .bind(date.len() as i64);
        if months {
            q = q.bind(bits.len() as i64);
        }
    }
    q.execute(conn).await?;
    Ok(())
}

/// A bitmap in Roaring's portable format.
fn encode(b: &RoaringBitmap) -> Vec<u8> {
    let mut out = Vec::with_capacity(b.serialized_size());
    // Writing into a Vec cannot fail.
    let _ = b.serialize_into(&mut out);
    out
}

/// A stored bitmap; an unreadable one counts as empty. It is only ever
/// written by [`encode`], so its containers are not checked again (sorted,
/// in range) on every read: the figures read thousands of them.
fn decode(bytes: &[u8]) -> RoaringBitmap {
    RoaringBitmap::deserialize_unchecked_from(bytes).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::days_from_civil;

    fn day(y: i64, m: u32, d: u32) -> i64 {
        days_from_civil(y, m, d)
    }

    fn month(y: i64, m: i64) -> i64 {
        y * 12 + m - 1
    }

    #[test]
    fn this_year_is_last_months_span_from_january_and_todays_from_the_first() {
        assert_eq!(
            pieces(day(2026, 1, 1), day(2026, 12, 4)),
            [
                Piece::ToDate(Level::Days, day(2026, 12, 1), day(2026, 12, 4)),
                Piece::ToDate(Level::Months, month(2026, 1), month(2026, 11)),
            ]
        );
    }

    #[test]
    fn a_quarter_inside_months_is_a_span_at_each_end_and_the_months_between() {
        assert_eq!(
            pieces(day(2026, 7, 27), day(2026, 10, 25)),
            [
                Piece::ToEnd(Level::Days, day(2026, 7, 27), day(2026, 7, 31)),
                Piece::ToDate(Level::Days, day(2026, 10, 1), day(2026, 10, 25)),
                Piece::Each(Level::Months, month(2026, 8), month(2026, 9)),
            ]
        );
    }

    #[test]
    fn years_between_are_one_span_each() {
        assert_eq!(
            pieces(day(2021, 12, 5), day(2026, 12, 4)),
            [
                Piece::ToEnd(Level::Days, day(2021, 12, 5), day(2021, 12, 31)),
                Piece::ToDate(Level::Days, day(2026, 12, 1), day(2026, 12, 4)),
                Piece::ToDate(Level::Months, month(2022, 1), month(2022, 12)),
                Piece::ToDate(Level::Months, month(2023, 1), month(2023, 12)),
                Piece::ToDate(Level::Months, month(2024, 1), month(2024, 12)),
                Piece::ToDate(Level::Months, month(2025, 1), month(2025, 12)),
                Piece::ToDate(Level::Months, month(2026, 1), month(2026, 11)),
            ]
        );
        // Months from inside one year to inside the next.
        assert_eq!(
            month_pieces(month(2025, 3), month(2026, 2)),
            [
                Piece::ToEnd(Level::Months, month(2025, 3), month(2025, 12)),
                Piece::ToDate(Level::Months, month(2026, 1), month(2026, 2)),
            ]
        );
    }

    #[test]
    fn a_period_inside_one_month_or_one_year() {
        let may = |d| day(2026, 5, d);
        assert_eq!(
            pieces(may(2), may(30)),
            [Piece::Each(Level::Days, may(2), may(30))]
        );
        assert_eq!(
            pieces(may(1), may(30)),
            [Piece::ToDate(Level::Days, may(1), may(30))]
        );
        assert_eq!(
            pieces(may(2), may(31)),
            [Piece::ToEnd(Level::Days, may(2), may(31))]
        );
        assert_eq!(
            pieces(may(1), may(31)),
            [Piece::Each(Level::Months, month(2026, 5), month(2026, 5))]
        );
        assert_eq!(
            pieces(day(2026, 6, 1), day(2026, 12, 31)),
            [Piece::ToEnd(Level::Months, month(2026, 6), month(2026, 12))]
        );
        assert!(pieces(may(3), may(2)).is_empty());
        // A leap February ends on the 29th.
        assert_eq!(
            pieces(day(2024, 2, 2), day(2024, 2, 29)),
            [Piece::ToEnd(Level::Days, day(2024, 2, 2), day(2024, 2, 29))]
        );
    }

    #[test]
    fn spans_join_a_groups_rows_from_its_start_and_to_its_end() {
        let maps: Vec<RoaringBitmap> = vec![
            [1u32, 2].into_iter().collect(),
            [2u32, 3].into_iter().collect(),
            [7u32].into_iter().collect(),
        ];
        let lens = |v: Vec<RoaringBitmap>| v.iter().map(|b| b.len()).collect::<Vec<_>>();
        assert_eq!(lens(to_dates(&maps)), [2, 3, 4]);
        assert_eq!(lens(to_ends(&maps)), [4, 3, 1]);
        assert!(to_ends(&[]).is_empty());
    }

    #[test]
    fn groups_are_a_months_days_and_a_years_months() {
        assert_eq!(
            Level::Days.group(day(2024, 2, 10)),
            (day(2024, 2, 1), day(2024, 2, 29))
        );
        assert_eq!(
            Level::Months.group(month(2026, 7)),
            (month(2026, 1), month(2026, 12))
        );
    }

    #[test]
    fn a_bitmap_survives_its_stored_form() {
        let b: RoaringBitmap = [0u32, 7, 65_536, 1_000_000].into_iter().collect();
        assert_eq!(decode(&encode(&b)), b);
        assert!(decode(b"not a bitmap").is_empty());
    }
}
