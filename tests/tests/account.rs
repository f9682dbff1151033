//! A person's first minutes with the app, on a phone-sized screen: register,
//! sign out, sign in, get a password wrong, change the password, switch
//! language, open a bad link, lose the signal.

use unioncard_e2e::Phone;

#[tokio::test]
async fn wang_fang_registers_from_the_roster_and_lands_on_my_page() -> anyhow::Result<()> {
    let phone = Phone::start().await?;
    phone.open("/register").await?;
    phone.fill("#name", "王芳").await?;
    phone.fill("#id_number", "420103199501010009").await?;
    phone.fill("#phone", "13912345678").await?;
    phone.fill("#password", "Fang2026ok").await?;
    phone
        .click("form[data-test=register-form] button[type=submit]")
        .await?;
    phone.wait_path("/me").await?;
    phone
        .wait_text("[data-test=profile-id]", "4201**********0009")
        .await?;
    phone.wait_text("[data-test=profile-name]", "王芳").await?;
    phone
        .wait_text("[data-test=profile-phone]", "139****5678")
        .await?;
    phone.wait_text("[data-test=card-status]", "待激活").await?;
    let page = phone.find("main").await?.text().await?;
    assert!(
        !page.contains("420103199501010009"),
        "the full ID number is never shown"
    );
    phone.screenshot("registered-my-page").await?;
    phone.close().await
}

#[tokio::test]
async fn the_register_form_checks_the_id_number_before_sending() -> anyhow::Result<()> {
    let phone = Phone::start().await?;
    phone.open("/register").await?;
    // One digit wrong: the check character no longer matches.
    phone.fill("#id_number", "420103199501010008").await?;
    phone.click("#phone").await?;
    phone.wait_text("#id_number-error", "校验位").await?;
    let invalid = phone.find("#id_number").await?.attr("aria-invalid").await?;
    assert_eq!(invalid.as_deref(), Some("true"));
    // A name and ID the roster does not know: the server says so.
    phone.fill("#name", "赵六").await?;
    phone.fill("#id_number", "11010519491231002X").await?;
    phone.fill("#phone", "13912340000").await?;
    phone.fill("#password", "Stranger1").await?;
    phone
        .click("form[data-test=register-form] button[type=submit]")
        .await?;
    phone
        .wait_text("[data-test=form-message]", "名册中没有")
        .await?;
    phone.screenshot("register-not-in-roster").await?;
    phone.close().await
}

#[tokio::test]
async fn zhang_wei_signs_in_sees_his_card_and_signs_out() -> anyhow::Result<()> {
    let phone = Phone::start().await?;
    phone.sign_in("13800000001", "Demo@2026").await?;
    phone.wait_path("/").await?;
    phone.click("nav a[href='/me']").await?;
    phone.wait_text("[data-test=profile-name]", "张伟").await?;
    phone
        .wait_text("[data-test=profile-id]", "4201**********1236")
        .await?;
    phone.wait_text("[data-test=card-status]", "待激活").await?;
    phone.screenshot("zhang-wei-my-page").await?;
    // The session survives a reload.
    phone.browser.refresh().await?;
    phone.wait_text("[data-test=profile-name]", "张伟").await?;
    // Home greets him with his card.
    phone.click("nav a[href='/']").await?;
    phone.wait_text("main", "您好，张伟").await?;
    phone.screenshot("zhang-wei-home").await?;
    phone.click("nav a[href='/me']").await?;
    phone.click("[data-test=sign-out]").await?;
    phone.wait_text("main", "登录后查看您的会员信息").await?;
    phone.browser.refresh().await?;
    phone.wait_text("main", "登录后查看您的会员信息").await?;
    phone.close().await
}

#[tokio::test]
async fn a_wrong_password_shows_a_clear_message() -> anyhow::Result<()> {
    let phone = Phone::start().await?;
    phone.sign_in("13800000001", "Wrong@2026").await?;
    phone
        .wait_text("[data-test=form-message]", "手机号或密码不正确")
        .await?;
    let url = phone.browser.current_url().await?;
    assert_eq!(url.path(), "/login");
    phone.screenshot("login-wrong-password").await?;
    phone.close().await
}

#[tokio::test]
async fn li_na_changes_her_password_and_her_other_phone_is_signed_out() -> anyhow::Result<()> {
    let phone = Phone::start().await?;
    // Signed in on another phone too: that session ends with the change.
    let other = phone.another_phone().await?;
    other.sign_in("13800000002", "Demo@2026").await?;
    other.wait_path("/").await?;
    other.click("nav a[href='/me']").await?;
    other.wait_text("[data-test=profile-name]", "李娜").await?;

    phone.sign_in("13800000002", "Demo@2026").await?;
    phone.wait_path("/").await?;
    phone.click("nav a[href='/me']").await?;
    phone.wait_text("[data-test=profile-name]", "李娜").await?;
    phone.click("[data-test=change-password]").await?;
    phone.wait_path("/me/password").await?;
    // The phone checks the new password and its confirmation before sending.
    phone.fill("#current_password", "Demo@2026").await?;
    phone.fill("#new_password", "short1").await?;
    phone.fill("#new_password_again", "Newpass2025").await?;
    phone.click("#current_password").await?;
    phone.wait_text("#new_password-error", "至少 8 位").await?;
    phone
        .wait_text("#new_password_again-error", "不一致")
        .await?;
    let invalid = phone
        .find("#new_password_again")
        .await?
        .attr("aria-invalid")
        .await?;
    assert_eq!(invalid.as_deref(), Some("true"));
    // A wrong current password: the server says so next to the field.
    phone.fill("#current_password", "Wrong@2026").await?;
    phone.fill("#new_password", "Newpass2026").await?;
    phone.fill("#new_password_again", "Newpass2026").await?;
    phone
        .click("form[data-test=password-form] button[type=submit]")
        .await?;
    phone
        .wait_text("#current_password-error", "当前密码不正确")
        .await?;
    phone.screenshot("password-wrong-current").await?;
    phone.assert_accessible("/me/password").await?;
    // The right one: back on 我的, told what happened.
    phone.fill("#current_password", "Demo@2026").await?;
    phone
        .click("form[data-test=password-form] button[type=submit]")
        .await?;
    phone.wait_path("/me").await?;
    phone
        .wait_text(
            "[data-test=me-notice]",
            "密码已修改，其他设备上的登录已退出",
        )
        .await?;
    phone.wait_text("[data-test=profile-name]", "李娜").await?;
    phone.screenshot("password-changed").await?;

    // The other phone is signed out.
    other.refresh().await?;
    other.wait_text("main", "登录后查看您的会员信息").await?;
    other.client.clone().close().await?;

    // Signed out here: the old password no longer works, the new one does.
    phone.click("[data-test=sign-out]").await?;
    phone.wait_text("main", "登录后查看您的会员信息").await?;
    phone.sign_in("13800000002", "Demo@2026").await?;
    phone
        .wait_text("[data-test=form-message]", "手机号或密码不正确")
        .await?;
    phone.sign_in("13800000002", "Newpass2026").await?;
    phone.wait_path("/").await?;
    phone.click("nav a[href='/me']").await?;
    phone.wait_text("[data-test=profile-name]", "李娜").await?;
    phone.close().await
}

#[tokio::test]
async fn switching_to_english_and_back_is_remembered() -> anyhow::Result<()> {
    let phone = Phone::start().await?;
    phone.open("/").await?;
    phone.wait_text("nav", "首页").await?;
    phone.click("[data-test=lang-switch]").await?;
    phone.wait_text("nav", "Home").await?;
    phone.wait_text("main", "What this card does").await?;
    let lang = phone.find("html").await?.attr("lang").await?;
    assert_eq!(lang.as_deref(), Some("en"));
    phone.screenshot("home-english").await?;
    // Still English after a reload.
    phone.browser.refresh().await?;
    phone.wait_text("nav", "Home").await?;
    // Server messages follow the language too.
    phone.sign_in("13800000001", "Wrong@2026").await?;
    phone
        .wait_text("[data-test=form-message]", "Wrong phone number or password")
        .await?;
    phone.click("[data-test=lang-switch]").await?;
    phone.wait_text("nav", "首页").await?;
    phone.close().await
}

#[tokio::test]
async fn an_unknown_link_shows_the_not_found_screen() -> anyhow::Result<()> {
    let phone = Phone::start().await?;
    phone.open("/no/such/screen").await?;
    phone
        .wait_text("[data-test=not-found]", "页面不存在")
        .await?;
    phone.click("[data-test=not-found] a").await?;
    phone.wait_path("/").await?;
    phone.close().await
}

#[tokio::test]
async fn the_app_opens_with_no_signal_once_visited() -> anyhow::Result<()> {
    let mut phone = Phone::start().await?;
    phone.open("/").await?;
    phone.wait_text("nav", "首页").await?;
    // Wait until the service worker has kept the shell.
    phone.wait_offline_ready().await?;
    phone.stop_server();
    phone.browser.refresh().await?;
    phone.wait_text("nav", "首页").await?;
    // With no server to ask, the app says so and offers to retry.
    phone.wait_text("[role=alert]", "网络不给力").await?;
    phone.screenshot("offline-shell").await?;
    // The sections' code was kept too: aid and training open with no signal
    // (their data says the network is down, the screens are there).
    phone.click("nav a[href='/services']").await?;
    phone.click("[data-test=aid-link]").await?;
    phone.wait_text("main h2", "医疗互助").await?;
    phone.wait_text("[role=alert]", "网络不给力").await?;
    phone.wait_text("nav a[aria-current=page]", "服务").await?;
    phone.click("nav a[href='/services']").await?;
    phone.click("[data-test=training-link]").await?;
    phone.wait_text("[role=alert]", "网络不给力").await?;
    phone.screenshot("offline-aid").await?;
    phone.close().await
}

#[tokio::test]
async fn her_cover_loans_and_training_show_with_no_signal_saying_as_of_when() -> anyhow::Result<()>
{
    let mut phone = Phone::start().await?;
    phone.sign_in("13800000002", "Demo@2026").await?;
    phone.wait_path("/").await?;
    // Seen once with a signal: nothing says "as of" then.
    phone.open("/aid/mine").await?;
    phone
        .wait_text("[data-test=cover]", "职工住院医疗互助")
        .await?;
    phone.open("/me/training").await?;
    phone.wait_text("main h2", "我的培训").await?;
    phone.open("/loans").await?;
    phone.wait_text("#mine", "我的贷款").await?;
    assert!(
        phone
            .client
            .find(fantoccini::Locator::Css("[data-test=as-of]"))
            .await
            .is_err(),
        "an as-of note with a signal"
    );
    phone.wait_offline_ready().await?;

    // No signal: each shows what the phone kept, and says as of when.
    phone.stop_server();
    phone.browser.refresh().await?;
    phone.wait_text("[data-test=as-of]", "没有网络").await?;
    phone.wait_text("#mine", "我的贷款").await?;
    phone.open("/aid/mine").await?;
    let note = phone.wait_text("[data-test=as-of]", "时的记录").await?;
    assert!(
        note.contains("年") && note.contains(':'),
        "a date and time: {note}"
    );
    phone
        .wait_text("[data-test=cover]", "职工住院医疗互助")
        .await?;
    phone.screenshot("offline-cover").await?;
    phone.open("/me/training").await?;
    phone.wait_text("[data-test=as-of]", "没有网络").await?;
    phone.close().await
}

#[tokio::test]
async fn main_screens_pass_an_accessibility_scan() -> anyhow::Result<()> {
    let phone = Phone::start().await?;
    for path in [
        "/",
        "/offers",
        "/services",
        "/login",
        "/register",
        "/me",
        "/join",
    ] {
        phone.open(path).await?;
        phone.find("nav").await?;
        phone.wait_loaded().await?;
        phone.assert_accessible(path).await?;
    }
    phone.sign_in("13800000002", "Demo@2026").await?;
    phone.wait_path("/").await?;
    phone.click("nav a[href='/me']").await?;
    phone.wait_text("[data-test=profile-name]", "李娜").await?;
    phone.assert_accessible("/me signed in").await?;
    phone.click("nav a[href='/']").await?;
    phone.find("svg[data-test=qr]").await?;
    phone.assert_accessible("e-card").await?;
    for path in [
        "/me/savings",
        "/merchants/1",
        "/training",
        "/training/courses/1",
        "/me/training",
    ] {
        phone.open(path).await?;
        phone.find("h2").await?;
        phone.wait_loaded().await?;
        phone.assert_accessible(path).await?;
    }
    // The cashier's and the officer's screens.
    for (who, paths) in [
        ("13900000001", &["/cashier"][..]),
        (
            "13700000002",
            &[
                "/staff",
                "/staff/join-requests",
                "/staff/roster",
                "/staff/cards",
                "/staff/complaints",
                "/staff/training",
            ][..],
        ),
    ] {
        phone.click("nav a[href='/me']").await?;
        phone.click("[data-test=sign-out]").await?;
        phone.wait_text("main", "登录后查看").await?;
        phone.sign_in(who, "Demo@2026").await?;
        phone.wait_path("/").await?;
        for path in paths {
            phone.open(path).await?;
            phone.find("h2").await?;
            phone.wait_loaded().await?;
            phone.assert_accessible(path).await?;
        }
    }
    phone.close().await
}

#[tokio::test]
async fn every_screen_fits_a_360px_phone_at_double_text_size() -> anyhow::Result<()> {
    let phone = Phone::start_sized(360, 740).await?;
    phone.sign_in("13800000002", "Demo@2026").await?;
    phone.wait_path("/").await?;
    phone.click("nav a[href='/me']").await?;
    phone.wait_text("[data-test=profile-name]", "李娜").await?;
    for path in [
        "/",
        "/offers",
        "/services",
        "/me",
        "/me/savings",
        "/merchants/1",
        "/training",
        "/training/courses/1",
        "/me/training",
        "/join",
        "/login",
        "/register",
        "/missing",
    ] {
        phone.open(path).await?;
        phone.find("nav").await?;
        let overflow = phone
            .browser
            .execute(
                "document.documentElement.style.fontSize = '200%';
                 return document.documentElement.scrollWidth - window.innerWidth;",
                vec![],
            )
            .await?;
        let overflow = overflow.as_i64().unwrap_or(i64::MAX);
        assert!(
            overflow <= 0,
            "{path} scrolls sideways by {overflow} px at 200% text"
        );
    }
    phone.open("/").await?;
    phone.wait_text("main", "您好，李娜").await?;
    phone
        .browser
        .execute("document.documentElement.style.fontSize = '200%';", vec![])
        .await?;
    phone.screenshot("home-360-200pct").await?;
    phone.close().await
}
