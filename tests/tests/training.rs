//! Training through the UI: find an electrician course, sign up, get the
//! calendar file, cancel; a cancellation moves the waiting list up.

use unioncard_e2e::{Browser, Phone};

/// On a course page, signs up for the first session that still has seats
/// (its button offers 报名; a full one offers the waiting list).
async fn take_a_seat(phone: &Browser) -> anyhow::Result<()> {
    phone.find("[data-test=session]").await?;
    let buttons = phone
        .client
        .find_all(fantoccini::Locator::Css("[data-test=sign-up]"))
        .await?;
    for b in buttons {
        if b.text().await?.trim() == "报名" {
            phone
                .client
                .execute(
                    "arguments[0].scrollIntoView({block: 'center'});",
                    vec![serde_json::to_value(&b)?],
                )
                .await?;
            b.click().await?;
            return Ok(());
        }
    }
    anyhow::bail!("no session with seats on this course")
}

#[tokio::test]
async fn li_na_signs_up_for_an_electrician_course_and_cancels() -> anyhow::Result<()> {
    let phone = Phone::start().await?;
    phone.sign_in("13800000002", "Demo@2026").await?;
    phone.wait_path("/").await?;
    phone.click("nav a[href='/services']").await?;
    phone.click("[data-test=training-link]").await?;
    phone.wait_text("[data-test=course-list]", "班").await?;
    phone.click("button.chip:nth-child(2)").await?; // 电工
    phone.wait_text("[data-test=course-list]", "电工").await?;
    phone.screenshot("training-list").await?;
    phone.click("[data-test=course-list] a").await?;
    take_a_seat(&phone).await?;
    phone
        .wait_text("[data-test=signup-status]", "已报名")
        .await?;
    phone.screenshot("training-course").await?;
    phone.open("/me/training").await?;
    phone.wait_text("[data-test=my-signups]", "已报名").await?;
    // The calendar file downloads with the session in it.
    let href = phone
        .find("[data-test=ics]")
        .await?
        .attr("href")
        .await?
        .unwrap_or_default();
    let ics = phone
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1]; fetch(arguments[0]).then(r => r.text()).then(done);",
            vec![serde_json::json!(href)],
        )
        .await?;
    let ics = ics.as_str().unwrap_or_default().to_string();
    assert!(
        ics.contains("BEGIN:VCALENDAR") && ics.contains("DTSTART:"),
        "{ics}"
    );
    phone.screenshot("my-training").await?;
    phone.click("[data-test=cancel-signup]").await?;
    phone.click("[data-test=confirm-cancel]").await?;
    phone.wait_text("main", "还没有报名培训").await?;
    phone.close().await
}

#[tokio::test]
async fn zhang_wei_on_the_waiting_list_gets_the_seat_li_na_gives_up() -> anyhow::Result<()> {
    let phone = Phone::start().await?;
    phone.sign_in("13800000002", "Demo@2026").await?;
    phone.wait_path("/").await?;
    // A course open to everyone with a session that has one seat left.
    let found = phone
        .client
        .execute_async(
            r#"const done = arguments[arguments.length - 1];
               fetch('/api/courses?limit=100').then(r => r.json()).then(p => {
                 for (const c of p.items) {
                   if (c.eligibility !== 'all') continue;
                   const s = c.sessions.find(s => s.status === 'open' && s.seats_left === 1);
                   if (s) return done([c.id, s.id]);
                 }
                 done(null);
               });"#,
            vec![],
        )
        .await?;
    let course = found[0].as_i64().expect("a course with one seat left");
    phone.open(&format!("/training/courses/{course}")).await?;
    let session_sel = "[data-test=session]";
    phone.find(session_sel).await?;
    // Sign up for the session with one seat (it is the one whose button says 报名 and shows 剩余名额 1).
    let sessions = phone
        .client
        .find_all(fantoccini::Locator::Css(session_sel))
        .await?;
    let mut index = None;
    for (i, s) in sessions.iter().enumerate() {
        if s.text().await?.contains("剩余名额: 1 /") {
            index = Some(i + 1);
            break;
        }
    }
    let nth = format!(
        "{session_sel}:nth-child({}) [data-test=sign-up]",
        index.expect("the one-seat session")
    );
    phone.click(&nth).await?;
    phone
        .wait_text("[data-test=signup-status]", "已报名")
        .await?;

    let zhang = phone.another_phone().await?;
    zhang.sign_in("13800000001", "Demo@2026").await?;
    zhang.wait_path("/").await?;
    zhang.open(&format!("/training/courses/{course}")).await?;
    zhang.find(session_sel).await?;
    let nth_zhang = nth.clone();
    zhang.click(&nth_zhang).await?;
    zhang
        .wait_text("[data-test=signup-status]", "候补第1位")
        .await?;
    zhang.screenshot("training-waitlisted").await?;

    phone.open("/me/training").await?;
    phone.click("[data-test=cancel-signup]").await?;
    phone.click("[data-test=confirm-cancel]").await?;
    phone.wait_text("main", "还没有报名培训").await?;

    zhang.open("/me/training").await?;
    zhang.wait_text("[data-test=my-signups]", "已报名").await?;
    zhang.client.clone().close().await?;
    phone.close().await
}

#[tokio::test]
async fn an_officer_marks_attendance_and_issues_a_certificate() -> anyhow::Result<()> {
    let phone = Phone::start().await?;
    phone.sign_in("13800000002", "Demo@2026").await?;
    phone.wait_path("/").await?;
    // 李娜 signs up for a session with seats, through the app.
    let found = phone
        .client
        .execute_async(
            r#"const done = arguments[arguments.length - 1];
               fetch('/api/courses?limit=100').then(r => r.json()).then(p => {
                 for (const c of p.items) {
                   if (c.eligibility !== 'all') continue;
                   if (c.sessions.some(s => s.status === 'open' && s.seats_left > 1)) return done(c.id);
                 }
                 done(null);
               });"#,
            vec![],
        )
        .await?;
    phone
        .open(&format!(
            "/training/courses/{}",
            found.as_i64().expect("a course with seats")
        ))
        .await?;
    take_a_seat(&phone).await?;
    phone
        .wait_text("[data-test=signup-status]", "已报名")
        .await?;
    let session = phone
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1]; fetch('/api/me/signups').then(r => r.json()).then(p => done(p.items[0].session_id));",
            vec![],
        )
        .await?;

    // The city officer opens the session's roster on the desk.
    let officer = phone.another_phone().await?;
    officer.sign_in("13700000001", "Demo@2026").await?;
    officer.wait_path("/").await?;
    officer.open("/staff/training").await?;
    officer.wait_text("[data-test=staff-courses]", "班").await?;
    officer
        .open(&format!("/staff/sessions/{}", session.as_i64().unwrap()))
        .await?;
    officer.wait_text("[data-test=roster]", "李娜").await?;
    officer.click("[data-test=attend]").await?;
    officer.wait_text("[data-test=roster]", "到课").await?;
    officer.click("[data-test=issue]").await?;
    let number = officer
        .wait_text("[data-test=certificate]", "WHPX-")
        .await?;
    officer.find("[data-test=export-csv]").await?;
    officer.screenshot("staff-session-roster").await?;
    officer.client.clone().close().await?;

    phone.open("/me/training").await?;
    phone
        .wait_text("[data-test=my-certificate]", number.trim())
        .await?;
    phone.close().await
}

/// A section's code that cannot be fetched (a cut or failing network) shows
/// the network error with a retry, never a dead app: the tab bar still works,
/// and the retry opens the screen once the file can be fetched again.
#[tokio::test]
async fn a_section_that_cannot_be_fetched_offers_a_retry() -> anyhow::Result<()> {
    let (copy, build) = unioncard_e2e::copy_of_app()?;
    let hidden = copy.path().join("hidden");
    std::fs::create_dir_all(&hidden)?;
    let chunk = [
        "split_training.wasm",
        "split_training.wasm.br",
        "split_training.wasm.gz",
    ];
    for name in chunk {
        std::fs::rename(build.join(name), hidden.join(name))?;
    }

    let phone = Phone::start_serving(copy.path(), 390, 844).await?;
    phone.open("/services").await?;
    phone.wait_loaded().await?;
    phone.click("[data-test=training-link]").await?;
    phone.wait_text("[role=alert]", "网络不给力").await?;
    phone.screenshot("chunk-retry").await?;
    // The rest of the app still works.
    phone.click("nav a[href='/services']").await?;
    phone.wait_text("main h2", "会员服务").await?;
    phone.click("[data-test=training-link]").await?;
    phone.wait_text("[role=alert]", "网络不给力").await?;
    // The file is back: the retry fetches it and the screen opens.
    for name in chunk {
        std::fs::rename(hidden.join(name), build.join(name))?;
    }
    phone.click("[role=alert] button").await?;
    phone.find("[data-test=course-list]").await?;
    phone.close().await
}
