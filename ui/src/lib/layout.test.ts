import { describe, expect, it } from "vitest";
import { LAYOUT_KEY, Layout, parseLayout } from "./layout.svelte";

function memory(initial: Record<string, string> = {}) {
  const items = new Map(Object.entries(initial));
  return {
    items,
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
  };
}

describe("Layout", () => {
  it("shows both side areas, half and half, the first time", () => {
    const layout = new Layout(memory());
    expect([layout.sidebar, layout.panels, layout.sourceShare]).toEqual([true, true, 0.5]);
    // Widths no one has dragged follow the window.
    expect([layout.sidebarWidth, layout.panelWidth]).toEqual([null, null]);
  });

  it("remembers what was collapsed and resized for the next start", () => {
    const storage = memory();
    const first = new Layout(storage);
    first.toggleSidebar();
    first.togglePanels();
    first.resize("panelWidth", 410);
    first.resize("sourceShare", 0.4);
    const next = new Layout(storage);
    expect([next.sidebar, next.panels, next.panelWidth, next.sourceShare]).toEqual([false, false, 410, 0.4]);
  });

  it("keeps widths and the split within their limits, however far the splitter is dragged", () => {
    const layout = new Layout(memory());
    layout.resize("sidebarWidth", -500);
    layout.resize("panelWidth", 5000);
    layout.resize("sourceShare", 0.99);
    expect([layout.sidebarWidth, layout.panelWidth, layout.sourceShare]).toEqual([170, 560, 0.75]);
  });

  it("reads a damaged or partial entry as the defaults for what it lacks", () => {
    expect(parseLayout("{not json").sidebar).toBe(true);
    expect(parseLayout('{"panels": false, "panelWidth": "wide", "sourceShare": 2}')).toEqual({
      sidebar: true,
      panels: false,
      sidebarWidth: null,
      panelWidth: null,
      sourceShare: 0.75,
    });
    const storage = memory({ [LAYOUT_KEY]: "null" });
    expect(new Layout(storage).panels).toBe(true);
  });

  it("works on when the storage refuses to save", () => {
    const layout = new Layout({
      getItem: () => null,
      setItem: () => {
        throw new Error("quota");
      },
    });
    layout.togglePanels();
    expect(layout.panels).toBe(false);
  });
});
