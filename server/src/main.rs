use clap::Parser;
use unioncard_server::Config;

fn main() -> anyhow::Result<()> {
    return_big_blocks_to_the_system();
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(run())
}

/// Each password hash takes a 19 MiB block. glibc's malloc raises its mmap
/// threshold after the first such block is freed and from then on keeps
/// freed blocks in per-thread arenas: measured, 400 hashes two at a time left
/// the server at 257 MB for good. A fixed threshold makes every block above
/// 1 MiB its own mapping, returned to the system when freed. (Only glibc has
/// this behaviour and this knob; musl and others return large blocks already.)
fn return_big_blocks_to_the_system() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets allocator parameters; it is called once, at
    // start, before any other thread exists.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1024 * 1024);
    }
}

async fn run() -> anyhow::Result<()> {
    let config = Config::parse();
    if config.openapi {
        println!("{}", unioncard_server::routes::openapi_json());
        return Ok(());
    }
    config.init_logging();
    let state = unioncard_server::prepare(&config).await?;
    // Reminders the server sends by itself (the tests call them directly).
    unioncard_server::reminders::spawn(state.db.clone());
    let listener = unioncard_server::bind(&config).await?;
    unioncard_server::serve(
        listener,
        state,
        config.static_dir.clone(),
        shutdown_signal(),
    )
    .await
}

/// Completes on Ctrl-C or SIGTERM, so in-flight requests finish and the
/// database is closed cleanly when a supervisor stops us.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down");
}
