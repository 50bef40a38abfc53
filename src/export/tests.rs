//! Exports of real documents: the sample article and a Markdown fixture.

use super::{article, bilingual_table, confirmed_tmx, export_document, ExportError, ExportFormat};
use crate::store::{Status, Workspace};
use crate::testing::{workspace_with as workspace, SAMPLE};
use crate::text::codes::{from_notation, to_notation};

const MARKDOWN: &str = include_str!("../../tests/fixtures/article.md");
const HTML: &str = include_str!("../../tests/fixtures/article.html");

fn translate(ws: &mut Workspace, doc: i64, source: &str, target: &str) -> i64 {
    let segment = ws
        .segments(doc)
        .unwrap()
        .into_iter()
        .find(|s| s.source == source)
        .unwrap_or_else(|| panic!("no segment {source:?}"));
    ws.set_target(doc, segment.id, target, Status::Translated)
        .unwrap();
    segment.id
}

/// How many segments of a document are to be translated.
fn translatable(ws: &Workspace, doc: i64) -> usize {
    ws.segments(doc)
        .unwrap()
        .iter()
        .filter(|s| s.translatable.is_translatable())
        .count()
}

#[test]
fn the_english_article_keeps_the_text_layout_and_reports_what_is_missing() {
    let (mut ws, doc) = workspace("sample.txt", SAMPLE);
    translate(&mut ws, doc, "Putin va da Kim.", "Putin goes to Kim.");
    translate(
        &mut ws,
        doc,
        "Così si rafforza l’asse Mosca-Pyongyang",
        "This is how the Moscow-Pyongyang axis grows stronger",
    );
    let out = article(&ws, doc, false).unwrap();
    let lines: Vec<&str> = out.text.lines().collect();
    // One line per block, as the text was imported.
    assert_eq!(
        lines[0],
        "Putin goes to Kim. This is how the Moscow-Pyongyang axis grows stronger"
    );
    assert!(
        lines[1].starts_with("Al ritorno da una sua visita ufficiale"),
        "{}",
        lines[1]
    );
    let translatable = translatable(&ws, doc);
    assert_eq!(out.untranslated.len(), translatable - 2);

    let refused = article(&ws, doc, true).unwrap_err();
    assert!(matches!(&refused, ExportError::Untranslated(ids) if ids.len() == translatable - 2));
    assert!(refused.to_string().contains("segments are not translated"));
}

/// The page's furniture in the sample, which the importer marks.
const FURNITURE: [&str; 3] = ["Skip to main content", "×", "Iscriviti alla newsletter"];

#[test]
fn the_english_article_leaves_out_furniture_and_what_the_translator_excluded() {
    let (mut ws, doc) = workspace("sample.txt", SAMPLE);
    let text = article(&ws, doc, false).unwrap().text;
    for furniture in FURNITURE {
        assert!(!text.contains(furniture), "{furniture:?} in {text}");
    }
    // The bilingual exports never listed it; XLIFF carries it marked.
    let review = super::bilingual_html(&ws, doc).unwrap();
    assert!(FURNITURE.iter().all(|f| !review.contains(f)), "{review}");
    let xliff = super::xliff::xliff_1_2(&ws, doc).unwrap();
    assert!(xliff.contains("translate=\"no\""));
    assert!(xliff.contains("Iscriviti alla newsletter"));

    let standfirst = ws
        .blocks(doc)
        .unwrap()
        .into_iter()
        .find(|b| b.segments[0].source.starts_with("Al ritorno"))
        .unwrap();
    ws.set_block_translatable(doc, standfirst.position, false)
        .unwrap();
    let text = article(&ws, doc, false).unwrap().text;
    assert!(!text.contains("Al ritorno"), "{text}");
    assert!(text.starts_with("Putin va da Kim."), "{text}");

    // Code is not language: it stays as written.
    let (ws, doc) = workspace(
        "a.md",
        "# Titolo\n\n- Punto.\n\n```\nlet x = 1;\n```\n\nLeggi anche\n",
    );
    let text = article(&ws, doc, false).unwrap().text;
    assert_eq!(text, "# Titolo\n\n- Punto.\n\n```\nlet x = 1;\n```\n");
}

#[test]
fn what_stays_italian_is_known_before_the_export() {
    let (mut ws, doc) = workspace("sample.txt", SAMPLE);
    translate(&mut ws, doc, "Putin va da Kim.", "Putin goes to Kim.");
    let second = ws
        .segments(doc)
        .unwrap()
        .into_iter()
        .find(|s| s.source.starts_with("Così si rafforza"))
        .unwrap();
    ws.set_target(doc, second.id, "A draft", Status::Draft)
        .unwrap();
    let before = super::untranslated_segments(&ws, doc).unwrap();
    assert_eq!(before.len(), translatable(&ws, doc) - 2);
    assert_eq!(article(&ws, doc, false).unwrap().untranslated, before);
}

#[test]
fn markdown_keeps_headings_and_lists() {
    let (mut ws, doc) = workspace("article.md", MARKDOWN);
    translate(
        &mut ws,
        doc,
        "Il vertice di Pyongyang",
        "The Pyongyang summit",
    );
    translate(
        &mut ws,
        doc,
        "Primo punto dell'accordo.",
        "First point of the agreement.",
    );
    let text = article(&ws, doc, false).unwrap().text;
    assert!(text.starts_with("# The Pyongyang summit\n\n"), "{text}");
    assert!(
        text.ends_with(
            "- First point of the agreement.\n- Secondo punto: la cooperazione militare.\n"
        ),
        "{text}"
    );
}

#[test]
fn html_escapes_every_text_and_groups_list_items() {
    let (mut ws, doc) = workspace(
        "a.html",
        "<h1>Titolo</h1><p>Uno.</p><ul><li>a</li><li>b</li></ul>",
    );
    translate(&mut ws, doc, "Titolo", "<script>alert(1)</script> & co");
    let text = article(&ws, doc, false).unwrap().text;
    assert!(
        text.contains("<h1>&lt;script&gt;alert(1)&lt;/script&gt; &amp; co</h1>"),
        "{text}"
    );
    assert!(
        text.contains("<ul>\n<li>a</li>\n<li>b</li>\n</ul>"),
        "{text}"
    );
    assert!(!text.contains("<script>"));
}

#[test]
fn bilingual_table_quotes_as_rfc_4180_says() {
    let (mut ws, doc) = workspace("sample.txt", SAMPLE);
    translate(
        &mut ws,
        doc,
        "Putin va da Kim.",
        "Putin, \"the tsar\", goes to Kim.",
    );
    let table = bilingual_table(&ws, doc, b',').unwrap();
    let mut rows = csv::Reader::from_reader(table.as_bytes());
    let records: Vec<csv::StringRecord> = rows.records().map(Result::unwrap).collect();
    let headline = records
        .iter()
        .find(|r| &r[1] == "Putin va da Kim.")
        .unwrap();
    assert_eq!(&headline[2], "Putin, \"the tsar\", goes to Kim.");
    assert_eq!(&headline[3], "translated");
    assert!(table.contains("\"Putin, \"\"the tsar\"\", goes to Kim.\""));
    assert!(
        records.iter().all(|r| &r[1] != "Skip to main content"),
        "furniture is left out"
    );
}

#[test]
fn confirmed_segments_as_valid_tmx() {
    let (mut ws, doc) = workspace("sample.txt", SAMPLE);
    translate(&mut ws, doc, "Putin va da Kim.", "Putin goes to Kim.");
    let mut out = Vec::new();
    assert_eq!(confirmed_tmx(&ws, doc, &mut out).unwrap(), 1);
    let units: Vec<_> = crate::formats::tmx::TmxReader::new(&out[..], "it", "en")
        .map(Result::unwrap)
        .collect();
    assert_eq!(units.len(), 1);
    assert_eq!(units[0].target, "Putin goes to Kim.");
    crate::testing::xmllint("--dtdvalid", "tmx/tmx14.dtd", &out);
}

#[test]
fn bilingual_html_is_standalone_escaped_and_prints_row_by_row() {
    let (mut ws, doc) = workspace("sample.txt", SAMPLE);
    translate(
        &mut ws,
        doc,
        "Putin va da Kim.",
        "<script>alert(1)</script> Putin goes to Kim.",
    );
    let page = super::bilingual_html(&ws, doc).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(
        !page.contains("<script"),
        "no scripts, and article text is escaped"
    );
    assert!(page.contains("<td>&lt;script&gt;alert(1)&lt;/script&gt; Putin goes to Kim.</td>"));
    assert!(page.contains("<td lang=\"it\">Putin va da Kim.</td>"));
    assert!(page.contains("break-inside: avoid") && page.contains("table-header-group"));
    assert!(
        !page.contains("Skip to main content"),
        "furniture is left out"
    );
    let rows = page.matches("<tr><td>").count();
    let translatable = translatable(&ws, doc);
    assert_eq!(rows, translatable);
    assert_eq!(page.matches("not translated").count(), translatable - 1);
    // Well-formed enough for an XML parser to read every row.
    let mut reader = quick_xml::Reader::from_str(page.trim_start_matches("<!DOCTYPE html>\n"));
    let mut cells = 0;
    loop {
        match reader.read_event().unwrap() {
            quick_xml::events::Event::Start(e) if e.name().as_ref() == b"td" => cells += 1,
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(cells, 4 * translatable);
}

/// Compares `text` with the file `tests/snapshots/{name}`; with
/// `UPDATE_SNAPSHOTS=1` in the environment, writes it instead.
fn assert_snapshot(name: &str, text: &str) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/snapshots")
        .join(name);
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; run with UPDATE_SNAPSHOTS=1 to write it",
            path.display()
        )
    });
    if expected != text {
        let diff = similar::TextDiff::from_lines(&expected, text);
        panic!(
            "{name} differs from its snapshot (UPDATE_SNAPSHOTS=1 to accept):\n{}",
            diff.unified_diff().context_radius(2)
        );
    }
}

#[test]
fn every_text_format_of_the_sample_matches_its_snapshot() {
    let (mut ws, doc) = workspace("sample.txt", SAMPLE);
    let headline = translate(
        &mut ws,
        doc,
        "Putin va da Kim.",
        "Putin goes to <Kim> & co.",
    );
    ws.set_note(doc, headline, Some("Headline: \"keep\" it short, 5 words"))
        .unwrap();
    let second = translate(
        &mut ws,
        doc,
        "Così si rafforza l’asse Mosca-Pyongyang",
        "This is how the Moscow–Pyongyang axis grows stronger",
    );
    let text = ws.segment(doc, second).unwrap().target;
    ws.set_target(doc, second, &text, Status::Approved).unwrap();
    let third = ws
        .segments(doc)
        .unwrap()
        .into_iter()
        .find(|s| s.source.starts_with("Al ritorno"))
        .unwrap();
    ws.set_target(doc, third.id, "On his return, a draft", Status::Draft)
        .unwrap();

    assert_snapshot("sample.target.txt", &article(&ws, doc, false).unwrap().text);
    assert_snapshot(
        "sample.review.html",
        &super::bilingual_html(&ws, doc).unwrap(),
    );
    assert_snapshot("sample.csv", &bilingual_table(&ws, doc, b',').unwrap());
    assert_snapshot("sample.tsv", &bilingual_table(&ws, doc, b'\t').unwrap());
    assert_snapshot(
        "sample.xliff12.xlf",
        &super::xliff::xliff_1_2(&ws, doc).unwrap(),
    );
    assert_snapshot(
        "sample.xliff20.xlf",
        &super::xliff::xliff_2_0(&ws, doc).unwrap(),
    );
    let mut tmx = Vec::new();
    confirmed_tmx(&ws, doc, &mut tmx).unwrap();
    assert_snapshot("sample.tmx", &String::from_utf8(tmx).unwrap());

    let (mut ws, doc) = workspace("article.md", MARKDOWN);
    let first = ws.segments(doc).unwrap()[0].clone();
    ws.set_target(doc, first.id, "Translated heading", Status::Translated)
        .unwrap();
    assert_snapshot("article.target.md", &article(&ws, doc, false).unwrap().text);

    let (mut ws, doc) = workspace("article.html", HTML);
    let first = ws.segments(doc).unwrap()[0].clone();
    ws.set_target(doc, first.id, "Translated <heading>", Status::Translated)
        .unwrap();
    assert_snapshot(
        "article.target.html",
        &article(&ws, doc, false).unwrap().text,
    );
}

#[test]
fn a_failed_export_leaves_the_previous_file_whole() {
    let (ws, doc) = workspace("sample.txt", SAMPLE);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("article.txt");
    std::fs::write(&path, "the previous export").unwrap();
    let refused = super::export_document(&ws, doc, super::ExportFormat::Target, true, &path);
    assert!(matches!(refused, Err(ExportError::Untranslated(_))));
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "the previous export"
    );

    let exported =
        super::export_document(&ws, doc, super::ExportFormat::Docx, false, &path).unwrap();
    assert_eq!(exported.what, "the review document (22 segments)");
    assert!(std::fs::read(&path).unwrap().starts_with(b"PK"));
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 1, "no temporary file is left: {names:?}");

    let nowhere = dir.path().join("missing/article.txt");
    let err =
        super::export_document(&ws, doc, super::ExportFormat::Html, false, &nowhere).unwrap_err();
    assert!(err.to_string().contains("missing/article.txt"), "{err}");
}

#[test]
fn the_review_page_says_where_the_article_comes_from() {
    let (mut ws, plain) = workspace("sample.txt", SAMPLE);
    let page = super::bilingual_html(&ws, plain).unwrap();
    assert!(!page.contains("class=\"about\""), "nothing to say: {page}");

    let article = crate::import::read_article(
        "page.html",
        Some("html"),
        b"<article><h1>Vertice a Mosca</h1><p>Putin va da Kim.</p></article>",
    )
    .unwrap();
    let meta = crate::document::ArticleMeta {
        url: Some("https://example.it/a?x=1&y=<2>".into()),
        outlet: Some("Adriatico Notizie".into()),
        author: Some("Anna <b>Bianchi</b>".into()),
        published: Some("2024-11-09T06:58:00+01:00".into()),
        updated: Some("ieri sera".into()),
        ..Default::default()
    };
    let blocks =
        crate::store::segment_blocks(&article.document, &crate::Segmenter::italian::<&str>(&[]));
    let doc = ws
        .add_article("Vertice", None, article.document.format, &blocks, &meta)
        .unwrap();
    let page = super::bilingual_html(&ws, doc).unwrap();
    assert!(
        page.contains(
            "<p class=\"about\">Adriatico Notizie · Anna &lt;b&gt;Bianchi&lt;/b&gt; · \
             published 2024-11-09 06:58 · updated ieri sera</p>"
        ),
        "{page}"
    );
    assert!(
        page.contains("<p class=\"about\">Source: https://example.it/a?x=1&amp;y=&lt;2&gt;</p>")
    );
    assert!(!page.contains("<a "), "the address is not a link");
}

/// Issue 18: a segment split off after an XLIFF import has no unit of its
/// own: its English joins the unit it was split from, which is filled once
/// both halves have English, with the less advanced status.
#[test]
fn a_split_units_halves_go_back_into_their_unit() {
    let dir = tempfile::tempdir().unwrap();
    let job = dir.path().join("job.xlf");
    std::fs::write(
        &job,
        r#"<xliff version="1.2"><file original="a" source-language="it" target-language="en" datatype="plaintext"><body>
<trans-unit id="a"><source>Uno e due.</source></trans-unit>
<trans-unit id="b"><source>Tre.</source></trans-unit>
</body></file></xliff>"#,
    )
    .unwrap();
    let mut ws = Workspace::open_in_memory().unwrap();
    let doc = crate::review::import_xliff_document(&mut ws, &job, None)
        .unwrap()
        .document;
    let first = ws.segments(doc).unwrap()[0].id;
    let (one, two) = ws.split_segment(doc, first, 4).unwrap();
    ws.set_target(doc, one.id, "One", Status::Approved).unwrap();
    let before = super::xliff::same_file(&ws, doc, 1).unwrap().unwrap();
    assert!(!String::from_utf8(before).unwrap().contains("<target"));
    ws.set_target(doc, two.id, "and two.", Status::Translated)
        .unwrap();
    let out = String::from_utf8(super::xliff::same_file(&ws, doc, 1).unwrap().unwrap()).unwrap();
    assert!(
        out.contains(r#"<source>Uno e due.</source><target state="translated">One and two.</target></trans-unit>"#),
        "{out}"
    );
    assert!(out.contains("<source>Tre.</source></trans-unit>"), "{out}");
    // Not made from this version: a file of our own.
    assert_eq!(super::xliff::same_file(&ws, doc, 2).unwrap(), None);
}

/// Sets each segment's English from `pairs` (Italian → English, both in
/// the `<1>…</1>` notation), refusing a segment the table does not name.
fn translate_in_notation(ws: &mut Workspace, doc: i64, pairs: &[(&str, &str)]) {
    let segments = ws.segments(doc).unwrap();
    let italian: Vec<String> = segments
        .iter()
        .map(|s| to_notation(&s.source, &s.source))
        .collect();
    for (segment, notation) in segments.iter().zip(&italian) {
        let Some((_, english)) = pairs.iter().find(|(it, _)| it == notation) else {
            panic!("no English for {notation:?}; the segments are {italian:#?}");
        };
        let english = from_notation(&segment.source, english).unwrap();
        ws.set_target(doc, segment.id, &english, Status::Translated)
            .unwrap();
    }
}

const INLINE_HTML: &str = include_str!("../../tests/fixtures/inline.html");
const INLINE_MARKDOWN: &str = include_str!("../../tests/fixtures/inline.md");

/// An inline element of a page: its name, its attributes (sorted) and its
/// text.
type InlineElement = (String, Vec<(String, String)>, String);

/// The inline elements under the elements `scope` selects, in document
/// order.
fn inline_elements(page: &str, scope: &str) -> Vec<InlineElement> {
    let page = scraper::Html::parse_document(page);
    let selector = scraper::Selector::parse(&format!(
        "{scope} :is(a, strong, b, em, i, u, s, sup, sub, code, q, abbr, span, br, img)"
    ))
    .unwrap();
    page.select(&selector)
        .map(|e| {
            let mut attributes: Vec<(String, String)> = e
                .value()
                .attrs()
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect();
            attributes.sort();
            let text = e.text().collect::<String>();
            (e.value().name().to_string(), attributes, text)
        })
        .collect()
}

#[test]
fn an_html_article_keeps_its_links_emphasis_and_breaks_in_english() {
    let (mut ws, doc) = workspace("inline.html", INLINE_HTML);
    translate_in_notation(
        &mut ws,
        doc,
        &[
            ("Il sindaco di <1>Roma</1> incontra Kim", "The mayor of <1>Rome</1> meets Kim"),
            (
                "Secondo <1>l'agenzia ANSA</1>, il sindaco è <2>molto soddisfatto</2> dell'incontro.",
                "According to <1>the ANSA agency</1>, the mayor is <2>very pleased</2> with the meeting.",
            ),
            (
                "Lo ha detto <1>ieri sera</1> ai giornalisti.",
                "He told reporters <1>last night</1>.",
            ),
            ("La <1>visita è durata tre giorni.", "The <1>visit lasted three days."),
            (
                "Il programma</1> è stato pubblicato online.<2/>",
                "The programme</1> was published online.<2/>",
            ),
            ("Altre notizie seguiranno.", "More news will follow."),
            (
                "Nella foto <1/> i due leader <2>sorridono</2> e <3>scherzano</3> davanti all'<4>ONU</4>.",
                "In the photo <1/> the two leaders <3>joke</3> and <2>smile</2> in front of the <4>UN</4>.",
            ),
        ],
    );
    let english = article(&ws, doc, false).unwrap().text;
    let italian = inline_elements(INLINE_HTML, "article");
    let translated = inline_elements(&english, "body");
    let shape = |elements: &[InlineElement]| {
        let mut shape: Vec<(String, Vec<(String, String)>)> = elements
            .iter()
            .map(|(name, attributes, _)| (name.clone(), attributes.clone()))
            .collect();
        shape.sort();
        shape
    };
    assert_eq!(shape(&translated), shape(&italian), "{english}");
    assert_eq!(italian.len(), 10);
    let text_of = |name: &str, attribute: &str, value: &str| {
        translated
            .iter()
            .find(|(n, attributes, _)| {
                n == name && attributes.iter().any(|(a, v)| a == attribute && v == value)
            })
            .map(|(_, _, text)| text.clone())
            .unwrap_or_else(|| panic!("no {name} with {attribute}={value} in {english}"))
    };
    assert_eq!(
        text_of("a", "href", "https://www.ansa.it/notizia?id=1&lang=it"),
        "the ANSA agency"
    );
    // The link across a sentence boundary covers both halves of the English.
    assert_eq!(
        text_of("a", "href", "https://example.it/vertice"),
        "visit lasted three days. The programme"
    );
    assert_eq!(
        text_of("abbr", "title", "Organizzazione delle Nazioni Unite"),
        "UN"
    );
    let texts: Vec<&str> = translated.iter().map(|(_, _, t)| t.as_str()).collect();
    for expected in ["Rome", "very pleased", "last night", "smile", "joke"] {
        assert!(texts.contains(&expected), "{expected:?} in {texts:?}");
    }

    let page = scraper::Html::parse_document(&english);
    let one = |css: &str| {
        page.select(&scraper::Selector::parse(css).unwrap())
            .next()
            .unwrap_or_else(|| panic!("no {css} in {english}"))
    };
    assert_eq!(one("html").value().attr("lang"), Some("en"));
    assert_eq!(
        one("title").text().collect::<String>(),
        "The mayor of Rome meets Kim"
    );
    assert_eq!(
        one("p:has(br)").text().collect::<String>(),
        "The visit lasted three days. The programme was published online. More news will follow."
    );
    assert!(
        !english.chars().any(crate::text::codes::is_code),
        "{english}"
    );
}

/// The Markdown structure of `text`: every event but text, with links' and
/// images' addresses and titles, and the text inside each link.
fn markdown_structure(text: &str) -> Vec<String> {
    use pulldown_cmark::{Event, Parser, Tag, TagEnd};
    let mut structure = Vec::new();
    let mut link_text: Option<String> = None;
    for event in Parser::new(text) {
        match event {
            Event::Start(Tag::Link {
                dest_url, title, ..
            }) => {
                structure.push(format!("link {dest_url} {title:?}"));
                link_text = Some(String::new());
            }
            Event::End(TagEnd::Link) => {
                structure.push(format!("/link {:?}", link_text.take().unwrap_or_default()));
            }
            Event::Start(Tag::Image {
                dest_url, title, ..
            }) => structure.push(format!("image {dest_url} {title:?}")),
            Event::Text(t) => {
                if let Some(inside) = link_text.as_mut() {
                    inside.push_str(&t);
                }
            }
            Event::SoftBreak => {}
            Event::Code(code) => structure.push(format!("code {code:?}")),
            other => structure.push(format!("{other:?}")),
        }
    }
    structure
}

#[test]
fn a_markdown_article_keeps_its_links_emphasis_and_breaks_in_english() {
    let (mut ws, doc) = workspace("inline.md", INLINE_MARKDOWN);
    translate_in_notation(
        &mut ws,
        doc,
        &[
            ("Il sindaco di <1>Roma</1> incontra Kim", "The mayor of <1>Rome</1> meets Kim"),
            (
                "Secondo <1>l'agenzia ANSA</1>, il sindaco è <2>molto soddisfatto</2> dell'incontro.",
                "According to <1>the ANSA agency</1>, the mayor is <2>very pleased</2> with the meeting.",
            ),
            (
                "Lo ha detto <1>ieri sera</1> ai giornalisti.",
                "He told reporters <1>last night</1>.",
            ),
            ("La <1>visita è durata tre giorni.", "The <1>visit lasted three days."),
            (
                "Il programma</1> è stato pubblicato su <2>https://example.it</2>.<3/>",
                "The programme</1> was published on <2>https://example.it</2>.<3/>",
            ),
            ("Altre notizie seguiranno.", "More news will follow."),
            (
                "Nella foto <1/> i due leader <2>sorridono</2>.",
                "In the photo <1/> the two leaders <2>smile</2>.",
            ),
            (
                "Il comando <1/> non si traduce.",
                "The command <1/> is not translated.",
            ),
        ],
    );
    let english = article(&ws, doc, false).unwrap().text;
    let structure = markdown_structure(&english);
    let expected: Vec<String> = markdown_structure(INLINE_MARKDOWN)
        .into_iter()
        .map(|event| {
            [
                ("l'agenzia ANSA", "the ANSA agency"),
                (
                    "visita è durata tre giorni. Il programma",
                    "visit lasted three days. The programme",
                ),
            ]
            .iter()
            .fold(event, |event, (it, en)| event.replace(it, en))
        })
        .collect();
    assert_eq!(structure, expected, "{english}");
    assert!(structure.iter().any(|e| e.starts_with("Start(Strong)")));
    assert!(structure.iter().any(|e| e == "HardBreak"));
    assert!(
        english.starts_with("# The mayor of *Rome* meets Kim\n"),
        "{english}"
    );
    assert!(
        !english.chars().any(crate::text::codes::is_code),
        "{english}"
    );
}

#[test]
fn codes_the_english_leaves_unbalanced_still_make_well_formed_markup() {
    use crate::document::InlineCode;
    use crate::text::codes::Mark;
    let code = |name: &str| InlineCode {
        element: name.into(),
        open: format!("<{name}>"),
        close: format!("</{name}>"),
        title: String::new(),
    };
    let codes = [code("a"), code("b"), code("i")];
    let (o, c) = (
        |id: u16| Mark::Open(id).char(),
        |id: u16| Mark::Close(id).char(),
    );
    let check = |text: String, expect: &str| {
        let mut out = String::new();
        super::rebuild(&text, &codes, &mut out, |t, _, out| out.push_str(t));
        assert_eq!(out, expect);
    };
    // Closed out of order: what is inside closes and opens again.
    check(
        format!("{}x {}y{} z{}", o(0), o(1), c(0), c(1)),
        "<a>x <b>y</b></a><b> z</b>",
    );
    // Left open: closed at the end; a close without its open: left out;
    // a code the block does not have: left out.
    check(
        format!("{}x{} {}y{}", o(0), c(1), o(2), Mark::Open(9).char()),
        "<a>x <i>y</i></a>",
    );
}

#[test]
fn a_hostile_page_exports_without_handlers_scripts_or_codes_of_its_own() {
    let page = "<html><body><article><h1>Titolo &#xE000;\u{E001}</h1>\
        <p><a href=\"javascript:alert(1)\" onclick=\"steal()\">Qui</a> e \
        <a href=\"jav&#x0A;ascript:alert(2)\" style=\"color:red\">là</a> \
        <img src=\"x.jpg\" onerror=\"alert(3)\"> &#xF000;fine.</p></article></body></html>";
    let (mut ws, doc) = workspace("hostile.html", page);
    translate_in_notation(
        &mut ws,
        doc,
        &[
            ("Titolo", "Title"),
            (
                "<1>Qui</1> e <2>là</2> <3/> fine.",
                "<1>Here</1> and <2>there</2> <3/> end.",
            ),
        ],
    );
    let english = article(&ws, doc, false).unwrap().text;
    let dom = scraper::Html::parse_document(&english);
    for element in dom
        .root_element()
        .descendants()
        .filter_map(scraper::ElementRef::wrap)
    {
        for (name, value) in element.value().attrs() {
            assert!(!name.starts_with("on"), "{name} in {english}");
            assert!(
                !value.to_lowercase().contains("script"),
                "{value} in {english}"
            );
        }
    }
    assert_eq!(
        inline_elements(&english, "p")
            .iter()
            .map(|(name, attributes, text)| format!("{name}{attributes:?}{text}"))
            .collect::<Vec<_>>(),
        [
            "a[]Here",
            "a[(\"style\", \"color:red\")]there",
            "img[(\"src\", \"x.jpg\")]"
        ]
    );
    for format in [
        ExportFormat::Target,
        ExportFormat::Csv,
        ExportFormat::Tsv,
        ExportFormat::Html,
    ] {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out");
        export_document(&ws, doc, format, false, &path).unwrap();
        let written = std::fs::read_to_string(&path).unwrap();
        assert!(
            !written.chars().any(crate::text::codes::is_code),
            "{format:?}: {written}"
        );
    }
}

#[test]
fn plain_outputs_carry_the_text_without_codes_and_the_review_page_shows_markers() {
    let (mut ws, doc) = workspace("inline.md", INLINE_MARKDOWN);
    let headline = ws.segments(doc).unwrap()[0].clone();
    let english = from_notation(&headline.source, "The mayor of <1>Rome</1> meets Kim").unwrap();
    ws.set_target(doc, headline.id, &english, Status::Translated)
        .unwrap();
    let table = bilingual_table(&ws, doc, b',').unwrap();
    assert!(
        table.contains(",Il sindaco di Roma incontra Kim,The mayor of Rome meets Kim,translated,"),
        "{table}"
    );
    let review = super::bilingual_html(&ws, doc).unwrap();
    assert!(
        review.contains(
            "<td>The mayor of <span class=\"code\">&lt;1&gt;</span>Rome<span class=\"code\">&lt;/1&gt;</span> meets Kim</td>"
        ),
        "{review}"
    );
    assert!(!review.chars().any(crate::text::codes::is_code));

    // A plain-text document with codes (as one made from another tool's
    // XLIFF may have) writes its text alone.
    let mut ws = Workspace::open_in_memory().unwrap();
    let link = crate::document::InlineCode {
        element: "g".into(),
        open: "<g id=\"1\">".into(),
        close: "</g>".into(),
        title: String::new(),
    };
    let (o, c) = (
        crate::text::codes::Mark::Open(0).char(),
        crate::text::codes::Mark::Close(0).char(),
    );
    let document = crate::document::Document {
        format: crate::document::SourceFormat::Text,
        blocks: vec![crate::document::Block {
            kind: crate::document::BlockKind::Paragraph,
            text: format!("Vedi {o}qui{c}."),
            codes: vec![link],
            translatable: crate::document::Translatable::Yes,
        }],
    };
    let doc = ws
        .add_document(
            "a.txt",
            None,
            &document,
            &crate::Segmenter::italian::<&str>(&[]),
        )
        .unwrap();
    assert_eq!(article(&ws, doc, false).unwrap().text, "Vedi qui.\n");
}
