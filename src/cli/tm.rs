//! `interlinea tm …`: translation memories: import, export, list, search, look up.

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;

use clap::Subcommand;
use interlinea::session::{MatchOptions, SegmentMatch};
use interlinea::tm::{MatchQuery, Search};
use serde::Serialize;

use crate::{open_session, open_workspace, text_or_stdin_lines, DbArg, Format};

#[derive(Subcommand)]
pub enum TmCommand {
    /// Import a TMX file (all or nothing)
    Import {
        file: PathBuf,
        /// TM to import into [default: the file name without extension]
        #[arg(long)]
        tm: Option<String>,
        /// Mark the TM read-only after the import
        #[arg(long)]
        read_only: bool,
        #[command(flatten)]
        db: DbArg,
    },
    /// Export a TM (or every TM) as TMX 1.4b
    Export {
        #[arg(long)]
        tm: Option<String>,
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        #[command(flatten)]
        db: DbArg,
    },
    /// List the translation memories
    List {
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
        #[command(flatten)]
        db: DbArg,
    },
    /// Find units whose source or target contains a word or phrase
    Search {
        phrase: String,
        #[arg(long, default_value_t = 50)]
        limit: usize,
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
        #[command(flatten)]
        db: DbArg,
    },
    /// Delete a translation memory and its units
    Delete {
        name: String,
        #[command(flatten)]
        db: DbArg,
    },
    /// Mark a translation memory read-only (true) or writable (false)
    ReadOnly {
        name: String,
        #[arg(action = clap::ArgAction::Set)]
        read_only: bool,
        #[command(flatten)]
        db: DbArg,
    },
    /// Find TM matches for TEXT, for each line of standard input, or with
    /// --doc and --segment for a document's segment as the editor lists
    /// them (its previous version first when an update edited it)
    Lookup {
        #[arg(conflicts_with = "segment")]
        text: Option<String>,
        /// The document of --segment
        #[arg(long, requires = "segment")]
        doc: Option<i64>,
        /// A segment of --doc
        #[arg(long, requires = "doc")]
        segment: Option<i64>,
        /// Lowest score shown
        #[arg(long, default_value_t = 70, value_parser = clap::value_parser!(u32).range(0..=100))]
        min: u32,
        /// Most matches per query
        #[arg(long, default_value_t = 5)]
        limit: usize,
        /// Check every unit instead of using the index (same answer, slower)
        #[arg(long)]
        exhaustive: bool,
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
        #[command(flatten)]
        db: DbArg,
    },
}

#[derive(Serialize)]
struct TmLine<'a> {
    name: &'a str,
    units: usize,
    read_only: bool,
}

#[derive(Serialize)]
struct MatchLine<'a> {
    score: u32,
    source: &'a str,
    target: &'a str,
    tm: &'a str,
}

#[derive(Serialize)]
struct LookupLine<'a> {
    query: &'a str,
    matches: Vec<MatchLine<'a>>,
}

pub fn run(out: &mut impl Write, command: TmCommand) -> anyhow::Result<()> {
    match command {
        TmCommand::Import {
            file,
            tm,
            read_only,
            db,
        } => import(out, file, tm, read_only, db)?,
        TmCommand::Export { tm, out: path, db } => export(out, tm, path, db)?,
        TmCommand::Search {
            phrase,
            limit,
            format,
            db,
        } => search(out, phrase, limit, format, db)?,
        TmCommand::Delete { name, db } => delete(name, db)?,
        TmCommand::ReadOnly {
            name,
            read_only,
            db,
        } => set_read_only(name, read_only, db)?,
        TmCommand::List { format, db } => list(out, format, db)?,
        TmCommand::Lookup {
            text,
            doc,
            segment,
            min,
            limit,
            exhaustive,
            format,
            db,
        } => {
            let search = if exhaustive {
                Search::Exhaustive
            } else {
                Search::Indexed
            };
            let options = MatchOptions {
                min_score: min,
                limit,
            };
            let found = match doc.zip(segment) {
                Some((doc, segment)) => segment_matches(doc, segment, options, &db)?,
                None => lookup(text_or_stdin_lines(text)?, options, search, &db)?,
            };
            print_matches(out, &found, format)?
        }
    }
    Ok(())
}

fn import(
    out: &mut impl Write,
    file: PathBuf,
    tm: Option<String>,
    read_only: bool,
    db: DbArg,
) -> anyhow::Result<()> {
    let name = tm.unwrap_or_else(|| {
        file.file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "imported".into())
    });
    let total = std::fs::metadata(&file).map_or(0, |m| m.len()).max(1);
    let session = open_session(&db)?;
    let mut open = session.lock();
    let show = io::stderr().is_terminal();
    let report = open.import_tmx(&file, &name, read_only, &mut |bytes, units| {
        if show {
            eprint!("\r{:>3}%  {units} units", bytes * 100 / total);
        }
    })?;
    if show {
        eprintln!();
        eprint!("indexing for concordance search…");
    }
    // What the app does in the background after an import; a command
    // does it now, so the first `tm search` is not the one to wait.
    // The units are in: a failure here leaves the rest to that search.
    match open.workspace_mut().catch_up() {
        Ok(_) if show => eprintln!(" done"),
        Ok(_) => {}
        Err(e) => {
            eprintln!("\nthe concordance index will be completed by the next search: {e}")
        }
    }
    writeln!(
        out,
        "{} units added to `{name}`, {} duplicates, {} without Italian and English",
        report.added, report.duplicates, report.skipped
    )?;
    Ok(())
}

fn export(
    out: &mut impl Write,
    tm: Option<String>,
    path: PathBuf,
    db: DbArg,
) -> anyhow::Result<()> {
    let n = open_session(&db)?.lock().export_tmx(tm.as_deref(), &path)?;
    writeln!(out, "{n} units written to {}", path.display())?;
    Ok(())
}

fn search(
    out: &mut impl Write,
    phrase: String,
    limit: usize,
    format: Format,
    db: DbArg,
) -> anyhow::Result<()> {
    for hit in open_session(&db)?.lock().concordance(&phrase, limit)? {
        let unit = hit.unit;
        match format {
            Format::Text => {
                writeln!(out, "{}  [{}]", unit.source, unit.tm)?;
                writeln!(out, "  {}", unit.target)?;
            }
            Format::Jsonl => {
                let line = MatchLine {
                    score: 0,
                    source: &unit.source,
                    target: &unit.target,
                    tm: &unit.tm,
                };
                let mut value = serde_json::to_value(&line)?;
                if let Some(object) = value.as_object_mut() {
                    object.remove("score");
                }
                writeln!(out, "{value}")?;
            }
        }
    }
    Ok(())
}

fn delete(name: String, db: DbArg) -> anyhow::Result<()> {
    open_session(&db)?.lock().delete_tm(&name)?;
    Ok(())
}

fn set_read_only(name: String, read_only: bool, db: DbArg) -> anyhow::Result<()> {
    open_workspace(&db)?.set_tm_read_only(&name, read_only)?;
    Ok(())
}

fn list(out: &mut impl Write, format: Format, db: DbArg) -> anyhow::Result<()> {
    let ws = open_workspace(&db)?;
    for tm in ws.tms()? {
        match format {
            Format::Text => writeln!(
                out,
                "{:>9}  {}{}",
                tm.n_units,
                tm.name,
                if tm.read_only { "  (read-only)" } else { "" }
            )?,
            Format::Jsonl => {
                let line = TmLine {
                    name: &tm.name,
                    units: tm.n_units,
                    read_only: tm.read_only,
                };
                writeln!(out, "{}", serde_json::to_string(&line)?)?;
            }
        }
    }
    Ok(())
}

/// The matches of each query: (its Italian, the matches).
type Found = Vec<(String, Vec<SegmentMatch>)>;

fn segment_matches(
    doc: i64,
    segment: i64,
    options: MatchOptions,
    db: &DbArg,
) -> anyhow::Result<Found> {
    let session = open_session(db)?;
    let mut open = session.lock();
    let source = open.workspace().segment(doc, segment)?.source;
    Ok(vec![(source, open.segment_matches(doc, segment, options)?)])
}

fn lookup(
    queries: Vec<String>,
    options: MatchOptions,
    search: Search,
    db: &DbArg,
) -> anyhow::Result<Found> {
    let session = open_session(db)?;
    let mut open = session.lock();
    queries
        .into_iter()
        .map(|text| {
            let query = MatchQuery {
                search,
                ..MatchQuery::new(&text)
                    .at_least(options.min_score)
                    .best(options.limit)
            };
            let matches = open
                .lookup(&query)?
                .into_iter()
                .map(SegmentMatch::from)
                .collect();
            Ok((text, matches))
        })
        .collect()
}

fn print_matches(out: &mut impl Write, found: &Found, format: Format) -> anyhow::Result<()> {
    for (query, matches) in found {
        match format {
            Format::Text => {
                writeln!(out, "{query}")?;
                for m in matches {
                    writeln!(out, "  {:>3}  {}  [{}]", m.score, m.source, m.tm)?;
                    writeln!(out, "       {}", m.target)?;
                }
            }
            Format::Jsonl => {
                let line = LookupLine {
                    query,
                    matches: matches
                        .iter()
                        .map(|m| MatchLine {
                            score: m.score,
                            source: &m.source,
                            target: &m.target,
                            tm: &m.tm,
                        })
                        .collect(),
                };
                writeln!(out, "{}", serde_json::to_string(&line)?)?;
            }
        }
    }
    Ok(())
}
