//! Glossary tables: bare and headed files, bad rows by line, round trips.

use super::{delimiter, read, write};
use crate::termbase::{Entry, Status, Term};

fn lines(errors: &[super::RowError]) -> Vec<u64> {
    errors.iter().map(|e| e.line).collect()
}

#[test]
fn bare_two_and_three_column_files() {
    let entries = read(
        "Corea del Nord,North Korea\nministro degli Esteri,foreign minister,titolo\n".as_bytes(),
        b',',
    )
    .unwrap();
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0], Entry::pair("Corea del Nord", "North Korea"));
    assert_eq!(entries[1].note.as_deref(), Some("titolo"));
    let tsv = "Cremlino\tKremlin\n";
    assert_eq!(delimiter("terms.txt", tsv.as_bytes()), b'\t');
    assert_eq!(
        read(tsv.as_bytes(), b'\t').unwrap()[0],
        Entry::pair("Cremlino", "Kremlin")
    );
}

#[test]
fn header_columns_are_found_by_name_in_any_order() {
    let text = "English;Italian;Notes;Domain;Status\n\"Kremlin\";Cremlino;\"sede del governo; Mosca\";politics;admitted\n";
    assert_eq!(delimiter("x.csv", text.as_bytes()), b';');
    let entries = read(text.as_bytes(), b';').unwrap();
    assert_eq!(entries.len(), 1);
    let e = &entries[0];
    assert_eq!(e.italian[0].text, "Cremlino");
    assert_eq!(e.english[0].text, "Kremlin");
    assert_eq!(e.english[0].status, Status::Admitted);
    assert_eq!(e.note.as_deref(), Some("sede del governo; Mosca"));
    assert_eq!(e.domain.as_deref(), Some("politics"));
}

#[test]
fn bad_rows_are_reported_by_line_and_nothing_is_read() {
    let text =
        "it,en,status\nPutin,Putin,preferred\nKim,,preferred\n,Lavrov,preferred\nOnu,UN,maybe\n";
    let errors = read(text.as_bytes(), b',').unwrap_err();
    assert_eq!(lines(&errors), [3, 4, 5], "{errors:?}");
    assert!(errors[2].message.contains("status `maybe`"));
    let unknown = read("it,en,colour\na,b,red\n".as_bytes(), b',').unwrap_err();
    assert_eq!(lines(&unknown), [1]);
    let wide = read("a,b,c,d\n".as_bytes(), b',').unwrap_err();
    assert!(wide[0].message.contains("no header row"));
}

#[test]
fn text_that_is_not_utf8_is_refused_with_its_line() {
    let mut bytes = b"it,en\nPutin,Putin\ncitt".to_vec();
    bytes.push(0xE0); // "à" in Latin-1
    bytes.extend_from_slice(b",city\n");
    let errors = read(&bytes, b',').unwrap_err();
    assert_eq!(lines(&errors), [3]);
    assert!(errors[0].message.contains("UTF-8"));
}

#[test]
fn round_trip_keeps_synonyms_and_every_attribute() {
    let mut entry = Entry {
        id: 0,
        glossary: String::new(),
        domain: Some("diplomacy".into()),
        note: Some("multi-line\nnote, with \"quotes\"".into()),
        italian: vec![
            Term {
                text: "ministro degli Esteri".into(),
                pos: Some("noun".into()),
                case_sensitive: true,
                ..Term::default()
            },
            Term {
                text: "capo della diplomazia".into(),
                status: Status::Admitted,
                note: Some("giornalistico".into()),
                ..Term::default()
            },
        ],
        english: vec![Term::new("foreign minister")],
    };
    entry.english.push(Term {
        text: "foreign secretary".into(),
        status: Status::Forbidden,
        note: Some("UK only".into()),
        ..Term::default()
    });
    let entries = vec![entry, Entry::pair("Cremlino", "Kremlin")];
    for d in [b',', b'\t', b';'] {
        let text = write(&entries, d);
        assert_eq!(read(text.as_bytes(), d).unwrap(), entries, "{text}");
    }
}
