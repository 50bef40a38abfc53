//! `interlinea export`: the English article, the bilingual table and the
//! TMX of a document, through the command line on a real workspace.

use crate::tm::{ok, run};

#[test]
fn export_target_csv_and_tmx_of_the_sample() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("ws.sqlite");
    let id = ok(run(&db, &["import", "seeds/000_da66b3da442e8d8e.txt"], ""));
    let id = id.trim();
    let show = ok(run(&db, &["show", id, "--format", "jsonl"], ""));
    let headline: serde_json::Value = show
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).expect("JSON"))
        .find(|s| s["source"] == "Putin va da Kim.")
        .expect("the headline");
    let segment = headline["id"].to_string();
    ok(run(
        &db,
        &[
            "set-target",
            id,
            &segment,
            "Putin goes to Kim.",
            "--status",
            "translated",
        ],
        "",
    ));

    let target = dir.path().join("article.txt");
    let out = run(
        &db,
        &[
            "export",
            id,
            "--format",
            "target",
            "--out",
            target.to_str().unwrap(),
        ],
        "",
    );
    let warning = String::from_utf8_lossy(&out.stderr).into_owned();
    ok(out);
    assert!(warning.contains("segments are not translated"), "{warning}");
    let text = std::fs::read_to_string(&target).expect("article");
    assert!(
        text.lines()
            .nth(1)
            .expect("line 2")
            .starts_with("Putin goes to Kim. "),
        "{text}"
    );

    let refused = run(
        &db,
        &[
            "export",
            id,
            "--format",
            "target",
            "--out",
            target.to_str().unwrap(),
            "--refuse-untranslated",
        ],
        "",
    );
    assert_eq!(refused.status.code(), Some(1));

    let tsv = dir.path().join("pairs.tsv");
    ok(run(
        &db,
        &[
            "export",
            id,
            "--format",
            "csv",
            "--out",
            tsv.to_str().unwrap(),
        ],
        "",
    ));
    let table = std::fs::read_to_string(&tsv).expect("table");
    assert!(
        table.starts_with("id\titalian\tenglish\tstatus\n"),
        "{table}"
    );
    assert!(
        table.contains("\tPutin va da Kim.\tPutin goes to Kim.\ttranslated\n"),
        "{table}"
    );

    for (format, file) in [
        ("xliff", "doc.xlf"),
        ("xliff2", "doc2.xlf"),
        ("html", "review.html"),
    ] {
        let path = dir.path().join(file);
        ok(run(
            &db,
            &[
                "export",
                id,
                "--format",
                format,
                "--out",
                path.to_str().unwrap(),
            ],
            "",
        ));
        let xml = std::fs::read_to_string(&path).expect("the exported file");
        assert!(xml.contains("Putin goes to Kim."), "{xml}");
    }

    let tmx = dir.path().join("confirmed.tmx");
    let said = ok(run(
        &db,
        &[
            "export",
            id,
            "--format",
            "tmx",
            "--out",
            tmx.to_str().unwrap(),
        ],
        "",
    ));
    assert!(said.contains("1 confirmed segments"), "{said}");
}
