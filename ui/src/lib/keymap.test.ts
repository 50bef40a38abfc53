import { describe, expect, it } from "vitest";
import { chordOf, Keymap } from "./keymap.svelte";

function press(key: string, init: Partial<KeyboardEventInit> = {}, code = ""): KeyboardEvent {
  return new KeyboardEvent("keydown", { key, code, ...init });
}

describe("keymap", () => {
  it("writes a key press as the table writes keys", () => {
    expect(chordOf(press("Enter", { ctrlKey: true }))).toBe("Ctrl+Enter");
    expect(chordOf(press("S", { ctrlKey: true, shiftKey: true }))).toBe("Ctrl+Shift+S");
    expect(chordOf(press("¡", { altKey: true }, "Digit1"))).toBe("Alt+1");
    expect(chordOf(press("Shift", { shiftKey: true }))).toBeNull();
  });

  it("runs the default keys, then the translator's instead", () => {
    const keymap = new Keymap();
    expect(keymap.matches(press("Enter", { ctrlKey: true }), "confirm")).toBe(true);
    keymap.use({ confirm: "Ctrl+K" });
    expect(keymap.matches(press("Enter", { ctrlKey: true }), "confirm")).toBe(false);
    expect(keymap.matches(press("k", { ctrlKey: true }), "confirm")).toBe(true);
    expect(keymap.shown("confirm")).toBe("Ctrl+K");
  });

  it("reads the digit of a match or a term", () => {
    const keymap = new Keymap();
    expect(keymap.digit(press("3", { ctrlKey: true }, "Digit3"), "insert-match")).toBe(3);
    expect(keymap.digit(press("3", { ctrlKey: true }, "Digit3"), "insert-term")).toBeNull();
    expect(keymap.digit(press("£", { altKey: true }, "Digit3"), "insert-term")).toBe(3);
  });

  it("refuses a key typing needs, a family's key or another action's key", () => {
    const keymap = new Keymap();
    expect(keymap.conflict("approve", "Ctrl+C")).toContain("typing");
    expect(keymap.conflict("approve", "Ctrl+4")).toContain("match");
    expect(keymap.conflict("approve", "F9")).toContain("Insert the next code");
    expect(keymap.conflict("next-code", "F9")).toBeNull();
    expect(keymap.conflict("approve", "Ctrl+Shift+A")).toBeNull();
  });
});
