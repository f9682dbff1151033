-- Micro guaranteed loans: applications (drafts too) with their timeline and
-- documents, and each county's yearly guarantee quota.

ALTER TABLE unions ADD COLUMN phone TEXT NOT NULL DEFAULT '';

CREATE TABLE loan_applications (
    id {{ID}},
    roster_id BIGINT NOT NULL REFERENCES roster_entries(id),
    union_id BIGINT NOT NULL REFERENCES unions(id),
    -- The county (district) union that reviews and guarantees it.
    county_id BIGINT NOT NULL REFERENCES unions(id),
    status TEXT NOT NULL,
    employment_status TEXT NOT NULL,
    college_graduate BIGINT NOT NULL DEFAULT 0,
    local_hukou BIGINT NOT NULL DEFAULT 0,
    residence_years BIGINT NOT NULL DEFAULT 0,
    business_kind TEXT NOT NULL,
    business_started_on TEXT NOT NULL DEFAULT '',
    amount_fen BIGINT NOT NULL DEFAULT 0,
    term_months BIGINT NOT NULL DEFAULT 0,
    business_name TEXT NOT NULL DEFAULT '',
    business_address TEXT NOT NULL DEFAULT '',
    purpose TEXT NOT NULL DEFAULT '',
    partners_json TEXT NOT NULL DEFAULT '[]',
    disbursed_on TEXT,
    created_at BIGINT NOT NULL,
    submitted_at BIGINT,
    updated_at BIGINT NOT NULL
);
CREATE INDEX loan_applications_queue ON loan_applications(status, submitted_at);
-- At most one open application or loan per member, even when two requests
-- race: the second insert fails here on either engine.
CREATE UNIQUE INDEX loan_applications_one_open ON loan_applications(roster_id)
    WHERE status NOT IN ('closed', 'rejected');

CREATE TABLE loan_events (
    id {{ID}},
    loan_id BIGINT NOT NULL REFERENCES loan_applications(id),
    status TEXT NOT NULL,
    at BIGINT NOT NULL,
    actor_id BIGINT REFERENCES users(id),
    note TEXT
);
CREATE INDEX loan_events_loan ON loan_events(loan_id);

CREATE TABLE loan_documents (
    id {{ID}},
    loan_id BIGINT NOT NULL REFERENCES loan_applications(id),
    file_name TEXT NOT NULL,
    mime TEXT NOT NULL,
    bytes BIGINT NOT NULL,
    uploaded_at BIGINT NOT NULL
);
CREATE INDEX loan_documents_loan ON loan_documents(loan_id);

-- Guarantees given per county per year; `used_fen` only grows through a
-- conditional update that keeps it within `quota_fen`.
CREATE TABLE loan_quotas (
    county_id BIGINT NOT NULL REFERENCES unions(id),
    year BIGINT NOT NULL,
    quota_fen BIGINT NOT NULL,
    used_fen BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (county_id, year)
);
