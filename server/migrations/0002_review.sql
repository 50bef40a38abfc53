-- Fixes of the first review: sources of any allowed length, an epoch per
-- team, user names unique per team, the operation behind each glossary
-- version, and resolvable glossary conflicts.

-- A btree entry holds at most about 2.7 KB, and a source up to 10,000
-- characters: the index holds the source's MD5, lookups compare both.
DROP INDEX units_by_source;
CREATE INDEX units_by_source_md5 ON units (team_id, md5(source));

-- Made with the team (a distinct one for each existing team); made anew
-- when the team's log starts over, so clients know to pull from 0.
ALTER TABLE teams ADD COLUMN epoch uuid NOT NULL DEFAULT gen_random_uuid();

-- Two teams may each have an "anna"; one team may not have two.
ALTER TABLE users DROP CONSTRAINT users_name_key;
ALTER TABLE users ADD CONSTRAINT users_team_id_name_key UNIQUE (team_id, name);

-- The operation that made an entry's current version, so that a client's
-- second unsent edit, based on its first, is no conflict.
ALTER TABLE entries ADD COLUMN op_id uuid;
UPDATE entries e SET op_id = c.op_id
FROM changes c WHERE c.team_id = e.team_id AND c.seq = e.seq;

-- A conflict stays listed until a member of the team resolves it.
ALTER TABLE entry_conflicts
    ADD COLUMN resolved_at timestamptz,
    ADD COLUMN resolved_by bigint REFERENCES users (id);
CREATE INDEX entry_conflicts_unresolved ON entry_conflicts (team_id, won_seq)
    WHERE resolved_at IS NULL;
