// An in-memory stand-in for the desktop shell's commands, for UI tests:
// it answers the same commands with the same shapes as src-tauri. Each
// handler is typed by the generated bindings: a command or a field renamed
// in Rust (and regenerated) fails the type check here.
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import type { commands, SegmentConflictDto, SettingsDto, SharedDocumentDto, TeamConflictDto, TeamStatusDto } from "./bindings";
import type {
  SegmentVersion,
  Status,
  DocumentMeta,
  DocumentView,
  GlossaryEntry,
  IpcError,
  Match,
  Provider,
  Revision,
  StylePreset,
  TermHit,
  TermIssue,
} from "./types";

type Commands = typeof commands;

/** A command's stand-in: the generated wrapper's parameters, its result. */
type Handlers = {
  [K in keyof Commands]?: (
    ...args: Parameters<Commands[K]>
  ) => Awaited<ReturnType<Commands[K]>> | ReturnType<Commands[K]>;
};

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
    changed_by: "giulia",
    diff: [{ kind: "equal", text: "Putin va da Kim." }],
    unit: 1,
    editable: true,
  },
  {
    score: 80,
    source: "Putin va da <b>Xi</b>.",
    target: "Putin visits Xi.",
    adapted_target: null,
    tm: "news",
    changed_at: null,
    changed_by: null,
    diff: [
      { kind: "equal", text: "Putin va da " },
      { kind: "delete", text: "<b>Xi</b>" },
      { kind: "insert", text: "Kim" },
      { kind: "equal", text: "." },
    ],
    // A read-only TM's unit.
    unit: 2,
    editable: false,
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
  const providers: Provider[] = [];
  /** The team joined; `token` is the one the fake server accepts. */
  const team: {
    status: TeamStatusDto | null;
    token: string;
    nudges: number;
    conflicts: TeamConflictDto[];
    restored: string[];
    /** The team's shared documents, the user's role, and the saves kept aside. */
    documents: SharedDocumentDto[];
    role: string;
    kept: SegmentConflictDto[];
  } = {
    status: null,
    token: "good-token",
    nudges: 0,
    conflicts: [],
    restored: [],
    documents: [],
    role: "translator",
    kept: [],
  };
  const sharedDocument = (id: string) => {
    const doc = team.documents.find((d) => d.id === id);
    if (!doc) throw { code: "not_found", message: `no shared document ${id}` } satisfies IpcError;
    return doc;
  };
  const managing = (what: string) => {
    if (team.role !== "editor" && team.role !== "admin") {
      throw { code: "invalid", message: `only an editor or an admin ${what}` } satisfies IpcError;
    }
  };
  const mtAnswers: Record<string, string | IpcError> = {};
  /** Segments whose "numbers" finding was ignored. */
  const ignoredQa = new Set<number>();
  /** Milliseconds before the answer for a segment comes. */
  const mtDelays: Record<number, number> = {};
  /** Milliseconds the stand-in takes to answer `openDocument`. */
  const pace = { openDocument: 0 };
  /** What the native file dialogs answer (null: the user cancelled). */
  const dialog: { path: string | null } = { path: null };
  /** What every save throws, when set (a workspace gone from under the app). */
  const saving: { error: IpcError | null } = { error: null };
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
  let settings: SettingsDto = {
    english_variant: "gb",
    auto_fill: "draft",
    match_threshold: 50,
    default_mt_provider: null,
    font_family: "",
    font_size: 15,
    zoom: 100,
    theme: "system",
    shortcuts: {},
    author: "",
  };
  const segments = () => view.blocks.flatMap((b) => b.segments);
  /** The TM's matches, as units changed or deleted from the editor leave them. */
  const matches = structuredClone(MATCHES);
  /** Each segment's saved versions, oldest first. */
  const versions: (SegmentVersion & { segment: number })[] = [];
  const remember = (segmentId: number, target: string, status: Status, origin: string) =>
    versions.push({ id: versions.length + 1, segment: segmentId, target, status, origin, author: "giulia", saved_at: 1_765_000_000_000 + versions.length * 60_000 });
  /** The misspellings the stand-in knows, and their suggestions; the
   * user's dictionary and the document's ignored words drop them. */
  const misspelt: Record<string, string[]> = { expresed: ["expressed", "expresses"], wilingness: ["willingness"] };
  const spellingWords = new Set<string>();
  const handlers: Handlers = {
    misspellings: (_docId, english) =>
      [...english.matchAll(/\p{L}+/gu)]
        .filter((m) => m[0] in misspelt && !spellingWords.has(m[0]))
        .map((m) => ({ start: m.index, end: m.index + m[0].length, word: m[0] })),
    spellingSuggestions: (word) => misspelt[word] ?? [],
    addSpellingWord: (word) => {
      spellingWords.add(word);
      return null;
    },
    ignoreSpellingWord: (_docId, word) => {
      spellingWords.add(word);
      return null;
    },
    openDocument: () => {
      const copy = structuredClone(view);
      return pace.openDocument ? new Promise((resolve) => setTimeout(() => resolve(copy), pace.openDocument)) : copy;
    },
    getSettings: () => structuredClone(settings),
    saveSettings: (next) => {
      settings = structuredClone(next);
      return structuredClone(settings);
    },
    listDocuments: () => [structuredClone(view.document)],
    saveTarget: (_docId, segmentId, target, status, propagate) => {
      if (saving.error) throw saving.error;
      const segment = segments().find((s) => s.id === segmentId);
      if (!segment) throw { code: "not_found", message: `no segment ${segmentId}` } satisfies IpcError;
      segment.target = target;
      segment.status = status;
      remember(segmentId, target, status, "typed");
      view.document.confirmed = segments().filter(
        (s) => s.status === "translated" || s.status === "approved",
      ).length;
      // Repetitions: identical untranslated segments get the target too.
      const propagated: number[] = [];
      if (segment.status === "translated" && propagate) {
        for (const other of segments()) {
          if (other.id !== segment.id && other.source === segment.source && other.target === "") {
            other.target = segment.target;
            other.status = segment.status;
            propagated.push(other.id);
          }
        }
      }
      return { segment: structuredClone(segment), propagated };
    },
    lookupMatches: (_docId, segmentId) => (segmentId === 11 ? structuredClone(matches) : []),
    bestScores: () => [
      { segment_id: 11, score: 100 },
      { segment_id: 12, score: 72 },
    ],
    concordance: (phrase) =>
      matches
        .filter((m) => m.source.includes(phrase) || m.target.includes(phrase))
        .map((m) => ({ source: m.source, target: m.target, tm: m.tm, source_hits: [], target_hits: [], unit: m.unit!, editable: m.editable })),
    editTmUnit: (unit, target) => {
      const match = matches.find((m) => m.unit === unit);
      if (!match?.editable) throw { code: "invalid", message: "the translation memory `news` is read-only" } satisfies IpcError;
      match.target = target;
      return null;
    },
    deleteTmUnit: (unit) => {
      matches.splice(matches.findIndex((m) => m.unit === unit), 1);
      return null;
    },
    splitSegment: (_docId, segmentId, position) => {
      const block = view.blocks.find((b) => b.segments.some((s) => s.id === segmentId))!;
      const at = block.segments.findIndex((s) => s.id === segmentId);
      const segment = block.segments[at];
      const chars = Array.from(segment.source);
      const id = Math.max(...segments().map((s) => s.id)) + 1;
      segment.source = chars.slice(0, position).join("").trim();
      const tail = chars.slice(position).join("").trim();
      block.segments.splice(at + 1, 0, { ...structuredClone(segment), id, index: at + 1, source: tail, target: "", status: "new" });
      return structuredClone(view);
    },
    mergeSegment: (_docId, segmentId) => {
      const block = view.blocks.find((b) => b.segments.some((s) => s.id === segmentId))!;
      const at = block.segments.findIndex((s) => s.id === segmentId);
      const [segment, next] = block.segments.slice(at, at + 2);
      segment.source = `${segment.source} ${next.source}`;
      segment.target = [segment.target, next.target].filter(Boolean).join(" ");
      block.segments.splice(at + 1, 1);
      return { segment: structuredClone(segment), suggested_exception: null };
    },
    segmentHistory: (_docId, segmentId) =>
      structuredClone(versions.filter((v) => v.segment === segmentId).reverse()).map(({ segment: _, ...v }) => v),
    restoreVersion: (_docId, segmentId, versionId) => {
      const version = versions.find((v) => v.id === versionId && v.segment === segmentId);
      const segment = segments().find((s) => s.id === segmentId);
      if (!version || !segment) throw { code: "invalid", message: `segment ${segmentId} has no version ${versionId}` } satisfies IpcError;
      segment.target = version.target;
      segment.status = version.status;
      remember(segmentId, version.target, version.status, "restore");
      return { segment: structuredClone(segment), propagated: [] };
    },
    // The glossary's English for the terms in the Italian, then the
    // suggestions' English as given.
    predictPhrases: (_docId, segmentId, tm, mt) => {
      const source = (segments().find((s) => s.id === segmentId)?.source ?? "").toLowerCase();
      const terms = entries.filter((e) => e.italian.some((t) => source.includes(t.toLowerCase())));
      return [
        ...terms.flatMap((e) => e.english.map((text) => ({ text, kind: "glossary" as const }))),
        ...tm.map((text) => ({ text, kind: "tm" as const })),
        ...mt.map((text) => ({ text, kind: "mt" as const })),
      ];
    },
    setBlockTranslatable: (_docId, position, translatable) => {
      const block = view.blocks.find((b) => b.position === position);
      if (block) {
        block.translatable = translatable;
        block.reason = block.translatable ? "yes" : "excluded";
      }
      return structuredClone(view);
    },
    addException: (abbreviation) => {
      exceptions.push(abbreviation);
      return null;
    },
    searchGlossary: (query) => {
      const q = query.toLowerCase();
      return structuredClone(
        entries.filter((e) => [...e.italian, ...e.english].some((t) => t.toLowerCase().includes(q))),
      );
    },
    updateGlossaryEntry: (id, italian, english, domain, note) => {
      const entry = entries.find((e) => e.id === id);
      if (!entry) throw { code: "not_found", message: `no glossary entry ${id}` } satisfies IpcError;
      Object.assign(entry, { italian, english, domain, note });
      return structuredClone(entry);
    },
    deleteGlossaryEntry: (id) => {
      entries.splice(entries.findIndex((e) => e.id === id), 1);
      return null;
    },
    addGlossaryEntry: (glossary, italian, english, note) => {
      const duplicates = entries.filter(
        (e) => e.glossary === glossary && e.italian.some((t) => t.toLowerCase() === italian.toLowerCase()),
      );
      const entry: GlossaryEntry = {
        id: entries.length + 1,
        glossary,
        italian: [italian],
        english: [english],
        domain: null,
        note: note ?? null,
      };
      entries.push(entry);
      return { id: entry.id, duplicates: structuredClone(duplicates) };
    },
    listProviders: () => structuredClone(providers),
    teamStatus: () => structuredClone(team.status),
    teamJoin: (url, user, token) => {
      if (token !== team.token) throw { code: "key", message: `${url}: the token was refused` } satisfies IpcError;
      team.status = { url, user, team: "esteri", tm: "team: esteri", glossary: "team: esteri", synced_at: null, last_error: null, offline: false, outbox: 0, units: 0, conflicts: 0, rejected: [] };
      return structuredClone(team.status);
    },
    teamLeave: (discardUnsent) => {
      const unsent = (team.status?.outbox ?? 0) + (team.status?.rejected.length ?? 0);
      if (unsent > 0 && !discardUnsent) throw { code: "invalid", message: `leaving would discard ${unsent} changes waiting to be sent` } satisfies IpcError;
      team.status = null;
      return unsent;
    },
    teamConflicts: () => structuredClone(team.conflicts),
    settleTeamConflict: (entry, wonSeq, restoreLost) => {
      const at = team.conflicts.findIndex((c) => c.entry === entry && c.won_seq === wonSeq);
      if (at < 0) throw { code: "not_found", message: `no conflict of entry ${entry}` } satisfies IpcError;
      if (restoreLost) team.restored.push(entry);
      team.conflicts.splice(at, 1);
      if (team.status) team.status.conflicts = team.conflicts.length;
      return null;
    },
    teamSyncNow: () => {
      team.nudges += 1;
    },
    teamDocuments: () => structuredClone(team.documents),
    teamRole: () => team.role,
    shareDocument: (docId) => {
      managing("shares documents");
      const id = `shared-${docId}`;
      team.documents.push({ id, name: view.document.name, segments: view.document.segments, shared: false, holder: null, step: null, lease_until: null, live: false, mine: false, document: docId });
      team.nudges += 1;
      return id;
    },
    assignDocument: (id, user, step, minutes) => {
      managing("assigns documents");
      const doc = sharedDocument(id);
      Object.assign(doc, { holder: user, step, lease_until: new Date(Date.now() + minutes * 60_000).toISOString(), live: true, mine: user === team.status?.user });
      return null;
    },
    releaseDocument: (id) => {
      managing("releases documents");
      const doc = sharedDocument(id);
      const held = doc.holder !== null;
      Object.assign(doc, { holder: null, step: null, lease_until: null, live: false, mine: false });
      return held;
    },
    openSharedDocument: (id) => {
      const doc = sharedDocument(id);
      doc.document = view.document.id;
      return view.document.id;
    },
    segmentConflicts: () => structuredClone(team.kept),
    takeSegmentConflict: (id) => {
      const save = team.kept.find((k) => k.id === id);
      if (!save || save.reason !== "edited_here" || save.segment === null) throw { code: "invalid_edit", message: `no teammate's save numbered ${id}` } satisfies IpcError;
      team.kept = team.kept.filter((k) => k.id !== id);
      return save.segment;
    },
    dismissSegmentConflict: (id) => {
      team.kept = team.kept.filter((k) => k.id !== id);
      return null;
    },
    teamReplaceToken: (token) => {
      if (!team.status) throw { code: "invalid", message: "this workspace has joined no team" } satisfies IpcError;
      if (token !== team.token) throw { code: "key", message: "the token was refused" } satisfies IpcError;
      team.status.last_error = null;
      return structuredClone(team.status);
    },
    teamRetryRejected: (op) => {
      if (team.status) {
        const again = team.status.rejected.filter((r) => op === null || r.op === op);
        team.status.rejected = team.status.rejected.filter((r) => !again.includes(r));
        team.status.outbox += again.length;
      }
      return structuredClone(team.status);
    },
    teamDropRejected: (op) => {
      if (team.status) team.status.rejected = team.status.rejected.filter((r) => op !== null && r.op !== op);
      return structuredClone(team.status);
    },
    mtSuggest: (_docId, segmentId, provider) => {
      const segment = segments().find((s) => s.id === segmentId)!;
      const answer = mtAnswers[provider];
      if (typeof answer !== "string") throw answer;
      const reply = { provider, text: `${answer} ${segment.source}`, cached: false };
      const delay = mtDelays[segment.id] ?? 0;
      return delay ? new Promise((resolve) => setTimeout(() => resolve(reply), delay)) : reply;
    },
    noteSuggestion: () => null,
    mtTranslateDocument: (_docId, provider) => {
      let filled = 0;
      for (const segment of view.blocks.filter((b) => b.translatable).flatMap((b) => b.segments)) {
        if (segment.target === "") {
          segment.target = `${mtAnswers[provider]} ${segment.source}`;
          segment.status = "draft";
          filled += 1;
        }
      }
      return { filled, from_cache: 0, failed: 0, cancelled: false };
    },
    chooseSavePath: () => dialog.path,
    chooseFiles: () => (dialog.path === null ? [] : [dialog.path]),
    exportDocument: (_docId, format, refuseUntranslated) => {
      const untranslated = view.blocks
        .filter((b) => b.translatable)
        .flatMap((b) => b.segments)
        .filter((s) => s.target === "").length;
      if (refuseUntranslated && untranslated > 0) {
        throw { code: "export", message: `${untranslated} segments are not translated` } satisfies IpcError;
      }
      const what = format === "docx" ? `the review document (${segments().length} segments)` : "the English article";
      return { what, untranslated: format === "target" ? untranslated : 0 };
    },
    documentStats: () => ({
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
      filled: [
        { label: "context match (101)", segments: 0, words: 0 },
        { label: "100%", segments: 1, words: 4 },
      ],
      effort: [{ origin: "mt:deepl", segments: 2, confirmed: 1, unedited: 0, edited_percent: 12.5 }],
      words_per_hour: 640.4,
      active_minutes: 12.2,
    }),
    qaDocument: () =>
      segments()
        .filter((s) => s.target !== "" && /\d/.test(s.source) !== /\d/.test(s.target))
        .filter((s) => !ignoredQa.has(s.id))
        .map((s) => ({ segment: s.id, check: "numbers", message: "a number is missing" })),
    ignoreQa: (_docId, segmentId) => {
      ignoredQa.add(segmentId);
      return null;
    },
    setNote: (_docId, segmentId, note) => {
      const segment = segments().find((s) => s.id === segmentId)!;
      segment.note = note.trim() || null;
      return structuredClone(segment);
    },
    importReview: () => {
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
    },
    stylePresets: () => structuredClone(PRESETS),
    documentMeta: () => structuredClone(meta),
    setDocumentStyle: (_docId, style) => {
      meta.style = style ?? null;
      return null;
    },
    documentRevision: () => structuredClone(revision),
    reimportDocument: () => {
      revision = structuredClone(REVISION);
      return structuredClone(revision);
    },
    // The fake house style writes "Putin" out as "President Putin".
    styleSuggestions: (_docId, segmentId) =>
      meta.style && segments().find((s) => s.id === segmentId)?.source.includes("Putin")
        ? [{ rule: "titles", italian: "Putin", english: "President Putin" }]
        : [],
    // Every name "Kim" must reach the English.
    factChecklist: () =>
      segments()
        .filter((s) => s.source.includes("Kim"))
        .map((s) => ({ segment: s.id, kind: "name", italian: "Kim", found: s.target.includes("Kim"), hint: null })),
    findTerms: (texts) => texts.map(findTerms),
    openExported: () => null,
    showExported: () => null,
    checkTerms: (source, target) => checkTerms(source, target),
  };
  mockIPC((cmd, payload) => {
    const args = (payload ?? {}) as Record<string, unknown>;
    calls.push({ cmd, args });
    const name = cmd.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()) as keyof Commands;
    const handler = handlers[name] as ((...args: unknown[]) => unknown) | undefined;
    if (!handler) throw { code: "unknown", message: `unexpected command ${cmd}` };
    // The generated wrappers send their arguments in their parameters' order.
    return handler(...Object.values(args));
  }, { shouldMockEvents: true });
  return { calls, exceptions, entries, view, dialog, saving, providers, team, mtAnswers, mtDelays, pace, meta, matches, versions, spellingWords, uninstall: clearMocks };
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
        segments: [{ id: 10, block: 0, index: 0, source: "Skip to main content", target: "", status: "new", match_score: null, note: null, codes: [] }],
      },
      {
        position: 1,
        kind: "p",
        translatable: true,
        reason: "yes",
        segments: [
          { id: 11, block: 1, index: 0, source: "Putin va da Kim.", target: "", status: "new", match_score: null, note: null, codes: [] },
          { id: 12, block: 1, index: 1, source: "Così si rafforza l’asse", target: "", status: "new", match_score: null, note: null, codes: [] },
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
            codes: [],
          },
        ],
      },
    ],
  };
}
