//! The optimised server with the demo city, started the way the benchmarks
//! and the Lighthouse run need it, and the small HTTP/1.1 client they talk
//! to it with (no HTTP crate in xtask: a request is a few lines of text).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};

/// The running server, stopped when dropped.
pub struct Server {
    child: Child,
    /// Where it listens, `127.0.0.1:PORT`.
    pub addr: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `target/server/unioncard-server` with `--demo` on a free loopback
/// port, its database and files in `dir`, serving `dist` when given and
/// taking the `extra` flags; waits up to `wait` until `/healthz` answers.
pub fn start(
    root: &Path,
    dir: &Path,
    dist: Option<&Path>,
    extra: &[&str],
    wait: Duration,
) -> Result<Server> {
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let addr = format!("127.0.0.1:{port}");
    let mut command = Command::new(root.join("target/server/unioncard-server"));
    command.args(["--listen", &addr, "--demo"]).args(extra);
    if let Some(dist) = dist {
        command.arg("--static").arg(dist);
    }
    // SQLite in `dir` unless the flags name a database.
    if !extra.contains(&"--database") {
        command
            .arg("--database")
            .arg(format!("sqlite://{}", dir.join("demo.db").display()));
    }
    let child = command
        .arg("--data-dir")
        .arg(dir)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .spawn()
        .context("starting the server")?;
    let server = Server { child, addr };
    let deadline = Instant::now() + wait;
    while request(&server.addr, "GET", "/healthz", None, None)
        .map(|r| r.0)
        .ok()
        != Some(200)
    {
        if Instant::now() > deadline {
            bail!("the server did not come up in {} s", wait.as_secs());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Ok(server)
}

/// Signs in through the API; the cookies it set, as a `Cookie` header's value.
pub fn sign_in(addr: &str, phone: &str, password: &str) -> Result<String> {
    let body = format!(r#"{{"phone":"{phone}","password":"{password}"}}"#);
    let (status, headers, _) = request(addr, "POST", "/api/auth/login", Some(&body), None)?;
    if status != 200 {
        bail!("signing in as {phone} answered {status}");
    }
    let cookies: Vec<&str> = headers
        .iter()
        .filter_map(|h| h.split_once(':'))
        .filter(|(name, _)| name.trim().eq_ignore_ascii_case("set-cookie"))
        .filter_map(|(_, v)| v.trim().split(';').next())
        .collect();
    if cookies.is_empty() {
        bail!("signing in as {phone} set no cookie");
    }
    Ok(cookies.join("; "))
}

/// Status, header lines, body.
pub type Reply = (u16, Vec<String>, Vec<u8>);

/// One JSON request on its own connection.
pub fn request(
    addr: &str,
    method: &str,
    path: &str,
    body: Option<&str>,
    cookie: Option<&str>,
) -> Result<Reply> {
    let mut stream = TcpStream::connect(addr)?;
    exchange(&mut stream, method, path, body, cookie)
}

/// One JSON request and its answer on a kept-alive connection.
pub fn exchange(
    stream: &mut TcpStream,
    method: &str,
    path: &str,
    body: Option<&str>,
    cookie: Option<&str>,
) -> Result<Reply> {
    exchange_with(
        stream,
        method,
        path,
        body.unwrap_or(""),
        cookie,
        "application/json",
    )
}

/// One request with a body of the given type.
pub fn exchange_with(
    stream: &mut TcpStream,
    method: &str,
    path: &str,
    body: &str,
    cookie: Option<&str>,
    content_type: &str,
) -> Result<Reply> {
    let mut req = format!(
        "{method} {path} HTTP/1.1\r\nHost: bench\r\nX-Requested-With: unioncard\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n",
        body.len()
    );
    if let Some(c) = cookie {
        req.push_str(&format!("Cookie: {c}\r\n"));
    }
    req.push_str("\r\n");
    req.push_str(body);
    exchange_raw(stream, &req)
}

/// Sends a whole request as written and reads its answer, by length or in
/// chunks.
pub fn exchange_raw(stream: &mut TcpStream, req: &str) -> Result<Reply> {
    stream.set_read_timeout(Some(Duration::from_secs(300)))?;
    stream.write_all(req.as_bytes())?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut status_line = String::new();
    reader.read_line(&mut status_line)?;
    let status: u16 = status_line
        .split_whitespace()
        .nth(1)
        .unwrap_or("0")
        .parse()
        .unwrap_or(0);
    let mut headers = Vec::new();
    let mut len = 0usize;
    let mut chunked = false;
    loop {
        let mut line = String::new();
        reader.read_line(&mut line)?;
        let line = line.trim_end().to_string();
        if line.is_empty() {
            break;
        }
        let lower = line.to_ascii_lowercase();
        if let Some(v) = lower.strip_prefix("content-length:") {
            len = v.trim().parse().unwrap_or(0);
        }
        if lower.starts_with("transfer-encoding:") && lower.contains("chunked") {
            chunked = true;
        }
        headers.push(line);
    }
    let mut buf = Vec::new();
    if chunked {
        loop {
            let mut size = String::new();
            reader.read_line(&mut size)?;
            let n = usize::from_str_radix(size.trim().split(';').next().unwrap_or("0"), 16)?;
            let mut chunk = vec![0u8; n + 2];
            reader.read_exact(&mut chunk)?;
            if n == 0 {
                break;
            }
            buf.extend_from_slice(&chunk[..n]);
        }
    } else {
        buf = vec![0u8; len];
        reader.read_exact(&mut buf)?;
    }
    Ok((status, headers, buf))
}
