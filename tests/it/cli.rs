//! The CLI contract: commands, output formats and exit codes.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

const SAMPLE: &str = "seeds/000_da66b3da442e8d8e.txt";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn interlinea(args: &[&str]) -> Output {
    run_with_stdin(args, None, &[])
}

fn run_with_stdin(args: &[&str], stdin: Option<&[u8]>, env: &[(&str, &Path)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_interlinea"));
    cmd.args(args)
        .current_dir(root())
        .env_remove("INTERLINEA_DB")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (key, value) in env {
        cmd.env(key, value);
    }
    let mut child = cmd.spawn().expect("run interlinea");
    let mut pipe = child.stdin.take().expect("stdin");
    if let Some(bytes) = stdin {
        pipe.write_all(bytes).expect("write stdin");
    }
    drop(pipe);
    child.wait_with_output().expect("interlinea output")
}

fn stdout(out: &Output) -> String {
    assert!(
        out.status.success(),
        "failed with {:?}: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).expect("UTF-8 output")
}

fn jsonl(text: &str) -> Vec<Value> {
    text.lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect()
}

/// Exit code 1, nothing on stdout, one line on stderr that contains `needle`.
fn assert_clean_failure(out: &Output, needle: &str) {
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
    assert!(err.contains(needle), "{err:?} should mention {needle:?}");
    assert!(!err.contains("panicked") && !err.contains("backtrace"));
}

struct Db {
    _dir: tempfile::TempDir,
    path: PathBuf,
}

impl Db {
    fn new() -> Db {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("ws.sqlite");
        Db { _dir: dir, path }
    }

    fn run(&self, args: &[&str]) -> Output {
        let mut all: Vec<&str> = args.to_vec();
        all.extend(["--db", self.path.to_str().expect("UTF-8 path")]);
        interlinea(&all)
    }

    fn import(&self, file: &str) -> i64 {
        let out = stdout(&self.run(&["import", file]));
        out.lines()
            .last()
            .expect("id line")
            .parse()
            .expect("numeric id")
    }
}

#[test]
fn segment_sample_article_as_jsonl() {
    let lines = jsonl(&stdout(&interlinea(&[
        "segment", SAMPLE, "--format", "jsonl",
    ])));
    let text = |v: &Value| v["text"].as_str().expect("text").to_string();
    let boilerplate: Vec<String> = lines
        .iter()
        .filter(|v| v["translatable"] == false)
        .map(text)
        .collect();
    assert_eq!(
        boilerplate,
        ["Skip to main content", "×", "Iscriviti alla newsletter"]
    );

    let headline: Vec<String> = lines.iter().filter(|v| v["block"] == 1).map(text).collect();
    assert_eq!(
        headline,
        [
            "Putin va da Kim.",
            "Così si rafforza l’asse Mosca-Pyongyang"
        ]
    );
    assert_eq!(lines[2]["index"], 1);

    assert!(lines
        .iter()
        .map(text)
        .any(|t| t.ends_with("visitare la Corea del Nord al più presto”.")));
    // Every object has exactly the contracted keys.
    for line in &lines {
        let keys: Vec<&str> = line
            .as_object()
            .expect("object")
            .keys()
            .map(|k| k.as_str())
            .collect();
        assert_eq!(keys.len(), 4);
        for key in ["block", "index", "text", "translatable"] {
            assert!(keys.contains(&key));
        }
    }
}

#[test]
fn segment_text_format_separates_blocks_with_blank_lines() {
    let out = stdout(&run_with_stdin(
        &["segment", "-"],
        Some("Primo. Secondo.\r\n\r\nTerzo.\n".as_bytes()),
        &[],
    ));
    assert_eq!(out, "Primo.\nSecondo.\n\nTerzo.\n");
}

#[test]
fn segment_markdown_and_html_files() {
    let md = jsonl(&stdout(&interlinea(&[
        "segment",
        "tests/fixtures/article.md",
        "--format",
        "jsonl",
    ])));
    let texts: Vec<&str> = md
        .iter()
        .map(|v| v["text"].as_str().expect("text"))
        .collect();
    assert_eq!(
        texts,
        [
            "Il vertice di Pyongyang",
            "Putin e Kim si sono incontrati ieri.",
            "Il Sig. Rossi, inviato dell'Ansa, era presente.",
            "Primo punto dell'accordo.",
            "Secondo punto: la cooperazione militare.",
            "Leggi anche"
        ]
    );
    assert_eq!(md.last().expect("last")["translatable"], false);

    let html = jsonl(&stdout(&interlinea(&[
        "segment",
        "tests/fixtures/article.html",
        "--format",
        "jsonl",
    ])));
    let texts: Vec<&str> = html
        .iter()
        .map(|v| v["text"].as_str().expect("text"))
        .collect();
    assert_eq!(
        texts,
        [
            "Mosca & Pyongyang",
            "La visita è durata tre giorni.",
            "Il Dott. Bianchi l’ha commentata.",
            "<b>Non è grassetto</b>"
        ]
    );
}

#[test]
fn segment_with_an_srx_file() {
    let lines = jsonl(&stdout(&run_with_stdin(
        &[
            "segment",
            "-",
            "--format",
            "jsonl",
            "--srx",
            "tests/fixtures/simple.srx",
        ],
        Some("Il Sig. Rossi parla. Il Dott. Bianchi ascolta.".as_bytes()),
        &[],
    )));
    let texts: Vec<&str> = lines
        .iter()
        .map(|v| v["text"].as_str().expect("text"))
        .collect();
    // The file knows "Sig." but not "Dott.".
    assert_eq!(
        texts,
        ["Il Sig. Rossi parla.", "Il Dott.", "Bianchi ascolta."]
    );

    let out = interlinea(&["segment", SAMPLE, "--srx", "tests/fixtures/article.md"]);
    assert_clean_failure(&out, "article.md");
}

#[test]
fn import_show_set_target_and_docs() {
    let db = Db::new();
    let id = db.import(SAMPLE);
    let segments = jsonl(&stdout(&db.run(&[
        "show",
        &id.to_string(),
        "--format",
        "jsonl",
    ])));
    assert_eq!(segments.len(), 25);
    let headline = &segments[1];
    assert_eq!(headline["source"], "Putin va da Kim.");
    assert_eq!(headline["status"], "new");
    assert_eq!(headline["target"], "");
    assert_eq!(
        (headline["block"].as_i64(), headline["index"].as_i64()),
        (Some(1), Some(0))
    );
    let keys: Vec<&str> = headline
        .as_object()
        .expect("object")
        .keys()
        .map(|k| k.as_str())
        .collect();
    for key in [
        "id",
        "block",
        "index",
        "status",
        "source",
        "target",
        "translatable",
    ] {
        assert!(keys.contains(&key), "missing {key}");
    }
    let seg_id = headline["id"].as_i64().expect("id").to_string();

    stdout(&db.run(&["set-target", &id.to_string(), &seg_id, "Putin visits Kim."]));
    stdout(&db.run(&[
        "set-target",
        &id.to_string(),
        &segments[2]["id"].to_string(),
        "Draft",
        "--status",
        "draft",
    ]));
    let segments = jsonl(&stdout(&db.run(&[
        "show",
        &id.to_string(),
        "--format",
        "jsonl",
    ])));
    assert_eq!(segments[1]["target"], "Putin visits Kim.");
    assert_eq!(segments[1]["status"], "translated");
    assert_eq!(segments[2]["status"], "draft");

    let docs = jsonl(&stdout(&db.run(&["docs", "--format", "jsonl"])));
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0]["segments"], 22);
    assert_eq!(docs[0]["confirmed_segments"], 1);
    let words = docs[0]["words"].as_u64().expect("words");
    assert!(words > 600 && words < 700, "{words}");
    assert_eq!(docs[0]["confirmed_words"], 4);

    let table = stdout(&db.run(&["docs"]));
    assert!(table.lines().next().expect("header").contains("PROGRESS"));
    assert!(table.contains("000_da66b3da442e8d8e.txt"));

    let text = stdout(&db.run(&["show", &id.to_string()]));
    assert!(text.contains("Putin va da Kim.") && text.contains("→ Putin visits Kim."));
}

#[test]
fn database_can_come_from_the_environment() {
    let db = Db::new();
    let out = run_with_stdin(
        &["import", SAMPLE, "--name", "Vertice"],
        None,
        &[("INTERLINEA_DB", &db.path)],
    );
    assert_eq!(stdout(&out).trim(), "1");
    let docs = jsonl(&stdout(&db.run(&["docs", "--format", "jsonl"])));
    assert_eq!(docs[0]["name"], "Vertice");
}

#[test]
fn bad_input_fails_cleanly_and_imports_nothing() {
    let db = Db::new();
    assert_clean_failure(
        &db.run(&["import", "tests/fixtures/latin1.txt"]),
        "byte offset 4",
    );
    assert_clean_failure(
        &db.run(&["import", "tests/fixtures/missing.txt"]),
        "missing.txt",
    );
    assert_clean_failure(&db.run(&["import", "Cargo.lock"]), "unknown format");
    assert_clean_failure(
        &db.run(&["import", "src-tauri/icons/32x32.png"]),
        "binary file",
    );
    assert_clean_failure(
        &interlinea(&["segment", "tests/fixtures/latin1.txt"]),
        "latin1.txt",
    );
    assert_clean_failure(&db.run(&["show", "42"]), "no document with id 42");
    assert_clean_failure(&db.run(&["set-target", "1", "1", "x"]), "no segment 1");
    let docs = stdout(&db.run(&["docs", "--format", "jsonl"]));
    assert_eq!(docs, "", "nothing half-imported");
}

#[test]
fn a_failed_first_command_leaves_no_workspace_and_says_its_cause_once() {
    let db = Db::new();
    let folder = db.path.parent().expect("a folder");
    let out = db.run(&["import", "tests/fixtures/missing.txt"]);
    assert_clean_failure(&out, "missing.txt");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.matches("No such file or directory").count(), 1, "{err}");
    assert_clean_failure(
        &db.run(&["tm", "import", "Cargo.lock", "--tm", "x"]),
        "Cargo.lock",
    );
    let left: Vec<_> = std::fs::read_dir(folder)
        .expect("the folder")
        .map(|e| e.expect("an entry").file_name())
        .collect();
    assert!(left.is_empty(), "files left behind: {left:?}");
    // A workspace that was there before a failure stays, with its work.
    let id = db.import("tests/fixtures/article.md");
    assert_clean_failure(
        &db.run(&["import", "tests/fixtures/missing.txt"]),
        "missing.txt",
    );
    let docs = jsonl(&stdout(&db.run(&["docs", "--format", "jsonl"])));
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0]["id"], id);
}

#[test]
fn bad_usage_exits_with_2() {
    for args in [
        &["frobnicate"][..],
        &["segment", "--format", "xml"],
        &["show"],
        &["set-target", "1", "x", "y"],
        &["set-target", "1", "2", "y", "--status", "done"],
    ] {
        let out = interlinea(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
    }
    assert_eq!(interlinea(&["--help"]).status.code(), Some(0));
}

#[test]
fn newer_workspace_is_refused_untouched() {
    let db = Db::new();
    db.import(SAMPLE);
    {
        let conn = rusqlite::Connection::open(&db.path).expect("open");
        conn.pragma_update(None, "user_version", 1000)
            .expect("bump version");
    }
    let before = std::fs::read(&db.path).expect("read");
    assert_clean_failure(&db.run(&["docs"]), "newer version of Interlinea");
    assert_eq!(std::fs::read(&db.path).expect("read"), before);
}

#[test]
fn split_merge_and_exceptions_hold_across_imports() {
    let db = Db::new();
    let dir = tempfile::tempdir().expect("dir");
    let article = dir.path().join("senato.txt");
    std::fs::write(&article, "Parla il Sovr. Rossi. Poi va via.\n").expect("write");
    let article = article.to_str().expect("UTF-8 path");
    let id = db.import(article).to_string();
    let segments = jsonl(&stdout(&db.run(&["show", &id, "--format", "jsonl"])));
    assert_eq!(segments.len(), 3, "Sovr. is not a known abbreviation");
    let first = segments[0]["id"].to_string();

    let out = db.run(&["merge", &id, &first, "--add-exception"]);
    assert!(stdout(&out).contains("Parla il Sovr. Rossi."));
    assert!(String::from_utf8_lossy(&out.stderr).contains("Sovr."));
    assert_eq!(stdout(&db.run(&["exceptions"])).trim(), "Sovr.");

    let again = db.import(article).to_string();
    let segments = jsonl(&stdout(&db.run(&["show", &again, "--format", "jsonl"])));
    assert_eq!(segments.len(), 2, "the exception holds for later documents");

    let out = stdout(&db.run(&["split", &again, &segments[1]["id"].to_string(), "4"]));
    assert_eq!(out.lines().count(), 2);
    let segments = jsonl(&stdout(&db.run(&["show", &again, "--format", "jsonl"])));
    let texts: Vec<&str> = segments
        .iter()
        .map(|v| v["source"].as_str().expect("source"))
        .collect();
    assert_eq!(texts, ["Parla il Sovr. Rossi.", "Poi", "va via."]);

    assert_clean_failure(
        &db.run(&["merge", &again, &segments[2]["id"].to_string()]),
        "last of its block",
    );
    stdout(&db.run(&["set-translatable", &again, "0", "false"]));
    let segments = jsonl(&stdout(&db.run(&["show", &again, "--format", "jsonl"])));
    assert!(segments.iter().all(|v| v["translatable"] == false));
}

/// A workspace file holding one paragraph with a link that runs across a
/// sentence boundary, a bold word and a line break.
fn workspace_with_codes(dir: &Path) -> PathBuf {
    use interlinea::document::{
        Block, BlockKind, Document, InlineCode, SourceFormat, Translatable,
    };
    use interlinea::text::codes::Mark;
    let code = |element: &str, open: &str, close: &str| InlineCode {
        element: element.into(),
        open: open.into(),
        close: close.into(),
        title: String::new(),
    };
    let (o, c, s) = (
        |id| Mark::Open(id).char(),
        |id| Mark::Close(id).char(),
        |id| Mark::Standalone(id).char(),
    );
    let text = format!(
        "Il {}sindaco{} parla di A & B oggi. Leggi {}il rapporto. Le cifre{} sono chiare.{}",
        o(0),
        c(0),
        o(1),
        c(1),
        s(2)
    );
    let doc = Document {
        format: SourceFormat::Html,
        blocks: vec![Block {
            kind: BlockKind::Paragraph,
            text,
            codes: vec![
                code("b", "<b>", "</b>"),
                code("a", r#"<a href="https://example.org">"#, "</a>"),
                code("br", "<br>", ""),
            ],
            translatable: Translatable::Yes,
        }],
    };
    let path = dir.join("codes.db");
    let mut ws = interlinea::store::Workspace::open(&path).unwrap();
    ws.add_document(
        "codes",
        None,
        &doc,
        &interlinea::Segmenter::italian::<&str>(&[]),
    )
    .unwrap();
    path
}

#[test]
fn show_and_set_target_write_and_read_codes_in_the_notation() {
    let dir = tempfile::tempdir().unwrap();
    let db = workspace_with_codes(dir.path());
    let db = db.to_str().unwrap();
    let lines = jsonl(&stdout(&interlinea(&[
        "show", "1", "--format", "jsonl", "--db", db,
    ])));
    let sources: Vec<&str> = lines
        .iter()
        .map(|l| l["source"].as_str().unwrap())
        .collect();
    assert_eq!(
        sources,
        [
            "Il <1>sindaco</1> parla di A &amp; B oggi.",
            "Leggi <1>il rapporto.",
            "Le cifre</1> sono chiare.<2/>"
        ]
    );
    let ids: Vec<String> = lines.iter().map(|l| l["id"].to_string()).collect();

    let set = |id: &str, text: &str| interlinea(&["set-target", "1", id, text, "--db", db]);
    stdout(&set(&ids[0], "The <1>mayor</1> speaks of A &amp; B."));
    stdout(&set(&ids[2], "The figures</1> are clear.<2/>"));
    // A code the Italian does not have, in that segment or in that shape,
    // and a bare "&", are refused and change nothing.
    assert_clean_failure(&set(&ids[1], "Read <1>the report</1>."), "no code </1>");
    assert_clean_failure(&set(&ids[1], "Read <3/>the report."), "no code <3/>");
    assert_clean_failure(&set(&ids[1], "A & B"), "&lt;");
    let lines = jsonl(&stdout(&interlinea(&[
        "show", "1", "--format", "jsonl", "--db", db,
    ])));
    let targets: Vec<&str> = lines
        .iter()
        .map(|l| l["target"].as_str().unwrap())
        .collect();
    assert_eq!(
        targets,
        [
            "The <1>mayor</1> speaks of A &amp; B.",
            "",
            "The figures</1> are clear.<2/>"
        ]
    );
    // People read the codes without the entities.
    let text = stdout(&interlinea(&["show", "1", "--db", db]));
    assert!(text.contains("The <1>mayor</1> speaks of A & B."), "{text}");
}

#[test]
fn settings_are_shown_as_json_and_set_one_at_a_time() {
    let db = Db::new();
    let shown: Value = serde_json::from_str(&stdout(&db.run(&["settings"]))).unwrap();
    assert_eq!(shown["english_variant"], "gb");
    assert_eq!(shown["zoom"], 100);
    let set: Value = serde_json::from_str(&stdout(&db.run(&[
        "settings",
        "set",
        "english_variant",
        "us",
    ])))
    .unwrap();
    assert_eq!(set["english_variant"], "us");
    assert_clean_failure(
        &db.run(&["settings", "set", "match_threshold", "120"]),
        "match_threshold must be between 50 and 100",
    );
    let again: Value = serde_json::from_str(&stdout(&db.run(&["settings"]))).unwrap();
    assert_eq!(again, set);
}
