//! Discounts through the UI: find the supermarket, get a code, the cashier
//! confirms a 100-yuan bill, the saving shows; a complaint reaches the officer.

use unioncard_e2e::Phone;

#[tokio::test]
async fn li_na_saves_five_yuan_at_the_supermarket() -> anyhow::Result<()> {
    let phone = Phone::start().await?;
    phone.sign_in("13800000002", "Demo@2026").await?;
    phone.wait_path("/me").await?;
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
    phone.screenshot("offer-code").await?;

    let till = phone.another_phone().await?;
    till.sign_in("13900000001", "Demo@2026").await?;
    till.wait_path("/me").await?;
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
    phone.wait_path("/me").await?;
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
    phone.click("[data-test=send-complaint]").await?;
    phone.wait_text("main", "已提交").await?;

    let officer = phone.another_phone().await?;
    officer.sign_in("13700000001", "Demo@2026").await?;
    officer.wait_path("/me").await?;
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
