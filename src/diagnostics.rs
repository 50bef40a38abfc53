//! A diagnostics report for a bug report: versions, the workspace's shape
//! and the end of the log — never document text, TM or glossary content,
//! or keys.

use std::path::Path;

use crate::store::{StoreError, Workspace};

/// Log lines included at most.
const LOG_LINES: usize = 200;

/// The report. `log` is the current log file, if there is one; its lines
/// are included with anything between quotes blanked out, so that text a
/// message may quote stays out.
pub fn report(ws: &Workspace, log: Option<&Path>) -> Result<String, StoreError> {
    let mut out = String::new();
    out.push_str(&format!("Interlinea {}\n", env!("CARGO_PKG_VERSION")));
    out.push_str(&format!(
        "OS: {} {}\n",
        std::env::consts::OS,
        std::env::consts::ARCH
    ));
    out.push_str(&format!("Schema: {}\n", ws.schema_version()?));
    let documents = ws.documents()?;
    let segments: usize = documents.iter().map(|d| d.n_segments).sum();
    out.push_str(&format!(
        "Documents: {} ({segments} translatable segments)\n",
        documents.len()
    ));
    for tm in ws.tms()? {
        out.push_str(&format!(
            "TM: {} units{}\n",
            tm.n_units,
            if tm.read_only { ", read-only" } else { "" }
        ));
    }
    out.push_str(&format!("Glossaries: {}\n", ws.glossaries()?.len()));
    for provider in ws.mt_providers()? {
        out.push_str(&format!("MT provider: {}\n", provider.kind.as_str()));
    }
    if let Some(log) = log {
        let text = std::fs::read_to_string(log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        out.push_str(&format!(
            "\nLast {} log lines:\n",
            lines.len().min(LOG_LINES)
        ));
        for line in &lines[lines.len().saturating_sub(LOG_LINES)..] {
            out.push_str(&blank_quoted(line));
            out.push('\n');
        }
    }
    Ok(out)
}

/// `line` with whatever stands between double quotes replaced by `…`.
fn blank_quoted(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut quoted = false;
    for c in line.chars() {
        if c == '"' {
            if quoted {
                out.push('…');
            }
            quoted = !quoted;
            out.push(c);
        } else if !quoted {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::mt::{Provider, ProviderKind};
    use crate::testing::{workspace_with, SAMPLE};

    #[test]
    fn the_report_has_shapes_not_content() {
        let (mut ws, doc) = workspace_with("Segreto di Stato.txt", SAMPLE);
        let segment = ws.segments(doc).unwrap()[1].id;
        ws.set_target(
            doc,
            segment,
            "Putin goes to Kim.",
            crate::Status::Translated,
        )
        .unwrap();
        ws.save_mt_provider(&Provider {
            name: "office-deepl".into(),
            kind: ProviderKind::DeepL,
            url: "https://api.deepl.com".into(),
            model: None,
        })
        .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("interlinea.log");
        std::fs::write(
            &log,
            "2026-11-29T10:00:00Z INFO workspace open path=\"/home/t/Segreto.sqlite\"\n\
             2026-11-29T10:00:01Z WARN no DeepL glossary error=\"Putin va da Kim.\"\n",
        )
        .unwrap();
        let report = report(&ws, Some(&log)).unwrap();
        assert!(
            report.contains("Documents: 1 (22 translatable segments)"),
            "{report}"
        );
        assert!(report.contains("MT provider: deepl"), "{report}");
        assert!(
            report.contains("WARN no DeepL glossary error=\"…\""),
            "{report}"
        );
        for secret in ["Putin", "Segreto", "office-deepl", "Kim"] {
            assert!(
                !report.contains(secret),
                "{secret} is in the report:\n{report}"
            );
        }
    }
}
