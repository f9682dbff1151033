//! Accounts: users, passwords, sign-up against the roster, staff accounts and their access, administrators' unions and officers.

use sqlx::{AnyConnection, FromRow};
use unioncard_api::auth::{Me, OfficerView, Role, UnionSummary};
use unioncard_api::card::{mask_card_no, CardStatus, CardSummary};

use crate::error::{AppError, AppResult};

use crate::store::DbError;

/// A roster entry as registration checks it.
#[derive(Debug, FromRow)]
pub struct RosterName {
    /// Roster entry id.
    pub id: i64,
    /// The name the workplace union reported.
    pub name: String,
}

/// The roster entry with this ID-number hash.
pub async fn roster_entry(
    conn: &mut AnyConnection,
    id_hash: &str,
) -> AppResult<Option<RosterName>> {
    Ok(
        sqlx::query_as("SELECT id, name FROM roster_entries WHERE id_hash = $1")
            .bind(id_hash)
            .fetch_optional(conn)
            .await?,
    )
}

/// The account already made for this roster entry, if any.
pub async fn account_of_roster_entry(
    conn: &mut AnyConnection,
    roster_id: i64,
) -> AppResult<Option<i64>> {
    Ok(
        sqlx::query_scalar("SELECT id FROM users WHERE roster_id = $1")
            .bind(roster_id)
            .fetch_optional(conn)
            .await?,
    )
}

/// The account registered with this phone hash, if any.
pub async fn account_with_phone(
    conn: &mut AnyConnection,
    phone_hash: &str,
) -> AppResult<Option<i64>> {
    Ok(
        sqlx::query_scalar("SELECT id FROM users WHERE phone_hash = $1")
            .bind(phone_hash)
            .fetch_optional(conn)
            .await?,
    )
}

/// A new account's sign-in and personal data, stored as given.
#[derive(Debug)]
pub struct NewAccount<'a> {
    /// Keyed hash of the phone (the unique sign-in name).
    pub phone_hash: &'a str,
    /// The phone, encrypted.
    pub phone_enc: &'a str,
    /// The phone, masked for display.
    pub phone_masked: &'a str,
    /// The argon2id hash of the password.
    pub password_hash: &'a str,
    /// Display name.
    pub name: &'a str,
}

/// Writes a member's account for a roster entry; the unique indexes on phone
/// and roster entry answer a second one with a unique violation (the
/// caller's 409).
pub async fn insert_member(
    conn: &mut AnyConnection,
    a: &NewAccount<'_>,
    roster_id: i64,
    now: i64,
) -> Result<i64, DbError> {
    insert(conn, a, "member", (Some(roster_id), None), now).await
}

/// Writes an officer's account for a union; a phone that already has an
/// account meets the unique index (the caller's 409).
pub async fn insert_officer(
    conn: &mut AnyConnection,
    a: &NewAccount<'_>,
    role: Role,
    union_id: i64,
    now: i64,
) -> Result<i64, DbError> {
    insert(conn, a, role.as_str(), (None, Some(union_id)), now).await
}

/// Writes an account of `role`, tied to a roster entry or to a union.
async fn insert(
    conn: &mut AnyConnection,
    a: &NewAccount<'_>,
    role: &str,
    (roster_id, union_id): (Option<i64>, Option<i64>),
    now: i64,
) -> Result<i64, DbError> {
    sqlx::query_scalar(
        "INSERT INTO users (phone_hash, phone_enc, phone_masked, password_hash, name, role, roster_id, union_id,
             created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(a.phone_hash)
    .bind(a.phone_enc)
    .bind(a.phone_masked)
    .bind(a.password_hash)
    .bind(a.name)
    .bind(role)
    .bind(roster_id)
    .bind(union_id)
    .bind(now)
    .fetch_one(conn)
    .await
}

/// What sign-in checks a password against.
#[derive(Debug, FromRow)]
pub struct Credentials {
    /// Account id.
    pub id: i64,
    /// The stored argon2id hash.
    pub password_hash: String,
}

/// The credentials of the account with this phone hash, unless it is disabled
/// (a disabled account then answers like a wrong password).
pub async fn credentials(
    conn: &mut AnyConnection,
    phone_hash: &str,
) -> AppResult<Option<Credentials>> {
    Ok(sqlx::query_as(
        "SELECT id, password_hash FROM users WHERE phone_hash = $1 AND disabled_at IS NULL",
    )
    .bind(phone_hash)
    .fetch_optional(conn)
    .await?)
}

/// An account's stored password hash.
pub async fn password_hash(conn: &mut AnyConnection, user_id: i64) -> AppResult<String> {
    Ok(
        sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_one(conn)
            .await?,
    )
}

/// Replaces an account's password hash.
pub async fn set_password(conn: &mut AnyConnection, user_id: i64, hash: &str) -> AppResult<()> {
    sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
        .bind(hash)
        .bind(user_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// An account with a member's roster entry and card, when it has them.
#[derive(Debug, FromRow)]
pub struct ProfileRow {
    pub id: i64,
    pub name: String,
    pub phone_masked: String,
    pub role: String,
    pub union_id: Option<i64>,
    pub merchant_id: Option<i64>,
    pub id_masked: Option<String>,
    pub member_union: Option<i64>,
    pub card_no: Option<String>,
    pub bank: Option<String>,
    pub status: Option<String>,
}

impl ProfileRow {
    /// The union the profile shows: a member's workplace union, an officer's own.
    pub fn union_shown(&self) -> Option<i64> {
        self.member_union.or(self.union_id)
    }

    /// The profile, with the union to show ([`Self::union_shown`]).
    pub fn into_me(self, union: Option<UnionSummary>) -> AppResult<Me> {
        let role = Role::from_db(&self.role).ok_or_else(|| AppError::internal("unknown role"))?;
        let card = match self.card_no {
            Some(no) => Some(CardSummary {
                card_no_masked: mask_card_no(&no),
                bank: self
                    .bank
                    .ok_or_else(|| AppError::internal("card without a bank"))?,
                status: self
                    .status
                    .as_deref()
                    .and_then(CardStatus::from_db)
                    .ok_or_else(|| AppError::internal("unknown card status"))?,
            }),
            None => None,
        };
        Ok(Me {
            id: self.id,
            name: self.name,
            phone_masked: self.phone_masked,
            id_number_masked: self.id_masked,
            roles: vec![role],
            union,
            card,
            merchant_id: self.merchant_id,
            union_id: self.union_id,
        })
    }
}

/// An account's profile row; `None` when there is no such account.
pub async fn profile(conn: &mut AnyConnection, user_id: i64) -> AppResult<Option<ProfileRow>> {
    Ok(sqlx::query_as(
        "SELECT u.id, u.name, u.phone_masked, u.role, u.union_id, u.merchant_id,
                r.id_masked, r.union_id AS member_union, c.card_no, c.bank, c.status
           FROM users u
           LEFT JOIN roster_entries r ON r.id = u.roster_id
           LEFT JOIN cards c ON c.roster_id = r.id
          WHERE u.id = $1",
    )
    .bind(user_id)
    .fetch_optional(conn)
    .await?)
}

/// An officer's or administrator's account as the administrators list it.
#[derive(Debug, FromRow)]
pub struct OfficerRow {
    pub id: i64,
    pub name: String,
    pub phone_masked: String,
    pub role: String,
    pub disabled_at: Option<i64>,
    pub union_name: String,
}

impl From<OfficerRow> for OfficerView {
    fn from(r: OfficerRow) -> OfficerView {
        OfficerView {
            id: r.id,
            name: r.name,
            phone_masked: r.phone_masked,
            union_name: r.union_name,
            role: r.role,
            disabled: r.disabled_at.is_some(),
        }
    }
}

/// The officers and administrators of the unions under this path pattern
/// (at most 200), by union path then id.
pub async fn officers_in(conn: &mut AnyConnection, path_like: &str) -> AppResult<Vec<OfficerRow>> {
    Ok(sqlx::query_as(
        "SELECT us.id, us.name, us.phone_masked, us.role, us.disabled_at, u.name AS union_name FROM users us
           JOIN unions u ON u.id = us.union_id
          WHERE us.role IN ('officer', 'admin', 'lawyer', 'counsellor') AND u.path LIKE $1 ORDER BY u.path, us.id LIMIT 200",
    )
    .bind(path_like)
    .fetch_all(conn)
    .await?)
}

/// An account's role and the union it belongs to (`None` when it has none).
#[derive(Debug, FromRow)]
pub struct AccountUnion {
    pub role: String,
    pub union_id: Option<i64>,
}

/// An officer's or administrator's account and their union.
pub async fn staff_account(conn: &mut AnyConnection, id: i64) -> AppResult<Option<AccountUnion>> {
    Ok(sqlx::query_as(
        "SELECT union_id, role FROM users WHERE id = $1 AND role IN ('officer', 'admin', 'lawyer', 'counsellor')",
    )
    .bind(id)
    .fetch_optional(conn)
    .await?)
}

/// A member's or cashier's account and the union it belongs to: a member's
/// is their roster entry's, a cashier's their merchant's.
pub async fn member_or_cashier_account(
    conn: &mut AnyConnection,
    id: i64,
) -> AppResult<Option<AccountUnion>> {
    Ok(sqlx::query_as(
        "SELECT u.role, COALESCE(r.union_id, m.union_id) AS union_id FROM users u
           LEFT JOIN roster_entries r ON r.id = u.roster_id AND u.role = 'member'
           LEFT JOIN merchants m ON m.id = u.merchant_id AND u.role = 'cashier'
          WHERE u.id = $1 AND u.role IN ('member', 'cashier')",
    )
    .bind(id)
    .fetch_optional(conn)
    .await?)
}

/// Enables a disabled account; `false` when it was not disabled.
pub async fn enable(conn: &mut AnyConnection, id: i64) -> AppResult<bool> {
    let done = sqlx::query(
        "UPDATE users SET disabled_at = NULL WHERE id = $1 AND disabled_at IS NOT NULL",
    )
    .bind(id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Disables an enabled account; `false` when it was already disabled.
pub async fn disable(conn: &mut AnyConnection, id: i64, now: i64) -> AppResult<bool> {
    let done =
        sqlx::query("UPDATE users SET disabled_at = $1 WHERE id = $2 AND disabled_at IS NULL")
            .bind(now)
            .bind(id)
            .execute(conn)
            .await?;
    Ok(done.rows_affected() == 1)
}
