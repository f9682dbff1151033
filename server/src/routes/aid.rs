//! Mutual medical aid, the member's side: plans and the estimator (open to
//! anyone), enrolment with its certificate, "my cover", and claims with
//! documents and a timeline. Officers' review lives in `staff::aid`.
//!
//! Plans are rows whose payout rule and eligibility are JSON read by the
//! shared crate, so the arithmetic here is the same code the phone runs.
//! Records belong to the roster entry (a workplace union may enrol members
//! who have no account yet).

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use sqlx::{Any, Row, Transaction};
use unioncard_api::aid::{
    self, Applicant, Bill, CapUse, ClaimEvent, ClaimFields, ClaimInput, ClaimMember, ClaimStatus,
    ClaimSummary, ClaimView, DocumentView, EnrolRequest, EnrolmentView, Estimate, EstimateRequest,
    HospitalGrade, Payer, PayoutRule, PlanDates, PlanEligibility, PlanForYou, PlanKind, PlanView,
    Reason,
};
use unioncard_api::audit::AuditAction;
use unioncard_api::auth::Role;
use unioncard_api::card::CardStatus;
use unioncard_api::identity::{mask_name, Date, Gender};
use unioncard_api::join::Page;
use unioncard_api::ErrorBody;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::audit::{self, Entry};
use crate::error::{current_lang, AppError, AppResult};
use crate::extract::{CurrentUser, Json};
use crate::routes::auth::is_unique_violation;
use crate::scope::Scope;
use crate::uploads;
use crate::{documents, idempotency, time, AppState};

/// The member-side aid routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_plans))
        .routes(routes!(get_plan))
        .routes(routes!(estimate))
        .routes(routes!(enrol))
        .routes(routes!(my_enrolments))
        .routes(routes!(get_enrolment))
        .routes(routes!(create_claim))
        .routes(routes!(get_claim, update_claim))
        .routes(routes!(submit_claim))
        .routes(routes!(add_document))
        .routes(routes!(get_document, delete_document))
        .layer(axum::extract::DefaultBodyLimit::max(
            uploads::MAX_FILE_BYTES + 64 * 1024,
        ))
}

const PLAN_COLUMNS: &str =
    "id, name, kind, summary, contribution_fen, payer, workplace_share_bp, term_months,
    starts_on, ends_on, window_from, window_to, waiting_days, claim_deadline_days, eligibility_json,
    rule_json, yearly_cap_fen, status, union_id";

/// A plan as stored: its view plus the parts the rules use.
pub struct Plan {
    /// The union that runs it: only members under it may join.
    pub union_id: i64,
    /// What the contract shows.
    pub view: PlanView,
    /// Term and windows.
    pub dates: PlanDates,
}

fn date_col(r: &sqlx::any::AnyRow, col: &str) -> AppResult<Date> {
    let s: String = r.try_get(col)?;
    Date::parse_iso(&s).ok_or_else(|| AppError::internal(format!("bad date in {col}")))
}

fn plan_from_row(r: &sqlx::any::AnyRow) -> AppResult<Plan> {
    let kind: String = r.try_get("kind")?;
    let payer: String = r.try_get("payer")?;
    let rule: PayoutRule =
        serde_json::from_str(&r.try_get::<String, _>("rule_json")?).map_err(AppError::internal)?;
    let eligibility: PlanEligibility =
        serde_json::from_str(&r.try_get::<String, _>("eligibility_json")?)
            .map_err(AppError::internal)?;
    let payer = Payer::from_db(&payer).ok_or_else(|| AppError::internal("unknown payer"))?;
    let contribution_fen: i64 = r.try_get("contribution_fen")?;
    let workplace_share_bp: i64 = r.try_get("workplace_share_bp")?;
    let dates = PlanDates {
        starts_on: date_col(r, "starts_on")?,
        ends_on: date_col(r, "ends_on")?,
        window_from: date_col(r, "window_from")?,
        window_to: date_col(r, "window_to")?,
        waiting_days: r.try_get("waiting_days")?,
        claim_deadline_days: r.try_get("claim_deadline_days")?,
    };
    Ok(Plan {
        union_id: r.try_get("union_id")?,
        view: PlanView {
            id: r.try_get("id")?,
            name: r.try_get("name")?,
            kind: PlanKind::from_db(&kind).ok_or_else(|| AppError::internal("unknown kind"))?,
            summary: r.try_get("summary")?,
            contribution_fen,
            payer,
            workplace_share_bp,
            member_pays_fen: payer.member_part(contribution_fen, workplace_share_bp),
            term_months: r.try_get("term_months")?,
            starts_on: dates.starts_on.iso(),
            ends_on: dates.ends_on.iso(),
            window_from: dates.window_from.iso(),
            window_to: dates.window_to.iso(),
            waiting_days: dates.waiting_days,
            claim_deadline_days: dates.claim_deadline_days,
            eligibility,
            rule,
            yearly_cap_fen: r.try_get("yearly_cap_fen")?,
            you: None,
            status: r.try_get("status")?,
        },
        dates,
    })
}

/// Which plans a look-up finds.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Plans {
    /// Only plans open to enrolment (what members browse and join).
    Open,
    /// Closed ones too (existing cover, claims on it, officers managing it).
    All,
}

/// One plan by id (404 when there is none).
pub async fn load_plan(state: &AppState, id: i64, which: Plans) -> AppResult<Plan> {
    let open = if which == Plans::Open {
        " AND status = 'active'"
    } else {
        ""
    };
    let row = sqlx::query(&format!(
        "SELECT {PLAN_COLUMNS} FROM aid_plans WHERE id = $1{open}"
    ))
    .bind(id)
    .fetch_optional(state.db.read())
    .await?
    .ok_or_else(AppError::not_found)?;
    plan_from_row(&row)
}

/// Every plan run by the unions in scope, closed ones too, newest first.
pub async fn all_plans(state: &AppState, scope: &Scope) -> AppResult<Vec<PlanView>> {
    let rows = sqlx::query(&format!(
        "SELECT {PLAN_COLUMNS} FROM aid_plans
          WHERE union_id IN (SELECT id FROM unions WHERE path LIKE $1) ORDER BY id DESC"
    ))
    .bind(scope.like())
    .fetch_all(state.db.read())
    .await?;
    rows.iter().map(|r| Ok(plan_from_row(r)?.view)).collect()
}

/// Whether a member's union is the plan's union or below it: a plan is run
/// by a province or city union for its own members only.
async fn under_plan_union(state: &AppState, member_union: i64, plan_union: i64) -> AppResult<bool> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM unions m JOIN unions p ON m.path LIKE p.path || '%'
          WHERE m.id = $1 AND p.id = $2",
    )
    .bind(member_union)
    .bind(plan_union)
    .fetch_one(state.db.read())
    .await?;
    Ok(n > 0)
}

fn outside_plan_union(lang: unioncard_api::Lang) -> String {
    lang.pick(
        "本计划由其他地区的工会举办，仅限该工会所属会员参加",
        "This plan is run by another region's union, for its own members only",
    )
    .to_string()
}

/// What enrolment needs to know about a roster entry, and its union.
async fn applicant(state: &AppState, roster_id: i64) -> AppResult<(Applicant, i64)> {
    let row = sqlx::query(
        "SELECT r.gender, r.birth_date, r.union_id, c.status AS card_status
           FROM roster_entries r LEFT JOIN cards c ON c.roster_id = r.id WHERE r.id = $1",
    )
    .bind(roster_id)
    .fetch_one(state.db.read())
    .await?;
    let gender: String = row.try_get("gender")?;
    let card: Option<String> = row.try_get("card_status")?;
    Ok((
        Applicant {
            gender: if gender == "female" {
                Gender::Female
            } else {
                Gender::Male
            },
            birth_date: date_col(&row, "birth_date")?,
            card_active: card.as_deref().and_then(CardStatus::from_db) == Some(CardStatus::Active),
        },
        row.try_get("union_id")?,
    ))
}

fn reasons(refusals: &[aid::Refusal]) -> Vec<Reason> {
    let lang = current_lang();
    refusals
        .iter()
        .map(|r| Reason {
            code: r.code().into(),
            message: r.message(lang),
        })
        .collect()
}

async fn plan_for_you(
    state: &AppState,
    plan: &Plan,
    who: &Applicant,
    roster_id: i64,
    member_union: i64,
) -> AppResult<PlanForYou> {
    let enrolment_id: Option<i64> =
        sqlx::query_scalar("SELECT id FROM aid_enrolments WHERE plan_id = $1 AND roster_id = $2")
            .bind(plan.view.id)
            .bind(roster_id)
            .fetch_optional(state.db.read())
            .await?;
    let refusals = plan
        .dates
        .refusals(&plan.view.eligibility, who, time::today());
    let mut why = reasons(&refusals);
    if !under_plan_union(state, member_union, plan.union_id).await? {
        why.insert(
            0,
            Reason {
                code: "outside_plan_union".into(),
                message: outside_plan_union(current_lang()),
            },
        );
    }
    Ok(PlanForYou {
        can_enrol: why.is_empty() && enrolment_id.is_none(),
        reasons: why,
        enrolment_id,
    })
}

/// Every plan open now, with, for a signed-in member, whether they may join.
#[utoipa::path(
    get, path = "/api/aid/plans", tag = "aid",
    responses((status = 200, description = "Plans", body = Page<PlanView>))
)]
async fn list_plans(
    State(state): State<AppState>,
    user: Option<CurrentUser>,
) -> AppResult<axum::Json<Page<PlanView>>> {
    let rows = sqlx::query(&format!(
        "SELECT {PLAN_COLUMNS} FROM aid_plans WHERE status = 'active' ORDER BY id"
    ))
    .fetch_all(state.db.read())
    .await?;
    let member = match user.as_ref().map(CurrentUser::roster) {
        Some(Ok(roster_id)) => {
            let (who, union_id) = applicant(&state, roster_id).await?;
            Some((who, roster_id, union_id))
        }
        _ => None,
    };
    let mut items = Vec::with_capacity(rows.len());
    for r in &rows {
        let mut plan = plan_from_row(r)?;
        if let Some((who, roster_id, union_id)) = &member {
            // A member is shown the plans of the unions over them only.
            if !under_plan_union(&state, *union_id, plan.union_id).await? {
                continue;
            }
            plan.view.you = Some(plan_for_you(&state, &plan, who, *roster_id, *union_id).await?);
        }
        items.push(plan.view);
    }
    Ok(axum::Json(Page::whole(items)))
}

/// One plan.
#[utoipa::path(
    get, path = "/api/aid/plans/{id}", tag = "aid",
    params(("id" = i64, Path, description = "Plan id")),
    responses(
        (status = 200, description = "The plan", body = PlanView),
        (status = 404, description = "No such plan", body = ErrorBody),
    )
)]
async fn get_plan(
    State(state): State<AppState>,
    user: Option<CurrentUser>,
    Path(id): Path<i64>,
) -> AppResult<axum::Json<PlanView>> {
    let mut plan = load_plan(&state, id, Plans::Open).await?;
    if let Some(Ok(roster_id)) = user.as_ref().map(CurrentUser::roster) {
        let (who, union_id) = applicant(&state, roster_id).await?;
        plan.view.you = Some(plan_for_you(&state, &plan, &who, roster_id, union_id).await?);
    }
    Ok(axum::Json(plan.view))
}

/// What a plan would pay on a bill, step by step. No sign-in needed.
#[utoipa::path(
    post, path = "/api/aid/estimate", tag = "aid",
    request_body = EstimateRequest,
    responses(
        (status = 200, description = "The payout and its steps", body = Estimate),
        (status = 404, description = "No such plan", body = ErrorBody),
        (status = 422, description = "A bill field is wrong", body = ErrorBody),
    )
)]
async fn estimate(
    State(state): State<AppState>,
    Json(req): Json<EstimateRequest>,
) -> AppResult<axum::Json<Estimate>> {
    let plan = load_plan(&state, req.plan_id, Plans::Open).await?;
    req.bill
        .check(&plan.view.rule)
        .map_err(|p| AppError::invalid(&p))?;
    let cap = CapUse {
        yearly_cap_fen: plan.view.yearly_cap_fen,
        used_fen: 0,
    };
    Ok(axum::Json(aid::estimate(
        &plan.view.rule,
        cap,
        &req.bill,
        current_lang(),
    )))
}

/// Enrols the signed-in member in a plan for its current term.
#[utoipa::path(
    post, path = "/api/aid/enrolments", tag = "aid",
    request_body = EnrolRequest,
    responses(
        (status = 201, description = "Enrolled: the certificate", body = EnrolmentView),
        (status = 404, description = "No such plan", body = ErrorBody),
        (status = 409, description = "Already enrolled for this term", body = ErrorBody),
        (status = 422, description = "Not eligible; the code names the first reason", body = ErrorBody),
    )
)]
async fn enrol(
    State(state): State<AppState>,
    user: CurrentUser,
    Json(req): Json<EnrolRequest>,
) -> AppResult<(StatusCode, axum::Json<EnrolmentView>)> {
    let roster_id = user.roster()?;
    let plan = load_plan(&state, req.plan_id, Plans::Open).await?;
    let (who, union_id) = applicant(&state, roster_id).await?;
    if !under_plan_union(&state, union_id, plan.union_id).await? {
        let (zh, en) = (
            outside_plan_union(unioncard_api::Lang::Zh),
            outside_plan_union(unioncard_api::Lang::En),
        );
        return Err(AppError::unprocessable_text("outside_plan_union", zh, en));
    }
    let today = time::today();
    let already = || {
        AppError::conflict(
            "already_enrolled",
            "您已参加本期计划",
            "You are already enrolled in this plan's term",
        )
    };
    let refusals = plan.dates.refusals(&plan.view.eligibility, &who, today);
    if let Some(first) = refusals.first() {
        let zh: Vec<String> = refusals
            .iter()
            .map(|r| r.message(unioncard_api::Lang::Zh))
            .collect();
        let en: Vec<String> = refusals
            .iter()
            .map(|r| r.message(unioncard_api::Lang::En))
            .collect();
        return Err(AppError::unprocessable_text(
            first.code(),
            zh.join("；"),
            en.join("; "),
        ));
    }
    let cover = plan.dates.cover_for(today);
    let mut tx = state.db.write().begin().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO aid_enrolments (plan_id, roster_id, union_id, cover_from, cover_to, waiting_ends_on,
            member_pays_fen, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(plan.view.id)
    .bind(roster_id)
    .bind(union_id)
    .bind(cover.from.iso())
    .bind(cover.to.iso())
    .bind(cover.waiting_ends_on.iso())
    .bind(plan.view.member_pays_fen)
    .bind(time::now())
    .fetch_one(&mut *tx)
    .await
    .map_err(|e| {
        if is_unique_violation(&e) {
            already()
        } else {
            e.into()
        }
    })?;
    audit::record(
        &mut tx,
        Entry {
            actor: Some(user.id),
            union_id: Some(union_id),
            action: AuditAction::AidEnrol,
            target: format!("aid_enrolment:{id}"),
            before: None,
            after: Some(json!({"plan_id": plan.view.id, "cover_from": cover.from.iso(), "cover_to": cover.to.iso()})),
        },
    )
    .await?;
    tx.commit().await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(enrolment_view(&state, id).await?),
    ))
}

/// The signed-in member's cover: every enrolment with its dates, what is left
/// of its cap and its claims.
#[utoipa::path(
    get, path = "/api/me/aid/enrolments", tag = "aid",
    responses((status = 200, description = "My cover", body = Page<EnrolmentView>))
)]
async fn my_enrolments(
    State(state): State<AppState>,
    user: CurrentUser,
) -> AppResult<axum::Json<Page<EnrolmentView>>> {
    let roster_id = user.roster()?;
    let ids: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM aid_enrolments WHERE roster_id = $1 ORDER BY cover_to DESC, id DESC",
    )
    .bind(roster_id)
    .fetch_all(state.db.read())
    .await?;
    let mut items = Vec::with_capacity(ids.len());
    for id in ids {
        items.push(enrolment_view(&state, id).await?);
    }
    Ok(axum::Json(Page::whole(items)))
}

/// One enrolment: the certificate. Only its member sees it.
#[utoipa::path(
    get, path = "/api/aid/enrolments/{id}", tag = "aid",
    params(("id" = i64, Path, description = "Enrolment id")),
    responses(
        (status = 200, description = "The certificate and cover", body = EnrolmentView),
        (status = 404, description = "Not yours", body = ErrorBody),
    )
)]
async fn get_enrolment(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<axum::Json<EnrolmentView>> {
    let roster_id = user.roster()?;
    let owner: Option<i64> =
        sqlx::query_scalar("SELECT roster_id FROM aid_enrolments WHERE id = $1")
            .bind(id)
            .fetch_optional(state.db.read())
            .await?;
    if owner != Some(roster_id) {
        return Err(AppError::not_found());
    }
    Ok(axum::Json(enrolment_view(&state, id).await?))
}

/// An enrolment with its plan, its holder and its claims.
pub async fn enrolment_view(state: &AppState, id: i64) -> AppResult<EnrolmentView> {
    let row = sqlx::query(
        "SELECT e.id, e.plan_id, e.cover_from, e.cover_to, e.waiting_ends_on, e.member_pays_fen, e.used_fen,
                e.created_at, p.name AS plan_name, p.kind, p.yearly_cap_fen, r.name AS member_name, r.id_masked
           FROM aid_enrolments e JOIN aid_plans p ON p.id = e.plan_id JOIN roster_entries r ON r.id = e.roster_id
          WHERE e.id = $1",
    )
    .bind(id)
    .fetch_optional(state.db.read())
    .await?
    .ok_or_else(AppError::not_found)?;
    let claims = sqlx::query(
        "SELECT id, status, hospital_name, admitted_on, estimate_fen, approved_fen FROM aid_claims
          WHERE enrolment_id = $1 ORDER BY id DESC",
    )
    .bind(id)
    .fetch_all(state.db.read())
    .await?
    .iter()
    .map(|c| {
        let status = claim_status(c)?;
        let approved: Option<i64> = c.try_get("approved_fen")?;
        Ok(ClaimSummary {
            id: c.try_get("id")?,
            status,
            hospital_name: c.try_get("hospital_name")?,
            admitted_on: c.try_get("admitted_on")?,
            payout_fen: approved.unwrap_or(c.try_get("estimate_fen")?),
        })
    })
    .collect::<AppResult<Vec<_>>>()?;
    let cover_from = date_col(&row, "cover_from")?;
    let cap = CapUse {
        yearly_cap_fen: row.try_get("yearly_cap_fen")?,
        used_fen: row.try_get("used_fen")?,
    };
    let kind: String = row.try_get("kind")?;
    Ok(EnrolmentView {
        id,
        certificate_no: format!("HZ{}-{:08}", cover_from.year, id),
        plan_id: row.try_get("plan_id")?,
        plan_name: row.try_get("plan_name")?,
        plan_kind: PlanKind::from_db(&kind).ok_or_else(|| AppError::internal("unknown kind"))?,
        member_name: mask_name(&row.try_get::<String, _>("member_name")?),
        id_number_masked: row.try_get("id_masked")?,
        cover_from: cover_from.iso(),
        cover_to: row.try_get("cover_to")?,
        waiting_ends_on: row.try_get("waiting_ends_on")?,
        enrolled_at: time::rfc3339(row.try_get("created_at")?),
        member_pays_fen: row.try_get("member_pays_fen")?,
        yearly_cap_fen: cap.yearly_cap_fen,
        used_fen: cap.used_fen,
        left_fen: cap.left_fen(),
        claims,
    })
}

fn claim_status(r: &sqlx::any::AnyRow) -> AppResult<ClaimStatus> {
    let s: String = r.try_get("status")?;
    ClaimStatus::from_db(&s).ok_or_else(|| AppError::internal("unknown claim status"))
}

/// A claim's enrolment, as far as filing goes.
struct Cover {
    plan: Plan,
    roster_id: i64,
    union_id: i64,
    cover: aid::Cover,
    used_fen: i64,
}

async fn load_cover(state: &AppState, enrolment_id: i64) -> AppResult<Cover> {
    let row = sqlx::query(
        "SELECT plan_id, roster_id, union_id, cover_from, cover_to, waiting_ends_on, used_fen
           FROM aid_enrolments WHERE id = $1",
    )
    .bind(enrolment_id)
    .fetch_optional(state.db.read())
    .await?
    .ok_or_else(AppError::not_found)?;
    Ok(Cover {
        plan: load_plan(state, row.try_get("plan_id")?, Plans::All).await?,
        roster_id: row.try_get("roster_id")?,
        union_id: row.try_get("union_id")?,
        cover: aid::Cover {
            from: date_col(&row, "cover_from")?,
            to: date_col(&row, "cover_to")?,
            waiting_ends_on: date_col(&row, "waiting_ends_on")?,
        },
        used_fen: row.try_get("used_fen")?,
    })
}

impl Cover {
    fn cap(&self, less: i64) -> CapUse {
        CapUse {
            yearly_cap_fen: self.plan.view.yearly_cap_fen,
            used_fen: (self.used_fen - less).max(0),
        }
    }
}

/// Checks fields and dates of a claim about to be sent; 422 saying which.
fn check_for_sending(c: &Cover, input: &ClaimInput) -> AppResult<ClaimFields> {
    let fields = input
        .check(&c.plan.view.rule)
        .map_err(|p| AppError::invalid(&p))?;
    aid::check_claim_dates(
        c.cover,
        fields.admitted_on,
        fields.discharged_on,
        c.plan.dates.claim_deadline_days,
        time::today(),
    )
    .map_err(|r| {
        AppError::unprocessable_text(
            r.code(),
            r.message(unioncard_api::Lang::Zh),
            r.message(unioncard_api::Lang::En),
        )
        .with_field_text(
            "admitted_on",
            r.message(unioncard_api::Lang::Zh),
            r.message(unioncard_api::Lang::En),
        )
    })?;
    Ok(fields)
}

/// Which stay of the year this is: earlier claims on the same cover that
/// were sent and not rejected, plus one.
async fn stay_number(
    tx: &mut Transaction<'_, Any>,
    enrolment_id: i64,
    claim_id: i64,
) -> AppResult<i64> {
    let earlier: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM aid_claims WHERE enrolment_id = $1 AND id <> $2
            AND status NOT IN ('draft', 'rejected')",
    )
    .bind(enrolment_id)
    .bind(claim_id)
    .fetch_one(&mut **tx)
    .await?;
    Ok(earlier + 1)
}

/// Adds a step to a claim's timeline.
pub async fn event(
    tx: &mut Transaction<'_, Any>,
    claim_id: i64,
    status: ClaimStatus,
    actor: i64,
    note: Option<&str>,
    amount_fen: Option<i64>,
) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO aid_claim_events (claim_id, status, at, actor_id, note, amount_fen)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(claim_id)
    .bind(status.as_str())
    .bind(time::now())
    .bind(actor)
    .bind(note)
    .bind(amount_fen)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Writes a claim's fields (a new claim, or an edited draft), only while the
/// member may still change it (the state guard); `false` when it was sent or
/// decided meanwhile.
async fn write_fields(
    tx: &mut Transaction<'_, Any>,
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
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Sends a claim in the transaction: counts its stay, fixes its estimate,
/// stamps it and moves it to `submitted`.
async fn send(
    tx: &mut Transaction<'_, Any>,
    c: &Cover,
    claim_id: i64,
    input: &ClaimInput,
    actor: i64,
) -> AppResult<()> {
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
        return Err(not_editable());
    }
    sqlx::query(
        "UPDATE aid_claims SET status = 'submitted', stay_number = $1,
            submitted_at = COALESCE(submitted_at, $2) WHERE id = $3 AND status IN ('draft', 'documents_requested')",
    )
    .bind(n)
    .bind(time::now())
    .bind(claim_id)
    .execute(&mut **tx)
    .await?;
    event(tx, claim_id, ClaimStatus::Submitted, actor, None, None).await
}

/// Unsent claim drafts one member may keep.
pub const MAX_DRAFTS: i64 = 5;

/// Files a claim on the member's own cover (or saves it as a draft to finish
/// later). A retry with the same `Idempotency-Key` gets the first answer.
#[utoipa::path(
    post, path = "/api/aid/claims", tag = "aid",
    request_body = ClaimInput,
    params(("Idempotency-Key" = Option<String>, Header, description = "Same key, same answer")),
    responses(
        (status = 201, description = "Filed (or saved as a draft)", body = ClaimView),
        (status = 404, description = "Not your cover", body = ErrorBody),
        (status = 422, description = "A field is wrong; or outside_cover, waiting_period, past_deadline", body = ErrorBody),
    )
)]
async fn create_claim(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Json(input): Json<ClaimInput>,
) -> AppResult<Response> {
    let roster_id = user.roster()?;
    let key = idempotency::key(&headers, "POST /api/aid/claims", &input);
    let mut tx = match idempotency::start(&state, user.id, key.as_ref()).await? {
        idempotency::Start::Act(tx) => tx,
        idempotency::Start::Replay(answer) => return Ok(answer),
    };
    let c = load_cover(&state, input.enrolment_id).await?;
    if c.roster_id != roster_id {
        return Err(AppError::not_found());
    }
    if input.draft {
        // A draft keeps what was typed so far; only the shape is checked.
        input
            .check(&c.plan.view.rule)
            .map_err(|p| AppError::invalid(&p))?;
        // Unsent drafts are bounded per member (counted under the cover's
        // lock, so a burst cannot pass the bound together).
        crate::store::lock_row(&mut tx, "aid_enrolments", input.enrolment_id).await?;
        let drafts: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM aid_claims WHERE roster_id = $1 AND status = 'draft'",
        )
        .bind(roster_id)
        .fetch_one(&mut *tx)
        .await?;
        if drafts >= MAX_DRAFTS {
            return Err(AppError::unprocessable(
                "too_many_drafts",
                "未提交的草稿已有 5 份，请先把已有的草稿填完提交",
                "You have 5 unsent drafts; finish and send one first",
            ));
        }
    } else {
        check_for_sending(&c, &input)?;
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO aid_claims (enrolment_id, roster_id, union_id, status, admitted_on, discharged_on,
            hospital_name, created_at) VALUES ($1, $2, $3, 'draft', '', '', '', $4) RETURNING id",
    )
    .bind(input.enrolment_id)
    .bind(roster_id)
    .bind(c.union_id)
    .bind(time::now())
    .fetch_one(&mut *tx)
    .await?;
    if input.draft {
        let n = stay_number(&mut tx, input.enrolment_id, id).await?;
        let bill = Bill {
            stay_number: n,
            ..input.bill.clone()
        };
        let e = aid::estimate(&c.plan.view.rule, c.cap(0), &bill, current_lang());
        write_fields(&mut tx, id, &input, e.payout_fen).await?;
        event(&mut tx, id, ClaimStatus::Draft, user.id, None, None).await?;
    } else {
        send(&mut tx, &c, id, &input, user.id).await?;
    }
    audit::record(
        &mut tx,
        Entry {
            actor: Some(user.id),
            union_id: Some(c.union_id),
            action: if input.draft {
                AuditAction::AidClaimDraft
            } else {
                AuditAction::AidClaimSubmit
            },
            target: format!("aid_claim:{id}"),
            before: None,
            after: Some(
                json!({"enrolment_id": input.enrolment_id, "hospital": input.hospital_name.trim()}),
            ),
        },
    )
    .await?;
    let view = claim_view(&mut tx, id, false).await?;
    idempotency::store(&mut tx, user.id, key.as_ref(), StatusCode::CREATED, &view).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, axum::Json(view)).into_response())
}

/// Loads a claim for its member; 404 for anyone else's.
async fn own_claim(state: &AppState, user: &CurrentUser, id: i64) -> AppResult<(i64, ClaimStatus)> {
    let roster_id = user.roster()?;
    let row = sqlx::query("SELECT roster_id, enrolment_id, status FROM aid_claims WHERE id = $1")
        .bind(id)
        .fetch_optional(state.db.read())
        .await?
        .ok_or_else(AppError::not_found)?;
    if row.try_get::<i64, _>("roster_id")? != roster_id {
        return Err(AppError::not_found());
    }
    Ok((row.try_get("enrolment_id")?, claim_status(&row)?))
}

fn not_editable() -> AppError {
    AppError::conflict(
        "claim_not_editable",
        "申请已提交，不能再修改",
        "This claim has been sent and can no longer be changed",
    )
}

/// A claim with its timeline: its member sees it.
#[utoipa::path(
    get, path = "/api/aid/claims/{id}", operation_id = "get_my_claim", tag = "aid",
    params(("id" = i64, Path, description = "Claim id")),
    responses(
        (status = 200, description = "The claim and its timeline", body = ClaimView),
        (status = 404, description = "Not your claim", body = ErrorBody),
    )
)]
async fn get_claim(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<axum::Json<ClaimView>> {
    own_claim(&state, &user, id).await?;
    let mut conn = state.db.read().acquire().await?;
    Ok(axum::Json(claim_view(&mut conn, id, false).await?))
}

/// Changes a draft (or a claim sent back for documents) before sending it.
#[utoipa::path(
    put, path = "/api/aid/claims/{id}", tag = "aid",
    params(("id" = i64, Path, description = "Claim id")),
    request_body = ClaimInput,
    responses(
        (status = 200, description = "Saved", body = ClaimView),
        (status = 404, description = "Not your claim", body = ErrorBody),
        (status = 409, description = "Already sent", body = ErrorBody),
        (status = 422, description = "A field is wrong", body = ErrorBody),
    )
)]
async fn update_claim(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Json(input): Json<ClaimInput>,
) -> AppResult<axum::Json<ClaimView>> {
    let (enrolment_id, status) = own_claim(&state, &user, id).await?;
    if !status.member_may_edit() {
        return Err(not_editable());
    }
    let input = ClaimInput {
        enrolment_id,
        ..input
    };
    let c = load_cover(&state, enrolment_id).await?;
    if status == ClaimStatus::Draft {
        // A draft keeps what was typed so far; only the shape is checked.
        input
            .check(&c.plan.view.rule)
            .map_err(|p| AppError::invalid(&p))?;
    } else {
        // A claim already sent (back for documents) stays one that could be
        // sent: cover, waiting period and deadline, as when it was filed.
        check_for_sending(&c, &input)?;
    }
    let mut tx = state.db.write().begin().await?;
    let n = stay_number(&mut tx, enrolment_id, id).await?;
    let bill = Bill {
        stay_number: n,
        ..input.bill.clone()
    };
    let e = aid::estimate(&c.plan.view.rule, c.cap(0), &bill, current_lang());
    if !write_fields(&mut tx, id, &input, e.payout_fen).await? {
        return Err(not_editable());
    }
    let view = claim_view(&mut tx, id, false).await?;
    tx.commit().await?;
    Ok(axum::Json(view))
}

/// Sends a draft, or sends a claim back after adding the documents asked for.
#[utoipa::path(
    post, path = "/api/aid/claims/{id}/submit", tag = "aid",
    params(("id" = i64, Path, description = "Claim id")),
    responses(
        (status = 200, description = "Sent", body = ClaimView),
        (status = 404, description = "Not your claim", body = ErrorBody),
        (status = 409, description = "Already sent", body = ErrorBody),
        (status = 422, description = "outside_cover, waiting_period or past_deadline", body = ErrorBody),
    )
)]
async fn submit_claim(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<axum::Json<ClaimView>> {
    let (enrolment_id, status) = own_claim(&state, &user, id).await?;
    if !status.member_may_edit() {
        return Err(not_editable());
    }
    let c = load_cover(&state, enrolment_id).await?;
    let mut tx = state.db.write().begin().await?;
    // Only one send wins: the status must still be the one we read. From
    // here the row is this request's, so it is judged as it now is (an edit
    // that landed first is what gets checked; one that comes later finds
    // it sent).
    let moved = sqlx::query("UPDATE aid_claims SET id = id WHERE id = $1 AND status = $2")
        .bind(id)
        .bind(status.as_str())
        .execute(&mut *tx)
        .await?;
    if moved.rows_affected() != 1 {
        return Err(not_editable());
    }
    let current = claim_view(&mut tx, id, false).await?;
    let input = ClaimInput {
        enrolment_id,
        admitted_on: current.admitted_on,
        discharged_on: current.discharged_on,
        hospital_name: current.hospital_name,
        bill: current.bill,
        draft: false,
    };
    check_for_sending(&c, &input)?;
    send(&mut tx, &c, id, &input, user.id).await?;
    audit::record(
        &mut tx,
        Entry {
            actor: Some(user.id),
            union_id: Some(c.union_id),
            action: AuditAction::AidClaimSubmit,
            target: format!("aid_claim:{id}"),
            before: Some(json!({"status": status.as_str()})),
            after: Some(json!({"status": "submitted"})),
        },
    )
    .await?;
    let view = claim_view(&mut tx, id, false).await?;
    tx.commit().await?;
    Ok(axum::Json(view))
}

/// Adds a document (JPEG, PNG or PDF, at most 10 MB) to the member's own
/// claim while it is open.
#[utoipa::path(
    post, path = "/api/aid/claims/{id}/documents", operation_id = "add_claim_document", tag = "aid",
    params(("id" = i64, Path, description = "Claim id")),
    request_body(content = String, content_type = "multipart/form-data", description = "One file field"),
    responses(
        (status = 201, description = "Stored", body = DocumentView),
        (status = 404, description = "Not your claim", body = ErrorBody),
        (status = 409, description = "The claim is decided", body = ErrorBody),
        (status = 413, description = "Over 10 MB", body = ErrorBody),
        (status = 422, description = "Not a JPEG, PNG or PDF; or too many documents", body = ErrorBody),
    )
)]
async fn add_document(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    form: axum::extract::Multipart,
) -> AppResult<(StatusCode, axum::Json<DocumentView>)> {
    let (_, status) = own_claim(&state, &user, id).await?;
    if !(status.member_may_edit() || status.is_open()) {
        return Err(AppError::conflict(
            "claim_decided",
            "申请已审结，不能再添加材料",
            "This claim is decided; documents can no longer be added",
        ));
    }
    let doc = documents::CLAIMS.attach(&state, form, id).await?;
    Ok((StatusCode::CREATED, axum::Json(doc)))
}

/// A claim's document: for its member and the officers over the member's union.
#[utoipa::path(
    get, path = "/api/aid/claims/{id}/documents/{doc}", operation_id = "get_claim_document", tag = "aid",
    params(
        ("id" = i64, Path, description = "Claim id"),
        ("doc" = i64, Path, description = "Document id"),
    ),
    responses(
        (status = 200, description = "The file", content_type = "application/octet-stream"),
        (status = 404, description = "No document you may see", body = ErrorBody),
    )
)]
async fn get_document(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, doc)): Path<(i64, i64)>,
) -> AppResult<Response> {
    let row = sqlx::query(
        "SELECT c.roster_id, c.status, u.path FROM aid_claims c JOIN unions u ON u.id = c.union_id WHERE c.id = $1",
    )
    .bind(id)
    .fetch_optional(state.db.read())
    .await?
    .ok_or_else(AppError::not_found)?;
    let owner: i64 = row.try_get("roster_id")?;
    // A draft is the member's alone: officers see a claim once it is sent.
    let sent = row.try_get::<String, _>("status")? != "draft";
    let allowed = user.roster_id == Some(owner) && user.role == Role::Member
        || sent
            && match Scope::of(&state, &user).await {
                Ok(scope) => scope.covers(&row.try_get::<String, _>("path")?),
                Err(_) => false,
            };
    if !allowed {
        return Err(AppError::not_found());
    }
    documents::CLAIMS.serve(&state, id, doc).await
}

/// Removes a document from a claim the member can still change.
#[utoipa::path(
    delete, path = "/api/aid/claims/{id}/documents/{doc}", tag = "aid",
    params(
        ("id" = i64, Path, description = "Claim id"),
        ("doc" = i64, Path, description = "Document id"),
    ),
    responses(
        (status = 204, description = "Removed"),
        (status = 404, description = "No such document of yours", body = ErrorBody),
        (status = 409, description = "The claim has been sent", body = ErrorBody),
    )
)]
async fn delete_document(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, doc)): Path<(i64, i64)>,
) -> AppResult<StatusCode> {
    let (_, status) = own_claim(&state, &user, id).await?;
    if !status.member_may_edit() {
        return Err(not_editable());
    }
    let name: Option<String> =
        sqlx::query_scalar("SELECT file_name FROM aid_documents WHERE id = $1 AND claim_id = $2")
            .bind(doc)
            .bind(id)
            .fetch_optional(state.db.read())
            .await?;
    let name = name.ok_or_else(AppError::not_found)?;
    sqlx::query("DELETE FROM aid_documents WHERE id = $1")
        .bind(doc)
        .execute(state.db.write())
        .await?;
    uploads::remove(&state, &name).await;
    Ok(StatusCode::NO_CONTENT)
}

const CLAIM_SELECT: &str = "SELECT c.id, c.enrolment_id, c.status, c.admitted_on, c.discharged_on, c.hospital_name,
        c.hospital_grade, c.stay_number, c.hospital_days, c.total_cost_fen, c.insurance_paid_fen, c.self_pay_fen,
        c.disease_group, c.estimate_fen, c.approved_fen, c.roster_id, r.name AS member_name, r.id_masked,
        un.name AS union_name
   FROM aid_claims c JOIN roster_entries r ON r.id = c.roster_id JOIN unions un ON un.id = c.union_id";

/// A claim as its member (or, with `for_officer`, an officer) sees it.
pub async fn claim_view(
    conn: &mut sqlx::AnyConnection,
    id: i64,
    for_officer: bool,
) -> AppResult<ClaimView> {
    let row = sqlx::query(&format!("{CLAIM_SELECT} WHERE c.id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(AppError::not_found)?;
    let enrolment_id: i64 = row.try_get("enrolment_id")?;
    let e = sqlx::query("SELECT plan_id, used_fen FROM aid_enrolments WHERE id = $1")
        .bind(enrolment_id)
        .fetch_one(&mut *conn)
        .await?;
    let plan_row = sqlx::query(&format!(
        "SELECT {PLAN_COLUMNS} FROM aid_plans WHERE id = $1"
    ))
    .bind(e.try_get::<i64, _>("plan_id")?)
    .fetch_one(&mut *conn)
    .await?;
    let plan = plan_from_row(&plan_row)?;
    let status = claim_status(&row)?;
    let approved_fen: Option<i64> = row.try_get("approved_fen")?;
    let grade: Option<String> = row.try_get("hospital_grade")?;
    let bill = Bill {
        hospital_grade: grade.as_deref().and_then(HospitalGrade::from_db),
        stay_number: row.try_get("stay_number")?,
        hospital_days: row.try_get("hospital_days")?,
        total_cost_fen: row.try_get("total_cost_fen")?,
        insurance_paid_fen: row.try_get("insurance_paid_fen")?,
        self_pay_fen: row.try_get("self_pay_fen")?,
        disease_group: row.try_get("disease_group")?,
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
        used_fen: (e.try_get::<i64, _>("used_fen")? - own).max(0),
    };
    let estimate = if bill.check(&plan.view.rule).is_ok() {
        aid::estimate(&plan.view.rule, cap, &bill, current_lang())
    } else {
        Estimate {
            payout_fen: 0,
            steps: Vec::new(),
        }
    };
    let documents = documents::CLAIMS.list(&mut *conn, id).await?;
    let timeline = sqlx::query(
        "SELECT status, at, note, amount_fen FROM aid_claim_events WHERE claim_id = $1 ORDER BY id",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|t| {
        Ok(ClaimEvent {
            status: claim_status(t)?,
            at: time::rfc3339(t.try_get("at")?),
            note: t.try_get("note")?,
            amount_fen: t.try_get("amount_fen")?,
        })
    })
    .collect::<AppResult<Vec<_>>>()?;
    let discharged: String = row.try_get("discharged_on")?;
    let deadline = Date::parse_iso(&discharged)
        .map(|d| aid::claim_deadline(d, plan.dates.claim_deadline_days).iso())
        .unwrap_or_default();
    let member = if for_officer {
        Some(ClaimMember {
            name: row.try_get("member_name")?,
            id_number_masked: row.try_get("id_masked")?,
            union_name: row.try_get("union_name")?,
            cap_left_fen: cap.left_fen(),
        })
    } else {
        None
    };
    Ok(ClaimView {
        id,
        enrolment_id,
        plan_name: plan.view.name.clone(),
        plan_kind: plan.view.kind,
        status,
        admitted_on: row.try_get("admitted_on")?,
        discharged_on: discharged,
        hospital_name: row.try_get("hospital_name")?,
        payout_fen: approved_fen.unwrap_or(estimate.payout_fen),
        approved_fen,
        bill,
        estimate,
        deadline,
        documents,
        timeline,
        member,
    })
}
