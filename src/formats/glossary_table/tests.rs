//! Glossary tables: bare and headed files, bad rows by line, round trips.

use super::{delimiter, read, read_omegat, write, write_omegat};
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

#[test]
fn omegat_round_trip_keeps_pairs_and_notes() {
    let mut minister = Entry::pair("ministro degli Esteri", "foreign minister");
    minister.note = Some("titolo".into());
    let entries = vec![minister, Entry::pair("Cremlino", "Kremlin")];
    let text = write_omegat(&entries);
    assert_eq!(
        text,
        "ministro degli Esteri\tforeign minister\ttitolo\nCremlino\tKremlin\n"
    );
    assert_eq!(read_omegat(text.as_bytes()).unwrap(), entries);
}

/// What has no column is lost; every usable pair still gets a line, and no
/// field breaks its line or column.
#[test]
fn omegat_export_writes_a_line_per_usable_pair() {
    let mut entry = Entry::pair("ministro degli Esteri", "foreign minister");
    entry.italian.push(Term::new("#capo\tdiplomazia"));
    entry.english.insert(
        0,
        Term {
            text: "foreign secretary".into(),
            status: Status::Forbidden,
            ..Term::default()
        },
    );
    entry.english.push(Term {
        text: "top diplomat".into(),
        status: Status::Admitted,
        ..Term::default()
    });
    entry.note = Some("two\nlines".into());
    entry.domain = Some("politics".into());
    let text = write_omegat(&[entry]);
    assert_eq!(
        text,
        "ministro degli Esteri\tforeign minister\ttwo lines\n\
         ministro degli Esteri\ttop diplomat\ttwo lines\n\
         \x20#capo diplomazia\tforeign minister\ttwo lines\n\
         \x20#capo diplomazia\ttop diplomat\ttwo lines\n"
    );
    let back = read_omegat(text.as_bytes()).unwrap();
    assert_eq!(back.len(), 4);
    assert_eq!(back[2].italian[0].text, "#capo diplomazia");
    assert_eq!(back[3].english[0].text, "top diplomat");
}

/// As OmegaT writes them: a `#` comment first, CRLF, quotes that are text,
/// a fourth column; a line without a translation is reported by number.
#[test]
fn omegat_files_are_read_as_omegat_reads_them() {
    let text = "\u{feff}# Glossary in tab-separated format -*- coding: utf-8 -*-\r\n\
                \"decreto flussi\"\t\"flows decree\"\r\n\
                \r\n\
                Cremlino\tKremlin\tsede\textra\r\n";
    let entries = read_omegat(text.as_bytes()).unwrap();
    assert_eq!(entries.len(), 2);
    assert_eq!(
        entries[0],
        Entry::pair("\"decreto flussi\"", "\"flows decree\"")
    );
    assert_eq!(entries[1].note.as_deref(), Some("sede"));
    let errors = read_omegat("Putin\tPutin\nKim\n\tLavrov\n".as_bytes()).unwrap_err();
    assert_eq!(lines(&errors), [2, 3]);
    assert!(errors[0].message.contains("no English term"), "{errors:?}");
}
