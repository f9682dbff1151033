//! The ledger's one way of writing a batch, shared by the officers'
//! `POST /api/staff/payments/batches` and the monthly allowance task: the
//! checks on what was picked, the batch and its lines, the failed lines it
//! pays again marked (once), and the audit entry, in the caller's
//! transaction.
//!
//! The monthly task ([`prepare_month_allowances`]) prepares each union's
//! model-worker allowances for the month from its standing rates, in the
//! name of the officer who set them (so that officer cannot approve it:
//! four eyes hold for standing orders too); once per union and month
//! however many servers run it (each line's month is a unique key).

use serde_json::json;
use unioncard_api::allowances::{batch_title, month_of};
use unioncard_api::audit::AuditAction;
use unioncard_api::payments::{total_fen, BatchCreated, BatchStatus, PaymentRefusal, Programme};

use crate::audit::{self, Entry};
use crate::error::AppResult;
use crate::store::payments::{self as store, NewBatch, Payee};
use crate::store::{self as db, is_unique_violation, Db};
use crate::time;

/// What a batch is, before it is written.
pub struct Plan<'a> {
    pub union_id: i64,
    pub programme: Programme,
    pub title: &'a str,
    pub payees: Vec<Payee>,
    /// Failed lines it pays again (each must still be free).
    pub retried: Vec<i64>,
    pub retry_of: Option<i64>,
    /// Who prepares it (the officer, or the standing order's author).
    pub by: i64,
    /// Whether a person asked for it now (the audit's actor) or the
    /// monthly task did.
    pub by_task: bool,
    /// How it was picked, for the audit log.
    pub rule: serde_json::Value,
}

/// Writes a prepared batch; refuses an empty or oversized one, an award or
/// allowance another live batch pays (409 `in_another_batch`), and a retry
/// another retry took first.
pub async fn write_batch(tx: &mut db::Conn, p: Plan<'_>, now: i64) -> AppResult<BatchCreated> {
    if p.payees.is_empty() {
        return Err(PaymentRefusal::NoLines.into());
    }
    if p.payees.len() > unioncard_api::payments::MAX_LINES {
        return Err(PaymentRefusal::TooManyLines.into());
    }
    let total = total_fen(p.payees.iter().map(|x| x.amount_fen));
    let count = p.payees.len() as i64;
    let id = match store::insert_batch(
        tx,
        &NewBatch {
            union_id: p.union_id,
            programme: p.programme,
            title: p.title,
            count,
            total_fen: total,
            retry_of: p.retry_of,
            by: p.by,
            now,
        },
        &p.payees,
    )
    .await
    {
        Ok(id) => id,
        Err(e) if is_unique_violation(&e) => return Err(PaymentRefusal::PaidElsewhere.into()),
        Err(e) => return Err(e.into()),
    };
    // Another retry of the same failures may have taken some first: then
    // this one would pay them twice.
    if store::mark_retried(tx, &p.retried, id).await? != p.retried.len() {
        return Err(PaymentRefusal::WrongStatus.into());
    }
    audit::record(
        tx,
        Entry {
            actor: (!p.by_task).then_some(p.by),
            union_id: Some(p.union_id),
            action: AuditAction::PaymentPrepare,
            target: format!("payment_batch:{id}"),
            before: None,
            after: Some(json!({
                "programme": p.programme,
                "title": p.title,
                "count": count,
                "total_fen": total,
                "rule": p.rule,
                "standing_order_of": p.by_task.then_some(p.by),
            })),
        },
    )
    .await?;
    Ok(BatchCreated {
        id,
        status: BatchStatus::Prepared,
        total_fen: total,
        count,
    })
}

/// Prepares this month's allowance batch for every union with standing
/// rates that has someone left to pay; how many batches were prepared.
pub async fn prepare_month_allowances(db: &Db, now: i64) -> AppResult<usize> {
    let month = month_of(time::today());
    let title = batch_title(&month);
    let orders = db::allowances::standing_orders(&mut *db.reader().await?).await?;
    let mut prepared = 0;
    for (union_id, set_by, path) in orders {
        let like = format!("{path}%");
        // Most runs find the month prepared: ask a reader first, so the
        // task does not hold SQLite's one writer every few minutes for
        // nothing.
        if db::allowances::payees(&mut *db.reader().await?, &like, &month)
            .await?
            .is_empty()
        {
            continue;
        }
        let mut tx = db.begin().await?;
        let payees = db::allowances::payees(&mut tx, &like, &month).await?;
        if payees.is_empty() {
            continue;
        }
        let plan = Plan {
            union_id,
            programme: Programme::Allowance,
            title: &title,
            payees,
            retried: Vec::new(),
            retry_of: None,
            by: set_by,
            by_task: true,
            rule: json!({"kind": "allowances", "month": month}),
        };
        match write_batch(&mut tx, plan, now).await {
            Ok(_) => {
                tx.commit().await?;
                prepared += 1;
            }
            // Another server prepared it first: nothing to do.
            Err(e) if e.code() == "in_another_batch" => {}
            Err(e) => return Err(e),
        }
    }
    Ok(prepared)
}
