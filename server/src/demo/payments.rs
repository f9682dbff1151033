//! The demo ledger: the city's National Day relief (送温暖) for every
//! household on file, prepared by 周建国, approved by 孙丽, sent to the bank
//! and answered with a few cards the bank refused (their members told; a
//! card the bank calls lost is lost here too, for the desk to replace);
//! and 武昌区's summer heat relief (送清凉) to a list of front-line workers
//! that includes 李娜, credited, so her 到账记录 and inbox show it.

use unioncard_api::allowances::{batch_title, month_of};
use unioncard_api::hardship::Category;
use unioncard_api::identity::Date;
use unioncard_api::inbox::Letter;
use unioncard_api::payments::{total_fen, LineInput, Programme};
use unioncard_api::Lang;

use super::failed;
use crate::crypto::Crypto;
use crate::store::payments::{self as ledger, NewBatch, Payee};
use crate::store::{allowances, cards, inbox, seed, unions, Conn};
use crate::time;

/// The bank's words for the lines it refused, in turn.
const REFUSALS: [&str; 3] = ["卡已挂失", "户名与卡号不符", "卡片已销户"];

/// Inserts both batches.
pub async fn insert(
    tx: &mut Conn,
    crypto: &Crypto,
    city: i64,
    wuchang: i64,
    now: i64,
) -> anyhow::Result<()> {
    let preparer = officer(tx, &crypto.lookup_hash("phone", "13700000001")).await?;
    let approver = officer(tx, &crypto.lookup_hash("phone", "13700000003")).await?;
    let city_path = path(tx, city).await?;
    let today = time::today().iso();
    let households = ledger::household_payees(tx, &format!("{city_path}%"), &today, |c| match c {
        Category::Deep => 100_000,
        Category::Accident => 80_000,
        Category::Relative => 60_000,
    })
    .await
    .map_err(failed("relief households"))?;
    let sent_at = now - 60 * 86_400;
    batch(
        tx,
        BatchPlan {
            union_id: city,
            programme: Programme::Relief,
            title: "2026年国庆节送温暖",
            payees: households,
            preparer,
            approver,
            at: sent_at,
            refuse_every: 9,
        },
    )
    .await?;

    // The first 金秋助学 awards, all credited.
    let awards = ledger::award_payees(tx, &format!("{city_path}%"))
        .await
        .map_err(failed("awards"))?;
    batch(
        tx,
        BatchPlan {
            union_id: city,
            programme: Programme::Education,
            title: "2026年金秋助学（第一批）",
            payees: awards,
            preparer,
            approver,
            at: now - 75 * 86_400,
            refuse_every: 0,
        },
    )
    .await?;

    // Model workers: last month's allowances paid, this month's prepared
    // from the standing order (in 周建国's name) for 孙丽 to approve.
    let today = time::today();
    let (y, m) = (today.year, today.month);
    let last = match m {
        1 => Date::new(y - 1, 12, 1),
        m => Date::new(y, m - 1, 1),
    }
    .ok_or_else(|| anyhow::anyhow!("last month"))?;
    let last_month = month_of(last);
    let paid = allowances::payees(tx, &format!("{city_path}%"), &last_month)
        .await
        .map_err(failed("allowances"))?;
    batch(
        tx,
        BatchPlan {
            union_id: city,
            programme: Programme::Allowance,
            title: &batch_title(&last_month),
            payees: paid,
            preparer,
            approver,
            at: now - 20 * 86_400,
            refuse_every: 0,
        },
    )
    .await?;
    let month = month_of(today);
    let due = allowances::payees(tx, &format!("{city_path}%"), &month)
        .await
        .map_err(failed("allowances"))?;
    if !due.is_empty() {
        crate::ledger::write_batch(
            tx,
            crate::ledger::Plan {
                union_id: city,
                programme: Programme::Allowance,
                title: &batch_title(&month),
                payees: due,
                retried: Vec::new(),
                retry_of: None,
                by: preparer,
                by_task: true,
                rule: serde_json::json!({"kind": "allowances", "month": month}),
            },
            now,
        )
        .await
        .map_err(failed("this month's allowances"))?;
    }

    // 送清凉 to front-line workers of 武昌区: 李娜 and others of her union.
    let li_na = seed::roster_place(tx, &crypto.lookup_hash("id", "420106199207082342")).await?;
    let wc_officer = officer(tx, &crypto.lookup_hash("phone", "13700000002")).await?;
    let li_na_account: i64 = sqlx::query_scalar("SELECT id FROM users WHERE roster_id = $1")
        .bind(li_na.id)
        .fetch_one(&mut *tx)
        .await?;
    let others: Vec<i64> = sqlx::query_scalar(
        "SELECT a.id FROM users a JOIN roster_entries r ON r.id = a.roster_id
          WHERE a.role = 'member' AND r.union_id = $1 AND a.id <> $2 ORDER BY a.id LIMIT 11",
    )
    .bind(li_na.union_id)
    .bind(li_na_account)
    .fetch_all(&mut *tx)
    .await?;
    let list: Vec<LineInput> = std::iter::once(li_na_account)
        .chain(others)
        .map(|member_id| LineInput {
            member_id,
            amount_fen: 30_000,
        })
        .collect();
    let wc_path = path(tx, wuchang).await?;
    let payees = ledger::list_payees(tx, &format!("{wc_path}%"), &list)
        .await
        .map_err(failed("heat relief list"))?
        .ok_or_else(|| anyhow::anyhow!("a heat-relief member has no card"))?;
    // The district's two officers: its own prepares, the city's checks.
    batch(
        tx,
        BatchPlan {
            union_id: wuchang,
            programme: Programme::Relief,
            title: "2026年夏季送清凉慰问",
            payees,
            preparer: wc_officer,
            approver: preparer,
            at: now - 140 * 86_400,
            refuse_every: 0,
        },
    )
    .await
}

struct BatchPlan<'a> {
    union_id: i64,
    programme: Programme,
    title: &'a str,
    payees: Vec<Payee>,
    preparer: i64,
    approver: i64,
    at: i64,
    /// Every n-th line refused by the bank (0: none).
    refuse_every: usize,
}

/// Prepares, approves, sends and settles one batch, telling each member
/// (told long ago: the demo's messages are read). Nothing when a small
/// test city has no one to pay.
async fn batch(tx: &mut Conn, p: BatchPlan<'_>) -> anyhow::Result<()> {
    if p.payees.is_empty() {
        return Ok(());
    }
    let total = total_fen(p.payees.iter().map(|x| x.amount_fen));
    let id = ledger::insert_batch(
        tx,
        &NewBatch {
            union_id: p.union_id,
            programme: p.programme,
            title: p.title,
            count: p.payees.len() as i64,
            total_fen: total,
            retry_of: None,
            by: p.preparer,
            now: p.at - 2 * 86_400,
        },
        &p.payees,
    )
    .await?;
    anyhow::ensure!(
        ledger::approve(tx, id, total, p.approver, p.at - 86_400)
            .await
            .map_err(failed("approve"))?,
        "{}: not approved",
        p.title
    );
    anyhow::ensure!(
        ledger::mark_sent(tx, id, p.approver, p.at)
            .await
            .map_err(failed("send"))?,
        "{}: not sent",
        p.title
    );
    let answered = p.at + 86_400;
    let lines = ledger::bank_lines(tx, id).await.map_err(failed("lines"))?;
    for (i, line) in lines.iter().enumerate() {
        let reason = (p.refuse_every > 0 && i % p.refuse_every == p.refuse_every - 1)
            .then(|| REFUSALS[(i / p.refuse_every) % REFUSALS.len()]);
        ledger::answer_line(tx, line.id, reason, answered)
            .await
            .map_err(failed("answer"))?;
        // The bank said the card was reported lost: so it is, and the desk
        // can replace it (补卡) and pay the line again.
        if reason == Some(REFUSALS[0]) {
            cards::lost_by_roster(tx, line.roster_id)
                .await
                .map_err(failed("lost card"))?;
        }
        let letter = Letter::payment(
            (p.programme.label(Lang::Zh), p.programme.label(Lang::En)),
            p.title,
            line.bank.amount_fen,
            reason,
        );
        inbox::send_to_member(tx, line.roster_id, p.approver, &letter, answered)
            .await
            .map_err(failed("payment message"))?;
    }
    ledger::settle_if_answered(tx, id, answered)
        .await
        .map_err(failed("settle"))?;
    sqlx::query("UPDATE messages SET read_at = $1 WHERE kind = 'payment' AND read_at IS NULL")
        .bind(answered + 3600)
        .execute(&mut *tx)
        .await?;
    Ok(())
}

async fn officer(tx: &mut Conn, phone_hash: &str) -> anyhow::Result<i64> {
    Ok(
        sqlx::query_scalar("SELECT id FROM users WHERE phone_hash = $1")
            .bind(phone_hash)
            .fetch_one(tx)
            .await?,
    )
}

async fn path(tx: &mut Conn, union_id: i64) -> anyhow::Result<String> {
    Ok(unions::place(tx, union_id)
        .await
        .map_err(failed("union"))?
        .ok_or_else(|| anyhow::anyhow!("union {union_id}"))?
        .path)
}
