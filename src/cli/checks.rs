//! `interlinea qa|style|facts|qa-ignore`: checking a document's translations.

use std::io::Write;

use clap::Subcommand;
use serde::Serialize;

use interlinea::facts::Fact;
use interlinea::qa::Finding;

use crate::{open_session, print_rows, DbArg, Format};

#[derive(Subcommand)]
pub enum CheckCommand {
    /// Check a document's translations: numbers, empty or untranslated
    /// segments, spaces, punctuation, quotes and brackets, capitals, length,
    /// consistency, glossary terms and spelling (exit 0 whatever is found)
    Qa(QaArgs),
    /// Show or set a document's house style: us-wire, uk-paper, or none
    Style {
        doc: i64,
        preset: Option<String>,
        #[command(flatten)]
        db: DbArg,
    },
    /// List every number, date, time, name and quote of a document's
    /// Italian and whether its English has it
    Facts(FactsArgs),
    /// Mark a QA finding as a false alarm for the segment's current English
    QaIgnore(QaIgnoreArgs),
}

#[derive(clap::Args)]
pub struct QaArgs {
    doc: i64,
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    /// Check this house style too (us-wire, uk-paper) [default: the
    /// document's, if it has one]
    #[arg(long, value_name = "PRESET")]
    style: Option<String>,
    #[command(flatten)]
    db: DbArg,
}

#[derive(clap::Args)]
pub struct FactsArgs {
    doc: i64,
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    /// Only what the English is missing
    #[arg(long)]
    missing: bool,
    #[command(flatten)]
    db: DbArg,
}

#[derive(clap::Args)]
pub struct QaIgnoreArgs {
    doc: i64,
    segment: i64,
    /// The check's name, as `interlinea qa` prints it
    check: String,
    #[command(flatten)]
    db: DbArg,
}

#[derive(Serialize)]
struct QaLine<'a> {
    segment: i64,
    check: &'a str,
    message: &'a str,
}

impl<'a> From<&'a Finding> for QaLine<'a> {
    fn from(finding: &'a Finding) -> Self {
        QaLine {
            segment: finding.segment,
            check: finding.check.as_str(),
            message: &finding.message,
        }
    }
}

#[derive(Serialize)]
struct FactLine<'a> {
    segment: i64,
    kind: &'static str,
    italian: &'a str,
    found: bool,
    hint: Option<&'a str>,
}

impl<'a> From<&'a Fact> for FactLine<'a> {
    fn from(fact: &'a Fact) -> Self {
        FactLine {
            segment: fact.segment,
            kind: fact.kind.as_str(),
            italian: &fact.italian,
            found: fact.found,
            hint: fact.hint.as_deref(),
        }
    }
}

pub fn run(out: &mut impl Write, command: CheckCommand) -> anyhow::Result<()> {
    match command {
        CheckCommand::Qa(args) => qa(out, args),
        CheckCommand::Style { doc, preset, db } => style(out, doc, preset, db),
        CheckCommand::Facts(args) => facts(out, args),
        CheckCommand::QaIgnore(args) => qa_ignore(out, args),
    }
}

fn qa(out: &mut impl Write, args: QaArgs) -> anyhow::Result<()> {
    let findings = open_session(&args.db)?
        .lock()
        .qa(args.doc, args.style.as_deref())?;
    print_rows(out, args.format, &findings, QaLine::from, |f| {
        format!("{:>6}  {:<18} {}", f.segment, f.check.as_str(), f.message)
    })
}

fn style(out: &mut impl Write, doc: i64, preset: Option<String>, db: DbArg) -> anyhow::Result<()> {
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

fn facts(out: &mut impl Write, args: FactsArgs) -> anyhow::Result<()> {
    let mut facts = open_session(&args.db)?.lock().fact_checklist(args.doc)?;
    facts.retain(|fact| !(args.missing && fact.found));
    print_rows(out, args.format, &facts, FactLine::from, |f| {
        let hint = f
            .hint
            .as_ref()
            .map(|h| format!("  → {h}"))
            .unwrap_or_default();
        let mark = if f.found { "✓" } else { "✗" };
        format!(
            "{:>6}  {mark}  {:<6}  {}{hint}",
            f.segment,
            f.kind.as_str(),
            f.italian
        )
    })
}

fn qa_ignore(out: &mut impl Write, args: QaIgnoreArgs) -> anyhow::Result<()> {
    let (doc, segment, check) = (args.doc, args.segment, args.check);
    open_session(&args.db)?
        .lock()
        .ignore_qa(doc, segment, &check)?;
    writeln!(
        out,
        "{check} ignored for segment {segment} while its English stays as it is"
    )?;
    Ok(())
}
