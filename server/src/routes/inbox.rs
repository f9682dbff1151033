//! The inbox: `GET /api/me/messages` (a page, newest first, with the
//! unread count), `GET /api/me/messages/unread` (the bell's number, cheap
//! enough to ask on every screen), and marking read. An account reads and
//! marks only its own messages; anyone else's is 404.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::Deserialize;
use unioncard_api::inbox::{Inbox, MessageKind, MessageView, Unread};
use unioncard_api::{ErrorBody, Lang};
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{current_lang, AppError, AppResult};
use crate::extract::CurrentUser;
use crate::{store, time, AppState};

/// The inbox routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(unread))
        .routes(routes!(read_one))
        .routes(routes!(read_all))
}

/// Paging.
#[derive(Debug, Deserialize, IntoParams)]
pub struct InboxQuery {
    /// From the previous page's `next_cursor`.
    pub cursor: Option<String>,
    /// Page size (default 20, max 100).
    pub limit: Option<i64>,
}

/// My messages, newest first, and how many are unread.
#[utoipa::path(
    get, path = "/api/me/messages", operation_id = "list_messages", tag = "inbox",
    params(InboxQuery),
    responses(
        (status = 200, description = "A page of the inbox", body = Inbox),
        (status = 400, description = "A malformed cursor", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
    )
)]
async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<InboxQuery>,
) -> AppResult<axum::Json<Inbox>> {
    let limit = q.limit.unwrap_or(20).clamp(1, 100);
    let before_id = match q.cursor.as_deref() {
        None | Some("") => i64::MAX,
        Some(c) => c.parse().map_err(|_| AppError::bad_param("cursor"))?,
    };
    deliver(&state, &user).await;
    let mut conn = state.db.reader().await?;
    let rows = store::inbox::page(&mut conn, user.id, before_id, limit + 1).await?;
    let unread = store::inbox::unread(&mut conn, user.id).await?;
    let more = rows.len() as i64 > limit;
    let lang = current_lang();
    let mut items = Vec::with_capacity(rows.len());
    for r in rows.into_iter().take(limit as usize) {
        let kind = MessageKind::from_db(&r.kind)
            .ok_or_else(|| AppError::internal(format!("message {} has kind {:?}", r.id, r.kind)))?;
        let (title, body) = match lang {
            Lang::Zh => (r.title_zh, r.body_zh),
            Lang::En => (r.title_en, r.body_en),
        };
        items.push(MessageView {
            id: r.id,
            kind,
            title,
            body,
            link: r.link,
            at: time::rfc3339(r.sent_at),
            read: r.read_at.is_some(),
        });
    }
    let next_cursor = more
        .then(|| items.last().map(|m| m.id.to_string()))
        .flatten();
    Ok(axum::Json(Inbox {
        items,
        next_cursor,
        unread,
    }))
}

/// Delivers what is due to this member before they read (closing aid
/// plans, a hardship file ending). A failure here is logged, not answered: the inbox still opens.
async fn deliver(state: &AppState, user: &CurrentUser) {
    let now = time::now();
    if let Err(e) = crate::reminders::tell_of_closing_plans(&state.db, user, now).await {
        tracing::warn!("closing-plan notices: {e:?}");
    }
    if let Err(e) = crate::reminders::tell_of_files_ending(&state.db, user, now).await {
        tracing::warn!("hardship renewal notices: {e:?}");
    }
}

/// How many of my messages are unread (the bell).
#[utoipa::path(
    get, path = "/api/me/messages/unread", operation_id = "count_unread_messages", tag = "inbox",
    responses(
        (status = 200, description = "The unread count", body = Unread),
        (status = 401, description = "Not signed in", body = ErrorBody),
    )
)]
async fn unread(State(state): State<AppState>, user: CurrentUser) -> AppResult<axum::Json<Unread>> {
    deliver(&state, &user).await;
    let unread = store::inbox::unread(&mut *state.db.reader().await?, user.id).await?;
    Ok(axum::Json(Unread { unread }))
}

/// Marks one of my messages read (again is harmless).
#[utoipa::path(
    post, path = "/api/me/messages/{id}/read", operation_id = "read_message", tag = "inbox",
    params(("id" = i64, Path, description = "Message id")),
    responses(
        (status = 204, description = "Read"),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No such message of yours", body = ErrorBody),
    )
)]
async fn read_one(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<StatusCode> {
    if store::inbox::mark_read(&mut *state.db.writer().await?, user.id, id, time::now()).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(AppError::not_found())
    }
}

/// Marks all my messages read.
#[utoipa::path(
    post, path = "/api/me/messages/read-all", operation_id = "read_all_messages", tag = "inbox",
    responses(
        (status = 204, description = "All read"),
        (status = 401, description = "Not signed in", body = ErrorBody),
    )
)]
async fn read_all(State(state): State<AppState>, user: CurrentUser) -> AppResult<StatusCode> {
    store::inbox::mark_all_read(&mut *state.db.writer().await?, user.id, time::now()).await?;
    Ok(StatusCode::NO_CONTENT)
}
