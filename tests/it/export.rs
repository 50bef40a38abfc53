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
    assert!(text.starts_with("Putin goes to Kim. "), "{text}");

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
        table.starts_with("id\titalian\tenglish\tstatus\tnote\n"),
        "{table}"
    );
    assert!(
        table.contains("\tPutin va da Kim.\tPutin goes to Kim.\ttranslated\t\n"),
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
    assert!(said.contains("1 confirmed segment"), "{said}");
}

/// The id of the sample's headline segment in document `id`.
fn headline(db: &std::path::Path, id: &str) -> String {
    let show = ok(run(db, &["show", id, "--format", "jsonl"], ""));
    show.lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).expect("JSON"))
        .find(|s| s["source"] == "Putin va da Kim.")
        .expect("the headline")["id"]
        .to_string()
}

/// The sample imported into `db` with its headline translated as
/// `english`: the document's and the headline's ids.
fn sample_with_headline(db: &std::path::Path, english: &str) -> (String, String) {
    let id = ok(run(db, &["import", "seeds/000_da66b3da442e8d8e.txt"], ""));
    let id = id.trim().to_string();
    let segment = headline(db, &id);
    ok(run(
        db,
        &[
            "set-target",
            &id,
            &segment,
            english,
            "--status",
            "translated",
        ],
        "",
    ));
    (id, segment)
}

#[test]
fn the_english_article_leaves_out_furniture_and_counts_what_stays_italian() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("ws.sqlite");
    let (id, _) = sample_with_headline(&db, "Putin goes to Kim.");
    let show = ok(run(&db, &["show", &id, "--format", "jsonl"], ""));
    let to_translate = show
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).expect("JSON"))
        .filter(|s| s["translatable"] == true)
        .count();
    let untranslated = to_translate - 1;

    let target = dir.path().join("article.txt");
    let export = |extra: &[&str]| {
        let mut args = vec![
            "export",
            &id,
            "--format",
            "target",
            "--out",
            target.to_str().unwrap(),
        ];
        args.extend(extra);
        run(&db, &args, "")
    };
    let out = export(&[]);
    let warning = String::from_utf8_lossy(&out.stderr).into_owned();
    ok(out);
    assert_eq!(
        warning,
        format!("warning: {untranslated} segments are not translated; the Italian stands in\n")
    );
    let text = std::fs::read_to_string(&target).expect("article");
    assert!(text.starts_with("Putin goes to Kim. "), "{text}");
    for furniture in ["Skip to main content", "×", "Iscriviti alla newsletter"] {
        assert!(!text.contains(furniture), "{furniture:?} in {text}");
    }

    let refused = export(&["--refuse-untranslated"]);
    assert_eq!(refused.status.code(), Some(1));
    let error = String::from_utf8_lossy(&refused.stderr);
    assert!(
        error.contains(&format!("{untranslated} segments are not translated (ids ")),
        "{error}"
    );
    assert_eq!(
        std::fs::read_to_string(&target).expect("article"),
        text,
        "the refused export leaves the previous file"
    );
}

#[test]
fn review_docx_and_xliff_go_out_and_come_back_through_the_cli() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("ws.sqlite");
    let path = |name: &str| dir.path().join(name).to_str().unwrap().to_string();
    let (id, segment) = sample_with_headline(&db, "Putin goes to Kim.");
    let id = id.as_str();

    let out = ok(run(
        &db,
        &[
            "export",
            id,
            "--format",
            "docx",
            "--out",
            &path("review.docx"),
        ],
        "",
    ));
    assert!(out.contains("(22 segments)"), "{out}");
    let back = ok(run(&db, &["import-review", id, &path("review.docx")], ""));
    assert_eq!(
        back,
        "0 targets changed, 0 statuses changed, 0 notes changed, 22 unchanged\n"
    );

    // A colleague's tool sends the XLIFF back with the headline corrected.
    ok(run(
        &db,
        &["export", id, "--format", "xliff", "--out", &path("job.xlf")],
        "",
    ));
    let xliff = std::fs::read_to_string(path("job.xlf")).expect("xliff");
    std::fs::write(
        path("job.xlf"),
        xliff.replace(">Putin goes to Kim.<", ">Putin travels to Kim.<"),
    )
    .expect("write");
    let back = ok(run(&db, &["import-review", id, &path("job.xlf")], ""));
    assert_eq!(
        back,
        format!("1 target changed, 0 statuses changed, 0 notes changed, 21 unchanged\n{segment}\tPutin goes to Kim.\tPutin travels to Kim.\n")
    );

    // The XLIFF also makes a new document of its own.
    let copy = ok(run(&db, &["import", &path("job.xlf")], ""));
    let docs = ok(run(&db, &["docs", "--format", "jsonl"], ""));
    assert_eq!(docs.lines().count(), 2, "{docs}");
    assert!(docs.contains(&format!("\"id\":{}", copy.trim())), "{docs}");

    // A review of one document is refused by another, and says why.
    let refused = run(
        &db,
        &["import-review", copy.trim(), &path("review.docx")],
        "",
    );
    assert!(!refused.status.success());
    let message = String::from_utf8_lossy(&refused.stderr);
    assert!(message.contains("not a review of document"), "{message}");
}

/// Whether these programs are installed; CI must have them, elsewhere a
/// test that needs them says it was not run.
fn tools_here(tools: &[&str]) -> bool {
    // Started at all: pdftotext has no --version that exits with 0.
    let missing: Vec<&str> = tools
        .iter()
        .copied()
        .filter(|tool| std::process::Command::new(tool).arg("-v").output().is_err())
        .collect();
    if missing.is_empty() {
        return true;
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "CI must install {missing:?}"
    );
    eprintln!("{missing:?} not installed: not checked");
    false
}

/// LibreOffice opens the review DOCX and lays it out as a reviewer sees
/// it: every page starts with the repeated heading row. Needs `soffice`
/// and `pdftotext`, which CI installs.
#[test]
fn the_review_docx_opens_in_libreoffice() {
    if !tools_here(&["soffice", "pdftotext"]) {
        return;
    }
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("ws.sqlite");
    let (id, _) = sample_with_headline(&db, "Putin goes to Kim.");
    let id = id.as_str();
    let docx = dir.path().join("review.docx");
    ok(run(
        &db,
        &[
            "export",
            id,
            "--format",
            "docx",
            "--out",
            docx.to_str().unwrap(),
        ],
        "",
    ));
    let profile = format!(
        "-env:UserInstallation=file://{}/profile",
        dir.path().display()
    );
    let converted = std::process::Command::new("soffice")
        .args([
            profile.as_str(),
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
        ])
        .arg(dir.path())
        .arg(&docx)
        .output()
        .expect("soffice");
    assert!(
        converted.status.success(),
        "{}",
        String::from_utf8_lossy(&converted.stderr)
    );
    let text = std::process::Command::new("pdftotext")
        .args(["-layout"])
        .arg(dir.path().join("review.pdf"))
        .arg("-")
        .output()
        .expect("pdftotext");
    let text = String::from_utf8(text.stdout).expect("UTF-8");
    let pages: Vec<&str> = text
        .split('\u{c}')
        .filter(|p| !p.trim().is_empty())
        .collect();
    assert!(
        pages.len() >= 2,
        "the sample fills more than a page: {text}"
    );
    for (n, page) in pages.iter().enumerate() {
        let first = page.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
        let heading = if n == 0 {
            page.lines()
                .find(|l| l.contains("Italian") && l.contains("English") && l.contains("Comment"))
        } else {
            Some(first)
        };
        let heading = heading.unwrap_or("");
        assert!(
            heading.contains("ID") && heading.contains("Italian") && heading.contains("Comment"),
            "page {} does not start with the heading row: {first:?}",
            n + 1
        );
        assert!(
            page.contains(&format!("page {} / {}", n + 1, pages.len())),
            "footer of page {}",
            n + 1
        );
    }
    assert!(text.contains("Putin goes to Kim."));
}

/// The bilingual CSV opens in a spreadsheet (LibreOffice Calc) with every
/// field in its cell: saved back as CSV it is the same table.
#[test]
fn the_bilingual_csv_round_trips_through_libreoffice_calc() {
    if !tools_here(&["soffice"]) {
        return;
    }
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("ws.sqlite");
    // Quotes, commas and a line break test the quoting.
    let tricky = "Putin \"goes\", to Kim;\nfor real.";
    let (id, _) = sample_with_headline(&db, tricky);
    let id = id.as_str();
    let csv = dir.path().join("table.csv");
    ok(run(
        &db,
        &[
            "export",
            id,
            "--format",
            "csv",
            "--out",
            csv.to_str().unwrap(),
        ],
        "",
    ));
    let soffice = |args: &[&str], file: &std::path::Path, out: &std::path::Path| {
        let profile = format!(
            "-env:UserInstallation=file://{}/profile",
            dir.path().display()
        );
        let done = std::process::Command::new("soffice")
            .arg(&profile)
            .args(["--headless"])
            .args(args)
            .arg("--outdir")
            .arg(out)
            .arg(file)
            .output()
            .expect("soffice");
        assert!(
            done.status.success(),
            "{}",
            String::from_utf8_lossy(&done.stderr)
        );
    };
    // UTF-8 (76), comma-separated, double quotes, from the first line.
    soffice(
        &["--infilter=CSV:44,34,76,1", "--convert-to", "ods"],
        &csv,
        dir.path(),
    );
    let back = dir.path().join("back");
    soffice(
        &[
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false",
        ],
        &dir.path().join("table.ods"),
        &back,
    );
    let read = |path: &std::path::Path| -> Vec<Vec<String>> {
        csv::Reader::from_path(path)
            .expect("CSV")
            .records()
            .map(|r| r.expect("record").iter().map(str::to_string).collect())
            .collect()
    };
    let ours = read(&csv);
    assert_eq!(ours.len(), 22);
    assert!(ours.iter().any(|row| row[2] == tricky));
    assert_eq!(read(&back.join("table.csv")), ours);
}

/// Issue 18: a document made from another tool's XLIFF job, exported as
/// XLIFF of the job's version, is the job itself with the English in.
/// Imports `tests/fixtures/{fixture}`, gives three segments English through
/// the CLI (a translated headline, a draft over inline codes, an approved
/// English with markup characters) and exports it as `format` into `dir`.
pub(crate) fn same_file_export(dir: &std::path::Path, fixture: &str, format: &str) -> String {
    let db = dir.join(format!("{format}.sqlite"));
    let job = format!("tests/fixtures/{fixture}");
    let doc = ok(run(&db, &["import", &job], ""));
    let doc = doc.trim();
    let segments = crate::tm::lines(&ok(run(&db, &["show", doc, "--format", "jsonl"], "")));
    let id = |start: &str| {
        segments
            .iter()
            .find(|s| s["source"].as_str().unwrap().starts_with(start))
            .expect(start)["id"]
            .to_string()
    };
    for (start, english, status) in [
        ("Il sindaco", "The mayor opens the bridge.", "translated"),
        (
            "La cerimonia",
            "The ceremony lasts an hour and a half.",
            "draft",
        ),
        (
            "Il traffico",
            "Traffic &amp; buses &lt;resume&gt; at 6pm.",
            "approved",
        ),
    ] {
        ok(run(
            &db,
            &["set-target", doc, &id(start), english, "--status", status],
            "",
        ));
    }
    let out = dir.join(fixture);
    let path = out.to_str().unwrap();
    let said = ok(run(
        &db,
        &["export", doc, "--format", format, "--out", path],
        "",
    ));
    assert!(said.contains("file it was made from"), "{said}");
    path.to_string()
}

/// The file without its `<target>` elements and `state` and `approved`
/// attributes.
fn without_targets(xml: &str) -> String {
    let mut out = String::new();
    let mut rest = xml;
    while let Some(at) = rest.find("<target") {
        out.push_str(&rest[..at]);
        let open_end = at + rest[at..].find('>').unwrap() + 1;
        let end = if rest[..open_end].ends_with("/>") {
            open_end
        } else {
            open_end + rest[open_end..].find("</target>").unwrap() + "</target>".len()
        };
        rest = &rest[end..];
    }
    out.push_str(rest);
    // ` state="…"`, `state = '…'`: the attribute, its spaces and quotes.
    let mut stripped = String::new();
    let mut rest = out.as_str();
    while let Some(at) = rest.find(" state") {
        stripped.push_str(&rest[..at]);
        let after = rest[at + 6..].trim_start();
        let Some(value) = after.strip_prefix('=').map(str::trim_start) else {
            stripped.push_str(" state");
            rest = &rest[at + 6..];
            continue;
        };
        let quote = value.chars().next().unwrap();
        let close = value[1..].find(quote).unwrap();
        rest = &value[close + 2..];
    }
    stripped.push_str(rest);
    // A translated unit is also marked approved="yes", as translate-toolkit
    // reads a translation that is not fuzzy.
    stripped.replace(" approved=\"yes\"", "")
}

/// Every `<target …>…</target>` (or empty one) of the file, as written.
fn targets(xml: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = xml;
    while let Some(at) = rest.find("<target") {
        let open_end = at + rest[at..].find('>').unwrap() + 1;
        let end = if rest[..open_end].ends_with("/>") {
            open_end
        } else {
            open_end + rest[open_end..].find("</target>").unwrap() + "</target>".len()
        };
        out.push(&rest[at..end]);
        rest = &rest[end..];
    }
    out
}

fn valid(schema: &str, file: &str) {
    let schema = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/data/schemas")
        .join(schema);
    if !schema.exists() {
        eprintln!("{} is not here: validity not checked", schema.display());
        return;
    }
    let out = std::process::Command::new("xmllint")
        .args(["--noout", "--nonet", "--schema"])
        .arg(&schema)
        .arg(file)
        .output()
        .expect("xmllint must be installed (libxml2-utils)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn an_xliff_1_2_job_goes_back_out_as_the_same_file_with_the_english_in() {
    let dir = tempfile::tempdir().expect("dir");
    let out = same_file_export(dir.path(), "job12.xlf", "xliff");
    let original = std::fs::read_to_string("tests/fixtures/job12.xlf").unwrap();
    let back = std::fs::read_to_string(&out).unwrap();
    assert_eq!(without_targets(&back), without_targets(&original));
    assert_eq!(
        targets(&back),
        [
            // Put right after the source, which has none.
            r#"<target state="translated">The mayor opens the bridge.</target>"#,
            // The source's <g>/<x/> codes are not in the English.
            r#"<target state="needs-review-translation">The ceremony lasts an hour and a half.</target>"#,
            // Untouched: the English and its codes as the file had them.
            r#"<target xml:lang="en-GB" state="translated">Then the parade crosses <g id="1">town</g>.</target>"#,
            r#"<target state="signed-off">Traffic &amp; buses &lt;resume&gt; at 6pm.</target>"#,
            r#"<target state="needs-review-translation">An old draft.</target>"#,
        ]
    );
    assert!(back.contains(
        r#"<source xml:lang="it-IT">Il sindaco inaugura il ponte.</source><target state="translated">"#
    ));
    valid("xliff-1.2/xliff-core-1.2-strict.xsd", &out);
}

#[test]
fn an_xliff_2_0_job_goes_back_out_as_the_same_file_with_the_english_in() {
    let dir = tempfile::tempdir().expect("dir");
    let out = same_file_export(dir.path(), "job20.xlf", "xliff2");
    let original = std::fs::read_to_string("tests/fixtures/job20.xlf").unwrap();
    let back = std::fs::read_to_string(&out).unwrap();
    assert_eq!(without_targets(&back), without_targets(&original));
    assert_eq!(
        targets(&back),
        [
            "<target>The mayor opens the bridge.</target>",
            "<target>The ceremony lasts an hour and a half.</target>",
            r#"<target>Then the parade crosses <pc id="1">town</pc>.</target>"#,
            "<target>Traffic &amp; buses &lt;resume&gt; at 6pm.</target>",
        ]
    );
    for segment in [
        r#"<segment id="s1" state="translated">"#,
        r#"<segment id="s2" state="initial">"#,
        r#"<segment id="s3" state="translated">"#,
        "<segment state = 'final' >",
        r#"<segment id="s5">"#,
    ] {
        assert!(back.contains(segment), "{segment} in {back}");
    }
    valid("xliff-2.0/xliff_core_2.0.xsd", &out);

    // The other version is a file of our own, as before.
    let db = dir.path().join("xliff2.sqlite");
    let other = dir.path().join("other.xlf");
    let said = ok(run(
        &db,
        &[
            "export",
            "1",
            "--format",
            "xliff",
            "--out",
            other.to_str().unwrap(),
        ],
        "",
    ));
    assert!(!said.contains("made from"), "{said}");
    let other = std::fs::read_to_string(&other).unwrap();
    assert!(other.contains("version=\"1.2\""), "{other}");
}

#[test]
fn an_html_article_translated_through_the_cli_keeps_its_links() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("ws.sqlite");
    let id = ok(run(&db, &["import", "tests/fixtures/inline.html"], ""));
    let id = id.trim();
    let show = ok(run(&db, &["show", id, "--format", "jsonl"], ""));
    let english = [
        (
            "Il sindaco di <1>Roma</1> incontra Kim",
            "The mayor of <1>Rome</1> meets Kim",
        ),
        (
            "La <1>visita è durata tre giorni.",
            "The <1>visit lasted three days.",
        ),
        (
            "Il programma</1> è stato pubblicato online.<2/>",
            "The programme</1> was published online.<2/>",
        ),
    ];
    for line in show.lines() {
        let segment: serde_json::Value = serde_json::from_str(line).expect("JSON");
        let Some((_, target)) = english.iter().find(|(it, _)| segment["source"] == *it) else {
            continue;
        };
        let segment_id = segment["id"].to_string();
        ok(run(
            &db,
            &[
                "set-target",
                id,
                &segment_id,
                target,
                "--status",
                "translated",
            ],
            "",
        ));
    }
    // A code the Italian does not have is refused, and nothing written.
    let headline = show.lines().next().expect("a segment");
    let headline: serde_json::Value = serde_json::from_str(headline).expect("JSON");
    let refused = run(
        &db,
        &["set-target", id, &headline["id"].to_string(), "<2>Rome</2>"],
        "",
    );
    assert_eq!(refused.status.code(), Some(1));

    let out = dir.path().join("article.html");
    ok(run(
        &db,
        &[
            "export",
            id,
            "--format",
            "target",
            "--out",
            out.to_str().unwrap(),
        ],
        "",
    ));
    let page = scraper::Html::parse_document(&std::fs::read_to_string(&out).expect("article"));
    let select = |css: &str| -> Vec<String> {
        page.select(&scraper::Selector::parse(css).unwrap())
            .map(|e| e.text().collect())
            .collect()
    };
    assert_eq!(select("title"), ["The mayor of Rome meets Kim"]);
    assert_eq!(select("h1 em"), ["Rome"]);
    assert_eq!(
        select("a[href='https://example.it/vertice']"),
        ["visit lasted three days. The programme"]
    );
    assert_eq!(select("p:has(br)").len(), 1);

    // The document's TMX writes each segment's codes with their markup.
    let tmx = dir.path().join("article.tmx");
    ok(run(
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
    let tmx = std::fs::read_to_string(&tmx).expect("TMX");
    assert!(
        tmx.contains(r#"The mayor of <bpt i="1" x="1">&lt;em&gt;</bpt>Rome<ept i="1">&lt;/em&gt;</ept> meets Kim"#),
        "{tmx}"
    );
    assert!(!tmx.chars().any(interlinea::text::codes::is_code), "{tmx}");
}

/// An element's name, sorted attributes and children.
type Open = (String, Vec<(String, String)>, Vec<Node>);

/// One node of an XML file as a parser sees it.
#[derive(Debug, PartialEq)]
pub(crate) enum Node {
    Element(String, Vec<(String, String)>, Vec<Node>),
    Text(String),
    Other(String),
}

/// The XML file as a tree, parsed, without `<target>` elements and the
/// `state` and `approved` attributes: what exporting a job may change.
pub(crate) fn tree_without_targets(xml: &[u8]) -> Vec<Node> {
    use quick_xml::events::{BytesStart, Event};
    let element = |e: &BytesStart<'_>| {
        let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
        let mut attributes: Vec<(String, String)> = e
            .attributes()
            .map(|a| a.expect("attribute"))
            .filter(|a| !matches!(a.key.as_ref(), b"state" | b"approved"))
            .map(|a| {
                let key = String::from_utf8_lossy(a.key.as_ref()).into_owned();
                (key, a.unescape_value().expect("value").into_owned())
            })
            .collect();
        attributes.sort();
        (name, attributes, Vec::new())
    };
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut stack: Vec<Open> = vec![(String::new(), Vec::new(), Vec::new())];
    let mut in_target = 0usize;
    loop {
        let event = reader.read_event().expect("well-formed XML");
        let is_target = |e: &BytesStart<'_>| e.local_name().as_ref() == b"target";
        let node = match event {
            Event::Start(e) if in_target > 0 || is_target(&e) => {
                in_target += 1;
                continue;
            }
            Event::End(_) if in_target > 0 => {
                in_target -= 1;
                continue;
            }
            _ if in_target > 0 => continue,
            Event::Empty(e) if is_target(&e) => continue,
            Event::Start(e) => {
                stack.push(element(&e));
                continue;
            }
            Event::Empty(e) => {
                let (name, attributes, children) = element(&e);
                Node::Element(name, attributes, children)
            }
            Event::End(_) => {
                let (name, attributes, children) = stack.pop().expect("open element");
                Node::Element(name, attributes, children)
            }
            Event::Text(t) => Node::Text(t.unescape().expect("text").into_owned()),
            Event::CData(t) => Node::Text(String::from_utf8_lossy(&t).into_owned()),
            Event::Comment(t) => Node::Other(String::from_utf8_lossy(&t).into_owned()),
            Event::PI(t) => Node::Other(String::from_utf8_lossy(&t).into_owned()),
            Event::Decl(t) => Node::Other(String::from_utf8_lossy(&t).into_owned()),
            Event::DocType(_) => panic!("no DOCTYPE"),
            Event::Eof => break,
        };
        let children = &mut stack.last_mut().expect("root").2;
        // Text on either side of a removed target is one text.
        match (children.last_mut(), node) {
            (Some(Node::Text(before)), Node::Text(after)) => before.push_str(&after),
            (_, node) => children.push(node),
        }
    }
    assert_eq!(stack.len(), 1, "every element closed");
    stack.pop().expect("root").2
}

/// Imports the job `tests/fixtures/{fixture}`, checks its sources as `show`
/// writes them (codes in the notation) and gives each its English, written
/// in the notation with the same codes, as translated; exports it as
/// `format` (the job's own version: the same file) into `dir`.
pub(crate) fn translated_job(
    dir: &std::path::Path,
    fixture: &str,
    format: &str,
    pairs: &[(&str, &str)],
) -> (std::path::PathBuf, String, String) {
    let db = dir.join(format!("{fixture}.sqlite"));
    let doc = ok(run(
        &db,
        &["import", &format!("tests/fixtures/{fixture}")],
        "",
    ));
    let doc = doc.trim().to_string();
    let segments = crate::tm::lines(&ok(run(&db, &["show", &doc, "--format", "jsonl"], "")));
    let sources: Vec<&str> = segments
        .iter()
        .map(|s| s["source"].as_str().unwrap())
        .collect();
    let expected: Vec<&str> = pairs.iter().map(|(source, _)| *source).collect();
    assert_eq!(sources, expected);
    for (segment, (_, english)) in segments.iter().zip(pairs) {
        let id = segment["id"].to_string();
        ok(run(
            &db,
            &["set-target", &doc, &id, english, "--status", "translated"],
            "",
        ));
    }
    let out = dir.join(format!("back-{fixture}"));
    let path = out.to_str().unwrap().to_string();
    ok(run(
        &db,
        &["export", &doc, "--format", format, "--out", &path],
        "",
    ));
    (db, doc, path)
}

/// The segments' English as `show` writes it.
fn english(db: &std::path::Path, doc: &str) -> Vec<String> {
    crate::tm::lines(&ok(run(db, &["show", doc, "--format", "jsonl"], "")))
        .iter()
        .map(|s| s["target"].as_str().unwrap().to_string())
        .collect()
}

/// Issue 18: an XLIFF 1.2 job with every inline code (g, x, bx/ex paired by
/// rid, bpt/ept, ph, it, mrk, a bx whose ex is elsewhere) becomes a
/// document whose segments carry the codes; translated with the codes
/// placed in the English and exported, it is the same XML but for its
/// targets and states, each target holding the source's codes as the
/// source writes them. Our file comes back through import-review unchanged,
/// and so does our own XLIFF 2.0 of the same document.
#[test]
fn an_xliff_1_2_job_with_every_code_goes_back_out_with_its_codes() {
    let dir = tempfile::tempdir().expect("dir");
    let english_of = [
        (
            "Il <1>sindaco</1> di Roma<2/> parla.",
            "The <1>mayor</1> of Rome<2/> speaks.",
        ),
        (
            "Leggi <1>il testo</1> completo &amp; firmato.",
            "Read <1>the full text</1> &amp; signed.",
        ),
        (
            "Un <1>avviso</1> e una foto <2/>.",
            "A <1>warning</1> and a photo <2/>.",
        ),
        (
            "Inizia <1/>qui e <2>Palazzo Chigi</2> risponde.",
            "Starts <1/>here and <2>Palazzo Chigi</2> replies.",
        ),
        (
            "Solo l'inizio <1>di un link.",
            "Only the start <1>of a link.",
        ),
    ];
    let (db, doc, out) = translated_job(dir.path(), "codes12.xlf", "xliff", &english_of);
    let original = std::fs::read("tests/fixtures/codes12.xlf").unwrap();
    let back = std::fs::read(&out).unwrap();
    assert_eq!(tree_without_targets(&back), tree_without_targets(&original));
    let back = String::from_utf8(back).unwrap();
    assert_eq!(
        targets(&back),
        [
            r#"<target state="translated">The <g id="1" ctype="bold">mayor</g> of Rome<x id="2" ctype="lb"/> speaks.</target>"#,
            r#"<target state="translated">Read <bx id="3" rid="3" ctype="link"/>the full text<ex id="4" rid="3"/> &amp; signed.</target>"#,
            r#"<target state="translated">A <bpt id="5" ctype="italic">&lt;i&gt;</bpt>warning<ept id="5">&lt;/i&gt;</ept> and a photo <ph id="6" ctype="image">&lt;img src="a.png"/&gt;</ph>.</target>"#,
            r#"<target state="translated">Starts <it id="7" pos="open" ctype="x-span">&lt;span&gt;</it>here and <mrk mtype="term">Palazzo Chigi</mrk> replies.</target>"#,
            r#"<target state="translated">Only the start <bx id="8" ctype="link"/>of a link.</target>"#,
        ]
    );
    assert_eq!(back.matches("approved=\"yes\"").count(), 5, "{back}");
    valid("xliff-1.2/xliff-core-1.2-strict.xsd", &out);

    let said = ok(run(&db, &["import-review", &doc, &out], ""));
    assert!(
        said.starts_with("0 targets changed, 0 statuses changed, 0 notes changed, 5 unchanged"),
        "{said}"
    );
    let ours = dir.path().join("ours.xlf");
    let ours = ours.to_str().unwrap();
    ok(run(
        &db,
        &["export", &doc, "--format", "xliff2", "--out", ours],
        "",
    ));
    valid("xliff-2.0/xliff_core_2.0.xsd", ours);
    let written = std::fs::read_to_string(ours).unwrap();
    assert!(
        written.contains(r#"<target>Read <pc id="1">the full text</pc> &amp; signed.</target>"#),
        "{written}"
    );
    assert!(written
        .contains(r#"<target>Only the start <sc id="1" isolated="yes"/>of a link.</target>"#));
    let said = ok(run(&db, &["import-review", &doc, ours], ""));
    assert!(
        said.starts_with("0 targets changed, 0 statuses changed, 0 notes changed, 5 unchanged"),
        "{said}"
    );
    let expected: Vec<&str> = english_of.iter().map(|(_, e)| *e).collect();
    assert_eq!(english(&db, &doc), expected);
}

/// Issue 18: the same for an XLIFF 2.0 job (pc and ph referring to their
/// original data, sc/ec across two segments of a unit, mrk, an isolated sc
/// and an isolated ec); our own XLIFF 1.2 of it comes back unchanged too.
#[test]
fn an_xliff_2_0_job_with_every_code_goes_back_out_with_its_codes() {
    let dir = tempfile::tempdir().expect("dir");
    let english_of = [
        (
            "Il <1>sindaco</1> di Roma<2/> parla.",
            "The <1>mayor</1> of Rome<2/> speaks.",
        ),
        (
            "Leggi <1>il testo completo &amp; firmato.",
            "Read <1>the full text &amp; signed.",
        ),
        ("Poi chiudi</1> la pagina.", "Then close</1> the page."),
        (
            "Un <1>termine</1> e <2>un link aperto.",
            "A <1>term</1> and <2>an open link.",
        ),
        ("Chiuso altrove</1>.", "Closed elsewhere</1>."),
    ];
    let (db, doc, out) = translated_job(dir.path(), "codes20.xlf", "xliff2", &english_of);
    let original = std::fs::read("tests/fixtures/codes20.xlf").unwrap();
    let back = std::fs::read(&out).unwrap();
    assert_eq!(tree_without_targets(&back), tree_without_targets(&original));
    let back = String::from_utf8(back).unwrap();
    assert_eq!(
        targets(&back),
        [
            r#"<target>The <pc id="1" dataRefStart="d1" dataRefEnd="d2">mayor</pc> of Rome<ph id="2" dataRef="d3"/> speaks.</target>"#,
            r#"<target>Read <sc id="3" type="link"/>the full text &amp; signed.</target>"#,
            r#"<target>Then close<ec startRef="3"/> the page.</target>"#,
            r#"<target>A <mrk id="m1" type="term">term</mrk> and <sc id="4" isolated="yes"/>an open link.</target>"#,
            r#"<target>Closed elsewhere<ec id="5" isolated="yes"/>.</target>"#,
        ]
    );
    assert_eq!(back.matches("state=\"translated\"").count(), 5, "{back}");
    valid("xliff-2.0/xliff_core_2.0.xsd", &out);

    let said = ok(run(&db, &["import-review", &doc, &out], ""));
    assert!(
        said.starts_with("0 targets changed, 0 statuses changed, 0 notes changed, 5 unchanged"),
        "{said}"
    );
    let ours = dir.path().join("ours.xlf");
    let ours = ours.to_str().unwrap();
    ok(run(
        &db,
        &["export", &doc, "--format", "xliff", "--out", ours],
        "",
    ));
    valid("xliff-1.2/xliff-core-1.2-strict.xsd", ours);
    let written = std::fs::read_to_string(ours).unwrap();
    assert!(
        written.contains(r#">The <g id="1" ctype="x-pc">mayor</g> of Rome<x id="2" ctype="x-ph"/> speaks.</target>"#),
        "{written}"
    );
    assert!(
        written.contains(r#">Then close<ex id="1"/> the page.</target>"#),
        "{written}"
    );
    let said = ok(run(&db, &["import-review", &doc, ours], ""));
    assert!(
        said.starts_with("0 targets changed, 0 statuses changed, 0 notes changed, 5 unchanged"),
        "{said}"
    );
    let expected: Vec<&str> = english_of.iter().map(|(_, e)| *e).collect();
    assert_eq!(english(&db, &doc), expected);
}
