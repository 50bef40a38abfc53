//! The `interlinea` command line: the engine's functions for scripts and batch work.

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand, ValueEnum};
use interlinea::session::Session;
use interlinea::store::default_path;
use interlinea::Workspace;

use cli::lines::{file_stem_or, print_rows, print_table, text_or_stdin_lines};

// glibc's allocator spent about a third of a TMX import's parsing thread on
// units it allocates there and the storing thread frees.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod cli {
    pub mod checks;
    pub mod documents;
    pub mod eval;
    pub mod exchange;
    pub mod glossary;
    pub mod lines;
    pub mod mt;
    pub mod reports;
    pub mod spelling;
    pub mod team;
    pub mod team_documents;
    pub mod tm;
    pub mod workspace;
}

/// Interlinea: translate Italian news articles into English.
#[derive(Parser)]
#[command(name = "interlinea", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Args)]
struct DbArg {
    /// Workspace database [default: the OS data directory]
    #[arg(long, env = "INTERLINEA_DB", value_name = "PATH", global = true)]
    db: Option<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Jsonl,
}

#[derive(Subcommand)]
enum Command {
    #[command(flatten)]
    Documents(cli::documents::DocumentCommand),
    /// Translation memories: import, export, list, look up
    Tm {
        #[command(subcommand)]
        command: cli::tm::TmCommand,
    },
    #[command(flatten)]
    Exchange(cli::exchange::ExchangeCommand),
    /// Machine translation: add and list providers, translate text
    Mt {
        #[command(subcommand)]
        command: cli::mt::MtCommand,
    },
    #[command(flatten)]
    Reports(cli::reports::ReportCommand),
    #[command(flatten)]
    Workspace(cli::workspace::WorkspaceCommand),
    #[command(flatten)]
    Checks(cli::checks::CheckCommand),
    /// Glossaries: import, export, list, add, find terms
    Glossary {
        #[command(subcommand)]
        command: cli::glossary::GlossaryCommand,
    },
    /// Spelling: the user's dictionary, words ignored in a document, checks
    Spelling {
        #[command(subcommand)]
        command: cli::spelling::SpellingCommand,
    },
    /// The team desk: join a team server, see where the sync stands, leave
    Team {
        #[command(subcommand)]
        command: cli::team::TeamCommand,
    },
    /// Sync with the team: send the changes waiting, then take the team's
    /// new ones; prints {"pushed":N,"pulled":N,"conflicts":N}
    Sync(cli::team::SyncArgs),
    #[command(flatten)]
    Eval(cli::eval::EvalCommand),
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    match run(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            remove_created_workspaces();
            eprintln!("error: {}", message(&e));
            ExitCode::FAILURE
        }
    }
}

/// The error and its causes, each said once: an error that quotes its
/// cause in its own message is not followed by the cause again.
fn message(e: &anyhow::Error) -> String {
    let mut out = String::new();
    for cause in e.chain() {
        let text = cause.to_string();
        if out.contains(&text) {
            continue;
        }
        if !out.is_empty() {
            out.push_str(": ");
        }
        out.push_str(&text);
    }
    out
}

/// Workspaces this run created: a command that fails leaves none behind,
/// so a mistyped first import does not leave an empty workspace.
static CREATED: std::sync::Mutex<Vec<PathBuf>> = std::sync::Mutex::new(Vec::new());

fn remove_created_workspaces() {
    let created = std::mem::take(&mut *CREATED.lock().unwrap_or_else(|e| e.into_inner()));
    for database in created {
        for file in interlinea::store::workspace_files(&database) {
            let _ = std::fs::remove_file(file);
        }
    }
}

/// A reader that went away (`| head`): what it wanted was written.
fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|cause| {
        cause
            .downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}

fn open_workspace(db: &DbArg) -> anyhow::Result<Workspace> {
    let path = db.db.clone().unwrap_or_else(default_path);
    let existed = path.exists();
    let ws =
        Workspace::open(&path).with_context(|| format!("opening workspace {}", path.display()))?;
    if !existed {
        CREATED.lock().unwrap_or_else(|e| e.into_inner()).push(path);
    }
    Ok(ws)
}

/// The workspace with the engine's use cases, as the desktop app has it.
fn open_session(db: &DbArg) -> anyhow::Result<Session> {
    let path = db.db.clone().unwrap_or_else(default_path);
    Ok(Session::new(open_workspace(db)?, path))
}

fn run(command: Command) -> anyhow::Result<()> {
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    match command {
        Command::Documents(command) => cli::documents::run(&mut out, command)?,
        Command::Tm { command } => cli::tm::run(&mut out, command)?,
        Command::Exchange(command) => cli::exchange::run(&mut out, command)?,
        Command::Mt { command } => cli::mt::run(&mut out, command)?,
        Command::Reports(command) => cli::reports::run(&mut out, command)?,
        Command::Workspace(command) => cli::workspace::run(&mut out, command)?,
        Command::Checks(command) => cli::checks::run(&mut out, command)?,
        Command::Glossary { command } => cli::glossary::run(&mut out, command)?,
        Command::Spelling { command } => cli::spelling::run(&mut out, command)?,
        Command::Team { command } => cli::team::run(&mut out, command)?,
        Command::Sync(args) => cli::team::sync(&mut out, args)?,
        Command::Eval(command) => cli::eval::run(&mut out, command)?,
    }
    out.flush()?;
    Ok(())
}
