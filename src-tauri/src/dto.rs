//! The shapes that cross the IPC boundary, mirrored by `ui/src/lib/types.ts`.
//! Engine types stay free of serialisation; they are converted here.

use interlinea::store::{BlockRow, DocumentSummary, SegmentRow};
use serde::Serialize;

/// One error shape for every command: the UI branches on `code`.
#[derive(Debug, Serialize)]
pub struct IpcError {
    pub code: &'static str,
    pub message: String,
}

impl From<interlinea::StoreError> for IpcError {
    fn from(e: interlinea::StoreError) -> Self {
        use interlinea::StoreError as E;
        let code = match &e {
            E::NoDocument(_) | E::NoSegment { .. } | E::NoBlock { .. } => "not_found",
            E::InvalidEdit(_) => "invalid_edit",
            _ => "store",
        };
        IpcError {
            code,
            message: e.to_string(),
        }
    }
}

impl From<interlinea::ImportError> for IpcError {
    fn from(e: interlinea::ImportError) -> Self {
        IpcError {
            code: "import",
            message: e.to_string(),
        }
    }
}

#[derive(Serialize)]
pub struct WorkspaceInfo {
    pub path: String,
}

#[derive(Serialize)]
pub struct DocumentDto {
    pub id: i64,
    pub name: String,
    pub format: &'static str,
    pub segments: usize,
    pub confirmed: usize,
    pub words: usize,
    pub progress: u32,
}

impl From<&DocumentSummary> for DocumentDto {
    fn from(d: &DocumentSummary) -> Self {
        DocumentDto {
            id: d.id,
            name: d.name.clone(),
            format: d.format.as_str(),
            segments: d.n_segments,
            confirmed: d.n_confirmed,
            words: d.n_words,
            progress: d.progress_percent(),
        }
    }
}

#[derive(Serialize)]
pub struct SegmentDto {
    pub id: i64,
    pub block: i64,
    pub index: i64,
    pub source: String,
    pub target: String,
    pub status: &'static str,
}

impl From<&SegmentRow> for SegmentDto {
    fn from(s: &SegmentRow) -> Self {
        SegmentDto {
            id: s.id,
            block: s.block,
            index: s.index,
            source: s.source.clone(),
            target: s.target.clone(),
            status: s.status.as_str(),
        }
    }
}

#[derive(Serialize)]
pub struct BlockDto {
    pub position: i64,
    pub kind: String,
    pub translatable: bool,
    /// Why it is not translatable: "boilerplate", "never" or "excluded".
    pub reason: &'static str,
    pub segments: Vec<SegmentDto>,
}

impl From<&BlockRow> for BlockDto {
    fn from(b: &BlockRow) -> Self {
        BlockDto {
            position: b.position,
            kind: b.kind.code(),
            translatable: b.translatable.is_translatable(),
            reason: b.translatable.as_str(),
            segments: b.segments.iter().map(SegmentDto::from).collect(),
        }
    }
}

#[derive(Serialize)]
pub struct DocumentView {
    pub document: DocumentDto,
    pub blocks: Vec<BlockDto>,
}

#[derive(Serialize)]
pub struct MergeDto {
    pub segment: SegmentDto,
    pub suggested_exception: Option<String>,
}
