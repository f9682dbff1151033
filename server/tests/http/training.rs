//! Training sign-up: seats, a fair waiting list, cancellation, the rules.

use std::sync::Arc;

use reqwest::{Method, StatusCode};
use unioncard_api::auth::RegisterRequest;
use unioncard_api::identity::{check_character, Date};
use unioncard_api::join::Page;
use unioncard_api::roster::ImportReport;
use unioncard_api::training::{
    CourseInput, CourseView, SessionInput, SessionRoster, SessionView, SignupView, StaffCourse,
};

use crate::both_databases;
use crate::support::{Client, TestApp};

/// A Unix time as the officers' form writes it: `YYYY-MM-DDTHH:MM`, China time.
fn local_minute(unix: i64) -> String {
    let local = unix + 8 * 3600;
    let date = Date::from_days(local.div_euclid(86_400));
    let secs = local.rem_euclid(86_400);
    format!("{}T{:02}:{:02}", date.iso(), secs / 3600, secs % 3600 / 60)
}

/// A new session of a course (open to `eligibility`), starting in `days`
/// days with sign-up closing a day before, made by the city union's officer.
async fn new_session(app: &TestApp, capacity: i64, days: i64, eligibility: &str) -> SessionView {
    let city = app.signed_in("13700000001").await;
    let course = city
        .create_course(&CourseInput {
            title: "测试电工班".into(),
            category: "electrician".into(),
            provider: "测试中心".into(),
            description: "测试".into(),
            fee_fen: 0,
            eligibility: eligibility.into(),
            certificate: "".into(),
        })
        .await
        .expect(StatusCode::CREATED);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let starts = now + days * 86_400;
    city.add_session(
        course.id,
        &SessionInput {
            starts_at: local_minute(starts),
            ends_at: local_minute(starts + 3 * 3600),
            place: "培训中心".into(),
            address: "武汉市".into(),
            capacity,
            signup_deadline: local_minute(starts - 86_400),
        },
    )
    .await
    .expect(StatusCode::CREATED)
}

/// Signed-in members: new people on the city union's roster (imported by
/// its officer), each registered on their own phone.
async fn members(app: &TestApp, n: usize) -> Vec<Client> {
    const SURNAMES: [&str; 10] = ["赵", "钱", "孙", "李", "周", "吴", "郑", "王", "冯", "陈"];
    const GIVEN: [&str; 10] = [
        "测甲", "测乙", "测丙", "测丁", "测戊", "测己", "测庚", "测辛", "测壬", "测癸",
    ];
    let people: Vec<(String, String, String)> = (0..n)
        .map(|i| {
            let name = format!("{}{}", SURNAMES[i % 10], GIVEN[i / 10]);
            let first17 = format!("420111196606{:02}{:03}", 1 + i / 100, 100 + i % 100);
            let id = format!("{first17}{}", check_character(first17.as_bytes()) as char);
            (name, id, format!("1990000{i:04}"))
        })
        .collect();
    let mut csv = String::from("name,id_number,phone,workplace\n");
    for (name, id, phone) in &people {
        csv.push_str(&format!("{name},{id},{phone},武汉测试培训学校\n"));
    }
    let city = app.signed_in("13700000001").await;
    let imported = city
        .raw(Method::POST, "/api/staff/roster")
        .header("X-Requested-With", "unioncard")
        .header("Content-Type", "text/csv; charset=utf-8")
        .body(csv)
        .send()
        .await
        .unwrap();
    let report: ImportReport = Client::answer(imported).await.parse();
    assert_eq!(report.added, n, "{report:?}");
    let mut out = Vec::new();
    for (name, id_number, phone) in people {
        let c = app.client();
        let made = c
            .register(&RegisterRequest {
                phone,
                password: "Member2026".into(),
                name,
                id_number,
            })
            .await;
        assert_eq!(made.status, StatusCode::CREATED, "{}", made.answer.body);
        out.push(c);
    }
    out
}

async fn li_na_signs_up_gets_a_calendar_file_and_cancels(app: &TestApp) {
    let courses = app
        .client()
        .get_as::<Page<CourseView>>("/api/courses?category=electrician")
        .await
        .into_body();
    assert!(courses
        .items
        .iter()
        .all(|c| c.category.as_str() == "electrician"));
    let session = new_session(app, 10, 10, "all").await.id;
    let li = app.signed_in("13800000002").await;
    let a = li.sign_up(session).await.expect(StatusCode::CREATED);
    assert_eq!(a.status, "confirmed");
    let again = li.sign_up(session).await;
    assert_eq!(
        (again.status, again.code()),
        (StatusCode::CONFLICT, "already_signed_up")
    );
    let id = a.id;
    let mine = li.my_signups().await;
    assert_eq!(mine[0].id, id);
    let ics = li
        .raw(Method::GET, &format!("/api/signups/{id}/calendar.ics"))
        .send()
        .await
        .unwrap();
    assert!(ics.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/calendar"));
    let text = ics.text().await.unwrap();
    assert!(
        text.contains("BEGIN:VEVENT") && text.contains("测试电工班"),
        "{text}"
    );
    // Another member cannot see or cancel it.
    let zhang = app.signed_in("13800000001").await;
    assert_eq!(
        zhang
            .get(&format!("/api/signups/{id}/calendar.ics"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(zhang.cancel_signup(id).await.status, StatusCode::NOT_FOUND);
    assert_eq!(li.cancel_signup(id).await.status, StatusCode::NO_CONTENT);
    assert!(li.my_signups().await.is_empty());
    // And may sign up again after cancelling.
    let back = li.sign_up(session).await;
    assert_eq!(back.status, StatusCode::CREATED);
}
both_databases!(li_na_signs_up_gets_a_calendar_file_and_cancels);

async fn many_at_once_never_overbook_and_the_list_has_no_gaps(app: &TestApp) {
    let made = new_session(app, 3, 12, "all").await;
    let session = made.id;
    let people: Vec<Arc<Client>> = members(app, 20).await.into_iter().map(Arc::new).collect();
    let mut tasks = Vec::new();
    for p in &people {
        let p = p.clone();
        tasks.push(tokio::spawn(async move { p.sign_up(session).await }));
    }
    let mut answers = Vec::new();
    for t in tasks {
        answers.push(t.await.unwrap());
    }
    assert!(answers.iter().all(|a| a.status == StatusCode::CREATED));
    let answers: Vec<SignupView> = answers.into_iter().map(|a| a.into_body()).collect();
    let confirmed = answers.iter().filter(|a| a.status == "confirmed").count();
    let mut positions: Vec<i64> = answers.iter().filter_map(|a| a.position).collect();
    positions.sort();
    assert_eq!(confirmed, 3);
    assert_eq!(positions, (1..=17).collect::<Vec<_>>());
    // A confirmed member cancels: the head of the list takes the seat, the rest move up.
    let leaver = answers
        .iter()
        .position(|a| a.status == "confirmed")
        .unwrap();
    let head = answers.iter().position(|a| a.position == Some(1)).unwrap();
    let second = answers.iter().position(|a| a.position == Some(2)).unwrap();
    let leaving_id = answers[leaver].id;
    assert_eq!(
        people[leaver].cancel_signup(leaving_id).await.status,
        StatusCode::NO_CONTENT
    );
    let h = people[head].my_signups().await;
    assert_eq!(h[0].status, "confirmed");
    let s = people[second].my_signups().await;
    assert_eq!(s[0].position, Some(1));
    let course = app
        .client()
        .get_as::<CourseView>(&format!("/api/courses/{}", made.course_id))
        .await
        .into_body();
    assert_eq!(course.sessions[0].seats_left, 0);
    assert_eq!(course.sessions[0].waiting, 16);
}
both_databases!(many_at_once_never_overbook_and_the_list_has_no_gaps);

async fn closed_ineligible_and_overlapping_sign_ups_are_refused(app: &TestApp) {
    let li = app.signed_in("13800000002").await;
    let past = new_session(app, 10, 0, "all").await.id; // the deadline was yesterday
    let a = li.sign_up(past).await;
    assert_eq!(
        (a.status, a.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "signup_closed")
    );
    let migrants = new_session(app, 10, 30, "migrant_workers").await;
    let a = li.sign_up(migrants.id).await;
    assert_eq!(
        (a.status, a.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "not_eligible")
    );
    let course = app
        .signed_in("13800000002")
        .await
        .get_as::<CourseView>(&format!("/api/courses/{}", migrants.course_id))
        .await;
    assert_eq!(course.body().eligible, Some(false));
    let first = new_session(app, 10, 40, "all").await.id;
    let same_time = new_session(app, 10, 40, "all").await.id;
    assert_eq!(li.sign_up(first).await.status, StatusCode::CREATED);
    let a = li.sign_up(same_time).await;
    assert_eq!(
        (a.status, a.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "overlap")
    );
    assert!(a
        .field("session")
        .expect("the session it overlaps")
        .contains("测试电工班"));
    let cashier = app.signed_in("13900000001").await;
    assert_eq!(cashier.sign_up(first).await.status, StatusCode::FORBIDDEN);
    assert_eq!(li.sign_up(999999).await.status, StatusCode::NOT_FOUND);
    // The demo city offers courses in every category, sessions with seats and full ones.
    let all = app
        .client()
        .get_as::<Page<CourseView>>("/api/courses?limit=100")
        .await
        .into_body();
    let items = &all.items;
    assert!(items.len() >= 30, "dozens of courses");
    let sessions: Vec<&SessionView> = items.iter().flat_map(|c| &c.sessions).collect();
    assert!(sessions
        .iter()
        .any(|s| s.status == "open" && s.seats_left == 0));
    assert!(sessions
        .iter()
        .any(|s| s.status == "open" && s.seats_left == 1));
    assert!(
        sessions
            .iter()
            .any(|s| s.status == "open" && s.seats_left == 0 && s.waiting > 0),
        "some full sessions have people waiting"
    );
}
both_databases!(closed_ineligible_and_overlapping_sign_ups_are_refused);

fn course(title: &str, category: &str, provider: &str, certificate: &str) -> CourseInput {
    CourseInput {
        title: title.into(),
        category: category.into(),
        provider: provider.into(),
        description: "".into(),
        fee_fen: 0,
        eligibility: "all".into(),
        certificate: certificate.into(),
    }
}

fn session(
    starts_at: &str,
    ends_at: &str,
    place: &str,
    capacity: i64,
    deadline: &str,
) -> SessionInput {
    SessionInput {
        starts_at: starts_at.into(),
        ends_at: ends_at.into(),
        place: place.into(),
        address: "".into(),
        capacity,
        signup_deadline: deadline.into(),
    }
}

async fn an_officer_runs_a_session_from_creation_to_certificates(app: &TestApp) {
    let city = app.signed_in("13700000001").await;
    let bad = city.create_course(&course("", "spaceships", "", "")).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.answer.error().fields.len(), 3);
    let made = city
        .create_course(&course(
            "电工进阶班",
            "electrician",
            "市职业技能培训中心",
            "电工证",
        ))
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.answer.body);
    let course_id = made.body().id;
    let backwards = city
        .add_session(
            course_id,
            &session(
                "2099-06-01T09:00",
                "2099-06-01T08:00",
                "A",
                5,
                "2099-05-30T18:00",
            ),
        )
        .await;
    assert_eq!(backwards.status, StatusCode::UNPROCESSABLE_ENTITY);
    let added = city
        .add_session(
            course_id,
            &session(
                "2099-06-01T09:00",
                "2099-06-01T17:00",
                "培训中心 301",
                5,
                "2099-05-30T18:00",
            ),
        )
        .await;
    assert_eq!(added.status, StatusCode::CREATED, "{}", added.answer.body);
    assert_eq!(added.body().starts_at, "2099-06-01T09:00:00+08:00");
    let session_id = added.body().id;
    let li = app.signed_in("13800000002").await;
    let signup_id = li.sign_up(session_id).await.into_body().id;
    let roster = city
        .get_as::<SessionRoster>(&format!("/api/staff/sessions/{session_id}/roster"))
        .await
        .into_body();
    assert_eq!(roster.people[0].name, "李娜");
    assert_eq!(roster.people[0].phone_masked, "138****0002");
    let certificate = format!("/api/staff/signups/{signup_id}/certificate");
    let early = city.post_empty_as::<SessionRoster>(&certificate).await;
    assert_eq!(
        (early.status, early.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "not_attended")
    );
    let marked = city.mark_attendance(signup_id, true).await;
    assert_eq!(marked.body().people[0].attended, Some(true));
    let cert = city
        .post_empty_as::<SessionRoster>(&certificate)
        .await
        .into_body();
    let number = cert.people[0]
        .certificate_no
        .clone()
        .expect("a certificate number");
    assert!(number.starts_with("WHPX-"), "{number}");
    let twice = city.post_empty(&certificate).await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
    let csv = city
        .raw(
            Method::GET,
            &format!("/api/staff/sessions/{session_id}/roster.csv"),
        )
        .send()
        .await
        .unwrap();
    assert!(csv.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let csv = csv.text().await.unwrap();
    assert!(csv.contains("李娜") && csv.contains(&number), "{csv}");
    // The member sees it too.
    let mine = li.my_signups().await;
    let item = mine.iter().find(|i| i.id == signup_id).unwrap();
    assert_eq!(
        (item.attended, item.certificate_no.as_deref()),
        (Some(true), Some(number.as_str()))
    );
    // A district officer does not see the city union's course; members have no desk.
    let wuchang = app.signed_in("13700000002").await;
    assert_eq!(
        wuchang
            .get(&format!("/api/staff/sessions/{session_id}/roster"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        wuchang.mark_attendance(signup_id, false).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        li.get("/api/staff/courses").await.status,
        StatusCode::FORBIDDEN
    );
    let listed = city
        .get_as::<Page<StaffCourse>>("/api/staff/courses")
        .await
        .into_body();
    assert!(listed.items.iter().any(|c| c.id == course_id));
    let audited: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action IN ('course.create', 'session.create', 'signup.attendance', 'signup.certificate')")
        .fetch_one(app.state.db.read())
        .await
        .unwrap();
    assert_eq!(audited, 4);
}
both_databases!(an_officer_runs_a_session_from_creation_to_certificates);

async fn an_officer_edits_a_session_but_not_below_its_confirmed_seats(app: &TestApp) {
    let session_id = new_session(app, 3, 15, "all").await.id;
    let li = app.signed_in("13800000002").await;
    let zhang = app.signed_in("13800000001").await;
    li.sign_up(session_id).await;
    zhang.sign_up(session_id).await;
    let city = app.signed_in("13700000001").await;
    let edit = |capacity: i64| {
        session(
            "2099-07-01T09:00",
            "2099-07-01T12:00",
            "新教室",
            capacity,
            "2099-06-29T18:00",
        )
    };
    let low = city.edit_session(session_id, &edit(1)).await;
    assert_eq!(low.status, StatusCode::UNPROCESSABLE_ENTITY);
    let ok = city
        .edit_session(session_id, &edit(2))
        .await
        .expect(StatusCode::OK);
    assert_eq!((ok.place.as_str(), ok.seats_left), ("新教室", 0));
    let wuchang = app.signed_in("13700000002").await;
    assert_eq!(
        wuchang.edit_session(session_id, &edit(5)).await.status,
        StatusCode::NOT_FOUND
    );
}
both_databases!(an_officer_edits_a_session_but_not_below_its_confirmed_seats);
