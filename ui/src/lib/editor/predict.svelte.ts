// Predictive typing in the editor: the active segment's phrases, fetched
// once per segment (and again when its TM matches or MT suggestions
// arrive); completing what is typed is done on this side (../predict.ts),
// so a keystroke costs no call to the shell.
import { errorMessage } from "../api";
import { complete, prepare, type Completion, type Prepared } from "../predict";
import type { EditorHost } from "./host";

export class PredictController {
  /** The phrases of segment `segmentId`, cut into words. */
  private phrases = $state.raw<{ segmentId: number; phrases: Prepared[] } | null>(null);
  /** What the phrases were last asked for. */
  private asked = "";
  private host: EditorHost;

  constructor(host: EditorHost) {
    this.host = host;
  }

  /** Fetches the active segment's phrases, with the English of the TM
   * matches (`tm`) and MT suggestions (`mt`) the editor has for it; asks
   * again only when one of them changed. */
  async refresh(tm: string[], mt: string[]): Promise<void> {
    const { docId, activeId: segmentId, selectionRound: round } = this.host;
    if (docId === null || segmentId === null) {
      this.phrases = null;
      this.asked = "";
      return;
    }
    const key = JSON.stringify([docId, segmentId, tm, mt]);
    if (key === this.asked) return;
    this.asked = key;
    try {
      const phrases = await this.host.api.predictPhrases(docId, segmentId, tm, mt);
      if (round === this.host.selectionRound) this.phrases = { segmentId, phrases: prepare(phrases) };
    } catch (e) {
      this.host.error = errorMessage(e);
    }
  }

  /** What may follow `before`, the English before the caret in segment
   * `segmentId` (nothing for a segment whose phrases are not here). */
  complete(segmentId: number, before: string): Completion[] {
    if (this.phrases?.segmentId !== segmentId) return [];
    return complete(this.phrases.phrases, before);
  }
}
