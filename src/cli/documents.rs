//! `interlinea segment|import|reimport|docs|show|set-target|split|merge|history|set-translatable|exceptions|pretranslate|analyze|stats|effort`: a document's life in the workspace.

use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::{Subcommand, ValueEnum};
use interlinea::session::ArticleSource;
use interlinea::store::news::RevisionSummary;
use interlinea::store::{DocumentSummary, SegmentRow, Status};
use interlinea::text::{codes, count};
use interlinea::tm::{self, BandCount};
use interlinea::{import_bytes, Document, Segmenter};
use serde::Serialize;
use serde_json::json;

use crate::{open_session, open_workspace, print_rows, print_table, DbArg, Format};

#[derive(Subcommand)]
pub enum DocumentCommand {
    /// Split an article into segments (no database needed)
    Segment(SegmentArgs),
    /// Import an article (text, Markdown, HTML, or a news page's URL) or an
    /// XLIFF 1.2/2.0 file from any CAT tool into the workspace; prints the
    /// new document's id
    Import(ImportArgs),
    /// Bring in a later version of a document's article (file or URL):
    /// unchanged segments keep their work, edited ones get the old
    /// translation as a match; prints {"unchanged","edited","new","removed"}
    Reimport(ReimportArgs),
    /// List the workspace's documents with segments, words and progress
    Docs {
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
        #[command(flatten)]
        db: DbArg,
    },
    /// Print a document's segments
    Show(ShowArgs),
    /// Write the English text of a segment
    SetTarget(SetTargetArgs),
    /// Split a segment in two at a character position of its source
    Split(SplitArgs),
    /// Merge a segment with the next one of the same block
    Merge(MergeArgs),
    /// List a segment's saved versions, newest first (time, status, origin,
    /// author, English); with --restore, put one back as a new version
    History(HistoryArgs),
    /// Mark a block (by its number in the document) as translatable or not
    SetTranslatable(SetTranslatableArgs),
    /// List or add the abbreviations that never end a sentence
    Exceptions {
        /// Abbreviations to add, such as `Sen.`
        add: Vec<String>,
        #[command(flatten)]
        db: DbArg,
    },
    /// Fill a document's new segments from the TM, marked with the match
    /// score; with --mt, the segments still empty then from machine translation
    Pretranslate(PretranslateArgs),
    /// Count a document's segments and words per TM match band
    Analyze(AnalyzeArgs),
}

#[derive(clap::Args)]
pub struct SegmentArgs {
    /// Article file (.txt, .md, .html), its URL, or - for standard input
    #[arg(default_value = "-")]
    file: String,
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    /// Use the rules of this SRX 2.0 file instead of the built-in ones
    #[arg(long, value_name = "FILE")]
    srx: Option<PathBuf>,
}

#[derive(clap::Args)]
pub struct ImportArgs {
    /// A file, or an http(s) URL
    file: PathBuf,
    /// Name shown in the document list [default: the file name]
    #[arg(long)]
    name: Option<String>,
    #[command(flatten)]
    db: DbArg,
}

#[derive(clap::Args)]
pub struct ReimportArgs {
    doc: i64,
    /// A file, or an http(s) URL
    source: String,
    #[command(flatten)]
    db: DbArg,
}

#[derive(clap::Args)]
pub struct ShowArgs {
    doc: i64,
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    #[command(flatten)]
    db: DbArg,
}

#[derive(clap::Args)]
pub struct SetTargetArgs {
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
}

#[derive(clap::Args)]
pub struct SplitArgs {
    doc: i64,
    segment: i64,
    /// Character position (from 0) where the second segment starts
    position: usize,
    #[command(flatten)]
    db: DbArg,
}

#[derive(clap::Args)]
pub struct HistoryArgs {
    doc: i64,
    segment: i64,
    /// Put this version's English and status back (its number in the list)
    #[arg(long, value_name = "VERSION")]
    restore: Option<i64>,
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    #[command(flatten)]
    db: DbArg,
}

/// One version of `history --format jsonl`.
#[derive(Serialize)]
struct VersionLine<'a> {
    version: i64,
    segment: i64,
    saved_at: &'a str,
    status: &'a str,
    origin: &'a str,
    author: &'a str,
    /// The English, its codes written `<1>…</1>`.
    target: String,
}

#[derive(clap::Args)]
pub struct MergeArgs {
    doc: i64,
    segment: i64,
    /// Also add the abbreviation the merge undid a break after to the exceptions
    #[arg(long)]
    add_exception: bool,
    #[command(flatten)]
    db: DbArg,
}

#[derive(clap::Args)]
pub struct SetTranslatableArgs {
    doc: i64,
    block: i64,
    #[arg(action = clap::ArgAction::Set)]
    translatable: bool,
    #[command(flatten)]
    db: DbArg,
}

#[derive(clap::Args)]
pub struct PretranslateArgs {
    doc: i64,
    /// Lowest match score used
    #[arg(long, default_value_t = 75, value_parser = clap::value_parser!(u32).range(0..=101))]
    min: u32,
    /// Machine-translate what the TM leaves empty, with this provider
    #[arg(long, value_name = "NAME")]
    mt: Option<String>,
    #[command(flatten)]
    db: DbArg,
}

#[derive(clap::Args)]
pub struct AnalyzeArgs {
    doc: i64,
    #[arg(long, value_enum, default_value = "text")]
    format: AnalysisFormat,
    #[command(flatten)]
    db: DbArg,
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

pub fn srx_segmenter(path: &Path) -> anyhow::Result<Segmenter> {
    let xml = std::fs::read_to_string(path)
        .with_context(|| format!("reading SRX file {}", path.display()))?;
    Segmenter::from_srx::<&str>(&xml, &[]).with_context(|| format!("{}", path.display()))
}

#[derive(Serialize)]
struct SegmentLine {
    block: usize,
    index: usize,
    /// Inline codes written as `show` writes them; the text as it is.
    text: String,
    translatable: bool,
}

#[derive(Serialize)]
struct ShowLine<'a> {
    id: i64,
    block: i64,
    index: i64,
    status: &'a str,
    /// Inline codes written `<1>…</1>` and `<2/>`, the text's own `<`, `>`
    /// and `&` as entities.
    source: String,
    target: String,
    translatable: bool,
}

impl<'a> From<&'a SegmentRow> for ShowLine<'a> {
    fn from(s: &'a SegmentRow) -> Self {
        ShowLine {
            id: s.id,
            block: s.block,
            index: s.index,
            status: s.status.as_str(),
            source: codes::to_notation(&s.source, &s.source),
            target: codes::to_notation(&s.source, &s.target),
            translatable: s.translatable.is_translatable(),
        }
    }
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

impl<'a> From<&'a DocumentSummary> for DocLine<'a> {
    fn from(d: &'a DocumentSummary) -> Self {
        DocLine {
            id: d.id,
            name: &d.name,
            format: d.format.as_str(),
            segments: d.n_segments,
            words: d.n_words,
            confirmed_segments: d.n_confirmed,
            confirmed_words: d.n_confirmed_words,
            progress: d.progress_percent(),
        }
    }
}

#[derive(Serialize)]
struct RevisionLine {
    unchanged: usize,
    edited: usize,
    new: usize,
    removed: usize,
}

impl From<RevisionSummary> for RevisionLine {
    fn from(summary: RevisionSummary) -> Self {
        RevisionLine {
            unchanged: summary.unchanged,
            edited: summary.edited,
            new: summary.new,
            removed: summary.removed,
        }
    }
}

pub fn run(out: &mut impl Write, command: DocumentCommand) -> anyhow::Result<()> {
    match command {
        DocumentCommand::Segment(args) => segment(out, args),
        DocumentCommand::Import(args) => import(out, args),
        DocumentCommand::Reimport(args) => reimport(out, args),
        DocumentCommand::Docs { format, db } => docs(out, format, db),
        DocumentCommand::Show(args) => show(out, args),
        DocumentCommand::SetTarget(args) => set_target(args),
        DocumentCommand::Split(args) => split(out, args),
        DocumentCommand::Merge(args) => merge(out, args),
        DocumentCommand::History(args) => history(out, args),
        DocumentCommand::SetTranslatable(args) => set_translatable(args),
        DocumentCommand::Exceptions { add, db } => exceptions(out, add, db),
        DocumentCommand::Pretranslate(args) => pretranslate(out, args),
        DocumentCommand::Analyze(args) => analyze(out, args),
    }
}

fn segment(out: &mut impl Write, args: SegmentArgs) -> anyhow::Result<()> {
    let doc = source_document(&args.file)?;
    let segmenter = match &args.srx {
        Some(path) => srx_segmenter(path)?,
        None => Segmenter::italian::<&str>(&[]),
    };
    for (block_idx, block) in doc.blocks.iter().enumerate() {
        let translatable = block.translatable.is_translatable();
        let pieces = segmenter.segments(&block.text);
        match args.format {
            Format::Text => {
                if block_idx > 0 {
                    writeln!(out)?;
                }
                for piece in pieces {
                    writeln!(out, "{}", codes::to_display(piece, piece))?;
                }
            }
            Format::Jsonl => {
                for (index, text) in pieces.into_iter().enumerate() {
                    let line = SegmentLine {
                        block: block_idx,
                        index,
                        text: codes::to_display(text, text),
                        translatable,
                    };
                    writeln!(out, "{}", serde_json::to_string(&line)?)?;
                }
            }
        }
    }
    Ok(())
}

/// The article in a file, at a URL, or on standard input (`-`).
fn source_document(file: &str) -> anyhow::Result<Document> {
    if file != "-" {
        return Ok(ArticleSource::parse(file).read_blocking()?.document);
    }
    let mut bytes = Vec::new();
    io::stdin()
        .read_to_end(&mut bytes)
        .context("reading standard input")?;
    Ok(import_bytes("<stdin>", None, &bytes)?)
}

fn import(out: &mut impl Write, args: ImportArgs) -> anyhow::Result<()> {
    let source = ArticleSource::parse(&args.file.display().to_string());
    let doc = open_session(&args.db)?.import_article_blocking(source, args.name.as_deref())?;
    writeln!(out, "{}", doc.id)?;
    Ok(())
}

fn reimport(out: &mut impl Write, args: ReimportArgs) -> anyhow::Result<()> {
    let source = ArticleSource::parse(&args.source);
    let revision = open_session(&args.db)?.reimport_blocking(args.doc, source)?;
    let line = RevisionLine::from(revision.revision.summary);
    writeln!(out, "{}", serde_json::to_string(&line)?)?;
    Ok(())
}

fn docs(out: &mut impl Write, format: Format, db: DbArg) -> anyhow::Result<()> {
    let docs = open_workspace(&db)?.documents()?;
    let header = format!(
        "{:>4}  {:>8}  {:>6}  {:>8}  NAME",
        "ID", "SEGMENTS", "WORDS", "PROGRESS"
    );
    print_table(out, format, &header, &docs, DocLine::from, |d| {
        let (id, segments, words, progress) = (d.id, d.n_segments, d.n_words, d.progress_percent());
        format!(
            "{id:>4}  {segments:>8}  {words:>6}  {progress:>7}%  {}",
            d.name
        )
    })
}

fn show(out: &mut impl Write, args: ShowArgs) -> anyhow::Result<()> {
    let segments = open_workspace(&args.db)?.segments(args.doc)?;
    let mut last_block = None;
    print_rows(out, args.format, &segments, ShowLine::from, |s| {
        // A blank line between blocks.
        let gap = if last_block.is_some_and(|b| b != s.block) {
            "\n"
        } else {
            ""
        };
        last_block = Some(s.block);
        format!("{gap}{}", segment_text(s))
    })
}

/// Id, status and Italian, with `-` for an untranslatable one; the English
/// under them.
fn segment_text(s: &SegmentRow) -> String {
    let flag = if s.translatable.is_translatable() {
        ' '
    } else {
        '-'
    };
    let source = codes::to_display(&s.source, &s.source);
    let mut text = format!("{:>5} {flag}{:<10} {source}", s.id, s.status.as_str());
    if !s.target.is_empty() {
        text += &format!("\n{:>17} {}", "→", codes::to_display(&s.source, &s.target));
    }
    text
}

fn set_target(args: SetTargetArgs) -> anyhow::Result<()> {
    let (doc, segment, status) = (args.doc, args.segment, args.status.into());
    let session = open_session(&args.db)?;
    let mut open = session.lock();
    let source = open.workspace().segment(doc, segment)?.source;
    let target = codes::from_notation(&source, &args.text)
        .map_err(|e| anyhow::anyhow!("segment {segment}: {e}"))?;
    let confirmed = open.save_target(doc, segment, &target, status, !args.no_propagate)?;
    let propagated = confirmed.propagated;
    if !propagated.is_empty() {
        eprintln!(
            "also set on {} identical segment(s): {propagated:?}",
            propagated.len()
        );
    }
    Ok(())
}

fn pretranslate(out: &mut impl Write, args: PretranslateArgs) -> anyhow::Result<()> {
    let session = open_session(&args.db)?;
    let n = session.lock().pretranslate_from_tm(args.doc, args.min)?;
    writeln!(out, "{} pre-translated", count(n, "segment", "segments"))?;
    if let Some(provider) = args.mt {
        crate::cli::mt::pretranslate(out, &session, args.doc, &provider)?;
    }
    Ok(())
}

fn analyze(out: &mut impl Write, args: AnalyzeArgs) -> anyhow::Result<()> {
    let session = open_session(&args.db)?;
    let mut open = session.lock();
    let bands = open.analyze(args.doc)?;
    let filled = open.filled_from_tm(args.doc)?;
    let analysis = match args.format {
        AnalysisFormat::Text => analysis_text(&bands, &filled),
        AnalysisFormat::Json => analysis_json(args.doc, &bands, &filled).to_string(),
    };
    writeln!(out, "{analysis}")?;
    Ok(())
}

/// A table of the bands, and their total; then the segments already
/// filled from exact matches.
fn analysis_text(bands: &[BandCount], filled: &[BandCount]) -> String {
    let mut lines = vec![format!("{:<20} {:>8} {:>7}", "BAND", "SEGMENTS", "WORDS")];
    for (name, band) in tm::BANDS.iter().zip(bands) {
        lines.push(format!("{name:<20} {:>8} {:>7}", band.segments, band.words));
    }
    let segments: usize = bands.iter().map(|b| b.segments).sum();
    let words: usize = bands.iter().map(|b| b.words).sum();
    lines.push(format!("{:<20} {segments:>8} {words:>7}", "total"));
    lines.push(String::new());
    lines.push(format!(
        "{:<20} {:>8} {:>7}",
        "FILLED FROM TM", "SEGMENTS", "WORDS"
    ));
    for (name, band) in tm::BANDS.iter().zip(filled) {
        lines.push(format!("{name:<20} {:>8} {:>7}", band.segments, band.words));
    }
    lines.join("\n")
}

fn analysis_json(doc: i64, bands: &[BandCount], filled: &[BandCount]) -> serde_json::Value {
    let rows = |counts: &[BandCount]| -> Vec<serde_json::Value> {
        (tm::BANDS.iter().zip(counts))
            .map(|(name, b)| json!({"band": name, "segments": b.segments, "words": b.words}))
            .collect()
    };
    json!({ "document": doc, "bands": rows(bands), "filled": rows(filled) })
}

fn split(out: &mut impl Write, args: SplitArgs) -> anyhow::Result<()> {
    let mut ws = open_workspace(&args.db)?;
    let (head, tail) = ws.split_segment(args.doc, args.segment, args.position)?;
    writeln!(out, "{}\t{}", head.id, head.source)?;
    writeln!(out, "{}\t{}", tail.id, tail.source)?;
    Ok(())
}

fn merge(out: &mut impl Write, args: MergeArgs) -> anyhow::Result<()> {
    let mut ws = open_workspace(&args.db)?;
    let outcome = ws.merge_with_next(args.doc, args.segment)?;
    writeln!(out, "{}\t{}", outcome.segment.id, outcome.segment.source)?;
    match outcome.suggested_exception {
        Some(abbreviation) if args.add_exception => {
            ws.add_exception(&abbreviation)?;
            eprintln!("added `{abbreviation}` to the segmentation exceptions");
        }
        Some(abbreviation) => eprintln!(
            "hint: `{abbreviation}` looks like an abbreviation; `interlinea exceptions {abbreviation}` keeps it from ending sentences in later imports"
        ),
        None => {}
    }
    Ok(())
}

fn history(out: &mut impl Write, args: HistoryArgs) -> anyhow::Result<()> {
    let session = open_session(&args.db)?;
    let mut open = session.lock();
    let source = open.workspace().segment(args.doc, args.segment)?.source;
    if let Some(version) = args.restore {
        let restored = open
            .restore_version(args.doc, args.segment, version)?
            .segment;
        let english = codes::to_display(&source, &restored.target);
        writeln!(
            out,
            "restored version {version}: {} {english}",
            restored.status.as_str()
        )?;
        return Ok(());
    }
    let versions = open.segment_history(args.doc, args.segment)?;
    print_table(
        out,
        args.format,
        "VERSION\tSAVED (UTC)\tSTATUS\tORIGIN\tAUTHOR\tENGLISH",
        &versions,
        |v| VersionLine {
            version: v.id,
            segment: v.segment_id,
            saved_at: &v.saved_at_utc,
            status: v.status.as_str(),
            origin: v.origin.as_str(),
            author: &v.author,
            target: codes::to_notation(&source, &v.target),
        },
        |v| {
            format!(
                "{}\t{}\t{}\t{}\t{}\t{}",
                v.id,
                v.saved_at_utc,
                v.status.as_str(),
                v.origin.as_str(),
                if v.author.is_empty() { "-" } else { &v.author },
                codes::to_display(&source, &v.target)
            )
        },
    )
}

fn set_translatable(args: SetTranslatableArgs) -> anyhow::Result<()> {
    let mut ws = open_workspace(&args.db)?;
    ws.set_block_translatable(args.doc, args.block, args.translatable)?;
    Ok(())
}

fn exceptions(out: &mut impl Write, add: Vec<String>, db: DbArg) -> anyhow::Result<()> {
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
