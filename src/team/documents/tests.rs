//! Tests of shared documents: their JSON, their limits, and the rule that
//! applies or refuses a saved segment.

use super::super::{Change, Operation, PushRequest};
use super::*;

fn id(n: u128) -> Uuid {
    Uuid::from_u128(n)
}

fn document(n_segments: usize) -> SharedDocument {
    SharedDocument {
        id: id(1),
        name: "Il governo cade".to_owned(),
        segments: (0..n_segments)
            .map(|k| SharedSegment {
                id: id(100 + k as u128),
                source: format!("Frase \u{e000}{k}\u{e800}."),
                target: String::new(),
                status: "new".to_owned(),
            })
            .collect(),
    }
}

/// Checks one operation against the limits; `expect` is the error's text,
/// or empty when it is accepted.
fn check(change: Change, expect: &str) {
    let ops = vec![Operation { id: id(9), change }];
    let res = PushRequest { ops }.check();
    assert_eq!(
        res.map_err(|e| e.to_string()).err().unwrap_or_default(),
        expect
    );
}

fn save(target: &str, status: &str) -> Change {
    Change::SegmentSaved {
        document_id: id(1),
        segment_id: id(100),
        target: target.to_owned(),
        status: status.to_owned(),
        base_seq: Some(1),
        base_op: None,
    }
}

#[test]
fn document_changes_read_and_write_as_documented_json() {
    let text = r#"{"kind":"document_shared","document":{"id":"00000000-0000-0000-0000-000000000001","name":"Piove","segments":[{"id":"00000000-0000-0000-0000-000000000064","source":"Piove."}]}}"#;
    let change: Change = serde_json::from_str(text).unwrap();
    let Change::DocumentShared { document } = &change else {
        panic!("not a share: {change:?}");
    };
    assert_eq!(
        (
            document.segments[0].target.as_str(),
            document.segments[0].status.as_str()
        ),
        ("", "new")
    );
    let assigned = r#"{"kind":"assigned","document_id":"00000000-0000-0000-0000-000000000001","user":"anna","step":"review","lease_until":"2026-12-06T18:00:00.000000Z"}"#;
    let change: Change = serde_json::from_str(assigned).unwrap();
    assert_eq!(
        change,
        Change::Assigned {
            document_id: id(1),
            user: "anna".to_owned(),
            step: Step::Review,
            lease_until: "2026-12-06T18:00:00.000000Z".to_owned(),
        }
    );
    assert_eq!(serde_json::to_string(&change).unwrap(), assigned);
    let saved = r#"{"kind":"segment_saved","document_id":"00000000-0000-0000-0000-000000000001","segment_id":"00000000-0000-0000-0000-000000000064","target":"It rains.","status":"translated","base_seq":1}"#;
    assert_eq!(
        serde_json::to_string(&serde_json::from_str::<Change>(saved).unwrap()).unwrap(),
        saved
    );
    assert!(change.written_by_server());
    assert!(Change::Released { document_id: id(1) }.written_by_server());
    assert!(!save("x", "draft").written_by_server());
}

#[test]
fn documents_within_the_limits_pass() {
    check(
        Change::DocumentShared {
            document: document(1),
        },
        "",
    );
    check(
        Change::DocumentShared {
            document: document(MAX_SEGMENTS_PER_DOCUMENT),
        },
        "",
    );
    check(save("", "draft"), "");
    check(save("It rains.", "approved"), "");
}

#[test]
fn documents_beyond_the_limits_say_which() {
    let op = "operation 00000000-0000-0000-0000-000000000009";
    check(
        Change::DocumentShared {
            document: document(0),
        },
        &format!("{op}: a document holds 0 segments, it needs 1 to 5000"),
    );
    check(
        Change::DocumentShared {
            document: document(MAX_SEGMENTS_PER_DOCUMENT + 1),
        },
        &format!("{op}: a document holds 5001 segments, it needs 1 to 5000"),
    );
    let mut twice = document(2);
    twice.segments[1].id = twice.segments[0].id;
    check(
        Change::DocumentShared { document: twice },
        &format!("{op}: segment 00000000-0000-0000-0000-000000000064 is in the document twice"),
    );
    let mut unnamed = document(1);
    unnamed.name = " ".to_owned();
    check(
        Change::DocumentShared { document: unnamed },
        &format!("{op}: document name is empty"),
    );
    let mut no_source = document(1);
    no_source.segments[0].source.clear();
    check(
        Change::DocumentShared {
            document: no_source,
        },
        &format!("{op}: source is empty"),
    );
    check(
        save(&"è".repeat(MAX_TEXT_CHARS + 1), "draft"),
        &format!("{op}: target holds 10001 characters, at most 10000 are allowed"),
    );
    let mut forged = document(1);
    forged.segments[0].target = "Sentence \u{f003}.".to_owned();
    check(
        Change::DocumentShared { document: forged },
        &format!("{op}: the English of segment 00000000-0000-0000-0000-000000000064 has an inline code the Italian does not have"),
    );
    check(
        save("It rains.", "done"),
        &format!("{op}: unknown segment status \"done\""),
    );
}

const CURRENT: SegmentVersion = SegmentVersion {
    seq: 7,
    op_id: Uuid::from_u128(70),
};

fn at_seq(seq: i64) -> Base {
    Base {
        seq: Some(seq),
        op: None,
    }
}

fn held_by(user: &str, live: bool) -> Option<Holding<'_>> {
    Some(Holding { user, live })
}

#[test]
fn the_holder_saves_on_the_current_version() {
    assert_eq!(
        segment_save("anna", held_by("anna", true), Some(CURRENT), at_seq(7)),
        Ok(())
    );
    // Based on the author's own save, whose number they do not know yet.
    let own = Base {
        seq: Some(3),
        op: Some(id(70)),
    };
    assert_eq!(
        segment_save("anna", held_by("anna", true), Some(CURRENT), own),
        Ok(())
    );
}

#[test]
fn a_save_by_someone_who_does_not_hold_the_document_is_refused() {
    assert_eq!(
        segment_save("ben", held_by("anna", true), Some(CURRENT), at_seq(7)),
        Err(Refusal::NotHolder)
    );
    assert_eq!(
        segment_save("ben", None, Some(CURRENT), at_seq(7)),
        Err(Refusal::NotHolder)
    );
}

#[test]
fn a_save_after_the_lease_ran_out_is_refused() {
    assert_eq!(
        segment_save("anna", held_by("anna", false), Some(CURRENT), at_seq(7)),
        Err(Refusal::LeaseExpired)
    );
}

#[test]
fn a_save_on_a_stale_version_is_refused() {
    assert_eq!(
        segment_save("anna", held_by("anna", true), Some(CURRENT), at_seq(5)),
        Err(Refusal::Stale)
    );
    assert_eq!(
        segment_save(
            "anna",
            held_by("anna", true),
            Some(CURRENT),
            Base::default()
        ),
        Err(Refusal::Stale)
    );
    let other = Base {
        seq: Some(5),
        op: Some(id(71)),
    };
    assert_eq!(
        segment_save("anna", held_by("anna", true), Some(CURRENT), other),
        Err(Refusal::Stale)
    );
}

#[test]
fn a_save_of_an_unknown_segment_is_refused() {
    assert_eq!(
        segment_save("anna", held_by("anna", true), None, at_seq(7)),
        Err(Refusal::UnknownSegment)
    );
}

#[test]
fn an_english_may_hold_only_the_codes_of_its_italian() {
    let source = "Il \u{e001}premier\u{e801} si dimette.";
    assert!(!has_stray_code(
        source,
        "The \u{e001}premier\u{e801} resigns."
    ));
    assert!(!has_stray_code(source, "The premier resigns."));
    assert!(has_stray_code(
        source,
        "The \u{e002}premier\u{e802} resigns."
    ));
    assert!(has_stray_code("Piove.", "It \u{f000}rains."));
}

#[test]
fn a_translation_goes_to_a_translator_a_review_to_a_reviewer_or_translator() {
    assert!(step_fits_role(Step::Translate, "translator"));
    assert!(!step_fits_role(Step::Translate, "reviewer"));
    assert!(!step_fits_role(Step::Translate, "editor"));
    assert!(step_fits_role(Step::Review, "reviewer"));
    assert!(step_fits_role(Step::Review, "translator"));
    assert!(!step_fits_role(Step::Review, "admin"));
    assert_eq!(Step::parse(Step::Review.as_str()), Some(Step::Review));
}
