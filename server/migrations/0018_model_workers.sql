-- Model workers (劳模) and their monthly allowances: the register per
-- union, each union's standing allowance per level (the officer who set it
-- stands behind the batches prepared from it each month), and, on the
-- ledger, the month a line pays: one live payment per worker and month.
CREATE TABLE model_workers (
    id {{ID}},
    roster_id BIGINT NOT NULL UNIQUE REFERENCES roster_entries(id),
    union_id BIGINT NOT NULL REFERENCES unions(id),
    level TEXT NOT NULL,
    honour TEXT NOT NULL,
    added_by BIGINT REFERENCES users(id),
    added_at BIGINT NOT NULL,
    ended_at BIGINT
);
CREATE INDEX model_workers_union ON model_workers(union_id);

CREATE TABLE allowance_rates (
    union_id BIGINT PRIMARY KEY REFERENCES unions(id),
    national_fen BIGINT NOT NULL,
    provincial_fen BIGINT NOT NULL,
    city_fen BIGINT NOT NULL,
    set_by BIGINT NOT NULL REFERENCES users(id),
    set_at BIGINT NOT NULL
);

ALTER TABLE payment_lines ADD COLUMN allowance_month TEXT;
CREATE UNIQUE INDEX payment_lines_allowance_once ON payment_lines(roster_id, allowance_month)
    WHERE allowance_month IS NOT NULL AND status <> 'failed' AND status <> 'cancelled';
