// State and behaviour of the side-by-side editor, without rendering:
// autosave with debounce, confirm-and-advance, split, merge, block flags.
import { errorCode, errorMessage, type Api } from "./api";
import {
  isConfirmed,
  type DocumentView,
  type ExportFormat,
  type Exported,
  type Finding,
  type Match,
  type Provider,
  type ReviewReport,
  type Segment,
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

export class EditorController {
  view = $state<DocumentView | null>(null);
  activeId = $state<number | null>(null);
  pendingSaves = $state(0);
  error = $state<string | null>(null);
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
  #propagateRepetitions = $state(localStorage.getItem(FILL_REPETITIONS_KEY) !== "off");
  private lookupRound = 0;

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
    try {
      this.providers = await this.api.listProviders();
    } catch (e) {
      this.error = errorMessage(e);
    }
    await this.run(async () => {
      this.view = await this.api.openDocument(docId);
    });
    await this.refreshTerms();
    await this.refreshQa();
    await this.select(this.segments.find((s) => !isConfirmed(s.status))?.id ?? null);
  }

  /** Runs the document's QA checks again. */
  async refreshQa(): Promise<void> {
    const docId = this.docId;
    if (docId === null) return;
    try {
      const found = await this.api.qaDocument(docId);
      const bySegment: Record<number, Finding[]> = {};
      for (const finding of found) {
        if (finding.check === "empty") continue;
        (bySegment[finding.segment] ??= []).push(finding);
      }
      if (this.docId === docId) this.findings = bySegment;
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
   * selection; at the end when not given). */
  insertTerm(n: number, start?: number, end?: number): void {
    const segment = this.activeId === null ? undefined : this.find(this.activeId);
    const hit = segment ? this.terms[segment.id]?.[n - 1] : undefined;
    if (!segment || !hit || hit.targets.length === 0) return;
    const text = segment.target;
    const from = start ?? text.length;
    const to = end ?? from;
    const before = text.slice(0, from);
    const space = before === "" || /\s$/.test(before) ? "" : " ";
    this.edit(segment.id, before + space + hit.targets[0] + text.slice(to));
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
    segment.target = target;
    segment.status = target.trim() === "" ? "new" : "draft";
    this.schedule(segmentId);
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

  private async save(segment: Segment, status: Segment["status"]): Promise<boolean> {
    const docId = this.docId;
    if (docId === null) return false;
    this.pendingSaves += 1;
    try {
      const saved = await this.api.saveTarget(
        docId,
        segment.id,
        segment.target,
        status,
        this.propagateRepetitions,
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
      return true;
    } catch (e) {
      this.error = `Not saved: ${errorMessage(e)}`;
      return false;
    } finally {
      this.pendingSaves -= 1;
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
    if (await this.save(segment, "translated")) {
      segment.status = "translated";
      this.confirmations += 1;
      await this.select(this.nextUnconfirmed(segmentId));
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
      await this.select(result.segment.id);
    });
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
    }
  }
}
