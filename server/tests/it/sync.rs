//! Pushing and pulling through a real server and PostgreSQL: pages,
//! retries, the conflict rules, tombstones, the long poll, and the order of
//! sequence numbers under concurrent pushes.

use std::collections::HashSet;
use std::time::Duration;

use interlinea::team::{Change, ChangesPage, Operation, MAX_BODY_BYTES, MAX_OPS_PER_PUSH};
use interlinea_server::db::Role;
use uuid::Uuid;

use crate::support::{add_unit, push_of_bytes, put_entry, random_words, spawn_app, App};

async fn pull(app: &App, token: &str, since: i64, limit: usize) -> ChangesPage {
    let (status, body) = app
        .get(
            Some(token),
            &format!("/v1/changes?since={since}&limit={limit}"),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    serde_json::from_value(body).expect("a page")
}

#[tokio::test]
async fn pushed_units_come_back_in_pages() {
    let app = spawn_app().await;
    let anna = app.user("anna", "desk", Role::Translator).await;
    let ops: Vec<Operation> = (0..25)
        .map(|n| add_unit(&format!("Frase {n}."), &format!("Sentence {n}.")))
        .collect();
    let pushed = app.push(&anna, &ops).await;
    let seqs: Vec<i64> = pushed.results.iter().map(|r| r.seq).collect();
    assert_eq!(seqs, (1..=25).collect::<Vec<_>>());
    assert!(pushed.results.iter().all(|r| r.applied));

    let mut pulled = Vec::new();
    let mut shapes = Vec::new();
    let mut since = 0;
    loop {
        let page = pull(&app, &anna, since, 10).await;
        shapes.push((page.changes.len(), page.next, page.more));
        pulled.extend(page.changes);
        if !page.more {
            break;
        }
        since = page.next;
    }
    assert_eq!(shapes, [(10, 10, true), (10, 20, true), (5, 25, false)]);
    let changes: Vec<&Change> = pulled.iter().map(|c| &c.change).collect();
    let sent: Vec<&Change> = ops.iter().map(|o| &o.change).collect();
    assert_eq!(changes, sent);
    assert!(pulled.iter().all(|c| c.author == "anna"));
    assert_eq!(pull(&app, &anna, 25, 10).await.changes.len(), 0);
}

#[tokio::test]
async fn a_retried_push_is_applied_once() {
    let app = spawn_app().await;
    let anna = app.user("anna", "desk", Role::Translator).await;
    let ops = vec![
        add_unit("Il governo cade.", "The government falls."),
        add_unit("Piove.", "It is raining."),
    ];
    let first = app.push(&anna, &ops).await;
    // The answer was lost: the client sends the same operations again,
    // with one more that is new.
    let mut again = ops.clone();
    again.push(add_unit("Nevica.", "It is snowing."));
    let second = app.push(&anna, &again).await;
    assert_eq!(
        second
            .results
            .iter()
            .map(|r| (r.seq, r.applied))
            .collect::<Vec<_>>(),
        [(1, false), (2, false), (3, true)]
    );
    assert_eq!(first.results[0].id, second.results[0].id);
    assert_eq!(pull(&app, &anna, 0, 100).await.changes.len(), 3);
    assert_eq!(app.team_seq("desk").await, 3);
    // The same operation twice in one push is applied once too.
    let twice = add_unit("Grandina.", "It is hailing.");
    let res = app.push(&anna, &[twice.clone(), twice]).await;
    assert_eq!(
        res.results
            .iter()
            .map(|r| (r.seq, r.applied))
            .collect::<Vec<_>>(),
        [(4, true), (4, false)]
    );
    assert_eq!(app.team_seq("desk").await, 4);
}

#[tokio::test]
async fn two_translations_of_one_source_are_both_kept_newest_first() {
    let app = spawn_app().await;
    let anna = app.user("anna", "desk", Role::Translator).await;
    let ben = app.user("ben", "desk", Role::Translator).await;
    app.push(
        &anna,
        &[add_unit("Il governo cade.", "The government falls.")],
    )
    .await;
    app.push(
        &ben,
        &[add_unit("Il governo cade.", "The government collapses.")],
    )
    .await;
    let (status, found) = app
        .get(Some(&anna), "/v1/translations?source=Il%20governo%20cade.")
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        found,
        serde_json::json!([
            {"seq": 2, "target": "The government collapses."},
            {"seq": 1, "target": "The government falls."},
        ])
    );
}

#[tokio::test]
async fn a_deleted_unit_travels_as_a_tombstone() {
    let app = spawn_app().await;
    let anna = app.user("anna", "desk", Role::Translator).await;
    let add = add_unit("Piove.", "It is raining.");
    let Change::UnitAdded { unit } = &add.change else {
        unreachable!()
    };
    let delete = Operation {
        id: Uuid::new_v4(),
        change: Change::UnitDeleted { unit_id: unit.id },
    };
    app.push(&anna, &[add.clone(), delete.clone()]).await;
    let page = pull(&app, &anna, 1, 10).await;
    assert_eq!(page.changes.len(), 1);
    assert_eq!(page.changes[0].change, delete.change);
    let (_, found) = app.get(Some(&anna), "/v1/translations?source=Piove.").await;
    assert_eq!(found, serde_json::json!([]));
    // Added again under the same id, twice in one push: the unit is live
    // again, with the later English.
    let again = |target: &str| {
        let mut op = add.clone();
        op.id = Uuid::new_v4();
        if let Change::UnitAdded { unit } = &mut op.change {
            unit.target = target.to_owned();
        }
        op
    };
    app.push(&anna, &[again("It rains."), again("It's raining.")])
        .await;
    let (_, found) = app.get(Some(&anna), "/v1/translations?source=Piove.").await;
    assert_eq!(
        found,
        serde_json::json!([{"seq": 4, "target": "It's raining."}])
    );
}

#[tokio::test]
async fn the_last_glossary_writer_wins_and_the_loser_is_kept_as_a_conflict() {
    let app = spawn_app().await;
    let anna = app.user("anna", "desk", Role::Translator).await;
    let ben = app.user("ben", "desk", Role::Reviewer).await;
    let entry = Uuid::new_v4();
    let created = app
        .push(
            &anna,
            &[put_entry(entry, "Farnesina", "Foreign Ministry", None)],
        )
        .await;
    assert_eq!(created.results[0].conflict, None);
    // Ben edits the version he pulled (1): no conflict.
    let edited = app
        .push(
            &ben,
            &[put_entry(
                entry,
                "Farnesina",
                "Italian Foreign Ministry",
                Some(1),
            )],
        )
        .await;
    assert_eq!(edited.results[0].conflict, None);
    // Anna, offline meanwhile, edits version 1 too: she writes last and
    // wins; Ben's version is kept as the conflict.
    let late = app
        .push(
            &anna,
            &[put_entry(entry, "Farnesina", "the Farnesina", Some(1))],
        )
        .await;
    let conflict = late.results[0].conflict.clone().expect("a conflict");
    assert_eq!((conflict.lost_seq, conflict.won_seq), (2, 3));
    assert_eq!(
        conflict.lost.expect("Ben's entry").english[0].text,
        "Italian Foreign Ministry"
    );
    // Every client pulls the conflict with the winning change.
    let page = pull(&app, &ben, 2, 10).await;
    assert_eq!(page.changes[0].conflict, late.results[0].conflict);
    let client = app.pool.get().await.unwrap();
    let row = client
        .query_one(
            "SELECT entry->'english'->0->>'text', (SELECT count(*) FROM entry_conflicts)
             FROM entries WHERE id = $1",
            &[&entry],
        )
        .await
        .unwrap();
    assert_eq!(row.get::<_, String>(0), "the Farnesina");
    assert_eq!(row.get::<_, i64>(1), 1);
}

#[tokio::test]
async fn a_long_poll_answers_as_soon_as_a_change_commits() {
    let app = spawn_app().await;
    let anna = app.user("anna", "desk", Role::Translator).await;
    app.push(&anna, &[add_unit("Uno.", "One.")]).await;
    // Something newer is there already: the poll answers at once.
    let (_, body) = app.get(Some(&anna), "/v1/changes?since=0&wait=25").await;
    assert_eq!(body["changes"].as_array().unwrap().len(), 1);

    let poll = {
        let http = app.http.clone();
        let url = app.url_of("/v1/changes?since=1&wait=25");
        let token = anna.clone();
        tokio::spawn(async move {
            let res = http.get(url).bearer_auth(token).send().await.unwrap();
            res.json::<ChangesPage>().await.unwrap()
        })
    };
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(!poll.is_finished(), "the poll answered with nothing new");
    app.push(&anna, &[add_unit("Due.", "Two.")]).await;
    let page = poll.await.unwrap();
    assert_eq!(
        page.changes.len(),
        1,
        "the poll timed out instead of waking"
    );
    assert_eq!(page.next, 2);
}

#[tokio::test]
async fn concurrent_pushes_number_changes_without_gaps_and_in_order() {
    const WRITERS: usize = 8;
    const PUSHES: usize = 20;
    const OPS: usize = 5;
    let app = std::sync::Arc::new(spawn_app().await);
    let mut tokens = Vec::new();
    for n in 0..WRITERS {
        tokens.push(
            app.user(&format!("writer{n}"), "desk", Role::Translator)
                .await,
        );
    }
    let reader_token = app.user("reader", "desk", Role::Reviewer).await;
    let total = (WRITERS * PUSHES * OPS) as i64;

    // The reader pulls all the while; a page must always go on from
    // exactly where the last one stopped.
    let reader = {
        let app = app.clone();
        tokio::spawn(async move {
            let mut seen = Vec::new();
            let mut since = 0;
            while since < total {
                let page = pull(&app, &reader_token, since, 37).await;
                for (idx, change) in page.changes.iter().enumerate() {
                    assert_eq!(
                        change.seq,
                        since + 1 + idx as i64,
                        "a gap or a change out of order"
                    );
                }
                if page.changes.is_empty() {
                    tokio::time::sleep(Duration::from_millis(5)).await;
                }
                seen.extend(page.changes.iter().map(|c| c.op_id));
                since = page.next;
            }
            seen
        })
    };
    let mut writers = Vec::new();
    for token in tokens {
        let app = app.clone();
        writers.push(tokio::spawn(async move {
            let mut mine = Vec::new();
            for push in 0..PUSHES {
                let ops: Vec<Operation> = (0..OPS)
                    .map(|n| add_unit(&format!("Frase {push}.{n}."), "Sentence."))
                    .collect();
                let res = app.push(&token, &ops).await;
                // One push's changes are consecutive.
                let first = res.results[0].seq;
                for (idx, r) in res.results.iter().enumerate() {
                    assert_eq!(r.seq, first + idx as i64);
                }
                mine.extend(res.results.iter().map(|r| (r.id, r.seq)));
            }
            mine
        }));
    }
    let mut acknowledged = Vec::new();
    for writer in writers {
        acknowledged.extend(writer.await.expect("a writer"));
    }
    let seen = reader.await.expect("the reader");
    let mut seqs: Vec<i64> = acknowledged.iter().map(|(_, seq)| *seq).collect();
    seqs.sort();
    assert_eq!(seqs, (1..=total).collect::<Vec<_>>());
    assert_eq!(seen.len(), total as usize);
    let seen: HashSet<Uuid> = seen.into_iter().collect();
    assert!(acknowledged.iter().all(|(id, _)| seen.contains(id)));
    assert_eq!(app.team_seq("desk").await, total);
}

#[tokio::test]
async fn a_source_of_ten_thousand_varied_characters_is_stored_and_found() {
    let app = spawn_app().await;
    let anna = app.user("anna", "desk", Role::Translator).await;
    let source = random_words(interlinea::team::MAX_TEXT_CHARS);
    let target = random_words(interlinea::team::MAX_TEXT_CHARS);
    let op = add_unit(&source, &target);
    app.push(&anna, std::slice::from_ref(&op)).await;
    let page = pull(&app, &anna, 0, 10).await;
    assert_eq!(page.changes[0].change, op.change);
    let found = app
        .http
        // Letters, spaces and a full stop: only the spaces need escaping.
        .get(app.url_of(&format!(
            "/v1/translations?source={}",
            source.replace(' ', "%20")
        )))
        .bearer_auth(&anna)
        .send()
        .await
        .unwrap()
        .json::<serde_json::Value>()
        .await
        .unwrap();
    assert_eq!(found, serde_json::json!([{"seq": 1, "target": target}]));
}

#[tokio::test]
async fn a_push_at_the_body_limit_is_accepted_whole() {
    let app = spawn_app().await;
    let anna = app.user("anna", "desk", Role::Translator).await;
    let edge = push_of_bytes(MAX_OPS_PER_PUSH, MAX_BODY_BYTES);
    let body = serde_json::to_vec(&edge).unwrap();
    assert_eq!(body.len(), MAX_BODY_BYTES);
    let res = app
        .http
        .post(app.url_of("/v1/push"))
        .bearer_auth(&anna)
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200);
    assert_eq!(app.team_seq("desk").await, MAX_OPS_PER_PUSH as i64);
    // One byte more is refused, and applies nothing.
    let over = push_of_bytes(MAX_OPS_PER_PUSH, MAX_BODY_BYTES + 1);
    let (status, body) = app.push_raw(&anna, &over.ops).await;
    assert_eq!(status, 413, "{body}");
    assert_eq!(app.team_seq("desk").await, MAX_OPS_PER_PUSH as i64);
}

#[tokio::test]
async fn pages_carry_the_epoch_and_a_since_past_the_log_is_answered_409() {
    let app = spawn_app().await;
    let anna = app.user("anna", "desk", Role::Translator).await;
    let ben = app.user("ben", "newsroom", Role::Translator).await;
    let ops: Vec<Operation> = (0..5)
        .map(|n| add_unit(&format!("Frase {n}."), "Sentence."))
        .collect();
    app.push(&anna, &ops).await;
    let epoch = app.team_epoch("desk").await.to_string();
    assert_ne!(epoch, app.team_epoch("newsroom").await.to_string());
    assert_eq!(pull(&app, &anna, 0, 10).await.epoch, epoch);
    assert_eq!(pull(&app, &anna, 5, 10).await.epoch, epoch);
    assert_eq!(
        pull(&app, &ben, 0, 10).await.epoch,
        app.team_epoch("newsroom").await.to_string()
    );
    // A backup restored from before the last three changes: the log goes
    // back to 2, and a client that holds 5 is told to start over.
    let client = app.pool.get().await.unwrap();
    client
        .batch_execute(
            "DELETE FROM units WHERE seq > 2; DELETE FROM changes WHERE seq > 2;
             UPDATE teams SET seq = 2 WHERE name = 'desk'",
        )
        .await
        .unwrap();
    for wait in [0, 5] {
        let (status, body) = app
            .get(Some(&anna), &format!("/v1/changes?since=5&wait={wait}"))
            .await;
        assert_eq!((status, body["code"].as_str()), (409, Some("since_ahead")));
        assert!(body["message"]
            .as_str()
            .unwrap()
            .contains("pull again from 0"));
    }
    assert_eq!(pull(&app, &anna, 2, 10).await.changes.len(), 0);
}

#[tokio::test]
async fn a_second_edit_based_on_the_clients_own_first_is_no_conflict() {
    let app = spawn_app().await;
    let anna = app.user("anna", "desk", Role::Translator).await;
    let entry = Uuid::new_v4();
    let created = put_entry(entry, "Farnesina", "Foreign Ministry", None);
    // Offline, Anna edits the entry she created: her second edit is based
    // on her first operation, whose number she does not know yet.
    let mut edited = put_entry(entry, "Farnesina", "Italian Foreign Ministry", None);
    if let Change::EntryPut { base_op, .. } = &mut edited.change {
        *base_op = Some(created.id);
    }
    let deleted = Operation {
        id: Uuid::new_v4(),
        change: Change::EntryDeleted {
            entry_id: entry,
            base_seq: None,
            base_op: Some(edited.id),
        },
    };
    let res = app
        .push(&anna, &[created.clone(), edited.clone(), deleted.clone()])
        .await;
    assert!(res.results.iter().all(|r| r.conflict.is_none()), "{res:?}");
    // A write based on an operation that did not make the current version
    // is a conflict still.
    let mut stale = put_entry(entry, "Farnesina", "the Farnesina", None);
    if let Change::EntryPut { base_op, .. } = &mut stale.change {
        *base_op = Some(created.id);
    }
    let res = app.push(&anna, &[stale]).await;
    let conflict = res.results[0].conflict.clone().expect("a conflict");
    assert_eq!((conflict.lost, conflict.lost_seq), (None, 3));
}

#[tokio::test]
async fn a_long_poll_on_one_server_wakes_at_a_push_to_another() {
    let one = spawn_app().await;
    let two = one.another().await;
    let anna = one.user("anna", "desk", Role::Translator).await;
    let poll = |app: &App, since: i64| {
        let http = app.http.clone();
        let url = app.url_of(&format!("/v1/changes?since={since}&wait=25"));
        let token = anna.clone();
        tokio::spawn(async move {
            let res = http.get(url).bearer_auth(token).send().await.unwrap();
            res.json::<ChangesPage>().await.unwrap()
        })
    };
    let waiting = poll(&one, 0);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(!waiting.is_finished(), "the poll answered with nothing new");
    two.push(&anna, &[add_unit("Uno.", "One.")]).await;
    let page = waiting.await.unwrap();
    assert_eq!(
        page.changes.len(),
        1,
        "the poll timed out instead of waking"
    );

    // The connection that listens is cut: the server makes it again, and
    // its polls wake as before.
    let client = one.pool.get().await.unwrap();
    let listeners = "SELECT count(*) FROM pg_stat_activity
                     WHERE datname = current_database() AND application_name = $1";
    let name = interlinea_server::http::LISTENER_NAME;
    let cut: i64 = client
        .query_one(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
             WHERE datname = current_database() AND application_name = $1",
            &[&name],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(cut, 2, "each server listens on a connection of its own");
    let started = std::time::Instant::now();
    while client
        .query_one(listeners, &[&name])
        .await
        .unwrap()
        .get::<_, i64>(0)
        < 2
    {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "no new listener"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let waiting = poll(&one, 1);
    tokio::time::sleep(Duration::from_millis(300)).await;
    two.push(&anna, &[add_unit("Due.", "Two.")]).await;
    let page = waiting.await.unwrap();
    assert_eq!(
        page.changes.len(),
        1,
        "the poll timed out instead of waking"
    );
    assert_eq!(page.next, 2);
}

#[tokio::test]
async fn waiting_long_polls_hold_no_connection() {
    let app = std::sync::Arc::new(spawn_app().await);
    let anna = app.user("anna", "desk", Role::Translator).await;
    // More polls than the pool has connections.
    let polls: Vec<_> = (0..24)
        .map(|_| {
            let (app, token) = (app.clone(), anna.clone());
            tokio::spawn(async move {
                let (status, body) = app.get(Some(&token), "/v1/changes?since=0&wait=25").await;
                assert_eq!(status, 200, "{body}");
                serde_json::from_value::<ChangesPage>(body).unwrap()
            })
        })
        .collect();
    // Each poll takes a connection for its first look, then gives it back
    // while it waits: every connection comes back with all polls waiting.
    // (A server that held them would keep 16 busy and 8 polls queued.)
    let started = std::time::Instant::now();
    while app.pool.status().size == 0 {
        assert!(started.elapsed() < Duration::from_secs(20), "no poll began");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    loop {
        let status = app.pool.status();
        if status.available == status.size {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "connections held by waiting polls: {status:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(polls.iter().all(|p| !p.is_finished()), "a poll ended early");
    app.push(&anna, &[add_unit("Uno.", "One.")]).await;
    for poll in polls {
        assert_eq!(poll.await.unwrap().changes.len(), 1);
    }
}

#[tokio::test]
async fn connections_carry_timeouts() {
    let app = spawn_app().await;
    let client = app.pool.get().await.unwrap();
    for (setting, value) in [
        ("statement_timeout", interlinea_server::STATEMENT_TIMEOUT),
        ("lock_timeout", interlinea_server::LOCK_TIMEOUT),
    ] {
        let shown: String = client
            .query_one(&format!("SHOW {setting}"), &[])
            .await
            .unwrap()
            .get(0);
        assert_eq!(shown, value);
    }
    let timeouts = app.pool.timeouts();
    assert!(timeouts.wait.is_some() && timeouts.create.is_some());
}

#[tokio::test]
async fn pages_of_large_changes_are_capped_by_bytes() {
    let app = spawn_app().await;
    let anna = app.user("anna", "desk", Role::Translator).await;
    let long = "a".repeat(interlinea::team::MAX_TEXT_CHARS);
    // 450 units of about 20 KB: 9 MB of changes, in pushes under the limit.
    for _ in 0..3 {
        let ops: Vec<Operation> = (0..150).map(|_| add_unit(&long, &long)).collect();
        app.push(&anna, &ops).await;
    }
    let mut since = 0;
    let mut sizes = Vec::new();
    loop {
        let res = app
            .http
            .get(app.url_of(&format!("/v1/changes?since={since}&limit=1000")))
            .bearer_auth(&anna)
            .send()
            .await
            .unwrap();
        let text = res.text().await.unwrap();
        let page: ChangesPage = serde_json::from_str(&text).unwrap();
        assert!(
            text.len() <= interlinea::team::MAX_PAGE_BYTES + 1024,
            "a page of {} bytes",
            text.len()
        );
        sizes.push(page.changes.len());
        since = page.next;
        if !page.more {
            break;
        }
    }
    assert_eq!(since, 450);
    assert!(sizes.len() >= 3, "{sizes:?}");
    assert_eq!(sizes.iter().sum::<usize>(), 450);
}

#[tokio::test]
async fn an_op_id_reused_for_another_change_is_refused() {
    let app = spawn_app().await;
    let anna = app.user("anna", "desk", Role::Translator).await;
    let op = add_unit("Piove.", "It is raining.");
    app.push(&anna, std::slice::from_ref(&op)).await;
    let mut other = add_unit("Nevica.", "It is snowing.");
    other.id = op.id;
    for ops in [
        vec![other.clone()],
        vec![add_unit("Grandina.", "Hail."), other],
    ] {
        let (status, body) = app.push_raw(&anna, &ops).await;
        assert_eq!(
            (status, body["code"].as_str()),
            (422, Some("op_reused")),
            "{body}"
        );
        assert_eq!(body["op"], serde_json::json!(op.id));
        assert!(body["message"]
            .as_str()
            .unwrap()
            .contains(&op.id.to_string()));
    }
    assert_eq!(app.team_seq("desk").await, 1);
    // The same operation again is a retry, answered from the log.
    let again = app.push(&anna, &[op]).await;
    assert_eq!((again.results[0].seq, again.results[0].applied), (1, false));
    // Within one push too.
    let twin = add_unit("Tuona.", "It thunders.");
    let mut changed = twin.clone();
    if let Change::UnitAdded { unit } = &mut changed.change {
        unit.target = "Thunder.".to_owned();
    }
    assert_eq!(app.push_raw(&anna, &[twin, changed]).await.0, 422);
    assert_eq!(app.team_seq("desk").await, 1);
}

#[tokio::test]
async fn a_connection_cut_by_the_database_is_not_handed_out() {
    let app = spawn_app().await;
    let anna = app.user("anna", "desk", Role::Translator).await;
    // Open a few connections at once, so the pool keeps several.
    let (a, b, c) = tokio::join!(
        app.get(Some(&anna), "/v1/me"),
        app.get(Some(&anna), "/v1/changes?since=0"),
        app.get(Some(&anna), "/v1/me"),
    );
    assert_eq!((a.0, b.0, c.0), (200, 200, 200));
    // As a restart would, the database ends every connection of the pool.
    let (admin, connection) = tokio_postgres::connect(&app.url, tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(connection);
    admin
        .execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
             WHERE datname = current_database() AND pid <> pg_backend_pid()
                   AND application_name <> $1",
            &[&interlinea_server::http::LISTENER_NAME],
        )
        .await
        .unwrap();
    for _ in 0..5 {
        let (status, body) = app.get(Some(&anna), "/v1/me").await;
        assert_eq!(status, 200, "{body}");
    }
}

#[tokio::test]
async fn glossary_conflicts_are_listed_until_resolved() {
    let app = spawn_app().await;
    let anna = app.user("anna", "desk", Role::Translator).await;
    let rita = app.user("rita", "desk", Role::Reviewer).await;
    let other = app.user("olga", "newsroom", Role::Admin).await;
    let entry = Uuid::new_v4();
    app.push(
        &anna,
        &[put_entry(entry, "Farnesina", "Foreign Ministry", None)],
    )
    .await;
    app.push(
        &rita,
        &[put_entry(entry, "Farnesina", "the Farnesina", Some(1))],
    )
    .await;
    app.push(
        &anna,
        &[put_entry(
            entry,
            "Farnesina",
            "Italian Foreign Ministry",
            Some(1),
        )],
    )
    .await;
    let (status, listed) = app.get(Some(&rita), "/v1/conflicts").await;
    assert_eq!(status, 200);
    assert_eq!(listed.as_array().unwrap().len(), 1, "{listed}");
    assert_eq!(listed[0]["id"], 3);
    assert_eq!(listed[0]["entry_id"], serde_json::json!(entry));
    assert_eq!(listed[0]["lost_seq"], 2);
    assert_eq!(listed[0]["lost"]["english"][0]["text"], "the Farnesina");
    // Another team neither sees nor resolves it.
    assert_eq!(
        app.get(Some(&other), "/v1/conflicts").await.1,
        serde_json::json!([])
    );
    let resolve = |token: &str, id: &str| {
        app.http
            .post(app.url_of(&format!("/v1/conflicts/{id}/resolve")))
            .bearer_auth(token)
            .send()
    };
    assert_eq!(resolve(&other, "3").await.unwrap().status().as_u16(), 404);
    assert_eq!(resolve(&rita, "9").await.unwrap().status().as_u16(), 404);
    assert_eq!(resolve(&rita, "x").await.unwrap().status().as_u16(), 400);
    for _ in 0..2 {
        assert_eq!(resolve(&rita, "3").await.unwrap().status().as_u16(), 200);
    }
    assert_eq!(
        app.get(Some(&anna), "/v1/conflicts").await.1,
        serde_json::json!([])
    );
}
