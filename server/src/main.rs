//! `interlinea-server`: the team desk's commands, a contract for scripts.
//! Results go to standard output (a token alone on its line), logs and
//! errors to standard error.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};
use interlinea_server::db::{self, Role};

#[derive(Parser)]
#[command(
    name = "interlinea-server",
    version,
    about = "Interlinea's team desk server"
)]
struct Cli {
    /// The PostgreSQL database, as a postgres:// URL or key=value settings.
    #[arg(
        long,
        env = "INTERLINEA_SERVER_DB",
        global = true,
        hide_env_values = true
    )]
    db: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Applies the database migrations it lacks; prints each applied version.
    Migrate,
    /// Manages teams.
    #[command(subcommand)]
    Team(TeamCommand),
    /// Manages users.
    #[command(subcommand)]
    User(UserCommand),
    /// Issues and revokes users' tokens.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Serves the API.
    Serve {
        /// The address and port to listen on.
        #[arg(long)]
        listen: SocketAddr,
        /// A PEM certificate chain: serve HTTPS with it.
        #[arg(long, requires = "tls_key")]
        tls_cert: Option<PathBuf>,
        /// The certificate's PEM private key.
        #[arg(long, requires = "tls_cert")]
        tls_key: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum TeamCommand {
    /// Creates a team.
    Add { name: String },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Creates a user in a team.
    Add {
        name: String,
        #[arg(long)]
        team: String,
        #[arg(long, value_parser = parse_role)]
        role: Role,
    },
}

#[derive(Subcommand)]
enum TokenCommand {
    /// Issues a new token to a user and prints it, once.
    Issue { name: String },
    /// Revokes every token of a user.
    Revoke { name: String },
}

fn parse_role(text: &str) -> Result<Role, String> {
    Role::parse(text).ok_or_else(|| "one of admin, translator, reviewer".to_owned())
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,tower_http=debug".into()),
        )
        .init();
    let runtime = tokio::runtime::Runtime::new().expect("a Tokio runtime");
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("interlinea-server: {err:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let url = cli
        .db
        .context("no database: give --db URL or set INTERLINEA_SERVER_DB")?;
    let pool = interlinea_server::pool(&url)?;
    match cli.command {
        Command::Migrate => {
            for version in db::migrate(&pool).await.context("migrating")? {
                println!("{version}");
            }
        }
        Command::Team(TeamCommand::Add { name }) => db::add_team(&pool, &name).await?,
        Command::User(UserCommand::Add { name, team, role }) => {
            db::add_user(&pool, &name, &team, role).await?
        }
        Command::Token(TokenCommand::Issue { name }) => {
            println!("{}", db::issue_token(&pool, &name).await?)
        }
        Command::Token(TokenCommand::Revoke { name }) => {
            let n = db::revoke_tokens(&pool, &name).await?;
            eprintln!("revoked {n} token(s) of {name}");
        }
        Command::Serve {
            listen,
            tls_cert,
            tls_key,
        } => {
            // Fail at the start when the database cannot be reached, not at the first request.
            drop(pool.get().await.context("connecting to the database")?);
            match (tls_cert, tls_key) {
                (Some(cert), Some(key)) => {
                    let listener = std::net::TcpListener::bind(listen)
                        .with_context(|| format!("listening on {listen}"))?;
                    listener.set_nonblocking(true)?;
                    tracing::info!(%listen, "serving HTTPS");
                    interlinea_server::run_tls(listener, pool, &cert, &key).await?
                }
                _ => {
                    let listener = tokio::net::TcpListener::bind(listen)
                        .await
                        .with_context(|| format!("listening on {listen}"))?;
                    tracing::info!(%listen, "serving HTTP");
                    interlinea_server::run(listener, pool).await?
                }
            }
        }
    }
    Ok(())
}
