//! The bilingual review document (DOCX) of a document: its translatable
//! segments as the rows [`crate::formats::docx`] writes, for a reviewer
//! who works in Word or LibreOffice. [`crate::review`] reads it back.

use std::io::{Seek, Write};

use super::ExportError;
use crate::formats::docx::{write, ReviewRow};
use crate::store::{SegmentRow, Workspace};

/// Writes the review document of `doc_id`; returns how many segments it
/// lists (the translatable ones).
pub fn review_docx<W: Write + Seek>(
    ws: &Workspace,
    doc_id: i64,
    out: W,
) -> Result<usize, ExportError> {
    let document = ws.document(doc_id)?;
    let rows: Vec<ReviewRow> = ws
        .segments(doc_id)?
        .into_iter()
        .filter(|s| s.translatable.is_translatable())
        .map(|s| ReviewRow {
            origin: origin(&s),
            id: s.id,
            source: s.source,
            target: s.target,
            status: s.status,
            note: s.note,
        })
        .collect();
    write(&document.name, &rows, out)?;
    Ok(rows.len())
}

/// What the segment's translation came from, as the reviewer should see it.
fn origin(segment: &SegmentRow) -> String {
    match segment.match_score {
        Some(101) => "TM 101% (context)".into(),
        Some(score) => format!("TM {score}%"),
        None => String::new(),
    }
}
