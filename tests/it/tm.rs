//! The `interlinea tm` commands: import, list, lookup, export.

use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::Value;

pub(crate) fn run(db: &std::path::Path, args: &[&str], stdin: &str) -> std::process::Output {
    run_with(db, args, stdin, &[])
}

/// `run` with environment variables set for the process.
pub(crate) fn run_with(
    db: &std::path::Path,
    args: &[&str],
    stdin: &str,
    env: &[(&str, &std::ffi::OsStr)],
) -> std::process::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_interlinea"))
        .args(args)
        .arg("--db")
        .arg(db)
        .envs(env.iter().copied())
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run interlinea");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("write");
    child.wait_with_output().expect("output")
}

pub(crate) fn ok(out: std::process::Output) -> String {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

pub(crate) fn lines(text: &str) -> Vec<Value> {
    text.lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect()
}

#[test]
fn import_list_lookup_export() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("ws.sqlite");
    let out = ok(run(
        &db,
        &["tm", "import", "tests/fixtures/small.tmx", "--tm", "news"],
        "",
    ));
    assert!(out.contains("4 units added"), "{out}");
    assert!(out.contains("1 duplicate,"), "{out}");
    // The concordance index, in files of its own (the units split between
    // two by id), is filled by the import, not left to a search.
    let conn = rusqlite::Connection::open(&db).expect("open");
    let newest: i64 = conn
        .query_row("SELECT max(id) FROM tm_units", [], |r| r.get(0))
        .expect("units");
    drop(conn);
    let mut rows = 0;
    for name in ["ws.sqlite-concordance", "ws.sqlite-concordance-1"] {
        let conn = rusqlite::Connection::open(dir.path().join(name)).expect("open");
        let (indexed, in_file): (i64, i64) = conn
            .query_row(
                "SELECT (SELECT fts_max FROM state), (SELECT count(*) FROM tm_fts)",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .expect("state");
        assert_eq!(indexed, newest, "{name}");
        rows += in_file;
    }
    assert_eq!(rows, 4);

    let list = lines(&ok(run(&db, &["tm", "list", "--format", "jsonl"], "")));
    assert_eq!(
        list,
        [serde_json::json!({"name": "news", "units": 4, "read_only": false})]
    );

    let queries = "Putin va da Kim.\nPutin va da Biden.\nNiente di simile qui.\n";
    let found = lines(&ok(run(
        &db,
        &["tm", "lookup", "--format", "jsonl", "--min", "50"],
        queries,
    )));
    assert_eq!(found.len(), 3);
    assert_eq!(found[0]["query"], "Putin va da Kim.");
    let first = &found[0]["matches"];
    assert_eq!(
        first[0],
        serde_json::json!({"score": 100, "source": "Putin va da Kim.", "target": "Putin goes to Kim.", "tm": "news"})
    );
    // "Kim" → "Xi": one token of five.
    assert_eq!(first[1]["score"], 80);
    assert_eq!(found[1]["matches"][0]["score"], 80);
    assert_eq!(found[2]["matches"], serde_json::json!([]));
    let exhaustive = lines(&ok(run(
        &db,
        &[
            "tm",
            "lookup",
            "--format",
            "jsonl",
            "--min",
            "50",
            "--exhaustive",
        ],
        queries,
    )));
    assert_eq!(exhaustive, found);

    let tmx = dir.path().join("out.tmx");
    let out = ok(run(
        &db,
        &[
            "tm",
            "export",
            "--tm",
            "news",
            "--out",
            tmx.to_str().expect("path"),
        ],
        "",
    ));
    assert!(out.starts_with("4 units written"));
    let other = dir.path().join("other.sqlite");
    let out = ok(run(
        &other,
        &["tm", "import", tmx.to_str().expect("path"), "--tm", "again"],
        "",
    ));
    assert!(out.contains("4 units added"), "{out}");
}

#[test]
fn bad_tmx_imports_nothing() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("ws.sqlite");
    let bomb = dir.path().join("bomb.tmx");
    std::fs::write(
        &bomb,
        r#"<?xml version="1.0"?><!DOCTYPE tmx [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]><tmx version="1.4"><header/><body/></tmx>"#,
    )
    .expect("write");
    let out = run(&db, &["tm", "import", bomb.to_str().expect("path")], "");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("declares entities"));

    let broken = dir.path().join("broken.tmx");
    let good = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/small.tmx"),
    )
    .expect("fixture");
    std::fs::write(&broken, &good[..good.len() - 60]).expect("write");
    let out = run(
        &db,
        &[
            "tm",
            "import",
            broken.to_str().expect("path"),
            "--tm",
            "news",
        ],
        "",
    );
    assert_eq!(out.status.code(), Some(1), "a truncated file fails");
    let list = ok(run(&db, &["tm", "list", "--format", "jsonl"], ""));
    assert_eq!(list, "", "nothing half-imported");

    ok(run(
        &db,
        &[
            "tm",
            "import",
            "tests/fixtures/small.tmx",
            "--tm",
            "ref",
            "--read-only",
        ],
        "",
    ));
    let out = run(
        &db,
        &["tm", "import", "tests/fixtures/small.tmx", "--tm", "ref"],
        "",
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("read-only"));
}

fn doc_lines(db: &std::path::Path, doc: &str) -> Vec<Value> {
    lines(&ok(run(db, &["show", doc, "--format", "jsonl"], "")))
}

#[test]
fn confirmed_segments_feed_the_memory_and_later_documents() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("ws.sqlite");
    let article = dir.path().join("articolo.txt");
    std::fs::write(
        &article,
        "Putin va da Kim. Il PIL è cresciuto del 1,8% nel 2023.\nAltro testo qui.\nPutin va da Kim.\n",
    )
    .expect("write");
    let article = article.to_str().expect("path");
    let first = ok(run(&db, &["import", article], "")).trim().to_string();
    let segments = doc_lines(&db, &first);
    let (headline, gdp) = (segments[0]["id"].to_string(), segments[1]["id"].to_string());
    let out = run(
        &db,
        &["set-target", &first, &headline, "Putin goes to Kim."],
        "",
    );
    let note = String::from_utf8_lossy(&out.stderr).to_string();
    ok(out);
    assert!(note.contains("1 identical segment"), "{note}");
    let segments = doc_lines(&db, &first);
    assert_eq!(
        segments[3]["target"], "Putin goes to Kim.",
        "repetition propagated"
    );
    assert_eq!(segments[3]["status"], "translated");
    ok(run(
        &db,
        &["set-target", &first, &gdp, "GDP grew by 1.8% in 2023."],
        "",
    ));

    let list = lines(&ok(run(&db, &["tm", "list", "--format", "jsonl"], "")));
    assert_eq!(list[0]["name"], "Workspace");
    assert_eq!(list[0]["units"], 2);

    let found = lines(&ok(run(
        &db,
        &[
            "tm",
            "lookup",
            "Il PIL è cresciuto del 2,5% nel 2024.",
            "--format",
            "jsonl",
        ],
        "",
    )));
    assert_eq!(
        found[0]["matches"][0]["score"], 99,
        "numbers differ: one point"
    );

    let hits = lines(&ok(run(
        &db,
        &["tm", "search", "cresciuto del", "--format", "jsonl"],
        "",
    )));
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0]["target"], "GDP grew by 1.8% in 2023.");

    // The same article again: the headline is met in the same context.
    // (Left empty on import, to be pre-translated below.)
    ok(run(&db, &["settings", "set", "auto_fill", "off"], ""));
    let second = ok(run(&db, &["import", article], "")).trim().to_string();
    let analysis: Value =
        serde_json::from_str(&ok(run(&db, &["analyze", &second, "--format", "json"], "")))
            .expect("json");
    let bands = analysis["bands"].as_array().expect("bands");
    let count =
        |name: &str| bands.iter().find(|b| b["band"] == name).expect(name)["segments"].clone();
    assert_eq!(count("context match (101)"), 2, "{analysis}");
    assert_eq!(count("100%"), 1, "{analysis}");
    assert_eq!(count("no match"), 1, "{analysis}");

    let out = ok(run(&db, &["pretranslate", &second, "--min", "100"], ""));
    assert!(out.starts_with("3 segments"), "{out}");
    let segments = doc_lines(&db, &second);
    assert_eq!(segments[0]["target"], "Putin goes to Kim.");
    assert_eq!(segments[0]["status"], "draft");
    assert_eq!(segments[2]["target"], "");
}

/// Issue 18: TMX inline codes leaked into pre-translated English as `⟨1⟩`
/// text, and a match differing only in a tag scored 62–66.
#[test]
fn a_tmx_unit_with_codes_matches_at_99_and_pretranslates_without_them() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("ws.sqlite");
    let tmx = dir.path().join("omegat.tmx");
    std::fs::write(
        &tmx,
        r#"<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header creationtool="OmegaT" creationtoolversion="3.6" segtype="sentence" o-tmf="OmegaT TMX" adminlang="EN-US" srclang="it" datatype="plaintext"/><body>
<tu><tuv xml:lang="it"><seg>Il sindaco di <bpt i="1" x="1">&lt;a0&gt;</bpt>Roma<ept i="1">&lt;/a0&gt;</ept> ha parlato ieri.</seg></tuv><tuv xml:lang="en"><seg>The mayor of <bpt i="1" x="1">&lt;a0&gt;</bpt>Rome<ept i="1">&lt;/a0&gt;</ept> spoke yesterday.</seg></tuv></tu>
</body></tmx>"#,
    )
    .expect("write");
    ok(run(
        &db,
        &["tm", "import", tmx.to_str().unwrap(), "--tm", "omegat"],
        "",
    ));
    let found = lines(&ok(run(
        &db,
        &[
            "tm",
            "lookup",
            "Il sindaco di Roma ha parlato ieri.",
            "--format",
            "jsonl",
        ],
        "",
    )));
    let best = &found[0]["matches"][0];
    assert_eq!(best["score"], 99);
    assert_eq!(best["target"], "The mayor of Rome spoke yesterday.");

    let article = dir.path().join("a.txt");
    std::fs::write(&article, "Il sindaco di Roma ha parlato ieri.\n").expect("write");
    let doc = ok(run(&db, &["import", article.to_str().unwrap()], ""));
    ok(run(&db, &["pretranslate", doc.trim(), "--min", "95"], ""));
    let shown = lines(&ok(run(
        &db,
        &["show", doc.trim(), "--format", "jsonl"],
        "",
    )));
    assert_eq!(shown[0]["target"], "The mayor of Rome spoke yesterday.");
}

/// The segments of `doc` as (target, status).
fn targets(db: &std::path::Path, doc: &str) -> Vec<(String, String)> {
    doc_lines(db, doc)
        .iter()
        .map(|s| {
            (
                s["target"].as_str().expect("target").to_string(),
                s["status"].as_str().expect("status").to_string(),
            )
        })
        .collect()
}

/// The segments `analyze` says were filled from a 101 % and a 100 % match.
fn filled(db: &std::path::Path, doc: &str) -> (Value, Value) {
    let analysis: Value =
        serde_json::from_str(&ok(run(db, &["analyze", doc, "--format", "json"], "")))
            .expect("json");
    let filled = analysis["filled"].as_array().expect("filled").clone();
    (filled[0]["segments"].clone(), filled[1]["segments"].clone())
}

/// Issue 19: exact matches fill their segments on import, with the status
/// the setting asks for (or not at all), codes carried over, English
/// already there kept; the analysis counts what was filled.
#[test]
fn exact_matches_fill_segments_on_import_per_setting() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("ws.sqlite");
    let tmx = dir.path().join("desk.tmx");
    std::fs::write(
        &tmx,
        r#"<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header creationtool="test" creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="en" srclang="it" datatype="plaintext"/><body>
<tu><tuv xml:lang="it"><seg>Il sindaco di <bpt i="1" x="1">&lt;a&gt;</bpt>Roma<ept i="1">&lt;/a&gt;</ept> ha parlato ieri.</seg></tuv><tuv xml:lang="en"><seg>The mayor of <bpt i="1" x="1">&lt;a&gt;</bpt>Rome<ept i="1">&lt;/a&gt;</ept> spoke yesterday.</seg></tuv></tu>
<tu><tuv xml:lang="it"><seg>Il PIL è cresciuto.</seg></tuv><tuv xml:lang="en"><seg>GDP grew.</seg></tuv></tu>
</body></tmx>"#,
    )
    .expect("write");
    ok(run(
        &db,
        &["tm", "import", tmx.to_str().unwrap(), "--tm", "desk"],
        "",
    ));

    // A link the TM's unit also has: the English takes the article's own.
    let article = dir.path().join("articolo.md");
    std::fs::write(
        &article,
        "Putin va da Kim.\n\nIl sindaco di [Roma](https://roma.example/) ha parlato ieri. Il PIL è cresciuto. Altro testo qui.\n",
    )
    .expect("write");
    let article = article.to_str().expect("path");
    let import = |db: &std::path::Path| ok(run(db, &["import", article], "")).trim().to_string();

    let first = import(&db);
    let draft = |t: &str| (t.to_string(), "draft".to_string());
    let new = || (String::new(), "new".to_string());
    assert_eq!(
        targets(&db, &first),
        [
            new(),
            draft("The mayor of <1>Rome</1> spoke yesterday."),
            draft("GDP grew."),
            new(),
        ],
        "the default fills exact matches as drafts"
    );
    assert_eq!(filled(&db, &first), (0.into(), 2.into()));

    // The headline confirmed here: met again in the same context, it is a
    // context match.
    let headline = doc_lines(&db, &first)[0]["id"].to_string();
    ok(run(
        &db,
        &["set-target", &first, &headline, "Putin goes to Kim."],
        "",
    ));
    ok(run(
        &db,
        &["settings", "set", "auto_fill", "translated"],
        "",
    ));
    let second = import(&db);
    let translated = |t: &str| (t.to_string(), "translated".to_string());
    assert_eq!(
        targets(&db, &second),
        [
            translated("Putin goes to Kim."),
            translated("The mayor of <1>Rome</1> spoke yesterday."),
            translated("GDP grew."),
            new(),
        ]
    );
    assert_eq!(filled(&db, &second), (1.into(), 2.into()));

    ok(run(&db, &["settings", "set", "auto_fill", "off"], ""));
    let third = import(&db);
    assert_eq!(targets(&db, &third), [new(), new(), new(), new()]);
    assert_eq!(filled(&db, &third), (0.into(), 0.into()));
}

/// Issue 19: another tool's XLIFF keeps the English it brings; only its
/// empty units are filled from exact matches.
#[test]
fn exact_matches_never_overwrite_english_already_there() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("ws.sqlite");
    let tmx = dir.path().join("desk.tmx");
    std::fs::write(
        &tmx,
        r#"<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header creationtool="test" creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="en" srclang="it" datatype="plaintext"/><body>
<tu><tuv xml:lang="it"><seg>Putin va da Kim.</seg></tuv><tuv xml:lang="en"><seg>Putin goes to Kim.</seg></tuv></tu>
<tu><tuv xml:lang="it"><seg>Il PIL è cresciuto.</seg></tuv><tuv xml:lang="en"><seg>GDP grew.</seg></tuv></tu>
</body></tmx>"#,
    )
    .expect("write");
    ok(run(
        &db,
        &["tm", "import", tmx.to_str().unwrap(), "--tm", "desk"],
        "",
    ));
    let xliff = dir.path().join("job.xlf");
    std::fs::write(
        &xliff,
        r#"<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"><file original="job" source-language="it" target-language="en" datatype="plaintext"><body>
<trans-unit id="1"><source>Putin va da Kim.</source><target state="translated">Putin is off to see Kim.</target></trans-unit>
<trans-unit id="2"><source>Il PIL è cresciuto.</source></trans-unit>
</body></file></xliff>"#,
    )
    .expect("write");
    let doc = ok(run(&db, &["import", xliff.to_str().unwrap()], ""))
        .trim()
        .to_string();
    assert_eq!(
        targets(&db, &doc),
        [
            (
                "Putin is off to see Kim.".to_string(),
                "translated".to_string()
            ),
            ("GDP grew.".to_string(), "draft".to_string()),
        ]
    );
    assert_eq!(filled(&db, &doc), (0.into(), 1.into()));
}
