//! Applying to join, an officer's decision, and registering afterwards.

use reqwest::StatusCode;
use serde_json::json;

use crate::both_databases;
use crate::support::TestApp;

const NEWCOMER_ID: &str = "11010519491231002X";

async fn workplace(app: &TestApp, district: &str) -> i64 {
    let c = app.client();
    let list = c
        .get(&format!("/api/unions?q={}", urlencode(district)))
        .await;
    list.body["items"][0]["id"]
        .as_i64()
        .expect("a workplace union in the district")
}

fn urlencode(s: &str) -> String {
    s.bytes().map(|b| format!("%{b:02X}")).collect()
}

fn application(union_id: i64) -> serde_json::Value {
    json!({"name": "赵敏", "id_number": NEWCOMER_ID, "phone": "13911112222", "union_id": union_id, "workplace": "武昌某物流公司"})
}

async fn a_newcomer_applies_is_approved_and_registers(app: &TestApp) {
    let union_id = workplace(app, "武昌区").await;
    let a = app
        .client()
        .post("/api/join-requests", application(union_id))
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
    assert_eq!(a.body["status"], "pending");
    assert_eq!(a.body["name"], "*敏");
    let dup = app
        .client()
        .post("/api/join-requests", application(union_id))
        .await;
    assert_eq!(
        (dup.status, dup.code()),
        (StatusCode::CONFLICT, "already_known")
    );
    // The district officer sees it; the officer of another district would not.
    let wuchang = app.signed_in("13700000002").await;
    let queue = wuchang.get("/api/staff/join-requests?status=pending").await;
    let id = queue.body["items"][0]["id"].as_i64().unwrap();
    assert_eq!(queue.body["items"][0]["name"], "赵敏");
    let decided = wuchang
        .post(
            &format!("/api/staff/join-requests/{id}/decision"),
            json!({"decision": "approve", "note": ""}),
        )
        .await;
    assert_eq!(decided.status, StatusCode::OK, "{}", decided.body);
    assert_eq!(decided.body["status"], "approved");
    let again = wuchang
        .post(
            &format!("/api/staff/join-requests/{id}/decision"),
            json!({"decision": "reject", "note": "重复"}),
        )
        .await;
    assert_eq!(
        (again.status, again.code()),
        (StatusCode::CONFLICT, "already_decided")
    );
    // The applicant sees the outcome with phone and ID number.
    let look = app
        .client()
        .post(
            "/api/join-requests/lookup",
            json!({"phone": "13911112222", "id_number": NEWCOMER_ID}),
        )
        .await;
    assert_eq!(look.body["status"], "approved");
    let wrong = app
        .client()
        .post(
            "/api/join-requests/lookup",
            json!({"phone": "13911113333", "id_number": NEWCOMER_ID}),
        )
        .await;
    assert_eq!(wrong.status, StatusCode::NOT_FOUND);
    // Now in the roster with an issued card: she can register.
    let r = app
        .client()
        .post("/api/auth/register", json!({"phone": "13911112222", "password": "Zhao2026ok", "name": "赵敏", "id_number": NEWCOMER_ID}))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["card"]["status"], "issued");
    // And cannot apply again.
    let late = app
        .client()
        .post("/api/join-requests", application(union_id))
        .await;
    assert_eq!(
        (late.status, late.code()),
        (StatusCode::CONFLICT, "already_known")
    );
}
both_databases!(a_newcomer_applies_is_approved_and_registers);

async fn declining_needs_a_reason_and_stays_in_scope(app: &TestApp) {
    let jiangan = workplace(app, "江岸区").await;
    let a = app
        .client()
        .post("/api/join-requests", application(jiangan))
        .await;
    let id = a.body["id"].as_i64().unwrap();
    let wuchang = app.signed_in("13700000002").await;
    let out = wuchang
        .post(
            &format!("/api/staff/join-requests/{id}/decision"),
            json!({"decision": "approve"}),
        )
        .await;
    assert_eq!(out.status, StatusCode::NOT_FOUND, "outside 武昌区");
    assert!(wuchang.get("/api/staff/join-requests").await.body["items"]
        .as_array()
        .unwrap()
        .is_empty());
    let city = app.signed_in("13700000001").await;
    let no_reason = city
        .post(
            &format!("/api/staff/join-requests/{id}/decision"),
            json!({"decision": "reject", "note": " "}),
        )
        .await;
    assert_eq!(
        (no_reason.status, no_reason.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "note_required")
    );
    let odd = city
        .post(
            &format!("/api/staff/join-requests/{id}/decision"),
            json!({"decision": "request_documents"}),
        )
        .await;
    assert_eq!(odd.status, StatusCode::UNPROCESSABLE_ENTITY);
    let no = city
        .post(
            &format!("/api/staff/join-requests/{id}/decision"),
            json!({"decision": "reject", "note": "单位不在本市"}),
        )
        .await;
    assert_eq!(no.body["status"], "rejected");
    let look = app
        .client()
        .post(
            "/api/join-requests/lookup",
            json!({"phone": "13911112222", "id_number": NEWCOMER_ID}),
        )
        .await;
    assert_eq!(
        (look.body["status"].as_str(), look.body["note"].as_str()),
        (Some("rejected"), Some("单位不在本市"))
    );
    // Members and cashiers have no queue.
    let member = app.signed_in("13800000002").await;
    assert_eq!(
        member.get("/api/staff/join-requests").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.client().get("/api/staff/join-requests").await.status,
        StatusCode::UNAUTHORIZED
    );
}
both_databases!(declining_needs_a_reason_and_stays_in_scope);

async fn bad_applications_are_refused(app: &TestApp) {
    let c = app.client();
    let a = c
        .post(
            "/api/join-requests",
            json!({"name": "", "id_number": "123", "phone": "1", "union_id": 1, "workplace": ""}),
        )
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(a.body["error"]["fields"].as_object().unwrap().len(), 4);
    // A city union is not a workplace union.
    let a = c
        .post("/api/join-requests", json!({"name": "赵敏", "id_number": NEWCOMER_ID, "phone": "13911112222", "union_id": 2, "workplace": "某公司"}))
        .await;
    assert_eq!(
        (a.status, a.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "unknown_union")
    );
    // Someone already in the roster is told to register instead.
    let union_id = workplace(app, "武昌区").await;
    let a = c
        .post("/api/join-requests", json!({"name": "李娜", "id_number": "420106199207082342", "phone": "13800000002", "union_id": union_id, "workplace": "某公司"}))
        .await;
    assert_eq!(
        (a.status, a.code()),
        (StatusCode::CONFLICT, "already_known")
    );
}
both_databases!(bad_applications_are_refused);
