//! Officers managing partner merchants and offers: validation, what members
//! see follow at once, scope, audit.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::both_databases;
use crate::support::TestApp;

fn shop(union_id: Option<i64>) -> Value {
    json!({
        "name": "江城测试便利店", "category": "shopping", "district": "武昌区",
        "address": "武汉市武昌区中南路 1 号", "lat": 30.54, "lng": 114.33, "hours": "08:00-22:00",
        "phone": "027-8888 0000", "contract_from": "2026-01-01", "contract_to": "2030-12-31",
        "typical_bill_fen": 5000, "union_id": union_id,
    })
}

fn ten_off() -> Value {
    json!({"title": "满 50 减 10", "kind": "amount", "amount_fen": 1000, "min_spend_fen": 5000,
           "valid_from": "2026-01-01", "valid_to": "2030-12-31"})
}

async fn union_id(app: &TestApp, name: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM unions WHERE name = $1")
        .bind(name)
        .fetch_one(app.state.db.read())
        .await
        .unwrap()
}

async fn officers_manage_merchants_and_members_see_it_at_once(app: &TestApp) {
    let wuchang = app.signed_in("13700000002").await;
    let wc = union_id(app, "武汉市武昌区总工会").await;
    // Every bad field at once, nothing created.
    let mut bad = shop(None);
    bad["name"] = json!("");
    bad["lat"] = json!(0);
    bad["contract_to"] = json!("2025-01-01");
    let refused = wuchang.post("/api/staff/merchants", bad).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    for f in ["name", "lat", "contract_to"] {
        assert!(
            refused.body["error"]["fields"][f].is_string(),
            "{f}: {}",
            refused.body
        );
    }
    // Outside the officer's unions: 404.
    let jiangan = union_id(app, "武汉市江岸区总工会").await;
    assert_eq!(
        wuchang
            .post("/api/staff/merchants", shop(Some(jiangan)))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let created = wuchang.post("/api/staff/merchants", shop(Some(wc))).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let id = created.body["id"].as_i64().unwrap();
    let with_offer = wuchang
        .post(&format!("/api/staff/merchants/{id}/offers"), ten_off())
        .await;
    assert_eq!(
        with_offer.status,
        StatusCode::CREATED,
        "{}",
        with_offer.body
    );
    let offer = with_offer.body["offers"][0]["id"].as_i64().unwrap();
    let mut no_figure = ten_off();
    no_figure["amount_fen"] = Value::Null;
    let bad_offer = wuchang
        .post(&format!("/api/staff/merchants/{id}/offers"), no_figure)
        .await;
    assert!(bad_offer.body["error"]["fields"]["amount_fen"].is_string());

    // A member finds it by the offer's words and redeems.
    let anon = app.client();
    let found = anon
        .get("/api/merchants?q=%E6%BB%A1%2050%20%E5%87%8F%2010")
        .await;
    assert!(
        found.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["id"] == id),
        "{}",
        found.body
    );
    let li = app.signed_in("13800000002").await;
    let code = li
        .post(&format!("/api/offers/{offer}/redemptions"), json!({}))
        .await;
    assert_eq!(code.status, StatusCode::CREATED, "{}", code.body);

    // Pausing the offer hides it; pausing the merchant hides the merchant.
    let paused = wuchang
        .post(
            &format!("/api/staff/offers/{offer}/status"),
            json!({"status": "paused"}),
        )
        .await;
    assert_eq!(
        paused.body["offers"][0]["status"], "paused",
        "{}",
        paused.body
    );
    let page = anon.get(&format!("/api/merchants/{id}")).await;
    assert_eq!(page.body["offers"].as_array().unwrap().len(), 0);
    let again = li
        .post(&format!("/api/offers/{offer}/redemptions"), json!({}))
        .await;
    assert_ne!(again.status, StatusCode::CREATED, "{}", again.body);
    wuchang
        .post(
            &format!("/api/staff/merchants/{id}/status"),
            json!({"status": "paused"}),
        )
        .await;
    assert_eq!(
        anon.get(&format!("/api/merchants/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
    // Editing, then ending the contract (today); an ended contract stays ended.
    let mut renamed = shop(Some(wc));
    renamed["name"] = json!("江城测试便利店（中南路店）");
    let edited = wuchang
        .send(
            Method::PUT,
            &format!("/api/staff/merchants/{id}"),
            Some(renamed),
        )
        .await;
    assert_eq!(
        edited.body["name"], "江城测试便利店（中南路店）",
        "{}",
        edited.body
    );
    let ended = wuchang
        .post(
            &format!("/api/staff/merchants/{id}/status"),
            json!({"status": "ended"}),
        )
        .await;
    assert_eq!(ended.body["status"], "ended");
    let today = unioncard_api::identity::Date::from_days(
        (std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64
            + 8 * 3600)
            / 86_400,
    );
    assert_eq!(ended.body["contract_to"], today.iso());
    let revived = wuchang
        .post(
            &format!("/api/staff/merchants/{id}/status"),
            json!({"status": "active"}),
        )
        .await;
    assert_eq!(revived.status, StatusCode::CONFLICT);

    // Another district's officer sees none of it; the city officer does.
    let city = app.signed_in("13700000001").await;
    let listed = city
        .get("/api/staff/merchants?q=%E6%B1%9F%E5%9F%8E%E6%B5%8B%E8%AF%95")
        .await;
    assert!(listed.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|m| m["id"] == id));
    let mine = wuchang.get("/api/staff/merchants").await;
    assert!(mine.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|m| m["union_id"] == wc));
    // A merchant of 江岸区 is not the 武昌区 officer's to touch.
    let ja_merchant: i64 = sqlx::query_scalar("SELECT MIN(id) FROM merchants WHERE union_id = $1")
        .bind(jiangan)
        .fetch_one(app.state.db.read())
        .await
        .unwrap();
    for (method, path, body) in [
        (
            Method::PUT,
            format!("/api/staff/merchants/{ja_merchant}"),
            Some(shop(None)),
        ),
        (
            Method::POST,
            format!("/api/staff/merchants/{ja_merchant}/status"),
            Some(json!({"status": "paused"})),
        ),
        (
            Method::POST,
            format!("/api/staff/merchants/{ja_merchant}/offers"),
            Some(ten_off()),
        ),
    ] {
        assert_eq!(
            wuchang.send(method, &path, body).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    let status: String = sqlx::query_scalar("SELECT status FROM merchants WHERE id = $1")
        .bind(ja_merchant)
        .fetch_one(app.state.db.read())
        .await
        .unwrap();
    assert_eq!(status, "active");
    // One merchant, however old: the 江岸区 one is not the 武昌区 officer's to see.
    assert_eq!(
        wuchang
            .get(&format!("/api/staff/merchants/{id}"))
            .await
            .body["name"],
        "江城测试便利店（中南路店）"
    );
    assert_eq!(
        wuchang
            .get(&format!("/api/staff/merchants/{ja_merchant}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        city.get(&format!("/api/staff/merchants/{ja_merchant}"))
            .await
            .status,
        StatusCode::OK
    );
    // Members may not manage anything.
    assert_eq!(
        li.post("/api/staff/merchants", shop(None)).await.status,
        StatusCode::FORBIDDEN
    );

    // Every change is in the audit log with before and after.
    let log = city
        .get(&format!("/api/staff/audit?target=merchant:{id}"))
        .await;
    let actions: Vec<&str> = log.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        vec![
            "merchant.status",
            "merchant.update",
            "merchant.status",
            "merchant.create"
        ]
    );
    let offer_log = city
        .get(&format!("/api/staff/audit?target=offer:{offer}"))
        .await;
    assert_eq!(offer_log.body["items"][0]["before"]["status"], "active");
    assert_eq!(offer_log.body["items"][0]["after"]["status"], "paused");
}
both_databases!(officers_manage_merchants_and_members_see_it_at_once);

async fn administrators_manage_unions_and_officers_and_officers_may_not(app: &TestApp) {
    let admin = app.signed_in("13600000001").await;
    let tree = admin.get("/api/admin/unions").await;
    assert_eq!(tree.status, StatusCode::OK, "{}", tree.body);
    assert_eq!(tree.body["items"][0]["level"], "province");
    let city = tree.body["items"][1]["id"].as_i64().unwrap();
    let districts = admin.get(&format!("/api/admin/unions?parent={city}")).await;
    let wc = districts.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["name"] == "武汉市武昌区总工会")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    // A new workplace union below 武昌区; the level follows the parent's.
    let created = admin
        .post(
            "/api/admin/unions",
            json!({"parent_id": wc, "code": "WC-TEST-1", "name": "武昌测试科技有限公司工会"}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    assert_eq!(created.body["level"], "workplace");
    let workplace = created.body["id"].as_i64().unwrap();
    let again = admin
        .post(
            "/api/admin/unions",
            json!({"parent_id": wc, "code": "WC-TEST-1", "name": "重复"}),
        )
        .await;
    assert_eq!(
        (again.status, again.code()),
        (StatusCode::CONFLICT, "code_taken")
    );
    let below = admin
        .post(
            "/api/admin/unions",
            json!({"parent_id": workplace, "code": "WC-TEST-2", "name": "更下一级"}),
        )
        .await;
    assert_eq!(below.status, StatusCode::UNPROCESSABLE_ENTITY);
    let renamed = admin
        .send(
            Method::PUT,
            &format!("/api/admin/unions/{workplace}"),
            Some(json!({"name": "武昌测试科技股份有限公司工会"})),
        )
        .await;
    assert_eq!(renamed.body["name"], "武昌测试科技股份有限公司工会");
    // The new union is at once inside the district officer's scope.
    let wuchang = app.signed_in("13700000002").await;
    let stats = wuchang
        .get(&format!("/api/staff/stats?union={workplace}"))
        .await;
    assert_eq!(stats.status, StatusCode::OK, "{}", stats.body);

    // An officer for it, who can sign in and sees only that union.
    let bad = admin
        .post(
            "/api/admin/officers",
            json!({"name": "", "phone": "123", "password": "short", "union_id": workplace}),
        )
        .await;
    for f in ["name", "phone", "password"] {
        assert!(bad.body["error"]["fields"][f].is_string(), "{f}");
    }
    let officer = admin
        .post(
            "/api/admin/officers",
            json!({"name": "陈测试", "phone": "13700000055", "password": "Officer2026", "union_id": workplace}),
        )
        .await;
    assert_eq!(officer.status, StatusCode::CREATED, "{}", officer.body);
    assert_eq!(officer.body["phone_masked"], "137****0055");
    let dup = admin
        .post(
            "/api/admin/officers",
            json!({"name": "陈测试", "phone": "13700000055", "password": "Officer2026", "union_id": workplace}),
        )
        .await;
    assert_eq!(dup.status, StatusCode::CONFLICT);
    let chen = app.client();
    let login = chen
        .post(
            "/api/auth/login",
            json!({"phone": "13700000055", "password": "Officer2026"}),
        )
        .await;
    assert_eq!(login.status, StatusCode::OK, "{}", login.body);
    let own = chen.get("/api/staff/stats").await;
    assert_eq!(own.body["union_id"], workplace);
    assert_eq!(
        chen.get(&format!("/api/staff/stats?union={wc}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let listed = admin.get("/api/admin/officers").await;
    let chen_id = listed.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["name"] == "陈测试")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    // Disabled (he left): his session ends at once and he cannot sign in.
    let off = admin
        .post(
            &format!("/api/admin/officers/{chen_id}/access"),
            json!({"enabled": false}),
        )
        .await;
    assert_eq!(off.status, StatusCode::NO_CONTENT, "{}", off.body);
    assert_eq!(
        chen.get("/api/staff/stats").await.status,
        StatusCode::UNAUTHORIZED
    );
    let again = app
        .client()
        .post(
            "/api/auth/login",
            json!({"phone": "13700000055", "password": "Officer2026"}),
        )
        .await;
    assert_eq!(again.status, StatusCode::UNAUTHORIZED);
    let admin_id: i64 = sqlx::query_scalar("SELECT id FROM users WHERE role = 'admin'")
        .fetch_one(app.state.db.read())
        .await
        .unwrap();
    assert_eq!(
        admin
            .post(
                &format!("/api/admin/officers/{admin_id}/access"),
                json!({"enabled": false})
            )
            .await
            .status,
        StatusCode::CONFLICT
    );
    admin
        .post(
            &format!("/api/admin/officers/{chen_id}/access"),
            json!({"enabled": true}),
        )
        .await;
    let back = app
        .client()
        .post(
            "/api/auth/login",
            json!({"phone": "13700000055", "password": "Officer2026"}),
        )
        .await;
    assert_eq!(back.status, StatusCode::OK);

    // Officers and members may not administer.
    for who in ["13700000001", "13800000002"] {
        let c = app.signed_in(who).await;
        assert_eq!(
            c.get("/api/admin/unions").await.status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            c.post(
                "/api/admin/unions",
                json!({"parent_id": wc, "code": "X-1", "name": "越权"})
            )
            .await
            .status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            c.post(
                "/api/admin/officers",
                json!({"name": "越权", "phone": "13700000066", "password": "Officer2026", "union_id": wc})
            )
            .await
            .status,
            StatusCode::FORBIDDEN
        );
    }
    let log = admin.get("/api/staff/audit?action=union.").await;
    let actions: Vec<&str> = log.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, vec!["union.rename", "union.create"]);
    assert_eq!(
        admin
            .get("/api/staff/audit?action=officer.create")
            .await
            .body["items"][0]["after"]["phone"],
        "137****0055"
    );
}
both_databases!(administrators_manage_unions_and_officers_and_officers_may_not);

async fn officers_open_and_close_aid_plans_that_members_use_at_once(app: &TestApp) {
    let city = app.signed_in("13700000001").await;
    let plan = json!({
        "name": "职工门诊大病互助", "kind": "major_disease", "summary": "确诊给付",
        "contribution_fen": 5000, "payer": "member", "term_months": 12,
        "starts_on": "2026-01-01", "window_from": "2025-12-01", "window_to": "2030-12-31",
        "waiting_days": 30, "claim_deadline_days": 90,
        "eligibility": {"gender": null, "min_age": null, "max_age": 60, "active_card": true},
        "rule": {"kind": "fixed_by_group", "groups": [
            {"code": "g1", "name_zh": "尿毒症", "name_en": "Uraemia", "amount_fen": 500000}]},
        "yearly_cap_fen": 500000,
    });
    // Every bad field is named: an unsound rule, dates out of order.
    let mut bad = plan.clone();
    bad["rule"] = json!({"kind": "fixed_by_group", "groups": []});
    bad["window_to"] = json!("2025-01-01");
    bad["name"] = json!("");
    let refused = city.post("/api/staff/aid/plans", bad).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    for f in ["name", "window_to", "rule"] {
        assert!(
            refused.body["error"]["fields"][f].is_string(),
            "{f}: {}",
            refused.body
        );
    }
    let created = city.post("/api/staff/aid/plans", plan).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    assert_eq!(created.body["ends_on"], "2026-12-31");
    let id = created.body["id"].as_i64().unwrap();
    // Members see it and can estimate with it.
    let listed = app.client().get("/api/aid/plans").await;
    assert!(listed.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["id"] == id));
    let e = app
        .client()
        .post(
            "/api/aid/estimate",
            json!({"plan_id": id, "disease_group": "g1"}),
        )
        .await;
    assert_eq!(e.body["payout_fen"], 500000, "{}", e.body);
    // 李娜 joins before it closes; her cover outlives the closing.
    let li = app.signed_in("13800000002").await;
    let joined = li.post("/api/aid/enrolments", json!({"plan_id": id})).await;
    assert_eq!(joined.status, StatusCode::CREATED, "{}", joined.body);
    let cover = joined.body["id"].clone();
    let first_day = joined.body["cover_from"].clone();
    // A district officer may not close the city's plan; the city officer may.
    let wuchang = app.signed_in("13700000002").await;
    assert_eq!(
        wuchang
            .post(
                &format!("/api/staff/aid/plans/{id}/status"),
                json!({"status": "closed"})
            )
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let closed = city
        .post(
            &format!("/api/staff/aid/plans/{id}/status"),
            json!({"status": "closed"}),
        )
        .await;
    assert_eq!(closed.body["status"], "closed", "{}", closed.body);
    let after = app.client().get("/api/aid/plans").await;
    assert!(!after.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["id"] == id));
    assert_eq!(
        li.post("/api/aid/enrolments", json!({"plan_id": id}))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // Her existing cover still takes claims (this one is judged on its dates:
    // the 30-day waiting period has not passed).
    let claim = li
        .post(
            "/api/aid/claims",
            json!({"enrolment_id": cover, "admitted_on": first_day, "discharged_on": first_day,
                   "hospital_name": "武汉市中心医院", "disease_group": "g1"}),
        )
        .await;
    assert_eq!(claim.code(), "waiting_period", "{}", claim.body);
    let managed = city.get("/api/staff/aid/plans").await;
    assert!(managed.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["id"] == id && p["status"] == "closed"));
    let log = city
        .get(&format!("/api/staff/audit?target=aid_plan:{id}"))
        .await;
    let actions: Vec<&str> = log.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, vec!["aid_plan.status", "aid_plan.create"]);
}
both_databases!(officers_open_and_close_aid_plans_that_members_use_at_once);
