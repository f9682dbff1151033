//! Mutual medical aid: the estimator, enrolment, claims and their dates,
//! documents, officer review, the yearly cap.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use unioncard_api::identity::Date;

use crate::both_databases;
use crate::fixtures::{day, hospital_stay as stay, li_na_cover, officer_at, today};
use crate::support::{Client, TestApp};

/// The id of the demo plan of a kind (the first of that kind).
async fn plan(app: &TestApp, name: &str) -> Value {
    let plans = app.client().get("/api/aid/plans").await;
    plans.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == name)
        .cloned()
        .unwrap_or_else(|| panic!("no plan {name}"))
}

/// An officer of a district union other than 武昌区 (李娜's).
async fn other_district_officer(app: &TestApp) -> Client {
    let union: i64 = sqlx::query_scalar(
        "SELECT id FROM unions WHERE level = 'district' AND name <> '武汉市武昌区总工会' ORDER BY id LIMIT 1",
    )
    .fetch_one(app.state.db.read())
    .await
    .unwrap();
    officer_at(app, union, "13700000099", "外区干部").await
}

async fn anyone_estimates_a_payout_step_by_step(app: &TestApp) {
    let anon = app.client();
    let hospital = plan(app, "职工住院医疗互助").await;
    let e = anon
        .post(
            "/api/aid/estimate",
            json!({"plan_id": hospital["id"], "hospital_grade": "tertiary", "stay_number": 1,
                   "hospital_days": 8, "total_cost_fen": 2_000_000, "insurance_paid_fen": 1_150_000,
                   "self_pay_fen": 850_000}),
        )
        .await;
    assert_eq!(e.status, StatusCode::OK, "{}", e.body);
    assert_eq!(e.body["payout_fen"], 560_000);
    let labels: Vec<&str> = e.body["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["label"].as_str().unwrap())
        .collect();
    assert_eq!(
        labels,
        vec![
            "自付部分 ¥8,500.00 − 起付线 ¥500.00",
            "¥8,000.00 × 70%（本年度第 1 次住院）",
            "预计互助金"
        ]
    );
    // A second stay pays 40%.
    let second = anon
        .post(
            "/api/aid/estimate",
            json!({"plan_id": hospital["id"], "stay_number": 2, "total_cost_fen": 2_000_000,
                   "insurance_paid_fen": 1_150_000, "self_pay_fen": 850_000}),
        )
        .await;
    assert_eq!(second.body["payout_fen"], 320_000);
    // Flat sums need the grade; fixed sums the disease group.
    let flat = plan(app, "住院定额补助").await;
    let no_grade = anon
        .post("/api/aid/estimate", json!({"plan_id": flat["id"]}))
        .await;
    assert_eq!(no_grade.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(no_grade.body["error"]["fields"]["hospital_grade"].is_string());
    let women = plan(app, "女职工特殊疾病互助").await;
    let group = anon
        .post(
            "/api/aid/estimate",
            json!({"plan_id": women["id"], "disease_group": "group2"}),
        )
        .await;
    assert_eq!(group.body["payout_fen"], 300_000);
    // Parts above the total, an unknown plan, malformed JSON.
    let parts = anon
        .post(
            "/api/aid/estimate",
            json!({"plan_id": hospital["id"], "total_cost_fen": 100, "insurance_paid_fen": 80, "self_pay_fen": 80}),
        )
        .await;
    assert_eq!(parts.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(parts.body["error"]["fields"]["self_pay_fen"].is_string());
    let unknown = anon
        .post("/api/aid/estimate", json!({"plan_id": 999_999}))
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    let bad = anon
        .raw(Method::POST, "/api/aid/estimate")
        .header("X-Requested-With", "unioncard")
        .header("content-type", "application/json")
        .body("{\"plan_id\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
}
both_databases!(anyone_estimates_a_payout_step_by_step);

async fn enrolment_says_who_may_join_and_why_not(app: &TestApp) {
    let women = plan(app, "女职工特殊疾病互助").await;
    let hospital = plan(app, "职工住院医疗互助").await;
    // 张伟 is a man (and his card is not active yet).
    let zhang = app.signed_in("13800000001").await;
    let listed = zhang.get("/api/aid/plans").await;
    let for_him = listed.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == women["id"])
        .unwrap()["you"]
        .clone();
    assert_eq!(for_him["can_enrol"], false);
    assert_eq!(for_him["reasons"][0]["code"], "gender");
    assert_eq!(for_him["reasons"][0]["message"], "本计划仅限女职工参加");
    let refused = zhang
        .post("/api/aid/enrolments", json!({"plan_id": women["id"]}))
        .await;
    assert_eq!(
        (refused.status, refused.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "gender")
    );
    assert!(refused.body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("仅限女职工"));
    let none = zhang.get("/api/me/aid/enrolments").await;
    assert_eq!(none.body["items"].as_array().unwrap().len(), 0);

    // 李娜 holds the hospital-stay plan only; she may join the women's plan once.
    let li = app.signed_in("13800000002").await;
    let cover = li_na_cover(&li).await;
    assert_eq!(cover["plan_id"], hospital["id"]);
    assert!(cover["cover_from"].as_str().unwrap() <= day(0).as_str());
    assert!(cover["cover_to"].as_str().unwrap() >= day(0).as_str());
    assert!(cover["waiting_ends_on"].as_str().unwrap() <= day(0).as_str());
    assert_eq!(cover["claims"].as_array().unwrap().len(), 0);
    let again = li
        .post("/api/aid/enrolments", json!({"plan_id": hospital["id"]}))
        .await;
    assert_eq!(
        (again.status, again.code()),
        (StatusCode::CONFLICT, "already_enrolled")
    );
    let joined = li
        .post("/api/aid/enrolments", json!({"plan_id": women["id"]}))
        .await;
    assert_eq!(joined.status, StatusCode::CREATED, "{}", joined.body);
    assert_eq!(joined.body["cover_from"], day(1));
    assert_eq!(joined.body["waiting_ends_on"], day(181));
    assert!(joined.body["certificate_no"]
        .as_str()
        .unwrap()
        .starts_with("HZ"));
    assert_eq!(joined.body["member_pays_fen"], 2_500);
    let twice = li
        .post("/api/aid/enrolments", json!({"plan_id": women["id"]}))
        .await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
    assert_eq!(
        li.get("/api/me/aid/enrolments").await.body["items"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    // The certificate is hers alone; enrolling needs a member.
    let id = joined.body["id"].as_i64().unwrap();
    assert_eq!(
        li.get(&format!("/api/aid/enrolments/{id}")).await.status,
        StatusCode::OK
    );
    assert_eq!(
        zhang.get(&format!("/api/aid/enrolments/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
    let officer = app.signed_in("13700000001").await;
    let o = officer
        .post("/api/aid/enrolments", json!({"plan_id": women["id"]}))
        .await;
    assert_eq!(o.status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.client()
            .post("/api/aid/enrolments", json!({"plan_id": women["id"]}))
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
}
both_databases!(enrolment_says_who_may_join_and_why_not);

async fn claims_must_fall_in_cover_after_waiting_and_before_the_deadline(app: &TestApp) {
    let li = app.signed_in("13800000002").await;
    let cover = li_na_cover(&li).await;
    let enrolment = cover["id"].as_i64().unwrap();
    let from = Date::parse_iso(cover["cover_from"].as_str().unwrap()).unwrap();
    let with_dates = |admitted: Date, discharged: Date| {
        let mut b = stay(enrolment, 8_500);
        b["admitted_on"] = json!(admitted.iso());
        b["discharged_on"] = json!(discharged.iso());
        b
    };
    let before = li
        .post(
            "/api/aid/claims",
            with_dates(from.add_days(-5), from.add_days(-1)),
        )
        .await;
    assert_eq!(
        (before.status, before.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "outside_cover")
    );
    let waiting = li
        .post(
            "/api/aid/claims",
            with_dates(from.add_days(10), from.add_days(15)),
        )
        .await;
    assert_eq!(waiting.code(), "waiting_period");
    assert!(waiting.body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("等待期"));
    let late = li
        .post(
            "/api/aid/claims",
            with_dates(from.add_days(100), from.add_days(105)),
        )
        .await;
    assert_eq!(late.code(), "past_deadline");
    let backwards = li
        .post("/api/aid/claims", with_dates(today(), today().add_days(-3)))
        .await;
    assert_eq!(backwards.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(backwards.body["error"]["fields"]["discharged_on"].is_string());
    let no_hospital = li
        .post(
            "/api/aid/claims",
            json!({"enrolment_id": enrolment, "admitted_on": day(-3), "discharged_on": day(-1), "hospital_name": " "}),
        )
        .await;
    assert!(no_hospital.body["error"]["fields"]["hospital_name"].is_string());
    // Nothing was filed by any of those.
    assert_eq!(
        li_na_cover(&li).await["claims"].as_array().unwrap().len(),
        0
    );

    // A good claim, sent twice with the same key (a double tap): one claim.
    let send = || {
        li.raw(Method::POST, "/api/aid/claims")
            .header("X-Requested-With", "unioncard")
            .header("Idempotency-Key", "claim-tap-1")
            .json(&stay(enrolment, 8_500))
            .send()
    };
    let (a, b) = tokio::join!(send(), send());
    let a = Client::answer(a.unwrap()).await;
    let b = Client::answer(b.unwrap()).await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
    assert_eq!(b.body["id"], a.body["id"], "{}", b.body);
    assert_eq!(a.body["status"], "submitted");
    assert_eq!(a.body["payout_fen"], 560_000);
    assert_eq!(a.body["timeline"][0]["status"], "submitted");
    assert_eq!(
        li_na_cover(&li).await["claims"].as_array().unwrap().len(),
        1
    );
    // Someone else's cover is not there for 张伟.
    let zhang = app.signed_in("13800000001").await;
    let theirs = zhang.post("/api/aid/claims", stay(enrolment, 100)).await;
    assert_eq!(theirs.status, StatusCode::NOT_FOUND);
    let id = a.body["id"].as_i64().unwrap();
    assert_eq!(
        zhang.get(&format!("/api/aid/claims/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
    let stranger = app.client();
    assert_eq!(
        stranger.get(&format!("/api/aid/claims/{id}")).await.status,
        StatusCode::UNAUTHORIZED
    );
}
both_databases!(claims_must_fall_in_cover_after_waiting_and_before_the_deadline);

fn upload(c: &Client, claim: i64, bytes: Vec<u8>, name: &str) -> reqwest::RequestBuilder {
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()),
    );
    c.raw(Method::POST, &format!("/api/aid/claims/{claim}/documents"))
        .header("X-Requested-With", "unioncard")
        .multipart(form)
}

async fn a_draft_is_finished_later_with_documents_only_its_people_see(app: &TestApp) {
    let li = app.signed_in("13800000002").await;
    let enrolment = li_na_cover(&li).await["id"].as_i64().unwrap();
    let mut body = stay(enrolment, 3_000);
    body["draft"] = json!(true);
    let draft = li.post("/api/aid/claims", body.clone()).await;
    assert_eq!(draft.status, StatusCode::CREATED, "{}", draft.body);
    assert_eq!(draft.body["status"], "draft");
    let id = draft.body["id"].as_i64().unwrap();
    // Finished another day: the bill corrected.
    body["total_cost_fen"] = json!(1_000_000);
    body["self_pay_fen"] = json!(400_000);
    let saved = li
        .send(Method::PUT, &format!("/api/aid/claims/{id}"), Some(body))
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    assert_eq!(saved.body["bill"]["self_pay_fen"], 400_000);
    assert_eq!(saved.body["status"], "draft");

    // Documents: checked by content, at most 10 MB.
    let fake = Client::answer(
        upload(&li, id, b"<html>no</html>".to_vec(), "bill.pdf")
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        (fake.status, fake.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "wrong_file_type")
    );
    let mut big = b"%PDF-1.4\n".to_vec();
    big.resize(10 * 1024 * 1024 + 1, b' ');
    let other_phone = app.signed_in("13800000002").await;
    let too_big = Client::answer(
        upload(&other_phone, id, big, "big.pdf")
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        (too_big.status, too_big.code()),
        (StatusCode::PAYLOAD_TOO_LARGE, "too_large")
    );
    let pdf = b"%PDF-1.4\nsettlement sheet".to_vec();
    let doc = Client::answer(
        upload(&li, id, pdf.clone(), "jiesuan.pdf")
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(doc.status, StatusCode::CREATED, "{}", doc.body);
    assert_eq!(doc.body["mime"], "application/pdf");
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend_from_slice(b"photo of the receipt");
    let photo = Client::answer(upload(&li, id, png, "IMG_0001.png").send().await.unwrap()).await;
    assert_eq!(photo.status, StatusCode::CREATED);
    let url = doc.body["url"].as_str().unwrap().to_string();
    let own = li.raw(Method::GET, &url).send().await.unwrap();
    assert_eq!(own.headers()["content-type"], "application/pdf");
    assert_eq!(own.bytes().await.unwrap().as_ref(), pdf.as_slice());
    // A wrong photo can be taken away while the claim is a draft.
    let photo_id = photo.body["id"].as_i64().unwrap();
    let removed = li
        .send(
            Method::DELETE,
            &format!("/api/aid/claims/{id}/documents/{photo_id}"),
            None,
        )
        .await;
    assert_eq!(removed.status, StatusCode::NO_CONTENT);

    // Officers do not see drafts.
    let wuchang = app.signed_in("13700000002").await;
    assert_eq!(
        wuchang
            .get(&format!("/api/staff/aid/claims/{id}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let sent = li
        .post(&format!("/api/aid/claims/{id}/submit"), json!({}))
        .await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
    assert_eq!(sent.body["status"], "submitted");
    assert_eq!(sent.body["documents"].as_array().unwrap().len(), 1);
    let timeline: Vec<&str> = sent.body["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["status"].as_str().unwrap())
        .collect();
    assert_eq!(timeline, vec!["draft", "submitted"]);
    // Sent: no more edits, no second send.
    let edit = li
        .send(
            Method::PUT,
            &format!("/api/aid/claims/{id}"),
            Some(stay(enrolment, 1)),
        )
        .await;
    assert_eq!(edit.status, StatusCode::CONFLICT);
    let resend = li
        .post(&format!("/api/aid/claims/{id}/submit"), json!({}))
        .await;
    assert_eq!(resend.status, StatusCode::CONFLICT);

    // The document: the member and officers over her union; nobody else.
    assert_eq!(wuchang.get(&url).await.status, StatusCode::OK);
    let outsider = other_district_officer(app).await;
    assert_eq!(outsider.get(&url).await.status, StatusCode::NOT_FOUND);
    let zhang = app.signed_in("13800000001").await;
    assert_eq!(zhang.get(&url).await.status, StatusCode::NOT_FOUND);
    let name: String =
        sqlx::query_scalar("SELECT file_name FROM aid_documents WHERE claim_id = $1")
            .bind(id)
            .fetch_one(app.state.db.read())
            .await
            .unwrap();
    assert!(name.len() >= 30 && !name.contains("jiesuan"));
    assert!(app.state.uploads.join(&name).exists());
}
both_databases!(a_draft_is_finished_later_with_documents_only_its_people_see);

fn statuses(claim: &Value) -> Vec<String> {
    claim["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["status"].as_str().unwrap().to_string())
        .collect()
}

async fn officers_review_claims_of_their_unions_through_every_status(app: &TestApp) {
    let li = app.signed_in("13800000002").await;
    let enrolment = li_na_cover(&li).await["id"].as_i64().unwrap();
    let filed = li.post("/api/aid/claims", stay(enrolment, 8_500)).await;
    let id = filed.body["id"].as_i64().unwrap();

    // The queue: the district officer over 李娜 sees it, oldest first.
    let wuchang = app.signed_in("13700000002").await;
    let q = wuchang.get("/api/staff/aid/claims?limit=100").await;
    assert_eq!(q.status, StatusCode::OK, "{}", q.body);
    let items = q.body["items"].as_array().unwrap();
    assert!(items.iter().any(|c| c["id"] == id));
    let ids: Vec<i64> = items.iter().map(|c| c["id"].as_i64().unwrap()).collect();
    assert_eq!(ids.last(), Some(&id), "the newest claim comes last");
    let mine = items.iter().find(|c| c["id"] == id).unwrap();
    assert_eq!(mine["member"]["name"], "李娜");
    assert_eq!(mine["estimate"]["payout_fen"], 560_000);
    // Another district's officer neither lists nor opens it; members are refused.
    let outsider = other_district_officer(app).await;
    let theirs = outsider.get("/api/staff/aid/claims?limit=100").await;
    assert!(!theirs.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["id"] == id));
    assert_eq!(
        outsider
            .get(&format!("/api/staff/aid/claims/{id}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        outsider
            .post(
                &format!("/api/staff/aid/claims/{id}/decision"),
                json!({"decision": "approve"})
            )
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        li.get("/api/staff/aid/claims").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        wuchang
            .get("/api/staff/aid/claims?status=bogus")
            .await
            .status,
        StatusCode::BAD_REQUEST
    );

    // Under review, then more documents asked for (a note is required).
    let decision_path = format!("/api/staff/aid/claims/{id}/decision");
    let decide = |body: Value| wuchang.post(&decision_path, body);
    let review = wuchang
        .post(&format!("/api/staff/aid/claims/{id}/review"), json!({}))
        .await;
    assert_eq!(review.body["status"], "under_review", "{}", review.body);
    let twice = wuchang
        .post(&format!("/api/staff/aid/claims/{id}/review"), json!({}))
        .await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
    let no_note = decide(json!({"decision": "request_documents"})).await;
    assert_eq!(no_note.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(no_note.body["error"]["fields"]["note"].is_string());
    let asked = decide(json!({"decision": "request_documents", "note": "请补充出院小结"})).await;
    assert_eq!(asked.body["status"], "documents_requested");

    // 李娜 sees what is needed, adds it and sends the claim back.
    let seen = li.get(&format!("/api/aid/claims/{id}")).await;
    assert_eq!(seen.body["status"], "documents_requested");
    assert_eq!(seen.body["timeline"][2]["note"], "请补充出院小结");
    let mut jpeg = vec![0xFF, 0xD8, 0xFF, 0xE0];
    jpeg.extend_from_slice(b"discharge summary");
    let added = Client::answer(upload(&li, id, jpeg, "xiaojie.jpg").send().await.unwrap()).await;
    assert_eq!(added.status, StatusCode::CREATED);
    let back = li
        .post(&format!("/api/aid/claims/{id}/submit"), json!({}))
        .await;
    assert_eq!(back.body["status"], "submitted", "{}", back.body);

    // Approve: a different amount needs a note; the default is the estimate.
    let odd = decide(json!({"decision": "approve", "amount_fen": 500_000})).await;
    assert_eq!(odd.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(odd.body["error"]["fields"]["note"].is_string());
    let approved = decide(json!({"decision": "approve"})).await;
    assert_eq!(approved.status, StatusCode::OK, "{}", approved.body);
    assert_eq!(approved.body["status"], "approved");
    assert_eq!(approved.body["approved_fen"], 560_000);
    let again = decide(json!({"decision": "reject", "note": "改主意"})).await;
    assert_eq!(
        (again.status, again.code()),
        (StatusCode::CONFLICT, "already_decided")
    );
    let paid = wuchang
        .post(&format!("/api/staff/aid/claims/{id}/paid"), json!({}))
        .await;
    assert_eq!(paid.body["status"], "paid");
    let paid_twice = wuchang
        .post(&format!("/api/staff/aid/claims/{id}/paid"), json!({}))
        .await;
    assert_eq!(paid_twice.status, StatusCode::CONFLICT);

    let final_view = li.get(&format!("/api/aid/claims/{id}")).await;
    assert_eq!(final_view.body["payout_fen"], 560_000);
    assert_eq!(
        statuses(&final_view.body),
        vec![
            "submitted",
            "under_review",
            "documents_requested",
            "submitted",
            "approved",
            "paid"
        ]
    );
    let cover = li_na_cover(&li).await;
    assert_eq!(cover["used_fen"], 560_000);
    assert_eq!(cover["left_fen"], 3_000_000 - 560_000);

    // Rejecting needs a reason; every decision is in the audit log.
    let other = li.post("/api/aid/claims", stay(enrolment, 2_000)).await;
    let other_id = other.body["id"].as_i64().unwrap();
    let path = format!("/api/staff/aid/claims/{other_id}/decision");
    let bare = wuchang.post(&path, json!({"decision": "reject"})).await;
    assert_eq!(bare.status, StatusCode::UNPROCESSABLE_ENTITY);
    let rejected = wuchang
        .post(&path, json!({"decision": "reject", "note": "非住院治疗"}))
        .await;
    assert_eq!(rejected.body["status"], "rejected");
    assert_eq!(
        li.get(&format!("/api/aid/claims/{other_id}")).await.body["timeline"][1]["note"],
        "非住院治疗"
    );
    let audited: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE target IN ($1, $2) AND action LIKE 'aid.claim.%'",
    )
    .bind(format!("aid_claim:{id}"))
    .bind(format!("aid_claim:{other_id}"))
    .fetch_one(app.state.db.read())
    .await
    .unwrap();
    // Filed twice, review, documents, resubmit, approve, paid, reject.
    assert_eq!(audited, 8);
}
both_databases!(officers_review_claims_of_their_unions_through_every_status);

async fn the_yearly_cap_holds_across_claims_and_simultaneous_approvals(app: &TestApp) {
    let li = app.signed_in("13800000002").await;
    let enrolment = li_na_cover(&li).await["id"].as_i64().unwrap();
    let wuchang = app.signed_in("13700000002").await;
    let path = |id: &Value| format!("/api/staff/aid/claims/{}/decision", id.as_i64().unwrap());
    let yes = || json!({"decision": "approve"});
    // First stay: 70% of ¥50,000 = ¥35,000, the first stay's cap ¥20,000.
    let first = li.post("/api/aid/claims", stay(enrolment, 50_500)).await;
    assert_eq!(first.body["payout_fen"], 2_000_000, "{}", first.body);
    wuchang.post(&path(&first.body["id"]), yes()).await;
    // Second stay: 40%, its own cap ¥10,000, and ¥10,000 left of the year's ¥30,000.
    let second = li.post("/api/aid/claims", stay(enrolment, 30_500)).await;
    assert_eq!(second.body["bill"]["stay_number"], 2);
    assert_eq!(second.body["payout_fen"], 1_000_000);
    // Two more claims approved at the same moment by two officers: together
    // they may not pass what is left of the cap.
    let third = li.post("/api/aid/claims", stay(enrolment, 30_500)).await;
    let fourth = li.post("/api/aid/claims", stay(enrolment, 30_500)).await;
    let city = app.signed_in("13700000001").await;
    let (p2, p3, p4) = (
        path(&second.body["id"]),
        path(&third.body["id"]),
        path(&fourth.body["id"]),
    );
    let (a, b, c) = tokio::join!(
        wuchang.post(&p2, yes()),
        wuchang.post(&p3, yes()),
        city.post(&p4, yes()),
    );
    let granted: i64 = [&a, &b, &c]
        .iter()
        .filter(|r| r.status == StatusCode::OK)
        .map(|r| r.body["approved_fen"].as_i64().unwrap())
        .sum();
    for r in [&a, &b, &c] {
        assert!(
            r.status == StatusCode::OK || r.code() == "over_yearly_cap",
            "{}",
            r.body
        );
    }
    assert_eq!(granted, 1_000_000, "exactly what was left of the cap");
    let cover = li_na_cover(&li).await;
    assert_eq!(cover["used_fen"], 3_000_000);
    assert_eq!(cover["left_fen"], 0);
    // With the cap spent, a new claim estimates nothing and an amount is refused.
    let fifth = li.post("/api/aid/claims", stay(enrolment, 10_000)).await;
    assert_eq!(fifth.body["payout_fen"], 0);
    let over = wuchang
        .post(
            &format!(
                "/api/staff/aid/claims/{}/decision",
                fifth.body["id"].as_i64().unwrap()
            ),
            json!({"decision": "approve", "amount_fen": 100, "note": "酌情"}),
        )
        .await;
    assert_eq!(
        (over.status, over.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "over_yearly_cap")
    );
}
both_databases!(the_yearly_cap_holds_across_claims_and_simultaneous_approvals);

async fn the_demo_holds_claims_in_every_status(app: &TestApp) {
    let city = app.signed_in("13700000001").await;
    for status in [
        "submitted",
        "under_review",
        "documents_requested",
        "approved",
        "rejected",
        "paid",
    ] {
        let q = city
            .get(&format!("/api/staff/aid/claims?status={status}&limit=5"))
            .await;
        let items = q.body["items"].as_array().unwrap();
        assert!(!items.is_empty(), "no demo claim {status}");
        assert!(items.iter().all(|c| c["status"] == status));
        assert_eq!(items[0]["documents"].as_array().unwrap().len(), 1);
    }
    let drafts: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM aid_claims WHERE status = 'draft'")
        .fetch_one(app.state.db.read())
        .await
        .unwrap();
    assert!(drafts > 0);
    // A demo document opens for the officer.
    let q = city.get("/api/staff/aid/claims?limit=1").await;
    let url = q.body["items"][0]["documents"][0]["url"]
        .as_str()
        .unwrap()
        .to_string();
    let doc = city.raw(Method::GET, &url).send().await.unwrap();
    assert_eq!(doc.status(), StatusCode::OK);
    assert!(doc.bytes().await.unwrap().starts_with(b"%PDF-"));
    // Paging the queue: two pages of one hold different claims.
    let p1 = city.get("/api/staff/aid/claims?limit=1").await;
    let cursor = p1.body["next_cursor"].as_str().unwrap().to_string();
    let p2 = city
        .get(&format!("/api/staff/aid/claims?limit=1&cursor={cursor}"))
        .await;
    assert_ne!(p1.body["items"][0]["id"], p2.body["items"][0]["id"]);
}
both_databases!(the_demo_holds_claims_in_every_status);
