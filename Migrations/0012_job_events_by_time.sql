-- The dashboard's run at a glance reads the events of the last hours (jobs done and failed per
-- minute, the current run): a time window read from an index, whatever the queue's size.
CREATE INDEX job_events_at ON job_events (at);
