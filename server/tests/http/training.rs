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
         VALUES (1, '测试电工班', 'electrician', '测试中心', '测试', $1, '', '测试电工班', 0) RETURNING id",
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
}
both_databases!(closed_ineligible_and_overlapping_sign_ups_are_refused);
