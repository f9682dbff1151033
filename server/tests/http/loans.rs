//! Micro-loans: the pre-check, applying (drafts, once only), the pipeline
//! with notes and the county quota, the schedule, who may see what.

use reqwest::{Method, StatusCode};
use unioncard_api::aid::DocumentView;
use unioncard_api::loans::{
    BusinessKind, EmploymentStatus, LoanInput, LoanStatus, LoanView, Partner, QuotaView,
};

use crate::both_databases;
use crate::fixtures::{approve, as_draft, decision, noodle_shop};
use crate::support::{Client, Note, TestApp};

fn partner(name: &str, id_number: &str) -> Partner {
    Partner {
        name: name.into(),
        id_number: id_number.into(),
    }
}

async fn the_precheck_says_who_qualifies_and_for_how_much(app: &TestApp) {
    let zhang = app.signed_in("13800000001").await;
    let ok = zhang
        .loan_precheck(&noodle_shop(50_000).facts)
        .await
        .expect(StatusCode::OK);
    assert!(ok.eligible);
    assert_eq!(ok.max_amount_fen, 5_000_000);
    let over = zhang
        .loan_precheck(&noodle_shop(60_000).facts)
        .await
        .into_body();
    assert!(!over.eligible);
    assert_eq!(over.reasons, vec!["over_cap"]);
    assert!(over.messages[0].contains("¥50,000.00"));
    let mut employed = noodle_shop(10_000).facts;
    employed.employment_status = EmploymentStatus::Employed;
    employed.business_kind = BusinessKind::Other;
    let refused = zhang.loan_precheck(&employed).await;
    assert_eq!(
        refused.body().reasons,
        vec!["employment_status", "business_kind"]
    );
    // A partnership with 王芳 (a woman on the roster): 50,000 + 100,000.
    let mut partners = noodle_shop(150_000).facts;
    partners.partners = vec![partner("王芳", "420103199501010009")];
    let pair = zhang.loan_precheck(&partners).await;
    assert_eq!(
        pair.body().max_amount_fen,
        15_000_000,
        "{}",
        pair.answer.body
    );
    assert!(pair.body().eligible);
    // Someone with a valid ID number who is on no roster.
    partners.partners = vec![partner("赵六", "110101199003070011")];
    let stranger = zhang.loan_precheck(&partners).await;
    // (a man: 50,000 + 50,000, so the amount is over the cap as well)
    assert_eq!(
        stranger.body().reasons,
        vec!["over_cap", "partner_not_member"]
    );
    // 李娜 is a woman: 80,000.
    let li = app.signed_in("13800000002").await;
    let hers = li
        .loan_precheck(&noodle_shop(80_000).facts)
        .await
        .into_body();
    assert_eq!(hers.max_amount_fen, 8_000_000);
    assert!(hers.eligible);
    // Malformed answers, strangers, officers.
    let mut bad = noodle_shop(10_000).facts;
    bad.business_started_on = "2024-13-01".into();
    let bad = zhang.loan_precheck(&bad).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.field("business_started_on").is_some());
    assert_eq!(
        app.client()
            .loan_precheck(&noodle_shop(1).facts)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    let officer = app.signed_in("13700000001").await;
    assert_eq!(
        officer.loan_precheck(&noodle_shop(1).facts).await.status,
        StatusCode::FORBIDDEN
    );
}
both_databases!(the_precheck_says_who_qualifies_and_for_how_much);

async fn an_application_is_saved_step_by_step_and_sent_once(app: &TestApp) {
    let zhang = app.signed_in("13800000001").await;
    // Step one saved as a draft: the business is not described yet.
    let first = LoanInput {
        business_name: "".into(),
        purpose: "".into(),
        ..as_draft(noodle_shop(30_000))
    };
    let draft = zhang
        .apply_for_loan(&first)
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(draft.status, LoanStatus::Draft);
    let id = draft.id;
    // Sending it now says what is missing, next to the fields.
    let early = zhang.submit_loan(id).await;
    assert_eq!(early.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(early.field("business_name").is_some());
    assert!(early.field("purpose").is_some());
    // Another day: the rest, then sent twice at once (a double tap).
    let saved = zhang
        .save_loan(id, &noodle_shop(30_000))
        .await
        .expect(StatusCode::OK);
    assert_eq!(saved.input.business_name, "老张热干面");
    let (a, b) = tokio::join!(zhang.submit_loan(id), zhang.submit_loan(id));
    assert_eq!(a.body().status, LoanStatus::Submitted, "{}", a.answer.body);
    assert_eq!(b.body().status, LoanStatus::Submitted, "{}", b.answer.body);
    let sent: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM loan_events WHERE loan_id = $1 AND status = 'submitted'",
    )
    .bind(id)
    .fetch_one(app.state.db.read())
    .await
    .unwrap();
    assert_eq!(sent, 1);
    // No changes after sending; no second loan while this one is open.
    let late = zhang.save_loan(id, &noodle_shop(1)).await;
    assert_eq!(late.status, StatusCode::CONFLICT);
    let second = zhang.apply_for_loan(&noodle_shop(10_000)).await;
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
    let (x, y): (LoanView, LoanView) = (x.parse(), y.parse());
    assert_eq!(x.status, LoanStatus::Submitted);
    assert_eq!(y.id, x.id, "{y:?}");
    let mine = li.my_loans().await;
    assert_eq!(mine.len(), 1);
    // A document on her application; nobody else's to read.
    let loan = x.id;
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
    let url = doc.parse::<DocumentView>().url;
    assert_eq!(li.get(&url).await.status, StatusCode::OK);
    assert_eq!(zhang.get(&url).await.status, StatusCode::NOT_FOUND);
    assert_eq!(zhang.loan(loan).await.status, StatusCode::NOT_FOUND);
}
both_databases!(an_application_is_saved_step_by_step_and_sent_once);

fn statuses(loan: &LoanView) -> Vec<&'static str> {
    loan.timeline.iter().map(|t| t.status.as_str()).collect()
}

async fn the_pipeline_moves_one_stage_at_a_time_with_who_when_and_why(app: &TestApp) {
    let zhang = app.signed_in("13800000001").await;
    let applied = zhang.apply_for_loan(&noodle_shop(50_000)).await.into_body();
    let id = applied.id;
    // 张伟's workplace is not under the 武昌区 officer: not there at all.
    let wuchang = app.signed_in("13700000002").await;
    let out = wuchang.decide_loan(id, &decision("approve", "可行")).await;
    assert_eq!(out.status, StatusCode::NOT_FOUND);
    assert_eq!(wuchang.loan(id).await.status, StatusCode::NOT_FOUND);
    let listed = wuchang.loan_queue("status=submitted").await;
    assert!(!listed.body().items.iter().any(|l| l.id == id));
    // The city officer: the queue, then each stage with its note.
    let city = app.signed_in("13700000001").await;
    let queue = city.loan_queue("status=submitted").await;
    assert!(queue
        .body()
        .items
        .iter()
        .any(|l| l.id == id && l.applicant == "张伟"));
    let schedule_early = zhang.schedule(id).await;
    assert_eq!(schedule_early.status, StatusCode::CONFLICT);
    let no_note = city.decide_loan(id, &approve()).await;
    assert_eq!(no_note.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(no_note.field("note").is_some());
    let step = city
        .decide_loan(id, &decision("approve", "已上门查看，客源稳定"))
        .await;
    assert_eq!(
        step.body().status,
        LoanStatus::UnionApproved,
        "{}",
        step.answer.body
    );
    let quota_before = quota_used(&city, &applied.county).await;
    assert_eq!(
        city.decide_loan(id, &decision("reject", "")).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let guaranteed = city.decide_loan(id, &approve()).await;
    assert_eq!(guaranteed.body().status, LoanStatus::Guaranteed);
    let quota_after = quota_used(&city, &applied.county).await;
    assert_eq!(quota_after - quota_before, 5_000_000);
    let disbursed = city.decide_loan(id, &approve()).await.into_body();
    assert_eq!(disbursed.status, LoanStatus::Disbursed);
    assert!(disbursed.disbursed_on.is_some());
    // Paid out: no more rejecting; the schedule exists; follow-up notes.
    let late_reject = city.decide_loan(id, &decision("reject", "改主意")).await;
    assert_eq!(
        (late_reject.status, late_reject.code()),
        (StatusCode::CONFLICT, "illegal_transition")
    );
    let schedule = zhang.schedule(id).await.expect(StatusCode::OK);
    let rows = &schedule.installments;
    assert_eq!(rows.len(), 24);
    let principal: i64 = rows.iter().map(|r| r.principal_fen).sum();
    assert_eq!(principal, 5_000_000);
    assert!(schedule.total_subsidy_fen > 0);
    let li = app.signed_in("13800000002").await;
    assert_eq!(li.schedule(id).await.status, StatusCode::NOT_FOUND);
    let noted = city
        .post(
            &format!("/api/staff/loans/{id}/notes"),
            Note {
                note: "回访：已开业，生意不错",
            },
        )
        .await;
    assert_eq!(noted.status, StatusCode::OK, "{}", noted.body);
    assert_eq!(
        city.decide_loan(id, &approve()).await.body().status,
        LoanStatus::Repaying
    );
    assert_eq!(
        city.decide_loan(id, &approve()).await.body().status,
        LoanStatus::Closed
    );
    let after = city.decide_loan(id, &approve()).await;
    assert_eq!(after.status, StatusCode::CONFLICT);
    // 张伟 sees every step with who and when, and what happens next.
    let seen = zhang.loan(id).await.into_body();
    assert_eq!(
        statuses(&seen),
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
    assert_eq!(
        seen.timeline[1].note.as_deref(),
        Some("已上门查看，客源稳定")
    );
    assert!(!seen.timeline[1].by.is_empty());
    assert!(seen.next_step.contains("结清"));
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

/// This year's quota of a county, by its name (`GET /api/staff/loans/quota`).
async fn quota(officer: &Client, county: &str) -> QuotaView {
    let all = officer
        .get_as::<Vec<QuotaView>>("/api/staff/loans/quota")
        .await
        .expect(StatusCode::OK);
    all.iter()
        .find(|c| c.county == county)
        .cloned()
        .unwrap_or_else(|| panic!("no quota for {county}: {all:?}"))
}

async fn quota_used(officer: &Client, county: &str) -> i64 {
    quota(officer, county).await.used_fen
}

async fn the_county_quota_is_checked_when_the_guarantee_is_given(app: &TestApp) {
    let zhang = app.signed_in("13800000001").await;
    let applied = zhang.apply_for_loan(&noodle_shop(50_000)).await.into_body();
    let id = applied.id;
    let city = app.signed_in("13700000001").await;
    city.decide_loan(id, &decision("approve", "可行")).await;
    // The county has ¥10,000 left this year.
    let county = quota(&city, &applied.county).await.county_id;
    let year = crate::fixtures::today().year as i64;
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
    let refused = city.decide_loan(id, &approve()).await;
    assert_eq!(
        (refused.status, refused.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "county_quota_exceeded")
    );
    let still = city.loan(id).await;
    assert_eq!(still.body().status, LoanStatus::UnionApproved);
    assert_eq!(quota_used(&city, &applied.county).await, 129_000_000);
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
        let q = city.loan_queue(&format!("status={status}")).await;
        let items = &q.body().items;
        assert!(!items.is_empty(), "no demo loan {status}");
        assert!(items.iter().all(|l| l.status.as_str() == status));
    }
    assert_eq!(
        city.get("/api/staff/loans?status=draft").await.status,
        StatusCode::BAD_REQUEST
    );
    // 张伟 and 李娜 start with none.
    for phone in ["13800000001", "13800000002"] {
        let mine = app.signed_in(phone).await.my_loans().await;
        assert_eq!(mine.len(), 0);
    }
}
both_databases!(the_demo_holds_applications_in_every_stage);
