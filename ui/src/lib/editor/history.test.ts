import { describe, expect, it } from "vitest";
import { HistoryController, type SegmentState, type Step } from "./history.svelte";

function edit(segmentId: number, before: SegmentState, after: SegmentState): Step["edits"] {
  return [{ segmentId, before, after }];
}

const draft = (target: string): SegmentState => ({ target, status: "draft" });
const translated = (target: string): SegmentState => ({ target, status: "translated" });

function history() {
  const restored: { segmentId: number; state: SegmentState }[][] = [];
  const controller = new HistoryController(async (states) => {
    restored.push(states);
  });
  return { controller, restored };
}

describe("HistoryController", () => {
  it("forgets what was undone once something new is done", async () => {
    const { controller, restored } = history();
    controller.record(edit(11, draft(""), draft("a")), "typing");
    await controller.undo();
    expect(controller.canRedo).toBe(true);
    controller.record(edit(11, draft(""), draft("b")), "typing");
    expect(controller.canRedo).toBe(false);
    await controller.redo();
    expect(restored).toHaveLength(1);
  });

  it("starts a new step for typing after a confirmation of the same segment", async () => {
    const { controller, restored } = history();
    controller.record(edit(11, draft(""), draft("Putin")), "typing");
    controller.record(edit(11, draft("Putin"), translated("Putin")), "confirmation");
    controller.record(edit(11, translated("Putin"), draft("Putin goes")), "typing");
    await controller.undo();
    // Back to the confirmed English, not to before the confirmation.
    expect(restored.at(-1)).toEqual([{ segmentId: 11, state: translated("Putin") }]);
    expect(controller.canUndo).toBe(true);
  });
});
