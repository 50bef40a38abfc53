//! Unit tests of the SRX reader and engine.

use super::{translate_java_regex, SrxDocument, SrxError, SrxRules};

const SAMPLE: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<srx xmlns="http://www.lisa.org/srx20" version="2.0">
  <header segmentsubflows="yes" cascade="yes"><formathandle type="start" include="no"/></header>
  <body>
    <languagerules>
      <languagerule languagerulename="Italian">
        <rule break="no"><beforebreak>\b(Sig|Dott)\.</beforebreak><afterbreak>\s</afterbreak></rule>
      </languagerule>
      <languagerule languagerulename="Default">
        <rule break="yes"><beforebreak>[\.\?!]+</beforebreak><afterbreak>\s+\p{Lu}</afterbreak></rule>
        <rule break="yes"><beforebreak>&#x2026;</beforebreak><afterbreak>\s</afterbreak></rule>
      </languagerule>
    </languagerules>
    <maprules>
      <languagemap languagepattern="IT.*" languagerulename="Italian"/>
      <languagemap languagepattern=".*" languagerulename="Default"/>
    </maprules>
  </body>
</srx>"#;

fn split(rules: &SrxRules, text: &str) -> Vec<String> {
    rules
        .split(text)
        .into_iter()
        .map(|r| text[r].to_string())
        .collect()
}

#[test]
fn parses_rules_and_maps() {
    let doc = SrxDocument::parse(SAMPLE).unwrap();
    assert!(doc.cascade);
    assert_eq!(doc.language_rules.len(), 2);
    assert_eq!(doc.language_rules[1].1.len(), 2);
    assert_eq!(doc.language_rules[1].1[1].before, "\u{2026}");
    assert_eq!(doc.maps.len(), 2);
}

#[test]
fn cascade_applies_every_matching_map_case_insensitively() {
    let doc = SrxDocument::parse(SAMPLE).unwrap();
    let rules = SrxRules::compile::<&str>(&doc, "it-IT", &[]).unwrap();
    assert_eq!(
        split(&rules, "Parla il Sig. Rossi. Poi va via… e torna."),
        ["Parla il Sig. Rossi.", "Poi va via…", "e torna."]
    );
    // English gets only the default rules, so "Sig." breaks.
    let english = SrxRules::compile::<&str>(&doc, "en", &[]).unwrap();
    assert_eq!(split(&english, "Il Sig. Rossi.").len(), 2);
}

#[test]
fn without_cascade_only_the_first_map_applies() {
    let doc = SrxDocument::parse(&SAMPLE.replace("cascade=\"yes\"", "cascade=\"no\"")).unwrap();
    let rules = SrxRules::compile::<&str>(&doc, "it", &[]).unwrap();
    // Only the Italian no-break rule: nothing ever breaks.
    assert_eq!(split(&rules, "Uno. Due.").len(), 1);
}

#[test]
fn user_exceptions_come_first() {
    let doc = SrxDocument::parse(SAMPLE).unwrap();
    let rules = SrxRules::compile(&doc, "it", &["psichiatr."]).unwrap();
    assert_eq!(split(&rules, "Lo psichiatr. Rossi parla.").len(), 1);
}

#[test]
fn refuses_doctype_and_garbage() {
    let bomb = r#"<?xml version="1.0"?><!DOCTYPE srx [<!ENTITY a "aaaa">]><srx/>"#;
    assert!(matches!(SrxDocument::parse(bomb), Err(SrxError::Doctype)));
    assert!(matches!(
        SrxDocument::parse("<html/>"),
        Err(SrxError::NotSrx(_))
    ));
    assert!(matches!(
        SrxDocument::parse("<srx><body>"),
        Err(SrxError::Xml(_)) | Ok(_)
    ));
    let missing_language = SrxDocument::parse(&SAMPLE.replace(".*\"", "EN.*\"")).unwrap();
    assert!(matches!(
        SrxRules::compile::<&str>(&missing_language, "de", &[]),
        Err(SrxError::NoLanguage(_))
    ));
}

#[test]
fn reports_the_rule_with_a_bad_pattern() {
    let broken = SAMPLE.replace(r"\b(Sig|Dott)\.", r"\b(Sig|Dott\.");
    let doc = SrxDocument::parse(&broken).unwrap();
    let err = SrxRules::compile::<&str>(&doc, "it", &[]).unwrap_err();
    assert!(matches!(err, SrxError::Pattern { rule: 1, .. }), "{err}");
}

#[test]
fn java_syntax_is_translated() {
    assert_eq!(translate_java_regex(r"\u00BB"), r"\x{00BB}");
    assert_eq!(translate_java_regex(r"(?U)\w"), r"\w");
    assert_eq!(translate_java_regex(r"(?iu)box"), r"(?i)box");
    assert!(translate_java_regex(r"[\h]").starts_with(r"[\t"));
    assert!(translate_java_regex(r"\h").starts_with(r"[\t"));
    assert_eq!(translate_java_regex(r"\p{Punct}"), r"[!-/:-@\[-`{-~]");
    assert_eq!(translate_java_regex(r"\p{Lu}"), r"\p{Lu}");
}

#[test]
fn look_ahead_rules_work() {
    let xml = SAMPLE.replace(
        r"<beforebreak>\b(Sig|Dott)\.</beforebreak><afterbreak>\s</afterbreak>",
        r"<beforebreak>\.</beforebreak><afterbreak>\s(?!Poi)</afterbreak>",
    );
    let doc = SrxDocument::parse(&xml).unwrap();
    let rules = SrxRules::compile::<&str>(&doc, "it", &[]).unwrap();
    assert_eq!(
        split(&rules, "Uno. Poi due. Tre."),
        ["Uno.", "Poi due. Tre."]
    );
}
