import { flushSync, mount, tick, unmount } from "svelte";
import { afterEach, describe, expect, it, vi } from "vitest";
import { installFakeBackend, sampleView } from "../../lib/fake-backend";
import GlossaryManager from "./GlossaryManager.svelte";

/** Lets the fake backend answer and the component re-render. */
async function settle() {
  for (let i = 0; i < 5; i++) await tick();
  flushSync();
}

async function setup() {
  const backend = installFakeBackend(sampleView());
  const onchange = vi.fn();
  const target = document.createElement("div");
  document.body.append(target);
  const component = mount(GlossaryManager, { target, props: { onclose: () => {}, onchange } });
  await settle();
  const column = (n: number) =>
    Array.from(target.querySelectorAll("tbody tr")).map((row) => row.children[n].textContent);
  const click = async (element: Element | null) => {
    (element as HTMLElement).click();
    await settle();
  };
  return { backend, onchange, target, component, column, click };
}

describe("GlossaryManager", () => {
  let cleanup: (() => void) | undefined;
  afterEach(() => {
    cleanup?.();
    document.body.innerHTML = "";
  });

  it("lists every entry and sorts by any column, both ways", async () => {
    const { backend, target, component, column, click } = await setup();
    cleanup = () => {
      unmount(component);
      backend.uninstall();
    };
    expect(column(0)).toEqual(["asse", "Corea del Nord", "Cremlino"]);
    const english = target.querySelectorAll("th button")[1];
    await click(english);
    expect(column(1)).toEqual(["axis", "Kremlin", "North Korea"]);
    await click(english);
    expect(column(1)).toEqual(["North Korea", "Kremlin", "axis"]);
    expect(target.querySelectorAll("th")[1].getAttribute("aria-sort")).toBe("descending");
  });

  it("edits an entry in place and saves it with Enter", async () => {
    const { backend, onchange, target, component, column, click } = await setup();
    cleanup = () => {
      unmount(component);
      backend.uninstall();
    };
    await click(target.querySelector("tr[data-entry-id='2'] button.link"));
    const english = target.querySelector<HTMLInputElement>("input[aria-label='English terms']")!;
    english.value = "Kremlin, the Kremlin";
    english.dispatchEvent(new Event("input", { bubbles: true }));
    english.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true }));
    await settle();
    const update = backend.calls.find((c) => c.cmd === "update_glossary_entry");
    expect(update?.args).toMatchObject({ id: 2, english: ["Kremlin", "the Kremlin"] });
    expect(column(1)).toContain("Kremlin, the Kremlin");
    expect(target.querySelector("tr.editing")).toBeNull();
    expect(onchange).toHaveBeenCalled();
  });

  it("deletes only after asking in place", async () => {
    const { backend, target, component, column, click } = await setup();
    cleanup = () => {
      unmount(component);
      backend.uninstall();
    };
    const row = () => target.querySelector("tr[data-entry-id='3']");
    await click(row()!.querySelectorAll("button")[1]);
    expect(backend.entries).toHaveLength(3);
    await click(row()!.querySelector("button.danger"));
    expect(backend.entries.map((e) => e.id)).toEqual([1, 2]);
    expect(column(0)).toEqual(["Corea del Nord", "Cremlino"]);
  });
});
