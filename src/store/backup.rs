//! Backups of the workspace with SQLite's online backup API (consistent
//! while the workspace is in use): rolling copies in a `backups` folder
//! beside it — before a migration and whenever the newest is a day old —
//! and restoring one after checking it.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use super::{schema, StoreError, Workspace};

/// Rolling backups kept; older ones are deleted.
pub const KEEP: usize = 10;

/// How old the newest backup may get before another is made.
pub const EVERY: Duration = Duration::from_secs(24 * 3600);

/// The backups folder of the workspace at `path`.
pub fn folder(path: &Path) -> PathBuf {
    path.parent().unwrap_or(Path::new(".")).join("backups")
}

/// The rolling backups of the workspace at `path`, newest first.
pub fn list(path: &Path) -> Vec<PathBuf> {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut found: Vec<PathBuf> = std::fs::read_dir(folder(path))
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| {
                    p.file_name().map(|n| n.to_string_lossy()).is_some_and(|n| {
                        n.starts_with(&format!("{stem}-")) && n.ends_with(".sqlite")
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    // Names carry a sortable time stamp.
    found.sort();
    found.reverse();
    found
}

/// `20261129T204500123` for now (UTC, to the millisecond).
fn stamp() -> String {
    let now = crate::text::dates::Utc::now();
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}{:03}",
        now.year,
        now.month,
        now.day,
        now.hour,
        now.minute,
        now.second,
        now.micro / 1000
    )
}

/// Copies the database behind `conn` to `target`, consistently.
fn copy(conn: &Connection, target: &Path) -> Result<(), StoreError> {
    let partial = target.with_extension("sqlite.part");
    let _ = std::fs::remove_file(&partial);
    conn.backup(
        rusqlite::MAIN_DB,
        &partial,
        None::<fn(rusqlite::backup::Progress)>,
    )?;
    std::fs::rename(&partial, target).map_err(StoreError::Io)?;
    Ok(())
}

/// Makes a rolling backup of the database behind `conn` (the workspace at
/// `path`) and deletes the oldest beyond [`KEEP`]; returns its path.
pub(super) fn rolling(conn: &Connection, path: &Path) -> Result<PathBuf, StoreError> {
    let dir = folder(path);
    std::fs::create_dir_all(&dir).map_err(|source| StoreError::CreateDir {
        path: dir.clone(),
        source,
    })?;
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "workspace".into());
    let target = dir.join(format!("{stem}-{}.sqlite", stamp()));
    copy(conn, &target)?;
    for old in list(path).into_iter().skip(KEEP) {
        let _ = std::fs::remove_file(old);
    }
    Ok(target)
}

/// Whether `file` is a sound Interlinea workspace: SQLite's integrity
/// check passes and it carries the workspace's mark.
pub fn check(file: &Path) -> Result<(), String> {
    let conn = Connection::open_with_flags(file, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| format!("{}: {e}", file.display()))?;
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .map_err(|e| format!("{}: not a readable database ({e})", file.display()))?;
    if integrity != "ok" {
        return Err(format!("{}: damaged ({integrity})", file.display()));
    }
    let id: i64 = conn
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .map_err(|e| e.to_string())?;
    if id != schema::APPLICATION_ID {
        return Err(format!("{}: not an Interlinea workspace", file.display()));
    }
    Ok(())
}

/// The newest backup of the workspace at `path` that passes [`check`].
pub fn latest_good(path: &Path) -> Option<PathBuf> {
    list(path).into_iter().find(|b| check(b).is_ok())
}

impl Workspace {
    /// A rolling backup now; its path.
    pub fn backup(&self) -> Result<PathBuf, StoreError> {
        let path = self.path.as_ref().ok_or_else(|| {
            StoreError::InvalidEdit("a workspace in memory has no backups".into())
        })?;
        rolling(&self.conn, path)
    }

    /// A backup to `target` (not counted among the rolling ones).
    pub fn backup_to(&self, target: &Path) -> Result<(), StoreError> {
        copy(&self.conn, target)
    }

    /// A rolling backup if the newest is older than [`EVERY`]; its path.
    pub fn backup_if_due(&self) -> Result<Option<PathBuf>, StoreError> {
        let Some(path) = &self.path else {
            return Ok(None);
        };
        let newest = list(path)
            .into_iter()
            .next()
            .and_then(|b| std::fs::metadata(b).and_then(|m| m.modified()).ok());
        let due = newest.is_none_or(|t| t.elapsed().unwrap_or_default() >= EVERY);
        if due {
            return Ok(Some(self.backup()?));
        }
        Ok(None)
    }
}

/// Gives the workspace copy at `copy` a `uid` of its own, its log copied in
/// as it closes.
fn own_uid(copy: &Path) -> rusqlite::Result<()> {
    let conn = Connection::open(copy)?;
    let has_uid: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM pragma_table_info('tm_state') WHERE name = 'uid')",
        [],
        |r| r.get(0),
    )?;
    if has_uid {
        conn.execute("UPDATE tm_state SET uid = lower(hex(randomblob(16)))", [])?;
        // Into the file itself, which is moved without its log: a close
        // that cannot copy the log in says nothing.
        let blocked: i64 = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get(0))?;
        if blocked != 0 {
            return Err(rusqlite::Error::SqliteFailure(
                rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
                Some("the copy's log could not be copied into it".into()),
            ));
        }
    }
    conn.close().map_err(|(_, e)| e)
}

/// Replaces the workspace at `path` with the backup `from`, after checking
/// it; the workspace as it was is kept as a rolling backup first (when it
/// can be read). Nothing may have the workspace open meanwhile.
pub fn restore(path: &Path, from: &Path) -> Result<Option<PathBuf>, String> {
    check(from)?;
    // The workspace as it was is kept: as a backup when it reads, else
    // moved aside, damaged as it is, for whoever can still rescue it.
    let kept = if !path.exists() {
        None
    } else if check(path).is_ok() {
        let conn = Connection::open(path).map_err(|e| e.to_string())?;
        Some(rolling(&conn, path).map_err(|e| e.to_string())?)
    } else {
        let mut aside = path.as_os_str().to_os_string();
        aside.push(format!(".damaged-{}", stamp()));
        let aside = PathBuf::from(aside);
        std::fs::copy(path, &aside).map_err(|e| format!("{}: {e}", aside.display()))?;
        Some(aside)
    };
    let source = Connection::open_with_flags(from, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| e.to_string())?;
    // Written beside the workspace, then moved over it with its log gone, so
    // a failure half-way leaves the workspace as it was.
    let partial = path.with_extension("sqlite.restoring");
    let _ = std::fs::remove_file(&partial);
    source
        .backup(
            rusqlite::MAIN_DB,
            &partial,
            None::<fn(rusqlite::backup::Progress)>,
        )
        .map_err(|e| e.to_string())?;
    // The concordance index beside the workspace is of the one replaced:
    // the copy's own `uid` makes the next search empty it in place and fill
    // it from the units put back (deleting its files could take them from
    // a process that opened the copy once moved, which would go on with
    // files of its own). A backup made before `uid` gets one when opened.
    own_uid(&partial).map_err(|e| format!("{}: {e}", partial.display()))?;
    for suffix in ["-wal", "-shm"] {
        let mut log = path.as_os_str().to_os_string();
        log.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(log));
    }
    std::fs::rename(&partial, path).map_err(|e| e.to_string())?;
    Ok(kept)
}
