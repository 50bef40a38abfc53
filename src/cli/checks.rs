//! `interlinea qa|style|facts|qa-ignore`: checking a document's translations.

use std::io::Write;

use clap::Subcommand;
use serde::Serialize;

use crate::{open_session, DbArg, Format};

#[derive(Subcommand)]
pub enum CheckCommand {
    /// Check a document's translations: numbers, empty or untranslated
    /// segments, spaces, punctuation, quotes and brackets, capitals, length,
    /// consistency and glossary terms (exit 0 whatever is found)
    Qa {
        doc: i64,
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
        /// Check this house style too (us-wire, uk-paper) [default: the
        /// document's, if it has one]
        #[arg(long, value_name = "PRESET")]
        style: Option<String>,
        #[command(flatten)]
        db: DbArg,
    },
    /// Show or set a document's house style: us-wire, uk-paper, or none
    Style {
        doc: i64,
        preset: Option<String>,
        #[command(flatten)]
        db: DbArg,
    },
    /// List every number, date, time, name and quote of a document's
    /// Italian and whether its English has it
    Facts {
        doc: i64,
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
        /// Only what the English is missing
        #[arg(long)]
        missing: bool,
        #[command(flatten)]
        db: DbArg,
    },
    /// Mark a QA finding as a false alarm for the segment's current English
    QaIgnore {
        doc: i64,
        segment: i64,
        /// The check's name, as `interlinea qa` prints it
        check: String,
        #[command(flatten)]
        db: DbArg,
    },
}

#[derive(Serialize)]
struct QaLine<'a> {
    segment: i64,
    check: &'a str,
    message: &'a str,
}

#[derive(Serialize)]
struct FactLine<'a> {
    segment: i64,
    kind: &'static str,
    italian: &'a str,
    found: bool,
    hint: Option<&'a str>,
}

pub fn qa(
    out: &mut impl Write,
    doc: i64,
    format: Format,
    style: Option<String>,
    db: DbArg,
) -> anyhow::Result<()> {
    for finding in open_session(&db)?.lock().qa(doc, style.as_deref())? {
        match format {
            Format::Text => writeln!(
                out,
                "{:>6}  {:<18} {}",
                finding.segment,
                finding.check.as_str(),
                finding.message
            )?,
            Format::Jsonl => {
                let line = QaLine {
                    segment: finding.segment,
                    check: finding.check.as_str(),
                    message: &finding.message,
                };
                writeln!(out, "{}", serde_json::to_string(&line)?)?;
            }
        }
    }
    Ok(())
}

pub fn style(
    out: &mut impl Write,
    doc: i64,
    preset: Option<String>,
    db: DbArg,
) -> anyhow::Result<()> {
    let session = open_session(&db)?;
    let mut open = session.lock();
    match preset.as_deref() {
        None => {
            let style = open.workspace().document_style(doc)?;
            writeln!(out, "{}", style.unwrap_or("none".into()))?
        }
        Some("none") => open.set_document_style(doc, None)?,
        Some(name) => open.set_document_style(doc, Some(name))?,
    }
    Ok(())
}

pub fn facts(
    out: &mut impl Write,
    doc: i64,
    format: Format,
    missing: bool,
    db: DbArg,
) -> anyhow::Result<()> {
    for fact in open_session(&db)?.lock().fact_checklist(doc)? {
        if missing && fact.found {
            continue;
        }
        match format {
            Format::Text => writeln!(
                out,
                "{:>6}  {}  {:<6}  {}{}",
                fact.segment,
                if fact.found { "✓" } else { "✗" },
                fact.kind.as_str(),
                fact.italian,
                fact.hint.map(|h| format!("  → {h}")).unwrap_or_default()
            )?,
            Format::Jsonl => {
                let line = FactLine {
                    segment: fact.segment,
                    kind: fact.kind.as_str(),
                    italian: &fact.italian,
                    found: fact.found,
                    hint: fact.hint.as_deref(),
                };
                writeln!(out, "{}", serde_json::to_string(&line)?)?;
            }
        }
    }
    Ok(())
}

pub fn qa_ignore(
    out: &mut impl Write,
    doc: i64,
    segment: i64,
    check: String,
    db: DbArg,
) -> anyhow::Result<()> {
    open_session(&db)?.lock().ignore_qa(doc, segment, &check)?;
    writeln!(
        out,
        "{check} ignored for segment {segment} while its English stays as it is"
    )?;
    Ok(())
}

pub fn run(out: &mut impl Write, command: CheckCommand) -> anyhow::Result<()> {
    match command {
        CheckCommand::Qa {
            doc,
            format,
            style,
            db,
        } => qa(out, doc, format, style, db)?,
        CheckCommand::Style { doc, preset, db } => style(out, doc, preset, db)?,
        CheckCommand::Facts {
            doc,
            format,
            missing,
            db,
        } => facts(out, doc, format, missing, db)?,
        CheckCommand::QaIgnore {
            doc,
            segment,
            check,
            db,
        } => qa_ignore(out, doc, segment, check, db)?,
    }
    Ok(())
}
