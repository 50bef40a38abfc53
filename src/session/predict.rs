//! Predictive typing: the phrases a segment's English is likely to hold.

use super::{Open, Result};
use crate::predict::Phrase;

impl Open {
    /// The phrases offered while the segment's English is typed: the
    /// glossary's English for the terms of its Italian, its names and
    /// numbers the English way, and the English of the `tm` matches and
    /// `mt` suggestions the editor already has for it.
    pub fn predictions(
        &mut self,
        doc_id: i64,
        segment_id: i64,
        tm: &[&str],
        mt: &[&str],
    ) -> Result<Vec<Phrase>> {
        let source = self.ws.segment(doc_id, segment_id)?.source;
        let terms = self.terms()?;
        Ok(crate::predict::phrases(terms, &source, tm, mt))
    }
}
