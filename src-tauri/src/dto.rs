//! The shapes that cross the IPC boundary, mirrored by `ui/src/lib/types.ts`.
//! Engine types stay free of serialisation; they are converted here.

use interlinea::export::Exported;
use interlinea::glossary::qa::{IssueKind, TermIssue};
use interlinea::glossary::TermHit;
use interlinea::mt::BatchReport;
use interlinea::session::{AddedEntry, ConcordanceHit, MtSuggestion, SegmentMatch, Statistics};
use interlinea::store::glossary::GlossarySummary;
use interlinea::store::tm::{TmImportReport, TmSummary};
use interlinea::store::{BlockRow, DocumentSummary, MergeOutcome, SegmentRow};
use interlinea::termbase::Entry;
use interlinea::tm::{Confirmed, DiffKind};
use serde::Serialize;

/// One error shape for every command: the UI branches on `code`.
#[derive(Debug, Serialize)]
pub struct IpcError {
    pub code: &'static str,
    pub message: String,
}

impl From<interlinea::session::Error> for IpcError {
    fn from(e: interlinea::session::Error) -> Self {
        IpcError {
            code: e.code().as_str(),
            message: e.to_string(),
        }
    }
}

impl From<interlinea::StoreError> for IpcError {
    fn from(e: interlinea::StoreError) -> Self {
        interlinea::session::Error::from(e).into()
    }
}

/// A term recognized in a segment's source.
#[derive(Debug, Serialize)]
pub struct TermHitDto {
    pub start: usize,
    pub end: usize,
    pub entry_id: i64,
    /// The glossary's Italian term.
    pub source: String,
    /// English terms to use, preferred first.
    pub targets: Vec<String>,
    pub note: Option<String>,
}

impl From<&TermHit<'_>> for TermHitDto {
    fn from(hit: &TermHit<'_>) -> Self {
        TermHitDto {
            start: hit.start,
            end: hit.end,
            entry_id: hit.entry.id,
            source: hit.term.text.clone(),
            targets: hit.entry.targets().iter().map(|t| t.text.clone()).collect(),
            note: hit.entry.note.clone(),
        }
    }
}

/// A term problem of a translation.
#[derive(Debug, Serialize)]
pub struct TermIssueDto {
    /// "missing" or "forbidden".
    pub kind: &'static str,
    pub source_term: String,
    pub start: usize,
    pub end: usize,
    pub expected: Vec<String>,
}

impl From<TermIssue> for TermIssueDto {
    fn from(issue: TermIssue) -> Self {
        TermIssueDto {
            kind: match issue.kind {
                IssueKind::Missing => "missing",
                IssueKind::Forbidden => "forbidden",
            },
            source_term: issue.source_term,
            start: issue.start,
            end: issue.end,
            expected: issue.expected,
        }
    }
}

#[derive(Debug, Serialize)]
pub struct GlossaryDto {
    pub name: String,
    pub entries: usize,
    pub enabled: bool,
}

impl From<GlossarySummary> for GlossaryDto {
    fn from(g: GlossarySummary) -> Self {
        GlossaryDto {
            name: g.name,
            entries: g.n_entries,
            enabled: g.enabled,
        }
    }
}

/// A glossary entry as the manager lists it (first terms of each side).
#[derive(Debug, Serialize)]
pub struct EntryDto {
    pub id: i64,
    pub glossary: String,
    pub italian: Vec<String>,
    pub english: Vec<String>,
    pub domain: Option<String>,
    pub note: Option<String>,
}

impl From<Entry> for EntryDto {
    fn from(e: Entry) -> Self {
        EntryDto {
            id: e.id,
            glossary: e.glossary,
            italian: e.italian.into_iter().map(|t| t.text).collect(),
            english: e.english.into_iter().map(|t| t.text).collect(),
            domain: e.domain,
            note: e.note,
        }
    }
}

/// The outcome of adding an entry: its id and the entries it may repeat.
#[derive(Debug, Serialize)]
pub struct AddedEntryDto {
    pub id: i64,
    pub duplicates: Vec<EntryDto>,
}

impl From<AddedEntry> for AddedEntryDto {
    fn from(added: AddedEntry) -> Self {
        AddedEntryDto {
            id: added.id,
            duplicates: added.duplicates.into_iter().map(EntryDto::from).collect(),
        }
    }
}

#[derive(Serialize)]
pub struct WorkspaceInfo {
    pub path: String,
}

#[derive(Serialize)]
pub struct DocumentDto {
    pub id: i64,
    pub name: String,
    pub format: &'static str,
    pub segments: usize,
    pub confirmed: usize,
    pub words: usize,
    pub progress: u32,
}

impl From<&DocumentSummary> for DocumentDto {
    fn from(d: &DocumentSummary) -> Self {
        DocumentDto {
            id: d.id,
            name: d.name.clone(),
            format: d.format.as_str(),
            segments: d.n_segments,
            confirmed: d.n_confirmed,
            words: d.n_words,
            progress: d.progress_percent(),
        }
    }
}

#[derive(Serialize)]
pub struct SegmentDto {
    pub id: i64,
    pub block: i64,
    pub index: i64,
    pub source: String,
    pub target: String,
    pub status: &'static str,
    /// Score of the TM match it was pre-translated from, if it was.
    pub match_score: Option<u32>,
    /// A note (a reviewer's comment), if any.
    pub note: Option<String>,
}

impl From<&SegmentRow> for SegmentDto {
    fn from(s: &SegmentRow) -> Self {
        SegmentDto {
            id: s.id,
            block: s.block,
            index: s.index,
            source: s.source.clone(),
            target: s.target.clone(),
            status: s.status.as_str(),
            match_score: s.match_score,
            note: s.note.clone(),
        }
    }
}

#[derive(Serialize)]
pub struct BlockDto {
    pub position: i64,
    pub kind: String,
    pub translatable: bool,
    /// Why it is not translatable: "boilerplate", "never" or "excluded".
    pub reason: &'static str,
    pub segments: Vec<SegmentDto>,
}

impl From<&BlockRow> for BlockDto {
    fn from(b: &BlockRow) -> Self {
        BlockDto {
            position: b.position,
            kind: b.kind.code(),
            translatable: b.translatable.is_translatable(),
            reason: b.translatable.as_str(),
            segments: b.segments.iter().map(SegmentDto::from).collect(),
        }
    }
}

#[derive(Serialize)]
pub struct DocumentView {
    pub document: DocumentDto,
    pub blocks: Vec<BlockDto>,
}

impl From<interlinea::session::DocumentView> for DocumentView {
    fn from(view: interlinea::session::DocumentView) -> Self {
        DocumentView {
            document: DocumentDto::from(&view.document),
            blocks: view.blocks.iter().map(BlockDto::from).collect(),
        }
    }
}

#[derive(Serialize)]
pub struct SaveResult {
    pub segment: SegmentDto,
    /// Identical segments that received the same target.
    pub propagated: Vec<i64>,
}

impl From<Confirmed> for SaveResult {
    fn from(saved: Confirmed) -> Self {
        SaveResult {
            segment: SegmentDto::from(&saved.segment),
            propagated: saved.propagated,
        }
    }
}

#[derive(Serialize)]
pub struct DiffPart {
    /// "equal", "insert" (only in the segment) or "delete" (only in the match).
    pub kind: &'static str,
    pub text: String,
}

impl DiffPart {
    /// The engine's word differences as the UI shows them.
    pub fn list(diff: Vec<(DiffKind, String)>) -> Vec<DiffPart> {
        diff.into_iter()
            .map(|(kind, text)| DiffPart {
                kind: match kind {
                    DiffKind::Equal => "equal",
                    DiffKind::Insert => "insert",
                    DiffKind::Delete => "delete",
                },
                text,
            })
            .collect()
    }
}

#[derive(Serialize)]
pub struct MatchDto {
    pub score: u32,
    pub source: String,
    pub target: String,
    pub adapted_target: Option<String>,
    pub tm: String,
    pub changed_at: Option<String>,
    pub diff: Vec<DiffPart>,
}

impl From<SegmentMatch> for MatchDto {
    fn from(m: SegmentMatch) -> Self {
        MatchDto {
            score: m.score,
            source: m.source,
            target: m.target,
            adapted_target: m.adapted_target,
            tm: m.tm,
            changed_at: m.changed_at,
            diff: DiffPart::list(m.diff),
        }
    }
}

#[derive(Serialize)]
pub struct TmDto {
    pub name: String,
    pub units: usize,
    pub read_only: bool,
}

impl From<&TmSummary> for TmDto {
    fn from(t: &TmSummary) -> Self {
        TmDto {
            name: t.name.clone(),
            units: t.n_units,
            read_only: t.read_only,
        }
    }
}

#[derive(Serialize)]
pub struct TmImportDto {
    pub added: usize,
    pub duplicates: usize,
    pub skipped: usize,
}

impl From<TmImportReport> for TmImportDto {
    fn from(report: TmImportReport) -> Self {
        TmImportDto {
            added: report.added,
            duplicates: report.duplicates,
            skipped: report.skipped,
        }
    }
}

/// A concordance hit; `source_hits`/`target_hits` are [start, end) character
/// ranges of the phrase's words, for highlighting.
#[derive(Serialize)]
pub struct ConcordanceDto {
    pub source: String,
    pub target: String,
    pub tm: String,
    pub source_hits: Vec<(usize, usize)>,
    pub target_hits: Vec<(usize, usize)>,
}

impl From<ConcordanceHit> for ConcordanceDto {
    fn from(hit: ConcordanceHit) -> Self {
        ConcordanceDto {
            source: hit.unit.source,
            target: hit.unit.target,
            tm: hit.unit.tm,
            source_hits: hit.source_hits,
            target_hits: hit.target_hits,
        }
    }
}

#[derive(Serialize)]
pub struct MergeDto {
    pub segment: SegmentDto,
    pub suggested_exception: Option<String>,
}

impl From<MergeOutcome> for MergeDto {
    fn from(outcome: MergeOutcome) -> Self {
        MergeDto {
            segment: SegmentDto::from(&outcome.segment),
            suggested_exception: outcome.suggested_exception,
        }
    }
}

/// What an export wrote.
#[derive(Serialize)]
pub struct ExportedDto {
    /// What the file holds, for the user.
    pub what: String,
    /// Untranslated segments where the Italian stood in.
    pub untranslated: usize,
}

impl From<Exported> for ExportedDto {
    fn from(exported: Exported) -> Self {
        ExportedDto {
            what: exported.what,
            untranslated: exported.untranslated.len(),
        }
    }
}

/// One English text a review changed.
#[derive(Serialize)]
pub struct ReviewChangeDto {
    pub id: i64,
    pub before: String,
    pub after: String,
}

/// What an imported review changed.
#[derive(Serialize)]
pub struct ReviewDto {
    pub changed: Vec<ReviewChangeDto>,
    pub statuses: usize,
    pub notes: usize,
    pub unchanged: usize,
}

impl From<interlinea::review::ReviewReport> for ReviewDto {
    fn from(r: interlinea::review::ReviewReport) -> Self {
        ReviewDto {
            changed: r
                .changed
                .into_iter()
                .map(|c| ReviewChangeDto {
                    id: c.id,
                    before: c.before,
                    after: c.after,
                })
                .collect(),
            statuses: r.statuses.len(),
            notes: r.notes.len(),
            unchanged: r.unchanged,
        }
    }
}

/// Segments and words of one status or TM band.
#[derive(Serialize)]
pub struct CountDto {
    pub label: String,
    pub segments: usize,
    pub words: usize,
}

/// What suggestions from one TM or MT provider saved.
#[derive(Serialize)]
pub struct EffortDto {
    pub origin: String,
    pub segments: usize,
    pub confirmed: usize,
    pub unedited: usize,
    pub edited_percent: f64,
}

/// A document's dashboard.
#[derive(Serialize)]
pub struct StatsDto {
    pub words: usize,
    pub characters: usize,
    pub by_status: Vec<CountDto>,
    pub bands: Vec<CountDto>,
    pub effort: Vec<EffortDto>,
    pub words_per_hour: Option<f64>,
    pub active_minutes: f64,
}

impl From<Statistics> for StatsDto {
    fn from(statistics: Statistics) -> Self {
        let Statistics {
            stats,
            bands,
            effort,
        } = statistics;
        StatsDto {
            words: stats.words,
            characters: stats.characters,
            by_status: stats
                .by_status
                .iter()
                .map(|c| CountDto {
                    label: c.status.as_str().into(),
                    segments: c.segments,
                    words: c.words,
                })
                .collect(),
            bands: interlinea::tm::BANDS
                .iter()
                .zip(bands)
                .map(|(label, c)| CountDto {
                    label: (*label).into(),
                    segments: c.segments,
                    words: c.words,
                })
                .collect(),
            effort: effort
                .iter()
                .map(|e| EffortDto {
                    origin: e.origin.clone(),
                    segments: e.segments,
                    confirmed: e.confirmed,
                    unedited: e.unedited,
                    edited_percent: e.edited_percent(),
                })
                .collect(),
            words_per_hour: stats.words_per_hour,
            active_minutes: stats.active_minutes,
        }
    }
}

/// A QA finding.
#[derive(Serialize)]
pub struct FindingDto {
    pub segment: i64,
    /// The check's stable name ("numbers", "terms", …).
    pub check: &'static str,
    pub message: String,
}

impl From<interlinea::qa::Finding> for FindingDto {
    fn from(f: interlinea::qa::Finding) -> Self {
        FindingDto {
            segment: f.segment,
            check: f.check.as_str(),
            message: f.message,
        }
    }
}

/// A machine-translation provider; its key is never sent, only whether
/// there is one.
#[derive(Serialize)]
pub struct ProviderDto {
    pub name: String,
    /// "deepl", "libretranslate" or "openai".
    pub kind: &'static str,
    pub url: String,
    pub model: Option<String>,
    pub has_key: bool,
}

/// A provider's translation of the active segment.
#[derive(Serialize)]
pub struct MtSuggestionDto {
    pub provider: String,
    pub text: String,
    /// Answered from the cache, without a request.
    pub cached: bool,
}

impl From<MtSuggestion> for MtSuggestionDto {
    fn from(s: MtSuggestion) -> Self {
        MtSuggestionDto {
            provider: s.provider,
            text: s.text,
            cached: s.cached,
        }
    }
}

/// What a machine-translation batch did.
#[derive(Serialize)]
pub struct MtBatchDto {
    pub filled: usize,
    pub from_cache: usize,
    pub failed: usize,
    pub cancelled: bool,
}

impl From<BatchReport> for MtBatchDto {
    fn from(report: BatchReport) -> Self {
        MtBatchDto {
            filled: report.filled,
            from_cache: report.from_cache,
            failed: report.failed.len(),
            cancelled: report.cancelled,
        }
    }
}

#[cfg(test)]
mod tests {
    //! `ui/src/lib/types.ts` is written by hand: these tests fail when the
    //! JSON the shell sends and the TypeScript interfaces drift apart.

    use super::*;
    use std::collections::BTreeSet;

    fn ts_fields(interface: &str) -> BTreeSet<String> {
        let types = include_str!("../../ui/src/lib/types.ts");
        let start = types
            .find(&format!("export interface {interface} {{"))
            .unwrap_or_else(|| panic!("interface {interface} in types.ts"));
        let body = &types[start..];
        let body = &body[body.find('{').expect("{") + 1..body.find("\n}").expect("}")];
        body.lines()
            .filter_map(|l| l.trim().split_once(':').map(|(k, _)| k.trim().to_string()))
            .filter(|k| !k.starts_with("//") && !k.starts_with("/*") && !k.is_empty())
            .collect()
    }

    fn json_fields(value: impl Serialize) -> BTreeSet<String> {
        serde_json::to_value(value)
            .expect("serialisable")
            .as_object()
            .expect("an object")
            .keys()
            .cloned()
            .collect()
    }

    fn segment() -> SegmentDto {
        SegmentDto {
            id: 1,
            block: 0,
            index: 0,
            source: "Ciao.".into(),
            target: String::new(),
            status: "new",
            match_score: None,
            note: None,
        }
    }

    fn document() -> DocumentDto {
        DocumentDto {
            id: 1,
            name: "a".into(),
            format: "text",
            segments: 1,
            confirmed: 0,
            words: 1,
            progress: 0,
        }
    }

    #[test]
    fn ipc_shapes_match_the_typescript_interfaces() {
        assert_eq!(json_fields(segment()), ts_fields("Segment"));
        assert_eq!(json_fields(document()), ts_fields("DocumentSummary"));
        let block = BlockDto {
            position: 0,
            kind: "p".into(),
            translatable: true,
            reason: "yes",
            segments: vec![segment()],
        };
        assert_eq!(json_fields(&block), ts_fields("Block"));
        let view = DocumentView {
            document: document(),
            blocks: vec![block],
        };
        assert_eq!(json_fields(&view), ts_fields("DocumentView"));
        let merge = MergeDto {
            segment: segment(),
            suggested_exception: None,
        };
        assert_eq!(json_fields(&merge), ts_fields("MergeResult"));
        let error = IpcError {
            code: "store",
            message: "x".into(),
        };
        assert_eq!(json_fields(&error), ts_fields("IpcError"));
        assert_eq!(
            json_fields(WorkspaceInfo { path: "/x".into() }),
            ts_fields("WorkspaceInfo")
        );
        let entry = EntryDto::from(interlinea::termbase::Entry::pair("Onu", "UN"));
        let hit = TermHitDto {
            start: 0,
            end: 3,
            entry_id: 1,
            source: "Onu".into(),
            targets: vec!["UN".into()],
            note: None,
        };
        assert_eq!(json_fields(&hit), ts_fields("TermHit"));
        let issue = TermIssueDto {
            kind: "missing",
            source_term: "Onu".into(),
            start: 0,
            end: 3,
            expected: vec!["UN".into()],
        };
        assert_eq!(json_fields(&issue), ts_fields("TermIssue"));
        let glossary = GlossaryDto {
            name: "g".into(),
            entries: 1,
            enabled: true,
        };
        assert_eq!(json_fields(&glossary), ts_fields("Glossary"));
        assert_eq!(json_fields(&entry), ts_fields("GlossaryEntry"));
        let added = AddedEntryDto {
            id: 1,
            duplicates: vec![],
        };
        assert_eq!(json_fields(&added), ts_fields("AddedEntry"));
        let exported = ExportedDto {
            what: "the English article".into(),
            untranslated: 0,
        };
        assert_eq!(json_fields(&exported), ts_fields("Exported"));
        let change = ReviewChangeDto {
            id: 1,
            before: "a".into(),
            after: "b".into(),
        };
        assert_eq!(json_fields(&change), ts_fields("ReviewChange"));
        let review = ReviewDto {
            changed: vec![change],
            statuses: 0,
            notes: 0,
            unchanged: 1,
        };
        assert_eq!(json_fields(&review), ts_fields("ReviewReport"));
        let provider = ProviderDto {
            name: "deepl".into(),
            kind: "deepl",
            url: "https://api-free.deepl.com".into(),
            model: None,
            has_key: true,
        };
        assert_eq!(json_fields(&provider), ts_fields("Provider"));
        let suggestion = MtSuggestionDto {
            provider: "deepl".into(),
            text: "Hello.".into(),
            cached: false,
        };
        assert_eq!(json_fields(&suggestion), ts_fields("MtSuggestion"));
        let batch = MtBatchDto {
            filled: 1,
            from_cache: 0,
            failed: 0,
            cancelled: false,
        };
        assert_eq!(json_fields(&batch), ts_fields("MtBatch"));
        let finding = FindingDto {
            segment: 1,
            check: "numbers",
            message: "2000 is missing".into(),
        };
        assert_eq!(json_fields(&finding), ts_fields("Finding"));
        let count = CountDto {
            label: "new".into(),
            segments: 1,
            words: 3,
        };
        assert_eq!(json_fields(&count), ts_fields("Count"));
        let effort = EffortDto {
            origin: "mt:deepl".into(),
            segments: 1,
            confirmed: 1,
            unedited: 0,
            edited_percent: 12.5,
        };
        assert_eq!(json_fields(&effort), ts_fields("Effort"));
        let stats = StatsDto {
            words: 3,
            characters: 12,
            by_status: vec![count],
            bands: vec![],
            effort: vec![effort],
            words_per_hour: None,
            active_minutes: 0.0,
        };
        assert_eq!(json_fields(&stats), ts_fields("DocumentStats"));
    }
}
