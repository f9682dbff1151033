//! Statuses on the wire are the shared crate's enums: an officer's status
//! change naming a status the record cannot have is refused in the record's
//! words (422 `bad_status`), after the record's scope (a record outside it
//! stays a 404), and a body whose status is not a name at all is a bad body.

use reqwest::StatusCode;
use serde_json::json;
use unioncard_api::aid::{PlanStatus, PlanView};
use unioncard_api::join::Page;
use unioncard_api::offers::{MerchantStatus, OfferStatus, StaffMerchant};

use crate::both_databases;
use crate::support::TestApp;

async fn an_unknown_status_is_refused_in_the_record_s_words_after_its_scope(app: &TestApp) {
    let wuchang = app.signed_in("13700000002").await;
    let mine = wuchang
        .get_as::<Page<StaffMerchant>>("/api/staff/merchants")
        .await
        .into_body();
    let merchant = mine
        .items
        .iter()
        .find(|m| m.status == MerchantStatus::Active && !m.offers.is_empty())
        .expect("an active merchant with an offer in 武昌区");
    let offer = merchant.offers[0].id;

    // A plan's name is no merchant's, a merchant's is no offer's.
    let wrong = wuchang
        .set_status::<StaffMerchant>("merchants", merchant.id, "closed")
        .await;
    assert_eq!(
        (wrong.status, wrong.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "bad_status"),
        "{}",
        wrong.answer.body
    );
    assert!(wrong.field("status").is_some(), "{}", wrong.answer.body);
    let wrong = wuchang
        .set_status::<StaffMerchant>("offers", offer, "ended")
        .await;
    assert_eq!(
        (wrong.status, wrong.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "bad_status"),
        "{}",
        wrong.answer.body
    );
    // Not a name at all: the body is refused before the handler, as any
    // body of the wrong shape.
    let number = wuchang
        .post(
            &format!("/api/staff/merchants/{}/status", merchant.id),
            json!({"status": 5}),
        )
        .await;
    assert_eq!(
        (number.status, number.code()),
        (StatusCode::BAD_REQUEST, "invalid_body"),
        "{}",
        number.body
    );
    // The record is unchanged by all of it, and a good name still moves it.
    let paused = wuchang
        .set_status::<StaffMerchant>("offers", offer, OfferStatus::Paused.as_str())
        .await
        .expect(StatusCode::OK);
    assert_eq!(
        paused
            .offers
            .iter()
            .find(|o| o.id == offer)
            .map(|o| o.status),
        Some(OfferStatus::Paused)
    );
    assert_eq!(paused.status, MerchantStatus::Active);

    // A plan the district officer does not run is a 404 whatever the body
    // says; the city officer who runs it hears the plan's words.
    let city = app.signed_in("13700000001").await;
    let plans = city
        .get_as::<Page<PlanView>>("/api/staff/aid/plans")
        .await
        .into_body();
    let plan = plans
        .items
        .iter()
        .find(|p| p.status == PlanStatus::Active)
        .expect("an open plan")
        .id;
    assert_eq!(
        wuchang
            .set_status::<PlanView>("aid/plans", plan, "paused")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let wrong = city
        .set_status::<PlanView>("aid/plans", plan, "paused")
        .await;
    assert_eq!(
        (wrong.status, wrong.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "bad_status"),
        "{}",
        wrong.answer.body
    );
    assert_eq!(
        city.get_as::<Page<PlanView>>("/api/staff/aid/plans")
            .await
            .into_body()
            .items
            .iter()
            .find(|p| p.id == plan)
            .map(|p| p.status),
        Some(PlanStatus::Active)
    );
}
both_databases!(an_unknown_status_is_refused_in_the_record_s_words_after_its_scope);
