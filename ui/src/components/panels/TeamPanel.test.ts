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
  const target = document.createElement("div");
  document.body.append(target);
  const component = mount(TeamPanel, { target, props: { onpulled } });
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
  return { backend, onpulled, target, component, $, join, cleanup: () => (unmount(component), backend.uninstall()) };
}

describe("TeamPanel", () => {
  let cleanup: (() => void) | undefined;
  afterEach(() => {
    cleanup?.();
    document.body.innerHTML = "";
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
    const round: TeamSynced = { status, pushed: 1, pulled: 0, conflicts: 0, error: null, retry_seconds: null };
    await emit("team-synced", round);
    await settle();
    expect(t.$("#team-status")?.textContent?.trim()).toBe("Synced just now");
    expect(t.onpulled).not.toHaveBeenCalled();
    await emit("team-synced", { ...round, pulled: 2 });
    await settle();
    expect(t.onpulled).toHaveBeenCalledTimes(1);
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
    t.backend.team.status!.outbox = 2;
    await emit("team-synced", { status: t.backend.team.status, pushed: 0, pulled: 0, conflicts: 0, error: null, retry_seconds: null });
    await settle();
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
});
