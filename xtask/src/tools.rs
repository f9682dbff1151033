//! Installs what the build and the tests need, when it is missing, and skips
//! it (after a version check) when it is there. Only package registries are
//! reachable here, so everything comes from crates.io, npm or Debian.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Once;

use anyhow::{bail, Context, Result};

use crate::run_cmd;

/// The splitter that cuts the member app into a first load and chunks:
/// 0.2.2 breaks closures in split code ("function signature mismatch").
const WASM_SPLIT_VERSION: &str = "0.2.4";
/// binaryen from npm: Debian's is too old and silently produces a blank app.
const BINARYEN_VERSION: &str = "132";

/// PATH with the project's tools first: `.tools/node_modules/.bin` (wasm-opt)
/// and cargo's bin folder (wasm-split-cli, wasm-bindgen).
pub fn path_with_tools(root: &Path) -> String {
    let mut parts = vec![root.join(".tools/node_modules/.bin")];
    if let Some(home) = std::env::var_os("CARGO_HOME") {
        parts.push(PathBuf::from(home).join("bin"));
    } else if let Some(home) = std::env::var_os("HOME") {
        parts.push(PathBuf::from(home).join(".cargo/bin"));
    }
    let mut path = std::env::join_paths(parts)
        .expect("valid paths")
        .into_string()
        .unwrap_or_default();
    if let Ok(rest) = std::env::var("PATH") {
        path.push(':');
        path.push_str(&rest);
    }
    path
}

fn output_of(root: &Path, program: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(program)
        .args(args)
        .env("PATH", path_with_tools(root))
        .output()
        .ok()?;
    out.status.success().then(|| {
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr)
    })
}

/// The wasm-bindgen version in Cargo.lock: the CLI must match it exactly.
pub fn locked_wasm_bindgen(root: &Path) -> Result<String> {
    let lock = std::fs::read_to_string(root.join("Cargo.lock")).context("reading Cargo.lock")?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == "name = \"wasm-bindgen\"" {
            if let Some(v) = lines.next().and_then(|l| l.strip_prefix("version = \"")) {
                return Ok(v.trim_end_matches('"').to_string());
            }
        }
    }
    bail!("wasm-bindgen is not in Cargo.lock")
}

/// The wasm target, wasm-split-cli, wasm-bindgen-cli and wasm-opt.
pub fn ensure_app_tools(root: &Path) -> Result<()> {
    let targets = output_of(root, "rustup", &["target", "list", "--installed"]).unwrap_or_default();
    if !targets.contains("wasm32-unknown-unknown") {
        run_cmd(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))?;
    }

    // wasm-split-cli has no --version: cargo's list of installed packages says it.
    let installed = output_of(root, "cargo", &["install", "--list"]).unwrap_or_default();
    if !installed.contains(&format!("wasm_split_cli_support v{WASM_SPLIT_VERSION}:")) {
        eprintln!(
            "installing wasm-split-cli {WASM_SPLIT_VERSION} (about 3 minutes on 2 cores, once)"
        );
        run_cmd(Command::new("cargo").args([
            "install",
            "wasm_split_cli_support",
            "--version",
            WASM_SPLIT_VERSION,
            "--features",
            "build-binary",
            "--locked",
        ]))?;
    }

    let wbg = locked_wasm_bindgen(root)?;
    let have = output_of(root, "wasm-bindgen", &["--version"]).unwrap_or_default();
    if !have.contains(&wbg) {
        // Without --locked: its lock file names a crate version the registry lacks.
        eprintln!("installing wasm-bindgen-cli {wbg}");
        run_cmd(Command::new("cargo").args([
            "install",
            "wasm-bindgen-cli",
            "--version",
            &wbg,
            "--force",
        ]))?;
    }

    let wasm_opt = root.join(".tools/node_modules/.bin/wasm-opt");
    let have = output_of(
        root,
        wasm_opt.to_str().unwrap_or("wasm-opt"),
        &["--version"],
    )
    .unwrap_or_default();
    if !have.contains(&format!("version {BINARYEN_VERSION}")) {
        std::fs::create_dir_all(root.join(".tools"))?;
        run_cmd(
            Command::new("npm")
                .args(["install", "--no-audit", "--no-fund", "--prefix"])
                .arg(root.join(".tools"))
                .arg(format!("binaryen@{BINARYEN_VERSION}")),
        )?;
    }
    Ok(())
}

/// axe-core (from npm), injected into pages by the accessibility tests.
const AXE_VERSION: &str = "4.10.3";

/// Chromium and its driver, from Debian; axe-core from npm.
pub fn ensure_browser(root: &Path) -> Result<()> {
    let axe = root.join(".tools/node_modules/axe-core/package.json");
    let have = std::fs::read_to_string(&axe).unwrap_or_default();
    if !have.contains(&format!("\"version\": \"{AXE_VERSION}\"")) {
        run_cmd(
            Command::new("npm")
                .args(["install", "--no-audit", "--no-fund", "--prefix"])
                .arg(root.join(".tools"))
                .arg(format!("axe-core@{AXE_VERSION}")),
        )?;
    }
    if which("chromium").is_none() || which("chromedriver").is_none() {
        apt_install(&["chromium", "chromium-driver"])?;
    }
    Ok(())
}

/// PostgreSQL's server binaries, from Debian (not needed when TEST_POSTGRES_URL is given).
pub fn ensure_postgres() -> Result<()> {
    if std::env::var("TEST_POSTGRES_URL").is_ok() || postgres_bin_dir().is_some() {
        return Ok(());
    }
    apt_install(&["postgresql"])
}

/// The folder with `initdb` and `pg_ctl`, newest version first.
pub fn postgres_bin_dir() -> Option<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
        .filter(|bin| bin.join("initdb").exists() && bin.join("postgres").exists())
        .collect();
    dirs.sort();
    dirs.pop()
}

/// Where Chromium is (the browser the browser tests drive).
pub fn chromium() -> PathBuf {
    which("chromium").unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"))
}

/// Lighthouse 12 (from npm): `cargo xtask lighthouse` measures the phone
/// app with it. Pinned, so figures from two days compare.
pub const LIGHTHOUSE_VERSION: &str = "12.8.2";

/// Installs Lighthouse into `target/lighthouse` unless that version is
/// there; returns its command.
pub fn ensure_lighthouse(root: &Path) -> Result<PathBuf> {
    // The font a phone draws Chinese with (Android ships Noto Sans CJK; the
    // stylesheet names it). Without a Chinese font Chromium draws boxes,
    // and with only a font it must look up per run of text (WenQuanYi
    // here) layout took about half again as long as with Noto.
    let fonts = Command::new("fc-list")
        .arg(":family=Noto Sans CJK SC")
        .output()
        .map(|o| o.stdout)
        .unwrap_or_default();
    if fonts.is_empty() {
        apt_install(&["fonts-noto-cjk"])?;
    }
    let prefix = root.join("target/lighthouse");
    let package = prefix.join("node_modules/lighthouse/package.json");
    let have = std::fs::read_to_string(&package).unwrap_or_default();
    if !have.contains(&format!("\"version\": \"{LIGHTHOUSE_VERSION}\"")) {
        std::fs::create_dir_all(&prefix)?;
        run_cmd(
            Command::new("npm")
                .args(["install", "--no-audit", "--no-fund", "--prefix"])
                .arg(&prefix)
                .arg(format!("lighthouse@{LIGHTHOUSE_VERSION}")),
        )?;
    }
    Ok(prefix.join("node_modules/.bin/lighthouse"))
}

/// Where chromedriver is.
pub fn chromedriver() -> PathBuf {
    which("chromedriver").unwrap_or_else(|| PathBuf::from("/usr/bin/chromedriver"))
}

fn which(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|p| p.join(name))
            .find(|p| p.is_file())
    })
}

/// Whether this process runs as root (then apt needs no sudo, and
/// PostgreSQL must run as another user).
pub fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

/// Installs Debian packages (one `apt-get update` per run first).
pub fn apt_install(packages: &[&str]) -> Result<()> {
    static UPDATE: Once = Once::new();
    let sudo = if is_root() { None } else { Some("sudo") };
    let apt = |args: &[&str]| -> Result<()> {
        let mut cmd = match sudo {
            Some(s) => {
                let mut c = Command::new(s);
                c.arg("apt-get");
                c
            }
            None => Command::new("apt-get"),
        };
        cmd.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        run_cmd(&mut cmd)
    };
    let mut update = Ok(());
    UPDATE.call_once(|| update = apt(&["update", "-qq"]));
    update?;
    let mut args = vec!["install", "-y", "-qq", "--no-install-recommends"];
    args.extend_from_slice(packages);
    apt(&args)
}

/// openapi-spec-validator (from PyPI), the validator client generators agree with.
const OPENAPI_VALIDATOR_VERSION: &str = "0.9.0";

/// Writes the server's OpenAPI document and checks it with
/// openapi-spec-validator, installed into `.tools/venv` once.
pub fn validate_openapi(root: &Path, server: &Path) -> Result<()> {
    let venv = root.join(".tools/venv");
    let validator = venv.join("bin/openapi-spec-validator");
    let have = output_of(
        root,
        "sh",
        &[
            "-c",
            &format!(
                "{}/bin/pip show openapi-spec-validator 2>/dev/null",
                venv.display()
            ),
        ],
    )
    .unwrap_or_default();
    if !validator.exists() || !have.contains(&format!("Version: {OPENAPI_VALIDATOR_VERSION}")) {
        std::fs::create_dir_all(root.join(".tools"))?;
        run_cmd(Command::new("python3").args(["-m", "venv"]).arg(&venv))?;
        run_cmd(
            Command::new(venv.join("bin/pip"))
                .args(["install", "-q"])
                .arg(format!(
                    "openapi-spec-validator=={OPENAPI_VALIDATOR_VERSION}"
                )),
        )?;
    }
    let out = Command::new(server).arg("--openapi").output()?;
    if !out.status.success() {
        bail!("unioncard-server --openapi failed");
    }
    let doc = root.join("target/openapi.json");
    std::fs::write(&doc, &out.stdout)?;
    run_cmd(Command::new(&validator).arg(&doc))
}
