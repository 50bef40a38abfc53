//! `interlinea history`: a segment's saved versions, and restoring one.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

const SAMPLE: &str = "seeds/000_da66b3da442e8d8e.txt";

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
        Command::new(env!("CARGO_BIN_EXE_interlinea"))
            .args(args)
            .args(["--db", self.path.to_str().expect("UTF-8 path")])
            .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")))
            .env_remove("INTERLINEA_DB")
            .env("USER", "giulia")
            .output()
            .expect("run interlinea")
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "{args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("UTF-8")
    }

    fn jsonl(&self, args: &[&str]) -> Vec<Value> {
        self.ok(args)
            .lines()
            .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
            .collect()
    }

    /// Imports the sample; returns the document and its headline segment.
    fn sample(&self) -> (String, String) {
        let doc = self
            .ok(&["import", SAMPLE])
            .trim()
            .lines()
            .last()
            .unwrap()
            .to_string();
        let segments = self.jsonl(&["show", &doc, "--format", "jsonl"]);
        (doc, segments[1]["id"].to_string())
    }
}

fn summary(rows: &[Value]) -> Vec<(String, String, String)> {
    rows.iter()
        .map(|r| {
            (
                r["target"].as_str().unwrap().to_string(),
                r["status"].as_str().unwrap().to_string(),
                r["origin"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn history_lists_versions_newest_first_and_restores_one() {
    let db = Db::new();
    let (doc, seg) = db.sample();
    assert_eq!(db.ok(&["history", &doc, &seg, "--format", "jsonl"]), "");
    db.ok(&["set-target", &doc, &seg, "Putin goes", "--status", "draft"]);
    db.ok(&[
        "set-target",
        &doc,
        &seg,
        "Putin goes to Kim",
        "--status",
        "draft",
    ]);
    db.ok(&["set-target", &doc, &seg, "Putin goes to Kim."]);
    db.ok(&[
        "set-target",
        &doc,
        &seg,
        "Putin visits Kim.",
        "--status",
        "approved",
    ]);
    let rows = db.jsonl(&["history", &doc, &seg, "--format", "jsonl"]);
    let own = |s: &str| s.to_string();
    assert_eq!(
        summary(&rows),
        [
            (own("Putin visits Kim."), own("approved"), own("typed")),
            (own("Putin goes to Kim."), own("translated"), own("typed")),
            (own("Putin goes to Kim"), own("draft"), own("typed")),
        ]
    );
    let first = rows[0].as_object().unwrap();
    let mut keys: Vec<&str> = first.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        ["author", "origin", "saved_at", "segment", "status", "target", "version"]
    );
    assert_eq!(first["author"], "giulia");
    assert_eq!(first["segment"].to_string(), seg);
    let saved = first["saved_at"].as_str().unwrap();
    assert!(
        saved.len() == 20 && saved.ends_with('Z') && &saved[10..11] == "T",
        "{saved}"
    );

    // Text: a header, then a line per version.
    let text = db.ok(&["history", &doc, &seg]);
    assert_eq!(text.lines().count(), 4);
    assert!(text
        .lines()
        .nth(1)
        .unwrap()
        .contains("\tapproved\ttyped\tgiulia\tPutin visits Kim."));

    // The draft comes back as a new version; nothing is lost.
    let draft = rows[2]["version"].to_string();
    let out = db.ok(&["history", &doc, &seg, "--restore", &draft]);
    assert_eq!(
        out,
        format!("restored version {draft}: draft Putin goes to Kim\n")
    );
    let rows = db.jsonl(&["history", &doc, &seg, "--format", "jsonl"]);
    assert_eq!(rows.len(), 4);
    assert_eq!(
        summary(&rows[..1]),
        [(own("Putin goes to Kim"), own("draft"), own("restore"))]
    );
    let shown = db.jsonl(&["show", &doc, "--format", "jsonl"]);
    let segment = shown
        .iter()
        .find(|s| s["id"] == seg.parse::<i64>().unwrap())
        .unwrap();
    assert_eq!(
        (&segment["target"], &segment["status"]),
        (&Value::from("Putin goes to Kim"), &Value::from("draft"))
    );

    // A confirmed version restored is confirmed again.
    let approved = rows[1]["version"].to_string();
    db.ok(&["history", &doc, &seg, "--restore", &approved]);
    let rows = db.jsonl(&["history", &doc, &seg, "--format", "jsonl"]);
    assert_eq!(
        summary(&rows[..1]),
        [(own("Putin visits Kim."), own("approved"), own("restore"))]
    );
}

#[test]
fn a_version_of_another_segment_or_none_is_refused() {
    let db = Db::new();
    let (doc, seg) = db.sample();
    db.ok(&["set-target", &doc, &seg, "Putin visits Kim."]);
    let version = db.jsonl(&["history", &doc, &seg, "--format", "jsonl"])[0]["version"].to_string();
    let segments = db.jsonl(&["show", &doc, "--format", "jsonl"]);
    let other = segments[2]["id"].to_string();
    for (segment, version) in [(other.as_str(), version.as_str()), (seg.as_str(), "999")] {
        let out = db.run(&["history", &doc, segment, "--restore", version]);
        assert_eq!(out.status.code(), Some(1), "{out:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("has no version"), "{err}");
    }
    let out = db.run(&["history", &doc, "999999"]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn pre_translation_is_recorded_as_the_tm() {
    let db = Db::new();
    let (doc, seg) = db.sample();
    db.ok(&["set-target", &doc, &seg, "Putin visits Kim."]);
    let (again, seg2) = db.sample();
    db.ok(&["pretranslate", &again]);
    let rows = db.jsonl(&["history", &again, &seg2, "--format", "jsonl"]);
    assert_eq!(
        summary(&rows),
        [("Putin visits Kim.".into(), "draft".into(), "tm".into())]
    );
}
