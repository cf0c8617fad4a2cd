-- Job ids are never given twice. SQLite hands out one more than the highest id in the table,
-- so after `prune` removed the newest jobs, new jobs took their ids: `log 4` showed another job
-- than before, and the gallery log and upload history named the wrong one. `prune` now records
-- here the highest id it has seen before it deletes, and new jobs are numbered above it.
CREATE TABLE job_ids (
    highest INTEGER NOT NULL
);
INSERT INTO job_ids (highest) SELECT COALESCE(MAX(id), 0) FROM jobs;
