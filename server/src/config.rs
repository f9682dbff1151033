//! Configuration: command-line flags, each also readable from the environment.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::builder::BoolishValueParser;
use clap::Parser;

/// `unioncard-server --listen 127.0.0.1:PORT --database URL --static DIR [--demo]`
#[derive(Clone, Debug, Parser)]
#[command(name = "unioncard-server", version, about = "UnionCard's REST backend")]
pub struct Config {
    /// Address to listen on.
    #[arg(long, env = "UNIONCARD_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,

    /// `sqlite://PATH` (created if missing) or `postgres://...`.
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "sqlite://data/unioncard.db"
    )]
    pub database: String,

    /// A PostgreSQL standby (streaming replica) for reads that may lag: the
    /// directory, courses, centres and the officers' figures.
    #[arg(long, env = "UNIONCARD_DATABASE_REPLICA")]
    pub database_replica: Option<String>,

    /// The built app (Trunk's `dist/`), served with SPA fallback.
    #[arg(long = "static", env = "UNIONCARD_STATIC")]
    pub static_dir: Option<PathBuf>,

    /// Load the demo data set into an empty database.
    #[arg(long, env = "UNIONCARD_DEMO", action = clap::ArgAction::SetTrue,
          value_parser = BoolishValueParser::new())]
    pub demo: bool,

    /// Roster size of the demo city (load tests use millions).
    #[arg(long, env = "UNIONCARD_DEMO_MEMBERS", default_value_t = 5000)]
    pub members: usize,

    /// Partner merchants in the demo city (search benchmarks use 100,000).
    #[arg(long, env = "UNIONCARD_DEMO_MERCHANTS", default_value_t = 300)]
    pub merchants: usize,

    /// Past redemptions in the demo city (the figures' benchmark uses ten
    /// million).
    #[arg(long, env = "UNIONCARD_DEMO_HISTORY", default_value_t = 1500)]
    pub history: usize,

    /// Past mutual-aid claims beyond the demo's own, one a member (the
    /// history benchmark uses a million).
    #[arg(long, env = "UNIONCARD_DEMO_CLAIMS", default_value_t = 0)]
    pub claims: usize,

    /// Folder for the key file and uploaded documents.
    #[arg(long, env = "UNIONCARD_DATA", default_value = "data")]
    pub data_dir: PathBuf,

    /// 64 hex characters: the key that protects ID numbers and phones at rest.
    /// When absent, `DATA_DIR/unioncard.key` is used, generated on first start.
    #[arg(long, env = "UNIONCARD_KEY", hide_env_values = true)]
    pub key: Option<String>,

    /// Mark cookies `Secure` (set when served over HTTPS).
    #[arg(long, env = "UNIONCARD_SECURE_COOKIES", action = clap::ArgAction::SetTrue,
          value_parser = BoolishValueParser::new())]
    pub secure_cookies: bool,

    /// Load balancers or reverse proxies in front of this server, as addresses
    /// or networks separated by commas (`10.0.0.0/8,192.168.1.5`). Requests
    /// from them are counted under the client address their `X-Forwarded-For`
    /// gives; from anywhere else that header is ignored. Empty (the default)
    /// trusts no one: behind a proxy every client would then share its address.
    #[arg(long, env = "UNIONCARD_TRUSTED_PROXIES", default_value = "")]
    pub trusted_proxies: String,

    /// `json` for one JSON object per log line; human-readable otherwise.
    #[arg(long, env = "UNIONCARD_LOG_FORMAT", default_value = "text")]
    pub log_format: String,

    /// Print the OpenAPI document (the contract) and exit.
    #[arg(long)]
    pub openapi: bool,
}

impl Config {
    /// A configuration for tests: loopback on a random port, the given database.
    pub fn for_tests(database: String, data_dir: PathBuf) -> Config {
        Config {
            listen: "127.0.0.1:0".parse().expect("loopback address"),
            database,
            database_replica: None,
            static_dir: None,
            demo: true,
            members: 200,
            merchants: 60,
            history: 1500,
            claims: 0,
            data_dir,
            key: None,
            secure_cookies: false,
            log_format: "text".into(),
            trusted_proxies: String::new(),
            openapi: false,
        }
    }

    /// The trusted proxies as networks (a bare address is its own /32 or /128).
    pub fn trusted_proxies(&self) -> anyhow::Result<Vec<ipnet::IpNet>> {
        self.trusted_proxies
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| {
                s.parse::<ipnet::IpNet>()
                    .or_else(|_| s.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                    .map_err(|_| {
                        anyhow::anyhow!("--trusted-proxies: {s} is not an address or network")
                    })
            })
            .collect()
    }

    /// Installs the tracing subscriber. `RUST_LOG` overrides the default level.
    pub fn init_logging(&self) {
        use tracing_subscriber::EnvFilter;
        let filter = EnvFilter::try_from_default_env()
            .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=info"));
        let builder = tracing_subscriber::fmt().with_env_filter(filter);
        if self.log_format == "json" {
            builder.json().init();
        } else {
            builder.compact().init();
        }
    }
}
