import { flushSync, mount, tick, unmount } from "svelte";
import { afterEach, describe, expect, it } from "vitest";
import { installFakeBackend, sampleView } from "../../lib/fake-backend";
import GlossaryManager from "./GlossaryManager.svelte";

async function settle() {
  for (let i = 0; i < 5; i++) {
    await new Promise((resolve) => setTimeout(resolve, 0));
    await tick();
    flushSync();
  }
}

describe("GlossaryManager with many entries", () => {
  let cleanup: (() => void) | undefined;
  afterEach(() => {
    cleanup?.();
    document.body.innerHTML = "";
  });

  it("pages every entry, and finds any of them as the translator types", async () => {
    const backend = installFakeBackend(sampleView());
    for (let i = 0; i < 415; i++) {
      const n = String(i).padStart(3, "0");
      backend.entries.push({ id: 100 + i, glossary: "Big", italian: [`termine ${n}`], english: [`term ${n}`], domain: null, note: null });
    }
    const target = document.createElement("div");
    document.body.append(target);
    const component = mount(GlossaryManager, { target, props: { onclose: () => {}, onchange: () => {} } });
    cleanup = () => {
      unmount(component);
      backend.uninstall();
    };
    await settle();
    const rows = () => Array.from(target.querySelectorAll("tbody tr")).map((r) => r.children[0].textContent);
    expect(target.querySelector("#glossary-count")?.textContent).toBe("418 entries");
    expect(rows()).toHaveLength(100);
    expect(target.querySelector("#glossary-page")?.textContent).toBe("1–100 of 418");
    for (let page = 0; page < 4; page++) {
      (target.querySelector("#glossary-next") as HTMLButtonElement).click();
      await settle();
    }
    expect(target.querySelector("#glossary-page")?.textContent).toBe("401–418 of 418");
    expect(rows()).toHaveLength(18);
    expect(rows().at(-1)).toBe("termine 414");
    expect((target.querySelector("#glossary-next") as HTMLButtonElement).disabled).toBe(true);

    // The last entry, beyond the first 200, is found as the search is typed.
    const search = target.querySelector<HTMLInputElement>("input[aria-label='Find a glossary term']")!;
    search.value = "term 399";
    search.dispatchEvent(new Event("input", { bubbles: true }));
    await new Promise((resolve) => setTimeout(resolve, 300));
    await settle();
    expect(rows()).toEqual(["termine 399"]);
    expect(target.querySelector("#glossary-count")?.textContent).toBe("1 entry found");
    expect(target.querySelector("#glossary-page")).toBeNull();
  }, 30_000);
});
