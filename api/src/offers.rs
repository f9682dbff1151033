//! Partner-merchant discounts: categories, offer terms, the discount
//! arithmetic (in fen), distances, and the wire types of the directory,
//! redemption codes, history and complaints.
//!
//! Rounding rule: a percentage discount is rounded to the nearest fen, and an
//! exact half fen goes to the member (rounded up). A discount never exceeds
//! the offer's cap, nor the bill itself.

use serde::{Deserialize, Serialize};

use crate::error::{FieldProblem, FieldProblems};
use crate::identity::Date;
use crate::Lang;

/// The kinds of partner merchants.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// 购物: supermarkets, stores.
    Shopping,
    /// 餐饮: restaurants.
    Dining,
    /// 医疗: pharmacies, check-ups.
    Medical,
    /// 出行: scenic spots, travel.
    Travel,
    /// 文体: cinemas, books, sport.
    Culture,
    /// 教育培训: schools and courses.
    Education,
}

impl Category {
    /// Every category, in the order the directory shows them.
    pub const ALL: [Category; 6] = [
        Category::Shopping,
        Category::Dining,
        Category::Medical,
        Category::Travel,
        Category::Culture,
        Category::Education,
    ];

    /// Stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Shopping => "shopping",
            Category::Dining => "dining",
            Category::Medical => "medical",
            Category::Travel => "travel",
            Category::Culture => "culture",
            Category::Education => "education",
        }
    }

    /// Parses the stored name.
    pub fn from_db(s: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// What people call it.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Category::Shopping => lang.pick("购物", "Shopping"),
            Category::Dining => lang.pick("餐饮", "Dining"),
            Category::Medical => lang.pick("医疗", "Health"),
            Category::Travel => lang.pick("出行", "Travel"),
            Category::Culture => lang.pick("文体", "Culture & sport"),
            Category::Education => lang.pick("教育培训", "Education"),
        }
    }
}

/// How an offer lowers the bill.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DiscountRule {
    /// A share off the bill, in basis points (500 = 5% off, i.e. 95折).
    PercentOff {
        /// Basis points off.
        basis_points: i64,
    },
    /// A fixed amount off.
    AmountOff {
        /// Fen off.
        amount_fen: i64,
    },
    /// A member price instead of the normal price.
    FixedPrice {
        /// The member price in fen.
        price_fen: i64,
    },
}

/// An offer's terms: the rule and its conditions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Terms {
    /// How the bill is lowered.
    pub rule: DiscountRule,
    /// The bill must be at least this (0 = no minimum).
    pub min_spend_fen: i64,
    /// The discount is at most this.
    pub max_discount_fen: Option<i64>,
}

/// Why no discount applies to a bill.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoDiscount {
    /// A bill of zero or less.
    EmptyBill,
    /// Above the product's ceiling on amounts ([`crate::money::MAX_FEN`]).
    BillTooLarge,
    /// Below the minimum spend.
    BelowMinimum {
        /// The minimum.
        min_spend_fen: i64,
    },
}

/// A discount worked out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Worked {
    /// The bill before the discount.
    pub bill_fen: i64,
    /// The discount.
    pub discount_fen: i64,
    /// What the member pays.
    pub pay_fen: i64,
}

/// Rounds `value * bp / 10000` to the nearest fen, halves up.
fn percent_of(value: i64, basis_points: i64) -> i64 {
    let scaled = value as i128 * basis_points as i128;
    ((scaled * 2 + 10_000) / 20_000) as i64
}

impl Terms {
    /// The discount on a bill.
    pub fn apply(&self, bill_fen: i64) -> Result<Worked, NoDiscount> {
        if bill_fen <= 0 {
            return Err(NoDiscount::EmptyBill);
        }
        if bill_fen > crate::money::MAX_FEN {
            return Err(NoDiscount::BillTooLarge);
        }
        if bill_fen < self.min_spend_fen {
            return Err(NoDiscount::BelowMinimum {
                min_spend_fen: self.min_spend_fen,
            });
        }
        let raw = match self.rule {
            DiscountRule::PercentOff { basis_points } => {
                percent_of(bill_fen, basis_points.clamp(0, 10_000))
            }
            DiscountRule::AmountOff { amount_fen } => amount_fen.max(0),
            DiscountRule::FixedPrice { price_fen } => (bill_fen - price_fen.max(0)).max(0),
        };
        let capped = self.max_discount_fen.map_or(raw, |cap| raw.min(cap.max(0)));
        let discount_fen = capped.min(bill_fen);
        Ok(Worked {
            bill_fen,
            discount_fen,
            pay_fen: bill_fen - discount_fen,
        })
    }

    /// The bill an example saving is worked on: the merchant's typical bill,
    /// raised to the minimum spend when the offer needs more, so "消费 ¥X
    /// 约省 ¥Y" is always a bill the offer applies to.
    pub fn example_bill(&self, typical_bill_fen: i64) -> i64 {
        typical_bill_fen.max(self.min_spend_fen)
    }

    /// A one-line description, e.g. `95折，最高优惠 ¥50.00`.
    pub fn describe(&self, lang: Lang) -> String {
        let mut s = match (self.rule, lang) {
            (DiscountRule::PercentOff { basis_points }, Lang::Zh) => {
                // 95折 pays 95%; 9折 pays 90%; 8.75折 pays 87.5%.
                let paid = 10_000 - basis_points;
                if paid % 1_000 == 0 {
                    format!("{}折", paid / 1_000)
                } else if paid % 100 == 0 {
                    format!("{}折", paid / 100)
                } else {
                    format!("{}折", paid as f64 / 1_000.0)
                }
            }
            (DiscountRule::PercentOff { basis_points }, Lang::En) => {
                format!("{}% off", basis_points as f64 / 100.0)
            }
            (DiscountRule::AmountOff { amount_fen }, Lang::Zh) => {
                format!("立减 {}", yuan(amount_fen))
            }
            (DiscountRule::AmountOff { amount_fen }, Lang::En) => {
                format!("{} off", yuan(amount_fen))
            }
            (DiscountRule::FixedPrice { price_fen }, Lang::Zh) => {
                format!("会员价 {}", yuan(price_fen))
            }
            (DiscountRule::FixedPrice { price_fen }, Lang::En) => {
                format!("Member price {}", yuan(price_fen))
            }
        };
        if self.min_spend_fen > 0 {
            s.push_str(&match lang {
                Lang::Zh => format!("，满 {} 可用", yuan(self.min_spend_fen)),
                Lang::En => format!(", on bills from {}", yuan(self.min_spend_fen)),
            });
        }
        if let Some(cap) = self.max_discount_fen {
            s.push_str(&match lang {
                Lang::Zh => format!("，最高优惠 {}", yuan(cap)),
                Lang::En => format!(", at most {} off", yuan(cap)),
            });
        }
        s
    }
}

/// Money as people read it: `¥1,234.56`.
pub fn yuan(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let fen = fen.unsigned_abs();
    let whole = (fen / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{sign}¥{grouped}.{:02}", fen % 100)
}

/// Days of the week an offer applies: bit 0 = Monday … bit 6 = Sunday.
pub const EVERY_DAY: i64 = 0b111_1111;

/// Whether a weekday (0 = Monday) is in a mask.
pub fn on_weekday(mask: i64, weekday: u32) -> bool {
    mask & (1 << weekday) != 0
}

/// The weekday (0 = Monday) of a count of days since 1970-01-01 (a Thursday).
pub fn weekday_of(days_since_epoch: i64) -> u32 {
    (days_since_epoch + 3).rem_euclid(7) as u32
}

/// Why an offer cannot be used on a day.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NotUsable {
    /// Paused by its merchant or the union.
    Paused,
    /// Its first day is still to come.
    NotYet(Date),
    /// Its last day has passed.
    Ended,
    /// Not on this weekday: the days it applies.
    NotThisWeekday(i64),
}

/// The weekdays of a mask in words: `周六、周日` / `Sat, Sun`.
pub fn weekdays_in_words(mask: i64, lang: Lang) -> String {
    const ZH: [&str; 7] = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"];
    const EN: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    let names = if lang == Lang::Zh { ZH } else { EN };
    let days: Vec<&str> = (0..7u32)
        .filter(|&d| on_weekday(mask, d))
        .map(|d| names[d as usize])
        .collect();
    days.join(if lang == Lang::Zh { "、" } else { ", " })
}

impl NotUsable {
    /// The reason as a member reads it beside the offer.
    pub fn message(&self, lang: Lang) -> String {
        let zh = lang == Lang::Zh;
        match self {
            NotUsable::Paused if zh => "暂停使用".into(),
            NotUsable::Paused => "Paused".into(),
            NotUsable::NotYet(d) if zh => format!("{d}起可用"),
            NotUsable::NotYet(d) => format!("From {}", d.iso()),
            NotUsable::Ended if zh => "已过期".into(),
            NotUsable::Ended => "Expired".into(),
            NotUsable::NotThisWeekday(m) if zh => {
                format!("今天不可用，仅{}可用", weekdays_in_words(*m, lang))
            }
            NotUsable::NotThisWeekday(m) => {
                format!("Not today: only on {}", weekdays_in_words(*m, lang))
            }
        }
    }
}

/// Whether an offer valid `valid_from..=valid_to` (ISO dates) on the
/// `weekdays` mask can be used on `day`: the server's rule before it
/// issues a code, and the phone's before it offers the button.
pub fn usable_on(
    valid_from: &str,
    valid_to: &str,
    weekdays: i64,
    day: Date,
) -> Result<(), NotUsable> {
    let today = day.iso();
    if today.as_str() < valid_from {
        return Err(NotUsable::NotYet(
            Date::parse_iso(valid_from).unwrap_or(day),
        ));
    }
    if today.as_str() > valid_to {
        return Err(NotUsable::Ended);
    }
    if !on_weekday(weekdays, weekday_of(day.to_days())) {
        return Err(NotUsable::NotThisWeekday(weekdays));
    }
    Ok(())
}

impl OfferView {
    /// Whether a member can use this offer on `day`, and why not.
    pub fn usable_on(&self, day: Date) -> Result<(), NotUsable> {
        if self.status != OfferStatus::Active {
            return Err(NotUsable::Paused);
        }
        usable_on(&self.valid_from, &self.valid_to, self.weekdays, day)
    }
}

/// How often a member may use an offer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Limit {
    /// Uses allowed in each period.
    pub count: i64,
    /// `day` or `month`.
    pub period: LimitPeriod,
}

/// The period of a per-member limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum LimitPeriod {
    /// Per calendar day (China time).
    Day,
    /// Per calendar month.
    Month,
}

/// Great-circle distance in metres between two points given in degrees.
pub fn distance_m(lat1: f64, lng1: f64, lat2: f64, lng2: f64) -> f64 {
    let r = 6_371_000.0_f64;
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = (lat2 - lat1).to_radians();
    let dl = (lng2 - lng1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * r * a.sqrt().asin()
}

/// An offer as members and cashiers see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OfferView {
    /// Offer id.
    pub id: i64,
    /// Title, e.g. `会员购物 95 折`.
    pub title: String,
    /// The terms.
    pub terms: Terms,
    /// The terms in words, in the client's language.
    pub summary: String,
    /// First valid day (ISO date).
    pub valid_from: String,
    /// Last valid day (ISO date).
    pub valid_to: String,
    /// Weekdays it applies (bit 0 Monday … bit 6 Sunday).
    pub weekdays: i64,
    /// Per-member limit, if any.
    pub limit: Option<Limit>,
    /// Shown and redeemable, or paused.
    pub status: OfferStatus,
    /// What a member saves on [`OfferView::example_bill_fen`].
    pub typical_saving_fen: i64,
    /// The bill the saving is worked on: the merchant's typical bill, or the
    /// minimum spend when that is higher ([`Terms::example_bill`]).
    #[serde(default)]
    pub example_bill_fen: i64,
}

/// A merchant in the directory.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MerchantView {
    /// Merchant id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Category.
    pub category: Category,
    /// District.
    pub district: String,
    /// Street address.
    pub address: String,
    /// Opening hours.
    pub hours: String,
    /// Phone.
    pub phone: String,
    /// Latitude, degrees.
    pub lat: f64,
    /// Longitude, degrees.
    pub lng: f64,
    /// Distance from `near`, metres.
    pub distance_m: Option<i64>,
    /// A typical bill here, for "how much you save".
    pub typical_bill_fen: i64,
    /// The offers.
    pub offers: Vec<OfferView>,
}

/// `POST /api/offers/{id}/redemptions`: the one-time code for the cashier.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RedemptionCode {
    /// Redemption id.
    pub id: i64,
    /// 10 digits.
    pub code: String,
    /// When it stops working (RFC 3339), ten minutes after issue.
    pub expires_at: String,
    /// The offer.
    pub offer_title: String,
    /// The merchant.
    pub merchant_name: String,
}

/// `POST /api/merchant/redemptions/{code}/confirm` (and `/preview`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConfirmRequest {
    /// The bill before the discount, in fen.
    pub amount_fen: i64,
}

/// A redemption as the cashier sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CashierRedemption {
    /// The code.
    pub code: String,
    /// The offer.
    pub offer_title: String,
    /// The member's masked name.
    pub member_masked: String,
    /// The arithmetic.
    pub worked: Worked,
    /// `issued` (a preview) or `confirmed`.
    pub status: RedemptionStatus,
    /// When confirmed (RFC 3339).
    pub confirmed_at: Option<String>,
}

/// The cashier's day: confirmed uses and their totals.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CashierDay {
    /// Today's confirmed uses, newest first.
    pub items: Vec<CashierRedemption>,
    /// Sum of bills.
    pub bills_fen: i64,
    /// Sum of discounts.
    pub discounts_fen: i64,
}

/// One use in a member's history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HistoryItem {
    /// Redemption id.
    pub id: i64,
    /// Merchant id.
    pub merchant_id: i64,
    /// Merchant name.
    pub merchant_name: String,
    /// Offer title.
    pub offer_title: String,
    /// When confirmed (RFC 3339).
    pub at: String,
    /// The bill.
    pub bill_fen: i64,
    /// The saving.
    pub saving_fen: i64,
}

/// `GET /api/me/redemptions`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MyRedemptions {
    /// Confirmed uses, newest first.
    pub items: Vec<HistoryItem>,
    /// Cursor for the next page.
    pub next_cursor: Option<String>,
    /// What the card saved this calendar year.
    pub year_saving_fen: i64,
}

/// `POST /api/complaints`: a member reports a merchant.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ComplaintRequest {
    /// The merchant.
    pub merchant_id: i64,
    /// `refused` (would not give the discount), `wrong_discount`, or `other`.
    pub kind: String,
    /// What happened (optional, at most 500 characters).
    #[serde(default)]
    pub text: String,
    /// The use it is about, if any.
    pub redemption_id: Option<i64>,
}

/// A complaint as its member or an officer sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ComplaintView {
    /// Complaint id.
    pub id: i64,
    /// The merchant.
    pub merchant_id: i64,
    /// Its name.
    pub merchant_name: String,
    /// The kind.
    pub kind: String,
    /// What the member wrote.
    pub text: String,
    /// Waiting for an officer, or resolved.
    pub status: ComplaintStatus,
    /// The officer's note.
    pub note: Option<String>,
    /// Filed (RFC 3339).
    pub created_at: String,
    /// Open complaints against this merchant (officers' view).
    pub merchant_open_complaints: i64,
    /// Whether a photo came with it (`GET /api/complaints/{id}/photo`).
    pub has_photo: bool,
}

/// Where a one-time code stands. A code is issued once and confirmed at
/// most once; an issued code that is never confirmed simply expires (its
/// `expires_at`), so expiry is not a status of its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RedemptionStatus {
    /// Given to the member, not yet used at the till.
    Issued,
    /// Used: the cashier confirmed it with the bill.
    Confirmed,
}

impl RedemptionStatus {
    /// Every status.
    pub const ALL: [RedemptionStatus; 2] = [RedemptionStatus::Issued, RedemptionStatus::Confirmed];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            RedemptionStatus::Issued => "issued",
            RedemptionStatus::Confirmed => "confirmed",
        }
    }

    /// Parses the stored name.
    pub fn from_db(s: &str) -> Option<RedemptionStatus> {
        RedemptionStatus::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// Whether the till may still confirm it (expiry aside): only once.
    pub fn may_confirm(self) -> bool {
        self == RedemptionStatus::Issued
    }
}

/// Where a member's complaint about a merchant stands. An officer resolves
/// an open complaint once, with a note; a resolved one stays resolved.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ComplaintStatus {
    /// Filed, waiting for an officer.
    Open,
    /// An officer decided it and wrote what was done.
    Resolved,
}

impl ComplaintStatus {
    /// Every status, in the order a complaint moves through them.
    pub const ALL: [ComplaintStatus; 2] = [ComplaintStatus::Open, ComplaintStatus::Resolved];

    /// The stored name (also the officers' queue filter).
    pub fn as_str(self) -> &'static str {
        match self {
            ComplaintStatus::Open => "open",
            ComplaintStatus::Resolved => "resolved",
        }
    }

    /// Parses the stored name.
    pub fn from_db(s: &str) -> Option<ComplaintStatus> {
        ComplaintStatus::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// What the member reads beside the complaint.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            ComplaintStatus::Open => lang.pick("处理中", "Being handled"),
            ComplaintStatus::Resolved => lang.pick("已处理", "Resolved"),
        }
    }

    /// Whether an officer may still resolve it.
    pub fn may_resolve(self) -> bool {
        self == ComplaintStatus::Open
    }
}

/// What is not taking part now, when an offer cannot be used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unavailable {
    /// The offer: paused, or outside its dates.
    Offer,
    /// Its merchant: the contract is paused or ended.
    Merchant,
}

/// Why a member could not get a code for an offer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OfferRefusal {
    /// The member's card is not active (issued, frozen or lost).
    CardNotActive,
    /// The offer or its merchant is not taking part now (one code for both).
    NotAvailable(Unavailable),
    /// The offer does not apply on this weekday.
    NotToday,
    /// The member has used the offer as often as its limit allows in this
    /// period (also the cashier's answer at the till).
    LimitReached(LimitPeriod),
}

impl crate::error::Refused for OfferRefusal {
    fn code(&self) -> &'static str {
        match self {
            OfferRefusal::CardNotActive => "card_not_active",
            OfferRefusal::NotAvailable(_) => "offer_not_available",
            OfferRefusal::NotToday => "not_today",
            OfferRefusal::LimitReached(_) => "limit_reached",
        }
    }

    fn refusal(&self) -> crate::error::Refusal {
        crate::error::Refusal::Unprocessable
    }

    fn message(&self, lang: Lang) -> String {
        match self {
            OfferRefusal::CardNotActive => lang.pick(
                "会员卡激活后才能使用优惠",
                "Activate your card to use offers",
            ),
            OfferRefusal::NotAvailable(Unavailable::Offer) => {
                lang.pick("这项优惠目前不可用", "This offer is not available now")
            }
            OfferRefusal::NotAvailable(Unavailable::Merchant) => lang.pick(
                "这家商户目前暂停合作",
                "This merchant is not taking part now",
            ),
            OfferRefusal::NotToday => lang.pick(
                "这项优惠今天不适用，请留意适用日期",
                "This offer does not apply today",
            ),
            OfferRefusal::LimitReached(LimitPeriod::Day) => lang.pick(
                "这项优惠今天的次数已用完，明天再来吧",
                "You have used this offer as often as allowed today",
            ),
            OfferRefusal::LimitReached(LimitPeriod::Month) => lang.pick(
                "这项优惠本月的次数已用完",
                "You have used this offer as often as allowed this month",
            ),
        }
        .to_string()
    }
}

/// Why a cashier could not take a member's redemption code, in the order
/// the till checks: unknown, another merchant's, used, expired, the card.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TillRefusal {
    /// No code like it (404).
    UnknownCode,
    /// A code for another merchant's offer (403).
    OtherMerchant,
    /// Confirmed already (409).
    AlreadyUsed,
    /// Past its ten minutes (410).
    CodeExpired,
    /// The member's card was frozen or reported lost since (422).
    CardNotActive,
}

impl crate::error::Refused for TillRefusal {
    fn code(&self) -> &'static str {
        match self {
            TillRefusal::UnknownCode => "unknown_code",
            TillRefusal::OtherMerchant => "other_merchant",
            TillRefusal::AlreadyUsed => "already_used",
            TillRefusal::CodeExpired => "code_expired",
            TillRefusal::CardNotActive => "card_not_active",
        }
    }

    fn refusal(&self) -> crate::error::Refusal {
        use crate::error::Refusal;
        match self {
            TillRefusal::UnknownCode => Refusal::NotFound,
            TillRefusal::OtherMerchant => Refusal::Forbidden,
            TillRefusal::AlreadyUsed => Refusal::Conflict,
            TillRefusal::CodeExpired => Refusal::Gone,
            TillRefusal::CardNotActive => Refusal::Unprocessable,
        }
    }

    fn message(&self, lang: Lang) -> String {
        match self {
            TillRefusal::UnknownCode => {
                lang.pick("没有这个优惠码，请核对", "No such offer code; check it")
            }
            TillRefusal::OtherMerchant => lang.pick(
                "这是其他商户的优惠码，不能在本店使用",
                "This code is for another merchant's offer",
            ),
            TillRefusal::AlreadyUsed => {
                lang.pick("这个优惠码已经使用过了", "This code has already been used")
            }
            TillRefusal::CodeExpired => lang.pick(
                "优惠码已过期，请会员重新获取",
                "This code has expired; the member can get a new one",
            ),
            TillRefusal::CardNotActive => lang.pick(
                "会员卡不可用（已冻结或挂失），不能享受优惠",
                "The member's card is frozen or lost",
            ),
        }
        .to_string()
    }
}

/// A bill that gets no discount is refused at the till, on `amount_fen`.
impl crate::error::Refused for NoDiscount {
    fn code(&self) -> &'static str {
        match self {
            NoDiscount::EmptyBill => "bad_amount",
            NoDiscount::BillTooLarge => "amount_too_large",
            NoDiscount::BelowMinimum { .. } => "below_minimum",
        }
    }

    fn refusal(&self) -> crate::error::Refusal {
        crate::error::Refusal::Unprocessable
    }

    fn message(&self, lang: Lang) -> String {
        match self {
            NoDiscount::EmptyBill => lang.pick("请输入账单金额", "Enter the bill amount"),
            NoDiscount::BillTooLarge => lang.pick(
                "账单金额超出上限（¥100,000,000.00）",
                "The bill is above the limit (¥100,000,000.00)",
            ),
            NoDiscount::BelowMinimum { .. } => lang.pick(
                "账单未达到这项优惠的最低消费",
                "The bill is below this offer's minimum spend",
            ),
        }
        .to_string()
    }

    fn field(&self, lang: Lang) -> Option<(&'static str, String)> {
        let hint = match self {
            NoDiscount::EmptyBill => lang.pick("请输入账单金额", "Enter the bill amount"),
            NoDiscount::BillTooLarge => lang.pick("金额过大", "Amount too large"),
            NoDiscount::BelowMinimum { .. } => {
                lang.pick("未达到最低消费", "Below the minimum spend")
            }
        };
        Some(("amount_fen", hint.to_string()))
    }
}

/// Why a complaint (the member's, or an officer's decision on it) was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ComplaintRefusal {
    /// A kind other than `refused`, `wrong_discount` or `other`.
    BadKind,
    /// A description over 500 characters.
    TooLong,
    /// More complaints in a day than one member may send (429; the server
    /// says when to try again).
    TooMany,
    /// A second photo for one complaint.
    PhotoExists,
    /// An officer's decision other than upheld (`approve`) or not (`reject`).
    BadDecision,
    /// An officer resolves a complaint resolved meanwhile.
    AlreadyDecided,
}

impl crate::error::Refused for ComplaintRefusal {
    fn code(&self) -> &'static str {
        match self {
            ComplaintRefusal::BadKind => "bad_kind",
            ComplaintRefusal::TooLong => "too_long",
            ComplaintRefusal::TooMany => "too_many_complaints",
            ComplaintRefusal::PhotoExists => "photo_exists",
            ComplaintRefusal::BadDecision => "bad_decision",
            ComplaintRefusal::AlreadyDecided => "already_decided",
        }
    }

    fn refusal(&self) -> crate::error::Refusal {
        use crate::error::Refusal;
        match self {
            ComplaintRefusal::BadKind
            | ComplaintRefusal::TooLong
            | ComplaintRefusal::BadDecision => Refusal::Unprocessable,
            ComplaintRefusal::TooMany => Refusal::TooMany,
            ComplaintRefusal::PhotoExists | ComplaintRefusal::AlreadyDecided => Refusal::Conflict,
        }
    }

    fn message(&self, lang: Lang) -> String {
        match self {
            ComplaintRefusal::BadKind => lang.pick("请选择问题类型", "Choose what went wrong"),
            ComplaintRefusal::TooLong => lang.pick("描述最多 500 字", "At most 500 characters"),
            ComplaintRefusal::TooMany => lang.pick(
                "今天已提交多次投诉，请明天再试或拨打工会服务热线 12351",
                "You have sent many complaints today; try tomorrow or call the union hotline 12351",
            ),
            ComplaintRefusal::PhotoExists => {
                lang.pick("已经上传过照片", "A photo is already attached")
            }
            ComplaintRefusal::BadDecision => lang.pick(
                "投诉只能认定属实或不属实",
                "A complaint is upheld (approve) or not (reject)",
            ),
            ComplaintRefusal::AlreadyDecided => lang.pick(
                "这条投诉已经处理过了",
                "This complaint was already resolved",
            ),
        }
        .to_string()
    }

    fn field(&self, lang: Lang) -> Option<(&'static str, String)> {
        let (field, zh, en) = match self {
            ComplaintRefusal::BadKind => ("kind", "请选择", "Choose one"),
            ComplaintRefusal::TooLong => ("text", "最多 500 字", "At most 500 characters"),
            _ => return None,
        };
        Some((field, lang.pick(zh, en).to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(rule: DiscountRule, min: i64, cap: Option<i64>) -> Terms {
        Terms {
            rule,
            min_spend_fen: min,
            max_discount_fen: cap,
        }
    }

    #[test]
    fn the_example_saving_is_worked_on_a_bill_the_offer_takes() {
        let over_200 = Terms {
            rule: DiscountRule::AmountOff { amount_fen: 1_500 },
            min_spend_fen: 20_000,
            max_discount_fen: None,
        };
        // A ¥100 typical bill is below the minimum: the example is ¥200.
        assert_eq!(over_200.example_bill(10_000), 20_000);
        assert_eq!(
            over_200
                .apply(over_200.example_bill(10_000))
                .unwrap()
                .discount_fen,
            1_500
        );
        // Above the minimum, the typical bill itself.
        assert_eq!(over_200.example_bill(30_000), 30_000);
    }

    #[test]
    fn an_offer_says_why_it_cannot_be_used_today() {
        let wed = Date::parse_iso("2026-12-02").unwrap();
        let sat = Date::parse_iso("2026-12-05").unwrap();
        let weekends = 0b110_0000;
        assert_eq!(
            usable_on("2026-01-01", "2026-12-31", weekends, wed),
            Err(NotUsable::NotThisWeekday(weekends))
        );
        assert_eq!(usable_on("2026-01-01", "2026-12-31", weekends, sat), Ok(()));
        assert_eq!(
            usable_on("2026-12-03", "2026-12-31", EVERY_DAY, wed),
            Err(NotUsable::NotYet(Date::parse_iso("2026-12-03").unwrap()))
        );
        assert_eq!(
            usable_on("2026-01-01", "2026-12-01", EVERY_DAY, wed),
            Err(NotUsable::Ended)
        );
        // The first and the last day count.
        assert_eq!(
            usable_on("2026-12-02", "2026-12-02", EVERY_DAY, wed),
            Ok(())
        );
        assert_eq!(
            NotUsable::NotThisWeekday(weekends).message(Lang::Zh),
            "今天不可用，仅周六、周日可用"
        );
        assert_eq!(
            NotUsable::NotThisWeekday(weekends).message(Lang::En),
            "Not today: only on Sat, Sun"
        );
        assert_eq!(
            NotUsable::NotYet(Date::parse_iso("2026-12-03").unwrap()).message(Lang::Zh),
            "2026年12月3日起可用"
        );
    }

    #[test]
    fn five_percent_off_a_hundred_yuan_saves_five() {
        let t = terms(DiscountRule::PercentOff { basis_points: 500 }, 0, None);
        assert_eq!(
            t.apply(10_000),
            Ok(Worked {
                bill_fen: 10_000,
                discount_fen: 500,
                pay_fen: 9_500
            })
        );
    }

    #[test]
    fn half_fens_go_to_the_member() {
        let t = terms(DiscountRule::PercentOff { basis_points: 500 }, 0, None);
        // 5% of 0.10 yuan is half a fen: rounded up to one fen.
        assert_eq!(t.apply(10).unwrap().discount_fen, 1);
        // 5% of 0.09 yuan is 0.45 fen: rounded down.
        assert_eq!(t.apply(9).unwrap().discount_fen, 0);
        // 15% of 33.33 yuan = 4.9995 yuan -> 5.00.
        let t = terms(DiscountRule::PercentOff { basis_points: 1500 }, 0, None);
        assert_eq!(t.apply(3_333).unwrap().discount_fen, 500);
    }

    #[test]
    fn minimum_spend_and_cap() {
        let t = terms(
            DiscountRule::PercentOff { basis_points: 1000 },
            5_000,
            Some(2_000),
        );
        assert_eq!(
            t.apply(4_999),
            Err(NoDiscount::BelowMinimum {
                min_spend_fen: 5_000
            })
        );
        assert_eq!(t.apply(5_000).unwrap().discount_fen, 500);
        assert_eq!(t.apply(100_000).unwrap().discount_fen, 2_000, "capped");
        assert_eq!(t.apply(0), Err(NoDiscount::EmptyBill));
        assert_eq!(
            t.apply(crate::money::MAX_FEN + 1),
            Err(NoDiscount::BillTooLarge)
        );
    }

    #[test]
    fn amount_off_never_exceeds_the_bill() {
        let t = terms(DiscountRule::AmountOff { amount_fen: 1_000 }, 0, None);
        assert_eq!(
            t.apply(600).unwrap(),
            Worked {
                bill_fen: 600,
                discount_fen: 600,
                pay_fen: 0
            }
        );
        assert_eq!(t.apply(8_800).unwrap().pay_fen, 7_800);
    }

    #[test]
    fn a_member_price_saves_the_difference() {
        let t = terms(DiscountRule::FixedPrice { price_fen: 2_990 }, 0, None);
        assert_eq!(t.apply(4_500).unwrap().discount_fen, 1_510);
        assert_eq!(
            t.apply(2_000).unwrap().discount_fen,
            0,
            "already below the member price"
        );
    }

    #[test]
    fn terms_describe_themselves() {
        let t = terms(DiscountRule::PercentOff { basis_points: 500 }, 0, None);
        assert_eq!(t.describe(Lang::Zh), "95折");
        let t = terms(
            DiscountRule::PercentOff { basis_points: 1000 },
            10_000,
            Some(5_000),
        );
        assert_eq!(
            t.describe(Lang::Zh),
            "9折，满 ¥100.00 可用，最高优惠 ¥50.00"
        );
        assert_eq!(
            t.describe(Lang::En),
            "10% off, on bills from ¥100.00, at most ¥50.00 off"
        );
    }

    #[test]
    fn money_reads_with_separators() {
        assert_eq!(yuan(123_456_789), "¥1,234,567.89");
        assert_eq!(yuan(5), "¥0.05");
        assert_eq!(yuan(-1_000), "-¥10.00");
    }

    #[test]
    fn weekdays() {
        // 1970-01-01 was a Thursday; 2026-11-23 is a Monday.
        assert_eq!(weekday_of(0), 3);
        assert_eq!(weekday_of(20_780), 0);
        let weekends = 0b110_0000;
        assert!(on_weekday(weekends, 5) && on_weekday(weekends, 6) && !on_weekday(weekends, 0));
        assert!(on_weekday(EVERY_DAY, 2));
    }

    #[test]
    fn distances() {
        // 黄鹤楼 to 江汉路 is about 3.5 km.
        let d = distance_m(30.5446, 114.3025, 30.5797, 114.2868);
        assert!((3_000.0..4_500.0).contains(&d), "{d}");
        assert_eq!(distance_m(30.0, 114.0, 30.0, 114.0), 0.0);
    }
}

/// A merchant as an officer enters it (`POST /api/staff/merchants`, `PUT …/{id}`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MerchantInput {
    /// Name as on the shop sign.
    pub name: String,
    /// `shopping`, `dining`, `medical`, `travel`, `culture` or `education`.
    pub category: String,
    /// District, e.g. `武昌区`.
    pub district: String,
    /// Street address.
    pub address: String,
    /// Latitude (WGS-84).
    pub lat: f64,
    /// Longitude.
    pub lng: f64,
    /// Opening hours as people write them.
    #[serde(default)]
    pub hours: String,
    /// Phone.
    #[serde(default)]
    pub phone: String,
    /// Contract start.
    pub contract_from: String,
    /// Contract end.
    pub contract_to: String,
    /// A typical bill, for "消费 ¥100.00 约省 ¥5.00".
    pub typical_bill_fen: i64,
    /// The union the merchant belongs to (default: the officer's).
    #[serde(default)]
    pub union_id: Option<i64>,
}

pub(crate) fn text(
    p: &mut FieldProblems,
    field: &'static str,
    value: &str,
    max: usize,
    required: bool,
) {
    let n = value.trim().chars().count();
    if required && n == 0 {
        p.0.push((field, FieldProblem::Required));
    } else if n > max {
        p.0.push((field, FieldProblem::TooLong));
    }
}

fn dates(p: &mut FieldProblems, from: (&'static str, &str), to: (&'static str, &str)) {
    let a = crate::identity::Date::parse_iso(from.1);
    let b = crate::identity::Date::parse_iso(to.1);
    if a.is_none() {
        p.0.push((from.0, FieldProblem::DateFormat));
    }
    match (a, b) {
        (_, None) => p.0.push((to.0, FieldProblem::DateFormat)),
        (Some(a), Some(b)) if b < a => p.0.push((to.0, FieldProblem::EndBeforeStart)),
        _ => {}
    }
}

pub(crate) fn done(p: FieldProblems) -> Result<(), FieldProblems> {
    if p.is_empty() {
        Ok(())
    } else {
        Err(p)
    }
}

impl MerchantInput {
    /// Checks every field, collecting all problems.
    pub fn check(&self) -> Result<(), FieldProblems> {
        let mut p = FieldProblems::default();
        text(&mut p, "name", &self.name, 60, true);
        if Category::from_db(&self.category).is_none() {
            p.0.push(("category", FieldProblem::ChooseOne));
        }
        text(&mut p, "district", &self.district, 20, true);
        text(&mut p, "address", &self.address, 120, true);
        // Inside China's mainland bounding box: catches swapped or zero coordinates.
        if !(3.0..=54.0).contains(&self.lat) {
            p.0.push(("lat", FieldProblem::TooLarge));
        }
        if !(73.0..=136.0).contains(&self.lng) {
            p.0.push(("lng", FieldProblem::TooLarge));
        }
        text(&mut p, "hours", &self.hours, 60, false);
        text(&mut p, "phone", &self.phone, 30, false);
        dates(
            &mut p,
            ("contract_from", &self.contract_from),
            ("contract_to", &self.contract_to),
        );
        if self.typical_bill_fen <= 0 {
            p.0.push(("typical_bill_fen", FieldProblem::Required));
        } else if self.typical_bill_fen > 100_000_000 {
            p.0.push(("typical_bill_fen", FieldProblem::TooLarge));
        }
        done(p)
    }
}

/// An offer as an officer enters it. Its `Default` is what a body leaving
/// the optional fields out parses as (every day of the week).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OfferInput {
    /// e.g. `会员购物 95 折`.
    pub title: String,
    /// `percent`, `amount` or `fixed`.
    pub kind: String,
    /// Percent off, basis points (500 = 5% off).
    #[serde(default)]
    pub basis_points: Option<i64>,
    /// Amount off.
    #[serde(default)]
    pub amount_fen: Option<i64>,
    /// Member price.
    #[serde(default)]
    pub price_fen: Option<i64>,
    /// Minimum spend.
    #[serde(default)]
    pub min_spend_fen: i64,
    /// Largest discount.
    #[serde(default)]
    pub max_discount_fen: Option<i64>,
    /// First day.
    pub valid_from: String,
    /// Last day.
    pub valid_to: String,
    /// Days of the week (bit 0 = Monday); default every day.
    #[serde(default = "every_day")]
    pub weekdays: i64,
    /// Uses per member per period.
    #[serde(default)]
    pub limit_count: Option<i64>,
    /// `day` or `month`.
    #[serde(default)]
    pub limit_period: Option<String>,
}

fn every_day() -> i64 {
    EVERY_DAY
}

impl Default for OfferInput {
    fn default() -> OfferInput {
        OfferInput {
            title: String::new(),
            kind: String::new(),
            basis_points: None,
            amount_fen: None,
            price_fen: None,
            min_spend_fen: 0,
            max_discount_fen: None,
            valid_from: String::new(),
            valid_to: String::new(),
            weekdays: every_day(),
            limit_count: None,
            limit_period: None,
        }
    }
}

impl OfferInput {
    /// Checks every field, collecting all problems.
    pub fn check(&self) -> Result<(), FieldProblems> {
        let mut p = FieldProblems::default();
        text(&mut p, "title", &self.title, 40, true);
        let positive = |v: Option<i64>, max: i64| v.is_some_and(|v| v > 0 && v <= max);
        match self.kind.as_str() {
            "percent" if !positive(self.basis_points, 9_000) => {
                p.0.push(("basis_points", FieldProblem::ChooseOne))
            }
            "amount" if !positive(self.amount_fen, 100_000_000) => {
                p.0.push(("amount_fen", FieldProblem::Required))
            }
            "fixed" if !positive(self.price_fen, 100_000_000) => {
                p.0.push(("price_fen", FieldProblem::Required))
            }
            "percent" | "amount" | "fixed" => {}
            _ => p.0.push(("kind", FieldProblem::ChooseOne)),
        }
        if !(0..=100_000_000).contains(&self.min_spend_fen) {
            p.0.push(("min_spend_fen", FieldProblem::Negative));
        }
        if self.max_discount_fen.is_some_and(|m| m <= 0) {
            p.0.push(("max_discount_fen", FieldProblem::Negative));
        }
        dates(
            &mut p,
            ("valid_from", &self.valid_from),
            ("valid_to", &self.valid_to),
        );
        if !(1..=EVERY_DAY).contains(&self.weekdays) {
            p.0.push(("weekdays", FieldProblem::ChooseOne));
        }
        match (self.limit_count, self.limit_period.as_deref()) {
            (None, None) => {}
            (Some(n), Some("day" | "month")) if (1..=100).contains(&n) => {}
            _ => p.0.push(("limit_count", FieldProblem::ChooseOne)),
        }
        done(p)
    }
}

/// Where a partner merchant's contract stands. An ended contract is final:
/// resuming means entering a new one, so members' history keeps pointing at
/// the contract it happened under.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MerchantStatus {
    /// Signed and serving members.
    Active,
    /// Off the directory for now.
    Paused,
    /// The contract has ended.
    Ended,
}

impl MerchantStatus {
    /// Every status.
    pub const ALL: [MerchantStatus; 3] = [
        MerchantStatus::Active,
        MerchantStatus::Paused,
        MerchantStatus::Ended,
    ];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            MerchantStatus::Active => "active",
            MerchantStatus::Paused => "paused",
            MerchantStatus::Ended => "ended",
        }
    }

    /// Parses the stored name.
    pub fn from_db(s: &str) -> Option<MerchantStatus> {
        MerchantStatus::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// What the desk shows.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            MerchantStatus::Active => lang.pick("合作中", "Active"),
            MerchantStatus::Paused => lang.pick("已暂停", "Paused"),
            MerchantStatus::Ended => lang.pick("已终止", "Ended"),
        }
    }

    /// Whether an officer may still change it: anything until the contract
    /// has ended, nothing after.
    pub fn is_final(self) -> bool {
        self == MerchantStatus::Ended
    }

    /// The statuses an officer may move it to, as the desk offers them.
    pub fn next(self) -> &'static [MerchantStatus] {
        match self {
            MerchantStatus::Active => &[MerchantStatus::Paused, MerchantStatus::Ended],
            MerchantStatus::Paused => &[MerchantStatus::Active, MerchantStatus::Ended],
            MerchantStatus::Ended => &[],
        }
    }
}

/// Whether an offer is shown to members.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum OfferStatus {
    /// Shown and redeemable.
    Active,
    /// Hidden; codes already issued expire unused.
    Paused,
}

impl OfferStatus {
    /// Every status.
    pub const ALL: [OfferStatus; 2] = [OfferStatus::Active, OfferStatus::Paused];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            OfferStatus::Active => "active",
            OfferStatus::Paused => "paused",
        }
    }

    /// Parses the stored name.
    pub fn from_db(s: &str) -> Option<OfferStatus> {
        OfferStatus::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// What the desk shows (the same words as a merchant's contract).
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            OfferStatus::Active => lang.pick("合作中", "Active"),
            OfferStatus::Paused => lang.pick("已暂停", "Paused"),
        }
    }

    /// The other one: what the desk's switch sets.
    pub fn toggled(self) -> OfferStatus {
        match self {
            OfferStatus::Active => OfferStatus::Paused,
            OfferStatus::Paused => OfferStatus::Active,
        }
    }
}

/// A status enum's ties to its stored name (each enum has `from_db` and
/// `as_str`): `TryFrom<String>`, so a row's column reads into the enum (an
/// unknown name is the error), and comparison with the name itself
/// (`status == "confirmed"`), so checks and logs may name a status as the
/// contract spells it.
macro_rules! stored_name {
    ($($t:ident),* $(,)?) => {$(
        impl TryFrom<String> for $t {
            type Error = String;
            fn try_from(s: String) -> Result<Self, String> {
                $t::from_db(&s).ok_or_else(|| format!("unknown {} {s:?}", stringify!($t)))
            }
        }

        impl PartialEq<&str> for $t {
            fn eq(&self, name: &&str) -> bool {
                self.as_str() == *name
            }
        }
    )*};
}
pub(crate) use stored_name;

stored_name!(
    MerchantStatus,
    OfferStatus,
    RedemptionStatus,
    ComplaintStatus
);

/// A merchant with its offers, as officers manage it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffMerchant {
    /// Merchant id.
    pub id: i64,
    /// Where its contract stands.
    pub status: MerchantStatus,
    /// What was entered.
    #[serde(flatten)]
    pub input: MerchantInput,
    /// Its offers, paused ones too.
    pub offers: Vec<StaffOffer>,
}

/// An offer as officers manage it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffOffer {
    /// Offer id.
    pub id: i64,
    /// Shown or hidden.
    pub status: OfferStatus,
    /// What was entered.
    #[serde(flatten)]
    pub input: OfferInput,
}

/// `POST …/status`: the status a record moves to, one of its family `S`:
/// [`MerchantStatus`] for a merchant, [`OfferStatus`] for an offer,
/// [`crate::aid::PlanStatus`] for an aid plan. A name outside the family is
/// answered 422 `bad_status` ([`UnknownStatus`]; see [`Named`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatusChange<S> {
    /// The new status.
    pub status: S,
}

/// A status as a request names it: one of the family `S`, or a name the
/// family does not have. It reads from any string, so that a name outside
/// the family reaches the handler, which refuses it in its own turn (after
/// the record's scope: a record outside it stays a 404) and in the record's
/// words ([`UnknownStatus`], 422 `bad_status`), instead of the body reader
/// refusing the whole body (`invalid_body`). Anything but a string is still
/// a bad body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Named<S> {
    /// A status of the family.
    Known(S),
    /// A name the family does not have.
    Unknown,
}

impl<S> Named<S> {
    /// The status, when the name was one of the family's.
    pub fn known(self) -> Option<S> {
        match self {
            Named::Known(s) => Some(s),
            Named::Unknown => None,
        }
    }
}

impl<'de, S: Deserialize<'de>> Deserialize<'de> for Named<S> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::value::{Error, StringDeserializer};
        let name = String::deserialize(d)?;
        // The family's own serde names decide (they are its stored names).
        Ok(S::deserialize(StringDeserializer::<Error>::new(name))
            .map_or(Named::Unknown, Named::Known))
    }
}

/// Why an officer's change to a partner merchant was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MerchantDeskRefusal {
    /// A merchant placed under a union that does not sign merchants
    /// ([`crate::auth::level_signs_merchants`]).
    UnionLevel,
    /// A change to a merchant whose contract has ended ([`MerchantStatus::is_final`]).
    ContractEnded,
}

impl crate::error::Refused for MerchantDeskRefusal {
    fn code(&self) -> &'static str {
        match self {
            MerchantDeskRefusal::UnionLevel => "merchant_union_level",
            MerchantDeskRefusal::ContractEnded => "contract_ended",
        }
    }

    fn refusal(&self) -> crate::error::Refusal {
        use crate::error::Refusal;
        match self {
            MerchantDeskRefusal::UnionLevel => Refusal::Unprocessable,
            MerchantDeskRefusal::ContractEnded => Refusal::Conflict,
        }
    }

    fn message(&self, lang: Lang) -> String {
        match self {
            MerchantDeskRefusal::UnionLevel => lang.pick(
                "商户应归属签约的市或区总工会",
                "A merchant belongs to the city or district union that signs it",
            ),
            MerchantDeskRefusal::ContractEnded => lang.pick(
                "合作已终止，如需恢复请重新签约录入",
                "The contract has ended; enter a new one to resume",
            ),
        }
        .to_string()
    }

    fn field(&self, lang: Lang) -> Option<(&'static str, String)> {
        match self {
            MerchantDeskRefusal::UnionLevel => Some((
                "union_id",
                lang.pick("请选择市或区总工会", "Choose a city or district union")
                    .to_string(),
            )),
            MerchantDeskRefusal::ContractEnded => None,
        }
    }
}

/// A [`StatusChange`] naming a status the record cannot have. One code
/// (`bad_status`) on the `status` field; the sentence names the choices of
/// the record being changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnknownStatus {
    /// A merchant: active, paused or ended ([`MerchantStatus`]).
    Merchant,
    /// An offer: active or paused ([`OfferStatus`]).
    Offer,
    /// An aid plan: active or closed ([`crate::aid::PlanStatus`]).
    Plan,
}

impl crate::error::Refused for UnknownStatus {
    fn code(&self) -> &'static str {
        "bad_status"
    }

    fn refusal(&self) -> crate::error::Refusal {
        crate::error::Refusal::Unprocessable
    }

    fn message(&self, lang: Lang) -> String {
        match self {
            UnknownStatus::Merchant => lang.pick(
                "状态只能是合作中、暂停或终止合作",
                "The status is active, paused or ended",
            ),
            UnknownStatus::Offer => {
                lang.pick("优惠只能是生效或暂停", "An offer is active or paused")
            }
            UnknownStatus::Plan => lang.pick("计划只能是开放或关闭", "A plan is active or closed"),
        }
        .to_string()
    }

    fn field(&self, lang: Lang) -> Option<(&'static str, String)> {
        Some(("status", lang.pick("请选择一项", "Choose one").to_string()))
    }
}

#[cfg(test)]
mod refusal_tests {
    use super::*;
    use crate::error::checks::{assert_refusals, assert_worded};
    use crate::error::Refused;

    #[test]
    fn every_offer_till_and_complaint_refusal_has_its_own_code_and_words() {
        assert_refusals(&[
            OfferRefusal::CardNotActive,
            OfferRefusal::NotAvailable(Unavailable::Offer),
            OfferRefusal::NotAvailable(Unavailable::Merchant),
            OfferRefusal::NotToday,
            OfferRefusal::LimitReached(LimitPeriod::Day),
            OfferRefusal::LimitReached(LimitPeriod::Month),
        ]);
        assert_refusals(&[
            TillRefusal::UnknownCode,
            TillRefusal::OtherMerchant,
            TillRefusal::AlreadyUsed,
            TillRefusal::CodeExpired,
            TillRefusal::CardNotActive,
        ]);
        assert_refusals(&[
            NoDiscount::EmptyBill,
            NoDiscount::BillTooLarge,
            NoDiscount::BelowMinimum { min_spend_fen: 1 },
        ]);
        assert_refusals(&[
            ComplaintRefusal::BadKind,
            ComplaintRefusal::TooLong,
            ComplaintRefusal::TooMany,
            ComplaintRefusal::PhotoExists,
            ComplaintRefusal::BadDecision,
            ComplaintRefusal::AlreadyDecided,
        ]);
        assert_refusals(&[
            MerchantDeskRefusal::UnionLevel,
            MerchantDeskRefusal::ContractEnded,
        ]);
    }

    #[test]
    fn an_unknown_status_is_one_code_worded_for_each_record() {
        let all = [
            UnknownStatus::Merchant,
            UnknownStatus::Offer,
            UnknownStatus::Plan,
        ];
        assert_worded(&all);
        assert!(all.iter().all(|s| s.code() == "bad_status"));
    }

    #[test]
    fn the_till_answers_in_the_contract_s_order_of_statuses() {
        let statuses: Vec<u16> = [
            TillRefusal::UnknownCode,
            TillRefusal::OtherMerchant,
            TillRefusal::AlreadyUsed,
            TillRefusal::CodeExpired,
            TillRefusal::CardNotActive,
        ]
        .iter()
        .map(|r| r.refusal().status())
        .collect();
        assert_eq!(statuses, [404, 403, 409, 410, 422]);
    }
}

#[cfg(test)]
mod management_tests {
    use super::*;

    fn shop() -> MerchantInput {
        MerchantInput {
            name: "江城便利店".into(),
            category: "shopping".into(),
            district: "武昌区".into(),
            address: "武汉市武昌区中南路 1 号".into(),
            lat: 30.54,
            lng: 114.33,
            hours: "08:00-22:00".into(),
            phone: "027-8888 0000".into(),
            contract_from: "2026-01-01".into(),
            contract_to: "2027-12-31".into(),
            typical_bill_fen: 5_000,
            union_id: None,
        }
    }

    #[test]
    fn a_merchant_reports_every_bad_field() {
        assert!(shop().check().is_ok());
        let bad = MerchantInput {
            name: " ".into(),
            category: "toys".into(),
            lat: 114.33,
            contract_to: "2025-12-31".into(),
            typical_bill_fen: 0,
            ..shop()
        };
        let fields: Vec<&str> = bad.check().unwrap_err().0.iter().map(|(f, _)| *f).collect();
        assert_eq!(
            fields,
            vec!["name", "category", "lat", "contract_to", "typical_bill_fen"]
        );
    }

    #[test]
    fn an_offer_needs_the_figure_its_kind_uses() {
        let offer = OfferInput {
            title: "95 折".into(),
            kind: "percent".into(),
            basis_points: Some(500),
            valid_from: "2026-01-01".into(),
            valid_to: "2026-12-31".into(),
            weekdays: EVERY_DAY,
            ..OfferInput::default()
        };
        assert!(offer.check().is_ok());
        let no_figure = OfferInput {
            kind: "amount".into(),
            ..offer.clone()
        };
        assert_eq!(no_figure.check().unwrap_err().0[0].0, "amount_fen");
        let half_limit = OfferInput {
            limit_count: Some(2),
            ..offer
        };
        assert_eq!(half_limit.check().unwrap_err().0[0].0, "limit_count");
    }

    #[test]
    fn an_ended_contract_is_final() {
        assert!(MerchantStatus::Ended.is_final());
        assert!(MerchantStatus::Ended.next().is_empty());
        for s in MerchantStatus::ALL {
            assert_eq!(MerchantStatus::from_db(s.as_str()), Some(s));
            assert_eq!(s.next().is_empty(), s.is_final());
            assert!(s.next().iter().all(|&to| to != s));
        }
        assert_eq!(OfferStatus::Active.toggled(), OfferStatus::Paused);
        assert!(MerchantStatus::try_from("closed".to_string()).is_err());
    }

    #[test]
    fn a_default_offer_is_what_a_body_without_options_means() {
        let parsed: OfferInput =
            serde_json::from_str(r#"{"title": "", "kind": "", "valid_from": "", "valid_to": ""}"#)
                .unwrap();
        assert_eq!(parsed, OfferInput::default());
        assert_eq!(OfferInput::default().weekdays, EVERY_DAY);
    }
}

/// Checks every status enum of the shared crate shares: the stored name,
/// the serde name and the enum agree.
#[cfg(test)]
pub(crate) mod status_checks {
    use serde::de::DeserializeOwned;
    use serde::Serialize;
    use std::fmt::Debug;

    /// Every variant's stored name reads back to it (also as `TryFrom<String>`
    /// and as the `== "name"` comparison), its JSON is exactly that name and
    /// reads back, the names are distinct, and `unknown` is no status.
    pub fn assert_stored_names<T>(
        all: &[T],
        as_str: fn(T) -> &'static str,
        from_db: fn(&str) -> Option<T>,
        unknown: &str,
    ) where
        T: Copy + PartialEq + PartialEq<&'static str> + Debug + Serialize + DeserializeOwned,
        T: TryFrom<String>,
    {
        let mut names: Vec<&str> = all.iter().map(|&s| as_str(s)).collect();
        for &s in all {
            let name = as_str(s);
            assert_eq!(from_db(name), Some(s), "{name} reads back");
            assert!(
                T::try_from(name.to_string()).ok() == Some(s),
                "{name} as TryFrom"
            );
            assert!(s == name, "{s:?} == {name:?}");
            assert_eq!(serde_json::to_value(s).unwrap(), serde_json::json!(name));
            assert_eq!(
                serde_json::from_value::<T>(serde_json::json!(name)).unwrap(),
                s
            );
        }
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), all.len(), "stored names are distinct");
        assert_eq!(from_db(unknown), None);
        assert!(T::try_from(unknown.to_string()).is_err());
        assert!(serde_json::from_value::<T>(serde_json::json!(unknown)).is_err());
    }

    /// Every variant has words in both languages, distinct within the enum.
    pub fn assert_labelled<T: Copy + Debug>(all: &[T], label: fn(T, crate::Lang) -> &'static str) {
        for lang in [crate::Lang::Zh, crate::Lang::En] {
            let mut words: Vec<&str> = all.iter().map(|&s| label(s, lang)).collect();
            assert!(
                words.iter().all(|w| !w.trim().is_empty()),
                "{all:?} in {lang:?}"
            );
            words.sort_unstable();
            words.dedup();
            assert_eq!(
                words.len(),
                all.len(),
                "{all:?} labels distinct in {lang:?}"
            );
        }
    }
}

#[cfg(test)]
mod status_tests {
    use super::status_checks::{assert_labelled, assert_stored_names};
    use super::*;

    #[test]
    fn every_discount_status_is_its_stored_name_on_the_wire() {
        assert_stored_names(
            &MerchantStatus::ALL,
            MerchantStatus::as_str,
            MerchantStatus::from_db,
            "closed",
        );
        assert_stored_names(
            &OfferStatus::ALL,
            OfferStatus::as_str,
            OfferStatus::from_db,
            "ended",
        );
        assert_stored_names(
            &RedemptionStatus::ALL,
            RedemptionStatus::as_str,
            RedemptionStatus::from_db,
            "expired",
        );
        assert_stored_names(
            &ComplaintStatus::ALL,
            ComplaintStatus::as_str,
            ComplaintStatus::from_db,
            "closed",
        );
        assert_labelled(&MerchantStatus::ALL, MerchantStatus::label);
        assert_labelled(&OfferStatus::ALL, OfferStatus::label);
        assert_labelled(&ComplaintStatus::ALL, ComplaintStatus::label);
    }

    #[test]
    fn a_contract_moves_until_it_ends_and_an_offer_switches_back_and_forth() {
        for s in MerchantStatus::ALL {
            assert!(!s.next().contains(&s), "{s:?} does not move to itself");
            assert_eq!(s.is_final(), s.next().is_empty());
        }
        for s in OfferStatus::ALL {
            assert_ne!(s.toggled(), s);
            assert_eq!(s.toggled().toggled(), s);
        }
    }

    #[test]
    fn a_code_is_confirmed_once_and_a_complaint_resolved_once() {
        assert!(RedemptionStatus::Issued.may_confirm());
        assert!(!RedemptionStatus::Confirmed.may_confirm());
        assert!(ComplaintStatus::Open.may_resolve());
        assert!(!ComplaintStatus::Resolved.may_resolve());
    }

    #[test]
    fn a_status_change_reads_any_name_and_sends_the_family_s() {
        let sent = serde_json::to_string(&StatusChange {
            status: MerchantStatus::Paused,
        })
        .unwrap();
        assert_eq!(sent, r#"{"status":"paused"}"#);
        let read = |body: &str| serde_json::from_str::<StatusChange<Named<OfferStatus>>>(body);
        assert_eq!(
            read(r#"{"status":"paused"}"#).unwrap().status.known(),
            Some(OfferStatus::Paused)
        );
        // A name of another family, or of none, is the handler's to refuse.
        assert_eq!(
            read(r#"{"status":"ended"}"#).unwrap().status,
            Named::Unknown
        );
        assert_eq!(read(r#"{"status":""}"#).unwrap().status.known(), None);
        // Not a name at all is a bad body, as before.
        assert!(read(r#"{"status":5}"#).is_err());
        assert!(read(r#"{}"#).is_err());
    }
}
