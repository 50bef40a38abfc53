//! Review round trips on the sample article: the DOCX as Word or
//! LibreOffice would give it back, and XLIFF from Interlinea and from
//! other tools.

use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};

use super::{import_review, import_xliff_document, ReviewError};
use crate::export::docx::review_docx;
use crate::export::xliff::{xliff_1_2, xliff_2_0};
use crate::store::{SegmentRow, Status, Workspace};
use crate::testing::{workspace_with, SAMPLE};
use crate::text::codes::to_notation;

/// The sample with three segments worked on: one translated with a note,
/// one approved, one draft; the rest new.
fn worked_sample() -> (Workspace, i64, Vec<SegmentRow>) {
    let (mut ws, doc) = workspace_with("sample.txt", SAMPLE);
    let ids: Vec<i64> = translatable(&ws, doc).iter().map(|s| s.id).collect();
    ws.set_target(doc, ids[0], "Putin goes to Kim.", Status::Translated)
        .unwrap();
    ws.set_note(doc, ids[0], Some("Headline: keep it short"))
        .unwrap();
    ws.set_target(
        doc,
        ids[1],
        "This is how the Moscow–Pyongyang axis grows stronger",
        Status::Approved,
    )
    .unwrap();
    ws.set_target(
        doc,
        ids[2],
        "On his return <from> a visit & more",
        Status::Draft,
    )
    .unwrap();
    let segments = translatable(&ws, doc);
    (ws, doc, segments)
}

fn translatable(ws: &Workspace, doc: i64) -> Vec<SegmentRow> {
    ws.segments(doc)
        .unwrap()
        .into_iter()
        .filter(|s| s.translatable.is_translatable())
        .collect()
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

fn docx_bytes(ws: &Workspace, doc: i64) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    review_docx(ws, doc, &mut out).unwrap();
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

/// The package with parts replaced or added, as an editor saves it.
fn repack(docx: &[u8], replaced: &[(&str, String)]) -> Vec<u8> {
    let mut archive = zip::ZipArchive::new(Cursor::new(docx)).unwrap();
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        let name = entry.name().unwrap().to_string();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        if replaced.iter().any(|(n, _)| *n == name) {
            continue;
        }
        out.start_file(name, options).unwrap();
        out.write_all(&bytes).unwrap();
    }
    for (name, xml) in replaced {
        out.start_file(*name, options).unwrap();
        out.write_all(xml.as_bytes()).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// The state every segment of the document is in.
fn states(ws: &Workspace, doc: i64) -> Vec<(i64, String, String, Status, Option<String>)> {
    ws.segments(doc)
        .unwrap()
        .into_iter()
        .map(|s| (s.id, s.source, s.target, s.status, s.note))
        .collect()
}

#[test]
fn an_untouched_docx_reads_back_exactly_and_changes_nothing() {
    let (mut ws, doc, segments) = worked_sample();
    let docx = docx_bytes(&ws, doc);
    let read = super::read_docx("review.docx", &docx).unwrap();
    let expected: Vec<(String, String, String, Status, Option<String>)> = segments
        .iter()
        .map(|s| {
            (
                s.id.to_string(),
                s.source.clone(),
                s.target.clone(),
                s.status,
                Some(s.note.clone().unwrap_or_default()),
            )
        })
        .collect();
    let got: Vec<_> = read
        .into_iter()
        .map(|r| {
            (
                r.key,
                r.source.unwrap(),
                r.target.unwrap(),
                r.status.unwrap(),
                r.note,
            )
        })
        .collect();
    assert_eq!(got, expected);

    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "review.docx", &docx);
    let before = states(&ws, doc);
    let report = import_review(&mut ws, None, doc, &path).unwrap();
    assert!(report.changed.is_empty() && report.statuses.is_empty() && report.notes.is_empty());
    assert_eq!(report.unchanged, segments.len());
    assert_eq!(states(&ws, doc), before);
}

#[test]
fn a_reviewed_docx_updates_only_what_changed_with_tracked_changes_and_comments() {
    let (mut ws, doc, segments) = worked_sample();
    let docx = docx_bytes(&ws, doc);
    let xml = docx_part(&docx, "word/document.xml");
    // The reviewer rewrites the headline with tracked changes (the deleted
    // word must not survive), fills a new segment, and comments on the
    // approved one in the Comment column and with a Word comment.
    let headline = "<w:t xml:space=\"preserve\">Putin goes to Kim.</w:t>";
    assert!(xml.contains(headline));
    let xml = xml.replacen(
        headline,
        "<w:t xml:space=\"preserve\">Putin </w:t></w:r><w:del w:id=\"1\" w:author=\"R\"><w:r><w:delText>goes</w:delText></w:r></w:del>\
         <w:ins w:id=\"2\" w:author=\"R\"><w:r><w:t>travels</w:t></w:r></w:ins><w:r><w:t xml:space=\"preserve\"> to Kim.</w:t>",
        1,
    );
    let fourth = &segments[3];
    let empty_english = format!(
        "{}</w:t></w:r></w:p></w:tc><w:tc><w:tcPr><w:tcW w:w=\"4900\" w:type=\"dxa\"/></w:tcPr><w:p><w:r><w:rPr><w:lang w:val=\"en-GB\"/></w:rPr></w:r></w:p></w:tc>",
        quick_xml::escape::escape(&fourth.source)
    );
    assert!(xml.contains(&empty_english), "row of segment {}", fourth.id);
    let xml = xml.replacen(
        &empty_english,
        &empty_english.replace(
            "<w:lang w:val=\"en-GB\"/></w:rPr></w:r>",
            "<w:lang w:val=\"en-GB\"/></w:rPr><w:t>Returning from an official visit</w:t></w:r>",
        ),
        1,
    );
    let approved_row = format!("<w:t xml:space=\"preserve\">{}</w:t>", segments[1].id);
    let xml = xml.replacen(
        &approved_row,
        &format!("{approved_row}</w:r><w:commentRangeStart w:id=\"7\"/><w:r><w:commentReference w:id=\"7\"/>"),
        1,
    );
    let comments = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:comments xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
        <w:comment w:id=\"7\" w:author=\"R\"><w:p><w:r><w:t>En dash or hyphen?</w:t></w:r></w:p></w:comment></w:comments>";
    let reviewed = repack(
        &docx,
        &[
            ("word/document.xml", xml),
            ("word/comments.xml", comments.to_string()),
        ],
    );
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "reviewed.docx", &reviewed);
    let report = import_review(&mut ws, None, doc, &path).unwrap();

    let changed: Vec<(i64, &str, &str)> = report
        .changed
        .iter()
        .map(|c| (c.id, c.before.as_str(), c.after.as_str()))
        .collect();
    assert_eq!(
        changed,
        [
            (
                segments[0].id,
                "Putin goes to Kim.",
                "Putin travels to Kim."
            ),
            (fourth.id, "", "Returning from an official visit"),
        ]
    );
    assert_eq!(report.notes, [segments[1].id]);
    assert_eq!(
        report.statuses,
        [fourth.id],
        "a new segment filled by the reviewer is a draft"
    );
    assert_eq!(report.unchanged, segments.len() - 3);
    let headline = ws.segment(doc, segments[0].id).unwrap();
    assert_eq!(headline.target, "Putin travels to Kim.");
    assert_eq!(headline.status, Status::Translated);
    assert_eq!(headline.note.as_deref(), Some("Headline: keep it short"));
    assert_eq!(
        ws.segment(doc, segments[1].id).unwrap().note.as_deref(),
        Some("En dash or hyphen?")
    );
    assert_eq!(ws.segment(doc, fourth.id).unwrap().status, Status::Draft);
    // The confirmed correction went into the workspace TM.
    let units = ws.tm_search("travels", 10).unwrap();
    assert_eq!(units.len(), 1);
    assert_eq!(units[0].target, "Putin travels to Kim.");
}

#[test]
fn a_docx_of_another_document_or_of_an_older_segmentation_is_refused_untouched() {
    let (mut ws, doc, segments) = worked_sample();
    let dir = tempfile::tempdir().unwrap();
    let other = ws
        .add_document(
            "other.txt",
            None,
            &crate::import_bytes("other.txt", None, "Un altro articolo. Breve.".as_bytes())
                .unwrap(),
            &crate::Segmenter::italian::<&str>(&[]),
        )
        .unwrap();
    let foreign = write(dir.path(), "other.docx", &docx_bytes(&ws, other));
    let before = states(&ws, doc);
    let err = import_review(&mut ws, None, doc, &foreign).unwrap_err();
    assert!(
        matches!(err, ReviewError::Foreign { ref ids, .. } if ids.len() == 2),
        "{err}"
    );
    assert!(
        err.to_string().contains("not a review of document"),
        "{err}"
    );
    assert_eq!(states(&ws, doc), before);

    // The reviewer's edits to the English come with an Italian that was
    // since split: nothing is applied.
    let docx = docx_bytes(&ws, doc);
    let xml = docx_part(&docx, "word/document.xml").replacen(
        "Putin goes to Kim.",
        "Putin travels to Kim.",
        1,
    );
    let sentence = &segments[3];
    let cut = sentence.source.find(' ').unwrap() + 1;
    ws.split_segment(doc, sentence.id, sentence.source[..cut].chars().count())
        .unwrap();
    let before = states(&ws, doc);
    let path = write(
        dir.path(),
        "old.docx",
        &repack(&docx, &[("word/document.xml", xml)]),
    );
    let err = import_review(&mut ws, None, doc, &path).unwrap_err();
    assert!(matches!(err, ReviewError::SourceChanged { .. }), "{err}");
    assert_eq!(states(&ws, doc), before);
}

#[test]
fn broken_and_hostile_review_files_get_clear_errors() {
    let (mut ws, doc, _) = worked_sample();
    let dir = tempfile::tempdir().unwrap();
    let docx = docx_bytes(&ws, doc);
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("notes.txt", b"just some text".to_vec(), "neither a review DOCX nor an XLIFF"),
        ("cut.docx", docx[..docx.len() / 2].to_vec(), "not a DOCX file"),
        (
            "nodoc.docx",
            repack(&docx, &[("word/document.xml", "<w:document xmlns:w=\"x\"><w:body><w:p/></w:body></w:document>".into())]),
            "no review table found",
        ),
        (
            "bomb.docx",
            repack(&docx, &[("word/document.xml", "<!DOCTYPE d [<!ENTITY a \"aaaa\">]><d>&a;</d>".into())]),
            "DOCTYPE",
        ),
        (
            "bomb.xlf",
            b"<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"aaaaaaaa\"><!ENTITY b \"&a;&a;&a;\">]><xliff version=\"1.2\">&b;</xliff>".to_vec(),
            "entity declarations are refused",
        ),
        ("latin1.xlf", b"<xliff version=\"1.2\"><file><body>caf\xe9</body></file></xliff>".to_vec(), "not valid UTF-8"),
        ("html.xlf", b"<html><body>no</body></html>".to_vec(), "not an XLIFF file"),
    ];
    let before = states(&ws, doc);
    for (name, bytes, expected) in cases {
        let path = write(dir.path(), name, &bytes);
        let err = import_review(&mut ws, None, doc, &path).unwrap_err();
        assert!(err.to_string().contains(expected), "{name}: {err}");
        assert!(
            err.to_string().contains(name),
            "{name}: the error names the file: {err}"
        );
    }
    assert_eq!(states(&ws, doc), before);
}

#[test]
fn xliff_1_2_and_2_0_round_trip_into_a_new_document_without_loss() {
    let (mut ws, doc, _) = worked_sample();
    let dir = tempfile::tempdir().unwrap();
    let blocks = |ws: &Workspace, doc: i64| -> Vec<_> {
        ws.blocks(doc)
            .unwrap()
            .into_iter()
            .map(|b| {
                let segments: Vec<_> = b
                    .segments
                    .into_iter()
                    .map(|s| (s.source, s.target, s.status, s.note))
                    .collect();
                (b.kind, b.translatable.is_translatable(), segments)
            })
            .collect()
    };
    let v12 = xliff_1_2(&ws, doc).unwrap();
    let v20 = xliff_2_0(&ws, doc).unwrap();
    // Notes and every status are in both, and both stay valid.
    assert!(
        v12.contains("<note>Headline: keep it short</note>") && v12.contains("approved=\"yes\"")
    );
    assert!(
        v20.contains("<note>Headline: keep it short</note>") && v20.contains("state=\"final\"")
    );
    crate::testing::xmllint(
        "--schema",
        "xliff-1.2/xliff-core-1.2-strict.xsd",
        v12.as_bytes(),
    );
    crate::testing::xmllint("--schema", "xliff-2.0/xliff_core_2.0.xsd", v20.as_bytes());
    for (name, xliff) in [("sample.xlf", v12), ("sample.xliff", v20)] {
        let path = write(dir.path(), name, xliff.as_bytes());
        let copy = import_xliff_document(&mut ws, &path, None)
            .unwrap()
            .document;
        assert_eq!(
            ws.document(copy).unwrap().name,
            "sample.txt",
            "named after `original`"
        );
        assert_eq!(blocks(&ws, copy), blocks(&ws, doc), "{name}");
        // Imported back into the document it came from, it changes nothing.
        let report = import_review(&mut ws, None, doc, &path).unwrap();
        assert!(
            report.changed.is_empty() && report.statuses.is_empty() && report.notes.is_empty(),
            "{name}: {report:?}"
        );
    }
}

#[test]
fn an_xliff_edited_elsewhere_updates_targets_states_and_notes() {
    let (mut ws, doc, segments) = worked_sample();
    let dir = tempfile::tempdir().unwrap();
    let xliff = xliff_2_0(&ws, doc).unwrap();
    let fourth = &segments[3];
    let source = format!(
        "<source>{}</source>\n",
        quick_xml::escape::escape(&fourth.source)
    );
    let edited = xliff
        .replacen(
            &source,
            &format!("{source}          <target>On his return from an official visit</target>\n"),
            1,
        )
        .replacen(
            &format!("<segment id=\"s{}\" state=\"initial\">", fourth.id),
            &format!("<segment id=\"s{}\" state=\"translated\">", fourth.id),
            1,
        )
        .replacen("Headline: keep it short", "Headline: fine", 1);
    let path = write(dir.path(), "edited.xliff", edited.as_bytes());
    let report = import_review(&mut ws, None, doc, &path).unwrap();
    assert_eq!(report.changed.len(), 1);
    assert_eq!(report.changed[0].id, fourth.id);
    assert_eq!(report.statuses, [fourth.id]);
    assert_eq!(report.notes, [segments[0].id]);
    let updated = ws.segment(doc, fourth.id).unwrap();
    assert_eq!(updated.target, "On his return from an official visit");
    assert_eq!(updated.status, Status::Translated);
}

/// Segmented XLIFF 1.2 of the kind Okapi and Trados write: `<seg-source>`
/// with marked segments, inline codes, alternatives from a TM.
const OTHER_TOOL: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
  <file original="putin.html" source-language="it-IT" target-language="en-GB" datatype="html">
    <header><tool tool-id="x" tool-name="Other"/></header>
    <body>
      <trans-unit id="tu1">
        <source>Putin va da Kim. Così si rafforza l’asse.</source>
        <seg-source><mrk mtype="seg" mid="1">Putin va da <g id="1">Kim</g>.</mrk> <mrk mtype="seg" mid="2">Così si rafforza <bpt id="2">&lt;b&gt;</bpt>l’asse<ept id="2">&lt;/b&gt;</ept>.</mrk></seg-source>
        <target state="translated"><mrk mtype="seg" mid="1">Putin goes to <g id="1">Kim</g>.</mrk> <mrk mtype="seg" mid="2">This strengthens <bpt id="2">&lt;b&gt;</bpt>the axis<ept id="2">&lt;/b&gt;</ept>.</mrk></target>
        <alt-trans match-quality="80"><source>Putin va da Xi.</source><target>Putin goes to Xi.</target></alt-trans>
        <note>From the wire</note>
      </trans-unit>
      <trans-unit id="tu2" translate="no"><source>ANSA</source></trans-unit>
      <trans-unit id="tu3"><source>Fine<x id="3"/>.</source></trans-unit>
    </body>
  </file>
</xliff>"#;

#[test]
fn an_xliff_from_another_tool_becomes_a_document_with_its_segmentation() {
    let mut ws = Workspace::open_in_memory().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "job.xlf", OTHER_TOOL.as_bytes());
    let doc = import_xliff_document(&mut ws, &path, Some("Putin job"))
        .unwrap()
        .document;
    let got: Vec<_> = ws
        .segments(doc)
        .unwrap()
        .into_iter()
        .map(|s| {
            (
                s.block,
                to_notation(&s.source, &s.source),
                to_notation(&s.source, &s.target),
                s.status,
                s.translatable.is_translatable(),
                s.note,
            )
        })
        .collect();
    let note = Some("From the wire".to_string());
    assert_eq!(
        got,
        [
            (
                0,
                "Putin va da <1>Kim</1>.".into(),
                "Putin goes to <1>Kim</1>.".into(),
                Status::Translated,
                true,
                note
            ),
            (
                0,
                "Così si rafforza <1>l’asse</1>.".into(),
                "This strengthens <1>the axis</1>.".into(),
                Status::Translated,
                true,
                None
            ),
            (1, "ANSA".into(), String::new(), Status::New, false, None),
            (
                2,
                "Fine<1/>.".into(),
                String::new(),
                Status::New,
                true,
                None
            ),
        ]
    );
    // The segments of one unit share its block and its codes, each as the
    // file writes it.
    let codes = ws.block_codes(doc, 0).unwrap();
    let written: Vec<(&str, &str, &str, &str)> = codes
        .iter()
        .map(|c| {
            (
                c.element.as_str(),
                c.open.as_str(),
                c.close.as_str(),
                c.title.as_str(),
            )
        })
        .collect();
    assert_eq!(
        written,
        [
            ("g", "<g id=\"1\">", "</g>", ""),
            (
                "bpt",
                "<bpt id=\"2\">&lt;b&gt;</bpt>",
                "<ept id=\"2\">&lt;/b&gt;</ept>",
                "<b>"
            ),
        ]
    );
    // The same tool sends the job back with a correction: matched by the
    // Italian, since its ids are not Interlinea's.
    let corrected = OTHER_TOOL.replace("This strengthens", "This is how Moscow strengthens");
    let path = write(dir.path(), "job-back.xlf", corrected.as_bytes());
    let report = import_review(&mut ws, None, doc, &path).unwrap();
    assert_eq!(report.changed.len(), 1);
    let source = ws.segment(doc, report.changed[0].id).unwrap().source;
    assert_eq!(
        to_notation(&source, &report.changed[0].after),
        "This is how Moscow strengthens <1>the axis</1>."
    );
}

#[test]
fn a_review_that_asks_for_the_english_to_be_looked_at_again_makes_it_a_draft() {
    let (mut ws, doc, segments) = worked_sample();
    let dir = tempfile::tempdir().unwrap();
    let (first, second) = (segments[0].id, segments[1].id);
    // The reviewer's tool sends the first back for translation and the
    // second, its English untouched, as a fuzzy match not approved.
    let edited = xliff_1_2(&ws, doc)
        .unwrap()
        .replacen(
            "state=\"translated\">Putin goes to Kim.",
            "state=\"needs-translation\">Putin goes to Kim.",
            1,
        )
        .replacen(
            &format!("<trans-unit id=\"{second}\" translate=\"yes\" approved=\"yes\">"),
            &format!("<trans-unit id=\"{second}\" translate=\"yes\" approved=\"no\">"),
            1,
        )
        .replacen("state=\"signed-off\"", "state-qualifier=\"fuzzy-match\"", 1);
    let path = write(dir.path(), "back.xlf", edited.as_bytes());
    let report = import_review(&mut ws, None, doc, &path).unwrap();
    assert!(report.changed.is_empty(), "{report:?}");
    assert_eq!(report.statuses, [first, second]);
    for id in [first, second] {
        let segment = ws.segment(doc, id).unwrap();
        assert_eq!(segment.status, Status::Draft, "{id}");
        assert!(!segment.target.is_empty());
    }
}

#[test]
fn units_with_an_empty_source_are_skipped_and_counted() {
    // translate-toolkit's po2xliff writes a PO file's header as a unit
    // with an empty source.
    let with_header = OTHER_TOOL.replacen(
        "<body>",
        "<body>\n      <trans-unit id=\"header\" approved=\"no\"><source></source><target state=\"translated\">Project-Id-Version: job</target></trans-unit>",
        1,
    );
    let mut ws = Workspace::open_in_memory().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "job.xlf", with_header.as_bytes());
    let import = import_xliff_document(&mut ws, &path, None).unwrap();
    assert_eq!(import.empty_sources, 1);
    let sources: Vec<String> = ws
        .segments(import.document)
        .unwrap()
        .into_iter()
        .map(|s| crate::text::codes::strip(&s.source))
        .collect();
    assert_eq!(
        sources,
        [
            "Putin va da Kim.",
            "Così si rafforza l’asse.",
            "ANSA",
            "Fine."
        ]
    );
    let report = import_review(&mut ws, None, import.document, &path).unwrap();
    assert_eq!(report.empty_sources, 1);
    assert_eq!(report.unchanged, 3);
}

/// The review DOCX shows inline codes as markers numbered as in the
/// Italian ({1}…{/1}, {1/}); a reviewer's English with its markers comes
/// back with the segment's codes, and one deleted or broken marker refuses
/// the whole review, naming each row.
#[test]
fn review_docx_markers_round_trip_and_a_deleted_marker_refuses_the_review() {
    let mut ws = Workspace::open_in_memory().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "job.xlf", OTHER_TOOL.as_bytes());
    let doc = import_xliff_document(&mut ws, &path, None)
        .unwrap()
        .document;
    let segments = translatable(&ws, doc);
    let docx = docx_bytes(&ws, doc);
    let xml = docx_part(&docx, "word/document.xml");
    assert!(xml.contains("<w:t>{1}</w:t>") && xml.contains("<w:t>{/1}</w:t>"));
    assert!(xml.contains("<w:t>{1/}</w:t>"));
    assert!(!xml.contains('\u{E000}'), "no code character reaches Word");

    let untouched = write(dir.path(), "untouched.docx", &docx);
    let before = states(&ws, doc);
    let report = import_review(&mut ws, None, doc, &untouched).unwrap();
    assert_eq!(report.unchanged, segments.len());
    assert_eq!(states(&ws, doc), before);

    // The reviewer corrects inside a code and fills the last row, placing
    // its marker by hand.
    let fine = &segments[2];
    let empty_english = "<w:tcW w:w=\"4900\" w:type=\"dxa\"/></w:tcPr><w:p><w:r><w:rPr><w:lang w:val=\"en-GB\"/></w:rPr></w:r></w:p>";
    assert_eq!(xml.matches(empty_english).count(), 1);
    let edited = xml
        .replacen(
            "<w:t xml:space=\"preserve\">the axis</w:t>",
            "<w:t xml:space=\"preserve\">the Moscow axis</w:t>",
            1,
        )
        .replacen(
            empty_english,
            &empty_english.replace("</w:rPr></w:r>", "</w:rPr><w:t>The end{1/}.</w:t></w:r>"),
            1,
        );
    let reviewed = write(
        dir.path(),
        "reviewed.docx",
        &repack(&docx, &[("word/document.xml", edited.clone())]),
    );
    let report = import_review(&mut ws, None, doc, &reviewed).unwrap();
    let changed: Vec<String> = report
        .changed
        .iter()
        .map(|c| to_notation(&ws.segment(doc, c.id).unwrap().source, &c.after))
        .collect();
    assert_eq!(
        changed,
        ["This strengthens <1>the Moscow axis</1>.", "The end<1/>."]
    );
    assert_eq!(report.changed[1].id, fine.id);

    // One marker deleted in the first row, one broken in the second.
    let before = states(&ws, doc);
    let mut broken = edited.clone();
    let second_close = broken.match_indices("<w:t>{/1}</w:t>").nth(1).unwrap().0;
    broken.replace_range(second_close..second_close + "<w:t>{/1}</w:t>".len(), "");
    let english_open = broken.match_indices("<w:t>{1}</w:t>").nth(3).unwrap().0;
    broken.replace_range(
        english_open..english_open + "<w:t>{1}</w:t>".len(),
        "<w:t>{1</w:t>",
    );
    let path = write(
        dir.path(),
        "broken.docx",
        &repack(&docx, &[("word/document.xml", broken)]),
    );
    let err = import_review(&mut ws, None, doc, &path).unwrap_err();
    let ReviewError::Markers { rows, .. } = &err else {
        panic!("{err}");
    };
    assert_eq!(rows.len(), 2, "{err}");
    assert!(
        rows[0].starts_with(&format!(
            "segment {}: marker {{/1}} was deleted",
            segments[0].id
        )),
        "{err}"
    );
    assert!(rows[1].contains("broken marker `{1the"), "{err}");
    assert!(err.to_string().contains("nothing was imported"), "{err}");
    assert_eq!(states(&ws, doc), before);
}
