import { describe, expect, it } from "vitest";
import type { SharedDocumentDto } from "./bindings";
import { holderLine, keptLine, keptSegment, leaseEnd, listMark, listMarks } from "./shared-documents";

const doc = (over: Partial<SharedDocumentDto>): SharedDocumentDto => ({
  id: "3c0d",
  name: "Crisi di governo",
  segments: 2,
  shared: true,
  holder: null,
  step: null,
  lease_until: null,
  live: false,
  mine: false,
  document: null,
  ...over,
});

describe("shared documents", () => {
  it("say who holds each, at what step and until when", () => {
    const now = Date.parse("2026-12-06T12:00:00Z");
    const soon = new Date(now + 90 * 60_000);
    const hhmm = `${String(soon.getHours()).padStart(2, "0")}:${String(soon.getMinutes()).padStart(2, "0")}`;
    expect(holderLine(doc({}), now)).toBe("No one holds it");
    expect(holderLine(doc({ shared: false }), now)).toBe("Waiting to be sent to the team");
    expect(holderLine(doc({ holder: "ben", step: "translate", lease_until: soon.toISOString(), live: true }), now)).toBe(
      `Held by ben · translate · until ${hhmm}`,
    );
    expect(holderLine(doc({ holder: "carla", step: "review", lease_until: "2026-12-06T11:00:00Z", live: false, mine: true }), now)).toBe(
      "Held by you · review · lease ended",
    );
    expect(leaseEnd("2999-01-01T12:00:00Z", now)).toBe("2999-01-01");
    expect(leaseEnd("not a time", now)).toBe("not a time");
  });

  it("mark the rows of the document list that are shared, with who holds them", () => {
    expect(listMark(doc({}))).toBe("Shared · no one holds it");
    expect(listMark(doc({ shared: false }))).toBe("Sharing with the team…");
    expect(listMark(doc({ holder: "ben", step: "review", live: true }))).toBe("Shared · ben reviews");
    expect(listMark(doc({ holder: "ben", step: null, live: true }))).toBe("Shared · ben holds it");
    expect(listMark(doc({ holder: "carla", step: "translate", live: true, mine: true }))).toBe("Shared · you translate");
    expect(listMark(doc({ holder: "carla", step: "translate", live: false, mine: true }))).toBe("Shared · your lease ended");
    expect(listMark(doc({ holder: "ben", step: "review", live: false }))).toBe("Shared · ben’s lease ended");
    const marks = listMarks([
      doc({ id: "a", document: 4, holder: "carla", step: "translate", live: true, mine: true }),
      doc({ id: "b", document: null, holder: "ben", live: true }),
      doc({ id: "c", document: 9, holder: "carla", step: "review", live: false, mine: true }),
    ]);
    expect([...marks.keys()]).toEqual([4, 9]);
    expect(marks.get(4)).toEqual({ line: "Shared · you translate", mine: true });
    // A lease that ran out is no longer the translator's to work on.
    expect(marks.get(9)?.mine).toBe(false);
  });

  it("say why a save was kept aside", () => {
    const kept = { id: 1, author: "ben", target: "It rains.", status: "translated", document: 7, segment: 70, place: 3 };
    expect(keptLine({ ...kept, reason: "not_holder" })).toBe("Your save refused: you no longer hold the document");
    expect(keptLine({ ...kept, reason: "stale" })).toBe("Your save refused: someone saved the segment since");
    expect(keptLine({ ...kept, reason: "edited_here" })).toBe("ben’s English, kept aside: yours was edited here");
    expect(keptLine({ ...kept, reason: "something_new" })).toBe("Your save refused (something_new)");
  });

  it("name the segment a save was kept for", () => {
    const kept = { id: 1, reason: "stale", author: "ben", target: "It rains.", status: "translated", document: 7, segment: 70, place: 3 };
    expect(keptSegment(kept, [{ id: 7, name: "Crisi" }])).toBe("Segment 3 of “Crisi”");
    expect(keptSegment(kept, [])).toBe("Segment 3");
    expect(keptSegment({ ...kept, document: null, segment: null, place: null }, [])).toBe("A segment no longer here");
  });
});
