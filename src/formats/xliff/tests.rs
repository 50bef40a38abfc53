//! XLIFF written from plain blocks: valid, with states; and read back.

use super::{read, write_1_2, write_2_0, XliffBlock, XliffSegment};
use crate::document::{BlockKind, Status};

fn segment(id: i64, source: &str, target: &str, status: Status) -> XliffSegment {
    XliffSegment {
        id,
        source: source.into(),
        target: target.into(),
        status,
        note: None,
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
    assert!(v12.contains(&format!("<trans-unit id=\"{headline}\" translate=\"yes\">")));
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
