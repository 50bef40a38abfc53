import { describe, expect, it } from "vitest";
import type { TeamStatusDto } from "./bindings";
import { ago, syncLine } from "./team";

const base: TeamStatusDto = {
  url: "https://desk.example.org",
  user: "giulia",
  team: "esteri",
  tm: "team: esteri",
  glossary: "team: esteri",
  synced_at: 1_000_000,
  last_error: null,
  offline: false,
  outbox: 0,
  units: 10,
  conflicts: 0,
  rejected: [],
};

describe("the team's status line", () => {
  it("says how long ago the last sync was", () => {
    expect(ago(1_000_000, 1_002_000)).toBe("just now");
    expect(ago(1_000_000, 1_003_000 + 2_000)).toBe("5 s ago");
    expect(ago(0, 125_000)).toBe("2 min ago");
    expect(ago(0, 2 * 3_600_000 + 5)).toBe("2 h ago");
    expect(syncLine(base, 1_003_000 + 2_000)).toBe("Synced 5 s ago");
  });

  it("counts the changes waiting, offline or not", () => {
    expect(syncLine({ ...base, outbox: 12, offline: true }, 0)).toBe("Offline · 12 changes waiting");
    expect(syncLine({ ...base, offline: true }, 0)).toBe("Offline");
    expect(syncLine({ ...base, outbox: 1 }, 1_000_000)).toBe("Synced just now · 1 change waiting");
  });

  it("says why a sync failed, the round's reason first", () => {
    expect(syncLine({ ...base, last_error: "the token was refused" }, 0)).toBe("Sync failed: the token was refused");
    expect(syncLine({ ...base, last_error: "old" }, 0, "new")).toBe("Sync failed: new");
    expect(syncLine({ ...base, synced_at: null }, 0)).toBe("Syncing…");
  });

  it("counts the changes the server refused", () => {
    const refused = { op: "1", what: "unit: a → b", reason: "too long" };
    expect(syncLine({ ...base, rejected: [refused] }, 1_000_000)).toBe("Synced just now · 1 change refused");
    expect(syncLine({ ...base, outbox: 2, rejected: [refused, refused], offline: true }, 0)).toBe(
      "Offline · 2 changes waiting · 2 changes refused",
    );
  });
});
