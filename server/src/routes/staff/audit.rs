//! The audit log, read-only: every officer decision, roster import, change
//! of a card's status and management change, with who, when, and what it was
//! before and after. Officers see the entries of their unions; entries with
//! no union (system changes) only an administrator.

use axum::extract::{Query, State};
use serde::Deserialize;
use unioncard_api::audit::AuditEntry;
use unioncard_api::auth::Role;
use unioncard_api::join::Page;
use unioncard_api::ErrorBody;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{AppError, AppResult};
use crate::extract::Officer;
use crate::store::audit::AuditFilter;
use crate::{store, time, AppState};

/// The audit route.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list))
}

/// Filters.
#[derive(Debug, Deserialize, IntoParams)]
pub struct AuditQuery {
    /// Actions starting with this, e.g. `aid.claim` or `card.`.
    pub action: Option<String>,
    /// A target, e.g. `aid_claim:17`.
    pub target: Option<String>,
    /// First day.
    pub from: Option<String>,
    /// Last day.
    pub to: Option<String>,
    /// From the previous page's `next_cursor`.
    pub cursor: Option<String>,
    /// Page size (default 50, max 100).
    pub limit: Option<i64>,
}

/// The audit log of the officer's unions, newest first.
#[utoipa::path(
    get, path = "/api/staff/audit", operation_id = "list_audit_log", tag = "staff",
    params(AuditQuery),
    responses(
        (status = 200, description = "Entries", body = Page<AuditEntry>),
        (status = 400, description = "A malformed filter or cursor", body = ErrorBody),
        (status = 403, description = "Not an officer", body = ErrorBody),
    )
)]
async fn list(
    State(state): State<AppState>,
    Officer { user, scope }: Officer,
    Query(q): Query<AuditQuery>,
) -> AppResult<axum::Json<Page<AuditEntry>>> {
    let limit = q.limit.unwrap_or(50).clamp(1, 100);
    let before_id = match q.cursor.as_deref() {
        None | Some("") => i64::MAX,
        Some(c) => c.parse().map_err(|_| AppError::bad_param("cursor"))?,
    };
    let day = |v: &Option<String>, field: &str| -> AppResult<Option<i64>> {
        match v.as_deref() {
            None | Some("") => Ok(None),
            Some(s) => unioncard_api::identity::Date::parse_iso(s)
                .map(|d| Some(d.to_days()))
                .ok_or_else(|| AppError::bad_param(field)),
        }
    };
    let from = day(&q.from, "from")?
        .map(time::day_start)
        .unwrap_or(i64::MIN);
    let to = day(&q.to, "to")?
        .map(|d| time::day_start(d + 1))
        .unwrap_or(i64::MAX);
    let action = format!(
        "{}%",
        q.action.as_deref().unwrap_or("").replace(['%', '_'], "")
    );
    let target = q.target.clone().unwrap_or_default();
    // Entries without a union are the system's: administrators only.
    let admin = user.role == Role::Admin;
    let rows = store::audit::entries(
        &mut *state.db.reader().await?,
        &AuditFilter {
            path_like: &scope.like(),
            with_system: admin,
            before_id,
            from,
            to,
            action: &action,
            target: &target,
            limit: limit + 1,
        },
    )
    .await?;
    let more = rows.len() as i64 > limit;
    let json = |v: Option<String>| v.and_then(|s| serde_json::from_str(&s).ok());
    let mut items = Vec::new();
    let mut last = None;
    for r in rows.into_iter().take(limit as usize) {
        last = Some(r.id);
        items.push(AuditEntry {
            at: time::rfc3339(r.at),
            actor: r.actor.unwrap_or_else(|| "system".into()),
            action: r.action,
            target: r.target,
            before: json(r.before_json),
            after: json(r.after_json),
        });
    }
    Ok(axum::Json(Page {
        items,
        next_cursor: if more {
            last.map(|id| id.to_string())
        } else {
            None
        },
    }))
}
