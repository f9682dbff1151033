//! Micro guaranteed loans, the member's side: the pre-check, the application
//! (saved as a draft after each step, sent once), its documents, timeline and
//! repayment schedule. Officers' review lives in `staff::loans`.
//!
//! The rules are `unioncard_api::loans`, the same code the phone runs for its
//! instant pre-check; the server adds what only it can know (gender from the
//! roster, partners on a roster, an open loan).

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use sqlx::{Any, Row, Transaction};
use unioncard_api::aid::DocumentView;
use unioncard_api::audit::AuditAction;
use unioncard_api::auth::Role;
use unioncard_api::identity::{mask_id_number, mask_name, Date, Gender, IdNumber};
use unioncard_api::join::Page;
use unioncard_api::loans::{
    self, BusinessKind, EligibilityAnswer, EligibilityInput, EmploymentStatus, LoanEvent,
    LoanInput, LoanRefusal, LoanRules, LoanStatus, LoanView, Partner, Schedule,
};
use unioncard_api::{ErrorBody, Lang};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::audit::{self, Entry};
use crate::error::{current_lang, AppError, AppResult};
use crate::extract::{CurrentUser, Json};
use crate::routes::auth::is_unique_violation;
use crate::scope::Scope;
use crate::uploads;
use crate::{documents, idempotency, time, AppState};

/// The member-side loan routes.
pub fn router() -> OpenApiRouter<AppState> {
    // Only the document upload takes a file; every JSON body keeps the
    // server's 1 MiB limit (a draft is a few KB).
    let upload = OpenApiRouter::new().routes(routes!(add_document)).layer(
        axum::extract::DefaultBodyLimit::max(uploads::MAX_FILE_BYTES + 64 * 1024),
    );
    OpenApiRouter::new()
        .routes(routes!(eligibility))
        .routes(routes!(create))
        .routes(routes!(get_loan, update_draft))
        .routes(routes!(submit))
        .routes(routes!(my_loans))
        .routes(routes!(get_schedule))
        .routes(routes!(get_document))
        .merge(upload)
}

/// A partner as stored: the ID number encrypted, with its look-up hash and
/// the masked form every answer shows. Never the number in clear.
#[derive(serde::Serialize, serde::Deserialize)]
struct StoredPartner {
    name: String,
    id_enc: String,
    id_hash: String,
    id_masked: String,
}

/// Seals the partners for storage. A masked number (a resumed draft sent
/// back as the server showed it) keeps the number stored for that partner.
fn seal_partners(state: &AppState, new: &[Partner], old: &[StoredPartner]) -> AppResult<String> {
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
            seal(state, name, &id)
        })
        .collect();
    serde_json::to_string(&sealed).map_err(AppError::internal)
}

/// One partner sealed: the number encrypted, its look-up hash, its mask.
fn seal(state: &AppState, name: String, id: &str) -> StoredPartner {
    StoredPartner {
        id_enc: state.crypto.encrypt(id),
        id_hash: state.crypto.lookup_hash("id", id),
        id_masked: mask_id_number(id),
        name,
    }
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

/// The stored partners, sealed (a plain row is sealed as it is read, so
/// the next save stores it sealed).
fn stored_partners(state: &AppState, json: &str) -> Vec<StoredPartner> {
    match held(json) {
        Held::Sealed(v) => v,
        Held::Plain(v) => v
            .into_iter()
            .map(|p| seal(state, p.name, &p.id_number))
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
fn open_partners(state: &AppState, json: &str) -> AppResult<Vec<Partner>> {
    match held(json) {
        Held::Plain(v) => Ok(v),
        Held::Sealed(v) => v
            .into_iter()
            .map(|p| {
                Ok(Partner {
                    id_number: state
                        .crypto
                        .decrypt(&p.id_enc)
                        .map_err(AppError::internal)?,
                    name: p.name,
                })
            })
            .collect(),
    }
}

/// An application's fields as stored, partners with their whole numbers:
/// what the rules judge when it is sent and when it is guaranteed.
pub async fn stored_input(
    state: &AppState,
    conn: &mut sqlx::AnyConnection,
    id: i64,
) -> AppResult<LoanInput> {
    let mut input = loan_view(&mut *conn, id, false).await?.input;
    let json: String =
        sqlx::query_scalar("SELECT partners_json FROM loan_applications WHERE id = $1")
            .bind(id)
            .fetch_one(&mut *conn)
            .await?;
    input.facts.partners = open_partners(state, &json)?;
    Ok(input)
}

/// The scheme's figures. One place to change them (or, later, read them from
/// the database per province).
pub fn rules() -> LoanRules {
    LoanRules::default()
}

/// The applicant's gender and union, and the county union over it.
pub struct Applicant {
    pub gender: Gender,
    pub union_id: i64,
    pub county_id: i64,
}

pub async fn applicant(state: &AppState, roster_id: i64) -> AppResult<Applicant> {
    let row = sqlx::query(
        "SELECT r.gender, r.union_id, u.path FROM roster_entries r JOIN unions u ON u.id = r.union_id WHERE r.id = $1",
    )
    .bind(roster_id)
    .fetch_one(state.db.read())
    .await?;
    let path: String = row.try_get("path")?;
    // The county (district) union above the workplace; a member registered
    // directly with a district or city union is handled by that union.
    let county: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM unions WHERE level = 'district' AND $1 LIKE path || '%' ORDER BY id LIMIT 1",
    )
    .bind(&path)
    .fetch_optional(state.db.read())
    .await?;
    let union_id: i64 = row.try_get("union_id")?;
    Ok(Applicant {
        gender: if row.try_get::<String, _>("gender")? == "female" {
            Gender::Female
        } else {
            Gender::Male
        },
        union_id,
        county_id: county.unwrap_or(union_id),
    })
}

/// Everything that refuses the application: the shared rules, then what only
/// the server knows (partners on a roster, an open loan).
async fn refusals(
    state: &AppState,
    conn: &mut sqlx::AnyConnection,
    roster_id: i64,
    gender: Gender,
    input: &EligibilityInput,
    ignore: Option<i64>,
) -> AppResult<Vec<LoanRefusal>> {
    let mut out = rules().refusals(gender, input, time::today());
    for p in &input.partners {
        match IdNumber::parse(&p.id_number) {
            Ok(id) => {
                let hash = state.crypto.lookup_hash("id", id.expose());
                let name: Option<String> =
                    sqlx::query_scalar("SELECT name FROM roster_entries WHERE id_hash = $1")
                        .bind(hash)
                        .fetch_optional(&mut *conn)
                        .await?;
                if name.as_deref() != Some(p.name.trim()) {
                    out.push(LoanRefusal::PartnerNotMember);
                    break;
                }
            }
            // A masked number that matched no saved partner cannot be judged.
            Err(_) if !out.contains(&LoanRefusal::PartnerId) => {
                out.push(LoanRefusal::PartnerId);
            }
            Err(_) => {}
        }
    }
    let open: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM loan_applications WHERE roster_id = $1
            AND status NOT IN ('closed', 'rejected', 'draft') AND id <> $2",
    )
    .bind(roster_id)
    .bind(ignore.unwrap_or(0))
    .fetch_one(&mut *conn)
    .await?;
    if open > 0 {
        out.push(LoanRefusal::OpenLoan);
    }
    Ok(out)
}

/// 422 naming the first refusal, every refusal under its field.
pub fn refused(all: &[LoanRefusal]) -> AppError {
    let first = all[0];
    let mut e = AppError::unprocessable_text(
        first.code(),
        first.message(Lang::Zh),
        first.message(Lang::En),
    );
    for r in all {
        e = e.with_field_text(r.field(), r.message(Lang::Zh), r.message(Lang::En));
    }
    e
}

/// Whether the signed-in member qualifies as asked, and the most they may
/// borrow: the same rules the server enforces on an application.
#[utoipa::path(
    post, path = "/api/loans/eligibility", tag = "loans",
    request_body = EligibilityInput,
    responses(
        (status = 200, description = "The answer", body = EligibilityAnswer),
        (status = 422, description = "A field is malformed", body = ErrorBody),
    )
)]
async fn eligibility(
    State(state): State<AppState>,
    user: CurrentUser,
    Json(input): Json<EligibilityInput>,
) -> AppResult<axum::Json<EligibilityAnswer>> {
    let roster_id = user.roster()?;
    loans::check_fields(&input, time::today()).map_err(|p| AppError::invalid(&p))?;
    // Each partner is an ID number checked against the roster: bounded per
    // member, so the pre-check is not a way to test numbers one by one.
    if !input.partners.is_empty() {
        crate::throttle::take(
            &state,
            &format!("partners:user:{}", user.id),
            crate::throttle::PARTNER_CHECKS_PER_MEMBER,
            time::now(),
        )
        .await?;
    }
    let who = applicant(&state, roster_id).await?;
    let mut conn = state.db.read().acquire().await?;
    let all = refusals(&state, &mut conn, roster_id, who.gender, &input, None).await?;
    let lang = current_lang();
    Ok(axum::Json(EligibilityAnswer {
        eligible: all.is_empty(),
        max_amount_fen: rules().max_amount(who.gender, &input),
        reasons: all.iter().map(|r| r.code().to_string()).collect(),
        messages: all.iter().map(|r| r.message(lang)).collect(),
    }))
}

/// Writes a draft's fields, only while it is still a draft (the state guard:
/// an edit racing a submit finds the row sent and changes nothing).
/// `false` when the row is no longer a draft.
async fn write_fields(
    state: &AppState,
    tx: &mut Transaction<'_, Any>,
    id: i64,
    input: &LoanInput,
) -> AppResult<bool> {
    let f = &input.facts;
    let old: Option<String> = sqlx::query_scalar(
        "SELECT partners_json FROM loan_applications WHERE id = $1 AND status = 'draft'",
    )
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?;
    let Some(old) = old else { return Ok(false) };
    let partners = seal_partners(state, &f.partners, &stored_partners(state, &old))?;
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
    .bind(time::now())
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Adds a step to a loan's timeline.
pub async fn event(
    tx: &mut Transaction<'_, Any>,
    loan_id: i64,
    status: LoanStatus,
    actor: i64,
    note: Option<&str>,
) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO loan_events (loan_id, status, at, actor_id, note) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(loan_id)
    .bind(status.as_str())
    .bind(time::now())
    .bind(actor)
    .bind(note)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Checks an application for sending: fields, then the rules.
async fn check_for_sending(
    state: &AppState,
    conn: &mut sqlx::AnyConnection,
    roster_id: i64,
    gender: Gender,
    input: &LoanInput,
    ignore: Option<i64>,
) -> AppResult<()> {
    input
        .check(time::today())
        .map_err(|p| AppError::invalid(&p))?;
    let all = refusals(state, conn, roster_id, gender, &input.facts, ignore).await?;
    if all.is_empty() {
        Ok(())
    } else {
        Err(refused(&all))
    }
}

fn open_loan() -> AppError {
    refused(&[LoanRefusal::OpenLoan])
}

/// The one-open-application key met: 422 `open_loan`; anything else as it is.
fn or_open_loan(e: sqlx::Error) -> AppError {
    if is_unique_violation(&e) {
        open_loan()
    } else {
        e.into()
    }
}

/// Applies (or saves the first step as a draft). A retry with the same
/// `Idempotency-Key` gets the first answer; two at once make one application.
#[utoipa::path(
    post, path = "/api/loans", operation_id = "create_loan", tag = "loans",
    request_body = LoanInput,
    params(("Idempotency-Key" = Option<String>, Header, description = "Same key, same answer")),
    responses(
        (status = 201, description = "Sent (status submitted) or saved (draft)", body = LoanView),
        (status = 422, description = "Field errors, or a reason code such as over_cap or open_loan", body = ErrorBody),
    )
)]
async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Json(input): Json<LoanInput>,
) -> AppResult<Response> {
    let roster_id = user.roster()?;
    let key = idempotency::key(&headers, "POST /api/loans", &input);
    let mut tx = match idempotency::start(&state, user.id, key.as_ref()).await? {
        idempotency::Start::Act(tx) => tx,
        idempotency::Start::Replay(answer) => return Ok(answer),
    };
    let who = applicant(&state, roster_id).await?;
    if input.draft {
        input.check_draft().map_err(|p| AppError::invalid(&p))?;
    } else {
        check_for_sending(&state, &mut tx, roster_id, who.gender, &input, None).await?;
    }
    let now = time::now();
    let status = if input.draft {
        LoanStatus::Draft
    } else {
        LoanStatus::Submitted
    };
    // Inserted as a draft so the fields go through the one guarded writer,
    // then moved to its status in the same transaction.
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO loan_applications (roster_id, union_id, county_id, status, employment_status, business_kind,
            created_at, submitted_at, updated_at) VALUES ($1, $2, $3, 'draft', $4, $5, $6, $7, $6) RETURNING id",
    )
    .bind(roster_id)
    .bind(who.union_id)
    .bind(who.county_id)
    .bind(input.facts.employment_status.as_str())
    .bind(input.facts.business_kind.as_str())
    .bind(now)
    .bind((!input.draft).then_some(now))
    .fetch_one(&mut *tx)
    .await
    .map_err(or_open_loan)?;
    write_fields(&state, &mut tx, id, &input).await?;
    if status != LoanStatus::Draft {
        sqlx::query("UPDATE loan_applications SET status = $1 WHERE id = $2 AND status = 'draft'")
            .bind(status.as_str())
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(or_open_loan)?;
    }
    event(&mut tx, id, status, user.id, None).await?;
    audit::record(
        &mut tx,
        Entry {
            actor: Some(user.id),
            union_id: Some(who.union_id),
            action: if input.draft { AuditAction::LoanDraft } else { AuditAction::LoanSubmit },
            target: format!("loan:{id}"),
            before: None,
            after: Some(json!({"amount_fen": input.facts.amount_fen, "term_months": input.facts.term_months})),
        },
    )
    .await?;
    let view = loan_view(&mut tx, id, false).await?;
    idempotency::store(&mut tx, user.id, key.as_ref(), StatusCode::CREATED, &view).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, axum::Json(view)).into_response())
}

/// The member's own application; 404 for anyone else's.
async fn own(state: &AppState, user: &CurrentUser, id: i64) -> AppResult<(i64, LoanStatus)> {
    let roster_id = user.roster()?;
    let row = sqlx::query("SELECT roster_id, status FROM loan_applications WHERE id = $1")
        .bind(id)
        .fetch_optional(state.db.read())
        .await?
        .ok_or_else(AppError::not_found)?;
    if row.try_get::<i64, _>("roster_id")? != roster_id {
        return Err(AppError::not_found());
    }
    let status: String = row.try_get("status")?;
    Ok((
        roster_id,
        LoanStatus::from_db(&status).ok_or_else(|| AppError::internal("unknown status"))?,
    ))
}

/// Whether this person may see this application: its member, or an officer
/// over its union.
async fn may_see(state: &AppState, user: &CurrentUser, id: i64) -> AppResult<()> {
    let row = sqlx::query(
        "SELECT l.roster_id, l.status, u.path FROM loan_applications l JOIN unions u ON u.id = l.union_id WHERE l.id = $1",
    )
    .bind(id)
    .fetch_optional(state.db.read())
    .await?
    .ok_or_else(AppError::not_found)?;
    let own = user.role == Role::Member && user.roster_id == Some(row.try_get("roster_id")?);
    let officer = match Scope::of(state, user).await {
        Ok(scope) => {
            scope.covers(&row.try_get::<String, _>("path")?)
                && row.try_get::<String, _>("status")? != "draft"
        }
        Err(_) => false,
    };
    if own || officer {
        Ok(())
    } else {
        Err(AppError::not_found())
    }
}

/// An application with its timeline: its member, or an officer over it.
#[utoipa::path(
    get, path = "/api/loans/{id}", tag = "loans",
    params(("id" = i64, Path, description = "Application id")),
    responses(
        (status = 200, description = "The application and its timeline", body = LoanView),
        (status = 404, description = "Not one you may see", body = ErrorBody),
    )
)]
async fn get_loan(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<axum::Json<LoanView>> {
    may_see(&state, &user, id).await?;
    let officer = user.role != Role::Member;
    let mut conn = state.db.read().acquire().await?;
    Ok(axum::Json(loan_view(&mut conn, id, officer).await?))
}

/// Saves a step of a draft.
#[utoipa::path(
    put, path = "/api/loans/{id}", tag = "loans",
    params(("id" = i64, Path, description = "Application id")),
    request_body = LoanInput,
    responses(
        (status = 200, description = "Saved", body = LoanView),
        (status = 404, description = "Not yours", body = ErrorBody),
        (status = 409, description = "Already sent", body = ErrorBody),
    )
)]
async fn update_draft(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Json(input): Json<LoanInput>,
) -> AppResult<axum::Json<LoanView>> {
    let (_, status) = own(&state, &user, id).await?;
    if status != LoanStatus::Draft {
        return Err(already_sent());
    }
    input.check_draft().map_err(|p| AppError::invalid(&p))?;
    let mut tx = state.db.write().begin().await?;
    if !write_fields(&state, &mut tx, id, &input).await? {
        return Err(already_sent());
    }
    let view = loan_view(&mut tx, id, false).await?;
    tx.commit().await?;
    Ok(axum::Json(view))
}

fn already_sent() -> AppError {
    AppError::conflict(
        "already_sent",
        "申请已提交，不能再修改",
        "This application has been sent and can no longer be changed",
    )
}

/// Sends a draft. Sending again (a double tap, a retry) answers with the
/// application as it is: it is sent once.
#[utoipa::path(
    post, path = "/api/loans/{id}/submit", tag = "loans",
    params(("id" = i64, Path, description = "Application id")),
    responses(
        (status = 200, description = "Sent", body = LoanView),
        (status = 404, description = "Not yours", body = ErrorBody),
        (status = 422, description = "Field errors or reason codes", body = ErrorBody),
    )
)]
async fn submit(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<axum::Json<LoanView>> {
    let (roster_id, status) = own(&state, &user, id).await?;
    if status != LoanStatus::Draft {
        let mut conn = state.db.read().acquire().await?;
        return Ok(axum::Json(loan_view(&mut conn, id, false).await?));
    }
    let who = applicant(&state, roster_id).await?;
    let mut tx = state.db.write().begin().await?;
    // Hold the draft for the rest of the transaction, then judge the row as
    // it is now: an edit arriving meanwhile waits and then finds it sent.
    if !crate::store::lock_row(&mut tx, "loan_applications", id).await? {
        return Err(AppError::not_found());
    }
    let current = stored_input(&state, &mut tx, id).await?;
    if current.draft {
        check_for_sending(&state, &mut tx, roster_id, who.gender, &current, Some(id)).await?;
    }
    let moved = sqlx::query(
        "UPDATE loan_applications SET status = 'submitted', submitted_at = $1 WHERE id = $2 AND status = 'draft'",
    )
    .bind(time::now())
    .bind(id)
    .execute(&mut *tx)
    .await?;
    if moved.rows_affected() == 1 {
        event(&mut tx, id, LoanStatus::Submitted, user.id, None).await?;
        audit::record(
            &mut tx,
            Entry {
                actor: Some(user.id),
                union_id: Some(who.union_id),
                action: AuditAction::LoanSubmit,
                target: format!("loan:{id}"),
                before: Some(json!({"status": "draft"})),
                after: Some(json!({"status": "submitted"})),
            },
        )
        .await?;
    }
    let view = loan_view(&mut tx, id, false).await?;
    tx.commit().await?;
    Ok(axum::Json(view))
}

/// The member's applications and loans, newest first.
#[utoipa::path(
    get, path = "/api/me/loans", tag = "loans",
    responses((status = 200, description = "My applications", body = Page<LoanView>))
)]
async fn my_loans(
    State(state): State<AppState>,
    user: CurrentUser,
) -> AppResult<axum::Json<Page<LoanView>>> {
    let roster_id = user.roster()?;
    let ids: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM loan_applications WHERE roster_id = $1 ORDER BY id DESC",
    )
    .bind(roster_id)
    .fetch_all(state.db.read())
    .await?;
    let mut conn = state.db.read().acquire().await?;
    let mut items = Vec::with_capacity(ids.len());
    for id in ids {
        items.push(loan_view(&mut conn, id, false).await?);
    }
    Ok(axum::Json(Page::whole(items)))
}

/// The repayment schedule of a loan that has been paid out.
#[utoipa::path(
    get, path = "/api/loans/{id}/schedule", tag = "loans",
    params(("id" = i64, Path, description = "Application id")),
    responses(
        (status = 200, description = "Month by month, with the interest subsidy", body = Schedule),
        (status = 404, description = "Not one you may see", body = ErrorBody),
        (status = 409, description = "Not paid out yet", body = ErrorBody),
    )
)]
async fn get_schedule(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<axum::Json<Schedule>> {
    may_see(&state, &user, id).await?;
    let row = sqlx::query(
        "SELECT amount_fen, term_months, disbursed_on FROM loan_applications WHERE id = $1",
    )
    .bind(id)
    .fetch_one(state.db.read())
    .await?;
    let disbursed: Option<String> = row.try_get("disbursed_on")?;
    let Some(on) = disbursed.as_deref().and_then(Date::parse_iso) else {
        return Err(AppError::conflict(
            "not_disbursed",
            "贷款尚未发放，还没有还款计划",
            "The loan has not been paid out yet",
        ));
    };
    Ok(axum::Json(loans::schedule(
        row.try_get("amount_fen")?,
        row.try_get("term_months")?,
        on,
        &rules(),
    )))
}

/// Adds a document (JPEG, PNG or PDF, at most 10 MB) to the member's own
/// application before it is paid out.
#[utoipa::path(
    post, path = "/api/loans/{id}/documents", operation_id = "add_loan_document", tag = "loans",
    params(("id" = i64, Path, description = "Application id")),
    request_body(content = String, content_type = "multipart/form-data", description = "One file field"),
    responses(
        (status = 201, description = "Stored", body = DocumentView),
        (status = 404, description = "Not yours", body = ErrorBody),
        (status = 409, description = "Already decided", body = ErrorBody),
        (status = 413, description = "Over 10 MB", body = ErrorBody),
        (status = 422, description = "Not a JPEG, PNG or PDF", body = ErrorBody),
    )
)]
async fn add_document(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    form: axum::extract::Multipart,
) -> AppResult<(StatusCode, axum::Json<DocumentView>)> {
    let (_, status) = own(&state, &user, id).await?;
    if !matches!(
        status,
        LoanStatus::Draft | LoanStatus::Submitted | LoanStatus::UnionApproved
    ) {
        return Err(AppError::conflict(
            "loan_decided",
            "该申请已办理完毕，不能再添加材料",
            "Documents can no longer be added",
        ));
    }
    let doc = documents::LOANS.attach(&state, form, id).await?;
    Ok((StatusCode::CREATED, axum::Json(doc)))
}

/// A document: for its member and the officers over the member's union.
#[utoipa::path(
    get, path = "/api/loans/{id}/documents/{doc}", operation_id = "get_loan_document", tag = "loans",
    params(
        ("id" = i64, Path, description = "Application id"),
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
    may_see(&state, &user, id).await?;
    documents::LOANS.serve(&state, id, doc).await
}

/// An application as its member (or, with `for_officer`, an officer) sees it.
pub async fn loan_view(
    conn: &mut sqlx::AnyConnection,
    id: i64,
    for_officer: bool,
) -> AppResult<LoanView> {
    let r = sqlx::query(
        "SELECT l.*, r.name AS applicant, r.gender, c.name AS county, c.phone AS county_phone
           FROM loan_applications l JOIN roster_entries r ON r.id = l.roster_id JOIN unions c ON c.id = l.county_id
          WHERE l.id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(AppError::not_found)?;
    let status: String = r.try_get("status")?;
    let status =
        LoanStatus::from_db(&status).ok_or_else(|| AppError::internal("unknown status"))?;
    let partners = masked_partners(&r.try_get::<String, _>("partners_json")?);
    let facts = EligibilityInput {
        employment_status: EmploymentStatus::from_db(&r.try_get::<String, _>("employment_status")?)
            .unwrap_or_default(),
        college_graduate: r.try_get::<i64, _>("college_graduate")? != 0,
        local_hukou: r.try_get::<i64, _>("local_hukou")? != 0,
        residence_years: r.try_get("residence_years")?,
        business_kind: BusinessKind::from_db(&r.try_get::<String, _>("business_kind")?)
            .unwrap_or_default(),
        business_started_on: r.try_get("business_started_on")?,
        amount_fen: r.try_get("amount_fen")?,
        term_months: r.try_get("term_months")?,
        partners,
    };
    let gender = if r.try_get::<String, _>("gender")? == "female" {
        Gender::Female
    } else {
        Gender::Male
    };
    let documents = documents::LOANS.list(&mut *conn, id).await?;
    let timeline = sqlx::query(
        "SELECT e.status, e.at, e.note, u.name, u.role FROM loan_events e LEFT JOIN users u ON u.id = e.actor_id
          WHERE e.loan_id = $1 ORDER BY e.id",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|e| {
        let s: String = e.try_get("status")?;
        let role: Option<String> = e.try_get("role")?;
        let name: Option<String> = e.try_get("name")?;
        Ok(LoanEvent {
            status: LoanStatus::from_db(&s).ok_or_else(|| AppError::internal("unknown status"))?,
            at: time::rfc3339(e.try_get("at")?),
            by: match role.as_deref() {
                Some("member") | None => current_lang().pick("申请人", "Applicant").to_string(),
                _ => name.unwrap_or_default(),
            },
            note: e.try_get("note")?,
        })
    })
    .collect::<AppResult<Vec<_>>>()?;
    let applicant: String = r.try_get("applicant")?;
    Ok(LoanView {
        id,
        status,
        max_amount_fen: rules().max_amount(gender, &facts),
        input: LoanInput {
            facts,
            business_name: r.try_get("business_name")?,
            business_address: r.try_get("business_address")?,
            purpose: r.try_get("purpose")?,
            draft: status == LoanStatus::Draft,
        },
        applicant: if for_officer {
            applicant
        } else {
            mask_name(&applicant)
        },
        county: r.try_get("county")?,
        county_phone: r.try_get("county_phone")?,
        disbursed_on: r.try_get("disbursed_on")?,
        documents,
        timeline,
        next_step: status.next_step(current_lang()).to_string(),
    })
}
