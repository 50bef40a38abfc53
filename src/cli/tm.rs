//! `interlinea tm …`: translation memories: import, export, list, search, look up.

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;

use clap::Subcommand;
use interlinea::session::{ConcordanceHit, MatchOptions, Open, SegmentMatch};
use interlinea::store::tm::TmSummary;
use interlinea::text::{codes, count};
use interlinea::tm::{MatchQuery, Search};
use serde::Serialize;

use crate::{
    file_stem_or, open_session, open_workspace, print_rows, text_or_stdin_lines, DbArg, Format,
};

#[derive(Subcommand)]
pub enum TmCommand {
    /// Import a TMX file (all or nothing)
    Import(ImportArgs),
    /// Export a TM (or every TM) as TMX 1.4b
    Export(ExportArgs),
    /// List the translation memories
    List {
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
        #[command(flatten)]
        db: DbArg,
    },
    /// Find units whose source or target contains a word or phrase
    Search(SearchArgs),
    /// Delete a translation memory and its units
    Delete {
        name: String,
        #[command(flatten)]
        db: DbArg,
    },
    /// Mark a translation memory read-only (true) or writable (false)
    ReadOnly(ReadOnlyArgs),
    /// Find TM matches for TEXT, for each line of standard input, or with
    /// --doc and --segment for a document's segment as the editor lists
    /// them (its previous version first when an update edited it)
    Lookup(LookupArgs),
}

#[derive(clap::Args)]
pub struct ImportArgs {
    file: PathBuf,
    /// TM to import into [default: the file name without extension]
    #[arg(long)]
    tm: Option<String>,
    /// Mark the TM read-only after the import
    #[arg(long)]
    read_only: bool,
    #[command(flatten)]
    db: DbArg,
}

#[derive(clap::Args)]
pub struct ExportArgs {
    #[arg(long)]
    tm: Option<String>,
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    #[command(flatten)]
    db: DbArg,
}

#[derive(clap::Args)]
pub struct SearchArgs {
    phrase: String,
    #[arg(long, default_value_t = 50)]
    limit: usize,
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    #[command(flatten)]
    db: DbArg,
}

#[derive(clap::Args)]
pub struct ReadOnlyArgs {
    name: String,
    #[arg(action = clap::ArgAction::Set)]
    read_only: bool,
    #[command(flatten)]
    db: DbArg,
}

#[derive(clap::Args)]
pub struct LookupArgs {
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
}

#[derive(Serialize)]
struct TmLine<'a> {
    name: &'a str,
    units: usize,
    read_only: bool,
}

impl<'a> From<&'a TmSummary> for TmLine<'a> {
    fn from(tm: &'a TmSummary) -> Self {
        TmLine {
            name: &tm.name,
            units: tm.n_units,
            read_only: tm.read_only,
        }
    }
}

/// A concordance hit: a match line without a score.
#[derive(Serialize)]
struct ConcordanceLine<'a> {
    source: &'a str,
    target: &'a str,
    tm: &'a str,
}

impl<'a> From<&'a ConcordanceHit> for ConcordanceLine<'a> {
    fn from(hit: &'a ConcordanceHit) -> Self {
        ConcordanceLine {
            source: &hit.unit.source,
            target: &hit.unit.target,
            tm: &hit.unit.tm,
        }
    }
}

/// A match with its codes in the notation, numbered as in the query (the
/// match carries the query's own codes).
#[derive(Serialize)]
struct MatchLine<'a> {
    score: u32,
    source: String,
    target: String,
    tm: &'a str,
}

impl<'a> MatchLine<'a> {
    fn new(query: &str, m: &'a SegmentMatch) -> Self {
        MatchLine {
            score: m.score,
            source: codes::to_notation(query, &m.source),
            target: codes::to_notation(query, &m.target),
            tm: &m.tm,
        }
    }
}

#[derive(Serialize)]
struct LookupLine<'a> {
    query: String,
    matches: Vec<MatchLine<'a>>,
}

impl<'a> From<&'a (String, Vec<SegmentMatch>)> for LookupLine<'a> {
    fn from((query, matches): &'a (String, Vec<SegmentMatch>)) -> Self {
        let matches = matches.iter().map(|m| MatchLine::new(query, m)).collect();
        LookupLine {
            query: codes::to_notation(query, query),
            matches,
        }
    }
}

pub fn run(out: &mut impl Write, command: TmCommand) -> anyhow::Result<()> {
    match command {
        TmCommand::Import(args) => import(out, args),
        TmCommand::Export(args) => export(out, args),
        TmCommand::Search(args) => search(out, args),
        TmCommand::Delete { name, db } => delete(name, db),
        TmCommand::ReadOnly(args) => set_read_only(args),
        TmCommand::List { format, db } => list(out, format, db),
        TmCommand::Lookup(args) => lookup(out, args),
    }
}

fn import(out: &mut impl Write, args: ImportArgs) -> anyhow::Result<()> {
    let (file, read_only) = (&args.file, args.read_only);
    let name = args.tm.unwrap_or_else(|| file_stem_or(file, "imported"));
    let total = std::fs::metadata(file).map_or(0, |m| m.len()).max(1);
    let session = open_session(&args.db)?;
    let mut open = session.lock();
    let show = io::stderr().is_terminal();
    let report = open.import_tmx(file, &name, read_only, &mut |bytes, units| {
        if show {
            eprint!(
                "\r{:>3}%  {}",
                bytes * 100 / total,
                count(units, "unit", "units")
            );
        }
    })?;
    index_now(&mut open, show);
    let (added, duplicates, skipped) = (report.added, report.duplicates, report.skipped);
    let counts = format!(
        "{}, {skipped} without Italian and English",
        count(duplicates, "duplicate", "duplicates")
    );
    writeln!(
        out,
        "{} added to `{name}`, {counts}",
        count(added, "unit", "units")
    )?;
    Ok(())
}

/// What the app does in the background after an import; a command does it
/// now, so the first `tm search` is not the one to wait. The units are in:
/// a failure here leaves the rest to that search.
fn index_now(open: &mut Open, show: bool) {
    if show {
        eprintln!();
        eprint!("indexing for concordance search…");
    }
    match open.workspace_mut().catch_up() {
        Ok(_) if show => eprintln!(" done"),
        Ok(_) => {}
        Err(e) => eprintln!("\nthe concordance index will be completed by the next search: {e}"),
    }
}

fn export(out: &mut impl Write, args: ExportArgs) -> anyhow::Result<()> {
    let path = &args.out;
    let n = open_session(&args.db)?
        .lock()
        .export_tmx(args.tm.as_deref(), path)?;
    writeln!(
        out,
        "{} written to {}",
        count(n, "unit", "units"),
        path.display()
    )?;
    Ok(())
}

fn search(out: &mut impl Write, args: SearchArgs) -> anyhow::Result<()> {
    let hits = open_session(&args.db)?
        .lock()
        .concordance(&args.phrase, args.limit)?;
    let text = |hit: &ConcordanceHit| {
        let unit = &hit.unit;
        format!("{}  [{}]\n  {}", unit.source, unit.tm, unit.target)
    };
    print_rows(out, args.format, &hits, ConcordanceLine::from, text)
}

fn delete(name: String, db: DbArg) -> anyhow::Result<()> {
    open_session(&db)?.lock().delete_tm(&name)?;
    Ok(())
}

fn set_read_only(args: ReadOnlyArgs) -> anyhow::Result<()> {
    open_workspace(&args.db)?.set_tm_read_only(&args.name, args.read_only)?;
    Ok(())
}

fn list(out: &mut impl Write, format: Format, db: DbArg) -> anyhow::Result<()> {
    let tms = open_workspace(&db)?.tms()?;
    print_rows(out, format, &tms, TmLine::from, |tm| {
        let read_only = if tm.read_only { "  (read-only)" } else { "" };
        format!("{:>9}  {}{read_only}", tm.n_units, tm.name)
    })
}

fn lookup(out: &mut impl Write, args: LookupArgs) -> anyhow::Result<()> {
    let found = match args.doc.zip(args.segment) {
        Some((doc, segment)) => segment_matches(doc, segment, &args)?,
        None => text_matches(&args)?,
    };
    print_rows(out, args.format, &found, LookupLine::from, lookup_text)
}

/// The matches of each query: (its Italian, the matches).
type Found = Vec<(String, Vec<SegmentMatch>)>;

fn segment_matches(doc: i64, segment: i64, args: &LookupArgs) -> anyhow::Result<Found> {
    let session = open_session(&args.db)?;
    let mut open = session.lock();
    let source = open.workspace().segment(doc, segment)?.source;
    Ok(vec![(
        source,
        open.segment_matches(doc, segment, args.options())?,
    )])
}

fn text_matches(args: &LookupArgs) -> anyhow::Result<Found> {
    let queries = text_or_stdin_lines(args.text.clone())?;
    let session = open_session(&args.db)?;
    let mut open = session.lock();
    let mut found = Vec::new();
    for text in queries {
        let matches = open.lookup(&args.query(&text))?;
        found.push((text, matches.into_iter().map(SegmentMatch::from).collect()));
    }
    Ok(found)
}

impl LookupArgs {
    fn options(&self) -> MatchOptions {
        MatchOptions {
            min_score: self.min,
            limit: self.limit,
            search: if self.exhaustive {
                Search::Exhaustive
            } else {
                Search::Indexed
            },
        }
    }

    fn query<'t>(&self, text: &'t str) -> MatchQuery<'t> {
        MatchQuery::new(text).with(self.options())
    }
}

/// The query, then each match's score, Italian and TM, and its English.
fn lookup_text((query, matches): &(String, Vec<SegmentMatch>)) -> String {
    let shown = |text: &str| codes::to_display(query, text);
    let mut lines = vec![shown(query)];
    for m in matches {
        lines.push(format!(
            "  {:>3}  {}  [{}]",
            m.score,
            shown(&m.source),
            m.tm
        ));
        lines.push(format!("       {}", shown(&m.target)));
    }
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;

    #[derive(Parser)]
    struct Lookup {
        #[command(flatten)]
        args: LookupArgs,
    }

    #[test]
    fn a_segments_lookup_scores_every_unit_when_asked() {
        let parsed = Lookup::parse_from(["lookup", "--doc", "1", "--segment", "2", "--exhaustive"]);
        assert_eq!(parsed.args.options().search, Search::Exhaustive);
        assert_eq!(parsed.args.query("x").search, Search::Exhaustive);
        let parsed = Lookup::parse_from(["lookup", "x", "--min", "60"]);
        assert_eq!(parsed.args.options().search, Search::Indexed);
        assert_eq!(parsed.args.query("x").min_score, 60);
    }
}
