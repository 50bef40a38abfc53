//! Unit tests of the built-in Italian rules.

use super::ItalianRules;

fn check(text: &str, expected: &[&str]) {
    let rules = ItalianRules::new::<&str>(&[]);
    let got: Vec<&str> = rules.split(text).into_iter().map(|r| &text[r]).collect();
    assert_eq!(got, expected, "segmenting {text:?}");
}

#[test]
fn headline_without_final_stop_is_one_segment() {
    check(
        "Putin va da Kim. Così si rafforza l’asse Mosca-Pyongyang",
        &[
            "Putin va da Kim.",
            "Così si rafforza l’asse Mosca-Pyongyang",
        ],
    );
}

#[test]
fn closing_quote_stays_with_its_sentence() {
    check(
        "Putin avrebbe “espresso la volontà di visitare la Corea del Nord al più presto”. La ministra è tornata.",
        &[
            "Putin avrebbe “espresso la volontà di visitare la Corea del Nord al più presto”.",
            "La ministra è tornata.",
        ],
    );
    check(
        "Ha detto: «Torneremo presto.» Poi è partito.",
        &["Ha detto: «Torneremo presto.»", "Poi è partito."],
    );
    check(
        "(Lo ha confermato.) Poi basta.",
        &["(Lo ha confermato.)", "Poi basta."],
    );
}

#[test]
fn titles_do_not_end_sentences() {
    check(
        "Buongiorno! Sono l'Ing. Mengozzi. È presente l'Avv. Cassioni?",
        &[
            "Buongiorno!",
            "Sono l'Ing. Mengozzi.",
            "È presente l'Avv. Cassioni?",
        ],
    );
    check(
        "Lo ha detto il Dott. Rossi. La Dott.ssa Bianchi e il Prof. Verdi no.",
        &[
            "Lo ha detto il Dott. Rossi.",
            "La Dott.ssa Bianchi e il Prof. Verdi no.",
        ],
    );
    check(
        "C'era l'On. Meloni e Mons. Paglia.",
        &["C'era l'On. Meloni e Mons. Paglia."],
    );
    check("Parla il Gen. Figliuolo.", &["Parla il Gen. Figliuolo."]);
}

#[test]
fn reference_abbreviations_before_numbers() {
    check(
        "Si veda l'art. 21 della Costituzione e la pag. 3. Poi il cap. 4.",
        &[
            "Si veda l'art. 21 della Costituzione e la pag. 3.",
            "Poi il cap. 4.",
        ],
    );
    check(
        "Mi fissi un appuntamento per mar. 23 Nov.. Grazie.",
        &["Mi fissi un appuntamento per mar. 23 Nov..", "Grazie."],
    );
    check(
        "Nel 2000. 20 persone morirono.",
        &["Nel 2000.", "20 persone morirono."],
    );
}

#[test]
fn ecc_ends_a_sentence_before_a_capital() {
    check(
        "Pane, latte, ecc. Poi siamo usciti.",
        &["Pane, latte, ecc.", "Poi siamo usciti."],
    );
    check("Pane, latte ecc. e altro.", &["Pane, latte ecc. e altro."]);
}

#[test]
fn company_forms_and_initials() {
    check("La Fiat S.p.A. Ha chiuso.", &["La Fiat S.p.A. Ha chiuso."]);
    check(
        "J. F. Kennedy fu ucciso a Dallas. Il mondo pianse.",
        &["J. F. Kennedy fu ucciso a Dallas.", "Il mondo pianse."],
    );
    check("Gli U.S.A. Sono lontani.", &["Gli U.S.A. Sono lontani."]);
}

#[test]
fn numbers_do_not_break() {
    check(
        "La casa costa 1.234,56 euro. Alle 10.30 del 12.03.2024 era al 1° posto. Crescita del 3.5 per cento.",
        &[
            "La casa costa 1.234,56 euro.",
            "Alle 10.30 del 12.03.2024 era al 1° posto.",
            "Crescita del 3.5 per cento.",
        ],
    );
    check(
        "Il corridore 103 è arrivato 4°. Bene.",
        &["Il corridore 103 è arrivato 4°.", "Bene."],
    );
}

#[test]
fn urls_and_email_addresses() {
    check(
        "Scrivete a redazione@giornale.it. Oppure visitate www.giornale.it/news.html. Grazie.",
        &[
            "Scrivete a redazione@giornale.it.",
            "Oppure visitate www.giornale.it/news.html.",
            "Grazie.",
        ],
    );
    check(
        "Vedi https://example.org/a.b?c=1 per dettagli.",
        &["Vedi https://example.org/a.b?c=1 per dettagli."],
    );
}

#[test]
fn ellipsis_and_clusters() {
    check("E poi… Niente.", &["E poi…", "Niente."]);
    check("E poi... Niente.", &["E poi...", "Niente."]);
    check(
        "Il/la sottoscritto/a ... nato/a a ...",
        &["Il/la sottoscritto/a ... nato/a a ..."],
    );
    check("Davvero?! Sì.", &["Davvero?!", "Sì."]);
    check("«Davvero?» chiese lui.", &["«Davvero?» chiese lui."]);
}

#[test]
fn next_sentence_may_open_with_a_quote() {
    check(
        "Lo ha detto ieri. «Il mondo ha voltato le spalle» ha aggiunto.",
        &[
            "Lo ha detto ieri.",
            "«Il mondo ha voltato le spalle» ha aggiunto.",
        ],
    );
}

#[test]
fn user_abbreviations_extend_the_rules() {
    let text = "Lo ha detto il psichiatr. Rossi.";
    let plain = ItalianRules::new::<&str>(&[]);
    assert_eq!(plain.split(text).len(), 2);
    let extended = ItalianRules::new(&["Psichiatr."]);
    assert_eq!(extended.split(text).len(), 1);
}

#[test]
fn whitespace_only_and_empty_text() {
    check("", &[]);
    check("   ", &[]);
    check("  Una frase.  ", &["Una frase."]);
}

#[test]
fn long_run_of_dotted_letters_stays_linear() {
    // Far longer than any word: must neither panic nor take quadratic time.
    let text = format!("{} Fine.", "ab.".repeat(200_000));
    let rules = ItalianRules::new::<&str>(&[]);
    assert_eq!(rules.split(&text).len(), 2);
}

#[test]
fn numbered_headings_stay_whole() {
    check(
        "907. Distanza delle costruzioni dalle vedute. Il proprietario decide.",
        &[
            "907. Distanza delle costruzioni dalle vedute.",
            "Il proprietario decide.",
        ],
    );
    check("1. Definizioni", &["1. Definizioni"]);
}

#[test]
fn spaced_ellipsis_marks_an_omission() {
    check(
        "Dalla Rue Cassini a ... Versailles, in Italia. Poi basta.",
        &[
            "Dalla Rue Cassini a ... Versailles, in Italia.",
            "Poi basta.",
        ],
    );
    check(
        "Disse che saremmo usciti con i piedi avanti ...\". Il duro attacca.",
        &[
            "Disse che saremmo usciti con i piedi avanti ...\".",
            "Il duro attacca.",
        ],
    );
    check(
        "\"Ei fu [...]\" (Manzoni). Fine.",
        &["\"Ei fu [...]\" (Manzoni).", "Fine."],
    );
}

#[test]
fn abbreviations_that_close_a_sentence_end_it_before_a_capital() {
    check(
        "Fu fondata nel 753 a.C. Roma divenne poi un impero.",
        &["Fu fondata nel 753 a.C.", "Roma divenne poi un impero."],
    );
    check(
        "Fu fondata nel 753 a.C. a Roma.",
        &["Fu fondata nel 753 a.C. a Roma."],
    );
    check(
        "Morì nel 14 d.C. Gli successe Tiberio.",
        &["Morì nel 14 d.C.", "Gli successe Tiberio."],
    );
    check(
        "Il marchio è ora della Stellantis S.p.A. Il gruppo ha sede ad Amsterdam.",
        &[
            "Il marchio è ora della Stellantis S.p.A.",
            "Il gruppo ha sede ad Amsterdam.",
        ],
    );
    // Among a sentence's first words, the date or the name opens it.
    check(
        "Nel 44 a.C. Cesare fu ucciso.",
        &["Nel 44 a.C. Cesare fu ucciso."],
    );
    check("Nel 44 a.C. 23 pugnalate.", &["Nel 44 a.C. 23 pugnalate."]);
    check(
        "Ne scrisse il critico letterario A.C. Bradley.",
        &["Ne scrisse il critico letterario A.C. Bradley."],
    );
}
