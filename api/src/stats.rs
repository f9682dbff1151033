//! The figures unions live by: cards issued, activated and used (发送率,
//! 激活率, 使用率), and what the card carried in a period, for a union and the
//! unions directly below it, with a month-by-month trend; the rates, the
//! "weakest first" order and the CSV export are here so they are tested once.
//!
//! Definitions (also shown to officers):
//! - issued / activated: cards issued / activated by the end of the period;
//! - used: cards whose holder made at least one redemption, aid enrolment,
//!   claim, loan application or training sign-up in the period;
//! - activation rate = activated ÷ issued; usage rate = used ÷ issued (a
//!   used card need not be active any more: it may have been reported lost
//!   since, so the rate is of the cards handed out, and never above 100%).

use serde::{Deserialize, Serialize};

use crate::offers::yuan;
use crate::Lang;

/// The counts of one union (or of a month), with the rates.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Counts {
    /// Cards issued by the end of the period.
    pub issued: i64,
    /// Cards activated by the end of the period.
    pub activated: i64,
    /// Cards used in the period.
    pub used: i64,
    /// activated ÷ issued (0 when nothing was issued).
    pub activation_rate: f64,
    /// used ÷ issued (0 when nothing was issued).
    pub usage_rate: f64,
    /// Discounts redeemed.
    pub redemptions: i64,
    /// What members saved.
    pub savings_fen: i64,
    /// Aid enrolments.
    pub enrolments: i64,
    /// Aid claims paid.
    pub claims: i64,
    /// Their amount.
    pub claims_paid_fen: i64,
    /// Loans paid out.
    pub loans: i64,
    /// Their amount.
    pub loans_fen: i64,
    /// Training sign-ups.
    pub signups: i64,
    /// Hardship households on file on the period's last day.
    pub hardship_households: i64,
    /// People credited hardship aid or holiday relief in the period.
    pub relief_people: i64,
    /// Their sum.
    pub relief_fen: i64,
    /// Students credited 金秋助学 in the period.
    pub education_students: i64,
    /// Their sum.
    pub education_fen: i64,
    /// Model workers credited allowances in the period.
    pub allowance_people: i64,
    /// Their sum.
    pub allowance_fen: i64,
    /// Rights cases reported in the period (to the union handling them).
    #[serde(default)]
    pub rights_cases: i64,
    /// Of them, collective (more than one worker).
    #[serde(default)]
    pub rights_collective: i64,
    /// Workers those cases speak for.
    #[serde(default)]
    pub rights_workers: i64,
    /// Rights cases closed in the period.
    #[serde(default)]
    pub rights_closed: i64,
    /// Money recovered for workers in the period (steps recorded in it).
    #[serde(default)]
    pub rights_recovered_fen: i64,
    /// Median days from report to close of the cases closed in the period
    /// (0 when none closed).
    #[serde(default)]
    pub rights_median_days: i64,
    /// Counselling appointments booked in the period and not cancelled.
    #[serde(default)]
    pub counselling_bookings: i64,
    /// Members who moved in from another union (转会) in the period.
    #[serde(default)]
    pub transfers_in: i64,
    /// Members who moved out to another union in the period.
    #[serde(default)]
    pub transfers_out: i64,
}

/// The median of durations in seconds, in whole days (rounded half up);
/// 0 for none. Sorts the slice.
pub fn median_days(secs: &mut [i64]) -> i64 {
    if secs.is_empty() {
        return 0;
    }
    secs.sort_unstable();
    let n = secs.len();
    let mid = if n % 2 == 1 {
        secs[n / 2]
    } else {
        (secs[n / 2 - 1] + secs[n / 2]) / 2
    };
    (mid + 43_200) / 86_400
}

/// Rights cases of one kind reported in the period, by where they stand now.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RightsKindRow {
    /// The kind (`unpaid_wages`…).
    pub kind: crate::rights::CaseKind,
    /// Waiting for triage.
    pub submitted: i64,
    /// In hand.
    pub in_progress: i64,
    /// Referred.
    pub referred: i64,
    /// Not taken up.
    pub declined: i64,
    /// Closed.
    pub closed: i64,
}

impl RightsKindRow {
    /// No cases of `kind` yet.
    pub fn new(kind: crate::rights::CaseKind) -> RightsKindRow {
        RightsKindRow {
            kind,
            submitted: 0,
            in_progress: 0,
            referred: 0,
            declined: 0,
            closed: 0,
        }
    }

    /// Counts one case in `status`.
    pub fn count(&mut self, status: crate::rights::CaseStatus, n: i64) {
        use crate::rights::CaseStatus as S;
        match status {
            S::Submitted => self.submitted += n,
            S::InProgress => self.in_progress += n,
            S::Referred => self.referred += n,
            S::Declined => self.declined += n,
            S::Closed => self.closed += n,
        }
    }
}

/// `part ÷ whole`, rounded to four decimals (0.5213 = 52.13%); 0 for an empty whole.
pub fn rate(part: i64, whole: i64) -> f64 {
    if whole <= 0 {
        0.0
    } else {
        ((part as f64 / whole as f64) * 10_000.0).round() / 10_000.0
    }
}

/// A rate as people write it: `52.1%`.
pub fn percent_text(r: f64) -> String {
    format!("{:.1}%", r * 100.0)
}

impl Counts {
    /// Adds another union's (or day's) counts.
    pub fn add(&mut self, o: &Counts) {
        self.issued += o.issued;
        self.activated += o.activated;
        self.used += o.used;
        self.redemptions += o.redemptions;
        self.savings_fen += o.savings_fen;
        self.enrolments += o.enrolments;
        self.claims += o.claims;
        self.claims_paid_fen += o.claims_paid_fen;
        self.loans += o.loans;
        self.loans_fen += o.loans_fen;
        self.signups += o.signups;
        self.hardship_households += o.hardship_households;
        self.relief_people += o.relief_people;
        self.relief_fen += o.relief_fen;
        self.education_students += o.education_students;
        self.education_fen += o.education_fen;
        self.allowance_people += o.allowance_people;
        self.allowance_fen += o.allowance_fen;
        self.rights_cases += o.rights_cases;
        self.rights_collective += o.rights_collective;
        self.rights_workers += o.rights_workers;
        self.rights_closed += o.rights_closed;
        self.rights_recovered_fen += o.rights_recovered_fen;
        self.counselling_bookings += o.counselling_bookings;
        self.transfers_in += o.transfers_in;
        self.transfers_out += o.transfers_out;
    }

    /// Fills in the rates from the counts.
    pub fn finish(mut self) -> Counts {
        self.activation_rate = rate(self.activated, self.issued);
        self.usage_rate = rate(self.used, self.issued);
        self
    }
}

/// One union directly below the one asked about.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnionRow {
    /// Union id.
    pub union_id: i64,
    /// Its name.
    pub name: String,
    /// Its figures (its own and everything below it).
    #[serde(flatten)]
    pub counts: Counts,
}

/// One month of the trend.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MonthRow {
    /// `2026-05`.
    pub month: String,
    /// Cards issued in the month.
    pub issued: i64,
    /// Cards activated in the month.
    pub activated: i64,
    /// Cards used in the month.
    pub used: i64,
    /// Discounts redeemed in the month.
    pub redemptions: i64,
    /// Saved in the month.
    pub savings_fen: i64,
}

/// `GET /api/staff/stats`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Stats {
    /// The union.
    pub union_id: i64,
    /// Its name.
    pub name: String,
    /// First day of the period.
    pub from: String,
    /// Last day of the period.
    pub to: String,
    /// The union's figures, everything below it included.
    #[serde(flatten)]
    pub totals: Counts,
    /// The unions directly below it.
    pub unions: Vec<UnionRow>,
    /// Month by month.
    pub months: Vec<MonthRow>,
    /// Rights cases reported in the period by kind and where they stand.
    #[serde(default)]
    pub rights_by_kind: Vec<RightsKindRow>,
}

/// What the breakdown can be sorted by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortKey {
    /// Name.
    Name,
    /// Cards issued.
    Issued,
    /// Activation rate.
    ActivationRate,
    /// Usage rate.
    UsageRate,
    /// Redemptions.
    Redemptions,
}

impl SortKey {
    /// Parses a query parameter.
    pub fn parse(s: &str) -> Option<SortKey> {
        Some(match s {
            "name" => SortKey::Name,
            "issued" => SortKey::Issued,
            "activation_rate" => SortKey::ActivationRate,
            "usage_rate" => SortKey::UsageRate,
            "redemptions" => SortKey::Redemptions,
            _ => return None,
        })
    }
}

/// Sorts the breakdown: the largest first, or with `weakest_first` the
/// smallest first (the units that need a visit); ties by name.
pub fn sort_rows(rows: &mut [UnionRow], key: SortKey, weakest_first: bool) {
    rows.sort_by(|a, b| {
        let ord = match key {
            SortKey::Name => a.name.cmp(&b.name),
            SortKey::Issued => b.counts.issued.cmp(&a.counts.issued),
            SortKey::ActivationRate => b
                .counts
                .activation_rate
                .total_cmp(&a.counts.activation_rate),
            SortKey::UsageRate => b.counts.usage_rate.total_cmp(&a.counts.usage_rate),
            SortKey::Redemptions => b.counts.redemptions.cmp(&a.counts.redemptions),
        };
        let ord = if weakest_first && key != SortKey::Name {
            ord.reverse()
        } else {
            ord
        };
        ord.then_with(|| a.name.cmp(&b.name))
    });
}

/// One CSV cell. A text that a spreadsheet would read as a formula (it
/// starts with `=`, `+`, `-`, `@`, a tab or a carriage return: a union named
/// `=HYPERLINK(...)`) gets a leading `'`, so Excel shows it as text instead
/// of running it; then quoting as RFC 4180 asks.
pub fn csv_field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// The figures as CSV (UTF-8 with a byte-order mark, so Excel on a union
/// office PC opens the Chinese names correctly): one row per union below,
/// then the total.
pub fn csv(stats: &Stats, lang: Lang) -> String {
    let header = match lang {
        Lang::Zh => "单位,发卡数,激活数,使用数,激活率,使用率,优惠使用次数,会员节省(元),互助参加人次,互助金支付笔数,互助金支付(元),贷款发放笔数,贷款发放(元),培训报名人次,建档困难户,帮扶慰问人数,帮扶慰问(元),金秋助学人数,金秋助学(元),劳模津补贴人数,劳模津补贴(元),维权案件,集体案件,涉及职工,办结案件,追回金额(元),办结天数中位数,咨询预约,转入会员,转出会员",
        Lang::En => "Union,Issued,Activated,Used,Activation rate,Usage rate,Redemptions,Savings (yuan),Aid enrolments,Claims paid,Claims paid (yuan),Loans disbursed,Loans disbursed (yuan),Training sign-ups,Hardship households,People given relief,Relief (yuan),Students aided,Education aid (yuan),Model workers paid,Allowances (yuan),Rights cases,Collective cases,Workers,Cases closed,Recovered (yuan),Median days to close,Counselling bookings,Moved in,Moved out",
    };
    let money = |fen: i64| yuan(fen).trim_start_matches('¥').replace(',', "");
    let line = |name: &str, c: &Counts| {
        format!(
            "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\r\n",
            csv_field(name),
            c.issued,
            c.activated,
            c.used,
            percent_text(c.activation_rate),
            percent_text(c.usage_rate),
            c.redemptions,
            money(c.savings_fen),
            c.enrolments,
            c.claims,
            money(c.claims_paid_fen),
            c.loans,
            money(c.loans_fen),
            c.signups,
            c.hardship_households,
            c.relief_people,
            money(c.relief_fen),
            c.education_students,
            money(c.education_fen),
            c.allowance_people,
            money(c.allowance_fen),
            c.rights_cases,
            c.rights_collective,
            c.rights_workers,
            c.rights_closed,
            money(c.rights_recovered_fen),
            c.rights_median_days,
            c.counselling_bookings,
            c.transfers_in,
            c.transfers_out
        )
    };
    let mut out = format!("\u{feff}{header}\r\n");
    for r in &stats.unions {
        out.push_str(&line(&r.name, &r.counts));
    }
    let total = match lang {
        Lang::Zh => format!("{}（合计）", stats.name),
        Lang::En => format!("{} (total)", stats.name),
    };
    out.push_str(&line(&total, &stats.totals));
    out
}

/// A queue's count on the officers' home stops here: a badge needs no
/// more than "999+", and a city with 40,000 waiting claims should not read
/// 40,000 index entries for its home screen. The queue itself pages
/// through all of them.
pub const QUEUE_COUNT_CAP: i64 = 1000;

/// A queue's count as its badge shows it: the number, or "999+" from the
/// cap on (the count stops there, so more is all it can say).
pub fn queue_badge(n: i64) -> String {
    if n >= QUEUE_COUNT_CAP {
        format!("{}+", QUEUE_COUNT_CAP - 1)
    } else {
        n.to_string()
    }
}

/// How much is waiting in each review queue, each counted up to
/// [`QUEUE_COUNT_CAP`]: 1,000 means 1,000 or more.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Queues {
    /// Join requests pending (up to 1,000).
    pub join_requests: i64,
    /// Aid claims submitted, under review or waiting for documents (up to 1,000).
    pub claims: i64,
    /// Loan applications waiting for a review, a guarantee or a payout (up to 1,000).
    pub loans: i64,
    /// Open complaints about merchants (up to 1,000).
    pub complaints: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_badge_says_999_plus_from_the_cap_on() {
        assert_eq!(queue_badge(0), "0");
        assert_eq!(queue_badge(999), "999");
        assert_eq!(queue_badge(QUEUE_COUNT_CAP), "999+");
    }

    fn row(name: &str, issued: i64, activated: i64, used: i64) -> UnionRow {
        UnionRow {
            union_id: issued,
            name: name.into(),
            counts: Counts {
                issued,
                activated,
                used,
                ..Counts::default()
            }
            .finish(),
        }
    }

    #[test]
    fn rates_are_exact_fractions_of_the_counts() {
        let c = Counts {
            issued: 300,
            activated: 156,
            used: 39,
            ..Counts::default()
        }
        .finish();
        assert_eq!(c.activation_rate, 0.52);
        assert_eq!(c.usage_rate, 0.13);
        assert_eq!(rate(1, 3), 0.3333);
        assert_eq!(rate(5, 0), 0.0);
        assert_eq!(percent_text(0.5213), "52.1%");
    }

    #[test]
    fn the_weakest_units_come_first_on_request() {
        let mut rows = vec![
            row("江岸区", 100, 80, 10),
            row("武昌区", 100, 40, 30),
            row("洪山区", 100, 60, 30),
        ];
        sort_rows(&mut rows, SortKey::ActivationRate, true);
        let names: Vec<&str> = rows.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, vec!["武昌区", "洪山区", "江岸区"]);
        sort_rows(&mut rows, SortKey::ActivationRate, false);
        assert_eq!(rows[0].name, "江岸区");
        sort_rows(&mut rows, SortKey::UsageRate, false);
        assert_eq!(rows[0].name, "武昌区");
    }

    #[test]
    fn csv_cells_never_become_formulas() {
        assert_eq!(csv_field("=1+2"), "'=1+2");
        assert_eq!(csv_field("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_field("-3"), "'-3");
        assert_eq!(
            csv_field("=HYPERLINK(\"http://x\",\"y\")"),
            "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""
        );
        assert_eq!(csv_field("武昌区"), "武昌区");
    }

    #[test]
    fn csv_has_a_row_per_union_and_the_total() {
        let mut totals = Counts::default();
        let rows = vec![row("江岸区", 100, 80, 10), row("武昌区,东", 50, 10, 5)];
        for r in &rows {
            totals.add(&r.counts);
        }
        let s = Stats {
            union_id: 2,
            name: "武汉市总工会".into(),
            from: "2026-01-01".into(),
            to: "2026-11-24".into(),
            totals: Counts {
                savings_fen: 123_456,
                ..totals
            }
            .finish(),
            unions: rows,
            months: vec![],
            rights_by_kind: vec![],
        };
        let text = csv(&s, Lang::Zh);
        let lines: Vec<&str> = text.trim_end().split("\r\n").collect();
        assert!(lines[0].starts_with("\u{feff}单位,发卡数"));
        assert_eq!(
            lines[1],
            "江岸区,100,80,10,80.0%,10.0%,0,0.00,0,0,0.00,0,0.00,0,0,0,0.00,0,0.00,0,0.00,0,0,0,0,0.00,0,0,0,0"
        );
        assert!(lines[2].starts_with("\"武昌区,东\",50,10,5,20.0%,10.0%"));
        assert_eq!(
            lines[3],
            "武汉市总工会（合计）,150,90,15,60.0%,10.0%,0,1234.56,0,0,0.00,0,0.00,0,0,0,0.00,0,0.00,0,0.00,0,0,0,0,0.00,0,0,0,0"
        );
    }

    #[test]
    fn the_median_is_of_whole_days() {
        assert_eq!(median_days(&mut []), 0);
        assert_eq!(median_days(&mut [86_400 * 9, 86_400, 86_400 * 3]), 3);
        // Two in the middle: their mean, 2.5 days rounds to 3.
        assert_eq!(median_days(&mut [86_400 * 2, 86_400 * 3]), 3);
        assert_eq!(median_days(&mut [3_600]), 0);
    }
}
