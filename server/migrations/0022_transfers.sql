-- Moving to another workplace union (转会). One request waits at a time per
-- member (a partial unique key: two taps, or two phones, make one); an
-- accepted one moves the roster entry's union on the day it is decided,
-- and is the record of the membership that ended and the one that began.
CREATE TABLE transfer_requests (
    id {{ID}},
    roster_id BIGINT NOT NULL REFERENCES roster_entries(id),
    from_union_id BIGINT NOT NULL REFERENCES unions(id),
    to_union_id BIGINT NOT NULL REFERENCES unions(id),
    status TEXT NOT NULL,
    reason TEXT NOT NULL,
    note TEXT,
    requested_at BIGINT NOT NULL,
    decided_by BIGINT REFERENCES users(id),
    decided_at BIGINT
);
CREATE UNIQUE INDEX transfer_one_waiting ON transfer_requests(roster_id) WHERE status = 'pending';
CREATE INDEX transfer_to ON transfer_requests(to_union_id, status);
CREATE INDEX transfer_from ON transfer_requests(from_union_id);
