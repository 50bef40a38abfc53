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
    /// Gives a team a new epoch, after restoring a backup of the database:
    /// every client then pulls the team's log again from the start.
    RenewEpoch { name: String },
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
    Issue {
        name: String,
        /// The user's team, needed when teams share the name.
        #[arg(long)]
        team: Option<String>,
    },
    /// Revokes every token of a user.
    Revoke {
        name: String,
        /// The user's team, needed when teams share the name.
        #[arg(long)]
        team: Option<String>,
    },
}

fn parse_role(text: &str) -> Result<Role, String> {
    Role::parse(text).ok_or_else(|| "one of admin, editor, translator, reviewer".to_owned())
}

// Pages of units are built and freed on the runtime's threads all the
// time; mimalloc takes less of the server's time than glibc's allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
        Command::Team(TeamCommand::RenewEpoch { name }) => {
            let epoch = db::renew_epoch(&pool, &name).await?;
            eprintln!("team {name} starts epoch {epoch}");
        }
        Command::User(UserCommand::Add { name, team, role }) => {
            db::add_user(&pool, &name, &team, role).await?
        }
        Command::Token(TokenCommand::Issue { name, team }) => {
            println!(
                "{}",
                db::issue_token_in(&pool, &name, team.as_deref()).await?
            )
        }
        Command::Token(TokenCommand::Revoke { name, team }) => {
            let n = db::revoke_tokens_in(&pool, &name, team.as_deref()).await?;
            eprintln!("revoked {n} token(s) of {name}");
        }
        Command::Serve {
            listen,
            tls_cert,
            tls_key,
        } => {
            // Fail at the start when the database cannot be reached or
            // lacks a migration, not at the first request.
            let pending = db::pending_migrations(&pool)
                .await
                .context("connecting to the database")?;
            if !pending.is_empty() {
                let versions: Vec<String> = pending.iter().map(i32::to_string).collect();
                anyhow::bail!(
                    "the database lacks migration(s) {}: run `interlinea-server migrate` first",
                    versions.join(", ")
                );
            }
            match (tls_cert, tls_key) {
                (Some(cert), Some(key)) => {
                    let listener = std::net::TcpListener::bind(listen)
                        .with_context(|| format!("listening on {listen}"))?;
                    listener.set_nonblocking(true)?;
                    tracing::info!(%listen, "serving HTTPS");
                    interlinea_server::run_tls(listener, pool, &url, &cert, &key).await?
                }
                _ => {
                    let listener = tokio::net::TcpListener::bind(listen)
                        .await
                        .with_context(|| format!("listening on {listen}"))?;
                    tracing::info!(%listen, "serving HTTP");
                    interlinea_server::run(listener, pool, &url).await?
                }
            }
        }
    }
    Ok(())
}
