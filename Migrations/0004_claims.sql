-- A claim, not an owner, holds a job: a token unique to one claim (not to the process), so
-- every write about the job can require that very claim, the expected state and an unexpired
-- lease in one statement. The holder's host, pid and process start time let a worker on the
-- same host take over at once a claim whose process is gone.
ALTER TABLE jobs RENAME COLUMN lease_owner TO claim_token;
ALTER TABLE jobs ADD COLUMN claim_host TEXT;
ALTER TABLE jobs ADD COLUMN claim_pid INTEGER;
ALTER TABLE jobs ADD COLUMN claim_process_start INTEGER;

-- Finding the live claims of one host, to recognise dead holders.
CREATE INDEX jobs_claims ON jobs (claim_host) WHERE claim_token IS NOT NULL;
