//! Model workers: the register by ID number, the union's standing
//! allowance, this month's batch prepared from it in the name of the
//! officer who set it (so another approves it), one allowance per worker
//! and month, and the worker's own entry.

use reqwest::StatusCode;
use unioncard_api::allowances::{ModelLevel, ModelWorkerInput, ModelWorkerView, Rates, RatesView};
use unioncard_api::join::Page;
use unioncard_api::payments::{
    BatchCreated, BatchInput, BatchRule, BatchStatus, BatchView, Programme,
};

use crate::both_databases;
use crate::fixtures::today;
use crate::support::TestApp;

fn this_month() -> String {
    let t = today();
    format!("{:04}-{:02}", t.year, t.month)
}

fn allowances(month: &str) -> BatchInput {
    BatchInput {
        programme: Programme::Allowance,
        title: "劳模津补贴".into(),
        union_id: None,
        lines: vec![],
        rule: Some(BatchRule::Allowances {
            month: month.into(),
        }),
    }
}

async fn the_months_allowances_come_from_the_standing_order(app: &TestApp) {
    let city = app.signed_in("13700000001").await;
    let register: Page<ModelWorkerView> = city
        .get_as("/api/staff/model-workers")
        .await
        .expect(StatusCode::OK);
    assert_eq!(register.items.len(), 10);
    assert!(register
        .items
        .iter()
        .any(|w| w.level == ModelLevel::National && w.monthly_fen == Some(80_000)));
    let rates: RatesView = city
        .get_as("/api/staff/allowance-rates")
        .await
        .expect(StatusCode::OK);
    assert_eq!(rates.set_by, "周建国");
    // This month's batch waits, prepared in 周建国's name: 孙丽 approves it.
    let batches: Page<BatchView> = city.get_as("/api/staff/payments/batches").await.into_body();
    let month = batches
        .items
        .iter()
        .find(|b| b.programme == Programme::Allowance && b.status == BatchStatus::Prepared)
        .expect("this month's allowances");
    assert_eq!(month.count, 10);
    assert_eq!(month.prepared_by, "周建国");
    assert!(!month.you_may_approve);
    let own = city
        .post(
            &format!("/api/staff/payments/batches/{}/approve", month.id),
            serde_json::json!({}),
        )
        .await;
    assert_eq!(own.code(), "same_officer");
    // Once per worker and month.
    let again = city
        .post("/api/staff/payments/batches", allowances(&this_month()))
        .await;
    assert_eq!(again.code(), "batch_empty");
    let bad = city
        .post("/api/staff/payments/batches", allowances("2026-13"))
        .await;
    assert_eq!(bad.code(), "bad_month");
    let second = app.signed_in("13700000003").await;
    let approved = second
        .post(
            &format!("/api/staff/payments/batches/{}/approve", month.id),
            serde_json::json!({}),
        )
        .await;
    assert_eq!(approved.status, StatusCode::OK);
}
both_databases!(the_months_allowances_come_from_the_standing_order);

async fn a_district_puts_a_member_on_the_register(app: &TestApp) {
    let wuchang = app.signed_in("13700000002").await;
    let li = app.signed_in("13800000002").await;
    assert_eq!(
        li.get("/api/me/model-worker").await.status,
        StatusCode::NOT_FOUND
    );
    let input = ModelWorkerInput {
        id_number: "420106199207082342".into(),
        level: Some(ModelLevel::City),
        honour: "2025年武汉市劳动模范".into(),
    };
    let added: ModelWorkerView = wuchang
        .post_as("/api/staff/model-workers", &input)
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(
        (added.name.as_str(), added.monthly_fen),
        ("李娜", Some(30_000))
    );
    assert_eq!(
        wuchang
            .post("/api/staff/model-workers", &input)
            .await
            .code(),
        "already_listed"
    );
    // 张伟 is not in 武昌's roster; a bad ID number says which field.
    let r = wuchang
        .post(
            "/api/staff/model-workers",
            ModelWorkerInput {
                id_number: "420102198803151236".into(),
                ..input.clone()
            },
        )
        .await;
    assert_eq!(r.code(), "not_in_roster");
    let r = wuchang
        .post(
            "/api/staff/model-workers",
            ModelWorkerInput {
                id_number: "123".into(),
                level: None,
                honour: String::new(),
            },
        )
        .await;
    assert!(
        r.field("id_number").is_some() && r.field("level").is_some() && r.field("honour").is_some()
    );
    let mine: ModelWorkerView = li
        .get_as("/api/me/model-worker")
        .await
        .expect(StatusCode::OK);
    assert_eq!(mine.honour, "2025年武汉市劳动模范");
    // Her district's own batch for the month pays her (the city's already
    // holds the others).
    let made: BatchCreated = wuchang
        .post_as("/api/staff/payments/batches", &allowances(&this_month()))
        .await
        .expect(StatusCode::CREATED);
    assert_eq!((made.count, made.total_fen), (1, 30_000));
    // The district's own rates; bounds checked.
    let r = wuchang
        .put(
            "/api/staff/allowance-rates",
            Rates {
                national_fen: -1,
                provincial_fen: 0,
                city_fen: 0,
            },
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let set: RatesView = wuchang
        .put_as(
            "/api/staff/allowance-rates",
            &Rates {
                national_fen: 90_000,
                provincial_fen: 60_000,
                city_fen: 40_000,
            },
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(set.set_by, "吴晓燕");
    let now: ModelWorkerView = li.get_as("/api/me/model-worker").await.into_body();
    assert_eq!(now.monthly_fen, Some(40_000), "the nearest rates");
    // Off the register, once.
    let end = format!("/api/staff/model-workers/{}/end", added.id);
    assert_eq!(
        wuchang.post(&end, serde_json::json!({})).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        wuchang.post(&end, serde_json::json!({})).await.status,
        StatusCode::CONFLICT
    );
    let city = app.signed_in("13700000001").await;
    let zhangs: Page<ModelWorkerView> = city.get_as("/api/staff/model-workers").await.into_body();
    let other = zhangs.items[0].id;
    assert_eq!(
        wuchang
            .post(
                &format!("/api/staff/model-workers/{other}/end"),
                serde_json::json!({})
            )
            .await
            .status,
        StatusCode::NOT_FOUND,
        "not the district's"
    );
}
both_databases!(a_district_puts_a_member_on_the_register);
