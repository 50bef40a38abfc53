//! Unit tests of the format readers and the import checks.

use super::{import_bytes, web_address, ImportError};
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

/// The blocks of an HTML page whose body is `body`, each in the notation
/// with its codes.
fn html_blocks(body: &str) -> Vec<(String, Vec<InlineCode>)> {
    let page = format!("<!DOCTYPE html><html><body><article>{body}</article></body></html>");
    let doc = import_bytes("a.html", Some("html"), page.as_bytes()).unwrap();
    doc.blocks
        .into_iter()
        .map(|b| (to_display(&b.text, &b.text), b.codes))
        .collect()
}

fn code(element: &str, open: &str, close: &str, title: &str) -> InlineCode {
    InlineCode {
        element: element.into(),
        open: open.into(),
        close: close.into(),
        title: title.into(),
    }
}

#[test]
fn html_inline_elements_become_codes_with_their_attributes() {
    let blocks = html_blocks(
        r#"<p>Il <a href="https://e.it/a?x=1&amp;y=&quot;2&quot;" title="Vai" class="x">sindaco</a> di <strong>Roma</strong>, <em>ieri</em>,<br>ha <i>detto</i> <u>che</u> <s>no</s>: H<sub>2</sub>O, m<sup>2</sup>, <code>x</code>, <q>sì</q>, <abbr title="Nazioni Unite">ONU</abbr>, <span lang="en">okay</span>, <span>nudo</span>, <img src="f.jpg" alt="Una &quot;foto&quot;"> e <mark>evidenziato</mark>.</p>"#,
    );
    assert_eq!(blocks.len(), 1);
    let (text, codes) = &blocks[0];
    assert_eq!(
        text,
        "Il <1>sindaco</1> di <2>Roma</2>, <3>ieri</3>,<4/> ha <5>detto</5> <6>che</6> <7>no</7>: \
         H<8>2</8>O, m<9>2</9>, <10>x</10>, <11>sì</11>, <12>ONU</12>, <13>okay</13>, nudo, <14/> e evidenziato."
    );
    assert_eq!(
        codes[0],
        code(
            "a",
            r#"<a class="x" href="https://e.it/a?x=1&amp;y=&quot;2&quot;" title="Vai">"#,
            "</a>",
            r#"https://e.it/a?x=1&y="2""#
        )
    );
    assert_eq!(codes[1], code("strong", "<strong>", "</strong>", ""));
    assert_eq!(codes[3], code("br", "<br>", "", ""));
    assert_eq!(
        codes[11],
        code(
            "abbr",
            r#"<abbr title="Nazioni Unite">"#,
            "</abbr>",
            "Nazioni Unite"
        )
    );
    assert_eq!(codes[12].open, r#"<span lang="en">"#);
    assert_eq!(
        codes[13],
        code(
            "img",
            r#"<img alt="Una &quot;foto&quot;" src="f.jpg">"#,
            "",
            r#"Una "foto""#
        )
    );
    let elements: Vec<&str> = codes.iter().map(|c| c.element.as_str()).collect();
    assert_eq!(
        elements,
        [
            "a", "strong", "em", "br", "i", "u", "s", "sub", "sup", "code", "q", "abbr", "span",
            "img"
        ]
    );
}

#[test]
fn html_codes_hug_their_words_and_nest() {
    let blocks = html_blocks(
        r#"<h2>Vedi <a href="u"> qui </a>ora</h2><p><a id="s1"></a>Testo <a href="v"><strong>forte</strong> e <em>link</em></a>.</p><p><img src="x.jpg"></p><pre>a <b>b</b>
  c</pre>"#,
    );
    let texts: Vec<&str> = blocks.iter().map(|(t, _)| t.as_str()).collect();
    // An image alone is no block; code keeps its lines.
    assert_eq!(
        texts,
        [
            "Vedi <1>qui</1> ora",
            "<1/>Testo <2><3>forte</3> e <4>link</4></2>.",
            "a <1>b</1>\n  c"
        ]
    );
    // An anchor has nothing inside: one code, standing alone.
    assert_eq!(blocks[1].1[0], code("a", r#"<a id="s1"></a>"#, "", ""));
}

#[test]
fn imported_html_is_data_never_markup() {
    let blocks = html_blocks(
        "<p><a href=\"javascript:alert(1)\" onclick=\"steal()\" OnMouseOver=x>qui</a>, \
         <a href=\" JaVa&#x09;ScRipt:alert(2)\" title=\"ok\">là</a>, \
         <img src=x onerror=alert(3)> <a x\"y=1 href=\"https://e.it\">su</a> \
         &#xE000;&#57344;testo\u{E801} &#xF000;<b>fine</b>.</p>",
    );
    let (text, codes) = &blocks[0];
    assert_eq!(
        text,
        "<1>qui</1>, <2>là</2>, <3/> <4>su</4> testo <5>fine</5>."
    );
    assert_eq!(codes[0], code("a", "<a>", "</a>", ""));
    assert_eq!(codes[1], code("a", r#"<a title="ok">"#, "</a>", ""));
    assert_eq!(codes[2], code("img", r#"<img src="x">"#, "", "x"));
    assert_eq!(codes[3].open, r#"<a href="https://e.it">"#);
    for code in codes {
        assert!(!code.open.to_lowercase().contains("script"), "{code:?}");
        assert!(!code.open.contains(" on"), "{code:?}");
    }

    // Nor in Markdown or plain text: a character of the codes' range is
    // dropped, as text or as an entity.
    for (extension, input) in [
        ("md", "Testo &#xE000; e \u{E001}*forte*\u{F000}."),
        ("txt", "Testo \u{E000} e \u{E001}forte\u{F000}."),
    ] {
        let doc = import_bytes("a", Some(extension), input.as_bytes()).unwrap();
        let block = &doc.blocks[0];
        let marks = crate::text::codes::marks(&block.text).count();
        assert_eq!(
            marks,
            2 * block.codes.len(),
            "{extension}: {:?}",
            block.text
        );
    }
}

#[test]
fn a_block_keeps_at_most_max_codes_and_all_its_text() {
    let body = format!(
        "<p>{}</p>",
        "<b>x</b> ".repeat(crate::text::codes::MAX_CODES + 10)
    );
    let page = format!("<html><body><article>{body}</article></body></html>");
    let doc = import_bytes("a.html", Some("html"), page.as_bytes()).unwrap();
    let block = &doc.blocks[0];
    assert_eq!(block.codes.len(), crate::text::codes::MAX_CODES);
    assert_eq!(
        crate::text::codes::strip(&block.text).matches('x').count(),
        crate::text::codes::MAX_CODES + 10
    );
}

#[test]
fn furniture_is_found_through_its_codes() {
    let blocks = import_bytes(
        "a.html",
        Some("html"),
        "<html><body><article><p>Un fatto.</p><p><a href=\"/n\"><b>Iscriviti alla newsletter</b></a></p></article></body></html>"
            .as_bytes(),
    )
    .unwrap()
    .blocks;
    assert_eq!(blocks[1].translatable, Translatable::Boilerplate);
    assert_eq!(blocks[1].codes.len(), 2);
}

#[test]
fn markdown_emphasis_links_code_images_and_breaks_become_codes() {
    let md = "Vedi [il sito](https://e.it/a_b \"Il \\\"sito\\\"\"), <https://ansa.it> o <info@ansa.it>, \
              **forte**, __anche__, _questo_ e *quello*; `a ``b` qui.  \nA capo ![Una *foto*](f.jpg) e [rif][r].\n\n\
              [r]: <https://e.it/un rif> \"T\"\n";
    let doc = import_bytes("a.md", Some("md"), md.as_bytes()).unwrap();
    assert_eq!(doc.blocks.len(), 1);
    let block = &doc.blocks[0];
    assert_eq!(
        to_display(&block.text, &block.text),
        "Vedi <1>il sito</1>, <2>https://ansa.it</2> o <3>info@ansa.it</3>, <4>forte</4>, <5>anche</5>, \
         <6>questo</6> e <7>quello</7>; <8/> qui.<9/> A capo <10/> e <11>rif</11>."
    );
    let written: Vec<(&str, &str, &str, &str)> = block
        .codes
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
            (
                "link",
                "[",
                r#"](https://e.it/a_b "Il \"sito\"")"#,
                "https://e.it/a_b"
            ),
            ("link", "[", "](https://ansa.it)", "https://ansa.it"),
            ("link", "[", "](mailto:info@ansa.it)", "mailto:info@ansa.it"),
            ("strong", "**", "**", ""),
            ("strong", "__", "__", ""),
            ("emphasis", "_", "_", ""),
            ("emphasis", "*", "*", ""),
            ("code", "```a ``b```", "", "a ``b"),
            ("break", "\\\n", "", ""),
            ("image", "![Una foto](f.jpg)", "", "Una foto"),
            (
                "link",
                "[",
                r#"](<https://e.it/un rif> "T")"#,
                "https://e.it/un rif"
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

/// The lead photo sits between the headline and the article's body, in the
/// `article` that holds both: its caption is kept, before the text, and a
/// caption written in paragraphs is one caption.
#[test]
fn the_lead_photos_caption_outside_the_body_is_kept() {
    let html = r#"<html><body><article>
<h1>Vertice a Pyongyang</h1>
<figure class="lead-photo"><img src="kim.jpg" alt=""><figcaption>Kim Jong-un accoglie Putin all'aeroporto <span class="credit">(foto Ansa)</span></figcaption></figure>
<div class="article-body">
<p>Il presidente russo è arrivato ieri sera a Pyongyang per la sua prima visita in ventiquattro anni.</p>
<figure><img src="firma.jpg"><figcaption><p>La firma dell'accordo.</p><p>Il trattato prevede assistenza reciproca.</p></figcaption></figure>
<p>I due leader hanno firmato un accordo di partenariato strategico che prevede assistenza reciproca in caso di aggressione.</p>
</div></article></body></html>"#;
    let doc = import_bytes("a.html", Some("html"), html.as_bytes()).unwrap();
    let captions: Vec<String> = texts(&doc)
        .into_iter()
        .filter(|(_, kind, _)| *kind == BlockKind::Caption)
        .map(|(text, _, _)| text)
        .collect();
    assert_eq!(
        captions,
        [
            "Kim Jong-un accoglie Putin all'aeroporto <1>(foto Ansa)</1>",
            "La firma dell'accordo. Il trattato prevede assistenza reciproca.",
        ]
    );
    let kinds: Vec<BlockKind> = doc.blocks.iter().map(|b| b.kind).collect();
    assert_eq!(
        kinds,
        [
            BlockKind::Heading(1),
            BlockKind::Caption,
            BlockKind::Paragraph,
            BlockKind::Caption,
            BlockKind::Paragraph,
        ]
    );
}

#[test]
fn an_address_typed_without_a_scheme_is_fetched_over_https() {
    for (typed, address) in [
        ("https://www.ansa.it/x", Some("https://www.ansa.it/x")),
        ("HTTP://example.it", Some("HTTP://example.it")),
        (
            "www.ansa.it/sito/notizie",
            Some("https://www.ansa.it/sito/notizie"),
        ),
        (
            " ilpost.it/2024/06/19/putin ",
            Some("https://ilpost.it/2024/06/19/putin"),
        ),
        // This machine and IP addresses seldom have a certificate.
        (
            "127.0.0.1:8080/articolo",
            Some("http://127.0.0.1:8080/articolo"),
        ),
        ("localhost:3000", Some("http://localhost:3000")),
        ("[::1]:8080/a", Some("http://[::1]:8080/a")),
        ("ftp://example.it/a", None),
        ("javascript:alert(1)", None),
        ("notizie", None),
        ("una notizia.it", None),
        ("", None),
    ] {
        assert_eq!(web_address(typed).as_deref(), address, "{typed:?}");
    }
}
