//! The changes of shared documents as the replica applies them, and the
//! refused saves of a push's answer.

use uuid::Uuid;

use super::refused_saves;
use crate::store::team::Pulled;
use crate::store::team_documents::DocumentChange;
use crate::sync::pulled_page;
use crate::team::{
    Change, ChangeRecord, ChangesPage, OpResult, Refusal, SegmentConflict, SharedDocument,
    SharedSegment, Step,
};

fn record(seq: i64, change: Change) -> ChangeRecord {
    ChangeRecord {
        seq,
        op_id: Uuid::from_u128(seq as u128),
        author: "eddie".into(),
        at: "2026-12-06T14:03:53.123456Z".into(),
        change,
        conflict: None,
    }
}

#[test]
fn the_four_kinds_of_a_shared_document_reach_the_replica() {
    let (doc, seg) = (Uuid::new_v4(), Uuid::new_v4());
    let page = ChangesPage {
        since: 0,
        changes: vec![
            record(
                1,
                Change::DocumentShared {
                    document: SharedDocument {
                        id: doc,
                        name: "Crisi".into(),
                        segments: vec![SharedSegment {
                            id: seg,
                            source: "Piove.".into(),
                            target: String::new(),
                            status: "new".into(),
                        }],
                    },
                },
            ),
            record(
                2,
                Change::Assigned {
                    document_id: doc,
                    user: "anna".into(),
                    step: Step::Review,
                    lease_until: "2026-12-06T18:00:00Z".into(),
                },
            ),
            record(
                3,
                Change::SegmentSaved {
                    document_id: doc,
                    segment_id: seg,
                    target: "It rains.".into(),
                    status: "translated".into(),
                    base_seq: Some(1),
                    base_op: None,
                },
            ),
            record(4, Change::Released { document_id: doc }),
        ],
        next: 4,
        more: false,
        epoch: String::new(),
    };
    let changes: Vec<DocumentChange> = pulled_page(&page)
        .changes
        .into_iter()
        .map(|c| match c.change {
            Pulled::Document(d) => d,
            other => panic!("not a document's change: {other:?}"),
        })
        .collect();
    assert_eq!(
        changes,
        [
            DocumentChange::Shared {
                id: doc,
                name: "Crisi".into(),
                n_segments: 1
            },
            DocumentChange::Assigned {
                document: doc,
                user: "anna".into(),
                step: "review".into(),
                lease_until: "2026-12-06T18:00:00Z".into()
            },
            DocumentChange::SegmentSaved {
                op_id: Uuid::from_u128(3),
                document: doc,
                segment: seg,
                target: "It rains.".into(),
                status: "translated".into()
            },
            DocumentChange::Released { document: doc },
        ]
    );
}

#[test]
fn only_refused_saves_are_kept_from_a_push_s_answer() {
    let op = Uuid::new_v4();
    let conflict = SegmentConflict {
        op_id: op,
        document_id: Uuid::new_v4(),
        segment_id: Uuid::new_v4(),
        author: "ben".into(),
        target: "The cabinet falls.".into(),
        status: "translated".into(),
        base_seq: Some(41),
        current_seq: Some(44),
        reason: Refusal::Stale,
    };
    let results = [
        OpResult {
            id: Uuid::new_v4(),
            seq: 45,
            applied: true,
            conflict: None,
            refused: None,
        },
        OpResult {
            id: op,
            seq: 0,
            applied: false,
            conflict: None,
            refused: Some(conflict.clone()),
        },
    ];
    let kept = refused_saves(&results);
    assert_eq!(kept.len(), 1);
    assert_eq!(
        (kept[0].op_id, kept[0].reason.as_str(), kept[0].current_seq),
        (op, "stale", Some(44))
    );
    assert_eq!(kept[0].document, conflict.document_id);
}
