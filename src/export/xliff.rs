//! XLIFF 1.2 and 2.0 export of a document: its blocks and segments as
//! [`crate::formats::xliff`] writes them.

use super::ExportError;
use crate::formats::xliff::{write_1_2, write_2_0, XliffBlock, XliffSegment};
use crate::store::Workspace;

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
