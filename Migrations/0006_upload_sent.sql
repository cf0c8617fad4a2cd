-- Set, in the same transaction that charges and confirms it, when an upload request is about
-- to be sent: from then on the image may be in the gallery whatever the job's state says, so
-- any later run reads the listing before it adds or uploads again.
ALTER TABLE jobs ADD COLUMN upload_sent INTEGER NOT NULL DEFAULT 0;
