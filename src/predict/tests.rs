//! Predictive typing: which phrases a segment offers, and what completes
//! the English typed so far. The editor's own completion
//! (`ui/src/lib/predict.test.ts`) is tested on the same cases.

use super::*;
use crate::termbase::{Entry, Status, Term};

fn phrase(text: &str, kind: PhraseKind) -> Phrase {
    Phrase {
        text: text.to_string(),
        kind,
    }
}

/// The completions of `before` among `phrases`, as (text, kind).
fn check(phrases: &[Phrase], before: &str, expect: &[(&str, PhraseKind)]) {
    let got: Vec<(String, PhraseKind)> = complete(phrases, before)
        .into_iter()
        .map(|c| (c.text, c.kind))
        .collect();
    let expect: Vec<(String, PhraseKind)> =
        expect.iter().map(|(t, k)| (t.to_string(), *k)).collect();
    assert_eq!(got, expect, "completing {before:?}");
}

use PhraseKind::{Glossary, Mt, Name, Number, Tm};

fn sample() -> Vec<Phrase> {
    vec![
        phrase("prime minister", Glossary),
        phrase("Sergio Mattarella", Name),
        phrase("1,234.5", Number),
        phrase(
            "The prime minister met President Sergio Mattarella on Monday, sources said.",
            Tm,
        ),
        phrase("The premier met the head of state on Monday.", Mt),
    ]
}

#[test]
fn a_word_begun_is_completed_glossary_first_then_longest() {
    check(
        &sample(),
        "The pr",
        &[
            ("ime minister", Glossary),
            // The TM agrees with "The" before it: its next words follow.
            ("ime minister met President", Tm),
            ("emier met the head", Mt),
        ],
    );
}

#[test]
fn a_name_and_a_number_complete_whole() {
    check(
        &sample(),
        "He met Ser",
        &[("gio Mattarella", Name), ("gio Mattarella on Monday,", Tm)],
    );
    // One digit is enough for a number.
    check(&sample(), "a total of 1", &[(",234.5", Number)]);
}

#[test]
fn after_a_space_the_words_typed_must_agree() {
    check(
        &sample(),
        "The prime ",
        &[
            ("minister", Glossary),
            ("minister met President Sergio", Tm),
        ],
    );
    // Nothing agrees with a word of no phrase.
    check(&sample(), "Yesterday ", &[]);
    check(&sample(), "", &[]);
}

#[test]
fn one_letter_alone_offers_nothing() {
    check(&sample(), "p", &[]);
    // Unless the word before agrees.
    check(
        &sample(),
        "the p",
        &[
            ("rime minister met President", Tm),
            ("remier met the head", Mt),
        ],
    );
}

#[test]
fn case_and_typography_do_not_count_and_the_typed_part_stays() {
    let phrases = [phrase("Italy’s economy", Glossary)];
    check(&phrases, "ITAL", &[("y’s economy", Glossary)]);
    check(&phrases, "italy's ", &[("economy", Glossary)]);
    // An opening quote is not part of the word.
    check(&phrases, "“Ita", &[("ly’s economy", Glossary)]);
}

#[test]
fn a_sentence_offers_up_to_the_end_of_a_clause() {
    let phrases = [phrase("On Monday, sources said the talks failed.", Tm)];
    check(&phrases, "On Mon", &[("day,", Tm)]);
    check(&phrases, "sources said ", &[("the talks failed.", Tm)]);
}

#[test]
fn a_word_typed_whole_or_a_letter_short_offers_nothing() {
    let phrases = [phrase("Milan", Name), phrase("Milano", Tm)];
    check(&phrases, "Milan", &[]);
    check(&phrases, "Mila", &[("no", Tm)]);
}

#[test]
fn the_same_text_is_offered_once_at_most_five() {
    let phrases: Vec<Phrase> = (0..8)
        .map(|n| phrase(&format!("economy {n}"), Tm))
        .chain([phrase("economy 0", Mt)])
        .collect();
    let got = complete(&phrases, "eco");
    assert_eq!(got.len(), MAX_COMPLETIONS);
    assert_eq!(got[0].text, "nomy 0");
    assert!(got.iter().all(|c| c.kind == Tm));
}

#[test]
fn codes_part_words() {
    let typed = format!("the {}Pr", '\u{E000}');
    check(
        &sample(),
        &typed,
        &[
            ("ime minister", Glossary),
            ("ime minister met President", Tm),
            ("emier met the head", Mt),
        ],
    );
}

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
