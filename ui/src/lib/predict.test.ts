// The editor's completion, on the engine's cases (src/predict/tests.rs).
import { describe, expect, it } from "vitest";
import { complete as completePrepared, MAX_COMPLETIONS, prepare } from "./predict";
import type { Phrase, PhraseKind } from "./types";

const phrase = (text: string, kind: PhraseKind): Phrase => ({ text, kind });
const complete = (phrases: Phrase[], before: string) => completePrepared(prepare(phrases), before);

function check(phrases: Phrase[], before: string, expected: [string, PhraseKind][]) {
  expect(complete(phrases, before).map((c) => [c.text, c.kind])).toEqual(expected);
}

const sample = [
  phrase("prime minister", "glossary"),
  phrase("Sergio Mattarella", "name"),
  phrase("1,234.5", "number"),
  phrase("The prime minister met President Sergio Mattarella on Monday, sources said.", "tm"),
  phrase("The premier met the head of state on Monday.", "mt"),
];

describe("complete", () => {
  it("completes a word begun, glossary first, then the longest", () => {
    check(sample, "The pr", [
      ["ime minister", "glossary"],
      ["ime minister met President", "tm"],
      ["emier met the head", "mt"],
    ]);
  });

  it("completes a name and a number whole", () => {
    check(sample, "He met Ser", [
      ["gio Mattarella", "name"],
      ["gio Mattarella on Monday,", "tm"],
    ]);
    check(sample, "a total of 1", [[",234.5", "number"]]);
  });

  it("after a space, asks the words typed to agree", () => {
    check(sample, "The prime ", [
      ["minister", "glossary"],
      ["minister met President Sergio", "tm"],
    ]);
    check(sample, "Yesterday ", []);
    check(sample, "", []);
  });

  it("offers nothing for one letter alone", () => {
    check(sample, "p", []);
    check(sample, "the p", [
      ["rime minister met President", "tm"],
      ["remier met the head", "mt"],
    ]);
  });

  it("ignores case and typography and keeps the typed part", () => {
    const phrases = [phrase("Italy’s economy", "glossary")];
    check(phrases, "ITAL", [["y’s economy", "glossary"]]);
    check(phrases, "italy's ", [["economy", "glossary"]]);
    check(phrases, "“Ita", [["ly’s economy", "glossary"]]);
  });

  it("offers a sentence up to the end of a clause", () => {
    const phrases = [phrase("On Monday, sources said the talks failed.", "tm")];
    check(phrases, "On Mon", [["day,", "tm"]]);
    check(phrases, "sources said ", [["the talks failed.", "tm"]]);
  });

  it("offers nothing for a word typed whole or a letter short", () => {
    const phrases = [phrase("Milan", "name"), phrase("Milano", "tm")];
    check(phrases, "Milan", []);
    check(phrases, "Mila", [["no", "tm"]]);
  });

  it("offers each text once, five at most", () => {
    const phrases = [...Array.from({ length: 8 }, (_, n) => phrase(`economy ${n}`, "tm")), phrase("economy 0", "mt")];
    const got = complete(phrases, "eco");
    expect(got).toHaveLength(MAX_COMPLETIONS);
    expect(got[0].text).toBe("nomy 0");
    expect(got.every((c) => c.kind === "tm")).toBe(true);
  });

  it("parts words at inline codes", () => {
    check(sample, "the \uE000Pr", [
      ["ime minister", "glossary"],
      ["ime minister met President", "tm"],
      ["emier met the head", "mt"],
    ]);
  });
});
