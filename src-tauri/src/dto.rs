//! The shapes that cross the IPC boundary. Their TypeScript twins in
//! `ui/src/lib/bindings.ts` are generated from them (see `bindings.rs`).
//! Engine types stay free of serialisation; they are converted here.

use interlinea::document::{CodeShape, SegmentCode, SourceFormat, Translatable};
use interlinea::export::{ExportFormat, Exported};
use interlinea::facts::FactKind;
use interlinea::glossary::qa::{IssueKind, TermIssue};
use interlinea::glossary::TermHit;
use interlinea::mt::BatchReport;
use interlinea::session::{
    AddedEntry, ConcordanceHit, MtSuggestion, Phrase, PhraseKind, SegmentMatch, Statistics,
};
use interlinea::store::glossary::GlossarySummary;
use interlinea::store::mt::ProviderKind;
use interlinea::store::news::ChangeKind;
use interlinea::store::tm::{TmImportReport, TmSummary};
use interlinea::store::{BlockRow, DocumentSummary, MergeOutcome, SegmentRow};
use interlinea::style::Rule;
use interlinea::termbase::Entry;
use interlinea::tm::{Confirmed, DiffKind};
use interlinea::Status;
use serde::{Deserialize, Serialize};
use specta::Type;
// For figures that are always finite: a plain `number`, where specta
// allows for the `null` that serde_json writes for NaN.
use specta_typescript::Number;

/// One error shape for every command: the UI branches on `code`.
#[derive(Debug, Serialize, Type)]
pub struct IpcError {
    pub code: ErrorCode,
    pub message: String,
}

/// What went wrong, for the UI to branch on (a union of these names in
/// TypeScript).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    NotFound,
    InvalidEdit,
    // The workspace file was replaced under the app: it stops saving.
    WorkspaceReplaced,
    Store,
    Tm,
    Export,
    Review,
    Offline,
    // A provider refused its key, or has none.
    Key,
    // The keys file could not be read or written.
    Keys,
    Mt,
    Import,
    Fetch,
    Invalid,
    // A newer request took the place of this one.
    Cancelled,
    // A dialog chose one of the workspace's own files.
    OwnFile,
    Dialog,
    // The desktop could not open an exported file or its folder.
    Open,
}

/// Mirrors an engine enum whose stable names are its variants in lower
/// case, so the UI gets a union of those names. The conversions match
/// every variant: one added to the engine fails to compile here.
macro_rules! named_enum {
    ($(#[$doc:meta])* $dto:ident = $engine:ident { $($variant:ident),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
        #[serde(rename_all = "lowercase")]
        pub enum $dto {
            $($variant),+
        }

        impl From<$engine> for $dto {
            fn from(value: $engine) -> Self {
                match value {
                    $($engine::$variant => $dto::$variant),+
                }
            }
        }

        impl From<$dto> for $engine {
            fn from(value: $dto) -> Self {
                match value {
                    $($dto::$variant => $engine::$variant),+
                }
            }
        }
    };
}
pub(crate) use named_enum;

named_enum!(
    /// Where a segment stands in the workflow.
    StatusDto = Status { New, Draft, Translated, Approved }
);
named_enum!(
    /// The format a document was imported from.
    SourceFormatDto = SourceFormat { Text, Markdown, Html }
);
named_enum!(
    /// Whether a block is translated, and if not why.
    TranslatableDto = Translatable { Yes, Boilerplate, Never, Excluded }
);
named_enum!(
    /// "insert": only in the segment; "delete": only in the match's source.
    DiffKindDto = DiffKind { Equal, Insert, Delete }
);
named_enum!(
    /// A term not rendered, or a forbidden one used.
    IssueKindDto = IssueKind { Missing, Forbidden }
);
named_enum!(
    /// The API a machine-translation provider speaks.
    ProviderKindDto = ProviderKind { DeepL, LibreTranslate, OpenAi }
);
named_enum!(
    /// The files a document can be exported as.
    ExportFormatDto = ExportFormat { Target, Docx, Html, Xliff, Xliff2, Tmx, Csv, Tsv }
);
named_enum!(
    /// How an inline code sits in a segment: both ends, its start only, its
    /// end only, or alone.
    CodeShapeDto = CodeShape { Paired, Opening, Closing, Standalone }
);
named_enum!(
    /// What a new version of the article did to a segment.
    ChangeKindDto = ChangeKind { Edited, New, Removed }
);
named_enum!(
    /// The house-style rule behind a suggestion.
    RuleDto = Rule { Numbers, Money, Dates, Times, Quotes, Honorifics, Titles }
);
named_enum!(
    /// What kind of fact the checklist found.
    FactKindDto = FactKind { Number, Date, Time, Name, Quote }
);

impl From<interlinea::session::Error> for IpcError {
    fn from(e: interlinea::session::Error) -> Self {
        use interlinea::session::ErrorCode as Engine;
        let code = match e.code() {
            Engine::NotFound => ErrorCode::NotFound,
            Engine::InvalidEdit => ErrorCode::InvalidEdit,
            Engine::WorkspaceReplaced => ErrorCode::WorkspaceReplaced,
            Engine::Store => ErrorCode::Store,
            Engine::Tm => ErrorCode::Tm,
            Engine::Import => ErrorCode::Import,
            Engine::Fetch => ErrorCode::Fetch,
            Engine::Export => ErrorCode::Export,
            Engine::Review => ErrorCode::Review,
            Engine::Offline => ErrorCode::Offline,
            Engine::Key => ErrorCode::Key,
            Engine::Mt => ErrorCode::Mt,
            Engine::Keys => ErrorCode::Keys,
            Engine::Invalid => ErrorCode::Invalid,
            Engine::Cancelled => ErrorCode::Cancelled,
        };
        IpcError {
            code,
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
#[derive(Debug, Serialize, Type)]
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
#[derive(Debug, Serialize, Type)]
pub struct TermIssueDto {
    pub kind: IssueKindDto,
    pub source_term: String,
    pub start: usize,
    pub end: usize,
    pub expected: Vec<String>,
}

impl From<TermIssue> for TermIssueDto {
    fn from(issue: TermIssue) -> Self {
        TermIssueDto {
            kind: issue.kind.into(),
            source_term: issue.source_term,
            start: issue.start,
            end: issue.end,
            expected: issue.expected,
        }
    }
}

#[derive(Debug, Serialize, Type)]
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
#[derive(Debug, Serialize, Type)]
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
#[derive(Debug, Serialize, Type)]
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

#[derive(Serialize, Type)]
pub struct WorkspaceInfo {
    pub path: String,
}

#[derive(Serialize, Type)]
pub struct DocumentDto {
    pub id: i64,
    pub name: String,
    pub format: SourceFormatDto,
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
            format: d.format.into(),
            segments: d.n_segments,
            confirmed: d.n_confirmed,
            words: d.n_words,
            progress: d.progress_percent(),
        }
    }
}

#[derive(Serialize, Type)]
pub struct SegmentDto {
    pub id: i64,
    pub block: i64,
    pub index: i64,
    pub source: String,
    pub target: String,
    pub status: StatusDto,
    /// Score of the TM match it was pre-translated from, if it was.
    pub match_score: Option<u32>,
    /// A note (a reviewer's comment), if any.
    pub note: Option<String>,
    /// Its inline codes in the Italian's order. In `source` and `target`
    /// each code's start is the character U+E000 + id, its end U+E800 + id,
    /// a standalone code U+F000 + id.
    pub codes: Vec<CodeDto>,
}

/// One inline code of a segment.
#[derive(Serialize, Type)]
pub struct CodeDto {
    /// The id its characters carry.
    pub id: u16,
    /// Its number in the segment, from 1.
    pub number: u32,
    pub shape: CodeShapeDto,
    /// The element it stands for (`a`, `strong`, `g` …).
    pub element: String,
    /// A link's address, an image's text, or the original markup.
    pub title: String,
}

impl From<&SegmentCode> for CodeDto {
    fn from(c: &SegmentCode) -> Self {
        let title = if c.code.title.is_empty() {
            format!("{}{}", c.code.open, c.code.close)
        } else {
            c.code.title.clone()
        };
        CodeDto {
            id: c.id,
            number: c.number as u32,
            shape: c.shape.into(),
            element: c.code.element.clone(),
            title,
        }
    }
}

impl From<&SegmentRow> for SegmentDto {
    fn from(s: &SegmentRow) -> Self {
        SegmentDto {
            id: s.id,
            block: s.block,
            index: s.index,
            source: s.source.clone(),
            target: s.target.clone(),
            status: s.status.into(),
            match_score: s.match_score,
            note: s.note.clone(),
            codes: s.codes.iter().map(CodeDto::from).collect(),
        }
    }
}

#[derive(Serialize, Type)]
pub struct BlockDto {
    pub position: i64,
    pub kind: String,
    pub translatable: bool,
    /// Why it is not translatable, if it is not.
    pub reason: TranslatableDto,
    pub segments: Vec<SegmentDto>,
}

impl From<&BlockRow> for BlockDto {
    fn from(b: &BlockRow) -> Self {
        BlockDto {
            position: b.position,
            kind: b.kind.code(),
            translatable: b.translatable.is_translatable(),
            reason: b.translatable.into(),
            segments: b.segments.iter().map(SegmentDto::from).collect(),
        }
    }
}

#[derive(Serialize, Type)]
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

#[derive(Serialize, Type)]
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

#[derive(Serialize, Type)]
pub struct DiffPart {
    pub kind: DiffKindDto,
    pub text: String,
}

impl DiffPart {
    /// The engine's word differences as the UI shows them.
    pub fn list(diff: Vec<(DiffKind, String)>) -> Vec<DiffPart> {
        diff.into_iter()
            .map(|(kind, text)| DiffPart {
                kind: kind.into(),
                text,
            })
            .collect()
    }
}

#[derive(Serialize, Type)]
pub struct MatchDto {
    pub score: u32,
    pub source: String,
    pub target: String,
    pub adapted_target: Option<String>,
    pub tm: String,
    pub changed_at: Option<String>,
    /// Who confirmed or last changed it, if the TM says.
    pub changed_by: Option<String>,
    pub diff: Vec<DiffPart>,
    /// The TM unit (none for the segment's previous version).
    pub unit: Option<i64>,
    /// Whether the unit can be changed or deleted here (not in a read-only TM).
    pub editable: bool,
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
            changed_by: m.changed_by,
            diff: DiffPart::list(m.diff),
            unit: m.unit,
            editable: m.editable,
        }
    }
}

/// The best TM score a segment is offered, for the match column.
#[derive(Serialize, Type)]
pub struct BestScoreDto {
    pub segment_id: i64,
    pub score: u32,
}

#[derive(Serialize, Type)]
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

#[derive(Serialize, Type)]
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
#[derive(Serialize, Type)]
pub struct ConcordanceDto {
    pub source: String,
    pub target: String,
    pub tm: String,
    pub source_hits: Vec<(usize, usize)>,
    pub target_hits: Vec<(usize, usize)>,
    /// The TM unit, and whether it can be changed or deleted here.
    pub unit: i64,
    pub editable: bool,
}

impl From<ConcordanceHit> for ConcordanceDto {
    fn from(hit: ConcordanceHit) -> Self {
        ConcordanceDto {
            source: hit.unit.source,
            target: hit.unit.target,
            tm: hit.unit.tm,
            source_hits: hit.source_hits,
            target_hits: hit.target_hits,
            unit: hit.unit.id,
            editable: hit.editable,
        }
    }
}

#[derive(Serialize, Type)]
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
#[derive(Serialize, Type)]
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
#[derive(Serialize, Type)]
pub struct ReviewChangeDto {
    pub id: i64,
    pub before: String,
    pub after: String,
}

/// What an imported review changed.
#[derive(Serialize, Type)]
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
#[derive(Serialize, Type)]
pub struct CountDto {
    pub label: String,
    pub segments: usize,
    pub words: usize,
}

/// What suggestions from one TM or MT provider saved.
#[derive(Serialize, Type)]
pub struct EffortDto {
    pub origin: String,
    pub segments: usize,
    pub confirmed: usize,
    pub unedited: usize,
    #[specta(type = Number)]
    pub edited_percent: f64,
}

/// A document's dashboard.
#[derive(Serialize, Type)]
pub struct StatsDto {
    pub words: usize,
    pub characters: usize,
    pub by_status: Vec<CountDto>,
    pub bands: Vec<CountDto>,
    /// Segments filled from a context (101) and a 100 % match.
    pub filled: Vec<CountDto>,
    pub effort: Vec<EffortDto>,
    #[specta(type = Option<Number>)]
    pub words_per_hour: Option<f64>,
    #[specta(type = Number)]
    pub active_minutes: f64,
}

impl From<Statistics> for StatsDto {
    fn from(statistics: Statistics) -> Self {
        let Statistics {
            stats,
            bands,
            filled,
            effort,
        } = statistics;
        let counts = |labels: &[&str], counts: &[interlinea::tm::BandCount]| -> Vec<CountDto> {
            labels
                .iter()
                .zip(counts)
                .map(|(label, c)| CountDto {
                    label: (*label).into(),
                    segments: c.segments,
                    words: c.words,
                })
                .collect()
        };
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
            bands: counts(&interlinea::tm::BANDS, &bands),
            filled: counts(&interlinea::tm::BANDS[..2], &filled),
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
#[derive(Serialize, Type)]
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
#[derive(Serialize, Type)]
pub struct ProviderDto {
    pub name: String,
    pub kind: ProviderKindDto,
    pub url: String,
    pub model: Option<String>,
    pub has_key: bool,
}

/// A provider's translation of the active segment.
#[derive(Serialize, Type)]
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
#[derive(Serialize, Type)]
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
    //! The fields' shapes are checked by the generated bindings' test;
    //! here, that the enums send the engine's stable names, as before.

    use super::*;

    fn name(value: impl Serialize) -> String {
        serde_json::to_value(value)
            .expect("serialisable")
            .as_str()
            .expect("a string")
            .to_string()
    }

    #[test]
    fn enums_send_the_engines_stable_names() {
        use Status as S;
        for s in [S::New, S::Draft, S::Translated, S::Approved] {
            assert_eq!(name(StatusDto::from(s)), s.as_str());
        }
        for f in [
            SourceFormat::Text,
            SourceFormat::Markdown,
            SourceFormat::Html,
        ] {
            assert_eq!(name(SourceFormatDto::from(f)), f.as_str());
        }
        use Translatable as T;
        for t in [T::Yes, T::Boilerplate, T::Never, T::Excluded] {
            assert_eq!(name(TranslatableDto::from(t)), t.as_str());
        }
        use ProviderKind as P;
        for p in [P::DeepL, P::LibreTranslate, P::OpenAi] {
            assert_eq!(name(ProviderKindDto::from(p)), p.as_str());
        }
        use ExportFormat as E;
        for e in [
            E::Target,
            E::Docx,
            E::Html,
            E::Xliff,
            E::Xliff2,
            E::Tmx,
            E::Csv,
            E::Tsv,
        ] {
            assert_eq!(
                ExportFormat::from_name(&name(ExportFormatDto::from(e))),
                Some(e)
            );
        }
        use ChangeKind as C;
        for c in [C::Edited, C::New, C::Removed] {
            assert_eq!(name(ChangeKindDto::from(c)), c.as_str());
        }
        use Rule as R;
        for r in [
            R::Numbers,
            R::Money,
            R::Dates,
            R::Times,
            R::Quotes,
            R::Honorifics,
            R::Titles,
        ] {
            assert_eq!(name(RuleDto::from(r)), r.as_str());
        }
        use FactKind as F;
        for f in [F::Number, F::Date, F::Time, F::Name, F::Quote] {
            assert_eq!(name(FactKindDto::from(f)), f.as_str());
        }
        assert_eq!(name(ErrorCode::WorkspaceReplaced), "workspace_replaced");
        assert_eq!(name(ErrorCode::OwnFile), "own_file");
    }
}

/// Where a phrase offered while typing comes from.
#[derive(Serialize, Type, Clone, Copy)]
#[serde(rename_all = "snake_case")]
pub enum PhraseKindDto {
    Glossary,
    Name,
    Number,
    Tm,
    Mt,
}

impl From<PhraseKind> for PhraseKindDto {
    fn from(kind: PhraseKind) -> Self {
        match kind {
            PhraseKind::Glossary => PhraseKindDto::Glossary,
            PhraseKind::Name => PhraseKindDto::Name,
            PhraseKind::Number => PhraseKindDto::Number,
            PhraseKind::Tm => PhraseKindDto::Tm,
            PhraseKind::Mt => PhraseKindDto::Mt,
        }
    }
}

/// A phrase the segment's English is likely to hold, for predictive typing.
#[derive(Serialize, Type)]
pub struct PhraseDto {
    pub text: String,
    pub kind: PhraseKindDto,
}

impl From<Phrase> for PhraseDto {
    fn from(phrase: Phrase) -> Self {
        PhraseDto {
            text: phrase.text,
            kind: phrase.kind.into(),
        }
    }
}
