//! Request bodies and accounts several test files start from: one copy each,
//! in the shared wire types, and made through the product's own endpoints.

use reqwest::StatusCode;
use unioncard_api::aid::{
    Bill, ClaimInput, DiseaseGroup, EnrolmentView, HospitalGrade, Payer, PayoutRule,
    PlanEligibility, PlanInput, PlanKind,
};
use unioncard_api::auth::{OfficerInput, UnionView};
use unioncard_api::identity::Date;
use unioncard_api::join::{Decision, JoinApplication, Page, WorkplaceUnion};
use unioncard_api::loans::{BusinessKind, EligibilityInput, EmploymentStatus, LoanInput};
use unioncard_api::offers::{MerchantInput, OfferInput};

use crate::support::{Client, TestApp};

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "Demo@2026";

/// Today in China (UTC+8), as the server counts days.
pub fn today() -> Date {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    Date::from_days((now + 8 * 3600).div_euclid(86_400))
}

/// A day counted from today, as `YYYY-MM-DD`.
pub fn day(offset: i64) -> String {
    today().add_days(offset).iso()
}

/// A body that can be saved as a draft.
pub trait Draft {
    fn draft_mut(&mut self) -> &mut bool;
}

impl Draft for LoanInput {
    fn draft_mut(&mut self) -> &mut bool {
        &mut self.draft
    }
}

impl Draft for ClaimInput {
    fn draft_mut(&mut self) -> &mut bool {
        &mut self.draft
    }
}

/// The same body, saved as a draft.
pub fn as_draft<T: Draft>(mut body: T) -> T {
    *body.draft_mut() = true;
    body
}

/// A qualifying loan application body: a noodle shop running for two years.
pub fn noodle_shop(amount_yuan: i64) -> LoanInput {
    LoanInput {
        facts: EligibilityInput {
            employment_status: EmploymentStatus::RegisteredUnemployed,
            college_graduate: false,
            local_hukou: true,
            residence_years: 0,
            business_kind: BusinessKind::Catering,
            business_started_on: "2024-03-01".into(),
            amount_fen: amount_yuan * 100,
            term_months: 24,
            partners: vec![],
        },
        business_name: "老张热干面".into(),
        business_address: "武汉市江岸区解放大道 100 号".into(),
        purpose: "添置炉灶和冷柜".into(),
        draft: false,
    }
}

/// A bill with nothing in it but the first stay of the year (what the
/// server reads when the fields are left out).
pub fn bill() -> Bill {
    Bill {
        stay_number: 1,
        ..Bill::default()
    }
}

/// 李娜's hospital-stay cover.
pub async fn li_na_cover(li: &Client) -> EnrolmentView {
    li.my_cover().await.swap_remove(0)
}

/// A hospital-stay claim body on a cover, in hospital 10 to 5 days ago.
pub fn hospital_stay(enrolment: i64, self_pay_yuan: i64) -> ClaimInput {
    ClaimInput {
        enrolment_id: enrolment,
        admitted_on: day(-10),
        discharged_on: day(-5),
        hospital_name: "武汉市中心医院".into(),
        bill: Bill {
            hospital_grade: Some(HospitalGrade::Tertiary),
            hospital_days: 5,
            total_cost_fen: self_pay_yuan * 300,
            insurance_paid_fen: self_pay_yuan * 200,
            self_pay_fen: self_pay_yuan * 100,
            ..bill()
        },
        draft: false,
    }
}

/// The first day of this month in China: a term starting then holds today
/// whatever day the tests run (a fixed year's term ends, and a member
/// joining on its last day gets no cover).
pub fn this_month_start() -> Date {
    let t = today();
    Date::new(t.year, t.month, 1).expect("the first of a month")
}

/// A province-wide major-disease plan (fixed sums by disease group), its
/// twelve-month term holding today.
pub fn major_disease_plan() -> PlanInput {
    PlanInput {
        name: "职工门诊大病互助".into(),
        kind: PlanKind::MajorDisease,
        summary: "确诊给付".into(),
        name_en: String::new(),
        summary_en: String::new(),
        contribution_fen: 5000,
        payer: Payer::Member,
        workplace_share_bp: 0,
        term_months: 12,
        starts_on: this_month_start().iso(),
        window_from: this_month_start().add_days(-31).iso(),
        window_to: "2030-12-31".into(),
        waiting_days: 30,
        claim_deadline_days: 90,
        eligibility: PlanEligibility {
            gender: None,
            min_age: None,
            max_age: Some(60),
            active_card: true,
        },
        rule: PayoutRule::FixedByGroup {
            groups: vec![DiseaseGroup {
                code: "g1".into(),
                name_zh: "尿毒症".into(),
                name_en: "Uraemia".into(),
                amount_fen: 500_000,
            }],
        },
        yearly_cap_fen: Some(500_000),
    }
}

/// A corner shop in 武昌区, in a union of the officer's choosing (their own
/// when `None`).
pub fn corner_shop(union_id: Option<i64>) -> MerchantInput {
    MerchantInput {
        name: "江城测试便利店".into(),
        category: "shopping".into(),
        district: "武昌区".into(),
        address: "武汉市武昌区中南路 1 号".into(),
        lat: 30.54,
        lng: 114.33,
        hours: "08:00-22:00".into(),
        phone: "027-8888 0000".into(),
        contract_from: "2026-01-01".into(),
        contract_to: "2030-12-31".into(),
        typical_bill_fen: 5000,
        union_id,
    }
}

/// 赵敏, on no roster, applying to join a workplace union.
pub fn zhao_min(union_id: i64) -> JoinApplication {
    JoinApplication {
        name: "赵敏".into(),
        id_number: "11010519491231002X".into(),
        phone: "13911112222".into(),
        union_id,
        workplace: "武昌某物流公司".into(),
    }
}

/// The first workplace union a search by name finds (`GET /api/unions?q=`).
pub async fn workplace(app: &TestApp, words: &str) -> i64 {
    let q: String = words.bytes().map(|b| format!("%{b:02X}")).collect();
    app.client()
        .get_as::<Page<WorkplaceUnion>>(&format!("/api/unions?q={q}"))
        .await
        .expect(StatusCode::OK)
        .items
        .first()
        .unwrap_or_else(|| panic!("no workplace union for {words}"))
        .id
}

/// An officer's decision with a note.
pub fn decision(kind: &str, note: &str) -> Decision {
    Decision {
        decision: kind.into(),
        amount_fen: None,
        note: note.into(),
    }
}

/// Approve, with no note.
pub fn approve() -> Decision {
    decision("approve", "")
}

/// An officer account over one union, opened by the demo administrator
/// (`POST /api/admin/officers`) with the demo password, signed in.
pub async fn officer_at(app: &TestApp, union_id: i64, phone: &str, name: &str) -> Client {
    let admin = app.signed_in("13600000001").await;
    admin
        .create_officer(&OfficerInput {
            name: name.into(),
            phone: phone.into(),
            password: DEMO_PASSWORD.into(),
            union_id,
            role: None,
        })
        .await
        .expect(StatusCode::CREATED);
    app.signed_in(phone).await
}

/// A once-a-day percentage offer of a merchant (`basis_points` off, from
/// `min_spend_fen`), valid every day for years, added by the city union's
/// officer (`POST /api/staff/merchants/{id}/offers`).
pub async fn once_a_day_offer(
    app: &TestApp,
    merchant: i64,
    basis_points: i64,
    min_spend_fen: i64,
) -> i64 {
    let city = app.signed_in("13700000001").await;
    let offer = OfferInput {
        title: "每日一次".into(),
        kind: "percent".into(),
        basis_points: Some(basis_points),
        min_spend_fen,
        valid_from: "2020-01-01".into(),
        valid_to: "2099-12-31".into(),
        weekdays: 127,
        limit_count: Some(1),
        limit_period: Some("day".into()),
        ..OfferInput::default()
    };
    let after = city
        .add_offer(merchant, &offer)
        .await
        .expect(StatusCode::CREATED);
    after
        .offers
        .iter()
        .map(|o| o.id)
        .max()
        .expect("the new offer")
}

/// A member's one-time code for an offer.
pub async fn offer_code(member: &Client, offer: i64) -> String {
    member.redeem(offer).await.expect(StatusCode::CREATED).code
}

/// A union and the unions directly below it, as the demo administrator
/// lists them (`GET /api/admin/unions?parent=`): the province and the city
/// when `parent` is `None`.
pub async fn unions_from(app: &TestApp, parent: Option<i64>) -> Vec<UnionView> {
    let path = match parent {
        Some(id) => format!("/api/admin/unions?parent={id}"),
        None => "/api/admin/unions".to_string(),
    };
    app.signed_in("13600000001")
        .await
        .get_as::<Page<UnionView>>(&path)
        .await
        .expect(StatusCode::OK)
        .items
}

/// The unions directly below one.
pub async fn unions_below(app: &TestApp, parent: i64) -> Vec<UnionView> {
    let mut all = unions_from(app, Some(parent)).await;
    all.retain(|u| u.id != parent);
    all
}

/// The province's union.
pub async fn province(app: &TestApp) -> i64 {
    let top = unions_from(app, None).await;
    top.iter()
        .find(|u| u.level == "province")
        .expect("the province")
        .id
}

/// Wuhan's district unions, by id.
pub async fn districts(app: &TestApp) -> Vec<UnionView> {
    let top = unions_from(app, None).await;
    let city = top.iter().find(|u| u.level == "city").expect("the city").id;
    unions_below(app, city).await
}

/// One district union of Wuhan, by name.
pub async fn district(app: &TestApp, name: &str) -> i64 {
    districts(app)
        .await
        .into_iter()
        .find(|u| u.name == name)
        .unwrap_or_else(|| panic!("no district {name}"))
        .id
}
