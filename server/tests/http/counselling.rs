//! Counselling: a counsellor publishes slots; a member books one (one open
//! booking each, one member a slot) and cancels up to two hours before; the
//! counsellor sees the day's bookings; officers and other members see none
//! of it; overlaps and past times are refused.

use reqwest::StatusCode;
use unioncard_api::counselling::{BookingStatus, BookingView, SlotInput, SlotView};
use unioncard_api::join::Page;

use crate::both_databases;
use crate::support::{Client, TestApp};

const LI_NA: &str = "13800000002";
const ZHANG_WEI: &str = "13800000001";
const COUNSELLOR: &str = "13500000002";
const CITY_OFFICER: &str = "13700000001";

/// A time `secs` from now, on a whole minute, as RFC 3339 in China time.
fn at(secs: i64) -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    china_rfc3339((now + secs) / 60 * 60)
}

/// Evening (China time) `days` after today: the demo's counsellor works
/// 9:30 to 16:15 on the coming week, so a slot made here never overlaps
/// hers, whatever the hour the test runs at.
fn evening_in(days: i64, hour: i64) -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let today = (now + 8 * 3600).div_euclid(86_400);
    china_rfc3339((today + days) * 86_400 + hour * 3600 - 8 * 3600)
}

fn china_rfc3339(unix: i64) -> String {
    let t = unix + 8 * 3600;
    let (days, rest) = (t.div_euclid(86_400), t.rem_euclid(86_400));
    let d = unioncard_api::identity::Date::from_days(days);
    format!(
        "{}T{:02}:{:02}:00+08:00",
        d.iso(),
        rest / 3600,
        rest % 3600 / 60
    )
}

async fn publish(c: &Client, starts: Vec<String>, mode: &str) -> Page<SlotView> {
    c.post_as(
        "/api/staff/counselling/slots",
        &SlotInput {
            starts,
            minutes: 45,
            mode: mode.into(),
            centre_id: None,
        },
    )
    .await
    .expect(StatusCode::CREATED)
}

async fn a_member_books_and_cancels_a_counselling_slot(app: &TestApp) {
    let counsellor = app.signed_in(COUNSELLOR).await;
    let made = publish(
        &counsellor,
        vec![evening_in(2, 19), evening_in(3, 19)],
        "phone",
    )
    .await;
    assert_eq!(made.items.len(), 2);
    let (first, second) = (made.items[0].id, made.items[1].id);

    let li = app.signed_in(LI_NA).await;
    let free: Page<SlotView> = app
        .client()
        .get_as("/api/counselling/slots")
        .await
        .expect(StatusCode::OK);
    assert!(free.items.iter().any(|s| s.id == first));
    assert!(free.items.iter().all(|s| s.member.is_none()));
    let booked: BookingView = li
        .post_as(
            "/api/counselling/bookings",
            &serde_json::json!({"slot_id": first}),
        )
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(booked.status, BookingStatus::Booked);
    assert!(booked.may_cancel);
    // One open booking at a time; one member a slot.
    let second_booking = li
        .post(
            "/api/counselling/bookings",
            serde_json::json!({"slot_id": second}),
        )
        .await;
    assert_eq!(second_booking.code(), "booking_open");
    let zhang = app.signed_in(ZHANG_WEI).await;
    let taken = zhang
        .post(
            "/api/counselling/bookings",
            serde_json::json!({"slot_id": first}),
        )
        .await;
    assert_eq!(taken.status, StatusCode::CONFLICT);
    assert_eq!(taken.code(), "slot_taken");
    let free: Page<SlotView> = li
        .get_as("/api/counselling/slots")
        .await
        .expect(StatusCode::OK);
    assert!(
        free.items.iter().all(|s| s.id != first),
        "a booked slot is not offered"
    );

    // The counsellor sees who booked, that day; an officer sees nothing;
    // another member neither.
    let date = &booked.slot.starts_at[..10];
    let day: Page<SlotView> = counsellor
        .get_as(&format!("/api/staff/counselling/slots?date={date}"))
        .await
        .expect(StatusCode::OK);
    let mine = day.items.iter().find(|s| s.id == first).expect("the slot");
    assert_eq!(mine.member.as_deref(), Some("李娜"));
    assert!(mine
        .member_phone
        .as_deref()
        .is_some_and(|p| p.contains('*')));
    let officer = app.signed_in(CITY_OFFICER).await;
    assert_eq!(
        officer.get("/api/staff/counselling/slots").await.status,
        StatusCode::FORBIDDEN
    );
    // Another counsellor (opened by the administrator) sees none of it.
    let admin = app.signed_in("13600000001").await;
    let city: i64 = admin
        .get_as::<serde_json::Value>("/api/me")
        .await
        .expect(StatusCode::OK)["union_id"]
        .as_i64()
        .expect("the administrator's union");
    admin
        .create_officer(&unioncard_api::auth::OfficerInput {
            name: "赵咨询师".into(),
            phone: "13500000009".into(),
            password: crate::fixtures::DEMO_PASSWORD.into(),
            union_id: city,
            role: Some("counsellor".into()),
        })
        .await
        .expect(StatusCode::CREATED);
    let call: unioncard_api::rights::ContactView = counsellor
        .post_empty_as(&format!("/api/staff/counselling/slots/{first}/contact"))
        .await
        .expect(StatusCode::OK);
    assert_eq!(call.phone, LI_NA);
    let other = app.signed_in("13500000009").await;
    assert_eq!(
        other
            .post_empty(&format!("/api/staff/counselling/slots/{first}/contact"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let theirs: Page<SlotView> = other
        .get_as(&format!("/api/staff/counselling/slots?date={date}"))
        .await
        .expect(StatusCode::OK);
    assert!(theirs.items.is_empty(), "only their own slots and bookings");
    assert_eq!(
        other
            .post_empty(&format!("/api/staff/counselling/slots/{second}/withdraw"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // The administrator sees every counsellor's bookings.
    let all: Page<SlotView> = admin
        .get_as(&format!("/api/staff/counselling/slots?date={date}"))
        .await
        .expect(StatusCode::OK);
    assert!(all
        .items
        .iter()
        .any(|s| s.member.as_deref() == Some("李娜")));
    let his: Page<BookingView> = zhang
        .get_as("/api/me/counselling")
        .await
        .expect(StatusCode::OK);
    assert!(his.items.is_empty());
    assert_eq!(
        zhang
            .post_empty(&format!("/api/me/counselling/{}/cancel", booked.id))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // A booked slot cannot be withdrawn.
    assert_eq!(
        counsellor
            .post_empty(&format!("/api/staff/counselling/slots/{first}/withdraw"))
            .await
            .code(),
        "slot_taken"
    );

    // Cancelled, the slot is free again and she may book another.
    let cancelled: BookingView = li
        .post_empty_as(&format!("/api/me/counselling/{}/cancel", booked.id))
        .await
        .expect(StatusCode::OK);
    assert_eq!(cancelled.status, BookingStatus::Cancelled);
    assert_eq!(
        li.post_empty(&format!("/api/me/counselling/{}/cancel", booked.id))
            .await
            .code(),
        "booking_not_open"
    );
    zhang
        .post_as::<_, BookingView>(
            "/api/counselling/bookings",
            &serde_json::json!({"slot_id": first}),
        )
        .await
        .expect(StatusCode::CREATED);
    li.post_as::<_, BookingView>(
        "/api/counselling/bookings",
        &serde_json::json!({"slot_id": second}),
    )
    .await
    .expect(StatusCode::CREATED);
}
both_databases!(a_member_books_and_cancels_a_counselling_slot);

async fn late_cancels_overlaps_and_past_times_are_refused(app: &TestApp) {
    let counsellor = app.signed_in(COUNSELLOR).await;
    let free_before: Page<SlotView> = app
        .client()
        .get_as("/api/counselling/slots")
        .await
        .expect(StatusCode::OK);
    let soon = publish(&counsellor, vec![at(90 * 60)], "phone").await.items[0].id;
    let li = app.signed_in(LI_NA).await;
    let b: BookingView = li
        .post_as(
            "/api/counselling/bookings",
            &serde_json::json!({"slot_id": soon}),
        )
        .await
        .expect(StatusCode::CREATED);
    assert!(!b.may_cancel);
    let late = li
        .post_empty(&format!("/api/me/counselling/{}/cancel", b.id))
        .await;
    assert_eq!(late.status, StatusCode::CONFLICT);
    assert_eq!(late.code(), "too_late_to_cancel");

    // The same time again overlaps; a past time and a too-long slot are
    // field errors; nothing is written.
    let overlap = counsellor
        .post(
            "/api/staff/counselling/slots",
            SlotInput {
                starts: vec![at(90 * 60 + 600), at(30 * 3600)],
                minutes: 45,
                mode: "phone".into(),
                centre_id: None,
            },
        )
        .await;
    assert_eq!(overlap.code(), "slot_overlap");
    let bad = counsellor
        .post(
            "/api/staff/counselling/slots",
            SlotInput {
                starts: vec![at(-3600)],
                minutes: 500,
                mode: "centre".into(),
                centre_id: None,
            },
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    for f in ["starts", "minutes", "centre_id"] {
        assert!(bad.field(f).is_some(), "{f}");
    }
    let free: Page<SlotView> = li
        .get_as("/api/counselling/slots")
        .await
        .expect(StatusCode::OK);
    assert_eq!(
        free.items.len(),
        free_before.items.len(),
        "the new slot was booked; nothing of the refused requests was written"
    );
    // Only counsellors publish.
    let officer = app.signed_in(CITY_OFFICER).await;
    assert_eq!(
        officer
            .post(
                "/api/staff/counselling/slots",
                SlotInput {
                    starts: vec![at(40 * 3600)],
                    minutes: 45,
                    mode: "phone".into(),
                    centre_id: None,
                },
            )
            .await
            .status,
        StatusCode::FORBIDDEN
    );
}
both_databases!(late_cancels_overlaps_and_past_times_are_refused);
