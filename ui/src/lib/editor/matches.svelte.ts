// The translation memory for the editor: the active segment's matches,
// and the concordance search over every TM.
import { errorMessage } from "../api";
import type { Concordance, Match } from "../types";
import type { EditorHost } from "./host";

export class MatchesController {
  /** TM matches for the active segment, best first. */
  tm = $state<Match[]>([]);
  /** The word or phrase the concordance looks for. */
  phrase = $state("");
  /** What the last concordance search found (null: none asked). */
  concordance = $state<Concordance[] | null>(null);
  concordanceError = $state<string | null>(null);
  private host: EditorHost;

  constructor(host: EditorHost) {
    this.host = host;
  }

  /** Fetches the matches of the segment selected in `round`. */
  async lookup(docId: number, segmentId: number, round: number): Promise<void> {
    try {
      const matches = await this.host.api.lookupMatches(docId, segmentId);
      // Only the answer for the segment still active counts.
      if (round === this.host.selectionRound) this.tm = matches;
    } catch (e) {
      if (round === this.host.selectionRound) this.tm = [];
      this.host.error = errorMessage(e);
    }
  }

  /** Ctrl+1…9 or a click: puts match `n` (from 1) into the active segment. */
  insert(n: number): void {
    const match = this.tm[n - 1];
    if (!match) return;
    this.host.insertSuggestion(match.adapted_target ?? match.target, `tm:${match.tm}`, match.score);
  }

  /** Gives a TM unit a new English, then shows the matches and the
   * concordance as they now are. Throws when the shell refuses it (a
   * read-only TM). */
  async editUnit(unit: number, target: string): Promise<void> {
    await this.host.api.editTmUnit(unit, target);
    await this.refresh();
  }

  /** Deletes a TM unit, then shows the matches and concordance without it. */
  async deleteUnit(unit: number): Promise<void> {
    await this.host.api.deleteTmUnit(unit);
    await this.refresh();
  }

  /** The active segment's matches and the concordance search, asked again. */
  async refresh(): Promise<void> {
    const docId = this.host.docId;
    const segmentId = this.host.activeId;
    if (docId !== null && segmentId !== null) await this.lookup(docId, segmentId, this.host.selectionRound);
    if (this.concordance !== null) await this.searchConcordance();
  }

  /** Forgets the concordance search and its results (another document). */
  forget(): void {
    this.phrase = "";
    this.concordance = null;
    this.concordanceError = null;
  }

  /** Searches the TMs for `phrase` (an empty one clears the results). */
  async searchConcordance(): Promise<void> {
    if (!this.phrase.trim()) {
      this.concordance = null;
      return;
    }
    try {
      this.concordance = await this.host.api.concordance(this.phrase);
      this.concordanceError = null;
    } catch (e) {
      this.concordanceError = errorMessage(e);
    }
  }
}
