//! Request bodies and accounts several test files start from: one copy each.

use reqwest::StatusCode;
use serde_json::{json, Value};
use unioncard_api::identity::Date;

use crate::support::{Client, TestApp};

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

/// The same body, saved as a draft.
pub fn as_draft(mut body: Value) -> Value {
    body["draft"] = json!(true);
    body
}

/// A qualifying loan application body: a noodle shop running for two years.
pub fn noodle_shop(amount_yuan: i64) -> Value {
    json!({
        "employment_status": "registered_unemployed",
        "college_graduate": false,
        "local_hukou": true,
        "residence_years": 0,
        "business_kind": "catering",
        "business_started_on": "2024-03-01",
        "amount_fen": amount_yuan * 100,
        "term_months": 24,
        "partners": [],
        "business_name": "老张热干面",
        "business_address": "武汉市江岸区解放大道 100 号",
        "purpose": "添置炉灶和冷柜",
    })
}

/// 李娜's hospital-stay cover.
pub async fn li_na_cover(li: &Client) -> Value {
    let mine = li.get("/api/me/aid/enrolments").await;
    assert_eq!(mine.status, StatusCode::OK, "{}", mine.body);
    mine.body["items"][0].clone()
}

/// A hospital-stay claim body on a cover, in hospital 10 to 5 days ago.
pub fn hospital_stay(enrolment: i64, self_pay_yuan: i64) -> Value {
    json!({
        "enrolment_id": enrolment,
        "admitted_on": day(-10),
        "discharged_on": day(-5),
        "hospital_name": "武汉市中心医院",
        "hospital_grade": "tertiary",
        "hospital_days": 5,
        "total_cost_fen": self_pay_yuan * 300,
        "insurance_paid_fen": self_pay_yuan * 200,
        "self_pay_fen": self_pay_yuan * 100,
    })
}

/// An officer account over one union (the columns the administrator's
/// screen fills, the demo officers' password), signed in.
pub async fn officer_at(app: &TestApp, union_id: i64, phone: &str, name: &str) -> Client {
    let hash: String =
        sqlx::query_scalar("SELECT password_hash FROM users WHERE role = 'officer' LIMIT 1")
            .fetch_one(app.state.db.read())
            .await
            .unwrap();
    let masked = unioncard_api::identity::mask_phone(phone);
    sqlx::query(
        "INSERT INTO users (phone_hash, phone_enc, phone_masked, password_hash, name, role, union_id, created_at)
         VALUES ($1, 'x', $2, $3, $4, 'officer', $5, 0)",
    )
    .bind(app.state.crypto.lookup_hash("phone", phone))
    .bind(masked)
    .bind(&hash)
    .bind(name)
    .bind(union_id)
    .execute(app.state.db.write())
    .await
    .unwrap();
    app.signed_in(phone).await
}

/// A once-a-day percentage offer of a merchant (`basis_points` off, from
/// `min_spend_fen`), valid every day for years.
pub async fn once_a_day_offer(
    app: &TestApp,
    merchant: i64,
    basis_points: i64,
    min_spend_fen: i64,
) -> i64 {
    sqlx::query_scalar(
        "INSERT INTO offers (merchant_id, title, kind, basis_points, min_spend_fen, valid_from, valid_to, weekdays,
             limit_count, limit_period, status, created_at)
         VALUES ($1, '每日一次', 'percent', $2, $3, '2020-01-01', '2099-12-31', 127, 1, 'day', 'active', 0) RETURNING id",
    )
    .bind(merchant)
    .bind(basis_points)
    .bind(min_spend_fen)
    .fetch_one(app.state.db.write())
    .await
    .unwrap()
}

/// A member's one-time code for an offer.
pub async fn offer_code(member: &Client, offer: i64) -> String {
    member
        .post(&format!("/api/offers/{offer}/redemptions"), json!({}))
        .await
        .body["code"]
        .as_str()
        .expect("a code")
        .to_string()
}
