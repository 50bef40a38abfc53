//! What is flagged and what the workspace vouches for.

use std::collections::HashSet;

use super::{proper_nouns, Checker, Lexicon, Misspelling};
use crate::store::settings::EnglishVariant;
use crate::store::Workspace;
use crate::termbase::Entry;
use crate::testing::workspace_with;

const ITALIAN: &str =
    "Il ministro Crosetto ha espresso all'Ansa la disponibilità del governo a Bruxelles.";

/// The words of `target` flagged in the sample document of a workspace.
fn flagged(
    ws: &Workspace,
    variant: EnglishVariant,
    lexicon: &Lexicon,
    target: &str,
) -> Vec<String> {
    let names = proper_nouns([ITALIAN]);
    let checker = Checker::new(ws, variant, lexicon, &names, 1).unwrap();
    checker
        .misspellings(target)
        .unwrap()
        .into_iter()
        .map(|m| m.word)
        .collect()
}

fn check(target: &str, expect: &[&str]) {
    let (ws, _) = workspace_with("a.txt", ITALIAN);
    assert_eq!(
        flagged(&ws, EnglishVariant::Gb, &Lexicon::default(), target),
        expect,
        "{target}"
    );
}

#[test]
fn misspellings_are_flagged_and_english_is_not() {
    check(
        "The minister expresed the government's wilingness, as posible.",
        &["expresed", "wilingness", "posible"],
    );
    check("The minister expressed the government's willingness.", &[]);
    // Typographic apostrophes read as typed ones.
    check("The government’s view didn’t change.", &[]);
}

#[test]
fn the_variant_decides_colour_and_color() {
    let (ws, _) = workspace_with("a.txt", ITALIAN);
    let lexicon = Lexicon::default();
    assert_eq!(
        flagged(&ws, EnglishVariant::Gb, &lexicon, "The colour of the flag."),
        Vec::<String>::new()
    );
    assert_eq!(
        flagged(&ws, EnglishVariant::Gb, &lexicon, "The color of the flag."),
        ["color"]
    );
    assert_eq!(
        flagged(&ws, EnglishVariant::Us, &lexicon, "The colour of the flag."),
        ["colour"]
    );
    assert_eq!(
        flagged(&ws, EnglishVariant::Us, &lexicon, "The color of the flag."),
        Vec::<String>::new()
    );
}

#[test]
fn the_articles_proper_nouns_numbers_codes_and_addresses_are_not_checked() {
    // "Crosetto" is a capitalised word of the Italian; "Crosetto's" too.
    check("Crosetto's remarks to Ansa in Brussels.", &[]);
    // Not a name of this article.
    check("Crosettto spoke.", &["Crosettto"]);
    check(
        "The G7 met on 12 March; NATO, the A4 and 3rd place; see https://www.governo.it/notizie or write to ufficio.stampa@governo.it.",
        &[],
    );
}

#[test]
fn glossary_terms_and_the_users_words_are_not_flagged() {
    let (mut ws, doc) = workspace_with("a.txt", ITALIAN);
    let lexicon = Lexicon::new(
        &["Interlinea".to_string()],
        &[Entry::pair(
            "reddito di cittadinanza",
            "citizenship incomee",
        )],
    );
    assert_eq!(
        flagged(
            &ws,
            EnglishVariant::Gb,
            &lexicon,
            "Interlinea checks the citizenship incomee."
        ),
        Vec::<String>::new()
    );
    // The user's dictionary as stored, and a word ignored in this document.
    ws.add_spelling_word("Melonomics").unwrap();
    ws.ignore_spelling_word(doc, "thingamajigg").unwrap();
    let lexicon = Lexicon::new(&ws.spelling_words().unwrap(), &[]);
    assert_eq!(
        flagged(
            &ws,
            EnglishVariant::Gb,
            &lexicon,
            "Melonomics and a thingamajigg and a flibbertigibbett."
        ),
        ["flibbertigibbett"]
    );
}

#[test]
fn words_of_an_imported_tms_english_are_not_flagged_the_workspace_tms_are() {
    let (mut ws, _) = workspace_with("a.txt", ITALIAN);
    let tmx = r#"<tmx version="1.4"><header srclang="it"/><body>
        <tu><tuv xml:lang="it"><seg>Il Mattarellum.</seg></tuv><tuv xml:lang="en"><seg>The Mattarellum law.</seg></tuv></tu>
        </body></tmx>"#;
    ws.import_tmx(
        tmx.as_bytes(),
        "news",
        false,
        &mut |_, _| {},
        &mut |_, _| {},
    )
    .unwrap();
    ws.sync_concordance().unwrap();
    assert_eq!(
        flagged(
            &ws,
            EnglishVariant::Gb,
            &Lexicon::default(),
            "the mattarellum"
        ),
        Vec::<String>::new()
    );
    // A misspelling the translator confirmed is in the workspace TM, and
    // still a misspelling.
    let segment = ws.blocks(1).unwrap()[0].segments[0].id;
    ws.set_target(
        1,
        segment,
        "He expresed it.",
        crate::store::Status::Translated,
    )
    .unwrap();
    ws.remember(1, segment).unwrap();
    ws.sync_concordance().unwrap();
    assert_eq!(
        flagged(
            &ws,
            EnglishVariant::Gb,
            &Lexicon::default(),
            "He expresed it."
        ),
        ["expresed"]
    );
}

#[test]
fn offsets_count_characters_and_codes() {
    let (ws, _) = workspace_with("a.txt", ITALIAN);
    let names = HashSet::new();
    let lexicon = Lexicon::default();
    let checker = Checker::new(&ws, EnglishVariant::Gb, &lexicon, &names, 1).unwrap();
    // "È" is one character, each code mark another; the word is underlined
    // without the codes around it.
    let target = "È \u{E000}wel\u{E800} expresed";
    assert_eq!(
        checker.misspellings(target).unwrap(),
        [
            Misspelling {
                start: 3,
                end: 6,
                word: "wel".into()
            },
            Misspelling {
                start: 8,
                end: 16,
                word: "expresed".into()
            }
        ]
    );
}

#[test]
fn suggestions_put_the_likely_word_first() {
    let (ws, _) = workspace_with("a.txt", ITALIAN);
    let names = HashSet::new();
    let lexicon = Lexicon::default();
    let checker = Checker::new(&ws, EnglishVariant::Gb, &lexicon, &names, 1).unwrap();
    assert_eq!(checker.suggest("expresed", 5)[0], "expressed");
    assert!(checker
        .suggest("wilingness", 5)
        .contains(&"willingness".into()));
}
