//! Two people, or one double tap, at once: each test sends its requests
//! together and checks that the rule held. Each failed before its fix (some
//! only on PostgreSQL, where requests really run side by side).

use futures::future::join_all;
use reqwest::StatusCode;
use unioncard_api::join::Page;
use unioncard_api::offers::{
    ComplaintRequest, ComplaintView, MerchantInput, MerchantStatus, StaffMerchant,
};

use crate::both_databases;
use crate::fixtures::{approve, corner_shop, workplace, zhao_min};
use crate::support::TestApp;

async fn complaints_sent_at_once_stop_at_the_daily_limit(app: &TestApp) {
    let li = app.signed_in("13800000002").await;
    let merchant = app.client().merchants("limit=1").await.into_body().items[0].id;
    let complaints: Vec<ComplaintRequest> = (0..16)
        .map(|i| ComplaintRequest {
            merchant_id: merchant,
            kind: "other".into(),
            text: format!("第 {i} 次"),
            redemption_id: None,
        })
        .collect();
    let answers = join_all(complaints.iter().map(|c| li.complain(c))).await;
    let filed = answers
        .iter()
        .filter(|a| a.status == StatusCode::CREATED)
        .count();
    let refused = answers
        .iter()
        .filter(|a| a.status == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert_eq!((filed, refused), (10, 6));
    let mine = li
        .get_as::<Page<ComplaintView>>("/api/me/complaints")
        .await
        .into_body();
    assert_eq!(mine.items.len(), 10);
}
both_databases!(complaints_sent_at_once_stop_at_the_daily_limit);

async fn one_join_request_approved_twice_at_once_admits_one_person(app: &TestApp) {
    let union_id = workplace(app, "武昌区").await;
    let applied = app.client().apply_to_join(&zhao_min(union_id)).await;
    assert_eq!(
        applied.status,
        StatusCode::CREATED,
        "{}",
        applied.answer.body
    );
    let wuchang = app.signed_in("13700000002").await;
    let city = app.signed_in("13700000001").await;
    let id = wuchang.join_queue("status=pending").await.into_body().items[0].id;
    let body = approve();
    let answers = join_all(
        (0..6).map(|i| if i % 2 == 0 { &wuchang } else { &city }.decide_join_request(id, &body)),
    )
    .await;
    let codes: Vec<(StatusCode, String)> = answers
        .iter()
        .map(|a| (a.status, a.code().to_string()))
        .collect();
    assert_eq!(
        codes.iter().filter(|(s, _)| *s == StatusCode::OK).count(),
        1,
        "{codes:?}"
    );
    assert!(
        codes
            .iter()
            .all(|(s, c)| *s == StatusCode::OK || c == "already_decided"),
        "{codes:?}"
    );
}
both_databases!(one_join_request_approved_twice_at_once_admits_one_person);

async fn a_pause_racing_an_end_never_revives_a_merchant(app: &TestApp) {
    let wuchang = app.signed_in("13700000002").await;
    for round in 0..6 {
        let shop = MerchantInput {
            name: format!("江城测试便利店 {round}"),
            ..corner_shop(None)
        };
        let created = wuchang.create_merchant(&shop).await;
        assert_eq!(
            created.status,
            StatusCode::CREATED,
            "{}",
            created.answer.body
        );
        let id = created.body().id;
        let (ended, paused) = tokio::join!(
            wuchang.set_status::<StaffMerchant>("merchants", id, "ended"),
            wuchang.set_status::<StaffMerchant>("merchants", id, "paused"),
        );
        assert_eq!(ended.status, StatusCode::OK, "{}", ended.answer.body);
        assert!(
            paused.status == StatusCode::OK || paused.code() == "contract_ended",
            "{}",
            paused.answer.body
        );
        let now = wuchang
            .get_as::<StaffMerchant>(&format!("/api/staff/merchants/{id}"))
            .await
            .into_body();
        assert_eq!(now.status, MerchantStatus::Ended, "round {round}: {now:?}");
    }
}
both_databases!(a_pause_racing_an_end_never_revives_a_merchant);
