//! The server's only SQL: migrations, teams, users and tokens, and the
//! change log that pushes write and pulls read.

use std::collections::{HashMap, HashSet};

use deadpool_postgres::{GenericClient, Pool};
use futures_util::TryStreamExt;
use interlinea::team::{
    self, AssignRequest, Base, Change, ChangeRecord, DocumentSummary, DocumentView, EntryConflict,
    EntryVersion, EntryWrite, Holder, Holding, OpResult, Operation, SegmentConflict,
    SegmentVersion, SegmentView, SharedDocument, Step, TeamEntry, TeamUnit,
};
use interlinea::text::dates::Utc;
use tokio_postgres::types::{Json, ToSql};
use uuid::Uuid;

use crate::token;

/// The migrations, in order; a version once released never changes.
const MIGRATIONS: &[(i32, &str)] = &[
    (1, include_str!("../migrations/0001_teams.sql")),
    (2, include_str!("../migrations/0002_review.sql")),
    (3, include_str!("../migrations/0003_documents.sql")),
    (4, include_str!("../migrations/0004_snapshot.sql")),
];

/// The channel on which a push announces its commit, as `TEAM_ID:SEQ`, to
/// every server on the database.
pub const COMMITS_CHANNEL: &str = "interlinea_commits";

/// What a command or a request could not do.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// No team of that name.
    #[error("no team named {0:?}")]
    NoTeam(String),
    /// A team of that name exists.
    #[error("a team named {0:?} exists already")]
    TeamExists(String),
    /// No user of that name.
    #[error("no user named {0:?}")]
    NoUser(String),
    /// Users of that name in more than one team.
    #[error("users named {0:?} are in more than one team: name the team")]
    AmbiguousUser(String),
    /// An operation id the log holds already, for a different change.
    #[error(
        "operation {0} was applied before with a different change: an operation id is used once"
    )]
    OpReused(Uuid),
    /// No conflict of that number in the team.
    #[error("no conflict numbered {0} in the team")]
    NoConflict(i64),
    /// A document of that id is shared in the team already.
    #[error("document {0} is shared already")]
    DocumentExists(Uuid),
    /// No shared document of that id in the team.
    #[error("no shared document {0} in the team")]
    NoDocument(Uuid),
    /// A step given to a user whose role does not do it.
    #[error("{user:?} has the role {role}: a {step} step goes to {who}")]
    StepRole {
        /// The user.
        user: String,
        /// Their role.
        role: &'static str,
        /// The step.
        step: &'static str,
        /// The roles it may go to.
        who: &'static str,
    },
    /// A change that only the server writes, in a push.
    #[error("operation {0}: assignments and releases are made through /v1/documents/ID/assign and /release, not pushed")]
    ServerWritten(Uuid),
    /// A saved segment's English with an inline code its Italian lacks.
    #[error("operation {0}: the English has an inline code the Italian does not have")]
    StrayCode(Uuid),
    /// No segment conflict of that operation in the team.
    #[error("no conflict of operation {0} in the team")]
    NoSegmentConflict(Uuid),
    /// A user of that name exists.
    #[error("a user named {0:?} exists already")]
    UserExists(String),
    /// A name that is empty, too long or holds control characters.
    #[error("a name holds 1 to 100 characters and no control character")]
    BadName,
    /// PostgreSQL refused or failed.
    #[error("database: {0}")]
    Db(#[from] tokio_postgres::Error),
    /// No connection could be had.
    #[error("database connection: {0}")]
    Pool(#[from] deadpool_postgres::PoolError),
}

/// What a user may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Manages the team's users and writes everything.
    Admin,
    /// Assigns and releases shared documents, and writes what a translator
    /// writes; does not manage users.
    Editor,
    /// Writes the team memory and glossary.
    Translator,
    /// Writes the glossary, not the memory.
    Reviewer,
}

impl Role {
    /// The role's name in the database and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Editor => "editor",
            Role::Translator => "translator",
            Role::Reviewer => "reviewer",
        }
    }

    /// Reads a role's name.
    pub fn parse(text: &str) -> Option<Role> {
        match text {
            "admin" => Some(Role::Admin),
            "editor" => Some(Role::Editor),
            "translator" => Some(Role::Translator),
            "reviewer" => Some(Role::Reviewer),
            _ => None,
        }
    }

    /// Whether the role shares, assigns and releases documents.
    pub fn assigns(self) -> bool {
        matches!(self, Role::Admin | Role::Editor)
    }
}

/// The user a token belongs to.
#[derive(Debug, Clone)]
pub struct Caller {
    /// The user's row.
    pub user_id: i64,
    /// The user's name.
    pub name: String,
    /// The user's team's row.
    pub team_id: i64,
    /// The team's name.
    pub team: String,
    /// The user's role.
    pub role: Role,
    /// The team's epoch (see [`team::ChangesPage::epoch`]).
    pub epoch: Uuid,
}

/// A user as admins list them.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct User {
    /// The name.
    pub name: String,
    /// The role.
    pub role: Role,
}

/// Checks a name of a team or a user.
pub fn check_name(name: &str) -> Result<(), Error> {
    let n = name.chars().count();
    if n == 0 || n > 100 || name.chars().any(char::is_control) || name.trim() != name {
        return Err(Error::BadName);
    }
    Ok(())
}

/// Applies the migrations the database lacks, in one transaction, and
/// returns their versions; none when it is up to date. Two servers
/// migrating at once take turns on an advisory lock.
pub async fn migrate(pool: &Pool) -> Result<Vec<i32>, Error> {
    let mut client = pool.get().await?;
    let tx = client.transaction().await?;
    // The lock (held to the commit) comes before the table, which two
    // first migrations could otherwise both try to create. A migration may
    // rebuild an index of a large table: the requests' timeouts do not hold.
    tx.batch_execute(
        "SET LOCAL statement_timeout = 0;
         SET LOCAL lock_timeout = 0;
         SELECT pg_advisory_xact_lock(7427858127365541);
         CREATE TABLE IF NOT EXISTS schema_migrations (
             version integer PRIMARY KEY,
             applied_at timestamptz NOT NULL DEFAULT now()
         );",
    )
    .await?;
    let applied: Vec<i32> = tx
        .query("SELECT version FROM schema_migrations", &[])
        .await?
        .iter()
        .map(|row| row.get(0))
        .collect();
    let mut done = Vec::new();
    for (version, sql) in MIGRATIONS {
        if applied.contains(version) {
            continue;
        }
        tx.batch_execute(sql).await?;
        tx.execute(
            "INSERT INTO schema_migrations (version) VALUES ($1)",
            &[version],
        )
        .await?;
        done.push(*version);
    }
    tx.commit().await?;
    Ok(done)
}

/// The versions of the migrations the database lacks; none when it is up
/// to date.
pub async fn pending_migrations(pool: &Pool) -> Result<Vec<i32>, Error> {
    let client = pool.get().await?;
    let exists: bool = client
        .query_one("SELECT to_regclass('schema_migrations') IS NOT NULL", &[])
        .await?
        .get(0);
    let applied: Vec<i32> = if exists {
        client
            .query("SELECT version FROM schema_migrations", &[])
            .await?
            .iter()
            .map(|row| row.get(0))
            .collect()
    } else {
        Vec::new()
    };
    Ok(MIGRATIONS
        .iter()
        .map(|(version, _)| *version)
        .filter(|version| !applied.contains(version))
        .collect())
}

/// Gives a team a new epoch, after its log has started over (a restored
/// backup), so that every client pulls it again from the start.
pub async fn renew_epoch(pool: &Pool, team: &str) -> Result<Uuid, Error> {
    let client = pool.get().await?;
    Ok(client
        .query_opt(
            "UPDATE teams SET epoch = gen_random_uuid() WHERE name = $1 RETURNING epoch",
            &[&team],
        )
        .await?
        .ok_or_else(|| Error::NoTeam(team.to_owned()))?
        .get(0))
}

/// Creates a team.
pub async fn add_team(pool: &Pool, name: &str) -> Result<(), Error> {
    check_name(name)?;
    let client = pool.get().await?;
    let n = client
        .execute(
            "INSERT INTO teams (name) VALUES ($1) ON CONFLICT (name) DO NOTHING",
            &[&name],
        )
        .await?;
    if n == 0 {
        return Err(Error::TeamExists(name.to_owned()));
    }
    Ok(())
}

/// Creates a user in a team.
pub async fn add_user(pool: &Pool, name: &str, team: &str, role: Role) -> Result<(), Error> {
    check_name(name)?;
    let client = pool.get().await?;
    let team_id: i64 = client
        .query_opt("SELECT id FROM teams WHERE name = $1", &[&team])
        .await?
        .ok_or_else(|| Error::NoTeam(team.to_owned()))?
        .get(0);
    let n = client
        .execute(
            "INSERT INTO users (team_id, name, role) VALUES ($1, $2, $3)
             ON CONFLICT (team_id, name) DO NOTHING",
            &[&team_id, &name, &role.as_str()],
        )
        .await?;
    if n == 0 {
        return Err(Error::UserExists(name.to_owned()));
    }
    Ok(())
}

/// The users of a team.
pub async fn users(pool: &Pool, team_id: i64) -> Result<Vec<User>, Error> {
    let client = pool.get().await?;
    let rows = client
        .query(
            "SELECT name, role FROM users WHERE team_id = $1 ORDER BY name",
            &[&team_id],
        )
        .await?;
    Ok(rows
        .iter()
        .map(|row| User {
            name: row.get(0),
            role: Role::parse(row.get(1)).expect("the table's check allows only roles"),
        })
        .collect())
}

/// The user of that name in the team of that row, if any.
pub async fn user_in_team(pool: &Pool, team_id: i64, name: &str) -> Result<Option<i64>, Error> {
    let client = pool.get().await?;
    Ok(client
        .query_opt(
            "SELECT id FROM users WHERE team_id = $1 AND name = $2",
            &[&team_id, &name],
        )
        .await?
        .map(|row| row.get(0)))
}

/// The user of that name, in the team of that name when one is given, else
/// in whichever team has one.
async fn user_id(pool: &Pool, name: &str, team: Option<&str>) -> Result<i64, Error> {
    let client = pool.get().await?;
    let rows = client
        .query(
            "SELECT u.id FROM users u JOIN teams t ON t.id = u.team_id
             WHERE u.name = $1 AND ($2::text IS NULL OR t.name = $2)",
            &[&name, &team],
        )
        .await?;
    match rows.as_slice() {
        [row] => Ok(row.get(0)),
        [] => Err(Error::NoUser(name.to_owned())),
        _ => Err(Error::AmbiguousUser(name.to_owned())),
    }
}

/// Issues a new token to the only user of that name (see
/// [`issue_token_in`]).
pub async fn issue_token(pool: &Pool, user: &str) -> Result<String, Error> {
    issue_token_in(pool, user, None).await
}

/// Issues a new token to a user, of the team named if one is, and returns
/// it: the only time it exists outside its holder's hands, as the database
/// keeps only its hash.
pub async fn issue_token_in(pool: &Pool, user: &str, team: Option<&str>) -> Result<String, Error> {
    let user_id = user_id(pool, user, team).await?;
    issue_token_to(pool, user_id).await
}

/// Issues a new token to the user of that row and returns it.
pub async fn issue_token_to(pool: &Pool, user_id: i64) -> Result<String, Error> {
    let client = pool.get().await?;
    let token = token::new();
    client
        .execute(
            "INSERT INTO tokens (user_id, hash) VALUES ($1, $2)",
            &[&user_id, &token::hash(&token).as_slice()],
        )
        .await?;
    Ok(token)
}

/// Revokes every token of the only user of that name (see
/// [`revoke_tokens_in`]).
pub async fn revoke_tokens(pool: &Pool, user: &str) -> Result<u64, Error> {
    revoke_tokens_in(pool, user, None).await
}

/// Revokes every token of a user, of the team named if one is, and returns
/// how many were live.
pub async fn revoke_tokens_in(pool: &Pool, user: &str, team: Option<&str>) -> Result<u64, Error> {
    let user_id = user_id(pool, user, team).await?;
    revoke_tokens_of(pool, user_id).await
}

/// Revokes every token of the user of that row and returns how many were
/// live.
pub async fn revoke_tokens_of(pool: &Pool, user_id: i64) -> Result<u64, Error> {
    let client = pool.get().await?;
    Ok(client
        .execute(
            "UPDATE tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL",
            &[&user_id],
        )
        .await?)
}

/// The user a live token belongs to, if any.
pub async fn caller(pool: &Pool, token: &str) -> Result<Option<Caller>, Error> {
    let client = pool.get().await?;
    let row = client
        .query_opt(
            "SELECT u.id, u.name, t.id, t.name, u.role, t.epoch
             FROM tokens k JOIN users u ON u.id = k.user_id JOIN teams t ON t.id = u.team_id
             WHERE k.hash = $1 AND k.revoked_at IS NULL",
            &[&token::hash(token).as_slice()],
        )
        .await?;
    Ok(row.map(|row| Caller {
        user_id: row.get(0),
        name: row.get(1),
        team_id: row.get(2),
        team: row.get(3),
        role: Role::parse(row.get(4)).expect("the table's check allows only roles"),
        epoch: row.get(5),
    }))
}

/// Applies a push's operations in one transaction and returns their
/// results and the team's last sequence number. The team's row stays
/// locked until the commit, so pushes to one team take turns, their
/// numbers have no gap, and no reader sees a number before the ones
/// below it. An operation already applied is answered from the log; one
/// whose id the log holds for a different change is refused, and with it
/// the push. The commit is announced on [`COMMITS_CHANNEL`].
pub async fn push(
    pool: &Pool,
    caller: &Caller,
    ops: &[Operation],
) -> Result<(Vec<OpResult>, i64), Error> {
    let mut client = pool.get().await?;
    let tx = client.transaction().await?;
    let mut seq = lock_team(&tx, caller.team_id).await?;
    // Operations applied before, by an earlier push or earlier in this one.
    let ids: Vec<Uuid> = ops.iter().map(|op| op.id).collect();
    if let Some(op) = ops.iter().find(|op| op.change.written_by_server()) {
        return Err(Error::ServerWritten(op.id));
    }
    // Operations applied before, by an earlier push or earlier in this one,
    // and saves refused before, which are answered the same.
    let mut done: HashMap<Uuid, Applied> = tx
        .query(
            "SELECT op_id, seq, conflict, change, NULL::jsonb FROM changes
             WHERE team_id = $1 AND op_id = ANY($2)
             UNION ALL
             SELECT op_id, 0, NULL, change, conflict FROM segment_conflicts
             WHERE team_id = $1 AND op_id = ANY($2)",
            &[&caller.team_id, &ids],
        )
        .await?
        .iter()
        .map(|row| {
            let conflict: Option<Json<EntryConflict>> = row.get(2);
            let change: Json<Change> = row.get(3);
            let refused: Option<Json<SegmentConflict>> = row.get(4);
            let applied = Applied {
                seq: row.get(1),
                conflict: conflict.map(|c| c.0),
                refused: refused.map(|c| c.0),
                change: change.0,
            };
            (row.get(0), applied)
        })
        .collect();
    let mut results = Vec::with_capacity(ops.len());
    let mut log = Vec::with_capacity(ops.len());
    let mut added = AddedUnits::default();
    for op in ops {
        if let Some(applied) = done.get(&op.id) {
            if applied.change != op.change {
                return Err(Error::OpReused(op.id));
            }
            results.push(OpResult {
                id: op.id,
                seq: applied.seq,
                applied: false,
                conflict: applied.conflict.clone(),
                refused: applied.refused.clone(),
            });
            continue;
        }
        let team_id = caller.team_id;
        // A refused save takes no number: it enters no log.
        if let Change::SegmentSaved { .. } = &op.change {
            if let Some(refused) = save_segment(&tx, caller, (seq + 1, op.id), &op.change).await? {
                done.insert(
                    op.id,
                    Applied {
                        seq: 0,
                        conflict: None,
                        refused: Some(refused.clone()),
                        change: op.change.clone(),
                    },
                );
                results.push(OpResult {
                    id: op.id,
                    seq: 0,
                    applied: false,
                    conflict: None,
                    refused: Some(refused),
                });
                continue;
            }
        }
        seq += 1;
        // Additions wait to be written together; any other change first
        // writes those before it, so each sees the state its number says.
        let conflict = match &op.change {
            Change::UnitAdded { unit } => {
                added.push(&tx, caller, unit, seq).await?;
                None
            }
            Change::UnitDeleted { unit_id } => {
                added.write(&tx, caller).await?;
                let stmt = tx
                    .prepare_cached(
                        "UPDATE units SET deleted_seq = $3
                         WHERE team_id = $1 AND id = $2 AND deleted_seq IS NULL",
                    )
                    .await?;
                tx.execute(&stmt, &[&team_id, unit_id, &seq]).await?;
                None
            }
            Change::EntryPut {
                entry,
                base_seq,
                base_op,
            } => {
                let base = Base {
                    seq: *base_seq,
                    op: *base_op,
                };
                let version = (seq, op.id);
                write_entry(&tx, team_id, version, entry.id, Some(entry), base).await?
            }
            Change::EntryDeleted {
                entry_id,
                base_seq,
                base_op,
            } => {
                let base = Base {
                    seq: *base_seq,
                    op: *base_op,
                };
                write_entry(&tx, team_id, (seq, op.id), *entry_id, None, base).await?
            }
            Change::DocumentShared { document } => {
                share_document(&tx, team_id, (seq, op.id), document).await?;
                None
            }
            // Applied above, by the rule.
            Change::SegmentSaved { .. } => None,
            Change::Assigned { .. } | Change::Released { .. } => {
                unreachable!("refused before anything is written")
            }
        };
        done.insert(
            op.id,
            Applied {
                seq,
                conflict: conflict.clone(),
                refused: None,
                change: op.change.clone(),
            },
        );
        log.push((seq, op, conflict.clone()));
        results.push(OpResult {
            id: op.id,
            seq,
            applied: true,
            conflict,
            refused: None,
        });
    }
    added.write(&tx, caller).await?;
    let stmt = tx
        .prepare_cached(
            "INSERT INTO changes (team_id, user_id, seq, op_id, change, conflict, bytes)
             SELECT $1, $2, *
             FROM unnest($3::bigint[], $4::uuid[], $5::jsonb[], $6::jsonb[], $7::integer[])",
        )
        .await?;
    let seqs: Vec<i64> = log.iter().map(|(seq, _, _)| *seq).collect();
    let op_ids: Vec<Uuid> = log.iter().map(|(_, op, _)| op.id).collect();
    let changes: Vec<Json<&Change>> = log.iter().map(|(_, op, _)| Json(&op.change)).collect();
    let conflicts: Vec<Option<Json<&EntryConflict>>> =
        log.iter().map(|(_, _, c)| c.as_ref().map(Json)).collect();
    let bytes: Vec<i32> = log
        .iter()
        .map(|(_, op, _)| i32::try_from(team::json_len(&op.change)).unwrap_or(i32::MAX))
        .collect();
    tx.execute(
        &stmt,
        &[
            &caller.team_id,
            &caller.user_id,
            &seqs,
            &op_ids,
            &changes,
            &conflicts,
            &bytes,
        ],
    )
    .await?;
    commit(tx, caller.team_id, seq).await?;
    Ok((results, seq))
}

/// Stores the team's last sequence number, announces it and commits.
async fn commit(
    tx: deadpool_postgres::Transaction<'_>,
    team_id: i64,
    seq: i64,
) -> Result<(), Error> {
    // The notification is delivered at the commit, to the servers
    // listening, even if this request's client is gone by then.
    tx.execute(
        "WITH last AS (UPDATE teams SET seq = $2 WHERE id = $1)
         SELECT pg_notify($3, $4)",
        &[
            &team_id,
            &seq,
            &COMMITS_CHANNEL,
            &format!("{team_id}:{seq}"),
        ],
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// An operation the log holds: its number, what it changed and the
/// conflict it made.
struct Applied {
    seq: i64,
    conflict: Option<EntryConflict>,
    refused: Option<SegmentConflict>,
    change: Change,
}

/// Units added by a push, written to the team memory in one statement.
#[derive(Default)]
struct AddedUnits {
    ids: Vec<Uuid>,
    sources: Vec<String>,
    targets: Vec<String>,
    seqs: Vec<i64>,
    pending: HashSet<Uuid>,
}

impl AddedUnits {
    /// Adds a unit; one already waiting is written first, since one
    /// statement may not write a row twice.
    async fn push(
        &mut self,
        tx: &impl GenericClient,
        caller: &Caller,
        unit: &TeamUnit,
        seq: i64,
    ) -> Result<(), Error> {
        if self.pending.contains(&unit.id) {
            self.write(tx, caller).await?;
        }
        self.pending.insert(unit.id);
        self.ids.push(unit.id);
        self.sources.push(unit.source.clone());
        self.targets.push(unit.target.clone());
        self.seqs.push(seq);
        Ok(())
    }

    /// Writes the waiting units, by the caller now (the time their
    /// changes are logged with); a unit whose id is there already is
    /// replaced (and is live again if it had been deleted).
    async fn write(&mut self, tx: &impl GenericClient, caller: &Caller) -> Result<(), Error> {
        if self.ids.is_empty() {
            return Ok(());
        }
        let stmt = tx
            .prepare_cached(
                "INSERT INTO units (team_id, user_id, at, id, source, target, seq)
                 SELECT $1, $6, now(), *
                 FROM unnest($2::uuid[], $3::text[], $4::text[], $5::bigint[])
                 ON CONFLICT (team_id, id) DO UPDATE
                 SET source = excluded.source, target = excluded.target,
                     seq = excluded.seq, deleted_seq = NULL,
                     user_id = excluded.user_id, at = excluded.at",
            )
            .await?;
        tx.execute(
            &stmt,
            &[
                &caller.team_id,
                &self.ids,
                &self.sources,
                &self.targets,
                &self.seqs,
                &caller.user_id,
            ],
        )
        .await?;
        *self = AddedUnits::default();
        Ok(())
    }
}

/// Writes a glossary entry's new version, made by the change `version`
/// (its number and operation), and keeps the version it replaced unseen.
async fn write_entry(
    tx: &impl GenericClient,
    team_id: i64,
    (seq, op_id): (i64, Uuid),
    entry_id: Uuid,
    entry: Option<&TeamEntry>,
    base: Base,
) -> Result<Option<EntryConflict>, Error> {
    let current = tx
        .query_opt(
            "SELECT seq, entry, op_id FROM entries WHERE team_id = $1 AND id = $2",
            &[&team_id, &entry_id],
        )
        .await?
        .map(|row| EntryVersion {
            seq: row.get(0),
            entry: row.get::<_, Option<Json<TeamEntry>>>(1).map(|e| e.0),
            op_id: row.get(2),
        });
    let write = if entry.is_some() {
        EntryWrite::Put
    } else {
        EntryWrite::Delete
    };
    let conflict = team::glossary_write(current.as_ref(), write, base, seq, entry_id);
    tx.execute(
        "INSERT INTO entries (team_id, id, seq, entry, op_id) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (team_id, id)
         DO UPDATE SET seq = excluded.seq, entry = excluded.entry, op_id = excluded.op_id",
        &[&team_id, &entry_id, &seq, &entry.map(Json), &op_id],
    )
    .await?;
    if let Some(lost) = &conflict {
        tx.execute(
            "INSERT INTO entry_conflicts (team_id, entry_id, lost, lost_seq, won_seq)
             VALUES ($1, $2, $3, $4, $5)",
            &[
                &team_id,
                &entry_id,
                &lost.lost.as_ref().map(Json),
                &lost.lost_seq,
                &lost.won_seq,
            ],
        )
        .await?;
    }
    Ok(conflict)
}

/// The team's last sequence number, and its changes after `since`: at
/// most `limit` of them, in order, and no more than those that begin within
/// [`team::MAX_PAGE_BYTES`] of the log's JSON (the page's exact cap is
/// [`team::page`]'s), so that a page of large entries is not all read. The
/// lengths are those stored with the changes: writing each change out as
/// text to measure it about doubled the reads of a pull of 1,000,000.
/// Numbers have no gap, so these are the changes numbered `since + 1` to
/// `since + limit`: bounded at both ends, the read stays the size of a page
/// whatever plan PostgreSQL picks. (Asked with `LIMIT` alone, just after a
/// bulk load and before the table's statistics caught up, it sorted every
/// later change: 55 ms a page at 100,000 changes, 6 ms with the range.)
pub async fn changes_after(
    pool: &Pool,
    team_id: i64,
    since: i64,
    limit: i64,
) -> Result<(i64, Vec<ChangeRecord>), Error> {
    let client = pool.get().await?;
    // Read first: every change up to it has committed.
    let last: i64 = client
        .query_one("SELECT seq FROM teams WHERE id = $1", &[&team_id])
        .await?
        .get(0);
    if since >= last {
        return Ok((last, Vec::new()));
    }
    let stmt = client
        .prepare_cached(
            "SELECT c.seq, c.op_id, u.name,
                    to_char(c.at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'),
                    c.change, c.conflict
             FROM (
                 SELECT c.*, sum(b.bytes) OVER (ORDER BY c.seq ROWS UNBOUNDED PRECEDING)
                             - b.bytes AS before
                 FROM changes c CROSS JOIN LATERAL (
                     SELECT coalesce(c.bytes, octet_length(c.change::text)) AS bytes
                 ) b
                 WHERE c.team_id = $1 AND c.seq > $2 AND c.seq <= $2 + $3
             ) c JOIN users u ON u.id = c.user_id
             WHERE c.before < $4
             ORDER BY c.seq",
        )
        .await?;
    let max_bytes = team::MAX_PAGE_BYTES as i64;
    let rows = client
        .query(&stmt, &[&team_id, &since, &limit, &max_bytes])
        .await?;
    Ok((last, rows.iter().map(change_record).collect()))
}

/// A change as read by [`changes_after`] and [`changes_after_snapshot`]:
/// its number, operation id, author's name, time (as `to_char` wrote it),
/// change and conflict.
fn change_record(row: &tokio_postgres::Row) -> ChangeRecord {
    ChangeRecord {
        seq: row.get(0),
        op_id: row.get(1),
        author: row.get(2),
        at: row.get(3),
        change: row.get::<_, Json<Change>>(4).0,
        conflict: row.get::<_, Option<Json<EntryConflict>>>(5).map(|c| c.0),
    }
}

/// The team's last sequence number.
pub async fn last_seq(pool: &Pool, team_id: i64) -> Result<i64, Error> {
    let client = pool.get().await?;
    Ok(client
        .query_one("SELECT seq FROM teams WHERE id = $1", &[&team_id])
        .await?
        .get(0))
}

/// The team's live units after the id `after` (from the first without
/// one), in the order of their ids — a walk along the primary key, whose
/// pages cost the same wherever they start —, at most `limit` of them and
/// no more than those that begin within [`team::MAX_PAGE_BYTES`] of their
/// strings (at least one); and whether more follow. Every string a unit
/// writes into the page's JSON is counted, its id's, author's and time's
/// as well as its texts', so that whatever its units hold a page weighs
/// no more than the cap and one unit, but for the JSON's punctuation and
/// escapes. The byte cap is counted here rather than by window sums in
/// the query, which cost PostgreSQL more than the walk itself.
pub async fn units_after(
    pool: &Pool,
    team_id: i64,
    after: Option<Uuid>,
    limit: i64,
) -> Result<(Vec<team::SnapshotUnit>, bool), Error> {
    let client = pool.get().await?;
    let stmt = client
        .prepare_cached(
            "SELECT u.id, u.source, u.target, coalesce(w.name, ''), u.at
             FROM (
                 SELECT id, source, target, user_id, at FROM units
                 WHERE team_id = $1 AND id > $2 AND deleted_seq IS NULL
                 ORDER BY id LIMIT $3
             ) u LEFT JOIN users w ON w.id = u.user_id
             ORDER BY u.id",
        )
        .await?;
    // No unit has the nil id: clients make random (version 4) ones.
    let after = after.unwrap_or(Uuid::nil());
    // Read as a stream and left at the cap: the rows past it are dropped
    // as they come, never held (a page of long units could weigh hundreds
    // of megabytes).
    let rows = client
        .query_raw(&stmt, [&team_id as &(dyn ToSql + Sync), &after, &limit])
        .await?;
    let mut rows = std::pin::pin!(rows);
    let (mut units, mut bytes, mut read) = (Vec::new(), 0, 0);
    while let Some(row) = rows.try_next().await? {
        read += 1;
        if bytes >= team::MAX_PAGE_BYTES {
            // One more row is enough to know the page was cut.
            break;
        }
        // Written here, not by `to_char`: a sixth of the database's work
        // for a page.
        let at: Option<std::time::SystemTime> = row.get(4);
        let unit = team::SnapshotUnit {
            id: row.get(0),
            source: row.get(1),
            target: row.get(2),
            author: row.get(3),
            at: at.map(|at| Utc::of(at).rfc3339()).unwrap_or_default(),
        };
        bytes += uuid::fmt::Hyphenated::LENGTH
            + unit.source.len()
            + unit.target.len()
            + unit.author.len()
            + unit.at.len();
        units.push(unit);
    }
    let more = read == limit || units.len() < read as usize;
    Ok((units, more))
}

/// As [`changes_after`], for a client holding a snapshot of the team
/// memory as of `units_after`: the changes to units numbered up to it are
/// left out (the snapshot holds what they made), the others read through
/// an index of their own. Also returns the number up to which the log was
/// read whole: past the last change given when no change up to
/// `units_after` was left unread.
pub async fn changes_after_snapshot(
    pool: &Pool,
    team_id: i64,
    since: i64,
    units_after: i64,
    limit: i64,
) -> Result<(i64, Vec<ChangeRecord>, i64), Error> {
    let client = pool.get().await?;
    let last: i64 = client
        .query_one("SELECT seq FROM teams WHERE id = $1", &[&team_id])
        .await?
        .get(0);
    let snapshot_end = units_after.min(last);
    if since >= snapshot_end {
        drop(client);
        let (last, changes) = changes_after(pool, team_id, since, limit).await?;
        return Ok((last, changes, since));
    }
    // The predicate is the partial index's, word for word.
    let stmt = client
        .prepare_cached(
            "SELECT seq, coalesce(bytes, octet_length(change::text)) FROM changes
             WHERE team_id = $1 AND seq > $2 AND seq <= $3
               AND change->>'kind' NOT IN ('unit_added', 'unit_deleted')
             ORDER BY seq LIMIT $4",
        )
        .await?;
    let found = client
        .query(&stmt, &[&team_id, &since, &snapshot_end, &limit])
        .await?;
    let mut seqs = Vec::new();
    let mut bytes = 0;
    for row in &found {
        if !seqs.is_empty() && bytes >= team::MAX_PAGE_BYTES as i64 {
            break;
        }
        seqs.push(row.get::<_, i64>(0));
        bytes += i64::from(row.get::<_, i32>(1));
    }
    let whole = seqs.len() == found.len() && (found.len() as i64) < limit;
    let stmt = client
        .prepare_cached(
            "SELECT c.seq, c.op_id, u.name,
                    to_char(c.at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'),
                    c.change, c.conflict
             FROM changes c JOIN users u ON u.id = c.user_id
             WHERE c.team_id = $1 AND c.seq = ANY($2)
             ORDER BY c.seq",
        )
        .await?;
    let mut changes: Vec<ChangeRecord> = client
        .query(&stmt, &[&team_id, &seqs])
        .await?
        .iter()
        .map(change_record)
        .collect();
    if !whole {
        return Ok((last, changes, since));
    }
    // The snapshot's part is read: the page goes on with the log after it.
    drop(client);
    let room = limit - changes.len() as i64;
    if room > 0 && bytes < team::MAX_PAGE_BYTES as i64 {
        let (last, after) = changes_after(pool, team_id, snapshot_end, room).await?;
        changes.extend(after);
        return Ok((last, changes, snapshot_end));
    }
    Ok((last, changes, snapshot_end))
}

/// A glossary conflict as the team's members list it, to resolve it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Conflict {
    /// The conflict's number in the team: the number of the change that won.
    pub id: i64,
    /// The conflict.
    #[serde(flatten)]
    pub conflict: EntryConflict,
}

/// The team's glossary conflicts that no one has resolved, oldest first.
pub async fn conflicts(pool: &Pool, team_id: i64) -> Result<Vec<Conflict>, Error> {
    let client = pool.get().await?;
    let rows = client
        .query(
            "SELECT entry_id, lost, lost_seq, won_seq FROM entry_conflicts
             WHERE team_id = $1 AND resolved_at IS NULL ORDER BY won_seq",
            &[&team_id],
        )
        .await?;
    Ok(rows
        .iter()
        .map(|row| Conflict {
            id: row.get(3),
            conflict: EntryConflict {
                entry_id: row.get(0),
                lost: row.get::<_, Option<Json<TeamEntry>>>(1).map(|e| e.0),
                lost_seq: row.get(2),
                won_seq: row.get(3),
            },
        })
        .collect())
}

/// Marks a conflict of the caller's team resolved, by the caller; resolving
/// it again changes nothing.
pub async fn resolve_conflict(pool: &Pool, caller: &Caller, id: i64) -> Result<(), Error> {
    let client = pool.get().await?;
    let found = client
        .execute(
            "UPDATE entry_conflicts
             SET resolved_at = coalesce(resolved_at, now()),
                 resolved_by = coalesce(resolved_by, $3)
             WHERE team_id = $1 AND won_seq = $2",
            &[&caller.team_id, &id, &caller.user_id],
        )
        .await?;
    if found == 0 {
        return Err(Error::NoConflict(id));
    }
    Ok(())
}

/// The team memory's live translations of one source, newest first.
pub async fn translations(
    pool: &Pool,
    team_id: i64,
    source: &str,
) -> Result<Vec<(i64, String)>, Error> {
    let client = pool.get().await?;
    let rows = client
        .query(
            "SELECT seq, target FROM units
             WHERE team_id = $1 AND md5(source) = md5($2) AND source = $2
                   AND deleted_seq IS NULL",
            &[&team_id, &source],
        )
        .await?;
    let found: Vec<(i64, String)> = rows.iter().map(|r| (r.get(0), r.get(1))).collect();
    let mut ordered: Vec<team::Translation<'_>> = found
        .iter()
        .map(|(seq, target)| team::Translation { seq: *seq, target })
        .collect();
    team::newest_first(&mut ordered);
    Ok(ordered
        .into_iter()
        .map(|t| (t.seq, t.target.to_owned()))
        .collect())
}

/// Shares a document with the team, its segments at the version of the
/// change `version` (its number and operation); an id shared already is
/// refused, and with it the push.
async fn share_document(
    tx: &impl GenericClient,
    team_id: i64,
    (seq, op_id): (i64, Uuid),
    document: &SharedDocument,
) -> Result<(), Error> {
    let n = tx
        .execute(
            "INSERT INTO documents (team_id, id, name, seq) VALUES ($1, $2, $3, $4)
             ON CONFLICT (team_id, id) DO NOTHING",
            &[&team_id, &document.id, &document.name, &seq],
        )
        .await?;
    if n == 0 {
        return Err(Error::DocumentExists(document.id));
    }
    let segments = &document.segments;
    let ids: Vec<Uuid> = segments.iter().map(|s| s.id).collect();
    let positions: Vec<i32> = (0..segments.len() as i32).collect();
    let sources: Vec<&str> = segments.iter().map(|s| s.source.as_str()).collect();
    let targets: Vec<&str> = segments.iter().map(|s| s.target.as_str()).collect();
    let statuses: Vec<&str> = segments.iter().map(|s| s.status.as_str()).collect();
    tx.execute(
        "INSERT INTO document_segments
             (team_id, document_id, seq, op_id, id, position, source, target, status)
         SELECT $1, $2, $3, $4, *
         FROM unnest($5::uuid[], $6::int[], $7::text[], $8::text[], $9::text[])",
        &[
            &team_id,
            &document.id,
            &seq,
            &op_id,
            &ids,
            &positions,
            &sources,
            &targets,
            &statuses,
        ],
    )
    .await?;
    Ok(())
}

/// Applies a saved segment as the change `version` (the number it takes
/// if applied, and its operation) when [`team::segment_save`] allows it;
/// else keeps it as a conflict and returns that.
async fn save_segment(
    tx: &impl GenericClient,
    caller: &Caller,
    (seq, op_id): (i64, Uuid),
    change: &Change,
) -> Result<Option<SegmentConflict>, Error> {
    let Change::SegmentSaved {
        document_id,
        segment_id,
        target,
        status,
        base_seq,
        base_op,
    } = change
    else {
        unreachable!("only saves are judged");
    };
    let team_id = caller.team_id;
    let current = tx
        .query_opt(
            "SELECT seq, op_id, source FROM document_segments
             WHERE team_id = $1 AND document_id = $2 AND id = $3",
            &[&team_id, document_id, segment_id],
        )
        .await?
        .map(|row| {
            let source: String = row.get(2);
            let version = SegmentVersion {
                seq: row.get(0),
                op_id: row.get(1),
            };
            (version, source)
        });
    // Malformed whoever sends it: refused with the push, not kept.
    if let Some((_, source)) = &current {
        if team::has_stray_code(source, target) {
            return Err(Error::StrayCode(op_id));
        }
    }
    let current = current.map(|(version, _)| version);
    let holder = tx
        .query_opt(
            "SELECT u.name, a.lease_until > now() FROM assignments a
             JOIN users u ON u.id = a.user_id
             WHERE a.team_id = $1 AND a.document_id = $2",
            &[&team_id, document_id],
        )
        .await?
        .map(|row| (row.get::<_, String>(0), row.get::<_, bool>(1)));
    let holding = holder
        .as_ref()
        .map(|(user, live)| Holding { user, live: *live });
    let base = Base {
        seq: *base_seq,
        op: *base_op,
    };
    let Err(reason) = team::segment_save(&caller.name, holding, current, base) else {
        tx.execute(
            "UPDATE document_segments SET target = $4, status = $5, seq = $6, op_id = $7
             WHERE team_id = $1 AND document_id = $2 AND id = $3",
            &[
                &team_id,
                document_id,
                segment_id,
                target,
                status,
                &seq,
                &op_id,
            ],
        )
        .await?;
        return Ok(None);
    };
    let conflict = SegmentConflict {
        op_id,
        document_id: *document_id,
        segment_id: *segment_id,
        author: caller.name.clone(),
        target: target.clone(),
        status: status.clone(),
        base_seq: *base_seq,
        current_seq: current.map(|c| c.seq),
        reason,
    };
    tx.execute(
        "INSERT INTO segment_conflicts (team_id, op_id, user_id, change, conflict)
         VALUES ($1, $2, $3, $4, $5)",
        &[
            &team_id,
            &op_id,
            &caller.user_id,
            &Json(change),
            &Json(&conflict),
        ],
    )
    .await?;
    Ok(Some(conflict))
}

/// Locks the team's row, as a push does, and returns its last number.
async fn lock_team(tx: &impl GenericClient, team_id: i64) -> Result<i64, Error> {
    Ok(tx
        .query_one(
            "SELECT seq FROM teams WHERE id = $1 FOR UPDATE",
            &[&team_id],
        )
        .await?
        .get(0))
}

/// Writes a change the server makes (an assignment, a release) to the
/// log, as made by the caller with an operation of the server's own.
async fn log_change(
    tx: &impl GenericClient,
    caller: &Caller,
    seq: i64,
    change: &Change,
) -> Result<(), Error> {
    let bytes = i32::try_from(team::json_len(change)).unwrap_or(i32::MAX);
    tx.execute(
        "INSERT INTO changes (team_id, user_id, seq, op_id, change, bytes)
         VALUES ($1, $2, $3, $4, $5, $6)",
        &[
            &caller.team_id,
            &caller.user_id,
            &seq,
            &Uuid::new_v4(),
            &Json(change),
            &bytes,
        ],
    )
    .await?;
    Ok(())
}

async fn document_exists(
    tx: &impl GenericClient,
    team_id: i64,
    document_id: Uuid,
) -> Result<(), Error> {
    tx.query_opt(
        "SELECT 1 FROM documents WHERE team_id = $1 AND id = $2",
        &[&team_id, &document_id],
    )
    .await?
    .map(|_| ())
    .ok_or(Error::NoDocument(document_id))
}

/// Gives a shared document of the caller's team to a user of the team for
/// a step, until a lease of `lease_minutes` from now runs out; whoever held
/// it before no longer does. The assignment enters the log; returns who
/// holds it now and the change's number.
pub async fn assign(
    pool: &Pool,
    caller: &Caller,
    document_id: Uuid,
    request: &AssignRequest,
) -> Result<(Holder, i64), Error> {
    let mut client = pool.get().await?;
    let tx = client.transaction().await?;
    let seq = lock_team(&tx, caller.team_id).await? + 1;
    document_exists(&tx, caller.team_id, document_id).await?;
    let (user_id, role): (i64, String) = tx
        .query_opt(
            "SELECT id, role FROM users WHERE team_id = $1 AND name = $2",
            &[&caller.team_id, &request.user],
        )
        .await?
        .map(|row| (row.get(0), row.get(1)))
        .ok_or_else(|| Error::NoUser(request.user.clone()))?;
    if !team::step_fits_role(request.step, &role) {
        return Err(Error::StepRole {
            user: request.user.clone(),
            role: Role::parse(&role)
                .expect("the table's check allows only roles")
                .as_str(),
            step: request.step.as_str(),
            who: match request.step {
                Step::Translate => "a translator",
                Step::Review => "a reviewer or a translator",
            },
        });
    }
    let minutes = i32::try_from(request.lease_minutes).expect("checked against the limit");
    let lease_until: String = tx
        .query_one(
            "INSERT INTO assignments (team_id, document_id, user_id, step, lease_until, seq)
             VALUES ($1, $2, $3, $4, now() + make_interval(mins => $5), $6)
             ON CONFLICT (team_id, document_id) DO UPDATE
             SET user_id = excluded.user_id, step = excluded.step,
                 lease_until = excluded.lease_until, seq = excluded.seq
             RETURNING to_char(lease_until AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')",
            &[
                &caller.team_id,
                &document_id,
                &user_id,
                &request.step.as_str(),
                &minutes,
                &seq,
            ],
        )
        .await?
        .get(0);
    let change = Change::Assigned {
        document_id,
        user: request.user.clone(),
        step: request.step,
        lease_until: lease_until.clone(),
    };
    log_change(&tx, caller, seq, &change).await?;
    commit(tx, caller.team_id, seq).await?;
    let holder = Holder {
        user: request.user.clone(),
        step: request.step,
        lease_until,
        live: true,
    };
    Ok((holder, seq))
}

/// Releases a shared document of the caller's team: no one holds it. The
/// release enters the log and its number is returned; a document that no
/// one held is left as it is (none).
pub async fn release(
    pool: &Pool,
    caller: &Caller,
    document_id: Uuid,
) -> Result<Option<i64>, Error> {
    let mut client = pool.get().await?;
    let tx = client.transaction().await?;
    let seq = lock_team(&tx, caller.team_id).await? + 1;
    document_exists(&tx, caller.team_id, document_id).await?;
    let released = tx
        .execute(
            "DELETE FROM assignments WHERE team_id = $1 AND document_id = $2",
            &[&caller.team_id, &document_id],
        )
        .await?;
    if released == 0 {
        return Ok(None);
    }
    log_change(&tx, caller, seq, &Change::Released { document_id }).await?;
    commit(tx, caller.team_id, seq).await?;
    Ok(Some(seq))
}

/// The columns of a document's holder, after the document's own four, in
/// the queries below.
const HOLDER_COLUMNS: &str = "u.name, a.step,
    to_char(a.lease_until AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'),
    a.lease_until > now()";

fn holder_of(row: &tokio_postgres::Row) -> Option<Holder> {
    let user: Option<String> = row.get(4);
    user.map(|user| Holder {
        user,
        step: Step::parse(row.get(5)).expect("the table's check allows only steps"),
        lease_until: row.get(6),
        live: row.get(7),
    })
}

/// The team's shared documents, in the order they were shared, with who
/// holds each.
pub async fn documents(pool: &Pool, team_id: i64) -> Result<Vec<DocumentSummary>, Error> {
    let client = pool.get().await?;
    let rows = client
        .query(
            &format!(
                "SELECT d.id, d.name, d.seq,
                        (SELECT count(*) FROM document_segments s
                         WHERE s.team_id = d.team_id AND s.document_id = d.id),
                        {HOLDER_COLUMNS}
                 FROM documents d
                 LEFT JOIN assignments a ON a.team_id = d.team_id AND a.document_id = d.id
                 LEFT JOIN users u ON u.id = a.user_id
                 WHERE d.team_id = $1 ORDER BY d.seq"
            ),
            &[&team_id],
        )
        .await?;
    Ok(rows
        .iter()
        .map(|row| DocumentSummary {
            id: row.get(0),
            name: row.get(1),
            seq: row.get(2),
            segments: row.get(3),
            holder: holder_of(row),
        })
        .collect())
}

/// A shared document of the team whole, its segments as they stand now.
pub async fn document(pool: &Pool, team_id: i64, id: Uuid) -> Result<DocumentView, Error> {
    let mut client = pool.get().await?;
    // One snapshot for the document and its segments.
    let tx = client
        .build_transaction()
        .isolation_level(tokio_postgres::IsolationLevel::RepeatableRead)
        .read_only(true)
        .start()
        .await?;
    let row = tx
        .query_opt(
            &format!(
                "SELECT d.id, d.name, d.seq, 0::bigint, {HOLDER_COLUMNS}
                 FROM documents d
                 LEFT JOIN assignments a ON a.team_id = d.team_id AND a.document_id = d.id
                 LEFT JOIN users u ON u.id = a.user_id
                 WHERE d.team_id = $1 AND d.id = $2"
            ),
            &[&team_id, &id],
        )
        .await?
        .ok_or(Error::NoDocument(id))?;
    let segments = tx
        .query(
            "SELECT id, source, target, status, seq FROM document_segments
             WHERE team_id = $1 AND document_id = $2 ORDER BY position",
            &[&team_id, &id],
        )
        .await?
        .iter()
        .map(|s| SegmentView {
            id: s.get(0),
            source: s.get(1),
            target: s.get(2),
            status: s.get(3),
            seq: s.get(4),
        })
        .collect();
    tx.commit().await?;
    Ok(DocumentView {
        id: row.get(0),
        name: row.get(1),
        seq: row.get(2),
        segments,
        holder: holder_of(&row),
    })
}

/// A refused save as the team's members list it, to resolve it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SegmentConflictItem {
    /// The conflict's id: the refused operation's.
    pub id: Uuid,
    /// When it was refused (RFC 3339, UTC).
    pub at: String,
    /// The conflict.
    #[serde(flatten)]
    pub conflict: SegmentConflict,
}

/// The team's refused saves that no one has resolved, oldest first.
pub async fn segment_conflicts(
    pool: &Pool,
    team_id: i64,
) -> Result<Vec<SegmentConflictItem>, Error> {
    let client = pool.get().await?;
    let rows = client
        .query(
            "SELECT op_id,
                    to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'),
                    conflict
             FROM segment_conflicts
             WHERE team_id = $1 AND resolved_at IS NULL ORDER BY n",
            &[&team_id],
        )
        .await?;
    Ok(rows
        .iter()
        .map(|row| SegmentConflictItem {
            id: row.get(0),
            at: row.get(1),
            conflict: row.get::<_, Json<SegmentConflict>>(2).0,
        })
        .collect())
}

/// Marks a refused save of the caller's team resolved, by the caller;
/// resolving it again changes nothing.
pub async fn resolve_segment_conflict(
    pool: &Pool,
    caller: &Caller,
    op_id: Uuid,
) -> Result<(), Error> {
    let client = pool.get().await?;
    let found = client
        .execute(
            "UPDATE segment_conflicts
             SET resolved_at = coalesce(resolved_at, now()),
                 resolved_by = coalesce(resolved_by, $3)
             WHERE team_id = $1 AND op_id = $2",
            &[&caller.team_id, &op_id, &caller.user_id],
        )
        .await?;
    if found == 0 {
        return Err(Error::NoSegmentConflict(op_id));
    }
    Ok(())
}
