use clap::Parser;
use unioncard_server::Config;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let config = Config::parse();
    config.init_logging();
    let state = unioncard_server::prepare(&config).await?;
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
