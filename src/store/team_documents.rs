//! The replica of the team's shared documents: each with who holds it, and
//! for those shared or opened here the link to the local document and of
//! each segment to its local segment, with the server's version of it.
//!
//! A save of a linked segment whose document the user holds goes to the
//! outbox in the transaction of the save (`segment_written`), based on the
//! version held; a teammate's save pulled from the log replaces the local
//! English unless it was edited here and not yet sent, when it is kept
//! aside as a conflict. Saves the server refused are kept the same way.
//! Nothing is dropped: every English either stands or is listed.

use rusqlite::{params, OptionalExtension, Transaction};
use uuid::Uuid;

use super::history::{self, Origin};
use super::team::{enqueue, OpKind};
use super::{now_ms, Status, StoreError, Workspace};

/// A change of the team's log about shared documents, as the replica
/// applies it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DocumentChange {
    /// A document shared with the team (its segments are fetched when it
    /// is opened here).
    Shared {
        /// Its team id.
        id: Uuid,
        /// Its name.
        name: String,
        /// How many segments it holds.
        n_segments: i64,
    },
    /// A segment saved by the document's holder.
    SegmentSaved {
        /// The operation that saved it.
        op_id: Uuid,
        /// The document's team id.
        document: Uuid,
        /// The segment's team id.
        segment: Uuid,
        /// Its English.
        target: String,
        /// Its status, by name.
        status: String,
    },
    /// The document given to a user.
    Assigned {
        /// The document's team id.
        document: Uuid,
        /// Who holds it now.
        user: String,
        /// `translate` or `review`.
        step: String,
        /// When the lease runs out (RFC 3339, UTC).
        lease_until: String,
    },
    /// The document held by no one.
    Released {
        /// The document's team id.
        document: Uuid,
    },
}

/// A shared document of the team as the replica holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamDocument {
    /// Its team id.
    pub id: Uuid,
    /// Its name.
    pub name: String,
    /// How many segments it holds.
    pub n_segments: i64,
    /// Whether the server has it: false while this workspace's sharing
    /// waits in the outbox.
    pub shared: bool,
    /// Who holds it, if anyone.
    pub holder: Option<String>,
    /// What the holder does: `translate` or `review`.
    pub step: Option<String>,
    /// When the holder's lease runs out (RFC 3339, UTC).
    pub lease_until: Option<String>,
    /// The local document it is linked to, when it is here.
    pub local: Option<i64>,
    /// Whether the holder's lease has not run out.
    pub live: bool,
}

/// A segment of a shared document, for sharing or opening one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkedSegment {
    /// Its team id.
    pub id: Uuid,
    /// Its Italian.
    pub source: String,
    /// Its English.
    pub target: String,
    /// Its status.
    pub status: Status,
    /// The server's version of it; none while the sharing is not
    /// acknowledged.
    pub seq: Option<i64>,
}

/// A save of a shared segment kept aside: one the server refused (with
/// its reason), or a teammate's that arrived over English edited here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefusedSave {
    /// The refused operation.
    pub op_id: Uuid,
    /// The document's team id.
    pub document: Uuid,
    /// The segment's team id.
    pub segment: Uuid,
    /// Who saved it.
    pub author: String,
    /// The English kept aside.
    pub target: String,
    /// Its status.
    pub status: String,
    /// Why: the server's reason, or [`EDITED_HERE`].
    pub reason: String,
    /// The version the save was based on.
    pub base_seq: Option<i64>,
    /// The segment's version when it was refused.
    pub current_seq: Option<i64>,
}

/// A save kept aside: one of this workspace's that the server refused, or
/// a teammate's that arrived over English edited here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SegmentConflict {
    /// Its number in the workspace, to dismiss it by.
    pub id: i64,
    /// The save: what was refused, or the teammate's.
    pub save: RefusedSave,
    /// The local document and segment, when the segment is here.
    pub local: Option<(i64, i64)>,
    /// The segment's place in its document here, counted from 1, to name
    /// it by.
    pub place: Option<i64>,
    /// When it was kept (ms since the epoch).
    pub received_at: i64,
}

/// The reason of a teammate's save kept aside because the English here was
/// edited and not sent (not yet, or not at all: the user did not hold the
/// document).
pub const EDITED_HERE: &str = "edited_here";

fn uuid_of(bytes: &[u8]) -> Result<Uuid, StoreError> {
    Uuid::from_slice(bytes).map_err(|e| StoreError::InvalidEdit(format!("a team id: {e}")))
}

fn team_user(tx: &Transaction<'_>) -> Result<Option<String>, StoreError> {
    Ok(tx
        .prepare_cached("SELECT user FROM team")?
        .query_row([], |r| r.get(0))
        .optional()?)
}

/// A linked segment as a save reads it: its team id, its document's, the
/// version held, the operation waiting, and the document's holder.
type LinkedRow = (
    Vec<u8>,
    Vec<u8>,
    Option<i64>,
    Option<String>,
    Option<String>,
);

/// Sends a save of a segment linked to a shared document, in the
/// transaction that writes it, when the user holds the document (the server
/// judges the lease): based on the version held, or on this workspace's own
/// save not yet acknowledged.
pub(super) fn segment_written(
    tx: &Transaction<'_>,
    segment_id: i64,
    target: &str,
    status: Status,
) -> Result<(), StoreError> {
    let linked: Option<LinkedRow> = tx
        .prepare_cached(
            "SELECT s.uuid, s.document_uuid, s.seq, s.waiting_op, d.holder
             FROM team_document_segments s JOIN team_documents d ON d.uuid = s.document_uuid
             WHERE s.segment_id = ?1",
        )?
        .query_row([segment_id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .optional()?;
    let Some((segment, document, seq, waiting_op, holder)) = linked else {
        return Ok(());
    };
    if holder.is_none() || holder != team_user(tx)? {
        // Kept here; a teammate's save will not replace it unseen.
        tx.prepare_cached("UPDATE team_document_segments SET edited = 1 WHERE uuid = ?1")?
            .execute([segment])?;
        return Ok(());
    }
    let (segment, document) = (uuid_of(&segment)?, uuid_of(&document)?);
    let mut body = serde_json::json!({
        "kind": "segment_saved", "document_id": document, "segment_id": segment,
        "target": target, "status": status.as_str(),
    });
    if let Some(seq) = seq {
        body["base_seq"] = seq.into();
    }
    if let Some(op) = waiting_op {
        body["base_op"] = op.into();
    }
    let op_id = enqueue(tx, OpKind::Document, segment, &body)?;
    // What was edited before this user held the document goes with it.
    tx.prepare_cached(
        "UPDATE team_document_segments SET waiting_op = ?1, edited = 0 WHERE uuid = ?2",
    )?
    .execute(params![op_id.to_string(), segment.as_bytes()])?;
    Ok(())
}

/// Sends the English edited here while someone else held the document, or
/// no one, now that this user holds it: otherwise it would go only with the
/// segment's next save.
fn send_edited(tx: &Transaction<'_>, document: &Uuid) -> Result<(), StoreError> {
    let edited: Vec<(i64, String, String)> = tx
        .prepare_cached(
            "SELECT s.id, s.target, s.status
             FROM team_document_segments l JOIN segments s ON s.id = l.segment_id
             JOIN blocks b ON b.id = s.block_id
             WHERE l.document_uuid = ?1 AND l.edited
             ORDER BY b.position, s.position",
        )?
        .query_map([document.as_bytes()], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?
        .collect::<Result<_, _>>()?;
    for (segment_id, target, status) in edited {
        let status = Status::from_name(&status).unwrap_or(Status::Draft);
        segment_written(tx, segment_id, &target, status)?;
    }
    Ok(())
}

/// Notes an operation the server answered, in the transaction that takes
/// it out of the outbox: a sharing or a save applied as number `seq` gives
/// its segments that version; a refused save (`seq` 0) leaves the version
/// as it was.
pub(super) fn acknowledged(tx: &Transaction<'_>, op_id: Uuid, seq: i64) -> Result<(), StoreError> {
    let op = op_id.to_string();
    if seq > 0 {
        let shared: Option<Vec<u8>> = tx
            .prepare_cached(
                "UPDATE team_documents SET seq = ?1, share_op = NULL WHERE share_op = ?2 RETURNING uuid",
            )?
            .query_row(params![seq, op], |r| r.get(0))
            .optional()?;
        if let Some(document) = shared {
            tx.prepare_cached(
                "UPDATE team_document_segments SET seq = coalesce(seq, ?1) WHERE document_uuid = ?2",
            )?
            .execute(params![seq, document])?;
        }
        tx.prepare_cached(
            "UPDATE team_document_segments SET seq = max(coalesce(seq, 0), ?1), waiting_op = NULL
             WHERE waiting_op = ?2",
        )?
        .execute(params![seq, op])?;
    } else {
        tx.prepare_cached(
            "UPDATE team_document_segments SET waiting_op = NULL WHERE waiting_op = ?1",
        )?
        .execute([op])?;
    }
    Ok(())
}

/// Forgets what an operation set aside (rejected or dropped) left marked:
/// a save no longer waits, so teammates' saves land and the next save is
/// based on the version held; a sharing is undone here (the document stays,
/// unlinked), so it can be shared again.
pub(super) fn op_set_aside(tx: &Transaction<'_>, op_id: &str) -> Result<(), StoreError> {
    tx.prepare_cached(
        "DELETE FROM team_document_segments
         WHERE document_uuid IN (SELECT uuid FROM team_documents WHERE share_op = ?1)",
    )?
    .execute([op_id])?;
    tx.prepare_cached("DELETE FROM team_documents WHERE share_op = ?1")?
        .execute([op_id])?;
    tx.prepare_cached("UPDATE team_document_segments SET waiting_op = NULL WHERE waiting_op = ?1")?
        .execute([op_id])?;
    Ok(())
}

fn keep_conflict(tx: &Transaction<'_>, save: &RefusedSave) -> Result<usize, StoreError> {
    Ok(tx
        .prepare_cached(
            "INSERT OR IGNORE INTO team_segment_conflicts
                 (op_id, document_uuid, segment_uuid, author, target, status, reason,
                  base_seq, current_seq, received_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        )?
        .execute(params![
            save.op_id.to_string(),
            save.document.as_bytes(),
            save.segment.as_bytes(),
            save.author,
            save.target,
            save.status,
            save.reason,
            save.base_seq,
            save.current_seq,
            now_ms()
        ])?)
}

/// Refuses to split or merge the segments of a document linked to a shared
/// one: the team knows its segments by their ids, one for one.
pub(super) fn refuse_recut(conn: &rusqlite::Connection, doc_id: i64) -> Result<(), StoreError> {
    let linked: bool = conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM team_documents WHERE document_id = ?1)")?
        .query_row([doc_id], |r| r.get(0))?;
    if linked {
        return Err(StoreError::InvalidEdit(
            "this document is shared with the team: its segments cannot be split or merged".into(),
        ));
    }
    Ok(())
}

/// Applies a pulled change of a shared document; returns the conflicts kept.
pub(super) fn apply(
    tx: &Transaction<'_>,
    seq: i64,
    author: &str,
    change: &DocumentChange,
) -> Result<usize, StoreError> {
    match change {
        DocumentChange::Shared {
            id,
            name,
            n_segments,
        } => {
            tx.prepare_cached(
                "INSERT INTO team_documents (uuid, name, seq, n_segments) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (uuid) DO UPDATE SET seq = excluded.seq, share_op = NULL",
            )?
            .execute(params![id.as_bytes(), name, seq, n_segments])?;
            tx.prepare_cached(
                "UPDATE team_document_segments SET seq = coalesce(seq, ?1) WHERE document_uuid = ?2",
            )?
            .execute(params![seq, id.as_bytes()])?;
            Ok(0)
        }
        DocumentChange::Assigned {
            document,
            user,
            step,
            lease_until,
        } => {
            tx.prepare_cached(
                "UPDATE team_documents SET holder = ?1, step = ?2, lease_until = ?3 WHERE uuid = ?4",
            )?
            .execute(params![user, step, lease_until, document.as_bytes()])?;
            if team_user(tx)?.as_deref() == Some(user.as_str()) {
                send_edited(tx, document)?;
            }
            Ok(0)
        }
        DocumentChange::Released { document } => {
            tx.prepare_cached(
                "UPDATE team_documents SET holder = NULL, step = NULL, lease_until = NULL
                 WHERE uuid = ?1",
            )?
            .execute([document.as_bytes()])?;
            Ok(0)
        }
        DocumentChange::SegmentSaved {
            op_id,
            document,
            segment,
            target,
            status,
        } => {
            let linked: Option<(Option<i64>, Option<i64>, bool, bool)> = tx
                .prepare_cached(
                    "SELECT segment_id, seq, waiting_op IS NOT NULL OR edited,
                            waiting_op IS ?2
                              OR EXISTS (SELECT 1 FROM team_outbox WHERE op_id = ?2)
                     FROM team_document_segments WHERE uuid = ?1",
                )?
                .query_row(params![segment.as_bytes(), op_id.to_string()], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
                })
                .optional()?;
            // A document not opened here is fetched whole when it is.
            let Some((segment_id, held_seq, edited_here, sent_here)) = linked else {
                return Ok(0);
            };
            if held_seq.is_some_and(|held| held >= seq) {
                return Ok(0);
            }
            // This workspace's own save, back from the log: the English here
            // is it, or a later one still to be sent. The same user's save
            // from another workspace is applied as a teammate's would be.
            if sent_here {
                tx.prepare_cached(
                    "UPDATE team_document_segments SET seq = max(coalesce(seq, 0), ?1) WHERE uuid = ?2",
                )?
                .execute(params![seq, segment.as_bytes()])?;
                return Ok(0);
            }
            if edited_here {
                return keep_conflict(
                    tx,
                    &RefusedSave {
                        op_id: *op_id,
                        document: *document,
                        segment: *segment,
                        author: author.to_owned(),
                        target: target.clone(),
                        status: status.clone(),
                        reason: EDITED_HERE.to_owned(),
                        base_seq: held_seq,
                        current_seq: Some(seq),
                    },
                );
            }
            if let (Some(segment_id), Some(status)) = (segment_id, Status::from_name(status)) {
                history::write_team_target(tx, segment_id, target, status, Origin::Typed, author)?;
                tx.prepare_cached(
                    "UPDATE documents SET updated_at = ?1
                     WHERE id = (SELECT b.document_id FROM segments s JOIN blocks b ON b.id = s.block_id
                                 WHERE s.id = ?2)",
                )?
                .execute(params![now_ms(), segment_id])?;
            }
            tx.prepare_cached("UPDATE team_document_segments SET seq = ?1 WHERE uuid = ?2")?
                .execute(params![seq, segment.as_bytes()])?;
            Ok(0)
        }
    }
}

impl Workspace {
    /// Shares a local document with the team: the sharing goes into the
    /// outbox whole (`body`, the protocol's JSON, made by the caller from
    /// `segments`), and the document and its segments are linked to their
    /// team ids, in one transaction.
    pub fn share_document(
        &mut self,
        doc_id: i64,
        id: Uuid,
        name: &str,
        segments: &[(i64, Uuid)],
        body: &serde_json::Value,
    ) -> Result<(), StoreError> {
        self.require_document(doc_id)?;
        let tx = self.conn.transaction()?;
        if super::team::joined(&tx)?.is_none() {
            return Err(StoreError::InvalidEdit(
                "this workspace has joined no team".into(),
            ));
        }
        let linked: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM team_documents WHERE document_id = ?1)",
            [doc_id],
            |r| r.get(0),
        )?;
        if linked {
            return Err(StoreError::InvalidEdit(
                "this document is shared with the team already".into(),
            ));
        }
        let op_id = enqueue(&tx, OpKind::Document, id, body)?;
        tx.execute(
            "INSERT INTO team_documents (uuid, name, share_op, n_segments, document_id)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                id.as_bytes(),
                name,
                op_id.to_string(),
                segments.len() as i64,
                doc_id
            ],
        )?;
        for (segment_id, uuid) in segments {
            tx.prepare_cached(
                "INSERT INTO team_document_segments (uuid, document_uuid, segment_id, waiting_op)
                 VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(params![
                uuid.as_bytes(),
                id.as_bytes(),
                segment_id,
                op_id.to_string()
            ])?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Makes a local document of a shared one fetched whole (one block of
    /// `blocks` per segment, `segments` their team ids and versions in the
    /// same order), linked to it, in one transaction; returns its id.
    pub fn add_shared_document(
        &mut self,
        document: &TeamDocument,
        seq: i64,
        blocks: &[super::SegmentedBlock],
        segments: &[(Uuid, i64)],
    ) -> Result<i64, StoreError> {
        let tx = self.conn.transaction()?;
        let here: Option<Option<i64>> = tx
            .query_row(
                "SELECT document_id FROM team_documents WHERE uuid = ?1",
                [document.id.as_bytes()],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(Some(doc_id)) = here {
            return Err(StoreError::InvalidEdit(format!(
                "that shared document is here already, as document {doc_id}"
            )));
        }
        let doc_id = super::insert_document(
            &tx,
            &document.name,
            None,
            crate::document::SourceFormat::Text,
            blocks,
            &self.author,
        )?;
        tx.execute(
            "INSERT INTO team_documents (uuid, name, seq, n_segments, holder, step, lease_until, document_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
             ON CONFLICT (uuid) DO UPDATE SET document_id = excluded.document_id,
                 holder = excluded.holder, step = excluded.step, lease_until = excluded.lease_until",
            params![
                document.id.as_bytes(),
                document.name,
                seq,
                segments.len() as i64,
                document.holder,
                document.step,
                document.lease_until,
                doc_id
            ],
        )?;
        let local: Vec<i64> = tx
            .prepare(
                "SELECT s.id FROM segments s JOIN blocks b ON b.id = s.block_id
                 WHERE b.document_id = ?1 ORDER BY b.position, s.position",
            )?
            .query_map([doc_id], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        for (segment_id, (uuid, seq)) in local.iter().zip(segments) {
            tx.prepare_cached(
                "INSERT OR REPLACE INTO team_document_segments (uuid, document_uuid, segment_id, seq)
                 VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(params![
                uuid.as_bytes(),
                document.id.as_bytes(),
                segment_id,
                seq
            ])?;
        }
        tx.commit()?;
        Ok(doc_id)
    }

    /// The team's shared documents, in the order they were shared (those
    /// waiting to be sent last).
    pub fn team_documents(&self) -> Result<Vec<TeamDocument>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT uuid, name, n_segments, seq IS NOT NULL, holder, step, lease_until, document_id,
                    coalesce(lease_until > strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 0)
             FROM team_documents ORDER BY seq IS NULL, seq, name",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, Vec<u8>>(0)?,
                TeamDocument {
                    id: Uuid::nil(),
                    name: r.get(1)?,
                    n_segments: r.get(2)?,
                    shared: r.get(3)?,
                    holder: r.get(4)?,
                    step: r.get(5)?,
                    lease_until: r.get(6)?,
                    local: r.get(7)?,
                    live: r.get(8)?,
                },
            ))
        })?;
        let mut found = Vec::new();
        for row in rows {
            let (uuid, document) = row?;
            found.push(TeamDocument {
                id: uuid_of(&uuid)?,
                ..document
            });
        }
        Ok(found)
    }

    /// The linked segments of a local document, in its order.
    pub fn linked_segments(&self, doc_id: i64) -> Result<Vec<LinkedSegment>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT l.uuid, s.source, s.target, s.status, l.seq
             FROM team_document_segments l JOIN segments s ON s.id = l.segment_id
             JOIN blocks b ON b.id = s.block_id
             WHERE b.document_id = ?1 ORDER BY b.position, s.position",
        )?;
        let rows = stmt.query_map([doc_id], |r| {
            Ok((
                r.get::<_, Vec<u8>>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, Option<i64>>(4)?,
            ))
        })?;
        let mut found = Vec::new();
        for row in rows {
            let (uuid, source, target, status, seq) = row?;
            found.push(LinkedSegment {
                id: uuid_of(&uuid)?,
                source,
                target,
                status: Status::from_name(&status).unwrap_or(Status::New),
                seq,
            });
        }
        Ok(found)
    }

    /// Keeps saves the server refused, so they are shown; a save kept
    /// already is not doubled.
    pub fn keep_refused_saves(&mut self, refused: &[RefusedSave]) -> Result<usize, StoreError> {
        let tx = self.conn.transaction()?;
        let mut kept = 0;
        for save in refused {
            kept += keep_conflict(&tx, save)?;
        }
        tx.commit()?;
        Ok(kept)
    }

    /// The saves kept aside, newest first.
    pub fn segment_conflicts(&self) -> Result<Vec<SegmentConflict>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT c.id, c.op_id, c.document_uuid, c.segment_uuid, c.author, c.target, c.status,
                    c.reason, c.base_seq, c.current_seq, c.received_at, b.document_id, s.id,
                    (SELECT count(*) FROM segments s2 JOIN blocks b2 ON b2.id = s2.block_id
                     WHERE b2.document_id = b.document_id
                       AND (b2.position < b.position
                            OR (b2.position = b.position AND s2.position <= s.position)))
             FROM team_segment_conflicts c
             LEFT JOIN team_document_segments l ON l.uuid = c.segment_uuid
             LEFT JOIN segments s ON s.id = l.segment_id
             LEFT JOIN blocks b ON b.id = s.block_id
             ORDER BY c.id DESC",
        )?;
        let mut rows = stmt.query([])?;
        let mut found = Vec::new();
        while let Some(r) = rows.next()? {
            let op_id: String = r.get(1)?;
            let document: Option<i64> = r.get(11)?;
            let segment: Option<i64> = r.get(12)?;
            let place: i64 = r.get(13)?;
            found.push(SegmentConflict {
                id: r.get(0)?,
                save: RefusedSave {
                    op_id: Uuid::parse_str(&op_id)
                        .map_err(|e| StoreError::InvalidEdit(format!("an operation id: {e}")))?,
                    document: uuid_of(&r.get::<_, Vec<u8>>(2)?)?,
                    segment: uuid_of(&r.get::<_, Vec<u8>>(3)?)?,
                    author: r.get(4)?,
                    target: r.get(5)?,
                    status: r.get(6)?,
                    reason: r.get(7)?,
                    base_seq: r.get(8)?,
                    current_seq: r.get(9)?,
                },
                local: document.zip(segment),
                place: segment.map(|_| place),
                received_at: r.get(10)?,
            });
        }
        Ok(found)
    }

    /// Takes a teammate's save kept aside (`edited_here`) into the segment
    /// here, in one transaction: the English and status become theirs (in
    /// the history as theirs), the segment is the team's version again, so
    /// their next saves land, and the save leaves the list. Returns the
    /// local document and segment.
    pub fn take_segment_conflict(&mut self, id: i64) -> Result<(i64, i64), StoreError> {
        let conflict = self
            .segment_conflicts()?
            .into_iter()
            .find(|c| c.id == id)
            .ok_or_else(|| StoreError::InvalidEdit(format!("no kept save numbered {id}")))?;
        if conflict.save.reason != EDITED_HERE {
            return Err(StoreError::InvalidEdit(
                "only a teammate's save kept aside can be taken: this one is yours, refused".into(),
            ));
        }
        let (doc_id, segment_id) = conflict
            .local
            .ok_or_else(|| StoreError::InvalidEdit("that segment is no longer here".into()))?;
        let waiting: bool = self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM team_document_segments
                            WHERE uuid = ?1 AND waiting_op IS NOT NULL)",
            [conflict.save.segment.as_bytes()],
            |r| r.get(0),
        )?;
        if waiting {
            return Err(StoreError::InvalidEdit(
                "a save of this segment is still to be sent: sync first".into(),
            ));
        }
        let status = Status::from_name(&conflict.save.status).unwrap_or(Status::Draft);
        let segment = self.segment(doc_id, segment_id)?;
        super::check_codes(&segment, &conflict.save.target)?;
        let tx = self.conn.transaction()?;
        history::write_team_target(
            &tx,
            segment_id,
            &conflict.save.target,
            status,
            Origin::Typed,
            &conflict.save.author,
        )?;
        tx.execute(
            "UPDATE team_document_segments SET seq = max(coalesce(seq, 0), ?1), edited = 0
             WHERE uuid = ?2",
            params![conflict.save.current_seq, conflict.save.segment.as_bytes()],
        )?;
        tx.execute("DELETE FROM team_segment_conflicts WHERE id = ?1", [id])?;
        super::touch_document(&tx, doc_id)?;
        tx.commit()?;
        Ok((doc_id, segment_id))
    }

    /// Dismisses a save kept aside, once the translator has settled it;
    /// false when there was none.
    pub fn dismiss_segment_conflict(&mut self, id: i64) -> Result<bool, StoreError> {
        let n = self
            .conn
            .execute("DELETE FROM team_segment_conflicts WHERE id = ?1", [id])?;
        Ok(n > 0)
    }
}

#[cfg(test)]
mod tests;
