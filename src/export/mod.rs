//! A document leaving the workspace: the finished English article in the
//! source's own format, a bilingual CSV/TSV table, a TMX of its confirmed
//! segments, and XLIFF 1.2 / 2.0.

pub mod docx;
pub mod xliff;

use crate::document::{BlockKind, InlineCode, SourceFormat, Translatable};
use crate::formats::tmx::{TmxUnit, TmxWriter};
use crate::store::{BlockRow, SegmentRow, StoreError, Workspace};
use crate::text::codes::{self, Mark};
use crate::text::count;

/// Why an export failed.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The workspace could not be read.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Untranslated segments, when they are refused.
    #[error("{} not translated (ids {}); translate them or let the Italian stand in", count(.0.len(), "segment is", "segments are"), join_ids(.0))]
    Untranslated(Vec<i64>),
    /// The XLIFF the document came from could not be filled in.
    #[error("the XLIFF this document was made from cannot be written back: {0}")]
    Original(String),
    /// The file could not be written.
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

/// The files a document can be exported as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// The English article in the source's format.
    Target,
    /// The bilingual review document (DOCX).
    Docx,
    /// The standalone bilingual review page.
    Html,
    /// XLIFF 1.2.
    Xliff,
    /// XLIFF 2.0.
    Xliff2,
    /// The confirmed segments as TMX 1.4b.
    Tmx,
    /// The bilingual table, comma-separated.
    Csv,
    /// The bilingual table, tab-separated.
    Tsv,
}

impl ExportFormat {
    /// The stable name used by the CLI and the desktop app.
    pub fn from_name(name: &str) -> Option<ExportFormat> {
        Some(match name {
            "target" => ExportFormat::Target,
            "docx" => ExportFormat::Docx,
            "html" => ExportFormat::Html,
            "xliff" => ExportFormat::Xliff,
            "xliff2" => ExportFormat::Xliff2,
            "tmx" => ExportFormat::Tmx,
            "csv" => ExportFormat::Csv,
            "tsv" => ExportFormat::Tsv,
            _ => return None,
        })
    }
}

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exported {
    /// What the file holds, for the user ("the English article").
    pub what: String,
    /// Translatable segments with no translation where the Italian stood in
    /// (the English article only; [`untranslated_segments`] gives them
    /// before the export).
    pub untranslated: Vec<i64>,
}

/// Exports document `doc_id` as `format` to `path`. The file is written
/// beside its final name and renamed into place, so a failed export never
/// leaves half a file where a good one was.
pub fn export_document(
    ws: &Workspace,
    doc_id: i64,
    format: ExportFormat,
    refuse_untranslated: bool,
    path: &std::path::Path,
) -> Result<Exported, ExportError> {
    let mut untranslated = Vec::new();
    let mut bytes = Vec::new();
    let what = match format {
        ExportFormat::Target => {
            let article = article(ws, doc_id, refuse_untranslated)?;
            bytes = article.text.into_bytes();
            untranslated = article.untranslated;
            "the English article".to_string()
        }
        ExportFormat::Docx => {
            let mut cursor = std::io::Cursor::new(Vec::new());
            let n = docx::review_docx(ws, doc_id, &mut cursor)?;
            bytes = cursor.into_inner();
            format!("the review document ({})", count(n, "segment", "segments"))
        }
        ExportFormat::Html => {
            bytes = bilingual_html(ws, doc_id)?.into_bytes();
            "the bilingual review page".into()
        }
        ExportFormat::Xliff | ExportFormat::Xliff2 => {
            let (major, version) = match format {
                ExportFormat::Xliff => (1, "1.2"),
                _ => (2, "2.0"),
            };
            match xliff::same_file(ws, doc_id, major)? {
                Some(file) => {
                    bytes = file;
                    format!("the XLIFF {version} file it was made from (English filled in)")
                }
                None => {
                    bytes = if major == 1 {
                        xliff::xliff_1_2(ws, doc_id)?
                    } else {
                        xliff::xliff_2_0(ws, doc_id)?
                    }
                    .into_bytes();
                    format!("the XLIFF {version} file")
                }
            }
        }
        ExportFormat::Tmx => {
            let n = confirmed_tmx(ws, doc_id, &mut bytes)?;
            count(n, "confirmed segment", "confirmed segments")
        }
        ExportFormat::Csv | ExportFormat::Tsv => {
            let delimiter = if format == ExportFormat::Csv {
                b','
            } else {
                b'\t'
            };
            bytes = bilingual_table(ws, doc_id, delimiter)?.into_bytes();
            "the bilingual table".into()
        }
    };
    write_replacing(path, &bytes)?;
    Ok(Exported { what, untranslated })
}

/// Writes `bytes` to a temporary file beside `path`, then renames it over
/// `path`.
fn write_replacing(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    let name = path.file_name().ok_or_else(|| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("{} is not a file name", path.display()),
        )
    })?;
    let temporary = dir.join(format!(".{}.part", name.to_string_lossy()));
    let with_path =
        |e: std::io::Error| std::io::Error::new(e.kind(), format!("{}: {e}", path.display()));
    let mut file = std::fs::File::create(&temporary).map_err(with_path)?;
    let written = file.write_all(bytes).and_then(|()| file.sync_all());
    if let Err(e) = written.and_then(|()| std::fs::rename(&temporary, path)) {
        let _ = std::fs::remove_file(&temporary);
        return Err(with_path(e));
    }
    Ok(())
}

fn join_ids(ids: &[i64]) -> String {
    let shown: Vec<String> = ids.iter().take(20).map(i64::to_string).collect();
    let more = if ids.len() > 20 { ", …" } else { "" };
    format!("{}{more}", shown.join(", "))
}

/// The English article and what stood in for missing translations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Article {
    /// The article in the source's format.
    pub text: String,
    /// Translatable segments with no translation, given in Italian.
    pub untranslated: Vec<i64>,
}

/// One block of the English article: its text with inline codes, and
/// what they stand for.
struct ArticleBlock<'b> {
    kind: BlockKind,
    text: String,
    codes: &'b [InlineCode],
}

/// The finished English article in the source's format: text lines,
/// Markdown headings and lists, or HTML elements, with the Italian's links,
/// emphasis and line breaks where the English has their codes (plain text
/// has none). Page furniture and blocks the translator left out are not
/// part of the article; code keeps its text. An empty translation falls
/// back to the Italian, or with `refuse_untranslated` fails the export.
pub fn article(
    ws: &Workspace,
    doc_id: i64,
    refuse_untranslated: bool,
) -> Result<Article, ExportError> {
    let document = ws.document(doc_id)?;
    let blocks = ws.blocks(doc_id)?;
    let texts: Vec<ArticleBlock<'_>> = blocks
        .iter()
        .filter(|block| in_the_article(block.translatable))
        .map(|block| ArticleBlock {
            kind: block.kind,
            text: block_text(block),
            codes: &block.codes,
        })
        .collect();
    let untranslated: Vec<i64> = blocks
        .iter()
        .flat_map(|block| &block.segments)
        .filter(|s| stands_in_italian(s))
        .map(|s| s.id)
        .collect();
    if refuse_untranslated && !untranslated.is_empty() {
        return Err(ExportError::Untranslated(untranslated));
    }
    let text = match document.format {
        SourceFormat::Text => texts
            .iter()
            .map(|block| format!("{}\n", codes::strip(&block.text)))
            .collect::<String>(),
        SourceFormat::Markdown => markdown(&texts),
        SourceFormat::Html => html(&document.name, &texts),
    };
    Ok(Article { text, untranslated })
}

/// The translatable segments the English article would give in Italian,
/// for saying so before it is written: the same ids as
/// [`Article::untranslated`], without building the article.
pub fn untranslated_segments(ws: &Workspace, doc_id: i64) -> Result<Vec<i64>, StoreError> {
    Ok(ws
        .segments(doc_id)?
        .iter()
        .filter(|s| stands_in_italian(s))
        .map(|s| s.id)
        .collect())
}

/// Whether a block belongs in the English article: page furniture and
/// what the translator left out do not; code is not language and stays.
fn in_the_article(translatable: Translatable) -> bool {
    !matches!(
        translatable,
        Translatable::Boilerplate | Translatable::Excluded
    )
}

/// A segment to translate that has no English yet.
fn stands_in_italian(segment: &SegmentRow) -> bool {
    segment.translatable.is_translatable() && segment.target.trim().is_empty()
}

/// A block's English (its segments' targets, one space apart), with the
/// Italian standing in where there is none, or its text when it is not
/// translated.
fn block_text(block: &BlockRow) -> String {
    let parts: Vec<&str> = block
        .segments
        .iter()
        .map(|s| {
            if !block.translatable.is_translatable() || s.target.trim().is_empty() {
                s.source.as_str()
            } else {
                s.target.as_str()
            }
        })
        .collect();
    parts.join(" ")
}

/// Writes `text` with each code as what it stands for (`open`, `close`)
/// and the text between through `write_text`, balanced whatever the
/// English did: a code it left open is closed at the end, a close without
/// its open is left out, and codes closed out of order are closed and
/// opened again around the one that closes, as HTML parsers do.
/// `write_text` is also told when a code ended a line, for formats where
/// a line's start matters.
fn rebuild(
    text: &str,
    codes: &[InlineCode],
    out: &mut String,
    mut write_text: impl FnMut(&str, bool, &mut String),
) {
    let mut open: Vec<usize> = Vec::new();
    let mut piece = String::new();
    let mut line_start = true;
    for c in text.chars() {
        let Some(mark) = Mark::of(c) else {
            piece.push(c);
            continue;
        };
        if !piece.is_empty() {
            write_text(&piece, line_start, out);
            line_start = line_start && piece.trim().is_empty();
            piece.clear();
        }
        let id = usize::from(mark.id());
        let Some(code) = codes.get(id) else {
            continue;
        };
        match mark {
            Mark::Open(_) => {
                out.push_str(&code.open);
                open.push(id);
            }
            Mark::Close(_) => {
                let Some(at) = open.iter().rposition(|&o| o == id) else {
                    continue;
                };
                let inner = open.split_off(at + 1);
                for &i in inner.iter().rev() {
                    out.push_str(&codes[i].close);
                }
                open.pop();
                out.push_str(&code.close);
                for &i in &inner {
                    out.push_str(&codes[i].open);
                }
                open.extend(inner);
            }
            Mark::Standalone(_) => {
                out.push_str(&code.open);
                out.push_str(&code.close);
            }
        }
        line_start = out.ends_with('\n');
    }
    if !piece.is_empty() {
        write_text(&piece, line_start, out);
    }
    for &i in open.iter().rev() {
        out.push_str(&codes[i].close);
    }
}

fn markdown(blocks: &[ArticleBlock<'_>]) -> String {
    let mut out = String::new();
    for (i, block) in blocks.iter().enumerate() {
        let (start, continuation) = match block.kind {
            BlockKind::Heading(level) => (format!("{} ", "#".repeat(usize::from(level))), None),
            BlockKind::ListItem { ordered, depth } => {
                let indent = "  ".repeat(usize::from(depth));
                let marker = if ordered { "1. " } else { "- " };
                let continuation = format!("{indent}{}", " ".repeat(marker.len()));
                (format!("{indent}{marker}"), Some(continuation))
            }
            BlockKind::Quote => ("> ".into(), Some("> ".into())),
            BlockKind::Paragraph | BlockKind::Caption | BlockKind::Standfirst => {
                (String::new(), Some(String::new()))
            }
            BlockKind::Code => (String::new(), None),
        };
        let line = if block.kind == BlockKind::Code {
            format!("```\n{}\n```", codes::strip(&block.text))
        } else {
            let mut line = start;
            rebuild(
                &markdown_ready(&block.text),
                block.codes,
                &mut line,
                |text, line_start, out| {
                    // A hard break's next line carries the block's prefix.
                    if line_start && out.ends_with('\n') {
                        out.push_str(continuation.as_deref().unwrap_or_default());
                    }
                    escape_markdown(text, line_start, out);
                },
            );
            // A break ends no paragraph: there its backslash would show.
            if let Some(kept) = line.strip_suffix("\\\n") {
                line.truncate(kept.len());
            }
            // Markdown has no standfirst: emphasis is how writers mark one.
            if block.kind == BlockKind::Standfirst {
                format!("*{line}*")
            } else {
                line
            }
        };
        // List items of one list stay together; other blocks are paragraphs.
        let next_is_item = matches!(
            blocks.get(i + 1),
            Some(ArticleBlock {
                kind: BlockKind::ListItem { .. },
                ..
            })
        );
        let is_item = matches!(block.kind, BlockKind::ListItem { .. });
        out.push_str(&line);
        out.push_str(if is_item && next_is_item {
            "\n"
        } else {
            "\n\n"
        });
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

/// `text` as Markdown can mark it: spaces just inside a paired code go
/// outside it (`* word*` is no emphasis), and a code with nothing inside
/// is left out (`****` alone would be a rule).
fn markdown_ready(text: &str) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    let mut moved = true;
    while moved {
        moved = false;
        for i in 0..chars.len().saturating_sub(1) {
            let (a, b) = (chars[i], chars[i + 1]);
            let swap = match (Mark::of(a), Mark::of(b)) {
                (Some(Mark::Open(_)), None) => b.is_whitespace(),
                (None, Some(Mark::Close(_))) => a.is_whitespace(),
                _ => false,
            };
            if swap {
                chars.swap(i, i + 1);
                moved = true;
            }
        }
    }
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if let (Some(Mark::Open(a)), Some(Some(Mark::Close(b)))) =
            (Mark::of(chars[i]), chars.get(i + 1).map(|&c| Mark::of(c)))
        {
            if a == b {
                i += 2;
                continue;
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

/// Writes `text` so that Markdown reads it as text: its emphasis, link,
/// code and HTML characters escaped, and at the start of a line what would
/// begin a list, a quote or a heading.
fn escape_markdown(text: &str, line_start: bool, out: &mut String) {
    let mut at_start = line_start;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let rest = &text[i..];
        if at_start && !c.is_whitespace() {
            at_start = false;
            if matches!(c, '-' | '+' | '=') {
                out.push('\\');
            }
            // "2024. " would number a list.
            let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
            let after = rest[digits..].chars().next();
            if (1..=9).contains(&digits) && matches!(after, Some('.' | ')')) {
                let closes = rest[digits + 1..]
                    .chars()
                    .next()
                    .is_none_or(char::is_whitespace);
                if closes {
                    out.push_str(&rest[..digits]);
                    out.push('\\');
                    for _ in 0..digits {
                        chars.next();
                    }
                    continue;
                }
            }
        }
        let entity = c == '&' && {
            let name = rest[1..]
                .bytes()
                .take_while(|b| b.is_ascii_alphanumeric() || *b == b'#')
                .count();
            name > 0 && rest[1 + name..].starts_with(';')
        };
        if entity || matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#') {
            out.push('\\');
        }
        out.push(c);
    }
}

fn escape(text: &str) -> String {
    quick_xml::escape::escape(text).into_owned()
}

/// A block's English as HTML: its text escaped, its codes as the page's
/// own elements.
fn html_text(block: &ArticleBlock<'_>) -> String {
    let mut out = String::with_capacity(block.text.len());
    rebuild(&block.text, block.codes, &mut out, |text, _, out| {
        out.push_str(&escape(text));
    });
    out
}

/// The article's title: its first heading, in English where it is
/// translated; the document's name when it has none.
fn title(name: &str, blocks: &[ArticleBlock<'_>]) -> String {
    blocks
        .iter()
        .find(|block| matches!(block.kind, BlockKind::Heading(_)))
        .map(|block| codes::strip(&block.text))
        .filter(|title| !title.trim().is_empty())
        .unwrap_or_else(|| name.to_string())
}

fn html(name: &str, blocks: &[ArticleBlock<'_>]) -> String {
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n</head>\n<body>\n",
        escape(&title(name, blocks))
    );
    let mut open_list: Option<bool> = None;
    for block in blocks {
        let text = html_text(block);
        if let BlockKind::ListItem { ordered, .. } = block.kind {
            if open_list != Some(ordered) {
                if let Some(was) = open_list {
                    out.push_str(if was { "</ol>\n" } else { "</ul>\n" });
                }
                out.push_str(if ordered { "<ol>\n" } else { "<ul>\n" });
                open_list = Some(ordered);
            }
            out.push_str(&format!("<li>{text}</li>\n"));
            continue;
        }
        if let Some(was) = open_list.take() {
            out.push_str(if was { "</ol>\n" } else { "</ul>\n" });
        }
        out.push_str(&match block.kind {
            BlockKind::Heading(level) => format!("<h{level}>{text}</h{level}>\n"),
            BlockKind::Quote => format!("<blockquote><p>{text}</p></blockquote>\n"),
            BlockKind::Caption => format!("<figcaption>{text}</figcaption>\n"),
            BlockKind::Standfirst => format!("<p class=\"standfirst\">{text}</p>\n"),
            BlockKind::Code => format!("<pre>{text}</pre>\n"),
            _ => format!("<p>{text}</p>\n"),
        });
    }
    if let Some(was) = open_list {
        out.push_str(if was { "</ol>\n" } else { "</ul>\n" });
    }
    out.push_str("</body>\n</html>\n");
    out
}

/// A standalone bilingual review page: one table, Italian beside English,
/// with segment number and status; inline CSS that prints well (rows are
/// not cut across pages, the header repeats), no scripts, every text
/// escaped.
pub fn bilingual_html(ws: &Workspace, doc_id: i64) -> Result<String, ExportError> {
    let document = ws.document(doc_id)?;
    let title = escape(&document.name);
    // Where the article comes from, for the reviewer to check it against;
    // the address is text, not a link: it is the page's data.
    let meta = ws.document_meta(doc_id)?.unwrap_or_default();
    let about: String = [
        meta.byline(),
        meta.address().map(|address| format!("Source: {address}")),
    ]
    .into_iter()
    .flatten()
    .map(|line| format!("<p class=\"about\">{}</p>\n", escape(&line)))
    .collect();
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n<title>{title}</title>\n<style>\n\
         body {{ font: 11pt/1.45 Georgia, serif; margin: 2em; color: #222; }}\n\
         h1 {{ font-size: 16pt; }}\n\
         table {{ border-collapse: collapse; width: 100%; table-layout: fixed; }}\n\
         th, td {{ border: 1px solid #bbb; padding: 0.35em 0.5em; vertical-align: top; overflow-wrap: anywhere; }}\n\
         th {{ background: #eee; text-align: left; }}\n\
         col.n {{ width: 3em; }} col.s {{ width: 7em; }}\n\
         tr {{ page-break-inside: avoid; break-inside: avoid; }}\n\
         thead {{ display: table-header-group; }}\n\
         .missing {{ color: #a00; font-style: italic; }}\n\
         .note {{ margin: 0.3em 0 0; color: #555; font-size: 9.5pt; }}\n\
         .about {{ margin: 0 0 0.4em; color: #555; overflow-wrap: anywhere; }}\n\
         .code {{ color: #06c; font: 9pt monospace; }}\n\
         @page {{ margin: 1.5cm; }}\n\
         </style>\n</head>\n<body>\n<h1>{title}</h1>\n{about}<table>\n\
         <colgroup><col class=\"n\"/><col/><col/><col class=\"s\"/></colgroup>\n\
         <thead><tr><th>#</th><th lang=\"it\">Italiano</th><th>English</th><th>Status</th></tr></thead>\n<tbody>\n"
    );
    let mut n = 0;
    for segment in ws.segments(doc_id)? {
        if !segment.translatable.is_translatable() {
            continue;
        }
        n += 1;
        let mut target = if segment.target.trim().is_empty() {
            "<span class=\"missing\">not translated</span>".to_string()
        } else {
            review_text(&segment.source, &segment.target)
        };
        if let Some(note) = &segment.note {
            target.push_str(&format!("<p class=\"note\">Note: {}</p>", escape(note)));
        }
        out.push_str(&format!(
            "<tr><td>{n}</td><td lang=\"it\">{}</td><td>{target}</td><td>{}</td></tr>\n",
            review_text(&segment.source, &segment.source),
            segment.status.as_str()
        ));
    }
    out.push_str("</tbody>\n</table>\n</body>\n</html>\n");
    Ok(out)
}

/// A segment's Italian or English for the review page, escaped, its
/// inline codes shown as the markers a translator sees (`<1>`, `</1>`,
/// `<2/>`), set apart by their style.
fn review_text(source: &str, text: &str) -> String {
    if !codes::has_codes(text) {
        return escape(text);
    }
    // The notation escapes the text's own `<`, so each `<` is a code.
    let notation = codes::to_notation(source, text);
    let mut out = String::with_capacity(notation.len() * 2);
    let mut rest = notation.as_str();
    while let Some(at) = rest.find('<') {
        out.push_str(&rest[..at]);
        let end = rest[at..].find('>').map_or(rest.len(), |e| at + e + 1);
        out.push_str(&format!(
            "<span class=\"code\">&lt;{}&gt;</span>",
            &rest[at + 1..end - 1]
        ));
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// The translatable segments as a bilingual table (RFC 4180 quoting):
/// id, Italian, English (both without inline codes), status, note;
/// `delimiter` b',' or b'\t'.
pub fn bilingual_table(ws: &Workspace, doc_id: i64, delimiter: u8) -> Result<String, ExportError> {
    let mut writer = csv::WriterBuilder::new()
        .delimiter(delimiter)
        .from_writer(Vec::new());
    writer
        .write_record(["id", "italian", "english", "status", "note"])
        .map_err(csv_error)?;
    for segment in ws.segments(doc_id)? {
        if !segment.translatable.is_translatable() {
            continue;
        }
        writer
            .write_record([
                segment.id.to_string().as_str(),
                &codes::strip(&segment.source),
                &codes::strip(&segment.target),
                segment.status.as_str(),
                segment.note.as_deref().unwrap_or(""),
            ])
            .map_err(csv_error)?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| std::io::Error::other(e.to_string()))?;
    Ok(String::from_utf8(bytes).expect("written from strings"))
}

fn csv_error(e: csv::Error) -> ExportError {
    ExportError::Io(std::io::Error::other(e.to_string()))
}

/// The document's confirmed segments as TMX 1.4b; how many were written.
pub fn confirmed_tmx(
    ws: &Workspace,
    doc_id: i64,
    out: impl std::io::Write,
) -> Result<usize, ExportError> {
    let document = ws.document(doc_id)?;
    let mut writer = TmxWriter::new(out, "it", "en")?;
    let mut n = 0;
    for segment in ws.segments(doc_id)? {
        if !segment.translatable.is_translatable() || !segment.status.is_confirmed() {
            continue;
        }
        // Codes numbered per unit, written with their original markup.
        let unit =
            crate::store::tm::unit_of_segment(&segment.source, &segment.target, &segment.codes);
        writer.write_unit(&TmxUnit {
            props: vec![("x-Document".into(), document.name.clone())],
            ..unit
        })?;
        n += 1;
    }
    writer.finish()?;
    Ok(n)
}

#[cfg(test)]
mod tests;
