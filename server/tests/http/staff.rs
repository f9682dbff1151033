//! Officers: the figures (exact, counted independently and by what each
//! action adds), the home counts, the audit log, and scope as a matrix of
//! endpoint × role × inside/outside.

use std::collections::{HashMap, HashSet};

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use sqlx::Row;

use crate::both_databases;
use crate::support::TestApp;

fn row<'a>(stats: &'a Value, name: &str) -> &'a Value {
    stats["unions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["name"] == name)
        .unwrap_or_else(|| panic!("no row {name}: {stats}"))
}

/// Counts the city's cards the slow, obvious way: every roster entry, its
/// union's path, its card; no grouping in SQL.
async fn hand_count(app: &TestApp) -> (HashMap<String, (i64, i64)>, (i64, i64)) {
    let unions = sqlx::query("SELECT id, name, path, parent_id FROM unions")
        .fetch_all(app.state.db.read())
        .await
        .unwrap();
    let city: i64 = sqlx::query_scalar("SELECT id FROM unions WHERE level = 'city'")
        .fetch_one(app.state.db.read())
        .await
        .unwrap();
    let mut district_of_path: Vec<(String, String)> = Vec::new();
    for u in &unions {
        if u.try_get::<Option<i64>, _>("parent_id").unwrap() == Some(city) {
            district_of_path.push((u.try_get("path").unwrap(), u.try_get("name").unwrap()));
        }
    }
    let path_of: HashMap<i64, String> = unions
        .iter()
        .map(|u| (u.try_get("id").unwrap(), u.try_get("path").unwrap()))
        .collect();
    let cards = sqlx::query(
        "SELECT r.union_id, c.activated_at FROM cards c JOIN roster_entries r ON r.id = c.roster_id",
    )
    .fetch_all(app.state.db.read())
    .await
    .unwrap();
    let mut per: HashMap<String, (i64, i64)> = HashMap::new();
    let mut total = (0, 0);
    for c in cards {
        let path = &path_of[&c.try_get::<i64, _>("union_id").unwrap()];
        let active = c
            .try_get::<Option<i64>, _>("activated_at")
            .unwrap()
            .is_some() as i64;
        total.0 += 1;
        total.1 += active;
        if let Some((_, name)) = district_of_path
            .iter()
            .find(|(p, _)| path.starts_with(p.as_str()))
        {
            let e = per.entry(name.clone()).or_default();
            e.0 += 1;
            e.1 += active;
        }
    }
    (per, total)
}

async fn the_figures_match_a_hand_count_and_move_exactly_with_each_action(app: &TestApp) {
    let city = app.signed_in("13700000001").await;
    let before = city.get("/api/staff/stats").await;
    assert_eq!(before.status, StatusCode::OK, "{}", before.body);
    let (per, total) = hand_count(app).await;
    assert_eq!(before.body["issued"], total.0);
    assert_eq!(before.body["activated"], total.1);
    for (name, (issued, activated)) in &per {
        let r = row(&before.body, name);
        assert_eq!(r["issued"], *issued, "{name}");
        assert_eq!(r["activated"], *activated, "{name}");
    }
    let rate = before.body["activation_rate"].as_f64().unwrap();
    let expected = (total.1 as f64 / total.0 as f64 * 10_000.0).round() / 10_000.0;
    assert_eq!(rate, expected);

    // 李娜 (武昌区) redeems ¥100 at the supermarket, joins the women's plan and
    // applies for a loan; 张伟 (江岸区) activates his card.
    let li = app.signed_in("13800000002").await;
    let wuchang_before = row(&before.body, "武汉市武昌区总工会").clone();
    let found = app
        .client()
        .get("/api/merchants?q=%E6%A5%9A%E5%A4%A9%E4%BC%98%E9%80%89%E8%B6%85%E5%B8%82")
        .await;
    let offer = found.body["items"][0]["offers"][0]["id"].as_i64().unwrap();
    let code = li
        .post(&format!("/api/offers/{offer}/redemptions"), json!({}))
        .await;
    let code = code.body["code"].as_str().unwrap().to_string();
    let cashier = app.signed_in("13900000001").await;
    let done = cashier
        .post(
            &format!("/api/merchant/redemptions/{code}/confirm"),
            json!({"amount_fen": 10000}),
        )
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    let plans = app.client().get("/api/aid/plans").await;
    let women = plans.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["kind"] == "women_special")
        .unwrap()["id"]
        .clone();
    let enrolled = li
        .post("/api/aid/enrolments", json!({"plan_id": women}))
        .await;
    assert_eq!(enrolled.status, StatusCode::CREATED);
    let zhang = app.signed_in("13800000001").await;
    let activated = zhang
        .post(
            "/api/card/activate",
            json!({"card_no": "6222020200000000014", "id_number": "420102198803151236"}),
        )
        .await;
    assert_eq!(activated.status, StatusCode::OK, "{}", activated.body);
    // 张伟 had used nothing yet; a loan application makes his card "used".
    let applied = zhang
        .post(
            "/api/loans",
            json!({"employment_status": "registered_unemployed", "local_hukou": true, "business_kind": "catering",
                   "business_started_on": "2024-03-01", "amount_fen": 2000000, "term_months": 12,
                   "business_name": "面馆", "business_address": "江岸区", "purpose": "设备"}),
        )
        .await;
    assert_eq!(applied.status, StatusCode::CREATED, "{}", applied.body);

    let after = city.get("/api/staff/stats").await;
    let d = |k: &str| after.body[k].as_i64().unwrap() - before.body[k].as_i64().unwrap();
    assert_eq!(d("issued"), 0);
    assert_eq!(d("activated"), 1);
    assert_eq!(d("redemptions"), 1);
    assert_eq!(d("savings_fen"), 500);
    assert_eq!(d("enrolments"), 1);
    // 张伟 is a new user; 李娜 (already one, through her cover) counts once
    // however many things she did.
    assert_eq!(d("used"), 1);
    let wuchang_after = row(&after.body, "武汉市武昌区总工会");
    assert_eq!(
        wuchang_after["redemptions"].as_i64().unwrap()
            - wuchang_before["redemptions"].as_i64().unwrap(),
        1
    );
    assert_eq!(
        wuchang_after["enrolments"].as_i64().unwrap()
            - wuchang_before["enrolments"].as_i64().unwrap(),
        1
    );
    let jiangan_before = row(&before.body, "武汉市江岸区总工会");
    let jiangan_after = row(&after.body, "武汉市江岸区总工会");
    assert_eq!(
        jiangan_after["activated"].as_i64().unwrap()
            - jiangan_before["activated"].as_i64().unwrap(),
        1
    );
    assert_eq!(
        jiangan_after["used"].as_i64().unwrap() - jiangan_before["used"].as_i64().unwrap(),
        1
    );
    // Used in the period: every member with any of the five things, once.
    let used_members: HashSet<i64> = sqlx::query(
        "SELECT c.roster_id AS r FROM redemptions x JOIN cards c ON c.id = x.card_id WHERE x.status = 'confirmed'
         UNION SELECT roster_id FROM aid_enrolments UNION SELECT roster_id FROM aid_claims WHERE submitted_at IS NOT NULL
         UNION SELECT roster_id FROM loan_applications WHERE submitted_at IS NOT NULL
         UNION SELECT us.roster_id FROM signups s JOIN users us ON us.id = s.user_id WHERE us.roster_id IS NOT NULL",
    )
    .fetch_all(app.state.db.read())
    .await
    .unwrap()
    .iter()
    .map(|r| r.try_get::<i64, _>(0).unwrap())
    .collect();
    // The default period is this year; a period of all time counts them all.
    let now_day = (std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
        + 8 * 3600)
        / 86_400;
    let long_ago = unioncard_api::identity::Date::from_days(now_day - 1800).iso();
    let all = city.get(&format!("/api/staff/stats?from={long_ago}")).await;
    assert_eq!(all.body["used"], used_members.len() as i64);

    // Weakest first, CSV, bad input.
    let weakest = city
        .get("/api/staff/stats?sort=activation_rate&weakest_first=true")
        .await;
    let rates: Vec<f64> = weakest.body["unions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["activation_rate"].as_f64().unwrap())
        .collect();
    assert!(rates.windows(2).all(|w| w[0] <= w[1]), "{rates:?}");
    let csv = city
        .raw(Method::GET, "/api/staff/stats.csv")
        .send()
        .await
        .unwrap();
    assert!(csv.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let text = csv.text().await.unwrap();
    assert_eq!(text.trim_end().split("\r\n").count(), 1 + 13 + 1, "{text}");
    assert!(text.contains("武汉市武昌区总工会,"));
    for bad in [
        "from=2026-13-01",
        "from=2026-06-01&to=2026-01-01",
        "sort=height",
    ] {
        assert_eq!(
            city.get(&format!("/api/staff/stats?{bad}")).await.status,
            StatusCode::BAD_REQUEST,
            "{bad}"
        );
    }
    // Months cover the period, and add up to the totals of what happened in it.
    let months = after.body["months"].as_array().unwrap();
    let red: i64 = months
        .iter()
        .map(|m| m["redemptions"].as_i64().unwrap())
        .sum();
    assert_eq!(red, after.body["redemptions"].as_i64().unwrap());
}
both_databases!(the_figures_match_a_hand_count_and_move_exactly_with_each_action);

async fn the_home_counts_what_waits_in_each_queue_of_my_unions(app: &TestApp) {
    let city = app.signed_in("13700000001").await;
    let q = city.get("/api/staff/queues").await;
    assert_eq!(q.status, StatusCode::OK, "{}", q.body);
    let open_claims: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM aid_claims WHERE status IN ('submitted', 'under_review', 'documents_requested')",
    )
    .fetch_one(app.state.db.read())
    .await
    .unwrap();
    assert_eq!(q.body["claims"], open_claims);
    let wuchang = app.signed_in("13700000002").await;
    let w = wuchang.get("/api/staff/queues").await;
    let listed = wuchang.get("/api/staff/aid/claims?limit=100").await.body["items"]
        .as_array()
        .unwrap()
        .len() as i64;
    assert_eq!(w.body["claims"], listed);
    assert!(w.body["claims"].as_i64().unwrap() < open_claims);
    // A new claim from 李娜 shows on both.
    let li = app.signed_in("13800000002").await;
    let cover = li.get("/api/me/aid/enrolments").await.body["items"][0]["id"].clone();
    let today = (std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
        + 8 * 3600)
        / 86_400;
    let day = |n: i64| unioncard_api::identity::Date::from_days(today + n).iso();
    let filed = li
        .post(
            "/api/aid/claims",
            json!({"enrolment_id": cover, "admitted_on": day(-6), "discharged_on": day(-2),
                   "hospital_name": "武汉市第一医院", "total_cost_fen": 300000, "insurance_paid_fen": 200000,
                   "self_pay_fen": 100000}),
        )
        .await;
    assert_eq!(filed.status, StatusCode::CREATED, "{}", filed.body);
    assert_eq!(
        wuchang.get("/api/staff/queues").await.body["claims"],
        listed + 1
    );
    assert_eq!(
        li.get("/api/staff/queues").await.status,
        StatusCode::FORBIDDEN
    );
}
both_databases!(the_home_counts_what_waits_in_each_queue_of_my_unions);

/// An officer of a district other than 武昌区.
async fn outside_district(app: &TestApp) -> i64 {
    sqlx::query_scalar(
        "SELECT id FROM unions WHERE level = 'district' AND name = '武汉市江岸区总工会'",
    )
    .fetch_one(app.state.db.read())
    .await
    .unwrap()
}

/// The first record of a table whose union is under the path (or not).
async fn record(app: &TestApp, sql: &str, inside: bool) -> i64 {
    let wc: String =
        sqlx::query_scalar("SELECT path FROM unions WHERE name = '武汉市武昌区总工会'")
            .fetch_one(app.state.db.read())
            .await
            .unwrap();
    let cond = if inside { "LIKE" } else { "NOT LIKE" };
    sqlx::query_scalar(&sql.replace("{IN}", cond))
        .bind(format!("{wc}%"))
        .fetch_one(app.state.db.read())
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

async fn an_officer_never_sees_or_changes_anything_outside_their_unions(app: &TestApp) {
    let claim_sql = "SELECT MIN(c.id) FROM aid_claims c JOIN unions u ON u.id = c.union_id
                      WHERE u.path {IN} $1 AND c.status = 'submitted'";
    // (the demo has submitted claims and loans in other districts)
    let loan_sql = "SELECT MIN(l.id) FROM loan_applications l JOIN unions u ON u.id = l.union_id
                     WHERE u.path {IN} $1 AND l.status = 'submitted'";
    let session_sql =
        "SELECT MIN(s.id) FROM training_sessions s JOIN courses c ON c.id = s.course_id
                        JOIN unions u ON u.id = c.union_id WHERE u.path {IN} $1";
    let course_sql =
        "SELECT MIN(c.id) FROM courses c JOIN unions u ON u.id = c.union_id WHERE u.path {IN} $1";
    let claim_out = record(app, claim_sql, false).await;
    let loan_out = record(app, loan_sql, false).await;
    // Inside 武昌区: 李娜's own claim and loan application.
    let li = app.signed_in("13800000002").await;
    let cover = li.get("/api/me/aid/enrolments").await.body["items"][0]["id"].clone();
    let now_day = (std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
        + 8 * 3600)
        / 86_400;
    let day = |n: i64| unioncard_api::identity::Date::from_days(now_day + n).iso();
    let claim_in = li
        .post(
            "/api/aid/claims",
            json!({"enrolment_id": cover, "admitted_on": day(-6), "discharged_on": day(-2),
                   "hospital_name": "武汉市第一医院", "total_cost_fen": 300000, "insurance_paid_fen": 200000,
                   "self_pay_fen": 100000}),
        )
        .await
        .body["id"]
        .as_i64()
        .unwrap();
    let loan_in = li
        .post(
            "/api/loans",
            json!({"employment_status": "hardship", "local_hukou": true, "business_kind": "shop",
                   "business_started_on": "2023-05-01", "amount_fen": 3000000, "term_months": 12,
                   "business_name": "小卖部", "business_address": "武昌区", "purpose": "进货"}),
        )
        .await
        .body["id"]
        .as_i64()
        .unwrap();
    let (session_in, session_out) = (
        record(app, session_sql, true).await,
        record(app, session_sql, false).await,
    );
    let course_out = record(app, course_sql, false).await;
    let jiangan = outside_district(app).await;
    let wuchang_id: i64 =
        sqlx::query_scalar("SELECT id FROM unions WHERE name = '武汉市武昌区总工会'")
            .fetch_one(app.state.db.read())
            .await
            .unwrap();
    // A join request to a 江岸区 workplace, and a complaint about a merchant outside 武昌区.
    let ja_work: i64 = sqlx::query_scalar("SELECT MIN(id) FROM unions WHERE parent_id = $1")
        .bind(jiangan)
        .fetch_one(app.state.db.read())
        .await
        .unwrap();
    let join = app
        .client()
        .post(
            "/api/join-requests",
            json!({"name": "赵小六", "id_number": "110101199003070011", "phone": "13912345678",
                   "union_id": ja_work, "workplace": "江岸某厂"}),
        )
        .await;
    assert_eq!(join.status, StatusCode::CREATED, "{}", join.body);
    let join_out = join.body["id"].as_i64().unwrap();
    let found = app
        .client()
        .get("/api/merchants?q=%E6%A5%9A%E5%A4%A9%E4%BC%98%E9%80%89%E8%B6%85%E5%B8%82")
        .await;
    let merchant = found.body["items"][0]["id"].as_i64().unwrap();
    let zhang = app.signed_in("13800000001").await;
    let complaint = zhang
        .post(
            "/api/complaints",
            json!({"merchant_id": merchant, "kind": "refused"}),
        )
        .await;
    let complaint_out = complaint.body["id"].as_i64().unwrap();

    let wuchang = app.signed_in("13700000002").await;
    let city = app.signed_in("13700000001").await;
    let member = app.signed_in("13800000002").await;
    let anonymous = app.client();
    let decision = json!({"decision": "approve", "note": "越权测试", "amount_fen": 1});
    // (method, path, body, whether the target is inside 武昌区)
    let cases: Vec<(Method, String, Option<Value>, bool)> = vec![
        (
            Method::GET,
            format!("/api/staff/aid/claims/{claim_in}"),
            None,
            true,
        ),
        (
            Method::GET,
            format!("/api/staff/aid/claims/{claim_out}"),
            None,
            false,
        ),
        (
            Method::POST,
            format!("/api/staff/aid/claims/{claim_out}/review"),
            Some(json!({})),
            false,
        ),
        (
            Method::POST,
            format!("/api/staff/aid/claims/{claim_out}/decision"),
            Some(decision.clone()),
            false,
        ),
        (
            Method::POST,
            format!("/api/staff/aid/claims/{claim_out}/paid"),
            Some(json!({})),
            false,
        ),
        (Method::GET, format!("/api/loans/{loan_in}"), None, true),
        (Method::GET, format!("/api/loans/{loan_out}"), None, false),
        (
            Method::POST,
            format!("/api/staff/loans/{loan_out}/decision"),
            Some(decision.clone()),
            false,
        ),
        (
            Method::POST,
            format!("/api/staff/loans/{loan_out}/notes"),
            Some(json!({"note": "x"})),
            false,
        ),
        (
            Method::GET,
            format!("/api/staff/sessions/{session_in}/roster"),
            None,
            true,
        ),
        (
            Method::GET,
            format!("/api/staff/sessions/{session_out}/roster"),
            None,
            false,
        ),
        (
            Method::PUT,
            format!("/api/staff/courses/{course_out}"),
            Some(
                json!({"title": "越权改名", "category": "electrician", "provider": "x", "description": "",
                "fee_fen": 0, "eligibility": "all", "certificate": ""}),
            ),
            false,
        ),
        (
            Method::POST,
            format!("/api/staff/join-requests/{join_out}/decision"),
            Some(decision.clone()),
            false,
        ),
        (
            Method::POST,
            format!("/api/staff/complaints/{complaint_out}/decision"),
            Some(decision.clone()),
            false,
        ),
        (
            Method::POST,
            "/api/staff/cards/lookup".into(),
            Some(json!({"card_no": "6222020200000000022"})),
            true,
        ),
        (
            Method::POST,
            "/api/staff/cards/lookup".into(),
            Some(json!({"card_no": "6222020200000000014"})),
            false,
        ),
        (
            Method::POST,
            "/api/staff/cards/freeze".into(),
            Some(json!({"card_no": "6222020200000000014"})),
            false,
        ),
        (
            Method::GET,
            format!("/api/staff/stats?union={wuchang_id}"),
            None,
            true,
        ),
        (
            Method::GET,
            format!("/api/staff/stats?union={jiangan}"),
            None,
            false,
        ),
        (
            Method::GET,
            format!("/api/staff/stats.csv?union={jiangan}"),
            None,
            false,
        ),
    ];
    for (method, path, body, inside) in &cases {
        let as_district = wuchang.send(method.clone(), path, body.clone()).await;
        if *inside {
            assert_eq!(
                as_district.status,
                StatusCode::OK,
                "{method} {path}: {}",
                as_district.body
            );
        } else {
            assert_eq!(
                as_district.status,
                StatusCode::NOT_FOUND,
                "武昌区 officer, {method} {path}: {}",
                as_district.body
            );
        }
        if *method == Method::GET {
            let as_city = city.send(method.clone(), path, None).await;
            assert_eq!(
                as_city.status,
                StatusCode::OK,
                "city officer, {path}: {}",
                as_city.body
            );
        }
        if path.starts_with("/api/staff/") {
            assert_eq!(
                member.send(method.clone(), path, body.clone()).await.status,
                StatusCode::FORBIDDEN,
                "member, {method} {path}"
            );
        }
        assert_eq!(
            anonymous
                .send(method.clone(), path, body.clone())
                .await
                .status,
            StatusCode::UNAUTHORIZED,
            "anonymous, {method} {path}"
        );
    }
    // Nothing outside changed.
    let unchanged: Vec<String> = vec![
        sqlx::query_scalar("SELECT status FROM aid_claims WHERE id = $1")
            .bind(claim_out)
            .fetch_one(app.state.db.read())
            .await
            .unwrap(),
        sqlx::query_scalar("SELECT status FROM loan_applications WHERE id = $1")
            .bind(loan_out)
            .fetch_one(app.state.db.read())
            .await
            .unwrap(),
        sqlx::query_scalar("SELECT status FROM join_requests WHERE id = $1")
            .bind(join_out)
            .fetch_one(app.state.db.read())
            .await
            .unwrap(),
        sqlx::query_scalar("SELECT status FROM complaints WHERE id = $1")
            .bind(complaint_out)
            .fetch_one(app.state.db.read())
            .await
            .unwrap(),
        sqlx::query_scalar("SELECT status FROM cards WHERE card_no = '6222020200000000014'")
            .fetch_one(app.state.db.read())
            .await
            .unwrap(),
    ];
    assert_eq!(
        unchanged,
        vec!["submitted", "submitted", "pending", "open", "issued"]
    );
    // Lists and counts leave the outside out.
    let listed: Vec<i64> = wuchang.get("/api/staff/aid/claims?limit=100").await.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_i64().unwrap())
        .collect();
    assert!(listed.contains(&claim_in) && !listed.contains(&claim_out));
    let stats = wuchang.get("/api/staff/stats").await;
    assert_eq!(stats.body["name"], "武汉市武昌区总工会");
    assert!(stats.body["unions"]
        .as_array()
        .unwrap()
        .iter()
        .all(|u| u["name"] != "武汉市江岸区总工会"));
}
both_databases!(an_officer_never_sees_or_changes_anything_outside_their_unions);

async fn the_audit_log_records_decisions_with_before_and_after_and_is_read_only(app: &TestApp) {
    let city = app.signed_in("13700000001").await;
    let frozen = city
        .post(
            "/api/staff/cards/freeze",
            json!({"card_no": "6222020200000000022"}),
        )
        .await;
    assert_eq!(frozen.status, StatusCode::OK, "{}", frozen.body);
    let log = city.get("/api/staff/audit?action=card.").await;
    assert_eq!(log.status, StatusCode::OK, "{}", log.body);
    let first = &log.body["items"][0];
    assert_eq!(first["action"], "card.freeze", "{}", log.body);
    assert_eq!(first["actor"], "周建国", "{}", log.body);
    assert_eq!(first["before"]["status"], "active");
    assert_eq!(first["after"]["status"], "frozen");
    // The district officer over 李娜 sees it; another district's does not.
    let wuchang = app.signed_in("13700000002").await;
    assert_eq!(
        wuchang
            .get("/api/staff/audit?action=card.freeze")
            .await
            .body["items"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    // Filters and paging.
    let by_target = city
        .get(&format!(
            "/api/staff/audit?target={}",
            first["target"].as_str().unwrap()
        ))
        .await;
    assert!(by_target.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["target"] == first["target"]));
    city.post(
        "/api/staff/cards/unfreeze",
        json!({"card_no": "6222020200000000022"}),
    )
    .await;
    let page1 = city.get("/api/staff/audit?limit=1").await;
    let cursor = page1.body["next_cursor"].as_str().unwrap().to_string();
    let page2 = city
        .get(&format!("/api/staff/audit?limit=1&cursor={cursor}"))
        .await;
    assert_ne!(page1.body["items"][0], page2.body["items"][0]);
    // Read-only for everyone.
    for method in [Method::POST, Method::PUT, Method::DELETE] {
        let a = city
            .send(method.clone(), "/api/staff/audit", Some(json!({})))
            .await;
        assert_eq!(a.status, StatusCode::METHOD_NOT_ALLOWED, "{method}");
    }
    assert_eq!(
        city.get("/api/staff/audit?from=yesterday").await.status,
        StatusCode::BAD_REQUEST
    );
}
both_databases!(the_audit_log_records_decisions_with_before_and_after_and_is_read_only);
