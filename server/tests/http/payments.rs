//! Union money onto cards: a batch prepared by one officer is approved only
//! by another; its payment file adds up; the bank's answer credits or fails
//! each line once, however often it is imported; a bad answer changes
//! nothing; members see their credits and are told; failed lines are paid
//! again once the card can take money (unfrozen or replaced); approved
//! aid claims and lists by ID number; who may see what.

use reqwest::{Method, StatusCode};
use unioncard_api::aid::{ClaimStatus, ClaimView};
use unioncard_api::card::{CardLookup, CardNumber, CardReplaced, CardStatus};
use unioncard_api::join::Page;
use unioncard_api::payments::{
    read_id_list, BatchCreated, BatchInput, BatchRule, BatchStatus, BatchView, IdLine, LineInput,
    LineStatus, MyPayments, PaymentLineView, Programme, ResultImported,
};

use crate::both_databases;
use crate::support::{Answer, Client, TestApp, Typed};

const LI_NA: &str = "13800000002";
const CITY: &str = "13700000001";
const CITY_SECOND: &str = "13700000003";
const WUCHANG: &str = "13700000002";

fn list(title: &str, lines: &[(i64, i64)]) -> BatchInput {
    BatchInput {
        programme: Programme::Relief,
        title: title.into(),
        union_id: None,
        lines: lines
            .iter()
            .map(|&(member_id, amount_fen)| LineInput {
                member_id,
                amount_fen,
            })
            .collect(),
        rule: None,
    }
}

async fn member_id(app: &TestApp, phone: &str) -> i64 {
    app.signed_in(phone).await.me().await.into_body().id
}

async fn batch(c: &Client, id: i64) -> BatchView {
    c.get_as(&format!("/api/staff/payments/batches/{id}"))
        .await
        .expect(StatusCode::OK)
}

async fn approve(c: &Client, id: i64, total_fen: i64) -> Answer {
    c.post(
        &format!("/api/staff/payments/batches/{id}/approve"),
        serde_json::json!({ "total_fen": total_fen }),
    )
    .await
}

/// The payment file as the desk downloads it.
async fn bank_file(c: &Client, id: i64) -> (StatusCode, String) {
    let resp = c
        .raw(
            Method::GET,
            &format!("/api/staff/payments/batches/{id}/bank-file"),
        )
        .send()
        .await
        .unwrap();
    let status = resp.status();
    (status, resp.text().await.unwrap())
}

/// Sends the bank's answer as the desk uploads it.
async fn bank_result(c: &Client, id: i64, body: Vec<u8>) -> Answer {
    let resp = c
        .raw(
            Method::POST,
            &format!("/api/staff/payments/batches/{id}/bank-result"),
        )
        .header("X-Requested-With", "unioncard")
        .header("Content-Type", "text/csv")
        .body(body)
        .send()
        .await
        .unwrap();
    Client::answer(resp).await
}

/// The bank's answer to a payment file: `success` for every row, except
/// the rows named with the bank's reason.
fn answer(file: &str, refused: &[(usize, &str)]) -> String {
    let mut out = String::new();
    for (i, line) in file.lines().enumerate() {
        let last = if i == 0 {
            "result".to_string()
        } else {
            refused
                .iter()
                .find(|(n, _)| *n == i)
                .map(|(_, why)| why.to_string())
                .unwrap_or_else(|| "success".into())
        };
        out.push_str(&format!("{line},{last}\r\n"));
    }
    out
}

/// The amounts of a payment file, in fen.
fn amounts(file: &str) -> Vec<i64> {
    file.lines()
        .skip(1)
        .map(|l| {
            let yuan = l.split(',').nth(2).unwrap();
            unioncard_api::money::parse_yuan(yuan).unwrap()
        })
        .collect()
}

async fn unread(c: &Client) -> i64 {
    c.get_as::<unioncard_api::inbox::Unread>("/api/me/messages/unread")
        .await
        .into_body()
        .unread
}

async fn a_campaign_batch_needs_two_officers_and_the_banks_answer_counts_once(app: &TestApp) {
    let city = app.signed_in(CITY).await;
    let second = app.signed_in(CITY_SECOND).await;
    let rule = BatchInput {
        rule: Some(BatchRule::Households {
            deep_fen: 100_000,
            relative_fen: 60_000,
            accident_fen: 80_000,
        }),
        ..list("2027年元旦送温暖", &[])
    };
    let made: BatchCreated = city
        .post_as("/api/staff/payments/batches", &rule)
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(made.status, BatchStatus::Prepared);
    assert!(made.count > 5, "the demo city has households on file");
    let view = batch(&city, made.id).await;
    assert_eq!((view.count, view.total_fen), (made.count, made.total_fen));
    assert!(
        !view.you_may_approve,
        "the preparer is not offered approval"
    );
    assert!(batch(&second, made.id).await.you_may_approve);

    // Four eyes: the preparer cannot approve; nothing leaves before approval.
    let own = approve(&city, made.id, made.total_fen).await;
    assert_eq!(own.status, StatusCode::FORBIDDEN);
    assert_eq!(own.code(), "same_officer");
    assert_eq!(bank_file(&city, made.id).await.0, StatusCode::CONFLICT);
    // The second officer confirms the total they saw.
    let wrong = approve(&second, made.id, made.total_fen + 1).await;
    assert_eq!(wrong.status, StatusCode::CONFLICT);
    assert_eq!(wrong.code(), "batch_total_changed");
    assert_eq!(batch(&city, made.id).await.status, BatchStatus::Prepared);
    let ok = approve(&second, made.id, made.total_fen).await;
    assert_eq!(ok.status, StatusCode::OK);
    assert_eq!(
        batch(&city, made.id).await.approved_by.as_deref(),
        Some("孙丽")
    );
    assert_eq!(
        approve(&second, made.id, made.total_fen).await.status,
        StatusCode::CONFLICT
    );

    // The payment file adds up to the batch.
    let (status, file) = bank_file(&city, made.id).await;
    assert_eq!(status, StatusCode::OK);
    assert!(file.starts_with("account,name,amount,reference\r\n"));
    let sums = amounts(&file);
    assert_eq!(sums.len() as i64, made.count);
    assert_eq!(sums.iter().sum::<i64>(), made.total_fen);
    assert_eq!(batch(&city, made.id).await.status, BatchStatus::Sent);
    assert_eq!(
        bank_file(&city, made.id).await.1,
        file,
        "the same file again"
    );

    // Bad answers change nothing and say which row.
    let good = answer(&file, &[(1, "卡已挂失")]);
    let unknown = good.replacen(&format!("-{:05},", 1), "-99999,", 1);
    let r = bank_result(&city, made.id, unknown.into_bytes()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.code(), "bank_file_reference");
    assert!(r.message().contains("第 2 行"), "{}", r.message());
    let first_amount = file.lines().nth(1).unwrap().split(',').nth(2).unwrap();
    let wrong_total = good.replacen(&format!(",{first_amount},"), ",1.00,", 1);
    let r = bank_result(&city, made.id, wrong_total.into_bytes()).await;
    assert_eq!(r.code(), "bank_file_amount");
    // The same answer saved by a bank PC in GBK: 李娜 is C0EE C4C8 there.
    let gbk = b"account,name,amount,reference,result\r\n6222020200000000022,\xc0\xee\xc4\xc8,300.00,UC000001-00001,success\r\n".to_vec();
    let r = bank_result(&city, made.id, gbk).await;
    assert_eq!(r.code(), "bank_file_encoding");
    let r = bank_result(
        &city,
        made.id,
        b"reference,result\r\nx,success\r\n".to_vec(),
    )
    .await;
    assert_eq!(r.code(), "bank_file_header");
    let still = batch(&city, made.id).await;
    assert_eq!((still.credited, still.failed), (0, 0));

    // The answer: all credited but one.
    let done: ResultImported =
        Typed::read(bank_result(&city, made.id, good.clone().into_bytes()).await)
            .expect(StatusCode::OK);
    assert_eq!(
        (done.credited, done.failed, done.unchanged),
        (made.count - 1, 1, 0)
    );
    let settled = batch(&city, made.id).await;
    assert_eq!(settled.status, BatchStatus::Settled);
    assert_eq!(settled.credited_fen, made.total_fen - sums[0]);
    // Imported twice: nothing changes.
    let again: ResultImported =
        Typed::read(bank_result(&city, made.id, good.into_bytes()).await).expect(StatusCode::OK);
    assert_eq!(
        (again.credited, again.failed, again.unchanged),
        (0, 0, made.count)
    );
    assert_eq!(
        batch(&city, made.id).await.credited_fen,
        settled.credited_fen
    );
    let failed: Page<PaymentLineView> = city
        .get_as(&format!(
            "/api/staff/payments/batches/{}/lines?only=failed",
            made.id
        ))
        .await
        .expect(StatusCode::OK);
    assert_eq!(failed.items.len(), 1);
    assert_eq!(failed.items[0].reason.as_deref(), Some("卡已挂失"));
    assert!(failed.items[0].card_no_masked.contains("****"));
}
both_databases!(a_campaign_batch_needs_two_officers_and_the_banks_answer_counts_once);

async fn a_member_sees_the_credit_and_is_told(app: &TestApp) {
    let li = app.signed_in(LI_NA).await;
    let before: MyPayments = li.get_as("/api/me/payments").await.expect(StatusCode::OK);
    assert!(
        before
            .items
            .iter()
            .any(|p| p.title == "2026年夏季送清凉慰问" && p.status == LineStatus::Credited),
        "the demo's summer relief is on her list"
    );
    let unread_before = unread(&li).await;
    let wuchang = app.signed_in(WUCHANG).await;
    let city = app.signed_in(CITY).await;
    let her = member_id(app, LI_NA).await;
    let made: BatchCreated = wuchang
        .post_as(
            "/api/staff/payments/batches",
            &list("武昌区困难职工帮扶金", &[(her, 50_000)]),
        )
        .await
        .expect(StatusCode::CREATED);
    // Approved above (the district's own officer prepared it).
    assert_eq!(approve(&city, made.id, 50_000).await.status, StatusCode::OK);
    let on_way: MyPayments = li.get_as("/api/me/payments").await.into_body();
    assert_eq!(on_way.items[0].status, LineStatus::Approved);
    assert_eq!(
        on_way.year_total_fen, before.year_total_fen,
        "not credited yet"
    );
    let (_, file) = bank_file(&wuchang, made.id).await;
    let done: ResultImported =
        Typed::read(bank_result(&wuchang, made.id, answer(&file, &[]).into_bytes()).await)
            .expect(StatusCode::OK);
    assert_eq!(done.credited, 1);
    let after: MyPayments = li.get_as("/api/me/payments").await.into_body();
    let top = &after.items[0];
    assert_eq!(
        (top.programme, top.amount_fen, top.status),
        (Programme::Relief, 50_000, LineStatus::Credited)
    );
    assert_eq!(after.year_total_fen, before.year_total_fen + 50_000);
    assert_eq!(unread(&li).await, unread_before + 1);
    let messages: unioncard_api::inbox::Inbox = li.get_as("/api/me/messages").await.into_body();
    assert_eq!(messages.items[0].title, "送温暖慰问 ¥500.00 已到账");
    assert_eq!(messages.items[0].link, "/me/payments");
    // Only her own: officers and guests do not have a 到账记录.
    assert_eq!(
        app.client().get("/api/me/payments").await.status,
        StatusCode::UNAUTHORIZED
    );
}
both_databases!(a_member_sees_the_credit_and_is_told);

async fn scope_lists_and_withdrawals(app: &TestApp) {
    let city = app.signed_in(CITY).await;
    let wuchang = app.signed_in(WUCHANG).await;
    let li = app.signed_in(LI_NA).await;
    let her = member_id(app, LI_NA).await;
    let zhang = member_id(app, "13800000001").await;
    // 张伟 is in 江岸, not 武昌.
    let r = wuchang
        .post("/api/staff/payments/batches", list("名单", &[(zhang, 100)]))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.code(), "unknown_member");
    for (bad, code) in [
        (list("名单", &[(her, 0)]), "payment_amount"),
        (list("名单", &[(her, 5_000_001)]), "payment_amount"),
        (list("名单", &[(her, 100), (her, 100)]), "member_twice"),
        (list("", &[(her, 100)]), "batch_title"),
        (list("名单", &[]), "batch_empty"),
    ] {
        let r = wuchang.post("/api/staff/payments/batches", bad).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(r.code(), code);
    }
    // The city's batch is not the district's to see or approve.
    let city_batch: BatchCreated = city
        .post_as(
            "/api/staff/payments/batches",
            &list("市总帮扶", &[(her, 100), (zhang, 200)]),
        )
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(city_batch.total_fen, 300);
    for path in ["", "/lines"] {
        let r = wuchang
            .get(&format!(
                "/api/staff/payments/batches/{}{path}",
                city_batch.id
            ))
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
    }
    assert_eq!(
        approve(&wuchang, city_batch.id, 300).await.status,
        StatusCode::NOT_FOUND
    );
    let seen: Page<BatchView> = wuchang
        .get_as("/api/staff/payments/batches")
        .await
        .into_body();
    assert!(seen.items.iter().all(|b| b.id != city_batch.id));
    assert_eq!(
        li.get("/api/staff/payments/batches").await.status,
        StatusCode::FORBIDDEN
    );
    // Withdrawn before approval: it can no longer be approved or sent.
    let gone: BatchView = city
        .post_empty_as(&format!(
            "/api/staff/payments/batches/{}/cancel",
            city_batch.id
        ))
        .await
        .expect(StatusCode::OK);
    assert_eq!(gone.status, BatchStatus::Cancelled);
    let second = app.signed_in(CITY_SECOND).await;
    assert_eq!(
        approve(&second, city_batch.id, 300).await.status,
        StatusCode::CONFLICT
    );
    let mine: MyPayments = li.get_as("/api/me/payments").await.into_body();
    assert!(mine.items.iter().all(|p| p.title != "市总帮扶"));
}
both_databases!(scope_lists_and_withdrawals);

async fn failed_lines_are_paid_again_once_the_card_takes_money(app: &TestApp) {
    let wuchang = app.signed_in(WUCHANG).await;
    let city = app.signed_in(CITY).await;
    let li = app.signed_in(LI_NA).await;
    let her = member_id(app, LI_NA).await;
    let card_no = "6222020200000000022".to_string();
    let made: BatchCreated = wuchang
        .post_as(
            "/api/staff/payments/batches",
            &list("武昌区金秋慰问", &[(her, 20_000)]),
        )
        .await
        .expect(StatusCode::CREATED);
    approve(&city, made.id, 20_000).await;
    let (_, file) = bank_file(&wuchang, made.id).await;
    bank_result(
        &wuchang,
        made.id,
        answer(&file, &[(1, "卡片已冻结")]).into_bytes(),
    )
    .await;
    let messages: unioncard_api::inbox::Inbox = li.get_as("/api/me/messages").await.into_body();
    assert_eq!(messages.items[0].title, "送温暖慰问 ¥200.00 未能到账");
    let mine: MyPayments = li.get_as("/api/me/payments").await.into_body();
    assert_eq!(mine.items[0].status, LineStatus::Failed);
    assert_eq!(mine.items[0].reason.as_deref(), Some("卡片已冻结"));

    let retry = BatchInput {
        rule: Some(BatchRule::Retry { batch_id: made.id }),
        ..list("武昌区金秋慰问（补发）", &[])
    };
    // While her card is frozen, there is nothing to pay again.
    city.staff_card("freeze", &card_no)
        .await
        .expect(StatusCode::OK);
    let r = wuchang.post("/api/staff/payments/batches", &retry).await;
    assert_eq!(r.code(), "batch_empty");
    city.staff_card("unfreeze", &card_no)
        .await
        .expect(StatusCode::OK);
    let again: BatchCreated = wuchang
        .post_as("/api/staff/payments/batches", &retry)
        .await
        .expect(StatusCode::CREATED);
    assert_eq!((again.count, again.total_fen), (1, 20_000));
    assert_eq!(batch(&wuchang, again.id).await.retry_of, Some(made.id));
    // Once: a second retry of the same failure finds none.
    let r = wuchang.post("/api/staff/payments/batches", &retry).await;
    assert_eq!(r.code(), "batch_empty");
    // A frozen card is flagged before approval.
    city.staff_card("freeze", &card_no)
        .await
        .expect(StatusCode::OK);
    assert_eq!(batch(&city, again.id).await.flagged, 1);
}
both_databases!(failed_lines_are_paid_again_once_the_card_takes_money);

async fn the_demo_ledger_has_a_settled_relief_round_with_failures(app: &TestApp) {
    let city = app.signed_in(CITY).await;
    let all: Page<BatchView> = city
        .get_as("/api/staff/payments/batches")
        .await
        .expect(StatusCode::OK);
    let national_day = all
        .items
        .iter()
        .find(|b| b.title == "2026年国庆节送温暖")
        .expect("the demo relief round");
    assert_eq!(national_day.status, BatchStatus::Settled);
    assert!(national_day.failed > 0 && national_day.credited > national_day.failed);
    assert_eq!(national_day.approved_by.as_deref(), Some("孙丽"));
}
both_databases!(the_demo_ledger_has_a_settled_relief_round_with_failures);

async fn the_figures_count_money_onto_cards_as_the_ledger_does(app: &TestApp) {
    use unioncard_api::stats::Stats;
    let city = app.signed_in(CITY).await;
    let long_ago = crate::fixtures::today().add_days(-1800).iso();
    let q = format!("/api/staff/stats?from={long_ago}");
    let before: Stats = city.get_as(&q).await.expect(StatusCode::OK);
    // By hand: every credited line of the ledger, by programme.
    let batches: Page<BatchView> = city.get_as("/api/staff/payments/batches").await.into_body();
    let sum = |ps: &[Programme]| -> i64 {
        batches
            .items
            .iter()
            .filter(|b| ps.contains(&b.programme))
            .map(|b| b.credited_fen)
            .sum()
    };
    assert!(before.totals.hardship_households > 10);
    assert_eq!(
        before.totals.relief_fen,
        sum(&[Programme::Relief, Programme::Hardship])
    );
    assert_eq!(before.totals.education_fen, sum(&[Programme::Education]));
    assert_eq!(before.totals.allowance_fen, sum(&[Programme::Allowance]));
    assert!(before.totals.education_students > 0 && before.totals.allowance_people > 0);
    // A credit shows at once, in its union's row too.
    let wuchang = app.signed_in(WUCHANG).await;
    let her = member_id(app, LI_NA).await;
    let made: BatchCreated = wuchang
        .post_as(
            "/api/staff/payments/batches",
            &list("武昌区困难职工帮扶金", &[(her, 50_000)]),
        )
        .await
        .expect(StatusCode::CREATED);
    approve(&city, made.id, 50_000).await;
    let (_, file) = bank_file(&wuchang, made.id).await;
    bank_result(&wuchang, made.id, answer(&file, &[]).into_bytes()).await;
    let after: Stats = city.get_as(&q).await.expect(StatusCode::OK);
    assert_eq!(after.totals.relief_fen, before.totals.relief_fen + 50_000);
    let row = |s: &Stats| {
        s.unions
            .iter()
            .find(|u| u.name.contains("武昌"))
            .map(|u| u.counts.relief_fen)
            .unwrap()
    };
    assert_eq!(row(&after), row(&before) + 50_000);
    let own: Stats = wuchang.get_as(&q).await.expect(StatusCode::OK);
    assert_eq!(own.totals.relief_fen, row(&after));
}
both_databases!(the_figures_count_money_onto_cards_as_the_ledger_does);

/// Approved mutual-aid claims paid through the ledger: a batch picks every
/// approved claim of the union not yet paid; while it is with the bank the
/// claim cannot be marked paid by hand as well; the bank's credit marks
/// each claim paid; a second batch finds none.
async fn approved_claims_are_paid_through_a_batch(app: &TestApp) {
    let officer = app.signed_in(CITY).await;
    let second = app.signed_in(CITY_SECOND).await;
    let waiting: Page<ClaimView> = officer
        .claim_queue("status=approved")
        .await
        .expect(StatusCode::OK);
    let first = waiting.items.first().expect("the demo has approved claims");
    let claims = BatchInput {
        programme: Programme::AidClaim,
        rule: Some(BatchRule::AidClaims),
        ..list("2026年12月医疗互助金", &[])
    };
    // The rule's programme is the claims'.
    let wrong = BatchInput {
        programme: Programme::Relief,
        ..claims.clone()
    };
    let r = officer.post("/api/staff/payments/batches", &wrong).await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "rule_programme")
    );
    let made: BatchCreated = officer
        .post_as("/api/staff/payments/batches", &claims)
        .await
        .expect(StatusCode::CREATED);
    assert!(made.count >= waiting.items.len() as i64);
    let in_batch = officer.claim_step(first.id, "paid").await;
    assert_eq!(
        (in_batch.status, in_batch.code()),
        (StatusCode::CONFLICT, "in_another_batch")
    );
    let seen: ClaimView = officer
        .get_as(&format!("/api/staff/aid/claims/{}", first.id))
        .await
        .expect(StatusCode::OK);
    assert_eq!(seen.payment, Some(LineStatus::Prepared));
    assert_eq!(
        approve(&second, made.id, made.total_fen).await.status,
        StatusCode::OK
    );
    let (_, file) = bank_file(&officer, made.id).await;
    assert_eq!(amounts(&file).iter().sum::<i64>(), made.total_fen);
    let done: ResultImported = bank_result(&officer, made.id, answer(&file, &[]).into_bytes())
        .await
        .parse();
    assert_eq!(done.credited, made.count);
    let paid: ClaimView = officer
        .get_as(&format!("/api/staff/aid/claims/{}", first.id))
        .await
        .into_body();
    assert_eq!(
        (paid.status, paid.payment),
        (ClaimStatus::Paid, Some(LineStatus::Credited))
    );
    assert_eq!(
        paid.timeline.last().map(|e| e.amount_fen),
        Some(first.approved_fen)
    );
    let left: Page<ClaimView> = officer.claim_queue("status=approved").await.into_body();
    assert!(left.items.is_empty(), "every approved claim paid");
    let r = officer.post("/api/staff/payments/batches", &claims).await;
    assert_eq!(r.code(), "batch_empty");
}
both_databases!(approved_claims_are_paid_through_a_batch);

/// A claim whose line the bank refused, then marked paid by hand, is not
/// paid again by a retry of its batch.
async fn a_claim_paid_by_hand_after_a_refusal_is_not_retried(app: &TestApp) {
    let officer = app.signed_in(CITY).await;
    let second = app.signed_in(CITY_SECOND).await;
    let made: BatchCreated = officer
        .post_as(
            "/api/staff/payments/batches",
            &BatchInput {
                programme: Programme::AidClaim,
                rule: Some(BatchRule::AidClaims),
                ..list("医疗互助金", &[])
            },
        )
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(
        approve(&second, made.id, made.total_fen).await.status,
        StatusCode::OK
    );
    let (_, file) = bank_file(&officer, made.id).await;
    bank_result(
        &officer,
        made.id,
        answer(&file, &[(1, "户名与卡号不符")]).into_bytes(),
    )
    .await;
    let left: Page<ClaimView> = officer.claim_queue("status=approved").await.into_body();
    assert_eq!(left.items.len(), 1, "the refused one");
    let claim = left.items[0].id;
    officer
        .claim_step(claim, "paid")
        .await
        .expect(StatusCode::OK);
    let retry = BatchInput {
        programme: Programme::AidClaim,
        rule: Some(BatchRule::Retry { batch_id: made.id }),
        ..list("医疗互助金（补发）", &[])
    };
    let r = officer.post("/api/staff/payments/batches", &retry).await;
    assert_eq!(
        r.code(),
        "batch_empty",
        "paid by hand: nothing to pay again"
    );
}
both_databases!(a_claim_paid_by_hand_after_a_refusal_is_not_retried);

/// A list by ID number pays members who need no account, names its bad
/// row, and checks the name beside the number against the roster.
async fn a_list_by_id_number_names_its_bad_rows(app: &TestApp) {
    let wuchang = app.signed_in(WUCHANG).await;
    let by_id = |lines: Vec<IdLine>| BatchInput {
        rule: Some(BatchRule::IdList { lines }),
        ..list("2027年春节走访慰问农民工", &[])
    };
    let line = |id: &str, name: Option<&str>, amount_fen| IdLine {
        id_number: id.into(),
        name: name.map(str::to_string),
        amount_fen,
    };
    let li = "420106199207082342";
    let zhang = "420102198803151236";
    let r = wuchang
        .post(
            "/api/staff/payments/batches",
            by_id(vec![
                line(li, Some("李娜"), 50_000),
                line(zhang, None, 50_000),
            ]),
        )
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "list_member")
    );
    assert!(r.message().contains('2'), "{}", r.message());
    let r = wuchang
        .post(
            "/api/staff/payments/batches",
            by_id(vec![line(li, Some("李四"), 50_000)]),
        )
        .await;
    assert_eq!(r.code(), "list_member", "another name on the roster");
    let r = wuchang
        .post(
            "/api/staff/payments/batches",
            by_id(vec![line(li, None, 50_000), line(li, None, 100)]),
        )
        .await;
    assert_eq!(r.code(), "list_twice");
    let pasted = read_id_list(&format!("姓名,身份证号,金额\n李娜,{li},500.00\n")).unwrap();
    let made: BatchCreated = wuchang
        .post_as("/api/staff/payments/batches", &by_id(pasted))
        .await
        .expect(StatusCode::CREATED);
    assert_eq!((made.count, made.total_fen), (1, 50_000));
    // The list's ID numbers stay out of the audit log.
    let log: serde_json::Value = wuchang
        .get_as("/api/staff/audit?action=payment.prepare")
        .await
        .into_body();
    let text = log.to_string();
    assert!(text.contains("id_list") && !text.contains(li), "{text}");
}
both_databases!(a_list_by_id_number_names_its_bad_rows);

/// 补卡: a lost card, found by its holder's ID number, is replaced under a
/// new number; the old number is gone, the new card is activated with it,
/// the member is told, and a payment the bank refused for the lost card
/// can be paid again.
async fn a_lost_card_is_replaced_and_a_refused_payment_paid_again(app: &TestApp) {
    let wuchang = app.signed_in(WUCHANG).await;
    let city = app.signed_in(CITY).await;
    let li = app.signed_in(LI_NA).await;
    let her = member_id(app, LI_NA).await;
    let old_no = "6222020200000000022";
    let li_id = "420106199207082342";
    let made: BatchCreated = wuchang
        .post_as(
            "/api/staff/payments/batches",
            &list("武昌区冬季慰问", &[(her, 30_000)]),
        )
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(approve(&city, made.id, 30_000).await.status, StatusCode::OK);
    let (_, file) = bank_file(&wuchang, made.id).await;
    bank_result(
        &wuchang,
        made.id,
        answer(&file, &[(1, "卡已挂失")]).into_bytes(),
    )
    .await;
    // A batch prepared before the card is replaced, not yet sent.
    let waiting: BatchCreated = wuchang
        .post_as(
            "/api/staff/payments/batches",
            &list("武昌区元旦慰问", &[(her, 10_000)]),
        )
        .await
        .expect(StatusCode::CREATED);
    li.report_lost().await.expect(StatusCode::OK);
    // Only a lost card is replaced; 张伟's is not lost (and not 武昌's).
    let r = city.staff_card("replace", "6222020200000000014").await;
    assert_eq!(r.code(), "card_not_lost");
    let r = wuchang.staff_card("replace", "420102198803151236").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "not the district's member");
    let found = wuchang
        .staff_card("lookup", li_id)
        .await
        .expect(StatusCode::OK);
    assert_eq!(found.status, CardStatus::Lost);
    let replaced: CardReplaced = wuchang
        .post_as(
            "/api/staff/cards/replace",
            &CardLookup {
                card_no: li_id.into(),
            },
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(replaced.card.status, CardStatus::Issued);
    assert_ne!(replaced.new_card_no, old_no);
    assert!(CardNumber::parse(&replaced.new_card_no).is_ok());
    // Twice at the desk is once.
    let r = wuchang.staff_card("replace", li_id).await;
    assert_eq!(r.code(), "card_not_lost");
    assert_eq!(
        wuchang.staff_card("lookup", old_no).await.status,
        StatusCode::NOT_FOUND
    );
    let messages: unioncard_api::inbox::Inbox = li.get_as("/api/me/messages").await.into_body();
    assert_eq!(messages.items[0].title, "会员卡已补办");
    let last4 = &replaced.new_card_no[replaced.new_card_no.len() - 4..];
    assert!(messages.items[0].body.contains(last4));
    let r = li.activate(old_no, li_id).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "the old number");
    let active = li
        .activate(&replaced.new_card_no, li_id)
        .await
        .expect(StatusCode::OK);
    assert_eq!(active.status, CardStatus::Active);
    // The refused payment goes out again, to the new card.
    let again: BatchCreated = wuchang
        .post_as(
            "/api/staff/payments/batches",
            &BatchInput {
                rule: Some(BatchRule::Retry { batch_id: made.id }),
                ..list("武昌区冬季慰问（补发）", &[])
            },
        )
        .await
        .expect(StatusCode::CREATED);
    assert_eq!((again.count, again.total_fen), (1, 30_000));
    assert_eq!(
        approve(&city, again.id, 30_000).await.status,
        StatusCode::OK
    );
    let (_, file) = bank_file(&wuchang, again.id).await;
    assert!(file.contains(&replaced.new_card_no), "{file}");
    // The batch prepared before goes to the new card too.
    assert_eq!(
        approve(&city, waiting.id, 10_000).await.status,
        StatusCode::OK
    );
    let (_, file) = bank_file(&wuchang, waiting.id).await;
    assert!(
        file.contains(&replaced.new_card_no) && !file.contains(old_no),
        "{file}"
    );
    let audit: serde_json::Value = wuchang
        .get_as("/api/staff/audit?action=card.replace")
        .await
        .into_body();
    let text = audit.to_string();
    assert!(text.contains("card.replace") && !text.contains(&replaced.new_card_no));
}
both_databases!(a_lost_card_is_replaced_and_a_refused_payment_paid_again);

/// Each bank takes a file of its own cards: the files of the banks add up
/// to the batch, an unknown bank is a clear error that sends nothing, and
/// each bank's answer is imported on its own until the batch settles.
async fn each_bank_gets_a_file_of_its_own_cards(app: &TestApp) {
    let city = app.signed_in(CITY).await;
    let second = app.signed_in(CITY_SECOND).await;
    let made: BatchCreated = city
        .post_as(
            "/api/staff/payments/batches",
            &BatchInput {
                rule: Some(BatchRule::Households {
                    deep_fen: 100_000,
                    relative_fen: 60_000,
                    accident_fen: 80_000,
                }),
                ..list("2027年春节送温暖", &[])
            },
        )
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(
        approve(&second, made.id, made.total_fen).await.status,
        StatusCode::OK
    );
    let view = batch(&city, made.id).await;
    assert!(
        view.banks.len() > 1,
        "the demo's cards are of several banks"
    );
    assert_eq!(view.banks.iter().map(|b| b.count).sum::<i64>(), made.count);
    assert_eq!(
        view.banks.iter().map(|b| b.total_fen).sum::<i64>(),
        made.total_fen
    );
    let part = |bank: &str| {
        format!(
            "/api/staff/payments/batches/{}/bank-file?bank={}",
            made.id,
            urlencode(bank)
        )
    };
    let r = city.get(&part("花旗银行")).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        batch(&city, made.id).await.status,
        BatchStatus::Approved,
        "nothing sent"
    );
    let mut seen = 0;
    for (n, share) in view.banks.iter().enumerate() {
        let resp = city
            .raw(Method::GET, &part(&share.bank))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::OK);
        let file = resp.text().await.unwrap();
        assert_eq!(amounts(&file).len() as i64, share.count, "{}", share.bank);
        assert_eq!(amounts(&file).iter().sum::<i64>(), share.total_fen);
        seen += share.count;
        let done: ResultImported = bank_result(&city, made.id, answer(&file, &[]).into_bytes())
            .await
            .parse();
        assert_eq!(done.credited, share.count);
        let status = batch(&city, made.id).await.status;
        if n + 1 < view.banks.len() {
            assert_eq!(status, BatchStatus::Sent, "other banks still to answer");
        } else {
            assert_eq!(status, BatchStatus::Settled);
        }
    }
    assert_eq!(seen, made.count);
}
both_databases!(each_bank_gets_a_file_of_its_own_cards);

fn urlencode(s: &str) -> String {
    s.bytes().map(|b| format!("%{b:02X}")).collect()
}
