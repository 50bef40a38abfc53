//! The concordance index: the words of every TM unit, for phrase search,
//! in an SQLite file of its own beside the workspace
//! (`<workspace>-concordance`).
//!
//! It is derived from the units and rebuilt from them whenever it cannot be
//! trusted (missing, damaged, another workspace's), so it stays out of the
//! workspace's backups (a third of a large TM's file), and it is filled
//! after a bulk import on a connection of its own while the workspace's
//! connection writes the match index and copies its log.
//!
//! What it holds: every unit whose id is at most `fts_max` (they are added
//! in id order), as the unit's text was when last indexed. A change to a
//! unit already indexed is noted in the workspace, in the same transaction
//! as the change (`concordance_stale`), and put right before the next
//! search; so a crash between the two files' commits loses nothing.

use std::path::{Path, PathBuf};

use rusqlite::{params, Connection, OptionalExtension};

use super::StoreError;
use crate::text::codes;

const SCHEMA: &str = r#"
CREATE VIRTUAL TABLE IF NOT EXISTS tm_fts USING fts5 (
    source, target, content = '', contentless_delete = 1,
    tokenize = "unicode61 remove_diacritics 2 separators 'ʼ'"
);
-- workspace: the `uid` of the workspace indexed. fts_max: the last unit in.
CREATE TABLE IF NOT EXISTS state (workspace TEXT NOT NULL, fts_max INTEGER NOT NULL);
"#;

/// Units read from the workspace and indexed per transaction while
/// catching up, so a confirmation on another connection waits a moment at
/// most.
const STEP: i64 = 20_000;

/// The index file beside the workspace at `database`.
pub(super) fn path_of(database: &Path) -> PathBuf {
    let mut name = database.as_os_str().to_os_string();
    name.push("-concordance");
    PathBuf::from(name)
}

/// The index file and the two SQLite keeps beside it.
pub(super) fn files_of(database: &Path) -> [PathBuf; 3] {
    let index = path_of(database);
    let with = |suffix: &str| {
        let mut name = index.as_os_str().to_os_string();
        name.push(suffix);
        PathBuf::from(name)
    };
    [with("-wal"), with("-shm"), index]
}

/// Deletes the index beside `database` (it is rebuilt when next needed).
pub(super) fn remove(database: &Path) {
    for file in files_of(database) {
        let _ = std::fs::remove_file(file);
    }
}

/// An open concordance index.
pub(super) struct Concordance {
    conn: Connection,
}

fn connect(path: Option<&Path>) -> rusqlite::Result<Connection> {
    let mut conn = match path {
        Some(path) => Connection::open(path)?,
        None => Connection::open_in_memory()?,
    };
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    conn.set_transaction_behavior(rusqlite::TransactionBehavior::Immediate);
    // Its pages hold long lists of unit ids, as the TM's pages long rows.
    conn.pragma_update(None, "page_size", 16_384)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    // NORMAL: a power cut may lose the last commits, never the file's
    // consistency; they are redone from the units.
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "cache_size", -65_536)?;
    Ok(conn)
}

impl Concordance {
    /// Opens the index of the workspace `uid` beside `database` (in memory
    /// for a workspace in memory), starting it afresh when it is missing,
    /// unreadable, another workspace's, or ahead of the units (`units_max`:
    /// the last unit id; an older copy of the workspace was put back).
    pub(super) fn open(
        database: Option<&Path>,
        uid: &str,
        units_max: i64,
    ) -> Result<Concordance, StoreError> {
        let path = database.map(path_of);
        let conn = match connect(path.as_deref()).and_then(|c| Self::prepare(c, uid, units_max)) {
            Ok(conn) => conn,
            Err(first) => {
                let Some(database) = database else {
                    return Err(first.into());
                };
                tracing::warn!("the concordance index is rebuilt: {first}");
                remove(database);
                Self::prepare(connect(path.as_deref())?, uid, units_max)?
            }
        };
        Ok(Concordance { conn })
    }

    fn prepare(conn: Connection, uid: &str, units_max: i64) -> rusqlite::Result<Connection> {
        conn.execute_batch(SCHEMA)?;
        let state: Option<(String, i64)> = conn
            .query_row("SELECT workspace, fts_max FROM state", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?;
        match state {
            Some((workspace, fts_max)) if workspace == uid && fts_max <= units_max => {}
            Some(_) => conn.execute_batch(&format!(
                "BEGIN IMMEDIATE;
                 INSERT INTO tm_fts (tm_fts) VALUES ('delete-all');
                 UPDATE state SET workspace = '{uid}', fts_max = 0;
                 COMMIT;"
            ))?,
            None => conn.execute_batch(&format!(
                // 32 MiB of new terms kept in memory before a segment is
                // written, 16 segments merged at a time (not 1 MiB and 4): a
                // million units are indexed in about half the time.
                "BEGIN IMMEDIATE;
                 INSERT INTO tm_fts (tm_fts, rank) VALUES ('hashsize', 33554432);
                 INSERT INTO tm_fts (tm_fts, rank) VALUES ('automerge', 16);
                 INSERT INTO state (workspace, fts_max) VALUES ('{uid}', 0);
                 COMMIT;"
            ))?,
        }
        Ok(conn)
    }

    /// Puts right the units the workspace noted as changed (`stale`:
    /// their ids), reading their text now from `units`, then adds the units
    /// after `fts_max`; returns how many units went in.
    pub(super) fn sync(&self, units: &Connection) -> Result<usize, StoreError> {
        let mut n_synced = 0;
        loop {
            let seen: Option<i64> =
                units.query_row("SELECT max(seq) FROM concordance_stale", [], |r| r.get(0))?;
            let Some(seen) = seen else { break };
            let tx = self.conn.unchecked_transaction()?;
            let fts_max: i64 = tx.query_row("SELECT fts_max FROM state", [], |r| r.get(0))?;
            {
                let mut stale = units.prepare(
                    "SELECT DISTINCT s.unit_id, u.source, u.target,
                            u.source_markup IS NULL AND u.target_markup IS NULL
                     FROM concordance_stale s LEFT JOIN tm_units u ON u.id = s.unit_id
                     WHERE s.seq <= ?1 AND s.unit_id <= ?2",
                )?;
                let mut delete = tx.prepare("DELETE FROM tm_fts WHERE rowid = ?1")?;
                let mut insert =
                    tx.prepare("INSERT INTO tm_fts (rowid, source, target) VALUES (?1, ?2, ?3)")?;
                let mut rows = stale.query(params![seen, fts_max])?;
                while let Some(row) = rows.next()? {
                    let id: i64 = row.get(0)?;
                    delete.execute([id])?;
                    let source: Option<String> = row.get(1)?;
                    if let Some(source) = source {
                        let target: String = row.get(2)?;
                        let plain: bool = row.get(3)?;
                        insert.execute(params![id, text(&source, plain), text(&target, plain)])?;
                    }
                }
            }
            tx.commit()?;
            // Only the notes read: a change noted meanwhile waits its turn.
            units.execute("DELETE FROM concordance_stale WHERE seq <= ?1", [seen])?;
        }
        loop {
            let tx = self.conn.unchecked_transaction()?;
            let done: i64 = tx.query_row("SELECT fts_max FROM state", [], |r| r.get(0))?;
            let mut read = units.prepare_cached(
                "SELECT id, source, target, source_markup IS NULL AND target_markup IS NULL
                 FROM tm_units WHERE id > ?1 ORDER BY id LIMIT ?2",
            )?;
            let mut rows = read.query(params![done, STEP])?;
            let mut last = None;
            {
                let mut insert = tx.prepare_cached(
                    "INSERT INTO tm_fts (rowid, source, target) VALUES (?1, ?2, ?3)",
                )?;
                while let Some(row) = rows.next()? {
                    let (id, source, target, plain): (i64, String, String, bool) =
                        (row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?);
                    insert.execute(params![id, text(&source, plain), text(&target, plain)])?;
                    last = Some(id);
                    n_synced += 1;
                }
            }
            let Some(last) = last else {
                return Ok(n_synced);
            };
            tx.execute("UPDATE state SET fts_max = ?1", [last])?;
            tx.commit()?;
        }
    }

    /// The ids of up to `limit` units whose English holds `word`,
    /// ignoring case and accents.
    pub(super) fn with_english_word(
        &self,
        word: &str,
        limit: usize,
    ) -> Result<Vec<i64>, StoreError> {
        self.search(&format!("target : \"{word}\""), limit)
    }

    /// The ids of the units holding `query` (an FTS5 query), newest first.
    pub(super) fn search(&self, query: &str, limit: usize) -> Result<Vec<i64>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT rowid FROM tm_fts WHERE tm_fts MATCH ?1 ORDER BY rowid DESC LIMIT ?2",
        )?;
        let ids = stmt.query_map(params![query, limit as i64], |r| r.get(0))?;
        Ok(ids.collect::<Result<_, _>>()?)
    }
}

/// The text the index holds: without inline codes (unicode61 would take a
/// code's private-use character for a letter and glue it to the words
/// beside it). Only units with inline markup beside their text have codes.
fn text(text: &str, plain: bool) -> std::borrow::Cow<'_, str> {
    if plain {
        text.into()
    } else {
        codes::strip(text).into()
    }
}
