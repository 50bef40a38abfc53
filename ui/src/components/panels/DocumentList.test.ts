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

function setup() {
  const ondelete = vi.fn();
  const target = document.createElement("div");
  document.body.append(target);
  const component = mount(DocumentList, {
    target,
    props: { documents: [doc], activeId: null, onopen: () => {}, ondelete },
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
});
