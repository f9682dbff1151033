//! Two servers on one PostgreSQL, as two instances behind a load balancer:
//! nothing a request relies on may live in one process. A phone signs in on
//! one and is served by the other; guesses at a password count across both;
//! an e-card code made from one's secret is checked by the other; a retry
//! with the same Idempotency-Key acts once whichever instance it reaches.
//! PostgreSQL only (`TEST_POSTGRES_URL`): that is where instances multiply.

use reqwest::{Method, StatusCode};
use unioncard_api::ecard::{self, EcardCode};
use unioncard_api::offers::RedemptionCode;

use crate::support::{spawn_postgres, Client};

fn now_step() -> u64 {
    ecard::step_at(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_on_one_postgres_serve_as_one() {
    let Some(a) = spawn_postgres().await else {
        return;
    };
    let b = a.beside().await;

    // Signed in on A, served by B: her session is in the database.
    let li_a = a.signed_in("13800000002").await;
    let li_b = li_a.at(&b);
    let me = li_b.me().await;
    assert_eq!(me.status, StatusCode::OK, "{}", me.answer.body);
    assert_eq!(me.body().name, "李娜");

    // A discount code asked for on B with a key, the retry reaching A: one
    // code, the same answer.
    let found = a
        .client()
        .merchants("q=%E6%A5%9A%E5%A4%A9%E4%BC%98%E9%80%89%E8%B6%85%E5%B8%82")
        .await
        .into_body();
    let offer = found.items[0].offers[0].id;
    let tap = |c: &Client| {
        c.raw(Method::POST, &format!("/api/offers/{offer}/redemptions"))
            .header("X-Requested-With", "unioncard")
            .header("Idempotency-Key", "till-tap-1")
            .send()
    };
    let first = Client::answer(tap(&li_b).await.unwrap()).await;
    let retry = Client::answer(tap(&li_a).await.unwrap()).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
    assert_eq!(
        (retry.status, &retry.body),
        (StatusCode::CREATED, &first.body)
    );
    let code = first.parse::<RedemptionCode>().code;
    let issued: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM redemptions WHERE user_id IS NOT NULL")
            .fetch_one(a.state.db.read())
            .await
            .unwrap();
    assert_eq!(issued, 1);
    // Confirmed at a till on A, a second confirmation on B is refused.
    let cashier = a.signed_in("13900000001").await;
    assert_eq!(cashier.confirm(&code, 10_000).await.status, StatusCode::OK);
    assert_eq!(
        cashier.at(&b).confirm(&code, 10_000).await.status,
        StatusCode::CONFLICT
    );

    // The e-card: the phone's secret comes from B, the cashier checks on A.
    let d = li_b.provision_device().await.expect(StatusCode::CREATED);
    let secret = ecard::from_hex(&d.secret_hex).unwrap();
    let code = EcardCode::generate(&secret, d.device_id, now_step()).digits();
    let other_till = a.signed_in("13900000002").await;
    let c = other_till.check_card(&code).await;
    assert_eq!(c.status, StatusCode::OK, "{}", c.answer.body);
    // Signing out on A revokes the secret for B's checks too.
    assert_eq!(li_a.sign_out().await.status, StatusCode::NO_CONTENT);
    let c = other_till.at(&b).check_card(&code).await;
    assert_eq!(
        (c.status, c.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "invalid_code")
    );

    // Guesses at one phone's password, alternating instances, are counted
    // together: the limit holds for the pair as for one.
    let mut refused = 0;
    for i in 0..12 {
        let server = if i % 2 == 0 { &a } else { &b };
        let r = server.client().sign_in("13800000001", "Wrong@2026").await;
        if r.status == StatusCode::TOO_MANY_REQUESTS {
            refused += 1;
        } else {
            assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        }
    }
    assert_eq!(
        12 - refused,
        unioncard_server::throttle::SIGN_IN_PER_PHONE.free,
        "one phone's guesses checked across both instances"
    );
}
