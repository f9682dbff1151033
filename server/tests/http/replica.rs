//! A read replica: a PostgreSQL primary and a streaming standby made from
//! it with `pg_basebackup`, the server given both (`--database-replica`).
//! With the standby's replay paused, what may lag (the officers' figures)
//! is read from the standby and stays as it was, while writes land on the
//! primary and a member reads her own records from it at once; resumed,
//! the figures catch up. Runs where the PostgreSQL server programs are
//! (`cargo xtask test` installs them) and `TEST_POSTGRES_URL` is set.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use sqlx::Connection;
use unioncard_api::offers::MyRedemptions;
use unioncard_api::stats::Stats;
use unioncard_server::Config;

use crate::support::spawn_with;

/// The newest installed PostgreSQL's programs.
fn postgres_bin() -> Option<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
        .filter(|p| p.join("pg_basebackup").exists())
        .collect();
    found.sort();
    found.pop()
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() == 0 }
}

/// A PostgreSQL program, as the `postgres` account when we are root
/// (PostgreSQL refuses to run as root).
fn pg(bin: &Path, program: &str) -> Command {
    if is_root() {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(bin.join(program));
        c
    } else {
        Command::new(bin.join(program))
    }
}

fn run(c: &mut Command) {
    let out = c.output().expect("run a PostgreSQL program");
    assert!(
        out.status.success(),
        "{c:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The two clusters, stopped when the test ends.
struct Pair {
    bin: PathBuf,
    dir: PathBuf,
}

impl Drop for Pair {
    fn drop(&mut self) {
        for data in ["standby", "primary"] {
            let _ = pg(&self.bin, "pg_ctl")
                .args(["stop", "-m", "immediate", "-D"])
                .arg(self.dir.join(data))
                .output();
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn start(bin: &Path, dir: &Path, data: &str, port: u16) {
    let options = format!(
        "-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=off",
        dir.display()
    );
    run(pg(bin, "pg_ctl")
        .args(["start", "-w", "-D"])
        .arg(dir.join(data))
        .arg("-l")
        .arg(dir.join(format!("{data}.log")))
        .args(["-o", &options]));
}

async fn figures(officer: &crate::support::Client) -> Stats {
    officer
        .get_as::<Stats>("/api/staff/stats")
        .await
        .expect(StatusCode::OK)
}

/// Waits until the standby has replayed the primary's log as far as the
/// primary has written it now.
async fn caught_up(standby: &str, primary: &mut sqlx::postgres::PgConnection) {
    let lsn: String = sqlx::query_scalar("SELECT CAST(pg_current_wal_lsn() AS TEXT)")
        .fetch_one(primary)
        .await
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut c = sqlx::postgres::PgConnection::connect(standby)
        .await
        .unwrap();
    loop {
        let done: bool =
            sqlx::query_scalar("SELECT pg_last_wal_replay_lsn() >= CAST($1 AS pg_lsn)")
                .bind(&lsn)
                .fetch_one(&mut c)
                .await
                .unwrap();
        if done {
            return;
        }
        assert!(Instant::now() < deadline, "the standby did not catch up");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reads_that_may_lag_come_from_the_standby_and_a_member_reads_her_own_writes() {
    if std::env::var("TEST_POSTGRES_URL").is_err() {
        eprintln!("TEST_POSTGRES_URL is not set: skipping the replica run");
        return;
    }
    let Some(bin) = postgres_bin() else {
        eprintln!("no PostgreSQL server programs: skipping the replica run");
        return;
    };
    let dir = std::env::temp_dir().join(format!("uc-replica-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    if is_root() {
        run(Command::new("chown")
            .args(["-R", "postgres:postgres"])
            .arg(&dir));
    }
    let pair = Pair {
        bin: bin.clone(),
        dir: dir.clone(),
    };
    let (primary_port, standby_port) = (free_port(), free_port());
    run(pg(&bin, "initdb")
        .args([
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-sync",
            "-D",
        ])
        .arg(dir.join("primary")));
    start(&bin, &dir, "primary", primary_port);
    // The standby: a base backup of the primary that keeps streaming (-R
    // writes its connection and standby.signal).
    run(pg(&bin, "pg_basebackup")
        .args(["-h", "127.0.0.1", "-p", &primary_port.to_string()])
        .args(["-U", "postgres", "-X", "stream", "-R", "-D"])
        .arg(dir.join("standby")));
    start(&bin, &dir, "standby", standby_port);

    let admin = format!("postgres://postgres@127.0.0.1:{primary_port}/postgres");
    let mut conn = sqlx::postgres::PgConnection::connect(&admin).await.unwrap();
    sqlx::Executor::execute(&mut conn, "CREATE DATABASE app")
        .await
        .unwrap();
    let primary = format!("postgres://postgres@127.0.0.1:{primary_port}/app");
    let standby = format!("postgres://postgres@127.0.0.1:{standby_port}/app");
    // The standby has the new database once it has replayed its creation.
    let deadline = Instant::now() + Duration::from_secs(30);
    while sqlx::postgres::PgConnection::connect(&standby)
        .await
        .is_err()
    {
        assert!(
            Instant::now() < deadline,
            "the standby never had the database"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    let files = tempfile::tempdir().unwrap();
    let mut config = Config::for_tests(primary.clone(), files.path().join("data"));
    config.database_replica = Some(standby.clone());
    let app = spawn_with(config, files).await;
    let city = app.signed_in("13700000001").await;
    let li = app.signed_in("13800000002").await;
    let cashier = app.signed_in("13900000001").await;

    // Wait until the standby has the demo city's figures as the primary does.
    let mut on_primary = sqlx::postgres::PgConnection::connect(&primary)
        .await
        .unwrap();
    let mut on_standby = sqlx::postgres::PgConnection::connect(&standby)
        .await
        .unwrap();
    caught_up(&standby, &mut on_primary).await;
    let before = figures(&city).await;

    // Replay paused: the standby stands still.
    sqlx::query("SELECT pg_wal_replay_pause()")
        .execute(&mut on_standby)
        .await
        .unwrap();
    let found = app
        .client()
        .merchants("q=%E6%A5%9A%E5%A4%A9%E4%BC%98%E9%80%89%E8%B6%85%E5%B8%82")
        .await
        .into_body();
    let offer = found.items[0].offers[0].id;
    let code = li.redeem(offer).await.into_body().code;
    assert_eq!(cashier.confirm(&code, 10_000).await.status, StatusCode::OK);
    // Written on the primary ...
    let on_record: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM redemptions WHERE code = $1 AND status = 'confirmed'",
    )
    .bind(&code)
    .fetch_one(&mut on_primary)
    .await
    .unwrap();
    assert_eq!(on_record, 1);
    // ... the member sees it in her history at once (her own records come
    // from the primary) ...
    let mine: MyRedemptions = li.get_as("/api/me/redemptions").await.into_body();
    assert_eq!(mine.items.len(), 1, "{mine:?}");
    assert!(mine.year_saving_fen > 0);
    // ... while the figures, read from the paused standby, do not count it yet.
    let paused = figures(&city).await;
    assert_eq!(paused.totals.redemptions, before.totals.redemptions);

    // Replay resumed: the figures catch up.
    sqlx::query("SELECT pg_wal_replay_resume()")
        .execute(&mut on_standby)
        .await
        .unwrap();
    caught_up(&standby, &mut on_primary).await;
    let after = figures(&city).await;
    assert_eq!(after.totals.redemptions, before.totals.redemptions + 1);
    drop(app);
    drop(pair);
}
