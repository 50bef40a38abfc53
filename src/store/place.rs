//! Notices when the workspace file or its write-ahead log is deleted or
//! replaced while a connection has it open, and then stops writing.
//!
//! SQLite learns who else has the file open from POSIX locks, and a process
//! loses all of its locks on a file as soon as any of its descriptors of that
//! file is closed (a file chooser listing the folder does so). Another
//! process then believes it is alone: on closing it copies the log into the
//! database and deletes it, and whatever this connection commits afterwards
//! goes into a deleted file. A `restore` or a copy over the file replaces
//! the database itself the same way. So every commit is checked twice:
//! before it (a commit hook: refused, nothing written) and after it (the
//! log hook: reported as an error, since it went to a file that is gone).

use std::cell::Cell;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use rusqlite::{ffi, Connection};

thread_local! {
    /// Set by the log hook when a commit went into a log that is no longer
    /// the workspace's: SQLite reports the hook's error as a plain "SQL
    /// logic error", so the store's error conversion asks here, on the
    /// thread that ran the statement, what it was.
    static LOG_GONE: Cell<bool> = const { Cell::new(false) };
}

/// Whether the statement that just failed on this thread committed into a
/// log that is gone (and forgets it).
pub(super) fn took_log_gone() -> bool {
    LOG_GONE.with(|gone| gone.replace(false))
}

/// Pages in the log after which a commit copies it into the database, as
/// SQLite's own automatic checkpoint does (our log hook replaces it).
const CHECKPOINT_PAGES: i32 = 1000;

/// A file as the OS knows it, whatever its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct FileId {
    device: u64,
    inode: u64,
}

#[cfg(unix)]
fn file_id(path: &Path) -> Option<FileId> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).ok().map(|m| FileId {
        device: m.dev(),
        inode: m.ino(),
    })
}

// Elsewhere an open file cannot be deleted or replaced: nothing to notice.
#[cfg(not(unix))]
fn file_id(_path: &Path) -> Option<FileId> {
    Some(FileId {
        device: 0,
        inode: 0,
    })
}

/// The workspace file and its log as they were when the connection opened.
#[derive(Debug)]
pub(super) struct Place {
    database: PathBuf,
    log: PathBuf,
    database_id: FileId,
    log_id: FileId,
}

impl Place {
    /// Notes where the database and its log are now; `None` when either is
    /// missing (an in-memory database, or a log not yet opened).
    pub(super) fn of(database: &Path) -> Option<Place> {
        let log = log_path(database);
        Some(Place {
            database_id: file_id(database)?,
            log_id: file_id(&log)?,
            database: database.to_path_buf(),
            log,
        })
    }

    /// Whether the database and the log on disk are still the ones opened.
    pub(super) fn unchanged(&self) -> bool {
        file_id(&self.database) == Some(self.database_id) && file_id(&self.log) == Some(self.log_id)
    }
}

/// Whether `path` names the database at `database` or one of the files
/// SQLite keeps beside it, existing or not: reading or writing one of them
/// by other means would drop this process's locks, or overwrite the work.
pub(super) fn is_workspace_file(database: &Path, path: &Path) -> bool {
    let files = workspace_files(database);
    if let Some(id) = file_id(path) {
        return files.iter().any(|f| file_id(f) == Some(id));
    }
    // A file not yet written: the same name in the same folder.
    let canonical = |p: &Path| {
        let folder = p
            .parent()
            .filter(|f| !f.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        Some(folder.canonicalize().ok()?.join(p.file_name()?))
    };
    let wanted = canonical(path);
    wanted.is_some() && files.iter().any(|f| canonical(f) == wanted)
}

/// Every file of the workspace at `database`: the database, the files
/// SQLite keeps beside it, the match index and the concordance index.
pub fn workspace_files(database: &Path) -> Vec<PathBuf> {
    let beside = |suffix: &str| {
        let mut name = database.as_os_str().to_os_string();
        name.push(suffix);
        PathBuf::from(name)
    };
    let mut files = vec![
        database.to_path_buf(),
        log_path(database),
        beside("-shm"),
        beside("-tmindex"),
    ];
    files.extend(super::concordance::files_of(database));
    files
}

/// The write-ahead log beside a database file.
pub(super) fn log_path(database: &Path) -> PathBuf {
    let mut name = database.as_os_str().to_os_string();
    name.push("-wal");
    PathBuf::from(name)
}

/// Whether commits copy the log into the database as they go; a bulk
/// import turns that off for its duration.
#[derive(Debug, Clone)]
pub(super) struct Checkpoints(Arc<AtomicBool>);

impl Checkpoints {
    pub(super) fn set(&self, on: bool) {
        self.0.store(on, Ordering::Relaxed);
    }
}

/// Makes every commit on `conn` fail (as SQLite's commit hook does, which
/// `StoreError` tells as `Replaced`) once the workspace at `place` was
/// deleted or replaced: also on the connections of files derived from it.
pub(super) fn refuse_commits_once_replaced(
    conn: &mut Connection,
    place: Option<Arc<Place>>,
) -> rusqlite::Result<()> {
    if let Some(before) = place {
        conn.commit_hook(Some(move || !before.unchanged()))?;
    }
    Ok(())
}

/// Installs both checks on `conn`, and the automatic checkpoint they
/// replace. Returns the switch of that checkpoint.
pub(super) fn guard(
    conn: &mut Connection,
    place: Option<Arc<Place>>,
) -> rusqlite::Result<Checkpoints> {
    let checkpoints = Checkpoints(Arc::new(AtomicBool::new(true)));
    refuse_commits_once_replaced(conn, place.clone())?;
    let on = checkpoints.clone();
    conn.wal_hook(Some(move |wal: &mut rusqlite::hooks::Wal, pages: i32| {
        if place.as_ref().is_some_and(|p| !p.unchanged()) {
            LOG_GONE.with(|gone| gone.set(true));
            return Err(rusqlite::Error::SqliteFailure(
                ffi::Error::new(ffi::SQLITE_IOERR_VNODE),
                None,
            ));
        }
        if pages >= CHECKPOINT_PAGES && on.0.load(Ordering::Relaxed) {
            // As SQLite's own: a checkpoint that cannot run now runs later.
            let _ = wal.checkpoint();
        }
        Ok(())
    }))?;
    Ok(checkpoints)
}
