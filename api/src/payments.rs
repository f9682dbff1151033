//! Union money paid onto members' cards: one ledger of payment lines, grouped
//! in batches that one officer prepares and a second approves (four eyes),
//! sent to the card's bank as a payment file (代发) and settled by the file
//! the bank returns, line by line.
//!
//! The bank's file format lives here and only here ([`bank_file`],
//! [`read_bank_result`]): the payment file has a header row and the columns
//! [`BANK_COLUMNS`]; the bank returns the same rows with one more column,
//! `result`, holding `success` or its reason for refusing the line.
//! Amounts are fen everywhere except inside the bank's file, which speaks
//! yuan with two decimals (`500.00`), as banks' 代发 files do.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use crate::error::{Refusal, Refused};
use crate::money;
use crate::roster::split_csv_line;
use crate::stats::csv_field;
use crate::Lang;

/// What a payment is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Programme {
    /// 日常困难帮扶: money for a household on file.
    Hardship,
    /// 送温暖慰问: holiday relief (New Year, Spring Festival).
    Relief,
    /// 金秋助学: a member's child starting college.
    Education,
    /// 劳模津补贴: a model worker's monthly allowance.
    Allowance,
    /// 医疗互助金: an approved mutual-aid claim.
    AidClaim,
}

impl Programme {
    /// Every programme.
    pub const ALL: [Programme; 5] = [
        Programme::Hardship,
        Programme::Relief,
        Programme::Education,
        Programme::Allowance,
        Programme::AidClaim,
    ];

    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Programme::Hardship => "hardship",
            Programme::Relief => "relief",
            Programme::Education => "education",
            Programme::Allowance => "allowance",
            Programme::AidClaim => "aid_claim",
        }
    }

    /// Parses the stored name.
    pub fn from_db(s: &str) -> Option<Programme> {
        Programme::ALL.into_iter().find(|p| p.as_str() == s)
    }

    /// Its name as members know it.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Programme::Hardship => lang.pick("困难帮扶", "Hardship aid"),
            Programme::Relief => lang.pick("送温暖慰问", "Holiday relief"),
            Programme::Education => lang.pick("金秋助学", "Autumn education aid"),
            Programme::Allowance => lang.pick("劳模津补贴", "Model-worker allowance"),
            Programme::AidClaim => lang.pick("医疗互助金", "Mutual medical aid"),
        }
    }
}

/// Where a batch stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum BatchStatus {
    /// Prepared, waiting for a second officer.
    Prepared,
    /// Approved; the payment file can be taken to the bank.
    Approved,
    /// The payment file was exported; waiting for the bank's answer.
    Sent,
    /// The bank answered every line.
    Settled,
    /// Withdrawn before approval; nothing was paid.
    Cancelled,
}

impl BatchStatus {
    /// Every status.
    pub const ALL: [BatchStatus; 5] = [
        BatchStatus::Prepared,
        BatchStatus::Approved,
        BatchStatus::Sent,
        BatchStatus::Settled,
        BatchStatus::Cancelled,
    ];

    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            BatchStatus::Prepared => "prepared",
            BatchStatus::Approved => "approved",
            BatchStatus::Sent => "sent",
            BatchStatus::Settled => "settled",
            BatchStatus::Cancelled => "cancelled",
        }
    }

    /// Parses the stored name.
    pub fn from_db(s: &str) -> Option<BatchStatus> {
        BatchStatus::ALL.into_iter().find(|p| p.as_str() == s)
    }

    /// Its name on the desk.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            BatchStatus::Prepared => lang.pick("待复核", "Awaiting approval"),
            BatchStatus::Approved => lang.pick("已复核，待报送银行", "Approved, not sent"),
            BatchStatus::Sent => lang.pick("已报送银行", "Sent to the bank"),
            BatchStatus::Settled => lang.pick("银行已回盘", "Settled by the bank"),
            BatchStatus::Cancelled => lang.pick("已撤销", "Cancelled"),
        }
    }
}

/// Where one payment stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum LineStatus {
    /// In a batch waiting for approval.
    Prepared,
    /// Approved, not yet sent to the bank.
    Approved,
    /// With the bank.
    Sent,
    /// On the card.
    Credited,
    /// The bank refused it (its reason kept); may be paid again in a retry batch.
    Failed,
    /// Its batch was withdrawn.
    Cancelled,
}

impl LineStatus {
    /// Every status.
    pub const ALL: [LineStatus; 6] = [
        LineStatus::Prepared,
        LineStatus::Approved,
        LineStatus::Sent,
        LineStatus::Credited,
        LineStatus::Failed,
        LineStatus::Cancelled,
    ];

    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            LineStatus::Prepared => "prepared",
            LineStatus::Approved => "approved",
            LineStatus::Sent => "sent",
            LineStatus::Credited => "credited",
            LineStatus::Failed => "failed",
            LineStatus::Cancelled => "cancelled",
        }
    }

    /// Parses the stored name.
    pub fn from_db(s: &str) -> Option<LineStatus> {
        LineStatus::ALL.into_iter().find(|p| p.as_str() == s)
    }

    /// Its name, for the member and the desk.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            LineStatus::Prepared => lang.pick("待复核", "Awaiting approval"),
            LineStatus::Approved | LineStatus::Sent => lang.pick("发放中", "On its way"),
            LineStatus::Credited => lang.pick("已到账", "Credited"),
            LineStatus::Failed => lang.pick("未到账", "Not credited"),
            LineStatus::Cancelled => lang.pick("已撤销", "Cancelled"),
        }
    }
}

/// The most one payment line may carry: ¥50,000.00.
pub const MAX_LINE_FEN: i64 = 5_000_000;
/// The most lines one batch may hold (a district's New Year relief is about
/// 1,300; a city's about 7,000 across its districts' batches).
pub const MAX_LINES: usize = 5_000;
/// The longest batch title, in characters.
pub const TITLE_CHARS: usize = 60;

/// One payment of a batch given as a list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LineInput {
    /// The member's account (`id` of `GET /api/me`).
    pub member_id: i64,
    /// The amount, in fen.
    pub amount_fen: i64,
}

/// One row of a list by ID number.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IdLine {
    /// The member's ID number (身份证号).
    pub id_number: String,
    /// The name on the list; when given it must be the roster's, which
    /// catches a mistyped number before money goes to the wrong person.
    #[serde(default)]
    pub name: Option<String>,
    /// The amount, in fen.
    pub amount_fen: i64,
}

impl BatchRule {
    /// The programme a rule pays under when it decides it: awards are
    /// 金秋助学, allowances are allowances, claims are medical aid.
    pub fn programme(&self) -> Option<Programme> {
        match self {
            BatchRule::EducationAwards => Some(Programme::Education),
            BatchRule::Allowances { .. } => Some(Programme::Allowance),
            BatchRule::AidClaims => Some(Programme::AidClaim),
            _ => None,
        }
    }
}

/// Reads a list pasted from a spreadsheet or a CSV file: one member a row,
/// cells split by commas or tabs, either `ID number, amount` or
/// `name, ID number, amount` (amounts in yuan, e.g. `500` or `500.00`). A
/// first row whose amount is not a number is a header and skipped. Every
/// row is checked (the ID number's check character, the amount's bounds,
/// no one twice); the first bad row is named.
pub fn read_id_list(text: &str) -> Result<Vec<IdLine>, PaymentRefusal> {
    let mut lines = Vec::new();
    let mut seen = HashSet::new();
    for (i, raw) in text.lines().enumerate() {
        let row = i + 1;
        let cells: Vec<&str> = raw
            .split([',', '\t', '，'])
            .map(|c| c.trim().trim_matches('"').trim())
            .collect();
        if cells.iter().all(|c| c.is_empty()) {
            continue;
        }
        let (name, id, amount) = match cells.as_slice() {
            [id, amount] => (None, *id, *amount),
            [name, id, amount] => (Some(*name), *id, *amount),
            _ => return Err(PaymentRefusal::ListRow { row }),
        };
        let Some(amount_fen) = money::parse_yuan(amount) else {
            if lines.is_empty() && row == 1 {
                continue;
            }
            return Err(PaymentRefusal::ListRow { row });
        };
        let Ok(id) = crate::identity::IdNumber::parse(id) else {
            return Err(PaymentRefusal::ListRow { row });
        };
        if !(1..=MAX_LINE_FEN).contains(&amount_fen) {
            return Err(PaymentRefusal::ListRow { row });
        }
        if !seen.insert(id.expose().to_string()) {
            return Err(PaymentRefusal::ListTwice { row });
        }
        lines.push(IdLine {
            id_number: id.expose().to_string(),
            name: name.filter(|n| !n.is_empty()).map(str::to_string),
            amount_fen,
        });
        if lines.len() > MAX_LINES {
            return Err(PaymentRefusal::TooManyLines);
        }
    }
    if lines.is_empty() {
        return Err(PaymentRefusal::NoLines);
    }
    Ok(lines)
}

/// How a batch picks its lines when not given as a list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum BatchRule {
    /// A campaign: every household on file (a hardship file valid today) in
    /// the batch's union and below, with an amount per category; a category
    /// with 0 is left out.
    Households {
        /// For 深度困难 households.
        deep_fen: i64,
        /// For 相对困难 households.
        relative_fen: i64,
        /// For 意外致困 households.
        accident_fen: i64,
    },
    /// A month's model-worker allowances: every worker on the register in
    /// the batch's union and below, at the nearest standing rates, not yet
    /// paid for that month.
    Allowances {
        /// `YYYY-MM`.
        month: String,
    },
    /// 金秋助学: every award approved in the batch's union and below and
    /// not paid yet (nor in another batch), each for its amount.
    EducationAwards,
    /// 医疗互助金: every mutual-aid claim approved in the batch's union and
    /// below and not paid yet (nor in another batch), each for its approved
    /// amount; a credit marks the claim paid.
    AidClaims,
    /// A list by ID number: the members the union names (those visited at
    /// New Year, a group such as migrant workers), each for the amount
    /// beside them; every one must be in the batch's union or below and
    /// hold a card. Members need no account in the app to be paid.
    IdList {
        /// The members and amounts, in the order of the list.
        lines: Vec<IdLine>,
    },
    /// The failed lines of an earlier batch whose members' cards can take
    /// money again (replaced, or unfrozen), each for its amount.
    Retry {
        /// The earlier batch.
        batch_id: i64,
    },
}

/// `POST /api/staff/payments/batches`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BatchInput {
    /// What the money is for.
    pub programme: Programme,
    /// A title the officers and the member see, e.g. `2027年春节送温暖`.
    pub title: String,
    /// The union paying (the officer's own when absent); the members paid
    /// must be in it or below it.
    #[serde(default)]
    pub union_id: Option<i64>,
    /// The payments, when given as a list.
    #[serde(default)]
    pub lines: Vec<LineInput>,
    /// Or the rule that picks them.
    #[serde(default)]
    pub rule: Option<BatchRule>,
}

/// What a checked [`BatchInput`] asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BatchSource {
    /// These members, these amounts.
    List(Vec<LineInput>),
    /// The rule picks them.
    Rule(BatchRule),
}

impl BatchInput {
    /// Checks what can be checked without the ledger: a title, a list or a
    /// rule (not both), every amount within a line's bounds, no member twice.
    pub fn check(&self) -> Result<(String, BatchSource), PaymentRefusal> {
        let title = self.title.trim();
        if title.is_empty() || title.chars().count() > TITLE_CHARS {
            return Err(PaymentRefusal::BadTitle);
        }
        let source = match (&self.rule, self.lines.is_empty()) {
            (Some(_), false) => return Err(PaymentRefusal::ListOrRule),
            (None, true) => return Err(PaymentRefusal::NoLines),
            (Some(rule), true) => {
                if let BatchRule::Households {
                    deep_fen,
                    relative_fen,
                    accident_fen,
                } = rule
                {
                    let amounts = [*deep_fen, *relative_fen, *accident_fen];
                    if amounts.iter().any(|a| !(0..=MAX_LINE_FEN).contains(a))
                        || amounts.iter().all(|a| *a == 0)
                    {
                        return Err(PaymentRefusal::BadAmount);
                    }
                }
                if let BatchRule::Allowances { month } = rule {
                    if crate::allowances::parse_month(month).is_none() {
                        return Err(PaymentRefusal::BadMonth);
                    }
                }
                if let BatchRule::IdList { lines } = rule {
                    check_id_lines(lines)?;
                }
                let fits = match rule {
                    // Campaigns and lists pay relief or hardship aid: the
                    // programmes whose payments are not tied to a record
                    // (an award, a claim, a month) that must be paid once.
                    BatchRule::Households { .. } | BatchRule::IdList { .. } => {
                        matches!(self.programme, Programme::Relief | Programme::Hardship)
                    }
                    _ => rule.programme().is_none_or(|p| p == self.programme),
                };
                if !fits {
                    return Err(PaymentRefusal::RuleProgramme);
                }
                BatchSource::Rule(rule.clone())
            }
            (None, false) => {
                if self.lines.len() > MAX_LINES {
                    return Err(PaymentRefusal::TooManyLines);
                }
                if self
                    .lines
                    .iter()
                    .any(|l| !(1..=MAX_LINE_FEN).contains(&l.amount_fen))
                {
                    return Err(PaymentRefusal::BadAmount);
                }
                let mut seen = HashSet::new();
                if !self.lines.iter().all(|l| seen.insert(l.member_id)) {
                    return Err(PaymentRefusal::MemberTwice);
                }
                BatchSource::List(self.lines.clone())
            }
        };
        Ok((title.to_string(), source))
    }
}

/// What the server checks of a list by ID number sent as JSON: the bounds
/// [`read_id_list`] checks of a pasted one, rows numbered from 1.
fn check_id_lines(lines: &[IdLine]) -> Result<(), PaymentRefusal> {
    if lines.is_empty() {
        return Err(PaymentRefusal::NoLines);
    }
    if lines.len() > MAX_LINES {
        return Err(PaymentRefusal::TooManyLines);
    }
    let mut seen = HashSet::new();
    for (i, l) in lines.iter().enumerate() {
        let row = i + 1;
        let id = crate::identity::IdNumber::parse(&l.id_number)
            .map_err(|_| PaymentRefusal::ListRow { row })?;
        if !(1..=MAX_LINE_FEN).contains(&l.amount_fen)
            || l.name.as_ref().is_some_and(|n| n.chars().count() > 50)
        {
            return Err(PaymentRefusal::ListRow { row });
        }
        if !seen.insert(id.expose().to_string()) {
            return Err(PaymentRefusal::ListTwice { row });
        }
    }
    Ok(())
}

/// A batch's total: the sum of its lines, never wrapping.
pub fn total_fen(lines: impl IntoIterator<Item = i64>) -> i64 {
    money::sum(lines)
}

/// The reference a payment carries to the bank and back: the batch and the
/// line's place in it, e.g. `UC000012-00007`.
pub fn reference(batch_id: i64, n: usize) -> String {
    format!("UC{batch_id:06}-{n:05}")
}

/// `201` answer to a new batch.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BatchCreated {
    /// The batch.
    pub id: i64,
    /// Always `prepared`.
    pub status: BatchStatus,
    /// The sum of its lines.
    pub total_fen: i64,
    /// How many lines.
    pub count: i64,
}

/// A batch as the desk shows it: its figures and who did each step.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BatchView {
    /// The batch.
    pub id: i64,
    /// What it pays for.
    pub programme: Programme,
    /// Its title.
    pub title: String,
    /// The paying union.
    pub union_id: i64,
    /// Its name.
    pub union_name: String,
    /// Where it stands.
    pub status: BatchStatus,
    /// How many lines.
    pub count: i64,
    /// The sum of its lines.
    pub total_fen: i64,
    /// Lines on the cards, and their sum.
    pub credited: i64,
    /// Sum credited.
    pub credited_fen: i64,
    /// Lines the bank refused.
    pub failed: i64,
    /// Lines whose card is frozen or reported lost today: the bank will
    /// likely refuse them.
    pub flagged: i64,
    /// Who prepared it, and when (RFC 3339).
    pub prepared_by: String,
    /// When.
    pub prepared_at: String,
    /// Who approved it.
    pub approved_by: Option<String>,
    /// When.
    pub approved_at: Option<String>,
    /// When the payment file was first exported.
    pub sent_at: Option<String>,
    /// When the bank's last line came back.
    pub settled_at: Option<String>,
    /// The batch whose failed lines this one pays again.
    pub retry_of: Option<i64>,
    /// Whether the asking officer may approve it (not the preparer, and
    /// still prepared).
    pub you_may_approve: bool,
    /// Its lines by the bank of each member's card, largest first: each bank
    /// takes a file of its own cards (`bank-file?bank=`). Filled on the
    /// batch's own page (`GET …/batches/{id}`), empty in the list.
    #[serde(default)]
    pub banks: Vec<BankShare>,
}

/// The lines of a batch one bank pays.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BankShare {
    /// The bank, as on the cards, e.g. `中国工商银行`.
    pub bank: String,
    /// How many lines.
    pub count: i64,
    /// Their sum.
    pub total_fen: i64,
}

/// One payment line on the desk.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaymentLineView {
    /// The line.
    pub id: i64,
    /// Its reference in the bank's files.
    pub reference: String,
    /// The member.
    pub member_name: String,
    /// The member's workplace union.
    pub union_name: String,
    /// The card number, masked (`6217 **** **** 1234`).
    pub card_no_masked: String,
    /// Whether the card is frozen or lost today.
    pub card_flagged: bool,
    /// The amount.
    pub amount_fen: i64,
    /// Where it stands.
    pub status: LineStatus,
    /// The bank's reason when it failed.
    pub reason: Option<String>,
}

/// `POST …/approve` and `…/cancel`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BatchStep {
    /// The total the officer saw and confirms; refused (409) when the
    /// batch holds something else. The desk always sends it.
    #[serde(default)]
    pub total_fen: Option<i64>,
}

/// The answer to a bank result file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResultImported {
    /// Lines that became credited.
    pub credited: i64,
    /// Lines that became failed.
    pub failed: i64,
    /// Lines already settled before (a file imported twice).
    pub unchanged: i64,
}

/// A payment in the member's 到账记录.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MyPayment {
    /// When it was credited (or approved, while on its way), RFC 3339.
    pub at: String,
    /// What it is for.
    pub programme: Programme,
    /// The batch's title.
    pub title: String,
    /// The amount.
    pub amount_fen: i64,
    /// `approved`/`sent` (on its way), `credited` or `failed`.
    pub status: LineStatus,
    /// Why the bank refused it.
    pub reason: Option<String>,
}

/// `GET /api/me/payments`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MyPayments {
    /// Newest first.
    pub items: Vec<MyPayment>,
    /// Credited this calendar year.
    pub year_total_fen: i64,
}

/// The header of the payment file, in order.
pub const BANK_COLUMNS: [&str; 4] = ["account", "name", "amount", "reference"];
/// The column the bank adds to its answer.
pub const RESULT_COLUMN: &str = "result";
/// The bank's word for a payment made.
pub const SUCCESS: &str = "success";
/// The longest failure reason kept.
pub const REASON_CHARS: usize = 100;

/// One row of the payment file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BankLine {
    /// The card number.
    pub account: String,
    /// The holder's name.
    pub name: String,
    /// The amount, in fen.
    pub amount_fen: i64,
    /// The payment's reference.
    pub reference: String,
}

/// Yuan as the bank's file writes them: `1234.50`, no sign, no separators.
fn file_yuan(fen: i64) -> String {
    format!("{}.{:02}", fen / 100, fen % 100)
}

/// The payment file: UTF-8, a header row, one row per payment, CRLF line
/// ends (what the banks' upload pages take).
pub fn bank_file(lines: &[BankLine]) -> String {
    let mut out = BANK_COLUMNS.join(",");
    out.push_str("\r\n");
    for l in lines {
        out.push_str(&format!(
            "{},{},{},{}\r\n",
            csv_field(&l.account),
            csv_field(&l.name),
            file_yuan(l.amount_fen),
            csv_field(&l.reference)
        ));
    }
    out
}

/// What the bank said of one line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BankOutcome {
    /// Paid onto the card.
    Credited,
    /// Refused, with the bank's words.
    Failed(String),
}

/// One row of the bank's answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BankResult {
    /// The row's number in the file (the header is row 1).
    pub row: usize,
    /// The row as sent.
    pub line: BankLine,
    /// What happened.
    pub outcome: BankOutcome,
}

/// Reads the bank's result file: the payment file's columns plus `result`.
/// Refuses the whole file on the first problem (the caller changes nothing):
/// not UTF-8 (a GBK export from a bank's PC), another header, a row that
/// does not read, a reference twice.
pub fn read_bank_result(bytes: &[u8]) -> Result<Vec<BankResult>, PaymentRefusal> {
    let text = std::str::from_utf8(bytes).map_err(|_| PaymentRefusal::FileEncoding)?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut rows = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty());
    let (_, header) = rows.next().ok_or(PaymentRefusal::FileEmpty)?;
    let header: Vec<String> = split_csv_line(header)
        .into_iter()
        .map(|h| h.trim().to_ascii_lowercase())
        .collect();
    let expected: Vec<&str> = BANK_COLUMNS
        .iter()
        .copied()
        .chain([RESULT_COLUMN])
        .collect();
    if header != expected {
        return Err(PaymentRefusal::FileHeader);
    }
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    for (i, raw) in rows {
        let row = i + 1;
        let f: Vec<String> = split_csv_line(raw)
            .into_iter()
            .map(|c| c.trim().to_string())
            .collect();
        let [account, name, amount, reference, result] = f.as_slice() else {
            return Err(PaymentRefusal::FileRow { row });
        };
        let amount_fen = money::parse_yuan(amount).ok_or(PaymentRefusal::FileRow { row })?;
        if reference.is_empty() || result.is_empty() {
            return Err(PaymentRefusal::FileRow { row });
        }
        if !seen.insert(reference.clone()) {
            return Err(PaymentRefusal::FileTwice { row });
        }
        let outcome = if result.eq_ignore_ascii_case(SUCCESS) {
            BankOutcome::Credited
        } else {
            BankOutcome::Failed(result.chars().take(REASON_CHARS).collect())
        };
        out.push(BankResult {
            row,
            line: BankLine {
                account: account.clone(),
                name: name.clone(),
                amount_fen,
                reference: reference.clone(),
            },
            outcome,
        });
    }
    if out.is_empty() {
        return Err(PaymentRefusal::FileEmpty);
    }
    Ok(out)
}

/// Checks a returned row against the line the ledger sent: the same card,
/// name and amount, or the bank's file is not the answer to ours.
pub fn matches_sent(row: &BankResult, sent: &BankLine) -> Result<(), PaymentRefusal> {
    if row.line.amount_fen != sent.amount_fen {
        return Err(PaymentRefusal::FileAmount { row: row.row });
    }
    if row.line.account != sent.account || row.line.name != sent.name {
        return Err(PaymentRefusal::FileChanged { row: row.row });
    }
    Ok(())
}

/// A card number as the desk shows it: the first four and last four digits.
pub fn mask_card(card_no: &str) -> String {
    let digits: Vec<char> = card_no.chars().filter(|c| !c.is_whitespace()).collect();
    if digits.len() < 8 {
        return "****".into();
    }
    let head: String = digits[..4].iter().collect();
    let tail: String = digits[digits.len() - 4..].iter().collect();
    format!("{head} **** **** {tail}")
}

/// Why the ledger said no.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PaymentRefusal {
    /// The officer who prepared a batch tried to approve it.
    SameOfficer,
    /// The batch is no longer (or not yet) in the state the step needs.
    WrongStatus,
    /// The total confirmed is not the batch's.
    TotalChanged,
    /// A title is needed, up to 60 characters.
    BadTitle,
    /// Neither a list nor a rule, or a rule that picks no one.
    NoLines,
    /// A list and a rule at once.
    ListOrRule,
    /// More than [`MAX_LINES`] lines.
    TooManyLines,
    /// An amount out of a line's bounds.
    BadAmount,
    /// The same member twice in a list.
    MemberTwice,
    /// A member outside the paying union, or without a card.
    UnknownMember,
    /// The result file is not UTF-8.
    FileEncoding,
    /// The result file has no rows.
    FileEmpty,
    /// The result file's header is not the payment file's plus `result`.
    FileHeader,
    /// A row does not read.
    FileRow {
        /// Its row number.
        row: usize,
    },
    /// A reference twice in the file.
    FileTwice {
        /// Its row number.
        row: usize,
    },
    /// A reference this batch did not send.
    FileReference {
        /// Its row number.
        row: usize,
    },
    /// An amount other than the one sent (the file's total is not the
    /// batch's).
    FileAmount {
        /// Its row number.
        row: usize,
    },
    /// A card or name other than the one sent.
    FileChanged {
        /// Its row number.
        row: usize,
    },
    /// Something the batch pays once (an award) is in another batch.
    PaidElsewhere,
    /// A month that is not `YYYY-MM`.
    BadMonth,
    /// A row of a list by ID number that does not read: an ID number, an
    /// amount within a line's bounds, and at most a name before them.
    ListRow {
        /// Its row number.
        row: usize,
    },
    /// The same ID number twice in a list.
    ListTwice {
        /// Its row number.
        row: usize,
    },
    /// A list's member outside the paying union, without a card, or whose
    /// name is not the roster's.
    ListMember {
        /// Its row number.
        row: usize,
    },
    /// The rule pays under another programme (awards are 金秋助学, a retry
    /// is its batch's programme, households are relief or hardship aid).
    RuleProgramme,
}

impl Refused for PaymentRefusal {
    fn code(&self) -> &'static str {
        match self {
            PaymentRefusal::SameOfficer => "same_officer",
            PaymentRefusal::WrongStatus => "batch_status",
            PaymentRefusal::TotalChanged => "batch_total_changed",
            PaymentRefusal::BadTitle => "batch_title",
            PaymentRefusal::NoLines => "batch_empty",
            PaymentRefusal::ListOrRule => "list_or_rule",
            PaymentRefusal::TooManyLines => "batch_too_large",
            PaymentRefusal::BadAmount => "payment_amount",
            PaymentRefusal::MemberTwice => "member_twice",
            PaymentRefusal::UnknownMember => "unknown_member",
            PaymentRefusal::FileEncoding => "bank_file_encoding",
            PaymentRefusal::FileEmpty => "bank_file_empty",
            PaymentRefusal::FileHeader => "bank_file_header",
            PaymentRefusal::FileRow { .. } => "bank_file_row",
            PaymentRefusal::FileTwice { .. } => "bank_file_twice",
            PaymentRefusal::FileReference { .. } => "bank_file_reference",
            PaymentRefusal::FileAmount { .. } => "bank_file_amount",
            PaymentRefusal::FileChanged { .. } => "bank_file_changed",
            PaymentRefusal::PaidElsewhere => "in_another_batch",
            PaymentRefusal::BadMonth => "bad_month",
            PaymentRefusal::ListRow { .. } => "list_row",
            PaymentRefusal::ListTwice { .. } => "list_twice",
            PaymentRefusal::ListMember { .. } => "list_member",
            PaymentRefusal::RuleProgramme => "rule_programme",
        }
    }

    fn refusal(&self) -> Refusal {
        match self {
            PaymentRefusal::SameOfficer => Refusal::Forbidden,
            PaymentRefusal::WrongStatus
            | PaymentRefusal::TotalChanged
            | PaymentRefusal::PaidElsewhere => Refusal::Conflict,
            _ => Refusal::Unprocessable,
        }
    }

    fn message(&self, lang: Lang) -> String {
        let row = |row: &usize, zh: &str, en: &str| match lang {
            Lang::Zh => format!("第 {row} 行：{zh}，整个文件未导入"),
            Lang::En => format!("Row {row}: {en}; nothing was imported"),
        };
        match self {
            PaymentRefusal::SameOfficer => lang
                .pick(
                    "批次须由另一位工作人员复核，制单人不能复核自己的批次",
                    "Another officer must approve: the one who prepared a batch cannot",
                )
                .into(),
            PaymentRefusal::WrongStatus => lang
                .pick(
                    "批次状态已变化，请刷新后再试",
                    "The batch has moved on; reload and try again",
                )
                .into(),
            PaymentRefusal::TotalChanged => lang
                .pick(
                    "批次金额与您确认的不一致，请刷新核对",
                    "The batch total is not the one you confirmed; reload and check",
                )
                .into(),
            PaymentRefusal::BadTitle => lang
                .pick(
                    "请填写批次名称（60 字以内）",
                    "Give the batch a title (up to 60 characters)",
                )
                .into(),
            PaymentRefusal::NoLines => lang
                .pick(
                    "没有符合条件的发放对象",
                    "No one to pay: the list is empty or the rule picks no one",
                )
                .into(),
            PaymentRefusal::ListOrRule => lang
                .pick(
                    "名单和规则只能选一种",
                    "Give either a list or a rule, not both",
                )
                .into(),
            PaymentRefusal::TooManyLines => lang
                .pick(
                    "一个批次最多 5,000 笔，请分批发放",
                    "A batch holds at most 5,000 payments; split it",
                )
                .into(),
            PaymentRefusal::BadAmount => lang
                .pick(
                    "每笔金额应在 ¥0.01 到 ¥50,000.00 之间",
                    "Each payment must be between ¥0.01 and ¥50,000.00",
                )
                .into(),
            PaymentRefusal::MemberTwice => lang
                .pick(
                    "名单中有会员重复出现",
                    "A member appears twice in the list",
                )
                .into(),
            PaymentRefusal::UnknownMember => lang
                .pick(
                    "名单中有不属于本工会或没有会员卡的人员",
                    "The list names someone outside this union or without a card",
                )
                .into(),
            PaymentRefusal::FileEncoding => lang
                .pick(
                    "文件不是 UTF-8 编码（可能是 GBK），请另存为 UTF-8 CSV 后再导入，整个文件未导入",
                    "The file is not UTF-8 (perhaps GBK); save it as UTF-8 CSV and import again. Nothing was imported",
                )
                .into(),
            PaymentRefusal::FileEmpty => lang
                .pick("文件中没有回盘记录", "The file has no result rows")
                .into(),
            PaymentRefusal::FileHeader => lang
                .pick(
                    "表头应为 account,name,amount,reference,result（与发放文件相同，另加 result 列），整个文件未导入",
                    "The header must be account,name,amount,reference,result (the payment file's plus result). Nothing was imported",
                )
                .into(),
            PaymentRefusal::FileRow { row: r } => row(
                r,
                "格式不对（应有 5 列，金额如 500.00）",
                "it does not read (5 columns, amounts like 500.00)",
            ),
            PaymentRefusal::FileTwice { row: r } => {
                row(r, "流水号重复", "the reference appears twice")
            }
            PaymentRefusal::FileReference { row: r } => row(
                r,
                "流水号不属于本批次",
                "the reference is not one of this batch's",
            ),
            PaymentRefusal::FileAmount { row: r } => row(
                r,
                "金额与发放文件不一致，合计对不上",
                "the amount differs from the payment file, so the totals differ",
            ),
            PaymentRefusal::BadMonth => lang
                .pick("月份应写作 2026-12", "Give the month as 2026-12")
                .into(),
            PaymentRefusal::PaidElsewhere => lang
                .pick(
                    "其中有款项已在另一个批次中发放或已登记打款，请刷新后再试",
                    "Something in it is paid by another batch, or was recorded paid; reload and try again",
                )
                .into(),
            PaymentRefusal::FileChanged { row: r } => row(
                r,
                "卡号或姓名与发放文件不一致",
                "the card or name differs from the payment file",
            ),
            PaymentRefusal::ListRow { row } => match lang {
                Lang::Zh => format!("名单第 {row} 行读不懂：应为“身份证号,金额”或“姓名,身份证号,金额”，金额 0.01 至 50,000 元"),
                Lang::En => format!("List row {row} does not read: give \"ID number, amount\" or \"name, ID number, amount\", the amount ¥0.01 to ¥50,000"),
            },
            PaymentRefusal::ListTwice { row } => match lang {
                Lang::Zh => format!("名单第 {row} 行：这个身份证号前面已经有了"),
                Lang::En => format!("List row {row}: this ID number is on the list already"),
            },
            PaymentRefusal::ListMember { row } => match lang {
                Lang::Zh => format!("名单第 {row} 行：不是本单位及下级持卡会员，或姓名与花名册不符"),
                Lang::En => format!("List row {row}: not a card-holding member of your unions, or the name differs from the roster"),
            },
            PaymentRefusal::RuleProgramme => lang
                .pick(
                    "发放项目与发放对象不符（如助学金只能按金秋助学发放）",
                    "The programme does not fit who is paid (awards are paid as 金秋助学, for instance)",
                )
                .into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::checks::assert_refusals;

    const LI: &str = "420106199207082342";
    const ZHANG: &str = "420102198803151236";

    #[test]
    fn a_pasted_list_reads_with_or_without_names_and_a_header() {
        let text = format!(
            "姓名\t身份证号\t金额\n李娜\t{LI}\t500\n\n张伟\t{}\t¥1,000.00\n",
            ZHANG.to_lowercase()
        );
        // "1,000.00" splits into two cells: the row does not read.
        assert_eq!(read_id_list(&text), Err(PaymentRefusal::ListRow { row: 4 }));
        let text = format!("身份证号,金额\r\n{LI},500\r\n{ZHANG}, 1000.50 \r\n");
        let lines = read_id_list(&text).unwrap();
        assert_eq!(
            lines,
            vec![
                IdLine {
                    id_number: LI.into(),
                    name: None,
                    amount_fen: 50_000
                },
                IdLine {
                    id_number: ZHANG.into(),
                    name: None,
                    amount_fen: 100_050
                },
            ]
        );
        let named = read_id_list(&format!("李娜，{LI}，800")).unwrap();
        assert_eq!(named[0].name.as_deref(), Some("李娜"));
    }

    #[test]
    fn a_bad_list_names_its_row() {
        assert_eq!(read_id_list(""), Err(PaymentRefusal::NoLines));
        assert_eq!(
            read_id_list(&format!("{LI},500\n420106199207082343,500")),
            Err(PaymentRefusal::ListRow { row: 2 }),
            "a wrong check character"
        );
        assert_eq!(
            read_id_list(&format!("{LI},500\n{LI},300")),
            Err(PaymentRefusal::ListTwice { row: 2 })
        );
        assert_eq!(
            read_id_list(&format!("{LI},50000.01")),
            Err(PaymentRefusal::ListRow { row: 1 }),
            "over a line's bound"
        );
        assert_eq!(
            read_id_list(&format!("{ZHANG},1\n{LI},50000.01")),
            Err(PaymentRefusal::ListRow { row: 2 })
        );
    }

    #[test]
    fn a_rule_pays_under_its_own_programme() {
        let input = |programme, rule| BatchInput {
            programme,
            title: "测试".into(),
            union_id: None,
            lines: Vec::new(),
            rule: Some(rule),
        };
        assert_eq!(
            input(Programme::Relief, BatchRule::EducationAwards)
                .check()
                .map(|_| ()),
            Err(PaymentRefusal::RuleProgramme)
        );
        assert!(input(Programme::AidClaim, BatchRule::AidClaims)
            .check()
            .is_ok());
        let households = BatchRule::Households {
            deep_fen: 100,
            relative_fen: 0,
            accident_fen: 0,
        };
        assert!(input(Programme::Hardship, households.clone())
            .check()
            .is_ok());
        assert_eq!(
            input(Programme::Allowance, households).check().map(|_| ()),
            Err(PaymentRefusal::RuleProgramme)
        );
        let list = |id: &str, amount_fen| BatchRule::IdList {
            lines: vec![IdLine {
                id_number: id.into(),
                name: None,
                amount_fen,
            }],
        };
        assert!(input(Programme::Relief, list(LI, 100)).check().is_ok());
        assert_eq!(
            input(Programme::AidClaim, list(LI, 100))
                .check()
                .map(|_| ()),
            Err(PaymentRefusal::RuleProgramme)
        );
        assert_eq!(
            input(Programme::Relief, list("123", 100))
                .check()
                .map(|_| ()),
            Err(PaymentRefusal::ListRow { row: 1 })
        );
        assert_eq!(
            input(Programme::Relief, list(LI, 0)).check().map(|_| ()),
            Err(PaymentRefusal::ListRow { row: 1 })
        );
    }

    fn list(lines: &[(i64, i64)]) -> BatchInput {
        BatchInput {
            programme: Programme::Relief,
            title: "2027年春节送温暖".into(),
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

    fn sent() -> Vec<BankLine> {
        vec![
            BankLine {
                account: "6217000000000001".into(),
                name: "李娜".into(),
                amount_fen: 50_000,
                reference: reference(12, 1),
            },
            BankLine {
                account: "6217000000000002".into(),
                name: "张伟, 江岸".into(),
                amount_fen: 80_050,
                reference: reference(12, 2),
            },
        ]
    }

    #[test]
    fn a_batch_is_a_list_or_a_rule_with_bounded_amounts() {
        assert!(list(&[(1, 50_000), (2, 30_000)]).check().is_ok());
        assert_eq!(list(&[]).check(), Err(PaymentRefusal::NoLines));
        assert_eq!(
            list(&[(1, 0)]).check(),
            Err(PaymentRefusal::BadAmount),
            "nothing paid is no payment"
        );
        assert_eq!(
            list(&[(1, MAX_LINE_FEN + 1)]).check(),
            Err(PaymentRefusal::BadAmount)
        );
        assert_eq!(
            list(&[(1, 100), (1, 100)]).check(),
            Err(PaymentRefusal::MemberTwice)
        );
        let mut both = list(&[(1, 100)]);
        both.rule = Some(BatchRule::Retry { batch_id: 3 });
        assert_eq!(both.check(), Err(PaymentRefusal::ListOrRule));
        let mut blank = list(&[(1, 100)]);
        blank.title = "  ".into();
        assert_eq!(blank.check(), Err(PaymentRefusal::BadTitle));
        let mut rule = list(&[]);
        rule.rule = Some(BatchRule::Households {
            deep_fen: 0,
            relative_fen: 0,
            accident_fen: 0,
        });
        assert_eq!(rule.check(), Err(PaymentRefusal::BadAmount));
        rule.rule = Some(BatchRule::Households {
            deep_fen: 100_000,
            relative_fen: 50_000,
            accident_fen: 0,
        });
        assert!(rule.check().is_ok());
    }

    #[test]
    fn too_many_lines_are_refused() {
        let many: Vec<(i64, i64)> = (0..=MAX_LINES as i64).map(|i| (i, 100)).collect();
        assert_eq!(list(&many).check(), Err(PaymentRefusal::TooManyLines));
    }

    #[test]
    fn the_payment_file_has_a_header_and_yuan_with_two_decimals() {
        let f = bank_file(&sent());
        assert_eq!(
            f,
            "account,name,amount,reference\r\n\
             6217000000000001,李娜,500.00,UC000012-00001\r\n\
             6217000000000002,\"张伟, 江岸\",800.50,UC000012-00002\r\n"
        );
    }

    #[test]
    fn the_banks_answer_reads_back_what_was_sent() {
        let mut answer = bank_file(&sent()).replacen(
            "account,name,amount,reference",
            "account,name,amount,reference,result",
            1,
        );
        answer = answer.replace("UC000012-00001\r\n", "UC000012-00001,success\r\n");
        answer = answer.replace("UC000012-00002\r\n", "UC000012-00002,卡已挂失\r\n");
        let rows = read_bank_result(answer.as_bytes()).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].outcome, BankOutcome::Credited);
        assert_eq!(rows[1].outcome, BankOutcome::Failed("卡已挂失".into()));
        for (row, line) in rows.iter().zip(sent()) {
            assert_eq!(matches_sent(row, &line), Ok(()));
        }
        let mut wrong = sent()[0].clone();
        wrong.amount_fen += 1;
        assert_eq!(
            matches_sent(&rows[0], &wrong),
            Err(PaymentRefusal::FileAmount { row: 2 })
        );
    }

    #[test]
    fn a_bad_result_file_is_refused_whole() {
        // 李娜 in GBK: not UTF-8.
        let gbk: &[u8] =
            b"account,name,amount,reference,result\r\n1,\xc0\xee\xc4\xc8,1.00,UC1,success\r\n";
        assert_eq!(read_bank_result(gbk), Err(PaymentRefusal::FileEncoding));
        assert_eq!(
            read_bank_result(b"account,name,amount,reference\r\n1,a,1.00,UC1\r\n"),
            Err(PaymentRefusal::FileHeader)
        );
        assert_eq!(
            read_bank_result(b"account,name,amount,reference,result\r\n1,a,one,UC1,success\r\n"),
            Err(PaymentRefusal::FileRow { row: 2 })
        );
        assert_eq!(
            read_bank_result(
                b"account,name,amount,reference,result\r\n1,a,1.00,UC1,success\r\n2,b,1.00,UC1,success\r\n"
            ),
            Err(PaymentRefusal::FileTwice { row: 3 })
        );
        assert_eq!(
            read_bank_result(b"account,name,amount,reference,result\r\n"),
            Err(PaymentRefusal::FileEmpty)
        );
    }

    #[test]
    fn card_numbers_show_only_their_ends() {
        assert_eq!(mask_card("6217000012345678"), "6217 **** **** 5678");
        assert_eq!(mask_card("123"), "****");
    }

    #[test]
    fn names_round_trip() {
        for p in Programme::ALL {
            assert_eq!(Programme::from_db(p.as_str()), Some(p));
        }
        for s in BatchStatus::ALL {
            assert_eq!(BatchStatus::from_db(s.as_str()), Some(s));
        }
        for s in LineStatus::ALL {
            assert_eq!(LineStatus::from_db(s.as_str()), Some(s));
        }
    }

    #[test]
    fn refusals_are_worded_with_unique_codes() {
        let all = [
            PaymentRefusal::SameOfficer,
            PaymentRefusal::WrongStatus,
            PaymentRefusal::TotalChanged,
            PaymentRefusal::BadTitle,
            PaymentRefusal::NoLines,
            PaymentRefusal::ListOrRule,
            PaymentRefusal::TooManyLines,
            PaymentRefusal::BadAmount,
            PaymentRefusal::MemberTwice,
            PaymentRefusal::UnknownMember,
            PaymentRefusal::FileEncoding,
            PaymentRefusal::FileEmpty,
            PaymentRefusal::FileHeader,
            PaymentRefusal::FileRow { row: 2 },
            PaymentRefusal::FileTwice { row: 2 },
            PaymentRefusal::FileReference { row: 2 },
            PaymentRefusal::FileAmount { row: 2 },
            PaymentRefusal::FileChanged { row: 2 },
            PaymentRefusal::PaidElsewhere,
            PaymentRefusal::BadMonth,
            PaymentRefusal::ListRow { row: 2 },
            PaymentRefusal::ListTwice { row: 2 },
            PaymentRefusal::ListMember { row: 2 },
            PaymentRefusal::RuleProgramme,
        ];
        assert_refusals(&all);
    }
}
