// Typed access to the desktop shell's commands; components never call invoke.
import { invoke } from "@tauri-apps/api/core";
import type {
  AddedEntry,
  Concordance,
  DocumentMeta,
  DocumentSummary,
  DocumentStats,
  DocumentView,
  Exported,
  ExportFormat,
  Fact,
  FileRequest,
  Finding,
  Glossary,
  GlossaryEntry,
  IpcError,
  Match,
  MergeResult,
  MtBatch,
  MtSuggestion,
  Provider,
  ProviderKind,
  ReviewReport,
  Revision,
  SaveResult,
  Segment,
  Status,
  StylePreset,
  StyleSuggestion,
  TermHit,
  TermIssue,
  Tm,
  TmImport,
  WorkspaceInfo,
} from "./types";

export const api = {
  workspaceInfo: () => invoke<WorkspaceInfo>("workspace_info"),
  listDocuments: () => invoke<DocumentSummary[]>("list_documents"),
  importFile: (path: string) => invoke<DocumentSummary>("import_file", { path }),
  importSample: () => invoke<DocumentSummary>("import_sample"),
  openDocument: (docId: number) => invoke<DocumentView>("open_document", { docId }),
  deleteDocument: (docId: number) => invoke<void>("delete_document", { docId }),
  /** `propagate`: also fill identical untranslated segments (repetitions). */
  saveTarget: (
    docId: number,
    segmentId: number,
    target: string,
    status: Status,
    propagate: boolean,
  ) => invoke<SaveResult>("save_target", { docId, segmentId, target, status, propagate }),
  lookupMatches: (docId: number, segmentId: number) =>
    invoke<Match[]>("lookup_matches", { docId, segmentId }),
  listTms: () => invoke<Tm[]>("list_tms"),
  importTmx: (path: string, name: string, readOnly: boolean) =>
    invoke<TmImport>("import_tmx", { path, name, readOnly }),
  exportTmx: (name: string, path: string) => invoke<number>("export_tmx", { name, path }),
  deleteTm: (name: string) => invoke<void>("delete_tm", { name }),
  setTmReadOnly: (name: string, readOnly: boolean) =>
    invoke<void>("set_tm_read_only", { name, readOnly }),
  concordance: (phrase: string) => invoke<Concordance[]>("concordance", { phrase }),
  setBlockTranslatable: (docId: number, block: number, translatable: boolean) =>
    invoke<DocumentView>("set_block_translatable", { docId, block, translatable }),
  splitSegment: (docId: number, segmentId: number, position: number) =>
    invoke<DocumentView>("split_segment", { docId, segmentId, position }),
  mergeSegment: (docId: number, segmentId: number) =>
    invoke<MergeResult>("merge_segment", { docId, segmentId }),
  addException: (abbreviation: string) => invoke<void>("add_exception", { abbreviation }),
  /** The glossary terms in each text, in order. */
  findTerms: (texts: string[]) => invoke<TermHit[][]>("find_terms", { texts }),
  checkTerms: (source: string, target: string) =>
    invoke<TermIssue[]>("check_terms", { source, target }),
  listGlossaries: () => invoke<Glossary[]>("list_glossaries"),
  setGlossaryEnabled: (name: string, enabled: boolean) =>
    invoke<void>("set_glossary_enabled", { name, enabled }),
  addGlossaryEntry: (glossary: string, italian: string, english: string, note: string | null) =>
    invoke<AddedEntry>("add_glossary_entry", { glossary, italian, english, note }),
  searchGlossary: (query: string) => invoke<GlossaryEntry[]>("search_glossary", { query }),
  deleteGlossaryEntry: (id: number) => invoke<void>("delete_glossary_entry", { id }),
  updateGlossaryEntry: (
    id: number,
    italian: string[],
    english: string[],
    domain: string | null,
    note: string | null,
  ) => invoke<GlossaryEntry>("update_glossary_entry", { id, italian, english, domain, note }),
  importGlossary: (path: string, name: string) => invoke<number>("import_glossary", { path, name }),
  exportGlossary: (name: string, path: string) => invoke<number>("export_glossary", { name, path }),
  exportDocument: (docId: number, format: ExportFormat, refuseUntranslated: boolean, path: string) =>
    invoke<Exported>("export_document", { docId, format, refuseUntranslated, path }),
  /** A report for a bug report: versions, the workspace's shape, the end of the log; no text, no keys. */
  diagnostics: () => invoke<string>("diagnostics"),
  /** The document's dashboard figures. */
  documentStats: (docId: number) => invoke<DocumentStats>("document_stats", { docId }),
  /** The document's QA findings, less those ignored. */
  qaDocument: (docId: number) => invoke<Finding[]>("qa_document", { docId }),
  /** Marks a finding as a false alarm for the segment's current English. */
  ignoreQa: (docId: number, segmentId: number, check: string) =>
    invoke<void>("ignore_qa", { docId, segmentId, check }),
  /** Sets a segment's note; an empty note removes it. */
  setNote: (docId: number, segmentId: number, note: string) =>
    invoke<Segment>("set_note", { docId, segmentId, note }),
  listProviders: () => invoke<Provider[]>("list_providers"),
  /** The key, when given, is kept by the shell in a private file, never in the workspace. */
  saveProvider: (name: string, kind: ProviderKind, url: string | null, model: string | null, key: string | null) =>
    invoke<Provider>("save_provider", { name, kind, url, model, key }),
  removeProvider: (name: string) => invoke<void>("remove_provider", { name }),
  /** A sample translation: whether the provider answers. */
  testProvider: (name: string) => invoke<string>("test_provider", { name }),
  /** A later call for the same provider cancels this one (code "cancelled"). */
  mtSuggest: (docId: number, segmentId: number, provider: string) =>
    invoke<MtSuggestion>("mt_suggest", { docId, segmentId, provider }),
  mtTranslateDocument: (docId: number, provider: string) =>
    invoke<MtBatch>("mt_translate_document", { docId, provider }),
  cancelMtBatch: () => invoke<void>("cancel_mt_batch"),
  /** Remembers the suggestion a segment's English started from (effort report). */
  noteSuggestion: (docId: number, segmentId: number, suggestion: string, origin: string) =>
    invoke<void>("note_suggestion", { docId, segmentId, suggestion, origin }),
  /** Brings back a reviewed DOCX or an XLIFF; only what changed is written. */
  importReview: (docId: number, path: string) =>
    invoke<ReviewReport>("import_review", { docId, path }),
  /** Fetches a news page and imports its article. */
  importUrl: (url: string) => invoke<DocumentSummary>("import_url", { url }),
  /** Brings in a later version of the article from a file or URL (null: the URL it came from). */
  reimportDocument: (docId: number, source: string | null) =>
    invoke<Revision>("reimport_document", { docId, source }),
  /** The latest version brought in and what it changed. */
  documentRevision: (docId: number) => invoke<Revision | null>("document_revision", { docId }),
  documentMeta: (docId: number) => invoke<DocumentMeta>("document_meta", { docId }),
  stylePresets: () => invoke<StylePreset[]>("style_presets"),
  setDocumentStyle: (docId: number, style: string | null) =>
    invoke<void>("set_document_style", { docId, style }),
  /** The house style's suggestions for a segment's Italian (none without a style). */
  styleSuggestions: (docId: number, segmentId: number) =>
    invoke<StyleSuggestion[]>("style_suggestions", { docId, segmentId }),
  factChecklist: (docId: number) => invoke<Fact[]>("fact_checklist", { docId }),
  /** The files chosen in an open dialog (none: cancelled). The dialog is
   * shown by a process of its own, which never holds the workspace. */
  chooseFiles: (request: FileRequest) => invoke<string[]>("choose_files", { request }),
  /** Where to save, chosen in a save dialog (null: cancelled). */
  chooseSavePath: (request: FileRequest) => invoke<string | null>("choose_save_path", { request }),
};

export type Api = typeof api;

/** Calls `progress` with the share of a TMX file read (0–1) and the units stored. */
export async function onTmxProgress(
  progress: (share: number, units: number) => void,
): Promise<() => void> {
  const { listen } = await import("@tauri-apps/api/event");
  return listen<[number, number]>("tmx-progress", (event) => progress(...event.payload));
}

/** Calls `progress` with the segments done and in all during a machine-translation batch. */
export async function onMtProgress(progress: (done: number, total: number) => void): Promise<() => void> {
  const { listen } = await import("@tauri-apps/api/event");
  return listen<[number, number]>("mt-progress", (event) => progress(...event.payload));
}

/** The `code` of a command's error, if it has one. */
export function errorCode(error: unknown): string | null {
  if (typeof error === "object" && error !== null && "code" in error) {
    return String((error as IpcError).code);
  }
  return null;
}

/** A readable message for whatever a command threw. */
export function errorMessage(error: unknown): string {
  if (typeof error === "object" && error !== null && "message" in error) {
    return String((error as IpcError).message);
  }
  return String(error);
}
