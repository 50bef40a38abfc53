import { describe, expect, it } from "vitest";
import { insertAllCodes, insertNextCode, keepCodes, markChar, markOf, marks, nextMissing, replaceKeepingCodes, strip } from "./codes";

// Code 0 is a link (paired), code 3 a line break (standalone).
const o = markChar("open", 0);
const c = markChar("close", 0);
const br = markChar("standalone", 3);
const source = `Leggi ${o}l’articolo${c} qui.${br}`;

describe("code characters", () => {
  it("are the engine's: U+E000 + id opens, U+E800 + id closes, U+F000 + id stands alone", () => {
    expect([o, c, br]).toEqual(["\uE000", "\uE800", "\uF003"]);
    expect(markOf("\uE805")).toEqual({ kind: "close", id: 5 });
    expect(markOf("a")).toBeNull();
    expect(markOf("\uF800")).toBeNull();
    expect(strip(source)).toBe("Leggi l’articolo qui.");
    expect(marks(source)).toEqual([o, c, br]);
  });

  it("keeps only the codes the Italian has", () => {
    expect(keepCodes(`a${o}b${markChar("open", 7)}c${c}`, source)).toBe(`a${o}bc${c}`);
  });
});

describe("inserting codes", () => {
  it("finds the next code the English lacks in the Italian's order", () => {
    expect(nextMissing(source, "")).toBe(o);
    expect(nextMissing(source, `Read ${o}it`)).toBe(c);
    expect(nextMissing(source, `${br}Read`)).toBe(o);
    expect(nextMissing(source, `${o}a${c}${br}`)).toBeNull();
  });

  it("puts the next code at the caret, or around the selection", () => {
    expect(insertNextCode(source, "Read it", 5, 5)).toEqual({ text: `Read ${o}it`, caret: 6 });
    expect(insertNextCode(source, "Read the article here.", 5, 16)).toEqual({
      text: `Read ${o}the article${c} here.`,
      caret: 18,
    });
    // The opening is there: the closing replaces the selection.
    expect(insertNextCode(source, `Read ${o}it now`, 8, 12)).toEqual({ text: `Read ${o}it${c}`, caret: 9 });
    expect(insertNextCode(source, `${o}a${c}${br}`, 0, 0)).toBeNull();
  });

  it("puts every missing code at the caret, never twice", () => {
    expect(insertAllCodes(source, "Read", 4)).toEqual({ text: `Read${o}${c}${br}`, caret: 7 });
    expect(insertAllCodes(source, `${o}Read${c}`, 0)).toEqual({ text: `${br}${o}Read${c}`, caret: 1 });
    expect(insertAllCodes(source, `${o}a${c}${br}`, 0)).toBeNull();
  });
});

describe("replacing around codes", () => {
  const english = `Read ${o}the article${c} here.`;

  it("finds text across codes and keeps the codes of a replaced span", () => {
    expect(replaceKeepingCodes(english, /the article here/gu, "it", true)).toEqual({ text: `Read ${o}it${c}.`, count: 1 });
    expect(replaceKeepingCodes(english, /article/gu, "story", true).text).toBe(`Read ${o}the story${c} here.`);
    // Everything replaced: the codes stay.
    expect(replaceKeepingCodes(english, /.+/gu, "x", false).text).toBe(`x${o}${c}`);
  });

  it("expands a replacement template as String.replace does", () => {
    expect(replaceKeepingCodes("Kim met Putin", /(\w+) met (\w+)/gu, "$2 met $1 ($$, $&)", false).text).toBe(
      "Putin met Kim ($, Kim met Putin)",
    );
    expect(replaceKeepingCodes("a1", /(?<d>\d)/gu, "<$<d>>", false).text).toBe("a<1>");
    expect(replaceKeepingCodes("a$1", /a/gu, "$1", true).text).toBe("$1$1");
    expect(replaceKeepingCodes("abc", /x*/gu, "-", false)).toEqual({ text: "abc", count: 0 });
  });
});
