//! Hostile files through every importer: each is refused with a clear
//! message, in bounded time and memory, and leaves the workspace as it
//! was.

use std::io::Write;
use std::time::{Duration, Instant};

use crate::tm::{ok, run};

const BILLION_LAUGHS: &str = r#"<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>"#;
const EXTERNAL: &str = r#"<!DOCTYPE x [<!ENTITY secret SYSTEM "file:///etc/passwd">]>"#;

/// Runs the CLI and returns its exit code and standard error, checking it
/// ended within `limit`.
fn refused(db: &std::path::Path, args: &[&str], limit: Duration) -> String {
    let started = Instant::now();
    let out = run(db, args, "");
    assert!(
        started.elapsed() < limit,
        "{args:?} took {:?}",
        started.elapsed()
    );
    assert_eq!(out.status.code(), Some(1), "{args:?} was not refused");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn hostile_files_are_refused_clearly_and_change_nothing() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("ws.sqlite");
    let file = |name: &str, bytes: &[u8]| {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).expect("write");
        path.to_str().unwrap().to_string()
    };
    let second = Duration::from_secs(10);
    let tmx = |doctype: &str| {
        format!(
            r#"<?xml version="1.0"?>{doctype}<tmx version="1.4"><header srclang="it" datatype="plaintext" segtype="sentence" adminlang="en" o-tmf="x" creationtool="t" creationtoolversion="1"/><body><tu><tuv xml:lang="it"><seg>&lol3;</seg></tuv><tuv xml:lang="en"><seg>x</seg></tuv></tu></body></tmx>"#
        )
    };
    let tbx = |doctype: &str| {
        format!(
            r#"<?xml version="1.0"?>{doctype}<tbx type="TBX-Basic" style="dca" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2"><text><body><conceptEntry id="c1"><langSec xml:lang="it"><termSec><term>&secret;</term></termSec></langSec></conceptEntry></body></text></tbx>"#
        )
    };
    let xliff = |doctype: &str| {
        format!(
            r#"<?xml version="1.0"?>{doctype}<xliff version="1.2"><file original="x" source-language="it" target-language="en" datatype="plaintext"><body><trans-unit id="1"><source>&secret;</source></trans-unit></body></file></xliff>"#
        )
    };
    let cases: Vec<(&str, Vec<String>, &str)> = vec![
        (
            "TMX entity expansion",
            vec![
                "tm".into(),
                "import".into(),
                file("laughs.tmx", tmx(BILLION_LAUGHS).as_bytes()),
            ],
            "entit",
        ),
        (
            "TMX external entity",
            vec![
                "tm".into(),
                "import".into(),
                file("external.tmx", tmx(EXTERNAL).as_bytes()),
            ],
            "entit",
        ),
        (
            "TBX external entity",
            vec![
                "glossary".into(),
                "import".into(),
                file("external.tbx", tbx(EXTERNAL).as_bytes()),
            ],
            "entit",
        ),
        (
            "TBX entity expansion",
            vec![
                "glossary".into(),
                "import".into(),
                file("laughs.tbx", tbx(BILLION_LAUGHS).as_bytes()),
            ],
            "entit",
        ),
        (
            "XLIFF external entity",
            vec![
                "import".into(),
                file("external.xlf", xliff(EXTERNAL).as_bytes()),
            ],
            "entity declarations are refused",
        ),
        (
            "XLIFF entity expansion",
            vec![
                "import".into(),
                file("laughs.xlf", xliff(BILLION_LAUGHS).as_bytes()),
            ],
            "entity declarations are refused",
        ),
        (
            "article in Latin-1",
            vec!["import".into(), file("latin1.txt", b"Citt\xe0 di Roma.\n")],
            "not valid UTF-8 at byte offset 4",
        ),
        (
            "binary file as an article",
            vec![
                "import".into(),
                file("binary.txt", b"PK\x03\x04\x00\x00binary"),
            ],
            "binary file",
        ),
        (
            "CSV glossary with a broken row",
            vec![
                "glossary".into(),
                "import".into(),
                file("broken.csv", b"it,en\n\"Onu,UN\n"),
            ],
            "",
        ),
        (
            "OmegaT glossary that is not UTF-8",
            vec![
                "glossary".into(),
                "import".into(),
                file("latin1.utf8", b"citt\xe0\tcity\n"),
            ],
            "line 1: not UTF-8",
        ),
        (
            "TMX cut off half-way",
            vec![
                "tm".into(),
                "import".into(),
                file("cut.tmx", &tmx("").as_bytes()[..200]),
            ],
            "",
        ),
    ];
    ok(run(&db, &["docs"], ""));
    let mut seen = Vec::new();
    for (what, args, expected) in &cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let message = refused(&db, &args, second);
        assert!(message.contains(expected), "{what}: {message}");
        assert!(
            !message.contains("root:"),
            "{what}: /etc/passwd leaked: {message}"
        );
        seen.push(format!("{what}: {}", message.trim()));
    }
    // Nothing was stored by any of them.
    let tms = ok(run(&db, &["tm", "list", "--format", "jsonl"], ""));
    assert!(
        !tms.contains("laughs") && !tms.contains("external") && !tms.contains("cut"),
        "{tms}"
    );
    assert_eq!(ok(run(&db, &["docs", "--format", "jsonl"], "")), "");
    eprintln!("{}", seen.join("\n"));
}

#[test]
fn huge_files_are_refused_or_streamed_without_filling_memory() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("ws.sqlite");
    // 1 GiB files, sparse: the importers must not read them whole.
    let huge = |name: &str| {
        let path = dir.path().join(name);
        let file = std::fs::File::create(&path).expect("create");
        file.set_len(1 << 30).expect("sparse file");
        path.to_str().unwrap().to_string()
    };
    let limit = Duration::from_secs(20);
    let article = refused(&db, &["import", &huge("huge.txt")], limit);
    assert!(article.contains("too large"), "{article}");
    let tmx = refused(&db, &["tm", "import", &huge("huge.tmx")], limit);
    assert!(!tmx.is_empty(), "{tmx}");
    let review = refused(&db, &["import-review", "1", &huge("huge.xlf")], limit);
    assert!(
        review.contains("no document") || review.contains("too large"),
        "{review}"
    );
    let xliff = refused(&db, &["import", &huge("huge.xliff")], limit);
    assert!(xliff.contains("too large"), "{xliff}");
}

#[test]
fn a_docx_zip_bomb_is_refused() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("ws.sqlite");
    let doc = ok(run(&db, &["import", "seeds/000_da66b3da442e8d8e.txt"], ""));
    // 300 MB of zeros as word/document.xml: about 300 KB packed.
    let bomb = dir.path().join("bomb.docx");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&bomb).expect("create"));
    zip.start_file(
        "word/document.xml",
        zip::write::SimpleFileOptions::default().compression_level(Some(1)),
    )
    .expect("start");
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..300 {
        zip.write_all(&zeros).expect("write");
    }
    zip.finish().expect("finish");
    assert!(std::fs::metadata(&bomb).unwrap().len() < 2_000_000);
    let message = refused(
        &db,
        &["import-review", doc.trim(), bomb.to_str().unwrap()],
        Duration::from_secs(20),
    );
    assert!(message.contains("unpacks to"), "{message}");
}

#[test]
fn pathological_text_for_the_segmenter_and_a_users_srx_stays_fast() {
    let dir = tempfile::tempdir().expect("dir");
    let segment = |args: &[&str]| {
        let started = Instant::now();
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_interlinea"))
            .arg("segment")
            .args(args)
            .output()
            .expect("run interlinea");
        (out, started.elapsed())
    };
    // A 4 MB line with no sentence end, and one of abbreviations only.
    let long = dir.path().join("long.txt");
    let mut text = "parola ".repeat(600_000);
    text.push('\n');
    text.push_str(&"Sig. ".repeat(200_000));
    std::fs::write(&long, &text).expect("write");
    let (out, took) = segment(&[long.to_str().unwrap(), "--format", "jsonl"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(took < Duration::from_secs(30), "took {took:?}");

    // A user's SRX with a rule that backtracks catastrophically.
    let srx = dir.path().join("evil.srx");
    std::fs::write(
        &srx,
        r#"<?xml version="1.0" encoding="UTF-8"?>
<srx xmlns="http://www.lisa.org/srx20" version="2.0"><header segmentsubflows="yes" cascade="yes"/><body><languagerules>
<languagerule languagerulename="Evil"><rule break="no"><beforebreak>(?=(a+)+b)a+\.</beforebreak><afterbreak>\s</afterbreak></rule>
<rule break="yes"><beforebreak>\.</beforebreak><afterbreak>\s</afterbreak></rule></languagerule>
</languagerules><maprules><languagemap languagepattern=".*" languagerulename="Evil"/></maprules></body></srx>"#,
    )
    .expect("write");
    let evil = dir.path().join("evil.txt");
    std::fs::write(&evil, format!("{}. Poi.\n", "a".repeat(40))).expect("write");
    let (out, took) = segment(&[evil.to_str().unwrap(), "--srx", srx.to_str().unwrap()]);
    assert!(took < Duration::from_secs(30), "took {took:?}");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 2);
    eprintln!(
        "evil SRX: exit {:?} in {took:?}: {}{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).trim(),
        String::from_utf8_lossy(&out.stderr).trim()
    );
}
