import { describe, expect, it } from "vitest";
import type { Api } from "../api";
import type { Phrase } from "../types";
import type { EditorHost } from "./host";
import { PredictController } from "./predict.svelte";

/** A controller over a host whose active segment is `host.activeId`,
 * asking `predictPhrases` of the shell. */
function predictor(predictPhrases: Api["predictPhrases"]) {
  const host = { api: { predictPhrases }, docId: 1, activeId: 11 as number | null, selectionRound: 1, error: null };
  return { host, controller: new PredictController(host as unknown as EditorHost) };
}

const PHRASES: Phrase[] = [
  { text: "North Korea", kind: "glossary" },
  { text: "Putin goes to Kim.", kind: "tm" },
];

describe("PredictController", () => {
  it("asks for a segment's phrases once, and again when its suggestions change", async () => {
    const asked: [number, string[], string[]][] = [];
    const { controller } = predictor(async (_doc, segment, tm, mt) => {
      asked.push([segment, tm, mt]);
      return PHRASES;
    });
    await controller.refresh(["Putin goes to Kim."], []);
    await controller.refresh(["Putin goes to Kim."], []);
    expect(asked).toHaveLength(1);
    await controller.refresh(["Putin goes to Kim."], ["Putin visits Kim."]);
    expect(asked).toEqual([
      [11, ["Putin goes to Kim."], []],
      [11, ["Putin goes to Kim."], ["Putin visits Kim."]],
    ]);
  });

  it("completes only the segment its phrases belong to", async () => {
    const { controller } = predictor(async () => PHRASES);
    await controller.refresh([], []);
    expect(controller.complete(11, "Putin goes to No")).toEqual([{ text: "rth Korea", kind: "glossary" }]);
    expect(controller.complete(11, "Putin g")).toEqual([{ text: "oes to Kim.", kind: "tm" }]);
    expect(controller.complete(12, "Putin goes to No")).toEqual([]);
  });

  it("drops an answer for a segment no longer active", async () => {
    let answer: (phrases: Phrase[]) => void = () => {};
    const { host, controller } = predictor(() => new Promise((resolve) => (answer = resolve)));
    const asking = controller.refresh([], []);
    host.activeId = 12;
    host.selectionRound = 2;
    answer(PHRASES);
    await asking;
    expect(controller.complete(11, "Putin goes to No")).toEqual([]);
  });

  it("says why when the phrases cannot be had", async () => {
    const { host, controller } = predictor(async () => {
      throw { code: "store", message: "the workspace is locked" };
    });
    await controller.refresh([], []);
    expect(host.error).toBe("the workspace is locked");
    expect(controller.complete(11, "Putin g")).toEqual([]);
  });
});
