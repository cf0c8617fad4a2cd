-- Claims in O(log n): each mod's next job is kept in `mod_heads`, one row per mod with open
-- work, so a claim reads one index entry instead of evaluating every open job. Triggers keep it
-- through every change of a job's state, lease or backoff (and the deletes of open jobs); jobs
-- are inserted only by JobInserter, which refreshes each mod of its batch once.
CREATE TABLE mod_heads (
    mod        TEXT PRIMARY KEY,
    -- the mod's oldest open job
    head       INTEGER NOT NULL,
    -- when the head may be claimed: the end of its backoff, of its own lease and of every other
    -- lease on an open job of the mod (one job of a mod at a time)
    ready_at   REAL NOT NULL,
    -- the queued upload right after the head, while the head is an added upload under a claim:
    -- it may make its `add` ahead from ahead_at on, as long as the head's lease (head_lease) lives
    ahead      INTEGER,
    ahead_at   REAL,
    head_lease REAL,
    -- when a claim on a job of the mod last ended: mods take turns, the one whose job ended
    -- longest ago (or that never ran) first, so every mod moves on and all finish together
    turn       REAL NOT NULL DEFAULT 0
) WITHOUT ROWID;
-- Heads in the order they take turns: a head that may run now sorts by its turn, before every
-- head still waiting (whose ready_at is later than now).
CREATE INDEX mod_heads_turns ON mod_heads (MAX(ready_at, turn), head);
-- When the next head may run, for a worker with nothing to claim now.
CREATE INDEX mod_heads_ready ON mod_heads (ready_at);
CREATE INDEX mod_heads_ahead ON mod_heads (ahead_at, ahead) WHERE ahead_at IS NOT NULL;

-- The leases on a mod's open jobs (a handful at most: one per slot of a worker).
CREATE INDEX jobs_leases ON jobs (mod, lease_expires_at)
    WHERE lease_expires_at IS NOT NULL AND state IN ('queued', 'added');

-- How many of the jobs a job waits for are still open: kept by triggers when a job leaves or
-- re-enters the open states, so neither the claim nor `status` reads dependency rows.
ALTER TABLE jobs ADD COLUMN open_dependencies INTEGER NOT NULL DEFAULT 0;
UPDATE jobs SET open_dependencies = (
    SELECT COUNT(*) FROM job_dependencies AS d JOIN jobs AS k ON k.id = d.depends_on
    WHERE d.job_id = jobs.id AND k.state IN ('queued', 'added'))
WHERE id IN (SELECT job_id FROM job_dependencies);
CREATE INDEX jobs_waiting ON jobs (mod) WHERE open_dependencies > 0 AND state IN ('queued', 'added');

CREATE TRIGGER jobs_dependency_closed AFTER UPDATE OF state ON jobs
WHEN OLD.state IN ('queued', 'added') AND NEW.state NOT IN ('queued', 'added') BEGIN
    UPDATE jobs SET open_dependencies = open_dependencies - 1
    WHERE id IN (SELECT job_id FROM job_dependencies WHERE depends_on = NEW.id);
END;

CREATE TRIGGER jobs_dependency_reopened AFTER UPDATE OF state ON jobs
WHEN OLD.state NOT IN ('queued', 'added') AND NEW.state IN ('queued', 'added') BEGIN
    UPDATE jobs SET open_dependencies = open_dependencies + 1
    WHERE id IN (SELECT job_id FROM job_dependencies WHERE depends_on = NEW.id);
END;

-- A deleted open job no longer holds up the jobs that waited for it (its dependency rows go
-- with it, by the foreign key's cascade).
CREATE TRIGGER jobs_dependency_deleted BEFORE DELETE ON jobs
WHEN OLD.state IN ('queued', 'added') BEGIN
    UPDATE jobs SET open_dependencies = open_dependencies - 1
    WHERE id IN (SELECT job_id FROM job_dependencies WHERE depends_on = OLD.id);
END;

-- Each open job's row as it would stand in mod_heads were it its mod's head: the triggers below,
-- JobInserter and the backfill pick the head (the mod's lowest open id) out of it.
CREATE VIEW mod_head_candidates AS
SELECT h.mod AS mod, h.id AS head,
    MAX(h.next_attempt_at, COALESCE(h.lease_expires_at, 0), COALESCE((
        SELECT MAX(o.lease_expires_at) FROM jobs AS o INDEXED BY jobs_leases
        WHERE o.mod = h.mod AND o.lease_expires_at IS NOT NULL AND o.state IN ('queued', 'added') AND o.id <> h.id), 0))
        AS ready_at,
    s.id AS ahead,
    CASE WHEN h.kind = 'upload' AND h.state = 'added' AND h.lease_expires_at IS NOT NULL
        AND s.kind = 'upload' AND s.state = 'queued' THEN
        MAX(s.next_attempt_at, COALESCE(s.lease_expires_at, 0), COALESCE((
            SELECT MAX(o.lease_expires_at) FROM jobs AS o INDEXED BY jobs_leases
            WHERE o.mod = h.mod AND o.lease_expires_at IS NOT NULL AND o.state IN ('queued', 'added')
              AND o.id <> h.id AND o.id <> s.id), 0))
    END AS ahead_at,
    h.lease_expires_at AS head_lease
FROM jobs AS h LEFT JOIN jobs AS s ON s.id = (
    SELECT MIN(k.id) FROM jobs AS k WHERE k.mod = h.mod AND k.state IN ('queued', 'added') AND k.id > h.id)
WHERE h.state IN ('queued', 'added');

-- The head of one mod, computed again (as ClaimRules.refreshHead does for JobInserter), keeping
-- its turn, moved to now when the change ends a claim; the row goes once the mod has no open job.
CREATE TRIGGER jobs_head_changed AFTER UPDATE OF state, lease_expires_at, next_attempt_at ON jobs
WHEN OLD.state IN ('queued', 'added') OR NEW.state IN ('queued', 'added') BEGIN
    INSERT OR REPLACE INTO mod_heads (mod, head, ready_at, ahead, ahead_at, head_lease, turn)
    SELECT mod, head, ready_at, ahead, ahead_at, head_lease,
        MAX(COALESCE((SELECT turn FROM mod_heads WHERE mod = NEW.mod), 0),
            CASE WHEN OLD.lease_expires_at IS NOT NULL AND NEW.lease_expires_at IS NULL THEN NEW.updated_at ELSE 0 END)
    FROM mod_head_candidates
    WHERE head = (SELECT MIN(k.id) FROM jobs AS k WHERE k.mod = NEW.mod AND k.state IN ('queued', 'added'));
    DELETE FROM mod_heads WHERE mod = NEW.mod
      AND NOT EXISTS (SELECT 1 FROM jobs AS k WHERE k.mod = NEW.mod AND k.state IN ('queued', 'added'));
END;

CREATE TRIGGER jobs_head_deleted AFTER DELETE ON jobs
WHEN OLD.state IN ('queued', 'added') BEGIN
    INSERT OR REPLACE INTO mod_heads (mod, head, ready_at, ahead, ahead_at, head_lease, turn)
    SELECT mod, head, ready_at, ahead, ahead_at, head_lease, COALESCE((SELECT turn FROM mod_heads WHERE mod = OLD.mod), 0)
    FROM mod_head_candidates
    WHERE head = (SELECT MIN(k.id) FROM jobs AS k WHERE k.mod = OLD.mod AND k.state IN ('queued', 'added'));
    DELETE FROM mod_heads WHERE mod = OLD.mod
      AND NOT EXISTS (SELECT 1 FROM jobs AS k WHERE k.mod = OLD.mod AND k.state IN ('queued', 'added'));
END;

-- Every mod's head as the queue stands.
INSERT INTO mod_heads (mod, head, ready_at, ahead, ahead_at, head_lease)
SELECT mod, head, ready_at, ahead, ahead_at, head_lease FROM mod_head_candidates
WHERE head IN (SELECT MIN(id) FROM jobs WHERE state IN ('queued', 'added') GROUP BY mod);

-- One mod's jobs in every state, newest first, a page at a time (the dashboard's mod page and
-- its jobs pages, /api/jobs?mod=, jobs --mod): without it a page of a small mod walked the whole
-- table back from the newest job.
CREATE INDEX jobs_mod ON jobs (mod, id);

-- A mod's last edit, found without reading its uploads in the gallery log.
CREATE INDEX gallery_log_edits ON gallery_log (mod, id) WHERE kind = 'edited';
