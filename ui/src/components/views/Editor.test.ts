import { ACTIONS } from "../../lib/keymap.svelte";
import { mockIPC } from "@tauri-apps/api/mocks";
import { flushSync, mount, tick, unmount } from "svelte";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { api } from "../../lib/api";
import { select, serialize } from "../../lib/code-dom";
import { EditorController } from "../../lib/editor.svelte";
import { installFakeBackend, sampleView } from "../../lib/fake-backend";
import Editor from "./Editor.svelte";

// The components load the event module on first use; loaded
// here first, so that a test's first click does not wait for a slow load.
beforeAll(async () => {
  await import("@tauri-apps/api/event");
});

/** Lets pending promises and effects run. */
async function settle() {
  for (let i = 0; i < 10; i++) {
    await new Promise((resolve) => setTimeout(resolve, 0));
    flushSync();
  }
}

async function setup(configure: (backend: ReturnType<typeof installFakeBackend>) => void = () => {}) {
  const backend = installFakeBackend(sampleView());
  configure(backend);
  const controller = new EditorController(api, 10_000);
  await controller.open(1);
  const target = document.createElement("div");
  document.body.append(target);
  const component = mount(Editor, { target, props: { controller } });
  flushSync();
  await tick();
  return { backend, controller, target, component };
}

describe("Editor", () => {
  let cleanup: (() => void) | undefined;
  afterEach(() => {
    cleanup?.();
    document.body.innerHTML = "";
  });

  it("shows article text as text, never as markup", async () => {
    const { backend, target, component } = await setup();
    cleanup = () => {
      unmount(component);
      backend.uninstall();
    };
    const source = target.querySelector('[data-source-id="13"]');
    expect(source?.textContent).toBe('<img src=x onerror="window.__pwned = true"> <b>non grassetto</b>');
    expect(target.querySelector("img")).toBeNull();
    expect(target.querySelector("b")).toBeNull();
    expect((window as unknown as { __pwned?: boolean }).__pwned).toBeUndefined();
  });

  it("greys boilerplate blocks and gives them no target field", async () => {
    const { backend, target, component } = await setup();
    cleanup = () => {
      unmount(component);
      backend.uninstall();
    };
    const block = target.querySelector('[data-block="0"]');
    expect(block?.classList.contains("off")).toBe(true);
    expect(block?.querySelector(".english")).toBeNull();
    expect(block?.textContent).toContain("Page furniture, not translated");
    expect(target.querySelectorAll(".english")).toHaveLength(3);
  });

  it("Ctrl+Enter confirms the segment and focuses the next one", async () => {
    const { backend, controller, target, component } = await setup();
    cleanup = () => {
      unmount(component);
      backend.uninstall();
    };
    const field = target.querySelector<HTMLElement>('.english[data-segment-id="11"]')!;
    field.textContent = "Putin visits Kim.";
    field.dispatchEvent(new Event("input", { bubbles: true }));
    field.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", ctrlKey: true, bubbles: true }));
    await vi.waitFor(() => expect(controller.activeId).toBe(12));
    await tick();
    const save = backend.calls.find((c) => c.cmd === "save_target");
    expect(save?.args).toMatchObject({ segmentId: 11, target: "Putin visits Kim.", status: "translated" });
    expect(document.activeElement?.getAttribute("data-segment-id")).toBe("12");
    expect(target.querySelector('[data-segment-id="11"].row')?.classList.contains("status-translated")).toBe(true);
  });
});

describe("Matches panel", () => {
  it("shows the active segment's matches and Ctrl+2 inserts the second", async () => {
    const { backend, controller, target, component } = await setup();
    try {
      await vi.waitFor(() => expect(controller.matches.tm).toHaveLength(2));
      await tick();
      // Who confirmed a unit and when, as the TM says.
      expect(target.querySelector('[data-match="1"] .tm')?.textContent).toBe("Workspace 2026-11-23 · giulia");
      expect(target.querySelector('[data-match="2"] .tm')?.textContent?.trim()).toBe("news");
      const second = target.querySelector('[data-match="2"]');
      expect(second?.textContent).toContain("80%");
      // The match's source is text, never markup.
      expect(second?.querySelector(".diff-delete")?.textContent).toBe("<b>Xi</b>");
      expect(second?.querySelector("b")).toBeNull();
      expect(second?.querySelector(".diff-insert")?.textContent).toBe("Kim");

      const field = target.querySelector<HTMLElement>('.english[data-segment-id="11"]')!;
      field.dispatchEvent(new KeyboardEvent("keydown", { key: "2", ctrlKey: true, bubbles: true }));
      await tick();
      expect(serialize(field)).toBe("Putin visits Xi.");
      expect(controller.segments[0].status).toBe("draft");

      (target.querySelector('[data-match="1"]') as HTMLButtonElement).click();
      await tick();
      expect(serialize(field)).toBe("Putin goes to Kim.");
    } finally {
      unmount(component);
      backend.uninstall();
    }
  });
});

describe("Pre-translated segments", () => {
  it("show the score of the match they came from", async () => {
    const view = sampleView();
    view.blocks[1].segments[1].match_score = 95;
    view.blocks[1].segments[1].target = "This strengthens the axis";
    view.blocks[1].segments[1].status = "draft";
    const backend = installFakeBackend(view);
    const controller = new EditorController(api, 10_000);
    await controller.open(1);
    const target = document.createElement("div");
    document.body.append(target);
    const component = mount(Editor, { target, props: { controller } });
    try {
      flushSync();
      await tick();
      const row = target.querySelector('.row[data-segment-id="12"]');
      expect(row?.querySelector(".match-score")?.textContent).toBe("95%");
      // Another segment shows no score of its own (its best match at most, in brackets).
      expect(target.querySelector('.row[data-segment-id="11"] .match-score')?.textContent).not.toMatch(/^\d+%$/);
    } finally {
      unmount(component);
      backend.uninstall();
    }
  });

  it("every other segment shows its best match in brackets once the document is scored", async () => {
    const backend = installFakeBackend(sampleView());
    const controller = new EditorController(api, 10_000);
    await controller.open(1);
    const target = document.createElement("div");
    document.body.append(target);
    const component = mount(Editor, { target, props: { controller } });
    try {
      await tick();
      flushSync();
      const score = (id: number) => target.querySelector(`.row[data-segment-id="${id}"] .match-score`);
      expect(controller.activeId).toBe(11);
      expect(score(12)?.textContent).toBe("(72%)");
      expect(score(12)?.getAttribute("title")).toBe("The best TM match");
      expect(score(11)?.textContent).toBe("(100%)");
    } finally {
      unmount(component);
      backend.uninstall();
    }
  });
});

describe("Glossary in the editor", () => {
  afterEach(() => {
    document.body.innerHTML = "";
  });

  it("underlines recognized terms with their English, as text", async () => {
    const { backend, target, component } = await setup();
    const terms = target.querySelectorAll<HTMLElement>("[data-source-id='12'] .term");
    expect(Array.from(terms).map((t) => [t.textContent, t.title])).toEqual([["asse", "asse → axis"]]);
    // The whole source still reads as one text.
    expect(target.querySelector("[data-source-id='12']")?.textContent).toBe("Così si rafforza l’asse");
    unmount(component);
    backend.uninstall();
  });

  it("inserts a term with Alt+1 and flags a translation that misses one", async () => {
    const { backend, controller, target, component } = await setup();
    await controller.select(12);
    flushSync();
    const panel = target.querySelector("[aria-label='Glossary']")!;
    expect(panel.textContent).toContain("asse");
    expect(panel.textContent).toContain("axis");
    const field = target.querySelector<HTMLElement>(".english[data-segment-id='12']")!;
    controller.edit(12, "This strengthens the");
    flushSync();
    select(field, serialize(field).length);
    field.dispatchEvent(new KeyboardEvent("keydown", { key: "1", code: "Digit1", altKey: true, bubbles: true }));
    flushSync();
    expect(controller.segments.find((s) => s.id === 12)?.target).toBe("This strengthens the axis");

    controller.edit(12, "This strengthens the link");
    await controller.flush(12);
    await tick();
    flushSync();
    expect(panel.querySelector("[aria-label='Term problems']")?.textContent).toContain("“asse” is not translated as “axis”");
    expect(target.querySelector(".row[data-segment-id='12'] .term-flag")).not.toBeNull();
    unmount(component);
    backend.uninstall();
  });
});

describe("Quick-add of a glossary entry", () => {
  afterEach(() => {
    document.body.innerHTML = "";
  });

  it("takes the selected Italian and English into a new entry", async () => {
    const { backend, controller, target, component } = await setup();
    await controller.select(11);
    controller.edit(11, "Putin goes to Kim.");
    flushSync();
    // Select "Kim" in the Italian and "Kim" in the English.
    const source = target.querySelector("[data-source-id='11']")!;
    const text = Array.from(source.childNodes).find((n) => n.textContent?.includes("Kim"))!;
    const range = document.createRange();
    const at = text.textContent!.indexOf("Kim");
    range.setStart(text, at);
    range.setEnd(text, at + 3);
    window.getSelection()!.removeAllRanges();
    window.getSelection()!.addRange(range);
    document.dispatchEvent(new Event("selectionchange"));
    const field = target.querySelector<HTMLElement>(".english[data-segment-id='11']")!;
    select(field, 14, 17);
    document.dispatchEvent(new Event("selectionchange"));
    target.querySelector<HTMLButtonElement>("#add-term")!.click();
    flushSync();
    const italian = target.querySelector<HTMLInputElement>("input[aria-label='Italian term']")!;
    const english = target.querySelector<HTMLInputElement>("input[aria-label='English term']")!;
    expect([italian.value, english.value]).toEqual(["Kim", "Kim"]);
    italian.form!.requestSubmit();
    for (let i = 0; i < 5; i++) await tick();
    flushSync();
    const add = backend.calls.find((c) => c.cmd === "add_glossary_entry");
    expect(add?.args).toMatchObject({ glossary: "My glossary", italian: "Kim", english: "Kim" });
    expect(target.querySelector("[aria-label='Glossary']")?.textContent).toContain("Added to “My glossary”");
    unmount(component);
    backend.uninstall();
  });
});

describe("Export and review", () => {
  let cleanup: (() => void) | undefined;
  afterEach(() => {
    cleanup?.();
    document.body.innerHTML = "";
  });


  it("exports the chosen format to the path picked in the save dialog", async () => {
    const { backend, target, component } = await setup();
    cleanup = () => {
      unmount(component);
      backend.uninstall();
    };
    target.querySelector<HTMLButtonElement>("#export-open")!.click();
    flushSync();
    const dialog = target.querySelector('[role="dialog"]')!;
    expect(dialog.querySelectorAll('input[name="export-format"]')).toHaveLength(8);
    const docx = dialog.querySelector<HTMLInputElement>('input[value="docx"]')!;
    docx.click();
    flushSync();
    // The article's own option keeps its place, hidden and off.
    const refuse = dialog.querySelector<HTMLInputElement>("#refuse-untranslated")!;
    expect(refuse.disabled).toBe(true);
    expect(refuse.closest(".target-only")?.classList.contains("hidden")).toBe(true);
    expect(dialog.querySelector("#exported-open")).toBeNull();
    backend.dialog.path = "/tmp/sample.review.docx";
    dialog.querySelector<HTMLButtonElement>("#export-save")!.click();
    await settle();
    const save = backend.calls.find((c) => c.cmd === "choose_save_path")!;
    expect((save.args.request as { file_name: string }).file_name).toBe("sample.review.docx");
    const exported = backend.calls.find((c) => c.cmd === "export_document")!;
    expect(exported.args).toEqual({
      docId: 1,
      format: "docx",
      refuseUntranslated: false,
      path: "/tmp/sample.review.docx",
    });
    expect(dialog.querySelector('[role="status"]')?.textContent).toBe(
      "The review document (4 segments) written to /tmp/sample.review.docx.",
    );
    // The file just written can be opened, or shown in its folder.
    dialog.querySelector<HTMLButtonElement>("#exported-open")!.click();
    dialog.querySelector<HTMLButtonElement>("#exported-show")!.click();
    await settle();
    expect(backend.calls.filter((c) => c.cmd === "open_exported" || c.cmd === "show_exported")).toEqual([
      { cmd: "open_exported", args: { path: "/tmp/sample.review.docx" } },
      { cmd: "show_exported", args: { path: "/tmp/sample.review.docx" } },
    ]);
  });

  it("says when the English article is refused for missing translations, and writes nothing on cancel", async () => {
    const { backend, target, component } = await setup();
    cleanup = () => {
      unmount(component);
      backend.uninstall();
    };
    target.querySelector<HTMLButtonElement>("#export-open")!.click();
    flushSync();
    const dialog = target.querySelector('[role="dialog"]')!;
    dialog.querySelector<HTMLButtonElement>("#export-save")!.click();
    await settle();
    expect(backend.calls.some((c) => c.cmd === "export_document")).toBe(false);

    const refuse = dialog.querySelector<HTMLInputElement>("#refuse-untranslated")!;
    expect(refuse.parentElement?.textContent).toContain("(3 now)");
    refuse.click();
    flushSync();
    backend.dialog.path = "/tmp/sample.en.txt";
    dialog.querySelector<HTMLButtonElement>("#export-save")!.click();
    await settle();
    expect(dialog.querySelector('[role="alert"]')?.textContent).toBe("3 segments are not translated");
  });

  it("imports a review, shows what changed and the reviewer's note", async () => {
    const { backend, target, component } = await setup();
    cleanup = () => {
      unmount(component);
      backend.uninstall();
    };
    backend.dialog.path = "/tmp/reviewed.docx";
    target.querySelector<HTMLButtonElement>("#import-review")!.click();
    await settle();
    expect(backend.calls.find((c) => c.cmd === "import_review")?.args).toEqual({
      docId: 1,
      path: "/tmp/reviewed.docx",
    });
    const banner = target.querySelector('[aria-label="Review imported"]')!;
    expect(banner.textContent?.replace(/\s+/g, " ")).toContain(
      "1 English text changed, 1 status, 1 note; 2 unchanged.",
    );
    expect(banner.querySelector("ins")?.textContent).toBe("This is how the axis grows stronger");
    const field = target.querySelector<HTMLElement>('.english[data-segment-id="12"]')!;
    expect(serialize(field)).toBe("This is how the axis grows stronger");
    const note = target.querySelector('[data-segment-id="11"] .note');
    expect(note?.textContent).toBe("Keep the headline short");
  });

  it("writes a note under the English with Enter, and Esc leaves it as it was", async () => {
    const { backend, target, component } = await setup();
    cleanup = () => {
      unmount(component);
      backend.uninstall();
    };
    const row = target.querySelector('.row[data-segment-id="11"]')!;
    row.querySelector<HTMLButtonElement>(".note-edit")!.click();
    flushSync();
    const field = row.querySelector<HTMLInputElement>('input[aria-label="Note"]')!;
    expect(document.activeElement).toBe(field);
    field.value = "Check the agency's wording";
    field.dispatchEvent(new Event("input"));
    field.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true }));
    await settle();
    expect(backend.calls.find((c) => c.cmd === "set_note")?.args).toEqual({
      docId: 1,
      segmentId: 11,
      note: "Check the agency's wording",
    });
    expect(row.querySelector(".note")?.textContent).toBe("Check the agency's wording");
    expect(row.querySelector(".note-edit")?.textContent).toBe("Edit note");

    row.querySelector<HTMLButtonElement>(".note-edit")!.click();
    flushSync();
    const again = row.querySelector<HTMLInputElement>('input[aria-label="Note"]')!;
    expect(again.value).toBe("Check the agency's wording");
    again.value = "changed my mind";
    again.dispatchEvent(new Event("input"));
    again.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true }));
    await settle();
    expect(backend.calls.filter((c) => c.cmd === "set_note")).toHaveLength(1);
    expect(row.querySelector(".note")?.textContent).toBe("Check the agency's wording");
  });
});

describe("Machine translation", () => {
  let cleanup: (() => void) | undefined;
  afterEach(() => {
    cleanup?.();
    document.body.innerHTML = "";
  });


  const provider = (name: string) => ({ name, kind: "deepl" as const, url: "http://127.0.0.1:1", model: null, has_key: true });

  it("says how to add a provider when there is none", async () => {
    const { backend, target, component } = await setup();
    cleanup = () => {
      unmount(component);
      backend.uninstall();
    };
    const panel = target.querySelector('[aria-label="Machine translation suggestions"]')!;
    expect(panel.textContent).toContain("No machine translation is set up");
    expect(target.querySelector("#mt-all")).toBeNull();
    expect(backend.calls.some((c) => c.cmd === "mt_suggest")).toBe(false);
  });

  it("shows each provider's suggestion and Ctrl+M inserts the first, remembered for the effort report", async () => {
    const { backend, target, component } = await setup((b) => {
      b.providers.push(provider("deepl"), provider("local"));
      b.mtAnswers.deepl = "EN:";
      b.mtAnswers.local = { code: "offline", message: "local: cannot reach 127.0.0.1:1" };
    });
    cleanup = () => {
      unmount(component);
      backend.uninstall();
    };
    await settle();
    const panel = target.querySelector('[aria-label="Machine translation suggestions"]')!;
    expect(panel.querySelector('[data-mt="deepl"]')?.textContent).toContain("EN: Putin va da Kim.");
    expect(panel.textContent).toContain("local: offline");
    const field = target.querySelector<HTMLElement>('.english[data-segment-id="11"]')!;
    field.dispatchEvent(new KeyboardEvent("keydown", { key: "m", ctrlKey: true, bubbles: true }));
    await settle();
    expect(serialize(field)).toBe("EN: Putin va da Kim.");
    expect(backend.calls.find((c) => c.cmd === "note_suggestion")?.args).toEqual({
      docId: 1,
      segmentId: 11,
      suggestion: "EN: Putin va da Kim.",
      origin: "mt:deepl",
      score: null,
    });
  });

  it("machine-translates the empty segments and says what it did", async () => {
    const { backend, target, component } = await setup((b) => {
      b.providers.push(provider("deepl"));
      b.mtAnswers.deepl = "EN:";
    });
    cleanup = () => {
      unmount(component);
      backend.uninstall();
    };
    target.querySelector<HTMLButtonElement>("#mt-all")!.click();
    // The progress listener is set up first, which takes a few turns.
    for (let i = 0; i < 50 && !target.querySelector('[aria-label="Machine translation done"]'); i++) {
      await settle();
    }
    expect(backend.calls.find((c) => c.cmd === "mt_translate_document")?.args).toEqual({ docId: 1, provider: "deepl" });
    expect(target.querySelector('[aria-label="Machine translation done"]')?.textContent).toContain(
      "3 segments machine-translated by deepl.",
    );
    const field = target.querySelector<HTMLElement>('.english[data-segment-id="12"]')!;
    expect(serialize(field)).toBe("EN: Così si rafforza l’asse");
  });

  it("drops a late answer for a segment the translator has left", async () => {
    const { backend, controller, target, component } = await setup((b) => {
      b.providers.push(provider("deepl"));
      b.mtAnswers.deepl = "EN:";
      b.mtDelays[11] = 40;
    });
    cleanup = () => {
      unmount(component);
      backend.uninstall();
    };
    await controller.select(12);
    await new Promise((resolve) => setTimeout(resolve, 80));
    await settle();
    const shown = target.querySelector('[data-mt="deepl"]')?.textContent ?? "";
    expect(shown).toContain("EN: Così si rafforza");
    expect(shown).not.toContain("Putin");
  });
});

describe("Quality checks", () => {
  afterEach(() => {
    document.body.innerHTML = "";
  });

  it("flags a saved segment, lists the finding for it, and ignores a false alarm", async () => {
    const { backend, controller, target, component } = await setup();
    const field = target.querySelector<HTMLElement>('.english[data-segment-id="11"]')!;
    field.textContent = "Putin goes to Kim 2.";
    field.dispatchEvent(new Event("input", { bubbles: true }));
    await controller.flush(11);
    await settle();
    const flag = target.querySelector('.row[data-segment-id="11"] .qa-flag');
    expect(flag?.textContent).toBe("⚠ 1 QA");
    expect(flag?.getAttribute("title")).toBe("a number is missing");
    const panel = target.querySelector('[aria-label="Quality checks"]')!;
    expect(panel.querySelector('[data-check="numbers"]')?.textContent).toContain("a number is missing");
    expect(panel.textContent).toContain("1 problem in the document.");
    panel.querySelector<HTMLButtonElement>('[data-check="numbers"] button')!.click();
    await settle();
    expect(backend.calls.find((c) => c.cmd === "ignore_qa")?.args).toEqual({ docId: 1, segmentId: 11, check: "numbers" });
    expect(target.querySelector('.row[data-segment-id="11"] .qa-flag')).toBeNull();
    expect(panel.textContent).toContain("No problems in the document.");
    unmount(component);
    backend.uninstall();
  });
});

describe("Workbench: undo, find and replace, filters, shortcuts", () => {
  afterEach(() => {
    document.body.innerHTML = "";
  });

  const type = (target: HTMLElement, id: number, text: string) => {
    const field = target.querySelector<HTMLElement>(`.english[data-segment-id="${id}"]`)!;
    field.textContent = text;
    field.dispatchEvent(new Event("input", { bubbles: true }));
    return field;
  };
  const value = (target: HTMLElement, id: number) =>
    serialize(target.querySelector<HTMLElement>(`.english[data-segment-id="${id}"]`)!);
  const saved = (backend: ReturnType<typeof installFakeBackend>) =>
    backend.calls.filter((c) => c.cmd === "save_target").map((c) => [c.args.segmentId, c.args.target, c.args.status]);

  it("undoes and redoes typing across segments and a confirmation, saving each state", async () => {
    const { backend, controller, target, component } = await setup();
    type(target, 11, "Putin goes");
    type(target, 11, "Putin goes to Kim.");
    type(target, 12, "The axis");
    await controller.flushAll();
    const field = target.querySelector<HTMLElement>('.english[data-segment-id="11"]')!;
    field.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", ctrlKey: true, bubbles: true }));
    await settle();
    expect(controller.view!.blocks[1].segments[0].status).toBe("translated");
    const keydown = (init: KeyboardEventInit) =>
      field.dispatchEvent(new KeyboardEvent("keydown", { ...init, bubbles: true }));
    keydown({ key: "z", ctrlKey: true });
    await settle();
    expect(controller.view!.blocks[1].segments[0].status).toBe("draft");
    keydown({ key: "z", ctrlKey: true });
    await settle();
    expect(value(target, 12)).toBe("");
    keydown({ key: "z", ctrlKey: true });
    await settle();
    // The two keystrokes in segment 11 were one step.
    expect(value(target, 11)).toBe("");
    expect(controller.history.canUndo).toBe(false);
    keydown({ key: "y", ctrlKey: true });
    await settle();
    expect(value(target, 11)).toBe("Putin goes to Kim.");
    expect(saved(backend).slice(-4)).toEqual([
      [11, "Putin goes to Kim.", "draft"],
      [12, "", "new"],
      [11, "", "new"],
      [11, "Putin goes to Kim.", "draft"],
    ]);
    unmount(component);
    backend.uninstall();
  });

  it("finds in either language and replaces in the English, all in one undoable step", async () => {
    const { backend, controller, target, component } = await setup();
    type(target, 11, "The axis is strong.");
    type(target, 12, "axis, Axis and taxis");
    await controller.flushAll();
    target.ownerDocument.defaultView!.dispatchEvent(new KeyboardEvent("keydown", { key: "f", ctrlKey: true }));
    flushSync();
    const bar = target.querySelector('[aria-label="Find and replace"]')!;
    const find = bar.querySelector<HTMLInputElement>('input[aria-label="Find"]')!;
    find.value = "axis";
    find.dispatchEvent(new Event("input", { bubbles: true }));
    bar.querySelector<HTMLInputElement>('input[aria-label="Replace with"]')!.value = "line";
    bar.querySelector<HTMLInputElement>('input[aria-label="Replace with"]')!.dispatchEvent(new Event("input", { bubbles: true }));
    const word = [...bar.querySelectorAll("label")].find((l) => l.textContent?.includes("Word"))!.querySelector("input")!;
    word.click();
    flushSync();
    expect(bar.querySelector('[role="status"]')?.textContent?.trim()).toBe("2 segments");
    bar.querySelector<HTMLButtonElement>("#replace-all")!.click();
    await settle();
    expect(value(target, 11)).toBe("The line is strong.");
    expect(value(target, 12)).toBe("line, line and taxis");
    expect(bar.textContent).toContain("3 replaced in the document");
    await controller.history.undo();
    await settle();
    expect([value(target, 11), value(target, 12)]).toEqual(["The axis is strong.", "axis, Axis and taxis"]);

    // Regular expressions with groups; a bad one is named, not thrown.
    controller.search.regex = true;
    controller.search.wholeWord = false;
    controller.search.text = "(\\w+) is";
    expect(controller.replace("$1 was")).toBe(1);
    await settle();
    expect(value(target, 11)).toBe("The axis was strong.");
    controller.search.text = "(unclosed";
    flushSync();
    expect(bar.querySelector('[role="status"]')?.textContent).toContain("Not a valid expression");
    unmount(component);
    backend.uninstall();
  });

  it("filters the grid by status, quality problems and the search", async () => {
    const { backend, controller, target, component } = await setup();
    type(target, 11, "Putin goes to Kim 2.");
    await controller.flushAll();
    await settle();
    const rows = () => [...target.querySelectorAll(".row")].map((r) => Number(r.getAttribute("data-segment-id")));
    expect(rows()).toEqual([10, 11, 12, 13]);
    const select = target.querySelector<HTMLSelectElement>('select[aria-label="Show segments"]')!;
    select.value = "new";
    select.dispatchEvent(new Event("change", { bubbles: true }));
    flushSync();
    expect(rows()).toEqual([12, 13]);
    select.value = "qa";
    select.dispatchEvent(new Event("change", { bubbles: true }));
    flushSync();
    expect(rows()).toEqual([11]);
    select.value = "all";
    select.dispatchEvent(new Event("change", { bubbles: true }));
    controller.search.text = "rafforza";
    controller.filterBySearch = true;
    flushSync();
    expect(rows()).toEqual([12]);
    unmount(component);
    backend.uninstall();
  });

  it("lists every shortcut on F1 and closes on Escape", async () => {
    const { backend, target, component } = await setup();
    window.dispatchEvent(new KeyboardEvent("keydown", { key: "F1" }));
    flushSync();
    const sheet = target.querySelector('[aria-labelledby="shortcuts-title"]')!;
    expect(sheet.textContent).toContain("Ctrl+Shift+S");
    // One row per action, previous and next segment sharing one.
    expect(sheet.querySelectorAll("tr").length).toBe(ACTIONS.length - 1);
    for (const action of ACTIONS.filter((a) => !a.id.endsWith("-segment"))) expect(sheet.textContent).toContain(action.label);
    window.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape" }));
    flushSync();
    expect(target.querySelector('[aria-labelledby="shortcuts-title"]')).toBeNull();
    unmount(component);
    backend.uninstall();
  });
});

describe("Statistics", () => {
  afterEach(() => {
    document.body.innerHTML = "";
  });

  it("shows progress by status, the TM bands, the effort saved and the pace", async () => {
    const { backend, target, component } = await setup();
    target.querySelector<HTMLButtonElement>("#open-stats")!.click();
    await settle();
    const dialog = target.querySelector('[aria-labelledby="stats-title"]')!;
    expect(dialog.querySelector(".big")?.textContent).toBe("50% of 12 words confirmed");
    expect(dialog.querySelectorAll("svg rect")).toHaveLength(4);
    const cells = [...dialog.querySelectorAll('tr[data-status="translated"] > *')].map((c) => c.textContent?.trim());
    expect(cells).toEqual(["translated", "1", "4"]);
    expect(dialog.querySelector('[aria-label="Translation memory analysis"]')?.textContent).toContain("no match");
    expect(dialog.querySelector('[aria-label="Effort saved"]')?.textContent).toContain("MT deepl");
    expect(dialog.querySelector('[aria-label="Effort saved"]')?.textContent).toContain("12.5% of characters");
    expect(dialog.textContent).toContain("640 words per hour over 12 minutes of work");
    unmount(component);
    backend.uninstall();
  });
});

describe("News desk", () => {
  afterEach(() => {
    document.body.innerHTML = "";
  });

  it("counts the headline's characters against the house style's budget, live", async () => {
    const { backend, controller, target, component } = await setup((b) => {
      Object.assign(b.view.blocks[0], { kind: "h1", translatable: true, reason: "yes" });
    });
    expect(target.querySelector(".budget")).toBeNull();
    await controller.setStyle("uk-paper");
    await settle();
    expect(backend.meta.style).toBe("uk-paper");
    controller.edit(10, "Putin and Kim seal their axis as Moscow and Pyongyang grow closer");
    flushSync();
    const budget = target.querySelector<HTMLElement>('[data-budget="h1"]')!;
    expect(budget.textContent).toBe("65 / 60");
    expect(budget.classList.contains("over")).toBe(true);
    controller.edit(10, "Putin and Kim seal their axis");
    flushSync();
    expect(budget.textContent).toBe("29 / 60");
    expect(budget.classList.contains("over")).toBe(false);
    await controller.setStyle("us-wire");
    flushSync();
    expect(target.querySelector('[data-budget="h1"]')?.textContent).toBe("29 / 70");
    unmount(component);
    backend.uninstall();
  });

  it("shows the article's outlet and what a new version changed, and reuses the old English", async () => {
    const { backend, target, component } = await setup();
    expect(target.querySelector("#article-meta")?.textContent?.trim()).toBe(
      "Example News · A. Rossi · published 2026-11-20 08:00",
    );
    expect(target.querySelector("#open-changes")).toBeNull();
    target.querySelector<HTMLButtonElement>("#check-update")!.click();
    await settle();
    const dialog = target.querySelector('[aria-labelledby="changes-title"]')!;
    expect(dialog.querySelector("#changes-summary")?.textContent).toContain(
      "2 unchanged (translations kept) · 1 edited · 0 new · 1 removed",
    );
    expect(dialog.querySelector(".edited del")?.textContent).toBe("molto ");
    expect(dialog.querySelector(".removed")?.textContent).toContain("The KCNA agency reports it.");
    dialog.querySelector<HTMLButtonElement>(".use-old")!.click();
    await settle();
    const field = target.querySelector<HTMLElement>('.english[data-segment-id="12"]')!;
    expect(serialize(field)).toBe("This is how the axis grows much stronger");
    expect(backend.calls.some((c) => c.cmd === "reimport_document" && c.args.source === null)).toBe(true);
    expect(target.querySelector("#open-changes")).not.toBeNull();
    unmount(component);
    backend.uninstall();
  });

  it("lists the facts the English is missing and offers the house style's forms", async () => {
    const { backend, controller, target, component } = await setup();
    controller.edit(11, "Putin visits him.");
    await controller.flush(11);
    await controller.qa.refresh();
    await settle();
    const facts = target.querySelector('[aria-label="Fact checklist"]')!;
    expect(facts.querySelector("#facts-total")?.textContent).toContain("0 of 1 carried over");
    expect(facts.querySelector('li[data-kind="name"]')?.textContent).toContain("✗");
    expect(facts.querySelector('li[data-kind="name"]')?.textContent).toContain("Kim");

    expect(target.querySelector('section[aria-label="House style"]')).toBeNull();
    await controller.setStyle("us-wire");
    await settle();
    const style = target.querySelector('section[aria-label="House style"]')!;
    expect(style.textContent).toContain("President Putin");
    style.querySelector<HTMLButtonElement>('li[data-rule="titles"] button')!.click();
    flushSync();
    expect(serialize(target.querySelector<HTMLElement>('.english[data-segment-id="11"]')!)).toBe(
      "Putin visits him. President Putin",
    );
    unmount(component);
    backend.uninstall();
  });
});

describe("Trust: the keyboard stays where the translator expects", () => {
  let cleanup: (() => void) | undefined;
  afterEach(() => {
    cleanup?.();
    document.body.innerHTML = "";
  });

  async function editor() {
    const setUp = await setup();
    cleanup = () => {
      unmount(setUp.component);
      setUp.backend.uninstall();
    };
    return setUp;
  }
  const field = (target: HTMLElement, id: number) =>
    target.querySelector<HTMLElement>(`.english[data-segment-id="${id}"]`)!;
  const type = (target: HTMLElement, id: number, text: string) => {
    const f = field(target, id);
    f.textContent = text;
    f.dispatchEvent(new Event("input", { bubbles: true }));
  };
  const press = (element: Element, init: KeyboardEventInit) =>
    element.dispatchEvent(new KeyboardEvent("keydown", { ...init, bubbles: true }));

  it("Enter in Find goes to the next match and Shift+Enter back, the keyboard staying in Find until Escape", async () => {
    const { controller, target } = await editor();
    type(target, 11, "Putin goes to Kim.");
    await controller.confirm(11);
    await settle();
    expect(controller.activeId).toBe(12);
    window.dispatchEvent(new KeyboardEvent("keydown", { key: "f", ctrlKey: true }));
    flushSync();
    const find = target.querySelector<HTMLInputElement>('input[aria-label="Find"]')!;
    find.value = "a";
    find.dispatchEvent(new Event("input", { bubbles: true }));
    flushSync();
    const visited: (number | null)[] = [];
    for (const shiftKey of [false, false, true]) {
      press(find, { key: "Enter", shiftKey });
      await settle();
      visited.push(controller.activeId);
      expect(document.activeElement).toBe(find);
    }
    // Found: 11, 12 and 13; from 12 on to 13, round to 11, back to 13.
    expect(visited).toEqual([13, 11, 13]);
    expect(controller.segments[0]).toMatchObject({ target: "Putin goes to Kim.", status: "translated" });
    press(find, { key: "Escape" });
    await settle();
    expect(document.activeElement).toBe(field(target, 13));
  });

  it("takes back Replace all with Ctrl+Z from its button, and leaves Find's own Ctrl+Z alone", async () => {
    const { controller, target } = await editor();
    type(target, 11, "Putin goes to Kim.");
    await controller.flushAll();
    window.dispatchEvent(new KeyboardEvent("keydown", { key: "f", ctrlKey: true }));
    flushSync();
    const find = target.querySelector<HTMLInputElement>('input[aria-label="Find"]')!;
    find.value = "Kim";
    find.dispatchEvent(new Event("input", { bubbles: true }));
    const replacement = target.querySelector<HTMLInputElement>('input[aria-label="Replace with"]')!;
    replacement.value = "Kim Jong Un";
    replacement.dispatchEvent(new Event("input", { bubbles: true }));
    flushSync();
    const replaceAll = target.querySelector<HTMLButtonElement>("#replace-all")!;
    replaceAll.click();
    await settle();
    expect(serialize(field(target, 11))).toBe("Putin goes to Kim Jong Un.");
    // Still enabled: the Italian has "Kim" too.
    expect(replaceAll.disabled).toBe(false);
    replaceAll.focus();
    press(replaceAll, { key: "z", ctrlKey: true });
    await settle();
    expect(serialize(field(target, 11))).toBe("Putin goes to Kim.");
    find.focus();
    press(find, { key: "z", ctrlKey: true });
    await settle();
    expect(serialize(field(target, 11))).toBe("Putin goes to Kim.");
  });

  it("gives the keyboard back to the segment after Add term, so Ctrl+Enter confirms", async () => {
    const { controller, target } = await editor();
    await controller.select(12);
    await settle();
    type(target, 12, "This strengthens the axis");
    target.querySelector<HTMLButtonElement>("#add-term")!.click();
    flushSync();
    const italian = target.querySelector<HTMLInputElement>("input[aria-label='Italian term']")!;
    expect(document.activeElement).toBe(italian);
    italian.value = "rafforza";
    italian.dispatchEvent(new Event("input", { bubbles: true }));
    const english = target.querySelector<HTMLInputElement>("input[aria-label='English term']")!;
    english.value = "strengthens";
    english.dispatchEvent(new Event("input", { bubbles: true }));
    italian.form!.requestSubmit();
    await settle();
    expect(document.activeElement).toBe(field(target, 12));
    press(document.activeElement!, { key: "Enter", ctrlKey: true });
    await settle();
    expect(controller.segments[1].status).toBe("translated");
  });

  it("gives the keyboard back after a click on a match or Ignore", async () => {
    const { controller, target } = await editor();
    await vi.waitFor(() => expect(controller.matches.tm).toHaveLength(2));
    await settle();
    const match = target.querySelector<HTMLButtonElement>('[data-match="2"]')!;
    match.focus();
    match.click();
    await settle();
    expect(serialize(field(target, 11))).toBe("Putin visits Xi.");
    expect(document.activeElement).toBe(field(target, 11));

    type(target, 11, "Putin goes to Kim 2.");
    await controller.flush(11);
    await settle();
    const ignore = target.querySelector<HTMLButtonElement>('[aria-label="Quality checks"] [data-check="numbers"] button')!;
    ignore.focus();
    ignore.click();
    await settle();
    expect(document.activeElement).toBe(field(target, 11));
  });

  it("works the shortcuts from anywhere in the editor, on the active segment", async () => {
    const { controller, target } = await editor();
    type(target, 11, "Putin goes to Kim.");
    (document.activeElement as HTMLElement | null)?.blur();
    press(document.body, { key: "Enter", ctrlKey: true });
    await settle();
    expect(controller.segments[0].status).toBe("translated");
    expect(controller.activeId).toBe(12);
    press(target.querySelector("#open-stats")!, { key: "S", ctrlKey: true, shiftKey: true });
    await settle();
    expect(serialize(field(target, 12))).toBe("Così si rafforza l’asse");
  });
});

describe("Trust: the panels agree", () => {
  let cleanup: (() => void) | undefined;
  afterEach(() => {
    cleanup?.();
    document.body.innerHTML = "";
  });

  async function editor() {
    const setUp = await setup();
    cleanup = () => {
      unmount(setUp.component);
      setUp.backend.uninstall();
    };
    return setUp;
  }
  const type = (target: HTMLElement, id: number, text: string) => {
    const f = target.querySelector<HTMLElement>(`.english[data-segment-id="${id}"]`)!;
    f.textContent = text;
    f.dispatchEvent(new Event("input", { bubbles: true }));
  };

  it("lists the findings of the last segment confirmed, as its row flags them", async () => {
    const { controller, target } = await editor();
    for (const [id, text] of [[11, "Putin goes to Kim."], [12, "The axis"], [13, "Not bold 2"]] as const) {
      type(target, id, text);
      await controller.confirm(id);
    }
    await settle();
    expect(target.querySelector('.row[data-segment-id="13"] .qa-flag')?.textContent).toBe("⚠ 1 QA");
    const panel = target.querySelector('[aria-label="Quality checks"]')!;
    expect(panel.textContent).not.toContain("No problems found in this segment");
    expect(panel.querySelector('[data-check="numbers"]')?.textContent).toContain("a number is missing");
  });

  it("does not call a fact missing while the English that has it waits to be saved", async () => {
    const { controller, target } = await editor();
    const facts = target.querySelector('[aria-label="Fact checklist"]')!;
    type(target, 11, "Putin goes to Kim.");
    flushSync();
    expect(facts.querySelectorAll("li")).toHaveLength(0);
    await controller.flush(11);
    await settle();
    expect(facts.querySelectorAll("li")).toHaveLength(0);
    type(target, 11, "Putin goes to him.");
    await controller.flush(11);
    await settle();
    expect(facts.querySelector("li")?.textContent).toContain("Kim");
  });

  it("shows an active filter with a one-click clear, and says when it hides every row", async () => {
    const { target } = await editor();
    const rows = () => target.querySelectorAll(".row").length;
    const select = target.querySelector<HTMLSelectElement>('select[aria-label="Show segments"]')!;
    select.value = "translated";
    select.dispatchEvent(new Event("change", { bubbles: true }));
    flushSync();
    expect(rows()).toBe(0);
    expect(target.querySelector("#nothing-shown")?.textContent).toContain("No segment is shown");
    target.querySelector<HTMLButtonElement>("#clear-filter")!.click();
    flushSync();
    expect(rows()).toBe(4);
    expect(select.value).toBe("all");
    expect(target.querySelector("#clear-filter")).toBeNull();
  });

  it("rounds the statistics' percentage down, as the header's", async () => {
    const { controller, target } = await editor();
    // 296 of 1,000 words confirmed: the header says 29%.
    mockIPC((cmd) => {
      if (cmd !== "document_stats") return null;
      return {
        words: 1000,
        characters: 5000,
        by_status: [
          { label: "new", segments: 2, words: 704 },
          { label: "draft", segments: 0, words: 0 },
          { label: "translated", segments: 1, words: 296 },
          { label: "approved", segments: 0, words: 0 },
        ],
        bands: [],
        filled: [],
        effort: [],
        words_per_hour: null,
        active_minutes: 0,
      };
    });
    expect(controller.view).not.toBeNull();
    target.querySelector<HTMLButtonElement>("#open-stats")!.click();
    await settle();
    expect(target.querySelector('[aria-label="Progress"] .big strong')?.textContent).toBe("29%");
  });

  it("says before exporting the article that untranslated segments stay in Italian, and warns after", async () => {
    const { backend, target } = await editor();
    target.querySelector<HTMLButtonElement>("#export-open")!.click();
    flushSync();
    const dialog = target.querySelector('[role="dialog"]')!;
    expect(dialog.querySelector("#export-untranslated")?.textContent?.trim()).toBe(
      "⚠ 3 segments have no English yet and will stay in Italian.",
    );
    backend.dialog.path = "/tmp/sample.en.txt";
    dialog.querySelector<HTMLButtonElement>("#export-save")!.click();
    await settle();
    const result = dialog.querySelector('[role="status"]')!;
    expect(result.textContent).toContain("3 segments have no English yet");
    expect(result.classList.contains("warning")).toBe(true);
  });

  it("shows an entry's other English terms, and Alt+N again or a click puts one in", async () => {
    const { controller, target } = await editor();
    await controller.select(12);
    controller.glossary.terms[12] = [{ ...controller.glossary.terms[12][0], targets: ["axis", "alliance"] }];
    flushSync();
    const panel = target.querySelector("[aria-label='Glossary']")!;
    const choice = panel.querySelector<HTMLButtonElement>('[data-term-choice="1"]')!;
    expect(choice.textContent).toBe("alliance");
    const f = target.querySelector<HTMLElement>('.english[data-segment-id="12"]')!;
    type(target, 12, "The Moscow-");
    select(f, serialize(f).length);
    const alt1 = () => f.dispatchEvent(new KeyboardEvent("keydown", { key: "1", code: "Digit1", altKey: true, bubbles: true }));
    alt1();
    flushSync();
    expect(serialize(f)).toBe("The Moscow-axis");
    alt1();
    flushSync();
    expect(serialize(f)).toBe("The Moscow-alliance");
    type(target, 12, "The ");
    select(f, 4);
    choice.click();
    flushSync();
    expect(serialize(f)).toBe("The alliance");
  });
});

describe("Saving", () => {
  let cleanup: (() => void) | undefined;
  afterEach(() => {
    cleanup?.();
    document.body.innerHTML = "";
  });

  it("never says saved once the workspace was replaced under the app, and marks what was not saved", async () => {
    const { backend, controller, target, component } = await setup();
    cleanup = () => {
      unmount(component);
      backend.uninstall();
    };
    const status = () => target.querySelector(".bar .save")?.textContent?.trim();
    expect(status()).toBe("All changes saved");
    backend.saving.error = { code: "workspace_replaced", message: "Interlinea has stopped saving: the file was replaced." };
    const field = target.querySelector<HTMLElement>('.english[data-segment-id="11"]')!;
    field.textContent = "Putin visits Kim.";
    field.dispatchEvent(new Event("input", { bubbles: true }));
    field.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", ctrlKey: true, bubbles: true }));
    await settle();
    const row = target.querySelector('.row[data-segment-id="11"]')!;
    expect(row.classList.contains("status-translated")).toBe(false);
    expect(row.querySelector(".unsaved")?.textContent).toBe("not saved");
    expect(status()).toBe("Not saving");
    expect(target.querySelector('[role="alert"].stopped')?.textContent).toContain("stopped saving");
    // Opening the document again reads fine, and still says nothing is saved.
    await controller.open(1);
    await settle();
    expect(status()).toBe("Not saving");
  });
});
