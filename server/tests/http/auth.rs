//! Registration, sign-in, throttling, sign-out and the profile.

use reqwest::{Method, StatusCode};
use serde_json::json;
use sqlx::Row;

use crate::both_databases;
use crate::support::TestApp;

fn wang_fang(phone: &str) -> serde_json::Value {
    json!({"phone": phone, "password": "Fang2026ok", "name": "王芳", "id_number": "420103199501010009"})
}

async fn roster_member_registers_and_lands_signed_in(app: &TestApp) {
    let c = app.client();
    let a = c.post("/api/auth/register", wang_fang("13912345678")).await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
    assert_eq!(a.body["name"], "王芳");
    assert_eq!(a.body["id_number_masked"], "4201**********0009");
    assert_eq!(a.body["phone_masked"], "139****5678");
    assert_eq!(a.body["card"]["status"], "issued");
    assert_eq!(a.body["card"]["card_no_masked"], "6222***********0998");
    assert_eq!(a.body["roles"], json!(["member"]));
    let cookie = a.headers["set-cookie"].to_str().unwrap();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    // The session works at once, and the whole ID number appears nowhere.
    let me = c.get("/api/me").await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(me.body["union"]["level"], "workplace");
    assert!(!me.body.to_string().contains("420103199501010009"));
    // The same member cannot register twice, with any phone.
    let again = app
        .client()
        .post("/api/auth/register", wang_fang("13912345679"))
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(again.code(), "already_registered");
}
both_databases!(roster_member_registers_and_lands_signed_in);

async fn a_taken_phone_is_refused_and_nothing_changes(app: &TestApp) {
    let a = app
        .client()
        .post("/api/auth/register", wang_fang("13800000001"))
        .await;
    assert_eq!(a.status, StatusCode::CONFLICT);
    assert_eq!(a.code(), "phone_taken");
    assert!(a.body["error"]["fields"]["phone"].is_string());
    // 王芳 is still free to register with her own phone.
    let ok = app
        .client()
        .post("/api/auth/register", wang_fang("13912345678"))
        .await;
    assert_eq!(ok.status, StatusCode::CREATED);
}
both_databases!(a_taken_phone_is_refused_and_nothing_changes);

async fn people_not_in_the_roster_cannot_register(app: &TestApp) {
    // A valid ID number nobody reported.
    let stranger = json!({"phone": "13912340000", "password": "Stranger1", "name": "赵六", "id_number": "11010519491231002X"});
    let a = app.client().post("/api/auth/register", stranger).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(a.code(), "not_in_roster");
    // The right ID number with the wrong name is no match either.
    let wrong_name = json!({"phone": "13912340000", "password": "Stranger1", "name": "王方", "id_number": "420103199501010009"});
    let a = app.client().post("/api/auth/register", wrong_name).await;
    assert_eq!(a.code(), "not_in_roster");
    let users: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE name IN ('赵六', '王方')")
            .fetch_one(app.state.db.read())
            .await
            .unwrap();
    assert_eq!(users, 0, "no account was created");
}
both_databases!(people_not_in_the_roster_cannot_register);

async fn bad_fields_are_explained_one_by_one(app: &TestApp) {
    let body = json!({"phone": "1380000", "password": "short", "name": "王芳", "id_number": "420103199501010008"});
    let a = app.client().post("/api/auth/register", body).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(a.code(), "validation_failed");
    let fields = &a.body["error"]["fields"];
    assert_eq!(fields["phone"], "手机号应为 1 开头的 11 位数字");
    assert_eq!(fields["id_number"], "身份证号校验位不对，请核对每一位");
    assert!(fields["password"].is_string());
    assert!(fields.get("name").is_none());
    // English when the app asks for English.
    let a = app
        .client()
        .raw(Method::POST, "/api/auth/register")
        .header("X-Requested-With", "unioncard")
        .header("Accept-Language", "en")
        .json(&json!({"phone": "1380000", "password": "Fang2026ok", "name": "王芳", "id_number": "420103199501010009"}))
        .send()
        .await
        .unwrap();
    let a = crate::support::Client::answer(a).await;
    assert_eq!(
        a.body["error"]["fields"]["phone"],
        "A mobile number has 11 digits starting with 1"
    );
}
both_databases!(bad_fields_are_explained_one_by_one);

async fn sign_in_sign_out_and_profile(app: &TestApp) {
    let c = app.client();
    assert_eq!(c.get("/api/me").await.status, StatusCode::UNAUTHORIZED);
    let a = c
        .post(
            "/api/auth/login",
            json!({"phone": "13800000001", "password": "Demo@2026"}),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert_eq!(a.body["name"], "张伟");
    assert_eq!(a.body["phone_masked"], "138****0001");
    assert_eq!(a.body["id_number_masked"], "4201**********1236");
    assert_eq!(a.body["card"]["status"], "issued");
    let me = c.get("/api/me").await;
    assert_eq!(me.body["union"]["code"], "WH-JA-001");
    let out = c.post("/api/auth/logout", json!({})).await;
    assert_eq!(out.status, StatusCode::NO_CONTENT);
    assert_eq!(c.get("/api/me").await.status, StatusCode::UNAUTHORIZED);
}
both_databases!(sign_in_sign_out_and_profile);

async fn a_signed_out_session_is_dead_even_if_the_cookie_was_copied(app: &TestApp) {
    let c = app.signed_in("13800000002").await;
    // Copy the session cookie the way a thief would, from the database's point of view.
    let sessions: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions")
        .fetch_one(app.state.db.read())
        .await
        .unwrap();
    assert_eq!(sessions, 1);
    let stored: String = sqlx::query_scalar("SELECT token_hash FROM sessions")
        .fetch_one(app.state.db.read())
        .await
        .unwrap();
    // Only a hash is stored: presenting it as a cookie does not sign in.
    let forged = app
        .client()
        .raw(Method::GET, "/api/me")
        .header("Cookie", format!("uc_session={stored}"))
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::UNAUTHORIZED);
    c.post("/api/auth/logout", json!({})).await;
    let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions")
        .fetch_one(app.state.db.read())
        .await
        .unwrap();
    assert_eq!(left, 0);
}
both_databases!(a_signed_out_session_is_dead_even_if_the_cookie_was_copied);

async fn wrong_password_and_unknown_phone_get_the_same_answer(app: &TestApp) {
    let c = app.client();
    let wrong = c
        .post(
            "/api/auth/login",
            json!({"phone": "13800000001", "password": "Wrong@2026"}),
        )
        .await;
    let unknown = c
        .post(
            "/api/auth/login",
            json!({"phone": "13811112222", "password": "Wrong@2026"}),
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong.status, unknown.status);
    assert_eq!(wrong.body, unknown.body);
    assert_eq!(wrong.code(), "wrong_credentials");
}
both_databases!(wrong_password_and_unknown_phone_get_the_same_answer);

async fn repeated_failures_are_throttled_with_retry_after(app: &TestApp) {
    let c = app.client();
    for _ in 0..5 {
        let a = c
            .post(
                "/api/auth/login",
                json!({"phone": "13800000002", "password": "Guess@0000"}),
            )
            .await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    }
    // Now even the right password waits.
    let a = c
        .post(
            "/api/auth/login",
            json!({"phone": "13800000002", "password": "Demo@2026"}),
        )
        .await;
    assert_eq!(a.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(a.code(), "too_many_attempts");
    let retry: u64 = a.headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=900).contains(&retry), "{retry}");
    // Another member's phone is not affected.
    let other = app
        .client()
        .post(
            "/api/auth/login",
            json!({"phone": "13800000001", "password": "Demo@2026"}),
        )
        .await;
    assert_eq!(other.status, StatusCode::OK);
    // The counter lives in the database, where every instance sees it.
    let n: i64 =
        sqlx::query_scalar("SELECT MAX(hits) FROM throttle WHERE key LIKE 'login:phone:%'")
            .fetch_one(app.state.db.read())
            .await
            .unwrap();
    assert_eq!(n, 5);
}
both_databases!(repeated_failures_are_throttled_with_retry_after);

async fn each_role_sees_its_own_profile(app: &TestApp) {
    let cashier = app.signed_in("13900000001").await.get("/api/me").await;
    assert_eq!(cashier.body["roles"], json!(["cashier"]));
    assert!(cashier.body["merchant_id"].as_i64().is_some());
    assert!(cashier.body["card"].is_null());
    let city = app.signed_in("13700000001").await.get("/api/me").await;
    assert_eq!(city.body["roles"], json!(["officer"]));
    assert_eq!(city.body["union"]["level"], "city");
    assert_eq!(city.body["union_id"], city.body["union"]["id"]);
    let district = app.signed_in("13700000002").await.get("/api/me").await;
    assert_eq!(district.body["union"]["name"], "武汉市武昌区总工会");
    let admin = app.signed_in("13600000001").await.get("/api/me").await;
    assert_eq!(admin.body["roles"], json!(["admin"]));
    let li = app.signed_in("13800000002").await.get("/api/me").await;
    assert_eq!(li.body["card"]["status"], "active");
}
both_databases!(each_role_sees_its_own_profile);

async fn simultaneous_registrations_create_one_account(app: &TestApp) {
    let mut tasks = Vec::new();
    for i in 0..8 {
        let c = app.client();
        tasks.push(tokio::spawn(async move {
            c.post("/api/auth/register", wang_fang(&format!("1391234560{i}")))
                .await
                .status
        }));
    }
    let mut created = 0;
    for t in tasks {
        match t.await.unwrap() {
            StatusCode::CREATED => created += 1,
            StatusCode::CONFLICT => {}
            other => panic!("unexpected {other}"),
        }
    }
    assert_eq!(created, 1);
    let accounts: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM users u JOIN roster_entries r ON r.id = u.roster_id WHERE r.name = '王芳'",
    )
    .fetch_one(app.state.db.read())
    .await
    .unwrap();
    assert_eq!(accounts, 1);
}
both_databases!(simultaneous_registrations_create_one_account);

async fn id_numbers_and_phones_are_encrypted_at_rest(app: &TestApp) {
    let row = sqlx::query(
        "SELECT id_enc, id_hash, id_masked, phone_enc FROM roster_entries WHERE name = '李娜'",
    )
    .fetch_one(app.state.db.read())
    .await
    .unwrap();
    let enc: String = row.try_get("id_enc").unwrap();
    let masked: String = row.try_get("id_masked").unwrap();
    assert!(!enc.contains("420106199207082342"));
    assert_eq!(masked, "4201**********2342");
    assert_eq!(
        app.state.crypto.decrypt(&enc).unwrap(),
        "420106199207082342"
    );
    let phone: String = row.try_get("phone_enc").unwrap();
    assert_eq!(app.state.crypto.decrypt(&phone).unwrap(), "13800000002");
    let users_plain: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE phone_enc LIKE '138%'")
            .fetch_one(app.state.db.read())
            .await
            .unwrap();
    assert_eq!(users_plain, 0);
}
both_databases!(id_numbers_and_phones_are_encrypted_at_rest);
