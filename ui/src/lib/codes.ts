// Inline codes in a segment's text (a link, an emphasis, a line break of the
// original), as the engine writes them (src/text/codes.rs): each end of a
// code is one character of Unicode's private use area, U+E000 + id opening
// a paired code, U+E800 + id closing it, U+F000 + id standing alone. Being
// one character each, a code end is never half there, and string offsets
// stay offsets into the segment.

const OPEN = 0xe000;
const CLOSE = 0xe800;
const STANDALONE = 0xf000;
const END = 0xf800;

/** Every code character, for stripping them. */
const CODE_CHARS = /[\uE000-\uF7FF]/g;

export type MarkKind = "open" | "close" | "standalone";

/** What a code character stands for: which end of which code. */
export function markOf(c: string): { kind: MarkKind; id: number } | null {
  const n = c.charCodeAt(0);
  if (c.length !== 1 || n < OPEN || n >= END) return null;
  if (n < CLOSE) return { kind: "open", id: n - OPEN };
  if (n < STANDALONE) return { kind: "close", id: n - CLOSE };
  return { kind: "standalone", id: n - STANDALONE };
}

/** The character of one end of code `id`. */
export function markChar(kind: MarkKind, id: number): string {
  return String.fromCharCode((kind === "open" ? OPEN : kind === "close" ? CLOSE : STANDALONE) + id);
}

export function isCode(c: string): boolean {
  return markOf(c) !== null;
}

/** The text without its codes: what is read, searched and copied out. */
export function strip(text: string): string {
  return text.replace(CODE_CHARS, "");
}

/** The code characters of `text`, in order. */
export function marks(text: string): string[] {
  return text.match(CODE_CHARS) ?? [];
}

/** `text` with only the codes the Italian has: an English can never hold
 * a code that does not exist in its segment. */
export function keepCodes(text: string, source: string): string {
  const allowed = new Set(marks(source));
  return text.replace(CODE_CHARS, (c) => (allowed.has(c) ? c : ""));
}

/** An English after a code insertion, and where the caret goes. */
export interface Inserted {
  text: string;
  caret: number;
}

/** The first code end the Italian has and the English lacks, in the
 * Italian's order. */
export function nextMissing(source: string, target: string): string | null {
  const present = new Set(marks(target));
  return marks(source).find((c) => !present.has(c)) ?? null;
}

/** Puts the next code the English lacks at `start`…`end` (UTF-16 offsets).
 * With a selection and a paired code both of whose ends are missing, the
 * code wraps the selection; otherwise the one end replaces it. */
export function insertNextCode(source: string, target: string, start: number, end: number): Inserted | null {
  const next = nextMissing(source, target);
  if (next === null) return null;
  const mark = markOf(next)!;
  const close = markChar("close", mark.id);
  if (start < end && mark.kind === "open" && source.includes(close) && !target.includes(close)) {
    return {
      text: target.slice(0, start) + next + target.slice(start, end) + close + target.slice(end),
      caret: end + 2,
    };
  }
  return { text: target.slice(0, start) + next + target.slice(end), caret: start + 1 };
}

/** Puts every code the English still lacks at `at`, in the Italian's
 * order; the English's own text and codes stay as they are. */
export function insertAllCodes(source: string, target: string, at: number): Inserted | null {
  const present = new Set(marks(target));
  const missing = marks(source).filter((c) => !present.has(c)).join("");
  if (missing === "") return null;
  return { text: target.slice(0, at) + missing + target.slice(at), caret: at + missing.length };
}

/** Expands a replacement template ($&, $1, $<name>, $$, $`, $') for one
 * match, as String.prototype.replace would. */
function expand(template: string, match: RegExpExecArray, input: string): string {
  return template.replace(/\$(\$|&|`|'|\d{1,2}|<([^>]*)>)/g, (whole, token: string, name?: string) => {
    if (token === "$") return "$";
    if (token === "&") return match[0];
    if (token === "`") return input.slice(0, match.index);
    if (token === "'") return input.slice(match.index + match[0].length);
    if (name !== undefined) return match.groups?.[name] ?? "";
    const n = Number(token);
    return n > 0 && n < match.length ? (match[n] ?? "") : whole;
  });
}

/** Replaces every match of `pattern` (a global expression) in the text as
 * it reads, codes left out, so that a search sees "the <1>axis</1>" as
 * "the axis"; the codes inside a replaced span follow its replacement, so
 * no replacement ever removes a code. `literal`: the replacement is taken
 * as written, "$" included. */
export function replaceKeepingCodes(
  text: string,
  pattern: RegExp,
  replacement: string,
  literal: boolean,
): { text: string; count: number } {
  // Where each character of the plain text sits in `text`.
  const at: number[] = [];
  let plain = "";
  for (let i = 0; i < text.length; i++) {
    if (isCode(text[i])) continue;
    at.push(i);
    plain += text[i];
  }
  at.push(text.length);
  let out = "";
  let from = 0;
  let count = 0;
  pattern.lastIndex = 0;
  for (let m = pattern.exec(plain); m !== null; m = pattern.exec(plain)) {
    if (m[0] === "") {
      pattern.lastIndex++;
      continue;
    }
    const start = at[m.index];
    // The span ends after the match's last character, before any code.
    const end = at[m.index + m[0].length - 1] + 1;
    out += text.slice(from, start) + (literal ? replacement : expand(replacement, m, plain)) + marks(text.slice(start, end)).join("");
    from = end;
    count++;
  }
  return { text: out + text.slice(from), count };
}
