//! Registration, sign-in, throttling, sign-out and the profile.

use reqwest::{Method, StatusCode};
use sqlx::Row;
use unioncard_api::auth::{CurrentSession, RegisterRequest, Role};
use unioncard_api::card::CardStatus;

use crate::both_databases;
use crate::support::TestApp;

fn registration(phone: &str, password: &str, name: &str, id_number: &str) -> RegisterRequest {
    RegisterRequest {
        phone: phone.into(),
        password: password.into(),
        name: name.into(),
        id_number: id_number.into(),
    }
}

fn wang_fang(phone: &str) -> RegisterRequest {
    registration(phone, "Fang2026ok", "王芳", "420103199501010009")
}

async fn roster_member_registers_and_lands_signed_in(app: &TestApp) {
    let c = app.client();
    let a = c.register(&wang_fang("13912345678")).await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.answer.body);
    let me = a.body();
    assert_eq!(me.name, "王芳");
    assert_eq!(me.id_number_masked.as_deref(), Some("4201**********0009"));
    assert_eq!(me.phone_masked, "139****5678");
    let card = me.card.as_ref().expect("her card");
    assert_eq!(card.status, CardStatus::Issued);
    assert_eq!(card.card_no_masked, "6222***********0998");
    assert_eq!(me.roles, vec![Role::Member]);
    let cookie = a.answer.headers["set-cookie"].to_str().unwrap();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    // Beside it, the sign the page reads to draw a guest's screen at once
    // and to ask early for a member's card: readable by script, and nothing
    // in it but "signed in, as a member with a card".
    let set: Vec<&str> = a
        .answer
        .headers
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap())
        .collect();
    let hint = set
        .iter()
        .find(|c| c.starts_with("uc_signed="))
        .expect("the signed-in hint");
    assert!(
        hint.starts_with("uc_signed=m;") && !hint.contains("HttpOnly"),
        "{hint}"
    );
    // Anyone else's hint says only "signed in": the page asks for no card.
    let officer = app
        .client()
        .sign_in("13700000001", crate::fixtures::DEMO_PASSWORD)
        .await;
    let officer_hint = officer
        .answer
        .headers
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|c| c.starts_with("uc_signed="))
        .expect("the officer's hint");
    assert!(officer_hint.starts_with("uc_signed=1;"), "{officer_hint}");
    // The session works at once, and the whole ID number appears nowhere.
    let me = c.me().await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(
        me.body().union.as_ref().expect("her union").level,
        "workplace"
    );
    assert!(!me.answer.body.to_string().contains("420103199501010009"));
    // Signing out ends both.
    let out = c.sign_out().await;
    let cleared: Vec<&str> = out
        .headers
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap())
        .collect();
    for name in ["uc_session=;", "uc_signed=;"] {
        assert!(
            cleared
                .iter()
                .any(|c| c.starts_with(name) && c.contains("Max-Age=0")),
            "{cleared:?}"
        );
    }
    // A page load sets the hint for a session cookie without it (a session
    // from before the hint) and clears a hint without a session, so the
    // page's first script reads the truth; an API answer leaves both alone.
    let page_hint = |cookie: &'static str, path: &'static str| {
        let phone = app.client();
        async move {
            let resp = phone
                .raw(Method::GET, path)
                .header(reqwest::header::COOKIE, cookie)
                .send()
                .await
                .unwrap();
            assert!(resp.status().is_success(), "{path}: {}", resp.status());
            resp.headers()
                .get_all("set-cookie")
                .iter()
                .map(|v| v.to_str().unwrap().to_string())
                .find(|c| c.starts_with("uc_signed="))
        }
    };
    let set = page_hint("uc_session=abc", "/offers")
        .await
        .expect("hint set");
    assert!(set.starts_with("uc_signed=1;"), "{set}");
    let cleared = page_hint("uc_signed=1", "/").await.expect("hint cleared");
    assert!(cleared.contains("Max-Age=0"), "{cleared}");
    assert_eq!(page_hint("uc_session=abc; uc_signed=1", "/").await, None);
    assert_eq!(page_hint("uc_session=abc", "/healthz").await, None);
    // The same member cannot register twice, with any phone.
    let again = app.client().register(&wang_fang("13912345679")).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(again.code(), "already_registered");
}
both_databases!(roster_member_registers_and_lands_signed_in);

async fn a_taken_phone_is_refused_and_nothing_changes(app: &TestApp) {
    let a = app.client().register(&wang_fang("13800000001")).await;
    assert_eq!(a.status, StatusCode::CONFLICT);
    assert_eq!(a.code(), "phone_taken");
    assert!(a.field("phone").is_some());
    // 王芳 is still free to register with her own phone.
    let ok = app.client().register(&wang_fang("13912345678")).await;
    assert_eq!(ok.status, StatusCode::CREATED);
}
both_databases!(a_taken_phone_is_refused_and_nothing_changes);

async fn people_not_in_the_roster_cannot_register(app: &TestApp) {
    // A valid ID number nobody reported.
    let stranger = registration("13912340000", "Stranger1", "赵六", "11010519491231002X");
    let a = app.client().register(&stranger).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(a.code(), "not_in_roster");
    // The right ID number with the wrong name is no match either.
    let wrong_name = registration("13912340000", "Stranger1", "王方", "420103199501010009");
    let a = app.client().register(&wrong_name).await;
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
    let body = registration("1380000", "short", "王芳", "420103199501010008");
    let a = app.client().register(&body).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(a.code(), "validation_failed");
    let fields = a.answer.error().fields;
    assert_eq!(fields["phone"], "手机号应为 1 开头的 11 位数字");
    assert_eq!(fields["id_number"], "身份证号校验位不对，请核对每一位");
    assert!(fields.contains_key("password"));
    assert!(!fields.contains_key("name"));
    // English when the app asks for English.
    let a = app
        .client()
        .raw(Method::POST, "/api/auth/register")
        .header("X-Requested-With", "unioncard")
        .header("Accept-Language", "en")
        .json(&registration(
            "1380000",
            "Fang2026ok",
            "王芳",
            "420103199501010009",
        ))
        .send()
        .await
        .unwrap();
    let a = crate::support::Client::answer(a).await;
    assert_eq!(
        a.field("phone").as_deref(),
        Some("A mobile number has 11 digits starting with 1")
    );
}
both_databases!(bad_fields_are_explained_one_by_one);

async fn sign_in_sign_out_and_profile(app: &TestApp) {
    let c = app.client();
    assert_eq!(c.me().await.status, StatusCode::UNAUTHORIZED);
    let a = c.sign_in("13800000001", "Demo@2026").await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.answer.body);
    let me = a.body();
    assert_eq!(me.name, "张伟");
    assert_eq!(me.phone_masked, "138****0001");
    assert_eq!(me.id_number_masked.as_deref(), Some("4201**********1236"));
    assert_eq!(
        me.card.as_ref().expect("his card").status,
        CardStatus::Issued
    );
    let me = c.me().await.into_body();
    assert_eq!(me.union.expect("his union").code, "WH-JA-001");
    let out = c.sign_out().await;
    assert_eq!(out.status, StatusCode::NO_CONTENT);
    assert_eq!(c.me().await.status, StatusCode::UNAUTHORIZED);
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
    c.sign_out().await;
    let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions")
        .fetch_one(app.state.db.read())
        .await
        .unwrap();
    assert_eq!(left, 0);
}
both_databases!(a_signed_out_session_is_dead_even_if_the_cookie_was_copied);

async fn wrong_password_and_unknown_phone_get_the_same_answer(app: &TestApp) {
    let c = app.client();
    let wrong = c.sign_in("13800000001", "Wrong@2026").await;
    let unknown = c.sign_in("13811112222", "Wrong@2026").await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong.status, unknown.status);
    assert_eq!(wrong.answer.body, unknown.answer.body);
    assert_eq!(wrong.code(), "wrong_credentials");
}
both_databases!(wrong_password_and_unknown_phone_get_the_same_answer);

async fn repeated_failures_are_throttled_with_retry_after(app: &TestApp) {
    let c = app.client();
    for _ in 0..5 {
        let a = c.sign_in("13800000002", "Guess@0000").await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    }
    // Now even the right password waits.
    let a = c.sign_in("13800000002", "Demo@2026").await;
    assert_eq!(a.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(a.code(), "too_many_attempts");
    let retry: u64 = a.answer.headers["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=900).contains(&retry), "{retry}");
    // Another member's phone is not affected.
    let other = app.client().sign_in("13800000001", "Demo@2026").await;
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
    let me = |phone: &'static str| async move {
        app.signed_in(phone).await.me().await.expect(StatusCode::OK)
    };
    let cashier = me("13900000001").await;
    assert_eq!(cashier.roles, vec![Role::Cashier]);
    assert!(cashier.merchant_id.is_some());
    assert!(cashier.card.is_none());
    let city = me("13700000001").await;
    assert_eq!(city.roles, vec![Role::Officer]);
    let city_union = city.union.as_ref().expect("the officer's union");
    assert_eq!(city_union.level, "city");
    assert_eq!(city.union_id, Some(city_union.id));
    let district = me("13700000002").await;
    assert_eq!(
        district.union.expect("the officer's union").name,
        "武汉市武昌区总工会"
    );
    let admin = me("13600000001").await;
    assert_eq!(admin.roles, vec![Role::Admin]);
    let li = me("13800000002").await;
    assert_eq!(li.card.expect("her card").status, CardStatus::Active);
}
both_databases!(each_role_sees_its_own_profile);

async fn simultaneous_registrations_create_one_account(app: &TestApp) {
    let mut tasks = Vec::new();
    for i in 0..8 {
        let c = app.client();
        tasks.push(tokio::spawn(async move {
            c.register(&wang_fang(&format!("1391234560{i}")))
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

async fn the_app_asks_who_is_signed_in_without_an_error_for_guests(app: &TestApp) {
    // A guest: 200 and nobody, where /api/me answers 401.
    let guest = app.client();
    assert_eq!(
        guest
            .get_as::<CurrentSession>("/api/session")
            .await
            .expect(StatusCode::OK)
            .me,
        None
    );
    assert_eq!(guest.me().await.status, StatusCode::UNAUTHORIZED);
    // A made-up cookie is a guest too, not an error.
    let forged = app
        .client()
        .raw(Method::GET, "/api/session")
        .header("Cookie", "uc_session=not-a-session")
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::OK);
    assert_eq!(forged.json::<CurrentSession>().await.unwrap().me, None);
    // Signed in: the same profile as /api/me; signed out: nobody again.
    let c = app.client();
    c.sign_in("13800000002", "Demo@2026").await;
    let me = c
        .get_as::<CurrentSession>("/api/session")
        .await
        .expect(StatusCode::OK)
        .me
        .expect("signed in");
    assert_eq!(me, c.me().await.into_body());
    assert_eq!(me.name, "李娜");
    c.sign_out().await;
    assert_eq!(
        c.get_as::<CurrentSession>("/api/session")
            .await
            .expect(StatusCode::OK)
            .me,
        None
    );
}
both_databases!(the_app_asks_who_is_signed_in_without_an_error_for_guests);
