import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "./api";
import { EditorController, FILL_REPETITIONS_KEY } from "./editor.svelte";
import { installFakeBackend, sampleView } from "./fake-backend";

describe("EditorController", () => {
  let backend: ReturnType<typeof installFakeBackend>;

  beforeEach(() => {
    backend = installFakeBackend(sampleView());
  });
  afterEach(() => {
    backend.uninstall();
    vi.useRealTimers();
  });

  it("opens on the first unconfirmed translatable segment", async () => {
    const editor = new EditorController(api);
    await editor.open(1);
    expect(editor.activeId).toBe(11);
    expect(editor.segments.map((s) => s.id)).toEqual([11, 12, 13]);
  });

  it("saves a draft once typing pauses, and only once", async () => {
    vi.useFakeTimers();
    const editor = new EditorController(api, 500);
    await editor.open(1);
    editor.edit(11, "Putin");
    editor.edit(11, "Putin goes");
    editor.edit(11, "Putin goes to Kim.");
    expect(backend.calls.filter((c) => c.cmd === "save_target")).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(499);
    expect(backend.calls.filter((c) => c.cmd === "save_target")).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    const saves = backend.calls.filter((c) => c.cmd === "save_target");
    expect(saves).toHaveLength(1);
    expect(saves[0].args).toEqual({
      docId: 1,
      segmentId: 11,
      target: "Putin goes to Kim.",
      status: "draft",
      propagate: true,
    });
  });

  it("is idle only when no edit waits to be written", async () => {
    vi.useFakeTimers();
    const editor = new EditorController(api, 500);
    await editor.open(1);
    expect(editor.idle()).toBe(true);
    editor.edit(11, "Putin goes to Kim.");
    expect(editor.idle()).toBe(false);
    await vi.advanceTimersByTimeAsync(500);
    expect(editor.idle()).toBe(true);
  });

  /** The stand-in's copy of a segment: what the workspace holds. */
  const seg = (id: number) => backend.view.blocks.flatMap((b) => b.segments).find((s) => s.id === id)!;

  it("keeps what is typed while a teammate's changes are read again", async () => {
    vi.useFakeTimers();
    const editor = new EditorController(api, 500);
    await editor.open(1);
    backend.pace.openDocument = 100;
    const reloaded = editor.reloadIfIdle(1);
    editor.edit(11, "Putin goes");
    await vi.advanceTimersByTimeAsync(100);
    expect(await reloaded).toBe(false);
    expect(editor.segments.find((s) => s.id === 11)!.target).toBe("Putin goes");
    await vi.advanceTimersByTimeAsync(500);
    expect(editor.idle()).toBe(true);
    expect(seg(11).target).toBe("Putin goes");
  });

  it("keeps a save begun while a teammate's changes are read again", async () => {
    vi.useFakeTimers();
    const editor = new EditorController(api, 10);
    await editor.open(1);
    backend.pace.openDocument = 100;
    const reloaded = editor.reloadIfIdle(1);
    seg(12).target = "stale";
    editor.edit(11, "Putin goes");
    await vi.advanceTimersByTimeAsync(100);
    expect(editor.idle()).toBe(true);
    expect(await reloaded).toBe(false);
    expect(editor.segments.find((s) => s.id === 11)!.target).toBe("Putin goes");
  });

  it("reads the open document again when nothing waits to be written", async () => {
    const editor = new EditorController(api, 500);
    await editor.open(1);
    seg(12).target = "From a teammate";
    expect(await editor.reloadIfIdle(1)).toBe(true);
    expect(editor.segments.find((s) => s.id === 12)!.target).toBe("From a teammate");
  });

  it("confirms and moves to the next unconfirmed segment, skipping confirmed ones", async () => {
    const editor = new EditorController(api, 10_000);
    await editor.open(1);
    editor.edit(12, "This strengthens the axis");
    await editor.confirm(12);
    expect(editor.activeId).toBe(13);
    editor.edit(13, "text");
    await editor.confirm(13);
    // Wraps around to the first segment still open.
    expect(editor.activeId).toBe(11);
    const confirmed = backend.calls.filter(
      (c) => c.cmd === "save_target" && c.args.status === "translated",
    );
    expect(confirmed.map((c) => c.args.segmentId)).toEqual([12, 13]);
    expect(editor.view?.document.confirmed).toBe(2);
    expect(editor.confirmations).toBe(2);
  });

  it("refuses to confirm an empty segment", async () => {
    const editor = new EditorController(api);
    await editor.open(1);
    await editor.confirm(11);
    expect(editor.error).toMatch(/Write a translation/);
    expect(editor.activeId).toBe(11);
    expect(backend.calls.some((c) => c.cmd === "save_target")).toBe(false);
  });

  it("shows a failed save instead of losing it silently", async () => {
    const editor = new EditorController(api, 10_000);
    await editor.open(1);
    editor.view!.blocks[1].segments[0].id = 999;
    editor.edit(999, "lost?");
    await editor.flush(999);
    expect(editor.error).toBe("Not saved: no segment 999");
  });

  it("flushes pending drafts before flipping a block", async () => {
    const editor = new EditorController(api, 10_000);
    await editor.open(1);
    editor.edit(11, "Putin visits Kim.");
    await editor.setBlockTranslatable(0, true);
    const order = backend.calls.map((c) => c.cmd);
    expect(order.indexOf("save_target")).toBeLessThan(order.indexOf("set_block_translatable"));
    expect(editor.view?.blocks[0].translatable).toBe(true);
  });
});

/** Confirms the headline of an article where segment 13 repeats it. */
async function confirmRepeatedHeadline(propagate: boolean) {
  const view = sampleView();
  view.blocks[2].segments[0].source = "Putin va da Kim.";
  const backend = installFakeBackend(view);
  const editor = new EditorController(api, 10_000);
  await editor.open(1);
  editor.propagateRepetitions = propagate;
  editor.edit(11, "Putin goes to Kim.");
  await editor.confirm(11);
  backend.uninstall();
  return { backend, editor, repeated: editor.segments.find((s) => s.id === 13)! };
}

describe("repetitions", () => {
  it("applies the targets the shell propagated to identical segments", async () => {
    const { editor, repeated } = await confirmRepeatedHeadline(true);
    expect(repeated.target).toBe("Putin goes to Kim.");
    expect(repeated.status).toBe("translated");
    // Confirming moved on past the segment that is now done.
    expect(editor.activeId).toBe(12);
  });

  it("leaves identical segments alone when turned off", async () => {
    const { backend, repeated } = await confirmRepeatedHeadline(false);
    const save = backend.calls.find((c) => c.cmd === "save_target");
    expect(save?.args.propagate).toBe(false);
    expect(repeated.target).toBe("");
  });

  it("remembers the choice for the next run", () => {
    localStorage.removeItem(FILL_REPETITIONS_KEY);
    expect(new EditorController(api).propagateRepetitions).toBe(true);
    new EditorController(api).propagateRepetitions = false;
    expect(new EditorController(api).propagateRepetitions).toBe(false);
    new EditorController(api).propagateRepetitions = true;
    expect(new EditorController(api).propagateRepetitions).toBe(true);
  });
});

describe("trust: the cursor and the filter", () => {
  let backend: ReturnType<typeof installFakeBackend>;
  beforeEach(() => {
    backend = installFakeBackend(sampleView());
  });
  afterEach(() => backend.uninstall());

  it("redoes a confirmation and moves on as Ctrl+Enter did", async () => {
    const editor = new EditorController(api, 10_000);
    await editor.open(1);
    editor.edit(11, "Putin goes to Kim.");
    await editor.confirm(11);
    expect(editor.activeId).toBe(12);
    await editor.history.undo();
    expect(editor.activeId).toBe(11);
    expect(editor.segments[0].status).toBe("draft");
    await editor.history.redo();
    expect(editor.segments[0].status).toBe("translated");
    expect(editor.activeId).toBe(12);
  });

  it("stays on the last open segment once it is confirmed", async () => {
    const editor = new EditorController(api, 10_000);
    await editor.open(1);
    for (const id of [11, 12, 13]) {
      editor.edit(id, `English ${id}`);
      await editor.confirm(id);
    }
    expect(editor.activeId).toBe(13);
  });

  it("opens a document unfiltered", async () => {
    const editor = new EditorController(api, 10_000);
    await editor.open(1);
    editor.filter.show = "qa";
    editor.filterBySearch = true;
    await editor.open(1);
    expect(editor.filter.show).toBe("all");
    expect(editor.filterBySearch).toBe(false);
  });
});

describe("glossary terms with Alt+N", () => {
  let backend: ReturnType<typeof installFakeBackend>;
  beforeEach(() => {
    backend = installFakeBackend(sampleView());
  });
  afterEach(() => backend.uninstall());

  async function onAxis(): Promise<EditorController> {
    const editor = new EditorController(api, 10_000);
    await editor.open(1);
    await editor.select(12);
    return editor;
  }
  const target = (editor: EditorController) => editor.segments.find((s) => s.id === 12)!.target;

  it.each([
    ["Moscow-", "Moscow-axis"],
    ["the “", "the “axis"],
    ["the ‘", "the ‘axis"],
    ["the (", "the (axis"],
    ["the [", "the [axis"],
    ["the «", "the «axis"],
    ["Moscow/", "Moscow/axis"],
    ["", "axis"],
    ["the ", "the axis"],
    ["the", "the axis"],
  ])("after %j puts in %j", async (before, after) => {
    const editor = await onAxis();
    editor.edit(12, before);
    editor.glossary.insert(1);
    expect(target(editor)).toBe(after);
  });

  it("puts the entry's next English in place when the same Alt+N comes again", async () => {
    const editor = await onAxis();
    editor.glossary.terms[12] = [{ ...editor.glossary.terms[12][0], targets: ["axis", "alliance", "bond"] }];
    editor.edit(12, "The  grows");
    editor.glossary.insert(1, 4, 4);
    expect(target(editor)).toBe("The axis grows");
    editor.glossary.insert(1, 8, 8);
    expect(target(editor)).toBe("The alliance grows");
    editor.glossary.insert(1);
    expect(target(editor)).toBe("The bond grows");
    editor.glossary.insert(1);
    expect(target(editor)).toBe("The axis grows");
    // After other typing, Alt+N inserts anew.
    editor.edit(12, "The axis grows, the");
    editor.glossary.insert(1);
    expect(target(editor)).toBe("The axis grows, the axis");
  });

  it("inserts again an entry with one English", async () => {
    const editor = await onAxis();
    editor.edit(12, "the");
    editor.glossary.insert(1);
    editor.glossary.insert(1);
    expect(target(editor)).toBe("the axis axis");
  });
});

describe("another document", () => {
  let backend: ReturnType<typeof installFakeBackend>;
  beforeEach(() => {
    backend = installFakeBackend(sampleView());
  });
  afterEach(() => backend.uninstall());

  it("forgets one document's messages and concordance results when another opens", async () => {
    const editor = new EditorController(api, 10_000);
    await editor.open(1);
    editor.matches.phrase = "Putin";
    await editor.matches.searchConcordance();
    expect(editor.matches.concordance?.length).toBeGreaterThan(0);
    await editor.importReview("/tmp/reviewed.docx");
    expect(editor.review).not.toBeNull();
    editor.mt.batchResult = "3 segments machine-translated by deepl.";
    editor.suggestion = "cfr.";

    await editor.open(2);
    expect(editor.matches.phrase).toBe("");
    expect(editor.matches.concordance).toBeNull();
    expect(editor.review).toBeNull();
    expect(editor.mt.batchResult).toBeNull();
    expect(editor.suggestion).toBeNull();
  });
});
