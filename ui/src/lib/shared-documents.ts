// How the list of shared documents words who holds each, and why a save
// was kept aside.
import type { SegmentConflictDto, SharedDocumentDto } from "./bindings";

const pad = (n: number) => String(n).padStart(2, "0");

/** A lease's end: the time when it is within a day, else the date. */
export function leaseEnd(until: string, now: number): string {
  const end = new Date(until);
  if (Number.isNaN(end.getTime())) return until;
  if (Math.abs(end.getTime() - now) < 24 * 3600 * 1000) {
    return `${pad(end.getHours())}:${pad(end.getMinutes())}`;
  }
  return `${end.getFullYear()}-${pad(end.getMonth() + 1)}-${pad(end.getDate())}`;
}

/** "Held by ben · translate · until 18:03", "Held by you · review · lease ended", "No one holds it". */
export function holderLine(doc: SharedDocumentDto, now: number): string {
  if (!doc.shared) return "Waiting to be sent to the team";
  if (doc.holder === null) return "No one holds it";
  const who = doc.mine ? "you" : doc.holder;
  const step = doc.step ? ` · ${doc.step}` : "";
  const lease = doc.lease_until === null ? "" : doc.live ? ` · until ${leaseEnd(doc.lease_until, now)}` : " · lease ended";
  return `Held by ${who}${step}${lease}`;
}

const REASONS: Record<string, string> = {
  not_holder: "refused: you no longer hold the document",
  lease_expired: "refused: your lease had run out",
  stale: "refused: someone saved the segment since",
  unknown_segment: "refused: the team has no such segment",
};

/** What became of a save kept aside. */
export function keptLine(kept: SegmentConflictDto): string {
  if (kept.reason === "edited_here") return `${kept.author}’s English, kept aside: yours was edited here`;
  return `Your save ${REASONS[kept.reason] ?? `refused (${kept.reason})`}`;
}

/** Which segment a save kept aside is of: "Segment 2 of “Crisi”", or that it is no longer here. */
export function keptSegment(kept: SegmentConflictDto, documents: { id: number; name: string }[]): string {
  if (kept.document === null || kept.place === null) return "A segment no longer here";
  const name = documents.find((d) => d.id === kept.document)?.name;
  return name === undefined ? `Segment ${kept.place}` : `Segment ${kept.place} of “${name}”`;
}

/** The short line a shared document's row in the document list carries:
 * "Shared · you translate", "Shared · ben reviews", "Shared · ben’s lease ended", "Shared · no one holds it". */
export function listMark(doc: SharedDocumentDto): string {
  if (!doc.shared) return "Sharing with the team…";
  if (doc.holder === null) return "Shared · no one holds it";
  if (!doc.live) return `Shared · ${doc.mine ? "your" : `${doc.holder}’s`} lease ended`;
  const verb = doc.step === "review" ? "review" : doc.step === "translate" ? "translate" : "hold it";
  return doc.mine ? `Shared · you ${verb}` : `Shared · ${doc.holder} ${verb === "hold it" ? "holds it" : `${verb}s`}`;
}

/** Each local document linked to a shared one, with its row's mark. */
export function listMarks(shared: SharedDocumentDto[]): Map<number, { line: string; mine: boolean }> {
  const marks = new Map<number, { line: string; mine: boolean }>();
  for (const doc of shared) {
    if (doc.document !== null) marks.set(doc.document, { line: listMark(doc), mine: doc.mine && doc.live });
  }
  return marks;
}
