//! Service cards: activation, the e-card secret, freezing, the staff card lookup.
//!
//! Every change of a card's status is a conditional update from the status
//! it was read in, so of two requests at once only one changes it.

use sqlx::{AnyConnection, FromRow};
use unioncard_api::auth::AccountSummary;
use unioncard_api::card::{mask_card_no, CardStatus, CardView, StaffCardView};
use unioncard_api::identity::mask_name;

use crate::error::{AppError, AppResult};
use crate::store::figures::{self, Tally};
use crate::time;

fn card_status(stored: &str) -> AppResult<CardStatus> {
    CardStatus::from_db(stored).ok_or_else(|| AppError::internal("unknown card status"))
}

// ---- the member's card ----

/// A member's card as stored.
pub struct MemberCard {
    /// Card id.
    pub id: i64,
    /// Full card number.
    pub card_no: String,
    /// Bank.
    pub bank: String,
    /// Status.
    pub status: CardStatus,
    /// Activation time.
    pub activated_at: Option<i64>,
    /// Holder's name.
    pub holder: String,
    /// Keyed hash of the holder's ID number.
    pub id_hash: String,
    /// Workplace union.
    pub union_id: i64,
    /// Its name.
    pub union_name: String,
}

impl MemberCard {
    /// The card as its holder sees it, with a code when active.
    pub fn view(&self, token: Option<(String, i64)>) -> CardView {
        CardView {
            status: self.status,
            card_no_masked: mask_card_no(&self.card_no),
            bank: self.bank.clone(),
            holder_masked: mask_name(&self.holder),
            holder: self.holder.clone(),
            union_name: self.union_name.clone(),
            activated_at: self.activated_at.map(time::rfc3339),
            token_expires_at: token.as_ref().map(|(_, exp)| time::rfc3339(*exp)),
            token: token.map(|(t, _)| t),
        }
    }
}

#[derive(FromRow)]
struct CardRow {
    id: i64,
    card_no: String,
    bank: String,
    status: String,
    activated_at: Option<i64>,
    name: String,
    id_hash: String,
    union_id: i64,
    union_name: String,
}

impl CardRow {
    fn into_card(self) -> AppResult<MemberCard> {
        Ok(MemberCard {
            status: card_status(&self.status)?,
            id: self.id,
            card_no: self.card_no,
            bank: self.bank,
            activated_at: self.activated_at,
            holder: self.name,
            id_hash: self.id_hash,
            union_id: self.union_id,
            union_name: self.union_name,
        })
    }
}

/// The card of a roster entry, with its holder and union.
pub async fn card_of(conn: &mut AnyConnection, roster_id: i64) -> AppResult<Option<MemberCard>> {
    let row: Option<CardRow> = sqlx::query_as(
        "SELECT c.id, c.card_no, c.bank, c.status, c.activated_at, r.name, r.id_hash,
            r.union_id, u.name AS union_name
       FROM cards c JOIN roster_entries r ON r.id = c.roster_id JOIN unions u ON u.id = r.union_id
      WHERE r.id = $1",
    )
    .bind(roster_id)
    .fetch_optional(conn)
    .await?;
    row.map(CardRow::into_card).transpose()
}

/// Activates an issued card. Only one of two simultaneous activations finds
/// the card still issued: `false` for the other.
pub async fn activate(tx: &mut AnyConnection, card_id: i64, now: i64) -> AppResult<bool> {
    let done = sqlx::query(
        "UPDATE cards SET status = 'active', activated_at = $1 WHERE id = $2 AND status = 'issued'",
    )
    .bind(now)
    .bind(card_id)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() != 1 {
        return Ok(false);
    }
    if let Some(roster_id) = roster_of(tx, card_id).await? {
        figures::add_for_member(tx, roster_id, now, Tally::Activated, 0).await?;
    }
    Ok(true)
}

/// The roster entry a card belongs to.
async fn roster_of(conn: &mut AnyConnection, card_id: i64) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar("SELECT roster_id FROM cards WHERE id = $1")
        .bind(card_id)
        .fetch_optional(conn)
        .await
}

/// Marks a card lost; `false` when it already was.
pub async fn report_lost(tx: &mut AnyConnection, card_id: i64) -> AppResult<bool> {
    let done = sqlx::query("UPDATE cards SET status = 'lost' WHERE id = $1 AND status <> 'lost'")
        .bind(card_id)
        .execute(tx)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Marks a member's card lost by their roster entry (the demo's cards the
/// bank refused as lost).
pub async fn lost_by_roster(tx: &mut AnyConnection, roster_id: i64) -> AppResult<()> {
    sqlx::query("UPDATE cards SET status = 'lost' WHERE roster_id = $1")
        .bind(roster_id)
        .execute(tx)
        .await?;
    Ok(())
}

// ---- e-card secrets ----

/// A device secret, encrypted as stored.
#[derive(Debug, FromRow)]
pub struct DeviceRow {
    pub id: i64,
    pub secret_enc: String,
}

/// The card's server-held secret for codes fetched online, if it has one.
pub async fn online_device(conn: &mut AnyConnection, card_id: i64) -> AppResult<Option<DeviceRow>> {
    Ok(sqlx::query_as(
        "SELECT id, secret_enc FROM card_devices
          WHERE card_id = $1 AND kind = 'online' AND revoked_at IS NULL ORDER BY id LIMIT 1",
    )
    .bind(card_id)
    .fetch_optional(conn)
    .await?)
}

/// Stores the card's server-held secret (already encrypted).
pub async fn add_online_device(
    tx: &mut AnyConnection,
    card_id: i64,
    secret_enc: &str,
    now: i64,
) -> AppResult<DeviceRow> {
    Ok(sqlx::query_as(
        "INSERT INTO card_devices (card_id, kind, secret_enc, created_at)
         VALUES ($1, 'online', $2, $3) RETURNING id, secret_enc",
    )
    .bind(card_id)
    .bind(secret_enc)
    .bind(now)
    .fetch_one(tx)
    .await?)
}

/// A phone's own secret (already encrypted), tied to the session that asked
/// for it (revoked when that session signs out); returns its id.
pub async fn add_phone(
    tx: &mut AnyConnection,
    card_id: i64,
    user_id: i64,
    session_hash: &str,
    secret_enc: &str,
    now: i64,
) -> AppResult<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO card_devices (card_id, user_id, session_hash, kind, secret_enc, created_at)
         VALUES ($1, $2, $3, 'phone', $4, $5) RETURNING id",
    )
    .bind(card_id)
    .bind(user_id)
    .bind(session_hash)
    .bind(secret_enc)
    .bind(now)
    .fetch_one(tx)
    .await?)
}

/// Revokes the card's phones but the newest `keep`.
pub async fn revoke_older_phones(
    tx: &mut AnyConnection,
    card_id: i64,
    keep: i64,
    now: i64,
) -> AppResult<()> {
    sqlx::query(
        "UPDATE card_devices SET revoked_at = $1
          WHERE card_id = $2 AND kind = 'phone' AND revoked_at IS NULL AND id NOT IN (
              SELECT id FROM card_devices WHERE card_id = $2 AND kind = 'phone' AND revoked_at IS NULL
              ORDER BY id DESC LIMIT $3)",
    )
    .bind(now)
    .bind(card_id)
    .bind(keep)
    .execute(tx)
    .await?;
    Ok(())
}

/// Revokes every secret of a card, so none of its codes verify any more.
pub async fn revoke_devices(tx: &mut AnyConnection, card_id: i64, now: i64) -> AppResult<()> {
    sqlx::query(
        "UPDATE card_devices SET revoked_at = $1 WHERE card_id = $2 AND revoked_at IS NULL",
    )
    .bind(now)
    .bind(card_id)
    .execute(tx)
    .await?;
    Ok(())
}

// ---- the officers' side ----

/// A card as an officer finds it: with its holder, union and the holder's
/// member account, if any.
#[derive(Debug, FromRow)]
pub struct StaffCardRow {
    pub id: i64,
    pub card_no: String,
    pub status: String,
    pub status_before_freeze: Option<String>,
    pub activated_at: Option<i64>,
    pub name: String,
    pub id_masked: String,
    pub union_id: i64,
    pub union_name: String,
    /// The holder's union's path.
    pub path: String,
    pub roster_id: i64,
    pub account_id: Option<i64>,
    pub account_name: Option<String>,
    pub phone_masked: Option<String>,
    pub disabled_at: Option<i64>,
}

impl StaffCardRow {
    /// Its status; an unknown value in the database is an internal error.
    pub fn status(&self) -> AppResult<CardStatus> {
        card_status(&self.status)
    }

    /// The officers' view.
    pub fn view(&self, status: CardStatus) -> StaffCardView {
        StaffCardView {
            card_no_masked: mask_card_no(&self.card_no),
            holder: self.name.clone(),
            id_number_masked: self.id_masked.clone(),
            union_name: self.union_name.clone(),
            status,
            activated_at: self.activated_at.map(time::rfc3339),
            account: self.account_id.map(|id| AccountSummary {
                id,
                name: self.account_name.clone().unwrap_or_default(),
                phone_masked: self.phone_masked.clone().unwrap_or_default(),
                role: "member".into(),
                disabled: self.disabled_at.is_some(),
            }),
        }
    }
}

const STAFF_CARD: &str =
    "SELECT c.id, c.card_no, c.status, c.status_before_freeze, c.activated_at, r.name, r.id_masked,
            r.union_id, u.name AS union_name, u.path, r.id AS roster_id,
            a.id AS account_id, a.name AS account_name, a.phone_masked, a.disabled_at
       FROM cards c JOIN roster_entries r ON r.id = c.roster_id JOIN unions u ON u.id = r.union_id
       LEFT JOIN users a ON a.roster_id = r.id AND a.role = 'member'";

/// A card by its whole number.
pub async fn by_number(conn: &mut AnyConnection, card_no: &str) -> AppResult<Option<StaffCardRow>> {
    Ok(
        sqlx::query_as(&format!("{STAFF_CARD} WHERE c.card_no = $1"))
            .bind(card_no)
            .fetch_optional(conn)
            .await?,
    )
}

/// A card by its holder's ID number (its keyed hash).
pub async fn by_id_hash(
    conn: &mut AnyConnection,
    id_hash: &str,
) -> AppResult<Option<StaffCardRow>> {
    Ok(
        sqlx::query_as(&format!("{STAFF_CARD} WHERE r.id_hash = $1"))
            .bind(id_hash)
            .fetch_optional(conn)
            .await?,
    )
}

/// Replaces a lost card: the same card under `new_no`, issued again (its
/// holder activates it), the retired number kept. `false`, and nothing
/// written, when the card is no longer lost (two officers at once).
pub async fn replace(
    tx: &mut AnyConnection,
    card: &StaffCardRow,
    new_no: &str,
    by: i64,
    now: i64,
) -> AppResult<bool> {
    let before: Option<(i64, Option<i64>)> = sqlx::query_as(
        "SELECT issued_at, activated_at FROM cards WHERE id = $1 AND status = 'lost'",
    )
    .bind(card.id)
    .fetch_optional(&mut *tx)
    .await?;
    let done = sqlx::query(
        "UPDATE cards SET card_no = $1, status = 'issued', status_before_freeze = NULL,
                activated_at = NULL, issued_at = $2
          WHERE id = $3 AND status = 'lost'",
    )
    .bind(new_no)
    .bind(now)
    .bind(card.id)
    .execute(&mut *tx)
    .await?;
    let Some((issued_at, activated_at)) = before.filter(|_| done.rows_affected() == 1) else {
        return Ok(false);
    };
    // The figures follow the card's record: issued again today, and no
    // longer active until its holder activates it.
    figures::add(tx, card.union_id, issued_at, Tally::Issued, -1, 0).await?;
    figures::add(tx, card.union_id, now, Tally::Issued, 1, 0).await?;
    if let Some(at) = activated_at {
        figures::add(tx, card.union_id, at, Tally::Activated, -1, 0).await?;
    }
    sqlx::query(
        "INSERT INTO card_replacements (card_id, old_card_no, new_card_no, replaced_by, replaced_at)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(card.id)
    .bind(&card.card_no)
    .bind(new_no)
    .bind(by)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    Ok(true)
}

/// Moves a card from `from` to `to`, noting what it was before a freeze;
/// `false` when its status is no longer `from`.
pub async fn set_status(
    tx: &mut AnyConnection,
    card_id: i64,
    from: CardStatus,
    to: &str,
    before_freeze: Option<String>,
) -> AppResult<bool> {
    let done = sqlx::query(
        "UPDATE cards SET status = $1, status_before_freeze = $2 WHERE id = $3 AND status = $4",
    )
    .bind(to)
    .bind(before_freeze)
    .bind(card_id)
    .bind(from.as_str())
    .execute(tx)
    .await?;
    Ok(done.rows_affected() == 1)
}
