//! The team: joining one, where its sync stands, leaving it, and the sync
//! itself — the outbox pushed in batches, then the log pulled in pages —
//! the same for the command line and the app's background thread.
//!
//! A sync blocks its caller (a command, or a thread of the app's own) and
//! holds the workspace only to read the outbox and to store what came
//! back, never while the network answers; a flag stops it between pages
//! and ends a long poll early.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use uuid::Uuid;

use super::articles::runtime;
use super::{Error, Open, Result, Session};
use crate::store::team::{Applied, Membership, NewMembership, PulledPage, Snapshot, SnapshotPage};
use crate::sync::{self, SyncError, TeamServer};
use crate::team::{
    json_len, Operation, PushRequest, MAX_BODY_BYTES, MAX_OPS_PER_PUSH, MAX_PAGE, MAX_UNITS_PAGE,
};

/// What a sync did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SyncReport {
    /// Operations of the outbox the server acknowledged.
    pub pushed: usize,
    /// Changes of the team's log applied to the replica.
    pub pulled: usize,
    /// Of those, changes to shared documents.
    pub documents: usize,
    /// Glossary conflicts received.
    pub conflicts: usize,
}

/// Pages applied in one transaction at most while more follow: their
/// cursor moves with them, so a pull killed meanwhile goes on from the
/// last batch. Few enough that the session is held for a moment only;
/// many enough that a commit's fsync is not paid per page.
const PAGES_PER_TRANSACTION: usize = 8;

/// The same in a bulk, applied on a connection of its own without holding
/// the session. A commit writes again every page of the indexes it
/// touched, and the team ids and pair hashes are random, so a batch's
/// units touch nearly every page of those: fewer, larger transactions
/// write less (a million units' bootstrap in batches of 32,000 wrote
/// 2.4 GB to disk in all).
/// Still short enough (2 s each on average, on a loaded machine) that a
/// confirmation waiting to write meanwhile is not refused as busy (5 s).
const PAGES_PER_BULK_TRANSACTION: usize = 32;

/// A pull that brings this many changes is a bulk: its units are indexed
/// for lookups beside the storing, and the concordance is filled at its
/// end, as a TMX import does, rather than at first use.
const BULK_UNITS: usize = 10_000;

/// Units of a snapshot stored in one transaction at most while more
/// follow: as a TMX import, few commits; their ids come in order, so a
/// batch's mappings are appended, and only the pairs' index is written
/// at random.
const SNAPSHOT_UNITS_PER_TRANSACTION: usize = 20_000;

/// How often a long poll looks at the stop flag and the outbox.
const POLL_TICK: Duration = Duration::from_millis(50);

/// Requests for pages kept in flight at once during a pull.
const PAGES_IN_FLIGHT: usize = 3;

/// The most bytes of JSON in one push: half the server's body limit, so a
/// batch of large units still travels well within the request's timeout.
const PUSH_BYTES: usize = MAX_BODY_BYTES / 2;

/// Whether the server refused a push for what it holds (a bad request, too
/// large, unprocessable, not the user's role's to send — a share by an
/// editor demoted since —, in conflict with what the team holds): sent
/// again as it is, it would be refused again. Only the server's own answer
/// says so: a proxy's error page (its code `unknown`) says nothing of the
/// operations, which stay in the outbox.
pub(super) fn refused_for_good(error: &SyncError) -> bool {
    match error {
        SyncError::Refused {
            status: 400 | 413 | 422,
            code,
            ..
        } => code != "unknown",
        SyncError::Refused {
            status: 403, code, ..
        } => code == "forbidden",
        SyncError::Refused {
            status: 409, code, ..
        } => code == "conflict",
        _ => false,
    }
}

/// The name the token of `team` is kept under with the MT keys: this
/// workspace's own, or for a join made before such names, the one shared
/// by the server and the user.
pub(super) fn token_name(team: &Membership) -> String {
    team.token_key
        .clone()
        .unwrap_or_else(|| sync::token_name(&team.url, &team.user))
}

/// Fetches and reads the pages after `since`, in order, into `sender`.
/// Sequence numbers have no gaps, so a full page says where the next one
/// starts: once one came, the next pages are asked for before they are
/// needed, and the server's reading, the transfer and this side's parsing
/// overlap. A page asked for ahead is used only once the page before it
/// said more follow, so one past the log's end is never read.
async fn fetch_pages(
    server: TeamServer,
    since: i64,
    units_after: Option<i64>,
    sender: tokio::sync::mpsc::Sender<std::result::Result<PulledPage, SyncError>>,
) {
    let mut in_flight = std::collections::VecDeque::new();
    let mut ask = since;
    // One request until a full page says a long pull is on: most syncs
    // take less than a page, and requests ahead would only load the server.
    let mut depth = 1;
    loop {
        while in_flight.len() < depth {
            let server = server.clone();
            in_flight.push_back(tokio::spawn(async move {
                let page = match units_after {
                    Some(units_after) => {
                        server
                            .changes_after_snapshot(ask, units_after, MAX_PAGE)
                            .await
                    }
                    None => server.changes(ask, MAX_PAGE, None).await,
                };
                page.map(|p| sync::pulled_page(&p))
            }));
            ask += MAX_PAGE as i64;
        }
        let Some(request) = in_flight.pop_front() else {
            return;
        };
        let page = request
            .await
            .unwrap_or_else(|e| Err(SyncError::Protocol(e.to_string())));
        let (more, next, full) = match &page {
            Ok(p) => (p.more, p.next, p.next == p.since + MAX_PAGE as i64),
            Err(_) => (false, 0, false),
        };
        // The receiver is gone when the pull stopped.
        if sender.send(page).await.is_err() || !more {
            break;
        }
        if full {
            depth = PAGES_IN_FLIGHT;
        } else {
            // A short page that says more follow (a server with smaller
            // pages): the requests ahead are for the wrong places.
            for request in in_flight.drain(..) {
                request.abort();
            }
            ask = next;
        }
    }
    for request in in_flight {
        request.abort();
    }
}

/// Fetches and reads the pages of the team memory's snapshot into
/// `sender`, from where `from` left it (from the first unit without it),
/// each asked for once the one before it came (a page starts after the
/// last unit of the one before), while the pages already there are
/// stored.
async fn fetch_snapshot(
    server: TeamServer,
    from: Option<Snapshot>,
    sender: tokio::sync::mpsc::Sender<std::result::Result<SnapshotPage, SyncError>>,
) {
    let mut after = from.and_then(|s| s.after);
    let mut as_of = from.map(|s| s.as_of);
    loop {
        let page = server.units(after, as_of, MAX_UNITS_PAGE).await;
        let more = match &page {
            Ok(page) => {
                as_of = Some(page.as_of);
                after = page.units.last().map(|u| u.id).or(after);
                page.more
            }
            Err(_) => false,
        };
        // The receiver is gone when the pull stopped.
        if sender.send(page.map(sync::snapshot_page)).await.is_err() || !more {
            return;
        }
    }
}

/// A page a pull stores: the log's or the snapshot's.
trait Page {
    /// Whether more pages follow it.
    fn more(&self) -> bool;
    /// The changes or units it brings.
    fn size(&self) -> usize;
    /// Whether a batch of `pages` pages bringing `size` changes or units
    /// is full, as a bulk's (`in_bulk`) or not.
    fn batch_full(pages: usize, size: usize, in_bulk: bool) -> bool;
}

impl Page for PulledPage {
    fn more(&self) -> bool {
        self.more
    }

    fn size(&self) -> usize {
        self.changes.len()
    }

    fn batch_full(pages: usize, _: usize, in_bulk: bool) -> bool {
        let most = if in_bulk {
            PAGES_PER_BULK_TRANSACTION
        } else {
            PAGES_PER_TRANSACTION
        };
        pages >= most
    }
}

impl Page for SnapshotPage {
    fn more(&self) -> bool {
        self.more
    }

    fn size(&self) -> usize {
        self.units.len()
    }

    fn batch_full(_: usize, size: usize, _: bool) -> bool {
        size >= SNAPSHOT_UNITS_PER_TRANSACTION
    }
}

/// A bulk pull: its connection, and its match index, built on a thread of
/// its own from the units as they are stored.
struct BulkIndex<'scope> {
    /// The connection the bulk is applied on.
    ws: crate::store::Workspace,
    /// The units stored, id and Italian, a batch at a time.
    units: std::sync::mpsc::SyncSender<Vec<(i64, String)>>,
    /// The index, with the TM generation it was begun under.
    built: std::thread::ScopedJoinHandle<'scope, Result<(crate::tm::Matcher, i64)>>,
    /// Told of each batch committed, the concordance's filler takes the
    /// units stored so far; closed, it takes the rest and copies the log
    /// into the file.
    committed: std::sync::mpsc::SyncSender<Fill>,
    /// The concordance's filler.
    concordance: std::thread::ScopedJoinHandle<'scope, Result<()>>,
}

/// What the concordance's filler of a bulk is told.
enum Fill {
    /// A batch committed: its units are there to be indexed.
    Committed,
    /// The bulk stopped: end without filling more.
    Stop,
}

impl Open {
    /// Empties the replica and starts the pull over from 0 under `epoch`
    /// (the server's log started afresh); the match index forgets the
    /// units removed.
    fn start_pull_over(&mut self, epoch: Option<&str>) -> Result<()> {
        let removed = self.ws.start_pull_over(epoch)?;
        if let Some(matcher) = self.matcher.as_mut() {
            for id in removed {
                matcher.remove(id);
            }
        }
        self.glossary_changed();
        Ok(())
    }

    /// Brings the match index and the glossary's terms up to date with a
    /// replica's changes.
    fn replica_changed(&mut self, applied: &Applied) -> Result<()> {
        if let Some(matcher) = self.matcher.as_mut() {
            for &id in &applied.removed {
                matcher.remove(id);
            }
            for (id, source) in applied.added.iter().chain(&applied.resourced) {
                matcher
                    .insert(*id, source)
                    .map_err(|e| Error::Tm(e.into()))?;
            }
        }
        if applied.glossary_changed {
            self.glossary_changed();
        }
        Ok(())
    }
}

impl Session {
    /// Joins the team of the user `user` on the server at `url`: the token
    /// is checked with the server first, then kept where MT keys are (the
    /// keyring, else the private keys file), never in the workspace.
    /// Nothing is stored when the server refuses it.
    pub fn team_join_blocking(&self, url: &str, user: &str, token: &str) -> Result<Membership> {
        if let Some(team) = self.lock().ws.team()? {
            return Err(Error::Invalid(format!(
                "this workspace has joined team {} at {} already; leave it first",
                team.team, team.url
            )));
        }
        if token.trim().is_empty() {
            return Err(Error::Invalid("the token is empty".into()));
        }
        let server = TeamServer::new(url, token)?;
        let me = runtime()?.block_on(server.me())?;
        if me.user != user {
            return Err(Error::Invalid(format!(
                "the token is {}'s, not {user}'s",
                me.user
            )));
        }
        let name = sync::workspace_token_name(server.url(), user, Uuid::new_v4());
        self.keys.set(&name, Some(token))?;
        let joined = self.lock().ws.join_team(&NewMembership {
            url: server.url().to_owned(),
            user: user.to_owned(),
            team: me.team,
            writes_tm: me.role != "reviewer",
            token_key: Some(name.clone()),
        });
        match joined {
            Ok(_) => {
                let mut open = self.lock();
                if me.epoch.is_some() {
                    open.ws.restart_pull(me.epoch.as_deref())?;
                }
                Ok(open.ws.team()?.expect("joined above"))
            }
            Err(e) => {
                self.keys.forget(&name)?;
                Err(e.into())
            }
        }
    }

    /// The team the workspace joined and where its sync stands.
    pub fn team_status(&self) -> Result<Option<Membership>> {
        Ok(self.lock().ws.team()?)
    }

    /// Replaces the token of the membership (a new one issued by the
    /// desk's admin): checked with the server first — it must be the same
    /// user's, in the same team — then kept as the old one was, under this
    /// workspace's name. Nothing changes when the server refuses it.
    pub fn team_replace_token_blocking(&self, token: &str) -> Result<Membership> {
        let team = self
            .lock()
            .ws
            .team()?
            .ok_or_else(|| Error::Invalid("this workspace has joined no team".into()))?;
        if token.trim().is_empty() {
            return Err(Error::Invalid("the token is empty".into()));
        }
        let server = TeamServer::new(&team.url, token)?;
        let me = runtime()?.block_on(server.me())?;
        if me.user != team.user || me.team != team.team {
            return Err(Error::Invalid(format!(
                "the token is {}'s in team {}, not {}'s in team {}",
                me.user, me.team, team.user, team.team
            )));
        }
        let name = team
            .token_key
            .clone()
            .unwrap_or_else(|| sync::workspace_token_name(&team.url, &team.user, Uuid::new_v4()));
        self.keys.set(&name, Some(token))?;
        let mut open = self.lock();
        open.ws.set_token_key(&name)?;
        Ok(open.ws.team()?.expect("joined above"))
    }

    /// Drops operations the server refused for good: the one named, or
    /// all; returns how many.
    pub fn team_drop_rejected(&self, op_id: Option<Uuid>) -> Result<usize> {
        let mut open = self.lock();
        if open.ws.team()?.is_none() {
            return Err(Error::Invalid("this workspace has joined no team".into()));
        }
        let dropped = open.ws.drop_rejected(op_id)?;
        if let (Some(op_id), 0) = (op_id, dropped) {
            return Err(Error::NotFound(format!("no rejected operation {op_id}")));
        }
        Ok(dropped)
    }

    /// Sends again operations the server refused: the one named, or all,
    /// back into the outbox for the next sync; returns how many.
    pub fn team_retry_rejected(&self, op_id: Option<Uuid>) -> Result<usize> {
        let mut open = self.lock();
        if open.ws.team()?.is_none() {
            return Err(Error::Invalid("this workspace has joined no team".into()));
        }
        let moved = open.ws.retry_rejected(op_id)?;
        if let (Some(op_id), 0) = (op_id, moved) {
            let team = open.ws.team()?.into_iter();
            if team.flat_map(|t| t.rejected).any(|r| r.op_id == op_id) {
                return Err(Error::Invalid(
                    "this change is kept back: sent again, it would overwrite a later \
                     change of the same unit or entry (or it is a shared document's); drop it"
                        .into(),
                ));
            }
            return Err(Error::NotFound(format!("no rejected operation {op_id}")));
        }
        Ok(moved)
    }

    /// Leaves the team and forgets the token, when it is this workspace's
    /// own (one kept by an earlier join under the name shared by the server
    /// and user may serve another workspace, and stays); the replica stays
    /// as an ordinary TM and glossary. Refused while operations wait to be
    /// acknowledged, or changes the server refused or saves kept aside are
    /// listed (leaving deletes them), unless `discard_unsent`; returns how
    /// many of those were discarded.
    pub fn team_leave(&self, discard_unsent: bool) -> Result<usize> {
        let team = self
            .lock()
            .ws
            .team()?
            .ok_or_else(|| Error::Invalid("this workspace has joined no team".into()))?;
        let kept = self.lock().ws.segment_conflicts()?.len();
        let lost = [
            (
                team.outbox,
                "change waiting to be sent",
                "changes waiting to be sent",
            ),
            (
                team.rejected.len(),
                "change the server refused",
                "changes the server refused",
            ),
            (kept, "save kept aside", "saves kept aside"),
        ];
        if !discard_unsent && lost.iter().any(|(n, ..)| *n > 0) {
            let listed: Vec<String> = lost
                .iter()
                .filter(|(n, ..)| *n > 0)
                .map(|(n, one, many)| format!("{n} {}", if *n == 1 { one } else { many }))
                .collect();
            return Err(Error::Invalid(format!(
                "leaving would discard {}: sync first, or leave discarding them",
                listed.join(", ")
            )));
        }
        self.lock().ws.leave_team()?;
        if let Some(name) = &team.token_key {
            self.keys.forget(name)?;
        }
        Ok(lost.iter().map(|(n, ..)| n).sum())
    }

    /// Syncs with the team: pushes the outbox, then pulls the log to its
    /// end. With `wait` (seconds), when nothing came, waits in a long poll
    /// until the server has a change (applied before returning), an
    /// operation enters the outbox, or the time is up; `stop` set ends it
    /// between pages ([`Error::Cancelled`]). The outcome is noted in the
    /// workspace for `team_status`: an unreachable server is "offline", and
    /// the outbox is kept; any other failure (the workspace's, the disk's,
    /// a missing token) is noted as the last error too.
    pub fn team_sync_blocking(&self, wait: Option<u64>, stop: &AtomicBool) -> Result<SyncReport> {
        let team = self.lock().ws.team()?.ok_or_else(|| {
            Error::Invalid("this workspace has joined no team (interlinea team join)".into())
        })?;
        let result = (|| {
            let token = self.keys.get(&token_name(&team))?.ok_or_else(|| {
                Error::Invalid(format!(
                    "no token is kept for {} at {}; replace the token (interlinea team token --token-stdin)",
                    team.user, team.url
                ))
            })?;
            let server = TeamServer::new(&team.url, &token)?;
            self.sync_with(&server, wait, stop)
        })();
        let noted = match &result {
            Ok(_) => self.lock().ws.note_synced(),
            Err(Error::Cancelled) => Ok(()),
            Err(Error::Team(e)) => self
                .lock()
                .ws
                .note_sync_failed(&e.to_string(), e.is_offline()),
            Err(e) => self.lock().ws.note_sync_failed(&e.to_string(), false),
        };
        if let Err(e) = noted {
            // The sync's own outcome says more than this second failure.
            tracing::warn!("the sync's outcome was not noted in the workspace: {e}");
            if result.is_ok() {
                return Err(e.into());
            }
        }
        result
    }

    fn sync_with(
        &self,
        server: &TeamServer,
        wait: Option<u64>,
        stop: &AtomicBool,
    ) -> Result<SyncReport> {
        // One thread for the network: a connection kept by the client
        // belongs to the runtime that made it.
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .map_err(|e| Error::Invalid(format!("starting the network runtime: {e}")))?;
        let mut report = SyncReport {
            pushed: self.push_outbox(server, &runtime, stop)?,
            ..SyncReport::default()
        };
        self.pull(server, &runtime, stop, &mut report)?;
        let Some(wait) = wait.filter(|_| report.pulled == 0 && report.pushed == 0) else {
            return Ok(report);
        };
        if let Some(page) = self.long_poll(server, &runtime, wait, stop)? {
            let more = page.more;
            self.apply(&[sync::pulled_page(&page)], &mut report)?;
            if more {
                self.pull(server, &runtime, stop, &mut report)?;
            }
        }
        Ok(report)
    }

    /// Pushes the outbox in batches held under the protocol's count and
    /// a byte budget; an operation leaves it only once the server's answer
    /// says it is applied. One that breaks the protocol's limits, or that
    /// the server refuses for good, is set aside as rejected with the
    /// reason (a refused batch is halved until the culprits are found), so
    /// the rest goes and the pull runs. Then the conflicts settled here are
    /// marked resolved on the server.
    fn push_outbox(
        &self,
        server: &TeamServer,
        runtime: &tokio::runtime::Runtime,
        stop: &AtomicBool,
    ) -> Result<usize> {
        let mut pushed = 0;
        loop {
            if stop.load(Ordering::Relaxed) {
                return Err(Error::Cancelled);
            }
            let pending = self.lock().ws.outbox(MAX_OPS_PER_PUSH)?;
            if pending.is_empty() {
                break;
            }
            let mut batch = Vec::with_capacity(pending.len());
            let mut bytes = json_len(&PushRequest { ops: Vec::new() });
            let mut rejected = Vec::new();
            for op in &pending {
                match sync::operation(op) {
                    Ok(op) => {
                        // A comma between operations.
                        let len = json_len(&op) + 1;
                        if !batch.is_empty() && bytes + len > PUSH_BYTES {
                            break;
                        }
                        bytes += len;
                        batch.push(op);
                    }
                    Err(why) => rejected.push((op.op_id, why)),
                }
            }
            if !rejected.is_empty() {
                tracing::warn!(
                    n = rejected.len(),
                    "operations the team server cannot take are set aside"
                );
                self.lock().ws.reject_ops(&rejected)?;
            }
            if !batch.is_empty() {
                pushed += self.push_batch(server, runtime, batch)?;
            }
        }
        self.send_resolutions(server, runtime)?;
        Ok(pushed)
    }

    /// Pushes one batch; refused for good, its halves are pushed apart
    /// until the operation refused is alone, and set aside. Returns the
    /// operations acknowledged.
    fn push_batch(
        &self,
        server: &TeamServer,
        runtime: &tokio::runtime::Runtime,
        mut ops: Vec<Operation>,
    ) -> Result<usize> {
        match runtime.block_on(server.push(ops.clone())) {
            Ok(answer) => {
                // Refused saves are kept before their operations leave the outbox.
                let refused = sync::documents::refused_saves(&answer.results);
                if !refused.is_empty() {
                    self.lock().ws.keep_refused_saves(&refused)?;
                }
                let acks: Vec<(Uuid, i64)> = answer.results.iter().map(|r| (r.id, r.seq)).collect();
                self.lock().ws.acknowledge(&acks)?;
                Ok(acks.len())
            }
            Err(refusal) if refused_for_good(&refusal) => {
                if ops.len() == 1 {
                    tracing::warn!(op = %ops[0].id, "the team server refused an operation for good");
                    let reason = refusal.to_string();
                    self.lock().ws.reject_ops(&[(ops[0].id, reason)])?;
                    return Ok(0);
                }
                let second = ops.split_off(ops.len() / 2);
                Ok(self.push_batch(server, runtime, ops)?
                    + self.push_batch(server, runtime, second)?)
            }
            Err(e) => Err(e.into()),
        }
    }

    /// Tells the server which conflicts were settled here; one it does not
    /// know (resolved by a teammate, or from before a restored backup) is
    /// done with too. One the server fails to take stays to be told at the
    /// next round: the pull goes on meanwhile.
    fn send_resolutions(
        &self,
        server: &TeamServer,
        runtime: &tokio::runtime::Runtime,
    ) -> Result<()> {
        let unsent = self.lock().ws.unsent_resolutions()?;
        for won_seq in unsent {
            match runtime.block_on(server.resolve_conflict(won_seq)) {
                Ok(()) | Err(SyncError::Refused { status: 404, .. }) => {
                    self.lock().ws.resolution_sent(won_seq)?;
                }
                Err(e) => {
                    tracing::warn!(won_seq, error = %e, "a settled conflict is told to the team server at the next sync");
                }
            }
        }
        Ok(())
    }

    /// Pulls the log from the cursor to its end: pages are fetched and read
    /// on the runtime's thread while this one stores those that arrived,
    /// each batch with its cursor in one transaction. A replica pulled from
    /// 0 takes the team memory's snapshot first, when the server offers
    /// one, then the log without the units it gave. A server whose log
    /// started afresh is pulled again from 0.
    fn pull(
        &self,
        server: &TeamServer,
        runtime: &tokio::runtime::Runtime,
        stop: &AtomicBool,
        report: &mut SyncReport,
    ) -> Result<()> {
        let pull = |report: &mut SyncReport| {
            self.pull_snapshot(server, runtime, stop, report)?;
            self.pull_pages(server, runtime, stop, report)
        };
        match pull(report) {
            Err(Error::Team(SyncError::SinceAhead)) => {
                let mut open = self.lock();
                // A page under a new epoch started the pull over already.
                if open.ws.pulled_seq()? != 0 || open.ws.snapshot()?.is_some() {
                    open.start_pull_over(None)?;
                }
                drop(open);
                pull(report)
            }
            other => other,
        }
    }

    /// Takes the team memory's snapshot into an empty replica pulled from
    /// 0, or goes on with one stopped mid-way; nothing when the replica
    /// holds the whole snapshot or has pulled the log already, when it
    /// holds units a snapshot cannot put right (`replica_is_empty`), or
    /// when the server offers none (404: a server older than snapshots):
    /// the log then brings every unit.
    fn pull_snapshot(
        &self,
        server: &TeamServer,
        runtime: &tokio::runtime::Runtime,
        stop: &AtomicBool,
        report: &mut SyncReport,
    ) -> Result<()> {
        let (pulled_seq, snapshot, empty) = {
            let open = self.lock();
            let ws = &open.ws;
            (ws.pulled_seq()?, ws.snapshot()?, ws.replica_is_empty()?)
        };
        if pulled_seq != 0 || snapshot.is_some_and(|s| s.done) || (snapshot.is_none() && !empty) {
            return Ok(());
        }
        let (sender, mut pages) =
            tokio::sync::mpsc::channel::<std::result::Result<SnapshotPage, SyncError>>(4);
        let fetcher = runtime.spawn(fetch_snapshot(server.clone(), snapshot, sender));
        let started = std::time::Instant::now();
        std::thread::scope(|scope| {
            let mut bulk = None;
            let stored = self.store_snapshot(scope, &mut pages, stop, report, &mut bulk);
            fetcher.abort();
            let stored = match stored {
                // Also for a snapshot begun on a server since replaced by
                // an older one: the whole log puts right what it holds.
                Err(Error::Team(SyncError::Refused { status: 404, .. })) => {
                    tracing::info!("the team server offers no snapshot: the log brings every unit");
                    Ok(())
                }
                other => other,
            };
            self.end_bulk(bulk, stored, started, report)
        })
    }

    /// Stores a snapshot's pages as they arrive, in batches of up to
    /// [`SNAPSHOT_UNITS_PER_TRANSACTION`] units, each with where it leaves
    /// the snapshot; once `BULK_UNITS` units came, as a bulk (see
    /// `store_batches`).
    fn store_snapshot<'scope>(
        &'scope self,
        scope: &'scope std::thread::Scope<'scope, '_>,
        pages: &mut tokio::sync::mpsc::Receiver<std::result::Result<SnapshotPage, SyncError>>,
        stop: &AtomicBool,
        report: &mut SyncReport,
        bulk: &mut Option<BulkIndex<'scope>>,
    ) -> Result<()> {
        let (n_units, waited) =
            self.store_batches(scope, pages, stop, bulk, |batch, in_bulk| {
                let in_session = in_bulk.is_none();
                let applied = match in_bulk {
                    Some(ws) => ws.apply_snapshot(batch)?,
                    None => self.lock().ws.apply_snapshot(batch)?,
                };
                if let Some(epoch) = &applied.new_epoch {
                    // The log started over: the replica is emptied and pulled
                    // again from 0.
                    self.lock().start_pull_over(Some(epoch))?;
                    return Err(Error::Team(SyncError::SinceAhead));
                }
                report.pulled += applied.changes;
                if in_session {
                    self.lock().replica_changed(&applied)?;
                }
                Ok(applied)
            })?;
        tracing::info!(
            units = n_units,
            waiting_for_pages = waited.as_secs_f64(),
            "the snapshot's pages stored"
        );
        Ok(())
    }

    fn pull_pages(
        &self,
        server: &TeamServer,
        runtime: &tokio::runtime::Runtime,
        stop: &AtomicBool,
        report: &mut SyncReport,
    ) -> Result<()> {
        let (since, snapshot) = {
            let open = self.lock();
            (open.ws.pulled_seq()?, open.ws.snapshot()?)
        };
        // The log's units up to a whole snapshot are in the replica.
        let units_after = snapshot
            .filter(|s| s.done && since < s.as_of)
            .map(|s| s.as_of);
        let (sender, mut pages) =
            tokio::sync::mpsc::channel::<std::result::Result<PulledPage, SyncError>>(64);
        let fetcher = runtime.spawn(fetch_pages(server.clone(), since, units_after, sender));
        let started = std::time::Instant::now();
        std::thread::scope(|scope| {
            let mut bulk = None;
            let stored = self.store_pages(scope, &mut pages, stop, report, &mut bulk);
            fetcher.abort();
            self.end_bulk(bulk, stored, started, report)
        })
    }

    /// Ends what storing a pull did: a bulk stored whole is settled; one
    /// stopped or failed leaves the match index to be built at the next
    /// lookup, as the concordance is completed at the next search.
    fn end_bulk(
        &self,
        bulk: Option<BulkIndex<'_>>,
        stored: Result<()>,
        started: std::time::Instant,
        report: &SyncReport,
    ) -> Result<()> {
        let Some(bulk) = bulk else {
            return stored;
        };
        tracing::info!(
            changes = report.pulled,
            seconds = started.elapsed().as_secs_f64(),
            "a bulk of pages stored"
        );
        match stored {
            Ok(()) => self.settle_bulk(bulk),
            Err(e) => {
                let _ = bulk.committed.send(Fill::Stop);
                self.lock().matcher = None;
                Err(e)
            }
        }
    }

    /// Stores the log's pages as they arrive (see `store_batches`).
    fn store_pages<'scope>(
        &'scope self,
        scope: &'scope std::thread::Scope<'scope, '_>,
        pages: &mut tokio::sync::mpsc::Receiver<std::result::Result<PulledPage, SyncError>>,
        stop: &AtomicBool,
        report: &mut SyncReport,
        bulk: &mut Option<BulkIndex<'scope>>,
    ) -> Result<()> {
        self.store_batches(scope, pages, stop, bulk, |batch, in_bulk| match in_bulk {
            Some(ws) => self.apply_in_bulk(ws, batch, report),
            None => self.apply(batch, report),
        })?;
        Ok(())
    }

    /// Stores pages as they arrive, those already there in one batch
    /// (`P::batch_full` says how large), each batch applied by `apply`.
    /// Once a pull has brought `BULK_UNITS` changes or units, it goes on
    /// as a bulk (`bulk`): `apply` is then given the bulk's connection, on
    /// which larger transactions are stored with the session free
    /// meanwhile, their units going to a match index built beside on a
    /// thread of its own, as a TMX import's do, rather than into the
    /// session's one by one. Returns the changes or units received and the
    /// time spent waiting for pages, against storing them.
    fn store_batches<'scope, P: Page>(
        &'scope self,
        scope: &'scope std::thread::Scope<'scope, '_>,
        pages: &mut tokio::sync::mpsc::Receiver<std::result::Result<P, SyncError>>,
        stop: &AtomicBool,
        bulk: &mut Option<BulkIndex<'scope>>,
        mut apply: impl FnMut(&[P], Option<&mut crate::store::Workspace>) -> Result<Applied>,
    ) -> Result<(usize, Duration)> {
        let mut received = 0;
        let mut waited = Duration::ZERO;
        let mut receive = |pages: &mut tokio::sync::mpsc::Receiver<_>| {
            let asked = std::time::Instant::now();
            let page = pages.blocking_recv();
            waited += asked.elapsed();
            page
        };
        while let Some(first) = receive(pages) {
            // A page that says more follow waits for them: a commit is an
            // fsync, and one per page of a bootstrap took most of its time.
            let first: P = first?;
            let in_bulk = bulk.is_some();
            let mut more = first.more();
            let mut in_batch = first.size();
            let mut batch = vec![first];
            while more && !P::batch_full(batch.len(), in_batch, in_bulk) {
                match receive(pages) {
                    Some(page) => {
                        let page = page?;
                        more = page.more();
                        in_batch += page.size();
                        batch.push(page);
                    }
                    None => break,
                }
            }
            received += in_batch;
            if bulk.is_none() && received >= BULK_UNITS {
                *bulk = self.start_bulk(scope)?;
            }
            match bulk {
                Some(bulk) => {
                    let applied = apply(&batch, Some(&mut bulk.ws))?;
                    // The indexer and the filler stop early only on an
                    // error, told at the bulk's end. A filler still busy
                    // takes this batch with the next.
                    let _ = bulk.units.send(applied.added);
                    let _ = bulk.committed.try_send(Fill::Committed);
                }
                None => {
                    apply(&batch, None)?;
                }
            }
            if stop.load(Ordering::Relaxed) {
                return Err(Error::Cancelled);
            }
        }
        Ok((received, waited))
    }

    /// Starts a bulk: opens the connection it is applied on, and starts
    /// on connections of their own the concordance's filler and the match
    /// index's building — the units held (the saved index, or all of
    /// them), then those the bulk stores, then those a translator stored
    /// meanwhile in another TM. None for a workspace in memory, which has
    /// no second connection: it goes on as a pull of small batches.
    fn start_bulk<'scope>(
        &self,
        scope: &'scope std::thread::Scope<'scope, '_>,
    ) -> Result<Option<BulkIndex<'scope>>> {
        let Some(path) = self.lock().ws.path().map(std::path::Path::to_path_buf) else {
            return Ok(None);
        };
        let ws = crate::store::Workspace::open(&path)?;
        let (units, arriving) = std::sync::mpsc::sync_channel(4);
        let path_of_index = path.clone();
        let built = scope.spawn(move || {
            let ws = crate::store::Workspace::open(&path_of_index)?;
            let generation = ws.tm_generation()?;
            let held = ws.max_tm_unit_id()?;
            let mut matcher = crate::tm::Matcher::open_with_arriving(&ws, arriving)?;
            let mut full = Ok(());
            ws.for_each_unit_outside_replica(held, &mut |id, source| {
                if full.is_ok() {
                    full = matcher.insert(id, source);
                }
            })?;
            full.map_err(|e| Error::Tm(e.into()))?;
            matcher.save(&ws)?;
            Ok((matcher, generation))
        });
        // The concordance is filled beside the storing too, on connections
        // of its own: a batch's units while the next ones are stored.
        let (committed, told) = std::sync::mpsc::sync_channel(1);
        let concordance = scope.spawn(move || {
            let mut ws = crate::store::Workspace::open(&path)?;
            // Once the bulk ends, the units committed last are read too.
            let (mut ended, mut stopped) = (false, false);
            ws.sync_concordance_while(&mut || match told.recv() {
                Ok(Fill::Committed) => true,
                Ok(Fill::Stop) => {
                    stopped = true;
                    false
                }
                Err(_) => !std::mem::replace(&mut ended, true),
            })?;
            if !stopped {
                // The log is copied into the file too, at the bulk's end.
                ws.checkpoint()?;
            }
            Ok(())
        });
        Ok(Some(BulkIndex {
            ws,
            units,
            built,
            committed,
            concordance,
        }))
    }

    /// Applies pages to the replica and the match index.
    fn apply(&self, pages: &[PulledPage], report: &mut SyncReport) -> Result<Applied> {
        let mut open = self.lock();
        let applied = open.ws.apply_pulled(pages)?;
        if let Some(epoch) = &applied.new_epoch {
            // The log started over: the replica is emptied and pulled
            // again from 0.
            open.start_pull_over(Some(epoch))?;
            return Err(Error::Team(SyncError::SinceAhead));
        }
        open.replica_changed(&applied)?;
        report.pulled += applied.changes;
        report.documents += applied.documents;
        report.conflicts += applied.conflicts;
        Ok(applied)
    }

    /// Applies pages of a bulk to the replica on the bulk's connection,
    /// the session free meanwhile; the bulk's index takes their units.
    fn apply_in_bulk(
        &self,
        ws: &mut crate::store::Workspace,
        pages: &[PulledPage],
        report: &mut SyncReport,
    ) -> Result<Applied> {
        let applied = ws.apply_pulled_in_bulk(pages)?;
        if let Some(epoch) = &applied.new_epoch {
            self.lock().start_pull_over(Some(epoch))?;
            return Err(Error::Team(SyncError::SinceAhead));
        }
        if applied.glossary_changed {
            self.lock().glossary_changed();
        }
        report.pulled += applied.changes;
        report.conflicts += applied.conflicts;
        Ok(applied)
    }

    /// At the end of a bulk pull, finishes what a lookup and a concordance
    /// search need, so the first of each waits for nothing, without
    /// holding the session, as after a TMX import: the match index lists
    /// its units and is saved beside the workspace while the concordance's
    /// filler, which took each batch's units beside the storing, takes the
    /// last ones and copies the log into the file. The index then takes
    /// the units stored since it read them, under the lock for a moment,
    /// and serves lookups; or it is left to the next lookup when units
    /// left the TMs meanwhile.
    fn settle_bulk(&self, bulk: BulkIndex<'_>) -> Result<()> {
        let started = std::time::Instant::now();
        let BulkIndex {
            ws,
            units,
            built,
            committed,
            concordance,
        } = bulk;
        drop((ws, units, committed));
        let built = built
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        tracing::info!(
            seconds = started.elapsed().as_secs_f64(),
            "match index built"
        );
        {
            let mut open = self.lock();
            open.matcher = match built {
                Ok((matcher, generation)) => matcher.catch_up(&open.ws, generation)?,
                Err(e) => {
                    // The units are in: the next lookup builds the index.
                    tracing::warn!("the match index was not built: {e}");
                    None
                }
            };
        }
        match concordance.join() {
            Ok(Ok(())) => {}
            // The units are in: the next search completes it.
            Ok(Err(e)) => tracing::warn!("the concordance index was not filled: {e}"),
            Err(panic) => std::panic::resume_unwind(panic),
        }
        tracing::info!(
            seconds = started.elapsed().as_secs_f64(),
            "concordance filled"
        );
        Ok(())
    }

    /// Waits for the server's next change after the cursor; none when the
    /// time is up, the outbox has something to push, or `stop` is set.
    fn long_poll(
        &self,
        server: &TeamServer,
        runtime: &tokio::runtime::Runtime,
        wait: u64,
        stop: &AtomicBool,
    ) -> Result<Option<crate::team::ChangesPage>> {
        let since = self.lock().ws.pulled_seq()?;
        runtime.block_on(async {
            let poll = server.changes(since, MAX_PAGE, Some(wait));
            tokio::pin!(poll);
            loop {
                tokio::select! {
                    page = &mut poll => {
                        let page = page?;
                        return Ok((!page.changes.is_empty()).then_some(page));
                    }
                    () = tokio::time::sleep(POLL_TICK) => {
                        if stop.load(Ordering::Relaxed) {
                            return Err(Error::Cancelled);
                        }
                        if self.lock().ws.outbox_len()? > 0 {
                            return Ok(None);
                        }
                    }
                }
            }
        })
    }
}
