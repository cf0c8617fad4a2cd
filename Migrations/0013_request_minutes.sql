-- Requests charged to the budget, counted per minute (the minute is Unix seconds / 60), so the
-- dashboard can chart requests a minute next to jobs. One row a minute with requests; rows
-- older than a day are dropped as new ones come.
CREATE TABLE request_minutes (
    minute   INTEGER PRIMARY KEY,
    requests INTEGER NOT NULL
);
