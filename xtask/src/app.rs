//! Builds the browser apps: the member app (its sections cut into chunks
//! fetched on demand), the officers' desk and management.
//!
//! Trunk cannot split a wasm module, so the steps are driven from here:
//! 1. `cargo build --release` for wasm32, linked with `--emit-relocs` so the
//!    splitter can move code between modules;
//! 2. `wasm-split-cli` cuts the member app at its `#[wasm_split]` functions
//!    (`src/sections.rs`): `main.wasm`, one `split_*.wasm` per section, shared
//!    `chunk_*.wasm`, and the `__wasm_split.js` loader;
//! 3. `wasm-bindgen --target web`, the glue's import names shortened
//!    (`glue.rs`), then `wasm-opt -Oz` on every `.wasm`;
//! 4. each build goes into `dist/a/<hash of its files>/`: the names inside
//!    (`main.js`, `split_aid.wasm`...) are fixed, the folder changes with any
//!    byte, so the server may cache everything under `/a/` for a year;
//! 5. the pages (`index.html`, `staff/index.html`, `manage/index.html`) are
//!    written from the templates at the project root: the stylesheet inlined
//!    (no render-blocking request), the wasm preloaded, the loader script;
//! 6. brotli and gzip variants next to each file, for the server to pick by
//!    `Accept-Encoding`; then the sizes a phone downloads, against budgets.
//!
//! A stamp of the inputs' names, sizes and modification times is kept in
//! `dist/`, so a second run with nothing changed skips the build entirely.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};
use sha2::Digest;

use crate::{cargo, glue, run_cmd, tools};

/// The most an unsplit desk app's wasm and JS may weigh together, brotli.
pub const BUDGET_BROTLI_BYTES: u64 = 350 * 1024;
/// The most the officers' desk's first load may weigh, brotli: its home and
/// router (each kind of work is a chunk of its own).
pub const DESK_FIRST_LOAD_BUDGET_BYTES: u64 = 200 * 1024;
/// The most the member app's first load may weigh, brotli: the page (with
/// its stylesheet), the JS and the main wasm.
pub const FIRST_LOAD_BUDGET_BYTES: u64 = 200 * 1024;
/// The most any one chunk fetched later may weigh, brotli.
pub const CHUNK_BUDGET_BYTES: u64 = 60 * 1024;

const INPUTS: &[&str] = &[
    "src",
    "api/src",
    "api/Cargo.toml",
    "style",
    "public",
    "index.html",
    "staff.html",
    "manage.html",
    "Cargo.toml",
    "Cargo.lock",
    "xtask/src/app.rs",
    "xtask/src/glue.rs",
];
const STAMP: &str = ".build-stamp";
/// Where the hashed build folders live under `dist/` (and the URL prefix).
pub const BUILDS: &str = "a";

/// One browser app.
struct Bundle {
    /// The cargo binary.
    bin: &'static str,
    /// The page template at the project root.
    page: &'static str,
    /// The folder under `dist/` for its `index.html` ("" for the root).
    at: &'static str,
    /// Cut into a first load and chunks at its `#[wasm_split]` functions.
    split: bool,
    /// Which section each of its paths opens, for the preloads of a split
    /// bundle's page.
    sections: &'static [(&'static str, &'static str)],
    /// The most its first load (page, JS, main wasm) may weigh, brotli.
    budget: u64,
    what: &'static str,
}

impl Bundle {
    /// The member app: its build names the service worker's cache, its
    /// first load is the one reported.
    fn is_member_app(&self) -> bool {
        self.at.is_empty()
    }
}

/// The server maps screen paths to these (`server/src/static_files.rs`) and
/// the service worker leaves the desk apps alone (`public/sw.js`): a new
/// bundle goes in all three.
const BUNDLES: [Bundle; 3] = [
    Bundle {
        bin: "unioncard-app",
        page: "index.html",
        at: "",
        split: true,
        sections: SECTION_PATHS,
        budget: FIRST_LOAD_BUDGET_BYTES,
        what: "the member app",
    },
    Bundle {
        bin: "staff",
        page: "staff.html",
        at: "staff",
        split: true,
        sections: DESK_SECTION_PATHS,
        budget: DESK_FIRST_LOAD_BUDGET_BYTES,
        what: "the officers' desk",
    },
    Bundle {
        bin: "manage",
        page: "manage.html",
        at: "manage",
        split: false,
        sections: &[],
        budget: BUDGET_BROTLI_BYTES,
        what: "management",
    },
];

/// Builds `dist/` unless it is up to date; returns the member app's first
/// load in brotli bytes.
pub fn build(root: &Path, release: bool) -> Result<u64> {
    let dist = root.join("dist");
    let stamp = fingerprint(root, release)?;
    let fresh = std::fs::read_to_string(dist.join(STAMP)).ok().as_deref() == Some(stamp.as_str())
        && BUNDLES
            .iter()
            .all(|b| dist.join(b.at).join("index.html").exists());
    if fresh {
        eprintln!("dist/ is up to date");
    } else {
        compile(root, release)?;
        if dist.exists() {
            std::fs::remove_dir_all(&dist).context("clearing dist/")?;
        }
        std::fs::create_dir_all(dist.join(BUILDS))?;
        let css = std::fs::read_to_string(root.join("style/main.css"))?;
        let mut member_build = String::new();
        for bundle in &BUNDLES {
            let folder = package(root, release, bundle)?;
            if bundle.is_member_app() {
                member_build = folder
                    .trim_start_matches(&format!("/{BUILDS}/"))
                    .to_string();
            }
            let page = std::fs::read_to_string(root.join(bundle.page))
                .with_context(|| format!("reading {}", bundle.page))?;
            // A split app's page also preloads the chunks of the section
            // its path opens, before anything else is fetched.
            let preloads = if bundle.split {
                let loader = dist
                    .join(folder.trim_start_matches('/'))
                    .join("__wasm_split.js");
                let text = std::fs::read_to_string(&loader).context("reading the chunk loader")?;
                let sections = section_files(&text);
                write_packs(&dist.join(folder.trim_start_matches('/')), &sections)?;
                // The loader is in every first load: written compactly.
                if let Some(small) = compact_loader(&text) {
                    std::fs::write(&loader, small).context("writing the chunk loader")?;
                }
                preload_script(&folder, &sections, bundle.sections)
            } else {
                String::new()
            };
            let html = page_with_app(&minify_page(&page), &css, &folder, &preloads)?;
            let at = dist.join(bundle.at);
            std::fs::create_dir_all(&at)?;
            std::fs::write(at.join("index.html"), html)?;
        }
        for entry in std::fs::read_dir(root.join("public"))?.flatten() {
            std::fs::copy(entry.path(), dist.join(entry.file_name()))?;
        }
        // A new build is a new service worker, which keeps the new files.
        let sw = std::fs::read_to_string(dist.join("sw.js"))?;
        std::fs::write(dist.join("sw.js"), sw.replace("__BUILD__", &member_build))?;
        precompress_tree(&dist)?;
        std::fs::write(dist.join(STAMP), &stamp)?;
    }
    check_sizes(&dist, release)
}

/// The release (or debug) wasm of every bundle, in one cargo run.
fn compile(root: &Path, release: bool) -> Result<()> {
    run_cmd(cargo(root).arg("fetch"))?;
    let mut cmd = cargo(root);
    cmd.args(["build", "--target", "wasm32-unknown-unknown"]);
    for bundle in &BUNDLES {
        cmd.args(["--bin", bundle.bin]);
    }
    if release {
        cmd.arg("--release");
    }
    // The splitter needs the relocations to move functions between modules.
    // The source paths that panic locations carry are shortened to what
    // follows the registry folder or the project: they are text in the
    // download (about 11 KB of `/root/.cargo/registry/src/index...`).
    let mut flags = String::from("-Clink-args=--emit-relocs");
    let registry = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .map(|home| home.join("registry/src"));
    let mut prefixes = vec![format!("{}/", root.display())];
    if let Some(entries) = registry.and_then(|r| std::fs::read_dir(r).ok()) {
        for e in entries.flatten() {
            prefixes.push(format!("{}/", e.path().display()));
        }
    }
    for prefix in prefixes {
        flags.push_str(&format!(" --remap-path-prefix={prefix}="));
    }
    cmd.env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS", flags);
    run_cmd(&mut cmd)
}

/// Splits (if the bundle is split), binds and optimises one bundle into
/// `dist/a/<hash>/`; returns that folder's URL path (`/a/<hash>`).
fn package(root: &Path, release: bool, bundle: &Bundle) -> Result<String> {
    let profile = if release { "release" } else { "debug" };
    let wasm = root
        .join("target/wasm32-unknown-unknown")
        .join(profile)
        .join(format!("{}.wasm", bundle.bin));
    let work = root.join("target/app-build").join(bundle.bin);
    if work.exists() {
        std::fs::remove_dir_all(&work)?;
    }
    let (split, stage) = (work.join("split"), work.join("stage"));
    std::fs::create_dir_all(&split)?;
    std::fs::create_dir_all(&stage)?;
    let path = tools::path_with_tools(root);

    // Every bundle goes through the splitter: it also drops the relocations
    // the link kept for it (one set of compiler flags for all three builds),
    // which wasm-opt cannot handle. A bundle without split points comes out
    // as one module.
    run_cmd(
        Command::new("wasm-split-cli")
            .env("PATH", &path)
            .args(["--target", "web", "--out-name", "main"])
            .arg(&wasm)
            .arg(&split),
    )?;
    let mut bindgen = Command::new("wasm-bindgen");
    bindgen.env("PATH", &path).arg(split.join("main.wasm"));
    if bundle.split {
        // The split modules call into the main one by its exports: keep them.
        bindgen.args(["--keep-lld-exports", "--no-demangle"]);
    }
    run_cmd(
        bindgen
            .args(["--target", "web", "--no-typescript", "--out-name", "main"])
            .arg("--out-dir")
            .arg(&stage),
    )?;
    if bundle.split {
        for entry in std::fs::read_dir(&split)?.flatten() {
            let name = entry.file_name().to_string_lossy().to_string();
            if name != "main.wasm" && (name.ends_with(".wasm") || name.ends_with(".js")) {
                std::fs::copy(entry.path(), stage.join(&name))?;
            }
        }
    }
    // The glue's imports under short names on both sides (about 4 KB of
    // every first load; see `glue.rs`).
    let (main_wasm, main_js) = (stage.join("main_bg.wasm"), stage.join("main.js"));
    let (wasm_bytes, js) = glue::shorten_imports(
        &std::fs::read(&main_wasm)?,
        &std::fs::read_to_string(&main_js)?,
    )
    .with_context(|| format!("{}: shortening the glue's import names", bundle.what))?;
    std::fs::write(&main_wasm, wasm_bytes)?;
    std::fs::write(&main_js, js)?;
    if release {
        let modules: Vec<PathBuf> = std::fs::read_dir(&stage)?
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "wasm"))
            .collect();
        let cache = root.join("target/app-build/wasm-opt-cache");
        std::fs::create_dir_all(&cache)?;
        let cache = &cache;
        // Two at a time: the member app has a hundred small chunks.
        let queue = std::sync::Mutex::new(modules);
        std::thread::scope(|s| -> Result<()> {
            let workers: Vec<_> = (0..2)
                .map(|_| {
                    s.spawn(|| -> Result<()> {
                        loop {
                            // Taken in its own statement: the lock is let go
                            // before the optimiser runs.
                            let next = queue.lock().map_err(|_| anyhow::anyhow!("poisoned"))?.pop();
                            let Some(p) = next else { break };
                            // A module whose bytes an earlier build already
                            // optimised (most chunks, when one screen
                            // changed) is taken from the cache: wasm-opt on
                            // the three apps' 1,800 modules is most of a
                            // build's time.
                            let cached =
                                cache.join(format!("{}.wasm", bytes_hash(&std::fs::read(&p)?)));
                            if cached.exists() {
                                std::fs::copy(&cached, &p)?;
                                continue;
                            }
                            run_cmd(
                                Command::new("wasm-opt")
                                    .env("PATH", &path)
                                    .args(WASM_OPT_FEATURES)
                                    .args(opt_flags())
                                    .arg(&p)
                                    .arg("-o")
                                    .arg(&p),
                            )?;
                            // Written beside and renamed: a build cut off
                            // mid-copy leaves no half module in the cache.
                            let part = cached.with_extension("part");
                            std::fs::copy(&p, &part)?;
                            std::fs::rename(&part, &cached)?;
                        }
                        Ok(())
                    })
                })
                .collect();
            for w in workers {
                w.join()
                    .map_err(|_| anyhow::anyhow!("a wasm-opt worker panicked"))??;
            }
            Ok(())
        })?;
    }
    let hash = tree_hash(&stage)?;
    let dest = root.join("dist").join(BUILDS).join(&hash);
    copy_tree(&stage, &dest)?;
    Ok(format!("/{BUILDS}/{hash}"))
}

/// The optimiser's flags. `UC_WASM_NAMES=1` keeps the functions' names,
/// for a profile of the release app that says where its time goes (the
/// names add about a third to the download: never for a real build).
fn opt_flags() -> &'static [&'static str] {
    if std::env::var_os("UC_WASM_NAMES").is_some_and(|v| v == "1") {
        &["-Oz", "-g", "--strip-dwarf", "--strip-producers"]
    } else {
        &["-Oz", "--strip-debug", "--strip-producers"]
    }
}

/// What rustc's wasm32 target emits today; wasm-opt must accept them.
const WASM_OPT_FEATURES: &[&str] = &[
    "--enable-bulk-memory",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-mutable-globals",
    "--enable-reference-types",
    "--enable-multivalue",
];

/// The page with the app in it: the stylesheet inline (the page is small and
/// revalidated anyway; a separate file would block the first paint for a
/// round trip), `preloads` (a script, or nothing), the JS and wasm
/// preloaded, the loader script.
fn page_with_app(page: &str, css: &str, folder: &str, preloads: &str) -> Result<String> {
    const MARK: &str = "<!-- app -->";
    const END: &str = "</body>";
    if !page.contains(MARK) || !page.contains(END) {
        bail!("the page template has no {MARK} line or no {END}");
    }
    let css = minify_css(css);
    // Started once the browser says the page's drawing is on the glass: a
    // largest-paint entry from after the page drew (on a member's 首页 and
    // 我的, after the card it draws from its early answer, `ucFirst`, which
    // gives the time it drew it). Lighthouse's simulation counts every
    // request begun before the largest paint as holding it up; a frame's
    // callback (what this waited for before) can run before that frame is
    // shown, and then the app's download was counted (a guest's 首页 at
    // 2.3 s instead of 0.7 s, one run in three). Without such an entry in
    // 250 ms (nothing larger drawn, input first), or where the browser has
    // no such entries, after a frame; after a second in any case (a tab
    // opened behind another paints nothing).
    let start = format!(
        "<script>(function(){{var go=function(){{if(go.d)return;go.d=1;{preloads}\
         var w=fetch('{folder}/main_bg.wasm');\
         import('{folder}/main.js').then(function(m){{m.default({{module_or_path:w}});}});}};\
         var after=function(t){{var P=window.PerformanceObserver,k='largest-contentful-paint';\
         if((P&&P.supportedEntryTypes||[]).indexOf(k)<0){{requestAnimationFrame(function(){{setTimeout(go,0);}});return;}}\
         new P(function(l,o){{if(l.getEntries().some(function(e){{return e.startTime>=t;}})){{o.disconnect();setTimeout(go,0);}}}})\
         .observe({{type:k,buffered:true}});setTimeout(go,250);}};\
         window.ucFirst?window.ucFirst.then(function(t){{after(t||0);}}):after(0);setTimeout(go,1000);}})();</script>\n"
    );
    let at = page.rfind(END).expect("checked above");
    let page = format!("{}{start}{}", &page[..at], &page[at..]);
    Ok(page.replacen(MARK, &format!("<style>{css}</style>"), 1))
}

/// The page template without what only its readers need: HTML comments
/// (but the app's mark), script lines that are only a `//` comment, and
/// indentation. Every member's first load carries the page.
fn minify_page(page: &str) -> String {
    const MARK: &str = "<!-- app -->";
    let mut out = String::with_capacity(page.len());
    let mut rest = page;
    while let Some(start) = rest.find("<!--") {
        out.push_str(&rest[..start]);
        if rest[start..].starts_with(MARK) {
            out.push_str(MARK);
            rest = &rest[start + MARK.len()..];
            continue;
        }
        rest = rest[start..]
            .find("-->")
            .map_or("", |end| &rest[start + end + 3..]);
    }
    out.push_str(rest);
    out.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The stylesheet without its comments and indentation (it travels in every
/// page). Nothing in it quotes `/*`, which the test below keeps true.
fn minify_css(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(start) = rest.find("/*") {
        out.push_str(&rest[..start]);
        rest = rest[start + 2..]
            .find("*/")
            .map_or("", |end| &rest[start + 2 + end + 2..]);
    }
    out.push_str(rest);
    out.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Which section each member screen's path opens, first match wins: the
/// path itself and the paths below it, or only those below for a prefix
/// ending in `/`. The same table as the router's (`src/app.rs` with
/// `src/sections.rs`); a path missing here only loses its preload.
const SECTION_PATHS: &[(&str, &str)] = &[
    ("/offers", "offers"),
    ("/merchants", "merchant"),
    ("/me/savings", "merchant"),
    ("/me/training", "training"),
    ("/training", "training"),
    ("/aid/claims", "claims"),
    ("/aid", "aid"),
    // Ending in `/`: only the paths below (a loan, `/loans/3`), not the list.
    ("/loans/", "loan"),
    ("/loans", "loans"),
    ("/me/transfer", "transfer"),
    ("/me", "me"),
    ("/login", "account"),
    ("/register", "account"),
    ("/join", "account"),
    ("/cashier", "cashier"),
    ("/search", "search"),
    ("/hardship", "hardship"),
    ("/education", "education"),
    ("/centres", "centres"),
    ("/rights/", "rights_case"),
    ("/rights", "rights"),
    ("/counselling", "counselling"),
];

/// Which section each desk path opens (`src/bin/staff/desk.rs` with its
/// `sections.rs`), as [`SECTION_PATHS`] for the member app.
const DESK_SECTION_PATHS: &[(&str, &str)] = &[
    ("/staff/aid", "desk_aid"),
    ("/staff/loans", "desk_loans"),
    ("/staff/join-requests", "desk_requests"),
    ("/staff/complaints", "desk_requests"),
    ("/staff/transfers", "desk_requests"),
    ("/staff/roster", "desk_members"),
    ("/staff/cards", "desk_members"),
    ("/staff/training", "desk_training"),
    ("/staff/sessions", "desk_training"),
    ("/staff/figures", "desk_figures"),
    ("/staff/audit", "desk_figures"),
    ("/staff/hardship", "desk_hardship"),
    // Ending in `/`: one batch (`/staff/payments/12`), not the list.
    ("/staff/payments/", "desk_batch"),
    ("/staff/payments", "desk_payments"),
    ("/staff/education", "desk_education"),
    ("/staff/model-workers", "desk_model_workers"),
    ("/staff/rights/", "desk_rights_case"),
    ("/staff/rights", "desk_rights"),
    ("/staff/counselling", "desk_counselling"),
];

/// Each section's files as the chunk loader names them: its own
/// `split_<section>.wasm` and the shared `chunk_<n>.wasm` it waits for.
fn section_files(loader: &str) -> Vec<(String, Vec<String>)> {
    const EXPORT: &str = "export const __wasm_split_load_";
    let mut out = Vec::new();
    let mut rest = loader;
    while let Some(at) = rest.find(EXPORT) {
        rest = &rest[at + EXPORT.len()..];
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        let end = rest.find(EXPORT).unwrap_or(rest.len());
        let body = &rest[..end];
        let mut files = vec![format!("split_{name}.wasm")];
        if let Some(deps) = body.rfind(", [").map(|i| &body[i + 3..]) {
            let deps = &deps[..deps.find(']').unwrap_or(deps.len())];
            for dep in deps.split(',').map(str::trim).filter(|d| !d.is_empty()) {
                files.push(format!("{}.wasm", dep.trim_start_matches("__")));
            }
        }
        out.push((name, files));
    }
    out
}

/// The chunk loader `wasm-split-cli` writes, said again in a fraction of
/// its bytes (it is part of every first load): the same header functions,
/// then each module as one line, `const cN=C("./chunk_N.wasm",[…])` for a
/// shared chunk and `export const __wasm_split_load_x=wrapAsyncCb(C("./split_x.wasm",[…]))`
/// for a section (each file named whole, as `public/sw.js` finds them to
/// keep for offline use), where `C` builds exactly the loader each block spelled
/// out (fetch the file, instantiate it with the shared imports once its
/// dependencies are in). The comments naming which sections share a chunk
/// go. `None` when a block is not of the one shape known here: the loader
/// is then kept as it came.
fn compact_loader(text: &str) -> Option<String> {
    const CHUNK: &str = "const __chunk_";
    const EXPORT: &str = "export const __wasm_split_load_";
    const BODY: [&str; 3] = [
        "src.catch(() => {});",
        "return async (imports) => (WebAssembly.instantiateStreaming(src, imports));",
        "import.meta.url",
    ];
    let start = text
        .find("\n/* ")
        .or_else(|| text.find("\nconst __chunk_"))?;
    let header = &text[..start];
    // Statement starts, in order.
    let mut starts: Vec<usize> = Vec::new();
    for pat in [CHUNK, EXPORT] {
        let mut from = start;
        while let Some(i) = text[from..].find(pat) {
            let at = from + i;
            if at == 0 || text.as_bytes()[at - 1] == b'\n' {
                starts.push(at);
            }
            from = at + pat.len();
        }
    }
    starts.sort_unstable();
    if starts.is_empty() {
        return None;
    }
    let short = |dep: &str| dep.trim().strip_prefix("__chunk_").map(|n| format!("c{n}"));
    let mut out = String::from(header.trim_end());
    // A file the page already asked for in a pack (`globalThis.__pk`, see
    // [`preload_script`]) is taken from it; any other, or one whose pack
    // failed, is fetched alone as before.
    out.push_str(
        "\nfunction C(f,d){return makeLoad(()=>{const k=globalThis.__pk&&globalThis.__pk(f);\
         const src=k?null:fetch(new URL(f,import.meta.url));src&&src.catch(()=>{});\
         return async(imports)=>{const b=k&&await k;return b?WebAssembly.instantiate(b,imports):\
         WebAssembly.instantiateStreaming(src||fetch(new URL(f,import.meta.url)),imports);};},d);}\n",
    );
    for (k, &at) in starts.iter().enumerate() {
        let end = starts.get(k + 1).copied().unwrap_or(text.len());
        let block = &text[at..end];
        // Drop the comment that follows the block (it names the next one's
        // sections).
        let block = block.split("\n/*").next()?;
        if !BODY.iter().all(|b| block.contains(b)) {
            return None;
        }
        let file = block
            .split("new URL(\"./")
            .nth(1)?
            .split(".wasm\"")
            .next()?;
        let deps = block.rsplit(", [").next()?.split(']').next()?;
        let deps: Option<Vec<String>> = deps
            .split(',')
            .filter(|d| !d.trim().is_empty())
            .map(short)
            .collect();
        let deps = deps?.join(",");
        if let Some(n) = block.strip_prefix(CHUNK) {
            let n: String = n.chars().take_while(char::is_ascii_digit).collect();
            out.push_str(&format!("const c{n}=C(\"./{file}.wasm\",[{deps}]);\n"));
        } else {
            let name: String = block[EXPORT.len()..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !block.contains("wrapAsyncCb(makeLoad(") {
                return None;
            }
            out.push_str(&format!(
                "export const __wasm_split_load_{name}=wrapAsyncCb(C(\"./{file}.wasm\",[{deps}]));\n"
            ));
        }
    }
    Some(out)
}

/// The section every page of an app loads (the member app's bell and 首页
/// parts, [`SECTION_PATHS`] has no path for it): its files are left out of
/// the other sections' packs.
const EVERY_PAGE: &str = "hub";

/// The files of each section's pack: all it needs, less those of the
/// section every page loads (they come in that section's own pack).
fn pack_files(sections: &[(String, Vec<String>)]) -> Vec<(String, Vec<String>)> {
    let common: Vec<&String> = sections
        .iter()
        .find(|(name, _)| name == EVERY_PAGE)
        .map(|(_, files)| files.iter().collect())
        .unwrap_or_default();
    sections
        .iter()
        .map(|(name, files)| {
            let files = files
                .iter()
                .filter(|f| name == EVERY_PAGE || !common.contains(f))
                .cloned()
                .collect();
            (name.clone(), files)
        })
        .collect()
}

/// Writes `pack_<section>.bin` beside the modules for every section: its
/// files ([`pack_files`]) in one download, so a deep link to `/aid` fetches
/// two packs instead of two hundred small chunks, each a round trip on a
/// weak network. The format, read by [`preload_script`]'s page script: the
/// number of files (u32), then each file's name length (u8), name and size
/// (u32), then the files' bytes in that order; integers little-endian.
fn write_packs(dir: &Path, sections: &[(String, Vec<String>)]) -> Result<()> {
    for (name, files) in pack_files(sections) {
        let mut head = (files.len() as u32).to_le_bytes().to_vec();
        let mut body = Vec::new();
        for f in &files {
            let bytes = std::fs::read(dir.join(f)).with_context(|| format!("reading {f}"))?;
            let len = u8::try_from(f.len()).context("a module's name is over 255 bytes")?;
            head.push(len);
            head.extend_from_slice(f.as_bytes());
            head.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
            body.extend_from_slice(&bytes);
        }
        head.extend_from_slice(&body);
        std::fs::write(dir.join(format!("pack_{name}.bin")), head)?;
    }
    Ok(())
}

/// Script (run by the page's starter, [`page_with_app`]) that fetches
/// the packs ([`write_packs`]) of the section every page loads and of the
/// section the page's path opens, beside the main module instead of after
/// it, and offers their files to the chunk loader (`globalThis.__pk`, see
/// [`compact_loader`]). A phone whose service worker already keeps the
/// files fetches no pack; a pack that fails leaves the loader to fetch its
/// files one by one.
fn preload_script(
    folder: &str,
    sections: &[(String, Vec<String>)],
    paths: &[(&str, &str)],
) -> String {
    // Only the paths of sections that have a pack; the files of each pack
    // are named in the pack itself, so the page (in every first load)
    // carries no list of them: the loader asks `__pk` for a file, which
    // answers once the packs are here, with nothing for a file no pack
    // holds (the loader then fetches it alone).
    let routes: Vec<String> = paths
        .iter()
        .filter(|(_, section)| sections.iter().any(|(name, _)| name == section))
        .map(|(path, section)| format!("['{path}','{section}']"))
        .collect();
    // The every-page pack only where the app has that section: the desk's
    // page asked for one on every load, and got a 404 and a console error.
    let every = if sections.iter().any(|(name, _)| name == EVERY_PAGE) {
        format!("'{EVERY_PAGE}'")
    } else {
        String::new()
    };
    format!(
        "(function(){{var r=[{}],p=location.pathname,w=[{every}];\
         if(navigator.serviceWorker&&navigator.serviceWorker.controller)return;\
         for(var i=0;i<r.length;i++){{var x=r[i][0];\
         if(x.charAt(x.length-1)==='/'?(p.indexOf(x)===0&&p.length>x.length):(p===x||p.indexOf(x+'/')===0)){{w.push(r[i][1]);break;}}}}\
         var A=Promise.all(w.map(function(s){{\
         return fetch('{folder}/pack_'+s+'.bin').then(function(x){{if(!x.ok)throw 0;return x.arrayBuffer();}}).then(function(b){{\
         var v=new DataView(b),n=v.getUint32(0,true),o=4,h=[],t={{}},k;\
         for(k=0;k<n;k++){{var l=v.getUint8(o);h.push([String.fromCharCode.apply(null,new Uint8Array(b,o+1,l)),v.getUint32(o+1+l,true)]);o+=5+l;}}\
         for(k=0;k<n;k++){{t[h[k][0]]=new Uint8Array(b,o,h[k][1]);o+=h[k][1];}}return t;}}).catch(function(){{return {{}};}});}}));\
         globalThis.__pk=function(f){{f=f.replace('./','');return A.then(function(t){{for(var i=0;i<t.length;i++)if(t[i][f])return t[i][f];}});}};}})();",
        routes.join(",")
    )
}

/// A hash of `bytes` and of the optimiser's flags, naming a module's
/// optimised form in the cache.
fn bytes_hash(bytes: &[u8]) -> String {
    let mut h = sha2::Sha256::new();
    for flag in WASM_OPT_FEATURES {
        h.update(flag.as_bytes());
    }
    h.update(opt_flags().join(" ").as_bytes());
    h.update(bytes);
    h.finalize()[..16]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A short hash of every file's path and bytes under `dir`.
fn tree_hash(dir: &Path) -> Result<String> {
    let mut files = Vec::new();
    collect(dir, &mut files);
    files.sort();
    let mut h = sha2::Sha256::new();
    for f in files {
        h.update(f.strip_prefix(dir)?.to_string_lossy().as_bytes());
        h.update(std::fs::read(&f)?);
    }
    let digest = h.finalize();
    Ok(digest[..8].iter().map(|b| format!("{b:02x}")).collect())
}

fn copy_tree(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)?.flatten() {
        let p = entry.path();
        if p.is_dir() {
            copy_tree(&p, &to.join(entry.file_name()))?;
        } else {
            std::fs::copy(&p, to.join(entry.file_name()))?;
        }
    }
    Ok(())
}

fn fingerprint(root: &Path, release: bool) -> Result<String> {
    let mut files = Vec::new();
    for input in INPUTS {
        collect(&root.join(input), &mut files);
    }
    files.sort();
    let mut h = DefaultHasher::new();
    release.hash(&mut h);
    opt_flags().hash(&mut h);
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
        Some("wasm" | "bin" | "js" | "css" | "html" | "svg" | "webmanifest" | "json")
    )
}

fn precompress_tree(dir: &Path) -> Result<()> {
    precompress(dir)?;
    for entry in std::fs::read_dir(dir)?.flatten() {
        if entry.path().is_dir() {
            precompress_tree(&entry.path())?;
        }
    }
    Ok(())
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

/// (raw, brotli) bytes of one built file.
fn weight(path: &Path) -> (u64, u64) {
    let raw = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    let br = std::fs::metadata(with_suffix(path, "br"))
        .map(|m| m.len())
        .unwrap_or(raw);
    (raw, br)
}

fn kb(bytes: u64) -> String {
    format!("{:.1} KB", bytes as f64 / 1024.0)
}

/// The build folder a page loads (`/a/<hash>` in its loader script).
pub fn folder_of(html: &str) -> Option<&str> {
    const LOADER: &str = "import('";
    let start = html.find(LOADER)? + LOADER.len();
    let len = html[start..].find("/main.js")?;
    Some(&html[start..start + len])
}

/// What each app's phone downloads: for the member app the first load (page,
/// JS the page imports at start, main wasm) and every chunk; for the desk
/// apps their page, JS and wasm. Fails a release build over budget.
fn check_sizes(dist: &Path, release: bool) -> Result<u64> {
    let mut over = Vec::new();
    let mut first_load = 0;
    for bundle in &BUNDLES {
        let page = dist.join(bundle.at).join("index.html");
        let html = std::fs::read_to_string(&page)?;
        let folder = folder_of(&html).context("a page without its build folder")?;
        let files = dist.join(folder.trim_start_matches('/'));
        if !files.join("main_bg.wasm").exists() {
            bail!(
                "{}: the page names {folder}, which has no main_bg.wasm",
                bundle.what
            );
        }
        let mut start = vec![page.clone()];
        let mut later = Vec::new();
        let mut packs = Vec::new();
        let mut all = Vec::new();
        collect(&files, &mut all);
        all.sort();
        for f in all {
            let name = f
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .to_string();
            if name.ends_with(".br") || name.ends_with(".gz") {
                continue;
            }
            if name.starts_with("split_") || name.starts_with("chunk_") {
                later.push(f);
            } else if name.starts_with("pack_") {
                packs.push(f);
            } else {
                start.push(f);
            }
        }
        let (raw, br) = start
            .iter()
            .map(|f| weight(f))
            .fold((0, 0), |a, w| (a.0 + w.0, a.1 + w.1));
        let budget = bundle.budget;
        println!(
            "{}: first load {} brotli ({} raw; page, JS, wasm), budget {}",
            bundle.what,
            kb(br),
            kb(raw),
            kb(budget)
        );
        if br > budget {
            over.push(format!(
                "{} first load {} > {}",
                bundle.what,
                kb(br),
                kb(budget)
            ));
        }
        if bundle.is_member_app() {
            first_load = br;
        }
        let named = |f: &Path| {
            let (raw, br) = weight(f);
            let name = f
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .to_string();
            (name, raw, br)
        };
        for f in later {
            let (name, raw, br) = named(&f);
            println!(
                "  on demand {name}: {} brotli ({} raw), budget {}",
                kb(br),
                kb(raw),
                kb(CHUNK_BUDGET_BYTES)
            );
            if br > CHUNK_BUDGET_BYTES {
                over.push(format!(
                    "{} chunk {name} {} > {}",
                    bundle.what,
                    kb(br),
                    kb(CHUNK_BUDGET_BYTES)
                ));
            }
        }
        // The same chunks again, a section's in one download (what a page
        // opened at that section's path fetches): no budget of their own,
        // but the sum a phone pays for a section, shared chunks included.
        for f in packs {
            let (name, raw, br) = named(&f);
            println!(
                "  a section in one download, {name}: {} brotli ({} raw)",
                kb(br),
                kb(raw)
            );
        }
    }
    // A build that keeps names for a profile is over by design.
    if release && !over.is_empty() && opt_flags().contains(&"--strip-debug") {
        bail!("over the size budget: {}", over.join("; "));
    }
    Ok(first_load)
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

    #[test]
    fn the_page_loads_its_own_build_folder() {
        let page = "<head>\n    <!-- app -->\n</head><body><div id=\"boot\"></div></body>";
        let html = page_with_app(page, "body{margin:0}", "/a/0123456789abcdef", "p();").unwrap();
        assert!(html.contains("<style>body{margin:0}</style>"));
        assert!(html.contains("import('/a/0123456789abcdef/main.js')"));
        assert!(html.contains("fetch('/a/0123456789abcdef/main_bg.wasm')"));
        assert_eq!(folder_of(&html), Some("/a/0123456789abcdef"));
        // The app is started after the page's own markup, and only once:
        // once a paint from after the page drew is reported (after the
        // member's card, when the page draws one), or after a frame where
        // none is ever reported, or after 250 ms, or a second.
        let boot = html.find("id=\"boot\"").unwrap();
        let starter = html
            .find("var go=function(){if(go.d)return;go.d=1;p();")
            .unwrap();
        assert!(boot < starter && html[starter..].contains("</script>\n</body>"));
        assert!(html.contains("e.startTime>=t;"));
        assert!(html.contains(".observe({type:k,buffered:true});setTimeout(go,250);"));
        assert!(html.contains(
            "window.ucFirst?window.ucFirst.then(function(t){after(t||0);}):after(0);setTimeout(go,1000);"
        ));
        // The preload script names the folder first; the loader is what counts.
        let with_preloads = page_with_app(
            page,
            "",
            "/a/0123456789abcdef",
            "l.href='/a/0123456789abcdef/'+f;",
        )
        .unwrap();
        assert_eq!(folder_of(&with_preloads), Some("/a/0123456789abcdef"));
        assert!(page_with_app("<head></head><body></body>", "", "/a/x", "").is_err());
        assert!(page_with_app("<head><!-- app --></head>", "", "/a/x", "").is_err());
    }

    #[test]
    fn the_inlined_stylesheet_loses_only_comments_and_indentation() {
        let css =
            "/* phone first */\n.a { color: red; }\n\n  .b {\n    margin: 0; /* none */\n  }\n";
        assert_eq!(minify_css(css), ".a { color: red; }\n.b {\nmargin: 0;\n}");
        let ours = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../style/main.css"),
        )
        .unwrap();
        // No rule may quote a comment marker: the minifier would cut it.
        assert!(!ours.contains("\"/*") && !ours.contains("'/*"));
        let small = minify_css(&ours);
        assert_eq!(small.matches('{').count(), ours.matches('{').count());
        assert!(small.len() < ours.len());
    }

    #[test]
    fn the_chunk_loader_is_written_compactly_and_keeps_every_module() {
        let block = |decl: &str, file: &str, deps: &str, wrap: bool| {
            format!(
                "/* aid, me */\n{decl} = {}makeLoad(() => {{\n    const src = fetch(new URL(\"./{file}.wasm\", import.meta.url));\n    \
                 src.catch(() => {{}});\n    return async (imports) => (WebAssembly.instantiateStreaming(src, imports));\n}}\n, [{deps}]){};\n",
                if wrap { "wrapAsyncCb(" } else { "" },
                if wrap { ")" } else { "" }
            )
        };
        let loader = format!(
            "import {{ initSync }} from \"./main.js\";\nfunction makeLoad(fetcher, deps) {{}}\n{}{}{}",
            block("const __chunk_3", "chunk_3", "", false),
            block("const __chunk_17", "chunk_17", "__chunk_3", false),
            block("export const __wasm_split_load_aid", "split_aid", "__chunk_3, __chunk_17", true),
        );
        let small = compact_loader(&loader).expect("the known shape");
        assert!(small.starts_with("import { initSync } from \"./main.js\";"));
        assert!(small.contains("const c3=C(\"./chunk_3.wasm\",[]);"));
        assert!(small.contains("const c17=C(\"./chunk_17.wasm\",[c3]);"));
        assert!(small.contains(
            "export const __wasm_split_load_aid=wrapAsyncCb(C(\"./split_aid.wasm\",[c3,c17]));"
        ));
        assert!(!small.contains("/*"));
        assert!(small.len() < loader.len());
        // Another shape: kept as it came.
        assert_eq!(
            compact_loader(&loader.replace("src.catch", "src.then")),
            None
        );
    }

    #[test]
    fn the_page_travels_without_its_comments() {
        let page = "<html>\n  <!-- why\n  it is so -->\n  <head>\n    <!-- app -->\n  </head>\n  \
                    <script>\n    // a reason\n    var a = 'x // y'; // kept\n  </script>\n</html>";
        assert_eq!(
            minify_page(page),
            "<html>\n<head>\n<!-- app -->\n</head>\n<script>\nvar a = 'x // y'; // kept\n</script>\n</html>"
        );
        // The real page keeps working: its mark and its scripts are there.
        let real = std::fs::read_to_string(crate::project_root().join("index.html")).unwrap();
        let small = minify_page(&real);
        assert!(small.contains("<!-- app -->"));
        assert_eq!(
            small.matches("<script>").count(),
            real.matches("<script>").count()
        );
        assert!(
            small.len() < real.len() * 3 / 4,
            "{} of {}",
            small.len(),
            real.len()
        );
    }

    /// The member's card the page draws on 首页 and 我的 before the app
    /// (index.html) is CardFace's, in its words: the app draws it again in
    /// place, and a word or class that differs would change under the
    /// member's eyes.
    #[test]
    fn the_pages_member_card_is_the_apps_card_face() {
        let root = crate::project_root();
        let page = std::fs::read_to_string(root.join("index.html")).unwrap();
        let zh = std::fs::read_to_string(root.join("src/i18n/zh.rs")).unwrap();
        let zh_says = |key: &str| {
            let entry = zh.split(&format!("    {key}:")).nth(1).unwrap();
            entry.split('"').nth(1).unwrap().to_string()
        };
        for key in [
            "card_title",
            "card_status_active",
            "card_active_help",
            "card_status_issued",
            "card_issued_help",
            "card_status_frozen",
            "card_frozen_help",
            "card_status_lost",
            "card_lost_help",
        ] {
            let words = zh_says(key);
            assert!(page.contains(&words), "the page lacks {key}: {words}");
        }
        assert!(page.contains(&format!("aria-label=\"{}\"", zh_says("card_number"))));
        assert!(page.contains(&format!(">{}' + esc(me.name)", zh_says("welcome"))));
        let face = std::fs::read_to_string(root.join("src/components/card_face.rs")).unwrap();
        for class in [
            "card-top",
            "card-title",
            "card-status status-",
            "card-union",
            "card-no",
            "card-bottom",
            "card-holder",
            "card-bank",
            "card-help",
        ] {
            // CardFace writes the status's class with format!.
            assert!(
                face.contains(&format!("\"{class}")),
                "CardFace lacks {class}"
            );
            assert!(
                page.contains(&format!("class=\"{class}")),
                "the page lacks {class}"
            );
        }
        let home = std::fs::read_to_string(root.join("src/pages/home.rs")).unwrap();
        let me = std::fs::read_to_string(root.join("src/pages/account/me.rs")).unwrap();
        for (source, markup) in [
            (&home, "<div class=\"page\">"),
            (&home, "<h2 class=\"greeting\">"),
            (&home, "<div class=\"card-slot\">"),
            (&me, "<section class=\"page\">"),
            (&me, "<p class=\"ok-text\""),
            (&me, "<div class=\"load-slot\">"),
        ] {
            assert!(source.contains(markup), "the app no longer draws {markup}");
            assert!(page.contains(markup), "the page lacks {markup}");
        }
        assert!(me.contains("both(\"我的\""));
        assert!(page.contains("<h2>我的</h2>"));
    }

    #[test]
    fn the_pages_guest_first_screen_says_what_the_app_says() {
        let root = crate::project_root();
        let page = std::fs::read_to_string(root.join("index.html")).unwrap();
        let zh = std::fs::read_to_string(root.join("src/i18n/zh.rs")).unwrap();
        let home = std::fs::read_to_string(root.join("src/pages/home.rs")).unwrap();
        for (key, words) in [
            ("home_guest_title", "您的工会会员服务卡"),
            (
                "home_guest_body",
                "商户优惠、职工医疗互助、小额担保贷款、技能培训，都在这张卡里。登录后随时查看和使用。",
            ),
            ("sign_in", "登录"),
            ("register", "注册"),
        ] {
            assert!(page.contains(&format!(">{words}<")), "the page lacks {words}");
            let entry = zh.split(&format!("    {key}:")).nth(1).unwrap();
            let value = entry.split('"').nth(1).unwrap();
            assert_eq!(value, words, "{key} changed in zh.rs: change index.html too");
        }
        for markup in [
            "class=\"hero\"",
            "class=\"actions\"",
            "href=\"/login\" attr:class=\"btn btn-primary\"",
            "href=\"/register\" attr:class=\"btn btn-light\"",
        ] {
            assert!(home.contains(markup), "home.rs lacks {markup}");
        }
        // The heading and introduction drawn for the screens of 服务.
        for (file, words) in [
            ("src/i18n/zh.rs", "会员服务"),
            ("src/i18n/zh.rs", "工会为会员提供的各项保障和服务，按下列说明办理。"),
            ("src/pages/offers.rs", "会员优惠"),
            (
                "src/pages/offers.rs",
                "签约商户给会员的折扣：购物、餐饮、看病、出行、文化教育。结账前先领一次性优惠码。",
            ),
            ("src/pages/aid/mod.rs", "医疗互助"),
            (
                "src/pages/aid/mod.rs",
                "每年交一点，住院、大病时工会帮一把。先算一算能领多少，再决定参加。",
            ),
            ("src/pages/loans/mod.rs", "创业担保贷款"),
            (
                "src/pages/loans/mod.rs",
                "工会担保、财政贴息，扶持登记失业人员和困难职工创业。先花一分钟测一测能不能贷、最多贷多少。",
            ),
            (
                "src/pages/loans/mod.rs",
                "请先登录：测算会用到会员名册中的信息（如性别），申请也要以会员身份提交。登录后会回到这里。",
            ),
            ("src/pages/training.rs", "技能培训"),
            ("src/pages/training.rs", "工会组织的职业技能和创业培训，很多对会员免费。"),
        ] {
            assert!(page.contains(&format!("'{words}'")), "the page lacks {words}");
            let source = std::fs::read_to_string(root.join(file)).unwrap();
            assert!(
                source.contains(&format!("\"{words}\"")),
                "{file} no longer says {words}: change index.html too"
            );
        }
        for (file, markup) in [
            (
                "src/pages/services.rs",
                "<section class=\"page\">\n            <h2>",
            ),
            (
                "src/pages/aid/mod.rs",
                "<section class=\"page\">\n            <h2>",
            ),
            (
                "src/pages/loans/mod.rs",
                "<section class=\"page\">\n            <h2>",
            ),
            (
                "src/pages/training.rs",
                "<section class=\"page\">\n            <h2>",
            ),
        ] {
            let source = std::fs::read_to_string(root.join(file)).unwrap();
            assert!(
                source.contains(markup),
                "{file}'s screen no longer starts as the page's"
            );
        }
        // A guest's sign-in prompt on 贷款, as the app's SignInFor draws it.
        let prompt = std::fs::read_to_string(root.join("src/components/shell.rs")).unwrap();
        assert!(prompt.contains("<div class=\"panel sign-in-for\" data-test=\"sign-in-for\">\n            <p>{why}</p>\n            <a href=href class=\"btn btn-primary btn-block\""));
        assert!(page.contains("<div class=\"panel sign-in-for\"><p>"));
        assert!(page.contains(
            "<a href=\"/login?next=%2Floans\" class=\"btn btn-primary btn-block\">登录</a>"
        ));
        assert!(page.contains("uc_signed="));
        assert!(std::fs::read_to_string(root.join("src/session.rs"))
            .unwrap()
            .contains("SIGNED_IN_HINT: &str = \"uc_signed\""));
    }

    #[test]
    fn a_pack_holds_its_sections_files_less_those_every_page_loads() {
        let dir = std::env::temp_dir().join(format!("uc-packs-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        for (f, bytes) in [
            ("split_hub.wasm", &b"hub"[..]),
            ("chunk_1.wasm", b"shared by all"),
            ("split_aid.wasm", b"aid's own"),
            ("chunk_2.wasm", b""),
        ] {
            std::fs::write(dir.join(f), bytes).unwrap();
        }
        let files = |v: &[&str]| v.iter().map(|f| f.to_string()).collect::<Vec<_>>();
        let sections = vec![
            (
                "hub".to_string(),
                files(&["split_hub.wasm", "chunk_1.wasm"]),
            ),
            (
                "aid".to_string(),
                files(&["split_aid.wasm", "chunk_1.wasm", "chunk_2.wasm"]),
            ),
        ];
        write_packs(&dir, &sections).unwrap();
        // Read back as the page's script reads it.
        let read = |name: &str| -> Vec<(String, Vec<u8>)> {
            let b = std::fs::read(dir.join(name)).unwrap();
            let n = u32::from_le_bytes(b[0..4].try_into().unwrap()) as usize;
            let (mut at, mut heads) = (4, Vec::new());
            for _ in 0..n {
                let l = b[at] as usize;
                let name = String::from_utf8(b[at + 1..at + 1 + l].to_vec()).unwrap();
                let size = u32::from_le_bytes(b[at + 1 + l..at + 5 + l].try_into().unwrap());
                heads.push((name, size as usize));
                at += 5 + l;
            }
            heads
                .into_iter()
                .map(|(name, size)| {
                    let body = b[at..at + size].to_vec();
                    at += size;
                    (name, body)
                })
                .collect()
        };
        assert_eq!(
            read("pack_hub.bin"),
            vec![
                ("split_hub.wasm".to_string(), b"hub".to_vec()),
                ("chunk_1.wasm".to_string(), b"shared by all".to_vec()),
            ]
        );
        assert_eq!(
            read("pack_aid.bin"),
            vec![
                ("split_aid.wasm".to_string(), b"aid's own".to_vec()),
                ("chunk_2.wasm".to_string(), Vec::new()),
            ]
        );
        // The page asks for the packs of the sections that have one.
        let script = preload_script("/a/0123", &sections, SECTION_PATHS);
        assert!(script.contains("['/aid','aid']"));
        assert!(!script.contains("['/offers','offers']"));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_deep_link_preloads_its_sections_files() {
        let loader = "const __chunk_3 = makeLoad(() => {\n}\n, []);\n\
            export const __wasm_split_load_aid = wrapAsyncCb(makeLoad(() => {\n\
            const src = fetch(new URL(\"./split_aid.wasm\", import.meta.url));\n}\n\
            , [__chunk_3, __chunk_17]));\n\
            export const __wasm_split_load_english = wrapAsyncCb(makeLoad(() => {\n}\n, []));\n";
        let files = section_files(loader);
        assert_eq!(
            files,
            vec![
                (
                    "aid".to_string(),
                    vec![
                        "split_aid.wasm".to_string(),
                        "chunk_3.wasm".to_string(),
                        "chunk_17.wasm".to_string()
                    ]
                ),
                (
                    "english".to_string(),
                    vec!["split_english.wasm".to_string()]
                ),
            ]
        );
        let script = preload_script("/a/0123", &files, SECTION_PATHS);
        assert!(script.contains("['/aid','aid']"));
        assert!(script.contains("fetch('/a/0123/pack_'+s+'.bin')"));
        // An app without the every-page section (the desk) asks for no
        // pack of it.
        assert!(script.contains("w=[];"), "{script}");
        let mut with_hub = files.clone();
        with_hub.push(("hub".to_string(), vec!["split_hub.wasm".to_string()]));
        let script = preload_script("/a/0123", &with_hub, SECTION_PATHS);
        assert!(script.contains("w=['hub'];"), "{script}");
        // Every section a path names is one the router has.
        for (_, section) in SECTION_PATHS {
            assert!(
                [
                    "offers",
                    "merchant",
                    "training",
                    "aid",
                    "claims",
                    "loans",
                    "loan",
                    "me",
                    "account",
                    "cashier",
                    "search",
                    "hardship",
                    "education",
                    "centres",
                    "transfer",
                    "rights",
                    "rights_case",
                    "counselling"
                ]
                .contains(section),
                "{section}"
            );
        }
        for (_, section) in DESK_SECTION_PATHS {
            assert!(
                [
                    "desk_aid",
                    "desk_loans",
                    "desk_requests",
                    "desk_members",
                    "desk_training",
                    "desk_figures",
                    "desk_hardship",
                    "desk_payments",
                    "desk_batch",
                    "desk_education",
                    "desk_model_workers",
                    "desk_rights",
                    "desk_rights_case",
                    "desk_counselling"
                ]
                .contains(section),
                "{section}"
            );
        }
    }

    #[test]
    fn a_changed_byte_changes_the_build_folder() {
        let dir = std::env::temp_dir().join(format!("xtask-hash-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("snippets")).unwrap();
        std::fs::write(dir.join("main.js"), "a").unwrap();
        std::fs::write(dir.join("snippets/x.js"), "b").unwrap();
        let first = tree_hash(&dir).unwrap();
        assert_eq!(first.len(), 16);
        assert_eq!(tree_hash(&dir).unwrap(), first);
        std::fs::write(dir.join("snippets/x.js"), "c").unwrap();
        assert_ne!(tree_hash(&dir).unwrap(), first);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
