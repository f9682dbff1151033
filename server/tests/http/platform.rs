//! What every endpoint shares: errors in the contract's shape, the CSRF guard,
//! body limits, health, metrics, OpenAPI, the app's files and the demo city.

use reqwest::{Method, StatusCode};
use unioncard_api::auth::LoginRequest;

use crate::both_databases;
use crate::support::{Client, TestApp};

async fn health_metrics_and_openapi(app: &TestApp) {
    let c = app.client();
    let h = c.raw(Method::GET, "/healthz").send().await.unwrap();
    assert_eq!(h.status(), StatusCode::OK);
    assert!(h.headers().contains_key("x-request-id"));
    c.get("/api/me").await;
    let m = c
        .raw(Method::GET, "/metrics")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        m.contains(
            "unioncard_http_requests_total{route=\"/api/me\",method=\"GET\",status=\"401\"} 1"
        ),
        "{m}"
    );
    assert!(m.contains("unioncard_database_up 1"));
    let doc = c.get("/api/openapi.json").await;
    assert_eq!(doc.status, StatusCode::OK);
    for path in [
        "/api/auth/register",
        "/api/auth/login",
        "/api/auth/logout",
        "/api/me",
    ] {
        assert!(doc.body["paths"][path].is_object(), "{path} documented");
    }
    // Answers that come from the layers (bad body, no session, CSRF) are declared on every operation.
    for (path, item) in doc.body["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            for code in ["400", "401", "403"] {
                assert!(
                    op["responses"][code].is_object(),
                    "{method} {path} declares {code}"
                );
            }
        }
    }
    let me_schema = &doc.body["components"]["schemas"]["Me"]["properties"];
    assert!(me_schema["id_number_masked"].is_object());
    // Every operation has its own id (OpenAPI requires it; client generators
    // otherwise overwrite one operation with another).
    let mut seen = std::collections::BTreeMap::new();
    let mut shared = Vec::new();
    for (path, item) in doc.body["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let id = op["operationId"].as_str().unwrap_or("").to_string();
            assert!(!id.is_empty(), "{method} {path} has an operationId");
            if let Some(first) = seen.insert(id.clone(), format!("{method} {path}")) {
                shared.push(format!("{id}: {first} and {method} {path}"));
            }
        }
    }
    assert!(
        shared.is_empty(),
        "shared operation ids:\n{}",
        shared.join("\n")
    );
}
both_databases!(health_metrics_and_openapi);

async fn writes_without_the_csrf_header_are_refused(app: &TestApp) {
    let c = app.client();
    let a = c
        .raw(Method::POST, "/api/auth/login")
        .json(&LoginRequest {
            phone: "13800000001".into(),
            password: "Demo@2026".into(),
        })
        .send()
        .await
        .unwrap();
    let a = Client::answer(a).await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    assert_eq!(a.code(), "csrf_header_missing");
    assert!(a.headers.get("set-cookie").is_none());
}
both_databases!(writes_without_the_csrf_header_are_refused);

async fn bad_requests_get_json_errors_never_500(app: &TestApp) {
    let c = app.client();
    let send = |body: &'static str, ct: &'static str| {
        c.raw(Method::POST, "/api/auth/login")
            .header("X-Requested-With", "unioncard")
            .header("Content-Type", ct)
            .body(body)
            .send()
    };
    let a = Client::answer(send("{\"phone\": ", "application/json").await.unwrap()).await;
    assert_eq!(
        (a.status, a.code()),
        (StatusCode::BAD_REQUEST, "malformed_json")
    );
    let a = Client::answer(send("{\"phone\": 5}", "application/json").await.unwrap()).await;
    assert_eq!(
        (a.status, a.code()),
        (StatusCode::BAD_REQUEST, "invalid_body")
    );
    let a = Client::answer(send("phone=1", "text/plain").await.unwrap()).await;
    assert_eq!(
        (a.status, a.code()),
        (StatusCode::BAD_REQUEST, "expected_json")
    );
    // A body over the limit.
    let big = format!("{{\"phone\": \"{}\"}}", "1".repeat(2 * 1024 * 1024));
    // On its own connection: the server closes it rather than read 2 MB it refused.
    let a = app
        .client()
        .raw(Method::POST, "/api/auth/login")
        .header("X-Requested-With", "unioncard")
        .header("Content-Type", "application/json")
        .body(big)
        .send()
        .await
        .unwrap();
    let a = Client::answer(a).await;
    assert_eq!(a.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(a.code(), "too_large");
    // Unknown API path and wrong method.
    let a = c.get("/api/nothing-here").await;
    assert_eq!((a.status, a.code()), (StatusCode::NOT_FOUND, "not_found"));
    let a = c.delete("/api/me").await;
    assert_eq!(
        (a.status, a.code()),
        (StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed")
    );
    // The server is still fine.
    let h = c.raw(Method::GET, "/healthz").send().await.unwrap();
    assert_eq!(h.status(), StatusCode::OK);
}
both_databases!(bad_requests_get_json_errors_never_500);

async fn the_app_is_served_precompressed_with_the_right_caching(app: &TestApp) {
    let c = app.client();
    let js = c
        .raw(Method::GET, "/a/0123456789abcdef/main.js")
        .header("Accept-Encoding", "gzip, deflate, br")
        .send()
        .await
        .unwrap();
    assert_eq!(js.status(), StatusCode::OK);
    assert_eq!(js.headers()["content-encoding"], "br");
    assert_eq!(
        js.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(js.bytes().await.unwrap().as_ref(), b"brotli-bytes");
    let gz = c
        .raw(Method::GET, "/a/0123456789abcdef/main.js")
        .header("Accept-Encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(gz.headers()["content-encoding"], "gzip");
    // A screen's path gets the app shell, never cached without revalidation.
    let screen = c.raw(Method::GET, "/me/settings").send().await.unwrap();
    assert_eq!(screen.status(), StatusCode::OK);
    assert_eq!(screen.headers()["cache-control"], "no-cache");
    assert!(screen
        .text()
        .await
        .unwrap()
        .contains("<title>UnionCard</title>"));
    // Aid and loans are screens of the member app.
    let aid = c.raw(Method::GET, "/aid/mine").send().await.unwrap();
    assert!(aid
        .text()
        .await
        .unwrap()
        .contains("<title>UnionCard</title>"));
    // The officers' desk is its own app.
    let desk = c.raw(Method::GET, "/staff/roster").send().await.unwrap();
    assert_eq!(desk.headers()["cache-control"], "no-cache");
    let desk_body = desk.text().await.unwrap();
    assert!(desk_body.contains("工会工作台"), "{desk_body}");
    let sw = c.raw(Method::GET, "/sw.js").send().await.unwrap();
    assert_eq!(sw.headers()["cache-control"], "no-cache");
    // A missing file is a 404, not the app shell.
    let missing = c
        .raw(Method::GET, "/a/0123456789abcdef/missing.js")
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
}
both_databases!(the_app_is_served_precompressed_with_the_right_caching);

async fn the_demo_city_is_there(app: &TestApp) {
    let db = app.state.db.read();
    let count = |sql: &'static str| async move {
        sqlx::query_scalar::<_, i64>(sql)
            .fetch_one(db)
            .await
            .unwrap()
    };
    // 200 generated members for tests, plus 张伟, 李娜 and 王芳.
    assert_eq!(count("SELECT COUNT(*) FROM roster_entries").await, 203);
    assert_eq!(count("SELECT COUNT(*) FROM cards").await, 203);
    assert_eq!(
        count("SELECT COUNT(*) FROM unions WHERE level = 'district'").await,
        13
    );
    assert!(count("SELECT COUNT(*) FROM cards WHERE status = 'active'").await > 50);
    assert!(count("SELECT COUNT(*) FROM cards WHERE status = 'issued'").await > 30);
    // 李娜's workplace is under 武昌区, 张伟's is not.
    let under_wuchang = "SELECT COUNT(*) FROM roster_entries r JOIN unions u ON u.id = r.union_id
                         JOIN unions d ON d.code = 'WH-WC' WHERE u.path LIKE d.path || '%' AND r.name = ";
    let li: i64 = sqlx::query_scalar(&format!("{under_wuchang} '李娜'"))
        .fetch_one(db)
        .await
        .unwrap();
    let zhang: i64 = sqlx::query_scalar(&format!("{under_wuchang} '张伟'"))
        .fetch_one(db)
        .await
        .unwrap();
    assert_eq!((li, zhang), (1, 0));
}
both_databases!(the_demo_city_is_there);
