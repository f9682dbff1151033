-- Discounts: merchant details, offers, one-time redemption codes, complaints,
-- and idempotency keys for creating requests.

-- Coordinates are integer micro-degrees: exact on both engines.
ALTER TABLE merchants ADD COLUMN union_id BIGINT REFERENCES unions(id);
ALTER TABLE merchants ADD COLUMN lat_e6 BIGINT NOT NULL DEFAULT 0;
ALTER TABLE merchants ADD COLUMN lng_e6 BIGINT NOT NULL DEFAULT 0;
ALTER TABLE merchants ADD COLUMN hours TEXT NOT NULL DEFAULT '';
ALTER TABLE merchants ADD COLUMN phone TEXT NOT NULL DEFAULT '';
ALTER TABLE merchants ADD COLUMN contract_from TEXT NOT NULL DEFAULT '';
ALTER TABLE merchants ADD COLUMN contract_to TEXT NOT NULL DEFAULT '';
ALTER TABLE merchants ADD COLUMN status TEXT NOT NULL DEFAULT 'active';
ALTER TABLE merchants ADD COLUMN typical_bill_fen BIGINT NOT NULL DEFAULT 10000;
-- Name, district, address and offer titles, for one search over all of them.
ALTER TABLE merchants ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
CREATE INDEX merchants_category ON merchants(category, id);
CREATE INDEX merchants_lat ON merchants(lat_e6);

CREATE TABLE offers (
    id {{ID}},
    merchant_id BIGINT NOT NULL REFERENCES merchants(id),
    title TEXT NOT NULL,
    kind TEXT NOT NULL,
    basis_points BIGINT,
    amount_fen BIGINT,
    price_fen BIGINT,
    min_spend_fen BIGINT NOT NULL DEFAULT 0,
    max_discount_fen BIGINT,
    valid_from TEXT NOT NULL,
    valid_to TEXT NOT NULL,
    weekdays BIGINT NOT NULL DEFAULT 127,
    limit_count BIGINT,
    limit_period TEXT,
    status TEXT NOT NULL DEFAULT 'active',
    created_at BIGINT NOT NULL
);
CREATE INDEX offers_merchant ON offers(merchant_id);

-- A one-time code. It is confirmed at most once: the confirmation is a
-- conditional update from 'issued', which only one request can win.
CREATE TABLE redemptions (
    id {{ID}},
    code TEXT NOT NULL UNIQUE,
    offer_id BIGINT NOT NULL REFERENCES offers(id),
    merchant_id BIGINT NOT NULL REFERENCES merchants(id),
    card_id BIGINT NOT NULL REFERENCES cards(id),
    user_id BIGINT REFERENCES users(id),
    status TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    confirmed_at BIGINT,
    cashier_id BIGINT REFERENCES users(id),
    bill_fen BIGINT,
    discount_fen BIGINT,
    pay_fen BIGINT
);
CREATE INDEX redemptions_card ON redemptions(card_id, offer_id, status);
CREATE INDEX redemptions_merchant ON redemptions(merchant_id, confirmed_at);
CREATE INDEX redemptions_confirmed ON redemptions(confirmed_at);

CREATE TABLE complaints (
    id {{ID}},
    merchant_id BIGINT NOT NULL REFERENCES merchants(id),
    user_id BIGINT NOT NULL REFERENCES users(id),
    redemption_id BIGINT REFERENCES redemptions(id),
    kind TEXT NOT NULL,
    text TEXT NOT NULL,
    status TEXT NOT NULL,
    note TEXT,
    resolved_by BIGINT REFERENCES users(id),
    resolved_at BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX complaints_merchant ON complaints(merchant_id, status);

-- The first answer to a creating request, replayed for a retry with the same key.
CREATE TABLE idempotency_keys (
    user_id BIGINT NOT NULL,
    key TEXT NOT NULL,
    status BIGINT NOT NULL,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, key)
);

-- An optional photo with a complaint: stored outside the database.
ALTER TABLE complaints ADD COLUMN photo_name TEXT;
ALTER TABLE complaints ADD COLUMN photo_kind TEXT;
