import { flushSync, mount, unmount } from "svelte";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { DocumentSummary } from "../../lib/types";
import DocumentList from "./DocumentList.svelte";

const doc: DocumentSummary = {
  id: 7,
  name: "Putin va da Kim",
  format: "text",
  segments: 20,
  confirmed: 5,
  words: 400,
  progress: 25,
};

function setup(marks?: Map<number, { line: string; mine: boolean }>) {
  const ondelete = vi.fn();
  const target = document.createElement("div");
  document.body.append(target);
  const component = mount(DocumentList, {
    target,
    props: { documents: [doc], activeId: null, onopen: () => {}, ondelete, marks },
  });
  flushSync();
  const click = (selector: string) => {
    target.querySelector<HTMLButtonElement>(selector)!.click();
    flushSync();
  };
  const confirmation = () => target.querySelector("[aria-label='Confirm deletion']");
  return { target, component, ondelete, click, confirmation };
}

describe("DocumentList", () => {
  let cleanup: (() => void) | undefined;
  afterEach(() => {
    cleanup?.();
    document.body.innerHTML = "";
  });

  it("deletes a document only after asking in place", () => {
    const { component, ondelete, click, confirmation } = setup();
    cleanup = () => unmount(component);
    click("button.delete");
    expect(ondelete).not.toHaveBeenCalled();
    expect(confirmation()?.textContent).toContain("Delete “Putin va da Kim” and its translation?");
    click("[aria-label='Confirm deletion'] button.danger");
    expect(ondelete).toHaveBeenCalledWith(doc);
    expect(confirmation()).toBeNull();
  });

  it("keeps the document when the translator changes their mind", () => {
    const { component, ondelete, click, confirmation } = setup();
    cleanup = () => unmount(component);
    click("button.delete");
    click("[aria-label='Confirm deletion'] button:not(.danger)");
    expect(ondelete).not.toHaveBeenCalled();
    expect(confirmation()).toBeNull();
  });

  it("marks a document shared with the team with who holds it", () => {
    const plain = setup();
    expect(plain.target.querySelector(".shared")).toBeNull();
    unmount(plain.component);
    const { target, component } = setup(new Map([[7, { line: "Shared · you translate", mine: true }]]));
    cleanup = () => unmount(component);
    const mark = target.querySelector("button.open .shared");
    expect(mark?.textContent).toBe("Shared · you translate");
    expect(mark?.classList.contains("mine")).toBe(true);
  });
});
