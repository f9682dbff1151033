//! Applying to join a union, for people no roster knows, without an account;
//! and finding out the outcome with the phone and ID number given.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use serde::Deserialize;
use sqlx::Row;
use unioncard_api::identity::{mask_name, IdNumber, Phone};
use unioncard_api::join::{
    JoinApplication, JoinLookup, JoinRequestView, JoinStatus, Page, WorkplaceUnion,
};
use unioncard_api::ErrorBody;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{AppError, AppResult};
use crate::extract::{ClientAddr, Json};
use crate::{time, AppState};

/// The joining routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_workplaces))
        .routes(routes!(apply))
        .routes(routes!(lookup))
}

/// Search parameters for workplace unions.
#[derive(Debug, Deserialize, IntoParams)]
pub struct UnionQuery {
    /// Part of the union's name or district.
    pub q: Option<String>,
    /// At most this many (default 20, max 100).
    pub limit: Option<i64>,
}

/// Workplace unions a person can apply to, searchable by name.
#[utoipa::path(
    get, path = "/api/unions", tag = "join",
    params(UnionQuery),
    responses((status = 200, description = "Workplace unions", body = Page<WorkplaceUnion>))
)]
async fn list_workplaces(
    State(state): State<AppState>,
    Query(q): Query<UnionQuery>,
) -> AppResult<axum::Json<Page<WorkplaceUnion>>> {
    let limit = q.limit.unwrap_or(20).clamp(1, 100);
    let pattern = crate::store::contains_pattern(q.q.as_deref())?.unwrap_or_else(|| "%".into());
    let rows = sqlx::query(
        "SELECT id, name, district FROM unions
          WHERE level = 'workplace' AND (LOWER(name) LIKE $1 ESCAPE '\\' OR LOWER(district) LIKE $1 ESCAPE '\\')
          ORDER BY district, name LIMIT $2",
    )
    .bind(&pattern)
    .bind(limit)
    .fetch_all(state.db.read())
    .await?;
    let items = rows
        .iter()
        .map(|r| {
            Ok(WorkplaceUnion {
                id: r.try_get("id")?,
                name: r.try_get("name")?,
                district: r
                    .try_get::<Option<String>, _>("district")?
                    .unwrap_or_default(),
            })
        })
        .collect::<AppResult<Vec<_>>>()?;
    Ok(axum::Json(Page::whole(items)))
}

/// Applies to join a workplace union.
#[utoipa::path(
    post, path = "/api/join-requests", tag = "join",
    request_body = JoinApplication,
    responses(
        (status = 201, description = "Received; an officer will decide", body = JoinRequestView),
        (status = 409, description = "`already_known`: on a roster or already applied (one answer for both)", body = ErrorBody),
        (status = 429, description = "Too many applications from this client or for this ID number", body = ErrorBody),
        (status = 422, description = "Invalid fields or unknown union", body = ErrorBody),
    )
)]
async fn apply(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    Json(req): Json<JoinApplication>,
) -> AppResult<(StatusCode, axum::Json<JoinRequestView>)> {
    let app = req.parse().map_err(|p| AppError::invalid(&p))?;
    let level: Option<String> = sqlx::query_scalar("SELECT level FROM unions WHERE id = $1")
        .bind(req.union_id)
        .fetch_optional(state.db.read())
        .await?;
    if level.as_deref() != Some("workplace") {
        return Err(AppError::unprocessable(
            "unknown_union",
            "请选择所在单位工会",
            "Choose your workplace union",
        )
        .with_field(
            "union_id",
            "请选择所在单位工会",
            "Choose your workplace union",
        ));
    }
    let id_hash = state.crypto.lookup_hash("id", app.id_number.expose());
    crate::routes::auth::probe(&state, &addr, &id_hash).await?;
    let mut tx = state.db.write().begin().await?;
    let in_roster: Option<i64> =
        sqlx::query_scalar("SELECT id FROM roster_entries WHERE id_hash = $1")
            .bind(&id_hash)
            .fetch_optional(&mut *tx)
            .await?;
    // On a roster or already applied: one answer for both, so this form
    // does not tell a stranger which ID numbers are on a roster.
    if in_roster.is_some() {
        return Err(already_known());
    }
    let pending: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM join_requests WHERE id_hash = $1 AND status = 'pending'",
    )
    .bind(&id_hash)
    .fetch_optional(&mut *tx)
    .await?;
    if pending.is_some() {
        return Err(already_known());
    }
    let now = time::now();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO join_requests (union_id, name, id_enc, id_hash, id_masked, phone_enc, phone_hash,
             phone_masked, workplace, status, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'pending', $10) RETURNING id",
    )
    .bind(req.union_id)
    .bind(app.name.as_str())
    .bind(state.crypto.encrypt(app.id_number.expose()))
    .bind(&id_hash)
    .bind(app.id_number.masked())
    .bind(state.crypto.encrypt(app.phone.expose()))
    .bind(state.crypto.lookup_hash("phone", app.phone.expose()))
    .bind(app.phone.masked())
    .bind(&app.workplace)
    .bind(now)
    .fetch_one(&mut *tx)
    .await
    .map_err(|e| {
        // Two identical requests at once: the one-pending key keeps one.
        if crate::routes::auth::is_unique_violation(&e) {
            already_known()
        } else {
            e.into()
        }
    })?;
    tx.commit().await?;
    let mut view = load_request(&state, id).await?;
    view.name = mask_name(&view.name);
    Ok((StatusCode::CREATED, axum::Json(view)))
}

fn already_known() -> AppError {
    AppError::conflict(
        "already_known",
        "该身份证号已在会员名册中或已提交入会申请：已是会员的请直接注册；已申请的可用手机号和身份证号查询进度",
        "This ID number is already on a roster or has applied: members can register directly; applicants can look up their application with phone and ID number",
    )
}

/// The latest application made with this phone and ID number.
#[utoipa::path(
    post, path = "/api/join-requests/lookup", tag = "join",
    request_body = JoinLookup,
    responses(
        (status = 200, description = "The application and its outcome", body = JoinRequestView),
        (status = 404, description = "No application with this phone and ID number", body = ErrorBody),
        (status = 429, description = "Too many look-ups from this client or for this ID number", body = ErrorBody),
    )
)]
async fn lookup(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    Json(req): Json<JoinLookup>,
) -> AppResult<axum::Json<JoinRequestView>> {
    // Malformed input cannot match anything: the same 404, nothing learned.
    let (Ok(phone), Ok(id)) = (Phone::parse(&req.phone), IdNumber::parse(&req.id_number)) else {
        return Err(AppError::not_found());
    };
    crate::routes::auth::probe(&state, &addr, &state.crypto.lookup_hash("id", id.expose())).await?;
    let id: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM join_requests WHERE id_hash = $1 AND phone_hash = $2 ORDER BY id DESC LIMIT 1",
    )
    .bind(state.crypto.lookup_hash("id", id.expose()))
    .bind(state.crypto.lookup_hash("phone", phone.expose()))
    .fetch_optional(state.db.read())
    .await?;
    let mut view = load_request(&state, id.ok_or_else(AppError::not_found)?).await?;
    view.name = mask_name(&view.name);
    Ok(axum::Json(view))
}

/// The SELECT behind [`request_from_row`].
pub const REQUEST_SELECT: &str =
    "SELECT j.id, j.name, j.id_masked, j.phone_masked, j.workplace, j.status, j.note,
        j.created_at, j.decided_at, j.union_id, u.name AS union_name, u.path
   FROM join_requests j JOIN unions u ON u.id = j.union_id";

/// An application from a row of [`REQUEST_SELECT`].
pub fn request_from_row(r: &sqlx::any::AnyRow) -> AppResult<JoinRequestView> {
    let status: String = r.try_get("status")?;
    Ok(JoinRequestView {
        id: r.try_get("id")?,
        name: r.try_get("name")?,
        id_number_masked: r.try_get("id_masked")?,
        phone_masked: r.try_get("phone_masked")?,
        union_name: r.try_get("union_name")?,
        workplace: r.try_get("workplace")?,
        status: JoinStatus::from_db(&status)
            .ok_or_else(|| AppError::internal("unknown join status"))?,
        note: r.try_get("note")?,
        created_at: time::rfc3339(r.try_get("created_at")?),
        decided_at: r
            .try_get::<Option<i64>, _>("decided_at")?
            .map(time::rfc3339),
    })
}

/// One application by id (no scope check: callers check).
pub async fn load_request(state: &AppState, id: i64) -> AppResult<JoinRequestView> {
    let row = sqlx::query(&format!("{REQUEST_SELECT} WHERE j.id = $1"))
        .bind(id)
        .fetch_optional(state.db.read())
        .await?
        .ok_or_else(AppError::not_found)?;
    request_from_row(&row)
}
