//! Glossaries as CSV or TSV (RFC 4180 quoting).
//!
//! With a header row, columns are found by name (`it`/`italian`/`source`,
//! `en`/`english`/`target`, `note`, `domain`, `pos`, `status`, …, and the
//! per-term columns this module writes). Without one, the two or three
//! columns translators trade are read as Italian, English and a note.
//! Rows that share an `entry` value are one entry with several terms, which
//! is how an export keeps synonyms and their attributes.
//!
//! OmegaT's glossaries (`.txt`, `.utf8`) are read and written apart: UTF-8,
//! no header, no quoting, `term<TAB>translation<TAB>comment`, and lines
//! starting with `#` are comments.

use crate::termbase::{Entry, Status, Term};

/// A row that could not be read, by line number (1-based, as an editor
/// shows it).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct RowError {
    /// Line of the file.
    pub line: u64,
    /// What is wrong with it.
    pub message: String,
}

/// The columns this module writes, in order.
const COLUMNS: [&str; 13] = [
    "entry",
    "domain",
    "entry_note",
    "it",
    "it_pos",
    "it_status",
    "it_case_sensitive",
    "it_note",
    "en",
    "en_pos",
    "en_status",
    "en_case_sensitive",
    "en_note",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Entry,
    Domain,
    EntryNote,
    Pos,
    Term(Lang, TermField),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lang {
    It,
    En,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TermField {
    Text,
    Pos,
    Status,
    CaseSensitive,
    Note,
}

fn field(name: &str) -> Option<Field> {
    use {Lang::*, TermField::*};
    let name = name.trim().to_lowercase().replace([' ', '-'], "_");
    Some(match name.as_str() {
        "entry" | "id" | "concept" | "entry_id" => Field::Entry,
        "domain" | "subject" | "subject_field" | "subjectfield" => Field::Domain,
        "note" | "notes" | "comment" | "comments" | "entry_note" | "definition" => Field::EntryNote,
        "pos" | "part_of_speech" | "partofspeech" => Field::Pos,
        "it" | "ita" | "italian" | "italiano" | "source" | "it_it" | "term_it" | "it_term" => {
            Field::Term(It, Text)
        }
        "en" | "eng" | "english" | "inglese" | "target" | "en_gb" | "en_us" | "term_en"
        | "en_term" => Field::Term(En, Text),
        "it_pos" => Field::Term(It, Pos),
        "en_pos" => Field::Term(En, Pos),
        "it_status" => Field::Term(It, Status),
        "en_status" | "status" => Field::Term(En, Status),
        "it_case_sensitive" | "case_sensitive" | "case" => Field::Term(It, CaseSensitive),
        "en_case_sensitive" => Field::Term(En, CaseSensitive),
        "it_note" => Field::Term(It, Note),
        "en_note" => Field::Term(En, Note),
        _ => return None,
    })
}

/// The delimiter of a file: by its name when it tells, else by its first
/// line (tab, then semicolon or comma, whichever is more frequent).
pub fn delimiter(file_name: &str, bytes: &[u8]) -> u8 {
    let lower = file_name.to_lowercase();
    if lower.ends_with(".tsv") || lower.ends_with(".tab") {
        return b'\t';
    }
    let line_end = memchr::memchr(b'\n', bytes).unwrap_or(bytes.len());
    let first = String::from_utf8_lossy(&bytes[..line_end]);
    if first.contains('\t') {
        b'\t'
    } else if first.matches(';').count() > first.matches(',').count() {
        b';'
    } else {
        b','
    }
}

fn flag(text: &str) -> Option<bool> {
    match text.trim().to_lowercase().as_str() {
        "" | "0" | "no" | "n" | "false" => Some(false),
        "1" | "yes" | "y" | "true" | "x" => Some(true),
        _ => None,
    }
}

fn optional(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_string())
}

/// Reads a glossary table. All rows are checked before anything is
/// returned: a file with bad rows gives every bad row, and no entries.
pub fn read(bytes: &[u8], delimiter: u8) -> Result<Vec<Entry>, Vec<RowError>> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut records = reader.records();
    let mut errors = Vec::new();
    let Some(first) = records.next() else {
        return Ok(Vec::new());
    };
    let first = first.map_err(|e| vec![csv_error(e)])?;
    let named: Vec<Option<Field>> = first.iter().map(field).collect();
    let has_header = named.contains(&Some(Field::Term(Lang::It, TermField::Text)))
        && named.contains(&Some(Field::Term(Lang::En, TermField::Text)));
    let (columns, pending_first) = if has_header {
        for (i, name) in first.iter().enumerate() {
            if named[i].is_none() && !name.trim().is_empty() {
                errors.push(RowError {
                    line: 1,
                    message: format!("unknown column `{name}`"),
                });
            }
        }
        (named, None)
    } else {
        if first.len() > 3 {
            return Err(vec![RowError {
                line: 1,
                message: format!(
                    "{} columns and no header row: name the columns (it, en, note, domain, pos, …)",
                    first.len()
                ),
            }]);
        }
        let bare = vec![
            Some(Field::Term(Lang::It, TermField::Text)),
            Some(Field::Term(Lang::En, TermField::Text)),
            Some(Field::EntryNote),
        ];
        (bare, Some(first))
    };

    let mut entries: Vec<(u64, Entry)> = Vec::new();
    let mut by_key: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let rows = pending_first
        .into_iter()
        .map(Ok)
        .chain(records)
        .collect::<Vec<_>>();
    for row in rows {
        let row = match row {
            Ok(row) => row,
            Err(e) => {
                errors.push(csv_error(e));
                continue;
            }
        };
        let line = row.position().map_or(0, |p| p.line());
        if row.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        if row.len() > columns.len() {
            errors.push(RowError {
                line,
                message: format!("{} cells, but {} columns", row.len(), columns.len()),
            });
            continue;
        }
        let mut key = None;
        let mut entry = Entry::default();
        let mut terms = [Term::default(), Term::default()];
        let mut shared_pos = None;
        for (cell, column) in row.iter().zip(&columns) {
            let Some(column) = column else { continue };
            match *column {
                Field::Entry => key = optional(cell),
                Field::Domain => entry.domain = optional(cell),
                Field::EntryNote => entry.note = optional(cell),
                Field::Pos => shared_pos = optional(cell),
                Field::Term(lang, part) => {
                    let term = &mut terms[lang as usize];
                    match part {
                        TermField::Text => term.text = cell.trim().to_string(),
                        TermField::Pos => term.pos = optional(cell),
                        TermField::Note => term.note = optional(cell),
                        TermField::Status => match Status::parse(cell) {
                            Some(status) => term.status = status,
                            None => errors.push(RowError {
                                line,
                                message: format!(
                                    "status `{cell}`: use preferred, admitted or forbidden"
                                ),
                            }),
                        },
                        TermField::CaseSensitive => match flag(cell) {
                            Some(on) => term.case_sensitive = on,
                            None => errors.push(RowError {
                                line,
                                message: format!("case-sensitive `{cell}`: use yes or no"),
                            }),
                        },
                    }
                }
            }
        }
        let [italian, english] = terms;
        let existing = key.as_ref().and_then(|k| by_key.get(k)).copied();
        let target = match existing {
            Some(i) => &mut entries[i].1,
            None => {
                if let Some(k) = key {
                    by_key.insert(k, entries.len());
                }
                entries.push((line, entry));
                &mut entries.last_mut().expect("just pushed").1
            }
        };
        for (mut term, side) in [(italian, Lang::It), (english, Lang::En)] {
            if term.text.is_empty() {
                continue;
            }
            if term.pos.is_none() {
                term.pos.clone_from(&shared_pos);
            }
            match side {
                Lang::It => target.italian.push(term),
                Lang::En => target.english.push(term),
            }
        }
    }
    for (line, entry) in &entries {
        if entry.italian.is_empty() || entry.english.is_empty() {
            let missing = if entry.italian.is_empty() {
                "Italian"
            } else {
                "English"
            };
            errors.push(RowError {
                line: *line,
                message: format!("no {missing} term"),
            });
        }
    }
    if errors.is_empty() {
        Ok(entries.into_iter().map(|(_, e)| e).collect())
    } else {
        errors.sort_by_key(|e| e.line);
        Err(errors)
    }
}

fn csv_error(e: csv::Error) -> RowError {
    let line = e.position().map_or(0, |p| p.line());
    let message = match e.kind() {
        csv::ErrorKind::Utf8 { .. } => "not UTF-8 text: save the file as UTF-8".to_string(),
        _ => e.to_string(),
    };
    RowError { line, message }
}

/// Writes entries as a table with a header row; an entry with several
/// terms in a language takes several rows with the same `entry` number.
pub fn write(entries: &[Entry], delimiter: u8) -> String {
    let mut writer = csv::WriterBuilder::new()
        .delimiter(delimiter)
        .from_writer(Vec::new());
    // Writing to memory cannot fail.
    let _ = writer.write_record(COLUMNS);
    for (n, entry) in entries.iter().enumerate() {
        let rows = entry.italian.len().max(entry.english.len()).max(1);
        for r in 0..rows {
            let term_cells = |term: Option<&Term>| -> [String; 5] {
                match term {
                    Some(t) => [
                        t.text.clone(),
                        t.pos.clone().unwrap_or_default(),
                        t.status.as_str().to_string(),
                        if t.case_sensitive { "yes" } else { "no" }.to_string(),
                        t.note.clone().unwrap_or_default(),
                    ],
                    None => Default::default(),
                }
            };
            let mut record = vec![
                (n + 1).to_string(),
                entry.domain.clone().unwrap_or_default(),
                entry.note.clone().unwrap_or_default(),
            ];
            record.extend(term_cells(entry.italian.get(r)));
            record.extend(term_cells(entry.english.get(r)));
            let _ = writer.write_record(&record);
        }
    }
    let bytes = writer.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

/// Reads an OmegaT glossary: one entry per line (Italian, English, and an
/// optional comment as its note; further columns ignored, as OmegaT does).
/// All lines are checked before anything is returned.
pub fn read_omegat(bytes: &[u8]) -> Result<Vec<Entry>, Vec<RowError>> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut entries = Vec::new();
    let mut errors = Vec::new();
    for (n, line) in bytes.split(|&b| b == b'\n').enumerate() {
        let line_number = n as u64 + 1;
        let error = |message: &str| RowError {
            line: line_number,
            message: message.to_string(),
        };
        let Ok(line) = std::str::from_utf8(line) else {
            errors.push(error("not UTF-8 text: save the file as UTF-8"));
            continue;
        };
        let line = line.strip_suffix('\r').unwrap_or(line);
        // OmegaT tests for `#` before trimming, so " #MeToo" is a term.
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let cells: Vec<&str> = line.split('\t').map(str::trim).collect();
        let (italian, english) = (cells[0], cells.get(1).copied().unwrap_or_default());
        if italian.is_empty() || english.is_empty() {
            let missing = if italian.is_empty() {
                "Italian"
            } else {
                "English"
            };
            errors.push(error(&format!(
                "no {missing} term (term, tab, translation)"
            )));
            continue;
        }
        let mut entry = Entry::pair(italian, english);
        entry.note = cells.get(2).and_then(|c| optional(c));
        entries.push(entry);
    }
    if errors.is_empty() {
        Ok(entries)
    } else {
        Err(errors)
    }
}

/// Writes entries as an OmegaT glossary: a line for each Italian term and
/// each English term a translator may use (preferred first; forbidden ones
/// left out, since OmegaT has no status and would offer them), the entry's
/// note as the comment.
/// Domain, part of speech, status, case sensitivity and term notes have no
/// column, and synonyms come back as separate entries.
pub fn write_omegat(entries: &[Entry]) -> String {
    // A field must stay on its line and in its column.
    let field = |text: &str| text.replace(['\t', '\n', '\r'], " ").trim().to_string();
    let mut out = String::new();
    for entry in entries {
        let comment = entry.note.as_deref().map(field).unwrap_or_default();
        for italian in &entry.italian {
            let mut italian = field(&italian.text);
            if italian.starts_with('#') {
                // Else OmegaT reads the line as a comment; it trims the space.
                italian.insert(0, ' ');
            }
            for english in entry.targets() {
                out.push_str(&italian);
                out.push('\t');
                out.push_str(&field(&english.text));
                if !comment.is_empty() {
                    out.push('\t');
                    out.push_str(&comment);
                }
                out.push('\n');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests;
