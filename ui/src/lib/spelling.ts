// Spelling in the English field: which misspelt word a click or the
// keyboard means, and the text once a suggestion replaces it. Offsets are
// the UI's (UTF-16 units of the text with its codes), as the shell sends.
import type { Misspelling } from "./types";

/** A segment's misspelt words and the English they were found in. */
export interface Checked {
  text: string;
  words: Misspelling[];
}

/** The misspelt word at `offset` (a click, the caret inside or just after
 * it), else for the keyboard the nearest one before it, else the first. */
export function wordAt(words: Misspelling[], offset: number, nearest = false): Misspelling | null {
  const at = words.find((w) => w.start <= offset && offset <= w.end);
  if (at || !nearest) return at ?? null;
  const before = words.filter((w) => w.end <= offset);
  return before[before.length - 1] ?? words[0] ?? null;
}

/** The English with `word` replaced by `suggestion`, and where the caret
 * goes (after it); null when the word is no longer there as it was. */
export function replaceWord(text: string, word: Misspelling, suggestion: string): { text: string; caret: number } | null {
  if (text.slice(word.start, word.end) !== word.word) return null;
  return { text: text.slice(0, word.start) + suggestion + text.slice(word.end), caret: word.start + suggestion.length };
}
