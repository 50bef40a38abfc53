// Spelling in the editor: each segment's English checked by the shell a
// moment after the typing stops (only the segment that changed), one
// request at a time; suggestions, the user's dictionary, ignoring a word.
import type { Misspelling } from "../types";
import type { Checked } from "../spelling";
import type { EditorHost } from "./host";

/** How long the typing pauses before a segment is checked again. */
export const CHECK_DELAY_MS = 250;

export class SpellingController {
  /** The last answer for each segment, with the English it was for. */
  checked = $state<Record<number, Checked>>({});
  /** The English last asked about, per segment. */
  private asked = new Map<number, string>();
  private timers = new Map<number, ReturnType<typeof setTimeout>>();
  private queue: Promise<void> = Promise.resolve();
  private host: EditorHost;

  constructor(host: EditorHost) {
    this.host = host;
  }

  /** Checks a segment's English after a pause, unless it was checked as
   * it is; an empty English has nothing to check. */
  request(segmentId: number, text: string): void {
    if (this.asked.get(segmentId) === text) return;
    this.asked.set(segmentId, text);
    clearTimeout(this.timers.get(segmentId));
    if (text.trim() === "") {
      this.checked[segmentId] = { text, words: [] };
      return;
    }
    this.timers.set(
      segmentId,
      setTimeout(() => {
        this.timers.delete(segmentId);
        this.queue = this.queue.then(() => this.check(segmentId, text));
      }, CHECK_DELAY_MS),
    );
  }

  private async check(segmentId: number, text: string): Promise<void> {
    const docId = this.host.docId;
    // An English typed over since is checked by its own request.
    if (docId === null || this.asked.get(segmentId) !== text) return;
    try {
      const words = await this.host.api.misspellings(docId, text);
      if (this.host.docId === docId && this.asked.get(segmentId) === text) this.checked[segmentId] = { text, words };
    } catch {
      // A failed check underlines nothing; the next edit asks again.
      this.asked.delete(segmentId);
    }
  }

  /** The misspelt words of a segment's English as it is now. */
  wordsOf(segmentId: number): Misspelling[] {
    const segment = this.host.find(segmentId);
    const checked = this.checked[segmentId];
    return segment && checked?.text === segment.target ? checked.words : [];
  }

  /** The dictionary's suggestions for a word. */
  suggestions(word: string): Promise<string[]> {
    return this.host.api.spellingSuggestions(word);
  }

  /** Adds a word to the user's dictionary; every segment is checked again. */
  async add(word: string): Promise<void> {
    await this.host.run(async () => {
      await this.host.api.addSpellingWord(word);
      this.recheck();
    });
  }

  /** Ignores a word in this document; its segments are checked again. */
  async ignore(word: string): Promise<void> {
    const docId = this.host.docId;
    if (docId === null) return;
    await this.host.run(async () => {
      await this.host.api.ignoreSpellingWord(docId, word);
      this.recheck();
    });
  }

  /** Forgets every answer, so the segments shown ask again. */
  recheck(): void {
    this.asked.clear();
    for (const segment of this.host.segments) this.request(segment.id, segment.target);
  }

  /** A new document: nothing of the last one is kept. */
  reset(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.asked.clear();
    this.checked = {};
  }
}
