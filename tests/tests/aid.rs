//! Mutual medical aid through the UI: 李娜 estimates, files a claim with a
//! photo (shrunk on the phone), an officer approves it, she sees the amount;
//! 张伟 is refused the women's plan with the reason.

use unioncard_e2e::{write_png, Phone};

#[tokio::test]
async fn li_na_claims_for_a_hospital_stay_and_an_officer_approves_it() -> anyhow::Result<()> {
    let phone = Phone::start().await?;
    phone.sign_in("13800000002", "Demo@2026").await?;
    phone.wait_path("/").await?;
    // From 服务 to the aid plans: a screen of the same app (its code a chunk
    // fetched on demand), not a page load: what the page held stays, and
    // the tab bar marks 服务 on every aid screen.
    phone
        .browser
        .client
        .execute("window.__same_page = true;", vec![])
        .await?;
    phone.click("nav a[href='/services']").await?;
    phone.click("[data-test=aid-link]").await?;
    phone
        .wait_text("[data-test=plan-list]", "职工住院医疗互助")
        .await?;
    phone.wait_text("nav a[aria-current=page]", "服务").await?;
    let same = phone
        .browser
        .client
        .execute("return window.__same_page === true;", vec![])
        .await?;
    assert_eq!(
        same,
        serde_json::Value::Bool(true),
        "opening aid reloaded the page"
    );
    phone.wait_text("[data-test=plan-list]", "已参加").await?;
    phone.screenshot("aid-plans").await?;
    phone.assert_accessible("/aid").await?;

    // The plan's page: the estimator computes on the phone as she types.
    phone
        .click("[data-test=plan-list] a[href='/aid/plans/1']")
        .await?;
    phone.wait_text("main h2", "职工住院医疗互助").await?;
    phone.fill("#total_cost_fen", "20000").await?;
    phone.fill("#insurance_paid_fen", "11500").await?;
    phone.fill("#self_pay_fen", "8500").await?;
    phone.wait_text("[data-test=payout]", "¥5,600.00").await?;
    phone
        .wait_text("[data-test=estimate]", "¥8,000.00 × 70%")
        .await?;
    phone.screenshot("aid-estimate").await?;
    phone.assert_accessible("plan page").await?;

    // Her certificate, then a claim.
    phone.click("[data-test=certificate-link]").await?;
    phone.wait_text("[data-test=certificate-no]", "HZ").await?;
    phone.screenshot("aid-certificate").await?;
    phone.click("[data-test=new-claim]").await?;
    phone.find("#admitted_on").await?;
    let today = phone
        .client
        .execute(
            "const d = new Date(Date.now() + 8 * 3600 * 1000 - 7 * 86400 * 1000); return d.toISOString().slice(0, 10);",
            vec![],
        )
        .await?;
    let week_ago = today.as_str().unwrap_or_default().to_string();
    let tomorrow_of_week = phone
        .client
        .execute(
            "const d = new Date(Date.now() + 8 * 3600 * 1000 - 2 * 86400 * 1000); return d.toISOString().slice(0, 10);",
            vec![],
        )
        .await?;
    phone.set_value("#admitted_on", &week_ago).await?;
    phone
        .set_value(
            "#discharged_on",
            tomorrow_of_week.as_str().unwrap_or_default(),
        )
        .await?;
    phone.fill("#hospital_name", "武汉市中心医院").await?;
    phone.fill("#total_cost_fen", "20000").await?;
    phone.fill("#insurance_paid_fen", "11500").await?;
    phone.fill("#self_pay_fen", "8500").await?;
    phone.wait_text("[data-test=payout]", "¥5,600.00").await?;
    phone.screenshot("aid-claim-form").await?;
    phone.click("[data-test=save-claim]").await?;
    phone.wait_text("[data-test=claim-status]", "草稿").await?;

    // A photo of the settlement sheet over the 10 MB limit: the phone shrinks
    // it first, so it goes through.
    let dir = tempfile::tempdir()?;
    let photo = dir.path().join("jiesuandan.png");
    write_png(&photo, 4000, 3000)?; // a 12-megapixel photo
    let original = std::fs::metadata(&photo)?.len();
    assert!(
        original > 10 * 1024 * 1024,
        "as heavy as a camera photo: {original}"
    );
    phone
        .choose_file("[data-test=document-input]", &photo)
        .await?;
    let sizes = phone.wait_text("[data-test=documents]", "KB").await?;
    let kb: u64 = sizes
        .split_whitespace()
        .find_map(|w| w.parse().ok())
        .unwrap_or(u64::MAX);
    assert!(
        kb * 1024 < original,
        "shrunk: {kb} KB from {original} bytes"
    );
    phone.find("[data-test=documents] img").await?;
    phone.click("[data-test=submit-claim]").await?;
    phone
        .wait_text("[data-test=claim-status]", "已提交")
        .await?;
    phone.wait_text("[data-test=timeline]", "已提交").await?;
    phone.screenshot("aid-claim-sent").await?;
    phone.assert_accessible("claim page").await?;
    let claim_path = phone.path().await?;

    // The district officer reviews it with the estimate beside the figures.
    let officer = phone.another_phone().await?;
    officer.sign_in("13700000002", "Demo@2026").await?;
    officer.wait_path("/").await?;
    officer.open("/staff/aid").await?;
    officer.wait_text("[data-test=claim-queue]", "李娜").await?;
    officer.screenshot("staff-aid-queue").await?;
    officer.assert_accessible("/staff/aid").await?;
    let id = claim_path.rsplit('/').next().unwrap_or_default();
    officer.open(&format!("/staff/aid/{id}")).await?;
    officer
        .wait_text("[data-test=estimate]", "¥5,600.00")
        .await?;
    officer.find("[data-test=documents] img").await?;
    officer.click("[data-test=start-review]").await?;
    officer
        .wait_text("[data-test=review-status]", "审核中")
        .await?;
    officer.screenshot("staff-aid-review").await?;
    officer.assert_accessible("review").await?;
    officer.click("[data-test=approve]").await?;
    officer
        .wait_text("[data-test=review-status]", "已核准")
        .await?;
    officer.client.clone().close().await?;

    // 李娜's bell counts the two steps (review, approval); the message opens
    // the claim and the bell clears.
    phone.open("/").await?;
    phone.wait_text("[data-test=bell-count]", "2").await?;
    phone.screenshot("home-bell").await?;
    phone.click("[data-test=bell]").await?;
    phone.wait_path("/me/messages").await?;
    phone
        .wait_text("[data-test=inbox]", "医疗互助申请：已核准")
        .await?;
    phone.wait_text("[data-test=inbox]", "¥5,600.00").await?;
    phone.wait_text("nav a[aria-current=page]", "我的").await?;
    phone.screenshot("inbox").await?;
    phone.assert_accessible("/me/messages").await?;
    phone.click("[data-test=message]").await?;
    phone.wait_path(&claim_path).await?;
    phone.wait_text("[data-test=bell-count]", "1").await?;

    // 李娜 sees the approved amount and what happens next.
    phone.open(&claim_path).await?;
    phone
        .wait_text("[data-test=approved-amount]", "¥5,600.00")
        .await?;
    phone
        .wait_text("[data-test=claim-status]", "会员服务卡")
        .await?;
    phone.screenshot("aid-claim-approved").await?;
    phone.open("/aid/mine").await?;
    phone.wait_text("[data-test=cover]", "已核准").await?;
    phone.assert_accessible("/aid/mine").await?;
    phone.close().await
}

#[tokio::test]
async fn a_man_is_refused_the_womens_plan_with_the_reason() -> anyhow::Result<()> {
    let phone = Phone::start().await?;
    phone.sign_in("13800000001", "Demo@2026").await?;
    phone.wait_path("/").await?;
    phone.open("/aid").await?;
    phone
        .wait_text("[data-test=plan-list]", "女职工特殊疾病互助")
        .await?;
    phone
        .click("[data-test=plan-list] a[href='/aid/plans/4']")
        .await?;
    phone
        .wait_text("[data-test=not-eligible]", "本计划仅限女职工参加")
        .await?;
    assert!(phone
        .client
        .find(fantoccini::Locator::Css("[data-test=enrol]"))
        .await
        .is_err());
    phone.screenshot("aid-refused").await?;
    // The estimator still works for him: a fixed sum by disease group.
    phone.find("#disease_group").await?;
    phone.set_value("#disease_group", "group1").await?;
    phone.wait_text("[data-test=payout]", "¥6,000.00").await?;
    // In English the reason is in English.
    phone.click("[data-test=lang-switch]").await?;
    phone
        .wait_text("[data-test=not-eligible]", "women members only")
        .await?;
    // The officer's own words in English too.
    phone
        .wait_text("main h2", "Women's special-disease mutual aid")
        .await?;
    phone.close().await
}

#[tokio::test]
async fn a_stay_outside_the_cover_is_said_at_once_and_joining_asks_first() -> anyhow::Result<()> {
    let phone = Phone::start().await?;
    phone.sign_in("13800000002", "Demo@2026").await?;
    phone.wait_path("/").await?;

    // Joining the women's plan, from 首页: a summary, then a confirmation.
    let mut taps = 0;
    phone.click("nav a[href='/']").await?;
    phone.click("nav a[href='/services']").await?;
    taps += 1;
    phone.click("[data-test=aid-link]").await?;
    taps += 1;
    phone
        .click("[data-test=plan-list] a[href='/aid/plans/4']")
        .await?;
    taps += 1;
    phone.click("[data-test=enrol]").await?;
    taps += 1;
    // Nothing is joined by the first tap: it shows what joining means.
    let summary = phone
        .wait_text("[data-test=enrol-summary]", "个人缴费")
        .await?;
    assert!(summary.contains("单位工会"), "who collects it: {summary}");
    assert!(
        summary.contains("起可以申请互助金"),
        "when claims open: {summary}"
    );
    phone.find("[data-test=summary-cover]").await?;
    phone.scroll_to("[data-test=enrol-summary]").await?;
    phone.screenshot("aid-enrol-summary").await?;
    phone.assert_accessible("enrolment summary").await?;
    phone.click("[data-test=confirm-enrol]").await?;
    taps += 1;
    phone.wait_text("[data-test=enrolled]", "参加成功").await?;
    unioncard_e2e::effort(&format!(
        "taps from 首页 to an aid enrolment, confirmation included: {taps}"
    ));
    // Nothing is paid on the phone: the certificate says her union collects it.
    phone
        .wait_text("[data-test=contribution]", "待单位工会收取")
        .await?;
    // A 180-day waiting period: no claim is offered yet; the date it opens is.
    phone
        .wait_text("[data-test=claims-open-from]", "起可以申请互助金")
        .await?;
    assert!(
        phone
            .client
            .find(fantoccini::Locator::Css("[data-test=new-claim]"))
            .await
            .is_err(),
        "a claim offered inside the waiting period"
    );
    phone.screenshot("aid-enrolled").await?;

    // Her hospital-stay cover takes claims; a stay before it began is
    // refused as soon as the dates are in, with no estimate and no saving.
    phone.open("/aid/mine").await?;
    phone
        .click("[data-test=cover] [data-test=new-claim]")
        .await?;
    phone.find("#admitted_on").await?;
    phone.set_value("#admitted_on", "2020-01-06").await?;
    phone.set_value("#discharged_on", "2020-01-09").await?;
    phone.fill("#hospital_name", "武汉市中心医院").await?;
    phone.fill("#total_cost_fen", "20000").await?;
    phone.fill("#insurance_paid_fen", "11500").await?;
    phone.fill("#self_pay_fen", "8500").await?;
    phone
        .wait_text("[data-test=claim-dates-refusal]", "不在保障期内")
        .await?;
    assert!(
        phone
            .client
            .find(fantoccini::Locator::Css("[data-test=payout]"))
            .await
            .is_err(),
        "an estimate shown for a stay the plan does not cover"
    );
    let save = phone.find("[data-test=save-claim]").await?;
    assert!(
        save.attr("disabled").await?.is_some(),
        "a claim outside the cover could be saved"
    );
    phone.scroll_to("[data-test=claim-dates-refusal]").await?;
    phone.screenshot("aid-claim-outside-cover").await?;
    phone.close().await
}

#[tokio::test]
async fn the_estimator_says_what_it_still_needs_instead_of_going_blank() -> anyhow::Result<()> {
    let phone = Phone::start().await?;
    // The daily allowance: its higher rate's groups are optional, and the
    // empty choice says what it means.
    phone.open("/aid/plans/2").await?;
    phone.find("#hospital_days").await?;
    let first = phone
        .client
        .execute(
            "return document.querySelector('#disease_group option').textContent;",
            vec![],
        )
        .await?;
    assert_eq!(first.as_str().unwrap_or_default(), "不属于以下病种");
    phone.fill("#hospital_days", "10").await?;
    phone.wait_text("[data-test=payout]", "¥600.00").await?;
    // Days typed in words: the estimate says what to fix, it does not vanish.
    phone.fill("#hospital_days", "十天").await?;
    phone
        .wait_text("[data-test=estimate-blocked]", "住院天数")
        .await?;
    phone.screenshot("aid-estimate-blocked").await?;
    phone.close().await
}
