//! The typed HTTP client over the shared wire types. Every request carries
//! the CSRF header and the chosen language; every failure becomes a
//! [`Failure`] the screens know how to show.

use std::collections::BTreeMap;

use gloo_net::http::{Request, RequestBuilder, Response};
use serde::de::DeserializeOwned;
use serde::Serialize;
use unioncard_api::auth::{AccountAccess, LoginRequest, Me, PasswordChange, RegisterRequest};
use unioncard_api::ErrorBody;

use crate::i18n::{current_lang, strings};

/// Why a request did not give what was asked.
#[derive(Clone, Debug, PartialEq)]
pub enum Failure {
    /// No answer: offline, a dropped connection, a timeout.
    Network,
    /// The server answered with an error in the contract's shape.
    Api {
        /// HTTP status.
        status: u16,
        /// The stable code, e.g. `wrong_credentials`.
        code: String,
        /// The sentence to show.
        message: String,
        /// Per-field explanations.
        fields: BTreeMap<String, String>,
    },
}

impl Failure {
    /// What to tell the person.
    pub fn message(&self) -> String {
        match self {
            Failure::Network => strings(current_lang()).network_error.to_string(),
            Failure::Api { message, .. } => message.clone(),
        }
    }

    /// The HTTP status, when the server answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            Failure::Network => None,
            Failure::Api { status, .. } => Some(*status),
        }
    }

    /// The stable error code (`wrong_password`, `not_signed_in`…), empty when
    /// there was no answer.
    pub fn code(&self) -> &str {
        match self {
            Failure::Network => "",
            Failure::Api { code, .. } => code,
        }
    }

    /// Per-field explanations, empty unless the input was at fault.
    pub fn fields(&self) -> BTreeMap<String, String> {
        match self {
            Failure::Api { fields, .. } => fields.clone(),
            Failure::Network => BTreeMap::new(),
        }
    }
}

fn with_headers(req: RequestBuilder) -> RequestBuilder {
    req.header("X-Requested-With", "unioncard")
        .header("Accept-Language", current_lang().tag())
}

async fn read<T: DeserializeOwned>(resp: Result<Response, gloo_net::Error>) -> Result<T, Failure> {
    let resp = resp.map_err(|_| Failure::Network)?;
    if resp.ok() {
        // 204 and other empty answers decode from `null` (for `()` results).
        let text = resp.text().await.map_err(|_| Failure::Network)?;
        let text = if text.is_empty() {
            "null"
        } else {
            text.as_str()
        };
        return serde_json::from_str(text).map_err(|_| server_failure(resp.status()));
    }
    let status = resp.status();
    let wait = retry_after_minutes(&resp);
    match resp.json::<ErrorBody>().await {
        Ok(body) => Err(Failure::Api {
            status,
            code: body.error.code,
            message: with_wait(body.error.message, wait),
            fields: body.error.fields,
        }),
        Err(_) => Err(server_failure(status)),
    }
}

/// For a 429 (too many attempts), how many whole minutes `Retry-After` asks
/// to wait.
fn retry_after_minutes(resp: &Response) -> Option<u64> {
    if resp.status() != 429 {
        return None;
    }
    let secs: u64 = resp.headers().get("Retry-After")?.trim().parse().ok()?;
    Some(secs.div_ceil(60).max(1))
}

/// The server's sentence, with how long to wait when it said.
fn with_wait(message: String, minutes: Option<u64>) -> String {
    match minutes {
        Some(n) => {
            let wait = strings(current_lang())
                .try_again_in
                .replace("{n}", &n.to_string());
            format!("{message}{wait}")
        }
        None => message,
    }
}

fn server_failure(status: u16) -> Failure {
    Failure::Api {
        status,
        code: "unexpected_response".into(),
        message: strings(current_lang()).server_error.into(),
        fields: BTreeMap::new(),
    }
}

/// `GET path`.
pub async fn get<T: DeserializeOwned>(path: &str) -> Result<T, Failure> {
    read(with_headers(Request::get(path)).send().await).await
}

/// `POST path` with a JSON body.
pub async fn post<B: Serialize, T: DeserializeOwned>(path: &str, body: &B) -> Result<T, Failure> {
    let req = with_headers(Request::post(path))
        .json(body)
        .map_err(|_| Failure::Network)?;
    read(req.send().await).await
}

/// The signed-in person, or `None` when nobody is.
pub async fn me() -> Result<Option<Me>, Failure> {
    match get::<Me>("/api/me").await {
        Ok(me) => Ok(Some(me)),
        Err(f) if f.status() == Some(401) => Ok(None),
        Err(f) => Err(f),
    }
}

/// Signs in.
pub async fn login(req: &LoginRequest) -> Result<Me, Failure> {
    post("/api/auth/login", req).await
}

/// Registers a roster member (and signs them in).
pub async fn register(req: &RegisterRequest) -> Result<Me, Failure> {
    post("/api/auth/register", req).await
}

/// Signs out.
pub async fn logout() -> Result<(), Failure> {
    post::<_, ()>("/api/auth/logout", &serde_json::json!({})).await
}

use unioncard_api::card::{
    ActivateRequest, CardCheckRequest, CardCheckResult, CardLookup, CardView, StaffCardView,
};
use unioncard_api::ecard::DeviceSecret;
use unioncard_api::join::{
    Decision, JoinApplication, JoinLookup, JoinRequestView, Page, WorkplaceUnion,
};
use unioncard_api::roster::ImportReport;

/// The member's card with a live code.
pub async fn card() -> Result<CardView, Failure> {
    get("/api/card").await
}

/// Activates the member's card.
pub async fn activate(req: &ActivateRequest) -> Result<CardView, Failure> {
    post("/api/card/activate", req).await
}

/// Gives this phone its own secret for offline codes.
pub async fn provision_device() -> Result<DeviceSecret, Failure> {
    post("/api/card/devices", &serde_json::json!({})).await
}

/// Reports the card lost.
pub async fn report_lost() -> Result<CardView, Failure> {
    post("/api/card/report-lost", &serde_json::json!({})).await
}

/// A cashier checks a member code.
pub async fn check_card(token: &str) -> Result<CardCheckResult, Failure> {
    post(
        "/api/merchant/card-checks",
        &CardCheckRequest {
            token: token.to_string(),
        },
    )
    .await
}

/// Workplace unions matching a search.
pub async fn workplace_unions(q: &str) -> Result<Page<WorkplaceUnion>, Failure> {
    get(&format!(
        "/api/unions?q={}",
        js_sys::encode_uri_component(q)
    ))
    .await
}

/// Applies to join.
pub async fn apply_to_join(req: &JoinApplication) -> Result<JoinRequestView, Failure> {
    post("/api/join-requests", req).await
}

/// Looks up an application's outcome.
pub async fn join_lookup(req: &JoinLookup) -> Result<JoinRequestView, Failure> {
    post("/api/join-requests/lookup", req).await
}

/// The officer's queue of applications.
pub async fn join_queue(status: &str) -> Result<Page<JoinRequestView>, Failure> {
    get(&format!(
        "/api/staff/join-requests?status={status}&limit=100"
    ))
    .await
}

/// An officer's decision on an application.
pub async fn decide_join(id: i64, decision: &Decision) -> Result<JoinRequestView, Failure> {
    post(&format!("/api/staff/join-requests/{id}/decision"), decision).await
}

/// An officer finds a card. The number goes in the body, never in the URL
/// (URLs end up in access logs).
pub async fn staff_card(card_no: &str) -> Result<StaffCardView, Failure> {
    post(
        "/api/staff/cards/lookup",
        &CardLookup {
            card_no: card_no.to_string(),
        },
    )
    .await
}

/// An officer freezes (`true`) or unfreezes a card.
pub async fn set_frozen(card_no: &str, freeze: bool) -> Result<StaffCardView, Failure> {
    let path = if freeze {
        "/api/staff/cards/freeze"
    } else {
        "/api/staff/cards/unfreeze"
    };
    post(
        path,
        &CardLookup {
            card_no: card_no.to_string(),
        },
    )
    .await
}

/// An officer disables a member's or cashier's account (`enabled = false`),
/// or enables it again.
pub async fn set_account_access(id: i64, enabled: bool) -> Result<(), Failure> {
    post(
        &format!("/api/staff/accounts/{id}/access"),
        &AccountAccess { enabled },
    )
    .await
}

/// The signed-in account changes its password; its other sessions end.
pub async fn change_password(req: &PasswordChange) -> Result<(), Failure> {
    post("/api/me/password", req).await
}

/// Uploads a roster file, reporting upload progress (0.0-1.0) as it goes.
/// Uses XMLHttpRequest because fetch cannot report upload progress.
pub async fn import_roster(
    file: web_sys::File,
    on_progress: impl Fn(f64) + 'static,
) -> Result<ImportReport, Failure> {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    let xhr = web_sys::XmlHttpRequest::new().map_err(|_| Failure::Network)?;
    xhr.open("POST", "/api/staff/roster")
        .map_err(|_| Failure::Network)?;
    let _ = xhr.set_request_header("X-Requested-With", "unioncard");
    let _ = xhr.set_request_header("Accept-Language", current_lang().tag());
    let _ = xhr.set_request_header("Content-Type", "text/csv; charset=utf-8");
    let progress =
        Closure::<dyn Fn(web_sys::ProgressEvent)>::new(move |e: web_sys::ProgressEvent| {
            if e.length_computable() && e.total() > 0.0 {
                on_progress(e.loaded() / e.total());
            }
        });
    if let Ok(upload) = xhr.upload() {
        upload.set_onprogress(Some(progress.as_ref().unchecked_ref()));
    }
    let done = js_sys::Promise::new(&mut |resolve, _reject| {
        let r = resolve.clone();
        let cb = Closure::once_into_js(move || {
            let _ = r.call0(&wasm_bindgen::JsValue::NULL);
        });
        xhr.set_onloadend(Some(cb.unchecked_ref()));
    });
    xhr.send_with_opt_blob(Some(&file))
        .map_err(|_| Failure::Network)?;
    let _ = wasm_bindgen_futures::JsFuture::from(done).await;
    drop(progress);
    let status = xhr.status().unwrap_or(0);
    let text = xhr.response_text().ok().flatten().unwrap_or_default();
    if status == 0 {
        return Err(Failure::Network);
    }
    if (200..300).contains(&status) {
        return serde_json::from_str(&text).map_err(|_| server_failure(status));
    }
    match serde_json::from_str::<ErrorBody>(&text) {
        Ok(body) => Err(Failure::Api {
            status,
            code: body.error.code,
            message: body.error.message,
            fields: body.error.fields,
        }),
        Err(_) => Err(server_failure(status)),
    }
}

use unioncard_api::offers::{
    CashierDay, CashierRedemption, ComplaintRequest, ComplaintView, ConfirmRequest, MerchantView,
    MyRedemptions, RedemptionCode,
};

/// A page of the merchant directory.
pub async fn merchants(
    category: Option<&str>,
    q: &str,
    near: Option<(f64, f64)>,
    cursor: Option<&str>,
) -> Result<Page<MerchantView>, Failure> {
    let mut url = String::from("/api/merchants?limit=20");
    if let Some(c) = category {
        url.push_str(&format!("&category={c}"));
    }
    if !q.trim().is_empty() {
        url.push_str(&format!("&q={}", js_sys::encode_uri_component(q.trim())));
    }
    if let Some((lat, lng)) = near {
        url.push_str(&format!("&near={lat:.6},{lng:.6}"));
    }
    if let Some(c) = cursor {
        url.push_str(&format!("&cursor={}", js_sys::encode_uri_component(c)));
    }
    get(&url).await
}

/// One merchant.
pub async fn merchant(id: i64) -> Result<MerchantView, Failure> {
    get(&format!("/api/merchants/{id}")).await
}

/// A one-time code for an offer. The key makes a retry of this tap harmless.
pub async fn redeem(offer_id: i64, idempotency_key: &str) -> Result<RedemptionCode, Failure> {
    let req = with_headers(Request::post(&format!(
        "/api/offers/{offer_id}/redemptions"
    )))
    .header("Idempotency-Key", idempotency_key)
    .json(&serde_json::json!({}))
    .map_err(|_| Failure::Network)?;
    read(req.send().await).await
}

/// The member's history and this year's saving.
pub async fn my_redemptions() -> Result<MyRedemptions, Failure> {
    get("/api/me/redemptions?limit=100").await
}

/// Reports a merchant.
pub async fn complain(req: &ComplaintRequest) -> Result<ComplaintView, Failure> {
    post("/api/complaints", req).await
}

/// The member's reports.
pub async fn my_complaints() -> Result<Page<ComplaintView>, Failure> {
    get("/api/me/complaints").await
}

/// The cashier previews (`confirm = false`) or confirms a code with the bill.
pub async fn cashier_redeem(
    code: &str,
    amount_fen: i64,
    confirm: bool,
) -> Result<CashierRedemption, Failure> {
    let action = if confirm { "confirm" } else { "preview" };
    let code: String = code.chars().filter(|c| c.is_ascii_digit()).collect();
    post(
        &format!("/api/merchant/redemptions/{code}/{action}"),
        &ConfirmRequest { amount_fen },
    )
    .await
}

/// The cashier's day.
pub async fn cashier_today() -> Result<CashierDay, Failure> {
    get("/api/merchant/today").await
}

/// The officer's complaint queue.
pub async fn staff_complaints() -> Result<Page<ComplaintView>, Failure> {
    get("/api/staff/complaints?status=open").await
}

/// An officer resolves a complaint.
pub async fn resolve_complaint(id: i64, decision: &Decision) -> Result<ComplaintView, Failure> {
    post(&format!("/api/staff/complaints/{id}/decision"), decision).await
}

/// A random key for one user action (a tap), for `Idempotency-Key`.
pub fn new_key() -> String {
    format!(
        "{:x}{:x}",
        (js_sys::Math::random() * 1e15) as u64,
        js_sys::Date::now() as u64
    )
}

/// Attaches a photo to the member's complaint.
pub async fn complaint_photo(id: i64, file: web_sys::File) -> Result<ComplaintView, Failure> {
    let form = web_sys::FormData::new().map_err(|_| Failure::Network)?;
    form.append_with_blob("photo", &file)
        .map_err(|_| Failure::Network)?;
    let req = with_headers(Request::post(&format!("/api/complaints/{id}/photo")))
        .body(form)
        .map_err(|_| Failure::Network)?;
    read(req.send().await).await
}

use unioncard_api::training::{CourseView, SignupView, StaffCourse};

/// A page of courses.
pub async fn courses(category: Option<&str>, q: &str) -> Result<Page<CourseView>, Failure> {
    let mut url = String::from("/api/courses?limit=50");
    if let Some(c) = category {
        url.push_str(&format!("&category={c}"));
    }
    if !q.trim().is_empty() {
        url.push_str(&format!("&q={}", js_sys::encode_uri_component(q.trim())));
    }
    get(&url).await
}

/// One course.
pub async fn course(id: i64) -> Result<CourseView, Failure> {
    get(&format!("/api/courses/{id}")).await
}

/// Signs up for a session.
pub async fn sign_up(session_id: i64) -> Result<SignupView, Failure> {
    post(
        &format!("/api/sessions/{session_id}/signups"),
        &serde_json::json!({}),
    )
    .await
}

/// Cancels a sign-up.
pub async fn cancel_signup(id: i64) -> Result<(), Failure> {
    let req = with_headers(Request::delete(&format!("/api/signups/{id}")));
    read(req.send().await).await
}

/// The member's sign-ups.
pub async fn my_signups() -> Result<Page<SignupView>, Failure> {
    get("/api/me/signups").await
}

use unioncard_api::training::{
    AttendanceInput, CourseInput, SessionInput, SessionRoster, SessionView,
};

/// The officer's courses.
pub async fn staff_courses() -> Result<Page<StaffCourse>, Failure> {
    get("/api/staff/courses").await
}

/// Creates a course.
pub async fn create_course(input: &CourseInput) -> Result<StaffCourse, Failure> {
    post("/api/staff/courses", input).await
}

/// Adds a session.
pub async fn add_session(course_id: i64, input: &SessionInput) -> Result<SessionView, Failure> {
    post(&format!("/api/staff/courses/{course_id}/sessions"), input).await
}

/// A session's roster.
pub async fn session_roster(id: i64) -> Result<SessionRoster, Failure> {
    get(&format!("/api/staff/sessions/{id}/roster")).await
}

/// Marks attendance.
pub async fn mark_attendance(signup_id: i64, attended: bool) -> Result<SessionRoster, Failure> {
    post(
        &format!("/api/staff/signups/{signup_id}/attendance"),
        &AttendanceInput { attended },
    )
    .await
}

/// Issues a certificate.
pub async fn issue_certificate(signup_id: i64) -> Result<SessionRoster, Failure> {
    post(
        &format!("/api/staff/signups/{signup_id}/certificate"),
        &serde_json::json!({}),
    )
    .await
}

/// Edits a course.
pub async fn update_course(id: i64, input: &CourseInput) -> Result<StaffCourse, Failure> {
    let req = with_headers(Request::put(&format!("/api/staff/courses/{id}")))
        .json(input)
        .map_err(|_| Failure::Network)?;
    read(req.send().await).await
}

/// Edits a session.
pub async fn update_session(id: i64, input: &SessionInput) -> Result<SessionView, Failure> {
    let req = with_headers(Request::put(&format!("/api/staff/sessions/{id}")))
        .json(input)
        .map_err(|_| Failure::Network)?;
    read(req.send().await).await
}

/// `PUT path` with a JSON body.
pub async fn put<B: Serialize, T: DeserializeOwned>(path: &str, body: &B) -> Result<T, Failure> {
    let req = with_headers(Request::put(path))
        .json(body)
        .map_err(|_| Failure::Network)?;
    read(req.send().await).await
}

use unioncard_api::aid::{
    ClaimInput, ClaimView, DocumentView, EnrolRequest, EnrolmentView, PlanView,
};

/// The aid plans, with whether the signed-in member may join each.
pub async fn aid_plans() -> Result<Page<PlanView>, Failure> {
    get("/api/aid/plans").await
}

/// One aid plan.
pub async fn aid_plan(id: i64) -> Result<PlanView, Failure> {
    get(&format!("/api/aid/plans/{id}")).await
}

/// Joins a plan; the answer is the certificate.
pub async fn enrol(plan_id: i64) -> Result<EnrolmentView, Failure> {
    post("/api/aid/enrolments", &EnrolRequest { plan_id }).await
}

/// The member's cover.
pub async fn my_cover() -> Result<Page<EnrolmentView>, Failure> {
    get("/api/me/aid/enrolments").await
}

/// One enrolment (the certificate).
pub async fn enrolment(id: i64) -> Result<EnrolmentView, Failure> {
    get(&format!("/api/aid/enrolments/{id}")).await
}

/// Files (or saves as a draft) a claim; a retry with the same key is answered once.
pub async fn create_claim(input: &ClaimInput, idempotency_key: &str) -> Result<ClaimView, Failure> {
    let req = with_headers(Request::post("/api/aid/claims"))
        .header("Idempotency-Key", idempotency_key)
        .json(input)
        .map_err(|_| Failure::Network)?;
    read(req.send().await).await
}

/// Saves changes to a draft.
pub async fn update_claim(id: i64, input: &ClaimInput) -> Result<ClaimView, Failure> {
    put(&format!("/api/aid/claims/{id}"), input).await
}

/// One of the member's claims.
pub async fn claim(id: i64) -> Result<ClaimView, Failure> {
    get(&format!("/api/aid/claims/{id}")).await
}

/// Sends a draft (or sends it back with the documents asked for).
pub async fn submit_claim(id: i64) -> Result<ClaimView, Failure> {
    post(
        &format!("/api/aid/claims/{id}/submit"),
        &serde_json::json!({}),
    )
    .await
}

/// Attaches a document (a photo already shrunk on the phone, or a PDF).
pub async fn claim_document(id: i64, file: &web_sys::Blob) -> Result<DocumentView, Failure> {
    let form = web_sys::FormData::new().map_err(|_| Failure::Network)?;
    form.append_with_blob("file", file)
        .map_err(|_| Failure::Network)?;
    let req = with_headers(Request::post(&format!("/api/aid/claims/{id}/documents")))
        .body(form)
        .map_err(|_| Failure::Network)?;
    read(req.send().await).await
}

/// Removes a document from a draft.
pub async fn delete_document(id: i64, doc: i64) -> Result<(), Failure> {
    let req = with_headers(Request::delete(&format!(
        "/api/aid/claims/{id}/documents/{doc}"
    )));
    read(req.send().await).await
}

/// The officer's claim queue (`open` or one status).
pub async fn staff_claims(status: &str) -> Result<Page<ClaimView>, Failure> {
    get(&format!("/api/staff/aid/claims?status={status}&limit=50")).await
}

/// One claim for review.
pub async fn staff_claim(id: i64) -> Result<ClaimView, Failure> {
    get(&format!("/api/staff/aid/claims/{id}")).await
}

/// Takes a claim for review.
pub async fn review_claim(id: i64) -> Result<ClaimView, Failure> {
    post(
        &format!("/api/staff/aid/claims/{id}/review"),
        &serde_json::json!({}),
    )
    .await
}

/// Approves, rejects or asks for documents.
pub async fn decide_claim(id: i64, decision: &Decision) -> Result<ClaimView, Failure> {
    post(&format!("/api/staff/aid/claims/{id}/decision"), decision).await
}

/// Records the payment onto the card.
pub async fn mark_claim_paid(id: i64) -> Result<ClaimView, Failure> {
    post(
        &format!("/api/staff/aid/claims/{id}/paid"),
        &serde_json::json!({}),
    )
    .await
}

use unioncard_api::loans::{EligibilityAnswer, EligibilityInput, LoanInput, LoanView, Schedule};

/// The server's answer to the pre-check (the phone also computes it itself).
pub async fn loan_eligibility(input: &EligibilityInput) -> Result<EligibilityAnswer, Failure> {
    post("/api/loans/eligibility", input).await
}

/// Creates an application (a draft, or sent at once); retried with the same key, answered once.
pub async fn create_loan(input: &LoanInput, idempotency_key: &str) -> Result<LoanView, Failure> {
    let req = with_headers(Request::post("/api/loans"))
        .header("Idempotency-Key", idempotency_key)
        .json(input)
        .map_err(|_| Failure::Network)?;
    read(req.send().await).await
}

/// Saves a step of a draft.
pub async fn update_loan(id: i64, input: &LoanInput) -> Result<LoanView, Failure> {
    put(&format!("/api/loans/{id}"), input).await
}

/// Sends a draft (again is harmless: it is sent once).
pub async fn submit_loan(id: i64) -> Result<LoanView, Failure> {
    post(&format!("/api/loans/{id}/submit"), &serde_json::json!({})).await
}

/// One application.
pub async fn loan(id: i64) -> Result<LoanView, Failure> {
    get(&format!("/api/loans/{id}")).await
}

/// The member's applications.
pub async fn my_loans() -> Result<Page<LoanView>, Failure> {
    get("/api/me/loans").await
}

/// A paid-out loan's schedule.
pub async fn loan_schedule(id: i64) -> Result<Schedule, Failure> {
    get(&format!("/api/loans/{id}/schedule")).await
}

/// Attaches a document to an application.
pub async fn loan_document(id: i64, file: &web_sys::Blob) -> Result<DocumentView, Failure> {
    let form = web_sys::FormData::new().map_err(|_| Failure::Network)?;
    form.append_with_blob("file", file)
        .map_err(|_| Failure::Network)?;
    let req = with_headers(Request::post(&format!("/api/loans/{id}/documents")))
        .body(form)
        .map_err(|_| Failure::Network)?;
    read(req.send().await).await
}

/// The officer's queue for one stage.
pub async fn staff_loans(status: &str) -> Result<Page<LoanView>, Failure> {
    get(&format!("/api/staff/loans?status={status}")).await
}

/// Moves an application on, or rejects it.
pub async fn decide_loan(id: i64, decision: &Decision) -> Result<LoanView, Failure> {
    post(&format!("/api/staff/loans/{id}/decision"), decision).await
}

/// A follow-up note on a paid-out loan.
pub async fn loan_note(id: i64, note: &str) -> Result<LoanView, Failure> {
    post(
        &format!("/api/staff/loans/{id}/notes"),
        &serde_json::json!({ "note": note }),
    )
    .await
}

/// One county's quota this year.
#[derive(Clone, Debug, PartialEq, serde::Deserialize)]
pub struct Quota {
    /// County union.
    pub county: String,
    /// Quota.
    pub quota_fen: i64,
    /// Used.
    pub used_fen: i64,
    /// Left.
    pub left_fen: i64,
}

/// The quotas of the counties in the officer's scope.
pub async fn loan_quotas() -> Result<Vec<Quota>, Failure> {
    get("/api/staff/loans/quota").await
}

use unioncard_api::stats::Stats;

/// What waits in each of the officer's queues.
#[derive(Clone, Debug, PartialEq, serde::Deserialize)]
pub struct Queues {
    /// Join requests.
    pub join_requests: i64,
    /// Aid claims.
    pub claims: i64,
    /// Loan applications.
    pub loans: i64,
    /// Complaints.
    pub complaints: i64,
}

/// The officer's queue counts.
pub async fn staff_queues() -> Result<Queues, Failure> {
    get("/api/staff/queues").await
}

/// The figures; `query` is the URL query (`from=…&to=…&sort=…`).
pub async fn staff_stats(query: &str) -> Result<Stats, Failure> {
    get(&format!("/api/staff/stats?{query}")).await
}

/// One audit entry.
#[derive(Clone, Debug, PartialEq, serde::Deserialize)]
pub struct AuditEntry {
    /// When.
    pub at: String,
    /// Who.
    pub actor: String,
    /// What.
    pub action: String,
    /// To what.
    pub target: String,
    /// Before.
    pub before: Option<serde_json::Value>,
    /// After.
    pub after: Option<serde_json::Value>,
}

/// A page of the audit log; `query` is the URL query.
pub async fn audit(query: &str) -> Result<Page<AuditEntry>, Failure> {
    get(&format!("/api/staff/audit?{query}")).await
}

use unioncard_api::auth::{AccountSummary, OfficerInput, OfficerView, UnionInput, UnionView};
use unioncard_api::offers::{MerchantInput, OfferInput, StaffMerchant};

/// The officer's merchants matching some words.
pub async fn staff_merchants(q: &str) -> Result<Page<StaffMerchant>, Failure> {
    get(&format!(
        "/api/staff/merchants?q={}",
        js_sys::encode_uri_component(q.trim())
    ))
    .await
}

/// One of the officer's merchants.
pub async fn staff_merchant(id: i64) -> Result<StaffMerchant, Failure> {
    get(&format!("/api/staff/merchants/{id}")).await
}

/// Adds a merchant.
pub async fn create_merchant(input: &MerchantInput) -> Result<StaffMerchant, Failure> {
    post("/api/staff/merchants", input).await
}

/// Saves a merchant.
pub async fn update_merchant(id: i64, input: &MerchantInput) -> Result<StaffMerchant, Failure> {
    put(&format!("/api/staff/merchants/{id}"), input).await
}

/// Pauses, resumes or ends a merchant.
pub async fn merchant_status(id: i64, status: &str) -> Result<StaffMerchant, Failure> {
    post(
        &format!("/api/staff/merchants/{id}/status"),
        &serde_json::json!({ "status": status }),
    )
    .await
}

/// A merchant's cashier accounts.
pub async fn merchant_cashiers(id: i64) -> Result<Vec<AccountSummary>, Failure> {
    let page: Page<AccountSummary> = get(&format!("/api/staff/merchants/{id}/cashiers")).await?;
    Ok(page.items)
}

/// Adds an offer.
pub async fn add_offer(merchant: i64, input: &OfferInput) -> Result<StaffMerchant, Failure> {
    post(&format!("/api/staff/merchants/{merchant}/offers"), input).await
}

/// Pauses or resumes an offer.
pub async fn offer_status(id: i64, status: &str) -> Result<StaffMerchant, Failure> {
    post(
        &format!("/api/staff/offers/{id}/status"),
        &serde_json::json!({ "status": status }),
    )
    .await
}

/// A union and those directly below it.
pub async fn admin_unions(parent: Option<i64>) -> Result<Page<UnionView>, Failure> {
    match parent {
        Some(p) => get(&format!("/api/admin/unions?parent={p}")).await,
        None => get("/api/admin/unions").await,
    }
}

/// Adds a union.
pub async fn create_union(input: &UnionInput) -> Result<UnionView, Failure> {
    post("/api/admin/unions", input).await
}

/// The officer accounts.
pub async fn admin_officers() -> Result<Page<OfficerView>, Failure> {
    get("/api/admin/officers").await
}

/// Opens an officer account.
pub async fn create_officer(input: &OfficerInput) -> Result<OfficerView, Failure> {
    post("/api/admin/officers", input).await
}

use unioncard_api::aid::PlanInput;

/// The plans the officer's unions run, closed ones too.
pub async fn staff_plans() -> Result<Page<PlanView>, Failure> {
    get("/api/staff/aid/plans").await
}

/// Opens a plan.
pub async fn create_plan(input: &PlanInput) -> Result<PlanView, Failure> {
    post("/api/staff/aid/plans", input).await
}

/// Closes a plan to new enrolments, or opens it again.
pub async fn plan_status(id: i64, status: &str) -> Result<PlanView, Failure> {
    post(
        &format!("/api/staff/aid/plans/{id}/status"),
        &serde_json::json!({ "status": status }),
    )
    .await
}

/// Disables an officer account, or enables it again.
pub async fn set_officer_access(id: i64, enabled: bool) -> Result<(), Failure> {
    post(
        &format!("/api/admin/officers/{id}/access"),
        &serde_json::json!({ "enabled": enabled }),
    )
    .await
}
