// State and behaviour of the side-by-side editor, without rendering:
// autosave with debounce, confirm-and-advance, split, merge, block flags.
import { errorCode, errorMessage, type Api } from "./api";
import {
  isConfirmed,
  type Block,
  type DocumentMeta,
  type DocumentView,
  type ExportFormat,
  type Exported,
  type Fact,
  type FileRequest,
  type Finding,
  type Match,
  type Provider,
  type ReviewReport,
  type Revision,
  type RevisionChange,
  type Segment,
  type StylePreset,
  type StyleSuggestion,
  type TermHit,
  type TermIssue,
} from "./types";

/** Milliseconds of typing pause before a draft is written to the workspace. */
export const AUTOSAVE_DELAY_MS = 500;

/** Where the "Fill repetitions" choice is remembered between runs. */
export const FILL_REPETITIONS_KEY = "interlinea.fillRepetitions";

/** Where a provider's suggestion for the active segment stands. */
export type MtState =
  | { kind: "waiting" }
  | { kind: "ready"; text: string; cached: boolean }
  | { kind: "offline" | "failed"; message: string };

/** A segment's English and status, as undo restores them. */
interface SegmentState {
  target: string;
  status: Segment["status"];
}

/** One undoable step: typing in a segment, a confirmation, a replace-all. */
interface Step {
  kind: "typing" | "confirmation" | "replacement";
  edits: { segmentId: number; before: SegmentState; after: SegmentState }[];
  /** Typing goes on into the same step until another segment or action. */
  open: boolean;
}

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

export class EditorController {
  view = $state<DocumentView | null>(null);
  activeId = $state<number | null>(null);
  pendingSaves = $state(0);
  error = $state<string | null>(null);
  /** Set when the workspace was deleted or replaced under the app: from
   * then on nothing is saved, and the editor says so until it restarts. */
  stopped = $state<string | null>(null);
  /** Segments whose English on screen did not reach the workspace. */
  unsaved = $state<Record<number, true>>({});
  /** An abbreviation the user may add to the segmentation exceptions. */
  suggestion = $state<string | null>(null);
  /** TM matches for the active segment, best first. */
  matches = $state<Match[]>([]);
  /** Counts confirmations, which add units to the workspace TM. */
  confirmations = $state(0);
  /** Glossary terms recognized in each segment's Italian, by segment id. */
  terms = $state<Record<number, TermHit[]>>({});
  /** Term problems of each checked translation, by segment id. */
  termIssues = $state<Record<number, TermIssue[]>>({});
  private history: Step[] = [];
  private future: Step[] = [];
  /** Whether undo and redo have something to do. */
  canUndo = $state(false);
  canRedo = $state(false);
  /** The grid's filter. */
  filter = $state<Filter>({ show: "all", score: 100 });
  /** The search that also filters the grid, when `filterBySearch`. */
  search = $state<Search>({ text: "", inSource: true, inTarget: true, caseSensitive: false, wholeWord: false, regex: false });
  filterBySearch = $state(false);
  /** QA findings by segment id (empty segments not counted). */
  findings = $state<Record<number, Finding[]>>({});
  /** The machine-translation providers; none until the user adds one. */
  providers = $state<Provider[]>([]);
  /** Each provider's suggestion for the active segment. */
  mt = $state<Record<string, MtState>>({});
  /** The machine-translation batch running: segments done and in all. */
  batch = $state<{ done: number; total: number } | null>(null);
  /** What the last batch did, until dismissed. */
  batchResult = $state<string | null>(null);
  /** What the last imported review changed, until dismissed. */
  review = $state<ReviewReport | null>(null);
  /** What the news page said about the article, and its house style. */
  meta = $state<DocumentMeta | null>(null);
  /** The built-in house styles. */
  presets = $state<StylePreset[]>([]);
  /** The house style's suggestions for the active segment. */
  styleSuggestions = $state<StyleSuggestion[]>([]);
  /** Every number, date, time, name and quote of the Italian. */
  facts = $state<Fact[]>([]);
  /** Each segment's English as the fact checklist saw it: facts of a
   * segment whose English changed since are not known yet. */
  factsSeen = $state<Record<number, string>>({});
  /** The latest version of the article brought in, and what it changed. */
  revision = $state<Revision | null>(null);
  /** Whether the "what changed" view is open. */
  showChanges = $state(false);
  #propagateRepetitions = $state(localStorage.getItem(FILL_REPETITIONS_KEY) !== "off");
  private lookupRound = 0;
  private qaRound = 0;
  /** Segments whose save is on its way to the shell. */
  private saving = new Set<number>();
  /** The last glossary term put in, which its Alt+N pressed again swaps
   * for the entry's next English. */
  private lastTerm: { segmentId: number; n: number; index: number; at: number; text: string } | null = null;

  private timers = new Map<number, ReturnType<typeof setTimeout>>();
  private api: Api;
  private delayMs: number;

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
    this.suggestion = null;
    this.history = [];
    this.future = [];
    this.canUndo = false;
    this.canRedo = false;
    // A filter belongs to the document it was set in: another one, or this
    // one again, opens with every row shown.
    this.filter = { show: "all", score: 100 };
    this.filterBySearch = false;
    try {
      this.providers = await this.api.listProviders();
    } catch (e) {
      this.error = errorMessage(e);
    }
    this.showChanges = false;
    await this.run(async () => {
      this.view = await this.api.openDocument(docId);
      if (this.presets.length === 0) this.presets = await this.api.stylePresets();
      this.meta = await this.api.documentMeta(docId);
      this.revision = await this.api.documentRevision(docId);
    });
    await this.refreshTerms();
    await this.refreshQa();
    await this.select(this.segments.find((s) => !isConfirmed(s.status))?.id ?? null);
  }

  /** The document's house style, if one is chosen. */
  get style(): StylePreset | undefined {
    return this.presets.find((p) => p.name === this.meta?.style);
  }

  /** Chooses the document's house style (null: none) and checks again. */
  async setStyle(name: string | null): Promise<void> {
    const docId = this.docId;
    if (docId === null) return;
    await this.run(async () => {
      await this.api.setDocumentStyle(docId, name);
      if (this.meta) this.meta.style = name;
    });
    await this.refreshQa();
    await this.select(this.activeId);
  }

  /** Characters the house style allows a block: the headline (the
   * article's first block) and standfirsts have a budget. */
  budget(block: Block): number | null {
    const style = this.style;
    if (!style || !block.translatable) return null;
    if (block.kind === "h1" && block.position === 0) return style.headline_chars;
    if (block.kind === "standfirst") return style.standfirst_chars;
    return null;
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
      this.history = [];
      this.future = [];
      this.canUndo = false;
      this.canRedo = false;
      this.showChanges = true;
    });
    await this.refreshTerms();
    await this.refreshQa();
    await this.select(this.segments.find((s) => !isConfirmed(s.status))?.id ?? null);
  }

  /** Puts the English an edited segment had before into it, to adapt. */
  useOldTranslation(change: RevisionChange): void {
    if (change.segment === null || !change.previous_target) return;
    this.edit(change.segment, change.previous_target);
    void this.select(change.segment);
  }

  /** Appends a house-style form to the active segment's English. */
  insertStyle(suggestion: StyleSuggestion): void {
    const segment = this.activeId === null ? undefined : this.find(this.activeId);
    if (!segment) return;
    const text = segment.target;
    const space = text === "" || /\s$/.test(text) ? "" : " ";
    this.edit(segment.id, text + space + suggestion.english);
  }

  /** Runs the document's QA checks again. */
  async refreshQa(): Promise<void> {
    const docId = this.docId;
    if (docId === null) return;
    // Only the latest answers count: an earlier one may come last.
    const round = ++this.qaRound;
    const current = () => round === this.qaRound && this.docId === docId;
    try {
      const found = await this.api.qaDocument(docId);
      const bySegment: Record<number, Finding[]> = {};
      for (const finding of found) {
        if (finding.check === "empty") continue;
        (bySegment[finding.segment] ??= []).push(finding);
      }
      if (current()) this.findings = bySegment;
      // What the English carries over changes with it too. The shell
      // checks the stored English, which is not yet the one on screen
      // while a draft waits for its save.
      const seen: Record<number, string> = {};
      for (const s of this.segments) {
        if (!this.timers.has(s.id) && !this.saving.has(s.id) && !this.unsaved[s.id]) seen[s.id] = s.target;
      }
      const facts = await this.api.factChecklist(docId);
      if (current()) {
        this.facts = facts;
        this.factsSeen = seen;
      }
    } catch (e) {
      this.error = errorMessage(e);
    }
  }

  /** Marks a finding as a false alarm; it is gone until the English changes. */
  async ignoreFinding(finding: Finding): Promise<void> {
    const docId = this.docId;
    if (docId === null) return;
    await this.run(async () => {
      await this.api.ignoreQa(docId, finding.segment, finding.check);
    });
    await this.refreshQa();
  }

  /** The next segment after `fromId` (wrapping) that has findings. */
  nextFinding(fromId: number | null): number | null {
    const list = this.segments;
    const start = fromId === null ? -1 : list.findIndex((s) => s.id === fromId);
    for (let step = 1; step <= list.length; step++) {
      const candidate = list[(start + step + list.length) % list.length];
      if ((this.findings[candidate.id] ?? []).length > 0) return candidate.id;
    }
    return null;
  }

  /** Recognizes glossary terms in every segment (after opening, splitting,
   * merging, or a glossary change). */
  async refreshTerms(): Promise<void> {
    const segments = this.view?.blocks.flatMap((b) => b.segments) ?? [];
    try {
      const found = await this.api.findTerms(segments.map((s) => s.source));
      this.terms = Object.fromEntries(segments.map((s, i) => [s.id, found[i] ?? []]));
    } catch (e) {
      this.error = errorMessage(e);
    }
    const active = this.activeId === null ? undefined : this.find(this.activeId);
    if (active) await this.checkTerms(active);
  }

  /** Checks the terms of a segment's translation (none while it is empty). */
  private async checkTerms(segment: Segment): Promise<void> {
    if (segment.target.trim() === "" || (this.terms[segment.id] ?? []).length === 0) {
      delete this.termIssues[segment.id];
      return;
    }
    try {
      this.termIssues[segment.id] = await this.api.checkTerms(segment.source, segment.target);
    } catch (e) {
      this.error = errorMessage(e);
    }
  }

  /** Alt+1…9 or a click: puts the English of glossary hit `n` (from 1) into
   * the active segment, replacing the characters `start`…`end` (the
   * selection; at the end when not given). `choice` picks one of the
   * entry's English terms (the first when not given); the same Alt+N
   * pressed again right after puts the next one in its place. */
  insertTerm(n: number, start?: number, end?: number, choice?: number): void {
    const segment = this.activeId === null ? undefined : this.find(this.activeId);
    const hit = segment ? this.terms[segment.id]?.[n - 1] : undefined;
    if (!segment || !hit || hit.targets.length === 0) return;
    const text = segment.target;
    const last = this.lastTerm;
    const again = last?.segmentId === segment.id && last.n === n && last.text === text;
    if (choice === undefined && again && hit.targets.length > 1) {
      const index = (last.index + 1) % hit.targets.length;
      const swapped = text.slice(0, last.at) + hit.targets[index] + text.slice(last.at + hit.targets[last.index].length);
      this.edit(segment.id, swapped);
      this.lastTerm = { ...last, index, text: swapped };
      return;
    }
    const index = choice ?? 0;
    const from = start ?? text.length;
    const to = end ?? from;
    const before = text.slice(0, from);
    // No space at the start, after a space, or after a mark that opens or
    // joins: "Moscow-Pyongyang", "(Kremlin", "«Kim".
    const space = before === "" || /[\s\-“‘(\[«/]$/.test(before) ? "" : " ";
    const inserted = before + space + hit.targets[index] + text.slice(to);
    this.edit(segment.id, inserted);
    this.lastTerm = { segmentId: segment.id, n, index, at: from + space.length, text: inserted };
  }

  /** Makes a segment the active one and fetches its TM matches. */
  async select(segmentId: number | null): Promise<void> {
    this.activeId = segmentId;
    const docId = this.docId;
    const round = ++this.lookupRound;
    if (segmentId === null || docId === null) {
      this.matches = [];
      return;
    }
    const segment = this.find(segmentId);
    if (segment) void this.checkTerms(segment);
    void this.suggest(docId, segmentId, round);
    void this.api
      .styleSuggestions(docId, segmentId)
      .then((found) => {
        if (round === this.lookupRound) this.styleSuggestions = found;
      })
      .catch((e) => (this.error = errorMessage(e)));
    try {
      const matches = await this.api.lookupMatches(docId, segmentId);
      // Only the answer for the segment still active counts.
      if (round === this.lookupRound) this.matches = matches;
    } catch (e) {
      if (round === this.lookupRound) this.matches = [];
      this.error = errorMessage(e);
    }
  }

  /** Reloads the provider list (after the settings changed). */
  async loadProviders(): Promise<void> {
    try {
      this.providers = await this.api.listProviders();
    } catch (e) {
      this.error = errorMessage(e);
    }
    if (this.docId !== null && this.activeId !== null) {
      void this.suggest(this.docId, this.activeId, this.lookupRound);
    }
  }

  /** Asks every provider for the segment, in the background; an answer
   * for a segment no longer active is dropped (the shell cancels it). */
  private async suggest(docId: number, segmentId: number, round: number): Promise<void> {
    const segment = this.find(segmentId);
    this.mt = {};
    if (!segment || this.providers.length === 0) return;
    await Promise.all(
      this.providers.map(async (provider) => {
        this.mt[provider.name] = { kind: "waiting" };
        try {
          const answer = await this.api.mtSuggest(docId, segmentId, provider.name);
          if (round === this.lookupRound) {
            this.mt[provider.name] = { kind: "ready", text: answer.text, cached: answer.cached };
          }
        } catch (e) {
          const code = errorCode(e);
          if (code === "cancelled" || round !== this.lookupRound) return;
          this.mt[provider.name] = { kind: code === "offline" ? "offline" : "failed", message: errorMessage(e) };
        }
      }),
    );
  }

  /** Ctrl+M or a click: puts the first ready MT suggestion (or the one of
   * `provider`) into the active segment. */
  insertMt(provider?: string): void {
    if (this.activeId === null) return;
    const name =
      provider ?? this.providers.map((p) => p.name).find((n) => this.mt[n]?.kind === "ready");
    const state = name === undefined ? undefined : this.mt[name];
    if (name === undefined || state?.kind !== "ready") return;
    this.edit(this.activeId, state.text);
    this.rememberSuggestion(this.activeId, state.text, `mt:${name}`);
  }

  private rememberSuggestion(segmentId: number, suggestion: string, origin: string): void {
    const docId = this.docId;
    if (docId === null) return;
    this.api.noteSuggestion(docId, segmentId, suggestion, origin).catch((e) => (this.error = errorMessage(e)));
  }

  /** Ctrl+1…9 or a click: puts match `n` (from 1) into the active segment. */
  insertMatch(n: number): void {
    const match = this.matches[n - 1];
    if (!match || this.activeId === null) return;
    const text = match.adapted_target ?? match.target;
    this.edit(this.activeId, text);
    this.rememberSuggestion(this.activeId, text, `tm:${match.tm}`);
  }

  close(): void {
    this.view = null;
    this.activeId = null;
  }

  private find(segmentId: number): Segment | undefined {
    return this.view?.blocks.flatMap((b) => b.segments).find((s) => s.id === segmentId);
  }

  /** The user typed: keep the text, mark it a draft, save after a pause. */
  edit(segmentId: number, target: string): void {
    const segment = this.find(segmentId);
    if (!segment) return;
    const before = { target: segment.target, status: segment.status };
    segment.target = target;
    segment.status = target.trim() === "" ? "new" : "draft";
    this.record([{ segmentId, before, after: { target, status: segment.status } }], "typing");
    this.schedule(segmentId);
  }

  /** Adds a step to the history (typing in the same segment extends the
   * open step) and forgets what was undone. */
  private record(edits: Step["edits"], kind: Step["kind"]): void {
    const last = this.history.at(-1);
    const typing = kind === "typing";
    if (typing && last?.open && last.edits.length === 1 && last.edits[0].segmentId === edits[0].segmentId) {
      last.edits[0].after = edits[0].after;
    } else {
      if (last) last.open = false;
      this.history.push({ kind, edits, open: typing });
    }
    this.future = [];
    this.canUndo = true;
    this.canRedo = false;
  }

  /** Ctrl+Z: takes back the last typing, confirmation or replacement. */
  async undo(): Promise<void> {
    const step = this.history.pop();
    if (!step) return;
    this.future.push(step);
    await this.restore(step.edits.map((e) => ({ segmentId: e.segmentId, state: e.before })));
    this.canUndo = this.history.length > 0;
    this.canRedo = true;
  }

  /** Ctrl+Y or Ctrl+Shift+Z: does again what was undone. */
  async redo(): Promise<void> {
    const step = this.future.pop();
    if (!step) return;
    step.open = false;
    this.history.push(step);
    // A confirmation done again moves on as Ctrl+Enter did, so that the
    // next keystrokes do not land in the confirmed segment.
    await this.restore(
      step.edits.map((e) => ({ segmentId: e.segmentId, state: e.after })),
      step.kind === "confirmation",
    );
    this.canUndo = true;
    this.canRedo = this.future.length > 0;
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

  /** Whether a text matches the search. */
  private hits(segment: Segment, pattern: RegExp): boolean {
    pattern.lastIndex = 0;
    const inSource = this.search.inSource && pattern.test(segment.source);
    pattern.lastIndex = 0;
    return inSource || (this.search.inTarget && pattern.test(segment.target));
  }

  /** The translatable segments the search finds. */
  found(): Segment[] {
    const pattern = searchPattern(this.search);
    if (!(pattern instanceof RegExp)) return [];
    return this.segments.filter((s) => this.hits(s, pattern));
  }

  /** Replaces every match in the English of `segmentIds` (all found
   * segments when not given), as one undoable step; returns how many. */
  replace(replacement: string, segmentIds?: number[]): number {
    const pattern = searchPattern(this.search);
    if (!(pattern instanceof RegExp)) return 0;
    const edits: Step["edits"] = [];
    let count = 0;
    const targets = segmentIds ?? this.segments.map((s) => s.id);
    for (const id of targets) {
      const segment = this.find(id);
      if (!segment || segment.target === "") continue;
      pattern.lastIndex = 0;
      const hits = segment.target.match(pattern)?.length ?? 0;
      if (hits === 0) continue;
      // A plain search's replacement is taken literally ("$" included).
      const text = this.search.regex ? replacement : replacement.replace(/\$/g, "$$$$");
      const after = segment.target.replace(pattern, text);
      edits.push({
        segmentId: id,
        before: { target: segment.target, status: segment.status },
        after: { target: after, status: segment.status },
      });
      count += hits;
    }
    if (edits.length === 0) return 0;
    this.record(edits, "replacement");
    void this.restore(edits.map((e) => ({ segmentId: e.segmentId, state: e.after })));
    return count;
  }

  /** Whether the grid shows `segment` under the current filter. */
  shows(segment: Segment, translatable: boolean): boolean {
    const show = this.filter.show;
    if (show !== "all" && !translatable) return false;
    if (show === "qa" && (this.findings[segment.id] ?? []).length === 0) return false;
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

  private async save(segment: Segment, status: Segment["status"], propagate = this.propagateRepetitions): Promise<boolean> {
    const docId = this.docId;
    if (docId === null) return false;
    this.pendingSaves += 1;
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
      void this.checkTerms(segment);
      void this.refreshQa();
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
      this.record([{ segmentId, before, after: { target: segment.target, status: "translated" } }], "confirmation");
      this.confirmations += 1;
      // After the last open segment the cursor stays, so that the panels
      // go on describing the segment whose row the translator sees.
      await this.select(this.nextUnconfirmed(segmentId) ?? segmentId);
      await this.refreshSummary();
    }
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
      await this.refreshTerms();
      // Findings and facts are kept by segment, and the segments changed.
      await this.refreshQa();
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
      await this.refreshTerms();
      await this.refreshQa();
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
      await this.refreshTerms();
      await this.refreshQa();
      await this.select(this.activeId);
    });
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

  /** Machine-translates every empty segment with `provider`, then shows
   * the document as it now is. */
  async translateAll(provider: string): Promise<void> {
    const docId = this.docId;
    if (docId === null || this.batch) return;
    await this.flushAll();
    this.batch = { done: 0, total: this.segments.filter((s) => s.target.trim() === "").length };
    this.batchResult = null;
    try {
      const report = await this.api.mtTranslateDocument(docId, provider);
      const parts = [`${report.filled} segments machine-translated by ${provider}`];
      if (report.from_cache) parts.push(`${report.from_cache} from the cache`);
      if (report.failed) parts.push(`${report.failed} failed`);
      this.batchResult = parts.join(", ") + (report.cancelled ? " before you stopped it." : ".");
    } catch (e) {
      this.batchResult = errorMessage(e);
    }
    this.batch = null;
    await this.run(async () => {
      this.view = await this.api.openDocument(docId);
    });
    await this.refreshTerms();
    await this.refreshQa();
  }

  cancelBatch(): void {
    this.api.cancelMtBatch().catch((e) => (this.error = errorMessage(e)));
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

  private async run(action: () => Promise<void>): Promise<void> {
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
