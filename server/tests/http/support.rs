//! `spawn_app` and a client that speaks the contract.

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use reqwest::{Method, StatusCode};
use serde_json::Value;
use sqlx::Connection;
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
    let mut config = Config::for_tests(url, dir.path().join("data"));
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
        _dir: dir,
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
    let js = "console.log('app');".repeat(50);
    std::fs::write(dist.join("unioncard-app-0123456789abcdef.js"), &js).unwrap();
    std::fs::write(
        dist.join("unioncard-app-0123456789abcdef.js.br"),
        b"brotli-bytes",
    )
    .unwrap();
    std::fs::write(
        dist.join("unioncard-app-0123456789abcdef.js.gz"),
        b"gzip-bytes",
    )
    .unwrap();
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
        let c = self.client();
        let a = c
            .post(
                "/api/auth/login",
                serde_json::json!({"phone": phone, "password": "Demo@2026"}),
            )
            .await;
        assert_eq!(a.status, StatusCode::OK, "demo sign-in {phone}: {}", a.body);
        c
    }
}

impl Client {
    /// Sends a request the way the app does (JSON, the CSRF header).
    pub async fn send(&self, method: Method, path: &str, body: Option<Value>) -> Answer {
        let mut req = self
            .http
            .request(method, format!("{}{path}", self.base))
            .header("X-Requested-With", "unioncard");
        if let Some(body) = body {
            req = req.json(&body);
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
        self.send(Method::GET, path, None).await
    }

    pub async fn post(&self, path: &str, body: Value) -> Answer {
        self.send(Method::POST, path, Some(body)).await
    }
}
