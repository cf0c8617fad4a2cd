-- A reorder planned by `enqueue` runs only after the uploads it names are done.
CREATE TABLE job_dependencies (
    job_id     INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    depends_on INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    PRIMARY KEY (job_id, depends_on)
) WITHOUT ROWID;
CREATE INDEX job_dependencies_depends_on ON job_dependencies (depends_on);

-- Finding what is already queued or uploaded for a mod, by SHA1.
CREATE INDEX jobs_mod_sha1 ON jobs (mod, file_sha1) WHERE kind = 'upload';
CREATE INDEX images_mod_image ON images (mod, image_id);

-- Facts every worker on this database must heed, e.g. that the portal refused the API key.
CREATE TABLE worker_signals (
    name   TEXT PRIMARY KEY,
    at     REAL NOT NULL,
    detail TEXT NOT NULL
);

-- A reorder planned from a manifest with `prune = false` keeps the gallery's other images
-- after the listed ones; which they are is read from the portal just before the `edit`.
ALTER TABLE jobs ADD COLUMN keep_unlisted INTEGER NOT NULL DEFAULT 0;
