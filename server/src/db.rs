//! The server's only SQL: migrations, teams, users and tokens, and the
//! change log that pushes write and pulls read.

use std::collections::{HashMap, HashSet};

use deadpool_postgres::{GenericClient, Pool};
use interlinea::team::{
    self, Base, Change, ChangeRecord, EntryConflict, EntryVersion, EntryWrite, OpResult, Operation,
    TeamEntry, TeamUnit,
};
use tokio_postgres::types::Json;
use uuid::Uuid;

use crate::token;

/// The migrations, in order; a version once released never changes.
const MIGRATIONS: &[(i32, &str)] = &[
    (1, include_str!("../migrations/0001_teams.sql")),
    (2, include_str!("../migrations/0002_review.sql")),
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
            Role::Translator => "translator",
            Role::Reviewer => "reviewer",
        }
    }

    /// Reads a role's name.
    pub fn parse(text: &str) -> Option<Role> {
        match text {
            "admin" => Some(Role::Admin),
            "translator" => Some(Role::Translator),
            "reviewer" => Some(Role::Reviewer),
            _ => None,
        }
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
    let mut seq: i64 = tx
        .query_one(
            "SELECT seq FROM teams WHERE id = $1 FOR UPDATE",
            &[&caller.team_id],
        )
        .await?
        .get(0);
    // Operations applied before, by an earlier push or earlier in this one.
    let ids: Vec<Uuid> = ops.iter().map(|op| op.id).collect();
    let mut done: HashMap<Uuid, Applied> = tx
        .query(
            "SELECT op_id, seq, conflict, change FROM changes
             WHERE team_id = $1 AND op_id = ANY($2)",
            &[&caller.team_id, &ids],
        )
        .await?
        .iter()
        .map(|row| {
            let conflict: Option<Json<EntryConflict>> = row.get(2);
            let change: Json<Change> = row.get(3);
            let applied = Applied {
                seq: row.get(1),
                conflict: conflict.map(|c| c.0),
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
            });
            continue;
        }
        seq += 1;
        let team_id = caller.team_id;
        // Additions wait to be written together; any other change first
        // writes those before it, so each sees the state its number says.
        let conflict = match &op.change {
            Change::UnitAdded { unit } => {
                added.push(&tx, team_id, unit, seq).await?;
                None
            }
            Change::UnitDeleted { unit_id } => {
                added.write(&tx, team_id).await?;
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
        };
        done.insert(
            op.id,
            Applied {
                seq,
                conflict: conflict.clone(),
                change: op.change.clone(),
            },
        );
        log.push((seq, op, conflict.clone()));
        results.push(OpResult {
            id: op.id,
            seq,
            applied: true,
            conflict,
        });
    }
    added.write(&tx, caller.team_id).await?;
    let stmt = tx
        .prepare_cached(
            "INSERT INTO changes (team_id, user_id, seq, op_id, change, conflict)
             SELECT $1, $2, * FROM unnest($3::bigint[], $4::uuid[], $5::jsonb[], $6::jsonb[])",
        )
        .await?;
    let seqs: Vec<i64> = log.iter().map(|(seq, _, _)| *seq).collect();
    let op_ids: Vec<Uuid> = log.iter().map(|(_, op, _)| op.id).collect();
    let changes: Vec<Json<&Change>> = log.iter().map(|(_, op, _)| Json(&op.change)).collect();
    let conflicts: Vec<Option<Json<&EntryConflict>>> =
        log.iter().map(|(_, _, c)| c.as_ref().map(Json)).collect();
    tx.execute(
        &stmt,
        &[
            &caller.team_id,
            &caller.user_id,
            &seqs,
            &op_ids,
            &changes,
            &conflicts,
        ],
    )
    .await?;
    tx.execute(
        "UPDATE teams SET seq = $2 WHERE id = $1",
        &[&caller.team_id, &seq],
    )
    .await?;
    // Delivered at the commit, to the servers listening, even if this
    // request's client is gone by then.
    tx.execute(
        "SELECT pg_notify($1, $2)",
        &[&COMMITS_CHANNEL, &format!("{}:{seq}", caller.team_id)],
    )
    .await?;
    tx.commit().await?;
    Ok((results, seq))
}

/// An operation the log holds: its number, what it changed and the
/// conflict it made.
struct Applied {
    seq: i64,
    conflict: Option<EntryConflict>,
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
        team_id: i64,
        unit: &TeamUnit,
        seq: i64,
    ) -> Result<(), Error> {
        if self.pending.contains(&unit.id) {
            self.write(tx, team_id).await?;
        }
        self.pending.insert(unit.id);
        self.ids.push(unit.id);
        self.sources.push(unit.source.clone());
        self.targets.push(unit.target.clone());
        self.seqs.push(seq);
        Ok(())
    }

    /// Writes the waiting units; a unit whose id is there already is
    /// replaced (and is live again if it had been deleted).
    async fn write(&mut self, tx: &impl GenericClient, team_id: i64) -> Result<(), Error> {
        if self.ids.is_empty() {
            return Ok(());
        }
        let stmt = tx
            .prepare_cached(
                "INSERT INTO units (team_id, id, source, target, seq)
                 SELECT $1, * FROM unnest($2::uuid[], $3::text[], $4::text[], $5::bigint[])
                 ON CONFLICT (team_id, id) DO UPDATE
                 SET source = excluded.source, target = excluded.target,
                     seq = excluded.seq, deleted_seq = NULL",
            )
            .await?;
        tx.execute(
            &stmt,
            &[
                &team_id,
                &self.ids,
                &self.sources,
                &self.targets,
                &self.seqs,
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
/// [`team::page`]'s), so that a page of large entries is not all read.
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
                 FROM changes c CROSS JOIN LATERAL (SELECT octet_length(c.change::text) AS bytes) b
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
    let changes = rows
        .iter()
        .map(|row| ChangeRecord {
            seq: row.get(0),
            op_id: row.get(1),
            author: row.get(2),
            at: row.get(3),
            change: row.get::<_, Json<Change>>(4).0,
            conflict: row.get::<_, Option<Json<EntryConflict>>>(5).map(|c| c.0),
        })
        .collect();
    Ok((last, changes))
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
