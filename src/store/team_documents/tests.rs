//! The replica of shared documents: sharing, saves sent only by the holder
//! and based on the version held, teammates' saves applied or kept aside.

use uuid::Uuid;

use super::{DocumentChange, RefusedSave, TeamDocument, EDITED_HERE};
use crate::import::import_bytes;
use crate::segment::Segmenter;
use crate::store::team::{OpKind, Pulled, PulledChange, PulledPage};
use crate::store::{NewSegment, SegmentedBlock, Status, Workspace};
use crate::testing::membership;

/// A workspace of `user` in a team, with a document of two segments
/// shared as `doc_uuid`; the segments' local and team ids.
struct Shared {
    ws: Workspace,
    doc: i64,
    doc_uuid: Uuid,
    segments: Vec<(i64, Uuid)>,
}

fn shared(user: &str) -> Shared {
    let mut ws = Workspace::open_in_memory().unwrap();
    let doc = import_bytes("a.txt", Some("txt"), "Il governo cade. Piove.\n".as_bytes()).unwrap();
    let doc = ws
        .add_document("Crisi", None, &doc, &Segmenter::italian::<&str>(&[]))
        .unwrap();
    ws.join_team(&membership(user)).unwrap();
    let doc_uuid = Uuid::new_v4();
    let segments: Vec<(i64, Uuid)> = ws
        .segments(doc)
        .unwrap()
        .iter()
        .map(|s| (s.id, Uuid::new_v4()))
        .collect();
    let body = serde_json::json!({"kind": "document_shared", "document": {"id": doc_uuid}});
    ws.share_document(doc, doc_uuid, "Crisi", &segments, &body)
        .unwrap();
    Shared {
        ws,
        doc,
        doc_uuid,
        segments,
    }
}

fn change(seq: i64, author: &str, change: DocumentChange) -> PulledChange {
    PulledChange {
        seq,
        author: author.into(),
        at: "2026-12-06T14:03:53.123456Z".into(),
        change: Pulled::Document(change),
    }
}

fn pull(ws: &mut Workspace, changes: Vec<PulledChange>) -> usize {
    let since = ws.pulled_seq().unwrap();
    let next = changes.last().map_or(since, |c| c.seq);
    let n = changes.len();
    let applied = ws
        .apply_pulled(&[PulledPage {
            since,
            changes,
            conflicts: Vec::new(),
            next,
            more: false,
            epoch: None,
        }])
        .unwrap();
    assert_eq!(applied.changes, n);
    applied.conflicts
}

fn assigned(seq: i64, document: Uuid, user: &str) -> PulledChange {
    change(
        seq,
        "eddie",
        DocumentChange::Assigned {
            document,
            user: user.into(),
            step: "translate".into(),
            lease_until: "2999-01-01T00:00:00.000000Z".into(),
        },
    )
}

/// The outbox's operations on documents, as JSON.
fn sent(ws: &Workspace) -> Vec<(Uuid, serde_json::Value)> {
    ws.outbox(100)
        .unwrap()
        .into_iter()
        .filter(|op| op.kind == OpKind::Document)
        .map(|op| (op.op_id, serde_json::from_str(&op.body).unwrap()))
        .collect()
}

fn save(s: &mut Shared, idx: usize, target: &str) {
    let segment = s.segments[idx].0;
    s.ws.set_target(s.doc, segment, target, Status::Translated)
        .unwrap();
}

#[test]
fn a_shared_document_is_listed_and_its_segments_get_the_sharing_s_version() {
    let mut s = shared("eddie");
    let ops = sent(&s.ws);
    assert_eq!(ops.len(), 1);
    assert_eq!(ops[0].1["kind"], "document_shared");
    let listed = s.ws.team_documents().unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(
        (listed[0].id, listed[0].shared, listed[0].local),
        (s.doc_uuid, false, Some(s.doc))
    );
    assert_eq!(listed[0].n_segments, 2);
    s.ws.acknowledge(&[(ops[0].0, 41)]).unwrap();
    assert!(s.ws.team_documents().unwrap()[0].shared);
    let seqs: Vec<_> =
        s.ws.linked_segments(s.doc)
            .unwrap()
            .iter()
            .map(|l| l.seq)
            .collect();
    assert_eq!(seqs, [Some(41), Some(41)]);
    // The log's own record of the sharing changes nothing more.
    pull(
        &mut s.ws,
        vec![change(
            41,
            "eddie",
            DocumentChange::Shared {
                id: s.doc_uuid,
                name: "Crisi".into(),
                n_segments: 2,
            },
        )],
    );
    assert_eq!(s.ws.team_documents().unwrap().len(), 1);
}

#[test]
fn only_the_holder_s_saves_are_sent_each_based_on_the_version_before() {
    let mut s = shared("anna");
    let share = sent(&s.ws)[0].0;
    s.ws.acknowledge(&[(share, 41)]).unwrap();
    // No one holds it: the save stays here.
    save(&mut s, 0, "The government falls.");
    assert!(sent(&s.ws).is_empty());
    pull(&mut s.ws, vec![assigned(42, s.doc_uuid, "anna")]);
    let listed = &s.ws.team_documents().unwrap()[0];
    assert_eq!(listed.holder.as_deref(), Some("anna"));
    assert!(listed.live);
    // What was edited before holding it goes at once.
    let edited = sent(&s.ws);
    assert_eq!(edited.len(), 1);
    assert_eq!(edited[0].1["target"], "The government falls.");
    s.ws.acknowledge(&[(edited[0].0, 43)]).unwrap();
    save(&mut s, 0, "The cabinet falls.");
    save(&mut s, 0, "The cabinet collapses.");
    let ops = sent(&s.ws);
    assert_eq!(ops.len(), 2);
    assert_eq!(ops[0].1["kind"], "segment_saved");
    assert_eq!(ops[0].1["segment_id"], s.segments[0].1.to_string());
    assert_eq!(ops[0].1["base_seq"], 43);
    assert_eq!(ops[0].1["target"], "The cabinet falls.");
    assert_eq!(ops[0].1["status"], "translated");
    // The second is based on the first, not yet numbered.
    assert_eq!(ops[1].1["base_op"], ops[0].0.to_string());
    s.ws.acknowledge(&[(ops[0].0, 44), (ops[1].0, 45)]).unwrap();
    assert_eq!(s.ws.linked_segments(s.doc).unwrap()[0].seq, Some(45));
    // Released: saves stay here again.
    pull(
        &mut s.ws,
        vec![change(
            46,
            "eddie",
            DocumentChange::Released {
                document: s.doc_uuid,
            },
        )],
    );
    assert_eq!(s.ws.team_documents().unwrap()[0].holder, None);
    save(&mut s, 1, "It rains.");
    assert!(sent(&s.ws).is_empty());
}

fn saved(seq: i64, author: &str, s: &Shared, idx: usize, target: &str) -> PulledChange {
    saved_as(Uuid::new_v4(), seq, author, s, idx, target)
}

/// A pulled save made by operation `op_id`.
fn saved_as(
    op_id: Uuid,
    seq: i64,
    author: &str,
    s: &Shared,
    idx: usize,
    target: &str,
) -> PulledChange {
    change(
        seq,
        author,
        DocumentChange::SegmentSaved {
            op_id,
            document: s.doc_uuid,
            segment: s.segments[idx].1,
            target: target.into(),
            status: "translated".into(),
        },
    )
}

#[test]
fn a_teammate_s_save_replaces_the_english_unless_it_was_edited_here_and_not_sent() {
    let mut s = shared("anna");
    let share = sent(&s.ws)[0].0;
    s.ws.acknowledge(&[(share, 41)]).unwrap();
    pull(&mut s.ws, vec![assigned(42, s.doc_uuid, "anna")]);
    // Ben's save of the first segment lands here, signed by him.
    let ben = saved(43, "ben", &s, 0, "The government falls.");
    assert_eq!(pull(&mut s.ws, vec![ben]), 0);
    let first = s.ws.segments(s.doc).unwrap()[0].clone();
    assert_eq!(
        (first.target.as_str(), first.status),
        ("The government falls.", Status::Translated)
    );
    assert_eq!(s.ws.linked_segments(s.doc).unwrap()[0].seq, Some(43));
    let versions = s.ws.versions(s.doc, first.id).unwrap();
    assert_eq!(versions[0].author, "ben");
    // Anna edits the second and, before it is sent, Ben's save of it arrives.
    save(&mut s, 1, "It is raining.");
    let carla = saved(44, "carla", &s, 1, "Rain.");
    assert_eq!(pull(&mut s.ws, vec![carla]), 1);
    assert_eq!(s.ws.segments(s.doc).unwrap()[1].target, "It is raining.");
    let kept = s.ws.segment_conflicts().unwrap();
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0].save.reason, EDITED_HERE);
    assert_eq!(
        (kept[0].save.author.as_str(), kept[0].save.target.as_str()),
        ("carla", "Rain.")
    );
    assert_eq!(kept[0].local, Some((s.doc, s.segments[1].0)));
    assert_eq!(kept[0].place, Some(2));
    // Anna's own save back from the log, before its answer, leaves her
    // English as it is; only the version moves on.
    let waiting = sent(&s.ws).last().unwrap().0;
    let own = saved_as(waiting, 45, "anna", &s, 1, "An older English.");
    pull(&mut s.ws, vec![own]);
    assert_eq!(s.ws.segments(s.doc).unwrap()[1].target, "It is raining.");
    assert_eq!(s.ws.linked_segments(s.doc).unwrap()[1].seq, Some(45));
    // Anna's own waiting save cannot be overtaken; once it is answered,
    // she takes Carla's English, signed by Carla, and Carla's next lands.
    let taken = s.ws.take_segment_conflict(kept[0].id);
    assert!(taken.unwrap_err().to_string().contains("sync first"));
    let waiting = sent(&s.ws).last().unwrap().0;
    s.ws.acknowledge(&[(waiting, 46)]).unwrap();
    assert_eq!(
        s.ws.take_segment_conflict(kept[0].id).unwrap(),
        (s.doc, s.segments[1].0)
    );
    assert_eq!(s.ws.segments(s.doc).unwrap()[1].target, "Rain.");
    assert_eq!(
        s.ws.versions(s.doc, s.segments[1].0).unwrap()[0].author,
        "carla"
    );
    assert!(s.ws.segment_conflicts().unwrap().is_empty());
    assert!(s.ws.take_segment_conflict(kept[0].id).is_err());
    let carla = saved(47, "carla", &s, 1, "Heavy rain.");
    assert_eq!(pull(&mut s.ws, vec![carla]), 0);
    assert_eq!(s.ws.segments(s.doc).unwrap()[1].target, "Heavy rain.");
    // A refused save of one's own is dismissed, not taken.
    let refused = RefusedSave {
        op_id: Uuid::new_v4(),
        document: s.doc_uuid,
        segment: s.segments[0].1,
        author: "anna".into(),
        target: "Mine.".into(),
        status: "translated".into(),
        reason: "stale".into(),
        base_seq: Some(41),
        current_seq: Some(43),
    };
    s.ws.keep_refused_saves(std::slice::from_ref(&refused))
        .unwrap();
    let id = s.ws.segment_conflicts().unwrap()[0].id;
    assert!(s.ws.take_segment_conflict(id).is_err());
    assert!(s.ws.dismiss_segment_conflict(id).unwrap());
    assert!(!s.ws.dismiss_segment_conflict(id).unwrap());
    assert!(s.ws.segment_conflicts().unwrap().is_empty());
}

#[test]
fn a_refused_save_is_kept_once_and_the_version_held_stays() {
    let mut s = shared("anna");
    let share = sent(&s.ws)[0].0;
    s.ws.acknowledge(&[(share, 41)]).unwrap();
    pull(&mut s.ws, vec![assigned(42, s.doc_uuid, "anna")]);
    save(&mut s, 0, "The cabinet falls.");
    let op = sent(&s.ws)[0].0;
    let refused = RefusedSave {
        op_id: op,
        document: s.doc_uuid,
        segment: s.segments[0].1,
        author: "anna".into(),
        target: "The cabinet falls.".into(),
        status: "translated".into(),
        reason: "not_holder".into(),
        base_seq: Some(41),
        current_seq: Some(41),
    };
    assert_eq!(
        s.ws.keep_refused_saves(std::slice::from_ref(&refused))
            .unwrap(),
        1
    );
    // A retried push answers the same: kept once.
    assert_eq!(
        s.ws.keep_refused_saves(std::slice::from_ref(&refused))
            .unwrap(),
        0
    );
    s.ws.acknowledge(&[(op, 0)]).unwrap();
    assert!(sent(&s.ws).is_empty());
    assert_eq!(s.ws.linked_segments(s.doc).unwrap()[0].seq, Some(41));
    let kept = s.ws.segment_conflicts().unwrap();
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0].save, refused);
    // The next save is based on the version held, not on the refused one.
    save(&mut s, 0, "The cabinet fell.");
    let ops = sent(&s.ws);
    assert_eq!(ops[0].1["base_seq"], 41);
    assert!(ops[0].1.get("base_op").is_none());
    // Leaving the team forgets the shared documents.
    s.ws.leave_team().unwrap();
    assert!(s.ws.team_documents().unwrap().is_empty());
    assert!(s.ws.segment_conflicts().unwrap().is_empty());
}

#[test]
fn a_shared_document_fetched_whole_becomes_a_linked_local_one_once() {
    let mut s = shared("anna");
    let id = Uuid::new_v4();
    let source = "Il \u{e000}premier\u{e800} si dimette.";
    let block = SegmentedBlock {
        kind: crate::document::BlockKind::Paragraph,
        translatable: crate::document::Translatable::Yes,
        text: source.into(),
        codes: vec![crate::document::InlineCode {
            element: "g".into(),
            open: "<g id=\"1\">".into(),
            close: "</g>".into(),
            title: String::new(),
        }],
        segments: vec![NewSegment {
            source: source.into(),
            target: "The \u{e000}premier\u{e800} resigns.".into(),
            status: Status::Translated,
            note: None,
        }],
    };
    let document = TeamDocument {
        id,
        name: "Dimissioni".into(),
        n_segments: 1,
        shared: true,
        holder: Some("anna".into()),
        step: Some("review".into()),
        lease_until: Some("2999-01-01T00:00:00Z".into()),
        local: None,
        live: true,
    };
    let segment = Uuid::new_v4();
    let doc =
        s.ws.add_shared_document(
            &document,
            50,
            std::slice::from_ref(&block),
            &[(segment, 52)],
        )
        .unwrap();
    let linked = s.ws.linked_segments(doc).unwrap();
    assert_eq!(linked.len(), 1);
    assert_eq!((linked[0].id, linked[0].seq), (segment, Some(52)));
    assert_eq!(linked[0].target, "The \u{e000}premier\u{e800} resigns.");
    let listed = s.ws.team_documents().unwrap();
    let here = listed.iter().find(|d| d.id == id).unwrap();
    assert_eq!(
        (here.local, here.step.as_deref()),
        (Some(doc), Some("review"))
    );
    // Held here: a save is sent, based on the fetched version.
    let local = s.ws.segments(doc).unwrap()[0].id;
    s.ws.set_target(
        doc,
        local,
        "The \u{e000}premier\u{e800} quits.",
        Status::Approved,
    )
    .unwrap();
    let ops = sent(&s.ws);
    let save = ops
        .iter()
        .find(|(_, b)| b["kind"] == "segment_saved")
        .unwrap();
    assert_eq!(
        (save.1["base_seq"].as_i64(), save.1["status"].as_str()),
        (Some(52), Some("approved"))
    );
    let again =
        s.ws.add_shared_document(&document, 50, &[block], &[(segment, 52)]);
    assert!(again.unwrap_err().to_string().contains("here already"));
    assert_eq!(s.ws.documents().unwrap().len(), 2);
}

#[test]
fn english_edited_before_holding_goes_once_held_and_then_teammates_land() {
    let mut s = shared("anna");
    let share = sent(&s.ws)[0].0;
    s.ws.acknowledge(&[(share, 41)]).unwrap();
    save(&mut s, 0, "Edited before holding it.");
    pull(&mut s.ws, vec![assigned(42, s.doc_uuid, "anna")]);
    save(&mut s, 0, "The government falls.");
    let ops = sent(&s.ws);
    assert_eq!(ops.len(), 2);
    s.ws.acknowledge(&[(ops[0].0, 43), (ops[1].0, 44)]).unwrap();
    pull(&mut s.ws, vec![assigned(45, s.doc_uuid, "ben")]);
    let ben = saved(46, "ben", &s, 0, "The government fell.");
    assert_eq!(pull(&mut s.ws, vec![ben]), 0);
    assert_eq!(
        s.ws.segments(s.doc).unwrap()[0].target,
        "The government fell."
    );
    assert!(s.ws.segment_conflicts().unwrap().is_empty());
}

#[test]
fn every_way_of_writing_a_held_segment_sends_it_and_recutting_is_refused() {
    let mut s = shared("anna");
    let share = sent(&s.ws)[0].0;
    s.ws.acknowledge(&[(share, 41)]).unwrap();
    pull(&mut s.ws, vec![assigned(42, s.doc_uuid, "anna")]);
    let (first, second) = (s.segments[0].0, s.segments[1].0);
    assert!(s
        .ws
        .fill_from_suggestion(s.doc, first, "The government falls.", "mt:deepl")
        .unwrap());
    let fill = crate::store::tm::ExactFill {
        segment: second,
        target: "It rains.".into(),
        score: 100,
        tm: "desk".into(),
    };
    assert_eq!(
        s.ws.fill_from_tm(s.doc, &[fill], Status::Translated)
            .unwrap()
            .len(),
        1
    );
    s.ws.apply_review(
        s.doc,
        &[crate::store::SegmentUpdate {
            id: first,
            target: "The cabinet falls.".into(),
            status: Status::Approved,
            note: None,
        }],
    )
    .unwrap();
    let saves: Vec<_> = sent(&s.ws)
        .into_iter()
        .map(|(_, b)| {
            (
                b["segment_id"].as_str().unwrap().to_owned(),
                b["target"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let (one, two) = (s.segments[0].1.to_string(), s.segments[1].1.to_string());
    assert_eq!(
        saves,
        [
            (one.clone(), "The government falls.".to_owned()),
            (two, "It rains.".to_owned()),
            (one, "The cabinet falls.".to_owned()),
        ]
    );
    // The team knows the segments one for one: no splitting or merging.
    let split = s.ws.split_segment(s.doc, first, 3).unwrap_err();
    assert!(split.to_string().contains("cannot be split or merged"));
    assert!(s.ws.merge_with_next(s.doc, first).is_err());
    assert_eq!(s.ws.segments(s.doc).unwrap().len(), 2);
}

#[test]
fn a_review_of_a_segment_not_held_keeps_a_teammate_s_save_aside() {
    let mut s = shared("anna");
    let share = sent(&s.ws)[0].0;
    s.ws.acknowledge(&[(share, 41)]).unwrap();
    s.ws.apply_review(
        s.doc,
        &[crate::store::SegmentUpdate {
            id: s.segments[0].0,
            target: "Reviewed here.".into(),
            status: Status::Approved,
            note: None,
        }],
    )
    .unwrap();
    assert!(sent(&s.ws).is_empty());
    let ben = saved(42, "ben", &s, 0, "The government falls.");
    assert_eq!(pull(&mut s.ws, vec![ben]), 1);
    assert_eq!(s.ws.segments(s.doc).unwrap()[0].target, "Reviewed here.");
}

#[test]
fn the_same_user_s_save_from_another_workspace_lands_and_the_next_is_based_on_it() {
    let mut s = shared("ben");
    let share = sent(&s.ws)[0].0;
    s.ws.acknowledge(&[(share, 41)]).unwrap();
    pull(&mut s.ws, vec![assigned(42, s.doc_uuid, "ben")]);
    // Ben saved the first segment on his laptop: another workspace's op.
    let laptop = saved(50, "ben", &s, 0, "Saved on the laptop.");
    assert_eq!(pull(&mut s.ws, vec![laptop]), 0);
    assert_eq!(
        s.ws.segments(s.doc).unwrap()[0].target,
        "Saved on the laptop."
    );
    assert_eq!(s.ws.linked_segments(s.doc).unwrap()[0].seq, Some(50));
    save(&mut s, 0, "Then edited on the desktop.");
    let ops = sent(&s.ws);
    assert_eq!(ops.len(), 1);
    assert_eq!(ops[0].1["base_seq"], 50);
}

#[test]
fn a_rejected_sharing_can_be_shared_again_and_a_rejected_save_waits_no_more() {
    let mut s = shared("anna");
    let share = sent(&s.ws)[0].0;
    s.ws.reject_ops(&[(share, "forbidden".into())]).unwrap();
    assert!(s.ws.team_documents().unwrap().is_empty());
    assert!(s.ws.linked_segments(s.doc).unwrap().is_empty());
    let body = serde_json::json!({"kind": "document_shared"});
    s.ws.share_document(s.doc, s.doc_uuid, "Crisi", &s.segments, &body)
        .unwrap();
    let share = sent(&s.ws)[0].0;
    s.ws.acknowledge(&[(share, 41)]).unwrap();
    pull(&mut s.ws, vec![assigned(42, s.doc_uuid, "anna")]);
    save(&mut s, 0, "The cabinet falls.");
    let op = sent(&s.ws)[0].0;
    s.ws.reject_ops(&[(op, "invalid".into())]).unwrap();
    // The next save is based on the version held, not on the rejected one.
    save(&mut s, 0, "The cabinet fell.");
    let ops = sent(&s.ws);
    assert_eq!(ops[0].1["base_seq"], 41);
    assert!(ops[0].1.get("base_op").is_none());
    s.ws.acknowledge(&[(ops[0].0, 43)]).unwrap();
    // A dropped one leaves nothing waiting either: a teammate's save lands.
    save(&mut s, 1, "It rains.");
    let op = sent(&s.ws)[0].0;
    s.ws.reject_ops(&[(op, "invalid".into())]).unwrap();
    assert_eq!(s.ws.drop_rejected(None).unwrap(), 3);
    pull(&mut s.ws, vec![assigned(44, s.doc_uuid, "ben")]);
    let ben = saved(45, "ben", &s, 1, "Rain.");
    assert_eq!(pull(&mut s.ws, vec![ben]), 0);
    assert_eq!(s.ws.segments(s.doc).unwrap()[1].target, "Rain.");
}

#[test]
fn english_edited_before_holding_is_sent_when_the_document_is_assigned_here() {
    let mut s = shared("anna");
    let share = sent(&s.ws)[0].0;
    s.ws.acknowledge(&[(share, 41)]).unwrap();
    save(&mut s, 1, "Edited before holding it.");
    assert!(sent(&s.ws).is_empty());
    // Assigned to someone else: still nothing to send.
    pull(&mut s.ws, vec![assigned(42, s.doc_uuid, "ben")]);
    assert!(sent(&s.ws).is_empty());
    pull(&mut s.ws, vec![assigned(43, s.doc_uuid, "anna")]);
    let ops = sent(&s.ws);
    assert_eq!(ops.len(), 1);
    assert_eq!(ops[0].1["segment_id"], s.segments[1].1.to_string());
    assert_eq!(ops[0].1["target"], "Edited before holding it.");
    assert_eq!(ops[0].1["base_seq"], 41);
    // Sent once: assigned again, nothing more goes.
    pull(&mut s.ws, vec![assigned(44, s.doc_uuid, "anna")]);
    assert_eq!(sent(&s.ws).len(), 1);
}
