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

use anyhow::Context;
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};

/// The most connections the server holds to PostgreSQL.
const POOL_SIZE: usize = 16;

/// A pool of connections to the database at `url` (a `postgres://` URL or
/// `key=value` settings); connections open as they are first needed.
pub fn pool(url: &str) -> anyhow::Result<Pool> {
    let config = tokio_postgres::Config::from_str(url).context("reading the database URL")?;
    let manager = Manager::from_config(
        config,
        tokio_postgres::NoTls,
        ManagerConfig {
            recycling_method: RecyclingMethod::Fast,
        },
    );
    Pool::builder(manager)
        .max_size(POOL_SIZE)
        .build()
        .context("making the connection pool")
}

/// Serves the API on `listener` until the process ends.
pub async fn run(listener: tokio::net::TcpListener, pool: Pool) -> anyhow::Result<()> {
    axum::serve(listener, http::router(pool))
        .await
        .context("serving HTTP")
}

/// Serves the API over TLS on `listener`, with the PEM certificate chain
/// and private key of the two files.
pub async fn run_tls(
    listener: std::net::TcpListener,
    pool: Pool,
    cert: &Path,
    key: &Path,
) -> anyhow::Result<()> {
    let config = axum_server::tls_rustls::RustlsConfig::from_pem_file(cert, key)
        .await
        .with_context(|| format!("reading {} and {}", cert.display(), key.display()))?;
    axum_server::from_tcp_rustls(listener, config)
        .serve(http::router(pool).into_make_service())
        .await
        .context("serving HTTPS")
}
