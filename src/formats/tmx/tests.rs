//! TMX reading and writing: real-world variants, codes, round trips, bombs.

use super::{TmxError, TmxReader, TmxUnit, TmxWriter};

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
    assert_eq!(first.source, "Premi <Invio> per ⟨1⟩salvare⟨2⟩.");
    assert_eq!(first.target, "Press <Enter> to ⟨1⟩save⟨2⟩.");
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
    assert_eq!(units[3].source, "Un ⟨1⟩ segnaposto e evidenza");
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
