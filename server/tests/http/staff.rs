//! Officers: the figures (exact, counted independently and by what each
//! action adds), the home counts, the audit log, and scope as a matrix of
//! endpoint × role × inside/outside.

use std::collections::{HashMap, HashSet};

use reqwest::{Method, StatusCode};
use serde::Serialize;
use serde_json::Value;
use sqlx::Row;
use unioncard_api::aid::{Bill, ClaimInput, PlanKind};
use unioncard_api::audit::AuditEntry;
use unioncard_api::card::CardLookup;
use unioncard_api::join::{Decision, JoinApplication, Page};
use unioncard_api::loans::{BusinessKind, EligibilityInput, EmploymentStatus, LoanInput};
use unioncard_api::offers::ComplaintRequest;
use unioncard_api::stats::{queue_badge, Counts, Queues, Stats, UnionRow, QUEUE_COUNT_CAP};
use unioncard_api::training::CourseInput;

use crate::both_databases;
use crate::fixtures::{bill, day, district, li_na_cover, noodle_shop, unions_below};
use crate::support::{Client, Empty, Note, TestApp, Typed};

fn row<'a>(stats: &'a Stats, name: &str) -> &'a UnionRow {
    stats
        .unions
        .iter()
        .find(|u| u.name == name)
        .unwrap_or_else(|| panic!("no row {name}: {stats:?}"))
}

async fn stats(officer: &Client, query: &str) -> Stats {
    officer
        .get_as::<Stats>(&format!("/api/staff/stats{query}"))
        .await
        .expect(StatusCode::OK)
}

/// The demo supermarket's first offer (楚天优选超市).
async fn supermarket_offer(app: &TestApp) -> (i64, i64) {
    let found = app
        .client()
        .merchants("q=%E6%A5%9A%E5%A4%A9%E4%BC%98%E9%80%89%E8%B6%85%E5%B8%82")
        .await
        .into_body();
    (found.items[0].id, found.items[0].offers[0].id)
}

/// 李娜's claim for a stay 6 to 2 days ago.
fn short_stay(enrolment: i64) -> ClaimInput {
    ClaimInput {
        enrolment_id: enrolment,
        admitted_on: day(-6),
        discharged_on: day(-2),
        hospital_name: "武汉市第一医院".into(),
        bill: Bill {
            total_cost_fen: 300000,
            insurance_paid_fen: 200000,
            self_pay_fen: 100000,
            ..bill()
        },
        draft: false,
    }
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
    // A year back, not from 1 January: 李娜's demo cover (her first use)
    // began about 200 days ago, which early in a year is last year.
    let year_back = format!("?from={}", crate::fixtures::day(-365));
    let before = stats(&city, &year_back).await;
    let (per, total) = hand_count(app).await;
    assert_eq!(before.totals.issued, total.0);
    assert_eq!(before.totals.activated, total.1);
    for (name, (issued, activated)) in &per {
        let r = row(&before, name);
        assert_eq!(r.counts.issued, *issued, "{name}");
        assert_eq!(r.counts.activated, *activated, "{name}");
    }
    let rate = before.totals.activation_rate;
    let expected = (total.1 as f64 / total.0 as f64 * 10_000.0).round() / 10_000.0;
    assert_eq!(rate, expected);

    // 李娜 (武昌区) redeems ¥100 at the supermarket, joins the women's plan and
    // applies for a loan; 张伟 (江岸区) activates his card.
    let li = app.signed_in("13800000002").await;
    let wuchang_before = row(&before, "武汉市武昌区总工会").clone();
    let (_, offer) = supermarket_offer(app).await;
    let code = li.redeem(offer).await.into_body().code;
    let cashier = app.signed_in("13900000001").await;
    let done = cashier.confirm(&code, 10000).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.answer.body);
    let women = app
        .client()
        .aid_plans()
        .await
        .into_iter()
        .find(|p| p.kind == PlanKind::WomenSpecial)
        .unwrap()
        .id;
    let enrolled = li.enrol(women).await;
    assert_eq!(enrolled.status, StatusCode::CREATED);
    let zhang = app.signed_in("13800000001").await;
    let activated = zhang
        .activate("6222020200000000014", "420102198803151236")
        .await;
    assert_eq!(
        activated.status,
        StatusCode::OK,
        "{}",
        activated.answer.body
    );
    // 张伟 had used nothing yet; a loan application makes his card "used".
    let noodles = LoanInput {
        facts: EligibilityInput {
            amount_fen: 2000000,
            term_months: 12,
            ..noodle_shop(0).facts
        },
        business_name: "面馆".into(),
        business_address: "江岸区".into(),
        purpose: "设备".into(),
        draft: false,
    };
    let applied = zhang.apply_for_loan(&noodles).await;
    assert_eq!(
        applied.status,
        StatusCode::CREATED,
        "{}",
        applied.answer.body
    );

    let after = stats(&city, &year_back).await;
    let d = |k: fn(&Counts) -> i64| k(&after.totals) - k(&before.totals);
    assert_eq!(d(|c| c.issued), 0);
    assert_eq!(d(|c| c.activated), 1);
    assert_eq!(d(|c| c.redemptions), 1);
    assert_eq!(d(|c| c.savings_fen), 500);
    assert_eq!(d(|c| c.enrolments), 1);
    // 张伟 is a new user; 李娜 (already one, through her cover) counts once
    // however many things she did.
    assert_eq!(d(|c| c.used), 1);
    let wuchang_after = row(&after, "武汉市武昌区总工会");
    assert_eq!(
        wuchang_after.counts.redemptions - wuchang_before.counts.redemptions,
        1
    );
    assert_eq!(
        wuchang_after.counts.enrolments - wuchang_before.counts.enrolments,
        1
    );
    let jiangan_before = row(&before, "武汉市江岸区总工会");
    let jiangan_after = row(&after, "武汉市江岸区总工会");
    assert_eq!(
        jiangan_after.counts.activated - jiangan_before.counts.activated,
        1
    );
    assert_eq!(jiangan_after.counts.used - jiangan_before.counts.used, 1);
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
    let all = stats(&city, &format!("?from={long_ago}")).await;
    assert_eq!(all.totals.used, used_members.len() as i64);

    // Weakest first, CSV, bad input.
    let weakest = stats(&city, "?sort=activation_rate&weakest_first=true").await;
    let rates: Vec<f64> = weakest
        .unions
        .iter()
        .map(|u| u.counts.activation_rate)
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
    let red: i64 = after.months.iter().map(|m| m.redemptions).sum();
    assert_eq!(red, after.totals.redemptions);
}
both_databases!(the_figures_match_a_hand_count_and_move_exactly_with_each_action);

/// The waiting claims and loans of every union, counted from the records.
const WAITING_CLAIMS: &str =
    "SELECT COUNT(*) FROM aid_claims WHERE status IN ('submitted', 'under_review', 'documents_requested')";
const WAITING_LOANS: &str =
    "SELECT COUNT(*) FROM loan_applications WHERE status IN ('submitted', 'union_approved', 'guaranteed')";

/// A count from the records, to check the home's counts against.
async fn waiting_in(app: &TestApp, count_sql: &str) -> i64 {
    sqlx::query_scalar(count_sql)
        .fetch_one(app.state.db.read())
        .await
        .unwrap()
}

async fn the_home_counts_what_waits_in_each_queue_of_my_unions(app: &TestApp) {
    let queues = |who: &'static str| async move {
        app.signed_in(who)
            .await
            .get_as::<Queues>("/api/staff/queues")
            .await
    };
    let city = app.signed_in("13700000001").await;
    let q = city
        .get_as::<Queues>("/api/staff/queues")
        .await
        .expect(StatusCode::OK);
    let open_claims: i64 = waiting_in(app, WAITING_CLAIMS).await;
    assert_eq!(q.claims, open_claims);
    let wuchang = app.signed_in("13700000002").await;
    let w = wuchang
        .get_as::<Queues>("/api/staff/queues")
        .await
        .into_body();
    let listed = wuchang
        .claim_queue("limit=100")
        .await
        .into_body()
        .items
        .len() as i64;
    assert_eq!(w.claims, listed);
    assert!(w.claims < open_claims);
    // A new claim from 李娜 shows on both.
    let li = app.signed_in("13800000002").await;
    let cover = li_na_cover(&li).await.id;
    let filed = li.file_claim(&short_stay(cover)).await;
    assert_eq!(filed.status, StatusCode::CREATED, "{}", filed.answer.body);
    assert_eq!(queues("13700000002").await.body().claims, listed + 1);
    assert_eq!(queues("13800000002").await.status, StatusCode::FORBIDDEN);
}
both_databases!(the_home_counts_what_waits_in_each_queue_of_my_unions);

/// A city whose claims queue is longer than the badge's cap: the home says
/// the cap (the badge reads "999+"); the other queues' counts are exact.
async fn a_long_queue_is_counted_up_to_the_cap(app: &TestApp) {
    // 1,100 more waiting claims, copies of one of the demo's waiting ones.
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1100)
         INSERT INTO aid_claims (enrolment_id, roster_id, union_id, status, admitted_on, discharged_on,
                hospital_name, created_at, submitted_at)
         SELECT c.enrolment_id, c.roster_id, c.union_id, 'submitted', c.admitted_on, c.discharged_on,
                c.hospital_name, c.created_at, c.submitted_at + n.i
           FROM n, (SELECT * FROM aid_claims WHERE status = 'submitted' ORDER BY id LIMIT 1) c",
    )
    .execute(app.state.db.write())
    .await
    .unwrap();
    let waiting: i64 = waiting_in(app, WAITING_CLAIMS).await;
    assert!(waiting > QUEUE_COUNT_CAP, "{waiting} waiting");
    let city = app.signed_in("13700000001").await;
    let q = city.get_as::<Queues>("/api/staff/queues").await.into_body();
    assert_eq!(q.claims, QUEUE_COUNT_CAP);
    assert_eq!(queue_badge(q.claims), "999+");
    // The loans' count is not touched by the claims' cap.
    let loans: i64 = waiting_in(app, WAITING_LOANS).await;
    assert_eq!(q.loans, loans);
}
both_databases!(a_long_queue_is_counted_up_to_the_cap);

/// A page of the audit log.
async fn audit(who: &Client, query: &str) -> Typed<Page<AuditEntry>> {
    who.get_as(&format!("/api/staff/audit?{query}")).await
}

/// A wire type as a request body of the matrix below.
fn body<B: Serialize>(b: &B) -> Option<Value> {
    Some(serde_json::to_value(b).unwrap())
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
    let cover = li_na_cover(&li).await.id;
    let claim_in = li.file_claim(&short_stay(cover)).await.into_body().id;
    let corner_store = LoanInput {
        facts: EligibilityInput {
            employment_status: EmploymentStatus::Hardship,
            business_kind: BusinessKind::Shop,
            business_started_on: "2023-05-01".into(),
            amount_fen: 3000000,
            term_months: 12,
            ..noodle_shop(0).facts
        },
        business_name: "小卖部".into(),
        business_address: "武昌区".into(),
        purpose: "进货".into(),
        draft: false,
    };
    let loan_in = li.apply_for_loan(&corner_store).await.into_body().id;
    let (session_in, session_out) = (
        record(app, session_sql, true).await,
        record(app, session_sql, false).await,
    );
    let course_out = record(app, course_sql, false).await;
    // A district other than 武昌区.
    let jiangan = district(app, "武汉市江岸区总工会").await;
    let wuchang_id = district(app, "武汉市武昌区总工会").await;
    // A join request to a 江岸区 workplace, and a complaint about a merchant outside 武昌区.
    let ja_work = unions_below(app, jiangan)
        .await
        .iter()
        .map(|u| u.id)
        .min()
        .expect("a workplace union in 江岸区");
    let join = app
        .client()
        .apply_to_join(&JoinApplication {
            name: "赵小六".into(),
            id_number: "110101199003070011".into(),
            phone: "13912345678".into(),
            union_id: ja_work,
            workplace: "江岸某厂".into(),
        })
        .await;
    assert_eq!(join.status, StatusCode::CREATED, "{}", join.answer.body);
    let join_out = join.body().id;
    let (merchant, _) = supermarket_offer(app).await;
    let zhang = app.signed_in("13800000001").await;
    let complaint = zhang
        .complain(&ComplaintRequest {
            merchant_id: merchant,
            kind: "refused".into(),
            ..ComplaintRequest::default()
        })
        .await;
    let complaint_out = complaint.body().id;

    let wuchang = app.signed_in("13700000002").await;
    let city = app.signed_in("13700000001").await;
    let member = app.signed_in("13800000002").await;
    let anonymous = app.client();
    let decision = body(&Decision {
        decision: "approve".into(),
        amount_fen: Some(1),
        note: "越权测试".into(),
    });
    let card = |card_no: &str| {
        body(&CardLookup {
            card_no: card_no.into(),
        })
    };
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
            body(&Empty {}),
            false,
        ),
        (
            Method::POST,
            format!("/api/staff/aid/claims/{claim_out}/decision"),
            decision.clone(),
            false,
        ),
        (
            Method::POST,
            format!("/api/staff/aid/claims/{claim_out}/paid"),
            body(&Empty {}),
            false,
        ),
        (Method::GET, format!("/api/loans/{loan_in}"), None, true),
        (Method::GET, format!("/api/loans/{loan_out}"), None, false),
        (
            Method::POST,
            format!("/api/staff/loans/{loan_out}/decision"),
            decision.clone(),
            false,
        ),
        (
            Method::POST,
            format!("/api/staff/loans/{loan_out}/notes"),
            body(&Note { note: "x" }),
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
            body(&CourseInput {
                title: "越权改名".into(),
                category: "electrician".into(),
                provider: "x".into(),
                description: "".into(),
                fee_fen: 0,
                eligibility: "all".into(),
                certificate: "".into(),
            }),
            false,
        ),
        (
            Method::POST,
            format!("/api/staff/join-requests/{join_out}/decision"),
            decision.clone(),
            false,
        ),
        (
            Method::POST,
            format!("/api/staff/complaints/{complaint_out}/decision"),
            decision.clone(),
            false,
        ),
        (
            Method::POST,
            "/api/staff/cards/lookup".into(),
            card("6222020200000000022"),
            true,
        ),
        (
            Method::POST,
            "/api/staff/cards/lookup".into(),
            card("6222020200000000014"),
            false,
        ),
        (
            Method::POST,
            "/api/staff/cards/freeze".into(),
            card("6222020200000000014"),
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
    let listed: Vec<i64> = wuchang
        .claim_queue("limit=100")
        .await
        .into_body()
        .items
        .iter()
        .map(|c| c.id)
        .collect();
    assert!(listed.contains(&claim_in) && !listed.contains(&claim_out));
    let figures = stats(&wuchang, "").await;
    assert_eq!(figures.name, "武汉市武昌区总工会");
    assert!(figures
        .unions
        .iter()
        .all(|u| u.name != "武汉市江岸区总工会"));
}
both_databases!(an_officer_never_sees_or_changes_anything_outside_their_unions);

async fn the_audit_log_records_decisions_with_before_and_after_and_is_read_only(app: &TestApp) {
    let city = app.signed_in("13700000001").await;
    let frozen = city.staff_card("freeze", "6222020200000000022").await;
    assert_eq!(frozen.status, StatusCode::OK, "{}", frozen.answer.body);
    let log = audit(&city, "action=card.").await;
    assert_eq!(log.status, StatusCode::OK, "{}", log.answer.body);
    let first = &log.body().items[0];
    assert_eq!(first.action, "card.freeze", "{}", log.answer.body);
    assert_eq!(first.actor, "周建国", "{}", log.answer.body);
    assert_eq!(first.before.as_ref().expect("before")["status"], "active");
    assert_eq!(first.after.as_ref().expect("after")["status"], "frozen");
    // The district officer over 李娜 sees it; another district's does not.
    let wuchang = app.signed_in("13700000002").await;
    assert_eq!(
        audit(&wuchang, "action=card.freeze")
            .await
            .body()
            .items
            .len(),
        1
    );
    // Filters and paging.
    let by_target = audit(&city, &format!("target={}", first.target)).await;
    assert!(by_target
        .body()
        .items
        .iter()
        .all(|e| e.target == first.target));
    city.staff_card("unfreeze", "6222020200000000022").await;
    let page1 = audit(&city, "limit=1").await.into_body();
    let cursor = page1.next_cursor.clone().expect("a next page");
    let page2 = audit(&city, &format!("limit=1&cursor={cursor}"))
        .await
        .into_body();
    assert_ne!(page1.items[0], page2.items[0]);
    // Read-only for everyone.
    for method in [Method::POST, Method::PUT, Method::DELETE] {
        let a = city
            .send_body(method.clone(), "/api/staff/audit", Some(&Empty {}))
            .await;
        assert_eq!(a.status, StatusCode::METHOD_NOT_ALLOWED, "{method}");
    }
    assert_eq!(
        city.get("/api/staff/audit?from=yesterday").await.status,
        StatusCode::BAD_REQUEST
    );
}
both_databases!(the_audit_log_records_decisions_with_before_and_after_and_is_read_only);

/// The members who used their card in `[start, end)`, counted the slow way
/// from the five kinds of use (the figures keep them as bitmaps).
async fn used_between(app: &TestApp, start: i64, end: i64) -> i64 {
    sqlx::query_scalar::<_, i64>(
        "SELECT COUNT(*) FROM (
           SELECT c.roster_id AS r FROM redemptions x JOIN cards c ON c.id = x.card_id
            WHERE x.status = 'confirmed' AND x.confirmed_at >= $1 AND x.confirmed_at < $2
           UNION SELECT roster_id FROM aid_enrolments WHERE created_at >= $1 AND created_at < $2
           UNION SELECT roster_id FROM aid_claims WHERE submitted_at >= $1 AND submitted_at < $2
           UNION SELECT roster_id FROM loan_applications WHERE submitted_at >= $1 AND submitted_at < $2
           UNION SELECT us.roster_id FROM signups s JOIN users us ON us.id = s.user_id
            WHERE us.roster_id IS NOT NULL AND s.created_at >= $1 AND s.created_at < $2) u",
    )
    .bind(start)
    .bind(end)
    .fetch_one(app.state.db.read())
    .await
    .unwrap()
}

/// Every union's month row of the figures holds the sums of its day rows
/// (months numbered by `store::figures::month_of_day`).
async fn months_sum_their_days(app: &TestApp) {
    use std::collections::BTreeMap;
    const COLS: &str = "issued, activated, cards_moved, active_moved, redemptions, savings_fen,
        enrolments, claims, claims_fen, signups";
    type Row = (i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64);
    let days: Vec<Row> = sqlx::query_as(&format!("SELECT union_id, day, {COLS} FROM figure_days"))
        .fetch_all(app.state.db.read())
        .await
        .unwrap();
    let months: Vec<Row> = sqlx::query_as(&format!(
        "SELECT union_id, month, {COLS} FROM figure_months"
    ))
    .fetch_all(app.state.db.read())
    .await
    .unwrap();
    let mut summed: BTreeMap<(i64, i64), [i64; 10]> = BTreeMap::new();
    for d in &days {
        let key = (d.0, unioncard_server::store::figures::month_of_day(d.1));
        let v = [d.2, d.3, d.4, d.5, d.6, d.7, d.8, d.9, d.10, d.11];
        let e = summed.entry(key).or_default();
        for (a, b) in e.iter_mut().zip(v) {
            *a += b;
        }
    }
    let kept: BTreeMap<(i64, i64), [i64; 10]> = months
        .iter()
        .map(|m| {
            (
                (m.0, m.1),
                [m.2, m.3, m.4, m.5, m.6, m.7, m.8, m.9, m.10, m.11],
            )
        })
        .collect();
    assert!(kept.len() > 10, "the demo's months: {}", kept.len());
    assert_eq!(kept, summed);
}

async fn the_kept_figures_equal_a_recount_for_any_period(app: &TestApp) {
    let city = app.signed_in("13700000001").await;
    let today = (std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
        + 8 * 3600)
        / 86_400;
    let iso = |d: i64| unioncard_api::identity::Date::from_days(d).iso();
    // Today alone, a day in the history, ranges that start and end inside
    // months (the bitmaps of their end days) and cover whole months, a
    // year, all time, and this year (read from the spans' kept sizes).
    let january = unioncard_api::identity::Date::new(
        unioncard_api::identity::Date::from_days(today).year,
        1,
        1,
    )
    .unwrap()
    .to_days();
    let periods: Vec<(i64, i64)> = vec![
        (today, today),
        (today - 17, today - 17),
        (today - 45, today - 3),
        (today - 100, today - 40),
        (today - 366, today),
        (today - 1800, today),
        (january, today),
    ];
    let before: Vec<Stats> = {
        let mut v = Vec::new();
        for (a, b) in &periods {
            v.push(stats(&city, &format!("?from={}&to={}", iso(*a), iso(*b))).await);
        }
        v
    };

    // Events of today: a redemption (its code confirmed twice: one counts),
    // an enrolment, a sign-up.
    let li = app.signed_in("13800000002").await;
    let (_, offer) = supermarket_offer(app).await;
    let code = li.redeem(offer).await.into_body().code;
    let cashier = app.signed_in("13900000001").await;
    assert_eq!(cashier.confirm(&code, 8000).await.status, StatusCode::OK);
    assert_eq!(
        cashier.confirm(&code, 8000).await.status,
        StatusCode::CONFLICT
    );
    let women = app
        .client()
        .aid_plans()
        .await
        .into_iter()
        .find(|p| p.kind == PlanKind::WomenSpecial)
        .unwrap()
        .id;
    assert_eq!(li.enrol(women).await.status, StatusCode::CREATED);
    let now_today = stats(&city, &format!("?from={}&to={}", iso(today), iso(today))).await;
    assert_eq!(
        now_today.totals.redemptions,
        before[0].totals.redemptions + 1
    );
    assert_eq!(now_today.totals.enrolments, before[0].totals.enrolments + 1);

    // Every period's figures, and each one's "used" against the slow count.
    let mut kept = Vec::new();
    for (a, b) in &periods {
        let s = stats(&city, &format!("?from={}&to={}", iso(*a), iso(*b))).await;
        let start = (a * 86_400) - 8 * 3600;
        let end = ((b + 1) * 86_400) - 8 * 3600;
        assert_eq!(
            s.totals.used,
            used_between(app, start, end).await,
            "used {} to {}",
            iso(*a),
            iso(*b)
        );
        let months_used: i64 = s.months.iter().map(|m| m.used).sum();
        assert!(
            months_used >= s.totals.used,
            "{months_used} < {}",
            s.totals.used
        );
        kept.push(s);
    }
    assert!(
        kept[4].totals.used > kept[0].totals.used,
        "the demo's history counts"
    );

    // The months' rows are the sums of their days', as written with each
    // event, and as counted again from the records.
    months_sum_their_days(app).await;
    let mut tx = app.state.db.begin().await.unwrap();
    unioncard_server::store::figures::rebuild(&mut tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    months_sum_their_days(app).await;
    for ((a, b), k) in periods.iter().zip(&kept) {
        let s = stats(&city, &format!("?from={}&to={}", iso(*a), iso(*b))).await;
        assert_eq!(&s, k, "recounted {} to {}", iso(*a), iso(*b));
    }
}
both_databases!(the_kept_figures_equal_a_recount_for_any_period);

/// Who used their card, marked straight into the bitmaps on days across
/// two years and out of order (a late write into a month already closed,
/// a day before the first of its month, a day before today), and read for
/// every period between the interesting days: each equals a plain count
/// of the union's uses, from the records and the marks, per period and
/// per month.
async fn the_use_spans_count_any_period_after_late_writes(app: &TestApp) {
    use std::collections::{BTreeMap, BTreeSet};
    use unioncard_server::store::{figures::month_of_day, uses};
    let db = &app.state.db;
    let (union_id, path): (i64, String) = sqlx::query_as(
        "SELECT u.id, u.path FROM unions u JOIN roster_entries r ON r.union_id = u.id
          GROUP BY u.id, u.path ORDER BY COUNT(*) DESC, u.id LIMIT 1",
    )
    .fetch_one(db.read())
    .await
    .unwrap();
    let rosters: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM roster_entries WHERE union_id = $1 ORDER BY id LIMIT 8")
            .bind(union_id)
            .fetch_all(db.read())
            .await
            .unwrap();
    assert_eq!(rosters.len(), 8);
    let t = (unioncard_server::time::now() + 8 * 3600) / 86_400;
    let first_day_of = |day: i64| {
        let d = unioncard_api::identity::Date::from_days(day);
        unioncard_api::identity::Date::new(d.year, d.month, 1)
            .unwrap()
            .to_days()
    };
    // In time order first, then late ones, then one already marked.
    let marks: Vec<(usize, i64)> = vec![
        (0, t - 400),
        (1, t - 399),
        (2, t - 370),
        (0, t - 200),
        (3, t - 190),
        (4, t - 100),
        (5, t - 60),
        (6, t - 45),
        (7, t - 3),
        (4, t),
        (5, t - 380),
        (6, t - 401),
        (1, t - 195),
        (7, t - 44),
        (2, t - 2),
        (3, t - 1),
        (2, t - 300),
        (0, t - 400),
    ];
    for (who, day) in &marks {
        let mut tx = db.begin().await.unwrap();
        uses::mark(
            &mut tx,
            rosters[*who],
            union_id,
            day * 86_400 - 8 * 3600 + 3600,
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
    }

    // Every month but the union's last has its "to the end" spans made,
    // the one begun late (300 days ago) too, as a recount would make them.
    let unmade: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM use_days WHERE union_id = $1 AND to_end IS NULL
            AND day < $2",
    )
    .bind(union_id)
    .bind(first_day_of(t))
    .fetch_one(db.read())
    .await
    .unwrap();
    assert_eq!(unmade, 0, "day rows of past months without their spans");

    // The plain count: every use of the union's members, day by day.
    let mut all: BTreeSet<(i64, i64)> = sqlx::query_as::<_, (i64, i64)>(
        "SELECT e.roster_id, (e.at + 28800) / 86400 FROM (
           SELECT c.roster_id, x.confirmed_at AS at FROM redemptions x JOIN cards c ON c.id = x.card_id
            WHERE x.status = 'confirmed'
           UNION ALL SELECT roster_id, created_at FROM aid_enrolments
           UNION ALL SELECT roster_id, submitted_at FROM aid_claims WHERE submitted_at IS NOT NULL
           UNION ALL SELECT roster_id, submitted_at FROM loan_applications WHERE submitted_at IS NOT NULL
           UNION ALL SELECT us.roster_id, s.created_at FROM signups s JOIN users us ON us.id = s.user_id
            WHERE us.roster_id IS NOT NULL) e
          JOIN roster_entries r ON r.id = e.roster_id WHERE r.union_id = $1",
    )
    .bind(union_id)
    .fetch_all(db.read())
    .await
    .unwrap()
    .into_iter()
    .collect();
    all.extend(marks.iter().map(|(who, day)| (rosters[*who], *day)));

    let this_year =
        unioncard_api::identity::Date::new(unioncard_api::identity::Date::from_days(t).year, 1, 1)
            .unwrap()
            .to_days();
    let mut edges: Vec<i64> = vec![
        t - 420,
        t - 401,
        t - 400,
        t - 399,
        t - 380,
        t - 370,
        first_day_of(t - 200),
        first_day_of(t - 200) - 1,
        t - 200,
        t - 195,
        t - 100,
        t - 60,
        t - 45,
        t - 44,
        t - 3,
        t - 2,
        t,
        first_day_of(t),
        this_year,
        this_year - 1,
    ];
    edges.sort_unstable();
    edges.dedup();
    let mut checked = 0;
    for (i, a) in edges.iter().enumerate() {
        for b in &edges[i..] {
            let mut tx = db.begin().await.unwrap();
            let got = uses::used(&mut tx, &path, *a, *b).await.unwrap();
            tx.commit().await.unwrap();
            let inside: Vec<&(i64, i64)> = all.iter().filter(|(_, d)| a <= d && d <= b).collect();
            let members: BTreeSet<i64> = inside.iter().map(|(r, _)| *r).collect();
            let mut by_month: BTreeMap<i64, BTreeSet<i64>> = BTreeMap::new();
            for (r, d) in &inside {
                by_month.entry(month_of_day(*d)).or_default().insert(*r);
            }
            let want_months: BTreeMap<i64, i64> = by_month
                .into_iter()
                .map(|(m, rs)| (m, rs.len() as i64))
                .collect();
            let got_months: BTreeMap<i64, i64> = got
                .by_month
                .iter()
                .copied()
                .filter(|(_, n)| *n > 0)
                .collect();
            let got_union = got
                .by_union
                .iter()
                .find(|(u, _)| *u == union_id)
                .map_or(0, |x| x.1);
            assert_eq!(got_union, members.len() as i64, "used from day {a} to {b}");
            assert_eq!(got_months, want_months, "by month from day {a} to {b}");
            checked += 1;
        }
    }
    assert!(checked > 150, "{checked} periods");
}
both_databases!(the_use_spans_count_any_period_after_late_writes);
