//! The glossary conflicts a workspace received from its team, once the
//! translator has settled them: a settled conflict leaves the list.

use uuid::Uuid;

use super::{StoreError, Workspace};

impl Workspace {
    /// Removes the conflict of the entry `entry` that the write numbered
    /// `won_seq` won; false when there was none.
    pub fn settle_team_conflict(&mut self, entry: Uuid, won_seq: i64) -> Result<bool, StoreError> {
        let removed = self.conn.execute(
            "DELETE FROM team_conflicts WHERE entry_uuid = ?1 AND won_seq = ?2",
            rusqlite::params![entry.as_bytes().as_slice(), won_seq],
        )?;
        Ok(removed > 0)
    }
}
