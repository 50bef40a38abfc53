//! Bringing a translation back into the workspace: a reviewed DOCX (the
//! table [`crate::export::docx`] writes) or an XLIFF 1.2 / 2.0 file from
//! Interlinea or another CAT tool, both read by [`crate::formats`]. A
//! review updates only what changed, all or nothing, and says what it
//! changed; an XLIFF can also become a new document.

use std::collections::HashMap;
use std::path::Path;

use crate::document::{InlineCode, Translatable};
use crate::formats::{docx, xliff};
use crate::store::{
    NewSegment, SegmentRow, SegmentUpdate, SegmentedBlock, SourceFile, Status, StoreError,
    Workspace,
};
use crate::text::{codes, count};
use crate::tm::{Matcher, TmError};

/// Largest review file accepted; a review of a long article is a few
/// megabytes.
pub const MAX_REVIEW_BYTES: u64 = 200 << 20;

/// Why a review could not be imported. Nothing is changed when this happens.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReviewError {
    /// The workspace could not be read or written.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The translation memory could not be updated.
    #[error(transparent)]
    Tm(#[from] TmError),
    /// The file could not be read.
    #[error("{file}: cannot read: {source}")]
    Io {
        /// The file as named by the user.
        file: String,
        /// The OS error.
        source: std::io::Error,
    },
    /// The file is not a review this version can read.
    #[error("{file}: {reason}")]
    Malformed {
        /// The file as named by the user.
        file: String,
        /// What is wrong, in the user's words.
        reason: String,
    },
    /// Segments of the file are not segments of the document.
    #[error("{file}: not a review of document {document}: {} not in it ({}){hint}", count(.ids.len(), "segment of the file is", "segments of the file are"), shown(.ids))]
    Foreign {
        /// The file as named by the user.
        file: String,
        /// The document.
        document: i64,
        /// The ids as the file gives them.
        ids: Vec<String>,
        /// What to do about it.
        hint: &'static str,
    },
    /// The reviewer broke or deleted markers of inline codes in some rows.
    #[error("{file}: nothing was imported, because the markers of links and formatting were changed in {}: {}", count(.rows.len(), "row", "rows"), .rows.join("; "))]
    Markers {
        /// The file as named by the user.
        file: String,
        /// For each row, its segment id and what is wrong.
        rows: Vec<String>,
    },
    /// The Italian of some segments differs from the document's.
    #[error("{file}: the Italian of {} {} differs from the document's; it was split, merged or edited since the export — export the review again", if .ids.len() == 1 { "segment" } else { "segments" }, shown(.ids))]
    SourceChanged {
        /// The file as named by the user.
        file: String,
        /// The segments.
        ids: Vec<String>,
    },
}

fn shown(ids: &[String]) -> String {
    let mut out: Vec<&str> = ids.iter().take(10).map(String::as_str).collect();
    if ids.len() > 10 {
        out.push("…");
    }
    out.join(", ")
}

/// A segment as a review file gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reviewed {
    /// Its id as written in the file.
    pub key: String,
    /// The Italian, when the file carries it.
    pub source: Option<String>,
    /// The English; `None` when the file has no target for it.
    pub target: Option<String>,
    /// The status the file gives, if it gives a known one.
    pub status: Option<Status>,
    /// The note or comment; `None` when the file says nothing of notes.
    pub note: Option<String>,
}

/// What a review changed in one segment's English.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetChange {
    /// The segment.
    pub id: i64,
    /// The English before.
    pub before: String,
    /// The English now.
    pub after: String,
}

/// What a review changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReviewReport {
    /// Segments whose English changed.
    pub changed: Vec<TargetChange>,
    /// Segments whose status changed (with or without their English).
    pub statuses: Vec<i64>,
    /// Segments whose note was added, changed or removed.
    pub notes: Vec<i64>,
    /// Segments of the file left as they were.
    pub unchanged: usize,
    /// XLIFF units left out because their source is empty (a PO file's
    /// header, as translate-toolkit's po2xliff writes it).
    pub empty_sources: usize,
    /// Inline codes of the file's targets that the segment's Italian does
    /// not have, left out.
    pub dropped_codes: usize,
}

/// A document made from an XLIFF file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct XliffImport {
    /// The new document.
    pub document: i64,
    /// Units left out because their source is empty.
    pub empty_sources: usize,
    /// Inline codes of targets that their source does not have, left out.
    pub dropped_codes: usize,
}

/// Which kind of file a review is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewFormat {
    /// A bilingual review DOCX.
    Docx,
    /// XLIFF 1.2 or 2.0.
    Xliff,
}

/// The rows of a review DOCX, as read from its bytes (`file` names it in
/// errors).
pub fn read_docx(file: &str, bytes: &[u8]) -> Result<Vec<Reviewed>, ReviewError> {
    let rows = docx::read(bytes).map_err(|reason| ReviewError::Malformed {
        file: file.to_string(),
        reason,
    })?;
    Ok(rows
        .into_iter()
        .map(|row| Reviewed {
            key: row.id.to_string(),
            source: row.source,
            target: Some(row.target),
            status: row.status,
            note: row.note,
        })
        .collect())
}

/// Whether a file to import is XLIFF (from any CAT tool), by its extension.
pub fn is_xliff_path(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        ["xlf", "xliff", "sdlxliff", "mqxliff"]
            .iter()
            .any(|x| e.eq_ignore_ascii_case(x))
    })
}

fn read_file(path: &Path) -> Result<(String, Vec<u8>), ReviewError> {
    let file = path.display().to_string();
    let io = |source| ReviewError::Io {
        file: file.clone(),
        source,
    };
    let size = std::fs::metadata(path).map_err(io)?.len();
    if size > MAX_REVIEW_BYTES {
        return Err(ReviewError::Malformed {
            file,
            reason: format!(
                "the file is too large ({size} bytes; the limit is {MAX_REVIEW_BYTES})"
            ),
        });
    }
    let bytes = std::fs::read(path).map_err(io)?;
    Ok((file, bytes))
}

/// Tells a DOCX (a ZIP package) from XLIFF (XML) by content.
fn format_of(file: &str, bytes: &[u8]) -> Result<ReviewFormat, ReviewError> {
    if bytes.starts_with(b"PK\x03\x04") {
        return Ok(ReviewFormat::Docx);
    }
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let start = text.iter().position(|b| !b.is_ascii_whitespace());
    if start.is_some_and(|i| text[i] == b'<')
        || bytes.starts_with(b"\xFF\xFE")
        || bytes.starts_with(b"\xFE\xFF")
    {
        return Ok(ReviewFormat::Xliff);
    }
    Err(ReviewError::Malformed {
        file: file.to_string(),
        reason: "neither a review DOCX nor an XLIFF file".into(),
    })
}

fn read_xliff(file: &str, bytes: &[u8]) -> Result<xliff::XliffFile, ReviewError> {
    xliff::read(bytes).map_err(|reason| ReviewError::Malformed {
        file: file.to_string(),
        reason,
    })
}

/// Imports a reviewed DOCX or an XLIFF into document `doc_id`: targets that
/// changed are written (confirmed ones also into the workspace TM and
/// `matcher`), with statuses and notes; all or nothing.
pub fn import_review(
    ws: &mut Workspace,
    matcher: Option<&mut Matcher>,
    doc_id: i64,
    path: &Path,
) -> Result<ReviewReport, ReviewError> {
    let (file, bytes) = read_file(path)?;
    let segments = ws.segments(doc_id)?;
    let mut empty_sources = 0;
    let mut dropped_codes = 0;
    let pairs = match format_of(&file, &bytes)? {
        ReviewFormat::Docx => {
            let reviewed = read_docx(&file, &bytes)?;
            let pairs = match_by_id(&file, doc_id, &segments, reviewed)?;
            with_codes_from_markers(&file, pairs)?
        }
        ReviewFormat::Xliff => {
            let xliff = read_xliff(&file, &bytes)?;
            empty_sources = xliff.empty_sources;
            dropped_codes = xliff.dropped_codes;
            let reviewed = xliff
                .units
                .into_iter()
                .filter(|u| u.translate)
                .map(|u| Reviewed {
                    key: u.id,
                    source: Some(u.source),
                    target: u.target,
                    status: u.status,
                    note: (!u.notes.is_empty()).then(|| u.notes.join("\n")),
                })
                .collect();
            let pairs = match_by_id_or_source(&file, doc_id, &segments, reviewed)?;
            pairs
                .into_iter()
                .map(|(segment, mut r)| {
                    // The unit's codes become the segment's: the code
                    // numbered n in the unit's source is the segment's n.
                    let source = r.source.take().unwrap_or_default();
                    r.target = r.target.map(|target| {
                        let carried = codes::carry_over(&source, &target, &segment.source);
                        dropped_codes +=
                            codes::marks(&target).count() - codes::marks(&carried).count();
                        carried
                    });
                    r.source = Some(segment.source.clone());
                    (segment, r)
                })
                .collect()
        }
    };
    let report = apply(ws, matcher, doc_id, pairs)?;
    Ok(ReviewReport {
        empty_sources,
        dropped_codes,
        ..report
    })
}

/// The reviewed English of each row of a review DOCX with its markers
/// read back as the segment's inline codes; every row whose markers were
/// broken or deleted is reported, and then nothing is imported.
fn with_codes_from_markers(
    file: &str,
    pairs: Vec<(SegmentRow, Reviewed)>,
) -> Result<Vec<(SegmentRow, Reviewed)>, ReviewError> {
    let mut problems = Vec::new();
    let mut out = Vec::with_capacity(pairs.len());
    for (segment, mut r) in pairs {
        if let Some(target) = r.target.take() {
            match docx::from_markers(&segment.source, &segment.target, &target) {
                Ok(text) => r.target = Some(text),
                Err(why) => problems.push(format!("segment {}: {why}", segment.id)),
            }
        }
        r.source = Some(segment.source.clone());
        out.push((segment, r));
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(ReviewError::Markers {
            file: file.to_string(),
            rows: problems,
        })
    }
}

/// Whether two texts are the same but for spaces and inline codes.
fn same_text(a: &str, b: &str) -> bool {
    codes::strip(a)
        .split_whitespace()
        .eq(codes::strip(b).split_whitespace())
}

/// The segment id a file's key names: `12`, or XLIFF 2.0's `u12` / `s12`.
fn id_of(key: &str) -> Option<i64> {
    key.strip_prefix(['u', 's']).unwrap_or(key).parse().ok()
}

/// Pairs each reviewed row with its segment by id, as a DOCX review must.
fn match_by_id(
    file: &str,
    doc_id: i64,
    segments: &[SegmentRow],
    reviewed: Vec<Reviewed>,
) -> Result<Vec<(SegmentRow, Reviewed)>, ReviewError> {
    let by_id: HashMap<i64, &SegmentRow> = segments.iter().map(|s| (s.id, s)).collect();
    let mut foreign = Vec::new();
    let mut changed = Vec::new();
    let mut pairs = Vec::new();
    for r in reviewed {
        match id_of(&r.key).and_then(|id| by_id.get(&id)) {
            None => foreign.push(r.key),
            Some(s)
                if r.source.as_deref().is_some_and(|src| {
                    !same_text(src, &docx::with_markers(&s.source, &s.source))
                }) =>
            {
                changed.push(r.key)
            }
            Some(s) => pairs.push(((*s).clone(), r)),
        }
    }
    if !foreign.is_empty() {
        return Err(ReviewError::Foreign {
            file: file.to_string(),
            document: doc_id,
            ids: foreign,
            hint: "; was it exported from another document?",
        });
    }
    if !changed.is_empty() {
        return Err(ReviewError::SourceChanged {
            file: file.to_string(),
            ids: changed,
        });
    }
    Ok(pairs)
}

/// Pairs XLIFF units with segments by id when the id names a segment with
/// the same Italian (Interlinea's own files), else by the Italian itself
/// (files segmented or numbered by another tool), in order.
fn match_by_id_or_source(
    file: &str,
    doc_id: i64,
    segments: &[SegmentRow],
    reviewed: Vec<Reviewed>,
) -> Result<Vec<(SegmentRow, Reviewed)>, ReviewError> {
    let mut used = vec![false; segments.len()];
    let position: HashMap<i64, usize> = segments
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id, i))
        .collect();
    let mut unmatched = Vec::new();
    let mut pairs = Vec::new();
    for r in reviewed {
        let source = r.source.as_deref().unwrap_or("");
        let by_id = id_of(&r.key)
            .and_then(|id| position.get(&id).copied())
            .filter(|&i| !used[i] && same_text(&segments[i].source, source));
        let found = by_id.or_else(|| {
            (0..segments.len()).find(|&i| !used[i] && same_text(&segments[i].source, source))
        });
        match found {
            Some(i) => {
                used[i] = true;
                pairs.push((segments[i].clone(), r));
            }
            None => unmatched.push(r.key),
        }
    }
    if !unmatched.is_empty() {
        return Err(ReviewError::Foreign {
            file: file.to_string(),
            document: doc_id,
            ids: unmatched,
            hint: "; no segment of the document has their Italian",
        });
    }
    Ok(pairs)
}

/// Writes what changed, in one transaction, then remembers the confirmed
/// changes in the workspace TM.
fn apply(
    ws: &mut Workspace,
    mut matcher: Option<&mut Matcher>,
    doc_id: i64,
    pairs: Vec<(SegmentRow, Reviewed)>,
) -> Result<ReviewReport, ReviewError> {
    let mut report = ReviewReport::default();
    let mut updates = Vec::new();
    for (segment, reviewed) in pairs {
        let target = reviewed
            .target
            .as_deref()
            .map(str::trim)
            .unwrap_or(segment.target.trim());
        let target_changed = target != segment.target.trim();
        let mut status = reviewed.status.unwrap_or(segment.status);
        if target.is_empty() {
            status = Status::New;
        } else if target_changed && status == Status::New {
            // A reviewer's English waits for the translator's confirmation.
            status = Status::Draft;
        }
        let note = match reviewed.note {
            Some(note) => Some(note.trim().to_string()).filter(|n| !n.is_empty()),
            None => segment.note.clone(),
        };
        let status_changed = status != segment.status;
        let note_changed = note != segment.note;
        if !target_changed && !status_changed && !note_changed {
            report.unchanged += 1;
            continue;
        }
        if target_changed {
            report.changed.push(TargetChange {
                id: segment.id,
                before: segment.target.clone(),
                after: target.to_string(),
            });
        }
        if status_changed {
            report.statuses.push(segment.id);
        }
        if note_changed {
            report.notes.push(segment.id);
        }
        updates.push(SegmentUpdate {
            id: segment.id,
            target: if target_changed {
                target.to_string()
            } else {
                segment.target.clone()
            },
            status,
            note,
        });
    }
    ws.apply_review(doc_id, &updates)?;
    for update in &updates {
        if update.status.is_confirmed() && !update.target.trim().is_empty() {
            let unit = ws.remember(doc_id, update.id)?;
            if let Some(matcher) = matcher.as_deref_mut() {
                let source = ws.segment(doc_id, update.id)?.source;
                matcher.insert(unit, &source).map_err(TmError::from)?;
            }
        }
    }
    Ok(report)
}

/// Creates a document from an XLIFF file written by any tool, with its
/// segmentation, targets, states and notes; units with an empty source
/// are left out and counted.
pub fn import_xliff_document(
    ws: &mut Workspace,
    path: &Path,
    name: Option<&str>,
) -> Result<XliffImport, ReviewError> {
    let (file, bytes) = read_file(path)?;
    let xliff = read_xliff(&file, &bytes)?;
    if xliff.units.is_empty() {
        return Err(ReviewError::Malformed {
            file,
            reason: "the XLIFF has no units".into(),
        });
    }
    let empty_sources = xliff.empty_sources;
    let dropped_codes = xliff.dropped_codes;
    let units: Vec<String> = xliff.units.iter().map(|u| u.id.clone()).collect();
    let mut blocks: Vec<SegmentedBlock> = Vec::new();
    let mut last_block: Option<String> = None;
    // The block id each (XLIFF unit, code) has in the current block.
    let mut block_ids: HashMap<(usize, u16), u16> = HashMap::new();
    for unit in xliff.units {
        if last_block.as_deref() != Some(unit.block.as_str()) {
            block_ids.clear();
            blocks.push(SegmentedBlock {
                kind: unit.kind,
                translatable: if unit.translate {
                    Translatable::Yes
                } else {
                    Translatable::Never
                },
                text: String::new(),
                codes: Vec::new(),
                segments: Vec::new(),
            });
            last_block = Some(unit.block.clone());
        }
        let block = blocks.last_mut().expect("pushed above");
        let source = renumber(&unit.source, unit.unit, &unit.codes, block, &mut block_ids);
        let target = renumber(
            &unit.target.unwrap_or_default(),
            unit.unit,
            &unit.codes,
            block,
            &mut block_ids,
        );
        let status = match unit.status {
            _ if target.trim().is_empty() => Status::New,
            Some(Status::New) | None => Status::Draft,
            Some(status) => status,
        };
        block.segments.push(NewSegment {
            source,
            target,
            status,
            note: (!unit.notes.is_empty()).then(|| unit.notes.join("\n")),
        });
    }
    for block in &mut blocks {
        let sources: Vec<&str> = block.segments.iter().map(|s| s.source.as_str()).collect();
        block.text = sources.join(" ");
    }
    let fallback = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| file.clone());
    let name = name
        .map(str::to_string)
        .or(xliff.original)
        .unwrap_or(fallback);
    // The file is kept so that export gives it back with the English in.
    let source = SourceFile {
        format: format!("xliff-{}", xliff.version),
        bytes,
    };
    let document = ws.add_document_from_file(&name, Some(&file), &blocks, &source, &units)?;
    Ok(XliffImport {
        document,
        empty_sources,
        dropped_codes,
    })
}

/// A unit's text with its codes (ids in the unit's `codes`) as codes of
/// `block`, which takes each the first time one of its ends is met; ends
/// beyond what a block can hold are left out.
fn renumber(
    text: &str,
    unit: usize,
    unit_codes: &[InlineCode],
    block: &mut SegmentedBlock,
    block_ids: &mut HashMap<(usize, u16), u16>,
) -> String {
    codes::renumber(text, |mark| {
        if let Some(&id) = block_ids.get(&(unit, mark.id())) {
            return Some(id);
        }
        let code = unit_codes.get(usize::from(mark.id()))?;
        if block.codes.len() >= codes::MAX_CODES {
            return None;
        }
        let id = block.codes.len() as u16;
        block.codes.push(code.clone());
        block_ids.insert((unit, mark.id()), id);
        Some(id)
    })
}

#[cfg(test)]
mod tests;
