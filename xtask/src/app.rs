//! Builds the browser app with Trunk (release: opt-level z, LTO, wasm-opt -Oz),
//! writes brotli and gzip variants next to each file for the server to pick by
//! `Accept-Encoding`, and reports the size a phone downloads.
//!
//! A stamp of the inputs' names, sizes and modification times is kept in
//! `dist/`, so a second run with nothing changed skips the build entirely.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

use crate::{cargo, run_cmd, tools};

/// The most the wasm and JS may weigh together, brotli-compressed.
pub const BUDGET_BROTLI_BYTES: u64 = 350 * 1024;

const INPUTS: &[&str] = &[
    "src",
    "api/src",
    "api/Cargo.toml",
    "style",
    "public",
    "index.html",
    "staff.html",
    "benefits.html",
    "manage.html",
    "Trunk.toml",
    "Cargo.toml",
    "Cargo.lock",
];
const STAMP: &str = ".build-stamp";

/// The bundles besides the member app (`dist/`): (entry, folder and URL
/// prefix under `dist/`, what it is). Each has the same size budget. The
/// server maps screen paths to them (`server/src/static_files.rs`) and the
/// service worker leaves them alone (`public/sw.js`): a new bundle goes in
/// all three.
const BUNDLES: [(&str, &str, &str); 3] = [
    ("staff.html", "staff", "the officers' desk"),
    ("benefits.html", "benefits", "aid and loans"),
    ("manage.html", "manage", "management"),
];

/// Builds `dist/` (the member app) and the other bundles under it unless
/// they are up to date; returns the member app's brotli size.
pub fn build(root: &Path, release: bool) -> Result<u64> {
    let dist = root.join("dist");
    let stamp = fingerprint(root, release)?;
    let fresh = std::fs::read_to_string(dist.join(STAMP)).ok().as_deref() == Some(stamp.as_str())
        && dist.join("index.html").exists()
        && BUNDLES
            .iter()
            .all(|(_, folder, _)| dist.join(folder).join("index.html").exists());
    if fresh {
        eprintln!("dist/ is up to date");
    } else {
        run_cmd(cargo(root).arg("fetch"))?;
        // The member app first: Trunk replaces its whole dist folder.
        trunk(root, release, &["index.html"])?;
        precompress(&dist)?;
        for (entry, folder, _) in BUNDLES {
            let out = format!("dist/{folder}");
            let url = format!("/{folder}/");
            trunk(
                root,
                release,
                &[entry, "--dist", &out, "--public-url", &url],
            )?;
            precompress(&dist.join(folder))?;
        }
        std::fs::write(dist.join(STAMP), &stamp)?;
    }
    let size = report("member app", &dist)?;
    let mut sizes = vec![("the member app", size)];
    for (_, folder, what) in BUNDLES {
        sizes.push((what, report(what, &dist.join(folder))?));
    }
    for (what, bytes) in sizes {
        if release && bytes > BUDGET_BROTLI_BYTES {
            bail!(
                "{what}: wasm + JS weigh {} KB brotli, over the {} KB budget",
                bytes / 1024,
                BUDGET_BROTLI_BYTES / 1024
            );
        }
    }
    Ok(size)
}

fn trunk(root: &Path, release: bool, args: &[&str]) -> Result<()> {
    let mut cmd = std::process::Command::new("trunk");
    // The target comes before `--release`, which takes an optional value.
    cmd.env("PATH", tools::path_with_tools(root))
        .arg("build")
        .args(args);
    if release {
        cmd.arg("--release");
    }
    run_cmd(&mut cmd)
}

fn fingerprint(root: &Path, release: bool) -> Result<String> {
    let mut files = Vec::new();
    for input in INPUTS {
        collect(&root.join(input), &mut files);
    }
    files.sort();
    let mut h = DefaultHasher::new();
    release.hash(&mut h);
    for f in &files {
        let meta = std::fs::metadata(f)?;
        f.hash(&mut h);
        meta.len().hash(&mut h);
        meta.modified()?.hash(&mut h);
    }
    Ok(format!("{:016x}", h.finish()))
}

fn collect(path: &Path, out: &mut Vec<PathBuf>) {
    if path.is_dir() {
        if let Ok(entries) = std::fs::read_dir(path) {
            for e in entries.flatten() {
                collect(&e.path(), out);
            }
        }
    } else if path.is_file() {
        out.push(path.to_path_buf());
    }
}

fn compressible(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("wasm" | "js" | "css" | "html" | "svg" | "webmanifest" | "json")
    )
}

/// Writes `name.br` (quality 11) and `name.gz` (level 9) beside each text or wasm file.
pub fn precompress(dist: &Path) -> Result<()> {
    for entry in std::fs::read_dir(dist)?.flatten() {
        let path = entry.path();
        if !path.is_file() || !compressible(&path) {
            continue;
        }
        let raw = std::fs::read(&path)?;
        let mut br = Vec::new();
        {
            let mut w = brotli::CompressorWriter::new(&mut br, 64 * 1024, 11, 22);
            w.write_all(&raw)?;
        }
        std::fs::write(with_suffix(&path, "br"), &br)?;
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(&raw)?;
        std::fs::write(with_suffix(&path, "gz"), gz.finish()?)?;
    }
    Ok(())
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(".");
    s.push(suffix);
    PathBuf::from(s)
}

/// Prints raw, gzip and brotli sizes of the wasm and JS; returns the brotli total.
pub fn report(what: &str, dist: &Path) -> Result<u64> {
    let (mut raw, mut gz, mut br) = (0u64, 0u64, 0u64);
    for entry in std::fs::read_dir(dist).context("reading dist/")?.flatten() {
        let path = entry.path();
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if matches!(ext, "wasm" | "js") {
            raw += std::fs::metadata(&path)?.len();
            gz += std::fs::metadata(with_suffix(&path, "gz"))
                .map(|m| m.len())
                .unwrap_or(0);
            br += std::fs::metadata(with_suffix(&path, "br"))
                .map(|m| m.len())
                .unwrap_or(0);
        }
    }
    println!(
        "{what} size (wasm + JS): {:.1} KB raw, {:.1} KB gzip, {:.1} KB brotli (budget {} KB brotli)",
        raw as f64 / 1024.0,
        gz as f64 / 1024.0,
        br as f64 / 1024.0,
        BUDGET_BROTLI_BYTES / 1024
    );
    Ok(br)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn precompressed_variants_decode_to_the_original() {
        let dir = std::env::temp_dir().join(format!("xtask-precompress-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let text = "工会会员服务卡 ".repeat(500);
        std::fs::write(dir.join("app-0123456789abcdef.js"), &text).unwrap();
        std::fs::write(dir.join("photo.png"), b"not text").unwrap();
        precompress(&dir).unwrap();
        let gz = std::fs::read(dir.join("app-0123456789abcdef.js.gz")).unwrap();
        let mut out = String::new();
        std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&gz[..]), &mut out)
            .unwrap();
        assert_eq!(out, text);
        let br = std::fs::read(dir.join("app-0123456789abcdef.js.br")).unwrap();
        let mut out = String::new();
        std::io::Read::read_to_string(&mut brotli::Decompressor::new(&br[..], 4096), &mut out)
            .unwrap();
        assert_eq!(out, text);
        assert!(br.len() < text.len() / 10);
        assert!(!dir.join("photo.png.br").exists());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
