//! The team's shared documents in the app: the list with who holds each,
//! sharing a local article, assigning and releasing (editors and admins),
//! opening one here, and the saves kept aside. Each command calls one use
//! case; those that wait on the server run off the main thread.

use interlinea::session::SharedDocumentView;
use interlinea::store::team_documents::SegmentConflict;
use interlinea::team::Step;
use serde::Serialize;
use specta::Type;
use tauri::{AppHandle, State};
use uuid::Uuid;

use crate::commands::{AppState, Result};
use crate::dto::{ErrorCode, IpcError};
use crate::team::{off_the_main_thread, TeamSyncState};

/// A shared document of the team, as the document list shows it.
#[derive(Clone, Serialize, Type)]
pub struct SharedDocumentDto {
    /// The team's id of it.
    pub id: String,
    pub name: String,
    pub segments: i64,
    /// False while this workspace's sharing waits to be sent.
    pub shared: bool,
    /// Who holds it; none when no one does.
    pub holder: Option<String>,
    /// `translate` or `review`.
    pub step: Option<String>,
    /// When the holder's lease runs out (RFC 3339, UTC).
    pub lease_until: Option<String>,
    /// Whether the lease has not run out.
    pub live: bool,
    /// Whether this user holds it.
    pub mine: bool,
    /// The document here linked to it, if it is here.
    pub document: Option<i64>,
}

impl From<SharedDocumentView> for SharedDocumentDto {
    fn from(view: SharedDocumentView) -> Self {
        let d = view.document;
        SharedDocumentDto {
            id: d.id.to_string(),
            name: d.name,
            segments: d.n_segments,
            shared: d.shared,
            holder: d.holder,
            step: d.step,
            lease_until: d.lease_until,
            live: d.live,
            mine: view.mine,
            document: d.local,
        }
    }
}

/// A save of a shared document kept aside: one of this workspace's that
/// the server refused, or a teammate's over English edited here.
#[derive(Clone, Serialize, Type)]
pub struct SegmentConflictDto {
    /// Its number, to dismiss it by.
    pub id: i64,
    /// `not_holder`, `lease_expired`, `stale`, `unknown_segment`, or
    /// `edited_here`.
    pub reason: String,
    pub author: String,
    /// The English kept aside.
    pub target: String,
    pub status: String,
    /// The document and segment here, when the segment is here.
    pub document: Option<i64>,
    pub segment: Option<i64>,
    /// The segment's place in the document here, counted from 1.
    pub place: Option<i64>,
}

impl From<SegmentConflict> for SegmentConflictDto {
    fn from(conflict: SegmentConflict) -> Self {
        SegmentConflictDto {
            id: conflict.id,
            reason: conflict.save.reason,
            author: conflict.save.author,
            target: conflict.save.target,
            status: conflict.save.status,
            document: conflict.local.map(|l| l.0),
            segment: conflict.local.map(|l| l.1),
            place: conflict.place,
        }
    }
}

fn shared_id(id: &str) -> Result<Uuid> {
    Uuid::parse_str(id).map_err(|e| IpcError {
        code: ErrorCode::Invalid,
        message: format!("not a shared document's id: {e}"),
    })
}

/// The team's shared documents as the last sync left them.
#[tauri::command]
#[specta::specta]
pub fn team_documents(state: State<'_, AppState>) -> Result<Vec<SharedDocumentDto>> {
    let listed = state.session.team_documents()?;
    Ok(listed.into_iter().map(SharedDocumentDto::from).collect())
}

/// The user's role in the team, as the server says.
#[tauri::command]
#[specta::specta]
pub async fn team_role(app: AppHandle) -> Result<String> {
    off_the_main_thread(app, |state| Ok(state.session.team_role_blocking()?)).await
}

/// Shares a local document with the team (editors and admins); the
/// background sync sends it at once. Returns its team id.
#[tauri::command]
#[specta::specta]
pub async fn share_document(
    app: AppHandle,
    sync: State<'_, TeamSyncState>,
    doc_id: i64,
) -> Result<String> {
    let id = off_the_main_thread(app, move |state| {
        Ok(state.session.share_document_blocking(doc_id)?)
    })
    .await?;
    sync.0.nudge();
    Ok(id.to_string())
}

/// Gives a shared document to `user` for `step` (`translate` or
/// `review`) for `minutes` (editors and admins).
#[tauri::command]
#[specta::specta]
pub async fn assign_document(
    app: AppHandle,
    id: String,
    user: String,
    step: String,
    minutes: i64,
) -> Result<()> {
    let id = shared_id(&id)?;
    let step = Step::parse(&step).ok_or_else(|| IpcError {
        code: ErrorCode::Invalid,
        message: format!("the step is translate or review, not {step:?}"),
    })?;
    off_the_main_thread(app, move |state| {
        state
            .session
            .assign_document_blocking(id, &user, step, minutes)?;
        Ok(())
    })
    .await
}

/// Takes a shared document from whoever holds it (editors and admins);
/// false when no one did.
#[tauri::command]
#[specta::specta]
pub async fn release_document(app: AppHandle, id: String) -> Result<bool> {
    let id = shared_id(&id)?;
    off_the_main_thread(app, move |state| {
        Ok(state.session.release_document_blocking(id)?.released)
    })
    .await
}

/// Fetches a shared document and makes a document here linked to it;
/// returns its number here.
#[tauri::command]
#[specta::specta]
pub async fn open_shared_document(app: AppHandle, id: String) -> Result<i64> {
    let id = shared_id(&id)?;
    off_the_main_thread(app, move |state| {
        Ok(state.session.open_shared_blocking(id)?)
    })
    .await
}

/// The saves of shared documents kept aside, newest first.
#[tauri::command]
#[specta::specta]
pub fn segment_conflicts(state: State<'_, AppState>) -> Result<Vec<SegmentConflictDto>> {
    let kept = state.session.segment_conflicts()?;
    Ok(kept.into_iter().map(SegmentConflictDto::from).collect())
}

/// Takes a teammate's save kept aside into the segment here; returns the
/// segment's number.
#[tauri::command]
#[specta::specta]
pub fn take_segment_conflict(state: State<'_, AppState>, id: i64) -> Result<i64> {
    Ok(state.session.take_segment_conflict(id)?.1)
}

/// Dismisses a save kept aside, once settled.
#[tauri::command]
#[specta::specta]
pub fn dismiss_segment_conflict(state: State<'_, AppState>, id: i64) -> Result<()> {
    Ok(state.session.dismiss_segment_conflict(id)?)
}
