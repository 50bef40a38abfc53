// The house style in the editor: the built-in presets, the document's
// character budgets, and the forms suggested for the active segment.
import { errorMessage } from "../api";
import type { Block, StylePreset, StyleSuggestion } from "../types";
import type { EditorHost } from "./host";

export class StyleController {
  /** The built-in house styles. */
  presets = $state<StylePreset[]>([]);
  /** The house style's suggestions for the active segment. */
  suggestions = $state<StyleSuggestion[]>([]);
  private host: EditorHost;

  constructor(host: EditorHost) {
    this.host = host;
  }

  /** The document's house style, if one is chosen. */
  get current(): StylePreset | undefined {
    return this.presets.find((p) => p.name === this.host.meta?.style);
  }

  /** Fetches the presets once; they are built in and never change. */
  async loadPresets(): Promise<void> {
    if (this.presets.length === 0) this.presets = await this.host.api.stylePresets();
  }

  /** Writes the document's house style (null: none). */
  async choose(name: string | null): Promise<void> {
    const docId = this.host.docId;
    if (docId === null) return;
    await this.host.run(async () => {
      await this.host.api.setDocumentStyle(docId, name);
      if (this.host.meta) this.host.meta.style = name;
    });
  }

  /** Fetches the suggestions for the segment selected in `round`. */
  suggest(docId: number, segmentId: number, round: number): void {
    this.host.api
      .styleSuggestions(docId, segmentId)
      .then((found) => {
        if (round === this.host.selectionRound) this.suggestions = found;
      })
      .catch((e) => (this.host.error = errorMessage(e)));
  }

  /** Characters the house style allows a block: the headline (the
   * article's first block) and standfirsts have a budget. */
  budget(block: Block): number | null {
    const style = this.current;
    if (!style || !block.translatable) return null;
    if (block.kind === "h1" && block.position === 0) return style.headline_chars;
    if (block.kind === "standfirst") return style.standfirst_chars;
    return null;
  }

  /** Appends a house-style form to the active segment's English. */
  insert(suggestion: StyleSuggestion): void {
    const segment = this.host.activeId === null ? undefined : this.host.find(this.host.activeId);
    if (!segment) return;
    const text = segment.target;
    const space = text === "" || /\s$/.test(text) ? "" : " ";
    this.host.edit(segment.id, text + space + suggestion.english);
  }
}
