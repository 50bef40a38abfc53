//! `interlinea glossary …`: import, export, list, add, find.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Subcommand, ValueEnum};
use interlinea::glossary::TermHit;
use interlinea::session::GlossaryFormat;
use interlinea::store::glossary::{GlossarySummary, DEFAULT_GLOSSARY};
use interlinea::termbase::Term;
use interlinea::text::count;
use serde::Serialize;

use crate::{
    file_stem_or, open_session, open_workspace, print_rows, text_or_stdin_lines, DbArg, Format,
};

#[derive(Clone, Copy, ValueEnum)]
pub enum ExportFormat {
    /// TBX-Basic in the TBX v3 structure (`<tbx>`)
    Tbx,
    /// TBX-Basic 2008 (`<martif>`), which OmegaT and translate-toolkit read
    TbxBasic,
    Csv,
    /// OmegaT's glossary: term, tab, translation, tab, comment
    #[value(name = "omegat")]
    OmegaT,
}

#[derive(Subcommand)]
pub enum GlossaryCommand {
    /// Import a glossary: CSV or TSV (with a header row, or the bare
    /// two or three columns it, en, note), OmegaT (.txt, .utf8) or TBX;
    /// all or nothing
    Import(ImportArgs),
    /// Export a glossary (or every glossary) as TBX, TBX-Basic 2008, CSV
    /// (TSV when FILE ends in .tsv) or OmegaT
    Export(ExportArgs),
    /// List the glossaries
    List {
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
        #[command(flatten)]
        db: DbArg,
    },
    /// Add an entry: an Italian term and its English translation
    Add(AddArgs),
    /// Find glossary terms in TEXT, or in each line of standard input
    Find(FindArgs),
}

#[derive(clap::Args)]
pub struct ImportArgs {
    file: PathBuf,
    /// Glossary to import into [default: the file name without extension]
    #[arg(long)]
    glossary: Option<String>,
    #[command(flatten)]
    db: DbArg,
}

#[derive(clap::Args)]
pub struct ExportArgs {
    #[arg(long, value_enum)]
    format: ExportFormat,
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    #[arg(long)]
    glossary: Option<String>,
    #[command(flatten)]
    db: DbArg,
}

#[derive(clap::Args)]
pub struct AddArgs {
    italian: String,
    english: String,
    #[arg(long)]
    note: Option<String>,
    #[arg(long, default_value = DEFAULT_GLOSSARY)]
    glossary: String,
    #[command(flatten)]
    db: DbArg,
}

#[derive(clap::Args)]
pub struct FindArgs {
    text: Option<String>,
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    #[command(flatten)]
    db: DbArg,
}

#[derive(Serialize)]
struct GlossaryLine<'a> {
    name: &'a str,
    entries: usize,
    enabled: bool,
}

impl<'a> From<&'a GlossarySummary> for GlossaryLine<'a> {
    fn from(g: &'a GlossarySummary) -> Self {
        GlossaryLine {
            name: &g.name,
            entries: g.n_entries,
            enabled: g.enabled,
        }
    }
}

/// A text and the glossary terms found in it.
type Found<'a> = (&'a str, Vec<TermHit<'a>>);

#[derive(Serialize)]
struct FindLine<'a> {
    text: &'a str,
    hits: Vec<HitLine<'a>>,
}

impl<'a> From<&'a Found<'a>> for FindLine<'a> {
    fn from((text, hits): &'a Found<'a>) -> Self {
        let hits = hits.iter().map(HitLine::from).collect();
        FindLine { text, hits }
    }
}

#[derive(Serialize)]
struct HitLine<'a> {
    start: usize,
    end: usize,
    source: &'a str,
    targets: Vec<&'a str>,
}

impl<'a> From<&TermHit<'a>> for HitLine<'a> {
    fn from(hit: &TermHit<'a>) -> Self {
        HitLine {
            start: hit.start,
            end: hit.end,
            source: &hit.term.text,
            targets: texts(hit.entry.targets()),
        }
    }
}

pub fn run(out: &mut impl Write, command: GlossaryCommand) -> anyhow::Result<()> {
    match command {
        GlossaryCommand::Import(args) => import(out, args),
        GlossaryCommand::Export(args) => export(out, args),
        GlossaryCommand::List { format, db } => list(out, format, db),
        GlossaryCommand::Add(args) => add(out, args),
        GlossaryCommand::Find(args) => find(out, args),
    }
}

fn import(out: &mut impl Write, args: ImportArgs) -> anyhow::Result<()> {
    let file = &args.file;
    let name = args
        .glossary
        .unwrap_or_else(|| file_stem_or(file, DEFAULT_GLOSSARY));
    let n = open_session(&args.db)?
        .lock()
        .import_glossary_file(file, &name)?;
    writeln!(
        out,
        "{} imported into “{name}”",
        count(n, "entry", "entries")
    )?;
    Ok(())
}

fn export(out: &mut impl Write, args: ExportArgs) -> anyhow::Result<()> {
    let (path, glossary) = (&args.out, args.glossary.as_deref());
    let format = glossary_format(args.format, path);
    let n = open_session(&args.db)?
        .lock()
        .export_glossary_file(glossary, path, format)?;
    writeln!(
        out,
        "{} written to {}",
        count(n, "entry", "entries"),
        path.display()
    )?;
    Ok(())
}

/// CSV is written as TSV when the file's name says so.
fn glossary_format(format: ExportFormat, path: &Path) -> GlossaryFormat {
    match format {
        ExportFormat::Tbx => GlossaryFormat::Tbx,
        ExportFormat::TbxBasic => GlossaryFormat::TbxBasic,
        ExportFormat::OmegaT => GlossaryFormat::OmegaT,
        ExportFormat::Csv if GlossaryFormat::from_path(path) == GlossaryFormat::Tsv => {
            GlossaryFormat::Tsv
        }
        ExportFormat::Csv => GlossaryFormat::Csv,
    }
}

fn list(out: &mut impl Write, format: Format, db: DbArg) -> anyhow::Result<()> {
    let glossaries = open_workspace(&db)?.glossaries()?;
    print_rows(out, format, &glossaries, GlossaryLine::from, |g| {
        let disabled = if g.enabled { "" } else { "\tdisabled" };
        format!(
            "{}\t{}{disabled}",
            g.name,
            count(g.n_entries, "entry", "entries")
        )
    })
}

fn add(out: &mut impl Write, args: AddArgs) -> anyhow::Result<()> {
    let (glossary, italian, english) = (&args.glossary, &args.italian, &args.english);
    let session = open_session(&args.db)?;
    let added = session
        .lock()
        .add_glossary_entry(glossary, italian, english, args.note)?;
    for duplicate in &added.duplicates {
        let (targets, id) = (texts(&duplicate.english).join(", "), duplicate.id);
        eprintln!("warning: “{glossary}” already has “{italian}” → {targets} (entry {id})");
    }
    writeln!(out, "entry {} added to “{glossary}”", added.id)?;
    Ok(())
}

fn find(out: &mut impl Write, args: FindArgs) -> anyhow::Result<()> {
    let (session, texts) = (open_session(&args.db)?, text_or_stdin_lines(args.text)?);
    let mut open = session.lock();
    let terms = open.terms()?;
    let found: Vec<Found> = texts.iter().map(|t| (t.as_str(), terms.find(t))).collect();
    print_rows(out, args.format, &found, FindLine::from, find_text)
}

/// The text, then each term found: where, as written, its entry's Italian
/// term, and the English.
fn find_text((text, hits): &Found) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut lines = vec![text.to_string()];
    for hit in hits {
        let found: String = chars[hit.start..hit.end].iter().collect();
        let (start, end, term) = (hit.start, hit.end, &hit.term.text);
        let targets = texts(hit.entry.targets()).join(" | ");
        lines.push(format!("  {start}..{end}  {found}  ({term})  → {targets}"));
    }
    lines.join("\n")
}

fn texts<'a>(terms: impl IntoIterator<Item = &'a Term>) -> Vec<&'a str> {
    terms.into_iter().map(|t| t.text.as_str()).collect()
}
