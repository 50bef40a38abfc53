//! The translation memory as the translator meets it: matches for a
//! segment, confirmations, pre-translation, analysis, TMX files and
//! concordance.

use std::path::Path;

use super::{Error, Open, Result};
use crate::store::settings::AutoFill;
use crate::store::tm::{ExactFill, StoredUnit, TmImportReport};
use crate::store::Status;
use crate::text::codes;
use crate::tm::{BandCount, Confirmed, DiffKind, MatchOptions, MatchQuery, TmMatch};

/// What the matches panel lists as the previous version's "TM".
pub const PREVIOUS_VERSION: &str = "previous version";

/// One suggestion for a segment: a TM match, or the segment's own previous
/// version when an update of the article edited its Italian.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SegmentMatch {
    /// 0 to 100, or 101 for a context match.
    pub score: u32,
    /// The match's Italian.
    pub source: String,
    /// Its English.
    pub target: String,
    /// When only numbers differ: the English with the segment's numbers.
    pub adapted_target: Option<String>,
    /// The TM it came from, or [`PREVIOUS_VERSION`].
    pub tm: String,
    /// Last change (TMX basic ISO date), if known.
    pub changed_at: Option<String>,
    /// Who made that change (or created the unit), if known.
    pub changed_by: Option<String>,
    /// From the match's Italian to the segment's, word by word.
    pub diff: Vec<(DiffKind, String)>,
    /// The TM unit, for changing or deleting it (none for the previous version).
    pub unit: Option<i64>,
    /// Whether the unit can be changed here: its TM is not read-only and
    /// its English has no inline codes (set by `segment_matches`).
    pub editable: bool,
}

impl From<TmMatch> for SegmentMatch {
    fn from(m: TmMatch) -> Self {
        SegmentMatch {
            unit: Some(m.unit.id),
            editable: false,
            score: m.score,
            source: m.unit.source,
            target: m.unit.target,
            adapted_target: m.adapted_target,
            tm: m.unit.tm,
            changed_at: m.unit.changed_at,
            changed_by: m.unit.changed_by.or(m.unit.created_by),
            diff: m.diff,
        }
    }
}

/// A concordance hit: `source_hits`/`target_hits` are [start, end)
/// character ranges of the phrase's words, for highlighting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConcordanceHit {
    /// The unit found.
    pub unit: StoredUnit,
    /// Where the phrase's words are in its Italian.
    pub source_hits: Vec<(usize, usize)>,
    /// Where they are in its English.
    pub target_hits: Vec<(usize, usize)>,
    /// Whether the unit can be changed here (see [`SegmentMatch::editable`]).
    pub editable: bool,
}

impl Open {
    /// The matches panel's suggestions for a segment: the best nine from
    /// the translator's `match_threshold` setting.
    pub fn panel_matches(&mut self, doc_id: i64, segment_id: i64) -> Result<Vec<SegmentMatch>> {
        let min_score = self.settings()?.match_threshold;
        let options = MatchOptions {
            min_score,
            ..MatchOptions::default()
        };
        self.segment_matches(doc_id, segment_id, options)
    }

    /// A segment's suggestions: its previous version first (when an update
    /// of the article edited it), then the TM's matches.
    pub fn segment_matches(
        &mut self,
        doc_id: i64,
        segment_id: i64,
        options: MatchOptions,
    ) -> Result<Vec<SegmentMatch>> {
        let segment = self.ws.segment(doc_id, segment_id)?;
        let context = self.ws.segment_context(doc_id, segment_id)?;
        let query = MatchQuery::new(&segment.source)
            .in_context(context)
            .with(options);
        let found = self.lookup(&query)?;
        let mut editable = Vec::with_capacity(found.len());
        for m in &found {
            editable.push(self.editable(&m.unit.tm, &m.unit.target)?);
        }
        let mut found: Vec<SegmentMatch> = found
            .into_iter()
            .zip(editable)
            .map(|(m, editable)| SegmentMatch {
                editable,
                ..SegmentMatch::from(m)
            })
            .collect();
        if let Some(previous) = self.previous_version(&segment.source, segment_id)? {
            found.insert(0, previous);
        }
        Ok(found)
    }

    /// The Italian and English a segment had before an update of the
    /// article edited it, as a match of the segment.
    fn previous_version(&self, source_now: &str, segment_id: i64) -> Result<Option<SegmentMatch>> {
        let Some(change) = self.ws.previous_version(segment_id)? else {
            return Ok(None);
        };
        let (Some(source), Some(target)) = (change.previous_source, change.previous_target) else {
            return Ok(None);
        };
        if target.is_empty() {
            return Ok(None);
        }
        // The old Italian's codes were those of the old block: the English
        // takes the segment's own, as a TM match's does.
        let target = codes::carry_over(&source, &target, source_now);
        let source = codes::carry_over(&source, &source, source_now);
        Ok(Some(SegmentMatch {
            score: change.score.unwrap_or(0),
            diff: crate::tm::word_diff(&codes::strip(&source), &codes::strip(source_now)),
            // An update that changed only a figure: the English with the new one.
            adapted_target: crate::text::numbers::substitute(source_now, &source, &target),
            source,
            target,
            tm: PREVIOUS_VERSION.into(),
            changed_at: None,
            changed_by: None,
            unit: None,
            editable: false,
        }))
    }

    /// The TM's matches for any Italian.
    pub fn lookup(&mut self, query: &MatchQuery<'_>) -> Result<Vec<TmMatch>> {
        let (ws, matcher) = self.with_matcher()?;
        Ok(matcher.lookup(ws, query)?)
    }

    /// Writes a segment's English with `status`. A confirmation goes to the
    /// project TM (and the TM index, if one is built: one built later reads
    /// it from the TM) and, with `propagate`, to identical untranslated
    /// segments; a draft touches neither.
    pub fn save_target(
        &mut self,
        doc_id: i64,
        segment_id: i64,
        target: &str,
        status: Status,
        propagate: bool,
    ) -> Result<Confirmed> {
        // A TM match or a machine translation confirmed as it was inserted
        // keeps its origin in the segment's history.
        let origin = self.ws.origin_of(segment_id, target)?;
        let edit = crate::tm::TargetEdit {
            doc_id,
            segment_id,
            target,
            status,
            origin,
        };
        Ok(crate::tm::save_target(
            &mut self.ws,
            self.matcher.as_mut(),
            edit,
            propagate && status.is_confirmed(),
        )?)
    }

    /// Fills the document's new, empty segments from their best TM match
    /// at or above `min_score`; returns how many.
    pub fn pretranslate_from_tm(&mut self, doc_id: i64, min_score: u32) -> Result<usize> {
        let (ws, matcher) = self.with_matcher()?;
        Ok(crate::tm::pretranslate(ws, matcher, doc_id, min_score)?)
    }

    /// Fills the document's new, empty segments from their 101 % and 100 %
    /// TM matches, as the workspace's auto-fill setting says (translated,
    /// draft, or not at all); returns the segments filled.
    pub fn fill_exact_matches(&mut self, doc_id: i64) -> Result<Vec<ExactFill>> {
        let status = match self.ws.settings()?.auto_fill {
            AutoFill::Off => return Ok(Vec::new()),
            AutoFill::Translated => Status::Translated,
            AutoFill::Draft => Status::Draft,
        };
        // With no TM there is nothing to find, and no index to build.
        if self.matcher.is_none() && !self.ws.has_tm_units()? {
            return Ok(Vec::new());
        }
        let (ws, matcher) = self.with_matcher()?;
        Ok(crate::tm::fill_exact(ws, matcher, doc_id, status)?)
    }

    /// [`Open::fill_exact_matches`] after an import or on opening, where
    /// the document is there whatever happens: a failure is logged, not
    /// the document's.
    pub(super) fn fill_exact_matches_or_log(&mut self, doc_id: i64) {
        if let Err(e) = self.fill_exact_matches(doc_id) {
            tracing::warn!(doc_id, "filling exact matches failed: {e}");
        }
    }

    /// The document's segments and words filled from a context (101) and a
    /// 100 % match.
    pub fn filled_from_tm(&self, doc_id: i64) -> Result<[BandCount; 2]> {
        Ok(crate::tm::filled_counts(&self.ws, doc_id)?)
    }

    /// The document's segments and words per match band.
    pub fn analyze(&mut self, doc_id: i64) -> Result<[BandCount; 8]> {
        let (ws, matcher) = self.with_matcher()?;
        Ok(crate::tm::analyze(ws, matcher, doc_id)?)
    }

    /// Imports a TMX file as (or into) the TM `name`, all or nothing;
    /// `progress` hears the bytes read and units found. The concordance
    /// index and the log checkpoint are left to `Workspace::catch_up`.
    pub fn import_tmx(
        &mut self,
        path: &Path,
        name: &str,
        read_only: bool,
        progress: &mut dyn FnMut(u64, usize),
    ) -> Result<TmImportReport> {
        let failed =
            |e: &dyn std::fmt::Display| Error::ImportFile(format!("{}: {e}", path.display()));
        let file = std::fs::File::open(path).map_err(|e| failed(&e))?;
        let (report, matcher) = crate::tm::import_tmx(
            &mut self.ws,
            // Large reads: a million units are 450 MB.
            std::io::BufReader::with_capacity(1 << 20, file),
            name,
            read_only,
            progress,
        )
        .map_err(|e| failed(&e))?;
        self.matcher = Some(matcher);
        Ok(report)
    }

    /// Writes the TM `name` (every TM for `None`) to a TMX file; returns
    /// the number of units.
    pub fn export_tmx(&self, name: Option<&str>, path: &Path) -> Result<usize> {
        let file = std::fs::File::create(path)
            .map_err(|e| Error::ExportFile(format!("{}: {e}", path.display())))?;
        Ok(self.ws.export_tmx(name, std::io::BufWriter::new(file))?)
    }

    /// Deletes a TM with its units.
    pub fn delete_tm(&mut self, name: &str) -> Result<()> {
        self.ws.delete_tm(name)?;
        self.matcher = None;
        Ok(())
    }

    /// The units whose Italian or English holds `phrase`'s words, without
    /// their codes: they belong to no segment.
    pub fn concordance(&mut self, phrase: &str, limit: usize) -> Result<Vec<ConcordanceHit>> {
        let mut hits = Vec::new();
        for mut unit in self.ws.tm_search(phrase, limit)? {
            let editable = self.editable(&unit.tm, &unit.target)?;
            unit.source = codes::sanitize(&unit.source).into_owned();
            unit.target = codes::sanitize(&unit.target).into_owned();
            hits.push(ConcordanceHit {
                source_hits: crate::tm::word_hits(&unit.source, phrase),
                target_hits: crate::tm::word_hits(&unit.target, phrase),
                editable,
                unit,
            });
        }
        Ok(hits)
    }

    /// Whether a unit of `tm` with this English can be changed here.
    fn editable(&self, tm: &str, target: &str) -> Result<bool> {
        Ok(!codes::has_codes(target) && !self.ws.tm_read_only(tm)?)
    }

    /// Gives a TM unit a new English (not in a read-only TM), signed with
    /// the name versions are saved under.
    pub fn edit_tm_unit(&mut self, unit_id: i64, target: &str) -> Result<StoredUnit> {
        let author = self.ws.author().to_string();
        Ok(self.ws.update_tm_unit(unit_id, target, &author)?)
    }

    /// Deletes a TM unit (not from a read-only TM); it is no longer matched.
    pub fn delete_tm_unit(&mut self, unit_id: i64) -> Result<()> {
        self.ws.delete_tm_unit(unit_id)?;
        if let Some(matcher) = self.matcher.as_mut() {
            matcher.remove(unit_id);
        }
        Ok(())
    }
}

impl super::Session {
    /// The best TM score of each translatable segment of the document that
    /// has a match from the translator's `match_threshold` up, as (segment,
    /// score). The workspace is held for one segment at a time, so saving
    /// and typing go on while a long article is scored.
    pub fn best_scores(&self, doc_id: i64) -> Result<Vec<(i64, u32)>> {
        let (segments, threshold) = {
            let open = self.lock();
            (open.ws.segments(doc_id)?, open.settings()?.match_threshold)
        };
        let mut scores = Vec::new();
        for segment in segments {
            if !segment.translatable.is_translatable() {
                continue;
            }
            let mut open = self.lock();
            let (ws, matcher) = open.with_matcher()?;
            let score = crate::tm::best_score(ws, matcher, doc_id, segment.id, &segment.source)?;
            if score >= threshold {
                scores.push((segment.id, score));
            }
        }
        Ok(scores)
    }
}
