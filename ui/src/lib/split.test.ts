import { describe, expect, it } from "vitest";
import { firstSplit, moveSplit } from "./split";

describe("the keyboard's split cursor", () => {
  it("starts after the first clause, else at the word nearest the middle", () => {
    expect(firstSplit("Putin va da Kim. Poi torna a Mosca.")).toBe(17);
    expect(firstSplit("Il ministro ha detto: «Andremo avanti»")).toBe(22);
    expect(firstSplit("uno due tre quattro")).toBe(8);
    expect(firstSplit("Mosca")).toBeNull();
  });

  it("moves by character or by word and never reaches either end", () => {
    const text = "Putin va da Kim.";
    expect(moveSplit(text, 6, true, false)).toBe(7);
    expect(moveSplit(text, 6, false, false)).toBe(5);
    expect(moveSplit(text, 6, true, true)).toBe(9);
    expect(moveSplit(text, 9, false, true)).toBe(6);
    expect(moveSplit(text, 6, false, true)).toBe(1);
    expect(moveSplit(text, 12, true, true)).toBe(15);
    expect(moveSplit(text, 1, false, false)).toBe(1);
  });
});
