import { flushSync, mount, tick, unmount } from "svelte";
import { afterEach, describe, expect, it, vi } from "vitest";
import { emit } from "@tauri-apps/api/event";
import { installFakeBackend, sampleView } from "../../lib/fake-backend";
import type { TeamSynced } from "../../lib/bindings";
import TeamPanel from "./TeamPanel.svelte";

async function settle() {
  for (let i = 0; i < 6; i++) await tick();
  await new Promise((r) => setTimeout(r, 0));
  flushSync();
}

function setup() {
  const backend = installFakeBackend(sampleView());
  const onpulled = vi.fn();
  const onsummary = vi.fn();
  const target = document.createElement("div");
  document.body.append(target);
  const component = mount(TeamPanel, { target, props: { onpulled, onsummary } });
  const $ = <T extends Element = HTMLElement>(css: string) => target.querySelector<T>(css);
  const type = (css: string, value: string) => {
    const input = $<HTMLInputElement>(css)!;
    input.value = value;
    input.dispatchEvent(new Event("input", { bubbles: true }));
  };
  const join = async (token: string) => {
    $<HTMLButtonElement>("#join-team")?.click();
    await settle();
    type("#team-url", "https://desk.example.org");
    type("#team-user", "giulia");
    type("#team-token", token);
    $<HTMLFormElement>("form[aria-label='Join a team']")!.requestSubmit();
    await settle();
  };
  return { backend, onpulled, onsummary, target, component, $, join, cleanup: () => (unmount(component), backend.uninstall()) };
}

describe("TeamPanel", () => {
  let cleanup: (() => void) | undefined;
  afterEach(() => {
    cleanup?.();
    document.body.innerHTML = "";
  });

  it("tells the sidebar's top line where the sync stands, and when it is in trouble", async () => {
    const t = setup();
    cleanup = t.cleanup;
    await settle();
    expect(t.onsummary).toHaveBeenLastCalledWith(null);
    await t.join("good-token");
    expect(t.onsummary).toHaveBeenLastCalledWith({ team: "esteri", line: "Syncing…", trouble: false });
    const status = { ...t.backend.team.status!, synced_at: Date.now(), offline: true, outbox: 2 };
    await emit("team-synced", { status, pushed: 0, pulled: 0, documents: 0, conflicts: 0, error: null, retry_seconds: 30 });
    await settle();
    expect(t.onsummary).toHaveBeenLastCalledWith({ team: "esteri", line: "Offline · 2 changes waiting", trouble: true });
  });

  it("refuses a wrong token with the server's reason and joins with the right one", async () => {
    const t = setup();
    cleanup = t.cleanup;
    await settle();
    await t.join("wrong");
    expect(t.target.textContent).toContain("the token was refused");
    expect(t.backend.team.status).toBeNull();
    const input = t.$<HTMLInputElement>("#team-token")!;
    input.value = "good-token";
    input.dispatchEvent(new Event("input", { bubbles: true }));
    t.$<HTMLFormElement>("form[aria-label='Join a team']")!.requestSubmit();
    await settle();
    expect(t.backend.team.status?.user).toBe("giulia");
    expect(t.$("#team-status")?.textContent?.trim()).toBe("Syncing…");
    expect(t.target.textContent).toContain("esteri");
  });

  it("shows each round of the background sync and tells the editor when teammates' work arrived", async () => {
    const t = setup();
    cleanup = t.cleanup;
    await settle();
    await t.join("good-token");
    const status = { ...t.backend.team.status!, synced_at: Date.now(), units: 3 };
    const round: TeamSynced = { status, pushed: 1, pulled: 0, documents: 0, conflicts: 0, error: null, retry_seconds: null };
    await emit("team-synced", round);
    await settle();
    expect(t.$("#team-status")?.textContent?.trim()).toBe("Synced just now");
    expect(t.onpulled).not.toHaveBeenCalled();
    await emit("team-synced", { ...round, pulled: 2 });
    await settle();
    expect(t.onpulled).toHaveBeenCalledTimes(1);
    await emit("team-synced", { ...round, status: null, error: "database is locked" });
    await settle();
    expect(t.$("#team-status")?.textContent?.trim()).toBe("Sync failed: database is locked");
    await emit("team-synced", {
      ...round,
      status: { ...status, offline: true, outbox: 12 },
      error: "the team server at https://desk.example.org is out of reach",
      retry_seconds: 4,
    });
    await settle();
    expect(t.$("#team-status")?.textContent?.trim()).toBe("Offline · 12 changes waiting");
  });

  it("asks before leaving with changes not sent, and syncs when asked", async () => {
    const t = setup();
    cleanup = t.cleanup;
    await settle();
    await t.join("good-token");
    t.$<HTMLButtonElement>("#team-sync-now")!.click();
    await settle();
    expect(t.backend.team.nudges).toBe(1);
    // Confirmations made since the last round: the count is asked for again.
    t.backend.team.status!.outbox = 2;
    t.$<HTMLButtonElement>("#team-leave")!.click();
    await settle();
    expect(t.backend.team.status).not.toBeNull();
    expect(t.$("#team-leave")?.textContent).toBe("Leave, discarding 2 unsent");
    t.$<HTMLButtonElement>("#team-leave")!.click();
    await settle();
    expect(t.backend.team.status).toBeNull();
    expect(t.target.textContent).toContain("2 unsent changes discarded");
    expect(t.$("#join-team")).not.toBeNull();
  });

  it("asks before leaving with changes the server refused: leaving deletes them", async () => {
    const t = setup();
    cleanup = t.cleanup;
    await settle();
    await t.join("good-token");
    t.backend.team.status!.rejected = [{ op: "a", what: "a unit's deletion", reason: "refused" }];
    t.$<HTMLButtonElement>("#team-leave")!.click();
    await settle();
    expect(t.backend.team.status).not.toBeNull();
    expect(t.$("#team-leave")?.textContent).toBe("Leave, discarding 1 unsent");
    t.$<HTMLButtonElement>("#team-leave")!.click();
    await settle();
    expect(t.backend.team.status).toBeNull();
    expect(t.target.textContent).toContain("1 unsent change discarded");
  });

  it("lists the glossary conflicts beside the entry as it is now, and settles them", async () => {
    const t = setup();
    cleanup = t.cleanup;
    await settle();
    await t.join("good-token");
    t.backend.team.conflicts.push(
      { entry: "e1", won_seq: 7, lost: { italian: ["Farnesina"], english: ["Foreign Ministry"], note: null }, current: { italian: ["Farnesina"], english: ["the Farnesina"], note: null } },
      { entry: "e2", won_seq: 9, lost: null, current: { italian: ["Quirinale"], english: ["the Quirinal"], note: null } },
    );
    t.backend.team.status!.conflicts = 2;
    await emit("team-synced", { status: t.backend.team.status, pushed: 0, pulled: 1, documents: 0, conflicts: 2, error: null, retry_seconds: null });
    await settle();
    t.$<HTMLButtonElement>("#team-conflicts")!.click();
    await settle();
    const items = () => [...t.target.querySelectorAll(".conflicts li")];
    expect(items().map((li) => li.textContent?.replace(/\s+/g, " ").trim())).toEqual([
      "Now Farnesina → the Farnesina Replaced Farnesina → Foreign Ministry Keep now Put replaced back",
      "Now Quirinale → the Quirinal Replaced deleted Keep now Delete again",
    ]);
    const button = (li: Element, text: string) => [...li.querySelectorAll("button")].find((b) => b.textContent === text)!;
    button(items()[0], "Put replaced back").click();
    await settle();
    expect(t.backend.team.restored).toEqual(["e1"]);
    expect(items()).toHaveLength(1);
    // Putting a deletion back deletes the entry for the whole team: asked twice.
    button(items()[0], "Delete again").click();
    await settle();
    expect(t.backend.team.restored).toEqual(["e1"]);
    button(items()[0], "Delete it for the whole team").click();
    await settle();
    expect(t.backend.team.restored).toEqual(["e1", "e2"]);
    expect(t.backend.team.conflicts).toEqual([]);
    expect(t.$("#team-conflicts")).toBeNull();
  });

  it("lists the changes the server refused with why, and drops one", async () => {
    const t = setup();
    cleanup = t.cleanup;
    await settle();
    await t.join("good-token");
    const rejected = [
      { op: "a", what: "unit: parola parola… → word", reason: "the team server answered 400 (bad_request): source holds 10499 characters" },
      { op: "b", what: "a unit's deletion", reason: "refused" },
    ];
    t.backend.team.status!.rejected = rejected;
    await emit("team-synced", { status: { ...t.backend.team.status!, synced_at: Date.now() }, pushed: 0, pulled: 0, documents: 0, conflicts: 0, error: null, retry_seconds: null } satisfies TeamSynced);
    await settle();
    const list = t.$("ul[aria-label='Changes the server refused']")!;
    expect(list.querySelectorAll("li")).toHaveLength(2);
    expect(list.textContent).toContain("10499 characters");
    expect(t.$("#team-status")?.textContent?.trim()).toBe("Synced just now · 2 changes refused");
    list.querySelector<HTMLButtonElement>("button[aria-label='Drop: unit: parola parola… → word']")!.click();
    await settle();
    expect(t.backend.team.status!.rejected.map((r) => r.op)).toEqual(["b"]);
    expect(t.$("ul[aria-label='Changes the server refused']")!.querySelectorAll("li")).toHaveLength(1);
  });

  it("sends a refused change again: it leaves the list for the outbox", async () => {
    const t = setup();
    cleanup = t.cleanup;
    await settle();
    await t.join("good-token");
    t.backend.team.status!.rejected = [
      { op: "a", what: "unit: piove → it rains", reason: "the team server answered 413 (unknown): <html>Request Entity Too Large</html>" },
      { op: "b", what: "a unit's deletion", reason: "refused" },
    ];
    await emit("team-synced", { status: { ...t.backend.team.status!, synced_at: Date.now() }, pushed: 0, pulled: 0, documents: 0, conflicts: 0, error: null, retry_seconds: null } satisfies TeamSynced);
    await settle();
    t.$<HTMLButtonElement>("button[aria-label='Send again: unit: piove → it rains']")!.click();
    await settle();
    expect(t.backend.calls.filter((c) => c.cmd === "team_retry_rejected").map((c) => c.args)).toEqual([{ op: "a" }]);
    expect(t.backend.team.status!.rejected.map((r) => r.op)).toEqual(["b"]);
    expect(t.backend.team.status!.outbox).toBe(1);
    expect(t.$("ul[aria-label='Changes the server refused']")!.querySelectorAll("li")).toHaveLength(1);
  });

  it("replaces the token: a wrong one is refused with the reason, the right one clears the error", async () => {
    const t = setup();
    cleanup = t.cleanup;
    await settle();
    await t.join("good-token");
    t.$<HTMLButtonElement>("#team-replace-token")!.click();
    await settle();
    const field = t.$<HTMLInputElement>("#team-new-token")!;
    expect(field.type).toBe("password");
    field.value = "stale";
    field.dispatchEvent(new Event("input", { bubbles: true }));
    t.$<HTMLFormElement>("form[aria-label='Replace the token']")!.requestSubmit();
    await settle();
    expect(t.target.textContent).toContain("the token was refused");
    field.value = "good-token";
    field.dispatchEvent(new Event("input", { bubbles: true }));
    t.$<HTMLFormElement>("form[aria-label='Replace the token']")!.requestSubmit();
    await settle();
    expect(t.target.textContent).toContain("Token replaced");
    expect(t.$("form[aria-label='Replace the token']")).toBeNull();
    expect(document.activeElement).toBe(t.$("#team-replace-token"));
    expect(t.backend.calls.some((c) => c.cmd === "team_replace_token")).toBe(true);
  });
});
