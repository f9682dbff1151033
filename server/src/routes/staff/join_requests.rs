//! The join-request queue: officers see applications to the unions in their
//! scope, oldest first, and approve (the person enters the roster with an
//! issued card) or decline with a reason.

use axum::extract::{Path, Query, State};
use serde::Deserialize;
use serde_json::json;
use unioncard_api::audit::AuditAction;
use unioncard_api::identity::{IdNumber, Phone};
use unioncard_api::inbox::Letter;
use unioncard_api::join::JoinRefusal;
use unioncard_api::join::{Decision, JoinRequestView, Page};
use unioncard_api::request::RequestRefusal;
use unioncard_api::ErrorBody;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::audit::{self, Entry};
use crate::error::{AppError, AppResult};
use crate::extract::{Json, Officer};
use crate::roster::{allocate_card_numbers, insert_entries, NewEntry};
use crate::store::join::Decided;
use crate::{store, time, AppState};

/// The join-request queue routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(queue))
        .routes(routes!(decide))
}

/// Queue filters.
#[derive(Debug, Deserialize, IntoParams)]
pub struct QueueQuery {
    /// `pending` (default), `approved` or `rejected`.
    pub status: Option<String>,
    /// At most this many (default 20, max 100).
    pub limit: Option<i64>,
    /// From a previous page's `next_cursor`.
    pub cursor: Option<String>,
}

/// Applications to the officer's unions, oldest first.
#[utoipa::path(
    get, path = "/api/staff/join-requests", operation_id = "join_request_queue", tag = "staff",
    params(QueueQuery),
    responses(
        (status = 200, description = "A page of applications", body = Page<JoinRequestView>),
        (status = 400, description = "Bad status or cursor", body = ErrorBody),
        (status = 403, description = "Not an officer", body = ErrorBody),
    )
)]
async fn queue(
    State(state): State<AppState>,
    Officer { scope, .. }: Officer,
    Query(q): Query<QueueQuery>,
) -> AppResult<axum::Json<Page<JoinRequestView>>> {
    let status = q.status.unwrap_or_else(|| "pending".into());
    if !matches!(status.as_str(), "pending" | "approved" | "rejected") {
        return Err(RequestRefusal::BadStatus.into());
    }
    let after: i64 = match q.cursor.as_deref() {
        None | Some("") => 0,
        Some(c) => c
            .parse()
            .map_err(|_| AppError::from(RequestRefusal::BadCursor))?,
    };
    let limit = q.limit.unwrap_or(20).clamp(1, 100);
    let rows = store::join::requests_in(
        &mut *state.db.reader().await?,
        &scope.like(),
        &status,
        after,
        limit + 1,
    )
    .await?;
    let mut items = rows
        .into_iter()
        .map(store::join::JoinRow::into_view)
        .collect::<AppResult<Vec<_>>>()?;
    let next_cursor = if items.len() as i64 > limit {
        items.truncate(limit as usize);
        items.last().map(|i| i.id.to_string())
    } else {
        None
    };
    Ok(axum::Json(Page { items, next_cursor }))
}

/// Approves or declines an application.
#[utoipa::path(
    post, path = "/api/staff/join-requests/{id}/decision", operation_id = "decide_join_request", tag = "staff",
    params(("id" = i64, Path, description = "Application id")),
    request_body = Decision,
    responses(
        (status = 200, description = "Decided", body = JoinRequestView),
        (status = 404, description = "No such application in your unions", body = ErrorBody),
        (status = 409, description = "Already decided, or the person is already in a roster", body = ErrorBody),
        (status = 422, description = "Unknown decision, or a decline without a reason", body = ErrorBody),
    )
)]
async fn decide(
    State(state): State<AppState>,
    Officer { user, scope }: Officer,
    Path(id): Path<i64>,
    Json(d): Json<Decision>,
) -> AppResult<axum::Json<JoinRequestView>> {
    let (approve, note) = d.approve_or_decline()?.ok_or(JoinRefusal::BadDecision)?;
    let mut tx = state.db.begin().await?;
    // Two officers deciding at once take turns here: the second finds it
    // decided (409) instead of adding the same person to the roster twice.
    store::lock_row(&mut tx, "join_requests", id).await?;
    let row = store::join::request(&mut tx, id)
        .await?
        .ok_or_else(AppError::not_found)?;
    if !scope.covers(&row.path) {
        return Err(AppError::not_found());
    }
    let union_id = row.union_id;
    let before = row.into_view()?;
    if before.status.as_str() != "pending" {
        return Err(JoinRefusal::AlreadyDecided.into());
    }
    let now = time::now();
    let mut roster_id: Option<i64> = None;
    if approve {
        let secrets = store::join::secrets(&mut tx, id).await?;
        if store::join::roster_id_with_id_hash(&mut tx, &secrets.id_hash)
            .await?
            .is_some()
        {
            return Err(JoinRefusal::AlreadyInRoster.into());
        }
        let id_number = IdNumber::parse(&state.crypto.decrypt(&secrets.id_enc)?)
            .map_err(|_| AppError::internal("stored ID number does not parse"))?;
        let phone = Phone::parse(&state.crypto.decrypt(&secrets.phone_enc)?)
            .map_err(|_| AppError::internal("stored phone does not parse"))?;
        let card_no = allocate_card_numbers(&mut tx, 1).await?.remove(0);
        let entry = NewEntry {
            union_id,
            name: before.name.clone(),
            id_number,
            phone,
            workplace: before.workplace.clone(),
            card_no,
            bank: unioncard_api::card::ISSUING_BANK,
            status: unioncard_api::card::CardStatus::Issued,
            issued_at: now,
            activated_at: None,
        };
        insert_entries(&mut tx, &state.crypto, std::slice::from_ref(&entry), now).await?;
        roster_id = store::join::roster_id_with_id_hash(&mut tx, &secrets.id_hash).await?;
    }
    let status = if approve { "approved" } else { "rejected" };
    let done = store::join::decide(
        &mut tx,
        id,
        &Decided {
            status,
            note: Some(note.as_str()).filter(|n| !n.is_empty()),
            by: user.id,
            at: now,
            roster_id,
        },
    )
    .await?;
    if !done {
        return Err(JoinRefusal::AlreadyDecided.into());
    }
    let letter = Letter::join_decided(
        approve,
        &before.union_name,
        Some(note.as_str()).filter(|_| !approve),
    );
    store::inbox::send_to_join_applicant(&mut tx, id, &letter, now).await?;
    audit::record(
        &mut tx,
        Entry {
            actor: Some(user.id),
            union_id: Some(union_id),
            action: if approve {
                AuditAction::JoinRequestApprove
            } else {
                AuditAction::JoinRequestReject
            },
            target: format!("join_request:{id}"),
            before: Some(json!({"status": "pending"})),
            after: Some(json!({"status": status, "note": note, "roster_id": roster_id})),
        },
    )
    .await?;
    tx.commit().await?;
    let view = store::join::request(&mut *state.db.reader().await?, id)
        .await?
        .ok_or_else(AppError::not_found)?
        .into_view()?;
    Ok(axum::Json(view))
}
