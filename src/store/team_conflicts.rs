//! The glossary conflicts a workspace received from its team, once the
//! translator has settled them: a settled conflict leaves the list, what
//! the translator chose is written, and the server is to be told the
//! conflict is resolved — all in one transaction, offline as well (the
//! next sync tells the server).

use rusqlite::OptionalExtension;
use uuid::Uuid;

use super::glossary::{add_entry_in, delete_entry_in, update_entry_in};
use super::{StoreError, Workspace};
use crate::termbase::Entry;

/// What settling a conflict writes to the team glossary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Settlement {
    /// Nothing: the team's version stands.
    Keep,
    /// The stored entry `entry.id` is replaced by `entry`.
    Replace(Entry),
    /// `entry` is added to the team glossary anew.
    Add(Entry),
    /// The stored entry of this id is deleted.
    Delete(i64),
}

impl Workspace {
    /// Settles the conflict of the entry `entry` that the write numbered
    /// `won_seq` won: writes `settlement` (sent to the team as any edit of
    /// its glossary is), removes the conflict and notes the server is to
    /// be told, in one transaction; false (and nothing written) when there
    /// was no such conflict.
    pub fn settle_team_conflict(
        &mut self,
        entry: Uuid,
        won_seq: i64,
        settlement: &Settlement,
    ) -> Result<bool, StoreError> {
        let tx = self.conn.transaction()?;
        let removed = tx.execute(
            "DELETE FROM team_conflicts WHERE entry_uuid = ?1 AND won_seq = ?2",
            rusqlite::params![entry.as_bytes().as_slice(), won_seq],
        )?;
        if removed == 0 {
            return Ok(false);
        }
        match settlement {
            Settlement::Keep => {}
            Settlement::Replace(entry) => update_entry_in(&tx, entry)?,
            Settlement::Add(entry) => {
                let glossary: Option<String> = tx
                    .query_row(
                        "SELECT g.name FROM team t JOIN glossaries g ON g.id = t.glossary_id",
                        [],
                        |r| r.get(0),
                    )
                    .optional()?;
                let glossary = glossary.ok_or_else(|| {
                    StoreError::InvalidEdit("this workspace has joined no team".into())
                })?;
                add_entry_in(&tx, &glossary, entry)?;
            }
            Settlement::Delete(id) => delete_entry_in(&tx, *id)?,
        }
        tx.execute(
            "INSERT OR IGNORE INTO team_resolutions (won_seq) VALUES (?1)",
            [won_seq],
        )?;
        tx.commit()?;
        Ok(true)
    }
}
