// The editor's completion, on the cases the engine runs too
// (tests/fixtures/predict/completions.json, src/predict/tests.rs).
import { describe, expect, it } from "vitest";
import shared from "../../../tests/fixtures/predict/completions.json";
import { complete, MAX_COMPLETIONS, prepare } from "./predict";
import type { Phrase, PhraseKind } from "./types";

type Pair = [string, PhraseKind];
const sets = shared.phrases as unknown as Record<string, Pair[]>;
const cases = shared.cases as unknown as { what: string; phrases: string; before: string; expect: Pair[] }[];

describe("complete", () => {
  it("reads every shared case", () => {
    expect(cases.length).toBeGreaterThanOrEqual(17);
  });

  it.each(cases)("$what: “$before”", ({ phrases, before, expect: expected }) => {
    const prepared = prepare(sets[phrases].map(([text, kind]): Phrase => ({ text, kind })));
    const got = complete(prepared, before);
    expect(got.map((c) => [c.text, c.kind])).toEqual(expected);
    expect(got.length).toBeLessThanOrEqual(MAX_COMPLETIONS);
  });
});
