//! Partner merchants: the directory, cashiers, complaints, signing and pausing merchants.

use std::collections::HashMap;

use sqlx::{AnyConnection, FromRow};
use unioncard_api::auth::AccountSummary;
use unioncard_api::offers::{
    Category, ComplaintStatus, ComplaintView, MerchantInput, MerchantStatus, MerchantView,
    OfferInput, OfferStatus, OfferView, StaffMerchant, StaffOffer,
};

use super::geo::{self, Start};
use super::search::{self, Indexed, Words};
use crate::error::{AppError, AppResult};
use crate::time;

// ---- the directory ----

const MERCHANT_COLUMNS: &str =
    "id, name, category, district, address, hours, phone, lat_e6, lng_e6, typical_bill_fen";

/// A merchant as the directory shows it.
#[derive(Debug, FromRow)]
pub struct MerchantRow {
    pub id: i64,
    pub name: String,
    pub category: String,
    pub district: String,
    pub address: String,
    pub hours: String,
    pub phone: String,
    pub lat_e6: i64,
    pub lng_e6: i64,
    pub typical_bill_fen: i64,
}

impl MerchantRow {
    /// The directory's view with its offers and, nearest first, its distance.
    pub fn into_view(
        self,
        offers: Vec<OfferView>,
        distance: Option<i64>,
    ) -> AppResult<MerchantView> {
        Ok(MerchantView {
            id: self.id,
            name: self.name,
            category: Category::from_db(&self.category)
                .ok_or_else(|| AppError::internal("unknown category"))?,
            district: self.district,
            address: self.address,
            hours: self.hours,
            phone: self.phone,
            lat: self.lat_e6 as f64 / 1e6,
            lng: self.lng_e6 as f64 / 1e6,
            distance_m: distance,
            typical_bill_fen: self.typical_bill_fen,
            offers,
        })
    }
}

/// The filters of the directory.
#[derive(Debug, Default)]
pub struct MerchantFilter {
    /// Only this category.
    pub category: Option<Category>,
    /// Words in the search text (name, district, address, offers' titles).
    pub words: Option<Words>,
    /// `(lat, lng)`: nearest first from here; `after` is then a position.
    pub near: Option<(f64, f64)>,
    /// Merchants after this id, or nearest first after this many.
    pub after: i64,
    /// The page size.
    pub limit: i64,
}

/// A page of the directory.
#[derive(Debug, Default)]
pub struct DirectoryPage {
    /// The merchants (nearest first: in no particular order, see `distances`).
    pub rows: Vec<MerchantRow>,
    /// Nearest first: each merchant's distance in metres.
    pub distances: HashMap<i64, i64>,
    /// Where the next page starts, if there is one.
    pub next_cursor: Option<String>,
}

/// Active merchants matching the filter: by id, or nearest first. Words
/// are found through their grams ([`search`]) and checked by `LIKE`.
pub async fn directory(conn: &mut AnyConnection, f: &MerchantFilter) -> AppResult<DirectoryPage> {
    let mut filters = vec!["status = 'active'".to_string()];
    let mut binds: Vec<String> = Vec::new();
    if let Some(c) = f.category {
        binds.push(c.as_str().into());
        filters.push(format!("category = ${}", binds.len()));
    }
    let candidates = match &f.words {
        Some(w) => match search::candidates(&mut *conn, Indexed::Merchants, w).await? {
            Some(c) => Some(c),
            None => return Ok(DirectoryPage::default()),
        },
        None => None,
    };
    let (after, limit) = (f.after, f.limit);
    if let Some((lat, lng)) = f.near {
        // A rare word's few merchants are all measured at once; a common
        // word's are checked in the growing box around the point.
        let reach = match &candidates {
            Some(c) if c.few() => {
                let ids = c.ids(&mut *conn, 0, search::FEW as usize).await?;
                if ids.is_empty() {
                    return Ok(DirectoryPage::default());
                }
                // Ids the server read itself: written into the statement.
                filters.push(format!("id IN ({})", super::id_list(&ids)));
                filters.push(c.like(&mut binds));
                Start::Wide
            }
            Some(c) => {
                filters.push(c.like(&mut binds));
                Start::Close
            }
            None => Start::Close,
        };
        let want = after.max(0) as usize + limit as usize + 1;
        let found =
            geo::nearest(conn, "merchants", &filters, &binds, (lat, lng), want, reach).await?;
        let start = after.max(0) as usize;
        let page: Vec<(i64, i64)> = found
            .iter()
            .skip(start)
            .take(limit as usize)
            .copied()
            .collect();
        let next = (found.len() > start + page.len()).then(|| (start + page.len()).to_string());
        let ids: Vec<i64> = page.iter().map(|(id, _)| *id).collect();
        let rows = if ids.is_empty() {
            Vec::new()
        } else {
            sqlx::query_as(&format!(
                "SELECT {MERCHANT_COLUMNS} FROM merchants WHERE id IN ({})",
                super::id_list(&ids)
            ))
            .fetch_all(&mut *conn)
            .await?
        };
        Ok(DirectoryPage {
            rows,
            distances: page.into_iter().collect(),
            next_cursor: next,
        })
    } else {
        let select = format!("SELECT {MERCHANT_COLUMNS} FROM merchants");
        let mut rows: Vec<MerchantRow> = match &candidates {
            Some(c) => {
                c.matching(conn, &select, &filters, &binds, after, limit as usize + 1)
                    .await?
            }
            None => {
                binds.push(after.to_string());
                filters.push(format!("id > CAST(${} AS BIGINT)", binds.len()));
                let sql = format!(
                    "{select} WHERE {} ORDER BY id LIMIT {}",
                    filters.join(" AND "),
                    limit + 1
                );
                let mut query = sqlx::query_as::<_, MerchantRow>(&sql);
                for b in &binds {
                    query = query.bind(b);
                }
                query.fetch_all(conn).await?
            }
        };
        let next = if rows.len() as i64 > limit {
            rows.truncate(limit as usize);
            rows.last().map(|r| r.id.to_string())
        } else {
            None
        };
        Ok(DirectoryPage {
            rows,
            distances: HashMap::new(),
            next_cursor: next,
        })
    }
}

/// One merchant of the directory; a paused or ended partner is not shown, as in the directory.
pub async fn active_merchant(conn: &mut AnyConnection, id: i64) -> AppResult<Option<MerchantRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {MERCHANT_COLUMNS} FROM merchants WHERE id = $1 AND status = 'active'"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await?)
}

/// Whether there is such a merchant, whatever its status.
pub async fn exists(conn: &mut AnyConnection, id: i64) -> AppResult<bool> {
    let found: Option<i64> = sqlx::query_scalar("SELECT id FROM merchants WHERE id = $1")
        .bind(id)
        .fetch_optional(conn)
        .await?;
    Ok(found.is_some())
}

// ---- cashiers ----

/// A member's e-card device with its card, holder and union, for a code shown at a till.
#[derive(Debug, FromRow)]
pub struct CheckedDevice {
    pub secret_enc: String,
    pub revoked_at: Option<i64>,
    pub card_id: i64,
    pub card_no: String,
    pub status: String,
    pub name: String,
    pub union_name: String,
}

/// The device a member code names, with its card and holder.
pub async fn device_for_check(
    conn: &mut AnyConnection,
    device_id: i64,
) -> AppResult<Option<CheckedDevice>> {
    Ok(sqlx::query_as(
        "SELECT d.secret_enc, d.revoked_at, c.id AS card_id, c.card_no, c.status, r.name, u.name AS union_name
           FROM card_devices d JOIN cards c ON c.id = d.card_id
           JOIN roster_entries r ON r.id = c.roster_id JOIN unions u ON u.id = r.union_id
          WHERE d.id = $1",
    )
    .bind(device_id)
    .fetch_optional(conn)
    .await?)
}

/// Notes a code a cashier checked, valid or not (`result`: `valid`, `expired`, `invalid`).
pub async fn record_card_check(
    conn: &mut AnyConnection,
    card_id: Option<i64>,
    merchant_id: i64,
    cashier_id: i64,
    result: &str,
    at: i64,
) -> AppResult<()> {
    sqlx::query("INSERT INTO card_checks (card_id, merchant_id, cashier_id, result, at) VALUES ($1, $2, $3, $4, $5)")
        .bind(card_id)
        .bind(merchant_id)
        .bind(cashier_id)
        .bind(result)
        .bind(at)
        .execute(conn)
        .await?;
    Ok(())
}

#[derive(Debug, FromRow)]
struct CashierRow {
    id: i64,
    name: String,
    phone_masked: String,
    disabled_at: Option<i64>,
}

/// A merchant's cashier accounts, by id.
pub async fn cashiers_of(
    conn: &mut AnyConnection,
    merchant_id: i64,
) -> AppResult<Vec<AccountSummary>> {
    let rows: Vec<CashierRow> = sqlx::query_as(
        "SELECT id, name, phone_masked, disabled_at FROM users
          WHERE role = 'cashier' AND merchant_id = $1 ORDER BY id",
    )
    .bind(merchant_id)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| AccountSummary {
            id: r.id,
            name: r.name,
            phone_masked: r.phone_masked,
            role: "cashier".into(),
            disabled: r.disabled_at.is_some(),
        })
        .collect())
}

// ---- complaints ----

const COMPLAINT_SELECT: &str = "SELECT c.id, c.merchant_id, m.name AS merchant_name, c.kind, c.text, c.status, c.note, c.created_at,
        c.photo_name, c.photo_kind, c.user_id,
        (SELECT COUNT(*) FROM complaints o WHERE o.merchant_id = c.merchant_id AND o.status = 'open') AS open_count
   FROM complaints c JOIN merchants m ON m.id = c.merchant_id";

/// A complaint with its merchant's name and open complaints.
#[derive(Debug, FromRow)]
pub struct ComplaintRow {
    pub id: i64,
    pub merchant_id: i64,
    pub merchant_name: String,
    pub kind: String,
    pub text: String,
    pub status: String,
    pub note: Option<String>,
    pub created_at: i64,
    pub photo_name: Option<String>,
    pub open_count: i64,
}

impl TryFrom<ComplaintRow> for ComplaintView {
    type Error = AppError;
    fn try_from(r: ComplaintRow) -> AppResult<ComplaintView> {
        Ok(ComplaintView {
            id: r.id,
            merchant_id: r.merchant_id,
            merchant_name: r.merchant_name,
            kind: r.kind,
            text: r.text,
            status: ComplaintStatus::from_db(&r.status)
                .ok_or_else(|| AppError::internal("unknown complaint status"))?,
            note: r.note,
            created_at: time::rfc3339(r.created_at),
            merchant_open_complaints: r.open_count,
            has_photo: r.photo_name.is_some(),
        })
    }
}

/// One complaint.
pub async fn complaint(conn: &mut AnyConnection, id: i64) -> AppResult<Option<ComplaintRow>> {
    Ok(
        sqlx::query_as(&format!("{COMPLAINT_SELECT} WHERE c.id = $1"))
            .bind(id)
            .fetch_optional(conn)
            .await?,
    )
}

/// The member's complaints, newest first (at most 100).
pub async fn complaints_of(conn: &mut AnyConnection, user_id: i64) -> AppResult<Vec<ComplaintRow>> {
    Ok(sqlx::query_as(&format!(
        "{COMPLAINT_SELECT} WHERE c.user_id = $1 ORDER BY c.id DESC LIMIT 100"
    ))
    .bind(user_id)
    .fetch_all(conn)
    .await?)
}

/// How many complaints the member has sent since `since`.
pub async fn complaints_sent_since(
    conn: &mut AnyConnection,
    user_id: i64,
    since: i64,
) -> AppResult<i64> {
    Ok(
        sqlx::query_scalar(
            "SELECT COUNT(*) FROM complaints WHERE user_id = $1 AND created_at > $2",
        )
        .bind(user_id)
        .bind(since)
        .fetch_one(conn)
        .await?,
    )
}

/// A member's complaint about a merchant, as the member wrote it.
#[derive(Debug)]
pub struct NewComplaint<'a> {
    pub merchant_id: i64,
    pub user_id: i64,
    pub redemption_id: Option<i64>,
    pub kind: &'a str,
    pub text: &'a str,
}

/// Files an open complaint; its id.
pub async fn file_complaint(
    conn: &mut AnyConnection,
    c: &NewComplaint<'_>,
    now: i64,
) -> AppResult<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO complaints (merchant_id, user_id, redemption_id, kind, text, status, created_at)
         VALUES ($1, $2, $3, $4, $5, 'open', $6) RETURNING id",
    )
    .bind(c.merchant_id)
    .bind(c.user_id)
    .bind(c.redemption_id)
    .bind(c.kind)
    .bind(c.text)
    .bind(now)
    .fetch_one(conn)
    .await?)
}

/// Who sent a complaint.
pub async fn complaint_sender(conn: &mut AnyConnection, id: i64) -> AppResult<Option<i64>> {
    Ok(
        sqlx::query_scalar("SELECT user_id FROM complaints WHERE id = $1")
            .bind(id)
            .fetch_optional(conn)
            .await?,
    )
}

/// The stored name of a complaint's photo, if it has one (an internal error
/// when there is no such complaint).
pub async fn complaint_photo_name(conn: &mut AnyConnection, id: i64) -> AppResult<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT photo_name FROM complaints WHERE id = $1")
            .bind(id)
            .fetch_one(conn)
            .await?,
    )
}

/// Attaches a stored photo to a complaint that has none; `false` when one
/// is already attached (two uploads at once: one wins).
pub async fn attach_photo(
    conn: &mut AnyConnection,
    id: i64,
    name: &str,
    kind: &str,
) -> AppResult<bool> {
    let done = sqlx::query("UPDATE complaints SET photo_name = $1, photo_kind = $2 WHERE id = $3 AND photo_name IS NULL")
        .bind(name)
        .bind(kind)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// A complaint's photo with who may see it: the sender and officers over the merchant's union.
#[derive(Debug, FromRow)]
pub struct ComplaintPhoto {
    pub user_id: i64,
    pub photo_name: Option<String>,
    pub photo_kind: Option<String>,
    pub path: String,
}

/// A complaint's photo, its sender and the path of its merchant's union.
pub async fn complaint_photo(
    conn: &mut AnyConnection,
    id: i64,
) -> AppResult<Option<ComplaintPhoto>> {
    Ok(sqlx::query_as(
        "SELECT c.user_id, c.photo_name, c.photo_kind, u.path FROM complaints c
           JOIN merchants m ON m.id = c.merchant_id JOIN unions u ON u.id = m.union_id WHERE c.id = $1",
    )
    .bind(id)
    .fetch_optional(conn)
    .await?)
}

const SCOPED: &str = "SELECT c.id, c.merchant_id, m.name AS merchant_name, c.kind, c.text, c.status, c.note, c.created_at,
        c.photo_name, c.photo_kind,
        (SELECT COUNT(*) FROM complaints o WHERE o.merchant_id = c.merchant_id AND o.status = 'open') AS open_count,
        u.path, m.union_id
   FROM complaints c JOIN merchants m ON m.id = c.merchant_id JOIN unions u ON u.id = m.union_id";

/// A complaint with its merchant's union and that union's path.
#[derive(Debug, FromRow)]
pub struct ScopedComplaint {
    #[sqlx(flatten)]
    pub complaint: ComplaintRow,
    pub path: String,
    pub union_id: Option<i64>,
}

/// Complaints in this status against merchants of the unions under this
/// path pattern, oldest first (at most 100).
pub async fn complaints_in(
    conn: &mut AnyConnection,
    path_like: &str,
    status: ComplaintStatus,
) -> AppResult<Vec<ComplaintRow>> {
    Ok(sqlx::query_as(&format!(
        "{SCOPED} WHERE u.path LIKE $1 AND c.status = $2 ORDER BY c.id LIMIT 100"
    ))
    .bind(path_like)
    .bind(status.as_str())
    .fetch_all(conn)
    .await?)
}

/// One complaint with its merchant's union and that union's path.
pub async fn scoped_complaint(
    conn: &mut AnyConnection,
    id: i64,
) -> AppResult<Option<ScopedComplaint>> {
    Ok(sqlx::query_as(&format!("{SCOPED} WHERE c.id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await?)
}

/// Resolves an open complaint with the officer's note; `false` when it was already resolved.
pub async fn resolve_complaint(
    tx: &mut AnyConnection,
    id: i64,
    note: &str,
    officer_id: i64,
    now: i64,
) -> AppResult<bool> {
    let done = sqlx::query("UPDATE complaints SET status = 'resolved', note = $1, resolved_by = $2, resolved_at = $3 WHERE id = $4 AND status = 'open'")
        .bind(note)
        .bind(officer_id)
        .bind(now)
        .bind(id)
        .execute(tx)
        .await?;
    Ok(done.rows_affected() == 1)
}

// ---- signing and managing merchants ----

const COLUMNS: &str =
    "m.id, m.name, m.category, m.district, m.address, m.lat_e6, m.lng_e6, m.hours, m.phone,
    m.contract_from, m.contract_to, m.typical_bill_fen, m.status, m.union_id";

/// A merchant as officers manage it.
#[derive(Debug, FromRow)]
struct ManagedRow {
    id: i64,
    name: String,
    category: String,
    district: String,
    address: String,
    lat_e6: i64,
    lng_e6: i64,
    hours: String,
    phone: String,
    contract_from: String,
    contract_to: String,
    typical_bill_fen: i64,
    status: String,
    union_id: Option<i64>,
}

impl ManagedRow {
    fn into_staff(self, offers: Vec<StaffOffer>) -> AppResult<StaffMerchant> {
        Ok(StaffMerchant {
            id: self.id,
            status: MerchantStatus::try_from(self.status).map_err(AppError::internal)?,
            input: MerchantInput {
                name: self.name,
                category: self.category,
                district: self.district,
                address: self.address,
                lat: self.lat_e6 as f64 / 1e6,
                lng: self.lng_e6 as f64 / 1e6,
                hours: self.hours,
                phone: self.phone,
                contract_from: self.contract_from,
                contract_to: self.contract_to,
                typical_bill_fen: self.typical_bill_fen,
                union_id: self.union_id,
            },
            offers,
        })
    }
}

/// An offer as officers manage it.
#[derive(Debug, FromRow)]
struct ManagedOfferRow {
    id: i64,
    title: String,
    kind: String,
    basis_points: Option<i64>,
    amount_fen: Option<i64>,
    price_fen: Option<i64>,
    min_spend_fen: i64,
    max_discount_fen: Option<i64>,
    valid_from: String,
    valid_to: String,
    weekdays: i64,
    limit_count: Option<i64>,
    limit_period: Option<String>,
    status: String,
}

impl TryFrom<ManagedOfferRow> for StaffOffer {
    type Error = AppError;
    fn try_from(o: ManagedOfferRow) -> AppResult<StaffOffer> {
        Ok(StaffOffer {
            id: o.id,
            status: OfferStatus::try_from(o.status).map_err(AppError::internal)?,
            input: OfferInput {
                title: o.title,
                kind: o.kind,
                basis_points: o.basis_points,
                amount_fen: o.amount_fen,
                price_fen: o.price_fen,
                min_spend_fen: o.min_spend_fen,
                max_discount_fen: o.max_discount_fen,
                valid_from: o.valid_from,
                valid_to: o.valid_to,
                weekdays: o.weekdays,
                limit_count: o.limit_count,
                limit_period: o.limit_period,
            },
        })
    }
}

/// One merchant with all its offers (paused ones too), by id.
pub async fn managed(conn: &mut AnyConnection, id: i64) -> AppResult<Option<StaffMerchant>> {
    let Some(r): Option<ManagedRow> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM merchants m WHERE m.id = $1"
    ))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };
    let offers: Vec<ManagedOfferRow> = sqlx::query_as(
        "SELECT id, title, kind, basis_points, amount_fen, price_fen, min_spend_fen, max_discount_fen, valid_from,
                valid_to, weekdays, limit_count, limit_period, status FROM offers WHERE merchant_id = $1 ORDER BY id",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let offers = offers
        .into_iter()
        .map(StaffOffer::try_from)
        .collect::<AppResult<Vec<_>>>()?;
    Ok(Some(r.into_staff(offers)?))
}

#[derive(Debug, FromRow)]
struct OfferOfMerchant {
    merchant_id: i64,
    #[sqlx(flatten)]
    offer: ManagedOfferRow,
}

/// The merchants of the unions under this path pattern whose search text
/// matches `words` (a `LIKE` pattern), newest first (at most 30), each with
/// all its offers (one query for all of them).
pub async fn managed_in(
    conn: &mut AnyConnection,
    path_like: &str,
    words: &str,
) -> AppResult<Vec<StaffMerchant>> {
    let rows: Vec<ManagedRow> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM merchants m JOIN unions u ON u.id = m.union_id
          WHERE u.path LIKE $1 AND m.search_text LIKE $2 ORDER BY m.id DESC LIMIT 30"
    ))
    .bind(path_like)
    .bind(words)
    .fetch_all(&mut *conn)
    .await?;
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let offers: Vec<OfferOfMerchant> = sqlx::query_as(&format!(
        "SELECT merchant_id, id, title, kind, basis_points, amount_fen, price_fen, min_spend_fen, max_discount_fen,
                valid_from, valid_to, weekdays, limit_count, limit_period, status
           FROM offers WHERE merchant_id IN ({}) ORDER BY id",
        super::id_list(&ids)
    ))
    .fetch_all(conn)
    .await?;
    let mut by_merchant: HashMap<i64, Vec<StaffOffer>> = HashMap::new();
    for o in offers {
        by_merchant
            .entry(o.merchant_id)
            .or_default()
            .push(o.offer.try_into()?);
    }
    rows.into_iter()
        .map(|r| {
            let offers = by_merchant.remove(&r.id).unwrap_or_default();
            r.into_staff(offers)
        })
        .collect()
}

/// A merchant's union: `None` when there is no such merchant or it has no union.
pub async fn union_of(conn: &mut AnyConnection, id: i64) -> AppResult<Option<i64>> {
    let union_id: Option<Option<i64>> =
        sqlx::query_scalar("SELECT union_id FROM merchants WHERE id = $1")
            .bind(id)
            .fetch_optional(conn)
            .await?;
    Ok(union_id.flatten())
}

/// A union's level (an internal error when there is no such union).
pub async fn union_level(conn: &mut AnyConnection, union_id: i64) -> AppResult<String> {
    Ok(sqlx::query_scalar("SELECT level FROM unions WHERE id = $1")
        .bind(union_id)
        .fetch_one(conn)
        .await?)
}

/// Binds a merchant's twelve fields as `$1`…`$12`, in the order both the
/// INSERT and the UPDATE name them.
macro_rules! bind_fields {
    ($q:expr, $input:expr, $union_id:expr) => {
        $q.bind($input.name.trim())
            .bind($input.category.as_str())
            .bind($input.district.trim())
            .bind($input.address.trim())
            .bind($union_id)
            .bind(($input.lat * 1e6).round() as i64)
            .bind(($input.lng * 1e6).round() as i64)
            .bind($input.hours.trim())
            .bind($input.phone.trim())
            .bind($input.contract_from.as_str())
            .bind($input.contract_to.as_str())
            .bind($input.typical_bill_fen)
    };
}

/// Adds an active merchant to a union, its search text still empty
/// ([`refresh_search`] fills it); its id.
pub async fn create(
    tx: &mut AnyConnection,
    input: &MerchantInput,
    union_id: i64,
) -> AppResult<i64> {
    Ok(bind_fields!(
        sqlx::query_scalar(
            "INSERT INTO merchants (name, category, district, address, union_id, lat_e6, lng_e6, hours, phone,
                contract_from, contract_to, status, typical_bill_fen, search_text)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'active', $12, '') RETURNING id",
        ),
        input,
        union_id
    )
    .fetch_one(tx)
    .await?)
}

/// Rewrites a merchant's fields (its status and search text stay).
pub async fn update(
    tx: &mut AnyConnection,
    id: i64,
    input: &MerchantInput,
    union_id: i64,
) -> AppResult<()> {
    bind_fields!(
        sqlx::query(
            "UPDATE merchants SET name = $1, category = $2, district = $3, address = $4, union_id = $5, lat_e6 = $6,
                lng_e6 = $7, hours = $8, phone = $9, contract_from = $10, contract_to = $11, typical_bill_fen = $12
              WHERE id = $13",
        ),
        input,
        union_id
    )
    .bind(id)
    .execute(tx)
    .await?;
    Ok(())
}

/// Keeps the directory's one search column, and its grams
/// ([`search`]), in step with the merchant: its name, district, address and
/// active offers' titles (404 when there is no such merchant).
pub async fn refresh_search(tx: &mut AnyConnection, id: i64) -> AppResult<()> {
    let m = managed(&mut *tx, id)
        .await?
        .ok_or_else(AppError::not_found)?;
    let titles: Vec<&str> = m
        .offers
        .iter()
        .filter(|o| o.status == OfferStatus::Active)
        .map(|o| o.input.title.as_str())
        .collect();
    let text = format!(
        "{} {} {} {}",
        m.input.name,
        m.input.district,
        m.input.address,
        titles.join(" ")
    )
    .to_lowercase();
    search::forget_row(&mut *tx, Indexed::Merchants, id).await?;
    sqlx::query("UPDATE merchants SET search_text = $1 WHERE id = $2")
        .bind(text)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    search::index_row(tx, Indexed::Merchants, id).await
}

/// A merchant's status (an internal error when there is no such merchant).
pub async fn status(tx: &mut AnyConnection, id: i64) -> AppResult<MerchantStatus> {
    let stored: String = sqlx::query_scalar("SELECT status FROM merchants WHERE id = $1")
        .bind(id)
        .fetch_one(tx)
        .await?;
    MerchantStatus::from_db(&stored).ok_or_else(|| AppError::internal("unknown merchant status"))
}

/// Sets a merchant's status unless its contract has ended (an ended
/// contract is final); ending the contract ends it on `today`. Whether it
/// changed.
pub async fn set_status(
    tx: &mut AnyConnection,
    id: i64,
    status: MerchantStatus,
    today: &str,
) -> AppResult<bool> {
    let done = sqlx::query(
        "UPDATE merchants SET status = $1, contract_to = CASE WHEN $1 = 'ended' THEN $2 ELSE contract_to END
          WHERE id = $3 AND status <> 'ended'",
    )
    .bind(status.as_str())
    .bind(today)
    .bind(id)
    .execute(tx)
    .await?;
    Ok(done.rows_affected() == 1)
}
