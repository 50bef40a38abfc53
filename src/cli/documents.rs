//! `interlinea segment|import|reimport|docs|show|set-target|split|merge|set-translatable|exceptions|pretranslate|analyze|stats|effort`: a document's life in the workspace.

use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::{Subcommand, ValueEnum};
use interlinea::session::ArticleSource;
use interlinea::store::Status;
use interlinea::tm;
use interlinea::{import_bytes, Segmenter, Workspace};
use serde::Serialize;

use crate::{open_session, open_workspace, DbArg, Format};

#[derive(Subcommand)]
pub enum DocumentCommand {
    /// Split an article into segments (no database needed)
    Segment {
        /// Article file (.txt, .md, .html), its URL, or - for standard input
        #[arg(default_value = "-")]
        file: String,
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
        /// Use the rules of this SRX 2.0 file instead of the built-in ones
        #[arg(long, value_name = "FILE")]
        srx: Option<PathBuf>,
    },
    /// Import an article (text, Markdown, HTML, or a news page's URL) or an
    /// XLIFF 1.2/2.0 file from any CAT tool into the workspace; prints the
    /// new document's id
    Import {
        /// A file, or an http(s) URL
        file: PathBuf,
        /// Name shown in the document list [default: the file name]
        #[arg(long)]
        name: Option<String>,
        #[command(flatten)]
        db: DbArg,
    },
    /// Bring in a later version of a document's article (file or URL):
    /// unchanged segments keep their work, edited ones get the old
    /// translation as a match; prints {"unchanged","edited","new","removed"}
    Reimport {
        doc: i64,
        /// A file, or an http(s) URL
        source: String,
        #[command(flatten)]
        db: DbArg,
    },
    /// List the workspace's documents with segments, words and progress
    Docs {
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
        #[command(flatten)]
        db: DbArg,
    },
    /// Print a document's segments
    Show {
        doc: i64,
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
        #[command(flatten)]
        db: DbArg,
    },
    /// Write the English text of a segment
    SetTarget {
        doc: i64,
        segment: i64,
        text: String,
        #[arg(long, value_enum, default_value = "translated")]
        status: StatusArg,
        /// Do not copy the target to identical untranslated segments
        #[arg(long)]
        no_propagate: bool,
        #[command(flatten)]
        db: DbArg,
    },
    /// Split a segment in two at a character position of its source
    Split {
        doc: i64,
        segment: i64,
        /// Character position (from 0) where the second segment starts
        position: usize,
        #[command(flatten)]
        db: DbArg,
    },
    /// Merge a segment with the next one of the same block
    Merge {
        doc: i64,
        segment: i64,
        /// Also add the abbreviation the merge undid a break after to the exceptions
        #[arg(long)]
        add_exception: bool,
        #[command(flatten)]
        db: DbArg,
    },
    /// Mark a block (by its number in the document) as translatable or not
    SetTranslatable {
        doc: i64,
        block: i64,
        #[arg(action = clap::ArgAction::Set)]
        translatable: bool,
        #[command(flatten)]
        db: DbArg,
    },
    /// List or add the abbreviations that never end a sentence
    Exceptions {
        /// Abbreviations to add, such as `Sen.`
        add: Vec<String>,
        #[command(flatten)]
        db: DbArg,
    },
    /// Fill a document's new segments from the TM, marked with the match
    /// score; with --mt, the segments still empty then from machine translation
    Pretranslate {
        doc: i64,
        /// Lowest match score used
        #[arg(long, default_value_t = 75, value_parser = clap::value_parser!(u32).range(0..=101))]
        min: u32,
        /// Machine-translate what the TM leaves empty, with this provider
        #[arg(long, value_name = "NAME")]
        mt: Option<String>,
        #[command(flatten)]
        db: DbArg,
    },
    /// Count a document's segments and words per TM match band
    Analyze {
        doc: i64,
        #[arg(long, value_enum, default_value = "text")]
        format: AnalysisFormat,
        #[command(flatten)]
        db: DbArg,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum AnalysisFormat {
    Text,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum StatusArg {
    New,
    Draft,
    Translated,
    Approved,
}

impl From<StatusArg> for Status {
    fn from(s: StatusArg) -> Status {
        match s {
            StatusArg::New => Status::New,
            StatusArg::Draft => Status::Draft,
            StatusArg::Translated => Status::Translated,
            StatusArg::Approved => Status::Approved,
        }
    }
}

fn builtin_segmenter(ws: Option<&Workspace>) -> anyhow::Result<Segmenter> {
    let exceptions = match ws {
        Some(ws) => ws.exceptions()?,
        None => Vec::new(),
    };
    Ok(Segmenter::italian(&exceptions))
}

pub fn srx_segmenter(path: &Path) -> anyhow::Result<Segmenter> {
    let xml = std::fs::read_to_string(path)
        .with_context(|| format!("reading SRX file {}", path.display()))?;
    Segmenter::from_srx::<&str>(&xml, &[]).with_context(|| format!("{}", path.display()))
}

#[derive(Serialize)]
struct SegmentLine<'a> {
    block: usize,
    index: usize,
    text: &'a str,
    translatable: bool,
}

#[derive(Serialize)]
struct ShowLine<'a> {
    id: i64,
    block: i64,
    index: i64,
    status: &'a str,
    source: &'a str,
    target: &'a str,
    translatable: bool,
}

#[derive(Serialize)]
struct DocLine<'a> {
    id: i64,
    name: &'a str,
    format: &'a str,
    segments: usize,
    words: usize,
    confirmed_segments: usize,
    confirmed_words: usize,
    progress: u32,
}

#[derive(Serialize)]
struct RevisionLine {
    unchanged: usize,
    edited: usize,
    new: usize,
    removed: usize,
}

pub fn segment(
    out: &mut impl Write,
    file: String,
    format: Format,
    srx: Option<PathBuf>,
) -> anyhow::Result<()> {
    let doc = if file == "-" {
        let mut bytes = Vec::new();
        io::stdin()
            .read_to_end(&mut bytes)
            .context("reading standard input")?;
        import_bytes("<stdin>", None, &bytes)?
    } else {
        ArticleSource::parse(&file).read_blocking()?.document
    };
    let segmenter = match &srx {
        Some(path) => srx_segmenter(path)?,
        None => builtin_segmenter(None)?,
    };
    for (block_idx, block) in doc.blocks.iter().enumerate() {
        let translatable = block.translatable.is_translatable();
        let pieces = segmenter.segments(&block.text);
        match format {
            Format::Text => {
                if block_idx > 0 {
                    writeln!(out)?;
                }
                for piece in pieces {
                    writeln!(out, "{piece}")?;
                }
            }
            Format::Jsonl => {
                for (index, text) in pieces.into_iter().enumerate() {
                    let line = SegmentLine {
                        block: block_idx,
                        index,
                        text,
                        translatable,
                    };
                    writeln!(out, "{}", serde_json::to_string(&line)?)?;
                }
            }
        }
    }
    Ok(())
}

pub fn import(
    out: &mut impl Write,
    file: PathBuf,
    name: Option<String>,
    db: DbArg,
) -> anyhow::Result<()> {
    let source = ArticleSource::parse(&file.display().to_string());
    let doc = open_session(&db)?.import_article_blocking(source, name.as_deref())?;
    writeln!(out, "{}", doc.id)?;
    Ok(())
}

pub fn reimport(out: &mut impl Write, doc: i64, source: String, db: DbArg) -> anyhow::Result<()> {
    let session = open_session(&db)?;
    let revision = session.reimport_blocking(doc, ArticleSource::parse(&source))?;
    let summary = revision.revision.summary;
    let line = RevisionLine {
        unchanged: summary.unchanged,
        edited: summary.edited,
        new: summary.new,
        removed: summary.removed,
    };
    writeln!(out, "{}", serde_json::to_string(&line)?)?;
    Ok(())
}

pub fn docs(out: &mut impl Write, format: Format, db: DbArg) -> anyhow::Result<()> {
    let ws = open_workspace(&db)?;
    let docs = ws.documents()?;
    match format {
        Format::Text => {
            writeln!(
                out,
                "{:>4}  {:>8}  {:>6}  {:>8}  NAME",
                "ID", "SEGMENTS", "WORDS", "PROGRESS"
            )?;
            for d in &docs {
                writeln!(
                    out,
                    "{:>4}  {:>8}  {:>6}  {:>7}%  {}",
                    d.id,
                    d.n_segments,
                    d.n_words,
                    d.progress_percent(),
                    d.name
                )?;
            }
        }
        Format::Jsonl => {
            for d in &docs {
                let line = DocLine {
                    id: d.id,
                    name: &d.name,
                    format: d.format.as_str(),
                    segments: d.n_segments,
                    words: d.n_words,
                    confirmed_segments: d.n_confirmed,
                    confirmed_words: d.n_confirmed_words,
                    progress: d.progress_percent(),
                };
                writeln!(out, "{}", serde_json::to_string(&line)?)?;
            }
        }
    }
    Ok(())
}

pub fn show(out: &mut impl Write, doc: i64, format: Format, db: DbArg) -> anyhow::Result<()> {
    let ws = open_workspace(&db)?;
    let segments = ws.segments(doc)?;
    let mut last_block = None;
    for s in &segments {
        match format {
            Format::Text => {
                if last_block.is_some_and(|b| b != s.block) {
                    writeln!(out)?;
                }
                last_block = Some(s.block);
                let flag = if s.translatable.is_translatable() {
                    ' '
                } else {
                    '-'
                };
                writeln!(
                    out,
                    "{:>5} {flag}{:<10} {}",
                    s.id,
                    s.status.as_str(),
                    s.source
                )?;
                if !s.target.is_empty() {
                    writeln!(out, "{:>17} {}", "→", s.target)?;
                }
            }
            Format::Jsonl => {
                let line = ShowLine {
                    id: s.id,
                    block: s.block,
                    index: s.index,
                    status: s.status.as_str(),
                    source: &s.source,
                    target: &s.target,
                    translatable: s.translatable.is_translatable(),
                };
                writeln!(out, "{}", serde_json::to_string(&line)?)?;
            }
        }
    }
    Ok(())
}

pub fn set_target(
    doc: i64,
    segment: i64,
    text: String,
    status: StatusArg,
    no_propagate: bool,
    db: DbArg,
) -> anyhow::Result<()> {
    let session = open_session(&db)?;
    let confirmed =
        session
            .lock()
            .save_target(doc, segment, &text, status.into(), !no_propagate)?;
    if !confirmed.propagated.is_empty() {
        eprintln!(
            "also set on {} identical segment(s): {:?}",
            confirmed.propagated.len(),
            confirmed.propagated
        );
    }
    Ok(())
}

pub fn pretranslate(
    out: &mut impl Write,
    doc: i64,
    min: u32,
    mt: Option<String>,
    db: DbArg,
) -> anyhow::Result<()> {
    let session = open_session(&db)?;
    let n = session.lock().pretranslate_from_tm(doc, min)?;
    writeln!(out, "{n} segments pre-translated")?;
    if let Some(provider) = mt {
        crate::cli::mt::pretranslate(out, &session, doc, &provider)?;
    }
    Ok(())
}

pub fn analyze(
    out: &mut impl Write,
    doc: i64,
    format: AnalysisFormat,
    db: DbArg,
) -> anyhow::Result<()> {
    let bands = open_session(&db)?.lock().analyze(doc)?;
    match format {
        AnalysisFormat::Text => {
            writeln!(out, "{:<20} {:>8} {:>7}", "BAND", "SEGMENTS", "WORDS")?;
            for (name, band) in tm::BANDS.iter().zip(&bands) {
                writeln!(out, "{name:<20} {:>8} {:>7}", band.segments, band.words)?;
            }
            let segments: usize = bands.iter().map(|b| b.segments).sum();
            let words: usize = bands.iter().map(|b| b.words).sum();
            writeln!(out, "{:<20} {segments:>8} {words:>7}", "total")?;
        }
        AnalysisFormat::Json => {
            let json: Vec<serde_json::Value> = tm::BANDS
                .iter()
                .zip(&bands)
                .map(|(name, b)| {
                    serde_json::json!({"band": name, "segments": b.segments, "words": b.words})
                })
                .collect();
            writeln!(
                out,
                "{}",
                serde_json::json!({ "document": doc, "bands": json })
            )?;
        }
    }
    Ok(())
}

pub fn split(
    out: &mut impl Write,
    doc: i64,
    segment: i64,
    position: usize,
    db: DbArg,
) -> anyhow::Result<()> {
    let mut ws = open_workspace(&db)?;
    let (head, tail) = ws.split_segment(doc, segment, position)?;
    writeln!(out, "{}\t{}", head.id, head.source)?;
    writeln!(out, "{}\t{}", tail.id, tail.source)?;
    Ok(())
}

pub fn merge(
    out: &mut impl Write,
    doc: i64,
    segment: i64,
    add_exception: bool,
    db: DbArg,
) -> anyhow::Result<()> {
    let mut ws = open_workspace(&db)?;
    let outcome = ws.merge_with_next(doc, segment)?;
    writeln!(out, "{}\t{}", outcome.segment.id, outcome.segment.source)?;
    if let Some(abbreviation) = outcome.suggested_exception {
        if add_exception {
            ws.add_exception(&abbreviation)?;
            eprintln!("added `{abbreviation}` to the segmentation exceptions");
        } else {
            eprintln!(
                "hint: `{abbreviation}` looks like an abbreviation; `interlinea exceptions {abbreviation}` keeps it from ending sentences in later imports"
            );
        }
    }
    Ok(())
}

pub fn set_translatable(doc: i64, block: i64, translatable: bool, db: DbArg) -> anyhow::Result<()> {
    let mut ws = open_workspace(&db)?;
    ws.set_block_translatable(doc, block, translatable)?;
    Ok(())
}

pub fn exceptions(out: &mut impl Write, add: Vec<String>, db: DbArg) -> anyhow::Result<()> {
    let mut ws = open_workspace(&db)?;
    for abbreviation in &add {
        ws.add_exception(abbreviation)?;
    }
    if add.is_empty() {
        for abbreviation in ws.exceptions()? {
            writeln!(out, "{abbreviation}")?;
        }
    }
    Ok(())
}

pub fn run(out: &mut impl Write, command: DocumentCommand) -> anyhow::Result<()> {
    match command {
        DocumentCommand::Segment { file, format, srx } => segment(out, file, format, srx)?,
        DocumentCommand::Import { file, name, db } => import(out, file, name, db)?,
        DocumentCommand::Reimport { doc, source, db } => reimport(out, doc, source, db)?,
        DocumentCommand::Docs { format, db } => docs(out, format, db)?,
        DocumentCommand::Show { doc, format, db } => show(out, doc, format, db)?,
        DocumentCommand::SetTarget {
            doc,
            segment,
            text,
            status,
            no_propagate,
            db,
        } => set_target(doc, segment, text, status, no_propagate, db)?,
        DocumentCommand::Split {
            doc,
            segment,
            position,
            db,
        } => split(out, doc, segment, position, db)?,
        DocumentCommand::Merge {
            doc,
            segment,
            add_exception,
            db,
        } => merge(out, doc, segment, add_exception, db)?,
        DocumentCommand::SetTranslatable {
            doc,
            block,
            translatable,
            db,
        } => set_translatable(doc, block, translatable, db)?,
        DocumentCommand::Exceptions { add, db } => exceptions(out, add, db)?,
        DocumentCommand::Pretranslate { doc, min, mt, db } => pretranslate(out, doc, min, mt, db)?,
        DocumentCommand::Analyze { doc, format, db } => analyze(out, doc, format, db)?,
    }
    Ok(())
}
