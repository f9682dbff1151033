//! Two people, or one double tap, at once: each test sends its requests
//! together and checks that the rule held. Each failed before its fix (some
//! only on PostgreSQL, where requests really run side by side).

use futures::future::join_all;
use reqwest::StatusCode;
use serde_json::json;

use crate::both_databases;
use crate::support::TestApp;

async fn complaints_sent_at_once_stop_at_the_daily_limit(app: &TestApp) {
    let li = app.signed_in("13800000002").await;
    let merchant = app.client().get("/api/merchants?limit=1").await.body["items"][0]["id"]
        .as_i64()
        .unwrap();
    let answers = join_all((0..16).map(|i| {
        li.post(
            "/api/complaints",
            json!({"merchant_id": merchant, "kind": "other", "text": format!("第 {i} 次")}),
        )
    }))
    .await;
    let filed = answers
        .iter()
        .filter(|a| a.status == StatusCode::CREATED)
        .count();
    let refused = answers
        .iter()
        .filter(|a| a.status == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert_eq!((filed, refused), (10, 6));
    let mine = li.get("/api/me/complaints").await;
    assert_eq!(mine.body["items"].as_array().unwrap().len(), 10);
}
both_databases!(complaints_sent_at_once_stop_at_the_daily_limit);

async fn one_join_request_approved_twice_at_once_admits_one_person(app: &TestApp) {
    let union_id = app
        .client()
        .get("/api/unions?q=%E6%AD%A6%E6%98%8C%E5%8C%BA")
        .await
        .body["items"][0]["id"]
        .as_i64()
        .unwrap();
    let applied = app
        .client()
        .post(
            "/api/join-requests",
            json!({"name": "赵敏", "id_number": "11010519491231002X", "phone": "13911112222",
                   "union_id": union_id, "workplace": "武昌某物流公司"}),
        )
        .await;
    assert_eq!(applied.status, StatusCode::CREATED, "{}", applied.body);
    let wuchang = app.signed_in("13700000002").await;
    let city = app.signed_in("13700000001").await;
    let id = wuchang
        .get("/api/staff/join-requests?status=pending")
        .await
        .body["items"][0]["id"]
        .as_i64()
        .unwrap();
    let path = format!("/api/staff/join-requests/{id}/decision");
    let body = json!({"decision": "approve", "note": ""});
    let answers = join_all(
        (0..6).map(|i| if i % 2 == 0 { &wuchang } else { &city }.post(&path, body.clone())),
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
        let created = wuchang
            .post(
                "/api/staff/merchants",
                json!({
                    "name": format!("江城测试便利店 {round}"), "category": "shopping", "district": "武昌区",
                    "address": "武汉市武昌区中南路 1 号", "lat": 30.54, "lng": 114.33, "hours": "08:00-22:00",
                    "phone": "027-8888 0000", "contract_from": "2026-01-01", "contract_to": "2030-12-31",
                    "typical_bill_fen": 5000, "union_id": null,
                }),
            )
            .await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
        let id = created.body["id"].as_i64().unwrap();
        let path = format!("/api/staff/merchants/{id}/status");
        let (ended, paused) = tokio::join!(
            wuchang.post(&path, json!({"status": "ended"})),
            wuchang.post(&path, json!({"status": "paused"})),
        );
        assert_eq!(ended.status, StatusCode::OK, "{}", ended.body);
        assert!(
            paused.status == StatusCode::OK || paused.code() == "contract_ended",
            "{}",
            paused.body
        );
        let now = wuchang.get(&format!("/api/staff/merchants/{id}")).await;
        assert_eq!(now.body["status"], "ended", "round {round}: {}", now.body);
    }
}
both_databases!(a_pause_racing_an_end_never_revives_a_merchant);
