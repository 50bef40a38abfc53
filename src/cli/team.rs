//! `interlinea team join|status|token|drop-rejected|retry-rejected|leave` and `interlinea sync`: the team
//! desk from scripts. Results are JSON on standard output; failures one
//! line on standard error and a non-zero exit.

use std::io::{BufRead, Write};
use std::sync::atomic::AtomicBool;

use anyhow::{bail, Context};
use clap::Subcommand;
use interlinea::store::team::Membership;
use serde::Serialize;

use crate::{open_session, DbArg};

#[derive(Subcommand)]
pub enum TeamCommand {
    /// Join the team of USER on the team server at URL; the token, read
    /// from the first line of standard input, is checked with the server
    /// and kept with the MT keys (keyring or private file), never in the
    /// workspace. Prints {"url","user","team"}
    Join {
        url: String,
        #[arg(long, value_name = "NAME")]
        user: String,
        /// Read the token from standard input (the only way: never on the
        /// command line, where other users can see it)
        #[arg(long, required = true)]
        token_stdin: bool,
        #[command(flatten)]
        db: DbArg,
    },
    /// Where the sync stands, as JSON: url, user, team, last_seq, outbox,
    /// units, conflicts, last_sync, last_error, offline, and rejected: the
    /// changes the server refused for good, each {"op","what","reason"}
    Status {
        #[command(flatten)]
        db: DbArg,
    },
    /// Replace the token of this workspace's membership with a new one
    /// (the same user's), read from the first line of standard input and
    /// checked with the server. Prints the status
    Token {
        /// Read the token from standard input (the only way)
        #[arg(long, required = true)]
        token_stdin: bool,
        #[command(flatten)]
        db: DbArg,
    },
    /// Drop the changes the server refused for good (all, or the one
    /// named). Prints {"dropped":N}
    DropRejected {
        /// The operation's id, as `team status` lists it
        #[arg(long, value_name = "ID")]
        op: Option<uuid::Uuid>,
        #[command(flatten)]
        db: DbArg,
    },
    /// Send again the changes the server refused (all, or the one named):
    /// back into the outbox for the next sync, except a shared document's
    /// and one whose unit or entry has a later change waiting. Prints
    /// {"queued":N}
    RetryRejected {
        /// The operation's id, as `team status` lists it
        #[arg(long, value_name = "ID")]
        op: Option<uuid::Uuid>,
        #[command(flatten)]
        db: DbArg,
    },
    /// Leave the team and forget its token; the team's TM and glossary stay
    /// as ordinary ones. Refused while changes wait to be sent, changes the
    /// server refused are listed or saves are kept aside, unless
    /// --discard-unsent
    Leave {
        #[arg(long)]
        discard_unsent: bool,
        #[command(flatten)]
        db: DbArg,
    },
    #[command(flatten)]
    Documents(super::team_documents::TeamDocumentsCommand),
}

#[derive(clap::Args)]
pub struct SyncArgs {
    /// When nothing is new, wait up to this many seconds (at most 25) for
    /// the server's next change
    #[arg(long, value_name = "SECONDS")]
    wait: Option<u64>,
    #[command(flatten)]
    db: DbArg,
}

#[derive(Serialize)]
struct Joined<'a> {
    url: &'a str,
    user: &'a str,
    team: &'a str,
}

#[derive(Serialize)]
struct Status<'a> {
    url: &'a str,
    user: &'a str,
    team: &'a str,
    tm: &'a str,
    glossary: &'a str,
    last_seq: i64,
    outbox: usize,
    units: usize,
    conflicts: usize,
    last_sync: Option<&'a str>,
    last_error: Option<&'a str>,
    offline: bool,
    rejected: Vec<Rejected<'a>>,
}

#[derive(Serialize)]
struct Rejected<'a> {
    op: String,
    what: &'a str,
    reason: &'a str,
}

impl<'a> From<&'a Membership> for Status<'a> {
    fn from(team: &'a Membership) -> Self {
        Status {
            url: &team.url,
            user: &team.user,
            team: &team.team,
            tm: &team.tm,
            glossary: &team.glossary,
            last_seq: team.pulled_seq,
            outbox: team.outbox,
            units: team.units,
            conflicts: team.conflicts,
            last_sync: team.synced_at_utc.as_deref(),
            last_error: team.last_error.as_deref(),
            offline: team.offline,
            rejected: team
                .rejected
                .iter()
                .map(|r| Rejected {
                    op: r.op_id.to_string(),
                    what: &r.what,
                    reason: &r.reason,
                })
                .collect(),
        }
    }
}

#[derive(Serialize)]
struct Synced {
    pushed: usize,
    pulled: usize,
    conflicts: usize,
}

pub fn run(out: &mut impl Write, command: TeamCommand) -> anyhow::Result<()> {
    match command {
        TeamCommand::Join { url, user, db, .. } => join(out, &url, &user, db),
        TeamCommand::Status { db } => status(out, db),
        TeamCommand::Token { db, .. } => replace_token(out, db),
        TeamCommand::DropRejected { op, db } => drop_rejected(out, op, db),
        TeamCommand::RetryRejected { op, db } => retry_rejected(out, op, db),
        TeamCommand::Leave { discard_unsent, db } => leave(out, discard_unsent, db),
        TeamCommand::Documents(command) => super::team_documents::run(out, command),
    }
}

fn token_from_stdin() -> anyhow::Result<String> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("reading the token from standard input")?;
    if line.trim().is_empty() {
        bail!("--token-stdin: standard input holds no token");
    }
    Ok(line.trim().to_owned())
}

fn replace_token(out: &mut impl Write, db: DbArg) -> anyhow::Result<()> {
    let token = token_from_stdin()?;
    let team = open_session(&db)?
        .team_replace_token_blocking(&token)
        .context("replacing the team token")?;
    serde_json::to_writer(&mut *out, &Status::from(&team))?;
    writeln!(out)?;
    Ok(())
}

fn drop_rejected(out: &mut impl Write, op: Option<uuid::Uuid>, db: DbArg) -> anyhow::Result<()> {
    let dropped = open_session(&db)?
        .team_drop_rejected(op)
        .context("dropping the changes the team server refused")?;
    writeln!(out, "{{\"dropped\":{dropped}}}")?;
    Ok(())
}

fn retry_rejected(out: &mut impl Write, op: Option<uuid::Uuid>, db: DbArg) -> anyhow::Result<()> {
    let queued = open_session(&db)?
        .team_retry_rejected(op)
        .context("sending again the changes the team server refused")?;
    writeln!(out, "{{\"queued\":{queued}}}")?;
    Ok(())
}

fn join(out: &mut impl Write, url: &str, user: &str, db: DbArg) -> anyhow::Result<()> {
    let token = token_from_stdin()?;
    let team = open_session(&db)?
        .team_join_blocking(url, user, &token)
        .with_context(|| format!("joining the team of {user} at {url}"))?;
    serde_json::to_writer(
        &mut *out,
        &Joined {
            url: &team.url,
            user: &team.user,
            team: &team.team,
        },
    )?;
    writeln!(out)?;
    Ok(())
}

fn status(out: &mut impl Write, db: DbArg) -> anyhow::Result<()> {
    let Some(team) = open_session(&db)?.team_status()? else {
        bail!("this workspace has joined no team (interlinea team join URL --user NAME --token-stdin)");
    };
    serde_json::to_writer(&mut *out, &Status::from(&team))?;
    writeln!(out)?;
    Ok(())
}

fn leave(out: &mut impl Write, discard_unsent: bool, db: DbArg) -> anyhow::Result<()> {
    let discarded = open_session(&db)?
        .team_leave(discard_unsent)
        .context("leaving the team (`interlinea sync` sends the changes waiting; --discard-unsent drops them, the refused ones and the saves kept aside)")?;
    writeln!(out, "{{\"discarded\":{discarded}}}")?;
    Ok(())
}

pub fn sync(out: &mut impl Write, args: SyncArgs) -> anyhow::Result<()> {
    let session = open_session(&args.db)?;
    let report = session
        .team_sync_blocking(args.wait, &AtomicBool::new(false))
        .context("syncing with the team; the changes not sent are kept")?;
    serde_json::to_writer(
        &mut *out,
        &Synced {
            pushed: report.pushed,
            pulled: report.pulled,
            conflicts: report.conflicts,
        },
    )?;
    writeln!(out)?;
    Ok(())
}
