//! The desktop's side of the team protocol: the HTTP client of a team
//! server, and the translation between the protocol's changes (`crate::team`)
//! and the replica the workspace keeps (`crate::store::team`).
//!
//! The order of a sync (the outbox pushed, then the log pulled) and the
//! workspace's locking are the use case's (`session/team.rs`); this module
//! only speaks to the server and converts.

use std::time::Duration;

use serde::Deserialize;

use crate::store::team::{PendingOp, Pulled, PulledChange, PulledPage, SnapshotPage, TeamConflict};
use crate::store::StoreError;
use crate::team::{
    Change, ChangeRecord, ChangesPage, Operation, PushRequest, PushResponse, TeamEntry, TeamTerm,
    UnitsPage,
};
use crate::termbase::{Entry, Status, Term};

pub mod documents;
#[cfg(test)]
mod tests;

/// Why talking to the team server failed. Messages never hold the token.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SyncError {
    /// The server could not be reached (refused, timed out, no route).
    #[error("cannot reach the team server at {url}: {detail}")]
    Offline {
        /// The server's address.
        url: String,
        /// What the network said.
        detail: String,
    },
    /// The server refused the token (wrong, revoked, or none).
    #[error("the team server at {url} refused the token (401): it is wrong or was revoked")]
    Unauthorized {
        /// The server's address.
        url: String,
    },
    /// The server asked for changes after a number it has never given:
    /// its log started afresh, and the replica is pulled again from 0.
    #[error("the team server's log starts afresh")]
    SinceAhead,
    /// The server answered with an error.
    #[error("the team server answered {status} ({code}): {message}")]
    Refused {
        /// The HTTP status.
        status: u16,
        /// The error's stable code.
        code: String,
        /// What it said.
        message: String,
    },
    /// The answer was not the protocol's.
    #[error("the team server's answer could not be read: {0}")]
    Protocol(String),
    /// The workspace failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl SyncError {
    /// Whether the server could not be reached: the work goes on offline.
    pub fn is_offline(&self) -> bool {
        matches!(self, SyncError::Offline { .. })
    }
}

/// Who the server says the token's holder is (`GET /v1/me`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Me {
    /// The user's name.
    pub user: String,
    /// Their team.
    pub team: String,
    /// Their role.
    pub role: String,
    /// The epoch of the team's log, when the server gives one.
    #[serde(default)]
    pub epoch: Option<String>,
}

/// The server's error body.
#[derive(Deserialize)]
struct ErrorBody {
    code: String,
    message: String,
}

/// The most characters of an answer that is not the server's error (a
/// proxy's HTML page, say) an error quotes.
const EXCERPT_CHARS: usize = 200;

/// The code and message of an error answer: the server's own, or for any
/// other body (a proxy's page) "unknown" and a short excerpt of its text,
/// on one line.
fn error_of(bytes: &[u8]) -> (String, String) {
    if let Ok(body) = serde_json::from_slice::<ErrorBody>(bytes) {
        return (body.code, body.message);
    }
    let text = String::from_utf8_lossy(bytes);
    let words = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut chars = words.chars();
    let mut excerpt: String = chars.by_ref().take(EXCERPT_CHARS).collect();
    if chars.next().is_some() {
        excerpt.push('…');
    }
    if excerpt.is_empty() {
        excerpt = "(an empty answer)".to_owned();
    }
    ("unknown".to_owned(), excerpt)
}

/// A team server, reached with one user's token.
#[derive(Clone)]
pub struct TeamServer {
    http: reqwest::Client,
    url: String,
    token: String,
}

impl std::fmt::Debug for TeamServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the token.
        f.debug_struct("TeamServer")
            .field("url", &self.url)
            .finish()
    }
}

/// How long a request may take beyond a long poll's wait.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// A server's address as the workspace keeps it: no slash at the end.
pub fn normalize_url(url: &str) -> String {
    url.trim().trim_end_matches('/').to_owned()
}

/// Refuses an address the token must not travel to: one that is not
/// http(s), one holding credentials, a query or a fragment, and plain
/// http beyond this machine, where the token would cross the network in
/// clear. What was typed is not repeated: it may be a pasted token.
fn check_address(url: &str) -> Result<(), SyncError> {
    let refused = |why: &str| {
        Err(SyncError::Protocol(format!(
            "the team server's address {why}"
        )))
    };
    let Ok(parsed) = reqwest::Url::parse(url) else {
        return refused("is not an address (https://host:port)");
    };
    match parsed.scheme() {
        "https" => {}
        "http" => {
            let loopback = match parsed.host_str() {
                Some("localhost" | "[::1]") => true,
                Some(host) => host
                    .parse::<std::net::Ipv4Addr>()
                    .is_ok_and(|ip| ip.is_loopback()),
                None => false,
            };
            if !loopback {
                return refused(
                    "must start with https:// (plain http:// is for a server on this machine only)",
                );
            }
        }
        _ => return refused("must start with https://"),
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return refused("must not hold a user name or password: the token is the password");
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return refused("must not hold a query (?…) or a fragment (#…)");
    }
    Ok(())
}

impl TeamServer {
    /// The server at `url` (`http(s)://host:port`), with `token`.
    pub fn new(url: &str, token: &str) -> Result<TeamServer, SyncError> {
        let url = normalize_url(url);
        check_address(&url)?;
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(5))
            .build()
            .map_err(|e| SyncError::Protocol(e.to_string()))?;
        Ok(TeamServer {
            http,
            url,
            token: token.trim().to_owned(),
        })
    }

    /// The server's address.
    pub fn url(&self) -> &str {
        &self.url
    }

    fn offline(&self, e: &reqwest::Error) -> SyncError {
        // reqwest's message names the URL, which may hold a sentence in
        // its query; the kind of failure is enough.
        let detail = if e.is_timeout() {
            "timed out".to_owned()
        } else if e.is_connect() {
            "the connection failed".to_owned()
        } else {
            "the request failed".to_owned()
        };
        SyncError::Offline {
            url: self.url.clone(),
            detail,
        }
    }

    async fn answer<T: serde::de::DeserializeOwned>(
        &self,
        req: reqwest::RequestBuilder,
        timeout: Duration,
    ) -> Result<T, SyncError> {
        let res = req
            .bearer_auth(&self.token)
            .timeout(timeout)
            .send()
            .await
            .map_err(|e| self.offline(&e))?;
        let status = res.status().as_u16();
        let bytes = res.bytes().await.map_err(|e| self.offline(&e))?;
        if status == 401 {
            return Err(SyncError::Unauthorized {
                url: self.url.clone(),
            });
        }
        if !(200..300).contains(&status) {
            let (code, message) = error_of(&bytes);
            if status == 409 && code == "since_ahead" {
                return Err(SyncError::SinceAhead);
            }
            return Err(SyncError::Refused {
                status,
                code,
                message,
            });
        }
        serde_json::from_slice(&bytes).map_err(|e| SyncError::Protocol(e.to_string()))
    }

    /// Who the token belongs to.
    pub async fn me(&self) -> Result<Me, SyncError> {
        let req = self.http.get(format!("{}/v1/me", self.url));
        self.answer(req, REQUEST_TIMEOUT).await
    }

    /// Pushes a batch of operations (at most the protocol's limit).
    pub async fn push(&self, ops: Vec<Operation>) -> Result<PushResponse, SyncError> {
        let req = self
            .http
            .post(format!("{}/v1/push", self.url))
            .json(&PushRequest { ops });
        self.answer(req, REQUEST_TIMEOUT).await
    }

    /// Marks the glossary conflict won by the write `won_seq` resolved.
    pub async fn resolve_conflict(&self, won_seq: i64) -> Result<(), SyncError> {
        let req = self
            .http
            .post(format!("{}/v1/conflicts/{won_seq}/resolve", self.url));
        self.answer::<serde_json::Value>(req, REQUEST_TIMEOUT)
            .await
            .map(drop)
    }

    /// The changes after `since`, at most `limit`; with `wait`, a long poll
    /// that answers when a change commits or the seconds are up.
    pub async fn changes(
        &self,
        since: i64,
        limit: usize,
        wait: Option<u64>,
    ) -> Result<ChangesPage, SyncError> {
        let mut url = format!("{}/v1/changes?since={since}&limit={limit}", self.url);
        let mut timeout = REQUEST_TIMEOUT;
        if let Some(wait) = wait {
            let wait = wait.min(crate::team::MAX_WAIT_SECONDS);
            url.push_str(&format!("&wait={wait}"));
            timeout += Duration::from_secs(wait);
        }
        self.answer(self.http.get(url), timeout).await
    }

    /// The changes after `since` for a replica holding a snapshot of the
    /// team memory as of `units_after`: those to units up to it left out.
    pub async fn changes_after_snapshot(
        &self,
        since: i64,
        units_after: i64,
        limit: usize,
    ) -> Result<ChangesPage, SyncError> {
        let url = format!(
            "{}/v1/changes?since={since}&units_after={units_after}&limit={limit}",
            self.url
        );
        self.answer(self.http.get(url), REQUEST_TIMEOUT).await
    }

    /// A page of the snapshot of the team memory: the live units after the
    /// id `after` (from the first without one); `as_of` is the first
    /// page's, sent back with the next ones.
    pub async fn units(
        &self,
        after: Option<uuid::Uuid>,
        as_of: Option<i64>,
        limit: usize,
    ) -> Result<UnitsPage, SyncError> {
        let mut url = format!("{}/v1/units?limit={limit}", self.url);
        if let Some(after) = after {
            url.push_str(&format!("&after={after}"));
        }
        if let Some(as_of) = as_of {
            url.push_str(&format!("&as_of={as_of}"));
        }
        self.answer(self.http.get(url), REQUEST_TIMEOUT).await
    }
}

/// A page of the team memory's snapshot as the replica stores it.
pub fn snapshot_page(page: UnitsPage) -> SnapshotPage {
    SnapshotPage {
        as_of: page.as_of,
        units: page
            .units
            .into_iter()
            .map(|unit| crate::store::team::SnapshotUnit {
                id: unit.id,
                source: unit.source,
                target: unit.target,
                author: unit.author,
                at: unit.at,
            })
            .collect(),
        more: page.more,
        epoch: (!page.epoch.is_empty()).then_some(page.epoch),
    }
}

/// An outbox operation as the protocol's, with the version an entry's
/// change is based on; an operation the protocol's limits refuse is an
/// error naming why (it can never be sent).
pub fn operation(op: &PendingOp) -> Result<Operation, String> {
    let mut change: Change =
        serde_json::from_str(&op.body).map_err(|e| format!("operation {}: {e}", op.op_id))?;
    match &mut change {
        Change::EntryPut { base_seq, .. } | Change::EntryDeleted { base_seq, .. } => {
            *base_seq = op.base_seq;
        }
        Change::UnitAdded { .. }
        | Change::UnitDeleted { .. }
        | Change::DocumentShared { .. }
        | Change::SegmentSaved { .. }
        | Change::Assigned { .. }
        | Change::Released { .. } => {}
    }
    let operation = Operation {
        id: op.op_id,
        change,
    };
    PushRequest {
        ops: vec![operation.clone()],
    }
    .check()
    .map_err(|e| e.to_string())?;
    Ok(operation)
}

fn term_of(term: &TeamTerm) -> Term {
    Term {
        text: term.text.clone(),
        status: Status::parse(&term.status).unwrap_or_default(),
        note: term.note.clone(),
        pos: term.pos.clone(),
        case_sensitive: term.case_sensitive,
    }
}

/// A team entry as the workspace's glossary keeps one.
pub fn entry_of(entry: &TeamEntry) -> Entry {
    Entry {
        italian: entry.italian.iter().map(term_of).collect(),
        english: entry.english.iter().map(term_of).collect(),
        domain: entry.domain.clone(),
        note: entry.note.clone(),
        ..Entry::default()
    }
}

/// A change as the replica applies it.
fn pulled(record: &ChangeRecord) -> Option<PulledChange> {
    let change = match &record.change {
        Change::UnitAdded { unit } => Pulled::UnitPut {
            id: unit.id,
            source: unit.source.clone(),
            target: unit.target.clone(),
        },
        Change::UnitDeleted { unit_id } => Pulled::UnitDeleted { id: *unit_id },
        Change::EntryPut { entry, .. } => Pulled::EntryPut {
            id: entry.id,
            entry: entry_of(entry),
        },
        Change::EntryDeleted { entry_id, .. } => Pulled::EntryDeleted { id: *entry_id },
        Change::DocumentShared { .. }
        | Change::SegmentSaved { .. }
        | Change::Assigned { .. }
        | Change::Released { .. } => {
            Pulled::Document(documents::document_change(record.op_id, &record.change)?)
        }
    };
    Some(PulledChange {
        seq: record.seq,
        author: record.author.clone(),
        at: record.at.clone(),
        change,
    })
}

/// A page of the log as the replica applies it.
pub fn pulled_page(page: &ChangesPage) -> PulledPage {
    PulledPage {
        since: page.since,
        changes: page.changes.iter().filter_map(pulled).collect(),
        conflicts: page
            .changes
            .iter()
            .filter_map(|c| c.conflict.as_ref())
            .map(|c| TeamConflict {
                entry: c.entry_id,
                lost: c
                    .lost
                    .as_ref()
                    .map(|e| serde_json::to_string(e).expect("an entry serialises")),
                lost_seq: c.lost_seq,
                won_seq: c.won_seq,
            })
            .collect(),
        next: page.next,
        more: page.more,
        epoch: (!page.epoch.is_empty()).then(|| page.epoch.clone()),
    }
}

/// The name a user's token was kept under with the MT keys by a join made
/// before each workspace had its own: the server and the user, shared by
/// the workspaces of one user.
pub fn token_name(url: &str, user: &str) -> String {
    format!("team {user} at {}", normalize_url(url))
}

/// The name a membership's token is kept under with the MT keys: the
/// server, the user and a key made at the join, so leaving the team in one
/// workspace never forgets the token another still uses; no workspace
/// holds the token itself.
pub fn workspace_token_name(url: &str, user: &str, key: uuid::Uuid) -> String {
    format!("{} ({key})", token_name(url, user))
}
