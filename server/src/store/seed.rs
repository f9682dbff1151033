//! The demo city's own statements (`crate::demo`): what only the demo data
//! needs and no screen of the product does. The multi-row inserts of a city
//! of 100,000 merchants (batched as the roster is, [`BATCH`] rows a
//! statement), history written back-dated and already in its final state
//! (past uses, decided claims, loans in every stage), and the few picks and
//! touches that give the generated people their variety. Everything the
//! product itself can write (courses' sessions, plans, enrolments, accounts,
//! sign-ups, a loan's timeline, quotas) the demo writes with the product's
//! own store functions instead.
//!
//! All of this runs inside the demo's one loading transaction.

use anyhow::Context;
use sqlx::{AnyConnection, FromRow};
use unioncard_api::aid::ClaimStatus;
use unioncard_api::loans::LoanStatus;
use unioncard_api::training::CourseInput;

use crate::store::accounts::NewAccount;
use crate::store::documents::Table;
use crate::store::roster::BATCH;
use crate::store::values_placeholders;

// ------------------------------------------------------------ the city

/// Whether the database already holds unions (then the demo is not loaded).
pub async fn has_unions(conn: &mut AnyConnection) -> anyhow::Result<bool> {
    let existing: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM unions")
        .fetch_one(conn)
        .await?;
    Ok(existing > 0)
}

/// Writes the top union, the one without a parent (its path still empty);
/// its id. The unions below it are written as an administrator adds them
/// (`store::unions::insert`).
pub async fn insert_top_union(
    conn: &mut AnyConnection,
    code: &str,
    name: &str,
    level: &str,
) -> anyhow::Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO unions (parent_id, code, name, level, district) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(None::<i64>)
    .bind(code)
    .bind(name)
    .bind(level)
    .bind(None::<&str>)
    .fetch_one(conn)
    .await?)
}

/// Continues card numbers (imports, approved join requests) after `serial`,
/// the last one the demo roster used.
pub async fn set_card_serial(conn: &mut AnyConnection, serial: i64) -> anyhow::Result<()> {
    sqlx::query("UPDATE counters SET value = $1 WHERE name = 'card_serial'")
        .bind(serial)
        .execute(conn)
        .await?;
    Ok(())
}

/// Writes a staff account of any role (the demo's cashiers and
/// administrator, for whom the product has no sign-up).
pub async fn insert_account(
    conn: &mut AnyConnection,
    a: &NewAccount<'_>,
    role: &str,
    union_id: Option<i64>,
    merchant_id: Option<i64>,
    now: i64,
) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO users (phone_hash, phone_enc, phone_masked, password_hash, name, role,
                            roster_id, union_id, merchant_id, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(a.phone_hash)
    .bind(a.phone_enc)
    .bind(a.phone_masked)
    .bind(a.password_hash)
    .bind(a.name)
    .bind(role)
    .bind(None::<i64>)
    .bind(union_id)
    .bind(merchant_id)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// The roster entry of the last named demo person (张伟, 李娜 and 王芳 are
/// written first): generated members are the entries after it.
pub async fn last_named_member(conn: &mut AnyConnection) -> anyhow::Result<i64> {
    Ok(sqlx::query_scalar("SELECT MIN(id) + 2 FROM roster_entries")
        .fetch_one(conn)
        .await?)
}

/// The first officer's account, who decided the demo's past claims and loans.
pub async fn first_officer(conn: &mut AnyConnection) -> anyhow::Result<Option<i64>> {
    Ok(
        sqlx::query_scalar("SELECT id FROM users WHERE role = 'officer' ORDER BY id LIMIT 1")
            .fetch_optional(conn)
            .await?,
    )
}

/// A roster entry and its union.
#[derive(Debug, FromRow)]
pub struct RosterPlace {
    pub id: i64,
    pub union_id: i64,
}

/// The roster entry with this ID-number hash and its union (it must exist).
pub async fn roster_place(conn: &mut AnyConnection, id_hash: &str) -> anyhow::Result<RosterPlace> {
    Ok(
        sqlx::query_as("SELECT id, union_id FROM roster_entries WHERE id_hash = $1")
            .bind(id_hash)
            .fetch_one(conn)
            .await?,
    )
}

// ------------------------------------------------------------ merchants

/// A generated merchant, written active.
#[derive(Debug)]
pub struct NewMerchant<'a> {
    pub name: &'a str,
    pub category: &'a str,
    pub district: &'a str,
    pub address: &'a str,
    pub union_id: i64,
    pub lat_e6: i64,
    pub lng_e6: i64,
    pub hours: &'a str,
    pub phone: &'a str,
    pub contract_from: &'a str,
    pub contract_to: &'a str,
    pub typical_bill_fen: i64,
    /// Name, district, address and offers' titles, lowercased.
    pub search_text: String,
}

/// Writes merchants, [`BATCH`] a statement; their ids in the order given.
pub async fn insert_merchants(
    conn: &mut AnyConnection,
    merchants: &[NewMerchant<'_>],
) -> anyhow::Result<Vec<i64>> {
    let mut ids = Vec::with_capacity(merchants.len());
    for chunk in merchants.chunks(BATCH) {
        let sql = format!(
            "INSERT INTO merchants (name, category, district, address, union_id, lat_e6, lng_e6, hours, phone,
                 contract_from, contract_to, status, typical_bill_fen, search_text) VALUES {} RETURNING id",
            values_placeholders(chunk.len(), 14)
        );
        let mut q = sqlx::query_scalar::<_, i64>(&sql);
        for m in chunk {
            q = q
                .bind(m.name)
                .bind(m.category)
                .bind(m.district)
                .bind(m.address)
                .bind(m.union_id)
                .bind(m.lat_e6)
                .bind(m.lng_e6)
                .bind(m.hours)
                .bind(m.phone)
                .bind(m.contract_from)
                .bind(m.contract_to)
                .bind("active")
                .bind(m.typical_bill_fen)
                .bind(m.search_text.as_str());
        }
        // RETURNING order follows VALUES order on both engines for a plain insert.
        let mut got = q.fetch_all(&mut *conn).await.context("merchant batch")?;
        got.sort_unstable();
        ids.extend(got);
    }
    Ok(ids)
}

/// A generated offer, written active.
#[derive(Debug)]
pub struct NewOffer<'a> {
    pub merchant_id: i64,
    pub title: &'a str,
    pub kind: &'a str,
    pub basis_points: Option<i64>,
    pub amount_fen: Option<i64>,
    pub price_fen: Option<i64>,
    pub min_spend_fen: i64,
    pub max_discount_fen: Option<i64>,
    pub valid_from: &'a str,
    pub valid_to: &'a str,
    pub weekdays: i64,
    pub limit_count: Option<i64>,
    pub limit_period: Option<&'a str>,
    pub created_at: i64,
}

/// Writes offers, [`BATCH`] a statement.
pub async fn insert_offers(
    conn: &mut AnyConnection,
    offers: &[NewOffer<'_>],
) -> anyhow::Result<()> {
    for chunk in offers.chunks(BATCH) {
        let sql = format!(
            "INSERT INTO offers (merchant_id, title, kind, basis_points, amount_fen, price_fen, min_spend_fen,
                 max_discount_fen, valid_from, valid_to, weekdays, limit_count, limit_period, status, created_at)
             VALUES {}",
            values_placeholders(chunk.len(), 15)
        );
        let mut q = sqlx::query(&sql);
        for o in chunk {
            q = q
                .bind(o.merchant_id)
                .bind(o.title)
                .bind(o.kind)
                .bind(o.basis_points)
                .bind(o.amount_fen)
                .bind(o.price_fen)
                .bind(o.min_spend_fen)
                .bind(o.max_discount_fen)
                .bind(o.valid_from)
                .bind(o.valid_to)
                .bind(o.weekdays)
                .bind(o.limit_count)
                .bind(o.limit_period)
                .bind("active")
                .bind(o.created_at);
        }
        q.execute(&mut *conn).await.context("offer batch")?;
    }
    Ok(())
}

/// Active cards of members other than 张伟 and 李娜 (whom outside checks
/// start clean), by id, at most `limit`: who used the card in the past.
pub async fn cards_with_history(
    conn: &mut AnyConnection,
    limit: usize,
) -> anyhow::Result<Vec<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT c.id FROM cards c JOIN roster_entries r ON r.id = c.roster_id
          WHERE c.status = 'active' AND c.card_no NOT IN ('6222020200000000014', '6222020200000000022')
          ORDER BY c.id LIMIT $1",
    )
    .bind(limit as i64)
    .fetch_all(conn)
    .await?)
}

/// A percentage offer.
#[derive(Debug, Clone, Copy, FromRow)]
pub struct PercentOffer {
    pub id: i64,
    pub merchant_id: i64,
    pub basis_points: i64,
}

/// The percentage offers of every merchant but these two (the demo
/// cashiers', whose "today" starts empty).
pub async fn percent_offers_except(
    conn: &mut AnyConnection,
    merchants: [i64; 2],
) -> anyhow::Result<Vec<PercentOffer>> {
    Ok(sqlx::query_as(
        "SELECT id, merchant_id, COALESCE(basis_points, 0) AS basis_points FROM offers
          WHERE kind = 'percent' AND merchant_id NOT IN ($1, $2)",
    )
    .bind(merchants[0])
    .bind(merchants[1])
    .fetch_all(conn)
    .await?)
}

/// A confirmed use of an offer in the past.
#[derive(Debug)]
pub struct PastUse {
    pub code: String,
    pub offer_id: i64,
    pub merchant_id: i64,
    pub card_id: i64,
    /// When it was issued and confirmed.
    pub at: i64,
    pub bill_fen: i64,
    pub discount_fen: i64,
}

/// Writes past uses, [`BATCH`] a statement: confirmed at once, expiring
/// ten minutes after, paying the bill less the discount; their codes go in
/// the book of codes first, as a live code's do.
pub async fn insert_past_uses(conn: &mut AnyConnection, uses: &[PastUse]) -> anyhow::Result<()> {
    for chunk in uses.chunks(BATCH) {
        let sql = format!(
            "INSERT INTO redemption_codes (code, created_at) VALUES {}",
            values_placeholders(chunk.len(), 2)
        );
        let mut q = sqlx::query(&sql);
        for r in chunk {
            q = q.bind(r.code.as_str()).bind(r.at);
        }
        q.execute(&mut *conn).await.context("history codes")?;
        let sql = format!(
            "INSERT INTO redemptions (code, offer_id, merchant_id, card_id, created_at, confirmed_at, bill_fen,
                 discount_fen, status, expires_at, pay_fen) SELECT v.column1, v.column2, v.column3, v.column4,
                 v.column5, v.column5, v.column6, v.column7, 'confirmed', v.column5 + 600, v.column6 - v.column7
               FROM (VALUES {}) AS v",
            values_placeholders(chunk.len(), 7)
        );
        let mut q = sqlx::query(&sql);
        for r in chunk {
            q = q
                .bind(r.code.as_str())
                .bind(r.offer_id)
                .bind(r.merchant_id)
                .bind(r.card_id)
                .bind(r.at)
                .bind(r.bill_fen)
                .bind(r.discount_fen);
        }
        q.execute(&mut *conn).await.context("history batch")?;
    }
    Ok(())
}

// ------------------------------------------------------------ training

/// Writes an active course with the demo's search text (title, provider
/// and district); its id.
pub async fn insert_course(
    conn: &mut AnyConnection,
    union_id: i64,
    input: &CourseInput,
    search_text: &str,
    now: i64,
) -> anyhow::Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO courses (union_id, title, category, provider, description, fee_fen, eligibility,
             certificate, status, search_text, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'active', $9, $10) RETURNING id",
    )
    .bind(union_id)
    .bind(input.title.as_str())
    .bind(input.category.as_str())
    .bind(input.provider.as_str())
    .bind(input.description.as_str())
    .bind(input.fee_fen)
    .bind(input.eligibility.as_str())
    .bind(input.certificate.as_str())
    .bind(search_text)
    .bind(now)
    .fetch_one(conn)
    .await
    .context("course")
}

/// Marks some members migrant workers (every fifth entry) and some
/// registered unemployed (every eleventh), never the named demo members,
/// whom outside checks expect to be eligible for all-member courses only.
pub async fn mark_migrant_and_unemployed(conn: &mut AnyConnection) -> anyhow::Result<()> {
    sqlx::query(
        "UPDATE roster_entries SET migrant_worker = 1
          WHERE id % 5 = 0 AND name NOT IN ('张伟', '李娜', '王芳')",
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query("UPDATE roster_entries SET unemployed = 1 WHERE id % 11 = 0 AND name NOT IN ('张伟', '李娜', '王芳')")
        .execute(conn)
        .await?;
    Ok(())
}

/// Fills the first future session of some courses (their seats taken by
/// members who signed up at the workplace, counted on the session): every
/// seat of those with `course_id % 4 = 1`, all but one of `% 4 = 2`.
/// Picked by course, not by session id: sessions of one category fall on
/// the same id remainder, which would make a whole category look full.
pub async fn fill_first_future_sessions(conn: &mut AnyConnection, now: i64) -> anyhow::Result<()> {
    let first_future =
        "id IN (SELECT MIN(id) FROM training_sessions WHERE starts_at > $1 GROUP BY course_id)";
    sqlx::query(&format!("UPDATE training_sessions SET confirmed = capacity WHERE {first_future} AND course_id % 4 = 1"))
        .bind(now)
        .execute(&mut *conn)
        .await?;
    sqlx::query(&format!("UPDATE training_sessions SET confirmed = capacity - 1 WHERE {first_future} AND course_id % 4 = 2"))
        .bind(now)
        .execute(conn)
        .await?;
    Ok(())
}

/// The first six members with an active card and no account yet, by id
/// (the waiting lists' people).
pub async fn members_without_account(
    conn: &mut AnyConnection,
) -> anyhow::Result<Vec<crate::store::accounts::RosterName>> {
    Ok(sqlx::query_as(
        "SELECT r.id, r.name FROM roster_entries r JOIN cards c ON c.roster_id = r.id
          WHERE c.status = 'active' AND NOT EXISTS (SELECT 1 FROM users u WHERE u.roster_id = r.id)
          ORDER BY r.id LIMIT 6",
    )
    .fetch_all(conn)
    .await?)
}

/// The first four future sessions with every seat taken, by id.
pub async fn full_sessions(conn: &mut AnyConnection, now: i64) -> anyhow::Result<Vec<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT id FROM training_sessions WHERE starts_at > $1 AND confirmed >= capacity ORDER BY id LIMIT 4",
    )
    .bind(now)
    .fetch_all(conn)
    .await?)
}

/// Sets how many people wait for a session.
pub async fn set_waiting(
    conn: &mut AnyConnection,
    session_id: i64,
    waiting: i64,
) -> anyhow::Result<()> {
    sqlx::query("UPDATE training_sessions SET waiting = $1 WHERE id = $2")
        .bind(waiting)
        .bind(session_id)
        .execute(conn)
        .await?;
    Ok(())
}

// ------------------------------------------------------------ medical aid

/// Where aid claims keep their documents (as `crate::documents::CLAIMS`).
pub const CLAIM_DOCUMENTS: Table = Table {
    record: "aid_claims",
    table: "aid_documents",
    owner: "claim_id",
};

/// A member picked for the aid demo.
#[derive(Debug, FromRow)]
pub struct AidMember {
    pub id: i64,
    pub union_id: i64,
    pub gender: String,
}

/// Up to 400 members with an active card after `last_named`, by id.
pub async fn aid_members(
    conn: &mut AnyConnection,
    last_named: i64,
) -> anyhow::Result<Vec<AidMember>> {
    Ok(sqlx::query_as(
        "SELECT r.id, r.union_id, r.gender FROM roster_entries r JOIN cards c ON c.roster_id = r.id
          WHERE c.status = 'active' AND r.id > $1 ORDER BY r.id LIMIT 400",
    )
    .bind(last_named)
    .fetch_all(conn)
    .await?)
}

/// Records the demo's contributions paid on `paid_on`, as their workplace
/// unions did before the term began, except every seventh enrolment (still
/// due: the collection queue's work) unless it is `keep_paid`'s.
pub async fn pay_contributions(
    conn: &mut AnyConnection,
    paid_on: &str,
    keep_paid: i64,
) -> anyhow::Result<()> {
    sqlx::query(
        "UPDATE aid_enrolments SET contribution_status = 'paid', contribution_paid_on = $1
          WHERE id % 7 <> 0 OR roster_id = $2",
    )
    .bind(paid_on)
    .bind(keep_paid)
    .execute(conn)
    .await?;
    Ok(())
}

/// A hospital-stay claim as it stands after its past steps.
#[derive(Debug)]
pub struct PastClaim<'a> {
    pub enrolment_id: i64,
    pub roster_id: i64,
    pub union_id: i64,
    pub status: ClaimStatus,
    pub admitted_on: String,
    pub discharged_on: String,
    pub hospital_name: &'a str,
    pub hospital_grade: &'a str,
    pub hospital_days: i64,
    pub total_cost_fen: i64,
    pub insurance_paid_fen: i64,
    pub self_pay_fen: i64,
    pub estimate_fen: i64,
    pub approved_fen: Option<i64>,
    pub created_at: i64,
    pub submitted_at: Option<i64>,
    pub decided_by: Option<i64>,
    pub decided_at: Option<i64>,
}

/// Writes a claim (the year's first stay) in its final state; its id.
pub async fn insert_claim(conn: &mut AnyConnection, c: &PastClaim<'_>) -> anyhow::Result<i64> {
    // The newest claim on its enrolment is the one just written.
    insert_claims(conn, std::slice::from_ref(c))
        .await?
        .into_iter()
        .map(|(id, _)| id)
        .max()
        .context("the claim just written")
}

/// Enrols, in one statement, up to `n` roster entries after `after_roster`
/// (by id) not yet in `plan_id`, with this cover, paid on `paid_on`; how
/// many. The bench's past claims (`demo::aid::insert_many_claims`) hang
/// on these.
#[allow(clippy::too_many_arguments)]
pub async fn bulk_enrol(
    conn: &mut AnyConnection,
    plan_id: i64,
    after_roster: i64,
    n: i64,
    cover: [&str; 3],
    member_pays_fen: i64,
    paid_on: &str,
    at: i64,
) -> anyhow::Result<u64> {
    let done = sqlx::query(
        "INSERT INTO aid_enrolments (plan_id, roster_id, union_id, cover_from, cover_to, waiting_ends_on,
             member_pays_fen, created_at, contribution_status, contribution_paid_on)
         SELECT $1, r.id, r.union_id, $2, $3, $4, $5, $6, 'paid', $7 FROM roster_entries r
          WHERE r.id > $8 AND NOT EXISTS
                (SELECT 1 FROM aid_enrolments e WHERE e.plan_id = $1 AND e.roster_id = r.id)
          ORDER BY r.id LIMIT $9",
    )
    .bind(plan_id)
    .bind(cover[0])
    .bind(cover[1])
    .bind(cover[2])
    .bind(member_pays_fen)
    .bind(at)
    .bind(paid_on)
    .bind(after_roster)
    .bind(n)
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// An enrolment as the bench's claims need it.
#[derive(Debug, FromRow)]
pub struct EnrolmentPlace {
    pub id: i64,
    pub roster_id: i64,
    pub union_id: i64,
}

/// Up to `limit` enrolments in `plan_id` after the id `after`, by id.
pub async fn enrolments_after(
    conn: &mut AnyConnection,
    plan_id: i64,
    after: i64,
    limit: i64,
) -> anyhow::Result<Vec<EnrolmentPlace>> {
    Ok(sqlx::query_as(
        "SELECT id, roster_id, union_id FROM aid_enrolments WHERE plan_id = $1 AND id > $2 ORDER BY id LIMIT $3",
    )
    .bind(plan_id)
    .bind(after)
    .bind(limit)
    .fetch_all(conn)
    .await?)
}

/// The first aid plan of this name.
pub async fn plan_named(conn: &mut AnyConnection, name: &str) -> anyhow::Result<i64> {
    Ok(
        sqlx::query_scalar("SELECT id FROM aid_plans WHERE name = $1 ORDER BY id LIMIT 1")
            .bind(name)
            .fetch_one(conn)
            .await?,
    )
}

/// The newest enrolment's id (0 when none).
pub async fn last_enrolment(conn: &mut AnyConnection) -> anyhow::Result<i64> {
    Ok(
        sqlx::query_scalar("SELECT CAST(COALESCE(MAX(id), 0) AS BIGINT) FROM aid_enrolments")
            .fetch_one(conn)
            .await?,
    )
}

/// Writes claims in their final state (each the year's first stay),
/// [`BATCH`] a statement; then the ids of the claims of those enrolments,
/// with their enrolments (one claim each, as the bench's are).
pub async fn insert_claims(
    conn: &mut AnyConnection,
    claims: &[PastClaim<'_>],
) -> anyhow::Result<Vec<(i64, i64)>> {
    for chunk in claims.chunks(BATCH) {
        let sql = format!(
            "INSERT INTO aid_claims (enrolment_id, roster_id, union_id, status, admitted_on, discharged_on,
                hospital_name, hospital_grade, hospital_days, total_cost_fen, insurance_paid_fen,
                self_pay_fen, estimate_fen, approved_fen, created_at, submitted_at, decided_by, decided_at)
             VALUES {}",
            values_placeholders(chunk.len(), 18)
        );
        let mut q = sqlx::query(&sql);
        for c in chunk {
            q = q
                .bind(c.enrolment_id)
                .bind(c.roster_id)
                .bind(c.union_id)
                .bind(c.status.as_str())
                .bind(c.admitted_on.as_str())
                .bind(c.discharged_on.as_str())
                .bind(c.hospital_name)
                .bind(c.hospital_grade)
                .bind(c.hospital_days)
                .bind(c.total_cost_fen)
                .bind(c.insurance_paid_fen)
                .bind(c.self_pay_fen)
                .bind(c.estimate_fen)
                .bind(c.approved_fen)
                .bind(c.created_at)
                .bind(c.submitted_at)
                .bind(c.decided_by)
                .bind(c.decided_at);
        }
        q.execute(&mut *conn).await.context("claims batch")?;
    }
    let (Some(first), Some(last)) = (
        claims.iter().map(|c| c.enrolment_id).min(),
        claims.iter().map(|c| c.enrolment_id).max(),
    ) else {
        return Ok(Vec::new());
    };
    Ok(sqlx::query_as(
        "SELECT id, enrolment_id FROM aid_claims WHERE enrolment_id >= $1 AND enrolment_id <= $2",
    )
    .bind(first)
    .bind(last)
    .fetch_all(conn)
    .await?)
}

/// Sets what approved claims took of the yearly cap of the enrolments from
/// `first` to `last` in `plan_id`, as approvals take it one by one.
pub async fn settle_caps(
    conn: &mut AnyConnection,
    plan_id: i64,
    first: i64,
    last: i64,
) -> anyhow::Result<()> {
    // One pass over the slice's claims, not a look-up per enrolment: inside
    // the loading transaction PostgreSQL has no statistics yet and would
    // read every claim for each enrolment.
    sqlx::query(
        "UPDATE aid_enrolments SET used_fen = s.fen
           FROM (SELECT enrolment_id, CAST(SUM(approved_fen) AS BIGINT) AS fen FROM aid_claims
                  WHERE enrolment_id >= $2 AND enrolment_id <= $3 AND status IN ('approved', 'paid')
                  GROUP BY enrolment_id) s
          WHERE aid_enrolments.id = s.enrolment_id AND aid_enrolments.plan_id = $1",
    )
    .bind(plan_id)
    .bind(first)
    .bind(last)
    .execute(conn)
    .await?;
    Ok(())
}

/// A past step of a claim: its timeline event and, for an officer's step,
/// the audit entry it wrote.
#[derive(Debug)]
pub struct PastStep<'a> {
    pub claim_id: i64,
    pub union_id: i64,
    pub from: Option<ClaimStatus>,
    pub to: ClaimStatus,
    pub at: i64,
    pub actor: Option<i64>,
    pub note: Option<&'a str>,
    pub amount_fen: Option<i64>,
}

/// Writes claims' past steps, [`BATCH`] a statement: the timeline events,
/// and the audit entries of the steps an officer took (the shape
/// `case_file` writes: `{"status"}` before, the status, note and amount
/// after).
pub async fn insert_claim_steps(
    conn: &mut AnyConnection,
    steps: &[PastStep<'_>],
) -> anyhow::Result<()> {
    use unioncard_api::case_file::CaseStatus;
    for chunk in steps.chunks(BATCH) {
        let sql = format!(
            "INSERT INTO aid_claim_events (claim_id, status, at, actor_id, note, amount_fen) VALUES {}",
            values_placeholders(chunk.len(), 6)
        );
        let mut q = sqlx::query(&sql);
        for s in chunk {
            q = q
                .bind(s.claim_id)
                .bind(s.to.as_str())
                .bind(s.at)
                .bind(s.actor)
                .bind(s.note)
                .bind(s.amount_fen);
        }
        q.execute(&mut *conn).await.context("claim events batch")?;
        let audited: Vec<&PastStep> = chunk.iter().filter(|s| s.actor.is_some()).collect();
        if audited.is_empty() {
            continue;
        }
        let sql = format!(
            "INSERT INTO audit_log (at, actor_id, union_id, action, target, before_json, after_json) VALUES {}",
            values_placeholders(audited.len(), 7)
        );
        let mut q = sqlx::query(&sql);
        for s in audited {
            let before = s
                .from
                .map(|f| serde_json::json!({"status": f.as_str()}).to_string());
            let after = serde_json::json!({
                "status": s.to.as_str(),
                "note": s.note,
                "amount_fen": s.amount_fen,
            });
            q = q
                .bind(s.at)
                .bind(s.actor)
                .bind(s.union_id)
                .bind(s.to.action().as_str())
                .bind(format!("aid_claim:{}", s.claim_id))
                .bind(before)
                .bind(after.to_string());
        }
        q.execute(&mut *conn).await.context("audit batch")?;
    }
    Ok(())
}

// ------------------------------------------------------------ loans

/// The district (county) unions, by id.
pub async fn district_unions(conn: &mut AnyConnection) -> anyhow::Result<Vec<i64>> {
    Ok(
        sqlx::query_scalar("SELECT id FROM unions WHERE level = 'district' ORDER BY id")
            .fetch_all(conn)
            .await?,
    )
}

/// Sets the phone members call about their loan at a county union.
pub async fn set_union_phone(conn: &mut AnyConnection, id: i64, phone: &str) -> anyhow::Result<()> {
    sqlx::query("UPDATE unions SET phone = $1 WHERE id = $2")
        .bind(phone)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// The last 48 roster entries after `last_named` (others than the aid
/// demo's), newest first.
pub async fn loan_members(conn: &mut AnyConnection, last_named: i64) -> anyhow::Result<Vec<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT r.id FROM roster_entries r JOIN unions u ON u.id = r.union_id
          WHERE r.id > $1 ORDER BY r.id DESC LIMIT 48",
    )
    .bind(last_named)
    .fetch_all(conn)
    .await?)
}

/// 36 roster entries before the loan demo's (others than the aid demo's),
/// newest first: the hardship demo's households.
pub async fn hardship_members(
    conn: &mut AnyConnection,
    last_named: i64,
) -> anyhow::Result<Vec<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT id FROM roster_entries WHERE id > $1 ORDER BY id DESC LIMIT 36 OFFSET 48",
    )
    .bind(last_named)
    .fetch_all(conn)
    .await?)
}

/// An application as it stands after its past steps, sent at `created_at`.
#[derive(Debug)]
pub struct PastLoan<'a> {
    pub roster_id: i64,
    pub union_id: i64,
    pub county_id: i64,
    pub status: LoanStatus,
    pub employment_status: &'a str,
    pub college_graduate: bool,
    pub business_kind: &'a str,
    pub business_started_on: String,
    pub amount_fen: i64,
    pub term_months: i64,
    pub business_name: &'a str,
    pub business_address: &'a str,
    pub purpose: &'a str,
    pub disbursed_on: Option<String>,
    pub created_at: i64,
}

/// Writes an application (local hukou, no residence years counted) in its
/// final stage; its id.
pub async fn insert_loan(conn: &mut AnyConnection, l: &PastLoan<'_>) -> anyhow::Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO loan_applications (roster_id, union_id, county_id, status, employment_status,
                college_graduate, local_hukou, residence_years, business_kind, business_started_on, amount_fen,
                term_months, business_name, business_address, purpose, disbursed_on, created_at, submitted_at,
                updated_at) VALUES ($1, $2, $3, $4, $5, $6, 1, 0, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15, $15)
             RETURNING id",
    )
    .bind(l.roster_id)
    .bind(l.union_id)
    .bind(l.county_id)
    .bind(l.status.as_str())
    .bind(l.employment_status)
    .bind(i64::from(l.college_graduate))
    .bind(l.business_kind)
    .bind(l.business_started_on.as_str())
    .bind(l.amount_fen)
    .bind(l.term_months)
    .bind(l.business_name)
    .bind(l.business_address)
    .bind(l.purpose)
    .bind(l.disbursed_on.as_deref())
    .bind(l.created_at)
    .fetch_one(conn)
    .await?)
}
