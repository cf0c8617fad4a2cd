-- `status` on a million jobs: counts per mod and state kept up to date, instead of
-- counting every job on each call. Triggers keep them through updates and deletes; new
-- jobs are counted once per mod and command by the code that inserts them (JobInserter),
-- since a trigger per inserted row would triple the cost of queueing a large batch.
CREATE TABLE job_counts (
    mod   TEXT NOT NULL,
    state TEXT NOT NULL,
    n     INTEGER NOT NULL,
    PRIMARY KEY (mod, state)
) WITHOUT ROWID;

INSERT INTO job_counts (mod, state, n) SELECT mod, state, COUNT(*) FROM jobs GROUP BY mod, state;

CREATE TRIGGER jobs_count_delete AFTER DELETE ON jobs BEGIN
    UPDATE job_counts SET n = n - 1 WHERE mod = OLD.mod AND state = OLD.state;
END;

CREATE TRIGGER jobs_count_update AFTER UPDATE OF state ON jobs WHEN OLD.state <> NEW.state BEGIN
    UPDATE job_counts SET n = n - 1 WHERE mod = OLD.mod AND state = OLD.state;
    INSERT INTO job_counts (mod, state, n) VALUES (NEW.mod, NEW.state, 1)
    ON CONFLICT (mod, state) DO UPDATE SET n = n + 1;
END;

-- The last error of each mod, found without reading finished jobs (or the job rows).
CREATE INDEX jobs_errors ON jobs (mod, updated_at, last_error_code, last_error_message)
    WHERE last_error_code IS NOT NULL AND state IN ('queued', 'added', 'failed');

-- When the next retry is due, found among the jobs backing off only.
CREATE INDEX jobs_backoff ON jobs (next_attempt_at, mod) WHERE state IN ('queued', 'added') AND next_attempt_at > 0;

-- Replaced by job_counts, jobs_open_by_mod and jobs_errors; each index costs every insert.
DROP INDEX jobs_mod_state;
DROP INDEX jobs_state;
