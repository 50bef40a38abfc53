// Where the keyboard's split cursor starts in an Italian, and how it moves:
// positions are characters of the text (a code counts as one), as the
// shell's split takes them.

/** Whether position `at` (between characters) starts a word. */
function wordStart(chars: string[], at: number): boolean {
  return at > 0 && at < chars.length && /\s/.test(chars[at - 1]) && !/\s/.test(chars[at]);
}

/** Where the cursor starts: after the first mark that may end a clause
 * ("Roma. Poi", "disse: «"), else at the word start nearest the middle;
 * null for a text of one word. */
export function firstSplit(text: string): number | null {
  const chars = Array.from(text);
  const starts: number[] = [];
  for (let at = 1; at < chars.length; at++) if (wordStart(chars, at)) starts.push(at);
  if (starts.length === 0) return null;
  const afterMark = starts.find((at) => /[.!?;:…»”"]/.test(chars.slice(0, at).join("").trimEnd().slice(-1)));
  if (afterMark !== undefined) return afterMark;
  const middle = chars.length / 2;
  return starts.reduce((best, at) => (Math.abs(at - middle) < Math.abs(best - middle) ? at : best));
}

/** The cursor moved one character, or one word with `byWord`, either way;
 * it never reaches either end, where a split would leave a part empty. */
export function moveSplit(text: string, at: number, forward: boolean, byWord: boolean): number {
  const chars = Array.from(text);
  const step = forward ? 1 : -1;
  let next = at + step;
  if (byWord) while (next > 0 && next < chars.length && !wordStart(chars, next)) next += step;
  return Math.min(Math.max(next, 1), chars.length - 1);
}
