// The shapes the desktop shell sends, mirrored from src-tauri/src/dto.rs.

export type Status = "new" | "draft" | "translated" | "approved";

export interface DocumentSummary {
  id: number;
  name: string;
  format: "text" | "markdown" | "html";
  segments: number;
  confirmed: number;
  words: number;
  progress: number;
}

export interface Segment {
  id: number;
  block: number;
  index: number;
  source: string;
  target: string;
  status: Status;
  /** Score of the TM match it was pre-translated from, if it was. */
  match_score: number | null;
  /** A note (a reviewer's comment), if any. */
  note: string | null;
}

export interface Block {
  position: number;
  kind: string;
  translatable: boolean;
  reason: "yes" | "boilerplate" | "never" | "excluded";
  segments: Segment[];
}

export interface DocumentView {
  document: DocumentSummary;
  blocks: Block[];
}

export interface SaveResult {
  segment: Segment;
  /** Identical segments that received the same target. */
  propagated: number[];
}

export interface DiffPart {
  /** "insert": only in the segment; "delete": only in the match's source. */
  kind: "equal" | "insert" | "delete";
  text: string;
}

export interface Match {
  score: number;
  source: string;
  target: string;
  adapted_target: string | null;
  tm: string;
  changed_at: string | null;
  diff: DiffPart[];
}

export interface Tm {
  name: string;
  units: number;
  read_only: boolean;
}

export interface TmImport {
  added: number;
  duplicates: number;
  skipped: number;
}

export interface Concordance {
  source: string;
  target: string;
  tm: string;
  source_hits: [number, number][];
  target_hits: [number, number][];
}

export interface MergeResult {
  segment: Segment;
  suggested_exception: string | null;
}

/** A glossary term recognized in a segment's Italian; offsets in characters. */
export interface TermHit {
  start: number;
  end: number;
  entry_id: number;
  /** The glossary's Italian term (the text may show it inflected). */
  source: string;
  /** English terms to use, preferred first. */
  targets: string[];
  note: string | null;
}

/** A term problem of a translation: a term not rendered, or a forbidden one used. */
export interface TermIssue {
  kind: "missing" | "forbidden";
  source_term: string;
  start: number;
  end: number;
  expected: string[];
}

export interface Glossary {
  name: string;
  entries: number;
  enabled: boolean;
}

export interface GlossaryEntry {
  id: number;
  glossary: string;
  italian: string[];
  english: string[];
  domain: string | null;
  note: string | null;
}

export interface AddedEntry {
  id: number;
  duplicates: GlossaryEntry[];
}

export interface WorkspaceInfo {
  path: string;
}

/** Every command fails with this shape; branch on `code`, never on `message`. */
export interface IpcError {
  code: string;
  message: string;
}

export function isConfirmed(status: Status): boolean {
  return status === "translated" || status === "approved";
}

/** The files a document can be exported as (the names the shell takes). */
export type ExportFormat = "target" | "docx" | "html" | "xliff" | "xliff2" | "tmx" | "csv" | "tsv";

export interface Exported {
  /** What the file holds, for the user. */
  what: string;
  /** Untranslated segments where the Italian stood in. */
  untranslated: number;
}

export interface ReviewChange {
  id: number;
  before: string;
  after: string;
}

export interface ReviewReport {
  changed: ReviewChange[];
  statuses: number;
  notes: number;
  unchanged: number;
}

/** A machine-translation provider; its key never leaves the shell. */
export interface Provider {
  name: string;
  /** "deepl", "libretranslate" or "openai". */
  kind: ProviderKind;
  url: string;
  model: string | null;
  has_key: boolean;
}

export type ProviderKind = "deepl" | "libretranslate" | "openai";

export interface MtSuggestion {
  provider: string;
  text: string;
  /** Answered from the cache, without a request. */
  cached: boolean;
}

export interface MtBatch {
  filled: number;
  from_cache: number;
  failed: number;
  cancelled: boolean;
}

/** A QA finding: what a check found wrong in a segment's English. */
export interface Finding {
  segment: number;
  /** The check's stable name ("numbers", "terms", "empty", …). */
  check: string;
  message: string;
}

/** Segments and words of one status or TM band. */
export interface Count {
  label: string;
  segments: number;
  words: number;
}

/** What suggestions from one TM (tm:NAME) or MT provider (mt:NAME) saved. */
export interface Effort {
  origin: string;
  segments: number;
  confirmed: number;
  unedited: number;
  edited_percent: number;
}

export interface DocumentStats {
  /** Words as GMX-V 2.0 counts them. */
  words: number;
  characters: number;
  by_status: Count[];
  bands: Count[];
  effort: Effort[];
  words_per_hour: number | null;
  active_minutes: number;
}

/** What the news page said about the article, and the document's house style. */
export interface DocumentMeta {
  url: string | null;
  canonical_url: string | null;
  outlet: string | null;
  author: string | null;
  published: string | null;
  updated: string | null;
  /** A preset's name, or null for none. */
  style: string | null;
}

/** A built-in house style. */
export interface StylePreset {
  name: string;
  label: string;
  headline_chars: number;
  standfirst_chars: number;
}

/** The English the house style gives to a piece of the Italian. */
export interface StyleSuggestion {
  rule: "numbers" | "money" | "dates" | "times" | "quotes" | "honorifics" | "titles";
  italian: string;
  english: string;
}

/** A number, date, time, name or quote of the Italian, and whether the English has it. */
export interface Fact {
  segment: number;
  kind: "number" | "date" | "time" | "name" | "quote";
  italian: string;
  found: boolean;
  hint: string | null;
}

/** One segment a new version of the article edited, added or removed. */
export interface RevisionChange {
  kind: "edited" | "new" | "removed";
  segment: number | null;
  source: string | null;
  previous_source: string | null;
  previous_target: string | null;
  score: number | null;
  /** From the previous Italian to the new one. */
  diff: DiffPart[];
}

/** A new version of the article brought in. */
export interface Revision {
  id: number;
  source: string | null;
  created_at: number;
  summary: { unchanged: number; edited: number; new: number; removed: number };
  changes: RevisionChange[];
}

/** What a file dialog shows: a title, the kinds of files offered, whether
 * several may be chosen (open), the name offered (save). */
export interface FileRequest {
  title: string;
  filters: { name: string; extensions: string[] }[];
  multiple?: boolean;
  file_name?: string;
}
