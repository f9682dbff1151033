//! Writing roster entries and their cards: used by the demo data, by roster
//! import and by approving a join request, so a new member is created the
//! same way wherever they come from.

use anyhow::Context;
use sqlx::AnyConnection;
use unioncard_api::card::luhn_check_digit;
use unioncard_api::card::CardStatus;
use unioncard_api::identity::{Gender, IdNumber, Phone};

use crate::crypto::Crypto;
use crate::store::figures::{self, Tally};
use crate::store::values_placeholders;
use crate::time;

/// The issuer prefix of the union's co-branded cards.
const CARD_PREFIX: &str = "62220202";
/// Rows per multi-row statement (a few thousand parameters on either engine).
pub const BATCH: usize = 500;

/// A person to add to a union's roster, with their card.
pub struct NewEntry {
    /// The union whose roster they join.
    pub union_id: i64,
    /// Name.
    pub name: String,
    /// ID number.
    pub id_number: IdNumber,
    /// Phone.
    pub phone: Phone,
    /// Workplace.
    pub workplace: String,
    /// Card number.
    pub card_no: String,
    /// Co-branding bank.
    pub bank: &'static str,
    /// Card status (`issued` for every real new member).
    pub status: CardStatus,
    /// When the card was issued.
    pub issued_at: i64,
    /// When it was activated, if it was.
    pub activated_at: Option<i64>,
}

/// A card number from a serial: prefix, ten digits, Luhn digit.
pub fn card_number(serial: i64) -> String {
    let body = format!("{CARD_PREFIX}{serial:010}");
    format!("{body}{}", luhn_check_digit(&body))
}

/// Reserves `n` card serials and returns their card numbers.
pub async fn allocate_card_numbers(
    tx: &mut AnyConnection,
    n: usize,
) -> anyhow::Result<Vec<String>> {
    if n == 0 {
        return Ok(Vec::new());
    }
    let last: i64 = sqlx::query_scalar(
        "UPDATE counters SET value = value + $1 WHERE name = 'card_serial' RETURNING value",
    )
    .bind(n as i64)
    .fetch_one(tx)
    .await
    .context("reserving card serials")?;
    Ok((last - n as i64 + 1..=last).map(card_number).collect())
}

/// Inserts entries and their cards, many rows per statement.
pub async fn insert_entries(
    tx: &mut AnyConnection,
    crypto: &Crypto,
    entries: &[NewEntry],
    now: i64,
) -> anyhow::Result<()> {
    for chunk in entries.chunks(BATCH) {
        insert_chunk(&mut *tx, crypto, chunk, now).await?;
    }
    Ok(())
}

async fn insert_chunk(
    tx: &mut AnyConnection,
    crypto: &Crypto,
    people: &[NewEntry],
    now: i64,
) -> anyhow::Result<()> {
    let sql = format!(
        "INSERT INTO roster_entries (union_id, name, id_enc, id_hash, id_masked, gender, birth_date,
             phone_enc, phone_masked, workplace, created_at, updated_at) VALUES {}",
        values_placeholders(people.len(), 12)
    );
    let hashes: Vec<String> = people
        .iter()
        .map(|p| crypto.lookup_hash("id", p.id_number.expose()))
        .collect();
    let mut q = sqlx::query(&sql);
    for (p, hash) in people.iter().zip(&hashes) {
        let gender = match p.id_number.gender() {
            Gender::Male => "male",
            Gender::Female => "female",
        };
        q = q
            .bind(p.union_id)
            .bind(p.name.clone())
            .bind(crypto.encrypt(p.id_number.expose()))
            .bind(hash.clone())
            .bind(p.id_number.masked())
            .bind(gender)
            .bind(p.id_number.birth_date().iso())
            .bind(crypto.encrypt(p.phone.expose()))
            .bind(p.phone.masked())
            .bind(p.workplace.clone())
            .bind(now)
            .bind(now);
    }
    q.execute(&mut *tx).await.context("roster batch")?;

    // Cards join their roster entries by the ID hash: one statement per batch
    // on both engines, whatever ids the database handed out.
    let sql = format!(
        "INSERT INTO cards (roster_id, card_no, bank, status, issued_at, activated_at)
         SELECT r.id, v.column2, v.column3, v.column4, v.column5, v.column6
           FROM (VALUES {}) AS v JOIN roster_entries r ON r.id_hash = v.column1",
        values_placeholders(people.len(), 6)
    );
    let mut q = sqlx::query(&sql);
    for (p, hash) in people.iter().zip(hashes) {
        q = q
            .bind(hash)
            .bind(p.card_no.clone())
            .bind(p.bank)
            .bind(p.status.as_str())
            .bind(p.issued_at)
            .bind(p.activated_at);
    }
    q.execute(&mut *tx).await.context("card batch")?;
    // The figures: a few rows per batch (its people share unions and days).
    let mut by_day: std::collections::BTreeMap<(i64, i64, Tally), i64> = Default::default();
    for p in people {
        let issued = (p.union_id, figures::day_of(p.issued_at), Tally::Issued);
        *by_day.entry(issued).or_default() += 1;
        if let Some(at) = p.activated_at {
            let active = (p.union_id, figures::day_of(at), Tally::Activated);
            *by_day.entry(active).or_default() += 1;
        }
    }
    for ((union_id, day, tally), n) in by_day {
        figures::add(&mut *tx, union_id, time::day_start(day), tally, n, 0)
            .await
            .context("card figures")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn card_numbers_from_serials_carry_their_check_digit() {
        assert_eq!(super::card_number(1), "6222020200000000014");
        assert_eq!(super::card_number(99), "6222020200000000998");
    }
}
