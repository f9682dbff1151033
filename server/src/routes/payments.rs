//! Union money onto cards. An officer prepares a batch (a list, the
//! households on file with an amount per category, or the failed lines of
//! an earlier batch); a second officer approves it (never the preparer);
//! the desk exports the bank's payment file and imports the bank's answer,
//! which credits or fails each line once, tells each member in their inbox
//! in the same transaction, and settles the batch when every line is
//! answered. The member reads their credits at `/api/me/payments`.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;
use unioncard_api::aid::ClaimStatus;
use unioncard_api::audit::AuditAction;
use unioncard_api::hardship::Category;
use unioncard_api::identity::IdNumber;
use unioncard_api::inbox::Letter;
use unioncard_api::join::Page;
use unioncard_api::payments::{
    bank_file, matches_sent, read_bank_result, BankLine, BankOutcome, BatchCreated, BatchInput,
    BatchRule, BatchSource, BatchStatus, BatchStep, BatchView, IdLine, LineStatus, MyPayments,
    PaymentLineView, PaymentRefusal, ResultImported,
};
use unioncard_api::request::RequestRefusal;
use unioncard_api::{ErrorBody, Lang};
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::audit::{self, Entry};
use crate::case_file::{Step, CLAIMS};
use crate::error::{AppError, AppResult};
use crate::extract::{Json, Member, Officer};
use crate::scope::Scope;
use crate::store::payments::{self as ledger, BatchRow, LineFilter, Payee};
use crate::{idempotency, store, time, AppState};

/// A bank's result file for the largest batch is well under 1 MB; allow
/// some room for long failure reasons.
const RESULT_LIMIT: usize = 4 * 1024 * 1024;

/// The payment routes, the officers' and the member's.
pub fn router() -> OpenApiRouter<AppState> {
    let result = OpenApiRouter::new()
        .routes(routes!(import_result))
        .layer(axum::extract::DefaultBodyLimit::max(RESULT_LIMIT));
    OpenApiRouter::new()
        .routes(routes!(list, prepare))
        .routes(routes!(one))
        .routes(routes!(lines))
        .routes(routes!(approve))
        .routes(routes!(cancel))
        .routes(routes!(export))
        .routes(routes!(mine))
        .merge(result)
}

/// A batch in the officer's unions; 404 otherwise.
async fn batch_in_scope(
    conn: &mut sqlx::AnyConnection,
    scope: &Scope,
    id: i64,
) -> AppResult<BatchRow> {
    match ledger::batch(conn, id).await? {
        Some(b) if scope.covers(&b.path) => Ok(b),
        _ => Err(AppError::not_found()),
    }
}

/// Paging of the batch list.
#[derive(Debug, Deserialize, IntoParams)]
pub struct BatchesQuery {
    /// From the previous page's `next_cursor`.
    pub cursor: Option<String>,
}

/// The batches of the officer's unions, newest first, 30 a page.
#[utoipa::path(
    get, path = "/api/staff/payments/batches", operation_id = "list_payment_batches", tag = "payments",
    params(BatchesQuery),
    responses(
        (status = 200, description = "Batches", body = Page<BatchView>),
        (status = 403, description = "Not an officer", body = ErrorBody),
    )
)]
async fn list(
    State(state): State<AppState>,
    Officer { user, scope }: Officer,
    Query(q): Query<BatchesQuery>,
) -> AppResult<axum::Json<Page<BatchView>>> {
    const PAGE: i64 = 30;
    let before = match q.cursor.as_deref() {
        None | Some("") => None,
        Some(c) => Some(c.parse().map_err(|_| AppError::bad_param("cursor"))?),
    };
    let rows = ledger::batches(
        &mut *state.db.reader().await?,
        &scope.like(),
        before,
        PAGE + 1,
    )
    .await?;
    let page = Page::from_probe(rows, PAGE as usize, |b| b.id);
    let items = page
        .items
        .into_iter()
        .map(|b| b.view(user.id))
        .collect::<AppResult<_>>()?;
    Ok(axum::Json(Page {
        items,
        next_cursor: page.next_cursor,
    }))
}

/// Prepares a batch. A retry with the same `Idempotency-Key` gets the first
/// answer.
#[utoipa::path(
    post, path = "/api/staff/payments/batches", operation_id = "prepare_payment_batch", tag = "payments",
    request_body = BatchInput,
    params(("Idempotency-Key" = Option<String>, Header, description = "Same key, same answer")),
    responses(
        (status = 201, description = "Prepared", body = BatchCreated),
        (status = 404, description = "The union, or the batch to retry, is not yours", body = ErrorBody),
        (status = 422, description = "No lines, an amount out of bounds, a member outside the union", body = ErrorBody),
    )
)]
async fn prepare(
    State(state): State<AppState>,
    Officer { user, scope }: Officer,
    headers: HeaderMap,
    Json(input): Json<BatchInput>,
) -> AppResult<Response> {
    let (title, source) = input.check()?;
    let union_id = input.union_id.unwrap_or(scope.union_id);
    let place = store::unions::place(&mut *state.db.reader().await?, union_id)
        .await?
        .filter(|p| scope.covers(&p.path))
        .ok_or_else(AppError::not_found)?;
    let like = format!("{}%", place.path);
    let key = idempotency::key(&headers, "POST /api/staff/payments/batches", &input);
    let mut tx = match idempotency::start(&state, user.id, key.as_ref()).await? {
        idempotency::Start::Act(tx) => tx,
        idempotency::Start::Replay(answer) => return Ok(answer),
    };
    let now = time::now();
    let (payees, retried, retry_of): (Vec<Payee>, Vec<i64>, Option<i64>) = match &source {
        BatchSource::List(lines) => {
            let payees = ledger::list_payees(&mut tx, &like, lines)
                .await?
                .ok_or(PaymentRefusal::UnknownMember)?;
            (payees, Vec::new(), None)
        }
        BatchSource::Rule(BatchRule::Households {
            deep_fen,
            relative_fen,
            accident_fen,
        }) => {
            let today = time::today().iso();
            let payees = ledger::household_payees(&mut tx, &like, &today, |c| match c {
                Category::Deep => *deep_fen,
                Category::Relative => *relative_fen,
                Category::Accident => *accident_fen,
            })
            .await?;
            (payees, Vec::new(), None)
        }
        BatchSource::Rule(BatchRule::Allowances { month }) => (
            store::allowances::payees(&mut tx, &like, month).await?,
            Vec::new(),
            None,
        ),
        BatchSource::Rule(BatchRule::EducationAwards) => (
            ledger::award_payees(&mut tx, &like).await?,
            Vec::new(),
            None,
        ),
        BatchSource::Rule(BatchRule::AidClaims) => {
            let payees = ledger::claim_payees(&mut tx, &like).await?;
            let claims: Vec<i64> = payees.iter().filter_map(|p| p.aid_claim_id).collect();
            if !ledger::hold_claims(&mut tx, &claims).await? {
                return Err(PaymentRefusal::PaidElsewhere.into());
            }
            (payees, Vec::new(), None)
        }
        BatchSource::Rule(BatchRule::IdList { lines }) => (
            id_list_payees(&state, &mut tx, &like, lines).await?,
            Vec::new(),
            None,
        ),
        BatchSource::Rule(BatchRule::Retry { batch_id }) => {
            let earlier = batch_in_scope(&mut tx, &scope, *batch_id).await?;
            if earlier.union_id != union_id {
                return Err(AppError::not_found());
            }
            if earlier.programme != input.programme.as_str() {
                return Err(PaymentRefusal::RuleProgramme.into());
            }
            let (lines, payees): (Vec<i64>, Vec<Payee>) = ledger::retry_payees(&mut tx, *batch_id)
                .await?
                .into_iter()
                .unzip();
            let claims: Vec<i64> = payees.iter().filter_map(|p| p.aid_claim_id).collect();
            if !ledger::hold_claims(&mut tx, &claims).await? {
                return Err(PaymentRefusal::PaidElsewhere.into());
            }
            (payees, lines, Some(*batch_id))
        }
    };
    let created = crate::ledger::write_batch(
        &mut tx,
        crate::ledger::Plan {
            union_id,
            programme: input.programme,
            title: &title,
            payees,
            retried,
            retry_of,
            by: user.id,
            by_task: false,
            // A list's ID numbers stay out of the audit log: its size is enough.
            rule: match &input.rule {
                Some(BatchRule::IdList { lines }) => {
                    json!({"kind": "id_list", "count": lines.len()})
                }
                other => json!(other),
            },
        },
        now,
    )
    .await?;
    idempotency::store(
        &mut tx,
        user.id,
        key.as_ref(),
        StatusCode::CREATED,
        &created,
    )
    .await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, axum::Json(created)).into_response())
}

/// The members of a list by ID number, in its order, each for the amount
/// beside them; 422 naming the first row that is not a card-holding member
/// of the unions matching `like`, or whose name is not the roster's.
async fn id_list_payees(
    state: &AppState,
    conn: &mut sqlx::AnyConnection,
    like: &str,
    lines: &[IdLine],
) -> AppResult<Vec<Payee>> {
    // The rule's check read every ID number already; normalised here the
    // same way (an `x` check character is an `X`).
    let hashes: Vec<String> = lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            IdNumber::parse(&l.id_number)
                .map(|id| state.crypto.lookup_hash("id", id.expose()))
                .map_err(|_| PaymentRefusal::ListRow { row: i + 1 })
        })
        .collect::<Result<_, _>>()?;
    let found = ledger::roster_payees(conn, like, &hashes).await?;
    lines
        .iter()
        .zip(&hashes)
        .enumerate()
        .map(|(i, (line, hash))| {
            let row = i + 1;
            let payee = found
                .get(hash)
                .filter(|p| {
                    line.name
                        .as_deref()
                        .is_none_or(|n| n.trim() == p.holder_name)
                })
                .ok_or(PaymentRefusal::ListMember { row })?;
            Ok(Payee {
                amount_fen: line.amount_fen,
                ..payee.clone()
            })
        })
        .collect()
}

/// One batch with its figures.
#[utoipa::path(
    get, path = "/api/staff/payments/batches/{id}", operation_id = "payment_batch", tag = "payments",
    params(("id" = i64, Path, description = "The batch")),
    responses(
        (status = 200, description = "The batch", body = BatchView),
        (status = 404, description = "No such batch in your unions", body = ErrorBody),
    )
)]
async fn one(
    State(state): State<AppState>,
    Officer { user, scope }: Officer,
    Path(id): Path<i64>,
) -> AppResult<axum::Json<BatchView>> {
    let mut conn = state.db.reader().await?;
    let b = batch_in_scope(&mut conn, &scope, id).await?;
    let mut view = b.view(user.id)?;
    view.banks = ledger::bank_shares(&mut conn, id).await?;
    Ok(axum::Json(view))
}

/// Which bank's file.
#[derive(Debug, Deserialize, IntoParams)]
pub struct FileQuery {
    /// Only the lines whose card this bank issued (a name from the batch's
    /// `banks`); every line when absent.
    pub bank: Option<String>,
}

/// Which lines, and paging.
#[derive(Debug, Deserialize, IntoParams)]
pub struct LinesQuery {
    /// `failed` (refused by the bank) or `flagged` (card frozen or lost);
    /// every line when absent.
    pub only: Option<String>,
    /// From the previous page's `next_cursor`.
    pub cursor: Option<String>,
}

/// A batch's lines in order, 100 a page.
#[utoipa::path(
    get, path = "/api/staff/payments/batches/{id}/lines", operation_id = "payment_batch_lines", tag = "payments",
    params(("id" = i64, Path, description = "The batch"), LinesQuery),
    responses(
        (status = 200, description = "Lines", body = Page<PaymentLineView>),
        (status = 400, description = "Unknown filter or cursor", body = ErrorBody),
        (status = 404, description = "No such batch in your unions", body = ErrorBody),
    )
)]
async fn lines(
    State(state): State<AppState>,
    Officer { scope, .. }: Officer,
    Path(id): Path<i64>,
    Query(q): Query<LinesQuery>,
) -> AppResult<axum::Json<Page<PaymentLineView>>> {
    const PAGE: i64 = 100;
    let filter = match q.only.as_deref() {
        None | Some("") => LineFilter::All,
        Some("failed") => LineFilter::Failed,
        Some("flagged") => LineFilter::Flagged,
        Some(_) => return Err(AppError::bad_param("only")),
    };
    let after = match q.cursor.as_deref() {
        None | Some("") => 0,
        Some(c) => c.parse().map_err(|_| AppError::bad_param("cursor"))?,
    };
    let mut conn = state.db.reader().await?;
    batch_in_scope(&mut conn, &scope, id).await?;
    let items = ledger::lines(&mut conn, id, filter, after, PAGE + 1).await?;
    Ok(axum::Json(Page::from_probe(items, PAGE as usize, |x| x.id)))
}

/// The optional body of approve and cancel: `{}` or nothing at all.
fn step_body(body: &Bytes) -> AppResult<BatchStep> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(BatchStep::default());
    }
    serde_json::from_slice(body).map_err(|_| RequestRefusal::MalformedJson.into())
}

/// Approves a prepared batch: a second officer over its union, never the
/// one who prepared it (403 `same_officer`).
#[utoipa::path(
    post, path = "/api/staff/payments/batches/{id}/approve", operation_id = "approve_payment_batch", tag = "payments",
    params(("id" = i64, Path, description = "The batch")),
    request_body(content = BatchStep, description = "Optional: the total the officer confirms"),
    responses(
        (status = 200, description = "Approved", body = BatchView),
        (status = 403, description = "`same_officer`: the preparer cannot approve", body = ErrorBody),
        (status = 404, description = "No such batch in your unions", body = ErrorBody),
        (status = 409, description = "Not prepared any more, or another total", body = ErrorBody),
    )
)]
async fn approve(
    State(state): State<AppState>,
    Officer { user, scope }: Officer,
    Path(id): Path<i64>,
    body: Bytes,
) -> AppResult<axum::Json<BatchView>> {
    let step = step_body(&body)?;
    let mut tx = state.db.begin().await?;
    let b = batch_in_scope(&mut tx, &scope, id).await?;
    if b.prepared_by == user.id {
        return Err(PaymentRefusal::SameOfficer.into());
    }
    if b.status != BatchStatus::Prepared.as_str() {
        return Err(PaymentRefusal::WrongStatus.into());
    }
    let total = step.total_fen.unwrap_or(b.total_fen);
    if total != b.total_fen {
        return Err(PaymentRefusal::TotalChanged.into());
    }
    if !ledger::approve(&mut tx, id, total, user.id, time::now()).await? {
        return Err(PaymentRefusal::WrongStatus.into());
    }
    step_audit(
        &mut tx,
        &b,
        user.id,
        AuditAction::PaymentApprove,
        json!({"total_fen": total, "flagged": b.flagged}),
    )
    .await?;
    let view = ledger::batch(&mut tx, id)
        .await?
        .ok_or_else(AppError::not_found)?
        .view(user.id)?;
    tx.commit().await?;
    Ok(axum::Json(view))
}

async fn step_audit(
    tx: &mut sqlx::AnyConnection,
    b: &BatchRow,
    actor: i64,
    action: AuditAction,
    after: serde_json::Value,
) -> AppResult<()> {
    audit::record(
        tx,
        Entry {
            actor: Some(actor),
            union_id: Some(b.union_id),
            action,
            target: format!("payment_batch:{}", b.id),
            before: Some(json!({"status": b.status})),
            after: Some(after),
        },
    )
    .await?;
    Ok(())
}

/// Withdraws a batch before approval (its preparer or another officer).
#[utoipa::path(
    post, path = "/api/staff/payments/batches/{id}/cancel", operation_id = "cancel_payment_batch", tag = "payments",
    params(("id" = i64, Path, description = "The batch")),
    responses(
        (status = 200, description = "Withdrawn", body = BatchView),
        (status = 404, description = "No such batch in your unions", body = ErrorBody),
        (status = 409, description = "Already approved or withdrawn", body = ErrorBody),
    )
)]
async fn cancel(
    State(state): State<AppState>,
    Officer { user, scope }: Officer,
    Path(id): Path<i64>,
) -> AppResult<axum::Json<BatchView>> {
    let mut tx = state.db.begin().await?;
    let b = batch_in_scope(&mut tx, &scope, id).await?;
    if !ledger::cancel(&mut tx, id).await? {
        return Err(PaymentRefusal::WrongStatus.into());
    }
    step_audit(
        &mut tx,
        &b,
        user.id,
        AuditAction::PaymentCancel,
        json!({"status": "cancelled"}),
    )
    .await?;
    let view = ledger::batch(&mut tx, id)
        .await?
        .ok_or_else(AppError::not_found)?
        .view(user.id)?;
    tx.commit().await?;
    Ok(axum::Json(view))
}

/// The bank's payment file: every line, or one bank's (`?bank=`), as each
/// bank takes a file of its own cards. The first export of an approved
/// batch marks it sent; later ones give the same file again. Before
/// approval: 409. Each bank's answer is imported as it comes.
#[utoipa::path(
    get, path = "/api/staff/payments/batches/{id}/bank-file", operation_id = "payment_bank_file", tag = "payments",
    params(("id" = i64, Path, description = "The batch"), FileQuery),
    responses(
        (status = 200, description = "text/csv: account,name,amount,reference", content_type = "text/csv", body = String),
        (status = 400, description = "No line of this batch is on that bank's cards", body = ErrorBody),
        (status = 404, description = "No such batch in your unions", body = ErrorBody),
        (status = 409, description = "Not approved yet, or withdrawn", body = ErrorBody),
    )
)]
async fn export(
    State(state): State<AppState>,
    Officer { user, scope }: Officer,
    Path(id): Path<i64>,
    Query(q): Query<FileQuery>,
) -> AppResult<Response> {
    let mut tx = state.db.begin().await?;
    let b = batch_in_scope(&mut tx, &scope, id).await?;
    match BatchStatus::from_db(&b.status) {
        Some(BatchStatus::Approved) => {
            if !ledger::mark_sent(&mut tx, id, user.id, time::now()).await? {
                return Err(PaymentRefusal::WrongStatus.into());
            }
            step_audit(
                &mut tx,
                &b,
                user.id,
                AuditAction::PaymentExport,
                json!({"status": "sent"}),
            )
            .await?;
        }
        Some(BatchStatus::Sent | BatchStatus::Settled) => {}
        _ => return Err(PaymentRefusal::WrongStatus.into()),
    }
    let bank = q.bank.as_deref().map(str::trim).filter(|b| !b.is_empty());
    let lines: Vec<BankLine> = ledger::bank_lines(&mut tx, id)
        .await?
        .into_iter()
        .filter(|l| bank.is_none_or(|b| l.card_bank == b))
        .map(|l| l.bank)
        .collect();
    if bank.is_some() && lines.is_empty() {
        return Err(AppError::bad_param("bank"));
    }
    // The first export marks the batch sent, whichever bank's it is.
    tx.commit().await?;
    let name = format!("unioncard-payments-{id}.csv");
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        bank_file(&lines),
    )
        .into_response())
}

/// Imports the bank's answer: every row must be one this batch sent, with
/// the same card, name and amount, or nothing changes (422 naming the row).
/// A line already answered stays as it is (`unchanged`).
#[utoipa::path(
    post, path = "/api/staff/payments/batches/{id}/bank-result", operation_id = "payment_bank_result", tag = "payments",
    params(("id" = i64, Path, description = "The batch")),
    request_body(content = String, content_type = "text/csv",
        description = "The payment file with a last column `result`: `success` or the bank's reason"),
    responses(
        (status = 200, description = "Lines credited, failed and unchanged", body = ResultImported),
        (status = 404, description = "No such batch in your unions", body = ErrorBody),
        (status = 409, description = "The batch was not sent to the bank", body = ErrorBody),
        (status = 422, description = "Not UTF-8, wrong header, a row that does not read, an unknown reference, another amount", body = ErrorBody),
    )
)]
async fn import_result(
    State(state): State<AppState>,
    Officer { user, scope }: Officer,
    Path(id): Path<i64>,
    body: Bytes,
) -> AppResult<axum::Json<ResultImported>> {
    let rows = read_bank_result(&body)?;
    let mut tx = state.db.begin().await?;
    let b = batch_in_scope(&mut tx, &scope, id).await?;
    if !matches!(
        BatchStatus::from_db(&b.status),
        Some(BatchStatus::Sent | BatchStatus::Settled)
    ) {
        return Err(PaymentRefusal::WrongStatus.into());
    }
    let sent: HashMap<String, ledger::SentLine> = ledger::bank_lines(&mut tx, id)
        .await?
        .into_iter()
        .map(|l| (l.bank.reference.clone(), l))
        .collect();
    // Every row checked before anything changes.
    let mut answers = Vec::with_capacity(rows.len());
    for row in &rows {
        let line = sent
            .get(&row.line.reference)
            .ok_or(PaymentRefusal::FileReference { row: row.row })?;
        matches_sent(row, &line.bank)?;
        answers.push((line, &row.outcome));
    }
    let programme = unioncard_api::payments::Programme::from_db(&b.programme)
        .ok_or_else(|| AppError::internal("unknown programme"))?;
    let now = time::now();
    let mut done = ResultImported {
        credited: 0,
        failed: 0,
        unchanged: 0,
    };
    for (line, outcome) in answers {
        let reason = match outcome {
            BankOutcome::Credited => None,
            BankOutcome::Failed(why) => Some(why.as_str()),
        };
        if line.status != LineStatus::Sent
            || !ledger::answer_line(&mut tx, line.id, reason, now).await?
        {
            done.unchanged += 1;
            continue;
        }
        match reason {
            None => done.credited += 1,
            Some(_) => done.failed += 1,
        }
        // A credited claim is paid: its own step on the claim's timeline,
        // which tells the member (so no second letter). A claim marked paid
        // by hand meanwhile cannot be: `mark_paid` refuses a claim in the
        // ledger.
        if let (None, Some(claim)) = (reason, line.aid_claim_id) {
            let place = CLAIMS.place(&mut tx, claim).await?;
            let paid = Step {
                from: ClaimStatus::Approved,
                to: ClaimStatus::Paid,
                actor: user.id,
                note: None,
                amount_fen: Some(line.bank.amount_fen),
            };
            if CLAIMS.step(&mut tx, &place, paid).await? {
                continue;
            }
        }
        let letter = Letter::payment(
            (programme.label(Lang::Zh), programme.label(Lang::En)),
            &b.title,
            line.bank.amount_fen,
            reason,
        );
        store::inbox::send_to_member(&mut tx, line.roster_id, user.id, &letter, now).await?;
    }
    ledger::settle_if_answered(&mut tx, id, now).await?;
    if done.credited + done.failed > 0 {
        step_audit(
            &mut tx,
            &b,
            user.id,
            AuditAction::PaymentResult,
            json!({"credited": done.credited, "failed": done.failed, "unchanged": done.unchanged}),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(axum::Json(done))
}

/// The member's 到账记录: union money paid (or on its way) onto their card,
/// newest first, and this year's credited total.
#[utoipa::path(
    get, path = "/api/me/payments", operation_id = "my_payments", tag = "payments",
    responses(
        (status = 200, description = "My payments", body = MyPayments),
        (status = 401, description = "Not signed in", body = ErrorBody),
    )
)]
async fn mine(
    State(state): State<AppState>,
    Member { roster_id, .. }: Member,
) -> AppResult<axum::Json<MyPayments>> {
    let now = time::now();
    let (items, year_total_fen) = ledger::mine(
        &mut *state.db.reader().await?,
        roster_id,
        time::year_start(now),
    )
    .await?;
    Ok(axum::Json(MyPayments {
        items,
        year_total_fen,
    }))
}
