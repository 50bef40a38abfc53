// The editor's shortcuts for approving, splitting, merging, the segment's
// history, the glossary and concordance, and TM upkeep from the matches panel.
import { flushSync, mount, tick, unmount } from "svelte";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { api } from "../../lib/api";
import { EditorController } from "../../lib/editor.svelte";
import { installFakeBackend, sampleView } from "../../lib/fake-backend";
import { ACTIONS, RESERVED } from "../../lib/keymap.svelte";
import Editor from "./Editor.svelte";

beforeAll(async () => {
  await import("@tauri-apps/api/event");
});

async function settle() {
  for (let i = 0; i < 10; i++) {
    await new Promise((resolve) => setTimeout(resolve, 0));
    flushSync();
  }
}

let cleanup: (() => void) | undefined;
afterEach(() => {
  cleanup?.();
  cleanup = undefined;
  document.body.innerHTML = "";
});

async function setup() {
  const backend = installFakeBackend(sampleView());
  const controller = new EditorController(api, 10_000);
  await controller.open(1);
  const target = document.createElement("div");
  document.body.append(target);
  const component = mount(Editor, { target, props: { controller } });
  cleanup = () => {
    unmount(component);
    backend.uninstall();
  };
  await settle();
  const field = (id: number) => target.querySelector<HTMLElement>(`.english[data-segment-id="${id}"]`)!;
  const press = async (init: KeyboardEventInit, on: Element = field(controller.activeId!)) => {
    on.dispatchEvent(new KeyboardEvent("keydown", { bubbles: true, cancelable: true, ...init }));
    await settle();
  };
  return { backend, controller, target, field, press };
}

describe("the editor's new shortcuts", () => {
  it("take keys no other action and no typing needs", () => {
    const ids = ["approve", "add-term", "concordance", "split", "merge", "segment-history"];
    const keys = ACTIONS.flatMap((a) => a.keys);
    for (const id of ids) {
      const action = ACTIONS.find((a) => a.id === id)!;
      expect(action.keys.length).toBeGreaterThan(0);
      for (const key of action.keys) {
        expect(RESERVED).not.toContain(key);
        expect(keys.filter((k) => k === key)).toHaveLength(1);
      }
    }
  });

  it("approve the segment and move to the next one not approved", async () => {
    const { backend, controller, press } = await setup();
    expect(controller.activeId).toBe(11);
    controller.edit(11, "Putin goes to Kim.");
    await press({ key: "A", ctrlKey: true, shiftKey: true });
    const save = backend.calls.filter((c) => c.cmd === "save_target").at(-1);
    expect(save?.args).toMatchObject({ segmentId: 11, target: "Putin goes to Kim.", status: "approved" });
    expect(controller.find(11)?.status).toBe("approved");
    expect(controller.activeId).toBe(12);
    // An empty segment is not approved.
    await press({ key: "A", ctrlKey: true, shiftKey: true });
    expect(controller.find(12)?.status).toBe("new");
    expect(controller.error).toMatch(/Write a translation/);
  });

  it("split with a visible cursor in the Italian, moved by the arrows", async () => {
    const { backend, controller, target, press } = await setup();
    await press({ key: "t", ctrlKey: true });
    const source = target.querySelector('[data-source-id="11"]')!;
    expect(source.querySelector(".split-caret")).not.toBeNull();
    // It starts at the word nearest the middle of "Putin va da Kim.".
    const before = () => {
      const range = document.createRange();
      range.setStart(source.querySelector(".splitting")!, 0);
      range.setEndBefore(source.querySelector(".split-caret")!);
      return range.toString();
    };
    expect(before()).toBe("Putin va ");
    await press({ key: "ArrowRight", ctrlKey: true });
    expect(before()).toBe("Putin va da ");
    await press({ key: "ArrowLeft" });
    expect(before()).toBe("Putin va da");
    await press({ key: "Enter" });
    const split = backend.calls.find((c) => c.cmd === "split_segment");
    expect(split?.args).toMatchObject({ segmentId: 11, position: 11 });
    expect(controller.find(11)?.source).toBe("Putin va da");
    expect(target.querySelector(".split-caret")).toBeNull();
  });

  it("Escape leaves a split without splitting", async () => {
    const { backend, target, press } = await setup();
    await press({ key: "t", ctrlKey: true });
    await press({ key: "Escape" });
    expect(target.querySelector(".split-caret")).toBeNull();
    expect(backend.calls.some((c) => c.cmd === "split_segment")).toBe(false);
  });

  it("merge with the next segment", async () => {
    const { backend, controller, press } = await setup();
    await press({ key: "j", ctrlKey: true });
    expect(backend.calls.find((c) => c.cmd === "merge_segment")?.args).toMatchObject({ segmentId: 11 });
    expect(controller.find(11)?.source).toBe("Putin va da Kim. Così si rafforza l’asse");
  });

  it("list a segment's versions and restore one", async () => {
    const { controller, target, press } = await setup();
    controller.edit(11, "Putin goes to Kim");
    await controller.flush(11);
    await controller.confirm(11);
    await controller.select(11);
    controller.edit(11, "Putin visits Kim.");
    await controller.flush(11);
    await press({ key: "H", ctrlKey: true, shiftKey: true });
    const dialog = document.querySelector('[role="dialog"][aria-labelledby="history-title"]')!;
    expect(dialog).not.toBeNull();
    const rows = () => Array.from(dialog.querySelectorAll("li[data-version]"));
    expect(rows().map((r) => r.querySelector(".english")?.textContent)).toEqual([
      "Putin visits Kim.",
      "Putin goes to Kim",
      "Putin goes to Kim",
    ]);
    expect(rows()[0].querySelector(".now")).not.toBeNull();
    expect(rows()[1].querySelector(".origin")?.textContent).toBe("Typed");
    expect(rows()[1].querySelector(".author")?.textContent).toBe("giulia");
    (rows()[1].querySelector("button.restore") as HTMLButtonElement).click();
    await settle();
    expect(controller.find(11)).toMatchObject({ target: "Putin goes to Kim", status: "translated" });
    expect(target.querySelector('.english[data-segment-id="11"]')?.textContent).toBe("Putin goes to Kim");
    expect(rows()[0].querySelector(".origin")?.textContent).toBe("Restored");
    // The restore is one undo step.
    await controller.history.undo();
    expect(controller.find(11)?.target).toBe("Putin visits Kim.");
  });

  it("open the add-term form and search the concordance for the selection", async () => {
    const { backend, controller, target, press } = await setup();
    await press({ key: "e", ctrlKey: true });
    expect(target.querySelector("input[aria-label='Italian term']")).not.toBeNull();
    const source = target.querySelector('[data-source-id="11"]')!;
    const range = document.createRange();
    range.selectNodeContents(source);
    window.getSelection()!.removeAllRanges();
    window.getSelection()!.addRange(range);
    await press({ key: "k", ctrlKey: true }, target.querySelector('.english[data-segment-id="11"]')!);
    expect(backend.calls.find((c) => c.cmd === "concordance")?.args).toMatchObject({ phrase: "Putin va da Kim." });
    expect(controller.matches.concordance?.map((h) => h.target)).toEqual(["Putin goes to Kim."]);
  });

  it("show the score of an inserted match in the match column", async () => {
    const { backend, controller, target, press } = await setup();
    await press({ key: "1", code: "Digit1", ctrlKey: true });
    expect(controller.find(11)?.match_score).toBe(100);
    expect(target.querySelector('.row[data-segment-id="11"] .match-score')?.textContent).toBe("100%");
    const note = backend.calls.find((c) => c.cmd === "note_suggestion");
    expect(note?.args).toMatchObject({ origin: "tm:Workspace", score: 100 });
  });
});

describe("TM upkeep in the matches panel", () => {
  it("changes a unit's English, and deletes a unit after asking", async () => {
    const { backend, controller, target } = await setup();
    const units = () => Array.from(target.querySelectorAll(".unit-tools"));
    expect(units().map((u) => u.classList.contains("read-only"))).toEqual([false, true]);
    (units()[0].querySelector(".unit-edit-open") as HTMLButtonElement).click();
    await settle();
    const text = target.querySelector<HTMLTextAreaElement>("textarea[aria-label=\"The unit's English\"]")!;
    expect(text.value).toBe("Putin goes to Kim.");
    text.value = "Putin travels to Kim.";
    text.dispatchEvent(new Event("input", { bubbles: true }));
    text.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true, cancelable: true }));
    await settle();
    expect(backend.calls.find((c) => c.cmd === "edit_tm_unit")?.args).toEqual({ unitId: 1, target: "Putin travels to Kim." });
    expect(controller.matches.tm[0].target).toBe("Putin travels to Kim.");
    expect(target.querySelector("textarea")).toBeNull();

    (units()[0].querySelector(".unit-delete-ask") as HTMLButtonElement).click();
    await settle();
    expect(backend.calls.some((c) => c.cmd === "delete_tm_unit")).toBe(false);
    (units()[0].querySelector(".unit-delete") as HTMLButtonElement).click();
    await settle();
    expect(backend.calls.find((c) => c.cmd === "delete_tm_unit")?.args).toEqual({ unitId: 1 });
    expect(controller.matches.tm.map((m) => m.unit)).toEqual([2]);
  });

  it("changes a unit found by concordance", async () => {
    const { backend, controller, target } = await setup();
    controller.matches.phrase = "Kim";
    await controller.matches.searchConcordance();
    await settle();
    const hit = target.querySelector(".hits .unit-tools:not(.read-only)")!;
    (hit.querySelector(".unit-edit-open") as HTMLButtonElement).click();
    await settle();
    const text = target.querySelector<HTMLTextAreaElement>(".hits textarea")!;
    text.value = "Putin meets Kim.";
    text.dispatchEvent(new Event("input", { bubbles: true }));
    (target.querySelector(".hits form button[type=submit]") as HTMLButtonElement).click();
    await settle();
    expect(backend.calls.find((c) => c.cmd === "edit_tm_unit")?.args).toEqual({ unitId: 1, target: "Putin meets Kim." });
    expect(controller.matches.concordance?.map((h) => h.target)).toContain("Putin meets Kim.");
  });
});

describe("quick-add of a glossary entry", () => {
  it("keeps several English terms, separated by commas, to choose from", async () => {
    const { backend, controller } = await setup();
    const said = await controller.glossary.add("Farnesina", "Italian Foreign Ministry, the Farnesina", "");
    expect(said).toMatch(/Added/);
    const entry = backend.entries.find((e) => e.italian[0] === "Farnesina");
    expect(entry?.english).toEqual(["Italian Foreign Ministry", "the Farnesina"]);
    await controller.glossary.add("Viminale", "Interior Ministry", "");
    expect(backend.entries.find((e) => e.italian[0] === "Viminale")?.english).toEqual(["Interior Ministry"]);
  });
});
