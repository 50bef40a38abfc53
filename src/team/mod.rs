//! The team desk's protocol: what a desktop pushes to the team server and
//! pulls back, the limits both sides hold to, and the conflict rules.
//!
//! Plain data and pure functions only; the server (`server/`) stores and
//! relays these types through PostgreSQL, and the desktop will keep a
//! replica of them. A change is an operation that carries a UUID made by the
//! client, so a push that is retried after a lost answer is applied once;
//! the server gives every change of a team the next number of the team's
//! sequence, and clients pull the changes after the last number they hold.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

mod documents;
#[cfg(test)]
mod tests;

pub use documents::{
    has_stray_code, segment_save, step_fits_role, AssignRequest, DocumentSummary, DocumentView,
    Holder, Holding, Refusal, SegmentConflict, SegmentVersion, SegmentView, SharedDocument,
    SharedSegment, Step, MAX_DOCUMENT_NAME_CHARS, MAX_LEASE_MINUTES, MAX_SEGMENTS_PER_DOCUMENT,
};

/// The most characters a unit's source or target, or a term, may hold.
pub const MAX_TEXT_CHARS: usize = 10_000;
/// The most notes' characters (a glossary entry's note, a term's note).
pub const MAX_NOTE_CHARS: usize = 2_000;
/// The most terms on one side of a glossary entry.
pub const MAX_TERMS_PER_SIDE: usize = 50;
/// The most operations in one push.
pub const MAX_OPS_PER_PUSH: usize = 500;
/// The changes a page holds when the client asks for no number.
pub const DEFAULT_PAGE: usize = 500;
/// The most changes in one page.
pub const MAX_PAGE: usize = 1_000;
/// The longest a long poll waits for a change, in seconds.
pub const MAX_WAIT_SECONDS: u64 = 25;
/// The largest request body the server reads, in bytes. A push's JSON, as
/// written compactly, is held to it too ([`PushRequest::check`]), so a push
/// the check accepts always fits.
pub const MAX_BODY_BYTES: usize = 8 * 1024 * 1024;
/// The most bytes of changes' JSON in one page; a page always holds at
/// least one change, however large.
pub const MAX_PAGE_BYTES: usize = 4 * 1024 * 1024;
/// The units a page of the team memory's snapshot holds when the client
/// asks for no number.
pub const DEFAULT_UNITS_PAGE: usize = 5_000;
/// The most units in one page of the snapshot.
pub const MAX_UNITS_PAGE: usize = 10_000;
/// The largest sequence number a client may ask after: JSON's largest
/// exact integer (2^53 - 1), which every client can hold.
pub const MAX_SINCE: i64 = (1 << 53) - 1;

/// A translation unit of the team's memory, as a client adds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamUnit {
    /// Made by the client that confirmed it; a deletion names it.
    pub id: Uuid,
    /// The Italian, inline codes as the workspace keeps them.
    pub source: String,
    /// The English.
    pub target: String,
}

/// One term of a team glossary entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamTerm {
    /// The term as written.
    pub text: String,
    /// `preferred`, `admitted` or `forbidden` (the termbase's statuses).
    #[serde(default = "preferred")]
    pub status: String,
    /// The term's note.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Its part of speech (noun, verb, properNoun, …), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pos: Option<String>,
    /// Whether letter case matters when recognising it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub case_sensitive: bool,
}

fn preferred() -> String {
    "preferred".to_owned()
}

/// A glossary entry of the team, always sent whole.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamEntry {
    /// Made by the client that created the entry.
    pub id: Uuid,
    /// The Italian terms.
    pub italian: Vec<TeamTerm>,
    /// The English terms.
    pub english: Vec<TeamTerm>,
    /// The entry's domain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    /// The entry's note.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// What an operation changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Change {
    /// A unit joins the team memory.
    UnitAdded {
        /// The unit.
        unit: TeamUnit,
    },
    /// A unit leaves the team memory; it travels on as a tombstone.
    UnitDeleted {
        /// The unit's id.
        unit_id: Uuid,
    },
    /// A glossary entry is created or replaced whole.
    EntryPut {
        /// The entry as the client now has it.
        entry: TeamEntry,
        /// The sequence number of the version the client changed, none for
        /// a new entry: a put over another version is a conflict.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        base_seq: Option<i64>,
        /// The operation that made the version the client changed, when
        /// that operation is the client's own and not yet numbered (a
        /// second edit before the first was pushed): a put over that
        /// version is no conflict.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        base_op: Option<Uuid>,
    },
    /// A glossary entry is deleted; it travels on as a tombstone.
    EntryDeleted {
        /// The entry's id.
        entry_id: Uuid,
        /// The sequence number of the version the client deleted.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        base_seq: Option<i64>,
        /// The operation that made the version the client deleted, as
        /// for a put.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        base_op: Option<Uuid>,
    },
    /// An editor or an admin shares a document with the team, whole.
    DocumentShared {
        /// The document.
        document: SharedDocument,
    },
    /// A segment of a shared document gets new English or a new status;
    /// applied only by the rule of [`segment_save`], else kept as a
    /// [`SegmentConflict`].
    SegmentSaved {
        /// The document.
        document_id: Uuid,
        /// The segment.
        segment_id: Uuid,
        /// The English.
        target: String,
        /// Its status.
        status: String,
        /// The sequence number of the segment's version the client changed.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        base_seq: Option<i64>,
        /// The operation that made that version, when it is the client's
        /// own save not yet numbered on its side.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        base_op: Option<Uuid>,
    },
    /// A document is given to a user of the team; written by the server
    /// (`POST /v1/documents/{id}/assign`), never pushed.
    Assigned {
        /// The document.
        document_id: Uuid,
        /// Who holds it now.
        user: String,
        /// What they do with it.
        step: Step,
        /// When the lease runs out (RFC 3339, UTC).
        lease_until: String,
    },
    /// A document is held by no one; written by the server
    /// (`POST /v1/documents/{id}/release`), never pushed.
    Released {
        /// The document.
        document_id: Uuid,
    },
}

impl Change {
    /// Whether the change writes the team memory (reviewers may not).
    pub fn writes_tm(&self) -> bool {
        matches!(self, Change::UnitAdded { .. } | Change::UnitDeleted { .. })
    }

    /// Whether only the server writes the change (assignments and
    /// releases, which have endpoints of their own).
    pub fn written_by_server(&self) -> bool {
        matches!(self, Change::Assigned { .. } | Change::Released { .. })
    }
}

/// One operation a client pushes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Operation {
    /// Made by the client; the server applies an operation id once.
    pub id: Uuid,
    /// What it changes.
    pub change: Change,
}

/// The body of a push.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushRequest {
    /// The operations, applied in this order.
    pub ops: Vec<Operation>,
}

/// What became of one pushed operation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpResult {
    /// The operation's id.
    pub id: Uuid,
    /// The sequence number of the change it made.
    pub seq: i64,
    /// False when the operation had been applied by an earlier push.
    pub applied: bool,
    /// The version this operation overwrote unseen, kept as a conflict.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conflict: Option<EntryConflict>,
    /// The saved segment this operation was, refused and kept as a
    /// conflict; its `seq` is then 0 and `applied` false.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refused: Option<SegmentConflict>,
}

/// The answer to a push, one result per operation in the push's order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushResponse {
    /// The results.
    pub results: Vec<OpResult>,
}

/// A change as the log holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeRecord {
    /// The team's sequence number of the change.
    pub seq: i64,
    /// The operation that made it.
    pub op_id: Uuid,
    /// The user who pushed it.
    pub author: String,
    /// When the server applied it (RFC 3339, UTC).
    pub at: String,
    /// The change.
    pub change: Change,
    /// The version this change overwrote unseen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conflict: Option<EntryConflict>,
}

/// A live unit of the team memory as a snapshot gives it; on the wire an
/// array `[id, source, target, author, at]`, which is a third of the
/// bytes of the same as objects.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(from = "(Uuid, String, String, String, String)")]
pub struct SnapshotUnit {
    /// The unit's id.
    pub id: Uuid,
    /// The Italian.
    pub source: String,
    /// The English.
    pub target: String,
    /// Who wrote its current version.
    pub author: String,
    /// When the server applied it (RFC 3339, UTC).
    pub at: String,
}

impl From<(Uuid, String, String, String, String)> for SnapshotUnit {
    fn from((id, source, target, author, at): (Uuid, String, String, String, String)) -> Self {
        SnapshotUnit {
            id,
            source,
            target,
            author,
            at,
        }
    }
}

/// Written as the array it is read from, by reference (serde's `into`
/// would copy every unit of a page first).
impl Serialize for SnapshotUnit {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        (&self.id, &self.source, &self.target, &self.author, &self.at).serialize(serializer)
    }
}

/// A page of the snapshot of the team memory (`GET /v1/units`): live units
/// in the order of their ids.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitsPage {
    /// The team's last sequence number when the snapshot's first page was
    /// read: every change up to it is in the snapshot, and the log after
    /// it brings what changed since.
    pub as_of: i64,
    /// The units after the one asked after, in the order of their ids.
    pub units: Vec<SnapshotUnit>,
    /// Whether units follow the page's last.
    pub more: bool,
    /// The team's epoch, as a page of the log gives it.
    pub epoch: String,
}

/// The number of units a snapshot page holds for a requested `limit`.
pub fn units_page_size(limit: Option<usize>) -> usize {
    limit.unwrap_or(DEFAULT_UNITS_PAGE).clamp(1, MAX_UNITS_PAGE)
}

/// A page of the change log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangesPage {
    /// The sequence number the page was asked after.
    pub since: i64,
    /// The changes after `since`, in sequence order.
    pub changes: Vec<ChangeRecord>,
    /// The number to ask after next: the last change's, else `since`.
    pub next: i64,
    /// Whether more changes follow `next` already.
    pub more: bool,
    /// The team's epoch: made with the team, it changes only when the
    /// team's log starts over (a restored backup). A client that sees a
    /// different epoch from the one it pulled with pulls again from 0.
    #[serde(default)]
    pub epoch: String,
}

/// A request's breach of the limits, said so the client can fix it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LimitError {
    /// A push with no operation.
    #[error("a push holds no operation")]
    Empty,
    /// A push with more operations than [`MAX_OPS_PER_PUSH`].
    #[error("a push holds {0} operations, at most {MAX_OPS_PER_PUSH} are allowed")]
    TooManyOps(usize),
    /// A text longer than its limit.
    #[error("operation {op}: {field} holds {chars} characters, at most {limit} are allowed")]
    TooLong {
        /// The operation's id.
        op: Uuid,
        /// Which text.
        field: &'static str,
        /// Its length.
        chars: usize,
        /// The limit.
        limit: usize,
    },
    /// A text that must not be empty.
    #[error("operation {op}: {field} is empty")]
    EmptyText {
        /// The operation's id.
        op: Uuid,
        /// Which text.
        field: &'static str,
    },
    /// A glossary entry with too many terms, or none on a side.
    #[error("operation {op}: an entry needs 1 to {MAX_TERMS_PER_SIDE} terms on each side")]
    Terms {
        /// The operation's id.
        op: Uuid,
    },
    /// A term status the termbase does not know.
    #[error("operation {op}: unknown term status {status:?}")]
    TermStatus {
        /// The operation's id.
        op: Uuid,
        /// The status given.
        status: String,
    },
    /// A push whose JSON is larger than the body the server reads.
    #[error("the push's JSON holds {0} bytes, at most {MAX_BODY_BYTES} are allowed: push fewer operations at once")]
    TooLarge(usize),
    /// A shared document with no segment or too many.
    #[error("operation {op}: a document holds {segments} segments, it needs 1 to {MAX_SEGMENTS_PER_DOCUMENT}")]
    Segments {
        /// The operation's id.
        op: Uuid,
        /// How many it holds.
        segments: usize,
    },
    /// A shared document that holds one segment id twice.
    #[error("operation {op}: segment {segment} is in the document twice")]
    SegmentTwice {
        /// The operation's id.
        op: Uuid,
        /// The segment's id.
        segment: Uuid,
    },
    /// A segment's English with an inline code its Italian lacks.
    #[error("operation {op}: the English of segment {segment} has an inline code the Italian does not have")]
    StrayCode {
        /// The operation's id.
        op: Uuid,
        /// The segment's id.
        segment: Uuid,
    },
    /// A segment status the workflow does not know.
    #[error("operation {op}: unknown segment status {status:?}")]
    SegmentStatus {
        /// The operation's id.
        op: Uuid,
        /// The status given.
        status: String,
    },
    /// A NUL character, which PostgreSQL's text refuses.
    #[error("operation {op}: {field} holds a NUL character")]
    Nul {
        /// The operation's id.
        op: Uuid,
        /// Which text.
        field: &'static str,
    },
}

impl PushRequest {
    /// Checks the push against the limits before anything is written.
    pub fn check(&self) -> Result<(), LimitError> {
        if self.ops.is_empty() {
            return Err(LimitError::Empty);
        }
        if self.ops.len() > MAX_OPS_PER_PUSH {
            return Err(LimitError::TooManyOps(self.ops.len()));
        }
        self.ops.iter().try_for_each(check_op)?;
        let bytes = json_len(self);
        if bytes > MAX_BODY_BYTES {
            return Err(LimitError::TooLarge(bytes));
        }
        Ok(())
    }
}

/// The length of a value's compact JSON, counted without keeping it.
pub fn json_len(value: &impl Serialize) -> usize {
    struct Count(usize);
    impl std::io::Write for Count {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0 += buf.len();
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut count = Count(0);
    serde_json::to_writer(&mut count, value).expect("protocol types serialize");
    count.0
}

fn check_text(
    op: Uuid,
    field: &'static str,
    text: &str,
    limit: usize,
    may_be_empty: bool,
) -> Result<(), LimitError> {
    if !may_be_empty && text.trim().is_empty() {
        return Err(LimitError::EmptyText { op, field });
    }
    if text.contains('\0') {
        return Err(LimitError::Nul { op, field });
    }
    let chars = text.chars().count();
    if chars > limit {
        return Err(LimitError::TooLong {
            op,
            field,
            chars,
            limit,
        });
    }
    Ok(())
}

fn check_op(op: &Operation) -> Result<(), LimitError> {
    let id = op.id;
    match &op.change {
        Change::UnitAdded { unit } => {
            check_text(id, "source", &unit.source, MAX_TEXT_CHARS, false)?;
            check_text(id, "target", &unit.target, MAX_TEXT_CHARS, false)
        }
        Change::EntryPut { entry, .. } => {
            for side in [&entry.italian, &entry.english] {
                if side.is_empty() || side.len() > MAX_TERMS_PER_SIDE {
                    return Err(LimitError::Terms { op: id });
                }
                for term in side {
                    check_text(id, "term", &term.text, MAX_TEXT_CHARS, false)?;
                    if crate::termbase::Status::parse(&term.status).is_none() {
                        return Err(LimitError::TermStatus {
                            op: id,
                            status: term.status.clone(),
                        });
                    }
                    if let Some(note) = &term.note {
                        check_text(id, "term note", note, MAX_NOTE_CHARS, true)?;
                    }
                    if let Some(pos) = &term.pos {
                        check_text(id, "part of speech", pos, MAX_NOTE_CHARS, true)?;
                    }
                }
            }
            if let Some(note) = &entry.note {
                check_text(id, "note", note, MAX_NOTE_CHARS, true)?;
            }
            if let Some(domain) = &entry.domain {
                check_text(id, "domain", domain, MAX_NOTE_CHARS, true)?;
            }
            Ok(())
        }
        Change::DocumentShared { document } => documents::check_document(id, document),
        Change::SegmentSaved { target, status, .. } => documents::check_save(id, target, status),
        Change::UnitDeleted { .. }
        | Change::EntryDeleted { .. }
        | Change::Assigned { .. }
        | Change::Released { .. } => Ok(()),
    }
}

/// The number of changes a page asked for `limit` holds.
pub fn page_size(limit: Option<usize>) -> usize {
    limit.unwrap_or(DEFAULT_PAGE).clamp(1, MAX_PAGE)
}

/// Builds the page that answers `since` from the changes read after it:
/// at most `size` of them and [`MAX_PAGE_BYTES`] of their JSON, but at
/// least one. `last` is the team's last sequence number, so `more` says
/// whether changes follow the page.
pub fn page(
    since: i64,
    mut changes: Vec<ChangeRecord>,
    size: usize,
    last: i64,
    epoch: String,
) -> ChangesPage {
    let mut bytes = 0;
    let fit = changes
        .iter()
        .take(size)
        .position(|change| {
            bytes += json_len(change);
            bytes > MAX_PAGE_BYTES
        })
        .map_or(changes.len().min(size), |over| over.max(1));
    changes.truncate(fit);
    let next = changes.last().map_or(since, |c| c.seq);
    ChangesPage {
        since,
        changes,
        next,
        more: next < last,
        epoch,
    }
}

/// A translation of a source as the team memory holds it, for ordering.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Translation<'a> {
    /// The sequence number of the change that added it.
    pub seq: i64,
    /// The English.
    pub target: &'a str,
}

/// Orders the translations of one source newest first: two translators'
/// different English for the same Italian are both kept, and the one
/// confirmed last (the higher sequence number) is offered first.
pub fn newest_first(translations: &mut [Translation<'_>]) {
    translations.sort_by_key(|t| std::cmp::Reverse(t.seq));
}

/// The version of a glossary entry the server holds: the entry, or none
/// when the latest change deleted it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryVersion {
    /// The sequence number of the change that made this version.
    pub seq: i64,
    /// The operation that made this version, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub op_id: Option<Uuid>,
    /// The entry; none for a tombstone.
    pub entry: Option<TeamEntry>,
}

/// A version of a glossary entry that a later write replaced without
/// having seen it: kept so the app can show it and a translator choose.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryConflict {
    /// The entry's id.
    pub entry_id: Uuid,
    /// The version that lost: the entry, or none when it was a deletion.
    pub lost: Option<TeamEntry>,
    /// The sequence number of the version that lost.
    pub lost_seq: i64,
    /// The sequence number of the write that won.
    pub won_seq: i64,
}

/// What a glossary write does to its entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryWrite {
    /// Creates or replaces the entry.
    Put,
    /// Deletes it.
    Delete,
}

/// The version a glossary write was based on: its sequence number, or the
/// operation that made it when the client had not yet learned its number.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Base {
    /// The `base_seq` of the write.
    pub seq: Option<i64>,
    /// The `base_op` of the write.
    pub op: Option<Uuid>,
}

/// Last writer wins, by the server's sequence: a write to an entry always
/// becomes its current version, numbered `seq`; when the entry's current
/// version is not the one the writer based it on (`base`: its number, or
/// the operation that made it), that version is the loser and is returned
/// as a conflict to keep. Deleting an entry that is already deleted loses
/// nothing.
pub fn glossary_write(
    current: Option<&EntryVersion>,
    write: EntryWrite,
    base: Base,
    seq: i64,
    entry_id: Uuid,
) -> Option<EntryConflict> {
    let current = current?;
    let seen = Some(current.seq) == base.seq || (base.op.is_some() && current.op_id == base.op);
    if seen || (current.entry.is_none() && write == EntryWrite::Delete) {
        return None;
    }
    Some(EntryConflict {
        entry_id,
        lost: current.entry.clone(),
        lost_seq: current.seq,
        won_seq: seq,
    })
}
