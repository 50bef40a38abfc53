// What a part of the editor (matches, MT, QA, glossary, style) needs
// from the EditorController that composes it: the document, the cursor,
// editing, and one place for errors.
import type { Api } from "../api";
import type { DocumentMeta, DocumentView, Segment } from "../types";

export interface EditorHost {
  readonly api: Api;
  readonly view: DocumentView | null;
  /** What the news page said about the article, and its house style. */
  readonly meta: DocumentMeta | null;
  readonly docId: number | null;
  readonly activeId: number | null;
  /** Translatable segments in reading order. */
  readonly segments: Segment[];
  /** Bumped by every `select`: an answer fetched for an earlier round
   * belongs to a segment that is no longer active. */
  readonly selectionRound: number;
  /** What the editor's status line shows. */
  error: string | null;
  /** Any segment of the document, translatable or not. */
  find(segmentId: number): Segment | undefined;
  edit(segmentId: number, target: string): void;
  /** Whether a segment's English on screen is the one stored. */
  settled(segmentId: number): boolean;
  /** Puts a TM match or an MT suggestion into the active segment and
   * tells the shell where the English came from. */
  insertSuggestion(text: string, origin: string, score?: number | null): void;
  flushAll(): Promise<void>;
  /** Shows the document as the workspace now has it, terms and QA included. */
  reload(docId: number): Promise<void>;
  /** Runs an action, showing its error (or a replaced workspace) if it fails. */
  run(action: () => Promise<void>): Promise<void>;
}
