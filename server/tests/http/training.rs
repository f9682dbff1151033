//! Training sign-up: seats, a fair waiting list, cancellation, the rules.

use std::sync::Arc;

use reqwest::{Method, StatusCode};
use serde_json::json;
use sqlx::Row;

use crate::both_databases;
use crate::support::{Client, TestApp};

/// A new session of a course open to everyone, starting in `days` days.
async fn new_session(app: &TestApp, capacity: i64, days: i64, eligibility: &str) -> i64 {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let course: i64 = sqlx::query_scalar(
        "INSERT INTO courses (union_id, title, category, provider, description, eligibility, certificate, search_text, created_at)
         VALUES ((SELECT id FROM unions WHERE code = 'WH'), '测试电工班', 'electrician', '测试中心', '测试', $1, '', '测试电工班', 0)
         RETURNING id",
    )
    .bind(eligibility)
    .fetch_one(app.state.db.write())
    .await
    .unwrap();
    let starts = now + days * 86_400;
    sqlx::query_scalar(
        "INSERT INTO training_sessions (course_id, starts_at, ends_at, place, address, capacity, signup_deadline, created_at)
         VALUES ($1, $2, $3, '培训中心', '武汉市', $4, $5, 0) RETURNING id",
    )
    .bind(course)
    .bind(starts)
    .bind(starts + 3 * 3600)
    .bind(capacity)
    .bind(starts - 86_400)
    .fetch_one(app.state.db.write())
    .await
    .unwrap()
}

/// Signed-in members made from roster entries without accounts.
async fn members(app: &TestApp, n: usize) -> Vec<Client> {
    let hash: String =
        sqlx::query_scalar("SELECT password_hash FROM users WHERE role = 'member' LIMIT 1")
            .fetch_one(app.state.db.read())
            .await
            .unwrap();
    let rows = sqlx::query(
        "SELECT r.id, r.name FROM roster_entries r WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.roster_id = r.id)
          ORDER BY r.id LIMIT $1",
    )
    .bind(n as i64)
    .fetch_all(app.state.db.read())
    .await
    .unwrap();
    let mut out = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        let phone = format!("1990000{i:04}");
        sqlx::query(
            "INSERT INTO users (phone_hash, phone_enc, phone_masked, password_hash, name, role, roster_id, created_at)
             VALUES ($1, 'x', '199****0000', $2, $3, 'member', $4, 0)",
        )
        .bind(app.state.crypto.lookup_hash("phone", &phone))
        .bind(&hash)
        .bind(r.try_get::<String, _>("name").unwrap())
        .bind(r.try_get::<i64, _>("id").unwrap())
        .execute(app.state.db.write())
        .await
        .unwrap();
        out.push(app.signed_in(&phone).await);
    }
    out
}

async fn li_na_signs_up_gets_a_calendar_file_and_cancels(app: &TestApp) {
    let courses = app.client().get("/api/courses?category=electrician").await;
    assert!(courses.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["category"] == "electrician"));
    let session = new_session(app, 10, 10, "all").await;
    let li = app.signed_in("13800000002").await;
    let a = li
        .post(&format!("/api/sessions/{session}/signups"), json!({}))
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
    assert_eq!(a.body["status"], "confirmed");
    let again = li
        .post(&format!("/api/sessions/{session}/signups"), json!({}))
        .await;
    assert_eq!(
        (again.status, again.code()),
        (StatusCode::CONFLICT, "already_signed_up")
    );
    let id = a.body["id"].as_i64().unwrap();
    let mine = li.get("/api/me/signups").await;
    assert_eq!(mine.body["items"][0]["id"], id);
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
    assert_eq!(
        zhang
            .send(Method::DELETE, &format!("/api/signups/{id}"), None)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        li.send(Method::DELETE, &format!("/api/signups/{id}"), None)
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    assert!(li.get("/api/me/signups").await.body["items"]
        .as_array()
        .unwrap()
        .is_empty());
    // And may sign up again after cancelling.
    let back = li
        .post(&format!("/api/sessions/{session}/signups"), json!({}))
        .await;
    assert_eq!(back.status, StatusCode::CREATED);
}
both_databases!(li_na_signs_up_gets_a_calendar_file_and_cancels);

async fn many_at_once_never_overbook_and_the_list_has_no_gaps(app: &TestApp) {
    let session = new_session(app, 3, 12, "all").await;
    let people: Vec<Arc<Client>> = members(app, 20).await.into_iter().map(Arc::new).collect();
    let mut tasks = Vec::new();
    for p in &people {
        let p = p.clone();
        tasks.push(tokio::spawn(async move {
            p.post(&format!("/api/sessions/{session}/signups"), json!({}))
                .await
        }));
    }
    let mut answers = Vec::new();
    for t in tasks {
        answers.push(t.await.unwrap());
    }
    assert!(answers.iter().all(|a| a.status == StatusCode::CREATED));
    let confirmed = answers
        .iter()
        .filter(|a| a.body["status"] == "confirmed")
        .count();
    let mut positions: Vec<i64> = answers
        .iter()
        .filter_map(|a| a.body["position"].as_i64())
        .collect();
    positions.sort();
    assert_eq!(confirmed, 3);
    assert_eq!(positions, (1..=17).collect::<Vec<_>>());
    // A confirmed member cancels: the head of the list takes the seat, the rest move up.
    let leaver = answers
        .iter()
        .position(|a| a.body["status"] == "confirmed")
        .unwrap();
    let head = answers
        .iter()
        .position(|a| a.body["position"] == 1)
        .unwrap();
    let second = answers
        .iter()
        .position(|a| a.body["position"] == 2)
        .unwrap();
    let leaving_id = answers[leaver].body["id"].as_i64().unwrap();
    assert_eq!(
        people[leaver]
            .send(Method::DELETE, &format!("/api/signups/{leaving_id}"), None)
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    let h = people[head].get("/api/me/signups").await;
    assert_eq!(h.body["items"][0]["status"], "confirmed");
    let s = people[second].get("/api/me/signups").await;
    assert_eq!(s.body["items"][0]["position"], 1);
    let course = app
        .client()
        .get(&format!("/api/courses/{}", course_of(app, session).await))
        .await;
    assert_eq!(course.body["sessions"][0]["seats_left"], 0);
    assert_eq!(course.body["sessions"][0]["waiting"], 16);
}
both_databases!(many_at_once_never_overbook_and_the_list_has_no_gaps);

async fn course_of(app: &TestApp, session: i64) -> i64 {
    sqlx::query_scalar("SELECT course_id FROM training_sessions WHERE id = $1")
        .bind(session)
        .fetch_one(app.state.db.read())
        .await
        .unwrap()
}

async fn closed_ineligible_and_overlapping_sign_ups_are_refused(app: &TestApp) {
    let li = app.signed_in("13800000002").await;
    let past = new_session(app, 10, 0, "all").await; // the deadline was yesterday
    let a = li
        .post(&format!("/api/sessions/{past}/signups"), json!({}))
        .await;
    assert_eq!(
        (a.status, a.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "signup_closed")
    );
    let migrants = new_session(app, 10, 30, "migrant_workers").await;
    let a = li
        .post(&format!("/api/sessions/{migrants}/signups"), json!({}))
        .await;
    assert_eq!(
        (a.status, a.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "not_eligible")
    );
    let course = app
        .signed_in("13800000002")
        .await
        .get(&format!("/api/courses/{}", course_of(app, migrants).await))
        .await;
    assert_eq!(course.body["eligible"], false);
    let first = new_session(app, 10, 40, "all").await;
    let same_time = new_session(app, 10, 40, "all").await;
    assert_eq!(
        li.post(&format!("/api/sessions/{first}/signups"), json!({}))
            .await
            .status,
        StatusCode::CREATED
    );
    let a = li
        .post(&format!("/api/sessions/{same_time}/signups"), json!({}))
        .await;
    assert_eq!(
        (a.status, a.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "overlap")
    );
    assert!(a.body["error"]["fields"]["session"]
        .as_str()
        .unwrap()
        .contains("测试电工班"));
    let cashier = app.signed_in("13900000001").await;
    assert_eq!(
        cashier
            .post(&format!("/api/sessions/{first}/signups"), json!({}))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        li.post("/api/sessions/999999/signups", json!({}))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // The demo city offers courses in every category, sessions with seats and full ones.
    let all = app.client().get("/api/courses?limit=100").await;
    let items = all.body["items"].as_array().unwrap();
    assert!(items.len() >= 30, "dozens of courses");
    let sessions: Vec<&serde_json::Value> = items
        .iter()
        .flat_map(|c| c["sessions"].as_array().unwrap())
        .collect();
    assert!(sessions
        .iter()
        .any(|s| s["status"] == "open" && s["seats_left"] == 0));
    assert!(sessions
        .iter()
        .any(|s| s["status"] == "open" && s["seats_left"] == 1));
    assert!(
        sessions.iter().any(|s| s["status"] == "open"
            && s["seats_left"] == 0
            && s["waiting"].as_i64().unwrap_or(0) > 0),
        "some full sessions have people waiting"
    );
}
both_databases!(closed_ineligible_and_overlapping_sign_ups_are_refused);

async fn an_officer_runs_a_session_from_creation_to_certificates(app: &TestApp) {
    let city = app.signed_in("13700000001").await;
    let bad = city
        .post(
            "/api/staff/courses",
            json!({"title": "", "category": "spaceships", "provider": "", "eligibility": "all"}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.body["error"]["fields"].as_object().unwrap().len(), 3);
    let course = city
        .post(
            "/api/staff/courses",
            json!({"title": "电工进阶班", "category": "electrician", "provider": "市职业技能培训中心", "eligibility": "all", "certificate": "电工证"}),
        )
        .await;
    assert_eq!(course.status, StatusCode::CREATED, "{}", course.body);
    let course_id = course.body["id"].as_i64().unwrap();
    let backwards = city
        .post(
            &format!("/api/staff/courses/{course_id}/sessions"),
            json!({"starts_at": "2099-06-01T09:00", "ends_at": "2099-06-01T08:00", "place": "A", "capacity": 5, "signup_deadline": "2099-05-30T18:00"}),
        )
        .await;
    assert_eq!(backwards.status, StatusCode::UNPROCESSABLE_ENTITY);
    let session = city
        .post(
            &format!("/api/staff/courses/{course_id}/sessions"),
            json!({"starts_at": "2099-06-01T09:00", "ends_at": "2099-06-01T17:00", "place": "培训中心 301", "capacity": 5, "signup_deadline": "2099-05-30T18:00"}),
        )
        .await;
    assert_eq!(session.status, StatusCode::CREATED, "{}", session.body);
    assert_eq!(session.body["starts_at"], "2099-06-01T09:00:00+08:00");
    let session_id = session.body["id"].as_i64().unwrap();
    let li = app.signed_in("13800000002").await;
    let signup = li
        .post(&format!("/api/sessions/{session_id}/signups"), json!({}))
        .await;
    let signup_id = signup.body["id"].as_i64().unwrap();
    let roster = city
        .get(&format!("/api/staff/sessions/{session_id}/roster"))
        .await;
    assert_eq!(roster.body["people"][0]["name"], "李娜");
    assert_eq!(roster.body["people"][0]["phone_masked"], "138****0002");
    let early = city
        .post(
            &format!("/api/staff/signups/{signup_id}/certificate"),
            json!({}),
        )
        .await;
    assert_eq!(
        (early.status, early.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "not_attended")
    );
    let marked = city
        .post(
            &format!("/api/staff/signups/{signup_id}/attendance"),
            json!({"attended": true}),
        )
        .await;
    assert_eq!(marked.body["people"][0]["attended"], true);
    let cert = city
        .post(
            &format!("/api/staff/signups/{signup_id}/certificate"),
            json!({}),
        )
        .await;
    let number = cert.body["people"][0]["certificate_no"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(number.starts_with("WHPX-"), "{number}");
    let twice = city
        .post(
            &format!("/api/staff/signups/{signup_id}/certificate"),
            json!({}),
        )
        .await;
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
    let mine = li.get("/api/me/signups").await;
    let item = mine.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == signup_id)
        .unwrap()
        .clone();
    assert_eq!(
        (item["attended"].as_bool(), item["certificate_no"].as_str()),
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
        wuchang
            .post(
                &format!("/api/staff/signups/{signup_id}/attendance"),
                json!({"attended": false})
            )
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        li.get("/api/staff/courses").await.status,
        StatusCode::FORBIDDEN
    );
    let listed = city.get("/api/staff/courses").await;
    assert!(listed.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["id"] == course_id));
    let audited: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action IN ('course.create', 'session.create', 'signup.attendance', 'signup.certificate')")
        .fetch_one(app.state.db.read())
        .await
        .unwrap();
    assert_eq!(audited, 4);
}
both_databases!(an_officer_runs_a_session_from_creation_to_certificates);

async fn an_officer_edits_a_session_but_not_below_its_confirmed_seats(app: &TestApp) {
    let session = new_session(app, 3, 15, "all").await;
    let li = app.signed_in("13800000002").await;
    let zhang = app.signed_in("13800000001").await;
    li.post(&format!("/api/sessions/{session}/signups"), json!({}))
        .await;
    zhang
        .post(&format!("/api/sessions/{session}/signups"), json!({}))
        .await;
    let city = app.signed_in("13700000001").await;
    let edit = |capacity: i64| json!({"starts_at": "2099-07-01T09:00", "ends_at": "2099-07-01T12:00", "place": "新教室", "capacity": capacity, "signup_deadline": "2099-06-29T18:00"});
    let low = city
        .send(
            Method::PUT,
            &format!("/api/staff/sessions/{session}"),
            Some(edit(1)),
        )
        .await;
    assert_eq!(low.status, StatusCode::UNPROCESSABLE_ENTITY);
    let ok = city
        .send(
            Method::PUT,
            &format!("/api/staff/sessions/{session}"),
            Some(edit(2)),
        )
        .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    assert_eq!(
        (ok.body["place"].as_str(), ok.body["seats_left"].as_i64()),
        (Some("新教室"), Some(0))
    );
    let wuchang = app.signed_in("13700000002").await;
    assert_eq!(
        wuchang
            .send(
                Method::PUT,
                &format!("/api/staff/sessions/{session}"),
                Some(edit(5))
            )
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}
both_databases!(an_officer_edits_a_session_but_not_below_its_confirmed_seats);
