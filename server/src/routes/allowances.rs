//! Model workers (劳模): the register of the officer's unions (a member put
//! on it by ID number, with the honour's level, or taken off), the union's
//! standing allowance per level, and the model worker's own entry. Each
//! month the allowances are prepared as a payment batch from the standing
//! rates (`ledger::prepare_month_allowances`), for a second officer to
//! approve; an officer may also prepare a month's batch at the desk.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde_json::json;
use unioncard_api::allowances::{
    ModelWorkerInput, ModelWorkerRefusal, ModelWorkerView, Rates, RatesView,
};
use unioncard_api::audit::AuditAction;
use unioncard_api::error::{FieldProblem, FieldProblems};
use unioncard_api::identity::IdNumber;
use unioncard_api::join::Page;
use unioncard_api::ErrorBody;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::audit::{self, Entry};
use crate::error::{AppError, AppResult};
use crate::extract::{Json, Member, Officer};
use crate::{store, time, AppState};

/// The longest honour text.
const HONOUR_CHARS: usize = 40;

/// The register's routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, add))
        .routes(routes!(end))
        .routes(routes!(rates, set_rates))
        .routes(routes!(mine))
}

/// The model workers of the officer's unions, with each one's allowance.
#[utoipa::path(
    get, path = "/api/staff/model-workers", operation_id = "model_workers", tag = "payments",
    responses(
        (status = 200, description = "The register", body = Page<ModelWorkerView>),
        (status = 403, description = "Not an officer", body = ErrorBody),
    )
)]
async fn list(
    State(state): State<AppState>,
    Officer { scope, .. }: Officer,
) -> AppResult<axum::Json<Page<ModelWorkerView>>> {
    let items = store::allowances::list(&mut *state.db.reader().await?, &scope.like()).await?;
    Ok(axum::Json(Page::whole(items)))
}

/// Puts a member of the officer's unions on the register.
#[utoipa::path(
    post, path = "/api/staff/model-workers", operation_id = "add_model_worker", tag = "payments",
    request_body = ModelWorkerInput,
    responses(
        (status = 201, description = "On the register", body = ModelWorkerView),
        (status = 409, description = "Already on it", body = ErrorBody),
        (status = 422, description = "Field errors, or no such member in your unions", body = ErrorBody),
    )
)]
async fn add(
    State(state): State<AppState>,
    Officer { user, scope }: Officer,
    Json(input): Json<ModelWorkerInput>,
) -> AppResult<(StatusCode, axum::Json<ModelWorkerView>)> {
    let mut p = FieldProblems::default();
    let id = p.check("id_number", IdNumber::parse(&input.id_number));
    let level = p.check("level", input.level.ok_or(FieldProblem::ChooseOne));
    let honour = input.honour.trim();
    if honour.is_empty() {
        p.0.push(("honour", FieldProblem::Required));
    } else if honour.chars().count() > HONOUR_CHARS {
        p.0.push(("honour", FieldProblem::TooLong));
    }
    let (Some(id), Some(level), true) = (id, level, p.is_empty()) else {
        return Err(AppError::invalid(&p));
    };
    let hash = state.crypto.lookup_hash("id", id.expose());
    let (roster_id, union_id) =
        store::allowances::member_by_id_hash(&mut *state.db.reader().await?, &hash, &scope.like())
            .await?
            .ok_or(ModelWorkerRefusal::NotInRoster)?;
    let mut tx = state.db.begin().await?;
    let entry = store::allowances::add(
        &mut tx,
        roster_id,
        union_id,
        level,
        honour,
        user.id,
        time::now(),
    )
    .await?
    .ok_or(ModelWorkerRefusal::AlreadyListed)?;
    audit::record(
        &mut tx,
        Entry {
            actor: Some(user.id),
            union_id: Some(union_id),
            action: AuditAction::ModelWorkerAdd,
            target: format!("model_worker:{entry}"),
            before: None,
            after: Some(json!({"level": level, "honour": honour})),
        },
    )
    .await?;
    tx.commit().await?;
    let view = store::allowances::list(&mut *state.db.reader().await?, &scope.like())
        .await?
        .into_iter()
        .find(|w| w.id == entry)
        .ok_or_else(AppError::not_found)?;
    Ok((StatusCode::CREATED, axum::Json(view)))
}

/// Takes a worker off the register (no allowance from next month's batch).
#[utoipa::path(
    post, path = "/api/staff/model-workers/{id}/end", operation_id = "end_model_worker", tag = "payments",
    params(("id" = i64, Path, description = "Register entry")),
    responses(
        (status = 204, description = "Off the register"),
        (status = 404, description = "Not in your unions", body = ErrorBody),
        (status = 409, description = "Off it already", body = ErrorBody),
    )
)]
async fn end(
    State(state): State<AppState>,
    Officer { user, scope }: Officer,
    Path(id): Path<i64>,
) -> AppResult<StatusCode> {
    let (path, union_id) = store::allowances::path_of(&mut *state.db.reader().await?, id)
        .await?
        .filter(|(path, _)| scope.covers(path))
        .ok_or_else(AppError::not_found)?;
    let _ = path;
    let mut tx = state.db.begin().await?;
    if !store::allowances::end(&mut tx, id, time::now()).await? {
        return Err(ModelWorkerRefusal::NotListed.into());
    }
    audit::record(
        &mut tx,
        Entry {
            actor: Some(user.id),
            union_id: Some(union_id),
            action: AuditAction::ModelWorkerEnd,
            target: format!("model_worker:{id}"),
            before: None,
            after: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The officer's union's standing rates; 404 when it set none.
#[utoipa::path(
    get, path = "/api/staff/allowance-rates", operation_id = "allowance_rates", tag = "payments",
    responses(
        (status = 200, description = "The rates", body = RatesView),
        (status = 404, description = "None set", body = ErrorBody),
    )
)]
async fn rates(
    State(state): State<AppState>,
    Officer { scope, .. }: Officer,
) -> AppResult<axum::Json<RatesView>> {
    let r = store::allowances::own_rates(&mut *state.db.reader().await?, scope.union_id)
        .await?
        .ok_or_else(AppError::not_found)?;
    Ok(axum::Json(r))
}

/// Sets the officer's union's standing allowance per level. Each month's
/// batch is then prepared in this officer's name, so another approves it.
#[utoipa::path(
    put, path = "/api/staff/allowance-rates", operation_id = "set_allowance_rates", tag = "payments",
    request_body = Rates,
    responses(
        (status = 200, description = "Set", body = RatesView),
        (status = 422, description = "Amounts out of bounds", body = ErrorBody),
    )
)]
async fn set_rates(
    State(state): State<AppState>,
    Officer { user, scope }: Officer,
    Json(r): Json<Rates>,
) -> AppResult<axum::Json<RatesView>> {
    let r = r.check().map_err(|p| AppError::invalid(&p))?;
    let mut tx = state.db.begin().await?;
    store::allowances::set_rates(&mut tx, scope.union_id, r, user.id, time::now()).await?;
    audit::record(
        &mut tx,
        Entry {
            actor: Some(user.id),
            union_id: Some(scope.union_id),
            action: AuditAction::ModelWorkerRates,
            target: format!("union:{}", scope.union_id),
            before: None,
            after: Some(serde_json::to_value(r).unwrap_or_default()),
        },
    )
    .await?;
    tx.commit().await?;
    let view = store::allowances::own_rates(&mut *state.db.reader().await?, scope.union_id)
        .await?
        .ok_or_else(AppError::not_found)?;
    Ok(axum::Json(view))
}

/// The signed-in member's entry on the register; 404 when not a model worker.
#[utoipa::path(
    get, path = "/api/me/model-worker", operation_id = "my_model_worker", tag = "payments",
    responses(
        (status = 200, description = "My entry and allowance", body = ModelWorkerView),
        (status = 404, description = "Not on the register", body = ErrorBody),
    )
)]
async fn mine(
    State(state): State<AppState>,
    Member { roster_id, .. }: Member,
) -> AppResult<axum::Json<ModelWorkerView>> {
    let me = store::allowances::mine(&mut *state.db.reader().await?, roster_id)
        .await?
        .ok_or_else(AppError::not_found)?;
    Ok(axum::Json(me))
}
