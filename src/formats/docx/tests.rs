//! The review DOCX written from plain rows, and read back.

use std::io::{Cursor, Read};

use super::{read, write, ReviewRow};
use crate::document::Status;

/// A translated row with a note, an approved one, a draft with text to
/// escape, and a row not translated yet.
fn rows() -> Vec<ReviewRow> {
    let row = |id: i64, source: &str, target: &str, status: Status| ReviewRow {
        id,
        source: source.into(),
        target: target.into(),
        status,
        origin: String::new(),
        note: None,
    };
    let mut headline = row(
        1,
        "Putin va da Kim.",
        "Putin goes to Kim.",
        Status::Translated,
    );
    headline.note = Some("Headline: keep it short".into());
    let mut matched = row(
        2,
        "Così si rafforza l’asse Mosca-Pyongyang",
        "This is how the Moscow–Pyongyang axis grows stronger",
        Status::Approved,
    );
    matched.origin = "TM 85%".into();
    vec![
        headline,
        matched,
        row(
            3,
            "Al ritorno da una sua visita ufficiale",
            "On his return <from> a visit & more",
            Status::Draft,
        ),
        row(4, "Kim lo accoglie.", "", Status::New),
    ]
}

fn docx_bytes(rows: &[ReviewRow]) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    write("sample.txt", rows, &mut out).unwrap();
    out.into_inner()
}

fn docx_part(docx: &[u8], name: &str) -> String {
    let mut archive = zip::ZipArchive::new(Cursor::new(docx)).unwrap();
    let mut text = String::new();
    archive
        .by_name(name)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text
}

#[test]
fn the_review_docx_is_a_fixed_table_with_a_repeated_header() {
    let segments = rows();
    let docx = docx_bytes(&segments);
    let xml = docx_part(&docx, "word/document.xml");
    // Well-formed, and one row per segment plus the header.
    let mut reader = quick_xml::Reader::from_str(&xml);
    let (mut rows, mut cells) = (0, 0);
    loop {
        match reader.read_event().unwrap() {
            quick_xml::events::Event::Start(e) if e.name().as_ref() == b"w:tr" => rows += 1,
            quick_xml::events::Event::Start(e) if e.name().as_ref() == b"w:tc" => cells += 1,
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(rows, segments.len() + 1);
    assert_eq!(cells, rows * 6);
    assert!(xml.contains("<w:tblLayout w:type=\"fixed\"/>"));
    assert_eq!(
        xml.matches("<w:tblHeader/>").count(),
        1,
        "only the heading row repeats"
    );
    assert!(xml.contains("w:orient=\"landscape\""));
    let widths: u32 = xml
        .split("<w:gridCol w:w=\"")
        .skip(1)
        .map(|s| s.split('"').next().unwrap().parse::<u32>().unwrap())
        .sum();
    assert_eq!(
        widths,
        16838 - 2 * 1134,
        "the columns fill the page between margins"
    );
    // Text is escaped, the note is in the comment column, languages are set.
    assert!(xml.contains("On his return &lt;from&gt; a visit &amp; more"));
    assert!(xml.contains("Headline: keep it short"));
    assert!(xml.contains("<w:lang w:val=\"it-IT\"/>"));
    for part in [
        "[Content_Types].xml",
        "word/styles.xml",
        "word/footer1.xml",
        "docProps/core.xml",
    ] {
        docx_part(&docx, part);
    }
}

#[test]
fn an_untouched_docx_reads_back_exactly() {
    let rows = rows();
    let got: Vec<_> = read(&docx_bytes(&rows))
        .unwrap()
        .into_iter()
        .map(|r| (r.id, r.source.unwrap(), r.target, r.status.unwrap(), r.note))
        .collect();
    let expected: Vec<_> = rows
        .into_iter()
        .map(|r| {
            let note = Some(r.note.unwrap_or_default());
            (r.id, r.source, r.target, r.status, note)
        })
        .collect();
    assert_eq!(got, expected);
}
