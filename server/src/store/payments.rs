//! The payments ledger's SQL: who a batch pays (a list, the households on
//! file, a retry of failed lines), batches and their lines, each step as a
//! conditional update from the state it leaves, the bank's answers line by
//! line, and the member's credits.

use std::collections::HashMap;

use sqlx::{AnyConnection, FromRow};
use unioncard_api::hardship::Category;
use unioncard_api::payments::{
    mask_card, reference, BankLine, BankShare, BatchStatus, BatchView, LineInput, LineStatus,
    MyPayment, PaymentLineView, Programme,
};

use crate::error::{AppError, AppResult};
use crate::time;

/// Someone a batch pays, as the line will record them.
#[derive(Clone, Debug, Default, FromRow)]
pub struct Payee {
    pub roster_id: i64,
    pub card_no: String,
    pub holder_name: String,
    pub amount_fen: i64,
    pub source: Option<String>,
    /// The 金秋助学 award it pays, which only one live line may pay.
    pub education_id: Option<i64>,
    /// The month of model-worker allowance it pays (`2026-12`), once per
    /// worker and month.
    pub allowance_month: Option<String>,
    /// The mutual-aid claim it pays, which only one live line may pay.
    pub aid_claim_id: Option<i64>,
}

/// How many rows one multi-row statement carries (9 parameters each, far
/// below either engine's limit).
const CHUNK: usize = 200;

fn placeholders(n: usize, from: usize) -> String {
    (0..n)
        .map(|i| format!("${}", from + i))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The members of a list, each with their card, if every one is a member
/// with a card in the unions matching `like`; `None` when one is not.
pub async fn list_payees(
    conn: &mut AnyConnection,
    like: &str,
    lines: &[LineInput],
) -> AppResult<Option<Vec<Payee>>> {
    #[derive(FromRow)]
    struct Found {
        user_id: i64,
        roster_id: i64,
        card_no: String,
        holder_name: String,
    }
    let mut found: HashMap<i64, Found> = HashMap::new();
    for chunk in lines.chunks(CHUNK) {
        let sql = format!(
            "SELECT a.id AS user_id, r.id AS roster_id, c.card_no, r.name AS holder_name
               FROM users a JOIN roster_entries r ON r.id = a.roster_id
               JOIN cards c ON c.roster_id = r.id JOIN unions u ON u.id = r.union_id
              WHERE a.role = 'member' AND u.path LIKE $1 AND a.id IN ({})",
            placeholders(chunk.len(), 2)
        );
        let mut q = sqlx::query_as::<_, Found>(&sql).bind(like);
        for l in chunk {
            q = q.bind(l.member_id);
        }
        for f in q.fetch_all(&mut *conn).await? {
            found.insert(f.user_id, f);
        }
    }
    Ok(lines
        .iter()
        .map(|l| {
            found.get(&l.member_id).map(|f| Payee {
                roster_id: f.roster_id,
                card_no: f.card_no.clone(),
                holder_name: f.holder_name.clone(),
                amount_fen: l.amount_fen,
                ..Default::default()
            })
        })
        .collect())
}

/// Every household on file today (a hardship file approved and valid) in
/// the unions matching `like`, with the amount its category gets; a
/// category at 0 is left out, and a member with two files (a renewal) is
/// paid once, by the newest.
pub async fn household_payees(
    conn: &mut AnyConnection,
    like: &str,
    today: &str,
    amount: impl Fn(Category) -> i64,
) -> AppResult<Vec<Payee>> {
    let rows: Vec<(i64, i64, String, String, String)> = sqlx::query_as(
        "SELECT f.id, r.id, c.card_no, r.name, f.category
           FROM hardship_files f JOIN roster_entries r ON r.id = f.roster_id
           JOIN cards c ON c.roster_id = r.id JOIN unions u ON u.id = f.union_id
          WHERE f.status = 'approved' AND f.valid_until >= $1 AND u.path LIKE $2
          ORDER BY f.id DESC",
    )
    .bind(today)
    .bind(like)
    .fetch_all(conn)
    .await?;
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for (file_id, roster_id, card_no, holder_name, category) in rows {
        let Some(category) = Category::from_db(&category) else {
            continue;
        };
        let fen = amount(category);
        if fen > 0 && seen.insert(roster_id) {
            out.push(Payee {
                roster_id,
                card_no,
                holder_name,
                amount_fen: fen,
                source: Some(format!("hardship_file:{file_id}")),
                ..Default::default()
            });
        }
    }
    out.sort_by_key(|p| p.roster_id);
    Ok(out)
}

/// The failed lines of a batch not paid again yet whose member's card can
/// take money now, with the card as it is today: (line, payee).
pub async fn retry_payees(conn: &mut AnyConnection, batch_id: i64) -> AppResult<Vec<(i64, Payee)>> {
    #[allow(clippy::type_complexity)]
    let rows: Vec<(
        i64,
        i64,
        String,
        String,
        i64,
        Option<String>,
        Option<i64>,
        Option<String>,
        Option<i64>,
    )> = sqlx::query_as(
        "SELECT l.id, r.id, c.card_no, r.name, l.amount_fen, l.source, l.education_id, l.allowance_month,
                l.aid_claim_id
           FROM payment_lines l JOIN roster_entries r ON r.id = l.roster_id
           JOIN cards c ON c.roster_id = r.id
          WHERE l.batch_id = $1 AND l.status = 'failed' AND l.retried_in IS NULL
            AND c.status IN ('issued', 'active')
            -- What a line pays once (a claim, an award, a month of allowance) is
            -- paid again only if nothing else pays it now, and a claim only
            -- while it is approved (not marked paid by hand meanwhile).
            AND (l.aid_claim_id IS NULL OR (
                 EXISTS (SELECT 1 FROM aid_claims a WHERE a.id = l.aid_claim_id AND a.status = 'approved')
                 AND NOT EXISTS (SELECT 1 FROM payment_lines x WHERE x.aid_claim_id = l.aid_claim_id
                                  AND x.status <> 'failed' AND x.status <> 'cancelled')))
            AND (l.education_id IS NULL OR NOT EXISTS (
                 SELECT 1 FROM payment_lines x WHERE x.education_id = l.education_id
                    AND x.status <> 'failed' AND x.status <> 'cancelled'))
            AND (l.allowance_month IS NULL OR NOT EXISTS (
                 SELECT 1 FROM payment_lines x WHERE x.roster_id = l.roster_id
                    AND x.allowance_month = l.allowance_month
                    AND x.status <> 'failed' AND x.status <> 'cancelled'))
          ORDER BY l.id",
    )
    .bind(batch_id)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(
                line,
                roster_id,
                card_no,
                holder_name,
                amount_fen,
                source,
                education_id,
                allowance_month,
                aid_claim_id,
            )| {
                (
                    line,
                    Payee {
                        roster_id,
                        card_no,
                        holder_name,
                        amount_fen,
                        source,
                        education_id,
                        allowance_month,
                        aid_claim_id,
                    },
                )
            },
        )
        .collect())
}

/// A batch as it is written.
pub struct NewBatch<'a> {
    pub union_id: i64,
    pub programme: Programme,
    pub title: &'a str,
    pub count: i64,
    pub total_fen: i64,
    pub retry_of: Option<i64>,
    pub by: i64,
    pub now: i64,
}

/// Writes a prepared batch and its lines (references numbered in order).
/// A unique violation means an award in it is paid by another batch.
pub async fn insert_batch(
    tx: &mut AnyConnection,
    b: &NewBatch<'_>,
    payees: &[Payee],
) -> Result<i64, sqlx::Error> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO payment_batches (union_id, programme, title, status, line_count, total_fen,
            retry_of, prepared_by, prepared_at)
         VALUES ($1, $2, $3, 'prepared', $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(b.union_id)
    .bind(b.programme.as_str())
    .bind(b.title)
    .bind(b.count)
    .bind(b.total_fen)
    .bind(b.retry_of)
    .bind(b.by)
    .bind(b.now)
    .fetch_one(&mut *tx)
    .await?;
    for (c, chunk) in payees.chunks(CHUNK).enumerate() {
        // `$1` is the batch; each row then takes nine parameters.
        let values = (0..chunk.len())
            .map(|i| {
                let p = i * 9 + 2;
                format!(
                    "($1, ${}, ${}, ${}, ${}, ${}, 'prepared', ${}, ${}, ${}, ${})",
                    p,
                    p + 1,
                    p + 2,
                    p + 3,
                    p + 4,
                    p + 5,
                    p + 6,
                    p + 7,
                    p + 8
                )
            })
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "INSERT INTO payment_lines (batch_id, roster_id, reference, card_no, holder_name, amount_fen, status, source, education_id, allowance_month, aid_claim_id)
             VALUES {values}"
        );
        let mut q = sqlx::query(&sql).bind(id);
        for (i, p) in chunk.iter().enumerate() {
            q = q
                .bind(p.roster_id)
                .bind(reference(id, c * CHUNK + i + 1))
                .bind(&p.card_no)
                .bind(&p.holder_name)
                .bind(p.amount_fen)
                .bind(p.source.clone())
                .bind(p.education_id)
                .bind(p.allowance_month.clone())
                .bind(p.aid_claim_id);
        }
        q.execute(&mut *tx).await?;
    }
    Ok(id)
}

/// A record paid once through the ledger, approved and waiting to be paid:
/// where it lives, its amount column, and the line column that pays it.
struct PaidOnce {
    table: &'static str,
    amount: &'static str,
    line_column: &'static str,
    /// The `source` a line keeps (`{source}:{id}`).
    source: &'static str,
}

/// The records of `k` approved in the unions matching `like`, with an
/// amount, that no live line pays yet: (record, payee).
async fn approved_unpaid(
    conn: &mut AnyConnection,
    like: &str,
    k: PaidOnce,
) -> AppResult<Vec<(i64, Payee)>> {
    let rows: Vec<(i64, i64, String, String, i64)> = sqlx::query_as(&format!(
        "SELECT a.id, r.id, c.card_no, r.name, a.{amount}
           FROM {table} a JOIN roster_entries r ON r.id = a.roster_id
           JOIN cards c ON c.roster_id = r.id JOIN unions u ON u.id = a.union_id
          WHERE a.status = 'approved' AND a.{amount} > 0 AND u.path LIKE $1
            AND NOT EXISTS (SELECT 1 FROM payment_lines l WHERE l.{line} = a.id
                             AND l.status <> 'failed' AND l.status <> 'cancelled')
          ORDER BY a.id",
        amount = k.amount,
        table = k.table,
        line = k.line_column,
    ))
    .bind(like)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, roster_id, card_no, holder_name, amount_fen)| {
            let payee = Payee {
                roster_id,
                card_no,
                holder_name,
                amount_fen,
                source: Some(format!("{}:{id}", k.source)),
                ..Default::default()
            };
            (id, payee)
        })
        .collect())
}

/// 金秋助学 awards approved in the unions matching `like` that no live
/// line pays yet.
pub async fn award_payees(conn: &mut AnyConnection, like: &str) -> AppResult<Vec<Payee>> {
    let k = PaidOnce {
        table: "education_applications",
        amount: "amount_fen",
        line_column: "education_id",
        source: "education_application",
    };
    Ok(approved_unpaid(conn, like, k)
        .await?
        .into_iter()
        .map(|(id, p)| Payee {
            education_id: Some(id),
            ..p
        })
        .collect())
}

/// Mutual-aid claims approved in the unions matching `like`, with an
/// amount, that no live line pays yet and no officer marked paid.
pub async fn claim_payees(conn: &mut AnyConnection, like: &str) -> AppResult<Vec<Payee>> {
    let k = PaidOnce {
        table: "aid_claims",
        amount: "approved_fen",
        line_column: "aid_claim_id",
        source: "aid_claim",
    };
    Ok(approved_unpaid(conn, like, k)
        .await?
        .into_iter()
        .map(|(id, p)| Payee {
            aid_claim_id: Some(id),
            ..p
        })
        .collect())
}

/// Takes the claims a new batch pays for this transaction, if every one is
/// still approved: `false` when one was marked paid meanwhile (or moved
/// on), so the batch is refused rather than paying it twice. The claim's
/// own `mark_paid` takes the same row first, so the two take turns.
pub async fn hold_claims(tx: &mut AnyConnection, ids: &[i64]) -> AppResult<bool> {
    let mut held = 0;
    for chunk in ids.chunks(CHUNK) {
        let done = sqlx::query(&format!(
            "UPDATE aid_claims SET id = id WHERE status = 'approved' AND id IN ({})",
            super::id_list(chunk)
        ))
        .execute(&mut *tx)
        .await?;
        held += done.rows_affected() as usize;
    }
    Ok(held == ids.len())
}

/// Points the member's lines not yet sent to the bank (prepared or
/// approved) at their replaced card's new number.
pub async fn follow_new_card(
    tx: &mut AnyConnection,
    roster_id: i64,
    card_no: &str,
) -> AppResult<()> {
    sqlx::query(
        "UPDATE payment_lines SET card_no = $1
          WHERE roster_id = $2 AND status IN ('prepared', 'approved')",
    )
    .bind(card_no)
    .bind(roster_id)
    .execute(tx)
    .await?;
    Ok(())
}

/// Whether a live line (prepared, approved, with the bank or credited)
/// pays this claim, so it is not marked paid by hand as well.
pub async fn claim_in_ledger(conn: &mut AnyConnection, claim_id: i64) -> AppResult<bool> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM payment_lines
          WHERE aid_claim_id = $1 AND status <> 'failed' AND status <> 'cancelled'",
    )
    .bind(claim_id)
    .fetch_one(conn)
    .await?;
    Ok(n > 0)
}

/// A list's members by the lookup hash of their ID numbers, with their
/// card and roster name, in the unions matching `like`: hash → payee
/// (amount 0, the caller's to set) and the name on the roster.
pub async fn roster_payees(
    conn: &mut AnyConnection,
    like: &str,
    hashes: &[String],
) -> AppResult<HashMap<String, Payee>> {
    let mut found = HashMap::new();
    for chunk in hashes.chunks(CHUNK) {
        let sql = format!(
            "SELECT r.id_hash, r.id, c.card_no, r.name
               FROM roster_entries r JOIN cards c ON c.roster_id = r.id
               JOIN unions u ON u.id = r.union_id
              WHERE u.path LIKE $1 AND r.id_hash IN ({})",
            placeholders(chunk.len(), 2)
        );
        let mut q = sqlx::query_as::<_, (String, i64, String, String)>(&sql).bind(like);
        for h in chunk {
            q = q.bind(h);
        }
        for (hash, roster_id, card_no, holder_name) in q.fetch_all(&mut *conn).await? {
            found.insert(
                hash,
                Payee {
                    roster_id,
                    card_no,
                    holder_name,
                    ..Default::default()
                },
            );
        }
    }
    Ok(found)
}

/// Marks failed lines as paid again by `batch_id`; how many were still
/// free (fewer than asked when another retry took some first).
pub async fn mark_retried(
    tx: &mut AnyConnection,
    lines: &[i64],
    batch_id: i64,
) -> AppResult<usize> {
    let mut changed = 0;
    for chunk in lines.chunks(CHUNK) {
        let sql = format!(
            "UPDATE payment_lines SET retried_in = $1
              WHERE status = 'failed' AND retried_in IS NULL AND id IN ({})",
            placeholders(chunk.len(), 2)
        );
        let mut q = sqlx::query(&sql).bind(batch_id);
        for id in chunk {
            q = q.bind(*id);
        }
        changed += q.execute(&mut *tx).await?.rows_affected() as usize;
    }
    Ok(changed)
}

/// A batch as read, with its union's path (for scope) and its figures.
#[derive(Debug, FromRow)]
pub struct BatchRow {
    pub id: i64,
    pub union_id: i64,
    pub union_name: String,
    pub path: String,
    pub programme: String,
    pub title: String,
    pub status: String,
    pub line_count: i64,
    pub total_fen: i64,
    pub retry_of: Option<i64>,
    pub prepared_by: i64,
    pub preparer: String,
    pub prepared_at: i64,
    pub approver: Option<String>,
    pub approved_at: Option<i64>,
    pub sent_at: Option<i64>,
    pub settled_at: Option<i64>,
    pub credited: i64,
    pub credited_fen: i64,
    pub failed: i64,
    pub flagged: i64,
}

const BATCH_SELECT: &str = "SELECT b.id, b.union_id, u.name AS union_name, u.path, b.programme, b.title, b.status,
        b.line_count, b.total_fen, b.retry_of, b.prepared_by, p.name AS preparer, b.prepared_at,
        a.name AS approver, b.approved_at, b.sent_at, b.settled_at,
        (SELECT COUNT(*) FROM payment_lines l WHERE l.batch_id = b.id AND l.status = 'credited') AS credited,
        (SELECT CAST(COALESCE(SUM(l.amount_fen), 0) AS BIGINT) FROM payment_lines l WHERE l.batch_id = b.id AND l.status = 'credited') AS credited_fen,
        (SELECT COUNT(*) FROM payment_lines l WHERE l.batch_id = b.id AND l.status = 'failed') AS failed,
        (SELECT COUNT(*) FROM payment_lines l JOIN cards c ON c.roster_id = l.roster_id
          WHERE l.batch_id = b.id AND l.status IN ('prepared', 'approved', 'sent')
            AND c.status IN ('frozen', 'lost')) AS flagged
   FROM payment_batches b JOIN unions u ON u.id = b.union_id
   JOIN users p ON p.id = b.prepared_by LEFT JOIN users a ON a.id = b.approved_by";

impl BatchRow {
    /// The desk's view, for officer `viewer`.
    pub fn view(self, viewer: i64) -> AppResult<BatchView> {
        let status = BatchStatus::from_db(&self.status)
            .ok_or_else(|| AppError::internal("unknown batch status"))?;
        Ok(BatchView {
            id: self.id,
            programme: Programme::from_db(&self.programme)
                .ok_or_else(|| AppError::internal("unknown programme"))?,
            title: self.title,
            union_id: self.union_id,
            union_name: self.union_name,
            status,
            count: self.line_count,
            total_fen: self.total_fen,
            credited: self.credited,
            credited_fen: self.credited_fen,
            failed: self.failed,
            flagged: self.flagged,
            prepared_by: self.preparer,
            prepared_at: time::rfc3339(self.prepared_at),
            approved_by: self.approver,
            approved_at: self.approved_at.map(time::rfc3339),
            sent_at: self.sent_at.map(time::rfc3339),
            settled_at: self.settled_at.map(time::rfc3339),
            retry_of: self.retry_of,
            you_may_approve: status == BatchStatus::Prepared && self.prepared_by != viewer,
            banks: Vec::new(),
        })
    }
}

/// A batch's lines by the bank of each member's card (a replaced card
/// keeps its bank), largest first.
pub async fn bank_shares(conn: &mut AnyConnection, batch_id: i64) -> AppResult<Vec<BankShare>> {
    let rows: Vec<(String, i64, i64)> = sqlx::query_as(
        "SELECT c.bank, COUNT(*), CAST(SUM(l.amount_fen) AS BIGINT)
           FROM payment_lines l JOIN cards c ON c.roster_id = l.roster_id
          WHERE l.batch_id = $1 AND l.status <> 'cancelled'
          GROUP BY c.bank ORDER BY COUNT(*) DESC, c.bank",
    )
    .bind(batch_id)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(bank, count, total_fen)| BankShare {
            bank,
            count,
            total_fen,
        })
        .collect())
}

/// One batch.
pub async fn batch(conn: &mut AnyConnection, id: i64) -> AppResult<Option<BatchRow>> {
    Ok(sqlx::query_as(&format!("{BATCH_SELECT} WHERE b.id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await?)
}

/// The batches of the unions matching `like`, newest first, `limit` after
/// the cursor (a batch id).
pub async fn batches(
    conn: &mut AnyConnection,
    like: &str,
    before: Option<i64>,
    limit: i64,
) -> AppResult<Vec<BatchRow>> {
    Ok(sqlx::query_as(&format!(
        "{BATCH_SELECT} WHERE u.path LIKE $1 AND b.id < $2 ORDER BY b.id DESC LIMIT $3"
    ))
    .bind(like)
    .bind(before.unwrap_or(i64::MAX))
    .bind(limit)
    .fetch_all(conn)
    .await?)
}

/// Which lines a page lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineFilter {
    All,
    Failed,
    Flagged,
}

/// A batch's lines in order, `limit` after the cursor (a line id).
pub async fn lines(
    conn: &mut AnyConnection,
    batch_id: i64,
    filter: LineFilter,
    after: i64,
    limit: i64,
) -> AppResult<Vec<PaymentLineView>> {
    let only = match filter {
        LineFilter::All => "",
        LineFilter::Failed => "AND l.status = 'failed'",
        LineFilter::Flagged => {
            "AND l.status IN ('prepared', 'approved', 'sent') AND c.status IN ('frozen', 'lost')"
        }
    };
    #[derive(FromRow)]
    struct Row {
        id: i64,
        reference: String,
        member_name: String,
        union_name: String,
        card_no: String,
        card_status: String,
        amount_fen: i64,
        status: String,
        reason: Option<String>,
    }
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "SELECT l.id, l.reference, l.holder_name AS member_name, u.name AS union_name, l.card_no,
                    COALESCE(c.status, 'lost') AS card_status, l.amount_fen, l.status, l.reason
               FROM payment_lines l JOIN roster_entries r ON r.id = l.roster_id
               JOIN unions u ON u.id = r.union_id LEFT JOIN cards c ON c.roster_id = l.roster_id
              WHERE l.batch_id = $1 AND l.id > $2 {only}
              ORDER BY l.id LIMIT $3"
    ))
    .bind(batch_id)
    .bind(after)
    .bind(limit)
    .fetch_all(conn)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(PaymentLineView {
                id: r.id,
                reference: r.reference,
                member_name: r.member_name,
                union_name: r.union_name,
                card_no_masked: mask_card(&r.card_no),
                card_flagged: matches!(r.card_status.as_str(), "frozen" | "lost"),
                amount_fen: r.amount_fen,
                status: LineStatus::from_db(&r.status)
                    .ok_or_else(|| AppError::internal("unknown line status"))?,
                reason: r.reason,
            })
        })
        .collect()
}

/// Approves a prepared batch holding `total_fen`, by someone other than
/// its preparer; false when any of that is no longer so.
pub async fn approve(
    tx: &mut AnyConnection,
    id: i64,
    total_fen: i64,
    by: i64,
    now: i64,
) -> AppResult<bool> {
    let done = sqlx::query(
        "UPDATE payment_batches SET status = 'approved', approved_by = $2, approved_at = $3
          WHERE id = $1 AND status = 'prepared' AND prepared_by <> $2 AND total_fen = $4",
    )
    .bind(id)
    .bind(by)
    .bind(now)
    .bind(total_fen)
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    if done {
        set_lines(tx, id, "prepared", "approved").await?;
    }
    Ok(done)
}

/// Withdraws a prepared batch; its lines are cancelled and the failed
/// lines it was paying again are free for another retry.
pub async fn cancel(tx: &mut AnyConnection, id: i64) -> AppResult<bool> {
    let done = sqlx::query(
        "UPDATE payment_batches SET status = 'cancelled' WHERE id = $1 AND status = 'prepared'",
    )
    .bind(id)
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    if done {
        set_lines(tx, id, "prepared", "cancelled").await?;
        sqlx::query("UPDATE payment_lines SET retried_in = NULL WHERE retried_in = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    Ok(done)
}

/// Records the payment file's first export: approved → sent. False when
/// the batch was not approved (exported already, or not yet approved).
pub async fn mark_sent(tx: &mut AnyConnection, id: i64, by: i64, now: i64) -> AppResult<bool> {
    let done = sqlx::query(
        "UPDATE payment_batches SET status = 'sent', sent_by = $2, sent_at = $3
          WHERE id = $1 AND status = 'approved'",
    )
    .bind(id)
    .bind(by)
    .bind(now)
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    if done {
        set_lines(tx, id, "approved", "sent").await?;
    }
    Ok(done)
}

async fn set_lines(tx: &mut AnyConnection, batch_id: i64, from: &str, to: &str) -> AppResult<()> {
    sqlx::query("UPDATE payment_lines SET status = $3 WHERE batch_id = $1 AND status = $2")
        .bind(batch_id)
        .bind(from)
        .bind(to)
        .execute(tx)
        .await?;
    Ok(())
}

/// A line as the bank knows it, with where it stands and whom it pays.
#[derive(Debug)]
pub struct SentLine {
    pub id: i64,
    pub roster_id: i64,
    /// The mutual-aid claim it pays, marked paid when it is credited.
    pub aid_claim_id: Option<i64>,
    /// The bank of the member's card, whose file carries it.
    pub card_bank: String,
    pub status: LineStatus,
    pub bank: BankLine,
}

/// The batch's lines as in its payment file (cancelled ones are not).
pub async fn bank_lines(conn: &mut AnyConnection, batch_id: i64) -> AppResult<Vec<SentLine>> {
    #[allow(clippy::type_complexity)]
    let rows: Vec<(
        i64,
        i64,
        String,
        String,
        String,
        i64,
        String,
        Option<i64>,
        String,
    )> = sqlx::query_as(
        "SELECT l.id, l.roster_id, l.status, l.card_no, l.holder_name, l.amount_fen, l.reference,
                    l.aid_claim_id, c.bank
               FROM payment_lines l JOIN cards c ON c.roster_id = l.roster_id
              WHERE l.batch_id = $1 AND l.status <> 'cancelled' ORDER BY l.id",
    )
    .bind(batch_id)
    .fetch_all(conn)
    .await?;
    rows.into_iter()
        .map(
            |(
                id,
                roster_id,
                status,
                account,
                name,
                amount_fen,
                reference,
                aid_claim_id,
                card_bank,
            )| {
                Ok(SentLine {
                    id,
                    roster_id,
                    aid_claim_id,
                    card_bank,
                    status: LineStatus::from_db(&status)
                        .ok_or_else(|| AppError::internal("unknown line status"))?,
                    bank: BankLine {
                        account,
                        name,
                        amount_fen,
                        reference,
                    },
                })
            },
        )
        .collect()
}

/// Records the bank's answer for one line still with the bank; false when
/// it was answered already (the same file imported twice, or at once).
pub async fn answer_line(
    tx: &mut AnyConnection,
    line_id: i64,
    reason: Option<&str>,
    now: i64,
) -> AppResult<bool> {
    let (status, credited_at) = match reason {
        None => ("credited", Some(now)),
        Some(_) => ("failed", None),
    };
    Ok(sqlx::query(
        "UPDATE payment_lines SET status = $2, reason = $3, credited_at = $4, answered_at = $5
          WHERE id = $1 AND status = 'sent'",
    )
    .bind(line_id)
    .bind(status)
    .bind(reason)
    .bind(credited_at)
    .bind(now)
    .execute(tx)
    .await?
    .rows_affected()
        == 1)
}

/// Settles a sent batch once no line is left with the bank.
pub async fn settle_if_answered(tx: &mut AnyConnection, id: i64, now: i64) -> AppResult<()> {
    sqlx::query(
        "UPDATE payment_batches SET status = 'settled', settled_at = $2
          WHERE id = $1 AND status = 'sent'
            AND NOT EXISTS (SELECT 1 FROM payment_lines WHERE batch_id = $1 AND status = 'sent')",
    )
    .bind(id)
    .bind(now)
    .execute(tx)
    .await?;
    Ok(())
}

/// The most credits a member's page lists (a year of monthly allowances
/// and every campaign, many times over).
const MINE_LIMIT: i64 = 200;

/// The member's payments past approval, newest first, and what was
/// credited since `year_start`.
pub async fn mine(
    conn: &mut AnyConnection,
    roster_id: i64,
    year_start: i64,
) -> AppResult<(Vec<MyPayment>, i64)> {
    #[derive(FromRow)]
    struct Row {
        programme: String,
        title: String,
        amount_fen: i64,
        status: String,
        reason: Option<String>,
        credited_at: Option<i64>,
        at: Option<i64>,
    }
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT b.programme, b.title, l.amount_fen, l.status, l.reason, l.credited_at,
                    COALESCE(l.answered_at, b.sent_at, b.approved_at) AS at
               FROM payment_lines l JOIN payment_batches b ON b.id = l.batch_id
              WHERE l.roster_id = $1 AND l.status IN ('approved', 'sent', 'credited', 'failed')
              ORDER BY l.id DESC LIMIT $2",
    )
    .bind(roster_id)
    .bind(MINE_LIMIT)
    .fetch_all(&mut *conn)
    .await?;
    let total: i64 = sqlx::query_scalar(
        "SELECT CAST(COALESCE(SUM(amount_fen), 0) AS BIGINT) FROM payment_lines
          WHERE roster_id = $1 AND status = 'credited' AND credited_at >= $2",
    )
    .bind(roster_id)
    .bind(year_start)
    .fetch_one(conn)
    .await?;
    let items = rows
        .into_iter()
        .map(|r: Row| {
            Ok(MyPayment {
                at: time::rfc3339(r.credited_at.or(r.at).unwrap_or_default()),
                programme: Programme::from_db(&r.programme)
                    .ok_or_else(|| AppError::internal("unknown programme"))?,
                title: r.title,
                amount_fen: r.amount_fen,
                status: LineStatus::from_db(&r.status)
                    .ok_or_else(|| AppError::internal("unknown line status"))?,
                reason: r.reason,
            })
        })
        .collect::<AppResult<Vec<_>>>()?;
    Ok((items, total))
}
