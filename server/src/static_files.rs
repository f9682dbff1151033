//! The built app: files from `dist/` (built by `xtask/src/app.rs`),
//! precompressed variants chosen by `Accept-Encoding`, and the single-page-app
//! fallback to `index.html` for paths that are screens rather than files.
//!
//! Caching: each build's JS and wasm live in a folder named by the hash of its
//! content (`/a/<hash>/`), so nothing there ever changes and it is cached for
//! a year; the pages, the service worker and the manifest must be
//! revalidated, or a phone would keep an old app forever.

use std::path::PathBuf;

use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use tower::ServiceExt;
use tower_http::services::{ServeDir, ServeFile};

/// The Content-Security-Policy for everything this server answers. Scripts
/// only from this origin plus the exact inline scripts of the built pages
/// (the app's loader, the service-worker registration), allowed by their
/// SHA-256, so an injected script never runs; WebAssembly compiled by those
/// scripts; no framing by any other site.
pub fn content_security_policy(dir: Option<&std::path::Path>) -> String {
    use base64::Engine;
    use sha2::Digest;
    let mut hashes: Vec<String> = Vec::new();
    let pages = dir.map(html_files).unwrap_or_default();
    for page in pages {
        let Ok(html) = std::fs::read_to_string(&page) else {
            continue;
        };
        for script in inline_scripts(&html) {
            let digest = sha2::Sha256::digest(script.as_bytes());
            let h = format!(
                "'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest)
            );
            if !hashes.contains(&h) {
                hashes.push(h);
            }
        }
    }
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{}{}; style-src 'self' 'unsafe-inline'; \
         img-src 'self' data: blob:; media-src 'self' blob:; connect-src 'self'; worker-src 'self'; \
         manifest-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
        if hashes.is_empty() { "" } else { " " },
        hashes.join(" ")
    )
}

/// The HTML pages of the built app (the shell of each bundle).
fn html_files(dir: &std::path::Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(html_files(&p));
        } else if p.extension().is_some_and(|x| x == "html") {
            out.push(p);
        }
    }
    out
}

/// The bodies of the `<script>` elements without a `src`.
pub fn inline_scripts(html: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let after = &rest[start..];
        let Some(open_end) = after.find('>') else {
            break;
        };
        let tag = &after[..open_end];
        let body_start = start + open_end + 1;
        let Some(close) = rest[body_start..].find("</script>") else {
            break;
        };
        if !tag.contains("src=") {
            out.push(&rest[body_start..body_start + close]);
        }
        rest = &rest[body_start + close + "</script>".len()..];
    }
    out
}

/// Serves `dir`, falling back to `dir/index.html` for extension-less paths.
pub async fn serve(dir: PathBuf, req: Request) -> Response {
    if !matches!(*req.method(), Method::GET | Method::HEAD) {
        return StatusCode::METHOD_NOT_ALLOWED.into_response();
    }
    let path = req.uri().path().to_string();
    let hint = hint_for(req.headers());
    let is_screen = !path.rsplit('/').next().unwrap_or("").contains('.');
    let (parts, _) = req.into_parts();
    let files = ServeDir::new(&dir)
        .precompressed_br()
        .precompressed_gzip()
        .append_index_html_on_directories(true);
    let resp = match files
        .oneshot(Request::from_parts(parts.clone(), Body::empty()))
        .await
    {
        Ok(r) => r.map(Body::new),
        Err(never) => match never {},
    };
    let (resp, served) = if resp.status() == StatusCode::NOT_FOUND && is_screen {
        // The officers' desk (/staff) and management (/manage) are apps of
        // their own; every other screen is the member app. (The apps are
        // built by `xtask/src/app.rs` BUNDLES.)
        let under = |prefix: &str| path == prefix || path.starts_with(&format!("{prefix}/"));
        let bundle = [("/staff", "staff"), ("/manage", "manage")]
            .into_iter()
            .find(|(prefix, _)| under(prefix))
            .map(|(_, folder)| dir.join(folder).join("index.html"))
            .filter(|shell| shell.exists());
        let shell = bundle.unwrap_or_else(|| dir.join("index.html"));
        let index = ServeFile::new(shell)
            .precompressed_br()
            .precompressed_gzip();
        match index
            .oneshot(Request::from_parts(parts, Body::empty()))
            .await
        {
            Ok(r) => (r.map(Body::new), "/index.html".to_string()),
            Err(never) => match never {},
        }
    } else {
        (resp, path)
    };
    let mut resp = with_cache_headers(resp, &served);
    let name = served.rsplit('/').next().unwrap_or("");
    if let (Some(hint), true) = (hint, name.is_empty() || name == "index.html") {
        resp.headers_mut().append(header::SET_COOKIE, hint);
    }
    resp
}

/// The signed-in hint (`routes/auth.rs` SIGNED_IN_HINT) a page load should
/// set or clear so that it matches whether the phone sends a session
/// cookie: a session from before the hint existed gets it, and a phone
/// whose session cookie expired loses it, before the page's first script
/// reads it. Only presence is compared (no lookup): the app corrects a
/// hint the server no longer backs.
fn hint_for(headers: &axum::http::HeaderMap) -> Option<HeaderValue> {
    use crate::extract::{cookie, SESSION_COOKIE};
    use crate::routes::auth::{hint_cookie, Hint, SIGNED_IN_HINT};
    let has = |name| cookie(headers, name).is_some_and(|v| !v.is_empty());
    match (has(SESSION_COOKIE), has(SIGNED_IN_HINT)) {
        (true, false) => Some(hint_cookie(Hint::Signed, false)),
        (false, true) => Some(hint_cookie(Hint::Clear, false)),
        _ => None,
    }
}

fn with_cache_headers(mut resp: Response, path: &str) -> Response {
    if !resp.status().is_success() && resp.status() != StatusCode::NOT_MODIFIED {
        return resp;
    }
    resp.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(cache_control(path)),
    );
    resp
}

/// How long a phone may keep a file without asking again: a year for a
/// build's files (their folder changes with any byte), never for what names
/// them (pages, the service worker, the manifest), an hour for the rest.
pub fn cache_control(path: &str) -> &'static str {
    let name = path.rsplit('/').next().unwrap_or("");
    if path.starts_with("/a/") && !name.is_empty() {
        "public, max-age=31536000, immutable"
    } else if name.is_empty()
        || name == "index.html"
        || name == "sw.js"
        || name.ends_with(".webmanifest")
    {
        "no-cache"
    } else {
        "public, max-age=3600"
    }
}

#[cfg(test)]
mod tests {
    use super::cache_control;

    #[test]
    fn inline_scripts_are_found_and_hashed_into_the_policy() {
        let html = "<head><script type=\"module\">init('/a.wasm')</script>\
                    <script src=\"/x.js\"></script></head><body><script>\nsw()\n</script></body>";
        assert_eq!(
            super::inline_scripts(html),
            vec!["init('/a.wasm')", "\nsw()\n"]
        );
        let dir = std::env::temp_dir().join(format!("csp-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("index.html"), "<script>a()</script>").unwrap();
        let csp = super::content_security_policy(Some(&dir));
        // echo -n 'a()' | openssl dgst -sha256 -binary | base64
        assert!(csp.contains("'sha256-"), "{csp}");
        assert!(csp.contains("frame-ancestors 'none'"));
        assert!(csp.contains("'wasm-unsafe-eval'"));
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn a_build_is_kept_for_a_year_and_what_names_it_never() {
        let year = "public, max-age=31536000, immutable";
        assert_eq!(cache_control("/a/0123456789abcdef/main_bg.wasm"), year);
        assert_eq!(
            cache_control("/a/0123456789abcdef/snippets/x/inline0.js"),
            year
        );
        assert_eq!(cache_control("/a/0123456789abcdef/split_aid.wasm"), year);
        assert_eq!(cache_control("/index.html"), "no-cache");
        assert_eq!(cache_control("/staff/index.html"), "no-cache");
        assert_eq!(cache_control("/sw.js"), "no-cache");
        assert_eq!(cache_control("/manifest.webmanifest"), "no-cache");
        assert_eq!(cache_control("/icon.svg"), "public, max-age=3600");
    }
}
