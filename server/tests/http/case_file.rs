//! What every case file shares, checked on both programmes at once: who
//! may see a case, and that each step an officer takes is on the timeline
//! and in the audit log in one shape (the status it left, the one it
//! reached, the note, the amount).

use reqwest::StatusCode;
use unioncard_api::audit::AuditEntry;
use unioncard_api::join::{Decision, Page};

use crate::both_databases;
use crate::fixtures::{approve, decision, hospital_stay as stay, li_na_cover, noodle_shop};
use crate::support::{Client, TestApp};

/// The audit entries of one case, oldest first.
async fn trail(officer: &Client, target: &str) -> Vec<AuditEntry> {
    let mut log = officer
        .get_as::<Page<AuditEntry>>(&format!("/api/staff/audit?target={target}"))
        .await
        .expect(StatusCode::OK)
        .items;
    log.reverse();
    log
}

/// `(before, after, note, amount)` of every step an officer took.
fn steps(log: &[AuditEntry]) -> Vec<(String, String, Option<String>, Option<i64>)> {
    log.iter()
        .filter_map(|e| {
            let before = e.before.as_ref()?["status"].as_str()?.to_string();
            let after = e.after.as_ref().expect("after");
            Some((
                before,
                after["status"].as_str().expect("status").to_string(),
                after["note"].as_str().map(str::to_string),
                after["amount_fen"].as_i64(),
            ))
        })
        .collect()
}

fn step(
    before: &str,
    after: &str,
    note: Option<&str>,
    amount: Option<i64>,
) -> (String, String, Option<String>, Option<i64>) {
    (
        before.into(),
        after.into(),
        note.map(str::to_string),
        amount,
    )
}

async fn a_claim_and_a_loan_leave_one_trail(app: &TestApp) {
    let li = app.signed_in("13800000002").await;
    let enrolment = li_na_cover(&li).await.id;
    let claim = li.file_claim(&stay(enrolment, 8_500)).await.into_body().id;
    let wuchang = app.signed_in("13700000002").await;
    wuchang
        .claim_step(claim, "review")
        .await
        .expect(StatusCode::OK);
    let approved = wuchang
        .decide_claim(
            claim,
            &Decision {
                amount_fen: Some(500_000),
                ..decision("approve", "按票据核减")
            },
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(approved.approved_fen, Some(500_000));
    wuchang
        .claim_step(claim, "paid")
        .await
        .expect(StatusCode::OK);

    let zhang = app.signed_in("13800000001").await;
    let loan = zhang
        .apply_for_loan(&noodle_shop(50_000))
        .await
        .into_body()
        .id;
    let city = app.signed_in("13700000001").await;
    city.decide_loan(loan, &decision("approve", "可行"))
        .await
        .expect(StatusCode::OK);
    city.decide_loan(loan, &approve())
        .await
        .expect(StatusCode::OK);
    city.decide_loan(loan, &approve())
        .await
        .expect(StatusCode::OK);

    // The claim: sent by 李娜, then each officer's step with what it left.
    assert_eq!(
        steps(&trail(&city, &format!("aid_claim:{claim}")).await),
        vec![
            step("submitted", "under_review", None, None),
            step(
                "under_review",
                "approved",
                Some("按票据核减"),
                Some(500_000)
            ),
            step("approved", "paid", None, Some(500_000)),
        ]
    );
    // The loan: the same shape; the guarantee and the payout carry the sum.
    assert_eq!(
        steps(&trail(&city, &format!("loan:{loan}")).await),
        vec![
            step("submitted", "union_approved", Some("可行"), None),
            step("union_approved", "guaranteed", None, Some(5_000_000)),
            step("guaranteed", "disbursed", None, Some(5_000_000)),
        ]
    );
    // The member's timeline shows the amount approved and paid.
    let seen = li.claim(claim).await.into_body();
    let amounts: Vec<Option<i64>> = seen.timeline.iter().map(|t| t.amount_fen).collect();
    assert_eq!(amounts, vec![None, None, Some(500_000), Some(500_000)]);
}
both_databases!(a_claim_and_a_loan_leave_one_trail);

async fn a_draft_is_its_members_alone_in_both_programmes(app: &TestApp) {
    let li = app.signed_in("13800000002").await;
    let enrolment = li_na_cover(&li).await.id;
    let claim = li
        .file_claim(&crate::fixtures::as_draft(stay(enrolment, 1_000)))
        .await
        .into_body()
        .id;
    let zhang = app.signed_in("13800000001").await;
    let loan = zhang
        .apply_for_loan(&crate::fixtures::as_draft(noodle_shop(10_000)))
        .await
        .into_body()
        .id;
    let city = app.signed_in("13700000001").await;
    // Officers over both members see neither draft; the other member neither.
    for (who, path) in [
        (&city, format!("/api/staff/aid/claims/{claim}")),
        (&city, format!("/api/loans/{loan}")),
        (&zhang, format!("/api/aid/claims/{claim}")),
        (&li, format!("/api/loans/{loan}")),
    ] {
        assert_eq!(who.get(&path).await.status, StatusCode::NOT_FOUND, "{path}");
    }
    assert_eq!(
        city.claim_step(claim, "review").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        city.decide_loan(loan, &approve()).await.status,
        StatusCode::NOT_FOUND
    );
    // Their own members do.
    assert_eq!(li.claim(claim).await.status, StatusCode::OK);
    assert_eq!(zhang.loan(loan).await.status, StatusCode::OK);
}
both_databases!(a_draft_is_its_members_alone_in_both_programmes);
