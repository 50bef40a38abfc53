import { flushSync, mount, unmount } from "svelte";
import { describe, expect, it, vi } from "vitest";
import Shortcuts from "./Shortcuts.svelte";

// The shared dialog, through the smallest component that uses it.
describe("Dialog", () => {
  function open() {
    const onclose = vi.fn();
    const target = document.createElement("div");
    document.body.append(target);
    const component = mount(Shortcuts, { target, props: { onclose } });
    flushSync();
    const dialog = target.querySelector('[role="dialog"]') as HTMLElement;
    return { onclose, target, component, dialog };
  }

  it("is labelled by its title and closes on Escape", () => {
    const { onclose, component, dialog } = open();
    const title = document.getElementById(dialog.getAttribute("aria-labelledby")!);
    expect(title?.textContent).toBe("Keyboard shortcuts");
    window.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape" }));
    expect(onclose).toHaveBeenCalledTimes(1);
    unmount(component);
  });

  it("closes on a click beside the box, not on one inside it", () => {
    const { onclose, component, dialog } = open();
    dialog.querySelector("table")!.dispatchEvent(new MouseEvent("click", { bubbles: true }));
    dialog.dispatchEvent(new MouseEvent("click", { bubbles: true }));
    expect(onclose).not.toHaveBeenCalled();
    dialog.parentElement!.dispatchEvent(new MouseEvent("click", { bubbles: true }));
    expect(onclose).toHaveBeenCalledTimes(1);
    const close = [...dialog.querySelectorAll("button")].find((b) => b.textContent === "Close")!;
    close.click();
    expect(onclose).toHaveBeenCalledTimes(2);
    unmount(component);
  });
});
