//! Micro-loans: the pre-check, applying (drafts, once only), the pipeline
//! with notes and the county quota, the schedule, who may see what.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::both_databases;
use crate::fixtures::noodle_shop;
use crate::support::{Client, TestApp};

fn codes(a: &Value) -> Vec<String> {
    a["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap().to_string())
        .collect()
}

async fn the_precheck_says_who_qualifies_and_for_how_much(app: &TestApp) {
    let zhang = app.signed_in("13800000001").await;
    let ok = zhang
        .post("/api/loans/eligibility", noodle_shop(50_000))
        .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    assert_eq!(ok.body["eligible"], true);
    assert_eq!(ok.body["max_amount_fen"], 5_000_000);
    let over = zhang
        .post("/api/loans/eligibility", noodle_shop(60_000))
        .await;
    assert_eq!(over.body["eligible"], false);
    assert_eq!(codes(&over.body), vec!["over_cap"]);
    assert!(over.body["messages"][0]
        .as_str()
        .unwrap()
        .contains("¥50,000.00"));
    let mut employed = noodle_shop(10_000);
    employed["employment_status"] = json!("employed");
    employed["business_kind"] = json!("other");
    let refused = zhang.post("/api/loans/eligibility", employed).await;
    assert_eq!(
        codes(&refused.body),
        vec!["employment_status", "business_kind"]
    );
    // A partnership with 王芳 (a woman on the roster): 50,000 + 100,000.
    let mut partners = noodle_shop(150_000);
    partners["partners"] = json!([{"name": "王芳", "id_number": "420103199501010009"}]);
    let pair = zhang.post("/api/loans/eligibility", partners.clone()).await;
    assert_eq!(pair.body["max_amount_fen"], 15_000_000, "{}", pair.body);
    assert_eq!(pair.body["eligible"], true);
    // Someone with a valid ID number who is on no roster.
    partners["partners"] = json!([{"name": "赵六", "id_number": "110101199003070011"}]);
    let stranger = zhang.post("/api/loans/eligibility", partners).await;
    // (a man: 50,000 + 50,000, so the amount is over the cap as well)
    assert_eq!(
        codes(&stranger.body),
        vec!["over_cap", "partner_not_member"]
    );
    // 李娜 is a woman: 80,000.
    let li = app.signed_in("13800000002").await;
    let hers = li.post("/api/loans/eligibility", noodle_shop(80_000)).await;
    assert_eq!(hers.body["max_amount_fen"], 8_000_000);
    assert_eq!(hers.body["eligible"], true);
    // Malformed answers, strangers, officers.
    let mut bad = noodle_shop(10_000);
    bad["business_started_on"] = json!("2024-13-01");
    let bad = zhang.post("/api/loans/eligibility", bad).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body["error"]["fields"]["business_started_on"].is_string());
    assert_eq!(
        app.client()
            .post("/api/loans/eligibility", noodle_shop(1))
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    let officer = app.signed_in("13700000001").await;
    assert_eq!(
        officer
            .post("/api/loans/eligibility", noodle_shop(1))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
}
both_databases!(the_precheck_says_who_qualifies_and_for_how_much);

async fn an_application_is_saved_step_by_step_and_sent_once(app: &TestApp) {
    let zhang = app.signed_in("13800000001").await;
    // Step one saved as a draft: the business is not described yet.
    let mut first = noodle_shop(30_000);
    first["business_name"] = json!("");
    first["purpose"] = json!("");
    first["draft"] = json!(true);
    let draft = zhang.post("/api/loans", first).await;
    assert_eq!(draft.status, StatusCode::CREATED, "{}", draft.body);
    assert_eq!(draft.body["status"], "draft");
    let id = draft.body["id"].as_i64().unwrap();
    // Sending it now says what is missing, next to the fields.
    let early = zhang
        .post(&format!("/api/loans/{id}/submit"), json!({}))
        .await;
    assert_eq!(early.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(early.body["error"]["fields"]["business_name"].is_string());
    assert!(early.body["error"]["fields"]["purpose"].is_string());
    // Another day: the rest, then sent twice at once (a double tap).
    let saved = zhang
        .send(
            Method::PUT,
            &format!("/api/loans/{id}"),
            Some(noodle_shop(30_000)),
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    assert_eq!(saved.body["business_name"], "老张热干面");
    let path = format!("/api/loans/{id}/submit");
    let (a, b) = tokio::join!(zhang.post(&path, json!({})), zhang.post(&path, json!({})));
    assert_eq!(a.body["status"], "submitted", "{}", a.body);
    assert_eq!(b.body["status"], "submitted", "{}", b.body);
    let sent: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM loan_events WHERE loan_id = $1 AND status = 'submitted'",
    )
    .bind(id)
    .fetch_one(app.state.db.read())
    .await
    .unwrap();
    assert_eq!(sent, 1);
    // No changes after sending; no second loan while this one is open.
    let late = zhang
        .send(
            Method::PUT,
            &format!("/api/loans/{id}"),
            Some(noodle_shop(1)),
        )
        .await;
    assert_eq!(late.status, StatusCode::CONFLICT);
    let second = zhang.post("/api/loans", noodle_shop(10_000)).await;
    assert_eq!(
        (second.status, second.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "open_loan")
    );

    // 李娜 applies directly; a retry with the same key gets the same answer.
    let li = app.signed_in("13800000002").await;
    let send = || {
        li.raw(Method::POST, "/api/loans")
            .header("X-Requested-With", "unioncard")
            .header("Idempotency-Key", "loan-tap-1")
            .json(&noodle_shop(80_000))
            .send()
    };
    let (x, y) = tokio::join!(send(), send());
    let x = Client::answer(x.unwrap()).await;
    let y = Client::answer(y.unwrap()).await;
    assert_eq!(x.status, StatusCode::CREATED, "{}", x.body);
    assert_eq!(x.body["status"], "submitted");
    assert_eq!(y.body["id"], x.body["id"], "{}", y.body);
    let mine = li.get("/api/me/loans").await;
    assert_eq!(mine.body["items"].as_array().unwrap().len(), 1);
    // A document on her application; nobody else's to read.
    let loan = x.body["id"].as_i64().unwrap();
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(b"%PDF-1.4 business licence".to_vec())
            .file_name("licence.pdf"),
    );
    let doc = Client::answer(
        li.raw(Method::POST, &format!("/api/loans/{loan}/documents"))
            .header("X-Requested-With", "unioncard")
            .multipart(form)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(doc.status, StatusCode::CREATED, "{}", doc.body);
    let url = doc.body["url"].as_str().unwrap();
    assert_eq!(li.get(url).await.status, StatusCode::OK);
    assert_eq!(zhang.get(url).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        zhang.get(&format!("/api/loans/{loan}")).await.status,
        StatusCode::NOT_FOUND
    );
}
both_databases!(an_application_is_saved_step_by_step_and_sent_once);

async fn decide(who: &Client, id: i64, body: Value) -> crate::support::Answer {
    who.post(&format!("/api/staff/loans/{id}/decision"), body)
        .await
}

fn statuses(loan: &Value) -> Vec<String> {
    loan["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["status"].as_str().unwrap().to_string())
        .collect()
}

async fn the_pipeline_moves_one_stage_at_a_time_with_who_when_and_why(app: &TestApp) {
    let zhang = app.signed_in("13800000001").await;
    let applied = zhang.post("/api/loans", noodle_shop(50_000)).await;
    let id = applied.body["id"].as_i64().unwrap();
    // 张伟's workplace is not under the 武昌区 officer: not there at all.
    let wuchang = app.signed_in("13700000002").await;
    let out = decide(&wuchang, id, json!({"decision": "approve", "note": "可行"})).await;
    assert_eq!(out.status, StatusCode::NOT_FOUND);
    assert_eq!(
        wuchang.get(&format!("/api/loans/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
    let listed = wuchang.get("/api/staff/loans?status=submitted").await;
    assert!(!listed.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|l| l["id"] == id));
    // The city officer: the queue, then each stage with its note.
    let city = app.signed_in("13700000001").await;
    let queue = city.get("/api/staff/loans?status=submitted").await;
    assert!(queue.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|l| l["id"] == id && l["applicant"] == "张伟"));
    let schedule_early = zhang.get(&format!("/api/loans/{id}/schedule")).await;
    assert_eq!(schedule_early.status, StatusCode::CONFLICT);
    let no_note = decide(&city, id, json!({"decision": "approve"})).await;
    assert_eq!(no_note.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(no_note.body["error"]["fields"]["note"].is_string());
    let step = decide(
        &city,
        id,
        json!({"decision": "approve", "note": "已上门查看，客源稳定"}),
    )
    .await;
    assert_eq!(step.body["status"], "union_approved", "{}", step.body);
    let quota_before = quota_used(&city, applied.body["county"].as_str().unwrap()).await;
    assert_eq!(
        decide(&city, id, json!({"decision": "reject"}))
            .await
            .status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let guaranteed = decide(&city, id, json!({"decision": "approve"})).await;
    assert_eq!(guaranteed.body["status"], "guaranteed");
    let quota_after = quota_used(&city, applied.body["county"].as_str().unwrap()).await;
    assert_eq!(quota_after - quota_before, 5_000_000);
    let disbursed = decide(&city, id, json!({"decision": "approve"})).await;
    assert_eq!(disbursed.body["status"], "disbursed");
    assert!(disbursed.body["disbursed_on"].is_string());
    // Paid out: no more rejecting; the schedule exists; follow-up notes.
    let late_reject = decide(&city, id, json!({"decision": "reject", "note": "改主意"})).await;
    assert_eq!(
        (late_reject.status, late_reject.code()),
        (StatusCode::CONFLICT, "illegal_transition")
    );
    let schedule = zhang.get(&format!("/api/loans/{id}/schedule")).await;
    assert_eq!(schedule.status, StatusCode::OK, "{}", schedule.body);
    let rows = schedule.body["installments"].as_array().unwrap();
    assert_eq!(rows.len(), 24);
    let principal: i64 = rows
        .iter()
        .map(|r| r["principal_fen"].as_i64().unwrap())
        .sum();
    assert_eq!(principal, 5_000_000);
    assert!(schedule.body["total_subsidy_fen"].as_i64().unwrap() > 0);
    let li = app.signed_in("13800000002").await;
    assert_eq!(
        li.get(&format!("/api/loans/{id}/schedule")).await.status,
        StatusCode::NOT_FOUND
    );
    let noted = city
        .post(
            &format!("/api/staff/loans/{id}/notes"),
            json!({"note": "回访：已开业，生意不错"}),
        )
        .await;
    assert_eq!(noted.status, StatusCode::OK, "{}", noted.body);
    assert_eq!(
        decide(&city, id, json!({"decision": "approve"})).await.body["status"],
        "repaying"
    );
    assert_eq!(
        decide(&city, id, json!({"decision": "approve"})).await.body["status"],
        "closed"
    );
    let after = decide(&city, id, json!({"decision": "approve"})).await;
    assert_eq!(after.status, StatusCode::CONFLICT);
    // 张伟 sees every step with who and when, and what happens next.
    let seen = zhang.get(&format!("/api/loans/{id}")).await;
    assert_eq!(
        statuses(&seen.body),
        vec![
            "submitted",
            "union_approved",
            "guaranteed",
            "disbursed",
            "disbursed",
            "repaying",
            "closed"
        ]
    );
    assert_eq!(seen.body["timeline"][1]["note"], "已上门查看，客源稳定");
    assert!(!seen.body["timeline"][1]["by"].as_str().unwrap().is_empty());
    assert!(seen.body["next_step"].as_str().unwrap().contains("结清"));
    let audited: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE target = $1 AND action LIKE 'loan.%'",
    )
    .bind(format!("loan:{id}"))
    .fetch_one(app.state.db.read())
    .await
    .unwrap();
    assert_eq!(audited, 7, "submit, five stages, a follow-up");
}
both_databases!(the_pipeline_moves_one_stage_at_a_time_with_who_when_and_why);

async fn quota_used(officer: &Client, county: &str) -> i64 {
    let q = officer.get("/api/staff/loans/quota").await;
    q.body
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["county"] == county)
        .map(|c| c["used_fen"].as_i64().unwrap())
        .unwrap_or_else(|| panic!("no quota for {county}: {}", q.body))
}

async fn the_county_quota_is_checked_when_the_guarantee_is_given(app: &TestApp) {
    let zhang = app.signed_in("13800000001").await;
    let applied = zhang.post("/api/loans", noodle_shop(50_000)).await;
    let id = applied.body["id"].as_i64().unwrap();
    let city = app.signed_in("13700000001").await;
    let path = format!("/api/staff/loans/{id}/decision");
    city.post(&path, json!({"decision": "approve", "note": "可行"}))
        .await;
    // The county has ¥10,000 left this year.
    let county: i64 = sqlx::query_scalar("SELECT county_id FROM loan_applications WHERE id = $1")
        .bind(id)
        .fetch_one(app.state.db.read())
        .await
        .unwrap();
    let year = unioncard_api::identity::Date::from_days(
        (std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64
            + 8 * 3600)
            .div_euclid(86_400),
    )
    .year as i64;
    sqlx::query("DELETE FROM loan_quotas WHERE county_id = $1 AND year = $2")
        .bind(county)
        .bind(year)
        .execute(app.state.db.write())
        .await
        .unwrap();
    sqlx::query("INSERT INTO loan_quotas (county_id, year, quota_fen, used_fen) VALUES ($1, $2, 130000000, 129000000)")
        .bind(county)
        .bind(year)
        .execute(app.state.db.write())
        .await
        .unwrap();
    let refused = city.post(&path, json!({"decision": "approve"})).await;
    assert_eq!(
        (refused.status, refused.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "county_quota_exceeded")
    );
    let still = city.get(&format!("/api/loans/{id}")).await;
    assert_eq!(still.body["status"], "union_approved");
    assert_eq!(
        quota_used(&city, applied.body["county"].as_str().unwrap()).await,
        129_000_000
    );
}
both_databases!(the_county_quota_is_checked_when_the_guarantee_is_given);

async fn the_demo_holds_applications_in_every_stage(app: &TestApp) {
    let city = app.signed_in("13700000001").await;
    for status in [
        "submitted",
        "union_approved",
        "guaranteed",
        "disbursed",
        "repaying",
        "closed",
        "rejected",
    ] {
        let q = city.get(&format!("/api/staff/loans?status={status}")).await;
        let items = q.body["items"].as_array().unwrap();
        assert!(!items.is_empty(), "no demo loan {status}");
        assert!(items.iter().all(|l| l["status"] == status));
    }
    assert_eq!(
        city.get("/api/staff/loans?status=draft").await.status,
        StatusCode::BAD_REQUEST
    );
    // 张伟 and 李娜 start with none.
    for phone in ["13800000001", "13800000002"] {
        let mine = app.signed_in(phone).await.get("/api/me/loans").await;
        assert_eq!(mine.body["items"].as_array().unwrap().len(), 0);
    }
}
both_databases!(the_demo_holds_applications_in_every_stage);
