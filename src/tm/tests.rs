//! Lookups, confirmation and analysis over a workspace, and the saved index.

use super::*;
use crate::store::Status;
use crate::testing::{typography_score, TYPOGRAPHY_PAIRS};

fn workspace_with(article: &str) -> (Workspace, i64) {
    let mut ws = Workspace::open_in_memory().unwrap();
    let doc = crate::import_bytes("a.txt", Some("txt"), article.as_bytes()).unwrap();
    let id = ws
        .add_document("a", None, &doc, &crate::Segmenter::italian::<&str>(&[]))
        .unwrap();
    (ws, id)
}

#[test]
fn context_match_numbers_and_diff() {
    let (mut ws, doc) =
        workspace_with("Prima frase. Il PIL è cresciuto del 1,8% nel 2023. Ultima frase.");
    let mut matcher = Matcher::build(&ws).unwrap();
    let segments = ws.segments(doc).unwrap();
    let gdp = segments[1].id;
    set_target(
        &mut ws,
        Some(&mut matcher),
        doc,
        gdp,
        "GDP grew by 1.8% in 2023.",
        Status::Translated,
        true,
    )
    .unwrap();
    assert_eq!(matcher.len(), 1, "searchable at once");

    let context = ws.segment_context(doc, gdp).unwrap();
    let source = "Il PIL è cresciuto del 1,8% nel 2023.";
    let in_context = matcher
        .lookup(
            &ws,
            &MatchQuery::new(source)
                .in_context(context)
                .at_least(70)
                .best(5),
        )
        .unwrap();
    assert_eq!(in_context[0].score, CONTEXT_MATCH);
    let elsewhere = matcher
        .lookup(
            &ws,
            &MatchQuery::new(source)
                .in_context(context + 1)
                .at_least(70)
                .best(5),
        )
        .unwrap();
    assert_eq!(elsewhere[0].score, 100);

    let numbers = matcher
        .lookup(
            &ws,
            &MatchQuery::new("Il PIL è cresciuto del 2,5% nel 2024.")
                .at_least(70)
                .best(5),
        )
        .unwrap();
    assert_eq!(numbers[0].score, 99);
    assert_eq!(
        numbers[0].adapted_target.as_deref(),
        Some("GDP grew by 2.5% in 2024.")
    );

    let fuzzy = matcher
        .lookup(
            &ws,
            &MatchQuery::new("Il PIL è calato del 1,8% nel 2023.")
                .at_least(70)
                .best(5),
        )
        .unwrap();
    assert_eq!(fuzzy[0].adapted_target, None);
    assert!(fuzzy[0]
        .diff
        .iter()
        .any(|(kind, text)| *kind == DiffKind::Delete && text.contains("cresciuto")));
    assert!(fuzzy[0]
        .diff
        .iter()
        .any(|(kind, text)| *kind == DiffKind::Insert && text.contains("calato")));
}

#[test]
fn saved_index_is_reused_extended_and_dropped_when_stale() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ws.sqlite");
    let mut ws = Workspace::open(&db).unwrap();
    let tmx = r#"<tmx version="1.4"><header srclang="it"/><body>
        <tu><tuv xml:lang="it"><seg>Il gatto dorme.</seg></tuv><tuv xml:lang="en"><seg>The cat sleeps.</seg></tuv></tu>
        </body></tmx>"#;
    let (_, matcher) = import_tmx(&mut ws, tmx.as_bytes(), "ref", false, &mut |_, _| {}).unwrap();
    assert_eq!(matcher.len(), 1);
    let saved = ws.tm_index_path().unwrap();
    assert!(saved.exists(), "a built index is saved");

    // A unit added later is picked up on top of the saved index.
    let doc = crate::import_bytes("a.txt", Some("txt"), "Il cane dorme.".as_bytes()).unwrap();
    let doc = ws
        .add_document("a", None, &doc, &crate::Segmenter::italian::<&str>(&[]))
        .unwrap();
    let segment = ws.segments(doc).unwrap()[0].id;
    set_target(
        &mut ws,
        None,
        doc,
        segment,
        "The dog sleeps.",
        Status::Translated,
        true,
    )
    .unwrap();
    let mut matcher = Matcher::open(&ws).unwrap();
    assert_eq!(matcher.len(), 2);
    let found = matcher
        .lookup(
            &ws,
            &MatchQuery::new("Il cane dorme.").at_least(100).best(5),
        )
        .unwrap();
    assert_eq!(found[0].unit.target, "The dog sleeps.");

    // Deleting a TM makes the saved index stale: it is rebuilt.
    ws.delete_tm("ref").unwrap();
    let mut matcher = Matcher::open(&ws).unwrap();
    assert_eq!(matcher.len(), 1);
    assert!(matcher
        .lookup(
            &ws,
            &MatchQuery::new("Il gatto dorme.").at_least(90).best(5)
        )
        .unwrap()
        .is_empty());

    // A damaged file is ignored and replaced.
    std::fs::write(&saved, b"garbage").unwrap();
    assert_eq!(Matcher::open(&ws).unwrap().len(), 1);
}

#[test]
fn concordance_catches_up_on_another_connection_while_this_one_writes() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ws.sqlite");
    let mut ws = Workspace::open(&db).unwrap();
    let mut tmx = String::from(r#"<tmx version="1.4"><header srclang="it"/><body>"#);
    for i in 0..45_000 {
        tmx.push_str(&format!(
            r#"<tu><tuv xml:lang="it"><seg>Voce numero {i} del glossario</seg></tuv><tuv xml:lang="en"><seg>Entry number {i}</seg></tuv></tu>"#
        ));
    }
    tmx.push_str("</body></tmx>");
    // Stored without the concordance index, as by an older version.
    ws.import_tmx(tmx.as_bytes(), "big", false, &mut |_, _| {}, &mut |_, _| {})
        .unwrap();
    let background = std::thread::spawn({
        let db = db.clone();
        move || Workspace::open(&db).unwrap().catch_up().unwrap()
    });
    // Meanwhile this connection confirms segments: each waits for one
    // step of the catch-up at most.
    let doc = crate::import_bytes("a.txt", Some("txt"), "Il cane dorme.".as_bytes()).unwrap();
    let doc = ws
        .add_document("a", None, &doc, &crate::Segmenter::italian::<&str>(&[]))
        .unwrap();
    let segment = ws.segments(doc).unwrap()[0].id;
    set_target(
        &mut ws,
        None,
        doc,
        segment,
        "The dog sleeps.",
        Status::Translated,
        true,
    )
    .unwrap();
    let caught_up = background.join().unwrap();
    assert!(
        caught_up >= 45_000,
        "every imported unit indexed: {caught_up}"
    );
    let hits = ws.tm_search("numero 44999", 5).unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].target, "Entry number 44999");
    let dog = ws.tm_search("cane", 5).unwrap();
    assert_eq!(dog[0].target, "The dog sleeps.");
    assert_eq!(ws.sync_concordance().unwrap(), 0, "nothing left to do");
}

#[test]
fn a_filler_told_of_each_commit_indexes_the_units_as_they_come() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ws.sqlite");
    let mut ws = Workspace::open(&db).unwrap();
    let tmx = |batch: usize| {
        let mut tmx = String::from(r#"<tmx version="1.4"><header srclang="it"/><body>"#);
        for i in 0..3 {
            tmx.push_str(&format!(
                r#"<tu><tuv xml:lang="it"><seg>Lotto {batch} voce {i}</seg></tuv><tuv xml:lang="en"><seg>Batch {batch} entry {i}</seg></tuv></tu>"#
            ));
        }
        tmx.push_str("</body></tmx>");
        tmx
    };
    let (committed, told) = std::sync::mpsc::channel::<()>();
    let filler = std::thread::spawn({
        let db = db.clone();
        move || {
            Workspace::open(&db)
                .unwrap()
                .sync_concordance_while(&mut || told.recv().is_ok())
                .unwrap()
        }
    });
    for batch in 0..4 {
        ws.import_tmx(
            tmx(batch).as_bytes(),
            "t",
            false,
            &mut |_, _| {},
            &mut |_, _| {},
        )
        .unwrap();
        committed.send(()).unwrap();
        if batch == 1 {
            // The filler's transaction, left open for more (fewer units
            // than a transaction takes), is committed while none come:
            // a search on another connection waits for it, then works.
            std::thread::sleep(std::time::Duration::from_millis(100));
            let hits = ws.tm_search("lotto 1 voce 2", 5).unwrap();
            assert_eq!(hits.len(), 1);
        }
    }
    drop(committed);
    let filled = filler.join().unwrap();
    assert!(
        (6..=12).contains(&filled),
        "the units not indexed by the search, each once: {filled}"
    );
    for batch in 0..4 {
        let hits = ws.tm_search(&format!("batch {batch} entry 2"), 5).unwrap();
        assert_eq!(hits.len(), 1, "batch {batch}");
    }
    assert_eq!(ws.sync_concordance().unwrap(), 0, "nothing left to do");
}

#[test]
fn units_taking_the_ids_of_a_deleted_tm_are_found_by_the_concordance() {
    let dir = tempfile::tempdir().unwrap();
    let mut ws = Workspace::open(&dir.path().join("ws.sqlite")).unwrap();
    let tmx = r#"<tmx version="1.4"><header srclang="it"/><body>
<tu><tuv xml:lang="it"><seg>Il gatto dorme.</seg></tuv><tuv xml:lang="en"><seg>The cat sleeps.</seg></tuv></tu>
<tu><tuv xml:lang="it"><seg>Il cane abbaia.</seg></tuv><tuv xml:lang="en"><seg>The dog barks.</seg></tuv></tu>
</body></tmx>"#;
    import_tmx(&mut ws, tmx.as_bytes(), "pets", false, &mut |_, _| {}).unwrap();
    assert_eq!(ws.tm_search("gatto", 5).unwrap().len(), 1);
    // The last TM deleted, searched, imported again corrected: its units
    // take the deleted ones' ids, which the index had held.
    ws.delete_tm("pets").unwrap();
    assert!(ws.tm_search("gatto", 5).unwrap().is_empty());
    let corrected = tmx.replace("gatto", "topo").replace("cat", "mouse");
    import_tmx(&mut ws, corrected.as_bytes(), "pets", false, &mut |_, _| {}).unwrap();
    assert_eq!(ws.tm_search("topo", 5).unwrap().len(), 1);
    assert_eq!(ws.tm_search("cane", 5).unwrap().len(), 1);
    assert!(ws.tm_search("gatto", 5).unwrap().is_empty());
}

#[test]
fn word_hits_ignore_case_accents_and_typography() {
    assert_eq!(
        word_hits("Città e città, CITTA", "citta"),
        [(0, 5), (8, 13), (15, 20)]
    );
    assert_eq!(word_hits("nessuna", "citta"), []);
    assert_eq!(
        word_hits("il voto dellʼOnu", "dell'Onu"),
        [(8, 12), (13, 16)]
    );
    assert_eq!(
        word_hits("il voto dell'Onu", "dellʼOnu"),
        [(8, 12), (13, 16)]
    );
}

/// A TMX file of units with these sources (and "EN" before each as target).
fn tmx(sources: &[&str]) -> String {
    let mut tmx = String::from(r#"<tmx version="1.4"><header srclang="it"/><body>"#);
    for source in sources {
        tmx.push_str(&format!(
            r#"<tu><tuv xml:lang="it"><seg>{source}</seg></tuv><tuv xml:lang="en"><seg>EN {source}</seg></tuv></tu>"#
        ));
    }
    tmx.push_str("</body></tmx>");
    tmx
}

/// Issue: "Typographic apostrophes and quotes break TM matches". Through the
/// index and through the exhaustive scan, either way round.
#[test]
fn typographic_variants_are_found_by_lookup() {
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
        let mut ws = Workspace::open_in_memory().unwrap();
        let (_, mut matcher) = import_tmx(
            &mut ws,
            tmx(&stored).as_bytes(),
            "tm",
            false,
            &mut |_, _| {},
        )
        .unwrap();
        for (((kind, _, _), stored), asked) in TYPOGRAPHY_PAIRS.iter().zip(&stored).zip(&asked) {
            let expected = typography_score(kind);
            for search in [Search::Indexed, Search::Exhaustive] {
                let found = matcher
                    .lookup(
                        &ws,
                        &MatchQuery {
                            search,
                            ..MatchQuery::new(asked).at_least(expected).best(5)
                        },
                    )
                    .unwrap();
                let found: Vec<(u32, &str)> = found
                    .iter()
                    .map(|m| (m.score, m.unit.source.as_str()))
                    .collect();
                assert_eq!(found, [(expected, *stored)], "{kind}, {search:?}");
            }
        }
    }
}

/// Word keys changed (’ is now '), so an index saved with the keys of
/// before must not be searched: it is rebuilt.
#[test]
fn an_index_saved_with_unfolded_keys_is_rebuilt() {
    let dir = tempfile::tempdir().unwrap();
    let mut ws = Workspace::open(&dir.path().join("ws.sqlite")).unwrap();
    let (_, typographic, plain) = TYPOGRAPHY_PAIRS[0];
    let (_, mut matcher) = import_tmx(
        &mut ws,
        tmx(&[typographic]).as_bytes(),
        "tm",
        false,
        &mut |_, _| {},
    )
    .unwrap();
    let unit = matcher
        .lookup(&ws, &MatchQuery::new(typographic).at_least(100).best(1))
        .unwrap()[0]
        .unit
        .id;
    // The index as the previous version saved it: words lower-cased only.
    let mut old = index::TmIndex::new();
    let old_keys: Vec<String> = tokenize(typographic)
        .iter()
        .map(|t| match t.kind {
            crate::text::tokenize::TokenKind::Word => t.text.to_lowercase(),
            _ => t.key().into_owned(),
        })
        .collect();
    old.insert(unit, &old_keys).unwrap();
    let mut file = Vec::new();
    old.write_to(&mut file, ws.tm_generation().unwrap())
        .unwrap();
    file[..8].copy_from_slice(b"ILNAIDX4");
    std::fs::write(ws.tm_index_path().unwrap(), file).unwrap();

    let found = Matcher::open(&ws)
        .unwrap()
        .lookup(&ws, &MatchQuery::new(plain).at_least(99).best(1))
        .unwrap();
    assert_eq!(found.len(), 1, "found with the new keys");
    assert_eq!(found[0].score, 99);
}

/// An article with each typographic sentence next to its plain twin,
/// `typographic_first` or the other way round.
fn article_of_twins(typographic_first: bool) -> String {
    TYPOGRAPHY_PAIRS
        .iter()
        .map(|(_, t, p)| {
            if typographic_first {
                format!("{t}\n\n{p}\n\n")
            } else {
                format!("{p}\n\n{t}\n\n")
            }
        })
        .collect()
}

#[test]
fn confirming_propagates_to_typographic_variants() {
    for typographic_first in [true, false] {
        let (mut ws, doc) = workspace_with(&article_of_twins(typographic_first));
        let segments = ws.segments(doc).unwrap();
        assert_eq!(segments.len(), 2 * TYPOGRAPHY_PAIRS.len());
        for (twins, (kind, _, _)) in segments.chunks(2).zip(TYPOGRAPHY_PAIRS) {
            let confirmed = set_target(
                &mut ws,
                None,
                doc,
                twins[0].id,
                kind,
                Status::Translated,
                true,
            )
            .unwrap();
            assert_eq!(confirmed.propagated, [twins[1].id], "{kind}");
            assert_eq!(ws.segment(doc, twins[1].id).unwrap().target, kind);
        }
    }
}

#[test]
fn analysis_counts_typographic_variants_as_repetitions_and_matches() {
    let (ws, doc) = workspace_with(&article_of_twins(true));
    let mut matcher = Matcher::build(&ws).unwrap();
    let bands = analyze(&ws, &mut matcher, doc).unwrap();
    let n_pairs = TYPOGRAPHY_PAIRS.len();
    assert_eq!(bands[2].segments, n_pairs, "repetitions");
    assert_eq!(bands[7].segments, n_pairs, "no match");

    // Against a TM of the plain sentences, the typographic ones are matches.
    let typographic: String = TYPOGRAPHY_PAIRS
        .iter()
        .map(|(_, t, _)| format!("{t}\n\n"))
        .collect();
    let (mut ws, doc) = workspace_with(&typographic);
    let plain: Vec<&str> = TYPOGRAPHY_PAIRS.iter().map(|(_, _, p)| *p).collect();
    let (_, mut matcher) =
        import_tmx(&mut ws, tmx(&plain).as_bytes(), "tm", false, &mut |_, _| {}).unwrap();
    let bands = analyze(&ws, &mut matcher, doc).unwrap();
    let n_spaces = TYPOGRAPHY_PAIRS
        .iter()
        .filter(|(kind, _, _)| typography_score(kind) == 100)
        .count();
    assert_eq!(bands[1].segments, n_spaces, "100%");
    assert_eq!(bands[3].segments, n_pairs - n_spaces, "95-99%");
}

/// Issue 19: exact matches fill new, empty segments (context first), never
/// one with English; what was filled is counted back.
#[test]
fn exact_matches_fill_only_empty_new_segments() {
    let article = "Prima frase. Il PIL è cresciuto del 1,8% nel 2023. Ultima frase. Altra frase.";
    let (mut ws, doc) = workspace_with(article);
    let mut matcher = Matcher::build(&ws).unwrap();
    let ids: Vec<i64> = ws.segments(doc).unwrap().iter().map(|s| s.id).collect();
    for (id, english) in [
        (ids[1], "GDP grew by 1.8% in 2023."),
        (ids[2], "Last sentence."),
    ] {
        set_target(
            &mut ws,
            Some(&mut matcher),
            doc,
            id,
            english,
            Status::Translated,
            false,
        )
        .unwrap();
    }
    let again = ws
        .add_document(
            "b",
            None,
            &crate::import_bytes(
                "b.txt",
                Some("txt"),
                format!("{article}\n\nUltima frase.").as_bytes(),
            )
            .unwrap(),
            &crate::Segmenter::italian::<&str>(&[]),
        )
        .unwrap();
    let segments = ws.segments(again).unwrap();
    // English typed before the fill stays.
    ws.set_target(again, segments[2].id, "My own ending.", Status::Draft)
        .unwrap();
    let filled = fill_exact(&mut ws, &mut matcher, again, Status::Draft).unwrap();
    let scores: Vec<(i64, u32)> = filled.iter().map(|f| (f.segment, f.score)).collect();
    assert_eq!(
        scores,
        [(segments[1].id, CONTEXT_MATCH), (segments[4].id, 100)]
    );
    let after: Vec<(String, Status)> = ws
        .segments(again)
        .unwrap()
        .into_iter()
        .map(|s| (s.target, s.status))
        .collect();
    assert_eq!(
        after,
        [
            (String::new(), Status::New),
            ("GDP grew by 1.8% in 2023.".to_string(), Status::Draft),
            ("My own ending.".to_string(), Status::Draft),
            (String::new(), Status::New),
            ("Last sentence.".to_string(), Status::Draft),
        ]
    );
    let counts = filled_counts(&ws, again).unwrap();
    assert_eq!((counts[0].segments, counts[1].segments), (1, 1));
    // The segment's history says where its English came from.
    let versions = ws.versions(again, segments[1].id).unwrap();
    assert_eq!(versions.len(), 1);
    assert_eq!(versions[0].origin, crate::store::Origin::Tm);
    // Filled once: nothing is left to fill.
    assert!(fill_exact(&mut ws, &mut matcher, again, Status::Draft)
        .unwrap()
        .is_empty());
}

mod codes {
    use super::*;
    use crate::document::{Block, BlockKind, Document, InlineCode, SourceFormat, Translatable};
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

    fn link(to: &str) -> InlineCode {
        InlineCode {
            element: "a".into(),
            open: format!(r#"<a href="{to}">"#),
            close: "</a>".into(),
            title: to.into(),
        }
    }

    fn br() -> InlineCode {
        InlineCode {
            element: "br".into(),
            open: "<br>".into(),
            ..InlineCode::default()
        }
    }

    /// A document of one-sentence paragraphs with these codes.
    fn document(ws: &mut Workspace, blocks: Vec<(String, Vec<InlineCode>)>) -> i64 {
        let doc = Document {
            format: SourceFormat::Html,
            blocks: blocks
                .into_iter()
                .map(|(text, codes)| Block {
                    kind: BlockKind::Paragraph,
                    text,
                    codes,
                    translatable: Translatable::Yes,
                })
                .collect(),
        };
        ws.add_document("a", None, &doc, &crate::Segmenter::italian::<&str>(&[]))
            .unwrap()
    }

    /// Issue 18: "a match that differs only in a tag scores 62–66", and a
    /// match's codes were the unit's, not the segment's.
    #[test]
    fn a_match_brings_the_segments_own_codes_and_a_tag_costs_one_point() {
        let mut ws = Workspace::open_in_memory().unwrap();
        let doc = document(
            &mut ws,
            vec![
                // Codes numbered against their order in the block.
                (
                    format!("Il sindaco di {}Roma{} ha parlato.{}", o(1), c(1), s(0)),
                    vec![br(), link("https://a.example")],
                ),
                ("Il sindaco di Roma ha parlato.".into(), vec![]),
                (
                    format!("Il sindaco di {}Roma{} ha parlato.{}", o(0), c(0), s(1)),
                    vec![link("https://b.example"), br()],
                ),
                (
                    format!("Il sindaco di {}Roma{} ha parlato.", o(3), c(3)),
                    vec![br(), br(), br(), link("https://c.example")],
                ),
            ],
        );
        let segments = ws.segments(doc).unwrap();
        let mut matcher = Matcher::build(&ws).unwrap();
        let english = format!("The mayor of {}Rome{} spoke.{}", o(1), c(1), s(0));
        set_target(
            &mut ws,
            Some(&mut matcher),
            doc,
            segments[0].id,
            &english,
            Status::Translated,
            true,
        )
        .unwrap();
        // Stored with the unit's own ids, in the Italian's order.
        let stored = ws.tm_unit(1).unwrap().unwrap();
        assert_eq!(
            stored.source,
            format!("Il sindaco di {}Roma{} ha parlato.{}", o(0), c(0), s(1))
        );
        let best = |ws: &Workspace, matcher: &mut Matcher, at: usize| {
            let found = matcher
                .lookup(ws, &MatchQuery::new(&segments[at].source).best(1))
                .unwrap();
            let m = found.into_iter().next().unwrap();
            (m.score, m.unit.target)
        };
        let context = ws.segment_context(doc, segments[0].id).unwrap();
        let again = matcher
            .lookup(
                &ws,
                &MatchQuery::new(&segments[0].source).in_context(context),
            )
            .unwrap();
        assert_eq!(
            (again[0].score, &again[0].unit.target),
            (CONTEXT_MATCH, &english)
        );
        assert_eq!(
            best(&ws, &mut matcher, 1),
            (99, "The mayor of Rome spoke.".to_string())
        );
        assert_eq!(
            best(&ws, &mut matcher, 2),
            (
                100,
                format!("The mayor of {}Rome{} spoke.{}", o(0), c(0), s(1))
            ),
            "the current segment's link, by number"
        );
        assert_eq!(
            best(&ws, &mut matcher, 3),
            (99, format!("The mayor of {}Rome{} spoke.", o(3), c(3)))
        );
        // Pre-translation writes them: the store takes only the Italian's codes.
        // (The third segment got the English when the first was confirmed.)
        assert_eq!(pretranslate(&mut ws, &mut matcher, doc, 50).unwrap(), 2);
        let targets: Vec<String> = ws
            .segments(doc)
            .unwrap()
            .into_iter()
            .map(|s| s.target)
            .collect();
        assert_eq!(targets[1], "The mayor of Rome spoke.");
        assert_eq!(
            targets[2],
            format!("The mayor of {}Rome{} spoke.{}", o(0), c(0), s(1))
        );
        assert_eq!(
            targets[3],
            format!("The mayor of {}Rome{} spoke.", o(3), c(3))
        );

        // Export writes the codes as TMX elements with the original markup.
        let mut out = Vec::new();
        ws.export_tmx(Some(crate::store::tm::WORKSPACE_TM), &mut out)
            .unwrap();
        let xml = String::from_utf8(out).unwrap();
        assert!(!xml.chars().any(crate::text::codes::is_code), "{xml}");
        assert!(
            xml.contains(r#"<seg>The mayor of <bpt i="1" x="1">&lt;a href=&quot;https://a.example&quot;&gt;</bpt>Rome<ept i="1">&lt;/a&gt;</ept> spoke.<ph x="2">&lt;br&gt;</ph></seg>"#),
            "{xml}"
        );
        // And a TMX import reads them back as the same unit.
        let mut again = Workspace::open_in_memory().unwrap();
        again
            .import_tmx(
                xml.as_bytes(),
                "back",
                false,
                &mut |_, _| {},
                &mut |_, _| {},
            )
            .unwrap();
        let back = again.tm_unit(1).unwrap().unwrap();
        assert_eq!((back.source, back.target), (stored.source, stored.target));
    }

    #[test]
    fn propagation_gives_each_segment_its_own_codes() {
        let mut ws = Workspace::open_in_memory().unwrap();
        let doc = document(
            &mut ws,
            vec![
                (
                    format!("Vedi {}qui{}.", o(0), c(0)),
                    vec![link("https://a.example")],
                ),
                (
                    format!("{}Vedi {}qui{}.", s(0), o(1), c(1)),
                    vec![br(), link("https://b.example")],
                ),
                (format!("Vedi {}qui{}.", o(4), c(4)), {
                    let mut codes = vec![br(); 4];
                    codes.push(link("https://c.example"));
                    codes
                }),
            ],
        );
        let segments = ws.segments(doc).unwrap();
        let confirmed = set_target(
            &mut ws,
            None,
            doc,
            segments[0].id,
            &format!("See {}here{}.", o(0), c(0)),
            Status::Translated,
            true,
        )
        .unwrap();
        assert_eq!(
            confirmed.propagated,
            [segments[2].id],
            "not the one with a break"
        );
        assert_eq!(
            ws.segment(doc, segments[2].id).unwrap().target,
            format!("See {}here{}.", o(4), c(4))
        );
    }

    /// The index and the exhaustive scan agree with codes in the units and
    /// the queries, wherever the codes sit.
    #[test]
    fn recall_equals_the_exhaustive_scan_with_codes() {
        let words = [
            "il",
            "sindaco",
            "di",
            "Roma",
            "ha",
            "parlato",
            "ieri",
            "sera",
            "al",
            "consiglio",
        ];
        let mut rng = 0x2545_F491_4F6C_DD1Du64;
        let mut next = |bound: usize| {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            (rng % bound as u64) as usize
        };
        let sentence = |next: &mut dyn FnMut(usize) -> usize| {
            let n = 3 + next(8);
            let mut text = String::new();
            let mut open = None;
            for k in 0..n {
                if k > 0 {
                    text.push(' ');
                }
                match next(6) {
                    0 if open.is_none() => {
                        text.push(o(0));
                        open = Some(0);
                    }
                    1 => text.push(s(1)),
                    _ => {}
                }
                text.push_str(words[next(words.len())]);
                if next(4) == 0 {
                    if let Some(id) = open.take() {
                        text.push(c(id));
                    }
                }
            }
            if let Some(id) = open {
                text.push(c(id));
            }
            text.push('.');
            text
        };
        let units: Vec<String> = (0..400).map(|_| sentence(&mut next)).collect();
        let mut ws = Workspace::open_in_memory().unwrap();
        let xml = {
            let mut writer = crate::formats::tmx::TmxWriter::new(Vec::new(), "it", "en").unwrap();
            for source in &units {
                writer
                    .write_unit(&crate::formats::tmx::TmxUnit {
                        source: source.clone(),
                        target: source.clone(),
                        ..Default::default()
                    })
                    .unwrap();
            }
            writer.finish().unwrap()
        };
        let (_, mut matcher) = import_tmx(&mut ws, &xml[..], "tm", false, &mut |_, _| {}).unwrap();
        let mut n_found = 0;
        for _ in 0..60 {
            let query = sentence(&mut next);
            for min_score in [50, 75, 90] {
                let ask = |search| MatchQuery {
                    search,
                    ..MatchQuery::new(&query).at_least(min_score).best(50)
                };
                let fast = matcher.lookup(&ws, &ask(Search::Indexed)).unwrap();
                let slow = matcher.lookup(&ws, &ask(Search::Exhaustive)).unwrap();
                let ids = |found: &[TmMatch]| {
                    found
                        .iter()
                        .map(|m| (m.score, m.unit.id))
                        .collect::<Vec<_>>()
                };
                assert_eq!(ids(&fast), ids(&slow), "{query:?} at {min_score}");
                n_found += fast.len();
                for m in &fast {
                    assert!(
                        crate::text::codes::marks(&m.unit.target)
                            .all(|mark| crate::text::codes::marks(&query).any(|q| q == mark)),
                        "a match's English holds only the query's codes"
                    );
                }
            }
        }
        assert!(n_found > 100, "the test must find matches: {n_found}");
    }
}

#[test]
fn an_import_fills_the_concordance_index() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ws.sqlite");
    let mut ws = Workspace::open(&db).unwrap();
    let units = |from: usize, to: usize| {
        let mut tmx = String::from(r#"<tmx version="1.4"><header srclang="it"/><body>"#);
        for i in from..to {
            tmx.push_str(&format!(
                r#"<tu><tuv xml:lang="it"><seg>Voce <bpt i="1">&lt;b&gt;</bpt>numero<ept i="1">&lt;/b&gt;</ept> {i}</seg></tuv><tuv xml:lang="en"><seg>Entry number {i}</seg></tuv></tu>"#
            ));
        }
        tmx + "</body></tmx>"
    };
    import_tmx(
        &mut ws,
        units(0, 5000).as_bytes(),
        "a",
        false,
        &mut |_, _| {},
    )
    .unwrap();
    assert_eq!(ws.sync_concordance().unwrap(), 0, "nothing left to index");
    // Codes do not glue words together in the index.
    assert_eq!(ws.tm_search("voce numero 4321", 5).unwrap().len(), 1);

    // Units another program stored meanwhile are indexed by the next one.
    let mut other = Workspace::open(&db).unwrap();
    other
        .import_tmx(
            units(9000, 9001).as_bytes(),
            "b",
            false,
            &mut |_, _| {},
            &mut |_, _| {},
        )
        .unwrap();
    drop(other);
    import_tmx(
        &mut ws,
        units(5000, 6000).as_bytes(),
        "a",
        false,
        &mut |_, _| {},
    )
    .unwrap();
    assert_eq!(ws.sync_concordance().unwrap(), 0);
    for phrase in ["numero 9000", "numero 5000", "numero 5999", "numero 17"] {
        assert_eq!(ws.tm_search(phrase, 5).unwrap().len(), 1, "{phrase}");
    }
}

#[test]
fn the_concordance_index_follows_changes_deletions_and_a_restored_backup() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ws.sqlite");
    let mut ws = Workspace::open(&db).unwrap();
    let tmx = r#"<tmx version="1.4"><header srclang="it"/><body>
<tu><tuv xml:lang="it"><seg>Il gatto dorme.</seg></tuv><tuv xml:lang="en"><seg>The cat sleeps.</seg></tuv></tu>
</body></tmx>"#;
    import_tmx(&mut ws, tmx.as_bytes(), "pets", false, &mut |_, _| {}).unwrap();
    let backup = dir.path().join("backup.sqlite");
    ws.backup_to(&backup).unwrap();
    assert_eq!(ws.tm_search("gatto", 5).unwrap().len(), 1);

    // A confirmation that changes a unit's English: the index has the new one.
    let doc = crate::import_bytes("a.txt", Some("txt"), "Il cane dorme.".as_bytes()).unwrap();
    let doc = ws
        .add_document("a", None, &doc, &crate::Segmenter::italian::<&str>(&[]))
        .unwrap();
    let segment = ws.segments(doc).unwrap()[0].id;
    for english in ["The dog sleeps.", "The hound slumbers."] {
        set_target(
            &mut ws,
            None,
            doc,
            segment,
            english,
            Status::Translated,
            false,
        )
        .unwrap();
        ws.tm_search("cane", 5).unwrap();
    }
    assert!(ws.tm_search("dog sleeps", 5).unwrap().is_empty());
    assert_eq!(ws.tm_search("hound", 5).unwrap().len(), 1);

    ws.delete_tm("pets").unwrap();
    assert!(ws.tm_search("gatto", 5).unwrap().is_empty());
    // A unit taking the deleted one's id is found by its own words only.
    import_tmx(
        &mut ws,
        tmx.replace("gatto", "topo")
            .replace("cat", "mouse")
            .as_bytes(),
        "pets",
        false,
        &mut |_, _| {},
    )
    .unwrap();
    assert!(ws.tm_search("gatto", 5).unwrap().is_empty());
    assert_eq!(ws.tm_search("topo", 5).unwrap().len(), 1);

    // The backup put back: its units are found, not the index's later ones,
    // in the same files (never deleted: a process may have them open).
    let index = dir.path().join("ws.sqlite-concordance");
    let inode = || std::os::unix::fs::MetadataExt::ino(&std::fs::metadata(&index).unwrap());
    let before = inode();
    let mut left_open = ws;
    // One that never searched opens the index only after the backup's.
    let mut left_unsearched = Workspace::open(&db).unwrap();
    crate::store::backup::restore(&db, &backup).unwrap();
    let uid = |path: &std::path::Path| -> String {
        rusqlite::Connection::open(path)
            .unwrap()
            .query_row("SELECT uid FROM tm_state", [], |r| r.get(0))
            .unwrap()
    };
    assert_ne!(uid(&db), uid(&backup));
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        !names.iter().any(|name| name.contains("restoring")),
        "{names:?}"
    );
    let mut ws = Workspace::open(&db).unwrap();
    assert_eq!(ws.tm_search("gatto", 5).unwrap().len(), 1);
    assert!(ws.tm_search("topo", 5).unwrap().is_empty());
    assert_eq!(inode(), before);
    // A process left open on the workspace replaced is told so, and puts
    // none of the units it still reads into the index.
    for stale in [&mut left_open, &mut left_unsearched] {
        let replaced = stale.tm_search("hound", 5).unwrap_err();
        assert!(
            matches!(replaced, crate::store::StoreError::Replaced),
            "{replaced}"
        );
    }
    drop((left_open, left_unsearched));
    assert!(ws.tm_search("hound", 5).unwrap().is_empty());
    assert!(ws.tm_search("topo", 5).unwrap().is_empty());
    assert_eq!(ws.sync_concordance().unwrap(), 0);

    // Another workspace's index beside this file is not trusted.
    drop(ws);
    let elsewhere = dir.path().join("other.sqlite");
    let mut other = Workspace::open(&elsewhere).unwrap();
    import_tmx(
        &mut other,
        tmx.replace("gatto", "leone").as_bytes(),
        "zoo",
        false,
        &mut |_, _| {},
    )
    .unwrap();
    drop(other);
    std::fs::copy(
        dir.path().join("other.sqlite-concordance"),
        dir.path().join("ws.sqlite-concordance"),
    )
    .unwrap();
    let mut ws = Workspace::open(&db).unwrap();
    assert!(ws.tm_search("leone", 5).unwrap().is_empty());
    assert_eq!(ws.tm_search("gatto", 5).unwrap().len(), 1);

    // An index of the one-file layout, which holds every unit in one file
    // and names no shard, is started afresh.
    drop(ws);
    for file in std::fs::read_dir(dir.path()).unwrap() {
        let path = file.unwrap().path();
        if path.to_string_lossy().contains("ws.sqlite-concordance") {
            std::fs::remove_file(path).unwrap();
        }
    }
    {
        let old = rusqlite::Connection::open(dir.path().join("ws.sqlite-concordance")).unwrap();
        let uid: String = rusqlite::Connection::open(&db)
            .unwrap()
            .query_row("SELECT uid FROM tm_state", [], |r| r.get(0))
            .unwrap();
        old.execute_batch(&format!(
            "CREATE VIRTUAL TABLE tm_fts USING fts5 (source, target, content = '',
                 contentless_delete = 1);
             CREATE TABLE state (workspace TEXT NOT NULL, fts_max INTEGER NOT NULL);
             INSERT INTO state VALUES ('{uid}', 0);
             INSERT INTO tm_fts (rowid, source, target) VALUES (1, 'leone', 'lion');"
        ))
        .unwrap();
    }
    let mut ws = Workspace::open(&db).unwrap();
    assert!(ws.tm_search("leone", 5).unwrap().is_empty());
    assert_eq!(ws.tm_search("gatto", 5).unwrap().len(), 1);
}

/// An import that fails once the match index has units of it (they are
/// sent 4,096 at a time) leaves the saved index as it was, and nothing
/// beside it.
#[test]
fn a_failed_import_leaves_the_saved_index_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ws.sqlite");
    let mut ws = Workspace::open(&db).unwrap();
    let unit = |n: usize| {
        format!(
            r#"<tu><tuv xml:lang="it"><seg>Frase numero {n}.</seg></tuv><tuv xml:lang="en"><seg>Sentence number {n}.</seg></tuv></tu>"#
        )
    };
    let tmx = |units: &str, end: &str| {
        format!(r#"<tmx version="1.4"><header srclang="it"/><body>{units}{end}"#)
    };
    import_tmx(
        &mut ws,
        tmx(&unit(0), "</body></tmx>").as_bytes(),
        "tm",
        false,
        &mut |_, _| {},
    )
    .unwrap();
    let saved = ws.tm_index_path().unwrap();
    let before = std::fs::read(&saved).unwrap();
    let units: String = (1..5000).map(unit).collect();
    let broken = tmx(&units, r#"<tu><tuv xml:lang="it"><seg>Rotta"#);
    assert!(import_tmx(&mut ws, broken.as_bytes(), "tm", false, &mut |_, _| {}).is_err());
    assert_eq!(std::fs::read(&saved).unwrap(), before);
    let mut temporary = saved.into_os_string();
    temporary.push(".tmp");
    assert!(!std::path::Path::new(&temporary).exists());
    assert_eq!(Matcher::open(&ws).unwrap().len(), 1);
}
