//! Micro-loans through the UI: 张伟 pre-checks on the phone, applies step by
//! step with a document, an officer moves it to disbursed, and 张伟 sees the
//! timeline and the repayment schedule.

use fantoccini::Locator;
use unioncard_e2e::{write_png, Phone};

#[tokio::test]
async fn zhang_wei_applies_and_sees_his_schedule_once_paid_out() -> anyhow::Result<()> {
    let phone = Phone::start().await?;
    phone.sign_in("13800000001", "Demo@2026").await?;
    phone.wait_path("/").await?;
    // 我的 → 我的贷款 shows his own applications (none yet), above the pre-check.
    phone.click("nav a[href='/me']").await?;
    phone.click("a[href='/loans']").await?;
    phone
        .wait_text("[data-test=no-loans]", "还没有贷款申请")
        .await?;
    phone.click("nav a[href='/services']").await?;
    phone.click("[data-test=loans-link]").await?;
    phone.find("[data-test=precheck]").await?;

    // Nothing is presumed: no status chosen for him, no cap before an answer.
    let employment = phone
        .client
        .execute(
            "return document.querySelector('#employment_status').value;",
            vec![],
        )
        .await?;
    assert_eq!(employment, serde_json::Value::from(""), "a presumed answer");
    phone
        .wait_text("[data-test=precheck-answer]", "回答上面的问题")
        .await?;
    assert!(
        phone
            .client
            .find(Locator::Css("[data-test=max-amount]"))
            .await
            .is_err(),
        "a cap shown before any answer"
    );
    // The first answer can decide it, and then it says so at once.
    phone.set_value("#employment_status", "employed").await?;
    phone
        .wait_text("[data-test=precheck-answer]", "暂不符合")
        .await?;
    assert!(
        phone
            .client
            .find(Locator::Css("[data-test=max-amount]"))
            .await
            .is_err(),
        "a cap shown beside 暂不符合"
    );
    unioncard_e2e::effort("answers before the loan pre-check decides (an employed member): 1");
    phone.screenshot("loans-precheck-employed").await?;

    // The pre-check answers on the phone as he types.
    phone
        .set_value("#employment_status", "registered_unemployed")
        .await?;
    phone.set_value("#local_hukou", "yes").await?;
    phone.set_value("#business_kind", "catering").await?;
    phone
        .set_value("#business_started_on", "2024-03-01")
        .await?;
    phone
        .wait_text("[data-test=precheck-answer]", "回答上面的问题")
        .await?;
    phone.fill("#amount_fen", "60000").await?;
    phone
        .wait_text("[data-test=precheck-answer]", "最多可以申请 ¥50,000.00")
        .await?;
    phone.scroll_to("[data-test=precheck-answer]").await?;
    phone.screenshot("loans-precheck-over").await?;
    phone.fill("#amount_fen", "50000").await?;
    phone
        .wait_text("[data-test=precheck-answer]", "符合条件")
        .await?;
    phone
        .wait_text("[data-test=max-amount]", "¥50,000.00")
        .await?;
    phone.assert_accessible("/loans").await?;
    phone.click("[data-test=start-application]").await?;

    // Step 2: the business; each step saves the draft.
    phone.fill("#business_name", "老张热干面").await?;
    phone
        .fill("#business_address", "武汉市江岸区解放大道 100 号")
        .await?;
    phone.fill("#purpose", "添置炉灶和冷柜").await?;
    phone.screenshot("loans-step-business").await?;
    phone.click("[data-test=next-step]").await?;
    phone.wait_text("[data-test=loan-step] h3", "贷款").await?;
    phone.click("[data-test=next-step]").await?;
    phone
        .wait_text("[data-test=loan-step] h3", "合伙人")
        .await?;
    phone.click("[data-test=next-step]").await?;
    phone.wait_text("[data-test=loan-step] h3", "材料").await?;
    let dir = tempfile::tempdir()?;
    let licence = dir.path().join("yingyezhizhao.png");
    write_png(&licence, 800, 600)?;
    phone
        .choose_file("[data-test=document-input]", &licence)
        .await?;
    phone.find("[data-test=documents] img").await?;
    phone.screenshot("loans-step-documents").await?;
    phone.click("[data-test=submit-loan]").await?;
    phone
        .wait_text("[data-test=loan-status]", "等待工会审核")
        .await?;
    let loan_path = phone.path().await?;
    let id = loan_path.rsplit('/').next().unwrap_or_default().to_string();

    // The city officer moves it on, stage by stage, with the feasibility note.
    let officer = phone.another_phone().await?;
    officer.sign_in("13700000001", "Demo@2026").await?;
    officer.wait_path("/").await?;
    officer.open("/staff/loans").await?;
    officer
        .wait_text("[data-test=loan-queue]", "老张热干面")
        .await?;
    officer.screenshot("staff-loans").await?;
    officer.assert_accessible("/staff/loans").await?;
    officer.open(&format!("/staff/loans/{id}")).await?;
    officer.find("[data-test=documents] img").await?;
    officer
        .fill("#loan_note", "已实地查看，早餐客流稳定，具备还款能力")
        .await?;
    officer.click("[data-test=advance]").await?;
    officer
        .wait_text("[data-test=review-status]", "工会审核通过")
        .await?;
    officer.click("[data-test=advance]").await?;
    officer
        .wait_text("[data-test=review-status]", "已提供担保")
        .await?;
    officer.click("[data-test=advance]").await?;
    officer
        .wait_text("[data-test=review-status]", "已放款")
        .await?;
    officer.screenshot("staff-loan-disbursed").await?;
    officer.client.clone().close().await?;

    // 张伟: the timeline with who and when, and the schedule.
    phone.open(&loan_path).await?;
    phone.wait_text("[data-test=loan-status]", "已放款").await?;
    phone
        .wait_text("[data-test=loan-timeline]", "已实地查看")
        .await?;
    let table = phone
        .wait_text("[data-test=schedule]", "¥50,000.00")
        .await?;
    assert!(table.contains("24"), "24 monthly rows: {table}");
    phone.find("figure.chart svg rect").await?;
    phone.screenshot("loans-status").await?;
    phone.scroll_to("figure.chart").await?;
    phone.screenshot("loans-schedule").await?;
    phone.assert_accessible("loan page").await?;
    phone.close().await
}
