-- Union money onto members' cards: batches that one officer prepares and
-- another approves, and one ledger line per payment with who did each step.
-- The card number and name are copied onto the line when it is made: the
-- bank's file says what was sent even after the card is replaced.
CREATE TABLE payment_batches (
    id {{ID}},
    union_id BIGINT NOT NULL REFERENCES unions(id),
    programme TEXT NOT NULL,
    title TEXT NOT NULL,
    status TEXT NOT NULL,
    line_count BIGINT NOT NULL,
    total_fen BIGINT NOT NULL,
    retry_of BIGINT REFERENCES payment_batches(id),
    prepared_by BIGINT NOT NULL REFERENCES users(id),
    prepared_at BIGINT NOT NULL,
    approved_by BIGINT REFERENCES users(id),
    approved_at BIGINT,
    sent_by BIGINT REFERENCES users(id),
    sent_at BIGINT,
    settled_at BIGINT
);
CREATE INDEX payment_batches_union ON payment_batches(union_id, id);

CREATE TABLE payment_lines (
    id {{ID}},
    batch_id BIGINT NOT NULL REFERENCES payment_batches(id),
    roster_id BIGINT NOT NULL REFERENCES roster_entries(id),
    reference TEXT NOT NULL UNIQUE,
    card_no TEXT NOT NULL,
    holder_name TEXT NOT NULL,
    amount_fen BIGINT NOT NULL,
    status TEXT NOT NULL,
    reason TEXT,
    -- What the line pays for, when it is one record (a hardship file, an
    -- award, a claim): `hardship_file:7`.
    source TEXT,
    credited_at BIGINT,
    answered_at BIGINT,
    -- A failed line paid again: the batch that pays it (once).
    retried_in BIGINT REFERENCES payment_batches(id)
);
CREATE INDEX payment_lines_batch ON payment_lines(batch_id, id);
CREATE INDEX payment_lines_roster ON payment_lines(roster_id, id);
