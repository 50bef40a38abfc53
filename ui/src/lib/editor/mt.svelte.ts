// Machine translation in the editor: the providers, each one's suggestion
// for the active segment, and the batch that fills every empty segment.
import { errorCode, errorMessage } from "../api";
import { count } from "../plural";
import type { Provider } from "../types";
import type { EditorHost } from "./host";
import { settings } from "../settings.svelte";

/** Where a provider's suggestion for the active segment stands. */
export type MtState =
  | { kind: "waiting" }
  | { kind: "ready"; text: string; cached: boolean }
  | { kind: "offline" | "failed"; message: string };

export class MtController {
  /** The machine-translation providers; none until the user adds one. */
  providers = $state<Provider[]>([]);
  /** Each provider's suggestion for the active segment. */
  suggestions = $state<Record<string, MtState>>({});
  /** The machine-translation batch running: segments done and in all. */
  batch = $state<{ done: number; total: number } | null>(null);
  /** What the last batch did, until dismissed. */
  batchResult = $state<string | null>(null);
  private host: EditorHost;

  constructor(host: EditorHost) {
    this.host = host;
  }

  async loadProviders(): Promise<void> {
    try {
      // The provider the settings name comes first: Ctrl+M and the batch use it.
      const first = settings.current?.default_mt_provider;
      const providers = await this.host.api.listProviders();
      this.providers = [...providers.filter((p) => p.name === first), ...providers.filter((p) => p.name !== first)];
    } catch (e) {
      this.host.error = errorMessage(e);
    }
  }

  /** After the settings changed: the new list, asked for the active segment. */
  async reloadProviders(): Promise<void> {
    await this.loadProviders();
    const { docId, activeId } = this.host;
    if (docId !== null && activeId !== null) void this.suggest(docId, activeId, this.host.selectionRound);
  }

  /** Asks every provider for the segment, in the background; an answer
   * for a segment no longer active is dropped (the shell cancels it). */
  async suggest(docId: number, segmentId: number, round: number): Promise<void> {
    const segment = this.host.find(segmentId);
    this.suggestions = {};
    if (!segment || this.providers.length === 0) return;
    await Promise.all(
      this.providers.map(async (provider) => {
        this.suggestions[provider.name] = { kind: "waiting" };
        try {
          const answer = await this.host.api.mtSuggest(docId, segmentId, provider.name);
          if (round === this.host.selectionRound) {
            this.suggestions[provider.name] = { kind: "ready", text: answer.text, cached: answer.cached };
          }
        } catch (e) {
          const code = errorCode(e);
          if (code === "cancelled" || round !== this.host.selectionRound) return;
          this.suggestions[provider.name] = { kind: code === "offline" ? "offline" : "failed", message: errorMessage(e) };
        }
      }),
    );
  }

  /** Ctrl+M or a click: puts the first ready MT suggestion (or the one of
   * `provider`) into the active segment. */
  insert(provider?: string): void {
    const name =
      provider ?? this.providers.map((p) => p.name).find((n) => this.suggestions[n]?.kind === "ready");
    const state = name === undefined ? undefined : this.suggestions[name];
    if (name === undefined || state?.kind !== "ready") return;
    this.host.insertSuggestion(state.text, `mt:${name}`);
  }

  /** Machine-translates every empty segment with `provider`, then shows
   * the document as it now is. */
  async translateAll(provider: string): Promise<void> {
    const docId = this.host.docId;
    if (docId === null || this.batch) return;
    await this.host.flushAll();
    this.batch = { done: 0, total: this.host.segments.filter((s) => s.target.trim() === "").length };
    this.batchResult = null;
    try {
      const report = await this.host.api.mtTranslateDocument(docId, provider);
      const parts = [`${count(report.filled, "segment")} machine-translated by ${provider}`];
      if (report.from_cache) parts.push(`${report.from_cache} from the cache`);
      if (report.failed) parts.push(`${report.failed} failed`);
      this.batchResult = parts.join(", ") + (report.cancelled ? " before you stopped it." : ".");
    } catch (e) {
      this.batchResult = errorMessage(e);
    }
    this.batch = null;
    await this.host.reload(docId);
  }

  cancelBatch(): void {
    this.host.api.cancelMtBatch().catch((e) => (this.host.error = errorMessage(e)));
  }
}
