//! One engine for every front: the command line and the desktop app import
//! the same article as the same document through `Session::import_article`,
//! and the CLI shows a segment's matches as the editor does.

use std::path::Path;
use std::process::Command;

use interlinea::session::{ArticleSource, Session};

use crate::http::{Reply, Server};

fn cli(db: &Path, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_interlinea"))
        .args(args)
        .env("INTERLINEA_DB", db)
        .output()
        .expect("run interlinea");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

/// The document list and every segment, as the CLI prints them.
fn document_of(db: &Path) -> (String, String) {
    (
        cli(db, &["docs", "--format", "jsonl"]),
        cli(db, &["show", "1", "--format", "jsonl"]),
    )
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/news")
            .join(name),
    )
    .expect("fixture")
}

#[test]
fn the_cli_and_the_app_make_the_same_document_from_the_same_article() {
    let server = Server::start(vec![
        Reply::bytes(200, &fixture("wordpress.html")).header("Content-Type", "text/html"),
        Reply::bytes(200, &fixture("wordpress.html")).header("Content-Type", "text/html"),
    ]);
    let url = format!("{}/politica/articolo", server.url);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("articolo.html");
    std::fs::write(&file, fixture("jsonld.html")).unwrap();

    for (name, source) in [("file", file.display().to_string()), ("url", url)] {
        let by_cli = dir.path().join(format!("cli-{name}.sqlite"));
        let by_app = dir.path().join(format!("app-{name}.sqlite"));
        assert_eq!(cli(&by_cli, &["import", &source]).trim(), "1");
        // What the app's import_file and import_url commands call.
        let session = Session::open(&by_app).unwrap();
        let document = session
            .import_article_blocking(ArticleSource::parse(&source), None)
            .unwrap();
        drop(session);
        assert_eq!(document.id, 1);
        let (cli_docs, cli_segments) = document_of(&by_cli);
        let (app_docs, app_segments) = document_of(&by_app);
        assert!(cli_segments.lines().count() > 5, "{cli_segments}");
        assert_eq!(cli_docs, app_docs, "{name}: the document lists differ");
        assert_eq!(cli_segments, app_segments, "{name}: the segments differ");
    }
}

#[test]
fn every_front_imports_through_the_one_engine_function() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let read = |path: &Path| std::fs::read_to_string(path).expect("a front's source");
    for front in [
        "src/cli/documents.rs",
        "src-tauri/src/commands.rs",
        "src-tauri/src/news.rs",
    ] {
        assert!(
            read(&root.join(front)).contains(".import_article"),
            "{front} does not import through the engine"
        );
    }
    let mut files = vec![root.join("src/main.rs")];
    for folder in ["src/cli", "src-tauri/src"] {
        for entry in std::fs::read_dir(root.join(folder)).unwrap() {
            files.push(entry.unwrap().path());
        }
    }
    assert!(files.len() > 15, "{files:?}");
    // The steps of an import, which only the use case may put together.
    let steps = [
        "add_article(",
        "add_document(",
        "segment_blocks(",
        "read_article(",
        "read_article_file(",
        "fetch_article(",
        "import_xliff_document(",
    ];
    for file in files
        .iter()
        .filter(|f| f.extension().is_some_and(|e| e == "rs"))
    {
        let text = read(file);
        for step in steps {
            assert!(
                !text.contains(step),
                "{} assembles an import itself with {step}",
                file.display()
            );
        }
    }
}

#[test]
fn tm_lookup_of_a_segment_lists_its_previous_version_first() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ws.sqlite");
    let first = dir.path().join("v1.txt");
    let second = dir.path().join("v2.txt");
    std::fs::write(&first, "Il PIL è cresciuto del 2,5% nel 2024.").unwrap();
    std::fs::write(&second, "Il PIL è cresciuto del 2,7% nel 2024.").unwrap();
    assert_eq!(cli(&db, &["import", first.to_str().unwrap()]).trim(), "1");
    cli(&db, &["set-target", "1", "1", "GDP grew by 2.5% in 2024."]);
    cli(&db, &["reimport", "1", second.to_str().unwrap()]);
    let shown = cli(&db, &["show", "1", "--format", "jsonl"]);
    let segment: serde_json::Value = serde_json::from_str(shown.lines().next().unwrap()).unwrap();
    let id = segment["id"].to_string();
    let out = cli(
        &db,
        &[
            "tm",
            "lookup",
            "--doc",
            "1",
            "--segment",
            &id,
            "--format",
            "jsonl",
        ],
    );
    let line: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(line["query"], "Il PIL è cresciuto del 2,7% nel 2024.");
    let matches = line["matches"].as_array().unwrap();
    assert_eq!(matches[0]["tm"], "previous version", "{line}");
    assert_eq!(matches[0]["target"], "GDP grew by 2.5% in 2024.");
    // The confirmation is in the TM too, after the previous version.
    assert!(matches[1..]
        .iter()
        .any(|m| m["target"] == "GDP grew by 2.5% in 2024." && m["tm"] != "previous version"));
    // Text and a segment at once is a usage error.
    let refused = Command::new(env!("CARGO_BIN_EXE_interlinea"))
        .args(["tm", "lookup", "x", "--doc", "1", "--segment", &id])
        .env("INTERLINEA_DB", &db)
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(2));
}
