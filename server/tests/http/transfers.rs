//! 转会: a member asks the new workplace's union to take them (one request
//! waiting at a time, a clear error for the union they are in or one that
//! is not a workplace's); both unions' officers see it, only the new one's
//! decide; accepted, the member belongs to the new union that day, keeps
//! the card, and the old union's officers no longer reach the card; a
//! decline needs its reason; the member is told, and may withdraw while it
//! waits.

use reqwest::StatusCode;
use unioncard_api::join::{Decision, Page, WorkplaceUnion};
use unioncard_api::transfers::{TransferInput, TransferStatus, TransferView};

use crate::both_databases;
use crate::support::TestApp;

const LI_NA: &str = "13800000002";
const LI_ID: &str = "420106199207082342";

fn to(union_id: i64) -> TransferInput {
    TransferInput {
        union_id,
        reason: "换工作到新单位".into(),
        workplace: "武汉新单位有限公司".into(),
    }
}

fn decision(d: &str, note: &str) -> Decision {
    Decision {
        decision: d.into(),
        amount_fen: None,
        note: note.into(),
    }
}

/// Two workplace unions of 江岸区 (outside 李娜's 武昌区).
async fn jiangan_workplaces(app: &TestApp) -> Vec<WorkplaceUnion> {
    let all: Page<WorkplaceUnion> = app
        .client()
        .get_as("/api/unions?limit=100")
        .await
        .expect(StatusCode::OK);
    all.items
        .into_iter()
        .filter(|u| u.district == "江岸区")
        .collect()
}

async fn figures(c: &crate::support::Client) -> unioncard_api::stats::Stats {
    c.get_as("/api/staff/stats").await.expect(StatusCode::OK)
}

async fn a_member_moves_to_another_workplace_union(app: &TestApp) {
    let li = app.signed_in(LI_NA).await;
    let wuchang = app.signed_in("13700000002").await;
    let city = app.signed_in("13700000001").await;
    let me = li.me().await.into_body();
    let own = me.union.clone().expect("her union");
    let card_before = me.card.clone().expect("her card");
    let targets = jiangan_workplaces(app).await;
    let (new, other) = (&targets[0], &targets[1]);

    // The union she is in, and one that is not a workplace's: clear errors.
    let mine: Page<WorkplaceUnion> = li.get_as("/api/unions?limit=100").await.into_body();
    let her_union = mine
        .items
        .iter()
        .find(|u| u.name == own.name)
        .expect("her workplace union is listed");
    let r = li.post("/api/me/transfers", to(her_union.id)).await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "same_union")
    );
    assert!(r.field("union_id").is_some());
    let r = li.post("/api/me/transfers", to(1)).await;
    assert_eq!(r.code(), "unknown_union");
    let r = li
        .post(
            "/api/me/transfers",
            TransferInput {
                reason: "字".repeat(201),
                ..to(new.id)
            },
        )
        .await;
    assert_eq!(r.code(), "reason_too_long");
    assert!(li
        .get_as::<Page<TransferView>>("/api/me/transfers")
        .await
        .into_body()
        .items
        .is_empty());

    // One waiting at a time; she may take it back.
    let first: TransferView = li
        .post_as("/api/me/transfers", &to(other.id))
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(first.status, TransferStatus::Pending);
    let r = li.post("/api/me/transfers", to(new.id)).await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::CONFLICT, "transfer_pending")
    );
    let back = format!("/api/me/transfers/{}/withdraw", first.id);
    let withdrawn: TransferView = li
        .post_as(&back, &serde_json::json!({}))
        .await
        .expect(StatusCode::OK);
    assert_eq!(withdrawn.status, TransferStatus::Withdrawn);
    assert_eq!(
        li.post(&back, serde_json::json!({})).await.status,
        StatusCode::CONFLICT
    );

    let asked: TransferView = li
        .post_as("/api/me/transfers", &to(new.id))
        .await
        .expect(StatusCode::CREATED);
    // Her union's officers see it and cannot decide it.
    let seen: Page<TransferView> = wuchang.get_as("/api/staff/transfers").await.into_body();
    let out = seen.items.iter().find(|t| t.id == asked.id).expect("seen");
    assert_eq!(out.member_name.as_deref(), Some("李娜"));
    assert!(!out.you_may_decide);
    let path = format!("/api/staff/transfers/{}/decision", asked.id);
    let r = wuchang.post(&path, decision("approve", "")).await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::FORBIDDEN, "not_the_new_union")
    );
    // The new union's side: a decline needs its reason.
    let r = city.post(&path, decision("reject", " ")).await;
    assert_eq!(r.code(), "note_required");
    let r = city
        .post(&path, decision("reject", &"字".repeat(501)))
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "note_too_long")
    );
    let before = figures(&city).await;
    let done: TransferView = city
        .post_as(&path, &decision("approve", ""))
        .await
        .expect(StatusCode::OK);
    assert_eq!(done.status, TransferStatus::Accepted);
    // The figures count one in (to 江岸) and one out (of 武昌).
    let after = figures(&city).await;
    let row = |s: &unioncard_api::stats::Stats, name: &str| {
        let c = &s.unions.iter().find(|u| u.name == name).unwrap().counts;
        (c.transfers_in, c.transfers_out)
    };
    let (ji, jo) = row(&after, "武汉市江岸区总工会");
    let (bi, bo) = row(&before, "武汉市江岸区总工会");
    assert_eq!((ji - bi, jo - bo), (1, 0));
    let (wi, wo) = row(&after, "武汉市武昌区总工会");
    let (bwi, bwo) = row(&before, "武汉市武昌区总工会");
    assert_eq!((wi - bwi, wo - bwo), (0, 1));
    // Within the city: neither in nor out for the city itself.
    assert_eq!(
        (after.totals.transfers_in, after.totals.transfers_out),
        (before.totals.transfers_in, before.totals.transfers_out)
    );
    // Her active card now counts for 江岸, not 武昌; the city holds as many.
    let cards = |s: &unioncard_api::stats::Stats, name: &str| {
        let c = &s.unions.iter().find(|u| u.name == name).unwrap().counts;
        (c.issued, c.activated)
    };
    let (ai, aa) = cards(&after, "武汉市江岸区总工会");
    let (bi, ba) = cards(&before, "武汉市江岸区总工会");
    assert_eq!((ai - bi, aa - ba), (1, 1));
    let (ai, aa) = cards(&after, "武汉市武昌区总工会");
    let (bi, ba) = cards(&before, "武汉市武昌区总工会");
    assert_eq!((ai - bi, aa - ba), (-1, -1));
    assert_eq!(
        (after.totals.issued, after.totals.activated),
        (before.totals.issued, before.totals.activated)
    );
    assert_eq!(done.decided_by.as_deref(), Some("周建国"));
    assert_eq!(
        city.post(&path, decision("approve", "")).await.status,
        StatusCode::CONFLICT
    );

    // She belongs to the new union, with the same card; she is told.
    let me = li.me().await.into_body();
    assert_eq!(me.union.map(|u| u.name), Some(new.name.clone()));
    assert_eq!(me.card, Some(card_before));
    let inbox: unioncard_api::inbox::Inbox = li.get_as("/api/me/messages").await.into_body();
    assert_eq!(inbox.items[0].title, "转会已完成");
    // Her old district no longer reaches her card; the city still does.
    assert_eq!(
        wuchang.staff_card("lookup", LI_ID).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        city.staff_card("lookup", LI_ID).await.status,
        StatusCode::OK
    );
    let log: serde_json::Value = city
        .get_as("/api/staff/audit?action=transfer.")
        .await
        .into_body();
    let text = log.to_string();
    assert!(text.contains("transfer.accept") && text.contains("transfer.withdraw"));
}
both_databases!(a_member_moves_to_another_workplace_union);

async fn a_declined_transfer_keeps_the_member_where_they_were(app: &TestApp) {
    let li = app.signed_in(LI_NA).await;
    let city = app.signed_in("13700000001").await;
    let before = li.me().await.into_body().union;
    let new = &jiangan_workplaces(app).await[0];
    let asked: TransferView = li
        .post_as("/api/me/transfers", &to(new.id))
        .await
        .expect(StatusCode::CREATED);
    let done: TransferView = city
        .post_as(
            &format!("/api/staff/transfers/{}/decision", asked.id),
            &decision("reject", "本单位暂无此员工的劳动合同"),
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(done.status, TransferStatus::Declined);
    assert_eq!(li.me().await.into_body().union, before);
    let mine: Page<TransferView> = li.get_as("/api/me/transfers").await.into_body();
    assert_eq!(
        mine.items[0].note.as_deref(),
        Some("本单位暂无此员工的劳动合同")
    );
    assert!(
        mine.items[0].member_name.is_none(),
        "her own view names no one"
    );
    let inbox: unioncard_api::inbox::Inbox = li.get_as("/api/me/messages").await.into_body();
    assert!(inbox.items[0].body.contains("本单位暂无此员工的劳动合同"));
    // A cashier or a guest has no transfers.
    assert_eq!(
        app.client().get("/api/me/transfers").await.status,
        StatusCode::UNAUTHORIZED
    );
}
both_databases!(a_declined_transfer_keeps_the_member_where_they_were);
