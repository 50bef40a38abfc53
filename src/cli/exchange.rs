//! `interlinea export|import-review`: documents out to other formats and reviews back in.

use std::io::Write;
use std::path::PathBuf;

use clap::{Subcommand, ValueEnum};

use crate::{open_session, DbArg};

#[derive(Subcommand)]
pub enum ExchangeCommand {
    /// Export a document: the English article (target), a bilingual review
    /// document (docx) or page (html), XLIFF 1.2 or 2.0,
    /// a bilingual CSV (TSV when FILE ends in .tsv), or its confirmed
    /// segments as TMX
    Export {
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
    },
    /// Bring back a reviewed DOCX or an XLIFF: only the segments that
    /// changed are updated (all or nothing); prints what changed
    ImportReview {
        doc: i64,
        file: PathBuf,
        #[command(flatten)]
        db: DbArg,
    },
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

pub fn export(
    out: &mut impl Write,
    doc: i64,
    format: ExportFormat,
    path: PathBuf,
    refuse_untranslated: bool,
    db: DbArg,
) -> anyhow::Result<()> {
    let tsv = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("tsv"));
    let format = match format {
        ExportFormat::Target => interlinea::export::ExportFormat::Target,
        ExportFormat::Docx => interlinea::export::ExportFormat::Docx,
        ExportFormat::Html => interlinea::export::ExportFormat::Html,
        ExportFormat::Xliff => interlinea::export::ExportFormat::Xliff,
        ExportFormat::Xliff2 => interlinea::export::ExportFormat::Xliff2,
        ExportFormat::Tmx => interlinea::export::ExportFormat::Tmx,
        ExportFormat::Csv if tsv => interlinea::export::ExportFormat::Tsv,
        ExportFormat::Csv => interlinea::export::ExportFormat::Csv,
    };
    let exported = open_session(&db)?
        .lock()
        .export(doc, format, refuse_untranslated, &path)?;
    if !exported.untranslated.is_empty() {
        eprintln!(
            "warning: {} segments are not translated; the Italian stands in",
            exported.untranslated.len()
        );
    }
    writeln!(out, "{} written to {}", exported.what, path.display())?;
    Ok(())
}

pub fn import_review(
    out: &mut impl Write,
    doc: i64,
    file: PathBuf,
    db: DbArg,
) -> anyhow::Result<()> {
    let report = open_session(&db)?.lock().import_review(doc, &file)?;
    writeln!(
        out,
        "{} targets changed, {} statuses changed, {} notes changed, {} unchanged",
        report.changed.len(),
        report.statuses.len(),
        report.notes.len(),
        report.unchanged
    )?;
    for change in &report.changed {
        writeln!(out, "{}\t{}\t{}", change.id, change.before, change.after)?;
    }
    Ok(())
}

pub fn run(out: &mut impl Write, command: ExchangeCommand) -> anyhow::Result<()> {
    match command {
        ExchangeCommand::Export {
            doc,
            format,
            out: path,
            refuse_untranslated,
            db,
        } => export(out, doc, format, path, refuse_untranslated, db)?,
        ExchangeCommand::ImportReview { doc, file, db } => import_review(out, doc, file, db)?,
    }
    Ok(())
}
