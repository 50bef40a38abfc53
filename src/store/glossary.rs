//! Glossaries in the workspace: entries with their Italian and English
//! terms, several glossaries each with an on/off switch, and the starter
//! glossary a new workspace receives. Recognition lives in
//! `crate::glossary`; this is storage only.

use rusqlite::{params, OptionalExtension, Transaction};

use super::{StoreError, Workspace};
use crate::formats::glossary_table;
use crate::termbase::{Entry, Status, Term};

/// A glossary as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GlossarySummary {
    /// Unique name.
    pub name: String,
    /// Entries in it.
    pub n_entries: usize,
    /// Whether its terms are recognized.
    pub enabled: bool,
}

/// Name of the glossary a new workspace starts with.
pub const STARTER_GLOSSARY: &str = "News (starter)";

/// The starter glossary, as reviewed in `glossary/`.
const STARTER: &[u8] = include_bytes!("../../glossary/news-it-en.csv");

/// Name of the glossary that entries added without one go to.
pub const DEFAULT_GLOSSARY: &str = "My glossary";

impl Workspace {
    /// Every glossary with its entry count, by name.
    pub fn glossaries(&self) -> Result<Vec<GlossarySummary>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT g.name, g.enabled,
                    (SELECT count(*) FROM glossary_entries e WHERE e.glossary_id = g.id)
             FROM glossaries g ORDER BY g.name",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(GlossarySummary {
                name: r.get(0)?,
                enabled: r.get(1)?,
                n_entries: r.get::<_, i64>(2)? as usize,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Turns the recognition of a glossary's terms on or off.
    pub fn set_glossary_enabled(&mut self, name: &str, enabled: bool) -> Result<(), StoreError> {
        let n = self.conn.execute(
            "UPDATE glossaries SET enabled = ?1 WHERE name = ?2",
            params![enabled, name],
        )?;
        if n == 0 {
            return Err(no_glossary(name));
        }
        Ok(())
    }

    /// Deletes a glossary and its entries.
    pub fn delete_glossary(&mut self, name: &str) -> Result<(), StoreError> {
        let n = self
            .conn
            .execute("DELETE FROM glossaries WHERE name = ?1", [name])?;
        if n == 0 {
            return Err(no_glossary(name));
        }
        Ok(())
    }

    /// Adds `entries` to the glossary `name` (created if new), all or none.
    pub fn import_glossary(&mut self, name: &str, entries: &[Entry]) -> Result<usize, StoreError> {
        let tx = self.conn.transaction()?;
        let glossary = glossary_id(&tx, name)?;
        for entry in entries {
            let id = insert_entry(&tx, glossary, entry)?;
            super::team::entry_written(&tx, id, entry)?;
        }
        tx.commit()?;
        Ok(entries.len())
    }

    /// Adds one entry to the glossary `name` (created if new); its id.
    pub fn add_entry(&mut self, name: &str, entry: &Entry) -> Result<i64, StoreError> {
        let tx = self.conn.transaction()?;
        let id = add_entry_in(&tx, name, entry)?;
        tx.commit()?;
        Ok(id)
    }

    /// Replaces the fields and terms of the stored entry `entry.id`.
    pub fn update_entry(&mut self, entry: &Entry) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        update_entry_in(&tx, entry)?;
        tx.commit()?;
        Ok(())
    }

    /// Deletes one entry.
    pub fn delete_entry(&mut self, id: i64) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        delete_entry_in(&tx, id)?;
        tx.commit()?;
        Ok(())
    }

    /// The entries of one glossary, or of all (`None`); with `enabled_only`,
    /// of the enabled glossaries alone. In order of entry id.
    pub fn glossary_entries(
        &self,
        glossary: Option<&str>,
        enabled_only: bool,
    ) -> Result<Vec<Entry>, StoreError> {
        self.load_entries(
            "(?1 IS NULL OR g.name = ?1) AND (?2 = 0 OR g.enabled = 1)",
            params![glossary, enabled_only],
        )
    }

    /// One entry by id.
    pub fn glossary_entry(&self, id: i64) -> Result<Option<Entry>, StoreError> {
        Ok(self.load_entries("e.id = ?1", [id])?.into_iter().next())
    }

    /// Entries with a term (either language) containing `query`, ignoring
    /// case; at most `limit`.
    pub fn search_glossary(&self, query: &str, limit: usize) -> Result<Vec<Entry>, StoreError> {
        let pattern = format!(
            "%{}%",
            query
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        );
        self.load_entries(
            "e.id IN (SELECT entry_id FROM glossary_terms WHERE term LIKE ?1 ESCAPE '\\')",
            params![pattern],
        )
        .map(|mut found| {
            found.truncate(limit);
            found
        })
    }

    /// Entries of `glossary` with an Italian term equal to one of `entry`'s
    /// (ignoring case), other than `entry` itself: duplicates to warn about.
    pub fn duplicate_entries(
        &self,
        glossary: &str,
        entry: &Entry,
    ) -> Result<Vec<Entry>, StoreError> {
        let mut found = Vec::new();
        for term in &entry.italian {
            for other in self.load_entries(
                "g.name = ?1 AND e.id <> ?3 AND e.id IN
                 (SELECT entry_id FROM glossary_terms WHERE lang = 'it' AND term = ?2 COLLATE NOCASE)",
                params![glossary, term.text, entry.id],
            )? {
                if !found.iter().any(|f: &Entry| f.id == other.id) {
                    found.push(other);
                }
            }
        }
        Ok(found)
    }

    fn load_entries(
        &self,
        filter: &str,
        params: impl rusqlite::Params,
    ) -> Result<Vec<Entry>, StoreError> {
        let sql = format!(
            "SELECT e.id, g.name, e.domain, e.note, t.lang, t.term, t.pos, t.status, t.note, t.case_sensitive
             FROM glossary_entries e
             JOIN glossaries g ON g.id = e.glossary_id
             JOIN glossary_terms t ON t.entry_id = e.id
             WHERE {filter}
             ORDER BY e.id, t.lang DESC, t.position"
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let mut rows = stmt.query(params)?;
        let mut entries: Vec<Entry> = Vec::new();
        while let Some(r) = rows.next()? {
            let id: i64 = r.get(0)?;
            if entries.last().is_none_or(|e| e.id != id) {
                entries.push(Entry {
                    id,
                    glossary: r.get(1)?,
                    domain: r.get(2)?,
                    note: r.get(3)?,
                    ..Entry::default()
                });
            }
            let status: String = r.get(7)?;
            let term = Term {
                text: r.get(5)?,
                pos: r.get(6)?,
                status: Status::parse(&status).unwrap_or_default(),
                note: r.get(8)?,
                case_sensitive: r.get(9)?,
            };
            let entry = entries.last_mut().expect("pushed above");
            match r.get::<_, String>(4)?.as_str() {
                "it" => entry.italian.push(term),
                _ => entry.english.push(term),
            }
        }
        Ok(entries)
    }

    /// Gives a new workspace the starter glossary, once: deleting it later
    /// is final.
    pub(super) fn add_starter_glossary(&mut self) -> Result<(), StoreError> {
        let given: i64 = self
            .conn
            .query_row("SELECT starter FROM glossary_state", [], |r| r.get(0))?;
        if given != 0 {
            return Ok(());
        }
        // The file is checked by the tests; a broken build must not stop
        // a workspace from opening.
        let entries = glossary_table::read(STARTER, b',').unwrap_or_default();
        let tx = self.conn.transaction()?;
        let glossary = glossary_id(&tx, STARTER_GLOSSARY)?;
        for entry in &entries {
            insert_entry(&tx, glossary, entry)?;
        }
        tx.execute("UPDATE glossary_state SET starter = 1", [])?;
        tx.commit()?;
        Ok(())
    }
}

fn no_glossary(name: &str) -> StoreError {
    StoreError::InvalidEdit(format!("no glossary `{name}`"))
}

/// Adds one entry to the glossary `name` (created if new) in `tx`.
pub(super) fn add_entry_in(
    tx: &Transaction<'_>,
    name: &str,
    entry: &Entry,
) -> Result<i64, StoreError> {
    let glossary = glossary_id(tx, name)?;
    let id = insert_entry(tx, glossary, entry)?;
    super::team::entry_written(tx, id, entry)?;
    Ok(id)
}

/// Replaces the fields and terms of the stored entry `entry.id` in `tx`.
pub(super) fn update_entry_in(tx: &Transaction<'_>, entry: &Entry) -> Result<(), StoreError> {
    check_entry(entry)?;
    let n = tx.execute(
        "UPDATE glossary_entries SET domain = ?1, note = ?2, changed_at = ?3 WHERE id = ?4",
        params![entry.domain, entry.note, super::now_ms(), entry.id],
    )?;
    if n == 0 {
        return Err(StoreError::InvalidEdit(format!(
            "no glossary entry {}",
            entry.id
        )));
    }
    tx.execute("DELETE FROM glossary_terms WHERE entry_id = ?1", [entry.id])?;
    insert_terms(tx, entry.id, entry)?;
    super::team::entry_written(tx, entry.id, entry)
}

/// Deletes one entry in `tx`.
pub(super) fn delete_entry_in(tx: &Transaction<'_>, id: i64) -> Result<(), StoreError> {
    super::team::entry_deleted(tx, id)?;
    let n = tx.execute("DELETE FROM glossary_entries WHERE id = ?1", [id])?;
    if n == 0 {
        return Err(StoreError::InvalidEdit(format!("no glossary entry {id}")));
    }
    Ok(())
}

fn check_entry(entry: &Entry) -> Result<(), StoreError> {
    let empty = |terms: &[Term]| terms.iter().all(|t| t.text.trim().is_empty());
    if empty(&entry.italian) || empty(&entry.english) {
        return Err(StoreError::InvalidEdit(
            "a glossary entry needs an Italian and an English term".into(),
        ));
    }
    Ok(())
}

fn glossary_id(tx: &Transaction<'_>, name: &str) -> Result<i64, StoreError> {
    if name.trim().is_empty() {
        return Err(StoreError::InvalidEdit("a glossary needs a name".into()));
    }
    tx.execute(
        "INSERT OR IGNORE INTO glossaries (name, created_at) VALUES (?1, ?2)",
        params![name, super::now_ms()],
    )?;
    Ok(tx
        .query_row("SELECT id FROM glossaries WHERE name = ?1", [name], |r| {
            r.get(0)
        })
        .optional()?
        .expect("inserted above"))
}

pub(super) fn insert_entry(
    tx: &Transaction<'_>,
    glossary: i64,
    entry: &Entry,
) -> Result<i64, StoreError> {
    check_entry(entry)?;
    let now = super::now_ms();
    tx.prepare_cached(
        "INSERT INTO glossary_entries (glossary_id, domain, note, created_at, changed_at)
         VALUES (?1, ?2, ?3, ?4, ?4)",
    )?
    .execute(params![glossary, entry.domain, entry.note, now])?;
    let id = tx.last_insert_rowid();
    insert_terms(tx, id, entry)?;
    Ok(id)
}

pub(super) fn insert_terms(
    tx: &Transaction<'_>,
    entry_id: i64,
    entry: &Entry,
) -> Result<(), StoreError> {
    let mut insert = tx.prepare_cached(
        "INSERT INTO glossary_terms (entry_id, lang, position, term, pos, status, note, case_sensitive)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    for (lang, terms) in [("it", &entry.italian), ("en", &entry.english)] {
        for (position, term) in terms.iter().enumerate() {
            if term.text.trim().is_empty() {
                continue;
            }
            insert.execute(params![
                entry_id,
                lang,
                position as i64,
                term.text.trim(),
                term.pos,
                term.status.as_str(),
                term.note,
                term.case_sensitive
            ])?;
        }
    }
    Ok(())
}
