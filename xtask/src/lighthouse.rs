//! `cargo xtask lighthouse`: Lighthouse's figures for the phone app's main
//! pages, as a guest and signed in as 李娜 (a member with an active card).
//!
//! Builds the app in release and the optimised server, starts the server on
//! a free loopback port over a fresh SQLite file with the demo data, and runs
//! Lighthouse 12 on each page with its default mobile settings (simulated
//! slow 4G, 4x CPU slowdown, a phone's screen) in the Chromium the browser
//! tests use. Prints a markdown table (performance score, LCP, TBT, CLS,
//! accessibility score) and writes it to `target/lighthouse/summary.md`;
//! each run's whole report is beside it as JSON.
//!
//! `--runs N` runs each page N times and reports the median of each column:
//! simulated throttling varies less than real throttling, but a single run
//! can still be a few points off. Figures, never pass/fail.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use anyhow::{bail, Context, Result};
use serde_json::Value;

use crate::{app, cargo, demo_server, run_cmd, tools};

/// The demo member whose pages are measured signed in.
const MEMBER_PHONE: &str = "13800000002";
const MEMBER_PASSWORD: &str = "Demo@2026";

/// One page to measure: its report's file name, its path, and whether it
/// is measured signed in.
struct Page {
    name: &'static str,
    path: &'static str,
    signed_in: bool,
}

/// The pages of issue 17's table. `/me` only signed in: a guest has no
/// "me". The others both ways, since what a guest sees differs (sign-in
/// prompts instead of the member's card, cover and enrolments).
const PAGES: &[Page] = &[
    Page {
        name: "home-guest",
        path: "/",
        signed_in: false,
    },
    Page {
        name: "home-member",
        path: "/",
        signed_in: true,
    },
    Page {
        name: "me-member",
        path: "/me",
        signed_in: true,
    },
    Page {
        name: "offers-guest",
        path: "/offers",
        signed_in: false,
    },
    Page {
        name: "offers-member",
        path: "/offers",
        signed_in: true,
    },
    Page {
        name: "training-guest",
        path: "/training",
        signed_in: false,
    },
    Page {
        name: "training-member",
        path: "/training",
        signed_in: true,
    },
    Page {
        name: "aid-guest",
        path: "/aid",
        signed_in: false,
    },
    Page {
        name: "aid-member",
        path: "/aid",
        signed_in: true,
    },
    Page {
        name: "loans-guest",
        path: "/loans",
        signed_in: false,
    },
    Page {
        name: "loans-member",
        path: "/loans",
        signed_in: true,
    },
];

impl Page {
    fn label(&self) -> String {
        let who = if self.signed_in { "signed in" } else { "guest" };
        format!("`{}` {who}", self.path)
    }
}

/// What one report says about a page. `None` where Lighthouse could not
/// compute a figure (it then says why in the report's `runtimeError`).
#[derive(Debug, Clone, Default, PartialEq)]
struct Figures {
    /// Performance score, 0–100.
    performance: Option<f64>,
    /// Largest Contentful Paint, ms.
    lcp_ms: Option<f64>,
    /// Total Blocking Time, ms.
    tbt_ms: Option<f64>,
    /// Cumulative Layout Shift.
    cls: Option<f64>,
    /// Accessibility score, 0–100.
    accessibility: Option<f64>,
    /// Lighthouse's measure of the machine's CPU during the run
    /// (`benchmarkIndex`): this 2-core machine gave 2,750 at one time of day
    /// and 1,550 at another, and TBT doubled with it.
    cpu_index: Option<f64>,
}

/// Runs Lighthouse over the pages and prints the table.
pub fn run(root: &Path, args: &[String]) -> Result<()> {
    let runs: usize = match args.iter().position(|a| a == "--runs") {
        Some(i) => args.get(i + 1).context("--runs needs a number")?.parse()?,
        None => 1,
    };
    if runs == 0 {
        bail!("--runs must be at least 1");
    }
    tools::ensure_app_tools(root)?;
    tools::ensure_browser(root)?;
    tools::ensure_lighthouse(root)?;
    app::build(root, true)?;
    run_cmd(cargo(root).args(["build", "--profile", "server", "-p", "unioncard-server"]))?;

    let out = root.join("target/lighthouse");
    std::fs::create_dir_all(&out)?;
    let dir = std::env::temp_dir().join(format!("unioncard-lighthouse-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    let server = demo_server::start(
        root,
        &dir,
        Some(&root.join("dist")),
        &[],
        Duration::from_secs(300),
    )?;
    let addr = server.addr.clone();

    let cookie = sign_in(&addr)?;
    // A signed-in figure taken as a guest would look fine and mean nothing.
    let (status, _, _) = http(&addr, "GET", "/api/me", None, Some(&cookie))?;
    if status != 200 {
        bail!("GET /api/me with 李娜's session cookie answered {status}");
    }
    // The app asks `/api/session` who is signed in; a report lists that
    // answer's size, not its body, and a guest's answer (`{"me":null}`) is
    // shorter than any profile.
    let (_, _, guest) = http(&addr, "GET", "/api/session", None, None)?;
    let (_, _, member) = http(&addr, "GET", "/api/session", None, Some(&cookie))?;
    if guest.len() == member.len() {
        bail!("/api/session answers a guest and 李娜 with the same length: {guest}");
    }
    let guest_session_bytes = guest.len() as u64;
    // The cookies go into the browser's jar, as signing in on a phone puts
    // them: a `Cookie` request header (Lighthouse's --extra-headers) is
    // not seen by the page's script and is replaced by the jar's cookies
    // on the app's own requests.
    let jar = cookie_jar(&cookie, &addr);
    let runner = out.join("measure.mjs");
    std::fs::write(&runner, RUNNER)?;

    let mut rows = Vec::new();
    let mut version = String::new();
    for page in PAGES {
        let mut figures = Vec::new();
        for k in 1..=runs {
            let report = out.join(if k == 1 {
                format!("{}.json", page.name)
            } else {
                format!("{}-{k}.json", page.name)
            });
            let _ = std::fs::remove_file(&report);
            let mut cmd = Command::new("node");
            cmd.arg(&runner)
                .arg(format!("http://{addr}{}", page.path))
                .arg(&report)
                // In the environment, not the command line that is echoed.
                .env("UC_COOKIES", if page.signed_in { &jar } else { "[]" })
                .env("CHROME_PATH", tools::chromium());
            eprintln!("lighthouse {} (run {k} of {runs})", page.label());
            run_cmd(&mut cmd)?;
            let json: Value = serde_json::from_slice(
                &std::fs::read(&report).with_context(|| format!("reading {}", report.display()))?,
            )
            .with_context(|| format!("parsing {}", report.display()))?;
            if let Some(error) = json
                .pointer("/runtimeError/message")
                .and_then(Value::as_str)
            {
                eprintln!("  Lighthouse could not measure everything: {error}");
            }
            check_session(&json, page, guest_session_bytes)?;
            version = json["lighthouseVersion"]
                .as_str()
                .unwrap_or("?")
                .to_string();
            figures.push(figures_of(&json));
        }
        rows.push((page.label(), median(&figures)));
    }

    let table = table(&rows);
    let runs_text = if runs == 1 {
        "one run per page".to_string()
    } else {
        format!("median of {runs} runs per page")
    };
    let summary = format!(
        "Lighthouse {version}, mobile defaults (simulated slow 4G, 4x CPU slowdown), \
         {runs_text}, release build on loopback, SQLite demo data.\n\n{table}"
    );
    println!();
    println!("{summary}");
    std::fs::write(out.join("summary.md"), &summary)?;
    println!("written to {}", out.join("summary.md").display());
    for (label, f) in &rows {
        if f.accessibility.is_some_and(|a| a < 100.0) {
            println!("accessibility below 100 on {label}: see its report's failing audits");
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

/// Runs Lighthouse (its Node API, mobile defaults) on one page in a Chromium
/// of its own whose cookie jar holds the given cookies first:
/// `UC_COOKIES=JSON node measure.mjs URL REPORT`. Lighthouse clears a page's
/// caches, storage and service workers before measuring, never its cookies.
const RUNNER: &str = r#"import fs from 'node:fs';
import lighthouse from 'lighthouse';
import * as chromeLauncher from 'chrome-launcher';
import puppeteer from 'puppeteer-core';

const [url, report] = process.argv.slice(2);
const cookies = process.env.UC_COOKIES || '[]';
const chrome = await chromeLauncher.launch({
  chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu'],
});
try {
  const jar = JSON.parse(cookies);
  if (jar.length > 0) {
    const browser = await puppeteer.connect({ browserURL: `http://127.0.0.1:${chrome.port}` });
    await browser.setCookie(...jar);
    await browser.disconnect();
  }
  const result = await lighthouse(url, {
    port: chrome.port,
    output: 'json',
    logLevel: 'error',
    onlyCategories: ['performance', 'accessibility'],
  });
  fs.writeFileSync(report, result.report);
} finally {
  chrome.kill();
}
"#;

/// The cookies of a `Cookie` header as the browser's jar holds them after
/// signing in (`routes/auth.rs`: the session HttpOnly, both SameSite=Strict),
/// as JSON for [`RUNNER`].
fn cookie_jar(header: &str, addr: &str) -> String {
    let cookies: Vec<Value> = header
        .split(';')
        .filter_map(|kv| kv.trim().split_once('='))
        .map(|(name, value)| {
            serde_json::json!({
                "name": name,
                "value": value,
                "domain": addr.split(':').next().unwrap_or("127.0.0.1"),
                "path": "/",
                "httpOnly": name == "uc_session",
                "sameSite": "Strict",
            })
        })
        .collect();
    Value::Array(cookies).to_string()
}

/// Signs in as 李娜 through the API; returns the cookies it set, as a
/// `Cookie` header's value.
fn sign_in(addr: &str) -> Result<String> {
    demo_server::sign_in(addr, MEMBER_PHONE, MEMBER_PASSWORD)
}

/// One request on its own connection: status, header lines, body as text.
fn http(
    addr: &str,
    method: &str,
    path: &str,
    body: Option<&str>,
    cookie: Option<&str>,
) -> Result<(u16, Vec<String>, String)> {
    let (status, headers, body) = demo_server::request(addr, method, path, body, cookie)?;
    Ok((status, headers, String::from_utf8_lossy(&body).into_owned()))
}

/// Fails when a report's page was not in the state its row claims: the
/// app's `/api/session` answer, as the report's network log sizes it, is a
/// guest's (`guest_bytes` long) or a profile.
fn check_session(report: &Value, page: &Page, guest_bytes: u64) -> Result<()> {
    let Some((status, bytes)) = session_answer(report) else {
        bail!(
            "{}: the app did not ask /api/session: cannot tell who was signed in",
            page.label()
        );
    };
    match (status, page.signed_in, bytes == guest_bytes) {
        (200, true, false) | (200, false, true) => Ok(()),
        (200, true, true) => bail!("{}: the app saw a guest", page.label()),
        (200, false, false) => bail!("{}: the app was signed in", page.label()),
        (s, _, _) => bail!("{}: the app's /api/session answered {s}", page.label()),
    }
}

/// The status and decoded size of the app's `/api/session` request in a
/// report's network log.
fn session_answer(report: &Value) -> Option<(u64, u64)> {
    let item = report
        .pointer("/audits/network-requests/details/items")?
        .as_array()?
        .iter()
        .find(|item| {
            item["url"]
                .as_str()
                .is_some_and(|u| u.split('?').next().unwrap_or(u).ends_with("/api/session"))
        })?;
    Some((item["statusCode"].as_u64()?, item["resourceSize"].as_u64()?))
}

/// The table's figures from one Lighthouse JSON report.
fn figures_of(report: &Value) -> Figures {
    let score = |category: &str| {
        report
            .pointer(&format!("/categories/{category}/score"))
            .and_then(Value::as_f64)
            .map(|s| s * 100.0)
    };
    let metric = |audit: &str| {
        report
            .pointer(&format!("/audits/{audit}/numericValue"))
            .and_then(Value::as_f64)
    };
    Figures {
        performance: score("performance"),
        lcp_ms: metric("largest-contentful-paint"),
        tbt_ms: metric("total-blocking-time"),
        cls: metric("cumulative-layout-shift"),
        accessibility: score("accessibility"),
        cpu_index: report
            .pointer("/environment/benchmarkIndex")
            .and_then(Value::as_f64),
    }
}

/// The median of each column over several runs of a page (the mean of the
/// middle two for an even count; runs without a figure are left out).
fn median(runs: &[Figures]) -> Figures {
    fn mid(values: impl Iterator<Item = Option<f64>>) -> Option<f64> {
        let mut v: Vec<f64> = values.flatten().collect();
        if v.is_empty() {
            return None;
        }
        v.sort_by(f64::total_cmp);
        let n = v.len();
        Some(if n % 2 == 1 {
            v[n / 2]
        } else {
            (v[n / 2 - 1] + v[n / 2]) / 2.0
        })
    }
    Figures {
        performance: mid(runs.iter().map(|f| f.performance)),
        lcp_ms: mid(runs.iter().map(|f| f.lcp_ms)),
        tbt_ms: mid(runs.iter().map(|f| f.tbt_ms)),
        cls: mid(runs.iter().map(|f| f.cls)),
        accessibility: mid(runs.iter().map(|f| f.accessibility)),
        cpu_index: mid(runs.iter().map(|f| f.cpu_index)),
    }
}

/// The markdown table: scores as whole numbers, LCP in seconds with one
/// decimal, TBT in whole milliseconds, CLS with two decimals, and the
/// machine's CPU index during the runs (TBT follows it).
fn table(rows: &[(String, Figures)]) -> String {
    let show = |v: Option<f64>, f: &dyn Fn(f64) -> String| v.map(f).unwrap_or_else(|| "–".into());
    let mut out = String::from("| page | perf | LCP | TBT | CLS | a11y | CPU index |\n");
    out.push_str("|---|---:|---:|---:|---:|---:|---:|\n");
    for (label, f) in rows {
        out.push_str(&format!(
            "| {label} | {} | {} | {} | {} | {} | {} |\n",
            show(f.performance, &|v| format!("{v:.0}")),
            show(f.lcp_ms, &|v| format!("{:.1} s", v / 1000.0)),
            show(f.tbt_ms, &|v| format!("{v:.0} ms")),
            show(f.cls, &|v| format!("{v:.2}")),
            show(f.accessibility, &|v| format!("{v:.0}")),
            show(f.cpu_index, &|v| format!("{v:.0}")),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(perf: f64, lcp: f64, session_bytes: u64) -> Value {
        serde_json::json!({
            "lighthouseVersion": "12.8.2",
            "categories": {
                "performance": { "score": perf },
                "accessibility": { "score": 1.0 }
            },
            "audits": {
                "largest-contentful-paint": { "numericValue": lcp },
                "total-blocking-time": { "numericValue": 123.4 },
                "cumulative-layout-shift": { "numericValue": 0.0042 },
                "network-requests": { "details": { "items": [
                    { "url": "http://127.0.0.1:1/index.html", "statusCode": 200 },
                    { "url": "http://127.0.0.1:1/api/session", "statusCode": 200,
                      "resourceSize": session_bytes }
                ] } }
            }
        })
    }

    #[test]
    fn a_report_gives_the_tables_figures_in_its_units() {
        let f = figures_of(&report(0.87, 2345.0, 357));
        assert_eq!(f.performance, Some(87.0));
        assert_eq!(f.accessibility, Some(100.0));
        let t = table(&[("`/` guest".into(), f)]);
        assert!(
            t.contains("| `/` guest | 87 | 2.3 s | 123 ms | 0.00 | 100 |"),
            "{t}"
        );
    }

    #[test]
    fn a_missing_figure_shows_as_a_dash() {
        let f = figures_of(&serde_json::json!({ "categories": {}, "audits": {} }));
        let t = table(&[("x".into(), f)]);
        assert!(t.contains("| x | – | – | – | – | – |"), "{t}");
    }

    #[test]
    fn several_runs_give_each_columns_median() {
        let runs: Vec<Figures> = [(0.9, 3000.0), (0.5, 1000.0), (0.7, 2000.0)]
            .iter()
            .map(|&(p, l)| figures_of(&report(p, l, 357)))
            .collect();
        let m = median(&runs);
        assert_eq!(m.performance, Some(70.0));
        assert_eq!(m.lcp_ms, Some(2000.0));
        assert_eq!(median(&runs[..2]).lcp_ms, Some(2000.0));
    }

    #[test]
    fn a_signed_in_row_must_have_been_signed_in() {
        let member = &PAGES[1];
        let guest = &PAGES[0];
        assert!(member.signed_in && !guest.signed_in);
        let checked = |bytes, page| check_session(&report(1.0, 1.0, bytes), page, 11);
        assert!(checked(357, member).is_ok());
        assert!(checked(11, member).is_err());
        assert!(checked(11, guest).is_ok());
        assert!(checked(357, guest).is_err());
        let no_session = serde_json::json!({ "audits": {} });
        assert!(check_session(&no_session, guest, 11).is_err());
    }
}
