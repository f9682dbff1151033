//! Discounts through the UI: find the supermarket, get a code, the cashier
//! confirms a 100-yuan bill, the saving shows; a complaint reaches the officer.

use unioncard_e2e::Phone;

#[tokio::test]
async fn li_na_saves_five_yuan_at_the_supermarket() -> anyhow::Result<()> {
    let phone = Phone::start().await?;
    phone.sign_in("13800000002", "Demo@2026").await?;
    phone.wait_path("/").await?;
    phone.click("nav a[href='/offers']").await?;
    phone
        .fill("#merchant_search", "楚天优选超市（江汉路")
        .await?;
    phone.click("form[role=search] button[type=submit]").await?;
    phone
        .wait_text("[data-test=merchant-list]", "楚天优选超市（江汉路店）")
        .await?;
    phone.screenshot("offers-search").await?;
    phone.click("[data-test=merchant-list] a").await?;
    phone.wait_text("[data-test=offer]", "95折").await?;
    phone.wait_text("[data-test=offer]", "约省 ¥5.00").await?;
    phone
        .click("[data-test=offer] [data-test=use-offer]")
        .await?;
    let code = phone.wait_text("[data-test=offer-code]", " ").await?;
    let digits: String = code.chars().filter(|c| c.is_ascii_digit()).collect();
    assert_eq!(digits.len(), 10);
    // 优惠, 搜索, the merchant, 使用优惠 (and the name typed once).
    unioncard_e2e::effort("taps from 首页 to a discount code, finding the shop by name: 4");
    phone.screenshot("offer-code").await?;

    let till = phone.another_phone().await?;
    till.sign_in("13900000001", "Demo@2026").await?;
    till.wait_path("/").await?;
    till.click("nav a[href='/']").await?;
    till.fill("#offer_code", &digits).await?;
    till.fill("#bill_amount", "100").await?;
    till.click("form[data-test=redeem-form] button[type=submit]")
        .await?;
    till.wait_text("[data-test=preview]", "¥95.00").await?;
    till.click("[data-test=confirm-redemption]").await?;
    till.wait_text("[data-test=confirmed]", "已核销").await?;
    till.wait_text("[data-test=today]", "¥100.00").await?;
    till.screenshot("cashier-confirmed").await?;
    // The same code again is refused.
    till.fill("#offer_code", &digits).await?;
    till.fill("#bill_amount", "100").await?;
    till.click("form[data-test=redeem-form] button[type=submit]")
        .await?;
    till.wait_text("[data-test=redeem-message]", "已经使用过")
        .await?;
    till.client.clone().close().await?;

    phone.click("nav a[href='/me']").await?;
    phone.click("[data-test=savings-link]").await?;
    phone.wait_text("[data-test=year-saving]", "¥5.00").await?;
    phone
        .wait_text("[data-test=history]", "楚天优选超市（江汉路店）")
        .await?;
    phone.screenshot("savings").await?;
    phone.close().await
}

#[tokio::test]
async fn a_refused_discount_reaches_the_officers_queue() -> anyhow::Result<()> {
    let phone = Phone::start().await?;
    phone.sign_in("13800000002", "Demo@2026").await?;
    phone.wait_path("/").await?;
    phone.open("/offers").await?;
    phone
        .fill("#merchant_search", "楚天优选超市（江汉路")
        .await?;
    phone.click("form[role=search] button[type=submit]").await?;
    phone
        .wait_text("[data-test=merchant-list]", "江汉路店")
        .await?;
    phone.click("[data-test=merchant-list] a").await?;
    phone.click("[data-test=report-problem]").await?;
    phone
        .fill(
            "[data-test=complaint-form] textarea",
            "收银员说会员卡不能用",
        )
        .await?;
    // No reason is chosen for her; sending without one says so.
    phone.click("[data-test=send-complaint]").await?;
    phone
        .wait_text("[data-test=complaint-form] [role=alert]", "请选择")
        .await?;
    phone
        .click("[data-test=complaint-form] input[value=refused]")
        .await?;
    phone.click("[data-test=send-complaint]").await?;
    phone.wait_text("main", "已提交").await?;

    let officer = phone.another_phone().await?;
    officer.sign_in("13700000001", "Demo@2026").await?;
    officer.wait_path("/").await?;
    officer.open("/staff/complaints").await?;
    officer
        .wait_text("[data-test=complaint]", "收银员说会员卡不能用")
        .await?;
    officer
        .fill("[data-test=complaint] textarea", "已约谈商户，督促整改")
        .await?;
    officer.screenshot("staff-complaints").await?;
    officer.click("[data-test=uphold]").await?;
    officer.wait_text("main", "没有待处理的投诉").await?;
    officer.client.clone().close().await?;
    phone.close().await
}

#[tokio::test]
async fn an_offer_says_the_bill_it_saves_on_and_when_it_cannot_be_used() -> anyhow::Result<()> {
    let phone = Phone::start().await?;
    phone.open("/offers").await?;
    phone
        .fill("#merchant_search", "楚天优选超市（江汉路")
        .await?;
    phone.click("form[role=search] button[type=submit]").await?;
    phone.click("[data-test=merchant-list] a").await?;
    // "周末满 200 减 15": the example bill is one it applies to (¥200, not
    // the shop's typical ¥100).
    let weekend = "ul.offers li[data-test=offer]:nth-child(2)";
    phone.wait_text(weekend, "满 200 减 15").await?;
    let line = phone
        .wait_text(&format!("{weekend} [data-test=saving-line]"), "约省")
        .await?;
    assert!(
        line.contains("¥200.00") && line.contains("¥15.00"),
        "{line}"
    );
    // On a weekday it says so and offers no code; at the weekend, the button.
    let weekday = phone
        .client
        .execute(
            "return new Date(Date.now() + 8 * 3600 * 1000).getUTCDay();",
            vec![],
        )
        .await?
        .as_i64()
        .unwrap_or(0);
    if weekday == 0 || weekday == 6 {
        phone
            .find(&format!("{weekend} [data-test=use-offer]"))
            .await?;
    } else {
        phone
            .wait_text(
                &format!("{weekend} [data-test=offer-unavailable]"),
                "今天不可用，仅周六、周日可用",
            )
            .await?;
        assert!(
            phone
                .client
                .find(fantoccini::Locator::Css(&format!(
                    "{weekend} [data-test=use-offer]"
                )))
                .await
                .is_err(),
            "a weekend offer can be tapped on a weekday"
        );
        phone.scroll_to(weekend).await?;
        phone.screenshot("offer-not-today").await?;
    }

    // A guest who taps 使用优惠 is told why to sign in, and comes back here.
    let merchant_path = phone.path().await?;
    let first = "ul.offers li[data-test=offer]:nth-child(1)";
    phone
        .click(&format!("{first} [data-test=use-offer]"))
        .await?;
    phone
        .wait_text(
            &format!("{first} [data-test=sign-in-for]"),
            "领取优惠码要先登录",
        )
        .await?;
    phone.screenshot("offer-guest-sign-in").await?;
    phone
        .click(&format!("{first} [data-test=sign-in-then]"))
        .await?;
    phone.fill("#phone", "13800000002").await?;
    phone.fill("#password", "Demo@2026").await?;
    phone
        .click("form[data-test=login-form] button[type=submit]")
        .await?;
    phone.wait_path(&merchant_path).await?;
    phone
        .click(&format!("{first} [data-test=use-offer]"))
        .await?;
    phone.wait_text("[data-test=offer-code]", " ").await?;
    phone.close().await
}

#[tokio::test]
async fn home_is_a_hub_with_the_services_and_one_search() -> anyhow::Result<()> {
    let phone = Phone::start().await?;
    phone.open("/").await?;
    // Every service on 首页 is a tap to where it is used.
    for (tile, path) in [
        ("home-offers-link", "/offers"),
        ("home-aid-link", "/aid"),
        ("home-loans-link", "/loans"),
        ("home-training-link", "/training"),
    ] {
        phone.open("/").await?;
        phone.click(&format!("[data-test={tile}]")).await?;
        phone.wait_path(path).await?;
    }
    phone.open("/").await?;
    phone.screenshot("home-guest-hub").await?;
    // One box finds merchants, courses and plans.
    phone.fill("#home_search", "住院").await?;
    phone
        .click("form[data-test=home-search] button[type=submit]")
        .await?;
    phone.wait_path("/search").await?;
    phone
        .wait_text("[data-test=found-plans]", "职工住院医疗互助")
        .await?;
    phone.wait_text("nav a[aria-current=page]", "首页").await?;
    phone.screenshot("search-plans").await?;
    phone.assert_accessible("/search").await?;
    phone.fill("#home_search", "超市").await?;
    phone
        .click("form[data-test=home-search] button[type=submit]")
        .await?;
    phone
        .wait_text("[data-test=found-merchants]", "超市")
        .await?;
    phone.click("[data-test=found-merchants] a").await?;
    phone.wait_text("[data-test=offer]", "折").await?;
    // Nothing found is said so, with words to try.
    phone.open("/search?q=zzzz").await?;
    phone
        .wait_text("[data-test=search-nothing]", "换个词试试")
        .await?;
    phone.close().await
}
