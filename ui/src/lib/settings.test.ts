import { describe, expect, it } from "vitest";
import { SettingsStore, shortcutProblem, withShortcut, type Settings } from "./settings.svelte";
import { stepZoom, resolveTheme } from "./appearance";

const DEFAULTS: Settings = {
  english_variant: "gb",
  auto_fill: "draft",
  match_threshold: 50,
  default_mt_provider: null,
  font_family: "",
  font_size: 15,
  zoom: 100,
  theme: "system",
  shortcuts: {},
  author: "",
};

/** A workspace's settings kept in memory, and what the window was given. */
function store(initial: Settings = DEFAULTS) {
  let saved = structuredClone(initial);
  const applied: Settings[] = [];
  const settings = new SettingsStore(
    {
      getSettings: async () => structuredClone(saved),
      saveSettings: async (next) => (saved = structuredClone(next)),
    },
    (s) => applied.push(s),
  );
  return { settings, applied, saved: () => saved };
}

describe("shortcutProblem", () => {
  it("accepts a free key with a modifier, or a function key", () => {
    expect(shortcutProblem({ confirm: "Ctrl+G", "next-finding": "F6", "insert-mt": "Alt+M" })).toBeNull();
  });

  it("refuses two actions on one key, naming the action that has it", () => {
    expect(shortcutProblem({ "insert-mt": "Ctrl+Shift+S" })).toMatch(/Ctrl\+Shift\+S already does: Copy the Italian/);
    expect(shortcutProblem({ confirm: "Ctrl+G", "insert-mt": "Ctrl+G" }, "insert-mt")).toBe(
      "Ctrl+G already does: Confirm the segment and go to the next open one. Nothing was saved: “Insert the machine translation” keeps its key.",
    );
  });

  it("lets two actions swap their keys", () => {
    expect(shortcutProblem({ "zoom-in": "Ctrl+-", "zoom-out": "Ctrl+=" })).toBeNull();
  });

  it("refuses keys that typing and editing need", () => {
    expect(shortcutProblem({ confirm: "Enter" })).toMatch(/typing/);
    expect(shortcutProblem({ confirm: "Ctrl+V" })).toMatch(/typing/);
    expect(shortcutProblem({ confirm: "K" })).toMatch(/types text/);
    expect(shortcutProblem({ confirm: "Shift+K" })).toMatch(/types text/);
    expect(shortcutProblem({ confirm: "Space" })).toMatch(/types text/);
    expect(shortcutProblem({ confirm: "Ctrl+3" })).toMatch(/match or a glossary term/);
  });

  it("refuses a key for an action whose key is fixed, or no action", () => {
    expect(shortcutProblem({ undo: "Ctrl+U" })).toMatch(/cannot be changed/);
    expect(shortcutProblem({ "no-such-thing": "Ctrl+U" })).toMatch(/no action/);
  });
});

describe("withShortcut", () => {
  it("keeps only the translator's changes", () => {
    const changed = withShortcut({}, "confirm", "Ctrl+G");
    expect(changed).toEqual({ confirm: "Ctrl+G" });
    expect(withShortcut(changed, "confirm", "Ctrl+Enter")).toEqual({});
    expect(withShortcut(changed, "confirm", null)).toEqual({});
  });
});

describe("SettingsStore", () => {
  it("applies the settings it loads", async () => {
    const { settings, applied } = store({ ...DEFAULTS, theme: "dark" });
    await settings.load();
    expect(applied.map((s) => s.theme)).toEqual(["dark"]);
  });

  it("saves nothing and applies nothing when two actions would share a key", async () => {
    const { settings, applied, saved } = store();
    await settings.load();
    const problem = await settings.save({ ...DEFAULTS, font_size: 18, shortcuts: { "insert-mt": "Ctrl+Enter" } });
    expect(problem).toMatch(/Ctrl\+Enter already does: Confirm/);
    expect(saved()).toEqual(DEFAULTS);
    expect(applied).toHaveLength(1);
  });

  it("saves and applies at once what is allowed", async () => {
    const { settings, applied, saved } = store();
    await settings.load();
    expect(await settings.save({ ...DEFAULTS, font_size: 18, shortcuts: { confirm: "Ctrl+G" } })).toBeNull();
    expect(saved().shortcuts).toEqual({ confirm: "Ctrl+G" });
    expect(applied.at(-1)?.font_size).toBe(18);
  });

  it("zooms by steps, remembered, and back to 100%", async () => {
    const { settings, saved } = store();
    await settings.load();
    await settings.zoom(1);
    await settings.zoom(1);
    expect(saved().zoom).toBe(125);
    await settings.zoom(-1);
    expect(saved().zoom).toBe(110);
    await settings.zoom(0);
    expect(saved().zoom).toBe(100);
  });
});

describe("appearance", () => {
  it("stops zooming at either end", () => {
    expect(stepZoom(300, 1)).toBe(300);
    expect(stepZoom(50, -1)).toBe(50);
    expect(stepZoom(105, 1)).toBe(110);
  });

  it("follows the system's theme only when asked to", () => {
    expect(resolveTheme("system", true)).toBe("dark");
    expect(resolveTheme("system", false)).toBe("light");
    expect(resolveTheme("light", true)).toBe("light");
  });
});
