import { flushSync, mount, tick, unmount } from "svelte";
import { afterEach, describe, expect, it, vi } from "vitest";
import { emit } from "@tauri-apps/api/event";
import { installFakeBackend, sampleView } from "../../lib/fake-backend";
import SharedDocuments from "./SharedDocuments.svelte";

async function settle() {
  for (let i = 0; i < 6; i++) await tick();
  await new Promise((r) => setTimeout(r, 0));
  flushSync();
}

function setup(role: string) {
  const backend = installFakeBackend(sampleView());
  backend.team.status = { url: "https://desk.example.org", user: "giulia", team: "esteri", tm: "Team: esteri", glossary: "Team: esteri", synced_at: null, last_error: null, offline: false, outbox: 0, units: 0, conflicts: 0, rejected: [] };
  backend.team.role = role;
  const onopen = vi.fn();
  const onfetched = vi.fn();
  const onteammates = vi.fn();
  const target = document.createElement("div");
  document.body.append(target);
  const component = mount(SharedDocuments, { target, props: { documents: [backend.view.document], onopen, onfetched, onteammates } });
  const $ = <T extends Element = HTMLElement>(css: string) => target.querySelector<T>(css);
  const button = (text: string) =>
    [...target.querySelectorAll<HTMLButtonElement>("button")].find((b) => b.textContent?.trim() === text);
  return { backend, onopen, onfetched, onteammates, target, $, button, cleanup: () => (unmount(component), backend.uninstall()) };
}

describe("SharedDocuments", () => {
  let cleanup: (() => void) | undefined;
  afterEach(() => {
    cleanup?.();
    document.body.innerHTML = "";
  });

  it("lets an editor share an article and assign it, and the list says who holds it", async () => {
    const t = setup("editor");
    cleanup = t.cleanup;
    await settle();
    expect(t.target.textContent).toContain("No shared documents yet.");
    t.$<HTMLFormElement>("form[aria-label='Share with team']")!.requestSubmit();
    await settle();
    expect(t.backend.team.documents.map((d) => d.document)).toEqual([t.backend.view.document.id]);
    expect(t.target.textContent).toContain("is shared with the team");
    // Shared documents are not offered for sharing again.
    expect(t.$("form[aria-label='Share with team']")).toBeNull();
    // The next round of the sync brings it back from the server.
    Object.assign(t.backend.team.documents[0], { id: "3c0d", shared: true });
    // A round that pulled only teammates' TM units leaves the open document be.
    await emit("team-synced", { status: t.backend.team.status, pushed: 1, pulled: 1, documents: 0, conflicts: 0, error: null, retry_seconds: null });
    await settle();
    expect(t.$("[data-shared-id='3c0d'] .holder")!.textContent).toBe("No one holds it");
    expect(t.onteammates).not.toHaveBeenCalled();
    await emit("team-synced", { status: t.backend.team.status, pushed: 0, pulled: 1, documents: 1, conflicts: 0, error: null, retry_seconds: null });
    await settle();
    // Teammates' changes to documents name the shared documents here.
    expect(t.onteammates).toHaveBeenCalledWith([t.backend.view.document.id]);
    const opener = t.button("Assign…")!;
    // Each item's buttons are named for it, not alike.
    expect(opener.getAttribute("aria-label")).toBe(`Assign ${t.backend.team.documents[0].name}…`);
    expect(t.button("Open")!.getAttribute("aria-label")).toBe(`Open ${t.backend.team.documents[0].name}`);
    opener.click();
    flushSync();
    const form = t.$<HTMLFormElement>("form[aria-label^='Assign']")!;
    const user = form.querySelector<HTMLInputElement>("input[name='user']")!;
    user.value = "ben";
    user.dispatchEvent(new Event("input", { bubbles: true }));
    const step = form.querySelector<HTMLSelectElement>("select[name='step']")!;
    step.value = "review";
    step.dispatchEvent(new Event("change", { bubbles: true }));
    form.querySelector<HTMLButtonElement>("button[type='submit']")!.focus();
    form.requestSubmit();
    await settle();
    expect(t.backend.team.documents[0]).toMatchObject({ holder: "ben", step: "review", live: true });
    // The form is gone: the focus is back on the button that opened it.
    expect(document.activeElement).toBe(t.button("Assign…"));
    const held = t.$("[data-shared-id='3c0d'] .holder")!.textContent!;
    expect(held).toMatch(/^Held by ben · review · until \d\d:\d\d$/);
    t.button("Release")!.click();
    await settle();
    expect(t.$("[data-shared-id='3c0d'] .holder")!.textContent).toBe("No one holds it");
  });

  it("shows a translator who holds what, gets a copy, and lists refused saves", async () => {
    const t = setup("translator");
    cleanup = t.cleanup;
    t.backend.team.documents.push({ id: "9e77", name: "Crisi di governo", segments: 2, shared: true, holder: "giulia", step: "translate", lease_until: "2999-01-01T12:00:00Z", live: true, mine: true, document: null });
    t.backend.team.kept.push({ id: 4, reason: "not_holder", author: "giulia", target: "The cabinet falls.", status: "translated", document: 1, segment: 10, place: 2 });
    await settle();
    expect(t.$("[data-shared-id='9e77'] .holder")!.textContent).toBe("Held by you · translate · until 2999-01-01");
    // No managing for a translator.
    expect(t.button("Assign…")).toBeUndefined();
    expect(t.$("form[aria-label='Share with team']")).toBeNull();
    t.button("Get a copy")!.click();
    await settle();
    expect(t.onfetched).toHaveBeenCalledWith(t.backend.view.document.id);
    t.button("Open")!.click();
    expect(t.onopen).toHaveBeenCalledWith(t.backend.view.document.id);
    expect(t.target.textContent).toContain("1 save kept aside");
    expect(t.$("[data-kept-id='4']")!.textContent).toContain("Your save refused: you no longer hold the document");
    expect(t.$("[data-kept-id='4'] q")!.textContent).toBe("The cabinet falls.");
    // It names its segment, and going to it opens the document there.
    const name = t.backend.view.document.name;
    expect(t.$("[data-kept-id='4'] .where")!.textContent).toBe(`Segment 2 of “${name}”`);
    t.button("Go to the document")!.click();
    expect(t.onopen).toHaveBeenLastCalledWith(1, 10);
    // One's own refused save cannot be taken, only dismissed.
    expect(t.button("Use giulia’s English")).toBeUndefined();
    t.button("Dismiss")!.click();
    await settle();
    expect(t.backend.team.kept).toEqual([]);
    expect(t.$("[data-kept-id='4']")).toBeNull();
    // A teammate's, kept aside over English edited here, can be taken.
    t.backend.team.kept.push({ id: 5, reason: "edited_here", author: "ben", target: "Rain.", status: "translated", document: 1, segment: 11, place: 3 });
    await emit("team-synced", { status: t.backend.team.status, pushed: 0, pulled: 1, documents: 1, conflicts: 1, error: null, retry_seconds: null });
    await settle();
    expect(t.$("[data-kept-id='5']")!.textContent).toContain("ben’s English, kept aside: yours was edited here");
    t.button("Use ben’s English")!.click();
    await settle();
    expect(t.backend.calls.some((c) => c.cmd === "take_segment_conflict" && c.args.id === 5)).toBe(true);
    expect(t.onteammates).toHaveBeenLastCalledWith([1]);
    expect(t.$("[data-kept-id='5']")).toBeNull();
    expect(t.target.textContent).toContain("ben’s English is in the segment now.");
  });

  it("shows nothing in a workspace that joined no team", async () => {
    const backend = installFakeBackend(sampleView());
    const target = document.createElement("div");
    document.body.append(target);
    const component = mount(SharedDocuments, { target, props: { documents: [], onopen: () => {}, onfetched: () => {} } });
    cleanup = () => (unmount(component), backend.uninstall());
    await settle();
    expect(target.querySelector("#shared-documents")).toBeNull();
  });
});
