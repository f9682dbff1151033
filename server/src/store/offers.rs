//! Discount offers: one-time codes, redemptions, a member's savings, the cashier's day.
//!
//! A code is confirmed at most once: the confirmation ([`confirm`]) is a
//! conditional update from `issued`, which only one request can win.

use std::collections::HashMap;

use sqlx::{AnyConnection, FromRow};
use unioncard_api::identity::mask_name;
use unioncard_api::offers::{
    CashierRedemption, DiscountRule, HistoryItem, Limit, LimitPeriod, MerchantStatus, OfferInput,
    OfferStatus, OfferView, RedemptionStatus, Terms, Worked,
};

use crate::error::{current_lang, AppError, AppResult};
use crate::store::figures::{self, Tally};
use crate::time;

const OFFER_COLUMNS: &str =
    "id, merchant_id, title, kind, basis_points, amount_fen, price_fen, min_spend_fen,
    max_discount_fen, valid_from, valid_to, weekdays, limit_count, limit_period, status";

/// An offer with its merchant's name and status.
const OFFER_WITH_MERCHANT: &str = "SELECT o.id, o.merchant_id, o.title, o.kind, o.basis_points, o.amount_fen,
        o.price_fen, o.min_spend_fen, o.max_discount_fen, o.valid_from, o.valid_to, o.weekdays, o.limit_count,
        o.limit_period, o.status, m.name AS merchant_name, m.status AS merchant_status
   FROM offers o JOIN merchants m ON m.id = o.merchant_id";

/// An offer's discount and per-member limit as stored: the columns every
/// read of an offer carries.
#[derive(Debug, FromRow)]
pub struct TermsRow {
    pub kind: String,
    pub basis_points: Option<i64>,
    pub amount_fen: Option<i64>,
    pub price_fen: Option<i64>,
    pub min_spend_fen: i64,
    pub max_discount_fen: Option<i64>,
    pub limit_count: Option<i64>,
    pub limit_period: Option<String>,
}

impl TermsRow {
    /// The offer's terms; an unknown kind in the database is an internal error.
    pub fn terms(&self) -> AppResult<Terms> {
        let rule = match self.kind.as_str() {
            "percent" => DiscountRule::PercentOff {
                basis_points: self.basis_points.unwrap_or(0),
            },
            "amount" => DiscountRule::AmountOff {
                amount_fen: self.amount_fen.unwrap_or(0),
            },
            "fixed" => DiscountRule::FixedPrice {
                price_fen: self.price_fen.unwrap_or(0),
            },
            _ => return Err(AppError::internal("unknown offer kind")),
        };
        Ok(Terms {
            rule,
            min_spend_fen: self.min_spend_fen,
            max_discount_fen: self.max_discount_fen,
        })
    }

    /// The offer's per-member limit, if it has one.
    pub fn limit(&self) -> Option<Limit> {
        match (self.limit_count, self.limit_period.as_deref()) {
            (Some(count), Some("day")) => Some(Limit {
                count,
                period: LimitPeriod::Day,
            }),
            (Some(count), Some("month")) => Some(Limit {
                count,
                period: LimitPeriod::Month,
            }),
            _ => None,
        }
    }
}

/// An offer as stored.
#[derive(Debug, FromRow)]
pub struct OfferRow {
    pub id: i64,
    pub merchant_id: i64,
    pub title: String,
    #[sqlx(flatten)]
    pub terms: TermsRow,
    pub valid_from: String,
    pub valid_to: String,
    pub weekdays: i64,
    pub status: String,
}

impl OfferRow {
    /// Shown or paused; an unknown stored name is an internal error.
    pub fn status(&self) -> AppResult<OfferStatus> {
        OfferStatus::from_db(&self.status).ok_or_else(|| AppError::internal("unknown offer status"))
    }

    /// The directory's view, with what it saves on the merchant's typical bill.
    pub fn into_view(self, typical_bill_fen: i64) -> AppResult<OfferView> {
        let status = self.status()?;
        let terms = self.terms.terms()?;
        let example_bill_fen = terms.example_bill(typical_bill_fen);
        let typical_saving_fen = terms
            .apply(example_bill_fen)
            .map(|w| w.discount_fen)
            .unwrap_or(0);
        Ok(OfferView {
            id: self.id,
            title: self.title,
            summary: terms.describe(current_lang()),
            terms,
            valid_from: self.valid_from,
            valid_to: self.valid_to,
            weekdays: self.weekdays,
            limit: self.terms.limit(),
            status,
            typical_saving_fen,
            example_bill_fen,
        })
    }
}

/// The active offers of these merchants (one query for all of them), by id.
pub async fn active_offers_of(
    conn: &mut AnyConnection,
    merchant_ids: &[i64],
) -> AppResult<Vec<OfferRow>> {
    if merchant_ids.is_empty() {
        return Ok(Vec::new());
    }
    let list: Vec<String> = merchant_ids.iter().map(i64::to_string).collect();
    // Ids are integers we produced: safe to inline, and it keeps one statement.
    Ok(sqlx::query_as(&format!(
        "SELECT {OFFER_COLUMNS} FROM offers WHERE status = 'active' AND merchant_id IN ({}) ORDER BY id",
        list.join(",")
    ))
    .fetch_all(conn)
    .await?)
}

/// Offers read by [`active_offers_of`] as views, by merchant, each priced on
/// its merchant's typical bill (`typical_bills`: merchant id to bill).
pub fn views_by_merchant(
    rows: Vec<OfferRow>,
    typical_bills: &HashMap<i64, i64>,
) -> AppResult<HashMap<i64, Vec<OfferView>>> {
    let mut out: HashMap<i64, Vec<OfferView>> = HashMap::new();
    for r in rows {
        let mid = r.merchant_id;
        let typical = typical_bills.get(&mid).copied().unwrap_or(0);
        out.entry(mid).or_default().push(r.into_view(typical)?);
    }
    Ok(out)
}

/// An offer with its merchant's name and status.
#[derive(Debug, FromRow)]
pub struct OfferWithMerchant {
    #[sqlx(flatten)]
    pub offer: OfferRow,
    pub merchant_name: String,
    pub merchant_status: String,
}

impl OfferWithMerchant {
    /// Where the merchant's contract stands; an unknown stored name is an
    /// internal error.
    pub fn merchant_status(&self) -> AppResult<MerchantStatus> {
        MerchantStatus::from_db(&self.merchant_status)
            .ok_or_else(|| AppError::internal("unknown merchant status"))
    }
}

/// One offer, whatever its status, with its merchant's name and status.
pub async fn offer_with_merchant(
    conn: &mut AnyConnection,
    id: i64,
) -> AppResult<Option<OfferWithMerchant>> {
    Ok(
        sqlx::query_as(&format!("{OFFER_WITH_MERCHANT} WHERE o.id = $1"))
            .bind(id)
            .fetch_optional(conn)
            .await?,
    )
}

/// The period whose limit the card has used up with this offer (its
/// confirmed uses since the period began, the China day or the month);
/// `None` when under the limit or the offer has none.
pub async fn limit_reached(
    conn: &mut AnyConnection,
    limit: Option<Limit>,
    card_id: i64,
    offer_id: i64,
    now: i64,
) -> AppResult<Option<LimitPeriod>> {
    let Some(limit) = limit else { return Ok(None) };
    let since = match limit.period {
        LimitPeriod::Day => time::day_start(time::china_day(now)),
        LimitPeriod::Month => time::month_start(now),
    };
    let used: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM redemptions WHERE card_id = $1 AND offer_id = $2 AND status = 'confirmed' AND confirmed_at >= $3",
    )
    .bind(card_id)
    .bind(offer_id)
    .bind(since)
    .fetch_one(conn)
    .await?;
    Ok((used >= limit.count).then_some(limit.period))
}

/// A code given to a member.
#[derive(Debug, FromRow)]
pub struct IssuedCode {
    pub id: i64,
    pub code: String,
    pub expires_at: i64,
}

/// The card's newest code for the offer still waiting to be used with at
/// least a minute left.
pub async fn waiting_code(
    conn: &mut AnyConnection,
    card_id: i64,
    offer_id: i64,
    now: i64,
) -> AppResult<Option<IssuedCode>> {
    Ok(sqlx::query_as("SELECT id, code, expires_at FROM redemptions WHERE card_id = $1 AND offer_id = $2 AND status = 'issued' AND expires_at > $3 ORDER BY id DESC LIMIT 1")
        .bind(card_id)
        .bind(offer_id)
        .bind(now + 60)
        .fetch_optional(conn)
        .await?)
}

/// A new one-time code.
#[derive(Debug)]
pub struct NewCode<'a> {
    pub code: &'a str,
    pub offer_id: i64,
    pub merchant_id: i64,
    pub card_id: i64,
    pub user_id: i64,
    pub created_at: i64,
    pub expires_at: i64,
}

/// Writes an issued code: first into the book of codes ever given, which
/// answers a code already given by writing nothing (`None`: the caller
/// draws another; no error, so the caller's transaction goes on), then the
/// use waiting for the till; its id.
pub async fn issue_code(conn: &mut AnyConnection, c: &NewCode<'_>) -> AppResult<Option<i64>> {
    let booked = sqlx::query(
        "INSERT INTO redemption_codes (code, created_at) VALUES ($1, $2) ON CONFLICT (code) DO NOTHING",
    )
    .bind(c.code)
    .bind(c.created_at)
    .execute(&mut *conn)
    .await?;
    if booked.rows_affected() != 1 {
        return Ok(None);
    }
    let id = sqlx::query_scalar(
        "INSERT INTO redemptions (code, offer_id, merchant_id, card_id, user_id, status, created_at, expires_at)
                     VALUES ($1, $2, $3, $4, $5, 'issued', $6, $7) RETURNING id",
    )
    .bind(c.code)
    .bind(c.offer_id)
    .bind(c.merchant_id)
    .bind(c.card_id)
    .bind(c.user_id)
    .bind(c.created_at)
    .bind(c.expires_at)
    .fetch_one(conn)
    .await?;
    Ok(Some(id))
}

/// A confirmed use as its member sees it.
#[derive(Debug, FromRow)]
pub struct HistoryRow {
    pub id: i64,
    pub merchant_id: i64,
    pub merchant_name: String,
    pub title: String,
    pub confirmed_at: Option<i64>,
    pub bill_fen: Option<i64>,
    pub discount_fen: Option<i64>,
}

impl From<HistoryRow> for HistoryItem {
    fn from(r: HistoryRow) -> HistoryItem {
        HistoryItem {
            id: r.id,
            merchant_id: r.merchant_id,
            merchant_name: r.merchant_name,
            offer_title: r.title,
            at: time::rfc3339(r.confirmed_at.unwrap_or(0)),
            bill_fen: r.bill_fen.unwrap_or(0),
            saving_fen: r.discount_fen.unwrap_or(0),
        }
    }
}

/// A card's confirmed uses before a use, newest first: `$1` the card,
/// `$2` the use, `$3` how many.
pub(crate) const HISTORY: &str = "SELECT r.id, r.merchant_id, m.name AS merchant_name, o.title, r.confirmed_at, r.bill_fen, r.discount_fen
   FROM redemptions r JOIN merchants m ON m.id = r.merchant_id JOIN offers o ON o.id = r.offer_id
  WHERE r.card_id = $1 AND r.status = 'confirmed' AND r.id < $2 ORDER BY r.id DESC LIMIT $3";

/// The card's confirmed uses before the use `before`, newest first, at most `limit`.
pub async fn history(
    conn: &mut AnyConnection,
    card_id: i64,
    before: i64,
    limit: i64,
) -> AppResult<Vec<HistoryRow>> {
    Ok(sqlx::query_as(HISTORY)
        .bind(card_id)
        .bind(before)
        .bind(limit)
        .fetch_all(conn)
        .await?)
}

/// What a card (`$1`) saved with uses confirmed since `$2`.
pub(crate) const SAVING_SINCE: &str =
    "SELECT CAST(COALESCE(SUM(discount_fen), 0) AS BIGINT) FROM redemptions
  WHERE card_id = $1 AND status = 'confirmed' AND confirmed_at >= $2";

/// What the card saved with uses confirmed since `since`.
pub async fn saving_since(conn: &mut AnyConnection, card_id: i64, since: i64) -> AppResult<i64> {
    Ok(sqlx::query_scalar(SAVING_SINCE)
        .bind(card_id)
        .bind(since)
        .fetch_one(conn)
        .await?)
}

/// Whether a use is this card's, at this merchant.
pub async fn is_card_use_at(
    conn: &mut AnyConnection,
    redemption_id: i64,
    card_id: i64,
    merchant_id: i64,
) -> AppResult<bool> {
    let own: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM redemptions WHERE id = $1 AND card_id = $2 AND merchant_id = $3",
    )
    .bind(redemption_id)
    .bind(card_id)
    .bind(merchant_id)
    .fetch_optional(conn)
    .await?;
    Ok(own.is_some())
}

// ---- the cashier's side ----

const REDEMPTION_SELECT: &str = "SELECT r.id, r.created_at, r.code, r.offer_id, r.merchant_id, r.card_id, r.status, r.expires_at,
        r.confirmed_at, r.bill_fen, r.discount_fen, r.pay_fen, c.status AS card_status, p.name AS member_name,
        o.title, o.kind, o.basis_points, o.amount_fen, o.price_fen, o.min_spend_fen, o.max_discount_fen,
        o.limit_count, o.limit_period
   FROM redemptions r JOIN offers o ON o.id = r.offer_id JOIN cards c ON c.id = r.card_id
   JOIN roster_entries p ON p.id = c.roster_id";

/// A code as the till sees it: its state, the member's card and name, the offer's terms.
#[derive(Debug, FromRow)]
pub struct TillRow {
    pub id: i64,
    /// When the code was given: with the id, the use's key (on PostgreSQL
    /// it names the month's part that holds it).
    pub created_at: i64,
    pub code: String,
    pub offer_id: i64,
    pub merchant_id: i64,
    pub card_id: i64,
    pub status: String,
    pub expires_at: i64,
    pub confirmed_at: Option<i64>,
    pub bill_fen: Option<i64>,
    pub discount_fen: Option<i64>,
    pub pay_fen: Option<i64>,
    pub card_status: String,
    pub member_name: String,
    pub title: String,
    #[sqlx(flatten)]
    pub terms: TermsRow,
}

impl TillRow {
    /// Issued or confirmed; an unknown stored name is an internal error.
    pub fn status(&self) -> AppResult<RedemptionStatus> {
        RedemptionStatus::from_db(&self.status)
            .ok_or_else(|| AppError::internal("unknown redemption status"))
    }

    /// The cashier's view with these figures.
    pub fn view(&self, worked: Worked) -> AppResult<CashierRedemption> {
        Ok(CashierRedemption {
            code: self.code.clone(),
            offer_title: self.title.clone(),
            member_masked: mask_name(&self.member_name),
            worked,
            status: self.status()?,
            confirmed_at: self.confirmed_at.map(time::rfc3339),
        })
    }

    /// The figures written when the code was confirmed (0 where none).
    pub fn worked(&self) -> Worked {
        Worked {
            bill_fen: self.bill_fen.unwrap_or(0),
            discount_fen: self.discount_fen.unwrap_or(0),
            pay_fen: self.pay_fen.unwrap_or(0),
        }
    }
}

/// A use by its code's digits (`$1`).
pub(crate) fn by_code_sql() -> String {
    // The book says when the code was given, so that PostgreSQL reads
    // one month's part of `redemptions`, not every month's.
    format!(
        "{REDEMPTION_SELECT} WHERE r.code = $1
            AND r.created_at = (SELECT k.created_at FROM redemption_codes k WHERE k.code = $1)"
    )
}

/// One code by its digits.
pub async fn redemption_by_code(
    conn: &mut AnyConnection,
    code: &str,
) -> AppResult<Option<TillRow>> {
    Ok(sqlx::query_as(&by_code_sql())
        .bind(code)
        .fetch_optional(conn)
        .await?)
}

/// Confirms the code `row` was read as with the bill's figures; `false`
/// when it is no longer `issued` or has expired.
pub async fn confirm(
    tx: &mut AnyConnection,
    row: &TillRow,
    cashier_id: i64,
    worked: Worked,
    now: i64,
) -> AppResult<bool> {
    // The one place a code changes state: only a request that still finds it
    // 'issued' wins, however many cashiers, taps or retries arrive at once.
    let done = sqlx::query(
        "UPDATE redemptions SET status = 'confirmed', confirmed_at = $1, cashier_id = $2, bill_fen = $3,
                discount_fen = $4, pay_fen = $5
          WHERE id = $6 AND created_at = $7 AND status = 'issued' AND expires_at > $1",
    )
    .bind(now)
    .bind(cashier_id)
    .bind(worked.bill_fen)
    .bind(worked.discount_fen)
    .bind(worked.pay_fen)
    .bind(row.id)
    .bind(row.created_at)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() != 1 {
        return Ok(false);
    }
    let roster_id: i64 = sqlx::query_scalar("SELECT roster_id FROM cards WHERE id = $1")
        .bind(row.card_id)
        .fetch_one(&mut *tx)
        .await?;
    figures::member_used(tx, roster_id, now, Tally::Redemption, worked.discount_fen).await?;
    Ok(true)
}

/// The merchant's uses confirmed since `since`, newest first (at most 500).
pub async fn confirmed_at_merchant_since(
    conn: &mut AnyConnection,
    merchant_id: i64,
    since: i64,
) -> AppResult<Vec<TillRow>> {
    Ok(sqlx::query_as(&format!(
        "{REDEMPTION_SELECT} WHERE r.merchant_id = $1 AND r.status = 'confirmed' AND r.confirmed_at >= $2
          ORDER BY r.confirmed_at DESC LIMIT 500"
    ))
    .bind(merchant_id)
    .bind(since)
    .fetch_all(conn)
    .await?)
}

// ---- the officers' side ----

/// Runs an offer's INSERT (`$14` is the time it was created) or UPDATE
/// (no `$14`): the same thirteen fields either way, `$1` the merchant or
/// the offer.
async fn write_offer(
    tx: &mut AnyConnection,
    sql: &str,
    first: i64,
    o: &OfferInput,
    created_at: Option<i64>,
) -> AppResult<i64> {
    // Only the figure the kind uses is kept.
    let figure = |kind: &str, v: Option<i64>| if o.kind == kind { v } else { None };
    let mut q = sqlx::query_scalar(sql)
        .bind(first)
        .bind(o.title.trim())
        .bind(&o.kind)
        .bind(figure("percent", o.basis_points))
        .bind(figure("amount", o.amount_fen))
        .bind(figure("fixed", o.price_fen))
        .bind(o.min_spend_fen)
        .bind(o.max_discount_fen)
        .bind(&o.valid_from)
        .bind(&o.valid_to)
        .bind(o.weekdays)
        .bind(o.limit_count)
        .bind(o.limit_period.as_deref());
    if let Some(at) = created_at {
        q = q.bind(at);
    }
    Ok(q.fetch_one(tx).await?)
}

/// Adds an active offer to a merchant; its id.
pub async fn add_offer(
    tx: &mut AnyConnection,
    merchant_id: i64,
    o: &OfferInput,
    now: i64,
) -> AppResult<i64> {
    write_offer(
        tx,
        "INSERT INTO offers (merchant_id, title, kind, basis_points, amount_fen, price_fen, min_spend_fen,
            max_discount_fen, valid_from, valid_to, weekdays, limit_count, limit_period, status, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 'active', $14) RETURNING id",
        merchant_id,
        o,
        Some(now),
    )
    .await
}

/// Rewrites an offer's terms (an internal error when there is no such offer).
pub async fn update_offer(tx: &mut AnyConnection, id: i64, o: &OfferInput) -> AppResult<()> {
    write_offer(
        tx,
        "UPDATE offers SET title = $2, kind = $3, basis_points = $4, amount_fen = $5, price_fen = $6,
            min_spend_fen = $7, max_discount_fen = $8, valid_from = $9, valid_to = $10, weekdays = $11,
            limit_count = $12, limit_period = $13
          WHERE id = $1 RETURNING id",
        id,
        o,
        None,
    )
    .await?;
    Ok(())
}

/// The merchant an offer belongs to.
pub async fn merchant_of_offer(conn: &mut AnyConnection, id: i64) -> AppResult<Option<i64>> {
    Ok(
        sqlx::query_scalar("SELECT merchant_id FROM offers WHERE id = $1")
            .bind(id)
            .fetch_optional(conn)
            .await?,
    )
}

/// An offer's status (an internal error when there is no such offer, or
/// its stored name is unknown).
pub async fn offer_status(tx: &mut AnyConnection, id: i64) -> AppResult<OfferStatus> {
    let stored: String = sqlx::query_scalar("SELECT status FROM offers WHERE id = $1")
        .bind(id)
        .fetch_one(tx)
        .await?;
    OfferStatus::try_from(stored).map_err(AppError::internal)
}

/// Sets an offer's status, whatever it was.
pub async fn set_offer_status(
    tx: &mut AnyConnection,
    id: i64,
    status: OfferStatus,
) -> AppResult<()> {
    sqlx::query("UPDATE offers SET status = $1 WHERE id = $2")
        .bind(status.as_str())
        .bind(id)
        .execute(tx)
        .await?;
    Ok(())
}
