//! Guaranteed micro-loans: drafts, applications, partners, the review pipeline, repayment schedules.
//!
//! An application's fields are written only while it is a draft, and every
//! move between stages is a conditional update from the stage it was read in,
//! so two requests racing on one application change it once.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use sqlx::{AnyConnection, FromRow};
use unioncard_api::aid::DocumentView;
use unioncard_api::identity::{mask_id_number, mask_name, Gender};
use unioncard_api::loans::{
    BusinessKind, EligibilityInput, EmploymentStatus, LoanEvent, LoanInput, LoanRules, LoanStatus,
    LoanView, Partner,
};
use unioncard_api::Lang;

use super::cases::{self, EventRow};
use crate::crypto::Crypto;
use crate::error::{AppError, AppResult};
use crate::time;

// ---- partners as a row holds them ----

/// A partner as stored: the ID number encrypted, with its look-up hash and
/// the masked form every answer shows. Never the number in clear.
#[derive(Serialize, Deserialize)]
struct StoredPartner {
    name: String,
    id_enc: String,
    id_hash: String,
    id_masked: String,
}

/// How a row holds its partners: sealed, or (rows written before partners
/// were sealed) the plain list.
enum Held {
    Sealed(Vec<StoredPartner>),
    Plain(Vec<Partner>),
}

fn held(json: &str) -> Held {
    match serde_json::from_str::<Vec<StoredPartner>>(json) {
        Ok(v) => Held::Sealed(v),
        Err(_) => Held::Plain(serde_json::from_str(json).unwrap_or_default()),
    }
}

/// Seals the partners for storage. A masked number (a resumed draft sent
/// back as the server showed it) keeps the number stored for that partner.
fn seal_partners(crypto: &Crypto, new: &[Partner], old: &[StoredPartner]) -> AppResult<String> {
    let sealed: Vec<StoredPartner> = new
        .iter()
        .map(|p| {
            let name = p.name.trim().to_string();
            let id = p.id_number.trim().to_uppercase();
            if p.is_masked() {
                if let Some(o) = old.iter().find(|o| o.id_masked == id && o.name == name) {
                    return StoredPartner {
                        name,
                        id_enc: o.id_enc.clone(),
                        id_hash: o.id_hash.clone(),
                        id_masked: o.id_masked.clone(),
                    };
                }
            }
            seal(crypto, name, &id)
        })
        .collect();
    serde_json::to_string(&sealed).map_err(AppError::internal)
}

/// One partner sealed: the number encrypted, its look-up hash, its mask.
fn seal(crypto: &Crypto, name: String, id: &str) -> StoredPartner {
    StoredPartner {
        id_enc: crypto.encrypt(id),
        id_hash: crypto.lookup_hash("id", id),
        id_masked: mask_id_number(id),
        name,
    }
}

/// The stored partners, sealed (a plain row is sealed as it is read, so
/// the next save stores it sealed).
fn stored_partners(crypto: &Crypto, json: &str) -> Vec<StoredPartner> {
    match held(json) {
        Held::Sealed(v) => v,
        Held::Plain(v) => v
            .into_iter()
            .map(|p| seal(crypto, p.name, &p.id_number))
            .collect(),
    }
}

/// The partners as every answer shows them: names and masked numbers.
fn masked_partners(json: &str) -> Vec<Partner> {
    match held(json) {
        Held::Sealed(v) => v
            .into_iter()
            .map(|p| Partner {
                name: p.name,
                id_number: p.id_masked,
            })
            .collect(),
        Held::Plain(v) => v
            .into_iter()
            .map(|p| Partner {
                id_number: mask_id_number(&p.id_number),
                name: p.name,
            })
            .collect(),
    }
}

/// The partners with their whole ID numbers, for the rules (server only).
fn open_partners(crypto: &Crypto, json: &str) -> AppResult<Vec<Partner>> {
    match held(json) {
        Held::Plain(v) => Ok(v),
        Held::Sealed(v) => v
            .into_iter()
            .map(|p| {
                Ok(Partner {
                    id_number: crypto.decrypt(&p.id_enc).map_err(AppError::internal)?,
                    name: p.name,
                })
            })
            .collect(),
    }
}

fn gender_of(stored: &str) -> Gender {
    if stored == "female" {
        Gender::Female
    } else {
        Gender::Male
    }
}

fn loan_status(stored: &str) -> AppResult<LoanStatus> {
    LoanStatus::from_db(stored).ok_or_else(|| AppError::internal("unknown status"))
}

// ---- the applicant ----

/// The applicant's gender and union, and the county union over it.
pub struct Applicant {
    pub gender: Gender,
    pub union_id: i64,
    pub county_id: i64,
}

#[derive(FromRow)]
struct ApplicantRow {
    gender: String,
    union_id: i64,
    path: String,
}

/// The applicant behind a roster entry (which must exist).
pub async fn applicant(conn: &mut AnyConnection, roster_id: i64) -> AppResult<Applicant> {
    let row: ApplicantRow = sqlx::query_as(
        "SELECT r.gender, r.union_id, u.path FROM roster_entries r JOIN unions u ON u.id = r.union_id WHERE r.id = $1",
    )
    .bind(roster_id)
    .fetch_one(&mut *conn)
    .await?;
    // The county (district) union above the workplace; a member registered
    // directly with a district or city union is handled by that union.
    let county: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM unions WHERE level = 'district' AND $1 LIKE path || '%' ORDER BY id LIMIT 1",
    )
    .bind(&row.path)
    .fetch_optional(conn)
    .await?;
    Ok(Applicant {
        gender: gender_of(&row.gender),
        union_id: row.union_id,
        county_id: county.unwrap_or(row.union_id),
    })
}

/// What only the server knows about an application: whose ID numbers are
/// on the roster, and whether the member already has a loan open.
#[derive(Debug, Default)]
pub struct ServerFacts {
    /// The roster's names by ID-number look-up hash, for the hashes asked about.
    pub roster_names: HashMap<String, String>,
    /// An application under review or a loan not yet closed (other than the one judged).
    pub open_loan: bool,
}

#[derive(FromRow)]
struct NameByHash {
    id_hash: String,
    name: String,
}

/// The roster's names for the partners' ID-number look-up hashes (`None`,
/// a number that is not one, is skipped; one query for all the partners)
/// and whether the member has an open application other than `except` (0
/// for none).
pub async fn server_facts(
    conn: &mut AnyConnection,
    roster_id: i64,
    id_hashes: &[Option<String>],
    except: i64,
) -> AppResult<ServerFacts> {
    let id_hashes: Vec<&String> = id_hashes.iter().flatten().collect();
    let mut roster_names = HashMap::new();
    if !id_hashes.is_empty() {
        let params: Vec<String> = (1..=id_hashes.len()).map(|i| format!("${i}")).collect();
        let sql = format!(
            "SELECT id_hash, name FROM roster_entries WHERE id_hash IN ({})",
            params.join(",")
        );
        let mut query = sqlx::query_as::<_, NameByHash>(&sql);
        for h in id_hashes {
            query = query.bind(h.as_str());
        }
        for r in query.fetch_all(&mut *conn).await? {
            roster_names.insert(r.id_hash, r.name);
        }
    }
    let open: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM loan_applications WHERE roster_id = $1
            AND status NOT IN ('closed', 'rejected', 'draft') AND id <> $2",
    )
    .bind(roster_id)
    .bind(except)
    .fetch_one(conn)
    .await?;
    Ok(ServerFacts {
        roster_names,
        open_loan: open > 0,
    })
}

// ---- an application as stored ----

const LOAN_SELECT: &str = "SELECT l.id, l.status, l.employment_status, l.college_graduate, l.local_hukou,
        l.residence_years, l.business_kind, l.business_started_on, l.amount_fen, l.term_months,
        l.business_name, l.business_address, l.purpose, l.partners_json, l.disbursed_on,
        r.name AS applicant, r.gender, c.name AS county, c.phone AS county_phone
   FROM loan_applications l JOIN roster_entries r ON r.id = l.roster_id JOIN unions c ON c.id = l.county_id";

/// An application with its applicant's name and gender and its county union.
#[derive(Debug, FromRow)]
pub struct LoanRow {
    pub id: i64,
    pub status: String,
    pub employment_status: String,
    pub college_graduate: i64,
    pub local_hukou: i64,
    pub residence_years: i64,
    pub business_kind: String,
    pub business_started_on: String,
    pub amount_fen: i64,
    pub term_months: i64,
    pub business_name: String,
    pub business_address: String,
    pub purpose: String,
    pub partners_json: String,
    pub disbursed_on: Option<String>,
    pub applicant: String,
    pub gender: String,
    pub county: String,
    pub county_phone: String,
}

impl LoanRow {
    /// Its stage; an unknown value in the database is an internal error.
    pub fn status(&self) -> AppResult<LoanStatus> {
        loan_status(&self.status)
    }

    /// The fields as every answer shows them (partners masked).
    pub fn input(&self, status: LoanStatus) -> LoanInput {
        LoanInput {
            facts: EligibilityInput {
                employment_status: EmploymentStatus::from_db(&self.employment_status)
                    .unwrap_or_default(),
                college_graduate: self.college_graduate != 0,
                local_hukou: self.local_hukou != 0,
                residence_years: self.residence_years,
                business_kind: BusinessKind::from_db(&self.business_kind).unwrap_or_default(),
                business_started_on: self.business_started_on.clone(),
                amount_fen: self.amount_fen,
                term_months: self.term_months,
                partners: masked_partners(&self.partners_json),
            },
            business_name: self.business_name.clone(),
            business_address: self.business_address.clone(),
            purpose: self.purpose.clone(),
            draft: status == LoanStatus::Draft,
        }
    }
}

/// A loan's step as shown: a member's steps read "the applicant".
fn loan_event(e: EventRow, lang: Lang) -> AppResult<LoanEvent> {
    Ok(LoanEvent {
        status: loan_status(&e.status)?,
        at: time::rfc3339(e.at),
        by: match e.actor_role.as_deref() {
            Some("member") | None => lang.pick("申请人", "Applicant").to_string(),
            _ => e.actor_name.unwrap_or_default(),
        },
        note: e.note,
    })
}

/// An application with its documents and timeline.
#[derive(Debug)]
pub struct LoanRecord {
    pub row: LoanRow,
    pub documents: Vec<DocumentView>,
    pub events: Vec<EventRow>,
}

impl LoanRecord {
    /// The application as its member (or, with `for_officer`, an officer)
    /// sees it: the member sees their own name masked.
    pub fn into_view(
        self,
        for_officer: bool,
        rules: &LoanRules,
        lang: Lang,
    ) -> AppResult<LoanView> {
        let r = self.row;
        let status = r.status()?;
        let input = r.input(status);
        let timeline = self
            .events
            .into_iter()
            .map(|e| loan_event(e, lang))
            .collect::<AppResult<Vec<_>>>()?;
        Ok(LoanView {
            id: r.id,
            status,
            max_amount_fen: rules.max_amount(gender_of(&r.gender), &input.facts),
            input,
            applicant: if for_officer {
                r.applicant
            } else {
                mask_name(&r.applicant)
            },
            county: r.county,
            county_phone: r.county_phone,
            disbursed_on: r.disbursed_on,
            documents: self.documents,
            timeline,
            next_step: status.next_step(lang).to_string(),
        })
    }
}

/// Reads the documents and timelines of these rows (one query each for all
/// of them) and keeps the rows' order.
async fn with_children(conn: &mut AnyConnection, rows: Vec<LoanRow>) -> AppResult<Vec<LoanRecord>> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut docs_of = crate::documents::LOANS.list_many(&mut *conn, &ids).await?;
    let mut events_of = cases::events_of(conn, cases::LOANS, &ids).await?;
    Ok(rows
        .into_iter()
        .map(|row| LoanRecord {
            documents: docs_of.remove(&row.id).unwrap_or_default(),
            events: events_of.remove(&row.id).unwrap_or_default(),
            row,
        })
        .collect())
}

/// One application, without its documents and timeline.
pub async fn application(conn: &mut AnyConnection, id: i64) -> AppResult<Option<LoanRow>> {
    Ok(sqlx::query_as(&format!("{LOAN_SELECT} WHERE l.id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await?)
}

/// An application's fields as stored, partners with their whole numbers:
/// what the rules judge when it is sent and when it is guaranteed.
pub async fn stored_input(
    conn: &mut AnyConnection,
    crypto: &Crypto,
    id: i64,
) -> AppResult<Option<LoanInput>> {
    let Some(row) = application(conn, id).await? else {
        return Ok(None);
    };
    let mut input = row.input(row.status()?);
    input.facts.partners = open_partners(crypto, &row.partners_json)?;
    Ok(Some(input))
}

/// One application with its documents and timeline.
pub async fn record(conn: &mut AnyConnection, id: i64) -> AppResult<Option<LoanRecord>> {
    let Some(row) = application(&mut *conn, id).await? else {
        return Ok(None);
    };
    Ok(with_children(conn, vec![row]).await?.pop())
}

/// The member's applications and loans with their documents and timelines, newest first.
pub async fn applications_of(
    conn: &mut AnyConnection,
    roster_id: i64,
) -> AppResult<Vec<LoanRecord>> {
    let rows: Vec<LoanRow> = sqlx::query_as(&format!(
        "{LOAN_SELECT} WHERE l.roster_id = $1 ORDER BY l.id DESC"
    ))
    .bind(roster_id)
    .fetch_all(&mut *conn)
    .await?;
    with_children(conn, rows).await
}

/// What a repayment schedule is computed from.
#[derive(Debug, FromRow)]
pub struct RepaymentTerms {
    pub amount_fen: i64,
    pub term_months: i64,
    pub disbursed_on: Option<String>,
}

/// An application's amount, term and payout date (the application must exist).
pub async fn repayment_terms(conn: &mut AnyConnection, id: i64) -> AppResult<RepaymentTerms> {
    Ok(sqlx::query_as(
        "SELECT amount_fen, term_months, disbursed_on FROM loan_applications WHERE id = $1",
    )
    .bind(id)
    .fetch_one(conn)
    .await?)
}

// ---- drafts and sending ----

/// A new application's first facts.
pub struct NewApplication<'a> {
    pub roster_id: i64,
    pub union_id: i64,
    pub county_id: i64,
    pub employment_status: &'a str,
    pub business_kind: &'a str,
    pub now: i64,
    /// Set when it is sent at once.
    pub submitted_at: Option<i64>,
}

/// Inserts an application as a draft; the one-open-application index answers
/// a second open one with a unique violation (the caller's 422 `open_loan`).
pub async fn insert_draft(
    tx: &mut AnyConnection,
    a: &NewApplication<'_>,
) -> Result<i64, sqlx::Error> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO loan_applications (roster_id, union_id, county_id, status, employment_status, business_kind,
            created_at, submitted_at, updated_at) VALUES ($1, $2, $3, 'draft', $4, $5, $6, $7, $6) RETURNING id",
    )
    .bind(a.roster_id)
    .bind(a.union_id)
    .bind(a.county_id)
    .bind(a.employment_status)
    .bind(a.business_kind)
    .bind(a.now)
    .bind(a.submitted_at)
    .fetch_one(&mut *tx)
    .await?;
    if let Some(at) = a.submitted_at {
        super::figures::card_used(tx, a.roster_id, at).await?;
    }
    Ok(id)
}

/// Writes a draft's fields, partners sealed, only while it is still a
/// draft (the state guard: an edit racing a submit finds the row sent and
/// changes nothing). `false` when the row is no longer a draft.
pub async fn write_draft(
    tx: &mut AnyConnection,
    crypto: &Crypto,
    id: i64,
    input: &LoanInput,
    now: i64,
) -> AppResult<bool> {
    let f = &input.facts;
    let old: Option<String> = sqlx::query_scalar(
        "SELECT partners_json FROM loan_applications WHERE id = $1 AND status = 'draft'",
    )
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(old) = old else { return Ok(false) };
    let partners = seal_partners(crypto, &f.partners, &stored_partners(crypto, &old))?;
    let done = sqlx::query(
        "UPDATE loan_applications SET employment_status = $1, college_graduate = $2, local_hukou = $3,
            residence_years = $4, business_kind = $5, business_started_on = $6, amount_fen = $7,
            term_months = $8, business_name = $9, business_address = $10, purpose = $11,
            partners_json = $12, updated_at = $13 WHERE id = $14 AND status = 'draft'",
    )
    .bind(f.employment_status.as_str())
    .bind(i64::from(f.college_graduate))
    .bind(i64::from(f.local_hukou))
    .bind(f.residence_years)
    .bind(f.business_kind.as_str())
    .bind(f.business_started_on.trim())
    .bind(f.amount_fen)
    .bind(f.term_months)
    .bind(input.business_name.trim())
    .bind(input.business_address.trim())
    .bind(input.purpose.trim())
    .bind(partners)
    .bind(now)
    .bind(id)
    .execute(tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Stamps when a draft was sent (the case file's step has just moved it).
pub async fn stamp_submitted(tx: &mut AnyConnection, id: i64, now: i64) -> AppResult<()> {
    let roster_id: Option<i64> = sqlx::query_scalar(
        "UPDATE loan_applications SET submitted_at = $1, updated_at = $1 WHERE id = $2 RETURNING roster_id",
    )
    .bind(now)
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    if let Some(roster_id) = roster_id {
        super::figures::card_used(tx, roster_id, now).await?;
    }
    Ok(())
}

// ---- the officers' side ----

/// The loan queue: `$1` the unions' path pattern, `$2` the stage.
pub(crate) fn queue_sql() -> String {
    format!(
        "{LOAN_SELECT} JOIN unions u ON u.id = l.union_id
          WHERE u.path LIKE $1 AND l.status = $2 ORDER BY l.submitted_at, l.id LIMIT 100"
    )
}

/// Applications (never drafts) of the unions under this path pattern in one
/// stage, oldest sent first (at most 100), with their documents and timelines.
pub async fn queue(
    conn: &mut AnyConnection,
    path_like: &str,
    status: LoanStatus,
) -> AppResult<Vec<LoanRecord>> {
    let rows: Vec<LoanRow> = sqlx::query_as(&queue_sql())
        .bind(path_like)
        .bind(status.as_str())
        .fetch_all(&mut *conn)
        .await?;
    with_children(conn, rows).await
}

/// What a review step needs beyond where the application stands.
#[derive(Debug, FromRow)]
pub struct ReviewTerms {
    pub amount_fen: i64,
    /// The county union that guarantees it.
    pub county_id: i64,
    /// The county union's path.
    pub county_path: String,
}

/// An application's amount and county; `None` when there is no such application.
pub async fn review_terms(conn: &mut AnyConnection, id: i64) -> AppResult<Option<ReviewTerms>> {
    Ok(sqlx::query_as(
        "SELECT l.amount_fen, l.county_id, c.path AS county_path
           FROM loan_applications l JOIN unions c ON c.id = l.county_id WHERE l.id = $1",
    )
    .bind(id)
    .fetch_optional(conn)
    .await?)
}

/// Records what a review step the case file has just taken changes beyond
/// the stage: the payout's date when it was paid out, and when it changed.
pub async fn after_step(
    tx: &mut AnyConnection,
    id: i64,
    disbursed_on: Option<String>,
    now: i64,
) -> AppResult<()> {
    sqlx::query(
        "UPDATE loan_applications SET disbursed_on = COALESCE($1, disbursed_on), updated_at = $2 WHERE id = $3",
    )
    .bind(disbursed_on)
    .bind(now)
    .bind(id)
    .execute(tx)
    .await?;
    Ok(())
}

/// Takes `amount_fen` from the county's quota for the year (the year's row
/// is made with `quota_fen` when missing). `false`, and nothing taken, when
/// it does not fit: `used_fen` only grows within `quota_fen`.
pub async fn draw_quota(
    tx: &mut AnyConnection,
    county_id: i64,
    year: i64,
    quota_fen: i64,
    amount_fen: i64,
) -> AppResult<bool> {
    sqlx::query(
        "INSERT INTO loan_quotas (county_id, year, quota_fen, used_fen) VALUES ($1, $2, $3, 0)
         ON CONFLICT (county_id, year) DO NOTHING",
    )
    .bind(county_id)
    .bind(year)
    .bind(quota_fen)
    .execute(&mut *tx)
    .await?;
    let fits = sqlx::query(
        "UPDATE loan_quotas SET used_fen = used_fen + $1
          WHERE county_id = $2 AND year = $3 AND used_fen + $1 <= quota_fen",
    )
    .bind(amount_fen)
    .bind(county_id)
    .bind(year)
    .execute(tx)
    .await?;
    Ok(fits.rows_affected() == 1)
}

/// A county union and its quota row for a year, if it has one.
#[derive(Debug, FromRow)]
pub struct QuotaRow {
    pub id: i64,
    pub name: String,
    pub quota_fen: Option<i64>,
    pub used_fen: Option<i64>,
}

/// The county (district) unions in scope (`path_like`) or above the
/// officer's union (`path`), with their quota for the year, by id.
pub async fn quotas(
    conn: &mut AnyConnection,
    year: i64,
    path_like: &str,
    path: &str,
) -> AppResult<Vec<QuotaRow>> {
    Ok(sqlx::query_as(
        "SELECT u.id, u.name, q.quota_fen, q.used_fen FROM unions u
           LEFT JOIN loan_quotas q ON q.county_id = u.id AND q.year = $1
          WHERE u.level = 'district' AND (u.path LIKE $2 OR $3 LIKE u.path || '%')
          ORDER BY u.id",
    )
    .bind(year)
    .bind(path_like)
    .bind(path)
    .fetch_all(conn)
    .await?)
}
