-- Teams, their users and tokens, the change log and the current state it leads to.

CREATE TABLE teams (
    id bigserial PRIMARY KEY,
    name text NOT NULL UNIQUE,
    -- The last sequence number given to a change of the team. A push locks
    -- this row until it commits, so changes commit in sequence order.
    seq bigint NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
    id bigserial PRIMARY KEY,
    team_id bigint NOT NULL REFERENCES teams (id),
    name text NOT NULL UNIQUE,
    role text NOT NULL CHECK (role IN ('admin', 'translator', 'reviewer')),
    created_at timestamptz NOT NULL DEFAULT now()
);

-- Only the SHA-256 of a token is kept.
CREATE TABLE tokens (
    id bigserial PRIMARY KEY,
    user_id bigint NOT NULL REFERENCES users (id),
    hash bytea NOT NULL UNIQUE,
    created_at timestamptz NOT NULL DEFAULT now(),
    revoked_at timestamptz
);

CREATE TABLE changes (
    team_id bigint NOT NULL REFERENCES teams (id),
    seq bigint NOT NULL,
    op_id uuid NOT NULL,
    user_id bigint NOT NULL REFERENCES users (id),
    at timestamptz NOT NULL DEFAULT now(),
    change jsonb NOT NULL,
    conflict jsonb,
    PRIMARY KEY (team_id, seq),
    UNIQUE (team_id, op_id)
);

-- The team memory as the log leaves it; a deleted unit keeps its row.
CREATE TABLE units (
    team_id bigint NOT NULL REFERENCES teams (id),
    id uuid NOT NULL,
    source text NOT NULL,
    target text NOT NULL,
    seq bigint NOT NULL,
    deleted_seq bigint,
    PRIMARY KEY (team_id, id)
);
CREATE INDEX units_by_source ON units (team_id, source);

-- The team glossary's current versions; a deleted entry has no entry.
CREATE TABLE entries (
    team_id bigint NOT NULL REFERENCES teams (id),
    id uuid NOT NULL,
    seq bigint NOT NULL,
    entry jsonb,
    PRIMARY KEY (team_id, id)
);

-- Versions that a later write replaced unseen.
CREATE TABLE entry_conflicts (
    team_id bigint NOT NULL REFERENCES teams (id),
    entry_id uuid NOT NULL,
    lost jsonb,
    lost_seq bigint NOT NULL,
    won_seq bigint NOT NULL,
    PRIMARY KEY (team_id, won_seq)
);
