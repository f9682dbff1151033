//! Every screen this product added for aid, loans, the desk and management,
//! at phone size (390×844): no sideways scrolling, no raw error on screen,
//! no serious accessibility problem; a screenshot of each for people to look at.

use anyhow::Context;
use unioncard_e2e::{Browser, Phone};

/// Opens a screen, waits for its heading, and checks it.
async fn look(b: &Browser, path: &str, name: &str) -> anyhow::Result<()> {
    b.open(path).await?;
    b.find("main h2")
        .await
        .with_context(|| format!("{name}: no heading"))?;
    check(b, name).await
}

/// Checks the screen once it has finished loading.
async fn check(b: &Browser, name: &str) -> anyhow::Result<()> {
    b.wait_loaded()
        .await
        .with_context(|| format!("{name}: still loading"))?;
    let wide = b
        .client
        .execute(
            "return document.documentElement.scrollWidth - window.innerWidth;",
            vec![],
        )
        .await?
        .as_i64()
        .unwrap_or(0);
    assert!(wide <= 0, "{name}: {wide} px wider than the phone");
    let text = b.find("main").await?.text().await?;
    for raw in [
        "internal_error",
        "unexpected_response",
        "undefined",
        "NaN",
        "null",
    ] {
        assert!(!text.contains(raw), "{name} shows {raw:?}: {text}");
    }
    b.assert_accessible(name).await?;
    b.screenshot(&format!("screen-{name}")).await
}

/// The first stop of a keyboard or a screen reader says what it does, and
/// Enter on it puts the focus on the screen, past the top bar (it used to
/// read the app's name and leave the focus where it was).
async fn skip_link_reaches_the_screen(b: &Browser, label: &str) -> anyhow::Result<()> {
    b.wait_loaded().await?;
    let first = b
        .client
        .execute(
            "return document.querySelector('a[href], button, input, select, textarea').className;",
            vec![],
        )
        .await?;
    assert_eq!(
        first.as_str(),
        Some("skip-link"),
        "the first thing to focus"
    );
    b.client
        .execute("document.querySelector('.skip-link').focus();", vec![])
        .await?;
    let link = b.client.active_element().await?;
    assert_eq!(link.text().await?, label);
    link.send_keys("\u{E007}").await?;
    b.wait_script(
        "return document.activeElement.id === 'main' || document.activeElement.outerHTML.slice(0, 60);",
        "the focus on the screen after the skip link",
    )
    .await?;
    // The screen's heading is not left under the sticky top bar.
    b.wait_script(
        "var h = document.querySelector('main h2').getBoundingClientRect().top, \
         bar = document.querySelector('.top-bar').getBoundingClientRect().bottom; \
         return h >= bar || ('heading at ' + h + ', bar ends at ' + bar);",
        "the screen's heading below the top bar after the skip link",
    )
    .await
}

#[tokio::test]
async fn every_new_screen_reads_well_on_a_phone() -> anyhow::Result<()> {
    let phone = Phone::start().await?;
    // A guest: the plans, an estimator, the loan pre-check's sign-in.
    look(&phone, "/aid", "aid-guest").await?;
    skip_link_reaches_the_screen(&phone, "跳到正文").await?;
    look(&phone, "/aid/plans/2", "aid-plan-guest").await?;
    look(&phone, "/loans", "loans-guest").await?;

    // 李娜.
    phone.sign_in("13800000002", "Demo@2026").await?;
    phone.wait_path("/").await?;
    check(&phone, "me").await?;
    look(&phone, "/services", "services").await?;
    look(&phone, "/aid", "aid").await?;
    look(&phone, "/aid/plans/4", "aid-plan-women").await?;
    look(&phone, "/aid/mine", "aid-mine").await?;
    phone.click("[data-test=cover] h3 a").await?;
    phone.find("[data-test=certificate-no]").await?;
    check(&phone, "aid-certificate").await?;
    phone.click("[data-test=new-claim]").await?;
    phone.find("#admitted_on").await?;
    check(&phone, "aid-claim-new").await?;
    look(&phone, "/loans", "loans-precheck").await?;
    // Someone else's (or no) claim: a plain sentence, no raw error.
    phone.open("/aid/claims/999999").await?;
    phone.wait_text("main .error-box", "").await?;
    check(&phone, "aid-claim-missing").await?;

    // The city officer: the desk and management.
    let desk = phone.another_phone().await?;
    desk.sign_in("13700000001", "Demo@2026").await?;
    desk.wait_path("/").await?;
    look(&desk, "/staff", "desk").await?;
    skip_link_reaches_the_screen(&desk, "跳到正文").await?;
    look(&desk, "/staff/figures", "desk-figures").await?;
    look(&desk, "/staff/aid", "desk-claims").await?;
    desk.click("[data-test=claim-queue] [data-test=claim] a")
        .await?;
    desk.find("[data-test=review-status]").await?;
    check(&desk, "desk-claim").await?;
    look(&desk, "/staff/loans", "desk-loans").await?;
    desk.click("[data-test=loan-queue] [data-test=loan] a")
        .await?;
    desk.find("[data-test=advance]").await?;
    check(&desk, "desk-loan").await?;
    look(&desk, "/staff/audit", "desk-audit").await?;
    look(&desk, "/manage", "manage").await?;
    skip_link_reaches_the_screen(&desk, "跳到正文").await?;
    look(&desk, "/manage/merchants", "manage-merchants").await?;
    look(&desk, "/manage/merchants/1", "manage-merchant").await?;
    look(&desk, "/manage/merchants/new", "manage-merchant-new").await?;
    look(&desk, "/manage/plans", "manage-plans").await?;
    look(&desk, "/manage/unions", "manage-unions-officer").await?;
    desk.client.clone().close().await?;

    // The administrator.
    let admin = phone.another_phone().await?;
    admin.sign_in("13600000001", "Demo@2026").await?;
    admin.wait_path("/").await?;
    look(&admin, "/manage/unions", "manage-unions").await?;
    admin.client.clone().close().await?;
    phone.close().await
}

/// Opens each screen and collects what [`Browser::assert_phone_friendly`]
/// finds (every screen's problems at once, not the first one's).
async fn friendly(
    b: &Browser,
    paths: &[&str],
    mode: &str,
    problems: &mut Vec<String>,
) -> anyhow::Result<()> {
    for path in paths {
        b.open(path).await?;
        b.find("main h2, main .card-slot, main .hero")
            .await
            .with_context(|| format!("{path}: nothing on screen"))?;
        if let Err(e) = b.assert_phone_friendly(&format!("{path} ({mode})")).await {
            problems.push(format!("{e:#}"));
        }
    }
    Ok(())
}

#[tokio::test]
async fn every_member_screen_has_thumb_sized_targets_and_whole_numbers() -> anyhow::Result<()> {
    let phone = Phone::start().await?;
    let guest = [
        "/",
        "/offers",
        "/merchants/1",
        "/services",
        "/training",
        "/training/courses/1",
        "/aid",
        "/aid/plans/1",
        "/loans",
        "/login",
        "/register",
        "/join",
        "/hardship",
    ];
    let member = [
        "/",
        "/me",
        "/me/savings",
        "/me/training",
        "/me/messages",
        "/aid/mine",
        "/aid/plans/1",
        "/loans",
        "/merchants/1",
        "/training/courses/1",
        "/hardship",
    ];
    let mut problems = Vec::new();
    for elder in [false, true] {
        let mode = if elder { "elder mode" } else { "390 px" };
        if elder {
            phone.open("/").await?;
            phone.click("[data-test=elder-switch]").await?;
            phone
                .wait_script(
                    "return document.documentElement.classList.contains('elder');",
                    "elder mode on",
                )
                .await?;
        }
        friendly(&phone, &guest, mode, &mut problems).await?;
        phone.sign_in("13800000002", "Demo@2026").await?;
        phone.wait_path("/").await?;
        friendly(&phone, &member, mode, &mut problems).await?;
        // Her certificate, opened from 我的保障 (its number and her masked ID).
        phone.open("/aid/mine").await?;
        phone.click("[data-test=cover] h3 a").await?;
        phone.find("[data-test=certificate-no]").await?;
        if let Err(e) = phone
            .assert_phone_friendly(&format!("certificate ({mode})"))
            .await
        {
            problems.push(format!("{e:#}"));
        }
        if elder {
            // The e-card and its full-screen button stay on the first screen.
            phone.open("/").await?;
            phone.find("svg[data-test=qr]").await?;
            phone.screenshot("elder-home").await?;
            let below = phone
                .client
                .execute(
                    "const b = document.querySelector('[data-test=fullscreen]') || document.querySelector('svg[data-test=qr]');
                     return Math.round(b.getBoundingClientRect().bottom - window.innerHeight + 64);",
                    vec![],
                )
                .await?
                .as_i64()
                .unwrap_or(0);
            if below > 0 {
                problems.push(format!(
                    "in elder mode the e-card's full-screen button is {below} px below the first screen"
                ));
            }
        }
        phone.click("nav a[href='/me']").await?;
        phone.click("[data-test=sign-out]").await?;
        phone.wait_text("main", "登录后查看").await?;
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    phone.close().await
}
