// Predictive typing: what may follow the English typed so far, from the
// phrases the engine found for the segment (its glossary terms' English,
// names and numbers the English way, the TM matches' and MT suggestion's
// English). The rules are the engine's (src/predict/mod.rs), run here so a
// keystroke needs no call to the shell; both run the cases of
// tests/fixtures/predict/completions.json.
import { isCode } from "./codes";
import type { Phrase, PhraseKind } from "./types";

export interface Completion {
  /** The characters to insert at the caret. */
  text: string;
  kind: PhraseKind;
}

/** Completions are ranked by where they come from, in this order. */
const KIND_ORDER: PhraseKind[] = ["glossary", "name", "number", "tm", "mt"];
/** How many words after the one being typed a sentence's completion offers. */
const SENTENCE_WORDS = 3;
/** Characters of a word typed before it is completed without the words
 * before it agreeing (a digit is enough for a number). */
const MIN_TYPED = 2;
export const MAX_COMPLETIONS = 5;

interface Word {
  text: string;
  start: number;
  folded: string;
}

/** A phrase cut into words once, so a keystroke only compares. */
export interface Prepared {
  phrase: Phrase;
  words: Word[];
}

/** Cuts the phrases into words, for [`complete`]. */
export function prepare(phrases: Phrase[]): Prepared[] {
  return phrases.map((phrase) => ({ phrase, words: words(phrase.text) }));
}

/** A word compared without case or the typographic variants the engine
 * folds (src/text/mod.rs). */
function fold(word: string): string {
  return word
    .replace(/[\u2019\u2018\u02BC\u201A\u201B]/g, "'")
    .replace(/[\u201C\u201D\u201E\u201F«»]/g, '"')
    .replace(/[\u2010-\u2015]/g, "-")
    .replace(/[\u00A0\u2007\u202F]/g, " ")
    .toLowerCase();
}

function apart(c: string): boolean {
  return /\s/.test(c) || isCode(c);
}

/** The words of `text`: runs between white space and inline codes, with
 * their offsets (UTF-16, as strings index). */
function words(text: string): Word[] {
  const found: Word[] = [];
  let start = -1;
  for (let at = 0; at <= text.length; at++) {
    const isApart = at === text.length || apart(text[at]);
    if (!isApart && start < 0) start = at;
    else if (isApart && start >= 0) {
      const word = text.slice(start, at);
      found.push({ text: word, start, folded: fold(word) });
      start = -1;
    }
  }
  return found;
}

function endsClause(word: string): boolean {
  return /[,;:.!?)]$/.test(word);
}

function chars(text: string): number {
  return Array.from(text).length;
}

/** The offset in `word` after its first `n` characters. */
function afterChars(word: string, n: number): number {
  let at = 0;
  for (const c of Array.from(word).slice(0, n)) at += c.length;
  return at;
}

function isSentence(kind: PhraseKind): boolean {
  return kind === "tm" || kind === "mt";
}

/** The completions of the English before the caret, best first: where the
 * word being typed begins a word of a phrase (or, after a space, where the
 * words typed last are its words), the rest of that word and what follows
 * it — a whole term, name or number, a few words of a sentence. Glossary
 * first, then names, numbers, TM and MT; within a kind, the one agreeing
 * with more of the words before, then the longest. */
export function complete(phrases: Prepared[], before: string): Completion[] {
  const typed = words(before);
  const endsApart = before === "" || apart(before[before.length - 1]);
  const earlier = endsApart ? typed : typed.slice(0, -1);
  // An opening quote or bracket is not part of the word being typed.
  const partial = endsApart ? "" : typed[typed.length - 1].text.replace(/^[^\p{L}\p{N}]+/u, "");
  const partialFolded = fold(partial);
  const nPartial = chars(partial);
  const ranked: { kind: number; agreeing: number; length: number; text: string; phrase: PhraseKind }[] = [];
  for (const { phrase, words: phraseWords } of phrases) {
    let best: { agreeing: number; text: string } | null = null;
    phraseWords.forEach((word, i) => {
      if (!word.folded.startsWith(partialFolded)) return;
      let agreeing = 0;
      for (let k = 1; k <= Math.min(i, earlier.length); k++) {
        if (earlier[earlier.length - k].folded !== phraseWords[i - k].folded) break;
        agreeing++;
      }
      const digit = /^[0-9]/.test(partial);
      if (agreeing === 0 && !(nPartial > 0 && (nPartial >= MIN_TYPED || digit))) return;
      const start = word.start + afterChars(word.text, nPartial);
      let end = phrase.text.length;
      if (isSentence(phrase.kind)) {
        let last = Math.min(i + SENTENCE_WORDS, phraseWords.length - 1);
        for (let k = i; k <= Math.min(i + SENTENCE_WORDS, phraseWords.length - 1); k++) {
          if (endsClause(phraseWords[k].text)) {
            last = k;
            break;
          }
        }
        end = phraseWords[last].start + phraseWords[last].text.length;
      }
      const text = phrase.text.slice(start, end);
      // A completion adds at least two characters: one is no help.
      if (chars(text) < 2) return;
      if (best === null || agreeing > best.agreeing) best = { agreeing, text };
    });
    if (best !== null) {
      const { agreeing, text } = best;
      ranked.push({ kind: KIND_ORDER.indexOf(phrase.kind), agreeing, length: chars(text), text, phrase: phrase.kind });
    }
  }
  ranked.sort((a, b) => a.kind - b.kind || b.agreeing - a.agreeing || b.length - a.length);
  const completions: Completion[] = [];
  for (const r of ranked) {
    if (completions.length === MAX_COMPLETIONS) break;
    if (!completions.some((c) => c.text === r.text)) completions.push({ text: r.text, kind: r.phrase });
  }
  return completions;
}
