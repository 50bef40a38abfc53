// Inline codes in the editor: chips in the Italian and the English, F9 and
// Ctrl+F9, copy and paste, and what reaches the shell.
import { flushSync, mount, unmount } from "svelte";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { api } from "../../lib/api";
import { select, selectionIn, serialize } from "../../lib/code-dom";
import { markChar } from "../../lib/codes";
import { EditorController } from "../../lib/editor.svelte";
import { installFakeBackend, sampleView } from "../../lib/fake-backend";
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

// Block ids 3 (a link) and 5 (a line break): numbered 1 and 2 in the Italian.
const open = markChar("open", 3);
const close = markChar("close", 3);
const br = markChar("standalone", 5);

async function setup() {
  const view = sampleView();
  const segment = view.blocks[1].segments[0];
  segment.source = `Leggi ${open}l’articolo${close} di Putin.${br}`;
  segment.codes = [
    { id: 3, number: 1, shape: "paired", element: "a", title: "https://example.org/<putin>" },
    { id: 5, number: 2, shape: "standalone", element: "br", title: "<br>" },
  ];
  const backend = installFakeBackend(view);
  const controller = new EditorController(api, 10_000);
  await controller.open(1);
  const target = document.createElement("div");
  document.body.append(target);
  const component = mount(Editor, { target, props: { controller } });
  flushSync();
  const field = target.querySelector<HTMLElement>('.english[data-segment-id="11"]')!;
  field.focus();
  const cleanup = () => {
    unmount(component);
    backend.uninstall();
  };
  return { backend, controller, target, field, cleanup };
}

/** Types `text` as the browser leaves it, the caret at its end. */
function type(field: HTMLElement, text: string) {
  field.textContent = text;
  field.dispatchEvent(new Event("input", { bubbles: true }));
  flushSync();
  select(field, serialize(field).length);
}

function press(field: HTMLElement, init: KeyboardEventInit) {
  field.dispatchEvent(new KeyboardEvent("keydown", { ...init, bubbles: true, cancelable: true }));
  flushSync();
}

/** A clipboard event with its data, as jsdom has no DataTransfer. */
function clipboard(kind: "copy" | "cut" | "paste", data: Record<string, string> = {}) {
  const event = new Event(kind, { bubbles: true, cancelable: true });
  Object.assign(event, {
    clipboardData: { getData: (type: string) => data[type] ?? "", setData: (type: string, value: string) => (data[type] = value) },
  });
  return { event, data };
}

describe("inline codes in the editor", () => {
  let cleanup: (() => void) | undefined;
  afterEach(() => {
    cleanup?.();
    cleanup = undefined;
    document.body.innerHTML = "";
  });

  it("shows the Italian's codes as numbered chips with the original as tooltip", async () => {
    const setUp = await setup();
    cleanup = setUp.cleanup;
    const source = setUp.target.querySelector<HTMLElement>('[data-source-id="11"]')!;
    const chips = [...source.querySelectorAll<HTMLElement>(".code")];
    expect(chips.map((c) => [c.className, c.dataset.n, c.title])).toEqual([
      ["code code-open", "1", "a: https://example.org/<putin>"],
      ["code code-close", "1", "end of a: https://example.org/<putin>"],
      ["code code-standalone", "2", "br: <br>"],
    ]);
    // The number is drawn, not text: the Italian reads as plain text.
    expect(source.textContent).toBe("Leggi l’articolo di Putin.");
    expect(source.querySelector("putin, br")).toBeNull();
  });

  it("F9 puts the next missing code at the caret, and the English reaches the shell with it", async () => {
    const setUp = await setup();
    cleanup = setUp.cleanup;
    const { field, controller, backend } = setUp;
    type(field, "Read ");
    press(field, { key: "F9" });
    expect(serialize(field)).toBe(`Read ${open}`);
    expect(field.querySelector(".code-open")?.getAttribute("contenteditable")).toBe("false");
    // The caret is after the chip: typing goes on there.
    document.getSelection()!.getRangeAt(0).insertNode(document.createTextNode("the article"));
    field.dispatchEvent(new Event("input", { bubbles: true }));
    flushSync();
    select(field, serialize(field).length);
    press(field, { key: "F9" });
    press(field, { key: "F9" });
    expect(serialize(field)).toBe(`Read ${open}the article${close}${br}`);
    // Nothing is missing now.
    press(field, { key: "F9" });
    expect(serialize(field)).toBe(`Read ${open}the article${close}${br}`);
    await controller.confirm(11);
    await settle();
    const saved = backend.calls.filter((c) => c.cmd === "save_target").at(-1)!;
    expect(saved.args).toMatchObject({ segmentId: 11, target: `Read ${open}the article${close}${br}`, status: "translated" });
  });

  it("F9 on a selection wraps it in a paired code; Ctrl+F9 puts every missing code at the caret; undo takes them back", async () => {
    const setUp = await setup();
    cleanup = setUp.cleanup;
    const { field, controller } = setUp;
    type(field, "Read the article by Putin.");
    select(field, 5, 16);
    press(field, { key: "F9" });
    expect(serialize(field)).toBe(`Read ${open}the article${close} by Putin.`);
    expect(field.querySelectorAll(".code")).toHaveLength(2);
    type(field, "Read.");
    select(field, 4);
    press(field, { key: "F9", ctrlKey: true });
    expect(serialize(field)).toBe(`Read${open}${close}${br}.`);
    await controller.history.undo();
    await settle();
    expect(serialize(field)).toBe("");
  });

  it("Backspace or Delete beside a chip takes the whole chip at once", async () => {
    const setUp = await setup();
    cleanup = setUp.cleanup;
    const { field, controller } = setUp;
    controller.edit(11, `Read ${open}it${close}${br}`);
    flushSync();
    const remove = (inputType: string) => {
      const event = new InputEvent("beforeinput", { inputType, bubbles: true, cancelable: true });
      field.dispatchEvent(event);
      flushSync();
      return event.defaultPrevented;
    };
    select(field, 10);
    expect(remove("deleteContentBackward")).toBe(true);
    expect(controller.find(11)!.target).toBe(`Read ${open}it${close}`);
    select(field, 5);
    expect(remove("deleteContentForward")).toBe(true);
    expect(controller.find(11)!.target).toBe(`Read it${close}`);
    // Beside text, the browser deletes as usual.
    select(field, 2);
    expect(remove("deleteContentBackward")).toBe(false);
  });

  it("Left and Right pass a chip in one press", async () => {
    const setUp = await setup();
    cleanup = setUp.cleanup;
    const { field, controller } = setUp;
    controller.edit(11, `${open}${close}${br}`);
    flushSync();
    select(field, 0);
    for (const at of [1, 2, 3]) {
      press(field, { key: "ArrowRight" });
      expect(selectionIn(field)).toEqual([at, at]);
    }
    press(field, { key: "ArrowLeft" });
    expect(selectionIn(field)).toEqual([2, 2]);
  });

  it("takes typed <1> as text, and no code character from the keyboard or a paste", async () => {
    const setUp = await setup();
    cleanup = setUp.cleanup;
    const { field, controller } = setUp;
    type(field, `Read <1>it</1> ${open}`);
    expect(controller.find(11)!.target).toBe("Read <1>it</1> ");
    expect(field.querySelectorAll(".code")).toHaveLength(0);
    const { event } = clipboard("paste", { "text/plain": `more${close}` });
    field.dispatchEvent(event);
    flushSync();
    expect(event.defaultPrevented).toBe(true);
    expect(controller.find(11)!.target).toBe("Read <1>it</1> more");
  });

  it("copies plain text and moves a chip by cut and paste", async () => {
    const setUp = await setup();
    cleanup = setUp.cleanup;
    const { field, controller } = setUp;
    controller.edit(11, `${open}Read${close} it.`);
    flushSync();
    select(field, 0, 6);
    const copied = clipboard("copy");
    field.dispatchEvent(copied.event);
    expect(copied.data["text/plain"]).toBe("Read");
    const cut = clipboard("cut");
    field.dispatchEvent(cut.event);
    flushSync();
    expect(controller.find(11)!.target).toBe(" it.");
    select(field, 4);
    field.dispatchEvent(clipboard("paste", cut.data).event);
    flushSync();
    expect(controller.find(11)!.target).toBe(` it.${open}Read${close}`);
    // Pasted again, the codes are there already: the text comes alone.
    field.dispatchEvent(clipboard("paste", cut.data).event);
    flushSync();
    expect(controller.find(11)!.target).toBe(` it.${open}Read${close}Read`);
  });

  it("finds text across codes and replaces it without losing them", async () => {
    const setUp = await setup();
    cleanup = setUp.cleanup;
    const { controller, field } = setUp;
    controller.edit(11, `Read ${open}the article${close} now.`);
    controller.search.text = "the article now";
    expect(controller.found().map((s) => s.id)).toEqual([11]);
    expect(controller.replace("it")).toBe(1);
    await settle();
    expect(serialize(field)).toBe(`Read ${open}it${close}.`);
  });

  it("puts a match's codes in only when the segment has them", async () => {
    const setUp = await setup();
    cleanup = setUp.cleanup;
    const { controller } = setUp;
    controller.insertSuggestion(`Read ${open}it${markChar("close", 9)}.`, "tm:Workspace");
    expect(controller.find(11)!.target).toBe(`Read ${open}it.`);
  });
});
