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
