//! Each check with a true hit and a near miss it must let pass.

use super::{check_document, check_segment, tags_check, Check};
use crate::glossary::TermMatcher;
use crate::store::Status;
use crate::termbase::Entry;
use crate::testing::{workspace_with, SAMPLE, TYPOGRAPHY_PAIRS};

fn checks(source: &str, target: &str) -> Vec<Check> {
    check_segment(source, target)
        .into_iter()
        .map(|(check, _)| check)
        .collect()
}

fn message(source: &str, target: &str, check: Check) -> String {
    check_segment(source, target)
        .into_iter()
        .find(|(c, _)| *c == check)
        .map(|(_, m)| m)
        .unwrap_or_else(|| panic!("no {check:?} finding for {target:?}"))
}

#[test]
fn numbers() {
    // Hits: a changed value, a missing one, the Italian format kept.
    assert_eq!(
        message(
            "Il debito è di 1.234,56 euro.",
            "The debt is 1,234.65 euros.",
            Check::Numbers
        ),
        "1.234,56 is missing; 1,234.65 is not in the Italian"
    );
    assert_eq!(
        message(
            "Sono morte 12 persone nel 2023.",
            "People died in 2023.",
            Check::Numbers
        ),
        "12 is missing"
    );
    assert_eq!(
        message(
            "Il Pil cresce del 3,5%.",
            "GDP grows by 3,5%.",
            Check::Numbers
        ),
        "3,5 is written the Italian way"
    );
    assert!(checks("Costa 1.234,5 euro.", "It costs 1.234,5 euros.").contains(&Check::Numbers));
    // Near misses: English formats, spelled-out numbers, years, dates.
    for (source, target) in [
        (
            "Il debito è di 1.234,56 euro.",
            "The debt is 1,234.56 euros.",
        ),
        ("Il Pil cresce del 3,5%.", "GDP grows by 3.5%."),
        ("Sono arrivati 3 ministri.", "Three ministers arrived."),
        (
            "Sono arrivati tre ministri, 2 sottosegretari.",
            "3 ministers and two undersecretaries arrived.",
        ),
        ("Nel 2000 erano 2.000.", "In 2000 there were 2,000."),
        ("Il 12/03/2024 alle 18.", "On 12/03/2024 at 18."),
        ("Un aumento di 1,2 miliardi.", "A rise of 1.2 billion."),
    ] {
        assert!(
            !checks(source, target).contains(&Check::Numbers),
            "{target}"
        );
    }
}

#[test]
fn empty_and_same_as_source() {
    assert_eq!(checks("Putin va da Kim.", "  "), [Check::Empty]);
    assert!(checks(
        "Putin va da Kim a Pyongyang.",
        "Putin va da Kim a Pyongyang."
    )
    .contains(&Check::SameAsSource));
    // Names are the same in both languages.
    assert!(!checks("Kim Jong Un", "Kim Jong Un").contains(&Check::SameAsSource));
    assert!(!checks("Mosca e Pyongyang", "Mosca e Pyongyang").contains(&Check::SameAsSource));
}

#[test]
fn spaces() {
    assert_eq!(
        message("Putin va da Kim.", " Putin goes  to Kim. ", Check::Spaces),
        "spaces at the start, at the end, doubled"
    );
    assert!(!checks("Putin va da Kim.", "Putin goes to Kim.").contains(&Check::Spaces));
    // Spaces the Italian has too are the layout's.
    assert!(!checks("Putin va da  Kim.", "Putin goes to  Kim.").contains(&Check::Spaces));
}

#[test]
fn final_punctuation() {
    assert_eq!(
        message(
            "Putin va da Kim?",
            "Putin goes to Kim.",
            Check::FinalPunctuation
        ),
        "the Italian ends with “?”, the English with “.”"
    );
    assert!(checks("Putin va da Kim", "Putin goes to Kim.").contains(&Check::FinalPunctuation));
    // Closing quotes come after the mark in either style; "..." is "…".
    assert!(
        !checks("«Andremo a Mosca.»", "“We will go to Moscow.”").contains(&Check::FinalPunctuation)
    );
    assert!(!checks("Ha detto: «verremo».", "He said: “we will come”.")
        .contains(&Check::FinalPunctuation));
    assert!(!checks("E poi…", "And then...").contains(&Check::FinalPunctuation));
}

#[test]
fn unpaired_quotes_and_brackets() {
    assert_eq!(
        message(
            "Ha detto «basta» (ieri).",
            "He said “enough (yesterday).",
            Check::Unpaired
        ),
        "unpaired “”"
    );
    assert!(
        checks("Ha detto (ieri) basta.", "He said (yesterday enough.").contains(&Check::Unpaired)
    );
    assert!(
        !checks("Ha detto «basta» (ieri).", "He said “enough” (yesterday).")
            .contains(&Check::Unpaired)
    );
    // A quotation that runs on into the next segment is not the translator's doing.
    assert!(!checks("«Andremo a Mosca.", "“We will go to Moscow.").contains(&Check::Unpaired));
}

#[test]
fn italian_quotes() {
    assert_eq!(
        message(
            "Ha detto «basta».",
            "He said «enough».",
            Check::ItalianQuotes
        ),
        "Italian quotation marks «» in the English; use “ ”"
    );
    assert!(!checks("Ha detto «basta».", "He said “enough”.").contains(&Check::ItalianQuotes));
}

#[test]
fn capitalisation() {
    assert!(checks("Putin va da Kim.", "putin goes to Kim.").contains(&Check::Capitalisation));
    assert!(!checks("«Andremo.»", "“We will go.”").contains(&Check::Capitalisation));
    assert!(
        !checks("Apple lancia l'iPhone.", "iPhone launched by Apple.")
            .contains(&Check::Capitalisation)
    );
    assert!(!checks("e poi andò via.", "and then he left.").contains(&Check::Capitalisation));
}

#[test]
fn length() {
    let source = "Il presidente russo intende rafforzare ancora di più i legami tra i due Paesi.";
    assert!(checks(source, "Putin.").contains(&Check::Length));
    assert!(!checks(
        source,
        "The Russian president intends to strengthen the ties between the two countries further."
    )
    .contains(&Check::Length));
    // Short segments vary too much to judge.
    assert!(!checks("Sì.", "Yes, indeed, he said so.").contains(&Check::Length));
}

#[test]
fn document_checks_terms_inconsistency_and_ignoring() {
    let text =
        "Il Cremlino tace.\n\nIl Cremlino tace.\n\nIl Cremlino parla.\n\nIl Cremlino parla.\n";
    let (mut ws, doc) = workspace_with("doc.txt", text);
    let ids: Vec<i64> = ws.segments(doc).unwrap().iter().map(|s| s.id).collect();
    ws.set_target(doc, ids[0], "The Kremlin is silent.", Status::Translated)
        .unwrap();
    ws.set_target(doc, ids[1], "Moscow says nothing.", Status::Translated)
        .unwrap();
    ws.set_target(doc, ids[2], "The Kremlin speaks.", Status::Translated)
        .unwrap();
    // Near misses: the same English for the same Italian, and the term used.
    ws.set_target(doc, ids[3], "The Kremlin speaks.", Status::Translated)
        .unwrap();
    let terms = TermMatcher::new(vec![Entry::pair("Cremlino", "Kremlin")]);
    let found: Vec<(i64, &str, String)> = check_document(&ws, &terms, doc, None)
        .unwrap()
        .into_iter()
        .map(|f| (f.segment, f.check.as_str(), f.message))
        .collect();
    assert_eq!(
        found,
        [
            (
                ids[1],
                "terms",
                "“Cremlino” should be translated as “Kremlin”".to_string()
            ),
            (
                ids[1],
                "inconsistent",
                format!(
                    "the same Italian is translated “The Kremlin is silent.” in segment {}",
                    ids[0]
                )
            ),
        ]
    );
    // Ignored, it is gone; once the English changes, it is back.
    ws.ignore_qa(doc, ids[1], "terms").unwrap();
    let checks_of = |ws: &crate::Workspace| -> Vec<&'static str> {
        check_document(ws, &terms, doc, None)
            .unwrap()
            .into_iter()
            .map(|f| f.check.as_str())
            .collect()
    };
    assert_eq!(checks_of(&ws), ["inconsistent"]);
    ws.set_target(doc, ids[1], "Moscow is silent.", Status::Translated)
        .unwrap();
    assert_eq!(checks_of(&ws), ["terms", "inconsistent"]);
}

#[test]
fn the_sample_half_translated_reports_only_what_is_wrong() {
    let (mut ws, doc) = workspace_with("sample.txt", SAMPLE);
    let segments: Vec<_> = ws
        .segments(doc)
        .unwrap()
        .into_iter()
        .filter(|s| s.translatable.is_translatable())
        .collect();
    ws.set_target(
        doc,
        segments[0].id,
        "Putin goes to Kim.",
        Status::Translated,
    )
    .unwrap();
    ws.set_target(doc, segments[2].id, "On her return from an official visit to Moscow, the North Korean foreign minister announces a visit by Putin to the Asian country.", Status::Translated).unwrap();
    let findings = check_document(&ws, &TermMatcher::new(Vec::new()), doc, None).unwrap();
    let not_empty: Vec<_> = findings
        .iter()
        .filter(|f| f.check != Check::Empty)
        .collect();
    assert!(not_empty.is_empty(), "{not_empty:?}");
    assert_eq!(findings.len(), segments.len() - 2, "the others are empty");
}

#[test]
fn headline_and_standfirst_budgets_house_style_and_first_mentions() {
    let html = "<article><h1>Il governo approva il decreto sulla riforma del catasto</h1>\
        <p class=\"summary\">Nuove rendite dal 2026: nessun aumento delle tasse, promette il ministro.</p>\
        <p>Fratelli d'Italia vota a favore. Il decreto vale 5 milioni di euro.</p></article>";
    let (mut ws, doc) = workspace_with("a.html", html);
    let ids: Vec<i64> = ws.segments(doc).unwrap().iter().map(|s| s.id).collect();
    let us = crate::style::preset("us-wire").unwrap();
    let uk = crate::style::preset("uk-paper").unwrap();
    // 63 characters: within the US budget (70), over the UK one (60).
    let headline = "Italian government approves decree overhauling the property tax";
    assert_eq!(headline.chars().count(), 63);
    ws.set_target(doc, ids[0], headline, Status::Translated)
        .unwrap();
    ws.set_target(
        doc,
        ids[1],
        "New valuations from 2026: no tax rises, the minister promises.",
        Status::Translated,
    )
    .unwrap();
    ws.set_target(doc, ids[2], "FdI votes in favour.", Status::Translated)
        .unwrap();
    ws.set_target(doc, ids[3], "The decree is worth €5m.", Status::Translated)
        .unwrap();
    let found = |style| -> Vec<(i64, &'static str, String)> {
        check_document(&ws, &TermMatcher::new(Vec::new()), doc, style)
            .unwrap()
            .into_iter()
            .map(|f| (f.segment, f.check.as_str(), f.message))
            .collect()
    };
    let first_mention = (
        ids[2],
        "first-mention",
        "“FdI” before it is introduced: write “Brothers of Italy (FdI)” at first mention"
            .to_string(),
    );
    assert_eq!(
        found(Some(us)),
        [
            first_mention.clone(),
            (
                ids[3],
                "style",
                "money: “5 milioni di euro” is “5 million euros” in US wire style".to_string()
            ),
        ]
    );
    assert_eq!(
        found(Some(uk)),
        [
            (
                ids[0],
                "headline-length",
                "the headline has 63 characters; UK newspaper style allows 60".to_string()
            ),
            first_mention.clone(),
        ]
    );
    // Without a house style, neither budgets nor house rules apply.
    assert_eq!(found(None), [first_mention]);
}

/// Issue: typographic variants. The same Italian written with ’ or ' is
/// the same sentence, so another English for it is an inconsistency; an
/// English that differs only in its typography is the same translation.
#[test]
fn inconsistency_sees_through_typography() {
    let article: String = TYPOGRAPHY_PAIRS
        .iter()
        .map(|(_, t, p)| format!("{t}\n\n{p}\n\n{p}\n\n"))
        .collect();
    let (mut ws, doc) = workspace_with("doc.txt", &article);
    let segments = ws.segments(doc).unwrap();
    assert_eq!(segments.len(), 3 * TYPOGRAPHY_PAIRS.len());
    let mut expected = Vec::new();
    for (trio, (kind, _, _)) in segments.chunks(3).zip(TYPOGRAPHY_PAIRS) {
        let english = format!("It’s the “{kind}” case.");
        let typed = crate::text::fold_typography(&english).into_owned();
        for (segment, target) in trio.iter().zip([&english, "Another English.", &typed]) {
            ws.set_target(doc, segment.id, target, Status::Translated)
                .unwrap();
        }
        expected.push(trio[1].id);
    }
    let inconsistent: Vec<i64> = check_document(&ws, &TermMatcher::new(vec![]), doc, None)
        .unwrap()
        .into_iter()
        .filter(|f| f.check == Check::Inconsistent)
        .map(|f| f.segment)
        .collect();
    assert_eq!(inconsistent, expected);
}

#[test]
fn same_as_source_sees_through_typography() {
    for (kind, typographic, plain) in TYPOGRAPHY_PAIRS {
        assert!(
            checks(typographic, plain).contains(&Check::SameAsSource),
            "{kind}"
        );
        assert!(
            checks(plain, typographic).contains(&Check::SameAsSource),
            "{kind}"
        );
    }
}

#[test]
fn names_in_a_hyphenated_compound_are_found_in_the_english_compound() {
    let (mut ws, doc) = workspace_with("sample.txt", SAMPLE);
    let axis = ws
        .segments(doc)
        .unwrap()
        .into_iter()
        .find(|s| s.source == "Così si rafforza l’asse Mosca-Pyongyang")
        .unwrap();
    let names = |ws: &crate::Workspace| -> Vec<String> {
        check_document(ws, &TermMatcher::new(Vec::new()), doc, None)
            .unwrap()
            .into_iter()
            .filter(|f| f.segment == axis.id && f.check == Check::Names)
            .map(|f| f.message)
            .collect()
    };
    ws.set_target(
        doc,
        axis.id,
        "How the Moscow-Pyongyang axis grows stronger",
        Status::Translated,
    )
    .unwrap();
    assert_eq!(names(&ws), Vec::<String>::new());
    // Near miss: one of the two left out.
    ws.set_target(
        doc,
        axis.id,
        "How the Moscow axis grows stronger",
        Status::Translated,
    )
    .unwrap();
    assert_eq!(names(&ws), ["“Pyongyang” is not in the English"]);
}

/// Writes `[n`, `n]` and `{n}` as the marks of code n.
fn tagged(text: &str) -> String {
    use crate::text::codes::Mark;
    let mut out = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let digit = |c: char| c.to_digit(10).map(|d| d as u16);
        match c {
            '[' => out.push(Mark::Open(digit(chars.next().unwrap()).unwrap()).char()),
            '{' => {
                out.push(Mark::Standalone(digit(chars.next().unwrap()).unwrap()).char());
                chars.next();
            }
            c if c.is_ascii_digit() && chars.peek() == Some(&']') => {
                chars.next();
                out.push(Mark::Close(digit(c).unwrap()).char());
            }
            c => out.push(c),
        }
    }
    out
}

#[test]
fn tags_missing_added_doubled_and_broken() {
    let tags = |source: &str, target: &str| tags_check(&tagged(source), &tagged(target));
    let source = "Il [1sindaco1] di Roma{2} ha [3parlato3].";
    assert_eq!(tags(source, "The Rome{2} [1mayor1] has [3spoken3]."), None);
    assert_eq!(
        tags(source, "The [1mayor1] of Rome has spoken."),
        Some("missing <2/> <3> </3>".into())
    );
    assert_eq!(
        tags(source, "The [1mayor1] of Rome{2}{2} has [3spoken3]."),
        Some("<2/> is there twice".into())
    );
    assert_eq!(
        tags(source, "The 1]mayor[1 of Rome{2} has [3spoken3]."),
        Some("<1> closes before it opens".into())
    );
    assert_eq!(
        tags(source, "The [1mayor [3of1] Rome{2} has spoken3]."),
        Some("<1> closes inside <3>: the codes cross".into())
    );
    // One end of a link that runs into the next sentence stands alone.
    assert_eq!(tags("Leggi [1il rapporto.", "Read [1the report."), None);
    assert!(tags("Leggi [1il rapporto.", "Read the report.").is_some());
}

#[test]
fn other_checks_read_the_text_without_its_codes() {
    let source = tagged("Il [1sindaco1] parla.");
    let target = tagged("[1The mayor1] speaks.");
    assert!(
        checks(&source, &target).is_empty(),
        "{:?}",
        checks(&source, &target)
    );
}
