//! TMX reading and writing: real-world variants, codes, round trips, bombs.

use super::{inline_xml, TmxError, TmxReader, TmxUnit, TmxWriter};
use crate::text::codes::Mark;

fn o(id: u16) -> char {
    Mark::Open(id).char()
}
fn c(id: u16) -> char {
    Mark::Close(id).char()
}
fn s(id: u16) -> char {
    Mark::Standalone(id).char()
}

fn read(xml: &str) -> Result<Vec<TmxUnit>, TmxError> {
    TmxReader::new(xml.as_bytes(), "it", "en").collect()
}

const REAL_WORLD: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE tmx SYSTEM "tmx14.dtd">
<tmx version="1.4"><header creationtool="x" creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="en" srclang="*all*" datatype="plaintext"/>
<body>
<tu tuid="1" creationdate="20240131T120000Z" creationid="anna">
  <prop type="x-context">menu</prop><note>Titolo</note>
  <tuv xml:lang="it-IT"><seg>Premi &lt;Invio&gt; per <bpt i="1">&lt;b&gt;</bpt>salvare<ept i="1">&lt;/b&gt;</ept>.</seg></tuv>
  <tuv xml:lang="en-GB"><seg>Press &lt;Enter&gt; to <bpt i="1">&lt;b&gt;</bpt>save<ept i="1">&lt;/b&gt;</ept>.</seg></tuv>
</tu>
<tu><tuv lang="IT"><seg>Ciao</seg></tuv><tuv lang="EN"><seg>Hello</seg></tuv></tu>
<tu><tuv xml:lang="it"><seg>Solo italiano</seg></tuv><tuv xml:lang="de"><seg>Nur Deutsch</seg></tuv></tu>
<tu><tuv xml:lang="en"><seg>Reversed order</seg></tuv><tuv xml:lang="it"><seg>Ordine inverso</seg></tuv></tu>
<tu><tuv xml:lang="it"><seg>Un <ph x="1"/> segnaposto e <hi type="b">evidenza</hi></seg></tuv><tuv xml:lang="en"><seg>A <ph x="1"/> placeholder and <hi type="b">highlight</hi></seg></tuv></tu>
</body></tmx>"#;

#[test]
fn reads_real_world_variants() {
    let mut reader = TmxReader::new(REAL_WORLD.as_bytes(), "it", "en");
    let units: Vec<TmxUnit> = reader.by_ref().collect::<Result<_, _>>().unwrap();
    assert_eq!(reader.skipped, 1, "the Italian–German unit");
    assert_eq!(units.len(), 4);
    let first = &units[0];
    assert_eq!(
        first.source,
        format!("Premi <Invio> per {}salvare{}.", o(0), c(0))
    );
    assert_eq!(
        first.target,
        format!("Press <Enter> to {}save{}.", o(0), c(0))
    );
    assert!(first
        .source_markup
        .as_deref()
        .unwrap()
        .contains("<bpt i=\"1\">&lt;b&gt;</bpt>"));
    assert_eq!(first.props, [("x-context".to_string(), "menu".to_string())]);
    assert_eq!(first.note.as_deref(), Some("Titolo"));
    assert_eq!(first.author.as_deref(), Some("anna"));
    assert_eq!(first.created.as_deref(), Some("20240131T120000Z"));
    assert_eq!(
        (units[1].source.as_str(), units[1].target.as_str()),
        ("Ciao", "Hello")
    );
    assert_eq!(units[2].source, "Ordine inverso");
    assert_eq!(
        units[3].source,
        format!("Un {} segnaposto e {}evidenza{}", s(0), o(1), c(1))
    );
    assert_eq!(
        units[3].target,
        format!("A {} placeholder and {}highlight{}", s(0), o(1), c(1))
    );
}

#[test]
fn round_trip_loses_nothing() {
    let units = read(REAL_WORLD).unwrap();
    let mut writer = TmxWriter::new(Vec::new(), "it", "en").unwrap();
    for unit in &units {
        writer.write_unit(unit).unwrap();
    }
    let xml = String::from_utf8(writer.finish().unwrap()).unwrap();
    let again = read(&xml).unwrap();
    assert_eq!(again, units);
}

#[test]
fn refuses_entity_declarations_and_non_tmx() {
    let bomb = r#"<?xml version="1.0"?>
<!DOCTYPE tmx [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
<tmx version="1.4"><header/><body><tu><tuv xml:lang="it"><seg>&b;</seg></tuv></tu></body></tmx>"#;
    assert!(matches!(read(bomb), Err(TmxError::EntityDeclaration)));
    assert!(matches!(read("<xliff/>"), Err(TmxError::NotTmx(_))));
    assert!(matches!(read(""), Err(TmxError::NotTmx(_))));
    let truncated = &REAL_WORLD[..REAL_WORLD.len() / 2];
    assert!(matches!(read(truncated), Err(TmxError::Xml { .. })));
}

#[test]
fn export_is_valid_against_the_tmx_dtd() {
    let units = read(REAL_WORLD).unwrap();
    let mut writer = TmxWriter::new(Vec::new(), "it", "en").unwrap();
    for unit in &units {
        writer.write_unit(unit).unwrap();
    }
    crate::testing::xmllint("--dtdvalid", "tmx/tmx14.dtd", &writer.finish().unwrap());
}

#[test]
fn reads_utf16_files_with_a_byte_order_mark() {
    for big_endian in [false, true] {
        let mut bytes = if big_endian {
            vec![0xFE, 0xFF]
        } else {
            vec![0xFF, 0xFE]
        };
        for unit in REAL_WORLD.replace("UTF-8", "UTF-16").encode_utf16() {
            bytes.extend_from_slice(&if big_endian {
                unit.to_be_bytes()
            } else {
                unit.to_le_bytes()
            });
        }
        let stream = super::utf8_stream(&bytes[..]).unwrap();
        let units: Vec<TmxUnit> = TmxReader::new(stream, "it", "en")
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(units, read(REAL_WORLD).unwrap(), "big endian: {big_endian}");
    }
    let with_bom = format!("\u{FEFF}{REAL_WORLD}");
    let stream = super::utf8_stream(with_bom.as_bytes()).unwrap();
    assert_eq!(TmxReader::new(stream, "it", "en").count(), 4);
}

/// Found by the fuzzer: a UTF-16 file cut after a high surrogate and an odd
/// byte made the reader wait for ever; it must fail, and a surrogate pair
/// split across reads must still decode.
#[test]
fn utf16_cut_inside_a_character_fails_instead_of_hanging() {
    use std::io::Read;
    let mut out = String::new();
    let err = super::utf8_stream(&[0xFE, 0xFF, 0xD9, 0x04, 0x0B][..])
        .unwrap()
        .read_to_string(&mut out)
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("ends in the middle of a character"),
        "{err}"
    );
    // "a😀b" in UTF-16 LE, handed over three bytes at a time.
    let mut bytes = vec![0xFF, 0xFE];
    for unit in "a😀b".encode_utf16() {
        bytes.extend_from_slice(&unit.to_le_bytes());
    }
    let three_at_a_time = std::io::BufReader::with_capacity(3, &bytes[..]);
    let mut out = String::new();
    super::utf8_stream(three_at_a_time)
        .unwrap()
        .read_to_string(&mut out)
        .unwrap();
    assert_eq!(out, "a😀b");
}

fn unit_of(source_seg: &str, target_seg: &str) -> TmxUnit {
    let xml = format!(
        r#"<tmx version="1.4"><header/><body><tu><tuv xml:lang="it"><seg>{source_seg}</seg></tuv><tuv xml:lang="en"><seg>{target_seg}</seg></tuv></tu></body></tmx>"#
    );
    read(&xml).unwrap().remove(0)
}

#[test]
fn target_codes_take_the_ids_of_the_source_codes_they_stand_for() {
    // OmegaT-style pairs and placeholders, in another order in the English.
    let unit = unit_of(
        r#"<ph x="1">&lt;br/&gt;</ph>Il <bpt i="2" x="2">&lt;a&gt;</bpt>sindaco<ept i="2">&lt;/a&gt;</ept> di <bpt i="3" x="3">&lt;b&gt;</bpt>Roma<ept i="3">&lt;/b&gt;</ept>"#,
        r#"The <bpt i="3" x="3">&lt;b&gt;</bpt>Rome<ept i="3">&lt;/b&gt;</ept> <bpt i="2" x="2">&lt;a&gt;</bpt>mayor<ept i="2">&lt;/a&gt;</ept><ph x="1">&lt;br/&gt;</ph><ph x="9"/>"#,
    );
    assert_eq!(
        unit.source,
        format!("{}Il {}sindaco{} di {}Roma{}", s(0), o(1), c(1), o(2), c(2))
    );
    assert_eq!(
        unit.target,
        format!(
            "The {}Rome{} {}mayor{}{}{}",
            o(2),
            c(2),
            o(1),
            c(1),
            s(0),
            s(3)
        ),
        "a code only the English has gets an id after the Italian's"
    );
    // Without x: by i for pairs, by place for the rest; lone ends and <it>.
    let unit = unit_of(
        r#"<ept i="7">&lt;/i&gt;</ept>A <ph>{0}</ph> b <it pos="begin">&lt;u&gt;</it>c"#,
        r#"<ept i="7">&lt;/i&gt;</ept>A <ph>{0}</ph> b <it pos="begin">&lt;u&gt;</it>c"#,
    );
    assert_eq!(unit.source, format!("{}A {} b {}c", c(0), s(1), o(2)));
    assert_eq!(unit.target, unit.source);
    // Characters of the codes' range in the file's text are dropped.
    let unit = unit_of("Ciao\u{E000} mondo", "Hello\u{F001} world");
    assert_eq!(
        (unit.source.as_str(), unit.target.as_str()),
        ("Ciao mondo", "Hello world")
    );
}

#[test]
fn a_unit_of_codes_alone_is_skipped() {
    let xml = r#"<tmx version="1.4"><header/><body><tu><tuv xml:lang="it"><seg><ph x="1"/> </seg></tuv><tuv xml:lang="en"><seg><ph x="1"/></seg></tuv></tu></body></tmx>"#;
    assert!(read(xml).unwrap().is_empty());
}

#[test]
fn codes_written_as_inline_elements_read_back_as_the_same_marks() {
    let source = format!(
        "{}Vedi{} {}qui{} & <oltre>{}{}",
        o(0),
        c(0),
        o(1),
        c(1),
        s(2),
        o(3)
    );
    let target = format!(
        "{}See{} {}here{} & <beyond>{}",
        o(0),
        c(0),
        o(1),
        c(1),
        s(2)
    );
    let native = |mark: Mark| match mark {
        Mark::Open(1) => r#"<a href="https://example.com/?a=1&b=2">"#.to_string(),
        Mark::Close(1) => "</a>".to_string(),
        _ => String::new(),
    };
    let unit = TmxUnit {
        source_markup: Some(inline_xml(&source, native)),
        target_markup: Some(inline_xml(&target, native)),
        source: source.clone(),
        target: target.clone(),
        ..TmxUnit::default()
    };
    assert!(unit.source_markup.as_deref().unwrap().contains(
        r#"<bpt i="2" x="2">&lt;a href=&quot;https://example.com/?a=1&amp;b=2&quot;&gt;</bpt>"#
    ));
    assert!(unit
        .source_markup
        .as_deref()
        .unwrap()
        .contains(r#"<it pos="begin" x="4"></it>"#));
    let mut writer = TmxWriter::new(Vec::new(), "it", "en").unwrap();
    writer.write_unit(&unit).unwrap();
    // Without markup the writer makes it from the marks, with empty codes.
    let bare = TmxUnit {
        source_markup: None,
        target_markup: None,
        ..unit.clone()
    };
    writer.write_unit(&bare).unwrap();
    let xml = String::from_utf8(writer.finish().unwrap()).unwrap();
    assert!(!xml.chars().any(crate::text::codes::is_code), "{xml}");
    let again = read(&xml).unwrap();
    assert_eq!(
        (again[0].source.as_str(), again[0].target.as_str()),
        (source.as_str(), target.as_str())
    );
    assert_eq!(again[0].source_markup, unit.source_markup);
    assert_eq!(
        (again[1].source.as_str(), again[1].target.as_str()),
        (source.as_str(), target.as_str())
    );
}

/// `xml:lang` names a `<tuv>`'s language before `lang`, in either order,
/// and primary subtags match in any case.
#[test]
fn xml_lang_comes_before_lang() {
    let xml = r#"<tmx version="1.4"><body>
<tu><tuv lang="fr" xml:lang="IT-ch"><seg>Uno</seg></tuv><tuv xml:lang="En_us" lang="de"><seg>One</seg></tuv></tu>
<tu><tuv lang="it"><seg>Due</seg></tuv><tuv lang="EN"><seg>Two</seg></tuv></tu>
<tu><tuv xml:lang="fr" lang="it"><seg>Tre</seg></tuv><tuv xml:lang="en"><seg>Three</seg></tuv></tu>
</body></tmx>"#;
    let mut reader = TmxReader::new(xml.as_bytes(), "it", "en");
    let units: Vec<TmxUnit> = reader.by_ref().collect::<Result<_, _>>().unwrap();
    let pairs: Vec<(&str, &str)> = units
        .iter()
        .map(|u| (u.source.as_str(), u.target.as_str()))
        .collect();
    assert_eq!(pairs, [("Uno", "One"), ("Due", "Two")]);
    assert_eq!(reader.skipped, 1, "the unit whose xml:lang is French");
}
