import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

// The two themes' colours, read from the stylesheet the app ships.
const css = readFileSync(join(import.meta.dirname, "app.css"), "utf8");

function palette(selector: string): Record<string, string> {
  const start = css.indexOf(`${selector} {`);
  expect(start, selector).toBeGreaterThanOrEqual(0);
  const block = css.slice(start, css.indexOf("}", start));
  return Object.fromEntries([...block.matchAll(/--([a-z-]+):\s*(#[0-9a-f]{6})\s*;/g)].map((m) => [m[1], m[2]]));
}

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG's contrast ratio of two colours. */
function contrast(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light + 0.05) / (dark + 0.05);
}

// Every colour text is drawn in, on every background it is drawn on.
const TEXT_ON: [string, string[]][] = [
  ["ink", ["bg", "panel", "field", "accent-soft", "ins-bg", "del-bg", "error-soft"]],
  ["muted", ["bg", "panel", "field", "accent-soft"]],
  ["faint", ["bg", "panel"]],
  ["accent", ["bg", "panel", "accent-soft"]],
  ["on-accent", ["accent", "error"]],
  ["draft", ["panel", "accent-soft"]],
  ["done", ["panel", "accent-soft"]],
  ["error", ["bg", "panel", "accent-soft", "error-soft"]],
];

describe.each([
  ["light", ":root"],
  ["dark", ':root[data-theme="dark"]'],
])("the %s theme", (_name, selector) => {
  const colours = palette(selector);

  it("defines every colour the light theme does", () => {
    expect(Object.keys(colours).sort()).toEqual(Object.keys(palette(":root")).sort());
  });

  it.each(TEXT_ON)("draws %s text with a contrast of at least 4.5:1 (WCAG AA)", (text, backgrounds) => {
    for (const background of backgrounds) {
      const ratio = contrast(colours[text], colours[background]);
      expect(ratio, `${text} on ${background}: ${ratio.toFixed(2)}`).toBeGreaterThanOrEqual(4.5);
    }
  });
});

describe("the dark theme", () => {
  it("is dark: its backgrounds are darker than its text", () => {
    const dark = palette(':root[data-theme="dark"]');
    for (const background of ["bg", "panel", "field"]) expect(luminance(dark[background])).toBeLessThan(0.05);
  });
});
