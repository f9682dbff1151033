//! Applying to join, an officer's decision, and registering afterwards.

use reqwest::StatusCode;
use unioncard_api::auth::RegisterRequest;
use unioncard_api::card::CardStatus;
use unioncard_api::join::{JoinApplication, JoinStatus};

use crate::both_databases;
use crate::fixtures::{approve, decision, workplace, zhao_min as application};
use crate::support::TestApp;

const NEWCOMER_ID: &str = "11010519491231002X";

async fn a_newcomer_applies_is_approved_and_registers(app: &TestApp) {
    let union_id = workplace(app, "武昌区").await;
    let a = app.client().apply_to_join(&application(union_id)).await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.answer.body);
    assert_eq!(a.body().status, JoinStatus::Pending);
    assert_eq!(a.body().name, "*敏");
    let dup = app.client().apply_to_join(&application(union_id)).await;
    assert_eq!(
        (dup.status, dup.code()),
        (StatusCode::CONFLICT, "already_known")
    );
    // The district officer sees it; the officer of another district would not.
    let wuchang = app.signed_in("13700000002").await;
    let queue = wuchang.join_queue("status=pending").await.into_body();
    let id = queue.items[0].id;
    assert_eq!(queue.items[0].name, "赵敏");
    let decided = wuchang.decide_join_request(id, &approve()).await;
    assert_eq!(decided.status, StatusCode::OK, "{}", decided.answer.body);
    assert_eq!(decided.body().status, JoinStatus::Approved);
    let again = wuchang
        .decide_join_request(id, &decision("reject", "重复"))
        .await;
    assert_eq!(
        (again.status, again.code()),
        (StatusCode::CONFLICT, "already_decided")
    );
    // The applicant sees the outcome with phone and ID number.
    let look = app.client().look_up_join("13911112222", NEWCOMER_ID).await;
    assert_eq!(look.body().status, JoinStatus::Approved);
    let wrong = app.client().look_up_join("13911113333", NEWCOMER_ID).await;
    assert_eq!(wrong.status, StatusCode::NOT_FOUND);
    // Now in the roster with an issued card: she can register.
    let r = app
        .client()
        .register(&RegisterRequest {
            phone: "13911112222".into(),
            password: "Zhao2026ok".into(),
            name: "赵敏".into(),
            id_number: NEWCOMER_ID.into(),
        })
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.answer.body);
    assert_eq!(
        r.body().card.as_ref().expect("her card").status,
        CardStatus::Issued
    );
    // And cannot apply again.
    let late = app.client().apply_to_join(&application(union_id)).await;
    assert_eq!(
        (late.status, late.code()),
        (StatusCode::CONFLICT, "already_known")
    );
}
both_databases!(a_newcomer_applies_is_approved_and_registers);

async fn declining_needs_a_reason_and_stays_in_scope(app: &TestApp) {
    let jiangan = workplace(app, "江岸区").await;
    let a = app.client().apply_to_join(&application(jiangan)).await;
    let id = a.body().id;
    let wuchang = app.signed_in("13700000002").await;
    let out = wuchang.decide_join_request(id, &approve()).await;
    assert_eq!(out.status, StatusCode::NOT_FOUND, "outside 武昌区");
    assert!(wuchang.join_queue("").await.into_body().items.is_empty());
    let city = app.signed_in("13700000001").await;
    let no_reason = city.decide_join_request(id, &decision("reject", " ")).await;
    assert_eq!(
        (no_reason.status, no_reason.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "note_required")
    );
    let odd = city
        .decide_join_request(id, &decision("request_documents", ""))
        .await;
    assert_eq!(odd.status, StatusCode::UNPROCESSABLE_ENTITY);
    let no = city
        .decide_join_request(id, &decision("reject", "单位不在本市"))
        .await;
    assert_eq!(no.body().status, JoinStatus::Rejected);
    let look = app
        .client()
        .look_up_join("13911112222", NEWCOMER_ID)
        .await
        .into_body();
    assert_eq!(
        (look.status, look.note.as_deref()),
        (JoinStatus::Rejected, Some("单位不在本市"))
    );
    // Members and cashiers have no queue.
    let member = app.signed_in("13800000002").await;
    assert_eq!(member.join_queue("").await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.client().join_queue("").await.status,
        StatusCode::UNAUTHORIZED
    );
}
both_databases!(declining_needs_a_reason_and_stays_in_scope);

async fn bad_applications_are_refused(app: &TestApp) {
    let c = app.client();
    let a = c
        .apply_to_join(&JoinApplication {
            name: "".into(),
            id_number: "123".into(),
            phone: "1".into(),
            union_id: 1,
            workplace: "".into(),
        })
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(a.answer.error().fields.len(), 4);
    // A city union is not a workplace union.
    let a = c
        .apply_to_join(&JoinApplication {
            union_id: 2,
            workplace: "某公司".into(),
            ..application(0)
        })
        .await;
    assert_eq!(
        (a.status, a.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "unknown_union")
    );
    // Someone already in the roster is told to register instead.
    let union_id = workplace(app, "武昌区").await;
    let a = c
        .apply_to_join(&JoinApplication {
            name: "李娜".into(),
            id_number: "420106199207082342".into(),
            phone: "13800000002".into(),
            union_id,
            workplace: "某公司".into(),
        })
        .await;
    assert_eq!(
        (a.status, a.code()),
        (StatusCode::CONFLICT, "already_known")
    );
}
both_databases!(bad_applications_are_refused);
