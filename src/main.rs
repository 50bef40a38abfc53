//! The `interlinea` command line: the engine's functions for scripts and batch work.

use std::io::{self, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context};
use clap::{Parser, Subcommand, ValueEnum};
use interlinea::segment::eval;
use interlinea::store::{default_path, Status};
use interlinea::tm::{self, Matcher};
use interlinea::{import_bytes, Segmenter, Workspace};
use serde::Serialize;

mod cli {
    pub mod glossary;
    pub mod mt;
}

/// Interlinea: translate Italian news articles into English.
#[derive(Parser)]
#[command(name = "interlinea", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Args)]
struct DbArg {
    /// Workspace database [default: the OS data directory]
    #[arg(long, env = "INTERLINEA_DB", value_name = "PATH", global = true)]
    db: Option<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Jsonl,
}

#[derive(Clone, Copy, ValueEnum)]
enum ExportFormat {
    Target,
    Docx,
    Html,
    Xliff,
    Xliff2,
    Tmx,
    Csv,
}

#[derive(Clone, Copy, ValueEnum)]
enum AnalysisFormat {
    Text,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum StatusArg {
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

#[derive(Subcommand)]
enum Command {
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
    /// Translation memories: import, export, list, look up
    Tm {
        #[command(subcommand)]
        command: TmCommand,
    },
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
    /// Machine translation: add and list providers, translate text
    Mt {
        #[command(subcommand)]
        command: cli::mt::MtCommand,
    },
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
    /// Back the workspace up: a rolling copy in the `backups` folder beside
    /// it (the newest 10 are kept), or a copy to FILE
    Backup {
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        #[command(flatten)]
        db: DbArg,
    },
    /// Put a backup back in place of the workspace (after checking it; the
    /// workspace as it was becomes a backup). Close the app first
    Restore {
        file: PathBuf,
        #[command(flatten)]
        db: DbArg,
    },
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
    /// Glossaries: import, export, list, add, find terms
    Glossary {
        #[command(subcommand)]
        command: cli::glossary::GlossaryCommand,
    },
    /// Measure sentence-boundary precision, recall and F1 on gold data sets
    EvalSegmentation {
        /// Directory of JSONL data sets ({"id","text","sentences"} per line)
        #[arg(long, default_value = "../shared/data/segmentation")]
        data: PathBuf,
        /// SRX files to compare with the built-in rules
        #[arg(long, value_name = "FILE")]
        srx: Vec<PathBuf>,
        /// Print every case the built-in rules get wrong
        #[arg(long)]
        misses: bool,
    },
}

#[derive(Subcommand)]
enum TmCommand {
    /// Import a TMX file (all or nothing)
    Import {
        file: PathBuf,
        /// TM to import into [default: the file name without extension]
        #[arg(long)]
        tm: Option<String>,
        /// Mark the TM read-only after the import
        #[arg(long)]
        read_only: bool,
        #[command(flatten)]
        db: DbArg,
    },
    /// Export a TM (or every TM) as TMX 1.4b
    Export {
        #[arg(long)]
        tm: Option<String>,
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        #[command(flatten)]
        db: DbArg,
    },
    /// List the translation memories
    List {
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
        #[command(flatten)]
        db: DbArg,
    },
    /// Find units whose source or target contains a word or phrase
    Search {
        phrase: String,
        #[arg(long, default_value_t = 50)]
        limit: usize,
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
        #[command(flatten)]
        db: DbArg,
    },
    /// Delete a translation memory and its units
    Delete {
        name: String,
        #[command(flatten)]
        db: DbArg,
    },
    /// Mark a translation memory read-only (true) or writable (false)
    ReadOnly {
        name: String,
        #[arg(action = clap::ArgAction::Set)]
        read_only: bool,
        #[command(flatten)]
        db: DbArg,
    },
    /// Find TM matches for TEXT, or for each line of standard input
    Lookup {
        text: Option<String>,
        /// Lowest score shown
        #[arg(long, default_value_t = 70, value_parser = clap::value_parser!(u32).range(0..=100))]
        min: u32,
        /// Most matches per query
        #[arg(long, default_value_t = 5)]
        limit: usize,
        /// Check every unit instead of using the index (same answer, slower)
        #[arg(long)]
        exhaustive: bool,
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
        #[command(flatten)]
        db: DbArg,
    },
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    match run(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.downcast_ref::<io::Error>()
        .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
}

/// The one text given, or else every line of standard input.
fn text_or_stdin_lines(text: Option<String>) -> anyhow::Result<Vec<String>> {
    match text {
        Some(text) => Ok(vec![text]),
        None => io::stdin()
            .lines()
            .collect::<Result<_, _>>()
            .context("reading standard input"),
    }
}

/// The house-style preset called `name`.
fn house_style(name: &str) -> anyhow::Result<&'static interlinea::style::StyleGuide> {
    interlinea::style::preset(name).with_context(|| {
        let names: Vec<&str> = interlinea::style::PRESETS.iter().map(|p| p.name).collect();
        format!(
            "unknown house style `{name}`; the presets are {}",
            names.join(", ")
        )
    })
}

/// An article from a file or, for an http(s) address, from the web.
fn read_article(source: &str) -> anyhow::Result<interlinea::import::Article> {
    if interlinea::import::is_url(source) {
        let settings = interlinea::import::FetchSettings::default();
        return Ok(interlinea::import::fetch_article_blocking(
            source, &settings,
        )?);
    }
    Ok(interlinea::import::read_article_file(Path::new(source))?)
}

/// A document's default name: the page's headline for a URL, else the
/// file's name.
fn document_name(source: &str, article: &interlinea::import::Article) -> String {
    if interlinea::import::is_url(source) {
        if let Some(headline) = article.document.blocks.first() {
            return headline.text.chars().take(80).collect();
        }
    }
    Path::new(source)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| source.to_string())
}

fn open_workspace(db: &DbArg) -> anyhow::Result<Workspace> {
    let path = db.db.clone().unwrap_or_else(default_path);
    Workspace::open(&path).with_context(|| format!("opening workspace {}", path.display()))
}

fn builtin_segmenter(ws: Option<&Workspace>) -> anyhow::Result<Segmenter> {
    let exceptions = match ws {
        Some(ws) => ws.exceptions()?,
        None => Vec::new(),
    };
    Ok(Segmenter::italian(&exceptions))
}

fn srx_segmenter(path: &Path) -> anyhow::Result<Segmenter> {
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

fn run(command: Command) -> anyhow::Result<()> {
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    match command {
        Command::Segment { file, format, srx } => {
            let doc = if file == "-" {
                let mut bytes = Vec::new();
                io::stdin()
                    .read_to_end(&mut bytes)
                    .context("reading standard input")?;
                import_bytes("<stdin>", None, &bytes)?
            } else {
                read_article(&file)?.document
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
        }
        Command::Import { file, name, db } if interlinea::review::is_xliff_path(&file) => {
            let mut ws = open_workspace(&db)?;
            let id = interlinea::review::import_xliff_document(&mut ws, &file, name.as_deref())?;
            writeln!(out, "{id}")?;
        }
        Command::Import { file, name, db } => {
            let source = file.display().to_string();
            let article = read_article(&source)?;
            let mut ws = open_workspace(&db)?;
            let segmenter = builtin_segmenter(Some(&ws))?;
            let name = name.unwrap_or_else(|| document_name(&source, &article));
            let blocks = interlinea::store::segment_blocks(&article.document, &segmenter);
            let id = ws
                .add_article(
                    &name,
                    Some(&source),
                    article.document.format,
                    &blocks,
                    &article.meta,
                )
                .context("storing the document")?;
            writeln!(out, "{id}")?;
        }
        Command::Reimport { doc, source, db } => {
            let article = read_article(&source)?;
            let mut ws = open_workspace(&db)?;
            let segmenter = builtin_segmenter(Some(&ws))?;
            let blocks = interlinea::store::segment_blocks(&article.document, &segmenter);
            let plan = interlinea::revision::plan(&ws.segments(doc)?, blocks);
            ws.apply_revision(doc, &plan, Some(&source), Some(&article.meta))
                .context("storing the new version")?;
            let summary = plan.summary();
            let line = RevisionLine {
                unchanged: summary.unchanged,
                edited: summary.edited,
                new: summary.new,
                removed: summary.removed,
            };
            writeln!(out, "{}", serde_json::to_string(&line)?)?;
        }
        Command::Docs { format, db } => {
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
        }
        Command::Show { doc, format, db } => {
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
        }
        Command::SetTarget {
            doc,
            segment,
            text,
            status,
            no_propagate,
            db,
        } => {
            let mut ws = open_workspace(&db)?;
            let confirmed = tm::set_target(
                &mut ws,
                None,
                doc,
                segment,
                &text,
                status.into(),
                !no_propagate,
            )?;
            if !confirmed.propagated.is_empty() {
                eprintln!(
                    "also set on {} identical segment(s): {:?}",
                    confirmed.propagated.len(),
                    confirmed.propagated
                );
            }
        }
        Command::Pretranslate { doc, min, mt, db } => {
            let mut ws = open_workspace(&db)?;
            let mut matcher = Matcher::open(&ws)?;
            let n = tm::pretranslate(&mut ws, &mut matcher, doc, min)?;
            writeln!(out, "{n} segments pre-translated")?;
            if let Some(provider) = mt {
                cli::mt::pretranslate(&mut out, &mut ws, doc, &provider)?;
            }
        }
        Command::Analyze { doc, format, db } => {
            let ws = open_workspace(&db)?;
            let mut matcher = Matcher::open(&ws)?;
            let bands = tm::analyze(&ws, &mut matcher, doc)?;
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
        }
        Command::Split {
            doc,
            segment,
            position,
            db,
        } => {
            let mut ws = open_workspace(&db)?;
            let (head, tail) = ws.split_segment(doc, segment, position)?;
            writeln!(out, "{}\t{}", head.id, head.source)?;
            writeln!(out, "{}\t{}", tail.id, tail.source)?;
        }
        Command::Merge {
            doc,
            segment,
            add_exception,
            db,
        } => {
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
        }
        Command::SetTranslatable {
            doc,
            block,
            translatable,
            db,
        } => {
            let mut ws = open_workspace(&db)?;
            ws.set_block_translatable(doc, block, translatable)?;
        }
        Command::Exceptions { add, db } => {
            let mut ws = open_workspace(&db)?;
            for abbreviation in &add {
                ws.add_exception(abbreviation)?;
            }
            if add.is_empty() {
                for abbreviation in ws.exceptions()? {
                    writeln!(out, "{abbreviation}")?;
                }
            }
        }
        Command::Tm { command } => tm_command(&mut out, command)?,
        Command::Glossary { command } => cli::glossary::run(&mut out, command)?,
        Command::Mt { command } => cli::mt::run(&mut out, command)?,
        Command::Backup { out: target, db } => {
            let ws = open_workspace(&db)?;
            let written = match target {
                Some(target) => {
                    ws.backup_to(&target)?;
                    target
                }
                None => ws.backup()?,
            };
            writeln!(out, "{}", written.display())?;
        }
        Command::Restore { file, db } => {
            let path = db.db.clone().unwrap_or_else(default_path);
            let kept = interlinea::store::backup::restore(&path, &file)
                .map_err(|e| anyhow::anyhow!("cannot restore: {e}"))?;
            writeln!(out, "{} restored from {}", path.display(), file.display())?;
            if let Some(kept) = kept {
                writeln!(out, "the workspace as it was is kept in {}", kept.display())?;
            }
        }
        Command::Stats { doc, format, db } => {
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
        }
        Command::Qa {
            doc,
            format,
            style,
            db,
        } => {
            let ws = open_workspace(&db)?;
            let terms = interlinea::glossary::TermMatcher::new(ws.glossary_entries(None, true)?);
            let style = match style {
                Some(name) => Some(name),
                None => ws.document_style(doc)?,
            };
            let style = style.as_deref().map(house_style).transpose()?;
            for finding in interlinea::qa::check_document(&ws, &terms, doc, style)? {
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
        }
        Command::Style { doc, preset, db } => {
            let mut ws = open_workspace(&db)?;
            match preset.as_deref() {
                None => writeln!(out, "{}", ws.document_style(doc)?.unwrap_or("none".into()))?,
                Some("none") => ws.set_document_style(doc, None)?,
                Some(name) => ws.set_document_style(doc, Some(house_style(name)?.name))?,
            }
        }
        Command::Facts {
            doc,
            format,
            missing,
            db,
        } => {
            let ws = open_workspace(&db)?;
            let terms = interlinea::glossary::TermMatcher::new(ws.glossary_entries(None, true)?);
            for fact in interlinea::facts::checklist(&ws, &terms, doc)? {
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
        }
        Command::QaIgnore {
            doc,
            segment,
            check,
            db,
        } => {
            if interlinea::qa::Check::from_name(&check).is_none() {
                let names: Vec<&str> = interlinea::qa::Check::ALL
                    .iter()
                    .map(|c| c.as_str())
                    .collect();
                bail!(
                    "no check named `{check}`; the checks are {}",
                    names.join(", ")
                );
            }
            let mut ws = open_workspace(&db)?;
            ws.ignore_qa(doc, segment, &check)?;
            writeln!(
                out,
                "{check} ignored for segment {segment} while its English stays as it is"
            )?;
        }
        Command::Effort { doc, format, db } => {
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
        }
        Command::Export {
            doc,
            format,
            out: path,
            refuse_untranslated,
            db,
        } => {
            let ws = open_workspace(&db)?;
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
            let exported =
                interlinea::export::export_document(&ws, doc, format, refuse_untranslated, &path)?;
            if !exported.untranslated.is_empty() {
                eprintln!(
                    "warning: {} segments are not translated; the Italian stands in",
                    exported.untranslated.len()
                );
            }
            writeln!(out, "{} written to {}", exported.what, path.display())?;
        }
        Command::ImportReview { doc, file, db } => {
            let mut ws = open_workspace(&db)?;
            let report = interlinea::review::import_review(&mut ws, None, doc, &file)?;
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
        }
        Command::EvalSegmentation { data, srx, misses } => {
            eval_segmentation(&mut out, &data, &srx, misses)?;
        }
    }
    out.flush()?;
    Ok(())
}

#[derive(Serialize)]
struct RevisionLine {
    unchanged: usize,
    edited: usize,
    new: usize,
    removed: usize,
}

#[derive(Serialize)]
struct FactLine<'a> {
    segment: i64,
    kind: &'static str,
    italian: &'a str,
    found: bool,
    hint: Option<&'a str>,
}

#[derive(Serialize)]
struct QaLine<'a> {
    segment: i64,
    check: &'a str,
    message: &'a str,
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

#[derive(Serialize)]
struct TmLine<'a> {
    name: &'a str,
    units: usize,
    read_only: bool,
}

#[derive(Serialize)]
struct MatchLine<'a> {
    score: u32,
    source: &'a str,
    target: &'a str,
    tm: &'a str,
}

#[derive(Serialize)]
struct LookupLine<'a> {
    query: &'a str,
    matches: Vec<MatchLine<'a>>,
}

fn tm_command(out: &mut impl Write, command: TmCommand) -> anyhow::Result<()> {
    match command {
        TmCommand::Import {
            file,
            tm,
            read_only,
            db,
        } => {
            let name = tm.unwrap_or_else(|| {
                file.file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_else(|| "imported".into())
            });
            let input = std::fs::File::open(&file)
                .with_context(|| format!("opening {}", file.display()))?;
            let total = input.metadata().map(|m| m.len()).unwrap_or(0).max(1);
            let mut ws = open_workspace(&db)?;
            let show = io::stderr().is_terminal();
            let (report, _) = tm::import_tmx(
                &mut ws,
                io::BufReader::new(input),
                &name,
                read_only,
                &mut |bytes, units| {
                    if show {
                        eprint!("\r{:>3}%  {units} units", bytes * 100 / total);
                    }
                },
            )
            .with_context(|| format!("importing {}", file.display()))?;
            if show {
                eprintln!();
                eprint!("indexing for concordance search…");
            }
            // What the app does in the background after an import; a command
            // does it now, so the first `tm search` is not the one to wait.
            // The units are in: a failure here leaves the rest to that search.
            match ws.catch_up() {
                Ok(_) if show => eprintln!(" done"),
                Ok(_) => {}
                Err(e) => {
                    eprintln!("\nthe concordance index will be completed by the next search: {e}")
                }
            }
            writeln!(
                out,
                "{} units added to `{name}`, {} duplicates, {} without Italian and English",
                report.added, report.duplicates, report.skipped
            )?;
        }
        TmCommand::Export { tm, out: path, db } => {
            let ws = open_workspace(&db)?;
            let file = std::fs::File::create(&path)
                .with_context(|| format!("creating {}", path.display()))?;
            let n = ws.export_tmx(tm.as_deref(), io::BufWriter::new(file))?;
            writeln!(out, "{n} units written to {}", path.display())?;
        }
        TmCommand::Search {
            phrase,
            limit,
            format,
            db,
        } => {
            let mut ws = open_workspace(&db)?;
            for unit in ws.tm_search(&phrase, limit)? {
                match format {
                    Format::Text => {
                        writeln!(out, "{}  [{}]", unit.source, unit.tm)?;
                        writeln!(out, "  {}", unit.target)?;
                    }
                    Format::Jsonl => {
                        let line = MatchLine {
                            score: 0,
                            source: &unit.source,
                            target: &unit.target,
                            tm: &unit.tm,
                        };
                        let mut value = serde_json::to_value(&line)?;
                        if let Some(object) = value.as_object_mut() {
                            object.remove("score");
                        }
                        writeln!(out, "{value}")?;
                    }
                }
            }
        }
        TmCommand::Delete { name, db } => open_workspace(&db)?.delete_tm(&name)?,
        TmCommand::ReadOnly {
            name,
            read_only,
            db,
        } => open_workspace(&db)?.set_tm_read_only(&name, read_only)?,
        TmCommand::List { format, db } => {
            let ws = open_workspace(&db)?;
            for tm in ws.tms()? {
                match format {
                    Format::Text => writeln!(
                        out,
                        "{:>9}  {}{}",
                        tm.n_units,
                        tm.name,
                        if tm.read_only { "  (read-only)" } else { "" }
                    )?,
                    Format::Jsonl => {
                        let line = TmLine {
                            name: &tm.name,
                            units: tm.n_units,
                            read_only: tm.read_only,
                        };
                        writeln!(out, "{}", serde_json::to_string(&line)?)?;
                    }
                }
            }
        }
        TmCommand::Lookup {
            text,
            min,
            limit,
            exhaustive,
            format,
            db,
        } => {
            let ws = open_workspace(&db)?;
            let mut matcher = Matcher::open(&ws)?;
            let queries = text_or_stdin_lines(text)?;
            for query in &queries {
                let matches = matcher.lookup(&ws, query, None, min, limit, exhaustive)?;
                match format {
                    Format::Text => {
                        writeln!(out, "{query}")?;
                        for m in &matches {
                            writeln!(out, "  {:>3}  {}  [{}]", m.score, m.unit.source, m.unit.tm)?;
                            writeln!(out, "       {}", m.unit.target)?;
                        }
                    }
                    Format::Jsonl => {
                        let line = LookupLine {
                            query,
                            matches: matches
                                .iter()
                                .map(|m| MatchLine {
                                    score: m.score,
                                    source: &m.unit.source,
                                    target: &m.unit.target,
                                    tm: &m.unit.tm,
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

fn eval_segmentation(
    out: &mut impl Write,
    data: &Path,
    srx_files: &[PathBuf],
    show_misses: bool,
) -> anyhow::Result<()> {
    let mut sets = Vec::new();
    for entry in std::fs::read_dir(data).with_context(|| format!("reading {}", data.display()))? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "jsonl") {
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("reading {}", path.display()))?;
            let cases =
                eval::read_cases(&text).with_context(|| format!("parsing {}", path.display()))?;
            let name = path
                .file_stem()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            sets.push((name, cases));
        }
    }
    if sets.is_empty() {
        bail!("no .jsonl data sets in {}", data.display());
    }
    sets.sort_by(|a, b| a.0.cmp(&b.0));
    let mut segmenters = vec![("built-in".to_string(), Segmenter::italian::<&str>(&[]))];
    for path in srx_files {
        let name = path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        segmenters.push((name, srx_segmenter(path)?));
    }
    writeln!(
        out,
        "| data set | rules | precision | recall | F1 | cases right |"
    )?;
    writeln!(out, "|---|---|---:|---:|---:|---:|")?;
    let mut all_misses = Vec::new();
    for (set_name, cases) in &sets {
        for (rules_name, segmenter) in &segmenters {
            let (score, misses) = eval::score(segmenter, cases);
            writeln!(
                out,
                "| {set_name} | {rules_name} | {:.4} | {:.4} | {:.4} | {}/{} |",
                score.precision(),
                score.recall(),
                score.f1(),
                score.cases_right,
                score.cases
            )?;
            if rules_name == "built-in" {
                all_misses.extend(misses.into_iter().map(|m| (set_name.clone(), m)));
            }
        }
    }
    if show_misses {
        for (set_name, miss) in all_misses {
            writeln!(out, "\n## {set_name} {}", miss.id)?;
            writeln!(out, "expected:")?;
            for s in &miss.expected {
                writeln!(out, "  | {s}")?;
            }
            writeln!(out, "got:")?;
            for s in &miss.got {
                writeln!(out, "  | {s}")?;
            }
        }
    }
    Ok(())
}
