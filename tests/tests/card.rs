//! The member card through the UI: activation and the QR, the cashier's check
//! on another phone, the e-card with no network, reporting it lost; joining;
//! an officer's roster import.

use unioncard_e2e::Phone;

#[tokio::test]
async fn zhang_wei_activates_his_card_and_a_cashier_checks_the_code() -> anyhow::Result<()> {
    let phone = Phone::start().await?;
    phone.sign_in("13800000001", "Demo@2026").await?;
    phone.wait_path("/").await?;
    phone.click("nav a[href='/']").await?;
    // A wrong check digit is caught on the phone, before anything is sent.
    phone.fill("#card_no", "6222 0202 0000 0000 015").await?;
    phone.click("#activate_id_number").await?;
    phone.wait_text("#card_no-error", "卡号有误").await?;
    phone.fill("#card_no", "6222 0202 0000 0000 014").await?;
    phone
        .fill("#activate_id_number", "420102198803151236")
        .await?;
    phone
        .click("form[data-test=activate-form] button[type=submit]")
        .await?;
    phone.find("svg[data-test=qr]").await?;
    phone.wait_text("[data-test=card-status]", "已激活").await?;
    let digits = phone.wait_text("[data-test=code-digits]", " ").await?;
    let code: String = digits.chars().filter(|c| c.is_ascii_digit()).collect();
    assert_eq!(code.len(), 20, "{digits}");
    phone.screenshot("ecard-active").await?;
    phone.click("[data-test=fullscreen]").await?;
    phone.find(".fullscreen svg[data-test=qr]").await?;
    phone.screenshot("ecard-fullscreen").await?;

    // The cashier, on another phone, types the code.
    let till = phone.another_phone().await?;
    till.sign_in("13900000001", "Demo@2026").await?;
    till.wait_path("/").await?;
    till.click("nav a[href='/']").await?;
    till.fill("#member_code", &digits).await?;
    till.click("form[data-test=check-form] button[type=submit]")
        .await?;
    till.wait_text("[data-test=check-holder]", "*伟").await?;
    till.wait_text("[data-test=check-result]", "会员卡有效")
        .await?;
    till.screenshot("cashier-check").await?;
    // A mistyped code gets a clear answer.
    let mut wrong = code.clone().into_bytes();
    wrong[19] = if wrong[19] == b'9' {
        b'0'
    } else {
        wrong[19] + 1
    };
    till.fill("#member_code", std::str::from_utf8(&wrong)?)
        .await?;
    till.click("form[data-test=check-form] button[type=submit]")
        .await?;
    till.wait_text("[data-test=check-result]", "会员码无效")
        .await?;
    till.client.clone().close().await?;
    phone.close().await
}

/// 李娜's 首页 and 我的 show her card before the app's code has come: the
/// page draws it from the answers it asks for first. When the code comes,
/// the app takes over in place: one card, where it was, now with its code.
#[tokio::test]
async fn li_nas_card_shows_before_the_app_and_stays_in_place() -> anyhow::Result<()> {
    let (copy, build) = unioncard_e2e::copy_of_app()?;
    // The app's code held back: what is seen is the page's own drawing.
    let held = copy.path().join("held");
    std::fs::create_dir_all(&held)?;
    let wasm = ["main_bg.wasm", "main_bg.wasm.br", "main_bg.wasm.gz"];
    for name in wasm {
        std::fs::rename(build.join(name), held.join(name))?;
    }
    let phone = Phone::start_serving(copy.path(), 390, 844).await?;
    phone.open("/login").await?;
    // Signed in as the form does (the form is the app's, held back).
    let status = phone
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             fetch('/api/auth/login', {method: 'POST', headers: {'content-type': 'application/json',
               'X-Requested-With': 'unioncard'}, body: JSON.stringify({phone: '13800000002', password: 'Demo@2026'})})
               .then(r => done(r.status), e => done(String(e)));",
            vec![],
        )
        .await?;
    assert_eq!(status, serde_json::json!(200));

    phone.open("/").await?;
    phone.wait_text("#boot main h2", "您好，李娜").await?;
    let face = phone.wait_text("#boot .card-face", "已激活").await?;
    assert!(face.contains("*娜"), "the card's face said {face:?}");
    assert!(face.contains("**** ****"), "the card's face said {face:?}");
    phone.screenshot("card-before-the-app").await?;
    let top =
        "return Math.round(document.querySelector('.card-face').getBoundingClientRect().top);";
    let before = phone.client.execute(top, vec![]).await?;
    phone.open("/me").await?;
    phone.wait_text("#boot main h2", "我的").await?;
    phone.wait_text("#boot .card-face", "*娜").await?;

    // The code comes: the app draws the card again, in the same place,
    // and the page's drawing goes.
    for name in wasm {
        std::fs::rename(held.join(name), build.join(name))?;
    }
    phone.open("/").await?;
    phone.find("svg[data-test=qr]").await?;
    phone
        .wait_script(
            "const faces = document.querySelectorAll('.card-face').length;
             return !document.getElementById('boot') && faces === 1 || `boot: ${!!document.getElementById('boot')}, faces: ${faces}`;",
            "one card, the app's",
        )
        .await?;
    let after = phone.client.execute(top, vec![]).await?;
    assert_eq!(before, after, "the card moved when the app took over");
    phone.close().await
}

#[tokio::test]
async fn li_na_shows_her_e_card_with_no_network() -> anyhow::Result<()> {
    let mut phone = Phone::start().await?;
    phone.sign_in("13800000002", "Demo@2026").await?;
    phone.wait_path("/").await?;
    phone.find("svg[data-test=qr]").await?;
    // A cold open of the app, signed in: the code is on the first screen.
    phone.open("/").await?;
    phone.find("svg[data-test=qr]").await?;
    unioncard_e2e::effort("taps from a cold open to a scannable code: 0");
    // The phone keeps the card, and the service worker the shell.
    phone.wait_stored("uc_ecard").await?;
    phone.wait_offline_ready().await?;
    phone.stop_server();
    phone.browser.refresh().await?;
    phone.wait_text("main", "当前没有网络").await?;
    phone.find("svg[data-test=qr]").await?;
    let digits = phone.wait_text("[data-test=code-digits]", " ").await?;
    assert_eq!(digits.chars().filter(|c| c.is_ascii_digit()).count(), 20);
    phone.wait_text("[data-test=card-face]", "*娜").await?;
    phone.screenshot("ecard-offline").await?;
    phone.close().await
}

/// 李娜 reports her card lost; her district's officer finds it by her ID
/// number and replaces it (补卡); she is told, and activates the new card
/// with its new number.
#[tokio::test]
async fn li_na_reports_her_card_lost_and_gets_a_new_one() -> anyhow::Result<()> {
    let phone = Phone::start().await?;
    phone.sign_in("13800000002", "Demo@2026").await?;
    phone.wait_path("/").await?;
    phone.click("nav a[href='/me']").await?;
    phone.click("[data-test=report-lost]").await?;
    phone.click("[data-test=confirm-lost]").await?;
    phone.wait_text("[data-test=card-status]", "已挂失").await?;
    phone.click("nav a[href='/']").await?;
    phone.wait_text("main", "已挂失").await?;
    assert!(phone
        .client
        .find(fantoccini::Locator::Css("svg[data-test=qr]"))
        .await
        .is_err());

    // 吴晓燕 at the card desk: by ID number, as she brought no card.
    let desk = phone.another_phone().await?;
    desk.sign_in("13700000002", "Demo@2026").await?;
    desk.wait_path("/").await?;
    desk.open("/staff/cards").await?;
    desk.fill("#staff_card_no", "420106199207082342").await?;
    desk.click("form[data-test=card-lookup] button[type=submit]")
        .await?;
    desk.wait_text("[data-test=staff-card-status]", "已挂失")
        .await?;
    desk.click("[data-test=replace-card]").await?;
    let told = desk.wait_text("[data-test=new-card-no]", "新卡号").await?;
    desk.wait_text("[data-test=staff-card-status]", "待激活")
        .await?;
    desk.screenshot("desk-card-replaced").await?;
    desk.assert_accessible("card replaced").await?;
    let new_no: String = told
        .split("新卡号")
        .nth(1)
        .unwrap_or_default()
        .chars()
        .filter(|c| c.is_ascii_digit())
        .take(19)
        .collect();
    assert_eq!(new_no.len(), 19, "{told}");
    assert_ne!(new_no, "6222020200000000022");

    // She is told, and activates the new card.
    phone.open("/").await?;
    phone.click("[data-test=bell]").await?;
    phone.wait_text("[data-test=inbox]", "会员卡已补办").await?;
    phone.open("/").await?;
    phone.fill("#card_no", &new_no).await?;
    phone
        .fill("#activate_id_number", "420106199207082342")
        .await?;
    phone
        .click("form[data-test=activate-form] button[type=submit]")
        .await?;
    phone.wait_text("[data-test=card-status]", "已激活").await?;
    phone.find("svg[data-test=qr]").await?;
    // The officer's browser too: left open, it outlived the test run.
    desk.client.clone().close().await?;
    phone.close().await
}

#[tokio::test]
async fn an_officer_imports_a_roster_with_bad_lines_and_sees_the_report() -> anyhow::Result<()> {
    let phone = Phone::start().await?;
    let dir = tempfile::tempdir()?;
    let file = dir.path().join("roster.csv");
    std::fs::write(
        &file,
        "name,id_number,phone,workplace\n\
         陈晓红,420106199003070024,13912340001,武汉某物流有限公司\n\
         刘建军,420106198512120013,13912340002,武汉某物流有限公司\n\
         孙丽,420106199003070027,13912340004,某公司\n\
         吴刚,420106197706060018,1391234,某公司\n",
    )?;
    phone.sign_in("13700000002", "Demo@2026").await?;
    phone.wait_path("/").await?;
    // Signed in, an officer lands on 首页 with the desk's door; 我的 has it too.
    phone.find("[data-test=open-desk]").await?;
    phone.click("nav a[href='/me']").await?;
    phone.click("[data-test=desk-link]").await?;
    phone.click("a[href='/staff/roster']").await?;
    phone
        .find("#roster_file")
        .await?
        .send_keys(file.to_str().unwrap())
        .await?;
    phone.click("[data-test=upload]").await?;
    phone.wait_text("[data-test=added]", "2").await?;
    phone.wait_text("[data-test=rejected-count]", "2").await?;
    phone
        .wait_text("[data-test=import-report] table", "校验位")
        .await?;
    phone
        .wait_text("[data-test=import-report] table", "手机号格式不对")
        .await?;
    phone.screenshot("roster-import-report").await?;
    phone.close().await
}

#[tokio::test]
async fn a_newcomer_applies_to_join_and_an_officer_approves() -> anyhow::Result<()> {
    let phone = Phone::start().await?;
    phone.open("/join").await?;
    phone.fill("#name", "赵敏").await?;
    phone.fill("#id_number", "11010519491231002X").await?;
    phone.fill("#phone", "13911112222").await?;
    phone.fill("#union_search", "武昌").await?;
    phone.click("[data-test=union-search]").await?;
    phone.click(".choice-btn").await?;
    phone.wait_text("[data-test=chosen-union]", "工会").await?;
    phone.fill("#workplace", "武昌某物流公司").await?;
    phone
        .click("form[data-test=join-form] button[type=submit]")
        .await?;
    phone
        .wait_text("[data-test=application-sent]", "申请已提交")
        .await?;
    phone.screenshot("join-sent").await?;

    let officer = phone.another_phone().await?;
    officer.sign_in("13700000002", "Demo@2026").await?;
    officer.wait_path("/").await?;
    officer.open("/staff/join-requests").await?;
    officer
        .wait_text("[data-test=join-request]", "赵敏")
        .await?;
    officer.screenshot("join-queue").await?;
    officer.click("[data-test=approve]").await?;
    officer.wait_text("main", "没有待处理的申请").await?;
    officer.client.clone().close().await?;

    phone.fill("#lookup_phone", "13911112222").await?;
    phone
        .fill("#lookup_id_number", "11010519491231002X")
        .await?;
    phone
        .click("form[data-test=lookup-form] button[type=submit]")
        .await?;
    phone
        .wait_text("[data-test=lookup-result]", "已通过")
        .await?;
    phone.close().await
}
