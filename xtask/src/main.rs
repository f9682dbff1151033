//! The project's own commands:
//!
//! - `cargo xtask run`: install what is missing, build the app in release,
//!   start the server on SQLite with the demo data;
//! - `cargo xtask test`: every check and test, as CI runs them;
//! - `cargo xtask dist`: just build the app into `dist/` and report its size;
//! - `cargo xtask bench`: benchmarks (figures, never pass/fail timings);
//! - `cargo xtask lighthouse`: Lighthouse's mobile figures for the main pages.

mod app;
mod bench;
mod demo_server;
mod glue;
mod lighthouse;
mod load;
mod peer;
mod postgres;
mod tools;

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = project_root();
    std::env::set_current_dir(&root)?;
    match args.first().map(String::as_str) {
        Some("run") => run(&root, &args[1..]),
        Some("test") => test(&root),
        Some("dist") => {
            tools::ensure_app_tools(&root)?;
            app::build(&root, true)?;
            Ok(())
        }
        Some("bench") => bench::run(&root, &args[1..]),
        Some("lighthouse") => lighthouse::run(&root, &args[1..]),
        _ => {
            eprintln!("usage: cargo xtask <run|test|dist|bench|lighthouse>");
            eprintln!(
                "  run   [--members N]   build the app and start it with demo data on SQLite"
            );
            eprintln!("  test                  fmt, clippy, unit, HTTP (SQLite + PostgreSQL) and browser tests");
            eprintln!("  dist                  build the app into dist/ and report its size");
            eprintln!("  bench [--serving] [--members N] [--database postgres|URL]  benchmarks");
            eprintln!(
                "  lighthouse [--runs N] Lighthouse mobile figures of the main pages (median of N)"
            );
            std::process::exit(2);
        }
    }
}

/// The workspace root (the folder above xtask/).
pub fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_path_buf()
}

/// Runs a command, failing with its name when it fails.
pub fn run_cmd(cmd: &mut Command) -> Result<()> {
    let shown = std::iter::once(cmd.get_program())
        .chain(cmd.get_args())
        .map(|s| s.to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join(" ");
    eprintln!("» {shown}");
    let status = cmd.status().with_context(|| format!("starting {shown}"))?;
    if !status.success() {
        bail!("{shown} failed ({status})");
    }
    Ok(())
}

/// A `cargo` command with the project's tool folder first on PATH.
pub fn cargo(root: &Path) -> Command {
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.env("PATH", tools::path_with_tools(root));
    cmd
}

fn run(root: &Path, args: &[String]) -> Result<()> {
    tools::ensure_app_tools(root)?;
    app::build(root, true)?;
    run_cmd(cargo(root).args(["build", "--profile", "server", "-p", "unioncard-server"]))?;
    let listen = std::env::var("UNIONCARD_LISTEN").unwrap_or_else(|_| "127.0.0.1:8080".into());
    let data = root.join("data");
    std::fs::create_dir_all(&data)?;
    let database = std::env::var("DATABASE_URL")
        .unwrap_or_else(|_| format!("sqlite://{}", data.join("unioncard.db").display()));
    let mut members = "5000".to_string();
    if let Some(i) = args.iter().position(|a| a == "--members") {
        members = args
            .get(i + 1)
            .cloned()
            .context("--members needs a number")?;
    }
    println!();
    println!("  UnionCard is starting at http://{listen}/");
    println!("  Database: {database}   (data folder: {})", data.display());
    println!();
    println!("  Demo accounts (password Demo@2026):");
    println!("    13800000001  张伟, member, card issued (not yet activated)");
    println!("    13800000002  李娜, member, card active");
    println!("    register 王芳 with ID 420103199501010009 and any phone");
    println!("    13900000001  cashier, supermarket     13900000002  cashier, restaurant");
    println!("    13700000001  officer, city union      13700000002  officer, 武昌区 union");
    println!("    13600000001  administrator");
    println!();
    let server = root.join("target/server/unioncard-server");
    let status = Command::new(server)
        .args(["--listen", &listen, "--database", &database, "--static"])
        .arg(root.join("dist"))
        .arg("--demo")
        .args(["--members", &members, "--data-dir"])
        .arg(&data)
        .status()
        .context("starting the server")?;
    if !status.success() {
        bail!("the server stopped with {status}");
    }
    Ok(())
}

fn test(root: &Path) -> Result<()> {
    let started = std::time::Instant::now();
    tools::ensure_app_tools(root)?;
    tools::ensure_browser(root)?;
    tools::ensure_postgres()?;

    run_cmd(cargo(root).args(["fmt", "--all", "--", "--check"]))?;
    run_cmd(cargo(root).args([
        "clippy",
        "--workspace",
        "--exclude",
        "unioncard-app",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]))?;
    run_cmd(cargo(root).args([
        "clippy",
        "-p",
        "unioncard-app",
        "-p",
        "unioncard-api",
        "--target",
        "wasm32-unknown-unknown",
        "--",
        "-D",
        "warnings",
    ]))?;
    run_cmd(cargo(root).args(["test", "-p", "unioncard-api", "-p", "xtask"]))?;

    // The HTTP tests run on SQLite and on PostgreSQL.
    let pg = match std::env::var("TEST_POSTGRES_URL") {
        Ok(url) => postgres::Postgres::external(url),
        Err(_) => postgres::Postgres::start()?,
    };
    let result = run_cmd(
        cargo(root)
            .args(["test", "-p", "unioncard-server"])
            .env("TEST_POSTGRES_URL", pg.url()),
    );
    drop(pg);
    result?;

    // The contract as a standard validator reads it (unique operation ids,
    // valid schemas): what client generators need.
    run_cmd(cargo(root).args(["build", "-p", "unioncard-server"]))?;
    tools::validate_openapi(root, &root.join("target/debug/unioncard-server"))?;

    // The browser tests drive the release build of the app against the real server.
    app::build(root, true)?;
    // The browser tests note the effort figures (taps, answers) here.
    let effort = root.join("target/effort.txt");
    let _ = std::fs::remove_file(&effort);
    run_cmd(
        cargo(root)
            .args(["test", "-p", "unioncard-e2e", "--", "--test-threads=1"])
            .env("UNIONCARD_EFFORT", &effort)
            .env(
                "UNIONCARD_SERVER_BIN",
                root.join("target/debug/unioncard-server"),
            )
            .env("UNIONCARD_DIST", root.join("dist"))
            .env("CHROMEDRIVER", tools::chromedriver()),
    )?;
    if let Ok(lines) = std::fs::read_to_string(&effort) {
        println!("what it takes a member (measured by the browser tests):\n{lines}");
    }
    println!(
        "all checks passed in {:.0} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
