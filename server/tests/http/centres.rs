//! Service centres: anyone finds the nearest open centre (with its
//! distance), or a district's, or those offering a service; officers keep
//! their unions' centres: bad fields named and nothing stored, another
//! district's centre out of reach, a closed centre gone from the directory,
//! every change audited.

use reqwest::StatusCode;
use unioncard_api::centres::{CentreInput, CentreLevel, CentreOpen, CentreView, Service};
use unioncard_api::join::Page;

use crate::both_databases;
use crate::support::TestApp;

/// Near 武昌区's centre in the demo.
const WUCHANG_NEAR: &str = "30.5540,114.3160";

fn new_centre() -> CentreInput {
    CentreInput {
        name: "武昌区中南路职工服务点".into(),
        level: Some(CentreLevel::Point),
        district: "武昌区".into(),
        address: "武昌区中南路 7 号".into(),
        lat: 30.5539,
        lng: 114.3161,
        hours: "每天 9:00-21:00".into(),
        phone: "027-87000001".into(),
        services: vec![Service::Rights, Service::Counselling],
        union_id: None,
    }
}

async fn anyone_finds_the_nearest_centre(app: &TestApp) {
    let guest = app.client();
    let near: Page<CentreView> = guest
        .get_as(&format!("/api/service-centres?near={WUCHANG_NEAR}&limit=5"))
        .await
        .expect(StatusCode::OK);
    assert_eq!(near.items.len(), 5);
    assert_eq!(near.items[0].name, "武昌区职工服务中心");
    let distances: Vec<i64> = near.items.iter().map(|c| c.distance_m.unwrap()).collect();
    assert!(distances[0] < 100, "{distances:?}");
    assert!(distances.windows(2).all(|w| w[0] <= w[1]), "{distances:?}");
    // Counselling only: every one offers it.
    let counselling: Page<CentreView> = guest
        .get_as(&format!(
            "/api/service-centres?near={WUCHANG_NEAR}&service=counselling"
        ))
        .await
        .into_body();
    assert!(!counselling.items.is_empty());
    assert!(counselling
        .items
        .iter()
        .all(|c| c.services.contains(&Service::Counselling)));
    // A district's, in a list.
    let district: Page<CentreView> = guest
        .get_as("/api/service-centres?district=%E6%B1%9F%E5%B2%B8%E5%8C%BA")
        .await
        .into_body();
    assert!(district.items.len() >= 3);
    assert!(district
        .items
        .iter()
        .all(|c| c.district == "江岸区" && c.distance_m.is_none()));
    // Words, and the next page from the cursor: nearest first carries on.
    let words: Page<CentreView> = guest
        .get_as("/api/service-centres?q=%E6%AD%A6%E6%98%8C&limit=2")
        .await
        .expect(StatusCode::OK);
    assert_eq!(words.items.len(), 2);
    assert!(words
        .items
        .iter()
        .all(|c| c.name.contains("武昌") || c.address.contains("武昌")));
    let cursor = words.next_cursor.clone().expect("more than two in 武昌");
    let next: Page<CentreView> = guest
        .get_as(&format!(
            "/api/service-centres?q=%E6%AD%A6%E6%98%8C&limit=2&cursor={cursor}"
        ))
        .await
        .expect(StatusCode::OK);
    assert!(next.items.iter().all(|c| !words.items.contains(c)));
    let page2: Page<CentreView> = guest
        .get_as(&format!(
            "/api/service-centres?near={WUCHANG_NEAR}&limit=5&cursor={}",
            near.next_cursor.clone().expect("a next page")
        ))
        .await
        .expect(StatusCode::OK);
    assert!(page2.items[0].distance_m.unwrap() >= *distances.last().unwrap());
    for bad in [
        "near=abc",
        "near=30.5,200",
        "service=teleport",
        "cursor=-1",
        "cursor=999999",
    ] {
        let r = guest.get(&format!("/api/service-centres?{bad}")).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{bad}");
    }
    let one: CentreView = guest
        .get_as(&format!("/api/service-centres/{}", near.items[0].id))
        .await
        .expect(StatusCode::OK);
    assert!(one.open && one.phone.starts_with("027-"));
}
both_databases!(anyone_finds_the_nearest_centre);

async fn officers_keep_their_unions_centres(app: &TestApp) {
    let wuchang = app.signed_in("13700000002").await;
    let mine: Page<CentreView> = wuchang
        .get_as("/api/staff/centres")
        .await
        .expect(StatusCode::OK);
    assert!(!mine.items.is_empty());
    assert!(mine.items.iter().all(|c| c.district == "武昌区"));
    // Bad fields: each named, nothing stored.
    let bad = CentreInput {
        name: String::new(),
        level: None,
        lat: 114.3,
        lng: 30.5,
        phone: "请拨打".into(),
        services: vec![],
        ..new_centre()
    };
    let r = wuchang.post("/api/staff/centres", &bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    for field in ["name", "level", "lat", "lng", "phone", "services"] {
        assert!(r.field(field).is_some(), "{field}");
    }
    let same: Page<CentreView> = wuchang.get_as("/api/staff/centres").await.into_body();
    assert_eq!(same.items.len(), mine.items.len());
    // A new point is the nearest now.
    let made: CentreView = wuchang
        .post_as("/api/staff/centres", &new_centre())
        .await
        .expect(StatusCode::CREATED);
    let guest = app.client();
    let near: Page<CentreView> = guest
        .get_as(&format!("/api/service-centres?near={WUCHANG_NEAR}&limit=1"))
        .await
        .into_body();
    assert_eq!(near.items[0].id, made.id);
    // Another district's centre is out of reach.
    let city = app.signed_in("13700000001").await;
    let all: Page<CentreView> = city.get_as("/api/staff/centres").await.into_body();
    let other = all
        .items
        .iter()
        .find(|c| c.district == "江岸区")
        .expect("江岸区's centre");
    let r = wuchang
        .put(&format!("/api/staff/centres/{}", other.id), new_centre())
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // Closed: gone from the directory, once.
    let status = format!("/api/staff/centres/{}/status", made.id);
    let closed: CentreView = wuchang
        .post_as(&status, &CentreOpen { open: false })
        .await
        .expect(StatusCode::OK);
    assert!(!closed.open);
    assert_eq!(
        wuchang
            .post(&status, CentreOpen { open: false })
            .await
            .status,
        StatusCode::CONFLICT
    );
    assert_eq!(
        guest
            .get(&format!("/api/service-centres/{}", made.id))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let near: Page<CentreView> = guest
        .get_as(&format!("/api/service-centres?near={WUCHANG_NEAR}&limit=1"))
        .await
        .into_body();
    assert_ne!(near.items[0].id, made.id);
    let log: serde_json::Value = wuchang
        .get_as("/api/staff/audit?action=centre.")
        .await
        .into_body();
    let text = log.to_string();
    assert!(text.contains("centre.create") && text.contains("centre.status"));
}
both_databases!(officers_keep_their_unions_centres);
