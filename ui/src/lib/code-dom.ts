// A segment's text shown in the DOM with its codes as chips, and read back.
// The English is edited in an element whose children are text nodes, <br>
// for line breaks and one non-editable chip per code end; `render` writes
// that from the text, `serialize` reads the text from whatever the browser
// made of it. Text goes in as text nodes and titles as attributes, never as
// markup: article text is data.
import { markOf, strip } from "./codes";
import type { CodeDto } from "./bindings";

/** How a code end shows: its number in the Italian, and what it stands for. */
export interface Chip {
  number: number;
  kind: "open" | "close" | "standalone";
  /** The tooltip: the original element, a link's address. */
  title: string;
}

/** The chip of each code character of a segment. */
export function chipsOf(codes: CodeDto[]): Map<string, Chip> {
  const chips = new Map<string, Chip>();
  for (const code of codes) {
    const title = code.title ? `${code.element}: ${code.title}` : code.element;
    for (const kind of ["open", "close", "standalone"] as const) {
      const base = kind === "open" ? 0xe000 : kind === "close" ? 0xe800 : 0xf000;
      const char = String.fromCharCode(base + code.id);
      chips.set(char, { number: code.number, kind, title: kind === "close" ? `end of ${title}` : title });
    }
  }
  return chips;
}

/** The chip of a code character: the segment's, or an unnumbered one for
 * a code it does not list (a match's own). */
export function chipOf(chips: Map<string, Chip>, char: string): Chip {
  const mark = markOf(char);
  return chips.get(char) ?? { number: 0, kind: mark?.kind ?? "standalone", title: "a code of another text" };
}

/** What a chip says to a screen reader. */
export function label(chip: Chip): string {
  return chip.kind === "open" ? `start of code ${chip.number}` : chip.kind === "close" ? `end of code ${chip.number}` : `code ${chip.number}`;
}

/** One chip element; its number is drawn by CSS (`data-n`), so the text a
 * selection or a copy reads never holds it. */
export function chipElement(doc: Document, char: string, chip: Chip): HTMLElement {
  const span = doc.createElement("span");
  span.className = `code code-${chip.kind}`;
  span.setAttribute("contenteditable", "false");
  span.dataset.code = char.charCodeAt(0).toString(16);
  span.dataset.n = chip.number > 0 ? String(chip.number) : "";
  span.title = chip.title;
  span.setAttribute("role", "img");
  span.setAttribute("aria-label", label(chip));
  return span;
}

/** The code character a chip element stands for, if it is one. */
function chipChar(node: Node): string | null {
  if (!(node instanceof HTMLElement) || node.dataset.code === undefined) return null;
  const char = String.fromCharCode(parseInt(node.dataset.code, 16));
  return markOf(char) ? char : null;
}

/** An empty text beside a chip that has no text on that side: WebKit has
 * no caret position between two chips, or before or after a chip at
 * either end, without one. It is never part of the text. */
export const SPACER = "\u200B";

/** Replaces `root`'s content with `text`: text nodes, a <br> per line
 * break, a chip per code end (a code without a chip is left out). A
 * trailing line break gets a second <br>, without which no line shows. */
export function render(root: HTMLElement, text: string, chips: Map<string, Chip>): void {
  const doc = root.ownerDocument;
  const nodes: Node[] = [];
  let run = "";
  const flush = () => {
    if (run) nodes.push(doc.createTextNode(run));
    run = "";
  };
  for (const c of text) {
    if (c === "\n") {
      flush();
      nodes.push(doc.createElement("br"));
    } else if (markOf(c)) {
      flush();
      const chip = chips.get(c);
      if (chip) nodes.push(chipElement(doc, c, chip));
    } else {
      run += c;
    }
  }
  flush();
  if (text.endsWith("\n")) nodes.push(doc.createElement("br"));
  const spaced: Node[] = [];
  nodes.forEach((node, i) => {
    const chip = chipChar(node) !== null;
    if (chip && spaced.at(-1)?.nodeType !== Node.TEXT_NODE) spaced.push(doc.createTextNode(SPACER));
    spaced.push(node);
    if (chip && nodes[i + 1]?.nodeType !== Node.TEXT_NODE) spaced.push(doc.createTextNode(SPACER));
  });
  root.replaceChildren(...spaced);
}

/** Whether `root` holds only what `render` writes. */
export function isCanonical(root: HTMLElement): boolean {
  return [...root.childNodes].every(
    (n) => n.nodeType === Node.TEXT_NODE || n.nodeName === "BR" || chipChar(n) !== null,
  );
}

const BLOCKS = new Set(["DIV", "P", "LI"]);

function read(node: Node, allowed: Set<string> | null, out: { text: string }): void {
  if (node.nodeType === Node.TEXT_NODE) {
    // Typed or pasted text never poses as a code.
    out.text += strip(node.nodeValue ?? "").replaceAll(SPACER, "");
    return;
  }
  const char = chipChar(node);
  if (char !== null) {
    if (!allowed || allowed.has(char)) out.text += char;
    return;
  }
  if (node.nodeName === "BR") {
    out.text += "\n";
    return;
  }
  // A block the browser wrapped a line in starts a new line.
  if (BLOCKS.has(node.nodeName) && out.text !== "" && !out.text.endsWith("\n")) out.text += "\n";
  for (const child of node.childNodes) read(child, allowed, out);
}

/** The text `root` shows, codes as their characters. `allowed`: the code
 * characters kept (the segment's; others are dropped). */
export function serialize(root: Node, allowed: Set<string> | null = null): string {
  const out = { text: "" };
  for (const child of root.childNodes) read(child, allowed, out);
  // A last <br> is the browser's (or `render`'s) filler, not a line.
  let last = root.lastChild;
  while (last && last.nodeType === Node.TEXT_NODE && last.nodeValue === "") last = last.previousSibling;
  if (last?.nodeName === "BR") out.text = out.text.slice(0, -1);
  return out.text;
}

/** The text of `root` before a DOM position inside it. */
export function textBefore(root: HTMLElement, node: Node, offset: number): string {
  const range = root.ownerDocument.createRange();
  range.setStart(root, 0);
  range.setEnd(node, offset);
  const out = { text: "" };
  for (const child of range.cloneContents().childNodes) read(child, null, out);
  return out.text;
}

/** The offset in the text of `root` of a DOM position inside it. */
export function offsetOf(root: HTMLElement, node: Node, offset: number): number {
  return textBefore(root, node, offset).length;
}

/** The selection inside `root` as [start, end] offsets in its text (start
 * ≤ end), or null when the selection is elsewhere. */
export function selectionIn(root: HTMLElement): [number, number] | null {
  const selection = root.ownerDocument.getSelection();
  if (!selection || selection.rangeCount === 0) return null;
  const range = selection.getRangeAt(0);
  if (!root.contains(range.startContainer) || !root.contains(range.endContainer)) return null;
  return [offsetOf(root, range.startContainer, range.startOffset), offsetOf(root, range.endContainer, range.endOffset)];
}

/** Where in a text node's `data` the `left`-th character of its text
 * ends (after any spacer there), or null when it has fewer. */
function inText(data: string, left: number): number | null {
  let at = 0;
  for (let n = 0; ; n++, at++) {
    while (data[at] === SPACER) at++;
    if (n === left) return at;
    if (at >= data.length) return null;
  }
}

/** The DOM position of text offset `at` in a canonical `root`. */
export function position(root: HTMLElement, at: number): [Node, number] {
  let left = at;
  const children = [...root.childNodes];
  for (let i = 0; i < children.length; i++) {
    const child = children[i];
    if (child.nodeType === Node.TEXT_NODE) {
      const data = child.nodeValue ?? "";
      const offset = inText(data, left);
      if (offset !== null) return [child, offset];
      left -= data.replaceAll(SPACER, "").length;
    } else {
      if (left === 0) return [root, i];
      left -= 1;
    }
  }
  return [root, children.length];
}

/** Selects text offsets `start`…`end` of a canonical `root`. */
export function select(root: HTMLElement, start: number, end = start): void {
  const selection = root.ownerDocument.getSelection();
  if (!selection) return;
  const range = root.ownerDocument.createRange();
  range.setStart(...position(root, start));
  range.setEnd(...position(root, end));
  selection.removeAllRanges();
  selection.addRange(range);
}
