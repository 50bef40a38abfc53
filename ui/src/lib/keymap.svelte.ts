// Every keyboard shortcut of the editor, in one table: the key handler, the
// F1 list and the welcome screen read it, and the settings screen changes
// the keys of those a translator may change.

/** A key press written the way the table writes keys: "Ctrl+Shift+S",
 * "F9", "Ctrl+Enter", "Alt+3". */
export type Chord = string;

export interface ActionInfo {
  /** Stable id, kept in the settings (`shortcuts`). */
  id: string;
  /** What it does, for the F1 list and the settings screen. */
  label: string;
  /** Default keys; the first is the one shown. */
  keys: Chord[];
  /** Keys shown for a family ("Ctrl+1 … 9") or a key that cannot change. */
  shown?: string;
  /** Whether the translator may give it another key. */
  fixed?: boolean;
  /** A few words for the footer and the welcome screen, which show the
   * actions that have them, in this order (the F1 list shows them all). */
  short?: string;
}

/** The editor's actions. `Ctrl+1…9` and `Alt+1…9` are families: the digit
 * picks the match or the term. */
export const ACTIONS: readonly ActionInfo[] = [
  {
    id: "confirm",
    label: "Confirm the segment and go to the next open one",
    keys: ["Ctrl+Enter"],
    short: "confirm and go to the next open segment",
  },
  { id: "previous-segment", label: "Previous segment", keys: ["Ctrl+ArrowUp"], short: "previous segment" },
  { id: "next-segment", label: "Next segment", keys: ["Ctrl+ArrowDown"], short: "next segment" },
  {
    id: "copy-source",
    label: "Copy the Italian into the English",
    keys: ["Ctrl+Shift+S", "Ctrl+Shift+C"],
    short: "copy the Italian",
  },
  {
    id: "insert-match",
    label: "Insert a translation-memory match",
    keys: [],
    shown: "Ctrl+1 … 9",
    fixed: true,
    short: "insert a TM match",
  },
  { id: "insert-mt", label: "Insert the machine translation", keys: ["Ctrl+M"], short: "insert machine translation" },
  {
    id: "insert-term",
    label: "Insert a glossary term; again: its next English",
    keys: [],
    shown: "Alt+1 … 9",
    fixed: true,
    short: "insert a glossary term",
  },
  {
    id: "next-code",
    label: "Insert the next code the English lacks (a link, an emphasis…), in the Italian's order; with text selected, a paired code goes around it",
    keys: ["F9"],
    short: "insert the next code",
  },
  {
    id: "all-codes",
    label: "Insert every code the English lacks at the cursor, in the Italian's order (codes already there stay)",
    keys: ["Ctrl+F9"],
  },
  {
    id: "take-completion",
    label: "Take the words offered after the cursor while typing (Esc or typing on leaves them)",
    keys: ["Tab"],
    fixed: true,
  },
  { id: "undo", label: "Undo (typing, confirmations, replacements)", keys: ["Ctrl+Z"], fixed: true },
  { id: "redo", label: "Redo", keys: ["Ctrl+Y", "Ctrl+Shift+Z"], fixed: true },
  { id: "find", label: "Find and replace; in Find, Enter / Shift+Enter: next / previous match", keys: ["Ctrl+F", "Ctrl+H"] },
  { id: "next-finding", label: "Next quality problem", keys: ["F8"] },
  { id: "spelling", label: "Spelling: suggestions for the misspelt word at the cursor (or the one before it)", keys: ["F7"] },
  { id: "approve", label: "Approve the segment and go to the next one not approved", keys: ["Ctrl+Shift+A"] },
  { id: "add-term", label: "Add a glossary term (the Italian and English selected)", keys: ["Ctrl+E"] },
  { id: "concordance", label: "Search the TMs for the text selected (concordance)", keys: ["Ctrl+K"] },
  {
    id: "split",
    label: "Split the segment: a cursor shows in the Italian; ← → (Ctrl: by word) move it, Enter splits, Esc cancels",
    keys: ["Ctrl+T"],
  },
  { id: "merge", label: "Merge the segment with the next one", keys: ["Ctrl+J"] },
  { id: "segment-history", label: "The segment's history: its saved versions, to restore one", keys: ["Ctrl+Shift+H"] },
  { id: "shortcuts", label: "This list", keys: ["F1", "Ctrl+/"], short: "all shortcuts" },
  { id: "toggle-sidebar", label: "Hide or show the documents on the left", keys: ["Ctrl+Shift+L"] },
  { id: "toggle-panels", label: "Hide or show the panels beside the document", keys: ["Ctrl+Shift+P"] },
  // Ctrl++ is Ctrl+= on a US keyboard, a key of its own on an Italian one.
  { id: "zoom-in", label: "Zoom in", keys: ["Ctrl+=", "Ctrl++", "Ctrl+Shift++"] },
  { id: "zoom-out", label: "Zoom out", keys: ["Ctrl+-"] },
  { id: "zoom-reset", label: "Zoom back to 100%", keys: ["Ctrl+0"] },
  { id: "settings", label: "Settings", keys: ["Ctrl+,"] },
  { id: "close", label: "Close a dialog or the find bar", keys: ["Escape"], shown: "Esc", fixed: true },
];

/** Keys that typing and editing text need: no action may take them. */
export const RESERVED: readonly Chord[] = [
  "Enter", "Shift+Enter", "Tab", "Shift+Tab", "Backspace", "Delete", "Space", "Escape",
  "Ctrl+A", "Ctrl+C", "Ctrl+V", "Ctrl+X", "Ctrl+Z", "Ctrl+Y", "Ctrl+Shift+Z",
  "ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown", "Home", "End", "PageUp", "PageDown",
  "Ctrl+ArrowLeft", "Ctrl+ArrowRight", "Shift+ArrowLeft", "Shift+ArrowRight", "Shift+ArrowUp",
  "Shift+ArrowDown", "Ctrl+Shift+ArrowLeft", "Ctrl+Shift+ArrowRight", "Shift+Home", "Shift+End",
  "Ctrl+Home", "Ctrl+End", "Ctrl+Backspace", "Ctrl+Delete",
];

const MODIFIERS = new Set(["Control", "Shift", "Alt", "Meta", "AltGraph", "CapsLock"]);

/** The chord a key press makes, or null for a modifier alone. Digits are
 * read from the key's place (Alt+3 gives "Alt+3" on every layout); letters
 * are upper case; a plain printable key with Shift is the character it
 * types (no chord for typing). */
export function chordOf(event: Pick<KeyboardEvent, "key" | "code" | "ctrlKey" | "altKey" | "shiftKey" | "metaKey">): Chord | null {
  if (MODIFIERS.has(event.key)) return null;
  let key = event.key;
  const digit = /^(?:Digit|Numpad)(\d)$/.exec(event.code);
  if (digit) key = digit[1];
  else if (key === " ") key = "Space";
  else if (key.length === 1) key = key.toUpperCase();
  const parts: string[] = [];
  if (event.ctrlKey) parts.push("Ctrl");
  if (event.altKey) parts.push("Alt");
  if (event.shiftKey) parts.push("Shift");
  if (event.metaKey) parts.push("Meta");
  parts.push(key);
  return parts.join("+");
}

/** How a chord is shown: arrows as arrows. */
export function display(chord: Chord): string {
  return chord.replace("ArrowUp", "↑").replace("ArrowDown", "↓").replace("ArrowLeft", "←").replace("ArrowRight", "→").replace("Escape", "Esc");
}

/** The shortcuts in force: the defaults, with the translator's changes. */
export class Keymap {
  private overrides = $state<Record<string, Chord>>({});

  /** Takes the translator's changes (the `shortcuts` setting). */
  use(overrides: Record<string, Chord>) {
    this.overrides = { ...overrides };
  }

  /** The keys that do `action` now. */
  keysFor(action: string): Chord[] {
    const changed = this.overrides[action];
    if (changed) return [changed];
    return ACTIONS.find((a) => a.id === action)?.keys ?? [];
  }

  /** Whether the key press is one of `action`'s keys. */
  matches(event: KeyboardEvent, action: string): boolean {
    const chord = chordOf(event);
    return chord !== null && this.keysFor(action).includes(chord);
  }

  /** The digit of a family's key press ("insert-match": Ctrl+1…9,
   * "insert-term": Alt+1…9), or null. */
  digit(event: KeyboardEvent, action: "insert-match" | "insert-term"): number | null {
    const chord = chordOf(event);
    const m = chord && /^(Ctrl|Alt)\+([1-9])$/.exec(chord);
    if (!m) return null;
    return (m[1] === "Ctrl") === (action === "insert-match") ? Number(m[2]) : null;
  }

  /** How the F1 list, the welcome screen and tooltips show an action's key. */
  shown(action: string): string {
    const info = ACTIONS.find((a) => a.id === action);
    if (info?.shown && !this.overrides[action]) return info.shown;
    return this.keysFor(action).map(display).join(" or ");
  }

  /** Why `action` cannot take `chord`, or null when it can: a key typing
   * needs, a key another action has, or a family's key. */
  conflict(action: string, chord: Chord): string | null {
    if (RESERVED.includes(chord)) return `${display(chord)} is needed for typing and editing text`;
    if (/^(Ctrl|Alt)\+[1-9]$/.test(chord)) return `${display(chord)} inserts a match or a glossary term`;
    for (const other of ACTIONS) {
      if (other.id !== action && this.keysFor(other.id).includes(chord)) {
        return `${display(chord)} already does: ${other.label}`;
      }
    }
    return null;
  }
}

/** The app's one keymap. */
export const keymap = new Keymap();
