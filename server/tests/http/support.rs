//! `spawn_app` and a client that speaks the contract in its shared wire
//! types (`unioncard_api`): requests are the types the phone sends, answers
//! are read back into the types the server answers with.

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use sqlx::Connection;
use unioncard_api::aid::{
    ClaimInput, ClaimView, EnrolRequest, EnrolmentView, Estimate, EstimateRequest, PlanInput,
    PlanView,
};
use unioncard_api::auth::{
    AccountAccess, LoginRequest, Me, OfficerInput, OfficerView, PasswordChange, RegisterRequest,
    UnionInput, UnionView,
};
use unioncard_api::card::{
    ActivateRequest, CardCheckRequest, CardCheckResult, CardLookup, CardView, StaffCardView,
};
use unioncard_api::ecard::DeviceSecret;
use unioncard_api::join::{Decision, JoinApplication, JoinLookup, JoinRequestView, Page};
use unioncard_api::loans::{EligibilityAnswer, EligibilityInput, LoanInput, LoanView, Schedule};
use unioncard_api::offers::{
    CashierRedemption, ComplaintRequest, ComplaintView, ConfirmRequest, MerchantInput, OfferInput,
    RedemptionCode, StaffMerchant, StatusChange,
};
use unioncard_api::training::{
    AttendanceInput, CourseInput, SessionInput, SessionRoster, SessionView, SignupView, StaffCourse,
};
use unioncard_api::ApiError;
use unioncard_server::{AppState, Config};

/// Declares a test that runs once per database engine.
#[macro_export]
macro_rules! both_databases {
    ($name:ident) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let app = $crate::support::spawn_app($crate::support::Backend::Sqlite).await;
                super::$name(&app).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let Some(app) = $crate::support::spawn_postgres().await else {
                    return;
                };
                super::$name(&app).await;
            }
        }
    };
}

/// Which engine a test runs on.
#[derive(Clone, Copy, Debug)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A running server and what a test needs to talk to it.
pub struct TestApp {
    pub base: String,
    pub state: AppState,
    /// The database it serves.
    pub url: String,
    /// Its key file and documents.
    pub data_dir: std::path::PathBuf,
    _dir: tempfile::TempDir,
}

/// A client with its own cookie jar: one person's phone.
pub struct Client {
    base: String,
    http: reqwest::Client,
}

/// An answer: status, headers and JSON body (Null when empty or not JSON).
pub struct Answer {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
}

impl Answer {
    /// The contract's error code.
    pub fn code(&self) -> &str {
        self.body["error"]["code"].as_str().unwrap_or("")
    }

    /// The error body, read as the contract's type.
    pub fn error(&self) -> ApiError {
        serde_json::from_value(self.body["error"].clone())
            .unwrap_or_else(|e| panic!("not an error body ({e}): {} {}", self.status, self.body))
    }

    /// The error's sentence for people.
    pub fn message(&self) -> String {
        self.error().message
    }

    /// What the error says about one field, if anything.
    pub fn field(&self, name: &str) -> Option<String> {
        self.error().fields.get(name).cloned()
    }

    /// The body read as a wire type.
    pub fn parse<T: DeserializeOwned>(&self) -> T {
        serde_json::from_value(self.body.clone()).unwrap_or_else(|e| {
            panic!(
                "not a {} ({e}): {} {}",
                std::any::type_name::<T>(),
                self.status,
                self.body
            )
        })
    }
}

/// An answer whose body is a wire type when the request succeeded; the raw
/// [`Answer`] stays there for error codes, fields and headers.
pub struct Typed<T> {
    pub status: StatusCode,
    pub answer: Answer,
    body: Result<T, String>,
}

impl<T: DeserializeOwned> Typed<T> {
    /// Reads a successful answer's body as `T`.
    pub fn read(answer: Answer) -> Typed<T> {
        let body = if answer.status.is_success() {
            serde_json::from_value(answer.body.clone()).map_err(|e| {
                format!(
                    "not a {} ({e}): {}",
                    std::any::type_name::<T>(),
                    answer.body
                )
            })
        } else {
            Err(format!("{}: {}", answer.status, answer.body))
        };
        Typed {
            status: answer.status,
            answer,
            body,
        }
    }
}

impl<T> Typed<T> {
    /// The body; panics with the raw answer when there is none.
    pub fn body(&self) -> &T {
        match &self.body {
            Ok(b) => b,
            Err(e) => panic!("no body: {e}"),
        }
    }

    /// The body, taken.
    pub fn into_body(self) -> T {
        match self.body {
            Ok(b) => b,
            Err(e) => panic!("no body: {e}"),
        }
    }

    /// Asserts the status, then gives the body.
    pub fn expect(self, status: StatusCode) -> T {
        assert_eq!(self.status, status, "{}", self.answer.body);
        self.into_body()
    }

    /// The contract's error code ("" on success).
    pub fn code(&self) -> &str {
        self.answer.code()
    }

    /// The error's sentence for people.
    pub fn message(&self) -> String {
        self.answer.message()
    }

    /// What the error says about one field, if anything.
    pub fn field(&self, name: &str) -> Option<String> {
        self.answer.field(name)
    }
}

/// A path with its query string, if any.
fn with_query(path: &str, query: &str) -> String {
    if query.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{query}")
    }
}

/// `{}`: the body of a request that only names its target.
#[derive(Serialize)]
pub struct Empty {}

/// `{"note": ...}`: a follow-up note on a paid-out loan.
#[derive(Serialize)]
pub struct Note<'a> {
    pub note: &'a str,
}

/// `{"name": ...}`: a union's new name.
#[derive(Serialize)]
pub struct Rename<'a> {
    pub name: &'a str,
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// Starts the app over PostgreSQL when `TEST_POSTGRES_URL` is set.
pub async fn spawn_postgres() -> Option<TestApp> {
    if std::env::var("TEST_POSTGRES_URL").is_err() {
        eprintln!("TEST_POSTGRES_URL is not set: skipping the PostgreSQL run");
        return None;
    }
    Some(spawn_app(Backend::Postgres).await)
}

/// Starts the real server on a random port over a fresh database.
pub async fn spawn_app(backend: Backend) -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = match backend {
        Backend::Sqlite => format!("sqlite://{}/test.db", dir.path().display()),
        Backend::Postgres => fresh_postgres_database().await,
    };
    let config = Config::for_tests(url, dir.path().join("data"));
    spawn_with(config, dir).await
}

/// Starts the real server with this configuration (its files in `dir`).
pub async fn spawn_with(mut config: Config, dir: tempfile::TempDir) -> TestApp {
    let dist = dir.path().join("dist");
    write_fake_dist(&dist);
    config.static_dir = Some(dist.clone());
    let state = unioncard_server::prepare(&config)
        .await
        .expect("server prepares");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base = format!("http://{}", listener.local_addr().unwrap());
    let serve_state = state.clone();
    tokio::spawn(async move {
        unioncard_server::serve(listener, serve_state, Some(dist), std::future::pending())
            .await
            .expect("server runs");
    });
    TestApp {
        base,
        state,
        url: config.database.clone(),
        data_dir: config.data_dir.clone(),
        _dir: dir,
    }
}

impl TestApp {
    /// A second server on the same database, as a load balancer's second
    /// instance: its own process state and folder, the same data key
    /// (`UNIONCARD_KEY`, as every instance is given) and no demo loading.
    pub async fn beside(&self) -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        let key = std::fs::read_to_string(self.data_dir.join("unioncard.key")).expect("key file");
        let mut config = Config::for_tests(self.url.clone(), dir.path().join("data"));
        config.key = Some(key.trim().to_string());
        config.demo = false;
        spawn_with(config, dir).await
    }
}

pub async fn fresh_postgres_database() -> String {
    let admin = std::env::var("TEST_POSTGRES_URL").expect("TEST_POSTGRES_URL");
    let name = format!(
        "uc_test_{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst),
        rand_suffix()
    );
    let mut conn = sqlx::postgres::PgConnection::connect(&admin)
        .await
        .expect("connect to PostgreSQL");
    sqlx::Executor::execute(&mut conn, format!("CREATE DATABASE {name}").as_str())
        .await
        .expect("create test database");
    let (prefix, _) = admin
        .rsplit_once('/')
        .expect("URL ends with a database name");
    format!("{prefix}/{name}")
}

fn rand_suffix() -> u32 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos()
}

/// A stand-in for Trunk's output, with the names and precompressed variants it has.
fn write_fake_dist(dist: &Path) {
    std::fs::create_dir_all(dist).unwrap();
    std::fs::write(
        dist.join("index.html"),
        "<!doctype html><title>UnionCard</title>",
    )
    .unwrap();
    std::fs::write(
        dist.join("sw.js"),
        "self.addEventListener('fetch', () => {});",
    )
    .unwrap();
    std::fs::create_dir_all(dist.join("staff")).unwrap();
    std::fs::write(
        dist.join("staff/index.html"),
        "<!doctype html><title>工会工作台</title>",
    )
    .unwrap();
    // A build's files live in a folder named by their hash (xtask/src/app.rs).
    let build = dist.join("a/0123456789abcdef");
    std::fs::create_dir_all(&build).unwrap();
    let js = "console.log('app');".repeat(50);
    std::fs::write(build.join("main.js"), &js).unwrap();
    std::fs::write(build.join("main.js.br"), b"brotli-bytes").unwrap();
    std::fs::write(build.join("main.js.gz"), b"gzip-bytes").unwrap();
}

impl TestApp {
    /// A new client with an empty cookie jar.
    pub fn client(&self) -> Client {
        Client {
            base: self.base.clone(),
            http: reqwest::Client::builder()
                .cookie_store(true)
                .no_gzip()
                .no_brotli()
                .build()
                .unwrap(),
        }
    }

    /// A client signed in as a demo account.
    pub async fn signed_in(&self, phone: &str) -> Client {
        self.signed_in_with(phone, "Demo@2026").await
    }

    /// A client signed in with a phone and password.
    pub async fn signed_in_with(&self, phone: &str, password: &str) -> Client {
        let c = self.client();
        let a = c.sign_in(phone, password).await;
        assert_eq!(
            a.status,
            StatusCode::OK,
            "sign-in {phone}: {}",
            a.answer.body
        );
        c
    }
}

impl Client {
    /// The same phone (its cookies) talking to another server: what a load
    /// balancer does between two requests.
    pub fn at(&self, other: &TestApp) -> Client {
        Client {
            base: other.base.clone(),
            http: self.http.clone(),
        }
    }

    /// Sends a request the way the app does (JSON, the CSRF header).
    pub async fn send(&self, method: Method, path: &str, body: Option<Value>) -> Answer {
        self.send_body(method, path, body.as_ref()).await
    }

    /// Sends a request with any wire type as its JSON body.
    pub async fn send_body<B: Serialize + ?Sized>(
        &self,
        method: Method,
        path: &str,
        body: Option<&B>,
    ) -> Answer {
        let mut req = self
            .http
            .request(method, format!("{}{path}", self.base))
            .header("X-Requested-With", "unioncard");
        if let Some(body) = body {
            req = req.json(body);
        }
        Self::answer(req.send().await.expect("request sent")).await
    }

    /// A raw request builder, for tests that break the rules on purpose.
    pub fn raw(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        self.http.request(method, format!("{}{path}", self.base))
    }

    /// Reads an answer.
    pub async fn answer(resp: reqwest::Response) -> Answer {
        let status = resp.status();
        let headers = resp.headers().clone();
        let bytes = resp.bytes().await.unwrap_or_default();
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Answer {
            status,
            headers,
            body,
        }
    }

    pub async fn get(&self, path: &str) -> Answer {
        self.send_body::<Value>(Method::GET, path, None).await
    }

    /// A POST with a JSON body: a wire type, or a hand-built JSON value
    /// for what the types cannot say.
    pub async fn post<B: Serialize>(&self, path: &str, body: B) -> Answer {
        self.send_body(Method::POST, path, Some(&body)).await
    }

    /// A POST of `{}`.
    pub async fn post_empty(&self, path: &str) -> Answer {
        self.post(path, Empty {}).await
    }

    /// A PUT with a JSON body.
    pub async fn put<B: Serialize>(&self, path: &str, body: B) -> Answer {
        self.send_body(Method::PUT, path, Some(&body)).await
    }

    /// A DELETE.
    pub async fn delete(&self, path: &str) -> Answer {
        self.send_body::<Value>(Method::DELETE, path, None).await
    }

    /// GET, the answer read as `T`.
    pub async fn get_as<T: DeserializeOwned>(&self, path: &str) -> Typed<T> {
        Typed::read(self.get(path).await)
    }

    /// POST a wire type, the answer read as `T`.
    pub async fn post_as<B: Serialize, T: DeserializeOwned>(
        &self,
        path: &str,
        body: &B,
    ) -> Typed<T> {
        Typed::read(self.post(path, body).await)
    }

    /// POST `{}`, the answer read as `T`.
    pub async fn post_empty_as<T: DeserializeOwned>(&self, path: &str) -> Typed<T> {
        Typed::read(self.post_empty(path).await)
    }

    /// PUT a wire type, the answer read as `T`.
    pub async fn put_as<B: Serialize, T: DeserializeOwned>(
        &self,
        path: &str,
        body: &B,
    ) -> Typed<T> {
        Typed::read(self.put(path, body).await)
    }

    // Accounts.

    /// `POST /api/auth/login`.
    pub async fn sign_in(&self, phone: &str, password: &str) -> Typed<Me> {
        let body = LoginRequest {
            phone: phone.into(),
            password: password.into(),
        };
        self.post_as("/api/auth/login", &body).await
    }

    /// `POST /api/auth/register`.
    pub async fn register(&self, body: &RegisterRequest) -> Typed<Me> {
        self.post_as("/api/auth/register", body).await
    }

    /// `POST /api/auth/logout`.
    pub async fn sign_out(&self) -> Answer {
        self.post_empty("/api/auth/logout").await
    }

    /// `GET /api/me`.
    pub async fn me(&self) -> Typed<Me> {
        self.get_as("/api/me").await
    }

    /// `POST /api/me/password`.
    pub async fn change_password(&self, current: &str, new: &str) -> Answer {
        let body = PasswordChange {
            current_password: current.into(),
            new_password: new.into(),
        };
        self.post("/api/me/password", &body).await
    }

    // The card.

    /// `GET /api/card`.
    pub async fn card(&self) -> Typed<CardView> {
        self.get_as("/api/card").await
    }

    /// `POST /api/card/activate`.
    pub async fn activate(&self, card_no: &str, id_number: &str) -> Typed<CardView> {
        let body = ActivateRequest {
            card_no: card_no.into(),
            id_number: id_number.into(),
        };
        self.post_as("/api/card/activate", &body).await
    }

    /// `POST /api/card/devices`: this phone's secret.
    pub async fn provision_device(&self) -> Typed<DeviceSecret> {
        self.post_empty_as("/api/card/devices").await
    }

    /// `POST /api/card/report-lost`.
    pub async fn report_lost(&self) -> Typed<CardView> {
        self.post_empty_as("/api/card/report-lost").await
    }

    /// `POST /api/merchant/card-checks` (a cashier).
    pub async fn check_card(&self, token: &str) -> Typed<CardCheckResult> {
        let body = CardCheckRequest {
            token: token.into(),
        };
        self.post_as("/api/merchant/card-checks", &body).await
    }

    /// `POST /api/staff/cards/{lookup|freeze|unfreeze}` (an officer).
    pub async fn staff_card(&self, action: &str, card_no: &str) -> Typed<StaffCardView> {
        let body = CardLookup {
            card_no: card_no.into(),
        };
        self.post_as(&format!("/api/staff/cards/{action}"), &body)
            .await
    }

    /// `POST /api/staff/accounts/{id}/access` (an officer).
    pub async fn set_account_access(&self, account: i64, enabled: bool) -> Answer {
        self.post(
            &format!("/api/staff/accounts/{account}/access"),
            AccountAccess { enabled },
        )
        .await
    }

    // Discounts.

    /// `GET /api/merchants?…`.
    pub async fn merchants(&self, query: &str) -> Typed<Page<unioncard_api::offers::MerchantView>> {
        self.get_as(&with_query("/api/merchants", query)).await
    }

    /// `POST /api/offers/{id}/redemptions`: a one-time code.
    pub async fn redeem(&self, offer: i64) -> Typed<RedemptionCode> {
        self.post_empty_as(&format!("/api/offers/{offer}/redemptions"))
            .await
    }

    /// `POST /api/merchant/redemptions/{code}/{preview|confirm}` (a cashier).
    pub async fn till(
        &self,
        action: &str,
        code: &str,
        amount_fen: i64,
    ) -> Typed<CashierRedemption> {
        self.post_as(
            &format!("/api/merchant/redemptions/{code}/{action}"),
            &ConfirmRequest { amount_fen },
        )
        .await
    }

    /// `POST /api/merchant/redemptions/{code}/confirm` (a cashier).
    pub async fn confirm(&self, code: &str, amount_fen: i64) -> Typed<CashierRedemption> {
        self.till("confirm", code, amount_fen).await
    }

    /// `POST /api/complaints`.
    pub async fn complain(&self, body: &ComplaintRequest) -> Typed<ComplaintView> {
        self.post_as("/api/complaints", body).await
    }

    // Mutual medical aid.

    /// `GET /api/aid/plans`.
    pub async fn aid_plans(&self) -> Vec<PlanView> {
        self.get_as::<Page<PlanView>>("/api/aid/plans")
            .await
            .expect(StatusCode::OK)
            .items
    }

    /// `POST /api/aid/estimate`.
    pub async fn estimate(&self, body: &EstimateRequest) -> Typed<Estimate> {
        self.post_as("/api/aid/estimate", body).await
    }

    /// `POST /api/aid/enrolments`.
    pub async fn enrol(&self, plan_id: i64) -> Typed<EnrolmentView> {
        self.post_as("/api/aid/enrolments", &EnrolRequest { plan_id })
            .await
    }

    /// `GET /api/me/aid/enrolments`.
    pub async fn my_cover(&self) -> Vec<EnrolmentView> {
        self.get_as::<Page<EnrolmentView>>("/api/me/aid/enrolments")
            .await
            .expect(StatusCode::OK)
            .items
    }

    /// `POST /api/aid/claims`: filed, or saved as a draft.
    pub async fn file_claim(&self, body: &ClaimInput) -> Typed<ClaimView> {
        self.post_as("/api/aid/claims", body).await
    }

    /// `PUT /api/aid/claims/{id}`.
    pub async fn save_claim(&self, id: i64, body: &ClaimInput) -> Typed<ClaimView> {
        self.put_as(&format!("/api/aid/claims/{id}"), body).await
    }

    /// `POST /api/aid/claims/{id}/submit`.
    pub async fn submit_claim(&self, id: i64) -> Typed<ClaimView> {
        self.post_empty_as(&format!("/api/aid/claims/{id}/submit"))
            .await
    }

    /// `GET /api/aid/claims/{id}`.
    pub async fn claim(&self, id: i64) -> Typed<ClaimView> {
        self.get_as(&format!("/api/aid/claims/{id}")).await
    }

    /// `GET /api/staff/aid/claims?…` (an officer).
    pub async fn claim_queue(&self, query: &str) -> Typed<Page<ClaimView>> {
        self.get_as(&with_query("/api/staff/aid/claims", query))
            .await
    }

    /// `POST /api/staff/aid/claims/{id}/{review|paid}` (an officer).
    pub async fn claim_step(&self, id: i64, step: &str) -> Typed<ClaimView> {
        self.post_empty_as(&format!("/api/staff/aid/claims/{id}/{step}"))
            .await
    }

    /// `POST /api/staff/aid/claims/{id}/decision` (an officer).
    pub async fn decide_claim(&self, id: i64, decision: &Decision) -> Typed<ClaimView> {
        self.post_as(&format!("/api/staff/aid/claims/{id}/decision"), decision)
            .await
    }

    /// `POST /api/staff/aid/plans` (an officer).
    pub async fn open_plan(&self, body: &PlanInput) -> Typed<PlanView> {
        self.post_as("/api/staff/aid/plans", body).await
    }

    // Micro-loans.

    /// `POST /api/loans/eligibility`.
    pub async fn loan_precheck(&self, body: &EligibilityInput) -> Typed<EligibilityAnswer> {
        self.post_as("/api/loans/eligibility", body).await
    }

    /// `POST /api/loans`: sent, or saved as a draft.
    pub async fn apply_for_loan(&self, body: &LoanInput) -> Typed<LoanView> {
        self.post_as("/api/loans", body).await
    }

    /// `PUT /api/loans/{id}`.
    pub async fn save_loan(&self, id: i64, body: &LoanInput) -> Typed<LoanView> {
        self.put_as(&format!("/api/loans/{id}"), body).await
    }

    /// `POST /api/loans/{id}/submit`.
    pub async fn submit_loan(&self, id: i64) -> Typed<LoanView> {
        self.post_empty_as(&format!("/api/loans/{id}/submit")).await
    }

    /// `GET /api/loans/{id}`.
    pub async fn loan(&self, id: i64) -> Typed<LoanView> {
        self.get_as(&format!("/api/loans/{id}")).await
    }

    /// `GET /api/me/loans`.
    pub async fn my_loans(&self) -> Vec<LoanView> {
        self.get_as::<Page<LoanView>>("/api/me/loans")
            .await
            .expect(StatusCode::OK)
            .items
    }

    /// `GET /api/loans/{id}/schedule`.
    pub async fn schedule(&self, id: i64) -> Typed<Schedule> {
        self.get_as(&format!("/api/loans/{id}/schedule")).await
    }

    /// `GET /api/staff/loans?…` (an officer).
    pub async fn loan_queue(&self, query: &str) -> Typed<Page<LoanView>> {
        self.get_as(&with_query("/api/staff/loans", query)).await
    }

    /// `POST /api/staff/loans/{id}/decision` (an officer).
    pub async fn decide_loan(&self, id: i64, decision: &Decision) -> Typed<LoanView> {
        self.post_as(&format!("/api/staff/loans/{id}/decision"), decision)
            .await
    }

    // Joining.

    /// `POST /api/join-requests` (no account).
    pub async fn apply_to_join(&self, body: &JoinApplication) -> Typed<JoinRequestView> {
        self.post_as("/api/join-requests", body).await
    }

    /// `POST /api/join-requests/lookup`.
    pub async fn look_up_join(&self, phone: &str, id_number: &str) -> Typed<JoinRequestView> {
        let body = JoinLookup {
            phone: phone.into(),
            id_number: id_number.into(),
        };
        self.post_as("/api/join-requests/lookup", &body).await
    }

    /// `GET /api/staff/join-requests?…` (an officer).
    pub async fn join_queue(&self, query: &str) -> Typed<Page<JoinRequestView>> {
        self.get_as(&with_query("/api/staff/join-requests", query))
            .await
    }

    /// `POST /api/staff/join-requests/{id}/decision` (an officer).
    pub async fn decide_join_request(
        &self,
        id: i64,
        decision: &Decision,
    ) -> Typed<JoinRequestView> {
        self.post_as(&format!("/api/staff/join-requests/{id}/decision"), decision)
            .await
    }

    /// `POST /api/staff/complaints/{id}/decision` (an officer).
    pub async fn decide_complaint(&self, id: i64, decision: &Decision) -> Typed<ComplaintView> {
        self.post_as(&format!("/api/staff/complaints/{id}/decision"), decision)
            .await
    }

    // Training.

    /// `POST /api/sessions/{id}/signups`.
    pub async fn sign_up(&self, session: i64) -> Typed<SignupView> {
        self.post_empty_as(&format!("/api/sessions/{session}/signups"))
            .await
    }

    /// `DELETE /api/signups/{id}`.
    pub async fn cancel_signup(&self, id: i64) -> Answer {
        self.delete(&format!("/api/signups/{id}")).await
    }

    /// `GET /api/me/signups`.
    pub async fn my_signups(&self) -> Vec<SignupView> {
        self.get_as::<Page<SignupView>>("/api/me/signups")
            .await
            .expect(StatusCode::OK)
            .items
    }

    /// `POST /api/staff/courses` (an officer).
    pub async fn create_course(&self, body: &CourseInput) -> Typed<StaffCourse> {
        self.post_as("/api/staff/courses", body).await
    }

    /// `POST /api/staff/courses/{id}/sessions` (an officer).
    pub async fn add_session(&self, course: i64, body: &SessionInput) -> Typed<SessionView> {
        self.post_as(&format!("/api/staff/courses/{course}/sessions"), body)
            .await
    }

    /// `PUT /api/staff/sessions/{id}` (an officer).
    pub async fn edit_session(&self, session: i64, body: &SessionInput) -> Typed<SessionView> {
        self.put_as(&format!("/api/staff/sessions/{session}"), body)
            .await
    }

    /// `POST /api/staff/signups/{id}/attendance` (an officer).
    pub async fn mark_attendance(&self, signup: i64, attended: bool) -> Typed<SessionRoster> {
        self.post_as(
            &format!("/api/staff/signups/{signup}/attendance"),
            &AttendanceInput { attended },
        )
        .await
    }

    // Management.

    /// `POST /api/staff/merchants` (an officer).
    pub async fn create_merchant(&self, body: &MerchantInput) -> Typed<StaffMerchant> {
        self.post_as("/api/staff/merchants", body).await
    }

    /// `POST /api/staff/merchants/{id}/offers` (an officer).
    pub async fn add_offer(&self, merchant: i64, body: &OfferInput) -> Typed<StaffMerchant> {
        self.post_as(&format!("/api/staff/merchants/{merchant}/offers"), body)
            .await
    }

    /// `POST /api/staff/{merchants|offers|aid/plans}/{id}/status` (an officer).
    pub async fn set_status<T: DeserializeOwned>(
        &self,
        what: &str,
        id: i64,
        status: &str,
    ) -> Typed<T> {
        // Any name, the family's or not: the server answers an unknown one.
        let body = StatusChange { status };
        self.post_as(&format!("/api/staff/{what}/{id}/status"), &body)
            .await
    }

    /// `POST /api/admin/unions` (an administrator).
    pub async fn create_union(&self, body: &UnionInput) -> Typed<UnionView> {
        self.post_as("/api/admin/unions", body).await
    }

    /// `POST /api/admin/officers` (an administrator).
    pub async fn create_officer(&self, body: &OfficerInput) -> Typed<OfficerView> {
        self.post_as("/api/admin/officers", body).await
    }
}
