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
use unioncard_api::aid::DocumentView;
use unioncard_api::audit::AuditAction;
use unioncard_api::auth::Role;
use unioncard_api::identity::{Date, Gender, IdNumber};
use unioncard_api::join::Page;
use unioncard_api::loans::LoanStepRefusal;
use unioncard_api::loans::{
    self, EligibilityAnswer, EligibilityInput, LoanInput, LoanRefusal, LoanRules, LoanStatus,
    LoanView, Schedule,
};
use unioncard_api::{ErrorBody, Lang};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::audit::{self, Entry};
use crate::case_file::{Step, LOANS};
use crate::error::{current_lang, AppError, AppResult};
use crate::extract::{CurrentUser, Json, Member, Officer};
use crate::routes::auth::is_unique_violation;
use crate::store::loans::{LoanRecord, ServerFacts};
use crate::{idempotency, store, time, uploads, AppState};

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

/// The scheme's figures. One place to change them (or, later, read them from
/// the database per province).
pub fn rules() -> LoanRules {
    LoanRules::default()
}

/// An application (read by [`store::loans::record`]) as its member (or, with
/// `for_officer`, an officer) sees it; 404 when there is none.
pub fn loan_view(record: Option<LoanRecord>, for_officer: bool) -> AppResult<LoanView> {
    record
        .ok_or_else(AppError::not_found)?
        .into_view(for_officer, &rules(), current_lang())
}

/// The look-up hash of each partner's ID number; `None` for a number that
/// is not one (a masked number that matched no saved partner).
fn partner_hashes(state: &AppState, input: &EligibilityInput) -> Vec<Option<String>> {
    input
        .partners
        .iter()
        .map(|p| {
            IdNumber::parse(&p.id_number)
                .ok()
                .map(|id| state.crypto.lookup_hash("id", id.expose()))
        })
        .collect()
}

/// Everything that refuses the application: the shared rules, then what only
/// the server knows (partners on a roster, an open loan), read by
/// [`store::loans::server_facts`] for these [`partner_hashes`].
fn refusals(
    gender: Gender,
    input: &EligibilityInput,
    hashes: &[Option<String>],
    known: &ServerFacts,
) -> Vec<LoanRefusal> {
    let mut out = rules().refusals(gender, input, time::today());
    for (p, hash) in input.partners.iter().zip(hashes) {
        match hash {
            Some(hash)
                if known.roster_names.get(hash).map(String::as_str) != Some(p.name.trim()) =>
            {
                out.push(LoanRefusal::PartnerNotMember);
                break;
            }
            Some(_) => {}
            // A masked number that matched no saved partner cannot be judged.
            None if !out.contains(&LoanRefusal::PartnerId) => {
                out.push(LoanRefusal::PartnerId);
            }
            None => {}
        }
    }
    if known.open_loan {
        out.push(LoanRefusal::OpenLoan);
    }
    out
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
    Member { user, roster_id }: Member,
    Json(input): Json<EligibilityInput>,
) -> AppResult<axum::Json<EligibilityAnswer>> {
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
    let mut conn = state.db.reader().await?;
    let who = store::loans::applicant(&mut conn, roster_id).await?;
    let hashes = partner_hashes(&state, &input);
    let known = store::loans::server_facts(&mut conn, roster_id, &hashes, 0).await?;
    let all = refusals(who.gender, &input, &hashes, &known);
    let lang = current_lang();
    Ok(axum::Json(EligibilityAnswer {
        eligible: all.is_empty(),
        max_amount_fen: rules().max_amount(who.gender, &input),
        reasons: all.iter().map(|r| r.code().to_string()).collect(),
        messages: all.iter().map(|r| r.message(lang)).collect(),
    }))
}

/// Checks an application's fields for sending (before reading what the
/// server knows of it).
fn check_fields_for_sending(input: &LoanInput) -> AppResult<()> {
    input
        .check(time::today())
        .map_err(|p| AppError::invalid(&p))
}

/// Then the rules: 422 naming every refusal.
fn check_rules_for_sending(
    gender: Gender,
    input: &LoanInput,
    hashes: &[Option<String>],
    known: &ServerFacts,
) -> AppResult<()> {
    let all = refusals(gender, &input.facts, hashes, known);
    if all.is_empty() {
        Ok(())
    } else {
        Err(refused(&all))
    }
}

/// A second open application or loan.
pub fn open_loan() -> AppError {
    refused(&[LoanRefusal::OpenLoan])
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
    Member { user, roster_id }: Member,
    headers: HeaderMap,
    Json(input): Json<LoanInput>,
) -> AppResult<Response> {
    let key = idempotency::key(&headers, "POST /api/loans", &input);
    let mut tx = match idempotency::start(&state, user.id, key.as_ref()).await? {
        idempotency::Start::Act(tx) => tx,
        idempotency::Start::Replay(answer) => return Ok(answer),
    };
    let who = store::loans::applicant(&mut *state.db.reader().await?, roster_id).await?;
    if input.draft {
        input.check_draft().map_err(|p| AppError::invalid(&p))?;
    } else {
        check_fields_for_sending(&input)?;
        let hashes = partner_hashes(&state, &input.facts);
        let known = store::loans::server_facts(&mut tx, roster_id, &hashes, 0).await?;
        check_rules_for_sending(who.gender, &input, &hashes, &known)?;
    }
    let now = time::now();
    let status = if input.draft {
        LoanStatus::Draft
    } else {
        LoanStatus::Submitted
    };
    // Inserted as a draft so the fields go through the one guarded writer,
    // then moved to its status in the same transaction.
    let new = store::loans::NewApplication {
        roster_id,
        union_id: who.union_id,
        county_id: who.county_id,
        employment_status: input.facts.employment_status.as_str(),
        business_kind: input.facts.business_kind.as_str(),
        now,
        submitted_at: (!input.draft).then_some(now),
    };
    // The one-open-application key met: 422 `open_loan`; anything else as it is.
    let id = match store::loans::insert_draft(&mut tx, &new).await {
        Ok(id) => id,
        Err(e) if is_unique_violation(&e) => return Err(open_loan()),
        Err(e) => return Err(e.into()),
    };
    store::loans::write_draft(&mut tx, &state.crypto, id, &input, time::now()).await?;
    LOANS.opened(&mut tx, id, status, user.id).await?;
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
    let view = loan_view(store::loans::record(&mut tx, id).await?, false)?;
    idempotency::store(&mut tx, user.id, key.as_ref(), StatusCode::CREATED, &view).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, axum::Json(view)).into_response())
}

/// The member's own application's stage; 404 for anyone else's.
async fn own(state: &AppState, roster_id: i64, id: i64) -> AppResult<LoanStatus> {
    Ok(LOANS.own(state, roster_id, id).await?.status)
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
    officer: Option<Officer>,
    Path(id): Path<i64>,
) -> AppResult<axum::Json<LoanView>> {
    LOANS.visible(&state, &user, officer.as_ref(), id).await?;
    let officer = user.role != Role::Member;
    let record = store::loans::record(&mut *state.db.reader().await?, id).await?;
    Ok(axum::Json(loan_view(record, officer)?))
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
    member: Member,
    Path(id): Path<i64>,
    Json(input): Json<LoanInput>,
) -> AppResult<axum::Json<LoanView>> {
    let status = own(&state, member.roster_id, id).await?;
    if status != LoanStatus::Draft {
        return Err(already_sent());
    }
    input.check_draft().map_err(|p| AppError::invalid(&p))?;
    let mut tx = state.db.begin().await?;
    if !store::loans::write_draft(&mut tx, &state.crypto, id, &input, time::now()).await? {
        return Err(already_sent());
    }
    let view = loan_view(store::loans::record(&mut tx, id).await?, false)?;
    tx.commit().await?;
    Ok(axum::Json(view))
}

fn already_sent() -> AppError {
    LoanStepRefusal::AlreadySent.into()
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
    Member { user, roster_id }: Member,
    Path(id): Path<i64>,
) -> AppResult<axum::Json<LoanView>> {
    let place = LOANS.own(&state, roster_id, id).await?;
    if place.status != LoanStatus::Draft {
        let record = store::loans::record(&mut *state.db.reader().await?, id).await?;
        return Ok(axum::Json(loan_view(record, false)?));
    }
    let who = store::loans::applicant(&mut *state.db.reader().await?, roster_id).await?;
    let mut tx = state.db.begin().await?;
    // Hold the draft for the rest of the transaction, then judge the row as
    // it is now: an edit arriving meanwhile waits and then finds it sent;
    // a second send (a double tap) finds it sent and answers as it is.
    if LOANS.hold(&mut tx, id, LoanStatus::Draft).await? {
        let current = store::loans::stored_input(&mut tx, &state.crypto, id)
            .await?
            .ok_or_else(AppError::not_found)?;
        check_fields_for_sending(&current)?;
        let hashes = partner_hashes(&state, &current.facts);
        let known = store::loans::server_facts(&mut tx, roster_id, &hashes, id).await?;
        check_rules_for_sending(who.gender, &current, &hashes, &known)?;
        let sent = Step {
            from: LoanStatus::Draft,
            to: LoanStatus::Submitted,
            actor: user.id,
            note: None,
            amount_fen: None,
        };
        if LOANS.step(&mut tx, &place, sent).await? {
            store::loans::stamp_submitted(&mut tx, id, time::now()).await?;
        }
    }
    let view = loan_view(store::loans::record(&mut tx, id).await?, false)?;
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
    member: Member,
) -> AppResult<axum::Json<Page<LoanView>>> {
    let records =
        store::loans::applications_of(&mut *state.db.reader().await?, member.roster_id).await?;
    let (rules, lang) = (rules(), current_lang());
    let items = records
        .into_iter()
        .map(|r| r.into_view(false, &rules, lang))
        .collect::<AppResult<Vec<_>>>()?;
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
    officer: Option<Officer>,
    Path(id): Path<i64>,
) -> AppResult<axum::Json<Schedule>> {
    LOANS.visible(&state, &user, officer.as_ref(), id).await?;
    let terms = store::loans::repayment_terms(&mut *state.db.reader().await?, id).await?;
    let Some(on) = terms.disbursed_on.as_deref().and_then(Date::parse_iso) else {
        return Err(LoanStepRefusal::NotDisbursed.into());
    };
    Ok(axum::Json(loans::schedule(
        terms.amount_fen,
        terms.term_months,
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
    member: Member,
    Path(id): Path<i64>,
    form: axum::extract::Multipart,
) -> AppResult<(StatusCode, axum::Json<DocumentView>)> {
    let doc = LOANS
        .add_document(&state, member.roster_id, id, form)
        .await?;
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
    officer: Option<Officer>,
    Path((id, doc)): Path<(i64, i64)>,
) -> AppResult<Response> {
    LOANS
        .document(&state, &user, officer.as_ref(), id, doc)
        .await
}
