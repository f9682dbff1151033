//! Roster import by officers.

use reqwest::{Method, StatusCode};
use serde_json::json;
use unioncard_api::auth::RegisterRequest;
use unioncard_api::card::CardStatus;
use unioncard_api::roster::ImportReport;

use crate::both_databases;
use crate::support::{Answer, Client, TestApp};

async fn upload(c: &Client, csv: &str) -> Answer {
    let r = c
        .raw(Method::POST, "/api/staff/roster")
        .header("X-Requested-With", "unioncard")
        .header("Content-Type", "text/csv; charset=utf-8")
        .body(csv.to_string())
        .send()
        .await
        .unwrap();
    Client::answer(r).await
}

const FILE: &str = "name,id_number,phone,workplace,union_code
陈晓红,420106199003070024,13912340001,武汉某物流有限公司,
刘建军,420106198512120013,13912340002,武汉某物流有限公司,WH-WC-002
,420106198001010013,13912340003,某公司,
孙丽,420106199003070027,13912340004,某公司,
周强,420106198512120013,13912340005,某公司,
吴刚,420106197706060018,1391234,某公司,
郑华,420106196811110019,13912340007,某公司,WH-JA-001
";

async fn an_officer_imports_a_roster_with_bad_lines(app: &TestApp) {
    let officer = app.signed_in("13700000002").await;
    let r = upload(&officer, FILE).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let report: ImportReport = r.parse();
    assert_eq!(report.rows, 7);
    assert_eq!(report.added, 2);
    let rejected: Vec<(usize, String)> = report
        .rejected
        .iter()
        .map(|x| (x.line, x.code.clone()))
        .collect();
    assert_eq!(
        rejected,
        vec![
            (4, "missing_name".into()),
            (5, "bad_id_number".into()),
            (6, "duplicate".into()),
            (7, "bad_phone".into()),
            (8, "unknown_union".into()),
        ]
    );
    // The same file again adds nothing.
    let again: ImportReport = upload(&officer, FILE).await.parse();
    assert_eq!((again.added, again.unchanged), (0, 2));
    // A changed phone is an update.
    let changed = FILE.replace("13912340001", "13912349999");
    let c: ImportReport = upload(&officer, &changed).await.parse();
    assert_eq!((c.added, c.updated), (0, 1));
    // New entries have issued cards, and can register.
    let r = app
        .client()
        .register(&RegisterRequest {
            phone: "13912340002".into(),
            password: "Liu2026ok".into(),
            name: "刘建军".into(),
            id_number: "420106198512120013".into(),
        })
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(r.card.expect("his card").status, CardStatus::Issued);
    assert_eq!(r.union.expect("his union").code, "WH-WC-002");
    let audited: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'roster.import'")
            .fetch_one(app.state.db.read())
            .await
            .unwrap();
    assert_eq!(audited, 3);
}
both_databases!(an_officer_imports_a_roster_with_bad_lines);

async fn members_of_other_unions_and_bad_files_are_refused(app: &TestApp) {
    let officer = app.signed_in("13700000002").await;
    // 张伟 is in 江岸区's roster, outside 武昌区.
    let r = upload(
        &officer,
        "name,id_number,phone,workplace\n张伟,420102198803151236,13800000001,某公司\n",
    )
    .await;
    let report: ImportReport = r.parse();
    assert_eq!(report.rejected[0].code, "in_other_union");
    assert_eq!(report.added, 0);
    let r = upload(&officer, "姓名,身份证号\n张三,1\n").await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "bad_header")
    );
    let r = upload(&officer, "").await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "empty_file")
    );
    // JSON where the roster is a CSV file: no wire type says this.
    let r = officer.post("/api/staff/roster", json!({"rows": []})).await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::BAD_REQUEST, "expected_csv")
    );
    let member = app.signed_in("13800000002").await;
    assert_eq!(upload(&member, FILE).await.status, StatusCode::FORBIDDEN);
}
both_databases!(members_of_other_unions_and_bad_files_are_refused);

/// One member in ten has an ID number that also reads as a card number
/// (18 digits passing the card's check digit): the card desk still finds
/// their card by it.
async fn an_id_number_that_reads_as_a_card_number_still_finds_the_card(app: &TestApp) {
    use unioncard_api::card::CardNumber;
    use unioncard_api::identity::IdNumber;
    // Those whose check character is a digit (not X), then the first of
    // them that also passes a card number's check.
    let id = (0..1000)
        .filter_map(|n| {
            let body = format!("42010619900307{n:03}");
            (0..10)
                .map(|d| format!("{body}{d}"))
                .find(|s| IdNumber::parse(s).is_ok())
        })
        .find(|s| CardNumber::parse(s).is_ok())
        .expect("an ID number passing both checks");
    let officer = app.signed_in("13700000002").await;
    let csv =
        format!("name,id_number,phone,workplace\n陈晓红,{id},13912340001,武汉某物流有限公司\n");
    let report: ImportReport = upload(&officer, &csv).await.parse();
    assert_eq!(report.added, 1);
    let found = officer.staff_card("lookup", &id).await;
    assert_eq!(found.status, StatusCode::OK);
    assert_eq!(found.into_body().holder, "陈晓红");
}
both_databases!(an_id_number_that_reads_as_a_card_number_still_finds_the_card);
