//! `interlinea effort|stats`: a document's figures: what suggestions saved, words by status, pace.

use std::io::Write;

use clap::Subcommand;
use serde::Serialize;

use interlinea::mt::effort::Effort;
use interlinea::stats::DocumentStats;
use interlinea::text::count;
use serde_json::json;

use crate::{open_workspace, print_table, DbArg, Format};

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
        ReportCommand::Effort { doc, format, db } => effort(out, doc, format, db),
        ReportCommand::Stats { doc, format, db } => stats(out, doc, format, db),
    }
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

impl<'a> From<&'a Effort> for EffortLine<'a> {
    fn from(r: &'a Effort) -> Self {
        EffortLine {
            origin: &r.origin,
            segments: r.segments,
            confirmed: r.confirmed,
            unedited: r.unedited,
            suggested_chars: r.suggested_chars,
            changed_chars: r.changed_chars,
        }
    }
}

fn effort(out: &mut impl Write, doc: i64, format: Format, db: DbArg) -> anyhow::Result<()> {
    let rows = interlinea::mt::effort::effort(&open_workspace(&db)?, doc)?;
    let header = format!(
        "{:<24} {:>8} {:>9} {:>8} {:>8}",
        "ORIGIN", "SEGMENTS", "CONFIRMED", "UNEDITED", "EDITED%"
    );
    print_table(out, format, &header, &rows, EffortLine::from, |r| {
        let (origin, segments, confirmed, unedited) =
            (&r.origin, r.segments, r.confirmed, r.unedited);
        let edited = r.edited_percent();
        format!("{origin:<24} {segments:>8} {confirmed:>9} {unedited:>8} {edited:>7.1}%")
    })
}

fn stats(out: &mut impl Write, doc: i64, format: Format, db: DbArg) -> anyhow::Result<()> {
    let stats = interlinea::stats::document_stats(&open_workspace(&db)?, doc)?;
    let stats = match format {
        Format::Text => stats_text(&stats),
        Format::Jsonl => stats_json(&stats).to_string(),
    };
    writeln!(out, "{stats}")?;
    Ok(())
}

/// Segments and words by status; words, characters and pace.
fn stats_text(stats: &DocumentStats) -> String {
    let mut lines = vec![format!("{:<11} {:>8} {:>7}", "STATUS", "SEGMENTS", "WORDS")];
    for c in &stats.by_status {
        lines.push(format!(
            "{:<11} {:>8} {:>7}",
            c.status.as_str(),
            c.segments,
            c.words
        ));
    }
    lines.push(format!(
        "{} (GMX-V), {}",
        count(stats.words, "word", "words"),
        count(stats.characters, "character", "characters")
    ));
    if let Some(pace) = stats.words_per_hour {
        let minutes = stats.active_minutes;
        lines.push(format!(
            "{pace:.0} words per hour over {minutes:.0} minutes"
        ));
    }
    lines.join("\n")
}

fn stats_json(stats: &DocumentStats) -> serde_json::Value {
    let by_status: serde_json::Map<String, serde_json::Value> = (stats.by_status.iter())
        .map(|c| {
            (
                c.status.as_str().to_string(),
                json!({"segments": c.segments, "words": c.words}),
            )
        })
        .collect();
    json!({
        "words": stats.words,
        "characters": stats.characters,
        "by_status": by_status,
        "words_per_hour": stats.words_per_hour,
        "active_minutes": stats.active_minutes,
    })
}
