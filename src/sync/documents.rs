//! Shared documents over the wire: the server's documents endpoints, and
//! the translation of their changes and refused saves into the replica's.

use uuid::Uuid;

use super::{SyncError, TeamServer, REQUEST_TIMEOUT};
use crate::store::team_documents::{DocumentChange, RefusedSave};
use crate::team::{
    AssignRequest, Change, DocumentSummary, DocumentView, Holder, OpResult, Refusal, Step,
};

/// The answer to a release.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct Released {
    /// Whether someone held the document.
    pub released: bool,
    /// The change that released it, when one was written.
    pub seq: Option<i64>,
}

/// The answer to an assignment: who holds the document now.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct Assigned {
    /// The change that assigned it.
    pub seq: i64,
    /// The holder.
    #[serde(flatten)]
    pub holder: Holder,
}

impl TeamServer {
    /// The team's shared documents with who holds each.
    pub async fn documents(&self) -> Result<Vec<DocumentSummary>, SyncError> {
        let req = self.http.get(format!("{}/v1/documents", self.url));
        self.answer(req, REQUEST_TIMEOUT).await
    }

    /// A shared document whole, as it stands now.
    pub async fn document(&self, id: Uuid) -> Result<DocumentView, SyncError> {
        let req = self.http.get(format!("{}/v1/documents/{id}", self.url));
        self.answer(req, REQUEST_TIMEOUT).await
    }

    /// Gives a document to a user of the team for a step, for `minutes`.
    pub async fn assign(
        &self,
        id: Uuid,
        user: &str,
        step: Step,
        minutes: i64,
    ) -> Result<Assigned, SyncError> {
        let req = self
            .http
            .post(format!("{}/v1/documents/{id}/assign", self.url))
            .json(&AssignRequest {
                user: user.to_owned(),
                step,
                lease_minutes: minutes,
            });
        self.answer(req, REQUEST_TIMEOUT).await
    }

    /// Takes a document from whoever holds it.
    pub async fn release(&self, id: Uuid) -> Result<Released, SyncError> {
        let req = self
            .http
            .post(format!("{}/v1/documents/{id}/release", self.url));
        self.answer(req, REQUEST_TIMEOUT).await
    }
}

/// A change of a shared document as the replica applies it; none for the
/// other kinds.
pub(super) fn document_change(op_id: Uuid, change: &Change) -> Option<DocumentChange> {
    Some(match change {
        Change::DocumentShared { document } => DocumentChange::Shared {
            id: document.id,
            name: document.name.clone(),
            n_segments: document.segments.len() as i64,
        },
        Change::SegmentSaved {
            document_id,
            segment_id,
            target,
            status,
            ..
        } => DocumentChange::SegmentSaved {
            op_id,
            document: *document_id,
            segment: *segment_id,
            target: target.clone(),
            status: status.clone(),
        },
        Change::Assigned {
            document_id,
            user,
            step,
            lease_until,
        } => DocumentChange::Assigned {
            document: *document_id,
            user: user.clone(),
            step: step.as_str().to_owned(),
            lease_until: lease_until.clone(),
        },
        Change::Released { document_id } => DocumentChange::Released {
            document: *document_id,
        },
        Change::UnitAdded { .. }
        | Change::UnitDeleted { .. }
        | Change::EntryPut { .. }
        | Change::EntryDeleted { .. } => return None,
    })
}

/// A refusal's name on the wire.
pub fn refusal_name(reason: Refusal) -> &'static str {
    match reason {
        Refusal::UnknownSegment => "unknown_segment",
        Refusal::NotHolder => "not_holder",
        Refusal::LeaseExpired => "lease_expired",
        Refusal::Stale => "stale",
    }
}

/// The saves a push's answer says were refused, to keep.
pub fn refused_saves(results: &[OpResult]) -> Vec<RefusedSave> {
    results
        .iter()
        .filter_map(|r| r.refused.as_ref())
        .map(|c| RefusedSave {
            op_id: c.op_id,
            document: c.document_id,
            segment: c.segment_id,
            author: c.author.clone(),
            target: c.target.clone(),
            status: c.status.clone(),
            reason: refusal_name(c.reason).to_owned(),
            base_seq: c.base_seq,
            current_seq: c.current_seq,
        })
        .collect()
}

#[cfg(test)]
mod tests;
