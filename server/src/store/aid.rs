//! Mutual medical aid: plans, enrolments, claims, their documents and review.
//!
//! Plans are rows whose payout rule and eligibility are JSON read by the
//! shared crate, so the arithmetic here is the same code the phone runs.
//! Records belong to the roster entry (a workplace union may enrol members
//! who have no account yet).
//!
//! A claim moves only by conditional updates from the states it may leave;
//! the yearly cap is taken by one conditional update too, so two approvals
//! at once can never pay past it.

use std::collections::HashMap;

use sqlx::{AnyConnection, FromRow};
use unioncard_api::aid::{
    self, Applicant, Bill, CapUse, ClaimEvent, ClaimInput, ClaimMember, ClaimStatus, ClaimSummary,
    ClaimView, Contribution, ContributionGroup, EnrolmentView, Estimate, HospitalGrade, Payer,
    PayoutRule, PlanDates, PlanEligibility, PlanInput, PlanKind, PlanStatus, PlanView,
    RecordContributions,
};
use unioncard_api::card::CardStatus;
use unioncard_api::identity::{mask_name, Date, Gender};
use unioncard_api::payments::LineStatus;
use unioncard_api::Lang;

use super::figures::{self, Tally};
use super::{cases, id_list};
use crate::documents;
use crate::error::{current_lang, AppError, AppResult};
use crate::time;

const PLAN_COLUMNS: &str =
    "id, name, name_en, kind, summary, summary_en, contribution_fen, payer, workplace_share_bp, term_months,
    starts_on, ends_on, window_from, window_to, waiting_days, claim_deadline_days, eligibility_json,
    rule_json, yearly_cap_fen, status, union_id";

/// A stored date; an unreadable one is an internal error naming its column.
fn date(s: &str, col: &str) -> AppResult<Date> {
    Date::parse_iso(s).ok_or_else(|| AppError::internal(format!("bad date in {col}")))
}

// ---------------------------------------------------------------- plans

/// A plan as stored.
#[derive(Debug, FromRow)]
pub struct PlanRow {
    pub id: i64,
    pub name: String,
    pub name_en: String,
    pub kind: String,
    pub summary: String,
    pub summary_en: String,
    pub contribution_fen: i64,
    pub payer: String,
    pub workplace_share_bp: i64,
    pub term_months: i64,
    pub starts_on: String,
    pub ends_on: String,
    pub window_from: String,
    pub window_to: String,
    pub waiting_days: i64,
    pub claim_deadline_days: i64,
    pub eligibility_json: String,
    pub rule_json: String,
    pub yearly_cap_fen: Option<i64>,
    pub status: String,
    pub union_id: i64,
}

/// A plan as stored: its view plus the parts the rules use.
#[derive(Debug)]
pub struct Plan {
    /// The union that runs it: only members under it may join.
    pub union_id: i64,
    /// What the contract shows.
    pub view: PlanView,
    /// Term and windows.
    pub dates: PlanDates,
    /// Its name in each language (the English falls back to the Chinese),
    /// for what is written once for readers of both: messages.
    pub names: (String, String),
}

impl PlanRow {
    /// The plan with its rule and eligibility read; bad stored JSON, payer,
    /// kind or dates are internal errors.
    pub fn into_plan(self) -> AppResult<Plan> {
        let rule: PayoutRule = serde_json::from_str(&self.rule_json).map_err(AppError::internal)?;
        let eligibility: PlanEligibility =
            serde_json::from_str(&self.eligibility_json).map_err(AppError::internal)?;
        let payer =
            Payer::from_db(&self.payer).ok_or_else(|| AppError::internal("unknown payer"))?;
        let dates = PlanDates {
            starts_on: date(&self.starts_on, "starts_on")?,
            ends_on: date(&self.ends_on, "ends_on")?,
            window_from: date(&self.window_from, "window_from")?,
            window_to: date(&self.window_to, "window_to")?,
            waiting_days: self.waiting_days,
            claim_deadline_days: self.claim_deadline_days,
        };
        let names = (
            self.name.clone(),
            Lang::En.written(&self.name, &self.name_en).to_string(),
        );
        Ok(Plan {
            union_id: self.union_id,
            names,
            view: PlanView {
                id: self.id,
                // The English an officer wrote, for English readers.
                name: current_lang()
                    .written(&self.name, &self.name_en)
                    .to_string(),
                kind: PlanKind::from_db(&self.kind)
                    .ok_or_else(|| AppError::internal("unknown kind"))?,
                summary: current_lang()
                    .written(&self.summary, &self.summary_en)
                    .to_string(),
                contribution_fen: self.contribution_fen,
                payer,
                workplace_share_bp: self.workplace_share_bp,
                member_pays_fen: payer.member_part(self.contribution_fen, self.workplace_share_bp),
                term_months: self.term_months,
                starts_on: dates.starts_on.iso(),
                ends_on: dates.ends_on.iso(),
                window_from: dates.window_from.iso(),
                window_to: dates.window_to.iso(),
                waiting_days: dates.waiting_days,
                claim_deadline_days: dates.claim_deadline_days,
                eligibility,
                rule,
                yearly_cap_fen: self.yearly_cap_fen,
                you: None,
                status: PlanStatus::try_from(self.status).map_err(AppError::internal)?,
            },
            dates,
        })
    }
}

/// Which plans a look-up finds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Plans {
    /// Only plans open to enrolment (what members browse and join).
    Open,
    /// Closed ones too (existing cover, claims on it, officers managing it).
    All,
}

/// One plan by id; `None` when there is none (or, for [`Plans::Open`], it is closed).
pub async fn plan(conn: &mut AnyConnection, id: i64, which: Plans) -> AppResult<Option<Plan>> {
    let open = if which == Plans::Open {
        " AND status = 'active'"
    } else {
        ""
    };
    let row: Option<PlanRow> = sqlx::query_as(&format!(
        "SELECT {PLAN_COLUMNS} FROM aid_plans WHERE id = $1{open}"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await?;
    row.map(PlanRow::into_plan).transpose()
}

/// Every plan open to enrolment, by id.
pub async fn open_plans(conn: &mut AnyConnection) -> AppResult<Vec<Plan>> {
    let rows: Vec<PlanRow> = sqlx::query_as(&format!(
        "SELECT {PLAN_COLUMNS} FROM aid_plans WHERE status = 'active' ORDER BY id"
    ))
    .fetch_all(conn)
    .await?;
    rows.into_iter().map(PlanRow::into_plan).collect()
}

/// Every plan run by the unions whose path matches `path_like`, closed ones
/// too, newest first.
pub async fn plans_in(conn: &mut AnyConnection, path_like: &str) -> AppResult<Vec<Plan>> {
    let rows: Vec<PlanRow> = sqlx::query_as(&format!(
        "SELECT {PLAN_COLUMNS} FROM aid_plans
          WHERE union_id IN (SELECT id FROM unions WHERE path LIKE $1) ORDER BY id DESC"
    ))
    .bind(path_like)
    .fetch_all(conn)
    .await?;
    rows.into_iter().map(PlanRow::into_plan).collect()
}

/// These plans, whatever their status (one query for all), by id.
async fn plans_by_id(conn: &mut AnyConnection, ids: &[i64]) -> AppResult<HashMap<i64, Plan>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<PlanRow> = sqlx::query_as(&format!(
        "SELECT {PLAN_COLUMNS} FROM aid_plans WHERE id IN ({})",
        id_list(ids)
    ))
    .fetch_all(conn)
    .await?;
    rows.into_iter()
        .map(|r| Ok((r.id, r.into_plan()?)))
        .collect()
}

/// The union that runs a plan; `None` when there is no such plan.
pub async fn plan_union(conn: &mut AnyConnection, id: i64) -> AppResult<Option<i64>> {
    Ok(
        sqlx::query_scalar("SELECT union_id FROM aid_plans WHERE id = $1")
            .bind(id)
            .fetch_optional(conn)
            .await?,
    )
}

/// Opens a new plan run by `union_id`, ending on `ends_on`; its id.
pub async fn create_plan(
    tx: &mut AnyConnection,
    union_id: i64,
    input: &PlanInput,
    ends_on: Date,
    now: i64,
) -> AppResult<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO aid_plans (union_id, name, kind, summary, contribution_fen, payer, workplace_share_bp,
            term_months, starts_on, ends_on, window_from, window_to, waiting_days, claim_deadline_days,
            eligibility_json, rule_json, yearly_cap_fen, created_at, name_en, summary_en)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20) RETURNING id",
    )
    .bind(union_id)
    .bind(input.name.trim())
    .bind(input.kind.as_str())
    .bind(input.summary.trim())
    .bind(input.contribution_fen)
    .bind(input.payer.as_str())
    .bind(input.workplace_share_bp)
    .bind(input.term_months)
    .bind(&input.starts_on)
    .bind(ends_on.iso())
    .bind(&input.window_from)
    .bind(&input.window_to)
    .bind(input.waiting_days)
    .bind(input.claim_deadline_days)
    .bind(serde_json::to_string(&input.eligibility).map_err(AppError::internal)?)
    .bind(serde_json::to_string(&input.rule).map_err(AppError::internal)?)
    .bind(input.yearly_cap_fen)
    .bind(now)
    .bind(input.name_en.trim())
    .bind(input.summary_en.trim())
    .fetch_one(tx)
    .await?)
}

/// A plan's status (the plan must exist; an unknown stored name is an
/// internal error).
pub async fn plan_status(tx: &mut AnyConnection, id: i64) -> AppResult<PlanStatus> {
    let stored: String = sqlx::query_scalar("SELECT status FROM aid_plans WHERE id = $1")
        .bind(id)
        .fetch_one(tx)
        .await?;
    PlanStatus::try_from(stored).map_err(AppError::internal)
}

/// Sets a plan's status; whether the plan was there.
pub async fn set_plan_status(
    tx: &mut AnyConnection,
    id: i64,
    status: PlanStatus,
) -> AppResult<bool> {
    let done = sqlx::query("UPDATE aid_plans SET status = $1 WHERE id = $2")
        .bind(status.as_str())
        .bind(id)
        .execute(tx)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// The unions a member's union is, or is below (its own and every one over
/// it): a plan is run by a province or city union for its own members only.
pub async fn unions_over(conn: &mut AnyConnection, member_union: i64) -> AppResult<Vec<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT p.id FROM unions m JOIN unions p ON m.path LIKE p.path || '%' WHERE m.id = $1",
    )
    .bind(member_union)
    .fetch_all(conn)
    .await?)
}

/// What deciding whether a member may join a plan needs to know of them:
/// who they are for the eligibility rules, the unions over them (whose
/// plans they may join) and the plans they are enrolled in.
pub struct MemberSide {
    pub who: Applicant,
    pub over: Vec<i64>,
    pub enrolled: Vec<Enrolled>,
}

impl MemberSide {
    /// Their enrolment in this plan, if any.
    pub fn enrolment_in(&self, plan: &Plan) -> Option<i64> {
        self.enrolled
            .iter()
            .find(|e| e.plan_id == plan.view.id)
            .map(|e| e.id)
    }

    /// Whether the plan is run by a union over them.
    pub fn under(&self, plan: &Plan) -> bool {
        self.over.contains(&plan.union_id)
    }

    /// Why the plan's own rules (sex, age, card, window) refuse them today.
    pub fn refusals(&self, plan: &Plan, today: Date) -> Vec<aid::Refusal> {
        plan.dates
            .refusals(&plan.view.eligibility, &self.who, today)
    }

    /// Whether they may join the plan today and have not.
    pub fn may_join(&self, plan: &Plan, today: Date) -> bool {
        self.enrolment_in(plan).is_none()
            && self.under(plan)
            && self.refusals(plan, today).is_empty()
    }
}

/// A member's facts for the plan pages (three small queries).
pub async fn member_side(conn: &mut AnyConnection, roster_id: i64) -> AppResult<MemberSide> {
    let row = applicant(&mut *conn, roster_id).await?;
    let who = row.applicant()?;
    let over = unions_over(&mut *conn, row.union_id).await?;
    let enrolled = enrolled_plans(conn, roster_id).await?;
    Ok(MemberSide {
        who,
        over,
        enrolled,
    })
}

// ---------------------------------------------------------- enrolments

/// What enrolment needs to know about a roster entry, as stored.
#[derive(Debug, FromRow)]
pub struct ApplicantRow {
    pub gender: String,
    pub birth_date: String,
    pub union_id: i64,
    pub card_status: Option<String>,
}

impl ApplicantRow {
    /// The applicant as the eligibility rules see them.
    pub fn applicant(&self) -> AppResult<Applicant> {
        Ok(Applicant {
            gender: if self.gender == "female" {
                Gender::Female
            } else {
                Gender::Male
            },
            birth_date: date(&self.birth_date, "birth_date")?,
            card_active: self.card_status.as_deref().and_then(CardStatus::from_db)
                == Some(CardStatus::Active),
        })
    }
}

/// A roster entry's gender, birth date, union and card status (the entry must exist).
pub async fn applicant(conn: &mut AnyConnection, roster_id: i64) -> AppResult<ApplicantRow> {
    Ok(sqlx::query_as(
        "SELECT r.gender, r.birth_date, r.union_id, c.status AS card_status
           FROM roster_entries r LEFT JOIN cards c ON c.roster_id = r.id WHERE r.id = $1",
    )
    .bind(roster_id)
    .fetch_one(conn)
    .await?)
}

/// One enrolment of a member: which plan, and its id.
#[derive(Debug, FromRow)]
pub struct Enrolled {
    pub plan_id: i64,
    pub id: i64,
}

/// Every plan the member is enrolled in (at most one enrolment per plan).
pub async fn enrolled_plans(conn: &mut AnyConnection, roster_id: i64) -> AppResult<Vec<Enrolled>> {
    Ok(
        sqlx::query_as("SELECT plan_id, id FROM aid_enrolments WHERE roster_id = $1")
            .bind(roster_id)
            .fetch_all(conn)
            .await?,
    )
}

/// Enrols a member for `cover`; the unique key on (plan, member) answers a
/// second enrolment with a unique violation (the caller's 409).
pub async fn enrol(
    tx: &mut AnyConnection,
    plan: &PlanView,
    roster_id: i64,
    union_id: i64,
    cover: aid::Cover,
    now: i64,
) -> Result<Option<i64>, sqlx::Error> {
    // Written only while the plan is still open: a plan closed after the
    // member's page loaded (or while this request ran) takes no one new.
    let id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO aid_enrolments (plan_id, roster_id, union_id, cover_from, cover_to, waiting_ends_on,
            member_pays_fen, created_at)
         SELECT $1, $2, $3, $4, $5, $6, $7, $8
          WHERE EXISTS (SELECT 1 FROM aid_plans WHERE id = $1 AND status = 'active')
         RETURNING id",
    )
    .bind(plan.id)
    .bind(roster_id)
    .bind(union_id)
    .bind(cover.from.iso())
    .bind(cover.to.iso())
    .bind(cover.waiting_ends_on.iso())
    .bind(plan.member_pays_fen)
    .bind(now)
    .fetch_optional(&mut *tx)
    .await?;
    if id.is_some() {
        figures::add(tx, union_id, now, Tally::Enrolment, 1, 0).await?;
        figures::card_used(tx, roster_id, now).await?;
    }
    Ok(id)
}

/// The due contributions of the unions in scope (`like`, a union path
/// pattern), one group per union and plan, largest first; at most `limit`.
pub async fn due_contributions(
    conn: &mut AnyConnection,
    like: &str,
    limit: i64,
) -> AppResult<Vec<ContributionGroup>> {
    let rows: Vec<DueRow> = sqlx::query_as(
        "SELECT e.plan_id, p.name, p.name_en, e.union_id, u.name AS union_name, p.contribution_fen,
                p.payer, p.workplace_share_bp, COUNT(*) AS due_count, MAX(e.id) AS through_id
           FROM aid_enrolments e JOIN unions u ON u.id = e.union_id JOIN aid_plans p ON p.id = e.plan_id
          WHERE e.contribution_status = 'due' AND u.path LIKE $1
          GROUP BY e.plan_id, p.name, p.name_en, e.union_id, u.name, p.contribution_fen,
                p.payer, p.workplace_share_bp
          ORDER BY COUNT(*) DESC, e.union_id, e.plan_id
          LIMIT $2",
    )
    .bind(like)
    .bind(limit)
    .fetch_all(conn)
    .await?;
    let lang = current_lang();
    rows.into_iter()
        .map(|r| {
            let payer =
                Payer::from_db(&r.payer).ok_or_else(|| AppError::internal("unknown payer"))?;
            Ok(ContributionGroup {
                plan_id: r.plan_id,
                plan_name: lang.written(&r.name, &r.name_en).to_string(),
                union_id: r.union_id,
                union_name: r.union_name,
                contribution_fen: r.contribution_fen,
                member_pays_fen: payer.member_part(r.contribution_fen, r.workplace_share_bp),
                due_count: r.due_count,
                through_id: r.through_id,
            })
        })
        .collect()
}

/// One union's due contributions to one plan, as counted.
#[derive(Debug, FromRow)]
struct DueRow {
    plan_id: i64,
    name: String,
    name_en: String,
    union_id: i64,
    union_name: String,
    contribution_fen: i64,
    payer: String,
    workplace_share_bp: i64,
    due_count: i64,
    through_id: i64,
}

/// Records paid, on `paid_on`, the due contributions of one union to one
/// plan up to enrolment `through_id`; returns how many changed (the caller
/// compares it with what the officer confirmed, inside the transaction).
pub async fn record_contributions(
    tx: &mut AnyConnection,
    r: &RecordContributions,
    paid_on: &str,
    by: i64,
) -> AppResult<i64> {
    Ok(sqlx::query(
        "UPDATE aid_enrolments
            SET contribution_status = 'paid', contribution_paid_on = $1, contribution_recorded_by = $2
          WHERE contribution_status = 'due' AND plan_id = $3 AND union_id = $4 AND id <= $5",
    )
    .bind(paid_on)
    .bind(by)
    .bind(r.plan_id)
    .bind(r.union_id)
    .bind(r.through_id)
    .execute(tx)
    .await?
    .rows_affected() as i64)
}

/// The roster entry an enrolment belongs to; `None` when there is none.
pub async fn enrolment_owner(conn: &mut AnyConnection, id: i64) -> AppResult<Option<i64>> {
    Ok(
        sqlx::query_scalar("SELECT roster_id FROM aid_enrolments WHERE id = $1")
            .bind(id)
            .fetch_optional(conn)
            .await?,
    )
}

const ENROLMENT_SELECT: &str = "SELECT e.id, e.plan_id, e.cover_from, e.cover_to, e.waiting_ends_on, e.member_pays_fen, e.used_fen,
                e.created_at, e.contribution_status, e.contribution_paid_on, p.name AS plan_name, p.name_en AS plan_name_en, p.kind, p.yearly_cap_fen,
                r.name AS member_name, r.id_masked
           FROM aid_enrolments e JOIN aid_plans p ON p.id = e.plan_id JOIN roster_entries r ON r.id = e.roster_id";

/// An enrolment with its plan and holder.
#[derive(Debug, FromRow)]
struct EnrolmentRow {
    pub id: i64,
    pub plan_id: i64,
    pub cover_from: String,
    pub cover_to: String,
    pub waiting_ends_on: String,
    pub member_pays_fen: i64,
    pub used_fen: i64,
    pub created_at: i64,
    pub contribution_status: String,
    pub contribution_paid_on: Option<String>,
    pub plan_name: String,
    pub plan_name_en: String,
    pub kind: String,
    pub yearly_cap_fen: Option<i64>,
    pub member_name: String,
    pub id_masked: String,
}

impl EnrolmentRow {
    /// The certificate and cover, with the enrolment's claims.
    fn into_view(self, claims: Vec<ClaimSummary>) -> AppResult<EnrolmentView> {
        let cover_from = date(&self.cover_from, "cover_from")?;
        let cap = CapUse {
            yearly_cap_fen: self.yearly_cap_fen,
            used_fen: self.used_fen,
        };
        Ok(EnrolmentView {
            id: self.id,
            certificate_no: format!("HZ{}-{:08}", cover_from.year, self.id),
            plan_id: self.plan_id,
            plan_name: current_lang()
                .written(&self.plan_name, &self.plan_name_en)
                .to_string(),
            plan_kind: PlanKind::from_db(&self.kind)
                .ok_or_else(|| AppError::internal("unknown kind"))?,
            member_name: mask_name(&self.member_name),
            id_number_masked: self.id_masked,
            cover_from: cover_from.iso(),
            cover_to: self.cover_to,
            waiting_ends_on: self.waiting_ends_on,
            enrolled_at: time::rfc3339(self.created_at),
            member_pays_fen: self.member_pays_fen,
            yearly_cap_fen: cap.yearly_cap_fen,
            used_fen: cap.used_fen,
            left_fen: cap.left_fen(),
            contribution: Contribution::from_db(&self.contribution_status)
                .ok_or_else(|| AppError::internal("unknown contribution status"))?,
            contribution_paid_on: self.contribution_paid_on,
            claims,
        })
    }
}

/// One enrolment with its plan, holder and claims; `None` when there is none.
pub async fn enrolment_view(conn: &mut AnyConnection, id: i64) -> AppResult<Option<EnrolmentView>> {
    let row: Option<EnrolmentRow> = sqlx::query_as(&format!("{ENROLMENT_SELECT} WHERE e.id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    let Some(row) = row else { return Ok(None) };
    Ok(enrolment_views(conn, vec![row]).await?.pop())
}

/// The member's enrolments with their claims, latest cover first (two
/// queries, whatever their number).
pub async fn enrolments_of(
    conn: &mut AnyConnection,
    roster_id: i64,
) -> AppResult<Vec<EnrolmentView>> {
    let rows: Vec<EnrolmentRow> = sqlx::query_as(&format!(
        "{ENROLMENT_SELECT} WHERE e.roster_id = $1 ORDER BY e.cover_to DESC, e.id DESC"
    ))
    .bind(roster_id)
    .fetch_all(&mut *conn)
    .await?;
    enrolment_views(conn, rows).await
}

/// A claim as an enrolment lists it.
#[derive(Debug, FromRow)]
struct ClaimSummaryRow {
    id: i64,
    enrolment_id: i64,
    status: String,
    hospital_name: String,
    admitted_on: String,
    estimate_fen: i64,
    approved_fen: Option<i64>,
}

fn claim_status(s: &str) -> AppResult<ClaimStatus> {
    ClaimStatus::from_db(s).ok_or_else(|| AppError::internal("unknown claim status"))
}

/// The views of these enrolments, each with its claims, newest first (the
/// claims of all of them read in one query).
async fn enrolment_views(
    conn: &mut AnyConnection,
    rows: Vec<EnrolmentRow>,
) -> AppResult<Vec<EnrolmentView>> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let claims: Vec<ClaimSummaryRow> = sqlx::query_as(&format!(
        "SELECT id, enrolment_id, status, hospital_name, admitted_on, estimate_fen, approved_fen
           FROM aid_claims WHERE enrolment_id IN ({}) ORDER BY id DESC",
        id_list(&ids)
    ))
    .fetch_all(conn)
    .await?;
    let mut by_enrolment: HashMap<i64, Vec<ClaimSummary>> = HashMap::new();
    for c in claims {
        by_enrolment
            .entry(c.enrolment_id)
            .or_default()
            .push(ClaimSummary {
                id: c.id,
                status: claim_status(&c.status)?,
                hospital_name: c.hospital_name,
                admitted_on: c.admitted_on,
                payout_fen: c.approved_fen.unwrap_or(c.estimate_fen),
            });
    }
    rows.into_iter()
        .map(|r| {
            let claims = by_enrolment.remove(&r.id).unwrap_or_default();
            r.into_view(claims)
        })
        .collect()
}

// -------------------------------------------------------------- claims

/// A claim's enrolment, as far as filing goes.
#[derive(Debug)]
pub struct Cover {
    /// The plan (closed ones too).
    pub plan: Plan,
    /// The member.
    pub roster_id: i64,
    /// The member's union.
    pub union_id: i64,
    /// The cover's dates.
    pub cover: aid::Cover,
    /// What approved claims have taken of the yearly cap.
    pub used_fen: i64,
}

impl Cover {
    /// The yearly cap, less `less` of what was used.
    pub fn cap(&self, less: i64) -> CapUse {
        CapUse {
            yearly_cap_fen: self.plan.view.yearly_cap_fen,
            used_fen: (self.used_fen - less).max(0),
        }
    }
}

#[derive(Debug, FromRow)]
struct CoverRow {
    plan_id: i64,
    roster_id: i64,
    union_id: i64,
    cover_from: String,
    cover_to: String,
    waiting_ends_on: String,
    used_fen: i64,
}

/// An enrolment with its plan; `None` when either is missing.
pub async fn cover(conn: &mut AnyConnection, enrolment_id: i64) -> AppResult<Option<Cover>> {
    let row: Option<CoverRow> = sqlx::query_as(
        "SELECT plan_id, roster_id, union_id, cover_from, cover_to, waiting_ends_on, used_fen
           FROM aid_enrolments WHERE id = $1",
    )
    .bind(enrolment_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let Some(plan) = plan(conn, row.plan_id, Plans::All).await? else {
        return Ok(None);
    };
    Ok(Some(Cover {
        plan,
        roster_id: row.roster_id,
        union_id: row.union_id,
        cover: aid::Cover {
            from: date(&row.cover_from, "cover_from")?,
            to: date(&row.cover_to, "cover_to")?,
            waiting_ends_on: date(&row.waiting_ends_on, "waiting_ends_on")?,
        },
        used_fen: row.used_fen,
    }))
}

/// The member's unsent drafts (count under the cover's lock to bound them).
pub async fn drafts_of(tx: &mut AnyConnection, roster_id: i64) -> AppResult<i64> {
    Ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM aid_claims WHERE roster_id = $1 AND status = 'draft'",
    )
    .bind(roster_id)
    .fetch_one(tx)
    .await?)
}

/// A new, empty draft on the cover; its id. Its fields are written next
/// ([`write_fields`]).
pub async fn new_claim(
    tx: &mut AnyConnection,
    enrolment_id: i64,
    roster_id: i64,
    union_id: i64,
    now: i64,
) -> AppResult<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO aid_claims (enrolment_id, roster_id, union_id, status, admitted_on, discharged_on,
            hospital_name, created_at) VALUES ($1, $2, $3, 'draft', '', '', '', $4) RETURNING id",
    )
    .bind(enrolment_id)
    .bind(roster_id)
    .bind(union_id)
    .bind(now)
    .fetch_one(tx)
    .await?)
}

/// Which stay of the year this is: earlier claims on the same cover that
/// were sent and not rejected, plus one.
pub async fn stay_number(
    tx: &mut AnyConnection,
    enrolment_id: i64,
    claim_id: i64,
) -> AppResult<i64> {
    let earlier: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM aid_claims WHERE enrolment_id = $1 AND id <> $2
            AND status NOT IN ('draft', 'rejected')",
    )
    .bind(enrolment_id)
    .bind(claim_id)
    .fetch_one(tx)
    .await?;
    Ok(earlier + 1)
}

/// Writes a claim's fields (a new claim, or an edited draft), only while the
/// member may still change it (the state guard); `false` when it was sent or
/// decided meanwhile.
pub async fn write_fields(
    tx: &mut AnyConnection,
    claim_id: i64,
    input: &ClaimInput,
    estimate_fen: i64,
) -> AppResult<bool> {
    let b = &input.bill;
    let done = sqlx::query(
        "UPDATE aid_claims SET admitted_on = $1, discharged_on = $2, hospital_name = $3, hospital_grade = $4,
            hospital_days = $5, total_cost_fen = $6, insurance_paid_fen = $7, self_pay_fen = $8,
            disease_group = $9, estimate_fen = $10
          WHERE id = $11 AND status IN ('draft', 'documents_requested')",
    )
    .bind(input.admitted_on.trim())
    .bind(input.discharged_on.trim())
    .bind(input.hospital_name.trim())
    .bind(b.hospital_grade.map(|g| g.as_str()))
    .bind(b.hospital_days)
    .bind(b.total_cost_fen)
    .bind(b.insurance_paid_fen)
    .bind(b.self_pay_fen)
    .bind(b.disease_group.as_deref().filter(|g| !g.is_empty()))
    .bind(estimate_fen)
    .bind(claim_id)
    .execute(tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Stamps a claim being sent as stay `n` of its year, and when it was
/// first sent (a claim sent back for documents keeps its first date, and
/// its place in the officers' queue).
async fn stamp_sent(tx: &mut AnyConnection, claim_id: i64, n: i64, now: i64) -> AppResult<()> {
    sqlx::query("UPDATE aid_claims SET stay_number = $1 WHERE id = $2")
        .bind(n)
        .bind(claim_id)
        .execute(&mut *tx)
        .await?;
    // Its first sending is the member using their card (for the figures).
    let first: Option<i64> = sqlx::query_scalar(
        "UPDATE aid_claims SET submitted_at = $1 WHERE id = $2 AND submitted_at IS NULL RETURNING roster_id",
    )
    .bind(now)
    .bind(claim_id)
    .fetch_optional(&mut *tx)
    .await?;
    if let Some(roster_id) = first {
        figures::card_used(tx, roster_id, now).await?;
    }
    Ok(())
}

/// Readies a claim for sending in the transaction: counts its stay, fixes
/// its estimate and stamps it; the move to `submitted` is the case file's
/// step (`case_file::CLAIMS`). `false` (nothing written) when the member
/// may no longer change it.
pub async fn send(
    tx: &mut AnyConnection,
    c: &Cover,
    claim_id: i64,
    input: &ClaimInput,
) -> AppResult<bool> {
    // Serialise on the cover: two claims sent at once must not both count
    // as the year's first stay.
    crate::store::lock_row(tx, "aid_enrolments", input.enrolment_id).await?;
    let n = stay_number(tx, input.enrolment_id, claim_id).await?;
    let bill = Bill {
        stay_number: n,
        ..input.bill.clone()
    };
    let e = aid::estimate(&c.plan.view.rule, c.cap(0), &bill, current_lang());
    if !write_fields(tx, claim_id, input, e.payout_fen).await? {
        return Ok(false);
    }
    stamp_sent(tx, claim_id, n, time::now()).await?;
    Ok(true)
}

/// The cover a claim is made on; `None` when there is no such claim.
pub async fn claim_enrolment(conn: &mut AnyConnection, id: i64) -> AppResult<Option<i64>> {
    Ok(
        sqlx::query_scalar("SELECT enrolment_id FROM aid_claims WHERE id = $1")
            .bind(id)
            .fetch_optional(conn)
            .await?,
    )
}

// ------------------------------------------------------------- review

/// Takes `amount` out of the enrolment's yearly cap, only if it fits (one
/// conditional update, so two approvals at once cannot pass the cap); whether it did.
pub async fn take_from_cap(
    tx: &mut AnyConnection,
    enrolment_id: i64,
    amount: i64,
) -> AppResult<bool> {
    let fits = sqlx::query(
        "UPDATE aid_enrolments SET used_fen = used_fen + $1
          WHERE id = $2 AND used_fen + $1 <= COALESCE(
            (SELECT p.yearly_cap_fen FROM aid_plans p WHERE p.id = aid_enrolments.plan_id),
            9000000000000000000)",
    )
    .bind(amount)
    .bind(enrolment_id)
    .execute(tx)
    .await?;
    Ok(fits.rows_affected() == 1)
}

/// Records a decision the case file's step has just taken on a claim: the
/// approved amount and, for a final decision, who decided and when.
pub async fn record_decision(
    tx: &mut AnyConnection,
    id: i64,
    amount_fen: Option<i64>,
    decided_by: Option<i64>,
    decided_at: Option<i64>,
) -> AppResult<()> {
    sqlx::query(
        "UPDATE aid_claims SET approved_fen = $1, decided_by = $2, decided_at = $3 WHERE id = $4",
    )
    .bind(amount_fen)
    .bind(decided_by)
    .bind(decided_at)
    .bind(id)
    .execute(tx)
    .await?;
    Ok(())
}

/// The amount approved on a claim (the claim must exist).
pub async fn approved_amount(tx: &mut AnyConnection, id: i64) -> AppResult<Option<i64>> {
    Ok(
        sqlx::query_scalar("SELECT approved_fen FROM aid_claims WHERE id = $1")
            .bind(id)
            .fetch_one(tx)
            .await?,
    )
}

// -------------------------------------------------------- claim views

const CLAIM_SELECT: &str = "SELECT c.id, c.enrolment_id, c.status, c.admitted_on, c.discharged_on, c.hospital_name,
        c.hospital_grade, c.stay_number, c.hospital_days, c.total_cost_fen, c.insurance_paid_fen, c.self_pay_fen,
        c.disease_group, c.estimate_fen, c.approved_fen, c.roster_id, c.submitted_at, r.name AS member_name, r.id_masked,
        un.name AS union_name, e.plan_id, e.used_fen,
        (SELECT l.status FROM payment_lines l WHERE l.aid_claim_id = c.id AND l.status <> 'cancelled'
          ORDER BY l.id DESC LIMIT 1) AS payment
   FROM aid_claims c JOIN roster_entries r ON r.id = c.roster_id JOIN unions un ON un.id = c.union_id
        JOIN aid_enrolments e ON e.id = c.enrolment_id";

/// A claim as stored, with its member, union and enrolment.
#[derive(Debug, FromRow)]
pub struct ClaimRow {
    pub id: i64,
    pub enrolment_id: i64,
    pub status: String,
    pub admitted_on: String,
    pub discharged_on: String,
    pub hospital_name: String,
    pub hospital_grade: Option<String>,
    pub stay_number: i64,
    pub hospital_days: i64,
    pub total_cost_fen: i64,
    pub insurance_paid_fen: i64,
    pub self_pay_fen: i64,
    pub disease_group: Option<String>,
    pub estimate_fen: i64,
    pub approved_fen: Option<i64>,
    pub roster_id: i64,
    pub submitted_at: Option<i64>,
    pub member_name: String,
    pub id_masked: String,
    pub union_name: String,
    pub plan_id: i64,
    pub used_fen: i64,
    /// How the newest payment line for it stands, if a batch pays it.
    pub payment: Option<String>,
}

impl ClaimRow {
    /// The claim as its member (or, with `for_officer`, an officer) sees it,
    /// given its plan, documents and timeline.
    fn into_view(
        self,
        plan: &Plan,
        documents: Vec<unioncard_api::aid::DocumentView>,
        timeline: Vec<ClaimEvent>,
        for_officer: bool,
    ) -> AppResult<ClaimView> {
        let status = claim_status(&self.status)?;
        let approved_fen = self.approved_fen;
        let bill = Bill {
            hospital_grade: self
                .hospital_grade
                .as_deref()
                .and_then(HospitalGrade::from_db),
            stay_number: self.stay_number,
            hospital_days: self.hospital_days,
            total_cost_fen: self.total_cost_fen,
            insurance_paid_fen: self.insurance_paid_fen,
            self_pay_fen: self.self_pay_fen,
            disease_group: self.disease_group,
        };
        // The cap as it stood for this claim: an approved claim's own amount is
        // not "already paid" to itself.
        let own = if status.uses_cap() {
            approved_fen.unwrap_or(0)
        } else {
            0
        };
        let cap = CapUse {
            yearly_cap_fen: plan.view.yearly_cap_fen,
            used_fen: (self.used_fen - own).max(0),
        };
        let estimate = if bill.check(&plan.view.rule).is_ok() {
            aid::estimate(&plan.view.rule, cap, &bill, current_lang())
        } else {
            Estimate {
                payout_fen: 0,
                steps: Vec::new(),
            }
        };
        let deadline = Date::parse_iso(&self.discharged_on)
            .map(|d| aid::claim_deadline(d, plan.dates.claim_deadline_days).iso())
            .unwrap_or_default();
        let member = if for_officer {
            Some(ClaimMember {
                name: self.member_name,
                id_number_masked: self.id_masked,
                union_name: self.union_name,
                cap_left_fen: cap.left_fen(),
            })
        } else {
            None
        };
        Ok(ClaimView {
            id: self.id,
            enrolment_id: self.enrolment_id,
            plan_name: plan.view.name.clone(),
            plan_kind: plan.view.kind,
            status,
            admitted_on: self.admitted_on,
            discharged_on: self.discharged_on,
            hospital_name: self.hospital_name,
            payout_fen: approved_fen.unwrap_or(estimate.payout_fen),
            approved_fen,
            bill,
            estimate,
            deadline,
            documents,
            timeline,
            member,
            payment: self.payment.as_deref().and_then(LineStatus::from_db),
        })
    }
}

/// The views of these claims (their plans, documents and timelines read in
/// one query each).
pub async fn claim_views(
    conn: &mut AnyConnection,
    rows: Vec<ClaimRow>,
    for_officer: bool,
) -> AppResult<Vec<ClaimView>> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let mut plan_ids: Vec<i64> = rows.iter().map(|r| r.plan_id).collect();
    plan_ids.sort_unstable();
    plan_ids.dedup();
    let plans = plans_by_id(&mut *conn, &plan_ids).await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut timelines: HashMap<i64, Vec<ClaimEvent>> = HashMap::new();
    for (id, events) in cases::events_of(&mut *conn, cases::CLAIMS, &ids).await? {
        let timeline = events
            .into_iter()
            .map(|t| {
                Ok(ClaimEvent {
                    status: claim_status(&t.status)?,
                    at: time::rfc3339(t.at),
                    note: t.note,
                    amount_fen: t.amount_fen,
                })
            })
            .collect::<AppResult<Vec<_>>>()?;
        timelines.insert(id, timeline);
    }
    let mut documents = documents::CLAIMS.list_many(&mut *conn, &ids).await?;
    let mut views = Vec::with_capacity(rows.len());
    for r in rows {
        let plan = plans
            .get(&r.plan_id)
            .ok_or_else(|| AppError::internal("a claim's plan is missing"))?;
        let docs = documents.remove(&r.id).unwrap_or_default();
        let timeline = timelines.remove(&r.id).unwrap_or_default();
        views.push(r.into_view(plan, docs, timeline, for_officer)?);
    }
    Ok(views)
}

/// A claim as its member (or, with `for_officer`, an officer) sees it;
/// `None` when there is no such claim.
pub async fn claim_view(
    conn: &mut AnyConnection,
    id: i64,
    for_officer: bool,
) -> AppResult<Option<ClaimView>> {
    let row: Option<ClaimRow> = sqlx::query_as(&format!("{CLAIM_SELECT} WHERE c.id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    let Some(row) = row else { return Ok(None) };
    Ok(claim_views(conn, vec![row], for_officer).await?.pop())
}

/// The officers' queue in `statuses`: `$1` the unions' path pattern,
/// after (`$2` sent at, `$3` id), `$4` of them.
pub(crate) fn review_queue_sql(statuses: &[ClaimStatus], sqlite: bool) -> String {
    let list = ClaimStatus::sql_list(statuses);
    // The waiting claims have an index of their own in the queue's order
    // (migration 0027). PostgreSQL takes it; SQLite, planning without
    // statistics, would read the waiting claims of each status by the
    // index of all claims and sort them all for every page, so it is named.
    let select = if sqlite && statuses == ClaimStatus::OPEN {
        CLAIM_SELECT.replacen(
            "FROM aid_claims c ",
            "FROM aid_claims c INDEXED BY aid_claims_open ",
            1,
        )
    } else {
        CLAIM_SELECT.to_string()
    };
    format!(
        "{select}
          WHERE un.path LIKE $1 AND c.status IN {list}
            AND (c.submitted_at, c.id) > ($2, $3)
          ORDER BY c.submitted_at, c.id LIMIT $4"
    )
}

/// The officers' queue: sent claims in `statuses` of the unions whose path
/// matches `path_like`, oldest sent first, after the cursor `(after_at,
/// after_id)`, at most `limit`.
pub async fn review_queue(
    conn: &mut AnyConnection,
    path_like: &str,
    statuses: &[ClaimStatus],
    after: (i64, i64),
    limit: i64,
) -> AppResult<Vec<ClaimRow>> {
    let sqlite = conn.backend_name() == "SQLite";
    Ok(sqlx::query_as(&review_queue_sql(statuses, sqlite))
        .bind(path_like)
        .bind(after.0)
        .bind(after.1)
        .bind(limit)
        .fetch_all(conn)
        .await?)
}
