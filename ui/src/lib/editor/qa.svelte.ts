// Quality checks in the editor: each segment's findings, false alarms
// ignored, and the checklist of facts the English must carry over.
import { errorMessage } from "../api";
import type { Fact, Finding } from "../types";
import type { EditorHost } from "./host";

export class QaController {
  /** QA findings by segment id (empty segments not counted). */
  findings = $state<Record<number, Finding[]>>({});
  /** Every number, date, time, name and quote of the Italian. */
  facts = $state<Fact[]>([]);
  /** Each segment's English as the fact checklist saw it: facts of a
   * segment whose English changed since are not known yet. */
  factsSeen = $state<Record<number, string>>({});
  private round = 0;
  private host: EditorHost;

  constructor(host: EditorHost) {
    this.host = host;
  }

  /** Every finding in the document. */
  get total(): number {
    return Object.values(this.findings).reduce((n, list) => n + list.length, 0);
  }

  /** Runs the document's QA checks again. */
  async refresh(): Promise<void> {
    const docId = this.host.docId;
    if (docId === null) return;
    // Only the latest answers count: an earlier one may come last.
    const round = ++this.round;
    const current = () => round === this.round && this.host.docId === docId;
    try {
      const found = await this.host.api.qaDocument(docId);
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
      for (const s of this.host.segments) {
        if (this.host.settled(s.id)) seen[s.id] = s.target;
      }
      const facts = await this.host.api.factChecklist(docId);
      if (current()) {
        this.facts = facts;
        this.factsSeen = seen;
      }
    } catch (e) {
      this.host.error = errorMessage(e);
    }
  }

  /** Marks a finding as a false alarm; it is gone until the English changes. */
  async ignore(finding: Finding): Promise<void> {
    const docId = this.host.docId;
    if (docId === null) return;
    await this.host.run(async () => {
      await this.host.api.ignoreQa(docId, finding.segment, finding.check);
    });
    await this.refresh();
  }

  /** The next segment after `fromId` (wrapping) that has findings. */
  nextFinding(fromId: number | null): number | null {
    const list = this.host.segments;
    const start = fromId === null ? -1 : list.findIndex((s) => s.id === fromId);
    for (let step = 1; step <= list.length; step++) {
      const candidate = list[(start + step + list.length) % list.length];
      if ((this.findings[candidate.id] ?? []).length > 0) return candidate.id;
    }
    return null;
  }
}
