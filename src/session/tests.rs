//! The use cases' unit tests: each front's path through the engine, on a real workspace file.

use super::*;
use crate::store::{DocumentSummary, Status};
use crate::termbase::{Entry, Term};
use crate::testing::membership;

fn session() -> (tempfile::TempDir, Session) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ws.sqlite");
    let keys = KeyStore::at(dir.path().join("keys.toml"));
    let session = Session::with_keys(Workspace::open(&path).unwrap(), path, keys);
    (dir, session)
}

fn write(dir: &tempfile::TempDir, name: &str, text: &str) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// Imports `text` as an article; the document and its segments' ids.
fn article(dir: &tempfile::TempDir, session: &Session, text: &str) -> (DocumentSummary, Vec<i64>) {
    let path = write(dir, "a.txt", text);
    let doc = session
        .import_article_blocking(ArticleSource::File(path), None)
        .unwrap();
    let ids = session
        .lock()
        .workspace()
        .segments(doc.id)
        .unwrap()
        .iter()
        .map(|s| s.id)
        .collect();
    (doc, ids)
}

#[test]
fn a_file_is_named_after_itself_and_the_sample_after_its_title() {
    let (dir, session) = session();
    let path = write(&dir, "pil.txt", "Il PIL cresce.\n\nLa Borsa sale.");
    let doc = session
        .import_article_blocking(ArticleSource::File(path.clone()), None)
        .unwrap();
    assert_eq!(doc.name, "pil.txt");
    assert_eq!(doc.n_segments, 2);
    let named = session
        .import_article_blocking(ArticleSource::File(path), Some("Economia"))
        .unwrap();
    assert_eq!(named.name, "Economia");
    let sample = session
        .import_article_blocking(ArticleSource::Sample, None)
        .unwrap();
    assert_eq!(sample.name, crate::import::SAMPLE_ARTICLE_NAME);
    assert!(sample.n_segments > 10, "{}", sample.n_segments);
}

#[test]
fn a_bad_article_stores_nothing_and_says_import() {
    let (dir, session) = session();
    let path = write(&dir, "empty.txt", "   \n");
    let err = session
        .import_article_blocking(ArticleSource::File(path), None)
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Import);
    assert!(session.lock().workspace().documents().unwrap().is_empty());
    assert_eq!(
        ArticleSource::parse("https://example.org/a"),
        ArticleSource::Url("https://example.org/a".into())
    );
    assert_eq!(
        ArticleSource::parse("a.html"),
        ArticleSource::File("a.html".into())
    );
}

#[test]
fn an_edited_segment_offers_its_previous_version_first() {
    let (dir, session) = session();
    let first = write(&dir, "v1.txt", "Il PIL è cresciuto del 2,5% nel 2024.");
    let doc = session
        .import_article_blocking(ArticleSource::File(first), None)
        .unwrap();
    let segment = session.lock().workspace().segments(doc.id).unwrap()[0].id;
    session
        .lock()
        .save_target(
            doc.id,
            segment,
            "GDP grew by 2.5% in 2024.",
            Status::Translated,
            true,
        )
        .unwrap();
    let second = write(&dir, "v2.txt", "Il PIL è cresciuto del 2,7% nel 2024.");
    let revision = session
        .reimport_blocking(doc.id, ArticleSource::File(second))
        .unwrap();
    assert_eq!(revision.revision.summary.edited, 1);
    assert_eq!(revision.changes.len(), 1);
    assert!(revision.changes[0]
        .diff
        .iter()
        .any(|(kind, text)| *kind == crate::tm::DiffKind::Insert && text.contains("2,7")));
    let now = session.lock().workspace().segments(doc.id).unwrap()[0].id;
    let matches = session
        .lock()
        .segment_matches(doc.id, now, MatchOptions::default())
        .unwrap();
    assert_eq!(matches[0].tm, PREVIOUS_VERSION);
    assert_eq!(matches[0].target, "GDP grew by 2.5% in 2024.");
    assert_eq!(
        matches[0].adapted_target.as_deref(),
        Some("GDP grew by 2.7% in 2024.")
    );
    // The confirmation also reached the TM, which offers it after.
    assert!(matches[1..]
        .iter()
        .any(|m| m.tm != PREVIOUS_VERSION && m.target == "GDP grew by 2.5% in 2024."));
}

#[test]
fn a_draft_never_reaches_the_tm() {
    let (dir, session) = session();
    let path = write(&dir, "a.txt", "Il cane dorme.\n\nIl gatto dorme.");
    let doc = session
        .import_article_blocking(ArticleSource::File(path), None)
        .unwrap();
    let ids: Vec<i64> = session
        .lock()
        .workspace()
        .segments(doc.id)
        .unwrap()
        .iter()
        .map(|s| s.id)
        .collect();
    let mut open = session.lock();
    open.save_target(doc.id, ids[0], "The dog sleeps.", Status::Draft, true)
        .unwrap();
    assert!(open.matcher.is_none(), "a draft built the TM index");
    let matches = open
        .segment_matches(doc.id, ids[0], MatchOptions::default())
        .unwrap();
    assert!(matches.is_empty(), "{matches:?}");
    open.save_target(doc.id, ids[0], "The dog sleeps.", Status::Translated, true)
        .unwrap();
    let matches = open
        .segment_matches(doc.id, ids[1], MatchOptions::default())
        .unwrap();
    assert_eq!(matches[0].target, "The dog sleeps.");
}

#[test]
fn glossary_changes_reach_the_terms_at_once() {
    let (_dir, session) = session();
    let mut open = session.lock();
    assert!(open.terms().unwrap().find("La zanzara punge.").is_empty());
    let added = open
        .add_glossary_entry("news", " zanzara ", "mosquito", Some(" ".into()))
        .unwrap();
    assert!(added.duplicates.is_empty());
    assert_eq!(open.terms().unwrap().find("La zanzara punge.").len(), 1);
    let again = open
        .add_glossary_entry("news", "zanzara", "gnat", None)
        .unwrap();
    assert_eq!(again.duplicates.len(), 1);
    let edited = open
        .update_glossary_entry(
            added.id,
            EntryEdit {
                italian: vec!["zanzara tigre".into(), " ".into()],
                english: vec!["tiger mosquito".into()],
                ..EntryEdit::default()
            },
        )
        .unwrap();
    assert_eq!(edited.italian.len(), 1);
    open.delete_glossary_entry(again.id).unwrap();
    assert!(open.terms().unwrap().find("La zanzara punge.").is_empty());
    let missing = open.update_glossary_entry(9999, EntryEdit::default());
    assert_eq!(missing.unwrap_err().code(), ErrorCode::NotFound);
}

#[test]
fn codes_keep_their_names() {
    assert_eq!(
        Error::from(StoreError::Replaced).code().as_str(),
        "workspace_replaced"
    );
    assert_eq!(
        Error::from(StoreError::NoDocument(3)).code().as_str(),
        "not_found"
    );
    assert_eq!(Error::Cancelled.code().as_str(), "cancelled");
    // A save into a replaced workspace fails inside the TM's confirmation:
    // the editor must still hear that nothing is being saved.
    let replaced = Error::from(crate::tm::TmError::Store(StoreError::Replaced));
    assert_eq!(replaced.code(), ErrorCode::WorkspaceReplaced);
    let offline = crate::mt::MtError::Offline {
        provider: "lt".into(),
        host: "127.0.0.1:9".into(),
    };
    assert_eq!(Error::from(offline).code(), ErrorCode::Offline);
    assert_eq!(
        Error::from(StoreError::InvalidEdit("x".into()))
            .code()
            .as_str(),
        "invalid_edit"
    );
}

/// The extension picks the format both ways: `.tbx` is TBX-Basic 2008,
/// `.txt` and `.utf8` OmegaT's glossary, and each comes back as it went.
#[test]
fn glossary_files_go_out_and_come_back_by_extension() {
    let (dir, session) = session();
    let mut open = session.lock();
    open.add_glossary_entry("news", "Cremlino", "Kremlin", Some("Mosca".into()))
        .unwrap();
    let expected = open
        .workspace()
        .glossary_entries(Some("news"), false)
        .unwrap();
    for (file, format, start) in [
        ("news.tbx", GlossaryFormat::TbxBasic, "<martif"),
        (
            "news.utf8",
            GlossaryFormat::OmegaT,
            "Cremlino\tKremlin\tMosca\n",
        ),
        (
            "news.txt",
            GlossaryFormat::OmegaT,
            "Cremlino\tKremlin\tMosca\n",
        ),
    ] {
        let path = dir.path().join(file);
        assert_eq!(GlossaryFormat::from_path(&path), format);
        assert_eq!(
            open.export_glossary_file(Some("news"), &path, format)
                .unwrap(),
            1
        );
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(start), "{file}: {text}");
        assert_eq!(open.import_glossary_file(&path, file).unwrap(), 1);
        let back = open
            .workspace()
            .glossary_entries(Some(file), false)
            .unwrap();
        let terms = |e: &[Entry]| -> Vec<(Vec<Term>, Vec<Term>, Option<String>)> {
            e.iter()
                .map(|e| (e.italian.clone(), e.english.clone(), e.note.clone()))
                .collect()
        };
        assert_eq!(terms(&back), terms(&expected), "{file}");
    }
}

#[test]
fn a_setting_set_from_text_is_saved_and_a_wrong_one_changes_nothing() {
    use crate::store::settings::{EnglishVariant, Theme};
    let dir = tempfile::tempdir().unwrap();
    let mut open = Open::new(Workspace::open(&dir.path().join("ws.sqlite")).unwrap());
    assert_eq!(
        open.set_setting("english_variant", "us")
            .unwrap()
            .english_variant,
        EnglishVariant::Us
    );
    assert_eq!(
        open.set_setting("theme", "dark").unwrap().theme,
        Theme::Dark
    );
    assert_eq!(open.set_setting("zoom", "125").unwrap().zoom, 125);
    assert_eq!(
        open.set_setting("font_family", "Georgia, serif")
            .unwrap()
            .font_family,
        "Georgia, serif"
    );
    let shortcuts = open
        .set_setting("shortcuts", r#"{"approve":"Ctrl+Shift+A"}"#)
        .unwrap()
        .shortcuts;
    assert_eq!(shortcuts["approve"], "Ctrl+Shift+A");
    let before = open.settings().unwrap();
    for (key, value, says) in [
        ("zoom", "12", "zoom must be between"),
        ("zoom", "big", "not a value for zoom"),
        ("theme", "purple", "not a value for theme"),
        ("colour", "red", "no setting named `colour`"),
        (
            "default_mt_provider",
            "deepl",
            "no machine-translation provider named `deepl`",
        ),
        (
            "shortcuts",
            r#"{"a":"F2","b":"F2"}"#,
            "F2 is set for both a and b",
        ),
    ] {
        let err = open.set_setting(key, value).unwrap_err().to_string();
        assert!(err.contains(says), "{key}={value}: {err}");
    }
    assert_eq!(open.settings().unwrap(), before);
    assert_eq!(
        open.set_setting("default_mt_provider", "none")
            .unwrap()
            .default_mt_provider,
        None
    );
}

#[test]
fn the_panel_shows_matches_from_the_translators_threshold() {
    let (dir, session) = session();
    let (doc, ids) = article(
        &dir,
        &session,
        "Il cane dorme sul divano.\n\nIl cane dorme sul letto.",
    );
    let mut open = session.lock();
    open.save_target(
        doc.id,
        ids[0],
        "The dog sleeps on the sofa.",
        Status::Translated,
        true,
    )
    .unwrap();
    let fuzzy = open.panel_matches(doc.id, ids[1]).unwrap();
    assert_eq!(fuzzy.len(), 1, "{fuzzy:?}");
    let score = fuzzy[0].score;
    assert!(score < 100, "{score}");
    let mut settings = open.settings().unwrap();
    settings.match_threshold = score + 1;
    open.save_settings(&settings).unwrap();
    assert!(open.panel_matches(doc.id, ids[1]).unwrap().is_empty());
}

#[test]
fn every_segment_gets_its_best_score_from_the_translators_threshold() {
    let (dir, session) = session();
    let (doc, ids) = article(
        &dir,
        &session,
        "Il cane dorme sul divano.\n\nIl cane dorme sul letto.\n\nOggi piove a Milano.",
    );
    assert_eq!(session.best_scores(doc.id).unwrap(), []);
    session
        .lock()
        .save_target(
            doc.id,
            ids[0],
            "The dog sleeps on the sofa.",
            Status::Translated,
            true,
        )
        .unwrap();
    let scores = session.best_scores(doc.id).unwrap();
    assert_eq!(scores.len(), 2, "{scores:?}");
    assert_eq!(scores[0].0, ids[0]);
    assert!(scores[0].1 >= 100, "{scores:?}");
    assert_eq!(scores[1].0, ids[1]);
    let fuzzy = scores[1].1;
    assert!((50..100).contains(&fuzzy), "{scores:?}");
    let mut open = session.lock();
    let mut settings = open.settings().unwrap();
    settings.match_threshold = fuzzy + 1;
    open.save_settings(&settings).unwrap();
    drop(open);
    let scores = session.best_scores(doc.id).unwrap();
    assert_eq!(scores.iter().map(|s| s.0).collect::<Vec<_>>(), [ids[0]]);
}

#[test]
fn a_sync_that_fails_in_the_workspace_says_why_in_the_teams_status() {
    let (_dir, session) = session();
    session.lock().ws.join_team(&membership("anna")).unwrap();
    // No token is kept for this membership: no request is made.
    let stop = std::sync::atomic::AtomicBool::new(false);
    let failed = session.team_sync_blocking(None, &stop).unwrap_err();
    assert!(failed.to_string().contains("no token"), "{failed}");
    let status = session.team_status().unwrap().unwrap();
    assert_eq!(
        status.last_error.as_deref(),
        Some(failed.to_string().as_str())
    );
    assert!(!status.offline);
}

#[test]
fn leaving_a_team_joined_before_tokens_were_per_workspace_keeps_the_shared_token() {
    let (_dir, session) = session();
    let url = "http://127.0.0.1:1";
    session
        .lock()
        .ws
        .join_team(&crate::store::team::NewMembership {
            url: url.into(),
            ..membership("anna")
        })
        .unwrap();
    // As an earlier join kept it: under the server and user alone, which
    // another workspace of anna's may use too.
    let shared = crate::sync::token_name(url, "anna");
    session.keys.set(&shared, Some("t0ken")).unwrap();
    assert_eq!(session.team_status().unwrap().unwrap().token_key, None);
    session.team_leave(false).unwrap();
    assert_eq!(session.keys.get(&shared).unwrap().as_deref(), Some("t0ken"));
}

#[test]
fn only_the_server_s_own_refusal_sets_a_push_aside() {
    use super::team::refused_for_good;
    use crate::sync::SyncError;
    let refusal = |status: u16, code: &str| SyncError::Refused {
        status,
        code: code.into(),
        message: "…".into(),
    };
    assert!(refused_for_good(&refusal(400, "bad_request")));
    assert!(refused_for_good(&refusal(413, "too_large")));
    assert!(refused_for_good(&refusal(422, "unprocessable")));
    // A proxy's error page, not the server's JSON: the outbox stays.
    assert!(!refused_for_good(&refusal(413, "unknown")));
    assert!(!refused_for_good(&refusal(400, "unknown")));
    assert!(!refused_for_good(&refusal(503, "busy")));
    // Not the role's to send, or in conflict with the team's: the server's word.
    assert!(refused_for_good(&refusal(403, "forbidden")));
    assert!(refused_for_good(&refusal(409, "conflict")));
    assert!(!refused_for_good(&refusal(403, "unknown")));
    assert!(!refused_for_good(&refusal(409, "unknown")));
}

#[test]
fn leaving_is_refused_while_refused_changes_wait_and_says_how_many() {
    let (_dir, session) = session();
    session.lock().ws.join_team(&membership("anna")).unwrap();
    let doc =
        crate::import::import_bytes("a.txt", Some("txt"), "Piove. Nevica.\n".as_bytes()).unwrap();
    let mut open = session.lock();
    let doc = open
        .ws
        .add_document(
            "a",
            None,
            &doc,
            &crate::segment::Segmenter::italian::<&str>(&[]),
        )
        .unwrap();
    for (idx, english) in [(0, "It rains."), (1, "It snows.")] {
        let segment = open.ws.segments(doc).unwrap()[idx].id;
        open.ws
            .set_target(doc, segment, english, crate::store::Status::Translated)
            .unwrap();
        open.ws.remember(doc, segment).unwrap();
    }
    let ops = open.ws.outbox(10).unwrap();
    open.ws
        .reject_ops(&[
            (ops[0].op_id, "too long".into()),
            (ops[1].op_id, "too long".into()),
        ])
        .unwrap();
    drop(open);
    let refused = session.team_leave(false).unwrap_err().to_string();
    assert!(
        refused.contains("2 changes the server refused"),
        "{refused}"
    );
    assert!(session.team_status().unwrap().is_some());
    assert_eq!(session.team_leave(true).unwrap(), 2);
    assert!(session.team_status().unwrap().is_none());
}

#[test]
fn sending_again_a_change_kept_back_says_why() {
    let (_dir, session) = session();
    let op = {
        let mut open = session.lock();
        let ws = &mut open.ws;
        ws.join_team(&membership("anna")).unwrap();
        let glossary = ws.team().unwrap().unwrap().glossary;
        let id = ws
            .add_entry(
                &glossary,
                &crate::termbase::Entry::pair("Farnesina", "Foreign Ministry"),
            )
            .unwrap();
        let first = ws.outbox(10).unwrap()[0].op_id;
        ws.reject_ops(&[(first, "refused".into())]).unwrap();
        let mut entry = ws.glossary_entry(id).unwrap().unwrap();
        entry.english[0].text = "Italian Foreign Ministry".into();
        ws.update_entry(&entry).unwrap();
        let edit = ws.outbox(10).unwrap()[0].op_id;
        ws.acknowledge(&[(edit, 3)]).unwrap();
        first
    };
    let kept = session.team_retry_rejected(Some(op)).unwrap_err();
    assert!(kept.to_string().contains("kept back"), "{kept}");
    let unknown = session
        .team_retry_rejected(Some(uuid::Uuid::new_v4()))
        .unwrap_err();
    assert!(
        unknown.to_string().contains("no rejected operation"),
        "{unknown}"
    );
}
