// The shapes the desktop shell sends and takes, under the names the UI uses.
// They are generated from src-tauri (./bindings.ts, never edited by hand);
// only UI-only types and helpers are written here.
import type { StatusDto } from "./bindings";

export type {
  AddedEntryDto as AddedEntry,
  BlockDto as Block,
  ChangeDto as RevisionChange,
  ConcordanceDto as Concordance,
  CountDto as Count,
  DiffPart,
  DocumentDto as DocumentSummary,
  DocumentView,
  EffortDto as Effort,
  EntryDto as GlossaryEntry,
  ErrorCode,
  ExportedDto as Exported,
  ExportFormatDto as ExportFormat,
  FactDto as Fact,
  FileRequest,
  FindingDto as Finding,
  GlossaryDto as Glossary,
  IpcError,
  MatchDto as Match,
  MergeDto as MergeResult,
  MetaDto as DocumentMeta,
  MisspellingDto as Misspelling,
  MtBatchDto as MtBatch,
  MtSuggestionDto as MtSuggestion,
  PhraseDto as Phrase,
  PhraseKindDto as PhraseKind,
  PresetDto as StylePreset,
  ProviderDto as Provider,
  ProviderKindDto as ProviderKind,
  ReviewChangeDto as ReviewChange,
  ReviewDto as ReviewReport,
  RevisionDto as Revision,
  SaveResult,
  SegmentDto as Segment,
  StatsDto as DocumentStats,
  StatusDto as Status,
  SuggestionDto as StyleSuggestion,
  TermHitDto as TermHit,
  TermIssueDto as TermIssue,
  TmDto as Tm,
  TmImportDto as TmImport,
  VersionDto as SegmentVersion,
  WorkspaceInfo,
} from "./bindings";

export function isConfirmed(status: StatusDto): boolean {
  return status === "translated" || status === "approved";
}
