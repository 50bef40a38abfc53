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

#[cfg(test)]
mod tests;

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
/// The largest request body the server reads, in bytes: a full push of
/// units at their longest fits, escaped JSON and all.
pub const MAX_BODY_BYTES: usize = 8 * 1024 * 1024;

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
    },
    /// A glossary entry is deleted; it travels on as a tombstone.
    EntryDeleted {
        /// The entry's id.
        entry_id: Uuid,
        /// The sequence number of the version the client deleted.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        base_seq: Option<i64>,
    },
}

impl Change {
    /// Whether the change writes the team memory (reviewers may not).
    pub fn writes_tm(&self) -> bool {
        matches!(self, Change::UnitAdded { .. } | Change::UnitDeleted { .. })
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
        self.ops.iter().try_for_each(check_op)
    }
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
        Change::UnitDeleted { .. } | Change::EntryDeleted { .. } => Ok(()),
    }
}

/// The number of changes a page asked for `limit` holds.
pub fn page_size(limit: Option<usize>) -> usize {
    limit.unwrap_or(DEFAULT_PAGE).clamp(1, MAX_PAGE)
}

/// Builds the page that answers `since`, from up to one change more than
/// `size` read after it: the extra change only says that more follow.
pub fn page(since: i64, mut changes: Vec<ChangeRecord>, size: usize) -> ChangesPage {
    let more = changes.len() > size;
    changes.truncate(size);
    let next = changes.last().map_or(since, |c| c.seq);
    ChangesPage {
        since,
        changes,
        next,
        more,
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

/// Last writer wins, by the server's sequence: a write to an entry always
/// becomes its current version, numbered `seq`; when the entry's current
/// version is not the one the writer based it on (`base_seq`), that version
/// is the loser and is returned as a conflict to keep. Deleting an entry
/// that is already deleted loses nothing.
pub fn glossary_write(
    current: Option<&EntryVersion>,
    write: EntryWrite,
    base_seq: Option<i64>,
    seq: i64,
    entry_id: Uuid,
) -> Option<EntryConflict> {
    let current = current?;
    if Some(current.seq) == base_seq || (current.entry.is_none() && write == EntryWrite::Delete) {
        return None;
    }
    Some(EntryConflict {
        entry_id,
        lost: current.entry.clone(),
        lost_seq: current.seq,
        won_seq: seq,
    })
}
