import { beforeEach, describe, expect, it } from "vitest";
import { chipsOf, isCanonical, offsetOf, render, select, selectionIn, serialize } from "./code-dom";
import { markChar } from "./codes";
import type { CodeDto } from "./bindings";

const o = markChar("open", 4);
const c = markChar("close", 4);
const br = markChar("standalone", 9);
const codes: CodeDto[] = [
  { id: 4, number: 1, shape: "paired", element: "a", title: "https://example.org/?a=<b>" },
  { id: 9, number: 2, shape: "standalone", element: "br", title: "" },
];
const chips = chipsOf(codes);

let root: HTMLElement;
beforeEach(() => {
  document.body.innerHTML = "";
  root = document.createElement("div");
  root.contentEditable = "true";
  document.body.append(root);
});

describe("render and serialize", () => {
  it("show codes as numbered chips with the original as tooltip, and read them back", () => {
    const text = `Read ${o}the <1> article${c} here.${br}\nNext`;
    render(root, text, chips);
    const shown = [...root.querySelectorAll<HTMLElement>(".code")];
    expect(shown.map((s) => [s.dataset.n, s.className, s.getAttribute("contenteditable"), s.textContent])).toEqual([
      ["1", "code code-open", "false", ""],
      ["1", "code code-close", "false", ""],
      ["2", "code code-standalone", "false", ""],
    ]);
    // Set as text, never parsed as markup.
    expect(shown[0].title).toBe("a: https://example.org/?a=<b>");
    expect(shown[0].querySelector("b")).toBeNull();
    expect(root.textContent!.replaceAll("\u200B", "")).toBe("Read the <1> article here.Next");
    expect(root.querySelectorAll("br")).toHaveLength(1);
    expect(serialize(root)).toBe(text);
    expect(isCanonical(root)).toBe(true);
  });

  it("keep a trailing line break, a last chip and an empty field", () => {
    for (const text of ["a\n", "a\n\n", "\n", "", `a${c}`, br, `${o}${c}\n`]) {
      render(root, text, chips);
      expect(serialize(root)).toBe(text);
    }
    // Beside a chip with no text on that side is an empty text, where the
    // caret can be: at the ends and between two chips.
    render(root, `${o}${c}`, chips);
    expect([...root.childNodes].map((n) => n.nodeName)).toEqual(["#text", "SPAN", "#text", "SPAN", "#text"]);
    for (const at of [0, 1, 2]) {
      select(root, at);
      expect(document.getSelection()!.getRangeAt(0).startContainer.nodeName).toBe("#text");
      expect(selectionIn(root)).toEqual([at, at]);
    }
    // The browser's filler in an emptied field is no line.
    root.innerHTML = "<br>";
    expect(serialize(root)).toBe("");
  });

  it("read what the browser made: wrappers, blocks, stray code characters, foreign codes", () => {
    root.innerHTML = `<span style="color:red">Read</span> <font>it</font><div>again\uE123</div>`;
    expect(isCanonical(root)).toBe(false);
    expect(serialize(root)).toBe("Read it\nagain");
    render(root, `${o}x${c}`, chips);
    // A chip of a code this segment lacks is dropped.
    root.insertBefore(root.ownerDocument.createRange().createContextualFragment('<span data-code="e001"></span>'), root.firstChild);
    expect(serialize(root, new Set([o, c]))).toBe(`${o}x${c}`);
  });
});

describe("selection", () => {
  it("counts a chip as one character and places the caret by text offset", () => {
    const text = `ab${o}cd${c}${br}e`;
    render(root, text, chips);
    for (let at = 0; at <= text.length; at++) {
      select(root, at);
      expect(selectionIn(root)).toEqual([at, at]);
    }
    select(root, 1, 5);
    expect(selectionIn(root)).toEqual([1, 5]);
    expect(offsetOf(root, root, root.childNodes.length)).toBe(text.length);
  });

  it("is none when the selection is outside the field", () => {
    render(root, "abc", chips);
    const other = document.createElement("p");
    other.textContent = "x";
    document.body.append(other);
    const range = document.createRange();
    range.selectNodeContents(other);
    document.getSelection()!.removeAllRanges();
    document.getSelection()!.addRange(range);
    expect(selectionIn(root)).toBeNull();
  });
});
