//! `interlinea export|import-review`: documents out to other formats and reviews back in.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Subcommand, ValueEnum};
use interlinea::export;
use interlinea::text::count;

use crate::{open_session, DbArg};

#[derive(Subcommand)]
pub enum ExchangeCommand {
    /// Export a document: the English article (target), a bilingual review
    /// document (docx) or page (html), XLIFF 1.2 or 2.0,
    /// a bilingual CSV (TSV when FILE ends in .tsv), or its confirmed
    /// segments as TMX
    Export(ExportArgs),
    /// Bring back a reviewed DOCX or an XLIFF: only the segments that
    /// changed are updated (all or nothing); prints what changed
    ImportReview(ImportReviewArgs),
}

#[derive(clap::Args)]
pub struct ExportArgs {
    doc: i64,
    #[arg(long, value_enum)]
    format: ExportFormat,
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    /// Fail when segments are untranslated, instead of keeping the Italian
    #[arg(long)]
    refuse_untranslated: bool,
    #[command(flatten)]
    db: DbArg,
}

#[derive(clap::Args)]
pub struct ImportReviewArgs {
    doc: i64,
    file: PathBuf,
    #[command(flatten)]
    db: DbArg,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum ExportFormat {
    Target,
    Docx,
    Html,
    Xliff,
    Xliff2,
    Tmx,
    Csv,
}

pub fn run(out: &mut impl Write, command: ExchangeCommand) -> anyhow::Result<()> {
    match command {
        ExchangeCommand::Export(args) => export(out, args),
        ExchangeCommand::ImportReview(args) => import_review(out, args),
    }
}

fn export(out: &mut impl Write, args: ExportArgs) -> anyhow::Result<()> {
    let (path, refuse) = (&args.out, args.refuse_untranslated);
    let format = export_format(args.format, path);
    let exported = open_session(&args.db)?
        .lock()
        .export(args.doc, format, refuse, path)?;
    let untranslated = exported.untranslated.len();
    if untranslated > 0 {
        eprintln!(
            "warning: {} not translated; the Italian stands in",
            count(untranslated, "segment is", "segments are")
        );
    }
    writeln!(out, "{} written to {}", exported.what, path.display())?;
    Ok(())
}

/// CSV is written as TSV when the file's name ends in .tsv.
fn export_format(format: ExportFormat, path: &Path) -> export::ExportFormat {
    let tsv = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("tsv"));
    match format {
        ExportFormat::Target => export::ExportFormat::Target,
        ExportFormat::Docx => export::ExportFormat::Docx,
        ExportFormat::Html => export::ExportFormat::Html,
        ExportFormat::Xliff => export::ExportFormat::Xliff,
        ExportFormat::Xliff2 => export::ExportFormat::Xliff2,
        ExportFormat::Tmx => export::ExportFormat::Tmx,
        ExportFormat::Csv if tsv => export::ExportFormat::Tsv,
        ExportFormat::Csv => export::ExportFormat::Csv,
    }
}

fn import_review(out: &mut impl Write, args: ImportReviewArgs) -> anyhow::Result<()> {
    let report = open_session(&args.db)?
        .lock()
        .import_review(args.doc, &args.file)?;
    let (targets, statuses, notes) = (
        report.changed.len(),
        report.statuses.len(),
        report.notes.len(),
    );
    let unchanged = report.unchanged;
    // Said only when it happens, so the usual line stays as scripts know it.
    let skipped = match report.empty_sources {
        0 => String::new(),
        n => format!(
            ", {} with an empty source skipped",
            count(n, "unit", "units")
        ),
    };
    let skipped = match report.dropped_codes {
        0 => skipped,
        n => format!(
            "{skipped}, {} the Italian does not have left out",
            count(n, "inline code", "inline codes")
        ),
    };
    writeln!(
        out,
        "{} changed, {} changed, {} changed, {unchanged} unchanged{skipped}",
        count(targets, "target", "targets"),
        count(statuses, "status", "statuses"),
        count(notes, "note", "notes")
    )?;
    for change in &report.changed {
        writeln!(out, "{}\t{}\t{}", change.id, change.before, change.after)?;
    }
    Ok(())
}
