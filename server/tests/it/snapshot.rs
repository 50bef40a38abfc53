//! A newcomer's bootstrap by a snapshot of the team memory
//! (`GET /v1/units`), then the log without the units it gave
//! (`GET /v1/changes?units_after=`): against a real server and PostgreSQL,
//! with changes made while the snapshot is read, a snapshot stopped and
//! resumed, the team's log started over in the middle of one, and the
//! server's migration run on a database holding data.

use std::collections::{BTreeMap, HashSet};

use interlinea::sync::{snapshot_page, TeamServer};
use interlinea::team::{Change, Operation, TeamUnit};
use interlinea_server::db::{self, Role};
use uuid::Uuid;

use crate::desk::{Desk, Member};
use crate::support::{add_unit, numbered, put_entry};

/// Per live unit of the server, its source, target and author.
type Units = BTreeMap<Uuid, (String, String, String)>;

fn server_units(desk: &Desk) -> Units {
    desk.runtime.block_on(async {
        let client = desk.app.pool.get().await.expect("a connection");
        client
            .query(
                "SELECT u.id, u.source, u.target, w.name FROM units u
                 JOIN users w ON w.id = u.user_id WHERE u.deleted_seq IS NULL",
                &[],
            )
            .await
            .expect("the units")
            .iter()
            .map(|row| (row.get(0), (row.get(1), row.get(2), row.get(3))))
            .collect()
    })
}

/// Per unit of the replica, its source, target and author, read from the
/// workspace's file.
fn replica_units(member: &Member) -> Units {
    let db = rusqlite::Connection::open(member.db()).expect("the workspace");
    let mut stmt = db
        .prepare(
            "SELECT m.uuid, u.source, u.target, u.author FROM team_units m
             JOIN tm_units u ON u.id = m.unit_id",
        )
        .expect("a query");
    let rows = stmt
        .query_map([], |r| {
            let id: Vec<u8> = r.get(0)?;
            Ok((
                Uuid::from_slice(&id).expect("a team id"),
                (r.get(1)?, r.get(2)?, r.get(3)?),
            ))
        })
        .expect("the replica");
    rows.map(|row| row.expect("a row")).collect()
}

fn unit_of(op: &Operation) -> TeamUnit {
    match &op.change {
        Change::UnitAdded { unit } => unit.clone(),
        _ => unreachable!("a unit's addition"),
    }
}

fn replaced(unit: &TeamUnit, target: &str) -> Operation {
    Operation {
        id: Uuid::new_v4(),
        change: Change::UnitAdded {
            unit: TeamUnit {
                target: target.to_owned(),
                ..unit.clone()
            },
        },
    }
}

fn deleted(unit: &TeamUnit) -> Operation {
    Operation {
        id: Uuid::new_v4(),
        change: Change::UnitDeleted { unit_id: unit.id },
    }
}

/// The snapshot's first page of `limit` units, stored as a sync stores
/// one: the replica is then in the middle of a snapshot.
fn store_first_page(desk: &Desk, member: &Member, token: &str, limit: usize) -> Uuid {
    let server = TeamServer::new(&desk.url(), token).expect("a client");
    let page = desk
        .runtime
        .block_on(server.units(None, None, limit))
        .expect("a page");
    assert!(page.more);
    let last = page.units.last().expect("units").id;
    member
        .session
        .lock()
        .workspace_mut()
        .apply_snapshot(&[snapshot_page(page)])
        .expect("stored");
    last
}

#[test]
fn a_newcomer_takes_the_snapshot_then_the_log_s_other_changes_and_holds_what_the_server_holds() {
    let desk = Desk::new();
    let anna = desk.token("anna", Role::Editor);
    let ben = desk.token("ben", Role::Translator);
    let units = numbered(0, 300, "di politica");
    desk.push_all(&anna, &units[..200]);
    desk.push_all(&ben, &units[200..]);
    // Units changed and deleted in the log before the snapshot.
    desk.push_all(
        &anna,
        &[
            replaced(&unit_of(&units[10]), "A news item, reworded."),
            deleted(&unit_of(&units[20])),
        ],
    );
    // A glossary entry, a conflict over another, and a shared document.
    let entry = Uuid::new_v4();
    let contested = Uuid::new_v4();
    desk.push_all(
        &anna,
        &[
            put_entry(entry, "Farnesina", "Foreign Ministry", None),
            put_entry(contested, "Quirinale", "the Quirinal", None),
        ],
    );
    desk.push_all(
        &ben,
        &[put_entry(
            contested,
            "Quirinale",
            "the President's office",
            None,
        )],
    );
    let eddie = Member::join(&desk, "anna", &anna);
    let (doc, _) = eddie.article(&["Il governo cade.".into()]);
    let shared = eddie.session.share_document_blocking(doc).expect("shared");
    eddie.sync();

    let carla = Member::join(&desk, "carla", &desk.token("carla", Role::Translator));
    let report = carla.sync();
    let status = carla.session.team_status().unwrap().unwrap();
    let snapshot = carla.session.lock().workspace().snapshot().unwrap();
    let last = desk.runtime.block_on(desk.app.team_seq("desk"));
    assert_eq!(
        snapshot.map(|s| (s.as_of, s.done)),
        Some((last, true)),
        "bootstrapped by a snapshot"
    );
    assert_eq!(status.pulled_seq, last);
    // 299 live units from the snapshot; from the log, the three entries'
    // writes and the sharing: none of the 302 changes to units.
    assert_eq!(report.pulled, 299 + 4, "{report:?}");
    assert_eq!(report.conflicts, 1);

    let expected = server_units(&desk);
    assert_eq!(expected.len(), 299);
    assert_eq!(replica_units(&carla), expected);
    assert_eq!(
        carla.exact("La notizia di politica numero 10 del giorno."),
        ["A news item, reworded."]
    );
    assert!(carla
        .exact("La notizia di politica numero 20 del giorno.")
        .is_empty());
    assert_eq!(
        carla.exact("La notizia di politica numero 250 del giorno."),
        ["News item di politica 250 of the day."]
    );
    assert_eq!(
        carla.concordance("politica 123"),
        ["News item di politica 123 of the day."]
    );
    let open = carla.session.lock();
    let held = open
        .workspace()
        .team_entry(entry)
        .unwrap()
        .expect("the entry");
    assert_eq!(held.english[0].text, "Foreign Ministry");
    let held = open
        .workspace()
        .team_entry(contested)
        .unwrap()
        .expect("the entry");
    assert_eq!(held.english[0].text, "the President's office");
    drop(open);
    assert_eq!(carla.session.team_conflicts().unwrap().len(), 1);
    let documents = carla.session.team_documents().unwrap();
    assert_eq!(documents.len(), 1);
    assert_eq!(documents[0].document.id, shared);

    // Later changes come by the log alone, as for every member.
    desk.push_all(&anna, &[deleted(&unit_of(&units[30]))]);
    carla.sync();
    assert_eq!(replica_units(&carla), server_units(&desk));
}

/// Units changed, deleted and added after the snapshot's first page was
/// stored, before and after its cursor: the rest of the snapshot is read
/// as the server holds it then, and the log after the snapshot's number
/// brings every change made since, so the replica ends as the server.
#[test]
fn units_changed_or_deleted_while_the_snapshot_is_read_end_as_the_server_holds_them() {
    let desk = Desk::new();
    let anna = desk.token("anna", Role::Translator);
    let units = numbered(0, 400, "di sport");
    desk.push_all(&anna, &units);
    let ben_token = desk.token("ben", Role::Translator);
    let ben = Member::join(&desk, "ben", &ben_token);
    let cursor = store_first_page(&desk, &ben, &ben_token, 100);

    let (before, after): (Vec<TeamUnit>, Vec<TeamUnit>) =
        units.iter().map(unit_of).partition(|u| u.id <= cursor);
    desk.push_all(
        &anna,
        &[
            replaced(&before[0], "Changed before the cursor."),
            deleted(&before[1]),
            replaced(&after[0], "Changed after the cursor."),
            deleted(&after[1]),
        ],
    );
    desk.push_all(&anna, &numbered(400, 450, "di sport"));
    // A unit changed twice: the snapshot's later pages may read either.
    desk.push_all(&anna, &[replaced(&after[2], "Changed twice, once.")]);
    desk.push_all(&anna, &[replaced(&after[2], "Changed twice, twice.")]);

    ben.sync();
    assert_eq!(replica_units(&ben), server_units(&desk));
    assert_eq!(ben.n_units(), 448);
    assert_eq!(ben.exact(&before[0].source), ["Changed before the cursor."]);
    assert!(ben.exact(&before[1].source).is_empty());
    assert_eq!(ben.exact(&after[0].source), ["Changed after the cursor."]);
    assert!(ben.exact(&after[1].source).is_empty());
    assert_eq!(ben.exact(&after[2].source), ["Changed twice, twice."]);
    assert_eq!(
        ben.exact("La notizia di sport numero 420 del giorno."),
        ["News item di sport 420 of the day."]
    );
}

/// A newcomer's snapshot of a memory large enough to be stored in bulk,
/// stopped by its stop flag as soon as a batch of it committed, leaves
/// whole batches only (every unit up to its cursor, none after), then goes
/// on after the cursor and ends with every unit once, found by a lookup
/// and by the concordance.
#[test]
fn a_snapshot_stopped_mid_way_goes_on_after_its_cursor_and_ends_with_every_unit_once() {
    const UNITS: usize = 45_000;
    let desk = Desk::new();
    let anna = desk.token("anna", Role::Translator);
    desk.push_all(&anna, &numbered(0, UNITS, "di cronaca"));
    let ben = Member::join(&desk, "ben", &desk.token("ben", Role::Translator));
    ben.sync_stopped_once("SELECT snapshot_after IS NOT NULL FROM team");
    let snapshot = ben
        .session
        .lock()
        .workspace()
        .snapshot()
        .unwrap()
        .expect("a snapshot begun");
    assert!(!snapshot.done);
    let cursor = snapshot.after.expect("a cursor");
    let held = ben.replica();
    let expected: HashSet<Uuid> = desk
        .server_units()
        .into_iter()
        .filter(|id| *id <= cursor)
        .collect();
    println!("units stored before the stop: {}", held.len());
    assert_eq!(held, expected, "a batch half applied");
    assert!(!held.is_empty() && held.len() < UNITS);
    assert_eq!(ben.session.team_status().unwrap().unwrap().pulled_seq, 0);

    let report = ben.sync();
    assert_eq!(report.pulled, UNITS - held.len());
    let status = ben.session.team_status().unwrap().unwrap();
    assert_eq!((status.pulled_seq, status.units), (UNITS as i64, UNITS));
    assert_eq!(ben.replica(), desk.server_units());
    assert_eq!(ben.n_units(), UNITS);
    ben.finds_numbered(UNITS, "di cronaca");
}

/// A member's confirmations pushed while their snapshot is under way come
/// back in its later pages, their ids mapped to the member's own units
/// already: each is held once in the replica, and the member's own TM
/// keeps its units.
#[test]
fn confirmations_pushed_in_the_middle_of_a_snapshot_are_held_once() {
    let desk = Desk::new();
    let anna = desk.token("anna", Role::Translator);
    let units = numbered(0, 200, "di sport");
    desk.push_all(&anna, &units);
    let ben_token = desk.token("ben", Role::Translator);
    let ben = Member::join(&desk, "ben", &ben_token);
    // The lowest id of 200 as the cursor: the ids Ben's units get are
    // almost surely after it, in pages still to come.
    let cursor = store_first_page(&desk, &ben, &ben_token, 1);
    let sentences: Vec<String> = (0..3)
        .map(|n| format!("La partita numero {n} finisce in parità."))
        .collect();
    let (doc, segments) = ben.article(&sentences);
    for (n, segment) in segments.iter().enumerate() {
        ben.confirm(doc, *segment, &format!("Match number {n} ends in a draw."));
    }
    let report = ben.sync();
    assert_eq!(report.pushed, 3);

    let anna_ids: HashSet<Uuid> = units.iter().map(|op| unit_of(op).id).collect();
    let bens: Vec<Uuid> = desk
        .server_units()
        .into_iter()
        .filter(|id| !anna_ids.contains(id))
        .collect();
    assert_eq!(bens.len(), 3);
    assert!(
        bens.iter().any(|id| *id > cursor),
        "a confirmation comes in a later page"
    );
    assert!(
        ben.session
            .lock()
            .workspace()
            .snapshot()
            .unwrap()
            .unwrap()
            .done
    );
    assert_eq!(ben.replica(), desk.server_units());
    assert_eq!(ben.n_units(), 203);
    assert_eq!(
        ben.exact("La partita numero 2 finisce in parità."),
        ["Match number 2 ends in a draw."]
    );
}

/// The team's log started over (a restored backup, a new epoch) while a
/// newcomer was in the middle of a snapshot: what it stored is dropped and
/// the replica is filled again from the new log's snapshot.
#[test]
fn a_log_started_over_in_the_middle_of_a_snapshot_empties_the_replica_and_fills_it_again() {
    let desk = Desk::new();
    let anna = desk.token("anna", Role::Translator);
    desk.push_all(&anna, &numbered(0, 100, "di ieri"));
    let ben_token = desk.token("ben", Role::Translator);
    let ben = Member::join(&desk, "ben", &ben_token);
    store_first_page(&desk, &ben, &ben_token, 40);
    assert_eq!(ben.replica().len(), 40);

    desk.runtime.block_on(async {
        let client = desk.app.pool.get().await.expect("a connection");
        client
            .batch_execute(
                "DELETE FROM changes; DELETE FROM units; DELETE FROM entries;
                 UPDATE teams SET seq = 0;",
            )
            .await
            .expect("the team's log emptied");
        db::renew_epoch(&desk.app.pool, "desk")
            .await
            .expect("a new epoch");
    });
    // More changes than the old snapshot's number: the new epoch, not the
    // number, tells the client.
    desk.push_all(&anna, &numbered(0, 150, "di oggi"));

    ben.sync();
    assert_eq!(replica_units(&ben), server_units(&desk));
    assert_eq!(ben.n_units(), 150);
    assert!(ben
        .exact("La notizia di ieri numero 5 del giorno.")
        .is_empty());
    assert_eq!(
        ben.exact("La notizia di oggi numero 5 del giorno."),
        ["News item di oggi 5 of the day."]
    );
    let epoch = desk.runtime.block_on(desk.app.team_epoch("desk"));
    let status = ben.session.team_status().unwrap().unwrap();
    assert_eq!(status.epoch, Some(epoch.to_string()));
}

/// The pages of `GET /v1/units`: every live unit once, in the order of
/// their ids, with its author and time, the first page's `as_of` kept;
/// and `GET /v1/changes?units_after=` leaves out the changes to units up
/// to it and nothing else.
#[test]
fn the_snapshot_s_pages_and_the_log_after_it() {
    let desk = Desk::new();
    let anna = desk.token("anna", Role::Translator);
    let units = numbered(0, 7, "di moda");
    desk.push_all(&anna, &units);
    desk.push_all(&anna, &[deleted(&unit_of(&units[3]))]);
    let entry = put_entry(Uuid::new_v4(), "sfilata", "fashion show", None);
    desk.push_all(&anna, &[entry]);
    let added = numbered(7, 8, "di moda");
    let (first, second) = desk.runtime.block_on(async {
        let (status, first) = desk.app.get(Some(&anna), "/v1/units?limit=4").await;
        assert_eq!(status, 200, "{first}");
        // A unit added meanwhile does not move the snapshot's number.
        desk.app.push(&anna, &added).await;
        let after = first["units"][3][0].as_str().expect("an id").to_owned();
        let (status, second) = desk
            .app
            .get(
                Some(&anna),
                &format!("/v1/units?limit=4&after={after}&as_of=9"),
            )
            .await;
        assert_eq!(status, 200, "{second}");
        (first, second)
    });
    assert_eq!(first["as_of"], 9);
    assert_eq!(first["more"], true);
    assert_eq!(second["as_of"], 9);
    assert_eq!(second["more"], false);
    let listed: Vec<&serde_json::Value> = first["units"]
        .as_array()
        .unwrap()
        .iter()
        .chain(second["units"].as_array().unwrap())
        .collect();
    let ids: Vec<Uuid> = listed
        .iter()
        .map(|u| u[0].as_str().unwrap().parse().unwrap())
        .collect();
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted);
    // The unit added between the pages is in the second only when its id
    // comes after the first's last (the log brings it otherwise).
    let cursor: Uuid = first["units"][3][0].as_str().unwrap().parse().unwrap();
    let mut expected = desk.server_units();
    let added = unit_of(&added[0]).id;
    if added <= cursor {
        expected.remove(&added);
    }
    assert_eq!(ids.into_iter().collect::<HashSet<_>>(), expected);
    for unit in listed {
        assert_eq!(unit[3], "anna");
        assert!(unit[4].as_str().unwrap().ends_with('Z'), "{unit}");
    }

    let (status, page) = desk.runtime.block_on(
        desk.app
            .get(Some(&anna), "/v1/changes?since=0&units_after=9"),
    );
    assert_eq!(status, 200, "{page}");
    let seqs: Vec<i64> = page["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["seq"].as_i64().unwrap())
        .collect();
    assert_eq!(seqs, [9, 10], "the entry, then the unit added after 9");
    assert_eq!(
        (page["next"].as_i64(), page["more"].as_bool()),
        (Some(10), Some(false))
    );
    // Past the entry, the rest of the snapshot's part holds no change.
    let (_, page) = desk.runtime.block_on(
        desk.app
            .get(Some(&anna), "/v1/changes?since=0&units_after=8"),
    );
    assert_eq!(page["changes"].as_array().unwrap().len(), 2);
    let (_, page) = desk.runtime.block_on(
        desk.app
            .get(Some(&anna), "/v1/changes?since=0&units_after=8&limit=1"),
    );
    assert_eq!(
        (page["next"].as_i64(), page["more"].as_bool()),
        (Some(9), Some(true))
    );
    let (status, _) = desk
        .runtime
        .block_on(desk.app.get(Some(&anna), "/v1/units?as_of=11"));
    assert_eq!(status, 409, "a snapshot's number past the log's end");
}

/// Migration 4 on a database holding a team's data: every row stays, and
/// each unit takes the author and time of the change that made it.
#[test]
fn the_snapshot_s_migration_keeps_the_data_and_gives_each_unit_its_author() {
    let desk = Desk::new();
    let anna = desk.token("anna", Role::Translator);
    let ben = desk.token("ben", Role::Translator);
    let units = numbered(0, 20, "di borsa");
    desk.push_all(&anna, &units[..10]);
    desk.push_all(&ben, &units[10..]);
    desk.push_all(&ben, &[replaced(&unit_of(&units[0]), "Reworded by ben.")]);
    desk.push_all(&anna, &[deleted(&unit_of(&units[1]))]);
    desk.push_all(
        &anna,
        &[put_entry(Uuid::new_v4(), "borsa", "stock exchange", None)],
    );
    let counts = "SELECT (SELECT count(*) FROM changes), (SELECT count(*) FROM units),
                         (SELECT count(*) FROM entries), (SELECT count(*) FROM units WHERE deleted_seq IS NULL)";
    let (before, after, authors) = desk.runtime.block_on(async {
        let client = desk.app.pool.get().await.expect("a connection");
        let count =
            |row: &tokio_postgres::Row| -> Vec<i64> { (0..4).map(|i| row.get(i)).collect() };
        let before = count(&client.query_one(counts, &[]).await.unwrap());
        // The database as a server before the migration left it.
        client
            .batch_execute(
                "ALTER TABLE units DROP COLUMN user_id, DROP COLUMN at;
                 DROP INDEX changes_not_units;
                 DELETE FROM schema_migrations WHERE version = 4;",
            )
            .await
            .unwrap();
        drop(client);
        assert_eq!(db::migrate(&desk.app.pool).await.unwrap(), [4]);
        let client = desk.app.pool.get().await.expect("a connection");
        let after = count(&client.query_one(counts, &[]).await.unwrap());
        let authors: Vec<(String, String, bool)> = client
            .query(
                "SELECT u.target, w.name, u.at = c.at FROM units u
                 JOIN users w ON w.id = u.user_id
                 JOIN changes c ON c.team_id = u.team_id AND c.seq = u.seq
                 WHERE u.deleted_seq IS NULL ORDER BY u.target",
                &[],
            )
            .await
            .unwrap()
            .iter()
            .map(|row| (row.get(0), row.get(1), row.get(2)))
            .collect();
        (before, after, authors)
    });
    assert_eq!(before, after);
    assert_eq!(after, [23, 20, 1, 19]);
    assert_eq!(authors.len(), 19);
    assert!(authors.iter().all(|(_, _, same_time)| *same_time));
    let author_of = |target: &str| {
        authors
            .iter()
            .find(|(t, _, _)| t == target)
            .map(|(_, name, _)| name.as_str())
    };
    assert_eq!(author_of("Reworded by ben."), Some("ben"));
    assert_eq!(author_of("News item di borsa 2 of the day."), Some("anna"));
    assert_eq!(author_of("News item di borsa 12 of the day."), Some("ben"));
}

/// A workspace that left the team keeps its replica as an ordinary TM;
/// joined again, its snapshot finds every pair there and maps the ids
/// onto those units rather than doubling them, as the log's units would.
#[test]
fn a_snapshot_into_a_workspace_that_held_the_team_s_units_doubles_none() {
    let desk = Desk::new();
    let anna = desk.token("anna", Role::Translator);
    desk.push_all(&anna, &numbered(0, 120, "di nuovo"));
    let ben_token = desk.token("ben", Role::Translator);
    let ben = Member::join(&desk, "ben", &ben_token);
    ben.sync();
    assert_eq!(ben.n_units(), 120);
    ben.session.team_leave(false).expect("left");
    assert!(ben.replica().is_empty());
    ben.session
        .team_join_blocking(&desk.url(), "ben", &ben_token)
        .expect("joined again");
    let report = ben.sync();
    assert_eq!(report.pulled, 120);
    assert_eq!(ben.n_units(), 120, "no unit doubled");
    assert_eq!(replica_units(&ben), server_units(&desk));
    assert_eq!(
        ben.exact("La notizia di nuovo numero 7 del giorno."),
        ["News item di nuovo 7 of the day."]
    );
}

/// A member who left and joins again keeps the replica's TM, whose units
/// no team id maps any more: the snapshot says nothing of units deleted or
/// changed before it, so such a replica is pulled from the log, which puts
/// each right.
#[test]
fn a_member_who_joins_again_after_teammates_changed_and_deleted_units_holds_none_stale() {
    let desk = Desk::new();
    let anna = desk.token("anna", Role::Translator);
    let ops = numbered(0, 30, "al ritorno");
    desk.push_all(&anna, &ops);
    let ben_token = desk.token("ben", Role::Translator);
    let ben = Member::join(&desk, "ben", &ben_token);
    ben.sync();
    assert_eq!(ben.n_units(), 30);
    ben.session.team_leave(false).expect("left");
    // While ben is away, anna rewords one unit and deletes another.
    let (reworded, gone) = (unit_of(&ops[7]), unit_of(&ops[8]));
    desk.push_all(
        &anna,
        &[replaced(&reworded, "Item 7, reworded."), deleted(&gone)],
    );
    ben.session
        .team_join_blocking(&desk.url(), "ben", &ben_token)
        .expect("joined again");
    ben.sync();
    assert_eq!(ben.n_units(), 29, "a stale unit is left");
    assert_eq!(replica_units(&ben), server_units(&desk));
    assert_eq!(ben.exact(&reworded.source), ["Item 7, reworded."]);
    assert!(ben.exact(&gone.source).is_empty());
}

/// The bytes of the strings a unit of a snapshot's page writes: its id,
/// texts, author and time.
fn unit_bytes(unit: &serde_json::Value) -> usize {
    let strings = unit.as_array().expect("a unit as an array");
    strings
        .iter()
        .map(|s| s.as_str().expect("a string").len())
        .sum()
}

/// Reads the whole snapshot of a team memory of `n` units, added by as
/// many changes, a page after another as a client does, and checks its
/// pages against their byte cap: each holds the units that begin within
/// it, counting every string of theirs (the last may pass it), a page
/// followed by more is full, and together they give every unit once.
fn read_capped_snapshot(desk: &Desk, token: &str, n: usize) -> Vec<Vec<serde_json::Value>> {
    let cap = interlinea::team::MAX_PAGE_BYTES;
    let (mut after, mut pages) = (None::<String>, Vec::new());
    loop {
        let path = match &after {
            Some(after) => format!("/v1/units?limit=10000&after={after}&as_of={n}"),
            None => "/v1/units?limit=10000".to_owned(),
        };
        let (status, mut page) = desk.runtime.block_on(desk.app.get(Some(token), &path));
        assert_eq!(status, 200, "{page}");
        let more = page["more"] == true;
        let units = std::mem::take(page["units"].as_array_mut().unwrap());
        let bytes: usize = units.iter().map(unit_bytes).sum();
        let last = units.last().unwrap();
        assert!(
            bytes - unit_bytes(last) < cap,
            "a page whose last unit begins past the cap: {bytes} bytes"
        );
        assert!(
            !more || bytes >= cap,
            "a page cut short of its cap: {bytes} bytes"
        );
        after = Some(last[0].as_str().unwrap().to_owned());
        pages.push(units);
        if !more {
            break;
        }
    }
    let ids: Vec<&str> = pages
        .iter()
        .flatten()
        .map(|u| u[0].as_str().unwrap())
        .collect();
    let unique: HashSet<&str> = ids.iter().copied().collect();
    assert_eq!((ids.len(), unique.len()), (n, n));
    pages
}

/// The snapshot's pages stop at 4 MiB: each holds the units that begin
/// within it (the last may pass it), says more follow, and together they
/// give every unit once.
#[test]
fn the_snapshot_s_pages_stop_at_their_byte_cap_and_give_every_unit_once() {
    let desk = Desk::new();
    let anna = desk.token("anna", Role::Translator);
    let long = "a".repeat(interlinea::team::MAX_TEXT_CHARS);
    // 450 units of 20 KB: 9 MB of texts, pushed under the body's limit.
    for _ in 0..3 {
        let ops: Vec<Operation> = (0..150).map(|_| add_unit(&long, &long)).collect();
        desk.push_all(&anna, &ops);
    }
    let sizes: Vec<usize> = read_capped_snapshot(&desk, &anna, 450)
        .iter()
        .map(Vec::len)
        .collect();
    // 4 MiB hold 209 units of a little over 20,000 bytes and the
    // beginning of a 210th.
    assert_eq!(sizes, [210, 210, 30]);
}

/// A page's cap counts every string of its units, their ids, authors and
/// times as well as their texts, so that it bounds the page: units of
/// short texts by a translator of a long name fill a page sooner than
/// their texts alone would.
#[test]
fn the_snapshot_s_page_cap_counts_the_units_authors_and_times_too() {
    const UNITS: usize = 4_500;
    let desk = Desk::new();
    // The longest name a user may have.
    let author = format!("anna{}", "-maria".repeat(16));
    assert_eq!(author.len(), 100);
    let token = desk.token(&author, Role::Translator);
    let padding = "a".repeat(1_000);
    let ops: Vec<Operation> = (0..UNITS)
        .map(|n| {
            add_unit(
                &format!("La notizia numero {n:05}. {padding}"),
                &format!("News item {n:05}. {padding}"),
            )
        })
        .collect();
    desk.push_all(&token, &ops);
    let pages = read_capped_snapshot(&desk, &token, UNITS);
    let first = &pages[0][0];
    assert_eq!(first[3], author.as_str());
    // Every unit writes as many bytes: a page holds those that begin
    // within the cap.
    let per_page = interlinea::team::MAX_PAGE_BYTES.div_ceil(unit_bytes(first));
    let sizes: Vec<usize> = pages.iter().map(Vec::len).collect();
    assert_eq!(sizes, [per_page, per_page, UNITS - 2 * per_page]);
}
