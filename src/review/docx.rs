//! Reading a reviewed DOCX: the table written by
//! [`crate::export::docx`], after a reviewer edited it in Word or
//! LibreOffice. Tracked changes are read as if accepted (insertions kept,
//! deletions dropped); Word comments anchored in a row join that row's
//! Comment column.

use std::collections::HashMap;
use std::io::{Cursor, Read};

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use zip::ZipArchive;

use super::{ReviewError, Reviewed};
use crate::export::docx::HEADINGS;
use crate::store::Status;

/// Largest unpacked part read, so that a ZIP bomb fails instead of filling
/// memory; a review of a long article is a few megabytes.
const MAX_PART_BYTES: u64 = 256 << 20;

/// One table row: its cells' text and the ids of Word comments anchored
/// in it.
#[derive(Default)]
struct Row {
    cells: Vec<String>,
    comments: Vec<String>,
}

pub(super) fn read(file: &str, data: &[u8]) -> Result<Vec<Reviewed>, ReviewError> {
    let malformed = |reason: String| ReviewError::Malformed {
        file: file.to_string(),
        reason,
    };
    let mut archive = ZipArchive::new(Cursor::new(data))
        .map_err(|e| malformed(format!("not a DOCX file ({e})")))?;
    let document = part(&mut archive, "word/document.xml")
        .map_err(&malformed)?
        .ok_or_else(|| malformed("no word/document.xml: not a Word document".into()))?;
    let comments = match part(&mut archive, "word/comments.xml").map_err(&malformed)? {
        Some(xml) => comment_texts(&xml).map_err(&malformed)?,
        None => HashMap::new(),
    };
    let tables = tables(&document).map_err(&malformed)?;
    let (columns, rows) = tables
        .into_iter()
        .find_map(|rows| {
            let header = rows.first()?;
            let columns = Columns::from_header(&header.cells)?;
            Some((columns, rows))
        })
        .ok_or_else(|| {
            malformed(
                "no review table found (a table whose first row has the columns ID and English)"
                    .into(),
            )
        })?;
    let mut reviewed = Vec::new();
    for (n, row) in rows.iter().enumerate().skip(1) {
        let cell = |i: Option<usize>| i.and_then(|i| row.cells.get(i)).map(|c| c.trim());
        let id = cell(Some(columns.id)).unwrap_or("");
        if id.is_empty() && row.cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let key: i64 = id.parse().map_err(|_| {
            malformed(format!(
                "row {}: `{id}` is not a segment id; the ID column must be left as exported",
                n + 1
            ))
        })?;
        let mut note = cell(columns.comment).map(str::to_string);
        for comment in row.comments.iter().filter_map(|id| comments.get(id)) {
            let note = note.get_or_insert_with(String::new);
            if !note.is_empty() {
                note.push('\n');
            }
            note.push_str(comment.trim());
        }
        reviewed.push(Reviewed {
            key: key.to_string(),
            source: cell(columns.italian).map(str::to_string),
            target: Some(
                row.cells
                    .get(columns.english)
                    .map(|c| c.trim().to_string())
                    .unwrap_or_default(),
            ),
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
fn tables(xml: &[u8]) -> Result<Vec<Vec<Row>>, String> {
    let mut reader = Reader::from_reader(xml);
    let mut state = TextState::new();
    let mut tables: Vec<Vec<Row>> = Vec::new();
    let mut depth = 0usize;
    let mut row: Option<Row> = None;
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
                b"tr" if depth == 1 => row = Some(Row::default()),
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
