//! `interlinea effort|stats`: a document's figures: what suggestions saved, words by status, pace.

use std::io::Write;

use clap::Subcommand;
use serde::Serialize;

use crate::{open_workspace, DbArg, Format};

#[derive(Subcommand)]
pub enum ReportCommand {
    /// How much suggestions saved in a document: per TM and MT provider,
    /// the segments confirmed and the characters changed
    Effort {
        doc: i64,
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
        #[command(flatten)]
        db: DbArg,
    },
    /// A document's figures: segments and words (GMX-V) by status,
    /// characters, words per hour
    Stats {
        doc: i64,
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
        #[command(flatten)]
        db: DbArg,
    },
}

pub fn run(out: &mut impl Write, command: ReportCommand) -> anyhow::Result<()> {
    match command {
        ReportCommand::Effort { doc, format, db } => effort(out, doc, format, db)?,
        ReportCommand::Stats { doc, format, db } => stats(out, doc, format, db)?,
    }
    Ok(())
}

#[derive(Serialize)]
struct EffortLine<'a> {
    origin: &'a str,
    segments: usize,
    confirmed: usize,
    unedited: usize,
    suggested_chars: usize,
    changed_chars: usize,
}

pub fn effort(out: &mut impl Write, doc: i64, format: Format, db: DbArg) -> anyhow::Result<()> {
    let ws = open_workspace(&db)?;
    let rows = interlinea::mt::effort::effort(&ws, doc)?;
    match format {
        Format::Text => {
            writeln!(
                out,
                "{:<24} {:>8} {:>9} {:>8} {:>8}",
                "ORIGIN", "SEGMENTS", "CONFIRMED", "UNEDITED", "EDITED%"
            )?;
            for r in &rows {
                writeln!(
                    out,
                    "{:<24} {:>8} {:>9} {:>8} {:>7.1}%",
                    r.origin,
                    r.segments,
                    r.confirmed,
                    r.unedited,
                    r.edited_percent()
                )?;
            }
        }
        Format::Jsonl => {
            for r in &rows {
                let line = EffortLine {
                    origin: &r.origin,
                    segments: r.segments,
                    confirmed: r.confirmed,
                    unedited: r.unedited,
                    suggested_chars: r.suggested_chars,
                    changed_chars: r.changed_chars,
                };
                writeln!(out, "{}", serde_json::to_string(&line)?)?;
            }
        }
    }
    Ok(())
}

pub fn stats(out: &mut impl Write, doc: i64, format: Format, db: DbArg) -> anyhow::Result<()> {
    let ws = open_workspace(&db)?;
    let stats = interlinea::stats::document_stats(&ws, doc)?;
    match format {
        Format::Text => {
            writeln!(out, "{:<11} {:>8} {:>7}", "STATUS", "SEGMENTS", "WORDS")?;
            for c in &stats.by_status {
                writeln!(
                    out,
                    "{:<11} {:>8} {:>7}",
                    c.status.as_str(),
                    c.segments,
                    c.words
                )?;
            }
            writeln!(
                out,
                "{} words (GMX-V), {} characters",
                stats.words, stats.characters
            )?;
            if let Some(pace) = stats.words_per_hour {
                writeln!(
                    out,
                    "{pace:.0} words per hour over {:.0} minutes",
                    stats.active_minutes
                )?;
            }
        }
        Format::Jsonl => {
            let by_status: serde_json::Map<String, serde_json::Value> = stats
                .by_status
                .iter()
                .map(|c| {
                    (
                        c.status.as_str().to_string(),
                        serde_json::json!({"segments": c.segments, "words": c.words}),
                    )
                })
                .collect();
            let line = serde_json::json!({
                "words": stats.words,
                "characters": stats.characters,
                "by_status": by_status,
                "words_per_hour": stats.words_per_hour,
                "active_minutes": stats.active_minutes,
            });
            writeln!(out, "{line}")?;
        }
    }
    Ok(())
}
