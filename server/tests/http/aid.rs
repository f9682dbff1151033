//! Mutual medical aid: the estimator, enrolment, claims and their dates,
//! documents, officer review, the yearly cap.

use reqwest::{Method, StatusCode};
use unioncard_api::aid::{
    Bill, ClaimInput, ClaimStatus, ClaimView, Contribution, ContributionGroup,
    ContributionsRecorded, DocumentView, EnrolmentView, EstimateRequest, HospitalGrade, PlanView,
    RecordContributions,
};
use unioncard_api::identity::Date;
use unioncard_api::join::{Decision, Page};

use crate::both_databases;
use crate::fixtures::{
    approve, as_draft, bill, day, decision, districts, hospital_stay as stay, li_na_cover,
    officer_at, today,
};
use crate::support::{Client, TestApp};

/// The demo plan of a name.
async fn plan(app: &TestApp, name: &str) -> PlanView {
    app.client()
        .aid_plans()
        .await
        .into_iter()
        .find(|p| p.name == name)
        .unwrap_or_else(|| panic!("no plan {name}"))
}

/// An officer of a district union other than 武昌区 (李娜's).
async fn other_district_officer(app: &TestApp) -> Client {
    let union = districts(app)
        .await
        .into_iter()
        .filter(|u| u.name != "武汉市武昌区总工会")
        .map(|u| u.id)
        .min()
        .expect("another district");
    officer_at(app, union, "13700000099", "外区干部").await
}

async fn anyone_estimates_a_payout_step_by_step(app: &TestApp) {
    let anon = app.client();
    let hospital = plan(app, "职工住院医疗互助").await;
    let ask = |bill: Bill| EstimateRequest {
        plan_id: hospital.id,
        bill,
    };
    let e = anon
        .estimate(&ask(Bill {
            hospital_grade: Some(HospitalGrade::Tertiary),
            stay_number: 1,
            hospital_days: 8,
            total_cost_fen: 2_000_000,
            insurance_paid_fen: 1_150_000,
            self_pay_fen: 850_000,
            disease_group: None,
        }))
        .await
        .expect(StatusCode::OK);
    assert_eq!(e.payout_fen, 560_000);
    let labels: Vec<&str> = e.steps.iter().map(|s| s.label.as_str()).collect();
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
        .estimate(&ask(Bill {
            stay_number: 2,
            total_cost_fen: 2_000_000,
            insurance_paid_fen: 1_150_000,
            self_pay_fen: 850_000,
            ..bill()
        }))
        .await;
    assert_eq!(second.body().payout_fen, 320_000);
    // Flat sums need the grade; fixed sums the disease group.
    let flat = plan(app, "住院定额补助").await;
    let no_grade = anon
        .estimate(&EstimateRequest {
            plan_id: flat.id,
            bill: bill(),
        })
        .await;
    assert_eq!(no_grade.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(no_grade.field("hospital_grade").is_some());
    let women = plan(app, "女职工特殊疾病互助").await;
    let group = anon
        .estimate(&EstimateRequest {
            plan_id: women.id,
            bill: Bill {
                disease_group: Some("group2".into()),
                ..bill()
            },
        })
        .await;
    assert_eq!(group.body().payout_fen, 300_000);
    // Parts above the total, an unknown plan, malformed JSON.
    let parts = anon
        .estimate(&ask(Bill {
            total_cost_fen: 100,
            insurance_paid_fen: 80,
            self_pay_fen: 80,
            ..bill()
        }))
        .await;
    assert_eq!(parts.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(parts.field("self_pay_fen").is_some());
    let unknown = anon
        .estimate(&EstimateRequest {
            plan_id: 999_999,
            bill: bill(),
        })
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
    let listed = zhang.aid_plans().await;
    let for_him = listed
        .iter()
        .find(|p| p.id == women.id)
        .unwrap()
        .you
        .clone()
        .expect("what the plan means for him");
    assert!(!for_him.can_enrol);
    assert_eq!(for_him.reasons[0].code, "gender");
    assert_eq!(for_him.reasons[0].message, "本计划仅限女职工参加");
    let refused = zhang.enrol(women.id).await;
    assert_eq!(
        (refused.status, refused.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "gender")
    );
    assert!(refused.message().contains("仅限女职工"));
    let none = zhang.my_cover().await;
    assert_eq!(none.len(), 0);

    // 李娜 holds the hospital-stay plan only; she may join the women's plan once.
    let li = app.signed_in("13800000002").await;
    let cover = li_na_cover(&li).await;
    assert_eq!(cover.plan_id, hospital.id);
    assert!(cover.cover_from.as_str() <= day(0).as_str());
    assert!(cover.cover_to.as_str() >= day(0).as_str());
    assert!(cover.waiting_ends_on.as_str() <= day(0).as_str());
    assert_eq!(cover.claims.len(), 0);
    let again = li.enrol(hospital.id).await;
    assert_eq!(
        (again.status, again.code()),
        (StatusCode::CONFLICT, "already_enrolled")
    );
    let joined = li.enrol(women.id).await.expect(StatusCode::CREATED);
    assert_eq!(joined.cover_from, day(1));
    assert_eq!(joined.waiting_ends_on, day(181));
    assert!(joined.certificate_no.starts_with("HZ"));
    assert_eq!(joined.member_pays_fen, 2_500);
    let twice = li.enrol(women.id).await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
    assert_eq!(li.my_cover().await.len(), 2);
    // The certificate is hers alone; enrolling needs a member.
    let id = joined.id;
    assert_eq!(
        li.get(&format!("/api/aid/enrolments/{id}")).await.status,
        StatusCode::OK
    );
    assert_eq!(
        zhang.get(&format!("/api/aid/enrolments/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
    let officer = app.signed_in("13700000001").await;
    let o = officer.enrol(women.id).await;
    assert_eq!(o.status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.client().enrol(women.id).await.status,
        StatusCode::UNAUTHORIZED
    );
}
both_databases!(enrolment_says_who_may_join_and_why_not);

async fn claims_must_fall_in_cover_after_waiting_and_before_the_deadline(app: &TestApp) {
    let li = app.signed_in("13800000002").await;
    let cover = li_na_cover(&li).await;
    let enrolment = cover.id;
    let from = Date::parse_iso(&cover.cover_from).unwrap();
    let with_dates = |admitted: Date, discharged: Date| ClaimInput {
        admitted_on: admitted.iso(),
        discharged_on: discharged.iso(),
        ..stay(enrolment, 8_500)
    };
    let before = li
        .file_claim(&with_dates(from.add_days(-5), from.add_days(-1)))
        .await;
    assert_eq!(
        (before.status, before.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "outside_cover")
    );
    // A draft for such a stay is refused as well, not kept with an estimate.
    let draft = li
        .file_claim(&ClaimInput {
            draft: true,
            ..with_dates(from.add_days(-5), from.add_days(-1))
        })
        .await;
    assert_eq!(
        (draft.status, draft.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "outside_cover")
    );
    let waiting = li
        .file_claim(&with_dates(from.add_days(10), from.add_days(15)))
        .await;
    assert_eq!(waiting.code(), "waiting_period");
    assert!(waiting.message().contains("等待期"));
    let late = li
        .file_claim(&with_dates(from.add_days(100), from.add_days(105)))
        .await;
    assert_eq!(late.code(), "past_deadline");
    let backwards = li
        .file_claim(&with_dates(today(), today().add_days(-3)))
        .await;
    assert_eq!(backwards.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(backwards.field("discharged_on").is_some());
    let no_hospital = li
        .file_claim(&ClaimInput {
            enrolment_id: enrolment,
            admitted_on: day(-3),
            discharged_on: day(-1),
            hospital_name: " ".into(),
            bill: bill(),
            draft: false,
        })
        .await;
    assert!(no_hospital.field("hospital_name").is_some());
    // Nothing was filed by any of those.
    assert_eq!(li_na_cover(&li).await.claims.len(), 0);

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
    let (a, b): (ClaimView, ClaimView) = (a.parse(), b.parse());
    assert_eq!(b.id, a.id, "{b:?}");
    assert_eq!(a.status, ClaimStatus::Submitted);
    assert_eq!(a.payout_fen, 560_000);
    assert_eq!(a.timeline[0].status, ClaimStatus::Submitted);
    assert_eq!(li_na_cover(&li).await.claims.len(), 1);
    // Someone else's cover is not there for 张伟.
    let zhang = app.signed_in("13800000001").await;
    let theirs = zhang.file_claim(&stay(enrolment, 100)).await;
    assert_eq!(theirs.status, StatusCode::NOT_FOUND);
    let id = a.id;
    assert_eq!(zhang.claim(id).await.status, StatusCode::NOT_FOUND);
    let stranger = app.client();
    assert_eq!(stranger.claim(id).await.status, StatusCode::UNAUTHORIZED);
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
    let enrolment = li_na_cover(&li).await.id;
    let mut body = as_draft(stay(enrolment, 3_000));
    let draft = li.file_claim(&body).await.expect(StatusCode::CREATED);
    assert_eq!(draft.status, ClaimStatus::Draft);
    let id = draft.id;
    // Finished another day: the bill corrected.
    body.bill.total_cost_fen = 1_000_000;
    body.bill.self_pay_fen = 400_000;
    let saved = li.save_claim(id, &body).await.expect(StatusCode::OK);
    assert_eq!(saved.bill.self_pay_fen, 400_000);
    assert_eq!(saved.status, ClaimStatus::Draft);

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
    let doc: DocumentView = doc.parse();
    assert_eq!(doc.mime, "application/pdf");
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend_from_slice(b"photo of the receipt");
    let photo = Client::answer(upload(&li, id, png, "IMG_0001.png").send().await.unwrap()).await;
    assert_eq!(photo.status, StatusCode::CREATED);
    let url = doc.url.clone();
    let own = li.raw(Method::GET, &url).send().await.unwrap();
    assert_eq!(own.headers()["content-type"], "application/pdf");
    assert_eq!(own.bytes().await.unwrap().as_ref(), pdf.as_slice());
    // A wrong photo can be taken away while the claim is a draft.
    let photo_id = photo.parse::<DocumentView>().id;
    let removed = li
        .delete(&format!("/api/aid/claims/{id}/documents/{photo_id}"))
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
    let sent = li.submit_claim(id).await.expect(StatusCode::OK);
    assert_eq!(sent.status, ClaimStatus::Submitted);
    assert_eq!(sent.documents.len(), 1);
    assert_eq!(statuses(&sent), vec!["draft", "submitted"]);
    // Sent: no more edits, no second send.
    let edit = li.save_claim(id, &stay(enrolment, 1)).await;
    assert_eq!(edit.status, StatusCode::CONFLICT);
    let resend = li.submit_claim(id).await;
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

fn statuses(claim: &ClaimView) -> Vec<&'static str> {
    claim.timeline.iter().map(|t| t.status.as_str()).collect()
}

async fn officers_review_claims_of_their_unions_through_every_status(app: &TestApp) {
    let li = app.signed_in("13800000002").await;
    let enrolment = li_na_cover(&li).await.id;
    let filed = li.file_claim(&stay(enrolment, 8_500)).await;
    let id = filed.body().id;

    // The queue: the district officer over 李娜 sees it, oldest first.
    let wuchang = app.signed_in("13700000002").await;
    let q = wuchang.claim_queue("limit=100").await;
    assert_eq!(q.status, StatusCode::OK, "{}", q.answer.body);
    let items = &q.body().items;
    assert!(items.iter().any(|c| c.id == id));
    let ids: Vec<i64> = items.iter().map(|c| c.id).collect();
    assert_eq!(ids.last(), Some(&id), "the newest claim comes last");
    let mine = items.iter().find(|c| c.id == id).unwrap();
    assert_eq!(mine.member.as_ref().expect("the member").name, "李娜");
    assert_eq!(mine.estimate.payout_fen, 560_000);
    // Another district's officer neither lists nor opens it; members are refused.
    let outsider = other_district_officer(app).await;
    let theirs = outsider.claim_queue("limit=100").await;
    assert!(!theirs.body().items.iter().any(|c| c.id == id));
    assert_eq!(
        outsider
            .get(&format!("/api/staff/aid/claims/{id}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        outsider.decide_claim(id, &approve()).await.status,
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
    let decide = |d: Decision| {
        let wuchang = &wuchang;
        async move { wuchang.decide_claim(id, &d).await }
    };
    let review = wuchang.claim_step(id, "review").await;
    assert_eq!(
        review.body().status,
        ClaimStatus::UnderReview,
        "{}",
        review.answer.body
    );
    let twice = wuchang.claim_step(id, "review").await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
    let no_note = decide(decision("request_documents", "")).await;
    assert_eq!(no_note.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(no_note.field("note").is_some());
    let asked = decide(decision("request_documents", "请补充出院小结")).await;
    assert_eq!(asked.body().status, ClaimStatus::DocumentsRequested);

    // 李娜 sees what is needed, adds it and sends the claim back.
    let seen = li.claim(id).await;
    assert_eq!(seen.body().status, ClaimStatus::DocumentsRequested);
    assert_eq!(
        seen.body().timeline[2].note.as_deref(),
        Some("请补充出院小结")
    );
    let mut jpeg = vec![0xFF, 0xD8, 0xFF, 0xE0];
    jpeg.extend_from_slice(b"discharge summary");
    let added = Client::answer(upload(&li, id, jpeg, "xiaojie.jpg").send().await.unwrap()).await;
    assert_eq!(added.status, StatusCode::CREATED);
    let back = li.submit_claim(id).await;
    assert_eq!(
        back.body().status,
        ClaimStatus::Submitted,
        "{}",
        back.answer.body
    );

    // Approve: a different amount needs a note; the default is the estimate.
    let odd = decide(Decision {
        amount_fen: Some(500_000),
        ..approve()
    })
    .await;
    assert_eq!(odd.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(odd.field("note").is_some());
    let approved = decide(approve()).await.expect(StatusCode::OK);
    assert_eq!(approved.status, ClaimStatus::Approved);
    assert_eq!(approved.approved_fen, Some(560_000));
    let again = decide(decision("reject", "改主意")).await;
    assert_eq!(
        (again.status, again.code()),
        (StatusCode::CONFLICT, "already_decided")
    );
    let paid = wuchang.claim_step(id, "paid").await;
    assert_eq!(paid.body().status, ClaimStatus::Paid);
    let paid_twice = wuchang.claim_step(id, "paid").await;
    assert_eq!(paid_twice.status, StatusCode::CONFLICT);

    let final_view = li.claim(id).await.into_body();
    assert_eq!(final_view.payout_fen, 560_000);
    assert_eq!(
        statuses(&final_view),
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
    assert_eq!(cover.used_fen, 560_000);
    assert_eq!(cover.left_fen, Some(3_000_000 - 560_000));

    // Rejecting needs a reason; every decision is in the audit log.
    let other = li.file_claim(&stay(enrolment, 2_000)).await;
    let other_id = other.body().id;
    let bare = wuchang
        .decide_claim(other_id, &decision("reject", ""))
        .await;
    assert_eq!(bare.status, StatusCode::UNPROCESSABLE_ENTITY);
    let rejected = wuchang
        .decide_claim(other_id, &decision("reject", "非住院治疗"))
        .await;
    assert_eq!(rejected.body().status, ClaimStatus::Rejected);
    assert_eq!(
        li.claim(other_id).await.body().timeline[1].note.as_deref(),
        Some("非住院治疗")
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
    let enrolment = li_na_cover(&li).await.id;
    let wuchang = app.signed_in("13700000002").await;
    // First stay: 70% of ¥50,000 = ¥35,000, the first stay's cap ¥20,000.
    let first = li.file_claim(&stay(enrolment, 50_500)).await;
    assert_eq!(first.body().payout_fen, 2_000_000, "{}", first.answer.body);
    wuchang.decide_claim(first.body().id, &approve()).await;
    // Second stay: 40%, its own cap ¥10,000, and ¥10,000 left of the year's ¥30,000.
    let second = li.file_claim(&stay(enrolment, 30_500)).await.into_body();
    assert_eq!(second.bill.stay_number, 2);
    assert_eq!(second.payout_fen, 1_000_000);
    // Two more claims approved at the same moment by two officers: together
    // they may not pass what is left of the cap.
    let third = li.file_claim(&stay(enrolment, 30_500)).await.into_body();
    let fourth = li.file_claim(&stay(enrolment, 30_500)).await.into_body();
    let city = app.signed_in("13700000001").await;
    let yes = approve();
    let (a, b, c) = tokio::join!(
        wuchang.decide_claim(second.id, &yes),
        wuchang.decide_claim(third.id, &yes),
        city.decide_claim(fourth.id, &yes),
    );
    let granted: i64 = [&a, &b, &c]
        .iter()
        .filter(|r| r.status == StatusCode::OK)
        .map(|r| r.body().approved_fen.expect("an amount"))
        .sum();
    for r in [&a, &b, &c] {
        assert!(
            r.status == StatusCode::OK || r.code() == "over_yearly_cap",
            "{}",
            r.answer.body
        );
    }
    assert_eq!(granted, 1_000_000, "exactly what was left of the cap");
    let cover = li_na_cover(&li).await;
    assert_eq!(cover.used_fen, 3_000_000);
    assert_eq!(cover.left_fen, Some(0));
    // With the cap spent, a new claim estimates nothing and an amount is refused.
    let fifth = li.file_claim(&stay(enrolment, 10_000)).await.into_body();
    assert_eq!(fifth.payout_fen, 0);
    let over = wuchang
        .decide_claim(
            fifth.id,
            &Decision {
                amount_fen: Some(100),
                ..decision("approve", "酌情")
            },
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
        let q = city.claim_queue(&format!("status={status}&limit=5")).await;
        let items = &q.body().items;
        assert!(!items.is_empty(), "no demo claim {status}");
        assert!(items.iter().all(|c| c.status.as_str() == status));
        assert_eq!(items[0].documents.len(), 1);
    }
    let drafts: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM aid_claims WHERE status = 'draft'")
        .fetch_one(app.state.db.read())
        .await
        .unwrap();
    assert!(drafts > 0);
    // A demo document opens for the officer.
    let q = city.claim_queue("limit=1").await.into_body();
    let url = q.items[0].documents[0].url.clone();
    let doc = city.raw(Method::GET, &url).send().await.unwrap();
    assert_eq!(doc.status(), StatusCode::OK);
    assert!(doc.bytes().await.unwrap().starts_with(b"%PDF-"));
    // Paging the queue: two pages of one hold different claims.
    let p1 = city.claim_queue("limit=1").await.into_body();
    let cursor = p1.next_cursor.clone().expect("a next page");
    let p2 = city
        .claim_queue(&format!("limit=1&cursor={cursor}"))
        .await
        .into_body();
    assert_ne!(p1.items[0].id, p2.items[0].id);
}
both_databases!(the_demo_holds_claims_in_every_status);

async fn plans_read_in_english_where_the_officer_wrote_english(app: &TestApp) {
    let plans = app
        .client()
        .raw(reqwest::Method::GET, "/api/aid/plans")
        .header("Accept-Language", "en")
        .send()
        .await
        .unwrap()
        .json::<unioncard_api::join::Page<PlanView>>()
        .await
        .unwrap();
    let names: Vec<&str> = plans.items.iter().map(|p| p.name.as_str()).collect();
    assert!(
        names.contains(&"Workers' hospital-stay mutual aid"),
        "{names:?}"
    );
    assert!(
        plans.items.iter().all(|p| p.summary.is_ascii()),
        "every demo summary in English"
    );
    // Chinese by default.
    let zh = app.client().aid_plans().await;
    assert!(zh.iter().any(|p| p.name == "职工住院医疗互助"));
    // Her cover (and certificate) names the plan in her language too.
    let li = app.signed_in("13800000002").await;
    let cover = li
        .raw(reqwest::Method::GET, "/api/me/aid/enrolments")
        .header("Accept-Language", "en")
        .send()
        .await
        .unwrap()
        .json::<unioncard_api::join::Page<unioncard_api::aid::EnrolmentView>>()
        .await
        .unwrap();
    assert_eq!(
        cover.items[0].plan_name,
        "Workers' hospital-stay mutual aid"
    );
}
both_databases!(plans_read_in_english_where_the_officer_wrote_english);

async fn workplace_unions_record_contributions_exactly_once(app: &TestApp) {
    let women = plan(app, "女职工特殊疾病互助").await;
    let li = app.signed_in("13800000002").await;
    // Her demo cover was paid by her union before the term began.
    let held = li_na_cover(&li).await;
    assert_eq!(held.contribution, Contribution::Paid);
    assert!(held.contribution_paid_on.is_some());
    let joined = li.enrol(women.id).await.expect(StatusCode::CREATED);
    assert_eq!(joined.contribution, Contribution::Due);
    assert_eq!(joined.contribution_paid_on, None);
    let union = li.me().await.into_body().union.expect("her union").id;
    let workplace = officer_at(app, union, "13700000088", "单位工会干部").await;
    let due = |c: Page<ContributionGroup>| {
        c.items
            .into_iter()
            .find(|g| g.plan_id == women.id && g.union_id == union)
    };
    let path = "/api/staff/aid/contributions";
    let group = due(workplace.get_as(path).await.expect(StatusCode::OK)).expect("her union owes");
    assert!(group.due_count >= 1);
    assert!(group.through_id >= joined.id);
    assert_eq!(group.contribution_fen, 2_500);
    assert_eq!(group.due_fen(), group.due_count * 2_500);
    // Another district's officer neither sees nor records it; members cannot.
    let outsider = other_district_officer(app).await;
    assert!(due(outsider.get_as(path).await.expect(StatusCode::OK)).is_none());
    assert_eq!(
        outsider.post(path, group.record()).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        li.post(path, group.record()).await.status,
        StatusCode::FORBIDDEN
    );
    // A sum that is not members × contribution, or fewer members than are
    // due (one joined after the list was read), changes nothing.
    let wrong_sum = RecordContributions {
        total_fen: group.due_fen() - 1,
        ..group.record()
    };
    let refused = workplace.post(path, &wrong_sum).await;
    assert_eq!(
        (refused.status, refused.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "contribution_total")
    );
    let fewer = RecordContributions {
        count: group.due_count - 1,
        total_fen: (group.due_count - 1) * 2_500,
        ..group.record()
    };
    if fewer.count > 0 {
        let stale = workplace.post(path, &fewer).await;
        assert_eq!(
            (stale.status, stale.code()),
            (StatusCode::CONFLICT, "contributions_changed")
        );
    }
    let still = li
        .get_as::<EnrolmentView>(&format!("/api/aid/enrolments/{}", joined.id))
        .await;
    assert_eq!(still.body().contribution, Contribution::Due);
    // Recorded: every one of them paid today, once; the second click is refused.
    let done: ContributionsRecorded = workplace
        .post_as(path, &group.record())
        .await
        .expect(StatusCode::OK);
    assert_eq!(
        (done.count, done.total_fen),
        (group.due_count, group.due_fen())
    );
    assert_eq!(done.paid_on, today().iso());
    let paid = li
        .get_as::<EnrolmentView>(&format!("/api/aid/enrolments/{}", joined.id))
        .await
        .expect(StatusCode::OK);
    assert_eq!(paid.contribution, Contribution::Paid);
    assert_eq!(paid.contribution_paid_on, Some(today().iso()));
    let again = workplace.post(path, group.record()).await;
    assert_eq!(
        (again.status, again.code()),
        (StatusCode::CONFLICT, "contributions_changed")
    );
    assert!(due(workplace.get_as(path).await.expect(StatusCode::OK)).is_none());
}
both_databases!(workplace_unions_record_contributions_exactly_once);
