//! The workspace schema and its migrations, applied in order at open.
//!
//! `PRAGMA user_version` holds the number of migrations applied; a file with a
//! higher number comes from a newer Interlinea and is refused untouched.

/// Marks a SQLite file as an Interlinea workspace ("ILNA").
pub(super) const APPLICATION_ID: i64 = 0x494C_4E41;

/// Each entry migrates from version `index` to `index + 1`.
pub(super) const MIGRATIONS: &[&str] = &[
    // 1: documents, blocks, segments, segmentation exceptions.
    r#"
CREATE TABLE documents (
    id           INTEGER PRIMARY KEY,
    name         TEXT    NOT NULL,
    format       TEXT    NOT NULL CHECK (format IN ('text', 'markdown', 'html')),
    source_path  TEXT,
    source_lang  TEXT    NOT NULL DEFAULT 'it',
    target_lang  TEXT    NOT NULL DEFAULT 'en',
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
);

CREATE TABLE blocks (
    id           INTEGER PRIMARY KEY,
    document_id  INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    kind         TEXT    NOT NULL,
    text         TEXT    NOT NULL,
    translatable TEXT    NOT NULL
        CHECK (translatable IN ('yes', 'boilerplate', 'never', 'excluded')),
    UNIQUE (document_id, position)
);

CREATE TABLE segments (
    id           INTEGER PRIMARY KEY,
    block_id     INTEGER NOT NULL REFERENCES blocks(id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    source       TEXT    NOT NULL,
    target       TEXT    NOT NULL DEFAULT '',
    status       TEXT    NOT NULL DEFAULT 'new'
        CHECK (status IN ('new', 'draft', 'translated', 'approved')),
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
);
CREATE INDEX segments_by_block ON segments (block_id, position);

CREATE TABLE segmentation_exceptions (
    abbreviation TEXT    PRIMARY KEY,
    created_at   INTEGER NOT NULL
);
"#,
    // 2: translation memories and their units.
    r#"
CREATE TABLE tms (
    id           INTEGER PRIMARY KEY,
    name         TEXT    NOT NULL UNIQUE,
    read_only    INTEGER NOT NULL DEFAULT 0,
    source_lang  TEXT    NOT NULL DEFAULT 'it',
    target_lang  TEXT    NOT NULL DEFAULT 'en',
    created_at   INTEGER NOT NULL
);

CREATE TABLE tm_units (
    id            INTEGER PRIMARY KEY,
    tm_id         INTEGER NOT NULL REFERENCES tms(id) ON DELETE CASCADE,
    source        TEXT    NOT NULL,
    target        TEXT    NOT NULL,
    source_markup TEXT,
    target_markup TEXT,
    -- Hash of the previous and next source segments; NULL when unknown.
    context_hash  INTEGER,
    origin        TEXT,
    note          TEXT,
    -- TMX <prop> pairs as a JSON array of [type, value].
    props         TEXT,
    author        TEXT,
    -- TMX basic ISO dates (20240131T120000Z).
    created_at    TEXT,
    changed_at    TEXT,
    -- Stable 64-bit hash of source and target: one unit per pair and TM.
    pair_hash     INTEGER NOT NULL,
    UNIQUE (tm_id, pair_hash)
);
CREATE INDEX tm_units_by_context ON tm_units (tm_id, context_hash);

-- Concordance search over both sides.
CREATE VIRTUAL TABLE tm_fts USING fts5 (
    source, target, content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2'
);

-- generation: bumped whenever units leave the TMs, so a saved match index
-- is rebuilt. fts_max: the last unit in the concordance index, which is
-- brought up to date when searched rather than during bulk imports.
CREATE TABLE tm_state (generation INTEGER NOT NULL, fts_max INTEGER NOT NULL);
INSERT INTO tm_state (generation, fts_max) VALUES (1, 0);

-- Score of the TM match a segment was pre-translated from, if it was.
ALTER TABLE segments ADD COLUMN match_score INTEGER;
"#,
    // v3: imported units have no context; leaving them out of the context
    // index keeps bulk imports from writing to it.
    r#"
DROP INDEX tm_units_by_context;
CREATE INDEX tm_units_by_context ON tm_units (tm_id, context_hash) WHERE context_hash IS NOT NULL;
"#,
    // v4: glossaries, concept-oriented as TBX is.
    r#"
CREATE TABLE glossaries (
    id         INTEGER PRIMARY KEY,
    name       TEXT    NOT NULL UNIQUE,
    enabled    INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL
);
CREATE TABLE glossary_entries (
    id          INTEGER PRIMARY KEY,
    glossary_id INTEGER NOT NULL REFERENCES glossaries(id) ON DELETE CASCADE,
    domain      TEXT,
    note        TEXT,
    created_at  INTEGER NOT NULL,
    changed_at  INTEGER NOT NULL
);
CREATE INDEX glossary_entries_by_glossary ON glossary_entries (glossary_id);
CREATE TABLE glossary_terms (
    id             INTEGER PRIMARY KEY,
    entry_id       INTEGER NOT NULL REFERENCES glossary_entries(id) ON DELETE CASCADE,
    lang           TEXT    NOT NULL CHECK (lang IN ('it', 'en')),
    position       INTEGER NOT NULL,
    term           TEXT    NOT NULL,
    pos            TEXT,
    status         TEXT    NOT NULL CHECK (status IN ('preferred', 'admitted', 'forbidden')),
    note           TEXT,
    case_sensitive INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX glossary_terms_by_entry ON glossary_terms (entry_id, lang, position);
CREATE INDEX glossary_terms_by_text ON glossary_terms (term COLLATE NOCASE);
-- starter: whether the starter glossary was given to this workspace (once,
-- so that deleting it is final).
CREATE TABLE glossary_state (starter INTEGER NOT NULL);
INSERT INTO glossary_state (starter) VALUES (0);
"#,
    // v5: a note on a segment (a reviewer's comment, an XLIFF note).
    r#"
ALTER TABLE segments ADD COLUMN note TEXT;
"#,
    // v6: machine translation — providers (never their keys), a cache of
    // answers, and where a segment's first English came from.
    r#"
CREATE TABLE mt_providers (
    name       TEXT    PRIMARY KEY,
    kind       TEXT    NOT NULL CHECK (kind IN ('deepl', 'libretranslate', 'openai')),
    url        TEXT    NOT NULL,
    model      TEXT,
    created_at INTEGER NOT NULL
);
CREATE TABLE mt_cache (
    provider         TEXT    NOT NULL,
    model            TEXT    NOT NULL,
    glossary_version INTEGER NOT NULL,
    source           TEXT    NOT NULL,
    target           TEXT    NOT NULL,
    created_at       INTEGER NOT NULL,
    PRIMARY KEY (provider, model, glossary_version, source)
) WITHOUT ROWID;
-- origin: 'tm:NAME' or 'mt:NAME'; suggestion: the English it started from;
-- edit_distance: characters changed from the suggestion, set on confirmation.
ALTER TABLE segments ADD COLUMN origin TEXT;
ALTER TABLE segments ADD COLUMN suggestion TEXT;
ALTER TABLE segments ADD COLUMN edit_distance INTEGER;
"#,
    // v7: the DeepL glossaries made from the workspace glossary, by
    // content, so one is created once and reused.
    r#"
CREATE TABLE mt_glossaries (
    provider    TEXT    NOT NULL,
    version     INTEGER NOT NULL,
    glossary_id TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (provider, version)
);
"#,
    // v8: QA findings the translator marked as false alarms, for the
    // English they were found in (a changed English is checked again).
    r#"
CREATE TABLE qa_ignored (
    segment_id  INTEGER NOT NULL REFERENCES segments(id) ON DELETE CASCADE,
    check_name  TEXT    NOT NULL,
    target_hash INTEGER NOT NULL,
    PRIMARY KEY (segment_id, check_name)
);
"#,
    // v9: what a news page said about its article, the revisions of an
    // article brought in since (counts, and each edited, new or removed
    // segment with the Italian and English it had before), and the house
    // style of each document.
    r#"
CREATE TABLE document_meta (
    document_id   INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    url           TEXT,
    canonical_url TEXT,
    outlet        TEXT,
    author        TEXT,
    published     TEXT,
    updated       TEXT
);
CREATE TABLE revisions (
    id          INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    source      TEXT,
    created_at  INTEGER NOT NULL,
    unchanged   INTEGER NOT NULL,
    edited      INTEGER NOT NULL,
    added       INTEGER NOT NULL,
    removed     INTEGER NOT NULL
);
CREATE INDEX revisions_by_document ON revisions (document_id);
-- segment_id: the segment in the new version (NULL for a removed one); not
-- a foreign key, since later splits and merges may remove it.
CREATE TABLE revision_changes (
    revision_id     INTEGER NOT NULL REFERENCES revisions(id) ON DELETE CASCADE,
    position        INTEGER NOT NULL,
    kind            TEXT    NOT NULL CHECK (kind IN ('edited', 'new', 'removed')),
    segment_id      INTEGER,
    previous_source TEXT,
    previous_target TEXT,
    previous_status TEXT,
    score           INTEGER,
    PRIMARY KEY (revision_id, position)
);
CREATE INDEX revision_changes_by_segment ON revision_changes (segment_id);
-- The house style the document is translated in (a preset's name).
ALTER TABLE documents ADD COLUMN style TEXT;
"#,
    // v10: the concordance index cuts words at the modifier letter
    // apostrophe ʼ as it does at ’ and ' (unicode61 takes ʼ for a letter),
    // so "lʼOnu" is found by "l'Onu". The next search fills it again.
    r#"
DROP TABLE tm_fts;
CREATE VIRTUAL TABLE tm_fts USING fts5 (
    source, target, content = '', contentless_delete = 1,
    tokenize = "unicode61 remove_diacritics 2 separators 'ʼ'"
);
UPDATE tm_state SET fts_max = 0;
"#,
    // v11: who last changed a unit (TMX `changeid`), kept from imports and
    // written back on export, as `author` keeps `creationid`.
    r#"
ALTER TABLE tm_units ADD COLUMN changed_by TEXT;
"#,
    // v12: the file a document was made from, when it is exported back as
    // that same file (another tool's XLIFF), and the unit each segment came
    // from (a segment split off later has none and joins the one before).
    r#"
CREATE TABLE document_sources (
    document_id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    format      TEXT    NOT NULL,
    bytes       BLOB    NOT NULL
);
CREATE TABLE segment_units (
    segment_id INTEGER PRIMARY KEY REFERENCES segments(id) ON DELETE CASCADE,
    unit       TEXT    NOT NULL
);
"#,
    // v13: the concordance index keeps 32 MiB of new terms in memory before
    // writing them out (not 1 MiB) and merges 16 segments at a time (not 4):
    // filling it after an import of 1M units wrote and merged far fewer
    // segments, and took 25-30 % less time.
    r#"
INSERT INTO tm_fts (tm_fts, rank) VALUES ('hashsize', 33554432);
INSERT INTO tm_fts (tm_fts, rank) VALUES ('automerge', 16);
"#,
    // v14: what each inline code of a block stands for (a JSON array by
    // code id; empty for a block without codes, as every older one is).
    r#"
ALTER TABLE blocks ADD COLUMN codes TEXT NOT NULL DEFAULT '';
"#,
    // v15: TM units read from TMX with inline codes had them as `⟨1⟩`
    // text; they get code marks from the inline XML kept beside them
    // (`migrate_data`).
    "",
    // v16: the translator's settings, one JSON object (`settings.rs`).
    r#"
CREATE TABLE settings (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    json TEXT    NOT NULL
);
"#,
    // v17: the concordance index moves to a file of its own
    // (`concordance.rs`), which a bulk import fills while it stores the
    // units; it is rebuilt there from the units. `uid` tells this
    // workspace's index from another's; `concordance_stale` notes the units
    // changed since they were indexed, in the transaction that changes them.
    r#"
DROP TABLE tm_fts;
ALTER TABLE tm_state DROP COLUMN fts_max;
ALTER TABLE tm_state ADD COLUMN uid TEXT NOT NULL DEFAULT '';
UPDATE tm_state SET uid = lower(hex(randomblob(16)));
CREATE TABLE concordance_stale (seq INTEGER PRIMARY KEY, unit_id INTEGER NOT NULL);
"#,
    // v18: every saved version of a segment's English and status, with
    // where it came from and who saved it (`store/history.rs`). The
    // English a segment already has is its first version, author unknown.
    r#"
CREATE TABLE segment_versions (
    id         INTEGER PRIMARY KEY,
    segment_id INTEGER NOT NULL REFERENCES segments(id) ON DELETE CASCADE,
    target     TEXT    NOT NULL,
    status     TEXT    NOT NULL,
    origin     TEXT    NOT NULL,
    author     TEXT    NOT NULL,
    saved_at   INTEGER NOT NULL
);
CREATE INDEX segment_versions_by_segment ON segment_versions (segment_id, id);
INSERT INTO segment_versions (segment_id, target, status, origin, author, saved_at)
SELECT id, target, status,
       CASE WHEN origin LIKE 'tm:%' AND target = suggestion THEN 'tm'
            WHEN origin LIKE 'mt:%' AND target = suggestion THEN 'mt'
            ELSE 'typed' END,
       '', updated_at
FROM segments WHERE target <> '' OR status <> 'new' ORDER BY id;
"#,
    // v19: the user's spelling dictionary: words added for the workspace,
    // and words ignored in one document.
    r#"
CREATE TABLE spelling_words (
    word TEXT PRIMARY KEY
);
CREATE TABLE spelling_ignored (
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    word        TEXT    NOT NULL,
    PRIMARY KEY (document_id, word)
);
"#,
    // v20: the team this workspace joined (at most one; its token is kept
    // with the MT keys, never here), the operations not yet acknowledged by
    // its server (`team.rs`), and the replica: the team's units and
    // entries live in an ordinary TM and glossary of the workspace, mapped
    // here to their team ids, with the glossary conflicts received.
    r#"
CREATE TABLE team (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    url         TEXT    NOT NULL,
    user        TEXT    NOT NULL,
    name        TEXT    NOT NULL,
    -- Whether the user's role may write the team memory (a reviewer's
    -- confirmations stay in the workspace).
    writes_tm   INTEGER NOT NULL,
    tm_id       INTEGER NOT NULL REFERENCES tms(id),
    glossary_id INTEGER NOT NULL REFERENCES glossaries(id),
    -- The server's epoch the replica was pulled under, when it gives one.
    epoch       TEXT,
    pulled_seq  INTEGER NOT NULL DEFAULT 0,
    synced_at   INTEGER,
    last_error  TEXT,
    -- Whether that error was the server being out of reach.
    offline     INTEGER NOT NULL DEFAULT 0,
    joined_at   INTEGER NOT NULL
);
-- kind: 'unit' or 'entry'; subject: the unit's or entry's team id; body:
-- the change as the protocol's JSON (an entry's base_seq is added when
-- it is sent, from team_entries).
CREATE TABLE team_outbox (
    seq        INTEGER PRIMARY KEY,
    op_id      TEXT    NOT NULL UNIQUE,
    kind       TEXT    NOT NULL CHECK (kind IN ('unit', 'entry')),
    subject    BLOB    NOT NULL,
    body       TEXT    NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX team_outbox_by_subject ON team_outbox (subject);
CREATE TABLE team_units (
    uuid    BLOB    PRIMARY KEY,
    unit_id INTEGER NOT NULL REFERENCES tm_units(id) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX team_units_by_unit ON team_units (unit_id);
-- seq: the version held (NULL for an entry made here and not yet sent);
-- entry_id NULL: deleted here or by the team, the version kept for the
-- next write's base.
CREATE TABLE team_entries (
    uuid     BLOB    PRIMARY KEY,
    entry_id INTEGER UNIQUE REFERENCES glossary_entries(id) ON DELETE SET NULL,
    seq      INTEGER
) WITHOUT ROWID;
CREATE TABLE team_conflicts (
    id          INTEGER PRIMARY KEY,
    entry_uuid  BLOB    NOT NULL,
    -- The entry that lost, as the protocol's JSON; NULL for a deletion.
    lost        TEXT,
    lost_seq    INTEGER NOT NULL,
    won_seq     INTEGER NOT NULL,
    received_at INTEGER NOT NULL,
    UNIQUE (won_seq, entry_uuid)
);
"#,
    // v21: operations the team server refused for good (or that break the
    // protocol's limits), set aside from the outbox with the reason so the
    // translator sees and drops them; glossary conflicts settled here whose
    // record the server has not yet been told is resolved; and the name
    // the membership's token is kept under, of this workspace alone (NULL
    // for a join made before: the name shared by server and user).
    r#"
CREATE TABLE team_rejected (
    op_id       TEXT    PRIMARY KEY,
    kind        TEXT    NOT NULL,
    subject     BLOB    NOT NULL,
    body        TEXT    NOT NULL,
    reason      TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    rejected_at INTEGER NOT NULL
);
CREATE TABLE team_resolutions (
    won_seq INTEGER PRIMARY KEY
);
ALTER TABLE team ADD COLUMN token_key TEXT;
"#,
    // v22: the team's shared documents (`team_documents.rs`): who holds
    // each, the link of those opened here to their local document and of
    // their segments to local segments with the server's version of each,
    // and the saves kept aside (refused by the server, or a teammate's over
    // an English edited here). The outbox takes operations on documents.
    r#"
CREATE TABLE team_outbox_v22 (
    seq        INTEGER PRIMARY KEY,
    op_id      TEXT    NOT NULL UNIQUE,
    kind       TEXT    NOT NULL CHECK (kind IN ('unit', 'entry', 'document')),
    subject    BLOB    NOT NULL,
    body       TEXT    NOT NULL,
    created_at INTEGER NOT NULL
);
INSERT INTO team_outbox_v22 SELECT * FROM team_outbox;
DROP TABLE team_outbox;
ALTER TABLE team_outbox_v22 RENAME TO team_outbox;
CREATE INDEX team_outbox_by_subject ON team_outbox (subject);
-- seq: the change that shared it (NULL while this workspace's sharing,
-- share_op, waits to be acknowledged); holder NULL: no one holds it.
CREATE TABLE team_documents (
    uuid        BLOB    PRIMARY KEY,
    name        TEXT    NOT NULL,
    seq         INTEGER,
    share_op    TEXT,
    n_segments  INTEGER NOT NULL,
    holder      TEXT,
    step        TEXT,
    lease_until TEXT,
    document_id INTEGER UNIQUE REFERENCES documents(id) ON DELETE SET NULL
) WITHOUT ROWID;
-- Segments of the shared documents opened (or shared) here. seq: the
-- server's version held; waiting_op: this workspace's operation that made
-- the English held and is not yet acknowledged; edited: the English was
-- changed here while someone else held the document (so never sent).
CREATE TABLE team_document_segments (
    uuid          BLOB    PRIMARY KEY,
    document_uuid BLOB    NOT NULL REFERENCES team_documents(uuid) ON DELETE CASCADE,
    segment_id    INTEGER UNIQUE REFERENCES segments(id) ON DELETE SET NULL,
    seq           INTEGER,
    waiting_op    TEXT,
    edited        INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE INDEX team_document_segments_by_op ON team_document_segments (waiting_op);
-- reason: the server's (not_holder, lease_expired, stale, unknown_segment)
-- for a save of this workspace refused, or edited_here for a teammate's
-- save that arrived over English edited here and not yet sent.
CREATE TABLE team_segment_conflicts (
    id            INTEGER PRIMARY KEY,
    op_id         TEXT    NOT NULL UNIQUE,
    document_uuid BLOB    NOT NULL,
    segment_uuid  BLOB    NOT NULL,
    author        TEXT    NOT NULL,
    target        TEXT    NOT NULL,
    status        TEXT    NOT NULL,
    reason        TEXT    NOT NULL,
    base_seq      INTEGER,
    current_seq   INTEGER,
    received_at   INTEGER NOT NULL
);
"#,
    // v23: a newcomer's snapshot of the team memory (`GET /v1/units`),
    // pulled before the log: the team's number it is as of, the id of the
    // last unit stored (committed with each batch, so a stopped snapshot
    // goes on after it), and whether it is whole.
    r#"
ALTER TABLE team ADD COLUMN snapshot_as_of INTEGER;
ALTER TABLE team ADD COLUMN snapshot_after BLOB;
ALTER TABLE team ADD COLUMN snapshot_done INTEGER NOT NULL DEFAULT 0;
"#,
    // v24: one unit per pair and TM is kept by a unique index of its own
    // rather than by a constraint of the table, so that a large TMX import
    // can drop it, check the pairs in memory, and build it again by sorting
    // (`Workspace::import_tmx`): inserting a million keys at random places
    // took a quarter of the storing. The table is rebuilt as SQLite's
    // "ALTER TABLE" procedure says (foreign keys are off meanwhile: see
    // `Workspace::migrate`), ids kept.
    r#"
CREATE TABLE tm_units_v24 (
    id            INTEGER PRIMARY KEY,
    tm_id         INTEGER NOT NULL REFERENCES tms(id) ON DELETE CASCADE,
    source        TEXT    NOT NULL,
    target        TEXT    NOT NULL,
    source_markup TEXT,
    target_markup TEXT,
    -- Hash of the previous and next source segments; NULL when unknown.
    context_hash  INTEGER,
    origin        TEXT,
    note          TEXT,
    -- TMX <prop> pairs as a JSON array of [type, value].
    props         TEXT,
    author        TEXT,
    -- TMX basic ISO dates (20240131T120000Z).
    created_at    TEXT,
    changed_at    TEXT,
    -- Stable 64-bit hash of source and target: one unit per pair and TM
    -- (`tm_units_by_pair`).
    pair_hash     INTEGER NOT NULL,
    changed_by    TEXT
);
INSERT INTO tm_units_v24
SELECT id, tm_id, source, target, source_markup, target_markup, context_hash, origin, note,
       props, author, created_at, changed_at, pair_hash, changed_by
FROM tm_units ORDER BY id;
DROP TABLE tm_units;
ALTER TABLE tm_units_v24 RENAME TO tm_units;
CREATE INDEX tm_units_by_context ON tm_units (tm_id, context_hash) WHERE context_hash IS NOT NULL;
CREATE UNIQUE INDEX tm_units_by_pair ON tm_units (tm_id, pair_hash);
"#,
    // v25: a concordance note's number is never used again, so that one
    // written after a search read the notes is not taken for one it put
    // right (`Concordance::put_right_stale` deletes up to the highest it
    // read; SQLite gives the next rowid after the highest held).
    r#"
CREATE TABLE concordance_stale_v25 (
    seq     INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_id INTEGER NOT NULL
);
INSERT INTO concordance_stale_v25 SELECT seq, unit_id FROM concordance_stale;
DROP TABLE concordance_stale;
ALTER TABLE concordance_stale_v25 RENAME TO concordance_stale;
"#,
];

/// The part of migration `version` that SQL alone cannot do.
pub(super) fn migrate_data(
    version: usize,
    tx: &rusqlite::Transaction<'_>,
) -> Result<(), super::StoreError> {
    match version {
        15 => super::tm::codes_from_markup(tx),
        _ => Ok(()),
    }
}
