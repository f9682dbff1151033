//! Campaign banners: an officer publishes for their own union; 首页 shows
//! a member their union's and those above it, a guest the city's; the
//! fields are checked; only the unions' officers end one, once; audited.

use reqwest::StatusCode;
use unioncard_api::audit::AuditEntry;
use unioncard_api::campaigns::{CampaignInput, CampaignStatus, CampaignView};
use unioncard_api::join::Page;

use crate::both_databases;
use crate::fixtures::{day, today};
use crate::support::{Client, TestApp};

fn banner(title: &str, link: &str) -> CampaignInput {
    CampaignInput {
        title: title.into(),
        title_en: String::new(),
        link: link.into(),
        starts_on: today().iso(),
        ends_on: day(30),
    }
}

async fn home(who: &Client) -> Vec<String> {
    who.get_as::<Page<CampaignView>>("/api/campaigns")
        .await
        .expect(StatusCode::OK)
        .items
        .into_iter()
        .map(|c| c.title)
        .collect()
}

async fn listed(who: &Client) -> usize {
    who.get_as::<Page<CampaignView>>("/api/staff/campaigns")
        .await
        .expect(StatusCode::OK)
        .items
        .len()
}

async fn banners_reach_the_members_of_the_union_and_below(app: &TestApp) {
    let city = app.signed_in("13700000001").await;
    let district = app.signed_in("13700000002").await;
    let c = city
        .post_as::<_, CampaignView>(
            "/api/staff/campaigns",
            &banner("医疗互助 2027 年度参保开始", "/aid"),
        )
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(c.status, CampaignStatus::Live);
    district
        .post_as::<_, CampaignView>(
            "/api/staff/campaigns",
            &CampaignInput {
                title_en: "Training week in Wuchang".into(),
                ..banner("武昌区技能培训周", "/training")
            },
        )
        .await
        .expect(StatusCode::CREATED);
    // A banner that starts next month is not shown yet.
    district
        .post_as::<_, CampaignView>(
            "/api/staff/campaigns",
            &CampaignInput {
                starts_on: day(20),
                ..banner("下个月的活动", "/offers")
            },
        )
        .await
        .expect(StatusCode::CREATED);

    // 李娜 is below the district: both; 张伟 is not: the city's only; a guest: the city's.
    let li = app.signed_in("13800000002").await;
    assert_eq!(
        home(&li).await,
        vec!["武昌区技能培训周", "医疗互助 2027 年度参保开始"]
    );
    let zhang = app.signed_in("13800000001").await;
    assert_eq!(home(&zhang).await, vec!["医疗互助 2027 年度参保开始"]);
    assert_eq!(
        home(&app.client()).await,
        vec!["医疗互助 2027 年度参保开始"]
    );
    // In English where the officer wrote English.
    let en = li
        .raw(reqwest::Method::GET, "/api/campaigns")
        .header("Accept-Language", "en")
        .send()
        .await
        .unwrap()
        .json::<Page<CampaignView>>()
        .await
        .unwrap();
    assert_eq!(en.items[0].title, "Training week in Wuchang");

    // The district officer cannot end the city's banner; the city's can, once.
    let end = format!("/api/staff/campaigns/{}/end", c.id);
    assert_eq!(
        district.post_empty(&end).await.status,
        StatusCode::NOT_FOUND
    );
    let ended = city
        .post_empty_as::<CampaignView>(&end)
        .await
        .expect(StatusCode::OK);
    assert_eq!(ended.status, CampaignStatus::Ended);
    assert_eq!(city.post_empty(&end).await.status, StatusCode::CONFLICT);
    assert_eq!(home(&zhang).await, Vec::<String>::new());
    // The district's list holds its own; the city's holds all three.
    assert_eq!(listed(&district).await, 2);
    assert_eq!(listed(&city).await, 3);
    let log = city
        .get_as::<Page<AuditEntry>>(&format!("/api/staff/audit?target=campaign:{}", c.id))
        .await
        .expect(StatusCode::OK)
        .items;
    let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, vec!["campaign.end", "campaign.publish"]);
}
both_databases!(banners_reach_the_members_of_the_union_and_below);

async fn a_banner_is_checked_and_members_cannot_publish(app: &TestApp) {
    let city = app.signed_in("13700000001").await;
    let bad = city
        .post(
            "/api/staff/campaigns",
            &CampaignInput {
                ends_on: day(-1),
                ..banner(&"长".repeat(31), "https://evil.example")
            },
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    for field in ["title", "link", "ends_on"] {
        assert!(bad.field(field).is_some(), "{field}: {}", bad.body);
    }
    let li = app.signed_in("13800000002").await;
    assert_eq!(
        li.post("/api/staff/campaigns", &banner("x", "/aid"))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert!(home(&li).await.is_empty());
}
both_databases!(a_banner_is_checked_and_members_cannot_publish);
