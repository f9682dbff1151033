//! The officers' desk at phone size and at desktop width: the figures,
//! sorted by activation rate with the weakest first, the CSV export, then a
//! claim from the queue decided; the home counts what waits. A district
//! officer freezes a member's card and disables her account. A member
//! moves to another workplace union (转会).

use unioncard_e2e::Phone;

async fn officer_journey(width: u32, height: u32, tag: &str) -> anyhow::Result<()> {
    let desk = Phone::start_sized(width, height).await?;
    desk.sign_in("13700000001", "Demo@2026").await?;
    desk.wait_path("/").await?;
    desk.open("/staff").await?;
    desk.wait_text("[data-test=desk-tiles]", "统计数据").await?;
    // The claims tile says how many wait.
    desk.find("[data-test=desk-tiles] a[href='/staff/aid'] .count")
        .await?;
    desk.screenshot(&format!("desk-home-{tag}")).await?;

    desk.click("[data-test=desk-tiles] a[href='/staff/figures']")
        .await?;
    desk.wait_text("[data-test=totals]", "%").await?;
    let issued = desk.wait_text("[data-test=issued]", "").await?;
    assert!(issued.trim().parse::<i64>()? > 100, "issued {issued}");
    desk.find("figure.chart svg rect").await?;
    desk.assert_accessible("figures").await?;
    // Sort by activation rate, weakest first: the first row has the lowest rate.
    desk.set_value("#sort", "activation_rate").await?;
    desk.click("#weakest_first").await?;
    // The figures shown are those asked for (the export link carries the
    // query they were fetched with) and nothing is loading any more.
    desk.wait_script(
        "const a = document.querySelector('[data-test=csv]');
         if (!a || !a.href.includes('weakest_first=true')) return a ? a.href : 'no csv link';
         return document.querySelectorAll('.loading').length === 0 || 'still loading';",
        "the units ranked weakest first",
    )
    .await?;
    let rates: Vec<f64> = desk
        .client
        .execute(
            "return [...document.querySelectorAll('[data-test=breakdown] tbody tr td:nth-of-type(2)')].map(td => parseFloat(td.textContent));",
            vec![],
        )
        .await?
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .filter_map(|v| v.as_f64())
        .collect();
    assert_eq!(rates.len(), 13, "{rates:?}");
    assert!(
        rates.windows(2).all(|w| w[0] <= w[1]),
        "weakest first: {rates:?}"
    );
    desk.scroll_to("[data-test=breakdown]").await?;
    desk.screenshot(&format!("desk-figures-{tag}")).await?;
    // The export: the link downloads the same figures as CSV.
    let csv = desk
        .client
        .execute(
            "const a = document.querySelector('[data-test=csv]'); const r = await fetch(a.href); return [r.headers.get('content-type'), await r.text()];",
            vec![],
        )
        .await?;
    let kind = csv[0].as_str().unwrap_or_default();
    let text = csv[1].as_str().unwrap_or_default();
    assert!(kind.starts_with("text/csv"), "{kind}");
    assert!(text.contains("武汉市武昌区总工会"), "{text}");
    assert_eq!(text.trim_end().lines().count(), 15);

    // A claim from the queue, decided.
    desk.open("/staff/aid").await?;
    desk.wait_text("[data-test=claim-queue]", "¥").await?;
    desk.click("[data-test=claim-queue] [data-test=claim] a")
        .await?;
    desk.find("[data-test=review-status]").await?;
    desk.find("[data-test=approve]").await?;
    desk.screenshot(&format!("desk-claim-{tag}")).await?;
    desk.click("[data-test=approve]").await?;
    desk.wait_text("[data-test=review-status]", "已核准")
        .await?;
    // The decision is in the audit log.
    desk.open("/staff/audit").await?;
    desk.wait_text("[data-test=audit]", "aid.claim.approve")
        .await?;
    desk.assert_accessible("audit").await?;
    desk.screenshot(&format!("desk-audit-{tag}")).await?;
    desk.close().await
}

#[tokio::test]
async fn an_officer_reads_the_figures_and_decides_a_claim_on_a_phone() -> anyhow::Result<()> {
    officer_journey(390, 844, "phone").await
}

#[tokio::test]
async fn an_officer_reads_the_figures_and_decides_a_claim_at_a_desk() -> anyhow::Result<()> {
    officer_journey(1280, 900, "desktop").await
}

#[tokio::test]
async fn wu_xiaoyan_freezes_li_nas_card_and_disables_her_account() -> anyhow::Result<()> {
    let desk = Phone::start().await?;
    // 李娜 is signed in on her own phone.
    let li_na = desk.another_phone().await?;
    li_na.sign_in("13800000002", "Demo@2026").await?;
    li_na.wait_path("/").await?;
    li_na.click("nav a[href='/me']").await?;
    li_na.wait_text("[data-test=profile-name]", "李娜").await?;

    desk.sign_in("13700000002", "Demo@2026").await?;
    desk.wait_path("/").await?;
    desk.open("/staff/cards").await?;
    desk.fill("#staff_card_no", "6222 0202 0000 0000 022")
        .await?;
    desk.click("form[data-test=card-lookup] button[type=submit]")
        .await?;
    desk.wait_text("[data-test=staff-card]", "李娜").await?;
    desk.wait_text("[data-test=staff-card-status]", "已激活")
        .await?;
    // The number never went into a URL.
    assert_eq!(desk.path().await?, "/staff/cards");

    // Freeze and unfreeze.
    desk.click("[data-test=freeze-toggle]").await?;
    desk.wait_text("[data-test=staff-card-status]", "已冻结")
        .await?;
    desk.click("[data-test=freeze-toggle]").await?;
    desk.wait_text("[data-test=staff-card-status]", "已激活")
        .await?;

    // Her account: masked phone, active; disabling asks first.
    desk.wait_text("[data-test=account-phone]", "138****0002")
        .await?;
    desk.wait_text("[data-test=account-status]", "正常").await?;
    desk.click("[data-test=disable-account]").await?;
    desk.find("[data-test=confirm-disable]").await?;
    desk.assert_accessible("card screen").await?;
    desk.screenshot("desk-card-account-confirm").await?;
    desk.click("[data-test=confirm-disable]").await?;
    desk.wait_text("[data-test=account-status]", "已停用")
        .await?;
    desk.find("[data-test=enable-account]").await?;

    // Her phone is signed out, and she cannot sign in.
    li_na.refresh().await?;
    li_na.wait_text("main", "登录后查看您的会员信息").await?;
    li_na.sign_in("13800000002", "Demo@2026").await?;
    li_na
        .wait_text("[data-test=form-message]", "手机号或密码不正确")
        .await?;

    // Restored: she signs in again.
    desk.click("[data-test=enable-account]").await?;
    desk.wait_text("[data-test=account-status]", "正常").await?;
    li_na.sign_in("13800000002", "Demo@2026").await?;
    li_na.wait_path("/").await?;
    li_na.click("nav a[href='/me']").await?;
    li_na.wait_text("[data-test=profile-name]", "李娜").await?;
    li_na.client.clone().close().await?;
    desk.close().await
}

/// 转会: 李娜 changed jobs and asks, from 我的, to move to a workplace union
/// of 江岸区; the city officer accepts it at the desk; she belongs to the
/// new union with the same card, and reads that it is done.
#[tokio::test]
async fn a_member_moves_to_another_workplace_union() -> anyhow::Result<()> {
    let phone = Phone::start().await?;
    phone.sign_in("13800000002", "Demo@2026").await?;
    phone.wait_path("/").await?;
    phone.open("/me").await?;
    phone.click("[data-test=transfer-link]").await?;
    phone.wait_path("/me/transfer").await?;
    phone.wait_text("nav a[aria-current=page]", "我的").await?;
    let before = phone.wait_text("[data-test=current-union]", "工会").await?;
    // Nothing chosen: said, nothing sent.
    phone.click("[data-test=send-transfer]").await?;
    phone
        .wait_text("[data-test=transfer-message]", "请先查找并选择")
        .await?;
    phone.fill("#union_search", "江岸").await?;
    phone.click("[data-test=union-search]").await?;
    phone.click(".choices li:first-child .choice-btn").await?;
    let chosen = phone.wait_text("[data-test=chosen-union]", "工会").await?;
    let new_union = chosen
        .split('：')
        .next_back()
        .unwrap_or(&chosen)
        .trim()
        .to_string();
    phone.fill("#transfer_reason", "换工作到新单位").await?;
    phone.click("[data-test=send-transfer]").await?;
    phone
        .wait_text("[data-test=transfer-waiting]", &new_union)
        .await?;
    phone.screenshot("transfer-waiting").await?;
    phone.assert_accessible("transfer").await?;
    phone.assert_phone_friendly("transfer").await?;

    let desk = phone.another_phone().await?;
    desk.sign_in("13700000001", "Demo@2026").await?;
    desk.wait_path("/").await?;
    desk.open("/staff").await?;
    desk.click("a[href='/staff/transfers']").await?;
    desk.wait_text("[data-test=transfers]", "李娜").await?;
    desk.screenshot("desk-transfers").await?;
    desk.assert_accessible("desk transfers").await?;
    desk.click("[data-test=accept-transfer]").await?;
    desk.wait_text("[data-test=transfer-status]", "已转入")
        .await?;

    phone.open("/me/transfer").await?;
    let now = phone
        .wait_text("[data-test=current-union]", &new_union)
        .await?;
    assert_ne!(now, before);
    phone
        .wait_text("[data-test=my-transfers]", "已转入")
        .await?;
    phone.click("[data-test=bell]").await?;
    phone.wait_text("[data-test=inbox]", "转会已完成").await?;
    desk.client.clone().close().await?;
    phone.close().await
}
