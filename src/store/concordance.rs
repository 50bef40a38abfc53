//! The concordance index: the words of every TM unit, for phrase search,
//! in SQLite files of their own beside the workspace
//! (`<workspace>-concordance`, `<workspace>-concordance-1`).
//!
//! It is derived from the units and rebuilt from them whenever it cannot be
//! trusted (missing, damaged, another workspace's), so it stays out of the
//! workspace's backups (a third of a large TM's file), and it is filled
//! after a bulk import on connections of its own while the workspace's
//! connection writes the match index and copies its log.
//!
//! The units are split between `SHARDS` files by id, each filled by a
//! thread of its own: FTS5 builds its index on one thread per file, and
//! two files are filled in little more than half the time of one (a
//! million units: 3.1–3.8 s against 5.2–5.7 s).
//!
//! What a file holds: every unit of its shard whose id is at most its
//! `fts_max` (they are added in id order), as the unit's text was when last
//! indexed. A change to a unit already indexed is noted in the workspace,
//! in the same transaction as the change (`concordance_stale`), and put
//! right before the next search; so a crash between the files' commits
//! loses nothing.

use std::path::{Path, PathBuf};
use std::sync::{mpsc, Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use rusqlite::{params, Connection, OptionalExtension};

use super::place::{refuse_commits_once_replaced, Place};
use super::StoreError;
use crate::text::codes;

const SCHEMA: &str = r#"
CREATE VIRTUAL TABLE IF NOT EXISTS tm_fts USING fts5 (
    source, target, content = '', contentless_delete = 1,
    tokenize = "unicode61 remove_diacritics 2 separators 'ʼ'"
);
-- workspace: the `uid` of the workspace indexed. fts_max: the last unit in.
-- shard: which of how many shards this file is ("0/2"). trims: how many
-- times units were dropped from its end (deleted units whose ids the next
-- units take, or the whole index): a filler that read its units before
-- then stops, as it may hold a deleted unit's text for a new unit's id.
CREATE TABLE IF NOT EXISTS state (
    workspace TEXT NOT NULL, fts_max INTEGER NOT NULL, shard TEXT NOT NULL,
    trims INTEGER NOT NULL DEFAULT 0
);
"#;

/// How many files the units are split between (by id).
const SHARDS: usize = 2;

/// Units read from the workspace at a time while catching up (five in
/// the tests, so that theirs span several steps).
const STEP: i64 = if cfg!(test) { 5 } else { 20_000 };

/// Units a shard's thread indexes per transaction at most. Each commit
/// writes FTS5's term hash out as a segment, and 16 segments are merged: a
/// million units make five segments a file, none merged, where 10,000 a
/// transaction made fifty and merged them (the import's fill took a fifth
/// less CPU). Searches read every segment, so there are not more than
/// before (ten, at 50,000 a transaction, made a search from the command
/// line 7 ms slower). (Seven in the tests, so that theirs span several
/// steps and transactions.)
const PER_TRANSACTION: usize = if cfg!(test) { 7 } else { 100_000 };

/// How long a shard's transaction stays open at most, however its units
/// come (a bulk's arrive in batches as they are stored): a search on
/// another connection waits for it to fill the index or put right a
/// changed unit, and SQLite gives up after five seconds.
const LONGEST_OPEN: Duration = Duration::from_secs(1);

/// The index file of shard `shard` beside the workspace at `database`.
fn path_of(database: &Path, shard: usize) -> PathBuf {
    let mut name = database.as_os_str().to_os_string();
    name.push("-concordance");
    if shard > 0 {
        name.push(format!("-{shard}"));
    }
    PathBuf::from(name)
}

/// The index files and the two SQLite keeps beside each.
pub(super) fn files_of(database: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for shard in 0..SHARDS {
        let index = path_of(database, shard);
        for suffix in ["-wal", "-shm"] {
            let mut name = index.as_os_str().to_os_string();
            name.push(suffix);
            files.push(PathBuf::from(name));
        }
        files.push(index);
    }
    files
}

/// Deletes the index beside `database` (it is rebuilt when next needed).
pub(super) fn remove(database: &Path) {
    for file in files_of(database) {
        let _ = std::fs::remove_file(file);
    }
}

/// An open concordance index.
pub(super) struct Concordance {
    /// One connection per shard; unit `id` is in shard `id % SHARDS`.
    shards: Vec<Mutex<Connection>>,
    /// The workspace's `uid`: a file emptied for another (a backup put back
    /// takes a `uid` of its own) is no longer this one's to fill.
    uid: String,
}

/// A connection to an index file, whose commits fail once the workspace
/// at `place` was replaced (a backup put back: a process left open on the
/// one before would otherwise empty the index for its own again, and fill
/// it with the units it still reads).
fn connect(path: Option<&Path>, place: Option<Arc<Place>>) -> rusqlite::Result<Connection> {
    let mut conn = match path {
        Some(path) => Connection::open(path)?,
        None => Connection::open_in_memory()?,
    };
    refuse_commits_once_replaced(&mut conn, place)?;
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

/// The shard holding unit `id`.
fn shard_of(id: i64) -> usize {
    id.rem_euclid(SHARDS as i64) as usize
}

/// Units of one shard to add, and the last unit id read with them: the
/// shard then holds every unit of its own up to there.
type Batch = (Vec<(i64, String, String)>, i64);

/// Where a shard stands: its last unit, and how many times units were
/// dropped from its end.
#[derive(Debug, Clone, Copy)]
struct Held {
    upto: i64,
    trims: i64,
}

impl Concordance {
    /// Opens the index of the workspace `uid` beside `database` (in memory
    /// for a workspace in memory): new files when they are missing, damaged
    /// or of an older layout (for no other error: another process may be
    /// using them), emptied in place when another workspace's (a restored
    /// backup takes a `uid` of its own). Units it holds past the
    /// workspace's last (the newest were deleted, by another process too)
    /// are dropped at the next sync.
    pub(super) fn open(
        database: Option<&Path>,
        uid: &str,
        place: Option<Arc<Place>>,
    ) -> Result<Concordance, StoreError> {
        // None when a file keeps an older layout.
        let open_all = || -> rusqlite::Result<Option<Vec<Mutex<Connection>>>> {
            let mut shards = Vec::with_capacity(SHARDS);
            for shard in 0..SHARDS {
                let path = database.map(|d| path_of(d, shard));
                match Self::prepare(connect(path.as_deref(), place.clone())?, uid, shard)? {
                    Some(conn) => shards.push(Mutex::new(conn)),
                    None => return Ok(None),
                }
            }
            Ok(Some(shards))
        };
        // Only files that are no sound index of this layout are deleted:
        // any other error (another process's lock past the wait, a full
        // disk, no file handle left) says nothing of them, and a process
        // using them would go on with deleted files of its own.
        let why = match open_all() {
            Ok(Some(shards)) => return Ok(Concordance::of(shards, uid)),
            Ok(None) => "an older layout".to_string(),
            Err(e) if is_damaged(&e) && database.is_some() => e.to_string(),
            Err(e) => return Err(e.into()),
        };
        let Some(database) = database else {
            return Err(older_layout());
        };
        tracing::warn!("the concordance index is rebuilt: {why}");
        remove(database);
        match open_all()? {
            Some(shards) => Ok(Concordance::of(shards, uid)),
            // Written again meanwhile by an older build.
            None => Err(older_layout()),
        }
    }

    /// Makes `conn` the index of shard `shard` of workspace `uid`: as it
    /// is, or emptied when it was another workspace's or another shard's;
    /// none when it keeps an older layout (its one file named no shard).
    fn prepare(conn: Connection, uid: &str, shard: usize) -> rusqlite::Result<Option<Connection>> {
        conn.execute_batch(SCHEMA)?;
        let has_column = |conn: &Connection, column: &str| -> rusqlite::Result<bool> {
            conn.query_row(
                "SELECT EXISTS (SELECT 1 FROM pragma_table_info('state') WHERE name = ?1)",
                [column],
                |r| r.get(0),
            )
        };
        if !has_column(&conn, "shard")? {
            return Ok(None);
        }
        // A file made before `trims`: looked at again under the write lock,
        // as another process may be adding the column too.
        if !has_column(&conn, "trims")? {
            let tx = conn.unchecked_transaction()?;
            if !has_column(&tx, "trims")? {
                tx.execute(
                    "ALTER TABLE state ADD COLUMN trims INTEGER NOT NULL DEFAULT 0",
                    [],
                )?;
            }
            tx.commit()?;
        }
        let name = format!("{shard}/{SHARDS}");
        let state = |conn: &Connection| -> rusqlite::Result<Option<(String, String)>> {
            conn.query_row("SELECT workspace, shard FROM state", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()
        };
        let ours = |state: &Option<(String, String)>| {
            state
                .as_ref()
                .is_some_and(|(workspace, of)| workspace == uid && *of == name)
        };
        if ours(&state(&conn)?) {
            return Ok(Some(conn));
        }
        // Looked at again under the write lock: another process may be
        // starting this file too.
        let tx = conn.unchecked_transaction()?;
        match state(&tx)? {
            held if ours(&held) => {}
            Some(_) => {
                tx.execute("INSERT INTO tm_fts (tm_fts) VALUES ('delete-all')", [])?;
                tx.execute(
                    "UPDATE state SET workspace = ?1, fts_max = 0, shard = ?2, trims = trims + 1",
                    params![uid, name],
                )?;
            }
            None => {
                // 32 MiB of new terms kept in memory before a segment is
                // written, 16 segments merged at a time (not 1 MiB and 4):
                // a million units are indexed in about half the time.
                tx.execute_batch(
                    "INSERT INTO tm_fts (tm_fts, rank) VALUES ('hashsize', 33554432);
                     INSERT INTO tm_fts (tm_fts, rank) VALUES ('automerge', 16);",
                )?;
                tx.execute(
                    "INSERT INTO state (workspace, fts_max, shard) VALUES (?1, 0, ?2)",
                    params![uid, name],
                )?;
            }
        }
        tx.commit()?;
        Ok(Some(conn))
    }

    fn shard(&self, shard: usize) -> MutexGuard<'_, Connection> {
        // A panic while a shard was held left SQLite's state consistent.
        self.shards[shard]
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Puts right the units the workspace noted as changed, reading their
    /// text now from `units`, then adds the units after each shard's
    /// `fts_max`; returns how many units went in.
    pub(super) fn sync(&self, units: &Connection) -> Result<usize, StoreError> {
        self.put_right_stale(units)?;
        let done = self.done()?;
        let from = done.iter().map(|held| held.upto).min().unwrap_or(0);
        if units.query_row(
            "SELECT NOT EXISTS (SELECT 1 FROM tm_units WHERE id > ?1)",
            [from],
            |r| r.get::<_, bool>(0),
        )? {
            return Ok(0);
        }
        self.fill_while(units, &done, &mut || false)
    }

    /// `sync`, then, as long as `more` says more units were committed
    /// (it waits for them), adds those too, each shard's transaction left
    /// open across the waits (`PER_TRANSACTION`, `LONGEST_OPEN`): a bulk whose
    /// units are committed in many small batches is indexed in as few
    /// segments as an import. Each commit writes FTS5's term hash out
    /// sorted: a commit per batch of 20,000 units sorted a million units'
    /// terms fifty times a shard (a tenth of their bootstrap's CPU).
    pub(super) fn sync_while(
        &self,
        units: &Connection,
        more: &mut dyn FnMut() -> bool,
    ) -> Result<usize, StoreError> {
        self.put_right_stale(units)?;
        let done = self.done()?;
        let filled = self.fill_while(units, &done, more)?;
        // The bulk's own changes to units held, so the next search waits
        // for none.
        self.put_right_stale(units)?;
        Ok(filled)
    }

    fn of(shards: Vec<Mutex<Connection>>, uid: &str) -> Concordance {
        Concordance {
            shards,
            uid: uid.to_string(),
        }
    }

    /// Where each shard stands: read before any unit is read for it.
    fn done(&self) -> Result<Vec<Held>, StoreError> {
        (0..SHARDS)
            .map(|shard| self.held(&self.shard(shard)))
            .collect()
    }

    /// Where the shard of `conn` stands, if it is still this workspace's
    /// index: a process that opened it before a backup was put back in its
    /// place and the index emptied for that is told the workspace was
    /// replaced, rather than fill it with the units it still reads.
    fn held(&self, conn: &Connection) -> Result<Held, StoreError> {
        let (upto, trims, workspace): (i64, i64, String) =
            conn.query_row("SELECT fts_max, trims, workspace FROM state", [], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?;
        if workspace != self.uid {
            return Err(StoreError::Replaced);
        }
        Ok(Held { upto, trims })
    }

    /// Adds the units after those each shard holds (`done`), then those
    /// committed meanwhile each time `more` says so; returns how many.
    fn fill_while(
        &self,
        units: &Connection,
        done: &[Held],
        more: &mut dyn FnMut() -> bool,
    ) -> Result<usize, StoreError> {
        let mut n_filled = 0;
        let upto: Vec<i64> = done.iter().map(|held| held.upto).collect();
        // This thread reads the units, a thread per shard indexes its own.
        std::thread::scope(|scope| {
            let mut senders = Vec::with_capacity(SHARDS);
            let mut fillers = Vec::with_capacity(SHARDS);
            for (shard, &start) in done.iter().enumerate() {
                let (sender, receiver) = mpsc::sync_channel::<Batch>(2);
                senders.push(sender);
                fillers.push(scope.spawn(move || self.fill(shard, start, receiver)));
            }
            let mut after = upto.iter().copied().min().unwrap_or(0);
            let read = loop {
                match self.read_units(units, after, &upto, &senders) {
                    Ok(Some(last)) => after = last,
                    // A shard stopped: its error is told below.
                    Ok(None) => break Ok(()),
                    Err(e) => break Err(e),
                }
                if !more() {
                    break Ok(());
                }
            };
            drop(senders);
            for filler in fillers {
                match filler.join() {
                    Ok(filled) => n_filled += filled?,
                    Err(panic) => std::panic::resume_unwind(panic),
                }
            }
            read
        })?;
        Ok(n_filled)
    }

    /// Puts right the units noted as changed since they were indexed, and
    /// drops from each shard the units past the workspace's last: the
    /// newest were deleted, and the next units take their ids (SQLite
    /// reuses the largest), which the shard would take for held. A note of
    /// a unit past a shard's last waits until the shard holds it: its
    /// filler may have read the unit's text before the change.
    fn put_right_stale(&self, units: &Connection) -> Result<(), StoreError> {
        // None before the first round, which looks at every shard even
        // when there is no note.
        let mut read: Option<i64> = None;
        loop {
            let next: Option<i64> = units.query_row(
                "SELECT max(seq) FROM concordance_stale WHERE seq > ?1",
                [read.unwrap_or(0)],
                |r| r.get(0),
            )?;
            let seen = match (next, read) {
                (Some(seen), _) => seen,
                (None, None) => 0,
                (None, Some(_)) => return Ok(()),
            };
            // Up to which unit each shard's notes were put right; none for
            // a shard that had nothing to do.
            let mut held: Vec<Option<i64>> = vec![None; SHARDS];
            for (shard, held) in held.iter_mut().enumerate() {
                *held = self.put_right_shard(units, shard, seen)?;
            }
            if seen > 0 && held.iter().any(Option::is_some) {
                // The notes put right, in one statement once every shard
                // is done: those up to the highest read (a note's number is
                // never used again, so one written meanwhile is past it).
                let upto: Vec<String> = held
                    .iter()
                    .enumerate()
                    .map(|(shard, held)| format!("WHEN {shard} THEN {}", held.unwrap_or(0)))
                    .collect();
                units.execute(
                    &format!(
                        "DELETE FROM concordance_stale WHERE seq <= ?1
                         AND unit_id <= CASE unit_id % {SHARDS} {} END",
                        upto.join(" ")
                    ),
                    [seen],
                )?;
            }
            read = Some(seen);
        }
    }

    /// Puts right the units of `shard` noted up to `seen` that the shard
    /// holds and the workspace too, and drops the units past the
    /// workspace's last; returns up to which unit the notes were put right,
    /// or none when there was nothing to do (learnt without a transaction:
    /// a search does not wait for a filler's to find that).
    fn put_right_shard(
        &self,
        units: &Connection,
        shard: usize,
        seen: i64,
    ) -> Result<Option<i64>, StoreError> {
        let conn = self.shard(shard);
        let fts_max = |conn: &Connection| -> rusqlite::Result<i64> {
            conn.query_row("SELECT fts_max FROM state", [], |r| r.get(0))
        };
        let of_shard = |fts_max: i64| [seen, fts_max, SHARDS as i64, shard as i64];
        let due: bool = units.query_row(
            "SELECT EXISTS (SELECT 1 FROM concordance_stale
                            WHERE seq <= ?1 AND unit_id <= ?2 AND unit_id % ?3 = ?4)
                 OR ?2 > (SELECT coalesce(max(id), 0) FROM tm_units)",
            of_shard(fts_max(&conn)?),
            |r| r.get(0),
        )?;
        if !due {
            return Ok(None);
        }
        let tx = conn.unchecked_transaction()?;
        let held = self.held(&tx)?.upto;
        let mut bound = held;
        {
            // The workspace's last unit and the notes read in one statement,
            // so in one state of the workspace: a unit deleted and its id
            // taken again by another is either past the last (dropped here,
            // indexed when filled) or put right by its note.
            let mut stale = units.prepare(
                "SELECT m.last, s.unit_id, u.source, u.target,
                        u.source_markup IS NULL AND u.target_markup IS NULL
                 FROM (SELECT coalesce(max(id), 0) AS last FROM tm_units) m
                 LEFT JOIN (SELECT DISTINCT unit_id FROM concordance_stale
                            WHERE seq <= ?1 AND unit_id % ?3 = ?4) s
                        ON s.unit_id <= min(?2, m.last)
                 LEFT JOIN tm_units u ON u.id = s.unit_id",
            )?;
            let mut delete = tx.prepare("DELETE FROM tm_fts WHERE rowid = ?1")?;
            let mut insert =
                tx.prepare("INSERT INTO tm_fts (rowid, source, target) VALUES (?1, ?2, ?3)")?;
            let mut rows = stale.query(of_shard(held))?;
            while let Some(row) = rows.next()? {
                let last: i64 = row.get(0)?;
                if last < bound {
                    tx.execute("DELETE FROM tm_fts WHERE rowid > ?1", [last])?;
                    tx.execute("UPDATE state SET fts_max = ?1, trims = trims + 1", [last])?;
                    bound = last;
                }
                let Some(id) = row.get::<_, Option<i64>>(1)? else {
                    continue;
                };
                delete.execute([id])?;
                let source: Option<String> = row.get(2)?;
                if let Some(source) = source {
                    let target: String = row.get(3)?;
                    let plain: bool = row.get(4)?;
                    insert.execute(params![id, text(&source, plain), text(&target, plain)])?;
                }
            }
        }
        tx.commit()?;
        Ok(Some(bound))
    }

    /// Reads the units after `after` in steps, sending each shard those it
    /// lacks (`done`: the last unit each held); returns the last unit read
    /// (`after` when there were none), or none when a shard stopped.
    fn read_units(
        &self,
        units: &Connection,
        mut after: i64,
        done: &[i64],
        senders: &[mpsc::SyncSender<Batch>],
    ) -> Result<Option<i64>, StoreError> {
        let mut read = units.prepare_cached(
            "SELECT id, source, target, source_markup IS NULL AND target_markup IS NULL
             FROM tm_units WHERE id > ?1 ORDER BY id LIMIT ?2",
        )?;
        loop {
            let mut batches: Vec<Vec<(i64, String, String)>> = vec![Vec::new(); SHARDS];
            let mut rows = read.query(params![after, STEP])?;
            let mut last = None;
            while let Some(row) = rows.next()? {
                let (id, source, target, plain): (i64, String, String, bool) =
                    (row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?);
                last = Some(id);
                let shard = shard_of(id);
                if id > done[shard] {
                    let (source, target) = if plain {
                        (source, target)
                    } else {
                        (codes::strip(&source), codes::strip(&target))
                    };
                    batches[shard].push((id, source, target));
                }
            }
            let Some(last) = last else {
                return Ok(Some(after));
            };
            for (shard, batch) in batches.into_iter().enumerate() {
                // A shard that stopped has its error to tell, from `fill`.
                if senders[shard].send((batch, last)).is_err() {
                    return Ok(None);
                }
            }
            after = last;
        }
    }

    /// Indexes the batches of one shard, about `PER_TRANSACTION` units a
    /// transaction.
    /// `start`: where the shard stood before the units were first read,
    /// those up to its last left out of the batches.
    fn fill(
        &self,
        shard: usize,
        start: Held,
        batches: mpsc::Receiver<Batch>,
    ) -> Result<usize, StoreError> {
        let conn = self.shard(shard);
        let mut n_filled = 0;
        // The transaction under way (with the last unit it holds and when
        // it began), and how many units it holds.
        let mut open: Option<(rusqlite::Transaction<'_>, i64, Instant)> = None;
        let mut in_open = 0;
        loop {
            let received = match &open {
                None => batches
                    .recv()
                    .map_err(|_| mpsc::RecvTimeoutError::Disconnected),
                Some((_, _, began)) => {
                    batches.recv_timeout(LONGEST_OPEN.saturating_sub(began.elapsed()))
                }
            };
            let (batch, upto) = match received {
                Ok(batch) => batch,
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    if let Some((tx, done, _)) = open.take() {
                        commit_filled(tx, done)?;
                        in_open = 0;
                    }
                    continue;
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
            };
            let (tx, done, began) = match open.take() {
                Some(open) => open,
                None => {
                    let tx = conn.unchecked_transaction()?;
                    let Held { upto: done, trims } = self.held(&tx)?;
                    if trims != start.trims || done < start.upto {
                        // Another connection dropped the shard's last units
                        // (they were deleted) since these were read: their
                        // ids may be new units' now, or units left out of
                        // the batches, so the next sync goes on instead.
                        // (An older build does not count its drops.)
                        return Ok(n_filled);
                    }
                    (tx, done, Instant::now())
                }
            };
            if upto <= done {
                open = Some((tx, done, began));
                continue;
            }
            {
                let mut insert = tx.prepare_cached(
                    "INSERT INTO tm_fts (rowid, source, target) VALUES (?1, ?2, ?3)",
                )?;
                // Another process may have indexed some meanwhile.
                for (id, source, target) in batch.iter().filter(|(id, ..)| *id > done) {
                    insert.execute(params![id, source, target])?;
                    n_filled += 1;
                    in_open += 1;
                }
            }
            if in_open >= PER_TRANSACTION || began.elapsed() >= LONGEST_OPEN {
                commit_filled(tx, upto)?;
                in_open = 0;
            } else {
                open = Some((tx, upto, began));
            }
        }
        if let Some((tx, done, _)) = open {
            commit_filled(tx, done)?;
        }
        Ok(n_filled)
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
        let mut ids = Vec::new();
        for shard in 0..SHARDS {
            let conn = self.shard(shard);
            let mut stmt = conn.prepare_cached(
                "SELECT rowid FROM tm_fts WHERE tm_fts MATCH ?1 ORDER BY rowid DESC LIMIT ?2",
            )?;
            let found = stmt.query_map(params![query, limit as i64], |r| r.get::<_, i64>(0))?;
            for id in found {
                ids.push(id?);
            }
        }
        ids.sort_unstable_by(|a, b| b.cmp(a));
        ids.truncate(limit);
        Ok(ids)
    }
}

/// Notes that a shard holds its units up to `upto` and commits. Written
/// once a transaction, at its end: a write to another table opens a
/// statement savepoint, at which FTS5 writes its pending terms out as a
/// segment, and a note per batch made a segment of every batch.
fn commit_filled(tx: rusqlite::Transaction<'_>, upto: i64) -> rusqlite::Result<()> {
    tx.execute("UPDATE state SET fts_max = ?1", [upto])?;
    tx.commit()
}

fn older_layout() -> StoreError {
    let code = rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_ERROR);
    let message = "the concordance index keeps a layout of an older version".to_string();
    StoreError::Sqlite(rusqlite::Error::SqliteFailure(code, Some(message)))
}

/// Whether SQLite found a file damaged or no database at all.
fn is_damaged(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase)
    )
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Workspace;
    use crate::testing::import_units;

    /// A workspace file (in the directory returned) with two units, the
    /// concordance filled (and searched for `word`), closed again.
    fn indexed_walrus_and_zebra(word: &str) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("ws.sqlite");
        let mut ws = Workspace::open(&db).unwrap();
        import_units(
            &mut ws,
            &[("Il tricheco", "The walrus"), ("La zebra", "The zebra")],
            false,
        );
        assert_eq!(ws.tm_search(word, 5).unwrap().len(), 1);
        (dir, db)
    }

    #[test]
    fn a_filler_that_read_its_units_before_the_file_was_trimmed_stops() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("ws.sqlite");
        let mut ws = Workspace::open(&db).unwrap();
        let units = [
            ("Uno", "One"),
            ("Due", "Two"),
            ("Tre", "Three"),
            ("Il tricheco", "The walrus"),
            ("Cinque", "Five"),
            ("Sei", "Six"),
        ];
        let ids = import_units(&mut ws, &units, false);
        assert_eq!(ids, [1, 2, 3, 4, 5, 6]);
        // Another connection's filler reads the units of shard 0 (the even
        // ids), and waits before writing them.
        let other = Workspace::open(&db).unwrap();
        let late = other.concordance().unwrap();
        let start = late.done().unwrap()[0];
        let read: Vec<(i64, String, String)> = [2, 4, 6]
            .iter()
            .map(|&id| {
                let (source, target) = units[id as usize - 1];
                (id, source.to_owned(), target.to_owned())
            })
            .collect();
        // Meanwhile this one fills the index, unit 4 is deleted (its note
        // put right by a search), then units 5 and 6 (the files trimmed
        // back to 3), and a new unit takes id 4.
        assert_eq!(ws.tm_search("walrus", 5).unwrap().len(), 1);
        ws.delete_tm_unit(4).unwrap();
        assert!(ws.tm_search("walrus", 5).unwrap().is_empty());
        ws.delete_tm_unit(5).unwrap();
        ws.delete_tm_unit(6).unwrap();
        assert!(ws.tm_search("six", 5).unwrap().is_empty());
        assert_eq!(
            import_units(&mut ws, &[("La zebra", "The zebra")], false),
            [4]
        );
        // The late filler writes nothing: the walrus's text would pass for
        // the zebra's unit, which the index would take for held.
        let (sender, batches) = mpsc::sync_channel(1);
        sender.send((read, 6)).unwrap();
        drop(sender);
        assert_eq!(late.fill(0, start, batches).unwrap(), 0);
        let zebra = ws.tm_search("zebra", 5).unwrap();
        assert_eq!(zebra.iter().map(|u| u.id).collect::<Vec<_>>(), [4]);
        assert!(ws.tm_search("walrus", 5).unwrap().is_empty());
        assert!(ws.tm_search("six", 5).unwrap().is_empty());
    }

    #[test]
    fn a_file_made_before_trims_were_counted_is_kept_and_counts_them() {
        let (_dir, db) = indexed_walrus_and_zebra("walrus");
        for shard in 0..SHARDS {
            Connection::open(path_of(&db, shard))
                .unwrap()
                .execute("ALTER TABLE state DROP COLUMN trims", [])
                .unwrap();
        }
        let mut ws = Workspace::open(&db).unwrap();
        assert_eq!(ws.sync_concordance().unwrap(), 0, "nothing indexed again");
        assert_eq!(ws.tm_search("zebra", 5).unwrap().len(), 1);
        let trims: i64 = Connection::open(path_of(&db, 0))
            .unwrap()
            .query_row("SELECT trims FROM state", [], |r| r.get(0))
            .unwrap();
        assert_eq!(trims, 0);
    }

    #[test]
    fn a_file_another_connection_holds_past_the_wait_is_an_error_not_a_rebuild() {
        use std::os::unix::fs::MetadataExt;
        let (_dir, db) = indexed_walrus_and_zebra("walrus");
        // An older file: opening it adds a column, which needs its write lock.
        let file = path_of(&db, 0);
        let holder = Connection::open(&file).unwrap();
        holder
            .execute("ALTER TABLE state DROP COLUMN trims", [])
            .unwrap();
        let inode = std::fs::metadata(&file).unwrap().ino();
        holder.execute_batch("BEGIN IMMEDIATE").unwrap();
        let mut ws = Workspace::open(&db).unwrap();
        let busy = ws.tm_search("zebra", 5).unwrap_err();
        assert!(busy.to_string().contains("busy"), "{busy}");
        assert_eq!(
            std::fs::metadata(&file).unwrap().ino(),
            inode,
            "the file kept"
        );
        holder.execute_batch("COMMIT").unwrap();
        assert_eq!(ws.sync_concordance().unwrap(), 0, "nothing indexed again");
        assert_eq!(ws.tm_search("zebra", 5).unwrap().len(), 1);
    }

    #[test]
    fn a_damaged_file_is_started_afresh() {
        let (_dir, db) = indexed_walrus_and_zebra("walrus");
        std::fs::write(path_of(&db, 1), vec![b'x'; 8192]).unwrap();
        let mut ws = Workspace::open(&db).unwrap();
        assert_eq!(ws.tm_search("walrus", 5).unwrap().len(), 1);
        assert_eq!(ws.tm_search("zebra", 5).unwrap().len(), 1);
    }

    #[test]
    fn an_index_opened_after_the_newest_units_were_deleted_elsewhere_drops_them_alone() {
        let (_dir, db) = indexed_walrus_and_zebra("zebra");
        // Another process, which never opens the index, deletes the newest.
        Workspace::open(&db).unwrap().delete_tm_unit(2).unwrap();
        let mut ws = Workspace::open(&db).unwrap();
        assert_eq!(ws.sync_concordance().unwrap(), 0, "nothing indexed again");
        assert!(ws.tm_search("zebra", 5).unwrap().is_empty());
        assert_eq!(ws.tm_search("walrus", 5).unwrap().len(), 1);
        assert_eq!(import_units(&mut ws, &[("Il gnu", "The gnu")], false), [2]);
        assert_eq!(ws.tm_search("gnu", 5).unwrap().len(), 1);
    }
}
