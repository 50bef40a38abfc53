// An in-memory stand-in for the desktop shell's commands, for UI tests:
// it answers the same commands with the same shapes as src-tauri.
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import type {
  DocumentMeta,
  DocumentView,
  GlossaryEntry,
  Match,
  Revision,
  Segment,
  Status,
  StylePreset,
  TermHit,
  TermIssue,
} from "./types";

export interface Call {
  cmd: string;
  args: Record<string, unknown>;
}

export const MATCHES: Match[] = [
  {
    score: 100,
    source: "Putin va da Kim.",
    target: "Putin goes to Kim.",
    adapted_target: null,
    tm: "Workspace",
    changed_at: "20261123T101500Z",
    diff: [{ kind: "equal", text: "Putin va da Kim." }],
  },
  {
    score: 80,
    source: "Putin va da <b>Xi</b>.",
    target: "Putin visits Xi.",
    adapted_target: null,
    tm: "news",
    changed_at: null,
    diff: [
      { kind: "equal", text: "Putin va da " },
      { kind: "delete", text: "<b>Xi</b>" },
      { kind: "insert", text: "Kim" },
      { kind: "equal", text: "." },
    ],
  },
];

/** The fake glossary: Italian term → English, found as written. */
export const TERMS: Record<string, string> = { Putin: "Putin", asse: "axis" };

function findTerms(text: string): TermHit[] {
  const chars = Array.from(text);
  const hits: TermHit[] = [];
  for (const [source, target] of Object.entries(TERMS)) {
    const at = chars.join("").indexOf(source);
    if (at < 0) continue;
    const start = Array.from(text.slice(0, at)).length;
    hits.push({ start, end: start + Array.from(source).length, entry_id: hits.length + 1, source, targets: [target], note: null });
  }
  return hits.sort((a, b) => a.start - b.start);
}

function checkTerms(source: string, target: string): TermIssue[] {
  return findTerms(source)
    .filter((hit) => !target.toLowerCase().includes(hit.targets[0].toLowerCase()))
    .map((hit) => ({ kind: "missing", source_term: hit.source, start: hit.start, end: hit.end, expected: hit.targets }));
}

export const PRESETS: StylePreset[] = [
  { name: "us-wire", label: "US wire", headline_chars: 70, standfirst_chars: 180 },
  { name: "uk-paper", label: "UK newspaper", headline_chars: 60, standfirst_chars: 160 },
];

/** A later version of the sample: segment 12 edited, one removed. */
export const REVISION: Revision = {
  id: 1,
  source: "https://news.example/putin-kim",
  created_at: 0,
  summary: { unchanged: 2, edited: 1, new: 0, removed: 1 },
  changes: [
    {
      kind: "edited",
      segment: 12,
      source: "Così si rafforza l’asse",
      previous_source: "Così si rafforza molto l’asse",
      previous_target: "This is how the axis grows much stronger",
      score: 83,
      diff: [
        { kind: "equal", text: "Così si rafforza " },
        { kind: "delete", text: "molto " },
        { kind: "equal", text: "l’asse" },
      ],
    },
    {
      kind: "removed",
      segment: null,
      source: null,
      previous_source: "Lo riferisce l'agenzia Kcna.",
      previous_target: "The KCNA agency reports it.",
      score: null,
      diff: [],
    },
  ],
};

export function installFakeBackend(view: DocumentView) {
  const calls: Call[] = [];
  /** Machine-translation providers and what each answers (text is
   * prefixed to the source; an object is thrown as the command's error). */
  const providers: { name: string; kind: string; url: string; model: string | null; has_key: boolean }[] = [];
  const mtAnswers: Record<string, string | { code: string; message: string }> = {};
  /** Segments whose "numbers" finding was ignored. */
  const ignoredQa = new Set<number>();
  /** Milliseconds before the answer for a segment comes. */
  const mtDelays: Record<number, number> = {};
  /** What the native file dialogs answer (null: the user cancelled). */
  const dialog: { path: string | null } = { path: null };
  /** What every save throws, when set (a workspace gone from under the app). */
  const saving: { error: { code: string; message: string } | null } = { error: null };
  const entries: GlossaryEntry[] = [
    { id: 1, glossary: "News", italian: ["Corea del Nord"], english: ["North Korea"], domain: "countries", note: null },
    { id: 2, glossary: "News", italian: ["Cremlino"], english: ["Kremlin"], domain: "institutions", note: null },
    { id: 3, glossary: "Mine", italian: ["asse"], english: ["axis"], domain: null, note: "Mosca-Pyongyang" },
  ];
  const exceptions: string[] = [];
  const meta: DocumentMeta = {
    url: "https://news.example/putin-kim",
    canonical_url: null,
    outlet: "Example News",
    author: "A. Rossi",
    published: "2026-11-20T08:00:00+01:00",
    updated: null,
    style: null,
  };
  let revision: Revision | null = null;
  const segments = () => view.blocks.flatMap((b) => b.segments);
  mockIPC((cmd, payload) => {
    const args = (payload ?? {}) as Record<string, unknown>;
    calls.push({ cmd, args });
    switch (cmd) {
      case "open_document":
        return structuredClone(view);
      case "list_documents":
        return [structuredClone(view.document)];
      case "save_target": {
        if (saving.error) throw saving.error;
        const segment = segments().find((s) => s.id === args.segmentId) as Segment | undefined;
        if (!segment) throw { code: "not_found", message: `no segment ${args.segmentId}` };
        segment.target = String(args.target);
        segment.status = args.status as Status;
        view.document.confirmed = segments().filter(
          (s) => s.status === "translated" || s.status === "approved",
        ).length;
        // Repetitions: identical untranslated segments get the target too.
        const propagated: number[] = [];
        if (segment.status === "translated" && args.propagate) {
          for (const other of segments()) {
            if (other.id !== segment.id && other.source === segment.source && other.target === "") {
              other.target = segment.target;
              other.status = segment.status;
              propagated.push(other.id);
            }
          }
        }
        return { segment: structuredClone(segment), propagated };
      }
      case "lookup_matches":
        return args.segmentId === 11 ? structuredClone(MATCHES) : [];
      case "set_block_translatable": {
        const block = view.blocks.find((b) => b.position === args.block);
        if (block) {
          block.translatable = Boolean(args.translatable);
          block.reason = block.translatable ? "yes" : "excluded";
        }
        return structuredClone(view);
      }
      case "add_exception":
        exceptions.push(String(args.abbreviation));
        return null;
      case "search_glossary": {
        const q = String(args.query).toLowerCase();
        return structuredClone(
          entries.filter((e) => [...e.italian, ...e.english].some((t) => t.toLowerCase().includes(q))),
        );
      }
      case "update_glossary_entry": {
        const entry = entries.find((e) => e.id === args.id);
        if (!entry) throw { code: "not_found", message: `no glossary entry ${args.id}` };
        Object.assign(entry, {
          italian: args.italian,
          english: args.english,
          domain: args.domain,
          note: args.note,
        });
        return structuredClone(entry);
      }
      case "delete_glossary_entry":
        entries.splice(entries.findIndex((e) => e.id === args.id), 1);
        return null;
      case "add_glossary_entry": {
        const italian = String(args.italian);
        const duplicates = entries.filter(
          (e) => e.glossary === args.glossary && e.italian.some((t) => t.toLowerCase() === italian.toLowerCase()),
        );
        const entry: GlossaryEntry = {
          id: entries.length + 1,
          glossary: String(args.glossary),
          italian: [italian],
          english: [String(args.english)],
          domain: null,
          note: (args.note as string | null) ?? null,
        };
        entries.push(entry);
        return { id: entry.id, duplicates: structuredClone(duplicates) };
      }
      case "list_providers":
        return structuredClone(providers);
      case "mt_suggest": {
        const segment = segments().find((s) => s.id === args.segmentId)!;
        const answer = mtAnswers[String(args.provider)];
        if (typeof answer !== "string") throw answer;
        const reply = { provider: args.provider, text: `${answer} ${segment.source}`, cached: false };
        const delay = mtDelays[segment.id] ?? 0;
        return delay ? new Promise((resolve) => setTimeout(() => resolve(reply), delay)) : reply;
      }
      case "note_suggestion":
        return null;
      case "mt_translate_document": {
        let filled = 0;
        for (const segment of view.blocks.filter((b) => b.translatable).flatMap((b) => b.segments)) {
          if (segment.target === "") {
            segment.target = `${mtAnswers[String(args.provider)]} ${segment.source}`;
            segment.status = "draft";
            filled += 1;
          }
        }
        return { filled, from_cache: 0, failed: 0, cancelled: false };
      }
      case "choose_save_path":
        return dialog.path;
      case "choose_files":
        return dialog.path === null ? [] : [dialog.path];
      case "export_document": {
        const untranslated = view.blocks
          .filter((b) => b.translatable)
          .flatMap((b) => b.segments)
          .filter((s) => s.target === "").length;
        if (args.refuseUntranslated && untranslated > 0) {
          throw { code: "export", message: `${untranslated} segments are not translated` };
        }
        const what = args.format === "docx" ? `the review document (${segments().length} segments)` : "the English article";
        return { what, untranslated: args.format === "target" ? untranslated : 0 };
      }
      case "document_stats":
        return {
          words: 12,
          characters: 60,
          by_status: [
            { label: "new", segments: 1, words: 6 },
            { label: "draft", segments: 0, words: 0 },
            { label: "translated", segments: 1, words: 4 },
            { label: "approved", segments: 1, words: 2 },
          ],
          bands: [
            { label: "100%", segments: 1, words: 4 },
            { label: "no match", segments: 2, words: 8 },
          ],
          effort: [{ origin: "mt:deepl", segments: 2, confirmed: 1, unedited: 0, edited_percent: 12.5 }],
          words_per_hour: 640.4,
          active_minutes: 12.2,
        };
      case "qa_document":
        return segments()
          .filter((s) => s.target !== "" && /\d/.test(s.source) !== /\d/.test(s.target))
          .filter((s) => !ignoredQa.has(s.id))
          .map((s) => ({ segment: s.id, check: "numbers", message: "a number is missing" }));
      case "ignore_qa":
        ignoredQa.add(Number(args.segmentId));
        return null;
      case "set_note": {
        const segment = segments().find((s) => s.id === args.segmentId)!;
        segment.note = String(args.note).trim() || null;
        return structuredClone(segment);
      }
      case "import_review": {
        // The reviewer corrected segment 12 and commented on segment 11.
        const corrected = segments().find((s) => s.id === 12)!;
        const before = corrected.target;
        corrected.target = "This is how the axis grows stronger";
        corrected.status = "translated";
        segments().find((s) => s.id === 11)!.note = "Keep the headline short";
        return {
          changed: [{ id: 12, before, after: corrected.target }],
          statuses: 1,
          notes: 1,
          unchanged: segments().length - 2,
        };
      }
      case "style_presets":
        return structuredClone(PRESETS);
      case "document_meta":
        return structuredClone(meta);
      case "set_document_style":
        meta.style = (args.style as string | null) ?? null;
        return null;
      case "document_revision":
        return structuredClone(revision);
      case "reimport_document":
        revision = structuredClone(REVISION);
        return structuredClone(revision);
      case "style_suggestions":
        // The fake house style writes "Putin" out as "President Putin".
        return meta.style && segments().find((s) => s.id === args.segmentId)?.source.includes("Putin")
          ? [{ rule: "titles", italian: "Putin", english: "President Putin" }]
          : [];
      case "fact_checklist":
        // Every name "Kim" must reach the English.
        return segments()
          .filter((s) => s.source.includes("Kim"))
          .map((s) => ({ segment: s.id, kind: "name", italian: "Kim", found: s.target.includes("Kim"), hint: null }));
      case "find_terms":
        return (args.texts as string[]).map(findTerms);
      case "check_terms":
        return checkTerms(String(args.source), String(args.target));
      default:
        throw { code: "unknown", message: `unexpected command ${cmd}` };
    }
  }, { shouldMockEvents: true });
  return { calls, exceptions, entries, view, dialog, saving, providers, mtAnswers, mtDelays, meta, uninstall: clearMocks };
}

export function sampleView(): DocumentView {
  return {
    document: {
      id: 1,
      name: "sample",
      format: "text",
      segments: 3,
      confirmed: 0,
      words: 12,
      progress: 0,
    },
    blocks: [
      {
        position: 0,
        kind: "p",
        translatable: false,
        reason: "boilerplate",
        segments: [{ id: 10, block: 0, index: 0, source: "Skip to main content", target: "", status: "new", match_score: null, note: null }],
      },
      {
        position: 1,
        kind: "p",
        translatable: true,
        reason: "yes",
        segments: [
          { id: 11, block: 1, index: 0, source: "Putin va da Kim.", target: "", status: "new", match_score: null, note: null },
          { id: 12, block: 1, index: 1, source: "Così si rafforza l’asse", target: "", status: "new", match_score: null, note: null },
        ],
      },
      {
        position: 2,
        kind: "p",
        translatable: true,
        reason: "yes",
        segments: [
          {
            id: 13,
            block: 2,
            index: 0,
            source: '<img src=x onerror="window.__pwned = true"> <b>non grassetto</b>',
            target: "",
            status: "new",
            match_score: null,
            note: null,
          },
        ],
      },
    ],
  };
}
