//! House rules checked mechanically: every Rust file states its purpose in
//! a `//!` line, and no component of the UI calls `invoke` directly.

use std::path::{Path, PathBuf};

fn files(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if path.is_dir() {
            if !matches!(name, "target" | "node_modules" | "gen" | "dist") {
                files(&path, ext, out);
            }
        } else if name.ends_with(ext) {
            out.push(path);
        }
    }
}

#[test]
fn every_rust_file_opens_with_a_purpose_line() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut rust = Vec::new();
    for dir in [
        "src",
        "src-tauri/src",
        "src-tauri/tests",
        "src-tauri/build.rs",
        "tests",
        "benches",
    ] {
        let path = root.join(dir);
        if path.is_file() {
            rust.push(path);
        } else {
            files(&path, ".rs", &mut rust);
        }
    }
    assert!(rust.len() > 20, "found only {} files", rust.len());
    let missing: Vec<_> = rust
        .iter()
        .filter(|p| {
            let text = std::fs::read_to_string(p).unwrap_or_default();
            !text.trim_start().starts_with("//!")
        })
        .collect();
    assert!(missing.is_empty(), "no //! purpose line: {missing:?}");
}

#[test]
fn ui_components_go_through_the_api_module() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("ui/src");
    let mut sources = Vec::new();
    files(&root, ".svelte", &mut sources);
    files(&root, ".ts", &mut sources);
    assert!(!sources.is_empty());
    let offenders: Vec<_> = sources
        .iter()
        .filter(|p| !p.ends_with("lib/api.ts") && !p.ends_with("lib/fake-backend.ts"))
        .filter(|p| {
            let text = std::fs::read_to_string(p).unwrap_or_default();
            text.contains("@tauri-apps/api/core") || text.contains("{@html")
        })
        .collect();
    assert!(
        offenders.is_empty(),
        "invoke or {{@html}} outside api.ts: {offenders:?}"
    );
}
