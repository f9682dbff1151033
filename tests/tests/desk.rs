//! The officers' desk at phone size and at desktop width: the figures,
//! sorted by activation rate with the weakest first, the CSV export, then a
//! claim from the queue decided; the home counts what waits.

use unioncard_e2e::Phone;

async fn officer_journey(width: u32, height: u32, tag: &str) -> anyhow::Result<()> {
    let desk = Phone::start_sized(width, height).await?;
    desk.sign_in("13700000001", "Demo@2026").await?;
    desk.wait_path("/me").await?;
    desk.open("/staff").await?;
    desk.wait_text("[data-test=desk-tiles]", "统计数据").await?;
    // The claims tile says how many wait.
    desk.find("[data-test=desk-tiles] a[href='/staff/aid'] .count")
        .await?;
    desk.screenshot(&format!("desk-home-{tag}")).await?;

    desk.click("[data-test=desk-tiles] a[href='/staff/figures']")
        .await?;
    desk.wait_text("[data-test=totals]", "%").await?;
    let issued = desk.wait_text("[data-test=issued]", "").await?;
    assert!(issued.trim().parse::<i64>()? > 100, "issued {issued}");
    desk.find("figure.chart svg rect").await?;
    let violations = desk.accessibility_violations().await?;
    assert!(violations.is_empty(), "figures: {violations:#?}");
    // Sort by activation rate, weakest first: the first row has the lowest rate.
    desk.set_value("#sort", "activation_rate").await?;
    desk.click("#weakest_first").await?;
    tokio::time::sleep(std::time::Duration::from_millis(800)).await;
    let rates: Vec<f64> = desk
        .client
        .execute(
            "return [...document.querySelectorAll('[data-test=breakdown] tbody tr td:nth-of-type(2)')].map(td => parseFloat(td.textContent));",
            vec![],
        )
        .await?
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .filter_map(|v| v.as_f64())
        .collect();
    assert_eq!(rates.len(), 13, "{rates:?}");
    assert!(
        rates.windows(2).all(|w| w[0] <= w[1]),
        "weakest first: {rates:?}"
    );
    desk.scroll_to("[data-test=breakdown]").await?;
    desk.screenshot(&format!("desk-figures-{tag}")).await?;
    // The export: the link downloads the same figures as CSV.
    let csv = desk
        .client
        .execute(
            "const a = document.querySelector('[data-test=csv]'); const r = await fetch(a.href); return [r.headers.get('content-type'), await r.text()];",
            vec![],
        )
        .await?;
    let kind = csv[0].as_str().unwrap_or_default();
    let text = csv[1].as_str().unwrap_or_default();
    assert!(kind.starts_with("text/csv"), "{kind}");
    assert!(text.contains("武汉市武昌区总工会"), "{text}");
    assert_eq!(text.trim_end().lines().count(), 15);

    // A claim from the queue, decided.
    desk.open("/staff/aid").await?;
    desk.wait_text("[data-test=claim-queue]", "¥").await?;
    desk.click("[data-test=claim-queue] [data-test=claim] a")
        .await?;
    desk.find("[data-test=review-status]").await?;
    desk.find("[data-test=approve]").await?;
    desk.screenshot(&format!("desk-claim-{tag}")).await?;
    desk.click("[data-test=approve]").await?;
    desk.wait_text("[data-test=review-status]", "已核准")
        .await?;
    // The decision is in the audit log.
    desk.open("/staff/audit").await?;
    desk.wait_text("[data-test=audit]", "aid.claim.approve")
        .await?;
    let violations = desk.accessibility_violations().await?;
    assert!(violations.is_empty(), "audit: {violations:#?}");
    desk.screenshot(&format!("desk-audit-{tag}")).await?;
    desk.close().await
}

#[tokio::test]
async fn an_officer_reads_the_figures_and_decides_a_claim_on_a_phone() -> anyhow::Result<()> {
    officer_journey(390, 844, "phone").await
}

#[tokio::test]
async fn an_officer_reads_the_figures_and_decides_a_claim_at_a_desk() -> anyhow::Result<()> {
    officer_journey(1280, 900, "desktop").await
}
