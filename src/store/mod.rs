//! The workspace: one SQLite file holding documents, their blocks and
//! segments, and the user's segmentation exceptions.
//!
//! Everything that touches SQL lives behind [`Workspace`], so that a shared
//! server backend can later stand in for parts of it.

pub mod backup;
pub mod concordance;
pub mod glossary;
pub mod history;
pub mod mt;
pub mod news;
mod place;
mod qa;
mod schema;
pub mod settings;
mod sources;
mod spelling;
pub mod team;
pub mod team_conflicts;
pub mod team_documents;
pub mod tm;
mod tm_upkeep;

pub use history::{Origin, Version};
pub use place::workspace_files;
pub use sources::SourceFile;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use rusqlite::{params, Connection, OptionalExtension, Transaction};

use crate::document::{
    segment_codes, BlockKind, Document, InlineCode, SegmentCode, SourceFormat, Translatable,
};
// The workflow status is part of the document model, so that file formats
// below the store can carry it; it is still named here, where it is kept.
pub use crate::document::Status;
use crate::segment::{trailing_abbreviation, Segmenter};
use crate::text::{codes, count};

/// Errors of the workspace store.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// SQLite reported an error.
    #[error("database error: {0}")]
    Sqlite(rusqlite::Error),
    /// Another program held the workspace for longer than the wait allows.
    #[error("the workspace is busy: another Interlinea (the app or a command) has been writing to it for over 5 seconds; try again when it is done")]
    Busy,
    /// The directory for the database could not be created.
    #[error("cannot create {path}: {source}")]
    CreateDir {
        /// The directory.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// The file was written by a newer version of Interlinea.
    #[error("{path} was written by a newer version of Interlinea (schema {found}; this version understands up to {supported}); it was left untouched")]
    NewerSchema {
        /// The database file.
        path: PathBuf,
        /// Its schema version.
        found: i64,
        /// The newest schema this build knows.
        supported: i64,
    },
    /// The file is a database, but not an Interlinea workspace.
    #[error("{path} is not an Interlinea workspace; it was left untouched")]
    Foreign {
        /// The database file.
        path: PathBuf,
    },
    /// The file is not a database at all.
    #[error("{path} is not a SQLite database")]
    NotADatabase {
        /// The file.
        path: PathBuf,
    },
    /// The workspace file is damaged.
    #[error("{path} is damaged ({detail}); {}", restore_hint(.latest_backup.as_deref()))]
    Damaged {
        /// The workspace file.
        path: PathBuf,
        /// What SQLite said.
        detail: String,
        /// The newest backup that passes the integrity check, if any.
        latest_backup: Option<PathBuf>,
    },
    /// No document with this id.
    #[error("no document with id {0}")]
    NoDocument(i64),
    /// No segment with this id in the document.
    #[error("document {document} has no segment {segment}")]
    NoSegment {
        /// The document id.
        document: i64,
        /// The segment id.
        segment: i64,
    },
    /// No block at this position in the document.
    #[error("document {document} has no block {block}")]
    NoBlock {
        /// The document id.
        document: i64,
        /// The block position.
        block: i64,
    },
    /// A split or merge that cannot be done.
    #[error("{0}")]
    InvalidEdit(String),
    /// No machine-translation provider with this name.
    #[error("no machine-translation provider named `{0}`; `interlinea mt providers` lists them")]
    NoProvider(String),
    /// Writing an export failed.
    #[error("cannot write: {0}")]
    Io(std::io::Error),
    /// The workspace file or its log was deleted or replaced by another
    /// program while open: what is written now would not reach the file.
    #[error("Interlinea has stopped saving: another program deleted or replaced the workspace file or its log while it was open, so nothing written now would reach the file. Copy any text marked unsaved, then close Interlinea and open it again; everything saved before is in the workspace")]
    Replaced,
}

fn restore_hint(backup: Option<&Path>) -> String {
    match backup {
        Some(b) => format!(
            "the latest good backup is {}: `interlinea restore {}` puts it back",
            b.display(),
            b.display()
        ),
        None => "no good backup was found".into(),
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        if place::took_log_gone() {
            return StoreError::Replaced;
        }
        match e.sqlite_error() {
            Some(ffi) if ffi.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_COMMITHOOK => {
                StoreError::Replaced
            }
            Some(ffi)
                if matches!(
                    ffi.code,
                    rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked
                ) =>
            {
                StoreError::Busy
            }
            _ => StoreError::Sqlite(e),
        }
    }
}

/// A document as listed in the workspace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentSummary {
    /// Document id.
    pub id: i64,
    /// Display name.
    pub name: String,
    /// Source format.
    pub format: SourceFormat,
    /// Creation time, milliseconds since the Unix epoch.
    pub created_at: i64,
    /// Translatable segments.
    pub n_segments: usize,
    /// Confirmed (translated or approved) translatable segments.
    pub n_confirmed: usize,
    /// Words in translatable segments.
    pub n_words: usize,
    /// Words in confirmed translatable segments.
    pub n_confirmed_words: usize,
}

impl DocumentSummary {
    /// Share of words confirmed, 0 to 100.
    pub fn progress_percent(&self) -> u32 {
        (self.n_confirmed_words * 100)
            .checked_div(self.n_words)
            .unwrap_or(0) as u32
    }
}

/// One segment with its place in the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SegmentRow {
    /// Segment id, stable across splits and merges of other segments.
    pub id: i64,
    /// Position of the block in the document, from 0.
    pub block: i64,
    /// Position of the segment in its block, from 0.
    pub index: i64,
    /// Italian text.
    pub source: String,
    /// English text, empty until written.
    pub target: String,
    /// Workflow status.
    pub status: Status,
    /// Whether the segment's block is to be translated.
    pub translatable: Translatable,
    /// Score of the TM match it was pre-translated from, if it was.
    pub match_score: Option<u32>,
    /// A note on the segment (a reviewer's comment), if any.
    pub note: Option<String>,
    /// Its inline codes, numbered in the Italian's order.
    pub codes: Vec<SegmentCode>,
}

/// One block with its segments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockRow {
    /// Position of the block in the document, from 0.
    pub position: i64,
    /// Paragraph, heading, …
    pub kind: BlockKind,
    /// Whether it is translated.
    pub translatable: Translatable,
    /// What the inline codes of its segments stand for, by code id.
    pub codes: Vec<InlineCode>,
    /// The segments, in order.
    pub segments: Vec<SegmentRow>,
}

/// What a merge did, and what it suggests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MergeOutcome {
    /// The merged segment.
    pub segment: SegmentRow,
    /// When the merge undid a break after what looks like an abbreviation:
    /// that abbreviation, to offer as a segmentation exception.
    pub suggested_exception: Option<String>,
}

/// A block whose segments were cut elsewhere (another CAT tool's XLIFF).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SegmentedBlock {
    /// Paragraph, heading, …
    pub kind: BlockKind,
    /// Whether it is translated.
    pub translatable: Translatable,
    /// The block's whole text.
    pub text: String,
    /// What the inline codes of its segments stand for, by code id.
    pub codes: Vec<InlineCode>,
    /// The segments, in order.
    pub segments: Vec<NewSegment>,
}

/// A segment as another tool gave it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSegment {
    /// Italian text.
    pub source: String,
    /// English text, empty when there is none.
    pub target: String,
    /// Workflow status.
    pub status: Status,
    /// A note, if any.
    pub note: Option<String>,
}

/// The new state of one segment after a review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SegmentUpdate {
    /// Segment id.
    pub id: i64,
    /// English text.
    pub target: String,
    /// Workflow status.
    pub status: Status,
    /// The note; `None` removes it.
    pub note: Option<String>,
}

/// An open workspace database.
pub struct Workspace {
    conn: Connection,
    /// The database file; `None` in memory.
    path: Option<PathBuf>,
    /// Whether commits copy the log into the database as they go.
    checkpoints: place::Checkpoints,
    /// The workspace file and its log as opened, if on disk.
    place: Option<Arc<place::Place>>,
    /// Who saves new versions of segments (the OS user unless set).
    author: String,
    /// The concordance index, opened on first use.
    concordance: std::cell::OnceCell<concordance::Concordance>,
}

/// The default workspace file, in the OS data directory.
pub fn default_path() -> PathBuf {
    dirs::data_dir()
        .unwrap_or_else(std::env::temp_dir)
        .join("interlinea")
        .join("workspace.sqlite")
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

/// Words as GMX-V 2.0 counts them: the spans between Unicode (UAX #29)
/// word boundaries that hold a letter or a digit. "Mosca-Pyongyang" is two
/// words, "l’asse" and "1.234,5" one each; punctuation is none.
pub fn count_words(text: &str) -> usize {
    use unicode_segmentation::UnicodeSegmentation;
    text.unicode_words().count()
}

impl Workspace {
    /// Opens (creating if needed) the workspace at `path` and brings its
    /// schema up to date. Files from a newer version, or that are not
    /// workspaces, are refused before anything is written to them.
    pub fn open(path: &Path) -> Result<Workspace, StoreError> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|source| StoreError::CreateDir {
                path: parent.to_path_buf(),
                source,
            })?;
        }
        let conn = Connection::open(path)?;
        Self::init(conn, path)
    }

    /// A private workspace in memory, for tests and one-off conversions.
    pub fn open_in_memory() -> Result<Workspace, StoreError> {
        Self::init(Connection::open_in_memory()?, Path::new(":memory:"))
    }

    fn init(mut conn: Connection, path: &Path) -> Result<Workspace, StoreError> {
        // A file that was a workspace and no longer reads is damaged; one
        // that never was one is not a database.
        let was_workspace = path != Path::new(":memory:") && !backup::list(path).is_empty();
        let not_a_database = |e: rusqlite::Error| match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::NotADatabase | rusqlite::ErrorCode::DatabaseCorrupt)
                if was_workspace =>
            {
                StoreError::Damaged {
                    path: path.to_path_buf(),
                    detail: e.to_string(),
                    latest_backup: backup::latest_good(path),
                }
            }
            Some(rusqlite::ErrorCode::NotADatabase) => StoreError::NotADatabase {
                path: path.to_path_buf(),
            },
            _ => StoreError::Sqlite(e),
        };
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        // Another connection may write too (the catch-up after an import):
        // a transaction that read first could then not start writing, so
        // every transaction takes the write lock when it begins.
        conn.set_transaction_behavior(rusqlite::TransactionBehavior::Immediate);
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(not_a_database)?;
        let application_id: i64 = conn.query_row("PRAGMA application_id", [], |r| r.get(0))?;
        let n_tables: i64 = conn.query_row(
            "SELECT count(*) FROM sqlite_schema WHERE type = 'table'",
            [],
            |r| r.get(0),
        )?;
        let supported = schema::MIGRATIONS.len() as i64;
        if application_id != schema::APPLICATION_ID && (application_id != 0 || n_tables > 0) {
            return Err(StoreError::Foreign {
                path: path.to_path_buf(),
            });
        }
        if version > supported {
            return Err(StoreError::NewerSchema {
                path: path.to_path_buf(),
                found: version,
                supported,
            });
        }
        if n_tables == 0 {
            // Larger pages suit the long rows of translation memories; the
            // size can only be chosen before the first table exists.
            conn.pragma_update(None, "page_size", 16_384)?;
        }
        conn.pragma_update(None, "journal_mode", "WAL")?;
        // FULL: a confirmed segment survives even a power cut, not only a crash.
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", true)?;
        // 64 MiB of page cache: bulk TM imports insert into indexes at random
        // places, which the default 2 MiB turns into disk traffic.
        conn.pragma_update(None, "cache_size", -65_536)?;
        let path = (path != Path::new(":memory:")).then(|| path.to_path_buf());
        // A workspace about to change shape is copied first.
        if let Some(path) = &path {
            if n_tables > 0 && version < supported {
                backup::rolling(&conn, path)?;
            }
        }
        // Reading opens the log, so that it can be noted with the file.
        conn.query_row("SELECT count(*) FROM sqlite_schema", [], |_| Ok(()))?;
        let place = path.as_deref().and_then(place::Place::of).map(Arc::new);
        let checkpoints = place::guard(&mut conn, place.clone())?;
        let mut ws = Workspace {
            conn,
            path,
            checkpoints,
            place,
            author: history::os_user(),
            concordance: std::cell::OnceCell::new(),
        };
        ws.migrate(version)?;
        let author = ws.settings()?.author;
        ws.set_author(&author);
        ws.add_starter_glossary()?;
        Ok(ws)
    }

    fn migrate(&mut self, from: i64) -> Result<(), StoreError> {
        if from as usize >= schema::MIGRATIONS.len() {
            return Ok(());
        }
        // A migration may rebuild a table that others refer to (SQLite's
        // procedure for what ALTER TABLE cannot do): with foreign keys on,
        // dropping the old table would delete what refers to its rows.
        // They are checked instead before each migration commits (only
        // that it broke none: a workspace is never refused for rows an
        // older version left behind).
        self.conn.pragma_update(None, "foreign_keys", false)?;
        let migrated = self.apply_migrations(from);
        self.conn.pragma_update(None, "foreign_keys", true)?;
        migrated
    }

    fn apply_migrations(&mut self, from: i64) -> Result<(), StoreError> {
        for (idx, sql) in schema::MIGRATIONS.iter().enumerate().skip(from as usize) {
            let tx = self.conn.transaction()?;
            let broken_before = broken_references(&tx)?;
            tx.execute_batch(sql)?;
            schema::migrate_data(idx + 1, &tx)?;
            if broken_references(&tx)? > broken_before {
                return Err(StoreError::Sqlite(rusqlite::Error::SqliteFailure(
                    rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CONSTRAINT_FOREIGNKEY),
                    Some(format!("migration {} broke a foreign key", idx + 1)),
                )));
            }
            tx.pragma_update(None, "application_id", schema::APPLICATION_ID)?;
            tx.pragma_update(None, "user_version", idx as i64 + 1)?;
            tx.commit()?;
        }
        Ok(())
    }

    /// The workspace's file; `None` in memory.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Whether `path` is this workspace's file or one SQLite keeps beside
    /// it (which must never be imported, exported over or opened otherwise).
    pub fn is_own_file(&self, path: &Path) -> bool {
        self.path
            .as_deref()
            .is_some_and(|db| place::is_workspace_file(db, path))
    }

    /// Where the TM match index of this workspace is saved between runs.
    pub fn tm_index_path(&self) -> Option<PathBuf> {
        self.path.as_ref().map(|p| {
            let mut name = p.as_os_str().to_os_string();
            name.push("-tmindex");
            PathBuf::from(name)
        })
    }

    /// The schema version of the open file.
    pub fn schema_version(&self) -> Result<i64, StoreError> {
        Ok(self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }

    /// Stores `doc` segmented by `segmenter`, all or nothing; returns its id.
    pub fn add_document(
        &mut self,
        name: &str,
        source_path: Option<&str>,
        doc: &Document,
        segmenter: &Segmenter,
    ) -> Result<i64, StoreError> {
        let blocks = segment_blocks(doc, segmenter);
        self.add_segmented_document(name, source_path, doc.format, &blocks)
    }

    /// Stores a document whose segments are already cut, with their
    /// targets, all or nothing; returns its id.
    pub fn add_segmented_document(
        &mut self,
        name: &str,
        source_path: Option<&str>,
        format: SourceFormat,
        blocks: &[SegmentedBlock],
    ) -> Result<i64, StoreError> {
        let tx = self.conn.transaction()?;
        let doc_id = insert_document(&tx, name, source_path, format, blocks, &self.author)?;
        tx.commit()?;
        Ok(doc_id)
    }

    /// Writes the targets, statuses and notes of a review, all or nothing.
    pub fn apply_review(
        &mut self,
        doc_id: i64,
        updates: &[SegmentUpdate],
    ) -> Result<(), StoreError> {
        self.require_document(doc_id)?;
        let now = now_ms();
        let tx = self.conn.transaction()?;
        {
            let mut update = tx.prepare(
                "UPDATE segments SET note = ?1, updated_at = ?2
                 WHERE id = ?3 AND block_id IN (SELECT id FROM blocks WHERE document_id = ?4)",
            )?;
            for u in updates {
                let n = update.execute(params![u.note, now, u.id, doc_id])?;
                if n == 0 {
                    return Err(StoreError::NoSegment {
                        document: doc_id,
                        segment: u.id,
                    });
                }
                history::write_target(
                    &tx,
                    u.id,
                    &u.target,
                    u.status,
                    Origin::Review,
                    &self.author,
                )?;
            }
        }
        touch_document(&tx, doc_id)?;
        tx.commit()?;
        Ok(())
    }

    /// Sets or removes (`None`) a segment's note.
    pub fn set_note(
        &mut self,
        doc_id: i64,
        segment_id: i64,
        note: Option<&str>,
    ) -> Result<SegmentRow, StoreError> {
        self.segment(doc_id, segment_id)?;
        self.conn.execute(
            "UPDATE segments SET note = ?1, updated_at = ?2 WHERE id = ?3",
            params![note, now_ms(), segment_id],
        )?;
        self.segment(doc_id, segment_id)
    }

    /// All documents, oldest first, with their counts.
    pub fn documents(&self) -> Result<Vec<DocumentSummary>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT d.id, d.name, d.format, d.created_at, s.source, s.status, b.translatable
             FROM documents d
             LEFT JOIN blocks b ON b.document_id = d.id
             LEFT JOIN segments s ON s.block_id = b.id
             ORDER BY d.id",
        )?;
        let mut rows = stmt.query([])?;
        let mut out: Vec<DocumentSummary> = Vec::new();
        while let Some(row) = rows.next()? {
            let id: i64 = row.get(0)?;
            if out.last().map(|d| d.id) != Some(id) {
                let format: String = row.get(2)?;
                out.push(DocumentSummary {
                    id,
                    name: row.get(1)?,
                    format: format.parse().unwrap_or(SourceFormat::Text),
                    created_at: row.get(3)?,
                    n_segments: 0,
                    n_confirmed: 0,
                    n_words: 0,
                    n_confirmed_words: 0,
                });
            }
            let summary = out.last_mut().expect("pushed above");
            let source: Option<String> = row.get(4)?;
            let status: Option<String> = row.get(5)?;
            let translatable: Option<String> = row.get(6)?;
            let (Some(source), Some(status)) = (source, status) else {
                continue;
            };
            if translatable.as_deref() != Some(Translatable::Yes.as_str()) {
                continue;
            }
            let n_words = count_words(&source);
            summary.n_segments += 1;
            summary.n_words += n_words;
            if Status::from_name(&status).is_some_and(Status::is_confirmed) {
                summary.n_confirmed += 1;
                summary.n_confirmed_words += n_words;
            }
        }
        Ok(out)
    }

    /// One document's summary.
    pub fn document(&self, doc_id: i64) -> Result<DocumentSummary, StoreError> {
        self.documents()?
            .into_iter()
            .find(|d| d.id == doc_id)
            .ok_or(StoreError::NoDocument(doc_id))
    }

    /// Deletes a document with its blocks and segments.
    pub fn delete_document(&mut self, doc_id: i64) -> Result<(), StoreError> {
        let n = self
            .conn
            .execute("DELETE FROM documents WHERE id = ?1", [doc_id])?;
        if n == 0 {
            return Err(StoreError::NoDocument(doc_id));
        }
        Ok(())
    }

    fn require_document(&self, doc_id: i64) -> Result<(), StoreError> {
        let exists: Option<i64> = self
            .conn
            .query_row("SELECT id FROM documents WHERE id = ?1", [doc_id], |r| {
                r.get(0)
            })
            .optional()?;
        exists.map(|_| ()).ok_or(StoreError::NoDocument(doc_id))
    }

    /// The document's segments in reading order.
    pub fn segments(&self, doc_id: i64) -> Result<Vec<SegmentRow>, StoreError> {
        self.require_document(doc_id)?;
        let mut stmt = self.conn.prepare(
            "SELECT s.id, b.position, s.position, s.source, s.target, s.status, b.translatable, s.match_score, s.note, b.codes
             FROM segments s JOIN blocks b ON b.id = s.block_id
             WHERE b.document_id = ?1
             ORDER BY b.position, s.position",
        )?;
        let rows = stmt.query_map([doc_id], segment_from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The document's blocks, each with its segments.
    pub fn blocks(&self, doc_id: i64) -> Result<Vec<BlockRow>, StoreError> {
        let segments = self.segments(doc_id)?;
        let mut stmt = self.conn.prepare(
            "SELECT position, kind, translatable, codes FROM blocks WHERE document_id = ?1 ORDER BY position",
        )?;
        let mut blocks: Vec<BlockRow> = stmt
            .query_map([doc_id], |row| {
                let kind: String = row.get(1)?;
                let translatable: String = row.get(2)?;
                let codes: String = row.get(3)?;
                Ok(BlockRow {
                    position: row.get(0)?,
                    kind: BlockKind::from_code(&kind).unwrap_or(BlockKind::Paragraph),
                    translatable: Translatable::from_name(&translatable)
                        .unwrap_or(Translatable::Yes),
                    codes: codes_from_column(&codes),
                    segments: Vec::new(),
                })
            })?
            .collect::<Result<_, _>>()?;
        for segment in segments {
            if let Some(block) = blocks.get_mut(segment.block as usize) {
                block.segments.push(segment);
            }
        }
        Ok(blocks)
    }

    /// What the inline codes of the block at `position` stand for.
    pub fn block_codes(&self, doc_id: i64, position: i64) -> Result<Vec<InlineCode>, StoreError> {
        let codes: String = self
            .conn
            .query_row(
                "SELECT codes FROM blocks WHERE document_id = ?1 AND position = ?2",
                [doc_id, position],
                |r| r.get(0),
            )
            .optional()?
            .ok_or(StoreError::NoBlock {
                document: doc_id,
                block: position,
            })?;
        Ok(codes_from_column(&codes))
    }

    /// One segment of a document.
    pub fn segment(&self, doc_id: i64, segment_id: i64) -> Result<SegmentRow, StoreError> {
        self.conn
            .query_row(
                "SELECT s.id, b.position, s.position, s.source, s.target, s.status, b.translatable, s.match_score, s.note, b.codes
                 FROM segments s JOIN blocks b ON b.id = s.block_id
                 WHERE b.document_id = ?1 AND s.id = ?2",
                [doc_id, segment_id],
                segment_from_row,
            )
            .optional()?
            .ok_or(StoreError::NoSegment {
                document: doc_id,
                segment: segment_id,
            })
    }

    /// Writes a segment's target and status as typed by the translator;
    /// returns the updated segment (see `write_target`).
    pub fn set_target(
        &mut self,
        doc_id: i64,
        segment_id: i64,
        target: &str,
        status: Status,
    ) -> Result<SegmentRow, StoreError> {
        self.write_target(doc_id, segment_id, target, status, Origin::Typed)
    }

    /// Marks a block as translatable or not.
    pub fn set_block_translatable(
        &mut self,
        doc_id: i64,
        block: i64,
        translatable: bool,
    ) -> Result<(), StoreError> {
        self.require_document(doc_id)?;
        let value = if translatable {
            Translatable::Yes
        } else {
            Translatable::Excluded
        };
        let n = self.conn.execute(
            "UPDATE blocks SET translatable = ?1 WHERE document_id = ?2 AND position = ?3",
            params![value.as_str(), doc_id, block],
        )?;
        if n == 0 {
            return Err(StoreError::NoBlock {
                document: doc_id,
                block,
            });
        }
        Ok(())
    }

    /// Splits a segment in two at character `char_pos` of its source. The
    /// first part keeps the id and the target (now a draft); the second is new.
    /// Returns the two segments.
    pub fn split_segment(
        &mut self,
        doc_id: i64,
        segment_id: i64,
        char_pos: usize,
    ) -> Result<(SegmentRow, SegmentRow), StoreError> {
        let segment = self.segment(doc_id, segment_id)?;
        team_documents::refuse_recut(&self.conn, doc_id)?;
        let byte_pos = segment
            .source
            .char_indices()
            .nth(char_pos)
            .map(|(i, _)| i)
            .ok_or_else(|| {
                StoreError::InvalidEdit(format!(
                    "cannot split segment {segment_id} at {char_pos}: it has {}",
                    count(segment.source.chars().count(), "character", "characters")
                ))
            })?;
        let (head, tail) = segment.source.split_at(byte_pos);
        let (head, tail) = (head.trim(), tail.trim());
        if head.is_empty() || tail.is_empty() {
            return Err(StoreError::InvalidEdit(format!(
                "cannot split segment {segment_id} at {char_pos}: both parts must hold text"
            )));
        }
        let now = now_ms();
        let head_status = if segment.target.is_empty() {
            Status::New
        } else {
            Status::Draft
        };
        let tx = self.conn.transaction()?;
        let block_id = block_of(&tx, segment_id)?;
        shift_positions(&tx, block_id, segment.index + 1, 1)?;
        tx.execute(
            "UPDATE segments SET source = ?1 WHERE id = ?2",
            params![head, segment_id],
        )?;
        history::write_target(
            &tx,
            segment_id,
            &segment.target,
            head_status,
            Origin::Split,
            &self.author,
        )?;
        tx.execute(
            "INSERT INTO segments (block_id, position, source, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?4)",
            params![block_id, segment.index + 1, tail, now],
        )?;
        let new_id = tx.last_insert_rowid();
        touch_document(&tx, doc_id)?;
        tx.commit()?;
        Ok((
            self.segment(doc_id, segment_id)?,
            self.segment(doc_id, new_id)?,
        ))
    }

    /// Merges a segment with the next one of the same block. Sources and
    /// targets are joined with a space; the result is a draft if it has a
    /// target.
    pub fn merge_with_next(
        &mut self,
        doc_id: i64,
        segment_id: i64,
    ) -> Result<MergeOutcome, StoreError> {
        let segment = self.segment(doc_id, segment_id)?;
        team_documents::refuse_recut(&self.conn, doc_id)?;
        let tx = self.conn.transaction()?;
        let block_id = block_of(&tx, segment_id)?;
        let next: Option<(i64, String, String)> = tx
            .query_row(
                "SELECT id, source, target FROM segments WHERE block_id = ?1 AND position = ?2",
                [block_id, segment.index + 1],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        let Some((next_id, next_source, next_target)) = next else {
            return Err(StoreError::InvalidEdit(format!(
                "segment {segment_id} is the last of its block: segments never cross blocks"
            )));
        };
        let source = format!("{} {}", segment.source, next_source);
        let target = [segment.target.as_str(), next_target.as_str()]
            .iter()
            .filter(|t| !t.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" ");
        let status = if target.is_empty() {
            Status::New
        } else {
            Status::Draft
        };
        tx.execute("DELETE FROM segments WHERE id = ?1", [next_id])?;
        tx.execute(
            "UPDATE segments SET source = ?1 WHERE id = ?2",
            params![source, segment_id],
        )?;
        history::write_target(
            &tx,
            segment_id,
            &target,
            status,
            Origin::Merge,
            &self.author,
        )?;
        shift_positions(&tx, block_id, segment.index + 2, -1)?;
        touch_document(&tx, doc_id)?;
        tx.commit()?;
        let suggested_exception = trailing_abbreviation(&segment.source)
            .filter(|a| !self.has_exception(a).unwrap_or(false));
        Ok(MergeOutcome {
            segment: self.segment(doc_id, segment_id)?,
            suggested_exception,
        })
    }

    /// The user's abbreviations that never end a sentence.
    pub fn exceptions(&self) -> Result<Vec<String>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT abbreviation FROM segmentation_exceptions ORDER BY abbreviation")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn has_exception(&self, abbreviation: &str) -> Result<bool, StoreError> {
        let found: Option<i64> = self
            .conn
            .query_row(
                "SELECT 1 FROM segmentation_exceptions WHERE abbreviation = ?1",
                [abbreviation],
                |r| r.get(0),
            )
            .optional()?;
        Ok(found.is_some())
    }

    /// Adds an abbreviation (e.g. `Sen.`) to the user's exceptions, so later
    /// imports do not end a sentence after it.
    pub fn add_exception(&mut self, abbreviation: &str) -> Result<(), StoreError> {
        let abbreviation = abbreviation.trim();
        if abbreviation.is_empty() || abbreviation.chars().any(char::is_whitespace) {
            return Err(StoreError::InvalidEdit(format!(
                "{abbreviation:?} is not an abbreviation: one word, such as `Sen.`"
            )));
        }
        let abbreviation = if abbreviation.ends_with('.') {
            abbreviation.to_string()
        } else {
            format!("{abbreviation}.")
        };
        self.conn.execute(
            "INSERT OR IGNORE INTO segmentation_exceptions (abbreviation, created_at) VALUES (?1, ?2)",
            params![abbreviation, now_ms()],
        )?;
        Ok(())
    }
}

fn segment_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<SegmentRow> {
    let status: String = row.get(5)?;
    let translatable: String = row.get(6)?;
    Ok(SegmentRow {
        id: row.get(0)?,
        block: row.get(1)?,
        index: row.get(2)?,
        source: row.get(3)?,
        target: row.get(4)?,
        status: Status::from_name(&status).unwrap_or(Status::New),
        translatable: Translatable::from_name(&translatable).unwrap_or(Translatable::Yes),
        match_score: row.get(7)?,
        note: row.get(8)?,
        codes: {
            let source: String = row.get(3)?;
            let block_codes: String = row.get(9)?;
            if source.chars().any(codes::is_code) {
                segment_codes(&source, &codes_from_column(&block_codes))
            } else {
                Vec::new()
            }
        },
    })
}

/// Refuses an English holding a code its Italian lacks.
fn check_codes(segment: &SegmentRow, target: &str) -> Result<(), StoreError> {
    let source_marks: Vec<_> = codes::marks(&segment.source).collect();
    if let Some(stray) = codes::marks(target).find(|m| !source_marks.contains(m)) {
        return Err(StoreError::InvalidEdit(format!(
            "segment {}: the English has an inline code the Italian does not have ({})",
            segment.id,
            codes::to_display(&segment.source, &stray.char().to_string())
        )));
    }
    Ok(())
}

fn block_of(tx: &Transaction<'_>, segment_id: i64) -> Result<i64, StoreError> {
    Ok(tx.query_row(
        "SELECT block_id FROM segments WHERE id = ?1",
        [segment_id],
        |r| r.get(0),
    )?)
}

fn shift_positions(
    tx: &Transaction<'_>,
    block_id: i64,
    from: i64,
    by: i64,
) -> Result<(), StoreError> {
    tx.execute(
        "UPDATE segments SET position = position + ?1 WHERE block_id = ?2 AND position >= ?3",
        params![by, block_id, from],
    )?;
    Ok(())
}

/// Cuts `doc`'s blocks into new, untranslated segments.
pub fn segment_blocks(doc: &Document, segmenter: &Segmenter) -> Vec<SegmentedBlock> {
    doc.blocks
        .iter()
        .map(|block| {
            // Code is kept whole; everything else is cut into sentences.
            let pieces: Vec<&str> = if block.kind == BlockKind::Code {
                vec![block.text.as_str()]
            } else {
                segmenter.segments(&block.text)
            };
            SegmentedBlock {
                kind: block.kind,
                translatable: block.translatable,
                text: block.text.clone(),
                codes: block.codes.clone(),
                segments: pieces
                    .into_iter()
                    .map(|source| NewSegment {
                        source: source.to_string(),
                        target: String::new(),
                        status: Status::New,
                        note: None,
                    })
                    .collect(),
            }
        })
        .collect()
}

/// Inserts one block (without its segments) at `position`; returns its id.
fn insert_block(
    tx: &Transaction<'_>,
    doc_id: i64,
    position: usize,
    block: &SegmentedBlock,
) -> Result<i64, StoreError> {
    tx.prepare_cached(
        "INSERT INTO blocks (document_id, position, kind, text, translatable, codes)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        doc_id,
        position as i64,
        block.kind.code(),
        block.text,
        block.translatable.as_str(),
        codes_to_column(&block.codes)
    ])?;
    Ok(tx.last_insert_rowid())
}

/// A block's codes as stored: JSON, or nothing when it has none.
fn codes_to_column(codes: &[InlineCode]) -> String {
    if codes.is_empty() {
        String::new()
    } else {
        serde_json::to_string(codes).unwrap_or_default()
    }
}

/// A block's codes from their column. Only this program writes it, so a
/// value it cannot read is an empty list rather than a failed document.
fn codes_from_column(column: &str) -> Vec<InlineCode> {
    if column.is_empty() {
        Vec::new()
    } else {
        serde_json::from_str(column).unwrap_or_default()
    }
}

/// Inserts a document with its blocks and segments; returns its id.
fn insert_document(
    tx: &Transaction<'_>,
    name: &str,
    source_path: Option<&str>,
    format: SourceFormat,
    blocks: &[SegmentedBlock],
    author: &str,
) -> Result<i64, StoreError> {
    let now = now_ms();
    tx.execute(
        "INSERT INTO documents (name, format, source_path, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?4)",
        params![name, format.as_str(), source_path, now],
    )?;
    let doc_id = tx.last_insert_rowid();
    let mut insert_segment = tx.prepare(
        "INSERT INTO segments (block_id, position, source, target, status, note, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
    )?;
    for (position, block) in blocks.iter().enumerate() {
        let block_id = insert_block(tx, doc_id, position, block)?;
        for (idx, segment) in block.segments.iter().enumerate() {
            insert_segment.execute(params![
                block_id,
                idx as i64,
                segment.source,
                segment.target,
                segment.status.as_str(),
                segment.note,
                now
            ])?;
            // English that came with the file is its first version.
            history::record(
                tx,
                tx.last_insert_rowid(),
                &segment.target,
                segment.status,
                Origin::Import,
                author,
            )?;
        }
    }
    Ok(doc_id)
}

fn touch_document(tx: &Transaction<'_>, doc_id: i64) -> Result<(), StoreError> {
    tx.execute(
        "UPDATE documents SET updated_at = ?1 WHERE id = ?2",
        params![now_ms(), doc_id],
    )?;
    Ok(())
}

/// Rows that refer to a row that does not exist, while foreign keys are off.
fn broken_references(tx: &Transaction<'_>) -> rusqlite::Result<i64> {
    tx.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
        r.get(0)
    })
}

#[cfg(test)]
mod tests;
