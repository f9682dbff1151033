-- Hardening (issue 12).

-- One pending application to join per person: two identical requests sent
-- at once store one (the second meets this key).
CREATE UNIQUE INDEX join_requests_one_pending ON join_requests(id_hash) WHERE status = 'pending';

-- Idempotency keys are scoped by user and route (the route is part of the
-- stored key) and remember a hash of the body: the same key with another
-- body is refused instead of answered with the first result.
ALTER TABLE idempotency_keys ADD COLUMN body_hash TEXT NOT NULL DEFAULT '';

-- A check value made with the data key: a server started with another key
-- (a lost or swapped key file) refuses to start instead of failing every
-- sign-in and decryption.
CREATE TABLE key_checks (
    name TEXT PRIMARY KEY,
    check_value TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

-- Sessions end after a while without use, not only at their hard expiry.
ALTER TABLE sessions ADD COLUMN last_seen_at BIGINT NOT NULL DEFAULT 0;
UPDATE sessions SET last_seen_at = created_at;

-- Attempts counted per key (a phone's sign-ins, a client address, an ID
-- number looked up anonymously): one row per key, changed by one atomic
-- conditional update, so parallel requests cannot all pass a limit. Past the
-- limit a key is locked for a step that grows (1, 2, 4, 8, then 15 minutes)
-- and one attempt is let through after each step: a stranger cannot lock
-- the owner out for good.
CREATE TABLE throttle (
    key TEXT PRIMARY KEY,
    hits BIGINT NOT NULL,
    last_at BIGINT NOT NULL,
    locked_until BIGINT NOT NULL
);

-- Replaced by `throttle` (counted before the password is checked).
DROP TABLE login_failures;
