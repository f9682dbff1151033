//! Discounts: the directory, one-time codes confirmed exactly once, history, complaints.

use std::sync::Arc;

use reqwest::{Method, StatusCode};
use unioncard_api::join::Page;
use unioncard_api::offers::{
    CashierDay, Category, ComplaintRequest, ComplaintView, MerchantView, MyRedemptions, Worked,
};

use crate::both_databases;
use crate::fixtures::{approve, decision, offer_code, once_a_day_offer};
use crate::support::TestApp;

/// The demo supermarket's id and its first offer (no minimum, no limit).
async fn supermarket(app: &TestApp) -> (i64, i64) {
    let c = app.client();
    let found = c.merchants("q=%E6%A5%9A%E5%A4%A9%E4%BC%98%E9%80%89%E8%B6%85%E5%B8%82%EF%BC%88%E6%B1%9F%E6%B1%89%E8%B7%AF").await.into_body();
    let m = found
        .items
        .first()
        .unwrap_or_else(|| panic!("no supermarket: {found:?}"));
    assert_eq!(m.name, "楚天优选超市（江汉路店）", "{found:?}");
    (m.id, m.offers[0].id)
}

/// A complaint about a merchant.
fn complaint(merchant_id: i64, kind: &str, text: &str) -> ComplaintRequest {
    ComplaintRequest {
        merchant_id,
        kind: kind.into(),
        text: text.into(),
        redemption_id: None,
    }
}

async fn li_na_redeems_the_supermarket_offer_once(app: &TestApp) {
    let (_, offer) = supermarket(app).await;
    let li = app.signed_in("13800000002").await;
    let a = li.redeem(offer).await.expect(StatusCode::CREATED);
    let code = a.code;
    assert_eq!(code.len(), 10);
    // A double tap gets the same code.
    let again = li.redeem(offer).await;
    assert_eq!(again.body().code, code);
    let cashier = app.signed_in("13900000001").await;
    let p = cashier
        .till("preview", &code, 10000)
        .await
        .expect(StatusCode::OK);
    assert_eq!(p.worked.discount_fen, 500);
    assert_eq!(p.member_masked, "*娜");
    let c = cashier.confirm(&code, 10000).await.expect(StatusCode::OK);
    assert_eq!(
        c.worked,
        Worked {
            bill_fen: 10000,
            discount_fen: 500,
            pay_fen: 9500
        }
    );
    let twice = cashier.confirm(&code, 10000).await;
    assert_eq!(
        (twice.status, twice.code()),
        (StatusCode::CONFLICT, "already_used")
    );
    let h = li
        .get_as::<MyRedemptions>("/api/me/redemptions")
        .await
        .into_body();
    assert_eq!(h.year_saving_fen, 500);
    assert_eq!(h.items.len(), 1);
    assert_eq!(h.items[0].saving_fen, 500);
    assert_eq!(h.items[0].merchant_name, "楚天优选超市（江汉路店）");
    let today = cashier
        .get_as::<CashierDay>("/api/merchant/today")
        .await
        .into_body();
    assert_eq!((today.bills_fen, today.discounts_fen), (10000, 500));
}
both_databases!(li_na_redeems_the_supermarket_offer_once);

async fn thirty_two_simultaneous_confirmations_confirm_once(app: &TestApp) {
    let (_, offer) = supermarket(app).await;
    let li = app.signed_in("13800000002").await;
    let code = offer_code(&li, offer).await;
    let cashier = Arc::new(app.signed_in("13900000001").await);
    let mut tasks = Vec::new();
    for _ in 0..32 {
        let (cashier, code) = (cashier.clone(), code.clone());
        tasks.push(tokio::spawn(async move {
            cashier.confirm(&code, 10000).await.status
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
    let saved = li
        .get_as::<MyRedemptions>("/api/me/redemptions")
        .await
        .into_body()
        .year_saving_fen;
    assert_eq!(saved, 500, "saved once, not 32 times");
}
both_databases!(thirty_two_simultaneous_confirmations_confirm_once);

async fn every_wrong_code_gets_its_own_answer(app: &TestApp) {
    let (_, offer) = supermarket(app).await;
    let li = app.signed_in("13800000002").await;
    let code = offer_code(&li, offer).await;
    let supermarket_cashier = app.signed_in("13900000001").await;
    let restaurant_cashier = app.signed_in("13900000002").await;
    let a = supermarket_cashier.confirm("0000000000", 100).await;
    assert_eq!(
        (a.status, a.code()),
        (StatusCode::NOT_FOUND, "unknown_code")
    );
    let a = restaurant_cashier.confirm(&code, 100).await;
    assert_eq!(
        (a.status, a.code()),
        (StatusCode::FORBIDDEN, "other_merchant")
    );
    let a = li.confirm(&code, 100).await;
    assert_eq!(
        (a.status, a.code()),
        (StatusCode::FORBIDDEN, "cashiers_only")
    );
    let a = supermarket_cashier.confirm(&code, 0).await;
    assert_eq!(
        (a.status, a.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "bad_amount")
    );
    sqlx::query("UPDATE redemptions SET expires_at = 1 WHERE code = $1")
        .bind(&code)
        .execute(app.state.db.write())
        .await
        .unwrap();
    let a = supermarket_cashier.confirm(&code, 100).await;
    assert_eq!((a.status, a.code()), (StatusCode::GONE, "code_expired"));
    // 张伟's card is not active: no code.
    let zhang = app.signed_in("13800000001").await;
    let a = zhang.redeem(offer).await;
    assert_eq!(
        (a.status, a.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "card_not_active")
    );
    assert_eq!(li.redeem(999999).await.status, StatusCode::NOT_FOUND);
}
both_databases!(every_wrong_code_gets_its_own_answer);

async fn limits_and_minimum_spend_are_enforced(app: &TestApp) {
    let (merchant, _) = supermarket(app).await;
    let offer = once_a_day_offer(app, merchant, 2000, 5000).await;
    let li = app.signed_in("13800000002").await;
    let cashier = app.signed_in("13900000001").await;
    let code = offer_code(&li, offer).await;
    let low = cashier.confirm(&code, 4999).await;
    assert_eq!(
        (low.status, low.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "below_minimum")
    );
    assert!(low.field("amount_fen").is_some());
    let ok = cashier.confirm(&code, 5000).await;
    assert_eq!(ok.body().worked.discount_fen, 1000);
    let second = li.redeem(offer).await;
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
    let dining = c.merchants("category=dining&limit=100").await.into_body();
    let items = &dining.items;
    assert!(!items.is_empty());
    assert!(items.iter().all(|m| m.category == Category::Dining));
    // Near 黄鹤楼: nearest first, each with its distance.
    let near = c
        .merchants("near=30.5446,114.3025&limit=10")
        .await
        .into_body();
    let d: Vec<i64> = near
        .items
        .iter()
        .map(|m| m.distance_m.expect("a distance"))
        .collect();
    assert!(!d.is_empty());
    assert!(d.windows(2).all(|w| w[0] <= w[1]), "{d:?}");
    // Pages do not overlap and end.
    let first = c.merchants("limit=25").await.into_body();
    let cursor = first.next_cursor.clone().expect("a next page");
    let second = c
        .merchants(&format!("limit=25&cursor={cursor}"))
        .await
        .into_body();
    let ids = |p: &Page<MerchantView>| p.items.iter().map(|m| m.id).collect::<Vec<_>>();
    let (p1, p2) = (ids(&first), ids(&second));
    assert_eq!(p1.len(), 25);
    assert!(p2.iter().all(|id| !p1.contains(id)));
    let all = c.merchants("limit=100").await.into_body();
    assert!(all.next_cursor.is_none());
    assert_eq!(all.items.len(), 60);
    // Each offer says what a typical bill saves.
    assert_eq!(all.items[0].offers[0].typical_saving_fen, 500);
    assert_eq!(all.items[0].offers[0].summary, "95折");
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
    let bad = li.complain(&complaint(merchant, "grumpy", "")).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let c = li
        .complain(&complaint(merchant, "refused", "收银员说不能用会员卡"))
        .await
        .expect(StatusCode::CREATED);
    let id = c.id;
    // The supermarket is in 江汉区: the 武昌区 officer never sees it.
    let wuchang = app.signed_in("13700000002").await;
    let queue = |who: &'static str| format!("/api/{who}/complaints");
    assert!(wuchang
        .get_as::<Page<ComplaintView>>(&queue("staff"))
        .await
        .into_body()
        .items
        .is_empty());
    let out = wuchang
        .decide_complaint(id, &decision("approve", "已处理"))
        .await;
    assert_eq!(out.status, StatusCode::NOT_FOUND);
    let city = app.signed_in("13700000001").await;
    let q = city
        .get_as::<Page<ComplaintView>>(&queue("staff"))
        .await
        .into_body();
    assert_eq!(q.items[0].id, id);
    assert_eq!(q.items[0].merchant_open_complaints, 1);
    let no_note = city.decide_complaint(id, &approve()).await;
    assert_eq!(no_note.status, StatusCode::UNPROCESSABLE_ENTITY);
    let done = city
        .decide_complaint(id, &decision("approve", "已约谈商户并督促整改"))
        .await;
    assert_eq!(done.body().status, "resolved");
    let again = city.decide_complaint(id, &decision("approve", "x")).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    let mine = li
        .get_as::<Page<ComplaintView>>(&queue("me"))
        .await
        .into_body();
    assert_eq!(mine.items[0].status, "resolved");
    assert!(mine.items[0]
        .note
        .as_deref()
        .expect("the officer's note")
        .contains("整改"));
    // And she is told, in her inbox, with the outcome.
    let inbox = li
        .get_as::<unioncard_api::inbox::Inbox>("/api/me/messages")
        .await
        .into_body();
    assert_eq!(inbox.unread, 1);
    assert_eq!(inbox.items[0].title, "投诉已处理");
    assert!(
        inbox.items[0].body.contains("已约谈商户并督促整改"),
        "{:?}",
        inbox.items[0]
    );
    assert_eq!(inbox.items[0].link, format!("/merchants/{merchant}"));
}
both_databases!(a_complaint_reaches_the_right_officers);

async fn a_complaint_photo_is_checked_and_shown_only_to_those_who_may_see_it(app: &TestApp) {
    let (merchant, _) = supermarket(app).await;
    let li = app.signed_in("13800000002").await;
    let c = li
        .complain(&complaint(merchant, "wrong_discount", ""))
        .await;
    let id = c.body().id;
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
    assert!(ok.parse::<ComplaintView>().has_photo);
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
