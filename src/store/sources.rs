//! The file a document was made from, kept to export it back as that same
//! file, and the unit of that file each segment came from.

use std::collections::HashMap;

use rusqlite::{params, OptionalExtension};

use super::{insert_document, SegmentedBlock, StoreError, Workspace};
use crate::document::SourceFormat;

/// A document's original file, as it came in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// What the bytes are: `xliff-1.2`, `xliff-2.0`.
    pub format: String,
    /// The file, every byte as it was.
    pub bytes: Vec<u8>,
}

impl Workspace {
    /// Adds a document made from `file`, keeping the file and, for each
    /// segment in document order, the id of the unit it came from (`units`
    /// holds one per segment), all or nothing.
    pub fn add_document_from_file(
        &mut self,
        name: &str,
        source_path: Option<&str>,
        blocks: &[SegmentedBlock],
        file: &SourceFile,
        units: &[String],
    ) -> Result<i64, StoreError> {
        let tx = self.conn.transaction()?;
        let doc_id = insert_document(
            &tx,
            name,
            source_path,
            SourceFormat::Text,
            blocks,
            &self.author,
        )?;
        tx.execute(
            "INSERT INTO document_sources (document_id, format, bytes) VALUES (?1, ?2, ?3)",
            params![doc_id, file.format, file.bytes],
        )?;
        {
            let mut ids = tx.prepare(
                "SELECT s.id FROM segments s JOIN blocks b ON b.id = s.block_id
                 WHERE b.document_id = ?1 ORDER BY b.position, s.position",
            )?;
            let ids = ids
                .query_map([doc_id], |r| r.get::<_, i64>(0))?
                .collect::<Result<Vec<_>, _>>()?;
            let mut insert =
                tx.prepare("INSERT INTO segment_units (segment_id, unit) VALUES (?1, ?2)")?;
            for (id, unit) in ids.iter().zip(units) {
                insert.execute(params![id, unit])?;
            }
        }
        tx.commit()?;
        Ok(doc_id)
    }

    /// The file document `doc_id` was made from, if it was kept.
    pub fn source_file(&self, doc_id: i64) -> Result<Option<SourceFile>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT format, bytes FROM document_sources WHERE document_id = ?1",
                [doc_id],
                |r| {
                    Ok(SourceFile {
                        format: r.get(0)?,
                        bytes: r.get(1)?,
                    })
                },
            )
            .optional()?)
    }

    /// The unit each of the document's segments came from, by segment id.
    pub fn segment_units(&self, doc_id: i64) -> Result<HashMap<i64, String>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT u.segment_id, u.unit FROM segment_units u
             JOIN segments s ON s.id = u.segment_id JOIN blocks b ON b.id = s.block_id
             WHERE b.document_id = ?1",
        )?;
        let rows = stmt.query_map([doc_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
