import { describe, expect, it } from "vitest";
import type { Api } from "../api";
import type { Concordance } from "../types";
import type { EditorHost } from "./host";
import { MatchesController } from "./matches.svelte";

const HIT: Concordance = { source: "asse", target: "axis", tm: "Desk", source_hits: [[0, 4]], target_hits: [[0, 4]], unit: 7, editable: true };

describe("MatchesController: concordance", () => {
  function matches(concordance: Api["concordance"]) {
    return new MatchesController({ api: { concordance } } as unknown as EditorHost);
  }

  it("keeps the last hits when a search fails, and says why", async () => {
    let fail = false;
    const controller = matches(async () => {
      if (fail) throw { code: "io", message: "the TM is locked" };
      return [HIT];
    });
    controller.phrase = "asse";
    await controller.searchConcordance();
    expect(controller.concordance).toEqual([HIT]);
    fail = true;
    await controller.searchConcordance();
    expect(controller.concordance).toEqual([HIT]);
    expect(controller.concordanceError).toBe("the TM is locked");
  });

  it("clears the hits for an empty phrase without asking the TMs", async () => {
    let asked = 0;
    const controller = matches(async () => {
      asked += 1;
      return [HIT];
    });
    controller.phrase = "asse";
    await controller.searchConcordance();
    controller.phrase = "  ";
    await controller.searchConcordance();
    expect(controller.concordance).toBeNull();
    expect(asked).toBe(1);
  });
});
