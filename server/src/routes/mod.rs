//! The HTTP surface: one module per feature, each exporting its `router()`,
//! merged here with the cross-cutting layers. The OpenAPI document is
//! collected from the handlers' own annotations as the routes are registered,
//! so it cannot drift from what is served.

pub mod admin;
pub mod aid;
pub mod allowances;
pub mod auth;
pub mod campaigns;
pub mod card;
pub mod centres;
pub mod counselling;
pub mod education;
pub mod hardship;
pub mod health;
pub mod inbox;
pub mod join;
pub mod loans;
pub mod me;
pub mod merchant;
pub mod offers;
pub mod payments;
pub mod rights;
pub mod staff;
pub mod training;
pub mod transfers;

use std::path::PathBuf;
use std::sync::Arc;

use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{header, HeaderName, HeaderValue};
use axum::middleware::{from_fn, from_fn_with_state};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

use crate::error::{json_errors, lang_scope, AppError};
use crate::extract::csrf_guard;
use crate::{metrics, static_files, AppState};

/// JSON bodies larger than this are refused with 413 (uploads set their own limit).
pub const BODY_LIMIT: usize = 1024 * 1024;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "UnionCard",
        description = "The union member service card portal's REST contract."
    ),
    tags(
        (name = "auth", description = "Registration, sign-in and the profile"),
        (name = "card", description = "The member card and its e-card"),
        (name = "merchant", description = "Cashiers at partner merchants"),
        (name = "offers", description = "Partner-merchant discounts"),
        (name = "join", description = "Applying to join a union"),
        (name = "inbox", description = "The member's messages (the bell)"),
        (name = "campaigns", description = "Campaign banners on 首页"),
        (name = "staff", description = "Union officers"),
        (name = "training", description = "Skills training sign-up"),
        (name = "aid", description = "Mutual medical aid"),
        (name = "loans", description = "Micro guaranteed loans"),
        (name = "hardship", description = "Hardship files (困难职工档案)"),
        (name = "education", description = "金秋助学: rounds, applications, awards"),
        (name = "payments", description = "Union money onto cards: batches, four eyes, the bank's files"),
        (name = "transfers", description = "Moving to another workplace union (转会)"),
        (name = "rights", description = "Rights cases (维权, 12351 in the app), union lawyers"),
        (name = "counselling", description = "Counselling slots and bookings"),
        (name = "centres", description = "Service centres and help stations: the directory and their keeping"),
        (name = "admin", description = "Administrators: unions and officers"),
        (name = "ops", description = "Health and metrics")
    )
)]
struct ApiDoc;

/// Answers any operation may give, declared on every one: each handler
/// documents its own outcomes; these come from the layers around them (the
/// JSON extractor, the session check, the CSRF guard, body limits).
fn add_common_responses(doc: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};
    let error = |description: &str| {
        RefOr::T(
            ResponseBuilder::new()
                .description(description)
                .content(
                    "application/json",
                    ContentBuilder::new()
                        .schema(Some(Ref::from_schema_name("ErrorBody")))
                        .build(),
                )
                .build(),
        )
    };
    for item in doc.paths.paths.values_mut() {
        let ops = [
            &mut item.get,
            &mut item.post,
            &mut item.put,
            &mut item.delete,
            &mut item.patch,
        ];
        for op in ops.into_iter().flatten() {
            let r = &mut op.responses.responses;
            for (code, text) in [
                ("400", "Malformed body or parameters"),
                ("401", "Not signed in (where signing in is needed)"),
                ("403", "Not allowed for this account, or the X-Requested-With header is missing on a write"),
                ("404", "Not found"),
                ("413", "Body too large"),
                ("422", "Well-formed but invalid"),
                ("429", "Too many attempts; see Retry-After"),
            ] {
                r.entry(code.to_string()).or_insert_with(|| error(text));
            }
        }
    }
}

/// Every API route with its OpenAPI description.
pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(auth::router())
        .merge(me::router())
        .merge(inbox::router())
        .merge(campaigns::router())
        .merge(card::router())
        .merge(merchant::router())
        .merge(offers::router())
        .merge(join::router())
        .merge(staff::router())
        .merge(training::router())
        .merge(aid::router())
        .merge(loans::router())
        .merge(hardship::router())
        .merge(payments::router())
        .merge(education::router())
        .merge(allowances::router())
        .merge(centres::router())
        .merge(transfers::router())
        .merge(rights::router())
        .merge(counselling::router())
        .merge(admin::router())
}

/// The OpenAPI document, as served at `/api/openapi.json`.
pub fn openapi_json() -> String {
    let (_, mut doc) = api().split_for_parts();
    add_common_responses(&mut doc);
    doc.to_pretty_json()
        .expect("the OpenAPI document serialises")
}

/// The whole application: API, operations endpoints, and the app's files.
pub fn app(state: AppState, static_dir: Option<PathBuf>) -> Router {
    let (api_routes, mut doc) = api().split_for_parts();
    add_common_responses(&mut doc);
    let spec: Arc<String> = Arc::new(
        doc.to_pretty_json()
            .expect("the OpenAPI document serialises"),
    );
    let api_routes = api_routes
        .route(
            "/api/openapi.json",
            get(move || {
                let spec = spec.clone();
                async move {
                    (
                        [(header::CONTENT_TYPE, "application/json")],
                        spec.to_string(),
                    )
                }
            }),
        )
        .layer(CompressionLayer::new());

    let headers = Arc::new(SecurityHeaders {
        csp: HeaderValue::from_str(&static_files::content_security_policy(
            static_dir.as_deref(),
        ))
        .expect("an ASCII policy"),
        hsts: state.secure_cookies,
    });
    let request_id = HeaderName::from_static("x-request-id");
    Router::new()
        .merge(api_routes)
        .merge(health::router())
        .fallback(move |req: Request| fallback(static_dir.clone(), req))
        .layer(CatchPanicLayer::new())
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(from_fn(csrf_guard))
        .layer(from_fn(json_errors))
        .layer(from_fn(lang_scope))
        .layer(from_fn_with_state(state.metrics.clone(), metrics::track))
        .layer(from_fn_with_state(headers, security_headers))
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(
            TraceLayer::new_for_http().make_span_with(|req: &Request| {
                let id = req
                    .headers()
                    .get("x-request-id")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("-");
                // Only method and path: bodies and query strings may hold personal data.
                tracing::info_span!("request", request_id = %id, method = %req.method(), path = %req.uri().path())
            }),
        )
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid))
        .with_state(state)
}

/// Unknown API paths answer JSON 404; anything else is the app's files.
async fn fallback(static_dir: Option<PathBuf>, req: Request) -> Response {
    match static_dir {
        Some(dir) if !req.uri().path().starts_with("/api/") => static_files::serve(dir, req).await,
        _ => AppError::not_found().into_response(),
    }
}

/// What [`security_headers`] adds, worked out once at start.
struct SecurityHeaders {
    /// The Content-Security-Policy (with the built pages' inline-script hashes).
    csp: HeaderValue,
    /// `Strict-Transport-Security`, when served over HTTPS (`--secure-cookies`).
    hsts: bool,
}

/// Headers that cost nothing and close whole classes of attack.
async fn security_headers(
    State(headers): State<Arc<SecurityHeaders>>,
    req: Request,
    next: axum::middleware::Next,
) -> Response {
    let mut resp = next.run(req).await;
    let h = resp.headers_mut();
    h.insert("content-security-policy", headers.csp.clone());
    if headers.hsts {
        h.insert(
            "strict-transport-security",
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    h.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    h.insert("referrer-policy", HeaderValue::from_static("same-origin"));
    h.insert("x-frame-options", HeaderValue::from_static("DENY"));
    resp
}
