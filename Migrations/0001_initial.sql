-- The queue: one row per unit of work against the portal.
CREATE TABLE jobs (
    id                 INTEGER PRIMARY KEY,
    kind               TEXT NOT NULL CHECK (kind IN ('upload', 'reorder')),
    mod                TEXT NOT NULL,
    state              TEXT NOT NULL CHECK (state IN ('queued', 'added', 'done', 'failed', 'cancelled')),
    -- upload jobs: the local file, and its SHA1 and size taken at enqueue
    file_path          TEXT,
    file_sha1          TEXT,
    file_size          INTEGER,
    -- reorder jobs: the wanted gallery, comma-separated image ids
    image_ids          TEXT,
    -- set once `add` succeeds; committed before the upload starts
    upload_url         TEXT,
    readd_count        INTEGER NOT NULL DEFAULT 0,
    attempts           INTEGER NOT NULL DEFAULT 0,
    next_attempt_at    REAL NOT NULL DEFAULT 0,
    lease_owner        TEXT,
    lease_expires_at   REAL,
    last_error_code    TEXT,
    last_error_message TEXT,
    -- upload jobs, once done: what the portal answered
    result_image_id    TEXT,
    created_at         REAL NOT NULL,
    updated_at         REAL NOT NULL,
    finished_at        REAL,
    CHECK ((kind = 'upload') = (file_path IS NOT NULL AND file_sha1 IS NOT NULL AND file_size IS NOT NULL)),
    CHECK ((kind = 'reorder') = (image_ids IS NOT NULL))
);

-- Claiming looks for the oldest open job of each mod.
CREATE INDEX jobs_open_by_mod ON jobs (mod, id) WHERE state IN ('queued', 'added');
CREATE INDEX jobs_mod_state ON jobs (mod, state);
CREATE INDEX jobs_state ON jobs (state);

-- Every state transition of a job, with its reason.
CREATE TABLE job_events (
    id         INTEGER PRIMARY KEY,
    job_id     INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    at         REAL NOT NULL,
    from_state TEXT,
    to_state   TEXT NOT NULL,
    reason     TEXT NOT NULL
);
CREATE INDEX job_events_job ON job_events (job_id, id);

-- Every image the portal confirmed uploaded; kept when job rows are pruned.
CREATE TABLE images (
    id          INTEGER PRIMARY KEY,
    mod         TEXT NOT NULL,
    image_id    TEXT NOT NULL,
    url         TEXT NOT NULL,
    thumbnail   TEXT NOT NULL,
    file_path   TEXT,
    uploaded_at REAL NOT NULL,
    job_id      INTEGER REFERENCES jobs (id) ON DELETE SET NULL
);
CREATE INDEX images_mod ON images (mod, id);

-- The shared request budget (a generic cell rate algorithm): one row per portal.
CREATE TABLE rate_limits (
    name                     TEXT PRIMARY KEY,
    theoretical_arrival_time REAL NOT NULL,
    -- set from a 429's Retry-After: nobody sends before this
    paused_until             REAL NOT NULL DEFAULT 0
);
