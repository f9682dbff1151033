//! The browser test harness: for each test, the real server binary over a
//! fresh SQLite database with the demo data, the real release build of the
//! app, and headless Chromium at a phone's size (390×844) driven through
//! ChromeDriver. Everything listens on 127.0.0.1 only.
//!
//! Set by `cargo xtask test`: `UNIONCARD_SERVER_BIN`, `UNIONCARD_DIST`,
//! `CHROMEDRIVER`.

use std::future::Future;
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, ensure, Context, Result};
use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

/// How long a test waits for something to appear before failing.
pub const PATIENCE: Duration = Duration::from_secs(15);

/// How often a wait looks again.
const POLL: Duration = Duration::from_millis(100);

/// Waits until `check` succeeds, looking again every 100 ms for up to
/// [`PATIENCE`], and returns what it gave. An error from `check` means "not
/// yet": it should say what was seen instead, and the last one is in the
/// failure message ("waited 15 s for WHAT: LAST").
///
/// ```ignore
/// let text = wait_for(|| async move {
///     let text = b.find("main").await?.text().await?;
///     ensure!(text.contains("已提交"), "the screen said {text:?}");
///     Ok(text)
/// }, "the claim to be sent").await?;
/// ```
pub async fn wait_for<T, F, Fut>(check: F, what: &str) -> Result<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T>>,
{
    poll(PATIENCE, POLL, check, what).await
}

/// Waits until `check` answers true (an error counts as "not yet"), for up
/// to [`PATIENCE`]; fails saying it waited for `what`.
pub async fn wait_until<F, Fut>(mut check: F, what: &str) -> Result<()>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<bool>>,
{
    wait_for(
        || {
            let answer = check();
            async move {
                ensure!(answer.await?, "not yet");
                Ok(())
            }
        },
        what,
    )
    .await
}

/// The one polling loop: `check` until it succeeds or `limit` has passed.
async fn poll<T, F, Fut>(limit: Duration, every: Duration, mut check: F, what: &str) -> Result<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T>>,
{
    let deadline = Instant::now() + limit;
    loop {
        let last = match check().await {
            Ok(value) => return Ok(value),
            Err(e) => e,
        };
        if Instant::now() >= deadline {
            return Err(last.context(format!("waited {} s for {what}", limit.as_secs())));
        }
        tokio::time::sleep(every).await;
    }
}

struct Process(Child);

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A browser session on the app: the helpers a test uses to act like a person.
/// Derefs to the WebDriver client for everything else.
pub struct Browser {
    /// The WebDriver session.
    pub client: Client,
    /// `http://127.0.0.1:PORT`.
    pub base: String,
}

impl std::ops::Deref for Browser {
    type Target = Client;
    fn deref(&self) -> &Client {
        &self.client
    }
}

/// One test's world: a server, a phone's browser, and their temporary folders.
/// Derefs to its [`Browser`].
pub struct Phone {
    /// The phone's browser.
    pub browser: Browser,
    server: Option<Process>,
    driver_port: u16,
    _driver: Process,
    dir: tempfile::TempDir,
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

/// Waits (up to 30 s: a cold start of a debug server or of Chromium is slow)
/// until something listens on the port.
async fn wait_for_port(port: u16, what: &str) -> Result<()> {
    poll(
        Duration::from_secs(30),
        Duration::from_millis(50),
        || async move {
            tokio::net::TcpStream::connect(("127.0.0.1", port)).await?;
            Ok(())
        },
        &format!("{what} to listen on {port}"),
    )
    .await
}

fn env_path(name: &str, default: &str) -> PathBuf {
    std::env::var_os(name)
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("..")
                .join(default)
        })
}

/// A copy of the built app for a test that changes it (holds a file back),
/// and the folder of the member app's build in it.
pub fn copy_of_app() -> Result<(tempfile::TempDir, PathBuf)> {
    let copy = tempfile::tempdir()?;
    copy_dir(&Phone::built_app(), copy.path())?;
    let page = std::fs::read_to_string(copy.path().join("index.html"))?;
    // The build folder the page's loader imports from.
    const LOADER: &str = "import('/";
    let start = page.find(LOADER).context("the app's loader")? + LOADER.len();
    let len = page[start..].find("/main.js").context("its main.js")?;
    let build = copy.path().join(&page[start..start + len]);
    Ok((copy, build))
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}

impl Phone {
    /// Starts a server with the demo data and a 390×844 phone.
    pub async fn start() -> Result<Phone> {
        Phone::start_sized(390, 844).await
    }

    /// Starts a server with the demo data and a phone of the given viewport.
    pub async fn start_sized(width: u32, height: u32) -> Result<Phone> {
        Phone::start_serving(&env_path("UNIONCARD_DIST", "dist"), width, height).await
    }

    /// The built app, for a test that serves its own copy of it.
    pub fn built_app() -> PathBuf {
        env_path("UNIONCARD_DIST", "dist")
    }

    /// Starts a server with the demo data, serving the app from `dist`, and a
    /// phone of the given viewport.
    pub async fn start_serving(dist: &std::path::Path, width: u32, height: u32) -> Result<Phone> {
        let dir = tempfile::tempdir()?;
        let server_bin = env_path("UNIONCARD_SERVER_BIN", "target/debug/unioncard-server");
        if !dist.join("index.html").exists() {
            bail!("no built app in {}: run `cargo xtask test`", dist.display());
        }
        let port = free_port();
        let server = Process(
            Command::new(&server_bin)
                .args([
                    "--listen",
                    &format!("127.0.0.1:{port}"),
                    "--demo",
                    "--members",
                    "300",
                ])
                .arg("--database")
                .arg(format!("sqlite://{}", dir.path().join("e2e.db").display()))
                .arg("--static")
                .arg(dist)
                .arg("--data-dir")
                .arg(dir.path())
                .env("RUST_LOG", "warn")
                .stdout(Stdio::null())
                .spawn()
                .with_context(|| format!("starting {}", server_bin.display()))?,
        );
        wait_for_port(port, "the server").await?;

        let driver_port = free_port();
        let driver_bin =
            std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into());
        let driver = Process(
            Command::new(&driver_bin)
                .arg(format!("--port={driver_port}"))
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .with_context(|| format!("starting {driver_bin}"))?,
        );
        wait_for_port(driver_port, "chromedriver").await?;

        let browser = open_browser(
            driver_port,
            &dir.path().join("chromium-profile"),
            width,
            height,
        )
        .await?;
        Ok(Phone {
            browser: Browser {
                client: browser,
                base: format!("http://127.0.0.1:{port}"),
            },
            server: Some(server),
            driver_port,
            _driver: driver,
            dir,
        })
    }

    /// A second phone (its own browser profile and cookies) on the same server.
    pub async fn another_phone(&self) -> Result<Browser> {
        let profile = self
            .dir
            .path()
            .join(format!("chromium-profile-{}", free_port()));
        Ok(Browser {
            client: open_browser(self.driver_port, &profile, 390, 844).await?,
            base: self.browser.base.clone(),
        })
    }
}

/// A headless Chromium session with a phone's viewport and its own profile.
async fn open_browser(
    driver_port: u16,
    profile: &std::path::Path,
    width: u32,
    height: u32,
) -> Result<Client> {
    let mut caps = serde_json::Map::new();
    caps.insert(
            "goog:chromeOptions".into(),
            json!({
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                    "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                    "--hide-scrollbars", "--lang=zh-CN",
                    format!("--user-data-dir={}", profile.display()),
                ],
                // Headless windows are at least 500 px wide; emulate the phone's viewport.
                "mobileEmulation": {
                    "deviceMetrics": { "width": width, "height": height, "pixelRatio": 1.0, "touch": true }
                },
            }),
        );
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{driver_port}"))
        .await
        .context("opening a browser session")
}

impl Browser {
    /// Opens a path of the app.
    pub async fn open(&self, path: &str) -> Result<()> {
        self.client.goto(&format!("{}{path}", self.base)).await?;
        Ok(())
    }

    /// Waits for an element.
    pub async fn find(&self, css: &str) -> Result<Element> {
        self.client
            .wait()
            .at_most(PATIENCE)
            .for_element(Locator::Css(css))
            .await
            .with_context(|| format!("waiting for {css}"))
    }

    /// Types into a field.
    pub async fn fill(&self, css: &str, text: &str) -> Result<()> {
        let el = self.find(css).await?;
        el.clear().await?;
        el.send_keys(text).await?;
        Ok(())
    }

    /// Clicks an element, scrolling it to the middle of the screen first as a
    /// person would (the tab bar covers the bottom edge).
    pub async fn click(&self, css: &str) -> Result<()> {
        let el = self.find(css).await?;
        self.client
            .execute(
                "arguments[0].scrollIntoView({block: 'center'});",
                vec![serde_json::to_value(&el)?],
            )
            .await?;
        el.click().await?;
        Ok(())
    }

    /// Sets a field's value as a picker would (date inputs take no typing
    /// in a locale-independent way) and tells the app it changed.
    pub async fn set_value(&self, css: &str, value: &str) -> Result<()> {
        let el = self.find(css).await?;
        self.client
            .execute(
                "arguments[0].value = arguments[1];
                 arguments[0].dispatchEvent(new Event('input', {bubbles: true}));
                 arguments[0].dispatchEvent(new Event('change', {bubbles: true}));",
                vec![serde_json::to_value(&el)?, serde_json::Value::from(value)],
            )
            .await?;
        Ok(())
    }

    /// Chooses a file in a file input, as the phone's picker would.
    pub async fn choose_file(&self, css: &str, path: &std::path::Path) -> Result<()> {
        let el = self.find(css).await?;
        el.send_keys(&path.display().to_string()).await?;
        Ok(())
    }

    /// Scrolls an element to the middle of the screen (for a screenshot).
    pub async fn scroll_to(&self, css: &str) -> Result<()> {
        let el = self.find(css).await?;
        self.client
            .execute(
                "arguments[0].scrollIntoView({block: 'center'});",
                vec![serde_json::to_value(&el)?],
            )
            .await?;
        Ok(())
    }

    /// The current URL's path.
    pub async fn path(&self) -> Result<String> {
        Ok(self.client.current_url().await?.path().to_string())
    }

    /// Waits until the element's text contains `needle`; returns the text.
    pub async fn wait_text(&self, css: &str, needle: &str) -> Result<String> {
        wait_for(
            || async move {
                let el = self
                    .client
                    .find(Locator::Css(css))
                    .await
                    .with_context(|| format!("no {css} on the screen"))?;
                let text = el.text().await?;
                ensure!(text.contains(needle), "its text was {text:?}");
                Ok(text)
            },
            &format!("{css} to contain {needle:?}"),
        )
        .await
    }

    /// Waits until the path of the current URL is `path`.
    pub async fn wait_path(&self, path: &str) -> Result<()> {
        wait_for(
            || async move {
                let url = self.client.current_url().await?;
                ensure!(url.path() == path, "still at {url}");
                Ok(())
            },
            &format!("the app to be at {path}"),
        )
        .await
    }

    /// Waits until `script`, run in the page, returns `true`. The script is
    /// a function body: it may `await` (the browser waits for its promise),
    /// and should return what it saw instead of `true` when the condition
    /// does not hold yet, for the failure message.
    pub async fn wait_script(&self, script: &str, what: &str) -> Result<()> {
        wait_for(
            || async move {
                let seen = self.client.execute(script, vec![]).await?;
                ensure!(
                    seen == serde_json::Value::Bool(true),
                    "the page said {seen}"
                );
                Ok(())
            },
            what,
        )
        .await
    }

    /// Waits until the screen has finished loading: the app runs (its boot
    /// splash is gone), it shows its `main`, and no spinner is left (every
    /// fetch the screen made has been answered).
    pub async fn wait_loaded(&self) -> Result<()> {
        self.wait_script(
            "if (document.getElementById('boot')) return 'the boot splash';
             if (!document.querySelector('main')) return 'no main';
             if (document.querySelector('.first-screen')) return 'the first screen of the page, its code still coming';
             const spinners = document.querySelectorAll('.loading').length;
             return spinners === 0 || spinners + ' spinner(s)';",
            "the screen to finish loading",
        )
        .await
    }

    /// Waits until the page's local storage holds `key`; returns its value.
    pub async fn wait_stored(&self, key: &str) -> Result<String> {
        wait_for(
            || async move {
                let value = self
                    .client
                    .execute(
                        "return localStorage.getItem(arguments[0]);",
                        vec![serde_json::Value::from(key)],
                    )
                    .await?;
                value
                    .as_str()
                    .map(str::to_string)
                    .context("not in local storage")
            },
            &format!("the phone to keep {key:?}"),
        )
        .await
    }

    /// Waits until the app would open with no signal: the service worker
    /// controls the page and its cache holds the shell (`/`) and every file
    /// the page names (the hashed JS, wasm and CSS, the manifest, the icon).
    pub async fn wait_offline_ready(&self) -> Result<()> {
        self.wait_script(
            r#"if (!(navigator.serviceWorker && navigator.serviceWorker.controller))
                   return 'no service worker in control';
               const files = [...document.querySelectorAll('link[href], script[src]')]
                   .map(e => e.getAttribute('href') || e.getAttribute('src'))
                   .filter(u => /^\/[^?#]+\.(js|wasm|css|svg|webmanifest)$/.test(u));
               for (const u of ['/', ...files]) {
                   if (!(await caches.match(u))) return 'not kept yet: ' + u;
               }
               return true;"#,
            "the service worker to keep the app shell",
        )
        .await
    }

    /// Signs in through the form.
    pub async fn sign_in(&self, phone: &str, password: &str) -> Result<()> {
        self.open("/login").await?;
        self.fill("#phone", phone).await?;
        self.fill("#password", password).await?;
        self.click("form[data-test=login-form] button[type=submit]")
            .await?;
        Ok(())
    }

    /// Saves a screenshot under `target/screenshots/NAME.png` for people to look at.
    pub async fn screenshot(&self, name: &str) -> Result<()> {
        let png = self.client.screenshot().await?;
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/screenshots");
        std::fs::create_dir_all(&dir)?;
        std::fs::write(dir.join(format!("{name}.png")), png)?;
        Ok(())
    }

    /// Checks the screen as it shows once loaded (see [`Browser::wait_loaded`])
    /// with axe-core: fails listing every serious or critical violation,
    /// naming the screen.
    pub async fn assert_accessible(&self, screen: &str) -> Result<()> {
        self.wait_loaded()
            .await
            .with_context(|| format!("{screen}: before the accessibility scan"))?;
        let violations = self.accessibility_violations().await?;
        if !violations.is_empty() {
            bail!(
                "{screen}: {} serious accessibility problem(s):\n  {}",
                violations.len(),
                violations.join("\n  ")
            );
        }
        Ok(())
    }

    /// Checks what a thumb and an eye need, as the screen shows once loaded:
    /// every visible tappable element is at least 44×44 CSS px (a checkbox
    /// counts with its label), and no number (an amount, a date, an ID or
    /// voucher number) is broken across two lines. Fails listing each.
    pub async fn assert_phone_friendly(&self, screen: &str) -> Result<()> {
        self.wait_loaded()
            .await
            .with_context(|| format!("{screen}: before the phone checks"))?;
        let found = self
            .client
            .execute(
                r#"const bad = [];
                   const name = el => (el.getAttribute('data-test') || el.id || el.tagName.toLowerCase()) +
                       ' "' + (el.innerText || el.value || el.getAttribute('aria-label') || '').trim().slice(0, 24) + '"';
                   const seen = el => { const r = el.getBoundingClientRect(); const st = getComputedStyle(el);
                       return r.width > 0 && r.height > 0 && st.visibility !== 'hidden' && !el.closest('.skip-link'); };
                   for (const el of document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button], [role=switch]')) {
                       if (!seen(el)) continue;
                       let box = el;
                       if (el.type === 'checkbox' || el.type === 'radio' || el.type === 'file') box = (el.labels && el.labels[0]) || el.closest('label') || el.parentElement;
                       const r = box.getBoundingClientRect();
                       if (Math.round(r.width) < 44 || Math.round(r.height) < 44)
                           bad.push('target ' + name(el) + ' is ' + Math.round(r.width) + '×' + Math.round(r.height));
                   }
                   const walker = document.createTreeWalker(document.querySelector('main') || document.body, NodeFilter.SHOW_TEXT);
                   const number = /[¥]?[0-9A-Z][0-9A-Z*]*(?:[-,.:\/年月日][0-9*]+)+[年月日]?|[0-9*]{6,}|[0-9]{4,}/g;
                   for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                       if (!node.parentElement || !seen(node.parentElement)) continue;
                       for (const m of node.data.matchAll(number)) {
                           if (!/[0-9]/.test(m[0])) continue;
                           const range = document.createRange();
                           range.setStart(node, m.index);
                           range.setEnd(node, m.index + m[0].length);
                           const tops = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
                           if (tops.size > 1) bad.push('number "' + m[0] + '" breaks across lines');
                       }
                   }
                   return bad;"#,
                vec![],
            )
            .await?;
        let bad: Vec<String> = serde_json::from_value(found)?;
        if !bad.is_empty() {
            bail!(
                "{screen}: {} problem(s):\n  {}",
                bad.len(),
                bad.join("\n  ")
            );
        }
        Ok(())
    }

    /// Runs axe-core on the current page; returns the serious and critical
    /// violations as "rule: target" lines.
    async fn accessibility_violations(&self) -> Result<Vec<String>> {
        let axe_path = env_path("AXE_CORE_JS", ".tools/node_modules/axe-core/axe.min.js");
        let axe = std::fs::read_to_string(&axe_path)
            .with_context(|| format!("reading {}", axe_path.display()))?;
        self.client.execute(&axe, vec![]).await?;
        let result = self
            .client
            .execute_async(
                r#"const done = arguments[arguments.length - 1];
                   axe.run(document, { resultTypes: ['violations'] })
                      .then(r => done(r.violations
                          .filter(v => v.impact === 'serious' || v.impact === 'critical')
                          .map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))))
                      .catch(e => done(['axe failed: ' + e]));"#,
                vec![],
            )
            .await?;
        Ok(serde_json::from_value(result)?)
    }
}

impl Phone {
    /// Stops the server, as if the phone lost its signal.
    pub fn stop_server(&mut self) {
        self.server.take();
    }

    /// Ends the browser session.
    pub async fn close(self) -> Result<()> {
        self.browser.client.close().await?;
        Ok(())
    }
}

impl std::ops::Deref for Phone {
    type Target = Browser;
    fn deref(&self) -> &Browser {
        &self.browser
    }
}

/// Notes an effort figure (taps, answers): printed, and added to the file
/// `UNIONCARD_EFFORT` names, which `cargo xtask test` prints at the end.
pub fn effort(line: &str) {
    println!("effort: {line}");
    if let Some(path) = std::env::var_os("UNIONCARD_EFFORT") {
        use std::io::Write;
        if let Ok(mut f) = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
        {
            let _ = writeln!(f, "  {line}");
        }
    }
}

/// Writes a real PNG of the given size, like a phone camera's photo of a
/// receipt: lines of "print" on paper with sensor noise, so it compresses as
/// badly as a real photo does (4000×3000 weighs over 10 MB).
pub fn write_png(path: &std::path::Path, width: u32, height: u32) -> Result<()> {
    use std::io::Write;
    let mut raw = Vec::with_capacity(((width * 3 + 1) * height) as usize);
    let mut seed: u32 = 0x2026_1124;
    for y in 0..height {
        raw.push(0); // no filter
        for x in 0..width {
            seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            let noise = (seed >> 24) as u8 / 4;
            let dark = (y / 40) % 5 == 0 && x > width / 10 && x < width * 9 / 10;
            let v: u8 = if dark { 40 + noise } else { 190 + noise };
            raw.extend_from_slice(&[v, v, v.saturating_sub(10)]);
        }
    }
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    z.write_all(&raw)?;
    let idat = z.finish()?;
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut chunk = |kind: &[u8], data: &[u8]| {
        png.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let mut crc = flate2::Crc::new();
        crc.update(kind);
        crc.update(data);
        png.extend_from_slice(kind);
        png.extend_from_slice(data);
        png.extend_from_slice(&crc.sum().to_be_bytes());
    };
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&width.to_be_bytes());
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    chunk(b"IHDR", &ihdr);
    chunk(b"IDAT", &idat);
    chunk(b"IEND", &[]);
    std::fs::write(path, png)?;
    Ok(())
}
