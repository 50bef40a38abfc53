//! The `interlinea` command line: the engine's functions for scripts and batch work.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand, ValueEnum};
use interlinea::session::Session;
use interlinea::store::default_path;
use interlinea::Workspace;
use serde::Serialize;

mod cli {
    pub mod checks;
    pub mod documents;
    pub mod eval;
    pub mod exchange;
    pub mod glossary;
    pub mod mt;
    pub mod reports;
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
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.downcast_ref::<io::Error>()
        .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
}

/// The one text given, or else every line of standard input.
fn text_or_stdin_lines(text: Option<String>) -> anyhow::Result<Vec<String>> {
    match text {
        Some(text) => Ok(vec![text]),
        None => io::stdin()
            .lines()
            .collect::<Result<_, _>>()
            .context("reading standard input"),
    }
}

/// The file's name without its extension, or `default`: the TM or
/// glossary a file is imported into unless told.
fn file_stem_or(file: &Path, default: &str) -> String {
    file.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| default.into())
}

fn open_workspace(db: &DbArg) -> anyhow::Result<Workspace> {
    let path = db.db.clone().unwrap_or_else(default_path);
    Workspace::open(&path).with_context(|| format!("opening workspace {}", path.display()))
}

/// The workspace with the engine's use cases, as the desktop app has it.
fn open_session(db: &DbArg) -> anyhow::Result<Session> {
    let path = db.db.clone().unwrap_or_else(default_path);
    Ok(Session::new(open_workspace(db)?, path))
}

/// Prints one line per row: `text`'s, or the JSON of the row's `line`, the
/// struct that is the command's JSON contract.
fn print_rows<'a, R, L: Serialize>(
    out: &mut impl Write,
    format: Format,
    rows: &'a [R],
    line: impl Fn(&'a R) -> L,
    mut text: impl FnMut(&'a R) -> String,
) -> anyhow::Result<()> {
    for row in rows {
        match format {
            Format::Text => writeln!(out, "{}", text(row))?,
            Format::Jsonl => writeln!(out, "{}", serde_json::to_string(&line(row))?)?,
        }
    }
    Ok(())
}

/// [`print_rows`] under a header line in text.
fn print_table<'a, R, L: Serialize>(
    out: &mut impl Write,
    format: Format,
    header: &str,
    rows: &'a [R],
    line: impl Fn(&'a R) -> L,
    text: impl FnMut(&'a R) -> String,
) -> anyhow::Result<()> {
    if let Format::Text = format {
        writeln!(out, "{header}")?;
    }
    print_rows(out, format, rows, line, text)
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
        Command::Eval(command) => cli::eval::run(&mut out, command)?,
    }
    out.flush()?;
    Ok(())
}
