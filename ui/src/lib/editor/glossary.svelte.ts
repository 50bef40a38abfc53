// The glossary in the editor: the terms recognized in each segment, the
// term problems of its English, inserting a term, and quick-add.
import { errorMessage } from "../api";
import type { Segment, TermHit, TermIssue } from "../types";
import type { EditorHost } from "./host";

/** Where an entry added from the editor goes. */
const QUICK_ADD_GLOSSARY = "My glossary";

export class GlossaryController {
  /** Glossary terms recognized in each segment's Italian, by segment id. */
  terms = $state<Record<number, TermHit[]>>({});
  /** Term problems of each checked translation, by segment id. */
  issues = $state<Record<number, TermIssue[]>>({});
  /** Bumped by the add-term shortcut: the glossary panel opens its form. */
  addRequests = $state(0);
  /** The last glossary term put in, which its Alt+N pressed again swaps
   * for the entry's next English. */
  private lastTerm: { segmentId: number; n: number; index: number; at: number; text: string } | null = null;
  private host: EditorHost;

  constructor(host: EditorHost) {
    this.host = host;
  }

  /** Recognizes glossary terms in every segment (after opening, splitting,
   * merging, or a glossary change). */
  async refresh(): Promise<void> {
    const segments = this.host.view?.blocks.flatMap((b) => b.segments) ?? [];
    try {
      const found = await this.host.api.findTerms(segments.map((s) => s.source));
      this.terms = Object.fromEntries(segments.map((s, i) => [s.id, found[i] ?? []]));
    } catch (e) {
      this.host.error = errorMessage(e);
    }
    const active = this.host.activeId === null ? undefined : this.host.find(this.host.activeId);
    if (active) await this.check(active);
  }

  /** Checks the terms of a segment's translation (none while it is empty). */
  async check(segment: Segment): Promise<void> {
    if (segment.target.trim() === "" || (this.terms[segment.id] ?? []).length === 0) {
      delete this.issues[segment.id];
      return;
    }
    try {
      this.issues[segment.id] = await this.host.api.checkTerms(segment.source, segment.target);
    } catch (e) {
      this.host.error = errorMessage(e);
    }
  }

  /** Alt+1…9 or a click: puts the English of glossary hit `n` (from 1) into
   * the active segment, replacing the characters `start`…`end` (the
   * selection; at the end when not given). `choice` picks one of the
   * entry's English terms (the first when not given); the same Alt+N
   * pressed again right after puts the next one in its place. */
  insert(n: number, start?: number, end?: number, choice?: number): void {
    const segment = this.host.activeId === null ? undefined : this.host.find(this.host.activeId);
    const hit = segment ? this.terms[segment.id]?.[n - 1] : undefined;
    if (!segment || !hit || hit.targets.length === 0) return;
    const text = segment.target;
    const last = this.lastTerm;
    const again = last?.segmentId === segment.id && last.n === n && last.text === text;
    if (choice === undefined && again && hit.targets.length > 1) {
      const index = (last.index + 1) % hit.targets.length;
      const swapped = text.slice(0, last.at) + hit.targets[index] + text.slice(last.at + hit.targets[last.index].length);
      this.host.edit(segment.id, swapped);
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
    this.host.edit(segment.id, inserted);
    this.lastTerm = { segmentId: segment.id, n, index, at: from + space.length, text: inserted };
  }

  /** Quick-add: a new entry in "My glossary"; says what was added, and
   * which entries the glossary already had for the term. Throws when the
   * shell refuses it. */
  async add(italian: string, english: string, note: string): Promise<string> {
    // Several English terms, separated by commas as the glossary manager
    // writes them, are one entry to choose from.
    const [first, ...others] = english.split(",").map((t) => t.trim()).filter(Boolean);
    const added = await this.host.api.addGlossaryEntry(QUICK_ADD_GLOSSARY, italian, first ?? english, note || null);
    if (others.length > 0) {
      await this.host.api.updateGlossaryEntry(added.id, [italian.trim()], [first, ...others], null, note || null);
    }
    return added.duplicates.length
      ? `Added. Note: “${QUICK_ADD_GLOSSARY}” already had ${added.duplicates
          .map((d) => `${d.italian[0]} → ${d.english.join(", ")}`)
          .join("; ")}.`
      : `Added to “${QUICK_ADD_GLOSSARY}”.`;
  }
}
