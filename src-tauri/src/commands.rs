//! Tauri commands: each takes the state, calls one engine function and
//! maps its result to the IPC shapes in [`crate::dto`].

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use interlinea::{Segmenter, Status, Workspace};
use tauri::State;

use crate::dto::{
    BlockDto, DocumentDto, DocumentView, IpcError, MergeDto, SegmentDto, WorkspaceInfo,
};

pub struct AppState {
    pub workspace: Mutex<Workspace>,
    pub path: PathBuf,
}

type Result<T> = std::result::Result<T, IpcError>;

fn lock(state: &AppState) -> MutexGuard<'_, Workspace> {
    // A panic in another command cannot leave the database half-written
    // (every write is a transaction), so a poisoned lock is safe to reuse.
    state
        .workspace
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn view(ws: &Workspace, doc_id: i64) -> Result<DocumentView> {
    let document = DocumentDto::from(&ws.document(doc_id)?);
    let blocks = ws.blocks(doc_id)?.iter().map(BlockDto::from).collect();
    Ok(DocumentView { document, blocks })
}

fn add(
    ws: &mut Workspace,
    name: &str,
    path: Option<&str>,
    doc: &interlinea::Document,
) -> Result<DocumentDto> {
    let segmenter = Segmenter::italian(&ws.exceptions()?);
    let id = ws.add_document(name, path, doc, &segmenter)?;
    Ok(DocumentDto::from(&ws.document(id)?))
}

#[tauri::command]
pub fn workspace_info(state: State<'_, AppState>) -> WorkspaceInfo {
    WorkspaceInfo {
        path: state.path.display().to_string(),
    }
}

#[tauri::command]
pub fn list_documents(state: State<'_, AppState>) -> Result<Vec<DocumentDto>> {
    Ok(lock(&state)
        .documents()?
        .iter()
        .map(DocumentDto::from)
        .collect())
}

#[tauri::command]
pub fn import_file(state: State<'_, AppState>, path: String) -> Result<DocumentDto> {
    let doc = interlinea::import_file(Path::new(&path))?;
    let name = Path::new(&path)
        .file_name()
        .map_or_else(|| path.clone(), |n| n.to_string_lossy().into_owned());
    add(&mut lock(&state), &name, Some(&path), &doc)
}

#[tauri::command]
pub fn import_sample(state: State<'_, AppState>) -> Result<DocumentDto> {
    let doc = interlinea::import_bytes(
        interlinea::SAMPLE_ARTICLE_NAME,
        Some("txt"),
        interlinea::SAMPLE_ARTICLE.as_bytes(),
    )?;
    add(
        &mut lock(&state),
        interlinea::SAMPLE_ARTICLE_NAME,
        None,
        &doc,
    )
}

#[tauri::command]
pub fn open_document(state: State<'_, AppState>, doc_id: i64) -> Result<DocumentView> {
    view(&lock(&state), doc_id)
}

#[tauri::command]
pub fn delete_document(state: State<'_, AppState>, doc_id: i64) -> Result<()> {
    Ok(lock(&state).delete_document(doc_id)?)
}

#[tauri::command]
pub fn save_target(
    state: State<'_, AppState>,
    doc_id: i64,
    segment_id: i64,
    target: String,
    status: String,
) -> Result<SegmentDto> {
    let status = Status::from_name(&status).ok_or_else(|| IpcError {
        code: "invalid_status",
        message: format!("unknown status `{status}`"),
    })?;
    let row = lock(&state).set_target(doc_id, segment_id, &target, status)?;
    Ok(SegmentDto::from(&row))
}

#[tauri::command]
pub fn set_block_translatable(
    state: State<'_, AppState>,
    doc_id: i64,
    block: i64,
    translatable: bool,
) -> Result<DocumentView> {
    let mut ws = lock(&state);
    ws.set_block_translatable(doc_id, block, translatable)?;
    view(&ws, doc_id)
}

#[tauri::command]
pub fn split_segment(
    state: State<'_, AppState>,
    doc_id: i64,
    segment_id: i64,
    position: usize,
) -> Result<DocumentView> {
    let mut ws = lock(&state);
    ws.split_segment(doc_id, segment_id, position)?;
    view(&ws, doc_id)
}

#[tauri::command]
pub fn merge_segment(state: State<'_, AppState>, doc_id: i64, segment_id: i64) -> Result<MergeDto> {
    let outcome = lock(&state).merge_with_next(doc_id, segment_id)?;
    Ok(MergeDto {
        segment: SegmentDto::from(&outcome.segment),
        suggested_exception: outcome.suggested_exception,
    })
}

#[tauri::command]
pub fn add_exception(state: State<'_, AppState>, abbreviation: String) -> Result<()> {
    Ok(lock(&state).add_exception(&abbreviation)?)
}
