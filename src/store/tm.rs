//! Translation memories in the workspace: TMs, their units, TMX import and
//! export. Matching itself lives in `crate::tm`; this is storage only.

use std::io::{BufRead, Write};

use rusqlite::{params, OptionalExtension};

use super::{StoreError, Workspace};
use crate::tm::tmx::{TmxError, TmxReader, TmxUnit, TmxWriter};

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

/// A stored unit, as the matcher needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredUnit {
    /// Unit id.
    pub id: i64,
    /// Name of its TM.
    pub tm: String,
    /// Source text.
    pub source: String,
    /// Target text.
    pub target: String,
    /// Last change (TMX basic ISO date), if known.
    pub changed_at: Option<String>,
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
        self.conn.execute(
            "INSERT INTO tms (name, read_only, created_at) VALUES (?1, ?2, ?3)",
            params![name, read_only, super::now_ms()],
        )?;
        Ok(self.conn.last_insert_rowid())
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
    /// `progress` is called with the bytes read and units stored so far.
    pub fn import_tmx<R: BufRead>(
        &mut self,
        input: R,
        tm_name: &str,
        read_only: bool,
        progress: &mut dyn FnMut(u64, usize),
    ) -> Result<TmImportReport, TmImportError> {
        if let Some(tm) = self.tms()?.into_iter().find(|t| t.name == tm_name) {
            if tm.read_only {
                return Err(TmImportError::ReadOnly(tm_name.to_string()));
            }
        }
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT OR IGNORE INTO tms (name, read_only, created_at) VALUES (?1, 0, ?2)",
            params![tm_name, super::now_ms()],
        )?;
        let tm_id: i64 = tx.query_row("SELECT id FROM tms WHERE name = ?1", [tm_name], |r| {
            r.get(0)
        })?;
        let mut report = TmImportReport::default();
        let mut reader = TmxReader::new(input, "it", "en");
        {
            let mut insert = tx.prepare(
                "INSERT OR IGNORE INTO tm_units
                 (tm_id, source, target, source_markup, target_markup, note, props, author,
                  created_at, changed_at, pair_hash)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            )?;
            while let Some(unit) = reader.next_unit()? {
                let props = (!unit.props.is_empty())
                    .then(|| serde_json::to_string(&unit.props).unwrap_or_default());
                let n = insert.execute(params![
                    tm_id,
                    unit.source,
                    unit.target,
                    unit.source_markup,
                    unit.target_markup,
                    unit.note,
                    props,
                    unit.author,
                    unit.created,
                    unit.changed.as_ref().or(unit.created.as_ref()),
                    stable_hash(&[&unit.source, &unit.target]),
                ])?;
                if n == 1 {
                    report.added += 1;
                } else {
                    report.duplicates += 1;
                }
                if (report.added + report.duplicates) % 10_000 == 0 {
                    progress(reader.position(), report.added);
                }
            }
        }
        report.skipped = reader.skipped;
        if read_only {
            tx.execute("UPDATE tms SET read_only = 1 WHERE id = ?1", [tm_id])?;
        }
        tx.commit()?;
        progress(reader.position(), report.added);
        Ok(report)
    }

    /// Writes the units of `tm_name` (or of every TM) as TMX 1.4b.
    pub fn export_tmx<W: Write>(&self, tm_name: Option<&str>, out: W) -> Result<usize, StoreError> {
        let mut writer = TmxWriter::new(out, "it", "en").map_err(StoreError::Io)?;
        let mut stmt = self.conn.prepare(
            "SELECT u.source, u.target, u.source_markup, u.target_markup, u.note, u.props,
                    u.author, u.created_at, u.changed_at
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
            };
            writer.write_unit(&unit).map_err(StoreError::Io)?;
            n += 1;
        }
        writer.finish().map_err(StoreError::Io)?;
        Ok(n)
    }

    /// Calls `each` with the id and source of every unit, for building the
    /// match index.
    pub fn for_each_tm_source(&self, each: &mut dyn FnMut(i64, &str)) -> Result<(), StoreError> {
        let mut stmt = self.conn.prepare("SELECT id, source FROM tm_units")?;
        let mut rows = stmt.query([])?;
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
                "SELECT u.id, t.name, u.source, u.target, u.changed_at
                 FROM tm_units u JOIN tms t ON t.id = u.tm_id WHERE u.id = ?1",
            )?
            .query_row([id], |r| {
                Ok(StoredUnit {
                    id: r.get(0)?,
                    tm: r.get(1)?,
                    source: r.get(2)?,
                    target: r.get(3)?,
                    changed_at: r.get(4)?,
                })
            })
            .optional()?)
    }
}
