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
        pos: None,
        case_sensitive: false,
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
            base_seq: Some(4),
            base_op: None,
        }
    );
    let Change::EntryPut {
        entry, base_seq, ..
    } = &push.ops[2].change
    else {
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
            base_op: None,
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

fn at_seq(seq: i64) -> Base {
    Base {
        seq: Some(seq),
        op: None,
    }
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
    let epoch = || "5b1c".to_owned();
    let full = page(10, (11..=14).map(record).collect(), 3, 14, epoch());
    assert_eq!((full.changes.len(), full.next, full.more), (3, 13, true));
    assert_eq!(full.epoch, "5b1c");
    let last = page(13, vec![record(14)], 3, 14, epoch());
    assert_eq!((last.changes.len(), last.next, last.more), (1, 14, false));
    let empty = page(14, vec![], 3, 14, epoch());
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
        op_id: Some(id(50)),
        entry: Some(entry(1, "Farnesina", "Foreign Ministry")),
    };
    assert_eq!(
        glossary_write(None, EntryWrite::Put, Base::default(), 6, id(1)),
        None
    );
    assert_eq!(
        glossary_write(Some(&current), EntryWrite::Put, at_seq(5), 6, id(1)),
        None
    );
    assert_eq!(
        glossary_write(Some(&current), EntryWrite::Delete, at_seq(5), 6, id(1)),
        None
    );
}

#[test]
fn the_last_writer_wins_and_the_unseen_version_is_kept_as_a_conflict() {
    let current = EntryVersion {
        seq: 7,
        op_id: Some(id(70)),
        entry: Some(entry(1, "Farnesina", "Italian Foreign Ministry")),
    };
    // Written from version 5, which the change numbered 7 replaced.
    assert_eq!(
        glossary_write(Some(&current), EntryWrite::Put, at_seq(5), 9, id(1)),
        Some(EntryConflict {
            entry_id: id(1),
            lost: current.entry.clone(),
            lost_seq: 7,
            won_seq: 9,
        })
    );
    // Two clients creating the same entry: the second wins, the first is kept.
    assert!(glossary_write(Some(&current), EntryWrite::Put, Base::default(), 9, id(1)).is_some());
}

#[test]
fn a_deletion_loses_only_when_an_edit_meets_it() {
    let deleted = EntryVersion {
        seq: 7,
        op_id: Some(id(70)),
        entry: None,
    };
    let lost = glossary_write(Some(&deleted), EntryWrite::Put, at_seq(5), 9, id(1))
        .expect("an edit of a deleted entry keeps the deletion as a conflict");
    assert_eq!((lost.lost, lost.lost_seq), (None, 7));
    assert_eq!(
        glossary_write(Some(&deleted), EntryWrite::Delete, at_seq(5), 9, id(1)),
        None
    );
}

#[test]
fn only_unit_changes_write_the_memory() {
    assert!(unit_op(1, "a", "b").change.writes_tm());
    assert!(Change::UnitDeleted { unit_id: id(1) }.writes_tm());
    assert!(!Change::EntryDeleted {
        entry_id: id(1),
        base_seq: None,
        base_op: None,
    }
    .writes_tm());
}

fn big_record(seq: i64, chars: usize) -> ChangeRecord {
    let mut record = record(seq);
    record.change = unit_op(seq as u128, &"a".repeat(chars), "b").change;
    record
}

#[test]
fn a_page_is_capped_by_bytes_but_holds_at_least_one_change() {
    // Three changes of a little over 1.5 MiB each: two fit in 4 MiB.
    let changes: Vec<_> = (1..=3).map(|seq| big_record(seq, 1_600_000)).collect();
    let capped = page(0, changes, 1000, 3, String::new());
    assert_eq!(
        (capped.changes.len(), capped.next, capped.more),
        (2, 2, true)
    );
    assert!(capped.changes.iter().map(json_len).sum::<usize>() <= MAX_PAGE_BYTES);
    // One change larger than the cap still travels, alone.
    let huge = page(
        0,
        vec![big_record(1, 5_000_000), record(2)],
        1000,
        2,
        String::new(),
    );
    assert_eq!((huge.changes.len(), huge.next, huge.more), (1, 1, true));
}

/// A push of `n` units whose compact JSON is exactly `bytes` long.
fn push_of_bytes(n: usize, bytes: usize) -> PushRequest {
    let mut push = PushRequest {
        ops: (0..n as u128).map(|k| unit_op(k, "a", "b")).collect(),
    };
    let mut missing = bytes - json_len(&push);
    for op in &mut push.ops {
        let Change::UnitAdded { unit } = &mut op.change else {
            unreachable!()
        };
        for text in [&mut unit.source, &mut unit.target] {
            let more = missing.min(MAX_TEXT_CHARS - text.len());
            text.push_str(&"x".repeat(more));
            missing -= more;
        }
    }
    assert_eq!(missing, 0, "{n} units cannot hold {bytes} bytes");
    push
}

#[test]
fn a_push_the_check_accepts_fits_in_the_body_limit() {
    let edge = push_of_bytes(MAX_OPS_PER_PUSH, MAX_BODY_BYTES);
    assert_eq!(json_len(&edge), MAX_BODY_BYTES);
    assert_eq!(serde_json::to_vec(&edge).unwrap().len(), MAX_BODY_BYTES);
    assert_eq!(edge.check(), Ok(()));
    let over = push_of_bytes(MAX_OPS_PER_PUSH, MAX_BODY_BYTES + 1);
    assert_eq!(
        over.check().unwrap_err().to_string(),
        "the push's JSON holds 8388609 bytes, at most 8388608 are allowed: push fewer operations at once"
    );
    // Every text within its own limit, the whole too large: 500 units of
    // 10,000 characters a side.
    let longest = "a".repeat(MAX_TEXT_CHARS);
    let full = PushRequest {
        ops: (0..MAX_OPS_PER_PUSH as u128)
            .map(|n| unit_op(n, &longest, &longest))
            .collect(),
    };
    assert!(matches!(full.check(), Err(LimitError::TooLarge(_))));
}

#[test]
fn a_write_based_on_the_clients_own_unsent_edit_loses_nothing() {
    // The client's first edit (operation 50) made the current version; its
    // second edit names that operation, not knowing its number yet.
    let current = EntryVersion {
        seq: 5,
        op_id: Some(id(50)),
        entry: Some(entry(1, "Farnesina", "Foreign Ministry")),
    };
    let own = Base {
        seq: Some(3),
        op: Some(id(50)),
    };
    assert_eq!(
        glossary_write(Some(&current), EntryWrite::Put, own, 6, id(1)),
        None
    );
    assert_eq!(
        glossary_write(Some(&current), EntryWrite::Delete, own, 6, id(1)),
        None
    );
    // Based on another operation: the current version is kept as a conflict.
    let other = Base {
        seq: Some(3),
        op: Some(id(51)),
    };
    let lost =
        glossary_write(Some(&current), EntryWrite::Put, other, 6, id(1)).expect("a conflict");
    assert_eq!((lost.lost_seq, lost.won_seq), (5, 6));
    // A version whose operation is unknown matches no base operation.
    let unknown = EntryVersion {
        op_id: None,
        ..current.clone()
    };
    let none = Base {
        seq: None,
        op: None,
    };
    assert!(glossary_write(Some(&unknown), EntryWrite::Put, none, 6, id(1)).is_some());
}

#[test]
fn base_op_is_optional_in_json() {
    let text = r#"{"kind":"entry_deleted","entry_id":"00000000-0000-0000-0000-000000000007","base_op":"00000000-0000-0000-0000-000000000032"}"#;
    let change: Change = serde_json::from_str(text).unwrap();
    assert_eq!(
        change,
        Change::EntryDeleted {
            entry_id: id(7),
            base_seq: None,
            base_op: Some(id(50)),
        }
    );
    assert_eq!(serde_json::to_string(&change).unwrap(), text);
    let page: ChangesPage =
        serde_json::from_str(r#"{"since":0,"changes":[],"next":0,"more":false}"#).unwrap();
    assert_eq!(page.epoch, "");
}
