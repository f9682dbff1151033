//! Administrators: the unions (a new union below one in their scope, a
//! rename) and officer accounts. Officers may not (403); everything is
//! audited in the same transaction.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::json;
use sqlx::Row;
use unioncard_api::audit::AuditAction;
use unioncard_api::auth::{level_below, OfficerInput, OfficerView, Role, UnionInput, UnionView};
use unioncard_api::error::FieldProblems;
use unioncard_api::identity::{NewPassword, PersonName, Phone};
use unioncard_api::join::Page;
use unioncard_api::ErrorBody;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::audit::{self, Entry};
use crate::error::{AppError, AppResult};
use crate::extract::{CurrentUser, Json};
use crate::routes::auth::{hash_password, is_unique_violation};
use crate::scope::Scope;
use crate::{time, AppState};

/// The administrators' routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(unions, create_union))
        .routes(routes!(rename_union))
        .routes(routes!(officers, create_officer))
        .routes(routes!(set_officer_access))
}

/// The administrator's scope; 403 for everyone else (officers included).
async fn admin(state: &AppState, user: &CurrentUser) -> AppResult<Scope> {
    if user.role != Role::Admin {
        return Err(AppError::forbidden(
            "admins_only",
            "仅系统管理员可以使用",
            "Only administrators can do this",
        ));
    }
    Scope::of(state, user).await
}

/// Which unions.
#[derive(Debug, Deserialize, IntoParams)]
pub struct UnionQuery {
    /// The union whose children to list (default: the administrator's own,
    /// which is listed first).
    pub parent: Option<i64>,
}

/// A union and the unions directly below it.
#[utoipa::path(
    get, path = "/api/admin/unions", tag = "admin",
    params(UnionQuery),
    responses(
        (status = 200, description = "The union first, then its children", body = Page<UnionView>),
        (status = 403, description = "Not an administrator", body = ErrorBody),
        (status = 404, description = "Outside your scope", body = ErrorBody),
    )
)]
async fn unions(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<UnionQuery>,
) -> AppResult<axum::Json<Page<UnionView>>> {
    let scope = admin(&state, &user).await?;
    let parent = q.parent.unwrap_or(scope.union_id);
    scope.require_union(&state, parent).await?;
    let rows = sqlx::query(
        "SELECT u.id, u.parent_id, u.code, u.name, u.level,
                (SELECT COUNT(*) FROM unions c WHERE c.parent_id = u.id) AS children
           FROM unions u WHERE u.id = $1 OR u.parent_id = $1 ORDER BY (u.id <> $1), u.id",
    )
    .bind(parent)
    .fetch_all(state.db.read())
    .await?;
    let items = rows
        .iter()
        .map(|r| {
            Ok(UnionView {
                id: r.try_get("id")?,
                parent_id: r.try_get("parent_id")?,
                code: r.try_get("code")?,
                name: r.try_get("name")?,
                level: r.try_get("level")?,
                children: r.try_get("children")?,
            })
        })
        .collect::<AppResult<Vec<_>>>()?;
    Ok(axum::Json(Page::whole(items)))
}

/// Adds a union below one in the administrator's scope (a city below the
/// province, a district below a city, a workplace below a district).
#[utoipa::path(
    post, path = "/api/admin/unions", tag = "admin",
    request_body = UnionInput,
    responses(
        (status = 201, description = "Created", body = UnionView),
        (status = 404, description = "The parent is outside your scope", body = ErrorBody),
        (status = 409, description = "The code is taken", body = ErrorBody),
        (status = 422, description = "A field is wrong, or nothing goes below a workplace union", body = ErrorBody),
    )
)]
async fn create_union(
    State(state): State<AppState>,
    user: CurrentUser,
    Json(input): Json<UnionInput>,
) -> AppResult<(StatusCode, axum::Json<UnionView>)> {
    let scope = admin(&state, &user).await?;
    input.check().map_err(|p| AppError::invalid(&p))?;
    scope.require_union(&state, input.parent_id).await?;
    let parent = sqlx::query("SELECT level, path, district FROM unions WHERE id = $1")
        .bind(input.parent_id)
        .fetch_one(state.db.read())
        .await?;
    let level = level_below(&parent.try_get::<String, _>("level")?).ok_or_else(|| {
        AppError::unprocessable(
            "no_level_below",
            "基层工会下面不能再设工会",
            "Nothing goes below a workplace union",
        )
        .with_field("parent_id", "请选择上级工会", "Choose another parent")
    })?;
    let district = if input.district.trim().is_empty() {
        parent.try_get::<Option<String>, _>("district")?
    } else {
        Some(input.district.trim().to_string())
    };
    let mut tx = state.db.write().begin().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO unions (parent_id, code, name, level, district) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(input.parent_id)
    .bind(input.code.trim())
    .bind(input.name.trim())
    .bind(level)
    .bind(&district)
    .fetch_one(&mut *tx)
    .await
    .map_err(|e| {
        if is_unique_violation(&e) {
            AppError::conflict("code_taken", "这个编码已被使用", "This code is taken")
                .with_field("code", "编码已被使用", "Taken")
        } else {
            e.into()
        }
    })?;
    let path = format!("{}{id}/", parent.try_get::<String, _>("path")?);
    sqlx::query("UPDATE unions SET path = $1 WHERE id = $2")
        .bind(&path)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    audit::record(
        &mut tx,
        Entry {
            actor: Some(user.id),
            union_id: Some(id),
            action: AuditAction::UnionCreate,
            target: format!("union:{id}"),
            before: None,
            after: Some(json!({"parent_id": input.parent_id, "code": input.code.trim(), "name": input.name.trim(), "level": level})),
        },
    )
    .await?;
    tx.commit().await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(UnionView {
            id,
            parent_id: Some(input.parent_id),
            code: input.code.trim().into(),
            name: input.name.trim().into(),
            level: level.into(),
            children: 0,
        }),
    ))
}

/// A new name.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct Rename {
    /// The union's new name.
    pub name: String,
}

/// Renames a union in the administrator's scope.
#[utoipa::path(
    put, path = "/api/admin/unions/{id}", tag = "admin",
    params(("id" = i64, Path, description = "Union id")),
    request_body = Rename,
    responses(
        (status = 200, description = "Renamed", body = UnionView),
        (status = 404, description = "Outside your scope", body = ErrorBody),
        (status = 422, description = "Empty or too long", body = ErrorBody),
    )
)]
async fn rename_union(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Json(r): Json<Rename>,
) -> AppResult<axum::Json<UnionView>> {
    let scope = admin(&state, &user).await?;
    scope.require_union(&state, id).await?;
    let name = r.name.trim();
    if name.is_empty() || name.chars().count() > 60 {
        return Err(AppError::unprocessable(
            "bad_name",
            "请填写名称（60 字以内）",
            "Give a name (at most 60 characters)",
        )
        .with_field("name", "1 到 60 字", "1 to 60 characters"));
    }
    let mut tx = state.db.write().begin().await?;
    let before: String = sqlx::query_scalar("SELECT name FROM unions WHERE id = $1")
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
    sqlx::query("UPDATE unions SET name = $1 WHERE id = $2")
        .bind(name)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    audit::record(
        &mut tx,
        Entry {
            actor: Some(user.id),
            union_id: Some(id),
            action: AuditAction::UnionRename,
            target: format!("union:{id}"),
            before: Some(json!({"name": before})),
            after: Some(json!({"name": name})),
        },
    )
    .await?;
    let row = sqlx::query(
        "SELECT id, parent_id, code, name, level, (SELECT COUNT(*) FROM unions c WHERE c.parent_id = $1) AS children
           FROM unions WHERE id = $1",
    )
    .bind(id)
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(axum::Json(UnionView {
        id,
        parent_id: row.try_get("parent_id")?,
        code: row.try_get("code")?,
        name: row.try_get("name")?,
        level: row.try_get("level")?,
        children: row.try_get("children")?,
    }))
}

/// The officers and administrators of the administrator's unions.
#[utoipa::path(
    get, path = "/api/admin/officers", tag = "admin",
    responses(
        (status = 200, description = "Accounts", body = Page<OfficerView>),
        (status = 403, description = "Not an administrator", body = ErrorBody),
    )
)]
async fn officers(
    State(state): State<AppState>,
    user: CurrentUser,
) -> AppResult<axum::Json<Page<OfficerView>>> {
    let scope = admin(&state, &user).await?;
    let rows = sqlx::query(
        "SELECT us.id, us.name, us.phone_masked, us.role, us.disabled_at, u.name AS union_name FROM users us
           JOIN unions u ON u.id = us.union_id
          WHERE us.role IN ('officer', 'admin') AND u.path LIKE $1 ORDER BY u.path, us.id LIMIT 200",
    )
    .bind(scope.like())
    .fetch_all(state.db.read())
    .await?;
    let items = rows
        .iter()
        .map(|r| {
            Ok(OfficerView {
                id: r.try_get("id")?,
                name: r.try_get("name")?,
                phone_masked: r.try_get("phone_masked")?,
                union_name: r.try_get("union_name")?,
                role: r.try_get("role")?,
                disabled: r.try_get::<Option<i64>, _>("disabled_at")?.is_some(),
            })
        })
        .collect::<AppResult<Vec<_>>>()?;
    Ok(axum::Json(Page::whole(items)))
}

/// Opens an officer account for a union in the administrator's scope.
#[utoipa::path(
    post, path = "/api/admin/officers", tag = "admin",
    request_body = OfficerInput,
    responses(
        (status = 201, description = "Created", body = OfficerView),
        (status = 404, description = "The union is outside your scope", body = ErrorBody),
        (status = 409, description = "The phone already has an account", body = ErrorBody),
        (status = 422, description = "A field is wrong", body = ErrorBody),
    )
)]
async fn create_officer(
    State(state): State<AppState>,
    user: CurrentUser,
    Json(input): Json<OfficerInput>,
) -> AppResult<(StatusCode, axum::Json<OfficerView>)> {
    let scope = admin(&state, &user).await?;
    let mut p = FieldProblems::default();
    let name = p.check("name", PersonName::parse(&input.name));
    let phone = p.check("phone", Phone::parse(&input.phone));
    let password = p.check("password", NewPassword::parse(&input.password));
    let (Some(name), Some(phone), Some(password)) = (name, phone, password) else {
        return Err(AppError::invalid(&p));
    };
    scope.require_union(&state, input.union_id).await?;
    let hash = hash_password(password.expose().to_string()).await?;
    let mut tx = state.db.write().begin().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO users (phone_hash, phone_enc, phone_masked, password_hash, name, role, union_id, created_at)
         VALUES ($1, $2, $3, $4, $5, 'officer', $6, $7) RETURNING id",
    )
    .bind(state.crypto.lookup_hash("phone", phone.expose()))
    .bind(state.crypto.encrypt(phone.expose()))
    .bind(phone.masked())
    .bind(hash)
    .bind(name.as_str())
    .bind(input.union_id)
    .bind(time::now())
    .fetch_one(&mut *tx)
    .await
    .map_err(|e| {
        if is_unique_violation(&e) {
            AppError::conflict("phone_taken", "这个手机号已有账号", "This phone already has an account")
                .with_field("phone", "已有账号", "Already has an account")
        } else {
            e.into()
        }
    })?;
    audit::record(
        &mut tx,
        Entry {
            actor: Some(user.id),
            union_id: Some(input.union_id),
            action: AuditAction::OfficerCreate,
            target: format!("user:{id}"),
            before: None,
            after: Some(
                json!({"name": name.as_str(), "phone": phone.masked(), "union_id": input.union_id}),
            ),
        },
    )
    .await?;
    let union_name: String = sqlx::query_scalar("SELECT name FROM unions WHERE id = $1")
        .bind(input.union_id)
        .fetch_one(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(OfficerView {
            id,
            name: name.as_str().into(),
            phone_masked: phone.masked(),
            union_name,
            role: "officer".into(),
            disabled: false,
        }),
    ))
}

/// Whether an account may sign in.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct Access {
    /// `false` disables the account (its sessions end at once); `true` enables it again.
    pub enabled: bool,
}

/// Disables an officer account (someone who left) or enables it again.
#[utoipa::path(
    post, path = "/api/admin/officers/{id}/access", tag = "admin",
    params(("id" = i64, Path, description = "Account id")),
    request_body = Access,
    responses(
        (status = 204, description = "Changed"),
        (status = 404, description = "No such officer in your unions", body = ErrorBody),
        (status = 409, description = "Your own account", body = ErrorBody),
    )
)]
async fn set_officer_access(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Json(access): Json<Access>,
) -> AppResult<StatusCode> {
    let scope = admin(&state, &user).await?;
    if id == user.id {
        return Err(AppError::conflict(
            "own_account",
            "不能停用自己的账号",
            "You cannot disable your own account",
        ));
    }
    let row = sqlx::query(
        "SELECT union_id, role FROM users WHERE id = $1 AND role IN ('officer', 'admin')",
    )
    .bind(id)
    .fetch_optional(state.db.read())
    .await?
    .ok_or_else(AppError::not_found)?;
    let union_id: Option<i64> = row.try_get("union_id")?;
    let union_id = union_id.ok_or_else(AppError::not_found)?;
    let role: String = row.try_get("role")?;
    scope.require_union(&state, union_id).await?;
    crate::routes::staff::accounts::change_access(
        &state,
        crate::routes::staff::accounts::Change {
            actor: user.id,
            account: id,
            union_id,
            enabled: access.enabled,
            actions: (AuditAction::OfficerEnable, AuditAction::OfficerDisable),
            role: &role,
        },
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}
