//! What the translator checks and hands over: QA, the fact checklist, the
//! house style, the dashboard's figures, exports and reviews.

use std::path::Path;

use super::{Error, Open, Result};
use crate::export::ExportFormat;
use crate::facts::Fact;
use crate::mt::effort::Effort;
use crate::qa::Finding;
use crate::review::ReviewReport;
use crate::stats::DocumentStats;
use crate::style::{StyleGuide, Suggestion};
use crate::tm::BandCount;

pub use crate::export::Exported;

/// A document's dashboard.
#[derive(Debug, Clone)]
pub struct Statistics {
    /// Words by status, pace.
    pub stats: DocumentStats,
    /// Segments and words per TM match band (see `tm::BANDS`).
    pub bands: [BandCount; 8],
    /// Segments and words filled from a context (101) and a 100 % match.
    pub filled: [BandCount; 2],
    /// What each TM or MT provider's suggestions saved.
    pub effort: Vec<Effort>,
}

/// The house-style preset called `name`, or an error naming the presets.
pub fn house_style(name: &str) -> Result<&'static StyleGuide> {
    crate::style::preset(name).ok_or_else(|| {
        let names: Vec<&str> = crate::style::PRESETS.iter().map(|p| p.name).collect();
        Error::Invalid(format!(
            "unknown house style `{name}`; the presets are {}",
            names.join(", ")
        ))
    })
}

impl Open {
    /// The document's house style, if it has one.
    fn style_of(&self, doc_id: i64) -> Result<Option<&'static StyleGuide>> {
        Ok(self
            .ws
            .document_style(doc_id)?
            .as_deref()
            .and_then(crate::style::preset))
    }

    /// Sets the document's house style (`None`: none).
    pub fn set_document_style(&mut self, doc_id: i64, style: Option<&str>) -> Result<()> {
        let name = style.map(house_style).transpose()?.map(|s| s.name);
        Ok(self.ws.set_document_style(doc_id, name)?)
    }

    /// The QA findings of the document, less those ignored, against its
    /// house style or `style` when given.
    pub fn qa(&mut self, doc_id: i64, style: Option<&str>) -> Result<Vec<Finding>> {
        let style = match style {
            Some(name) => Some(house_style(name)?),
            None => self.style_of(doc_id)?,
        };
        self.terms()?;
        self.prepare_spelling(doc_id)?;
        let checker = self.spelling_checker(doc_id)?;
        let terms = self.terms.as_ref().expect("built above");
        Ok(crate::qa::check_document_spelled(
            &self.ws,
            terms,
            doc_id,
            style,
            Some(&checker),
        )?)
    }

    /// Marks a finding as a false alarm for the segment's current English.
    pub fn ignore_qa(&mut self, doc_id: i64, segment_id: i64, check: &str) -> Result<()> {
        if crate::qa::Check::from_name(check).is_none() {
            let names: Vec<&str> = crate::qa::Check::ALL.iter().map(|c| c.as_str()).collect();
            return Err(Error::Invalid(format!(
                "no check named `{check}`; the checks are {}",
                names.join(", ")
            )));
        }
        Ok(self.ws.ignore_qa(doc_id, segment_id, check)?)
    }

    /// Every number, date, time, name and quote of the Italian and whether
    /// the English has it.
    pub fn fact_checklist(&mut self, doc_id: i64) -> Result<Vec<Fact>> {
        let (ws, terms) = self.with_terms()?;
        Ok(crate::facts::checklist(ws, terms, doc_id)?)
    }

    /// The house style's suggestions for one segment's Italian.
    pub fn style_suggestions(&self, doc_id: i64, segment_id: i64) -> Result<Vec<Suggestion>> {
        let Some(style) = self.style_of(doc_id)? else {
            return Ok(Vec::new());
        };
        let segment = self.ws.segment(doc_id, segment_id)?;
        Ok(crate::style::suggest(
            style,
            &crate::text::codes::strip(&segment.source),
        ))
    }

    /// The document's dashboard: words by status, TM bands, effort, pace.
    pub fn statistics(&mut self, doc_id: i64) -> Result<Statistics> {
        let stats = crate::stats::document_stats(&self.ws, doc_id)?;
        let effort = crate::mt::effort::effort(&self.ws, doc_id)?;
        let bands = self.analyze(doc_id)?;
        let filled = self.filled_from_tm(doc_id)?;
        Ok(Statistics {
            stats,
            bands,
            filled,
            effort,
        })
    }

    /// Exports the document as `format` to `path`, never leaving half a
    /// file behind.
    pub fn export(
        &self,
        doc_id: i64,
        format: ExportFormat,
        refuse_untranslated: bool,
        path: &Path,
    ) -> Result<Exported> {
        Ok(crate::export::export_document(
            &self.ws,
            doc_id,
            format,
            refuse_untranslated,
            path,
        )?)
    }

    /// Brings back a reviewed DOCX or an XLIFF into the document, all or
    /// nothing; confirmed English goes to the TM.
    pub fn import_review(&mut self, doc_id: i64, path: &Path) -> Result<ReviewReport> {
        let (ws, matcher) = self.with_matcher()?;
        Ok(crate::review::import_review(
            ws,
            Some(matcher),
            doc_id,
            path,
        )?)
    }

    /// Sets a segment's note; an empty note removes it.
    pub fn set_note(
        &mut self,
        doc_id: i64,
        segment_id: i64,
        note: &str,
    ) -> Result<crate::store::SegmentRow> {
        let note = Some(note.trim()).filter(|n| !n.is_empty());
        Ok(self.ws.set_note(doc_id, segment_id, note)?)
    }
}
