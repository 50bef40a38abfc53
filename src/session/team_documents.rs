//! Shared documents: sharing an imported article with the team, the list
//! of the team's documents with who holds each, assigning and releasing
//! one (an editor's or an admin's), opening one here, and the saves kept
//! aside. Saving a held document's segments needs nothing here: the store
//! sends them with the save (`store/team_documents.rs`).

use std::sync::atomic::AtomicBool;

use uuid::Uuid;

use super::articles::runtime;
use super::{Error, Result, Session};
use crate::document::{InlineCode, Translatable};
use crate::store::team::Membership;
use crate::store::team_documents::{SegmentConflict, TeamDocument};
use crate::store::{NewSegment, SegmentedBlock, Status};
use crate::sync::{self, SyncError, TeamServer};
use crate::team::{Change, Operation, PushRequest, SharedDocument, SharedSegment, Step};
use crate::text::codes::{marks, Mark};

/// A shared document as the document list shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SharedDocumentView {
    /// The document as the replica holds it.
    pub document: TeamDocument,
    /// Whether this user holds it.
    pub mine: bool,
}

/// The roles that share, assign and release documents.
fn manages_documents(role: &str) -> bool {
    role == "editor" || role == "admin"
}

/// What an inline code of a shared segment stands for: the protocol
/// carries the marks only, so each is a generic XLIFF-like code.
fn code_of(mark: Mark) -> (u16, InlineCode) {
    let (id, open, close, element) = match mark {
        Mark::Open(id) | Mark::Close(id) => {
            (id, format!("<g id=\"{}\">", id + 1), "</g>".to_owned(), "g")
        }
        Mark::Standalone(id) => (id, format!("<x id=\"{}\"/>", id + 1), String::new(), "x"),
    };
    (
        id,
        InlineCode {
            element: element.to_owned(),
            open,
            close,
            title: String::new(),
        },
    )
}

/// A shared segment as a block of its own, its codes described.
fn block_of(source: &str, target: &str, status: Status) -> SegmentedBlock {
    let mut codes: Vec<InlineCode> = Vec::new();
    for (id, code) in marks(source).map(code_of) {
        let id = usize::from(id);
        if codes.len() <= id {
            codes.resize(id + 1, code_of(Mark::Standalone(id as u16)).1);
        }
        codes[id] = code;
    }
    SegmentedBlock {
        kind: crate::document::BlockKind::Paragraph,
        translatable: Translatable::Yes,
        text: source.to_owned(),
        codes,
        segments: vec![NewSegment {
            source: source.to_owned(),
            target: target.to_owned(),
            status,
            note: None,
        }],
    }
}

impl Session {
    /// The joined team and its server, with the kept token.
    fn team_server(&self) -> Result<(Membership, TeamServer)> {
        let team = self.lock().ws.team()?.ok_or_else(|| {
            Error::Invalid("this workspace has joined no team (interlinea team join)".into())
        })?;
        let token = self
            .keys
            .get(&super::team::token_name(&team))?
            .ok_or_else(|| {
                Error::Invalid(format!(
                    "no token is kept for {} at {}; replace the token (interlinea team token --token-stdin)",
                    team.user, team.url
                ))
            })?;
        let server = TeamServer::new(&team.url, &token)?;
        Ok((team, server))
    }

    /// Refuses, before anything is sent, a user whose role may not manage
    /// shared documents: the server would refuse the whole push.
    fn require_manager(&self, server: &TeamServer, what: &str) -> Result<()> {
        let me = runtime()?.block_on(server.me())?;
        if !manages_documents(&me.role) {
            return Err(Error::Invalid(format!(
                "only an editor or an admin {what}; {} is a {}",
                me.user, me.role
            )));
        }
        Ok(())
    }

    /// The user's role in the team, as the server says (`admin`, `editor`,
    /// `translator`, `reviewer`): the app offers assigning to those who
    /// may.
    pub fn team_role_blocking(&self) -> Result<String> {
        let (_, server) = self.team_server()?;
        Ok(runtime()?.block_on(server.me())?.role)
    }

    /// Shares a local document with the team: its translatable segments,
    /// with their English, go into the outbox as one operation (sent by the
    /// next sync), and the document is linked to the shared one, so saves
    /// of its segments are sent while this user holds it. An editor's or an
    /// admin's; returns the shared document's id.
    pub fn share_document_blocking(&self, doc_id: i64) -> Result<Uuid> {
        let (_, server) = self.team_server()?;
        self.require_manager(&server, "shares documents")?;
        let mut open = self.lock();
        let summary = open.ws.document(doc_id)?;
        let rows: Vec<_> = open
            .ws
            .segments(doc_id)?
            .into_iter()
            .filter(|s| s.translatable == Translatable::Yes)
            .collect();
        let segments: Vec<(i64, SharedSegment)> = rows
            .into_iter()
            .map(|row| {
                let segment = SharedSegment {
                    id: Uuid::new_v4(),
                    source: row.source,
                    target: row.target,
                    status: row.status.as_str().to_owned(),
                };
                (row.id, segment)
            })
            .collect();
        let document = SharedDocument {
            id: Uuid::new_v4(),
            name: summary.name.clone(),
            segments: segments.iter().map(|(_, s)| s.clone()).collect(),
        };
        let change = Change::DocumentShared { document };
        // The limits are checked now: an operation they refuse never leaves.
        PushRequest {
            ops: vec![Operation {
                id: Uuid::nil(),
                change: change.clone(),
            }],
        }
        .check()
        .map_err(|e| Error::Invalid(format!("this document cannot be shared: {e}")))?;
        let Change::DocumentShared { document } = &change else {
            unreachable!("made above")
        };
        let links: Vec<(i64, Uuid)> = segments.iter().map(|(id, s)| (*id, s.id)).collect();
        let body = serde_json::to_value(&change).expect("a change serialises");
        open.ws
            .share_document(doc_id, document.id, &summary.name, &links, &body)?;
        Ok(document.id)
    }

    /// The team's shared documents as the replica holds them (pulled by
    /// the sync), with who holds each and whether each is here.
    pub fn team_documents(&self) -> Result<Vec<SharedDocumentView>> {
        let open = self.lock();
        let user = open.ws.team()?.map(|t| t.user);
        Ok(open
            .ws
            .team_documents()?
            .into_iter()
            .map(|document| SharedDocumentView {
                mine: document.holder.is_some() && document.holder == user,
                document,
            })
            .collect())
    }

    /// The shared document named by its team id, or by the local document
    /// linked to it.
    pub fn shared_document_id(&self, name: &str) -> Result<Uuid> {
        if let Ok(id) = Uuid::parse_str(name.trim()) {
            return Ok(id);
        }
        let local: i64 = name.trim().parse().map_err(|_| {
            Error::Invalid(format!(
                "{name:?} is neither a shared document's id nor a document's number"
            ))
        })?;
        self.lock()
            .ws
            .team_documents()?
            .into_iter()
            .find(|d| d.local == Some(local))
            .map(|d| d.id)
            .ok_or_else(|| Error::Invalid(format!("document {local} is not shared with the team")))
    }

    /// Pulls the log after a change made on the server, so the list shows
    /// it; a sync that fails leaves that for the next one.
    fn pull_after(&self) {
        if let Err(e) = self.team_sync_blocking(None, &AtomicBool::new(false)) {
            tracing::warn!("the sync after a change of a shared document failed: {e}");
        }
    }

    /// Gives a shared document to a user of the team for a step, with a
    /// lease of `minutes`; whoever held it no longer does. An editor's or
    /// an admin's.
    pub fn assign_document_blocking(
        &self,
        id: Uuid,
        user: &str,
        step: Step,
        minutes: i64,
    ) -> Result<sync::documents::Assigned> {
        let (_, server) = self.team_server()?;
        let assigned = runtime()?
            .block_on(server.assign(id, user, step, minutes))
            .map_err(|e| managed("assigns documents", e))?;
        self.pull_after();
        Ok(assigned)
    }

    /// Takes a shared document from whoever holds it. An editor's or an
    /// admin's.
    pub fn release_document_blocking(&self, id: Uuid) -> Result<sync::documents::Released> {
        let (_, server) = self.team_server()?;
        let released = runtime()?
            .block_on(server.release(id))
            .map_err(|e| managed("releases documents", e))?;
        self.pull_after();
        Ok(released)
    }

    /// Fetches a shared document as it stands now and makes a local
    /// document of it, linked to it (one block per segment); returns the
    /// local document's id.
    pub fn open_shared_blocking(&self, id: Uuid) -> Result<i64> {
        if let Some(local) = self
            .lock()
            .ws
            .team_documents()?
            .iter()
            .find(|d| d.id == id)
            .and_then(|d| d.local)
        {
            return Err(Error::Invalid(format!(
                "that shared document is here already, as document {local}"
            )));
        }
        let (_, server) = self.team_server()?;
        let view = runtime()?.block_on(server.document(id))?;
        let blocks: Vec<SegmentedBlock> = view
            .segments
            .iter()
            .map(|s| {
                let status = Status::from_name(&s.status).unwrap_or(Status::New);
                block_of(&s.source, &s.target, status)
            })
            .collect();
        let segments: Vec<(Uuid, i64)> = view.segments.iter().map(|s| (s.id, s.seq)).collect();
        let document = TeamDocument {
            id: view.id,
            name: view.name.clone(),
            n_segments: view.segments.len() as i64,
            shared: true,
            holder: view.holder.as_ref().map(|h| h.user.clone()),
            step: view.holder.as_ref().map(|h| h.step.as_str().to_owned()),
            lease_until: view.holder.as_ref().map(|h| h.lease_until.clone()),
            local: None,
            live: view.holder.as_ref().is_some_and(|h| h.live),
        };
        Ok(self
            .lock()
            .ws
            .add_shared_document(&document, view.seq, &blocks, &segments)?)
    }

    /// The saves of shared documents kept aside: this workspace's that the
    /// server refused, and teammates' that arrived over English edited
    /// here; newest first.
    pub fn segment_conflicts(&self) -> Result<Vec<SegmentConflict>> {
        Ok(self.lock().ws.segment_conflicts()?)
    }

    /// Takes a teammate's save kept aside into the segment here (their
    /// English replaces the one edited here); returns the local document
    /// and segment.
    pub fn take_segment_conflict(&self, id: i64) -> Result<(i64, i64)> {
        Ok(self.lock().ws.take_segment_conflict(id)?)
    }

    /// Dismisses a save kept aside, once settled.
    pub fn dismiss_segment_conflict(&self, id: i64) -> Result<()> {
        if !self.lock().ws.dismiss_segment_conflict(id)? {
            return Err(Error::Invalid(format!("no kept save numbered {id}")));
        }
        Ok(())
    }
}

/// A refusal by the server of a document's management, said plainly.
fn managed(what: &str, e: SyncError) -> Error {
    match e {
        SyncError::Refused { status: 403, .. } => {
            Error::Invalid(format!("only an editor or an admin {what}"))
        }
        SyncError::Refused {
            status: 404,
            message,
            ..
        } => Error::Invalid(format!(
            "the team server has no such document or user: {message}"
        )),
        other => Error::Team(other),
    }
}

#[cfg(test)]
mod tests;
