//! The browser test harness: for each test, the real server binary over a
//! fresh SQLite database with the demo data, the real release build of the
//! app, and headless Chromium at a phone's size (390×844) driven through
//! ChromeDriver. Everything listens on 127.0.0.1 only.
//!
//! Set by `cargo xtask test`: `UNIONCARD_SERVER_BIN`, `UNIONCARD_DIST`,
//! `CHROMEDRIVER`.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

/// How long a test waits for something to appear before failing.
pub const PATIENCE: Duration = Duration::from_secs(15);

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

async fn wait_for_port(port: u16, what: &str) -> Result<()> {
    let deadline = Instant::now() + Duration::from_secs(30);
    while tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .is_err()
    {
        if Instant::now() > deadline {
            bail!("{what} did not start listening on {port}");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Ok(())
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

impl Phone {
    /// Starts a server with the demo data and a 390×844 phone.
    pub async fn start() -> Result<Phone> {
        Phone::start_sized(390, 844).await
    }

    /// Starts a server with the demo data and a phone of the given viewport.
    pub async fn start_sized(width: u32, height: u32) -> Result<Phone> {
        let dir = tempfile::tempdir()?;
        let server_bin = env_path("UNIONCARD_SERVER_BIN", "target/debug/unioncard-server");
        let dist = env_path("UNIONCARD_DIST", "dist");
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
                .arg(&dist)
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
        let deadline = Instant::now() + PATIENCE;
        let mut last = String::new();
        loop {
            if let Ok(el) = self.client.find(Locator::Css(css)).await {
                if let Ok(text) = el.text().await {
                    if text.contains(needle) {
                        return Ok(text);
                    }
                    last = text;
                }
            }
            if Instant::now() > deadline {
                bail!("{css} never contained {needle:?}; last text {last:?}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits until the path of the current URL is `path`.
    pub async fn wait_path(&self, path: &str) -> Result<()> {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let url = self.client.current_url().await?;
            if url.path() == path {
                return Ok(());
            }
            if Instant::now() > deadline {
                bail!("expected to be at {path}, still at {url}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
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

    /// Runs axe-core on the current page; returns the serious and critical
    /// violations as "rule: target" lines.
    pub async fn accessibility_violations(&self) -> Result<Vec<String>> {
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
