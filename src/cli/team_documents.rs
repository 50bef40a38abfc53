//! `interlinea team share|documents|assign|release|open|refused`: the
//! team's shared documents from scripts. Results are JSON on standard
//! output; failures one line on standard error and a non-zero exit.

use std::io::Write;
use std::sync::atomic::AtomicBool;

use anyhow::Context;
use clap::Subcommand;
use interlinea::session::Session;
use interlinea::team::Step;
use serde::Serialize;

use crate::{open_session, DbArg};

#[derive(Subcommand)]
pub enum TeamDocumentsCommand {
    /// Share document DOC (its number) with the team, then sync; editors
    /// and admins only. Saves of its segments are sent while you hold it.
    /// Prints {"id","document","sent"}: sent is false when the server was
    /// out of reach (the next sync sends it)
    Share {
        doc: i64,
        #[command(flatten)]
        db: DbArg,
    },
    /// The team's shared documents as the last sync left them, as a JSON
    /// array of {"id","name","segments","shared","holder","step",
    /// "lease_until","live","mine","document"} (document: its number here,
    /// or null)
    Documents {
        #[command(flatten)]
        db: DbArg,
    },
    /// Give shared document DOC (its id, or its number here) to USER for a
    /// step, with a lease of N minutes (default 240); editors and admins
    /// only. Prints {"id","user","step","lease_until","live","seq"}
    Assign {
        doc: String,
        #[arg(long, value_name = "NAME")]
        user: String,
        #[arg(long, value_parser = ["translate", "review"])]
        step: String,
        #[arg(long, value_name = "N", default_value_t = 240)]
        minutes: i64,
        #[command(flatten)]
        db: DbArg,
    },
    /// Take shared document DOC (its id, or its number here) from whoever
    /// holds it; editors and admins only. Prints {"released","seq"}
    Release {
        doc: String,
        #[command(flatten)]
        db: DbArg,
    },
    /// Fetch shared document DOC_ID as it stands now and make a document
    /// here linked to it. Prints {"id","document","segments"}
    Open {
        doc_id: String,
        #[command(flatten)]
        db: DbArg,
    },
    /// The saves of shared documents kept aside, newest first, as a JSON
    /// array of {"id","reason","author","english","status","shared_document",
    /// "shared_segment","document","segment","base_seq","current_seq"}:
    /// yours that the server refused (not_holder, lease_expired, stale,
    /// unknown_segment), a teammate's over English edited here
    /// (edited_here). --dismiss ID drops one once settled; --take ID puts a
    /// teammate's English into the segment here
    Refused {
        #[arg(long, value_name = "ID", conflicts_with = "take")]
        dismiss: Option<i64>,
        #[arg(long, value_name = "ID")]
        take: Option<i64>,
        #[command(flatten)]
        db: DbArg,
    },
}

#[derive(Serialize)]
struct Listed<'a> {
    id: String,
    name: &'a str,
    segments: i64,
    shared: bool,
    holder: Option<&'a str>,
    step: Option<&'a str>,
    lease_until: Option<&'a str>,
    live: bool,
    mine: bool,
    document: Option<i64>,
}

#[derive(Serialize)]
struct Kept<'a> {
    id: i64,
    reason: &'a str,
    author: &'a str,
    english: &'a str,
    status: &'a str,
    shared_document: String,
    shared_segment: String,
    document: Option<i64>,
    segment: Option<i64>,
    base_seq: Option<i64>,
    current_seq: Option<i64>,
}

fn print(out: &mut impl Write, value: &impl Serialize) -> anyhow::Result<()> {
    serde_json::to_writer(&mut *out, value)?;
    writeln!(out)?;
    Ok(())
}

pub fn run(out: &mut impl Write, command: TeamDocumentsCommand) -> anyhow::Result<()> {
    match command {
        TeamDocumentsCommand::Share { doc, db } => share(out, &open_session(&db)?, doc),
        TeamDocumentsCommand::Documents { db } => documents(out, &open_session(&db)?),
        TeamDocumentsCommand::Assign {
            doc,
            user,
            step,
            minutes,
            db,
        } => {
            let session = open_session(&db)?;
            let id = session.shared_document_id(&doc)?;
            let step = Step::parse(&step).context("--step is translate or review")?;
            let assigned = session
                .assign_document_blocking(id, &user, step, minutes)
                .with_context(|| format!("assigning the shared document {id} to {user}"))?;
            print(
                out,
                &serde_json::json!({
                    "id": id, "user": assigned.holder.user, "step": assigned.holder.step,
                    "lease_until": assigned.holder.lease_until, "live": assigned.holder.live,
                    "seq": assigned.seq,
                }),
            )
        }
        TeamDocumentsCommand::Release { doc, db } => {
            let session = open_session(&db)?;
            let id = session.shared_document_id(&doc)?;
            let released = session
                .release_document_blocking(id)
                .with_context(|| format!("releasing the shared document {id}"))?;
            print(
                out,
                &serde_json::json!({"released": released.released, "seq": released.seq}),
            )
        }
        TeamDocumentsCommand::Open { doc_id, db } => {
            let session = open_session(&db)?;
            let id = uuid::Uuid::parse_str(doc_id.trim())
                .with_context(|| format!("{doc_id:?} is not a shared document's id"))?;
            let doc = session
                .open_shared_blocking(id)
                .with_context(|| format!("opening the shared document {id}"))?;
            let segments = session.lock().workspace().segments(doc)?.len();
            print(
                out,
                &serde_json::json!({"id": id, "document": doc, "segments": segments}),
            )
        }
        TeamDocumentsCommand::Refused { dismiss, take, db } => {
            let session = open_session(&db)?;
            if let Some(id) = dismiss {
                session.dismiss_segment_conflict(id)?;
            }
            if let Some(id) = take {
                session.take_segment_conflict(id)?;
            }
            refused(out, &session)
        }
    }
}

fn share(out: &mut impl Write, session: &Session, doc: i64) -> anyhow::Result<()> {
    let id = session
        .share_document_blocking(doc)
        .with_context(|| format!("sharing document {doc} with the team"))?;
    // Sent only when the server has it: a sharing it refused is no longer
    // in the outbox either.
    let sent = match session.team_sync_blocking(None, &AtomicBool::new(false)) {
        Ok(_) => session
            .team_documents()?
            .iter()
            .any(|view| view.document.id == id && view.document.shared),
        Err(e) => {
            eprintln!("the document waits to be sent: {e}");
            false
        }
    };
    print(
        out,
        &serde_json::json!({"id": id, "document": doc, "sent": sent}),
    )
}

fn documents(out: &mut impl Write, session: &Session) -> anyhow::Result<()> {
    let listed = session.team_documents()?;
    let rows: Vec<Listed<'_>> = listed
        .iter()
        .map(|view| {
            let d = &view.document;
            Listed {
                id: d.id.to_string(),
                name: &d.name,
                segments: d.n_segments,
                shared: d.shared,
                holder: d.holder.as_deref(),
                step: d.step.as_deref(),
                lease_until: d.lease_until.as_deref(),
                live: d.live,
                mine: view.mine,
                document: d.local,
            }
        })
        .collect();
    print(out, &rows)
}

fn refused(out: &mut impl Write, session: &Session) -> anyhow::Result<()> {
    let kept = session.segment_conflicts()?;
    let rows: Vec<Kept<'_>> = kept
        .iter()
        .map(|c| Kept {
            id: c.id,
            reason: &c.save.reason,
            author: &c.save.author,
            english: &c.save.target,
            status: &c.save.status,
            shared_document: c.save.document.to_string(),
            shared_segment: c.save.segment.to_string(),
            document: c.local.map(|l| l.0),
            segment: c.local.map(|l| l.1),
            base_seq: c.save.base_seq,
            current_seq: c.save.current_seq,
        })
        .collect();
    print(out, &rows)
}
