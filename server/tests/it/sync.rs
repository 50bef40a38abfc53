//! Pushing and pulling through a real server and PostgreSQL: pages,
//! retries, the conflict rules, tombstones, the long poll, and the order of
//! sequence numbers under concurrent pushes.

use std::collections::HashSet;
use std::time::Duration;

use interlinea::team::{Change, ChangesPage, Operation};
use interlinea_server::db::Role;
use uuid::Uuid;

use crate::support::{add_unit, put_entry, spawn_app, App};

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
