//! The inbox: each step an officer takes on a member's case reaches that
//! member (and only them) in the same transaction, in their language;
//! read state per message; pages newest first.

use reqwest::{Method, StatusCode};
use unioncard_api::aid::{PlanEligibility, PlanInput};
use unioncard_api::identity::{Date, Gender};
use unioncard_api::inbox::{Inbox, MessageKind, Unread};
use unioncard_api::join::{Decision, Page};
use unioncard_api::training::{CourseView, SessionStatus};
use unioncard_server::reminders;

use crate::both_databases;
use crate::fixtures::{day, decision, hospital_stay as stay, li_na_cover, major_disease_plan};
use crate::support::{Client, TestApp};

async fn inbox(who: &Client, query: &str) -> Inbox {
    who.get_as::<Inbox>(&format!("/api/me/messages{query}"))
        .await
        .expect(StatusCode::OK)
}

async fn unread(who: &Client) -> i64 {
    who.get_as::<Unread>("/api/me/messages/unread")
        .await
        .expect(StatusCode::OK)
        .unread
}

/// The messages a test's steps sent: 李娜's demo inbox already holds the
/// payments the demo made to her card (read long ago).
fn fresh(items: &[unioncard_api::inbox::MessageView]) -> usize {
    items
        .iter()
        .filter(|m| m.kind != MessageKind::Payment)
        .count()
}

async fn a_members_case_steps_reach_her_inbox_and_no_one_elses(app: &TestApp) {
    let li = app.signed_in("13800000002").await;
    let enrolment = li_na_cover(&li).await.id;
    let claim = li.file_claim(&stay(enrolment, 8_500)).await.into_body().id;
    // What she did herself is not news to her.
    assert_eq!(unread(&li).await, 0);

    let wuchang = app.signed_in("13700000002").await;
    wuchang
        .claim_step(claim, "review")
        .await
        .expect(StatusCode::OK);
    wuchang
        .decide_claim(
            claim,
            &Decision {
                amount_fen: Some(500_000),
                ..decision("approve", "按票据核减")
            },
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(unread(&li).await, 2);
    let all = inbox(&li, "").await;
    assert_eq!(all.unread, 2);
    assert_eq!(fresh(&all.items), 2);
    let newest = &all.items[0];
    assert_eq!(newest.kind, MessageKind::CaseStep);
    assert_eq!(newest.title, "医疗互助申请：已核准");
    assert!(newest.body.contains("¥5,000.00"), "{newest:?}");
    assert!(newest.body.contains("按票据核减"), "{newest:?}");
    assert_eq!(newest.link, format!("/aid/claims/{claim}"));
    assert!(!newest.read);
    assert!(all.items[1].title.contains("审核中"), "{:?}", all.items[1]);

    // In English when the app asks for English.
    let en = li
        .raw(Method::GET, "/api/me/messages")
        .header("Accept-Language", "en")
        .send()
        .await
        .unwrap()
        .json::<Inbox>()
        .await
        .unwrap();
    assert!(
        en.items[0].title.starts_with("Aid claim: "),
        "{:?}",
        en.items[0]
    );

    // Pages, newest first.
    let first = inbox(&li, "?limit=1").await;
    assert_eq!(first.items[0].id, newest.id);
    let cursor = first.next_cursor.expect("a second page");
    let second = inbox(&li, &format!("?limit=1&cursor={cursor}")).await;
    assert_eq!(second.items[0].id, all.items[1].id);
    // After her two, the demo's payments; then the end.
    let mut cursor = second.next_cursor;
    let mut rest = 0;
    while let Some(c) = cursor {
        let page = inbox(&li, &format!("?limit=1&cursor={c}")).await;
        assert_eq!(page.items[0].kind, MessageKind::Payment);
        rest += 1;
        cursor = page.next_cursor;
    }
    assert_eq!(rest + 2, all.items.len());
    assert_eq!(
        li.get("/api/me/messages?cursor=x").await.status,
        StatusCode::BAD_REQUEST
    );

    // Nobody else sees or marks her messages.
    let zhang = app.signed_in("13800000001").await;
    assert_eq!(unread(&zhang).await, 0);
    assert!(inbox(&zhang, "").await.items.is_empty());
    let read_path = format!("/api/me/messages/{}/read", newest.id);
    assert_eq!(
        zhang.post_empty(&read_path).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(unread(&li).await, 2);
    assert_eq!(
        app.client().get("/api/me/messages/unread").await.status,
        StatusCode::UNAUTHORIZED
    );

    // Read one (twice is harmless), then all.
    assert_eq!(
        li.post_empty(&read_path).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        li.post_empty(&read_path).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(unread(&li).await, 1);
    assert!(inbox(&li, "").await.items[0].read);
    assert_eq!(
        li.post_empty("/api/me/messages/read-all").await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(unread(&li).await, 0);
}
both_databases!(a_members_case_steps_reach_her_inbox_and_no_one_elses);

async fn a_refused_step_sends_nothing(app: &TestApp) {
    let li = app.signed_in("13800000002").await;
    let enrolment = li_na_cover(&li).await.id;
    let claim = li.file_claim(&stay(enrolment, 8_500)).await.into_body().id;
    let wuchang = app.signed_in("13700000002").await;
    // A rejection without a reason is refused: no message either.
    let refused = wuchang.decide_claim(claim, &decision("reject", "")).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(unread(&li).await, 0);
    // Two officers deciding at once: one decision, one message.
    let city = app.signed_in("13700000001").await;
    let reject = decision("reject", "不在保障范围");
    let (a, b) = tokio::join!(
        wuchang.decide_claim(claim, &reject),
        city.decide_claim(claim, &reject)
    );
    let oks = [a.status, b.status]
        .iter()
        .filter(|s| **s == StatusCode::OK)
        .count();
    assert_eq!(oks, 1, "{} {}", a.status, b.status);
    let all = inbox(&li, "").await;
    assert_eq!(fresh(&all.items), 1);
    assert!(
        all.items[0].title.contains("未通过") || all.items[0].title.contains("不予"),
        "{:?}",
        all.items[0]
    );
}
both_databases!(a_refused_step_sends_nothing);

async fn a_seat_in_a_session_soon_is_reminded_once(app: &TestApp) {
    let li = app.signed_in("13800000002").await;
    let courses = li
        .get_as::<Page<CourseView>>("/api/courses?limit=100")
        .await
        .expect(StatusCode::OK);
    let session = courses
        .items
        .iter()
        .filter(|c| c.eligible != Some(false))
        .flat_map(|c| c.sessions.iter())
        .find(|s| s.status == SessionStatus::Open && s.seats_left > 0)
        .expect("an open session with seats")
        .clone();
    li.sign_up(session.id).await.expect(StatusCode::CREATED);
    let starts: i64 = sqlx::query_scalar("SELECT starts_at FROM training_sessions WHERE id = $1")
        .bind(session.id)
        .fetch_one(&mut *app.state.db.reader().await.unwrap())
        .await
        .unwrap();
    let db = &app.state.db;
    // A week before, nothing is due for her.
    reminders::send_due(db, starts - 7 * 86_400).await.unwrap();
    assert_eq!(fresh(&inbox(&li, "").await.items), 0);
    // The day before: one message, with the course, the time and the place.
    reminders::send_due(db, starts - 12 * 3_600).await.unwrap();
    let got = inbox(&li, "").await;
    assert_eq!(fresh(&got.items), 1, "{:?}", got.items);
    assert_eq!(got.items[0].kind, MessageKind::SessionSoon);
    assert!(
        got.items[0].body.contains(&session.place),
        "{:?}",
        got.items[0]
    );
    assert_eq!(
        got.items[0].link,
        format!("/training/courses/{}", session.course_id)
    );
    // A second run (or a second server) sends nothing more.
    reminders::send_due(db, starts - 11 * 3_600).await.unwrap();
    assert_eq!(fresh(&inbox(&li, "").await.items), 1);
}
both_databases!(a_seat_in_a_session_soon_is_reminded_once);

/// A women's plan run by the city union, taking members from ten days ago
/// until `last` (days from today), its term starting after.
fn womens_plan(name: &str, last: i64) -> PlanInput {
    PlanInput {
        name: name.into(),
        window_from: day(-10),
        window_to: day(last),
        starts_on: day(last + 7),
        eligibility: PlanEligibility {
            gender: Some(Gender::Female),
            min_age: None,
            max_age: None,
            active_card: false,
        },
        ..major_disease_plan()
    }
}

async fn a_member_hears_once_that_a_plan_she_may_join_closes_soon(app: &TestApp) {
    let city = app.signed_in("13700000001").await;
    let li = app.signed_in("13800000002").await;
    let zhang = app.signed_in("13800000001").await;
    let (li_before, zhang_before) = (unread(&li).await, unread(&zhang).await);
    // A window with a month left is not news yet.
    city.open_plan(&womens_plan("女职工远期互助", 30))
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(unread(&li).await, li_before);
    // Three days left: she may join and has not; she is told, once.
    let soon = city
        .open_plan(&womens_plan("女职工关爱互助", 3))
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(unread(&li).await, li_before + 1);
    assert_eq!(unread(&li).await, li_before + 1);
    let page = inbox(&li, "").await;
    let told = &page.items[0];
    assert_eq!(told.kind, MessageKind::PlanClosing);
    assert_eq!(told.title, "互助计划报名即将截止");
    let last_day = Date::parse_iso(&day(3)).unwrap();
    assert!(
        told.body
            .contains(&format!("女职工关爱互助报名截止到{last_day}")),
        "{}",
        told.body
    );
    assert_eq!(told.link, format!("/aid/plans/{}", soon.id));
    assert_eq!(
        page.items
            .iter()
            .filter(|m| m.kind == MessageKind::PlanClosing)
            .count(),
        1
    );
    // A man may not join a women's plan: nothing for him.
    assert_eq!(unread(&zhang).await, zhang_before);
    // Officers have no cover to join; their inbox is untouched and opens.
    assert_eq!(unread(&city).await, 0);
}
both_databases!(a_member_hears_once_that_a_plan_she_may_join_closes_soon);
