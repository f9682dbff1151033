//! Request counters for `GET /metrics`, in Prometheus' text format.
//! Per instance by nature: Prometheus scrapes each instance and adds them up.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::Response;

/// (route pattern, method, status).
type Series = (String, String, u16);

/// Counters of requests by route, method and status, with total latency.
#[derive(Default)]
pub struct Metrics {
    /// Per series: (count, seconds).
    requests: Mutex<BTreeMap<Series, (u64, f64)>>,
}

impl Metrics {
    fn record(&self, route: String, method: String, status: u16, seconds: f64) {
        let mut map = self.requests.lock().unwrap_or_else(|p| p.into_inner());
        let entry = map.entry((route, method, status)).or_insert((0, 0.0));
        entry.0 += 1;
        entry.1 += seconds;
    }

    /// The Prometheus exposition text.
    pub fn render(&self, db_up: bool) -> String {
        let map = self.requests.lock().unwrap_or_else(|p| p.into_inner());
        let mut out = String::new();
        out.push_str("# HELP unioncard_http_requests_total HTTP requests handled.\n");
        out.push_str("# TYPE unioncard_http_requests_total counter\n");
        for ((route, method, status), (count, _)) in map.iter() {
            let _ = writeln!(
                out,
                "unioncard_http_requests_total{{route=\"{route}\",method=\"{method}\",status=\"{status}\"}} {count}"
            );
        }
        out.push_str("# HELP unioncard_http_request_seconds_sum Time spent handling requests.\n");
        out.push_str("# TYPE unioncard_http_request_seconds_sum counter\n");
        for ((route, method, status), (_, secs)) in map.iter() {
            let _ = writeln!(
                out,
                "unioncard_http_request_seconds_sum{{route=\"{route}\",method=\"{method}\",status=\"{status}\"}} {secs:.6}"
            );
        }
        out.push_str("# HELP unioncard_database_up Whether the database answered.\n");
        out.push_str("# TYPE unioncard_database_up gauge\n");
        let _ = writeln!(out, "unioncard_database_up {}", u8::from(db_up));
        out
    }
}

/// The method as a label from a fixed set: any other method name a client
/// invents counts as `other`, so no client can add series forever.
fn method_label(m: &axum::http::Method) -> &'static str {
    use axum::http::Method;
    match *m {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

/// Counts every request under its route pattern (not its raw path, so ids in
/// paths don't explode the number of series).
pub async fn track(
    State(metrics): State<std::sync::Arc<Metrics>>,
    req: Request,
    next: Next,
) -> Response {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| {
            if req.uri().path().starts_with("/api/") {
                "unmatched".into()
            } else {
                "static".into()
            }
        });
    let method = method_label(req.method()).to_string();
    let start = Instant::now();
    let resp = next.run(req).await;
    metrics.record(
        route,
        method,
        resp.status().as_u16(),
        start.elapsed().as_secs_f64(),
    );
    resp
}
