import { describe, expect, it } from "vitest";
import { count } from "./plural";

describe("count", () => {
  it("writes one in the singular and any other number in the plural", () => {
    expect(count(1, "entry", "entries")).toBe("1 entry");
    expect(count(0, "entry", "entries")).toBe("0 entries");
    expect(count(2, "segment")).toBe("2 segments");
    expect(count(1, "segment")).toBe("1 segment");
  });

  it("separates thousands", () => {
    expect(count(1204, "unit")).toBe("1,204 units");
  });
});
