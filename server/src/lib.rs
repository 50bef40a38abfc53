//! Interlinea's team desk: a small HTTP service that keeps a team's shared
//! translation memory and glossary in PostgreSQL and relays their changes
//! between the team's desktops (see `docs/team.md`).
//!
//! The binary is a thin front over this library; tests bind port 0 and run
//! the same server in-process.

#![deny(missing_docs)]

pub mod db;
pub mod http;
pub mod token;

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use anyhow::Context;
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod, Runtime};

/// The most connections the server holds to PostgreSQL.
const POOL_SIZE: usize = 16;
/// The longest a request waits for a connection of the pool, or for a new
/// one to open, before it is answered 503.
const POOL_WAIT: Duration = Duration::from_secs(10);
/// The longest a statement runs, and waits for a lock, before PostgreSQL
/// cancels it: a request never hangs on the database.
pub const STATEMENT_TIMEOUT: &str = "30s";
/// See [`STATEMENT_TIMEOUT`].
pub const LOCK_TIMEOUT: &str = "10s";

/// The settings of the database at `url` (a `postgres://` URL or
/// `key=value` settings), with the server's timeouts.
pub fn config(url: &str) -> anyhow::Result<tokio_postgres::Config> {
    let mut config = tokio_postgres::Config::from_str(url).context("reading the database URL")?;
    let options = format!(
        "{} -c statement_timeout={STATEMENT_TIMEOUT} -c lock_timeout={LOCK_TIMEOUT}",
        config.get_options().unwrap_or_default()
    );
    config.options(options.trim_start());
    Ok(config)
}

/// A pool of connections to the database at `url`; connections open as
/// they are first needed, and one is checked before it is handed out again
/// (a connection broken by a restart of PostgreSQL is dropped, not used).
pub fn pool(url: &str) -> anyhow::Result<Pool> {
    let manager = Manager::from_config(
        config(url)?,
        tokio_postgres::NoTls,
        ManagerConfig {
            recycling_method: RecyclingMethod::Verified,
        },
    );
    Pool::builder(manager)
        .max_size(POOL_SIZE)
        .runtime(Runtime::Tokio1)
        .wait_timeout(Some(POOL_WAIT))
        .create_timeout(Some(POOL_WAIT))
        .recycle_timeout(Some(POOL_WAIT))
        .build()
        .context("making the connection pool")
}

/// Serves the API on `listener` until the process ends, with a pool of
/// connections to the database at `url`, which it also listens to for
/// other servers' commits.
pub async fn run(listener: tokio::net::TcpListener, pool: Pool, url: &str) -> anyhow::Result<()> {
    axum::serve(listener, http::router(pool, config(url)?))
        .await
        .context("serving HTTP")
}

/// Serves the API over TLS on `listener`, with the PEM certificate chain
/// and private key of the two files.
pub async fn run_tls(
    listener: std::net::TcpListener,
    pool: Pool,
    url: &str,
    cert: &Path,
    key: &Path,
) -> anyhow::Result<()> {
    let tls = axum_server::tls_rustls::RustlsConfig::from_pem_file(cert, key)
        .await
        .with_context(|| format!("reading {} and {}", cert.display(), key.display()))?;
    axum_server::from_tcp_rustls(listener, tls)
        .serve(http::router(pool, config(url)?).into_make_service())
        .await
        .context("serving HTTPS")
}
