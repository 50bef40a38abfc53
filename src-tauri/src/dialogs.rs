//! The open and save file dialogs, each shown by a child process of this
//! program.
//!
//! A file chooser opens and closes the files of every folder it lists, and
//! closing any descriptor of a file drops all of the process's POSIX locks
//! on it, SQLite's included. Shown in the process that holds the workspace,
//! a dialog listing the workspace's folder would let another Interlinea
//! believe it is alone and delete the log this one writes to. The child
//! never opens the workspace, so it has no locks to lose.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde::{Deserialize, Serialize};
use specta::Type;

use tauri::State;

use crate::commands::{lock, AppState, Result};
use crate::dto::{ErrorCode, IpcError};

/// Set (to the request, as JSON) for the child that shows a dialog.
pub const FILE_DIALOG: &str = "INTERLINEA_FILE_DIALOG";

/// The child's exit code for a chosen path that is not UTF-8.
const NOT_UTF8: i32 = 3;

/// Files of one kind the dialog offers.
#[derive(Debug, Serialize, Deserialize, Type)]
pub struct FileFilter {
    pub name: String,
    pub extensions: Vec<String>,
}

/// What the UI asks of a dialog.
#[derive(Debug, Serialize, Deserialize, Type)]
pub struct FileRequest {
    pub title: String,
    // Optional for the UI, which sends only what it sets.
    #[serde(default)]
    #[specta(optional)]
    pub filters: Vec<FileFilter>,
    /// Open: whether several files may be chosen.
    #[serde(default)]
    #[specta(optional)]
    pub multiple: bool,
    /// Save: the name offered.
    #[serde(default)]
    #[specta(optional)]
    pub file_name: Option<String>,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
enum Purpose {
    Open,
    Save,
}

#[derive(Serialize, Deserialize)]
struct ChildRequest {
    purpose: Purpose,
    request: FileRequest,
}

/// The files the user chose to open; none when the dialog was cancelled.
#[tauri::command]
#[specta::specta]
pub async fn choose_files(state: State<'_, AppState>, request: FileRequest) -> Result<Vec<String>> {
    not_the_workspace(&state, ask_child(Purpose::Open, request).await?)
}

/// Where the user chose to save; `None` when the dialog was cancelled.
#[tauri::command]
#[specta::specta]
pub async fn choose_save_path(
    state: State<'_, AppState>,
    request: FileRequest,
) -> Result<Option<String>> {
    let chosen = ask_child(Purpose::Save, request).await?;
    Ok(not_the_workspace(&state, chosen)?.into_iter().next())
}

/// Refuses the workspace's own files: reading one would drop the locks
/// that keep it safe, and writing one would destroy it.
pub(crate) fn not_the_workspace(state: &AppState, paths: Vec<String>) -> Result<Vec<String>> {
    let open = lock(state);
    match paths
        .iter()
        .find(|p| open.workspace().is_own_file(Path::new(p)))
    {
        Some(own) => Err(IpcError {
            code: ErrorCode::OwnFile,
            message: format!(
                "{own} is Interlinea's workspace, where your work is kept; choose another file"
            ),
        }),
        None => Ok(paths),
    }
}

async fn ask_child(purpose: Purpose, request: FileRequest) -> Result<Vec<String>> {
    let failed = |detail: String| IpcError {
        code: ErrorCode::Dialog,
        message: format!("the file dialog could not be shown: {detail}"),
    };
    let json = serde_json::to_string(&ChildRequest { purpose, request })
        .map_err(|e| failed(e.to_string()))?;
    let program = std::env::current_exe().map_err(|e| failed(e.to_string()))?;
    // The window keeps answering while the child waits for the user.
    let output = tauri::async_runtime::spawn_blocking(move || {
        let show = || {
            Command::new(&program)
                .env(FILE_DIALOG, &json)
                .stdin(Stdio::null())
                .stderr(Stdio::inherit())
                .output()
        };
        // GTK's file chooser now and then crashes as it opens (seen under
        // Xvfb): a child killed by a signal before answering is shown again,
        // once.
        match show() {
            Ok(output) if output.status.code().is_none() && output.stdout.is_empty() => show(),
            answered => answered,
        }
    })
    .await
    .map_err(|e| failed(e.to_string()))?
    .map_err(|e| failed(e.to_string()))?;
    match output.status.code() {
        Some(0) => {}
        Some(NOT_UTF8) => {
            return Err(IpcError {
                code: ErrorCode::Dialog,
                message: "the chosen file's name is not valid UTF-8; rename it and choose it again"
                    .into(),
            })
        }
        _ => return Err(failed(format!("it ended with {}", output.status))),
    }
    serde_json::from_slice(&output.stdout).map_err(|e| failed(e.to_string()))
}

/// The child: shows the dialog the parent asked for, prints the chosen
/// paths as a JSON list (empty when cancelled) and exits.
pub fn run_child(json: &str) -> ! {
    let Ok(ChildRequest { purpose, request }) = serde_json::from_str::<ChildRequest>(json) else {
        std::process::exit(2);
    };
    let mut dialog = rfd::FileDialog::new().set_title(&request.title);
    for filter in &request.filters {
        dialog = dialog.add_filter(&filter.name, &filter.extensions);
    }
    if let Some(name) = &request.file_name {
        dialog = dialog.set_file_name(name);
    }
    let chosen: Vec<PathBuf> = match purpose {
        Purpose::Open if request.multiple => dialog.pick_files().unwrap_or_default(),
        Purpose::Open => dialog.pick_file().into_iter().collect(),
        Purpose::Save => dialog.save_file().into_iter().collect(),
    };
    // A path that is not UTF-8 cannot cross to the UI whole: it is refused
    // rather than passed on altered.
    let paths: Option<Vec<String>> = chosen
        .into_iter()
        .map(|p| p.into_os_string().into_string().ok())
        .collect();
    match paths.map(|p| serde_json::to_string(&p)) {
        Some(Ok(json)) => {
            println!("{json}");
            std::process::exit(0)
        }
        Some(Err(_)) => std::process::exit(1),
        None => std::process::exit(NOT_UTF8),
    }
}
