//! The user's spelling dictionary: words added for the whole workspace,
//! and words ignored in one document.

use std::collections::HashSet;

use rusqlite::params;

use super::{StoreError, Workspace};

impl Workspace {
    /// The words added to the user's dictionary, sorted.
    pub fn spelling_words(&self) -> Result<Vec<String>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT word FROM spelling_words ORDER BY word")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Adds a word to the user's dictionary (again is no error).
    pub fn add_spelling_word(&mut self, word: &str) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT OR IGNORE INTO spelling_words (word) VALUES (?1)",
            [word],
        )?;
        Ok(())
    }

    /// Removes a word from the user's dictionary; whether it was there.
    pub fn remove_spelling_word(&mut self, word: &str) -> Result<bool, StoreError> {
        Ok(self
            .conn
            .execute("DELETE FROM spelling_words WHERE word = ?1", [word])?
            > 0)
    }

    /// Ignores a word in one document.
    pub fn ignore_spelling_word(&mut self, doc_id: i64, word: &str) -> Result<(), StoreError> {
        self.document(doc_id)?;
        self.conn.execute(
            "INSERT OR IGNORE INTO spelling_ignored (document_id, word) VALUES (?1, ?2)",
            params![doc_id, word],
        )?;
        Ok(())
    }

    /// The words ignored in a document.
    pub fn spelling_ignored(&self, doc_id: i64) -> Result<HashSet<String>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT word FROM spelling_ignored WHERE document_id = ?1")?;
        let rows = stmt.query_map([doc_id], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Whether an imported TM (not the workspace TM, which holds the
    /// translator's own confirmations, misspellings included) has `word`
    /// in an English, ignoring case and accents. Asks the concordance
    /// index, so a TM of a million units costs one index look-up; units
    /// stored since its last catch-up are not seen yet.
    pub fn tm_english_has_word(&self, word: &str) -> Result<bool, StoreError> {
        if word.is_empty() || word.contains('"') {
            return Ok(false);
        }
        // The first units holding it, of any TM: one of them an imported
        // TM's is enough (a word only the workspace TM has is rarely
        // among so many).
        let ids = self.concordance()?.with_english_word(word, 200)?;
        let mut imported = self.conn.prepare_cached(
            "SELECT 1 FROM tm_units u JOIN tms t ON t.id = u.tm_id WHERE u.id = ?1 AND t.name <> ?2",
        )?;
        for id in ids {
            if imported.exists(params![id, super::tm::WORKSPACE_TM])? {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// A cheap fingerprint of a document's segments (how many, the newest
    /// id): it changes when an update of the article brings new Italian.
    pub fn segments_fingerprint(&self, doc_id: i64) -> Result<(i64, i64), StoreError> {
        Ok(self.conn.query_row(
            "SELECT count(*), coalesce(max(s.id), 0) FROM segments s JOIN blocks b ON b.id = s.block_id
             WHERE b.document_id = ?1",
            [doc_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?)
    }
}
