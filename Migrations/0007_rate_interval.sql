-- The interval of the rate that wrote the budget's state: a budget written at another rate
-- (an earlier `--rate 1/h`) is cut to one burst of today's rate; one written at today's rate
-- is used as it is, so workers whose clocks were read a moment apart never cut each other's
-- reservations.
ALTER TABLE rate_limits ADD COLUMN interval REAL NOT NULL DEFAULT 0;
