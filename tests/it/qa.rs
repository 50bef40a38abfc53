//! `interlinea qa` and `qa-ignore` on the sample article.

use crate::tm::{lines, ok, run};

#[test]
fn qa_lists_findings_as_json_lines_and_forgets_ignored_ones() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("ws.sqlite");
    let id = ok(run(&db, &["import", "seeds/000_da66b3da442e8d8e.txt"], ""));
    let id = id.trim();
    let segments = lines(&ok(run(&db, &["show", id, "--format", "jsonl"], "")));
    let viaggio_id = segments
        .iter()
        .find(|s| {
            s["source"]
                .as_str()
                .unwrap()
                .starts_with("Con questo viaggio (il primo dal 2000)")
        })
        .expect("the segment")["id"]
        .as_i64()
        .expect("an id");
    let viaggio = viaggio_id.to_string();
    ok(run(
        &db,
        &["set-target", id, &viaggio, "with this trip (the first since 2001) the Russian president wants to strengthen ties between the two revisionist countries", "--status", "translated"],
        "",
    ));
    let out = run(&db, &["qa", id, "--format", "jsonl"], "");
    assert_eq!(out.status.code(), Some(0), "findings are not an error");
    let findings = lines(&String::from_utf8(out.stdout).unwrap());
    let of_viaggio: Vec<_> = findings
        .iter()
        .filter(|f| f["segment"] == viaggio_id)
        .collect();
    assert_eq!(
        of_viaggio,
        [
            &serde_json::json!({"segment": viaggio_id, "check": "numbers", "message": "2000 is missing; 2001 is not in the Italian"}),
            &serde_json::json!({"segment": viaggio_id, "check": "capitalisation", "message": "the English starts with a small letter, the Italian with a capital"}),
        ]
    );
    assert_eq!(
        findings.iter().filter(|f| f["check"] == "empty").count(),
        21
    );
    assert!(findings.iter().all(|f| f.as_object().unwrap().len() == 3));

    ok(run(&db, &["qa-ignore", id, &viaggio, "capitalisation"], ""));
    let text = ok(run(&db, &["qa", id], ""));
    assert!(text.contains("numbers"), "{text}");
    assert!(!text.contains("capitalisation"), "{text}");
    let wrong = run(&db, &["qa-ignore", id, &viaggio, "grammar"], "");
    assert_eq!(wrong.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("the checks are empty, tags, numbers"));
}

#[test]
fn stats_count_words_as_gmx_v_by_status() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("ws.sqlite");
    let id = ok(run(&db, &["import", "seeds/000_da66b3da442e8d8e.txt"], ""));
    let id = id.trim();
    let segments = lines(&ok(run(&db, &["show", id, "--format", "jsonl"], "")));
    let headline = segments
        .iter()
        .find(|s| s["source"] == "Putin va da Kim.")
        .expect("the headline")["id"]
        .to_string();
    ok(run(
        &db,
        &[
            "set-target",
            id,
            &headline,
            "Putin goes to Kim.",
            "--status",
            "translated",
        ],
        "",
    ));
    let stats = lines(&ok(run(&db, &["stats", id, "--format", "jsonl"], "")));
    assert_eq!(stats.len(), 1);
    assert_eq!(stats[0]["words"], 626);
    assert_eq!(
        stats[0]["by_status"]["translated"],
        serde_json::json!({"segments": 1, "words": 4})
    );
    assert_eq!(stats[0]["by_status"]["new"]["segments"], 21);
    assert_eq!(stats[0]["words_per_hour"], serde_json::Value::Null);
    let text = ok(run(&db, &["stats", id], ""));
    assert!(text.contains("626 words (GMX-V)"), "{text}");
}
