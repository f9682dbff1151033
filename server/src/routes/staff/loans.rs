//! Officers' side of micro-loans: a queue per stage for their unions, the
//! decisions that move an application one stage on (with who, when and a
//! note), the county's yearly quota checked when the guarantee is given, and
//! follow-up notes once the money is out.

use axum::extract::{Path, Query, State};
use serde::Deserialize;
use unioncard_api::audit::AuditAction;
use unioncard_api::join::NoteNeeded;
use unioncard_api::join::{Decision, Page};
use unioncard_api::loans::FollowUp;
use unioncard_api::loans::LoanStepRefusal;
use unioncard_api::loans::QuotaView;
use unioncard_api::loans::{LoanStatus, LoanView};
use unioncard_api::ErrorBody;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::case_file::{Place, Step, LOANS};
use crate::error::{current_lang, AppError, AppResult};
use crate::extract::{Json, Officer};
use crate::routes::loans::{loan_view, refused, rules};
use crate::scope::Scope;
use crate::{store, time, AppState};

/// The loan review routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(queue))
        .routes(routes!(decide))
        .routes(routes!(follow_up))
        .routes(routes!(quotas))
}

/// Queue filter.
#[derive(Debug, Deserialize, IntoParams)]
pub struct LoanQuery {
    /// One status (default `submitted`); `draft` is never shown.
    pub status: Option<String>,
}

/// Applications from members of the officer's unions in one stage, oldest first.
#[utoipa::path(
    get, path = "/api/staff/loans", operation_id = "loan_queue", tag = "staff",
    params(LoanQuery),
    responses(
        (status = 200, description = "Applications", body = Page<LoanView>),
        (status = 400, description = "Unknown status", body = ErrorBody),
        (status = 403, description = "Not an officer", body = ErrorBody),
    )
)]
async fn queue(
    State(state): State<AppState>,
    Officer { scope, .. }: Officer,
    Query(q): Query<LoanQuery>,
) -> AppResult<axum::Json<Page<LoanView>>> {
    let status = match LoanStatus::from_db(q.status.as_deref().unwrap_or("submitted")) {
        Some(LoanStatus::Draft) | None => return Err(AppError::bad_param("status")),
        Some(s) => s,
    };
    let records =
        store::loans::queue(&mut *state.db.reader().await?, &scope.like(), status).await?;
    let (rules, lang) = (rules(), current_lang());
    let items = records
        .into_iter()
        .map(|r| r.into_view(true, &rules, lang))
        .collect::<AppResult<Vec<_>>>()?;
    Ok(axum::Json(Page::whole(items)))
}

/// An application in scope, with what its review steps need.
struct Scoped {
    place: Place<LoanStatus>,
    /// Whether the officer's scope covers the county union over the
    /// application: the guarantee and the payout are the county's steps.
    covers_county: bool,
    amount_fen: i64,
    county_id: i64,
}

async fn scoped(state: &AppState, scope: &Scope, id: i64) -> AppResult<Scoped> {
    let place = LOANS.in_scope(state, scope, id).await?;
    let terms = store::loans::review_terms(&mut *state.db.reader().await?, id)
        .await?
        .ok_or_else(AppError::not_found)?;
    Ok(Scoped {
        place,
        covers_county: scope.covers(&terms.county_path),
        amount_fen: terms.amount_fen,
        county_id: terms.county_id,
    })
}

fn illegal(from: LoanStatus) -> AppError {
    LoanStepRefusal::IllegalTransition(from).into()
}

/// "approve" moves an application one stage on (a feasibility note is
/// required for the union's approval; the county's quota is checked when the
/// guarantee is given; `disbursed_on` may date the payout); "reject" stops it
/// at any review before payout, with a reason.
#[utoipa::path(
    post, path = "/api/staff/loans/{id}/decision", operation_id = "decide_loan", tag = "staff",
    params(("id" = i64, Path, description = "Application id")),
    request_body = Decision,
    responses(
        (status = 200, description = "Moved on", body = LoanView),
        (status = 404, description = "No such application in your unions", body = ErrorBody),
        (status = 409, description = "Not possible from this stage", body = ErrorBody),
        (status = 422, description = "A note is missing, or the county's quota is used up", body = ErrorBody),
    )
)]
async fn decide(
    State(state): State<AppState>,
    Officer { user, scope }: Officer,
    Path(id): Path<i64>,
    Json(d): Json<Decision>,
) -> AppResult<axum::Json<LoanView>> {
    let s = scoped(&state, &scope, id).await?;
    let from = s.place.status;
    let note = d.note.trim();
    if note.chars().count() > 1000 {
        return Err(LoanStepRefusal::NoteTooLong.into());
    }
    let to = match d.decision.as_str() {
        "approve" => from.next().ok_or_else(|| illegal(from))?,
        "reject" if !from.may_reject() => return Err(illegal(from)),
        "reject" => LoanStatus::Rejected,
        _ => return Err(LoanStepRefusal::BadDecision.into()),
    };
    if note.is_empty() && matches!(to, LoanStatus::UnionApproved | LoanStatus::Rejected) {
        return Err(if to == LoanStatus::Rejected {
            NoteNeeded::DeclineReason
        } else {
            NoteNeeded::Feasibility
        }
        .into());
    }
    if matches!(to, LoanStatus::Guaranteed | LoanStatus::Disbursed) && !s.covers_county {
        return Err(LoanStepRefusal::CountyUnionOnly.into());
    }
    let mut tx = state.db.begin().await?;
    if to == LoanStatus::Guaranteed {
        // The guarantee commits the county's money: judge the caps again on
        // the row as it is, whatever was true when it was sent.
        let input = store::loans::stored_input(&mut tx, &state.crypto, id)
            .await?
            .ok_or_else(AppError::not_found)?;
        let who =
            store::loans::applicant(&mut *state.db.reader().await?, s.place.roster_id).await?;
        let over: Vec<_> = rules()
            .refusals(who.gender, &input.facts, time::today())
            .into_iter()
            .filter(|r| {
                matches!(
                    r,
                    unioncard_api::loans::LoanRefusal::OverCap(_)
                        | unioncard_api::loans::LoanRefusal::TermTooLong(_)
                        | unioncard_api::loans::LoanRefusal::PartnerId
                )
            })
            .collect();
        if !over.is_empty() {
            return Err(refused(&over));
        }
    }
    // Only one decision per stage: the status must still be the one read
    // (a decision taken on a stale page does not land on a later stage).
    let step = Step {
        from,
        to,
        actor: user.id,
        note: Some(note),
        // The guarantee and the payout commit this sum.
        amount_fen: matches!(to, LoanStatus::Guaranteed | LoanStatus::Disbursed)
            .then_some(s.amount_fen),
    };
    if !LOANS.step(&mut tx, &s.place, step).await? {
        return Err(illegal(from));
    }
    let disbursed_on = (to == LoanStatus::Disbursed).then(|| time::today().iso());
    store::loans::after_step(&mut tx, id, disbursed_on, time::now()).await?;
    if to == LoanStatus::Guaranteed {
        let year = i64::from(time::today().year);
        let quota = rules().county_quota_fen;
        if !store::loans::draw_quota(&mut tx, s.county_id, year, quota, s.amount_fen).await? {
            return Err(LoanStepRefusal::CountyQuotaExceeded.into());
        }
    }
    let view = loan_view(store::loans::record(&mut tx, id).await?, true)?;
    tx.commit().await?;
    Ok(axum::Json(view))
}

/// A follow-up note on a loan that has been paid out (how the business does).
#[utoipa::path(
    post, path = "/api/staff/loans/{id}/notes", tag = "staff",
    params(("id" = i64, Path, description = "Application id")),
    request_body = FollowUp,
    responses(
        (status = 200, description = "Noted", body = LoanView),
        (status = 404, description = "No such application in your unions", body = ErrorBody),
        (status = 409, description = "Not paid out", body = ErrorBody),
        (status = 422, description = "Empty note", body = ErrorBody),
    )
)]
async fn follow_up(
    State(state): State<AppState>,
    Officer { user, scope }: Officer,
    Path(id): Path<i64>,
    Json(f): Json<FollowUp>,
) -> AppResult<axum::Json<LoanView>> {
    let s = scoped(&state, &scope, id).await?;
    let note = f.note.trim();
    if note.is_empty() || note.chars().count() > 1000 {
        return Err(NoteNeeded::FollowUp.into());
    }
    if !matches!(
        s.place.status,
        LoanStatus::Disbursed | LoanStatus::Repaying | LoanStatus::Closed
    ) {
        return Err(illegal(s.place.status));
    }
    let mut tx = state.db.begin().await?;
    LOANS
        .note(&mut tx, &s.place, user.id, note, AuditAction::LoanFollowUp)
        .await?;
    let view = loan_view(store::loans::record(&mut tx, id).await?, true)?;
    tx.commit().await?;
    Ok(axum::Json(view))
}

/// The quota used and left this year for each county in the officer's scope.
#[utoipa::path(
    get, path = "/api/staff/loans/quota", tag = "staff",
    responses(
        (status = 200, description = "Per county", body = Vec<QuotaView>),
        (status = 403, description = "Not an officer", body = ErrorBody),
    )
)]
async fn quotas(
    State(state): State<AppState>,
    Officer { scope, .. }: Officer,
) -> AppResult<axum::Json<Vec<QuotaView>>> {
    let year = i64::from(time::today().year);
    let rows = store::loans::quotas(
        &mut *state.db.reader().await?,
        year,
        &scope.like(),
        &scope.path,
    )
    .await?;
    let default = rules().county_quota_fen;
    let out = rows
        .into_iter()
        .map(|r| {
            let (quota, used) = (r.quota_fen.unwrap_or(default), r.used_fen.unwrap_or(0));
            QuotaView {
                county_id: r.id,
                county: r.name,
                year,
                quota_fen: quota,
                used_fen: used,
                left_fen: (quota - used).max(0),
            }
        })
        .collect();
    Ok(axum::Json(out))
}
