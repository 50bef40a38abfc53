//! The team desk in the app: joining and leaving a team, its status, and
//! the engine's background sync on a thread of its own, which tells the
//! window what each round did ([`TeamSynced`]).

use std::sync::Arc;

use interlinea::session::{SyncControl, SyncEvent, TeamConflictView};
use interlinea::store::team::{Membership, RejectedOp};
use interlinea::termbase::Entry;
use serde::Serialize;
use specta::Type;
use tauri::{AppHandle, Manager, State};
use tauri_specta::Event;

use crate::commands::{AppState, Result};
use crate::dto::{ErrorCode, IpcError};

/// The team a workspace joined and where its sync stands.
#[derive(Clone, Serialize, Type)]
pub struct TeamStatusDto {
    pub url: String,
    pub user: String,
    pub team: String,
    /// The TM and the glossary that hold the team's units and entries.
    pub tm: String,
    pub glossary: String,
    /// When the last sync ended well, ms since 1970.
    pub synced_at: Option<i64>,
    pub last_error: Option<String>,
    /// Whether the last sync found the server out of reach.
    pub offline: bool,
    /// Changes made here that the server has not acknowledged yet.
    pub outbox: usize,
    pub units: usize,
    /// Glossary conflicts received.
    pub conflicts: usize,
    /// Changes the server refused for good, set aside, oldest first.
    pub rejected: Vec<RejectedOpDto>,
}

/// A change the server refused for good, kept until the translator drops it.
#[derive(Clone, Serialize, Type)]
pub struct RejectedOpDto {
    /// The operation's id, to drop it.
    pub op: String,
    /// What it changes, in a few words.
    pub what: String,
    /// Why it was refused.
    pub reason: String,
}

impl From<RejectedOp> for RejectedOpDto {
    fn from(op: RejectedOp) -> Self {
        RejectedOpDto {
            op: op.op_id.to_string(),
            what: op.what,
            reason: op.reason,
        }
    }
}

impl From<Membership> for TeamStatusDto {
    fn from(team: Membership) -> Self {
        TeamStatusDto {
            url: team.url,
            user: team.user,
            team: team.team,
            tm: team.tm,
            glossary: team.glossary,
            synced_at: team.synced_at,
            last_error: team.last_error,
            offline: team.offline,
            outbox: team.outbox,
            units: team.units,
            conflicts: team.conflicts,
            rejected: team.rejected.into_iter().map(RejectedOpDto::from).collect(),
        }
    }
}

/// What a round of the background sync did.
#[derive(Clone, Serialize, Type, tauri_specta::Event)]
#[tauri_specta(event_name = "team-synced")]
pub struct TeamSynced {
    /// Where the sync stands after the round; none when no team is joined.
    pub status: Option<TeamStatusDto>,
    pub pushed: usize,
    /// Changes of teammates applied here: the matches may have changed.
    pub pulled: usize,
    /// Of those, changes to shared documents: an open one is read again.
    pub documents: usize,
    pub conflicts: usize,
    /// Why the round failed, if it did.
    pub error: Option<String>,
    /// Seconds until the next round after a failure.
    pub retry_seconds: Option<u64>,
}

impl From<SyncEvent> for TeamSynced {
    fn from(event: SyncEvent) -> Self {
        match event {
            SyncEvent::Synced { report, status } => TeamSynced {
                status: Some(status.into()),
                pushed: report.pushed,
                pulled: report.pulled,
                documents: report.documents,
                conflicts: report.conflicts,
                error: None,
                retry_seconds: None,
            },
            SyncEvent::Failed {
                message,
                status,
                retry,
            } => TeamSynced {
                status: status.map(TeamStatusDto::from),
                pushed: 0,
                pulled: 0,
                documents: 0,
                conflicts: 0,
                error: Some(message),
                retry_seconds: Some(retry.as_secs()),
            },
        }
    }
}

/// The background sync's flags, for the commands that nudge it.
pub struct TeamSyncState(pub Arc<SyncControl>);

/// Starts the background sync for the app's life.
pub fn start_background_sync(app: &AppHandle) {
    let control = Arc::new(SyncControl::default());
    app.manage(TeamSyncState(control.clone()));
    let app = app.clone();
    std::thread::Builder::new()
        .name("team-sync".into())
        .spawn(move || {
            let state = app.state::<AppState>();
            state.session.keep_team_synced(&control, |event| {
                if let SyncEvent::Failed { message, .. } = &event {
                    tracing::info!("team sync: {message}");
                }
                let _ = TeamSynced::from(event).emit(&app);
            });
        })
        .expect("a thread for the team's sync");
}

/// Runs a use case that waits on the network off the main thread and out
/// of the async runtime (it drives a runtime of its own).
pub(crate) async fn off_the_main_thread<T: Send + 'static>(
    app: AppHandle,
    work: impl FnOnce(&AppState) -> Result<T> + Send + 'static,
) -> Result<T> {
    tauri::async_runtime::spawn_blocking(move || work(&app.state::<AppState>()))
        .await
        .map_err(|e| IpcError {
            code: ErrorCode::Invalid,
            message: format!("the team command stopped: {e}"),
        })?
}

/// The team the workspace joined, if any.
#[tauri::command]
#[specta::specta]
pub fn team_status(state: State<'_, AppState>) -> Result<Option<TeamStatusDto>> {
    Ok(state.session.team_status()?.map(TeamStatusDto::from))
}

/// Joins the team of `user` on the server at `url` with `token` (checked
/// with the server first, then kept with the MT keys), and syncs at once.
#[tauri::command]
#[specta::specta]
pub async fn team_join(
    app: AppHandle,
    sync: State<'_, TeamSyncState>,
    url: String,
    user: String,
    token: String,
) -> Result<TeamStatusDto> {
    let joined = off_the_main_thread(app, move |state| {
        Ok(state.session.team_join_blocking(&url, &user, &token)?)
    })
    .await?;
    sync.0.nudge();
    Ok(joined.into())
}

/// Leaves the team; refused while changes wait to be sent, changes the
/// server refused are listed or saves are kept aside, unless
/// `discard_unsent`. Returns how many of those were discarded.
#[tauri::command]
#[specta::specta]
pub fn team_leave(
    state: State<'_, AppState>,
    sync: State<'_, TeamSyncState>,
    discard_unsent: bool,
) -> Result<usize> {
    let discarded = state.session.team_leave(discard_unsent)?;
    // The background sync ends its long poll and finds no team.
    sync.0.nudge();
    Ok(discarded)
}

/// Replaces the token of the membership with a new one of the same user
/// (checked with the server first), and syncs at once.
#[tauri::command]
#[specta::specta]
pub async fn team_replace_token(
    app: AppHandle,
    sync: State<'_, TeamSyncState>,
    token: String,
) -> Result<TeamStatusDto> {
    let status = off_the_main_thread(app, move |state| {
        Ok(state.session.team_replace_token_blocking(&token)?)
    })
    .await?;
    sync.0.nudge();
    Ok(status.into())
}

/// Drops the changes the server refused for good: the one named, or all.
/// Returns the team's status after.
#[tauri::command]
#[specta::specta]
pub fn team_drop_rejected(
    state: State<'_, AppState>,
    op: Option<String>,
) -> Result<Option<TeamStatusDto>> {
    let op = op
        .map(|op| uuid::Uuid::parse_str(&op))
        .transpose()
        .map_err(|e| IpcError {
            code: ErrorCode::Invalid,
            message: format!("not an operation id: {e}"),
        })?;
    state.session.team_drop_rejected(op)?;
    Ok(state.session.team_status()?.map(TeamStatusDto::from))
}

/// Sends again the changes the server refused: the one named, or all,
/// back into the outbox; the background sync is nudged to push them.
/// Returns the team's status after.
#[tauri::command]
#[specta::specta]
pub fn team_retry_rejected(
    state: State<'_, AppState>,
    sync: State<'_, TeamSyncState>,
    op: Option<String>,
) -> Result<Option<TeamStatusDto>> {
    let op = op
        .map(|op| uuid::Uuid::parse_str(&op))
        .transpose()
        .map_err(|e| IpcError {
            code: ErrorCode::Invalid,
            message: format!("not an operation id: {e}"),
        })?;
    state.session.team_retry_rejected(op)?;
    sync.0.nudge();
    Ok(state.session.team_status()?.map(TeamStatusDto::from))
}

/// Syncs now: the background sync starts a new round at once, and says
/// what it did in a [`TeamSynced`] event.
#[tauri::command]
#[specta::specta]
pub fn team_sync_now(sync: State<'_, TeamSyncState>) {
    sync.0.nudge();
}

/// One version of a team glossary entry, as a conflict shows it.
#[derive(Serialize, Type)]
pub struct ConflictEntryDto {
    pub italian: Vec<String>,
    pub english: Vec<String>,
    pub note: Option<String>,
}

impl From<Entry> for ConflictEntryDto {
    fn from(entry: Entry) -> Self {
        let texts =
            |terms: Vec<interlinea::termbase::Term>| terms.into_iter().map(|t| t.text).collect();
        ConflictEntryDto {
            italian: texts(entry.italian),
            english: texts(entry.english),
            note: entry.note,
        }
    }
}

/// A version of a team glossary entry that a teammate's later write
/// replaced unseen, beside the entry as it now is.
#[derive(Serialize, Type)]
pub struct TeamConflictDto {
    /// The entry's team id.
    pub entry: String,
    /// The number of the write that won.
    pub won_seq: i64,
    /// None when what lost was a deletion.
    pub lost: Option<ConflictEntryDto>,
    /// None when the winning write deleted the entry.
    pub current: Option<ConflictEntryDto>,
}

impl From<TeamConflictView> for TeamConflictDto {
    fn from(view: TeamConflictView) -> Self {
        TeamConflictDto {
            entry: view.entry.to_string(),
            won_seq: view.won_seq,
            lost: view.lost.map(ConflictEntryDto::from),
            current: view.current.map(ConflictEntryDto::from),
        }
    }
}

/// The team glossary's conflicts, newest first.
#[tauri::command]
#[specta::specta]
pub fn team_conflicts(state: State<'_, AppState>) -> Result<Vec<TeamConflictDto>> {
    let conflicts = state.session.team_conflicts()?;
    Ok(conflicts.into_iter().map(TeamConflictDto::from).collect())
}

/// Settles a conflict: the team's version stands, or (`restore_lost`) the
/// lost one is put back and sent to the team.
#[tauri::command]
#[specta::specta]
pub fn settle_team_conflict(
    state: State<'_, AppState>,
    entry: String,
    won_seq: i64,
    restore_lost: bool,
) -> Result<()> {
    let entry = uuid::Uuid::parse_str(&entry).map_err(|e| IpcError {
        code: ErrorCode::Invalid,
        message: format!("not an entry id: {e}"),
    })?;
    Ok(state
        .session
        .settle_team_conflict(entry, won_seq, restore_lost)?)
}
