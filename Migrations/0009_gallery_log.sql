-- The gallery model: every change this queue made to a mod's gallery, in the order the portal
-- confirmed it — an image uploaded (or found there), or the gallery an `edit` set and the
-- images that edit took out. Kept when job rows are pruned, like `images`, so what a remove or
-- a prune took out is never put back by a later edit built from a lagging listing.
CREATE TABLE gallery_log (
    id          INTEGER PRIMARY KEY,
    mod         TEXT NOT NULL,
    at          REAL NOT NULL,
    -- the job that made the change; no foreign key: the entry outlives the job
    job_id      INTEGER,
    kind        TEXT NOT NULL CHECK (kind IN ('uploaded', 'edited')),
    -- uploaded: the image id; edited: the gallery the edit set, comma-separated, in order
    image_ids   TEXT NOT NULL,
    -- edited: images the edit took out that only the listing it read showed, comma-separated
    removed_ids TEXT NOT NULL DEFAULT ''
);
CREATE INDEX gallery_log_mod ON gallery_log (mod, id);

-- What earlier versions recorded: every upload in the history, and every done reorder whose
-- gallery is known from the job itself (one that kept no unlisted image and excluded none),
-- in the order they happened.
INSERT INTO gallery_log (mod, at, job_id, kind, image_ids)
SELECT mod, at, job_id, kind, image_ids FROM (
    SELECT mod, uploaded_at AS at, job_id, 'uploaded' AS kind, image_id AS image_ids, 0 AS edit, id AS seq FROM images
    UNION ALL
    SELECT mod, finished_at, id, 'edited', lower(image_ids), 1, id FROM jobs
    WHERE kind = 'reorder' AND state = 'done' AND keep_unlisted = 0 AND exclude_ids IS NULL AND finished_at IS NOT NULL
)
ORDER BY at, edit, seq;
