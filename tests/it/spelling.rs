//! `interlinea qa` spelling rows and `interlinea spelling` on the sample
//! article, through the real binary and workspace file.

use crate::tm::{lines, ok, run};

/// The `spelling` findings of document `id`, as JSON lines.
fn spelling_rows(db: &std::path::Path, id: &str) -> Vec<serde_json::Value> {
    let out = run(db, &["qa", id, "--format", "jsonl"], "");
    assert_eq!(out.status.code(), Some(0), "findings are not an error");
    lines(&String::from_utf8(out.stdout).unwrap())
        .into_iter()
        .filter(|f| f["check"] == "spelling")
        .collect()
}

#[test]
fn qa_rows_flag_misspellings_the_workspace_does_not_vouch_for() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("ws.sqlite");
    let id = ok(run(&db, &["import", "seeds/000_da66b3da442e8d8e.txt"], ""));
    let id = id.trim();
    let segments = lines(&ok(run(&db, &["show", id, "--format", "jsonl"], "")));
    let headline = segments
        .iter()
        .find(|s| s["source"] == "Putin va da Kim.")
        .expect("the headline")["id"]
        .as_i64()
        .unwrap();
    // Putin, Kim and Pyongyang are the article's names; "Zapadgrad" is a
    // word of an imported TM; "flagcolour" a glossary term's.
    ok(run(&db, &["glossary", "add", "bandiera", "flagcolour"], ""));
    let tmx = dir.path().join("news.tmx");
    std::fs::write(
        &tmx,
        r#"<tmx version="1.4"><header srclang="it"/><body>
<tu><tuv xml:lang="it"><seg>Le esercitazioni Zapadgrad.</seg></tuv><tuv xml:lang="en"><seg>The Zapadgrad drills.</seg></tuv></tu>
</body></tmx>"#,
    )
    .unwrap();
    ok(run(&db, &["tm", "import", tmx.to_str().unwrap()], ""));
    ok(run(
        &db,
        &[
            "set-target",
            id,
            &headline.to_string(),
            "Putin expresed his wilingness to visit Kim in Pyongyang: Zapadgrad, flagcolour, colour.",
            "--status",
            "draft",
        ],
        "",
    ));
    // A draft is checked too, in the dictionary of the settings (en-GB).
    assert_eq!(
        spelling_rows(&db, id),
        [serde_json::json!({
            "segment": headline,
            "check": "spelling",
            "message": "misspelt: “expresed” (“expressed”?), “wilingness” (“willingness”?)"
        })]
    );
    ok(run(&db, &["settings", "set", "english_variant", "us"], ""));
    let rows = spelling_rows(&db, id);
    assert!(
        rows[0]["message"]
            .as_str()
            .unwrap()
            .ends_with("“colour” (“color”?)"),
        "{rows:?}"
    );
    ok(run(&db, &["settings", "set", "english_variant", "gb"], ""));

    // The user's dictionary, and a word ignored in this document only.
    let added = ok(run(&db, &["spelling", "add", "wilingness"], ""));
    assert_eq!(added, "wilingness added to the spelling dictionary\n");
    ok(run(&db, &["spelling", "ignore", id, "expresed"], ""));
    assert_eq!(spelling_rows(&db, id), Vec::<serde_json::Value>::new());
    assert_eq!(ok(run(&db, &["spelling", "list"], "")), "wilingness\n");

    // The same words in a script's check of a text: the ignored one is
    // this document's only.
    let checked = lines(&ok(run(
        &db,
        &[
            "spelling",
            "check",
            id,
            "Sevral wilingness",
            "--format",
            "jsonl",
        ],
        "",
    )));
    assert_eq!(checked.len(), 1, "{checked:?}");
    assert_eq!(checked[0]["word"], "Sevral");
    assert_eq!(
        (checked[0]["start"].clone(), checked[0]["end"].clone()),
        (0.into(), 6.into())
    );
    assert!(checked[0]["suggestions"]
        .as_array()
        .unwrap()
        .contains(&"Several".into()));

    ok(run(&db, &["spelling", "remove", "wilingness"], ""));
    let rows = spelling_rows(&db, id);
    assert_eq!(
        rows[0]["message"],
        "misspelt: “wilingness” (“willingness”?)"
    );
    let not_one_word = run(&db, &["spelling", "add", "two words"], "");
    assert_eq!(not_one_word.status.code(), Some(1));
}
