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
        "server/src",
        "server/tests",
        "server/benches",
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
        .filter(|p| {
            let text = std::fs::read_to_string(p).unwrap_or_default();
            // The generated bindings are the one place that invokes commands.
            let may_invoke = ["lib/api.ts", "lib/bindings.ts"]
                .iter()
                .any(|own| p.ends_with(own));
            (text.contains("@tauri-apps/api/core") && !may_invoke) || text.contains("{@html")
        })
        .collect();
    assert!(
        offenders.is_empty(),
        "invoke outside api.ts and the generated bindings, or {{@html}}: {offenders:?}"
    );
}

/// The engine's layers, bottom first (see ARCHITECTURE.md). A module may
/// use modules of its own layer and of the layers below, never above, and
/// no two modules may use each other, however indirectly. `main.rs` and
/// `cli/` are the command line's front, on top of all of them.
const LAYERS: [(&str, &[&str]); 6] = [
    ("text", &["text"]),
    ("model", &["document", "termbase", "segment"]),
    ("formats", &["formats"]),
    ("store", &["store"]),
    (
        "capabilities",
        &[
            "import",
            "glossary",
            "style",
            "tm",
            "mt",
            "facts",
            "predict",
            "qa",
            "spelling",
            "revision",
            "review",
            "export",
            "stats",
            "diagnostics",
            "team",
            "sync",
        ],
    ),
    ("use cases", &["session"]),
];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS
        .iter()
        .position(|(_, modules)| modules.contains(&module))
}

/// A `crate::module` path in an engine file.
struct Import {
    file: String,
    line: usize,
    from: String,
    to: String,
}

/// The code of `text` that is not test code: lines after a `#[cfg(test)]`
/// that opens an inline `mod tests {` are dropped, as are comments. Tests
/// may use any module, as a dev-dependency may.
fn code_lines(text: &str) -> Vec<(usize, &str)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut code = Vec::new();
    for (idx, line) in lines.iter().enumerate() {
        let trimmed = line.trim_start();
        let next = lines.get(idx + 1).map_or("", |l| l.trim_start());
        if trimmed.starts_with("#[cfg(test)]") && next.starts_with("mod tests {") {
            break;
        }
        if !trimmed.starts_with("//") {
            code.push((idx + 1, *line));
        }
    }
    code
}

/// The first name of every path after `crate::` in `code`, with its line;
/// a group (`crate::{a, b::c}`, over several lines too) gives each of its
/// paths' first names.
fn crate_paths(code: &[(usize, &str)]) -> Vec<(usize, String)> {
    let mut chars = Vec::new();
    for (line, text) in code {
        chars.extend(text.chars().map(|c| (*line, c)));
        chars.push((*line, '\n'));
    }
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    let name_at = |mut i: usize| {
        while chars.get(i).is_some_and(|&(_, c)| c.is_whitespace()) {
            i += 1;
        }
        let start = i;
        while chars.get(i).is_some_and(|&(_, c)| ident(c)) {
            i += 1;
        }
        (
            chars[start..i].iter().map(|&(_, c)| c).collect::<String>(),
            i,
        )
    };
    let mut found = Vec::new();
    let mut i = 0;
    while i + 7 <= chars.len() {
        let here: String = chars[i..i + 7].iter().map(|&(_, c)| c).collect();
        let after_ident = i > 0 && ident(chars[i - 1].1);
        if here != "crate::" || after_ident {
            i += 1;
            continue;
        }
        let line = chars[i].0;
        i += 7;
        if chars.get(i).is_some_and(|&(_, c)| c == '{') {
            // Each item at depth one starts after `{` or a comma.
            let mut depth = 0;
            let mut item_start = true;
            while let Some(&(_, c)) = chars.get(i) {
                match c {
                    '{' => {
                        depth += 1;
                        if depth == 1 {
                            item_start = true;
                            i += 1;
                            continue;
                        }
                    }
                    '}' => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    ',' if depth == 1 => {
                        item_start = true;
                        i += 1;
                        continue;
                    }
                    _ => {}
                }
                if item_start && depth == 1 {
                    let (name, end) = name_at(i);
                    if !name.is_empty() {
                        found.push((line, name));
                    }
                    item_start = false;
                    i = end.max(i + 1);
                    continue;
                }
                i += 1;
            }
        } else {
            let (name, end) = name_at(i);
            found.push((line, name));
            i = end;
        }
    }
    found
}

/// Every `crate::` path in the engine's files outside tests, with the
/// top-level module of the file it is in.
fn engine_imports() -> Vec<Import> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut rust = Vec::new();
    files(&src, ".rs", &mut rust);
    let mut imports = Vec::new();
    for path in rust {
        let rel = path.strip_prefix(&src).expect("under src/");
        let parts: Vec<&str> = rel
            .iter()
            .map(|p| p.to_str().expect("UTF-8 path"))
            .collect();
        let from = parts[0].trim_end_matches(".rs");
        let is_test = parts
            .iter()
            .any(|p| *p == "tests.rs" || *p == "tests" || *p == "testing.rs");
        if matches!(from, "main" | "lib" | "cli") || is_test {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("read an engine file");
        for (line, to) in crate_paths(&code_lines(&text)) {
            if to != from {
                imports.push(Import {
                    file: format!("src/{}", parts.join("/")),
                    line,
                    from: from.to_string(),
                    to,
                });
            }
        }
    }
    imports
}

#[test]
fn engine_layers_only_point_down() {
    let imports = engine_imports();
    assert!(imports.len() > 50, "found only {} imports", imports.len());
    let mut problems = Vec::new();
    let mut graph: std::collections::BTreeMap<&str, std::collections::BTreeSet<&str>> =
        Default::default();
    for import in &imports {
        let at = |m: &str| format!("{}:{}: crate::{}", import.file, import.line, m);
        let (Some(from), Some(to)) = (layer_of(&import.from), layer_of(&import.to)) else {
            let unknown = if layer_of(&import.from).is_none() {
                &import.from
            } else {
                &import.to
            };
            problems.push(format!(
                "{}: `{unknown}` is not a module of LAYERS (name items by their module, and give a new module its layer)",
                at(&import.to)
            ));
            continue;
        };
        if to > from {
            problems.push(format!(
                "{}: upward import: {} ({} layer) may not use {} ({} layer, above it)",
                at(&import.to),
                import.from,
                LAYERS[from].0,
                import.to,
                LAYERS[to].0
            ));
        }
        graph.entry(&import.from).or_default().insert(&import.to);
    }
    for cycle in cycles(&graph) {
        let edges: Vec<String> = cycle
            .windows(2)
            .map(|pair| {
                let import = imports
                    .iter()
                    .find(|i| i.from == pair[0] && i.to == pair[1])
                    .expect("an edge of the graph");
                format!("{}:{}: crate::{}", import.file, import.line, import.to)
            })
            .collect();
        problems.push(format!(
            "import cycle {}: {}",
            cycle.join(" → "),
            edges.join("; ")
        ));
    }
    assert!(
        problems.is_empty(),
        "the engine's layers are broken ({} problems):\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// One cycle through each strongly connected group of modules, as a path
/// that ends where it starts.
fn cycles<'a>(
    graph: &std::collections::BTreeMap<&'a str, std::collections::BTreeSet<&'a str>>,
) -> Vec<Vec<&'a str>> {
    let reaches = |from: &'a str, to: &'a str| -> Option<Vec<&'a str>> {
        // Breadth-first, so the cycle reported is a shortest one.
        let mut previous = std::collections::BTreeMap::new();
        let mut queue = std::collections::VecDeque::from([from]);
        while let Some(node) = queue.pop_front() {
            for &next in graph.get(node).into_iter().flatten() {
                if next == to {
                    let mut path = vec![to, node];
                    let mut at = node;
                    while at != from {
                        at = previous[at];
                        path.push(at);
                    }
                    path.reverse();
                    return Some(path);
                }
                if next != from && !previous.contains_key(next) {
                    previous.insert(next, node);
                    queue.push_back(next);
                }
            }
        }
        None
    };
    let mut seen = std::collections::BTreeSet::new();
    let mut found = Vec::new();
    for &module in graph.keys() {
        if seen.contains(module) {
            continue;
        }
        if let Some(cycle) = reaches(module, module) {
            seen.extend(cycle.iter().copied());
            found.push(cycle);
        }
    }
    found
}
