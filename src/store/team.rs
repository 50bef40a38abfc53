//! The team this workspace joined: its server and cursor, the outbox of
//! operations its server has not acknowledged yet, and the replica of the
//! team's memory and glossary.
//!
//! The replica is an ordinary TM and glossary of the workspace (named after
//! the team), so the match index, the matches panel and the concordance
//! serve the team's units with no lookup leaving the machine; `team_units`
//! and `team_entries` map the team's ids onto local rows. A unit confirmed
//! here stays in the workspace TM and is mapped too, so when it comes back
//! from the server it is recognised, not doubled.
//!
//! Operations are kept as the protocol's JSON (`crate::team`, above this
//! layer, reads them); they are written in the transaction of the change
//! they carry, so a crash never keeps one without the other.

use rusqlite::{params, OptionalExtension, Transaction};
use uuid::Uuid;

use super::glossary::{insert_entry, insert_terms};
use super::tm::{stable_hash, tmx_date_now};
use super::{StoreError, Workspace};
use crate::termbase::{Entry, Term};

/// The team a workspace joins, as `join_team` takes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMembership {
    /// The server's address.
    pub url: String,
    /// The user's name on it.
    pub user: String,
    /// The team's name, as the server said.
    pub team: String,
    /// Whether the user's role may write the team memory: a reviewer's
    /// confirmations are not sent (the server would refuse them).
    pub writes_tm: bool,
    /// The name the token is kept under with the MT keys, written with the
    /// membership so that no join is left without it.
    pub token_key: Option<String>,
}

/// The team a workspace joined, and where its sync stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Membership {
    /// The server's address.
    pub url: String,
    /// The user's name on it.
    pub user: String,
    /// The team's name.
    pub team: String,
    /// The TM holding the team's units.
    pub tm: String,
    /// The glossary holding the team's entries.
    pub glossary: String,
    /// The server's epoch the replica was pulled under, if it gave one.
    pub epoch: Option<String>,
    /// The last sequence number pulled.
    pub pulled_seq: i64,
    /// When the last sync ended well (ms since the epoch).
    pub synced_at: Option<i64>,
    /// The same as ISO 8601 UTC.
    pub synced_at_utc: Option<String>,
    /// Why the last sync failed, if it did.
    pub last_error: Option<String>,
    /// Whether it failed because the server was out of reach.
    pub offline: bool,
    /// Operations waiting to be acknowledged.
    pub outbox: usize,
    /// Units of the team held.
    pub units: usize,
    /// Glossary conflicts received.
    pub conflicts: usize,
    /// Operations set aside because the server can never take them, oldest
    /// first.
    pub rejected: Vec<RejectedOp>,
    /// What the token of this membership is kept under, when it is this
    /// workspace's alone (none for a join made before such names).
    pub token_key: Option<String>,
}

/// An operation set aside from the outbox: the server refused it for good
/// (or it breaks the protocol's limits), so it is neither sent again nor
/// lost without a word, until the translator drops it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RejectedOp {
    /// The operation's id.
    pub op_id: Uuid,
    /// What it is about.
    pub kind: OpKind,
    /// What it changes, in a few words ("unit: Italian → English").
    pub what: String,
    /// Why it was refused.
    pub reason: String,
}

/// The most characters of a text a rejected operation's summary quotes.
const SUMMARY_CHARS: usize = 60;

fn excerpt(text: &str) -> String {
    let mut chars = text.chars();
    let head: String = chars.by_ref().take(SUMMARY_CHARS).collect();
    if chars.next().is_some() {
        format!("{head}…")
    } else {
        head
    }
}

/// A few words on what an operation's JSON changes, for the translator.
fn summary(body: &str) -> String {
    let json: serde_json::Value = serde_json::from_str(body).unwrap_or_default();
    let text = |value: &serde_json::Value| excerpt(value.as_str().unwrap_or_default());
    let first_term = |side: &str| text(&json["entry"][side][0]["text"]);
    match json["kind"].as_str().unwrap_or_default() {
        "unit_added" => format!(
            "unit: {} → {}",
            text(&json["unit"]["source"]),
            text(&json["unit"]["target"])
        ),
        "unit_deleted" => "a unit's deletion".to_owned(),
        "entry_put" => format!(
            "glossary entry: {} → {}",
            first_term("italian"),
            first_term("english")
        ),
        "entry_deleted" => "a glossary entry's deletion".to_owned(),
        "document_shared" => format!("shared document: {}", text(&json["document"]["name"])),
        "segment_saved" => format!("a shared segment's English: {}", text(&json["target"])),
        other => format!("a change of kind {other:?}"),
    }
}

/// What an operation of the outbox is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpKind {
    /// A unit of the team memory.
    Unit,
    /// An entry of the team glossary.
    Entry,
    /// A shared document or one of its segments.
    Document,
}

/// An operation not yet acknowledged by the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingOp {
    /// The operation's id.
    pub op_id: Uuid,
    /// What it is about.
    pub kind: OpKind,
    /// The unit's or entry's team id.
    pub subject: Uuid,
    /// The change, as the protocol's JSON.
    pub body: String,
    /// For an entry, the version held now: the one this change is based on.
    pub base_seq: Option<i64>,
}

/// One change pulled from the team's log, as the replica applies it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pulled {
    /// A unit added, or replaced under its id.
    UnitPut {
        /// Its team id.
        id: Uuid,
        /// Its Italian.
        source: String,
        /// Its English.
        target: String,
    },
    /// A unit deleted.
    UnitDeleted {
        /// Its team id.
        id: Uuid,
    },
    /// An entry created or replaced whole.
    EntryPut {
        /// Its team id.
        id: Uuid,
        /// Its content (its `id` and `glossary` are ignored).
        entry: Entry,
    },
    /// An entry deleted.
    EntryDeleted {
        /// Its team id.
        id: Uuid,
    },
    /// A change of a shared document (`team_documents.rs`).
    Document(super::team_documents::DocumentChange),
}

/// A change of the log with its number and author.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PulledChange {
    /// Its sequence number.
    pub seq: i64,
    /// Who pushed it.
    pub author: String,
    /// When the server applied it (RFC 3339).
    pub at: String,
    /// The change.
    pub change: Pulled,
}

/// A glossary version that lost to a later write, as received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamConflict {
    /// The entry's team id.
    pub entry: Uuid,
    /// The version that lost, as the protocol's JSON; none for a deletion.
    pub lost: Option<String>,
    /// Its sequence number.
    pub lost_seq: i64,
    /// The sequence number of the write that won.
    pub won_seq: i64,
}

/// A page of the log to apply with the cursor it moves to.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PulledPage {
    /// The number the page was asked after.
    pub since: i64,
    /// The changes, in order.
    pub changes: Vec<PulledChange>,
    /// The conflicts they carry.
    pub conflicts: Vec<TeamConflict>,
    /// The number to ask after next.
    pub next: i64,
    /// Whether the log holds more changes after `next` already.
    pub more: bool,
    /// The epoch of the team's log the page belongs to, when the server
    /// gives one.
    pub epoch: Option<String>,
}

/// A unit of a snapshot of the team memory, as the replica stores it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnapshotUnit {
    /// Its team id.
    pub id: Uuid,
    /// Its Italian.
    pub source: String,
    /// Its English.
    pub target: String,
    /// Who wrote it.
    pub author: String,
    /// When the server applied it (RFC 3339).
    pub at: String,
}

/// A page of a snapshot of the team memory, with where it leaves it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SnapshotPage {
    /// The team's number the snapshot is as of.
    pub as_of: i64,
    /// The units, in the order of their ids.
    pub units: Vec<SnapshotUnit>,
    /// Whether units follow.
    pub more: bool,
    /// The epoch of the team's log, when the server gives one.
    pub epoch: Option<String>,
}

/// Where a snapshot of the team memory stands in the workspace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Snapshot {
    /// The team's number it is as of.
    pub as_of: i64,
    /// The last unit stored; none before the first.
    pub after: Option<Uuid>,
    /// Whether every unit is stored.
    pub done: bool,
}

/// What applying pages did, for the match index and the report.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Applied {
    /// Changes applied (those held back by a waiting operation of the
    /// outbox, or of a page applied already, are not counted).
    pub changes: usize,
    /// Of those, changes to shared documents: the open one may need
    /// reading again.
    pub documents: usize,
    /// Units stored, with their Italian, for the match index.
    pub added: Vec<(i64, String)>,
    /// Units whose Italian changed, for the match index.
    pub resourced: Vec<(i64, String)>,
    /// Units deleted.
    pub removed: Vec<i64>,
    /// Conflicts stored that were new here.
    pub conflicts: usize,
    /// Whether the glossary changed.
    pub glossary_changed: bool,
    /// The server's log started over under this epoch (a restored
    /// backup): nothing was applied, and the pull starts again from 0.
    pub new_epoch: Option<String>,
}

/// Forgets a snapshot of the team memory, with the pull it began.
const NO_SNAPSHOT: &str = "snapshot_as_of = NULL, snapshot_after = NULL, snapshot_done = 0";

/// The replica's TM and glossary are named after the team.
fn replica_name(team: &str) -> String {
    format!("Team: {team}")
}

/// Whether the workspace joined a team whose memory its user may write.
fn writes_team_tm(tx: &Transaction<'_>) -> Result<bool, StoreError> {
    Ok(tx
        .prepare_cached("SELECT writes_tm FROM team")?
        .query_row([], |r| r.get(0))
        .optional()?
        .unwrap_or(false))
}

/// The joined team's TM and glossary, if the workspace joined one.
pub(super) fn joined(tx: &Transaction<'_>) -> Result<Option<(i64, i64)>, StoreError> {
    Ok(tx
        .prepare_cached("SELECT tm_id, glossary_id FROM team")?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

/// Puts an operation into the outbox; returns its id.
pub(super) fn enqueue(
    tx: &Transaction<'_>,
    kind: OpKind,
    subject: Uuid,
    body: &serde_json::Value,
) -> Result<Uuid, StoreError> {
    let op_id = Uuid::new_v4();
    tx.prepare_cached(
        "INSERT INTO team_outbox (op_id, kind, subject, body, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        op_id.to_string(),
        match kind {
            OpKind::Unit => "unit",
            OpKind::Entry => "entry",
            OpKind::Document => "document",
        },
        subject.as_bytes(),
        body.to_string(),
        super::now_ms()
    ])?;
    Ok(op_id)
}

/// Notes a unit of the workspace written by a confirmation (or an edit) for
/// the team, in the transaction that writes it: a unit not shared yet gets
/// a team id; a shared one is sent again only when its text `changed`.
/// Does nothing in a workspace that joined no team.
pub(super) fn unit_written(
    tx: &Transaction<'_>,
    unit_id: i64,
    changed: bool,
) -> Result<(), StoreError> {
    if !writes_team_tm(tx)? {
        return Ok(());
    }
    let (source, target): (String, String) = tx.query_row(
        "SELECT source, target FROM tm_units WHERE id = ?1",
        [unit_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let mapped: Option<Vec<u8>> = tx
        .prepare_cached("SELECT uuid FROM team_units WHERE unit_id = ?1")?
        .query_row([unit_id], |r| r.get(0))
        .optional()?;
    let id = match mapped.and_then(|bytes| Uuid::from_slice(&bytes).ok()) {
        Some(_) if !changed => return Ok(()),
        Some(id) => id,
        None => {
            let id = Uuid::new_v4();
            tx.prepare_cached("INSERT INTO team_units (uuid, unit_id) VALUES (?1, ?2)")?
                .execute(params![id.as_bytes(), unit_id])?;
            id
        }
    };
    let body = serde_json::json!({
        "kind": "unit_added",
        "unit": {"id": id, "source": source, "target": target},
    });
    enqueue(tx, OpKind::Unit, id, &body).map(drop)
}

/// Notes a changed unit for the team when the team holds it already.
pub(super) fn unit_written_if_shared(tx: &Transaction<'_>, unit_id: i64) -> Result<(), StoreError> {
    let shared: bool = tx
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM team_units WHERE unit_id = ?1)")?
        .query_row([unit_id], |r| r.get(0))?;
    if shared {
        unit_written(tx, unit_id, true)?;
    }
    Ok(())
}

/// Notes a unit of the team deleted here, in the transaction that deletes
/// it (before it does).
pub(super) fn unit_deleted(tx: &Transaction<'_>, unit_id: i64) -> Result<(), StoreError> {
    if !writes_team_tm(tx)? {
        return Ok(());
    }
    let mapped: Vec<Vec<u8>> = tx
        .prepare_cached("SELECT uuid FROM team_units WHERE unit_id = ?1")?
        .query_map([unit_id], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    for id in mapped.iter().filter_map(|b| Uuid::from_slice(b).ok()) {
        let body = serde_json::json!({"kind": "unit_deleted", "unit_id": id});
        enqueue(tx, OpKind::Unit, id, &body)?;
    }
    Ok(())
}

fn terms_json(terms: &[Term]) -> serde_json::Value {
    terms
        .iter()
        .filter(|t| !t.text.trim().is_empty())
        .map(|t| {
            let mut term = serde_json::json!({"text": t.text.trim(), "status": t.status.as_str()});
            if let Some(note) = t.note.as_deref().filter(|n| !n.trim().is_empty()) {
                term["note"] = note.into();
            }
            if let Some(pos) = t.pos.as_deref().filter(|p| !p.trim().is_empty()) {
                term["pos"] = pos.into();
            }
            if t.case_sensitive {
                term["case_sensitive"] = true.into();
            }
            term
        })
        .collect()
}

/// An entry as the protocol's JSON.
fn entry_json(id: Uuid, entry: &Entry) -> serde_json::Value {
    let mut json = serde_json::json!({
        "id": id,
        "italian": terms_json(&entry.italian),
        "english": terms_json(&entry.english),
    });
    for (field, value) in [("domain", &entry.domain), ("note", &entry.note)] {
        if let Some(value) = value.as_deref().filter(|v| !v.trim().is_empty()) {
            json[field] = value.into();
        }
    }
    json
}

/// Notes an entry written to a glossary, in the transaction that writes
/// it: an entry of the team's glossary goes to the outbox whole.
pub(super) fn entry_written(
    tx: &Transaction<'_>,
    entry_id: i64,
    entry: &Entry,
) -> Result<(), StoreError> {
    let Some((_, team_glossary)) = joined(tx)? else {
        return Ok(());
    };
    let glossary: i64 = tx.query_row(
        "SELECT glossary_id FROM glossary_entries WHERE id = ?1",
        [entry_id],
        |r| r.get(0),
    )?;
    if glossary != team_glossary {
        return Ok(());
    }
    let mapped: Option<Vec<u8>> = tx
        .prepare_cached("SELECT uuid FROM team_entries WHERE entry_id = ?1")?
        .query_row([entry_id], |r| r.get(0))
        .optional()?;
    let id = match mapped.and_then(|bytes| Uuid::from_slice(&bytes).ok()) {
        Some(id) => id,
        None => {
            let id = Uuid::new_v4();
            tx.prepare_cached("INSERT INTO team_entries (uuid, entry_id) VALUES (?1, ?2)")?
                .execute(params![id.as_bytes(), entry_id])?;
            id
        }
    };
    let body = serde_json::json!({"kind": "entry_put", "entry": entry_json(id, entry)});
    enqueue(tx, OpKind::Entry, id, &body).map(drop)
}

/// Notes an entry of the team's glossary deleted here, in the transaction
/// that deletes it (before it does).
pub(super) fn entry_deleted(tx: &Transaction<'_>, entry_id: i64) -> Result<(), StoreError> {
    if joined(tx)?.is_none() {
        return Ok(());
    }
    let mapped: Option<Vec<u8>> = tx
        .prepare_cached("SELECT uuid FROM team_entries WHERE entry_id = ?1")?
        .query_row([entry_id], |r| r.get(0))
        .optional()?;
    if let Some(id) = mapped.and_then(|bytes| Uuid::from_slice(&bytes).ok()) {
        let body = serde_json::json!({"kind": "entry_deleted", "entry_id": id});
        enqueue(tx, OpKind::Entry, id, &body)?;
    }
    Ok(())
}

/// An RFC 3339 time as a TMX basic date (`2026-12-06T14:03:53.1Z` →
/// `20261206T140353Z`), as the workspace dates units; none when it is not
/// one.
fn tmx_date(at: &str) -> Option<String> {
    let digits: String = at.chars().take(19).filter(char::is_ascii_digit).collect();
    (digits.len() == 14).then(|| format!("{}T{}Z", &digits[..8], &digits[8..]))
}

impl Workspace {
    /// Joins a team: notes its server and user, and makes the TM and the
    /// glossary that hold its replica (or takes those of an earlier join,
    /// whose units are then recognised as they are pulled again). A
    /// workspace joins one team at a time.
    pub fn join_team(&mut self, team: &NewMembership) -> Result<Membership, StoreError> {
        let tx = self.conn.transaction()?;
        if joined(&tx)?.is_some() {
            return Err(StoreError::InvalidEdit(
                "this workspace has joined a team already; leave it first".into(),
            ));
        }
        let name = replica_name(&team.team);
        let now = super::now_ms();
        tx.execute(
            "INSERT INTO tms (name, read_only, created_at) VALUES (?1, 0, ?2)
             ON CONFLICT (name) DO UPDATE SET read_only = 0",
            params![name, now],
        )?;
        tx.execute(
            "INSERT OR IGNORE INTO glossaries (name, created_at) VALUES (?1, ?2)",
            params![name, now],
        )?;
        tx.execute(
            "INSERT INTO team (id, url, user, name, writes_tm, tm_id, glossary_id, joined_at, token_key)
             VALUES (1, ?1, ?2, ?3, ?6, (SELECT id FROM tms WHERE name = ?4),
                     (SELECT id FROM glossaries WHERE name = ?4), ?5, ?7)",
            params![team.url, team.user, team.team, name, now, team.writes_tm, team.token_key],
        )?;
        tx.commit()?;
        Ok(self.team()?.expect("joined above"))
    }

    /// The team the workspace joined, with where its sync stands.
    pub fn team(&self) -> Result<Option<Membership>, StoreError> {
        let found = self
            .conn
            .query_row(
                "SELECT t.url, t.user, t.name, tm.name, g.name, t.epoch, t.pulled_seq,
                        t.synced_at, t.last_error, t.offline,
                        (SELECT count(*) FROM team_outbox),
                        (SELECT count(*) FROM team_units),
                        (SELECT count(*) FROM team_conflicts),
                        strftime('%Y-%m-%dT%H:%M:%SZ', t.synced_at / 1000, 'unixepoch'),
                        t.token_key
                 FROM team t JOIN tms tm ON tm.id = t.tm_id
                 JOIN glossaries g ON g.id = t.glossary_id",
                [],
                |r| {
                    Ok(Membership {
                        url: r.get(0)?,
                        user: r.get(1)?,
                        team: r.get(2)?,
                        tm: r.get(3)?,
                        glossary: r.get(4)?,
                        epoch: r.get(5)?,
                        pulled_seq: r.get(6)?,
                        synced_at: r.get(7)?,
                        last_error: r.get(8)?,
                        offline: r.get(9)?,
                        outbox: r.get::<_, i64>(10)? as usize,
                        units: r.get::<_, i64>(11)? as usize,
                        conflicts: r.get::<_, i64>(12)? as usize,
                        synced_at_utc: r.get(13)?,
                        rejected: Vec::new(),
                        token_key: r.get(14)?,
                    })
                },
            )
            .optional()?;
        let Some(team) = found else {
            return Ok(None);
        };
        Ok(Some(Membership {
            rejected: self.rejected_ops()?,
            ..team
        }))
    }

    fn rejected_ops(&self) -> Result<Vec<RejectedOp>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT op_id, kind, body, reason FROM team_rejected
             ORDER BY rejected_at, created_at",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get(3)?,
            ))
        })?;
        let mut found = Vec::new();
        for row in rows {
            let (op_id, kind, body, reason) = row?;
            found.push(RejectedOp {
                op_id: Uuid::parse_str(&op_id)
                    .map_err(|e| StoreError::InvalidEdit(format!("an outbox id: {e}")))?,
                kind: match kind.as_str() {
                    "entry" => OpKind::Entry,
                    "document" => OpKind::Document,
                    _ => OpKind::Unit,
                },
                what: summary(&body),
                reason,
            });
        }
        Ok(found)
    }

    /// Sets operations of the outbox aside as rejected, each with why, in
    /// one transaction: they are sent no more, and the rest can go.
    pub fn reject_ops(&mut self, rejected: &[(Uuid, String)]) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        {
            let mut set_aside = tx.prepare_cached(
                "INSERT OR REPLACE INTO team_rejected
                        (op_id, kind, subject, body, reason, created_at, rejected_at)
                 SELECT op_id, kind, subject, body, ?2, created_at, ?3
                 FROM team_outbox WHERE op_id = ?1",
            )?;
            let mut delete = tx.prepare_cached("DELETE FROM team_outbox WHERE op_id = ?1")?;
            let now = super::now_ms();
            for (op_id, reason) in rejected {
                set_aside.execute(params![op_id.to_string(), reason, now])?;
                delete.execute([op_id.to_string()])?;
                super::team_documents::op_set_aside(&tx, &op_id.to_string())?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Drops rejected operations: the one named, or all; returns how many.
    pub fn drop_rejected(&mut self, op_id: Option<Uuid>) -> Result<usize, StoreError> {
        let tx = self.conn.transaction()?;
        let dropped: Vec<String> = tx
            .prepare("DELETE FROM team_rejected WHERE ?1 IS NULL OR op_id = ?1 RETURNING op_id")?
            .query_map([op_id.map(|id| id.to_string())], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        // An operation rejected by an earlier version of the app may still
        // have left its markers.
        for op in &dropped {
            super::team_documents::op_set_aside(&tx, op)?;
        }
        tx.commit()?;
        Ok(dropped.len())
    }

    /// Puts rejected operations back into the outbox, after what waits
    /// there, under their own ids: the one named, or all, in the order they
    /// were made; returns how many. For a refusal that was the way's, not
    /// the server's (a proxy's), or one a fix on the server lifts.
    ///
    /// Kept back: an operation on a shared document (setting it aside undid
    /// its marks here, so sent again it would land unlinked: share or save
    /// again instead), one whose unit or entry has a later operation
    /// waiting, and one that no longer says what the workspace holds (a
    /// later edit was sent since): either would overwrite the later
    /// version on the server.
    pub fn retry_rejected(&mut self, op_id: Option<Uuid>) -> Result<usize, StoreError> {
        let candidates: Vec<(String, String, Vec<u8>, String)> = self
            .conn
            .prepare(
                "SELECT r.op_id, r.kind, r.subject, r.body FROM team_rejected r
                 WHERE (?1 IS NULL OR r.op_id = ?1) AND r.kind <> 'document'
                   AND NOT EXISTS (SELECT 1 FROM team_outbox o WHERE o.subject = r.subject)
                 ORDER BY r.created_at, r.rejected_at",
            )?
            .query_map([op_id.map(|id| id.to_string())], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })?
            .collect::<Result<_, _>>()?;
        let mut current = Vec::new();
        for (op, kind, subject, body) in candidates {
            if self.still_holds(&kind, &subject, &body)? {
                current.push(op);
            }
        }
        let tx = self.conn.transaction()?;
        for op in &current {
            tx.execute(
                "INSERT INTO team_outbox (op_id, kind, subject, body, created_at)
                 SELECT op_id, kind, subject, body, created_at FROM team_rejected WHERE op_id = ?1",
                [op],
            )?;
            tx.execute("DELETE FROM team_rejected WHERE op_id = ?1", [op])?;
        }
        tx.commit()?;
        Ok(current.len())
    }

    /// Whether a rejected operation on the unit or entry `subject` still
    /// says what the workspace holds of it; one that is not a unit's or an
    /// entry's version (the server refuses it again) overwrites nothing.
    fn still_holds(&self, kind: &str, subject: &[u8], body: &str) -> Result<bool, StoreError> {
        let (Ok(id), Ok(body)) = (
            Uuid::from_slice(subject),
            serde_json::from_str::<serde_json::Value>(body),
        ) else {
            return Ok(true);
        };
        Ok(match (kind, body["kind"].as_str()) {
            ("unit", Some("unit_added")) => {
                let held: Option<(String, String)> = self
                    .conn
                    .query_row(
                        "SELECT u.source, u.target FROM team_units m
                         JOIN tm_units u ON u.id = m.unit_id WHERE m.uuid = ?1",
                        [id.as_bytes()],
                        |r| Ok((r.get(0)?, r.get(1)?)),
                    )
                    .optional()?;
                held.is_some_and(|(source, target)| {
                    body["unit"]["source"] == source && body["unit"]["target"] == target
                })
            }
            ("unit", Some("unit_deleted")) => self.team_unit(id)?.is_none(),
            ("entry", Some("entry_put")) => self
                .team_entry(id)?
                .is_some_and(|entry| entry_json(id, &entry) == body["entry"]),
            ("entry", Some("entry_deleted")) => self.team_entry(id)?.is_none(),
            _ => true,
        })
    }

    /// The workspace's unit the team id `id` maps to, if any.
    fn team_unit(&self, id: Uuid) -> Result<Option<i64>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT unit_id FROM team_units WHERE uuid = ?1",
                [id.as_bytes()],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Keeps the membership's token under a name of this workspace alone.
    pub fn set_token_key(&mut self, key: &str) -> Result<(), StoreError> {
        self.conn.execute("UPDATE team SET token_key = ?1", [key])?;
        Ok(())
    }

    /// The glossary conflicts settled here that the server has not been
    /// told are resolved, by the number of the write that won.
    pub fn unsent_resolutions(&self) -> Result<Vec<i64>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT won_seq FROM team_resolutions ORDER BY won_seq")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Notes that the server knows the conflict won by `won_seq` resolved.
    pub fn resolution_sent(&mut self, won_seq: i64) -> Result<(), StoreError> {
        self.conn
            .execute("DELETE FROM team_resolutions WHERE won_seq = ?1", [won_seq])?;
        Ok(())
    }

    /// The operations waiting in the outbox.
    pub fn outbox_len(&self) -> Result<usize, StoreError> {
        Ok(self
            .conn
            .prepare_cached("SELECT count(*) FROM team_outbox")?
            .query_row([], |r| r.get::<_, i64>(0))? as usize)
    }

    /// The last sequence number pulled (0 when the workspace joined no team).
    pub fn pulled_seq(&self) -> Result<i64, StoreError> {
        Ok(self
            .conn
            .prepare_cached("SELECT pulled_seq FROM team")?
            .query_row([], |r| r.get(0))
            .optional()?
            .unwrap_or(0))
    }

    /// Leaves the team: forgets its server, the outbox and the mapping of
    /// the replica, whose TM and glossary stay as ordinary ones. Returns
    /// the operations that were never acknowledged.
    pub fn leave_team(&mut self) -> Result<usize, StoreError> {
        let tx = self.conn.transaction()?;
        let unsent = tx.execute("DELETE FROM team_outbox", [])?;
        tx.execute("DELETE FROM team_units", [])?;
        tx.execute("DELETE FROM team_entries", [])?;
        tx.execute("DELETE FROM team_conflicts", [])?;
        tx.execute("DELETE FROM team_rejected", [])?;
        tx.execute("DELETE FROM team_resolutions", [])?;
        tx.execute("DELETE FROM team_documents", [])?;
        tx.execute("DELETE FROM team_segment_conflicts", [])?;
        let n = tx.execute("DELETE FROM team", [])?;
        if n == 0 {
            return Err(StoreError::InvalidEdit(
                "this workspace has joined no team".into(),
            ));
        }
        tx.commit()?;
        Ok(unsent)
    }

    /// The oldest operations of the outbox, at most `limit`, in the order
    /// they were made. Only the first waiting operation of each entry is
    /// given: the next is based on the version the server gives this one.
    pub fn outbox(&self, limit: usize) -> Result<Vec<PendingOp>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT o.op_id, o.kind, o.subject, o.body, e.seq
             FROM team_outbox o LEFT JOIN team_entries e ON o.kind = 'entry' AND e.uuid = o.subject
             ORDER BY o.seq",
        )?;
        let mut rows = stmt.query([])?;
        let mut ops: Vec<PendingOp> = Vec::new();
        let mut held_back = std::collections::HashSet::new();
        while let Some(r) = rows.next()? {
            if ops.len() == limit {
                break;
            }
            let op_id: String = r.get(0)?;
            let kind = match r.get::<_, String>(1)?.as_str() {
                "entry" => OpKind::Entry,
                "document" => OpKind::Document,
                _ => OpKind::Unit,
            };
            let subject = Uuid::from_slice(&r.get::<_, Vec<u8>>(2)?)
                .map_err(|e| StoreError::InvalidEdit(format!("an outbox subject: {e}")))?;
            if kind == OpKind::Entry && !held_back.insert(subject) {
                continue;
            }
            ops.push(PendingOp {
                op_id: Uuid::parse_str(&op_id)
                    .map_err(|e| StoreError::InvalidEdit(format!("an outbox id: {e}")))?,
                kind,
                subject,
                body: r.get(3)?,
                base_seq: r.get(4)?,
            });
        }
        Ok(ops)
    }

    /// Drops operations the server acknowledged (`(op id, seq)`), in one
    /// transaction; an entry's version becomes the one its write got.
    pub fn acknowledge(&mut self, acks: &[(Uuid, i64)]) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        {
            let mut delete = tx.prepare_cached(
                "DELETE FROM team_outbox WHERE op_id = ?1 RETURNING kind, subject",
            )?;
            let mut version = tx.prepare_cached(
                "UPDATE team_entries SET seq = max(coalesce(seq, 0), ?1) WHERE uuid = ?2",
            )?;
            for (op_id, seq) in acks {
                let gone: Option<(String, Vec<u8>)> = delete
                    .query_row([op_id.to_string()], |r| Ok((r.get(0)?, r.get(1)?)))
                    .optional()?;
                match gone.as_ref().map(|(k, s)| (k.as_str(), s)) {
                    Some(("entry", subject)) => {
                        version.execute(params![seq, subject])?;
                    }
                    Some(("document", _)) => {
                        super::team_documents::acknowledged(&tx, *op_id, *seq)?;
                    }
                    _ => {}
                }
            }
        }
        tx.execute("UPDATE team SET last_error = NULL, offline = 0", [])?;
        tx.commit()?;
        Ok(())
    }

    /// Notes why a sync failed, and whether the server was out of reach.
    pub fn note_sync_failed(&mut self, error: &str, offline: bool) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE team SET last_error = ?1, offline = ?2",
            params![error, offline],
        )?;
        Ok(())
    }

    /// Notes a sync that went well, now.
    pub fn note_synced(&mut self) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE team SET last_error = NULL, offline = 0, synced_at = ?1",
            [super::now_ms()],
        )?;
        Ok(())
    }

    /// Starts the pull over from the beginning of the log under a new epoch
    /// of the server (its log was started afresh, say from a backup): the
    /// replica's units are recognised by their ids as they come again.
    pub fn restart_pull(&mut self, epoch: Option<&str>) -> Result<(), StoreError> {
        self.conn.execute(
            &format!("UPDATE team SET pulled_seq = 0, epoch = ?1, {NO_SNAPSHOT}"),
            params![epoch],
        )?;
        Ok(())
    }

    /// Starts the pull over from 0 under a new epoch of the server's log
    /// (or none known, after a 409 `since_ahead`): the log started afresh,
    /// say from a backup, so what the replica holds from the old one goes
    /// first — the team TM's units, the team glossary's entries and the
    /// conflicts received — and the pull refills it from the new log.
    /// What has an operation waiting in the outbox stays (the operation
    /// takes it to the new log), and so do the workspace's own TMs: a unit
    /// confirmed here and shared is recognised by its id when it comes
    /// again. Returns the units removed, for the match index.
    pub fn start_pull_over(&mut self, epoch: Option<&str>) -> Result<Vec<i64>, StoreError> {
        let tx = self.conn.transaction()?;
        let Some((tm_id, glossary_id)) = joined(&tx)? else {
            return Err(StoreError::InvalidEdit(
                "this workspace has joined no team".into(),
            ));
        };
        // Units that no waiting operation names; the concordance drops
        // them at its next sync, and their team ids go with them (ON
        // DELETE CASCADE).
        let of_the_old_log = "tm_id = ?1 AND NOT EXISTS (
                 SELECT 1 FROM team_units m JOIN team_outbox o ON o.subject = m.uuid
                 WHERE m.unit_id = tm_units.id)";
        tx.execute(
            &format!(
                "INSERT INTO concordance_stale (unit_id) SELECT id FROM tm_units WHERE {of_the_old_log}"
            ),
            [tm_id],
        )?;
        let removed: Vec<i64> = tx
            .prepare(&format!(
                "DELETE FROM tm_units WHERE {of_the_old_log} RETURNING id"
            ))?
            .query_map([tm_id], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        tx.execute(
            "DELETE FROM glossary_entries WHERE glossary_id = ?1 AND id NOT IN (
                 SELECT e.entry_id FROM team_entries e JOIN team_outbox o ON o.subject = e.uuid
                 WHERE e.entry_id IS NOT NULL)",
            [glossary_id],
        )?;
        tx.execute(
            "DELETE FROM team_entries WHERE uuid NOT IN (SELECT subject FROM team_outbox)",
            [],
        )?;
        tx.execute("DELETE FROM team_conflicts", [])?;
        if !removed.is_empty() {
            tx.execute("UPDATE tm_state SET generation = generation + 1", [])?;
        }
        tx.execute(
            &format!("UPDATE team SET pulled_seq = 0, epoch = ?1, {NO_SNAPSHOT}"),
            params![epoch],
        )?;
        tx.commit()?;
        Ok(removed)
    }

    /// The glossary conflicts received, newest first.
    pub fn team_conflicts(&self) -> Result<Vec<TeamConflict>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT entry_uuid, lost, lost_seq, won_seq FROM team_conflicts ORDER BY won_seq DESC",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((r.get::<_, Vec<u8>>(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })?;
        let mut found = Vec::new();
        for row in rows {
            let (entry, lost, lost_seq, won_seq) = row?;
            found.push(TeamConflict {
                entry: Uuid::from_slice(&entry).unwrap_or_default(),
                lost,
                lost_seq,
                won_seq,
            });
        }
        Ok(found)
    }

    /// The team ids of the units the replica holds, in no order.
    pub fn team_unit_ids(&self) -> Result<Vec<Uuid>, StoreError> {
        let mut stmt = self.conn.prepare("SELECT uuid FROM team_units")?;
        let rows = stmt.query_map([], |r| r.get::<_, Vec<u8>>(0))?;
        let mut ids = Vec::new();
        for row in rows {
            ids.extend(Uuid::from_slice(&row?).ok());
        }
        Ok(ids)
    }

    /// The local entry of a team entry, if the replica holds it.
    pub fn team_entry(&self, id: Uuid) -> Result<Option<Entry>, StoreError> {
        let entry_id: Option<i64> = self
            .conn
            .query_row(
                "SELECT entry_id FROM team_entries WHERE uuid = ?1",
                [id.as_bytes()],
                |r| r.get(0),
            )
            .optional()?
            .flatten();
        match entry_id {
            Some(entry_id) => self.glossary_entry(entry_id),
            None => Ok(None),
        }
    }

    /// Applies pages of the team's log to the replica, with the cursor
    /// they move to, in one transaction: after a crash the pull goes on
    /// from the last pages stored. Applying is idempotent: a unit or entry
    /// already held is replaced, never doubled, and a page the cursor has
    /// passed is skipped. A change to a unit or entry that has an operation
    /// waiting in the outbox is not applied over it: that operation comes
    /// back later as the newer change.
    pub fn apply_pulled(&mut self, pages: &[PulledPage]) -> Result<Applied, StoreError> {
        let bulk = pages.iter().map(|p| p.changes.len()).sum::<usize>() > 10_000;
        self.apply_pulled_as(pages, bulk)
    }

    /// [`Workspace::apply_pulled`] for a batch of a bulk of pages (a
    /// newcomer's first pull): copying the log into the file is left to
    /// [`Workspace::checkpoint`] at the bulk's end, as a TMX import leaves
    /// it, rather than done again at each batch's commit.
    pub fn apply_pulled_in_bulk(&mut self, pages: &[PulledPage]) -> Result<Applied, StoreError> {
        self.apply_pulled_as(pages, true)
    }

    fn apply_pulled_as(&mut self, pages: &[PulledPage], bulk: bool) -> Result<Applied, StoreError> {
        if bulk {
            self.checkpoints.set(false);
        }
        let applied = self.apply_pulled_pages(pages);
        if bulk {
            self.checkpoints.set(true);
        }
        applied
    }

    /// Calls `each` with the id and Italian of every unit with an id above
    /// `after` outside the team's TM: those a translator stored while the
    /// replica was being filled.
    pub fn for_each_unit_outside_replica(
        &self,
        after: i64,
        each: &mut dyn FnMut(i64, &str),
    ) -> Result<(), StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT id, source FROM tm_units
             WHERE id > ?1 AND tm_id IS NOT (SELECT tm_id FROM team) ORDER BY id",
        )?;
        let mut rows = stmt.query([after])?;
        while let Some(r) = rows.next()? {
            let source: String = r.get(1)?;
            each(r.get(0)?, &source);
        }
        Ok(())
    }

    /// The largest id a TM unit has, 0 with none.
    pub fn max_tm_unit_id(&self) -> Result<i64, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT coalesce(max(id), 0) FROM tm_units", [], |r| {
                r.get(0)
            })?)
    }

    /// Whether the replica holds nothing of the team memory: no unit in
    /// the team's TM and no team id mapped to a unit. A snapshot says
    /// nothing of the units deleted or changed before it, so only such a
    /// replica takes one; units kept from an earlier membership, or mapped
    /// to the translator's own TM, are put right by the log.
    pub fn replica_is_empty(&self) -> Result<bool, StoreError> {
        Ok(self.conn.query_row(
            "SELECT NOT EXISTS (SELECT 1 FROM team_units)
                AND NOT EXISTS (SELECT 1 FROM tm_units WHERE tm_id = (SELECT tm_id FROM team))",
            [],
            |r| r.get(0),
        )?)
    }

    /// Where a snapshot of the team memory stands: none when none began
    /// since the pull last started from 0.
    pub fn snapshot(&self) -> Result<Option<Snapshot>, StoreError> {
        let found: Option<(Option<i64>, Option<Vec<u8>>, bool)> = self
            .conn
            .prepare_cached("SELECT snapshot_as_of, snapshot_after, snapshot_done FROM team")?
            .query_row([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()?;
        Ok(match found {
            Some((Some(as_of), after, done)) => Some(Snapshot {
                as_of,
                after: after.and_then(|bytes| Uuid::from_slice(&bytes).ok()),
                done,
            }),
            _ => None,
        })
    }

    /// Stores pages of a snapshot of the team memory in the replica, with
    /// where they leave the snapshot, in one transaction: a snapshot
    /// stopped goes on after the last unit stored, none twice. Each unit
    /// is applied as a pulled `unit_added` is (one with an operation
    /// waiting is left for it, a pair the replica holds takes the id); its
    /// ids come in order, so their mapping is written at the end of its
    /// index, as a TMX import's units are. Copying the log into the file
    /// is left to [`Workspace::checkpoint`], as in a bulk of the log.
    pub fn apply_snapshot(&mut self, pages: &[SnapshotPage]) -> Result<Applied, StoreError> {
        self.checkpoints.set(false);
        let applied = self.apply_snapshot_pages(pages);
        self.checkpoints.set(true);
        applied
    }

    fn apply_snapshot_pages(&mut self, pages: &[SnapshotPage]) -> Result<Applied, StoreError> {
        let tx = self.conn.transaction()?;
        let mut applied = Applied::default();
        let epoch = pages.iter().find_map(|p| p.epoch.clone());
        let Some((mut apply, pulled_seq)) = Apply::begin(&tx, epoch, &mut applied)? else {
            return Ok(applied);
        };
        let held_as_of: Option<i64> =
            tx.query_row("SELECT snapshot_as_of FROM team", [], |r| r.get(0))?;
        let as_of = pages.first().map_or(0, |p| p.as_of);
        if pulled_seq != 0 || held_as_of.is_some_and(|held| held != as_of) {
            return Err(StoreError::InvalidEdit(
                "a snapshot of the team memory is stored only before the log, and one at a time"
                    .into(),
            ));
        }
        // The snapshot's ids come in order after those stored: when none
        // from the lowest of these on is mapped (a confirmation pushed
        // meanwhile maps its own), looking each up is spared.
        if let Some(lowest) = pages.iter().flat_map(|p| &p.units).map(|u| u.id).min() {
            apply.ids_unmapped = !tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM team_units WHERE uuid >= ?1)",
                [lowest.as_bytes()],
                |r| r.get(0),
            )?;
        }
        let mut last = None;
        for unit in pages.iter().flat_map(|p| &p.units) {
            last = Some(unit.id);
            if apply.waiting(unit.id)? {
                continue;
            }
            apply.out.changes += 1;
            apply.unit_put(unit.id, &unit.source, &unit.target, &unit.author, &unit.at)?;
        }
        let done = pages.last().is_none_or(|p| !p.more);
        tx.execute(
            "UPDATE team SET snapshot_as_of = ?1, snapshot_after = coalesce(?2, snapshot_after),
                             snapshot_done = ?3, synced_at = ?4, last_error = NULL, offline = 0",
            params![
                as_of,
                last.map(|id| id.as_bytes().to_vec()),
                done,
                super::now_ms()
            ],
        )?;
        tx.commit()?;
        Ok(applied)
    }

    fn apply_pulled_pages(&mut self, pages: &[PulledPage]) -> Result<Applied, StoreError> {
        let tx = self.conn.transaction()?;
        let mut applied = Applied::default();
        let epoch = pages.iter().find_map(|p| p.epoch.clone());
        let Some((mut apply, mut cursor)) = Apply::begin(&tx, epoch, &mut applied)? else {
            return Ok(applied);
        };
        for page in pages {
            if page.next <= cursor {
                continue;
            }
            for change in &page.changes {
                if change.seq > cursor {
                    apply.change(change)?;
                }
            }
            for conflict in &page.conflicts {
                apply.conflict(conflict)?;
            }
            cursor = page.next;
        }
        tx.execute(
            "UPDATE team SET pulled_seq = ?1, synced_at = ?2, last_error = NULL, offline = 0",
            params![cursor, super::now_ms()],
        )?;
        tx.commit()?;
        Ok(applied)
    }
}

/// One transaction applying pulled changes.
struct Apply<'a, 'tx> {
    tx: &'a Transaction<'tx>,
    tm_id: i64,
    glossary_id: i64,
    outbox_empty: bool,
    /// Whether no id this application meets is mapped to a unit yet, so
    /// that none is looked for.
    ids_unmapped: bool,
    out: &'a mut Applied,
    generation_bumped: bool,
}

impl<'a, 'tx> Apply<'a, 'tx> {
    /// Begins applying pages of the team's log or snapshot whose epoch is
    /// `epoch` (that of the first page naming one), and gives the log's
    /// cursor as the replica holds it. None when the team's log started
    /// over since the replica's epoch: `out` then names the new epoch and
    /// nothing is applied.
    fn begin(
        tx: &'a Transaction<'tx>,
        epoch: Option<String>,
        out: &'a mut Applied,
    ) -> Result<Option<(Self, i64)>, StoreError> {
        let Some((tm_id, glossary_id)) = joined(tx)? else {
            return Err(StoreError::InvalidEdit(
                "this workspace has joined no team".into(),
            ));
        };
        let (pulled_seq, held_epoch): (i64, Option<String>) =
            tx.query_row("SELECT pulled_seq, epoch FROM team", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?;
        if let (Some(held), Some(epoch)) = (&held_epoch, &epoch) {
            if held != epoch {
                out.new_epoch = Some(epoch.clone());
                return Ok(None);
            }
        }
        if held_epoch.is_none() && epoch.is_some() {
            tx.execute("UPDATE team SET epoch = ?1", [&epoch])?;
        }
        let outbox_empty: bool =
            tx.query_row("SELECT NOT EXISTS (SELECT 1 FROM team_outbox)", [], |r| {
                r.get(0)
            })?;
        let apply = Apply {
            tx,
            tm_id,
            glossary_id,
            outbox_empty,
            ids_unmapped: false,
            out,
            generation_bumped: false,
        };
        Ok(Some((apply, pulled_seq)))
    }

    fn waiting(&self, id: Uuid) -> Result<bool, StoreError> {
        if self.outbox_empty {
            return Ok(false);
        }
        Ok(self
            .tx
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM team_outbox WHERE subject = ?1)")?
            .query_row([id.as_bytes()], |r| r.get(0))?)
    }

    fn change(&mut self, change: &PulledChange) -> Result<(), StoreError> {
        let id = match &change.change {
            Pulled::UnitPut { id, .. }
            | Pulled::UnitDeleted { id }
            | Pulled::EntryPut { id, .. }
            | Pulled::EntryDeleted { id } => *id,
            Pulled::Document(document) => {
                self.out.changes += 1;
                self.out.documents += 1;
                self.out.conflicts +=
                    super::team_documents::apply(self.tx, change.seq, &change.author, document)?;
                return Ok(());
            }
        };
        if self.waiting(id)? {
            return Ok(());
        }
        self.out.changes += 1;
        match &change.change {
            Pulled::UnitPut { id, source, target } => {
                self.unit_put(*id, source, target, &change.author, &change.at)
            }
            Pulled::UnitDeleted { id } => self.unit_deleted(*id),
            Pulled::EntryPut { id, entry } => self.entry_put(*id, entry, change.seq),
            Pulled::EntryDeleted { id } => self.entry_deleted(*id, change.seq),
            Pulled::Document(_) => unreachable!("applied above"),
        }
    }

    fn bump_generation(&mut self) -> Result<(), StoreError> {
        if !self.generation_bumped {
            self.tx
                .execute("UPDATE tm_state SET generation = generation + 1", [])?;
            self.generation_bumped = true;
        }
        Ok(())
    }

    fn unit_put(
        &mut self,
        id: Uuid,
        source: &str,
        target: &str,
        author: &str,
        at: &str,
    ) -> Result<(), StoreError> {
        let tx = self.tx;
        let pair_hash = stable_hash(&[source, target]);
        // Two statements, not a join: a statement whose WHERE meets
        // tm_units is prepared again at each new id bound (SQLite weighs
        // the partial index of tm_units against the bound value), which
        // took two fifths of a bootstrap's storing; most ids are new.
        let unit_id: Option<i64> = if self.ids_unmapped {
            None
        } else {
            tx.prepare_cached("SELECT unit_id FROM team_units WHERE uuid = ?1")?
                .query_row([id.as_bytes()], |r| r.get(0))
                .optional()?
        };
        let mapped: Option<(i64, String, String, i64)> = match unit_id {
            Some(unit_id) => Some(
                tx.prepare_cached("SELECT id, source, target, tm_id FROM tm_units WHERE id = ?1")?
                    .query_row([unit_id], |r| {
                        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
                    })?,
            ),
            None => None,
        };
        let date = tmx_date(at).unwrap_or_else(tmx_date_now);
        if let Some((unit_id, old_source, old_target, unit_tm)) = mapped {
            if old_source == source && old_target == target {
                return Ok(());
            }
            if unit_tm != self.tm_id {
                // A unit of the translator's own TM, confirmed here: a
                // teammate's change never rewrites it; the replica takes
                // the team's version as a unit of its own.
                tx.prepare_cached("DELETE FROM team_units WHERE uuid = ?1")?
                    .execute([id.as_bytes()])?;
                return self.unit_put(id, source, target, author, at);
            }
            let changed = tx
                .prepare_cached(
                    "UPDATE OR IGNORE tm_units SET source = ?1, target = ?2, pair_hash = ?3,
                            source_markup = NULL, target_markup = NULL,
                            changed_at = ?4, changed_by = ?5
                     WHERE id = ?6",
                )?
                .execute(params![source, target, pair_hash, date, author, unit_id])?;
            if changed == 1 {
                super::tm::reindex_concordance(tx, unit_id)?;
                if old_source != source {
                    self.out.resourced.push((unit_id, source.to_owned()));
                    // The saved match index holds the old Italian's words.
                    self.bump_generation()?;
                }
                return Ok(());
            }
            // Its TM holds this pair already: the id goes to that unit.
            tx.prepare_cached("DELETE FROM team_units WHERE uuid = ?1")?
                .execute([id.as_bytes()])?;
            self.drop_unmapped(unit_id)?;
        }
        let inserted = tx
            .prepare_cached(
                "INSERT OR IGNORE INTO tm_units (tm_id, source, target, author, created_at,
                                                 changed_at, changed_by, pair_hash)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?5, ?4, ?6)",
            )?
            .execute(params![self.tm_id, source, target, author, date, pair_hash])?;
        let unit_id = if inserted == 1 {
            let unit_id = tx.last_insert_rowid();
            self.out.added.push((unit_id, source.to_owned()));
            unit_id
        } else {
            tx.prepare_cached("SELECT id FROM tm_units WHERE tm_id = ?1 AND pair_hash = ?2")?
                .query_row(params![self.tm_id, pair_hash], |r| r.get(0))?
        };
        // The id maps to nothing by now (a mapping was returned on or
        // deleted above). `OR REPLACE` would make SQLite keep a statement
        // journal, copying every page each insert touches: half of a
        // bootstrap's storing.
        tx.prepare_cached("INSERT INTO team_units (uuid, unit_id) VALUES (?1, ?2)")?
            .execute(params![id.as_bytes(), unit_id])?;
        Ok(())
    }

    /// Deletes a unit of the team's TM that no team id maps to any more;
    /// a unit of another TM (the translator's own) is only let go.
    fn drop_unmapped(&mut self, unit_id: i64) -> Result<(), StoreError> {
        let tx = self.tx;
        let still: bool = tx
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM team_units WHERE unit_id = ?1)
                        OR NOT EXISTS (SELECT 1 FROM tm_units WHERE id = ?1 AND tm_id = ?2)",
            )?
            .query_row(params![unit_id, self.tm_id], |r| r.get(0))?;
        if still {
            return Ok(());
        }
        super::tm::reindex_concordance(tx, unit_id)?;
        tx.prepare_cached("DELETE FROM tm_units WHERE id = ?1")?
            .execute([unit_id])?;
        self.out.removed.push(unit_id);
        self.bump_generation()
    }

    fn unit_deleted(&mut self, id: Uuid) -> Result<(), StoreError> {
        let unit_id: Option<i64> = self
            .tx
            .prepare_cached("DELETE FROM team_units WHERE uuid = ?1 RETURNING unit_id")?
            .query_row([id.as_bytes()], |r| r.get(0))
            .optional()?;
        match unit_id {
            Some(unit_id) => self.drop_unmapped(unit_id),
            None => Ok(()),
        }
    }

    fn entry_put(&mut self, id: Uuid, entry: &Entry, seq: i64) -> Result<(), StoreError> {
        let tx = self.tx;
        let now = super::now_ms();
        let mapped: Option<Option<i64>> = tx
            .prepare_cached("SELECT entry_id FROM team_entries WHERE uuid = ?1")?
            .query_row([id.as_bytes()], |r| r.get(0))
            .optional()?;
        let entry_id = match mapped.flatten() {
            Some(entry_id) => {
                tx.execute(
                    "UPDATE glossary_entries SET domain = ?1, note = ?2, changed_at = ?3 WHERE id = ?4",
                    params![entry.domain, entry.note, now, entry_id],
                )?;
                tx.execute("DELETE FROM glossary_terms WHERE entry_id = ?1", [entry_id])?;
                insert_terms(tx, entry_id, entry)?;
                entry_id
            }
            None => insert_entry(tx, self.glossary_id, entry)?,
        };
        tx.prepare_cached(
            "INSERT OR REPLACE INTO team_entries (uuid, entry_id, seq) VALUES (?1, ?2, ?3)",
        )?
        .execute(params![id.as_bytes(), entry_id, seq])?;
        self.out.glossary_changed = true;
        Ok(())
    }

    fn entry_deleted(&mut self, id: Uuid, seq: i64) -> Result<(), StoreError> {
        let tx = self.tx;
        let entry_id: Option<Option<i64>> = tx
            .prepare_cached("SELECT entry_id FROM team_entries WHERE uuid = ?1")?
            .query_row([id.as_bytes()], |r| r.get(0))
            .optional()?;
        if let Some(entry_id) = entry_id.flatten() {
            tx.execute("DELETE FROM glossary_entries WHERE id = ?1", [entry_id])?;
            self.out.glossary_changed = true;
        }
        tx.prepare_cached(
            "INSERT OR REPLACE INTO team_entries (uuid, entry_id, seq) VALUES (?1, NULL, ?2)",
        )?
        .execute(params![id.as_bytes(), seq])?;
        Ok(())
    }

    fn conflict(&mut self, conflict: &TeamConflict) -> Result<(), StoreError> {
        let n = self
            .tx
            .prepare_cached(
                "INSERT OR IGNORE INTO team_conflicts (entry_uuid, lost, lost_seq, won_seq, received_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![
                conflict.entry.as_bytes(),
                conflict.lost,
                conflict.lost_seq,
                conflict.won_seq,
                super::now_ms()
            ])?;
        self.out.conflicts += n;
        Ok(())
    }
}

#[cfg(test)]
mod tests;
