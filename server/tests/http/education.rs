//! 金秋助学: a member whose household is on file (or a model worker on
//! the register) applies for a child
//! admitted this year; one application per student per year; officers
//! award the level's amount or refuse with a reason; an award is paid once
//! through a batch and shows in the member's 到账记录; rounds per union.

use reqwest::StatusCode;
use unioncard_api::allowances::{ModelLevel, ModelWorkerInput, ModelWorkerView};
use unioncard_api::education::{
    EducationDecision, EducationInput, EducationStatus, EducationView, Level, RoundInput, RoundView,
};
use unioncard_api::hardship::{Cause, HardshipDecision, HardshipFileView, HardshipInput};
use unioncard_api::join::Page;
use unioncard_api::payments::{
    BatchCreated, BatchInput, BatchRule, LineStatus, MyPayments, Programme,
};

use crate::both_databases;
use crate::fixtures::today;
use crate::support::{Client, TestApp};

fn child(name: &str, level: Level) -> EducationInput {
    EducationInput {
        student_name: name.into(),
        school: "武汉大学".into(),
        level: Some(level),
        admitted_on: format!("{}-08-20", today().year),
    }
}

/// 李娜's household goes on file (she has none in the demo).
async fn put_on_file(app: &TestApp, li: &Client) {
    let file: HardshipFileView = li
        .post_as(
            "/api/hardship/files",
            &HardshipInput {
                member_id: None,
                household_size: 3,
                monthly_income_fen: 240_000,
                causes: vec![Cause::Illness],
                note: String::new(),
            },
        )
        .await
        .expect(StatusCode::CREATED);
    let wuchang = app.signed_in("13700000002").await;
    wuchang
        .post_as::<_, HardshipFileView>(
            &format!("/api/staff/hardship/files/{}/decision", file.id),
            &HardshipDecision {
                decision: "approve".into(),
                category: None,
                note: String::new(),
            },
        )
        .await
        .expect(StatusCode::OK);
}

async fn decide(
    c: &Client,
    id: i64,
    decision: &str,
    note: &str,
) -> crate::support::Typed<EducationView> {
    c.post_as(
        &format!("/api/staff/education-aid/applications/{id}/decision"),
        &EducationDecision {
            decision: decision.into(),
            note: note.into(),
        },
    )
    .await
}

async fn a_member_on_file_applies_and_the_award_is_paid_once(app: &TestApp) {
    let li = app.signed_in("13800000002").await;
    let round: RoundView = li
        .get_as("/api/education-aid/round")
        .await
        .expect(StatusCode::OK);
    assert!(round.open);
    assert_eq!(round.terms.bachelor_fen, 300_000);
    // Not on file yet.
    let r = li
        .post(
            "/api/education-aid/applications",
            child("李小雨", Level::Bachelor),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.code(), "not_on_file");
    put_on_file(app, &li).await;
    // Bad fields say which, and change nothing.
    let last_year = EducationInput {
        admitted_on: format!("{}-08-20", today().year - 1),
        level: None,
        ..child("李小雨", Level::Bachelor)
    };
    let r = li.post("/api/education-aid/applications", last_year).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.field("admitted_on").is_some() && r.field("level").is_some());
    let sent: EducationView = li
        .post_as(
            "/api/education-aid/applications",
            &child("李小雨", Level::Bachelor),
        )
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(
        (sent.status, sent.amount_fen),
        (EducationStatus::Submitted, 300_000)
    );
    // One per student per year.
    let again = li
        .post(
            "/api/education-aid/applications",
            child("李小雨", Level::College),
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(again.code(), "student_applied");
    let brother: EducationView = li
        .post_as(
            "/api/education-aid/applications",
            &child("李小川", Level::Vocational),
        )
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(brother.amount_fen, 150_000);

    // Her district decides: a refusal needs its reason.
    let wuchang = app.signed_in("13700000002").await;
    let queue: Page<EducationView> = wuchang
        .get_as("/api/staff/education-aid/applications")
        .await
        .expect(StatusCode::OK);
    assert!(queue
        .items
        .iter()
        .any(|a| a.id == sent.id && a.member_name.as_deref() == Some("李娜")));
    assert_eq!(
        decide(&wuchang, brother.id, "reject", " ").await.code(),
        "note_required"
    );
    let refused = decide(&wuchang, brother.id, "reject", "录取通知书与学生姓名不符")
        .await
        .expect(StatusCode::OK);
    assert_eq!(refused.status, EducationStatus::Rejected);
    let awarded = decide(&wuchang, sent.id, "approve", "")
        .await
        .expect(StatusCode::OK);
    assert_eq!(awarded.status, EducationStatus::Approved);
    assert_eq!(
        decide(&wuchang, sent.id, "reject", "重复").await.status,
        StatusCode::CONFLICT
    );
    // A refused student may be sent again.
    li.post_as::<_, EducationView>(
        "/api/education-aid/applications",
        &child("李小川", Level::Vocational),
    )
    .await
    .expect(StatusCode::CREATED);
    // Another member does not see hers.
    let zhang = app.signed_in("13800000001").await;
    assert_eq!(
        zhang
            .get(&format!("/api/education-aid/applications/{}", sent.id))
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    // Paid through a batch, once.
    let awards = BatchInput {
        programme: Programme::Education,
        title: "金秋助学（第二批）".into(),
        union_id: None,
        lines: vec![],
        rule: Some(BatchRule::EducationAwards),
    };
    let made: BatchCreated = wuchang
        .post_as("/api/staff/payments/batches", &awards)
        .await
        .expect(StatusCode::CREATED);
    assert_eq!((made.count, made.total_fen), (1, 300_000));
    let twice = wuchang.post("/api/staff/payments/batches", &awards).await;
    assert_eq!(
        twice.code(),
        "batch_empty",
        "the award is in a batch already"
    );
    let city = app.signed_in("13700000001").await;
    city.post(
        &format!("/api/staff/payments/batches/{}/approve", made.id),
        serde_json::json!({}),
    )
    .await;
    let file = wuchang
        .raw(
            reqwest::Method::GET,
            &format!("/api/staff/payments/batches/{}/bank-file", made.id),
        )
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let answer: String = file
        .lines()
        .enumerate()
        .map(|(i, l)| format!("{l},{}\r\n", if i == 0 { "result" } else { "success" }))
        .collect();
    let resp = wuchang
        .raw(
            reqwest::Method::POST,
            &format!("/api/staff/payments/batches/{}/bank-result", made.id),
        )
        .header("X-Requested-With", "unioncard")
        .header("Content-Type", "text/csv")
        .body(answer)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let paid: EducationView = li
        .get_as(&format!("/api/education-aid/applications/{}", sent.id))
        .await
        .into_body();
    assert_eq!(paid.payment, Some(LineStatus::Credited));
    let mine: MyPayments = li.get_as("/api/me/payments").await.into_body();
    assert_eq!(
        (mine.items[0].programme, mine.items[0].amount_fen),
        (Programme::Education, 300_000)
    );
}
both_databases!(a_member_on_file_applies_and_the_award_is_paid_once);

async fn a_union_sets_its_round(app: &TestApp) {
    let wuchang = app.signed_in("13700000002").await;
    let year = i64::from(today().year);
    let bad = RoundInput {
        year,
        opens_on: format!("{year}-09-30"),
        closes_on: format!("{year}-07-01"),
        bachelor_fen: 0,
        college_fen: 200_000,
        vocational_fen: 150_000,
    };
    let r = wuchang.post("/api/staff/education-aid/rounds", &bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.field("closes_on").is_some() && r.field("bachelor_fen").is_some());
    let good = RoundInput {
        opens_on: format!("{year}-01-01"),
        closes_on: format!("{year}-12-31"),
        bachelor_fen: 400_000,
        ..bad
    };
    let set: RoundView = wuchang
        .post_as("/api/staff/education-aid/rounds", &good)
        .await
        .expect(StatusCode::OK);
    assert_eq!(set.union_name, "武汉市武昌区总工会");
    // 李娜 now applies to her district's round, the nearest one.
    let li = app.signed_in("13800000002").await;
    let hers: RoundView = li.get_as("/api/education-aid/round").await.into_body();
    assert_eq!(
        (hers.union_id, hers.terms.bachelor_fen),
        (set.union_id, 400_000)
    );
    let rounds: Page<RoundView> = wuchang
        .get_as("/api/staff/education-aid/rounds")
        .await
        .expect(StatusCode::OK);
    assert!(rounds.items.iter().all(|r| r.union_id == set.union_id));
    assert_eq!(
        li.get("/api/staff/education-aid/rounds").await.status,
        StatusCode::FORBIDDEN
    );
}
both_databases!(a_union_sets_its_round);

/// A model worker's child may apply without a hardship file; once the
/// worker is off the register, the household must be on file again.
async fn a_model_workers_child_may_apply(app: &TestApp) {
    let wuchang = app.signed_in("13700000002").await;
    let li = app.signed_in("13800000002").await;
    let added: ModelWorkerView = wuchang
        .post_as(
            "/api/staff/model-workers",
            &ModelWorkerInput {
                id_number: "420106199207082342".into(),
                level: Some(ModelLevel::City),
                honour: "2025年武汉市劳动模范".into(),
            },
        )
        .await
        .expect(StatusCode::CREATED);
    let sent: EducationView = li
        .post_as(
            "/api/education-aid/applications",
            &child("李小雨", Level::College),
        )
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(sent.amount_fen, 200_000);
    assert_eq!(
        wuchang
            .post(
                &format!("/api/staff/model-workers/{}/end", added.id),
                serde_json::json!({})
            )
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    let r = li
        .post(
            "/api/education-aid/applications",
            child("李小川", Level::College),
        )
        .await;
    assert_eq!(r.code(), "not_on_file");
}
both_databases!(a_model_workers_child_may_apply);
