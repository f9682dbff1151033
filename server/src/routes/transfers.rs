//! 转会: the member asks the new workplace's union to take them (one
//! request waiting at a time), and may withdraw it while it waits; the
//! officers of both unions see it, and only those over the new union
//! accept it (the roster entry moves that day, in the same transaction) or
//! decline it with a reason. The member is told either way; every step is
//! audited under the union it concerns.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde_json::json;
use unioncard_api::audit::AuditAction;
use unioncard_api::inbox::Letter;
use unioncard_api::join::{Decision, Page};
use unioncard_api::transfers::{
    TransferInput, TransferRefusal, TransferStatus, TransferView, NOTE_CHARS,
};
use unioncard_api::ErrorBody;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::audit::{self, Entry};
use crate::error::{AppError, AppResult};
use crate::extract::{Json, Member, Officer};
use crate::store::is_unique_violation;
use crate::store::transfers::TransferRow;
use crate::{store, time, AppState};

/// The transfer routes, the member's and the officers'.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(mine, ask))
        .routes(routes!(withdraw))
        .routes(routes!(queue))
        .routes(routes!(decide))
}

/// The member's transfer requests, newest first.
#[utoipa::path(
    get, path = "/api/me/transfers", operation_id = "my_transfers", tag = "transfers",
    responses(
        (status = 200, description = "My requests", body = Page<TransferView>),
        (status = 401, description = "Not signed in", body = ErrorBody),
    )
)]
async fn mine(
    State(state): State<AppState>,
    Member { roster_id, .. }: Member,
) -> AppResult<axum::Json<Page<TransferView>>> {
    let rows = store::transfers::of_member(&mut *state.db.reader().await?, roster_id).await?;
    let items = rows
        .into_iter()
        .map(|r| r.view(None))
        .collect::<AppResult<_>>()?;
    Ok(axum::Json(Page::whole(items)))
}

/// Asks to move to another workplace union.
#[utoipa::path(
    post, path = "/api/me/transfers", operation_id = "ask_transfer", tag = "transfers",
    request_body = TransferInput,
    responses(
        (status = 201, description = "Waiting for the new union", body = TransferView),
        (status = 409, description = "`transfer_pending`: one waits already", body = ErrorBody),
        (status = 422, description = "Not a workplace union, the member's own, or a reason over 200 characters", body = ErrorBody),
    )
)]
async fn ask(
    State(state): State<AppState>,
    Member { user, roster_id }: Member,
    Json(input): Json<TransferInput>,
) -> AppResult<(StatusCode, axum::Json<TransferView>)> {
    let reason = input.reason()?;
    let workplace = input.workplace()?;
    let (from, to) = {
        let mut conn = state.db.reader().await?;
        let from = store::hardship::member_union(&mut conn, roster_id).await?;
        store::unions::place(&mut conn, input.union_id)
            .await?
            .filter(|p| p.level == "workplace")
            .ok_or(TransferRefusal::UnknownUnion)?;
        (from, input.union_id)
    };
    if from == to {
        return Err(TransferRefusal::SameUnion.into());
    }
    let now = time::now();
    let mut tx = state.db.begin().await?;
    let id = match store::transfers::insert(&mut tx, roster_id, from, to, &reason, &workplace, now)
        .await
    {
        Ok(id) => id,
        Err(e) if is_unique_violation(&e) => return Err(TransferRefusal::Pending.into()),
        Err(e) => return Err(e.into()),
    };
    audit::record(
        &mut tx,
        Entry {
            actor: Some(user.id),
            union_id: Some(to),
            action: AuditAction::TransferRequest,
            target: format!("transfer:{id}"),
            before: None,
            after: Some(json!({"from": from, "to": to})),
        },
    )
    .await?;
    let view = store::transfers::one(&mut tx, id)
        .await?
        .ok_or_else(AppError::not_found)?
        .view(None)?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, axum::Json(view)))
}

/// Takes back a waiting request.
#[utoipa::path(
    post, path = "/api/me/transfers/{id}/withdraw", operation_id = "withdraw_transfer", tag = "transfers",
    params(("id" = i64, Path, description = "The request")),
    responses(
        (status = 200, description = "Withdrawn", body = TransferView),
        (status = 404, description = "Not your request", body = ErrorBody),
        (status = 409, description = "Decided already", body = ErrorBody),
    )
)]
async fn withdraw(
    State(state): State<AppState>,
    Member { user, roster_id }: Member,
    Path(id): Path<i64>,
) -> AppResult<axum::Json<TransferView>> {
    let mut tx = state.db.begin().await?;
    let row = store::transfers::one(&mut tx, id)
        .await?
        .filter(|r| r.roster_id == roster_id)
        .ok_or_else(AppError::not_found)?;
    if !store::transfers::close(
        &mut tx,
        id,
        TransferStatus::Withdrawn,
        None,
        None,
        time::now(),
    )
    .await?
    {
        return Err(TransferRefusal::Decided.into());
    }
    audit::record(
        &mut tx,
        Entry {
            actor: Some(user.id),
            union_id: Some(row.to_union_id),
            action: AuditAction::TransferWithdraw,
            target: format!("transfer:{id}"),
            before: Some(json!({"status": "pending"})),
            after: Some(json!({"status": "withdrawn"})),
        },
    )
    .await?;
    let view = store::transfers::one(&mut tx, id)
        .await?
        .ok_or_else(AppError::not_found)?
        .view(None)?;
    tx.commit().await?;
    Ok(axum::Json(view))
}

/// Transfers into and out of the officer's unions: waiting ones first.
#[utoipa::path(
    get, path = "/api/staff/transfers", operation_id = "transfer_queue", tag = "transfers",
    responses((status = 200, description = "Transfers in and out", body = Page<TransferView>))
)]
async fn queue(
    State(state): State<AppState>,
    Officer { scope, .. }: Officer,
) -> AppResult<axum::Json<Page<TransferView>>> {
    let rows =
        store::transfers::of_unions(&mut *state.db.reader().await?, &scope.like(), 200).await?;
    let items = rows
        .into_iter()
        .map(|r| {
            let decides = scope.covers(&r.to_path);
            r.view(Some(decides))
        })
        .collect::<AppResult<_>>()?;
    Ok(axum::Json(Page::whole(items)))
}

/// The new union's decision: `approve` moves the member in that day;
/// `reject` needs the reason, which the member reads.
#[utoipa::path(
    post, path = "/api/staff/transfers/{id}/decision", operation_id = "decide_transfer", tag = "transfers",
    params(("id" = i64, Path, description = "The request")),
    request_body = Decision,
    responses(
        (status = 200, description = "Decided", body = TransferView),
        (status = 403, description = "`not_the_new_union`: only the new union decides", body = ErrorBody),
        (status = 404, description = "Not into or out of your unions", body = ErrorBody),
        (status = 409, description = "Decided or withdrawn already", body = ErrorBody),
        (status = 422, description = "Unknown decision, or a decline without a reason", body = ErrorBody),
    )
)]
async fn decide(
    State(state): State<AppState>,
    Officer { user, scope }: Officer,
    Path(id): Path<i64>,
    Json(d): Json<Decision>,
) -> AppResult<axum::Json<TransferView>> {
    let (accept, note) = d
        .approve_or_decline()?
        .ok_or_else(|| AppError::bad_param("decision"))?;
    if note.chars().count() > NOTE_CHARS {
        return Err(TransferRefusal::NoteTooLong.into());
    }
    let mut tx = state.db.begin().await?;
    let row: TransferRow = store::transfers::one(&mut tx, id)
        .await?
        .filter(|r| scope.covers(&r.to_path) || scope.covers(&r.from_path))
        .ok_or_else(AppError::not_found)?;
    if !scope.covers(&row.to_path) {
        return Err(TransferRefusal::NotYours.into());
    }
    let now = time::now();
    let to = if accept {
        TransferStatus::Accepted
    } else {
        TransferStatus::Declined
    };
    let note = (!note.is_empty()).then_some(note);
    if !store::transfers::close(&mut tx, id, to, Some(user.id), note.as_deref(), now).await? {
        return Err(TransferRefusal::Decided.into());
    }
    if accept
        && !store::transfers::move_member(
            &mut tx,
            row.roster_id,
            row.from_union_id,
            row.to_union_id,
            now,
        )
        .await?
    {
        // The member moved meanwhile (another way): nothing of this lands.
        return Err(TransferRefusal::Decided.into());
    }
    audit::record(
        &mut tx,
        Entry {
            actor: Some(user.id),
            union_id: Some(row.to_union_id),
            action: if accept {
                AuditAction::TransferAccept
            } else {
                AuditAction::TransferDecline
            },
            target: format!("transfer:{id}"),
            before: Some(json!({"status": "pending", "union_id": row.from_union_id})),
            after: Some(json!({"status": to.as_str(), "union_id": if accept { row.to_union_id } else { row.from_union_id }, "note": note})),
        },
    )
    .await?;
    let letter = Letter::transfer_decided(accept, &row.to_name, note.as_deref());
    store::inbox::send_to_member(&mut tx, row.roster_id, user.id, &letter, now).await?;
    let view = store::transfers::one(&mut tx, id)
        .await?
        .ok_or_else(AppError::not_found)?
        .view(Some(true))?;
    tx.commit().await?;
    Ok(axum::Json(view))
}
