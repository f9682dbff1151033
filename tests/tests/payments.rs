//! Money onto cards through the UI: the city officer puts 张伟's hardship
//! file on record and prepares the New Year relief for every household on
//! file; he cannot approve his own batch, 孙丽 (the city's second officer)
//! approves it after confirming its total; the bank's payment file is
//! downloaded, and the bank's answer, with one card refused, imported at
//! the desk; 张伟 sees the credit in 到账记录 and the message in his inbox;
//! a list pasted by ID number makes a batch.
//! And 金秋助学 from application to payment: 张伟, on file, applies for his
//! daughter from 首页 with a photo of the admission letter; the city
//! officer awards it; the awards batch is approved by 孙丽 and paid; 张伟
//! sees it paid.

use anyhow::Context;
use unioncard_e2e::Phone;

/// The payment file as the desk's download link serves it.
async fn bank_file(desk: &unioncard_e2e::Browser, path: &str) -> anyhow::Result<String> {
    let got = desk
        .client
        .execute_async(
            r#"const [url, done] = [arguments[0], arguments[arguments.length - 1]];
               fetch(url, { credentials: 'same-origin' }).then(r => r.text()).then(done, e => done('failed: ' + e));"#,
            vec![serde_json::Value::String(path.to_string())],
        )
        .await?;
    let text = got.as_str().context("text")?.to_string();
    anyhow::ensure!(text.starts_with("account,name,amount,reference"), "{text}");
    Ok(text)
}

/// 张伟's waiting hardship file goes on record (the city officer at the desk).
async fn put_zhang_on_file(desk: &unioncard_e2e::Browser) -> anyhow::Result<()> {
    desk.open("/staff/hardship").await?;
    desk.wait_text("[data-test=hardship-queue]", "张伟").await?;
    for item in desk
        .client
        .find_all(fantoccini::Locator::Css("[data-test=hardship-file]"))
        .await?
    {
        if item.text().await?.contains("张伟") {
            item.find(fantoccini::Locator::Css("a"))
                .await?
                .click()
                .await?;
            break;
        }
    }
    desk.click("[data-test=approve]").await?;
    desk.wait_text("[data-test=hardship-status]", "已建档")
        .await?;
    Ok(())
}

/// Answers a payment file as the bank does: `success`, except the rows
/// named with the bank's reason.
fn bank_answer(file: &str, refused: &[(usize, &str)]) -> String {
    let mut answer = String::new();
    for (i, row) in file.lines().enumerate() {
        let result = match i {
            0 => "result",
            i => refused
                .iter()
                .find(|(n, _)| *n == i)
                .map(|(_, why)| *why)
                .unwrap_or("success"),
        };
        answer.push_str(&format!("{row},{result}\r\n"));
    }
    answer
}

/// 孙丽 approves a batch after its total is put before her.
async fn second_officer_approves(
    phone: &Phone,
    batch_path: &str,
    total: &str,
) -> anyhow::Result<unioncard_e2e::Browser> {
    let second = phone.another_phone().await?;
    second.sign_in("13700000003", "Demo@2026").await?;
    second.wait_path("/").await?;
    second.open(batch_path).await?;
    second.click("[data-test=approve]").await?;
    let confirm = second
        .wait_text("[data-test=confirm-total]", "确认复核")
        .await?;
    assert!(confirm.contains(total), "{confirm} shows {total}");
    Ok(second)
}

/// Downloads the payment file and imports the bank's answer at the desk.
async fn pay(
    desk: &unioncard_e2e::Browser,
    batch_path: &str,
    refused: &[(usize, &str)],
) -> anyhow::Result<String> {
    desk.open(batch_path).await?;
    desk.click("[data-test=bank-file]").await?;
    let id = batch_path.rsplit('/').next().unwrap();
    let file = bank_file(desk, &format!("/api/staff/payments/batches/{id}/bank-file")).await?;
    let dir = tempfile::tempdir()?;
    let result_path = dir.path().join("huipan.csv");
    std::fs::write(&result_path, bank_answer(&file, refused))?;
    desk.open(batch_path).await?;
    desk.wait_text("[data-test=batch-status]", "已报送银行")
        .await?;
    desk.choose_file("#bank_result", &result_path).await?;
    desk.click("[data-test=import-result]").await?;
    desk.wait_text("[data-test=import-outcome]", "到账").await?;
    desk.wait_text("[data-test=batch-status]", "银行已回盘")
        .await?;
    Ok(file)
}

/// How many payments a batch holds (its last row's number in the file).
async fn desk_rows(desk: &unioncard_e2e::Browser, batch_path: &str) -> anyhow::Result<usize> {
    let id = batch_path.rsplit('/').next().unwrap();
    // Read before export: a prepared batch's lines, from the batch view.
    let got = desk
        .client
        .execute_async(
            r#"const [url, done] = [arguments[0], arguments[arguments.length - 1]];
               fetch(url, { credentials: 'same-origin' }).then(r => r.json()).then(b => done(b.count), e => done(-1));"#,
            vec![serde_json::Value::String(format!("/api/staff/payments/batches/{id}"))],
        )
        .await?;
    Ok(got.as_u64().context("count")? as usize)
}

#[tokio::test]
async fn relief_is_prepared_approved_by_another_paid_and_seen_by_the_member() -> anyhow::Result<()>
{
    let phone = Phone::start().await?;
    let desk = phone.another_phone().await?;
    desk.sign_in("13700000001", "Demo@2026").await?;
    desk.wait_path("/").await?;
    put_zhang_on_file(&desk).await?;

    // The relief round for every household on file.
    desk.open("/staff").await?;
    desk.click("a[href='/staff/payments']").await?;
    desk.wait_path("/staff/payments").await?;
    desk.wait_text("[data-test=batches]", "2026年国庆节送温暖")
        .await?;
    desk.fill("#batch_title", "2027年元旦送温暖").await?;
    desk.fill("#amount_deep", "1000").await?;
    desk.fill("#amount_relative", "600").await?;
    desk.fill("#amount_accident", "800").await?;
    desk.screenshot("desk-payments").await?;
    desk.assert_accessible("payments").await?;
    desk.click("[data-test=prepare]").await?;
    desk.wait_text("[data-test=batch-status]", "待复核").await?;
    let batch_path = desk.path().await?;
    assert!(batch_path.starts_with("/staff/payments/"), "{batch_path}");
    let total = desk.wait_text("[data-test=batch-total]", "¥").await?;
    // The one who prepared it is told why he cannot approve it.
    desk.wait_text("[data-test=four-eyes]", "另一位工作人员")
        .await?;
    assert!(desk
        .client
        .find(fantoccini::Locator::Css("[data-test=approve]"))
        .await
        .is_err());
    desk.screenshot("desk-batch-prepared").await?;
    // The model workers' register and this month's allowances waiting.
    desk.open("/staff/model-workers").await?;
    desk.wait_text("[data-test=model-workers]", "全国劳动模范")
        .await?;
    desk.wait_text("[data-test=allowance-rates]", "¥800.00")
        .await?;
    desk.screenshot("desk-model-workers").await?;
    desk.assert_accessible("model workers").await?;
    desk.open("/staff/payments").await?;
    desk.wait_text("[data-test=batches]", "劳模津补贴").await?;

    // 孙丽 approves, after the total is put before her.
    let second = second_officer_approves(&phone, &batch_path, &total).await?;
    second.screenshot("desk-batch-confirm").await?;
    second.click("[data-test=approve]").await?;
    second
        .wait_text("[data-test=batch-status]", "已复核")
        .await?;
    second
        .wait_text("[data-test=batch-approver]", "孙丽")
        .await?;

    // The bank's payment file, and its answer: the last card refused (not
    // 张伟's: his is among the first rows).
    let rows = desk_rows(&desk, &batch_path).await?;
    let file = pay(&desk, &batch_path, &[(rows, "卡已挂失")]).await?;
    assert!(file.lines().any(|r| r.contains("张伟")), "{file}");
    assert!(!file.lines().last().unwrap().contains("张伟"));
    desk.wait_text("[data-test=import-outcome]", "未到账 1 笔")
        .await?;
    desk.wait_text("[data-test=batch-failed]", "1").await?;
    desk.click(".chips .chip:nth-child(2)").await?;
    desk.wait_text("[data-test=line-reason]", "卡已挂失")
        .await?;
    desk.screenshot("desk-batch-settled").await?;
    desk.assert_accessible("batch").await?;

    // 张伟 is told, and sees it in 到账记录.
    phone.sign_in("13800000001", "Demo@2026").await?;
    phone.wait_path("/").await?;
    phone.click("[data-test=bell]").await?;
    phone
        .wait_text("[data-test=inbox]", "送温暖慰问 ¥1,000.00 已到账")
        .await?;
    phone.open("/me").await?;
    phone.click("[data-test=payments-link]").await?;
    phone.wait_path("/me/payments").await?;
    phone
        .wait_text("[data-test=my-payments]", "2027年元旦送温暖")
        .await?;
    phone.wait_text("[data-test=year-credited]", "¥").await?;
    phone.screenshot("my-payments").await?;
    phone.assert_accessible("my payments").await?;
    phone.assert_phone_friendly("my payments").await?;

    // A list pasted from a spreadsheet: migrant workers visited at New
    // Year, by name, ID number and amount; read as it is typed.
    desk.open("/staff/payments").await?;
    desk.set_value("#batch_source", "list").await?;
    desk.fill("#batch_title", "2027年春节走访慰问农民工")
        .await?;
    desk.fill("#batch_list", "张伟,420102198803151237,500")
        .await?;
    desk.wait_text("[data-test=list-summary]", "第 1 行")
        .await?;
    desk.fill(
        "#batch_list",
        "姓名,身份证号,金额\n张伟,420102198803151236,500\n李娜,420106199207082342,300.50",
    )
    .await?;
    desk.wait_text("[data-test=list-summary]", "共 2 人，合计 ¥800.50")
        .await?;
    desk.screenshot("desk-batch-list").await?;
    desk.assert_accessible("batch list").await?;
    desk.click("[data-test=prepare]").await?;
    desk.wait_text("[data-test=batch-status]", "待复核").await?;
    desk.wait_text("[data-test=batch-total]", "¥800.50").await?;
    second.client.clone().close().await?;
    desk.client.clone().close().await?;
    phone.close().await
}

#[tokio::test]
async fn a_child_s_education_aid_goes_from_application_to_the_card() -> anyhow::Result<()> {
    let phone = Phone::start().await?;
    let desk = phone.another_phone().await?;
    desk.sign_in("13700000001", "Demo@2026").await?;
    desk.wait_path("/").await?;
    put_zhang_on_file(&desk).await?;

    // 张伟 applies from 首页 for his daughter.
    phone.sign_in("13800000001", "Demo@2026").await?;
    phone.wait_path("/").await?;
    phone.click("[data-test=home-education-link]").await?;
    phone.wait_path("/education").await?;
    phone.wait_text("nav a[aria-current=page]", "服务").await?;
    phone
        .wait_text("[data-test=education-round]", "¥3,000.00")
        .await?;
    // Nothing typed: each missing answer is named, nothing is sent.
    phone.click("[data-test=send-education]").await?;
    phone.wait_text("#student_name-error", "必填").await?;
    phone.fill("#student_name", "张小雨").await?;
    phone.fill("#school", "武汉大学").await?;
    phone.set_value("#level", "bachelor").await?;
    let year = chrono_year();
    phone
        .set_value("#admitted_on", &format!("{year}-08-20"))
        .await?;
    phone.screenshot("education-form").await?;
    phone.assert_accessible("education form").await?;
    phone.assert_phone_friendly("education form").await?;
    phone.click("[data-test=send-education]").await?;
    phone
        .wait_text("[data-test=education-status]", "待审核")
        .await?;
    phone
        .wait_text("[data-test=education-amount]", "¥3,000.00")
        .await?;
    let app_path = phone.path().await?;
    let dir = tempfile::tempdir()?;
    let letter = dir.path().join("luqu.png");
    unioncard_e2e::write_png(&letter, 1200, 900)?;
    phone
        .choose_file("[data-test=document-input]", &letter)
        .await?;
    phone.find("[data-test=documents] li").await?;
    phone.screenshot("education-application").await?;

    // The city officer awards it.
    desk.open("/staff").await?;
    desk.click("a[href='/staff/education']").await?;
    desk.wait_text("[data-test=education-rounds]", "武汉市总工会")
        .await?;
    desk.wait_text("[data-test=education-queue]", "张小雨")
        .await?;
    for item in desk
        .client
        .find_all(fantoccini::Locator::Css(
            "[data-test=education-application]",
        ))
        .await?
    {
        if item.text().await?.contains("张小雨") {
            item.find(fantoccini::Locator::Css("a"))
                .await?
                .click()
                .await?;
            break;
        }
    }
    desk.find("[data-test=documents] li").await?;
    desk.screenshot("desk-education-review").await?;
    desk.assert_accessible("education review").await?;
    desk.click("[data-test=award]").await?;
    desk.wait_text("[data-test=education-status]", "已核准")
        .await?;

    // Paid with the awards not yet paid: prepared, approved by 孙丽, sent.
    desk.open("/staff/payments").await?;
    desk.set_value("#batch_programme", "education").await?;
    desk.fill("#batch_title", "金秋助学（第二批）").await?;
    desk.set_value("#batch_source", "education").await?;
    desk.click("[data-test=prepare]").await?;
    desk.wait_text("[data-test=batch-status]", "待复核").await?;
    let batch_path = desk.path().await?;
    let total = desk
        .wait_text("[data-test=batch-total]", "¥3,000.00")
        .await?;
    let second = second_officer_approves(&phone, &batch_path, &total).await?;
    second.click("[data-test=approve]").await?;
    second
        .wait_text("[data-test=batch-status]", "已复核")
        .await?;
    pay(&desk, &batch_path, &[]).await?;

    // 张伟 sees it paid.
    phone.open(&app_path).await?;
    phone
        .wait_text("[data-test=education-payment]", "已发放到会员卡")
        .await?;
    phone.open("/me/payments").await?;
    phone
        .wait_text("[data-test=my-payments]", "金秋助学")
        .await?;
    second.client.clone().close().await?;
    desk.client.clone().close().await?;
    phone.close().await
}

/// This year, as the demo's round is set for it (China time).
fn chrono_year() -> i64 {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    // Days to a civil year (H. Hinnant's algorithm), in China's time zone.
    let z = (now + 8 * 3600).div_euclid(86_400) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    yoe + era * 400 + i64::from(mp >= 10)
}
