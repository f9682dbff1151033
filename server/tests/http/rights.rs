//! Rights cases: a worker with no account reports unpaid wages for twelve,
//! co-workers join with the code, the district union takes it, a lawyer
//! records mediation and the money recovered, and every worker sees it.
//! Routing by employer; roles (a lawyer sees only their cases, a member
//! decides nothing); the arbitration deadline warning; bad input stores
//! nothing.

use reqwest::StatusCode;
use unioncard_api::identity::check_character;
use unioncard_api::inbox::{Inbox, MessageKind};
use unioncard_api::join::{Page, WorkplaceUnion};
use unioncard_api::money::MAX_FEN;
use unioncard_api::rights::{
    AssignInput, CaseInput, CaseLookup, CaseStatus, CaseView, JoinCaseInput, LawyerView, StepInput,
    TriageInput,
};
use unioncard_api::stats::Stats;
use unioncard_api::ErrorBody;

use crate::both_databases;
use crate::fixtures::day;
use crate::support::{Client, TestApp};

const LI_NA: &str = "13800000002";
const ZHANG_WEI: &str = "13800000001";
const WUCHANG_OFFICER: &str = "13700000002";
const CITY_OFFICER: &str = "13700000001";
const CITY_LAWYER: &str = "13500000001";
const WUCHANG_MEDIATOR: &str = "13500000003";

/// A valid ID number for a made-up worker `n`.
fn id_number(n: usize) -> String {
    let first17 = format!("42010219850301{:03}", 200 + n);
    format!("{first17}{}", check_character(first17.as_bytes()) as char)
}

/// A report of unpaid wages by someone with no account.
fn wages(workers: i64) -> CaseInput {
    CaseInput {
        kind: "unpaid_wages".into(),
        employer_name: "武汉某建筑劳务有限公司".into(),
        district: Some("武昌区".into()),
        address: Some("武昌区中北路工地".into()),
        facts: "工地停工后老板拖欠我们三个月工资，多次讨要没有结果".into(),
        amount_fen: Some(4_560_000),
        workers,
        dispute_on: Some(day(-60)),
        name: Some("王强".into()),
        phone: Some("13912340001".into()),
        id_number: Some(id_number(0)),
        ..CaseInput::default()
    }
}

fn triage(action: &str) -> TriageInput {
    TriageInput {
        action: action.into(),
        office: None,
        office_phone: None,
        reason: None,
    }
}

fn step(kind: &str, note: &str, recovered_fen: Option<i64>) -> StepInput {
    StepInput {
        kind: kind.into(),
        note: note.into(),
        recovered_fen,
    }
}

/// The city officer's whole queue (to check nothing was stored).
async fn city_cases(app: &TestApp) -> usize {
    let city = app.signed_in(CITY_OFFICER).await;
    city.get_as::<Page<CaseView>>("/api/staff/rights/cases")
        .await
        .expect(StatusCode::OK)
        .items
        .len()
}

/// The city's figures this year.
async fn city_figures(app: &TestApp) -> Stats {
    app.signed_in(CITY_OFFICER)
        .await
        .get_as::<Stats>("/api/staff/stats")
        .await
        .expect(StatusCode::OK)
}

async fn a_collective_wage_case_is_recovered_and_every_worker_sees_it(app: &TestApp) {
    let figures_before = city_figures(app).await;
    let guest = app.client();
    let made: CaseView = guest
        .post_as("/api/rights/cases", &wages(12))
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(made.status, CaseStatus::Submitted);
    assert!(made.collective);
    assert_eq!(made.union_name, "武汉市武昌区总工会");
    assert!(made.number.starts_with("WQ20"), "{}", made.number);
    let code = made.join_code.clone().expect("a join code for co-workers");

    // Three co-workers join: 李娜 signed in, two with no account. A wrong
    // code and a second join are refused.
    let li = app.signed_in(LI_NA).await;
    let wrong = li
        .post(
            &format!("/api/rights/cases/{}/join", made.id),
            JoinCaseInput {
                code: "AAAAAA".into(),
                ..JoinCaseInput::default()
            },
        )
        .await;
    assert_eq!(wrong.status, StatusCode::NOT_FOUND);
    assert_eq!(wrong.code(), "wrong_join_code");
    let join = |n: Option<usize>| JoinCaseInput {
        code: code.to_lowercase(),
        name: n.map(|_| "赵六".into()),
        phone: n.map(|n| format!("139123400{:02}", n + 10)),
        id_number: n.map(id_number),
    };
    let joined: CaseView = li
        .post_as(&format!("/api/rights/cases/{}/join", made.id), &join(None))
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(joined.joined, 2);
    let again = li
        .post(&format!("/api/rights/cases/{}/join", made.id), join(None))
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(again.code(), "already_joined");
    for n in [1, 2] {
        guest
            .post_as::<_, CaseView>(
                &format!("/api/rights/cases/{}/join", made.id),
                &join(Some(n)),
            )
            .await
            .expect(StatusCode::CREATED);
    }
    let li_view: CaseView = li
        .get_as(&format!("/api/rights/cases/{}", made.id))
        .await
        .expect(StatusCode::OK);
    assert_eq!(li_view.joined, 4);
    assert!(
        li_view.reporter.is_none(),
        "a worker does not see who reported"
    );

    // 武昌's officer takes it up and gives it to 武昌's mediator; members
    // and lawyers cannot triage.
    assert_eq!(
        li.post(
            &format!("/api/staff/rights/cases/{}/triage", made.id),
            triage("accept")
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    let wuchang = app.signed_in(WUCHANG_OFFICER).await;
    let queue: Page<CaseView> = wuchang
        .get_as("/api/staff/rights/cases?status=submitted")
        .await
        .expect(StatusCode::OK);
    let row = queue
        .items
        .iter()
        .find(|c| c.id == made.id)
        .expect("in 武昌's queue");
    assert!(row.you_may.triage);
    assert_eq!(row.reporter.as_deref(), Some("王强"));
    let accepted: CaseView = wuchang
        .post_as(
            &format!("/api/staff/rights/cases/{}/triage", made.id),
            &triage("accept"),
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(accepted.status, CaseStatus::InProgress);
    let twice = wuchang
        .post(
            &format!("/api/staff/rights/cases/{}/triage", made.id),
            triage("decline"),
        )
        .await;
    assert_eq!(
        twice.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a decline needs its reason"
    );
    let twice = wuchang
        .post(
            &format!("/api/staff/rights/cases/{}/triage", made.id),
            TriageInput {
                reason: Some("重复".into()),
                ..triage("decline")
            },
        )
        .await;
    assert_eq!(twice.code(), "case_moved");

    let lawyers: Vec<LawyerView> = wuchang
        .get_as("/api/staff/rights/lawyers")
        .await
        .expect(StatusCode::OK);
    let names: Vec<&str> = lawyers.iter().map(|l| l.name.as_str()).collect();
    assert!(
        names.contains(&"王律师") && names.contains(&"刘调解员"),
        "{names:?}"
    );
    let mediator = lawyers.iter().find(|l| l.name == "刘调解员").unwrap();
    let not_a_lawyer = wuchang
        .post(
            &format!("/api/staff/rights/cases/{}/assign", made.id),
            AssignInput { lawyer_id: 1 },
        )
        .await;
    assert_eq!(not_a_lawyer.code(), "not_a_lawyer");
    let assigned: CaseView = wuchang
        .post_as(
            &format!("/api/staff/rights/cases/{}/assign", made.id),
            &AssignInput {
                lawyer_id: mediator.id,
            },
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(assigned.lawyer_name.as_deref(), Some("刘调解员"));

    // The mediator sees only this case; the city's lawyer, not assigned,
    // sees nothing of it.
    let mediator_client = app.signed_in(WUCHANG_MEDIATOR).await;
    let mine: Page<CaseView> = mediator_client
        .get_as("/api/staff/rights/cases")
        .await
        .expect(StatusCode::OK);
    assert_eq!(
        mine.items.iter().map(|c| c.id).collect::<Vec<_>>(),
        vec![made.id]
    );
    assert!(mine.items[0].you_may.record && !mine.items[0].you_may.triage);
    let other_lawyer = app.signed_in(CITY_LAWYER).await;
    let theirs = other_lawyer
        .get_as::<Page<CaseView>>("/api/staff/rights/cases")
        .await
        .expect(StatusCode::OK)
        .items;
    assert!(
        !theirs.is_empty(),
        "the demo's cases assigned to the city's lawyer"
    );
    assert!(theirs
        .iter()
        .all(|c| c.id != made.id && c.lawyer_name.as_deref() == Some("王律师")));
    assert_eq!(
        other_lawyer
            .get(&format!("/api/rights/cases/{}", made.id))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        other_lawyer
            .post(
                &format!("/api/staff/rights/cases/{}/steps", made.id),
                step("note", "看看", None)
            )
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    // To call the reporter, the mediator reads the whole number (each look
    // audited); the other lawyer and a member cannot.
    let contact: unioncard_api::rights::ContactView = mediator_client
        .post_empty_as(&format!("/api/staff/rights/cases/{}/contact", made.id))
        .await
        .expect(StatusCode::OK);
    assert_eq!(
        (contact.name.as_str(), contact.phone.as_str()),
        ("王强", "13912340001")
    );
    assert_eq!(
        other_lawyer
            .post_empty(&format!("/api/staff/rights/cases/{}/contact", made.id))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        li.post_empty(&format!("/api/staff/rights/cases/{}/contact", made.id))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let log: serde_json::Value = wuchang
        .get_as("/api/staff/audit?action=rights.")
        .await
        .expect(StatusCode::OK);
    let log = log.to_string();
    assert!(
        log.contains("rights.contact") && !log.contains("13912340001"),
        "{log}"
    );

    // Mediation: ¥38,000 recovered; then the outcome closes the case.
    let over = mediator_client
        .post(
            &format!("/api/staff/rights/cases/{}/steps", made.id),
            step("mediation", "调解", Some(MAX_FEN + 1)),
        )
        .await;
    assert_eq!(over.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(over.field("recovered_fen").is_some());
    let mediated: CaseView = mediator_client
        .post_as(
            &format!("/api/staff/rights/cases/{}/steps", made.id),
            &step(
                "mediation",
                "区劳动争议调解中心调解成功，公司同意分两期支付",
                Some(3_800_000),
            ),
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(mediated.recovered_fen, 3_800_000);
    let closed: CaseView = mediator_client
        .post_as(
            &format!("/api/staff/rights/cases/{}/steps", made.id),
            &step("closed", "工资已全部到账", None),
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(closed.status, CaseStatus::Closed);
    assert!(closed.join_code.is_none(), "a closed case takes no one new");
    assert_eq!(
        mediator_client
            .post(
                &format!("/api/staff/rights/cases/{}/steps", made.id),
                step("note", "补记", None)
            )
            .await
            .code(),
        "case_moved"
    );

    // Every worker sees it: 李娜 on her page and in her inbox; the others
    // by their phone and ID number.
    let li_view: CaseView = li
        .get_as(&format!("/api/rights/cases/{}", made.id))
        .await
        .expect(StatusCode::OK);
    assert_eq!(li_view.recovered_fen, 3_800_000);
    assert_eq!(li_view.lawyer_name.as_deref(), Some("刘调解员"));
    assert!(li_view
        .lawyer_phone
        .as_deref()
        .is_some_and(|p| p.len() == 11));
    let kinds: Vec<&str> = li_view.steps.iter().map(|s| s.kind.as_str()).collect();
    assert_eq!(
        kinds,
        [
            "submitted",
            "joined",
            "joined",
            "joined",
            "accepted",
            "assigned",
            "mediation",
            "closed"
        ]
    );
    let mine: Page<CaseView> = li
        .get_as("/api/me/rights/cases")
        .await
        .expect(StatusCode::OK);
    assert_eq!(mine.items.len(), 1);
    let inbox: Inbox = li.get_as("/api/me/messages").await.expect(StatusCode::OK);
    let told: Vec<_> = inbox
        .items
        .iter()
        .filter(|m| m.kind == MessageKind::RightsCase)
        .collect();
    assert_eq!(told.len(), 4, "accepted, assigned, mediation, closed");
    assert!(
        told.iter().any(|m| m.body.contains("¥38,000.00")),
        "{told:?}"
    );
    for n in [0, 1] {
        let found: Page<CaseView> = guest
            .post_as(
                "/api/rights/cases/lookup",
                &CaseLookup {
                    phone: if n == 0 {
                        "13912340001".into()
                    } else {
                        "13912340011".into()
                    },
                    id_number: id_number(n),
                },
            )
            .await
            .expect(StatusCode::OK);
        assert_eq!(found.items[0].recovered_fen, 3_800_000);
        assert_eq!(found.items[0].status, CaseStatus::Closed);
        // Found by two numbers an employer may know: not the account of
        // what happened, nor the evidence.
        assert!(found.items[0].facts.is_empty());
        assert!(found.items[0].documents.is_empty());
    }
    let nobody = guest
        .post(
            "/api/rights/cases/lookup",
            CaseLookup {
                phone: "13912340001".into(),
                id_number: id_number(1),
            },
        )
        .await;
    assert_eq!(
        nobody.status,
        StatusCode::NOT_FOUND,
        "phone and ID must both match"
    );

    // The figures moved by exactly this case, under 武昌.
    let after = city_figures(app).await;
    let (b, a) = (&figures_before.totals, &after.totals);
    assert_eq!(a.rights_cases - b.rights_cases, 1);
    assert_eq!(a.rights_collective - b.rights_collective, 1);
    assert_eq!(a.rights_workers - b.rights_workers, 12);
    assert_eq!(a.rights_closed - b.rights_closed, 1);
    assert_eq!(a.rights_recovered_fen - b.rights_recovered_fen, 3_800_000);
    let wuchang_row = |s: &Stats| {
        s.unions
            .iter()
            .find(|u| u.name == "武汉市武昌区总工会")
            .map(|u| u.counts.rights_recovered_fen)
            .unwrap()
    };
    assert_eq!(
        wuchang_row(&after) - wuchang_row(&figures_before),
        3_800_000
    );
    let wages_row = after
        .rights_by_kind
        .iter()
        .find(|r| r.kind == unioncard_api::rights::CaseKind::UnpaidWages)
        .expect("unpaid wages");
    assert!(wages_row.closed >= 1);
}
both_databases!(a_collective_wage_case_is_recovered_and_every_worker_sees_it);

async fn a_case_goes_to_the_union_over_the_employer(app: &TestApp) {
    // 张伟 reports against a 江岸 workplace that has a union: it goes to
    // 江岸's district union, whatever district he names.
    let all: Page<WorkplaceUnion> = app
        .client()
        .get_as("/api/unions?limit=100")
        .await
        .expect(StatusCode::OK);
    let jiangan = all
        .items
        .iter()
        .find(|u| u.district == "江岸区")
        .expect("a 江岸 workplace");
    let employer = jiangan.name.trim_end_matches("工会").to_string();
    let zhang = app.signed_in(ZHANG_WEI).await;
    let made: CaseView = zhang
        .post_as(
            "/api/rights/cases",
            &CaseInput {
                employer_name: employer,
                workers: 1,
                kind: "overtime".into(),
                name: None,
                phone: None,
                id_number: None,
                ..wages(1)
            },
        )
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(made.union_name, "武汉市江岸区总工会");
    assert!(!made.collective);
    // A double tap with one Idempotency-Key: one case, the same answer.
    let body = CaseInput {
        kind: "work_injury".into(),
        name: None,
        phone: None,
        id_number: None,
        ..wages(1)
    };
    let send = || {
        zhang
            .raw(reqwest::Method::POST, "/api/rights/cases")
            .header("X-Requested-With", "unioncard")
            .header("Idempotency-Key", "rights-tap-1")
            .json(&body)
            .send()
    };
    let (a, b) = tokio::join!(send(), send());
    let a: CaseView = crate::support::Client::answer(a.unwrap()).await.parse();
    let b: CaseView = crate::support::Client::answer(b.unwrap()).await.parse();
    assert_eq!(a.id, b.id);
    let his: Page<CaseView> = zhang
        .get_as("/api/me/rights/cases")
        .await
        .expect(StatusCode::OK);
    assert_eq!(
        his.items.len(),
        2,
        "the routed case and one work-injury case"
    );
    // 武昌's officer does not see it; the city's does.
    let wuchang = app.signed_in(WUCHANG_OFFICER).await;
    assert_eq!(
        wuchang
            .get(&format!("/api/rights/cases/{}", made.id))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let city = app.signed_in(CITY_OFFICER).await;
    let seen: CaseView = city
        .get_as(&format!("/api/rights/cases/{}", made.id))
        .await
        .expect(StatusCode::OK);
    assert_eq!(seen.reporter.as_deref(), Some("张伟"));
    // Referred: the office and its phone are shown to 张伟.
    let referred: CaseView = city
        .post_as(
            &format!("/api/staff/rights/cases/{}/triage", made.id),
            &TriageInput {
                office: Some("江岸区劳动保障监察大队".into()),
                office_phone: Some("027-82812345".into()),
                ..triage("refer")
            },
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(referred.status, CaseStatus::Referred);
    let his: CaseView = zhang
        .get_as(&format!("/api/rights/cases/{}", made.id))
        .await
        .expect(StatusCode::OK);
    assert_eq!(his.referred_to.as_deref(), Some("江岸区劳动保障监察大队"));
    assert_eq!(his.referred_phone.as_deref(), Some("027-82812345"));
    // Another member cannot read it.
    let li = app.signed_in(LI_NA).await;
    assert_eq!(
        li.get(&format!("/api/rights/cases/{}", made.id))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}
both_databases!(a_case_goes_to_the_union_over_the_employer);

async fn bad_reports_are_refused_and_store_nothing(app: &TestApp) {
    let guest = app.client();
    let before = city_cases(app).await;
    let cases: Vec<(CaseInput, &str)> = vec![
        (
            CaseInput {
                employer_credit_code: Some("91420100MA4K00001X".into()),
                ..wages(3)
            },
            "employer_credit_code",
        ),
        (
            CaseInput {
                dispute_on: Some(day(1)),
                ..wages(3)
            },
            "dispute_on",
        ),
        (
            CaseInput {
                amount_fen: Some(MAX_FEN + 1),
                ..wages(3)
            },
            "amount_fen",
        ),
        (
            CaseInput {
                workers: 0,
                ..wages(3)
            },
            "workers",
        ),
        (
            CaseInput {
                district: Some("火星区".into()),
                ..wages(3)
            },
            "district",
        ),
        (
            CaseInput {
                id_number: Some("420102198503012001".into()),
                ..wages(3)
            },
            "id_number",
        ),
    ];
    for (body, field) in cases {
        let r = guest.post("/api/rights/cases", &body).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{field}");
        assert!(
            r.field(field).is_some(),
            "{field}: {:?}",
            r.parse::<ErrorBody>()
        );
    }
    let anonymous = guest
        .post(
            "/api/rights/cases",
            CaseInput {
                name: None,
                phone: None,
                id_number: None,
                ..wages(3)
            },
        )
        .await;
    assert_eq!(anonymous.code(), "identity_needed");
    assert_eq!(city_cases(app).await, before);
    // A published credit code is taken.
    let ok: CaseView = guest
        .post_as(
            "/api/rights/cases",
            &CaseInput {
                employer_credit_code: Some("91440300708461136t".into()),
                ..wages(3)
            },
        )
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(
        ok.employer_credit_code.as_deref(),
        Some("91440300708461136T")
    );
}
both_databases!(bad_reports_are_refused_and_store_nothing);

async fn a_case_reported_before_signing_in_becomes_the_members(app: &TestApp) {
    // 李娜 reports from a borrowed phone without signing in, with her own
    // mobile and ID number; signed in later, the case is hers to open.
    let made: CaseView = app
        .client()
        .post_as(
            "/api/rights/cases",
            &CaseInput {
                name: Some("李娜".into()),
                phone: Some(LI_NA.into()),
                id_number: Some("420106199207082342".into()),
                ..wages(1)
            },
        )
        .await
        .expect(StatusCode::CREATED);
    let li = app.signed_in(LI_NA).await;
    let mine: Page<CaseView> = li
        .get_as("/api/me/rights/cases")
        .await
        .expect(StatusCode::OK);
    assert_eq!(
        mine.items.iter().map(|c| c.id).collect::<Vec<_>>(),
        vec![made.id]
    );
    li.get_as::<CaseView>(&format!("/api/rights/cases/{}", made.id))
        .await
        .expect(StatusCode::OK);
    // Someone else's phone with her ID number does not put a case in her list.
    app.client()
        .post_as::<_, CaseView>(
            "/api/rights/cases",
            &CaseInput {
                name: Some("李娜".into()),
                phone: Some("13912349999".into()),
                id_number: Some("420106199207082342".into()),
                ..wages(1)
            },
        )
        .await
        .expect(StatusCode::CREATED);
    let again: Page<CaseView> = li
        .get_as("/api/me/rights/cases")
        .await
        .expect(StatusCode::OK);
    assert_eq!(again.items.len(), 1);
}
both_databases!(a_case_reported_before_signing_in_becomes_the_members);

async fn report(client: &Client, dispute_days_ago: i64, n: usize) -> CaseView {
    client
        .post_as(
            "/api/rights/cases",
            &CaseInput {
                dispute_on: Some(day(-dispute_days_ago)),
                phone: Some(format!("139123401{n:02}")),
                id_number: Some(id_number(50 + n)),
                ..wages(1)
            },
        )
        .await
        .expect(StatusCode::CREATED)
}

async fn the_desk_warns_thirty_days_before_the_arbitration_deadline(app: &TestApp) {
    let guest = app.client();
    // A year is 365 or 366 days: 340 days ago leaves 25 or 26.
    let close = report(&guest, 340, 1).await;
    let far = report(&guest, 300, 2).await;
    let wuchang = app.signed_in(WUCHANG_OFFICER).await;
    let warned: Page<CaseView> = wuchang
        .get_as("/api/staff/rights/cases?warn=true")
        .await
        .expect(StatusCode::OK);
    let ids: Vec<i64> = warned.items.iter().map(|c| c.id).collect();
    assert!(ids.contains(&close.id) && !ids.contains(&far.id), "{ids:?}");
    let d = warned.items[0].deadline.clone().expect("its deadline");
    assert!(d.warn && (25..=26).contains(&d.days_left), "{d:?}");
    let f: CaseView = wuchang
        .get_as(&format!("/api/rights/cases/{}", far.id))
        .await
        .expect(StatusCode::OK);
    let fd = f.deadline.expect("its deadline");
    assert!(!fd.warn && fd.days_left > 30);
    // The worker is not shown the desk's countdown.
    assert!(close.deadline.is_none());
    // Filing arbitration ends the warning.
    wuchang
        .post_as::<_, CaseView>(
            &format!("/api/staff/rights/cases/{}/triage", close.id),
            &triage("accept"),
        )
        .await
        .expect(StatusCode::OK);
    let filed: CaseView = wuchang
        .post_as(
            &format!("/api/staff/rights/cases/{}/steps", close.id),
            &step("arbitration_filed", "已向区仲裁院提交仲裁申请", None),
        )
        .await
        .expect(StatusCode::OK);
    assert!(!filed.deadline.expect("deadline").warn);
    let warned: Page<CaseView> = wuchang
        .get_as("/api/staff/rights/cases?warn=true")
        .await
        .expect(StatusCode::OK);
    assert!(warned.items.iter().all(|c| c.id != close.id));
    assert_eq!(
        wuchang
            .get("/api/staff/rights/cases?status=lost")
            .await
            .status,
        StatusCode::BAD_REQUEST
    );
}
both_databases!(the_desk_warns_thirty_days_before_the_arbitration_deadline);
