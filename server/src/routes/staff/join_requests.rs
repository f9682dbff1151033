//! The join-request queue: officers see applications to the unions in their
//! scope, oldest first, and approve (the person enters the roster with an
//! issued card) or decline with a reason.

use axum::extract::{Path, Query, State};
use serde::Deserialize;
use serde_json::json;
use sqlx::Row;
use unioncard_api::audit::AuditAction;
use unioncard_api::identity::{IdNumber, Phone};
use unioncard_api::join::{Decision, JoinRequestView, Page};
use unioncard_api::ErrorBody;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::audit::{self, Entry};
use crate::error::{AppError, AppResult};
use crate::extract::{CurrentUser, Json};
use crate::roster::{allocate_card_numbers, insert_entries, NewEntry};
use crate::routes::join::{load_request, request_from_row, REQUEST_SELECT};
use crate::scope::Scope;
use crate::{time, AppState};

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
    user: CurrentUser,
    Query(q): Query<QueueQuery>,
) -> AppResult<axum::Json<Page<JoinRequestView>>> {
    let scope = Scope::of(&state, &user).await?;
    let status = q.status.unwrap_or_else(|| "pending".into());
    if !matches!(status.as_str(), "pending" | "approved" | "rejected") {
        return Err(AppError::bad_request(
            "bad_status",
            "状态参数不正确",
            "Unknown status",
        ));
    }
    let after: i64 = match q.cursor.as_deref() {
        None | Some("") => 0,
        Some(c) => c
            .parse()
            .map_err(|_| AppError::bad_request("bad_cursor", "分页参数不正确", "Unknown cursor"))?,
    };
    let limit = q.limit.unwrap_or(20).clamp(1, 100);
    let rows = sqlx::query(&format!(
        "{REQUEST_SELECT} WHERE u.path LIKE $1 AND j.status = $2 AND j.id > $3 ORDER BY j.id LIMIT $4"
    ))
    .bind(scope.like())
    .bind(&status)
    .bind(after)
    .bind(limit + 1)
    .fetch_all(state.db.read())
    .await?;
    let mut items = rows
        .iter()
        .map(request_from_row)
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
    user: CurrentUser,
    Path(id): Path<i64>,
    Json(d): Json<Decision>,
) -> AppResult<axum::Json<JoinRequestView>> {
    let scope = Scope::of(&state, &user).await?;
    let note = d.note.trim().to_string();
    let approve = match d.decision.as_str() {
        "approve" => true,
        "reject" if !note.is_empty() => false,
        "reject" => {
            return Err(AppError::unprocessable(
                "note_required",
                "请填写不予通过的原因",
                "Give the reason for declining",
            )
            .with_field("note", "请填写原因", "Give the reason"))
        }
        _ => {
            return Err(AppError::unprocessable(
                "bad_decision",
                "入会申请只能通过或不予通过",
                "A join request can only be approved or rejected",
            ))
        }
    };
    let mut tx = state.db.write().begin().await?;
    let row = sqlx::query(&format!("{REQUEST_SELECT} WHERE j.id = $1"))
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(AppError::not_found)?;
    if !scope.covers(&row.try_get::<String, _>("path")?) {
        return Err(AppError::not_found());
    }
    let before = request_from_row(&row)?;
    if before.status.as_str() != "pending" {
        return Err(AppError::conflict(
            "already_decided",
            "这份申请已经处理过了",
            "This application was already decided",
        ));
    }
    let union_id: i64 = row.try_get("union_id")?;
    let now = time::now();
    let mut roster_id: Option<i64> = None;
    if approve {
        let secrets =
            sqlx::query("SELECT id_enc, phone_enc, id_hash FROM join_requests WHERE id = $1")
                .bind(id)
                .fetch_one(&mut *tx)
                .await?;
        let id_hash: String = secrets.try_get("id_hash")?;
        let taken: Option<i64> =
            sqlx::query_scalar("SELECT id FROM roster_entries WHERE id_hash = $1")
                .bind(&id_hash)
                .fetch_optional(&mut *tx)
                .await?;
        if taken.is_some() {
            return Err(AppError::conflict(
                "already_in_roster",
                "此人已在会员名册中",
                "This person is already in a roster",
            ));
        }
        let id_number = IdNumber::parse(
            &state
                .crypto
                .decrypt(&secrets.try_get::<String, _>("id_enc")?)?,
        )
        .map_err(|_| AppError::internal("stored ID number does not parse"))?;
        let phone = Phone::parse(
            &state
                .crypto
                .decrypt(&secrets.try_get::<String, _>("phone_enc")?)?,
        )
        .map_err(|_| AppError::internal("stored phone does not parse"))?;
        let card_no = allocate_card_numbers(&mut tx, 1).await?.remove(0);
        let entry = NewEntry {
            union_id,
            name: before.name.clone(),
            id_number,
            phone,
            workplace: before.workplace.clone(),
            card_no,
            bank: "中国工商银行",
            status: "issued",
            issued_at: now,
            activated_at: None,
        };
        insert_entries(&mut tx, &state.crypto, std::slice::from_ref(&entry), now).await?;
        roster_id = sqlx::query_scalar("SELECT id FROM roster_entries WHERE id_hash = $1")
            .bind(&id_hash)
            .fetch_optional(&mut *tx)
            .await?;
    }
    let status = if approve { "approved" } else { "rejected" };
    let done = sqlx::query(
        "UPDATE join_requests SET status = $1, note = $2, decided_by = $3, decided_at = $4, roster_id = $5
          WHERE id = $6 AND status = 'pending'",
    )
    .bind(status)
    .bind(Some(note.clone()).filter(|n| !n.is_empty()))
    .bind(user.id)
    .bind(now)
    .bind(roster_id)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() != 1 {
        return Err(AppError::conflict(
            "already_decided",
            "这份申请已经处理过了",
            "This application was already decided",
        ));
    }
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
    Ok(axum::Json(load_request(&state, id).await?))
}
