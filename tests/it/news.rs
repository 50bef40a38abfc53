//! Articles from news pages: import from a URL served on 127.0.0.1 (five
//! real-shaped layouts, and the ways a download fails), and revisions of an
//! article brought in without losing the work done.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use interlinea::import::{fetch_article_blocking, Article, FetchError, FetchSettings};
use interlinea::text::codes::{strip, to_display};
use interlinea::{BlockKind, Segmenter, Status, Translatable, Workspace};

use crate::http::{Reply, Server};

fn fixture(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/news")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn html(body: &[u8]) -> Reply {
    Reply::bytes(200, body).header("Content-Type", "text/html")
}

fn fetch(server: &Server, path: &str) -> Result<Article, FetchError> {
    fetch_article_blocking(&format!("{}{path}", server.url), &FetchSettings::default())
}

/// The translatable blocks of a kind, their inline codes written `<1>…</1>`.
fn texts(article: &Article, kind: BlockKind) -> Vec<String> {
    article
        .document
        .blocks
        .iter()
        .filter(|b| b.kind == kind && b.translatable == Translatable::Yes)
        .map(|b| to_display(&b.text, &b.text))
        .collect()
}

/// What a layout must give: headline, standfirst, the number of body
/// paragraphs, captions and pull quotes, and text that must not be there.
struct Expected<'a> {
    headline: &'a str,
    standfirst: Option<&'a str>,
    paragraphs: usize,
    first_paragraph: &'a str,
    captions: usize,
    quotes: usize,
    boilerplate: &'a [&'a str],
}

fn check(article: &Article, expected: &Expected<'_>) {
    let blocks = &article.document.blocks;
    assert_eq!(blocks[0].kind, BlockKind::Heading(1), "{blocks:#?}");
    assert_eq!(
        to_display(&blocks[0].text, &blocks[0].text),
        expected.headline
    );
    assert_eq!(
        texts(article, BlockKind::Standfirst)
            .first()
            .map(String::as_str),
        expected.standfirst
    );
    let paragraphs = texts(article, BlockKind::Paragraph);
    assert_eq!(paragraphs.len(), expected.paragraphs, "{paragraphs:#?}");
    assert_eq!(paragraphs[0], expected.first_paragraph);
    assert_eq!(texts(article, BlockKind::Caption).len(), expected.captions);
    assert_eq!(texts(article, BlockKind::Quote).len(), expected.quotes);
    // Site furniture is dropped, or at most kept as non-translatable.
    for needle in expected.boilerplate {
        for block in blocks
            .iter()
            .filter(|b| b.translatable == Translatable::Yes)
        {
            assert!(
                !strip(&block.text).contains(needle),
                "{needle:?} in translatable block {:?}",
                block.text
            );
        }
    }
}

#[test]
fn a_wordpress_news_page() {
    let server = Server::start(vec![html(&fixture("wordpress.html"))]);
    let article = fetch(&server, "/2024/05/16/alluvione/").expect("imported");
    check(
        &article,
        &Expected {
            headline: "Alluvione in Romagna, stanziati 120 milioni per le imprese",
            standfirst: None,
            paragraphs: 5,
            first_paragraph: "La Regione Emilia-Romagna ha approvato ieri un piano da <1>120 milioni di euro</1> per le imprese colpite dall\u{2019}alluvione dello scorso anno.",
            captions: 1,
            quotes: 1,
            boilerplate: &[
                "Vai al contenuto",
                "Cronaca",
                "Condividi",
                "Correlati",
                "Ravenna, riapre il ponte",
                "commenti",
                "Finalmente una buona notizia",
                "newsletter",
                "Testata registrata",
                "Giulia Ferretti",
                "16 maggio 2024",
                "Leggi anche",
            ],
        },
    );
    // The "Leggi anche" teaser inside the text is kept, marked as furniture.
    assert!(article
        .document
        .blocks
        .iter()
        .any(|b| strip(&b.text).starts_with("Leggi anche")
            && b.translatable == Translatable::Boilerplate));
    let meta = &article.meta;
    assert_eq!(meta.outlet.as_deref(), Some("Cronache del Delta"));
    assert_eq!(meta.author.as_deref(), Some("Giulia Ferretti"));
    assert_eq!(meta.published.as_deref(), Some("2024-05-16T09:12:00+02:00"));
    assert_eq!(meta.updated.as_deref(), Some("2024-05-16T17:40:00+02:00"));
    assert_eq!(
        meta.canonical_url.as_deref(),
        Some("https://www.cronachedeldelta.it/2024/05/16/alluvione-romagna-fondi-imprese/")
    );
    assert_eq!(
        meta.url.as_deref(),
        Some(format!("{}/2024/05/16/alluvione/", server.url).as_str())
    );
}

#[test]
fn an_amp_page() {
    let server = Server::start(vec![html(&fixture("amp.html"))]);
    let article = fetch(&server, "/amp/sciopero").expect("imported");
    check(
        &article,
        &Expected {
            headline: "Treni, sciopero di 24 ore venerdì: le fasce garantite",
            standfirst: Some("Si fermano regionali e Alta Velocità dalle 21 di giovedì alle 21 di venerdì. Viaggiano i treni dalle 6 alle 9 e dalle 18 alle 21."),
            paragraphs: 4,
            first_paragraph: "I sindacati di base hanno confermato lo sciopero nazionale del trasporto ferroviario, che inizierà alle 21 di giovedì 7 marzo.",
            captions: 1,
            quotes: 0,
            boilerplate: &["Menu", "Pubblicità", "Potrebbe interessarti", "Autostrade", "P.IVA", "Luca Marchetti"],
        },
    );
    // The kicker over the headline is a section label.
    assert!(!article
        .document
        .blocks
        .iter()
        .any(|b| b.text == "Trasporti"));
    assert_eq!(
        article.meta.author.as_deref(),
        Some("Luca Marchetti, Sara Colombo")
    );
    assert_eq!(
        article.meta.outlet.as_deref(),
        Some("Il Quotidiano del Nord")
    );
    assert_eq!(
        article.meta.canonical_url.as_deref(),
        Some("https://www.quotidianodelnord.it/cronaca/2024/03/06/sciopero-treni-venerdi-fasce-garantite")
    );
}

#[test]
fn a_page_whose_text_is_only_in_json_ld() {
    let server = Server::start(vec![html(&fixture("jsonld.html"))]);
    let article = fetch(&server, "/fisco/catasto").expect("imported");
    check(
        &article,
        &Expected {
            headline: "Il governo vara la riforma del catasto: cosa cambia per le famiglie",
            standfirst: Some("Nuove rendite dal 2026, nessun aumento delle tasse promesso dal ministro. Le associazioni dei proprietari restano contrarie."),
            paragraphs: 5,
            // The entity the site left in its JSON-LD is decoded.
            first_paragraph: "Il Consiglio dei ministri ha approvato giovedì sera il decreto che riforma il catasto, atteso da oltre vent\u{2019}anni.",
            captions: 0,
            quotes: 0,
            boilerplate: &["JavaScript", "cookie"],
        },
    );
    let meta = &article.meta;
    assert_eq!(meta.author.as_deref(), Some("Francesca De Santis"));
    assert_eq!(meta.outlet.as_deref(), Some("Gazzetta Economica"));
    assert_eq!(meta.published.as_deref(), Some("2024-10-17T21:48:00+02:00"));
    assert_eq!(meta.updated.as_deref(), Some("2024-10-18T08:15:00+02:00"));
}

#[test]
fn a_page_heavy_with_boilerplate_and_no_article_element() {
    let server = Server::start(vec![html(&fixture("boilerplate.html"))]);
    let article = fetch(&server, "/cronaca/incendio").expect("imported");
    check(
        &article,
        &Expected {
            headline: "Incendio in un deposito a Torino, colonna di fumo visibile da tutta la città",
            standfirst: Some("L'Arpa ha avviato le misurazioni dell'aria: ai residenti di Barriera di Milano consigliato di tenere le finestre chiuse"),
            paragraphs: 5,
            first_paragraph: "Un vasto incendio è divampato poco dopo le 11 in un deposito di materiali plastici in via Cigna, nel quartiere Barriera di Milano.",
            captions: 0,
            quotes: 0,
            boilerplate: &[
                "riservatezza", "842 partner", "Abbonati", "Ultim'ora", "tangenziale nord", "Necrologi",
                "Pubblicità", "fibra a 24,90", "newsletter", "Condividi", "Articoli correlati",
                "Moncalieri", "Contenuti sponsorizzati", "Madonna di Campagna", "più letti",
                "Concerto allo stadio", "Tribunale di Torino", "Privacy",
            ],
        },
    );
    assert_eq!(article.meta.outlet.as_deref(), Some("TorinoOggi24"));
    assert_eq!(
        article.meta.canonical_url.as_deref(),
        Some("https://www.torinooggi24.it/cronaca/incendio-deposito-barriera-di-milano")
    );
}

#[test]
fn a_latin1_page_is_read_by_its_meta_charset_and_by_the_http_header() {
    let bytes = fixture("latin1.html");
    assert!(
        std::str::from_utf8(&bytes).is_err(),
        "the fixture is not UTF-8"
    );
    let expected = Expected {
        headline: "Aosta, nuova funivia per il Monte Bianco: lavori al via",
        standfirst: Some("Investimento da 110 milioni di euro. L'impianto sarà pronto per la stagione invernale 2011."),
        paragraphs: 4,
        first_paragraph: "Sono cominciati lunedì a Courmayeur i lavori per la nuova funivia che collegherà Entrèves a Punta Helbronner, a 3.466 metri di quota.",
        captions: 0,
        quotes: 0,
        boilerplate: &["Hotel Mont Blanc", "Frana", "Home", "diritti riservati"],
    };
    // The charset only in the page's <meta>.
    let server = Server::start(vec![html(&bytes)]);
    let article = fetch(&server, "/notizie/funivia.html").expect("imported");
    check(&article, &expected);
    assert!(texts(&article, BlockKind::Paragraph)[3].ends_with("circa 45 €."));
    assert_eq!(article.meta.author.as_deref(), Some("Paolo Chabod"));
    // The charset in the header, the <meta> taken out.
    let needle = b"; charset=iso-8859-1";
    let at = bytes
        .windows(needle.len())
        .position(|w| w == needle)
        .expect("the meta charset");
    let without_meta = [&bytes[..at], &bytes[at + needle.len()..]].concat();
    let server =
        Server::start(vec![Reply::bytes(200, &without_meta)
            .header("Content-Type", "text/html; charset=ISO-8859-1")]);
    check(&fetch(&server, "/x").expect("imported"), &expected);
}

#[test]
fn a_redirect_is_followed_and_the_address_asked_for_is_kept() {
    let server = Server::start(vec![
        Reply::text(301, "").header("Location", "/moved/article"),
        html(&fixture("amp.html")),
    ]);
    let article = fetch(&server, "/old").expect("imported");
    let paths: Vec<String> = server.requests().iter().map(|r| r.path.clone()).collect();
    assert_eq!(paths, ["/old", "/moved/article"]);
    assert_eq!(article.meta.url, Some(format!("{}/old", server.url)));
}

#[test]
fn failed_downloads_say_why() {
    let err = |r: Result<Article, FetchError>| r.expect_err("must fail").to_string();

    let server = Server::start(vec![
        Reply::text(404, "<h1>Pagina non trovata</h1>").header("Content-Type", "text/html")
    ]);
    let message = err(fetch(&server, "/gone"));
    assert!(message.contains("HTTP 404 (page not found)"), "{message}");

    let server = Server::start(vec![
        html(&fixture("amp.html")).after(Duration::from_secs(3))
    ]);
    let settings = FetchSettings {
        timeout: Duration::from_millis(500),
        ..FetchSettings::default()
    };
    let started = std::time::Instant::now();
    let message = err(fetch_article_blocking(
        &format!("{}/slow", server.url),
        &settings,
    ));
    assert!(
        message.contains("no complete answer within 1 s"),
        "{message}"
    );
    assert!(started.elapsed() < Duration::from_secs(3));

    // Larger than the limit: refused by its Content-Length…
    let big = vec![b'a'; 2 * 1024 * 1024];
    let server = Server::start(vec![html(&big)]);
    let settings = FetchSettings {
        max_bytes: 1024 * 1024,
        ..FetchSettings::default()
    };
    let message = err(fetch_article_blocking(
        &format!("{}/big", server.url),
        &settings,
    ));
    assert!(
        message.contains("too large (over 1048576 bytes)"),
        "{message}"
    );
    // …and the default limit holds for a page over 20 MiB.
    let huge = vec![b' '; 21 * 1024 * 1024];
    let server = Server::start(vec![html(&huge)]);
    let message = err(fetch(&server, "/huge"));
    assert!(message.contains("too large"), "{message}");

    let server = Server::start(vec![
        Reply::bytes(200, b"%PDF-1.7\n").header("Content-Type", "application/pdf")
    ]);
    let message = err(fetch(&server, "/file.pdf"));
    assert!(
        message.contains("not a web page (the server sent application/pdf)"),
        "{message}"
    );

    let server = Server::start(vec![Reply::text(302, "").header("Location", "/loop")]);
    let message = err(fetch(&server, "/loop"));
    assert!(message.contains("more than 5 redirects"), "{message}");

    let server = Server::start(vec![html(
        b"<html><body><nav><p>Menu</p></nav></body></html>",
    )]);
    let message = err(fetch(&server, "/empty"));
    assert!(message.contains("no text found"), "{message}");

    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let message = err(fetch_article_blocking(
        &format!("http://127.0.0.1:{port}/x"),
        &FetchSettings::default(),
    ));
    assert!(
        message.contains(&format!("cannot reach 127.0.0.1:{port}")),
        "{message}"
    );

    let message = err(fetch_article_blocking(
        "file:///etc/passwd",
        &FetchSettings::default(),
    ));
    assert!(message.contains("not a web address"), "{message}");
}

fn translate_all(ws: &mut Workspace, doc: i64) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    for s in ws.segments(doc).unwrap() {
        if s.translatable.is_translatable() {
            let english = format!("EN: {}", s.source);
            interlinea::tm::set_target(ws, None, doc, s.id, &english, Status::Translated, false)
                .unwrap();
            pairs.push((s.source, english));
        }
    }
    pairs
}

#[test]
fn a_revised_article_keeps_every_unchanged_translation() {
    let dir = tempfile::tempdir().unwrap();
    let mut ws = Workspace::open(&dir.path().join("ws.sqlite")).unwrap();
    let segmenter = Segmenter::italian::<&str>(&[]);
    let first =
        interlinea::import::read_article("update-1.html", Some("html"), &fixture("update-1.html"))
            .unwrap();
    let blocks = interlinea::store::segment_blocks(&first.document, &segmenter);
    let doc = ws
        .add_article(
            "Terremoto",
            None,
            first.document.format,
            &blocks,
            &first.meta,
        )
        .unwrap();
    let before = ws.segments(doc).unwrap();
    let translated = translate_all(&mut ws, doc);
    assert_eq!(translated.len(), 8);
    ws.set_note(doc, before[2].id, Some("check the depth"))
        .unwrap();

    let second =
        interlinea::import::read_article("update-2.html", Some("html"), &fixture("update-2.html"))
            .unwrap();
    let blocks = interlinea::store::segment_blocks(&second.document, &segmenter);
    let plan = interlinea::revision::plan(&ws.segments(doc).unwrap(), blocks);
    let summary = plan.summary();
    let revision = ws
        .apply_revision(doc, &plan, Some("update-2.html"), Some(&second.meta))
        .unwrap();
    assert_eq!(
        (
            summary.unchanged,
            summary.edited,
            summary.new,
            summary.removed
        ),
        (6, 1, 1, 1)
    );

    let after = ws.segments(doc).unwrap();
    // Every segment whose Italian is unchanged has its English, status,
    // note and id.
    for old in &before {
        let Some(now) = after.iter().find(|s| s.source == old.source) else {
            continue;
        };
        let english = &translated
            .iter()
            .find(|(it, _)| *it == old.source)
            .unwrap()
            .1;
        assert_eq!(&now.target, english);
        assert_eq!(now.status, Status::Translated);
        assert_eq!(now.id, old.id);
        assert_eq!(now.note, ws.segment(doc, old.id).unwrap().note);
    }
    assert_eq!(
        ws.segment(doc, before[2].id).unwrap().note.as_deref(),
        Some("check the depth")
    );
    let kept = after
        .iter()
        .filter(|s| s.status == Status::Translated)
        .count();
    assert_eq!(kept, 6);

    let changes = ws.revision_changes(revision).unwrap();
    let edited = changes
        .iter()
        .find(|c| c.kind == interlinea::store::news::ChangeKind::Edited)
        .unwrap();
    let segment = ws.segment(doc, edited.segment.unwrap()).unwrap();
    assert_eq!(segment.source, "L'epicentro è stato localizzato a 22 chilometri da Ancona, a una profondità di 8 chilometri.");
    assert_eq!(segment.status, Status::New);
    assert_eq!(
        edited.previous_source.as_deref(),
        Some("L'epicentro è stato localizzato a 20 chilometri da Ancona, a una profondità di 8 chilometri.")
    );
    assert_eq!(
        edited.previous_target.as_deref(),
        Some("EN: L'epicentro è stato localizzato a 20 chilometri da Ancona, a una profondità di 8 chilometri.")
    );
    assert_eq!(edited.score, Some(99));
    assert_eq!(
        ws.previous_version(segment.id).unwrap().as_ref(),
        Some(edited)
    );
    let removed: Vec<_> = changes
        .iter()
        .filter(|c| c.kind == interlinea::store::news::ChangeKind::Removed)
        .map(|c| c.previous_source.as_deref().unwrap())
        .collect();
    assert_eq!(
        removed,
        ["I vigili del fuoco hanno ricevuto decine di chiamate."]
    );
    assert_eq!(ws.revisions(doc).unwrap()[0].summary, summary);
    assert_eq!(
        ws.document_meta(doc).unwrap().unwrap().updated.as_deref(),
        Some("2024-11-09T09:20:00+01:00")
    );
}

fn cli(db: &Path, args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_interlinea"))
        .args(args)
        .arg("--db")
        .arg(db)
        .env_remove("INTERLINEA_DB")
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn cli_imports_a_url_and_reimports_its_update() {
    let server = Server::start(vec![
        html(&fixture("update-1.html")),
        html(&fixture("update-2.html")),
    ]);
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ws.sqlite");
    let url = format!("{}/cronaca/terremoto", server.url);
    let (ok, out, err) = cli(&db, &["import", &url]);
    assert!(ok, "{err}");
    let doc: i64 = out.trim().parse().unwrap();
    let ws = Workspace::open(&db).unwrap();
    assert_eq!(
        ws.documents().unwrap()[0].name,
        "Terremoto nelle Marche, scossa di magnitudo 4.2 avvertita ad Ancona"
    );
    assert_eq!(
        ws.document_meta(doc).unwrap().unwrap().url.as_deref(),
        Some(url.as_str())
    );
    let first = ws.segments(doc).unwrap()[0].clone();
    drop(ws);
    let (ok, _, err) = cli(
        &db,
        &[
            "set-target",
            &doc.to_string(),
            &first.id.to_string(),
            "Earthquake in the Marche",
        ],
    );
    assert!(ok, "{err}");

    let (ok, out, err) = cli(&db, &["reimport", &doc.to_string(), &url]);
    assert!(ok, "{err}");
    let summary: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(
        summary,
        serde_json::json!({"unchanged": 6, "edited": 1, "new": 1, "removed": 1})
    );
    let ws = Workspace::open(&db).unwrap();
    assert_eq!(
        ws.segment(doc, first.id).unwrap().target,
        "Earthquake in the Marche"
    );

    // A failed download changes nothing.
    let (ok, out, err) = cli(
        &db,
        &[
            "reimport",
            &doc.to_string(),
            &format!("{}/x", "http://127.0.0.1:9"),
        ],
    );
    assert!(!ok && out.is_empty());
    assert!(err.contains("cannot reach 127.0.0.1:9"), "{err}");
    assert_eq!(ws.revisions(doc).unwrap().len(), 1);
}

#[test]
fn cli_checks_house_style_and_lists_the_facts() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ws.sqlite");
    let article = dir.path().join("a.html");
    std::fs::write(
        &article,
        "<article><h1>Sciopero dei treni venerdì</h1>\
         <p>Lo sciopero inizia alle 21 di giovedì 7 marzo e costa 5 milioni di euro alla Farnesina.</p></article>",
    )
    .unwrap();
    let (ok, out, err) = cli(&db, &["import", article.to_str().unwrap()]);
    assert!(ok, "{err}");
    let doc = out.trim().to_string();
    let ws = Workspace::open(&db).unwrap();
    let ids: Vec<String> = ws
        .segments(doc.parse().unwrap())
        .unwrap()
        .iter()
        .map(|s| s.id.to_string())
        .collect();
    drop(ws);
    let english = "The strike starts at 9 p.m. on Thursday, March 7, and costs the foreign ministry 5 million euros.";
    assert!(
        cli(
            &db,
            &["set-target", &doc, &ids[0], "Train strike on Friday"]
        )
        .0
    );
    assert!(cli(&db, &["set-target", &doc, &ids[1], english]).0);

    let qa = |extra: &[&str]| {
        let mut args = vec!["qa", doc.as_str(), "--format", "jsonl"];
        args.extend(extra);
        let (ok, out, err) = cli(&db, &args);
        assert!(ok, "{err}");
        out.lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
            .map(|v| {
                v["check"].as_str().unwrap().to_string() + ": " + v["message"].as_str().unwrap()
            })
            .collect::<Vec<_>>()
    };
    assert!(
        qa(&["--style", "us-wire"]).is_empty(),
        "{:?}",
        qa(&["--style", "us-wire"])
    );
    assert_eq!(
        qa(&["--style", "uk-paper"]),
        [
            "style: time: “21” is “9pm” in UK newspaper style",
            "style: date: “7 marzo” is “7 March” in UK newspaper style",
            "style: money: “5 milioni di euro” is “€5m” in UK newspaper style",
        ]
    );
    let (ok, _, err) = cli(&db, &["qa", &doc, "--style", "chicago"]);
    assert!(
        !ok && err.contains("unknown house style `chicago`; the presets are us-wire, uk-paper"),
        "{err}"
    );
    // The document's own style is used when none is given.
    assert!(qa(&[]).is_empty());
    assert!(cli(&db, &["style", &doc, "uk-paper"]).0);
    assert_eq!(cli(&db, &["style", &doc]).1.trim(), "uk-paper");
    assert_eq!(qa(&[]).len(), 3);

    let (ok, out, err) = cli(&db, &["facts", &doc, "--format", "jsonl"]);
    assert!(ok, "{err}");
    let facts: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let listed: Vec<(&str, &str, bool)> = facts
        .iter()
        .map(|f| {
            (
                f["kind"].as_str().unwrap(),
                f["italian"].as_str().unwrap(),
                f["found"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        listed,
        [
            ("time", "21", true),
            ("date", "7 marzo", true),
            ("number", "5 milioni", true),
            ("name", "Farnesina", true),
        ]
    );
    assert!(
        cli(
            &db,
            &[
                "set-target",
                &doc,
                &ids[1],
                "The strike starts on Thursday."
            ]
        )
        .0
    );
    let (_, out, _) = cli(&db, &["facts", &doc, "--missing"]);
    assert_eq!(out.lines().count(), 4, "{out}");
    assert!(
        out.contains("✗  name    Farnesina  → foreign ministry"),
        "{out}"
    );
}
