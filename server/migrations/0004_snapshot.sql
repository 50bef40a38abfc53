-- A newcomer's snapshot of the team memory: each unit's author and time
-- (those of the change that made its current version, written by pushes
-- from now on), and the log's changes that are not to units, which a
-- client holding the snapshot reads alone up to it.

ALTER TABLE units
    ADD COLUMN user_id bigint REFERENCES users (id),
    ADD COLUMN at timestamptz;
UPDATE units u SET user_id = c.user_id, at = c.at
FROM changes c WHERE c.team_id = u.team_id AND c.seq = u.seq;

CREATE INDEX changes_not_units ON changes (team_id, seq)
    WHERE change->>'kind' NOT IN ('unit_added', 'unit_deleted');
