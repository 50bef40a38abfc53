// How the window is shared out: whether the documents sidebar and the
// panels beside the document are shown, how wide each is, and how the
// Italian and English columns split the document. Remembered on this
// machine (it depends on the screen, not on the workspace).

/** What is remembered. */
export interface LayoutState {
  sidebar: boolean;
  panels: boolean;
  /** Width of the documents sidebar, in CSS pixels; null: as wide as the window allows. */
  sidebarWidth: number | null;
  /** Width of the panels beside the document, in CSS pixels; null: as wide as the window allows. */
  panelWidth: number | null;
  /** The Italian column's share of the two text columns (the English has the rest). */
  sourceShare: number;
}

export const LAYOUT_KEY = "interlinea.layout";

export const LIMITS = {
  sidebarWidth: [170, 420],
  panelWidth: [220, 560],
  sourceShare: [0.25, 0.75],
} as const;

const DEFAULTS: LayoutState = {
  sidebar: true,
  panels: true,
  sidebarWidth: null,
  panelWidth: null,
  sourceShare: 0.5,
};

function clamp(value: number, [low, high]: readonly [number, number]): number {
  return Math.min(high, Math.max(low, value));
}

/** `saved` read back, every field checked: a damaged or older entry gives the defaults for what it lacks. */
export function parseLayout(saved: string | null): LayoutState {
  let raw: Record<string, unknown> = {};
  try {
    const parsed: unknown = saved ? JSON.parse(saved) : {};
    if (parsed && typeof parsed === "object") raw = parsed as Record<string, unknown>;
  } catch {
    // A damaged entry is forgotten.
  }
  const flag = (key: "sidebar" | "panels") => (typeof raw[key] === "boolean" ? (raw[key] as boolean) : DEFAULTS[key]);
  const size = (key: keyof typeof LIMITS) =>
    typeof raw[key] === "number" && Number.isFinite(raw[key]) ? clamp(raw[key] as number, LIMITS[key]) : null;
  return {
    sidebar: flag("sidebar"),
    panels: flag("panels"),
    sidebarWidth: size("sidebarWidth"),
    panelWidth: size("panelWidth"),
    sourceShare: size("sourceShare") ?? DEFAULTS.sourceShare,
  };
}

export class Layout {
  sidebar = $state(DEFAULTS.sidebar);
  panels = $state(DEFAULTS.panels);
  sidebarWidth = $state<number | null>(DEFAULTS.sidebarWidth);
  panelWidth = $state<number | null>(DEFAULTS.panelWidth);
  sourceShare = $state(DEFAULTS.sourceShare);
  private storage: Pick<Storage, "getItem" | "setItem"> | null;

  constructor(storage: Pick<Storage, "getItem" | "setItem"> | null) {
    this.storage = storage;
    Object.assign(this, parseLayout(storage?.getItem(LAYOUT_KEY) ?? null));
  }

  toggleSidebar(): void {
    this.sidebar = !this.sidebar;
    this.save();
  }

  togglePanels(): void {
    this.panels = !this.panels;
    this.save();
  }

  /** Sets a width or the split, kept within its limits. */
  resize(key: keyof typeof LIMITS, value: number): void {
    this[key] = clamp(value, LIMITS[key]);
    this.save();
  }

  private save(): void {
    const state: LayoutState = {
      sidebar: this.sidebar,
      panels: this.panels,
      sidebarWidth: this.sidebarWidth,
      panelWidth: this.panelWidth,
      sourceShare: this.sourceShare,
    };
    try {
      this.storage?.setItem(LAYOUT_KEY, JSON.stringify(state));
    } catch {
      // Storage full or refused: the layout holds for this session.
    }
  }
}

/** The window's layout, shared by the shell and the editor. */
export const layout = new Layout(typeof localStorage === "undefined" ? null : localStorage);
