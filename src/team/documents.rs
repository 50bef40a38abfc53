//! Shared documents: an article an editor shares with the team, the
//! assignment that lets one person at a time write it, and the rule that
//! decides whether a saved segment is applied or kept as a conflict.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{check_text, Base, LimitError, MAX_TEXT_CHARS};

#[cfg(test)]
mod tests;

/// The most segments a shared document holds.
pub const MAX_SEGMENTS_PER_DOCUMENT: usize = 5_000;
/// The most characters of a shared document's name.
pub const MAX_DOCUMENT_NAME_CHARS: usize = 1_000;
/// The longest lease an assignment may be given, in minutes (30 days).
pub const MAX_LEASE_MINUTES: i64 = 30 * 24 * 60;

/// A segment of a shared document, in the document's order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharedSegment {
    /// Made by the client that shared the document.
    pub id: Uuid,
    /// The Italian, inline codes as the workspace keeps them (characters of
    /// the private use area).
    pub source: String,
    /// The English, empty when not yet written.
    #[serde(default)]
    pub target: String,
    /// Where the segment stands: `new`, `draft`, `translated`, `approved`.
    #[serde(default = "new_status")]
    pub status: String,
}

fn new_status() -> String {
    "new".to_owned()
}

/// A document shared with the team, as the editor sends it: whole.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharedDocument {
    /// Made by the client that imported it.
    pub id: Uuid,
    /// The document's name, as the document list shows it.
    pub name: String,
    /// Its segments, in order.
    pub segments: Vec<SharedSegment>,
}

/// What the holder of a document does with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// Writes the English.
    Translate,
    /// Reviews (and edits) the English.
    Review,
}

impl Step {
    /// The step's name in the database and on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Step::Translate => "translate",
            Step::Review => "review",
        }
    }

    /// Reads a step's name.
    pub fn parse(text: &str) -> Option<Step> {
        match text {
            "translate" => Some(Step::Translate),
            "review" => Some(Step::Review),
            _ => None,
        }
    }
}

/// Who holds a document, as the server judges a saved segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Holding<'a> {
    /// The holder's user name.
    pub user: &'a str,
    /// Whether the lease has not yet run out.
    pub live: bool,
}

/// The version of a shared segment the server holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SegmentVersion {
    /// The sequence number of the change that made it (the sharing, or the
    /// last save applied).
    pub seq: i64,
    /// The operation that made it.
    pub op_id: Uuid,
}

/// Why a saved segment was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Refusal {
    /// The team has no such segment in that document.
    UnknownSegment,
    /// The author does not hold the document: no one does, or someone else.
    NotHolder,
    /// The author held the document, and the lease has run out.
    LeaseExpired,
    /// The save was based on a version that is no longer the segment's
    /// current one: someone saved it since.
    Stale,
}

/// A saved segment that was refused, kept so the app can show it and its
/// author keep or drop the English.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SegmentConflict {
    /// The refused operation; a conflict is resolved by this id.
    pub op_id: Uuid,
    /// The document.
    pub document_id: Uuid,
    /// The segment.
    pub segment_id: Uuid,
    /// Who pushed it.
    pub author: String,
    /// The English that was refused.
    pub target: String,
    /// The status that was refused.
    pub status: String,
    /// The version the save was based on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_seq: Option<i64>,
    /// The segment's version when the save was refused; none for an
    /// unknown segment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current_seq: Option<i64>,
    /// Why it was refused.
    pub reason: Refusal,
}

/// The rule of shared documents: a saved segment is applied only when its
/// author holds a live assignment of the document and the save is based on
/// the segment's current version — by its number (`base.seq`), or by the
/// operation that made it when that was the author's own save not yet
/// numbered on their side (`base.op`). Otherwise it is refused, and why.
pub fn segment_save(
    author: &str,
    holding: Option<Holding<'_>>,
    current: Option<SegmentVersion>,
    base: Base,
) -> Result<(), Refusal> {
    let current = current.ok_or(Refusal::UnknownSegment)?;
    match holding {
        Some(holding) if holding.user == author => {
            if !holding.live {
                return Err(Refusal::LeaseExpired);
            }
        }
        _ => return Err(Refusal::NotHolder),
    }
    let seen = base.seq == Some(current.seq) || base.op == Some(current.op_id);
    if !seen {
        return Err(Refusal::Stale);
    }
    Ok(())
}

/// Whether an English holds an inline code its Italian lacks, which the
/// workspace refuses: a shared segment cannot carry one in either.
pub fn has_stray_code(source: &str, target: &str) -> bool {
    let source_marks: Vec<_> = crate::text::codes::marks(source).collect();
    crate::text::codes::marks(target).any(|mark| !source_marks.contains(&mark))
}

/// The roles a step may be assigned to, by their names: a translation to a
/// translator, a review to a reviewer or a translator.
pub fn step_fits_role(step: Step, role: &str) -> bool {
    match step {
        Step::Translate => role == "translator",
        Step::Review => role == "reviewer" || role == "translator",
    }
}

fn check_status(op: Uuid, status: &str) -> Result<(), LimitError> {
    if crate::document::Status::from_name(status).is_none() {
        return Err(LimitError::SegmentStatus {
            op,
            status: status.to_owned(),
        });
    }
    Ok(())
}

/// Checks a shared document against the limits.
pub(super) fn check_document(op: Uuid, document: &SharedDocument) -> Result<(), LimitError> {
    check_text(
        op,
        "document name",
        &document.name,
        MAX_DOCUMENT_NAME_CHARS,
        false,
    )?;
    let n = document.segments.len();
    if n == 0 || n > MAX_SEGMENTS_PER_DOCUMENT {
        return Err(LimitError::Segments { op, segments: n });
    }
    let mut ids = std::collections::HashSet::with_capacity(n);
    for segment in &document.segments {
        if !ids.insert(segment.id) {
            return Err(LimitError::SegmentTwice {
                op,
                segment: segment.id,
            });
        }
        check_text(op, "source", &segment.source, MAX_TEXT_CHARS, false)?;
        check_text(op, "target", &segment.target, MAX_TEXT_CHARS, true)?;
        check_status(op, &segment.status)?;
        if has_stray_code(&segment.source, &segment.target) {
            return Err(LimitError::StrayCode {
                op,
                segment: segment.id,
            });
        }
    }
    Ok(())
}

/// Checks a saved segment's English and status against the limits.
pub(super) fn check_save(op: Uuid, target: &str, status: &str) -> Result<(), LimitError> {
    check_text(op, "target", target, MAX_TEXT_CHARS, true)?;
    check_status(op, status)
}

/// Who holds a document, as the team's members see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holder {
    /// The holder's user name.
    pub user: String,
    /// What they do with it.
    pub step: Step,
    /// When the lease runs out (RFC 3339, UTC).
    pub lease_until: String,
    /// Whether it has not yet run out.
    pub live: bool,
}

/// A shared document in the team's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentSummary {
    /// The document's id.
    pub id: Uuid,
    /// Its name.
    pub name: String,
    /// The sequence number of the change that shared it.
    pub seq: i64,
    /// How many segments it holds.
    pub segments: i64,
    /// Who holds it, if anyone.
    #[serde(default)]
    pub holder: Option<Holder>,
}

/// A segment of a shared document as the server holds it now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SegmentView {
    /// The segment's id.
    pub id: Uuid,
    /// The Italian.
    pub source: String,
    /// The English.
    pub target: String,
    /// Its status.
    pub status: String,
    /// Its version: the `base_seq` of the next save.
    pub seq: i64,
}

/// A shared document whole, for a member who joins after it was shared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentView {
    /// The document's id.
    pub id: Uuid,
    /// Its name.
    pub name: String,
    /// The sequence number of the change that shared it.
    pub seq: i64,
    /// Its segments, in order, as they stand now.
    pub segments: Vec<SegmentView>,
    /// Who holds it, if anyone.
    #[serde(default)]
    pub holder: Option<Holder>,
}

/// The body of `POST /v1/documents/{id}/assign`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssignRequest {
    /// The user of the team who will hold the document.
    pub user: String,
    /// What they will do.
    pub step: Step,
    /// How long they hold it, from 1 to [`MAX_LEASE_MINUTES`].
    pub lease_minutes: i64,
}
