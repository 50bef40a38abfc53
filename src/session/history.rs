//! A segment's history: its saved versions, and putting one back.

use super::{Open, Result};
use crate::store::{Origin, Version};
use crate::tm::{Confirmed, TargetEdit};

impl Open {
    /// A segment's saved versions, newest first.
    pub fn segment_history(&self, doc_id: i64, segment_id: i64) -> Result<Vec<Version>> {
        Ok(self.ws.versions(doc_id, segment_id)?)
    }

    /// Puts an earlier version's English and status back into its segment,
    /// as a new version (so the one replaced can be restored in turn); a
    /// confirmed version goes to the project TM as a confirmation does.
    pub fn restore_version(
        &mut self,
        doc_id: i64,
        segment_id: i64,
        version_id: i64,
    ) -> Result<Confirmed> {
        let version = self.ws.version(doc_id, segment_id, version_id)?;
        let edit = TargetEdit {
            doc_id,
            segment_id,
            target: &version.target,
            status: version.status,
            origin: Origin::Restore,
        };
        Ok(crate::tm::save_target(
            &mut self.ws,
            self.matcher.as_mut(),
            edit,
            false,
        )?)
    }

    /// Saves new versions under `name` (the OS user's name when blank).
    pub fn set_author(&mut self, name: &str) {
        self.ws.set_author(name);
    }
}
