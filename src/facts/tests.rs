//! Names, metonyms, the first-mention rule and the fact checklist: a true
//! hit and a near miss for each.

use super::*;
use crate::termbase::{Entry, Term};

fn no_terms() -> TermMatcher {
    TermMatcher::new(Vec::new())
}

fn names(source: &str) -> Vec<String> {
    entities(&no_terms(), source)
        .into_iter()
        .map(|e| e.italian)
        .collect()
}

fn missing(terms: &TermMatcher, source: &str, target: &str) -> Vec<String> {
    segment_facts(terms, source, target)
        .into_iter()
        .filter(|(_, _, found, _)| !found)
        .map(|(_, italian, _, _)| italian)
        .collect()
}

#[test]
fn names_are_capitalised_runs_that_do_not_merely_open_a_sentence() {
    assert_eq!(
        names("Secondo Giorgia Meloni, la Regione Emilia-Romagna e Confartigianato sbagliano."),
        [
            "Giorgia Meloni",
            "Regione Emilia-Romagna",
            "Confartigianato"
        ]
    );
    // Joiners inside a name; an elided article before one.
    assert_eq!(
        names("Lo ha detto il sindaco di Reggio di Calabria all'Agenzia delle Entrate."),
        ["Reggio di Calabria"]
    );
    // A sentence's first word is not a name; an acronym is.
    assert_eq!(names("Piove. Domani sciopero della CGIL."), ["CGIL"]);
    assert!(names("Il governo ha approvato il decreto.").is_empty());
}

#[test]
fn a_name_must_reach_the_english() {
    let it = "Il sindaco di Faenza ha incontrato Marco Bellini.";
    // True hit: a name left out.
    assert_eq!(
        missing(&no_terms(), it, "The mayor met Marco Bellini."),
        ["Faenza"]
    );
    // Near miss: both there, whatever the case.
    assert!(missing(&no_terms(), it, "The mayor of FAENZA met Marco Bellini.").is_empty());
    // A place with an English name; a generic word is not required.
    assert!(missing(
        &no_terms(),
        "Nevica a Milano e in Regione Lombardia.",
        "It is snowing in Milan and in the Lombardy region."
    )
    .is_empty());
    assert_eq!(
        missing(&no_terms(), "Nevica a Milano.", "It is snowing in Milano."),
        Vec::<String>::new(),
        "the Italian form is accepted too"
    );
    assert_eq!(
        missing(&no_terms(), "Nevica a Milano.", "It is snowing in Turin."),
        ["Milano"]
    );
    // "US" is a word, not a part of "thus".
    assert_eq!(
        missing(&no_terms(), "Lo dicono gli Stati Uniti.", "So thus it is."),
        ["Stati Uniti"]
    );
    assert!(missing(&no_terms(), "Lo dicono gli Stati Uniti.", "So says the US.").is_empty());
}

#[test]
fn each_name_of_a_hyphenated_compound_is_a_name() {
    let axis = "Così si rafforza l’asse Mosca-Pyongyang";
    assert_eq!(names(axis), ["Mosca", "Pyongyang"]);
    // Whichever dash the English joins them with.
    for dash in ["-", "\u{2010}", "–", "—"] {
        let english = format!("How the Moscow{dash}Pyongyang axis grows stronger");
        assert!(missing(&no_terms(), axis, &english).is_empty(), "{english}");
    }
    // Near miss: one of the two left out.
    assert_eq!(
        missing(&no_terms(), axis, "How the Moscow axis grows stronger"),
        ["Pyongyang"]
    );
    // A compound inside a longer name stays part of it, each part in its
    // English name.
    assert_eq!(
        names("Si apre il Forum Italia-Cina."),
        ["Forum Italia-Cina"]
    );
    assert!(missing(
        &no_terms(),
        "Si apre il Forum Italia-Cina.",
        "The Italy-China Forum opens."
    )
    .is_empty());
    assert!(missing(
        &no_terms(),
        "Lo dice la Regione Emilia-Romagna.",
        "So says the Emilia-Romagna region."
    )
    .is_empty());
    assert_eq!(
        missing(
            &no_terms(),
            "Lo dice la Regione Emilia-Romagna.",
            "So says the Emilia region."
        ),
        ["Regione Emilia-Romagna"]
    );
}

#[test]
fn metonyms_suggest_what_they_stand_for() {
    let facts = segment_facts(&no_terms(), "La Farnesina smentisce.", "");
    assert_eq!(facts[0].1, "Farnesina");
    assert_eq!(facts[0].3.as_deref(), Some("foreign ministry"));
    assert!(missing(
        &no_terms(),
        "La Farnesina smentisce.",
        "The foreign ministry denied it."
    )
    .is_empty());
    assert!(missing(
        &no_terms(),
        "La Farnesina smentisce.",
        "The Farnesina denied it."
    )
    .is_empty());
    assert_eq!(
        missing(
            &no_terms(),
            "La Farnesina smentisce.",
            "The ministry denied it."
        ),
        ["Farnesina"]
    );
    assert_eq!(
        missing(
            &no_terms(),
            "Fonti di Palazzo Chigi.",
            "Government sources."
        ),
        Vec::<String>::new(),
        "“the government” rendering, case aside"
    );
}

#[test]
fn glossary_proper_nouns_count_in_their_english_form() {
    let mut entry = Entry::pair("Banca d'Italia", "Bank of Italy");
    entry.italian[0] = Term {
        pos: Some("properNoun".into()),
        ..entry.italian[0].clone()
    };
    let terms = TermMatcher::new(vec![entry]);
    assert!(missing(
        &terms,
        "Lo stima la Banca d'Italia.",
        "The Bank of Italy estimates it."
    )
    .is_empty());
    assert_eq!(
        missing(
            &terms,
            "Lo stima la Banca d'Italia.",
            "The central bank estimates it."
        ),
        ["Banca d'Italia"]
    );
}

#[test]
fn first_mention_rule_across_the_document() {
    let terms = no_terms();
    let check = |targets: &[(i64, &str)]| first_mentions(&terms, targets);
    // Near miss: full form with the short one first, short form after.
    assert!(check(&[(1, "Brothers of Italy (FdI) won."), (2, "FdI now leads."),]).is_empty());
    // True hits: the short form first; the full form bare then the short
    // one later; the full form introduced twice.
    assert_eq!(
        check(&[(1, "FdI won."), (2, "Brothers of Italy (FdI) leads.")]),
        [(
            1,
            "“FdI” before it is introduced: write “Brothers of Italy (FdI)” at first mention"
                .to_string()
        )]
    );
    assert_eq!(
        check(&[(1, "Brothers of Italy won."), (2, "FdI leads.")]),
        [(
            1,
            "first mention: write “Brothers of Italy (FdI)”, since “FdI” is used later".to_string()
        )]
    );
    assert_eq!(
        check(&[
            (1, "Brothers of Italy (FdI) won."),
            (5, "Brothers of Italy (FdI) leads.")
        ]),
        [(
            5,
            "“FdI” was introduced in segment 1: write “FdI” alone".to_string()
        )]
    );
    // A pair the translation introduces itself is held to the rule too.
    assert_eq!(
        check(&[(1, "ANM said no."), (2, "The National Association of Magistrates (ANM) met.")]),
        [(1, "“ANM” before it is introduced: write “National Association of Magistrates (ANM)” at first mention".to_string())]
    );
    // A name never shortened needs no brackets.
    assert!(check(&[
        (1, "Brothers of Italy won."),
        (2, "Brothers of Italy leads.")
    ])
    .is_empty());
}

#[test]
fn the_checklist_ticks_off_what_the_english_has() {
    let it = "Il 12 marzo 2024, alle 12.30, la Farnesina ha detto che 3.466 persone e il 12,5% «non torneranno».";
    let facts = |target: &str| -> Vec<(FactKind, String, bool)> {
        segment_facts(&no_terms(), it, target)
            .into_iter()
            .map(|(k, i, f, _)| (k, i, f))
            .collect()
    };
    let all_found = facts("On 12 March 2024, at 12.30pm, the foreign ministry said 3,466 people and 12.5% “will not return”.");
    assert_eq!(
        all_found,
        [
            (FactKind::Date, "12 marzo 2024".into(), true),
            (FactKind::Time, "12.30".into(), true),
            (FactKind::Name, "Farnesina".into(), true),
            (FactKind::Number, "3.466 persone".into(), true),
            (FactKind::Number, "12,5 %".into(), true),
            (FactKind::Quote, "non torneranno".into(), true),
        ]
    );
    let some_missing = facts("On March 13, 2024, the ministry said 3,466 people will not return.");
    let missing: Vec<&str> = some_missing
        .iter()
        .filter(|(_, _, found)| !found)
        .map(|(_, i, _)| i.as_str())
        .collect();
    assert_eq!(
        missing,
        [
            "12 marzo 2024",
            "12.30",
            "Farnesina",
            "12,5 %",
            "non torneranno"
        ]
    );
}

/// Issue: typographic variants. A name carried over with another dash or
/// apostrophe is carried over.
#[test]
fn a_name_reaches_the_english_whatever_its_typography() {
    for (italian, english) in [
        (
            "La Regione Emilia–Romagna protesta.",
            "The Emilia-Romagna region protests.",
        ),
        (
            "La Regione Emilia-Romagna protesta.",
            "The Emilia—Romagna region protests.",
        ),
        ("Lo ha detto Dario D’Amico.", "Dario D'Amico said so."),
        ("Lo ha detto Dario D'Amico.", "Dario D’Amico said so."),
    ] {
        assert!(
            missing(&no_terms(), italian, english).is_empty(),
            "{italian} / {english}"
        );
    }
}

#[test]
fn the_checklist_ticks_both_names_of_the_sample_axis() {
    let (mut ws, doc) = crate::testing::workspace_with("sample.txt", crate::testing::SAMPLE);
    let axis = ws
        .segments(doc)
        .unwrap()
        .into_iter()
        .find(|s| s.source == "Così si rafforza l’asse Mosca-Pyongyang")
        .unwrap();
    let ticks = |ws: &Workspace| -> Vec<(String, bool)> {
        checklist(ws, &no_terms(), doc)
            .unwrap()
            .into_iter()
            .filter(|f| f.segment == axis.id && f.kind == FactKind::Name)
            .map(|f| (f.italian, f.found))
            .collect()
    };
    ws.set_target(
        doc,
        axis.id,
        "How the Moscow-Pyongyang axis grows stronger",
        crate::store::Status::Translated,
    )
    .unwrap();
    assert_eq!(
        ticks(&ws),
        [("Mosca".to_string(), true), ("Pyongyang".to_string(), true)]
    );
    ws.set_target(
        doc,
        axis.id,
        "How the Moscow axis grows stronger",
        crate::store::Status::Translated,
    )
    .unwrap();
    assert_eq!(
        ticks(&ws),
        [
            ("Mosca".to_string(), true),
            ("Pyongyang".to_string(), false)
        ]
    );
}
