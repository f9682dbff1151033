//! When something goes wrong at work, at phone size: a migrant worker who
//! is not a member reports unpaid wages for 12 co-workers; three co-workers
//! join the case (one a member signed in, two without accounts); 武昌's
//! officer takes it up and gives it to the district's mediator; the
//! mediator records mediation and ¥38,000 recovered; every worker sees it.
//! And a counselling booking, then its cancel, and the counsellor's day.

use unioncard_e2e::{Browser, Phone};

/// Chooses the option of a `<select>` whose text holds `text`, as a person
/// would by tapping it.
async fn choose_option(b: &Browser, css: &str, text: &str) -> anyhow::Result<()> {
    b.find(css).await?;
    b.client
        .execute(
            "const s = document.querySelector(arguments[0]);
             const o = [...s.options].find(o => o.text.includes(arguments[1]));
             s.value = o.value;
             s.dispatchEvent(new Event('change', {bubbles: true}));",
            vec![css.into(), text.into()],
        )
        .await?;
    Ok(())
}

/// A co-worker without an account joins with the case number and the code.
async fn join_without_account(
    b: &Browser,
    number: &str,
    code: &str,
    (name, phone, id): (&str, &str, &str),
) -> anyhow::Result<()> {
    b.open("/rights/join").await?;
    b.fill("#case_ref", number).await?;
    b.fill("#join_code", code).await?;
    b.fill("#name", name).await?;
    b.fill("#phone", phone).await?;
    b.fill("#id_number", id).await?;
    b.click("[data-test=join-submit]").await?;
    b.wait_text("[data-test=case-joined-now]", "").await?;
    Ok(())
}

#[tokio::test]
async fn a_migrant_worker_reports_unpaid_wages_and_every_worker_sees_the_money_recovered(
) -> anyhow::Result<()> {
    let phone = Phone::start().await?;
    // 服务 → 维权求助, with no account.
    phone.open("/services").await?;
    phone.click("[data-test=rights-link]").await?;
    phone.wait_path("/rights").await?;
    phone.find("[data-test=hotline]").await?;
    phone.click("[data-test=kind-unpaid_wages]").await?;
    phone
        .fill("#employer_name", "武汉某建筑劳务有限公司")
        .await?;
    // A wrong credit code is named before anything is sent.
    phone
        .fill("#employer_credit_code", "91420100MA4K00001X")
        .await?;
    choose_option(&phone, "#district", "武昌区").await?;
    phone
        .fill(
            "[data-test=facts]",
            "工地停工后老板拖欠我们三个月工资，多次讨要没有结果",
        )
        .await?;
    phone.fill("#amount", "45600").await?;
    phone.fill("#workers", "12").await?;
    phone.find("[data-test=collective-note]").await?;
    phone
        .set_value("[data-test=dispute-on]", "2026-10-01")
        .await?;
    phone.fill("#name", "王强").await?;
    phone.fill("#phone", "13912340001").await?;
    phone.fill("#id_number", "420102198503012015").await?;
    phone.click("[data-test=rights-submit]").await?;
    phone
        .wait_text("[data-test=rights-form]", "统一社会信用代码")
        .await?;
    phone.set_value("#employer_credit_code", "").await?;
    phone.click("[data-test=rights-submit]").await?;
    phone
        .wait_text("[data-test=case-reported]", "已提交")
        .await?;
    let number = phone.wait_text("[data-test=case-number]", "WQ").await?;
    let code = phone.wait_text("[data-test=join-code]", "").await?;
    phone
        .wait_text("[data-test=case-union]", "武昌区总工会")
        .await?;
    phone.screenshot("rights-reported").await?;
    phone.assert_accessible("rights reported").await?;
    phone.assert_phone_friendly("rights reported").await?;

    // Two co-workers without accounts join on this phone; 李娜 joins signed
    // in on hers.
    join_without_account(
        &phone,
        &number,
        &code,
        ("赵六", "13912340011", "420102198604122029"),
    )
    .await?;
    join_without_account(
        &phone,
        &number,
        &code,
        ("钱七", "13912340012", "420102198705232032"),
    )
    .await?;
    let li = phone.another_phone().await?;
    li.sign_in("13800000002", "Demo@2026").await?;
    li.wait_path("/").await?;
    li.open("/rights/join").await?;
    li.fill("#case_ref", &number).await?;
    li.fill("#join_code", &code.to_lowercase()).await?;
    li.click("[data-test=join-submit]").await?;
    li.wait_text("[data-test=case-joined]", "4").await?;
    li.screenshot("rights-joined").await?;

    // 武昌's officer takes it up and gives it to the district's mediator.
    let desk = phone.another_phone().await?;
    desk.sign_in("13700000002", "Demo@2026").await?;
    desk.wait_path("/").await?;
    desk.open("/staff/rights").await?;
    desk.wait_text("[data-test=rights-queue]", &number).await?;
    desk.screenshot("desk-rights-queue").await?;
    desk.assert_accessible("desk rights queue").await?;
    desk.assert_phone_friendly("desk rights queue").await?;
    let id = number.rsplit('-').next().unwrap().trim_start_matches('0');
    desk.open(&format!("/staff/rights/{id}")).await?;
    desk.click("[data-test=triage-accept]").await?;
    desk.wait_text("[data-test=case-status]", "办理中").await?;
    choose_option(&desk, "[data-test=assign-lawyer]", "刘调解员").await?;
    desk.click("[data-test=assign-submit]").await?;
    desk.wait_text("[data-test=case-lawyer]", "刘调解员")
        .await?;
    desk.screenshot("desk-rights-case").await?;
    desk.assert_accessible("desk rights case").await?;

    // The mediator signs in, sees the case among their own, records the
    // mediation and what it recovered.
    let lawyer = phone.another_phone().await?;
    lawyer.sign_in("13500000003", "Demo@2026").await?;
    lawyer.wait_path("/staff/").await?;
    lawyer.open("/staff/rights").await?;
    lawyer
        .wait_text("[data-test=rights-queue]", &number)
        .await?;
    lawyer.open(&format!("/staff/rights/{id}")).await?;
    choose_option(&lawyer, "[data-test=step-kind]", "调解").await?;
    lawyer
        .fill(
            "[data-test=step-note]",
            "区劳动争议调解中心调解成功，公司同意支付",
        )
        .await?;
    lawyer.fill("[data-test=step-recovered]", "38000").await?;
    lawyer.click("[data-test=step-submit]").await?;
    lawyer
        .wait_text("[data-test=case-recovered]", "¥38,000.00")
        .await?;
    lawyer.screenshot("lawyer-rights-case").await?;

    // Every worker sees it: 李娜 on the case and in her inbox; 王强 by his
    // phone and ID number.
    li.open(&format!("/rights/{id}")).await?;
    li.wait_text("[data-test=case-recovered]", "¥38,000.00")
        .await?;
    li.wait_text("[data-test=case-lawyer]", "刘调解员").await?;
    li.wait_text("[data-test=case-steps]", "调解").await?;
    li.screenshot("rights-case-recovered").await?;
    li.assert_accessible("rights case").await?;
    li.assert_phone_friendly("rights case").await?;
    li.click("[data-test=bell]").await?;
    li.wait_text("[data-test=inbox]", "维权案件").await?;

    phone.open("/rights").await?;
    phone.fill("#lookup_phone", "13912340011").await?;
    phone
        .fill("#lookup_id_number", "420102198604122029")
        .await?;
    phone.click("[data-test=lookup-submit]").await?;
    // One case found opens at once.
    phone
        .wait_text("[data-test=case-recovered]", "¥38,000.00")
        .await?;
    phone.screenshot("rights-lookup").await?;
    li.client.clone().close().await?;
    desk.client.clone().close().await?;
    lawyer.client.clone().close().await?;
    phone.close().await
}

#[tokio::test]
async fn a_member_books_counselling_and_cancels_it() -> anyhow::Result<()> {
    let phone = Phone::start().await?;
    phone.sign_in("13800000002", "Demo@2026").await?;
    phone.wait_path("/").await?;
    phone.open("/services").await?;
    phone.click("[data-test=counselling-link]").await?;
    phone.wait_path("/counselling").await?;
    phone.find("[data-test=privacy-note]").await?;
    phone.find("[data-test=slot-day]").await?;
    phone.screenshot("counselling-slots").await?;
    phone.assert_accessible("counselling").await?;
    phone.assert_phone_friendly("counselling").await?;
    phone.click("[data-test=slot] [data-test=book]").await?;
    phone
        .wait_text("[data-test=my-booking]", "预约成功")
        .await?;
    phone.screenshot("counselling-booked").await?;

    // The counsellor sees the booking on that day's page.
    let desk = phone.another_phone().await?;
    desk.sign_in("13500000002", "Demo@2026").await?;
    desk.wait_path("/staff/").await?;
    desk.open("/staff/counselling").await?;
    desk.click("[data-test=next-day]").await?;
    desk.wait_text("[data-test=slots]", "李娜").await?;
    desk.screenshot("desk-counselling").await?;
    desk.assert_accessible("desk counselling").await?;

    // She cancels (two taps): the slot is offered again.
    phone.click("[data-test=cancel-booking]").await?;
    phone.click("[data-test=confirm-cancel]").await?;
    phone
        .wait_text("[data-test=past-bookings]", "已取消")
        .await?;
    phone.find("[data-test=slot] [data-test=book]").await?;
    desk.client.clone().close().await?;
    phone.close().await
}
