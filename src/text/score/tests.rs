//! Hand-checked scores and the edit distance against a plain DP.

use super::*;
use crate::testing::{typography_score, TYPOGRAPHY_PAIRS};
use crate::text::codes::Mark;

fn check(a: &str, b: &str, expected: u32) {
    assert_eq!(
        score(&Scored::new(a), &Scored::new(b)),
        expected,
        "{a:?} vs {b:?}"
    );
    assert_eq!(
        score(&Scored::new(b), &Scored::new(a)),
        expected,
        "{b:?} vs {a:?}"
    );
}

#[test]
fn hand_checked_scores() {
    check(
        "Il gatto dorme sul divano.",
        "Il gatto dorme sul divano.",
        100,
    );
    // Spaces are not tokens.
    check("Il gatto dorme.", "Il  gatto dorme .", 100);
    // One word of 6 tokens replaced: 100 × 5/6 = 83.3.
    check(
        "Il gatto dorme sul divano.",
        "Il cane dorme sul divano.",
        83,
    );
    // One token inserted into 4: 100 × 4/5 = 80.
    check("Il gatto dorme.", "Il gatto nero dorme.", 80);
    // Only case, only punctuation, only a number: one point each.
    check("il gatto dorme.", "Il gatto dorme.", 99);
    check("Il gatto dorme.", "Il gatto dorme!", 99);
    check("Costa 10 euro.", "Costa 12 euro.", 99);
    check("costa 10 euro.", "Costa 12 euro!", 97);
    // Differences in case inside a fuzzy match still cost their point.
    check(
        "Il gatto Dorme sul divano.",
        "Il cane dorme sul divano.",
        82,
    );
    // A substituted word carries no case penalty of its own.
    check(
        "Il Gatto dorme sul divano.",
        "Il cane dorme sul divano.",
        83,
    );
    check("", "", 100);
    check("", "Parola", 0);
    check("Mosca e Pyongyang", "Washington e Seoul", 33);
}

/// Issue: "Typographic apostrophes and quotes break TM matches" (’ against '
/// scored 77).
#[test]
fn typographic_variants_cost_one_punctuation_point_at_most() {
    for (kind, typographic, plain) in TYPOGRAPHY_PAIRS {
        let expected = typography_score(kind);
        assert_eq!(
            score(&Scored::new(typographic), &Scored::new(plain)),
            expected,
            "{kind}"
        );
        assert_eq!(
            score(&Scored::new(plain), &Scored::new(typographic)),
            expected,
            "{kind}"
        );
    }
    // Every kind at once is still the one point.
    check(
        "«Se c’è un incendio — dice — non usate lʼascensore»,\u{A0}ha detto.",
        "\"Se c'è un incendio - dice - non usate l'ascensore\", ha detto.",
        99,
    );
    // The apostrophe inside a word is punctuation, its capital a case point.
    check("L’asse si rafforza.", "L'asse si rafforza.", 99);
    check("L’asse si rafforza.", "l'asse si rafforza.", 98);
    // A fuzzy match loses its words and the one point: 9 tokens each at
    // distance 3 is ⌊100 × 6/9⌋ = 66, less the point for c’è.
    check(
        "Se c’è un incendio, non usate l’ascensore.",
        "Se c'è un incendio, usate le scale.",
        65,
    );
}

#[test]
fn threshold_arithmetic_is_exact() {
    for longest in 1..=120 {
        for min_score in 0..=100 {
            let limit = max_distance(longest, min_score);
            for d in 0..=longest {
                assert_eq!(
                    d <= limit,
                    base_score(d, longest, longest) >= min_score,
                    "M={longest} T={min_score} d={d}"
                );
            }
        }
    }
}

#[test]
fn bit_parallel_distance_agrees_with_plain_dp() {
    // A small deterministic generator: no dependency needed for the test.
    let mut seed = 0x2545F4914F6CDD1Du64;
    let mut next = move |bound: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % bound
    };
    for _ in 0..3000 {
        let n = next(80) as usize;
        let m = next(80) as usize;
        let a: Vec<u32> = (0..n).map(|_| next(6) as u32).collect();
        let b: Vec<u32> = (0..m).map(|_| next(6) as u32).collect();
        let expected = if a.is_empty() {
            b.len()
        } else {
            dynamic_programming(&a, &b)
        };
        assert_eq!(levenshtein(&a, &b), expected, "{a:?} / {b:?}");
    }
}

fn o(id: u16) -> String {
    Mark::Open(id).char().to_string()
}
fn c(id: u16) -> String {
    Mark::Close(id).char().to_string()
}
fn s(id: u16) -> String {
    Mark::Standalone(id).char().to_string()
}

/// Issue 18: a match that differed only in a tag scored 62–66.
#[test]
fn a_code_is_no_token_and_a_tag_difference_costs_one_point() {
    let plain = "Il sindaco di Roma ha parlato ieri.";
    let linked = format!("Il sindaco di {}Roma{} ha parlato ieri.", o(3), c(3));
    check(plain, &linked, 99);
    // Ids and what the codes stand for do not count.
    let other_link = format!("Il sindaco di {}Roma{} ha parlato ieri.", o(0), c(0));
    check(&linked, &other_link, 100);
    // A code moved to other words, or of another shape, is a difference.
    let moved = format!("Il {}sindaco{} di Roma ha parlato ieri.", o(3), c(3));
    check(&linked, &moved, 99);
    let broken = format!("Il sindaco di Roma{} ha parlato ieri.", s(3));
    check(&linked, &broken, 99);
    // A code inside a word neither cuts it nor counts as punctuation.
    check(
        "Il sindaco di Roma ha parlato ieri.",
        &format!("Il sindaco di {}Ro{}ma ha parlato ieri.", o(1), c(1)),
        99,
    );
    // Beside words that changed, a code costs nothing more than they do;
    // beside a word of both, it is where it was.
    check(
        &format!("Il sindaco {}Rossi{} ha parlato.", o(0), c(0)),
        &format!("Il nuovo sindaco {}Bianchi{} ha parlato.", o(2), c(2)),
        71,
    );
    check(
        "Il sindaco Rossi ha parlato.",
        "Il nuovo sindaco Bianchi ha parlato.",
        71,
    );
    // With case, punctuation and numbers, still three points at most.
    check(
        &format!("il sindaco ha {}10{} anni.", o(0), c(0)),
        "Il sindaco ha 12 anni!",
        97,
    );
}

#[test]
fn same_codes_compares_shapes_in_order() {
    assert!(same_codes(
        &format!("a{}b{}", o(1), c(1)),
        &format!("{}ab{}", o(5), c(5))
    ));
    assert!(!same_codes(
        &format!("a{}b{}", o(1), c(1)),
        &format!("a{}b", s(1))
    ));
    assert!(same_codes("ab", "a b"));
}
