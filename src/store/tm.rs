//! Translation memories in the workspace: TMs, their units, TMX import and
//! export. Matching itself lives in `crate::tm`; this is storage only.

use std::io::{BufRead, Write};

use rusqlite::{params, OptionalExtension};
use rustc_hash::FxHashSet;

use super::concordance::Concordance;
use super::{StoreError, Workspace};
use crate::document::SegmentCode;
use crate::formats::tmx::{self, TmxError, TmxReader, TmxUnit, TmxWriter};
use crate::text::codes::{self, Mark};

/// A translation memory as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TmSummary {
    /// TM id.
    pub id: i64,
    /// Unique name.
    pub name: String,
    /// Units in it.
    pub n_units: usize,
    /// Whether confirmations and imports may change it.
    pub read_only: bool,
}

/// Name of the TM that confirmed segments are written to.
pub const WORKSPACE_TM: &str = "Workspace";

/// A stored unit, as the matcher needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredUnit {
    /// Unit id.
    pub id: i64,
    /// Hash of the previous and next source segments it was confirmed
    /// between, if known.
    pub context: Option<i64>,
    /// Name of its TM.
    pub tm: String,
    /// Source text.
    pub source: String,
    /// Target text.
    pub target: String,
    /// Creation (TMX basic ISO date), if known.
    pub created_at: Option<String>,
    /// Who created it (TMX `creationid`), if known.
    pub created_by: Option<String>,
    /// Last change (TMX basic ISO date), else its creation, if known.
    pub changed_at: Option<String>,
    /// Who changed it last (TMX `changeid`), if known.
    pub changed_by: Option<String>,
}

/// Why a TMX import failed; nothing was stored.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TmImportError {
    /// The TMX could not be read.
    #[error(transparent)]
    Tmx(#[from] TmxError),
    /// The database refused the write.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The TM is read-only.
    #[error("translation memory `{0}` is read-only")]
    ReadOnly(String),
}

impl From<rusqlite::Error> for TmImportError {
    fn from(e: rusqlite::Error) -> Self {
        TmImportError::Store(StoreError::Sqlite(e))
    }
}

/// What an import did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TmImportReport {
    /// Units stored.
    pub added: usize,
    /// Units already in the TM (same source and target).
    pub duplicates: usize,
    /// Units without both languages.
    pub skipped: usize,
}

/// FNV-1a: a stable 64-bit hash (the standard library's may change).
pub fn stable_hash(parts: &[&str]) -> i64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            hash ^= 0x1f;
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        for byte in part.as_bytes() {
            hash ^= u64::from(*byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash as i64
}

impl Workspace {
    /// The TM named `name`, created if it does not exist; returns its id.
    pub fn ensure_tm(&mut self, name: &str, read_only: bool) -> Result<i64, StoreError> {
        if let Some(id) = self.tm_id(name)? {
            return Ok(id);
        }
        // Another process may create it between the look and the insert
        // (two first confirmations at once): its row is then the one.
        self.conn.execute(
            "INSERT INTO tms (name, read_only, created_at) VALUES (?1, ?2, ?3)
             ON CONFLICT (name) DO NOTHING",
            params![name, read_only, super::now_ms()],
        )?;
        Ok(self
            .tm_id(name)?
            .expect("inserted or created by another writer"))
    }

    fn tm_id(&self, name: &str) -> Result<Option<i64>, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT id FROM tms WHERE name = ?1", [name], |r| r.get(0))
            .optional()?)
    }

    /// All TMs with their unit counts.
    pub fn tms(&self) -> Result<Vec<TmSummary>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT t.id, t.name, t.read_only, (SELECT count(*) FROM tm_units u WHERE u.tm_id = t.id)
             FROM tms t ORDER BY t.name",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(TmSummary {
                id: r.get(0)?,
                name: r.get(1)?,
                read_only: r.get(2)?,
                n_units: r.get::<_, i64>(3)? as usize,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Imports a TMX stream into the TM `tm_name`, all or nothing.
    /// `progress` is called with the bytes read and units stored so far,
    /// `on_unit` with the id and source of each unit added (to index it while
    /// the import runs; if the import fails, nothing it was told about exists).
    pub fn import_tmx<R: BufRead + Send>(
        &mut self,
        input: R,
        tm_name: &str,
        read_only: bool,
        progress: &mut dyn FnMut(u64, usize),
        on_unit: &mut dyn FnMut(i64, String),
    ) -> Result<TmImportReport, TmImportError> {
        self.import_tmx_with_end(input, tm_name, read_only, progress, on_unit, &mut || {})
    }

    /// `import_tmx`, with `all_stored` called once the last unit is stored,
    /// before the transaction's last work and its commit, so that whoever
    /// indexes them can finish meanwhile (the import may still fail then).
    pub fn import_tmx_with_end<R: BufRead + Send>(
        &mut self,
        input: R,
        tm_name: &str,
        read_only: bool,
        progress: &mut dyn FnMut(u64, usize),
        on_unit: &mut dyn FnMut(i64, String),
        all_stored: &mut dyn FnMut(),
    ) -> Result<TmImportReport, TmImportError> {
        if let Some(tm) = self.tms()?.into_iter().find(|t| t.name == tm_name) {
            if tm.read_only {
                return Err(TmImportError::ReadOnly(tm_name.to_string()));
            }
        }
        // The file is parsed on a thread of its own while this one stores.
        let (sender, receiver) = std::sync::mpsc::sync_channel::<ParsedBatch>(4);
        // A bulk import would otherwise copy the whole log into the database
        // file as it commits; `checkpoint` does that later, off the clock of
        // the import (the units are durable in the log once committed).
        self.checkpoints.set(false);
        let (stored, skipped) = std::thread::scope(|scope| {
            let parser = scope.spawn(move || parse_tmx(input, &sender));
            let stored = self.store_units(
                receiver,
                tm_name,
                read_only,
                (progress, on_unit, all_stored),
            );
            // The parser stops early only when the receiver is gone.
            (stored, parser.join().unwrap_or(0))
        });
        self.checkpoints.set(true);
        let mut report = stored?;
        report.skipped = skipped;
        Ok(report)
    }

    fn store_units(
        &mut self,
        batches: std::sync::mpsc::Receiver<ParsedBatch>,
        tm_name: &str,
        read_only: bool,
        (progress, on_unit, all_stored): StoreHooks<'_>,
    ) -> Result<TmImportReport, TmImportError> {
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT OR IGNORE INTO tms (name, read_only, created_at) VALUES (?1, 0, ?2)",
            params![tm_name, super::now_ms()],
        )?;
        let tm_id: i64 = tx.query_row("SELECT id FROM tms WHERE name = ?1", [tm_name], |r| {
            r.get(0)
        })?;
        let mut report = TmImportReport::default();
        let mut position = 0;
        // The highest id bounds the units held (deleted ones leave gaps)
        // and is one step down the table's tree, where counting reads it all.
        let held: i64 = tx.query_row("SELECT coalesce(max(id), 0) FROM tm_units", [], |r| {
            r.get(0)
        })?;
        let bulk_from = BULK_FROM.max(usize::try_from(held).unwrap_or(usize::MAX));
        // Once the pair index is dropped: the TM's pairs, checked here.
        let mut pairs: Option<FxHashSet<i64>> = None;
        {
            let mut insert = tx.prepare(
                "INSERT OR IGNORE INTO tm_units
                 (tm_id, source, target, source_markup, target_markup, note, props, author,
                  created_at, changed_at, changed_by, pair_hash)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            )?;
            for batch in batches {
                let (units, read) = batch?;
                position = read;
                for ParsedUnit {
                    unit,
                    props,
                    pair_hash,
                } in units
                {
                    if pairs.is_none() && report.added >= bulk_from {
                        pairs = Some(drop_pair_index(&tx, tm_id)?);
                    }
                    let new_pair = pairs.as_mut().is_none_or(|pairs| pairs.insert(pair_hash));
                    let n = if !new_pair {
                        0
                    } else {
                        insert.execute(params![
                            tm_id,
                            unit.source,
                            unit.target,
                            unit.source_markup,
                            unit.target_markup,
                            unit.note,
                            props,
                            unit.author,
                            unit.created,
                            // As the file has it, so export gives it back.
                            unit.changed,
                            unit.changed_by,
                            pair_hash,
                        ])?
                    };
                    if n == 1 {
                        on_unit(tx.last_insert_rowid(), unit.source);
                        report.added += 1;
                    } else {
                        report.duplicates += 1;
                    }
                    if (report.added + report.duplicates).is_multiple_of(10_000) {
                        progress(position, report.added);
                    }
                }
            }
        }
        all_stored();
        if pairs.is_some() {
            tx.execute_batch(CREATE_PAIR_INDEX)?;
        }
        if read_only {
            tx.execute("UPDATE tms SET read_only = 1 WHERE id = ?1", [tm_id])?;
        }
        tx.commit()?;
        progress(position, report.added);
        Ok(report)
    }

    /// Copies the write-ahead log into the database file: long after a bulk
    /// import, so best run on a connection of its own, while others go on
    /// reading and writing.
    pub fn checkpoint(&self) -> Result<(), StoreError> {
        self.conn
            .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))?;
        Ok(())
    }

    /// Writes the units of `tm_name` (or of every TM) as TMX 1.4b.
    pub fn export_tmx<W: Write>(&self, tm_name: Option<&str>, out: W) -> Result<usize, StoreError> {
        let mut writer = TmxWriter::new(out, "it", "en").map_err(StoreError::Io)?;
        let mut stmt = self.conn.prepare(
            "SELECT u.source, u.target, u.source_markup, u.target_markup, u.note, u.props,
                    u.author, u.created_at, u.changed_at, u.changed_by
             FROM tm_units u JOIN tms t ON t.id = u.tm_id
             WHERE ?1 IS NULL OR t.name = ?1 ORDER BY u.id",
        )?;
        let mut rows = stmt.query([tm_name])?;
        let mut n = 0;
        while let Some(r) = rows.next()? {
            let props: Option<String> = r.get(5)?;
            let unit = TmxUnit {
                tuid: None,
                source: r.get(0)?,
                target: r.get(1)?,
                source_markup: r.get(2)?,
                target_markup: r.get(3)?,
                note: r.get(4)?,
                props: props
                    .and_then(|p| serde_json::from_str(&p).ok())
                    .unwrap_or_default(),
                author: r.get(6)?,
                created: r.get(7)?,
                changed: r.get(8)?,
                changed_by: r.get(9)?,
            };
            writer.write_unit(&unit).map_err(StoreError::Io)?;
            n += 1;
        }
        writer.finish().map_err(StoreError::Io)?;
        Ok(n)
    }

    /// Whether any TM holds a unit.
    pub fn has_tm_units(&self) -> Result<bool, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT EXISTS (SELECT 1 FROM tm_units)", [], |r| r.get(0))?)
    }

    /// Changes whenever units leave the TMs (a saved index is then stale).
    pub fn tm_generation(&self) -> Result<i64, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT generation FROM tm_state", [], |r| r.get(0))?)
    }

    /// Calls `each` with the id and source of every unit with an id above
    /// `after`, for building the match index.
    pub fn for_each_tm_source(
        &self,
        after: i64,
        each: &mut dyn FnMut(i64, &str),
    ) -> Result<(), StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT id, source FROM tm_units WHERE id > ?1 ORDER BY id")?;
        let mut rows = stmt.query([after])?;
        while let Some(r) = rows.next()? {
            let source: String = r.get(1)?;
            each(r.get(0)?, &source);
        }
        Ok(())
    }

    /// One unit by id.
    pub fn tm_unit(&self, id: i64) -> Result<Option<StoredUnit>, StoreError> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT u.id, t.name, u.source, u.target, COALESCE(u.changed_at, u.created_at),
                        u.context_hash, u.created_at, u.author, u.changed_by
                 FROM tm_units u JOIN tms t ON t.id = u.tm_id WHERE u.id = ?1",
            )?
            .query_row([id], unit_from_row)
            .optional()?)
    }

    /// The context of a segment in its document: a hash of the previous and
    /// next segments' sources (empty at either end).
    pub fn segment_context(&self, doc_id: i64, segment_id: i64) -> Result<i64, StoreError> {
        let segments = self.segments(doc_id)?;
        let at = segments
            .iter()
            .position(|s| s.id == segment_id)
            .ok_or(StoreError::NoSegment {
                document: doc_id,
                segment: segment_id,
            })?;
        let previous = at
            .checked_sub(1)
            .map_or("", |i| segments[i].source.as_str());
        let next = segments.get(at + 1).map_or("", |s| s.source.as_str());
        Ok(stable_hash(&[previous, next]))
    }

    /// Writes a confirmed segment into the workspace TM: a unit with the same
    /// source and context gets the new target; otherwise a unit is added.
    /// Returns the unit's id, for the match index.
    pub fn remember(&mut self, doc_id: i64, segment_id: i64) -> Result<i64, StoreError> {
        let segment = self.segment(doc_id, segment_id)?;
        let context = self.segment_context(doc_id, segment_id)?;
        let origin: String =
            self.conn
                .query_row("SELECT name FROM documents WHERE id = ?1", [doc_id], |r| {
                    r.get(0)
                })?;
        let tm_id = self.ensure_tm(WORKSPACE_TM, false)?;
        let now = tmx_date_now();
        // There are no user accounts yet: the login name, when there is one.
        let user = std::env::var("USER").ok();
        let unit = unit_of_segment(&segment.source, &segment.target, &segment.codes);
        let (source, target) = (&unit.source, &unit.target);
        let pair_hash = stable_hash(&[source, target]);
        let tx = self.conn.transaction()?;
        let existing: Option<(i64, String)> = tx
            .query_row(
                "SELECT id, target FROM tm_units WHERE tm_id = ?1 AND context_hash = ?2 AND source = ?3",
                params![tm_id, context, source],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let same_pair: Option<i64> = tx
            .query_row(
                "SELECT id FROM tm_units WHERE tm_id = ?1 AND pair_hash = ?2",
                params![tm_id, pair_hash],
                |r| r.get(0),
            )
            .optional()?;
        let id = match (existing, same_pair) {
            (Some((id, _)), None) => {
                tx.execute(
                    "UPDATE tm_units SET target = ?1, target_markup = ?2, pair_hash = ?3,
                                         changed_at = ?4, origin = ?5, changed_by = ?6
                     WHERE id = ?7",
                    params![target, unit.target_markup, pair_hash, now, origin, user, id],
                )?;
                reindex_concordance(&tx, id)?;
                super::team::unit_written(&tx, id, true)?;
                id
            }
            // The very same pair is already remembered: refresh its date.
            (_, Some(id)) => {
                tx.execute(
                    "UPDATE tm_units SET changed_at = ?1, changed_by = ?2 WHERE id = ?3",
                    params![now, user, id],
                )?;
                super::team::unit_written(&tx, id, false)?;
                id
            }
            (None, None) => {
                tx.execute(
                    "INSERT INTO tm_units (tm_id, source, target, context_hash, origin, author,
                                           created_at, changed_at, changed_by, pair_hash,
                                           source_markup, target_markup)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, ?6, ?8, ?9, ?10)",
                    params![
                        tm_id,
                        source,
                        target,
                        context,
                        origin,
                        user,
                        now,
                        pair_hash,
                        unit.source_markup,
                        unit.target_markup
                    ],
                )?;
                let id = tx.last_insert_rowid();
                super::team::unit_written(&tx, id, true)?;
                id
            }
        };
        tx.commit()?;
        Ok(id)
    }

    /// Brings the concordance index up to date: the units changed since
    /// they were indexed, and those stored since the last search (bulk
    /// imports index their own as they go); returns how many went in.
    pub fn sync_concordance(&mut self) -> Result<usize, StoreError> {
        self.concordance()?.sync(&self.conn)
    }

    /// `sync_concordance`, then the units committed meanwhile, each time
    /// `more` (which waits for them) says there are some, until it says
    /// none will come: a bulk's filler, indexing its units in few
    /// transactions while they are stored.
    pub fn sync_concordance_while(
        &mut self,
        more: &mut dyn FnMut() -> bool,
    ) -> Result<usize, StoreError> {
        self.concordance()?.sync_while(&self.conn, more)
    }

    /// The concordance index, opened on first use.
    pub(super) fn concordance(&self) -> Result<&Concordance, StoreError> {
        if let Some(index) = self.concordance.get() {
            return Ok(index);
        }
        let uid: String = self
            .conn
            .query_row("SELECT uid FROM tm_state", [], |r| r.get(0))?;
        let index = Concordance::open(self.path.as_deref(), &uid, self.place.clone())?;
        Ok(self.concordance.get_or_init(|| index))
    }

    /// Brings the concordance index up to date and copies the write-ahead
    /// log into the database file: the slow work a bulk import leaves
    /// behind, for a connection of its own in the background.
    pub fn catch_up(&mut self) -> Result<usize, StoreError> {
        let n_synced = self.sync_concordance()?;
        self.checkpoint()?;
        Ok(n_synced)
    }

    /// Units whose source or target contains `phrase` (words, in order,
    /// ignoring case, accents and typography), newest first.
    pub fn tm_search(&mut self, phrase: &str, limit: usize) -> Result<Vec<StoredUnit>, StoreError> {
        self.sync_concordance()?;
        // Cut as the index cuts (at every apostrophe, quote, dash and space,
        // ʼ included), so "l'Onu" and "l’Onu" look for the same words.
        let words: Vec<String> = phrase
            .split(|c: char| !crate::text::fold_char(c).is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(|w| format!("\"{w}\""))
            .collect();
        if words.is_empty() {
            return Ok(Vec::new());
        }
        let query = words.join(" + ");
        let ids = self.concordance()?.search(&query, limit)?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT u.id, t.name, u.source, u.target, COALESCE(u.changed_at, u.created_at),
                        u.context_hash, u.created_at, u.author, u.changed_by
             FROM tm_units u JOIN tms t ON t.id = u.tm_id
             WHERE u.id = ?1",
        )?;
        let mut units = Vec::with_capacity(ids.len());
        for id in ids {
            units.extend(stmt.query_row([id], unit_from_row).optional()?);
        }
        Ok(units)
    }

    /// Deletes a TM and its units.
    pub fn delete_tm(&mut self, name: &str) -> Result<(), StoreError> {
        let tm_id = self
            .tm_id(name)?
            .ok_or_else(|| StoreError::InvalidEdit(format!("no translation memory `{name}`")))?;
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO concordance_stale (unit_id) SELECT id FROM tm_units WHERE tm_id = ?1",
            [tm_id],
        )?;
        tx.execute("DELETE FROM tms WHERE id = ?1", [tm_id])?;
        tx.execute("UPDATE tm_state SET generation = generation + 1", [])?;
        tx.commit()?;
        Ok(())
    }

    /// Marks a TM read-only or writable.
    pub fn set_tm_read_only(&mut self, name: &str, read_only: bool) -> Result<(), StoreError> {
        let n = self.conn.execute(
            "UPDATE tms SET read_only = ?1 WHERE name = ?2",
            params![read_only, name],
        )?;
        if n == 0 {
            return Err(StoreError::InvalidEdit(format!(
                "no translation memory `{name}`"
            )));
        }
        Ok(())
    }

    /// Sets a segment's target from a match of TM `tm`, as a draft marked
    /// with the match's score and remembered as the suggestion it started
    /// from.
    pub fn set_pretranslation(
        &mut self,
        doc_id: i64,
        segment_id: i64,
        target: &str,
        score: u32,
        tm: &str,
    ) -> Result<(), StoreError> {
        self.write_target(
            doc_id,
            segment_id,
            target,
            super::Status::Draft,
            super::Origin::Tm,
        )?;
        self.conn.execute(
            "UPDATE segments SET match_score = ?1, suggestion = ?2, origin = ?3 WHERE id = ?4",
            params![score, target, format!("tm:{tm}"), segment_id],
        )?;
        Ok(())
    }
}

/// A segment's English taken from an exact TM match without asking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExactFill {
    /// The segment.
    pub segment: i64,
    /// The match's English, with the segment's codes.
    pub target: String,
    /// 101 (context) or 100.
    pub score: u32,
    /// The TM it came from.
    pub tm: String,
}

impl Workspace {
    /// Fills segments from their exact TM matches with `status`, in one
    /// transaction, each marked with the match's score and remembered as
    /// the suggestion it started from (origin `tm:NAME`). A segment that
    /// has English or is no longer new by then is left alone; returns the
    /// fills written.
    ///
    /// This is the one place an exact match fills a segment: a segment's
    /// history records each fill here, with the TM as its origin.
    pub fn fill_from_tm(
        &mut self,
        doc_id: i64,
        fills: &[ExactFill],
        status: super::Status,
    ) -> Result<Vec<ExactFill>, StoreError> {
        let tx = self.conn.transaction()?;
        let mut written = Vec::new();
        {
            let mut update = tx.prepare(
                "UPDATE segments SET target = ?1, status = ?2, match_score = ?3, suggestion = ?1,
                        origin = ?4, edit_distance = ?8, updated_at = ?5
                 WHERE id = ?6 AND target = '' AND status = 'new'
                   AND block_id IN (SELECT id FROM blocks WHERE document_id = ?7)",
            )?;
            let now = super::now_ms();
            // Confirmed as suggested, for the effort report.
            let distance = status.is_confirmed().then_some(0);
            for fill in fills {
                let n = update.execute(params![
                    fill.target,
                    status.as_str(),
                    fill.score,
                    format!("tm:{}", fill.tm),
                    now,
                    fill.segment,
                    doc_id,
                    distance
                ])?;
                if n == 1 {
                    super::history::record(
                        &tx,
                        fill.segment,
                        &fill.target,
                        status,
                        super::Origin::Tm,
                        &self.author,
                    )?;
                    super::team_documents::segment_written(
                        &tx,
                        fill.segment,
                        &fill.target,
                        status,
                    )?;
                    written.push(fill.clone());
                }
            }
        }
        if !written.is_empty() {
            super::touch_document(&tx, doc_id)?;
        }
        tx.commit()?;
        Ok(written)
    }
}

/// A segment as a unit of the workspace TM: its codes numbered from 0 in
/// the Italian's order (ids of the unit, not of the block), and as TMX
/// inline elements whose native code is the original markup, for export.
pub fn unit_of_segment(source: &str, target: &str, segment_codes: &[SegmentCode]) -> TmxUnit {
    if !codes::has_codes(source) {
        // The store refuses an English with a code the Italian lacks.
        return TmxUnit {
            source: source.to_string(),
            target: codes::strip(target),
            ..TmxUnit::default()
        };
    }
    let numbering = codes::numbering(source);
    let local = |text: &str| -> String {
        codes::renumber(text, |mark| {
            numbering
                .iter()
                .position(|&id| id == mark.id())
                .map(|n| n as u16)
        })
    };
    let native = |mark: Mark| -> String {
        let number = usize::from(mark.id()) + 1;
        segment_codes
            .iter()
            .find(|c| c.number == number)
            .map(|c| match mark {
                Mark::Close(_) => c.code.close.clone(),
                Mark::Open(_) | Mark::Standalone(_) => c.code.open.clone(),
            })
            .unwrap_or_default()
    };
    let (source, target) = (local(source), local(target));
    TmxUnit {
        source_markup: Some(tmx::inline_xml(&source, native)),
        target_markup: codes::has_codes(&target).then(|| tmx::inline_xml(&target, native)),
        source,
        target,
        ..TmxUnit::default()
    }
}

/// Notes that a unit's text changed, for the concordance index to take
/// its new text before the next search; in the transaction of the change.
pub(super) fn reindex_concordance(
    tx: &rusqlite::Transaction<'_>,
    id: i64,
) -> Result<(), StoreError> {
    tx.execute("INSERT INTO concordance_stale (unit_id) VALUES (?1)", [id])?;
    Ok(())
}

/// Migration 15: units read from TMX by earlier versions hold their codes as
/// `⟨1⟩` text; their kept inline XML is read again into code marks. A unit
/// that then equals another of its TM is dropped.
pub(super) fn codes_from_markup(tx: &rusqlite::Transaction<'_>) -> Result<(), StoreError> {
    type Row = (i64, String, String, Option<String>, Option<String>);
    let mut dropped = false;
    let mut after = 0;
    loop {
        // In batches, so a large memory never sits in memory whole.
        let units: Vec<Row> = tx
            .prepare(
                "SELECT id, source, target, source_markup, target_markup FROM tm_units
                 WHERE id > ?1 AND (source_markup IS NOT NULL OR target_markup IS NOT NULL)
                 ORDER BY id LIMIT 10000",
            )?
            .query_map([after], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })?
            .collect::<Result<_, _>>()?;
        let Some(&(last, ..)) = units.last() else {
            break;
        };
        after = last;
        for (id, source, target, source_markup, target_markup) in units {
            let escaped = |text: &str| quick_xml::escape::escape(text).into_owned();
            let source_xml = source_markup.unwrap_or_else(|| escaped(&source));
            let target_xml = target_markup.unwrap_or_else(|| escaped(&target));
            let Ok(Some((source, target))) = tmx::read_segs(&source_xml, &target_xml) else {
                continue;
            };
            let changed = tx.execute(
                "UPDATE OR IGNORE tm_units SET source = ?1, target = ?2, pair_hash = ?3 WHERE id = ?4",
                params![source, target, stable_hash(&[&source, &target]), id],
            )?;
            if changed == 0 {
                tx.execute("DELETE FROM tm_units WHERE id = ?1", [id])?;
                dropped = true;
            }
        }
    }
    if dropped {
        tx.execute("UPDATE tm_state SET generation = generation + 1", [])?;
    }
    Ok(())
}

fn unit_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<StoredUnit> {
    Ok(StoredUnit {
        id: r.get(0)?,
        tm: r.get(1)?,
        source: r.get(2)?,
        target: r.get(3)?,
        changed_at: r.get(4)?,
        context: r.get(5)?,
        created_at: r.get(6)?,
        created_by: r.get(7)?,
        changed_by: r.get(8)?,
    })
}

/// Now as a TMX basic ISO date: 20261123T224500Z.
pub(super) fn tmx_date_now() -> String {
    crate::text::dates::Utc::now().tmx()
}

/// What `store_units` tells as it goes: the bytes read and units stored so
/// far, each unit added, and the end of the units.
type StoreHooks<'a> = (
    &'a mut dyn FnMut(u64, usize),
    &'a mut dyn FnMut(i64, String),
    &'a mut dyn FnMut(),
);

/// Units an import adds with the pair index in place, before it may drop it
/// (when it has added at least as many as the workspace held before): a
/// small import into a large workspace never rebuilds the index. (Three in
/// the tests, so that theirs take both ways.)
const BULK_FROM: usize = if cfg!(test) { 3 } else { 50_000 };

/// Builds the index that keeps one unit per pair and TM (as migration v24).
const CREATE_PAIR_INDEX: &str =
    "CREATE UNIQUE INDEX tm_units_by_pair ON tm_units (tm_id, pair_hash)";

/// Drops the pair index inside an import's transaction, so that its units
/// go in without a look-up at a random place each, and returns the pairs
/// TM `tm_id` holds, to check the rest of the import against in memory;
/// `CREATE_PAIR_INDEX` builds it again, by sorting, before the commit.
/// Other connections see the index throughout: the change is the
/// transaction's.
fn drop_pair_index(
    tx: &rusqlite::Transaction<'_>,
    tm_id: i64,
) -> Result<FxHashSet<i64>, StoreError> {
    let pairs = tx
        .prepare("SELECT pair_hash FROM tm_units WHERE tm_id = ?1")?
        .query_map([tm_id], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    tx.execute_batch("DROP INDEX tm_units_by_pair")?;
    Ok(pairs)
}

/// A unit read from a TMX file, with what storing it needs besides; worked
/// out on the parsing thread, which has time to spare.
struct ParsedUnit {
    unit: TmxUnit,
    /// The unit's properties as JSON, if it has any.
    props: Option<String>,
    /// `stable_hash` of source and target.
    pair_hash: i64,
}

impl From<TmxUnit> for ParsedUnit {
    fn from(unit: TmxUnit) -> Self {
        ParsedUnit {
            props: (!unit.props.is_empty())
                .then(|| serde_json::to_string(&unit.props).unwrap_or_default()),
            pair_hash: stable_hash(&[&unit.source, &unit.target]),
            unit,
        }
    }
}

/// Parsed units with the bytes read so far, or the error that ended parsing.
type ParsedBatch = Result<(Vec<ParsedUnit>, u64), TmxError>;

/// Reads a TMX stream into batches of units; returns the units skipped.
fn parse_tmx<R: BufRead>(input: R, out: &std::sync::mpsc::SyncSender<ParsedBatch>) -> usize {
    const BATCH: usize = 1024;
    let input = match crate::formats::tmx::utf8_stream(input) {
        Ok(input) => input,
        Err(e) => {
            let _ = out.send(Err(TmxError::Io(e)));
            return 0;
        }
    };
    let mut reader = TmxReader::new(input, "it", "en");
    let mut batch = Vec::with_capacity(BATCH);
    loop {
        match reader.next_unit() {
            Ok(Some(unit)) => {
                batch.push(ParsedUnit::from(unit));
                if batch.len() == BATCH {
                    let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
                    if out.send(Ok((full, reader.position()))).is_err() {
                        break;
                    }
                }
            }
            Ok(None) => {
                let _ = out.send(Ok((batch, reader.position())));
                break;
            }
            Err(e) => {
                let _ = out.send(Err(e));
                break;
            }
        }
    }
    reader.skipped
}
