//! XLIFF written from plain blocks: valid, with states; read back; and
//! another tool's file written back with the English filled in.

use super::{fill_targets, read, write_1_2, write_2_0, Fill, XliffBlock, XliffSegment};
use crate::document::{BlockKind, Status};

fn segment(id: i64, source: &str, target: &str, status: Status) -> XliffSegment {
    XliffSegment {
        id,
        source: source.into(),
        target: target.into(),
        status,
        note: None,
        codes: Vec::new(),
    }
}

/// A headline translated and approved, page furniture not to translate,
/// and a paragraph not translated yet.
fn blocks() -> Vec<XliffBlock> {
    let mut headline = segment(
        1,
        "Putin va da Kim.",
        "Putin goes to <Kim> & co.",
        Status::Translated,
    );
    headline.note = Some("Headline: keep it short".into());
    vec![
        XliffBlock {
            position: 0,
            kind: BlockKind::Heading(1),
            translate: true,
            segments: vec![
                headline,
                segment(
                    2,
                    "Così si rafforza l’asse Mosca-Pyongyang",
                    "The Moscow-Pyongyang axis grows stronger",
                    Status::Approved,
                ),
            ],
        },
        XliffBlock {
            position: 1,
            kind: BlockKind::Paragraph,
            translate: false,
            segments: vec![segment(3, "Iscriviti alla newsletter", "", Status::New)],
        },
        XliffBlock {
            position: 2,
            kind: BlockKind::Paragraph,
            translate: true,
            segments: vec![segment(
                4,
                "Al ritorno da una sua visita ufficiale.",
                "",
                Status::New,
            )],
        },
    ]
}

#[test]
fn xliff_1_2_and_2_0_are_valid_and_carry_states() {
    let (headline, second) = (1, 2);
    let v12 = write_1_2("sample.txt", &blocks());
    // translate-toolkit reads a translated unit without approved="yes" as
    // fuzzy.
    assert!(v12.contains(&format!(
        "<trans-unit id=\"{headline}\" translate=\"yes\" approved=\"yes\">"
    )));
    assert!(v12.contains("state=\"translated\">Putin goes to &lt;Kim&gt; &amp; co.</target>"));
    assert!(v12.contains("approved=\"yes\""));
    assert!(v12.contains("translate=\"no\""), "the furniture is marked");
    crate::testing::xmllint(
        "--schema",
        "xliff-1.2/xliff-core-1.2-strict.xsd",
        v12.as_bytes(),
    );
    let v20 = write_2_0("sample.txt", &blocks());
    assert!(v20.contains(&format!("<segment id=\"s{second}\" state=\"final\">")));
    assert!(v20.contains("state=\"initial\""));
    crate::testing::xmllint("--schema", "xliff-2.0/xliff_core_2.0.xsd", v20.as_bytes());
}

#[test]
fn what_is_written_reads_back_in_either_version_and_encoding() {
    let written: Vec<_> = blocks()
        .into_iter()
        .flat_map(|b| {
            b.segments.into_iter().map(move |s| {
                let notes: Vec<String> = s.note.into_iter().collect();
                (b.kind, b.translate, s.source, s.target, s.status, notes)
            })
        })
        .collect();
    for xliff in [
        write_1_2("sample.txt", &blocks()),
        write_2_0("sample.txt", &blocks()),
    ] {
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(xliff.encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        for bytes in [xliff.as_bytes(), &utf16] {
            let file = read(bytes).unwrap();
            assert_eq!(file.original.as_deref(), Some("sample.txt"));
            let units: Vec<_> = file
                .units
                .into_iter()
                .map(|u| {
                    let status = u.status.unwrap_or(Status::New);
                    let target = u.target.unwrap_or_default();
                    (u.kind, u.translate, u.source, target, status, u.notes)
                })
                .collect();
            assert_eq!(units, written, "{xliff}");
        }
    }
}

/// Each unit's source and status, as read.
fn statuses(xliff: &str) -> Vec<(String, Option<Status>)> {
    read(xliff.as_bytes())
        .unwrap()
        .units
        .into_iter()
        .map(|u| (u.source, u.status))
        .collect()
}

#[test]
fn states_that_ask_for_a_translation_given_with_english_are_drafts() {
    let v12 = r#"<xliff version="1.2"><file original="a"><body>
      <trans-unit id="1"><source>Uno.</source><target state="needs-translation">One.</target></trans-unit>
      <trans-unit id="2"><source>Due.</source><target state="new">Two.</target></trans-unit>
      <trans-unit id="3"><source>Tre.</source><target state="needs-translation"></target></trans-unit>
      <trans-unit id="4"><source>Quattro.</source><target state-qualifier="fuzzy-match">Four.</target></trans-unit>
      <trans-unit id="5" approved="no"><source>Cinque.</source><target>Five.</target></trans-unit>
      <trans-unit id="6" approved="no"><source>Sei.</source><target state="translated" state-qualifier="exact-match">Six.</target></trans-unit>
      <trans-unit id="7"><source>Sette.</source><target state="needs-review-l10n">Seven.</target></trans-unit>
    </body></file></xliff>"#;
    let draft = Some(Status::Draft);
    assert_eq!(
        statuses(v12),
        [
            ("Uno.".into(), draft),
            ("Due.".into(), draft),
            ("Tre.".into(), Some(Status::New)),
            ("Quattro.".into(), draft),
            ("Cinque.".into(), draft),
            ("Sei.".into(), Some(Status::Translated)),
            ("Sette.".into(), draft),
        ]
    );
    let v20 = r#"<xliff version="2.0" xmlns="urn:oasis:names:tc:xliff:document:2.0"><file id="f">
      <unit id="u1"><segment state="initial"><source>Uno.</source><target>One.</target></segment></unit>
      <unit id="u2"><segment state="initial"><source>Due.</source></segment></unit>
    </file></xliff>"#;
    assert_eq!(
        statuses(v20),
        [("Uno.".into(), draft), ("Due.".into(), Some(Status::New))]
    );
}

#[test]
fn units_with_an_empty_source_are_left_out_and_counted() {
    // translate-toolkit's po2xliff turns a PO file's header into a unit
    // with an empty source and the metadata as its target.
    let po2xliff = r#"<xliff version="1.2"><file original="a.po"><body>
      <trans-unit id="1" approved="no"><source></source><target state="translated">Project-Id-Version: x
Content-Type: text/plain; charset=UTF-8</target></trans-unit>
      <trans-unit id="2"><source>Uno.</source><target state="translated">One.</target></trans-unit>
      <trans-unit id="3"><source>  </source></trans-unit>
    </body></file></xliff>"#;
    let file = read(po2xliff.as_bytes()).unwrap();
    assert_eq!(file.empty_sources, 2);
    let sources: Vec<_> = file.units.iter().map(|u| u.source.as_str()).collect();
    assert_eq!(sources, ["Uno."]);
}

#[test]
fn the_po_header_po2xliff_writes_is_left_out_and_counted() {
    // translate-toolkit 3.20's po2xliff gives the header unit the metadata
    // as its source too, and marks it with a restype.
    let po2xliff = r#"<xliff xmlns="urn:oasis:names:tc:xliff:document:1.1" version="1.1"><file original="a.po"><body>
      <trans-unit xml:space="preserve" id="2" approved="no" restype="x-gettext-domain-header"><source>Content-Type: text/plain; charset=UTF-8
</source><target state="translated">Content-Type: text/plain; charset=UTF-8
</target></trans-unit>
      <trans-unit xml:space="preserve" id="3" approved="yes"><source>Uno.</source><target state="translated">One.</target></trans-unit>
    </body></file></xliff>"#;
    let file = read(po2xliff.as_bytes()).unwrap();
    assert_eq!(file.empty_sources, 1);
    let sources: Vec<_> = file.units.iter().map(|u| u.source.as_str()).collect();
    assert_eq!(sources, ["Uno."]);
}

#[test]
fn translate_no_on_a_2_0_file_group_or_unit_is_inherited() {
    let v20 = r#"<xliff version="2.0" xmlns="urn:oasis:names:tc:xliff:document:2.0">
      <file id="f1">
        <group id="g1" translate="no">
          <group id="g2"><unit id="u1"><segment><source>Menu</source></segment></unit></group>
        </group>
        <group id="g3">
          <unit id="u2"><segment><source>Uno.</source></segment></unit>
          <unit id="u3" translate="no"><segment><source>ANSA</source></segment></unit>
        </group>
      </file>
      <file id="f2" translate="no">
        <unit id="u4"><segment><source>Cookie</source></segment></unit>
      </file>
      <file id="f3"><unit id="u5"><segment><source>Due.</source></segment></unit></file>
    </xliff>"#;
    let units: Vec<_> = read(v20.as_bytes())
        .unwrap()
        .units
        .into_iter()
        .map(|u| (u.source, u.translate))
        .collect();
    assert_eq!(
        units,
        [
            ("Menu".into(), false),
            ("Uno.".into(), true),
            ("ANSA".into(), false),
            ("Cookie".into(), false),
            ("Due.".into(), true),
        ]
    );
}

fn fills(pairs: &[(&str, &str, Status)]) -> std::collections::HashMap<String, Fill> {
    pairs
        .iter()
        .map(|(id, text, status)| {
            let fill = Fill {
                text: text.to_string(),
                status: *status,
            };
            (id.to_string(), fill)
        })
        .collect()
}

/// A target whose English is unchanged keeps its inline codes as it writes
/// them; only a confirmation made here changes its state (and, in 1.2,
/// marks the unit approved, as translate-toolkit reads a translation that
/// is not fuzzy).
#[test]
fn an_unchanged_target_keeps_its_codes_and_takes_a_confirmation() {
    let xml = r#"<xliff version="1.2"><file original="a" source-language="it" target-language="en" datatype="plaintext"><body>
<trans-unit id="1"><source>Uno <g id="1">due</g>.</source><target state="needs-review-translation">One <g id="1">two</g>.</target></trans-unit>
<trans-unit id="2"><source>Tre.</source><target>Three.</target></trans-unit>
</body></file></xliff>"#;
    let same = fill_targets(
        xml.as_bytes(),
        &fills(&[
            ("1", "One \u{E000}two\u{E800}.", Status::Draft),
            ("2", "Three.", Status::Draft),
        ]),
    )
    .unwrap();
    assert_eq!(String::from_utf8(same).unwrap(), xml);
    let confirmed = fill_targets(
        xml.as_bytes(),
        &fills(&[
            ("1", "One \u{E000}two\u{E800}.", Status::Translated),
            ("2", "Three.", Status::Approved),
        ]),
    )
    .unwrap();
    let expected = xml
        .replace(
            r#"state="needs-review-translation">One"#,
            r#"state="translated">One"#,
        )
        .replace("<target>Three.", r#"<target state="signed-off">Three."#)
        .replace(
            r#"<trans-unit id="1">"#,
            r#"<trans-unit id="1" approved="yes">"#,
        )
        .replace(
            r#"<trans-unit id="2">"#,
            r#"<trans-unit id="2" approved="yes">"#,
        );
    assert_eq!(String::from_utf8(confirmed).unwrap(), expected);
}

/// A UTF-16 file goes back out in UTF-16, with its byte order mark and
/// byte order; a UTF-8 byte order mark stays.
#[test]
fn the_file_keeps_its_encoding() {
    let xml = r#"<?xml version="1.0" encoding="UTF-16"?>
<xliff version="2.0" srcLang="it" trgLang="en"><file id="f"><unit id="u"><segment><source>Città.</source></segment></unit></file></xliff>"#;
    let filled = xml.replace(
        "<segment><source>Città.</source>",
        r#"<segment state="translated"><source>Città.</source><target>Town ✓.</target>"#,
    );
    let fill = fills(&[("u", "Town ✓.", Status::Translated)]);
    let le: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(xml.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let expected: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(filled.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    assert_eq!(fill_targets(&le, &fill).unwrap(), expected);
    let be: Vec<u8> = [0xFE, 0xFF]
        .into_iter()
        .chain(xml.encode_utf16().flat_map(u16::to_be_bytes))
        .collect();
    let expected: Vec<u8> = [0xFE, 0xFF]
        .into_iter()
        .chain(filled.encode_utf16().flat_map(u16::to_be_bytes))
        .collect();
    assert_eq!(fill_targets(&be, &fill).unwrap(), expected);
    let bom = [&[0xEF, 0xBB, 0xBF][..], xml.as_bytes()].concat();
    let expected = [&[0xEF, 0xBB, 0xBF][..], filled.as_bytes()].concat();
    assert_eq!(fill_targets(&bom, &fill).unwrap(), expected);
}

/// Targets inside `<alt-trans>` are another tool's suggestions, and
/// segmented 1.2 units hold their targets in marks: both are left alone;
/// a namespace prefix on the source is given to the new target.
#[test]
fn alternatives_and_segmented_units_are_left_alone() {
    let xml = r#"<x:xliff xmlns:x="urn:oasis:names:tc:xliff:document:1.2" version="1.2"><x:file original="a" source-language="it" target-language="en" datatype="plaintext"><x:body>
<x:trans-unit id="1"><x:source>Uno.</x:source><x:alt-trans><x:target>Old one.</x:target></x:alt-trans></x:trans-unit>
<x:trans-unit id="2"><x:source>Due. Tre.</x:source><x:seg-source><x:mrk mtype="seg" mid="1">Due.</x:mrk> <x:mrk mtype="seg" mid="2">Tre.</x:mrk></x:seg-source></x:trans-unit>
</x:body></x:file></x:xliff>"#;
    let fill = fills(&[
        ("1", "One.", Status::Translated),
        ("2", "Two.", Status::Translated),
    ]);
    let out = String::from_utf8(fill_targets(xml.as_bytes(), &fill).unwrap()).unwrap();
    let expected = xml
        .replace(
            "<x:source>Uno.</x:source>",
            r#"<x:source>Uno.</x:source><x:target state="translated">One.</x:target>"#,
        )
        .replace(
            r#"<x:trans-unit id="1">"#,
            r#"<x:trans-unit id="1" approved="yes">"#,
        );
    assert_eq!(out, expected);
}
