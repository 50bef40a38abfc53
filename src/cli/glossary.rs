//! `interlinea glossary …`: import, export, list, add, find.

use std::io::Write;
use std::path::PathBuf;

use clap::{Subcommand, ValueEnum};
use interlinea::glossary::TermMatcher;
use interlinea::session::GlossaryFormat;
use interlinea::store::glossary::DEFAULT_GLOSSARY;
use serde::Serialize;

use crate::{open_session, open_workspace, text_or_stdin_lines, DbArg, Format};

#[derive(Clone, Copy, ValueEnum)]
pub enum ExportFormat {
    Tbx,
    Csv,
}

#[derive(Subcommand)]
pub enum GlossaryCommand {
    /// Import a glossary: CSV or TSV (with a header row, or the bare
    /// two or three columns it, en, note), or TBX; all or nothing
    Import {
        file: PathBuf,
        /// Glossary to import into [default: the file name without extension]
        #[arg(long)]
        glossary: Option<String>,
        #[command(flatten)]
        db: DbArg,
    },
    /// Export a glossary (or every glossary) as TBX or CSV (TSV when FILE ends in .tsv)
    Export {
        #[arg(long, value_enum)]
        format: ExportFormat,
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        #[arg(long)]
        glossary: Option<String>,
        #[command(flatten)]
        db: DbArg,
    },
    /// List the glossaries
    List {
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
        #[command(flatten)]
        db: DbArg,
    },
    /// Add an entry: an Italian term and its English translation
    Add {
        italian: String,
        english: String,
        #[arg(long)]
        note: Option<String>,
        #[arg(long, default_value = DEFAULT_GLOSSARY)]
        glossary: String,
        #[command(flatten)]
        db: DbArg,
    },
    /// Find glossary terms in TEXT, or in each line of standard input
    Find {
        text: Option<String>,
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
        #[command(flatten)]
        db: DbArg,
    },
}

#[derive(Serialize)]
struct GlossaryLine<'a> {
    name: &'a str,
    entries: usize,
    enabled: bool,
}

#[derive(Serialize)]
struct FindLine<'a> {
    text: &'a str,
    hits: Vec<HitLine<'a>>,
}

#[derive(Serialize)]
struct HitLine<'a> {
    start: usize,
    end: usize,
    source: &'a str,
    targets: Vec<&'a str>,
}

pub fn run(out: &mut impl Write, command: GlossaryCommand) -> anyhow::Result<()> {
    match command {
        GlossaryCommand::Import { file, glossary, db } => {
            let name = glossary.unwrap_or_else(|| {
                file.file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_else(|| DEFAULT_GLOSSARY.into())
            });
            let n = open_session(&db)?
                .lock()
                .import_glossary_file(&file, &name)?;
            writeln!(out, "{n} entries imported into “{name}”")?;
        }
        GlossaryCommand::Export {
            format,
            out: path,
            glossary,
            db,
        } => {
            let format = match format {
                ExportFormat::Tbx => GlossaryFormat::Tbx,
                ExportFormat::Csv if GlossaryFormat::from_path(&path) == GlossaryFormat::Tsv => {
                    GlossaryFormat::Tsv
                }
                ExportFormat::Csv => GlossaryFormat::Csv,
            };
            let n = open_session(&db)?.lock().export_glossary_file(
                glossary.as_deref(),
                &path,
                format,
            )?;
            writeln!(out, "{n} entries written to {}", path.display())?;
        }
        GlossaryCommand::List { format, db } => {
            let ws = open_workspace(&db)?;
            for g in ws.glossaries()? {
                match format {
                    Format::Text => writeln!(
                        out,
                        "{}\t{} entries{}",
                        g.name,
                        g.n_entries,
                        if g.enabled { "" } else { "\tdisabled" }
                    )?,
                    Format::Jsonl => writeln!(
                        out,
                        "{}",
                        serde_json::to_string(&GlossaryLine {
                            name: &g.name,
                            entries: g.n_entries,
                            enabled: g.enabled,
                        })?
                    )?,
                }
            }
        }
        GlossaryCommand::Add {
            italian,
            english,
            note,
            glossary,
            db,
        } => {
            let added = open_session(&db)?
                .lock()
                .add_glossary_entry(&glossary, &italian, &english, note)?;
            for duplicate in &added.duplicates {
                let targets: Vec<&str> =
                    duplicate.english.iter().map(|t| t.text.as_str()).collect();
                eprintln!(
                    "warning: “{glossary}” already has “{}” → {} (entry {})",
                    italian,
                    targets.join(", "),
                    duplicate.id
                );
            }
            writeln!(out, "entry {} added to “{glossary}”", added.id)?;
        }
        GlossaryCommand::Find { text, format, db } => {
            let ws = open_workspace(&db)?;
            let matcher = TermMatcher::new(ws.glossary_entries(None, true)?);
            let texts = text_or_stdin_lines(text)?;
            for text in &texts {
                let hits = matcher.find(text);
                match format {
                    Format::Text => {
                        writeln!(out, "{text}")?;
                        let chars: Vec<char> = text.chars().collect();
                        for hit in &hits {
                            let found: String = chars[hit.start..hit.end].iter().collect();
                            let targets: Vec<&str> = hit
                                .entry
                                .targets()
                                .iter()
                                .map(|t| t.text.as_str())
                                .collect();
                            writeln!(
                                out,
                                "  {}..{}  {found}  ({})  → {}",
                                hit.start,
                                hit.end,
                                hit.term.text,
                                targets.join(" | ")
                            )?;
                        }
                    }
                    Format::Jsonl => {
                        let line = FindLine {
                            text,
                            hits: hits
                                .iter()
                                .map(|hit| HitLine {
                                    start: hit.start,
                                    end: hit.end,
                                    source: &hit.term.text,
                                    targets: hit
                                        .entry
                                        .targets()
                                        .iter()
                                        .map(|t| t.text.as_str())
                                        .collect(),
                                })
                                .collect(),
                        };
                        writeln!(out, "{}", serde_json::to_string(&line)?)?;
                    }
                }
            }
        }
    }
    Ok(())
}
