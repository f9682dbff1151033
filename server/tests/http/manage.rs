//! Officers managing partner merchants and offers: validation, what members
//! see follow at once, scope, audit.

use reqwest::StatusCode;
use unioncard_api::aid::{Bill, ClaimInput, EstimateRequest, PayoutRule, PlanInput, PlanView};
use unioncard_api::audit::AuditEntry;
use unioncard_api::auth::{AccountAccess, OfficerInput, OfficerView, UnionInput, UnionView};
use unioncard_api::join::Page;
use unioncard_api::offers::{
    MerchantInput, MerchantStatus, MerchantView, OfferInput, OfferStatus, StaffMerchant, EVERY_DAY,
};
use unioncard_api::stats::Stats;

use crate::both_databases;
use crate::fixtures::{bill, corner_shop as shop, district, major_disease_plan, today};
use crate::support::{Client, Rename, TestApp};

fn ten_off() -> OfferInput {
    OfferInput {
        title: "满 50 减 10".into(),
        kind: "amount".into(),
        amount_fen: Some(1000),
        min_spend_fen: 5000,
        valid_from: "2026-01-01".into(),
        valid_to: "2030-12-31".into(),
        weekdays: EVERY_DAY,
        ..OfferInput::default()
    }
}

/// The audit log's actions on one target (or of one kind), newest first.
async fn audit(officer: &Client, filter: &str) -> Vec<AuditEntry> {
    officer
        .get_as::<Page<AuditEntry>>(&format!("/api/staff/audit?{filter}"))
        .await
        .expect(StatusCode::OK)
        .items
}

fn actions(log: &[AuditEntry]) -> Vec<&str> {
    log.iter().map(|e| e.action.as_str()).collect()
}

async fn officers_manage_merchants_and_members_see_it_at_once(app: &TestApp) {
    let wuchang = app.signed_in("13700000002").await;
    let wc = district(app, "武汉市武昌区总工会").await;
    // Every bad field at once, nothing created.
    let bad = MerchantInput {
        name: "".into(),
        lat: 0.0,
        contract_to: "2025-01-01".into(),
        ..shop(None)
    };
    let refused = wuchang.create_merchant(&bad).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    for f in ["name", "lat", "contract_to"] {
        assert!(refused.field(f).is_some(), "{f}: {}", refused.answer.body);
    }
    // Outside the officer's unions: 404.
    let jiangan = district(app, "武汉市江岸区总工会").await;
    assert_eq!(
        wuchang.create_merchant(&shop(Some(jiangan))).await.status,
        StatusCode::NOT_FOUND
    );
    let created = wuchang
        .create_merchant(&shop(Some(wc)))
        .await
        .expect(StatusCode::CREATED);
    let id = created.id;
    let with_offer = wuchang.add_offer(id, &ten_off()).await;
    assert_eq!(
        with_offer.status,
        StatusCode::CREATED,
        "{}",
        with_offer.answer.body
    );
    let offer = with_offer.body().offers[0].id;
    let no_figure = OfferInput {
        amount_fen: None,
        ..ten_off()
    };
    let bad_offer = wuchang.add_offer(id, &no_figure).await;
    assert!(bad_offer.field("amount_fen").is_some());

    // A member finds it by the offer's words and redeems.
    let anon = app.client();
    let found = anon
        .merchants("q=%E6%BB%A1%2050%20%E5%87%8F%2010")
        .await
        .into_body();
    assert!(found.items.iter().any(|m| m.id == id), "{found:?}");
    let li = app.signed_in("13800000002").await;
    let code = li.redeem(offer).await;
    assert_eq!(code.status, StatusCode::CREATED, "{}", code.answer.body);

    // Pausing the offer hides it; pausing the merchant hides the merchant.
    let paused = wuchang
        .set_status::<StaffMerchant>("offers", offer, "paused")
        .await;
    assert_eq!(
        paused.body().offers[0].status,
        OfferStatus::Paused,
        "{}",
        paused.answer.body
    );
    let page = anon
        .get_as::<MerchantView>(&format!("/api/merchants/{id}"))
        .await;
    assert_eq!(page.body().offers.len(), 0);
    let again = li.redeem(offer).await;
    assert_ne!(again.status, StatusCode::CREATED, "{}", again.answer.body);
    wuchang
        .set_status::<StaffMerchant>("merchants", id, "paused")
        .await;
    assert_eq!(
        anon.get(&format!("/api/merchants/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
    // Editing, then ending the contract (today); an ended contract stays ended.
    let renamed = MerchantInput {
        name: "江城测试便利店（中南路店）".into(),
        ..shop(Some(wc))
    };
    let edited = wuchang
        .put_as::<_, StaffMerchant>(&format!("/api/staff/merchants/{id}"), &renamed)
        .await;
    assert_eq!(
        edited.body().input.name,
        "江城测试便利店（中南路店）",
        "{}",
        edited.answer.body
    );
    let ended = wuchang
        .set_status::<StaffMerchant>("merchants", id, "ended")
        .await
        .into_body();
    assert_eq!(ended.status, MerchantStatus::Ended);
    assert_eq!(ended.input.contract_to, today().iso());
    let revived = wuchang
        .set_status::<StaffMerchant>("merchants", id, "active")
        .await;
    assert_eq!(revived.status, StatusCode::CONFLICT);

    // Another district's officer sees none of it; the city officer does.
    let city = app.signed_in("13700000001").await;
    let listed = city
        .get_as::<Page<StaffMerchant>>(
            "/api/staff/merchants?q=%E6%B1%9F%E5%9F%8E%E6%B5%8B%E8%AF%95",
        )
        .await
        .into_body();
    assert!(listed.items.iter().any(|m| m.id == id));
    let mine = wuchang
        .get_as::<Page<StaffMerchant>>("/api/staff/merchants")
        .await
        .into_body();
    assert!(mine.items.iter().all(|m| m.input.union_id == Some(wc)));
    // A merchant of 江岸区 is not the 武昌区 officer's to touch.
    let ja_merchant: i64 = sqlx::query_scalar("SELECT MIN(id) FROM merchants WHERE union_id = $1")
        .bind(jiangan)
        .fetch_one(app.state.db.read())
        .await
        .unwrap();
    assert_eq!(
        wuchang
            .put(&format!("/api/staff/merchants/{ja_merchant}"), shop(None))
            .await
            .status,
        StatusCode::NOT_FOUND,
        "PUT /api/staff/merchants/{ja_merchant}"
    );
    assert_eq!(
        wuchang
            .set_status::<StaffMerchant>("merchants", ja_merchant, "paused")
            .await
            .status,
        StatusCode::NOT_FOUND,
        "POST /api/staff/merchants/{ja_merchant}/status"
    );
    assert_eq!(
        wuchang.add_offer(ja_merchant, &ten_off()).await.status,
        StatusCode::NOT_FOUND,
        "POST /api/staff/merchants/{ja_merchant}/offers"
    );
    let status = city
        .get_as::<StaffMerchant>(&format!("/api/staff/merchants/{ja_merchant}"))
        .await
        .expect(StatusCode::OK)
        .status;
    assert_eq!(status, MerchantStatus::Active);
    // One merchant, however old: the 江岸区 one is not the 武昌区 officer's to see.
    assert_eq!(
        wuchang
            .get_as::<StaffMerchant>(&format!("/api/staff/merchants/{id}"))
            .await
            .body()
            .input
            .name,
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
        li.create_merchant(&shop(None)).await.status,
        StatusCode::FORBIDDEN
    );

    // Every change is in the audit log with before and after.
    let log = audit(&city, &format!("target=merchant:{id}")).await;
    assert_eq!(
        actions(&log),
        vec![
            "merchant.status",
            "merchant.update",
            "merchant.status",
            "merchant.create"
        ]
    );
    let offer_log = audit(&city, &format!("target=offer:{offer}")).await;
    assert_eq!(
        offer_log[0].before.as_ref().expect("before")["status"],
        "active"
    );
    assert_eq!(
        offer_log[0].after.as_ref().expect("after")["status"],
        "paused"
    );
}
both_databases!(officers_manage_merchants_and_members_see_it_at_once);

fn union(parent_id: i64, code: &str, name: &str) -> UnionInput {
    UnionInput {
        parent_id,
        code: code.into(),
        name: name.into(),
        district: String::new(),
    }
}

fn officer(name: &str, phone: &str, password: &str, union_id: i64) -> OfficerInput {
    OfficerInput {
        name: name.into(),
        phone: phone.into(),
        password: password.into(),
        union_id,
        role: None,
    }
}

async fn administrators_manage_unions_and_officers_and_officers_may_not(app: &TestApp) {
    let admin = app.signed_in("13600000001").await;
    let tree = admin
        .get_as::<Page<UnionView>>("/api/admin/unions")
        .await
        .expect(StatusCode::OK);
    assert_eq!(tree.items[0].level, "province");
    let city = tree.items[1].id;
    let districts = admin
        .get_as::<Page<UnionView>>(&format!("/api/admin/unions?parent={city}"))
        .await
        .into_body();
    let wc = districts
        .items
        .iter()
        .find(|u| u.name == "武汉市武昌区总工会")
        .unwrap()
        .id;
    // A new workplace union below 武昌区; the level follows the parent's.
    let created = admin
        .create_union(&union(wc, "WC-TEST-1", "武昌测试科技有限公司工会"))
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(created.level, "workplace");
    let workplace = created.id;
    let again = admin.create_union(&union(wc, "WC-TEST-1", "重复")).await;
    assert_eq!(
        (again.status, again.code()),
        (StatusCode::CONFLICT, "code_taken")
    );
    let below = admin
        .create_union(&union(workplace, "WC-TEST-2", "更下一级"))
        .await;
    assert_eq!(below.status, StatusCode::UNPROCESSABLE_ENTITY);
    let renamed = admin
        .put_as::<_, UnionView>(
            &format!("/api/admin/unions/{workplace}"),
            &Rename {
                name: "武昌测试科技股份有限公司工会",
            },
        )
        .await;
    assert_eq!(renamed.body().name, "武昌测试科技股份有限公司工会");
    // The new union is at once inside the district officer's scope.
    let wuchang = app.signed_in("13700000002").await;
    let stats = wuchang
        .get_as::<Stats>(&format!("/api/staff/stats?union={workplace}"))
        .await;
    assert_eq!(stats.status, StatusCode::OK, "{}", stats.answer.body);

    // An officer for it, who can sign in and sees only that union.
    let bad = admin
        .create_officer(&officer("", "123", "short", workplace))
        .await;
    for f in ["name", "phone", "password"] {
        assert!(bad.field(f).is_some(), "{f}");
    }
    let chen = officer("陈测试", "13700000055", "Officer2026", workplace);
    let created = admin.create_officer(&chen).await;
    assert_eq!(
        created.status,
        StatusCode::CREATED,
        "{}",
        created.answer.body
    );
    assert_eq!(created.body().phone_masked, "137****0055");
    let dup = admin.create_officer(&chen).await;
    assert_eq!(dup.status, StatusCode::CONFLICT);
    let chen = app.client();
    let login = chen.sign_in("13700000055", "Officer2026").await;
    assert_eq!(login.status, StatusCode::OK, "{}", login.answer.body);
    let own = chen.get_as::<Stats>("/api/staff/stats").await;
    assert_eq!(own.body().union_id, workplace);
    assert_eq!(
        chen.get(&format!("/api/staff/stats?union={wc}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let listed = admin
        .get_as::<Page<OfficerView>>("/api/admin/officers")
        .await
        .into_body();
    let chen_id = listed.items.iter().find(|o| o.name == "陈测试").unwrap().id;
    let access = |id: i64, enabled: bool| {
        let admin = &admin;
        async move {
            admin
                .post(
                    &format!("/api/admin/officers/{id}/access"),
                    AccountAccess { enabled },
                )
                .await
        }
    };
    // Disabled (he left): his session ends at once and he cannot sign in.
    let off = access(chen_id, false).await;
    assert_eq!(off.status, StatusCode::NO_CONTENT, "{}", off.body);
    assert_eq!(
        chen.get("/api/staff/stats").await.status,
        StatusCode::UNAUTHORIZED
    );
    let again = app.client().sign_in("13700000055", "Officer2026").await;
    assert_eq!(again.status, StatusCode::UNAUTHORIZED);
    let admin_id = admin.me().await.into_body().id;
    assert_eq!(access(admin_id, false).await.status, StatusCode::CONFLICT);
    access(chen_id, true).await;
    let back = app.client().sign_in("13700000055", "Officer2026").await;
    assert_eq!(back.status, StatusCode::OK);

    // Officers and members may not administer.
    for who in ["13700000001", "13800000002"] {
        let c = app.signed_in(who).await;
        assert_eq!(
            c.get("/api/admin/unions").await.status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            c.create_union(&union(wc, "X-1", "越权")).await.status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            c.create_officer(&officer("越权", "13700000066", "Officer2026", wc))
                .await
                .status,
            StatusCode::FORBIDDEN
        );
    }
    let log = audit(&admin, "action=union.").await;
    assert_eq!(actions(&log), vec!["union.rename", "union.create"]);
    assert_eq!(
        audit(&admin, "action=officer.create").await[0]
            .after
            .as_ref()
            .expect("after")["phone"],
        "137****0055"
    );
}
both_databases!(administrators_manage_unions_and_officers_and_officers_may_not);

async fn officers_open_and_close_aid_plans_that_members_use_at_once(app: &TestApp) {
    let city = app.signed_in("13700000001").await;
    let plan = major_disease_plan();
    // Every bad field is named: an unsound rule, dates out of order.
    let bad = PlanInput {
        rule: PayoutRule::FixedByGroup { groups: vec![] },
        window_to: "2025-01-01".into(),
        name: "".into(),
        ..plan.clone()
    };
    let refused = city.open_plan(&bad).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    for f in ["name", "window_to", "rule"] {
        assert!(refused.field(f).is_some(), "{f}: {}", refused.answer.body);
    }
    let created = city.open_plan(&plan).await.expect(StatusCode::CREATED);
    let start = crate::fixtures::this_month_start();
    let last_day = unioncard_api::identity::Date::new(start.year + 1, start.month, 1)
        .expect("a month's first")
        .add_days(-1);
    assert_eq!(created.ends_on, last_day.iso());
    let id = created.id;
    // Members see it and can estimate with it.
    let listed = app.client().aid_plans().await;
    assert!(listed.iter().any(|p| p.id == id));
    let e = app
        .client()
        .estimate(&EstimateRequest {
            plan_id: id,
            bill: Bill {
                disease_group: Some("g1".into()),
                ..bill()
            },
        })
        .await;
    assert_eq!(e.body().payout_fen, 500000, "{}", e.answer.body);
    // 李娜 joins before it closes; her cover outlives the closing.
    let li = app.signed_in("13800000002").await;
    let joined = li.enrol(id).await.expect(StatusCode::CREATED);
    let cover = joined.id;
    let first_day = joined.cover_from.clone();
    // A district officer may not close the city's plan; the city officer may.
    let wuchang = app.signed_in("13700000002").await;
    assert_eq!(
        wuchang
            .set_status::<PlanView>("aid/plans", id, "closed")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let closed = city.set_status::<PlanView>("aid/plans", id, "closed").await;
    assert_eq!(closed.body().status, "closed", "{}", closed.answer.body);
    let after = app.client().aid_plans().await;
    assert!(!after.iter().any(|p| p.id == id));
    assert_eq!(li.enrol(id).await.status, StatusCode::NOT_FOUND);
    // Her existing cover still takes claims (this one is judged on its dates:
    // the 30-day waiting period has not passed).
    let claim = li
        .file_claim(&ClaimInput {
            enrolment_id: cover,
            admitted_on: first_day.clone(),
            discharged_on: first_day,
            hospital_name: "武汉市中心医院".into(),
            bill: Bill {
                disease_group: Some("g1".into()),
                ..bill()
            },
            draft: false,
        })
        .await;
    assert_eq!(claim.code(), "waiting_period", "{}", claim.answer.body);
    let managed = city
        .get_as::<Page<PlanView>>("/api/staff/aid/plans")
        .await
        .into_body();
    assert!(managed
        .items
        .iter()
        .any(|p| p.id == id && p.status == "closed"));
    let log = audit(&city, &format!("target=aid_plan:{id}")).await;
    assert_eq!(actions(&log), vec!["aid_plan.status", "aid_plan.create"]);
}
both_databases!(officers_open_and_close_aid_plans_that_members_use_at_once);
