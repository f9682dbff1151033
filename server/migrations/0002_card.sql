-- The member card: e-card devices, cashier checks, join requests, card serials.

-- A secret that makes e-card codes. `kind` is 'phone' (provisioned to one
-- phone, for offline codes; revoked at sign-out) or 'online' (held by the
-- server, for codes fetched live).
CREATE TABLE card_devices (
    id {{ID}},
    card_id BIGINT NOT NULL REFERENCES cards(id),
    user_id BIGINT REFERENCES users(id),
    session_hash TEXT,
    kind TEXT NOT NULL,
    secret_enc TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT
);
CREATE INDEX card_devices_card ON card_devices(card_id);
CREATE INDEX card_devices_session ON card_devices(session_hash);

-- Every code a cashier checked, valid or not.
CREATE TABLE card_checks (
    id {{ID}},
    card_id BIGINT REFERENCES cards(id),
    merchant_id BIGINT REFERENCES merchants(id),
    cashier_id BIGINT NOT NULL REFERENCES users(id),
    result TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX card_checks_merchant_at ON card_checks(merchant_id, at);

-- Applications to join from people not in any roster.
CREATE TABLE join_requests (
    id {{ID}},
    union_id BIGINT NOT NULL REFERENCES unions(id),
    name TEXT NOT NULL,
    id_enc TEXT NOT NULL,
    id_hash TEXT NOT NULL,
    id_masked TEXT NOT NULL,
    phone_enc TEXT NOT NULL,
    phone_hash TEXT NOT NULL,
    phone_masked TEXT NOT NULL,
    workplace TEXT NOT NULL,
    status TEXT NOT NULL,
    note TEXT,
    decided_by BIGINT REFERENCES users(id),
    decided_at BIGINT,
    roster_id BIGINT REFERENCES roster_entries(id),
    created_at BIGINT NOT NULL
);
CREATE INDEX join_requests_union_status ON join_requests(union_id, status);
CREATE INDEX join_requests_id_hash ON join_requests(id_hash);

-- Named counters; 'card_serial' is the last card serial handed out.
CREATE TABLE counters (
    name TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);
INSERT INTO counters (name, value) VALUES ('card_serial', 1000);

-- Cards remember what they were before an officer froze them.
ALTER TABLE cards ADD COLUMN status_before_freeze TEXT;
