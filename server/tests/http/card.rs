//! The member card: activation, the e-card code, the cashier's check, lost and frozen cards.

use reqwest::StatusCode;
use sqlx::Row;
use unioncard_api::card::CardStatus;
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
    let before = zhang.card().await.into_body();
    assert_eq!(before.status, CardStatus::Issued);
    assert!(before.token.is_none(), "no code before activation");
    // A mistyped number is caught by its check digit.
    let a = zhang.activate("6222020200000000015", ZHANG_ID).await;
    assert_eq!(
        (a.status, a.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed")
    );
    assert!(a.field("card_no").is_some());
    // Someone else's card.
    let a = zhang.activate(LI_CARD, ZHANG_ID).await;
    assert_eq!(
        (a.status, a.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "card_mismatch")
    );
    // His card with someone else's ID number.
    let a = zhang.activate(ZHANG_CARD, "420106199207082342").await;
    assert_eq!(
        (a.status, a.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "id_mismatch")
    );
    assert_eq!(
        zhang.card().await.body().status,
        CardStatus::Issued,
        "nothing changed"
    );
    // Right.
    let a = zhang
        .activate("6222 0202 0000 0000 014", ZHANG_ID)
        .await
        .expect(StatusCode::OK);
    assert_eq!(a.status, CardStatus::Active);
    assert_eq!(a.token.expect("a code").len(), 20);
    assert!(a
        .activated_at
        .expect("when it was activated")
        .ends_with("+08:00"));
    let again = zhang.activate(ZHANG_CARD, ZHANG_ID).await;
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
    let a = cashier.activate(ZHANG_CARD, ZHANG_ID).await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
}
both_databases!(zhang_wei_activates_his_own_card_once);

async fn two_simultaneous_activations_one_wins(app: &TestApp) {
    let first = app.signed_in("13800000001").await;
    let second = app.signed_in("13800000001").await;
    let (a, b) = tokio::join!(
        first.activate(ZHANG_CARD, ZHANG_ID),
        second.activate(ZHANG_CARD, ZHANG_ID)
    );
    let mut statuses = [a.status, b.status];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::OK, StatusCode::CONFLICT]);
}
both_databases!(two_simultaneous_activations_one_wins);

async fn a_cashier_checks_a_live_code(app: &TestApp) {
    let li = app.signed_in("13800000002").await;
    let card = li.card().await.into_body();
    assert_eq!(card.status, CardStatus::Active);
    assert_eq!(card.holder_masked, "*娜");
    let token = card.token.expect("a code");
    let cashier = app.signed_in("13900000001").await;
    let c = cashier.check_card(&token).await;
    assert_eq!(c.status, StatusCode::OK, "{}", c.answer.body);
    let checked = c.body();
    assert_eq!(checked.holder_masked, "*娜");
    assert_eq!(checked.card_status, CardStatus::Active);
    assert_eq!(checked.card_no_masked, "6222***********0022");
    assert!(checked.union_name.ends_with("工会"));
    assert!(
        !c.answer.body.to_string().contains("李娜"),
        "the cashier sees a masked name only"
    );
    // A member cannot use the cashier's check.
    let m = li.check_card(&token).await;
    assert_eq!(m.status, StatusCode::FORBIDDEN);
    // Mistyped and malformed codes.
    let mut typo = token.clone().into_bytes();
    typo[19] = if typo[19] == b'9' { b'0' } else { typo[19] + 1 };
    let t = cashier.check_card(&String::from_utf8(typo).unwrap()).await;
    assert_eq!(
        (t.status, t.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "invalid_code")
    );
    let t = cashier.check_card("12345").await;
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
    let e = cashier.check_card(&old).await;
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
    let d = li.provision_device().await.expect(StatusCode::CREATED);
    let secret = ecard::from_hex(&d.secret_hex).unwrap();
    let device = d.device_id;
    assert_eq!(d.card.status, CardStatus::Active);
    // The phone computes the code itself, with no request.
    let code = EcardCode::generate(&secret, device, now_step()).digits();
    let cashier = app.signed_in("13900000002").await;
    let c = cashier.check_card(&code).await;
    assert_eq!(c.status, StatusCode::OK, "{}", c.answer.body);
    // Signing out revokes this phone's secret.
    assert_eq!(li.sign_out().await.status, StatusCode::NO_CONTENT);
    let c = cashier.check_card(&code).await;
    assert_eq!(
        (c.status, c.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "invalid_code")
    );
    // An issued card gets no secret.
    let zhang = app.signed_in("13800000001").await;
    let d = zhang.provision_device().await;
    assert_eq!(
        (d.status, d.code()),
        (StatusCode::CONFLICT, "card_not_active")
    );
}
both_databases!(a_phone_makes_codes_offline_until_it_signs_out);

async fn a_card_reported_lost_stops_verifying_at_once(app: &TestApp) {
    let li = app.signed_in("13800000002").await;
    let token = li.card().await.into_body().token.expect("a code");
    let d = li.provision_device().await.into_body();
    let phone_code = EcardCode::generate(
        &ecard::from_hex(&d.secret_hex).unwrap(),
        d.device_id,
        now_step(),
    )
    .digits();
    let lost = li.report_lost().await;
    assert_eq!(lost.status, StatusCode::OK);
    assert_eq!(lost.body().status, CardStatus::Lost);
    let cashier = app.signed_in("13900000001").await;
    for code in [token, phone_code] {
        let c = cashier.check_card(&code).await;
        assert_eq!(c.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let card = li.card().await.into_body();
    assert_eq!(card.status, CardStatus::Lost);
    assert!(card.token.is_none());
    let again = li.report_lost().await;
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
    let found = wuchang.staff_card("lookup", LI_CARD).await;
    assert_eq!(found.status, StatusCode::OK);
    assert_eq!(found.body().holder, "李娜");
    assert_eq!(found.body().id_number_masked, "4201**********2342");
    let f = wuchang.staff_card("freeze", LI_CARD).await;
    assert_eq!(
        (f.status, f.body().status),
        (StatusCode::OK, CardStatus::Frozen)
    );
    let li = app.signed_in("13800000002").await;
    let card = li.card().await.into_body();
    assert_eq!(card.status, CardStatus::Frozen);
    assert!(card.token.is_none());
    let twice = wuchang.staff_card("freeze", LI_CARD).await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
    let u = wuchang.staff_card("unfreeze", LI_CARD).await;
    assert_eq!(
        (u.status, u.body().status),
        (StatusCode::OK, CardStatus::Active)
    );
    // 张伟's union is not below 武昌区: as if the card did not exist.
    assert_eq!(
        wuchang.staff_card("lookup", ZHANG_CARD).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        wuchang.staff_card("freeze", ZHANG_CARD).await.status,
        StatusCode::NOT_FOUND
    );
    // The city union sees it; an issued card unfreezes back to issued.
    let city = app.signed_in("13700000001").await;
    assert_eq!(
        city.staff_card("freeze", ZHANG_CARD).await.status,
        StatusCode::OK
    );
    let back = city.staff_card("unfreeze", ZHANG_CARD).await;
    assert_eq!(back.body().status, CardStatus::Issued);
    // Members and cashiers may not.
    assert_eq!(
        li.staff_card("freeze", LI_CARD).await.status,
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
