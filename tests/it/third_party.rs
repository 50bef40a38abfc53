//! Other tools read the files we write: translate-toolkit (what Weblate and
//! Pootle read XLIFF and TMX with, and whose pofilter checks translations)
//! reads our XLIFF 1.2, XLIFF 2.0 and TMX exports, and an XLIFF its po2xliff
//! wrote comes in and goes back out readable.
//!
//! `./x test` installs translate-toolkit 3.20.4 in a virtual environment and
//! names its Python in `INTERLINEA_TRANSLATE_TOOLKIT`; CI must have it.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::tm::{lines, ok, run};

/// The Python of translate-toolkit's virtual environment, or `None` (with
/// the reason printed) where it is not installed; CI must have it.
pub(crate) fn translate_toolkit() -> Option<PathBuf> {
    let Some(python) = std::env::var_os("INTERLINEA_TRANSLATE_TOOLKIT") else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must set INTERLINEA_TRANSLATE_TOOLKIT (./x test does)"
        );
        eprintln!("INTERLINEA_TRANSLATE_TOOLKIT is not set: translate-toolkit not checked");
        return None;
    };
    Some(PathBuf::from(python))
}

/// One of translate-toolkit's commands (pofilter, po2xliff …), beside its
/// Python in the virtual environment.
fn tool(python: &Path, name: &str) -> PathBuf {
    python.with_file_name(name)
}

/// Every unit translate-toolkit reads in a file, as JSON: the store class
/// is named, not guessed (its factory does not route XLIFF 2.0).
const READ: &str = r#"
import json, sys
from translate.storage import tmx, xliff, xliff2
kind, path = sys.argv[1], sys.argv[2]
store = {"xliff": xliff.xlifffile, "xliff2": xliff2.Xliff2File, "tmx": tmx.tmxfile}[kind].parsefile(path)
units = []
for u in store.units:
    if u.isheader():
        continue
    units.append({
        "id": u.getid(),
        "source": u.source,
        "target": u.target or None,
        "fuzzy": u.isfuzzy(),
        "translated": u.istranslated(),
        "approved": u.isapproved() if hasattr(u, "isapproved") else None,
        "review": u.isreview() if hasattr(u, "isreview") else None,
        "state": u.get_state_n(),
    })
print(json.dumps(units))
"#;

fn read_with_translate_toolkit(python: &Path, kind: &str, file: &Path) -> Vec<Value> {
    let out = Command::new(python)
        .args(["-c", READ, kind])
        .arg(file)
        .output()
        .expect("the Python of INTERLINEA_TRANSLATE_TOOLKIT");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{kind}: {stderr}");
    match serde_json::from_slice(&out.stdout).expect("JSON") {
        Value::Array(units) => units,
        other => panic!("{other}"),
    }
}

/// A document's segments as `show` gives them.
fn segments(db: &Path, doc: &str) -> Vec<Value> {
    lines(&ok(run(db, &["show", doc, "--format", "jsonl"], "")))
}

/// A document's segments as `show` gives them, their source and target
/// (without codes) as plain text rather than in the notation.
fn plain_segments(db: &Path, doc: &str) -> Vec<Value> {
    let plain = |v: &Value| {
        v.as_str()
            .unwrap()
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&")
    };
    segments(db, doc)
        .into_iter()
        .map(|mut s| {
            s["source"] = plain(&s["source"]).into();
            s["target"] = plain(&s["target"]).into();
            s
        })
        .collect()
}

fn export(db: &Path, doc: &str, format: &str, file: &Path) {
    ok(run(
        db,
        &[
            "export",
            doc,
            "--format",
            format,
            "--out",
            file.to_str().unwrap(),
        ],
        "",
    ));
}

/// Five sentences in three paragraphs; text that needs escaping (& < >),
/// typographic quotes and a euro sign.
const ARTICLE: &str = "Il governo approva la manovra.\n\
Il Consiglio dei ministri ha approvato ieri sera la legge di bilancio. \
La spesa sale a 30 miliardi di euro, dice il ministro «con prudenza». \
Le opposizioni protestano & chiedono il voto sull'emendamento <A1>.\n\
Il testo passa ora al Parlamento.\n";

/// The article imported, with an English for four of its five segments:
/// translated, approved, draft, translated; the last left untranslated.
fn translated_article(dir: &Path, db: &Path) -> String {
    let article = dir.join("manovra.txt");
    std::fs::write(&article, ARTICLE).expect("write");
    let doc = ok(run(db, &["import", article.to_str().unwrap()], ""));
    let doc = doc.trim().to_string();
    let ids: Vec<String> = segments(db, &doc)
        .iter()
        .map(|s| s["id"].to_string())
        .collect();
    assert_eq!(ids.len(), 5, "{ids:?}");
    let english = [
        ("Government approves the budget.", "translated"),
        (
            "The cabinet approved the budget law last night.",
            "approved",
        ),
        (
            "Spending rises to €30bn, the minister says, “with caution”.",
            "draft",
        ),
        (
            "The opposition protests & demands a vote on amendment <A1>.",
            "translated",
        ),
    ];
    for (id, (text, status)) in ids.iter().zip(english) {
        let notation = text
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;");
        ok(run(
            db,
            &["set-target", &doc, id, &notation, "--status", status],
            "",
        ));
    }
    doc
}

/// The id translate-toolkit gives a unit, as our id: 1.2 joins the file's
/// `original` and the unit's id with U+0004, 2.0 the unit's and segment's
/// with `::`.
fn our_id(kind: &str, id: &str) -> String {
    match kind {
        "xliff" => id.rsplit('\u{4}').next().unwrap().to_string(),
        _ => id
            .split("::")
            .next()
            .unwrap()
            .trim_start_matches('u')
            .to_string(),
    }
}

/// translate-toolkit reads every unit of our XLIFF 1.2, XLIFF 2.0 and TMX
/// exports with the Italian and English we stored, no English where there
/// is none, and each segment's status as the state it stands for.
#[test]
fn translate_toolkit_reads_our_xliff_and_tmx_exports() {
    let Some(python) = translate_toolkit() else {
        return;
    };
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("ws.sqlite");
    let doc = translated_article(dir.path(), &db);
    let stored = plain_segments(&db, &doc);
    let statuses: Vec<&str> = stored
        .iter()
        .map(|s| s["status"].as_str().unwrap())
        .collect();
    assert_eq!(
        statuses,
        ["translated", "approved", "draft", "translated", "new"]
    );

    for kind in ["xliff", "xliff2"] {
        let file = dir.path().join(format!("manovra.{kind}"));
        export(&db, &doc, kind, &file);
        let units = read_with_translate_toolkit(&python, kind, &file);
        assert_eq!(units.len(), stored.len(), "{kind}: {units:?}");
        for (unit, segment) in units.iter().zip(&stored) {
            let what = format!("{kind}: {unit}");
            assert_eq!(
                our_id(kind, unit["id"].as_str().unwrap()),
                segment["id"].to_string(),
                "{what}"
            );
            assert_eq!(unit["source"], segment["source"], "{what}");
            let status = segment["status"].as_str().unwrap();
            if status == "new" {
                assert_eq!(unit["target"], Value::Null, "{what}");
                assert_eq!(unit["translated"], false, "{what}");
                assert_eq!(unit["fuzzy"], false, "{what}");
                continue;
            }
            assert_eq!(unit["target"], segment["target"], "{what}");
            let (translated, fuzzy) = (&unit["translated"], &unit["fuzzy"]);
            match (kind, status) {
                (_, "approved") => {
                    assert_eq!((translated, fuzzy), (&true.into(), &false.into()), "{what}");
                    assert_eq!(unit["approved"], true, "{what}");
                }
                (_, "draft") => {
                    assert_eq!((translated, fuzzy), (&false.into(), &true.into()), "{what}");
                    assert_eq!(unit["approved"], false, "{what}");
                }
                ("xliff2", "translated") => {
                    assert_eq!((translated, fuzzy), (&true.into(), &false.into()), "{what}");
                    assert_eq!(unit["approved"], false, "{what}");
                }
                // translate-toolkit's XLIFF 1.2 calls every unit fuzzy that
                // has English and no approved="yes", whatever its state
                // (isfuzzy = not approved and target), and marks a unit it
                // translates approved="yes" with state="translated": so do
                // we.
                ("xliff", "translated") => {
                    assert_eq!((translated, fuzzy), (&true.into(), &false.into()), "{what}");
                    assert_eq!(unit["approved"], true, "{what}");
                    assert_eq!(unit["review"], false, "{what}");
                }
                _ => unreachable!("{what}"),
            }
            // XLIFF 1.2 states as translate-toolkit's workflow numbers them
            // (needs review 80, translated 100, final 120); it gives 2.0
            // none.
            if kind == "xliff" {
                let state = match status {
                    "draft" => 80,
                    "translated" => 100,
                    _ => 120,
                };
                assert_eq!(unit["state"], state, "{what}");
            }
        }
    }

    // The TMX holds the confirmed segments, translated and approved.
    let file = dir.path().join("manovra.tmx");
    export(&db, &doc, "tmx", &file);
    let units = read_with_translate_toolkit(&python, "tmx", &file);
    let confirmed: Vec<(&Value, &Value)> = stored
        .iter()
        .filter(|s| s["status"] == "translated" || s["status"] == "approved")
        .map(|s| (&s["source"], &s["target"]))
        .collect();
    let read: Vec<(&Value, &Value)> = units.iter().map(|u| (&u["source"], &u["target"])).collect();
    assert_eq!(read, confirmed);
    for unit in &units {
        assert_eq!(
            (&unit["translated"], &unit["fuzzy"]),
            (&true.into(), &false.into()),
            "{unit}"
        );
    }
}

/// The units pofilter's output file lists, by id, with its notes.
fn pofilter(python: &Path, test: &str, file: &Path) -> Vec<(String, String)> {
    let out_file = file.with_extension("pofilter.xlf");
    let out = Command::new(tool(python, "pofilter"))
        .args(["--progress=none", &format!("--test={test}")])
        .arg(file)
        .arg(&out_file)
        .output()
        .expect("pofilter");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    // Without anything to say, pofilter may leave no file at all.
    let Ok(flagged) = std::fs::read_to_string(&out_file) else {
        return Vec::new();
    };
    let mut units = Vec::new();
    for unit in flagged.split("<trans-unit ").skip(1) {
        let id = unit
            .split("id=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .expect("an id");
        let note = unit
            .split("<note from=\"pofilter\">")
            .nth(1)
            .and_then(|rest| rest.split("</note>").next())
            .unwrap_or_default();
        units.push((id.to_string(), note.to_string()));
    }
    units
}

/// pofilter's xmltags check finds nothing in our XLIFF 1.2 export, where a
/// source and its English carry the same tag-like text (`<A1>`), and flags
/// a copy where one English lost the tag its Italian has. It checks text,
/// not XLIFF's inline codes: an `<x/>` in a source alone is not flagged.
#[test]
fn pofilter_checks_our_xliff_export() {
    let Some(python) = translate_toolkit() else {
        return;
    };
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("ws.sqlite");
    let doc = translated_article(dir.path(), &db);
    let file = dir.path().join("manovra.xlf");
    export(&db, &doc, "xliff", &file);
    assert_eq!(pofilter(&python, "xmltags", &file), []);

    let xliff = std::fs::read_to_string(&file).expect("xliff");
    let id = segments(&db, &doc)[3]["id"].to_string();
    let lost = "a vote on amendment &lt;A1&gt;.</target>";
    assert!(xliff.contains(lost), "{xliff}");
    let broken = dir.path().join("broken.xlf");
    std::fs::write(
        &broken,
        xliff.replace(lost, "a vote on amendment A1.</target>"),
    )
    .expect("write");
    assert_eq!(
        pofilter(&python, "xmltags", &broken),
        [(id, "xmltags: Different XML tags".to_string())]
    );

    let source = "<source xml:lang=\"it\">Il governo approva la manovra.</source>";
    assert!(xliff.contains(source), "{xliff}");
    let coded = dir.path().join("coded.xlf");
    std::fs::write(
        &coded,
        xliff.replace(
            source,
            "<source xml:lang=\"it\">Il governo <x id=\"1\"/>approva la manovra.</source>",
        ),
    )
    .expect("write");
    assert_eq!(pofilter(&python, "xmltags", &coded), []);
}

/// An XLIFF translate-toolkit's po2xliff made from a PO file becomes a
/// document (the PO header left out), takes an English, and its XLIFF export
/// reads back in translate-toolkit with the PO's sources and our English.
#[test]
fn an_xliff_from_po2xliff_comes_in_and_goes_back_out() {
    let Some(python) = translate_toolkit() else {
        return;
    };
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("ws.sqlite");
    let po = dir.path().join("ponte.po");
    std::fs::write(
        &po,
        r#"msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"
"Language: en\n"

#: ponte.txt:1
msgid "Il sindaco inaugura il ponte."
msgstr "The mayor opens the bridge."

msgid "La cerimonia dura un'ora & mezza."
msgstr ""

#, fuzzy
msgid "Poi il corteo attraversa la città."
msgstr "Then the parade crosses town."
"#,
    )
    .expect("write");
    let from_po = dir.path().join("ponte.xlf");
    let out = Command::new(tool(&python, "po2xliff"))
        .arg("--progress=none")
        .arg(&po)
        .arg(&from_po)
        .output()
        .expect("po2xliff");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let doc = ok(run(&db, &["import", from_po.to_str().unwrap()], ""));
    let doc = doc.trim();
    let stored = plain_segments(&db, doc);
    let read: Vec<(&str, &str, &str)> = stored
        .iter()
        .map(|s| {
            (
                s["source"].as_str().unwrap(),
                s["target"].as_str().unwrap(),
                s["status"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        read,
        [
            // approved="yes" with state="translated", as po2xliff writes a
            // translated PO entry.
            (
                "Il sindaco inaugura il ponte.",
                "The mayor opens the bridge.",
                "translated"
            ),
            ("La cerimonia dura un'ora & mezza.", "", "new"),
            (
                "Poi il corteo attraversa la città.",
                "Then the parade crosses town.",
                "draft"
            ),
        ]
    );
    let id = stored[1]["id"].to_string();
    ok(run(
        &db,
        &[
            "set-target",
            doc,
            &id,
            "The ceremony lasts an hour &amp; a half.",
        ],
        "",
    ));

    let back = dir.path().join("ponte.en.xlf");
    export(&db, doc, "xliff", &back);
    let units = read_with_translate_toolkit(&python, "xliff", &back);
    let read: Vec<(&str, &str)> = units
        .iter()
        .map(|u| (u["source"].as_str().unwrap(), u["target"].as_str().unwrap()))
        .collect();
    assert_eq!(
        read,
        [
            (
                "Il sindaco inaugura il ponte.",
                "The mayor opens the bridge."
            ),
            (
                "La cerimonia dura un'ora & mezza.",
                "The ceremony lasts an hour & a half."
            ),
            (
                "Poi il corteo attraversa la città.",
                "Then the parade crosses town."
            ),
        ]
    );
    let fuzzy: Vec<&Value> = units.iter().map(|u| &u["fuzzy"]).collect();
    // The English set here is translated (approved="yes"), the PO's fuzzy
    // one still a draft.
    assert_eq!(fuzzy, [false, false, true], "{units:?}");
}

/// A job from another tool, exported back as the same file, reads in
/// translate-toolkit with its own ids and our English.
#[test]
fn another_tools_job_goes_back_out_readable() {
    let Some(python) = translate_toolkit() else {
        return;
    };
    let dir = tempfile::tempdir().expect("dir");
    for (fixture, format, ids) in [
        ("job12.xlf", "xliff", ["tu-1", "tu-2", "tu-5"]),
        ("job20.xlf", "xliff2", ["u1::s1", "u1::s2", "u4"]),
    ] {
        let out = crate::export::same_file_export(dir.path(), fixture, format);
        let units = read_with_translate_toolkit(&python, format, Path::new(&out));
        let english: Vec<(&str, &str)> = units
            .iter()
            .filter(|u| !u["target"].is_null())
            .map(|u| {
                let id = u["id"].as_str().unwrap();
                // 1.2 ids are given with the file's `original` before them.
                let id = id.rsplit('\u{4}').next().unwrap();
                (id, u["target"].as_str().unwrap())
            })
            .filter(|(id, _)| ids.contains(id))
            .collect();
        assert_eq!(
            english,
            [
                (ids[0], "The mayor opens the bridge."),
                (ids[1], "The ceremony lasts an hour and a half."),
                (ids[2], "Traffic & buses <resume> at 6pm."),
            ],
            "{units:?}"
        );
    }
}

/// Each unit translate-toolkit reads, with the inline codes of its source
/// and target as it parses them (`[kind, id]`, kind its placeable class or
/// the element's name).
const CODES: &str = r#"
import json, sys
from translate.storage import xliff, xliff2
from translate.storage.placeables import StringElem
kind, path = sys.argv[1], sys.argv[2]
store = {"xliff": xliff.xlifffile, "xliff2": xliff2.Xliff2File}[kind].parsefile(path)
def codes(rich):
    out = []
    def walk(e):
        if type(e) is not StringElem:
            name = getattr(e, "xml_node", None)
            name = name.tag.split("}")[-1] if name is not None else type(e).__name__.lower()
            out.append([name, str(getattr(e, "id", ""))])
        for sub in getattr(e, "sub", []):
            if not isinstance(sub, str):
                walk(sub)
    for e in rich or []:
        walk(e)
    return out
print(json.dumps([{"id": u.getid(), "source": u.source, "target": u.target or None,
    "fuzzy": u.isfuzzy(), "source_codes": codes(u.rich_source),
    "target_codes": codes(u.rich_target) if u.target else []} for u in store.units]))
"#;

fn codes_with_translate_toolkit(python: &Path, kind: &str, file: &Path) -> Vec<Value> {
    let out = Command::new(python)
        .args(["-c", CODES, kind])
        .arg(file)
        .output()
        .expect("the Python of INTERLINEA_TRANSLATE_TOOLKIT");
    assert!(
        out.status.success(),
        "{kind}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    match serde_json::from_slice(&out.stdout).expect("JSON") {
        Value::Array(units) => units,
        other => panic!("{other}"),
    }
}

/// The codes of a unit, in order, kinds and ids as a multiset.
fn sorted(codes: &Value) -> Vec<String> {
    let mut out: Vec<String> = codes
        .as_array()
        .unwrap()
        .iter()
        .map(|c| format!("{}#{}", c[0].as_str().unwrap(), c[1].as_str().unwrap()))
        .collect();
    out.sort();
    out
}

/// Issue 18: translate-toolkit reads every inline code of our XLIFF — the
/// job's own file written back (1.2 g/x/bx/ex/bpt/ept/ph/it/mrk, 2.0
/// pc/ph/sc/ec/mrk) and our own files of the other version — with each
/// English holding the codes of its source, not fuzzy. pofilter's xmltags
/// check finds nothing in them. It checks tag-like text only, not XLIFF's
/// inline codes (see `pofilter_checks_our_xliff_export`): an English that
/// lost its `<g>` is not flagged by it, but translate-toolkit's reading
/// shows the code missing.
#[test]
fn translate_toolkit_reads_every_inline_code_we_write() {
    let Some(python) = translate_toolkit() else {
        return;
    };
    let dir = tempfile::tempdir().expect("dir");
    let jobs = [
        (
            "codes12.xlf",
            "xliff",
            "xliff2",
            [
                "The <1>mayor</1> of Rome<2/> speaks.",
                "Read <1>the full text</1> &amp; signed.",
                "A <1>warning</1> and a photo <2/>.",
                "Starts <1/>here and <2>Palazzo Chigi</2> replies.",
                "Only the start <1>of a link.",
            ],
        ),
        (
            "codes20.xlf",
            "xliff2",
            "xliff",
            [
                "The <1>mayor</1> of Rome<2/> speaks.",
                "Read <1>the full text &amp; signed.",
                "Then close</1> the page.",
                "A <1>term</1> and <2>an open link.",
                "Closed elsewhere</1>.",
            ],
        ),
    ];
    for (fixture, own, other, english) in jobs {
        let db = dir.path().join(format!("{fixture}.sqlite"));
        let doc = ok(run(
            &db,
            &["import", &format!("tests/fixtures/{fixture}")],
            "",
        ));
        let doc = doc.trim();
        let stored = segments(&db, doc);
        for (segment, english) in stored.iter().zip(english) {
            let id = segment["id"].to_string();
            ok(run(
                &db,
                &["set-target", doc, &id, english, "--status", "translated"],
                "",
            ));
        }
        for format in [own, other] {
            let file = dir.path().join(format!("{fixture}.{format}.xlf"));
            export(&db, doc, format, &file);
            let units = codes_with_translate_toolkit(&python, format, &file);
            assert_eq!(units.len(), 5, "{fixture} as {format}: {units:?}");
            for (unit, english) in units.iter().zip(english) {
                let what = format!("{fixture} as {format}: {unit}");
                assert!(
                    !unit["source_codes"].as_array().unwrap().is_empty(),
                    "{what}"
                );
                assert_eq!(
                    sorted(&unit["target_codes"]),
                    sorted(&unit["source_codes"]),
                    "{what}"
                );
                // translate-toolkit gives native code (<bpt>'s, <ph>'s) as
                // text: compared without anything in angle brackets.
                let untagged = |text: &str| -> String {
                    text.split('<')
                        .enumerate()
                        .map(|(i, part)| match i {
                            0 => part,
                            _ => part.split_once('>').map_or(part, |p| p.1),
                        })
                        .collect::<String>()
                        .replace("&amp;", "&")
                };
                assert_eq!(
                    untagged(unit["target"].as_str().unwrap()),
                    untagged(english),
                    "{what}"
                );
                assert_eq!(unit["fuzzy"], false, "{what}");
            }
            if format == "xliff" {
                assert_eq!(pofilter(&python, "xmltags", &file), [], "{fixture}");
            }
        }
    }

    // The 1.2 job's first English without its <g>.
    let file = dir.path().join("codes12.xlf.xliff.xlf");
    let xliff = std::fs::read_to_string(&file).expect("xliff");
    let lost = xliff.replacen(r#"<g id="1" ctype="bold">mayor</g>"#, "mayor", 1);
    assert_ne!(lost, xliff);
    let broken = dir.path().join("lost.xlf");
    std::fs::write(&broken, lost).expect("write");
    let units = codes_with_translate_toolkit(&python, "xliff", &broken);
    assert_ne!(
        sorted(&units[0]["target_codes"]),
        sorted(&units[0]["source_codes"])
    );
    assert_eq!(pofilter(&python, "xmltags", &broken), []);
}

/// Issue 18: an XLIFF translate-toolkit writes with `<g>` and `<x/>` codes
/// (through its own API, as Pootle and Weblate do) becomes a document whose
/// segments have the codes; translated and exported, it is the same XML
/// but for targets and states, and translate-toolkit reads the English with
/// the same codes, not fuzzy.
#[test]
fn an_xliff_translate_toolkit_writes_with_codes_comes_back_intact() {
    let Some(python) = translate_toolkit() else {
        return;
    };
    let dir = tempfile::tempdir().expect("dir");
    let job = dir.path().join("tt.xlf");
    let script = r#"
import sys
from translate.storage import xliff
from translate.storage.placeables import StringElem
from translate.storage.placeables.xliff import G, X
store = xliff.xlifffile(sourcelanguage="it", targetlanguage="en")
u = store.addsourceunit("x")
u.rich_source = [StringElem(["Il ", G(id="1", sub=["sindaco"]), " di Roma", X(id="2"), " parla."])]
u.setid("p1")
u = store.addsourceunit("Nessun codice & niente altro.")
u.setid("p2")
open(sys.argv[1], "wb").write(bytes(store))
"#;
    let out = Command::new(&python)
        .args(["-c", script])
        .arg(&job)
        .output()
        .expect("python");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let original = std::fs::read(&job).expect("job");
    assert!(String::from_utf8_lossy(&original).contains(r#"<g id="1">sindaco</g>"#));

    let db = dir.path().join("ws.sqlite");
    let doc = ok(run(&db, &["import", job.to_str().unwrap()], ""));
    let doc = doc.trim();
    let stored = segments(&db, doc);
    let sources: Vec<&str> = stored
        .iter()
        .map(|s| s["source"].as_str().unwrap())
        .collect();
    assert_eq!(
        sources,
        [
            "Il <1>sindaco</1> di Roma<2/> parla.",
            "Nessun codice &amp; niente altro."
        ]
    );
    for (segment, english) in stored.iter().zip([
        "The <1>mayor</1> of Rome<2/> speaks.",
        "No code &amp; nothing else.",
    ]) {
        let id = segment["id"].to_string();
        ok(run(
            &db,
            &["set-target", doc, &id, english, "--status", "translated"],
            "",
        ));
    }
    let back = dir.path().join("tt.en.xlf");
    export(&db, doc, "xliff", &back);
    let written = std::fs::read(&back).expect("back");
    assert_eq!(
        crate::export::tree_without_targets(&written),
        crate::export::tree_without_targets(&original)
    );
    let units = codes_with_translate_toolkit(&python, "xliff", &back);
    let read: Vec<(&str, Vec<String>, &Value)> = units
        .iter()
        .map(|u| {
            (
                u["target"].as_str().unwrap(),
                sorted(&u["target_codes"]),
                &u["fuzzy"],
            )
        })
        .collect();
    assert_eq!(
        read,
        [
            (
                "The mayor of Rome speaks.",
                vec!["g#1".to_string(), "x#2".to_string()],
                &Value::Bool(false)
            ),
            ("No code & nothing else.", vec![], &Value::Bool(false)),
        ]
    );
}

/// Issue 18: a segment confirmed with a link and a line break goes into the
/// workspace TM with its codes, `tm export` writes them as TMX `<bpt>`,
/// `<ept>` and `<ph>` holding the original markup, and translate-toolkit
/// reads the unit with that markup where the codes were.
#[test]
fn translate_toolkit_reads_the_codes_of_our_tmx() {
    use interlinea::document::InlineCode;
    use interlinea::text::codes::Mark;
    let Some(python) = translate_toolkit() else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("ws.sqlite");
    let (o, c, s) = (
        Mark::Open(1).char(),
        Mark::Close(1).char(),
        Mark::Standalone(0).char(),
    );
    {
        let mut ws = interlinea::Workspace::open(&db).expect("workspace");
        let doc = interlinea::Document {
            format: interlinea::SourceFormat::Html,
            blocks: vec![interlinea::Block {
                kind: interlinea::BlockKind::Paragraph,
                text: format!("Il sindaco di {o}Roma{c} & co. ha parlato.{s}"),
                codes: vec![
                    InlineCode {
                        element: "br".into(),
                        open: "<br>".into(),
                        ..InlineCode::default()
                    },
                    InlineCode {
                        element: "a".into(),
                        open: r#"<a href="https://example.org/?a=1&amp;b=2">"#.into(),
                        close: "</a>".into(),
                        title: "https://example.org/?a=1&b=2".into(),
                    },
                ],
                translatable: interlinea::Translatable::Yes,
            }],
        };
        let doc = ws
            .add_document(
                "a",
                None,
                &doc,
                &interlinea::Segmenter::italian::<&str>(&[]),
            )
            .expect("document");
        let segment = ws.segments(doc).expect("segments")[0].id;
        interlinea::tm::set_target(
            &mut ws,
            None,
            doc,
            segment,
            &format!("The mayor of {o}Rome{c} & co. spoke.{s}"),
            interlinea::Status::Translated,
            false,
        )
        .expect("confirm");
    }
    let file = dir.path().join("workspace.tmx");
    ok(run(
        &db,
        &["tm", "export", "--out", file.to_str().unwrap()],
        "",
    ));
    let xml = std::fs::read_to_string(&file).expect("exported");
    assert!(
        xml.contains(r#"<ph x="2">&lt;br&gt;</ph>"#)
            && xml.contains(r#"<ept i="1">&lt;/a&gt;</ept>"#),
        "{xml}"
    );
    let units = read_with_translate_toolkit(&python, "tmx", &file);
    let read: Vec<(&Value, &Value)> = units.iter().map(|u| (&u["source"], &u["target"])).collect();
    let link = r#"<a href="https://example.org/?a=1&amp;b=2">"#;
    assert_eq!(
        read,
        [(
            &Value::from(format!(
                "Il sindaco di {link}Roma</a> & co. ha parlato.<br>"
            )),
            &Value::from(format!("The mayor of {link}Rome</a> & co. spoke.<br>"))
        )]
    );
}
