import { flushSync, mount, tick, unmount } from "svelte";
import { afterEach, describe, expect, it, vi } from "vitest";
import { api } from "../../lib/api";
import { installFakeBackend, sampleView } from "../../lib/fake-backend";
import { keymap } from "../../lib/keymap.svelte";
import { SettingsStore } from "../../lib/settings.svelte";
import SettingsDialog from "./SettingsDialog.svelte";

async function settle() {
  for (let i = 0; i < 5; i++) await tick();
  flushSync();
}

async function setup() {
  const backend = installFakeBackend(sampleView());
  const store = new SettingsStore(api);
  await store.load();
  const onclose = vi.fn();
  const target = document.createElement("div");
  document.body.append(target);
  const component = mount(SettingsDialog, { target, props: { store, onclose } });
  await settle();
  const chord = (action: string) => target.querySelector<HTMLButtonElement>(`button.chord[data-action="${action}"]`)!;
  /** Clicks an action's key, then presses `key` with Ctrl. */
  const rebind = async (action: string, key: string) => {
    chord(action).click();
    flushSync();
    chord(action).dispatchEvent(new KeyboardEvent("keydown", { key, ctrlKey: true, bubbles: true }));
    await settle();
  };
  const save = async () => {
    target.querySelector<HTMLButtonElement>("#settings-save")!.click();
    await settle();
  };
  return { backend, store, onclose, target, component, chord, rebind, save };
}

describe("SettingsDialog", () => {
  let cleanup: (() => void) | undefined;
  afterEach(() => {
    cleanup?.();
    keymap.use({});
    document.body.innerHTML = "";
  });

  it("takes a new key from the next key press and puts it in force on Save", async () => {
    const { backend, component, onclose, chord, rebind, save } = await setup();
    cleanup = () => (unmount(component), backend.uninstall());
    await rebind("confirm", "g");
    expect(chord("confirm").textContent).toBe("Ctrl+G");
    await save();
    expect((await api.getSettings()).shortcuts).toEqual({ confirm: "Ctrl+G" });
    expect(keymap.shown("confirm")).toBe("Ctrl+G");
    expect(onclose).toHaveBeenCalled();
  });

  it("refuses a key another action has, with the reason, and keeps the old one", async () => {
    const { backend, component, target, chord, rebind } = await setup();
    cleanup = () => (unmount(component), backend.uninstall());
    await rebind("insert-mt", "Enter");
    expect(target.querySelector("#settings-problem")?.textContent).toContain(
      "Ctrl+Enter already does: Confirm the segment",
    );
    expect(chord("insert-mt").textContent).toBe("Ctrl+M");
  });

  it("signs saved versions with the name typed in", async () => {
    const { backend, component, target, save } = await setup();
    cleanup = () => (unmount(component), backend.uninstall());
    const name = target.querySelector<HTMLInputElement>("#setting-author")!;
    expect(name.value).toBe("");
    name.value = "Giulia Neri";
    name.dispatchEvent(new Event("input", { bubbles: true }));
    await save();
    expect((await api.getSettings()).author).toBe("Giulia Neri");
  });

  it("keeps everything as it was on Cancel", async () => {
    const { backend, component, target, rebind } = await setup();
    cleanup = () => (unmount(component), backend.uninstall());
    await rebind("confirm", "g");
    [...target.querySelectorAll("button")].find((b) => b.textContent === "Cancel")!.click();
    await settle();
    expect((await api.getSettings()).shortcuts).toEqual({});
  });

  it("applies the theme, the zoom and the text size at once", async () => {
    const { backend, component, target, save } = await setup();
    cleanup = () => (unmount(component), backend.uninstall());
    const choose = (id: string, value: string) => {
      const field = target.querySelector<HTMLSelectElement | HTMLInputElement>(id)!;
      field.value = value;
      field.dispatchEvent(new Event(field instanceof HTMLSelectElement ? "change" : "input", { bubbles: true }));
    };
    choose("#setting-theme", "dark");
    choose("#setting-zoom", "125");
    choose("#setting-font-size", "18");
    await save();
    const root = document.documentElement;
    expect([root.dataset.theme, root.dataset.zoom, root.style.getPropertyValue("--text-size")]).toEqual([
      "dark",
      "125",
      "18px",
    ]);
    const saved = await api.getSettings();
    expect([saved.theme, saved.zoom, saved.font_size]).toEqual(["dark", 125, 18]);
  });
});
