//! After an export: the file opened in its application, or shown in its
//! folder by the file manager. Only files this run of the app exported can
//! be opened, so nothing else can be started from the UI.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::time::Duration;

use tauri::State;

use crate::commands::Result;
use crate::dto::{ErrorCode, IpcError};

/// The files exported since the app started.
#[derive(Default)]
pub struct ExportedFiles(Mutex<HashSet<PathBuf>>);

impl ExportedFiles {
    pub fn add(&self, path: &Path) {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(path.to_path_buf());
    }

    fn get(&self, path: &str) -> Result<PathBuf> {
        let path = PathBuf::from(path);
        if self
            .0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .contains(&path)
        {
            Ok(path)
        } else {
            Err(IpcError {
                code: ErrorCode::NotFound,
                message: format!("{}: not a file exported in this session", path.display()),
            })
        }
    }
}

/// Opens an exported file in the application the desktop gives its type.
#[tauri::command]
#[specta::specta]
pub fn open_exported(files: State<'_, ExportedFiles>, path: String) -> Result<()> {
    xdg_open(&files.get(&path)?)
}

/// Shows an exported file in its folder: selected by the file manager when
/// it offers that over D-Bus, else the folder opened.
#[tauri::command]
#[specta::specta]
pub fn show_exported(files: State<'_, ExportedFiles>, path: String) -> Result<()> {
    let path = files.get(&path)?;
    match show_items(&path) {
        Ok(()) => Ok(()),
        Err(e) => {
            tracing::debug!(error = %e, "no file manager over D-Bus; opening the folder");
            xdg_open(path.parent().unwrap_or(Path::new("/")))
        }
    }
}

/// `org.freedesktop.FileManager1.ShowItems`, which GNOME Files, Dolphin,
/// Nemo, Caja and Thunar answer.
fn show_items(path: &Path) -> std::result::Result<(), String> {
    let uri = tauri::Url::from_file_path(path)
        .map_err(|()| format!("{}: not an absolute path", path.display()))?;
    let connection = dbus::blocking::Connection::new_session().map_err(|e| e.to_string())?;
    let proxy = connection.with_proxy(
        "org.freedesktop.FileManager1",
        "/org/freedesktop/FileManager1",
        Duration::from_secs(5),
    );
    proxy
        .method_call::<(), _, _, _>(
            "org.freedesktop.FileManager1",
            "ShowItems",
            (vec![uri.to_string()], ""),
        )
        .map_err(|e| e.to_string())
}

/// `xdg-open`, waited for on a thread of its own (it may stay as long as
/// the application it starts).
fn xdg_open(path: &Path) -> Result<()> {
    let mut child = Command::new("xdg-open")
        .arg(path)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| IpcError {
            code: ErrorCode::Open,
            message: format!("xdg-open (the package xdg-utils) could not be started: {e}"),
        })?;
    std::thread::spawn(move || child.wait());
    Ok(())
}
