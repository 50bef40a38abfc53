//! XLIFF 1.2 and 2.0 export of a document: its blocks and segments as
//! [`crate::formats::xliff`] writes them, or, for a document made from
//! another tool's XLIFF, that same file with the English in.

use std::collections::HashMap;

use super::ExportError;
use crate::formats::xliff::{
    fill_targets, read, write_1_2, write_2_0, Fill, XliffBlock, XliffSegment,
};
use crate::store::{Status, Workspace};
use crate::text::codes;

/// The document's name and every block, furniture included: XLIFF carries
/// it marked `translate="no"`.
fn blocks(ws: &Workspace, doc_id: i64) -> Result<(String, Vec<XliffBlock>), ExportError> {
    let document = ws.document(doc_id)?;
    let blocks = ws
        .blocks(doc_id)?
        .into_iter()
        .map(|block| XliffBlock {
            position: block.position,
            kind: block.kind,
            translate: block.translatable.is_translatable(),
            segments: block
                .segments
                .into_iter()
                .map(|s| XliffSegment {
                    id: s.id,
                    source: s.source,
                    target: s.target,
                    status: s.status,
                    note: s.note,
                    codes: s.codes,
                })
                .collect(),
        })
        .collect();
    Ok((document.name, blocks))
}

/// The document as XLIFF 1.2 (valid against the strict core schema).
pub fn xliff_1_2(ws: &Workspace, doc_id: i64) -> Result<String, ExportError> {
    let (name, blocks) = blocks(ws, doc_id)?;
    Ok(write_1_2(&name, &blocks))
}

/// The document as XLIFF 2.0 (valid against the core schema).
pub fn xliff_2_0(ws: &Workspace, doc_id: i64) -> Result<String, ExportError> {
    let (name, blocks) = blocks(ws, doc_id)?;
    Ok(write_2_0(&name, &blocks))
}

/// The XLIFF file the document was made from with its English filled in,
/// when that file is XLIFF `major` (1 or 2); `None` for any other
/// document, which gets a file of its own. A segment split off after the
/// import has no unit: its English joins the unit before it. A unit is
/// filled only when all its segments have English, with the least
/// advanced of their statuses. The English's inline codes go back as the
/// unit's own: the code numbered n in the segments' Italian is the one
/// numbered n in the unit's source.
pub fn same_file(ws: &Workspace, doc_id: i64, major: u8) -> Result<Option<Vec<u8>>, ExportError> {
    let Some(file) = ws.source_file(doc_id)? else {
        return Ok(None);
    };
    if !file.format.starts_with(&format!("xliff-{major}")) {
        return Ok(None);
    }
    let units = ws.segment_units(doc_id)?;
    let read = read(&file.bytes).map_err(ExportError::Original)?;
    let unit_sources: HashMap<&str, &str> = read
        .units
        .iter()
        .map(|u| (u.id.as_str(), u.source.as_str()))
        .collect();
    let mut parts: Vec<(String, Vec<Part>)> = Vec::new();
    for block in ws.blocks(doc_id)? {
        for segment in block.segments {
            match units.get(&segment.id) {
                Some(unit) => parts.push((unit.clone(), Vec::new())),
                None if parts.is_empty() => continue,
                None => {}
            }
            if block.translatable.is_translatable() {
                let last = parts.last_mut().expect("pushed above");
                last.1
                    .push((segment.source, segment.target, segment.status));
            }
        }
    }
    let fills: HashMap<String, Fill> = parts
        .into_iter()
        .filter(|(_, segments)| {
            !segments.is_empty() && segments.iter().all(|(_, t, _)| !t.trim().is_empty())
        })
        .map(|(unit, segments)| {
            let status = segments
                .iter()
                .map(|(_, _, s)| *s)
                .min_by_key(|s| rank(*s))
                .expect("not empty");
            let (sources, texts): (Vec<String>, Vec<String>) =
                segments.into_iter().map(|(s, t, _)| (s, t)).unzip();
            let text = texts.join(" ");
            let text = match unit_sources.get(unit.as_str()) {
                Some(source) => codes::carry_over(&sources.join(" "), &text, source),
                None => codes::strip(&text),
            };
            (unit, Fill { text, status })
        })
        .collect();
    fill_targets(&file.bytes, &fills)
        .map(Some)
        .map_err(ExportError::Original)
}

/// A segment's Italian, English and status, as one part of a unit.
type Part = (String, String, Status);

/// How far along the workflow a status is.
fn rank(status: Status) -> u8 {
    match status {
        Status::New => 0,
        Status::Draft => 1,
        Status::Translated => 2,
        Status::Approved => 3,
    }
}
