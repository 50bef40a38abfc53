//! `interlinea glossary …`: import, export, list, add, find.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use clap::{Subcommand, ValueEnum};
use interlinea::formats::{glossary_table, tbx};
use interlinea::glossary::TermMatcher;
use interlinea::store::glossary::DEFAULT_GLOSSARY;
use interlinea::termbase::Entry;
use serde::Serialize;

use crate::{open_workspace, text_or_stdin_lines, DbArg, Format};

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

fn is_tbx(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("tbx") || e.eq_ignore_ascii_case("xml"))
}

fn read_entries(file: &Path) -> anyhow::Result<Vec<Entry>> {
    let bytes = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    if is_tbx(file) {
        return tbx::read(&bytes[..]).with_context(|| format!("{}", file.display()));
    }
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    glossary_table::read(&bytes, glossary_table::delimiter(&name, &bytes)).map_err(|errors| {
        let lines: Vec<String> = errors.iter().map(|e| format!("  {e}")).collect();
        anyhow::anyhow!(
            "{}: {} bad {}; nothing was imported\n{}",
            file.display(),
            errors.len(),
            if errors.len() == 1 { "row" } else { "rows" },
            lines.join("\n")
        )
    })
}

pub fn run(out: &mut impl Write, command: GlossaryCommand) -> anyhow::Result<()> {
    match command {
        GlossaryCommand::Import { file, glossary, db } => {
            let name = glossary.unwrap_or_else(|| {
                file.file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_else(|| DEFAULT_GLOSSARY.into())
            });
            let entries = read_entries(&file)?;
            let mut ws = open_workspace(&db)?;
            let n = ws.import_glossary(&name, &entries)?;
            writeln!(out, "{n} entries imported into “{name}”")?;
        }
        GlossaryCommand::Export {
            format,
            out: path,
            glossary,
            db,
        } => {
            let ws = open_workspace(&db)?;
            if let Some(name) = &glossary {
                if !ws.glossaries()?.iter().any(|g| &g.name == name) {
                    bail!("no glossary `{name}`");
                }
            }
            let entries = ws.glossary_entries(glossary.as_deref(), false)?;
            let text = match format {
                ExportFormat::Tbx => {
                    tbx::write(&entries, glossary.as_deref().unwrap_or("Interlinea"))
                }
                ExportFormat::Csv => {
                    let name = path
                        .file_name()
                        .map(|n| n.to_string_lossy())
                        .unwrap_or_default();
                    let delimiter = if name.to_lowercase().ends_with(".tsv") {
                        b'\t'
                    } else {
                        b','
                    };
                    glossary_table::write(&entries, delimiter)
                }
            };
            std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
            writeln!(
                out,
                "{} entries written to {}",
                entries.len(),
                path.display()
            )?;
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
            let mut ws = open_workspace(&db)?;
            let mut entry = Entry::pair(&italian, &english);
            entry.note = note;
            for duplicate in ws.duplicate_entries(&glossary, &entry)? {
                let targets: Vec<&str> =
                    duplicate.english.iter().map(|t| t.text.as_str()).collect();
                eprintln!(
                    "warning: “{glossary}” already has “{}” → {} (entry {})",
                    italian,
                    targets.join(", "),
                    duplicate.id
                );
            }
            let id = ws.add_entry(&glossary, &entry)?;
            writeln!(out, "entry {id} added to “{glossary}”")?;
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
