//! A segment's history and the TM upkeep done from the editor: listing and
//! restoring versions, changing or deleting a TM unit.

use interlinea::store::Version;
use serde::Serialize;
use specta::Type;
use tauri::State;

use crate::commands::{lock, AppState, Result};
use crate::dto::{SaveResult, StatusDto};

/// One saved version of a segment.
#[derive(Serialize, Type)]
pub struct VersionDto {
    pub id: i64,
    pub target: String,
    pub status: StatusDto,
    /// typed, tm, mt, review, import, split, merge or restore.
    pub origin: String,
    /// Empty when unknown (saved before versions were kept).
    pub author: String,
    /// Milliseconds since the Unix epoch.
    pub saved_at: i64,
}

impl From<Version> for VersionDto {
    fn from(v: Version) -> Self {
        VersionDto {
            id: v.id,
            target: v.target,
            status: v.status.into(),
            origin: v.origin.as_str().to_string(),
            author: v.author,
            saved_at: v.saved_at,
        }
    }
}

/// A segment's saved versions, newest first.
#[tauri::command]
#[specta::specta]
pub fn segment_history(
    state: State<'_, AppState>,
    doc_id: i64,
    segment_id: i64,
) -> Result<Vec<VersionDto>> {
    let versions = lock(&state).segment_history(doc_id, segment_id)?;
    Ok(versions.into_iter().map(VersionDto::from).collect())
}

/// Puts a saved version back into its segment, as a new version.
#[tauri::command]
#[specta::specta]
pub fn restore_version(
    state: State<'_, AppState>,
    doc_id: i64,
    segment_id: i64,
    version_id: i64,
) -> Result<SaveResult> {
    let saved = lock(&state).restore_version(doc_id, segment_id, version_id)?;
    Ok(SaveResult::from(saved))
}

/// Gives a TM unit a new English (refused in a read-only TM).
#[tauri::command]
#[specta::specta]
pub fn edit_tm_unit(state: State<'_, AppState>, unit_id: i64, target: String) -> Result<()> {
    lock(&state).edit_tm_unit(unit_id, &target)?;
    Ok(())
}

/// Deletes a TM unit (refused in a read-only TM).
#[tauri::command]
#[specta::specta]
pub fn delete_tm_unit(state: State<'_, AppState>, unit_id: i64) -> Result<()> {
    Ok(lock(&state).delete_tm_unit(unit_id)?)
}
