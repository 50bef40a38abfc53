//! Predictive typing: which phrases a segment offers, and what completes
//! the English typed so far, on the cases of
//! `tests/fixtures/predict/completions.json`, which the editor's own
//! completion (`ui/src/lib/predict.test.ts`) runs too.

use super::*;
use crate::termbase::{Entry, Status, Term};

/// The cases the editor's completion is tested on too.
const CASES: &str = include_str!("../../tests/fixtures/predict/completions.json");

fn kind(name: &str) -> PhraseKind {
    match name {
        "glossary" => PhraseKind::Glossary,
        "name" => PhraseKind::Name,
        "number" => PhraseKind::Number,
        "tm" => PhraseKind::Tm,
        "mt" => PhraseKind::Mt,
        other => panic!("no phrase kind {other:?}"),
    }
}

/// `[["text", "kind"], ...]` as (text, kind) pairs.
fn pairs(list: &serde_json::Value) -> Vec<(String, PhraseKind)> {
    let list: Vec<(String, String)> = serde_json::from_value(list.clone()).expect("pairs");
    list.into_iter().map(|(text, k)| (text, kind(&k))).collect()
}

#[test]
fn completions_are_those_of_the_shared_cases() {
    let cases: serde_json::Value = serde_json::from_str(CASES).expect("the cases' JSON");
    let listed = cases["cases"].as_array().expect("cases");
    assert!(listed.len() >= 17, "{} cases", listed.len());
    for case in listed {
        let what = case["what"].as_str().expect("what");
        let set = case["phrases"].as_str().expect("phrases");
        let phrases: Vec<Phrase> = pairs(&cases["phrases"][set])
            .into_iter()
            .map(|(text, kind)| Phrase { text, kind })
            .collect();
        assert!(!phrases.is_empty(), "{what}: no phrases {set:?}");
        let before = case["before"].as_str().expect("before");
        let got: Vec<(String, PhraseKind)> = complete(&phrases, before)
            .into_iter()
            .map(|c| (c.text, c.kind))
            .collect();
        assert_eq!(got, pairs(&case["expect"]), "{what}: completing {before:?}");
        assert!(got.len() <= MAX_COMPLETIONS, "{what}");
    }
}

use PhraseKind::{Glossary, Mt, Name, Number, Tm};

#[test]
fn a_segment_offers_its_terms_names_numbers_and_suggestions() {
    let terms = TermMatcher::new(vec![
        Entry::pair("presidente del Consiglio", "prime minister"),
        Entry {
            italian: vec![Term::new("Cremlino")],
            english: vec![
                Term {
                    status: Status::Forbidden,
                    ..Term::new("Kremlin Palace")
                },
                Term::new("Kremlin"),
            ],
            ..Entry::default()
        },
    ]);
    let italian = "Il presidente del Consiglio ha incontrato Sergio Mattarella a Milano: \
                   al \u{E000}Cremlino\u{E800} 1.234,5 euro.";
    let got = phrases(
        &terms,
        italian,
        &[
            "The prime minister met \u{E000}Sergio Mattarella\u{E800}.",
            "  ",
        ],
        &[
            "The prime minister met Sergio Mattarella.",
            "The premier met Mattarella.",
        ],
    );
    let got: Vec<(&str, PhraseKind)> = got.iter().map(|p| (p.text.as_str(), p.kind)).collect();
    assert_eq!(
        got,
        [
            ("prime minister", Glossary),
            ("Kremlin", Glossary),
            ("Sergio Mattarella", Name),
            ("Milan", Name),
            ("1,234.5", Number),
            ("The prime minister met Sergio Mattarella.", Tm),
            ("The premier met Mattarella.", Mt),
        ]
    );
}
