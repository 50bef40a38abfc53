//! Unit tests of the workspace store, on real SQLite files.

use super::{NewSegment, SegmentedBlock, SourceFile, Status, StoreError, Workspace};
use crate::document::{BlockKind, Translatable};
use crate::import::import_bytes;
use crate::segment::Segmenter;
use crate::testing::TYPOGRAPHY_PAIRS;

const ARTICLE: &str = "Skip to main content\nPutin va da Kim. Così si rafforza l’asse\nParla il Sovr. Rossi. Poi va via.\n";

fn workspace_with_article() -> (Workspace, i64) {
    let mut ws = Workspace::open_in_memory().unwrap();
    let doc = import_bytes("a.txt", Some("txt"), ARTICLE.as_bytes()).unwrap();
    let id = ws
        .add_document("a", None, &doc, &Segmenter::italian::<&str>(&[]))
        .unwrap();
    (ws, id)
}

/// The schema version a workspace has once opened.
const LATEST: i64 = super::schema::MIGRATIONS.len() as i64;

/// A workspace as Interlinea wrote it at schema version `version`.
fn workspace_at_version(path: &std::path::Path, version: usize) -> rusqlite::Connection {
    let mut conn = rusqlite::Connection::open(path).unwrap();
    conn.pragma_update(None, "foreign_keys", true).unwrap();
    for (idx, sql) in super::schema::MIGRATIONS[..version].iter().enumerate() {
        let tx = conn.transaction().unwrap();
        tx.execute_batch(sql).unwrap();
        super::schema::migrate_data(idx + 1, &tx).unwrap();
        tx.pragma_update(None, "application_id", super::schema::APPLICATION_ID)
            .unwrap();
        tx.pragma_update(None, "user_version", idx as i64 + 1)
            .unwrap();
        tx.commit().unwrap();
    }
    conn
}

/// Puts back what migration 17 changed, for a test's workspace to read as
/// an older version's (which then has every later migration applied).
const BEFORE_V17: &str = r#"
DROP TABLE concordance_stale;
ALTER TABLE tm_state DROP COLUMN uid;
ALTER TABLE tm_state ADD COLUMN fts_max INTEGER NOT NULL DEFAULT 0;
CREATE VIRTUAL TABLE tm_fts USING fts5 (
    source, target, content = '', contentless_delete = 1,
    tokenize = "unicode61 remove_diacritics 2 separators 'ʼ'"
);
"#;

#[test]
fn documents_are_counted_without_boilerplate() {
    let (mut ws, id) = workspace_with_article();
    let summary = ws.document(id).unwrap();
    assert_eq!(summary.n_segments, 5);
    assert_eq!(summary.n_words, 4 + 4 + 3 + 1 + 3);
    assert_eq!(summary.progress_percent(), 0);

    let first = ws.segments(id).unwrap()[1].clone();
    assert_eq!(first.source, "Putin va da Kim.");
    ws.set_target(id, first.id, "Putin visits Kim.", Status::Translated)
        .unwrap();
    let summary = ws.document(id).unwrap();
    assert_eq!(summary.n_confirmed, 1);
    assert_eq!(summary.progress_percent(), 4 * 100 / 15);
}

#[test]
fn targets_survive_reopening_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested/ws.sqlite");
    let (doc_id, seg_id) = {
        let mut ws = Workspace::open(&path).unwrap();
        let doc = import_bytes("a.txt", Some("txt"), ARTICLE.as_bytes()).unwrap();
        let doc_id = ws
            .add_document("a", Some("a.txt"), &doc, &Segmenter::italian::<&str>(&[]))
            .unwrap();
        let seg = &ws.segments(doc_id).unwrap()[2];
        ws.set_target(
            doc_id,
            seg.id,
            "This strengthens the axis",
            Status::Translated,
        )
        .unwrap();
        (doc_id, seg.id)
    };
    let ws = Workspace::open(&path).unwrap();
    let seg = ws.segment(doc_id, seg_id).unwrap();
    assert_eq!(seg.target, "This strengthens the axis");
    assert_eq!(seg.status, Status::Translated);
    assert_eq!(ws.schema_version().unwrap(), LATEST);
}

#[test]
fn newer_schema_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ws.sqlite");
    drop(Workspace::open(&path).unwrap());
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", 99).unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    let err = Workspace::open(&path).err().expect("must be refused");
    assert!(
        matches!(err, StoreError::NewerSchema { found: 99, .. }),
        "{err}"
    );
    assert!(err.to_string().contains("newer version"));
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn foreign_files_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let other = dir.path().join("other.sqlite");
    {
        let conn = rusqlite::Connection::open(&other).unwrap();
        conn.execute_batch("CREATE TABLE t (x)").unwrap();
    }
    assert!(matches!(
        Workspace::open(&other),
        Err(StoreError::Foreign { .. })
    ));

    let text = dir.path().join("notes.txt");
    std::fs::write(
        &text,
        "just some text that is long enough to not be a database header",
    )
    .unwrap();
    let err = Workspace::open(&text).err().unwrap();
    assert!(matches!(err, StoreError::NotADatabase { .. }), "{err}");
}

#[test]
fn split_and_merge_keep_order_and_ids() {
    let (mut ws, id) = workspace_with_article();
    let segments = ws.segments(id).unwrap();
    let sen = segments
        .iter()
        .find(|s| s.source == "Parla il Sovr.")
        .unwrap()
        .clone();
    let next = segments
        .iter()
        .find(|s| s.source == "Rossi.")
        .unwrap()
        .clone();
    ws.set_target(id, sen.id, "Senator", Status::Draft).unwrap();

    let merged = ws.merge_with_next(id, sen.id).unwrap();
    assert_eq!(merged.segment.source, "Parla il Sovr. Rossi.");
    assert_eq!(merged.segment.target, "Senator");
    assert_eq!(merged.suggested_exception.as_deref(), Some("Sovr."));
    assert!(matches!(
        ws.segment(id, next.id),
        Err(StoreError::NoSegment { .. })
    ));
    let block: Vec<(i64, String)> = ws
        .segments(id)
        .unwrap()
        .into_iter()
        .filter(|s| s.block == sen.block)
        .map(|s| (s.index, s.source))
        .collect();
    assert_eq!(
        block,
        [
            (0, "Parla il Sovr. Rossi.".to_string()),
            (1, "Poi va via.".to_string())
        ]
    );

    let (head, tail) = ws.split_segment(id, sen.id, 14).unwrap();
    assert_eq!((head.source.as_str(), head.index), ("Parla il Sovr.", 0));
    assert_eq!((tail.source.as_str(), tail.index), ("Rossi.", 1));
    assert_eq!(head.status, Status::Draft);
    assert_eq!(
        ws.segments(id)
            .unwrap()
            .iter()
            .filter(|s| s.block == sen.block)
            .count(),
        3
    );

    assert!(matches!(
        ws.split_segment(id, sen.id, 0),
        Err(StoreError::InvalidEdit(_))
    ));
    assert!(matches!(
        ws.split_segment(id, sen.id, 999),
        Err(StoreError::InvalidEdit(_))
    ));
    let last = ws.segments(id).unwrap().last().unwrap().id;
    assert!(matches!(
        ws.merge_with_next(id, last),
        Err(StoreError::InvalidEdit(_))
    ));
}

#[test]
fn exceptions_change_later_imports() {
    let mut ws = Workspace::open_in_memory().unwrap();
    ws.add_exception("Sovr").unwrap();
    ws.add_exception("Sovr.").unwrap();
    assert_eq!(ws.exceptions().unwrap(), ["Sovr."]);
    let segmenter = Segmenter::italian(&ws.exceptions().unwrap());
    assert_eq!(
        segmenter.segments("Parla il Sovr. Rossi."),
        ["Parla il Sovr. Rossi."]
    );
    assert!(ws.add_exception("due parole").is_err());
}

#[test]
fn blocks_can_be_flipped() {
    let (mut ws, id) = workspace_with_article();
    let blocks = ws.blocks(id).unwrap();
    assert_eq!(blocks[0].translatable, Translatable::Boilerplate);
    ws.set_block_translatable(id, 0, true).unwrap();
    ws.set_block_translatable(id, 1, false).unwrap();
    let blocks = ws.blocks(id).unwrap();
    assert_eq!(blocks[0].translatable, Translatable::Yes);
    assert_eq!(blocks[1].translatable, Translatable::Excluded);
    assert_eq!(ws.document(id).unwrap().n_segments, 1 + 3);
    assert!(matches!(
        ws.set_block_translatable(id, 42, true),
        Err(StoreError::NoBlock { .. })
    ));
}

#[test]
fn unknown_ids_are_errors() {
    let (mut ws, id) = workspace_with_article();
    assert!(matches!(ws.segments(999), Err(StoreError::NoDocument(999))));
    assert!(matches!(
        ws.set_target(id, 999, "x", Status::Draft),
        Err(StoreError::NoSegment { .. })
    ));
    ws.delete_document(id).unwrap();
    assert!(ws.documents().unwrap().is_empty());
}

/// A workspace file on disk with the sample article; its first translatable segment.
fn workspace_file(path: &std::path::Path) -> (Workspace, i64, i64) {
    let mut ws = Workspace::open(path).unwrap();
    let doc = import_bytes("a.txt", Some("txt"), ARTICLE.as_bytes()).unwrap();
    let doc_id = ws
        .add_document("a", None, &doc, &Segmenter::italian::<&str>(&[]))
        .unwrap();
    let segment = ws.segments(doc_id).unwrap()[1].id;
    ws.set_target(doc_id, segment, "Putin visits Kim.", Status::Translated)
        .unwrap();
    (ws, doc_id, segment)
}

#[test]
fn a_deleted_log_stops_saving() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ws.sqlite");
    let (mut ws, doc_id, segment) = workspace_file(&path);
    // What another process that believed itself alone does on closing.
    std::fs::remove_file(super::place::log_path(&path)).unwrap();
    let err = ws
        .set_target(doc_id, segment, "Putin goes to Kim.", Status::Translated)
        .expect_err("a save into a deleted log must fail");
    assert!(matches!(err, StoreError::Replaced), "{err}");
    assert!(err.to_string().contains("stopped saving"), "{err}");
    // And every later write too, not only the first.
    let err = ws
        .set_note(doc_id, segment, Some("later"))
        .expect_err("still refused");
    assert!(matches!(err, StoreError::Replaced), "{err}");
}

#[test]
fn a_replaced_workspace_file_stops_saving() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ws.sqlite");
    let (mut ws, doc_id, segment) = workspace_file(&path);
    // A restore or a copy puts another file in its place.
    let other = dir.path().join("other.sqlite");
    std::fs::copy(&path, &other).unwrap();
    std::fs::rename(&other, &path).unwrap();
    let err = ws
        .set_target(doc_id, segment, "Putin goes to Kim.", Status::Draft)
        .expect_err("a save into a replaced file must fail");
    assert!(matches!(err, StoreError::Replaced), "{err}");
}

#[test]
fn a_workspace_left_in_place_saves_on() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ws.sqlite");
    let (mut ws, doc_id, segment) = workspace_file(&path);
    // Another connection closing (as the background catch-up does) is no
    // change of place.
    drop(Workspace::open(&path).unwrap());
    for i in 0..3 {
        ws.set_target(doc_id, segment, &format!("Take {i}."), Status::Translated)
            .unwrap();
    }
    assert_eq!(ws.segment(doc_id, segment).unwrap().target, "Take 2.");
}

#[test]
fn the_workspace_knows_its_own_files() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ws.sqlite");
    let (ws, _, _) = workspace_file(&path);
    for own in ["ws.sqlite", "ws.sqlite-wal", "ws.sqlite-shm", "./ws.sqlite"] {
        assert!(ws.is_own_file(&dir.path().join(own)), "{own}");
    }
    // Another name for the same file.
    let link = dir.path().join("link.sqlite");
    std::fs::hard_link(&path, &link).unwrap();
    assert!(ws.is_own_file(&link));
    for other in ["ws.sqlite.en.txt", "other.sqlite", "ws.sqlite-journal2"] {
        assert!(!ws.is_own_file(&dir.path().join(other)), "{other}");
    }
    assert!(!Workspace::open_in_memory().unwrap().is_own_file(&path));
}

/// A workspace holding one TM with a unit per source (English "EN …").
fn workspace_with_units(sources: &[&str]) -> Workspace {
    let mut ws = Workspace::open_in_memory().unwrap();
    let mut tmx = String::from(r#"<tmx version="1.4"><header srclang="it"/><body>"#);
    for source in sources {
        tmx.push_str(&format!(
            r#"<tu><tuv xml:lang="it"><seg>{source}</seg></tuv><tuv xml:lang="en"><seg>EN {source}</seg></tuv></tu>"#
        ));
    }
    tmx.push_str("</body></tmx>");
    ws.import_tmx(tmx.as_bytes(), "tm", false, &mut |_, _| {}, &mut |_, _| {})
        .unwrap();
    ws
}

/// Issue: typographic variants in the concordance. The whole sentence and a
/// phrase across the variant, either way round.
#[test]
fn concordance_finds_typographic_variants_either_way() {
    for typographic_in_tm in [true, false] {
        let (stored, asked): (Vec<&str>, Vec<&str>) = TYPOGRAPHY_PAIRS
            .iter()
            .map(|(_, t, p)| {
                if typographic_in_tm {
                    (*t, *p)
                } else {
                    (*p, *t)
                }
            })
            .unzip();
        let mut ws = workspace_with_units(&stored);
        for (((kind, _, _), stored), asked) in TYPOGRAPHY_PAIRS.iter().zip(&stored).zip(&asked) {
            let found: Vec<String> = ws
                .tm_search(asked, 5)
                .unwrap()
                .into_iter()
                .map(|u| u.source)
                .collect();
            assert_eq!(found, [*stored], "{kind}: {asked:?}");
        }
        let found = ws.tm_search(
            if typographic_in_tm {
                "po' di"
            } else {
                "poʼ di"
            },
            5,
        );
        assert_eq!(found.unwrap().len(), 1, "a phrase across the apostrophe");
    }
}

/// The concordance index (FTS5 unicode61) cuts words at anything but
/// letters and digits; a typographic variant it takes for a letter must be
/// one of its `separators`, as the plain form it folds to is.
#[test]
fn the_concordance_index_cuts_at_every_variant_its_plain_form_cuts_at() {
    let letters_folded_to_marks: Vec<char> = (0..=0x10FFFF)
        .filter_map(char::from_u32)
        .filter(|&c| c.is_alphanumeric() && !crate::text::fold_char(c).is_alphanumeric())
        .collect();
    assert_eq!(
        letters_folded_to_marks,
        ['ʼ'],
        "tm_fts's separators (src/store/schema.rs) must list these"
    );
}

/// The index of a workspace made before ʼ was a separator is filled again.
#[test]
fn the_concordance_index_of_an_older_workspace_is_rebuilt() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ws.sqlite");
    let (_, typographic, plain) = TYPOGRAPHY_PAIRS[1];
    {
        let mut ws = Workspace::open(&path).unwrap();
        ws.import_tmx(
            format!(r#"<tmx version="1.4"><header srclang="it"/><body><tu><tuv xml:lang="it"><seg>{typographic}</seg></tuv><tuv xml:lang="en"><seg>EN</seg></tuv></tu></body></tmx>"#).as_bytes(),
            "tm",
            false,
            &mut |_, _| {},
            &mut |_, _| {},
        )
        .unwrap();
    }
    {
        // The table and its content as version 9 had them.
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(BEFORE_V17).unwrap();
        conn.execute_batch(
            "DROP TABLE tm_fts;
             CREATE VIRTUAL TABLE tm_fts USING fts5 (
                 source, target, content = '', contentless_delete = 1,
                 tokenize = 'unicode61 remove_diacritics 2'
             );
             INSERT INTO tm_fts (rowid, source, target) SELECT id, source, target FROM tm_units;
             UPDATE tm_state SET fts_max = (SELECT max(id) FROM tm_units);
             ALTER TABLE tm_units DROP COLUMN changed_by;
             DROP TABLE segment_units;
             DROP TABLE document_sources;
             ALTER TABLE blocks DROP COLUMN codes;
             DROP TABLE settings; DROP TABLE segment_versions; DROP TABLE spelling_words; DROP TABLE spelling_ignored; DROP TABLE team; DROP TABLE team_outbox; DROP TABLE team_units; DROP TABLE team_entries; DROP TABLE team_conflicts; DROP TABLE team_rejected; DROP TABLE team_resolutions; DROP TABLE team_document_segments; DROP TABLE team_documents; DROP TABLE team_segment_conflicts;
             PRAGMA user_version = 9;",
        )
        .unwrap();
        let old_hits: i64 = conn
            .query_row(
                "SELECT count(*) FROM tm_fts WHERE tm_fts MATCH '\"po\" + \"di\"'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(old_hits, 0, "the old index took poʼ for one word");
    }
    let mut ws = Workspace::open(&path).unwrap();
    assert_eq!(ws.tm_search(plain, 5).unwrap().len(), 1);
}

/// Issue 18: who made a unit and when, as a TMX file says, stays with the
/// unit and goes back out on export; a unit confirmed here gets its dates.
#[test]
fn tmx_creation_and_change_attributes_are_kept_and_written_back() {
    let mut ws = Workspace::open_in_memory().unwrap();
    let tmx = r#"<tmx version="1.4"><header srclang="it"/><body>
<tu creationdate="20240131T120000Z" creationid="anna" changedate="20250202T090000Z" changeid="bruno"><tuv xml:lang="it"><seg>Uno.</seg></tuv><tuv xml:lang="en"><seg>One.</seg></tuv></tu>
<tu creationdate="20230101T000000Z"><tuv xml:lang="it"><seg>Due.</seg></tuv><tuv xml:lang="en"><seg>Two.</seg></tuv></tu>
</body></tmx>"#;
    ws.import_tmx(tmx.as_bytes(), "tm", false, &mut |_, _| {}, &mut |_, _| {})
        .unwrap();
    let mut out = Vec::new();
    ws.export_tmx(Some("tm"), &mut out).unwrap();
    let exported = String::from_utf8(out).unwrap();
    assert!(
        exported.contains(r#"<tu creationdate="20240131T120000Z" creationid="anna" changedate="20250202T090000Z" changeid="bruno">"#),
        "{exported}"
    );
    // No change date is made up for a unit that had none.
    assert!(
        exported.contains(r#"<tu creationdate="20230101T000000Z"><tuv"#),
        "{exported}"
    );
    let first = ws.tm_search("Uno", 10).unwrap().remove(0);
    assert_eq!(
        (
            first.created_at.as_deref(),
            first.created_by.as_deref(),
            first.changed_at.as_deref(),
            first.changed_by.as_deref()
        ),
        (
            Some("20240131T120000Z"),
            Some("anna"),
            Some("20250202T090000Z"),
            Some("bruno")
        )
    );
    // The panel's "last changed" falls back on the creation date.
    let second = ws.tm_search("Due", 10).unwrap().remove(0);
    assert_eq!(second.changed_at.as_deref(), Some("20230101T000000Z"));

    let (mut ws, doc) = workspace_with_article();
    let segment = ws.segments(doc).unwrap()[1].id;
    ws.set_target(doc, segment, "Putin goes to Kim.", Status::Translated)
        .unwrap();
    let unit = ws.remember(doc, segment).unwrap();
    let unit = ws.tm_unit(unit).unwrap().unwrap();
    let date = unit.created_at.clone().expect("a creation date");
    assert_eq!(date.len(), "20240131T120000Z".len());
    assert_eq!(unit.changed_at, Some(date));
    assert_eq!(unit.changed_by, unit.created_by);
}

/// Issue 18: a document made from another tool's file keeps the file and
/// each segment's unit; a workspace of version 11 gains the tables, and
/// deleting the document deletes them.
#[test]
fn a_documents_source_file_and_units_are_kept() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ws.sqlite");
    {
        let ws = Workspace::open(&path).unwrap();
        drop(ws);
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(BEFORE_V17).unwrap();
        conn.execute_batch(
            "DROP TABLE segment_units; DROP TABLE document_sources;
             ALTER TABLE blocks DROP COLUMN codes; DROP TABLE settings; DROP TABLE segment_versions; DROP TABLE spelling_words; DROP TABLE spelling_ignored; DROP TABLE team; DROP TABLE team_outbox; DROP TABLE team_units; DROP TABLE team_entries; DROP TABLE team_conflicts; DROP TABLE team_rejected; DROP TABLE team_resolutions; DROP TABLE team_document_segments; DROP TABLE team_documents; DROP TABLE team_segment_conflicts; PRAGMA user_version = 11;",
        )
        .unwrap();
    }
    let mut ws = Workspace::open(&path).unwrap();
    assert_eq!(ws.schema_version().unwrap(), LATEST);
    let segment = |source: &str| NewSegment {
        source: source.into(),
        target: String::new(),
        status: Status::New,
        note: None,
    };
    let blocks = [SegmentedBlock {
        kind: BlockKind::Paragraph,
        translatable: Translatable::Yes,
        text: "Uno. Due.".into(),
        codes: Vec::new(),
        segments: vec![segment("Uno."), segment("Due.")],
    }];
    let file = SourceFile {
        format: "xliff-1.2".into(),
        bytes: b"\xFF\xFE<\0".to_vec(),
    };
    let units = ["a".to_string(), "b".to_string()];
    let doc = ws
        .add_document_from_file("job", None, &blocks, &file, &units)
        .unwrap();
    assert_eq!(ws.source_file(doc).unwrap(), Some(file));
    let ids: Vec<i64> = ws.segments(doc).unwrap().iter().map(|s| s.id).collect();
    let kept = ws.segment_units(doc).unwrap();
    assert_eq!(kept.get(&ids[0]).map(String::as_str), Some("a"));
    assert_eq!(kept.get(&ids[1]).map(String::as_str), Some("b"));
    ws.delete_document(doc).unwrap();
    assert_eq!(ws.source_file(doc).unwrap(), None);
    assert!(ws.segment_units(doc).unwrap().is_empty());
}

#[test]
fn a_blocks_codes_are_kept_and_a_segment_knows_its_own() {
    use crate::document::{Block, CodeShape, Document, InlineCode, SourceFormat};
    use crate::text::codes::Mark;
    let link = InlineCode {
        element: "a".into(),
        open: r#"<a href="https://example.org">"#.into(),
        close: "</a>".into(),
        title: "https://example.org".into(),
    };
    let br = InlineCode {
        element: "br".into(),
        open: "<br>".into(),
        ..InlineCode::default()
    };
    let text = format!(
        "Leggi {}il rapporto. Le cifre{} sono chiare.{}",
        Mark::Open(0).char(),
        Mark::Close(0).char(),
        Mark::Standalone(1).char()
    );
    let doc = Document {
        format: SourceFormat::Html,
        blocks: vec![Block {
            kind: BlockKind::Paragraph,
            text,
            codes: vec![link.clone(), br.clone()],
            translatable: Translatable::Yes,
        }],
    };
    let mut ws = Workspace::open_in_memory().unwrap();
    let doc_id = ws
        .add_document("a", None, &doc, &Segmenter::italian::<&str>(&[]))
        .unwrap();
    let segments = ws.segments(doc_id).unwrap();
    assert_eq!(segments.len(), 2);
    assert_eq!(segments[0].codes.len(), 1);
    assert_eq!(segments[0].codes[0].shape, CodeShape::Opening);
    assert_eq!(segments[0].codes[0].code, link);
    let second: Vec<_> = segments[1]
        .codes
        .iter()
        .map(|c| (c.number, c.shape))
        .collect();
    assert_eq!(
        second,
        [(1, CodeShape::Closing), (2, CodeShape::Standalone)]
    );
    assert_eq!(ws.block_codes(doc_id, 0).unwrap(), [link, br]);

    // The English may hold the Italian's codes, never another.
    let with_link = format!(
        "{}The figures{} are clear.",
        Mark::Open(0).char(),
        Mark::Close(0).char()
    );
    assert!(matches!(
        ws.set_target(doc_id, segments[1].id, &with_link, Status::Translated),
        Err(StoreError::InvalidEdit(_))
    ));
    let target = format!("The figures{} are clear.", Mark::Close(0).char());
    assert_eq!(
        ws.set_target(doc_id, segments[1].id, &target, Status::Translated)
            .unwrap()
            .target,
        target
    );
}

/// Issue 18: units read from TMX by earlier versions hold `⟨1⟩` text, which
/// must never reach an English segment: migration 15 reads their kept inline
/// XML again into code marks, and the concordance index follows.
#[test]
fn tmx_units_with_placeholder_text_get_code_marks() {
    use crate::text::codes::Mark;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ws.sqlite");
    drop(Workspace::open(&path).unwrap());
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(BEFORE_V17).unwrap();
        conn.execute_batch(
            r#"INSERT INTO tms (name, read_only, created_at) VALUES ('old', 0, 0);
             INSERT INTO tm_units (tm_id, source, target, source_markup, target_markup, pair_hash)
             VALUES (1, 'Premi ⟨1⟩salva⟨2⟩ ora.', 'Press ⟨1⟩save⟨2⟩ now.',
                     'Premi <bpt i="1">&lt;b&gt;</bpt>salva<ept i="1">&lt;/b&gt;</ept> ora.',
                     'Press <bpt i="1">&lt;b&gt;</bpt>save<ept i="1">&lt;/b&gt;</ept> now.', 1),
                    (1, 'Nessun codice ⟨qui⟩.', 'No code ⟨here⟩.', NULL, NULL, 2);
             INSERT INTO tm_fts (rowid, source, target) SELECT id, source, target FROM tm_units;
             UPDATE tm_state SET fts_max = (SELECT max(id) FROM tm_units);
             DROP TABLE settings; DROP TABLE segment_versions; DROP TABLE spelling_words; DROP TABLE spelling_ignored; DROP TABLE team; DROP TABLE team_outbox; DROP TABLE team_units; DROP TABLE team_entries; DROP TABLE team_conflicts; DROP TABLE team_rejected; DROP TABLE team_resolutions; DROP TABLE team_document_segments; DROP TABLE team_documents; DROP TABLE team_segment_conflicts;
             PRAGMA user_version = 14;"#,
        )
        .unwrap();
    }
    let mut ws = Workspace::open(&path).unwrap();
    let (open, close) = (Mark::Open(0).char(), Mark::Close(0).char());
    let unit = ws.tm_unit(1).unwrap().unwrap();
    assert_eq!(unit.source, format!("Premi {open}salva{close} ora."));
    assert_eq!(unit.target, format!("Press {open}save{close} now."));
    assert_eq!(
        ws.tm_unit(2).unwrap().unwrap().source,
        "Nessun codice ⟨qui⟩.",
        "text of its own"
    );
    assert_eq!(ws.tm_search("salva ora", 5).unwrap().len(), 1);
    assert!(
        ws.tm_search("salva 2", 5).unwrap().is_empty(),
        "no placeholder words"
    );
    // Export gives the inline XML back as it was.
    let mut out = Vec::new();
    ws.export_tmx(Some("old"), &mut out).unwrap();
    let xml = String::from_utf8(out).unwrap();
    assert!(xml.contains(
        r#"<seg>Press <bpt i="1">&lt;b&gt;</bpt>save<ept i="1">&lt;/b&gt;</ept> now.</seg>"#
    ));
}

/// The concordance index holds the text without codes: a word with a code
/// inside is found, and a code is no word.
#[test]
fn concordance_searches_text_without_codes() {
    use crate::text::codes::Mark;
    let mut ws = Workspace::open_in_memory().unwrap();
    let tmx = r#"<tmx version="1.4"><header srclang="it"/><body>
<tu><tuv xml:lang="it"><seg>La <bpt i="1">&lt;b&gt;</bpt>Ro</seg></tuv><tuv xml:lang="en"><seg>x</seg></tuv></tu>
<tu><tuv xml:lang="it"><seg>Il <bpt i="1">&lt;b&gt;</bpt>Ro<ept i="1">&lt;/b&gt;</ept>ma vince.</seg></tuv><tuv xml:lang="en"><seg><bpt i="1">&lt;b&gt;</bpt>Ro<ept i="1">&lt;/b&gt;</ept>ma wins.</seg></tuv></tu>
</body></tmx>"#;
    ws.import_tmx(tmx.as_bytes(), "t", false, &mut |_, _| {}, &mut |_, _| {})
        .unwrap();
    let found = ws.tm_search("Roma vince", 5).unwrap();
    assert_eq!(found.len(), 1);
    assert!(found[0].source.contains(Mark::Open(0).char()));
    assert_eq!(
        ws.tm_search("Ro", 5).unwrap().len(),
        1,
        "only the unit with the word Ro"
    );
}

#[test]
fn a_workspace_that_joined_a_team_at_v20_keeps_its_membership_and_outbox_when_upgraded() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ws.sqlite");
    let (unit_op, entry_op) = (uuid::Uuid::new_v4(), uuid::Uuid::new_v4());
    {
        // As Interlinea wrote it at v20, the version that brought teams.
        let conn = workspace_at_version(&path, 20);
        conn.execute_batch(
            "INSERT INTO tms (name, read_only, created_at) VALUES ('team: desk', 0, 0);
             INSERT INTO glossaries (name, created_at) VALUES ('team: desk', 0);
             INSERT INTO team (id, url, user, name, writes_tm, tm_id, glossary_id, pulled_seq, joined_at)
             VALUES (1, 'http://127.0.0.1:1', 'anna', 'desk', 1,
                     (SELECT id FROM tms WHERE name = 'team: desk'),
                     (SELECT id FROM glossaries WHERE name = 'team: desk'), 42, 0);",
        )
        .unwrap();
        for (n, (op, kind)) in [(unit_op, "unit"), (entry_op, "entry")].iter().enumerate() {
            conn.execute(
                "INSERT INTO team_outbox (op_id, kind, subject, body, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                rusqlite::params![
                    op.to_string(),
                    kind,
                    uuid::Uuid::new_v4().as_bytes(),
                    format!(r#"{{"kind":"{kind}_put"}}"#),
                    n as i64
                ],
            )
            .unwrap();
        }
    }
    let ws = Workspace::open(&path).unwrap();
    let team = ws.team().unwrap().unwrap();
    assert_eq!(
        (
            team.user.as_str(),
            team.team.as_str(),
            team.pulled_seq,
            team.outbox
        ),
        ("anna", "desk", 42, 2)
    );
    // Joined before tokens were named per workspace.
    assert_eq!(team.token_key, None);
    assert!(team.rejected.is_empty());
    // v22 rebuilt the outbox: the operations stay, in their order.
    let ops: Vec<_> = ws.outbox(10).unwrap().iter().map(|op| op.op_id).collect();
    assert_eq!(ops, [unit_op, entry_op]);
}

/// Version 24 keeps one unit per pair and TM by an index of its
/// own instead of a constraint of the table, which it rebuilds: a workspace
/// of version 22 keeps its units, their ids, what refers to them (a team
/// replica's mapping) and the rule.
#[test]
fn a_v22_workspace_keeps_its_units_when_the_pair_rule_becomes_an_index() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ws.sqlite");
    let units_of = |conn: &rusqlite::Connection| -> Vec<(i64, String, String, Option<i64>, i64)> {
        conn.prepare(
            "SELECT u.id, t.name, u.source, u.context_hash, u.pair_hash
             FROM tm_units u JOIN tms t ON t.id = u.tm_id ORDER BY u.id",
        )
        .unwrap()
        .query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
    };
    let before = {
        let conn = workspace_at_version(&path, 22);
        conn.execute_batch(
            "INSERT INTO tms (id, name, created_at) VALUES (1, 'a', 0), (2, 'b', 0);
             INSERT INTO tm_units (id, tm_id, source, target, context_hash, changed_by, pair_hash)
             VALUES (7, 1, 'Uno.', 'One.', NULL, NULL, 11),
                    (9, 1, 'Due.', 'Two.', 5, 'anna', 12),
                    (12, 2, 'Uno.', 'One.', NULL, NULL, 11);
             INSERT INTO team_units (uuid, unit_id) VALUES (x'01', 9);",
        )
        .unwrap();
        units_of(&conn)
    };
    let ws = Workspace::open(&path).unwrap();
    assert_eq!(ws.schema_version().unwrap(), LATEST);
    assert_eq!(units_of(&ws.conn), before);
    let changed_by: Option<String> = ws
        .conn
        .query_row("SELECT changed_by FROM tm_units WHERE id = 9", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(changed_by.as_deref(), Some("anna"));
    let indexes: Vec<String> = ws
        .conn
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'tm_units' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(indexes, ["tm_units_by_context", "tm_units_by_pair"]);
    let twice = ws.conn.execute(
        "INSERT INTO tm_units (tm_id, source, target, pair_hash) VALUES (1, 'Uno.', 'One.', 11)",
        [],
    );
    assert!(twice.is_err(), "one unit per pair and TM");
    // The mapping refers to the new table: deleting the unit deletes it.
    let mapped = |ws: &Workspace| -> i64 {
        ws.conn
            .query_row(
                "SELECT count(*) FROM team_units WHERE unit_id = 9",
                [],
                |r| r.get(0),
            )
            .unwrap()
    };
    assert_eq!(mapped(&ws), 1);
    ws.conn
        .execute("DELETE FROM tm_units WHERE id = 9", [])
        .unwrap();
    assert_eq!(mapped(&ws), 0);
}

/// Pairs "Italian/English" as TMX units.
fn tmx_of(pairs: &[&str]) -> String {
    let mut tmx = String::from(r#"<tmx version="1.4"><header srclang="it"/><body>"#);
    for pair in pairs {
        let (source, target) = pair.split_once('/').unwrap();
        tmx.push_str(&format!(
            r#"<tu><tuv xml:lang="it"><seg>{source}</seg></tuv><tuv xml:lang="en"><seg>{target}</seg></tuv></tu>"#
        ));
    }
    tmx.push_str("</body></tmx>");
    tmx
}

fn import(
    ws: &mut Workspace,
    tm: &str,
    tmx: &str,
) -> Result<super::tm::TmImportReport, super::tm::TmImportError> {
    ws.import_tmx(tmx.as_bytes(), tm, false, &mut |_, _| {}, &mut |_, _| {})
}

/// The schema's change counter: it moves when an index is dropped or built.
fn schema_changes(ws: &Workspace) -> i64 {
    ws.conn
        .query_row("PRAGMA schema_version", [], |r| r.get(0))
        .unwrap()
}

fn sources_of(ws: &Workspace, tm: &str) -> Vec<String> {
    ws.conn
        .prepare("SELECT u.source FROM tm_units u JOIN tms t ON t.id = u.tm_id WHERE t.name = ?1 ORDER BY u.id")
        .unwrap()
        .query_map([tm], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

/// Issue 18: an import that has added as many units as the workspace held
/// (three in the tests) drops the pair index, checks the rest of its pairs
/// in memory and builds the index again; it finds the same duplicates as
/// the look-ups before it: within the file (before and after the switch),
/// a pair the TM already holds, and never a pair of another TM.
#[test]
fn an_import_that_rebuilds_the_pair_index_finds_the_same_duplicates() {
    let mut ws = Workspace::open_in_memory().unwrap();
    import(&mut ws, "tm", &tmx_of(&["Uno./One."])).unwrap();
    import(&mut ws, "other", &tmx_of(&["Cinque./Five."])).unwrap();
    let changes = schema_changes(&ws);
    let file = tmx_of(&[
        "Due./Two.",
        "Tre./Three.",
        "Due./Two.",
        "Quattro./Four.",
        // The pairs are checked in memory from here on.
        "Uno./One.",
        "Cinque./Five.",
        "Tre./Three.",
        "Sei./Six.",
        "Sei./Six.",
        "Sei./Sixth.",
    ]);
    let report = import(&mut ws, "tm", &file).unwrap();
    assert_eq!((report.added, report.duplicates), (6, 4));
    assert_eq!(
        sources_of(&ws, "tm"),
        ["Uno.", "Due.", "Tre.", "Quattro.", "Cinque.", "Sei.", "Sei."]
    );
    assert_eq!(sources_of(&ws, "other"), ["Cinque."]);
    assert_eq!(schema_changes(&ws), changes + 2, "dropped and built again");
    // The index is back and keeps the rule: the same file again adds nothing.
    let again = import(&mut ws, "tm", &file).unwrap();
    assert_eq!((again.added, again.duplicates), (0, 10));
    let twice = ws.conn.execute(
        "INSERT INTO tm_units (tm_id, source, target, pair_hash)
         SELECT tm_id, source, target, pair_hash FROM tm_units WHERE source = 'Sei.'",
        [],
    );
    assert!(twice.is_err(), "one unit per pair and TM");
}

/// A small import into a workspace holding more units than it brings looks
/// each pair up in the index, which it leaves alone.
#[test]
fn a_small_import_into_a_larger_workspace_keeps_the_pair_index() {
    let mut ws = Workspace::open_in_memory().unwrap();
    import(
        &mut ws,
        "big",
        &tmx_of(&["A/a", "B/b", "C/c", "D/d", "E/e", "F/f"]),
    )
    .unwrap();
    let changes = schema_changes(&ws);
    let report = import(&mut ws, "small", &tmx_of(&["A/a", "G/g", "G/g", "H/h"])).unwrap();
    assert_eq!((report.added, report.duplicates), (3, 1));
    assert_eq!(schema_changes(&ws), changes);
}

/// An import that fails after dropping the pair index leaves nothing of it:
/// no unit, and the index in place.
#[test]
fn an_import_failing_after_the_pair_index_was_dropped_leaves_it_in_place() {
    let mut ws = Workspace::open_in_memory().unwrap();
    let mut file = tmx_of(&["A/a", "B/b", "C/c", "D/d", "E/e"]);
    file.truncate(file.len() - "</body></tmx>".len());
    file.push_str("<tu><tuv xml:lang=\"it\"><seg>F</seg></tuv>");
    assert!(import(&mut ws, "tm", &file).is_err());
    assert!(sources_of(&ws, "tm").is_empty());
    let indexes: i64 = ws
        .conn
        .query_row(
            "SELECT count(*) FROM sqlite_schema WHERE name = 'tm_units_by_pair'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(indexes, 1);
}
