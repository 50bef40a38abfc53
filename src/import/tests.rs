//! Unit tests of the format readers and the import checks.

use super::{import_bytes, ImportError};
use crate::document::ArticleMeta;
use crate::document::{BlockKind, InlineCode, SourceFormat, Translatable};
use crate::text::codes::to_display;

/// Each block's text, its inline codes written `<1>…</1>`, `<2/>`.
fn texts(doc: &crate::document::Document) -> Vec<(String, BlockKind, Translatable)> {
    doc.blocks
        .iter()
        .map(|b| (to_display(&b.text, &b.text), b.kind, b.translatable))
        .collect()
}

#[test]
fn plain_text_lines_become_blocks_with_bom_and_crlf() {
    let doc = import_bytes(
        "a.txt",
        Some("txt"),
        "\u{FEFF}Titolo\r\n\r\nPrimo paragrafo. Seconda frase.\r\n  \r\nSecondo\u{A0}paragrafo.\r\n".as_bytes(),
    )
    .unwrap();
    assert_eq!(doc.format, SourceFormat::Text);
    let blocks: Vec<&str> = doc.blocks.iter().map(|b| b.text.as_str()).collect();
    assert_eq!(
        blocks,
        [
            "Titolo",
            "Primo paragrafo. Seconda frase.",
            "Secondo\u{A0}paragrafo."
        ]
    );
}

#[test]
fn boilerplate_lines_are_kept_but_not_translatable() {
    let doc = import_bytes(
        "a.txt",
        Some("txt"),
        "Skip to main content\nTitolo\n×\nIscriviti alla newsletter\n".as_bytes(),
    )
    .unwrap();
    let flags: Vec<bool> = doc
        .blocks
        .iter()
        .map(|b| b.translatable.is_translatable())
        .collect();
    assert_eq!(flags, [false, true, false, false]);
}

#[test]
fn markdown_keeps_structure() {
    let md = "# Titolo *forte*\n\nUn paragrafo\nsu due righe.\n\n- primo\n- secondo\n  1. annidato\n\n> Citazione.\n\n```\ncodice\n```\n";
    let doc = import_bytes("a.md", Some("md"), md.as_bytes()).unwrap();
    assert_eq!(
        texts(&doc),
        [
            (
                "Titolo <1>forte</1>".into(),
                BlockKind::Heading(1),
                Translatable::Yes
            ),
            (
                "Un paragrafo su due righe.".into(),
                BlockKind::Paragraph,
                Translatable::Yes
            ),
            (
                "primo".into(),
                BlockKind::ListItem {
                    ordered: false,
                    depth: 0
                },
                Translatable::Yes
            ),
            (
                "secondo".into(),
                BlockKind::ListItem {
                    ordered: false,
                    depth: 0
                },
                Translatable::Yes
            ),
            (
                "annidato".into(),
                BlockKind::ListItem {
                    ordered: true,
                    depth: 1
                },
                Translatable::Yes
            ),
            ("Citazione.".into(), BlockKind::Quote, Translatable::Yes),
            ("codice".into(), BlockKind::Code, Translatable::Never),
        ]
    );
}

#[test]
fn html_keeps_article_text_and_drops_furniture() {
    let html = r#"<!DOCTYPE html><html><head><title>T</title><style>p{}</style></head><body>
<header><p>Menu del sito</p></header><nav><ul><li>Home</li></ul></nav>
<article><h1>Putin &amp; Kim</h1><p>Primo&nbsp;paragrafo <b>in grassetto</b>.<script>alert(1)</script></p>
<ul><li>uno</li><li>due</li></ul>
<figure><img src="x.jpg"><figcaption>Una foto</figcaption></figure>
<blockquote>Una citazione.</blockquote>
<p>&lt;script&gt;non eseguire&lt;/script&gt;</p></article>
<aside><p>Leggi anche</p></aside><form><p>Cerca</p></form><footer><p>Copyright</p></footer></body></html>"#;
    let doc = import_bytes("a.html", Some("html"), html.as_bytes()).unwrap();
    assert_eq!(
        texts(&doc),
        [
            (
                "Putin & Kim".into(),
                BlockKind::Heading(1),
                Translatable::Yes
            ),
            (
                "Primo\u{A0}paragrafo <1>in grassetto</1>.".into(),
                BlockKind::Paragraph,
                Translatable::Yes
            ),
            (
                "uno".into(),
                BlockKind::ListItem {
                    ordered: false,
                    depth: 0
                },
                Translatable::Yes
            ),
            (
                "due".into(),
                BlockKind::ListItem {
                    ordered: false,
                    depth: 0
                },
                Translatable::Yes
            ),
            ("Una foto".into(), BlockKind::Caption, Translatable::Yes),
            ("Una citazione.".into(), BlockKind::Quote, Translatable::Yes),
            (
                "<script>non eseguire</script>".into(),
                BlockKind::Paragraph,
                Translatable::Yes
            ),
        ]
    );
}

#[test]
fn format_is_sniffed_without_extension() {
    let doc = import_bytes("-", None, b"<html><body><p>Ciao.</p></body></html>").unwrap();
    assert_eq!(doc.format, SourceFormat::Html);
    let doc = import_bytes("-", None, b"# Titolo\n\n## Sotto\n\nTesto.").unwrap();
    assert_eq!(doc.format, SourceFormat::Markdown);
    let doc = import_bytes("-", None, b"Solo testo.").unwrap();
    assert_eq!(doc.format, SourceFormat::Text);
}

#[test]
fn bad_input_gets_one_clear_error() {
    let err = import_bytes("x.txt", Some("txt"), b"").unwrap_err();
    assert!(matches!(err, ImportError::Empty { .. }));
    assert_eq!(err.to_string(), "x.txt: the file is empty");

    let err = import_bytes("x.txt", Some("txt"), b"  \n\n ").unwrap_err();
    assert!(matches!(err, ImportError::Empty { .. }));

    let err = import_bytes("x.txt", Some("txt"), b"Caf\xe8 latte").unwrap_err();
    assert!(
        matches!(err, ImportError::Encoding { offset: 3, .. }),
        "{err}"
    );
    assert!(err.to_string().contains("byte offset 3"));
    assert!(err.to_string().starts_with("x.txt: "));

    let err = import_bytes("x.png", Some("png"), b"\x89PNG\r\n\x1a\n\0\0").unwrap_err();
    assert!(
        matches!(err, ImportError::Binary { offset: 8, .. }),
        "{err}"
    );

    let err = import_bytes("x.pdf", Some("pdf"), b"%PDF-1.4 text").unwrap_err();
    assert!(matches!(err, ImportError::UnknownFormat { .. }), "{err}");

    let err = import_bytes("x.html", Some("html"), b"<script>x()</script>").unwrap_err();
    assert!(matches!(err, ImportError::NoText { .. }), "{err}");
}

#[test]
fn html_nested_beyond_any_article_is_refused_before_parsing() {
    // 200,000 levels: the parser would take minutes and the walk would
    // overflow the stack.
    let deep = format!(
        "<html><body>{}<p>Una frase.</p>{}</body></html>",
        "<div>".repeat(200_000),
        "</div>".repeat(200_000)
    );
    let err = import_bytes("deep.html", Some("html"), deep.as_bytes()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "deep.html: elements are nested more than 1000 deep; this is not an article page"
    );
    // Near misses: paragraphs and list items left open, void and
    // self-closed elements, tags inside scripts and comments.
    let sloppy = format!(
        "<html><body><script>{}</script><!-- {} -->{}{}{}</body></html>",
        "<div>".repeat(2_000),
        "<div>".repeat(2_000),
        "<p>Una frase aperta.".repeat(2_000),
        "<li>voce".repeat(2_000),
        "<br><img src=x><span/>".repeat(2_000)
    );
    let doc = import_bytes("sloppy.html", Some("html"), sloppy.as_bytes()).unwrap();
    assert!(doc.blocks.len() >= 2_000);
}

#[test]
fn an_article_byline_shortens_iso_times_and_keeps_other_text() {
    assert_eq!(ArticleMeta::default().byline(), None);
    let meta = ArticleMeta {
        outlet: Some("  ".into()),
        published: Some("2024-11-09".into()),
        updated: Some("2024-11-09T9:5".into()),
        url: Some("https://example.it/a".into()),
        canonical_url: Some("https://example.it/canonical".into()),
        ..Default::default()
    };
    assert_eq!(
        meta.byline().as_deref(),
        Some("published 2024-11-09 · updated 2024-11-09")
    );
    assert_eq!(meta.address(), Some("https://example.it/canonical"));
}
