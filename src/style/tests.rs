//! Each house-style rule: what it suggests in each preset, a true hit of
//! its check and a near miss that must pass.

use super::*;

fn us() -> &'static StyleGuide {
    preset("us-wire").unwrap()
}

fn uk() -> &'static StyleGuide {
    preset("uk-paper").unwrap()
}

fn suggested(style: &StyleGuide, source: &str, rule: Rule) -> Vec<String> {
    suggest(style, source)
        .into_iter()
        .filter(|s| s.rule == rule)
        .map(|s| s.english)
        .collect()
}

fn rules(style: &StyleGuide, source: &str, target: &str) -> Vec<Rule> {
    check(style, source, target)
        .into_iter()
        .map(|(r, _)| r)
        .collect()
}

#[test]
fn numbers_take_the_english_format_and_mld_becomes_billion() {
    let source =
        "Il debito sale a 1.234,5 miliardi: 2,5 milioni di famiglie coinvolte e 3.466 metri.";
    assert_eq!(
        suggested(us(), source, Rule::Numbers),
        ["1,234.5 billion", "2.5 million", "3,466"]
    );
    assert_eq!(
        suggested(uk(), "Servono 4 mld.", Rule::Numbers),
        ["4 billion"]
    );
    // True hit: a scaled number left in the Italian form.
    assert_eq!(
        rules(
            us(),
            "Coinvolti 1,2 milioni di viaggiatori.",
            "Some 1,2 millions travellers were affected."
        ),
        [Rule::Numbers]
    );
    // Near miss: the English form.
    assert!(rules(
        us(),
        "Coinvolti 1,2 milioni di viaggiatori.",
        "Some 1.2 million travellers were affected."
    )
    .is_empty());
}

#[test]
fn money_is_words_in_us_wire_and_symbols_in_uk_paper() {
    let source =
        "Un piano da 5 milioni di euro, 3,5 mld di euro di debito, biglietti a 45 € e 20 dollari.";
    assert_eq!(
        suggested(us(), source, Rule::Money),
        ["5 million euros", "3.5 billion euros", "45 euros", "$20"]
    );
    assert_eq!(
        suggested(uk(), source, Rule::Money),
        ["€5m", "€3.5bn", "€45", "$20"]
    );
    assert_eq!(
        suggested(uk(), "Costa € 120 milioni.", Rule::Money),
        ["€120m"]
    );
    assert_eq!(
        suggested(us(), "Un prestito da 5.000 euro.", Rule::Money),
        ["5,000 euros"]
    );

    let it = "Stanziati 5 milioni di euro.";
    // True hits: each preset's form is the other's mistake.
    assert_eq!(rules(us(), it, "€5m was allocated."), [Rule::Money]);
    assert_eq!(
        rules(uk(), it, "5 million euros was allocated."),
        [Rule::Money]
    );
    // Near misses.
    assert!(rules(us(), it, "5 million euros was allocated.").is_empty());
    assert!(rules(uk(), it, "€5m was allocated.").is_empty());
}

#[test]
fn dates_follow_the_preset_order() {
    let source = "Si vota il 12 marzo 2024 e si chiude il 1° aprile.";
    assert_eq!(
        suggested(us(), source, Rule::Dates),
        ["March 12, 2024", "April 1"]
    );
    assert_eq!(
        suggested(uk(), source, Rule::Dates),
        ["12 March 2024", "1 April"]
    );
    let it = "Si vota il 12 marzo 2024.";
    assert_eq!(
        rules(us(), it, "The vote is on 12 March 2024."),
        [Rule::Dates]
    );
    assert_eq!(
        rules(uk(), it, "The vote is on March 12, 2024."),
        [Rule::Dates]
    );
    assert!(rules(us(), it, "The vote is on March 12, 2024.").is_empty());
    assert!(rules(uk(), it, "The vote is on 12 March 2024.").is_empty());
    // "32 marzo" is not a date.
    assert!(suggested(us(), "Ne arrivano 32 marzo.", Rule::Dates).is_empty());
}

#[test]
fn times_follow_the_preset_clock() {
    let source = "La scossa alle 5.41, poi dalle 18 alle 21 di venerdì e alle ore 12.";
    assert_eq!(
        suggested(us(), source, Rule::Times),
        ["5:41 a.m.", "6 p.m.", "9 p.m.", "noon"]
    );
    assert_eq!(
        suggested(uk(), source, Rule::Times),
        ["5.41am", "6pm", "9pm", "noon"]
    );
    // A count after "alle" is not a time.
    assert!(suggested(us(), "Si è arrivati alle 21 persone.", Rule::Times).is_empty());
    let it = "Il treno parte alle 12.30.";
    assert_eq!(
        rules(us(), it, "The train leaves at 12.30pm."),
        [Rule::Times]
    );
    assert_eq!(
        rules(uk(), it, "The train leaves at 12:30 p.m."),
        [Rule::Times]
    );
    assert!(rules(us(), it, "The train leaves at 12:30 p.m.").is_empty());
    assert!(rules(uk(), it, "The train leaves at 12.30pm.").is_empty());
}

#[test]
fn quotation_marks_and_where_the_full_stop_goes() {
    let it = "«Nessuno resterà indietro», ha detto.";
    assert_eq!(suggested(uk(), it, Rule::Quotes), ["‘ ’"]);
    assert_eq!(
        suggested(us(), it, Rule::Quotes),
        ["“ ”, full stops and commas inside"]
    );
    // True hits.
    assert_eq!(
        rules(us(), it, "‘No one will be left behind,’ he said."),
        [Rule::Quotes]
    );
    assert_eq!(
        rules(uk(), it, "“No one will be left behind,” he said."),
        [Rule::Quotes]
    );
    assert_eq!(
        rules(us(), it, "“No one will be left behind”, he said."),
        [Rule::Quotes]
    );
    assert_eq!(
        rules(us(), it, "\"No one will be left behind,\" he said."),
        [Rule::Quotes]
    );
    // Near misses: the preset's marks; a quotation inside a quotation.
    assert!(rules(us(), it, "“No one will be left behind,” he said.").is_empty());
    assert!(rules(uk(), it, "‘No one will be left behind,’ he said.").is_empty());
    assert!(rules(
        uk(),
        it,
        "‘We heard “no one will be left behind”,’ he said."
    )
    .is_empty());
}

#[test]
fn courtesy_titles() {
    let source = "Il sig. Rossi, la dott.ssa Bianchi, il prof. Neri e l'on. Conti.";
    assert_eq!(
        suggested(us(), source, Rule::Honorifics),
        ["Mr. Rossi", "Dr. Bianchi", "Professor Neri", "Conti"]
    );
    assert_eq!(
        suggested(uk(), source, Rule::Honorifics),
        ["Mr Rossi", "Dr Bianchi", "Prof Neri", "Conti"]
    );
    let it = "Parla il dott. Verdi.";
    assert_eq!(rules(us(), it, "Dr Verdi is speaking."), [Rule::Honorifics]);
    assert_eq!(
        rules(uk(), it, "Dr. Verdi is speaking."),
        [Rule::Honorifics]
    );
    assert!(rules(us(), it, "Dr. Verdi is speaking.").is_empty());
    assert!(rules(uk(), it, "Dr Verdi is speaking.").is_empty());
    assert_eq!(
        rules(uk(), "Ha parlato l'on. Conti.", "Hon. Conti spoke."),
        [Rule::Honorifics]
    );
    assert!(rules(uk(), "Ha parlato l'on. Conti.", "Conti, an MP, spoke.").is_empty());
}

#[test]
fn job_titles_before_names() {
    let source = "La premier Meloni e il presidente Mattarella.";
    assert_eq!(
        suggested(us(), source, Rule::Titles),
        ["Prime Minister Meloni", "President Mattarella"]
    );
    assert_eq!(
        suggested(uk(), source, Rule::Titles),
        ["the prime minister, Meloni", "President Mattarella"]
    );
    let it = "Lo ha detto la premier Meloni.";
    assert_eq!(
        rules(us(), it, "So said prime minister Meloni."),
        [Rule::Titles]
    );
    assert_eq!(
        rules(uk(), it, "So said Prime Minister Meloni."),
        [Rule::Titles]
    );
    assert!(rules(us(), it, "So said Prime Minister Meloni.").is_empty());
    assert!(rules(uk(), it, "So said the prime minister, Giorgia Meloni.").is_empty());
    // A title opening the sentence is capitalised in any style.
    assert!(rules(uk(), it, "Prime Minister Meloni said so.").is_empty());
}

#[test]
fn presets_are_found_by_name() {
    assert_eq!(preset("us-wire").unwrap().headline_chars, 70);
    assert_eq!(preset("uk-paper").unwrap().headline_chars, 60);
    assert!(preset("chicago").is_none());
}
