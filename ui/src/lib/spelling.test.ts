import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "./api";
import { EditorController } from "./editor.svelte";
import { CHECK_DELAY_MS } from "./editor/spelling.svelte";
import { installFakeBackend, sampleView } from "./fake-backend";
import { replaceWord, wordAt } from "./spelling";
import type { Misspelling } from "./types";

const words: Misspelling[] = [
  { start: 4, end: 12, word: "expresed" },
  { start: 17, end: 27, word: "wilingness" },
];

describe("wordAt", () => {
  it("finds the word under a click, its ends included", () => {
    expect(wordAt(words, 4)?.word).toBe("expresed");
    expect(wordAt(words, 12)?.word).toBe("expresed");
    expect(wordAt(words, 20)?.word).toBe("wilingness");
    expect(wordAt(words, 14)).toBeNull();
  });

  it("for the keyboard, takes the nearest word before the caret, else the first", () => {
    expect(wordAt(words, 14, true)?.word).toBe("expresed");
    expect(wordAt(words, 40, true)?.word).toBe("wilingness");
    expect(wordAt(words, 0, true)?.word).toBe("expresed");
    expect(wordAt([], 3, true)).toBeNull();
  });
});

describe("replaceWord", () => {
  it("puts the suggestion in place of the word, the caret after it, codes kept", () => {
    const text = "He \uE000expresed\uE800 it";
    const word = { start: 4, end: 12, word: "expresed" };
    expect(replaceWord(text, word, "expressed")).toEqual({ text: "He \uE000expressed\uE800 it", caret: 13 });
  });

  it("refuses a word that is no longer where it was", () => {
    expect(replaceWord("He expressed it", { start: 3, end: 11, word: "expresed" }, "expressed")).toBeNull();
  });
});

describe("SpellingController", () => {
  let backend: ReturnType<typeof installFakeBackend>;

  beforeEach(() => {
    vi.useFakeTimers();
    backend = installFakeBackend(sampleView());
  });
  afterEach(() => {
    backend.uninstall();
    vi.useRealTimers();
  });

  const checks = () => backend.calls.filter((c) => c.cmd === "misspellings");

  it("checks only the segment that changed, once the typing pauses", async () => {
    const editor = new EditorController(api, 10_000);
    await editor.open(1);
    for (const text of ["He", "He expr", "He expresed it"]) {
      editor.edit(11, text);
      editor.spelling.request(11, text);
    }
    editor.spelling.request(12, editor.find(12)!.target);
    await vi.advanceTimersByTimeAsync(CHECK_DELAY_MS - 1);
    expect(checks()).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(checks().map((c) => c.args)).toEqual([{ docId: 1, english: "He expresed it" }]);
    expect(editor.spelling.wordsOf(11)).toEqual([{ start: 3, end: 11, word: "expresed" }]);
    // The same English is not asked about again.
    editor.spelling.request(11, "He expresed it");
    await vi.advanceTimersByTimeAsync(CHECK_DELAY_MS);
    expect(checks()).toHaveLength(1);
  });

  it("shows no answer for an English typed over since", async () => {
    const editor = new EditorController(api, 10_000);
    await editor.open(1);
    editor.edit(11, "He expresed it");
    editor.spelling.request(11, "He expresed it");
    await vi.advanceTimersByTimeAsync(CHECK_DELAY_MS);
    editor.edit(11, "He expresed it.");
    expect(editor.spelling.wordsOf(11)).toEqual([]);
  });

  it("checks every segment again after a word is added to the dictionary", async () => {
    const editor = new EditorController(api, 10_000);
    await editor.open(1);
    editor.edit(11, "He expresed it");
    editor.spelling.request(11, "He expresed it");
    await vi.advanceTimersByTimeAsync(CHECK_DELAY_MS);
    expect(editor.spelling.wordsOf(11)).toHaveLength(1);
    await editor.spelling.add("expresed");
    expect(backend.spellingWords.has("expresed")).toBe(true);
    await vi.advanceTimersByTimeAsync(CHECK_DELAY_MS);
    expect(editor.spelling.wordsOf(11)).toEqual([]);
    expect(await editor.spelling.suggestions("wilingness")).toEqual(["willingness"]);
  });
});
