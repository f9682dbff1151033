//! The search index behind `q` in the merchant directory and the course
//! directory: each row's search text split into its characters and its
//! pairs of neighbouring characters ("grams"), each gram listing the rows
//! whose text holds it, in `merchant_grams` and `course_grams`.
//!
//! A `LIKE '%word%'` alone reads every row when few or none match (19 ms
//! over 100,000 merchants for a word that matches nothing). FTS5's trigram
//! tokenizer and pg_trgm need three characters, and most Chinese search
//! words have one or two (店, 超市), so the index is a plain table with a
//! primary key that both engines serve the same way.
//!
//! A text that contains a word contains each of the word's grams: its one
//! character, or each of its pairs. So the rows listing all of a word's
//! grams include every row that matches, and the `LIKE` stays as the exact
//! check on those few: a search answers exactly what the `LIKE` alone did.
//!
//! The splitting is SQL (`substr` and `length` count characters on both
//! engines), so one statement indexes one row or a whole table, and the
//! demo's 100,000 merchants are indexed in one pass after loading. A gram
//! with a space is not kept: spaces join the fields of a search text, so a
//! space is in every row and a pair across it joins two fields. A word
//! with spaces (满 50 减 10) is looked up by the grams of its pieces.
//!
//! Keeping it in step: [`forget_row`] before a row's search text changes,
//! [`index_row`] after; [`index_all`] after a bulk load.

use sqlx::any::AnyRow;
use sqlx::{AnyConnection, FromRow};

use crate::error::AppResult;

/// A table with a search text, and the table of its grams.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Indexed {
    /// `merchants`, in `merchant_grams`.
    Merchants,
    /// `courses`, in `course_grams`.
    Courses,
}

impl Indexed {
    fn table(self) -> &'static str {
        match self {
            Indexed::Merchants => "merchants",
            Indexed::Courses => "courses",
        }
    }

    fn grams(self) -> &'static str {
        match self {
            Indexed::Merchants => "merchant_grams",
            Indexed::Courses => "course_grams",
        }
    }

    fn key(self) -> &'static str {
        match self {
            Indexed::Merchants => "merchant_id",
            Indexed::Courses => "course_id",
        }
    }
}

/// Words to search for, as a query uses them: the `LIKE` pattern that
/// decides, and the grams that find the rows worth checking.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Words {
    pattern: String,
    grams: Vec<String>,
}

impl Words {
    /// A member's `q`: trimmed, lowercased, taken literally (see
    /// [`super::contains_pattern`]). `None` for an empty search; 400 for one
    /// longer than [`super::MAX_SEARCH_CHARS`].
    pub fn parse(q: Option<&str>) -> AppResult<Option<Words>> {
        let Some(pattern) = super::contains_pattern(q)? else {
            return Ok(None);
        };
        let word = q.unwrap_or_default().trim().to_lowercase();
        Ok(Some(Words {
            pattern,
            grams: grams_of(&word),
        }))
    }

    /// The `LIKE ... ESCAPE '\'` pattern.
    pub fn pattern(&self) -> &str {
        &self.pattern
    }
}

/// The grams a text holding `word` must hold: the word is cut at spaces,
/// a piece of one character gives that character, a longer piece each pair
/// of neighbours. Each gram once, in the order first met.
pub fn grams_of(word: &str) -> Vec<String> {
    let mut grams: Vec<String> = Vec::new();
    for piece in word.split(' ').filter(|p| !p.is_empty()) {
        let chars: Vec<char> = piece.chars().collect();
        let found: Vec<String> = if chars.len() == 1 {
            vec![chars[0].to_string()]
        } else {
            chars.windows(2).map(|w| w.iter().collect()).collect()
        };
        for g in found {
            if !grams.contains(&g) {
                grams.push(g);
            }
        }
    }
    grams
}

/// A gram's rows are counted up to this many: enough to tell a rare gram
/// from a common one, and to walk a rare one's rows without a box.
pub const FEW: i64 = 2_000;

/// At most this many grams of one search are counted (a long word has a
/// pair per character; the `LIKE` checks the rest).
const MOST_GRAMS: usize = 12;

/// Where the rows a search may match are: the rows listing its rarest gram
/// (`driver`, walked in id order along its part of the primary key) that
/// list the other grams too (`probes`); the `LIKE` then checks each.
///
/// The two steps are two statements: one over the gram table alone, one
/// over an explicit list of ids. Joined in one, PostgreSQL's planner takes
/// a long `LIKE` for rare and reads every merchant instead (68 ms).
#[derive(Clone, Debug)]
pub struct Candidates {
    indexed: Indexed,
    pattern: String,
    driver: String,
    probes: Vec<String>,
    few: bool,
}

#[derive(Debug, FromRow)]
struct GramCount {
    k: i64,
    n: i64,
}

/// How to find the rows of `indexed` that `words` match: `None` when one
/// of their grams is in no row, so nothing matches. One query counts each
/// gram's rows (up to [`FEW`]).
pub async fn candidates(
    conn: &mut AnyConnection,
    indexed: Indexed,
    words: &Words,
) -> AppResult<Option<Candidates>> {
    let all = &words.grams;
    // A search has a gram (its first character at least).
    if all.is_empty() {
        return Err(crate::error::AppError::bad_param("q"));
    }
    // Spread over a long word, so its end is looked up too.
    let picked: Vec<&String> = if all.len() > MOST_GRAMS {
        (0..MOST_GRAMS)
            .map(|i| &all[i * all.len() / MOST_GRAMS])
            .collect()
    } else {
        all.iter().collect()
    };
    let counts = (0..picked.len())
        .map(|k| {
            format!(
                "SELECT CAST({k} AS BIGINT) AS k, COUNT(*) AS n FROM
                   (SELECT 1 AS x FROM {} WHERE gram = ${} LIMIT {FEW}) c{k}",
                indexed.grams(),
                k + 1
            )
        })
        .collect::<Vec<_>>()
        .join(" UNION ALL ");
    let mut query = sqlx::query_as::<_, GramCount>(&counts);
    for g in &picked {
        query = query.bind(g.as_str());
    }
    let mut counted = query.fetch_all(conn).await?;
    if counted.iter().any(|c| c.n == 0) {
        return Ok(None);
    }
    // Rarest first: the walk starts there, the probes fail early.
    counted.sort_by_key(|c| (c.n, c.k));
    let mut grams = counted.iter().map(|c| picked[c.k as usize].clone());
    let Some(driver) = grams.next() else {
        return Err(crate::error::AppError::bad_param("q"));
    };
    Ok(Some(Candidates {
        indexed,
        pattern: words.pattern.clone(),
        driver,
        probes: grams.collect(),
        few: counted[0].n < FEW,
    }))
}

/// The most ids one round of [`Candidates::matching`] checks.
const MOST_IDS: usize = 1_000;

impl Candidates {
    /// Whether the rarest gram lists few rows (under [`FEW`]): then
    /// [`Self::ids`] of them all is cheaper than any other index (nearest
    /// first needs no box).
    pub fn few(&self) -> bool {
        self.few
    }

    /// The ids after `after` of the rows listing all the grams, in order,
    /// at most `n`: a walk of the gram table alone.
    pub async fn ids(&self, conn: &mut AnyConnection, after: i64, n: usize) -> AppResult<Vec<i64>> {
        let (grams, key) = (self.indexed.grams(), self.indexed.key());
        let probes: String = (0..self.probes.len())
            .map(|i| {
                format!(
                    " AND EXISTS (SELECT 1 FROM {grams} g WHERE g.gram = ${} AND g.{key} = g0.{key})",
                    i + 3
                )
            })
            .collect();
        let sql = format!(
            "SELECT g0.{key} FROM {grams} g0 WHERE g0.gram = $1 AND g0.{key} > $2{probes}
              ORDER BY g0.{key} LIMIT {n}"
        );
        let mut query = sqlx::query_scalar(&sql)
            .bind(self.driver.as_str())
            .bind(after);
        for p in &self.probes {
            query = query.bind(p.as_str());
        }
        Ok(query.fetch_all(conn).await?)
    }

    /// The rows of `select` (`SELECT ... FROM` the indexed table) after
    /// `after` by id that the words match and `filters` (over `binds`)
    /// keep, in id order, at least `want` when there are that many: the
    /// candidates' ids in rounds (each four times the last, so a word most
    /// candidates fail costs few rounds), each checked in one query.
    pub async fn matching<R>(
        &self,
        conn: &mut AnyConnection,
        select: &str,
        filters: &[String],
        binds: &[String],
        after: i64,
        want: usize,
    ) -> AppResult<Vec<R>>
    where
        R: for<'r> FromRow<'r, AnyRow> + Send + Unpin,
    {
        let mut binds = binds.to_vec();
        let mut filters = filters.to_vec();
        filters.push(self.like(&mut binds));
        let mut rows: Vec<R> = Vec::new();
        let (mut after, mut n) = (after, (want * 4).clamp(20, MOST_IDS));
        loop {
            let ids = self.ids(&mut *conn, after, n).await?;
            let Some(&last) = ids.last() else {
                return Ok(rows);
            };
            // Ids the server read itself: written into the statement.
            let sql = format!(
                "{select} WHERE id IN ({}) AND {} ORDER BY id",
                super::id_list(&ids),
                filters.join(" AND ")
            );
            let mut query = sqlx::query_as::<_, R>(&sql);
            for b in &binds {
                query = query.bind(b);
            }
            rows.extend(query.fetch_all(&mut *conn).await?);
            if rows.len() >= want || ids.len() < n {
                return Ok(rows);
            }
            (after, n) = (last, (n * 4).min(MOST_IDS));
        }
    }

    /// The exact check, `search_text LIKE ...`, binding after `binds`.
    pub fn like(&self, binds: &mut Vec<String>) -> String {
        binds.push(self.pattern.clone());
        format!("search_text LIKE ${} ESCAPE '\\'", binds.len())
    }
}

// ---- keeping the index in step ----

/// The grams of the search texts of `indexed`'s rows matching `rows` (a
/// condition on `t`) as a `split(gram, id)` table: every character and every
/// pair of neighbours but those with a space. Migration 25 fills the index
/// of existing rows with this same statement.
fn split(indexed: Indexed, rows: &str) -> String {
    let table = indexed.table();
    format!(
        "WITH RECURSIVE n(i) AS (
             SELECT 1 UNION ALL
             SELECT i + 1 FROM n WHERE i < (SELECT MAX(length(search_text)) FROM {table} t WHERE {rows})
         ), split(gram, id) AS (
             SELECT substr(t.search_text, n.i, 1), t.id FROM {table} t JOIN n ON n.i <= length(t.search_text)
              WHERE {rows}
             UNION ALL
             SELECT substr(t.search_text, n.i, 2), t.id FROM {table} t JOIN n ON n.i < length(t.search_text)
              WHERE {rows}
         )"
    )
}

/// The insert of [`split`]'s grams into the index; in key order, so a
/// whole table's are appended rather than scattered.
fn insert(indexed: Indexed, rows: &str) -> String {
    format!(
        "{} INSERT INTO {} (gram, {}) SELECT DISTINCT gram, id FROM split
             WHERE gram NOT LIKE '% %' ORDER BY gram, id",
        split(indexed, rows),
        indexed.grams(),
        indexed.key()
    )
}

/// Indexes one row's search text as it now stands (after [`forget_row`]).
pub async fn index_row(conn: &mut AnyConnection, indexed: Indexed, id: i64) -> AppResult<()> {
    sqlx::query(&insert(indexed, "t.id = $1"))
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Takes one row out of the index, by the grams of its search text as it
/// now stands: call it before the text changes. (The index has no way in
/// by row, which would double its size; a gram left behind by a text
/// changed some other way only adds a candidate the `LIKE` turns down.)
pub async fn forget_row(conn: &mut AnyConnection, indexed: Indexed, id: i64) -> AppResult<()> {
    sqlx::query(&format!(
        "{} DELETE FROM {grams} WHERE {key} = $1 AND gram IN (SELECT gram FROM split)",
        split(indexed, "t.id = $1"),
        grams = indexed.grams(),
        key = indexed.key()
    ))
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Rebuilds a whole table's index from its search texts, in one pass
/// (after the demo's bulk load).
pub async fn index_all(conn: &mut AnyConnection, indexed: Indexed) -> AppResult<()> {
    sqlx::query(&format!("DELETE FROM {}", indexed.grams()))
        .execute(&mut *conn)
        .await?;
    sqlx::query(&insert(indexed, "1 = 1")).execute(conn).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{grams_of, Words};

    #[test]
    fn a_word_of_one_character_is_its_character() {
        assert_eq!(grams_of("店"), ["店"]);
        assert_eq!(grams_of("%"), ["%"]);
    }

    #[test]
    fn a_longer_word_is_its_pairs_each_once() {
        assert_eq!(grams_of("超市"), ["超市"]);
        assert_eq!(grams_of("热干面"), ["热干", "干面"]);
        assert_eq!(grams_of("哈哈哈"), ["哈哈"]);
        assert_eq!(grams_of("a_b"), ["a_", "_b"]);
    }

    #[test]
    fn spaces_cut_a_word_into_pieces() {
        assert_eq!(grams_of("满 50 减 10"), ["满", "50", "减", "10"]);
        assert_eq!(grams_of("95  折"), ["95", "折"]);
    }

    #[test]
    fn a_search_is_lowercased_and_its_pattern_literal() {
        let w = Words::parse(Some("  KFC_%  ")).unwrap().unwrap();
        assert_eq!(w.pattern(), "%kfc\\_\\%%");
        assert_eq!(grams_of("kfc_%"), w.grams);
        assert_eq!(Words::parse(Some(" ")).unwrap(), None);
        assert!(Words::parse(Some(&"字".repeat(51))).is_err());
    }
}
