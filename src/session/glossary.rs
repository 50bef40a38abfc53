//! The glossary as the translator meets it: quick-add from the editor, the
//! manager's edits, CSV/TSV/OmegaT/TBX files, and the terms of a sentence.

use std::path::Path;

use super::{Error, Open, Result};
use crate::formats::{glossary_table, tbx};
use crate::glossary::qa::TermIssue;
use crate::termbase::{Entry, Term};

/// An entry just added, with the entries of the same glossary it may
/// repeat (same Italian term).
#[derive(Debug, Clone)]
pub struct AddedEntry {
    /// The new entry's id.
    pub id: i64,
    /// Entries it may repeat.
    pub duplicates: Vec<Entry>,
}

/// An entry's new content, as the glossary manager edits it.
#[derive(Debug, Clone, Default)]
pub struct EntryEdit {
    /// The Italian terms, preferred first.
    pub italian: Vec<String>,
    /// The English terms, preferred first.
    pub english: Vec<String>,
    /// The subject field; empty for none.
    pub domain: Option<String>,
    /// A note; empty for none.
    pub note: Option<String>,
}

/// A glossary file's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GlossaryFormat {
    /// TBX-Basic in the TBX v3 core structure (`<tbx>`).
    Tbx,
    /// TBX-Basic in the 2008 structure (`<martif>`), which other tools read.
    TbxBasic,
    /// Comma-separated values.
    Csv,
    /// Tab-separated values.
    Tsv,
    /// OmegaT's tab-separated glossary: term, translation, comment.
    OmegaT,
}

impl GlossaryFormat {
    /// The format a file's extension names: `.tbx` TBX-Basic 2008 (OmegaT
    /// and translate-toolkit read only `<martif>`, so that is what a `.tbx`
    /// file is expected to hold), `.tsv` TSV, `.txt` and `.utf8` OmegaT's
    /// (the extensions OmegaT reads as UTF-8), else CSV.
    pub fn from_path(path: &Path) -> GlossaryFormat {
        let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        let is = |name: &str| extension.eq_ignore_ascii_case(name);
        if is("tbx") {
            GlossaryFormat::TbxBasic
        } else if is("tsv") {
            GlossaryFormat::Tsv
        } else if is("txt") || is("utf8") {
            GlossaryFormat::OmegaT
        } else {
            GlossaryFormat::Csv
        }
    }
}

fn non_empty(text: Option<String>) -> Option<String> {
    text.filter(|t| !t.trim().is_empty())
}

fn is_tbx(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("tbx") || e.eq_ignore_ascii_case("xml"))
}

/// Reads a CSV, TSV, OmegaT or TBX glossary file; a table with bad rows is
/// refused whole, each bad row named.
pub fn read_glossary_file(path: &Path) -> Result<Vec<Entry>> {
    let bytes = std::fs::read(path)
        .map_err(|e| Error::ImportFile(format!("reading {}: {e}", path.display())))?;
    if is_tbx(path) {
        return tbx::read(&bytes[..])
            .map_err(|e| Error::ImportFile(format!("{}: {e}", path.display())));
    }
    let read = if GlossaryFormat::from_path(path) == GlossaryFormat::OmegaT {
        glossary_table::read_omegat(&bytes)
    } else {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default();
        glossary_table::read(&bytes, glossary_table::delimiter(&name, &bytes))
    };
    read.map_err(|errors| {
        let lines: Vec<String> = errors.iter().map(|e| format!("  {e}")).collect();
        Error::ImportFile(format!(
            "{}: {} bad {}; nothing was imported\n{}",
            path.display(),
            errors.len(),
            if errors.len() == 1 { "row" } else { "rows" },
            lines.join("\n")
        ))
    })
}

impl Open {
    /// Adds an Italian–English pair to `glossary`, reporting what it may
    /// repeat.
    pub fn add_glossary_entry(
        &mut self,
        glossary: &str,
        italian: &str,
        english: &str,
        note: Option<String>,
    ) -> Result<AddedEntry> {
        let mut entry = Entry::pair(italian.trim(), english.trim());
        entry.note = non_empty(note);
        let duplicates = self.ws.duplicate_entries(glossary, &entry)?;
        let id = self.ws.add_entry(glossary, &entry)?;
        self.glossary_changed();
        Ok(AddedEntry { id, duplicates })
    }

    /// Replaces an entry's terms, domain and note; a term left unchanged
    /// (same text) keeps its status, note and flags.
    pub fn update_glossary_entry(&mut self, id: i64, edit: EntryEdit) -> Result<Entry> {
        let mut entry = self
            .ws
            .glossary_entry(id)?
            .ok_or_else(|| Error::NotFound(format!("no glossary entry {id}")))?;
        let keep = |old: &[Term], texts: &[String]| -> Vec<Term> {
            texts
                .iter()
                .map(|t| t.trim())
                .filter(|t| !t.is_empty())
                .map(|t| {
                    old.iter()
                        .find(|o| o.text == t)
                        .cloned()
                        .unwrap_or_else(|| Term::new(t))
                })
                .collect()
        };
        entry.italian = keep(&entry.italian, &edit.italian);
        entry.english = keep(&entry.english, &edit.english);
        entry.domain = non_empty(edit.domain);
        entry.note = non_empty(edit.note);
        self.ws.update_entry(&entry)?;
        self.glossary_changed();
        Ok(entry)
    }

    /// Deletes an entry.
    pub fn delete_glossary_entry(&mut self, id: i64) -> Result<()> {
        self.ws.delete_entry(id)?;
        self.glossary_changed();
        Ok(())
    }

    /// Turns a glossary on or off for term recognition and checks.
    pub fn set_glossary_enabled(&mut self, name: &str, enabled: bool) -> Result<()> {
        self.ws.set_glossary_enabled(name, enabled)?;
        self.glossary_changed();
        Ok(())
    }

    /// Imports a CSV, TSV, OmegaT or TBX file into the glossary `name`, all or
    /// nothing; returns the number of entries.
    pub fn import_glossary_file(&mut self, path: &Path, name: &str) -> Result<usize> {
        let entries = read_glossary_file(path)?;
        let n = self.ws.import_glossary(name, &entries)?;
        self.glossary_changed();
        Ok(n)
    }

    /// Writes the glossary `name` (every glossary for `None`) to a file;
    /// returns the number of entries.
    pub fn export_glossary_file(
        &self,
        name: Option<&str>,
        path: &Path,
        format: GlossaryFormat,
    ) -> Result<usize> {
        if let Some(name) = name {
            if !self.ws.glossaries()?.iter().any(|g| g.name == name) {
                return Err(Error::NotFound(format!("no glossary `{name}`")));
            }
        }
        let entries = self.ws.glossary_entries(name, false)?;
        let text = match format {
            GlossaryFormat::Tbx => tbx::write(&entries, name.unwrap_or("Interlinea")),
            GlossaryFormat::TbxBasic => tbx::write_basic(&entries, name.unwrap_or("Interlinea")),
            GlossaryFormat::Csv => glossary_table::write(&entries, b','),
            GlossaryFormat::Tsv => glossary_table::write(&entries, b'\t'),
            GlossaryFormat::OmegaT => glossary_table::write_omegat(&entries),
        };
        std::fs::write(path, text)
            .map_err(|e| Error::ExportFile(format!("writing {}: {e}", path.display())))?;
        Ok(entries.len())
    }

    /// Term problems of `target` as the translation of `source`.
    pub fn check_terms(&mut self, source: &str, target: &str) -> Result<Vec<TermIssue>> {
        Ok(crate::glossary::qa::check(self.terms()?, source, target))
    }
}
