//! Administrators: the unions (a new union below one in their scope, a
//! rename) and officer accounts. Officers may not (403); everything is
//! audited in the same transaction.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::json;
use unioncard_api::audit::AuditAction;
use unioncard_api::auth::{
    level_below, AdminRefusal, OfficerInput, OfficerView, UnionInput, UnionView,
};
use unioncard_api::auth::{AccountAccess, Role, UnionRename};
use unioncard_api::error::FieldProblems;
use unioncard_api::identity::{NewPassword, PersonName, Phone};
use unioncard_api::join::Page;
use unioncard_api::ErrorBody;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::audit::{self, Entry};
use crate::error::{AppError, AppResult};
use crate::extract::{Admin, Json};
use crate::routes::auth::hash_password;
use crate::store::accounts::NewAccount;
use crate::store::is_unique_violation;
use crate::store::unions::NewUnion;
use crate::{store, time, AppState};

/// The administrators' routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(unions, create_union))
        .routes(routes!(rename_union))
        .routes(routes!(officers, create_officer))
        .routes(routes!(set_officer_access))
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
    Admin { scope, .. }: Admin,
    Query(q): Query<UnionQuery>,
) -> AppResult<axum::Json<Page<UnionView>>> {
    let parent = q.parent.unwrap_or(scope.union_id);
    scope.require_union(&state, parent).await?;
    let rows = store::unions::with_children(&mut *state.db.reader().await?, parent).await?;
    let items = rows.into_iter().map(UnionView::from).collect();
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
    Admin { user, scope }: Admin,
    Json(input): Json<UnionInput>,
) -> AppResult<(StatusCode, axum::Json<UnionView>)> {
    input.check().map_err(|p| AppError::invalid(&p))?;
    scope.require_union(&state, input.parent_id).await?;
    let parent =
        store::unions::parent_terms(&mut *state.db.reader().await?, input.parent_id).await?;
    let level = level_below(&parent.level).ok_or(AdminRefusal::NoLevelBelow)?;
    let district = if input.district.trim().is_empty() {
        parent.district
    } else {
        Some(input.district.trim().to_string())
    };
    let mut tx = state.db.begin().await?;
    let id: i64 = store::unions::insert(
        &mut tx,
        &NewUnion {
            parent_id: input.parent_id,
            code: input.code.trim(),
            name: input.name.trim(),
            level,
            district: district.as_deref(),
        },
    )
    .await
    .map_err(|e| {
        if is_unique_violation(&e) {
            AppError::from(AdminRefusal::CodeTaken)
        } else {
            e.into()
        }
    })?;
    let path = format!("{}{id}/", parent.path);
    store::unions::set_path(&mut tx, id, &path).await?;
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

/// Renames a union in the administrator's scope.
#[utoipa::path(
    put, path = "/api/admin/unions/{id}", tag = "admin",
    params(("id" = i64, Path, description = "Union id")),
    request_body = UnionRename,
    responses(
        (status = 200, description = "Renamed", body = UnionView),
        (status = 404, description = "Outside your scope", body = ErrorBody),
        (status = 422, description = "Empty or too long", body = ErrorBody),
    )
)]
async fn rename_union(
    State(state): State<AppState>,
    Admin { user, scope }: Admin,
    Path(id): Path<i64>,
    Json(r): Json<UnionRename>,
) -> AppResult<axum::Json<UnionView>> {
    scope.require_union(&state, id).await?;
    let name = r.name.trim();
    if name.is_empty() || name.chars().count() > 60 {
        return Err(AdminRefusal::BadName.into());
    }
    let mut tx = state.db.begin().await?;
    let before = store::unions::name_of(&mut tx, id).await?;
    store::unions::rename(&mut tx, id, name).await?;
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
    let row = store::unions::view(&mut tx, id).await?;
    tx.commit().await?;
    Ok(axum::Json(UnionView::from(row)))
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
    Admin { scope, .. }: Admin,
) -> AppResult<axum::Json<Page<OfficerView>>> {
    let rows = store::accounts::officers_in(&mut *state.db.reader().await?, &scope.like()).await?;
    let items = rows.into_iter().map(OfficerView::from).collect();
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
    Admin { user, scope }: Admin,
    Json(input): Json<OfficerInput>,
) -> AppResult<(StatusCode, axum::Json<OfficerView>)> {
    let mut p = FieldProblems::default();
    let name = p.check("name", PersonName::parse(&input.name));
    let phone = p.check("phone", Phone::parse(&input.phone));
    let password = p.check("password", NewPassword::parse(&input.password));
    let role = p.check(
        "role",
        match input.role.as_deref().unwrap_or("officer") {
            "officer" => Ok(Role::Officer),
            "lawyer" => Ok(Role::Lawyer),
            "counsellor" => Ok(Role::Counsellor),
            _ => Err(unioncard_api::error::FieldProblem::ChooseOne),
        },
    );
    let (Some(name), Some(phone), Some(password), Some(role)) = (name, phone, password, role)
    else {
        return Err(AppError::invalid(&p));
    };
    scope.require_union(&state, input.union_id).await?;
    let hash = hash_password(password.expose().to_string()).await?;
    let mut tx = state.db.begin().await?;
    let id: i64 = store::accounts::insert_officer(
        &mut tx,
        &NewAccount {
            phone_hash: &state.crypto.lookup_hash("phone", phone.expose()),
            phone_enc: &state.crypto.encrypt(phone.expose()),
            phone_masked: &phone.masked(),
            password_hash: &hash,
            name: name.as_str(),
        },
        role,
        input.union_id,
        time::now(),
    )
    .await
    .map_err(|e| {
        if is_unique_violation(&e) {
            AppError::from(AdminRefusal::PhoneTaken)
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
                json!({"name": name.as_str(), "phone": phone.masked(), "union_id": input.union_id, "role": role.as_str()}),
            ),
        },
    )
    .await?;
    let union_name = store::unions::name_of(&mut tx, input.union_id).await?;
    tx.commit().await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(OfficerView {
            id,
            name: name.as_str().into(),
            phone_masked: phone.masked(),
            union_name,
            role: role.as_str().into(),
            disabled: false,
        }),
    ))
}

/// Disables an officer account (someone who left) or enables it again.
#[utoipa::path(
    post, path = "/api/admin/officers/{id}/access", tag = "admin",
    params(("id" = i64, Path, description = "Account id")),
    request_body = AccountAccess,
    responses(
        (status = 204, description = "Changed"),
        (status = 404, description = "No such officer in your unions", body = ErrorBody),
        (status = 409, description = "Your own account", body = ErrorBody),
    )
)]
async fn set_officer_access(
    State(state): State<AppState>,
    Admin { user, scope }: Admin,
    Path(id): Path<i64>,
    Json(access): Json<AccountAccess>,
) -> AppResult<StatusCode> {
    if id == user.id {
        return Err(AdminRefusal::OwnAccount.into());
    }
    let row = store::accounts::staff_account(&mut *state.db.reader().await?, id)
        .await?
        .ok_or_else(AppError::not_found)?;
    let union_id = row.union_id.ok_or_else(AppError::not_found)?;
    let role = row.role;
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
