// Counts written with their noun in the right number: "1 entry",
// "2 entries", "1,204 units".

/** `n` (with thousands separators) and `singular`, or `plural` unless `n` is 1. */
export function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n.toLocaleString("en")} ${n === 1 ? singular : plural}`;
}
