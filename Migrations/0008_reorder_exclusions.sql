-- `remove`: a reorder that keeps the gallery as it is just before its `edit` (keep_unlisted)
-- minus these images, comma-separated ids. NULL for every other job.
ALTER TABLE jobs ADD COLUMN exclude_ids TEXT;

-- `jobs --state failed|cancelled` (and `--mod`), newest first, without reading the finished
-- jobs that went well. Only rows in those states are in it, so queueing costs nothing more.
CREATE INDEX jobs_unsuccessful ON jobs (state, mod, id) WHERE state IN ('failed', 'cancelled');
