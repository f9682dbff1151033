//! The member's inbox (the bell on 首页): what happened to their affairs,
//! written by the server in the same transaction as the decision it tells
//! of, so a decision never lands without its message nor a message without
//! its decision. Each message is written in both languages when it is sent
//! ([`Letter`]) and answered in the reader's.

use serde::{Deserialize, Serialize};

use crate::identity::Date;
use crate::offers::yuan;
use crate::Lang;

/// What a message is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MessageKind {
    /// A step on a case file: an aid claim or a loan application.
    CaseStep,
    /// A decision on an application to join a union.
    JoinDecided,
    /// A place came free on a training session's waiting list.
    WaitlistPlace,
    /// The union's answer to a complaint about a merchant.
    ComplaintResolved,
    /// A training session the member holds a seat in starts soon.
    SessionSoon,
    /// An aid plan the member may join and has not stops taking members soon.
    PlanClosing,
    /// The member's hardship file ends soon: time to renew it.
    HardshipRenew,
    /// Union money reached the member's card (or the bank refused it).
    Payment,
    /// The member's card was replaced (补卡): activate the new one.
    CardReplaced,
    /// The new union accepted or declined the member's transfer.
    TransferDecided,
    /// A rights case the member is on moved on (triaged, a lawyer, a step).
    RightsCase,
    /// A counselling booking starts soon.
    CounsellingSoon,
    /// A kind this build does not know yet (a newer server): shown like
    /// any other, by its title and text.
    #[serde(other)]
    Other,
}

impl MessageKind {
    /// Every kind.
    pub const ALL: [MessageKind; 12] = [
        MessageKind::CaseStep,
        MessageKind::JoinDecided,
        MessageKind::WaitlistPlace,
        MessageKind::ComplaintResolved,
        MessageKind::SessionSoon,
        MessageKind::PlanClosing,
        MessageKind::HardshipRenew,
        MessageKind::Payment,
        MessageKind::CardReplaced,
        MessageKind::TransferDecided,
        MessageKind::RightsCase,
        MessageKind::CounsellingSoon,
    ];

    /// The stored (and wire) name.
    pub fn as_str(self) -> &'static str {
        match self {
            MessageKind::CaseStep => "case_step",
            MessageKind::JoinDecided => "join_decided",
            MessageKind::WaitlistPlace => "waitlist_place",
            MessageKind::ComplaintResolved => "complaint_resolved",
            MessageKind::SessionSoon => "session_soon",
            MessageKind::PlanClosing => "plan_closing",
            MessageKind::HardshipRenew => "hardship_renew",
            MessageKind::Payment => "payment",
            MessageKind::CardReplaced => "card_replaced",
            MessageKind::TransferDecided => "transfer_decided",
            MessageKind::RightsCase => "rights_case",
            MessageKind::CounsellingSoon => "counselling_soon",
            MessageKind::Other => "other",
        }
    }

    /// Parses the stored name.
    pub fn from_db(s: &str) -> Option<MessageKind> {
        MessageKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// The longest note quoted in a message; an officer's longer note is cut
/// (the case's page has it whole).
pub const NOTE_CHARS: usize = 200;

/// A message about to be sent: both languages, and the screen it opens.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Letter {
    /// What it is about.
    pub kind: MessageKind,
    /// The title in Chinese.
    pub title_zh: String,
    /// The title in English.
    pub title_en: String,
    /// The text in Chinese.
    pub body_zh: String,
    /// The text in English.
    pub body_en: String,
    /// The member app's path it opens, e.g. `/aid/claims/17`.
    pub link: String,
}

/// An officer's note, trimmed and cut to [`NOTE_CHARS`].
fn quoted(note: Option<&str>) -> Option<String> {
    let n = note.map(str::trim).filter(|n| !n.is_empty())?;
    let mut cut: String = n.chars().take(NOTE_CHARS).collect();
    if n.chars().count() > NOTE_CHARS {
        cut.push('…');
    }
    Some(cut)
}

impl Letter {
    /// A case file moved on: `医疗互助申请：已核准`, with the amount and the
    /// officer's note when there is one.
    pub fn case_step(
        programme: (&str, &str),
        status: (&str, &str),
        amount_fen: Option<i64>,
        note: Option<&str>,
        link: String,
    ) -> Letter {
        let note = quoted(note);
        let mut zh = Vec::new();
        let mut en = Vec::new();
        if let Some(a) = amount_fen {
            zh.push(format!("金额 {}", yuan(a)));
            en.push(format!("Amount {}", yuan(a)));
        }
        if let Some(n) = &note {
            zh.push(format!("说明：{n}"));
            en.push(format!("Note: {n}"));
        }
        if zh.is_empty() {
            zh.push("点开查看进度和下一步".into());
            en.push("Open it to see where it stands and what comes next".into());
        }
        Letter {
            kind: MessageKind::CaseStep,
            title_zh: format!("{}：{}", programme.0, status.0),
            title_en: format!("{}: {}", programme.1, status.1),
            body_zh: zh.join("。"),
            body_en: en.join(". "),
            link,
        }
    }

    /// An application to join was decided.
    pub fn join_decided(approved: bool, union_name: &str, note: Option<&str>) -> Letter {
        let note = quoted(note);
        let (title_zh, title_en, mut body_zh, mut body_en) = if approved {
            (
                "入会申请已通过".to_string(),
                "Your application to join was approved".to_string(),
                format!("欢迎加入{union_name}。您的会员服务卡已开通，可在首页出示电子卡"),
                format!("Welcome to {union_name}. Your member card is ready: show the e-card on 首页 (Home)"),
            )
        } else {
            (
                "入会申请未通过".to_string(),
                "Your application to join was not approved".to_string(),
                format!("{union_name}未通过您的入会申请"),
                format!("{union_name} did not approve your application"),
            )
        };
        if let Some(n) = note {
            body_zh.push_str(&format!("。说明：{n}"));
            body_en.push_str(&format!(". Note: {n}"));
        }
        Letter {
            kind: MessageKind::JoinDecided,
            title_zh,
            title_en,
            body_zh,
            body_en,
            link: "/".into(),
        }
    }

    /// A waiting-list place became a seat.
    pub fn waitlist_place(course_title: &str, starts: &str, course_id: i64) -> Letter {
        Letter {
            kind: MessageKind::WaitlistPlace,
            title_zh: "候补成功：已为您保留名额".into(),
            title_en: "A place came free: you are in".into(),
            body_zh: format!("{course_title}（{starts}）有人退出，您已从候补转为已报名"),
            body_en: format!("{course_title} ({starts}): someone left and you moved from the waiting list to signed up"),
            link: format!("/training/courses/{course_id}"),
        }
    }

    /// A session the member holds a seat in starts soon.
    pub fn session_soon(course_title: &str, starts: &str, place: &str, course_id: i64) -> Letter {
        Letter {
            kind: MessageKind::SessionSoon,
            title_zh: "培训就要开始了".into(),
            title_en: "Your training starts soon".into(),
            body_zh: format!("{course_title}：{starts}，{place}。不能去请提前取消，把名额让给候补的会员"),
            body_en: format!("{course_title}: {starts}, {place}. If you cannot go, cancel so someone waiting gets the seat"),
            link: format!("/training/courses/{course_id}"),
        }
    }

    /// An aid plan the member may join stops taking members on `last_day`.
    pub fn plan_closing(
        (name_zh, name_en): (&str, &str),
        last_day: Date,
        member_pays_fen: i64,
        plan_id: i64,
    ) -> Letter {
        // What joining costs the member, and who collects it.
        let (cost_zh, cost_en) = match member_pays_fen {
            0 => (
                "费用全部由单位工会缴纳".to_string(),
                "Your workplace union pays it all".to_string(),
            ),
            fen => (
                format!("个人缴费 {}，由单位工会统一收取", yuan(fen)),
                format!(
                    "Your part is {}, collected by your workplace union",
                    yuan(fen)
                ),
            ),
        };
        Letter {
            kind: MessageKind::PlanClosing,
            title_zh: "互助计划报名即将截止".into(),
            title_en: "An aid plan closes to new members soon".into(),
            body_zh: format!("{name_zh}报名截止到{last_day}，您还没有参加。{cost_zh}"),
            body_en: format!(
                "{name_en} takes new members until {}; you have not joined. {cost_en}",
                last_day.iso()
            ),
            link: format!("/aid/plans/{plan_id}"),
        }
    }

    /// The member's hardship file is valid until `last_day`: renew it.
    pub fn hardship_renew(last_day: Date) -> Letter {
        Letter {
            kind: MessageKind::HardshipRenew,
            title_zh: "困难档案即将到期".into(),
            title_en: "Your hardship file ends soon".into(),
            body_zh: format!("您的困难档案有效期至{last_day}。如果家庭仍有困难，请在到期前申请续期，以免帮扶中断"),
            body_en: format!(
                "Your hardship file is valid until {}. If your household is still in hardship, renew it before then so aid does not stop",
                last_day.iso()
            ),
            link: "/hardship".into(),
        }
    }

    /// Union money reached the card (`reason` `None`), or the bank refused
    /// it with its reason and the union will pay it again.
    pub fn payment(
        (programme_zh, programme_en): (&str, &str),
        title: &str,
        amount_fen: i64,
        reason: Option<&str>,
    ) -> Letter {
        let amount = yuan(amount_fen);
        match reason {
            None => Letter {
                kind: MessageKind::Payment,
                title_zh: format!("{programme_zh} {amount} 已到账"),
                title_en: format!("{programme_en}: {amount} credited"),
                body_zh: format!("「{title}」{amount} 已发放到您的工会会员服务卡"),
                body_en: format!("{amount} from \"{title}\" has been paid onto your union card"),
                link: "/me/payments".into(),
            },
            Some(why) => Letter {
                kind: MessageKind::Payment,
                title_zh: format!("{programme_zh} {amount} 未能到账"),
                title_en: format!("{programme_en}: {amount} not credited"),
                body_zh: format!("「{title}」{amount} 银行未能入账（{why}）。补办或解冻会员卡后，工会将重新发放"),
                body_en: format!("The bank could not credit {amount} from \"{title}\" ({why}). Once your card is replaced or unfrozen the union pays it again"),
                link: "/me/payments".into(),
            },
        }
    }

    /// The workplace union replaced the member's lost card: the new one
    /// ends in `last4` and works once activated.
    pub fn card_replaced(last4: &str, union_name: &str) -> Letter {
        Letter {
            kind: MessageKind::CardReplaced,
            title_zh: "会员卡已补办".into(),
            title_en: "Your card has been replaced".into(),
            body_zh: format!("{union_name}已为您补办新卡（尾号 {last4}）。收到新卡后，在首页输入新卡号和身份证号激活即可使用；原卡已停用"),
            body_en: format!("{union_name} has replaced your card (the new one ends in {last4}). When you have it, activate it on the home screen with its number and your ID number; the old card no longer works"),
            link: "/".into(),
        }
    }

    /// The new workplace's union accepted the member's transfer, or
    /// declined it with its reason.
    pub fn transfer_decided(accepted: bool, union_name: &str, note: Option<&str>) -> Letter {
        let note = quoted(note);
        let (title_zh, title_en, mut body_zh, mut body_en) = if accepted {
            (
                "转会已完成".to_string(),
                "Your transfer is done".to_string(),
                format!("您已转入{union_name}。会员卡、优惠和各项记录都不变"),
                format!(
                    "You now belong to {union_name}. Your card, savings and records are unchanged"
                ),
            )
        } else {
            (
                "转会申请未通过".to_string(),
                "Your transfer was declined".to_string(),
                format!("{union_name}未通过您的转会申请，您仍是原单位工会的会员"),
                format!("{union_name} declined your transfer; you remain a member of your union"),
            )
        };
        if let Some(n) = note {
            body_zh.push_str(&format!("。说明：{n}"));
            body_en.push_str(&format!(". Note: {n}"));
        }
        Letter {
            kind: MessageKind::TransferDecided,
            title_zh,
            title_en,
            body_zh,
            body_en,
            link: "/me/transfer".into(),
        }
    }

    /// A rights case the member is on moved on: `维权案件 WQ2026-000012：已受理`,
    /// with what happened (a note is cut to [`NOTE_CHARS`]).
    pub fn rights_case(
        number: &str,
        case_id: i64,
        what: (&str, &str),
        detail: Option<(String, String)>,
    ) -> Letter {
        let (body_zh, body_en) = match detail {
            Some((zh, en)) => (
                quoted(Some(&zh)).unwrap_or_default(),
                quoted(Some(&en)).unwrap_or_default(),
            ),
            None => (
                "点开查看案件进展".to_string(),
                "Open it to see where the case stands".to_string(),
            ),
        };
        Letter {
            kind: MessageKind::RightsCase,
            title_zh: format!("维权案件 {number}：{}", what.0),
            title_en: format!("Rights case {number}: {}", what.1),
            body_zh,
            body_en,
            link: format!("/rights/{case_id}"),
        }
    }

    /// A counselling booking starts soon: when and where.
    pub fn counselling_soon(when: (&str, &str), place: (&str, &str)) -> Letter {
        Letter {
            kind: MessageKind::CounsellingSoon,
            title_zh: "咨询预约提醒".into(),
            title_en: "Your counselling appointment".into(),
            body_zh: format!("{}，{}。如不能前来，请在开始前 2 小时取消", when.0, place.0),
            body_en: format!(
                "{}, {}. If you cannot come, cancel at least two hours before",
                when.1, place.1
            ),
            link: "/counselling".into(),
        }
    }

    /// The union answered a complaint about a merchant.
    pub fn complaint_resolved(merchant_name: &str, note: Option<&str>, merchant_id: i64) -> Letter {
        let note = quoted(note);
        let mut body_zh = format!("工会已处理您对{merchant_name}的投诉");
        let mut body_en = format!("The union has dealt with your complaint about {merchant_name}");
        if let Some(n) = note {
            body_zh.push_str(&format!("。处理结果：{n}"));
            body_en.push_str(&format!(". Outcome: {n}"));
        }
        Letter {
            kind: MessageKind::ComplaintResolved,
            title_zh: "投诉已处理".into(),
            title_en: "Your complaint was dealt with".into(),
            body_zh,
            body_en,
            link: format!("/merchants/{merchant_id}"),
        }
    }

    /// The title and text in a language.
    pub fn in_lang(&self, lang: Lang) -> (&str, &str) {
        match lang {
            Lang::Zh => (&self.title_zh, &self.body_zh),
            Lang::En => (&self.title_en, &self.body_en),
        }
    }
}

/// A message in the inbox.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MessageView {
    /// Message id.
    pub id: i64,
    /// What it is about.
    pub kind: MessageKind,
    /// Title, in the client's language.
    pub title: String,
    /// Text, in the client's language.
    pub body: String,
    /// The member app's path it opens.
    pub link: String,
    /// When it was sent (RFC 3339).
    pub at: String,
    /// Whether the member has opened it.
    pub read: bool,
}

/// `GET /api/me/messages`: a page of the inbox, newest first, with the
/// number not yet read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Inbox {
    /// The messages.
    pub items: Vec<MessageView>,
    /// Pass as `cursor` for the next page; `null` at the end.
    pub next_cursor: Option<String>,
    /// Messages not yet read (all of them, not only this page's).
    pub unread: i64,
}

/// `GET /api/me/messages/unread`: the bell's number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Unread {
    /// Messages not yet read.
    pub unread: i64,
}

/// The bell's badge: `99+` past 99, nothing at 0.
pub fn badge(unread: i64) -> Option<String> {
    match unread {
        n if n <= 0 => None,
        n if n > 99 => Some("99+".into()),
        n => Some(n.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_case_step_says_what_happened_with_the_amount_and_the_note() {
        let l = Letter::case_step(
            ("医疗互助申请", "Aid claim"),
            ("已核准", "Approved"),
            Some(560_000),
            Some("  材料齐全 "),
            "/aid/claims/7".into(),
        );
        assert_eq!(l.title_zh, "医疗互助申请：已核准");
        assert_eq!(l.body_zh, "金额 ¥5,600.00。说明：材料齐全");
        assert_eq!(
            l.in_lang(Lang::En),
            ("Aid claim: Approved", "Amount ¥5,600.00. Note: 材料齐全")
        );
        let bare = Letter::case_step(("a", "a"), ("b", "b"), None, Some(" "), "/".into());
        assert!(bare.body_zh.contains("查看进度"));
    }

    #[test]
    fn a_long_note_is_cut_and_the_badge_stops_at_99() {
        let long = "很".repeat(NOTE_CHARS + 50);
        let l = Letter::complaint_resolved("店", Some(&long), 1);
        assert!(l.body_zh.ends_with('…'));
        assert!(l.body_zh.chars().count() < NOTE_CHARS + 30);
        assert_eq!(badge(0), None);
        assert_eq!(badge(7).as_deref(), Some("7"));
        assert_eq!(badge(100).as_deref(), Some("99+"));
    }

    #[test]
    fn a_closing_plan_says_its_last_day_and_what_the_member_pays() {
        let last = Date::parse_iso("2026-12-09").unwrap();
        let l = Letter::plan_closing(("职工住院医疗互助", "Hospital stay aid"), last, 1_800, 3);
        assert_eq!(
            l.body_zh,
            "职工住院医疗互助报名截止到2026年12月9日，您还没有参加。个人缴费 ¥18.00，由单位工会统一收取"
        );
        assert!(l
            .in_lang(Lang::En)
            .1
            .starts_with("Hospital stay aid takes new members until 2026-12-09"));
        assert_eq!(l.link, "/aid/plans/3");
        assert_eq!(l.kind, MessageKind::PlanClosing);
        // A plan the workplace pays for costs the member nothing, and says so.
        let free = Letter::plan_closing(("意外伤害互助", ""), last, 0, 5);
        assert!(
            free.body_zh.ends_with("费用全部由单位工会缴纳"),
            "{}",
            free.body_zh
        );
        assert!(!free.body_zh.contains("¥0.00"));
    }

    #[test]
    fn a_kind_from_a_newer_server_still_reads() {
        let kind: MessageKind = serde_json::from_str("\"hardship_paid\"").unwrap();
        assert_eq!(kind, MessageKind::Other);
    }

    #[test]
    fn every_kind_has_a_stored_name() {
        for k in MessageKind::ALL {
            assert_eq!(MessageKind::from_db(k.as_str()), Some(k));
        }
    }
}
