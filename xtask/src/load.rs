//! Load on a server, two ways:
//! - [`closed`]: as fast as it answers (wrk, from Debian: 2 threads, a
//!   number of kept-alive connections, a fixed time), for throughput;
//! - [`steady`]: a fixed rate of requests from a mix, whatever the server
//!   does (an open loop, as phones arrive). Each request's latency counts
//!   from when it was due, not from when it was sent, so a server that
//!   stalls is charged for the requests that queued behind the stall
//!   (what wrk2 calls coordinated omission; wrk itself would hide it).
//!
//! Both are bounded in time and in count.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};

/// What a load run measured.
#[derive(Clone, Debug, Default)]
pub struct Load {
    /// Answers per second over the run.
    pub rate: f64,
    /// Latency percentiles, milliseconds.
    pub p50: f64,
    pub p90: f64,
    pub p99: f64,
    /// The slowest answer (steady runs only; wrk does not print it alone).
    pub max: f64,
    /// Answers that were not 2xx, and broken connections.
    pub errors: u64,
}

impl std::fmt::Display for Load {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{:.0} req/s, p50 {:.2} ms, p90 {:.2} ms, p99 {:.2} ms",
            self.rate, self.p50, self.p90, self.p99
        )?;
        if self.max > 0.0 {
            write!(f, ", max {:.2} ms", self.max)?;
        }
        if self.errors > 0 {
            write!(f, ", {} errors", self.errors)?;
        }
        Ok(())
    }
}

/// wrk, installed from Debian when missing.
fn ensure_wrk() -> Result<()> {
    if Command::new("wrk").arg("--version").output().is_ok() {
        return Ok(());
    }
    crate::tools::apt_install(&["wrk"])
}

/// `GET url` as fast as the server answers: wrk with 2 threads and
/// `connections` kept-alive connections for `secs` seconds.
pub fn closed(url: &str, connections: usize, secs: u64) -> Result<Load> {
    ensure_wrk()?;
    let out = Command::new("wrk")
        .args([
            "-t2",
            &format!("-c{connections}"),
            &format!("-d{secs}s"),
            "--latency",
            url,
        ])
        .output()
        .context("running wrk")?;
    let text = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        bail!("wrk failed: {text}");
    }
    parse_wrk(&text).with_context(|| format!("reading wrk's report:\n{text}"))
}

/// Reads wrk's `--latency` report.
fn parse_wrk(text: &str) -> Result<Load> {
    let mut load = Load::default();
    let mut saw_rate = false;
    for line in text.lines().map(str::trim) {
        let mut words = line.split_whitespace();
        match (words.next(), words.next()) {
            (Some("Requests/sec:"), Some(v)) => {
                load.rate = v.parse()?;
                saw_rate = true;
            }
            (Some("50%"), Some(v)) => load.p50 = wrk_ms(v)?,
            (Some("90%"), Some(v)) => load.p90 = wrk_ms(v)?,
            (Some("99%"), Some(v)) => load.p99 = wrk_ms(v)?,
            (Some("Non-2xx"), _) => {
                load.errors += line.rsplit(' ').next().unwrap_or("0").parse::<u64>()?;
            }
            (Some("Socket"), _) => {
                // "Socket errors: connect 0, read 0, write 0, timeout 0"
                load.errors += line
                    .split(',')
                    .filter_map(|p| p.split_whitespace().last()?.parse::<u64>().ok())
                    .sum::<u64>();
            }
            _ => {}
        }
    }
    if !saw_rate {
        bail!("no Requests/sec line");
    }
    Ok(load)
}

/// wrk's durations: `812.00us`, `3.41ms`, `1.02s`.
fn wrk_ms(v: &str) -> Result<f64> {
    let (number, factor) = if let Some(n) = v.strip_suffix("us") {
        (n, 0.001)
    } else if let Some(n) = v.strip_suffix("ms") {
        (n, 1.0)
    } else if let Some(n) = v.strip_suffix('s') {
        (n, 1000.0)
    } else {
        bail!("not a duration: {v}");
    };
    Ok(number.parse::<f64>()? * factor)
}

/// One kind of request in a mix: the whole request as written, and how
/// many of every hundred are this one.
pub struct Kind {
    pub request: String,
    pub share: u32,
}

/// A `GET` as a phone sends it (no compression asked, kept alive).
pub fn get(path: &str, cookie: Option<&str>) -> String {
    format!(
        "GET {path} HTTP/1.1\r\nHost: bench\r\nX-Requested-With: unioncard\r\n{}\r\n",
        cookie
            .map(|c| format!("Cookie: {c}\r\n"))
            .unwrap_or_default()
    )
}

/// `rate` requests a second for `secs` seconds, drawn from `mix` in a fixed
/// interleaving, spread over `connections` connections. Request `i` is due
/// at `start + i / rate`; connection `k` sends requests `k, k + n, …` and
/// never sends one before it is due. Latency is measured from the due time.
pub fn steady(addr: &str, mix: &[Kind], rate: u32, secs: u64, connections: usize) -> Result<Load> {
    let total: u32 = mix.iter().map(|k| k.share).sum();
    if total == 0 || rate == 0 || connections == 0 {
        bail!("an empty mix, rate or connection count");
    }
    // Which kind request i is: the shares laid out evenly over a hundred.
    let order: Vec<usize> = {
        let mut slots: Vec<(f64, usize)> = Vec::new();
        for (k, kind) in mix.iter().enumerate() {
            for j in 0..kind.share {
                slots.push(((j as f64 + 0.5) / kind.share as f64, k));
            }
        }
        slots.sort_by(|a, b| a.0.total_cmp(&b.0));
        slots.into_iter().map(|(_, k)| k).collect()
    };
    let count = rate as u64 * secs;
    // The run may overrun its time only by this much before it stops.
    let give_up = Duration::from_secs(secs + 30);
    let start = Instant::now() + Duration::from_millis(200);
    let results: Vec<Result<(Vec<Duration>, u64)>> = std::thread::scope(|s| {
        let workers: Vec<_> = (0..connections)
            .map(|k| {
                let order = &order;
                s.spawn(move || -> Result<(Vec<Duration>, u64)> {
                    let stream = TcpStream::connect(addr)?;
                    stream.set_nodelay(true)?;
                    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
                    let mut conn = BufReader::new(stream);
                    let mut times = Vec::with_capacity((count as usize / connections) + 1);
                    let mut errors = 0;
                    let mut i = k as u64;
                    while i < count {
                        let due = start + Duration::from_secs_f64(i as f64 / rate as f64);
                        let now = Instant::now();
                        if now < due {
                            std::thread::sleep(due - now);
                        } else if now.duration_since(start) > give_up {
                            break;
                        }
                        let kind = &mix[order[(i % order.len() as u64) as usize]];
                        conn.get_mut().write_all(kind.request.as_bytes())?;
                        let status = read_answer(&mut conn)?;
                        times.push(due.elapsed());
                        if !(200..300).contains(&status) {
                            errors += 1;
                        }
                        i += connections as u64;
                    }
                    Ok((times, errors))
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().expect("a load thread panicked"))
            .collect()
    });
    let elapsed = start.elapsed();
    let mut times = Vec::with_capacity(count as usize);
    let mut errors = 0;
    for r in results {
        let (t, e) = r?;
        times.extend(t);
        errors += e;
    }
    errors += count - times.len() as u64;
    if times.is_empty() {
        bail!("no request was answered");
    }
    times.sort();
    let ms = |p: f64| {
        times[((times.len() as f64 * p) as usize).min(times.len() - 1)].as_secs_f64() * 1000.0
    };
    Ok(Load {
        rate: times.len() as f64 / elapsed.as_secs_f64(),
        p50: ms(0.50),
        p90: ms(0.90),
        p99: ms(0.99),
        max: times.last().map_or(0.0, |d| d.as_secs_f64() * 1000.0),
        errors,
    })
}

/// Reads one answer off a kept-alive connection (by length or in chunks)
/// and returns its status; the body is read and dropped.
fn read_answer(conn: &mut BufReader<TcpStream>) -> Result<u16> {
    let mut line = String::new();
    conn.read_line(&mut line)?;
    let status: u16 = line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .context("no status line")?;
    let mut len = 0usize;
    let mut chunked = false;
    loop {
        line.clear();
        conn.read_line(&mut line)?;
        let header = line.trim_end();
        if header.is_empty() {
            break;
        }
        let lower = header.to_ascii_lowercase();
        if let Some(v) = lower.strip_prefix("content-length:") {
            len = v.trim().parse()?;
        } else if lower.starts_with("transfer-encoding:") && lower.contains("chunked") {
            chunked = true;
        }
    }
    fn skip(conn: &mut BufReader<TcpStream>, n: usize) -> Result<()> {
        std::io::copy(&mut conn.by_ref().take(n as u64), &mut std::io::sink())?;
        Ok(())
    }
    if chunked {
        loop {
            line.clear();
            conn.read_line(&mut line)?;
            let n = usize::from_str_radix(line.trim().split(';').next().unwrap_or("0"), 16)?;
            skip(conn, n + 2)?;
            if n == 0 {
                break;
            }
        }
    } else {
        skip(conn, len)?;
    }
    Ok(status)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrk_reports_are_read_in_milliseconds() {
        let report = "Running 10s test @ http://127.0.0.1:1/api/merchants
  2 threads and 32 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    22.01ms   11.10ms 249.00ms   80.00%
    Req/Sec   302.00     40.00   400.00     70.00%
  Latency Distribution
     50%  812.00us
     75%    3.41ms
     90%   12.50ms
     99%    1.02s
  6040 requests in 10.00s, 100.00MB read
  Non-2xx or 3xx responses: 3
Requests/sec:    604.00
Transfer/sec:     10.00MB
";
        let load = parse_wrk(report).unwrap();
        assert_eq!(load.rate, 604.0);
        assert!((load.p50 - 0.812).abs() < 1e-9);
        assert_eq!(load.p90, 12.5);
        assert_eq!(load.p99, 1020.0);
        assert_eq!(load.errors, 3);
        assert!(parse_wrk("wrk: connection refused").is_err());
    }
}
