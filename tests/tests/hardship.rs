//! Hardship files through the UI: 李娜 applies on her phone from 首页,
//! seeing what the union's rule makes of her figures as she types, and adds
//! a photo of proof; her district's officer puts it on file at the desk;
//! she sees it on file, and the step in her inbox.

use unioncard_e2e::{write_png, Phone};

#[tokio::test]
async fn li_na_applies_for_a_hardship_file_and_an_officer_puts_it_on_record() -> anyhow::Result<()>
{
    let phone = Phone::start().await?;
    phone.sign_in("13800000002", "Demo@2026").await?;
    phone.wait_path("/").await?;
    phone.click("[data-test=home-hardship-link]").await?;
    phone.wait_path("/hardship").await?;
    phone.wait_text("nav a[aria-current=page]", "服务").await?;
    phone.find("[data-test=hardship-form]").await?;
    // Nothing typed: each missing answer is named, nothing is sent.
    phone.click("[data-test=send-hardship]").await?;
    phone
        .wait_text("[data-test=hardship-message]", "请")
        .await?;
    phone.wait_text("#household_size-error", "必填").await?;
    // Three people on ¥2,400 a month, someone ill: the rule's answer shows
    // before she sends it.
    phone.fill("#household_size", "3").await?;
    phone.fill("#monthly_income", "2400").await?;
    phone.click("#illness").await?;
    let proposal = phone
        .wait_text("[data-test=hardship-proposal]", "深度困难")
        .await?;
    assert!(proposal.contains("¥800.00"), "{proposal}");
    assert!(
        proposal.contains("¥1,000.00"),
        "the district's line: {proposal}"
    );
    phone.fill("#hardship_note", "丈夫患病住院").await?;
    phone.screenshot("hardship-form").await?;
    phone.assert_accessible("hardship form").await?;
    phone.click("[data-test=send-hardship]").await?;
    phone
        .wait_text("[data-test=hardship-sent]", "已提交")
        .await?;
    phone
        .wait_text("[data-test=hardship-status]", "待审核")
        .await?;
    let file_path = phone.path().await?;
    assert!(file_path.starts_with("/hardship/files/"), "{file_path}");
    // Proof: a photo from the camera, shrunk on the phone.
    let dir = tempfile::tempdir()?;
    let photo = dir.path().join("zhenduan.png");
    write_png(&photo, 1200, 900)?;
    phone
        .choose_file("[data-test=document-input]", &photo)
        .await?;
    phone.find("[data-test=documents] li").await?;
    phone.screenshot("hardship-file").await?;

    // Her district's officer finds it among the waiting files and puts it
    // on file in the proposed category.
    let desk = phone.another_phone().await?;
    desk.sign_in("13700000002", "Demo@2026").await?;
    desk.wait_path("/").await?;
    desk.open("/staff/hardship").await?;
    desk.wait_text("[data-test=hardship-counts]", "深度困难")
        .await?;
    desk.wait_text("[data-test=hardship-queue]", "李娜").await?;
    let mut hers = None;
    for item in desk
        .client
        .find_all(fantoccini::Locator::Css("[data-test=hardship-file]"))
        .await?
    {
        if item.text().await?.contains("李娜") {
            hers = Some(item);
        }
    }
    hers.expect("her file in the queue")
        .find(fantoccini::Locator::Css("a"))
        .await?
        .click()
        .await?;
    desk.wait_text("[data-test=proposed]", "深度困难").await?;
    desk.find("[data-test=documents] li").await?;
    desk.screenshot("desk-hardship-review").await?;
    desk.assert_accessible("hardship review").await?;
    desk.click("[data-test=approve]").await?;
    desk.wait_text("[data-test=hardship-status]", "已建档")
        .await?;

    // She sees it on file for a year, and the step reached her bell.
    phone.open(&file_path).await?;
    phone.wait_text("[data-test=category]", "深度困难").await?;
    phone.find("[data-test=valid-until]").await?;
    phone.open("/").await?;
    phone.find("[data-test=bell-count]").await?;
    phone.click("[data-test=bell]").await?;
    phone
        .wait_text("[data-test=inbox]", "困难档案：已建档")
        .await?;
    desk.client.clone().close().await?;
    phone.close().await
}
