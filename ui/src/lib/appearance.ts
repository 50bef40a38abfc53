// What the settings change in how the window looks: the colour theme, the
// zoom and the font of the segments' text. Applied to the page at once.

export type ThemeChoice = "system" | "light" | "dark";

/** The zoom steps Ctrl+= and Ctrl+- go through, in percent, as browsers' are. */
export const ZOOM_STEPS = [50, 67, 75, 80, 90, 100, 110, 125, 150, 175, 200, 250, 300] as const;
export const ZOOM_DEFAULT = 100;

/** The next step from `zoom` up (`+1`) or down (`-1`); the end steps stay. */
export function stepZoom(zoom: number, direction: 1 | -1): number {
  if (direction > 0) return ZOOM_STEPS.find((z) => z > zoom) ?? ZOOM_STEPS[ZOOM_STEPS.length - 1];
  return [...ZOOM_STEPS].reverse().find((z) => z < zoom) ?? ZOOM_STEPS[0];
}

/** The theme shown for a choice, "system" following the system's. */
export function resolveTheme(choice: ThemeChoice, systemDark: boolean): "light" | "dark" {
  if (choice === "system") return systemDark ? "dark" : "light";
  return choice;
}

export interface Appearance {
  theme: ThemeChoice;
  /** Percent. */
  zoom: number;
  /** Of the Italian and English text; empty: the app's own. */
  fontFamily: string;
  /** Of the Italian and English text, in pixels. */
  fontSize: number;
}

/** The query a system dark theme answers. */
export const DARK_QUERY = "(prefers-color-scheme: dark)";

/** Sets `appearance` on the page: theme and text font as CSS, the zoom as the window's own. */
export function applyAppearance(appearance: Appearance, root: HTMLElement = document.documentElement): void {
  const systemDark = typeof matchMedia === "function" && matchMedia(DARK_QUERY).matches;
  const theme = resolveTheme(appearance.theme, systemDark);
  root.dataset.theme = theme;
  root.style.colorScheme = theme;
  if (appearance.fontFamily.trim()) root.style.setProperty("--text-font", fontStack(appearance.fontFamily));
  else root.style.removeProperty("--text-font");
  root.style.setProperty("--text-size", `${appearance.fontSize}px`);
  void applyZoom(appearance.zoom, root);
}

/** The settings' CSS font list, falling back on the app's fonts for what it lacks. */
export function fontStack(family: string): string {
  return `${family.trim()}, "Noto Sans", "DejaVu Sans", sans-serif`;
}

/** The window's page zoom, as Ctrl+= in a browser: the layout reflows to the narrower page. */
async function applyZoom(zoom: number, root: HTMLElement): Promise<void> {
  root.dataset.zoom = String(zoom);
  if ("__TAURI_INTERNALS__" in window) {
    try {
      const { getCurrentWebview } = await import("@tauri-apps/api/webview");
      await getCurrentWebview().setZoom(zoom / 100);
      return;
    } catch {
      // No web view to zoom (a test's stand-in): CSS zoom does nearly as well.
    }
  }
  root.style.setProperty("zoom", String(zoom / 100));
}
