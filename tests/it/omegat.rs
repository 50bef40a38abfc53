//! OmegaT reads what we write: OmegaT 3.6 (Debian 12's `omegat`) in
//! console mode, in a project built by hand, applies the exact matches of our
//! TMX export from `tm/auto/` and reads our OmegaT and TBX-Basic glossary
//! exports with its own glossary readers.
//!
//! `./x test` installs Debian's `omegat`; CI must have it on the PATH.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::tm::{lines, ok, run};

/// The `omegat` launcher on the PATH, or `None` (with the reason printed)
/// where it is not installed; CI must have it.
fn omegat() -> Option<PathBuf> {
    let found = std::env::var_os("PATH").and_then(|path| {
        std::env::split_paths(&path)
            .map(|dir| dir.join("omegat"))
            .find(|launcher| launcher.is_file())
    });
    if found.is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must have omegat on the PATH (./x test installs Debian's package)"
        );
        eprintln!("omegat is not on the PATH: OmegaT not checked");
    }
    found
}

/// A one-file article: five sentences in three lines, text that needs
/// escaping in XML (& < >), typographic quotes, an apostrophe and a euro
/// sign in the English.
const ARTICLE: &str = "Il governo approva la manovra.\n\
Il Consiglio dei ministri ha approvato ieri sera la legge di bilancio. \
La spesa sale a 30 miliardi di euro, dice il ministro «con prudenza». \
Le opposizioni protestano & chiedono il voto sull'emendamento <A1>.\n\
Il testo passa ora al Parlamento.\n";

/// The English given to the article's segments in `set-target`'s notation,
/// with the status each gets; the last segment is left untranslated.
const ENGLISH: [(&str, &str); 4] = [
    ("Government approves the budget.", "approved"),
    ("The cabinet approved the budget law last night.", "draft"),
    (
        "Spending rises to €30bn, the minister says, “with caution”.",
        "translated",
    ),
    (
        "The opposition protests &amp; demands a vote on amendment &lt;A1&gt;.",
        "translated",
    ),
];

/// The article as OmegaT writes it: the confirmed segments (in our TM, so in
/// the TMX) in English, the draft and the untranslated one in Italian.
const TRANSLATED: &str = "Government approves the budget.\n\
Il Consiglio dei ministri ha approvato ieri sera la legge di bilancio. \
Spending rises to €30bn, the minister says, “with caution”. \
The opposition protests & demands a vote on amendment <A1>.\n\
Il testo passa ora al Parlamento.\n";

/// Glossary entries: Italian, English, note.
const TERMS: [(&str, &str, &str); 3] = [
    ("città", "city", "«urbe» & <borgo>"),
    ("legge di bilancio", "budget law", "la manovra"),
    ("Consiglio dei ministri", "cabinet", ""),
];

/// A project as OmegaT 3.6 wants it: Italian into English, its default
/// folders, every one of which must exist (`omegat/` and `target/` too).
const PROJECT: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<omegat>
  <project version="1.0">
    <source_dir>__DEFAULT__</source_dir>
    <target_dir>__DEFAULT__</target_dir>
    <tm_dir>__DEFAULT__</tm_dir>
    <glossary_dir>__DEFAULT__</glossary_dir>
    <glossary_file>__DEFAULT__</glossary_file>
    <dictionary_dir>__DEFAULT__</dictionary_dir>
    <source_lang>it</source_lang>
    <target_lang>en</target_lang>
    <sentence_seg>true</sentence_seg>
  </project>
</omegat>
"#;

/// Console mode has no glossary pane, so OmegaT 3.6 loads no glossary by
/// itself there; this script, which `--script` runs once the project is
/// translated, hands every file of the project's `glossary/` to OmegaT's own
/// `GlossaryManager.loadGlossaryFile` (the reader chosen by extension, as
/// the GUI does: `.txt` the tab-separated one, `.tbx` the TBX one) and writes
/// each entry it read as `file⇥term⇥translation⇥comment`, a comment's line
/// breaks as `\n`, to OUT.
const READ_GLOSSARIES: &str = r#"
import org.omegat.core.Core
import org.omegat.gui.glossary.GlossaryManager
if (eventType.toString() != "COMPILE") return "waiting for COMPILE"
def props = Core.getProject().getProjectProperties()
def manager = new GlossaryManager(null)
manager.priorityGlossary = new File(props.getWriteableGlossary())
def out = new StringBuilder()
new File(props.getGlossaryRoot()).listFiles().sort { it.name }.each { file ->
    manager.loadGlossaryFile(file).each { entry ->
        out << file.name << '\t' << entry.getSrcText() << '\t' << entry.getLocText() << '\t'
        out << entry.getCommentText().replace('\n', '\\n') << '\n'
    }
}
new File('OUT').setText(out.toString(), 'UTF-8')
return "glossaries read"
"#;

/// Our TMX export in `tm/auto/` is applied by OmegaT's console translation:
/// the segments with an exact match in it come out in our English (escaped
/// text and typographic characters intact), a draft (not in the TM) and an
/// untranslated segment stay Italian. In the same run OmegaT's glossary
/// readers read every entry of our OmegaT glossary and our TBX-Basic export.
#[test]
fn omegat_applies_our_tmx_and_reads_our_glossaries() {
    let Some(omegat) = omegat() else {
        return;
    };
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("ws.sqlite");
    let project = dir.path().join("project");
    for folder in ["source", "target", "tm/auto", "glossary", "omegat"] {
        std::fs::create_dir_all(project.join(folder)).expect("folder");
    }
    std::fs::write(project.join("omegat.project"), PROJECT).expect("write");

    // The article, translated in Interlinea: its confirmed segments go to the
    // TM, which is exported into the project's tm/auto.
    let article = project.join("source/manovra.txt");
    std::fs::write(&article, ARTICLE).expect("write");
    let doc = ok(run(&db, &["import", path(&article)], ""));
    let doc = doc.trim();
    let segments = lines(&ok(run(&db, &["show", doc, "--format", "jsonl"], "")));
    assert_eq!(segments.len(), 5, "{segments:?}");
    for (segment, (english, status)) in segments.iter().zip(ENGLISH) {
        let id = segment["id"].to_string();
        ok(run(
            &db,
            &["set-target", doc, &id, english, "--status", status],
            "",
        ));
    }
    let tmx = project.join("tm/auto/interlinea.tmx");
    let out = ok(run(&db, &["tm", "export", "--out", path(&tmx)], ""));
    assert!(out.contains("3 units written"), "{out}");

    for (italian, english, note) in TERMS {
        let mut args = vec!["glossary", "add", italian, english, "--glossary", "Desk"];
        if !note.is_empty() {
            args.extend(["--note", note]);
        }
        ok(run(&db, &args, ""));
    }
    for (format, file) in [("omegat", "glossary.txt"), ("tbx-basic", "desk.tbx")] {
        let file = project.join("glossary").join(file);
        ok(run(
            &db,
            &[
                "glossary",
                "export",
                "--format",
                format,
                "--out",
                path(&file),
                "--glossary",
                "Desk",
            ],
            "",
        ));
    }

    let read = dir.path().join("glossaries-read.tsv");
    let script = dir.path().join("read-glossaries.groovy");
    std::fs::write(&script, READ_GLOSSARIES.replace("OUT", path(&read))).expect("write");
    let log = run_omegat(&omegat, &project, &script, &dir.path().join("config"));

    let translated = std::fs::read_to_string(project.join("target/manovra.txt"))
        .unwrap_or_else(|e| panic!("OmegaT's translation: {e}\n{log}"));
    assert_eq!(translated, TRANSLATED, "{log}");

    let read = std::fs::read_to_string(&read)
        .unwrap_or_else(|e| panic!("the glossaries OmegaT read: {e}\n{log}"));
    let entries: Vec<Vec<&str>> = read.lines().map(|l| l.split('\t').collect()).collect();
    // OmegaT's TSV reader gives each line's three columns as they are.
    let from_tsv: Vec<Vec<&str>> = entries
        .iter()
        .filter(|e| e[0] == "glossary.txt")
        .map(|e| e[1..].to_vec())
        .collect();
    let terms: Vec<Vec<&str>> = TERMS
        .iter()
        .map(|(italian, english, note)| vec![*italian, *english, *note])
        .collect();
    assert_eq!(from_tsv, terms, "{read}");
    // Its TBX reader gives a term's notes as the comment, the entry's note
    // first and then our administrative status, which it shows as text.
    let from_tbx: Vec<&Vec<&str>> = entries.iter().filter(|e| e[0] == "desk.tbx").collect();
    assert_eq!(from_tbx.len(), TERMS.len(), "{read}");
    for (entry, (italian, english, note)) in from_tbx.iter().zip(TERMS) {
        assert_eq!(entry[1..3], [italian, english], "{read}");
        let comment: Vec<&str> = entry[3].split("\\n").collect();
        let expected = match note {
            "" => vec!["preferredTerm-admn-sts"],
            note => vec![note, "preferredTerm-admn-sts"],
        };
        assert_eq!(comment, expected, "{read}");
    }
}

fn path(file: &Path) -> &str {
    file.to_str().expect("a UTF-8 path")
}

/// `omegat --mode=console-translate` on the project with the script, its
/// configuration kept in a folder of the test's; its log, which it must end
/// without an error.
fn run_omegat(omegat: &Path, project: &Path, script: &Path, config: &Path) -> String {
    // Debian's launcher passes its arguments on unquoted ($*): no spaces.
    for arg in [project, script, config] {
        assert!(!path(arg).contains(' '), "{arg:?}");
    }
    let out = Command::new(omegat)
        .arg(project)
        .arg("--mode=console-translate")
        .arg(format!("--config-dir={}", path(config)))
        .arg(format!("--script={}", path(script)))
        .arg("--no-team")
        .output()
        .expect("run omegat");
    let log = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{log}");
    let errors: Vec<&str> = log.lines().filter(|l| l.contains(": Error: ")).collect();
    assert_eq!(errors, Vec::<&str>::new(), "{log}");
    log
}
