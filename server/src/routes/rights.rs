//! Rights cases (维权): a member, or a worker with no account (name, phone
//! and ID number, rate-limited like joining), reports a dispute; it goes to
//! the union over the employer's workplace union, or to the district union
//! where the employer is. Co-workers join a collective case with its join
//! code. Officers of that union (and above) triage it, assign a lawyer and
//! record steps; a lawyer sees and works only the cases assigned to them.
//! Every worker with an account is told of each step in their inbox.

use axum::extract::{Multipart, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use rand::Rng;
use serde::Deserialize;
use serde_json::json;
use unioncard_api::aid::DocumentView;
use unioncard_api::audit::AuditAction;
use unioncard_api::auth::Role;
use unioncard_api::error::FieldProblems;
use unioncard_api::identity::{IdNumber, PersonName, Phone};
use unioncard_api::inbox::Letter;
use unioncard_api::join::Page;
use unioncard_api::money::MAX_FEN;
use unioncard_api::rights::{
    arbitration_deadline, case_number, AssignInput, CaseActions, CaseInput, CaseKind, CaseLookup,
    CaseStatus, CaseView, ContactView, JoinCaseInput, LawyerView, RightsRefusal, StepInput,
    StepKind, StepView, Triage, TriageInput, DEADLINE_WARNING_DAYS, JOIN_CODE_CHARS,
};
use unioncard_api::{ErrorBody, Lang};
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::audit::{self, Entry};
use crate::documents::RIGHTS;
use crate::error::{AppError, AppResult};
use crate::extract::{ClientAddr, CurrentUser, Json, Officer};
use crate::scope::Scope;
use crate::store::rights::{CaseRow, NewCase, NewWorker, QueueFilter};
use crate::store::{is_unique_violation, Conn};
use crate::{idempotency, store, time, AppState};

/// The rights routes: the worker's and the desk's.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(districts))
        .routes(routes!(report))
        .routes(routes!(join))
        .routes(routes!(lookup))
        .routes(routes!(mine))
        .routes(routes!(one))
        .routes(routes!(add_document))
        .routes(routes!(document))
        .routes(routes!(queue))
        .routes(routes!(triage))
        .routes(routes!(lawyers))
        .routes(routes!(assign))
        .routes(routes!(add_step))
        .routes(routes!(contact))
}

/// Who is reading a case, and so what they see and may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Reader {
    /// One of its workers.
    Worker,
    /// An officer (or administrator) over its union.
    Officer,
    /// The lawyer assigned to it.
    Lawyer,
}

/// Who `user` is to the case; 404 for anyone else (as if it did not exist).
async fn reader_of(
    state: &AppState,
    conn: &mut Conn,
    user: &CurrentUser,
    row: &CaseRow,
) -> AppResult<Reader> {
    match user.role {
        Role::Officer | Role::Admin => {
            let scope = Scope::of(state, user).await?;
            if scope.covers(&row.union_path) {
                return Ok(Reader::Officer);
            }
        }
        Role::Lawyer if row.lawyer_id == Some(user.id) => return Ok(Reader::Lawyer),
        Role::Member if store::rights::is_worker(conn, row.id, user.id).await? => {
            return Ok(Reader::Worker)
        }
        _ => {}
    }
    Err(AppError::not_found())
}

/// Loads a case with who `user` is to it; 404 when there is no such case
/// or it is not theirs to see.
async fn readable(
    state: &AppState,
    conn: &mut Conn,
    user: &CurrentUser,
    id: i64,
) -> AppResult<(CaseRow, Reader)> {
    let row = store::rights::one(conn, id)
        .await?
        .ok_or_else(AppError::not_found)?;
    let reader = reader_of(state, conn, user, &row).await?;
    Ok((row, reader))
}

/// The year a case was reported in China, for its number.
fn year_of(unix: i64) -> i32 {
    i32::from(unioncard_api::identity::Date::from_days(time::china_day(unix)).year)
}

/// A step's stored name as the timeline shows it: the step kinds' own
/// words, or the case's own events.
fn step_note(kind: &str, note: String) -> String {
    if note.is_empty() {
        StepKind::from_db(kind)
            .map(|k| k.label(Lang::Zh).to_string())
            .unwrap_or_default()
    } else {
        note
    }
}

/// Builds the view of a case for `reader` (`None`: its worker without an
/// account, found by phone and ID number).
async fn view_of(
    state: &AppState,
    conn: &mut Conn,
    row: CaseRow,
    reader: Option<Reader>,
) -> AppResult<CaseView> {
    let status = row.status()?;
    let kind = CaseKind::from_db(&row.kind).ok_or_else(|| AppError::internal("unknown kind"))?;
    let staff = matches!(reader, Some(Reader::Officer | Reader::Lawyer));
    let steps = store::rights::steps(conn, row.id)
        .await?
        .into_iter()
        .map(|s| StepView {
            note: step_note(&s.kind, s.note),
            kind: s.kind,
            recovered_fen: s.recovered_fen,
            by: s.by_name,
            at: time::rfc3339(s.at),
        })
        .collect();
    // Found by phone and ID number alone (no account): the timeline and
    // who to call, but not the account of the facts or the evidence, which
    // whoever knows those two numbers (an employer) should not read.
    let documents = if reader.is_some() {
        RIGHTS
            .list_many(conn, &[row.id])
            .await?
            .remove(&row.id)
            .unwrap_or_default()
    } else {
        Vec::new()
    };
    let reporter = if staff {
        store::rights::reporter(conn, row.id).await?
    } else {
        None
    };
    let lawyer_phone = match &row.lawyer_phone_enc {
        Some(enc) => Some(state.crypto.decrypt(enc)?),
        None => None,
    };
    let deadline = match (&row.dispute_on, staff) {
        (Some(d), true) => unioncard_api::identity::Date::parse_iso(d)
            .map(|d| arbitration_deadline(d, time::today(), status, row.arbitration_filed == 1)),
        _ => None,
    };
    let in_hand = status == CaseStatus::InProgress;
    Ok(CaseView {
        id: row.id,
        number: case_number(year_of(row.created_at), row.id),
        kind,
        status,
        employer_name: row.employer_name,
        employer_credit_code: row.credit_code,
        district: row.district,
        address: row.address,
        facts: if reader.is_some() {
            row.facts
        } else {
            String::new()
        },
        amount_fen: row.amount_fen,
        workers: row.workers,
        joined: row.joined,
        collective: row.workers > 1,
        dispute_on: row.dispute_on,
        union_name: row.union_name,
        lawyer_name: row.lawyer_name,
        lawyer_phone,
        referred_to: row.referred_to,
        referred_phone: row.referred_phone,
        decline_reason: row.decline_reason,
        recovered_fen: row.recovered_fen,
        // For the workers to pass on; the desk has no use for it.
        join_code: (status.is_open() && !staff).then_some(row.join_code),
        reporter: reporter.as_ref().map(|r| r.0.clone()),
        reporter_phone: reporter.map(|r| r.1),
        deadline,
        steps,
        documents,
        created_at: time::rfc3339(row.created_at),
        you_may: CaseActions {
            triage: reader == Some(Reader::Officer) && status == CaseStatus::Submitted,
            assign: reader == Some(Reader::Officer) && in_hand,
            record: matches!(reader, Some(Reader::Officer | Reader::Lawyer)) && in_hand,
        },
    })
}

/// Loads a case and builds its view for `reader`.
async fn load(
    state: &AppState,
    conn: &mut Conn,
    id: i64,
    reader: Option<Reader>,
) -> AppResult<CaseView> {
    let row = store::rights::one(conn, id)
        .await?
        .ok_or_else(AppError::not_found)?;
    view_of(state, conn, row, reader).await
}

/// A worker's identity: the signed-in member's own, or the three fields of
/// someone without an account (checked, and rate-limited per client and ID
/// number like joining a union).
async fn identity(
    state: &AppState,
    addr: &str,
    user: Option<&CurrentUser>,
    name: Option<&str>,
    phone: Option<&str>,
    id_number: Option<&str>,
) -> AppResult<(Option<i64>, Identity)> {
    if let Some(user) = user.filter(|u| u.role == Role::Member) {
        let m = store::rights::member_identity(&mut *state.db.reader().await?, user.id)
            .await?
            .ok_or(unioncard_api::auth::AccessRefusal::MembersOnly)?;
        // A member's own allowance, not the per-ID-number one: someone who
        // knows the member's ID number must not be able to lock them out.
        crate::throttle::take(
            state,
            &format!("rights:user:{}", user.id),
            crate::throttle::PROBES_PER_ID,
            time::now(),
        )
        .await?;
        let _ = addr;
        return Ok((
            Some(user.id),
            Identity {
                name: m.name,
                id_enc: m.id_enc,
                id_hash: m.id_hash,
                id_masked: m.id_masked,
                phone_enc: m.phone_enc,
                phone_hash: m.phone_hash,
                phone_masked: m.phone_masked,
            },
        ));
    }
    if [name, phone, id_number]
        .iter()
        .all(|f| f.is_none_or(|s| s.trim().is_empty()))
    {
        return Err(RightsRefusal::Identity.into());
    }
    let mut p = FieldProblems::default();
    let name = p.check("name", PersonName::parse(name.unwrap_or("")));
    let phone = p.check("phone", Phone::parse(phone.unwrap_or("")));
    let id = p.check("id_number", IdNumber::parse(id_number.unwrap_or("")));
    let (Some(name), Some(phone), Some(id)) = (name, phone, id) else {
        return Err(AppError::invalid(&p));
    };
    let id_hash = state.crypto.lookup_hash("id", id.expose());
    crate::routes::auth::probe(state, addr, &id_hash).await?;
    Ok((
        None,
        Identity {
            name: name.as_str().to_string(),
            id_enc: state.crypto.encrypt(id.expose()),
            id_hash,
            id_masked: id.masked(),
            phone_enc: state.crypto.encrypt(phone.expose()),
            phone_hash: state.crypto.lookup_hash("phone", phone.expose()),
            phone_masked: phone.masked(),
        },
    ))
}

/// A worker's identity, encrypted and hashed.
struct Identity {
    name: String,
    id_enc: String,
    id_hash: String,
    id_masked: String,
    phone_enc: String,
    phone_hash: String,
    phone_masked: String,
}

impl Identity {
    fn worker(&self, user_id: Option<i64>) -> NewWorker<'_> {
        NewWorker {
            user_id,
            name: &self.name,
            id_enc: &self.id_enc,
            id_hash: &self.id_hash,
            id_masked: &self.id_masked,
            phone_enc: &self.phone_enc,
            phone_hash: &self.phone_hash,
            phone_masked: &self.phone_masked,
        }
    }
}

/// A join code: letters and digits that cannot be misread for each other.
pub(crate) fn join_code() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::thread_rng();
    (0..JOIN_CODE_CHARS)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect()
}

/// The districts a report may name (those with a district union).
#[utoipa::path(
    get, path = "/api/rights/districts", operation_id = "rights_districts", tag = "rights",
    responses((status = 200, description = "District names", body = Vec<String>))
)]
async fn districts(State(state): State<AppState>) -> AppResult<axum::Json<Vec<String>>> {
    Ok(axum::Json(
        store::rights::districts(&mut *state.db.reader().await?).await?,
    ))
}

/// Reports a dispute. Signed in as a member, the member's own identity is
/// used; otherwise `name`, `phone` and `id_number` are required.
#[utoipa::path(
    post, path = "/api/rights/cases", operation_id = "report_rights_case", tag = "rights",
    request_body = CaseInput,
    params(("Idempotency-Key" = Option<String>, Header, description = "Same key, same answer (signed-in members)")),
    responses(
        (status = 201, description = "Received; the union will call", body = CaseView),
        (status = 422, description = "A field is wrong (`fields`), no identity, or an unknown district", body = ErrorBody),
        (status = 429, description = "Too many reports from this client or for this ID number", body = ErrorBody),
    )
)]
async fn report(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    user: Option<CurrentUser>,
    headers: HeaderMap,
    Json(input): Json<CaseInput>,
) -> AppResult<Response> {
    let case = input
        .parse(time::today())
        .map_err(|p| AppError::invalid(&p))?;
    let (user_id, who) = identity(
        &state,
        &addr,
        user.as_ref(),
        input.name.as_deref(),
        input.phone.as_deref(),
        input.id_number.as_deref(),
    )
    .await?;
    let union_id = store::rights::route(
        &mut *state.db.reader().await?,
        &case.employer_name,
        case.district.as_deref(),
    )
    .await?
    .ok_or(RightsRefusal::UnknownDistrict)?;
    let now = time::now();
    let code = join_code();
    // A member's retry (a double tap, a lost answer) with the same
    // Idempotency-Key gets the first answer, not a second case.
    let key = user_id.and_then(|_| idempotency::key(&headers, "POST /api/rights/cases", &input));
    let mut tx = match user_id {
        Some(u) => match idempotency::start(&state, u, key.as_ref()).await? {
            idempotency::Start::Act(tx) => tx,
            idempotency::Start::Replay(answer) => return Ok(answer),
        },
        None => state.db.begin().await?,
    };
    let id = store::rights::insert_case(
        &mut tx,
        &NewCase {
            union_id,
            kind: case.kind.as_str(),
            employer_name: &case.employer_name,
            credit_code: case.credit_code.as_deref(),
            district: case.district.as_deref(),
            address: &case.address,
            facts: &case.facts,
            amount_fen: case.amount_fen,
            workers: case.workers,
            dispute_on: case.dispute_on.map(|d| d.iso()),
            join_code: &code,
        },
        now,
    )
    .await?;
    store::rights::insert_worker(&mut tx, id, &who.worker(user_id), true, now).await?;
    store::rights::add_step(&mut tx, id, "submitted", "提交维权申请", 0, None, now).await?;
    audit::record(
        &mut tx,
        Entry {
            actor: user_id,
            union_id: Some(union_id),
            action: AuditAction::RightsReport,
            target: format!("rights_case:{id}"),
            before: None,
            after: Some(json!({"kind": case.kind.as_str(), "workers": case.workers, "reporter": who.id_masked})),
        },
    )
    .await?;
    let view = load(&state, &mut tx, id, Some(Reader::Worker)).await?;
    if let Some(u) = user_id {
        idempotency::store(&mut tx, u, key.as_ref(), StatusCode::CREATED, &view).await?;
    }
    tx.commit().await?;
    Ok((StatusCode::CREATED, axum::Json(view)).into_response())
}

/// A co-worker joins a collective case with its join code.
#[utoipa::path(
    post, path = "/api/rights/cases/{id}/join", operation_id = "join_rights_case", tag = "rights",
    params(("id" = i64, Path, description = "The case")),
    request_body = JoinCaseInput,
    responses(
        (status = 201, description = "On the case", body = CaseView),
        (status = 404, description = "`wrong_join_code`: no open case with this code", body = ErrorBody),
        (status = 409, description = "`already_joined`", body = ErrorBody),
        (status = 422, description = "No identity, or a field is wrong", body = ErrorBody),
        (status = 429, description = "Too many tries", body = ErrorBody),
    )
)]
async fn join(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    user: Option<CurrentUser>,
    Path(id): Path<i64>,
    Json(input): Json<JoinCaseInput>,
) -> AppResult<(StatusCode, axum::Json<CaseView>)> {
    let (user_id, who) = identity(
        &state,
        &addr,
        user.as_ref(),
        input.name.as_deref(),
        input.phone.as_deref(),
        input.id_number.as_deref(),
    )
    .await?;
    let code = input.code.trim().to_ascii_uppercase();
    let now = time::now();
    let mut tx = state.db.begin().await?;
    store::lock_row(&mut tx, "rights_cases", id).await?;
    let row = store::rights::one(&mut tx, id)
        .await?
        .filter(|r| r.join_code == code && r.status().is_ok_and(CaseStatus::is_open))
        .ok_or(RightsRefusal::WrongCode)?;
    if row.joined >= unioncard_api::rights::MAX_WORKERS {
        return Err(AppError::invalid(&FieldProblems(vec![(
            "code",
            unioncard_api::error::FieldProblem::TooLarge,
        )])));
    }
    store::rights::insert_worker(&mut tx, id, &who.worker(user_id), false, now)
        .await
        .map_err(|e| {
            if is_unique_violation(&e) {
                AppError::from(RightsRefusal::AlreadyJoined)
            } else {
                e.into()
            }
        })?;
    store::rights::add_step(
        &mut tx,
        id,
        "joined",
        &format!("{} 加入案件", unioncard_api::identity::mask_name(&who.name)),
        0,
        None,
        now,
    )
    .await?;
    audit::record(
        &mut tx,
        Entry {
            actor: user_id,
            union_id: Some(row.union_id),
            action: AuditAction::RightsJoin,
            target: format!("rights_case:{id}"),
            before: None,
            after: Some(json!({"joined": who.id_masked})),
        },
    )
    .await?;
    tx.commit().await?;
    let view = load(
        &state,
        &mut *state.db.reader().await?,
        id,
        Some(Reader::Worker),
    )
    .await?;
    Ok((StatusCode::CREATED, axum::Json(view)))
}

/// The cases someone without an account reported or joined, found by the
/// phone and ID number they gave.
#[utoipa::path(
    post, path = "/api/rights/cases/lookup", operation_id = "lookup_rights_cases", tag = "rights",
    request_body = CaseLookup,
    responses(
        (status = 200, description = "Their cases, newest first", body = Page<CaseView>),
        (status = 404, description = "No case with this phone and ID number", body = ErrorBody),
        (status = 429, description = "Too many look-ups", body = ErrorBody),
    )
)]
async fn lookup(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    Json(req): Json<CaseLookup>,
) -> AppResult<axum::Json<Page<CaseView>>> {
    // Malformed input matches nothing: the same 404, nothing learned.
    let (Ok(phone), Ok(id)) = (Phone::parse(&req.phone), IdNumber::parse(&req.id_number)) else {
        return Err(AppError::not_found());
    };
    let id_hash = state.crypto.lookup_hash("id", id.expose());
    crate::routes::auth::probe(&state, &addr, &id_hash).await?;
    let mut conn = state.db.reader().await?;
    let rows = store::rights::of_person(
        &mut conn,
        &id_hash,
        &state.crypto.lookup_hash("phone", phone.expose()),
    )
    .await?;
    if rows.is_empty() {
        return Err(AppError::not_found());
    }
    let mut items = Vec::with_capacity(rows.len());
    for r in rows {
        items.push(view_of(&state, &mut conn, r, None).await?);
    }
    Ok(axum::Json(Page::whole(items)))
}

/// The signed-in member's cases (reported or joined), newest first.
#[utoipa::path(
    get, path = "/api/me/rights/cases", operation_id = "my_rights_cases", tag = "rights",
    responses(
        (status = 200, description = "My cases", body = Page<CaseView>),
        (status = 401, description = "Not signed in", body = ErrorBody),
    )
)]
async fn mine(
    State(state): State<AppState>,
    user: CurrentUser,
) -> AppResult<axum::Json<Page<CaseView>>> {
    user.roster()?;
    // Cases reported without an account, with this member's ID number and
    // phone, become the account's (once; then nothing to do).
    // A read first: the list is read often, and the writer is taken only on
    // the rare visit that has something to claim.
    let mut conn = state.db.reader().await?;
    if let Some(m) = store::rights::member_identity(&mut conn, user.id).await? {
        if store::rights::has_unclaimed(&mut conn, &m.id_hash, &m.phone_hash).await? {
            let mut tx = state.db.begin().await?;
            store::rights::claim_for_member(&mut tx, user.id, &m.id_hash, &m.phone_hash).await?;
            tx.commit().await?;
        }
    }
    let rows = store::rights::of_member(&mut conn, user.id).await?;
    let mut items = Vec::with_capacity(rows.len());
    for r in rows {
        items.push(view_of(&state, &mut conn, r, Some(Reader::Worker)).await?);
    }
    Ok(axum::Json(Page::whole(items)))
}

/// One case, with its timeline and `recovered_fen`: for its workers, the
/// officers over its union and its lawyer.
#[utoipa::path(
    get, path = "/api/rights/cases/{id}", operation_id = "rights_case", tag = "rights",
    params(("id" = i64, Path, description = "The case")),
    responses(
        (status = 200, description = "The case", body = CaseView),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "Not a case you may see", body = ErrorBody),
    )
)]
async fn one(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<axum::Json<CaseView>> {
    let mut conn = state.db.reader().await?;
    let (row, reader) = readable(&state, &mut conn, &user, id).await?;
    Ok(axum::Json(
        view_of(&state, &mut conn, row, Some(reader)).await?,
    ))
}

/// Adds evidence (a photo or PDF) while the case is open: its workers with
/// an account, its lawyer, the officers over it.
#[utoipa::path(
    post, path = "/api/rights/cases/{id}/documents", operation_id = "add_rights_document", tag = "rights",
    params(("id" = i64, Path, description = "The case")),
    request_body(content = String, content_type = "multipart/form-data", description = "One file field"),
    responses(
        (status = 201, description = "Stored", body = DocumentView),
        (status = 404, description = "Not a case you may see", body = ErrorBody),
        (status = 409, description = "The case is closed", body = ErrorBody),
        (status = 413, description = "Over 10 MB", body = ErrorBody),
        (status = 422, description = "Not a JPEG, PNG or PDF; or too many documents", body = ErrorBody),
    )
)]
async fn add_document(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    form: Multipart,
) -> AppResult<(StatusCode, axum::Json<DocumentView>)> {
    {
        let mut conn = state.db.reader().await?;
        readable(&state, &mut conn, &user, id).await?;
    }
    let doc = RIGHTS.attach(&state, form, id).await?;
    Ok((StatusCode::CREATED, axum::Json(doc)))
}

/// A case's document, for whoever may see the case.
#[utoipa::path(
    get, path = "/api/rights/cases/{id}/documents/{doc}", operation_id = "get_rights_document", tag = "rights",
    params(("id" = i64, Path, description = "The case"), ("doc" = i64, Path, description = "Document id")),
    responses(
        (status = 200, description = "The file's bytes"),
        (status = 404, description = "Not one you may see", body = ErrorBody),
    )
)]
async fn document(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, doc)): Path<(i64, i64)>,
) -> AppResult<Response> {
    {
        let mut conn = state.db.reader().await?;
        readable(&state, &mut conn, &user, id).await?;
    }
    RIGHTS.serve(&state, id, doc).await
}

/// The desk queue's filters.
#[derive(Debug, Deserialize, IntoParams)]
pub struct QueueQuery {
    /// One status: `submitted`, `in_progress`, `referred`, `declined`,
    /// `closed`.
    pub status: Option<String>,
    /// `true`: only open cases whose arbitration deadline is within 30
    /// days (or past) and nothing has been filed.
    pub warn: Option<bool>,
    /// From the previous page's `next_cursor`.
    pub cursor: Option<String>,
}

/// The last dispute date whose deadline warns today: a dispute on or
/// before it has at most [`DEADLINE_WARNING_DAYS`] left.
fn warn_disputes_by() -> String {
    warn_threshold(time::today()).iso()
}

/// The latest dispute day whose one-year deadline (`Date::add_months(12)`)
/// falls within [`DEADLINE_WARNING_DAYS`] of `today`: the same day a year
/// before the horizon, except that when the horizon is the last day of
/// February, the last day of the February before (29 February's deadline
/// is 28 February).
fn warn_threshold(today: unioncard_api::identity::Date) -> unioncard_api::identity::Date {
    use unioncard_api::identity::{days_in_month, Date};
    let horizon = today.add_days(DEADLINE_WARNING_DAYS);
    let year = horizon.year - 1;
    if horizon.month == 2 && horizon.day == days_in_month(horizon.year, 2) {
        return Date::new(year, 2, days_in_month(year, 2)).unwrap_or(horizon);
    }
    Date::new(year, horizon.month, horizon.day).unwrap_or(horizon)
}

#[cfg(test)]
mod tests {
    use super::warn_threshold;
    use unioncard_api::identity::Date;
    use unioncard_api::rights::{arbitration_deadline, CaseStatus};

    /// For every day of four years, the filter's threshold picks exactly the
    /// disputes the rule warns about.
    #[test]
    fn the_queue_filter_agrees_with_the_deadline_rule() {
        let start = Date::new(2023, 1, 1).unwrap();
        for t in 0..(4 * 366) {
            let today = start.add_days(t);
            let threshold = warn_threshold(today);
            for back in 300..420 {
                let dispute = today.add_days(-back);
                let warns =
                    arbitration_deadline(dispute, today, CaseStatus::InProgress, false).warn;
                assert_eq!(warns, dispute <= threshold, "{today:?} {dispute:?}");
            }
        }
    }
}

/// Cases for the desk, newest first, 50 a page: an officer's unions' (and
/// those below), or a lawyer's own.
#[utoipa::path(
    get, path = "/api/staff/rights/cases", operation_id = "rights_queue", tag = "rights",
    params(QueueQuery),
    responses(
        (status = 200, description = "Cases", body = Page<CaseView>),
        (status = 400, description = "A filter that does not read", body = ErrorBody),
        (status = 403, description = "Not an officer or a lawyer", body = ErrorBody),
    )
)]
async fn queue(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<QueueQuery>,
) -> AppResult<axum::Json<Page<CaseView>>> {
    let (like, lawyer, reader) = match user.role {
        Role::Lawyer => (None, Some(user.id), Reader::Lawyer),
        _ => (
            Some(Scope::of(&state, &user).await?.like()),
            None,
            Reader::Officer,
        ),
    };
    let status = match q.status.as_deref().filter(|s| !s.is_empty()) {
        Some(s) => Some(CaseStatus::from_db(s).ok_or_else(|| AppError::bad_param("status"))?),
        None => None,
    };
    let before = match q.cursor.as_deref().filter(|c| !c.is_empty()) {
        Some(c) => Some(c.parse().map_err(|_| AppError::bad_param("cursor"))?),
        None => None,
    };
    const PAGE: i64 = 50;
    let mut conn = state.db.reader().await?;
    let rows = store::rights::queue(
        &mut conn,
        &QueueFilter {
            like,
            lawyer,
            status,
            disputed_by: q.warn.unwrap_or(false).then(warn_disputes_by),
            before,
            limit: PAGE + 1,
        },
    )
    .await?;
    let next_cursor = (rows.len() as i64 > PAGE)
        .then(|| rows.get(PAGE as usize - 1).map(|r| r.id.to_string()))
        .flatten();
    let mut items = Vec::with_capacity(rows.len());
    for r in rows.into_iter().take(PAGE as usize) {
        items.push(view_of(&state, &mut conn, r, Some(reader)).await?);
    }
    Ok(axum::Json(Page { items, next_cursor }))
}

/// Loads a case for a change by an officer over its union (404 otherwise).
async fn officers_case(
    state: &AppState,
    tx: &mut Conn,
    scope: &Scope,
    id: i64,
) -> AppResult<CaseRow> {
    store::lock_row(tx, "rights_cases", id).await?;
    let _ = state;
    store::rights::one(tx, id)
        .await?
        .filter(|r| scope.covers(&r.union_path))
        .ok_or_else(AppError::not_found)
}

/// Triage: accept, refer (with the office's name and phone, which the
/// workers are shown) or decline (with the reason).
#[utoipa::path(
    post, path = "/api/staff/rights/cases/{id}/triage", operation_id = "triage_rights_case", tag = "rights",
    params(("id" = i64, Path, description = "The case")),
    request_body = TriageInput,
    responses(
        (status = 200, description = "Triaged", body = CaseView),
        (status = 404, description = "Not a case of your unions", body = ErrorBody),
        (status = 409, description = "`case_moved`: triaged already", body = ErrorBody),
        (status = 422, description = "What the decision needs is missing", body = ErrorBody),
    )
)]
async fn triage(
    State(state): State<AppState>,
    Officer { user, scope }: Officer,
    Path(id): Path<i64>,
    Json(input): Json<TriageInput>,
) -> AppResult<axum::Json<CaseView>> {
    let t = input.parse().map_err(|p| AppError::invalid(&p))?;
    let now = time::now();
    let mut tx = state.db.begin().await?;
    let row = officers_case(&state, &mut tx, &scope, id).await?;
    let to = t.status();
    let (referral, reason) = match &t {
        Triage::Accept => (None, None),
        Triage::Refer { office, phone } => (Some((office.as_str(), phone.as_str())), None),
        Triage::Decline { reason } => (None, Some(reason.as_str())),
    };
    if !store::rights::triage(&mut tx, id, to, referral, reason, now).await? {
        return Err(RightsRefusal::Moved.into());
    }
    let (step, note_zh, note_en) = match &t {
        Triage::Accept => (
            "accepted",
            format!("{}已受理", row.union_name),
            format!("{} took the case up", row.union_name),
        ),
        Triage::Refer { office, phone } => (
            "referred",
            format!("已转交{office}（电话 {phone}）"),
            format!("Referred to {office} (phone {phone})"),
        ),
        Triage::Decline { reason } => (
            "declined",
            format!("不予受理：{reason}"),
            format!("Not taken up: {reason}"),
        ),
    };
    store::rights::add_step(
        &mut tx,
        id,
        step,
        &note_zh,
        0,
        Some((user.id, &row.union_name)),
        now,
    )
    .await?;
    audit::record(
        &mut tx,
        Entry {
            actor: Some(user.id),
            union_id: Some(row.union_id),
            action: AuditAction::RightsTriage,
            target: format!("rights_case:{id}"),
            before: Some(json!({"status": "submitted"})),
            after: Some(
                json!({"status": to.as_str(), "office": referral.map(|r| r.0), "reason": reason}),
            ),
        },
    )
    .await?;
    let number = case_number(year_of(row.created_at), id);
    let letter = Letter::rights_case(
        &number,
        id,
        (to.label(Lang::Zh), to.label(Lang::En)),
        Some((note_zh, note_en)),
    );
    store::inbox::send_to_case_workers(&mut tx, id, user.id, &letter, now).await?;
    let view = load(&state, &mut tx, id, Some(Reader::Officer)).await?;
    tx.commit().await?;
    Ok(axum::Json(view))
}

/// The union lawyers and mediators the officer may assign.
#[utoipa::path(
    get, path = "/api/staff/rights/lawyers", operation_id = "rights_lawyers", tag = "rights",
    responses(
        (status = 200, description = "Lawyers", body = Vec<LawyerView>),
        (status = 403, description = "Not an officer", body = ErrorBody),
    )
)]
async fn lawyers(
    State(state): State<AppState>,
    Officer { scope, .. }: Officer,
) -> AppResult<axum::Json<Vec<LawyerView>>> {
    let rows = store::rights::lawyers(&mut *state.db.reader().await?, &scope.path).await?;
    Ok(axum::Json(
        rows.into_iter()
            .map(|l| LawyerView {
                id: l.id,
                name: l.name,
                union_name: l.union_name,
                open_cases: l.open_cases,
            })
            .collect(),
    ))
}

/// Assigns a union lawyer or mediator to a case in hand.
#[utoipa::path(
    post, path = "/api/staff/rights/cases/{id}/assign", operation_id = "assign_rights_case", tag = "rights",
    params(("id" = i64, Path, description = "The case")),
    request_body = AssignInput,
    responses(
        (status = 200, description = "Assigned", body = CaseView),
        (status = 404, description = "Not a case of your unions", body = ErrorBody),
        (status = 409, description = "`case_moved`: not in hand", body = ErrorBody),
        (status = 422, description = "`not_a_lawyer`", body = ErrorBody),
    )
)]
async fn assign(
    State(state): State<AppState>,
    Officer { user, scope }: Officer,
    Path(id): Path<i64>,
    Json(input): Json<AssignInput>,
) -> AppResult<axum::Json<CaseView>> {
    let now = time::now();
    let mut tx = state.db.begin().await?;
    let row = officers_case(&state, &mut tx, &scope, id).await?;
    let lawyer = store::rights::lawyers(&mut tx, &scope.path)
        .await?
        .into_iter()
        .find(|l| l.id == input.lawyer_id)
        .ok_or(RightsRefusal::NotALawyer)?;
    if !store::rights::assign(&mut tx, id, lawyer.id, now).await? {
        return Err(RightsRefusal::Moved.into());
    }
    let note = format!("工会律师 {} 承办", lawyer.name);
    store::rights::add_step(
        &mut tx,
        id,
        "assigned",
        &note,
        0,
        Some((user.id, &row.union_name)),
        now,
    )
    .await?;
    audit::record(
        &mut tx,
        Entry {
            actor: Some(user.id),
            union_id: Some(row.union_id),
            action: AuditAction::RightsAssign,
            target: format!("rights_case:{id}"),
            before: Some(json!({"lawyer_id": row.lawyer_id})),
            after: Some(json!({"lawyer_id": lawyer.id})),
        },
    )
    .await?;
    let letter = Letter::rights_case(
        &case_number(year_of(row.created_at), id),
        id,
        ("已指派律师", "A lawyer has your case"),
        Some((
            format!("{note}，可在案件页面查看联系电话"),
            format!(
                "Union lawyer {} has your case; their phone is on the case page",
                lawyer.name
            ),
        )),
    );
    store::inbox::send_to_case_workers(&mut tx, id, user.id, &letter, now).await?;
    let view = load(&state, &mut tx, id, Some(Reader::Officer)).await?;
    tx.commit().await?;
    Ok(axum::Json(view))
}

/// Records a step on a case in hand (an officer over it, or its lawyer):
/// a call, mediation, arbitration filed, an award or judgment, a note, or
/// the outcome (`closed`), with what was recovered.
#[utoipa::path(
    post, path = "/api/staff/rights/cases/{id}/steps", operation_id = "add_rights_step", tag = "rights",
    params(("id" = i64, Path, description = "The case")),
    request_body = StepInput,
    responses(
        (status = 200, description = "Recorded", body = CaseView),
        (status = 403, description = "Not an officer or the case's lawyer", body = ErrorBody),
        (status = 404, description = "Not a case you may see", body = ErrorBody),
        (status = 409, description = "`case_moved`: not in hand", body = ErrorBody),
        (status = 422, description = "A field is wrong, or the recovered total would pass the maximum", body = ErrorBody),
    )
)]
async fn add_step(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Json(input): Json<StepInput>,
) -> AppResult<axum::Json<CaseView>> {
    if !matches!(user.role, Role::Officer | Role::Admin | Role::Lawyer) {
        return Err(unioncard_api::auth::AccessRefusal::OfficersOnly.into());
    }
    let step = input.parse().map_err(|p| AppError::invalid(&p))?;
    let now = time::now();
    let mut tx = state.db.begin().await?;
    store::lock_row(&mut tx, "rights_cases", id).await?;
    let (row, reader) = readable(&state, &mut tx, &user, id).await?;
    if row.status()? != CaseStatus::InProgress {
        return Err(RightsRefusal::Moved.into());
    }
    if row.recovered_fen.saturating_add(step.recovered_fen) > MAX_FEN {
        return Err(RightsRefusal::TooMuch.into());
    }
    let close = step.kind == StepKind::Closed;
    if !store::rights::book_step(
        &mut tx,
        id,
        step.recovered_fen,
        MAX_FEN,
        step.kind == StepKind::ArbitrationFiled,
        close,
        now,
    )
    .await?
    {
        return Err(RightsRefusal::Moved.into());
    }
    let by = if reader == Reader::Lawyer {
        format!("工会律师 {}", user.name)
    } else {
        row.union_name.clone()
    };
    store::rights::add_step(
        &mut tx,
        id,
        step.kind.as_str(),
        &step.note,
        step.recovered_fen,
        Some((user.id, &by)),
        now,
    )
    .await?;
    audit::record(
        &mut tx,
        Entry {
            actor: Some(user.id),
            union_id: Some(row.union_id),
            action: AuditAction::RightsStep,
            target: format!("rights_case:{id}"),
            before: Some(json!({"recovered_fen": row.recovered_fen})),
            after: Some(json!({"step": step.kind.as_str(), "recovered_fen": row.recovered_fen + step.recovered_fen, "closed": close})),
        },
    )
    .await?;
    let money = unioncard_api::offers::yuan;
    let (zh, en) = if step.recovered_fen > 0 {
        (
            format!(
                "{}：{}（追回 {}）",
                step.kind.label(Lang::Zh),
                step.note,
                money(step.recovered_fen)
            ),
            format!(
                "{}: {} ({} recovered)",
                step.kind.label(Lang::En),
                step.note,
                money(step.recovered_fen)
            ),
        )
    } else {
        (
            format!("{}：{}", step.kind.label(Lang::Zh), step.note),
            format!("{}: {}", step.kind.label(Lang::En), step.note),
        )
    };
    let letter = Letter::rights_case(
        &case_number(year_of(row.created_at), id),
        id,
        (step.kind.label(Lang::Zh), step.kind.label(Lang::En)),
        Some((zh, en)),
    );
    store::inbox::send_to_case_workers(&mut tx, id, user.id, &letter, now).await?;
    let view = load(&state, &mut tx, id, Some(reader)).await?;
    tx.commit().await?;
    Ok(axum::Json(view))
}

/// The reporter's whole mobile number, for the officer over the case or its
/// lawyer to call them ("the union will call you"); everywhere else the
/// number is masked. Each look is audited.
#[utoipa::path(
    post, path = "/api/staff/rights/cases/{id}/contact", operation_id = "rights_case_contact", tag = "rights",
    params(("id" = i64, Path, description = "The case")),
    responses(
        (status = 200, description = "Name and whole number", body = ContactView),
        (status = 403, description = "Not an officer or lawyer", body = ErrorBody),
        (status = 404, description = "Not a case you may see", body = ErrorBody),
    )
)]
async fn contact(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<axum::Json<ContactView>> {
    if !matches!(user.role, Role::Officer | Role::Admin | Role::Lawyer) {
        return Err(unioncard_api::auth::AccessRefusal::OfficersOnly.into());
    }
    let mut tx = state.db.begin().await?;
    let (row, _) = readable(&state, &mut tx, &user, id).await?;
    let (name, phone_enc) = store::rights::reporter_contact(&mut tx, id)
        .await?
        .ok_or_else(AppError::not_found)?;
    let phone = state.crypto.decrypt(&phone_enc)?;
    audit::record(
        &mut tx,
        Entry {
            actor: Some(user.id),
            union_id: Some(row.union_id),
            action: AuditAction::RightsContact,
            target: format!("rights_case:{id}"),
            before: None,
            after: Some(json!({"phone": unioncard_api::identity::mask_phone(&phone)})),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(axum::Json(ContactView { name, phone }))
}
