import { describe, expect, it } from "vitest";
import type { Finding, Segment } from "../types";
import type { EditorHost } from "./host";
import { QaController } from "./qa.svelte";

describe("QaController: F8", () => {
  const segments = [11, 12, 13].map((id) => ({ id }) as Segment);
  const finding = (segment: number): Finding => ({ segment, check: "numbers", message: "a number is missing" });

  it("goes to the next segment with findings, wrapping past the end", () => {
    const qa = new QaController({ segments } as unknown as EditorHost);
    qa.findings = { 11: [finding(11)], 13: [finding(13)] };
    expect(qa.nextFinding(null)).toBe(11);
    expect(qa.nextFinding(11)).toBe(13);
    expect(qa.nextFinding(13)).toBe(11);
    expect(qa.total).toBe(2);
  });

  it("stays put when no segment has findings", () => {
    const qa = new QaController({ segments } as unknown as EditorHost);
    qa.findings = { 12: [] };
    expect(qa.nextFinding(12)).toBeNull();
  });
});
