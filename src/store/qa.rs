//! QA findings marked as false alarms.

use std::collections::HashSet;

use rusqlite::params;

use super::{StoreError, Workspace};

impl Workspace {
    /// Marks check `check` of a segment as a false alarm for the English
    /// it has now.
    pub fn ignore_qa(
        &mut self,
        doc_id: i64,
        segment_id: i64,
        check: &str,
    ) -> Result<(), StoreError> {
        let segment = self.segment(doc_id, segment_id)?;
        let hash = super::tm::stable_hash(&[&segment.target]);
        self.conn.execute(
            "INSERT OR REPLACE INTO qa_ignored (segment_id, check_name, target_hash) VALUES (?1, ?2, ?3)",
            params![segment_id, check, hash],
        )?;
        Ok(())
    }

    /// The document's ignored findings: (segment, check, hash of the English).
    pub fn qa_ignored(&self, doc_id: i64) -> Result<HashSet<(i64, String, i64)>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT q.segment_id, q.check_name, q.target_hash
             FROM qa_ignored q JOIN segments s ON s.id = q.segment_id JOIN blocks b ON b.id = s.block_id
             WHERE b.document_id = ?1",
        )?;
        let rows = stmt.query_map([doc_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
