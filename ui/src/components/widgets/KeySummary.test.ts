import { flushSync, mount, tick, unmount } from "svelte";
import { afterEach, describe, expect, it } from "vitest";
import { api } from "../../lib/api";
import { EditorController } from "../../lib/editor.svelte";
import { installFakeBackend, sampleView } from "../../lib/fake-backend";
import { keymap } from "../../lib/keymap.svelte";
import Editor from "../views/Editor.svelte";
import Welcome from "../views/Welcome.svelte";
import Shortcuts from "./Shortcuts.svelte";

function place(): HTMLElement {
  const target = document.createElement("div");
  document.body.append(target);
  return target;
}

/** Each shortcut a line shows, as "keys: what". */
function summary(element: Element): string[] {
  return [...element.querySelectorAll("[data-action]")].map((item) => {
    const keys = item.querySelector("kbd")?.textContent ?? "";
    return `${keys}: ${(item.textContent ?? "").slice(keys.length).trim()}`;
  });
}

describe("the shortcuts shown", () => {
  const mounted: ReturnType<typeof mount>[] = [];
  afterEach(() => {
    mounted.splice(0).forEach((m) => unmount(m));
    keymap.use({});
    document.body.innerHTML = "";
  });

  it("are the same on the welcome screen, in the editor's footer and in the F1 list, custom keys too", async () => {
    keymap.use({ "copy-source": "Ctrl+Alt+C" });
    const backend = installFakeBackend(sampleView());
    try {
      const welcome = place();
      mounted.push(mount(Welcome, { target: welcome, props: { onsample: () => {}, onimport: () => {} } }));
      const controller = new EditorController(api, 10_000);
      await controller.open(1);
      const editor = place();
      mounted.push(mount(Editor, { target: editor, props: { controller } }));
      const f1 = place();
      mounted.push(mount(Shortcuts, { target: f1, props: { onclose: () => {} } }));
      flushSync();
      await tick();

      const onWelcome = summary(welcome.querySelector(".keys")!);
      const inFooter = summary(editor.querySelector("footer.keys")!);
      expect(onWelcome).toEqual(inFooter);
      expect(onWelcome).toContain("Ctrl+Enter: confirm and go to the next open segment");
      expect(onWelcome).toContain("Ctrl+Alt+C: copy the Italian");
      expect(onWelcome).toContain("Ctrl+1 … 9: insert a TM match");
      // Every key they show is a key of the F1 list.
      const listed = [...f1.querySelectorAll("th kbd")].map((k) => k.textContent ?? "").join(" | ");
      for (const line of onWelcome) expect(listed).toContain(line.split(": ")[0]);
    } finally {
      backend.uninstall();
    }
  });
});
