//! TBX: round trip, schema validity, the 2008 dialect, refused input.

use super::{read, write, write_basic, TbxError};
use crate::termbase::{Entry, Status, Term};

fn sample() -> Vec<Entry> {
    let mut minister = Entry::pair("ministro degli Esteri", "foreign minister");
    minister.domain = Some("politics & diplomacy".into());
    minister.note = Some("Titolo <ufficiale>".into());
    minister.italian[0].pos = Some("noun".into());
    minister.italian[0].case_sensitive = true;
    minister.english.push(Term {
        text: "foreign secretary".into(),
        status: Status::Forbidden,
        note: Some("UK title, not for other countries".into()),
        ..Term::default()
    });
    vec![minister, Entry::pair("Cremlino", "Kremlin")]
}

#[test]
fn round_trip_loses_nothing() {
    let entries = sample();
    let tbx = write(&entries, "News");
    assert_eq!(read(tbx.as_bytes()).unwrap(), entries);
}

#[test]
fn export_is_valid_tbx_v3_core() {
    let tbx = write(&sample(), "News");
    crate::testing::xmllint("--relaxng", "tbx/TBXcoreStructV03.rng", tbx.as_bytes());
}

/// TBX-Basic 2008 keeps everything but case sensitivity, which it has no
/// category for.
#[test]
fn tbx_basic_round_trip_loses_only_case_sensitivity() {
    let entries = sample();
    let tbx = write_basic(&entries, "News & politics");
    assert!(
        tbx.contains("<martif type=\"TBX-Basic\" xml:lang=\"it\">"),
        "{tbx}"
    );
    let mut expected = entries;
    expected[0].italian[0].case_sensitive = false;
    assert_eq!(read(tbx.as_bytes()).unwrap(), expected);
}

#[test]
fn tbx_basic_export_is_valid_tbx_2008() {
    let tbx = write_basic(&sample(), "News");
    crate::testing::xmllint("--schema", "tbx/tbx-2008-martif.xsd", tbx.as_bytes());
}

#[test]
fn reads_tbx_2008_martif_and_region_codes() {
    let martif = r#"<?xml version="1.0"?>
<martif type="TBX" xml:lang="it"><martifHeader><fileDesc><sourceDesc><p>x</p></sourceDesc></fileDesc></martifHeader>
<text><body>
<termEntry id="t1"><descrip type="subjectField">politica</descrip>
<langSet xml:lang="it-IT"><tig><term>Casa Bianca</term><termNote type="partOfSpeech">noun</termNote></tig></langSet>
<langSet xml:lang="en-US"><ntig><termGrp><term>White House</term></termGrp></ntig></langSet>
<langSet xml:lang="de"><tig><term>Weißes Haus</term></tig></langSet>
</termEntry></body></text></martif>"#;
    let entries = read(martif.as_bytes()).unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].italian[0].text, "Casa Bianca");
    assert_eq!(entries[0].english[0].text, "White House");
    assert_eq!(entries[0].domain.as_deref(), Some("politica"));
}

#[test]
fn entity_declarations_and_broken_files_are_refused() {
    let bomb = r#"<?xml version="1.0"?><!DOCTYPE tbx [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><tbx><text><body/></text></tbx>"#;
    assert!(matches!(read(bomb.as_bytes()), Err(TbxError::Entities)));
    let broken = "<tbx><text><body><conceptEntry id=\"c1\"></body></tbx>";
    assert!(matches!(read(broken.as_bytes()), Err(TbxError::Xml { .. })));
    let half = r#"<tbx><text><body><conceptEntry id="c9"><langSec xml:lang="it"><termSec><term>Onu</term></termSec></langSec></conceptEntry></body></text></tbx>"#;
    let err = read(half.as_bytes()).unwrap_err();
    assert!(
        err.to_string().contains("entry `c9` has no English term"),
        "{err}"
    );
}
