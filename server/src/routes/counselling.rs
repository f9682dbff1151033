//! Counselling appointments: counsellors publish slots (at a service centre
//! or by phone) and see their own day; members see the free slots, book
//! one (one live booking each, one member a slot) and cancel up to two
//! hours before. A booking is seen by its member, its counsellor and
//! administrators only: officers have no route here.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;
use unioncard_api::audit::AuditAction;
use unioncard_api::auth::Role;
use unioncard_api::counselling::{
    may_cancel, BookingInput, BookingStatus, BookingView, CounsellingRefusal, Mode, SlotInput,
    SlotView, CANCEL_BEFORE_SECS,
};
use unioncard_api::join::Page;
use unioncard_api::ErrorBody;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::audit::{self, Entry};
use crate::error::{AppError, AppResult};
use crate::extract::{CurrentUser, Json, Member};
use crate::scope::Scope;
use crate::store::counselling::{NewSlot, SlotRow};
use crate::store::is_unique_violation;
use crate::{idempotency, store, time, AppState};

/// How far ahead members see free slots.
const SHOWN_DAYS: i64 = 14;

/// The counselling routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(free_slots))
        .routes(routes!(book))
        .routes(routes!(mine))
        .routes(routes!(cancel))
        .routes(routes!(day, publish))
        .routes(routes!(withdraw))
        .routes(routes!(contact))
}

/// A slot's view; `staff` shows who booked it.
fn slot_view(r: SlotRow, staff: bool) -> AppResult<SlotView> {
    Ok(SlotView {
        id: r.id,
        starts_at: time::rfc3339(r.starts_at),
        minutes: (r.ends_at - r.starts_at) / 60,
        mode: Mode::from_db(&r.mode).ok_or_else(|| AppError::internal("unknown mode"))?,
        centre_name: r.centre_name,
        centre_address: r.centre_address,
        counsellor: r.counsellor,
        booked: r.booking_id.is_some(),
        member: r.member.filter(|_| staff),
        member_phone: r.member_phone.filter(|_| staff),
    })
}

/// Free slots in the next two weeks, soonest first (anyone may look).
#[utoipa::path(
    get, path = "/api/counselling/slots", operation_id = "counselling_slots", tag = "counselling",
    responses((status = 200, description = "Free slots", body = Page<SlotView>))
)]
async fn free_slots(State(state): State<AppState>) -> AppResult<axum::Json<Page<SlotView>>> {
    let now = time::now();
    let rows = store::counselling::free(
        &mut *state.db.reader().await?,
        now,
        now + SHOWN_DAYS * 86_400,
        200,
    )
    .await?;
    let items = rows
        .into_iter()
        .map(|r| slot_view(r, false))
        .collect::<AppResult<_>>()?;
    Ok(axum::Json(Page::whole(items)))
}

/// A member's booking's view.
async fn booking_view(
    conn: &mut store::Conn,
    b: store::counselling::BookingRow,
    now: i64,
) -> AppResult<BookingView> {
    let slot = store::counselling::slot(conn, b.slot_id)
        .await?
        .ok_or_else(|| AppError::internal("booking without its slot"))?;
    let starts = slot.starts_at;
    let status = match b.status.as_str() {
        "cancelled" => BookingStatus::Cancelled,
        "booked" if starts > now => BookingStatus::Booked,
        _ => BookingStatus::Past,
    };
    Ok(BookingView {
        id: b.id,
        slot: slot_view(slot, false)?,
        status,
        may_cancel: status == BookingStatus::Booked && may_cancel(starts, now),
        booked_at: time::rfc3339(b.booked_at),
    })
}

/// Books a free slot: one live booking per member, one member per slot
/// (two taps or two members at once make one booking).
#[utoipa::path(
    post, path = "/api/counselling/bookings", operation_id = "book_counselling", tag = "counselling",
    request_body = BookingInput,
    params(("Idempotency-Key" = Option<String>, Header, description = "Same key, same answer")),
    responses(
        (status = 201, description = "Booked", body = BookingView),
        (status = 404, description = "No such slot", body = ErrorBody),
        (status = 409, description = "`booking_open` (you have one) or `slot_taken`", body = ErrorBody),
    )
)]
async fn book(
    State(state): State<AppState>,
    Member { user, .. }: Member,
    headers: HeaderMap,
    Json(input): Json<BookingInput>,
) -> AppResult<Response> {
    let now = time::now();
    let key = idempotency::key(&headers, "POST /api/counselling/bookings", &input);
    let mut tx = match idempotency::start(&state, user.id, key.as_ref()).await? {
        idempotency::Start::Act(tx) => tx,
        idempotency::Start::Replay(answer) => return Ok(answer),
    };
    if !store::lock_row(&mut tx, "counselling_slots", input.slot_id).await? {
        return Err(AppError::not_found());
    }
    let slot = store::counselling::slot(&mut tx, input.slot_id)
        .await?
        .ok_or_else(AppError::not_found)?;
    if slot.withdrawn_at.is_some() || slot.starts_at <= now || slot.booking_id.is_some() {
        return Err(CounsellingRefusal::Taken.into());
    }
    store::counselling::retire_past(&mut tx, user.id, now).await?;
    if store::counselling::has_live(&mut tx, user.id).await? {
        return Err(CounsellingRefusal::HasBooking.into());
    }
    let id = store::counselling::book(&mut tx, input.slot_id, user.id, now)
        .await
        .map_err(|e| {
            // The member's second tap on another slot, at the same moment.
            if is_unique_violation(&e) {
                AppError::from(CounsellingRefusal::HasBooking)
            } else {
                e.into()
            }
        })?;
    let row = store::counselling::booking(&mut tx, id, user.id)
        .await?
        .ok_or_else(|| AppError::internal("booking just written"))?;
    let view = booking_view(&mut tx, row, now).await?;
    idempotency::store(&mut tx, user.id, key.as_ref(), StatusCode::CREATED, &view).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, axum::Json(view)).into_response())
}

/// The member's bookings, newest first.
#[utoipa::path(
    get, path = "/api/me/counselling", operation_id = "my_counselling", tag = "counselling",
    responses(
        (status = 200, description = "My bookings", body = Page<BookingView>),
        (status = 401, description = "Not signed in", body = ErrorBody),
    )
)]
async fn mine(
    State(state): State<AppState>,
    Member { user, .. }: Member,
) -> AppResult<axum::Json<Page<BookingView>>> {
    let now = time::now();
    let mut conn = state.db.reader().await?;
    let rows = store::counselling::of_member(&mut conn, user.id).await?;
    let mut items = Vec::with_capacity(rows.len());
    for r in rows {
        items.push(booking_view(&mut conn, r, now).await?);
    }
    Ok(axum::Json(Page::whole(items)))
}

/// Cancels the member's booking, up to two hours before it starts.
#[utoipa::path(
    post, path = "/api/me/counselling/{id}/cancel", operation_id = "cancel_counselling", tag = "counselling",
    params(("id" = i64, Path, description = "The booking")),
    responses(
        (status = 200, description = "Cancelled", body = BookingView),
        (status = 404, description = "Not your booking", body = ErrorBody),
        (status = 409, description = "`too_late_to_cancel` or `booking_not_open`", body = ErrorBody),
    )
)]
async fn cancel(
    State(state): State<AppState>,
    Member { user, .. }: Member,
    Path(id): Path<i64>,
) -> AppResult<axum::Json<BookingView>> {
    let now = time::now();
    let mut tx = state.db.begin().await?;
    let row = store::counselling::booking(&mut tx, id, user.id)
        .await?
        .ok_or_else(AppError::not_found)?;
    if !store::counselling::cancel(&mut tx, id, user.id, now, CANCEL_BEFORE_SECS).await? {
        let before = booking_view(&mut tx, row, now).await?;
        return Err(if before.status == BookingStatus::Booked {
            CounsellingRefusal::TooLate
        } else {
            CounsellingRefusal::NotOpen
        }
        .into());
    }
    let row = store::counselling::booking(&mut tx, id, user.id)
        .await?
        .ok_or_else(AppError::not_found)?;
    let view = booking_view(&mut tx, row, now).await?;
    tx.commit().await?;
    Ok(axum::Json(view))
}

/// Who may work the counselling desk: a counsellor (their own slots) or an
/// administrator (every slot in their scope); 403 for anyone else.
async fn desk(state: &AppState, user: &CurrentUser) -> AppResult<(Option<i64>, String, i64)> {
    match user.role {
        Role::Counsellor => {
            let union_id = user
                .union_id
                .ok_or_else(|| AppError::internal("counsellor without a union"))?;
            Ok((Some(user.id), "%".into(), union_id))
        }
        Role::Admin => {
            let scope = Scope::of(state, user).await?;
            Ok((None, scope.like(), scope.union_id))
        }
        _ => Err(AppError::forbidden(
            "counsellors_only",
            "只有咨询师和管理员可以查看预约",
            "Only counsellors and administrators see bookings",
        )),
    }
}

/// The day to show.
#[derive(Debug, Deserialize, IntoParams)]
pub struct DayQuery {
    /// `YYYY-MM-DD` (default today, China time).
    pub date: Option<String>,
}

/// A counsellor's slots of one day with who booked them (an administrator:
/// every counsellor's in scope).
#[utoipa::path(
    get, path = "/api/staff/counselling/slots", operation_id = "counselling_day", tag = "counselling",
    params(DayQuery),
    responses(
        (status = 200, description = "The day's slots", body = Page<SlotView>),
        (status = 400, description = "A date that does not read", body = ErrorBody),
        (status = 403, description = "Not a counsellor or an administrator", body = ErrorBody),
    )
)]
async fn day(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<DayQuery>,
) -> AppResult<axum::Json<Page<SlotView>>> {
    let (counsellor, like, _) = desk(&state, &user).await?;
    let date = match q.date.as_deref().filter(|d| !d.is_empty()) {
        Some(d) => unioncard_api::identity::Date::parse_iso(d)
            .ok_or_else(|| AppError::bad_param("date"))?,
        None => time::today(),
    };
    let from = time::day_start(date.to_days());
    let rows = store::counselling::of_day(
        &mut *state.db.reader().await?,
        counsellor,
        &like,
        from,
        from + 86_400,
    )
    .await?;
    let items = rows
        .into_iter()
        .map(|r| slot_view(r, true))
        .collect::<AppResult<_>>()?;
    Ok(axum::Json(Page::whole(items)))
}

/// Publishes slots (one, or the same length at several times). A slot
/// overlapping one already published is refused, and nothing is written.
#[utoipa::path(
    post, path = "/api/staff/counselling/slots", operation_id = "publish_counselling", tag = "counselling",
    request_body = SlotInput,
    responses(
        (status = 201, description = "Published", body = Page<SlotView>),
        (status = 403, description = "Not a counsellor", body = ErrorBody),
        (status = 409, description = "`slot_overlap`", body = ErrorBody),
        (status = 422, description = "A field is wrong, or an unknown centre", body = ErrorBody),
    )
)]
async fn publish(
    State(state): State<AppState>,
    user: CurrentUser,
    Json(input): Json<SlotInput>,
) -> AppResult<(StatusCode, axum::Json<Page<SlotView>>)> {
    if user.role != Role::Counsellor {
        return Err(AppError::forbidden(
            "counsellors_only",
            "只有咨询师可以发布咨询时段",
            "Only counsellors publish counselling slots",
        ));
    }
    let (_, _, union_id) = desk(&state, &user).await?;
    let now = time::now();
    let slots = input.parse(now).map_err(|p| AppError::invalid(&p))?;
    if let Some(c) = slots.centre_id {
        let open = store::centres::one(&mut *state.db.reader().await?, c)
            .await?
            .is_some_and(|c| c.closed_at.is_none());
        if !open {
            return Err(CounsellingRefusal::UnknownCentre.into());
        }
    }
    let mut tx = state.db.begin().await?;
    // One publisher at a time per counsellor: the overlap check holds.
    store::lock_row(&mut tx, "users", user.id).await?;
    let mut ids = Vec::with_capacity(slots.starts.len());
    let mut last_end = i64::MIN;
    for &start in &slots.starts {
        let end = start + slots.minutes * 60;
        if start < last_end || store::counselling::overlaps(&mut tx, user.id, start, end).await? {
            return Err(CounsellingRefusal::Overlap.into());
        }
        last_end = end;
        ids.push(
            store::counselling::insert_slot(
                &mut tx,
                &NewSlot {
                    counsellor: user.id,
                    union_id,
                    starts_at: start,
                    minutes: slots.minutes,
                    mode: slots.mode.as_str(),
                    centre_id: slots.centre_id,
                },
                now,
            )
            .await?,
        );
    }
    audit::record(
        &mut tx,
        Entry {
            actor: Some(user.id),
            union_id: Some(union_id),
            action: AuditAction::CounsellingPublish,
            target: format!("counsellor:{}", user.id),
            before: None,
            after: Some(
                json!({"slots": ids.len(), "minutes": slots.minutes, "mode": slots.mode.as_str()}),
            ),
        },
    )
    .await?;
    let mut items = Vec::with_capacity(ids.len());
    for id in ids {
        let row = store::counselling::slot(&mut tx, id)
            .await?
            .ok_or_else(|| AppError::internal("slot just written"))?;
        items.push(slot_view(row, true)?);
    }
    tx.commit().await?;
    Ok((StatusCode::CREATED, axum::Json(Page::whole(items))))
}

/// Withdraws a free slot (a booked one stays: the member is expecting it).
#[utoipa::path(
    post, path = "/api/staff/counselling/slots/{id}/withdraw", operation_id = "withdraw_counselling", tag = "counselling",
    params(("id" = i64, Path, description = "The slot")),
    responses(
        (status = 204, description = "Withdrawn"),
        (status = 403, description = "Not a counsellor or an administrator", body = ErrorBody),
        (status = 404, description = "Not your slot", body = ErrorBody),
        (status = 409, description = "`slot_taken`: a member booked it", body = ErrorBody),
    )
)]
async fn withdraw(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<StatusCode> {
    let (counsellor, like, union_id) = desk(&state, &user).await?;
    let now = time::now();
    let mut tx = state.db.begin().await?;
    store::lock_row(&mut tx, "counselling_slots", id).await?;
    let slot = store::counselling::of_slot_scope(&mut tx, id, &like)
        .await?
        .filter(|s| counsellor.is_none_or(|c| s.counsellor_id == c) && s.withdrawn_at.is_none())
        .ok_or_else(AppError::not_found)?;
    if !store::counselling::withdraw(&mut tx, id, counsellor, now).await? {
        return Err(CounsellingRefusal::Taken.into());
    }
    audit::record(
        &mut tx,
        Entry {
            actor: Some(user.id),
            union_id: Some(union_id),
            action: AuditAction::CounsellingWithdraw,
            target: format!("counselling_slot:{id}"),
            before: Some(json!({"starts_at": time::rfc3339(slot.starts_at)})),
            after: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The whole number of the member holding a slot, for its counsellor (or
/// an administrator) to call at a phone appointment; each look is audited.
#[utoipa::path(
    post, path = "/api/staff/counselling/slots/{id}/contact", operation_id = "counselling_contact", tag = "counselling",
    params(("id" = i64, Path, description = "The slot")),
    responses(
        (status = 200, description = "Name and whole number", body = unioncard_api::rights::ContactView),
        (status = 403, description = "Not a counsellor or an administrator", body = ErrorBody),
        (status = 404, description = "Not your booked slot", body = ErrorBody),
    )
)]
async fn contact(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<axum::Json<unioncard_api::rights::ContactView>> {
    let (counsellor, like, union_id) = desk(&state, &user).await?;
    let mut tx = state.db.begin().await?;
    store::counselling::of_slot_scope(&mut tx, id, &like)
        .await?
        .filter(|s| counsellor.is_none_or(|c| s.counsellor_id == c))
        .ok_or_else(AppError::not_found)?;
    let (name, phone_enc) = store::counselling::holder_contact(&mut tx, id)
        .await?
        .ok_or_else(AppError::not_found)?;
    let phone = state.crypto.decrypt(&phone_enc)?;
    audit::record(
        &mut tx,
        Entry {
            actor: Some(user.id),
            union_id: Some(union_id),
            action: AuditAction::CounsellingContact,
            target: format!("counselling_slot:{id}"),
            before: None,
            after: Some(json!({"phone": unioncard_api::identity::mask_phone(&phone)})),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(axum::Json(unioncard_api::rights::ContactView {
        name,
        phone,
    }))
}
