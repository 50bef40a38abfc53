//! Tests of the team protocol: its JSON, its limits, its pages and its
//! conflict rules.

use super::*;

fn id(n: u128) -> Uuid {
    Uuid::from_u128(n)
}

fn unit_op(n: u128, source: &str, target: &str) -> Operation {
    Operation {
        id: id(n),
        change: Change::UnitAdded {
            unit: TeamUnit {
                id: id(1000 + n),
                source: source.to_owned(),
                target: target.to_owned(),
            },
        },
    }
}

fn entry(n: u128, italian: &str, english: &str) -> TeamEntry {
    let term = |text: &str| TeamTerm {
        text: text.to_owned(),
        status: "preferred".to_owned(),
        note: None,
    };
    TeamEntry {
        id: id(n),
        italian: vec![term(italian)],
        english: vec![term(english)],
        domain: None,
        note: None,
    }
}

/// Checks a push against the limits; `expect` is the error's text, or
/// empty when the push is accepted.
fn check(ops: Vec<Operation>, expect: &str) {
    let res = PushRequest { ops }.check();
    assert_eq!(
        res.map_err(|e| e.to_string()).err().unwrap_or_default(),
        expect
    );
}

#[test]
fn operations_read_and_write_as_documented_json() {
    let text = r#"{"ops":[
        {"id":"00000000-0000-0000-0000-000000000001","change":{"kind":"unit_added","unit":{"id":"00000000-0000-0000-0000-0000000003e9","source":"Il governo cade.","target":"The government falls."}}},
        {"id":"00000000-0000-0000-0000-000000000002","change":{"kind":"entry_deleted","entry_id":"00000000-0000-0000-0000-000000000007","base_seq":4}},
        {"id":"00000000-0000-0000-0000-000000000003","change":{"kind":"entry_put","entry":{"id":"00000000-0000-0000-0000-000000000008","italian":[{"text":"Quirinale"}],"english":[{"text":"the Quirinale","status":"admitted"}]}}}
    ]}"#;
    let push: PushRequest = serde_json::from_str(text).expect("valid push");
    assert_eq!(
        push.ops[0],
        unit_op(1, "Il governo cade.", "The government falls.")
    );
    assert_eq!(
        push.ops[1].change,
        Change::EntryDeleted {
            entry_id: id(7),
            base_seq: Some(4)
        }
    );
    let Change::EntryPut { entry, base_seq } = &push.ops[2].change else {
        panic!("not a put: {:?}", push.ops[2]);
    };
    assert_eq!(*base_seq, None);
    assert_eq!(entry.italian[0].status, "preferred");
    assert_eq!(entry.english[0].status, "admitted");
    let again: PushRequest = serde_json::from_str(&serde_json::to_string(&push).unwrap()).unwrap();
    assert_eq!(again, push);
}

#[test]
fn an_unknown_kind_of_change_is_refused() {
    let text =
        r#"{"ops":[{"id":"00000000-0000-0000-0000-000000000001","change":{"kind":"drop_table"}}]}"#;
    assert!(serde_json::from_str::<PushRequest>(text).is_err());
}

#[test]
fn pushes_within_the_limits_pass() {
    check(vec![unit_op(1, "Ciao.", "Hello.")], "");
    let longest = "a".repeat(MAX_TEXT_CHARS);
    check(vec![unit_op(1, &longest, &longest)], "");
    let full = (0..MAX_OPS_PER_PUSH as u128)
        .map(|n| unit_op(n, "Ciao.", "Hello."))
        .collect();
    check(full, "");
}

#[test]
fn pushes_beyond_the_limits_say_which() {
    check(vec![], "a push holds no operation");
    let over = (0..=MAX_OPS_PER_PUSH as u128)
        .map(|n| unit_op(n, "Ciao.", "Hello."))
        .collect();
    check(over, "a push holds 501 operations, at most 500 are allowed");
    // Characters count, not bytes: 10,001 è is too long, 10,000 are not.
    check(
        vec![unit_op(1, "Ciao.", &"è".repeat(MAX_TEXT_CHARS + 1))],
        "operation 00000000-0000-0000-0000-000000000001: target holds 10001 characters, at most 10000 are allowed",
    );
    check(vec![unit_op(1, "Ciao.", &"è".repeat(MAX_TEXT_CHARS))], "");
    check(
        vec![unit_op(2, "  ", "Hello.")],
        "operation 00000000-0000-0000-0000-000000000002: source is empty",
    );
    check(
        vec![unit_op(3, "Ci\0ao.", "Hello.")],
        "operation 00000000-0000-0000-0000-000000000003: source holds a NUL character",
    );
}

#[test]
fn glossary_entries_need_known_statuses_and_terms_on_both_sides() {
    let put = |entry: TeamEntry| Operation {
        id: id(9),
        change: Change::EntryPut {
            entry,
            base_seq: None,
        },
    };
    check(vec![put(entry(1, "Farnesina", "Foreign Ministry"))], "");
    let mut no_english = entry(1, "Farnesina", "x");
    no_english.english.clear();
    check(
        vec![put(no_english)],
        "operation 00000000-0000-0000-0000-000000000009: an entry needs 1 to 50 terms on each side",
    );
    let mut odd = entry(1, "Farnesina", "Foreign Ministry");
    odd.english[0].status = "maybe".to_owned();
    check(
        vec![put(odd)],
        "operation 00000000-0000-0000-0000-000000000009: unknown term status \"maybe\"",
    );
}

fn record(seq: i64) -> ChangeRecord {
    ChangeRecord {
        seq,
        op_id: id(seq as u128),
        author: "anna".to_owned(),
        at: "2026-01-01T00:00:00Z".to_owned(),
        change: Change::UnitDeleted { unit_id: id(1) },
        conflict: None,
    }
}

#[test]
fn a_page_says_where_to_go_on_and_whether_more_follow() {
    let full = page(10, (11..=14).map(record).collect(), 3);
    assert_eq!((full.changes.len(), full.next, full.more), (3, 13, true));
    let last = page(13, vec![record(14)], 3);
    assert_eq!((last.changes.len(), last.next, last.more), (1, 14, false));
    let empty = page(14, vec![], 3);
    assert_eq!(
        (empty.changes.len(), empty.next, empty.more),
        (0, 14, false)
    );
    assert_eq!(page_size(None), DEFAULT_PAGE);
    assert_eq!(page_size(Some(0)), 1);
    assert_eq!(page_size(Some(1_000_000)), MAX_PAGE);
}

#[test]
fn two_translations_of_one_source_are_both_kept_newest_first() {
    let mut found = vec![
        Translation {
            seq: 3,
            target: "The government falls.",
        },
        Translation {
            seq: 8,
            target: "The government collapses.",
        },
    ];
    newest_first(&mut found);
    let targets: Vec<_> = found.iter().map(|t| t.target).collect();
    assert_eq!(
        targets,
        ["The government collapses.", "The government falls."]
    );
}

#[test]
fn a_write_based_on_the_current_version_loses_nothing() {
    let current = EntryVersion {
        seq: 5,
        entry: Some(entry(1, "Farnesina", "Foreign Ministry")),
    };
    assert_eq!(glossary_write(None, EntryWrite::Put, None, 6, id(1)), None);
    assert_eq!(
        glossary_write(Some(&current), EntryWrite::Put, Some(5), 6, id(1)),
        None
    );
    assert_eq!(
        glossary_write(Some(&current), EntryWrite::Delete, Some(5), 6, id(1)),
        None
    );
}

#[test]
fn the_last_writer_wins_and_the_unseen_version_is_kept_as_a_conflict() {
    let current = EntryVersion {
        seq: 7,
        entry: Some(entry(1, "Farnesina", "Italian Foreign Ministry")),
    };
    // Written from version 5, which the change numbered 7 replaced.
    assert_eq!(
        glossary_write(Some(&current), EntryWrite::Put, Some(5), 9, id(1)),
        Some(EntryConflict {
            entry_id: id(1),
            lost: current.entry.clone(),
            lost_seq: 7,
            won_seq: 9,
        })
    );
    // Two clients creating the same entry: the second wins, the first is kept.
    assert!(glossary_write(Some(&current), EntryWrite::Put, None, 9, id(1)).is_some());
}

#[test]
fn a_deletion_loses_only_when_an_edit_meets_it() {
    let deleted = EntryVersion {
        seq: 7,
        entry: None,
    };
    let lost = glossary_write(Some(&deleted), EntryWrite::Put, Some(5), 9, id(1))
        .expect("an edit of a deleted entry keeps the deletion as a conflict");
    assert_eq!((lost.lost, lost.lost_seq), (None, 7));
    assert_eq!(
        glossary_write(Some(&deleted), EntryWrite::Delete, Some(5), 9, id(1)),
        None
    );
}

#[test]
fn only_unit_changes_write_the_memory() {
    assert!(unit_op(1, "a", "b").change.writes_tm());
    assert!(Change::UnitDeleted { unit_id: id(1) }.writes_tm());
    assert!(!Change::EntryDeleted {
        entry_id: id(1),
        base_seq: None
    }
    .writes_tm());
}
