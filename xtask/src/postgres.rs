//! A throwaway PostgreSQL for the HTTP tests: a fresh cluster in a temporary
//! folder, listening on loopback only, fast and unsafe settings (the data is
//! thrown away), stopped and deleted when dropped.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::Command;

use anyhow::{Context, Result};

use crate::tools::{is_root, postgres_bin_dir};

/// A PostgreSQL to test against.
pub struct Postgres {
    url: String,
    owned: Option<(PathBuf, PathBuf)>,
}

impl Postgres {
    /// One given by the environment; left alone.
    pub fn external(url: String) -> Postgres {
        Postgres { url, owned: None }
    }

    /// Starts a new cluster.
    pub fn start() -> Result<Postgres> {
        let bin = postgres_bin_dir().context("PostgreSQL server binaries not found")?;
        let dir = std::env::temp_dir().join(format!("unioncard-pg-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir)?;
        // PostgreSQL refuses to run as root: use the `postgres` account the package made.
        let as_user = |program: PathBuf| -> Command {
            if is_root() {
                let mut c = Command::new("runuser");
                c.args(["-u", "postgres", "--"]).arg(program);
                c
            } else {
                Command::new(program)
            }
        };
        if is_root() {
            crate::run_cmd(
                Command::new("chown")
                    .args(["-R", "postgres:postgres"])
                    .arg(&dir),
            )?;
        }
        let data = dir.join("data");
        crate::run_cmd(
            as_user(bin.join("initdb"))
                .args([
                    "-U",
                    "postgres",
                    "--auth=trust",
                    "-E",
                    "UTF8",
                    "--no-sync",
                    "-D",
                ])
                .arg(&data)
                .stdout(std::process::Stdio::null()),
        )?;
        let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let opts = format!(
            "-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off \
             -c full_page_writes=off -c max_connections=200",
            dir.display()
        );
        crate::run_cmd(
            as_user(bin.join("pg_ctl"))
                .args(["-D"])
                .arg(&data)
                .args(["-o", &opts, "-l"])
                .arg(dir.join("log"))
                .args(["-w", "start"]),
        )?;
        let url = format!("postgres://postgres@127.0.0.1:{port}/postgres");
        eprintln!("throwaway PostgreSQL at {url}");
        Ok(Postgres {
            url,
            owned: Some((bin, dir)),
        })
    }

    /// The connection URL (of the `postgres` database; tests create their own).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// A new, empty database `name` in this cluster (dropped first if a
    /// former run left it); its URL.
    pub fn fresh_database(&self, name: &str) -> Result<String> {
        let bin = postgres_bin_dir().context("PostgreSQL client binaries not found")?;
        for sql in [
            format!("DROP DATABASE IF EXISTS {name}"),
            format!("CREATE DATABASE {name}"),
        ] {
            crate::run_cmd(Command::new(bin.join("psql")).args([
                "-q",
                "-v",
                "ON_ERROR_STOP=1",
                "-d",
                &self.url,
                "-c",
                &sql,
            ]))?;
        }
        let (prefix, _) = self
            .url
            .rsplit_once('/')
            .context("the URL ends with a database name")?;
        Ok(format!("{prefix}/{name}"))
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        if let Some((bin, dir)) = self.owned.take() {
            let mut cmd = if is_root() {
                let mut c = Command::new("runuser");
                c.args(["-u", "postgres", "--"]).arg(bin.join("pg_ctl"));
                c
            } else {
                Command::new(bin.join("pg_ctl"))
            };
            let _ = cmd
                .arg("-D")
                .arg(dir.join("data"))
                .args(["-m", "immediate", "stop"])
                .status();
            let _ = std::fs::remove_dir_all(&dir);
        }
    }
}
