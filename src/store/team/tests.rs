//! The replica and the outbox in a workspace.

use uuid::Uuid;

use super::{NewMembership, OpKind, Pulled, PulledChange, PulledPage, TeamConflict};
use crate::import::import_bytes;
use crate::segment::Segmenter;
use crate::store::team_documents::DocumentChange;
use crate::store::{Status, Workspace};
use crate::termbase::Entry;
use crate::testing::membership;

fn joined() -> (Workspace, i64) {
    let mut ws = Workspace::open_in_memory().unwrap();
    let doc = import_bytes("a.txt", Some("txt"), "Il governo cade. Piove.\n".as_bytes()).unwrap();
    let doc = ws
        .add_document("a", None, &doc, &Segmenter::italian::<&str>(&[]))
        .unwrap();
    ws.join_team(&membership("anna")).unwrap();
    (ws, doc)
}

fn confirm(ws: &mut Workspace, doc: i64, idx: usize, target: &str) -> i64 {
    let segment = ws.segments(doc).unwrap()[idx].id;
    ws.set_target(doc, segment, target, Status::Translated)
        .unwrap();
    ws.remember(doc, segment).unwrap()
}

fn unit_put(seq: i64, id: Uuid, source: &str, target: &str) -> PulledChange {
    PulledChange {
        seq,
        author: "ben".into(),
        at: "2026-12-06T14:03:53.123456Z".into(),
        change: Pulled::UnitPut {
            id,
            source: source.into(),
            target: target.into(),
        },
    }
}

fn page(since: i64, changes: Vec<PulledChange>) -> PulledPage {
    let next = changes.last().map_or(since, |c| c.seq);
    PulledPage {
        since,
        changes,
        conflicts: Vec::new(),
        next,
        more: false,
        epoch: None,
    }
}

#[test]
fn a_confirmation_goes_to_the_outbox_once_and_again_when_it_changes() {
    let (mut ws, doc) = joined();
    confirm(&mut ws, doc, 0, "The government falls.");
    let ops = ws.outbox(100).unwrap();
    assert_eq!(ops.len(), 1);
    assert_eq!(ops[0].kind, OpKind::Unit);
    let body: serde_json::Value = serde_json::from_str(&ops[0].body).unwrap();
    assert_eq!(body["kind"], "unit_added");
    assert_eq!(body["unit"]["source"], "Il governo cade.");
    assert_eq!(body["unit"]["id"], ops[0].subject.to_string());
    // The same pair again: nothing new for the team.
    confirm(&mut ws, doc, 0, "The government falls.");
    assert_eq!(ws.outbox(100).unwrap().len(), 1);
    // New English for the same unit: sent again under the same team id.
    confirm(&mut ws, doc, 0, "The government collapses.");
    let ops = ws.outbox(100).unwrap();
    assert_eq!(ops.len(), 2);
    assert_eq!(ops[1].subject, ops[0].subject);
    assert_eq!(ws.team().unwrap().unwrap().outbox, 2);
}

#[test]
fn a_workspace_that_joined_no_team_keeps_no_outbox() {
    let mut ws = Workspace::open_in_memory().unwrap();
    let doc = import_bytes("a.txt", Some("txt"), "Piove.\n".as_bytes()).unwrap();
    let doc = ws
        .add_document("a", None, &doc, &Segmenter::italian::<&str>(&[]))
        .unwrap();
    confirm(&mut ws, doc, 0, "It rains.");
    assert!(ws.outbox(10).unwrap().is_empty());
    assert!(ws.team().unwrap().is_none());
}

#[test]
fn own_units_coming_back_map_onto_the_local_ones_and_pages_apply_once() {
    let (mut ws, doc) = joined();
    let local = confirm(&mut ws, doc, 0, "The government falls.");
    let own = ws.outbox(10).unwrap()[0].clone();
    ws.acknowledge(&[(own.op_id, 1)]).unwrap();
    let other = Uuid::new_v4();
    let first = page(
        0,
        vec![
            unit_put(1, own.subject, "Il governo cade.", "The government falls."),
            unit_put(2, other, "Piove.", "It is raining."),
        ],
    );
    let applied = ws.apply_pulled(std::slice::from_ref(&first)).unwrap();
    assert_eq!(applied.added.len(), 1, "only the other's unit is new");
    // The same page again (a retry after a crash): nothing is doubled.
    let again = ws.apply_pulled(&[first]).unwrap();
    assert_eq!(again.changes, 0);
    let tms = ws.tms().unwrap();
    let units: usize = tms.iter().map(|t| t.n_units).sum();
    assert_eq!(units, 2);
    assert_eq!(ws.team().unwrap().unwrap().pulled_seq, 2);
    assert_eq!(ws.team_unit_ids().unwrap().len(), 2);
    assert!(ws.tm_unit(local).unwrap().is_some());
    // A tombstone deletes the unit.
    let gone = page(
        2,
        vec![PulledChange {
            seq: 3,
            author: "ben".into(),
            at: String::new(),
            change: Pulled::UnitDeleted { id: other },
        }],
    );
    let applied = ws.apply_pulled(&[gone]).unwrap();
    assert_eq!(applied.removed.len(), 1);
    assert_eq!(ws.tm_search("raining", 5).unwrap().len(), 0);
    assert_eq!(ws.team_unit_ids().unwrap(), [own.subject]);
}

#[test]
fn a_pulled_change_does_not_overwrite_an_unsent_edit() {
    let (mut ws, doc) = joined();
    let unit = confirm(&mut ws, doc, 0, "The government falls.");
    let op = ws.outbox(10).unwrap()[0].clone();
    ws.acknowledge(&[(op.op_id, 1)]).unwrap();
    confirm(&mut ws, doc, 0, "The government collapses.");
    // The server's older version arrives while the edit waits.
    ws.apply_pulled(&[page(
        0,
        vec![unit_put(
            1,
            op.subject,
            "Il governo cade.",
            "The government falls.",
        )],
    )])
    .unwrap();
    assert_eq!(
        ws.tm_unit(unit).unwrap().unwrap().target,
        "The government collapses."
    );
}

#[test]
fn team_glossary_edits_are_sent_with_the_version_they_change() {
    let (mut ws, _) = joined();
    let glossary = ws.team().unwrap().unwrap().glossary;
    let id = ws
        .add_entry(&glossary, &Entry::pair("Farnesina", "Foreign Ministry"))
        .unwrap();
    // Another glossary's entries stay here.
    ws.add_entry("mine", &Entry::pair("Quirinale", "the president's office"))
        .unwrap();
    let ops = ws.outbox(10).unwrap();
    assert_eq!(ops.len(), 1);
    assert_eq!(ops[0].base_seq, None);
    let mut entry = ws.glossary_entry(id).unwrap().unwrap();
    entry.english[0].text = "Italian Foreign Ministry".into();
    ws.update_entry(&entry).unwrap();
    // The edit waits for the first write's number.
    assert_eq!(ws.outbox(10).unwrap().len(), 1);
    ws.acknowledge(&[(ops[0].op_id, 7)]).unwrap();
    let ops = ws.outbox(10).unwrap();
    assert_eq!(ops.len(), 1);
    assert_eq!(ops[0].base_seq, Some(7));
    let body: serde_json::Value = serde_json::from_str(&ops[0].body).unwrap();
    assert_eq!(
        body["entry"]["english"][0]["text"],
        "Italian Foreign Ministry"
    );
    ws.acknowledge(&[(ops[0].op_id, 9)]).unwrap();
    ws.delete_entry(id).unwrap();
    let ops = ws.outbox(10).unwrap();
    assert_eq!(ops[0].base_seq, Some(9));
    assert!(ops[0].body.contains("entry_deleted"));
}

#[test]
fn pulled_entries_land_in_the_team_glossary_and_conflicts_are_kept() {
    let (mut ws, _) = joined();
    let id = Uuid::new_v4();
    let put = |seq, english: &str| PulledChange {
        seq,
        author: "ben".into(),
        at: String::new(),
        change: Pulled::EntryPut {
            id,
            entry: Entry::pair("Farnesina", english),
        },
    };
    let mut second = page(1, vec![put(2, "the Farnesina")]);
    second.conflicts.push(TeamConflict {
        entry: id,
        lost: Some("{}".into()),
        lost_seq: 1,
        won_seq: 2,
    });
    let applied = ws
        .apply_pulled(&[page(0, vec![put(1, "Foreign Ministry")]), second.clone()])
        .unwrap();
    assert_eq!(applied.conflicts, 1);
    assert_eq!(ws.apply_pulled(&[second]).unwrap().conflicts, 0);
    let entry = ws.team_entry(id).unwrap().unwrap();
    assert_eq!(entry.english[0].text, "the Farnesina");
    assert_eq!(entry.glossary, "Team: desk");
    assert_eq!(ws.team_conflicts().unwrap().len(), 1);
}

#[test]
fn leaving_keeps_the_replica_as_an_ordinary_tm() {
    let (mut ws, doc) = joined();
    confirm(&mut ws, doc, 0, "The government falls.");
    ws.apply_pulled(&[page(
        0,
        vec![unit_put(1, Uuid::new_v4(), "Piove.", "It rains.")],
    )])
    .unwrap();
    assert_eq!(ws.leave_team().unwrap(), 1);
    assert!(ws.team().unwrap().is_none());
    assert!(ws.outbox(10).unwrap().is_empty());
    let team_tm = ws
        .tms()
        .unwrap()
        .into_iter()
        .find(|t| t.name == "Team: desk");
    assert_eq!(team_tm.unwrap().n_units, 1);
}

#[test]
fn a_reviewers_confirmations_stay_in_the_workspace() {
    let mut ws = Workspace::open_in_memory().unwrap();
    let doc = import_bytes("a.txt", Some("txt"), "Piove.\n".as_bytes()).unwrap();
    let doc = ws
        .add_document("a", None, &doc, &Segmenter::italian::<&str>(&[]))
        .unwrap();
    ws.join_team(&NewMembership {
        writes_tm: false,
        ..membership("eve")
    })
    .unwrap();
    confirm(&mut ws, doc, 0, "It rains.");
    assert!(ws.outbox(10).unwrap().is_empty());
    // The glossary is theirs to write.
    let glossary = ws.team().unwrap().unwrap().glossary;
    ws.add_entry(&glossary, &Entry::pair("Farnesina", "Foreign Ministry"))
        .unwrap();
    assert_eq!(ws.outbox(10).unwrap().len(), 1);
}

#[test]
fn a_page_under_another_epoch_applies_nothing_and_says_so() {
    let (mut ws, _) = joined();
    let mut first = page(0, vec![unit_put(1, Uuid::new_v4(), "Piove.", "It rains.")]);
    first.epoch = Some("one".into());
    assert_eq!(ws.apply_pulled(&[first]).unwrap().new_epoch, None);
    assert_eq!(ws.team().unwrap().unwrap().epoch.as_deref(), Some("one"));
    let mut restored = page(1, vec![unit_put(2, Uuid::new_v4(), "Nevica.", "It snows.")]);
    restored.epoch = Some("two".into());
    let applied = ws.apply_pulled(&[restored]).unwrap();
    assert_eq!(applied.new_epoch.as_deref(), Some("two"));
    assert_eq!(applied.changes, 0);
    assert_eq!(ws.team().unwrap().unwrap().pulled_seq, 1);
}

#[test]
fn a_teammates_change_never_rewrites_or_deletes_a_unit_of_the_personal_tm() {
    let (mut ws, doc) = joined();
    let personal = confirm(&mut ws, doc, 0, "The government falls.");
    let own = ws.outbox(10).unwrap()[0].clone();
    ws.acknowledge(&[(own.op_id, 1)]).unwrap();
    let personal_tm = ws.tm_unit(personal).unwrap().unwrap().tm;
    // A teammate edits the shared unit: the replica gets its own copy.
    let applied = ws
        .apply_pulled(&[page(
            1,
            vec![unit_put(
                2,
                own.subject,
                "Il governo cade.",
                "The government collapses.",
            )],
        )])
        .unwrap();
    assert_eq!(applied.added.len(), 1);
    let mine = ws.tm_unit(personal).unwrap().unwrap();
    assert_eq!(
        (mine.tm.as_str(), mine.target.as_str()),
        (personal_tm.as_str(), "The government falls.")
    );
    let team = ws.tm_unit(applied.added[0].0).unwrap().unwrap();
    assert_eq!(team.tm, ws.team().unwrap().unwrap().tm);
    assert_eq!(team.target, "The government collapses.");
    // A teammate deletes it: the replica's copy goes, the personal unit stays.
    ws.apply_pulled(&[page(
        2,
        vec![PulledChange {
            seq: 3,
            author: "ben".into(),
            at: String::new(),
            change: Pulled::UnitDeleted { id: own.subject },
        }],
    )])
    .unwrap();
    assert!(ws.tm_unit(team.id).unwrap().is_none());
    assert_eq!(
        ws.tm_unit(personal).unwrap().unwrap().target,
        "The government falls."
    );
}

#[test]
fn a_deletion_by_a_teammate_leaves_the_personal_unit_it_was_shared_from() {
    let (mut ws, doc) = joined();
    let personal = confirm(&mut ws, doc, 0, "The government falls.");
    let own = ws.outbox(10).unwrap()[0].clone();
    ws.acknowledge(&[(own.op_id, 1)]).unwrap();
    let applied = ws
        .apply_pulled(&[page(
            1,
            vec![PulledChange {
                seq: 2,
                author: "ben".into(),
                at: String::new(),
                change: Pulled::UnitDeleted { id: own.subject },
            }],
        )])
        .unwrap();
    assert!(applied.removed.is_empty());
    assert!(ws.tm_unit(personal).unwrap().is_some());
    assert!(ws.team_unit_ids().unwrap().is_empty());
}

#[test]
fn a_rejected_operation_is_not_sent_again_over_a_later_one_of_its_unit() {
    let (mut ws, doc) = joined();
    let unit = confirm(&mut ws, doc, 0, "The government falls.");
    let first = ws.outbox(10).unwrap()[0].clone();
    ws.reject_ops(&[(first.op_id, "refused".into())]).unwrap();
    ws.update_tm_unit(unit, "The government collapses.", "anna")
        .unwrap();
    let later = ws.outbox(10).unwrap();
    assert_eq!(later.len(), 1);
    assert_eq!(later[0].subject, first.subject);
    // Sent again now, it would reach the server after the later edit.
    assert_eq!(ws.retry_rejected(None).unwrap(), 0);
    assert_eq!(ws.team().unwrap().unwrap().rejected.len(), 1);
    // Nor once the later edit has reached the server: the rejected one no
    // longer says what the workspace holds.
    ws.acknowledge(&[(later[0].op_id, 1)]).unwrap();
    assert_eq!(ws.retry_rejected(None).unwrap(), 0);
    assert_eq!(ws.team().unwrap().unwrap().rejected.len(), 1);
    // Edited back, it does again.
    ws.update_tm_unit(unit, "The government falls.", "anna")
        .unwrap();
    let back = ws.outbox(10).unwrap()[0].op_id;
    ws.acknowledge(&[(back, 2)]).unwrap();
    assert_eq!(ws.retry_rejected(None).unwrap(), 1);
}

#[test]
fn a_rejected_entry_is_sent_again_only_while_it_is_the_entry_held() {
    let (mut ws, _) = joined();
    let glossary = ws.team().unwrap().unwrap().glossary;
    let id = ws
        .add_entry(&glossary, &Entry::pair("Farnesina", "Foreign Ministry"))
        .unwrap();
    let first = ws.outbox(10).unwrap()[0].clone();
    ws.reject_ops(&[(first.op_id, "refused".into())]).unwrap();
    // Still the entry held here: it may go again.
    assert_eq!(ws.retry_rejected(None).unwrap(), 1);
    ws.reject_ops(&[(first.op_id, "refused".into())]).unwrap();
    let mut entry = ws.glossary_entry(id).unwrap().unwrap();
    entry.english[0].text = "Italian Foreign Ministry".into();
    ws.update_entry(&entry).unwrap();
    let edit = ws.outbox(10).unwrap()[0].op_id;
    ws.acknowledge(&[(edit, 3)]).unwrap();
    // The edit reached the team: the first version would overwrite it.
    assert_eq!(ws.retry_rejected(None).unwrap(), 0);
    assert_eq!(ws.team().unwrap().unwrap().rejected.len(), 1);
    // A rejected deletion goes again while the entry is gone.
    ws.drop_rejected(None).unwrap();
    ws.delete_entry(id).unwrap();
    let deletion = ws.outbox(10).unwrap()[0].op_id;
    ws.reject_ops(&[(deletion, "refused".into())]).unwrap();
    assert_eq!(ws.retry_rejected(Some(deletion)).unwrap(), 1);
}

#[test]
fn a_rejected_operation_leaves_the_outbox_with_its_reason_until_dropped() {
    let (mut ws, doc) = joined();
    confirm(&mut ws, doc, 0, "The government falls.");
    confirm(&mut ws, doc, 1, "It rains.");
    let ops = ws.outbox(10).unwrap();
    ws.reject_ops(&[(ops[0].op_id, "too long".into())]).unwrap();
    assert_eq!(ws.outbox(10).unwrap(), [ops[1].clone()]);
    let team = ws.team().unwrap().unwrap();
    assert_eq!(team.outbox, 1);
    assert_eq!(team.rejected.len(), 1);
    let rejected = &team.rejected[0];
    assert_eq!(
        (rejected.op_id, rejected.kind, rejected.reason.as_str()),
        (ops[0].op_id, OpKind::Unit, "too long")
    );
    assert_eq!(
        rejected.what,
        "unit: Il governo cade. → The government falls."
    );
    // Sent again: back in the outbox under its own id, after what waits.
    assert_eq!(ws.retry_rejected(Some(Uuid::new_v4())).unwrap(), 0);
    assert_eq!(ws.retry_rejected(Some(ops[0].op_id)).unwrap(), 1);
    assert!(ws.team().unwrap().unwrap().rejected.is_empty());
    let again = ws.outbox(10).unwrap();
    assert_eq!(
        again.iter().map(|op| op.op_id).collect::<Vec<_>>(),
        [ops[1].op_id, ops[0].op_id]
    );
    ws.reject_ops(&[(ops[0].op_id, "too long".into())]).unwrap();
    assert_eq!(ws.drop_rejected(Some(Uuid::new_v4())).unwrap(), 0);
    assert_eq!(ws.drop_rejected(None).unwrap(), 1);
    assert!(ws.team().unwrap().unwrap().rejected.is_empty());
    assert_eq!(ws.outbox(10).unwrap().len(), 1);
}

#[test]
fn settling_a_conflict_writes_all_or_nothing_and_notes_the_server_is_to_be_told() {
    use crate::store::team_conflicts::Settlement;
    let (mut ws, _) = joined();
    let id = Uuid::new_v4();
    let mut with_conflict = page(
        0,
        vec![PulledChange {
            seq: 2,
            author: "ben".into(),
            at: String::new(),
            change: Pulled::EntryPut {
                id,
                entry: Entry::pair("Farnesina", "the Farnesina"),
            },
        }],
    );
    with_conflict.conflicts.push(TeamConflict {
        entry: id,
        lost: None,
        lost_seq: 1,
        won_seq: 2,
    });
    ws.apply_pulled(&[with_conflict]).unwrap();
    // A write that fails leaves the conflict, and tells the server nothing.
    let missing = Settlement::Replace(Entry {
        id: 999_999,
        ..Entry::pair("Farnesina", "Foreign Ministry")
    });
    assert!(ws.settle_team_conflict(id, 2, &missing).is_err());
    assert_eq!(ws.team_conflicts().unwrap().len(), 1);
    assert!(ws.unsent_resolutions().unwrap().is_empty());
    assert!(ws.settle_team_conflict(id, 2, &Settlement::Keep).unwrap());
    assert!(ws.team_conflicts().unwrap().is_empty());
    assert_eq!(ws.unsent_resolutions().unwrap(), [2]);
    assert!(!ws.settle_team_conflict(id, 2, &Settlement::Keep).unwrap());
    ws.resolution_sent(2).unwrap();
    assert!(ws.unsent_resolutions().unwrap().is_empty());
}

#[test]
fn starting_the_pull_over_empties_the_replica_but_what_waits_to_be_sent() {
    let (mut ws, doc) = joined();
    // A confirmation shared and acknowledged: it stays in the workspace TM.
    let own = confirm(&mut ws, doc, 0, "The government falls.");
    let op = ws.outbox(10).unwrap()[0].clone();
    ws.acknowledge(&[(op.op_id, 1)]).unwrap();
    let (edited, gone, entry) = (Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4());
    ws.apply_pulled(&[page(
        1,
        vec![
            unit_put(2, edited, "Piove.", "It rains."),
            unit_put(3, gone, "Nevica.", "It snows."),
            PulledChange {
                seq: 4,
                author: "ben".into(),
                at: String::new(),
                change: Pulled::EntryPut {
                    id: entry,
                    entry: Entry::pair("Farnesina", "Foreign Ministry"),
                },
            },
        ],
    )])
    .unwrap();
    // A team unit edited here, its change waiting to be sent.
    let local = ws.tm_search("rains", 5).unwrap()[0].id;
    ws.update_tm_unit(local, "It is raining.", "anna").unwrap();
    assert_eq!(ws.outbox(10).unwrap().len(), 1);
    let generation = ws.tm_generation().unwrap();

    let removed = ws.start_pull_over(Some("another epoch")).unwrap();
    assert_eq!(removed.len(), 1);
    assert!(ws.tm_search("snows", 5).unwrap().is_empty());
    assert_eq!(ws.tm_search("raining", 5).unwrap()[0].id, local);
    assert_eq!(
        ws.tm_unit(own).unwrap().unwrap().target,
        "The government falls."
    );
    assert_eq!(ws.team_entry(entry).unwrap(), None);
    assert_eq!(ws.outbox(10).unwrap().len(), 1);
    assert!(ws.tm_generation().unwrap() > generation);
    let team = ws.team().unwrap().unwrap();
    assert_eq!(team.pulled_seq, 0);
    assert_eq!(team.epoch.as_deref(), Some("another epoch"));
    // The units kept are recognised by their ids when they come again.
    let mut ids = ws.team_unit_ids().unwrap();
    ids.sort();
    let mut expected = vec![op.subject, edited];
    expected.sort();
    assert_eq!(ids, expected);
}

#[test]
fn only_changes_to_shared_documents_count_as_documents_changed() {
    let (mut ws, _) = joined();
    let unit = unit_put(1, Uuid::new_v4(), "Piove.", "It rains.");
    let applied = ws.apply_pulled(&[page(0, vec![unit])]).unwrap();
    assert_eq!((applied.changes, applied.documents), (1, 0));
    let assigned = PulledChange {
        seq: 2,
        author: "eddie".into(),
        at: "2026-12-06T14:03:53.123456Z".into(),
        change: Pulled::Document(DocumentChange::Assigned {
            document: Uuid::new_v4(),
            user: "anna".into(),
            step: "translate".into(),
            lease_until: "2999-01-01T00:00:00.000000Z".into(),
        }),
    };
    let applied = ws.apply_pulled(&[page(1, vec![assigned])]).unwrap();
    assert_eq!((applied.changes, applied.documents), (1, 1));
}

#[test]
fn the_token_s_name_is_written_with_the_membership() {
    let mut ws = Workspace::open_in_memory().unwrap();
    let joined = ws
        .join_team(&NewMembership {
            token_key: Some("team-token anna 7f".into()),
            ..membership("anna")
        })
        .unwrap();
    assert_eq!(joined.token_key.as_deref(), Some("team-token anna 7f"));
}
