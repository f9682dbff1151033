//! Hardship files: a member sends her household's figures, the rule proposes
//! a category against her district's line, officers over her union decide;
//! one waiting file per member, a year on record, renewal only near its end,
//! an officer files for a member without a phone; who may see and decide.

use reqwest::{Method, StatusCode};
use unioncard_api::aid::DocumentView;
use unioncard_api::hardship::{
    Category, Cause, CloseFile, HardshipCounts, HardshipDecision, HardshipFileView, HardshipInput,
    HardshipStatus, LineInput, LineView,
};
use unioncard_api::join::Page;

use crate::both_databases;
use crate::fixtures::{districts, officer_at, today};
use crate::support::{Client, TestApp};

/// A household of three on ¥2,400 a month, someone ill: ¥800 a head.
fn household() -> HardshipInput {
    HardshipInput {
        member_id: None,
        household_size: 3,
        monthly_income_fen: 240_000,
        causes: vec![Cause::Illness],
        note: "丈夫患病住院，孩子上初中".into(),
    }
}

async fn send(who: &Client, body: &HardshipInput) -> crate::support::Typed<HardshipFileView> {
    who.post_as("/api/hardship/files", body).await
}

async fn unread(c: &Client) -> i64 {
    c.get_as::<unioncard_api::inbox::Unread>("/api/me/messages/unread")
        .await
        .into_body()
        .unread
}

fn decide(decision: &str, category: Option<Category>, note: &str) -> HardshipDecision {
    HardshipDecision {
        decision: decision.into(),
        category,
        note: note.into(),
    }
}

async fn a_member_files_her_household_and_an_officer_puts_it_on_record(app: &TestApp) {
    let li = app.signed_in("13800000002").await;
    let line: LineView = li.get_as("/api/hardship/line").await.expect(StatusCode::OK);
    assert_eq!(line.minimum_fen, 100_000);
    // Bad figures change nothing and say which.
    let bad = send(
        &li,
        &HardshipInput {
            household_size: 0,
            causes: vec![],
            ..household()
        },
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.field("household_size").is_some() && bad.field("causes").is_some());
    let mine: Page<HardshipFileView> = li.get_as("/api/me/hardship/files").await.into_body();
    assert!(mine.items.is_empty());

    let sent = send(&li, &household()).await.expect(StatusCode::CREATED);
    assert_eq!(sent.status, HardshipStatus::Submitted);
    assert_eq!(sent.per_person_fen, 80_000);
    assert_eq!(sent.proposed_category, Some(Category::Deep));
    assert_eq!(
        sent.proposal_reason,
        "家庭人均月收入 ¥800.00 不高于当地低保标准 ¥1,000.00"
    );
    assert!(
        sent.member.is_none(),
        "a member is not shown her own masked name"
    );
    // One waiting file at a time.
    let second = send(&li, &household()).await;
    assert_eq!(
        (second.status, second.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "open_file")
    );
    // Proof as a photo, while it waits.
    // A scanned certificate of a few megabytes, as phones send them.
    let mut pdf = b"%PDF-1.4\n%proof\n".to_vec();
    pdf.resize(3 * 1024 * 1024, b' ');
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(pdf).file_name("诊断证明.pdf"),
    );
    let doc: DocumentView = Client::answer(
        li.raw(
            Method::POST,
            &format!("/api/hardship/files/{}/documents", sent.id),
        )
        .header("X-Requested-With", "unioncard")
        .multipart(form)
        .send()
        .await
        .unwrap(),
    )
    .await
    .parse();
    assert!(doc.url.starts_with("/api/hardship/files/"));

    // Another member, another district's officer: nothing to see.
    let zhang = app.signed_in("13800000001").await;
    let path = format!("/api/hardship/files/{}", sent.id);
    assert_eq!(zhang.get(&path).await.status, StatusCode::NOT_FOUND);
    let outsider = districts(app)
        .await
        .into_iter()
        .filter(|u| u.name != "武汉市武昌区总工会")
        .map(|u| u.id)
        .min()
        .unwrap();
    let outsider = officer_at(app, outsider, "13700000077", "外区干部").await;
    assert_eq!(outsider.get(&path).await.status, StatusCode::NOT_FOUND);
    let refused = outsider
        .post(
            &format!("/api/staff/hardship/files/{}/decision", sent.id),
            decide("approve", None, ""),
        )
        .await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);

    // Her district's officer finds it in the queue with the proposal and her
    // masked identity, and files it under another category only with a reason.
    let wuchang = app.signed_in("13700000002").await;
    let queue: Page<HardshipFileView> = wuchang
        .get_as("/api/staff/hardship/files")
        .await
        .expect(StatusCode::OK);
    let seen = queue
        .items
        .iter()
        .find(|f| f.id == sent.id)
        .expect("in the queue");
    assert_eq!(seen.member.as_ref().unwrap().name, "李娜");
    assert!(seen
        .member
        .as_ref()
        .unwrap()
        .id_number_masked
        .contains("****"));
    assert_eq!(seen.documents.len(), 1);
    let decision = format!("/api/staff/hardship/files/{}/decision", sent.id);
    let no_reason = wuchang
        .post(&decision, decide("approve", Some(Category::Relative), ""))
        .await;
    assert_eq!(no_reason.code(), "note_required");
    let reject_bare = wuchang.post(&decision, decide("reject", None, " ")).await;
    assert_eq!(reject_bare.code(), "note_required");
    let on_file: HardshipFileView = wuchang
        .post_as(&decision, &decide("approve", None, "入户核实属实"))
        .await
        .expect(StatusCode::OK);
    assert_eq!(on_file.status, HardshipStatus::Approved);
    assert_eq!(on_file.category, Some(Category::Deep));
    let until = on_file.valid_until.clone().expect("valid a year");
    assert_eq!(
        until,
        today().add_months(12).add_days(-1).iso(),
        "a year from today"
    );
    let again = wuchang
        .post(&decision, decide("reject", None, "重复"))
        .await;
    assert_eq!(
        (again.status, again.code()),
        (StatusCode::CONFLICT, "already_decided")
    );
    // Documents stop with the decision.
    let late = Client::answer(
        li.raw(
            Method::POST,
            &format!("/api/hardship/files/{}/documents", sent.id),
        )
        .header("X-Requested-With", "unioncard")
        .multipart(reqwest::multipart::Form::new().part(
            "file",
            reqwest::multipart::Part::bytes(b"%PDF-1.4\n".to_vec()).file_name("a.pdf"),
        ))
        .send()
        .await
        .unwrap(),
    )
    .await;
    assert_eq!(late.status, StatusCode::CONFLICT);

    // She sees it on file, the step in her inbox; she cannot apply again
    // until its last month.
    let hers: HardshipFileView = li.get_as(&path).await.expect(StatusCode::OK);
    assert_eq!(hers.category, Some(Category::Deep));
    let statuses: Vec<HardshipStatus> = hers.events.iter().map(|e| e.status).collect();
    assert_eq!(
        statuses,
        vec![HardshipStatus::Submitted, HardshipStatus::Approved]
    );
    let inbox = li
        .get_as::<unioncard_api::inbox::Inbox>("/api/me/messages")
        .await
        .into_body();
    assert!(
        inbox.items[0].title.contains("已建档"),
        "{}",
        inbox.items[0].title
    );
    let renew = send(&li, &household()).await;
    assert_eq!(renew.code(), "file_still_valid");
    // Eleven months later (its last day moved near): she is told, once,
    // and may renew.
    let soon = today().add_days(10).iso();
    sqlx::query("UPDATE hardship_files SET valid_until = $1 WHERE id = $2")
        .bind(&soon)
        .bind(sent.id)
        .execute(&mut *app.state.db.writer().await.unwrap())
        .await
        .unwrap();
    let before = unread(&li).await;
    let told = li
        .get_as::<unioncard_api::inbox::Inbox>("/api/me/messages")
        .await
        .into_body();
    assert_eq!(
        told.items[0].kind,
        unioncard_api::inbox::MessageKind::HardshipRenew
    );
    assert!(
        told.items[0].body.contains("有效期至"),
        "{}",
        told.items[0].body
    );
    assert_eq!(told.items[0].link, "/hardship");
    assert_eq!(unread(&li).await, before);
    let renewed = send(&li, &household()).await.expect(StatusCode::CREATED);
    assert_eq!(renewed.status, HardshipStatus::Submitted);

    // Counts: one more deep-hardship household; closing takes it off.
    let counts: HardshipCounts = wuchang
        .get_as("/api/staff/hardship/counts")
        .await
        .expect(StatusCode::OK);
    assert!(counts.deep >= 1);
    let close = format!("/api/staff/hardship/files/{}/close", sent.id);
    let bare = wuchang.post(&close, CloseFile { note: "".into() }).await;
    assert_eq!(bare.code(), "note_required");
    let closed: HardshipFileView = wuchang
        .post_as(
            &close,
            &CloseFile {
                note: "丈夫康复，已就业".into(),
            },
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(closed.status, HardshipStatus::Closed);
    let after: HardshipCounts = wuchang
        .get_as("/api/staff/hardship/counts")
        .await
        .into_body();
    assert_eq!(after.deep, counts.deep - 1);
    let twice = wuchang
        .post(
            &close,
            CloseFile {
                note: "再次".into(),
            },
        )
        .await;
    assert_eq!(twice.code(), "not_on_file");
}
both_databases!(a_member_files_her_household_and_an_officer_puts_it_on_record);

async fn an_officer_files_for_a_member_and_sets_the_districts_line(app: &TestApp) {
    let wuchang = app.signed_in("13700000002").await;
    let zhang = app.signed_in("13800000001").await;
    let zhang_id = zhang.me().await.into_body().id;
    // 张伟 is not in 武昌区's unions: the officer cannot file for him.
    let for_zhang = HardshipInput {
        member_id: Some(zhang_id),
        ..household()
    };
    assert_eq!(
        send(&wuchang, &for_zhang).await.status,
        StatusCode::NOT_FOUND
    );
    // A member cannot file for someone else.
    let li = app.signed_in("13800000002").await;
    assert_eq!(send(&li, &for_zhang).await.status, StatusCode::FORBIDDEN);
    // His demo application waits in the city's queue; the city's officer
    // turns it down with a reason, then files a new one for him: a
    // household above every line is sent, with no category proposed and why.
    let city = app.signed_in("13700000001").await;
    let waiting: Page<HardshipFileView> = city
        .get_as("/api/staff/hardship/files")
        .await
        .expect(StatusCode::OK);
    let his_demo = waiting
        .items
        .iter()
        .find(|f| f.note == "本人失业，两个孩子上学")
        .expect("张伟's waiting file");
    assert_eq!(his_demo.proposed_category, Some(Category::Deep));
    city.post_as::<_, HardshipFileView>(
        &format!("/api/staff/hardship/files/{}/decision", his_demo.id),
        &decide("reject", None, "收入证明不全，请补齐后重新申请"),
    )
    .await
    .expect(StatusCode::OK);
    let comfortable = HardshipInput {
        member_id: Some(zhang_id),
        household_size: 2,
        monthly_income_fen: 800_000,
        causes: vec![Cause::Education],
        note: String::new(),
    };
    let sent = send(&city, &comfortable).await.expect(StatusCode::CREATED);
    assert_eq!(sent.proposed_category, None);
    assert!(sent.proposal_reason.contains("暂不符合建档条件"));
    assert!(sent.member.is_some());
    // Approving with no category proposed needs one chosen, and a reason.
    let decision = format!("/api/staff/hardship/files/{}/decision", sent.id);
    let none = city.post(&decision, decide("approve", None, "")).await;
    assert_eq!(none.code(), "category_required");
    let rejected: HardshipFileView = city
        .post_as(&decision, &decide("reject", None, "家庭人均收入高于标准"))
        .await
        .expect(StatusCode::OK);
    assert_eq!(rejected.status, HardshipStatus::Rejected);
    // He sees it as his own.
    let his: Page<HardshipFileView> = zhang.get_as("/api/me/hardship/files").await.into_body();
    assert_eq!(his.items[0].id, sent.id);
    assert_eq!(his.items[1].id, his_demo.id);
    assert_eq!(his.items[1].status, HardshipStatus::Rejected);

    // The line: officers set it for unions they cover; a member is judged
    // against the nearest line above.
    let wuchang_union = wuchang.me().await.into_body().union_id.unwrap();
    let bad = wuchang
        .put(
            &format!("/api/staff/hardship/lines/{wuchang_union}"),
            LineInput { minimum_fen: 0 },
        )
        .await;
    assert_eq!(bad.code(), "bad_line");
    let set: LineView = wuchang
        .put_as(
            &format!("/api/staff/hardship/lines/{wuchang_union}"),
            &LineInput {
                minimum_fen: 120_000,
            },
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(set.minimum_fen, 120_000);
    let hers: LineView = li.get_as("/api/hardship/line").await.into_body();
    assert_eq!(hers.minimum_fen, 120_000);
    let above = city.me().await.into_body().union_id.unwrap();
    assert_eq!(
        wuchang
            .put(
                &format!("/api/staff/hardship/lines/{above}"),
                LineInput {
                    minimum_fen: 90_000
                }
            )
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.client().get("/api/hardship/line").await.status,
        StatusCode::UNAUTHORIZED
    );
}
both_databases!(an_officer_files_for_a_member_and_sets_the_districts_line);
