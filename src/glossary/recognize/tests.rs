//! Recognition on real Italian inflections, elisions and capitals, and on
//! the near misses it must reject.

use super::{key, words, Hit, RecognizerBuilder};

/// The spans found in `text` for `terms` (text, case-sensitive), as the
/// matched text and the term's index.
fn found(terms: &[(&str, bool)], text: &str) -> Vec<(String, usize)> {
    let mut builder = RecognizerBuilder::new();
    for (i, (term, case_sensitive)) in terms.iter().enumerate() {
        assert!(builder.add(term, *case_sensitive, i));
    }
    let recognizer = builder.build();
    let chars: Vec<char> = text.chars().collect();
    recognizer
        .find(text)
        .into_iter()
        .map(|Hit { start, end, term }| (chars[start..end].iter().collect(), term))
        .collect()
}

fn spans(terms: &[&str], text: &str) -> Vec<String> {
    let terms: Vec<(&str, bool)> = terms.iter().map(|t| (*t, false)).collect();
    found(&terms, text).into_iter().map(|(s, _)| s).collect()
}

/// The key of a single word as it appears in text.
fn word_key(word: &str) -> String {
    key(&words(word)[0].folded, false)
}

#[test]
fn gender_and_number_share_a_key() {
    for family in [
        &["nordcoreano", "nordcoreana", "nordcoreani", "nordcoreane"][..],
        &["visita", "visite"],
        &["risoluzione", "risoluzioni"],
        &["ministro", "ministri", "ministra", "ministre"],
        &["tedesco", "tedeschi", "tedesca", "tedesche"],
        &["provincia", "province"],
        &["camicia", "camicie"],
        &["negozio", "negozi"],
        &["sanzione", "sanzioni"],
        &["giornalista", "giornalisti", "giornaliste"],
        &["città", "citta"],
        &["colloquio", "colloqui"],
        &["lago", "laghi"],
    ] {
        let first = word_key(family[0]);
        for form in family {
            assert_eq!(word_key(form), first, "{form} against {}", family[0]);
        }
    }
}

#[test]
fn derived_words_and_neighbours_keep_apart() {
    for (a, b) in [
        ("visita", "visitatori"),
        ("Russia", "russo"),
        ("Grecia", "greco"),
        ("stato", "statale"),
        ("guerra", "guerriglia"),
        ("capo", "capitale"),
        ("Cina", "cinema"),
        ("Onu", "onusto"),
        ("pace", "paese"),
    ] {
        assert_ne!(word_key(a), word_key(b), "{a} and {b}");
    }
}

#[test]
fn words_split_at_apostrophes_and_hyphens_with_character_offsets() {
    let w = words("dell’Onu, l'asse Mosca-Pyongyang è più");
    let texts: Vec<&str> = w.iter().map(|w| w.folded.as_str()).collect();
    assert_eq!(
        texts,
        ["dell", "Onu", "l", "asse", "Mosca", "Pyongyang", "e", "piu"]
    );
    // Offsets count characters: "’" is one, though three bytes.
    assert_eq!((w[1].start, w[1].end), (5, 8));
    assert_eq!((w[7].start, w[7].end), (35, 38));
}

#[test]
fn inflected_elided_multiword_and_capitalised_forms_are_found() {
    let terms = [
        "ministro degli Esteri",
        "Corea del Nord",
        "operazione militare speciale",
        "nordcoreano",
        "Onu",
        "visita",
        "risoluzione",
        "Ucraina",
    ];
    assert_eq!(
        spans(
            &terms,
            "La ministra degli esteri nordcoreana è tornata dalla Corea del Nord."
        ),
        ["ministra degli esteri", "nordcoreana", "Corea del Nord"]
    );
    assert_eq!(
        spans(
            &terms,
            "Le operazioni militari speciali in Ucraina violano le risoluzioni dell’Onu."
        ),
        [
            "operazioni militari speciali",
            "Ucraina",
            "risoluzioni",
            "Onu"
        ]
    );
    assert_eq!(
        spans(&terms, "Due visite ufficiali, all'ONU e sull’Ucraina."),
        ["visite", "ONU", "Ucraina"]
    );
    assert_eq!(
        spans(&terms, "I MINISTRI DEGLI ESTERI NORDCOREANI"),
        ["MINISTRI DEGLI ESTERI", "NORDCOREANI"]
    );
}

#[test]
fn longest_term_first_then_on_after_it() {
    let terms = [
        "ministro",
        "ministro degli Esteri",
        "Esteri",
        "Corea",
        "Corea del Nord",
    ];
    assert_eq!(
        found(
            &terms.map(|t| (t, false)),
            "il ministro degli Esteri della Corea del Nord e il ministro"
        ),
        [
            ("ministro degli Esteri".to_string(), 1),
            ("Corea del Nord".to_string(), 4),
            ("ministro".to_string(), 0)
        ]
    );
}

#[test]
fn near_misses_are_rejected() {
    let terms = [
        "visita",
        "Onu",
        "Russia",
        "Corea del Nord",
        "Stati Uniti",
        "pace",
    ];
    for text in [
        "I visitatori sono arrivati.",
        "Un carico onusto di merci.",
        "Il popolo russo e i russi.",
        "La Corea è divisa; il Nord è povero.",
        "Gli stati d'animo uniti da un filo.",
        "Il paese natale.",
        "Coreani del nord",
    ] {
        assert_eq!(spans(&terms, text), [] as [&str; 0], "{text}");
    }
}

#[test]
fn case_sensitive_terms_need_their_capitals() {
    let terms = [
        ("Camera", true),
        ("Stato", true),
        ("USA", true),
        ("Paese", false),
    ];
    assert_eq!(
        found(
            &terms,
            "La Camera approva; in camera da letto. Lo Stato e lo stato civile."
        ),
        [("Camera".to_string(), 0), ("Stato".to_string(), 1)]
    );
    // Inflection still applies to a case-sensitive term.
    assert_eq!(
        found(&terms, "Gli Stati membri e gli USA, non gli Usa."),
        [("Stati".to_string(), 1), ("USA".to_string(), 2)]
    );
    assert_eq!(
        found(&terms, "nel paese e nei Paesi"),
        [("paese".to_string(), 3), ("Paesi".to_string(), 3)]
    );
}

#[test]
fn a_leading_elided_article_is_not_required() {
    assert_eq!(
        spans(&["L'Aia"], "Il tribunale dell'Aia, all’Aia."),
        ["Aia", "Aia"]
    );
}

#[test]
fn terms_without_words_are_refused() {
    assert!(!RecognizerBuilder::new().add(" – ", false, 0));
}

/// Issue: typographic apostrophes, quotes, dashes and no-break spaces must
/// not hide a term. Each spelling of a group, as a term, finds every other.
#[test]
fn typographic_variants_of_a_term_are_found() {
    for group in [
        &[
            "Consiglio di sicurezza dell'Onu",
            "Consiglio di sicurezza dell’Onu",
            "Consiglio di sicurezza dellʼOnu",
            "Consiglio di sicurezza dell‘Onu",
        ][..],
        &[
            "decreto \"Sicurezza\" bis",
            "decreto “Sicurezza” bis",
            "decreto «Sicurezza» bis",
        ],
        &[
            "asse Mosca-Pyongyang",
            "asse Mosca–Pyongyang",
            "asse Mosca—Pyongyang",
        ],
        &[
            "Corte costituzionale",
            "Corte\u{A0}costituzionale",
            "Corte\u{202F}costituzionale",
        ],
    ] {
        for term in group {
            for spelling in group {
                let text = format!("Ieri il {spelling} ha deciso.");
                assert_eq!(spans(&[term], &text), [*spelling], "{term:?} in {text:?}");
            }
        }
    }
    // A leading elided article written with ʼ is left out as with '.
    assert_eq!(
        spans(&["LʼAia"], "Il tribunale dell'Aia, all’Aia."),
        ["Aia", "Aia"]
    );
}
