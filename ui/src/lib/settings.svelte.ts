// The translator's settings as the window uses them: loaded at start,
// applied at once (colours, zoom, font, keys) whenever they are saved, and
// checked before saving so that no two actions share a key.
import { api } from "./api";
import type { SettingsDto } from "./bindings";
import { ACTIONS, display, Keymap, keymap, type Chord } from "./keymap.svelte";
import { applyAppearance, stepZoom, ZOOM_DEFAULT } from "./appearance";

export type Settings = SettingsDto;

/** What the store needs of the app's commands. */
export interface SettingsBackend {
  getSettings(): Promise<Settings>;
  saveSettings(settings: Settings): Promise<Settings>;
}

/** Whether a chord is a key that types a character: no modifier but Shift, one character or Space. */
function types(chord: Chord): boolean {
  const parts = chord.split("+");
  // "Ctrl++": the key is the "+" the split leaves as an empty last part.
  const key = parts.at(-1) === "" ? "+" : parts.at(-1)!;
  const modifiers = parts.slice(0, parts.at(-1) === "" ? -2 : -1);
  const commanding = modifiers.some((m) => m === "Ctrl" || m === "Alt" || m === "Meta");
  return !commanding && (key.length === 1 || key === "Space");
}

/** Why the translator's keys cannot be saved (two actions on one key, a key
 * typing needs, an action whose key is fixed), or null when they can; the
 * key of `changed`, the one just pressed, is the one refused. */
export function shortcutProblem(overrides: Record<string, Chord>, changed?: string): string | null {
  const keys = new Keymap();
  keys.use(overrides);
  const entries = Object.entries(overrides).sort(([a], [b]) => Number(b === changed) - Number(a === changed));
  for (const [action, chord] of entries) {
    const info = ACTIONS.find((a) => a.id === action);
    if (!info) return `There is no action “${action}”`;
    if (info.fixed) return `The key of “${info.label}” cannot be changed`;
    if (types(chord)) return `${display(chord)} types text: choose a key with Ctrl or Alt, or a function key`;
    const conflict = keys.conflict(action, chord);
    if (conflict) return `${conflict}. Nothing was saved: “${info.label}” keeps its key.`;
  }
  return null;
}

/** `overrides` with `action` on `chord`: dropped when it is the default, so only changes are kept. */
export function withShortcut(overrides: Record<string, Chord>, action: string, chord: Chord | null): Record<string, Chord> {
  const next = { ...overrides };
  const defaults = ACTIONS.find((a) => a.id === action)?.keys ?? [];
  if (chord === null || defaults.includes(chord)) delete next[action];
  else next[action] = chord;
  return next;
}

/** Puts `settings` in force in the window: theme, zoom, font, keys. */
export function applySettings(settings: Settings): void {
  applyAppearance({
    theme: settings.theme,
    zoom: settings.zoom,
    fontFamily: settings.font_family,
    fontSize: settings.font_size,
  });
  keymap.use(settings.shortcuts);
}

export class SettingsStore {
  /** The settings in force; null until loaded. */
  current = $state<Settings | null>(null);
  private backend: SettingsBackend;
  private apply: (settings: Settings) => void;

  constructor(backend: SettingsBackend, apply: (settings: Settings) => void = applySettings) {
    this.backend = backend;
    this.apply = apply;
  }

  async load(): Promise<void> {
    this.current = await this.backend.getSettings();
    this.apply(this.current);
  }

  /** Saves and applies `next`; the reason it is refused, with nothing saved, or null. */
  async save(next: Settings): Promise<string | null> {
    const problem = shortcutProblem(next.shortcuts);
    if (problem) return problem;
    this.current = await this.backend.saveSettings($state.snapshot(next));
    this.apply(this.current);
    return null;
  }

  /** One zoom step in (`1`) or out (`-1`), or back to 100% (`0`), remembered. */
  async zoom(direction: 1 | -1 | 0): Promise<void> {
    if (!this.current) return;
    const zoom = direction === 0 ? ZOOM_DEFAULT : stepZoom(this.current.zoom, direction);
    if (zoom !== this.current.zoom) await this.save({ ...$state.snapshot(this.current), zoom });
  }
}

/** The window's settings, read by whatever they change. */
export const settings = new SettingsStore(api);
