//! Articles from news pages: their metadata, and the revisions brought in
//! when the outlet updates them.

use rusqlite::{params, OptionalExtension};

use super::{
    insert_block, insert_document, now_ms, touch_document, SegmentedBlock, Status, StoreError,
    Workspace,
};
use crate::document::{ArticleMeta, SourceFormat};

/// What became of one segment of the new version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Carried {
    /// The same Italian as the old segment with this id, which is kept.
    Kept(i64),
    /// An edit of the old segment with this id, at this match score.
    Edited {
        /// The old segment.
        previous: i64,
        /// Its TM match score against the new Italian, below 100.
        score: u32,
    },
    /// A sentence the old version did not have.
    New,
}

/// The new version's blocks, each segment with what it carries over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevisionPlan {
    /// The new blocks; `carried[i][j]` is for `blocks[i].segments[j]`.
    pub blocks: Vec<SegmentedBlock>,
    /// What each new segment carries over.
    pub carried: Vec<Vec<Carried>>,
    /// Old segments with no place in the new version, in reading order.
    pub removed: Vec<i64>,
}

/// The counts a re-import reports.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RevisionSummary {
    /// Segments whose Italian did not change (their work is kept).
    pub unchanged: usize,
    /// Segments whose Italian was edited.
    pub edited: usize,
    /// Segments the new version added.
    pub new: usize,
    /// Segments the new version dropped.
    pub removed: usize,
}

impl RevisionPlan {
    /// The plan's counts.
    pub fn summary(&self) -> RevisionSummary {
        let mut summary = RevisionSummary {
            removed: self.removed.len(),
            ..RevisionSummary::default()
        };
        for carried in self.carried.iter().flatten() {
            match carried {
                Carried::Kept(_) => summary.unchanged += 1,
                Carried::Edited { .. } => summary.edited += 1,
                Carried::New => summary.new += 1,
            }
        }
        summary
    }
}

/// One revision of a document, as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revision {
    /// Revision id.
    pub id: i64,
    /// The file or URL the new version came from.
    pub source: Option<String>,
    /// When it was brought in, milliseconds since the Unix epoch.
    pub created_at: i64,
    /// Its counts.
    pub summary: RevisionSummary,
}

/// What a revision did to one segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    /// The Italian was edited.
    Edited,
    /// The segment is new.
    New,
    /// The segment was dropped.
    Removed,
}

impl ChangeKind {
    /// The stable name stored in the workspace and shown by the app.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Edited => "edited",
            ChangeKind::New => "new",
            ChangeKind::Removed => "removed",
        }
    }

    fn from_name(name: &str) -> ChangeKind {
        match name {
            "edited" => ChangeKind::Edited,
            "new" => ChangeKind::New,
            _ => ChangeKind::Removed,
        }
    }
}

/// One entry of a revision's "what changed" list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Edited, new or removed.
    pub kind: ChangeKind,
    /// The segment in the new version; `None` when removed.
    pub segment: Option<i64>,
    /// The Italian before (edited, removed).
    pub previous_source: Option<String>,
    /// The English before (edited, removed), empty when there was none.
    pub previous_target: Option<String>,
    /// The status before.
    pub previous_status: Option<Status>,
    /// The old Italian's match score against the new (edited).
    pub score: Option<u32>,
}

impl Workspace {
    /// Stores an article with its page metadata, all or nothing.
    pub fn add_article(
        &mut self,
        name: &str,
        source_path: Option<&str>,
        format: SourceFormat,
        blocks: &[SegmentedBlock],
        meta: &ArticleMeta,
    ) -> Result<i64, StoreError> {
        let tx = self.conn.transaction()?;
        let doc_id = insert_document(&tx, name, source_path, format, blocks, &self.author)?;
        write_meta(&tx, doc_id, meta)?;
        tx.commit()?;
        Ok(doc_id)
    }

    /// What the page said about the document's article, if it came from one.
    pub fn document_meta(&self, doc_id: i64) -> Result<Option<ArticleMeta>, StoreError> {
        self.require_document(doc_id)?;
        Ok(self
            .conn
            .query_row(
                "SELECT url, canonical_url, outlet, author, published, updated
                 FROM document_meta WHERE document_id = ?1",
                [doc_id],
                |r| {
                    Ok(ArticleMeta {
                        url: r.get(0)?,
                        canonical_url: r.get(1)?,
                        outlet: r.get(2)?,
                        author: r.get(3)?,
                        published: r.get(4)?,
                        updated: r.get(5)?,
                    })
                },
            )
            .optional()?)
    }

    /// Replaces the document's text with a new version as `plan` aligns it,
    /// all or nothing: kept segments move into the new blocks with their
    /// English, status, note and id; edited and new ones are inserted new;
    /// the rest go. Returns the revision's id.
    pub fn apply_revision(
        &mut self,
        doc_id: i64,
        plan: &RevisionPlan,
        source: Option<&str>,
        meta: Option<&ArticleMeta>,
    ) -> Result<i64, StoreError> {
        let old = self.segments(doc_id)?;
        let previous = |id: i64| old.iter().find(|s| s.id == id);
        let now = now_ms();
        let summary = plan.summary();
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO revisions (document_id, source, created_at, unchanged, edited, added, removed)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                doc_id,
                source,
                now,
                summary.unchanged as i64,
                summary.edited as i64,
                summary.new as i64,
                summary.removed as i64
            ],
        )?;
        let revision = tx.last_insert_rowid();
        // The old blocks step aside (negative positions) until the new
        // ones are in and the kept segments moved.
        tx.execute(
            "UPDATE blocks SET position = -1 - position WHERE document_id = ?1",
            [doc_id],
        )?;
        {
            // A kept segment takes the new Italian, which differs at most in
            // its codes' ids and spaces, and its English follows the codes.
            let mut kept_texts = tx.prepare("SELECT source, target FROM segments WHERE id = ?1")?;
            let mut move_segment = tx.prepare(
                "UPDATE segments SET block_id = ?1, position = ?2, source = ?3, target = ?4 WHERE id = ?5",
            )?;
            let mut insert_segment = tx.prepare(
                "INSERT INTO segments (block_id, position, source, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?4)",
            )?;
            let mut insert_change = tx.prepare(
                "INSERT INTO revision_changes
                 (revision_id, position, kind, segment_id, previous_source, previous_target, previous_status, score)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?;
            let mut changes = 0i64;
            let mut change = |kind: ChangeKind,
                              segment: Option<i64>,
                              before: Option<&super::SegmentRow>,
                              score: Option<u32>|
             -> Result<(), StoreError> {
                insert_change.execute(params![
                    revision,
                    changes,
                    kind.as_str(),
                    segment,
                    before.map(|s| &s.source),
                    before.map(|s| &s.target),
                    before.map(|s| s.status.as_str()),
                    score
                ])?;
                changes += 1;
                Ok(())
            };
            for (position, (block, carried)) in plan.blocks.iter().zip(&plan.carried).enumerate() {
                let block_id = insert_block(&tx, doc_id, position, block)?;
                for (idx, (segment, carried)) in block.segments.iter().zip(carried).enumerate() {
                    if let Carried::Kept(id) = carried {
                        let (source, target): (String, String) =
                            kept_texts.query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))?;
                        let target =
                            crate::text::codes::carry_over(&source, &target, &segment.source);
                        move_segment.execute(params![
                            block_id,
                            idx as i64,
                            segment.source,
                            target,
                            id
                        ])?;
                        continue;
                    }
                    insert_segment.execute(params![block_id, idx as i64, segment.source, now])?;
                    let id = Some(tx.last_insert_rowid());
                    match carried {
                        Carried::Edited {
                            previous: old,
                            score,
                        } => change(ChangeKind::Edited, id, previous(*old), Some(*score))?,
                        _ => change(ChangeKind::New, id, None, None)?,
                    }
                }
            }
            for id in &plan.removed {
                change(ChangeKind::Removed, None, previous(*id), None)?;
            }
        }
        tx.execute(
            "DELETE FROM blocks WHERE document_id = ?1 AND position < 0",
            [doc_id],
        )?;
        if let Some(meta) = meta {
            write_meta(&tx, doc_id, meta)?;
        }
        touch_document(&tx, doc_id)?;
        tx.commit()?;
        Ok(revision)
    }

    /// The house style (a preset's name) the document is translated in.
    pub fn document_style(&self, doc_id: i64) -> Result<Option<String>, StoreError> {
        self.require_document(doc_id)?;
        Ok(self
            .conn
            .query_row("SELECT style FROM documents WHERE id = ?1", [doc_id], |r| {
                r.get(0)
            })?)
    }

    /// Sets (or with `None` clears) the document's house style.
    pub fn set_document_style(
        &mut self,
        doc_id: i64,
        style: Option<&str>,
    ) -> Result<(), StoreError> {
        self.require_document(doc_id)?;
        self.conn.execute(
            "UPDATE documents SET style = ?1 WHERE id = ?2",
            params![style, doc_id],
        )?;
        Ok(())
    }

    /// The document's revisions, newest first.
    pub fn revisions(&self, doc_id: i64) -> Result<Vec<Revision>, StoreError> {
        self.require_document(doc_id)?;
        let mut stmt = self.conn.prepare(
            "SELECT id, source, created_at, unchanged, edited, added, removed
             FROM revisions WHERE document_id = ?1 ORDER BY id DESC",
        )?;
        let rows = stmt.query_map([doc_id], |r| {
            Ok(Revision {
                id: r.get(0)?,
                source: r.get(1)?,
                created_at: r.get(2)?,
                summary: RevisionSummary {
                    unchanged: r.get::<_, i64>(3)? as usize,
                    edited: r.get::<_, i64>(4)? as usize,
                    new: r.get::<_, i64>(5)? as usize,
                    removed: r.get::<_, i64>(6)? as usize,
                },
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// A revision's changes, in the order of the new version (removed
    /// segments last).
    pub fn revision_changes(&self, revision: i64) -> Result<Vec<Change>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT kind, segment_id, previous_source, previous_target, previous_status, score
             FROM revision_changes WHERE revision_id = ?1 ORDER BY position",
        )?;
        let rows = stmt.query_map([revision], change_from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The latest edit that made this segment, if a revision did: the
    /// Italian and English it had before, offered as a match.
    pub fn previous_version(&self, segment_id: i64) -> Result<Option<Change>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT kind, segment_id, previous_source, previous_target, previous_status, score
                 FROM revision_changes
                 WHERE segment_id = ?1 AND kind = 'edited' ORDER BY revision_id DESC LIMIT 1",
                [segment_id],
                change_from_row,
            )
            .optional()?)
    }
}

fn change_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Change> {
    let kind: String = r.get(0)?;
    let status: Option<String> = r.get(4)?;
    Ok(Change {
        kind: ChangeKind::from_name(&kind),
        segment: r.get(1)?,
        previous_source: r.get(2)?,
        previous_target: r.get(3)?,
        previous_status: status.as_deref().and_then(Status::from_name),
        score: r.get::<_, Option<i64>>(5)?.map(|s| s as u32),
    })
}

fn write_meta(
    tx: &rusqlite::Transaction<'_>,
    doc_id: i64,
    meta: &ArticleMeta,
) -> Result<(), StoreError> {
    tx.execute(
        "INSERT OR REPLACE INTO document_meta
         (document_id, url, canonical_url, outlet, author, published, updated)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            doc_id,
            meta.url,
            meta.canonical_url,
            meta.outlet,
            meta.author,
            meta.published,
            meta.updated
        ],
    )?;
    Ok(())
}
