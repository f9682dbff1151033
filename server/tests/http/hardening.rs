//! Hardening (issue 12): applications change only while they may change,
//! races that only PostgreSQL shows, personal data sealed and masked, who
//! may decide what, bounded money, and nothing cheap that floods or guesses.
//! Each test here failed before its fix.

use reqwest::{Method, StatusCode};
use serde::Serialize;
use unioncard_api::aid::{ClaimInput, ClaimStatus, ClaimView, DocumentView};
use unioncard_api::auth::{AccountSummary, RegisterRequest, UnionInput};
use unioncard_api::join::{JoinApplication, Page};
use unioncard_api::loans::{LoanStatus, LoanView, Partner};
use unioncard_api::offers::ComplaintRequest;
use unioncard_api::training::CourseView;

use crate::both_databases;
use crate::fixtures::{
    approve, as_draft, corner_shop, day, decision, hospital_stay, li_na_cover, major_disease_plan,
    noodle_shop, offer_code, officer_at, once_a_day_offer, province, workplace, zhao_min,
};
use crate::support::{Answer, Client, TestApp};

/// The demo supermarket, found by its name (楚天优选).
const SUPERMARKET: &str = "q=%E6%A5%9A%E5%A4%A9%E4%BC%98%E9%80%89";

fn partner(name: &str, id_number: &str) -> Partner {
    Partner {
        name: name.into(),
        id_number: id_number.into(),
    }
}

async fn a_loan_draft_never_holds_what_an_application_could_not(app: &TestApp) {
    let zhang = app.signed_in("13800000001").await;
    let d = zhang
        .apply_for_loan(&as_draft(noodle_shop(50_000)))
        .await
        .expect(StatusCode::CREATED);
    let id = d.id;
    // Out of every bound, as a draft (first save and later saves).
    let mut huge = as_draft(noodle_shop(0));
    huge.facts.amount_fen = 9_000_000_000_000_000_000;
    let first = zhang.apply_for_loan(&huge).await;
    assert_eq!(
        first.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        first.answer.body
    );
    let edit = zhang.save_loan(id, &huge).await;
    assert_eq!(
        edit.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        edit.answer.body
    );
    assert!(edit.field("amount_fen").is_some());
    // Megabytes of text in a draft: refused at the body limit or by length.
    let mut long = as_draft(noodle_shop(50_000));
    long.purpose = "很".repeat(400_000);
    let big = zhang.save_loan(id, &long).await;
    assert!(
        big.status == StatusCode::PAYLOAD_TOO_LARGE
            || big.status == StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        big.status
    );
    let now = zhang.loan(id).await.into_body();
    assert_eq!(now.input.facts.amount_fen, 5_000_000);
    assert_eq!(now.input.purpose, "添置炉灶和冷柜");
}
both_databases!(a_loan_draft_never_holds_what_an_application_could_not);

async fn edits_racing_a_submit_never_leave_a_sent_loan_over_its_cap(app: &TestApp) {
    let zhang = app.signed_in("13800000001").await;
    let city = app.signed_in("13700000001").await;
    let mut draft: Option<i64> = None;
    let over_cap = as_draft(noodle_shop(400_000));
    for round in 0..6 {
        let id = match draft {
            Some(id) => id,
            None => {
                zhang
                    .apply_for_loan(&as_draft(noodle_shop(50_000)))
                    .await
                    .expect(StatusCode::CREATED)
                    .id
            }
        };
        let valid = zhang.save_loan(id, &as_draft(noodle_shop(50_000))).await;
        assert_eq!(valid.status, StatusCode::OK, "{}", valid.answer.body);
        let submit = zhang.submit_loan(id);
        let edits = (0..8).map(|_| zhang.save_loan(id, &over_cap));
        let (sent, edited) = tokio::join!(submit, futures::future::join_all(edits));
        let now = zhang.loan(id).await.into_body();
        if now.status == LoanStatus::Submitted {
            assert_eq!(sent.status, StatusCode::OK);
            assert_eq!(
                now.input.facts.amount_fen, 5_000_000,
                "round {round}: a sent application holds figures the rules never saw"
            );
            for e in &edited {
                assert!(
                    e.status == StatusCode::OK || e.status == StatusCode::CONFLICT,
                    "{}",
                    e.status
                );
            }
            let r = city.decide_loan(id, &decision("reject", "测试结束")).await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.answer.body);
            draft = None;
        } else {
            draft = Some(id);
            // An edit got in first: the over-cap figures were judged and refused.
            assert_eq!(now.status, LoanStatus::Draft);
            assert_eq!(
                sent.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{}",
                sent.answer.body
            );
        }
    }
}
both_databases!(edits_racing_a_submit_never_leave_a_sent_loan_over_its_cap);

async fn a_partners_id_number_is_sealed_and_masked_everywhere(app: &TestApp) {
    let zhang = app.signed_in("13800000001").await;
    let mut body = as_draft(noodle_shop(150_000));
    body.facts.partners = vec![partner("王芳", "420103199501010009")];
    let d = zhang.apply_for_loan(&body).await;
    assert_eq!(d.status, StatusCode::CREATED, "{}", d.answer.body);
    let id = d.body().id;
    assert_eq!(
        d.body().input.facts.partners[0].id_number,
        "4201**********0009"
    );
    assert!(!d.answer.body.to_string().contains("420103199501010009"));
    let stored: String =
        sqlx::query_scalar("SELECT partners_json FROM loan_applications WHERE id = $1")
            .bind(id)
            .fetch_one(app.state.db.read())
            .await
            .unwrap();
    assert!(!stored.contains("420103199501010009"), "{stored}");
    // The phone resumes the draft and saves it back with the masked number:
    // the stored number is kept, so sending still checks the real partner.
    let resumed = zhang.loan(id).await.into_body();
    let again = as_draft(resumed.input.clone());
    let saved = zhang.save_loan(id, &again).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.answer.body);
    let sent = zhang.submit_loan(id).await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.answer.body);
    assert_eq!(sent.body().status, LoanStatus::Submitted);
    let city = app.signed_in("13700000001").await;
    let queue = city.loan_queue("status=submitted").await;
    let text = queue.answer.body.to_string();
    assert!(text.contains("4201**********0009"));
    assert!(!text.contains("420103199501010009"));
    // A masked number that matches no saved partner cannot pass.
    let mut forged = noodle_shop(100_000).facts;
    forged.partners = vec![partner("张三", "4201**********0009")];
    let check = zhang.loan_precheck(&forged).await;
    assert!(!check.body().eligible, "{}", check.answer.body);
}
both_databases!(a_partners_id_number_is_sealed_and_masked_everywhere);

async fn the_guarantee_rechecks_the_caps_and_belongs_to_the_county(app: &TestApp) {
    let zhang = app.signed_in("13800000001").await;
    let sent = zhang.apply_for_loan(&noodle_shop(50_000)).await;
    assert_eq!(sent.status, StatusCode::CREATED, "{}", sent.answer.body);
    let id = sent.body().id;
    // 张伟's workplace union has its own officer: it may approve, but the
    // guarantee is the county's.
    let workplace = zhang
        .me()
        .await
        .into_body()
        .union
        .expect("张伟's workplace union")
        .id;
    let local = officer_at(app, workplace, "13700000077", "测试干部").await;
    let ok = local.decide_loan(id, &decision("approve", "可行")).await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.answer.body);
    let refused = local.decide_loan(id, &approve()).await;
    assert_eq!(
        (refused.status, refused.code()),
        (StatusCode::FORBIDDEN, "county_union_only")
    );
    // Figures that got past the rules (an old row, a hand edit) are judged again.
    sqlx::query("UPDATE loan_applications SET amount_fen = 40000000 WHERE id = $1")
        .bind(id)
        .execute(app.state.db.write())
        .await
        .unwrap();
    let city = app.signed_in("13700000001").await;
    let over = city.decide_loan(id, &approve()).await;
    assert_eq!(
        (over.status, over.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "over_cap"),
        "{}",
        over.answer.body
    );
    let loan = city.loan(id).await;
    assert_eq!(loan.body().status, LoanStatus::UnionApproved);
}
both_databases!(the_guarantee_rechecks_the_caps_and_belongs_to_the_county);

async fn a_claim_awaiting_documents_is_checked_and_not_approved(app: &TestApp) {
    let li = app.signed_in("13800000002").await;
    let enrolment = li_na_cover(&li).await.id;
    let filed = li
        .file_claim(&hospital_stay(enrolment, 8_500))
        .await
        .expect(StatusCode::CREATED);
    let id = filed.id;
    let city = app.signed_in("13700000001").await;
    let asked = city
        .decide_claim(id, &decision("request_documents", "请补出院小结"))
        .await;
    assert_eq!(asked.status, StatusCode::OK, "{}", asked.answer.body);
    // Approval needs the documents first.
    let early = city.decide_claim(id, &approve()).await;
    assert_eq!(early.status, StatusCode::CONFLICT, "{}", early.answer.body);
    // An edit while documents are awaited is judged like a new claim: a stay
    // years before the cover began is refused and nothing changes.
    let outside = ClaimInput {
        admitted_on: "2001-01-01".into(),
        discharged_on: "2001-01-05".into(),
        ..hospital_stay(enrolment, 8_500)
    };
    let edit = li.save_claim(id, &outside).await;
    assert_eq!(
        edit.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        edit.answer.body
    );
    let now = li.claim(id).await.into_body();
    assert_eq!(now.admitted_on, day(-10));
    assert_eq!(now.status, ClaimStatus::DocumentsRequested);
}
both_databases!(a_claim_awaiting_documents_is_checked_and_not_approved);

async fn two_claims_sent_at_once_are_the_first_and_second_stay(app: &TestApp) {
    let li = app.signed_in("13800000002").await;
    let enrolment = li_na_cover(&li).await.id;
    let mut ids = Vec::new();
    for _ in 0..2 {
        let d = li
            .file_claim(&as_draft(hospital_stay(enrolment, 2_000)))
            .await
            .expect(StatusCode::CREATED);
        ids.push(d.id);
    }
    let (a, b) = tokio::join!(li.submit_claim(ids[0]), li.submit_claim(ids[1]));
    assert_eq!(a.status, StatusCode::OK, "{}", a.answer.body);
    assert_eq!(b.status, StatusCode::OK, "{}", b.answer.body);
    let mut stays = vec![a.body().bill.stay_number, b.body().bill.stay_number];
    stays.sort();
    assert_eq!(stays, vec![1, 2]);
}
both_databases!(two_claims_sent_at_once_are_the_first_and_second_stay);

async fn two_live_codes_confirmed_at_once_keep_a_once_a_day_limit(app: &TestApp) {
    let c = app.client();
    let found = c.merchants(SUPERMARKET).await.into_body();
    let merchant = found.items[0].id;
    let offer = once_a_day_offer(app, merchant, 1000, 0).await;
    let li = app.signed_in("13800000002").await;
    let code = offer_code(&li, offer).await;
    // More live codes for the same card and offer (from a second phone
    // signed in earlier, or issued just before the first was confirmed).
    let mut codes = vec![code.clone()];
    for n in 0..7 {
        let extra = format!("999999999{n}");
        // Into the book of codes first, as issuing writes them.
        sqlx::query(
            "INSERT INTO redemption_codes (code, created_at) SELECT $1, created_at FROM redemptions WHERE code = $2",
        )
        .bind(&extra)
        .bind(&code)
        .execute(app.state.db.write())
        .await
        .unwrap();
        sqlx::query(
            "INSERT INTO redemptions (code, offer_id, merchant_id, card_id, user_id, status, created_at, expires_at)
             SELECT $1, offer_id, merchant_id, card_id, user_id, status, created_at, expires_at
               FROM redemptions WHERE code = $2",
        )
        .bind(&extra)
        .bind(&code)
        .execute(app.state.db.write())
        .await
        .unwrap();
        codes.push(extra);
    }
    let mut tills = Vec::new();
    for _ in 0..codes.len() {
        tills.push(app.signed_in("13900000001").await);
    }
    let answers = futures::future::join_all(
        tills
            .iter()
            .zip(&codes)
            .map(|(t, code)| t.confirm(code, 10_000)),
    )
    .await;
    let confirmed = answers
        .iter()
        .filter(|a| a.status == StatusCode::OK)
        .count();
    assert_eq!(
        confirmed, 1,
        "a once-a-day offer confirmed {confirmed} times"
    );
    assert!(answers
        .iter()
        .all(|a| a.status == StatusCode::OK || a.code() == "limit_reached"));
}
both_databases!(two_live_codes_confirmed_at_once_keep_a_once_a_day_limit);

async fn two_identical_join_requests_store_one(app: &TestApp) {
    let union_id = workplace(app, "武昌").await;
    let body = zhao_min(union_id);
    let clients: Vec<Client> = (0..6).map(|_| app.client()).collect();
    let answers = futures::future::join_all(clients.iter().map(|c| c.apply_to_join(&body))).await;
    let created = answers
        .iter()
        .filter(|a| a.status == StatusCode::CREATED)
        .count();
    assert_eq!(created, 1);
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM join_requests WHERE id_hash = $1")
        .bind(app.state.crypto.lookup_hash("id", "11010519491231002X"))
        .fetch_one(app.state.db.read())
        .await
        .unwrap();
    assert_eq!(stored, 1);
}
both_databases!(two_identical_join_requests_store_one);

async fn a_bill_past_the_money_ceiling_is_refused_and_figures_stay_whole(app: &TestApp) {
    let c = app.client();
    let found = c.merchants(SUPERMARKET).await.into_body();
    let offer = found.items[0].offers[0].id;
    let li = app.signed_in("13800000002").await;
    let code = offer_code(&li, offer).await;
    let cashier = app.signed_in("13900000001").await;
    let huge = cashier.confirm(&code, 90_000_000_000_000_000).await;
    assert_eq!(
        (huge.status, huge.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "amount_too_large"),
        "{}",
        huge.answer.body
    );
    assert_eq!(
        cashier.get("/api/staff/stats").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(li.get("/api/me/redemptions").await.status, StatusCode::OK);
}
both_databases!(a_bill_past_the_money_ceiling_is_refused_and_figures_stay_whole);

/// Starts over one database three times: first with a new key, then with
/// the key file gone, then with another key.
async fn a_server_refuses_to_start_with_another_data_key(url: String) {
    let dir = tempfile::tempdir().unwrap();
    let mut config = unioncard_server::Config::for_tests(url, dir.path().join("data"));
    config.members = 20;
    config.merchants = 5;
    unioncard_server::prepare(&config)
        .await
        .expect("first start");
    let key_file = dir.path().join("data/unioncard.key");
    assert!(key_file.exists());
    let kept = std::fs::read_to_string(&key_file).unwrap();
    std::fs::remove_file(&key_file).unwrap();
    let missing = unioncard_server::prepare(&config)
        .await
        .err()
        .expect("a missing key file stops the start");
    assert!(
        format!("{missing:#}").contains("unioncard.key"),
        "{missing:#}"
    );
    assert!(!key_file.exists(), "no new key is left behind");
    config.key = Some("11".repeat(32));
    let other = unioncard_server::prepare(&config)
        .await
        .err()
        .expect("another key stops the start");
    assert!(format!("{other:#}").contains("does not match"), "{other:#}");
    // The right key starts it again.
    config.key = Some(kept.trim().to_string());
    unioncard_server::prepare(&config)
        .await
        .expect("the kept key");
}

mod a_server_refuses_to_start_with_another_data_key {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}/keys.db", dir.path().display());
        super::a_server_refuses_to_start_with_another_data_key(url).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        if std::env::var("TEST_POSTGRES_URL").is_err() {
            return;
        }
        let url = crate::support::fresh_postgres_database().await;
        super::a_server_refuses_to_start_with_another_data_key(url).await;
    }
}

fn multipart(
    c: &Client,
    path: &str,
    field: &'static str,
    bytes: Vec<u8>,
) -> reqwest::RequestBuilder {
    let form = reqwest::multipart::Form::new().part(
        field,
        reqwest::multipart::Part::bytes(bytes).file_name("scan.pdf"),
    );
    c.raw(Method::POST, path)
        .header("X-Requested-With", "unioncard")
        .multipart(form)
}

fn files_in(dir: &std::path::Path) -> usize {
    std::fs::read_dir(dir).map(|d| d.count()).unwrap_or(0)
}

async fn a_draft_claims_documents_are_the_members_alone(app: &TestApp) {
    let li = app.signed_in("13800000002").await;
    let enrolment = li_na_cover(&li).await.id;
    let d = li
        .file_claim(&as_draft(hospital_stay(enrolment, 2_000)))
        .await;
    let id = d.body().id;
    let up = Client::answer(
        multipart(
            &li,
            &format!("/api/aid/claims/{id}/documents"),
            "file",
            b"%PDF-1.4 bill".to_vec(),
        )
        .send()
        .await
        .unwrap(),
    )
    .await;
    assert_eq!(up.status, StatusCode::CREATED, "{}", up.body);
    let url = up.parse::<DocumentView>().url;
    let city = app.signed_in("13700000001").await;
    assert_eq!(city.get(&url).await.status, StatusCode::NOT_FOUND);
    let mine = li.raw(Method::GET, &url).send().await.unwrap();
    assert_eq!(mine.status(), StatusCode::OK);
    assert!(mine
        .headers()
        .get("content-disposition")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("attachment")));
    // Once sent, the officers over her union may read it.
    let sent = li.submit_claim(id).await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.answer.body);
    let theirs = city.raw(Method::GET, &url).send().await.unwrap();
    assert_eq!(theirs.status(), StatusCode::OK);
}
both_databases!(a_draft_claims_documents_are_the_members_alone);

async fn uploads_leave_nothing_behind_and_the_caps_hold_at_once(app: &TestApp) {
    let li = app.signed_in("13800000002").await;
    let c = app.client();
    let found = c.merchants(SUPERMARKET).await.into_body();
    let merchant = found.items[0].id;
    let complaint = li
        .complain(&ComplaintRequest {
            merchant_id: merchant,
            kind: "refused".into(),
            ..ComplaintRequest::default()
        })
        .await;
    let id = complaint.body().id;
    let jpeg = || {
        let mut b = vec![0xFF, 0xD8, 0xFF, 0xE0];
        b.extend_from_slice(&[0u8; 64]);
        b
    };
    let path = format!("/api/complaints/{id}/photo");
    // Two photos at once: one is kept, the other's file does not stay.
    let (a, b) = tokio::join!(
        multipart(&li, &path, "photo", jpeg()).send(),
        multipart(&li, &path, "photo", jpeg()).send(),
    );
    let mut codes = vec![a.unwrap().status().as_u16(), b.unwrap().status().as_u16()];
    codes.sort();
    assert_eq!(codes, vec![201, 409]);
    let dir = app.state.uploads.clone();
    let before = files_in(&dir);
    let again = multipart(&li, &path, "photo", jpeg()).send().await.unwrap();
    assert_eq!(again.status(), StatusCode::CONFLICT);
    assert_eq!(files_in(&dir), before, "a refused photo leaves no file");
    // Documents: 26 at once on a draft, 20 kept and 20 files more.
    let enrolment = li_na_cover(&li).await.id;
    let d = li
        .file_claim(&as_draft(hospital_stay(enrolment, 2_000)))
        .await;
    let claim = d.body().id;
    let docs = format!("/api/aid/claims/{claim}/documents");
    let answers = futures::future::join_all(
        (0..26).map(|_| multipart(&li, &docs, "file", b"%PDF-1.4 scan".to_vec()).send()),
    )
    .await;
    let created = answers
        .iter()
        .filter(|a| a.as_ref().unwrap().status() == StatusCode::CREATED)
        .count();
    assert_eq!(created, 20);
    assert_eq!(files_in(&dir), before + 20);
    // Drafts and complaints are bounded per member.
    let mut last = None;
    for _ in 0..6 {
        last = Some(
            li.file_claim(&as_draft(hospital_stay(enrolment, 100)))
                .await,
        );
    }
    let last = last.unwrap();
    assert_eq!(
        (last.status, last.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "too_many_drafts")
    );
    let mut answer = None;
    for _ in 0..10 {
        answer = Some(
            li.complain(&ComplaintRequest {
                merchant_id: merchant,
                kind: "other".into(),
                text: "重复".into(),
                redemption_id: None,
            })
            .await,
        );
    }
    let answer = answer.unwrap();
    assert_eq!(
        answer.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        answer.answer.body
    );
    assert!(answer.answer.headers.get("retry-after").is_some());
}
both_databases!(uploads_leave_nothing_behind_and_the_caps_hold_at_once);

async fn only_the_unions_the_rule_names_run_plans_and_sign_merchants(app: &TestApp) {
    // A district officer (武昌区) may not open a province-wide aid plan.
    let wuchang = app.signed_in("13700000002").await;
    let plan = wuchang.open_plan(&major_disease_plan()).await;
    assert_eq!(
        (plan.status, plan.code()),
        (StatusCode::FORBIDDEN, "aid_plans_city_level"),
        "{}",
        plan.answer.body
    );
    // A workplace union's officer signs no merchants.
    let workplace = workplace(app, "武昌").await;
    let local = officer_at(app, workplace, "13700000078", "测试干部").await;
    let shop = local.create_merchant(&corner_shop(None)).await;
    assert_eq!(
        (shop.status, shop.code()),
        (StatusCode::FORBIDDEN, "merchants_district_level"),
        "{}",
        shop.answer.body
    );
    // The district signs its own merchants.
    let own = wuchang.create_merchant(&corner_shop(None)).await;
    assert_eq!(own.status, StatusCode::CREATED, "{}", own.answer.body);
    // A plan of another city's union is neither listed to 李娜 nor open to her:
    // the administrator opens 宜昌's union and an officer there opens the plan.
    let province = province(app).await;
    let admin = app.signed_in("13600000001").await;
    let other_city = admin
        .create_union(&UnionInput {
            parent_id: province,
            code: "YC".into(),
            name: "宜昌市总工会".into(),
            district: String::new(),
        })
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(other_city.level, "city");
    let yichang = officer_at(app, other_city.id, "13700000079", "宜昌干部").await;
    let created = yichang.open_plan(&major_disease_plan()).await;
    assert_eq!(
        created.status,
        StatusCode::CREATED,
        "{}",
        created.answer.body
    );
    let id = created.body().id;
    let li = app.signed_in("13800000002").await;
    let listed = li.aid_plans().await;
    assert!(!listed.iter().any(|p| p.id == id));
    let enrol = li.enrol(id).await;
    assert_eq!(
        (enrol.status, enrol.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "outside_plan_union"),
        "{}",
        enrol.answer.body
    );
}
both_databases!(only_the_unions_the_rule_names_run_plans_and_sign_merchants);

async fn parallel_wrong_passwords_get_five_checks_not_forty(app: &TestApp) {
    let clients: Vec<Client> = (0..40).map(|_| app.client()).collect();
    let answers = futures::future::join_all(
        clients
            .iter()
            .map(|c| c.sign_in("13800000001", "wrong-guess-1")),
    )
    .await;
    let checked = answers
        .iter()
        .filter(|a| a.status == StatusCode::UNAUTHORIZED)
        .count();
    let refused = answers
        .iter()
        .filter(|a| a.status == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert_eq!(checked, 5, "real password checks");
    assert_eq!(refused, 35);
    assert!(answers
        .iter()
        .filter(|a| a.status == StatusCode::TOO_MANY_REQUESTS)
        .all(|a| a.answer.headers.get("retry-after").is_some()));
}
both_databases!(parallel_wrong_passwords_get_five_checks_not_forty);

async fn a_stranger_cannot_lock_the_owner_out_for_good(app: &TestApp) {
    let stranger = app.client();
    let wrong = || stranger.sign_in("13600000001", "not-the-password");
    for _ in 0..5 {
        let a = wrong().await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    }
    let locked = wrong().await;
    assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS);
    let owner = app.client();
    let right = || owner.sign_in("13600000001", "Demo@2026");
    assert_eq!(
        right().await.status,
        StatusCode::TOO_MANY_REQUESTS,
        "locked for the step"
    );
    // The step passes (moved back in the database rather than waited for).
    let key = format!(
        "login:phone:{}",
        app.state.crypto.lookup_hash("phone", "13600000001")
    );
    let step_over = || async {
        sqlx::query("UPDATE throttle SET locked_until = 0 WHERE key = $1")
            .bind(&key)
            .execute(app.state.db.write())
            .await
            .unwrap();
    };
    step_over().await;
    // The stranger's next guess is checked once, and the next step is longer.
    let again = wrong().await;
    assert_eq!(again.status, StatusCode::UNAUTHORIZED);
    let next = wrong().await;
    assert_eq!(next.status, StatusCode::TOO_MANY_REQUESTS);
    let wait: i64 = next.answer.headers["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        wait > 60,
        "the second step is longer than the first: {wait}"
    );
    step_over().await;
    // After the step, the right password gets in, and the count starts again.
    let ok = right().await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.answer.body);
    assert_eq!(wrong().await.status, StatusCode::UNAUTHORIZED);
}
both_databases!(a_stranger_cannot_lock_the_owner_out_for_good);

async fn anonymous_id_number_checks_answer_alike_and_are_bounded(app: &TestApp) {
    let union_id = workplace(app, "武昌").await;
    let apply = |id: &str, phone: &str| JoinApplication {
        id_number: id.into(),
        phone: phone.into(),
        ..zhao_min(union_id)
    };
    // On a roster (李娜) or already applied: the same answer.
    let c = app.client();
    let member = c
        .apply_to_join(&apply("420106199207082342", "13911110001"))
        .await;
    let first = c
        .apply_to_join(&apply("11010519491231002X", "13911110002"))
        .await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.answer.body);
    let applied = c
        .apply_to_join(&apply("11010519491231002X", "13911110002"))
        .await;
    assert_eq!(
        (member.status, member.code()),
        (applied.status, applied.code())
    );
    assert_eq!(member.message(), applied.message());
    // One ID number tried over and over, from fresh clients: bounded.
    let mut last = None;
    for n in 0..12 {
        let phone = format!("1391111{:04}", 100 + n);
        last = Some(
            app.client()
                .register(&RegisterRequest {
                    phone,
                    password: "Secret@2026".into(),
                    name: "某某".into(),
                    id_number: "420103199501010009".into(),
                })
                .await,
        );
    }
    let last = last.unwrap();
    assert_eq!(
        last.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        last.answer.body
    );
}
both_databases!(anonymous_id_number_checks_answer_alike_and_are_bounded);

async fn searches_take_words_literally_and_stay_bounded(app: &TestApp) {
    let c = app.client();
    let percent = c.merchants("q=%25").await;
    assert_eq!(percent.status, StatusCode::OK);
    assert_eq!(percent.body().items.len(), 0, "a % is a %");
    let underscore = c.get_as::<Page<CourseView>>("/api/courses?q=_").await;
    assert_eq!(underscore.status, StatusCode::OK);
    assert_eq!(underscore.body().items.len(), 0);
    let long = "超".repeat(51);
    let too_long = c.get(&format!("/api/merchants?q={long}")).await;
    assert_eq!(
        too_long.status,
        StatusCode::BAD_REQUEST,
        "{}",
        too_long.body
    );
    assert_eq!(
        c.get(&format!("/api/courses?q={long}")).await.status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        c.get(&format!("/api/unions?q={long}")).await.status,
        StatusCode::BAD_REQUEST
    );
    let far = c
        .get("/api/merchants?near=30.59,114.30&cursor=1000000000")
        .await;
    assert_eq!(far.status, StatusCode::BAD_REQUEST, "{}", far.body);
    let near = c.get("/api/merchants?near=30.59,114.30&cursor=20").await;
    assert_eq!(near.status, StatusCode::OK);
}
both_databases!(searches_take_words_literally_and_stay_bounded);

async fn invented_methods_do_not_grow_the_metrics(app: &TestApp) {
    let c = app.client();
    for n in 0..30 {
        let m = Method::from_bytes(format!("INVENTED{n}").as_bytes()).unwrap();
        c.raw(m, "/api/merchants").send().await.unwrap();
    }
    let text = c
        .raw(Method::GET, "/metrics")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!text.contains("INVENTED"), "{text}");
    assert!(text.contains("method=\"other\""));
}
both_databases!(invented_methods_do_not_grow_the_metrics);

async fn card_numbers_travel_in_the_body_not_the_url(app: &TestApp) {
    let city = app.signed_in("13700000001").await;
    let old = city.get("/api/staff/cards/6222020200000000022").await;
    assert!(
        old.status == StatusCode::NOT_FOUND || old.status == StatusCode::METHOD_NOT_ALLOWED,
        "{}",
        old.status
    );
    let found = city.staff_card("lookup", "6222020200000000022").await;
    assert_eq!(found.status, StatusCode::OK, "{}", found.answer.body);
    assert_eq!(found.body().card_no_masked, "6222***********0022");
    assert_eq!(
        found
            .body()
            .account
            .as_ref()
            .expect("her account")
            .phone_masked,
        "138****0002"
    );
    assert!(!found
        .answer
        .body
        .to_string()
        .contains("6222020200000000022"));
}
both_databases!(card_numbers_travel_in_the_body_not_the_url);

async fn officers_disable_member_and_cashier_accounts_in_their_unions(app: &TestApp) {
    let li = app.signed_in("13800000002").await;
    let city = app.signed_in("13700000001").await;
    let account_of = |card: &'static str| {
        let city = &city;
        async move {
            city.staff_card("lookup", card)
                .await
                .into_body()
                .account
                .expect("an account")
                .id
        }
    };
    let account = account_of("6222020200000000022").await;
    // 张伟's district officer is another district: as if it did not exist.
    let zhang = account_of("6222020200000000014").await;
    let wuchang = app.signed_in("13700000002").await;
    assert_eq!(
        wuchang.set_account_access(zhang, false).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        li.set_account_access(account, false).await.status,
        StatusCode::FORBIDDEN
    );
    let off = wuchang.set_account_access(account, false).await;
    assert_eq!(off.status, StatusCode::NO_CONTENT, "{}", off.body);
    assert_eq!(li.me().await.status, StatusCode::UNAUTHORIZED);
    let again = app.client().sign_in("13800000002", "Demo@2026").await;
    assert_eq!(again.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        wuchang.set_account_access(account, true).await.status,
        StatusCode::NO_CONTENT
    );
    app.signed_in("13800000002").await;
    // A cashier who left: the supermarket's officer (the city) disables them.
    let found = app.client().merchants(SUPERMARKET).await.into_body();
    let merchant = found.items[0].id;
    let tills = city
        .get_as::<Page<AccountSummary>>(&format!("/api/staff/merchants/{merchant}/cashiers"))
        .await
        .expect(StatusCode::OK);
    let cashier = tills.items[0].id;
    assert!(!tills.items[0].disabled);
    let till = app.signed_in("13900000001").await;
    assert_eq!(
        city.set_account_access(cashier, false).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(till.me().await.status, StatusCode::UNAUTHORIZED);
    let audited: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action IN ('account.disable', 'account.enable')",
    )
    .fetch_one(app.state.db.read())
    .await
    .unwrap();
    assert_eq!(audited, 3);
}
both_databases!(officers_disable_member_and_cashier_accounts_in_their_unions);

async fn a_password_change_ends_the_other_sessions(app: &TestApp) {
    let phone = app.signed_in("13800000002").await;
    let laptop = app.signed_in("13800000002").await;
    let wrong = phone.change_password("Wrong@2026", "Newpass2026").await;
    assert_eq!(
        (wrong.status, wrong.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "wrong_password")
    );
    assert!(wrong.field("current_password").is_some());
    let weak = phone.change_password("Demo@2026", "short").await;
    assert_eq!(weak.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(weak.field("new_password").is_some());
    let ok = phone.change_password("Demo@2026", "Newpass2026").await;
    assert_eq!(ok.status, StatusCode::NO_CONTENT, "{}", ok.body);
    assert_eq!(phone.me().await.status, StatusCode::OK);
    assert_eq!(laptop.me().await.status, StatusCode::UNAUTHORIZED);
    let old = app.client().sign_in("13800000002", "Demo@2026").await;
    assert_eq!(old.status, StatusCode::UNAUTHORIZED);
    let new = app.client().sign_in("13800000002", "Newpass2026").await;
    assert_eq!(new.status, StatusCode::OK);
}
both_databases!(a_password_change_ends_the_other_sessions);

async fn an_unattended_desk_signs_out(app: &TestApp) {
    let city = app.signed_in("13700000001").await;
    let li = app.signed_in("13800000002").await;
    // Three hours without a request (moved back rather than waited for).
    sqlx::query("UPDATE sessions SET last_seen_at = last_seen_at - 3 * 3600")
        .execute(app.state.db.write())
        .await
        .unwrap();
    assert_eq!(city.get("/api/me").await.status, StatusCode::UNAUTHORIZED);
    // A member's phone keeps its session far longer.
    assert_eq!(li.get("/api/me").await.status, StatusCode::OK);
}
both_databases!(an_unattended_desk_signs_out);

async fn answers_carry_the_security_headers_and_csv_cells_stay_text(app: &TestApp) {
    let c = app.client();
    for path in ["/", "/api/merchants", "/api/me"] {
        let r = c.raw(Method::GET, path).send().await.unwrap();
        let csp = r.headers()["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert!(
            csp.contains("script-src 'self' 'wasm-unsafe-eval'"),
            "{csp}"
        );
        assert!(!csp.contains("unsafe-eval'") || csp.contains("wasm-unsafe-eval"));
        assert_eq!(r.headers()["x-content-type-options"], "nosniff");
        // Plain HTTP here: no HSTS (it is sent with --secure-cookies).
        assert!(r.headers().get("strict-transport-security").is_none());
    }
    // A union named like a spreadsheet formula stays text in the CSV.
    let province = province(app).await;
    let admin = app.signed_in("13600000001").await;
    let made = admin
        .create_union(&UnionInput {
            parent_id: province,
            code: "EVIL1".into(),
            name: "=HYPERLINK(\"http://x\",\"y\")".into(),
            district: String::new(),
        })
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.answer.body);
    let csv = admin
        .raw(Method::GET, "/api/staff/stats.csv")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(csv.contains("\"'=HYPERLINK("), "{csv}");
    assert!(!csv.contains(",=HYPERLINK") && !csv.contains("\n=HYPERLINK"));
}
both_databases!(answers_carry_the_security_headers_and_csv_cells_stay_text);

/// A POST carrying an `Idempotency-Key`.
async fn with_key<B: Serialize>(c: &Client, path: &str, key: &str, body: &B) -> Answer {
    let sent = c
        .raw(Method::POST, path)
        .header("X-Requested-With", "unioncard")
        .header("Idempotency-Key", key)
        .json(body)
        .send()
        .await
        .unwrap();
    Client::answer(sent).await
}

async fn idempotency_keys_belong_to_one_route_one_body_and_one_day(app: &TestApp) {
    let li = app.signed_in("13800000002").await;
    let enrolment = li_na_cover(&li).await.id;
    let claim_of = |yuan: i64| as_draft(hospital_stay(enrolment, yuan));
    let claim = with_key(&li, "/api/aid/claims", "tap-1", &claim_of(2_000)).await;
    assert_eq!(claim.status, StatusCode::CREATED, "{}", claim.body);
    let claim_id = claim.parse::<ClaimView>().id;
    // The same key on another route acts there (not the claim's answer).
    let loan = with_key(&li, "/api/loans", "tap-1", &as_draft(noodle_shop(50_000))).await;
    assert_eq!(loan.status, StatusCode::CREATED, "{}", loan.body);
    assert_eq!(loan.parse::<LoanView>().status, LoanStatus::Draft);
    assert!(loan.body.get("enrolment_id").is_none(), "{}", loan.body);
    // The same key with another body: refused, nothing filed.
    let other = with_key(&li, "/api/aid/claims", "tap-1", &claim_of(3_000)).await;
    assert_eq!(
        (other.status, other.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "idempotency_key_reused")
    );
    // The same body again: the first answer.
    let again = with_key(&li, "/api/aid/claims", "tap-1", &claim_of(2_000)).await;
    assert_eq!(again.parse::<ClaimView>().id, claim_id);
    // A day later the key is forgotten and the request acts anew.
    sqlx::query("UPDATE idempotency_keys SET created_at = created_at - 2 * 86400")
        .execute(app.state.db.write())
        .await
        .unwrap();
    let later = with_key(&li, "/api/aid/claims", "tap-1", &claim_of(2_000)).await;
    assert_eq!(later.status, StatusCode::CREATED);
    assert_ne!(later.parse::<ClaimView>().id, claim_id);
}
both_databases!(idempotency_keys_belong_to_one_route_one_body_and_one_day);

async fn a_draft_saved_before_partners_were_sealed_still_sends(app: &TestApp) {
    let zhang = app.signed_in("13800000001").await;
    let d = zhang.apply_for_loan(&as_draft(noodle_shop(150_000))).await;
    let id = d.body().id;
    // A row as the previous version wrote it: the partner in clear.
    sqlx::query("UPDATE loan_applications SET partners_json = $1 WHERE id = $2")
        .bind(r#"[{"name":"王芳","id_number":"420103199501010009"}]"#)
        .bind(id)
        .execute(app.state.db.write())
        .await
        .unwrap();
    let resumed = zhang.loan(id).await.into_body();
    assert_eq!(
        resumed.input.facts.partners[0].id_number,
        "4201**********0009"
    );
    let saved = zhang.save_loan(id, &as_draft(resumed.input.clone())).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.answer.body);
    let stored: String =
        sqlx::query_scalar("SELECT partners_json FROM loan_applications WHERE id = $1")
            .bind(id)
            .fetch_one(app.state.db.read())
            .await
            .unwrap();
    assert!(!stored.contains("420103199501010009"), "sealed on save");
    let sent = zhang.submit_loan(id).await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.answer.body);
}
both_databases!(a_draft_saved_before_partners_were_sealed_still_sends);
