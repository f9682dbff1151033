//! Hardening (issue 12): applications change only while they may change,
//! races that only PostgreSQL shows, personal data sealed and masked, who
//! may decide what, bounded money, and nothing cheap that floods or guesses.
//! Each test here failed before its fix.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::both_databases;
use crate::fixtures::{as_draft, day, hospital_stay, li_na_cover, noodle_shop, officer_at};
use crate::support::{Client, TestApp};

async fn decide(who: &Client, path: &str, body: Value) -> crate::support::Answer {
    who.post(path, body).await
}

async fn a_loan_draft_never_holds_what_an_application_could_not(app: &TestApp) {
    let zhang = app.signed_in("13800000001").await;
    let d = zhang
        .post("/api/loans", as_draft(noodle_shop(50_000)))
        .await;
    assert_eq!(d.status, StatusCode::CREATED, "{}", d.body);
    let id = d.body["id"].as_i64().unwrap();
    // Out of every bound, as a draft (first save and later saves).
    let mut huge = as_draft(noodle_shop(0));
    huge["amount_fen"] = json!(9_000_000_000_000_000_000i64);
    let first = zhang.post("/api/loans", huge.clone()).await;
    assert_eq!(
        first.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        first.body
    );
    let edit = zhang
        .send(Method::PUT, &format!("/api/loans/{id}"), Some(huge))
        .await;
    assert_eq!(
        edit.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        edit.body
    );
    assert!(edit.body["error"]["fields"]["amount_fen"].is_string());
    // Megabytes of text in a draft: refused at the body limit or by length.
    let mut long = as_draft(noodle_shop(50_000));
    long["purpose"] = json!("很".repeat(400_000));
    let big = zhang
        .send(Method::PUT, &format!("/api/loans/{id}"), Some(long))
        .await;
    assert!(
        big.status == StatusCode::PAYLOAD_TOO_LARGE
            || big.status == StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        big.status
    );
    let now = zhang.get(&format!("/api/loans/{id}")).await;
    assert_eq!(now.body["amount_fen"], 5_000_000);
    assert_eq!(now.body["purpose"], "添置炉灶和冷柜");
}
both_databases!(a_loan_draft_never_holds_what_an_application_could_not);

async fn edits_racing_a_submit_never_leave_a_sent_loan_over_its_cap(app: &TestApp) {
    let zhang = app.signed_in("13800000001").await;
    let city = app.signed_in("13700000001").await;
    let mut draft: Option<i64> = None;
    for round in 0..6 {
        let id = match draft {
            Some(id) => id,
            None => {
                let d = zhang
                    .post("/api/loans", as_draft(noodle_shop(50_000)))
                    .await;
                assert_eq!(d.status, StatusCode::CREATED, "{}", d.body);
                d.body["id"].as_i64().unwrap()
            }
        };
        let path = format!("/api/loans/{id}");
        let valid = zhang
            .send(Method::PUT, &path, Some(as_draft(noodle_shop(50_000))))
            .await;
        assert_eq!(valid.status, StatusCode::OK, "{}", valid.body);
        let submit_path = format!("/api/loans/{id}/submit");
        let submit = zhang.post(&submit_path, json!({}));
        let edits =
            (0..8).map(|_| zhang.send(Method::PUT, &path, Some(as_draft(noodle_shop(400_000)))));
        let (sent, edited) = tokio::join!(submit, futures::future::join_all(edits));
        let now = zhang.get(&path).await;
        if now.body["status"] == "submitted" {
            assert_eq!(sent.status, StatusCode::OK);
            assert_eq!(
                now.body["amount_fen"], 5_000_000,
                "round {round}: a sent application holds figures the rules never saw"
            );
            for e in &edited {
                assert!(
                    e.status == StatusCode::OK || e.status == StatusCode::CONFLICT,
                    "{}",
                    e.status
                );
            }
            let r = decide(
                &city,
                &format!("/api/staff/loans/{id}/decision"),
                json!({"decision": "reject", "note": "测试结束"}),
            )
            .await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.body);
            draft = None;
        } else {
            draft = Some(id);
            // An edit got in first: the over-cap figures were judged and refused.
            assert_eq!(now.body["status"], "draft");
            assert_eq!(
                sent.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{}",
                sent.body
            );
        }
    }
}
both_databases!(edits_racing_a_submit_never_leave_a_sent_loan_over_its_cap);

async fn a_partners_id_number_is_sealed_and_masked_everywhere(app: &TestApp) {
    let zhang = app.signed_in("13800000001").await;
    let mut body = as_draft(noodle_shop(150_000));
    body["partners"] = json!([{"name": "王芳", "id_number": "420103199501010009"}]);
    let d = zhang.post("/api/loans", body).await;
    assert_eq!(d.status, StatusCode::CREATED, "{}", d.body);
    let id = d.body["id"].as_i64().unwrap();
    assert_eq!(d.body["partners"][0]["id_number"], "4201**********0009");
    assert!(!d.body.to_string().contains("420103199501010009"));
    let stored: String =
        sqlx::query_scalar("SELECT partners_json FROM loan_applications WHERE id = $1")
            .bind(id)
            .fetch_one(app.state.db.read())
            .await
            .unwrap();
    assert!(!stored.contains("420103199501010009"), "{stored}");
    // The phone resumes the draft and saves it back with the masked number:
    // the stored number is kept, so sending still checks the real partner.
    let resumed = zhang.get(&format!("/api/loans/{id}")).await;
    let mut again = resumed.body.clone();
    again["draft"] = json!(true);
    let saved = zhang
        .send(Method::PUT, &format!("/api/loans/{id}"), Some(again))
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let sent = zhang
        .post(&format!("/api/loans/{id}/submit"), json!({}))
        .await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
    assert_eq!(sent.body["status"], "submitted");
    let city = app.signed_in("13700000001").await;
    let queue = city.get("/api/staff/loans?status=submitted").await;
    let text = queue.body.to_string();
    assert!(text.contains("4201**********0009"));
    assert!(!text.contains("420103199501010009"));
    // A masked number that matches no saved partner cannot pass.
    let mut forged = noodle_shop(100_000);
    forged["partners"] = json!([{"name": "张三", "id_number": "4201**********0009"}]);
    let check = zhang.post("/api/loans/eligibility", forged).await;
    assert_eq!(check.body["eligible"], false, "{}", check.body);
}
both_databases!(a_partners_id_number_is_sealed_and_masked_everywhere);

async fn the_guarantee_rechecks_the_caps_and_belongs_to_the_county(app: &TestApp) {
    let zhang = app.signed_in("13800000001").await;
    let sent = zhang.post("/api/loans", noodle_shop(50_000)).await;
    assert_eq!(sent.status, StatusCode::CREATED, "{}", sent.body);
    let id = sent.body["id"].as_i64().unwrap();
    // 张伟's workplace union has its own officer: it may approve, but the
    // guarantee is the county's.
    let workplace: i64 = sqlx::query_scalar("SELECT union_id FROM loan_applications WHERE id = $1")
        .bind(id)
        .fetch_one(app.state.db.read())
        .await
        .unwrap();
    let local = officer_at(app, workplace, "13700000077", "测试干部").await;
    let path = format!("/api/staff/loans/{id}/decision");
    let ok = decide(
        &local,
        &path,
        json!({"decision": "approve", "note": "可行"}),
    )
    .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    let refused = decide(&local, &path, json!({"decision": "approve", "note": ""})).await;
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
    let over = decide(&city, &path, json!({"decision": "approve", "note": ""})).await;
    assert_eq!(
        (over.status, over.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "over_cap"),
        "{}",
        over.body
    );
    let loan = city.get(&format!("/api/loans/{id}")).await;
    assert_eq!(loan.body["status"], "union_approved");
}
both_databases!(the_guarantee_rechecks_the_caps_and_belongs_to_the_county);

async fn a_claim_awaiting_documents_is_checked_and_not_approved(app: &TestApp) {
    let li = app.signed_in("13800000002").await;
    let enrolment = li_na_cover(&li).await["id"].as_i64().unwrap();
    let filed = li
        .post("/api/aid/claims", hospital_stay(enrolment, 8_500))
        .await;
    assert_eq!(filed.status, StatusCode::CREATED, "{}", filed.body);
    let id = filed.body["id"].as_i64().unwrap();
    let city = app.signed_in("13700000001").await;
    let path = format!("/api/staff/aid/claims/{id}/decision");
    let asked = decide(
        &city,
        &path,
        json!({"decision": "request_documents", "note": "请补出院小结"}),
    )
    .await;
    assert_eq!(asked.status, StatusCode::OK, "{}", asked.body);
    // Approval needs the documents first.
    let early = decide(&city, &path, json!({"decision": "approve", "note": ""})).await;
    assert_eq!(early.status, StatusCode::CONFLICT, "{}", early.body);
    // An edit while documents are awaited is judged like a new claim: a stay
    // years before the cover began is refused and nothing changes.
    let mut outside = hospital_stay(enrolment, 8_500);
    outside["admitted_on"] = json!("2001-01-01");
    outside["discharged_on"] = json!("2001-01-05");
    let edit = li
        .send(Method::PUT, &format!("/api/aid/claims/{id}"), Some(outside))
        .await;
    assert_eq!(
        edit.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        edit.body
    );
    let now = li.get(&format!("/api/aid/claims/{id}")).await;
    assert_eq!(now.body["admitted_on"], day(-10));
    assert_eq!(now.body["status"], "documents_requested");
}
both_databases!(a_claim_awaiting_documents_is_checked_and_not_approved);

async fn two_claims_sent_at_once_are_the_first_and_second_stay(app: &TestApp) {
    let li = app.signed_in("13800000002").await;
    let enrolment = li_na_cover(&li).await["id"].as_i64().unwrap();
    let mut ids = Vec::new();
    for _ in 0..2 {
        let d = li
            .post("/api/aid/claims", as_draft(hospital_stay(enrolment, 2_000)))
            .await;
        assert_eq!(d.status, StatusCode::CREATED, "{}", d.body);
        ids.push(d.body["id"].as_i64().unwrap());
    }
    let (p0, p1) = (
        format!("/api/aid/claims/{}/submit", ids[0]),
        format!("/api/aid/claims/{}/submit", ids[1]),
    );
    let (a, b) = tokio::join!(li.post(&p0, json!({})), li.post(&p1, json!({})));
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert_eq!(b.status, StatusCode::OK, "{}", b.body);
    let mut stays = vec![
        a.body["bill"]["stay_number"].as_i64().unwrap(),
        b.body["bill"]["stay_number"].as_i64().unwrap(),
    ];
    stays.sort();
    assert_eq!(stays, vec![1, 2]);
}
both_databases!(two_claims_sent_at_once_are_the_first_and_second_stay);

async fn two_live_codes_confirmed_at_once_keep_a_once_a_day_limit(app: &TestApp) {
    let c = app.client();
    let found = c
        .get("/api/merchants?q=%E6%A5%9A%E5%A4%A9%E4%BC%98%E9%80%89")
        .await;
    let merchant = found.body["items"][0]["id"].as_i64().unwrap();
    let offer = crate::fixtures::once_a_day_offer(app, merchant, 1000, 0).await;
    let li = app.signed_in("13800000002").await;
    let code = crate::fixtures::offer_code(&li, offer).await;
    // More live codes for the same card and offer (from a second phone
    // signed in earlier, or issued just before the first was confirmed).
    let mut codes = vec![code.clone()];
    for n in 0..7 {
        let extra = format!("999999999{n}");
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
    let paths: Vec<String> = codes
        .iter()
        .map(|c| format!("/api/merchant/redemptions/{c}/confirm"))
        .collect();
    let answers = futures::future::join_all(
        tills
            .iter()
            .zip(&paths)
            .map(|(t, p)| t.post(p, json!({"amount_fen": 10_000}))),
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
    let list = app.client().get("/api/unions?q=%E6%AD%A6%E6%98%8C").await;
    let union_id = list.body["items"][0]["id"].as_i64().unwrap();
    let body = json!({"name": "赵敏", "id_number": "11010519491231002X", "phone": "13911112222",
        "union_id": union_id, "workplace": "武昌某物流公司"});
    let clients: Vec<Client> = (0..6).map(|_| app.client()).collect();
    let answers = futures::future::join_all(
        clients
            .iter()
            .map(|c| c.post("/api/join-requests", body.clone())),
    )
    .await;
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
    let found = c
        .get("/api/merchants?q=%E6%A5%9A%E5%A4%A9%E4%BC%98%E9%80%89")
        .await;
    let offer = found.body["items"][0]["offers"][0]["id"].as_i64().unwrap();
    let li = app.signed_in("13800000002").await;
    let code = crate::fixtures::offer_code(&li, offer).await;
    let cashier = app.signed_in("13900000001").await;
    let huge = cashier
        .post(
            &format!("/api/merchant/redemptions/{code}/confirm"),
            json!({"amount_fen": 90_000_000_000_000_000i64}),
        )
        .await;
    assert_eq!(
        (huge.status, huge.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "amount_too_large"),
        "{}",
        huge.body
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
    let enrolment = li_na_cover(&li).await["id"].as_i64().unwrap();
    let d = li
        .post("/api/aid/claims", as_draft(hospital_stay(enrolment, 2_000)))
        .await;
    let id = d.body["id"].as_i64().unwrap();
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
    let url = up.body["url"].as_str().unwrap().to_string();
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
    let sent = li
        .post(&format!("/api/aid/claims/{id}/submit"), json!({}))
        .await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
    let theirs = city.raw(Method::GET, &url).send().await.unwrap();
    assert_eq!(theirs.status(), StatusCode::OK);
}
both_databases!(a_draft_claims_documents_are_the_members_alone);

async fn uploads_leave_nothing_behind_and_the_caps_hold_at_once(app: &TestApp) {
    let li = app.signed_in("13800000002").await;
    let c = app.client();
    let found = c
        .get("/api/merchants?q=%E6%A5%9A%E5%A4%A9%E4%BC%98%E9%80%89")
        .await;
    let merchant = found.body["items"][0]["id"].as_i64().unwrap();
    let complaint = li
        .post(
            "/api/complaints",
            json!({"merchant_id": merchant, "kind": "refused"}),
        )
        .await;
    let id = complaint.body["id"].as_i64().unwrap();
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
    let enrolment = li_na_cover(&li).await["id"].as_i64().unwrap();
    let d = li
        .post("/api/aid/claims", as_draft(hospital_stay(enrolment, 2_000)))
        .await;
    let claim = d.body["id"].as_i64().unwrap();
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
            li.post("/api/aid/claims", as_draft(hospital_stay(enrolment, 100)))
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
            li.post(
                "/api/complaints",
                json!({"merchant_id": merchant, "kind": "other", "text": "重复"}),
            )
            .await,
        );
    }
    let answer = answer.unwrap();
    assert_eq!(
        answer.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        answer.body
    );
    assert!(answer.headers.get("retry-after").is_some());
}
both_databases!(uploads_leave_nothing_behind_and_the_caps_hold_at_once);

fn major_disease_plan() -> Value {
    json!({
        "name": "职工门诊大病互助", "kind": "major_disease", "summary": "确诊给付",
        "contribution_fen": 5000, "payer": "member", "term_months": 12,
        "starts_on": "2026-01-01", "window_from": "2025-12-01", "window_to": "2030-12-31",
        "waiting_days": 30, "claim_deadline_days": 90,
        "eligibility": {"gender": null, "min_age": null, "max_age": 60, "active_card": true},
        "rule": {"kind": "fixed_by_group", "groups": [
            {"code": "g1", "name_zh": "尿毒症", "name_en": "Uraemia", "amount_fen": 500000}]},
        "yearly_cap_fen": 500000,
    })
}

fn corner_shop() -> Value {
    json!({
        "name": "江城测试便利店", "category": "shopping", "district": "武昌区",
        "address": "武汉市武昌区中南路 1 号", "lat": 30.54, "lng": 114.33, "hours": "08:00-22:00",
        "phone": "027-8888 0000", "contract_from": "2026-01-01", "contract_to": "2030-12-31",
        "typical_bill_fen": 5000, "union_id": null,
    })
}

async fn only_the_unions_the_rule_names_run_plans_and_sign_merchants(app: &TestApp) {
    // A district officer (武昌区) may not open a province-wide aid plan.
    let wuchang = app.signed_in("13700000002").await;
    let plan = wuchang
        .post("/api/staff/aid/plans", major_disease_plan())
        .await;
    assert_eq!(
        (plan.status, plan.code()),
        (StatusCode::FORBIDDEN, "aid_plans_city_level"),
        "{}",
        plan.body
    );
    // A workplace union's officer signs no merchants.
    let workplace: i64 =
        sqlx::query_scalar("SELECT id FROM unions WHERE level = 'workplace' ORDER BY id LIMIT 1")
            .fetch_one(app.state.db.read())
            .await
            .unwrap();
    let local = officer_at(app, workplace, "13700000078", "测试干部").await;
    let shop = local.post("/api/staff/merchants", corner_shop()).await;
    assert_eq!(
        (shop.status, shop.code()),
        (StatusCode::FORBIDDEN, "merchants_district_level"),
        "{}",
        shop.body
    );
    // The district signs its own merchants.
    let own = wuchang.post("/api/staff/merchants", corner_shop()).await;
    assert_eq!(own.status, StatusCode::CREATED, "{}", own.body);
    // A plan of another city's union is neither listed to 李娜 nor open to her.
    let province: i64 = sqlx::query_scalar("SELECT id FROM unions WHERE level = 'province'")
        .fetch_one(app.state.db.read())
        .await
        .unwrap();
    let other_city: i64 = sqlx::query_scalar(
        "INSERT INTO unions (parent_id, code, name, level, path) VALUES ($1, 'YC', '宜昌市总工会', 'city', '') RETURNING id",
    )
    .bind(province)
    .fetch_one(app.state.db.write())
    .await
    .unwrap();
    let province_path: String = sqlx::query_scalar("SELECT path FROM unions WHERE id = $1")
        .bind(province)
        .fetch_one(app.state.db.read())
        .await
        .unwrap();
    sqlx::query("UPDATE unions SET path = $1 WHERE id = $2")
        .bind(format!("{province_path}{other_city}/"))
        .bind(other_city)
        .execute(app.state.db.write())
        .await
        .unwrap();
    let city = app.signed_in("13700000001").await;
    let created = city
        .post("/api/staff/aid/plans", major_disease_plan())
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let id = created.body["id"].as_i64().unwrap();
    sqlx::query("UPDATE aid_plans SET union_id = $1 WHERE id = $2")
        .bind(other_city)
        .bind(id)
        .execute(app.state.db.write())
        .await
        .unwrap();
    let li = app.signed_in("13800000002").await;
    let listed = li.get("/api/aid/plans").await;
    assert!(!listed.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["id"] == id));
    let enrol = li.post("/api/aid/enrolments", json!({"plan_id": id})).await;
    assert_eq!(
        (enrol.status, enrol.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "outside_plan_union"),
        "{}",
        enrol.body
    );
}
both_databases!(only_the_unions_the_rule_names_run_plans_and_sign_merchants);

async fn parallel_wrong_passwords_get_five_checks_not_forty(app: &TestApp) {
    let clients: Vec<Client> = (0..40).map(|_| app.client()).collect();
    let answers = futures::future::join_all(clients.iter().map(|c| {
        c.post(
            "/api/auth/login",
            json!({"phone": "13800000001", "password": "wrong-guess-1"}),
        )
    }))
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
        .all(|a| a.headers.get("retry-after").is_some()));
}
both_databases!(parallel_wrong_passwords_get_five_checks_not_forty);

async fn a_stranger_cannot_lock_the_owner_out_for_good(app: &TestApp) {
    let stranger = app.client();
    let wrong = json!({"phone": "13600000001", "password": "not-the-password"});
    for _ in 0..5 {
        let a = stranger.post("/api/auth/login", wrong.clone()).await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    }
    let locked = stranger.post("/api/auth/login", wrong.clone()).await;
    assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS);
    let owner = app.client();
    let right = json!({"phone": "13600000001", "password": "Demo@2026"});
    assert_eq!(
        owner.post("/api/auth/login", right.clone()).await.status,
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
    let again = stranger.post("/api/auth/login", wrong.clone()).await;
    assert_eq!(again.status, StatusCode::UNAUTHORIZED);
    let next = stranger.post("/api/auth/login", wrong.clone()).await;
    assert_eq!(next.status, StatusCode::TOO_MANY_REQUESTS);
    let wait: i64 = next.headers["retry-after"]
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
    let ok = owner.post("/api/auth/login", right).await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    assert_eq!(
        stranger.post("/api/auth/login", wrong).await.status,
        StatusCode::UNAUTHORIZED
    );
}
both_databases!(a_stranger_cannot_lock_the_owner_out_for_good);

async fn anonymous_id_number_checks_answer_alike_and_are_bounded(app: &TestApp) {
    let list = app.client().get("/api/unions?q=%E6%AD%A6%E6%98%8C").await;
    let union_id = list.body["items"][0]["id"].as_i64().unwrap();
    let apply = |id: &str, phone: &str| {
        json!({"name": "赵敏", "id_number": id, "phone": phone,
            "union_id": union_id, "workplace": "武昌某物流公司"})
    };
    // On a roster (李娜) or already applied: the same answer.
    let c = app.client();
    let member = c
        .post(
            "/api/join-requests",
            apply("420106199207082342", "13911110001"),
        )
        .await;
    let first = c
        .post(
            "/api/join-requests",
            apply("11010519491231002X", "13911110002"),
        )
        .await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
    let applied = c
        .post(
            "/api/join-requests",
            apply("11010519491231002X", "13911110002"),
        )
        .await;
    assert_eq!(
        (member.status, member.code()),
        (applied.status, applied.code())
    );
    assert_eq!(
        member.body["error"]["message"],
        applied.body["error"]["message"]
    );
    // One ID number tried over and over, from fresh clients: bounded.
    let mut last = None;
    for n in 0..12 {
        let phone = format!("1391111{:04}", 100 + n);
        last = Some(
            app.client()
                .post(
                    "/api/auth/register",
                    json!({"phone": phone, "password": "Secret@2026", "name": "某某",
                           "id_number": "420103199501010009"}),
                )
                .await,
        );
    }
    let last = last.unwrap();
    assert_eq!(last.status, StatusCode::TOO_MANY_REQUESTS, "{}", last.body);
}
both_databases!(anonymous_id_number_checks_answer_alike_and_are_bounded);

async fn searches_take_words_literally_and_stay_bounded(app: &TestApp) {
    let c = app.client();
    let percent = c.get("/api/merchants?q=%25").await;
    assert_eq!(percent.status, StatusCode::OK);
    assert_eq!(
        percent.body["items"].as_array().unwrap().len(),
        0,
        "a % is a %"
    );
    let underscore = c.get("/api/courses?q=_").await;
    assert_eq!(underscore.status, StatusCode::OK);
    assert_eq!(underscore.body["items"].as_array().unwrap().len(), 0);
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
    let found = city
        .post(
            "/api/staff/cards/lookup",
            json!({"card_no": "6222020200000000022"}),
        )
        .await;
    assert_eq!(found.status, StatusCode::OK, "{}", found.body);
    assert_eq!(found.body["card_no_masked"], "6222***********0022");
    assert_eq!(found.body["account"]["phone_masked"], "138****0002");
    assert!(!found.body.to_string().contains("6222020200000000022"));
}
both_databases!(card_numbers_travel_in_the_body_not_the_url);

async fn officers_disable_member_and_cashier_accounts_in_their_unions(app: &TestApp) {
    let li = app.signed_in("13800000002").await;
    let city = app.signed_in("13700000001").await;
    let card = city
        .post(
            "/api/staff/cards/lookup",
            json!({"card_no": "6222020200000000022"}),
        )
        .await;
    let account = card.body["account"]["id"].as_i64().unwrap();
    let path = format!("/api/staff/accounts/{account}/access");
    // 张伟's district officer is another district: as if it did not exist.
    let zhang_card = city
        .post(
            "/api/staff/cards/lookup",
            json!({"card_no": "6222020200000000014"}),
        )
        .await;
    let zhang = zhang_card.body["account"]["id"].as_i64().unwrap();
    let wuchang = app.signed_in("13700000002").await;
    assert_eq!(
        wuchang
            .post(
                &format!("/api/staff/accounts/{zhang}/access"),
                json!({"enabled": false})
            )
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        li.post(&path, json!({"enabled": false})).await.status,
        StatusCode::FORBIDDEN
    );
    let off = wuchang.post(&path, json!({"enabled": false})).await;
    assert_eq!(off.status, StatusCode::NO_CONTENT, "{}", off.body);
    assert_eq!(li.get("/api/me").await.status, StatusCode::UNAUTHORIZED);
    let again = app
        .client()
        .post(
            "/api/auth/login",
            json!({"phone": "13800000002", "password": "Demo@2026"}),
        )
        .await;
    assert_eq!(again.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        wuchang.post(&path, json!({"enabled": true})).await.status,
        StatusCode::NO_CONTENT
    );
    app.signed_in("13800000002").await;
    // A cashier who left: the supermarket's officer (the city) disables them.
    let found = app
        .client()
        .get("/api/merchants?q=%E6%A5%9A%E5%A4%A9%E4%BC%98%E9%80%89")
        .await;
    let merchant = found.body["items"][0]["id"].as_i64().unwrap();
    let tills = city
        .get(&format!("/api/staff/merchants/{merchant}/cashiers"))
        .await;
    assert_eq!(tills.status, StatusCode::OK, "{}", tills.body);
    let cashier = tills.body["items"][0]["id"].as_i64().unwrap();
    assert_eq!(tills.body["items"][0]["disabled"], false);
    let till = app.signed_in("13900000001").await;
    assert_eq!(
        city.post(
            &format!("/api/staff/accounts/{cashier}/access"),
            json!({"enabled": false})
        )
        .await
        .status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(till.get("/api/me").await.status, StatusCode::UNAUTHORIZED);
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
    let wrong = phone
        .post(
            "/api/me/password",
            json!({"current_password": "Wrong@2026", "new_password": "Newpass2026"}),
        )
        .await;
    assert_eq!(
        (wrong.status, wrong.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "wrong_password")
    );
    assert!(wrong.body["error"]["fields"]["current_password"].is_string());
    let weak = phone
        .post(
            "/api/me/password",
            json!({"current_password": "Demo@2026", "new_password": "short"}),
        )
        .await;
    assert_eq!(weak.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(weak.body["error"]["fields"]["new_password"].is_string());
    let ok = phone
        .post(
            "/api/me/password",
            json!({"current_password": "Demo@2026", "new_password": "Newpass2026"}),
        )
        .await;
    assert_eq!(ok.status, StatusCode::NO_CONTENT, "{}", ok.body);
    assert_eq!(phone.get("/api/me").await.status, StatusCode::OK);
    assert_eq!(laptop.get("/api/me").await.status, StatusCode::UNAUTHORIZED);
    let old = app
        .client()
        .post(
            "/api/auth/login",
            json!({"phone": "13800000002", "password": "Demo@2026"}),
        )
        .await;
    assert_eq!(old.status, StatusCode::UNAUTHORIZED);
    let new = app
        .client()
        .post(
            "/api/auth/login",
            json!({"phone": "13800000002", "password": "Newpass2026"}),
        )
        .await;
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
    let admin = app.signed_in("13600000001").await;
    let province: i64 = sqlx::query_scalar("SELECT id FROM unions WHERE level = 'province'")
        .fetch_one(app.state.db.read())
        .await
        .unwrap();
    let made = admin
        .post(
            "/api/admin/unions",
            json!({"parent_id": province, "code": "EVIL1", "name": "=HYPERLINK(\"http://x\",\"y\")"}),
        )
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
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

async fn idempotency_keys_belong_to_one_route_one_body_and_one_day(app: &TestApp) {
    let li = app.signed_in("13800000002").await;
    let enrolment = li_na_cover(&li).await["id"].as_i64().unwrap();
    let send = |path: &'static str, body: Value| {
        li.raw(Method::POST, path)
            .header("X-Requested-With", "unioncard")
            .header("Idempotency-Key", "tap-1")
            .json(&body)
            .send()
    };
    let claim = Client::answer(
        send("/api/aid/claims", as_draft(hospital_stay(enrolment, 2_000)))
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(claim.status, StatusCode::CREATED, "{}", claim.body);
    // The same key on another route acts there (not the claim's answer).
    let loan = Client::answer(
        send("/api/loans", as_draft(noodle_shop(50_000)))
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(loan.status, StatusCode::CREATED, "{}", loan.body);
    assert_ne!(loan.body["id"], Value::Null);
    assert!(loan.body.get("enrolment_id").is_none(), "{}", loan.body);
    // The same key with another body: refused, nothing filed.
    let other = Client::answer(
        send("/api/aid/claims", as_draft(hospital_stay(enrolment, 3_000)))
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        (other.status, other.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "idempotency_key_reused")
    );
    // The same body again: the first answer.
    let again = Client::answer(
        send("/api/aid/claims", as_draft(hospital_stay(enrolment, 2_000)))
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(again.body["id"], claim.body["id"]);
    // A day later the key is forgotten and the request acts anew.
    sqlx::query("UPDATE idempotency_keys SET created_at = created_at - 2 * 86400")
        .execute(app.state.db.write())
        .await
        .unwrap();
    let later = Client::answer(
        send("/api/aid/claims", as_draft(hospital_stay(enrolment, 2_000)))
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(later.status, StatusCode::CREATED);
    assert_ne!(later.body["id"], claim.body["id"]);
}
both_databases!(idempotency_keys_belong_to_one_route_one_body_and_one_day);

async fn a_draft_saved_before_partners_were_sealed_still_sends(app: &TestApp) {
    let zhang = app.signed_in("13800000001").await;
    let d = zhang
        .post("/api/loans", as_draft(noodle_shop(150_000)))
        .await;
    let id = d.body["id"].as_i64().unwrap();
    // A row as the previous version wrote it: the partner in clear.
    sqlx::query("UPDATE loan_applications SET partners_json = $1 WHERE id = $2")
        .bind(r#"[{"name":"王芳","id_number":"420103199501010009"}]"#)
        .bind(id)
        .execute(app.state.db.write())
        .await
        .unwrap();
    let resumed = zhang.get(&format!("/api/loans/{id}")).await;
    assert_eq!(
        resumed.body["partners"][0]["id_number"],
        "4201**********0009"
    );
    let mut again = resumed.body.clone();
    again["draft"] = json!(true);
    let saved = zhang
        .send(Method::PUT, &format!("/api/loans/{id}"), Some(again))
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let stored: String =
        sqlx::query_scalar("SELECT partners_json FROM loan_applications WHERE id = $1")
            .bind(id)
            .fetch_one(app.state.db.read())
            .await
            .unwrap();
    assert!(!stored.contains("420103199501010009"), "sealed on save");
    let sent = zhang
        .post(&format!("/api/loans/{id}/submit"), json!({}))
        .await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
}
both_databases!(a_draft_saved_before_partners_were_sealed_still_sends);
