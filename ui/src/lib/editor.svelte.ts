// State and behaviour of the side-by-side editor, without rendering:
// autosave with debounce, confirm-and-advance, split, merge, block flags.
// The TM, MT, QA, glossary, house style and undo live in parts under ./editor/.
import { errorCode, errorMessage, type Api } from "./api";
import { keepCodes, replaceKeepingCodes, strip } from "./codes";
import { CodesController } from "./editor/codes";
import { SpellingController } from "./editor/spelling.svelte";
import { GlossaryController } from "./editor/glossary.svelte";
import { HistoryController, type SegmentState, type Step } from "./editor/history.svelte";
import type { EditorHost } from "./editor/host";
import { MatchesController } from "./editor/matches.svelte";
import { PredictController } from "./editor/predict.svelte";
import { MtController } from "./editor/mt.svelte";
import { QaController } from "./editor/qa.svelte";
import { StyleController } from "./editor/style.svelte";
import {
  isConfirmed,
  type DocumentMeta,
  type DocumentView,
  type ExportFormat,
  type Exported,
  type FileRequest,
  type ReviewReport,
  type Revision,
  type RevisionChange,
  type Segment,
} from "./types";

/** Milliseconds of typing pause before a draft is written to the workspace. */
export const AUTOSAVE_DELAY_MS = 500;

/** Where the "Fill repetitions" choice is remembered between runs. */
export const FILL_REPETITIONS_KEY = "interlinea.fillRepetitions";

/** What to look for, and where. */
export interface Search {
  text: string;
  inSource: boolean;
  inTarget: boolean;
  caseSensitive: boolean;
  wholeWord: boolean;
  regex: boolean;
}

/** Which segments the grid shows. */
export interface Filter {
  /** "all", a status, "qa" (with findings) or "pretranslated" (below `score`). */
  show: "all" | Segment["status"] | "qa" | "pretranslated";
  score: number;
}

/** The pattern for a search, or an error message for a bad expression. */
export function searchPattern(search: Search): RegExp | string | null {
  if (search.text === "") return null;
  let body = search.regex ? search.text : search.text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  if (search.wholeWord) body = `(?<![\\p{L}\\p{N}])(?:${body})(?![\\p{L}\\p{N}])`;
  try {
    return new RegExp(body, search.caseSensitive ? "gu" : "giu");
  } catch (e) {
    return `Not a valid expression: ${(e as Error).message}`;
  }
}

export class EditorController implements EditorHost {
  view = $state<DocumentView | null>(null);
  activeId = $state<number | null>(null);
  pendingSaves = $state(0);
  /** Saves begun since the editor was made: a view fetched while one began
   * may predate it. */
  private savesBegun = 0;
  error = $state<string | null>(null);
  /** Set when the workspace was deleted or replaced under the app: from
   * then on nothing is saved, and the editor says so until it restarts. */
  stopped = $state<string | null>(null);
  /** Segments whose English on screen did not reach the workspace. */
  unsaved = $state<Record<number, true>>({});
  /** An abbreviation the user may add to the segmentation exceptions. */
  suggestion = $state<string | null>(null);
  /** Counts confirmations, which add units to the workspace TM. */
  confirmations = $state(0);
  /** The best TM score of each segment offered one from the threshold up,
   * for the match column; the active segment's comes from its matches. */
  bestScores = $state<Record<number, number>>({});
  /** The grid's filter. */
  filter = $state<Filter>({ show: "all", score: 100 });
  /** The search that also filters the grid, when `filterBySearch`. */
  search = $state<Search>({ text: "", inSource: true, inTarget: true, caseSensitive: false, wholeWord: false, regex: false });
  filterBySearch = $state(false);
  /** What the last imported review changed, until dismissed. */
  review = $state<ReviewReport | null>(null);
  /** What the news page said about the article, and its house style. */
  meta = $state<DocumentMeta | null>(null);
  /** The latest version of the article brought in, and what it changed. */
  revision = $state<Revision | null>(null);
  /** Whether the "what changed" view is open. */
  showChanges = $state(false);
  #propagateRepetitions = $state(localStorage.getItem(FILL_REPETITIONS_KEY) !== "off");
  /** Bumped by every `select`: answers for an earlier one are stale. */
  selectionRound = 0;
  /** Segments whose save is on its way to the shell. */
  private saving = new Set<number>();
  private timers = new Map<number, ReturnType<typeof setTimeout>>();
  readonly api: Api;
  private delayMs: number;

  readonly matches = new MatchesController(this);
  readonly mt = new MtController(this);
  readonly qa = new QaController(this);
  readonly glossary = new GlossaryController(this);
  readonly style = new StyleController(this);
  readonly codes = new CodesController(this);
  readonly predict = new PredictController(this);
  readonly spelling = new SpellingController(this);
  readonly history = new HistoryController((states, moveOn) => this.restore(states, moveOn));

  constructor(api: Api, delayMs = AUTOSAVE_DELAY_MS) {
    this.api = api;
    this.delayMs = delayMs;
  }

  /** Whether confirming fills identical untranslated segments too; on
   * unless turned off, and remembered. */
  get propagateRepetitions(): boolean {
    return this.#propagateRepetitions;
  }

  set propagateRepetitions(on: boolean) {
    this.#propagateRepetitions = on;
    localStorage.setItem(FILL_REPETITIONS_KEY, on ? "on" : "off");
  }

  /** Translatable segments in reading order. */
  get segments(): Segment[] {
    if (!this.view) return [];
    return this.view.blocks.filter((b) => b.translatable).flatMap((b) => b.segments);
  }

  get docId(): number | null {
    return this.view?.document.id ?? null;
  }

  async open(docId: number): Promise<void> {
    await this.flushAll();
    // What was said about one document, and what was looked up for it,
    // stays with it.
    this.suggestion = null;
    this.review = null;
    this.mt.batchResult = null;
    this.matches.forget();
    this.history.clear();
    this.spelling.reset();
    // A filter belongs to the document it was set in: another one, or this
    // one again, opens with every row shown.
    this.filter = { show: "all", score: 100 };
    this.filterBySearch = false;
    await this.mt.loadProviders();
    this.showChanges = false;
    await this.run(async () => {
      this.view = await this.api.openDocument(docId);
      await this.style.loadPresets();
      this.meta = await this.api.documentMeta(docId);
      this.revision = await this.api.documentRevision(docId);
    });
    await this.glossary.refresh();
    await this.qa.refresh();
    await this.select(this.segments.find((s) => !isConfirmed(s.status))?.id ?? null);
    this.refreshBestScores();
  }

  /** Teammates' units or glossary entries arrived: the active segment's
   * matches, the match column and the terms as they now are. */
  async teammatesChanged(): Promise<void> {
    if (this.docId === null) return;
    this.refreshBestScores();
    await this.matches.refresh();
    await this.glossary.refresh();
  }

  /** Scores every segment against the TMs, in the background: a long
   * article's column fills a moment after it opens. */
  refreshBestScores(): void {
    const docId = this.docId;
    if (docId === null) return;
    this.api.bestScores(docId).then(
      (scores) => {
        if (this.docId === docId) this.bestScores = Object.fromEntries(scores.map((s) => [s.segment_id, s.score]));
      },
      (e) => (this.error = errorMessage(e)),
    );
  }

  /** Chooses the document's house style (null: none) and checks again. */
  async setStyle(name: string | null): Promise<void> {
    if (this.docId === null) return;
    await this.style.choose(name);
    await this.qa.refresh();
    await this.select(this.activeId);
  }

  /** Brings in a later version of the article (null: from the URL it came
   * from), then shows what changed. */
  async reimport(source: string | null): Promise<void> {
    const docId = this.docId;
    if (docId === null) return;
    await this.flushAll();
    await this.run(async () => {
      this.revision = await this.api.reimportDocument(docId, source);
      this.view = await this.api.openDocument(docId);
      this.meta = await this.api.documentMeta(docId);
      // Undo steps refer to segments that may be gone.
      this.history.clear();
      this.showChanges = true;
    });
    await this.glossary.refresh();
    await this.qa.refresh();
    await this.select(this.segments.find((s) => !isConfirmed(s.status))?.id ?? null);
  }

  /** Puts the English an edited segment had before into it, to adapt. */
  useOldTranslation(change: RevisionChange): void {
    const segment = change.segment === null ? undefined : this.find(change.segment);
    if (!segment || !change.previous_target) return;
    // Codes of the earlier version that this segment lacks stay out.
    this.edit(segment.id, keepCodes(change.previous_target, segment.source));
    void this.select(segment.id);
  }

  /** Makes a segment the active one and fetches its TM matches. */
  async select(segmentId: number | null): Promise<void> {
    this.activeId = segmentId;
    const docId = this.docId;
    const round = ++this.selectionRound;
    if (segmentId === null || docId === null) {
      this.matches.tm = [];
      return;
    }
    const segment = this.find(segmentId);
    if (segment) void this.glossary.check(segment);
    void this.mt.suggest(docId, segmentId, round);
    this.style.suggest(docId, segmentId, round);
    await this.matches.lookup(docId, segmentId, round);
  }

  /** Puts a TM match or an MT suggestion into the active segment; the
   * shell remembers what the English started from, for the effort report. */
  insertSuggestion(text: string, origin: string, score: number | null = null): void {
    const segment = this.activeId === null ? undefined : this.find(this.activeId);
    if (!segment) return;
    // The English can only hold the segment's own codes.
    const english = keepCodes(text, segment.source);
    this.edit(segment.id, english);
    // The match column shows the score of the match the English came from.
    segment.match_score = score;
    const docId = this.docId;
    if (docId === null) return;
    this.api.noteSuggestion(docId, segment.id, english, origin, score).catch((e) => (this.error = errorMessage(e)));
  }

  close(): void {
    this.view = null;
    this.activeId = null;
  }

  find(segmentId: number): Segment | undefined {
    return this.view?.blocks.flatMap((b) => b.segments).find((s) => s.id === segmentId);
  }

  /** The user typed: keep the text, mark it a draft, save after a pause. */
  edit(segmentId: number, target: string): void {
    const segment = this.find(segmentId);
    if (!segment) return;
    const before = { target: segment.target, status: segment.status };
    segment.target = target;
    segment.status = target.trim() === "" ? "new" : "draft";
    this.history.record([{ segmentId, before, after: { target, status: segment.status } }], "typing");
    this.schedule(segmentId);
  }

  private async restore(states: { segmentId: number; state: SegmentState }[], moveOn = false): Promise<void> {
    for (const { segmentId, state } of states) {
      const segment = this.find(segmentId);
      if (!segment) continue;
      clearTimeout(this.timers.get(segmentId));
      this.timers.delete(segmentId);
      segment.target = state.target;
      segment.status = state.status;
      await this.save(segment, state.status, false);
    }
    if (states.length > 0) {
      const first = states[0].segmentId;
      await this.select(moveOn ? (this.nextUnconfirmed(first) ?? first) : first);
    }
    await this.refreshSummary();
  }

  /** Whether a text matches the search (codes left out: "the <1>axis</1>"
   * reads "the axis"). */
  private hits(segment: Segment, pattern: RegExp): boolean {
    pattern.lastIndex = 0;
    const inSource = this.search.inSource && pattern.test(strip(segment.source));
    pattern.lastIndex = 0;
    return inSource || (this.search.inTarget && pattern.test(strip(segment.target)));
  }

  /** The translatable segments the search finds. */
  found(): Segment[] {
    const pattern = searchPattern(this.search);
    if (!(pattern instanceof RegExp)) return [];
    return this.segments.filter((s) => this.hits(s, pattern));
  }

  /** Replaces every match in the English of `segmentIds` (all found
   * segments when not given), as one undoable step; returns how many.
   * The codes of a replaced span stay, after its replacement. */
  replace(replacement: string, segmentIds?: number[]): number {
    const pattern = searchPattern(this.search);
    if (!(pattern instanceof RegExp)) return 0;
    const edits: Step["edits"] = [];
    let count = 0;
    const targets = segmentIds ?? this.segments.map((s) => s.id);
    for (const id of targets) {
      const segment = this.find(id);
      if (!segment || segment.target === "") continue;
      // A plain search's replacement is taken literally ("$" included).
      const { text: after, count: hits } = replaceKeepingCodes(segment.target, pattern, replacement, !this.search.regex);
      if (hits === 0) continue;
      edits.push({
        segmentId: id,
        before: { target: segment.target, status: segment.status },
        after: { target: after, status: segment.status },
      });
      count += hits;
    }
    if (edits.length === 0) return 0;
    this.history.record(edits, "replacement");
    void this.restore(edits.map((e) => ({ segmentId: e.segmentId, state: e.after })));
    return count;
  }

  /** Whether the grid shows `segment` under the current filter. */
  shows(segment: Segment, translatable: boolean): boolean {
    const show = this.filter.show;
    if (show !== "all" && !translatable) return false;
    if (show === "qa" && (this.qa.findings[segment.id] ?? []).length === 0) return false;
    if (show === "pretranslated" && !(segment.match_score !== null && segment.match_score < this.filter.score)) {
      return false;
    }
    if (show !== "all" && show !== "qa" && show !== "pretranslated" && segment.status !== show) return false;
    if (this.filterBySearch) {
      const pattern = searchPattern(this.search);
      if (pattern instanceof RegExp && !this.hits(segment, pattern)) return false;
    }
    return true;
  }

  private schedule(segmentId: number): void {
    clearTimeout(this.timers.get(segmentId));
    this.timers.set(
      segmentId,
      setTimeout(() => void this.flush(segmentId), this.delayMs),
    );
  }

  /** Writes a pending edit now (on blur, before leaving, before confirming). */
  async flush(segmentId: number): Promise<void> {
    if (!this.timers.has(segmentId)) return;
    clearTimeout(this.timers.get(segmentId));
    this.timers.delete(segmentId);
    const segment = this.find(segmentId);
    if (!segment || this.docId === null) return;
    await this.save(segment, segment.status);
  }

  async flushAll(): Promise<void> {
    await Promise.all([...this.timers.keys()].map((id) => this.flush(id)));
  }

  /** Whether no edit waits to be written: the view may be read again
   * from the workspace without losing one. */
  idle(): boolean {
    return this.timers.size === 0 && this.saving.size === 0 && Object.keys(this.unsaved).length === 0;
  }

  settled(segmentId: number): boolean {
    return !this.timers.has(segmentId) && !this.saving.has(segmentId) && !this.unsaved[segmentId];
  }

  private async save(segment: Segment, status: Segment["status"], propagate = this.propagateRepetitions): Promise<boolean> {
    const docId = this.docId;
    if (docId === null) return false;
    this.pendingSaves += 1;
    this.savesBegun += 1;
    this.saving.add(segment.id);
    try {
      const saved = await this.api.saveTarget(
        docId,
        segment.id,
        segment.target,
        status,
        propagate,
      );
      // Keep what the user typed meanwhile; take the stored status.
      if (saved.segment.target === segment.target) segment.status = saved.segment.status;
      void this.glossary.check(segment);
      void this.qa.refresh();
      for (const id of saved.propagated) {
        const repeated = this.find(id);
        if (repeated) {
          repeated.target = saved.segment.target;
          repeated.status = saved.segment.status;
        }
      }
      this.error = null;
      delete this.unsaved[segment.id];
      return true;
    } catch (e) {
      this.error = `Not saved: ${errorMessage(e)}`;
      this.unsaved[segment.id] = true;
      this.noteStopped(e);
      return false;
    } finally {
      this.pendingSaves -= 1;
      this.saving.delete(segment.id);
    }
  }

  /** Ctrl+Enter: confirm the segment and move to the next unconfirmed one. */
  async confirm(segmentId: number): Promise<void> {
    const segment = this.find(segmentId);
    if (!segment || segment.target.trim() === "") {
      this.error = "Write a translation before confirming the segment.";
      return;
    }
    clearTimeout(this.timers.get(segmentId));
    this.timers.delete(segmentId);
    const before = { target: segment.target, status: segment.status };
    if (await this.save(segment, "translated")) {
      segment.status = "translated";
      this.history.record([{ segmentId, before, after: { target: segment.target, status: "translated" } }], "confirmation");
      this.confirmations += 1;
      // After the last open segment the cursor stays, so that the panels
      // go on describing the segment whose row the translator sees.
      await this.select(this.nextUnconfirmed(segmentId) ?? segmentId);
      await this.refreshSummary();
    }
  }

  /** Approves the segment (a reviewer's last word) and moves to the next
   * one not approved. */
  async approve(segmentId: number): Promise<void> {
    const segment = this.find(segmentId);
    if (!segment || segment.target.trim() === "") {
      this.error = "Write a translation before approving the segment.";
      return;
    }
    clearTimeout(this.timers.get(segmentId));
    this.timers.delete(segmentId);
    const before = { target: segment.target, status: segment.status };
    if (await this.save(segment, "approved")) {
      segment.status = "approved";
      this.history.record([{ segmentId, before, after: { target: segment.target, status: "approved" } }], "confirmation");
      this.confirmations += 1;
      const list = this.segments;
      const start = list.findIndex((s) => s.id === segmentId);
      const next = list.slice(start + 1).find((s) => s.status !== "approved");
      await this.select(next?.id ?? segmentId);
      await this.refreshSummary();
    }
  }

  /** Puts a saved version of a segment back (as a new version), as one
   * undoable step. */
  async restoreVersion(segmentId: number, versionId: number): Promise<void> {
    const docId = this.docId;
    const segment = this.find(segmentId);
    if (docId === null || !segment) return;
    await this.flush(segmentId);
    await this.run(async () => {
      const before = { target: segment.target, status: segment.status };
      const saved = await this.api.restoreVersion(docId, segmentId, versionId);
      segment.target = saved.segment.target;
      segment.status = saved.segment.status;
      this.history.record([{ segmentId, before, after: { target: segment.target, status: segment.status } }], "replacement");
      void this.glossary.check(segment);
      void this.qa.refresh();
      await this.refreshSummary();
    });
  }

  private nextUnconfirmed(afterId: number): number | null {
    const list = this.segments;
    const start = list.findIndex((s) => s.id === afterId);
    for (let step = 1; step <= list.length; step++) {
      const candidate = list[(start + step) % list.length];
      if (!isConfirmed(candidate.status)) return candidate.id;
    }
    return null;
  }

  /** Moves the cursor to the previous (-1) or next (+1) translatable segment. */
  move(fromId: number, delta: -1 | 1): void {
    const list = this.segments;
    const idx = list.findIndex((s) => s.id === fromId);
    const next = list[idx + delta];
    if (next) void this.select(next.id);
  }

  copySource(segmentId: number): void {
    const segment = this.find(segmentId);
    if (segment) this.edit(segmentId, segment.source);
  }

  async setBlockTranslatable(block: number, translatable: boolean): Promise<void> {
    const docId = this.docId;
    if (docId === null) return;
    await this.flushAll();
    await this.run(async () => {
      this.view = await this.api.setBlockTranslatable(docId, block, translatable);
    });
  }

  async split(segmentId: number, position: number): Promise<void> {
    const docId = this.docId;
    if (docId === null) return;
    await this.flushAll();
    await this.run(async () => {
      this.view = await this.api.splitSegment(docId, segmentId, position);
      await this.glossary.refresh();
      // Findings and facts are kept by segment, and the segments changed.
      await this.qa.refresh();
      await this.select(segmentId);
    });
  }

  async merge(segmentId: number): Promise<void> {
    const docId = this.docId;
    if (docId === null) return;
    await this.flushAll();
    await this.run(async () => {
      const result = await this.api.mergeSegment(docId, segmentId);
      this.view = await this.api.openDocument(docId);
      this.suggestion = result.suggested_exception;
      await this.glossary.refresh();
      await this.qa.refresh();
      await this.select(result.segment.id);
    });
  }

  /** One file chosen in an open dialog (null: cancelled, or the dialog
   * failed, which is then the editor's error). */
  async chooseFile(request: FileRequest): Promise<string | null> {
    try {
      return (await this.api.chooseFiles(request))[0] ?? null;
    } catch (e) {
      this.error = errorMessage(e);
      return null;
    }
  }

  /** Where to save, chosen in a save dialog (null: cancelled). */
  chooseSavePath(request: FileRequest): Promise<string | null> {
    return this.api.chooseSavePath(request);
  }

  /** Writes the document to `path` as `format`; pending drafts first. */
  async exportTo(format: ExportFormat, refuseUntranslated: boolean, path: string): Promise<Exported> {
    const docId = this.docId;
    if (docId === null) throw new Error("no document is open");
    await this.flushAll();
    return this.api.exportDocument(docId, format, refuseUntranslated, path);
  }

  /** Brings back a reviewed DOCX or an XLIFF, then shows the document as
   * it now is and what changed. */
  async importReview(path: string): Promise<void> {
    const docId = this.docId;
    if (docId === null) return;
    await this.flushAll();
    await this.run(async () => {
      this.review = await this.api.importReview(docId, path);
      this.view = await this.api.openDocument(docId);
      if (this.review.changed.length > 0) this.confirmations += 1;
      await this.glossary.refresh();
      await this.qa.refresh();
      await this.select(this.activeId);
    });
  }

  /** Shows the document as the workspace now has it (after a batch wrote
   * into it), with its terms and findings. */
  async reload(docId: number): Promise<void> {
    await this.run(async () => {
      this.view = await this.api.openDocument(docId);
    });
    await this.glossary.refresh();
    await this.qa.refresh();
    this.refreshBestScores();
  }

  /** Reads the open document again after teammates' saves were pulled,
   * unless an edit here waits to be written. Checked again once the view
   * arrives: what the user typed while it was fetched is kept, and the view
   * is read again on the next pull. Returns whether the view was replaced. */
  async reloadIfIdle(docId: number): Promise<boolean> {
    if (this.docId !== docId || !this.idle()) return false;
    const begun = this.savesBegun;
    let view: DocumentView;
    try {
      view = await this.api.openDocument(docId);
    } catch (e) {
      this.error = errorMessage(e);
      this.noteStopped(e);
      return false;
    }
    if (this.docId !== docId || !this.idle() || this.savesBegun !== begun) return false;
    this.view = view;
    await this.glossary.refresh();
    await this.qa.refresh();
    this.refreshBestScores();
    return true;
  }

  /** Writes a segment's note (empty removes it). */
  async setNote(segmentId: number, note: string): Promise<void> {
    const docId = this.docId;
    if (docId === null) return;
    await this.run(async () => {
      const saved = await this.api.setNote(docId, segmentId, note);
      const segment = this.find(segmentId);
      if (segment) segment.note = saved.note;
    });
  }

  dismissReview(): void {
    this.review = null;
  }

  async acceptSuggestion(): Promise<void> {
    const abbreviation = this.suggestion;
    if (!abbreviation) return;
    await this.run(async () => {
      await this.api.addException(abbreviation);
      this.suggestion = null;
    });
  }

  dismissSuggestion(): void {
    this.suggestion = null;
  }

  private async refreshSummary(): Promise<void> {
    const docId = this.docId;
    if (docId === null || !this.view) return;
    const docs = await this.api.listDocuments();
    const summary = docs.find((d) => d.id === docId);
    if (summary && this.view) this.view.document = summary;
  }

  async run(action: () => Promise<void>): Promise<void> {
    try {
      await action();
      this.error = null;
    } catch (e) {
      this.error = errorMessage(e);
      this.noteStopped(e);
    }
  }

  private noteStopped(e: unknown): void {
    if (errorCode(e) === "workspace_replaced") this.stopped = errorMessage(e);
  }
}
