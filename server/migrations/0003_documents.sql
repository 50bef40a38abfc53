-- Shared documents: the role of editor, the documents and their segments
-- as the log leaves them, who holds each, and the saves that were refused.

-- Editors assign and release documents; they do not manage users.
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check
    CHECK (role IN ('admin', 'editor', 'translator', 'reviewer'));

CREATE TABLE documents (
    team_id bigint NOT NULL REFERENCES teams (id),
    id uuid NOT NULL,
    name text NOT NULL,
    -- The change that shared it.
    seq bigint NOT NULL,
    PRIMARY KEY (team_id, id)
);

-- Each segment keeps its current version: the number and operation of the
-- change that made it, which a save must be based on.
CREATE TABLE document_segments (
    team_id bigint NOT NULL,
    document_id uuid NOT NULL,
    id uuid NOT NULL,
    position integer NOT NULL,
    source text NOT NULL,
    target text NOT NULL,
    status text NOT NULL,
    seq bigint NOT NULL,
    op_id uuid NOT NULL,
    PRIMARY KEY (team_id, document_id, id),
    UNIQUE (team_id, document_id, position),
    FOREIGN KEY (team_id, document_id) REFERENCES documents (team_id, id)
);

-- One holder a document; a released document has no row.
CREATE TABLE assignments (
    team_id bigint NOT NULL,
    document_id uuid NOT NULL,
    user_id bigint NOT NULL REFERENCES users (id),
    step text NOT NULL CHECK (step IN ('translate', 'review')),
    lease_until timestamptz NOT NULL,
    -- The change that assigned it.
    seq bigint NOT NULL,
    PRIMARY KEY (team_id, document_id),
    FOREIGN KEY (team_id, document_id) REFERENCES documents (team_id, id)
);

-- Saves refused by the rule, kept under their operation's id so that a
-- retried push answers the same, and listed until a member resolves them.
CREATE TABLE segment_conflicts (
    -- Orders the listing; never sent.
    n bigint GENERATED ALWAYS AS IDENTITY,
    team_id bigint NOT NULL REFERENCES teams (id),
    op_id uuid NOT NULL,
    user_id bigint NOT NULL REFERENCES users (id),
    at timestamptz NOT NULL DEFAULT now(),
    change jsonb NOT NULL,
    conflict jsonb NOT NULL,
    resolved_at timestamptz,
    resolved_by bigint REFERENCES users (id),
    PRIMARY KEY (team_id, op_id)
);
CREATE INDEX segment_conflicts_unresolved ON segment_conflicts (team_id, n)
    WHERE resolved_at IS NULL;
