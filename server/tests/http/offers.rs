//! Discounts: the directory, one-time codes confirmed exactly once, history, complaints.

use std::sync::Arc;

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::both_databases;
use crate::support::TestApp;

/// The demo supermarket's id and its first offer (no minimum, no limit).
async fn supermarket(app: &TestApp) -> (i64, i64) {
    let c = app.client();
    let found = c.get("/api/merchants?q=%E6%A5%9A%E5%A4%A9%E4%BC%98%E9%80%89%E8%B6%85%E5%B8%82%EF%BC%88%E6%B1%9F%E6%B1%89%E8%B7%AF").await;
    let m = &found.body["items"][0];
    assert_eq!(m["name"], "楚天优选超市（江汉路店）", "{}", found.body);
    (
        m["id"].as_i64().unwrap(),
        m["offers"][0]["id"].as_i64().unwrap(),
    )
}

async fn li_na_redeems_the_supermarket_offer_once(app: &TestApp) {
    let (_, offer) = supermarket(app).await;
    let li = app.signed_in("13800000002").await;
    let a = li
        .post(&format!("/api/offers/{offer}/redemptions"), json!({}))
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
    let code = a.body["code"].as_str().unwrap().to_string();
    assert_eq!(code.len(), 10);
    // A double tap gets the same code.
    let again = li
        .post(&format!("/api/offers/{offer}/redemptions"), json!({}))
        .await;
    assert_eq!(again.body["code"], code.as_str());
    let cashier = app.signed_in("13900000001").await;
    let p = cashier
        .post(
            &format!("/api/merchant/redemptions/{code}/preview"),
            json!({"amount_fen": 10000}),
        )
        .await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.body);
    assert_eq!(p.body["worked"]["discount_fen"], 500);
    assert_eq!(p.body["member_masked"], "*娜");
    let c = cashier
        .post(
            &format!("/api/merchant/redemptions/{code}/confirm"),
            json!({"amount_fen": 10000}),
        )
        .await;
    assert_eq!(c.status, StatusCode::OK, "{}", c.body);
    assert_eq!(
        c.body["worked"],
        json!({"bill_fen": 10000, "discount_fen": 500, "pay_fen": 9500})
    );
    let twice = cashier
        .post(
            &format!("/api/merchant/redemptions/{code}/confirm"),
            json!({"amount_fen": 10000}),
        )
        .await;
    assert_eq!(
        (twice.status, twice.code()),
        (StatusCode::CONFLICT, "already_used")
    );
    let h = li.get("/api/me/redemptions").await;
    assert_eq!(h.body["year_saving_fen"], 500);
    assert_eq!(h.body["items"].as_array().unwrap().len(), 1);
    assert_eq!(h.body["items"][0]["saving_fen"], 500);
    assert_eq!(
        h.body["items"][0]["merchant_name"],
        "楚天优选超市（江汉路店）"
    );
    let today = cashier.get("/api/merchant/today").await;
    assert_eq!(
        (
            today.body["bills_fen"].as_i64(),
            today.body["discounts_fen"].as_i64()
        ),
        (Some(10000), Some(500))
    );
}
both_databases!(li_na_redeems_the_supermarket_offer_once);

async fn thirty_two_simultaneous_confirmations_confirm_once(app: &TestApp) {
    let (_, offer) = supermarket(app).await;
    let li = app.signed_in("13800000002").await;
    let code = crate::fixtures::offer_code(&li, offer).await;
    let cashier = Arc::new(app.signed_in("13900000001").await);
    let mut tasks = Vec::new();
    for _ in 0..32 {
        let (cashier, code) = (cashier.clone(), code.clone());
        tasks.push(tokio::spawn(async move {
            cashier
                .post(
                    &format!("/api/merchant/redemptions/{code}/confirm"),
                    json!({"amount_fen": 10000}),
                )
                .await
                .status
        }));
    }
    let mut ok = 0;
    for t in tasks {
        match t.await.unwrap() {
            StatusCode::OK => ok += 1,
            StatusCode::CONFLICT => {}
            other => panic!("unexpected {other}"),
        }
    }
    assert_eq!(ok, 1);
    let saved: i64 = li.get("/api/me/redemptions").await.body["year_saving_fen"]
        .as_i64()
        .unwrap();
    assert_eq!(saved, 500, "saved once, not 32 times");
}
both_databases!(thirty_two_simultaneous_confirmations_confirm_once);

async fn every_wrong_code_gets_its_own_answer(app: &TestApp) {
    let (_, offer) = supermarket(app).await;
    let li = app.signed_in("13800000002").await;
    let code = crate::fixtures::offer_code(&li, offer).await;
    let supermarket_cashier = app.signed_in("13900000001").await;
    let restaurant_cashier = app.signed_in("13900000002").await;
    let confirm = |code: String| format!("/api/merchant/redemptions/{code}/confirm");
    let a = supermarket_cashier
        .post(&confirm("0000000000".into()), json!({"amount_fen": 100}))
        .await;
    assert_eq!(
        (a.status, a.code()),
        (StatusCode::NOT_FOUND, "unknown_code")
    );
    let a = restaurant_cashier
        .post(&confirm(code.clone()), json!({"amount_fen": 100}))
        .await;
    assert_eq!(
        (a.status, a.code()),
        (StatusCode::FORBIDDEN, "other_merchant")
    );
    let a = li
        .post(&confirm(code.clone()), json!({"amount_fen": 100}))
        .await;
    assert_eq!(
        (a.status, a.code()),
        (StatusCode::FORBIDDEN, "cashiers_only")
    );
    let a = supermarket_cashier
        .post(&confirm(code.clone()), json!({"amount_fen": 0}))
        .await;
    assert_eq!(
        (a.status, a.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "bad_amount")
    );
    sqlx::query("UPDATE redemptions SET expires_at = 1 WHERE code = $1")
        .bind(&code)
        .execute(app.state.db.write())
        .await
        .unwrap();
    let a = supermarket_cashier
        .post(&confirm(code.clone()), json!({"amount_fen": 100}))
        .await;
    assert_eq!((a.status, a.code()), (StatusCode::GONE, "code_expired"));
    // 张伟's card is not active: no code.
    let zhang = app.signed_in("13800000001").await;
    let a = zhang
        .post(&format!("/api/offers/{offer}/redemptions"), json!({}))
        .await;
    assert_eq!(
        (a.status, a.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "card_not_active")
    );
    assert_eq!(
        li.post("/api/offers/999999/redemptions", json!({}))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}
both_databases!(every_wrong_code_gets_its_own_answer);

async fn limits_and_minimum_spend_are_enforced(app: &TestApp) {
    let (merchant, _) = supermarket(app).await;
    let offer = crate::fixtures::once_a_day_offer(app, merchant, 2000, 5000).await;
    let li = app.signed_in("13800000002").await;
    let cashier = app.signed_in("13900000001").await;
    let code = crate::fixtures::offer_code(&li, offer).await;
    let low = cashier
        .post(
            &format!("/api/merchant/redemptions/{code}/confirm"),
            json!({"amount_fen": 4999}),
        )
        .await;
    assert_eq!(
        (low.status, low.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "below_minimum")
    );
    assert!(low.body["error"]["fields"]["amount_fen"].is_string());
    let ok = cashier
        .post(
            &format!("/api/merchant/redemptions/{code}/confirm"),
            json!({"amount_fen": 5000}),
        )
        .await;
    assert_eq!(ok.body["worked"]["discount_fen"], 1000);
    let second = li
        .post(&format!("/api/offers/{offer}/redemptions"), json!({}))
        .await;
    assert_eq!(
        (second.status, second.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "limit_reached")
    );
}
both_databases!(limits_and_minimum_spend_are_enforced);

async fn a_retry_with_the_same_idempotency_key_acts_once(app: &TestApp) {
    let (_, offer) = supermarket(app).await;
    let li = app.signed_in("13800000002").await;
    let send = || {
        li.raw(Method::POST, &format!("/api/offers/{offer}/redemptions"))
            .header("X-Requested-With", "unioncard")
            .header("Idempotency-Key", "tap-1")
            .send()
    };
    let first = crate::support::Client::answer(send().await.unwrap()).await;
    let retry = crate::support::Client::answer(send().await.unwrap()).await;
    assert_eq!(first.status, StatusCode::CREATED);
    assert_eq!(
        (retry.status, &retry.body),
        (StatusCode::CREATED, &first.body)
    );
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM redemptions WHERE user_id IS NOT NULL")
        .fetch_one(app.state.db.read())
        .await
        .unwrap();
    assert_eq!(n, 1);
}
both_databases!(a_retry_with_the_same_idempotency_key_acts_once);

async fn the_directory_filters_searches_sorts_by_distance_and_pages(app: &TestApp) {
    let c = app.client();
    let dining = c.get("/api/merchants?category=dining&limit=100").await;
    let items = dining.body["items"].as_array().unwrap();
    assert!(!items.is_empty());
    assert!(items.iter().all(|m| m["category"] == "dining"));
    // Near 黄鹤楼: nearest first, each with its distance.
    let near = c.get("/api/merchants?near=30.5446,114.3025&limit=10").await;
    let d: Vec<i64> = near.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["distance_m"].as_i64().unwrap())
        .collect();
    assert!(!d.is_empty());
    assert!(d.windows(2).all(|w| w[0] <= w[1]), "{d:?}");
    // Pages do not overlap and end.
    let first = c.get("/api/merchants?limit=25").await;
    let cursor = first.body["next_cursor"].as_str().unwrap().to_string();
    let second = c
        .get(&format!("/api/merchants?limit=25&cursor={cursor}"))
        .await;
    let ids = |a: &crate::support::Answer| {
        a.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["id"].as_i64().unwrap())
            .collect::<Vec<_>>()
    };
    let (p1, p2) = (ids(&first), ids(&second));
    assert_eq!(p1.len(), 25);
    assert!(p2.iter().all(|id| !p1.contains(id)));
    let all = c.get("/api/merchants?limit=100").await;
    assert!(all.body["next_cursor"].is_null());
    assert_eq!(all.body["items"].as_array().unwrap().len(), 60);
    // Each offer says what a typical bill saves.
    assert_eq!(all.body["items"][0]["offers"][0]["typical_saving_fen"], 500);
    assert_eq!(all.body["items"][0]["offers"][0]["summary"], "95折");
    assert_eq!(
        c.get("/api/merchants?near=north").await.status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        c.get("/api/merchants?category=spaceships").await.status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        c.get("/api/merchants/999999").await.status,
        StatusCode::NOT_FOUND
    );
}
both_databases!(the_directory_filters_searches_sorts_by_distance_and_pages);

async fn a_complaint_reaches_the_right_officers(app: &TestApp) {
    let (merchant, _) = supermarket(app).await;
    let li = app.signed_in("13800000002").await;
    let bad = li
        .post(
            "/api/complaints",
            json!({"merchant_id": merchant, "kind": "grumpy"}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let c = li
        .post(
            "/api/complaints",
            json!({"merchant_id": merchant, "kind": "refused", "text": "收银员说不能用会员卡"}),
        )
        .await;
    assert_eq!(c.status, StatusCode::CREATED, "{}", c.body);
    let id = c.body["id"].as_i64().unwrap();
    // The supermarket is in 江汉区: the 武昌区 officer never sees it.
    let wuchang = app.signed_in("13700000002").await;
    assert!(wuchang.get("/api/staff/complaints").await.body["items"]
        .as_array()
        .unwrap()
        .is_empty());
    let out = wuchang
        .post(
            &format!("/api/staff/complaints/{id}/decision"),
            json!({"decision": "approve", "note": "已处理"}),
        )
        .await;
    assert_eq!(out.status, StatusCode::NOT_FOUND);
    let city = app.signed_in("13700000001").await;
    let q = city.get("/api/staff/complaints").await;
    assert_eq!(q.body["items"][0]["id"], id);
    assert_eq!(q.body["items"][0]["merchant_open_complaints"], 1);
    let no_note = city
        .post(
            &format!("/api/staff/complaints/{id}/decision"),
            json!({"decision": "approve"}),
        )
        .await;
    assert_eq!(no_note.status, StatusCode::UNPROCESSABLE_ENTITY);
    let done = city
        .post(
            &format!("/api/staff/complaints/{id}/decision"),
            json!({"decision": "approve", "note": "已约谈商户并督促整改"}),
        )
        .await;
    assert_eq!(done.body["status"], "resolved");
    let again = city
        .post(
            &format!("/api/staff/complaints/{id}/decision"),
            json!({"decision": "approve", "note": "x"}),
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    let mine = li.get("/api/me/complaints").await;
    assert_eq!(mine.body["items"][0]["status"], "resolved");
    assert!(mine.body["items"][0]["note"]
        .as_str()
        .unwrap()
        .contains("整改"));
}
both_databases!(a_complaint_reaches_the_right_officers);

async fn a_complaint_photo_is_checked_and_shown_only_to_those_who_may_see_it(app: &TestApp) {
    let (merchant, _) = supermarket(app).await;
    let li = app.signed_in("13800000002").await;
    let c = li
        .post(
            "/api/complaints",
            json!({"merchant_id": merchant, "kind": "wrong_discount"}),
        )
        .await;
    let id = c.body["id"].as_i64().unwrap();
    let upload = |bytes: Vec<u8>, name: &'static str| {
        let form = reqwest::multipart::Form::new().part(
            "photo",
            reqwest::multipart::Part::bytes(bytes).file_name(name),
        );
        li.raw(Method::POST, &format!("/api/complaints/{id}/photo"))
            .header("X-Requested-With", "unioncard")
            .multipart(form)
            .send()
    };
    // Named .jpg but really HTML: refused by content.
    let fake = crate::support::Client::answer(
        upload(b"<html>not a photo</html>".to_vec(), "receipt.jpg")
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        (fake.status, fake.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "wrong_file_type")
    );
    // Over 10 MB, from another session on its own connection: after refusing
    // a large body the server does not keep that connection for more requests.
    let mut big = vec![0xFF, 0xD8, 0xFF, 0xE0];
    big.resize(11 * 1024 * 1024, 0);
    let other_phone = app.signed_in("13800000002").await;
    let form = reqwest::multipart::Form::new().part(
        "photo",
        reqwest::multipart::Part::bytes(big).file_name("big.jpg"),
    );
    let too_big = other_phone
        .raw(Method::POST, &format!("/api/complaints/{id}/photo"))
        .header("X-Requested-With", "unioncard")
        .multipart(form)
        .send()
        .await
        .unwrap();
    let too_big = crate::support::Client::answer(too_big).await;
    assert_eq!(
        (too_big.status, too_big.code()),
        (StatusCode::PAYLOAD_TOO_LARGE, "too_large")
    );
    let mut jpeg = vec![0xFF, 0xD8, 0xFF, 0xE0];
    jpeg.extend_from_slice(b"a small photo");
    let ok = crate::support::Client::answer(upload(jpeg.clone(), "photo.png").await.unwrap()).await;
    assert_eq!(ok.status, StatusCode::CREATED, "{}", ok.body);
    assert_eq!(ok.body["has_photo"], true);
    // The member and the city officer see it; the 武昌区 officer and another member do not.
    let own = li
        .raw(Method::GET, &format!("/api/complaints/{id}/photo"))
        .send()
        .await
        .unwrap();
    assert_eq!(own.headers()["content-type"], "image/jpeg");
    assert_eq!(own.bytes().await.unwrap().as_ref(), jpeg.as_slice());
    let city = app.signed_in("13700000001").await;
    assert_eq!(
        city.get(&format!("/api/complaints/{id}/photo"))
            .await
            .status,
        StatusCode::OK
    );
    let wuchang = app.signed_in("13700000002").await;
    assert_eq!(
        wuchang
            .get(&format!("/api/complaints/{id}/photo"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let zhang = app.signed_in("13800000001").await;
    assert_eq!(
        zhang
            .get(&format!("/api/complaints/{id}/photo"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // Stored under a name that reveals nothing, outside the database.
    let name: String = sqlx::query_scalar("SELECT photo_name FROM complaints WHERE id = $1")
        .bind(id)
        .fetch_one(app.state.db.read())
        .await
        .unwrap();
    assert!(name.len() >= 30, "a random name: {name}");
    assert!(app.state.uploads.join(&name).exists());
}
both_databases!(a_complaint_photo_is_checked_and_shown_only_to_those_who_may_see_it);
