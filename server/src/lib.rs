//! UnionCard's REST backend. `main.rs` only reads configuration and calls
//! [`serve`]; everything a test needs to drive the very same app lives here.
//!
//! Reading order: [`config`], [`store`] (every SQL statement, one module per
//! feature, over SQLite and PostgreSQL), [`error`] (the one error type and
//! its status codes), [`extract`] (the signed-in user and their role, JSON
//! bodies, the CSRF guard), [`case_file`] (the workflow claims and loan
//! applications share), then [`routes`], one module per feature.

// The audit log is a table of the store; kept at its old path for the routes that name it.
pub use store::audit;
pub mod case_file;
pub mod config;
pub mod crypto;
pub mod demo;
pub mod documents;
pub mod error;
pub mod extract;
pub mod idempotency;
pub mod ledger;
pub mod metrics;
pub mod reminders;
pub use store::roster;
pub mod routes;
pub mod scope;
pub mod static_files;
pub mod store;
pub mod throttle;
pub mod time;
pub mod uploads;

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context;
use axum::serve::{ListenerExt, TapIo};
use tokio::net::{TcpListener, TcpStream};

pub use config::Config;
pub use error::AppError;

/// Everything a handler may need, cheap to clone.
#[derive(Clone)]
pub struct AppState {
    /// The database.
    pub db: store::Db,
    /// Encryption and keyed hashing of personal data.
    pub crypto: Arc<crypto::Crypto>,
    /// Request counters for `/metrics`.
    pub metrics: Arc<metrics::Metrics>,
    /// Whether cookies carry `Secure` (behind HTTPS).
    pub secure_cookies: bool,
    /// Uploaded files (photos, documents), outside the database.
    pub uploads: std::path::PathBuf,
    /// Proxies whose `X-Forwarded-For` names the client (none by default).
    pub trusted_proxies: Arc<Vec<ipnet::IpNet>>,
}

/// Opens the database, applies migrations, loads demo data when asked, and
/// returns the state the router serves.
pub async fn prepare(config: &Config) -> anyhow::Result<AppState> {
    let mut db = store::Db::connect(&config.database).await?;
    if let Some(replica) = &config.database_replica {
        db = db.with_replica(replica).await?;
    }
    db.migrate().await.context("applying migrations")?;
    let now = time::now();
    store::partitions::ensure(
        &mut *db.writer().await?,
        now,
        now + store::partitions::AHEAD_SECONDS,
    )
    .await
    .context("making the months' parts")?;
    let created_now = crypto::Crypto::would_create(config);
    let crypto = Arc::new(crypto::Crypto::load(config)?);
    crypto::verify_key(&db, &crypto, config, created_now).await?;
    let uploads = config.data_dir.join("uploads");
    if config.demo {
        let size = demo::Size {
            members: config.members,
            merchants: config.merchants,
            history: config.history,
            claims: config.claims,
        };
        demo::seed_if_empty(&db, &crypto, size, &uploads).await?;
    }
    // Figures kept as events happen start from one count of the records
    // (a database from before they were kept, or the demo's bulk load).
    let mut tx = db.begin().await?;
    if !store::figures::is_built(&mut tx).await? {
        let started = std::time::Instant::now();
        store::figures::rebuild(&mut tx).await?;
        tracing::info!(
            elapsed_ms = started.elapsed().as_millis() as u64,
            "figures counted from the records"
        );
        tx.commit().await?;
        // After a bulk load (the demo city) PostgreSQL plans from empty
        // statistics until autovacuum comes round: gather them now.
        if db.dialect() == store::Dialect::Postgres {
            sqlx::query("ANALYZE").execute(db.write()).await?;
        }
    } else {
        tx.commit().await?;
    }
    Ok(AppState {
        db,
        crypto,
        metrics: Arc::new(metrics::Metrics::default()),
        secure_cookies: config.secure_cookies,
        uploads,
        trusted_proxies: Arc::new(config.trusted_proxies()?),
    })
}

/// Serves on `listener` until `shutdown` completes, finishing the requests in
/// flight before returning.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    static_dir: Option<std::path::PathBuf>,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let addr = listener.local_addr()?;
    tracing::info!(%addr, "listening");
    let app = routes::app(state, static_dir);
    axum::serve(
        without_nagle(listener),
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await?;
    tracing::info!("stopped");
    Ok(())
}

/// The listener with `TCP_NODELAY` on every accepted connection, so every
/// response goes out at once: with Nagle's algorithm on, a body written in
/// a second piece (a static file after its headers, a streamed CSV) waits
/// for the client's delayed ACK, about 40 ms each time.
pub fn without_nagle(listener: TcpListener) -> TapIo<TcpListener, fn(&mut TcpStream)> {
    fn no_delay(tcp: &mut TcpStream) {
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::debug!("TCP_NODELAY not set on a connection: {e}");
        }
    }
    listener.tap_io(no_delay as fn(&mut TcpStream))
}

/// Binds the configured address.
pub async fn bind(config: &Config) -> anyhow::Result<TcpListener> {
    TcpListener::bind(config.listen)
        .await
        .with_context(|| format!("binding {}", config.listen))
}

#[cfg(test)]
mod tests {
    use axum::serve::Listener;

    /// Measured before the fix: a 1 KB file took 44 ms at p50 over four
    /// connections, the delayed-ACK wait, because accepted sockets kept
    /// Nagle's algorithm on.
    #[tokio::test]
    async fn accepted_connections_send_without_waiting() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let mut listener = super::without_nagle(listener);
        let _client = tokio::net::TcpStream::connect(addr).await.unwrap();
        let (accepted, _) = listener.accept().await;
        assert!(accepted.nodelay().unwrap());
    }
}
