-- Foundation: unions, the roster, cards, accounts, sessions, throttling, audit.
-- Written once for SQLite and PostgreSQL: {{ID}} becomes each engine's
-- auto-numbered primary key; instants are Unix seconds; booleans are 0/1.

-- The union hierarchy: province > city > district > workplace.
-- `path` is the chain of ids from the top ("/1/2/7/"), so "this union and
-- everything below it" is one indexed prefix match on either engine.
CREATE TABLE unions (
    id {{ID}},
    parent_id BIGINT REFERENCES unions(id),
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    level TEXT NOT NULL,
    district TEXT,
    path TEXT NOT NULL DEFAULT ''
);
CREATE INDEX unions_path ON unions(path);
CREATE INDEX unions_parent ON unions(parent_id);

-- Members as the workplace union reported them. ID numbers and phones are
-- encrypted (`*_enc`); `id_hash` is a keyed hash for exact look-ups.
CREATE TABLE roster_entries (
    id {{ID}},
    union_id BIGINT NOT NULL REFERENCES unions(id),
    name TEXT NOT NULL,
    id_enc TEXT NOT NULL,
    id_hash TEXT NOT NULL UNIQUE,
    id_masked TEXT NOT NULL,
    gender TEXT NOT NULL,
    birth_date TEXT NOT NULL,
    phone_enc TEXT,
    phone_masked TEXT,
    workplace TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX roster_union ON roster_entries(union_id);

-- One card per roster entry at a time.
CREATE TABLE cards (
    id {{ID}},
    roster_id BIGINT NOT NULL UNIQUE REFERENCES roster_entries(id),
    card_no TEXT NOT NULL UNIQUE,
    bank TEXT NOT NULL,
    status TEXT NOT NULL,
    issued_at BIGINT NOT NULL,
    activated_at BIGINT
);
CREATE INDEX cards_status ON cards(status);

-- Partner merchants (the discounts feature adds the rest of their details).
CREATE TABLE merchants (
    id {{ID}},
    name TEXT NOT NULL,
    category TEXT NOT NULL,
    district TEXT NOT NULL,
    address TEXT NOT NULL
);

-- Accounts. A member's account points at their roster entry; a cashier's at
-- a merchant; an officer's at a union. Phones: keyed hash to sign in,
-- encrypted copy, masked copy for display.
CREATE TABLE users (
    id {{ID}},
    phone_hash TEXT NOT NULL UNIQUE,
    phone_enc TEXT NOT NULL,
    phone_masked TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    roster_id BIGINT UNIQUE REFERENCES roster_entries(id),
    union_id BIGINT REFERENCES unions(id),
    merchant_id BIGINT REFERENCES merchants(id),
    created_at BIGINT NOT NULL
);

-- Sessions: only a hash of the cookie's token is stored, so a copy of the
-- database cannot be used to sign in.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

-- Failed sign-ins, per phone and per client address, kept in the database so
-- every server instance counts the same attempts.
CREATE TABLE login_failures (
    id {{ID}},
    key TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX login_failures_key_at ON login_failures(key, at);

-- Who did what, written in the same transaction as the change itself.
CREATE TABLE audit_log (
    id {{ID}},
    at BIGINT NOT NULL,
    actor_id BIGINT REFERENCES users(id),
    union_id BIGINT REFERENCES unions(id),
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    before_json TEXT,
    after_json TEXT
);
CREATE INDEX audit_union_at ON audit_log(union_id, at);
