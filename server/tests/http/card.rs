//! The member card: activation, the e-card code, the cashier's check, lost and frozen cards.

use reqwest::StatusCode;
use serde_json::json;
use sqlx::Row;
use unioncard_api::ecard::{self, EcardCode};

use crate::both_databases;
use crate::support::TestApp;

const ZHANG_CARD: &str = "6222020200000000014";
const ZHANG_ID: &str = "420102198803151236";
const LI_CARD: &str = "6222020200000000022";

fn now_step() -> u64 {
    ecard::step_at(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs(),
    )
}

async fn zhang_wei_activates_his_own_card_once(app: &TestApp) {
    let zhang = app.signed_in("13800000001").await;
    let before = zhang.get("/api/card").await;
    assert_eq!(before.body["status"], "issued");
    assert!(before.body["token"].is_null(), "no code before activation");
    // A mistyped number is caught by its check digit.
    let a = zhang
        .post(
            "/api/card/activate",
            json!({"card_no": "6222020200000000015", "id_number": ZHANG_ID}),
        )
        .await;
    assert_eq!(
        (a.status, a.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed")
    );
    assert!(a.body["error"]["fields"]["card_no"].is_string());
    // Someone else's card.
    let a = zhang
        .post(
            "/api/card/activate",
            json!({"card_no": LI_CARD, "id_number": ZHANG_ID}),
        )
        .await;
    assert_eq!(
        (a.status, a.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "card_mismatch")
    );
    // His card with someone else's ID number.
    let a = zhang
        .post(
            "/api/card/activate",
            json!({"card_no": ZHANG_CARD, "id_number": "420106199207082342"}),
        )
        .await;
    assert_eq!(
        (a.status, a.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "id_mismatch")
    );
    assert_eq!(
        zhang.get("/api/card").await.body["status"],
        "issued",
        "nothing changed"
    );
    // Right.
    let a = zhang
        .post(
            "/api/card/activate",
            json!({"card_no": "6222 0202 0000 0000 014", "id_number": ZHANG_ID}),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert_eq!(a.body["status"], "active");
    assert_eq!(a.body["token"].as_str().unwrap().len(), 20);
    assert!(a.body["activated_at"].as_str().unwrap().ends_with("+08:00"));
    let again = zhang
        .post(
            "/api/card/activate",
            json!({"card_no": ZHANG_CARD, "id_number": ZHANG_ID}),
        )
        .await;
    assert_eq!(
        (again.status, again.code()),
        (StatusCode::CONFLICT, "already_active")
    );
    let audited: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'card.activate'")
            .fetch_one(app.state.db.read())
            .await
            .unwrap();
    assert_eq!(audited, 1);
    // Activation is for members; a cashier has no card.
    let cashier = app.signed_in("13900000001").await;
    let a = cashier
        .post(
            "/api/card/activate",
            json!({"card_no": ZHANG_CARD, "id_number": ZHANG_ID}),
        )
        .await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
}
both_databases!(zhang_wei_activates_his_own_card_once);

async fn two_simultaneous_activations_one_wins(app: &TestApp) {
    let first = app.signed_in("13800000001").await;
    let second = app.signed_in("13800000001").await;
    let body = json!({"card_no": ZHANG_CARD, "id_number": ZHANG_ID});
    let (a, b) = tokio::join!(
        first.post("/api/card/activate", body.clone()),
        second.post("/api/card/activate", body)
    );
    let mut statuses = [a.status, b.status];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::OK, StatusCode::CONFLICT]);
}
both_databases!(two_simultaneous_activations_one_wins);

async fn a_cashier_checks_a_live_code(app: &TestApp) {
    let li = app.signed_in("13800000002").await;
    let card = li.get("/api/card").await;
    assert_eq!(card.body["status"], "active");
    assert_eq!(card.body["holder_masked"], "*娜");
    let token = card.body["token"].as_str().unwrap().to_string();
    let cashier = app.signed_in("13900000001").await;
    let c = cashier
        .post("/api/merchant/card-checks", json!({"token": token}))
        .await;
    assert_eq!(c.status, StatusCode::OK, "{}", c.body);
    assert_eq!(c.body["holder_masked"], "*娜");
    assert_eq!(c.body["card_status"], "active");
    assert_eq!(c.body["card_no_masked"], "6222***********0022");
    assert!(c.body["union_name"].as_str().unwrap().ends_with("工会"));
    assert!(
        !c.body.to_string().contains("李娜"),
        "the cashier sees a masked name only"
    );
    // A member cannot use the cashier's check.
    let m = li
        .post("/api/merchant/card-checks", json!({"token": token}))
        .await;
    assert_eq!(m.status, StatusCode::FORBIDDEN);
    // Mistyped and malformed codes.
    let mut typo = token.clone().into_bytes();
    typo[19] = if typo[19] == b'9' { b'0' } else { typo[19] + 1 };
    let t = cashier
        .post(
            "/api/merchant/card-checks",
            json!({"token": String::from_utf8(typo).unwrap()}),
        )
        .await;
    assert_eq!(
        (t.status, t.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "invalid_code")
    );
    let t = cashier
        .post("/api/merchant/card-checks", json!({"token": "12345"}))
        .await;
    assert_eq!(
        (t.status, t.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed")
    );
    // A code from a few minutes ago (a screenshot) has expired.
    let row = sqlx::query("SELECT id, secret_enc FROM card_devices WHERE kind = 'online'")
        .fetch_one(app.state.db.read())
        .await
        .unwrap();
    let secret = ecard::from_hex(
        &app.state
            .crypto
            .decrypt(&row.try_get::<String, _>("secret_enc").unwrap())
            .unwrap(),
    )
    .unwrap();
    let device: i64 = row.try_get("id").unwrap();
    let old = EcardCode::generate(&secret, device as u64, now_step() - 6).digits();
    let e = cashier
        .post("/api/merchant/card-checks", json!({"token": old}))
        .await;
    assert_eq!((e.status, e.code()), (StatusCode::GONE, "code_expired"));
    let checks: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM card_checks")
        .fetch_one(app.state.db.read())
        .await
        .unwrap();
    assert_eq!(
        checks, 3,
        "every well-formed code a cashier checked is recorded"
    );
}
both_databases!(a_cashier_checks_a_live_code);

async fn a_phone_makes_codes_offline_until_it_signs_out(app: &TestApp) {
    let li = app.signed_in("13800000002").await;
    let d = li.post("/api/card/devices", json!({})).await;
    assert_eq!(d.status, StatusCode::CREATED, "{}", d.body);
    let secret = ecard::from_hex(d.body["secret_hex"].as_str().unwrap()).unwrap();
    let device = d.body["device_id"].as_u64().unwrap();
    assert_eq!(d.body["card"]["status"], "active");
    // The phone computes the code itself, with no request.
    let code = EcardCode::generate(&secret, device, now_step()).digits();
    let cashier = app.signed_in("13900000002").await;
    let c = cashier
        .post("/api/merchant/card-checks", json!({"token": code}))
        .await;
    assert_eq!(c.status, StatusCode::OK, "{}", c.body);
    // Signing out revokes this phone's secret.
    assert_eq!(
        li.post("/api/auth/logout", json!({})).await.status,
        StatusCode::NO_CONTENT
    );
    let c = cashier
        .post("/api/merchant/card-checks", json!({"token": code}))
        .await;
    assert_eq!(
        (c.status, c.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "invalid_code")
    );
    // An issued card gets no secret.
    let zhang = app.signed_in("13800000001").await;
    let d = zhang.post("/api/card/devices", json!({})).await;
    assert_eq!(
        (d.status, d.code()),
        (StatusCode::CONFLICT, "card_not_active")
    );
}
both_databases!(a_phone_makes_codes_offline_until_it_signs_out);

async fn a_card_reported_lost_stops_verifying_at_once(app: &TestApp) {
    let li = app.signed_in("13800000002").await;
    let token = li.get("/api/card").await.body["token"]
        .as_str()
        .unwrap()
        .to_string();
    let d = li.post("/api/card/devices", json!({})).await;
    let phone_code = EcardCode::generate(
        &ecard::from_hex(d.body["secret_hex"].as_str().unwrap()).unwrap(),
        d.body["device_id"].as_u64().unwrap(),
        now_step(),
    )
    .digits();
    let lost = li.post("/api/card/report-lost", json!({})).await;
    assert_eq!(lost.status, StatusCode::OK);
    assert_eq!(lost.body["status"], "lost");
    let cashier = app.signed_in("13900000001").await;
    for code in [token, phone_code] {
        let c = cashier
            .post("/api/merchant/card-checks", json!({"token": code}))
            .await;
        assert_eq!(c.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let card = li.get("/api/card").await;
    assert_eq!(card.body["status"], "lost");
    assert!(card.body["token"].is_null());
    let again = li.post("/api/card/report-lost", json!({})).await;
    assert_eq!(
        (again.status, again.code()),
        (StatusCode::CONFLICT, "already_lost")
    );
    let audited: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'card.report_lost'")
            .fetch_one(app.state.db.read())
            .await
            .unwrap();
    assert_eq!(audited, 1);
}
both_databases!(a_card_reported_lost_stops_verifying_at_once);

async fn officers_freeze_and_unfreeze_cards_in_their_unions_only(app: &TestApp) {
    let wuchang = app.signed_in("13700000002").await;
    // The card number travels in the body, never in the URL.
    let li_card = json!({"card_no": LI_CARD});
    let zhang_card = json!({"card_no": ZHANG_CARD});
    let found = wuchang
        .post("/api/staff/cards/lookup", li_card.clone())
        .await;
    assert_eq!(found.status, StatusCode::OK);
    assert_eq!(found.body["holder"], "李娜");
    assert_eq!(found.body["id_number_masked"], "4201**********2342");
    let f = wuchang
        .post("/api/staff/cards/freeze", li_card.clone())
        .await;
    assert_eq!(
        (f.status, f.body["status"].as_str()),
        (StatusCode::OK, Some("frozen"))
    );
    let li = app.signed_in("13800000002").await;
    let card = li.get("/api/card").await;
    assert_eq!(card.body["status"], "frozen");
    assert!(card.body["token"].is_null());
    let twice = wuchang
        .post("/api/staff/cards/freeze", li_card.clone())
        .await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
    let u = wuchang
        .post("/api/staff/cards/unfreeze", li_card.clone())
        .await;
    assert_eq!(
        (u.status, u.body["status"].as_str()),
        (StatusCode::OK, Some("active"))
    );
    // 张伟's union is not below 武昌区: as if the card did not exist.
    assert_eq!(
        wuchang
            .post("/api/staff/cards/lookup", zhang_card.clone())
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        wuchang
            .post("/api/staff/cards/freeze", zhang_card.clone())
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // The city union sees it; an issued card unfreezes back to issued.
    let city = app.signed_in("13700000001").await;
    assert_eq!(
        city.post("/api/staff/cards/freeze", zhang_card.clone())
            .await
            .status,
        StatusCode::OK
    );
    let back = city
        .post("/api/staff/cards/unfreeze", zhang_card.clone())
        .await;
    assert_eq!(back.body["status"], "issued");
    // Members and cashiers may not.
    assert_eq!(
        li.post("/api/staff/cards/freeze", li_card.clone())
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let audited: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action IN ('card.freeze', 'card.unfreeze')",
    )
    .fetch_one(app.state.db.read())
    .await
    .unwrap();
    assert_eq!(audited, 4);
}
both_databases!(officers_freeze_and_unfreeze_cards_in_their_unions_only);
