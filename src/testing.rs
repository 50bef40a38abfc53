//! Helpers shared by the unit tests.

use std::path::Path;

/// Validates `xml` with xmllint against a schema in `../shared/data/schemas`
/// (`flag` is `--dtdvalid`, `--relaxng` or `--schema`). Returns false, and
/// says so, when the schema is not beside the checkout.
pub fn xmllint(flag: &str, schema: &str, xml: &[u8]) -> bool {
    let schema = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/data/schemas")
        .join(schema);
    if !schema.exists() {
        eprintln!("{} is not here: validity not checked", schema.display());
        return false;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("file.xml");
    std::fs::write(&file, xml).expect("write the file");
    let out = std::process::Command::new("xmllint")
        .args(["--noout", "--nonet", flag])
        .arg(&schema)
        .arg(&file)
        .output()
        .expect("xmllint must be installed (libxml2-utils)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    true
}

/// The sample article shipped in `seeds/`.
pub const SAMPLE: &str = include_str!("../seeds/000_da66b3da442e8d8e.txt");

/// An in-memory workspace holding `text` imported as file `name`.
pub fn workspace_with(name: &str, text: &str) -> (crate::store::Workspace, i64) {
    let mut ws = crate::store::Workspace::open_in_memory().expect("in-memory workspace");
    let doc = crate::import_bytes(name, None, text.as_bytes()).expect("import");
    let id = ws
        .add_document(
            name,
            Some(name),
            &doc,
            &crate::Segmenter::italian::<&str>(&[]),
        )
        .expect("store the document");
    (ws, id)
}

/// Imports units `(Italian, English)` — each side a TMX `<seg>`'s inner
/// XML — into TM "news" of `ws`; returns the ids of those added.
pub fn import_units(
    ws: &mut crate::store::Workspace,
    units: &[(&str, &str)],
    read_only: bool,
) -> Vec<i64> {
    let mut tmx = String::from(r#"<tmx version="1.4"><header srclang="it"/><body>"#);
    for (source, target) in units {
        tmx.push_str(&format!(
            r#"<tu><tuv xml:lang="it"><seg>{source}</seg></tuv><tuv xml:lang="en"><seg>{target}</seg></tuv></tu>"#
        ));
    }
    tmx.push_str("</body></tmx>");
    let mut ids = Vec::new();
    ws.import_tmx(
        tmx.as_bytes(),
        "news",
        read_only,
        &mut |_, _| {},
        &mut |id, _| ids.push(id),
    )
    .expect("import the units");
    ids
}

/// One sentence per kind of typographic variant, as a news site writes it
/// and as it is typed on a plain keyboard: (kind, typographic, plain).
pub const TYPOGRAPHY_PAIRS: [(&str, &str, &str); 9] = [
    (
        "’ for '",
        "Se c’è un incendio, non usate l’ascensore.",
        "Se c'è un incendio, non usate l'ascensore.",
    ),
    (
        "ʼ for '",
        "Serve un poʼ di pazienza per lʼesito del voto.",
        "Serve un po' di pazienza per l'esito del voto.",
    ),
    (
        "‘ ’ for '",
        "Il cosiddetto ‘decreto flussi’ è stato approvato ieri.",
        "Il cosiddetto 'decreto flussi' è stato approvato ieri.",
    ),
    (
        "“ ” for \"",
        "Il ministro ha detto “basta” ai sindacati.",
        "Il ministro ha detto \"basta\" ai sindacati.",
    ),
    (
        "« » for \"",
        "La premier ha parlato di «svolta storica» per il Paese.",
        "La premier ha parlato di \"svolta storica\" per il Paese.",
    ),
    (
        "– for -",
        "Il vertice Mosca–Pyongyang preoccupa la Nato.",
        "Il vertice Mosca-Pyongyang preoccupa la Nato.",
    ),
    (
        "— for -",
        "Il governo — dice il portavoce — non cadrà.",
        "Il governo - dice il portavoce - non cadrà.",
    ),
    (
        "no-break space for space",
        "Il sindaco di Reggio\u{A0}Emilia si è dimesso.",
        "Il sindaco di Reggio Emilia si è dimesso.",
    ),
    (
        "narrow no-break space for space",
        "Erano in 10\u{202F}000 in piazza secondo la questura.",
        "Erano in 10 000 in piazza secondo la questura.",
    ),
];

/// The score a typographic variant gets against its plain form: spaces are
/// not tokens, every other variant is one punctuation point.
pub fn typography_score(kind: &str) -> u32 {
    if kind.ends_with("for space") {
        100
    } else {
        99
    }
}

/// A membership of `user`, a translator, in the team "desk" of a server
/// that is not there (nothing listens on port 1), with no token kept.
pub fn membership(user: &str) -> crate::store::team::NewMembership {
    crate::store::team::NewMembership {
        url: "http://127.0.0.1:1".into(),
        user: user.into(),
        team: "desk".into(),
        writes_tm: true,
        token_key: None,
    }
}
