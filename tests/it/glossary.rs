//! The `interlinea glossary` commands: the starter glossary on the sample
//! article, imports (CSV, TSV, OmegaT, TBX) all or nothing, exports and round
//! trips, and the exports other tools read (TBX-Basic 2008, OmegaT).

use interlinea::termbase::Entry;
use serde_json::Value;

use crate::tm::{lines, ok, run};

fn workspace() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("ws.sqlite");
    (dir, db)
}

fn sources(line: &Value) -> Vec<&str> {
    line["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|h| h["source"].as_str().expect("source"))
        .collect()
}

#[test]
fn starter_glossary_finds_the_sample_articles_entities() {
    let (_dir, db) = workspace();
    let list = lines(&ok(run(
        &db,
        &["glossary", "list", "--format", "jsonl"],
        "",
    )));
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["name"], "News (starter)");
    assert!(
        list[0]["entries"].as_u64().expect("count") >= 300,
        "{list:?}"
    );

    let article = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/seeds/000_da66b3da442e8d8e.txt"
    ))
    .expect("sample article");
    let found = lines(&ok(run(
        &db,
        &["glossary", "find", "--format", "jsonl"],
        &article,
    )));
    let all: Vec<&str> = found.iter().flat_map(sources).collect();
    for entity in [
        "Vladimir Putin",
        "Putin",
        "Kim Jong Un",
        "Kim Jong Il",
        "Choe Son Hui",
        "Sergei Lavrov",
        "Alexander Nobak",
        "Grant Shapps",
        "Mosca",
        "Pyongyang",
        "Washington",
        "Corea del Nord",
        "nordcoreano",
        "Kcna",
        "Cremlino",
        "ministro degli Esteri",
        "ministro della Difesa",
        "vice primo ministro",
        "Ucraina",
        "Russia",
        "operazione militare speciale",
        "Stati Uniti",
        "Nazioni Unite",
        "risoluzione",
        "trentottesimo parallelo",
    ] {
        assert!(all.contains(&entity), "{entity} not found; found {all:?}");
    }
}

#[test]
fn find_reports_character_offsets_and_targets() {
    let (_dir, db) = workspace();
    let text = "È già partita la visita all’Onu della ministra degli Esteri nordcoreana.";
    let found = lines(&ok(run(
        &db,
        &["glossary", "find", text, "--format", "jsonl"],
        "",
    )));
    assert_eq!(found.len(), 1);
    assert_eq!(found[0]["text"], text);
    let hits = found[0]["hits"].as_array().expect("hits");
    let chars: Vec<char> = text.chars().collect();
    let spans: Vec<(String, &str)> = hits
        .iter()
        .map(|h| {
            let (start, end) = (
                h["start"].as_u64().unwrap() as usize,
                h["end"].as_u64().unwrap() as usize,
            );
            (
                chars[start..end].iter().collect(),
                h["source"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        spans,
        [
            ("Onu".to_string(), "Onu"),
            ("ministra degli Esteri".to_string(), "ministro degli Esteri"),
            ("nordcoreana".to_string(), "nordcoreano")
        ]
    );
    // Characters, not bytes: "È" and "à" are two bytes each.
    assert_eq!(hits[0]["start"], 28);
    assert_eq!(hits[1]["targets"][0], "foreign minister");
}

#[test]
fn imports_are_all_or_nothing_and_report_bad_lines() {
    let (dir, db) = workspace();
    let bad = dir.path().join("agency.csv");
    std::fs::write(&bad, "it,en\nPutin,Putin\nKim,\n,Lavrov\n").expect("write");
    let out = run(&db, &["glossary", "import", bad.to_str().unwrap()], "");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("line 3: no English term") && err.contains("line 4: no Italian term"),
        "{err}"
    );
    assert!(err.contains("nothing was imported"), "{err}");
    let list = lines(&ok(run(
        &db,
        &["glossary", "list", "--format", "jsonl"],
        "",
    )));
    assert_eq!(list.len(), 1, "no glossary was created: {list:?}");

    let bomb = dir.path().join("bomb.tbx");
    std::fs::write(
        &bomb,
        r#"<?xml version="1.0"?><!DOCTYPE tbx [<!ENTITY a "x">]><tbx/>"#,
    )
    .expect("write");
    let out = run(&db, &["glossary", "import", bomb.to_str().unwrap()], "");
    assert!(String::from_utf8_lossy(&out.stderr).contains("declares entities"));

    let tsv = dir.path().join("agency.tsv");
    std::fs::write(
        &tsv,
        "Casa Bianca\tWhite House\tla residenza\nCremlino\tKremlin\n",
    )
    .expect("write");
    ok(run(&db, &["glossary", "import", tsv.to_str().unwrap()], ""));
    let list = lines(&ok(run(
        &db,
        &["glossary", "list", "--format", "jsonl"],
        "",
    )));
    let agency = list
        .iter()
        .find(|g| g["name"] == "agency")
        .expect("imported glossary");
    assert_eq!(agency["entries"], 2);
}

#[test]
fn exports_validate_and_round_trip() {
    let (dir, db) = workspace();
    let tbx = dir.path().join("starter.tbx");
    ok(run(
        &db,
        &[
            "glossary",
            "export",
            "--format",
            "tbx",
            "--out",
            tbx.to_str().unwrap(),
            "--glossary",
            "News (starter)",
        ],
        "",
    ));
    let schema = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/data/schemas/tbx/TBXcoreStructV03.rng");
    if schema.exists() {
        let out = std::process::Command::new("xmllint")
            .args(["--noout", "--nonet", "--relaxng"])
            .arg(&schema)
            .arg(&tbx)
            .output()
            .expect("xmllint must be installed (libxml2-utils)");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    // TBX and CSV back in: the same entries.
    let csv = dir.path().join("starter.csv");
    ok(run(
        &db,
        &[
            "glossary",
            "export",
            "--format",
            "csv",
            "--out",
            csv.to_str().unwrap(),
            "--glossary",
            "News (starter)",
        ],
        "",
    ));
    ok(run(
        &db,
        &[
            "glossary",
            "import",
            tbx.to_str().unwrap(),
            "--glossary",
            "from tbx",
        ],
        "",
    ));
    ok(run(
        &db,
        &[
            "glossary",
            "import",
            csv.to_str().unwrap(),
            "--glossary",
            "from csv",
        ],
        "",
    ));
    let ws = interlinea::Workspace::open(&db).expect("workspace");
    let strip = |entries: Vec<interlinea::termbase::Entry>| -> Vec<interlinea::termbase::Entry> {
        entries
            .into_iter()
            .map(|mut e| {
                e.id = 0;
                e.glossary.clear();
                e
            })
            .collect()
    };
    let starter = strip(
        ws.glossary_entries(Some("News (starter)"), false)
            .expect("starter"),
    );
    assert!(starter.len() >= 300);
    assert_eq!(
        strip(ws.glossary_entries(Some("from tbx"), false).expect("tbx")),
        starter
    );
    assert_eq!(
        strip(ws.glossary_entries(Some("from csv"), false).expect("csv")),
        starter
    );
}

/// Exports `glossary` of `db` as `format` to `file` in `dir`, then imports
/// that file as the glossary `file`; returns the file.
fn out_and_back(
    dir: &tempfile::TempDir,
    db: &std::path::Path,
    format: &str,
    file: &str,
) -> std::path::PathBuf {
    let path = dir.path().join(file);
    let path_text = path.to_str().unwrap();
    let args = [
        "glossary",
        "export",
        "--format",
        format,
        "--out",
        path_text,
        "--glossary",
        "News (starter)",
    ];
    let written = ok(run(db, &args, ""));
    assert!(written.ends_with(&format!("entries written to {path_text}\n")));
    let args = ["glossary", "import", path_text, "--glossary", file];
    ok(run(db, &args, ""));
    path
}

/// The entries of `glossary`, as a file holds them (no id, no glossary).
fn stored(db: &std::path::Path, glossary: &str) -> Vec<Entry> {
    let ws = interlinea::Workspace::open(db).expect("workspace");
    let entries = ws.glossary_entries(Some(glossary), false).expect("entries");
    entries
        .into_iter()
        .map(|e| Entry {
            id: 0,
            glossary: String::new(),
            ..e
        })
        .collect()
}

/// TBX-Basic 2008 is valid against the 2008 schema and comes back whole but
/// for case sensitivity; OmegaT's glossary comes back as one entry per
/// Italian term and usable English term, with the note.
#[test]
fn exports_for_other_tools_round_trip() {
    let (dir, db) = workspace();
    let tbx = out_and_back(&dir, &db, "tbx-basic", "basic.tbx");
    let xml = std::fs::read_to_string(&tbx).expect("TBX");
    assert!(xml.contains("<martif type=\"TBX-Basic\""), "{xml}");
    let schema = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/data/schemas/tbx/tbx-2008-martif.xsd");
    if schema.exists() {
        let out = std::process::Command::new("xmllint")
            .args(["--noout", "--nonet", "--schema"])
            .arg(&schema)
            .arg(&tbx)
            .output()
            .expect("xmllint must be installed (libxml2-utils)");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{stderr}");
    }
    out_and_back(&dir, &db, "omegat", "omegat.utf8");

    let starter = stored(&db, "News (starter)");
    assert!(starter.len() >= 300);
    let mut without_case = starter.clone();
    for term in without_case
        .iter_mut()
        .flat_map(|e| e.italian.iter_mut().chain(e.english.iter_mut()))
    {
        term.case_sensitive = false;
    }
    assert_eq!(stored(&db, "basic.tbx"), without_case);
    let pairs: Vec<Entry> = starter
        .iter()
        .flat_map(|e| {
            e.italian.iter().flat_map(move |it| {
                e.targets().into_iter().map(move |en| Entry {
                    note: e.note.clone(),
                    ..Entry::pair(&it.text, &en.text)
                })
            })
        })
        .collect();
    assert_eq!(stored(&db, "omegat.utf8"), pairs);
}

/// translate-toolkit (what Weblate and Pootle read TBX with) finds every
/// entry of the TBX-Basic export, Italian as source and English as target.
/// `./x test` installs it in a virtual environment and names its Python in
/// `INTERLINEA_TRANSLATE_TOOLKIT`; CI must have it.
#[test]
fn translate_toolkit_reads_the_tbx_basic_export() {
    let Some(python) = crate::third_party::translate_toolkit() else {
        return;
    };
    let (dir, db) = workspace();
    let tbx = out_and_back(&dir, &db, "tbx-basic", "basic.tbx");
    let script = "import sys\n\
                  from translate.storage import tbx\n\
                  for unit in tbx.tbxfile(open(sys.argv[1], 'rb')).units:\n\
                  \x20   print(unit.source + '\\t' + unit.target)\n";
    let out = std::process::Command::new(python)
        .args(["-c", script])
        .arg(&tbx)
        .output()
        .expect("the Python of INTERLINEA_TRANSLATE_TOOLKIT");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let read = String::from_utf8(out.stdout).expect("UTF-8");
    let expected: String = stored(&db, "News (starter)")
        .iter()
        .map(|e| format!("{}\t{}\n", e.italian[0].text, e.english[0].text))
        .collect();
    assert_eq!(read, expected);
}

#[test]
fn add_warns_about_duplicates_and_disabled_glossaries_are_not_searched() {
    let (_dir, db) = workspace();
    ok(run(
        &db,
        &[
            "glossary",
            "add",
            "Farnesina",
            "Foreign Ministry",
            "--glossary",
            "mine",
        ],
        "",
    ));
    let again = run(
        &db,
        &[
            "glossary",
            "add",
            "farnesina",
            "Italian Foreign Ministry",
            "--glossary",
            "mine",
        ],
        "",
    );
    let err = String::from_utf8_lossy(&again.stderr).into_owned();
    assert!(ok(again).contains("added"));
    assert!(
        err.contains("already has") && err.contains("Foreign Ministry"),
        "{err}"
    );

    let mut ws = interlinea::Workspace::open(&db).expect("workspace");
    ws.set_glossary_enabled("News (starter)", false)
        .expect("disable");
    drop(ws);
    let found = lines(&ok(run(
        &db,
        &[
            "glossary",
            "find",
            "Il Cremlino e la Farnesina.",
            "--format",
            "jsonl",
        ],
        "",
    )));
    assert_eq!(sources(&found[0]), ["Farnesina", "farnesina"]);
}
