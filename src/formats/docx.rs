//! The bilingual review document (DOCX): one table with segment id,
//! Italian, English, status, match and an empty comment column, for a
//! reviewer who works in Word or LibreOffice, and reading it back after
//! the reviewer edited it. Tracked changes are read as if accepted
//! (insertions kept, deletions dropped); Word comments anchored in a row
//! join that row's Comment column.
//!
//! The package written is the smallest WordprocessingML that Word and
//! LibreOffice open without repair: content types, relationships,
//! document, styles, footer and document properties.

use std::collections::HashMap;
use std::io::{Cursor, Read, Seek, Write};

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use zip::write::SimpleFileOptions;
use zip::{ZipArchive, ZipWriter};

use crate::document::Status;
use crate::text::codes::{self, Mark};
use crate::text::count;

/// A row of the review table as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewRow {
    /// The segment's id.
    pub id: i64,
    /// Italian text.
    pub source: String,
    /// English text, empty until written.
    pub target: String,
    /// Workflow status.
    pub status: Status,
    /// What the translation came from ("TM 85%"), or empty.
    pub origin: String,
    /// A note on the segment, if any; the Comment column.
    pub note: Option<String>,
}

/// A row of the review table as read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewedRow {
    /// The segment's id, from the ID column.
    pub id: i64,
    /// The Italian, when the Italian column was kept.
    pub source: Option<String>,
    /// The English, trimmed; empty when the cell is.
    pub target: String,
    /// The status, when the Status column gives a known one.
    pub status: Option<Status>,
    /// The Comment column and the Word comments anchored in the row;
    /// `None` when there is neither.
    pub note: Option<String>,
}

/// Column headings, in order. The reader finds columns by these names, so
/// a reviewer may delete or move the ones it does not need.
pub const HEADINGS: [&str; 6] = ["ID", "Italian", "English", "Status", "Match", "Comment"];

/// Column widths in twentieths of a point; they fill a landscape A4 page
/// within 2 cm margins (16838 − 2 × 1134 = 14570).
const WIDTHS: [u32; 6] = [760, 4900, 4900, 1150, 1000, 1860];
const PAGE_WIDTH: u32 = 16838;
const PAGE_HEIGHT: u32 = 11906;
const MARGIN: u32 = 1134;

/// Shading of the columns the reviewer reads but does not edit.
const READ_ONLY_FILL: &str = "F2F2F2";
const HEADER_FILL: &str = "D9D9D9";

/// Writes the review document of a document named `name`, one table row
/// per row of `rows`.
pub fn write<W: Write + Seek>(name: &str, rows: &[ReviewRow], out: W) -> std::io::Result<()> {
    let mut zip = ZipWriter::new(out);
    let options = SimpleFileOptions::default();
    let parts: [(&str, String); 8] = [
        ("[Content_Types].xml", CONTENT_TYPES.to_string()),
        ("_rels/.rels", PACKAGE_RELS.to_string()),
        ("docProps/core.xml", core_properties(name)),
        ("docProps/app.xml", APP_PROPERTIES.to_string()),
        ("word/_rels/document.xml.rels", DOCUMENT_RELS.to_string()),
        ("word/styles.xml", STYLES.to_string()),
        ("word/footer1.xml", footer(name)),
        ("word/document.xml", body(name, rows)),
    ];
    for (name, xml) in parts {
        zip.start_file(name, options)
            .map_err(std::io::Error::other)?;
        zip.write_all(xml.as_bytes())?;
    }
    zip.finish().map_err(std::io::Error::other)?;
    Ok(())
}

/// Escapes text for XML and drops the characters XML 1.0 cannot carry
/// (C0 controls other than tab and line ends), which Word refuses.
fn xml_text(text: &str) -> String {
    let kept: String = text
        .chars()
        .filter(|&c| !matches!(c, '\0'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}'))
        .collect();
    quick_xml::escape::escape(&kept).into_owned()
}

/// Runs for `text` in language `lang`; tabs and line breaks become Word's.
fn runs(text: &str, lang: &str, bold: bool) -> String {
    let mut properties = String::new();
    if bold {
        properties.push_str("<w:b/>");
    }
    properties.push_str(&format!("<w:lang w:val=\"{lang}\"/>"));
    let mut out = format!("<w:r><w:rPr>{properties}</w:rPr>");
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push_str("<w:br/>");
        }
        for (j, piece) in line.split('\t').enumerate() {
            if j > 0 {
                out.push_str("<w:tab/>");
            }
            if !piece.is_empty() {
                out.push_str(&format!(
                    "<w:t xml:space=\"preserve\">{}</w:t>",
                    xml_text(piece)
                ));
            }
        }
    }
    out.push_str("</w:r>");
    out
}

fn cell(column: usize, fill: Option<&str>, text: &str, lang: &str, bold: bool) -> String {
    cell_of_runs(column, fill, &runs(text, lang, bold))
}

fn cell_of_runs(column: usize, fill: Option<&str>, runs: &str) -> String {
    let shading = fill
        .map(|f| format!("<w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"{f}\"/>"))
        .unwrap_or_default();
    format!(
        "<w:tc><w:tcPr><w:tcW w:w=\"{}\" w:type=\"dxa\"/>{shading}</w:tcPr><w:p>{runs}</w:p></w:tc>",
        WIDTHS[column]
    )
}

/// A cell of segment text whose inline codes are shaded markers.
fn coded_cell(column: usize, fill: Option<&str>, source: &str, text: &str, lang: &str) -> String {
    let mut out = String::new();
    for (marker, piece) in pieces(source, text) {
        if marker {
            out.push_str(&format!(
                "<w:r><w:rPr><w:color w:val=\"1F3864\"/><w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"{MARKER_FILL}\"/>\
                 <w:lang w:val=\"{lang}\"/></w:rPr><w:t>{}</w:t></w:r>",
                xml_text(&piece)
            ));
        } else {
            out.push_str(&runs(&piece, lang, false));
        }
    }
    if out.is_empty() {
        out = runs("", lang, false);
    }
    cell_of_runs(column, fill, &out)
}

fn body(name: &str, rows: &[ReviewRow]) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" \
         xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><w:body>",
    );
    out.push_str(&format!(
        "<w:p><w:pPr><w:pStyle w:val=\"Title\"/></w:pPr>{}</w:p>",
        runs(name, "it-IT", false)
    ));
    out.push_str(&format!(
        "<w:p><w:pPr><w:spacing w:after=\"160\"/></w:pPr>{}</w:p>",
        runs(
            &format!(
                "Italian → English, {}. Correct the English and write remarks in the Comment column; \
                 leave the ID and Italian columns as they are, so the review can be imported back. \
                 Shaded markers such as {{1}}…{{/1}} and {{2/}} stand for links and formatting: \
                 keep each one in the English, around the words it belongs to.",
                count(rows.len(), "segment", "segments")
            ),
            "en-GB",
            false
        )
    ));
    let total: u32 = WIDTHS.iter().sum();
    out.push_str(&format!(
        "<w:tbl><w:tblPr><w:tblW w:w=\"{total}\" w:type=\"dxa\"/><w:tblBorders>\
         <w:top w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"999999\"/>\
         <w:left w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"999999\"/>\
         <w:bottom w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"999999\"/>\
         <w:right w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"999999\"/>\
         <w:insideH w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"999999\"/>\
         <w:insideV w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"999999\"/>\
         </w:tblBorders><w:tblLayout w:type=\"fixed\"/><w:tblCellMar>\
         <w:top w:w=\"40\" w:type=\"dxa\"/><w:left w:w=\"80\" w:type=\"dxa\"/>\
         <w:bottom w:w=\"40\" w:type=\"dxa\"/><w:right w:w=\"80\" w:type=\"dxa\"/>\
         </w:tblCellMar></w:tblPr><w:tblGrid>"
    ));
    for width in WIDTHS {
        out.push_str(&format!("<w:gridCol w:w=\"{width}\"/>"));
    }
    out.push_str("</w:tblGrid>");
    // The heading row repeats on every page and, like every row, is not
    // cut across a page break.
    out.push_str("<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>");
    for (column, heading) in HEADINGS.iter().enumerate() {
        out.push_str(&cell(column, Some(HEADER_FILL), heading, "en-GB", true));
    }
    out.push_str("</w:tr>");
    for row in rows {
        out.push_str("<w:tr><w:trPr><w:cantSplit/></w:trPr>");
        let fill = Some(READ_ONLY_FILL);
        out.push_str(&cell(0, fill, &row.id.to_string(), "en-GB", false));
        out.push_str(&coded_cell(1, fill, &row.source, &row.source, "it-IT"));
        out.push_str(&coded_cell(2, None, &row.source, &row.target, "en-GB"));
        out.push_str(&cell(3, None, row.status.as_str(), "en-GB", false));
        out.push_str(&cell(4, fill, &row.origin, "en-GB", false));
        let note = row.note.as_deref().unwrap_or("");
        out.push_str(&cell(5, None, note, "en-GB", false));
        out.push_str("</w:tr>");
    }
    out.push_str(&format!(
        "</w:tbl><w:p/><w:sectPr><w:footerReference w:type=\"default\" r:id=\"rIdFooter\"/>\
         <w:pgSz w:w=\"{PAGE_WIDTH}\" w:h=\"{PAGE_HEIGHT}\" w:orient=\"landscape\"/>\
         <w:pgMar w:top=\"{MARGIN}\" w:right=\"{MARGIN}\" w:bottom=\"{MARGIN}\" w:left=\"{MARGIN}\" \
         w:header=\"567\" w:footer=\"567\" w:gutter=\"0\"/></w:sectPr></w:body></w:document>"
    ));
    out
}

fn footer(name: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <w:ftr xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
         <w:p><w:pPr><w:jc w:val=\"right\"/></w:pPr>{}\
         <w:fldSimple w:instr=\" PAGE \"><w:r><w:t>1</w:t></w:r></w:fldSimple>\
         <w:r><w:t xml:space=\"preserve\"> / </w:t></w:r>\
         <w:fldSimple w:instr=\" NUMPAGES \"><w:r><w:t>1</w:t></w:r></w:fldSimple></w:p></w:ftr>",
        runs(&format!("{name} · review · page "), "en-GB", false)
    )
}

fn core_properties(name: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\
         <dc:title>{} (review)</dc:title><dc:creator>Interlinea</dc:creator><dc:language>en</dc:language>\
         </cp:coreProperties>",
        xml_text(name)
    )
}

const CONTENT_TYPES: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
<Default Extension=\"xml\" ContentType=\"application/xml\"/>\
<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>\
<Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>\
<Override PartName=\"/word/footer1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml\"/>\
<Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>\
<Override PartName=\"/docProps/app.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/>\
</Types>";

const PACKAGE_RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>\
<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>\
<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties\" Target=\"docProps/app.xml\"/>\
</Relationships>";

const DOCUMENT_RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rIdStyles\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>\
<Relationship Id=\"rIdFooter\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer\" Target=\"footer1.xml\"/>\
</Relationships>";

const APP_PROPERTIES: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\">\
<Application>Interlinea</Application></Properties>";

const STYLES: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<w:styles xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
<w:docDefaults><w:rPrDefault><w:rPr>\
<w:rFonts w:ascii=\"Calibri\" w:hAnsi=\"Calibri\" w:eastAsia=\"Calibri\" w:cs=\"Calibri\"/>\
<w:sz w:val=\"20\"/><w:szCs w:val=\"20\"/><w:lang w:val=\"en-GB\"/>\
</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after=\"0\" w:line=\"259\" w:lineRule=\"auto\"/></w:pPr></w:pPrDefault></w:docDefaults>\
<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/><w:qFormat/></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"Title\"><w:name w:val=\"Title\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/>\
<w:pPr><w:spacing w:after=\"120\"/></w:pPr><w:rPr><w:b/><w:sz w:val=\"32\"/><w:szCs w:val=\"32\"/></w:rPr></w:style>\
<w:style w:type=\"table\" w:default=\"1\" w:styleId=\"TableNormal\"><w:name w:val=\"Normal Table\"/>\
<w:tblPr><w:tblInd w:w=\"0\" w:type=\"dxa\"/><w:tblCellMar><w:top w:w=\"0\" w:type=\"dxa\"/><w:left w:w=\"108\" w:type=\"dxa\"/>\
<w:bottom w:w=\"0\" w:type=\"dxa\"/><w:right w:w=\"108\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr></w:style>\
</w:styles>";

/// Shading of the markers that stand for inline codes, so that a reviewer
/// tells them from the text.
const MARKER_FILL: &str = "DDE3F0";

/// A segment's text as the reviewer sees it, its inline codes as markers
/// numbered as in its Italian `source`: `{1}`…`{/1}` around what a paired
/// code encloses, `{2/}` for a code that stands alone.
pub fn with_markers(source: &str, text: &str) -> String {
    pieces(source, text).into_iter().map(|(_, p)| p).collect()
}

/// `text` cut into plain pieces and markers (`true`).
fn pieces(source: &str, text: &str) -> Vec<(bool, String)> {
    let numbering = codes::numbering(source);
    let mut out = vec![(false, String::new())];
    for c in text.chars() {
        let Some(mark) = Mark::of(c) else {
            match out.last_mut() {
                Some((false, plain)) => plain.push(c),
                _ => out.push((false, c.to_string())),
            }
            continue;
        };
        let n = numbering
            .iter()
            .position(|&id| id == mark.id())
            .map_or(0, |i| i + 1);
        let marker = match mark {
            Mark::Open(_) => format!("{{{n}}}"),
            Mark::Close(_) => format!("{{/{n}}}"),
            Mark::Standalone(_) => format!("{{{n}/}}"),
        };
        out.push((true, marker));
    }
    out.retain(|(_, p)| !p.is_empty());
    out
}

/// A reviewed text with markers (see [`with_markers`]) as text with the
/// inline codes of `source`. Refused, with every reason: a broken marker
/// (`{1`, `/1}`), one the Italian does not have or that comes twice, and
/// one of the codes `before` (the English as exported) holds that the
/// reviewer deleted.
pub fn from_markers(source: &str, before: &str, text: &str) -> Result<String, String> {
    let numbering = codes::numbering(source);
    let source_marks: Vec<Mark> = codes::marks(source).collect();
    let mut problems: Vec<String> = Vec::new();
    let mut out = String::with_capacity(text.len());
    let mut seen: Vec<Mark> = Vec::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '{' {
            if let Some((len, n, shape)) = marker_at(&chars[i..]) {
                let written: String = chars[i..i + len].iter().collect();
                let mark = n
                    .checked_sub(1)
                    .and_then(|k| numbering.get(k))
                    .map(|&id| match shape {
                        'o' => Mark::Open(id),
                        'c' => Mark::Close(id),
                        _ => Mark::Standalone(id),
                    })
                    .filter(|mark| source_marks.contains(mark));
                match mark {
                    None => problems.push(format!("{written} is not a marker of the Italian")),
                    Some(mark) if seen.contains(&mark) => {
                        problems.push(format!("{written} appears twice"))
                    }
                    Some(mark) => {
                        seen.push(mark);
                        out.push(mark.char());
                    }
                }
                i += len;
                continue;
            }
            if chars
                .get(i + 1)
                .is_some_and(|&d| d == '/' || d.is_ascii_digit())
            {
                let near: String = chars[i..].iter().take(6).collect();
                problems.push(format!("broken marker `{near}`"));
            }
        } else if c == '}' && i > 0 && (chars[i - 1] == '/' || chars[i - 1].is_ascii_digit()) {
            let near: String = chars[i.saturating_sub(4)..=i].iter().collect();
            problems.push(format!("broken marker `{near}`"));
        }
        if !codes::is_code(c) {
            out.push(c);
        }
        i += 1;
    }
    for mark in codes::marks(before) {
        if !seen.contains(&mark) {
            let marker = with_markers(source, &mark.char().to_string());
            problems.push(format!("marker {marker} was deleted"));
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(format!(
            "{}; markers are written {{1}}…{{/1}} and {{2/}} and must stay as exported",
            problems.join(", ")
        ))
    }
}

/// The marker `{n}` (shape 'o'), `{/n}` ('c') or `{n/}` ('s') at the start
/// of `chars`: its length, number and shape.
fn marker_at(chars: &[char]) -> Option<(usize, usize, char)> {
    let mut i = 1;
    let close = chars.get(i) == Some(&'/');
    if close {
        i += 1;
    }
    let digits = chars[i..].iter().take_while(|c| c.is_ascii_digit()).count();
    if digits == 0 || digits > 5 {
        return None;
    }
    let n: usize = chars[i..i + digits]
        .iter()
        .collect::<String>()
        .parse()
        .ok()?;
    i += digits;
    let alone = !close && chars.get(i) == Some(&'/');
    if alone {
        i += 1;
    }
    (chars.get(i) == Some(&'}')).then_some((
        i + 1,
        n,
        if close {
            'c'
        } else if alone {
            's'
        } else {
            'o'
        },
    ))
}

/// Largest unpacked part read, so that a ZIP bomb fails instead of filling
/// memory; a review of a long article is a few megabytes.
const MAX_PART_BYTES: u64 = 256 << 20;

/// One table row: its cells' text and the ids of Word comments anchored
/// in it.
#[derive(Default)]
struct TableRow {
    cells: Vec<String>,
    comments: Vec<String>,
}

/// Reads the rows of a review document from its bytes; the error says
/// what is wrong, in the user's words.
pub fn read(data: &[u8]) -> Result<Vec<ReviewedRow>, String> {
    let mut archive =
        ZipArchive::new(Cursor::new(data)).map_err(|e| format!("not a DOCX file ({e})"))?;
    let document = part(&mut archive, "word/document.xml")?
        .ok_or("no word/document.xml: not a Word document")?;
    let comments = match part(&mut archive, "word/comments.xml")? {
        Some(xml) => comment_texts(&xml)?,
        None => HashMap::new(),
    };
    let tables = tables(&document)?;
    let (columns, rows) = tables
        .into_iter()
        .find_map(|rows| {
            let header = rows.first()?;
            let columns = Columns::from_header(&header.cells)?;
            Some((columns, rows))
        })
        .ok_or("no review table found (a table whose first row has the columns ID and English)")?;
    let mut reviewed = Vec::new();
    for (n, row) in rows.iter().enumerate().skip(1) {
        let cell = |i: Option<usize>| i.and_then(|i| row.cells.get(i)).map(|c| c.trim());
        let id = cell(Some(columns.id)).unwrap_or("");
        if id.is_empty() && row.cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let id: i64 = id.parse().map_err(|_| {
            format!(
                "row {}: `{id}` is not a segment id; the ID column must be left as exported",
                n + 1
            )
        })?;
        let mut note = cell(columns.comment).map(str::to_string);
        for comment in row.comments.iter().filter_map(|id| comments.get(id)) {
            let note = note.get_or_insert_with(String::new);
            if !note.is_empty() {
                note.push('\n');
            }
            note.push_str(comment.trim());
        }
        reviewed.push(ReviewedRow {
            id,
            source: cell(columns.italian).map(str::to_string),
            target: row
                .cells
                .get(columns.english)
                .map(|c| c.trim().to_string())
                .unwrap_or_default(),
            status: cell(columns.status).and_then(Status::from_name),
            note,
        });
    }
    Ok(reviewed)
}

/// Where each column is, found by its heading.
struct Columns {
    id: usize,
    italian: Option<usize>,
    english: usize,
    status: Option<usize>,
    comment: Option<usize>,
}

impl Columns {
    fn from_header(cells: &[String]) -> Option<Columns> {
        let find = |heading: &str| {
            cells
                .iter()
                .position(|c| c.trim().eq_ignore_ascii_case(heading))
        };
        let [id, italian, english, status, _, comment] = HEADINGS;
        Some(Columns {
            id: find(id)?,
            italian: find(italian),
            english: find(english)?,
            status: find(status),
            comment: find(comment),
        })
    }
}

/// A part of the package, or `None` when there is no such part.
fn part(archive: &mut ZipArchive<Cursor<&[u8]>>, name: &str) -> Result<Option<Vec<u8>>, String> {
    let entry = match archive.by_name(name) {
        Ok(entry) => entry,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(format!("{name}: {e}")),
    };
    if entry.size() > MAX_PART_BYTES {
        return Err(format!(
            "{name} unpacks to {} bytes; the limit is {MAX_PART_BYTES}",
            entry.size()
        ));
    }
    let mut bytes = Vec::new();
    // The declared size may lie; the limit holds for what is unpacked.
    entry
        .take(MAX_PART_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("{name}: {e}"))?;
    if bytes.len() as u64 > MAX_PART_BYTES {
        return Err(format!(
            "{name} unpacks to more than {MAX_PART_BYTES} bytes"
        ));
    }
    Ok(Some(bytes))
}

fn attribute(e: &BytesStart<'_>, name: &[u8]) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .and_then(|a| a.unescape_value().ok().map(|v| v.into_owned()))
}

fn xml_error(reader: &Reader<&[u8]>, e: impl std::fmt::Display) -> String {
    format!("XML error at byte {}: {e}", reader.buffer_position())
}

/// Text-bearing content of WordprocessingML, read as a reviewer sees the
/// document with all changes accepted.
struct TextState {
    /// Inside `<w:t>`.
    in_text: bool,
    /// Depth inside content that is gone once changes are accepted
    /// (`w:del`, `w:moveFrom`).
    deleted: usize,
}

impl TextState {
    fn new() -> TextState {
        TextState {
            in_text: false,
            deleted: 0,
        }
    }

    /// Handles the events common to body text; returns text to append.
    fn text_of(
        &mut self,
        reader: &Reader<&[u8]>,
        event: &Event<'_>,
    ) -> Result<Option<String>, String> {
        Ok(match event {
            Event::Start(e) => {
                match e.local_name().as_ref() {
                    b"t" => self.in_text = true,
                    b"del" | b"moveFrom" => self.deleted += 1,
                    _ => {}
                }
                None
            }
            Event::End(e) => {
                match e.local_name().as_ref() {
                    b"t" => self.in_text = false,
                    b"del" | b"moveFrom" => self.deleted = self.deleted.saturating_sub(1),
                    _ => {}
                }
                None
            }
            Event::Empty(e) if self.deleted == 0 => match e.local_name().as_ref() {
                b"tab" => Some("\t".into()),
                b"br" | b"cr" => Some("\n".into()),
                _ => None,
            },
            Event::Text(t) if self.in_text && self.deleted == 0 => {
                Some(t.unescape().map_err(|e| xml_error(reader, e))?.into_owned())
            }
            Event::DocType(_) => {
                return Err("the XML declares a DOCTYPE (entity declarations are refused)".into())
            }
            _ => None,
        })
    }
}

/// Every top-level table of the document, as rows of cell texts.
/// Paragraphs within a cell are joined by a line break.
fn tables(xml: &[u8]) -> Result<Vec<Vec<TableRow>>, String> {
    let mut reader = Reader::from_reader(xml);
    let mut state = TextState::new();
    let mut tables: Vec<Vec<TableRow>> = Vec::new();
    let mut depth = 0usize;
    let mut row: Option<TableRow> = None;
    let mut cell: Option<String> = None;
    let mut paragraphs_in_cell = 0usize;
    loop {
        let event = reader.read_event().map_err(|e| xml_error(&reader, e))?;
        // Nested tables are read as text of the cell that holds them.
        match &event {
            Event::Start(e) => match e.local_name().as_ref() {
                b"tbl" => {
                    depth += 1;
                    if depth == 1 {
                        tables.push(Vec::new());
                    }
                }
                b"tr" if depth == 1 => row = Some(TableRow::default()),
                b"tc" if depth == 1 => {
                    cell = Some(String::new());
                    paragraphs_in_cell = 0;
                }
                b"p" => {
                    if let Some(cell) = cell.as_mut() {
                        if paragraphs_in_cell > 0 {
                            cell.push('\n');
                        }
                        paragraphs_in_cell += 1;
                    }
                }
                _ => {}
            },
            Event::Empty(e) => match e.local_name().as_ref() {
                b"commentRangeStart" | b"commentReference" => {
                    if let (Some(row), Some(id)) = (row.as_mut(), attribute(e, b"id")) {
                        if !row.comments.contains(&id) {
                            row.comments.push(id);
                        }
                    }
                }
                b"p" => {
                    if let Some(cell) = cell.as_mut() {
                        if paragraphs_in_cell > 0 {
                            cell.push('\n');
                        }
                        paragraphs_in_cell += 1;
                    }
                }
                _ => {}
            },
            Event::End(e) => match e.local_name().as_ref() {
                b"tbl" => depth = depth.saturating_sub(1),
                b"tr" if depth == 1 => {
                    if let (Some(row), Some(table)) = (row.take(), tables.last_mut()) {
                        table.push(row);
                    }
                }
                b"tc" if depth == 1 => {
                    if let (Some(cell), Some(row)) = (cell.take(), row.as_mut()) {
                        row.cells.push(cell);
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
        if let Some(text) = state.text_of(&reader, &event)? {
            if let Some(cell) = cell.as_mut() {
                cell.push_str(&text);
            }
        }
    }
    Ok(tables)
}

/// The text of each Word comment, by id.
fn comment_texts(xml: &[u8]) -> Result<HashMap<String, String>, String> {
    let mut reader = Reader::from_reader(xml);
    let mut state = TextState::new();
    let mut comments = HashMap::new();
    let mut current: Option<(String, String)> = None;
    loop {
        let event = reader.read_event().map_err(|e| xml_error(&reader, e))?;
        match &event {
            Event::Start(e) if e.local_name().as_ref() == b"comment" => {
                current = Some((attribute(e, b"id").unwrap_or_default(), String::new()));
            }
            Event::Start(e) if e.local_name().as_ref() == b"p" => {
                if let Some((_, text)) = current.as_mut().filter(|(_, t)| !t.is_empty()) {
                    text.push('\n');
                }
            }
            Event::End(e) if e.local_name().as_ref() == b"comment" => {
                if let Some((id, text)) = current.take() {
                    comments.insert(id, text);
                }
            }
            Event::Eof => break,
            _ => {}
        }
        if let Some(text) = state.text_of(&reader, &event)? {
            if let Some((_, current)) = current.as_mut() {
                current.push_str(&text);
            }
        }
    }
    Ok(comments)
}

#[cfg(test)]
mod tests;
