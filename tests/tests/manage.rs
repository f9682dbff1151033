//! Management through the UI: an officer adds a partner merchant and an
//! offer that members find at once, then pauses the merchant; an officer
//! disables and restores a cashier's account; the administrator opens a
//! union below a district; a worker finds the nearest service centre and an
//! officer adds one.

use unioncard_e2e::Phone;

#[tokio::test]
async fn an_officer_adds_a_merchant_that_members_find_then_pauses_it() -> anyhow::Result<()> {
    let desk = Phone::start_sized(1280, 900).await?;
    desk.sign_in("13700000002", "Demo@2026").await?;
    desk.wait_path("/").await?;
    desk.open("/manage/merchants").await?;
    desk.click("[data-test=new-merchant]").await?;
    desk.fill("#name", "武昌测试书店").await?;
    desk.set_value("#category", "culture").await?;
    desk.fill("#district", "武昌区").await?;
    desk.fill("#address", "武汉市武昌区中南路 99 号").await?;
    desk.set_value("#contract_from", "2026-01-01").await?;
    // A contract that ends before it starts is refused next to the field.
    desk.set_value("#contract_to", "2025-01-01").await?;
    desk.click("[data-test=save-merchant]").await?;
    desk.wait_text("#contract_to-error", "不能早于").await?;
    desk.set_value("#contract_to", "2030-12-31").await?;
    desk.click("[data-test=save-merchant]").await?;
    desk.find("[data-test=merchant-status]").await?;
    // A new merchant has no cashiers yet, and says so.
    desk.wait_text("[data-test=cashiers]", "还没有收银员账号")
        .await?;
    desk.fill("#offer_title", "购书 9 折").await?;
    desk.fill("#offer_figure", "10").await?;
    desk.set_value("#offer_from", "2026-01-01").await?;
    desk.set_value("#offer_to", "2030-12-31").await?;
    desk.click("[data-test=add-offer]").await?;
    desk.wait_text("[data-test=merchant-offers]", "购书 9 折")
        .await?;
    desk.assert_accessible("merchant page").await?;
    desk.screenshot("manage-merchant").await?;

    // A member finds it in the directory, with the offer.
    let member = desk.another_phone().await?;
    member.open("/offers").await?;
    member.fill("#merchant_search", "武昌测试书店").await?;
    member
        .click("form[role=search] button[type=submit]")
        .await?;
    member
        .wait_text("[data-test=merchant-list]", "武昌测试书店")
        .await?;
    member.wait_text("[data-test=merchant-list]", "9折").await?;

    // Paused: members no longer see it.
    desk.click("[data-test=pause-merchant]").await?;
    desk.wait_text("[data-test=merchant-status]", "已暂停")
        .await?;
    member.open("/offers").await?;
    member.fill("#merchant_search", "武昌测试书店").await?;
    member
        .click("form[role=search] button[type=submit]")
        .await?;
    member.wait_text("main", "没有").await?;
    member.client.clone().close().await?;
    desk.close().await
}

#[tokio::test]
async fn an_officer_disables_a_cashier_who_left_then_restores_her() -> anyhow::Result<()> {
    let desk = Phone::start().await?;
    desk.sign_in("13700000001", "Demo@2026").await?;
    desk.wait_path("/").await?;
    desk.open("/manage/merchants/1").await?;
    desk.wait_text("[data-test=cashiers]", "陈静").await?;
    desk.wait_text(
        "[data-test=cashiers] [data-test=account-phone]",
        "139****0001",
    )
    .await?;
    desk.wait_text("[data-test=cashiers] [data-test=account-status]", "正常")
        .await?;
    desk.click("[data-test=cashiers] [data-test=disable-account]")
        .await?;
    desk.click("[data-test=cashiers] [data-test=confirm-disable]")
        .await?;
    desk.wait_text("[data-test=cashiers] [data-test=account-status]", "已停用")
        .await?;
    desk.assert_accessible("cashiers").await?;
    desk.screenshot("manage-cashiers").await?;

    // She can no longer sign in at the till.
    let till = desk.another_phone().await?;
    till.sign_in("13900000001", "Demo@2026").await?;
    till.wait_text("[data-test=form-message]", "手机号或密码不正确")
        .await?;

    desk.click("[data-test=cashiers] [data-test=enable-account]")
        .await?;
    desk.wait_text("[data-test=cashiers] [data-test=account-status]", "正常")
        .await?;
    till.sign_in("13900000001", "Demo@2026").await?;
    till.wait_path("/").await?;
    till.client.clone().close().await?;
    desk.close().await
}

#[tokio::test]
async fn the_administrator_opens_a_union_below_a_district() -> anyhow::Result<()> {
    let desk = Phone::start().await?;
    desk.sign_in("13600000001", "Demo@2026").await?;
    desk.wait_path("/").await?;
    desk.open("/manage/unions").await?;
    desk.wait_text("[data-test=union-top]", "湖北省总工会")
        .await?;
    desk.click("[data-test=union-children] button").await?;
    desk.wait_text("[data-test=union-top]", "武汉市总工会")
        .await?;
    desk.click("[data-test=union-children] li:nth-child(4) button")
        .await?;
    desk.wait_text("[data-test=union-top]", "区总工会").await?;
    desk.fill("#union_code", "E2E-001").await?;
    desk.fill("#union_name", "端到端测试有限公司工会").await?;
    desk.click("[data-test=union-form] button[type=submit]")
        .await?;
    desk.wait_text("[data-test=union-children]", "端到端测试有限公司工会")
        .await?;
    desk.assert_accessible("unions").await?;
    desk.screenshot("manage-unions").await?;
    desk.close().await
}

#[tokio::test]
async fn the_city_officer_opens_an_aid_plan_that_members_can_estimate_with() -> anyhow::Result<()> {
    let desk = Phone::start_sized(1280, 900).await?;
    desk.sign_in("13700000001", "Demo@2026").await?;
    desk.wait_path("/").await?;
    desk.open("/manage/plans").await?;
    desk.wait_text("[data-test=plans]", "职工住院医疗互助")
        .await?;
    desk.fill("#plan_name", "住院定额补助（新）").await?;
    desk.fill("#plan_contribution", "30").await?;
    desk.set_value("#plan_starts", "2026-01-01").await?;
    desk.set_value("#plan_window_from", "2025-12-01").await?;
    // Members may join for five more days.
    let last_day = desk
        .client
        .execute(
            "const d = new Date(Date.now() + 8 * 3600 * 1000 + 5 * 86400 * 1000); return d.toISOString().slice(0, 10);",
            vec![],
        )
        .await?;
    desk.set_value("#plan_window_to", last_day.as_str().unwrap_or_default())
        .await?;
    desk.set_value("#plan_rule", "flat_by_grade").await?;
    desk.fill("#rule_a", "400").await?;
    desk.fill("#rule_b", "250").await?;
    desk.fill("#rule_c", "150").await?;
    desk.fill("#plan_cap", "2000").await?;
    desk.click("[data-test=save-plan]").await?;
    desk.wait_text("[data-test=plans]", "住院定额补助（新）")
        .await?;
    desk.wait_text("[data-test=plans]", "三级医院每次住院 ¥400.00")
        .await?;
    desk.assert_accessible("plans").await?;
    desk.screenshot("manage-plans").await?;

    let member = desk.another_phone().await?;
    member.open("/aid").await?;
    member
        .wait_text("[data-test=plan-list]", "住院定额补助（新）")
        .await?;
    // 李娜 may join it and has not: her bell tells her it closes soon, and
    // the message opens the plan.
    member.sign_in("13800000002", "Demo@2026").await?;
    member.wait_path("/").await?;
    member.find("[data-test=bell-count]").await?;
    member.click("[data-test=bell]").await?;
    let told = member
        .wait_text("[data-test=inbox]", "互助计划报名即将截止")
        .await?;
    assert!(
        told.contains("住院定额补助（新）报名截止到"),
        "the plan and its last day: {told}"
    );
    member.screenshot("inbox-plan-closing").await?;
    member.click("[data-test=message]").await?;
    member.wait_text("main h2", "住院定额补助（新）").await?;
    member.client.clone().close().await?;
    desk.close().await
}

#[tokio::test]
async fn a_union_records_its_members_contributions_and_she_sees_hers_paid() -> anyhow::Result<()> {
    let phone = Phone::start().await?;
    phone.sign_in("13800000002", "Demo@2026").await?;
    phone.wait_path("/").await?;
    let union = phone.wait_text(".card-union", "工会").await?;
    phone.open("/aid/plans/4").await?;
    phone.click("[data-test=enrol]").await?;
    phone.click("[data-test=confirm-enrol]").await?;
    phone
        .wait_text("[data-test=contribution]", "待单位工会收取")
        .await?;

    // Her district's officer finds her union's line for the plan, with the
    // count and sum, and records it after a confirmation.
    let desk = phone.another_phone().await?;
    desk.sign_in("13700000002", "Demo@2026").await?;
    desk.wait_path("/").await?;
    desk.open("/manage/contributions").await?;
    desk.find("[data-test=contribution-group]").await?;
    desk.screenshot("manage-contributions").await?;
    desk.assert_accessible("contributions").await?;
    let mut hers = None;
    for g in desk
        .client
        .find_all(fantoccini::Locator::Css("[data-test=contribution-group]"))
        .await?
    {
        let text = g.text().await?;
        if text.contains(union.trim()) && text.contains("女职工特殊疾病互助") {
            hers = Some((g, text));
        }
    }
    let (group, text) = hers.expect("her union's line for the women's plan");
    assert!(text.contains("¥25.00"), "the contribution: {text}");
    group
        .find(fantoccini::Locator::Css("[data-test=record-contributions]"))
        .await?
        .click()
        .await?;
    let confirm = group
        .find(fantoccini::Locator::Css(
            "[data-test=confirm-contributions]",
        ))
        .await?;
    confirm.click().await?;
    desk.wait_text("[data-test=contributions-recorded]", "已登记")
        .await?;

    // On 我的保障 both her plans are paid.
    phone.open("/aid/mine").await?;
    phone.wait_text("[data-test=cover]", "已缴纳").await?;
    let cover = phone.wait_text("main", "已缴纳").await?;
    assert!(!cover.contains("待单位工会收取"), "{cover}");
    assert_eq!(cover.matches("已缴纳").count(), 2, "{cover}");
    phone.screenshot("aid-mine-paid").await?;
    desk.client.clone().close().await?;
    phone.close().await
}

#[tokio::test]
async fn the_city_officer_publishes_a_campaign_that_members_see_on_home() -> anyhow::Result<()> {
    let desk = Phone::start_sized(1280, 900).await?;
    desk.sign_in("13700000001", "Demo@2026").await?;
    desk.wait_path("/").await?;
    desk.open("/manage/campaigns").await?;
    desk.find("form[data-test=campaign-form]").await?;
    // A banner with no title and no last day is refused on the spot.
    desk.click("[data-test=publish-campaign]").await?;
    desk.wait_text("[data-test=campaign-message]", "请").await?;
    desk.fill("#campaign_title", "医疗互助 2027 年度参保开始")
        .await?;
    desk.set_value("#campaign_link", "/aid").await?;
    let last_day = desk
        .client
        .execute(
            "const d = new Date(Date.now() + 8 * 3600 * 1000 + 30 * 86400 * 1000); return d.toISOString().slice(0, 10);",
            vec![],
        )
        .await?;
    desk.set_value("#campaign_ends", last_day.as_str().unwrap_or_default())
        .await?;
    desk.click("[data-test=publish-campaign]").await?;
    desk.wait_text("[data-test=campaigns]", "医疗互助 2027 年度参保开始")
        .await?;
    desk.wait_text("[data-test=campaign-published]", "已发布")
        .await?;
    desk.assert_accessible("campaigns").await?;
    desk.screenshot("manage-campaigns").await?;

    // A member (a guest too: the city's banner is for everyone) sees it on
    // 首页, and a tap opens the aid plans.
    let member = desk.another_phone().await?;
    member.open("/").await?;
    member
        .wait_text("[data-test=campaign-banner]", "医疗互助 2027 年度参保开始")
        .await?;
    member.screenshot("home-campaign").await?;
    member.click("[data-test=campaign-banner]").await?;
    member.wait_path("/aid").await?;
    member.client.clone().close().await?;

    // Taken down, it is gone from 首页.
    desk.click("[data-test=end-campaign]").await?;
    desk.wait_text("[data-test=campaigns]", "已下线").await?;
    desk.close().await
}

/// Puts the phone at a position: the page's geolocation answers with it.
async fn stand_at(phone: &unioncard_e2e::Browser, lat: f64, lng: f64) -> anyhow::Result<()> {
    phone
        .client
        .execute(
            "const [lat, lng] = [arguments[0], arguments[1]];
             navigator.geolocation.getCurrentPosition = (ok) =>
               ok({ coords: { latitude: lat, longitude: lng, accuracy: 20 } });",
            vec![serde_json::json!(lat), serde_json::json!(lng)],
        )
        .await?;
    Ok(())
}

/// A worker (not signed in) finds the nearest service centre from 服务,
/// with a tap to call and a tap for directions, and narrows the list to
/// counselling; 武昌's officer adds a service point (a missing answer named
/// first), which is then the nearest.
#[tokio::test]
async fn the_nearest_service_centre_and_an_officer_adding_one() -> anyhow::Result<()> {
    let phone = Phone::start().await?;
    phone.open("/services").await?;
    phone.click("[data-test=centres-link]").await?;
    phone.wait_path("/centres").await?;
    phone.wait_text("nav a[aria-current=page]", "服务").await?;
    phone
        .wait_text("[data-test=centres]", "职工服务中心")
        .await?;
    stand_at(&phone, 30.5540, 114.3160).await?;
    phone.click("[data-test=near-me]").await?;
    phone
        .wait_text("[data-test=centre]:first-child h3", "武昌区职工服务中心")
        .await?;
    phone
        .wait_text(
            "[data-test=centre]:first-child [data-test=centre-distance]",
            "米",
        )
        .await?;
    let call = phone
        .find("[data-test=centre]:first-child [data-test=centre-call]")
        .await?
        .attr("href")
        .await?
        .unwrap_or_default();
    assert!(call.starts_with("tel:027"), "{call}");
    let map = phone
        .find("[data-test=centre]:first-child [data-test=centre-map]")
        .await?
        .attr("href")
        .await?
        .unwrap_or_default();
    assert!(map.starts_with("geo:30.5"), "{map}");
    phone.screenshot("centres-nearest").await?;
    phone.assert_accessible("centres").await?;
    phone.assert_phone_friendly("centres").await?;
    let chips = phone
        .client
        .find_all(fantoccini::Locator::Css(".chips .chip"))
        .await?;
    chips.last().expect("a chip per service").click().await?;
    phone.wait_text("[data-test=centres]", "心理咨询").await?;
    for card in phone
        .client
        .find_all(fantoccini::Locator::Css("[data-test=centre]"))
        .await?
    {
        assert!(card.text().await?.contains("心理咨询"));
    }

    // 武昌's officer adds a service point on the management screens.
    let desk = phone.another_phone().await?;
    desk.sign_in("13700000002", "Demo@2026").await?;
    desk.wait_path("/").await?;
    desk.open("/manage").await?;
    desk.click("a[href='/manage/centres']").await?;
    desk.wait_text("[data-test=staff-centres]", "武昌区职工服务中心")
        .await?;
    desk.fill("#centre_name", "武昌区中南路职工服务点").await?;
    desk.set_value("#centre_level", "point").await?;
    desk.fill("#centre_district", "武昌区").await?;
    desk.fill("#centre_address", "武昌区中南路 7 号").await?;
    desk.fill("#centre_lat", "30.5539").await?;
    desk.fill("#centre_lng", "114.3161").await?;
    desk.fill("#centre_hours", "每天 9:00-21:00").await?;
    desk.fill("#centre_phone", "027-87000001").await?;
    desk.click("[data-test=save-centre]").await?;
    desk.wait_text("[data-test=centre-form]", "请按提示修改")
        .await?;
    desk.click("[data-test=centre-form] label.check:first-of-type input")
        .await?;
    desk.click("[data-test=save-centre]").await?;
    desk.wait_text("[data-test=staff-centres]", "武昌区中南路职工服务点")
        .await?;
    desk.screenshot("manage-centres").await?;
    desk.assert_accessible("manage centres").await?;

    phone.open("/centres").await?;
    stand_at(&phone, 30.5540, 114.3160).await?;
    phone.click("[data-test=near-me]").await?;
    phone
        .wait_text(
            "[data-test=centre]:first-child h3",
            "武昌区中南路职工服务点",
        )
        .await?;
    desk.client.clone().close().await?;
    phone.close().await
}
